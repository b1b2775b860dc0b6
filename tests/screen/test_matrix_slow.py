"""Slow line (issue 6): totemdesk behind a 9600-baud link.

SlowTerm reads the program's output from the pseudo-terminal at most
`rate` bytes a second (9600 baud = 960 bytes/s), so once the kernel's pty
buffer is full the program blocks in write() exactly as it does on a slow
serial line or a congested ssh session.  Keys typed meanwhile queue up in
the pty's input.

What must hold (CI tests, short journey):
- keys typed ahead while the screen is still drawing are neither lost nor
  reordered: the record saved is exactly what was typed;
- obsolete redraws are skipped: the program handles every key already
  waiting before it draws (main loop of ui.c, plus ncurses' own typeahead
  check on the input descriptor), so the typed-ahead journey writes far
  fewer bytes than the same keys answered one by one.

tests/bench/term/bench.py --slow reports the journey's time at 9600 baud.
"""

import errno
import os
import select
import sys
import time

import harness
from test_intake import REF, _fill, _export, _check_record
from test_matrix import site, wait_home, HOME_MARK

BAUD_9600 = 960         # bytes per second: 10 bits a byte on the wire


class SlowTerm(harness.Term):
    """A Term whose terminal reads at most `rate` bytes per second."""

    def __init__(self, *args, rate=BAUD_9600, **kwargs):
        self.rate = rate
        super().__init__(*args, **kwargs)

    def _read_loop(self):
        fd = self._master
        t0 = time.monotonic()
        taken = 0
        while True:
            # Token bucket: what the line carried since t0, at most 1/20 s
            # worth at once (a burst of a real UART's FIFO).
            budget = int((time.monotonic() - t0) * self.rate) - taken
            budget = min(budget, max(1, self.rate // 20))
            if budget <= 0:
                time.sleep(0.01)
                if self._closing:
                    break
                continue
            try:
                r, _, _ = select.select([fd], [], [], 0.05)
            except (OSError, ValueError):
                break
            if not r:
                # Idle line: the bucket does not fill while nothing flows.
                t0 = time.monotonic()
                taken = 0
                if self._closing:
                    break
                continue
            try:
                data = os.read(fd, budget)
            except BlockingIOError:
                continue
            except OSError as exc:
                if exc.errno not in (errno.EIO, errno.EBADF):
                    sys.stderr.write('harness: pty read: %s\n' % exc)
                break
            if not data:
                break
            taken += len(data)
            with self._lock:
                self.bytes_received += len(data)
                self._raw += data
                self._last_rx = time.monotonic()
                self._stream.feed(data)
        self._eof.set()


def run_slow(app, term='vt100', lang='C', rate=BAUD_9600):
    """Start totemdesk behind the slow line -> SlowTerm."""
    return SlowTerm([app.exe], rows=24, cols=80, term=term, lang=lang,
                    env=app._env(None), cwd=app.dir,
                    log_prefix=app.log_prefix, rate=rate,
                    redraw_check=app.redraw_check)


def typed_ahead_journey(t):
    """Home -> intake form -> every field -> save, typed without waiting
    for the screen: returns (seconds until the reference shows, bytes)."""
    t0 = time.monotonic()
    t.wait_until(lambda t: t.bytes_received > 0, 'first byte', timeout=10)
    # The home screen is still arriving: type everything now.
    t.send(b'n')
    _fill_fast(t)
    t.key('C-O' if t.term == 'vt100' else 'F2')
    t.wait_for(REF, timeout=60)
    secs = time.monotonic() - t0
    t.wait_settled(quiet_ms=300, timeout=60)
    return secs, t.bytes_received


def _fill_fast(t):
    """_fill without its final wait for the screen."""
    settled = t.wait_settled
    t.wait_settled = lambda *a, **k: None
    try:
        _fill(t)
    finally:
        t.wait_settled = settled


def key_by_key_journey(t):
    """The same keys, each sent once the previous answer has settled:
    returns the bytes written (every intermediate screen drawn)."""
    wait_home(t)
    keys = [b'n']
    recorder = _Recorder(t)
    _fill_fast(recorder)
    keys += recorder.sent
    keys.append(b'\x0f')
    for k in keys:
        mark = t.bytes_received
        t.send(k)
        try:
            t.wait_settled(since=mark, quiet_ms=60, timeout=1)
        except harness.ScreenError:
            pass                # a key with no visible answer
    t.wait_for(REF)
    return t.bytes_received


class _Recorder:
    """Stands in for a Term to collect what _fill would type, one key
    (or one character) per element."""

    def __init__(self, t):
        self.term = t.term
        self.sent = []

    def send(self, data):
        if isinstance(data, str):
            data = data.encode('utf-8')
        self.sent.append(data)

    def type(self, text, delay=0.0):
        for ch in text:
            self.send(ch)

    def key(self, name, count=1, wait=False):
        for _ in range(count):
            self.send(harness.key_bytes(self.term, name))

    def wait_settled(self, *a, **k):
        pass


def test_slow_line_typeahead(app):
    """vt100 at 9600 baud: the intake typed ahead of a screen still
    drawing is saved exactly as typed, and redraws made obsolete by the
    keys already waiting are skipped."""
    site(app, today=1)
    t = run_slow(app)
    secs, nbytes = typed_ahead_journey(t)
    ref = REF.search(t.text()).group(0)
    print('9600 baud, vt100 80x24: intake typed ahead, reference shown '
          'after %.1f s, %d bytes' % (secs, nbytes))
    t.key('Esc')
    t.wait_for(HOME_MARK, timeout=30)
    t.send(b'q')
    assert t.wait_exit(timeout=30) == 0, t.dump()
    rows = [r for r in _export(app) if r['reference'] == ref]
    assert len(rows) == 1, rows
    _check_record(rows[0], ref)

    # The same keys one at a time, on a fast line, drawing every step.
    t2 = app.run(term='vt100', lang='C')
    every = key_by_key_journey(t2)
    t2.kill()
    print('same keys answered one by one: %d bytes' % every)
    assert nbytes < every * 0.75, \
        'typed ahead: %d bytes, one by one: %d: obsolete redraws are ' \
        'not skipped' % (nbytes, every)
