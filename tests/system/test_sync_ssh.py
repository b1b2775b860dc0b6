"""The exchange over ssh between two Unix accounts (issue 15, point 6).

    test_sync_ssh.py EXE

The test makes two users (the coordination office's account and Metz's),
gives each its own configuration, database and the network key, starts
its own sshd on a free loopback port with a host key made for the run,
and authorises Metz's generated key on the office's account with the
forced command "totemdesk sync serve --peer MET".  Metz then pushes its
dossiers and pulls the office's; both databases end with the same
content.  A push of Nancy's bundle with Metz's key is refused.

Needs root (useradd, sshd): otherwise exit 77, skipped, with the reason;
so is a machine where sshd cannot start.  Prints one line per check,
then "N passed, N failed"."""

import os
import pwd
import shutil
import socket
import subprocess
import sys
import tempfile
import time

RESULTS = {'passed': 0, 'failed': 0}
KEY = 'n' * 64


def check(what, cond, detail=''):
    RESULTS['passed' if cond else 'failed'] += 1
    print('%s %s%s' % ('ok    ' if cond else 'FAILED', what,
                       ('\n       ' + str(detail).replace('\n', '\n       '))
                       if detail and not cond else ''))
    sys.stdout.flush()
    return cond


def skip(why):
    print('SKIP: ' + why)
    sys.exit(77)


def sh(*cmd, **kw):
    return subprocess.run(list(cmd), stdout=subprocess.PIPE,
                          stderr=subprocess.PIPE, text=True, **kw)


def as_user(login, cmd):
    pw = pwd.getpwnam(login)
    return ['setpriv', '--reuid=%d' % pw.pw_uid, '--regid=%d' % pw.pw_gid,
            '--init-groups', '--'] + list(cmd)


def user_env(login):
    pw = pwd.getpwnam(login)
    return {'HOME': pw.pw_dir, 'USER': login, 'LOGNAME': login,
            'PATH': '/usr/bin:/bin', 'LANG': 'C.UTF-8',
            'ASAN_OPTIONS': 'detect_leaks=0'}


def run_as(login, *cmd, stdin=None):
    return subprocess.run(as_user(login, cmd), env=user_env(login),
                          cwd=pwd.getpwnam(login).pw_dir, input=stdin,
                          stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                          text=True, errors='replace', timeout=60)


def write_as(login, path, text, mode):
    with open(path, 'w', encoding='utf-8') as fh:
        fh.write(text)
    pw = pwd.getpwnam(login)
    os.chown(path, pw.pw_uid, pw.pw_gid)
    os.chmod(path, mode)


def free_port():
    s = socket.socket()
    s.bind(('127.0.0.1', 0))
    port = s.getsockname()[1]
    s.close()
    return port


def config(site, login, db):
    return ('site = "%s";\ndatabase = "%s";\n'
            'users = ( { login = "%s"; name = "Sync"; role = "admin";'
            ' site = "%s"; } );\n' % (site, db, login, site))


def main():
    if len(sys.argv) != 2:
        raise SystemExit(__doc__)
    if os.geteuid() != 0:
        skip('needs root to create the two accounts and start sshd')
    for tool in ('/usr/sbin/sshd', '/usr/bin/ssh', '/usr/bin/ssh-keygen',
                 '/usr/sbin/useradd', '/usr/bin/setpriv'):
        if not os.path.exists(tool):
            skip('%s is not installed (scripts/setup installs it)' % tool)
    tmp = tempfile.mkdtemp(prefix='td-sync-ssh-')
    os.chmod(tmp, 0o755)
    exe = os.path.join(tmp, 'totemdesk')
    shutil.copy(sys.argv[1], exe)
    os.chmod(exe, 0o755)
    tag = 'tds%d' % (os.getpid() % 100000)
    users = []
    sshd = None
    try:
        for name in ('coo', 'met'):
            login = '%s-%s' % (tag, name)
            res = sh('useradd', '--create-home', '--shell', '/bin/sh',
                     '--user-group', login)
            if res.returncode != 0:
                skip('useradd: ' + res.stderr.strip())
            users.append(login)
            # No password, but not a locked account ("!"), which sshd
            # refuses whatever the key.
            sh('usermod', '-p', '*', login)
            os.chmod(pwd.getpwnam(login).pw_dir, 0o755)
        coo, met = users
        homes = {u: pwd.getpwnam(u).pw_dir for u in users}
        conf = {}
        for login, site in ((coo, 'COO'), (met, 'MET')):
            h = homes[login]
            conf[login] = os.path.join(h, 'totemdesk.conf')
            write_as(login, conf[login],
                     config(site, login, os.path.join(h, 'totemdesk.db')),
                     0o644)
            write_as(login, os.path.join(h, 'totemdesk-sync.key'), KEY + '\n',
                     0o600)
            res = run_as(login, exe, '-c', conf[login], 'init')
            check('%s: totemdesk init' % site, res.returncode == 0,
                  res.stderr)

        # Keys made for the run: the host's, and Metz's for the office.
        hostkey = os.path.join(tmp, 'host_ed25519')
        sh('ssh-keygen', '-q', '-t', 'ed25519', '-N', '', '-f', hostkey)
        sshdir = os.path.join(homes[met], '.ssh')
        os.makedirs(sshdir, mode=0o700)
        res = sh('ssh-keygen', '-q', '-t', 'ed25519', '-N', '', '-f',
                 os.path.join(sshdir, 'id_sync'))
        port = free_port()
        hostpub = open(hostkey + '.pub').read().split()
        write_as(met, os.path.join(sshdir, 'known_hosts'),
                 '[127.0.0.1]:%d %s %s\n' % (port, hostpub[0], hostpub[1]),
                 0o600)
        write_as(met, os.path.join(sshdir, 'config'),
                 'Host office\n  HostName 127.0.0.1\n  Port %d\n  User %s\n'
                 '  IdentityFile %s/id_sync\n  IdentitiesOnly yes\n'
                 '  UserKnownHostsFile %s/known_hosts\n'
                 '  StrictHostKeyChecking yes\n' % (port, coo, sshdir, sshdir),
                 0o600)
        pw = pwd.getpwnam(met)
        for f in os.listdir(sshdir):
            os.chown(os.path.join(sshdir, f), pw.pw_uid, pw.pw_gid)
        os.chown(sshdir, pw.pw_uid, pw.pw_gid)
        cdir = os.path.join(homes[coo], '.ssh')
        os.makedirs(cdir, mode=0o700)
        userpub = open(os.path.join(sshdir, 'id_sync.pub')).read().strip()
        write_as(coo, os.path.join(cdir, 'authorized_keys'),
                 'command="%s -c %s sync serve --peer MET",restrict %s\n'
                 % (exe, conf[coo], userpub), 0o600)
        pw = pwd.getpwnam(coo)
        os.chown(cdir, pw.pw_uid, pw.pw_gid)

        cfg = os.path.join(tmp, 'sshd_config')
        with open(cfg, 'w') as fh:
            fh.write('Port %d\nListenAddress 127.0.0.1\nHostKey %s\n'
                     'PidFile %s/sshd.pid\nAuthorizedKeysFile .ssh/authorized_keys\n'
                     'PasswordAuthentication no\nKbdInteractiveAuthentication no\n'
                     'UsePAM no\nAllowUsers %s\nLogLevel ERROR\n'
                     % (port, hostkey, tmp, coo))
        # sshd's privilege separation directory (Debian's package makes
        # it at boot; a container may not have it).
        os.makedirs('/run/sshd', mode=0o755, exist_ok=True)
        log = open(os.path.join(tmp, 'sshd.log'), 'w')
        sshd = subprocess.Popen(['/usr/sbin/sshd', '-D', '-e', '-f', cfg],
                                stdout=log, stderr=subprocess.STDOUT)
        up = False
        for _ in range(100):
            if sshd.poll() is not None:
                break
            try:
                socket.create_connection(('127.0.0.1', port), 0.2).close()
                up = True
                break
            except OSError:
                time.sleep(0.1)
        if not up:
            log.close()
            skip('sshd did not start: ' +
                 open(os.path.join(tmp, 'sshd.log')).read().strip()[-300:])

        # Metz registers two visitors and pushes them to the office.
        csv = os.path.join(homes[met], 'in.csv')
        write_as(met, csv,
                 'last_name,first_name,email,needs,consent,site,postcode,'
                 'project_title\r\nMessin,Marie,marie@exemple.fr,funding,1,'
                 'MET,57000,Atelier\r\nKlein,Paul,paul@exemple.fr,advice,1,'
                 'MET,57000,Ruches\r\n', 0o644)
        res = run_as(met, exe, '-c', conf[met], 'import', csv)
        check('MET: two intakes', res.returncode == 0, res.stderr)
        sshcfg = os.path.join(sshdir, 'config')
        res = run_as(met, exe, '-c', conf[met], '--lang', 'en', 'sync', 'push',
                     '--ssh-config', sshcfg, 'office')
        check('MET: sync push office (over ssh, forced command)',
              res.returncode == 0 and 'sent to COO' in res.stderr,
              res.stdout + res.stderr + open(os.path.join(tmp, 'sshd.log')).read())
        res = run_as(coo, exe, '-c', conf[coo], 'export')
        check('COO: the two Metz dossiers arrived',
              res.returncode == 0 and 'Messin' in res.stdout
              and 'Klein' in res.stdout, res.stdout + res.stderr)

        # The office changes one of them; Metz pulls it.
        csv2 = os.path.join(homes[coo], 'in.csv')
        write_as(coo, csv2,
                 'last_name,first_name,email,needs,consent,site,postcode,'
                 'project_title\r\nNanceien,Jeanne,jeanne@exemple.fr,advice,1,'
                 'NAN,54000,Savons\r\n', 0o644)
        res = run_as(coo, exe, '-c', conf[coo], 'import', csv2)
        check('COO: one intake for Nancy', res.returncode == 0, res.stderr)
        res = run_as(met, exe, '-c', conf[met], '--lang', 'en', 'sync', 'pull',
                     '--ssh-config', sshcfg, 'office')
        check('MET: sync pull office', res.returncode == 0
              and 'received from COO' in res.stderr, res.stdout + res.stderr)
        h = [run_as(u, exe, '-c', conf[u], 'sync', 'status', '--hash')
             .stdout.strip() for u in (met, coo)]
        check('both databases have the same content', len(h[0]) == 64
              and h[0] == h[1], h)

        # The key is Metz's: a bundle of another site is refused.
        res = run_as(met, exe, '-c', conf[met], '--lang', 'en', 'sync', 'pull',
                     '--from', 'NAN', '--ssh-config', sshcfg, 'office')
        check('a pull that is not from the expected site is refused',
              res.returncode != 0, res.stderr)
        res = run_as(met, '/usr/bin/ssh', '-F', sshcfg, 'office', 'sh')
        check('the key opens no shell: only the forced command runs',
              res.returncode != 0 and 'error' in res.stdout, res.stdout)
    finally:
        if sshd and sshd.poll() is None:
            sshd.terminate()
            sshd.wait(timeout=10)
        for login in users:
            sh('userdel', '--remove', login)
        shutil.rmtree(tmp, ignore_errors=True)
    print('%d passed, %d failed' % (RESULTS['passed'], RESULTS['failed']))
    return 1 if RESULTS['failed'] else 0


if __name__ == '__main__':
    sys.exit(main())
