/* Business-day arithmetic for follow-up delays. */
#include "totemdesk/bizdays.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Howard Hinnant's days_from_civil / civil_from_days: exact for every
 * Gregorian date, no tables, no time zone. */
int td_day_from_ymd(int y, int m, int d)
{
	y -= m <= 2;
	int era = (y >= 0 ? y : y - 399) / 400;
	int yoe = y - era * 400;
	int doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
	int doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
	return era * 146097 + doe - 719468;
}

void td_day_to_ymd(int day, int *y, int *m, int *d)
{
	int z = day + 719468;
	int era = (z >= 0 ? z : z - 146096) / 146097;
	int doe = z - era * 146097;
	int yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
	int doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
	int mp = (5 * doy + 2) / 153;
	*d = doy - (153 * mp + 2) / 5 + 1;
	*m = mp < 10 ? mp + 3 : mp - 9;
	*y = yoe + era * 400 + (*m <= 2);
}

static int digits(const char *s, int n)
{
	int v = 0;
	for (int i = 0; i < n; i++) {
		if (s[i] < '0' || s[i] > '9')
			return -1;
		v = v * 10 + (s[i] - '0');
	}
	return v;
}

int td_day_parse(const char *s, int *day)
{
	if (!s || strlen(s) != 10 || s[4] != '-' || s[7] != '-')
		return -1;
	int y = digits(s, 4), m = digits(s + 5, 2), d = digits(s + 8, 2);
	if (y < 1900 || m < 1 || m > 12 || d < 1 || d > 31)
		return -1;
	int v = td_day_from_ymd(y, m, d), yy, mm, dd;
	td_day_to_ymd(v, &yy, &mm, &dd);
	if (yy != y || mm != m || dd != d)
		return -1;  /* 31 April, 29 February of a common year */
	*day = v;
	return 0;
}

void td_day_format(int day, char *out, size_t outsz)
{
	int y, m, d;
	td_day_to_ymd(day, &y, &m, &d);
	snprintf(out, outsz, "%04d-%02d-%02d", y, m, d);
}

int td_day_weekday(int day)
{
	/* 1970-01-01 was a Thursday (3). */
	int w = (day + 3) % 7;
	return w < 0 ? w + 7 : w;
}

static int cmp_int(const void *a, const void *b)
{
	int x = *(const int *)a, y = *(const int *)b;
	return (x > y) - (x < y);
}

bool td_bizday(int day, const struct td_calendar *cal)
{
	if (td_day_weekday(day) >= 5)
		return false;
	if (cal && cal->nholidays &&
	    bsearch(&day, cal->holidays, cal->nholidays, sizeof(int), cmp_int))
		return false;
	return true;
}

int td_bizdays_add(int day, int n, const struct td_calendar *cal)
{
	int step = n < 0 ? -1 : 1;
	for (int left = n < 0 ? -n : n; left > 0;) {
		day += step;
		if (td_bizday(day, cal))
			left--;
	}
	return day;
}

int td_bizdays_between(int from, int to, const struct td_calendar *cal)
{
	int n = 0;
	if (to < from)
		return -td_bizdays_between(to, from, cal);
	for (int d = from + 1; d <= to; d++)
		if (td_bizday(d, cal))
			n++;
	return n;
}

int td_bizdays_cutoff(int today, int delay, const struct td_calendar *cal)
{
	int x = today;
	if (delay < 0)
		delay = 0;
	/* add() never decreases as its start grows, so walk back while the
	 * day before still reaches today. */
	while (td_bizdays_add(x - 1, delay, cal) >= today)
		x--;
	return x;
}

size_t td_calendar_normalize(int *h, size_t n)
{
	size_t k = 0;
	if (n == 0)
		return 0;
	qsort(h, n, sizeof *h, cmp_int);
	for (size_t i = 0; i < n; i++)
		if (k == 0 || h[k - 1] != h[i])
			h[k++] = h[i];
	return k;
}
