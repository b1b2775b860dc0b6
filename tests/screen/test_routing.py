"""Routing end to end: an intake is saved, routed to two partners from the
Route screen (^R after the save message), one referral is moved on from
the referral screen, and everything is checked through `totemdesk
referral list`, `totemdesk export` and `totemdesk referral text`.  Also
the Partners screen: search as you type, accents ignored."""

import csv
import io
import re

import harness
from test_intake import REF, _fill, _start_form


def _cli_csv(app, *args):
    res = app.cli(*args, *app.db_args(), lang='C.UTF-8')
    assert res.returncode == 0, '%s failed (%d): %s' % (
        ' '.join(args), res.returncode, res.stderr)
    return list(csv.DictReader(io.StringIO(res.stdout, newline='')))


def _route_and_refer(app, term, lang):
    t = _start_form(app, term, lang)
    _fill(t)
    t.key('F2')
    pos = t.wait_for(REF)
    ref = REF.search(t.row(pos[0])).group(0)
    t.wait_settled()
    t.send(b'\x12')                        # ^R: route the saved dossier
    t.wait_for(ref)
    t.wait_for(re.compile(r'\[ \] 1\. '))
    t.wait_settled()
    # The two first suggestions, as shown.
    names = []
    for n in (1, 2):
        y, _ = t.find(re.compile(r'\[ \] %d\. ' % n))
        m = re.search(r'%d\. (.*?)  \(' % n, t.row(y))
        assert m, t.dump()
        names.append(m.group(1).strip())
        # Each suggestion says why on the line below.
        assert re.search(r'\d+ (open referral|orientation)', t.row(y + 1)), \
            t.dump()
    t.send(b' ')                           # pick the first
    t.key('Down')
    t.send(b' ')                           # and the second
    t.wait_for(re.compile(r'\[x\] 2\. '))
    t.key('F2')                            # refer
    # The referral screen follows, with both.
    t.wait_for(names[0][:20])
    t.wait_for(names[1][:20])
    t.wait_settled()
    t.send(b's')                           # status of the first...
    t.wait_settled()
    t.key('Enter')                         # ...to the first allowed: sent
    t.wait_settled()
    t.key('Esc')
    t.wait_settled()
    t.key('Esc')
    t.wait_settled()
    t.send(b'q')
    assert t.wait_exit(timeout=10) == 0, t.dump()
    return ref, names


def _check(app, ref, names):
    rows = [r for r in _cli_csv(app, 'referral', 'list')
            if r['reference'] == ref]
    assert len(rows) == 2, rows
    by_name = {r['partner_name'][:20]: r for r in rows}
    first = by_name[names[0][:20]]
    second = by_name[names[1][:20]]
    assert first['status'] == 'sent', first
    assert second['status'] == 'proposed', second
    # Follow-up dates from the configured delays (sent: 7 days).
    assert first['followup_on'] == '2026-11-30', first
    assert second['followup_on'] == '2026-11-25', second
    assert first['reason'], first
    # The dossier moved to "referred" with its first referral.
    dossiers = _cli_csv(app, 'export')
    assert [d['status'] for d in dossiers if d['reference'] == ref] == \
        ['referred'], dossiers
    # The introduction text, with the holder's data.
    res = app.cli('referral', 'text', first['id'], '--lang', 'fr',
                  *app.db_args(), lang='C.UTF-8')
    assert res.returncode == 0, res.stderr
    assert 'Zoé Lefèvre' in res.stdout, res.stdout
    assert ref in res.stdout
    assert '{{' not in res.stdout


def test_route_and_refer_vt100(app):
    """vt100 under LANG=C: no F5, so ^R routes; F2 refers."""
    ref, names = _route_and_refer(app, 'vt100', 'C')
    _check(app, ref, names)


def test_route_and_refer_xterm(app):
    ref, names = _route_and_refer(app, 'xterm-256color', 'C.UTF-8')
    _check(app, ref, names)


def test_partners_search(app):
    """Typing searches at once, accents and case ignored; Enter shows the
    partner; Esc clears the search, then leaves.  At 100 columns, where
    the names show whole (at 80 a long one keeps its two ends:
    test_surprises.py::test_long_partner_names_keep_their_end)."""
    app.setup_site(role='officer', site='MET')
    t = app.run(term='xterm-256color', lang='C.UTF-8', cols=100)
    t.wait_for('MET')
    t.wait_settled()
    t.send(b'p')
    t.wait_for('Adie ')
    t.type('EPINAL')                       # "Épinal", any case
    t.wait_for('Innovation Bois (Agglo')
    t.wait_gone('Adie ')
    t.wait_settled()
    # Down to that partner (the list is sorted by name), then open it:
    # the detail's title names it (the list's row would match at once).
    first = t.find('> ')[0]
    for _ in range(t.find('Innovation Bois (Agglo')[0] - first):
        t.key('Down')
    t.key('Enter')
    t.wait_for('Partenaire Hôtel Innovation Bois')
    t.wait_settled()
    t.key('Esc')
    t.wait_settled()
    t.key('Esc')                           # clears the search
    t.wait_for(re.compile(r'^Partenaires : \d\d'))   # the whole list
    t.wait_gone('EPINAL')
    # ...still on the partner just seen.
    assert t.find(re.compile(r'^> .*Hôtel Innovation Bois')), t.dump()
    t.key('Esc')                           # leaves
    t.wait_settled()
    t.send(b'q')
    assert t.wait_exit(timeout=10) == 0, t.dump()


def test_followup_due_in_todays_list(app):
    """A referral whose follow-up date has come is named, with its
    partner, on today's list; before that date it is not."""
    ref, names = _route_and_refer(app, 'xterm-256color', 'C.UTF-8')
    rows = [r for r in _cli_csv(app, 'referral', 'list')
            if r['reference'] == ref]
    proposed = [r for r in rows if r['status'] == 'proposed'][0]
    flag = '%s (%s)' % (ref, proposed['partner_id'])
    # Same day: nothing due yet.
    t = app.run(term='xterm-256color', lang='C.UTF-8')
    t.wait_for('MET')
    t.send(b't')
    t.wait_for(harness.today_ref(ref))
    t.wait_settled()
    assert t.find(flag) is None, t.dump()
    t.key('Esc')
    t.wait_settled()
    t.send(b'q')
    assert t.wait_exit(timeout=10) == 0
    # Two days later the proposed one is due (followup_days.proposed = 2).
    t = app.run(term='vt100', lang='C',
                env={'TOTEMDESK_NOW': '2026-11-25T09:00:00Z'})
    t.wait_for('MET')
    t.send(b't')
    t.wait_for(flag)
    t.key('Esc')
    t.wait_settled()
    t.send(b'q')
    assert t.wait_exit(timeout=10) == 0


def test_partner_add_checks_email(app):
    """An officer adds a partner: an invalid e-mail is refused with the
    validator's message and nothing is saved; once fixed, the partner is
    in the directory (checked with partners export)."""
    app.setup_site(role='officer', site='MET')
    t = app.run(term='xterm-256color', lang='C.UTF-8')
    t.wait_for('MET')
    t.wait_settled()
    t.send(b'p')
    t.wait_for('Adie ')
    t.key('F5')                            # add
    t.wait_settled()

    def set_field(text):
        t.key('Enter')
        t.wait_settled()
        t.send(b'\x15')                    # ^U: empty the prompt
        t.type(text)
        t.key('Enter')
        t.wait_settled()
        t.key('Down')

    set_field('fonds-test')                # id
    set_field('Fonds Test Épinal')         # name
    set_field('funding')                   # kinds
    set_field('funding')                   # needs
    set_field('EPI')                       # sites
    t.key('Down')                          # stages: ALL
    t.key('Down')                          # sectors: any
    set_field('Anne Roy')                  # contact
    set_field('anne@')                     # e-mail, wrong
    t.key('F2')
    t.wait_for('anne@')
    t.wait_settled()
    assert 'fonds-test' not in _cli(app, 'partners', 'export')
    t.key('Up')                            # back on the e-mail
    set_field('Anne.Roy@Exemple.FR')
    t.key('F2')
    t.wait_for('fonds-test')               # back on the list, selected
    t.wait_settled()
    t.key('Esc')
    t.wait_settled()
    t.send(b'q')
    assert t.wait_exit(timeout=10) == 0, t.dump()
    rows = [r for r in csv.DictReader(io.StringIO(
        _cli(app, 'partners', 'export'), newline=''))
        if r['id'] == 'fonds-test']
    assert len(rows) == 1, rows
    assert rows[0]['name'] == 'Fonds Test Épinal'
    assert rows[0]['email'] == 'Anne.Roy@exemple.fr'
    assert rows[0]['sites'] == 'EPI'
    assert rows[0]['active'] == '1'


def _cli(app, *args):
    res = app.cli(*args, *app.db_args(), lang='C.UTF-8')
    assert res.returncode == 0, res.stderr
    return res.stdout


def test_partner_deactivate(app):
    """F8 deactivates the selected partner after a question: it leaves
    the list (F7 shows it again, marked) and is kept in the directory as
    inactive; reception staff are refused."""
    app.setup_site(role='officer', site='MET')
    t = app.run(term='xterm-256color', lang='C.UTF-8')
    t.wait_for('MET')
    t.wait_settled()
    t.send(b'p')
    t.wait_for('Adie ')
    t.type('adie')
    t.wait_gone('Banque Popul')
    t.key('F8')
    t.wait_for(re.compile(r'o/y|y/n|o/n'))
    t.send(b'y')
    t.wait_gone('Adie –')
    t.key('F7')                            # show inactive ones
    t.wait_for('Adie –')
    t.wait_settled()
    t.key('Esc')
    t.wait_settled()
    t.key('Esc')
    t.wait_settled()
    t.send(b'q')
    assert t.wait_exit(timeout=10) == 0, t.dump()
    rows = {r['id']: r for r in csv.DictReader(io.StringIO(
        _cli(app, 'partners', 'export'), newline=''))}
    assert rows['adie']['active'] == '0'
    assert rows['bpalc']['active'] == '1'

    # Reception: the same key is refused at once, before any question,
    # with a message; nothing changes.
    app.write_config(role='reception', site='MET')
    t = app.run(term='xterm-256color', lang='C.UTF-8')
    t.wait_for('MET')
    t.send(b'p')
    t.wait_for('Banque Popul')
    t.wait_settled()
    t.key('F8')
    t.wait_for('seuls les chargé(e)s de mission')
    t.wait_settled()
    assert t.find(re.compile(r'o/y|y/n|o/n')) is None, t.dump()
    t.key('Esc')
    t.wait_settled()
    t.send(b'q')
    assert t.wait_exit(timeout=10) == 0, t.dump()
    rows = {r['id']: r for r in csv.DictReader(io.StringIO(
        _cli(app, 'partners', 'export'), newline=''))}
    assert all(r['active'] == '1' for k, r in rows.items() if k != 'adie')


def test_vt100_hints_name_keys_it_has(app):
    """A vt100's terminfo lists F5-F10 (its keypad), but its keyboard has
    F1-F4 only: the partner list's status line hints the Ctrl keys, and
    the F keys still work where a terminal has them."""
    app.setup_site(role='officer', site='MET')
    t = app.run('--lang', 'en', term='vt100', lang='C')
    t.wait_for('MET')
    t.wait_settled()
    t.send(b'p')
    t.wait_for('Adie ')
    t.wait_settled()
    status = t.row(23)
    assert '^W' in status and 'F5' not in status and 'F8' not in status, \
        status
    t.key('Esc')
    t.wait_settled()
    t.send(b'q')
    t.wait_exit()
    t = app.run('--lang', 'en', term='xterm-256color', lang='C.UTF-8')
    t.wait_for('MET')
    t.wait_settled()
    t.send(b'p')
    t.wait_for('Adie ')
    t.wait_settled()
    t.key('F5')                            # add, by its function key
    t.wait_for('New partner')
    t.key('Esc')
    t.wait_settled()
    t.key('Esc')
    t.wait_settled()
    t.send(b'q')
    t.wait_exit()


def test_rebound_editing_keys_reach_route_and_partners(app):
    """Every key goes through the key table: editing keys rebound in the
    configuration work in the referral note of the route screen's
    follow-up, in the partner search and in the partner editor, which
    once had their own hard-coded keys (^U, Backspace, append only)."""
    from test_i18n import _rebind
    app.setup_site(role='officer', site='MET')
    _rebind(app, clear_field='^G', line_start='^T',
            delete_back='Backspace, ^Z')
    t = app.run(term='vt100', lang='C')
    t.wait_for('MET')
    t.wait_settled()
    t.send(b'n')
    t.wait_settled()
    _fill(t)
    t.key('F2')
    pos = t.wait_for(REF)
    ref = REF.search(t.row(pos[0])).group(0)
    t.wait_settled()
    t.send(b'\x12')                        # ^R: route the saved dossier
    t.wait_for(re.compile(r'\[ \] 1\. '))
    t.wait_settled()
    t.key('F2')                            # refer to the first
    t.wait_for(re.compile(r'\[propos'))
    t.wait_settled()
    t.send(b'n')                           # the outcome note
    t.wait_settled()
    t.type('rendez-vous')
    t.send(b'\x14')                        # ^T: to the start
    t.type('Premier ')
    t.wait_for('Premier rendez-vous')
    t.key('Enter')
    t.wait_for('Premier rendez-vous')
    t.wait_settled()
    for _ in range(3):                     # referral, form, home
        t.key('Esc')
        t.wait_settled()
        if t.find(re.compile(r'o/y|y/n|o/n')):
            t.send(b'y')
            t.wait_settled()
    t.wait_for('n/1/&')
    # Partners: the search erases with ^Z, the editor clears with ^G.
    t.send(b'p')
    t.wait_for('Adie ')
    t.type('adiex')
    t.wait_gone('Adie ')
    t.send(b'\x1a')                        # ^Z: erase the x
    t.wait_for('Adie ')
    t.wait_settled()
    t.send(b'\x05')                        # ^E: edit (F6 is not on vt100)
    t.wait_settled()
    t.key('Enter')                         # the name (the id is fixed)
    t.wait_settled()
    t.send(b'\x07')                        # ^G: clear the field
    t.type('Adie Lorraine')
    t.key('Enter')
    t.wait_settled()
    t.send(b'\x0f')                        # ^O: save
    t.wait_for('Adie Lorraine')            # back on the list
    t.wait_settled()
    t.key('Esc')                           # clears the search
    t.wait_settled()
    t.key('Esc')                           # leaves
    t.wait_settled()
    t.send(b'q')
    assert t.wait_exit(timeout=10) == 0, t.dump()
    rows = [r for r in _cli_csv(app, 'referral', 'list')
            if r['reference'] == ref]
    assert [r['outcome'] for r in rows] == ['Premier rendez-vous'], rows
    names = {r['id']: r['name'] for r in csv.DictReader(io.StringIO(
        _cli(app, 'partners', 'export'), newline=''))}
    assert names['adie'] == 'Adie Lorraine', names['adie']
