"""Translations complete: every message the program can show has a
translation in each catalogue of assets/po/LINGUAS.

    po_complete.py [--po FILE]... [--potfiles FILE] SOURCE_ROOT

Fails (exit 1, one line per problem) when
  (a) a src/**/*.c file that marks strings (_( N_( C_( ngettext() is
      missing from assets/po/POTFILES, or POTFILES names a file that is
      gone;
  (b) `msgfmt --check --statistics` rejects a catalogue or counts
      untranslated or fuzzy messages in it;
  (c) a msgid that xgettext extracts now from the POTFILES sources (the
      keywords of assets/po/meson.build) has no translation, or a plural
      entry has an empty form.  A msgid with a context (C_("ctx", "sent"))
      needs an entry with that msgctxt: the plain msgid does not count.
The template is extracted into a temporary directory: the source tree is
never written.  Exit 77 (skipped) if the gettext tools are not installed.
"""

import argparse
import os
import re
import shutil
import subprocess
import sys
import tempfile

MARK = re.compile(r'(?<![A-Za-z0-9_])(?:N_|_|C_|ngettext)\s*\(')
# Used when assets/po/meson.build names no keyword (see keywords()).
DEFAULT_KEYWORDS = ['--keyword=_', '--keyword=N_', '--keyword=C_:1c,2',
                    '--keyword=ngettext:1,2']


def keywords(root):
    """The --keyword options of assets/po/meson.build, so that this check
    extracts what the catalogue's own update does (a C_ context the
    build knows and this check did not would pass unchecked)."""
    path = os.path.join(root, 'assets', 'po', 'meson.build')
    try:
        with open(path, encoding='utf-8') as fh:
            found = re.findall(r"'(--keyword=[^']+)'", fh.read())
    except OSError:
        found = []
    return found or DEFAULT_KEYWORDS


def code_only(text):
    """C source with comments removed and literals emptied, so that a
    comment saying "wrap it in _()" does not count as a use."""
    out = []
    i, n = 0, len(text)
    while i < n:
        c = text[i]
        if text.startswith('/*', i):
            end = text.find('*/', i + 2)
            i = n if end < 0 else end + 2
            out.append(' ')
        elif text.startswith('//', i):
            end = text.find('\n', i)
            i = n if end < 0 else end
        elif c in '"\'':
            j = i + 1
            while j < n and text[j] != c and text[j] != '\n':
                j += 2 if text[j] == '\\' else 1
            out.append(c + c)
            i = j + 1
        else:
            out.append(c)
            i += 1
    return ''.join(out)


def marking_sources(root):
    """Paths (relative to root) of src/ .c files that mark strings."""
    found = []
    for d, dirs, files in os.walk(os.path.join(root, 'src')):
        dirs.sort()
        for f in sorted(files):
            if not f.endswith('.c'):
                continue
            p = os.path.join(d, f)
            with open(p, encoding='utf-8', errors='replace') as fh:
                if MARK.search(code_only(fh.read())):
                    found.append(os.path.relpath(p, root))
    return found


def read_potfiles(path):
    with open(path, encoding='utf-8') as fh:
        return [l.strip() for l in fh
                if l.strip() and not l.lstrip().startswith('#')]


def unquote(s):
    esc = {'n': '\n', 't': '\t', '"': '"', '\\': '\\'}
    return re.sub(r'\\(.)', lambda m: esc.get(m.group(1), m.group(1)), s)


def po_entries(path):
    """Yield (line, fields) for each live entry of a PO file; fields maps
    msgid, msgid_plural, msgstr, msgstr[N] to their unquoted text and
    'fuzzy' to a bool.  Obsolete (#~) entries are skipped."""
    ent, key, start = {}, None, 0
    with open(path, encoding='utf-8') as fh:
        lines = fh.read().split('\n') + ['']
    for no, line in enumerate(lines, 1):
        if not line.strip():
            if 'msgid' in ent:
                yield start, ent
            ent, key = {}, None
            continue
        if line.startswith('#~'):
            continue
        if line.startswith('#,'):
            ent['fuzzy'] = ent.get('fuzzy', False) or 'fuzzy' in line
            continue
        if line.startswith('#'):
            continue
        m = re.match(r'^(msgctxt|msgid|msgid_plural|msgstr(?:\[\d+\])?)'
                     r'\s+"(.*)"\s*$', line)
        if m:
            key = m.group(1)
            if key == 'msgid':
                start = no
            ent[key] = unquote(m.group(2))
            continue
        m = re.match(r'^"(.*)"\s*$', line)
        if m and key:
            ent[key] += unquote(m.group(1))


def check_potfiles(root, potfiles_path):
    problems = []
    listed = read_potfiles(potfiles_path)
    for p in sorted(set(marking_sources(root)) - set(listed)):
        problems.append('%s: marks strings for translation but is not in %s'
                        % (p, potfiles_path))
    for p in listed:
        if not os.path.isfile(os.path.join(root, p)):
            problems.append('%s: listed in %s but does not exist'
                            % (p, potfiles_path))
    seen = set()
    for p in listed:
        if p in seen:
            problems.append('%s: listed twice in %s' % (p, potfiles_path))
        seen.add(p)
    return problems


def check_msgfmt(po, tmp):
    res = subprocess.run(['msgfmt', '--check', '--statistics', '-o',
                          os.path.join(tmp, 'check.mo'), po],
                         capture_output=True, text=True)
    out = (res.stdout + res.stderr).strip()
    problems = []
    if res.returncode != 0:
        problems.append('%s: msgfmt --check failed:\n%s' % (po, out))
    elif re.search(r'untranslated|fuzzy', out):
        problems.append('%s: not complete: %s' % (po, out.splitlines()[-1]))
    return problems


def check_against_sources(root, potfiles_path, po, tmp):
    pot = os.path.join(tmp, 'current.pot')
    res = subprocess.run(['xgettext', '--language=C', *keywords(root),
                          '--from-code=UTF-8', '--directory', root,
                          '--files-from', potfiles_path, '-o', pot],
                         capture_output=True, text=True)
    if res.returncode != 0:
        return ['xgettext failed:\n' + res.stderr.strip()]
    if not os.path.exists(pot):
        return ['xgettext found no message at all in %s' % potfiles_path]

    have = {}
    for line, e in po_entries(po):
        if e['msgid']:
            have[(e.get('msgctxt'), e['msgid'])] = (line, e)
    problems = []
    for _line, e in po_entries(pot):
        if not e['msgid']:
            continue
        key = (e.get('msgctxt'), e['msgid'])
        shown = e['msgid'] if len(e['msgid']) <= 60 \
            else e['msgid'][:57] + '...'
        if key[0] is not None:
            shown = '%s (msgctxt %r)' % (shown, key[0])
        got = have.get(key)
        if got is None:
            problems.append('%s: no entry for msgid %r (update the catalogue:'
                            ' meson compile totemdesk-update-po)'
                            % (po, shown))
            continue
        line, t = got
        forms = [v for k, v in t.items() if k.startswith('msgstr')]
        if 'msgid_plural' in e and 'msgid_plural' not in t:
            problems.append('%s:%d: msgid %r needs plural forms'
                            % (po, line, shown))
        elif t.get('fuzzy'):
            problems.append('%s:%d: msgid %r is fuzzy' % (po, line, shown))
        elif not forms or any(not f for f in forms):
            problems.append('%s:%d: msgid %r is not translated'
                            % (po, line, shown))
    return problems


def main():
    ap = argparse.ArgumentParser(description=__doc__.split('\n')[0])
    ap.add_argument('root')
    ap.add_argument('--po', action='append',
                    help='catalogue to check (default: each language of '
                         'assets/po/LINGUAS)')
    ap.add_argument('--potfiles', help='default: assets/po/POTFILES')
    a = ap.parse_args()

    root = os.path.abspath(a.root)
    podir = os.path.join(root, 'assets', 'po')
    potfiles = a.potfiles or os.path.join(podir, 'POTFILES')
    pos = a.po
    if not pos:
        with open(os.path.join(podir, 'LINGUAS'), encoding='utf-8') as fh:
            langs = fh.read().split()
        pos = [os.path.join(podir, l + '.po') for l in langs]
    for tool in ('msgfmt', 'xgettext'):
        if not shutil.which(tool):
            print('po_complete: %s not found, skipping' % tool)
            return 77

    problems = check_potfiles(root, potfiles)
    with tempfile.TemporaryDirectory(prefix='po_complete.') as tmp:
        for po in pos:
            problems += check_msgfmt(po, tmp)
            problems += check_against_sources(root, potfiles, po, tmp)
    for p in problems:
        print(p)
    if problems:
        print('po_complete: %d problem(s)' % len(problems))
        return 1
    print('po_complete: %s complete for %d source files'
          % (', '.join(os.path.basename(p) for p in pos),
             len(read_potfiles(potfiles))))
    return 0


if __name__ == '__main__':
    sys.exit(main())
