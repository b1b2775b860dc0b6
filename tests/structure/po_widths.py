"""Every message fits or wraps at 80 columns, in English and in French,
measured in display width (issue 11 point 7).  Walks the messages the
sources mark now (xgettext, as po_complete.py) and their translations in
assets/po/fr.po.

    po_widths.py SOURCE_ROOT

How the screens show text decides what is checked:
  - A message shown on the status line, the message row, a dialog, the
    "terminal too small" screen or a page view wraps to the screen's width
    (src/ui/ui.c: draw_note, draw_dialog; td_view): so every message must
    wrap -- no word wider than WORD_MAX columns -- into at most LINES_MAX
    lines of 78 columns, the most a note over the screen's bottom takes.
    A message with line breaks (--help blocks) is for the command line:
    each of its lines fits in 80 columns.
  - A one-line place is found in the sources: the title row
    (td_ui_draw_title, or a snprintf into a buffer called title), a
    row the screen writes a message in (td_ui_put), a
    prompt's label (td_prompt_open: the answer needs room after it), a
    chooser's title and options (td_chooser_open, td_chooser_add); and the
    label columns of the tables: the labels of src/core/domain.c
    (statuses, stages, sectors, needs, roles; the statistics give them
    LABEL_MAX columns), the field labels and short hints of
    src/core/intake.c (the form's label and hint columns) and the key
    labels of src/ui/actions.h (the status line's hints).  Each must fit
    its place in both languages.
A format directive counts as a typical value (%s as S_WIDTH columns, a
number as a few digits).  Exit 1 with one line per problem; 77 when the
gettext tools are missing.
"""

import os
import re
import shutil
import subprocess
import sys
import tempfile
import unicodedata

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
import po_complete  # noqa: E402

WIDTH = 78          # a wrapped message's lines (80 columns, a margin)
WORD_MAX = WIDTH    # the widest word a message may hold
LINES_MAX = 6       # the most lines a message may wrap to
CLI_WIDTH = 80      # a --help line
S_WIDTH = 12        # columns a %s stands for

# One-line places: (name, pattern found on the message's line or the few
# before it, the most columns the text may take).
PLACES = [
    ('title', re.compile(r'td_ui_draw_title\s*\(|snprintf\s*\(\s*(?:\w+->)?'
                         r'title\b'), WIDTH),
    ('prompt label', re.compile(r'td_prompt_open\s*\('), 60),
    ('chooser', re.compile(r'td_chooser_(?:open|add)\s*\('), 70),
    ('screen row', re.compile(r'td_ui_put\s*\('), WIDTH - 2),
]
LABEL_MAX = 24      # src/core/report.c LABEL_WIDTH
FIELD_LABEL_MAX = 16  # src/ui/scr_form.c LABEL_W
FIELD_HINT_MAX = 27   # 80 - HINT_X of src/ui/scr_form.c
KEY_LABEL_MAX = 24    # one hint of the status line, beside others

DIRECTIVE = re.compile(r'%(?:\d+\$)?[-+ #0]*(?:\d+|\*)?(?:\.(?:\d+|\*))?'
                       r'(?:hh|h|ll|l|z|j|t)?([sdiuxXcf%])')


def expand(text):
    """text with each directive as a typical value."""
    def one(m):
        c = m.group(1)
        return {'%': '%', 's': 'x' * S_WIDTH, 'c': 'x',
                'f': '0.0'}.get(c, '123')
    return DIRECTIVE.sub(one, text)


def cols(text):
    n = 0
    for c in text:
        if unicodedata.combining(c):
            continue
        n += 2 if unicodedata.east_asian_width(c) in 'WF' else 1
    return n


def wrap_lines(text, width):
    """Lines text takes wrapped at width, breaking at spaces as
    td_ui_wrap does (a word wider than width is cut)."""
    lines = 0
    for para in text.split('\n'):
        line = 0
        lines += 1
        for word in para.split(' '):
            w = cols(word)
            if line and line + 1 + w > width:
                lines += 1
                line = w
            else:
                line += (1 if line else 0) + w
            while line > width:
                lines += 1
                line -= width
    return lines


def message_problems(where, text):
    t = expand(text)
    out = []
    if '\n' in t.rstrip('\n'):
        for line in t.split('\n'):
            if cols(line) > CLI_WIDTH:
                out.append('%s: a line of %d columns (at most %d): %r'
                           % (where, cols(line), CLI_WIDTH, line))
        return out
    for word in t.split():
        if cols(word) > WORD_MAX:
            out.append('%s: the word %r is wider than %d columns: it '
                       'cannot wrap' % (where, word, WORD_MAX))
    n = wrap_lines(t.strip(), WIDTH)
    if n > LINES_MAX:
        out.append('%s: %d lines at %d columns (at most %d): %r'
                   % (where, n, WIDTH, LINES_MAX, text))
    return out


def place_of(root, refs, cache):
    """The one-line place (name, limit) a message is written to, found at
    its references in the sources; None for a message."""
    for ref in refs:
        path, _, line = ref.rpartition(':')
        if not line.isdigit():
            continue
        if path not in cache:
            try:
                with open(os.path.join(root, path), encoding='utf-8') as fh:
                    cache[path] = fh.read().split('\n')
            except OSError:
                cache[path] = []
        lines = cache[path]
        no = int(line) - 1
        around = ' '.join(lines[max(0, no - 2):no + 1])
        for name, pat, limit in PLACES:
            if pat.search(around):
                return name, limit
    return None


def table_labels(root):
    """{msgid: (place, limit)} for the labels of the domain, field and
    key tables, read from their sources; problems if a table's pattern
    finds nothing (the table changed shape: update the pattern)."""
    specs = [
        ('src/core/domain.c', 'label of a code',
         re.compile(r'\{\s*"[a-z_-]*",\s*N_\("((?:[^"\\]|\\.)*)"\)'),
         [LABEL_MAX]),
        ('src/core/intake.c', 'field label / field hint',
         re.compile(r'\{\s*TD_F_[A-Z_]+,\s*"[a-z_]+",\s*'
                    r'N_\("((?:[^"\\]|\\.)*)"\),\s*'
                    r'N_\("(?:[^"\\]|\\.)*"\),\s*'
                    r'N_\("((?:[^"\\]|\\.)*)"\)', re.S),
         [FIELD_LABEL_MAX, FIELD_HINT_MAX]),
        ('src/ui/actions.h', 'key label',
         re.compile(r'X\(\s*[A-Z0-9_]+,\s*"[a-z0-9_]+",\s*[A-Z_]+,\s*'
                    r'"[^"]*",\s*N_\("((?:[^"\\]|\\.)*)"\)'),
         [KEY_LABEL_MAX]),
    ]
    labels, problems = {}, []
    for path, what, pat, limits in specs:
        try:
            with open(os.path.join(root, path), encoding='utf-8') as fh:
                text = fh.read()
        except OSError as e:
            problems.append('%s: %s' % (path, e))
            continue
        found = pat.findall(text)
        if not found:
            problems.append('%s: no %s found: the table changed shape; '
                            'update po_widths.py' % (path, what))
        for m in found:
            for text_, limit in zip(m if isinstance(m, tuple) else (m,),
                                    limits):
                labels[po_complete.unquote(text_)] = (
                    '%s (%s)' % (what, path), limit)
    return labels, problems


def pot_entries(root, tmp):
    """(refs, fields) of each message the sources mark now."""
    pot = os.path.join(tmp, 'current.pot')
    res = subprocess.run(['xgettext', '--language=C',
                          *po_complete.keywords(root), '--from-code=UTF-8',
                          '--directory', root, '--files-from',
                          os.path.join(root, 'assets', 'po', 'POTFILES'),
                          '-o', pot], capture_output=True, text=True)
    if res.returncode != 0:
        raise SystemExit('xgettext failed:\n' + res.stderr)
    refs_at = {}
    with open(pot, encoding='utf-8') as fh:
        lines = fh.read().split('\n')
    refs = []
    for no, line in enumerate(lines, 1):
        if line.startswith('#:'):
            refs += line[2:].split()
        elif line.startswith('msgid '):
            refs_at[no] = refs
            refs = []
        elif not line.strip():
            refs = []
    for start, e in po_complete.po_entries(pot):
        if e['msgid']:
            yield refs_at.get(start, []), e


def main():
    root = sys.argv[1]
    if not shutil.which('xgettext'):
        print('xgettext not installed: skipped')
        return 77
    french = {}
    for _line, e in po_complete.po_entries(
            os.path.join(root, 'assets', 'po', 'fr.po')):
        forms = [v for k, v in sorted(e.items()) if k.startswith('msgstr')]
        french[(e.get('msgctxt'), e['msgid'])] = forms
    labels, problems = table_labels(root)
    cache = {}
    checked = 0
    with tempfile.TemporaryDirectory() as tmp:
        for refs, e in pot_entries(root, tmp):
            texts = [('en', e['msgid'])]
            if 'msgid_plural' in e:
                texts.append(('en', e['msgid_plural']))
            texts += [('fr', f) for f in
                      french.get((e.get('msgctxt'), e['msgid']), []) if f]
            place = labels.get(e['msgid']) or place_of(root, refs, cache)
            where = refs[0] if refs else '?'
            for lang, text in texts:
                checked += 1
                label = '%s [%s] %r' % (where, lang, e['msgid'][:50])
                if place:
                    w = cols(expand(text))
                    if w > place[1]:
                        problems.append('%s: %d columns in one line (%s: at '
                                        'most %d): %r' % (label, w, place[0],
                                                          place[1], text))
                else:
                    problems += message_problems(label, text)
    for p in problems:
        print(p)
    print('po_widths: %d texts, %d problem(s)' % (checked, len(problems)))
    return 1 if problems else 0


def self_test():
    assert cols('Désactiver') == 10 and cols('日本') == 4
    assert expand('%s: %ld %%') == 'x' * S_WIDTH + ': 123 %'
    assert wrap_lines('a ' * 50, 10) == 10
    assert message_problems('x', 'word ' * 200)
    assert message_problems('x', 'y' * 79)
    assert not message_problems('x', 'A short message, %s.')
    assert message_problems('x', 'Usage:\n' + 'z' * 81 + '\n')


if __name__ == '__main__':
    self_test()
    sys.exit(main())
