"""The duplicate warning of the intake form: a visitor already
registered is recognised while the receptionist types the name (here
with a typo and without accents), F3 opens the existing dossier, F4
records "not the same person" so that the same name typed again later
raises no warning.  Keys only, no labels: the reference is what the
tests look for."""

import re

from test_intake import VISITOR, _export, _fill, _start_form

REF = re.compile(r'MET-2026-\d{4}')


def _register_first(app, term, lang):
    """Register VISITOR through the form; return the terminal (the form
    is open again, empty) and the new reference."""
    t = _start_form(app, term, lang)
    _fill(t)
    mark = t.bytes_received
    t.key('F2')
    pos = t.wait_for(REF)
    ref = REF.search(t.row(pos[0])).group(0)
    t.wait_settled(since=mark)
    return t, ref


def _type_name(t, last, first):
    """From the first field of an empty form: last name, Tab, first name."""
    t.type(last)
    t.key('Tab')
    t.type(first)
    t.wait_settled(quiet_ms=200)


def test_warning_and_open_existing(app):
    """A one-typo, accentless name shows the existing reference; F3 opens
    that dossier (its SIRET is in the detail)."""
    t, ref = _register_first(app, 'vt100', 'C')
    _type_name(t, 'Lefevbre', 'Zoe')
    # The save message is gone (typing cleared it): a reference on
    # screen now comes from the duplicate panel.
    t.wait_for(ref)
    rows = [r for r in t.screen_text() if ref in r]
    assert len(rows) == 1 and 'Lef' in rows[0], t.dump()
    t.key('F3')
    t.wait_settled()
    t.send(b'G')                          # end of the detail
    t.wait_for('73282932000074')
    # Back to the form: what was typed is still there.
    t.key('Esc')
    t.wait_for('Lefevbre')
    t.wait_for(ref)


def test_ctrl_keys_on_vt100(app):
    """^T and ^G do the same as the function keys (vt100 alternatives)."""
    t, ref = _register_first(app, 'xterm-256color', 'C.UTF-8')
    _type_name(t, 'Zoé', 'Lefèvre')       # first and last name swapped
    t.wait_for(ref)
    t.send(b'\x14')                       # ^T: next match (only one)
    t.wait_settled()
    t.send(b"\x07")                       # ^G: open
    t.wait_settled()
    t.send(b'G')
    t.wait_for('73282932000074')


def test_not_the_same_person(app):
    """F4 hides the match at once and for later intakes of the same name;
    a match on new evidence (the same e-mail) comes back."""
    t, ref = _register_first(app, 'vt100', 'C')
    _type_name(t, 'Lefevre', 'Zoe')
    t.wait_for(ref)
    t.key('F4')
    t.wait_settled()
    assert t.find(ref) is None or 'Lefevre' not in t.row(t.find(ref)[0]), \
        'match still shown after F4' + t.dump()
    # Leave this form, start another one: the same name is not proposed.
    t.key('Esc')
    t.wait_settled()
    t.send(b'y')
    t.wait_gone('Lefevre')
    t.send(b'n')
    t.wait_settled(quiet_ms=150)
    _type_name(t, 'Lefevre', 'Zoe')
    assert t.find(REF) is None, 'dismissed pair proposed again' + t.dump()
    # The same e-mail is new evidence: warned again.
    t.key('Tab', count=2)
    t.type(VISITOR['email'])
    t.wait_for(ref)
    t.key('Esc')
    t.wait_settled()
    t.send(b'y')
    t.wait_settled()
    t.send(b'q')
    assert t.wait_exit(timeout=10) == 0, t.dump()
    # Nothing was registered twice.
    assert [r['reference'] for r in _export(app)] == [ref]


def test_panel_closing_leaves_no_stale_text(app):
    """Issue 11, point 1: the duplicate panel opens on "Schmitt Helene",
    then Backspace erases the first name and the panel closes; the
    consent statement that comes back is whole, with nothing of the
    panel left at the start of its rows (it read "DeConsentement" and
    "> mon projet").  Every wait_settled also checks that the screen
    equals its repaint (harness: redraw_check)."""
    visitor = dict(VISITOR, last_name='Schmitt', first_name='Hélène',
                   email='helene.schmitt@exemple.fr')
    t = _start_form(app, 'vt100', 'C')
    _fill(t, visitor)
    mark = t.bytes_received
    t.key('F2')
    pos = t.wait_for(REF)
    ref = REF.search(t.row(pos[0])).group(0)
    t.wait_settled(since=mark)
    _type_name(t, 'Schmitt', 'Helene')
    t.wait_for(ref)                       # the panel is open
    panel = t.find(ref)[0]
    for _ in range(6):
        t.key('Backspace')
    t.wait_gone(ref)
    t.wait_settled()
    rows = t.screen_text()
    consent = [y for y, r in enumerate(rows) if 'LORnTECH' in r]
    assert consent and consent[0] == panel - 1, t.dump()
    for y in range(panel - 1, 22):
        assert rows[y][:2] == '  ', 'row %d: %r%s' % (y, rows[y], t.dump())
    assert t.redraw_checks >= 3, t.redraw_checks


NANCY = ('last_name;first_name;phone;needs;consent;site;postcode;'
         'project_title\r\n'
         'Nanceien;Jeanne;06 98 76 54 32;funding;1;NAN;54000;Atelier\r\n')


def _type_phone(t, phone):
    """From the first field of an empty form: another name, then the
    phone (the fifth field, after the country and the e-mail)."""
    _type_name(t, 'Durand', 'Paul')
    t.key('Tab', count=3)
    t.type(phone)
    t.wait_settled(quiet_ms=200)


def test_match_at_another_site_shows_where_and_why(app):
    """Issue 13, point 3: reception at Metz typing the phone of someone
    followed at Nancy sees the site, the reference and which field
    matched -- not the name nor the status -- and F3 cannot open it;
    F4 there is Metz's decision: Nancy's desk still sees the match."""
    app.setup_site(role='officer', site='COO')
    with open(app.path('nancy.csv'), 'w', encoding='utf-8') as fh:
        fh.write(NANCY)
    res = app.cli('import', *app.db_args(), 'nancy.csv')
    assert res.returncode == 0, res.stderr
    # Numbered by the database's own site (README "References").
    ref = 'MET-2026-0001'

    app.write_config(role='reception', site='MET')
    t = app.run('--lang', 'en', term='vt100', lang='C')
    t.wait_for('MET')
    t.send(b'n')
    t.wait_settled(quiet_ms=150)
    _type_phone(t, '06 98 76 54 32')
    t.wait_for(ref)
    row = t.row(t.find(ref)[0])
    assert 'NAN' in row.replace(ref, '') and 'same phone' in row, t.dump()
    for secret in ('Nanceien', 'Jeanne', 'new'):
        assert secret not in t.text(), secret + t.dump()
    # Issue 11 point 17: F3 says which Totem holds it and whom to ask
    # there, and offers to note the match in the new dossier.
    t.key('F3')
    t.wait_for('when it is saved?')
    t.wait_settled()
    text = ' '.join(re.sub(r'^\s*x |\s+x\s*$', '', r).strip()
                    for r in t.screen_text())
    assert ('Dossier %s (same phone) is followed at the Totem French Tech '
            'de Nancy (Nancy); you cannot open it: ask Mehdi Haddad.'
            % ref) in text, t.dump()
    assert 'Nanceien' not in t.text()
    t.send(b'n')                           # not noted
    t.wait_gone('when it is saved?')
    t.wait_settled()
    t.key('F4')
    t.wait_for('Noted')
    t.wait_settled()
    assert [r for r in t.screen_text() if ref in r and 'Noted' not in r] \
        == [], 'match still shown after F4' + t.dump()
    t.key('Esc')
    t.wait_settled()
    t.send(b'y')
    t.wait_settled()
    t.send(b'q')
    assert t.wait_exit(timeout=10) == 0, t.dump()

    app.write_config(role='reception', site='NAN')
    t = app.run('--lang', 'en', '--site', 'NAN', term='vt100', lang='C')
    t.wait_for('NAN')
    t.send(b'n')
    t.wait_settled(quiet_ms=150)
    _type_phone(t, '06 98 76 54 32')
    t.wait_for(ref)
    row = t.row(t.find(ref)[0])
    assert 'Nanceien' in row, t.dump()
    t.key('Esc')
    t.wait_settled()
    t.send(b'y')
    t.wait_settled()
    t.send(b'q')
    assert t.wait_exit(timeout=10) == 0, t.dump()
