#include "totemdesk/domain.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <string.h>

static void needs_round_trip(void **state)
{
	unsigned m = 0;
	const char *bad = NULL;
	size_t badlen = 0;
	char out[128];
	assert_int_equal(td_needs_parse("funding|advice", &m, &bad, &badlen), 0);
	assert_int_equal(m, 3u);
	assert_int_equal(td_needs_format(m, out, sizeof out), 14);
	assert_string_equal(out, "advice|funding");
	assert_int_equal(td_needs_parse("advice| nope", &m, &bad, &badlen), -1);
	assert_int_equal(badlen, 4);
	assert_memory_equal(bad, "nope", 4);
	assert_int_equal(td_needs_parse("", &m, &bad, &badlen), 0);
	assert_int_equal(m, 0u);
	assert_int_equal(td_needs_format(0x7f, out, 10), -1);
}

static void enum_lookup(void **state)
{
	assert_int_equal(td_enum_find(&td_stages, "seed"), 2);
	assert_int_equal(td_enum_find(&td_stages, "Seed"), -1);
	assert_int_equal(td_enum_find(&td_statuses, NULL), -1);
	assert_string_equal(td_enum_code(&td_statuses, 5), "on_hold");
	assert_string_equal(td_enum_code(&td_statuses, 6), "");
	assert_string_equal(td_enum_label(&td_statuses, -1), "");
	assert_true(td_needs.count <= 32);
}

static void status_machine(void **state)
{
	assert_true(td_status_transition_ok(TD_ST_NEW, TD_ST_TRIAGED));
	assert_true(td_status_transition_ok(TD_ST_TRIAGED, TD_ST_REFERRED));
	assert_true(td_status_transition_ok(TD_ST_REFERRED, TD_ST_SUPPORTED));
	assert_true(td_status_transition_ok(TD_ST_SUPPORTED, TD_ST_CLOSED));
	assert_true(td_status_transition_ok(TD_ST_ON_HOLD, TD_ST_TRIAGED));
	assert_false(td_status_transition_ok(TD_ST_CLOSED, TD_ST_SUPPORTED));
	assert_false(td_status_transition_ok(TD_ST_SUPPORTED, TD_ST_NEW));
	assert_false(td_status_transition_ok(TD_ST_NEW, TD_ST_NEW));
	assert_false(td_status_transition_ok(7, 1));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(needs_round_trip),
		cmocka_unit_test(enum_lookup),
		cmocka_unit_test(status_machine),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
