"""The screen framework's rules, read from the sources (issue 10, point 2,
and the "Add a screen" and "Add a key" recipes of docs/architecture.md):

- every screen is a `const struct td_screen` descriptor with its state
  size, and every one another file opens (not static) is declared in
  src/ui/tui.h; every src/ui/scr_*.c is built (src/ui/meson.build);
- no file of src/ui keeps state in a variable of its own, at file level
  or static in a function: a screen's state lives in the state the main
  loop allocates for it.  The one exception is the key bindings of
  keymap.c, which are the configuration's (ui.keys), not a screen's;
- every action of the table (src/ui/actions.h) is used by some screen or
  by the main loop (a numbered run, NEED_1 ... NEED_7, counts as used
  when its first and last are);
- the home menu's rows name screens that exist.

    ui_screens.py SOURCE_ROOT       check the tree
    ui_screens.py --self-test       show that each rule can fail
Prints one line per problem; exit 1 if any.
"""

import os
import re
import sys

# file -> names of the file-level variables it may keep.
# ui.c: the flag its signal handler sets (a handler has nowhere else
# to write; the main loop reads it).
ALLOWED_STATE = {'keymap.c': {'bind', 'nbind', 'bind_ready', 'nb'},
                 'ui.c': {'stop_signal'}}


def strip_c(text):
    """Comments, string and character literals and preprocessor lines
    removed (literals emptied), newlines kept."""
    out = []
    i, n = 0, len(text)
    line_start = True
    while i < n:
        c = text[i]
        if line_start and c == '#':
            while i < n and text[i] != '\n':
                if text[i] == '\\' and i + 1 < n:
                    i += 1
                i += 1
            continue
        if text.startswith('/*', i):
            end = text.find('*/', i + 2)
            chunk = text[i:n if end < 0 else end + 2]
            out.append('\n' * chunk.count('\n') or ' ')
            i = n if end < 0 else end + 2
            continue
        if text.startswith('//', i):
            while i < n and text[i] != '\n':
                i += 1
            continue
        if c in '"\'':
            q = c
            i += 1
            while i < n and text[i] != q:
                i += 2 if text[i] == '\\' else 1
            i += 1
            out.append(q + q)
            line_start = False
            continue
        out.append(c)
        if c == '\n':
            line_start = True
        elif not c.isspace():
            line_start = False
        i += 1
    return ''.join(out)


def statements(code):
    """(depth, text) of each statement ending in ';', with the text of
    brace groups within it left out (initializers, member lists)."""
    bufs = [[]]
    for c in code:
        if c == '{':
            if len(bufs) == 1 and re.search(r'\)\s*$', ''.join(bufs[0])):
                bufs[0] = []      # a function body starts
            bufs.append([])
        elif c == '}':
            if len(bufs) > 1:
                bufs.pop()
        elif c == ';':
            yield len(bufs) - 1, ''.join(bufs[-1]).strip()
            bufs[-1] = []
        else:
            bufs[-1].append(c)


def state_vars(code):
    """Names of variables kept between calls: file-level variables and
    static ones in functions, that are not const."""
    found = []
    for depth, st in statements(code):
        st = ' '.join(st.split())
        if not st or st.startswith(('typedef', 'extern', 'return')):
            continue
        if depth == 0:
            if '(' in st.split('=')[0]:
                continue      # a prototype
            if re.fullmatch(r'(struct|enum|union) \w+', st):
                continue      # a type definition with no variable
        elif not st.startswith('static'):
            continue
        decl = st.split('=')[0]
        if re.search(r'\bconst\b', decl):
            continue
        m = re.search(r'(\w+)\s*(\[[^\]]*\]\s*)*$', decl)
        if m and m.group(1) not in ('struct', 'enum', 'union'):
            found.append(m.group(1))
    return found


def check(root):
    ui = os.path.join(root, 'src', 'ui')
    problems = []

    def read(*p):
        with open(os.path.join(*p), encoding='utf-8') as fh:
            return fh.read()

    tui = read(ui, 'tui.h')
    build = read(ui, 'meson.build')
    sources = sorted(f for f in os.listdir(ui) if f.endswith('.c'))
    code = {f: strip_c(read(ui, f)) for f in sources}
    screens = set()
    for f in sources:
        for m in re.finditer(r'(static\s+)?const\s+struct\s+td_screen\s+'
                             r'(\w+)\s*=\s*\{([^}]*)\}', code[f]):
            name, body = m.group(2), m.group(3)
            screens.add(name)
            if '.size' not in body:
                problems.append('src/ui/%s: screen %s has no .size (its '
                                'state)' % (f, name))
            if not m.group(1) and not re.search(
                    r'extern\s+const\s+struct\s+td_screen\s+%s\b' % name,
                    tui):
                problems.append('src/ui/%s: screen %s is not declared in '
                                'src/ui/tui.h' % (f, name))
        if f.startswith('scr_'):
            if "'%s'" % f not in build:
                problems.append('src/ui/%s is not in src/ui/meson.build' % f)
            if f.replace('.c', '') and not re.search(
                    r'const\s+struct\s+td_screen\s+\w+\s*=', code[f]):
                problems.append('src/ui/%s defines no screen' % f)
        allowed = ALLOWED_STATE.get(f, set())
        for v in state_vars(code[f]):
            if v not in allowed:
                problems.append('src/ui/%s: %s keeps state outside the '
                                "screens' state (make it a field of the "
                                'screen\'s struct)' % (f, v))

    actions = re.findall(r'\bX\((\w+),\s*"', strip_c_keep_strings(
        read(ui, 'actions.h')))
    used = ' '.join(code[f] for f in sources if f != 'keymap.c')
    for a in actions:
        if re.search(r'\bTD_A_%s\b' % a, used):
            continue
        m = re.fullmatch(r'(\w+?)_?(\d)', a)
        if m:
            run = sorted(int(x) for x in re.findall(
                r'\b%s_?(\d)\b' % m.group(1), ' '.join(actions)))
            first, last = run[0], run[-1]
            stem = a[:-1]
            if (re.search(r'\bTD_A_%s%d\b' % (stem, first), used) and
                    re.search(r'\bTD_A_%s%d\b' % (stem, last), used)):
                continue
        problems.append('src/ui/actions.h: action %s is used by no screen'
                        % a)

    home = code.get('scr_home.c', '')
    for s in re.findall(r'\{\s*TD_A_\w+\s*,\s*&(\w+)\s*\}', home):
        if s not in screens:
            problems.append('src/ui/scr_home.c: the menu opens %s, which '
                            'no file defines' % s)
    return problems


def strip_c_keep_strings(text):
    """Comments removed, strings kept (for the action table's names)."""
    text = re.sub(r'/\*.*?\*/', ' ', text, flags=re.S)
    return re.sub(r'//[^\n]*', '', text)


def self_test():
    bad = strip_c('''
static struct { int cur; } Q;
static int drawn = -1;
struct keep { int n; };
static const struct td_keyctx keys = { .ctx = { 1 } };
static void f(void);
static int g(int x)
{
	static int calls;
	static const char *const names[] = { "a" };
	int local = x;
	return local + calls;
}
const char *const table[] = { "x;y" };
''')
    got = state_vars(bad)
    assert got == ['Q', 'drawn', 'calls'], got
    # A planted tree: a screen tui.h does not declare, one without its
    # state size, a global, an action nobody uses, a menu row to nowhere.
    import tempfile
    with tempfile.TemporaryDirectory() as root:
        ui = os.path.join(root, 'src', 'ui')
        os.makedirs(ui)
        files = {
            'tui.h': 'extern const struct td_screen td_scr_home;\n',
            'meson.build': "'scr_home.c',\n'scr_frob.c',\n",
            'actions.h': '#define TD_ACTIONS(X) \\\n'
                         '\tX(QUIT, "quit", HOME, "q", N_("Q"), N_("q"))'
                         ' \\\n\tX(FROB, "frob", HOME, "f", N_("F"), '
                         'N_("f"))\n',
            'scr_home.c': 'static const struct { int a; const void *s; }'
                          ' items[] = { { TD_A_QUIT, &td_scr_frob }, '
                          '{ TD_A_QUIT, &td_scr_gone } };\n'
                          'const struct td_screen td_scr_home = '
                          '{ .size = 4 };\n',
            'scr_frob.c': 'static int cur;\n'
                          'const struct td_screen td_scr_frob = '
                          '{ .name = "frob" };\n',
        }
        for name, text in files.items():
            with open(os.path.join(ui, name), 'w') as fh:
                fh.write(text)
        got = check(root)
    want = ['src/ui/scr_frob.c: screen td_scr_frob has no .size',
            'src/ui/scr_frob.c: screen td_scr_frob is not declared',
            'src/ui/scr_frob.c: cur keeps state',
            'src/ui/actions.h: action FROB is used by no screen',
            'src/ui/scr_home.c: the menu opens td_scr_gone']
    assert len(got) == len(want) and all(
        g.startswith(w) for g, w in zip(got, want)), got


def main():
    if sys.argv[1:] == ['--self-test']:
        self_test()
        print('ui_screens: self-test passed')
        return 0
    self_test()
    problems = check(sys.argv[1])
    for p in problems:
        print(p)
    if problems:
        print('ui_screens: %d problem(s)' % len(problems))
        return 1
    print('ui_screens: the screens keep to the framework')
    return 0


if __name__ == '__main__':
    sys.exit(main())
