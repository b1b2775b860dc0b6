#!/usr/bin/python3
"""Bytes a vt100 80x24 line carries in every list of totemdesk: scroll one
row at the bottom of the page, page down, open a detail, back.

    tests/bench/term/lists.py --exe build/totemdesk [--before OLD/totemdesk]

A benchmark, not a test: it prints figures and never fails.  Lists:
today's intakes and the queue of a reception desk (one site, 200
dossiers registered today, tests/screen/test_matrix.py's site), and on
`--demo` (a mission officer) the queue of all sites, the partners and
the agenda.  Bytes are deterministic for a given screen: one run each,
the largest of three scrolls and of two pages.  With --before, both
programs are measured, the old one first.
"""

import argparse
import os
import re
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(os.path.dirname(os.path.dirname(HERE)))
sys.path.insert(0, os.path.join(ROOT, 'tests', 'screen'))

import harness  # noqa: E402
import test_matrix  # noqa: E402

ROWS = {'today': 19, 'queue': 18, 'partners': 18, 'agenda': 19}


DUMP = []  # (list, action, bytes written, screen after) with --dump


def answer(t, data, quiet_ms=150, what=None):
    mark = t.bytes_received
    raw = len(t.raw())
    t.send(data)
    t.wait_settled(since=mark, quiet_ms=quiet_ms)
    if what:
        DUMP.append(what + (t.raw()[raw:], t.screen_text()))
    return t.bytes_received - mark


def annotate(b):
    """A byte stream made readable: escapes named, text kept."""
    out = b.replace(b'\x1b', b'\\e')
    out = out.replace(b'\x0f', b'\\017').replace(b'\x0e', b'\\016')
    out = out.replace(b'\r', b'\\r').replace(b'\n', b'\\n\n')
    out = out.replace(b'\x08', b'\\b')
    return out.decode('latin-1')


def measure(t, key, rows, wait, name=''):
    """Open the list with key, then scroll, page, open, back."""
    down = harness.key_bytes('vt100', 'Down')
    out = {'open': answer(t, key, quiet_ms=300)}
    t.wait_for(wait)
    t.wait_settled()
    for _ in range(rows - 1):
        answer(t, down)
    out['scroll'] = max(answer(t, down, what=(name, 'scroll %d' % i))
                        for i in range(3))
    out['pgdn'] = max(answer(t, b'\x06', what=(name, 'pgdn %d' % i))
                      for i in range(2))
    out['detail'] = answer(t, b'\r', quiet_ms=300, what=(name, 'detail'))
    out['back'] = answer(t, b'\x1b', quiet_ms=300)
    t.key('Esc')
    test_matrix.wait_home(t)
    return out


def run(exe):
    res = {}
    app = harness.App(exe)
    app.redraw_check = False
    try:
        test_matrix.site(app)
        t = app.run(rows=24, cols=80, term='vt100', lang='C')
        test_matrix.wait_home(t)
        res['today (reception)'] = measure(t, b't', ROWS['today'], 'MET-', 'today')
        res['queue (reception, one site)'] = measure(
            t, b'o', ROWS['queue'], 'MET-', 'queue-site')
        t.send(b'q')
        t.wait_exit(timeout=10)
        t = app.run('--demo', rows=24, cols=80, term='vt100', lang='C')
        test_matrix.wait_home(t)
        res['queue (officer, all sites, --demo)'] = measure(
            t, b'o', ROWS['queue'], '-2026-', 'queue-all')
        res['partners (--demo)'] = measure(
            t, b'p', ROWS['partners'], re.compile('Partenaires|Partners'),
            'partners')
        res['agenda (--demo)'] = measure(t, b'a', ROWS['agenda'], 'Agenda',
                                        'agenda')
        t.send(b'q')
        t.wait_exit(timeout=10)
    finally:
        app.cleanup()
    return res


def main():
    ap = argparse.ArgumentParser(description=__doc__.split('\n')[0])
    ap.add_argument('--exe', default=os.path.join(ROOT, 'build', 'totemdesk'))
    ap.add_argument('--before')
    ap.add_argument('--dump', metavar='FILE',
                    help='write every scroll, page and detail of the last'
                    ' program: its bytes, annotated, and the screen after')
    a = ap.parse_args()
    progs = ([('before', a.before)] if a.before else []) + [('after', a.exe)]
    res = {name: run(os.path.abspath(exe)) for name, exe in progs}
    cols = ['open', 'scroll', 'pgdn', 'detail', 'back']
    print('| list | ' + ' | '.join(
        '%s %s' % (c, n) if a.before else c
        for c in cols for n, _ in progs) + ' |')
    print('|---|' + '---:|' * (len(cols) * len(progs)))
    for lst in res['after']:
        print('| %s | %s |' % (lst, ' | '.join(
            str(res[n][lst][c]) for c in cols for n, _ in progs)))
    if a.dump:
        with open(a.dump, 'w') as f:
            for lst, what, raw, screen in DUMP[-len(DUMP) // len(progs):]:
                f.write('==== %s, %s: %d bytes\n%s\n---- screen after\n%s\n'
                        % (lst, what, len(raw), annotate(raw),
                           '\n'.join('|%s|' % r for r in screen)))


if __name__ == '__main__':
    main()
