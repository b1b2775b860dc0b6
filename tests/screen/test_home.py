"""Screen tests of the home screen: totemdesk --demo in a pseudo-terminal,
on vt100 under LANG=C and xterm-256color under C.UTF-8 (STYLE.md 6).

English (--lang en) keeps the expected texts the msgids themselves; the
French translation is checked by its own test once it exists.
"""

import re

HOME_TITLE = 'What would you like to do?'
MENU = ['New intake', "Today's intakes", 'Help', 'Quit']
TOO_SMALL = 'Terminal too small'


def _start(app, term, lang, rows=24, cols=80, args=(), env=None):
    return app.run('--demo', '--lang', 'en', *args, term=term, lang=lang,
                   rows=rows, cols=cols, env=env)


def _menu_rows(t):
    """Row of each menu item, checking they appear in order."""
    rows = []
    for label in MENU:
        pos = t.find(label)
        assert pos is not None, 'menu item %r missing%s' % (label, t.dump())
        rows.append(pos[0])
    assert rows == sorted(rows) and len(set(rows)) == len(rows), \
        'menu out of order: %r%s' % (rows, t.dump())
    return rows


def _selected_row(t, rows):
    """The one menu row marked with '>'."""
    marked = _marked(t, rows)
    assert len(marked) == 1, 'expected one selected item%s' % t.dump()
    return marked[0]


def _wait_selected(t, rows, i, why=''):
    t.wait_until(lambda t: _marked(t, rows) == [rows[i]],
                 'selection on %r %s' % (MENU[i], why))


def _marked(t, rows):
    return [r for r in rows if t.screen_text()[r].lstrip().startswith('>')]


def _check_home(t):
    t.wait_for(HOME_TITLE)
    t.wait_settled()
    header = t.row(0)
    assert header.strip(), 'empty header row%s' % t.dump()
    assert 'DEMO' in header, 'demo mode not shown in the header%s' % t.dump()
    rows = _menu_rows(t)
    assert _selected_row(t, rows) == rows[0]
    # The status line lists keys, with the help key among them.
    assert t.row(-1).strip(), 'empty status line%s' % t.dump()
    return rows


def _quit(t):
    t.send(b'q')
    rc = t.wait_exit(timeout=10)
    assert rc == 0, 'exit code %r after q%s' % (rc, t.dump())


def test_home_vt100_c(app):
    """vt100, LANG=C, 80x24: no colour, so roles fall back to attributes;
    output is plain ASCII; arrows move the selection; q quits with 0."""
    t = _start(app, 'vt100', 'C')
    rows = _check_home(t)
    # No colour on vt100: the header is reverse video, the selected item
    # too, and no cell carries a colour.
    x = t.find('DEMO')[1]
    assert t.attrs_at(0, 1)['reverse'], 'header not in reverse%s' % t.dump()
    sel = t.find('New intake')
    assert t.attrs_at(*sel)['reverse'], 'selection not shown%s' % t.dump()
    assert not t.attrs_at(rows[1], t.find("Today's intakes")[1])['reverse']
    for y in range(24):
        for c in (1, x):
            a = t.attrs_at(y, c)
            assert a['fg'] == 'default' and a['bg'] == 'default', \
                'colour at %d,%d on vt100: %r' % (y, c, a)
    raw = t.raw()
    high = [i for i, b in enumerate(raw) if b >= 0x80]
    assert not high, 'non-ASCII output under LANG=C: %r' % \
        raw[max(0, high[0] - 20):high[0] + 20]
    t.key('Down')
    _wait_selected(t, rows, 1)
    t.key('Up', count=2)
    _wait_selected(t, rows, 3, '(Up from the top wraps)')
    _quit(t)


def test_home_xterm_utf8(app):
    """xterm-256color, C.UTF-8: colours by role and UTF-8 separators."""
    t = _start(app, 'xterm-256color', 'C.UTF-8')
    _check_home(t)
    a = t.attrs_at(0, 1)
    assert a['bg'] != 'default', 'header has no colour on xterm%s' % t.dump()
    assert re.search('[\u00b7\u2502]', t.row(0)), \
        'header separators are not the UTF-8 ones%s' % t.dump()
    rows = _menu_rows(t)
    t.key('Down')
    _wait_selected(t, rows, 1)
    _quit(t)


def test_home_no_color(app):
    """--no-color and NO_COLOR both give the attribute fallback."""
    for args, env in ((['--no-color'], None), ([], {'NO_COLOR': '1'})):
        t = _start(app, 'xterm-256color', 'C.UTF-8', args=args, env=env)
        _check_home(t)
        a = t.attrs_at(0, 1)
        assert a['bg'] == 'default' and a['reverse'], \
            'header with %r %r: %r%s' % (args, env, a, t.dump())
        _quit(t)


def test_quit_keys(app):
    """q quits from home with 0, and so does the menu digit 9 (AZERTY
    users reach it without Shift as ç)."""
    for keys in (b'q', b'9', 'ç'.encode()):
        t = _start(app, 'vt100', 'C')
        t.wait_for(HOME_TITLE)
        t.send(keys)
        rc = t.wait_exit(timeout=10)
        assert rc == 0, 'exit code %r after %r%s' % (rc, keys, t.dump())


def test_help_f1(app):
    """F1 opens the help, listing actions with their keys; Esc comes back
    to the home screen."""
    for term, lang in (('vt100', 'C'), ('xterm-256color', 'C.UTF-8')):
        t = _start(app, term, lang)
        t.wait_for(HOME_TITLE)
        t.wait_settled()
        t.key('F1')
        t.wait_for('Leave totemdesk.')
        t.wait_gone(HOME_TITLE)
        t.wait_settled()
        # At the home screen's keys (it was pressed there); g: the top.
        assert t.row(2).strip() == 'Home screen', t.dump()
        t.send(b'g')
        t.wait_for('Everywhere')
        t.wait_settled()
        assert t.find('F1') is not None, 'help does not show F1%s' % t.dump()
        # "More below" at the right end of the title row, outside the
        # rows that scroll (a marker in them cost bytes at every line).
        assert t.row(1).rstrip().endswith(' v'), t.dump()
        if term == 'vt100':
            mark = t.bytes_received
            t.key('Down')
            t.wait_settled(since=mark)
            assert t.bytes_received - mark <= 100, \
                'one line scrolled: %d bytes' % (t.bytes_received - mark)
            assert t.row(1).rstrip().endswith('^v'), t.dump()
        # At the end, the whole help of every intake field (the form
        # shows short hints at 80 columns), then what each country
        # accepts (issue 12).
        t.send(b'\x06' * 12)       # ^F: page down, on a vt100 too
        t.wait_for('them with partners.')
        t.wait_for('What each country accepts')
        t.wait_for('as written.')
        assert t.row(1).rstrip().endswith('^'), t.dump()
        t.key('Esc')
        t.wait_for(HOME_TITLE)
        _quit(t)


def test_too_small_and_back(app):
    """Below 80x24 one clear message replaces the screen, whole however
    narrow (wrapped: issue 11 point 7); growing the terminal brings the
    home screen back, still working."""
    t = _start(app, 'xterm-256color', 'C.UTF-8')
    t.wait_for(HOME_TITLE)
    t.wait_settled()
    t.resize(20, 60)
    t.wait_for(TOO_SMALL)
    t.wait_gone(HOME_TITLE)
    text = ' '.join(r.strip() for r in t.screen_text() if r.strip())
    assert text == ('Terminal too small: 80x24 needed, now 60x20. '
                    'Enlarge the window.'), \
        'the message alone and whole, saying what is needed and what ' \
        'there is%s' % t.dump()
    t.resize(20, 30)
    t.wait_for('now 30x20')
    text = ' '.join(r.strip() for r in t.screen_text() if r.strip())
    assert text.endswith('now 30x20. Enlarge the window.'), t.dump()
    # Keys pressed meanwhile must not crash it.
    t.key('Down')
    t.resize(24, 79)
    t.wait_for('now 79x24')
    t.resize(30, 100)
    t.wait_for(HOME_TITLE)
    t.wait_gone(TOO_SMALL)
    t.wait_settled()
    _menu_rows(t)
    assert 'DEMO' in t.row(0)
    assert t.find('DEMO')[1] > 80, 'header not laid out on 100 columns%s' \
        % t.dump()
    _quit(t)


def test_start_too_small(app):
    """Started in a 70x20 terminal (vt100, LANG=C) it waits, then works."""
    t = _start(app, 'vt100', 'C', rows=20, cols=70)
    t.wait_for(TOO_SMALL)
    t.resize(24, 80)
    t.wait_for(HOME_TITLE)
    t.wait_settled()
    _menu_rows(t)
    _quit(t)


def test_multibyte_key_under_lang_c(app):
    """UTF-8 keys no action is bound to (euro sign, sharp s) and a stray
    continuation byte, typed under LANG=C, do not lock the program up
    (STYLE.md 4)."""
    t = _start(app, 'vt100', 'C')
    t.wait_for(HOME_TITLE)
    t.wait_settled()
    t.send('\u20ac\u00df'.encode('utf-8'))
    t.send(b'\xa9')
    t.wait_settled(200)
    rows = _menu_rows(t)
    t.key('Down')
    _wait_selected(t, rows, 1, 'after the stray bytes')
    assert t.alive(), t.dump()
    _quit(t)


def test_configured_site(app):
    """A real installation (config + database from `totemdesk init`, made
    by the harness helper the end-to-end tests use): the header names the
    site and the user, and there is no DEMO tag."""
    app.setup_site(role='reception', site='MET', user_name='Test Desk')
    t = app.run('--lang', 'en', term='xterm-256color', lang='C.UTF-8')
    t.wait_for(HOME_TITLE)
    t.wait_settled()
    header = t.row(0)
    assert '(MET)' in header and 'Test Desk' in header, t.dump()
    assert 'DEMO' not in header, t.dump()
    _menu_rows(t)
    _quit(t)
    res = app.cli('check', *app.db_args())
    assert res.returncode == 0, res.stdout + res.stderr
