/* Use cases of the mission officers' queue. */
#include "app_int.h"
#include "totemdesk/queue.h"
#include "totemdesk/app.h"
#include "totemdesk/bizdays.h"
#include "totemdesk/domain.h"
#include "totemdesk/i18n.h"
#include "totemdesk/timefmt.h"
#include "store/store.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

static struct td_calendar calendar(const struct td_app *app)
{
	return (struct td_calendar){ app->cfg.holidays, app->cfg.nholidays };
}

/* Today's local calendar day (TOTEMDESK_NOW honoured, as everywhere). */
static int today(void)
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

/* UTC ISO of the local midnight that starts day. */
static void day_start_iso(int day, char out[TD_TIME_SIZE])
{
	char ymd[16];
	time_t t;
	td_day_format(day, ymd, sizeof ymd);
	if (td_date_parse_local(ymd, &t) != 0)
		t = 0;
	td_time_format(t, out, TD_TIME_SIZE);
}

static int followup_days(const struct td_app *app)
{
	return app->cfg.followup_days > 0 ? app->cfg.followup_days : 5;
}

int td_app_queue_bounds(struct td_app *app, const struct td_query *q,
			struct td_queue_bounds *b, td_err *err)
{
	int day;

	memset(b, 0, sizeof *b);
	if (q->site[0] && !td_config_site(&app->cfg, q->site))
		return td_err_set(err, TD_EINVAL, _("site \"%s\" is not defined"),
				  q->site);
	if (td_app_own_site_only(app)) {
		if (q->site[0] && strcmp(q->site, app->me->site) != 0)
			return td_err_set(err, TD_EPERM,
				_("reception staff of %s cannot see the dossiers of %s"),
				app->me->site, q->site);
		snprintf(b->only_site, sizeof b->only_site, "%s", app->me->site);
	}
	if (q->since[0]) {
		if (td_day_parse(q->since, &day) != 0)
			return td_err_set(err, TD_EINVAL,
				_("since: \"%s\" is not a date: use YYYY-MM-DD, e.g. 2026-01-31"),
				q->since);
		day_start_iso(day, b->since);
	}
	if (q->until[0]) {
		if (td_day_parse(q->until, &day) != 0)
			return td_err_set(err, TD_EINVAL,
				_("until: \"%s\" is not a date: use YYYY-MM-DD, e.g. 2026-01-31"),
				q->until);
		/* Inclusive: up to the start of the next day. */
		day_start_iso(day + 1, b->until);
	}
	/* Overdue: the follow-up fell before today; due: on or before
	 * that day, i.e. before the next.  Both: the earlier cutoff. */
	struct td_calendar cal = calendar(app);
	if (q->overdue)
		day_start_iso(td_bizdays_cutoff(today(), followup_days(app), &cal),
			      b->cutoff);
	if (q->due[0]) {
		char iso[TD_TIME_SIZE];
		if (td_day_parse(q->due, &day) != 0)
			return td_err_set(err, TD_EINVAL,
				_("due: \"%s\" is not a date: use YYYY-MM-DD, e.g. 2026-01-31"),
				q->due);
		day_start_iso(td_bizdays_cutoff(day + 1, followup_days(app), &cal),
			      iso);
		if (!b->cutoff[0] || strcmp(iso, b->cutoff) < 0)
			memcpy(b->cutoff, iso, sizeof b->cutoff);
	}
	return TD_OK;
}

int td_app_queue_count(struct td_app *app, const struct td_query *q,
		       long max, long *n, td_err *err)
{
	struct td_queue_bounds b;
	int rc = td_app_queue_bounds(app, q, &b, err);
	*n = 0;
	return rc ? rc : td_store_list_count(app->db, q, &b, max, n, err);
}

int td_app_queue_seek(struct td_app *app, const struct td_query *q,
		      const char *anchor, enum td_seek how, int limit,
		      struct td_queue_row *rows, int *n, td_err *err)
{
	struct td_queue_bounds b;
	int rc = td_app_queue_bounds(app, q, &b, err);
	*n = 0;
	return rc ? rc : td_store_list_seek(app->db, q, &b, anchor, how, limit,
					    rows, n, err);
}

int td_app_queue_locate(struct td_app *app, const struct td_query *q,
			const char *anchor, long *pos, td_err *err)
{
	struct td_queue_bounds b;
	int rc = td_app_queue_bounds(app, q, &b, err);
	*pos = 0;
	return rc ? rc : td_store_list_locate(app->db, q, &b, anchor, pos, err);
}

void td_app_query_today(const struct td_app *app, struct td_query *q)
{
	char since[TD_TIME_SIZE], until[TD_TIME_SIZE];
	time_t t;
	struct tm tm;
	td_query_init(q);
	if (app->site)
		snprintf(q->site, sizeof q->site, "%s", app->site->code);
	td_app_today_bounds(since, until);
	if (td_time_parse(since, &t) != 0)
		t = time(NULL);
	localtime_r(&t, &tm);
	strftime(q->since, sizeof q->since, "%Y-%m-%d", &tm);
	memcpy(q->until, q->since, sizeof q->until);
}

void td_app_followup(const struct td_app *app, const char *last_action_at,
		     int status, char due[11], bool *overdue)
{
	char ymd[16];
	int day;
	struct td_calendar cal = calendar(app);

	due[0] = '\0';
	*overdue = false;
	if (!last_action_at || !*last_action_at ||
	    td_time_local(last_action_at, "%Y-%m-%d", ymd, sizeof ymd) == 0 ||
	    td_day_parse(ymd, &day) != 0)
		return;
	int d = td_bizdays_add(day, followup_days(app), &cal);
	td_day_format(d, due, 11);
	*overdue = status != TD_ST_CLOSED && status != TD_ST_ON_HOLD &&
		   d < today();
}

/* ---- bulk actions ------------------------------------------------------ */

static int need_batch(const char *const *refs, size_t n, td_err *err)
{
	if (n == 0 || !refs)
		return td_err_set(err, TD_EINVAL,
			/* No key named: keys are the interface's, and
			 * configurable. */
			_("no dossier selected: mark some first"));
	return TD_OK;
}

enum bulk { B_ASSIGN, B_STATUS, B_NOTE };

/* One batch, in one write transaction (issue 13 point 2).  seen[i]: the
 * version of refs[i] the screen showed (NULL: not checked -- notes only);
 * a dossier another desk changed since is left as it is and flagged in
 * res; the others are written.  On return seen[i] holds the version now
 * stored.  TD_ECONFLICT, nothing written, when every one of them changed;
 * a forbidden status move among the others refuses the whole batch.
 * Each dossier is read when it is needed (permission checked by
 * td_app_dossier_get), not all of them at once: 5,000 marked dossiers
 * held whole were 35 MB (docs/benchmarks.md, "Bulk actions"). */
static int bulk(struct td_app *app, enum bulk kind, const char *const *refs,
		int *seen, size_t n, const char *text, int to,
		struct td_bulk_result *res, td_err *err)
{
	struct td_bulk_result local = { 0 };
	struct td_dossier *d = NULL;
	char now[TD_TIME_SIZE];
	bool *stale = NULL;
	int *ver = NULL;
	int rc;

	if (!res)
		res = &local;
	res->written = res->nstale = 0;
	if ((rc = need_batch(refs, n, err)) ||
	    (kind != B_NOTE && (rc = td_app_may_manage_dossiers(app, err))))
		return rc;
	if (!app->me)
		return td_err_set(err, TD_EPERM,
			_("login \"%s\" is not in the configuration"), app->login);
	if (kind != B_NOTE && !seen)
		return td_err_set(err, TD_EINVAL,
			_("the versions shown are missing; nothing was changed"));
	stale = res->stale ? res->stale : calloc(n, sizeof *stale);
	ver = calloc(n, sizeof *ver);
	d = malloc(sizeof *d);
	if (!stale || !ver || !d) {
		rc = td_err_set(err, TD_ENOMEM, _("out of memory"));
		goto out;
	}
	/* Read, compare and write under the write lock: no desk can change
	 * a dossier between its check and its write. */
	td_store_now(now);
	if ((rc = td_store_begin(app->db, err)))
		goto out;
	/* First every check, so that a refusal writes nothing. */
	for (size_t i = 0; i < n; i++) {
		if ((rc = td_app_dossier_get(app, refs[i], d, err)))
			goto fail;
		ver[i] = d->version;
		stale[i] = seen && d->version != seen[i];
		res->nstale += stale[i];
		if (kind != B_STATUS || stale[i] || d->status == to ||
		    td_status_transition_ok(d->status, to))
			continue;
		rc = td_err_set(err, TD_EINVAL,
			_("%s: a dossier cannot go from \"%s\" to \"%s\"; nothing was changed"),
			d->reference, td_enum_label(&td_statuses, d->status),
			td_enum_label(&td_statuses, to));
		goto fail;
	}
	if (res->nstale == n) {
		rc = n == 1
			? td_err_set(err, TD_ECONFLICT,
				_("%s was changed at another desk since it was shown"),
				d->reference)
			: td_err_set(err, TD_ECONFLICT,
				_("all %zu dossiers were changed at another desk since they were shown; nothing was changed"),
				n);
		memcpy(seen, ver, n * sizeof *seen);
		goto fail;
	}
	for (size_t i = 0; i < n && !rc; i++) {
		if (stale[i])
			continue;
		/* Read again for its write: checked above, under this lock. */
		if ((rc = td_store_dossier_get(app->db, refs[i], d, err)))
			break;
		switch (kind) {
		case B_ASSIGN:
			if (strcmp(d->assigned_to, text) != 0)
				rc = td_store_dossier_assign(app->db, d, text,
							     app->me->login, now,
							     err);
			break;
		case B_STATUS:
			if (d->status != to)
				rc = td_store_dossier_set_status(app->db, d, to,
								 app->me->login,
								 now, err);
			break;
		case B_NOTE:
			rc = td_store_note_add(app->db, d->id, app->me->login,
					       text, now, err);
			break;
		}
		res->written += !rc;
		/* The version the next action must show: ours. */
		if (!rc && seen &&
		    !(rc = td_store_dossier_get(app->db, refs[i], d, err)))
			ver[i] = d->version;
	}
	if (rc || (rc = td_store_commit(app->db, err)))
		goto fail;
	if (seen)
		memcpy(seen, ver, n * sizeof *seen);
	goto out;
fail:
	res->written = 0;
	td_store_rollback(app->db);
out:
	if (d)
		memset(d, 0, sizeof *d);
	free(d);
	free(ver);
	if (stale != res->stale)
		free(stale);
	return rc;
}

int td_app_queue_assign(struct td_app *app, const char *const *refs,
			int *seen, size_t n, const char *login,
			struct td_bulk_result *res, td_err *err)
{
	if (!login)
		login = "";
	if (*login) {
		const struct td_user_cfg *u = td_config_user(&app->cfg, login);
		if (!u || !td_app_may_be_assigned(app, u))
			return td_err_set(err, TD_EINVAL,
				_("\"%s\" is not a mission officer or administrator of the configuration"),
				login);
	}
	return bulk(app, B_ASSIGN, refs, seen, n, login, 0, res, err);
}

int td_app_queue_set_status(struct td_app *app, const char *const *refs,
			    int *seen, size_t n, int to,
			    struct td_bulk_result *res, td_err *err)
{
	if (to < 0 || (size_t)to >= td_statuses.count)
		return td_err_set(err, TD_EINVAL, _("unknown dossier status"));
	return bulk(app, B_STATUS, refs, seen, n, NULL, to, res, err);
}

int td_app_queue_note(struct td_app *app, const char *const *refs, int *seen,
		      size_t n, const char *body, struct td_bulk_result *res,
		      td_err *err)
{
	return bulk(app, B_NOTE, refs, seen, n, body ? body : "", 0, res, err);
}

/* May a dossier at status from take part in a bulk change to to? */
static bool move_ok(int from, int to)
{
	return from == to || td_status_transition_ok(from, to);
}

int td_app_queue_moves(struct td_app *app, const char *const *refs, size_t n,
		       unsigned *offer, unsigned *blocked,
		       struct td_move_block *b, size_t max, size_t *nb,
		       td_err *err)
{
	struct td_dossier *d = NULL;
	unsigned all = 0, some = 0;
	int *status = NULL;
	int rc;

	*offer = *blocked = 0;
	*nb = 0;
	if ((rc = need_batch(refs, n, err)) ||
	    (rc = td_app_may_manage_dossiers(app, err)))
		return rc;
	/* Each dossier read in turn (permission checked), its status kept. */
	status = calloc(n, sizeof *status);
	d = malloc(sizeof *d);
	if (!status || !d) {
		rc = td_err_set(err, TD_ENOMEM, _("out of memory"));
		goto out;
	}
	for (size_t i = 0; i < n && !rc; i++)
		if (!(rc = td_app_dossier_get(app, refs[i], d, err)))
			status[i] = d->status;
	if (rc)
		goto out;
	all = (1u << td_statuses.count) - 1;
	for (size_t i = 0; i < n; i++) {
		unsigned ok = 0;
		for (size_t s = 0; s < td_statuses.count; s++)
			if (move_ok(status[i], (int)s))
				ok |= 1u << s;
		all &= ok;
		some |= ok & ~(1u << status[i]);
	}
	*offer = all & some;
	*blocked = some & ~all;
	for (size_t i = 0; i < n && *blocked; i++) {
		bool blocks = false;
		for (size_t s = 0; s < td_statuses.count; s++)
			if ((*blocked & (1u << s)) && !move_ok(status[i], (int)s))
				blocks = true;
		if (!blocks)
			continue;
		if (*nb < max) {
			snprintf(b[*nb].reference, sizeof b[*nb].reference, "%s",
				 refs[i]);
			b[*nb].status = status[i];
		}
		(*nb)++;
	}
out:
	if (d)
		memset(d, 0, sizeof *d);
	free(d);
	free(status);
	return rc;
}

int td_app_dossier_assign(struct td_app *app, const char *reference,
			  int seen, const char *login, td_err *err)
{
	const char *one[] = { reference };
	if (!login)
		login = "";
	if (*login) {
		const struct td_user_cfg *u = td_config_user(&app->cfg, login);
		if (!u || !td_app_may_be_assigned(app, u))
			return td_err_set(err, TD_EINVAL,
				_("\"%s\" is not a mission officer or administrator of the configuration"),
				login);
	}
	return bulk(app, B_ASSIGN, one, &seen, 1, login, 0, NULL, err);
}

int td_app_dossier_set_status(struct td_app *app, const char *reference,
			      int seen, int to, td_err *err)
{
	const char *one[] = { reference };
	if (to < 0 || (size_t)to >= td_statuses.count)
		return td_err_set(err, TD_EINVAL, _("unknown dossier status"));
	return bulk(app, B_STATUS, one, &seen, 1, NULL, to, NULL, err);
}

int td_app_dossier_edit(struct td_app *app, const char *reference,
			const struct td_intake *rec, int version,
			struct td_intake_check *res, td_err *err)
{
	struct td_intake_check local;
	struct td_dossier *d;
	char now[TD_TIME_SIZE];
	int rc;

	if (!res)
		res = &local;
	if (!app->me)
		return td_err_set(err, TD_EPERM,
			_("login \"%s\" is not in the configuration"), app->login);
	d = calloc(1, sizeof *d);
	if (!d)
		return td_err_set(err, TD_ENOMEM, _("out of memory"));
	if ((rc = td_app_dossier_get(app, reference, d, err)))
		goto out;
	if (d->version != version) {
		rc = td_err_set(err, TD_ECONFLICT,
			_("%s was changed at another desk since it was shown"),
			d->reference);
		goto out;
	}
	/* The consent is the holder's, given at the desk: an edit keeps it. */
	struct td_intake in = *rec, old = d->v;
	in.consent = d->v.consent;
	if (td_intake_check(&in, app->cfg.required_extra, &d->v, res) > 0) {
		const struct td_field_def *f = &td_fields[res->first_bad];
		rc = td_err_set(err, TD_EINVAL, "%s: %s", _(f->label),
				td_vcode_message(res->code[res->first_bad]));
		goto out;
	}
	d->version = version;
	td_store_now(now);
	rc = td_store_dossier_update(app->db, d, &old, app->me->login, now,
				     err);
out:
	free(d);
	return rc;
}

/* ---- saved filters ----------------------------------------------------- */

static int filter_name_ok(const char *name, td_err *err)
{
	size_t n = name ? strlen(name) : 0;
	if (n == 0 || n > 40)
		return td_err_set(err, TD_EINVAL,
			_("a filter name needs 1 to 40 characters"));
	return TD_OK;
}

int td_app_filter_save(struct td_app *app, const char *name,
		       const struct td_query *q, td_err *err)
{
	char spec[1024], now[TD_TIME_SIZE];
	int rc = filter_name_ok(name, err);
	if (rc)
		return rc;
	if (td_query_format(q, spec, sizeof spec) < 0)
		return td_err_set(err, TD_EINVAL, _("the filter is too long to save"));
	td_store_now(now);
	return td_store_filter_save(app->db, app->login, name, spec, now, err);
}

int td_app_filter_delete(struct td_app *app, const char *name, td_err *err)
{
	char now[TD_TIME_SIZE];
	td_store_now(now);
	return td_store_filter_delete(app->db, app->login, name, now, err);
}

int td_app_filter_list(struct td_app *app,
		       int (*cb)(const char *name, const char *spec, void *ctx),
		       void *ctx, td_err *err)
{
	return td_store_filter_list(app->db, app->login, cb, ctx, err);
}

const char *td_app_action_label(const char *code)
{
	static const struct {
		const char *code, *label;
	} labels[] = {
		{ "create", N_("registered") },
		{ "status", N_("status changed") },
		{ "note", N_("note") },
		{ "assign", N_("assigned") },
		{ "edit", N_("edited") },
		{ "referral", N_("referral") },
		{ "import", N_("imported") },
		{ "dup_dismiss", N_("marked not a duplicate") },
		{ "field", N_("changed") },
		{ "erase", N_("personal data erased") },
		{ "consent_withdraw", N_("consent withdrawn") },
		{ "access_export", N_("access export") },
		{ "export", N_("export") },
		{ "purge", N_("retention purge") },
	};
	for (size_t i = 0; code && i < sizeof labels / sizeof labels[0]; i++)
		if (strcmp(labels[i].code, code) == 0)
			return _(labels[i].label);
	return code ? code : "";
}
