/* The agenda use case: today and the end of this week in local time, and
 * who may see what. */
#include "app_int.h"
#include "totemdesk/agenda.h"
#include "totemdesk/app.h"
#include "totemdesk/domain.h"
#include "totemdesk/i18n.h"
#include "totemdesk/queue.h"
#include "totemdesk/timefmt.h"
#include "store/agenda.h"
#include "store/store.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static int by_due(const void *a, const void *b)
{
	const struct td_agenda_item *x = a, *y = b;
	int c = strcmp(x->due, y->due);
	return c ? c : strcmp(x->reference, y->reference);
}

/* Waiting dossiers get the queue's follow-up date (working days, the
 * configured holidays): the store's calendar-day date is the earliest it
 * can be, so the store's pick holds every dossier due this week, and a
 * few more that this drops. */
static void queue_dates(const struct td_app *app, struct td_agenda *a)
{
	size_t k = 0;
	memset(a->count, 0, sizeof a->count);
	for (size_t i = 0; i < a->n; i++) {
		struct td_agenda_item *it = &a->items[i];
		if (it->kind == TD_AG_DOSSIER) {
			char due[11];
			bool overdue;
			td_app_followup(app, it->since, it->status, due, &overdue);
			if (!due[0] || strcmp(due, a->week_end) > 0)
				continue;
			memcpy(it->due, due, sizeof it->due);
		}
		int c = strcmp(it->due, a->today);
		it->when = c < 0 ? TD_AG_OVERDUE : c == 0 ? TD_AG_TODAY : TD_AG_WEEK;
		a->count[it->when]++;
		if (k != i)
			a->items[k] = *it;
		k++;
	}
	a->n = k;
	qsort(a->items, a->n, sizeof *a->items, by_due);
}

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
	site = td_app_held_site(app);
	int delay = app->cfg.followup_days > 0 ? app->cfg.followup_days : 5;
	int rc = td_store_agenda(app->db, today, week_end, who, site, delay, out,
				 err);
	if (rc == TD_OK)
		queue_dates(app, out);
	return rc;
}
