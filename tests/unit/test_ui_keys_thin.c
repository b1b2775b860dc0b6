/* The key table against thin terminals and AZERTY keyboards (issue 6):
 * every action, including those added by later screens, must keep a key
 * that a vt100 sends and that an AZERTY keyboard reaches without AltGr;
 * where a digit selects, the unshifted AZERTY top row must select too;
 * and within one context no key may mean two actions (the second would
 * never be reached). */
#include "../../src/ui/keymap.h"

#include <curses.h>

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include <cmocka.h>

/* What a vt100 sends: characters, controls, F1-F4, the arrows and
 * Backspace (it has no Home/End/PgUp/PgDn/Delete/Shift-Tab, no F5+). */
static bool vt100_has(struct td_key k)
{
	if (!k.fn)
		return true;
	if (k.code >= (uint32_t)KEY_F(1) && k.code <= (uint32_t)KEY_F(4))
		return true;
	return k.code == KEY_UP || k.code == KEY_DOWN || k.code == KEY_LEFT ||
	       k.code == KEY_RIGHT || k.code == KEY_BACKSPACE;
}

/* Characters a French AZERTY keyboard only gives with AltGr (or, for ^,
 * as a dead key that waits for the next letter). */
static bool azerty_needs_altgr(uint32_t cp)
{
	static const uint32_t altgr[] = { '~', '#', '{', '[', '|', '`', '\\',
					  '^', '@', ']', '}', 0x20ac, 0xa4 };
	for (size_t i = 0; i < sizeof altgr / sizeof altgr[0]; i++)
		if (cp == altgr[i])
			return true;
	return false;
}

static void every_action_on_vt100_without_altgr(void **state)
{
	(void)state;
	td_keymap_reset();
	for (int a = TD_A_FIRST; a < TD_A_COUNT; a++) {
		const struct td_key *k;
		int n = td_keymap_keys((enum td_action)a, &k);
		bool ok = false;
		for (int i = 0; i < n; i++)
			if (vt100_has(k[i]) &&
			    (k[i].fn || !azerty_needs_altgr(k[i].code)))
				ok = true;
		if (!ok)
			fail_msg("action %s has no key that a vt100 with an AZERTY keyboard sends without AltGr",
				 td_keydefs[a].name);
	}
}

/* The unshifted AZERTY top row, for the digits 0-9. */
static const uint32_t azerty_row[10] = {
	0xe0 /* à */, '&', 0xe9 /* é */, '"', '\'', '(', '-', 0xe8 /* è */,
	'_', 0xe7 /* ç */,
};

static void digits_have_azerty_twins(void **state)
{
	(void)state;
	td_keymap_reset();
	for (int a = TD_A_FIRST; a < TD_A_COUNT; a++) {
		const struct td_key *k;
		int n = td_keymap_keys((enum td_action)a, &k);
		for (int i = 0; i < n; i++) {
			if (k[i].fn || k[i].code < '0' || k[i].code > '9')
				continue;
			uint32_t twin = azerty_row[k[i].code - '0'];
			bool found = false;
			for (int j = 0; j < n; j++)
				if (!k[j].fn && k[j].code == twin)
					found = true;
			if (!found)
				fail_msg("action %s answers to %c but not to its AZERTY twin U+%04X",
					 td_keydefs[a].name, (char)k[i].code,
					 (unsigned)twin);
		}
	}
}

static void no_key_means_two_actions_in_one_context(void **state)
{
	(void)state;
	td_keymap_reset();
	for (int a = TD_A_FIRST; a < TD_A_COUNT; a++) {
		const struct td_key *ka;
		int na = td_keymap_keys((enum td_action)a, &ka);
		for (int b = a + 1; b < TD_A_COUNT; b++) {
			if (td_keydefs[a].ctx != td_keydefs[b].ctx)
				continue;
			const struct td_key *kb;
			int nb = td_keymap_keys((enum td_action)b, &kb);
			for (int i = 0; i < na; i++)
				for (int j = 0; j < nb; j++)
					if (ka[i].fn == kb[j].fn &&
					    ka[i].code == kb[j].code)
						fail_msg("%s and %s share a key in one context",
							 td_keydefs[a].name,
							 td_keydefs[b].name);
		}
	}
}

/* The checks above must be able to fail: a table entry bound only to
 * keys a vt100 lacks, or to AltGr characters, is refused. */
static void the_checks_can_fail(void **state)
{
	(void)state;
	assert_false(vt100_has((struct td_key){ true, KEY_NPAGE }));
	assert_false(vt100_has((struct td_key){ true, KEY_F(5) }));
	assert_true(vt100_has((struct td_key){ false, 6 }));
	assert_true(azerty_needs_altgr('|'));
	assert_false(azerty_needs_altgr('/'));
	assert_int_equal(azerty_row[1], '&');
	assert_int_equal(azerty_row[2], 0xe9);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(every_action_on_vt100_without_altgr),
		cmocka_unit_test(digits_have_azerty_twins),
		cmocka_unit_test(no_key_means_two_actions_in_one_context),
		cmocka_unit_test(the_checks_can_fail),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
