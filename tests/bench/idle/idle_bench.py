#!/usr/bin/python3
"""What an idle desk costs: totemdesk left on the queue, measured from
/proc while nobody types, and how soon it shows another program's save.

    tests/bench/idle/idle_bench.py --exe build/totemdesk
                                   [--before OLD/totemdesk] [--seconds 30]
                                   [--rounds 2] [--dossiers 2000]

A benchmark, not a test: it prints figures and never fails.  For each
program (--before first when given, then --exe, alternating for --rounds
rounds, so that both see the same load), a mission officer opens the
queue of a database of --dossiers dossiers in an 80x24 vt100
pseudo-terminal; after 2 s of quiet it reads utime + stime
(/proc/PID/stat) and the voluntary context switches (/proc/PID/status:
each is a sleep ended by a wake-up) over --seconds seconds and prints
CPU % of one core and wake-ups a second.  Then another process renames
a dossier five times at random moments, and the time until the screen
shows it is printed (median and worst).  The load average comes first
and last: the machine is shared.
"""

import argparse
import os
import random
import sqlite3
import statistics
import sys
import time

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(os.path.dirname(os.path.dirname(HERE)))
sys.path.insert(0, os.path.join(ROOT, 'tests', 'screen'))
sys.path.insert(0, os.path.join(ROOT, 'tests', 'bench', 'term'))

import harness  # noqa: E402
import gen_db  # noqa: E402

TICK = os.sysconf('SC_CLK_TCK')


def cpu_ticks(pid):
    with open('/proc/%d/stat' % pid) as fh:
        f = fh.read().rsplit(')', 1)[1].split()
    return int(f[11]) + int(f[12])  # utime, stime (fields 14, 15)


def wakeups(pid):
    with open('/proc/%d/status' % pid) as fh:
        for line in fh:
            if line.startswith('voluntary_ctxt_switches:'):
                return int(line.split()[1])
    return 0


def loadavg():
    with open('/proc/loadavg') as fh:
        return ' '.join(fh.read().split()[:3])


def one_run(exe, db, seconds, rng):
    app = harness.App(exe)
    app.redraw_check = False
    app.db = db
    # A minimal configuration both versions read (the shipped example
    # gains settings an older program refuses).
    app.write_config(
        'site = "MET";\ndatabase = "%s";\nusers = (\n'
        '  { login = "%s"; name = "Idle Desk"; role = "officer";'
        ' site = "MET"; }\n);\n' % (db, harness.login()))
    t = app.run('--lang', 'en', rows=24, cols=80, term='vt100')
    try:
        t.wait_for('MET')
        t.wait_settled()
        t.send(b'o')
        t.wait_for('Queue:', timeout=30)
        t.wait_settled(quiet_ms=500)
        time.sleep(2)
        pid = t.proc.pid
        c0, w0, s0 = cpu_ticks(pid), wakeups(pid), time.monotonic()
        time.sleep(seconds)
        c1, w1, s1 = cpu_ticks(pid), wakeups(pid), time.monotonic()
        cpu = 100.0 * (c1 - c0) / TICK / (s1 - s0)
        wps = (w1 - w0) / (s1 - s0)
        # Another program's saves: the top dossier renamed.
        con = sqlite3.connect(db)
        ref = con.execute(
            'SELECT reference FROM dossier ORDER BY created_at DESC, id DESC'
            ' LIMIT 1').fetchone()[0]
        shows = []
        for i in range(5):
            time.sleep(rng.uniform(0.1, 1.5))
            name = 'Idle%d%04d' % (i, rng.randrange(10000))
            start = time.monotonic()
            con.execute(
                'UPDATE holder SET last_name = ? WHERE id = (SELECT'
                ' holder_id FROM dossier WHERE reference = ?)', (name, ref))
            con.commit()
            try:
                t.wait_for(name, timeout=10)
                shows.append(time.monotonic() - start)
            except harness.ScreenError:
                shows.append(float('inf'))
        con.close()
        return cpu, wps, shows
    finally:
        t.kill()
        app.db = None
        app.cleanup()


def main():
    ap = argparse.ArgumentParser(description=__doc__.split('\n')[0])
    ap.add_argument('--exe', required=True)
    ap.add_argument('--before', help='the program before the change')
    ap.add_argument('--seconds', type=float, default=30)
    ap.add_argument('--rounds', type=int, default=2)
    ap.add_argument('--dossiers', type=int, default=2000)
    a = ap.parse_args()

    rng = random.Random(10)
    work = harness.App(a.exe)
    progs = ([('before', a.before)] if a.before else []) + [('after', a.exe)]
    # A database for each program, made by it (schemas differ).
    dbs = {}
    for name, exe in progs:
        dbs[name] = work.path('idle-%s.db' % name)
        gen_db.generate(os.path.abspath(exe), dbs[name], a.dossiers, 50)
    print('idle desk on the queue, %d dossiers, %g s a run; load %s'
          % (a.dossiers, a.seconds, loadavg()))
    res = {name: [] for name, _ in progs}
    for r in range(a.rounds):
        for name, exe in progs:
            cpu, wps, shows = one_run(os.path.abspath(exe), dbs[name],
                                      a.seconds, rng)
            res[name].append((cpu, wps, shows))
            print('  round %d %-6s CPU %.3f %% of a core, %.2f wake-ups/s,'
                  ' save shown after %s s' % (
                      r + 1, name, cpu, wps,
                      ', '.join('%.2f' % s for s in shows)), flush=True)
    for name, _ in progs:
        cpus = [x[0] for x in res[name]]
        wps = [x[1] for x in res[name]]
        shows = [s for x in res[name] for s in x[2]]
        print('%-6s CPU %.3f-%.3f %%, wake-ups %.2f-%.2f /s, save shown'
              ' median %.2f s, worst %.2f s' % (
                  name, min(cpus), max(cpus), min(wps), max(wps),
                  statistics.median(shows), max(shows)))
    print('load %s' % loadavg())
    work.cleanup()


if __name__ == '__main__':
    main()
