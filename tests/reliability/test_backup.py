"""Backup and restore (issue 13, point 6) against the real binary, the
real configuration and real SQLite files.

test_backup_while_eight_desks_write: eight desks (tests/reliability/
writer.c, the form's own use case) save intakes as fast as they can; a
backup is taken in the middle; the backup restores with its integrity
checked and holds every save acknowledged before the backup started; and
the live database holds every acknowledged save once: 0 lost, 0 "another
terminal is writing", 0 duplicate references.  TD_WRITERS_SECONDS sets how
long the desks write (docs/reliability.md: the long runs).

Run by tests/screen/run_one.py (it hands `app`); the writer's path comes
in $TD_WRITER."""

import os
import re
import sqlite3
import subprocess
import threading
import time

import harness

WRITERS = 8


def _ok(res):
    assert res.returncode == 0, 'exit %d\nstdout: %s\nstderr: %s' % (
        res.returncode, res.stdout, res.stderr)
    return res


def _site(app, role='admin'):
    """A database and a configuration where the tester is role at MET."""
    db = app.path('site.db')
    if not os.path.exists(db):
        app.init_db('site.db')
    cfg = app.path('site.conf')
    with open(cfg, 'w', encoding='utf-8') as fh:
        fh.write('site = "MET";\ndatabase = "%s";\nusers = ( { login = "%s"; '
                 'name = "Test"; role = "%s"; site = "MET"; } );\n'
                 % (db, harness.login(), role))
    app.env['TOTEMDESK_CONFIG'] = cfg
    return cfg, db


def _refs(db):
    con = sqlite3.connect(db)
    try:
        return [r[0] for r in con.execute('SELECT reference FROM dossier')]
    finally:
        con.close()


class Writer:
    """One writer process; acks are (monotonic time, reference)."""

    def __init__(self, exe, cfg, seconds, tag, env):
        self.acks = []
        self.done = None
        self.proc = subprocess.Popen([exe, cfg, str(seconds), str(tag)],
                                     stdout=subprocess.PIPE,
                                     stderr=subprocess.PIPE, text=True,
                                     env=env)
        self.thread = threading.Thread(target=self._read, daemon=True)
        self.thread.start()

    def _read(self):
        for line in self.proc.stdout:
            now = time.monotonic()
            if line.startswith('ACK '):
                self.acks.append((now, line.split()[1]))
            elif line.startswith('DONE '):
                self.done = dict(kv.split('=') for kv in line.split()[1:])

    def wait(self, timeout):
        self.proc.wait(timeout=timeout)
        self.thread.join(timeout=10)
        return self.proc.stderr.read()


def _env(app):
    env = dict(os.environ)
    for k, v in app.env.items():
        if v is None:
            env.pop(k, None)
        else:
            env[k] = v
    # Real time: the writers' references are numbered per year.
    env.pop('TOTEMDESK_NOW', None)
    return env


def test_backup_while_eight_desks_write(app):
    # Under the sanitizers (TD_TEST_TIME_SCALE) everything is slower: the
    # writers run longer, so that the backup is still taken while they
    # write.
    seconds = float(os.environ.get('TD_WRITERS_SECONDS', '6')) * float(
        os.environ.get('TD_TEST_TIME_SCALE', '1'))
    exe = os.environ.get('TD_WRITER')
    assert exe and os.path.exists(exe), 'TD_WRITER names no writer program'
    cfg, db = _site(app)
    env = _env(app)
    early = app.path('early-backup.db')
    _ok(app.cli('backup', early, '--lang', 'en', env={'TOTEMDESK_NOW': None}))
    writers = [Writer(exe, cfg, seconds, i + 1, env) for i in range(WRITERS)]
    # Into the run, with every writer going.
    time.sleep(seconds * 0.4)

    # The database is open (the writers): a restore is refused, and
    # touches nothing.  Asked while they surely write: the backup below
    # may last as long as their run.
    running = sum(w.proc.poll() is None for w in writers)
    res = app.cli('restore', early, '--lang', 'en')
    assert res.returncode == 1 and 'in use' in res.stderr, (
        running, res.stderr)

    backup = app.path('site-backup.db')
    started = time.monotonic()
    res = app.cli('backup', backup, '--lang', 'en', env={'TOTEMDESK_NOW': None})
    taken = time.monotonic() - started
    _ok(res)
    before = {ref for w in writers for (t, ref) in w.acks if t < started}


    errors = [w.wait(seconds + 60) for w in writers]
    for w, e in zip(writers, errors):
        assert w.proc.returncode == 0 and w.done, (w.proc.returncode, e)
    busy = sum(int(w.done['busy']) for w in writers)
    print('saves per writer:', [int(w.done['saved']) for w in writers],
          'longest save (ms):', [int(w.done['wait']) for w in writers])
    failed = sum(int(w.done['failed']) for w in writers)
    acked = [ref for w in writers for (_, ref) in w.acks]
    assert busy == 0 and failed == 0, (busy, failed, errors)
    assert sum(int(w.done['saved']) for w in writers) == len(acked)

    # The live database: every acknowledged save, once.
    live = _refs(db)
    assert len(live) == len(set(live)), 'duplicate references'
    assert set(acked) == set(live), (len(acked), len(live))
    assert len(before) > 0, 'no save before the backup'

    # The backup: a file of its own, 0600, that restores with its
    # integrity checked and holds every save acknowledged before it.
    st = os.stat(backup)
    assert oct(st.st_mode & 0o777) == '0o600'
    assert not os.path.exists(backup + '-wal')
    restored = app.path('restored.db')
    _ok(app.cli('init', '--db', restored))
    res = _ok(app.cli('restore', '--db', restored, backup, '--lang', 'en'))
    assert 'restored into' in res.stderr, res.stderr
    res = _ok(app.cli('check', '--db', restored, '--lang', 'en'))
    assert re.search(r'(?m)^integrity: ok$', res.stdout), res.stdout
    got = set(_refs(restored))
    missing = before - got
    assert not missing, '%d saves acknowledged before the backup are ' \
        'missing from it: %s' % (len(missing), sorted(missing)[:5])
    assert got <= set(acked), 'the backup holds saves never acknowledged'
    con = sqlite3.connect(restored)
    actions = [r[0] for r in con.execute(
        'SELECT action FROM audit ORDER BY rowid DESC LIMIT 1')]
    con.close()
    assert actions == ['restore'], actions
    print('reliability: %d writers, %.1f s: %d saves acknowledged, %d of '
          'them before the backup (taken in %.2f s), %d in it; 0 lost, '
          '%d busy, %d failed, 0 duplicate references'
          % (WRITERS, seconds, len(acked), len(before), taken, len(got),
             busy, failed))


def test_backup_and_restore_refusals(app):
    """Who may (root always: the role refusals of other users are checked
    with real users, tests/system), what a backup must be, --keep and
    --force."""
    root = os.geteuid() == 0
    if not root:
        cfg, db = _site(app, role='officer')
        res = app.cli('backup', app.path('b.db'), '--lang', 'en')
        assert res.returncode == 3 and 'administrator' in res.stderr, \
            res.stderr
        assert not os.path.exists(app.path('b.db'))
    cfg, db = _site(app, role='admin')
    b = app.path('b.db')
    _ok(app.cli('backup', b))
    res = app.cli('backup', b, '--lang', 'en')
    assert res.returncode == 1 and '--force' in res.stderr, res.stderr
    _ok(app.cli('backup', b, '--force'))
    # --keep: a dated file in a folder, the N newest kept.
    folder = app.path('nightly')
    os.mkdir(folder)
    for name in ('totemdesk-2020-01-01T000000Z.db',
                 'totemdesk-2020-01-02T000000Z.db', 'notes.txt'):
        with open(os.path.join(folder, name), 'w') as fh:
            fh.write('x')
    res = _ok(app.cli('backup', '--keep', '2', folder, '--lang', 'en'))
    assert '1 older backup removed' in res.stderr, res.stderr
    names = sorted(os.listdir(folder))
    assert len(names) == 3 and names[0] == 'notes.txt', names
    assert names[1] == 'totemdesk-2020-01-02T000000Z.db', names
    assert re.match(r'totemdesk-\d{4}-\d\d-\d\dT\d{6}Z\.db$', names[2])
    for args in (['--keep', '0', folder], ['--keep', '2', b],
                 ['--keep', '2', '--force', folder]):
        res = app.cli('backup', *args)
        assert res.returncode == 2, (args, res.returncode, res.stderr)
    # Restore: not a totemdesk backup, a newer one, a damaged one.
    junk = app.path('junk.db')
    with open(junk, 'w') as fh:
        fh.write('not a database\n' * 100)
    res = app.cli('restore', junk, '--lang', 'en')
    assert res.returncode == 4 and 'not a totemdesk backup' in res.stderr, \
        res.stderr
    foreign = app.path('foreign.db')
    con = sqlite3.connect(foreign)
    con.execute('CREATE TABLE t(x)')
    con.commit()
    con.close()
    res = app.cli('restore', foreign, '--lang', 'en')
    assert res.returncode == 4, res.stderr
    newer = app.path('newer.db')
    _ok(app.cli('backup', newer))
    con = sqlite3.connect(newer)
    con.execute('PRAGMA user_version = 99')
    con.commit()
    con.close()
    res = app.cli('restore', newer, '--lang', 'en')
    assert res.returncode == 4 and '99' in res.stderr, res.stderr
    res = app.cli('restore', app.path('absent.db'), '--lang', 'en')
    assert res.returncode == 1 and 'absent.db' in res.stderr, res.stderr
    # The database is untouched by the refused restores, and restores
    # from a good backup.
    _ok(app.cli('check'))
    _ok(app.cli('restore', b))
    # Only administrators restore a personal desk's database.
    if not root:
        cfg, db = _site(app, role='officer')
        res = app.cli('restore', b, '--lang', 'en')
        assert res.returncode == 3, res.stderr
