"""The command table, --help, the man page and the README name the same
commands, and each command's own --help and usage errors work.

    cli_commands.py TOTEMDESK CLI_TABLE SOURCE_ROOT

CLI_TABLE is tests/structure/cli_table (it prints td_cli_commands, the
table src/cli dispatches from).  Checked, one line per problem:
  - the commands of `totemdesk --help` (its usage lines), of the man
    page's SYNOPSIS and of its COMMANDS section are the table's, no more,
    no fewer; every command appears in README.md as `totemdesk NAME`, and
    every `totemdesk WORD` line of a README code block starts with a
    command of the table;
  - each command's options are in its --help and in the man page, and
    clash with no global option;
  - the French man page, assets/totemdesk.fr.1, is kept in step: the same
    commands in its SYNOPSIS and COMMANDES, every option, and the same
    sections in the same order (FRENCH_SECTIONS) with as many entries
    (.TP) each; the tags of OPTIONS, ENVIRONMENT, EXIT STATUS and FILES
    are the same but for the words in italics (FILE, FICHIER);
  - `totemdesk NAME --help` (and `totemdesk --help NAME`, a global option
    before the command) prints that command's usage and exits 0;
    `totemdesk NAME --no-such-option` exits 2 and points at NAME's help;
    too few or too many arguments exit 2 with the usage.
Exit 1 if any problem.  The comparisons are checked on made-up inputs
first (self_test), so that they can fail.
"""

import os
import re
import subprocess
import sys

GLOBAL_LONG = {'config', 'db', 'site', 'lang', 'no-color', 'demo', 'help',
               'version'}
GLOBAL_SHORT = set('cdslhV')
WORD = re.compile(r'^[a-z][a-z-]*$')


def read_table(lines):
    """[(name, args_min, args_max, [(long, has_value, short)])]"""
    table = []
    for line in lines:
        if not line.strip():
            continue
        name, lo, hi, opts = line.rstrip('\n').split('\t')
        options = []
        for o in filter(None, opts.split(',')):
            m = re.match(r'^([a-z-]+)(=?)(?:/(.))?$', o)
            options.append((m.group(1), bool(m.group(2)), m.group(3)))
        table.append((name, int(lo), int(hi), options))
    return table


def command_words(words):
    """The leading command words of a usage: "partners import" of
    ["partners", "import", "[--skip-bad]", "FILE.csv"]."""
    out = []
    for w in words:
        if not WORD.match(w):
            break
        out.append(w)
    return ' '.join(out)


def help_commands(text):
    """Commands of the usage lines of --help (before the first blank
    line): "totemdesk [OPTION]... NAME ..."."""
    names = []
    for line in text.split('\n\n', 1)[0].splitlines():
        # One space, then the command (the first line's summary comes
        # after several).
        m = re.search(r'totemdesk \[OPTION\]\.\.\. (\S.*)$', line)
        if m:
            # The summary may follow on the line, after a run of spaces.
            usage = re.split(r'\s{2,}', m.group(1))[0]
            name = command_words(usage.split())
            if name:
                names.append(name)
    return names


def man_section(text, name):
    m = re.search(r'^\.SH "?%s"?\n(.*?)(?=^\.SH |\Z)' % re.escape(name),
                  text, re.M | re.S)
    return m.group(1) if m else ''


# The sections of the English man page and their names in the French one,
# in order.  A new English section needs its French name here and its
# French text in assets/totemdesk.fr.1.
FRENCH_SECTIONS = [
    ('NAME', 'NOM'), ('SYNOPSIS', 'SYNOPSIS'),
    ('DESCRIPTION', 'DESCRIPTION'), ('OPTIONS', 'OPTIONS'),
    ('COMMANDS', 'COMMANDES'), ('KEYS', 'TOUCHES'), ('DATES', 'DATES'),
    ('SHARED DESK', 'POSTE PARTAGÉ'), ('FILES WRITTEN', 'FICHIERS ÉCRITS'),
    ('EXIT STATUS', 'CODE DE RETOUR'),
    ('ENVIRONMENT', 'ENVIRONNEMENT'), ('FILES', 'FICHIERS'),
    ('EXAMPLES', 'EXEMPLES'), ('SEE ALSO', 'VOIR AUSSI'),
]
# Sections whose entry tags are names (options, variables, codes, paths):
# the same in both languages but for the words in italics.
SAME_TAGS = {'OPTIONS', 'EXIT STATUS', 'ENVIRONMENT', 'FILES'}


def man_sections(text):
    return re.findall(r'^\.SH "?([^"\n]*?)"?$', text, re.M)


def man_tags(text, name):
    """The tag line of each .TP of section name, words in italics left
    out."""
    lines = man_section(text, name).splitlines()
    return [re.sub(r'\\fI.*?\\fR|\\fI\S*', '', lines[i + 1]).strip()
            for i, line in enumerate(lines[:-1]) if line == '.TP']


def french_problems(en, fr, names, options):
    """What keeps the French man page from being in step with the
    English one."""
    problems = []
    got_en, got_fr = man_sections(en), man_sections(fr)
    want_en = [e for e, _ in FRENCH_SECTIONS]
    if got_en != want_en:
        problems.append('the English man page has the sections %r; '
                        'FRENCH_SECTIONS of cli_commands.py says %r'
                        % (got_en, want_en))
        return problems
    if got_fr != [f for _, f in FRENCH_SECTIONS]:
        problems.append('the French man page has the sections %r, not %r'
                        % (got_fr, [f for _, f in FRENCH_SECTIONS]))
        return problems
    problems += compare('the French man page SYNOPSIS',
                        man_synopsis_commands(fr), names)
    lines = man_section(fr, 'COMMANDES').splitlines()
    got = [command_words(' '.join(man_text(lines[i + 1])).split())
           for i, line in enumerate(lines[:-1]) if line == '.TP']
    problems += compare('the French man page COMMANDES section',
                        [g for g in got if g], names)
    for e, f in FRENCH_SECTIONS:
        te, tf = man_tags(en, e), man_tags(fr, f)
        if len(te) != len(tf):
            problems.append('section %s has %d entries (.TP) in English, '
                            '%s has %d in French' % (e, len(te), f, len(tf)))
        elif e in SAME_TAGS and te != tf:
            for a, b in zip(te, tf):
                if a != b:
                    problems.append('section %s: entry %r in English, %r in '
                                    'French' % (e, a, b))
    for name, long in options:
        if man_option(long) not in fr:
            problems.append('the French man page never mentions --%s (%s)'
                            % (long, name))
    return problems


def man_text(line):
    """Words of a man request line: ".BI "partners import " FILE.csv"."""
    line = re.sub(r'^\.[A-Z]+\s*', '', line)
    return [w for w in re.findall(r'"([^"]*)"|(\S+)', line)
            for w in w if w]


def man_synopsis_commands(text):
    """The .B line after each ".RI [ option ...]" of the SYNOPSIS."""
    lines = man_section(text, 'SYNOPSIS').splitlines()
    names = []
    for i, line in enumerate(lines[:-1]):
        if line.startswith('.RI [ option') and lines[i + 1].startswith('.B '):
            name = command_words(' '.join(man_text(lines[i + 1])).split())
            if name:
                names.append(name)
    return names


def man_commands_section(text):
    """The tag line of each .TP of the COMMANDS section."""
    lines = man_section(text, 'COMMANDS').splitlines()
    names = []
    for i, line in enumerate(lines[:-1]):
        if line == '.TP':
            name = command_words(' '.join(man_text(lines[i + 1])).split())
            if name:
                names.append(name)
    return names


def readme_problems(text, names):
    problems = []
    for n in names:
        if not re.search(r'totemdesk(?: \[OPTION\]\.\.\.)? %s\b'
                         % re.escape(n), text):
            problems.append('README.md never shows "totemdesk %s"' % n)
    firsts = {n.split()[0] for n in names}
    in_code = False
    for no, line in enumerate(text.splitlines(), 1):
        if line.startswith('```'):
            in_code = not in_code
            continue
        m = re.match(r'^\s*totemdesk(?: \[OPTION\]\.\.\.)? ([a-z][a-z-]*)\b',
                     line)
        if in_code and m and m.group(1) not in firsts:
            problems.append('README.md:%d: "totemdesk %s" is not a command '
                            'of the table' % (no, m.group(1)))
    return problems


def compare(what, got, names):
    problems = []
    for n in sorted(set(names) - set(got)):
        problems.append('%s does not name the command "%s"' % (what, n))
    for n in sorted(set(got) - set(names)):
        problems.append('%s names "%s", which is not in the command table'
                        % (what, n))
    return problems


def man_option(name):
    return '\\-\\-' + name.replace('-', '\\-')


def run(exe, *args):
    env = dict(os.environ, LANG='C', LC_ALL='C')
    return subprocess.run([exe] + list(args), stdout=subprocess.PIPE,
                          stderr=subprocess.PIPE, text=True, env=env,
                          timeout=30, check=False)


def check_command(exe, name, lo, hi, options):
    problems = []
    words = name.split()
    for args in (words + ['--help', '--lang', 'en'],
                 ['--lang', 'en', '--help'] + words):
        res = run(exe, *args)
        usage = 'Usage: totemdesk [OPTION]... ' + name
        if res.returncode != 0 or not res.stdout.startswith(usage):
            problems.append('"totemdesk %s" exits %d, not its usage:\n%s%s'
                            % (' '.join(args), res.returncode, res.stdout,
                               res.stderr))
            continue
        for long, _, short in options:
            if '--' + long not in res.stdout:
                problems.append('"totemdesk %s --help" does not show its '
                                'option --%s' % (name, long))
            if short and '-' + short not in res.stdout:
                problems.append('"totemdesk %s --help" does not show its '
                                'option -%s' % (name, short))
    # --lang first: a usage error is reported before what follows it.
    res = run(exe, '--lang', 'en', *words, '--no-such-option')
    if res.returncode != 2 or "totemdesk %s --help" % name not in res.stderr:
        problems.append('"totemdesk %s --no-such-option": exit %d, %r'
                        % (name, res.returncode, res.stderr))
    if lo > 0:
        res = run(exe, '--lang', 'en', *words)
        if res.returncode != 2 or 'totemdesk ' + name not in res.stderr:
            problems.append('"totemdesk %s" without its arguments: exit %d, '
                            '%r' % (name, res.returncode, res.stderr))
    res = run(exe, '--lang', 'en', *words, *(['x'] * (hi + 1)))
    if res.returncode != 2 or 'unexpected argument' not in res.stderr:
        problems.append('"totemdesk %s" with %d arguments: exit %d, %r'
                        % (name, hi + 1, res.returncode, res.stderr))
    return problems


def self_test():
    """The comparisons must be able to fail."""
    names = ['init', 'partners import', 'referral text']
    help_text = ('Usage: totemdesk [OPTION]...    start\n'
                 '       totemdesk [OPTION]... init   create\n'
                 '       totemdesk [OPTION]... partners import [--x] F\n'
                 '       totemdesk [OPTION]... referral text ID\n\nOptions:\n'
                 '  totemdesk [OPTION]... ghost\n')
    assert help_commands(help_text) == names
    assert compare('x', help_commands(help_text), names) == []
    assert len(compare('x', names[:2], names)) == 1
    assert len(compare('x', names + ['frob'], names)) == 1
    man = ('.SH SYNOPSIS\n.B totemdesk\n.RI [ option ...]\n.br\n'
           '.B totemdesk\n.RI [ option ...]\n.B init\n.br\n'
           '.B totemdesk\n.RI [ option ...]\n.B partners import\n'
           '.I FILE.csv\n.SH COMMANDS\n.TP\n.B init\nCreate.\n.TP\n'
           '.BI "referral text " ID\nPrint.\n.SH KEYS\n.TP\n.B Home\nx\n')
    assert man_synopsis_commands(man) == ['init', 'partners import']
    assert man_commands_section(man) == ['init', 'referral text']
    def page(sections, quote):
        out = ''
        for sec in sections:
            out += '.SH %s\n' % (quote % sec)
            if sec == 'SYNOPSIS':
                out += '.B totemdesk\n.RI [ option ...]\n.B init\n.br\n'
            out += '.TP\n.B init\ny\n'
        return out
    en = page([e for e, _ in FRENCH_SECTIONS], '%s')
    fr = page([f for _, f in FRENCH_SECTIONS], '"%s"')
    assert french_problems(en, fr, ['init'], []) == []
    assert len(french_problems(en, fr.replace('.TP\n.B init\ny\n', '', 1),
                               ['init'], [])) == 1
    assert len(french_problems(en, fr.replace('TOUCHES', 'CLAVIER'),
                               ['init'], [])) == 1
    assert len(french_problems(en, fr, ['init', 'check'], [])) == 2
    assert len(french_problems(en, fr, ['init'], [('init', 'force')])) == 1
    fr_opt = fr.replace('OPTIONS"\n.TP\n.B init', 'OPTIONS"\n.TP\n.B z')
    assert len(french_problems(en, fr_opt, ['init'], [])) == 1
    readme = ('`totemdesk init` and totemdesk partners import\n```\n'
              'totemdesk referral text ID\ntotemdesk frob\n```\n')
    got = readme_problems(readme, names)
    assert len(got) == 1 and 'frob' in got[0], got
    assert read_table(['partners import\t1\t1\tskip-bad,output=/o\n']) == \
        [('partners import', 1, 1, [('skip-bad', False, None),
                                    ('output', True, 'o')])]


def main():
    exe, table_prog, root = sys.argv[1:4]
    self_test()
    res = subprocess.run([table_prog], stdout=subprocess.PIPE, text=True,
                         check=True)
    table = read_table(res.stdout.splitlines())
    names = [t[0] for t in table]
    problems = []
    if len(table) < 2 or len(set(names)) != len(names):
        problems.append('the command table is empty or names a command '
                        'twice: %r' % names)

    res = run(exe, '--help', '--lang', 'en')
    if res.returncode != 0:
        problems.append('totemdesk --help exits %d' % res.returncode)
    problems += compare('totemdesk --help', help_commands(res.stdout), names)

    with open(os.path.join(root, 'assets', 'totemdesk.1'),
              encoding='utf-8') as fh:
        man = fh.read()
    problems += compare('the man page SYNOPSIS', man_synopsis_commands(man),
                        names)
    problems += compare('the man page COMMANDS section',
                        man_commands_section(man), names)
    with open(os.path.join(root, 'README.md'), encoding='utf-8') as fh:
        problems += readme_problems(fh.read(), names)
    with open(os.path.join(root, 'assets', 'totemdesk.fr.1'),
              encoding='utf-8') as fh:
        man_fr = fh.read()
    problems += french_problems(man, man_fr, names,
                                [(t[0], o[0]) for t in table for o in t[3]])

    for name, lo, hi, options in table:
        for long, _, short in options:
            if long in GLOBAL_LONG or (short and short in GLOBAL_SHORT):
                problems.append('%s: option --%s clashes with a global '
                                'option' % (name, long))
            if man_option(long) not in man:
                problems.append('the man page never mentions --%s (%s)'
                                % (long, name))
        problems += check_command(exe, name, lo, hi, options)

    for p in problems:
        print(p)
    print('cli_commands: %d commands, %d problem(s)'
          % (len(names), len(problems)))
    return 1 if problems else 0


if __name__ == '__main__':
    sys.exit(main())
