/* Use cases on dossiers: register a walk-in, list, read. */
#include "app_int.h"
#include "totemdesk/app.h"
#include "totemdesk/domain.h"
#include "totemdesk/i18n.h"
#include "totemdesk/timefmt.h"
#include "store/store.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int td_app_register(struct td_app *app, const struct td_intake *rec,
		    char ref[TD_REF_SIZE], struct td_intake_check *res,
		    td_err *err)
{
	struct td_intake_check local;
	struct td_dossier *d;
	int rc;

	if (!res)
		res = &local;
	if ((rc = td_app_may_register(app, err)))
		return rc;
	d = calloc(1, sizeof *d);
	if (!d)
		return td_err_set(err, TD_ENOMEM, _("out of memory"));
	if (td_intake_check(rec, app->cfg.required_extra, &d->v, res) > 0) {
		const struct td_field_def *f = &td_fields[res->first_bad];
		rc = td_err_set(err, TD_EINVAL, "%s: %s", _(f->label),
				td_vcode_message(res->code[res->first_bad]));
		goto out;
	}

	time_t now;
	td_store_now(d->created_at);
	if (td_time_parse(d->created_at, &now) != 0)
		now = time(NULL);
	struct tm tm;
	gmtime_r(&now, &tm);
	memcpy(d->updated_at, d->created_at, sizeof d->updated_at);
	memcpy(d->consent_at, d->created_at, sizeof d->consent_at);
	snprintf(d->consent_version, sizeof d->consent_version, "%s",
		 app->cfg.consent_version);
	snprintf(d->site, sizeof d->site, "%s", app->site->code);
	snprintf(d->created_by, sizeof d->created_by, "%s", app->me->login);
	d->status = TD_ST_NEW;
	d->version = 1;

	if ((rc = td_store_new_id(d->site, d->id, err)) ||
	    (rc = td_store_new_id(d->site, d->holder_id, err)))
		goto out;
	if ((rc = td_store_begin(app->db, err)))
		goto out;
	char detail[160];
	if ((rc = td_store_reference_next(app->db,
					  app_minting_site(app, d->site),
					  tm.tm_year + 1900,
					  d->reference, err)) ||
	    (rc = td_store_dossier_insert(app->db, d, err)))
		goto rollback;
	snprintf(detail, sizeof detail, "%s %s", d->reference, d->site);
	if ((rc = td_store_audit(app->db, d->created_at, d->created_by,
				 "create", "dossier", d->id, d->id, detail, err)) ||
	    (rc = td_store_commit(app->db, err)))
		goto rollback;
	memcpy(ref, d->reference, TD_REF_SIZE);
	goto out;
rollback:
	td_store_rollback(app->db);
out:
	free(d);
	return rc;
}

void td_app_today_bounds(char since[TD_TIME_SIZE], char until[TD_TIME_SIZE])
{
	char nowiso[TD_TIME_SIZE];
	time_t now;
	td_store_now(nowiso);
	if (td_time_parse(nowiso, &now) != 0)
		now = time(NULL);
	time_t start = td_local_midnight(now);
	/* The next local midnight, robust to 23- and 25-hour days. */
	time_t end = td_local_midnight(start + 36 * 3600);
	td_time_format(start, since, TD_TIME_SIZE);
	td_time_format(end, until, TD_TIME_SIZE);
}

int td_app_dossier_get(struct td_app *app, const char *reference,
		       struct td_dossier *out, td_err *err)
{
	int rc = td_store_dossier_get(app->db, reference, out, err);
	if (rc)
		return rc;
	const char *held = td_app_held_site(app);
	if (held && strcmp(out->site, held) != 0) {
		td_err_set(err, TD_EPERM,
			   _("reception staff of %s cannot see the dossiers of %s"),
			   held, out->site);
		memset(out, 0, sizeof *out);
		return TD_EPERM;
	}
	return TD_OK;
}

int td_app_timeline(struct td_app *app, const char *dossier_id,
		    int (*cb)(const struct td_event *e, void *ctx), void *ctx,
		    td_err *err)
{
	return td_store_timeline(app->db, dossier_id, cb, ctx, err);
}
