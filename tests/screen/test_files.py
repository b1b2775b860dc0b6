"""Files written safely (issue 13, point 5), as the command line writes
them: `export -o` and `report -o` never follow a planted link, refuse an
existing file unless --force, create it 0600, and leave nothing behind
when they fail.  The writer itself: tests/unit/test_outfile.c."""

import csv
import os
import resource
import stat
import subprocess


def _ok(res):
    assert res.returncode == 0, 'exit %d\nstdout: %s\nstderr: %s' % (
        res.returncode, res.stdout, res.stderr)
    return res


def _names(d):
    return sorted(os.listdir(d))


def _officer_site(app):
    app.setup_site(role='officer', site='COO')
    return app.db_args() + ['--lang', 'en']


def _import(app, db, n, description_len=0):
    """n dossiers through `totemdesk import`."""
    path = app.path('holders.csv')
    with open(path, 'w', newline='', encoding='utf-8') as fh:
        w = csv.writer(fh)
        w.writerow(['last_name', 'first_name', 'email', 'needs', 'consent',
                    'site', 'postcode', 'project_title', 'description'])
        for i in range(n):
            name = 'Nom' + ''.join(chr(97 + int(c)) for c in str(i))
            w.writerow([name, 'Prénom', 'p%d@exemple.fr' % i, 'funding', '1',
                        'MET', '57000', 'Projet', 'd' * description_len])
    _ok(app.cli('import', *db, path))
    os.unlink(path)


def test_planted_symlink_target_untouched(app):
    """A link planted where the export goes: refused as an existing file,
    and with --force replaced by the export; its target never written."""
    db = _officer_site(app)
    _import(app, db, 3)
    out_dir = app.path('out')
    os.mkdir(out_dir)
    victim = app.path('victim.txt')
    with open(victim, 'w') as fh:
        fh.write('precious\n')
    os.chmod(victim, 0o644)
    for cmd in (['export'], ['report', '--format', 'csv']):
        link = os.path.join(out_dir, cmd[0] + '.csv')
        os.symlink(victim, link)
        res = app.cli(*cmd, *db, '-o', link)
        assert res.returncode == 1, (cmd, res.returncode, res.stderr)
        assert link in res.stderr and '--force' in res.stderr, res.stderr
        assert open(victim).read() == 'precious\n'
        assert os.path.islink(link)
        _ok(app.cli(*cmd, *db, '-o', link, '--force'))
        assert open(victim).read() == 'precious\n', cmd
        assert stat.S_IMODE(os.stat(victim).st_mode) == 0o644
        assert not os.path.islink(link) and os.path.isfile(link)
        assert stat.S_IMODE(os.lstat(link).st_mode) == 0o600
        assert open(link, encoding='utf-8').read().count('\n') >= 2
    # Nothing else in the directory: no temporary file left.
    assert _names(out_dir) == ['export.csv', 'report.csv'], _names(out_dir)


def test_existing_file_refused_unless_force(app):
    db = _officer_site(app)
    _import(app, db, 2)
    out = app.path('dossiers.csv')
    with open(out, 'w') as fh:
        fh.write('an earlier export\n')
    os.chmod(out, 0o644)
    res = app.cli('export', *db, '-o', out)
    assert res.returncode == 1, (res.returncode, res.stderr)
    assert 'already exists' in res.stderr and '--force' in res.stderr
    assert open(out).read() == 'an earlier export\n'
    assert stat.S_IMODE(os.stat(out).st_mode) == 0o644
    res = _ok(app.cli('export', *db, '-o', out, '--force'))
    assert '2 dossiers written to' in res.stderr, res.stderr
    rows = list(csv.reader(open(out, newline='', encoding='utf-8')))
    assert len(rows) == 3, rows
    # The replaced file is a new one: the user's, 0600, not the old mode.
    st = os.stat(out)
    assert stat.S_IMODE(st.st_mode) == 0o600 and st.st_uid == os.getuid()
    # --force alone means nothing.
    for cmd in ('export', 'report'):
        res = app.cli(cmd, *db, '--force')
        assert res.returncode == 2 and '--force' in res.stderr, res.stderr


def _fsize_limit(n):
    def limit():
        resource.setrlimit(resource.RLIMIT_FSIZE, (n, n))
    return limit


def test_failure_leaves_nothing(app):
    """An export that fails while writing (here: a file-size limit, which
    fails writes as a full disk does) leaves no file, not even an empty
    one, and no temporary file; the message says why."""
    db = _officer_site(app)
    _import(app, db, 150, description_len=900)
    out_dir = app.path('out')
    os.mkdir(out_dir)
    out = os.path.join(out_dir, 'big.csv')
    env = dict(os.environ)
    env.update({k: v for k, v in app.env.items() if v is not None})
    env['LANG'] = env['LC_ALL'] = 'C'
    # Large enough for the database's own small writes at start-up, far
    # too small for 150 dossiers of 900-character descriptions.
    res = subprocess.run([app.exe, 'export', *db, '-o', out],
                         cwd=app.dir, env=env, stdout=subprocess.PIPE,
                         stderr=subprocess.PIPE, text=True, timeout=60,
                         preexec_fn=_fsize_limit(64 * 1024))
    assert res.returncode == 1, (res.returncode, res.stderr)
    assert out in res.stderr, res.stderr
    assert 'ulimit' in res.stderr or 'too large' in res.stderr, res.stderr
    assert _names(out_dir) == [], _names(out_dir)
    # Without the limit the same export works, in the same place.
    _ok(app.cli('export', *db, '-o', out))
    assert os.path.getsize(out) > 64 * 1024
    assert _names(out_dir) == ['big.csv']


def _queue_export(t, path):
    """x in the queue, plain CSV, the path typed: up to the answer."""
    t.send(b'x')
    t.wait_for('Export the rows shown as')
    t.send(b'1')
    t.wait_for('Export to file')
    t.key('^U')
    t.type(path)
    t.key('Enter')


def test_queue_export_asks_and_never_follows_a_link(app):
    """The queue's x onto a planted link: the screen asks before
    replacing; no keeps everything; yes replaces the link itself (0600),
    its target untouched.  Nothing is left beside it."""
    from test_queue import _officer, _open_queue
    _officer(app)
    victim = app.path('victim.txt')
    with open(victim, 'w') as fh:
        fh.write('precious\n')
    out_dir = app.path('out')
    os.mkdir(out_dir)
    link = os.path.join(out_dir, 'queue.csv')
    os.symlink(victim, link)
    t = app.run('--lang', 'en', rows=30, cols=100, term='vt100', lang='C')
    _open_queue(t)
    _queue_export(t, link)
    t.wait_for('exists. Replace it?')
    t.send(b'n')
    t.wait_gone('Replace it?')
    t.wait_settled()
    assert os.path.islink(link) and open(victim).read() == 'precious\n'
    _queue_export(t, link)
    t.wait_for('exists. Replace it?')
    t.send(b'y')
    t.wait_for('dossiers written to')
    assert open(victim).read() == 'precious\n'
    assert not os.path.islink(link)
    assert stat.S_IMODE(os.lstat(link).st_mode) == 0o600
    rows = list(csv.reader(open(link, newline='', encoding='utf-8')))
    assert len(rows) == 7, rows
    assert _names(out_dir) == ['queue.csv'], _names(out_dir)
    # Into a directory that does not exist: said, nothing made.
    _queue_export(t, os.path.join(out_dir, 'no', 'such.csv'))
    t.wait_for('does not exist')
    assert _names(out_dir) == ['queue.csv']
    t.key('Esc')
    t.wait_settled()
