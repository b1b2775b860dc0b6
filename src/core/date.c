/* Dates as people read and type them (date.h). */
#include "totemdesk/date.h"

#include "totemdesk/i18n.h"
#include "totemdesk/timefmt.h"

#include <stdio.h>
#include <string.h>
#include <time.h>

enum td_date_style td_date_style(void)
{
	/* TRANSLATORS: how your language writes dates: "dmy" for
	 * 23/11/2026 (23/11/26 in narrow columns), "iso" for 2026-11-23.
	 * Type one of these two words only. */
	const char *s = C_("date style", "iso");
	return strcmp(s, "dmy") == 0 ? TD_DATE_DMY : TD_DATE_ISO;
}

const char *td_date_pattern(void)
{
	/* TRANSLATORS: how a date is written, in a prompt; say it with
	 * the letters of your language (JJ/MM/AAAA). */
	return td_date_style() == TD_DATE_DMY ? _("DD/MM/YYYY")
					      : _("YYYY-MM-DD");
}

size_t td_date_show_in(int day, enum td_date_style style, unsigned how,
		       char *out, size_t outsz)
{
	int y, m, d, n;
	if (outsz == 0)
		return 0;
	td_day_to_ymd(day, &y, &m, &d);
	if (style == TD_DATE_DMY && (how & TD_DATE_NARROW))
		n = snprintf(out, outsz, "%02d/%02d/%02d", d, m,
			     (y % 100 + 100) % 100);
	else if (style == TD_DATE_DMY)
		n = snprintf(out, outsz, "%02d/%02d/%04d", d, m, y);
	else
		n = snprintf(out, outsz, "%04d-%02d-%02d", y, m, d);
	return n < 0 ? 0 : (size_t)n < outsz ? (size_t)n : outsz - 1;
}

size_t td_date_show(int day, unsigned how, char *out, size_t outsz)
{
	return td_date_show_in(day, td_date_style(), how, out, outsz);
}

static size_t copy(const char *s, char *out, size_t outsz)
{
	int n;
	if (outsz == 0)
		return 0;
	n = snprintf(out, outsz, "%s", s ? s : "");
	return n < 0 ? 0 : (size_t)n < outsz ? (size_t)n : outsz - 1;
}

size_t td_date_show_ymd(const char *ymd, unsigned how, char *out,
			size_t outsz)
{
	int day;
	if (!ymd || td_day_parse(ymd, &day) != 0)
		return copy(ymd, out, outsz);
	return td_date_show(day, how, out, outsz);
}

size_t td_date_show_month(const char *ym, char *out, size_t outsz)
{
	char ymd[16];
	int day, n;
	if (!ym || strlen(ym) != 7 ||
	    snprintf(ymd, sizeof ymd, "%s-01", ym) != 10 ||
	    td_day_parse(ymd, &day) != 0)
		return copy(ym, out, outsz);
	if (td_date_style() == TD_DATE_ISO)
		return copy(ym, out, outsz);
	n = snprintf(out, outsz, "%.2s/%.4s", ym + 5, ym);
	if (outsz == 0)
		return 0;
	return n < 0 ? 0 : (size_t)n < outsz ? (size_t)n : outsz - 1;
}

size_t td_date_show_stamp(const char *iso, unsigned how, char *out,
			  size_t outsz)
{
	time_t t;
	struct tm tm;
	char date[16];
	int n;

	if (td_time_parse(iso, &t) != 0 || !localtime_r(&t, &tm))
		return copy(iso, out, outsz);
	if (how & TD_DATE_TIME_ONLY) {
		n = snprintf(out, outsz, "%02d:%02d", tm.tm_hour, tm.tm_min);
	} else {
		td_date_show(td_day_from_ymd(tm.tm_year + 1900, tm.tm_mon + 1,
					     tm.tm_mday),
			     how, date, sizeof date);
		n = (how & TD_DATE_WITH_TIME)
			? snprintf(out, outsz, "%s %02d:%02d", date, tm.tm_hour,
				   tm.tm_min)
			: snprintf(out, outsz, "%s", date);
	}
	if (outsz == 0)
		return 0;
	return n < 0 ? 0 : (size_t)n < outsz ? (size_t)n : outsz - 1;
}

/* Up to max digits at *p as a number; how many were read in *len. */
static int number(const char **p, int max, int *len)
{
	int v = 0, k = 0;
	while (k < max && **p >= '0' && **p <= '9') {
		v = v * 10 + (**p - '0');
		(*p)++;
		k++;
	}
	*len = k;
	return v;
}

static bool is_sep(char c)
{
	return c == '/' || c == '.' || c == '-';
}

/* y-m-d as a day number if it is a real date (not 31 April). */
static int real_day(int y, int m, int d, int *day)
{
	int yy, mm, dd, v;
	if (y < 1900 || y > 9999 || m < 1 || m > 12 || d < 1 || d > 31)
		return -1;
	v = td_day_from_ymd(y, m, d);
	td_day_to_ymd(v, &yy, &mm, &dd);
	if (yy != y || mm != m || dd != d)
		return -1;
	*day = v;
	return 0;
}

int td_date_read(const char *text, int today, const struct td_calendar *cal,
		 int *day)
{
	const char *p = text, *end;
	int a, b, c, la, lb, lc;
	char s1, s2;

	if (!p)
		return -1;
	while (*p == ' ')
		p++;
	end = p + strlen(p);
	while (end > p && end[-1] == ' ')
		end--;
	if (p == end)
		return -1;

	/* "+N" / "-N" working days from today. */
	if (*p == '+' || *p == '-') {
		int sign = *p == '-' ? -1 : 1;
		p++;
		a = number(&p, 4, &la);
		if (!cal || la == 0 || p != end)
			return -1;
		*day = td_bizdays_add(today, sign * a, cal);
		return 0;
	}

	a = number(&p, 4, &la);
	if (la == 0 || p == end || !is_sep(*p))
		return -1;
	s1 = *p++;
	b = number(&p, 2, &lb);
	if (lb == 0 || p == end || *p != s1)
		return -1;
	s2 = *p++;
	c = number(&p, 4, &lc);
	if (lc == 0 || p != end || s1 != s2)
		return -1;
	if (la == 4 && lc <= 2)                    /* 2026-11-23 */
		return real_day(a, b, c, day);
	if (la <= 2 && lc == 4)                     /* 23/11/2026 */
		return real_day(c, b, a, day);
	if (la <= 2 && lc == 2)                     /* 23/11/26 */
		return real_day(2000 + c, b, a, day);
	return -1;
}
