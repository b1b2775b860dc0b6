"""The mission officers' queue, end to end: filters, search as you type
and export from the screen give exactly the rows on screen (and the
same as `totemdesk export` with the same filters); a second process
changing the database shows in the queue within a second, cursor kept;
overdue dossiers are marked on a monochrome vt100; the detail shows
translated action names and acts on the dossier.

The data is written with Python's sqlite3 module, as another program
would: the database's triggers keep the search index and the last
action of each dossier in step whoever writes."""

import csv
import io
import os
import re
import sqlite3
import time

import harness

REF = re.compile(r'[A-Z]{3}-20\d\d-\d{4}')

PEOPLE = [
    # site, last, first, title, created (UTC), need
    ('MET', 'Lefèvre', 'Zoé', 'Épicerie vrac à Épinal', '2026-11-20T09:00:00Z', 'funding'),
    ('EPI', 'Zimmer', 'Anne', 'Drones agricoles', '2026-11-18T09:00:00Z', 'advice'),
    ('EPI', 'Muller', 'Léa', 'Gîte près d\'Epinal', '2026-11-19T09:00:00Z', 'hosting'),
    ('NAN', 'Durand', 'Éric', 'Atelier vélo', '2026-11-21T09:00:00Z', 'funding'),
    ('MET', '=HYPERLINK("http://x")', 'Eve', '+33 formula; "quoted"', '2026-10-01T09:00:00Z', 'funding'),
    ('THI', 'Bauer', 'Paul', 'Brasserie épinaloise', '2026-11-22T09:00:00Z', 'networking'),
]


def _populate(db, people=PEOPLE, start=1):
    con = sqlite3.connect(db)
    refs = []
    for i, (site, last, first, title, at, need) in enumerate(people, start):
        hid, did = 'H%04d' % i, '%s-D%04d' % (site, i)
        ref = '%s-2026-%04d' % (site, i)
        con.execute(
            'INSERT INTO holder(id, site_code, last_name, first_name, email,'
            ' consent, consent_at, consent_version, created_at, updated_at)'
            ' VALUES(?, ?, ?, ?, ?, 1, ?, "2026-01", ?, ?)',
            (hid, site, last, first, 'p%d@exemple.fr' % i, at, at, at))
        con.execute(
            'INSERT INTO dossier(id, reference, holder_id, site_code,'
            ' project_title, needs, status, created_by, created_at, updated_at)'
            ' VALUES(?, ?, ?, ?, ?, ?, "new", "desk", ?, ?)',
            (did, ref, hid, site, title, need, at, at))
        con.execute(
            'INSERT INTO audit(at, actor, action, entity, entity_id,'
            ' dossier_id, detail) VALUES(?, "desk", "create", "dossier", ?, ?, ?)',
            (at, did, did, ref + ' ' + site))
        refs.append(ref)
    con.commit()
    con.close()
    return refs


def _officer(app):
    app.setup_site(role='officer', site='COO')
    return _populate(app.db)


def _screen_refs(t):
    """References of the queue rows, top to bottom."""
    out = []
    for line in t.screen_text()[4:-2]:
        m = REF.search(line)
        if m:
            out.append(m.group(0))
    return out


def _open_queue(t):
    t.wait_for('MET')
    t.wait_settled()
    t.send(b'o')
    t.wait_for(re.compile(r'Queue: \d+ dossier'))
    t.wait_settled()


def test_queue_filter_search_export(app):
    refs = _officer(app)
    t = app.run('--lang', 'en', rows=30, cols=100, term='xterm-256color',
                lang='C.UTF-8')
    _open_queue(t)
    t.wait_for('Queue: 6 dossiers')
    assert _screen_refs(t)[0] == refs[5], t.dump()   # newest first

    # Search as you type: accents and case folded, prefixes.
    t.send(b'/')
    t.type('epina')
    t.wait_for('Queue: 3 dossiers')
    shown = set(_screen_refs(t))
    assert shown == {refs[0], refs[2], refs[5]}, t.dump()
    t.key('Enter')
    t.wait_settled()

    # Filter: site EPI (menu item 1, site chooser item "EPI").
    t.send(b'=')
    t.wait_for('Filters')
    t.key('Enter')                       # Site
    t.wait_for('EPI')
    t.send(b'5')                         # any, THI, MET, NAN, EPI
    t.wait_for('Site: EPI')
    t.key('Esc')
    t.wait_for('Queue: 1 dossier')
    assert _screen_refs(t) == [refs[2]], t.dump()
    assert t.find('site: EPI') and t.find('search: "epina"'), t.dump()

    # Clear, filter on need funding, sort by name descending.
    t.send(b'0')
    t.wait_for('Queue: 6 dossiers')
    t.send(b'=')
    t.wait_for('Filters')
    t.send(b'5')                         # Needs
    t.wait_for('[ ] funding')
    t.send(b'3')                         # any, advice, funding
    t.wait_for('[x] funding')
    t.key('Esc')
    t.wait_for('Needs: funding')
    t.key('Esc')
    t.wait_for('Queue: 3 dossiers')
    t.send(b'ssss')                      # reference, date, site, name
    t.send(b'd')
    t.wait_for('Name v')
    t.wait_settled()
    on_screen = _screen_refs(t)
    assert on_screen == [refs[0], refs[3], refs[4]], t.dump()

    # Export from the screen, French spreadsheet flavour.
    out = app.path('queue.csv')
    t.send(b'x')
    t.wait_for('Export the rows shown as')
    t.send(b'2')
    t.wait_for('Export to file')
    t.key('^U')
    t.type(out)
    t.key('Enter')
    t.wait_for('3 dossiers written to')
    with open(out, 'rb') as fh:
        data = fh.read()
    assert data.startswith(b'\xef\xbb\xbf'), data[:10]
    assert os.stat(out).st_mode & 0o777 == 0o600
    rows = list(csv.DictReader(io.StringIO(data.decode('utf-8-sig'),
                                           newline=''), delimiter=';'))
    assert [r['reference'] for r in rows] == on_screen, rows
    # Formula guard, checked through an independent reader.
    eve = [r for r in rows if r['first_name'] == 'Eve'][0]
    assert eve['last_name'] == '\'=HYPERLINK("http://x")', eve
    assert eve['project_title'] == '\'+33 formula; "quoted"', eve

    # The command line with the same filters writes the same rows.
    res = app.cli('export', *app.db_args(), '--need', 'funding', '--sort',
                  '-name', '--separator', ';', '--bom', lang='C.UTF-8')
    assert res.returncode == 0, res.stderr
    cli = list(csv.DictReader(io.StringIO(res.stdout.lstrip('\ufeff'),
                                          newline=''), delimiter=';'))
    assert [r['reference'] for r in cli] == on_screen

    # Saved filter, one key away after leaving and coming back.
    t.send(b'b')
    t.wait_for('Save the filter as')
    t.type('Financement')
    t.key('Enter')
    t.wait_for('key 1')
    t.key('Esc')
    t.wait_settled()
    t.send(b'o')
    t.wait_for('Queue: 6 dossiers')
    t.send(b'1')
    t.wait_for('Queue: 3 dossiers')
    assert _screen_refs(t) == on_screen, t.dump()
    res = app.cli('export', *app.db_args(), '--filter', 'Financement',
                  lang='C.UTF-8')
    assert res.returncode == 0, res.stderr
    assert [r['reference'] for r in csv.DictReader(
        io.StringIO(res.stdout, newline=''))] == on_screen
    # A saved filter in the queue's default order (newest first): the
    # CLI keeps that order too.
    t.send(b'0')
    t.wait_for('Queue: 6 dossiers')
    t.send(b'b')
    t.wait_for('Save the filter as')
    t.type('Tout')
    t.key('Enter')
    t.wait_for('key 2')
    everything = _screen_refs(t)
    res = app.cli('export', *app.db_args(), '--filter', 'Tout',
                  lang='C.UTF-8')
    assert [r['reference'] for r in csv.DictReader(
        io.StringIO(res.stdout, newline=''))] == everything
    # Deleted from the list of saved filters, it is gone for the CLI too.
    t.send(b'm')
    t.wait_for('Financement')
    t.key('^D')
    t.wait_for('Delete the filter')
    t.send(b'y')
    t.wait_for('Tout')
    t.key('^D')
    t.wait_for('Delete the filter')
    t.send(b'y')
    t.wait_for('No saved filter yet')
    res = app.cli('export', *app.db_args(), '--filter', 'Financement',
                  lang='C.UTF-8')
    assert res.returncode == 2 and 'Financement' in res.stderr, res.stderr
    t.key('Esc')
    t.wait_settled()
    t.send(b'q')
    assert t.wait_exit(timeout=10) == 0


def test_queue_refreshes_when_another_process_writes(app):
    refs = _officer(app)
    t = app.run('--lang', 'en', rows=24, cols=80)
    _open_queue(t)
    t.wait_for('Queue: 6 dossiers')
    t.key('Down')
    t.key('Down')
    t.wait_settled()
    y = t.cursor()[0]
    selected = REF.search(t.row(y)).group(0)
    # Another process: a new dossier (newest: goes on top) and a rename.
    more = [('NAN', 'Schmitt', 'Jean', 'Nouveau', '2026-11-23T08:00:00Z',
             'advice')]
    start = time.monotonic()
    _populate(app.db, more, start=40)
    con = sqlite3.connect(app.db)
    con.execute("UPDATE holder SET last_name = 'Renommé' WHERE id = "
                "(SELECT holder_id FROM dossier WHERE reference = ?)",
                (selected,))
    con.commit()
    con.close()
    t.wait_for('Queue: 7 dossiers', timeout=3)
    t.wait_for('Renomm', timeout=3)     # ASCII under LANG=C
    assert time.monotonic() - start < 2.5
    t.wait_settled()
    # The cursor stayed on the same dossier, one row lower now.
    y2 = t.cursor()[0]
    assert y2 == y + 1, (y, y2, t.dump())
    assert selected in t.row(y2) and 'Renomm' in t.row(y2), t.dump()
    t.key('Esc')
    t.wait_settled()
    t.send(b'q')
    assert t.wait_exit(timeout=10) == 0


def _wakeups(pid):
    """Times the process went to sleep and was woken (it has one thread)."""
    with open('/proc/%d/status' % pid) as fh:
        for line in fh:
            if line.startswith('voluntary_ctxt_switches:'):
                return int(line.split()[1])
    raise AssertionError('no voluntary_ctxt_switches in /proc/%d/status' % pid)


def test_idle_queue_sleeps_and_shows_a_save_within_a_second(app):
    """An idle desk on the queue sleeps until another program writes to
    the database (it used to wake twice a second to ask), and still shows
    that program's save within a second, whenever it comes."""
    refs = _officer(app)
    t = app.run('--lang', 'en', rows=24, cols=80)
    _open_queue(t)
    t.wait_for('Queue: 6 dossiers')
    t.wait_settled()
    pid = t.proc.pid
    # Idle: no wake-up in 3 s (polling every 500 ms made 6).
    time.sleep(0.5)
    w0 = _wakeups(pid)
    time.sleep(3)
    assert _wakeups(pid) - w0 <= 1, 'the idle queue woke up'
    # Saves by another process, at different moments: each shows within
    # a second.
    for i, pause in enumerate((0.15, 0.6, 1.3)):
        time.sleep(pause)
        name = 'Veille%d' % i
        con = sqlite3.connect(app.db)
        start = time.monotonic()
        con.execute("UPDATE holder SET last_name = ? WHERE id = "
                    "(SELECT holder_id FROM dossier WHERE reference = ?)",
                    (name, refs[i]))
        con.commit()
        con.close()
        t.wait_for(name, timeout=3)
        took = time.monotonic() - start
        # A second, as the issue says (longer only where every wait is:
        # a sanitized build, harness.TIME_SCALE).
        assert took < 1.0 * harness.TIME_SCALE, '%s showed after %.2f s' % (
            name, took)
    t.key('Esc')
    t.wait_settled()
    t.send(b'q')
    assert t.wait_exit(timeout=10) == 0


def test_overdue_marked_on_vt100_and_detail_actions(app):
    refs = _officer(app)
    # 23 Nov 2026, delay 5 working days: everything created before
    # Monday 16 Nov is overdue -- the October dossier only.
    t = app.run('--lang', 'en', term='vt100', lang='C', rows=24, cols=80)
    _open_queue(t)
    pos = t.find(refs[4])
    assert pos, t.dump()
    # Marker columns: 0 selected ('>'), 1 marked ('*'), 2 overdue ('!').
    line = t.row(pos[0])
    assert line[2] == '!', repr(line)
    assert t.attrs_at(pos[0], 2)['bold'], 'overdue marker has no attribute'
    for r in refs[:4]:
        p = t.find(r)
        assert p and t.row(p[0])[2] == ' ', t.dump()
    sel = [y for y in range(24) if t.row(y).startswith('>')]
    assert sel == [4], 'one selected row, the first' + t.dump()
    # Filter "overdue" through the menu: only that one.
    t.send(b'=')
    t.wait_for('Overdue only')
    t.send(b'8')
    t.wait_for('[x] Overdue only')
    t.key('Esc')
    t.wait_for('Queue: 1 dossier')
    # Detail: translated action names, then a note brings it back in time.
    t.key('Enter')
    t.wait_for('Dossier ' + refs[4])
    t.send(b'G')                         # the timeline is at the end
    t.wait_for('registered')
    assert not t.find(re.compile(r'\bcreate\b')), t.dump()
    t.send(b'n')
    t.wait_for('Note:')
    t.type('Called back, meeting on Friday')
    t.key('Enter')
    t.wait_for('Note added')
    t.send(b'c')
    t.wait_for('New status')
    t.wait_settled()
    t.send(b'1')                         # triaged: the first move from new
    t.wait_for('Status changed')
    t.send(b'G')
    t.wait_for('status changed')
    t.wait_for('new -> triaged')
    t.key('Esc')
    t.wait_for('Queue: 0 dossiers')      # no longer overdue
    t.key('Esc')
    t.wait_settled()
    t.send(b'q')
    assert t.wait_exit(timeout=10) == 0
    res = app.cli('export', *app.db_args(), '--search', 'friday',
                  lang='C.UTF-8')
    found = list(csv.DictReader(io.StringIO(res.stdout, newline='')))
    assert [r['reference'] for r in found] == [refs[4]], res.stdout
    assert found[0]['status'] == 'triaged', found


def _slice_check(t, expected, what):
    """The rows on screen are a run of `expected`, in its order; returns
    the index of the first."""
    shown = _screen_refs(t)
    assert shown, (what, t.dump())
    i = expected.index(shown[0])
    assert shown == expected[i:i + len(shown)], (what, t.dump())
    return i


def test_queue_deep_scroll_and_capped_search(app):
    """Scrolling past the screen's row cache (128 rows, fetched by keyset
    from the cached edge) shows every row once and in order, down, up,
    at the end; a search matching more than 1,000 dossiers shows a
    capped count, counted in full at the end of the list."""
    app.setup_site(role='officer', site='COO')
    people = [('MET', 'Nom%04d' % (i % 700), 'Léa', 'Atelier %d' % i,
               '2026-%02d-%02dT%02d:%02d:00Z' % (1 + i // 300, 1 + i % 28,
                                                 i % 24, i % 60), 'funding')
              for i in range(1100)]
    refs = _populate(app.db, people)
    con = sqlite3.connect(app.db)
    newest = [r for (r,) in con.execute(
        'SELECT reference FROM dossier ORDER BY created_at DESC, id DESC')]
    by_name = [r for (r,) in con.execute(
        'SELECT d.reference FROM dossier d JOIN holder h ON h.id = d.holder_id'
        ' ORDER BY h.last_name, h.first_name, h.id, d.id')]
    con.close()
    assert len(refs) == len(newest) == 1100
    t = app.run('--lang', 'en', rows=24, cols=80, term='xterm-256color',
                lang='C.UTF-8')
    _open_queue(t)
    t.wait_for('Queue: 1100 dossiers')
    for expected, keys in ((newest, b''), (by_name, b'ssss')):
        if keys:
            t.send(keys)
            t.wait_for('Name ^')
            t.key('Home', wait=True)
        assert _slice_check(t, expected, 'top') == 0
        # Every page moves by the same number of rows: a cache load
        # that put its rows one place off would show here.
        last, moves = 0, set()
        for step in range(16):                  # 16 pages: 3 cache loads
            t.key('PgDn', wait=True)
            i = _slice_check(t, expected, 'page down %d' % step)
            moves.add(i - last)
            last = i
        for step in range(8):
            t.key('PgUp', wait=True)
            i = _slice_check(t, expected, 'page up %d' % step)
            moves.add(last - i)
            last = i
        assert len(moves) == 1 and moves.pop() > 0, t.dump()
        t.key('End', wait=True)
        assert _screen_refs(t)[-1] == expected[-1], t.dump()
        _slice_check(t, expected, 'end')
        for step in range(8):
            t.key('PgUp', wait=True)
            _slice_check(t, expected, 'page up from the end %d' % step)
    # Every dossier matches "atelier": the count stops at 1,000 while
    # typing, the end of the list counts them all.
    t.send(b'/')
    t.type('atelier')
    t.wait_for('Queue: more than 1000 dossiers')
    t.key('Enter')
    t.wait_settled()
    t.key('End', wait=True)
    t.wait_for('Queue: 1100 dossiers')
    t.key('Esc')
    t.wait_settled()
    t.send(b'q')
    assert t.wait_exit(timeout=10) == 0
