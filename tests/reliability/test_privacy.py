"""Erasure (issue 14, point 3) against the real binary, the real
configuration and real SQLite files.

test_erase_survives_restore: two people imported; a backup taken;
`privacy erase` of one: `report` gives the same counts as before, the
database file and its -wal hold none of the person's name, e-mail and
phone (a byte search of the files), the other person is untouched;
`restore` of the older backup replays the erasure log, and the person is
still erased (the byte search again), the other still there.  Reception
is refused (exit status 3) and an unknown reference is named.

test_privacy_commands: access export (text and JSON, by reference and by
e-mail, -o through the safe writer, audited), withdrawal (a second one
refused), purge --dry-run and purge (the retention section), report.

Run by tests/screen/run_one.py (it hands `app`)."""

import json

import os
import sqlite3

import harness

PERSON = ('Lefèvre', 'zoe.lefevre@exemple.fr', '+33612345678', '612345678',
          'Woippy', 'Épicerie vrac', 'produits locaux')

CSV = (
    'site,created_at,status,last_name,first_name,email,phone,postcode,city,'
    'project_title,stage,sector,needs,description,consent\n'
    'MET,2026-03-02T09:00:00Z,referred,Lefèvre,Zoé,zoe.lefevre@exemple.fr,'
    '+33612345678,57050,Woippy,Épicerie vrac,idea,,funding,'
    'Vente en vrac de produits locaux,1\n'
    'MET,2026-04-02T09:00:00Z,new,Durand,Éric,eric.durand@exemple.fr,'
    '+33698765432,57000,Metz,Atelier vélo,idea,,hosting,Réparation,1\n')


def _ok(res):
    assert res.returncode == 0, 'exit %d\nstdout: %s\nstderr: %s' % (
        res.returncode, res.stdout, res.stderr)
    return res


def _site(app, role):
    db = app.path('site.db')
    if not os.path.exists(db):
        app.init_db('site.db')
    cfg = app.path('site.conf')
    with open(cfg, 'w', encoding='utf-8') as fh:
        fh.write('site = "MET";\ndatabase = "%s";\nusers = ( { login = "%s"; '
                 'name = "Test"; role = "%s"; site = "MET"; } );\n'
                 % (db, harness.login(), role))
    app.env['TOTEMDESK_CONFIG'] = cfg
    return db


def _holds(db, needle):
    """Files of the database holding needle: a byte search."""
    found = []
    for path in (db, db + '-wal'):
        if os.path.exists(path):
            with open(path, 'rb') as fh:
                if needle.encode('utf-8') in fh.read():
                    found.append(path)
    return found


def _names(db):
    con = sqlite3.connect(db)
    try:
        return sorted(r[0] for r in con.execute(
            'SELECT last_name FROM holder'))
    finally:
        con.close()


def test_erase_survives_restore(app):
    db = _site(app, 'admin')
    src = app.path('in.csv')
    with open(src, 'w', encoding='utf-8') as fh:
        fh.write(CSV)
    _ok(app.cli('import', src))
    con = sqlite3.connect(db)
    ref = con.execute('SELECT reference FROM dossier ORDER BY created_at'
                      ' LIMIT 1').fetchone()[0]
    con.close()
    older = app.path('older.db')
    _ok(app.cli('backup', older))
    before = _ok(app.cli('report', '--format', 'csv')).stdout

    _site(app, 'reception')
    res = app.cli('privacy', 'erase', ref, '--lang', 'en')
    assert res.returncode == 3 and 'reception' in res.stderr, res.stderr
    _site(app, 'admin')
    res = app.cli('privacy', 'erase', 'MET-1999-0042', '--lang', 'en')
    assert res.returncode == 1 and 'no dossier' in res.stderr, \
        (res.returncode, res.stderr)

    res = _ok(app.cli('privacy', 'erase', ref, '--lang', 'en'))
    assert 'erased (1 dossier)' in res.stderr, res.stderr
    assert _ok(app.cli('report', '--format', 'csv')).stdout == before
    for value in PERSON:
        assert not _holds(db, value), (value, _holds(db, value))
    assert _holds(db, 'Durand')
    assert _names(db) == ['', 'Durand']

    # An older backup does not bring the person back.
    assert _holds(older, 'Lefèvre')
    _ok(app.cli('restore', older))
    assert _names(db) == ['', 'Durand']
    for value in PERSON:
        assert not _holds(db, value), (value, _holds(db, value))
    assert _ok(app.cli('report', '--format', 'csv')).stdout == before


def test_privacy_commands(app):
    db = _site(app, 'admin')
    app.env['TOTEMDESK_NOW'] = '2026-12-02T10:00:00Z'   # the desk's clock
    cfg = app.env['TOTEMDESK_CONFIG']
    with open(cfg, 'a', encoding='utf-8') as fh:
        fh.write('retention = { closed_months = 36; untouched_months = 24; '
                 'audit_years = 6; };\n')
    src = app.path('in.csv')
    with open(src, 'w', encoding='utf-8') as fh:
        fh.write(CSV)
    _ok(app.cli('import', src))
    con = sqlite3.connect(db)
    ref, ref2 = [r[0] for r in con.execute(
        'SELECT reference FROM dossier ORDER BY created_at')]
    con.close()

    out = app.path('acces.txt')
    res = _ok(app.cli('privacy', 'export', ref, '-o', out, '--lang', 'en'))
    assert "1 person's data written to" in res.stderr, res.stderr
    with open(out, encoding='utf-8') as fh:
        text = fh.read()
    assert 'Last name: Lefèvre' in text and ref in text, text
    assert os.stat(out).st_mode & 0o777 == 0o600
    res = app.cli('privacy', 'export', ref, '-o', out, '--lang', 'en')
    assert res.returncode != 0 and '--force' in res.stderr, res.stderr
    res = _ok(app.cli('privacy', 'export', '--email',
                      'ZOE.LEFEVRE@exemple.fr', '--format', 'json'))
    doc = json.loads(res.stdout)
    assert doc['holders'][0]['last_name'] == 'Lefèvre', doc
    assert doc['holders'][0]['dossiers'][0]['reference'] == ref, doc
    res = _ok(app.cli('privacy', 'export', '--lang', 'fr', '--phone',
                      '06 12 34 56 78'))
    assert 'Nom : Lefèvre' in res.stdout, res.stdout
    res = app.cli('privacy', 'export', ref, '--email', 'x@y.fr')
    assert res.returncode == 2, res.stderr
    con = sqlite3.connect(db)
    rows = con.execute("SELECT detail FROM audit WHERE action ="
                       " 'access_export'").fetchall()
    con.close()
    assert len(rows) == 3, rows
    assert not any('lefevre' in r[0].lower() or '612345678' in r[0]
                   for r in rows), rows

    res = _ok(app.cli('privacy', 'withdraw', ref, '--lang', 'en'))
    assert 'consent withdrawn' in res.stderr, res.stderr
    res = app.cli('privacy', 'withdraw', ref, '--lang', 'en')
    assert res.returncode != 0 and 'already' in res.stderr, res.stderr

    # Untouched 24 months: the withdrawal (2026-12) is the last action of
    # one, the import (2026-04) of the other: both due in 2029.
    res = _ok(app.cli('privacy', 'purge', '--dry-run', '--lang', 'en'))
    assert 'due: 0 dossiers' in res.stderr, res.stderr
    app.env['TOTEMDESK_NOW'] = '2029-01-15T00:00:00Z'
    res = _ok(app.cli('privacy', 'purge', '--dry-run', '--lang', 'en'))
    assert 'due: 2 dossiers' in res.stderr, res.stderr
    assert ref in res.stdout and ref2 in res.stdout, res.stdout
    assert _names(db) == ['Durand', 'Lefèvre']
    res = _ok(app.cli('privacy', 'report', '--lang', 'en'))
    assert 'People whose data is held: 2' in res.stdout, res.stdout
    assert 'Dossiers due for anonymisation now: 2' in res.stdout, res.stdout
    assert 'Consents withdrawn (data still held): 1' in res.stdout
    res = _ok(app.cli('privacy', 'purge', '--lang', 'en'))
    assert 'done: 2 dossiers anonymised (2 people' in res.stderr, res.stderr
    assert _names(db) == ['', '']
    res = _ok(app.cli('privacy', 'report', '--lang', 'en'))
    assert 'People whose data is held: 0' in res.stdout, res.stdout
    assert 'Erasures this year: 2' in res.stdout, res.stdout
    del app.env['TOTEMDESK_NOW']

    # An export of dossiers is audited: who, filter, rows, file.
    _ok(app.cli('export', '-o', app.path('all.csv'), '--search', 'velo'))
    con = sqlite3.connect(db)
    d = con.execute("SELECT actor, detail FROM audit WHERE action = 'export'"
                    ).fetchall()
    con.close()
    assert len(d) == 1 and 'rows=' in d[0][1] and 'all.csv' in d[0][1], d
    assert 'velo' not in d[0][1], d
    # ... and an administrator reads it in the report.
    res = _ok(app.cli('privacy', 'report', '--lang', 'en'))
    assert 'Latest exports' in res.stdout and 'all.csv' in res.stdout, \
        res.stdout
    assert 'personal data erased' in res.stdout, res.stdout
