/* Dates typed at a screen or on the command line (date.h): today's day
 * and the working days of the configuration around the core parser. */
#include "app_int.h"
#include "totemdesk/date.h"
#include "totemdesk/i18n.h"
#include "totemdesk/timefmt.h"
#include "store/store.h"

#include <stdio.h>
#include <string.h>
#include <time.h>

int td_app_today(void)
{
	char iso[TD_TIME_SIZE];
	time_t now;
	struct tm tm;
	td_store_now(iso);
	if (td_time_parse(iso, &now) != 0)
		now = time(NULL);
	localtime_r(&now, &tm);
	return td_day_from_ymd(tm.tm_year + 1900, tm.tm_mon + 1, tm.tm_mday);
}

int td_app_date_read(const struct td_app *app, const char *text,
		     bool relative, char ymd[11], td_err *err)
{
	struct td_calendar cal = { app->cfg.holidays, app->cfg.nholidays };
	int day;

	ymd[0] = '\0';
	if (!text || !text[strspn(text, " ")])
		return TD_OK;
	if (td_date_read(text, td_app_today(), relative ? &cal : NULL,
			 &day) == 0) {
		td_day_format(day, ymd, 11);
		return TD_OK;
	}
	if (relative)
		return td_err_set(err, TD_EINVAL,
			/* TRANSLATORS: the dates are examples of what may be
			 * typed; keep them as they are. */
			_("\"%s\" is not a date: write 23/11/2026, 23/11/26, 2026-11-23 or +3 (working days from today)"),
			text);
	return td_err_set(err, TD_EINVAL,
		_("\"%s\" is not a date: write 23/11/2026, 23/11/26 or 2026-11-23"),
		text);
}
