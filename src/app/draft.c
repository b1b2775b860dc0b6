/* Drafts of the intake form (issue 13 point 1): the use cases the form
 * calls when a field is left, when the line drops, and at start-up.
 * Kept per login and site: the same person at another site's desk has
 * another form in progress. */
#include "app_int.h"

#include "store/draft.h"
#include "store/store.h"

#include "totemdesk/i18n.h"
#include "totemdesk/timefmt.h"

#include <time.h>

static int need_db(struct td_app *app, td_err *err)
{
	if (!app->db || !app->site)
		return td_err_set(err, TD_EINVAL, _("no database is open"));
	return TD_OK;
}

int td_app_draft_keep(struct td_app *app, const struct td_intake *rec,
		      const char *started_at, td_err *err)
{
	int rc = need_db(app, err);
	if (rc == TD_OK)
		rc = td_store_draft_put(app->db, app->login, app->site->code,
					started_at, rec, err);
	return rc;
}

int td_app_draft_purge(struct td_app *app, int *n, td_err *err)
{
	int rc = need_db(app, err);
	if (rc != TD_OK)
		return rc;
	char now[TD_TIME_SIZE], before[TD_TIME_SIZE];
	int hours = app->cfg.draft_hours > 0 ? app->cfg.draft_hours : 24;
	time_t t;
	/* The desk's clock (TOTEMDESK_NOW in tests), as saved_at. */
	td_store_now(now);
	if (td_time_parse(now, &t) != 0)
		t = time(NULL);
	td_time_format(t - (time_t)hours * 3600, before, sizeof before);
	return td_store_draft_purge(app->db, before, n, err);
}

int td_app_draft_take(struct td_app *app, struct td_intake *rec,
		      char started_at[TD_TIME_SIZE], bool *found, td_err *err)
{
	*found = false;
	int rc = td_app_draft_purge(app, NULL, err);
	if (rc == TD_OK)
		rc = td_store_draft_get(app->db, app->login, app->site->code,
					rec, started_at, found, err);
	return rc;
}

int td_app_draft_drop(struct td_app *app, td_err *err)
{
	int rc = need_db(app, err);
	if (rc == TD_OK)
		rc = td_store_draft_drop(app->db, app->login, app->site->code,
					 err);
	return rc;
}
