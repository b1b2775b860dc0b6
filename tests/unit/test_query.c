/* core/query and core/bizdays: the queue's filter spec and its text
 * form, the FTS5 expression built from typed words, and business-day
 * arithmetic with weekends and holidays. */
#include "totemdesk/bizdays.h"
#include "totemdesk/query.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdio.h>
#include <string.h>

static int day(const char *ymd)
{
	int d = 0;
	assert_int_equal(td_day_parse(ymd, &d), 0);
	return d;
}

static void days_and_weekdays(void **state)
{
	char buf[16];
	assert_int_equal(day("1970-01-01"), 0);
	assert_int_equal(day("2000-03-01") - day("2000-02-28"), 2); /* leap */
	assert_int_equal(day("2100-03-01") - day("2100-02-28"), 1); /* not */
	td_day_format(day("2026-11-23"), buf, sizeof buf);
	assert_string_equal(buf, "2026-11-23");
	assert_int_equal(td_day_weekday(day("2026-11-23")), 0); /* Monday */
	assert_int_equal(td_day_weekday(day("2026-11-29")), 6); /* Sunday */
	int d;
	assert_int_equal(td_day_parse("2026-02-29", &d), -1);
	assert_int_equal(td_day_parse("2026-04-31", &d), -1);
	assert_int_equal(td_day_parse("2026-1-01", &d), -1);
	assert_int_equal(td_day_parse("26-01-01xx", &d), -1);
	assert_int_equal(td_day_parse("2028-02-29", &d), 0);
}

static void business_days(void **state)
{
	int hol[] = { day("2026-12-25"), day("2026-12-26"), day("2026-12-25") };
	size_t n = td_calendar_normalize(hol, 3);
	assert_int_equal(n, 2);
	struct td_calendar cal = { hol, n };
	struct td_calendar none = { NULL, 0 };

	/* Friday + 1 working day = Monday. */
	assert_int_equal(td_bizdays_add(day("2026-11-27"), 1, &none),
			 day("2026-11-30"));
	/* Wednesday 23 Dec + 2: Thu 24, (Fri 25 holiday, weekend) Mon 28. */
	assert_int_equal(td_bizdays_add(day("2026-12-23"), 2, &cal),
			 day("2026-12-28"));
	assert_int_equal(td_bizdays_add(day("2026-12-23"), 2, &none),
			 day("2026-12-25"));
	assert_int_equal(td_bizdays_add(day("2026-12-28"), -2, &cal),
			 day("2026-12-23"));
	assert_int_equal(td_bizdays_add(day("2026-12-23"), 0, &cal),
			 day("2026-12-23"));
	assert_int_equal(td_bizdays_between(day("2026-12-23"), day("2026-12-28"),
					    &cal), 2);
	assert_int_equal(td_bizdays_between(day("2026-12-28"), day("2026-12-23"),
					    &cal), -2);
	assert_false(td_bizday(day("2026-12-25"), &cal));
	assert_true(td_bizday(day("2026-12-25"), &none));
	assert_false(td_bizday(day("2026-11-28"), &none)); /* Saturday */
}

/* The cutoff is exactly the boundary of "overdue": a last action on the
 * cutoff day is not overdue, one the day before is. */
static void cutoff_matches_add(void **state)
{
	int hol[] = { day("2026-12-25"), day("2026-12-26") };
	struct td_calendar cal = { hol, 2 };
	for (int today = day("2026-12-01"); today < day("2027-01-20"); today++) {
		for (int delay = 0; delay <= 7; delay++) {
			int c = td_bizdays_cutoff(today, delay, &cal);
			assert_true(td_bizdays_add(c, delay, &cal) >= today);
			assert_true(td_bizdays_add(c - 1, delay, &cal) < today);
		}
	}
	/* Monday 23 Nov 2026, 5 working days: the Monday before. */
	assert_int_equal(td_bizdays_cutoff(day("2026-11-23"), 5, NULL),
			 day("2026-11-16"));
}

static void set_and_errors(void **state)
{
	struct td_query q;
	td_err err = { 0 };

	td_query_init(&q);
	assert_false(td_query_filters(&q));
	assert_int_equal(td_query_set(&q, "status", "new,triaged", &err), TD_OK);
	assert_int_equal(q.statuses, 3u);
	/* Spaces around the commas, as typed (issue 11 point 25). */
	td_query_init(&q);
	assert_int_equal(td_query_set(&q, "status", "new ,triaged", &err), TD_OK);
	assert_int_equal(q.statuses, 3u);
	td_query_init(&q);
	assert_int_equal(td_query_set(&q, "status", " new , triaged ", &err),
			 TD_OK);
	assert_int_equal(q.statuses, 3u);
	assert_int_equal(td_query_parse("status=new ,triaged", &q, &err), TD_OK);
	assert_int_equal(q.statuses, 3u);
	assert_int_equal(td_query_set(&q, "status", "new,lost", &err), TD_EINVAL);
	assert_non_null(strstr(err.msg, "lost"));
	assert_non_null(strstr(err.msg, "on_hold"));
	assert_int_equal(td_query_set(&q, "stage", "seed", &err), TD_OK);
	assert_int_equal(q.stage, td_enum_find(&td_stages, "seed"));
	assert_int_equal(td_query_set(&q, "stage", "", &err), TD_OK);
	assert_int_equal(q.stage, -1);
	assert_int_equal(td_query_set(&q, "sector", "space", &err), TD_EINVAL);
	assert_int_equal(td_query_set(&q, "site", "met", &err), TD_EINVAL);
	assert_int_equal(td_query_set(&q, "since", "2026-13-01", &err), TD_EINVAL);
	assert_non_null(strstr(err.msg, "2026-13-01"));
	assert_int_equal(td_query_set(&q, "sort", "-name", &err), TD_OK);
	assert_int_equal(q.sort, TD_QC_NAME);
	assert_true(q.desc);
	assert_int_equal(td_query_set(&q, "sort", "colour", &err), TD_EINVAL);
	assert_int_equal(td_query_set(&q, "bogus", "1", &err), TD_EINVAL);
	assert_non_null(strstr(err.msg, "bogus"));
	assert_true(td_query_filters(&q));
}

static void text_form_round_trip(void **state)
{
	struct td_query q, r;
	td_err err = { 0 };
	char a[1024], b[1024];

	assert_int_equal(td_query_parse(
		" site=MET ; status=triaged,new;need=funding,hosting;stage=seed;"
		"sector=retail;assignee=jmarchal;overdue=1;since=2026-01-01;"
		"until=2026-12-31;search=Épinal vrac;sort=-followup", &q, &err),
		TD_OK);
	assert_string_equal(q.site, "MET");
	assert_int_equal(q.statuses, 3u);
	assert_true(q.overdue);
	assert_false(q.unassigned);
	assert_string_equal(q.text, "Épinal vrac");
	assert_int_equal(q.sort, TD_QC_FOLLOWUP);
	assert_true(q.desc);
	assert_true(td_query_format(&q, a, sizeof a) > 0);
	assert_int_equal(td_query_parse(a, &r, &err), TD_OK);
	assert_int_equal(td_query_format(&r, b, sizeof b), (int)strlen(a));
	assert_string_equal(a, b);
	assert_memory_equal(&q, &r, sizeof q);
	/* Too small a buffer is refused, not cut. */
	assert_int_equal(td_query_format(&q, a, 10), -1);

	/* ';' typed in the search cannot split the saved text. */
	td_query_init(&q);
	strcpy(q.text, "a;sort=name");
	assert_true(td_query_format(&q, a, sizeof a) > 0);
	assert_int_equal(td_query_parse(a, &r, &err), TD_OK);
	assert_int_equal(r.sort, TD_QC_DEFAULT);
	assert_string_equal(r.text, "a sort=name");

	assert_int_equal(td_query_parse("site", &q, &err), TD_EINVAL);
	td_query_init(&q);
	assert_int_equal(td_query_format(&q, a, sizeof a), 0);
}

static void fts_expression(void **state)
{
	char out[256];
	assert_int_equal(td_query_fts("Épinal", out, sizeof out), 1);
	assert_string_equal(out, "\"Épinal\"*");
	/* Operators and quotes typed by a person are only separators. */
	assert_int_equal(td_query_fts("  vrac\" OR -xy* NEAR(", out, sizeof out), 4);
	assert_string_equal(out, "\"vrac\"* \"OR\"* \"xy\"* \"NEAR\"*");
	assert_int_equal(td_query_fts("l'épicerie 57000", out, sizeof out), 2);
	assert_string_equal(out, "\"épicerie\"* \"57000\"*");
	assert_int_equal(td_query_fts("é", out, sizeof out), 0);
	assert_int_equal(td_query_fts("éb", out, sizeof out), 1);
	assert_int_equal(td_query_fts("  --- ", out, sizeof out), 0);
	assert_string_equal(out, "");
	assert_int_equal(td_query_fts(NULL, out, sizeof out), 0);
	/* Invalid UTF-8 is skipped, not copied into the expression. */
	assert_int_equal(td_query_fts("ab\xff" "cd", out, sizeof out), 2);
	assert_string_equal(out, "\"ab\"* \"cd\"*");
	/* Words that do not fit are left out whole. */
	assert_int_equal(td_query_fts("alpha beta", out, 12), 1);
	assert_string_equal(out, "\"alpha\"*");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(days_and_weekdays),
		cmocka_unit_test(business_days),
		cmocka_unit_test(cutoff_matches_add),
		cmocka_unit_test(set_and_errors),
		cmocka_unit_test(text_form_round_trip),
		cmocka_unit_test(fts_expression),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
