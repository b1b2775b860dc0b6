"""po_complete.py checked on small made-up source trees, so that a change
to the check cannot quietly stop catching what it is there for:

  - a C_("context", "word") whose catalogue has only the plain "word"
    (the contextual translation is missing) fails, naming the context;
  - the same tree passes once the msgctxt entry is there;
  - an ngettext message with an empty plural form fails;
  - a file that marks strings only with C_ must be in POTFILES.

    po_complete_selftest.py PATH/TO/po_complete.py
Exit 77 (skipped) without the gettext tools, as po_complete itself.
"""

import os
import shutil
import subprocess
import sys
import tempfile

HEADER = '''msgid ""
msgstr ""
"Content-Type: text/plain; charset=UTF-8\\n"
"Plural-Forms: nplurals=2; plural=(n > 1);\\n"

'''

MESON = """i18n.gettext('x',
  args: ['--keyword=_', '--keyword=N_', '--keyword=C_:1c,2',
         '--keyword=ngettext:1,2', '--from-code=UTF-8'])
"""

SOURCE = '''#include <stdio.h>
void f(long n)
{
	printf("%s %s\\n", _("sent"), C_("report column", "sent"));
	printf(ngettext("%ld row", "%ld rows", n), n);
}
'''

PLAIN = '''msgid "sent"
msgstr "envoyée"

'''
CONTEXT = '''msgctxt "report column"
msgid "sent"
msgstr "envoyées"

'''
PLURAL_OK = '''#, c-format
msgid "%ld row"
msgid_plural "%ld rows"
msgstr[0] "%ld ligne"
msgstr[1] "%ld lignes"

'''
PLURAL_EMPTY = PLURAL_OK.replace('"%ld lignes"', '""')


def tree(root, po_text, potfiles=('src/a.c',), extra=None):
    shutil.rmtree(root, ignore_errors=True)
    os.makedirs(os.path.join(root, 'src'))
    os.makedirs(os.path.join(root, 'assets', 'po'))
    with open(os.path.join(root, 'src', 'a.c'), 'w') as fh:
        fh.write(SOURCE)
    for name, text in (extra or {}).items():
        with open(os.path.join(root, name), 'w') as fh:
            fh.write(text)
    po = os.path.join(root, 'assets', 'po')
    with open(os.path.join(po, 'meson.build'), 'w') as fh:
        fh.write(MESON)
    with open(os.path.join(po, 'LINGUAS'), 'w') as fh:
        fh.write('fr\n')
    with open(os.path.join(po, 'POTFILES'), 'w') as fh:
        fh.write('\n'.join(potfiles) + '\n')
    with open(os.path.join(po, 'fr.po'), 'w', encoding='utf-8') as fh:
        fh.write(HEADER + po_text)


def run(check, root):
    res = subprocess.run([sys.executable, check, root],
                         capture_output=True, text=True)
    return res.returncode, res.stdout + res.stderr


def main():
    check = os.path.abspath(sys.argv[1])
    for tool in ('msgfmt', 'xgettext'):
        if not shutil.which(tool):
            print('po_complete_selftest: %s not found, skipping' % tool)
            return 77
    failures = []
    with tempfile.TemporaryDirectory(prefix='po_selftest.') as tmp:
        root = os.path.join(tmp, 'root')

        tree(root, PLAIN + PLURAL_OK)
        rc, out = run(check, root)
        if rc != 1 or "report column" not in out:
            failures.append('missing contextual translation not caught '
                            '(exit %d):\n%s' % (rc, out))

        tree(root, PLAIN + CONTEXT + PLURAL_OK)
        rc, out = run(check, root)
        if rc != 0:
            failures.append('complete catalogue refused (exit %d):\n%s'
                            % (rc, out))

        tree(root, PLAIN + CONTEXT + PLURAL_EMPTY)
        rc, out = run(check, root)
        if rc != 1 or '%ld row' not in out:
            failures.append('empty plural form not caught (exit %d):\n%s'
                            % (rc, out))

        tree(root, PLAIN + CONTEXT + PLURAL_OK,
             extra={'src/b.c': 'const char *g(void) '
                               '{ return C_("agenda", "today"); }\n'})
        rc, out = run(check, root)
        if rc != 1 or 'src/b.c' not in out:
            failures.append('a file marking with C_ only, missing from '
                            'POTFILES, not caught (exit %d):\n%s' % (rc, out))
    for f in failures:
        print(f)
    if failures:
        return 1
    print('po_complete_selftest: 4 cases as expected')
    return 0


if __name__ == '__main__':
    sys.exit(main())
