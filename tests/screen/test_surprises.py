"""The desk never surprises (issue 11): screens that come back show what
was done above them, aligned columns, keys the screen can show, a word
on how to leave, help where F1 is pressed, screens offered only to whom
may use them, questions before what cannot be taken back (final
referral statuses, a strong duplicate, exporting all rows when some are
marked) and answers with a next step.

Dossiers are seeded with `totemdesk import` (the officer's command) so
that each test starts from known rows; the screens run in French (the
default) on vt100 under LANG=C or xterm under fr_FR.UTF-8.  Every wait
also holds "the screen equals the screen after Ctrl-L" (harness.py)."""

import csv
import io
import re

import harness

COLUMNS = ('reference', 'site', 'created_at', 'status', 'last_name',
           'first_name', 'email', 'phone', 'postcode', 'city',
           'project_title', 'stage', 'sector', 'needs', 'consent')


def _seed(app, rows, role='officer', site='MET'):
    """A configured site whose database holds rows (dicts of COLUMNS),
    imported by the command line; then the configuration of the user the
    test is about (role, site)."""
    app.setup_site(role='officer', site='MET')
    path = app.path('seed.csv')
    with open(path, 'w', encoding='utf-8', newline='') as fh:
        w = csv.DictWriter(fh, fieldnames=COLUMNS)
        w.writeheader()
        for r in rows:
            full = {'site': 'MET', 'created_at': '2026-11-23T09:00:00Z',
                    'status': 'new', 'postcode': '57000', 'city': 'Metz',
                    'stage': 'seed', 'needs': 'funding', 'consent': '1',
                    'project_title': 'Projet'}
            full.update(r)
            w.writerow(full)
    res = app.cli('import', path, *app.db_args(), lang='C.UTF-8')
    assert res.returncode == 0, 'seeding failed: %s%s' % (res.stdout,
                                                          res.stderr)
    if role != 'officer' or site != 'MET':
        app.write_config(role=role, site=site)


def _export(app, *args):
    res = app.cli('export', *app.db_args(), *args, lang='C.UTF-8')
    assert res.returncode == 0, res.stderr
    return list(csv.DictReader(io.StringIO(res.stdout, newline='')))


def _home(t):
    t.wait_for('Que souhaitez-vous faire')
    t.wait_settled()


def _quit(t):
    for _ in range(6):
        if 'Que souhaitez-vous faire' in t.text():
            break
        t.key('Esc')
        t.wait_settled()
    t.send(b'q')
    assert t.wait_exit(timeout=10) == 0, t.dump()


def _row_with(t, text):
    """The screen row holding text (the first one)."""
    return t.row(t.find(text)[0])


# ---- 2: a screen under another one shows what was done above it ---------

def test_detail_shows_routing_done_above_it(app):
    """t, Enter, r, Space, F2, Esc: back on the detail, the status is
    "orienté" and the timeline holds the referral, without reopening it;
    back on today's list (wide enough for its status column), the row
    says so too."""
    _seed(app, [{'reference': 'MET-2026-0001', 'last_name': 'Kieffer',
                 'first_name': 'Paul', 'email': 'paul@exemple.fr'}])
    t = app.run(term='vt100', lang='C', cols=100)
    _home(t)
    t.send(b't')
    t.wait_for(harness.today_ref('MET-2026-0001'))
    t.wait_settled()
    assert 'nouveau' in _row_with(
        t, harness.today_ref('MET-2026-0001')), t.dump()
    t.key('Enter')
    t.wait_for('Dossier MET-2026-0001')
    t.wait_settled()
    assert 'nouveau' in _row_with(t, 'Statut'), t.dump()
    t.send(b'r')
    t.wait_for('Orienter le dossier MET-2026-0001')
    t.wait_settled()
    t.send(b' ')
    t.key('F2')
    t.wait_for('Orientations du dossier MET-2026-0001')
    t.wait_settled()
    t.key('Esc')
    t.wait_for('Dossier MET-2026-0001')
    t.wait_settled()
    assert 'oriente' in _row_with(t, 'Statut'), t.dump()
    t.send(b'G')                           # the end of the timeline
    t.wait_for('changement de statut')
    assert re.search(r'\d\d:\d\d  \S+  orientation  ', t.text()), t.dump()
    t.key('Esc')
    t.wait_for('Accueils du jour')
    t.wait_settled()
    assert 'oriente' in _row_with(
        t, harness.today_ref('MET-2026-0001')), t.dump()
    _quit(t)


# ---- 10: keys the screen can show -----------------------------------------

HOME_MENU_C = [
    '  > Nouvel accueil                  n/1/&',
    '    Accueils du jour                t/2',
    '    File de tous les dossiers       o/3/"',
    '    Agenda                          a/4/\'',
    '    Statistiques                    s/5/(',
    '    Importer                        i/6/-',
    '    Partenaires                     p/7',
    '    Aide                            ?/8/_',
    '    Quitter                         q/9',
]


def test_home_keys_under_lang_c_are_unambiguous(app):
    """Under LANG=C "é" and "è" would both read "e" (a key of its own
    elsewhere): the menu shows the digit only for them, and so does the
    help; under UTF-8 the AZERTY key shows as itself."""
    _seed(app, [])
    t = app.run(term='vt100', lang='C')
    _home(t)
    menu = [r.rstrip() for r in t.screen_text()[3:20:2]]
    assert menu == HOME_MENU_C, '\n'.join(menu) + t.dump()
    t.key('F1')
    t.wait_for('Ecran principal')
    t.wait_settled()
    assert re.search(r'^ t, 2 +Accueils du jour:', _row_with(t, 'Accueils du')), \
        t.dump()
    assert re.search(r'^ p, 7 +Partenaires:', _row_with(t, 'Partenaires:')), \
        t.dump()
    _quit(t)
    u = app.run(term='xterm-256color', lang='fr_FR.UTF-8')
    _home(u)
    assert _row_with(u, 'Accueils du jour').rstrip().endswith('t/2/é'), \
        u.dump()
    assert _row_with(u, 'Partenaires').rstrip().endswith('p/7/è'), u.dump()
    _quit(u)


# ---- 11: Ctrl-C says how to leave ----------------------------------------

def test_ctrl_c_says_how_to_leave(app):
    """Ctrl-C kills nothing (raw mode keeps a half-typed intake) and the
    status line says which key goes back and which quits; the form keeps
    what was typed."""
    _seed(app, [])
    t = app.run(term='xterm-256color', lang='fr_FR.UTF-8')
    _home(t)
    t.key('^C')
    t.wait_for('Ctrl-C ne quitte pas')
    assert t.row(23).rstrip() == \
        'Ctrl-C ne quitte pas : q pour quitter totemdesk.', t.dump()
    t.send(b'n')
    t.wait_for('Nouvel accueil')
    t.type('Kieffer')
    t.wait_settled()
    t.key('^C')
    t.wait_for('Ctrl-C ne quitte pas')
    assert t.row(23).rstrip() == ('Ctrl-C ne quitte pas : Échap pour revenir,'
                                  ' q à l\'écran principal pour quitter.'), \
        t.dump()
    assert 'Kieffer' in _row_with(t, 'Nom'), t.dump()
    assert t.alive(), t.dump()
    t.key('Esc')                           # asks: something was typed
    t.wait_for('Quitter le formulaire')
    t.send(b'o')
    _home(t)
    t.send(b'o')                           # the queue: a list
    t.wait_for("File d'attente")
    t.wait_settled()
    t.key('^C')
    t.wait_for('Ctrl-C ne quitte pas : Échap pour revenir')
    _quit(t)


# ---- 18: F1 opens the help where it is pressed ---------------------------

def _help_section(t, key='F1'):
    """Press the help key; -> the help's first body row (the section
    title at the top)."""
    t.key(key)
    t.wait_for('Aide : touches')
    t.wait_settled()
    return t.row(2).strip()


def test_help_opens_at_the_section_of_the_screen(app):
    _seed(app, [{'reference': 'MET-2026-0001', 'last_name': 'Kieffer',
                 'first_name': 'Paul', 'email': 'paul@exemple.fr'}])
    t = app.run(term='xterm-256color', lang='fr_FR.UTF-8')
    _home(t)
    assert _help_section(t) == 'Écran principal', t.dump()
    t.key('Esc')
    _home(t)
    t.send(b'?')                           # the menu's help item too
    t.wait_for('Aide : touches')
    t.wait_settled()
    assert t.row(2).strip() == 'Écran principal', t.dump()
    t.key('Esc')
    _home(t)
    t.send(b'n')
    t.wait_for('Nouvel accueil')
    t.wait_settled()
    assert _help_section(t) == "Formulaire d'accueil", t.dump()
    t.key('Esc')
    t.wait_for('Nouvel accueil')
    t.key('Esc')
    _home(t)
    t.send(b'o')
    t.wait_for('MET-2026-0001')
    t.wait_settled()
    assert _help_section(t) == 'File des dossiers et détail du dossier', \
        t.dump()
    t.key('Esc')
    t.wait_for('MET-2026-0001')
    t.send(b'/')                           # a prompt open: its own keys
    t.wait_settled()
    t.type('kie')
    t.wait_settled()
    assert _help_section(t) == "Saisie d'une réponse", t.dump()
    t.key('Esc')
    t.wait_for('Rechercher : kie')         # the search, as it was typed
    t.key('Enter')
    t.wait_settled()
    t.key('Enter')
    t.wait_for('Dossier MET-2026-0001')
    t.wait_settled()
    assert _help_section(t) == 'File des dossiers et détail du dossier', \
        t.dump()
    t.key('Esc')
    t.wait_for('Dossier MET-2026-0001')
    t.send(b'r')
    t.wait_for('Orienter le dossier')
    t.wait_settled()
    assert _help_section(t) == 'Orienter', t.dump()
    _quit(t)


# ---- 3: columns aligned by display width ----------------------------------

TWO_HOLDERS = [
    {'reference': 'MET-2026-0001', 'last_name': 'Dupont', 'first_name': 'Marie',
     'email': 'marie.dupont@exemple.fr', 'status': 'triaged',
     'project_title': 'Épicerie vrac'},
    {'reference': 'MET-2026-0002', 'last_name': 'Kieffer', 'first_name': 'Paul',
     'phone': '06 12 34 56 78', 'status': 'new'},
]


def _columns_of(rows, words):
    """Column where each of words starts in the row that holds it."""
    return [next(r.index(w) for r in rows if w in r) for w in words]


def test_columns_aligned_by_display_width(app):
    """"qualifié" and "nouveau", "Prénom" and "Nom", "(refusée)" and a
    reference: each column starts at the same place on every row, under
    LANG=C (é shown as e) as under UTF-8 (é one column, two bytes)."""
    _seed(app, TWO_HOLDERS)
    for term, lang in (('vt100', 'C'), ('xterm-256color', 'fr_FR.UTF-8')):
        t = app.run(term=term, lang=lang)
        _home(t)
        # The duplicate panel: statuses of different byte lengths.
        t.send(b'n')
        t.wait_for('Nouvel accueil')
        t.wait_settled()
        for text in ('Dupont', 'Marie', '', 'marie.dupont@exemple.fr',
                     '06 12 34 56 78'):
            t.type(text)                  # '': the country, France
            t.key('Tab')
        t.wait_for('MET-2026-0002')
        t.wait_settled()
        rows = t.screen_text()[17:]
        a, b = _columns_of(rows, ['Dupont Marie', 'Kieffer Paul'])
        assert a == b, 'names at %d and %d%s' % (a, b, t.dump())
        t.key('Esc')
        t.wait_for('Quitter le formulaire')
        t.send(b'o')
        _home(t)
        # The field list of "e" in the detail.
        t.send(b'o')
        t.wait_for('MET-2026-0001')
        t.wait_settled()
        t.send(b'/')
        t.type('dupont')
        t.key('Enter')
        t.wait_settled()
        t.key('Enter')
        t.wait_for('Dossier MET-2026-0001')
        t.wait_settled()
        t.send(b'e')
        t.wait_for('marie.dupont@exemple.fr')
        t.wait_settled()
        rows = t.screen_text()[2:]
        cols = _columns_of(rows, ['Dupont', 'Marie', 'marie.dupont@',
                                  'Metz', 'picerie vrac'])
        cols[-1] -= 1                      # "Épicerie": from its É
        assert len(set(cols)) == 1, 'values at %s%s' % (cols, t.dump())
        t.key('Esc')
        _quit(t)
    # The import preview: "(refusée)" and a reference.
    with open(app.path('more.csv'), 'w', encoding='utf-8') as fh:
        fh.write('last_name,first_name,email,needs,consent,site,postcode\r\n'
                 'Schmitt,Hélène,helene@exemple.fr,funding,1,MET,57000\r\n'
                 'Weber,Jörg,joerg@@exemple,funding,1,MET,57000\r\n')
    t = app.run(term='vt100', lang='C')
    _home(t)
    t.send(b'i')
    t.wait_for('Importer')
    t.wait_settled()
    t.type('more.csv')
    t.key('Enter')
    t.wait_for('(refusee)')
    t.wait_settled()
    rows = t.screen_text()
    ok = next(r for r in rows if 'Schmitt' in r)
    bad = next(r for r in rows if 'Weber' in r)
    assert ok.index('MET ') == bad.index('MET '), t.dump()
    assert ok.index('Schmitt') == bad.index('Weber'), t.dump()
    _quit(t)


# ---- 12: screens offered to whom may use them ----------------------------

def test_screens_offered_by_role(app):
    """Reception staff: the import entry of the home menu is marked and
    says why, without opening a screen to fill in; the partner directory
    reads but offers no editing keys, and they say why at once; the
    queue's status key says why before any choice."""
    _seed(app, TWO_HOLDERS, role='reception')
    t = app.run(term='vt100', lang='C')
    _home(t)
    assert _row_with(t, 'Importer').rstrip().endswith('(non autorise)'), \
        t.dump()
    assert '(non autorise)' not in _row_with(t, 'Partenaires'), t.dump()
    t.send(b'i')
    t.wait_for("l'import de dossiers est reserve")
    t.wait_settled()
    assert t.row(3 + 2 * 5).startswith('  > Importer'), t.dump()
    assert t.find('Importer des accueils') is None, t.dump()
    t.key('Up')                            # the usual help line is back
    t.wait_for('toutes les touches')
    t.send(b'p')
    t.wait_for('Partenaires :')
    t.wait_settled()
    status = t.row(23)
    assert 'Ajouter' not in status and 'Modifier' not in status, t.dump()
    t.key('^W')                            # add (F5, which a vt100 lacks)
    t.wait_for("a l'accueil : seuls les charge(e)s de mission")
    t.wait_settled()
    assert t.find('Nouveau partenaire') is None, t.dump()
    t.key('Esc')
    _home(t)
    t.send(b'o')
    t.wait_for('MET-2026-0002')
    t.wait_settled()
    t.send(b'c')
    t.wait_for('seuls les charge(e)s de mission')
    t.wait_settled()
    assert t.find('Nouveau statut') is None, t.dump()
    _quit(t)


def test_partner_editor_asks_before_dropping_typed_text(app):
    """Esc in a field of the partner editor, after typing, asks; "no"
    keeps the text being typed; "yes" drops it, and the partner is left
    as it was."""
    _seed(app, [])
    t = app.run(term='vt100', lang='C')
    _home(t)
    t.send(b'p')
    t.wait_for('Partenaires :')
    t.wait_settled()
    t.key('^E')                            # edit the first partner
    t.wait_for('Modifier le partenaire')
    t.wait_settled()
    name = _row_with(t, '> Nom')[18:].strip()
    t.key('Enter')
    t.wait_for('Nom : ')
    t.key('^U')
    t.type('Tout autre nom')
    t.wait_settled()
    t.key('Esc')
    t.wait_for('Abandonner ce qui a ete saisi dans " Nom " ?')
    t.send(b'n')
    t.wait_gone('Abandonner')
    t.wait_for('Nom : Tout autre nom')     # still typing
    t.key('Esc')
    t.wait_for('Abandonner ce qui a ete saisi')
    t.send(b'o')
    t.wait_gone('Abandonner')
    t.wait_settled()
    assert _row_with(t, '> Nom')[18:].strip() == name, t.dump()
    t.key('Esc')                           # nothing changed: no question
    t.wait_for('Partenaires :')
    _quit(t)


# ---- 16: x with marks asks "the N marked or all M" -----------------------

THREE = [
    {'reference': 'MET-2026-0001', 'last_name': 'Dupont', 'first_name': 'Marie',
     'email': 'marie@exemple.fr'},
    {'reference': 'MET-2026-0002', 'last_name': 'Kieffer', 'first_name': 'Paul',
     'email': 'paul@exemple.fr'},
    {'reference': 'MET-2026-0003', 'last_name': 'Weber', 'first_name': 'Anne',
     'email': 'anne@exemple.fr'},
]


def _refs_in(path):
    with open(path, encoding='utf-8', newline='') as fh:
        return [r['reference'] for r in csv.DictReader(fh)]


def test_export_with_marks_asks_marked_or_all(app):
    """Two of three rows marked: x asks which; the marked ones are written
    in the queue's order, or all three; without marks, no question."""
    _seed(app, THREE)
    t = app.run(term='vt100', lang='C')
    _home(t)
    t.send(b'o')
    t.wait_for('MET-2026-0003')
    t.wait_settled()
    shown = [r for r in ('MET-2026-0001', 'MET-2026-0002', 'MET-2026-0003')]
    shown.sort(key=lambda ref: t.find(ref)[0])
    t.send(b' ')                           # the first row, then the third
    t.wait_settled()
    t.key('Down')
    t.send(b' ')
    t.wait_for('2 dossiers marques')
    t.send(b'x')
    t.wait_for('Exporter quels dossiers ?')
    t.wait_settled()
    assert t.find('Les 2 dossiers marques'), t.dump()
    assert t.find('Tous les 3 dossiers de la file'), t.dump()
    for choice, name, want in ((b'1', 'marked.csv', [shown[0], shown[2]]),
                               (b'2', 'all.csv', shown)):
        if choice == b'2':
            t.send(b'x')
            t.wait_for('Exporter quels dossiers ?')
            t.wait_settled()
        t.send(choice)
        t.wait_for('Exporter les dossiers marques en' if choice == b'1'
                   else 'Exporter les lignes affichees en')
        t.send(b'1')
        t.wait_for('Exporter dans le fichier')
        t.key('^U')
        t.type(app.path(name))
        t.key('Enter')
        t.wait_for('%d dossiers ecrits dans' % len(want))
        t.wait_settled()
        assert _refs_in(app.path(name)) == want, t.dump()
    t.send(b'*')                           # with marks: unmarks them all
    t.wait_settled()
    assert t.find('marque') is None, t.dump()
    t.send(b'x')
    t.wait_for('Exporter les lignes affichees en')
    assert t.find('Exporter quels dossiers') is None, t.dump()
    t.key('Esc')
    t.wait_settled()
    _quit(t)


# ---- 15: a strong match asks before F2 saves -----------------------------

def _fill_form(t, last, first, email='', phone=''):
    """An empty intake form filled so that it saves: names, e-mail or
    phone, postcode, project title, stage, one need, consent; the country
    left at the site's, France."""
    for text in (last, first, '', email, phone, '57000', '', 'Projet'):
        if text:
            t.type(text)
        t.key('Tab')
    t.key('Tab')                           # description
    t.send(b' ')                           # stage: idea
    t.key('Tab')
    t.key('Tab')                           # sector: left unset
    t.send(b'2')                           # needs: funding
    t.key('Tab')
    t.key('Tab')                           # SIRET
    t.send(b' ')                           # consent
    t.wait_settled()


def _dialog_text(t):
    """The screen's rows joined, a dialog's borders taken off."""
    return ' '.join(re.sub(r'^\s*x |\s+x\s*$', '', r).strip()
                    for r in t.screen_text())


def test_strong_match_asks_before_saving(app):
    """The same e-mail as a registered dossier: F2 asks "register a new
    dossier anyway?"; no opens the existing dossier, the form waits
    underneath; yes saves.  Matches the desk dismissed (F4) ask nothing;
    a name alike but no shared e-mail, phone or SIREN asks nothing."""
    _seed(app, [{'reference': 'MET-2026-0001', 'last_name': 'Dupont',
                 'first_name': 'Marie', 'email': 'marie@exemple.fr'}])
    t = app.run(term='vt100', lang='C')
    _home(t)
    t.send(b'n')
    t.wait_for('Nouvel accueil')
    t.wait_settled()
    _fill_form(t, 'Durand', 'Paul', email='marie@exemple.fr')
    t.wait_for('MET-2026-0001')            # the panel shows it
    t.key('F2')
    t.wait_for('o/y: oui')
    t.wait_settled()
    assert ('Dossier MET-2026-0001 (Dupont Marie) : meme e-mail. Enregistrer'
            ' quand meme un nouveau dossier ? (non : ouvrir le dossier'
            ' MET-2026-0001)' in _dialog_text(t)), t.dump()
    t.send(b'n')                           # no: the existing dossier
    t.wait_for('Dossier MET-2026-0001')
    t.wait_settled()
    assert 'marie@exemple.fr' in t.text(), t.dump()
    t.key('Esc')                           # back on the form, as typed
    t.wait_for('Nouvel accueil')
    t.wait_settled()
    assert 'Durand' in _row_with(t, 'Nom'), t.dump()
    assert len(_export(app)) == 1
    t.key('F2')
    t.wait_for('o/y: oui')
    t.send(b'o')                           # yes: a new dossier
    t.wait_for('Dossier MET-2026-0002 enregistre')
    t.wait_settled()
    assert [r['last_name'] for r in _export(app)] == ['Dupont', 'Durand']

    # Both dismissed ("not the same person"): F2 saves at once.
    _fill_form(t, 'Martin', 'Luc', email='marie@exemple.fr')
    t.wait_for('MET-2026-0002')
    for _ in range(2):
        t.key('F4')
        t.wait_for('pas la meme personne')
        t.wait_settled()
    t.key('F2')
    t.wait_for('Dossier MET-2026-0003 enregistre')
    assert 'quand meme' not in t.text(), t.dump()
    # A name alike only (a typo), nothing shared: no question either.
    _fill_form(t, 'Dupond', 'Marie', phone='06 12 34 56 78')
    t.wait_for('MET-2026-0001')
    t.key('F2')
    t.wait_for('Dossier MET-2026-0004 enregistre')
    assert 'quand meme' not in t.text(), t.dump()
    t.key('Esc')
    _quit(t)


# ---- 17: another site's match: where, whom to ask, a note ----------------

def test_other_site_match_says_whom_and_notes_it(app):
    """Reception at Metz, a phone followed at Nancy: F3 says which Totem
    and whom to ask there, and offers to note the match; yes, then F2
    saves without another question and the new dossier carries the note.
    Without the note, F2 asks first."""
    app.setup_site(role='officer', site='COO')
    with open(app.path('nancy.csv'), 'w', encoding='utf-8') as fh:
        fh.write('last_name;first_name;phone;needs;consent;site;postcode;'
                 'project_title;reference\r\n'
                 'Nanceien;Jeanne;06 98 76 54 32;funding;1;NAN;54000;'
                 'Atelier;NAN-2026-0001\r\n')
    res = app.cli('import', *app.db_args(), app.path('nancy.csv'),
                  lang='C.UTF-8')
    assert res.returncode == 0, res.stdout + res.stderr
    app.write_config(role='reception', site='MET')
    t = app.run(term='vt100', lang='C')
    _home(t)
    t.send(b'n')
    t.wait_for('Nouvel accueil')
    t.wait_settled()
    _fill_form(t, 'Durand', 'Paul', phone='06 98 76 54 32')
    t.wait_for('NAN-2026-0001')
    t.key('F2')                            # not noted: asks
    t.wait_for('o/y: oui')
    t.wait_settled()
    assert ('Dossier NAN-2026-0001, suivi au Totem French Tech de Nancy'
            ' (Nancy) : meme telephone. Enregistrer quand meme un nouveau'
            ' dossier ? (non : retour au formulaire)') in _dialog_text(t), \
        t.dump()
    t.send(b'n')                           # no: where and whom, and the offer
    t.wait_gone('retour au')
    t.wait_for('o/y: oui')
    t.wait_settled()
    text = _dialog_text(t)
    assert ('Le dossier NAN-2026-0001 (meme telephone) est suivi au Totem '
            'French Tech de Nancy (Nancy) ; vous ne pouvez pas l\'ouvrir : '
            'demandez a Mehdi Haddad.') in text, t.dump()
    assert 'Nanceien' not in t.text(), t.dump()
    t.send(b'o')
    t.wait_for('Le rapprochement avec NAN-2026-0001 sera note')
    t.wait_settled()
    t.key('F2')                            # noted: saves at once
    t.wait_for('Dossier MET-2026-0001 enregistre')
    t.wait_settled()
    t.key('Esc')
    _quit(t)
    import sqlite3
    db = sqlite3.connect(app.db)
    notes = db.execute("SELECT n.body FROM note n JOIN dossier d ON"
                       " d.id = n.dossier_id WHERE d.reference ="
                       " 'MET-2026-0001'").fetchall()
    db.close()
    assert notes == [('Peut-être la même personne que dans le dossier '
                      'NAN-2026-0001, suivi au Totem French Tech de Nancy '
                      '(Nancy) (même téléphone) : vu à l\'accueil.',)], notes


# ---- 13: the bulk status menu offers what every marked dossier allows ----

def test_bulk_status_offers_allowed_moves_and_says_who_blocks(app):
    """Two new dossiers and a closed one marked: c offers only "qualifie"
    and "clos" (moves every one of them may take), says which moves are
    not offered and which dossier keeps them back; the choice applies to
    all three."""
    _seed(app, THREE[:2] + [dict(THREE[2], status='closed')])
    t = app.run(term='vt100', lang='C')
    _home(t)
    t.send(b'o')
    t.wait_for('MET-2026-0003')
    t.wait_settled()
    t.send(b'*')                           # mark all three
    t.wait_for('3 dossiers marques')
    t.send(b'c')
    t.wait_for('Nouveau statut')
    t.wait_settled()
    text = _dialog_text(t)
    assert ('Non proposes : oriente, en attente, que MET-2026-0003 (clos) '
            'ne peut pas prendre.') in text, t.dump()
    box = [re.sub(r'^\s*x |\s+x\s*$', '', r).strip()
           for r in t.screen_text()]
    top = box.index('Nouveau statut') if 'Nouveau statut' in box else \
        next(i for i, r in enumerate(box) if 'Nouveau statut' in r)
    items = [re.sub(r'^[> ]*\d+\s+', '', r).strip()
             for r in box[top + 1:top + 4]]
    assert items[:2] == ['qualifie', 'clos'], (items, t.dump())
    assert 'accompagne' not in ' '.join(box[top:top + 8]), t.dump()
    t.send(b'1')                           # qualifie: all three
    t.wait_for('Statut modifie')
    t.wait_settled()
    _quit(t)
    assert sorted(r['status'] for r in _export(app)) == ['triaged'] * 3


# ---- 14: a final referral status is asked, and the last change undone ----

def test_final_referral_status_asked_and_undone(app):
    """On the referral screen, "refusee" (final) asks first: no changes
    nothing; yes changes it, and u undoes it; the dossier's log keeps the
    change and its undoing."""
    _seed(app, [{'reference': 'MET-2026-0001', 'last_name': 'Kieffer',
                 'first_name': 'Paul', 'email': 'paul@exemple.fr'}])
    t = app.run(term='vt100', lang='C', cols=100)
    _home(t)
    t.send(b't')
    t.wait_for(harness.today_ref('MET-2026-0001'))
    t.wait_settled()
    t.key('Enter')
    t.wait_for('Dossier MET-2026-0001')
    t.wait_settled()
    t.send(b'r')
    t.wait_for('Orienter le dossier MET-2026-0001')
    t.wait_settled()
    t.send(b' ')
    t.key('F2')
    t.wait_for('Orientations du dossier MET-2026-0001')
    t.wait_settled()
    assert t.find('proposee'), t.dump()
    for answer in (b'n', b'o'):
        t.send(b's')
        t.wait_for('Nouveau statut')
        t.wait_settled()
        t.send(b'2')                       # proposee -> envoyee, refusee
        t.wait_for('o/y: oui')
        t.wait_settled()
        assert re.search(r'Passer l\'orientation vers .* a \W+refusee\W+ \? '
                         r'Ce statut est final', _dialog_text(t)), t.dump()
        t.send(answer)
        t.wait_gone('o/y: oui')
        t.wait_settled()
        if answer == b'n':
            t.wait_for("Rien n'a ete modifie")
            assert t.find('proposee'), t.dump()
            assert not t.find('refusee'), t.dump()
    t.wait_for('u : annuler')
    assert t.find('refusee'), t.dump()
    t.send(b'u')
    t.wait_for('est de nouveau')
    t.wait_settled()
    assert t.find('proposee') and not t.find(re.compile(r'\brefusee\b.*\d')), \
        t.dump()
    t.send(b'u')                           # once only
    t.wait_for('Rien a annuler')
    t.key('Esc')
    _quit(t)
    import sqlite3
    db = sqlite3.connect(app.db)
    log = [r[0] for r in db.execute(
        "SELECT detail FROM audit WHERE action = 'referral' AND detail LIKE"
        " '%->%' ORDER BY id")]
    db.close()
    assert len(log) == 2, log
    assert log[0].endswith(': proposed -> declined'), log
    assert log[1].endswith(': declined -> proposed; undone'), log


# ---- 8: the introduction text where the user is, the whole path shown ----

def test_introduction_text_where_started_whole_path_asked(app):
    """w on the referral screen offers the directory totemdesk was
    started from (not the home directory), the whole path shown; the
    message names the whole path; a second time asks before replacing,
    and no keeps the file."""
    import os
    _seed(app, [{'reference': 'MET-2026-0001', 'last_name': 'Kieffer',
                 'first_name': 'Paul', 'email': 'paul@exemple.fr'}])
    home = app.path('home')
    os.mkdir(home)
    t = app.run(term='vt100', lang='C', cols=160, env={'HOME': home})
    _home(t)
    t.send(b't')
    t.wait_for(harness.today_ref('MET-2026-0001'))
    t.wait_settled()
    t.key('Enter')
    t.wait_for('Dossier MET-2026-0001')
    t.wait_settled()
    t.send(b'r')
    t.wait_for('Orienter le dossier MET-2026-0001')
    t.wait_settled()
    t.send(b' ')
    t.key('F2')
    t.wait_for('Orientations du dossier MET-2026-0001')
    t.wait_settled()
    t.send(b'w')
    t.wait_for('Ecrire le texte dans')
    t.wait_settled()
    m = re.search(r'Ecrire le texte dans : (\S+)', t.text())
    assert m, t.dump()
    path = m.group(1)
    assert path.startswith(app.path('mise-en-relation-MET-2026-0001-')), \
        (path, t.dump())
    assert path.endswith('.txt'), t.dump()
    t.key('Enter')
    t.wait_for('Texte de mise en relation ecrit dans ' + path + '.')
    assert os.stat(path).st_mode & 0o777 == 0o600
    assert os.listdir(home) == [], os.listdir(home)
    with open(path, 'a', encoding='utf-8') as fh:
        fh.write('mot ajoute\n')
    t.wait_settled()
    t.send(b'w')
    t.wait_for('Ecrire le texte dans')
    t.key('Enter')
    t.wait_for('existe deja. Le remplacer ?')
    t.send(b'n')
    t.wait_gone('Le remplacer')
    t.wait_settled()
    assert open(path, encoding='utf-8').read().endswith('mot ajoute\n')
    t.key('Esc')
    _quit(t)


# ---- 19: long partner names keep what tells them apart ---------------------

def test_long_partner_names_keep_their_end(app):
    """At 80 columns the three chambers of trades (names of 60 letters)
    still read apart: each row keeps the end of its name ("... de la
    Moselle (CMA 57)"), no two rows alike, none wider than its column."""
    _seed(app, [])
    t = app.run(term='vt100', lang='C')
    _home(t)
    t.send(b'p')
    t.wait_for('Partenaires :')
    t.wait_settled()
    t.type('chambre de metiers')
    t.wait_for('CMA 57')
    t.wait_settled()
    rows = [r for r in t.screen_text() if '(CMA ' in r]
    assert len(rows) == 3, t.dump()
    for tail in ('(CMA 57)', '(CMA 54)', '(CMA 88)'):
        assert any(tail in r for r in rows), (tail, t.dump())
    assert len({r.split('...')[-1].strip() for r in rows}) == 3, t.dump()
    assert all(r.startswith('  Chambre de m') or
               r.startswith('> Chambre de m') for r in rows), t.dump()
    t.key('Esc')
    _quit(t)


# ---- 19: free width goes to the cut columns, decided once per list --------

def test_today_list_gives_free_width_to_titles(app):
    """vt100 80x24, LANG=C: today's list cut project titles at 22 letters
    while 14 columns stayed empty.  The reference shows without the
    "MET-2026-" every row shares (the title says it once), the name
    column is as wide as the widest name, and the project takes the rest:
    a 42-letter title shows whole.  The columns are laid out once, when
    the list opens: paging down to rows whose names are all short moves
    no column (a move would repaint every row)."""
    long_title = 'Plateforme de covoiturage rural en Moselle'
    rows = [{'reference': 'MET-2026-%04d' % (i + 1),
             'created_at': '2026-11-23T08:%02d:00Z' % i,
             'last_name': 'Lefebvre-Nguyen' if i == 0 else 'Roux',
             'first_name': 'Eloi' if i == 0 else 'Lea',
             'email': 'p%d@exemple.fr' % i,
             'project_title': long_title if i == 0 else 'Ferme %d' % i}
            for i in range(30)]
    _seed(app, rows, role='reception')
    t = app.run(term='vt100', lang='C', rows=24, cols=80)
    _home(t)
    t.send(b't')
    t.wait_for('(MET-2026-...)')
    t.wait_settled()
    head = t.row(2)
    x_title = head.index('Projet')
    # The oldest (first registered) is the last row: page to it.
    for _ in range(3):
        t.key('C-F')
        t.wait_settled()
    row = _row_with(t, long_title)
    assert row.index(long_title) == x_title, t.dump()
    assert 'Lefebvre-Nguyen Eloi' in row, t.dump()
    assert '0001 ' in row and 'MET-2026-0001' not in row, t.dump()
    assert t.row(2) == head, 'columns moved' + t.dump()
    # Every row's title starts in the title's column.
    for y in range(3, 22):
        r = t.row(y)
        if 'Roux Lea' in r:
            assert r[x_title - 1] == ' ' and r[x_title] != ' ', (y, t.dump())
    _quit(t)
