"""Data protection on the dossier's screens (issue 14): erasing from the
detail asks for the reference to be typed, refuses another one, then
erases (the page says when, the holder's fields are empty, the queue's
search no longer finds the name).  Reception's refusal is the use
case's (tests/unit/test_privacy.c, tests/reliability/test_privacy.py)."""

import os
import sqlite3
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import test_queue  # noqa: E402  (its sample people and _populate)


def _detail(t, ref, name):
    test_queue._open_queue(t)
    t.send(b'/')
    t.type(name)
    t.key('Enter')
    t.wait_for('Queue: 1 dossier')
    t.key('Enter')
    t.wait_for('Dossier ' + ref)
    t.wait_settled()


def test_detail_erase_typed_reference(app):
    app.setup_site(role='officer', site='COO')
    refs = test_queue._populate(app.db)
    ref = refs[0]                         # Lefèvre Zoé, MET
    t = app.run('--lang', 'en', term='vt100', lang='C', rows=24, cols=80)
    _detail(t, ref, 'lefevre')
    assert t.find('Lef'), t.dump()
    t.send(b'E')
    t.wait_for('type the dossier\'s reference to confirm')
    t.wait_for('Reference to erase:')
    t.type(refs[1])
    t.key('Enter')
    t.wait_for('nothing was erased')
    con = sqlite3.connect(app.db)
    assert con.execute('SELECT count(*) FROM holder WHERE last_name = ?',
                       ('Lefèvre',)).fetchone()[0] == 1
    con.close()
    t.send(b'E')
    t.wait_for('Reference to erase:')
    t.type(ref)
    t.key('Enter')
    t.wait_for('data is erased')
    t.wait_for('Erased')
    assert not t.find('Lef'), t.dump()
    t.key('Esc')
    t.wait_settled()
    t.key('Esc')
    t.wait_settled()
    t.send(b'q')
    assert t.wait_exit(timeout=10) == 0
    con = sqlite3.connect(app.db)
    assert con.execute('SELECT count(*) FROM holder WHERE last_name = ?',
                       ('Lefèvre',)).fetchone()[0] == 0
    assert con.execute('SELECT count(*) FROM erasure').fetchone()[0] == 1
    con.close()
    res = app.cli('export', *app.db_args(), '--search', 'epicerie',
                  lang='C.UTF-8')
    assert ref not in res.stdout, res.stdout

