"""Drafts (issue 13 point 1): a dropped line never loses the form.

Reception types a name, leaves the field, starts the first name; then
the session ends without them: a hang-up (SIGHUP, as sshd sends when the
line drops), the pseudo-terminal closed (the terminal emulator's window
shut), SIGTERM (shutdown), or kill -9 (nothing can run: what was kept
when the field was left is what comes back).  The next start of the same
login offers the form back ("Reprendre la saisie commencée à 10:00 ?"),
and the typed fields are in it.  Declining drops the draft; a draft
older than intake.draft_hours is purged unseen; another login does not
see it; saving the intake drops it."""

import os
import signal
import sqlite3
import time

import harness

OFFER = 'Reprendre la saisie'


def _draft_rows(app):
    with sqlite3.connect(app.db) as c:
        return c.execute('SELECT count(*) FROM draft').fetchone()[0]


def _begin(app, **run):
    """A desk with the form open: the last name typed and left (Tab), the
    first name typed and not left."""
    t = app.run(**run)
    t.wait_for('MET')
    t.wait_settled()
    t.send(b'n')
    t.wait_settled(quiet_ms=150)
    t.type('Lefèvre')
    t.key('Tab')
    t.wait_settled()
    t.type('Zoé')
    t.wait_for('Zo')
    return t


def _resumed(app, first_name=True, **run):
    """Start again: the offer comes, 'o' takes it, the fields are back."""
    t = app.run(**run)
    t.wait_for(OFFER, timeout=10)
    assert t.find('10:00') is not None, 'the time it was begun' + t.dump()
    t.send(b'o')
    t.wait_for('Lef', timeout=10)
    t.wait_settled()
    assert t.find('Lefevre') is not None, t.dump()
    if first_name:
        assert t.find('Zoe') is not None, 'the field being typed' + t.dump()
    return t


def _quit_form(t):
    # Leave the form on purpose (Esc, yes): the draft is dropped.
    t.key('Esc')
    t.wait_settled()
    t.send(b'o')
    t.wait_gone('Lefevre')
    t.send(b'q')
    assert t.wait_exit(timeout=10) == 0


def test_hangup_keeps_the_form(app):
    app.setup_site()
    t = _begin(app)
    os.kill(t.proc.pid, signal.SIGHUP)
    t.wait_exit(timeout=10)
    assert _draft_rows(app) == 1
    t = _resumed(app)
    _quit_form(t)
    assert _draft_rows(app) == 0, 'left on purpose: the draft is dropped'


def test_terminal_closed_keeps_the_form(app):
    app.setup_site()
    t = _begin(app)
    # The window shut: the terminal's master side closes, the desk reads
    # nothing but errors (and the kernel hangs its session up).
    t._closing = True
    os.close(t._master)
    t._master = -1
    t.proc.wait(10)
    t.kill()
    assert _draft_rows(app) == 1
    t = _resumed(app)
    _quit_form(t)


def test_sigterm_keeps_the_form(app):
    app.setup_site()
    t = _begin(app)
    os.kill(t.proc.pid, signal.SIGTERM)
    t.wait_exit(timeout=10)
    t = _resumed(app)
    _quit_form(t)


def test_kill_9_keeps_the_fields_left(app):
    """Nothing runs on SIGKILL: the field left (the last name) comes back;
    the first name, still being typed, cannot."""
    app.setup_site()
    t = _begin(app)
    os.kill(t.proc.pid, signal.SIGKILL)
    t.proc.wait(10)
    t.kill()
    t = _resumed(app, first_name=False)
    _quit_form(t)


def test_declined_draft_is_dropped_and_saved_intake_drops_it(app):
    app.setup_site()
    t = _begin(app)
    os.kill(t.proc.pid, signal.SIGHUP)
    t.wait_exit(timeout=10)
    # Declined: gone, the home screen as usual, no offer next time.
    t = app.run()
    t.wait_for(OFFER, timeout=10)
    t.send(b'n')
    t.wait_gone(OFFER)
    t.wait_settled()
    assert _draft_rows(app) == 0
    t.send(b'q')
    assert t.wait_exit(timeout=10) == 0
    # A form saved: its draft goes with it.
    from test_intake import _fill
    t = app.run(cols=200)
    t.wait_for('MET')
    t.wait_settled()
    t.send(b'n')
    t.wait_settled(quiet_ms=150)
    _fill(t)
    assert _draft_rows(app) == 1, 'fields left: kept as a draft'
    t.key('F2')
    t.wait_for('MET-2026-', timeout=10)
    t.wait_settled()
    assert _draft_rows(app) == 0, 'the intake saved: no draft left'
    t.key('Esc')
    t.wait_settled()
    t.send(b'q')
    assert t.wait_exit(timeout=10) == 0


def test_old_drafts_purged_other_login_not_offered(app):
    """intake.draft_hours (default 24): an older draft is purged without
    being offered; a draft of another login, or of another site, is not
    offered either."""
    app.setup_site()
    t = _begin(app)
    os.kill(t.proc.pid, signal.SIGHUP)
    t.wait_exit(timeout=10)
    with sqlite3.connect(app.db) as c:
        # Someone else's form, and one at another site, both fresh.
        for login, site in (('zz-other', 'MET'), (harness.login(), 'NAN')):
            c.execute("INSERT INTO draft VALUES(?, ?, '2026-11-23T09:00:00Z',"
                      " '2026-11-23T09:30:00Z')", (login, site))
            c.execute("INSERT INTO draft_field VALUES(?, ?, 'last_name',"
                      " 'Autre')", (login, site))
    # 25 hours later: this login's draft is past its 24 hours.
    later = {'TOTEMDESK_NOW': '2026-11-24T11:00:00Z'}
    t = app.run(env=later)
    t.wait_for('MET')
    t.wait_settled()
    assert t.find(OFFER) is None, 'an expired draft offered' + t.dump()
    t.send(b'q')
    assert t.wait_exit(timeout=10) == 0
    with sqlite3.connect(app.db) as c:
        left = c.execute('SELECT login, site_code FROM draft'
                         ' ORDER BY 1, 2').fetchall()
    # The others were saved at 09:30 the day before: purged too.
    assert left == [], left


def test_draft_hours_configured(app):
    """intake.draft_hours = 48 keeps the same draft a day longer, and a
    bad value is refused before the database is opened."""
    cfg, _ = app.setup_site()
    with open(cfg, encoding='utf-8') as fh:
        text = fh.read()
    assert 'intake = {' in text or 'intake =' in text
    text = text.replace("draft_hours = 24", "draft_hours = 48", 1)
    app.write_config(text)
    t = _begin(app)
    os.kill(t.proc.pid, signal.SIGHUP)
    t.wait_exit(timeout=10)
    t = _resumed(app, env={'TOTEMDESK_NOW': '2026-11-24T11:00:00Z'})
    _quit_form(t)
    app.write_config(text.replace('draft_hours = 48', 'draft_hours = 0'))
    res = app.cli('check', *app.db_args())
    assert res.returncode != 0
    assert 'draft_hours' in res.stderr, res.stderr
