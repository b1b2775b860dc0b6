/* Dates as people read and type them (core/date.c): each language's
 * style, narrow columns, stamps in local time, and every form typed. */
#include "totemdesk/date.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

static int day(int y, int m, int d)
{
	return td_day_from_ymd(y, m, d);
}

static void shows_each_style(void **state)
{
	char out[32];
	int d = day(2026, 11, 3);

	td_date_show_in(d, TD_DATE_DMY, 0, out, sizeof out);
	assert_string_equal(out, "03/11/2026");
	td_date_show_in(d, TD_DATE_DMY, TD_DATE_NARROW, out, sizeof out);
	assert_string_equal(out, "03/11/26");
	td_date_show_in(d, TD_DATE_ISO, 0, out, sizeof out);
	assert_string_equal(out, "2026-11-03");
	td_date_show_in(d, TD_DATE_ISO, TD_DATE_NARROW, out, sizeof out);
	assert_string_equal(out, "2026-11-03");
	/* Cut to the buffer, never past it. */
	assert_int_equal(td_date_show_in(d, TD_DATE_DMY, 0, out, 6), 5);
	assert_string_equal(out, "03/11");
	/* Without a catalogue the language is English: ISO. */
	assert_int_equal(td_date_style(), TD_DATE_ISO);
	td_date_show_ymd("2026-02-28", 0, out, sizeof out);
	assert_string_equal(out, "2026-02-28");
	/* What is not a stored date is shown as it is. */
	td_date_show_ymd("", 0, out, sizeof out);
	assert_string_equal(out, "");
	td_date_show_ymd("soon", 0, out, sizeof out);
	assert_string_equal(out, "soon");
}

static void shows_stamps_in_local_time(void **state)
{
	char out[32];
	/* Paris in winter: UTC+1, so 23:30 UTC is the next day. */
	setenv("TZ", "CET-1CEST,M3.5.0,M10.5.0/3", 1);
	tzset();
	td_date_show_stamp("2026-11-23T23:30:00Z", 0, out, sizeof out);
	assert_string_equal(out, "2026-11-24");
	td_date_show_stamp("2026-11-23T23:30:00Z", TD_DATE_WITH_TIME, out,
			   sizeof out);
	assert_string_equal(out, "2026-11-24 00:30");
	td_date_show_stamp("2026-11-23T08:05:00Z", TD_DATE_TIME_ONLY, out,
			   sizeof out);
	assert_string_equal(out, "09:05");
	td_date_show_stamp("not a stamp", TD_DATE_WITH_TIME, out, sizeof out);
	assert_string_equal(out, "not a stamp");
	unsetenv("TZ");
	tzset();
}

static void reads_every_form_shown(void **state)
{
	static const struct {
		const char *text;
		int y, m, d;
	} good[] = {
		{ "23/11/2026", 2026, 11, 23 }, { "23/11/26", 2026, 11, 23 },
		{ "2026-11-23", 2026, 11, 23 }, { " 2026-11-23 ", 2026, 11, 23 },
		{ "23.11.2026", 2026, 11, 23 }, { "23-11-2026", 2026, 11, 23 },
		{ "1/2/2026", 2026, 2, 1 },     { "2026/11/23", 2026, 11, 23 },
		{ "29/02/2028", 2028, 2, 29 },  { "01/01/00", 2000, 1, 1 },
	};
	static const char *const bad[] = {
		"", "  ", "23/11", "23/11/2026x", "31/04/2026", "29/02/2027",
		"2026-13-01", "23/11-2026", "23//2026", "123/11/2026",
		"23/11/202", "2026-11-23T10:00:00Z", "+", "+x", "3", "today",
		"00/11/2026",
	};
	int v;
	for (size_t i = 0; i < sizeof good / sizeof *good; i++) {
		if (td_date_read(good[i].text, 0, NULL, &v) != 0)
			fail_msg("\"%s\" refused", good[i].text);
		assert_int_equal(v, day(good[i].y, good[i].m, good[i].d));
	}
	for (size_t i = 0; i < sizeof bad / sizeof *bad; i++)
		if (td_date_read(bad[i], 0, NULL, &v) == 0)
			fail_msg("\"%s\" taken for a date", bad[i]);
}

/* "+N": working days from today, weekends and holidays skipped; only
 * where a calendar is given (a date to come is asked). */
static void reads_working_days_from_today(void **state)
{
	int friday = day(2026, 12, 18);
	int holidays[] = { day(2026, 12, 25) };
	struct td_calendar cal = { holidays, 1 };
	int v;

	assert_int_equal(td_day_weekday(friday), 4);
	assert_int_equal(td_date_read("+1", friday, &cal, &v), 0);
	assert_int_equal(v, day(2026, 12, 21));       /* Monday */
	assert_int_equal(td_date_read("+5", friday, &cal, &v), 0);
	assert_int_equal(v, day(2026, 12, 28));       /* Christmas skipped */
	assert_int_equal(td_date_read(" +0 ", friday, &cal, &v), 0);
	assert_int_equal(v, friday);
	assert_int_equal(td_date_read("-1", day(2026, 12, 21), &cal, &v), 0);
	assert_int_equal(v, friday);
	assert_int_equal(td_date_read("+3", friday, NULL, &v), -1);
	assert_int_equal(td_date_read("+3d", friday, &cal, &v), -1);
	assert_int_equal(td_date_read("+ 3", friday, &cal, &v), -1);
	/* A date that is shown reads back the same, in both styles (the
	 * narrow one for the years 2000 to 2099). */
	for (int d = day(2025, 12, 25); d < day(2028, 3, 1); d += 17) {
		char out[16];
		enum td_date_style st[] = { TD_DATE_DMY, TD_DATE_ISO };
		for (int s = 0; s < 2; s++)
			for (unsigned how = 0; how <= TD_DATE_NARROW; how++) {
				td_date_show_in(d, st[s], how, out, sizeof out);
				assert_int_equal(td_date_read(out, 0, &cal, &v), 0);
				assert_int_equal(v, d);
			}
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(shows_each_style),
		cmocka_unit_test(shows_stamps_in_local_time),
		cmocka_unit_test(reads_every_form_shown),
		cmocka_unit_test(reads_working_days_from_today),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
