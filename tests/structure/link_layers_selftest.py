"""link_layers.py must be able to fail, on compiled objects rather than on
a text fixture:

  - planted/reaches_store.c (compiled by meson into its own archive)
    calls td_store_partner_set_active and sqlite3_libversion through
    declarations copied by hand: checked as the ui layer, and as the cli
    layer, it must fail naming both symbols;
  - planted/keeps_layers.c calls only app and core: it must pass as ui
    and as cli (the violation fails for what it calls, not for being
    planted);
  - the real ui library checked as if it were core must fail (core may
    use nothing, and ui calls td_app_*), the real app library as if it
    were store (store may not use libconfig's config_*), and the real ui
    library as if it were cli, with the program's shared libraries
    (curses is ui's: newwin must be named), so the ownership by defined
    symbols works on the real archives and libraries too.

    link_layers_selftest.py CHECK_PY NM PROGRAM BAD_ARCHIVE GOOD_ARCHIVE \
        core=A store=A app=A ui=A cli=A
"""

import subprocess
import sys


def run(check, nm, libs, checks, program=None):
    args = [sys.executable, check, '--nm', nm]
    if program:
        args += ['--program', program]
    for layer, path in libs.items():
        args += ['--lib', '%s=%s' % (layer, path)]
    for c in checks:
        args += ['--check', c]
    res = subprocess.run(args, stdout=subprocess.PIPE,
                         stderr=subprocess.STDOUT, text=True, check=False)
    return res.returncode, res.stdout


def main():
    check, nm, program, bad, good = sys.argv[1:6]
    libs = dict(a.split('=', 1) for a in sys.argv[6:])
    failures = []

    for layer in ('ui', 'cli'):
        rc, out = run(check, nm, libs, ['%s=%s' % (layer, bad)])
        for sym in ('td_store_partner_set_active', 'sqlite3_libversion'):
            if rc != 1 or sym not in out:
                failures.append('planted call to %s not caught as %s '
                                '(exit %d):\n%s' % (sym, layer, rc, out))
        if 'td_app_changed' in out:
            failures.append('td_app_changed reported for %s, which may '
                            'use app:\n%s' % (layer, out))

        rc, out = run(check, nm, libs, ['%s=%s' % (layer, good)])
        if rc != 0:
            failures.append('clean planted object refused as %s '
                            '(exit %d):\n%s' % (layer, rc, out))

    rc, out = run(check, nm, libs, ['core=%s' % libs['ui']])
    if rc != 1 or 'td_app_' not in out:
        failures.append('the ui library passed as core (exit %d):\n%s'
                        % (rc, out))
    rc, out = run(check, nm, libs, ['store=%s' % libs['app']])
    if rc != 1 or 'config_' not in out:
        failures.append('the app library passed as store (exit %d):\n%s'
                        % (rc, out))

    rc, out = run(check, nm, libs, ['cli=%s' % libs['ui']], program)
    if rc != 1 or 'references newwin (ui layer)' not in out:
        failures.append('curses calls passed as cli (exit %d):\n%s'
                        % (rc, out))
    rc, out = run(check, nm, libs, [], program)
    if rc != 0:
        failures.append('the real libraries refused with the program\'s '
                        'shared libraries (exit %d):\n%s' % (rc, out))

    for f in failures:
        print(f)
    if failures:
        return 1
    print('link_layers_selftest: 8 cases as expected')
    return 0


if __name__ == '__main__':
    sys.exit(main())
