"""docs/architecture.md names real files: every `path` it quotes under
src/, include/, tests/, assets/, docs/, config/ or scripts/ exists, so a
recipe cannot go on naming a file that was moved or removed.  Paths with
a placeholder (NAME, N, frob, <module>) are templates and are skipped.

    docs_paths.py SOURCE_ROOT [DOC]
Prints DOC:LINE: path for each missing one; exit 1 if any.
"""

import os
import re
import sys

ROOTS = ('src/', 'include/', 'tests/', 'assets/', 'docs/', 'config/',
         'scripts/')
PLACEHOLDER = re.compile(r'<|frob|NAME|_N\b|_N\.|N\.c|\.\.\.')
QUOTED = re.compile(r'`([^`\s]+)`')


def missing(root, text):
    out = []
    for no, line in enumerate(text.splitlines(), 1):
        for p in QUOTED.findall(line):
            p = p.rstrip('.,;:')
            if not p.startswith(ROOTS) or PLACEHOLDER.search(p):
                continue
            if not os.path.exists(os.path.join(root, p)):
                out.append((no, p))
    return out


def self_test(root):
    text = ('`src/cli/cli.c` and `src/cli/cmd_frob.c` and\n'
            '`src/store/migration_N.c`, `src/nowhere.c`, `strcmp`\n')
    assert missing(root, text) == [(2, 'src/nowhere.c')], missing(root, text)


def main():
    root = sys.argv[1]
    doc = sys.argv[2] if len(sys.argv) > 2 else \
        os.path.join(root, 'docs', 'architecture.md')
    self_test(root)
    with open(doc, encoding='utf-8') as fh:
        text = fh.read()
    bad = missing(root, text)
    for no, p in bad:
        print('%s:%d: %s does not exist' % (os.path.relpath(doc, root), no, p))
    n = sum(1 for line in text.splitlines() for p in QUOTED.findall(line)
            if p.startswith(ROOTS))
    print('docs_paths: %d paths quoted, %d missing' % (n, len(bad)))
    return 1 if bad else 0


if __name__ == '__main__':
    sys.exit(main())
