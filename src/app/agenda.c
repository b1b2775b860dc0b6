/* The agenda use case: today and the end of this week in local time, and
 * who may see what. */
#include "totemdesk/agenda.h"
#include "totemdesk/app.h"
#include "totemdesk/domain.h"
#include "totemdesk/i18n.h"
#include "totemdesk/store.h"
#include "totemdesk/timefmt.h"

#include <stdio.h>
#include <string.h>

int td_app_agenda(struct td_app *app, bool mine, struct td_agenda *out,
		  td_err *err)
{
	char nowiso[TD_TIME_SIZE], today[11], week_end[11];
	const char *site = NULL, *who = NULL;
	time_t now;
	struct tm tm;

	td_store_now(nowiso);
	if (td_time_parse(nowiso, &now) != 0)
		now = time(NULL);
	localtime_r(&now, &tm);
	strftime(today, sizeof today, "%Y-%m-%d", &tm);
	/* The week ends on Sunday; noon keeps clear of DST changes. */
	tm.tm_mday += (7 - tm.tm_wday) % 7;
	tm.tm_hour = 12;
	tm.tm_isdst = -1;
	time_t end = mktime(&tm);
	localtime_r(&end, &tm);
	strftime(week_end, sizeof week_end, "%Y-%m-%d", &tm);

	if (mine) {
		if (!app->me)
			return td_err_set(err, TD_EPERM,
				_("login \"%s\" is not in the configuration, so nothing is assigned to it"),
				app->login);
		who = app->me->login;
	}
	if (app->me && app->me->role == TD_ROLE_RECEPTION)
		site = app->me->site;
	return td_store_agenda(app->db, today, week_end, who, site,
			       TD_AGENDA_STALE_DAYS, out, err);
}
