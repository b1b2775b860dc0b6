"""Roles enforced by the system (issue 13, point 3), with real Unix users.

    test_roles.py --build EXE     the program as built, installed for the
                                  test in a private mount namespace
    test_roles.py --installed     the Debian package as installed

The test creates its own users (useradd), runs totemdesk as each of them
(setpriv: real uid, gid and groups of the user, nothing else) and checks
what the installed shared desk promises: the login comes from the real
uid, a user's own configuration, --config, --db and $TOTEMDESK_CONFIG are
refused, reception sees its own site, every file a user asks for is the
user's own (the group's privilege dropped around it), the database
directory stays closed to them, and what a curious user controls -- the
environment, the descriptors, a planted link, --demo -- opens nothing.

--build: everything happens in a mount namespace of its own, where a
tmpfs is mounted on /etc/totemdesk and /var/lib/totemdesk and the binary
is copied set-group-ID to a group made for the run: the machine's files
are not touched (only its user and group lists, for the run's users,
removed at the end).  --installed uses the real paths and the real group
"totemdesk"; the configuration file is put back as it was.

Needs root (CI runs as root): otherwise exit 77, skipped, with the reason.
Prints one line per check, then "N passed, N failed"."""

import argparse
import ctypes
import grp
import os
import pwd
import shutil
import signal
import sqlite3
import stat
import subprocess
import sys
import tempfile
import time

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(os.path.dirname(HERE), 'screen'))

CONF = '/etc/totemdesk/totemdesk.conf'
DBDIR = '/var/lib/totemdesk'

RESULTS = {'passed': 0, 'failed': 0}


def check(what, cond, detail=''):
    if cond:
        RESULTS['passed'] += 1
        print('ok     %s' % what)
    else:
        RESULTS['failed'] += 1
        print('FAILED %s%s' % (what, ('\n       ' + str(detail).replace(
            '\n', '\n       ')) if detail else ''))
    sys.stdout.flush()
    return cond


def sh(*cmd, **kw):
    return subprocess.run(list(cmd), stdout=subprocess.PIPE,
                          stderr=subprocess.PIPE, text=True, **kw)


# --- the run's users ---------------------------------------------------------

class Users:
    """Users made for this run: NAME -> (login, uid, gid, home).  Names
    carry the process id, so runs side by side do not meet."""

    def __init__(self):
        self.tag = 'tdt%d' % (os.getpid() % 100000)
        self.made = []

    def add(self, name):
        login = '%s-%s' % (self.tag, name)
        res = sh('useradd', '--create-home', '--shell', '/bin/sh',
                 '--user-group', login)
        if res.returncode != 0:
            raise SystemExit('useradd %s: %s' % (login, res.stderr))
        self.made.append(login)
        pw = pwd.getpwnam(login)
        os.chmod(pw.pw_dir, 0o755)
        return login

    def remove(self):
        for login in self.made:
            sh('userdel', '--remove', login)


def user_env(login, extra=None):
    pw = pwd.getpwnam(login)
    env = {'HOME': pw.pw_dir, 'USER': login, 'LOGNAME': login,
           'PATH': '/usr/bin:/bin', 'LANG': 'C.UTF-8', 'TERM': 'vt100',
           # The sanitizers' leak check needs to trace the process, which
           # a set-group-ID program does not allow.
           'ASAN_OPTIONS': 'detect_leaks=0'}
    env.update(extra or {})
    return {k: v for k, v in env.items() if v is not None}


def as_user(login, cmd):
    """cmd run with the real uid, gid and groups of login only."""
    if login == 'root':
        return list(cmd)
    pw = pwd.getpwnam(login)
    return ['setpriv', '--reuid=%d' % pw.pw_uid, '--regid=%d' % pw.pw_gid,
            '--init-groups', '--'] + list(cmd)


class Desk:
    """The installed program and how to run it."""

    def __init__(self, exe, group, db):
        self.exe = exe
        self.group = group
        self.db = db

    def run(self, login, *args, env=None, cwd=None, stdin=None, shell=None):
        cmd = [self.exe] + list(args)
        if shell:
            cmd = ['/bin/sh', '-c', shell]
        home = pwd.getpwnam(login).pw_dir if login != 'root' else '/root'
        return subprocess.run(as_user(login, cmd), env=user_env(login, env),
                              cwd=cwd or home, input=stdin,
                              stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                              text=True, errors='replace', timeout=60)


def write_as(login, path, text, mode=0o644):
    with open(path, 'w', encoding='utf-8') as fh:
        fh.write(text)
    pw = pwd.getpwnam(login)
    os.chown(path, pw.pw_uid, pw.pw_gid)
    os.chmod(path, mode)


# --- the checks ----------------------------------------------------------------

HOLDERS = ('last_name;first_name;email;needs;consent;site;postcode;'
           'project_title\r\n'
           'Messin;Marie;marie@exemple.fr;funding;1;MET;57000;Atelier\r\n'
           'Nanceien;Jeanne;jeanne@exemple.fr;advice;1;NAN;54000;Ruches\r\n')


def configuration(u, db):
    users = [('recep', 'reception', 'MET'), ('nancy', 'reception', 'NAN'),
             ('officer', 'officer', 'COO'), ('admin', 'admin', 'COO')]
    lines = ['site = "MET";', 'database = "%s";' % db, 'users = (']
    lines += ['  { login = "%s-%s"; name = "%s"; role = "%s"; site = "%s"; },'
              % (u.tag, n, n.capitalize(), role, site)
              for n, role, site in users]
    lines[-1] = lines[-1].rstrip(',')
    lines += [');', '']
    return '\n'.join(lines)


def run_checks(desk, u):
    recep, officer, admin = (u.tag + '-recep', u.tag + '-officer',
                             u.tag + '-admin')
    stranger, owncfg = u.tag + '-stranger', u.tag + '-owncfg'
    gid = grp.getgrnam(desk.group).gr_gid
    en = ['--lang', 'en']

    st = os.stat(desk.exe)
    check('the program is set-group-ID to %s, not set-user-ID' % desk.group,
          st.st_mode & stat.S_ISGID and not st.st_mode & stat.S_ISUID
          and st.st_gid == gid and st.st_uid == 0, oct(st.st_mode))
    st = os.stat(DBDIR)
    check('%s is 2770 root:%s' % (DBDIR, desk.group),
          stat.S_IMODE(st.st_mode) == 0o2770 and st.st_uid == 0
          and st.st_gid == gid, oct(st.st_mode))

    # Root creates the database; the desks' files are the group's.
    res = desk.run('root', 'init', *en)
    check('root: totemdesk init', res.returncode == 0, res.stderr)
    st = os.stat(desk.db)
    check('the database is 0660, group %s' % desk.group,
          stat.S_IMODE(st.st_mode) == 0o660 and st.st_gid == gid,
          oct(st.st_mode))
    res = desk.run(admin, 'init', *en)
    check('an administrator may not create the shared database (exit 3)',
          res.returncode == 3 and 'root' in res.stderr, res.stderr)

    # The officer imports dossiers of two sites, reading the CSV with
    # the officer's own rights.
    home = pwd.getpwnam(officer).pw_dir
    write_as(officer, os.path.join(home, 'holders.csv'), HOLDERS)
    res = desk.run(officer, 'import', 'holders.csv', *en)
    check('officer: import of two sites', res.returncode == 0,
          res.stdout + res.stderr)
    res = desk.run(officer, 'import', desk.db, *en)
    check('officer: a file of the database directory is not read for them',
          res.returncode != 0 and 'Permission denied' in res.stderr,
          res.stderr)
    res = desk.run(officer, 'sync', 'import', desk.db, *en)
    check('officer: sync import reads a bundle with their own rights',
          res.returncode != 0 and 'Permission denied' in res.stderr,
          res.stderr)

    # Reception sees its own site.
    res = desk.run(recep, 'export', *en)
    check('reception at MET: export holds MET only',
          res.returncode == 0 and 'Messin' in res.stdout
          and 'Nanceien' not in res.stdout, res.stdout + res.stderr)
    res = desk.run(recep, 'export', '--site', 'NAN', *en)
    check('reception at MET: --site NAN refused (exit 3)',
          res.returncode == 3, res.stderr)
    res = desk.run(officer, 'export', *en)
    check('officer: export holds both sites', res.returncode == 0 and
          'Messin' in res.stdout and 'Nanceien' in res.stdout, res.stderr)

    # The login comes from the real uid, never from $USER.
    res = desk.run(recep, 'export', *en, env={'USER': officer,
                                             'LOGNAME': officer})
    check('$USER of another login changes nothing',
          res.returncode == 0 and 'Nanceien' not in res.stdout, res.stderr)
    res = subprocess.run(['setpriv', '--reuid=54321', '--regid=54321',
                          '--clear-groups', desk.exe, 'export'] + en,
                         env=user_env(recep, {'HOME': '/'}), cwd='/',
                         stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                         text=True, timeout=60)
    check('a uid without a passwd entry is refused (exit 3)',
          res.returncode == 3 and 'password database' in res.stderr,
          res.stderr)

    # Unlisted users and users' own configurations.
    res = desk.run(stranger, 'export', *en)
    check('an unlisted user is refused (exit 3), nothing exported',
          res.returncode == 3 and res.stdout == '', res.stderr)
    res = desk.run(stranger, 'check', *en)
    check('an unlisted user: check refused too (exit 3)',
          res.returncode == 3, res.stderr)
    ohome = pwd.getpwnam(owncfg).pw_dir
    own = os.path.join(ohome, 'mine.conf')
    text = configuration(u, desk.db).replace(
        '"%s-admin"' % u.tag, '"%s"' % owncfg)
    text = text.replace('database = "%s"' % desk.db,
                        'database = "%s/copy.db"' % ohome)
    write_as(owncfg, own, text)
    os.makedirs(os.path.join(ohome, '.config', 'totemdesk'), exist_ok=True)
    write_as(owncfg, os.path.join(ohome, '.config', 'totemdesk',
                                  'totemdesk.conf'), text)
    for args, env, what in ((['--config', own], None, '--config'),
                            ([], {'TOTEMDESK_CONFIG': own},
                             '$TOTEMDESK_CONFIG'),
                            (['--db', desk.db], None, '--db')):
        res = desk.run(owncfg, *args, 'export', *en, env=env)
        check('a user with their own configuration: %s refused (exit 3)'
              % what, res.returncode == 3 and res.stdout == '', res.stderr)
    res = desk.run(owncfg, 'export', *en,
                   env={'XDG_CONFIG_HOME': os.path.join(ohome, '.config')})
    check('... and ~/.config/totemdesk is not read: still unknown (exit 3)',
          res.returncode == 3 and 'totemdesk.conf' in res.stderr
          and res.stdout == '', res.stderr)
    res = desk.run(recep, '--config', own, 'export', *en)
    check('reception: --config refused as well (exit 3)',
          res.returncode == 3, res.stderr)
    res = desk.run('root', '--config', CONF, 'check', *en)
    check('root may still choose --config', res.returncode == 0, res.stderr)

    # Files the user asks for are the user's: 0600, the user's group.
    rhome = pwd.getpwnam(recep).pw_dir
    rpw = pwd.getpwnam(recep)
    res = desk.run(recep, 'export', '-o', 'out.csv', *en)
    out = os.path.join(rhome, 'out.csv')
    ok = res.returncode == 0 and os.path.exists(out)
    st = os.stat(out) if ok else None
    check('reception: export -o is theirs, 0600, their group (not %s)'
          % desk.group, ok and st.st_uid == rpw.pw_uid
          and st.st_gid == rpw.pw_gid and stat.S_IMODE(st.st_mode) == 0o600,
          res.stderr + (oct(st.st_mode) if st else ''))
    res = desk.run(recep, 'export', '-o', os.path.join(DBDIR, 'x.csv'), *en)
    check('reception: export -o into the database directory refused '
          '(the group dropped around the open)',
          res.returncode != 0 and not os.path.exists(
              os.path.join(DBDIR, 'x.csv')), res.stderr)
    link = os.path.join(rhome, 'planted.csv')
    os.symlink(desk.db, link)
    os.lchown(link, rpw.pw_uid, rpw.pw_gid)
    # The export is written to the audit log (issue 14 point 7), so the
    # database changes by that entry: it must still be the database,
    # whole, with its dossiers, and the CSV must be in the user's file.
    def dossiers():
        con = sqlite3.connect('file:%s?mode=ro' % desk.db, uri=True)
        try:
            return con.execute('SELECT count(*) FROM dossier').fetchone()[0]
        finally:
            con.close()
    before = dossiers()
    res = desk.run(recep, 'export', '-o', link, '--force', *en)
    with open(desk.db, 'rb') as fh:
        head = fh.read(16)
    check('a link to the database planted at -o: the link is replaced, '
          'the database untouched', res.returncode == 0
          and not os.path.islink(link) and head == b'SQLite format 3\x00'
          and dossiers() == before and open(link, 'rb').read(9)
          == b'reference', res.stderr)
    res = desk.run(recep, 'report', '-o', os.path.join(DBDIR, 'r.txt'), *en)
    check('report -o into the database directory refused',
          res.returncode != 0, res.stderr)

    # What the user controls around the process opens nothing.
    res = desk.run(recep, shell='exec %s export --lang en >&- 2>&-'
                   % desk.exe)
    res2 = desk.run('root', 'check', *en)
    check('closed standard descriptors: the database is not written into',
          res2.returncode == 0 and 'integrity: ok' in res2.stdout,
          res2.stdout + res2.stderr)
    res = desk.run(recep, 'export', *en,
                   env={'TOTEMDESK_LOCALEDIR': rhome, 'TERMINFO': rhome,
                        'SQLITE_TMPDIR': rhome, 'TMPDIR': rhome,
                        'XDG_DATA_HOME': rhome})
    check('TOTEMDESK_LOCALEDIR, TERMINFO, SQLITE_TMPDIR, TMPDIR, XDG_* '
          'change nothing', res.returncode == 0 and 'Messin' in res.stdout,
          res.stderr)

    # A running desk cannot be looked into by its own user.
    import harness
    t = harness.Term(as_user(recep, [desk.exe] + en), env=user_env(recep),
                     cwd=rhome, term='vt100', lang='C')
    try:
        t.wait_for('MET', timeout=15)
        pid = t.proc.pid      # setpriv execs totemdesk: the same process
        res = desk.run(recep, 'ls', shell='ls /proc/%d/fd' % pid)
        check('a running desk: its own user cannot list its descriptors '
              '(not dumpable)', res.returncode != 0, res.stdout)
        # Restore is refused while the desk is open.
        backup = os.path.join('/root', 'tdt-backup-%d.db' % os.getpid())
        res = desk.run('root', 'backup', backup, *en)
        check('root: backup while a desk is open', res.returncode == 0,
              res.stderr)
        res = desk.run('root', 'restore', backup, *en)
        check('root: restore refused while a desk is open (exit 1)',
              res.returncode == 1 and 'in use' in res.stderr, res.stderr)
        t.send(b'q')
        t.wait_exit(timeout=10)
    finally:
        t.close()
    res = desk.run(officer, 'backup', os.path.join(home, 'b.db'), *en)
    check('officer: backup refused (exit 3)', res.returncode == 3,
          res.stderr)
    res = desk.run(admin, 'backup', 'b.db', *en)
    ahome = pwd.getpwnam(admin).pw_dir
    b = os.path.join(ahome, 'b.db')
    st = os.stat(b) if os.path.exists(b) else None
    apw = pwd.getpwnam(admin)
    check('administrator: backup is theirs, 0600',
          res.returncode == 0 and st and st.st_uid == apw.pw_uid
          and stat.S_IMODE(st.st_mode) == 0o600, res.stderr)
    res = desk.run(admin, 'restore', 'b.db', *en)
    check('administrator: restore of the shared desk refused, it is '
          "root's (exit 3)", res.returncode == 3 and 'root' in res.stderr,
          res.stderr)
    res = desk.run('root', 'restore', backup, *en)
    check('root: restore once no desk is open', res.returncode == 0,
          res.stderr)
    os.unlink(backup)

    # --demo gives the group up for good.
    t = harness.Term(as_user(recep, [desk.exe, '--demo'] + en),
                     env=user_env(recep), cwd=rhome, term='vt100', lang='C')
    try:
        t.wait_for('MET', timeout=20)
        pid = t.proc.pid
        gids = [l for l in open('/proc/%d/status' % pid) if
                l.startswith('Gid:')][0].split()[1:]
        check('--demo runs without the group (real, effective, saved, fs)',
              gids == [str(rpw.pw_gid)] * 4, gids)
        t.send(b'q')
        t.wait_exit(timeout=10)
    finally:
        t.close()

    # What the users' desks made in the database directory (SQLite's -wal
    # and -shm, when one of them opened it first) is closed to others:
    # the group's, no permission for the rest of the host.
    loose = []
    for n in os.listdir(DBDIR):
        st = os.lstat(os.path.join(DBDIR, n))
        if st.st_gid != gid or st.st_mode & 0o007:
            loose.append('%s %o %d:%d' % (n, st.st_mode, st.st_uid,
                                          st.st_gid))
    check('every file in %s is the group\'s and closed to the rest of the '
          'host' % DBDIR, not loose, loose)


def run_package_checks(desk, u):
    """What only the installed package has: conffile, man page,
    translations, the nightly unit's command."""
    stranger = u.tag + '-stranger'
    res = sh('dpkg-query', '-W', '-f=${Conffiles}', 'totemdesk')
    check('%s is a conffile of the package' % CONF, CONF in res.stdout,
          res.stdout + res.stderr)
    check('the man pages are installed, English and French',
          os.path.exists('/usr/share/man/man1/totemdesk.1.gz') and
          os.path.exists('/usr/share/man/fr/man1/totemdesk.1.gz'))
    check('the French translation is installed', os.path.exists(
        '/usr/share/locale/fr/LC_MESSAGES/totemdesk.mo'))
    res = desk.run(stranger, 'export')
    check('messages in French by default (the installed catalogue)',
          res.returncode == 3 and 'inconnu' in res.stderr, res.stderr)
    st = os.stat('/var/backups/totemdesk')
    check('/var/backups/totemdesk is 0700 root', stat.S_IMODE(st.st_mode)
          == 0o700 and st.st_uid == 0, oct(st.st_mode))
    unit = '/lib/systemd/system/totemdesk-nightly.service'
    timer = '/lib/systemd/system/totemdesk-nightly.timer'
    check('the nightly service and timer are installed',
          os.path.exists(unit) and os.path.exists(timer))
    cmds = [l.split('=', 1)[1].split() for l in open(unit)
            if l.startswith('ExecStart=')]
    before = set(os.listdir('/var/backups/totemdesk'))
    results = [subprocess.run(c, stdout=subprocess.PIPE,
                              stderr=subprocess.PIPE, text=True, timeout=120)
               for c in cmds]
    made = sorted(set(os.listdir('/var/backups/totemdesk')) - before)
    check('the nightly command (%s) writes a dated backup, 0600'
          % ' '.join(cmds[0]) if cmds else 'ExecStart',
          cmds and all(r.returncode == 0 for r in results) and len(made) == 1
          and stat.S_IMODE(os.stat(os.path.join(
              '/var/backups/totemdesk', made[0])).st_mode) == 0o600,
          [r.stderr for r in results] + made)
    for n in made:
        os.unlink(os.path.join('/var/backups/totemdesk', n))


# --- the two ways to run -------------------------------------------------------

CLONE_NEWNS = 0x00020000


def private_mounts(exe, group):
    """A mount namespace of our own: tmpfs on /etc/totemdesk and
    /var/lib/totemdesk, and exe copied set-group-ID to group into a
    tmpfs (no nosuid there).  Returns the copy's path."""
    libc = ctypes.CDLL(None, use_errno=True)
    if libc.unshare(CLONE_NEWNS) != 0:
        raise OSError(ctypes.get_errno(), 'unshare(CLONE_NEWNS)')
    subprocess.run(['mount', '--make-rprivate', '/'], check=True)
    # Mount points: made empty when missing (the package makes them too).
    for d in ('/etc/totemdesk', DBDIR):
        os.makedirs(d, exist_ok=True)
    subprocess.run(['mount', '-t', 'tmpfs', '-o', 'mode=0755', 'tmpfs',
                    '/etc/totemdesk'], check=True)
    subprocess.run(['mount', '-t', 'tmpfs', '-o', 'mode=2770', 'tmpfs', DBDIR],
                   check=True)
    gid = grp.getgrnam(group).gr_gid
    os.chown(DBDIR, 0, gid)
    os.chmod(DBDIR, 0o2770)
    bindir = tempfile.mkdtemp(prefix='tdt-bin-')
    subprocess.run(['mount', '-t', 'tmpfs', '-o', 'mode=0755', 'tmpfs',
                    bindir], check=True)
    copy = os.path.join(bindir, 'totemdesk')
    shutil.copy(exe, copy)
    os.chown(copy, 0, gid)
    os.chmod(copy, 0o2755)
    return copy


def main():
    ap = argparse.ArgumentParser()
    g = ap.add_mutually_exclusive_group(required=True)
    g.add_argument('--build', metavar='EXE')
    g.add_argument('--installed', action='store_true')
    a = ap.parse_args()
    if os.geteuid() != 0:
        print('SKIP: needs root, to create users (useradd) and run the '
              'program as them (setpriv); CI runs as root')
        return 77
    for tool in ('useradd', 'userdel', 'setpriv'):
        if not shutil.which(tool):
            print('FAILED: %s is not installed' % tool)
            return 1
    u = Users()
    group = None
    saved_conf = None
    db = os.path.join(DBDIR, '%s.db' % u.tag)
    try:
        if a.build:
            group = u.tag + '-desk'
            res = sh('groupadd', '--system', group)
            if res.returncode != 0:
                print('FAILED: groupadd: %s' % res.stderr)
                return 1
            exe = private_mounts(os.path.abspath(a.build), group)
        else:
            group = 'totemdesk'
            exe = '/usr/bin/totemdesk'
            if os.path.exists(CONF):
                saved_conf = open(CONF, 'rb').read()
        for name in ('recep', 'nancy', 'officer', 'admin', 'stranger',
                     'owncfg'):
            u.add(name)
        with open(CONF, 'w', encoding='utf-8') as fh:
            fh.write(configuration(u, db))
        os.chmod(CONF, 0o644)
        run_checks(Desk(exe, group, db), u)
        if a.installed:
            run_package_checks(Desk(exe, group, db), u)
    finally:
        u.remove()
        if a.build and group:
            sh('groupdel', group)
        if a.installed:
            for suffix in ('', '-wal', '-shm', '-lock'):
                if os.path.exists(db + suffix):
                    os.unlink(db + suffix)
            if saved_conf is not None:
                with open(CONF, 'wb') as fh:
                    fh.write(saved_conf)
    print('%d passed, %d failed' % (RESULTS['passed'], RESULTS['failed']))
    return 0 if RESULTS['failed'] == 0 else 1


if __name__ == '__main__':
    sys.exit(main())
