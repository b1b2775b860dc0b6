"""Cross-border visitors (issue 12): a German, a Belgian and a Luxembourg
visitor registered through the intake form, each country chosen by its
first letter, their numbers typed in their national forms; then read
back through `totemdesk export` and imported into a second database
unchanged.

Run on vt100 under LANG=C and on xterm-256color under C.UTF-8, with the
interface in French (the shipped configuration): the country's letter is
that of its French name (Allemagne, Belgique, Luxembourg)."""

import csv
import io
import json
import re

from test_intake import _fill, _export

REF = re.compile(r'MET-2026-\d{4}')

BASE = {
    'email': '',
    'project_title': 'Atelier transfrontalier',
    'description': 'Cherche un local en Moselle.',
}

VISITORS = [
    dict(BASE, last_name='Schmitt', first_name='Jürgen', country_keys='a',
         phone='0681 1234567', postcode='D-66111', city='Saarbrücken',
         siret='Amtsgericht Saarbrücken HRB 12345'),
    dict(BASE, last_name='Lambert', first_name='Sophie', country_keys='b',
         phone='063 12 34 56', postcode='B-6700', city='Arlon',
         siret='0566 988 259'),
    dict(BASE, last_name='Weber', first_name='Marc', country_keys='l',
         phone='621 123 456', postcode='L 4362', city='Esch-sur-Alzette',
         siret='RCS Luxembourg B 123456'),
]

# What the store keeps: by last name, the export's columns.
STORED = {
    'Schmitt': {'country': 'DE', 'phone': '+496811234567',
                'postcode': '66111',
                'company_id': 'Saarbrücken HRB 12345'},
    'Lambert': {'country': 'BE', 'phone': '+3263123456',
                'postcode': '6700', 'company_id': '0566.988.259'},
    'Weber': {'country': 'LU', 'phone': '+352621123456',
              'postcode': 'L-4362', 'company_id': 'B123456'},
}


def _register(app, t, v):
    """Fill the form with v and save it: the new reference."""
    _fill(t, v)
    mark = t.bytes_received
    t.key('F2')
    pos = t.wait_for(REF)
    t.wait_settled(since=mark)
    return REF.search(t.row(pos[0])).group(0)


def _journey(app, term, lang):
    app.setup_site()
    t = app.run(term=term, lang=lang)
    t.wait_for('MET')
    t.wait_settled()
    t.send(b'n')
    t.wait_settled(quiet_ms=150)
    # The form starts with the site's country, France.
    t.wait_for('France')
    refs = {}
    for v in VISITORS:
        refs[v['last_name']] = _register(app, t, v)
    # Routed: the shipped rule country = "LU" puts Luxinnovation first
    # for the Luxembourg visitor, the last one saved.
    t.send(b'\x12')                        # ^R: route the saved dossier
    t.wait_for(refs['Weber'])
    t.wait_for(re.compile(r'\[ \] 1\. Luxinnovation'))
    t.wait_settled()
    t.key('Esc')
    t.wait_settled()
    t.key('Esc')
    t.wait_settled()
    t.send(b'q')
    assert t.wait_exit(timeout=10) == 0, t.dump()

    # Found by search, by the country's name in French, English or
    # German; the queue shows the country on a wide terminal.
    app.write_config(role='officer', site='MET')
    for word, who in (('Belgique', 'Lambert'), ('luxemburg', 'Weber'),
                      ('Allemagne', 'Schmitt'), ('germany', 'Schmitt')):
        res = app.cli('export', *app.db_args(), '--search', word,
                      lang='C.UTF-8')
        assert res.returncode == 0, res.stderr
        found = list(csv.DictReader(io.StringIO(res.stdout, newline='')))
        assert [r['last_name'] for r in found] == [who], (word, found)
    t = app.run(cols=132, term=term, lang=lang)
    t.wait_for('MET')
    t.wait_settled()
    t.send(b'o')
    t.wait_settled()
    t.send(b'/')
    t.type('Belgique')
    t.wait_for(refs['Lambert'])
    t.wait_gone(refs['Weber'])
    y, _ = t.find(refs['Lambert'])
    assert 'Belgique' in t.row(y), t.dump()
    t.key('Enter')
    t.wait_settled()
    t.key('Esc')
    t.wait_settled()
    t.send(b'q')
    assert t.wait_exit(timeout=10) == 0, t.dump()

    # Statistics: visitors by country, the share from abroad.
    res = app.cli('report', '--format', 'json', *app.db_args(),
                  lang='C.UTF-8')
    assert res.returncode == 0, res.stderr
    rep = json.loads(res.stdout)
    assert rep['by_country'] == {'FR': 0, 'LU': 1, 'DE': 1, 'BE': 1,
                                 'other': 0}, rep['by_country']
    assert rep['abroad_by_site'] == [{'site': 'MET', 'intakes': 3,
                                      'abroad': 3, 'percent': 100.0}], \
        rep['abroad_by_site']

    rows = _export(app)
    assert len(rows) == 3, rows
    for row in rows:
        want = STORED[row['last_name']]
        for k, val in want.items():
            assert row[k] == val, (row['last_name'], k, row[k], val)
        assert row['reference'] == refs[row['last_name']]

    # Exported, imported into another database, exported again: the
    # same records.
    res = app.cli('export', *app.db_args(), '-o', app.path('out.csv'))
    assert res.returncode == 0, res.stderr
    other = app.path('other.db')
    res = app.cli('init', '--db', other)
    assert res.returncode == 0, res.stderr
    res = app.cli('import', '--db', other, app.path('out.csv'))
    assert res.returncode == 0, res.stdout + res.stderr
    res = app.cli('export', '--db', other, lang='C.UTF-8')
    assert res.returncode == 0, res.stderr
    again = list(csv.DictReader(io.StringIO(res.stdout, newline='')))
    assert len(again) == 3, again

    def strip(r):
        return {k: v for k, v in r.items() if k != 'updated_at'}
    by_ref = {r['reference']: strip(r) for r in rows}
    for r in again:
        assert strip(r) == by_ref[r['reference']], (r, by_ref[r['reference']])
    return t


def test_three_countries_vt100_lang_c(app):
    """vt100, LANG=C: the three visitors, ASCII on screen."""
    _journey(app, 'vt100', 'C')


def test_three_countries_xterm_utf8(app):
    """xterm-256color, C.UTF-8: the same in UTF-8."""
    _journey(app, 'xterm-256color', 'C.UTF-8')


def test_country_sets_hints_messages_help(app):
    """Issue 12 point 7: the hints beside the phone, postcode and company
    fields follow the country chosen, an error names the country, and
    F1 lists what each country accepts (French, vt100, LANG=C)."""
    app.setup_site()
    t = app.run(term='vt100', lang='C')
    t.wait_for('MET')
    t.wait_settled()
    t.send(b'n')
    t.wait_settled(quiet_ms=150)
    t.wait_for('57000, L-1234, 66111, 6700')       # France: every form
    t.type('Lambert')
    t.key('Tab')
    t.type('Sophie')
    t.key('Tab')
    t.send(b'b')                                   # Belgique
    t.wait_for('Belgique')
    t.wait_for('063 12 34 56, +32 ...')
    t.wait_for('4 chiffres : 6700')
    t.wait_for('BCE/KBO : 0566.988.259')
    assert t.find('57000, L-1234') is None, t.dump()
    t.key('Tab', count=2)                          # the phone
    t.type('063 12 34')
    t.wait_for('Un numero belge a 8 ou 9 chiffres')
    t.send(b'\x15')
    t.type('063 12 34 56')
    t.wait_gone('Un numero belge')
    # The help: what each country accepts, at its end.
    t.key('F1')
    t.wait_settled()
    t.send(b'G')
    t.wait_for('Ce que chaque pays accepte')
    t.wait_for('B123456')
    t.wait_for('Saarbrucken HRB 12345')
    t.key('Esc')
    t.wait_settled()
    t.key('Esc')
    t.wait_for('Quitter le formulaire')
    t.send(b'o')
    t.wait_settled()
    t.send(b'q')
    assert t.wait_exit(timeout=10) == 0, t.dump()
