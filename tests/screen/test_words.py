"""What the desk says and how (issue 11, "Words"): one date style per
language wherever a date is shown or typed, ...

The data is written with Python's sqlite3 module, as in test_queue.py."""

import re
import sqlite3

from test_queue import _populate

ISO = re.compile(r'\b20\d\d-[01]\d-[0-3]\d\b')
DMY = re.compile(r'\b[0-3]\d/[01]\d/(20)?\d\d\b')


def _referral(db, dossier_id, followup):
    con = sqlite3.connect(db)
    con.execute(
        'INSERT INTO referral(id, dossier_id, partner_id, status, status_at,'
        ' created_by, followup_on, reason, created_at, updated_at)'
        ' VALUES("MET-R0001", ?, "initiative-metz", "sent",'
        ' "2026-11-20T10:00:00Z", "desk", ?, "", "2026-11-20T10:00:00Z",'
        ' "2026-11-20T10:00:00Z")', (dossier_id, followup))
    con.commit()
    con.close()


def _no_iso(t, what):
    m = ISO.search(t.text())
    assert not m, '%s: ISO date %s in French%s' % (what, m.group(0), t.dump())


def test_dates_one_style_per_language(app):
    """French shows 23/11/2026 (23/11/26 in the queue's narrow columns)
    on every screen -- queue, detail, timeline, referrals, agenda,
    statistics -- and asks for JJ/MM/AAAA; what is shown can be typed
    back, as can 2026-11-23 and +N working days.  English is ISO."""
    app.setup_site(role='officer', site='COO')
    _populate(app.db)
    _referral(app.db, 'MET-D0001', '2026-11-24')
    t = app.run(rows=30, cols=100, term='xterm-256color', lang='C.UTF-8')
    t.wait_for('23/11/2026')                    # the header's today
    t.wait_settled()

    # Queue: narrow dd/mm/yy, created and next follow-up.
    t.send(b'o')
    t.wait_for("File d'attente : 6 dossiers")
    row = t.row(t.find('MET-2026-0001')[0])
    assert '20/11/26' in row and '27/11/26' in row, t.dump()
    _no_iso(t, 'queue')

    # Filter typed as shown, in the narrow form; the menu and the
    # summary show it whole.
    t.send(b'=')
    t.wait_for('Créés à partir du : -')
    t.send(b'9')
    t.wait_for('Créés à partir du (JJ/MM/AAAA)')
    t.type('19/11/26')
    t.key('Enter')
    t.wait_for('Créés à partir du : 19/11/2026')
    t.key('Esc')
    t.wait_for("File d'attente : 4 dossiers")
    assert t.find('19/11/2026'), t.dump()
    _no_iso(t, 'queue filtered')
    # ... and in ISO: the same filter.
    t.send(b'=')
    t.wait_for('Créés à partir du : 19/11/2026')
    t.send(b'9')
    t.wait_for('Créés à partir du (JJ/MM/AAAA)')
    t.key('^U')
    t.type('2026-11-21')
    t.key('Enter')
    t.wait_for('Créés à partir du : 21/11/2026')
    t.key('Esc')
    t.wait_for("File d'attente : 2 dossiers")
    t.send(b'0')
    t.wait_for("File d'attente : 6 dossiers")

    # Detail and its timeline.
    t.key('Down', 2)
    t.wait_settled()
    t.key('Enter')
    t.wait_for('Dossier MET-2026-0001')
    t.send(b'G')
    t.wait_for(re.compile(r'Prochaine relance +27/11/2026'))
    assert t.find('20/11/2026 09:00'), t.dump()
    _no_iso(t, 'detail')

    # Referrals: the follow-up shown, asked and typed in French.
    t.send(b'f')
    t.wait_for('relance le 24/11/2026')
    t.send(b'd')
    t.wait_for('Date de relance (JJ/MM/AAAA, ou +N jours ouvrés')
    assert t.find('24/11/2026'), 'the prompt starts from the date shown'
    t.key('^U')
    t.type('+3')                                # Monday 23 + 3 working days
    t.key('Enter')
    t.wait_for('relance le 26/11/2026')
    t.send(b'd')
    t.wait_for('Date de relance')
    t.key('^U')
    t.type('2/12/26')
    t.key('Enter')
    t.wait_for('relance le 02/12/2026')
    _no_iso(t, 'referrals')
    t.send(b'd')
    t.wait_for('Date de relance')
    t.key('^U')
    t.type('31/11/2026')
    t.key('Enter')
    t.wait_for("« 31/11/2026 » n'est pas une date")
    t.wait_for('relance le 02/12/2026')
    t.key('Esc')
    t.wait_for('Dossier MET-2026-0001')
    t.key('Esc')                                # opened again: issue 11.2
    t.wait_for("File d'attente")
    t.key('Enter')
    t.wait_for('Dossier MET-2026-0001')
    t.send(b'G')
    t.wait_for('relance le 02/12/2026')        # the timeline says it too
    _no_iso(t, 'timeline')
    t.key('Esc')
    t.wait_for("File d'attente")
    t.key('Esc')
    t.wait_settled()

    # Agenda: due dates this week.
    t.send(b'a')
    t.wait_for('Agenda (les miennes)')
    t.send(b'm')                                # everybody's
    t.wait_for('25/11/2026')
    _no_iso(t, 'agenda')
    t.key('Esc')
    t.wait_settled()
    t.send(b'q')
    assert t.wait_exit(timeout=10) == 0

    # English: ISO everywhere, and the French forms are read too.
    t = app.run('--lang', 'en', rows=30, cols=100, term='xterm-256color',
                lang='C.UTF-8')
    t.wait_for('2026-11-23')
    t.wait_settled()
    t.send(b'o')
    t.wait_for('Queue: 6 dossiers')
    row = t.row(t.wait_for('MET-2026-0001')[0])
    assert '2026-11-20' in row and '2026-11-30' in row, t.dump()
    assert not DMY.search(t.text()), t.dump()
    t.send(b'=')
    t.wait_for('Created from: -')
    t.send(b'9')
    t.wait_for('Created from (YYYY-MM-DD)')
    t.type('19/11/2026')
    t.key('Enter')
    t.wait_for('Created from: 2026-11-19')
    t.key('Esc')
    t.wait_for('Queue: 4 dossiers')
    t.key('Esc')
    t.wait_settled()
    t.send(b'q')
    assert t.wait_exit(timeout=10) == 0

    # The command line reads them too, and its report shows the language's.
    res = app.cli('export', *app.db_args(), '--since', '19/11/26')
    assert res.returncode == 0, res.stderr
    assert len(res.stdout.strip().splitlines()) == 5, res.stdout
    res = app.cli('report', *app.db_args(), '--from', '19/11/2026', '--to',
                  '2026-11-22', lang='C.UTF-8')
    assert res.returncode == 0, res.stderr
    assert "depuis 19/11/2026 jusqu'à 22/11/2026" in res.stdout, res.stdout
    assert '(01/01/2026 .. 31/12/2028)' in res.stdout, res.stdout   # goals
    assert not ISO.search(res.stdout), res.stdout
    res = app.cli('report', *app.db_args(), '--lang', 'en', '--from',
                  '19/11/26')
    assert 'from 2026-11-19' in res.stdout, res.stdout
    res = app.cli('export', *app.db_args(), '--since', '31/02/2026')
    assert res.returncode == 2 and '31/02/2026' in res.stderr, res.stderr


def _words(t, rows=None):
    """The screen's text as words (box sides and blanks left out)."""
    out = []
    for i, r in enumerate(t.screen_text()):
        if rows is not None and i not in rows:
            continue
        r = r.strip()
        if r.startswith('x ') and r.endswith(' x'):
            r = r[2:-2]
        out += r.split()
    return ' '.join(out)


def _whole(t, text, what):
    assert ' '.join(text.split()) in _words(t), \
        '%s: not whole on screen: %r%s' % (what, text, t.dump())


def test_messages_whole_at_80_columns(app):
    """Every message a screen shows is whole at 80 columns, in French:
    a dialog's question, the status line's message, the message row,
    the route reasons -- wrapped, not cut (issue 11 point 7)."""
    app.setup_site(role='officer', site='COO')
    _populate(app.db)
    _referral(app.db, 'MET-D0001', '2026-11-24')
    con = sqlite3.connect(app.db)
    con.execute("UPDATE dossier SET needs = 'advice|funding|hosting|"
                "networking|training', stage = 'creation',"
                " sector = 'healthtech' WHERE reference = 'MET-2026-0001'")
    con.commit()
    con.close()
    t = app.run(rows=24, cols=80, term='xterm-256color', lang='C.UTF-8')
    t.wait_for('23/11/2026')
    t.wait_settled()

    # A dialog: the question on as many lines as it takes.
    t.send(b'p')
    t.wait_for('Partenaires')
    t.type('adie')
    t.wait_for('Partenaires : 1')
    t.key('^Y')
    t.wait_for('Désactiver Adie')
    _whole(t, "Désactiver Adie – Association pour le droit à l'initiative "
              "économique ? Il ne sera plus proposé ; ses orientations "
              "sont conservées.", 'the deactivate dialog')
    t.send(b'n')
    t.wait_gone('Désactiver Adie')
    t.key('Esc')
    t.key('Esc')
    t.wait_settled()

    # The message row (the queue's): a refused date, whole.
    t.send(b'o')
    t.wait_for("File d'attente : 6 dossiers")
    t.send(b'=')
    t.wait_for('Créés à partir du : -')
    t.send(b'9')
    t.wait_for('Créés à partir du (JJ/MM/AAAA)')
    t.type('32/11/26')
    t.key('Enter')
    t.wait_for('« 32/11/26 »')
    _whole(t, "« 32/11/26 » n'est pas une date : écrivez 23/11/2026, "
              "23/11/26, 2026-11-23 ou +3 (jours ouvrés à partir "
              "d'aujourd'hui)", 'the message row')
    t.key('Esc')
    t.wait_settled()
    t.key('Down')
    t.wait_gone('« 32/11/26 »')              # gone with the next key,
    t.wait_for('=HYPERLINK')                 # and what it covered is back

    # Route reasons: whole, however many needs match.
    t.key('Down')
    t.wait_settled()
    t.key('Enter')
    t.wait_for('Dossier MET-2026-0001')
    t.send(b'r')
    t.wait_for('Orienter le dossier MET-2026-0001')
    t.wait_settled()
    picks = [r for r in t.screen_text() if re.search(r'\[[ x=]\] \d+\.', r)]
    ends = re.findall(r'\d+ orientations? en cours', _words(t))
    assert picks and len(ends) == len(picks), \
        'a reason is cut (%d partners, %d whole reasons)%s' \
        % (len(picks), len(ends), t.dump())
    t.key('Esc')
    t.wait_for('Dossier MET-2026-0001')

    # The status line: a refused follow-up date, whole.
    t.send(b'f')
    t.wait_for('relance le 24/11/2026')
    t.send(b'd')
    t.wait_for('Date de relance')
    t.key('^U')
    t.type('31/11/2026')
    t.key('Enter')
    t.wait_for('« 31/11/2026 »')
    _whole(t, "« 31/11/2026 » n'est pas une date : écrivez 23/11/2026, "
              "23/11/26, 2026-11-23 ou +3 (jours ouvrés à partir "
              "d'aujourd'hui)", 'the status line')
    t.send(b'j')
    t.wait_gone('« 31/11/2026 »')
    t.wait_for('relance le 24/11/2026')      # what it covered is back


def _page_to(t, text, pages=12):
    """PgDn until text shows."""
    for _ in range(pages):
        if t.find(text):
            return
        t.key('PgDn')
        t.wait_settled()
    t.wait_for(text)


def test_demo_is_coherent(app):
    """--demo shows coherent data on its screens (issue 11 point 22):
    statistics with referrals per partner and goals on the way, and a
    referred dossier with its referral and the way it came in its
    timeline."""
    t = app.run('--demo', rows=60, cols=100, term='xterm-256color',
                lang='C.UTF-8')
    t.wait_for('DÉMO')
    t.wait_settled()
    t.send(b's')
    t.wait_for('Statistiques')
    _page_to(t, 'envoyées acceptées conversion')
    y = t.find('envoyées acceptées conversion')[0]
    rows = [t.row(r) for r in range(y + 1, 58)]
    rated = [r for r in rows if re.search(r'\d+\s+\d+\s+\d+\.\d%', r)]
    assert len(rated) >= 3, 'no referral per partner%s' % t.dump()
    assert not t.find('néant'), t.dump()
    _page_to(t, 'Objectifs du programme')
    _page_to(t, 'Porteurs orientés vers un partenaire')
    bars = re.findall(r'\] (\d+)/(\d+) ', _words(t))
    assert bars and all(0 < int(d) < int(n) for d, n in bars), \
        'goals not on their way%s' % t.dump()
    t.key('Esc')
    t.wait_settled()

    t.send(b'o')
    t.wait_for("File d'attente : ")
    t.wait_settled()
    t.send(b'=')
    t.wait_for('Statut : tous')
    t.send(b'2')
    t.wait_for('[ ] orienté')
    t.send(b'4')
    t.wait_for('[x] orienté')
    t.key('Esc')
    t.key('Esc')
    t.wait_for('statut : orienté')
    t.wait_settled()
    t.key('Enter')
    t.wait_for('Historique')
    t.send(b'G')
    t.wait_for('qualifié -> orienté')
    for what in ('enregistrement', 'nouveau -> qualifié', 'orientation',
                 'proposée -> envoyée'):
        assert t.find(what), '%r not in the timeline%s' % (what, t.dump())
