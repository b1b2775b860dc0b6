"""Drive a program in a pseudo-terminal and read its screen through pyte.

    t = Term(['build/totemdesk', '--demo'], rows=24, cols=80,
             term='vt100', lang='C')
    t.wait_for('Accueil')
    t.key('F1')
    t.wait_for('Help')
    t.send(b'q')
    assert t.wait_exit() == 0

Everything that waits has a timeout and, on failure, raises ScreenError
with a dump of the screen, so a test never hangs and always says what it
saw.  Keys are sent as the terminal's terminfo entry says the terminal
sends them (kf1, kcuu1, ...), so vt100 and xterm tests exercise the
sequences real terminals produce.

For totemdesk itself use App (run_one.py hands one to every test function
with an `app` parameter): app.run(...) starts it in a Term with a fixed
clock and a private HOME; app.setup_site() makes a configuration and a
database with `totemdesk init`; app.cli(...) runs a subcommand without a
terminal.  Sanitizer reports land in files that fail the test.

Stale text (STYLE.md section 8): every Term that App starts holds the
invariant "the screen equals the screen after Ctrl-L".  Each time the
screen has settled (wait_settled, key(..., wait=True)) and the program
wrote something since the last check, the harness sends Ctrl-L, waits
for the repaint and compares the two screens, characters, attributes
and cursor; a difference raises StaleScreen with both.  The repaint's
bytes are not counted in bytes_received, so byte budgets measure the
program's answers only.
"""

import atexit
import errno
import fcntl
import json
import os
import pwd
import re
import select
import shutil
import signal
import struct
import subprocess
import sys
import tempfile
import termios
import threading
import time

try:
    import pyte
except ImportError:  # pragma: no cover - depends on the machine
    sys.stderr.write('harness: the Python module pyte is missing '
                     '(Debian package python3-pyte; run scripts/setup, and '
                     'use /usr/bin/python3)\n')
    raise

# A sanitized build runs two to four times slower, and a shared machine
# under load slower still: every wait is multiplied by TD_TEST_TIME_SCALE
# (tests/meson.build sets 3 for a sanitized build).  Only failures wait
# longer; a passing test takes the time the program takes.
TIME_SCALE = float(os.environ.get('TD_TEST_TIME_SCALE') or 1)
DEFAULT_TIMEOUT = 5.0 * TIME_SCALE


def _timeout(timeout):
    """A caller's timeout (seconds on an unloaded release build), scaled."""
    return DEFAULT_TIMEOUT if timeout is None else timeout * TIME_SCALE


class ScreenError(AssertionError):
    """A wait timed out or the screen was not as expected."""


class StaleScreen(AssertionError):
    """The screen differed from the screen after Ctrl-L: text (or an
    attribute, or the cursor) left over from an earlier screen.  Not a
    ScreenError, so that code waiting for "an answer, if any" cannot
    swallow it."""


# --- terminfo -------------------------------------------------------------

# Key name -> terminfo capability.  Names follow the labels users see.
KEY_CAPS = {
    'Up': 'kcuu1', 'Down': 'kcud1', 'Left': 'kcub1', 'Right': 'kcuf1',
    'Home': 'khome', 'End': 'kend', 'PgUp': 'kpp', 'PgDn': 'knp',
    'Insert': 'kich1', 'Delete': 'kdch1', 'Backspace': 'kbs',
    'BackTab': 'kcbt', 'S-Tab': 'kcbt',
}
KEY_CAPS.update({'F%d' % n: 'kf%d' % n for n in range(1, 13)})

# Keys every terminal sends the same way, whatever terminfo says.
FIXED_KEYS = {
    'Enter': b'\r', 'Return': b'\r', 'Tab': b'\t', 'Esc': b'\x1b',
    'Space': b' ',
}

# Read in a separate interpreter: Python's curses.setupterm only honours its
# first call in a process, and one test may use several terminal types.
_TERMINFO_SCRIPT = r'''
import curses, json, sys
curses.setupterm(sys.argv[1], sys.stdout.fileno())
out = {}
for cap in sys.argv[2:]:
    v = curses.tigetstr(cap)
    if v:
        out[cap] = v.decode('latin-1')
print(json.dumps(out))
'''
_terminfo_cache = {}


def terminfo_keys(term):
    """Return {capability: bytes} of the key capabilities term defines
    (and of clear, the screen clear a repaint starts with)."""
    if term not in _terminfo_cache:
        caps = sorted(set(KEY_CAPS.values())) + ['clear']
        res = subprocess.run(
            [sys.executable, '-c', _TERMINFO_SCRIPT, term] + caps,
            stdout=subprocess.PIPE, stderr=subprocess.PIPE,
            stdin=subprocess.DEVNULL, timeout=20, check=False)
        if res.returncode != 0:
            raise ScreenError('no terminfo entry for TERM=%s: %s'
                              % (term, res.stderr.decode(errors='replace')))
        _terminfo_cache[term] = {
            k: v.encode('latin-1')
            for k, v in json.loads(res.stdout.decode()).items()}
    return _terminfo_cache[term]


def clear_bytes(term):
    """What term sends to clear the screen (terminfo clear, no padding)."""
    seq = terminfo_keys(term).get('clear', b'\x1b[H\x1b[2J')
    return re.sub(rb'\$<[0-9.*/]*>', b'', seq)


def key_bytes(term, name):
    """Bytes the terminal `term` sends for key `name`.

    name: 'F1'..'F12', 'Up', 'Down', 'Left', 'Right', 'Home', 'End', 'PgUp',
    'PgDn', 'Insert', 'Delete', 'Backspace', 'BackTab', 'Enter', 'Tab',
    'Esc', 'Space', or 'C-x' / '^X' for Control-x.  Raises KeyError when
    the terminal has no such key (vt100 has no Home, no F5...), which is
    how a test proves an action needs its Ctrl- alternative there.
    """
    if name in FIXED_KEYS:
        return FIXED_KEYS[name]
    m = re.fullmatch(r'(?:C-|\^)(.)', name)
    if m:
        c = m.group(1).upper()
        if not '@' <= c <= '_':
            raise KeyError('no control character for %r' % name)
        return bytes([ord(c) - 0x40])
    cap = KEY_CAPS.get(name)
    if cap is None:
        raise KeyError('unknown key name %r' % name)
    seq = terminfo_keys(term).get(cap)
    if seq is None:
        raise KeyError('TERM=%s has no %s key (terminfo %s)'
                       % (term, name, cap))
    return seq


# --- the terminal ------------------------------------------------------------

class _Screen(pyte.Screen):
    """pyte screen that answers the program's queries (DA, cursor report)
    through the pty, as a real terminal would."""

    def __init__(self, columns, lines, reply):
        super().__init__(columns, lines)
        self._reply = reply

    def write_process_input(self, data):
        self._reply(data.encode())

    # pyte 0.8 knows no SU/SD (CSI n S, CSI n T), which ncurses sends
    # for xterm-like terminals (terminfo indn/rin) to scroll a region:
    # without them a scrolled list would look stale.  Scroll within the
    # margins, cursor unmoved, as xterm does.
    def scroll_up(self, count=1, *args, **kwargs):
        top, bottom = self.margins or (0, self.lines - 1)
        for _ in range(max(count or 1, 1)):
            for y in range(top, bottom):
                self.buffer[y] = self.buffer[y + 1]
            self.buffer.pop(bottom, None)
        self.dirty.update(range(self.lines))

    def scroll_down(self, count=1, *args, **kwargs):
        top, bottom = self.margins or (0, self.lines - 1)
        for _ in range(max(count or 1, 1)):
            for y in range(bottom, top, -1):
                self.buffer[y] = self.buffer[y - 1]
            self.buffer.pop(top, None)
        self.dirty.update(range(self.lines))


    # pyte 0.8 blanks the cells that DCH (CSI n P) and ICH (CSI n @)
    # vacate in the default colours; a terminal with bce (xterm, the
    # Linux console) blanks them in the current ones, as it does for EL
    # and ECH, and ncurses counts on it: it shortens a coloured status
    # line with DCH.  Without this a repaint (Ctrl-L) would differ from
    # the screen it repaints by colours the terminal never showed.
    def delete_characters(self, count=None):
        count = max(count or 1, 1)
        self.dirty.add(self.cursor.y)
        line = self.buffer[self.cursor.y]
        for x in range(self.cursor.x, self.columns):
            if x + count < self.columns:
                line[x] = line[x + count]
            else:
                line[x] = self.cursor.attrs

    def insert_characters(self, count=None):
        count = max(count or 1, 1)
        self.dirty.add(self.cursor.y)
        line = self.buffer[self.cursor.y]
        for x in range(self.columns - 1, self.cursor.x - 1, -1):
            if x - count >= self.cursor.x:
                line[x] = line[x - count]
            else:
                line[x] = self.cursor.attrs

    # Nor REP (CSI n b, terminfo rep), which ncurses 6 sends xterm for a
    # run of one character: repeat the last character drawn.
    _last_char = ' '

    def draw(self, data):
        super().draw(data)
        if data:
            self._last_char = data[-1]

    def repeat_last(self, count=1, *args, **kwargs):
        self.draw(self._last_char * max(count or 1, 1))


class _Stream(pyte.ByteStream):
    """ByteStream that dispatches SU, SD and REP to the screen (above)."""
    csi = dict(pyte.ByteStream.csi, S='scroll_up', T='scroll_down',
               b='repeat_last')


_live = set()


def _kill_leftovers():
    for t in list(_live):
        t.kill()


atexit.register(_kill_leftovers)


class Term:
    """A program running in its own pseudo-terminal.

    cmd: argument list.  rows, cols: window size, set before the program
    starts.  term: TERM.  lang: LANG and LC_ALL (None leaves them as they
    are in env).  env: extra variables on top of os.environ (value None
    removes one).  cwd: working directory.  redraw_check: hold the
    invariant "the screen equals the screen after Ctrl-L" whenever the
    screen settles (see the module's doc; App turns it on).
    """

    def __init__(self, cmd, rows=24, cols=80, term='vt100', lang='C',
                 env=None, cwd=None, log_prefix=None, redraw_check=False):
        self.cmd = list(cmd)
        # Where the program's sanitizer reports go (log_prefix.PID), shown
        # by dump(): on the screen they scroll away.
        self.log_prefix = log_prefix
        self.term = term
        self.rows, self.cols = rows, cols
        self.redraw_check = redraw_check
        self.redraw_checks = 0      # how many times the invariant held
        self._rx = 0                # every byte read
        self._check_rx = 0          # bytes of the Ctrl-L repaints
        self._checked_at = 0        # _rx when the screen was last checked
        self._checking = False
        self.returncode = None
        self._raw = bytearray()
        self._lock = threading.Lock()
        self._last_rx = time.monotonic()
        self._eof = threading.Event()

        e = dict(os.environ)
        e['TERM'] = term
        e.pop('COLUMNS', None)
        e.pop('LINES', None)
        if lang is not None:
            e['LANG'] = lang
            e['LC_ALL'] = lang
            e.pop('LANGUAGE', None)
        for k, v in (env or {}).items():
            if v is None:
                e.pop(k, None)
            else:
                e[k] = str(v)

        self._screen = _Screen(cols, rows, self._write_reply)
        self._stream = _Stream(self._screen)

        master, slave = os.openpty()
        self._master = master
        self._set_size(slave, rows, cols)
        # Line discipline as a terminal emulator leaves it; the program
        # switches to raw mode itself.
        try:
            self.proc = subprocess.Popen(
                self.cmd, stdin=slave, stdout=slave, stderr=slave,
                cwd=cwd, env=e, close_fds=True, start_new_session=True,
                preexec_fn=_acquire_ctty)
        except BaseException:
            os.close(master)
            os.close(slave)
            raise
        os.close(slave)
        fl = fcntl.fcntl(master, fcntl.F_GETFL)
        fcntl.fcntl(master, fcntl.F_SETFL, fl | os.O_NONBLOCK)
        _live.add(self)
        self._reader = threading.Thread(target=self._read_loop,
                                        name='pty-reader', daemon=True)
        self._reader.start()

    # Bytes the program wrote, the Ctrl-L repaints of the redraw check
    # excepted (a reader adds to it: `t.bytes_received += n`).
    @property
    def bytes_received(self):
        return self._rx - self._check_rx

    @bytes_received.setter
    def bytes_received(self, value):
        self._rx = value + self._check_rx

    # -- plumbing

    @staticmethod
    def _set_size(fd, rows, cols):
        fcntl.ioctl(fd, termios.TIOCSWINSZ,
                    struct.pack('HHHH', rows, cols, 0, 0))

    def _write_reply(self, data):
        try:
            os.write(self._master, data)
        except OSError:
            pass

    def _read_loop(self):
        fd = self._master
        while True:
            try:
                r, _, _ = select.select([fd], [], [], 0.05)
            except (OSError, ValueError):
                break
            if not r:
                if self._closing:
                    break
                continue
            try:
                data = os.read(fd, 65536)
            except BlockingIOError:
                continue
            except OSError as exc:
                # EIO: every slave descriptor is closed, the program and
                # its children are gone.
                if exc.errno not in (errno.EIO, errno.EBADF):
                    sys.stderr.write('harness: pty read: %s\n' % exc)
                break
            if not data:
                break
            with self._lock:
                self.bytes_received += len(data)
                self._raw += data
                self._last_rx = time.monotonic()
                self._stream.feed(data)
        self._eof.set()

    _closing = False

    # -- input

    def send(self, data):
        """Write bytes (or str, UTF-8 encoded) as if typed."""
        self._write(data)

    def _write(self, data):
        if isinstance(data, str):
            data = data.encode('utf-8')
        view = memoryview(data)
        deadline = time.monotonic() + DEFAULT_TIMEOUT
        while view:
            try:
                n = os.write(self._master, view)
                view = view[n:]
            except BlockingIOError:
                if time.monotonic() > deadline:
                    raise ScreenError('the program does not read its input'
                                      + self.dump())
                time.sleep(0.01)

    def key(self, name, count=1, wait=False):
        """Press a named key (see key_bytes) count times.  wait=True: then
        wait for the program's answer and for its output to settle."""
        seq = key_bytes(self.term, name)
        mark = self.bytes_received
        for _ in range(count):
            self.send(seq)
            if seq == b'\x1b':
                # A lone Esc is told from an escape sequence by time
                # (ESCDELAY); do not let the next key join it.
                time.sleep(0.15)
        if wait:
            self.wait_settled(since=mark)

    def type(self, text, delay=0.0):
        """Type text, one character at a time when delay > 0."""
        if delay <= 0:
            self.send(text)
            return
        for ch in text:
            self.send(ch)
            time.sleep(delay)

    # -- screen

    def screen_text(self):
        """The screen as a list of rows (str, right-padded to cols)."""
        with self._lock:
            return list(self._screen.display)

    def text(self):
        """The screen as one string, rows joined with newlines."""
        return '\n'.join(self.screen_text())

    def row(self, n):
        """Row n (0-based; negative counts from the bottom), stripped."""
        return self.screen_text()[n].rstrip()

    def cursor(self):
        """(row, col) of the cursor."""
        with self._lock:
            return self._screen.cursor.y, self._screen.cursor.x

    def attrs_at(self, row, col):
        """Attributes of one cell: char, reverse, bold, underline, fg, bg."""
        with self._lock:
            c = self._screen.buffer[row][col]
            return {'char': c.data, 'reverse': c.reverse, 'bold': c.bold,
                    'underline': c.underscore, 'fg': c.fg, 'bg': c.bg}

    def find(self, text):
        """(row, col) of the first occurrence of text (str or compiled
        regex) on the screen, or None."""
        for y, line in enumerate(self.screen_text()):
            if isinstance(text, re.Pattern):
                m = text.search(line)
                if m:
                    return y, m.start()
            else:
                x = line.find(text)
                if x >= 0:
                    return y, x
        return None

    def raw(self):
        """Every byte the program wrote so far."""
        with self._lock:
            return bytes(self._raw)

    def dump(self):
        """Screen dump for error messages."""
        lines = self.screen_text()
        y, x = self.cursor()
        bar = '+' + '-' * self.cols + '+'
        out = ['', 'screen %dx%d TERM=%s, cursor at %d,%d, %d bytes read,'
               ' process %s:' % (self.cols, self.rows, self.term, y, x,
                                 self.bytes_received, self._status()), bar]
        out += ['|%s|' % line for line in lines]
        out.append(bar)
        if self.log_prefix:
            out += _read_logs('%s.%d' % (self.log_prefix, self.proc.pid))
        return '\n'.join(out)

    def _status(self):
        rc = self.proc.poll()
        return 'running' if rc is None else 'exited with %d' % rc

    # -- waiting

    def wait_for(self, text, timeout=None):
        """Wait until text (str or compiled regex) is on the screen; return
        its (row, col).  Raise ScreenError with a dump on timeout."""
        timeout = _timeout(timeout)
        deadline = time.monotonic() + timeout
        while True:
            pos = self.find(text)
            if pos is not None:
                return pos
            if self._eof.is_set():
                pos = self.find(text)
                if pos is not None:
                    return pos
                raise ScreenError('program ended before %r appeared%s'
                                  % (_pat(text), self.dump()))
            if time.monotonic() > deadline:
                raise ScreenError('%r not on screen after %.1fs%s'
                                  % (_pat(text), timeout, self.dump()))
            time.sleep(0.02)

    def wait_gone(self, text, timeout=None):
        """Wait until text is no longer on the screen."""
        timeout = _timeout(timeout)
        deadline = time.monotonic() + timeout
        while self.find(text) is not None:
            if time.monotonic() > deadline:
                raise ScreenError('%r still on screen after %.1fs%s'
                                  % (_pat(text), timeout, self.dump()))
            time.sleep(0.02)

    def wait_settled(self, quiet_ms=100, timeout=None, since=None):
        """Wait until the program has written nothing for quiet_ms, counted
        from this call at the earliest (so a key sent just before has time
        to be answered).  since: a bytes_received value to wait past first,
        for "after this key, wait for the answer, then for quiet"."""
        timeout = _timeout(timeout)
        start = time.monotonic()
        deadline = start + timeout
        if since is not None:
            while self.bytes_received <= since and not self._eof.is_set():
                if time.monotonic() > deadline:
                    raise ScreenError('no output after byte %d within %.1fs%s'
                                      % (since, timeout, self.dump()))
                time.sleep(0.01)
        while True:
            with self._lock:
                idle = time.monotonic() - max(self._last_rx, start)
            if idle * 1000 >= quiet_ms or self._eof.is_set():
                break
            if time.monotonic() > deadline:
                raise ScreenError('output never settled within %.1fs%s'
                                  % (timeout, self.dump()))
            time.sleep(min(0.02, quiet_ms / 1000))
        if self.redraw_check:
            self.check_redraw()

    def _snapshot(self):
        """Characters, attributes and cursor of the whole screen."""
        with self._lock:
            buf = self._screen.buffer
            cells = [[tuple(buf[y][x]) for x in range(self.cols)]
                     for y in range(self.rows)]
            return cells, (self._screen.cursor.y, self._screen.cursor.x)

    def check_redraw(self, quiet_ms=60, timeout=None):
        """The invariant: the screen now equals the screen after Ctrl-L.
        Skipped when nothing was written since the last check, while
        another check runs, or once the program has ended.

        Robust to a slow machine: ncurses starts the repaint with the
        terminal's clear; bytes before it are the end of a late answer
        to an earlier key (the screen had not settled after all), and
        the check starts again from the screen they leave; a repaint
        still arriving after the quiet time is waited for before a
        difference is reported."""
        timeout = _timeout(timeout)
        if (self._checking or self._eof.is_set() or not self.alive() or
                self._rx == self._checked_at):
            return
        self._checking = True
        clear = clear_bytes(self.term)
        try:
            for _ in range(5):
                before, cur_before = self._snapshot()
                text_before = self.screen_text()
                start = self._rx
                self._write(b'\x0c')
                self._await_answer(start, quiet_ms, timeout)
                with self._lock:
                    at = bytes(self._raw[start:]).find(clear)
                if at < 0:
                    raise ScreenError('no repaint (no clear) after Ctrl-L%s'
                                      % self.dump())
                if at == 0:
                    break
                # An answer came before the repaint: count it as the
                # program's, and check again from the settled screen.
                self._check_rx += self._rx - start - at
            else:
                raise ScreenError('the screen never settled for the '
                                  'Ctrl-L check%s' % self.dump())
            after, cur_after = self._snapshot()
            if before != after or cur_before != cur_after:
                # A repaint slower than the quiet time: wait for its end.
                rx = self._rx
                time.sleep(0.3)
                if self._rx != rx:
                    self._await_answer(rx, quiet_ms, timeout)
                    after, cur_after = self._snapshot()
            self._check_rx += self._rx - start
            self._checked_at = self._rx
            if before != after or cur_before != cur_after:
                raise StaleScreen(self._stale_report(
                    before, cur_before, text_before, after, cur_after))
            self.redraw_checks += 1
        finally:
            self._checking = False

    def _await_answer(self, start, quiet_ms, timeout):
        """Wait for output past byte start, then for quiet_ms of quiet."""
        deadline = time.monotonic() + timeout
        while self._rx == start and not self._eof.is_set():
            if time.monotonic() > deadline:
                raise ScreenError('no answer to Ctrl-L within %.1fs%s'
                                  % (timeout, self.dump()))
            time.sleep(0.005)
        while True:
            with self._lock:
                idle = time.monotonic() - self._last_rx
            if idle * 1000 >= quiet_ms or self._eof.is_set():
                return
            if time.monotonic() > deadline:
                raise ScreenError('the answer to Ctrl-L never settled%s'
                                  % self.dump())
            time.sleep(0.005)

    def _stale_report(self, before, cur_before, text_before, after,
                      cur_after):
        out = ['the screen differs from the screen after Ctrl-L '
               '(stale text left by an earlier screen):']
        text_after = self.screen_text()
        for y in range(self.rows):
            if before[y] == after[y]:
                continue
            out.append('row %2d was   |%s|' % (y, text_before[y]))
            out.append('       Ctrl-L |%s|' % text_after[y])
            if text_before[y] == text_after[y]:
                cols = [x for x in range(self.cols)
                        if before[y][x] != after[y][x]]
                out.append('       attributes differ in columns %s: '
                           '%r -> %r' % (cols[:8], before[y][cols[0]],
                                         after[y][cols[0]]))
        if cur_before != cur_after:
            out.append('cursor was at %r, after Ctrl-L at %r'
                       % (cur_before, cur_after))
        out.append('screen before Ctrl-L:')
        out += ['|%s|' % line for line in text_before]
        return '\n'.join(out) + self.dump()

    def wait_until(self, predicate, what='condition', timeout=None):
        """Poll predicate(self) until true; raise with a dump on timeout."""
        timeout = _timeout(timeout)
        deadline = time.monotonic() + timeout
        while True:
            if predicate(self):
                return
            if self._eof.is_set() and not predicate(self):
                raise ScreenError('program ended before %s%s'
                                  % (what, self.dump()))
            if time.monotonic() > deadline:
                raise ScreenError('no %s after %.1fs%s'
                                  % (what, timeout, self.dump()))
            time.sleep(0.02)

    def wait_exit(self, timeout=None):
        """Wait for the program to exit by itself; return its exit code
        (negative: killed by that signal).  On timeout kill it and raise."""
        timeout = _timeout(timeout)
        try:
            self.returncode = self.proc.wait(timeout)
        except subprocess.TimeoutExpired:
            dump = self.dump()
            self.kill()
            raise ScreenError('program still running after %.1fs%s'
                              % (timeout, dump)) from None
        self._eof.wait(2)
        self._finish()
        return self.returncode

    def alive(self):
        return self.proc.poll() is None

    # -- size

    def resize(self, rows, cols):
        """Change the window size as a terminal emulator does: the pyte
        screen first, then TIOCSWINSZ, which makes the kernel send SIGWINCH
        to the program's foreground process group."""
        with self._lock:
            self._screen.resize(rows, cols)
            self.rows, self.cols = rows, cols
        self._set_size(self._master, rows, cols)
        # The kernel only signals the foreground group of the terminal;
        # make sure the program itself hears about it.
        try:
            if os.tcgetpgrp(self._master) != self.proc.pid:
                os.kill(self.proc.pid, signal.SIGWINCH)
        except OSError:
            pass

    # -- ending

    def kill(self):
        """Stop the program (SIGTERM, then SIGKILL) and release the pty."""
        if self.proc.poll() is None:
            for sig, wait in ((signal.SIGHUP, 1.0), (signal.SIGTERM, 1.0),
                              (signal.SIGKILL, 5.0)):
                try:
                    os.killpg(self.proc.pid, sig)
                except ProcessLookupError:
                    break
                try:
                    self.proc.wait(wait)
                    break
                except subprocess.TimeoutExpired:
                    continue
        self.returncode = self.proc.poll()
        self._finish()

    def close(self, timeout=None):
        """End the session: wait up to timeout for the program to exit by
        itself, else kill it.  Returns the exit code."""
        timeout = _timeout(timeout)
        if self.proc.poll() is None:
            try:
                self.proc.wait(timeout)
            except subprocess.TimeoutExpired:
                pass
        self.kill()
        return self.returncode

    def _finish(self):
        self._closing = True
        self._reader.join(3)
        if self._master >= 0 and not self._reader.is_alive():
            os.close(self._master)
            self._master = -1
        _live.discard(self)

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.kill()
        return False


def _acquire_ctty():
    # Runs in the child after setsid(): make the pty (already on fd 0) the
    # controlling terminal, so that the program gets SIGWINCH and SIGHUP
    # and /dev/tty works.
    fcntl.ioctl(0, termios.TIOCSCTTY, 0)


def _read_logs(path, limit=6000):
    try:
        with open(path, encoding='utf-8', errors='replace') as fh:
            text = fh.read()
    except OSError:
        return []
    if len(text) > limit:
        text = '[...]' + text[-limit:]
    return ['', '%s:' % path, text]


def _pat(text):
    return text.pattern if isinstance(text, re.Pattern) else text


# --- the program under test -------------------------------------------------

FIXED_NOW = '2026-11-23T10:00:00Z'


class App:
    """totemdesk under test: its path, a private temporary directory and
    the environment every run gets (fixed clock, no user configuration).

    exe: path of build/totemdesk.  Remove the directory with cleanup()
    (run_one.py does it when the test ends).
    """

    def __init__(self, exe, tmpdir=None):
        self.exe = os.path.abspath(exe)
        # Every screen test holds "the screen equals the screen after
        # Ctrl-L" (Term, redraw_check); a benchmark turns it off.
        self.redraw_check = True
        self.dir = tmpdir or tempfile.mkdtemp(prefix='td-screen-')
        self.env = {
            'TOTEMDESK_NOW': FIXED_NOW,
            'HOME': self.dir,
            'XDG_CONFIG_HOME': os.path.join(self.dir, 'xdg-config'),
            'XDG_DATA_HOME': os.path.join(self.dir, 'xdg-data'),
            'NO_COLOR': None,
        }
        # Only set by meson's test_env; fall back to the build tree so a
        # test also runs from a shell.
        if 'TOTEMDESK_LOCALEDIR' not in os.environ:
            self.env['TOTEMDESK_LOCALEDIR'] = os.path.join(
                os.path.dirname(self.exe), 'assets', 'po')
        # Sanitizer reports as files, so that a report the screen
        # scrolled away stays readable and a report from a run nobody
        # checked still fails the test (see sanitizer_reports).
        self.log_prefix = os.path.join(self.dir, 'sanitizer')
        for var in ('ASAN_OPTIONS', 'UBSAN_OPTIONS'):
            opts = [os.environ.get(var, ''),
                    'log_path=' + self.log_prefix]
            self.env[var] = ':'.join(o for o in opts if o)
        self.config = None
        self.db = None

    def path(self, name):
        return os.path.join(self.dir, name)

    def _env(self, env):
        e = dict(self.env)
        e.update(env or {})
        return e

    def run(self, *args, rows=24, cols=80, term='vt100', lang='C',
            env=None):
        """Start totemdesk with args in a new pseudo-terminal -> Term."""
        return Term([self.exe] + list(args), rows=rows, cols=cols, term=term,
                    lang=lang, env=self._env(env), cwd=self.dir,
                    log_prefix=self.log_prefix,
                    redraw_check=self.redraw_check)

    def cli(self, *args, env=None, lang='C', stdin=None, timeout=30):
        """Run totemdesk without a terminal (a script's view) ->
        CompletedProcess with str stdout/stderr."""
        e = dict(os.environ)
        for k, v in self._env(env).items():
            if v is None:
                e.pop(k, None)
            else:
                e[k] = str(v)
        if lang is not None:
            e['LANG'] = e['LC_ALL'] = lang
        return subprocess.run([self.exe] + list(args), cwd=self.dir, env=e,
                              input=stdin, stdout=subprocess.PIPE,
                              stderr=subprocess.PIPE, timeout=timeout,
                              check=False, text=True, errors='replace')

    def write_config(self, text=None, name='totemdesk.conf',
                     role='reception', site='MET', user_name='Test Desk'):
        """Write a configuration file and return its path; later runs use
        it through TOTEMDESK_CONFIG.

        Default text: the shipped example config/totemdesk.conf with its
        database pointed into the temporary directory and the login running
        the tests added to its users (totemdesk refuses unknown logins) with
        role and site; role=None adds nobody."""
        if text is None:
            src = os.path.join(source_root(), 'config', 'totemdesk.conf')
            with open(src, encoding='utf-8') as fh:
                text = fh.read()
            db = self.db or self.path('totemdesk.db')
            text, n = re.subn(r'(?m)^(\s*database\s*=\s*)"[^"]*"',
                              lambda m: '%s"%s"' % (m.group(1), db), text)
            if n == 0:
                raise ScreenError('no database = "..." line in %s' % src)
            self.db = db
            if role:
                entry = ('{ login = "%s"; name = "%s"; role = "%s"; '
                         'site = "%s"; },' % (login(), user_name, role, site))
                text, n = re.subn(r'(?m)^(\s*users\s*=\s*\()',
                                  lambda m: m.group(1) + '\n  ' + entry, text,
                                  count=1)
                if n == 0:
                    raise ScreenError('no users = ( list in %s' % src)
        p = self.path(name)
        with open(p, 'w', encoding='utf-8') as fh:
            fh.write(text)
        self.config = p
        self.env['TOTEMDESK_CONFIG'] = p
        return p

    def init_db(self, name='totemdesk.db'):
        """Create a database with `totemdesk init --db` and return its
        path; later runs use it through --db (see db_args)."""
        p = self.path(name)
        res = self.cli('init', '--db', p)
        if res.returncode != 0:
            raise ScreenError('totemdesk init --db %s failed (%d):\n%s%s'
                              % (p, res.returncode, res.stdout, res.stderr))
        self.db = p
        return p

    def setup_site(self, config_text=None, **user):
        """A ready installation: database from `totemdesk init`, and a
        configuration file naming it, with the current login as a user
        (role='reception', site='MET' unless given; see write_config).
        Returns (config path, db path)."""
        db = self.init_db()
        cfg = self.write_config(config_text, **user)
        return cfg, db

    def db_args(self):
        """['--db', path] for the database made by init_db, if any."""
        return ['--db', self.db] if self.db else []

    def sanitizer_reports(self):
        """Text of every sanitizer report written so far."""
        d = os.path.dirname(self.log_prefix)
        base = os.path.basename(self.log_prefix) + '.'
        out = []
        for n in sorted(os.listdir(d)):
            if n.startswith(base):
                out += _read_logs(os.path.join(d, n))
        return out

    def cleanup(self):
        shutil.rmtree(self.dir, ignore_errors=True)


def today_ref(ref):
    """How today's list shows a reference: its number after the time,
    without the "MET-2026-" every row of the list shares (the list's title
    says it once; issue 10)."""
    return re.compile(r'(?<=\d\d:\d\d )%s\b'
                      % re.escape(ref.rsplit('-', 1)[1]))


def login():
    """The login totemdesk sees (it asks getpwuid(geteuid()))."""
    try:
        return pwd.getpwuid(os.geteuid()).pw_name
    except KeyError:
        return os.environ.get('USER', '')


def source_root():
    return os.environ.get('SOURCE_ROOT') or os.path.dirname(
        os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
