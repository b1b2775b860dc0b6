"""Conflicts (issue 13 point 2): two officers on the same dossier, each in
a pseudo-terminal of its own.  The second writer is told what the first
did (theirs) beside what they chose or typed (yours), and chooses; what
the first did is never overwritten unseen, and nothing typed is lost."""

import csv
import io
import re
import sqlite3

QUESTION = re.compile(r'\(theirs\)|\(les leurs\)|autre poste|another desk')


def _export(app):
    res = app.cli('export', *app.db_args(), lang='C.UTF-8')
    assert res.returncode == 0, res.stderr
    return list(csv.DictReader(io.StringIO(res.stdout, newline='')))


def _one_dossier(app):
    app.setup_site(role='officer', site='MET')
    with open(app.path('one.csv'), 'w', encoding='utf-8') as fh:
        fh.write('last_name;first_name;email;phone;needs;consent;'
                 'project_title;postcode;city\r\n'
                 'Lefèvre;Zoé;zoe@exemple.fr;;funding;1;Vrac;57000;Metz\r\n')
    res = app.cli('import', *app.db_args(), 'one.csv')
    assert res.returncode == 0, res.stderr


def _open_detail(app):
    t = app.run(lang='C.UTF-8', term='xterm-256color', cols=100)
    t.wait_for('MET')
    t.wait_settled()
    t.send(b'o')                        # the queue
    t.wait_for('Lef')
    t.wait_settled()
    t.key('Enter')                      # the dossier
    t.wait_for('Zoé')
    t.wait_settled()
    return t


def test_second_writer_sees_both_and_chooses(app):
    _one_dossier(app)
    a = _open_detail(app)
    b = _open_detail(app)
    # B opens the status choice first and takes their time...
    b.send(b'c')
    b.wait_settled()
    # ...while A changes the status.
    a.send(b'c')
    a.wait_settled()
    a.key('Enter')
    a.wait_settled()
    theirs = _export(app)[0]['status']
    assert theirs != 'new', theirs + a.dump()
    # B picks another one: told, with both values, and asked.
    b.key('Down')
    b.key('Enter')
    b.wait_for(QUESTION, timeout=10)
    b.wait_settled()
    text = b.text()
    assert '(theirs)' in text or '(les leurs)' in text or \
        'leurs' in text, b.dump()
    b.send(b'o')                         # apply mine
    b.wait_settled()
    mine = _export(app)[0]['status']
    assert mine not in ('new', theirs), (theirs, mine)
    with sqlite3.connect(app.db) as c:
        n = c.execute("SELECT count(*) FROM audit WHERE action = 'status'"
                      ).fetchone()[0]
    assert n == 2, 'both changes in the history: %d' % n

    # A field edit: A sets the city, B (whose screen still shows the old
    # one) types another; B keeps theirs, and is shown what they typed.
    b.send(b'e')
    b.wait_settled()
    a.key('Esc')
    a.wait_settled()
    a.key('Enter')
    a.wait_for('Zoé')
    a.wait_settled()
    a.send(b'e')
    a.wait_settled()
    for t, city in ((a, 'Nancy'), (b, 'Thionville')):
        # The field list: the city is the seventh field (after the
        # country, issue 12).
        t.key('Down', count=6)
        t.key('Enter')
        t.wait_settled()
        t.send(b'\x15')                  # Ctrl-U: clear
        t.type(city)
        t.key('Enter')
        t.wait_settled()
        if t is a:
            assert _export(app)[0]['city'] == 'Nancy'
    b.wait_for(QUESTION, timeout=10)
    b.wait_settled()
    assert b.find('Nancy') is not None and b.find('Thionville') is not None, \
        b.dump()
    b.send(b'n')                         # keep theirs
    b.wait_settled()
    assert _export(app)[0]['city'] == 'Nancy'
    assert b.find('Thionville') is not None, 'what was typed is shown' + \
        b.dump()
    a.kill()
    b.kill()


def _three_dossiers(app):
    app.setup_site(role='officer', site='MET')
    with open(app.path('three.csv'), 'w', encoding='utf-8') as fh:
        fh.write('last_name;first_name;email;phone;needs;consent;'
                 'project_title;postcode;city\r\n'
                 'Arnaud;Anne;anne@exemple.fr;;funding;1;Vrac;57000;Metz\r\n'
                 'Bastien;Paul;paul@exemple.fr;;funding;1;Vélo;57000;Metz\r\n'
                 'Colin;Léa;lea@exemple.fr;;funding;1;Bois;57000;Metz\r\n')
    res = app.cli('import', *app.db_args(), 'three.csv')
    assert res.returncode == 0, res.stderr


def _open_queue(app):
    t = app.run('--lang', 'en', lang='C.UTF-8', term='xterm-256color',
                cols=132, rows=30)
    t.wait_for('MET')
    t.wait_settled()
    t.send(b'o')                        # the queue
    t.wait_for('Colin')
    t.wait_settled()
    return t


def _statuses(app):
    return {r['reference']: r['status'] for r in _export(app)}


def test_bulk_leaves_rows_changed_meanwhile(app):
    """B marks the three rows; A puts one on hold; B closes the marked
    ones: the two others are closed, A's stays on hold and is named, with
    both values, for B to review; B then applies theirs to it too."""
    _three_dossiers(app)
    b = _open_queue(app)
    b.send(b'*')                         # mark all three
    b.wait_for('3 dossiers marked')
    b.wait_settled()
    a = _open_queue(app)
    a.send(b'c')                         # A: the status of the top row
    a.wait_settled()
    a.send(b'4')                         # triaged, referred, closed, on hold
    a.wait_settled()
    held = [r for r, s in _statuses(app).items() if s == 'on_hold']
    assert len(held) == 1, _statuses(app)
    ref = held[0]
    b.send(b'c')                         # B: the status of the marked rows
    b.wait_settled()
    b.send(b'3')                         # closed
    b.wait_for('changed meanwhile', timeout=10)
    b.wait_settled()
    st = _statuses(app)
    assert st[ref] == 'on_hold', st
    assert sorted(st.values()) == ['closed', 'closed', 'on_hold'], st
    text = b.text()
    # Named on the message line, and offered for review with both values.
    assert '1 dossier changed meanwhile: %s; not changed.' % ref in text, \
        b.dump()
    assert re.search(r'%s: now "on hold" \(theirs\); yours "closed"'
                     % re.escape(ref), text), b.dump()
    with sqlite3.connect(app.db) as c:
        n = c.execute("SELECT count(*) FROM audit WHERE action = 'status'"
                      ).fetchone()[0]
    assert n == 3, 'A\'s change and B\'s two: %d' % n
    # Reviewed: B opens it, and back from it the review is offered again.
    b.send(b'3')
    b.wait_settled()
    assert b.find('changed at another desk meanwhile') is None, b.dump()
    assert b.find(ref) is not None and b.find('on hold') is not None, \
        b.dump()
    b.key('Esc')
    b.wait_for('changed at another desk meanwhile')
    b.wait_settled()
    b.send(b'2')                         # apply mine to it too
    b.wait_settled()
    assert _statuses(app)[ref] == 'closed', _statuses(app)
    a.kill()
    b.kill()
