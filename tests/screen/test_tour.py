"""A tour of every screen and of the prompts, choosers and questions
they open, on --demo data, so that the harness's invariant "the screen
equals the screen after Ctrl-L" (checked at every wait_settled) covers
what the journeys of the other tests pass by: the duplicate panel and
the help area of the form, a chooser closing over a list, a prompt
closing over a detail, a message on the status line, the edit page of
a partner, the import path, statistics periods, a resize.

Keys only: the tour holds in French and English, on a vt100 without
colour and on xterm-256color with it (where stale attributes show too).
"""

import re

REF = re.compile(r'[A-Z]{3}-20\d\d-\d{4}')
HOME = 'n/1/&'


def _step(t, *keys):
    """Press keys (names, or bytes/str to type), then let the screen
    settle: the harness checks it against its repaint."""
    for k in keys:
        if isinstance(k, bytes) or (isinstance(k, str) and len(k) == 1):
            t.send(k)
        elif k.startswith('C-') or k in ('Enter', 'Esc', 'Tab', 'Space',
                                          'Up', 'Down', 'Left', 'Right',
                                          'Backspace') or k[0] == 'F':
            t.key(k)
        else:
            t.type(k)
    t.wait_settled(quiet_ms=50)


def _home(t):
    for _ in range(6):
        if t.find(HOME):
            return
        t.key('Esc')
        t.wait_settled()
        if t.find(re.compile(r'o/y')):
            _step(t, 'y')
    t.wait_for(HOME)


def tour(app, term, lang, rows=24, cols=80):
    t = app.run('--demo', rows=rows, cols=cols, term=term, lang=lang)
    t.wait_for(HOME)
    t.wait_settled()
    before = t.redraw_checks
    _step(t, 'Down')
    _step(t, 'Up')
    _step(t, 'F1')                            # help
    _step(t, 'C-F')
    _step(t, 'C-F')
    _step(t, 'Esc')

    # The form: fields, a choice and its help, the needs, a question.
    _step(t, 'n')
    _step(t, 'Schmitt', 'Tab')
    _step(t, 'Helene')
    _step(t, 'Backspace', 'Backspace', 'Backspace')
    _step(t, 'C-T')                          # next match, or a message
    _step(t, 'C-U')
    for _ in range(7):
        _step(t, 'Tab')
    _step(t, ' ')                            # stage: its help shows
    _step(t, 'Right')
    _step(t, 'Tab', 'Tab')                    # the needs
    _step(t, '2')
    _step(t, 'Right')
    _step(t, 'Up')                            # back to the sector
    _step(t, 'C-O')                           # save: errors marked
    _step(t, 'Esc')                           # asks
    _step(t, 'n')
    _step(t, 'Esc')
    _step(t, 'y')
    t.wait_for(HOME)

    # The queue: search, filters, a chooser closing, marks, the detail.
    _step(t, 'o')
    t.wait_for(REF)
    _step(t, '/')
    _step(t, 'ma')
    _step(t, 'Backspace')
    _step(t, 'Enter')
    _step(t, '=')
    _step(t, '2')                            # status: ticks, stays open
    _step(t, '2')
    _step(t, 'Esc')
    _step(t, 'Esc')
    _step(t, 'x')                            # export: the formats
    _step(t, 'Esc')
    _step(t, 'b')                            # save the filter as...
    _step(t, 'Esc')
    _step(t, 'm')                            # saved filters: none yet
    _step(t, 's')
    _step(t, ' ')
    _step(t, '*')
    _step(t, '*')
    _step(t, '0')
    _step(t, 'Down', 'Down')
    _step(t, 'Enter')                         # the detail
    t.wait_for(REF)
    _step(t, 'G')
    _step(t, 'n')                            # a note: typed, abandoned
    _step(t, 'Appel')
    _step(t, 'Esc')
    _step(t, 'c')                            # the status chooser
    _step(t, 'Esc')
    _step(t, 'e')                            # edit which field
    _step(t, '3')
    _step(t, 'Esc')
    _step(t, 'f')                            # its referrals
    _step(t, 's')
    _step(t, 'Esc')
    _step(t, 'n')
    _step(t, 'Esc')
    _step(t, 'Esc')
    _step(t, 'r')                            # route it
    _step(t, ' ')
    _step(t, 'Down')
    _step(t, 'Esc')
    _step(t, 'Esc')                           # back to the queue
    _step(t, 'Esc')
    t.wait_for(HOME)

    # Today's list, the agenda, the statistics.
    _step(t, 't')
    _step(t, 'Down')
    _step(t, 'Esc')
    _step(t, 'a')
    _step(t, 'm')
    _step(t, 'Down')
    _step(t, 'Esc')
    _step(t, 's')
    _step(t, 'p')
    _step(t, 'p')
    _step(t, 's')
    _step(t, 'C-F')
    _step(t, 'Esc')

    # Import: a path that is not there, then cleared.
    _step(t, 'i')
    _step(t, 'nowhere.csv')
    _step(t, 'Enter')
    _step(t, 'C-U')
    _step(t, 'Esc')

    # Partners: search, detail, the edit page and its prompt.
    _step(t, 'p')
    _step(t, 'ad')
    _step(t, 'Backspace')
    _step(t, 'Down')
    _step(t, 'Enter')
    _step(t, 'Esc')
    _step(t, 'C-E')
    _step(t, 'Down')
    _step(t, 'Enter')
    _step(t, 'x')
    _step(t, 'Esc')
    _step(t, 'Esc')
    _step(t, 'Esc')
    _step(t, 'Esc')

    # A resize on a list.
    _step(t, 'o')
    t.resize(rows + 6, cols + 20)
    t.wait_settled()
    t.resize(rows, cols)
    t.wait_settled()
    _home(t)
    assert t.redraw_checks - before >= 80, t.redraw_checks - before
    t.send(b'q')
    assert t.wait_exit(timeout=10) == 0, t.dump()


def test_tour_vt100_c(app):
    tour(app, 'vt100', 'C')


def test_tour_xterm_colour_fr(app):
    tour(app, 'xterm-256color', 'fr_FR.UTF-8')
