"""Self-tests of the screen harness on trivial programs, so that a failing
screen test of totemdesk points at totemdesk, not at the harness."""

import re
import time

from harness import ScreenError, StaleScreen, Term, key_bytes

SH = '/bin/sh'


def _expect_raises(exc, fn, *args, **kw):
    try:
        fn(*args, **kw)
    except exc as e:
        return e
    raise AssertionError('%s not raised by %s' % (exc.__name__, fn.__name__))


def test_basic():
    """Clear + cursor move + text reach the screen; input reaches the
    program; its exit code comes back."""
    t = Term([SH, '-c', r'printf "\033[2J\033[1;1Hhello"; read x; '
              r'printf "\033[5;10Hgot:%s" "$x"; exit 3'])
    try:
        assert t.wait_for('hello') == (0, 0), t.dump()
        t.send(b'abc\r')
        assert t.wait_for('got:abc') == (4, 9), t.dump()
        assert t.wait_exit() == 3
        assert t.bytes_received > len('hellogot:abc')
        lines = t.screen_text()
        assert len(lines) == 24 and all(len(l) == 80 for l in lines)
    finally:
        t.kill()


def test_size_term_env():
    """Size is set before the program starts; TERM, LANG, LC_ALL and extra
    variables are passed; a None value removes a variable."""
    t = Term([SH, '-c', 'stty size; echo "T=$TERM L=$LANG A=$LC_ALL '
              'X=$FOO H=${HOME:-unset}"; read x'],
             rows=30, cols=100, term='xterm-256color', lang='C.UTF-8',
             env={'FOO': 'bar baz', 'HOME': None})
    try:
        t.wait_for('30 100')
        t.wait_for('T=xterm-256color L=C.UTF-8 A=C.UTF-8 X=bar baz H=unset')
        assert len(t.screen_text()) == 30
        assert len(t.screen_text()[0]) == 100
    finally:
        t.kill()


def test_resize():
    """resize() changes the pty size and the program gets SIGWINCH."""
    t = Term([SH, '-c', 'trap \'echo "size $(stty size)"\' WINCH; '
              'echo ready; while :; do sleep 0.05; done'],
             rows=24, cols=80)
    try:
        t.wait_for('ready')
        t.resize(10, 40)
        t.wait_for('size 10 40')
        assert len(t.screen_text()) == 10
        assert len(t.screen_text()[0]) == 40
        t.resize(40, 120)
        t.wait_for('size 40 120')
    finally:
        t.kill()


def test_attributes():
    """attrs_at reports reverse, bold and underline per cell."""
    t = Term([SH, '-c', r'printf "\033[7mREV\033[0m \033[1mBOLD\033[0m '
              r'\033[4mUND\033[0m plain"; read x'])
    try:
        t.wait_for('plain')
        y, x = t.find('REV')
        a = t.attrs_at(y, x)
        assert a['char'] == 'R' and a['reverse'] and not a['bold'], a
        y, x = t.find('BOLD')
        assert t.attrs_at(y, x)['bold'] and not t.attrs_at(y, x)['reverse']
        y, x = t.find('UND')
        assert t.attrs_at(y, x)['underline']
        y, x = t.find('plain')
        a = t.attrs_at(y, x)
        assert not (a['reverse'] or a['bold'] or a['underline']), a
    finally:
        t.kill()


def test_key_table():
    """Key sequences come from terminfo, per terminal type."""
    assert key_bytes('vt100', 'F1') == b'\x1bOP'
    assert key_bytes('vt100', 'F4') == b'\x1bOS'
    assert key_bytes('xterm-256color', 'F2') == b'\x1bOQ'
    assert key_bytes('xterm-256color', 'F5') == b'\x1b[15~'
    assert key_bytes('vt100', 'Up') == b'\x1bOA'
    assert key_bytes('xterm-256color', 'BackTab') == b'\x1b[Z'
    assert key_bytes('vt100', 'C-w') == b'\x17'
    assert key_bytes('vt100', '^X') == b'\x18'
    assert key_bytes('vt100', 'Enter') == b'\r'
    # vt100 has no Home key and no F11: the harness says so instead of
    # inventing a sequence the real terminal would never send.
    e = _expect_raises(KeyError, key_bytes, 'vt100', 'Home')
    assert 'khome' in str(e)
    _expect_raises(KeyError, key_bytes, 'vt100', 'F11')
    _expect_raises(KeyError, key_bytes, 'vt100', 'NoSuchKey')
    _expect_raises(ScreenError, key_bytes, 'no-such-terminal-xyz', 'F1')


def test_keys_reach_program():
    """t.key() writes the bytes through the pty unchanged."""
    t = Term([SH, '-c', 'stty raw -echo; '
              'v=$(dd bs=1 count=6 2>/dev/null | od -An -tx1); '
              'stty sane; echo "keys:$v"; read x'], term='vt100')
    try:
        t.wait_settled(200)
        t.key('F1')
        t.key('Down')
        t.wait_for(re.compile(r'keys: *1b 4f 50 1b 4f 42'))
    finally:
        t.kill()


def test_utf8():
    """UTF-8 output is decoded into cells."""
    t = Term([SH, '-c', r'printf "caf\303\251 \342\224\200|"; read x'],
             lang='C.UTF-8')
    try:
        t.wait_for('café ─|')
        y, x = t.find('café')
        assert t.attrs_at(y, x + 3)['char'] == 'é'
    finally:
        t.kill()


def test_timeout_dumps_screen():
    """A failed wait says what was on the screen instead of hanging."""
    t = Term([SH, '-c', 'echo visible-text; read x'])
    try:
        t.wait_for('visible-text')
        t0 = time.monotonic()
        e = _expect_raises(ScreenError, t.wait_for, 'never-there', timeout=0.3)
        assert time.monotonic() - t0 < 2
        assert 'visible-text' in str(e) and 'never-there' in str(e)
        e = _expect_raises(ScreenError, t.wait_exit, timeout=0.2)
        assert 'still running' in str(e)
        assert not t.alive()
    finally:
        t.kill()


def test_stubborn_program_is_killed():
    """close() ends a program that ignores SIGHUP and SIGTERM."""
    t = Term([SH, '-c', "trap '' HUP TERM; echo started; "
              "while :; do sleep 0.1; done"])
    t.wait_for('started')
    t0 = time.monotonic()
    rc = t.close(timeout=0.2)
    assert rc is not None and rc < 0, rc
    assert time.monotonic() - t0 < 8
    assert not t.alive()


def test_early_exit_reported():
    """wait_for fails fast when the program has already ended."""
    t = Term([SH, '-c', 'echo bye'])
    try:
        t0 = time.monotonic()
        e = _expect_raises(ScreenError, t.wait_for, 'hello', timeout=10)
        assert time.monotonic() - t0 < 5
        assert 'ended' in str(e) and 'bye' in str(e)
        assert t.wait_exit() == 0
    finally:
        t.kill()


def test_settle_after_key():
    """wait_settled(since=...) waits for a slow answer, not just for
    silence; wait_until polls a condition."""
    t = Term([SH, '-c', 'stty -echo; echo ready; read x; sleep 0.4; '
              'echo answer-$x; read y'])
    try:
        t.wait_for('ready')
        t.wait_settled()
        mark = t.bytes_received
        t.send(b'k\r')
        t.wait_settled(quiet_ms=50, since=mark)
        assert t.find('answer-k') is not None, t.dump()
        t.send(b'\r')
        assert t.wait_exit() == 0
        e = _expect_raises(ScreenError, t.wait_until,
                           lambda t: t.find('nope'), 'nope', timeout=0.2)
        assert 'nope' in str(e)
    finally:
        t.kill()


# A program that draws "hello world", answers x by writing "bye" over
# "hel" only (stale text: "byelo world"), y by clearing first, and
# Ctrl-L by repainting what it means to show, from a vt100's clear.
_STALE_PROG = r'''
import os, sys, time, tty
tty.setraw(0)
shown = "hello world"
def paint(s):
    os.write(1, s.encode())
paint("\x1b[H\x1b[J" + shown)
while True:
    c = os.read(0, 1)
    if c == b"x":
        shown = "bye"
        paint("\x1b[1;1Hbye")
    elif c == b"y":
        shown = "bye"
        paint("\x1b[H\x1b[Jbye")
    elif c == b"z":
        shown = "late"
        paint("\x1b[H\x1b[Jla")
        time.sleep(0.4)
        paint("te")
    elif c == b"\x0c":
        paint("\x1b[H\x1b[J" + shown)
    elif c in (b"q", b""):
        break
'''


def test_redraw_check_catches_stale_text():
    """The invariant "the screen equals the screen after Ctrl-L" (on for
    every screen test of totemdesk) fails on text left over by an
    update, holds on a clean one, and its repaints are not counted in
    bytes_received."""
    t = Term(['/usr/bin/python3', '-c', _STALE_PROG], redraw_check=True)
    try:
        t.wait_for('hello world')
        t.wait_settled()
        assert t.redraw_checks == 1, t.redraw_checks
        mark = t.bytes_received
        t.send(b'y')
        t.wait_settled(since=mark)
        assert t.redraw_checks == 2 and t.row(0) == 'bye', t.dump()
        # "bye": the vt100 clear \x1b[H\x1b[J (6 bytes) and three
        # letters; the repaint's 9 more are not counted.
        assert t.bytes_received - mark == 9, t.bytes_received - mark
        # Each repaint wrote what the paint it checked did.
        assert len(t.raw()) == 2 * t.bytes_received, len(t.raw())
        t.wait_settled()
        assert t.redraw_checks == 2, 'checked with nothing new written'
        # An answer with a pause longer than the quiet time: the check
        # sees its end come before the repaint, and checks the settled
        # screen instead of reporting the difference.
        mark = t.bytes_received
        t.send(b'z')
        t.wait_settled(quiet_ms=50)
        assert t.row(0) == 'late' and t.redraw_checks == 3, t.dump()
        assert t.bytes_received - mark == 10, t.bytes_received - mark
        t.send(b'q')
    finally:
        t.kill()
    t = Term(['/usr/bin/python3', '-c', _STALE_PROG], redraw_check=True)
    try:
        t.wait_for('hello world')
        t.wait_settled()
        t.send(b'x')
        e = _expect_raises(StaleScreen, t.wait_settled)
        assert 'byelo world' in str(e), e
    finally:
        t.kill()
