"""Translation quality on the screens: French plural forms chosen by the
count (French counts 0 and 1 as singular), keys named in messages as the
configuration binds them rather than as shipped, partner vocabularies
shown as words of the user's language rather than stored codes, and the
audit log kept language-independent (written under one language, read
in the other)."""

import re
import sqlite3

from test_desk import HOLDERS


def _rebind(app, **keys):
    """Rewrite the configuration's keys group with keys (action = list)."""
    with open(app.config, encoding='utf-8') as fh:
        text = fh.read()
    body = ''.join('    %s = "%s";\n' % kv for kv in keys.items())
    text, n = re.subn(r'(?m)^(\s*keys\s*=\s*\{\n)', lambda m: m.group(1) + body,
                      text, count=1)
    assert n == 1, 'no keys = { group in the configuration'
    with open(app.config, 'w', encoding='utf-8') as fh:
        fh.write(text)


def _home(t):
    t.wait_for('MET')
    t.wait_settled()


def _quit(t):
    for _ in range(4):
        t.key('Esc')
        t.wait_settled()
    t.send(b'q')
    assert t.wait_exit(timeout=10) == 0, t.dump()


def test_import_french_plurals_and_wrapped_help(app):
    """French: one bad row is "1 ligne", singular; zero duplicates too;
    the column list wraps instead of being cut at the edge."""
    app.setup_site(role='officer', site='MET')
    with open(app.path('holders.csv'), 'w', encoding='utf-8') as fh:
        fh.write(HOLDERS)
    t = app.run(term='xterm-256color', lang='C.UTF-8')
    _home(t)
    t.send(b'i')
    t.wait_for('CSV')
    t.wait_settled()
    # The last column name, on screen whole: the help line was wrapped.
    assert 'consent.' in t.text(), t.dump()
    assert 'Entrée : vérifier le fichier' in t.text(), t.dump()
    t.type('holders.csv')
    t.key('Enter')
    t.wait_for('3 lignes lues : 2 peuvent être importées, 1 pose problème')
    t.wait_for('(dont 0 déjà')             # the line wraps there
    t.wait_for('enregistrée).')
    t.wait_for('F2/^O : importer les 2 lignes correctes.  Échap : retour.')
    t.key('F2')
    t.wait_for('Importer 2 dossiers et ignorer 1 ligne qui pose problème ?')
    t.send(b'o')
    t.wait_for('2 dossiers importés, 1 ligne ignorée.')
    _quit(t)


def test_rebound_keys_named_in_messages(app):
    """Messages that name a key follow the configuration: the agenda's
    "everybody" key and the route key of the empty referral screen."""
    app.setup_site(role='officer', site='MET')
    with open(app.path('holders.csv'), 'w', encoding='utf-8') as fh:
        fh.write(HOLDERS)
    res = app.cli('import', *app.db_args(), '--skip-bad', 'holders.csv')
    assert res.returncode == 0, res.stderr
    _rebind(app, agenda_mine='M', route='R')
    t = app.run('--lang', 'en', term='xterm-256color', lang='C.UTF-8')
    _home(t)
    t.send(b'a')
    t.wait_for('Agenda (mine)')
    t.wait_for("Nothing due this week for you. M: everybody's.")
    t.key('Esc')
    _home(t)
    t.send(b'o')                           # the queue: imported dossiers
    t.wait_for(re.compile(r'[A-Z]{3}-2026-\d{4}'))
    t.wait_settled()
    t.key('Enter')
    t.wait_for('Dossier ')
    t.wait_settled()
    t.send(b'f')                           # its referrals: none yet
    t.wait_for('No referral yet: route the dossier from its detail (R).')
    _quit(t)


def test_partner_screens_show_words_not_codes(app):
    """The partner detail shows kinds, needs, stages and sites in French
    words; the message after a deactivation names the rebound key."""
    app.setup_site(role='officer', site='MET')
    _rebind(app, partner_show_inactive='F9')
    t = app.run(term='xterm-256color', lang='C.UTF-8')
    _home(t)
    t.send(b'p')
    t.wait_for('Adie ')
    t.type('adie')
    t.wait_gone('Banque Popul')
    t.wait_settled()
    t.key('Enter')                         # the detail
    t.wait_for('Partenaire Adie')
    t.wait_settled()
    text = t.text()
    for row, words in (('Types', 'financement, conseil'),
                       ('Besoins traités', 'financement, conseil, formation'),
                       ('Stades', 'idée, création, développement'),
                       ('Sites', 'tous les sites')):
        y = t.find(row)
        assert y is not None and words in t.row(y[0]), \
            '%s: %s%s' % (row, words, t.dump())
    assert 'funding' not in text, t.dump()
    t.key('Esc')
    t.wait_for('Adie ')
    t.wait_settled()
    t.key('F8')
    t.wait_for(re.compile(r'o/n|o/y'))
    t.send(b'o')
    t.wait_for('Partenaire désactivé (F9 affiche les partenaires inactifs).')
    _quit(t)


def test_queue_french_summary_and_rebound_keys(app):
    """The queue's filter summary is whole French phrases ("site : EPI",
    a space before the colon), and the filter menus name the keys as
    the configuration binds them."""
    from test_queue import _populate
    app.setup_site(role='officer', site='COO')
    _populate(app.db)
    _rebind(app, open='Enter, ^J', back='^X, Esc', queue_save_filter='B')
    t = app.run(rows=30, cols=100, term='xterm-256color', lang='C.UTF-8')
    t.wait_for('MET')
    t.wait_settled()
    t.send(b'o')
    t.wait_for(re.compile(r"File d'attente : \d+ dossier"))
    t.wait_settled()
    t.send(b'/')
    t.type('epina')
    t.wait_for("File d'attente : 3 dossiers")
    t.key('Enter')
    t.wait_settled()
    t.send(b'=')
    t.wait_for('Filtres (Entrée : modifier, ^X : retour à la liste)')
    t.key('Enter')                       # Site
    t.wait_for('EPI')
    t.send(b'5')                         # tous, THI, MET, NAN, EPI
    t.wait_for('Site : EPI')
    t.send(b'2')                         # Statut: ticks, stays open
    t.wait_for('Statut (Entrée coche ; ^X : terminé)')
    t.key('Esc')
    t.wait_settled()
    t.key('Esc')
    t.wait_for("File d'attente : 1 dossier")
    t.wait_settled()
    assert t.find('site : EPI') and t.find('recherche : « epina »'), t.dump()
    t.send(b'm')                         # no saved filter yet
    t.wait_for('puis B pour les enregistrer.')
    _quit(t)
