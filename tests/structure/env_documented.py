"""Every TOTEMDESK_* environment variable the program reads is documented
in the README (issue 11 point 23): the test hooks under "For developers",
the others wherever they are explained.  A variable read in src/ and
named nowhere in the README fails; so does one the README documents as a
hook that src/ no longer reads.

    env_documented.py SOURCE_ROOT"""

import os
import re
import sys


def read_vars(root):
    found = set()
    for base, _, files in os.walk(os.path.join(root, 'src')):
        for name in files:
            if name.endswith(('.c', '.h')):
                with open(os.path.join(base, name), encoding='utf-8') as fh:
                    found |= set(re.findall(r'getenv\("(TOTEMDESK_\w+)"\)',
                                            fh.read()))
    return found


def main():
    root = sys.argv[1]
    with open(os.path.join(root, 'README.md'), encoding='utf-8') as fh:
        readme = fh.read()
    dev = readme.split('\n## For developers', 1)
    assert len(dev) == 2, 'README: no "## For developers" section'
    dev = dev[1].split('\n## ', 1)[0]
    hooks = set(re.findall(r'^- `(TOTEMDESK_\w+)=', dev, re.M))
    read = read_vars(root)
    bad = []
    for var in sorted(read - hooks):
        if var not in readme:
            bad.append('%s is read by src/ but not documented in README.md'
                       % var)
    for var in sorted(hooks - read):
        bad.append('README.md documents the test hook %s, which src/ no '
                   'longer reads' % var)
    if 'TOTEMDESK_NOW' in read and 'TOTEMDESK_NOW' not in hooks:
        bad.append('TOTEMDESK_NOW is not documented as a test hook under '
                   '"For developers"')
    for line in bad:
        print(line)
    if bad:
        sys.exit(1)
    print('env_documented: %d variables read, %d test hooks documented'
          % (len(read), len(hooks)))


if __name__ == '__main__':
    main()
