#!/usr/bin/python3
"""Start-up of `totemdesk --demo`: from the exec to the last byte of the
first full screen (the home screen, over the 480 dossiers the demo
fills at every start), in a pseudo-terminal at 80x24.

    tests/bench/term/demo_start.py [--runs 10] EXE [EXE...]

Several executables (a build before a change and one after) are run
interleaved, one start of each in turn, so that a change of the
machine's load falls on all of them alike.  A benchmark: prints the
range and median per executable, never fails (docs/benchmarks.md).
"""

import argparse
import os
import resource
import statistics
import sys
import tempfile
import time

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(os.path.dirname(os.path.dirname(HERE)))
sys.path.insert(0, os.path.join(ROOT, 'tests', 'screen'))

import harness  # noqa: E402

HOME = 'What would you like to do?'


def cpu_children():
    r = resource.getrusage(resource.RUSAGE_CHILDREN)
    return r.ru_utime + r.ru_stime


def one(exe, tmp):
    """Wall time to the settled home screen, and the CPU time of the
    whole run (the process is reaped by close: start-up and quitting)."""
    env = {'TMPDIR': tmp, 'TOTEMDESK_CONFIG': None}
    c0 = cpu_children()
    t0 = time.monotonic()
    t = harness.Term([exe, '--demo', '--lang', 'en'], rows=24, cols=80,
                     term='xterm', lang='C.UTF-8', env=env, cwd=tmp)
    try:
        t.wait_for(HOME, timeout=60)
        t.wait_settled(quiet_ms=300, since=0, timeout=60)
        wall = t._last_rx - t0
    finally:
        t.close()
    return wall, cpu_children() - c0


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument('--runs', type=int, default=10)
    ap.add_argument('exe', nargs='+')
    a = ap.parse_args()
    times = {e: [] for e in a.exe}
    print('load average at the start: %.2f %.2f %.2f' % os.getloadavg())
    with tempfile.TemporaryDirectory() as tmp:
        for _ in range(a.runs):
            for e in a.exe:
                times[e].append(one(e, tmp))
    print('load average at the end: %.2f %.2f %.2f' % os.getloadavg())
    for e in a.exe:
        w = sorted(x[0] for x in times[e])
        c = sorted(x[1] for x in times[e])
        print('%s: %d starts, wall %.2f to %.2f s (median %.2f), CPU %.2f'
              ' to %.2f s (median %.2f)' % (
                  e, len(w), w[0], w[-1], statistics.median(w), c[0], c[-1],
                  statistics.median(c)))


if __name__ == '__main__':
    main()
