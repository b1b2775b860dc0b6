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



def test_detail_withdraw_offers_erasure(app):
    """W asks, records the withdrawal (the consent line says when and
    by whom), then offers erasure; Esc keeps the data."""
    app.setup_site(role='officer', site='COO')
    refs = test_queue._populate(app.db)
    ref = refs[3]                         # Durand Éric, NAN
    t = app.run('--lang', 'en', term='vt100', lang='C', rows=24, cols=80)
    _detail(t, ref, 'durand')
    t.send(b'W')
    t.wait_for('withdrew their consent?')
    t.send(b'y')
    t.wait_for('Consent withdrawn. Type the reference')
    t.wait_for('Reference to erase:')
    t.key('Esc')
    t.wait_settled()
    t.wait_for('withdrawn')
    con = sqlite3.connect(app.db)
    row = con.execute('SELECT last_name, consent_withdrawn_at,'
                      ' consent_withdrawn_by FROM holder h JOIN dossier d'
                      ' ON d.holder_id = h.id WHERE d.reference = ?',
                      (ref,)).fetchone()
    con.close()
    assert row[0] == 'Durand' and row[1] and row[2], row
    t.key('Esc')
    t.wait_settled()
    t.key('Esc')
    t.wait_settled()
    t.send(b'q')
    assert t.wait_exit(timeout=10) == 0


def test_withdrawn_referral_not_sent_offers_erasure(app):
    """After the withdrawal, sending a referral made before it is refused
    by the use case: the screen says why and offers erasure; yes opens
    the dossier asking for its reference, and the data is erased."""
    app.setup_site(role='officer', site='COO')
    refs = test_queue._populate(app.db)
    ref = refs[3]                         # Durand Éric, NAN
    t = app.run('--lang', 'en', term='vt100', lang='C', rows=24, cols=80)
    _detail(t, ref, 'durand')
    t.send(b'r')
    t.wait_for('Route dossier ' + ref)
    t.wait_settled()
    t.send(b' ')
    t.key('F2')
    t.wait_for('Referrals of dossier ' + ref)
    t.wait_settled()
    t.key('Esc')
    t.wait_for('Dossier ' + ref)
    t.wait_settled()
    t.send(b'W')
    t.wait_for('withdrew their consent?')
    t.send(b'y')
    t.wait_for('Reference to erase:')
    t.key('Esc')
    t.wait_settled()
    t.send(b'f')
    t.wait_for('Referrals of dossier ' + ref)
    t.wait_settled()
    t.send(b's')
    t.wait_for('New status')
    t.wait_settled()
    t.send(b'1')                          # proposed -> sent
    t.wait_for('data now?')
    assert 'withdrew their consent' in ' '.join(t.screen_text()), t.dump()
    t.send(b'y')
    t.wait_for('Reference to erase:')
    t.type(ref)
    t.key('Enter')
    t.wait_for('data is erased')
    t.key('Esc')
    t.wait_for('Referrals of dossier ' + ref)
    t.key('Esc')
    t.wait_settled()
    t.key('Esc')
    t.wait_settled()
    t.key('Esc')
    t.wait_settled()
    t.send(b'q')
    assert t.wait_exit(timeout=10) == 0, t.dump()
    con = sqlite3.connect(app.db)
    row = con.execute('SELECT h.last_name, r.status FROM holder h'
                      ' JOIN dossier d ON d.holder_id = h.id'
                      ' JOIN referral r ON r.dossier_id = d.id'
                      ' WHERE d.reference = ?', (ref,)).fetchone()
    con.close()
    assert row == ('', 'proposed'), row
    # The command line refuses the introduction text with the reason.
    res = app.cli('--lang', 'en', 'referral', 'text', ref, *app.db_args(),
                  lang='C.UTF-8')
    assert res.returncode != 0 and 'withdrew their consent' in res.stderr, \
        (res.returncode, res.stderr)


def test_admin_home_says_how_many_are_due(app):
    """With the example configuration's retention (24 months untouched),
    an administrator's home screen counts the dossiers due; an officer's
    does not show it."""
    app.setup_site(role='admin', site='COO')
    old = [('MET', 'Ancien', 'Paul', 'Vieux projet', '2023-01-05T09:00:00Z',
            'funding'),
           ('NAN', 'Ancienne', 'Léa', 'Autre projet', '2023-02-05T09:00:00Z',
            'advice')]
    test_queue._populate(app.db)
    test_queue._populate(app.db, old, start=50)
    t = app.run('--lang', 'en', term='vt100', lang='C', rows=24, cols=80)
    t.wait_for('2 dossiers are due for anonymisation')
    t.send(b'q')
    assert t.wait_exit(timeout=10) == 0
    app.write_config(role='officer', site='COO')
    t = app.run('--lang', 'en', term='vt100', lang='C', rows=24, cols=80)
    t.wait_for('What would you like to do?')
    t.wait_settled()
    assert not t.find('due for anonymisation'), t.dump()
    t.send(b'q')
    assert t.wait_exit(timeout=10) == 0


def test_detail_access_export(app):
    """A writes the access export's text to the file named (0600),
    audited; an existing file is replaced only once confirmed."""
    app.setup_site(role='officer', site='COO')
    refs = test_queue._populate(app.db)
    ref = refs[0]
    out = app.path('zoe.txt')
    t = app.run('--lang', 'en', term='vt100', lang='C', rows=24, cols=80)
    _detail(t, ref, 'lefevre')
    t.send(b'A')
    t.wait_for('Access export file:')
    t.key('^U')
    t.type(out)
    t.key('Enter')
    t.wait_for('Everything held about the person is in')
    with open(out, encoding='utf-8') as fh:
        text = fh.read()
    assert 'Last name: Lef' in text and ref in text, text
    assert os.stat(out).st_mode & 0o777 == 0o600
    t.send(b'A')
    t.wait_for('Access export file:')
    t.key('^U')
    t.type(out)
    t.key('Enter')
    t.wait_for('exists. Replace it?')
    t.send(b'n')
    t.wait_settled()
    t.key('Esc')
    t.wait_settled()
    t.key('Esc')
    t.wait_settled()
    t.send(b'q')
    assert t.wait_exit(timeout=10) == 0
    con = sqlite3.connect(app.db)
    n = con.execute("SELECT count(*) FROM audit WHERE action ="
                    " 'access_export'").fetchone()[0]
    con.close()
    assert n == 1, n
