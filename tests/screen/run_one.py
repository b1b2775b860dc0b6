"""Run one screen test: run_one.py [--exe PATH] [--timeout S] FILE::FUNCTION

FILE is a Python file beside this one, FUNCTION a function in it.  A
function with a parameter named `app` receives a harness.App for the
program at --exe, with its own temporary directory (removed afterwards
unless the test failed and KEEP_SCREEN_TMP is set).

Exit status: 0 passed, 1 failed, 77 skipped (meson's convention).  The
whole test is bounded by --timeout: on expiry the program under test is
killed and the test fails with the last screen.
"""

import argparse
import importlib.util
import inspect
import os
import signal
import sys
import traceback

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)

import harness  # noqa: E402


class Skip(Exception):
    """Raise from a test to report it skipped (exit 77)."""


harness.Skip = Skip


class _Expired(BaseException):
    pass


def _alarm(signum, frame):
    raise _Expired()


def _term(signum, frame):
    raise SystemExit('killed by signal %d' % signum)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument('--exe', help='path of the totemdesk executable')
    ap.add_argument('--timeout', type=float, default=60.0)
    ap.add_argument('test', help='FILE.py::FUNCTION')
    a = ap.parse_args()

    fname, _, func = a.test.partition('::')
    path = fname if os.path.isabs(fname) else os.path.join(HERE, fname)
    spec = importlib.util.spec_from_file_location(
        os.path.splitext(os.path.basename(path))[0], path)
    mod = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mod)
    fn = getattr(mod, func, None)
    if fn is None:
        print('run_one: %s has no function %s' % (path, func), file=sys.stderr)
        return 2

    kwargs = {}
    app = None
    if 'app' in inspect.signature(fn).parameters:
        if not a.exe:
            print('run_one: %s needs --exe' % a.test, file=sys.stderr)
            return 2
        app = harness.App(a.exe)
        kwargs['app'] = app

    signal.signal(signal.SIGALRM, _alarm)
    signal.signal(signal.SIGTERM, _term)
    signal.setitimer(signal.ITIMER_REAL, a.timeout)
    status = 1
    try:
        fn(**kwargs)
        harness._kill_leftovers()
        reports = app.sanitizer_reports() if app else []
        if reports:
            print('\n'.join(reports))
            raise AssertionError('the sanitizers reported errors (above)')
        status = 0
        print('PASS %s' % a.test)
    except Skip as e:
        status = 77
        print('SKIP %s: %s' % (a.test, e))
    except _Expired:
        print('FAIL %s: no result within %.0fs' % (a.test, a.timeout))
        for t in list(harness._live):
            print(t.dump())
    except Exception:
        traceback.print_exc(file=sys.stdout)
        print('FAIL %s' % a.test)
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        harness._kill_leftovers()
        if app is not None:
            if status in (0, 77) or not os.environ.get('KEEP_SCREEN_TMP'):
                app.cleanup()
            else:
                print('kept temporary directory %s' % app.dir)
    sys.stdout.flush()
    return status


if __name__ == '__main__':
    sys.exit(main())
