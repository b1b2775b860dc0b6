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
 * configured holidays), the date their "due" filter was cut on; then
 * the earliest TD_AGENDA_MAX of both kinds are kept, by due date. */
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
		if (k != i)
			a->items[k] = *it;
		k++;
	}
	a->n = k;
	qsort(a->items, a->n, sizeof *a->items, by_due);
	if (a->n > TD_AGENDA_MAX)
		a->n = TD_AGENDA_MAX;
	for (size_t i = 0; i < a->n; i++) {
		struct td_agenda_item *it = &a->items[i];
		int c = strcmp(it->due, a->today);
		it->when = c < 0 ? TD_AG_OVERDUE : c == 0 ? TD_AG_TODAY : TD_AG_WEEK;
		a->count[it->when]++;
	}
}

/* The dossiers still new or triaged whose follow-up falls by week_end
 * (assigned to who, if set): a preset of the one listing engine, oldest
 * last action first, appended to a. */
static int waiting_dossiers(struct td_app *app, const char *week_end,
			    const char *who, struct td_agenda *a, td_err *err)
{
	struct td_query q;
	struct td_queue_row *rows;
	int n = 0;

	td_query_init(&q);
	q.statuses = 1u << TD_ST_NEW | 1u << TD_ST_TRIAGED;
	snprintf(q.due, sizeof q.due, "%s", week_end);
	if (who)
		snprintf(q.assignee, sizeof q.assignee, "%s", who);
	q.sort = TD_QC_FOLLOWUP;
	rows = calloc(TD_AGENDA_MAX, sizeof *rows);
	if (!rows)
		return td_err_set(err, TD_ENOMEM, _("out of memory"));
	int rc = td_app_queue_seek(app, &q, NULL, TD_SEEK_AFTER, TD_AGENDA_MAX,
				   rows, &n, err);
	struct td_agenda_item *items = rc ? NULL
		: realloc(a->items, (a->n + (size_t)n + 1) * sizeof *items);
	if (!rc && !items)
		rc = td_err_set(err, TD_ENOMEM, _("out of memory"));
	for (int i = 0; !rc && i < n; i++) {
		const struct td_queue_row *r = &rows[i];
		struct td_agenda_item *it = &items[a->n++];
		memset(it, 0, sizeof *it);
		it->kind = TD_AG_DOSSIER;
		memcpy(it->reference, r->d.reference, sizeof it->reference);
		memcpy(it->site, r->d.site, sizeof it->site);
		snprintf(it->name, sizeof it->name, "%s %s", r->d.last_name,
			 r->d.first_name);
		memcpy(it->title, r->d.title, sizeof it->title);
		it->status = r->d.status;
		memcpy(it->assigned_to, r->d.assigned_to, sizeof it->assigned_to);
		memcpy(it->since, r->last_action_at, sizeof it->since);
	}
	if (items)
		a->items = items;
	free(rows);
	return rc;
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
	int rc = td_store_agenda_referrals(app->db, week_end, who, site, out,
					   err);
	if (rc == TD_OK)
		rc = waiting_dossiers(app, week_end, who, out, err);
	if (rc == TD_OK) {
		snprintf(out->today, sizeof out->today, "%s", today);
		snprintf(out->week_end, sizeof out->week_end, "%s", week_end);
		queue_dates(app, out);
	} else {
		td_agenda_free(out);
	}
	return rc;
}
