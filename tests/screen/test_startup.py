"""Start-up and bad surroundings (issue 13, point 7): an empty database
file, configuration mistakes reported before the database is touched, a
missing `site`, and a file-size limit at the desk.  The read-only -shm
and the lock of the desks: tests/unit/test_dbfile.c."""

import os
import re
import resource
import sqlite3
import stat
import harness

ENGLISH = ['--lang', 'en']


def _ok(res):
    assert res.returncode == 0, 'exit %d\nstdout: %s\nstderr: %s' % (
        res.returncode, res.stdout, res.stderr)
    return res


def test_empty_database_refused(app):
    """A 0-byte file is not a totemdesk database: refused (exit 4) by the
    commands and by the screens, and left exactly as it was."""
    app.write_config(role='officer', site='COO')
    open(app.db, 'w').close()
    os.chmod(app.db, 0o644)
    for cmd in (['export'], ['check'], ['report'], ['referral', 'list']):
        res = app.cli(*cmd, *ENGLISH)
        assert res.returncode == 4, (cmd, res.returncode, res.stderr)
        assert app.db in res.stderr and 'empty' in res.stderr, res.stderr
    t = app.run(*ENGLISH)
    assert t.wait_exit(timeout=10) == 4
    assert 'empty' in t.text()
    st = os.stat(app.db)
    assert st.st_size == 0 and stat.S_IMODE(st.st_mode) == 0o644
    assert not os.path.exists(app.db + '-wal')


def _example_with(**replace):
    """The shipped example configuration with lines replaced."""
    path = os.path.join(harness.source_root(), 'config', 'totemdesk.conf')
    with open(path, encoding='utf-8') as fh:
        text = fh.read()
    for old, new in replace.items():
        assert old in text, old
        text = text.replace(old, new)
    return text


def _line_of(path, needle):
    with open(path, encoding='utf-8') as fh:
        for n, line in enumerate(fh, 1):
            if needle in line:
                return n
    raise AssertionError('%s not in %s' % (needle, path))


def test_config_errors_before_the_database(app):
    """A bad key binding (ui.keys, parsed by the screens) stops every
    command and the screens with FILE:LINE and exit 2, before the
    database is looked at: a database newer than the program would have
    given exit 4, and `init` creates nothing."""
    db = app.init_db()
    con = sqlite3.connect(db)
    con.execute('PRAGMA user_version = 42')
    con.commit()
    con.close()
    cfg = app.write_config(_example_with(**{
        '# save = "F2, ^O";': 'save = "F13";'}))
    cfg_text = open(cfg, encoding='utf-8').read()
    cfg_text = cfg_text.replace('users = (', 'users = (\n  { login = "%s"; '
                                'name = "T"; role = "officer"; site = "COO"; },'
                                % harness.login(), 1)
    with open(cfg, 'w', encoding='utf-8') as fh:
        fh.write(cfg_text)
    line = _line_of(cfg, 'save = "F13"')
    where = 'totemdesk.conf:%d:' % line
    for cmd in (['export'], ['check'], ['report'], ['partners', 'export']):
        res = app.cli(*cmd, '--db', db, *ENGLISH)
        assert res.returncode == 2, (cmd, res.returncode, res.stderr)
        assert where in res.stderr and 'F13' in res.stderr, res.stderr
    new = app.path('new.db')
    res = app.cli('init', '--db', new, *ENGLISH)
    assert res.returncode == 2 and where in res.stderr, res.stderr
    assert not os.path.exists(new)
    t = app.run('--db', db, *ENGLISH)
    assert t.wait_exit(timeout=10) == 2
    assert 'F13' in t.text()


def test_routing_mistake_leaves_the_database_alone(app):
    """A routing rule naming a partner the directory lacks is found in
    the database, but read-only: nothing is written before the program
    stops (exit 2, FILE:LINE)."""
    db = app.init_db()
    cfg = app.write_config(role='officer', site='COO')
    text = open(cfg, encoding='utf-8').read()
    m = re.search(r'(?m)^\s*partner\s*=\s*"([a-z0-9-]+)"', text)
    assert m, 'the example configuration has no routing rule naming a partner'
    text = text.replace(m.group(0), 'partner = "no-such-partner"', 1)
    with open(cfg, 'w', encoding='utf-8') as fh:
        fh.write(text)
    before = open(db, 'rb').read()
    res = app.cli('export', '--db', db, *ENGLISH)
    assert res.returncode == 2, (res.returncode, res.stderr)
    assert 'no-such-partner' in res.stderr
    assert re.search(r'totemdesk\.conf:\d+:', res.stderr), res.stderr
    assert open(db, 'rb').read() == before
    con = sqlite3.connect(db)
    users = con.execute('SELECT count(*) FROM app_user').fetchone()[0]
    con.close()
    assert users == 0, 'the configuration was copied into the database'


def test_init_and_check_read_the_configuration(app):
    """`init` and `check` read and check the configuration like every
    other command, also with --db."""
    missing = app.path('missing.conf')
    new = app.path('new.db')
    for cmd in (['init'], ['check']):
        res = app.cli('--config', missing, *cmd, '--db', new, *ENGLISH)
        assert res.returncode == 2, (cmd, res.returncode, res.stderr)
        assert 'missing.conf' in res.stderr
        assert not os.path.exists(new)
    bad = app.path('bad.conf')
    with open(bad, 'w') as fh:
        fh.write('site = "MET";\nnonsense = 1;\n')
    res = app.cli('--config', bad, 'init', '--db', new, *ENGLISH)
    assert res.returncode == 2 and 'bad.conf:2:' in res.stderr, res.stderr
    assert not os.path.exists(new)


def test_missing_site_names_file_and_line(app):
    app.init_db()
    cfg = app.write_config(_example_with(**{'site = "MET";': ''}))
    res = app.cli('check', *app.db_args(), *ENGLISH)
    assert res.returncode == 2, (res.returncode, res.stderr)
    assert cfg + ':1: setting "site" is missing' in res.stderr, res.stderr
    assert 'site = "THI"' in res.stderr, res.stderr
    # Missing in a user's entry: the line of that entry.
    text = _example_with(**{
        'users = (': 'users = (\n  { login = "nobody1"; name = "N"; role = "officer"; },'})
    cfg = app.write_config(text)
    res = app.cli('check', *app.db_args(), *ENGLISH)
    line = _line_of(cfg, 'login = "nobody1"')
    assert '%s:%d: setting "site" is missing' % (cfg, line) in res.stderr, \
        res.stderr


def test_file_size_limit_is_a_full_disk(app):
    """`ulimit -f` reached while saving: the desk is not killed by SIGXFSZ;
    it says the save failed as on a full disk, the form keeps what was
    typed, and the save works once the limit is raised."""
    from test_intake import _fill, _save_and_check
    app.setup_site()
    t = app.run(term='vt100', lang='C', cols=200)
    t.wait_for('MET')
    t.wait_settled()
    t.send(b'n')
    t.wait_settled(quiet_ms=150)
    _fill(t)
    # From now on no file of the desk may grow by a byte (the soft limit
    # only: raising a hard limit again needs CAP_SYS_RESOURCE).
    hard = resource.prlimit(t.proc.pid, resource.RLIMIT_FSIZE)[1]
    resource.prlimit(t.proc.pid, resource.RLIMIT_FSIZE, (0, hard))
    mark = t.bytes_received
    t.key('F2')
    t.wait_for('ulimit', timeout=10)
    t.wait_settled(since=mark)
    assert t.alive(), 'the desk died'
    assert t.find('Lefevre') is not None, 'form lost' + t.dump()
    resource.prlimit(t.proc.pid, resource.RLIMIT_FSIZE, (hard, hard))
    _save_and_check(app, t)
