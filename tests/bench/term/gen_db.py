#!/usr/bin/python3
"""Make a totemdesk database with many dossiers, for the terminal benchmark.

    gen_db.py --exe build/totemdesk --out /tmp/td-100k.db [--dossiers 100000]
              [--today 2000]

`totemdesk init` creates the schema (all migrations, sites), then rows are
inserted straight into SQLite in one transaction, shaped as the program
writes them (ids "<SITE>-<hex>", references "<SITE>-<YEAR>-<NNNN>" with the
reference counters brought up to date, UTC ISO times).  `--today` of them
are registered at MET on the benchmark's fixed day (TOTEMDESK_NOW of the
screen harness), so that today's list is long; the rest spread over the
540 days before.  Deterministic: same arguments, same database.

The scale generator of tests/bench/scale (when present) makes richer data;
this one only needs to be quick and consistent with the schema.
"""

import argparse
import os
import random
import sqlite3
import subprocess
import sys
import time

SITES = ['MET', 'THI', 'NAN', 'EPI']
LAST = ['Martin', 'Bernard', 'Thomas', 'Petit', 'Robert', 'Richard',
        'Durand', 'Dubois', 'Moreau', 'Laurent', 'Simon', 'Michel',
        'Lefebvre', 'Leroy', 'Roux', 'David', 'Bertrand', 'Morel',
        'Fournier', 'Girard', 'Muller', 'Schmitt', 'Weber', 'Klein']
FIRST = ['Lucie', 'Hugo', 'Emma', 'Louis', 'Chloe', 'Jules', 'Lea',
         'Gabriel', 'Manon', 'Arthur', 'Camille', 'Nathan', 'Sarah',
         'Paul', 'Ines', 'Adam', 'Zoe', 'Theo', 'Jade', 'Lina']
WORDS = ['epicerie', 'vrac', 'atelier', 'velo', 'cafe', 'logiciel',
         'agence', 'formation', 'boulangerie', 'drone', 'ferme', 'studio',
         'recyclage', 'textile', 'conseil', 'robotique', 'jeux', 'sante']
STATUSES = ['new', 'triaged', 'referred', 'supported', 'closed', 'on_hold']
DAY = '2026-11-23'      # harness.FIXED_NOW is 2026-11-23T10:00:00Z
DAY_EPOCH = 1795392000  # 2026-11-23T00:00:00Z


def iso(t):
    return time.strftime('%Y-%m-%dT%H:%M:%SZ', time.gmtime(t))


def generate(exe, out, dossiers, today, env=None):
    """Create database out with `exe init`, then add the dossiers."""
    if os.path.exists(out):
        os.unlink(out)
    e = dict(os.environ, TOTEMDESK_CONFIG='', LANG='C', LC_ALL='C')
    e.update(env or {})
    res = subprocess.run([exe, 'init', '--db', out], env=e,
                         stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                         text=True, check=False)
    if res.returncode != 0:
        raise RuntimeError('totemdesk init failed: %s' % res.stdout)
    fill(out, dossiers, today)


def fill(path, ndossiers, ntoday):

    rnd = random.Random(20261123)
    times = []
    for i in range(ndossiers):
        if i < ntoday:
            # 06:00-09:59 UTC: "today" in any European time zone.
            times.append(DAY_EPOCH + 6 * 3600 + rnd.randrange(4 * 3600))
        else:
            times.append(DAY_EPOCH - 86400 - rnd.randrange(540 * 86400))
    times.sort()

    db = sqlite3.connect(path)
    db.execute('PRAGMA foreign_keys=ON')
    counters = {}
    holders, dossiers = [], []
    for i, t in enumerate(times):
        today = t >= DAY_EPOCH
        site = 'MET' if today else rnd.choice(SITES)
        year = int(time.strftime('%Y', time.gmtime(t)))
        n = counters.get((site, year), 0) + 1
        counters[(site, year)] = n
        hid = '%s-%026X' % (site, (t << 40) | (2 * i))
        did = '%s-%026X' % (site, (t << 40) | (2 * i + 1))
        last, first = rnd.choice(LAST), rnd.choice(FIRST)
        created = iso(t)
        holders.append((hid, site, last, first,
                        '%s.%s%d@exemple.fr' % (first.lower(), last.lower(), i),
                        '+336%08d' % rnd.randrange(10 ** 8), '57000', 'Metz',
                        1, created, 'v1', created, created))
        status = 'new' if today else rnd.choice(STATUSES)
        title = ' '.join(rnd.choice(WORDS) for _ in range(3)).capitalize()
        dossiers.append((did, '%s-%d-%04d' % (site, year, n), hid, site,
                         title, 'Projet %s a %s.' % (title.lower(), 'Metz'),
                         None, None, '', None, status,
                         'accueil.%s' % site.lower(), None, created, created))
    db.execute('BEGIN')
    db.executemany(
        'INSERT INTO holder(id, site_code, last_name, first_name, email,'
        ' phone, postcode, city, consent, consent_at, consent_version,'
        ' created_at, updated_at) VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?)',
        holders)
    db.executemany(
        'INSERT INTO dossier(id, reference, holder_id, site_code,'
        ' project_title, description, stage, sector, needs, siret, status,'
        ' created_by, assigned_to, created_at, updated_at)'
        ' VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)', dossiers)
    db.executemany(
        'INSERT OR REPLACE INTO ref_counter(site_code, year, last)'
        ' VALUES (?,?,?)', [(s, y, n) for (s, y), n in counters.items()])
    db.commit()
    db.execute('ANALYZE')
    db.close()


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument('--exe', required=True)
    ap.add_argument('--out', required=True)
    ap.add_argument('--dossiers', type=int, default=100000)
    ap.add_argument('--today', type=int, default=2000)
    a = ap.parse_args()
    try:
        generate(a.exe, a.out, a.dossiers, a.today)
    except RuntimeError as exc:
        sys.exit(str(exc))
    print('%s: %d dossiers, %d today at MET' % (a.out, a.dossiers, a.today))


if __name__ == '__main__':
    main()
