/* The key table (STYLE.md section 2, after tig's request table and htop's
 * Action table): every binding lives in one row, and the help screen, the
 * status-line hints and the configuration parser all read it.
 *
 * Every action has a key that vt100 has (F1-F4, Ctrl-letters, plain
 * characters) and that an AZERTY keyboard reaches without AltGr: the digit
 * shortcuts also answer to the unshifted top row & é " ' ( - è. */
#include "keymap.h"

#include "totemdesk/i18n.h"
#include "totemdesk/text.h"

#include <stdio.h>
#include <string.h>
#include <strings.h>

#define ROW(a, n, c, k, l, h, hi) [a] = { a, n, c, k, l, h, hi }

const struct td_keydef td_keydefs[TD_A_COUNT] = {
	ROW(TD_A_MENU_INTAKE, "new_intake", TD_KC_HOME, "n, 1, &",
	    N_("New intake"), N_("Register a visitor at the desk."), false),
	ROW(TD_A_MENU_TODAY, "today", TD_KC_HOME, "t, 2, é",
	    N_("Today"), N_("List today's intakes at this site."), false),
	ROW(TD_A_MENU_HELP, "menu_help", TD_KC_HOME, "?, 8, _",
	    N_("Help"), N_("Show this help (same as the help key)."), false),
	ROW(TD_A_QUIT, "quit", TD_KC_HOME, "q, 9, ç",
	    N_("Quit"), N_("Leave totemdesk."), true),

	ROW(TD_A_SAVE, "save", TD_KC_FORM, "F2, ^O",
	    N_("Save"), N_("Check and register the intake."), true),
	ROW(TD_A_NEXT_FIELD, "next_field", TD_KC_FORM, "Tab, Down, ^N",
	    N_("Next"), N_("Go to the next field."), true),
	ROW(TD_A_PREV_FIELD, "prev_field", TD_KC_FORM, "BackTab, Up, ^P",
	    N_("Previous"), N_("Go to the previous field."), true),
	ROW(TD_A_CANCEL, "cancel", TD_KC_FORM, "Esc",
	    N_("Cancel"), N_("Leave the form (asks before losing typed data)."),
	    true),
	ROW(TD_A_DUP_OPEN, "duplicate_open", TD_KC_FORM, "F3, ^G",
	    N_("Open existing"),
	    N_("Already registered: open the dossier shown in the panel instead of creating a new one."),
	    false),
	ROW(TD_A_DUP_DISMISS, "duplicate_dismiss", TD_KC_FORM, "F4, ^X",
	    N_("Not the same"),
	    N_("Already registered: not the same person; do not propose this dossier again."),
	    false),
	ROW(TD_A_DUP_NEXT, "duplicate_next", TD_KC_FORM, "^T",
	    N_("Next match"),
	    N_("Already registered: select the next dossier in the panel."),
	    false),

	ROW(TD_A_LEFT, "left", TD_KC_EDIT, "Left, ^B",
	    N_("Left"), N_("Move the cursor one character left."), false),
	ROW(TD_A_RIGHT, "right", TD_KC_EDIT, "Right, ^F",
	    N_("Right"), N_("Move the cursor one character right."), false),
	ROW(TD_A_BOL, "line_start", TD_KC_EDIT, "Home, ^A",
	    N_("Start"), N_("Move to the start of the field."), false),
	ROW(TD_A_EOL, "line_end", TD_KC_EDIT, "End, ^E",
	    N_("End"), N_("Move to the end of the field."), false),
	ROW(TD_A_BACKSPACE, "delete_back", TD_KC_EDIT, "Backspace",
	    N_("Erase"), N_("Erase the character before the cursor."), false),
	ROW(TD_A_DELETE, "delete_char", TD_KC_EDIT, "Del, ^D",
	    N_("Delete"), N_("Delete the character under the cursor."), false),
	ROW(TD_A_KILL, "kill_line", TD_KC_EDIT, "^K",
	    N_("Cut"), N_("Delete from the cursor to the end of the field."),
	    false),
	ROW(TD_A_CLEAR, "clear_field", TD_KC_EDIT, "^U",
	    N_("Clear"), N_("Empty the whole field."), false),

	ROW(TD_A_TOGGLE, "toggle", TD_KC_CHOICE, "Space",
	    N_("Change"), N_("Next option; tick or untick a box."), false),
	ROW(TD_A_OPT_NEXT, "next_option", TD_KC_CHOICE, "Right",
	    N_("Next option"),
	    N_("Next option; in the needs, move to the next box."), false),
	ROW(TD_A_OPT_PREV, "prev_option", TD_KC_CHOICE, "Left",
	    N_("Previous option"),
	    N_("Previous option; in the needs, move to the previous box."),
	    false),
	ROW(TD_A_YES, "consent_yes", TD_KC_CHOICE, "o, y",
	    N_("Yes"), N_("Consent: the visitor agrees."), false),
	ROW(TD_A_NEED_1, "need_1", TD_KC_CHOICE, "1, &",
	    N_("Need 1"), N_("Tick or untick need 1."), false),
	ROW(TD_A_NEED_2, "need_2", TD_KC_CHOICE, "2, é",
	    N_("Need 2"), N_("Tick or untick need 2."), false),
	ROW(TD_A_NEED_3, "need_3", TD_KC_CHOICE, "3, \"",
	    N_("Need 3"), N_("Tick or untick need 3."), false),
	ROW(TD_A_NEED_4, "need_4", TD_KC_CHOICE, "4, '",
	    N_("Need 4"), N_("Tick or untick need 4."), false),
	ROW(TD_A_NEED_5, "need_5", TD_KC_CHOICE, "5, (",
	    N_("Need 5"), N_("Tick or untick need 5."), false),
	ROW(TD_A_NEED_6, "need_6", TD_KC_CHOICE, "6, -",
	    N_("Need 6"), N_("Tick or untick need 6."), false),
	ROW(TD_A_NEED_7, "need_7", TD_KC_CHOICE, "7, è",
	    N_("Need 7"), N_("Tick or untick need 7."), false),

	ROW(TD_A_UP, "up", TD_KC_LIST, "Up, k, ^P",
	    N_("Up"), N_("Previous line."), false),
	ROW(TD_A_DOWN, "down", TD_KC_LIST, "Down, j, ^N",
	    N_("Down"), N_("Next line."), false),
	ROW(TD_A_PGUP, "page_up", TD_KC_LIST, "PgUp, ^B",
	    N_("Page up"), N_("Previous page."), true),
	ROW(TD_A_PGDN, "page_down", TD_KC_LIST, "PgDn, ^F",
	    N_("Page down"), N_("Next page."), true),
	ROW(TD_A_TOP, "first", TD_KC_LIST, "Home, g",
	    N_("First"), N_("First line."), false),
	ROW(TD_A_BOTTOM, "last", TD_KC_LIST, "End, G",
	    N_("Last"), N_("Last line."), false),
	ROW(TD_A_OPEN, "open", TD_KC_LIST, "Enter",
	    N_("Open"), N_("Open the selected line."), true),
	ROW(TD_A_BACK, "back", TD_KC_LIST, "Esc, q",
	    N_("Back"), N_("Back to the previous screen."), true),

	ROW(TD_A_DLG_YES, "dialog_yes", TD_KC_DIALOG, "o, y",
	    N_("Yes"), N_("Answer yes to the question."), true),
	ROW(TD_A_DLG_NO, "dialog_no", TD_KC_DIALOG, "n, Esc",
	    N_("No"), N_("Answer no to the question."), true),

	ROW(TD_A_MENU_PARTNERS, "partners", TD_KC_HOME, "p, 7, è",
	    N_("Partners"), N_("Partner directory: search, add, edit, deactivate."),
	    false),
	ROW(TD_A_ROUTE_SAVED, "route_saved", TD_KC_FORM, "F5, ^R",
	    N_("Route"),
	    N_("After saving: suggest partners for the dossier just registered."),
	    false),
	ROW(TD_A_ROUTE, "route", TD_KC_LIST, "r",
	    N_("Route"), N_("Dossier detail: suggest partners and refer to them."),
	    false),
	ROW(TD_A_REFERRALS, "referrals", TD_KC_LIST, "f",
	    N_("Referrals"),
	    N_("Dossier detail: the dossier's referrals and their follow-up."),
	    false),
	ROW(TD_A_R_PICK, "pick", TD_KC_ROUTING, "Space",
	    N_("Pick"), N_("Route: pick or unpick the selected partner."), true),
	ROW(TD_A_R_REFER, "refer", TD_KC_ROUTING, "F2, ^O",
	    N_("Refer"),
	    N_("Route: refer the dossier to the picked partners (or the selected one)."),
	    true),
	ROW(TD_A_R_STATUS, "referral_status", TD_KC_ROUTING, "s",
	    N_("Status"),
	    N_("Referrals: change the status (only the allowed next ones)."),
	    true),
	ROW(TD_A_R_NOTE, "referral_note", TD_KC_ROUTING, "n",
	    N_("Note"), N_("Referrals: write the outcome note."), true),
	ROW(TD_A_R_FOLLOWUP, "referral_followup", TD_KC_ROUTING, "d",
	    N_("Follow-up"),
	    N_("Referrals: set the follow-up date (YYYY-MM-DD, empty for none)."),
	    true),
	ROW(TD_A_R_TEXT, "referral_text", TD_KC_ROUTING, "w",
	    N_("Write text"),
	    N_("Referrals: write the introduction text to a file (mode 0600)."),
	    true),
	ROW(TD_A_P_ADD, "partner_add", TD_KC_ROUTING, "F5, ^W",
	    N_("Add"), N_("Partners: add a partner."), true),
	ROW(TD_A_P_EDIT, "partner_edit", TD_KC_ROUTING, "F6, ^E",
	    N_("Edit"), N_("Partners: edit the selected partner."), true),
	ROW(TD_A_P_ACTIVE, "partner_active", TD_KC_ROUTING, "F8, ^Y",
	    N_("(De)activate"),
	    N_("Partners: deactivate or reactivate (partners are never deleted)."),
	    true),
	ROW(TD_A_P_INACTIVE, "partner_show_inactive", TD_KC_ROUTING, "F7, ^V",
	    N_("Inactive"), N_("Partners: show or hide inactive partners."),
	    false),

	ROW(TD_A_MENU_QUEUE, "queue", TD_KC_HOME, "o, 3, \"",
	    N_("Queue"),
	    N_("Dossiers to follow: search, filter, act."),
	    false),
	ROW(TD_A_Q_SEARCH, "queue_search", TD_KC_QUEUE, "/",
	    N_("Search"),
	    N_("Queue: search as you type in names, e-mails, projects, notes."),
	    true),
	ROW(TD_A_Q_FILTER, "queue_filter", TD_KC_QUEUE, "=",
	    N_("Filters"),
	    N_("Queue: site, status, stage, sector, need, assignee, dates, overdue."),
	    true),
	ROW(TD_A_Q_CLEAR, "queue_clear", TD_KC_QUEUE, "0, à",
	    N_("Clear"), N_("Queue: remove every filter and the search."),
	    false),
	ROW(TD_A_Q_SORT, "queue_sort", TD_KC_QUEUE, "s",
	    N_("Sort"), N_("Queue: sort by the next column."), true),
	ROW(TD_A_Q_REVERSE, "queue_reverse", TD_KC_QUEUE, "d",
	    N_("Reverse"), N_("Queue: reverse the order (ascending, descending)."),
	    false),
	ROW(TD_A_Q_MARK, "queue_mark", TD_KC_QUEUE, "Space",
	    N_("Mark"), N_("Queue: mark or unmark the line, go to the next."),
	    true),
	ROW(TD_A_Q_MARK_ALL, "queue_mark_all", TD_KC_QUEUE, "*",
	    N_("Mark all"),
	    N_("Queue: mark every line shown (again: unmark them all)."), false),
	ROW(TD_A_Q_ASSIGN, "queue_assign", TD_KC_QUEUE, "a",
	    N_("Assign"),
	    N_("Queue and detail: assign the marked (or selected) dossiers."),
	    true),
	ROW(TD_A_Q_STATUS, "queue_status", TD_KC_QUEUE, "c",
	    N_("Status"),
	    N_("Queue and detail: change the status of the marked (or selected) dossiers."),
	    true),
	ROW(TD_A_Q_NOTE, "queue_note", TD_KC_QUEUE, "n",
	    N_("Note"),
	    N_("Queue and detail: add a note to the marked (or selected) dossiers."),
	    true),
	ROW(TD_A_Q_EDIT, "queue_edit", TD_KC_QUEUE, "e",
	    N_("Edit"),
	    N_("Detail: correct a field (checked as in the intake form)."), true),
	ROW(TD_A_Q_EXPORT, "queue_export", TD_KC_QUEUE, "x",
	    N_("Export"),
	    N_("Queue: write the rows shown, in this order, to a CSV or JSON file."),
	    true),
	ROW(TD_A_Q_SAVE_FILTER, "queue_save_filter", TD_KC_QUEUE, "b",
	    N_("Save filter"),
	    N_("Queue: keep the filters, search and order under a name."), false),
	ROW(TD_A_Q_FILTERS, "queue_saved_filters", TD_KC_QUEUE, "m",
	    N_("Saved filters"),
	    N_("Queue: choose or delete a saved filter."), false),
	ROW(TD_A_Q_SAVED_1, "queue_saved_1", TD_KC_QUEUE, "1, &",
	    N_("Filter 1"), N_("Queue: apply saved filter 1."), false),
	ROW(TD_A_Q_SAVED_2, "queue_saved_2", TD_KC_QUEUE, "2, é",
	    N_("Filter 2"), N_("Queue: apply saved filter 2."), false),
	ROW(TD_A_Q_SAVED_3, "queue_saved_3", TD_KC_QUEUE, "3, \"",
	    N_("Filter 3"), N_("Queue: apply saved filter 3."), false),
	ROW(TD_A_Q_SAVED_4, "queue_saved_4", TD_KC_QUEUE, "4, '",
	    N_("Filter 4"), N_("Queue: apply saved filter 4."), false),
	ROW(TD_A_Q_SAVED_5, "queue_saved_5", TD_KC_QUEUE, "5, (",
	    N_("Filter 5"), N_("Queue: apply saved filter 5."), false),
	ROW(TD_A_Q_SAVED_6, "queue_saved_6", TD_KC_QUEUE, "6, -",
	    N_("Filter 6"), N_("Queue: apply saved filter 6."), false),
	ROW(TD_A_Q_SAVED_7, "queue_saved_7", TD_KC_QUEUE, "7, è",
	    N_("Filter 7"), N_("Queue: apply saved filter 7."), false),
	ROW(TD_A_Q_SAVED_8, "queue_saved_8", TD_KC_QUEUE, "8, _",
	    N_("Filter 8"), N_("Queue: apply saved filter 8."), false),
	ROW(TD_A_Q_SAVED_9, "queue_saved_9", TD_KC_QUEUE, "9, ç",
	    N_("Filter 9"), N_("Queue: apply saved filter 9."), false),

	ROW(TD_A_MENU_STATS, "statistics", TD_KC_HOME, "s, 5, (",
	    N_("Statistics"),
	    N_("Charts of intakes and goals."), false),
	ROW(TD_A_MENU_IMPORT, "import", TD_KC_HOME, "i, 6, -",
	    N_("Import"), N_("Earlier intakes from a CSV file."), false),
	ROW(TD_A_MENU_AGENDA, "agenda", TD_KC_HOME, "a, 4, '",
	    N_("Agenda"), N_("Follow-ups due today, this week, late."),
	    false),
	ROW(TD_A_ST_PERIOD, "stats_period", TD_KC_STATS, "p",
	    N_("Period"),
	    N_("Statistics: all time, this year, last 12 months, this month."),
	    true),
	ROW(TD_A_ST_SITE, "stats_site", TD_KC_STATS, "s",
	    N_("Site"), N_("Statistics: every site, or one site after another."),
	    true),
	ROW(TD_A_AG_MINE, "agenda_mine", TD_KC_AGENDA, "m",
	    N_("Mine/all"),
	    N_("Agenda: my follow-ups only, or everybody's."), true),
	ROW(TD_A_IM_RUN, "import_run", TD_KC_IMPORT, "F2, ^O",
	    N_("Import"),
	    N_("Import: check the file typed, then import it after the preview."),
	    true),

	ROW(TD_A_HELP, "help", TD_KC_GLOBAL, "F1, ?",
	    N_("Help"),
	    N_("Show the keys (? only where it cannot be typed)."), true),
	ROW(TD_A_REDRAW, "redraw", TD_KC_GLOBAL, "^L",
	    N_("Redraw"), N_("Repaint the screen."), false),
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
	for (int a = 0; a < TD_A_COUNT; a++) {
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
		for (a = 0; a < TD_A_COUNT; a++)
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

enum td_action td_keymap_lookup(unsigned ctx_mask, struct td_key k)
{
	ready();
	k = td_key_normalize(k);
	for (int a = 0; a < TD_A_COUNT; a++) {
		if (!(td_keydefs[a].ctx & ctx_mask))
			continue;
		for (int i = 0; i < nbind[a]; i++)
			if (bind[a][i].fn == k.fn && bind[a][i].code == k.code)
				return (enum td_action)a;
	}
	return TD_A_NONE;
}

int td_keymap_keys(enum td_action a, const struct td_key **keys)
{
	ready();
	if ((unsigned)a >= TD_A_COUNT) {
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
	for (int i = 0; i < n && shown < max; i++) {
		/* vt100 has no Home, PgUp, Shift-Tab ...: hint a key that
		 * this terminal can send. */
		if (avail && (!can_send(k[i]) || (other && high_fkey(k[i]))))
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

void td_keymap_hints(unsigned mask, int skip, char *out, size_t outsz)
{
	size_t len = 0;

	if (outsz == 0)
		return;
	out[0] = '\0';
	for (int a = 0; a < TD_A_COUNT; a++) {
		if (!td_keydefs[a].hint || !(td_keydefs[a].ctx & mask) ||
		    a == skip)
			continue;
		char keys[64];
		td_keymap_display((enum td_action)a, 1, true, keys,
				  sizeof keys);
		if (!keys[0])
			continue;
		int w = snprintf(out + len, outsz - len, "%s%s %s",
				 len ? "  " : "", keys, _(td_keydefs[a].label));
		if (w < 0 || (size_t)w >= outsz - len)
			break;
		len += (size_t)w;
	}
}

const char *td_kctx_title(unsigned ctx)
{
	switch (ctx) {
	case TD_KC_HOME:
		return _("Home screen");
	case TD_KC_FORM:
		return _("Intake form");
	case TD_KC_EDIT:
		return _("Editing a text field");
	case TD_KC_CHOICE:
		return _("Choice, needs and consent fields");
	case TD_KC_LIST:
		return _("Lists, detail and help");
	case TD_KC_DIALOG:
		return _("Questions");
	case TD_KC_ROUTING:
		return _("Partners, route and referrals");
	case TD_KC_QUEUE:
		return _("Queue and dossier detail");
	case TD_KC_STATS:
		return _("Statistics");
	case TD_KC_AGENDA:
		return _("Agenda");
	case TD_KC_IMPORT:
		return _("Import");
	default:
		return _("Everywhere");
	}
}
