#include "totemdesk/timefmt.h"

#include <stdio.h>
#include <string.h>

int td_time_parse(const char *iso, time_t *out)
{
	struct tm tm;
	int y, mo, d, h, mi, s;
	char z = 0, tail = 0;
	if (!iso || sscanf(iso, "%4d-%2d-%2dT%2d:%2d:%2d%c%c", &y, &mo, &d, &h,
			   &mi, &s, &z, &tail) != 7 || z != 'Z')
		return -1;
	if (mo < 1 || mo > 12 || d < 1 || d > 31 || h > 23 || mi > 59 || s > 60 ||
	    h < 0 || mi < 0 || s < 0)
		return -1;
	memset(&tm, 0, sizeof tm);
	tm.tm_year = y - 1900;
	tm.tm_mon = mo - 1;
	tm.tm_mday = d;
	tm.tm_hour = h;
	tm.tm_min = mi;
	tm.tm_sec = s;
	*out = timegm(&tm);
	return 0;
}

void td_time_format(time_t t, char *out, size_t outsz)
{
	struct tm tm;
	gmtime_r(&t, &tm);
	strftime(out, outsz, "%Y-%m-%dT%H:%M:%SZ", &tm);
}

int td_date_parse_local(const char *ymd, time_t *out)
{
	struct tm tm;
	int y, mo, d;
	char tail = 0;
	if (!ymd || strlen(ymd) != 10 ||
	    sscanf(ymd, "%4d-%2d-%2d%c", &y, &mo, &d, &tail) != 3)
		return -1;
	if (mo < 1 || mo > 12 || d < 1 || d > 31)
		return -1;
	memset(&tm, 0, sizeof tm);
	tm.tm_year = y - 1900;
	tm.tm_mon = mo - 1;
	tm.tm_mday = d;
	tm.tm_isdst = -1;
	time_t t = mktime(&tm);
	/* mktime normalises 2026-02-30 to March: refuse such dates. */
	if (t == (time_t)-1 || tm.tm_mday != d || tm.tm_mon != mo - 1)
		return -1;
	*out = t;
	return 0;
}

time_t td_local_midnight(time_t t)
{
	struct tm tm;
	localtime_r(&t, &tm);
	tm.tm_hour = tm.tm_min = tm.tm_sec = 0;
	tm.tm_isdst = -1;
	return mktime(&tm);
}

size_t td_time_local(const char *iso, const char *fmt, char *out,
		     size_t outsz)
{
	time_t t;
	struct tm tm;
	if (outsz == 0)
		return 0;
	out[0] = '\0';
	if (td_time_parse(iso, &t) != 0)
		return 0;
	localtime_r(&t, &tm);
	/* fmt is checked at our callers through the format attribute. */
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wformat-nonliteral"
	return strftime(out, outsz, fmt, &tm);
#pragma GCC diagnostic pop
}
