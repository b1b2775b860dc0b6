#!/usr/bin/python3
"""Check that the CSV and JSON writers' output is read back identically by
independent readers: Python's csv module (strict mode) and json module.

Usage: csv_check.py PATH/TO/writer_gen
The tricky rows live here, not in the C program, so the writer cannot agree
with itself by accident.  Exit status 0 on success, 1 on any mismatch.
"""
import csv
import io
import json
import subprocess
import sys

ROWS = [
    ["\ufeffDupont", "Jean-Éric", "12 rue de l'Église", "Saint-Étienne",
     "42000"],
    ['say "hi"', "a,b", "c;d", "line1\nline2", "cr\r\nlf"],
    ["=1+2", "+33612345678", "-5", "@SUM(A1:A9)", "=HYPERLINK(\"http://x\")"],
    ["\t=tab", "\r=cr", " lead", "trail ", ""],
    ['"', '""', ",", ";", "\r"],
    ["\n", "Œuvre — naïve façade", "日本語", "emoji \U0001F600", "'quoted"],
    ['a"b,c;d\ne', "x\ty", "\u2028sep", "\\back\\slash", "ctl\x01\x1f"],
    ["'=typed", "''", "'", "''x", "'-"],
    ["", "", "", "", ""],
]
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def needs_guard(f):
    """A formula start, or a quote the reader would take for the guard
    (so that the guard can be taken off again: csv.h)."""
    return f.startswith(FORMULA_START) or (
        f[:1] == "'" and f[1:2] != "" and f[1] in FORMULA_START + ("'",))


def run(gen, *args):
    fields = [f for row in ROWS for f in row]
    out = subprocess.run([gen, *args, str(len(ROWS[0])), *fields],
                         stdout=subprocess.PIPE, check=True).stdout
    return out


def check_csv(gen, sep, guard):
    raw = run(gen, "csv", sep, "1" if guard else "0")
    problems = []
    if not raw.startswith(b"\xef\xbb\xbf"):
        problems.append("no UTF-8 BOM")
    if not raw.endswith(b"\r\n"):
        problems.append("last record does not end with CRLF")
    text = raw.decode("utf-8-sig")
    got = list(csv.reader(io.StringIO(text, newline=""), delimiter=sep,
                          quotechar='"', strict=True))
    want = [[("'" + f if guard and needs_guard(f) else f)
             for f in row] for row in ROWS]
    if got != want:
        for i, (g, w) in enumerate(zip(got, want)):
            if g != w:
                problems.append(f"row {i}: got {g!r}, want {w!r}")
        if len(got) != len(want):
            problems.append(f"{len(got)} rows read, {len(want)} written")
    return [f"csv sep={sep!r} guard={guard}: {p}" for p in problems]


def check_json(gen, pretty):
    raw = run(gen, "json", "1" if pretty else "0")
    problems = []
    try:
        got = json.loads(raw.decode("utf-8"))
    except ValueError as e:
        return [f"json pretty={pretty}: not valid JSON: {e}"]
    if got != ROWS:
        problems.append(f"got {got!r}")
    if pretty != (b"\n  [" in raw):
        problems.append("indentation does not match the option")
    if b"\xe2\x80\xa8" in raw:
        problems.append("U+2028 not escaped")
    return [f"json pretty={pretty}: {p}" for p in problems]


def main():
    if len(sys.argv) != 2:
        print(__doc__, file=sys.stderr)
        return 2
    gen = sys.argv[1]
    problems = []
    for sep in (",", ";"):
        for guard in (False, True):
            problems += check_csv(gen, sep, guard)
    for pretty in (False, True):
        problems += check_json(gen, pretty)
    for p in problems:
        print(p)
    print(f"{'FAIL' if problems else 'ok'}: {len(ROWS)} rows, "
          f"4 CSV variants, 2 JSON variants")
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
