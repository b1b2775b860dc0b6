"""Statistics, import and agenda: the screens (vt100 under LANG=C with the
'#' bars, xterm under C.UTF-8 with block bars, the import preview before
anything is written, the agenda opening a dossier) and the `report` and
`import` commands as scripts see them."""

import csv
import io
import json
import re

BLOCKS = set('\u2588\u2589\u258a\u258b\u258c\u258d\u258e\u258f')

HOLDERS = (
    'last_name;first_name;email;phone;needs;consent;stage;site;postcode;'
    'project_title\r\n'
    'Lefèvre;Zoé;zoe@exemple.fr;;funding;1;seed;MET;57000;Vrac\r\n'
    'Müller;Jörg;joerg@@exemple;;advice;1;;MET;57000;Atelier\r\n'
    'Klein;Anaïs;anais@exemple.fr;;networking;1;idea;NAN;54000;Ruches\r\n'
)


def _home(t):
    t.wait_for('What would you like to do?')
    t.wait_settled()


def _bar_rows(t):
    """Rows of the statistics page that hold a bar chart."""
    return [r for r in t.screen_text() if re.search(r'#{2,}|[\u2588-\u258f]', r)]


def test_stats_vt100_ascii(app):
    t = app.run('--demo', '--lang', 'en', term='vt100', lang='C')
    _home(t)
    t.send(b's')
    t.wait_for('Statistics: this year, all sites')
    t.wait_for('Intakes per site and month')
    t.wait_settled()
    text = t.text()
    assert not BLOCKS & set(text), 'block characters on vt100%s' % t.dump()
    assert _bar_rows(t), 'no "#" bars%s' % t.dump()
    # The period key cycles; the site key narrows to one Totem.
    t.send(b'p')
    t.wait_for('Statistics: last 12 months, all sites')
    t.send(b's')
    t.wait_for('Statistics: last 12 months, Thionville')
    t.wait_for('THI 20')
    t.wait_settled()
    assert 'MET 20' not in t.text(), 'other sites shown%s' % t.dump()
    t.key('Esc')
    _home(t)
    t.send(b'q')
    assert t.wait_exit() == 0


def test_stats_xterm_utf8_blocks(app):
    t = app.run('--demo', '--lang', 'en', term='xterm-256color',
                lang='C.UTF-8')
    _home(t)
    t.send(b's')
    t.wait_for('Intakes per site and month')
    t.wait_settled()
    bars = _bar_rows(t)
    assert bars, 'no bars%s' % t.dump()
    assert all('#' not in r for r in bars), '"#" bars in UTF-8%s' % t.dump()
    assert BLOCKS & set(t.text()), 'no block characters%s' % t.dump()
    # Scrolling reaches the referrals and the median further down.
    t.key('End')
    t.wait_for('Median days from intake to first referral')
    t.send(b'q')
    _home(t)
    t.send(b'q')
    assert t.wait_exit() == 0


def test_import_preview_then_import(app):
    app.setup_site(role='officer', site='MET')
    with open(app.path('holders.csv'), 'w', encoding='utf-8') as fh:
        fh.write(HOLDERS)
    t = app.run('--lang', 'en', term='vt100', lang='C')
    _home(t)
    t.send(b'i')
    t.wait_for('Import earlier intakes from a CSV file')
    t.type('holders.csv')
    t.key('Enter')
    # Problems first, then the first rows; nothing written yet.
    t.wait_for('3 rows read: 2 can be imported, 1 has problems')
    t.wait_for('holders.csv:3: email:')
    t.wait_for('(refused)')
    problems = t.find('Problems')[0]
    rows = t.find('First rows')[0]
    assert problems < rows, 'problems not shown first%s' % t.dump()
    res = app.cli('export', *app.db_args())
    assert len(res.stdout.strip().splitlines()) == 1, res.stdout
    t.key('F2')
    t.wait_for('Import 2 dossiers and skip the 1 row with problems?')
    t.send(b'y')
    t.wait_for('2 dossiers imported, 1 row skipped.')
    t.wait_for('MET-2026-0001')
    res = app.cli('export', *app.db_args())
    out = list(csv.DictReader(io.StringIO(res.stdout)))
    assert sorted(r['last_name'] for r in out) == ['Klein', 'Lefèvre'], out
    t.key('Esc')
    _home(t)
    t.send(b'q')
    assert t.wait_exit() == 0


def test_agenda_opens_dossier(app):
    # 100 columns: the reference shows from 90 (at 80 the due date, the
    # name and what to do; issue 10).
    t = app.run('--demo', '--lang', 'en', term='vt100', lang='C', cols=100)
    _home(t)
    t.send(b'a')
    t.wait_for('Agenda (')
    t.wait_settled()
    if 'Agenda (mine)' in t.text():
        t.send(b'm')
    t.wait_for('Agenda (everybody)')
    t.wait_for('overdue')
    t.wait_settled()
    # The first line is the oldest overdue one, marked for vt100 too.
    ref = re.search(r'[A-Z]{3}-\d{4}-\d{4}', t.row(3))
    assert ref, 'no dossier on the first line%s' % t.dump()
    t.key('Enter')
    t.wait_for('Dossier %s' % ref.group(0))
    t.key('Esc')
    t.wait_for('Agenda (everybody)')
    t.key('Esc')
    _home(t)
    t.send(b'q')
    assert t.wait_exit() == 0


def test_cli_report_and_import(app):
    app.setup_site(role='officer', site='MET')
    with open(app.path('holders.csv'), 'w', encoding='utf-8') as fh:
        fh.write(HOLDERS)
    db = app.db_args() + ['--lang', 'en']
    # A bad row: nothing written, each problem as FILE:LINE: field: message.
    res = app.cli('import', *db, 'holders.csv')
    assert res.returncode == 2, (res.returncode, res.stderr)
    assert re.search(r'(?m)^holders\.csv:3: email: ', res.stderr), res.stderr
    res = app.cli('import', *db, '--dry-run', '--skip-bad', 'holders.csv')
    assert res.returncode == 0, res.stderr
    assert 'dry run' in res.stdout
    res = app.cli('report', *db, '--format', 'json')
    assert res.returncode == 0, res.stderr
    assert json.loads(res.stdout)['total'] == 0
    res = app.cli('import', *db, '--skip-bad', 'holders.csv')
    assert res.returncode == 0, res.stderr
    assert '2 dossiers imported' in res.stdout, res.stdout
    rep = json.loads(app.cli('report', *db, '--format', 'json').stdout)
    assert rep['total'] == 2 and rep['by_need']['funding'] == 1, rep
    res = app.cli('report', *db, '--site', 'NAN', '--format', 'csv')
    rows = list(csv.reader(io.StringIO(res.stdout)))
    assert ['total', 'NAN', '', '1', '', ''] in rows, rows
    # Text: '#' bars under LANG=C.
    res = app.cli('report', *db)
    assert '#' in res.stdout and 'Intakes: 2' in res.stdout, res.stdout
    for args, word in ((['report', '--from', '2026-13-01'], '2026-13-01'),
                       (['report', '--format', 'xml'], 'xml'),
                       (['import'], 'import'),
                       (['import', '--since', '2026-01-01', 'x.csv'], '--since'),
                       (['export', '--dry-run'], '--dry-run')):
        res = app.cli(*args, *db)
        assert res.returncode == 2, (args, res.returncode, res.stderr)
        assert word in res.stderr, (args, res.stderr)
