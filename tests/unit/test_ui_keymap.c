/* The ui layer's pure parts: key names and the key table, the config
 * overrides and their error messages, text wrapping with the ASCII
 * fallback, list scrolling, and td_ui_run's refusal without a terminal. */
#include "../../src/ui/keymap.h"
#include "../../src/ui/tui.h"

#include "totemdesk/ui.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

static struct td_key K(bool fn, uint32_t code)
{
	return (struct td_key){ fn, code };
}

static int parse(const char *s, struct td_key *k)
{
	return td_key_parse(s, strlen(s), k);
}

static void key_names(void **state)
{
	struct td_key k;

	assert_int_equal(parse("F2", &k), 0);
	assert_true(k.fn);
	assert_int_equal(k.code, KEY_F(2));
	assert_int_equal(parse(" f12 ", &k), 0);
	assert_int_equal(k.code, KEY_F(12));
	assert_int_equal(parse("F13", &k), -1);
	assert_int_equal(parse("F0", &k), -1);
	assert_int_equal(parse("F01", &k), -1);
	assert_int_equal(parse("^O", &k), 0);
	assert_false(k.fn);
	assert_int_equal(k.code, 15);
	assert_int_equal(parse("^o", &k), 0);
	assert_int_equal(k.code, 15);
	assert_int_equal(parse("^1", &k), -1);
	/* ^H is what many terminals send for Backspace. */
	assert_int_equal(parse("^H", &k), 0);
	assert_true(k.fn);
	assert_int_equal(k.code, KEY_BACKSPACE);
	assert_int_equal(parse("^M", &k), 0);
	assert_int_equal(k.code, 13);
	assert_int_equal(parse("tab", &k), 0);
	assert_int_equal(k.code, 9);
	assert_int_equal(parse("BackTab", &k), 0);
	assert_int_equal(k.code, KEY_BTAB);
	assert_int_equal(parse("PgDn", &k), 0);
	assert_int_equal(k.code, KEY_NPAGE);
	assert_int_equal(parse("Space", &k), 0);
	assert_int_equal(k.code, ' ');
	assert_int_equal(parse("\xc3\xa9", &k), 0);  /* é */
	assert_false(k.fn);
	assert_int_equal(k.code, 0xe9);
	assert_int_equal(parse("ab", &k), -1);
	assert_int_equal(parse("", &k), -1);
	assert_int_equal(parse("   ", &k), -1);
	assert_int_equal(parse("\x01", &k), -1);     /* raw control */
	assert_int_equal(parse("\xc3", &k), -1);     /* broken UTF-8 */
}

static void normalize(void **state)
{
	struct td_key k = td_key_normalize(K(false, 10));
	assert_false(k.fn);
	assert_int_equal(k.code, 13);
	k = td_key_normalize(K(true, KEY_ENTER));
	assert_int_equal(k.code, 13);
	k = td_key_normalize(K(false, 127));
	assert_true(k.fn);
	assert_int_equal(k.code, KEY_BACKSPACE);
	k = td_key_normalize(K(false, 8));
	assert_int_equal(k.code, KEY_BACKSPACE);
	k = td_key_normalize(K(false, 'a'));
	assert_int_equal(k.code, 'a');
}

static void defaults_parse_and_round_trip(void **state)
{
	td_keymap_reset();
	for (int a = TD_A_FIRST; a < TD_A_COUNT; a++) {
		const struct td_key *k;
		int n = td_keymap_keys((enum td_action)a, &k);
		/* Every table row's default keys parse completely. */
		int commas = 0;
		for (const char *p = td_keydefs[a].keys; *p; p++)
			commas += *p == ',';
		/* Every row names its action, context, label and help. */
		assert_true(td_keydefs[a].name[0]);
		assert_true(td_keydefs[a].ctx > TD_KC_NONE &&
			    td_keydefs[a].ctx < TD_KC_COUNT);
		assert_true(td_keydefs[a].label[0] && td_keydefs[a].help[0]);
		for (int b = TD_A_FIRST; b < a; b++)
			assert_string_not_equal(td_keydefs[a].name,
						td_keydefs[b].name);
		assert_int_equal(n, commas + 1);
		for (int i = 0; i < n; i++) {
			char name[32];
			struct td_key back;
			td_key_name(k[i], name, sizeof name);
			assert_int_equal(parse(name, &back), 0);
			assert_int_equal(back.fn, k[i].fn);
			assert_int_equal(back.code, k[i].code);
		}
	}
}

/* STYLE.md section 4: vt100 has only F1-F4 and no Home/End/PgUp/PgDn/Del/
 * Shift-Tab; every action needs a key that it can send. */
static void every_action_works_on_vt100(void **state)
{
	td_keymap_reset();
	for (int a = TD_A_FIRST; a < TD_A_COUNT; a++) {
		const struct td_key *k;
		int n = td_keymap_keys((enum td_action)a, &k);
		bool ok = false;
		for (int i = 0; i < n; i++) {
			if (!k[i].fn)
				ok = true;
			else if (k[i].code >= (uint32_t)KEY_F(1) &&
				 k[i].code <= (uint32_t)KEY_F(4))
				ok = true;
			else if (k[i].code == KEY_UP || k[i].code == KEY_DOWN ||
				 k[i].code == KEY_LEFT ||
				 k[i].code == KEY_RIGHT ||
				 k[i].code == KEY_BACKSPACE)
				ok = true;
		}
		if (!ok)
			fail_msg("action %s has no vt100 key", td_keydefs[a].name);
	}
}

static void lookup_by_context(void **state)
{
	static const struct td_keyctx form_text = {
		.ctx = { TD_KC_FORM, TD_KC_EDIT, TD_KC_GLOBAL },
		.text = true,
	};
	static const struct td_keyctx home = {
		.ctx = { TD_KC_HOME, TD_KC_LIST, TD_KC_GLOBAL },
	};
	static const struct td_keyctx search = {
		.ctx = { TD_KC_PARTNERS, TD_KC_LIST, TD_KC_EDIT, TD_KC_GLOBAL },
		.text = true,
	};

	td_keymap_reset();
	assert_int_equal(td_keymap_lookup(TD_KC_FORM, K(true, KEY_F(2))),
			 TD_A_SAVE);
	assert_int_equal(td_keymap_lookup(TD_KC_FORM, K(false, 15)), TD_A_SAVE);
	assert_int_equal(td_keymap_lookup(TD_KC_LIST, K(true, KEY_F(2))),
			 TD_A_NONE);
	/* Ctrl-P means "previous field" in the form, "up" in a list. */
	assert_int_equal(td_keys_lookup(&form_text, K(false, 16)),
			 TD_A_PREV_FIELD);
	assert_int_equal(td_keymap_lookup(TD_KC_LIST, K(false, 16)), TD_A_UP);
	/* Left edits text but changes a choice. */
	assert_int_equal(td_keymap_lookup(TD_KC_EDIT, K(true, KEY_LEFT)),
			 TD_A_LEFT);
	assert_int_equal(td_keymap_lookup(TD_KC_CHOICE, K(true, KEY_LEFT)),
			 TD_A_OPT_PREV);
	/* The contexts are tried in order: q quits from home before it
	 * means "back" in a list. */
	assert_int_equal(td_keys_lookup(&home, K(false, 'q')), TD_A_QUIT);
	assert_int_equal(td_keys_lookup(&home, K(false, 27)), TD_A_BACK);
	assert_int_equal(td_keys_lookup(&home, K(false, 12)), TD_A_REDRAW);
	/* AZERTY top row without Shift. */
	assert_int_equal(td_keymap_lookup(TD_KC_HOME, K(false, 0xe9)),
			 TD_A_MENU_TODAY);
	assert_int_equal(td_keymap_lookup(TD_KC_CHOICE, K(false, 0xe8)),
			 TD_A_NEED_7);
	assert_int_equal(td_keymap_lookup(TD_KC_CHOOSER, K(false, 0xe7)),
			 TD_A_CHOOSE_9);
	/* Terminals differ in what Enter and Backspace send. */
	assert_int_equal(td_keymap_lookup(TD_KC_LIST, K(false, 10)), TD_A_OPEN);
	assert_int_equal(td_keymap_lookup(TD_KC_LIST, K(true, KEY_ENTER)),
			 TD_A_OPEN);
	assert_int_equal(td_keymap_lookup(TD_KC_EDIT, K(false, 127)),
			 TD_A_BACKSPACE);
	/* Where text is typed, a character is text, whatever a list or the
	 * help would make of it: 'q', 'j' and '?' in a search... */
	for (uint32_t c = ' '; c < 0x7f; c++) {
		assert_int_equal(td_keys_lookup(&form_text, K(false, c)),
				 TD_A_NONE);
		assert_int_equal(td_keys_lookup(&search, K(false, c)),
				 TD_A_NONE);
	}
	assert_int_equal(td_keys_lookup(&search, K(false, 0xe9)), TD_A_NONE);
	/* ...while the other keys keep their order: the partner keys, the
	 * list's pages (^B), the editor's Backspace, help and redraw. */
	assert_int_equal(td_keys_lookup(&search, K(false, 23)), TD_A_P_ADD);
	assert_int_equal(td_keys_lookup(&search, K(false, 2)), TD_A_PGUP);
	assert_int_equal(td_keys_lookup(&search, K(false, 27)), TD_A_BACK);
	assert_int_equal(td_keys_lookup(&search, K(false, 127)),
			 TD_A_BACKSPACE);
	assert_int_equal(td_keys_lookup(&search, K(true, KEY_F(1))),
			 TD_A_HELP);
	assert_true(td_key_is_text(K(false, 'a')));
	assert_false(td_key_is_text(K(false, 27)));
	assert_false(td_key_is_text(K(true, KEY_F(1))));
}

/* A rebound editing key is a character no more where text is typed, and
 * a character bound to an editing key edits. */
static void text_rule_follows_rebinding(void **state)
{
	static const struct td_keyctx prompt = {
		.ctx = { TD_KC_EDIT, TD_KC_PROMPT, TD_KC_GLOBAL },
		.text = true,
	};
	struct td_key_cfg kc[1] = { { "clear_field", "^U, \xc2\xa7", 3 } };
	td_err err = { 0 };

	td_keymap_reset();
	assert_int_equal(td_keys_lookup(&prompt, K(false, 0xa7)), TD_A_NONE);
	assert_int_equal(td_keymap_apply(kc, 1, "t.conf", &err), TD_OK);
	assert_int_equal(td_keys_lookup(&prompt, K(false, 0xa7)), TD_A_CLEAR);
	assert_int_equal(td_keys_lookup(&prompt, K(false, 21)), TD_A_CLEAR);
	assert_int_equal(td_keys_lookup(&prompt, K(false, 13)),
			 TD_A_PROMPT_OK);
	td_keymap_reset();
}

static void overrides(void **state)
{
	struct td_key_cfg kc[2] = {
		{ "save", "F3, ^W", 7 },
		{ "next_field", " Tab ", 8 },
	};
	td_err err = { 0 };

	td_keymap_reset();
	assert_int_equal(td_keymap_apply(kc, 2, "/etc/t.conf", &err), TD_OK);
	assert_int_equal(td_keymap_lookup(TD_KC_FORM, K(true, KEY_F(3))),
			 TD_A_SAVE);
	assert_int_equal(td_keymap_lookup(TD_KC_FORM, K(false, 23)), TD_A_SAVE);
	assert_int_equal(td_keymap_lookup(TD_KC_FORM, K(true, KEY_F(2))),
			 TD_A_NONE);
	assert_int_equal(td_keymap_lookup(TD_KC_FORM, K(true, KEY_DOWN)),
			 TD_A_NONE);
	char disp[64];
	td_keymap_display(TD_A_SAVE, 2, false, disp, sizeof disp);
	assert_string_equal(disp, "F3/^W");
	char hints[256];
	static const struct td_keyctx form = {
		.ctx = { TD_KC_FORM },
		.hints = { TD_A_SAVE, TD_A_NEXT_FIELD },
	};
	static const struct td_keyctx next_only = {
		.ctx = { TD_KC_FORM },
		.hints = { TD_A_NEXT_FIELD },
	};
	td_keymap_hints(&form, hints, sizeof hints);
	/* No terminal here, so has_key knows no function key: the hint
	 * falls back to the Ctrl key. */
	assert_string_equal(hints, "^W Save  Tab Next");
	td_keymap_hints(&next_only, hints, sizeof hints);
	assert_null(strstr(hints, "Save"));
}

static void override_errors(void **state)
{
	struct td_key_cfg bad_key[2] = {
		{ "next_field", "^N", 3 },
		{ "save", "F2, F13", 12 },
	};
	struct td_key_cfg bad_action[1] = { { "sauver", "F2", 5 } };
	td_err err = { 0 };

	td_keymap_reset();
	assert_int_equal(td_keymap_apply(bad_key, 2, "/etc/t.conf", &err),
			 TD_ECONFIG);
	assert_string_equal(err.msg,
			    "/etc/t.conf:12: unknown key \"F13\" for action \"save\"");
	/* Nothing applied: the first, valid entry did not take effect. */
	assert_int_equal(td_keymap_lookup(TD_KC_FORM, K(true, KEY_DOWN)),
			 TD_A_NEXT_FIELD);
	assert_int_equal(td_keymap_apply(bad_action, 1, "/etc/t.conf", &err),
			 TD_ECONFIG);
	assert_string_equal(err.msg,
			    "/etc/t.conf:5: unknown action \"sauver\" in keys");

	/* td_ui_keys_configure reads cfg->keys and cfg->path. */
	static struct td_config cfg;
	memset(&cfg, 0, sizeof cfg);
	snprintf(cfg.path, sizeof cfg.path, "%s", "my.conf");
	snprintf(cfg.keys[0].action, sizeof cfg.keys[0].action, "%s", "help");
	snprintf(cfg.keys[0].keys, sizeof cfg.keys[0].keys, "%s", "F1, Insert");
	cfg.keys[0].line = 4;
	cfg.nkeys = 1;
	assert_int_equal(td_ui_keys_configure(&cfg, &err), TD_ECONFIG);
	assert_string_equal(err.msg,
			    "my.conf:4: unknown key \"Insert\" for action \"help\"");
	cfg.nkeys = 0;
	assert_int_equal(td_ui_keys_configure(&cfg, &err), TD_OK);
}

struct collect {
	char lines[8][64];
	int n;
};

static void collect(const char *line, void *ctx)
{
	struct collect *c = ctx;
	if (c->n < 8)
		snprintf(c->lines[c->n++], sizeof c->lines[0], "%s", line);
}

static void wrap_and_ascii(void **state)
{
	struct td_ui ui = { 0 };
	struct collect c = { 0 };

	ui.utf8 = true;
	assert_int_equal(td_ui_wrap(&ui, "hello world foo", 11, collect, &c), 2);
	assert_string_equal(c.lines[0], "hello world");
	assert_string_equal(c.lines[1], "foo");

	/* Escape sequences from the database never reach the screen. */
	memset(&c, 0, sizeof c);
	td_ui_wrap(&ui, "a\x1b[2Jb\x07" "c", 20, collect, &c);
	assert_int_equal(c.n, 1);
	assert_string_equal(c.lines[0], "abc");

	/* Without UTF-8: readable ASCII, and widths counted in ASCII. */
	ui.utf8 = false;
	memset(&c, 0, sizeof c);
	td_ui_wrap(&ui, "\xc3\x89pinal C\xc5\x93ur", 20, collect, &c);
	assert_string_equal(c.lines[0], "Epinal Coeur");
	assert_int_equal(td_ui_cp_cols(&ui, 0x153), 2);  /* œ -> oe */
	ui.utf8 = true;
	assert_int_equal(td_ui_cp_cols(&ui, 0x153), 1);
	assert_int_equal(td_ui_cp_cols(&ui, 0x4e2d), 2); /* wide CJK */

	/* A long word is cut, not lost. */
	memset(&c, 0, sizeof c);
	assert_int_equal(td_ui_wrap(&ui, "abcdefghij", 4, collect, &c), 3);
	assert_string_equal(c.lines[2], "ij");
}

static void scrolling(void **state)
{
	struct td_scroll s = { .top = 0, .cur = 0, .n = 100 };

	assert_true(td_scroll_key(&s, TD_A_DOWN, 10, true));
	assert_int_equal(s.cur, 1);
	td_scroll_key(&s, TD_A_PGDN, 10, true);
	assert_int_equal(s.cur, 11);
	assert_true(s.cur >= s.top && s.cur < s.top + 10);
	td_scroll_key(&s, TD_A_BOTTOM, 10, true);
	assert_int_equal(s.cur, 99);
	assert_int_equal(s.top, 90);
	td_scroll_key(&s, TD_A_DOWN, 10, true);
	assert_int_equal(s.cur, 99);
	td_scroll_key(&s, TD_A_TOP, 10, true);
	assert_int_equal(s.cur, 0);
	assert_int_equal(s.top, 0);
	td_scroll_key(&s, TD_A_UP, 10, true);
	assert_int_equal(s.cur, 0);
	assert_false(td_scroll_key(&s, TD_A_OPEN, 10, true));

	/* The list shrank under us: state comes back in range. */
	s = (struct td_scroll){ .top = 50, .cur = 55, .n = 3 };
	assert_false(td_scroll_key(&s, TD_A_NONE, 10, true));
	assert_int_equal(s.cur, 2);
	assert_int_equal(s.top, 0);

	/* Empty list. */
	s = (struct td_scroll){ 0 };
	td_scroll_key(&s, TD_A_DOWN, 10, true);
	assert_int_equal(s.cur, 0);

	/* Read-only view scrolls the window only. */
	s = (struct td_scroll){ .n = 30 };
	td_scroll_key(&s, TD_A_BOTTOM, 10, false);
	assert_int_equal(s.top, 20);
	td_scroll_key(&s, TD_A_DOWN, 10, false);
	assert_int_equal(s.top, 20);
}

static void not_a_terminal(void **state)
{
	if (isatty(STDIN_FILENO) && isatty(STDOUT_FILENO))
		skip();
	struct td_ui_options o = { 0 };
	td_err err = { 0 };
	/* Refused before the session is looked at. */
	assert_int_not_equal(td_ui_run(NULL, &o, &err), TD_OK);
	assert_true(err.msg[0] != '\0');
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(key_names),
		cmocka_unit_test(normalize),
		cmocka_unit_test(defaults_parse_and_round_trip),
		cmocka_unit_test(every_action_works_on_vt100),
		cmocka_unit_test(lookup_by_context),
		cmocka_unit_test(text_rule_follows_rebinding),
		cmocka_unit_test(overrides),
		cmocka_unit_test(override_errors),
		cmocka_unit_test(wrap_and_ascii),
		cmocka_unit_test(scrolling),
		cmocka_unit_test(not_a_terminal),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
