/* The key table and the bindings.  The rows live in actions.h (one
 * X-macro row per action); this file makes them the table td_keydefs[],
 * keeps the current bindings (defaults, then the configuration's
 * ui.keys, applied only when every entry is valid) and answers "which
 * action is this key here" for the main loop. */
#include "keymap.h"

#include "totemdesk/i18n.h"
#include "totemdesk/text.h"

#include <curses.h>
#include <langinfo.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>

const struct td_keydef td_keydefs[TD_A_COUNT] = {
#define X(id, name, ctx, keys, label, help) \
	[TD_A_##id] = { name, TD_KC_##ctx, keys, label, help },
	TD_ACTIONS(X)
#undef X
};

static const char *const kctx_titles[TD_KC_COUNT] = {
#define X(id, title) [TD_KC_##id] = title,
	TD_KCTXS(X)
#undef X
};

static struct td_key bind[TD_A_COUNT][TD_KEYS_MAX];
static int nbind[TD_A_COUNT];
static bool bind_ready;

struct keyname {
	const char *name;
	bool fn;
	uint32_t code;
};

/* First name of a code is the one shown in help and hints. */
static const struct keyname names[] = {
	{ "Tab", false, 9 },
	{ "BackTab", true, KEY_BTAB },
	{ "Enter", false, 13 },
	{ "Esc", false, 27 },
	{ "Space", false, ' ' },
	{ "Up", true, KEY_UP },
	{ "Down", true, KEY_DOWN },
	{ "Left", true, KEY_LEFT },
	{ "Right", true, KEY_RIGHT },
	{ "PgUp", true, KEY_PPAGE },
	{ "PgDn", true, KEY_NPAGE },
	{ "Home", true, KEY_HOME },
	{ "End", true, KEY_END },
	{ "Del", true, KEY_DC },
	{ "Backspace", true, KEY_BACKSPACE },
	{ "Comma", false, ',' },
	{ "Return", false, 13 },
	{ "Escape", false, 27 },
	{ "PageUp", true, KEY_PPAGE },
	{ "PageDown", true, KEY_NPAGE },
	{ "Delete", true, KEY_DC },
};

struct td_key td_key_normalize(struct td_key k)
{
	if (k.fn) {
		if (k.code == KEY_ENTER)
			return (struct td_key){ false, 13 };
	} else {
		if (k.code == 10)
			k.code = 13;
		else if (k.code == 127 || k.code == 8)
			return (struct td_key){ true, KEY_BACKSPACE };
	}
	return k;
}

int td_key_parse(const char *s, size_t len, struct td_key *k)
{
	while (len && (*s == ' ' || *s == '\t')) {
		s++;
		len--;
	}
	while (len && (s[len - 1] == ' ' || s[len - 1] == '\t'))
		len--;
	if (len == 0)
		return -1;

	for (size_t i = 0; i < sizeof names / sizeof names[0]; i++) {
		if (strlen(names[i].name) == len &&
		    strncasecmp(names[i].name, s, len) == 0) {
			*k = td_key_normalize((struct td_key){ names[i].fn,
							      names[i].code });
			return 0;
		}
	}
	if ((s[0] == 'F' || s[0] == 'f') && len >= 2 && len <= 3) {
		int n = 0;
		for (size_t i = 1; i < len; i++) {
			if (s[i] < '0' || s[i] > '9')
				return -1;
			n = n * 10 + (s[i] - '0');
		}
		if (n < 1 || n > 12 || s[1] == '0')
			return -1;
		*k = (struct td_key){ true, (uint32_t)KEY_F(n) };
		return 0;
	}
	if (s[0] == '^' && len == 2) {
		char c = s[1];
		if (c >= 'a' && c <= 'z')
			c = (char)(c - 'a' + 'A');
		if (c < 'A' || c > 'Z')
			return -1;
		*k = td_key_normalize((struct td_key){ false,
						      (uint32_t)(c - 'A' + 1) });
		return 0;
	}
	uint32_t cp;
	int used = td_utf8_decode(s, len, &cp);
	if (used > 0 && (size_t)used == len && td_cp_printable(cp)) {
		*k = (struct td_key){ false, cp };
		return 0;
	}
	return -1;
}

void td_key_name(struct td_key k, char *out, size_t outsz)
{
	if (outsz == 0)
		return;
	for (size_t i = 0; i < sizeof names / sizeof names[0]; i++) {
		if (names[i].fn == k.fn && names[i].code == k.code) {
			snprintf(out, outsz, "%s", names[i].name);
			return;
		}
	}
	if (k.fn) {
		for (int n = 1; n <= 12; n++) {
			if (k.code == (uint32_t)KEY_F(n)) {
				snprintf(out, outsz, "F%d", n);
				return;
			}
		}
		snprintf(out, outsz, "key%u", (unsigned)k.code);
		return;
	}
	if (k.code >= 1 && k.code <= 26) {
		snprintf(out, outsz, "^%c", (char)('A' + k.code - 1));
		return;
	}
	char buf[5] = { 0 };
	int n = td_utf8_encode(k.code, buf);
	if (n <= 0)
		snprintf(out, outsz, "?");
	else
		snprintf(out, outsz, "%.*s", n, buf);
}

int td_keys_parse(const char *list, struct td_key *keys, int max, int *n,
		  const char **bad, size_t *badlen)
{
	const char *p = list;
	*n = 0;
	for (;;) {
		const char *comma = strchr(p, ',');
		size_t len = comma ? (size_t)(comma - p) : strlen(p);
		struct td_key k;
		if (td_key_parse(p, len, &k) != 0) {
			/* Point at the trimmed name for the message. */
			while (len && (*p == ' ' || *p == '\t')) {
				p++;
				len--;
			}
			while (len && (p[len - 1] == ' ' || p[len - 1] == '\t'))
				len--;
			*bad = p;
			*badlen = len;
			return -1;
		}
		bool dup = false;
		for (int i = 0; i < *n; i++)
			if (keys[i].fn == k.fn && keys[i].code == k.code)
				dup = true;
		if (!dup) {
			if (*n == max) {
				*bad = p;
				*badlen = len;
				return -1;
			}
			keys[(*n)++] = k;
		}
		if (!comma)
			return 0;
		p = comma + 1;
	}
}

void td_keymap_reset(void)
{
	nbind[TD_A_NONE] = 0;
	for (int a = TD_A_FIRST; a < TD_A_COUNT; a++) {
		const char *bad;
		size_t badlen;
		/* The defaults are ours and always parse; a broken one would
		 * simply leave the action unbound, which the tests catch. */
		if (td_keys_parse(td_keydefs[a].keys, bind[a], TD_KEYS_MAX,
				  &nbind[a], &bad, &badlen) != 0)
			nbind[a] = 0;
	}
	bind_ready = true;
}

static void ready(void)
{
	if (!bind_ready)
		td_keymap_reset();
}

int td_keymap_apply(const struct td_key_cfg *kc, size_t n, const char *path,
		    td_err *err)
{
	static struct td_key nb[TD_A_COUNT][TD_KEYS_MAX];
	int nn[TD_A_COUNT];
	const char *where = path && *path ? path : _("built-in configuration");

	ready();
	memcpy(nb, bind, sizeof nb);
	memcpy(nn, nbind, sizeof nn);
	for (size_t i = 0; i < n; i++) {
		int a;
		for (a = TD_A_FIRST; a < TD_A_COUNT; a++)
			if (strcmp(td_keydefs[a].name, kc[i].action) == 0)
				break;
		if (a == TD_A_COUNT)
			return td_err_set(err, TD_ECONFIG,
					  _("%s:%d: unknown action \"%s\" in keys"),
					  where, kc[i].line, kc[i].action);
		const char *bad = NULL;
		size_t badlen = 0;
		int cnt = 0;
		if (td_keys_parse(kc[i].keys, nb[a], TD_KEYS_MAX, &cnt, &bad,
				  &badlen) != 0)
			return td_err_set(err, TD_ECONFIG,
					  _("%s:%d: unknown key \"%.*s\" for action \"%s\""),
					  where, kc[i].line, (int)badlen, bad,
					  kc[i].action);
		nn[a] = cnt;
	}
	memcpy(bind, nb, sizeof bind);
	memcpy(nbind, nn, sizeof nbind);
	return TD_OK;
}

enum td_action td_keymap_lookup(enum td_kctx ctx, struct td_key k)
{
	ready();
	k = td_key_normalize(k);
	for (int a = TD_A_FIRST; a < TD_A_COUNT; a++) {
		if (td_keydefs[a].ctx != ctx)
			continue;
		for (int i = 0; i < nbind[a]; i++)
			if (bind[a][i].fn == k.fn && bind[a][i].code == k.code)
				return (enum td_action)a;
	}
	return TD_A_NONE;
}

bool td_key_is_text(struct td_key k)
{
	return !k.fn && k.code >= ' ' && td_cp_printable(k.code);
}

enum td_action td_keys_lookup(const struct td_keyctx *kc, struct td_key k)
{
	k = td_key_normalize(k);
	/* Typed text is text: only an editing key may take a character. */
	if (kc->text && td_key_is_text(k))
		return td_keymap_lookup(TD_KC_EDIT, k);
	for (int i = 0; i < TD_KEYCTX_MAX && kc->ctx[i] != TD_KC_NONE; i++) {
		enum td_action a = td_keymap_lookup(kc->ctx[i], k);
		if (a != TD_A_NONE)
			return a;
	}
	return TD_A_NONE;
}

int td_keymap_keys(enum td_action a, const struct td_key **keys)
{
	ready();
	if (a <= TD_A_NONE || a >= TD_A_COUNT) {
		*keys = NULL;
		return 0;
	}
	*keys = bind[a];
	return nbind[a];
}

/* What people read for a key name: "Esc" is "Échap" on a French
 * keyboard.  Config files keep the English names (td_key_name). */
static const char *key_label(const char *name)
{
	static const char *const shown[][2] = {
		{ "Tab", N_("Tab") }, { "BackTab", N_("Shift-Tab") },
		{ "Enter", N_("Enter") }, { "Esc", N_("Esc") },
		{ "Space", N_("Space") }, { "Up", N_("Up") },
		{ "Down", N_("Down") }, { "Left", N_("Left") },
		{ "Right", N_("Right") }, { "PgUp", N_("PgUp") },
		{ "PgDn", N_("PgDn") }, { "Home", N_("Home") },
		{ "End", N_("End") }, { "Del", N_("Del") },
		{ "Backspace", N_("Backspace") },
	};
	for (size_t i = 0; i < sizeof shown / sizeof shown[0]; i++)
		if (strcmp(name, shown[i][0]) == 0)
			return _(shown[i][1]);
	return name;
}

static bool high_fkey(struct td_key k)
{
	return k.fn && k.code >= (uint32_t)KEY_F(5) &&
	       k.code <= (uint32_t)KEY_F(63);
}

/* Can this terminal send k (by its terminfo entry)? */
static bool can_send(struct td_key k)
{
	return !k.fn || k.code == KEY_BACKSPACE ||
	       has_key((int)k.code) == TRUE;
}

bool td_key_shown(struct td_key k)
{
	if (k.fn || k.code < 0x80)
		return true;
	const char *cs = nl_langinfo(CODESET);
	return cs && (strcasecmp(cs, "UTF-8") == 0 || strcasecmp(cs, "utf8") == 0);
}

void td_keymap_display(enum td_action a, int max, bool avail, char *out,
		       size_t outsz)
{
	const struct td_key *k;
	int n = td_keymap_keys(a, &k);
	size_t len = 0;
	int shown = 0;

	if (outsz == 0)
		return;
	out[0] = '\0';
	/* Nothing the terminal has (or no terminal yet): show them all.
	 * F5 and beyond: a vt100's terminfo names its keypad's PF keys so,
	 * but a vt100-class keyboard has F1-F4 only (issue 6): hint another
	 * key when the action has one. */
	bool any = false, other = false;
	for (int i = 0; avail && i < n; i++)
		if (can_send(k[i])) {
			any = true;
			other = other || !high_fkey(k[i]);
		}
	avail = avail && any;
	bool legible = false;
	for (int i = 0; i < n; i++)
		legible = legible || td_key_shown(k[i]);
	for (int i = 0; i < n && shown < max; i++) {
		/* vt100 has no Home, PgUp, Shift-Tab ...: hint a key that
		 * this terminal can send. */
		if (avail && (!can_send(k[i]) || (other && high_fkey(k[i]))))
			continue;
		/* The digit only, not an "e" that stands for "é" or "è". */
		if (legible && !td_key_shown(k[i]))
			continue;
		char name[32];
		td_key_name(k[i], name, sizeof name);
		int w = snprintf(out + len, outsz - len, "%s%s",
				 shown ? "/" : "", key_label(name));
		if (w < 0 || (size_t)w >= outsz - len)
			break;
		len += (size_t)w;
		shown++;
	}
}

void td_keymap_hints(const struct td_keyctx *kc, char *out, size_t outsz)
{
	size_t len = 0;

	if (outsz == 0)
		return;
	out[0] = '\0';
	for (int i = 0; i < TD_HINTS_MAX && kc->hints[i] != TD_A_NONE; i++) {
		enum td_action a = kc->hints[i];
		char keys[64];
		td_keymap_display(a, 1, true, keys, sizeof keys);
		if (!keys[0])
			continue;
		int w = snprintf(out + len, outsz - len, "%s%s %s",
				 len ? "  " : "", keys, _(td_keydefs[a].label));
		if (w < 0 || (size_t)w >= outsz - len)
			break;
		len += (size_t)w;
	}
}

enum td_kctx td_keyctx_section(const struct td_keyctx *kc)
{
	for (int i = 0; i < TD_KEYCTX_MAX && kc->ctx[i] != TD_KC_NONE; i++)
		if (kc->ctx[i] != TD_KC_GLOBAL && kc->ctx[i] != TD_KC_EDIT)
			return kc->ctx[i];
	return kc->ctx[0];
}

const char *td_kctx_title(enum td_kctx ctx)
{
	if (ctx <= TD_KC_NONE || ctx >= TD_KC_COUNT)
		return "";
	return _(kctx_titles[ctx]);
}
