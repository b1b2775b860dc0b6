"""Killed imports are all or nothing (issue 13, "0 partial imports in 193
killed imports", held in CI by point 9), against the real binary and real
SQLite files.

test_kill_9_during_imports: `totemdesk import` of a sheet of ROWS rows
(500; 200 under sanitizers) is killed with SIGKILL at a random moment of
its run, round after round (TD_IMPORT_KILL_ROUNDS; 10 in the release
build, 3 under sanitizers, where TD_TEST_TIME_SCALE is set).  Each round imports a sheet of its own (other
names, e-mails, phones), so that rounds cannot hide each other.  After each
kill: the sheet's dossiers are all there or none of them (and its audit
entry with them), the database's integrity check is ok, and a re-run of
the same import ends cleanly -- the whole sheet imported when the kill
left none, or refused as already registered, nothing imported twice, when
the kill came after the commit.  The moment is drawn over the length of
the first, uninterrupted import of a sheet of the same size (up to its
commit and exit), so most kills land before the commit, many inside the
write transaction; a round whose import committed before its kill halves
that length for the next rounds (a loaded machine can make one import
twice as fast as another), so the rounds cannot all miss.

Run by tests/screen/run_one.py (it hands `app`).  Figures:
docs/reliability.md."""

import csv
import os
import random
import re
import signal
import sqlite3
import subprocess
import sys
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from test_backup import _env, _ok, _site  # noqa: E402

# Fewer rows under the sanitizers, where an import is ten times slower.
SCALE = float(os.environ.get('TD_TEST_TIME_SCALE', '1'))
ROWS = 500 if SCALE <= 1 else 200


def _sheet(app, tag):
    """A sheet of ROWS intakes whose e-mails end in @r<tag>.example."""
    path = app.path('round-%s.csv' % tag)
    with open(path, 'w', newline='', encoding='utf-8') as fh:
        w = csv.writer(fh)
        w.writerow(['last_name', 'first_name', 'email', 'phone', 'needs',
                    'consent', 'site', 'postcode', 'project_title',
                    'description'])
        for i in range(ROWS):
            name = 'Nom' + ''.join(chr(97 + int(c)) for c in '%s%04d' % (
                tag, i))
            w.writerow([name, 'Prénom', 'p%d@r%s.example' % (i, tag),
                        '03 87 %02d %02d %02d' % (int(tag) % 100, i // 100,
                                                  i % 100),
                        'funding', '1', 'MET', '57000',
                        'Projet %s-%d' % (tag, i), 'Import tué, ligne %d' % i])
    return path


def _state(db, tag):
    """(dossiers of round tag, audit entries of its import)."""
    con = sqlite3.connect(db)
    try:
        n = con.execute(
            "SELECT count(*) FROM dossier d JOIN holder h ON h.id ="
            " d.holder_id WHERE h.email LIKE ?",
            ('%%@r%s.example' % tag,)).fetchone()[0]
        a = con.execute(
            "SELECT count(*) FROM audit WHERE action = 'import' AND"
            " entity_id LIKE ?", ('%%round-%s.csv' % tag,)).fetchone()[0]
        return n, a
    finally:
        con.close()


def _import(app, env, path, *opts):
    return subprocess.Popen([app.exe, 'import', path, '--lang', 'en', *opts],
                            cwd=app.dir, env=env, stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE, text=True)


def test_kill_9_during_imports(app):
    rounds = int(os.environ.get('TD_IMPORT_KILL_ROUNDS',
                                '10' if SCALE <= 1 else '3'))
    rng = random.Random(int(os.environ.get('TD_KILL_SEED', '13')))
    cfg, db = _site(app)
    env = _env(app)

    # A whole import, timed: the kills are drawn over its length.  (A dry
    # run does the same work but for the commit, yet under the sanitizers
    # it outlasted the real import, so most kills came too late.)
    path = _sheet(app, '10')
    t0 = time.monotonic()
    _ok(app.cli('import', path, '--lang', 'en', timeout=300))
    whole = first = time.monotonic() - t0
    assert _state(db, '10') == (ROWS, 1)

    none = committed = finished = 0
    for r in range(rounds):
        tag = '%d' % (11 + r)
        path = _sheet(app, tag)
        p = _import(app, env, path)
        time.sleep(rng.uniform(0.1, 1.0) * whole)
        p.send_signal(signal.SIGKILL)
        out, err = p.communicate(timeout=60)
        if p.returncode != -signal.SIGKILL:
            finished += 1
        n, audits = _state(db, tag)
        # All or nothing, the audit entry with it.
        assert (n, audits) in ((0, 0), (ROWS, 1)), (
            'round %d: partial import: %d of %d dossiers, %d audit entries '
            '(exit %s)' % (r, n, ROWS, audits, p.returncode))
        res = _ok(app.cli('check', '--lang', 'en'))
        assert re.search(r'(?m)^integrity: ok$', res.stdout), res.stdout
        # The re-run ends cleanly.
        res = app.cli('import', path, '--lang', 'en', timeout=300)
        if n == 0:
            none += 1
            _ok(res)
            assert '%d dossiers imported' % ROWS in res.stdout, res.stdout
            assert _state(db, tag) == (ROWS, 1)
        else:
            committed += 1
            whole /= 2      # the next kills come earlier
            assert res.returncode == 2, (res.returncode, res.stderr)
            assert 'already registered' in res.stderr, res.stderr
            assert 'nothing imported' in res.stderr, res.stderr
            assert _state(db, tag) == (ROWS, 1)
        os.unlink(path)
    # The rounds must test something: kills that landed before the
    # commit, most of them by the draw.
    assert none > 0, (none, committed)
    refs = sqlite3.connect(db).execute(
        'SELECT count(*), count(DISTINCT reference) FROM dossier').fetchone()
    assert refs[0] == refs[1] == ROWS * (rounds + 1), refs
    print('reliability: kill -9 during imports: %d rounds of %d rows '
          '(a whole import %.2f s): %d killed before the commit (0 rows '
          'kept, the re-run imported all), %d after it (all kept, the re-run refused as already '
          'registered; %d had ended before the kill), 0 partial, '
          'integrity ok'
          % (rounds, ROWS, first, none, committed, finished))
