"""The command line as scripts and cron see it: exit codes, messages on
stderr, init/check/export, and bad input (unwritable paths, bad options,
bad configuration).  No terminal involved."""

import csv
import io
import json
import os
import re
import sqlite3
import stat


def _ok(res):
    assert res.returncode == 0, 'exit %d\nstdout: %s\nstderr: %s' % (
        res.returncode, res.stdout, res.stderr)
    return res


def test_help_and_version(app):
    res = _ok(app.cli('--help'))
    for word in ('--config', '--db', '--site', '--lang', '--no-color',
                 '--demo', '--help', '--version', 'init', 'check', 'export',
                 '--format', '--status', '--since', '--output'):
        assert word in res.stdout, '%s missing from --help' % word
    assert res.stderr == ''
    res = _ok(app.cli('--version'))
    assert res.stdout.startswith('totemdesk ')
    # English on request, French by default.
    en = _ok(app.cli('--help', '--lang', 'en')).stdout
    assert 'Usage:' in en


def test_usage_errors_exit_2(app):
    for args, word in ((['--bogus'], '--bogus'),
                       (['frobnicate'], 'frobnicate'),
                       (['--lang', 'de'], 'de'),
                       (['export', '--format', 'xml'], 'xml'),
                       (['export', '--status', 'lost'], 'lost'),
                       (['init', '--format', 'csv'], '--format'),
                       # after "--" all are arguments: "-x" is the ID
                       (['--lang', 'en', 'referral', 'text', '--', '-x', 'y'],
                        'unexpected argument "y"'),
                       (['--db'], '--db')):
        res = app.cli(*args)
        assert res.returncode == 2, (args, res.returncode, res.stderr)
        assert word in res.stderr, (args, res.stderr)
        assert res.stdout == ''


def test_init_check_and_refusal(app):
    db = app.path('site.db')
    res = _ok(app.cli('init', '--db', db))
    assert db in res.stdout
    assert stat.S_IMODE(os.stat(db).st_mode) == 0o600
    con = sqlite3.connect(db)
    n = con.execute('SELECT count(*) FROM partner').fetchone()[0]
    src = con.execute("SELECT source FROM partner WHERE id = 'totem-metz-bliiida'").fetchone()[0]
    con.close()
    assert n == 46, n
    assert src.startswith('https://paperjam.lu/'), src
    before = open(db, 'rb').read()
    res = app.cli('init', '--db', db)
    assert res.returncode == 1, res.returncode
    assert db in res.stderr
    assert open(db, 'rb').read() == before, 'init touched an existing file'
    res = _ok(app.cli('check', '--db', db))
    # "schema version: N (this program: N)", in either language.
    line = [l for l in res.stdout.splitlines() if 'sch' in l][0]
    nums = re.findall(r'\d+', line)
    assert len(nums) == 2 and nums[0] == nums[1], res.stdout
    assert 'ok' in res.stdout


def test_unwritable_or_missing_paths(app):
    res = app.cli('init', '--db', app.path('no/such/dir/x.db'))
    assert res.returncode == 1
    assert 'no/such/dir' in res.stderr, res.stderr
    res = app.cli('check', '--db', app.path('absent.db'))
    assert res.returncode != 0
    assert 'absent.db' in res.stderr
    # Not a database at all.
    junk = app.path('junk.db')
    with open(junk, 'w') as fh:
        fh.write('this is not sqlite\n' * 100)
    res = app.cli('check', '--db', junk)
    assert res.returncode == 4, (res.returncode, res.stderr)
    assert 'junk.db' in res.stderr


def test_newer_schema_refused(app):
    db = app.init_db()
    con = sqlite3.connect(db)
    con.execute('PRAGMA user_version = 42')
    con.commit()
    con.close()
    res = app.cli('export', '--db', db)
    assert res.returncode == 4, (res.returncode, res.stderr)
    assert '42' in res.stderr


def test_config_errors_name_file_and_line(app):
    app.init_db()
    cfg = app.write_config('site = "MET";\n\nsites = ( { code = "MET"; name = "Metz"; } );\n'
                           'users = ( { login = "x"; name = "X"; role = "officer"; site = "MTZ"; } );\n',
                           role=None)
    res = app.cli('export', *app.db_args())
    assert res.returncode == 2, res.returncode
    assert res.stderr.strip().endswith('totemdesk.conf:4: site "MTZ" is not defined') \
        or ('totemdesk.conf:4:' in res.stderr and 'MTZ' in res.stderr), res.stderr
    assert cfg in res.stderr


def test_unknown_login_refused(app):
    app.init_db()
    app.write_config(role=None)
    res = app.cli('export', *app.db_args())
    assert res.returncode == 3, (res.returncode, res.stderr)
    assert 'totemdesk.conf' in res.stderr


def test_export_formats_and_filters(app):
    """Export of the demo-like data made through the app: CSV parsed back
    with Python's csv module, JSON with json; filters select rows."""
    app.setup_site(role='officer', site='COO')
    # Records made through the form are checked by test_intake.py; here
    # an empty export must still be a valid document.
    res = _ok(app.cli('export', *app.db_args()))
    rows = list(csv.reader(io.StringIO(res.stdout, newline='')))
    assert rows[0][:15] == ['reference', 'site', 'created_at', 'status',
                            'last_name', 'first_name', 'email', 'phone',
                            'postcode', 'city', 'project_title', 'stage',
                            'sector', 'needs', 'company_id'], rows[0]
    assert len(rows) == 1
    res = _ok(app.cli('export', '--format', 'json', *app.db_args()))
    assert json.loads(res.stdout) == []
    out = app.path('out.csv')
    res = _ok(app.cli('export', '-o', out, '--since', '2026-01-01', *app.db_args()))
    assert stat.S_IMODE(os.stat(out).st_mode) == 0o600
    with open(out, 'rb') as fh:
        assert fh.read().endswith(b'\r\n'), 'CSV records end with CRLF'
    res = app.cli('export', '--since', '2026-13-01', *app.db_args())
    assert res.returncode == 2 and '2026-13-01' in res.stderr, res.stderr
    res = app.cli('export', '-o', app.path('no/dir/out.csv'), *app.db_args())
    assert res.returncode == 1 and 'no/dir/out.csv' in res.stderr, res.stderr


def test_screens_need_a_terminal(app):
    """Without a terminal the full-screen program says so and exits 1."""
    app.setup_site()
    res = app.cli()
    assert res.returncode == 1, (res.returncode, res.stderr)
    assert res.stderr.strip(), 'no message'


def test_partners_import_all_or_nothing_and_roles(app):
    """`partners import` (a command of the table with its own option):
    a bad row refuses the file (exit 2, FILE:LINE), --skip-bad takes the
    good rows, and reception staff are refused (exit 3) as on the
    Partners screen.  Global options work after the command's."""
    app.setup_site(role='officer', site='COO')
    res = _ok(app.cli('partners', 'export', *app.db_args()))
    rows = list(csv.DictReader(io.StringIO(res.stdout, newline='')))
    cols = list(rows[0].keys())
    good = dict(rows[0], id='fonds-cli', name='Fonds CLI')
    bad = dict(rows[0], id='fonds-bad', name='Fonds Bad', kind='nonsense')
    path = app.path('partners.csv')
    with open(path, 'w', newline='', encoding='utf-8') as fh:
        w = csv.DictWriter(fh, fieldnames=cols)
        w.writeheader()
        w.writerow(good)
        w.writerow(bad)
    res = app.cli('partners', 'import', path, *app.db_args())
    assert res.returncode == 2, (res.returncode, res.stderr)
    assert 'partners.csv:3:' in res.stderr, res.stderr
    ids = _ok(app.cli('partners', 'export', *app.db_args())).stdout
    assert 'fonds-cli' not in ids, 'a refused file imported a row'
    res = _ok(app.cli('partners', 'import', '--skip-bad', path,
                      '--lang', 'en', *app.db_args()))
    assert '1 partner imported' in res.stderr, res.stderr
    ids = _ok(app.cli('partners', 'export', *app.db_args())).stdout
    assert 'fonds-cli' in ids and 'fonds-bad' not in ids
    # --skip-bad belongs to partners import only.
    res = app.cli('partners', 'export', '--skip-bad', *app.db_args())
    assert res.returncode == 2 and '--skip-bad' in res.stderr, res.stderr
    app.write_config(role='reception', site='MET')
    res = app.cli('partners', 'import', path, *app.db_args())
    assert res.returncode == 3, (res.returncode, res.stderr)
