#!/usr/bin/python3
"""Bytes and latency per action on a thin terminal: totemdesk against
dialog, abook and calcurse, all driven in a pseudo-terminal and read
through the same terminal emulator (pyte, via tests/screen/harness.py).

    tests/bench/term/bench.py --exe build/totemdesk [--runs 20]
                              [--dossiers 100000] [--terms vt100,xterm-256color]
                              [--no-peers]

A benchmark, not a test: it prints figures and never fails on a slow
machine.  For each TERM at 80x24 it measures, per action, the bytes the
program wrote between the key and the settled screen (output quiet for
QUIET_MS) and the time from the key to the last byte of that answer
(median and p95 over --runs repetitions).  Start-up counts from the
exec to the last byte of the first full screen.  totemdesk runs on a
database of --dossiers dossiers (gen_db.py), peers on comparable data
(5,000-item dialog menu, 5,000 abook contacts, 5,000 calcurse todos).
Peak RSS of totemdesk comes from getrusage of its process.
"""

import argparse
import os
import re
import shutil
import statistics
import sys
import time

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(os.path.dirname(os.path.dirname(HERE)))
sys.path.insert(0, os.path.join(ROOT, 'tests', 'screen'))

import harness  # noqa: E402

sys.path.insert(0, HERE)
import gen_db  # noqa: E402

QUIET_MS = 120
ACTIONS = [
    ('startup', 'start-up to first full screen'),
    ('char', 'one character typed in a field'),
    ('next', 'next field'),
    ('down', 'down one row in a long list'),
    ('scroll', 'scroll one row at the bottom of a list'),
    ('pgdn', 'page down'),
    ('detail', 'open a detail view'),
    ('search', 'one search keystroke'),
    ('esc', 'Esc alone (back from the detail view)'),
    ('queue', 'open the queue (all dossiers)'),
]
TARGET_BYTES = {'startup': 1900, 'char': 6, 'next': 40, 'down': 100,
                'scroll': 100, 'pgdn': 1460}


class Result:
    def __init__(self):
        self.bytes = {}     # action -> bytes of one representative run
        self.times = {}     # action -> [seconds]
        self.notes = {}     # action -> why not measured / what was

    def add(self, action, nbytes, secs):
        if secs is None:
            self.notes.setdefault(action, 'no answer')
            return
        self.bytes.setdefault(action, []).append(nbytes)
        self.times.setdefault(action, []).append(secs)

    def nbytes(self, action):
        """Median bytes of an action, or None."""
        v = self.bytes.get(action)
        return int(statistics.median(v)) if v else None


def settle(t, mark, quiet_ms=QUIET_MS, timeout=10):
    """Wait for the answer to a key sent when bytes_received was mark;
    return (bytes, time of the last byte)."""
    t.wait_settled(quiet_ms=quiet_ms, since=mark, timeout=timeout)
    return t.bytes_received - mark, t._last_rx


def press(t, data, quiet_ms=QUIET_MS, timeout=2):
    """Send data, return (bytes written in answer, seconds to settle);
    (0, None) when the program does not answer within timeout."""
    mark = t.bytes_received
    t0 = time.monotonic()
    t.send(data)
    try:
        n, last = settle(t, mark, quiet_ms, timeout=timeout)
    except harness.ScreenError:
        return 0, None
    return n, max(0.0, last - t0)


def key(t, name):
    return harness.key_bytes(t.term, name)


def first_key(t, *names):
    """Bytes of the first of names the terminal has (PgDn, else ^F)."""
    for n in names:
        try:
            return key(t, n)
        except KeyError:
            continue
    raise KeyError(names)


def start(cmd, term, env, cwd, quiet_ms=300):
    t0 = time.monotonic()
    t = harness.Term(cmd, rows=24, cols=80, term=term, lang='C.UTF-8',
                     env=env, cwd=cwd)
    t.wait_settled(quiet_ms=quiet_ms, since=0, timeout=20)
    return t, t.bytes_received, t._last_rx - t0


# --- totemdesk -------------------------------------------------------------

def keymap_row(name):
    """Default keys of action `name` in the action table (src/ui/actions.h),
    or None: lets the benchmark pick up screens (the queue and its search)
    once they exist."""
    try:
        with open(os.path.join(ROOT, 'src', 'ui', 'actions.h'),
                  encoding='utf-8') as fh:
            src = fh.read()
    except OSError:
        return None
    m = re.search(r'X\(\s*\w+,\s*"%s",\s*\w+,\s*"([^"]*)"' % name, src)
    if not m:
        return None
    return [k.strip() for k in m.group(1).split(',')]


def td_key_bytes(t, spec):
    """Bytes for a key in keymap.c syntax."""
    if spec.startswith('^') and len(spec) == 2:
        return bytes([ord(spec[1].upper()) - 0x40])
    if spec in ('Enter', 'Tab', 'Esc', 'Space'):
        return harness.key_bytes(t.term, spec)
    if len(spec) == 1 or not spec.isalnum():
        return spec.encode()
    return harness.key_bytes(t.term, spec)


def write_config(app):
    """A minimal configuration of our own (the shipped example changes
    as features land): site MET, the generated database, this login."""
    app.write_config(
        'site = "MET";\ndatabase = "%s";\nusers = (\n'
        '  { login = "%s"; name = "Bench Desk"; role = "reception";'
        ' site = "MET"; }\n);\n' % (app.db, harness.login()))


def vm_hwm(pid):
    """Peak resident set of a running process, in kB (None if unknown)."""
    try:
        with open('/proc/%d/status' % pid, encoding='ascii') as fh:
            for line in fh:
                if line.startswith('VmHWM:'):
                    return int(line.split()[1])
    except OSError:
        pass
    return None


def bench_totemdesk(a, term, app, res):
    cmd = [app.exe, '--lang', 'en', '--db', app.db]
    env = dict(app.env)
    # A fixed clock, so that "today" holds the generated dossiers.
    for run in range(a.runs):
        t, n, secs = start(cmd, term, env, app.dir)
        t.wait_for('What would you like to do?')
        res.add('startup', n, secs)
        # Intake form: typed characters, next field.
        press(t, b'n')
        for ch in 'Lefevre':
            res.add('char', *press(t, ch.encode()))
        for _ in range(3):
            res.add('next', *press(t, key(t, 'Tab')))
        # Back to the first field, then leave the form (asks: yes).
        press(t, b'\x10' * 3)
        press(t, b'\x1b', quiet_ms=200)
        press(t, b'y')
        # Today's list: 2,000 dossiers registered today by gen_db.
        press(t, b't')
        nrows = 24 - 5
        for _ in range(6):
            res.add('down', *press(t, key(t, 'Down')))
        # To the bottom row of the page, then each Down scrolls.
        for _ in range(nrows - 1 - 6):
            press(t, key(t, 'Down'))
        for _ in range(5):
            res.add('scroll', *press(t, key(t, 'Down')))
        for _ in range(3):
            res.add('pgdn', *press(t, first_key(t, 'PgDn', 'C-F')))
        res.add('detail', *press(t, b'\r'))
        res.add('esc', *press(t, b'\x1b', quiet_ms=200))
        press(t, b'\x1b', quiet_ms=200)
        # Search: the queue's search as you type, once it exists.
        qkeys = keymap_row('queue')
        skeys = keymap_row('queue_search') or keymap_row('search')
        if not (qkeys and skeys):
            res.notes['search'] = 'no search screen yet'
        else:
            n, secs = press(t, td_key_bytes(t, qkeys[0]), quiet_ms=300,
                            timeout=60)
            res.add('queue', n, secs)
            if press(t, td_key_bytes(t, skeys[0]))[1] is None:
                res.notes['search'] = 'search key does nothing'
            else:
                for ch in 'mar':
                    res.add('search', *press(t, ch.encode()))
                press(t, b'\x1b', quiet_ms=200)
            press(t, b'\x1b', quiet_ms=200)
        rss = vm_hwm(t.proc.pid)
        if rss:
            res.rss = max(getattr(res, 'rss', 0), rss)
        t.send(b'q')
        t.wait_exit(timeout=10)
        t.close()
    return res


# --- peers -------------------------------------------------------------------

def peer_data(d):
    """5,000 abook contacts, 5,000 calcurse todos, 5,000 menu items."""
    import random
    r = random.Random(1)
    last = ['Martin', 'Bernard', 'Thomas', 'Petit', 'Robert', 'Richard',
            'Durand', 'Dubois', 'Moreau', 'Laurent']
    first = ['Lucie', 'Hugo', 'Emma', 'Louis', 'Chloe', 'Jules', 'Lea']
    with open(os.path.join(d, 'abook.data'), 'w', encoding='utf-8') as f:
        f.write('[format]\nprogram=abook\nversion=0.6.1\n\n')
        for i in range(5000):
            f.write('[%d]\nname=%s %s %d\nemail=c%d@exemple.fr\n'
                    'phone=06%08d\ncity=Metz\n\n'
                    % (i, r.choice(first), r.choice(last), i, i,
                       r.randrange(10 ** 8)))
    os.makedirs(os.path.join(d, 'cal'), exist_ok=True)
    with open(os.path.join(d, 'cal', 'todo'), 'w', encoding='utf-8') as f:
        for i in range(5000):
            f.write('[%d] Dossier %05d %s %s\n'
                    % (i % 10, i, r.choice(first), r.choice(last)))
    open(os.path.join(d, 'cal', 'apts'), 'w').close()
    menu = []
    for i in range(5000):
        menu += ['%05d' % i, '%s %s' % (r.choice(first), r.choice(last))]
    return menu


def bench_dialog(a, term, d, menu, res):
    form = ['dialog', '--form', 'Intake', '20', '70', '10']
    for i, label in enumerate(['Last name:', 'First name:', 'E-mail:',
                               'Phone:', 'City:']):
        form += [label, str(i + 1), '1', '', str(i + 1), '14', '40', '0']
    env = {'HOME': d}
    for _ in range(a.runs):
        t, n, secs = start(form, term, env, d)
        res.add('startup', n, secs)
        for ch in 'Lefevre':
            res.add('char', *press(t, ch.encode()))
        for _ in range(3):
            res.add('next', *press(t, key(t, 'Down')))
        t.kill()
        t, n, secs = start(['dialog', '--menu', 'Pick', '20', '70', '12']
                           + menu, term, env, d)
        res.add('startup_menu', n, secs)
        for _ in range(6):
            res.add('down', *press(t, key(t, 'Down')))
        for _ in range(12 - 1 - 6):
            press(t, key(t, 'Down'))
        for _ in range(5):
            res.add('scroll', *press(t, key(t, 'Down')))
        try:
            pg = key(t, 'PgDn')
        except KeyError:
            res.notes['pgdn'] = 'no PgDn key on %s' % term
        else:
            for _ in range(3):
                res.add('pgdn', *press(t, pg))
        t.kill()
    res.notes.setdefault('detail', 'n/a')
    res.notes.setdefault('search', 'n/a')
    return res


def bench_abook(a, term, d, res):
    cmd = ['abook', '--datafile', os.path.join(d, 'abook.data'),
           '--config', '/dev/null']
    for _ in range(a.runs):
        t, n, secs = start(cmd, term, {'HOME': d}, d)
        res.add('startup', n, secs)
        for _ in range(6):
            res.add('down', *press(t, key(t, 'Down')))
        for _ in range(19 - 1 - 6):
            press(t, key(t, 'Down'))
        for _ in range(5):
            res.add('scroll', *press(t, key(t, 'Down')))
        try:
            pg = key(t, 'PgDn')
        except KeyError:
            res.notes['pgdn'] = 'no PgDn key on %s' % term
        else:
            for _ in range(3):
                res.add('pgdn', *press(t, pg))
        res.add('detail', *press(t, b'\r'))
        press(t, b'q')
        # Search prompt: typing there is abook's only "field" on this
        # screen, and its search is not incremental.
        press(t, b'/')
        for ch in 'mar':
            n, secs = press(t, ch.encode())
            res.add('search', n, secs)
            res.add('char', n, secs)
        t.kill()
    res.notes.setdefault('next', 'n/a')
    return res


def bench_calcurse(a, term, d, res):
    cmd = ['calcurse', '-D', os.path.join(d, 'cal')]
    for _ in range(a.runs):
        t, n, secs = start(cmd, term, {'HOME': d}, d)
        res.add('startup', n, secs)
        press(t, b'\t')
        press(t, b'\t')                 # to the todo panel (5 rows)
        for _ in range(4):
            res.add('down', *press(t, b'j'))
        for _ in range(5):
            res.add('scroll', *press(t, b'j'))
        res.add('detail', *press(t, b'v'))
        press(t, b' ')
        press(t, b'a')                   # add a todo: a prompt
        for ch in 'Lefevre':
            res.add('char', *press(t, ch.encode()))
        press(t, b'\x1b', quiet_ms=200)
        t.kill()
    res.notes.setdefault('pgdn', 'no page key in the todo panel')
    res.notes.setdefault('next', 'n/a')
    res.notes.setdefault('search', 'n/a')
    return res


# --- slow line -------------------------------------------------------------

def bench_slow(app):
    """Intake journey behind a 9600-baud line (test_matrix_slow)."""
    import test_matrix_slow as slow
    app.redraw_check = False        # measure the program, not the tests
    t = slow.run_slow(app)
    secs, nbytes = slow.typed_ahead_journey(t)
    t.kill()
    t = slow.run_slow(app)
    t0 = time.monotonic()
    every = slow.key_by_key_journey(t)
    secs_kbk = time.monotonic() - t0
    t.kill()
    return secs, nbytes, secs_kbk, every


# --- output ----------------------------------------------------------------

def p95(xs):
    xs = sorted(xs)
    return xs[min(len(xs) - 1, int(round(0.95 * (len(xs) - 1))))]


def fmt_ms(xs):
    if not xs:
        return '-'
    return '%.1f / %.1f' % (statistics.median(xs) * 1000, p95(xs) * 1000)


def table(term, results):
    """Markdown table: bytes per action, ratio to totemdesk."""
    names = list(results)
    td = results['totemdesk']
    out = ['### TERM=%s, 80x24' % term, '',
           '| action | ' + ' | '.join(names[1:]) + ' | totemdesk | target'
           ' | totemdesk ms (median / p95) |',
           '|---|' + '---:|' * (len(names) + 1) + '---:|']
    for act, label in ACTIONS:
        cells = []
        mine = td.nbytes(act)
        for n in names[1:]:
            r = results[n]
            b = r.nbytes(act)
            if act == 'startup' and n == 'dialog':
                b = r.nbytes('startup')
            if b is None:
                cells.append(r.notes.get(act, 'n/a'))
            elif mine:
                cells.append('%d (x%.3g)' % (b, b / mine))
            else:
                cells.append('%d' % b)
        tgt = TARGET_BYTES.get(act)
        mark = ''
        if tgt and mine is not None and term == 'vt100':
            mark = ' ok' if mine <= tgt else ' **missed**'
        out.append('| %s | %s | %s | %s | %s |' % (
            label, ' | '.join(cells),
            mine if mine is not None else td.notes.get(act, '-'),
            ('<= %d%s' % (tgt, mark)) if tgt else '',
            fmt_ms(td.times.get(act, []))))
    out.append('')
    out.append('(xN: peer bytes / totemdesk bytes; peers: dialog form and '
               '5,000-item menu, abook 5,000 contacts, calcurse 5,000 '
               'todos; dialog menu start-up: %s bytes)'
               % results['dialog'].nbytes('startup_menu')
               if 'dialog' in results else '')
    return '\n'.join(out)


def main():
    ap = argparse.ArgumentParser(description=__doc__.split('\n')[0])
    ap.add_argument('--exe', default=os.path.join(ROOT, 'build', 'totemdesk'))
    ap.add_argument('--runs', type=int, default=5)
    ap.add_argument('--dossiers', type=int, default=100000)
    ap.add_argument('--terms', default='vt100,xterm-256color')
    ap.add_argument('--no-peers', action='store_true')
    ap.add_argument('--slow', action='store_true',
                    help='also time the intake journey at 9600 baud')
    ap.add_argument('--db', help='reuse this generated database')
    a = ap.parse_args()

    app = harness.App(a.exe)
    peers = [p for p in ('dialog', 'abook', 'calcurse')
             if not a.no_peers and shutil.which(p)]
    try:
        db = a.db or app.path('bench.db')
        if not a.db:
            t0 = time.monotonic()
            gen_db.generate(app.exe, db, a.dossiers, 2000)
            print('generated %d dossiers in %.1f s' % (
                a.dossiers, time.monotonic() - t0))
        app.db = db
        write_config(app)
        menu = peer_data(app.dir) if peers else []
        rss = 0
        for term in a.terms.split(','):
            results = {'totemdesk': bench_totemdesk(a, term, app, Result())}
            rss = max(rss, getattr(results['totemdesk'], 'rss', 0))
            for p in peers:
                if p == 'dialog':
                    results[p] = bench_dialog(a, term, app.dir, menu,
                                              Result())
                elif p == 'abook':
                    results[p] = bench_abook(a, term, app.dir, Result())
                else:
                    results[p] = bench_calcurse(a, term, app.dir, Result())
            order = ['totemdesk'] + peers
            print(table(term, {n: results[n] for n in order}))
            print()
        print('totemdesk peak RSS (VmHWM): %.1f MB (target < 12 MB)'
              % (rss / 1024))
        if a.slow:
            app2 = harness.App(a.exe)
            try:
                sys.path.insert(0, os.path.join(ROOT, 'tests', 'screen'))
                import test_matrix
                test_matrix.site(app2, today=1)
                secs, nb, secs_kbk, every = bench_slow(app2)
            finally:
                app2.cleanup()
            print('9600 baud, vt100 80x24, intake journey (home, 12 fields,'
                  ' save): typed ahead %.1f s / %d bytes; key by key %.1f s'
                  ' / %d bytes' % (secs, nb, secs_kbk, every))
    finally:
        app.cleanup()


if __name__ == '__main__':
    main()
