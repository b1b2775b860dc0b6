"""Layers checked on the compiled code: no layer's static library may
reference a symbol that a layer it may not use defines (STYLE.md
section 1), whatever its #include lines say.

    link_layers.py [--nm NM] [--program EXE] --lib LAYER=ARCHIVE...
                   [--check LAYER=ARCHIVE]...

--lib names the five layer libraries (core, store, app, ui, cli): the
symbols each defines (`nm --defined-only`) say which layer owns a name.
--program is the linked program: the shared libraries `ldd` finds for it
say which layer owns the names of the outside libraries (ncursesw, tinfo,
panelw: ui; sqlite3: store; libconfig: app; the others, libc and
utf8proc among them, belong to every layer).  Each archive of a --check
(by default every --lib) is then read with `nm -u`, and an undefined
symbol is an offence when
  - a layer's library, or an outside library of a layer, defines it and
    the checked layer may not use that layer (ui calling
    td_store_partner_get, cli calling initscr, store calling td_app_*);
  - it has the prefix of a library only one layer may link: sqlite3_
    (store), config_ (libconfig: app), td_store_ (store) -- so even a
    declaration copied by hand past the header split is caught, and
    these hold without --program too.
Prints ARCHIVE: LAYER references SYMBOL (owner) for each offence, exits 1
if there is any, 2 if nm or ldd fails or a library defines nothing (a
check that read nothing would prove nothing).
"""

import argparse
import os
import re
import subprocess
import sys

# STYLE.md section 1: what each layer may use (besides itself).
MAY_USE = {
    'core': set(),
    'store': {'core'},
    'app': {'core', 'store'},
    'ui': {'app', 'core'},
    'cli': {'app', 'core'},
}

# Outside shared libraries that one layer only may link, by file name.
EXTERNAL_OWNER = [
    (re.compile(r'^lib(ncurses|tinfo|panel|form|menu)w?\.so'), 'ui'),
    (re.compile(r'^libsqlite3\.so'), 'store'),
    (re.compile(r'^libconfig\.so'), 'app'),
]

# Symbols of outside libraries (and our own store prefix) by the one
# layer that may reference them.
PREFIX_OWNER = [
    ('sqlite3_', 'store'),
    ('td_store_', 'store'),
    ('config_', 'app'),       # libconfig: the configuration is app's
]


def nm_symbols(nm, archive, undefined):
    """Set of global symbol names of archive: undefined (nm -u) or
    defined (nm --defined-only)."""
    flag = '-u' if undefined else '--defined-only'
    res = subprocess.run([nm, '-g', flag, archive], stdout=subprocess.PIPE,
                         stderr=subprocess.PIPE, text=True, check=False)
    if res.returncode != 0:
        raise RuntimeError('%s %s %s failed: %s'
                           % (nm, flag, archive, res.stderr.strip()))
    names = set()
    for line in res.stdout.splitlines():
        parts = line.split()
        # "archive member:" headers and blank lines carry no symbol.
        if not parts or line.endswith(':'):
            continue
        names.add(parts[-1])
    return names


def shared_libraries(program):
    """Paths of the shared libraries the dynamic linker finds for
    program (ldd)."""
    res = subprocess.run(['ldd', program], stdout=subprocess.PIPE,
                         stderr=subprocess.PIPE, text=True, check=False)
    if res.returncode != 0:
        raise RuntimeError('ldd %s failed: %s' % (program, res.stderr.strip()))
    return re.findall(r'=>\s*(/\S+)', res.stdout)


def external_owners(nm, program):
    """symbol -> layer, for the symbols of the outside libraries that only
    one layer may link.  A name another library defines too (libc, a
    sanitizer's interceptors) belongs to nobody."""
    owner, shared = {}, set()
    for path in shared_libraries(program):
        base = os.path.basename(path)
        layer = next((l for r, l in EXTERNAL_OWNER if r.match(base)), None)
        res = subprocess.run([nm, '-D', '--defined-only', path],
                             stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                             text=True, check=False)
        if res.returncode != 0:
            raise RuntimeError('%s -D %s failed: %s'
                               % (nm, path, res.stderr.strip()))
        names = {l.split()[-1].split('@')[0]
                 for l in res.stdout.splitlines() if l.split()}
        if layer is None:
            shared |= names
            continue
        if not names:
            raise RuntimeError('%s (%s) defines no symbol' % (path, layer))
        for n in names:
            owner.setdefault(n, layer)
    return {n: l for n, l in owner.items() if n not in shared}


def owners_of(nm, libs):
    """symbol -> layer that defines it."""
    owner = {}
    for layer, path in libs.items():
        defined = nm_symbols(nm, path, undefined=False)
        if not defined:
            raise RuntimeError('%s (%s) defines no symbol: not a layer '
                               'library?' % (path, layer))
        for s in defined:
            owner.setdefault(s, layer)
    return owner


def offences(nm, layer, archive, owner):
    """Lines naming each forbidden reference of archive checked as layer."""
    allowed = MAY_USE[layer] | {layer}
    undefined = nm_symbols(nm, archive, undefined=True)
    # Members of one archive call each other: those are the layer's own.
    undefined -= nm_symbols(nm, archive, undefined=False)
    bad = []
    for s in sorted(undefined):
        o = owner.get(s)
        if o is None:
            for prefix, p_owner in PREFIX_OWNER:
                if s.startswith(prefix):
                    o = p_owner
                    break
        if o is not None and o not in allowed:
            bad.append('%s: %s references %s (%s layer); %s may use only %s'
                       % (os.path.basename(archive), layer, s, o, layer,
                          ', '.join(sorted(MAY_USE[layer])) or 'libc'))
    return bad


def pairs(values, what):
    out = {}
    for v in values or []:
        layer, sep, path = v.partition('=')
        if not sep or layer not in MAY_USE:
            raise SystemExit('%s %r: expected LAYER=ARCHIVE with LAYER one '
                             'of %s' % (what, v, ', '.join(MAY_USE)))
        out.setdefault(layer, []).append(path)
    return out


def main():
    ap = argparse.ArgumentParser(description=__doc__.split('\n')[0])
    ap.add_argument('--nm', default='nm')
    ap.add_argument('--program')
    ap.add_argument('--lib', action='append', required=True)
    ap.add_argument('--check', action='append')
    a = ap.parse_args()

    libs = {k: v[-1] for k, v in pairs(a.lib, '--lib').items()}
    missing = set(MAY_USE) - set(libs)
    if missing:
        print('link_layers: no --lib for %s' % ', '.join(sorted(missing)))
        return 2
    checks = pairs(a.check, '--check') if a.check else \
        {k: [v] for k, v in libs.items()}
    try:
        owner = external_owners(a.nm, a.program) if a.program else {}
        owner.update(owners_of(a.nm, libs))
        bad, n = [], 0
        for layer, paths in sorted(checks.items()):
            for p in paths:
                bad += offences(a.nm, layer, p, owner)
                n += 1
    except (RuntimeError, OSError) as e:
        print('link_layers: %s' % e)
        return 2
    for b in bad:
        print(b)
    print('link_layers: %d librar%s checked, %d forbidden reference%s'
          % (n, 'y' if n == 1 else 'ies', len(bad), '' if len(bad) == 1
             else 's'))
    return 1 if bad else 0


if __name__ == '__main__':
    sys.exit(main())
