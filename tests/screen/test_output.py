"""What reaches the terminal (issue 13 point 8).

Nothing raw from a file or the database reaches the terminal: the import's
messages that echo a CSV cell, `export` and `referral text` printed to a
terminal, and the screens all go through the one sanitiser (escape
sequences, controls and the bidirectional controls U+202A-U+202E,
U+2066-U+2069 removed).  On input the bidirectional controls are refused
with a message naming the field, in the form as in an import.  Data for
programs (an export into a pipe or a file) stays as stored."""

import sqlite3

import harness

# An OSC that would retitle the window, a colour, a bell, a right-to-left
# override and an isolate: what a hostile cell would carry.
EVIL = 'Ev\x1b]0;pwned\x07il\x1b[31m\u202eoN\u2066x\u2069'
BIDI = ('\u202a', '\u202b', '\u202c', '\u202d', '\u202e',
        '\u2066', '\u2067', '\u2068', '\u2069')


def _clean(data, screen=False):
    """No escape sequence, BEL or bidirectional control from the data in
    what the terminal got (a screen has its own colour sequences)."""
    text = data.decode('utf-8', 'replace') if isinstance(data, bytes) \
        else data
    assert '\x1b]0;' not in text, repr(text[:400])
    assert '\x07' not in text, repr(text[:400])
    if not screen:
        assert '\x1b' not in text, repr(text[:400])
    for b in BIDI:
        assert b not in text, (repr(b), repr(text[:400]))


def _run_pty(app, *args):
    """A command with stdout on a terminal; all the bytes it sent."""
    t = app.run(*args)
    t.wait_exit(timeout=20)
    return bytes(t._raw)


def test_import_messages_are_sanitised(app):
    """The import's messages quote the bad cell: without its escapes."""
    app.setup_site(role='officer', site='MET')
    with open(app.path('evil.csv'), 'w', encoding='utf-8') as fh:
        fh.write('last_name;first_name;email;phone;needs;consent\r\n'
                 'Lef\x1b]0;pwned\x07evre;Zoé;zo\x1b[31me@@x;;funding;1\r\n'
                 'Klein;Ana\u202eïs;anais@exemple.fr;;advice;1\r\n'
                 'Weber;Jo;jo@exemple.fr;;fundi\x1b]0;pwned\x07ng;1\r\n')
    res = app.cli('import', *app.db_args(), '--lang', 'en', 'evil.csv',
                  lang='C.UTF-8')
    assert res.returncode == 2, (res.returncode, res.stderr)
    _clean(res.stderr)
    _clean(res.stdout)
    # The bidi control is refused with the field's message.
    assert 'evil.csv:3: first_name' in res.stderr, res.stderr
    assert 'direction control' in res.stderr, res.stderr


def test_stored_controls_never_reach_the_terminal(app):
    """A holder whose stored name and title carry escapes and bidi
    controls (an older database, a restored file): export to a terminal,
    referral text, and the today list and detail show them cleaned; an
    export into a pipe keeps the data as stored."""
    app.setup_site(role='officer', site='MET')
    with open(app.path('one.csv'), 'w', encoding='utf-8') as fh:
        fh.write('last_name;first_name;email;phone;needs;consent;'
                 'project_title;postcode\r\n'
                 'Lefèvre;Zoé;zoe@exemple.fr;;funding;1;Vrac;57000\r\n')
    res = app.cli('import', *app.db_args(), 'one.csv')
    assert res.returncode == 0, res.stderr
    with sqlite3.connect(app.db) as c:
        c.execute('UPDATE holder SET last_name = ?', (EVIL,))
        c.execute('UPDATE dossier SET project_title = ?', (EVIL,))
        dossier, = c.execute('SELECT id FROM dossier').fetchone()
        partner, = c.execute('SELECT id FROM partner LIMIT 1').fetchone()
        c.execute("UPDATE partner SET name = ? WHERE id = ?",
                  (EVIL, partner))
        c.execute("INSERT INTO referral(id, dossier_id, partner_id, status,"
                  " status_at, created_at, updated_at, reason) VALUES"
                  " ('MET-R1', ?, ?, 'proposed', '2026-11-23T09:00:00Z',"
                  " '2026-11-23T09:00:00Z', '2026-11-23T09:00:00Z', ?)",
                  (dossier, partner, EVIL))
    # Into a pipe: the data as stored (a program reads it).
    res = app.cli('export', *app.db_args(), lang='C.UTF-8')
    assert res.returncode == 0, res.stderr
    assert '\u202e' in res.stdout and '\x1b]0;' in res.stdout
    # To a terminal: cleaned, in both locales.
    for lang in ('C.UTF-8', 'C'):
        for args in (['export'], ['export', '--format', 'json'],
                     ['referral', 'text', 'MET-R1'], ['referral', 'list']):
            t = app.run(*args, *app.db_args(), lang=lang)
            code = t.wait_exit(timeout=20)
            raw = bytes(t._raw)
            assert code == 0, (args, raw[-400:])
            _clean(raw)
            assert b'Ev' in raw and b'oN' in raw, (args, raw[-400:])
    # The screens: today's list and the dossier's detail.
    t = app.run(lang='C.UTF-8', term='xterm-256color')
    t.wait_for('MET')
    t.wait_settled()
    t.send(b'o')                      # the queue
    t.wait_for('Evil')
    t.wait_settled()
    t.key('Enter')
    t.wait_settled()
    _clean(bytes(t._raw), screen=True)
    t.kill()


def test_bidi_refused_in_the_form(app):
    """Typed (or pasted) into a field, a bidi control marks the field with
    a message that says what is wrong; F2 does not save."""
    app.setup_site()
    t = app.run(lang='C.UTF-8', term='xterm-256color')
    t.wait_for('MET')
    t.wait_settled()
    t.send(b'n')
    t.wait_settled(quiet_ms=150)
    t.type('Lef\u202eevre')
    t.wait_settled()
    assert t.find('direction') is not None, t.dump()
    assert t.find('Lefevre') is not None, 'the rest typed is kept' + t.dump()
    _clean(bytes(t._raw), screen=True)
    t.key('F2')
    t.wait_settled()
    with sqlite3.connect(app.db) as c:
        assert c.execute('SELECT count(*) FROM holder').fetchone()[0] == 0
    t.kill()
