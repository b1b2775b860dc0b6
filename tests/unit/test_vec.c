#include "totemdesk/error.h"
#include "totemdesk/vec.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdlib.h>

struct item { int a; char b[20]; };

static void push_grows_and_keeps_order(void **state)
{
	struct item *v = NULL;
	int n = 0, cap = 0;
	for (int i = 0; i < 1000; i++) {
		struct item it = { i, "x" };
		assert_int_equal(td_vec_push(&v, &n, &cap, sizeof it, &it, 4), TD_OK);
	}
	assert_int_equal(n, 1000);
	assert_true(cap >= 1000 && cap <= 2048);
	for (int i = 0; i < 1000; i++)
		assert_int_equal(v[i].a, i);
	free(v);
}

static void refuses_bad_first_capacity(void **state)
{
	int *v = NULL, n = 0, cap = 0, x = 1;
	assert_int_equal(td_vec_push(&v, &n, &cap, sizeof x, &x, 0), TD_ENOMEM);
	assert_int_equal(n, 0);
	assert_null(v);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(push_grows_and_keeps_order),
		cmocka_unit_test(refuses_bad_first_capacity),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
