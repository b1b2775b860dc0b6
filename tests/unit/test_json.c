/* Tests for the streaming JSON writer. */
#include "totemdesk/json.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <limits.h>
#include <string.h>

static void quote_escapes(void **state)
{
	struct td_buf b;
	td_buf_init(&b);
	static const char in[] = "a\"b\\c/\x01\x1f\n\t\x7f é€"
				 "\xF0\x9F\x98\x80";
	assert_int_equal(td_json_quote(&b, in, sizeof in - 1), TD_OK);
	assert_string_equal(b.data, "\"a\\\"b\\\\c/\\u0001\\u001f\\u000a\\u0009"
				    "\x7f é€\xF0\x9F\x98\x80\"");
	td_buf_reset(&b);
	/* NUL inside, invalid bytes (lone continuation, overlong, truncated
	 * sequence, surrogate) each become U+FFFD; JS line separators are
	 * escaped. */
	static const char bad[] = "x\0y\x80z\xC0\xAF\xE2\x82\xED\xA0\x80"
				  "\xE2\x80\xA8\xE2\x80\xA9";
	assert_int_equal(td_json_quote(&b, bad, sizeof bad - 1), TD_OK);
	assert_string_equal(b.data, "\"x\\u0000y\xEF\xBF\xBDz"
				    "\xEF\xBF\xBD\xEF\xBF\xBD"
				    "\xEF\xBF\xBD\xEF\xBF\xBD"
				    "\xEF\xBF\xBD\xEF\xBF\xBD\xEF\xBF\xBD"
				    "\\u2028\\u2029\"");
	td_buf_reset(&b);
	assert_int_equal(td_json_quote(&b, "", 0), TD_OK);
	assert_string_equal(b.data, "\"\"");
	td_buf_free(&b);
}

static void compact_document(void **state)
{
	struct td_buf b;
	struct td_json j;
	td_buf_init(&b);
	td_json_init(&j, &b, false);
	td_json_begin_object(&j);
	td_json_key(&j, "name");
	td_json_string(&j, "Zoé \"Z\"");
	td_json_key(&j, "n");
	td_json_int(&j, -42);
	td_json_key(&j, "big");
	td_json_int(&j, LLONG_MIN);
	td_json_key(&j, "max");
	td_json_int(&j, LLONG_MAX);
	td_json_key(&j, "ok");
	td_json_bool(&j, true);
	td_json_key(&j, "no");
	td_json_bool(&j, false);
	td_json_key(&j, "none");
	td_json_string(&j, NULL);
	td_json_key(&j, "list");
	td_json_begin_array(&j);
	td_json_int(&j, 0);
	td_json_null(&j);
	td_json_begin_object(&j);
	td_json_end_object(&j);
	td_json_begin_array(&j);
	td_json_end_array(&j);
	td_json_end_array(&j);
	assert_int_equal(td_json_end_object(&j), TD_OK);
	assert_int_equal(td_json_finish(&j), TD_OK);
	assert_string_equal(b.data,
			    "{\"name\":\"Zoé \\\"Z\\\"\",\"n\":-42,"
			    "\"big\":-9223372036854775808,"
			    "\"max\":9223372036854775807,\"ok\":true,"
			    "\"no\":false,\"none\":null,"
			    "\"list\":[0,null,{},[]]}");
	td_buf_free(&b);
}

static void pretty_document(void **state)
{
	struct td_buf b;
	struct td_json j;
	td_buf_init(&b);
	td_json_init(&j, &b, true);
	td_json_begin_array(&j);
	td_json_begin_object(&j);
	td_json_key(&j, "a");
	td_json_int(&j, 1);
	td_json_key(&j, "b");
	td_json_begin_array(&j);
	td_json_string(&j, "x");
	td_json_string(&j, "y");
	td_json_end_array(&j);
	td_json_key(&j, "c");
	td_json_begin_object(&j);
	td_json_end_object(&j);
	td_json_end_object(&j);
	td_json_int(&j, 2);
	td_json_end_array(&j);
	assert_int_equal(td_json_finish(&j), TD_OK);
	assert_string_equal(b.data, "[\n"
				    "  {\n"
				    "    \"a\": 1,\n"
				    "    \"b\": [\n"
				    "      \"x\",\n"
				    "      \"y\"\n"
				    "    ],\n"
				    "    \"c\": {}\n"
				    "  },\n"
				    "  2\n"
				    "]");
	td_buf_free(&b);
}

static void top_level_values_are_lines(void **state)
{
	struct td_buf b;
	struct td_json j;
	td_buf_init(&b);
	td_json_init(&j, &b, false);
	td_json_begin_object(&j);
	td_json_key(&j, "i");
	td_json_int(&j, 1);
	td_json_end_object(&j);
	td_json_string(&j, "two");
	td_json_int(&j, 3);
	assert_int_equal(td_json_finish(&j), TD_OK);
	assert_string_equal(b.data, "{\"i\":1}\n\"two\"\n3");
	td_buf_free(&b);
}

/* Misuse is refused with TD_EINVAL, sticks, and writes nothing. */
static void misuse(void **state)
{
	struct td_buf b;
	struct td_json j;
	td_buf_init(&b);

	/* A value in an object without a key. */
	td_json_init(&j, &b, false);
	td_json_begin_object(&j);
	assert_int_equal(td_json_int(&j, 1), TD_EINVAL);
	assert_string_equal(b.data, "{");
	/* Sticky: even valid calls now fail and write nothing. */
	assert_int_equal(td_json_key(&j, "k"), TD_EINVAL);
	assert_int_equal(td_json_end_object(&j), TD_EINVAL);
	assert_int_equal(td_json_finish(&j), TD_EINVAL);
	assert_string_equal(b.data, "{");

	/* A key in an array, and a key at the top. */
	td_buf_reset(&b);
	td_json_init(&j, &b, false);
	td_json_begin_array(&j);
	assert_int_equal(td_json_key(&j, "k"), TD_EINVAL);
	td_json_init(&j, &b, false);
	assert_int_equal(td_json_key(&j, "k"), TD_EINVAL);

	/* Two keys in a row; a key without value at the end. */
	td_buf_reset(&b);
	td_json_init(&j, &b, false);
	td_json_begin_object(&j);
	td_json_key(&j, "a");
	assert_int_equal(td_json_key(&j, "b"), TD_EINVAL);
	td_json_init(&j, &b, false);
	td_json_begin_object(&j);
	td_json_key(&j, "a");
	assert_int_equal(td_json_end_object(&j), TD_EINVAL);

	/* Mismatched ends, ends with nothing open, unclosed at finish. */
	td_json_init(&j, &b, false);
	td_json_begin_object(&j);
	assert_int_equal(td_json_end_array(&j), TD_EINVAL);
	td_json_init(&j, &b, false);
	assert_int_equal(td_json_end_object(&j), TD_EINVAL);
	td_json_init(&j, &b, false);
	td_json_begin_array(&j);
	assert_int_equal(j.status, TD_OK);
	assert_int_equal(td_json_finish(&j), TD_EINVAL);
	td_buf_free(&b);
}

static void depth_limit(void **state)
{
	struct td_buf b;
	struct td_json j;
	td_buf_init(&b);
	td_json_init(&j, &b, false);
	for (int i = 0; i < TD_JSON_MAX_DEPTH; i++)
		assert_int_equal(td_json_begin_array(&j), TD_OK);
	size_t len = b.len;
	assert_int_equal(td_json_begin_array(&j), TD_EINVAL);
	assert_int_equal(b.len, len);
	assert_int_equal(td_json_finish(&j), TD_EINVAL);
	td_buf_free(&b);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(quote_escapes),
		cmocka_unit_test(compact_document),
		cmocka_unit_test(pretty_document),
		cmocka_unit_test(top_level_values_are_lines),
		cmocka_unit_test(misuse),
		cmocka_unit_test(depth_limit),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
