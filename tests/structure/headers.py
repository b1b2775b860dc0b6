"""Every public header compiles on its own (STYLE.md section 1).

    headers.py --cc "CC..." SOURCE_ROOT BUILD_DIR

For each include/totemdesk/X.h, and each store header
src/store/include/store/X.h, a translation unit that includes only that
header, twice (so a missing include guard shows too), is compiled with the
project's compiler and
    -std=c17 -Wall -Wextra -Wpedantic -Werror -fsyntax-only
plus the project's extra warnings and the pkg-config cflags of its
libraries.  A header that leans on something its includer happened to
include first fails here.
"""

import argparse
import os
import shlex
import subprocess
import sys
import tempfile

FLAGS = ['-std=c17', '-Wall', '-Wextra', '-Wpedantic', '-Werror',
         '-fsyntax-only', '-D_GNU_SOURCE',
         '-Wshadow', '-Wstrict-prototypes', '-Wmissing-prototypes',
         '-Wvla', '-Wno-unused-parameter']
PKGS = ['libutf8proc', 'sqlite3', 'libconfig', 'ncursesw', 'menuw', 'panelw']


def pkg_cflags():
    try:
        res = subprocess.run(['pkg-config', '--cflags'] + PKGS,
                             stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                             text=True, check=False)
    except OSError:
        return []
    if res.returncode != 0:
        print('headers: pkg-config --cflags failed: %s' % res.stderr.strip())
        return []
    return shlex.split(res.stdout)


def compile_one(cc, args, header, tmp):
    """header's last two path parts are how it is included
    ("totemdesk/app.h", "store/partner.h")."""
    name = os.path.basename(header)
    spelled = os.path.basename(os.path.dirname(header)) + '/' + name
    src = os.path.join(tmp, 'only_' + spelled.replace('/', '_')[:-2] + '.c')
    with open(src, 'w', encoding='utf-8') as fh:
        fh.write('#include "%s"\n#include "%s"\n' % (spelled, spelled))
    res = subprocess.run(cc + args + [src], stdout=subprocess.PIPE,
                         stderr=subprocess.STDOUT, text=True, check=False)
    return res.returncode, res.stdout


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument('--cc', default=os.environ.get('CC', 'cc'))
    ap.add_argument('source_root')
    ap.add_argument('build_dir', nargs='?')
    a = ap.parse_args()

    cc = shlex.split(a.cc)
    inc = os.path.join(a.source_root, 'include')
    store_inc = os.path.join(a.source_root, 'src', 'store', 'include')
    args = FLAGS + ['-I', inc, '-I', store_inc]
    if a.build_dir:
        args += ['-I', a.build_dir]
    args += pkg_cflags()

    headers = []
    for hdir in (os.path.join(inc, 'totemdesk'),
                 os.path.join(store_inc, 'store')):
        headers += sorted(os.path.join(hdir, n) for n in os.listdir(hdir)
                          if n.endswith('.h'))
    if not headers:
        print('headers: no headers in %s' % inc)
        return 1

    failed = 0
    with tempfile.TemporaryDirectory(prefix='td-headers-') as tmp:
        # The check must be able to fail: a header using size_t without
        # <stddef.h> has to be refused by these flags.
        probe_dir = os.path.join(tmp, 'probe', 'totemdesk')
        os.makedirs(probe_dir)
        probe = os.path.join(probe_dir, 'probe.h')
        with open(probe, 'w', encoding='utf-8') as fh:
            fh.write('#ifndef P_H\n#define P_H\nsize_t td_probe(void);\n'
                     '#endif\n')
        rc, _ = compile_one(cc, FLAGS + ['-I', os.path.dirname(probe_dir)],
                            probe, tmp)
        if rc == 0:
            print('headers: the compiler accepted a header that is not '
                  'self-contained; the check would prove nothing')
            return 1

        for h in headers:
            rc, out = compile_one(cc, args, h, tmp)
            rel = os.path.relpath(h, a.source_root)
            if rc == 0:
                print('ok    %s' % rel)
            else:
                failed += 1
                print('FAIL  %s does not compile alone:\n%s' % (rel, out))
    print('headers: %d checked, %d not self-contained'
          % (len(headers), failed))
    return 1 if failed else 0


if __name__ == '__main__':
    sys.exit(main())
