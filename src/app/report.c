/* The statistics use case: dates and permissions, then the store's
 * aggregations and the configuration's programme goals. */
#include "app_int.h"
#include "totemdesk/app.h"
#include "totemdesk/domain.h"
#include "totemdesk/date.h"
#include "totemdesk/i18n.h"
#include "totemdesk/report.h"
#include "totemdesk/timefmt.h"
#include "store/report.h"

#include <stdio.h>
#include <string.h>

/* The dates typed (23/11/2026, 2026-11-23, +N... as date.h reads them)
 * into from and to ("YYYY-MM-DD", "" for none), then [local midnight of
 * from, local midnight after to) as UTC stamps; an empty bound stays
 * empty. */
static int bounds(const struct td_app *app, const struct td_report_query *q,
		  const char *what_from, const char *what_to, char from[11],
		  char to[11], char since[TD_TIME_SIZE],
		  char until[TD_TIME_SIZE], td_err *err)
{
	time_t t;
	since[0] = until[0] = '\0';
	if (td_app_date_read(app, q->from, true, from, err))
		return td_err_prefix(err, what_from);
	if (td_app_date_read(app, q->to, true, to, err))
		return td_err_prefix(err, what_to);
	if (*from) {
		if (td_date_parse_local(from, &t) != 0)
			return td_err_set(err, TD_EINVAL, "%s: %s", what_from,
					  from);
		td_time_format(t, since, TD_TIME_SIZE);
	}
	if (*to) {
		if (td_date_parse_local(to, &t) != 0)
			return td_err_set(err, TD_EINVAL, "%s: %s", what_to, to);
		/* The next local midnight, robust to 23- and 25-hour days. */
		td_time_format(td_local_midnight(t + 36 * 3600), until,
			       TD_TIME_SIZE);
	}
	if (*since && *until && strcmp(since, until) >= 0)
		return td_err_set(err, TD_EINVAL,
			_("%s %s comes after %s %s"), what_from, q->from,
			what_to, q->to);
	return TD_OK;
}

int td_app_report(struct td_app *app, const struct td_report_query *q,
		  struct td_report *r, td_err *err)
{
	char since[TD_TIME_SIZE], until[TD_TIME_SIZE];
	const char *site = q->site && *q->site ? q->site : NULL;
	int rc;

	td_report_free(r);
	if (site && !td_config_site(&app->cfg, site))
		return td_err_set(err, TD_EINVAL, _("site \"%s\" is not defined"),
				  site);
	/* Reception staff see their own site only, as on the other screens. */
	const char *held = td_app_held_site(app);
	if (held) {
		if (site && strcmp(site, held) != 0)
			return td_err_set(err, TD_EPERM,
				_("reception staff of %s cannot see the dossiers of %s"),
				held, site);
		site = held;
	}
	char from[11], to[11];
	if ((rc = bounds(app, q, "--from", "--to", from, to, since, until,
			 err)))
		return rc;
	if ((rc = td_store_report(app->db, since, until, site, r, err)))
		return rc;
	memcpy(r->from, from, sizeof r->from);
	memcpy(r->to, to, sizeof r->to);
	snprintf(r->site, sizeof r->site, "%s", site ? site : "");

	/* Goals keep their own period: the programme counts from its start
	 * whatever window the report shows. */
	for (size_t i = 0; i < app->cfg.ngoals && i < TD_REPORT_MAX_GOALS; i++) {
		const struct td_goal_cfg *gc = &app->cfg.goals[i];
		struct td_report_goal *g = &r->goals[r->ngoals];
		struct td_report_query gq = { gc->from, gc->to, NULL };
		char gs[TD_TIME_SIZE], gu[TD_TIME_SIZE], gf[11], gt[11];
		if ((rc = bounds(app, &gq, "from", "to", gf, gt, gs, gu, err)) ||
		    (rc = td_store_report_goal(app->db, gs, gu, site,
					       gc->statuses, &g->done, err))) {
			td_report_free(r);
			return rc;
		}
		snprintf(g->name, sizeof g->name, "%s", gc->name);
		memcpy(g->from, gc->from, sizeof g->from);
		memcpy(g->to, gc->to, sizeof g->to);
		g->target = gc->target;
		r->ngoals++;
	}
	return TD_OK;
}
