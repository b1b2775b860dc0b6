/* Referrals: a dossier sent to a partner, its status and follow-up. */
#include "store_int.h"
#include "totemdesk/i18n.h"
#include "totemdesk/referral.h"
#include "store/referral.h"

#include <stdio.h>
#include <string.h>

#define REFERRAL_COLUMNS \
	"SELECT r.id, r.dossier_id, d.reference, r.partner_id, p.name," \
	" r.status, r.created_at, r.updated_at, r.status_at," \
	" coalesce(r.followup_on, ''), r.created_by, r.outcome, r.reason," \
	" r.version" \
	" FROM referral r JOIN dossier d ON d.id = r.dossier_id" \
	" JOIN partner p ON p.id = r.partner_id"

#define COPY(i, field) store_col_copy(st, (i), (field), sizeof(field))

static void read_referral(sqlite3_stmt *st, struct td_referral *r)
{
	memset(r, 0, sizeof *r);
	COPY(0, r->id);
	COPY(1, r->dossier_id);
	COPY(2, r->reference);
	COPY(3, r->partner_id);
	COPY(4, r->partner_name);
	int s = td_enum_find(&td_referral_statuses,
			     (const char *)sqlite3_column_text(st, 5));
	r->status = s < 0 ? TD_RS_PROPOSED : s;
	COPY(6, r->created_at);
	COPY(7, r->updated_at);
	COPY(8, r->status_at);
	COPY(9, r->followup_on);
	COPY(10, r->created_by);
	COPY(11, r->outcome);
	COPY(12, r->reason);
	r->version = sqlite3_column_int(st, 13);
}

static int prepare(td_db *db, const char *sql, sqlite3_stmt **st,
		   const char *what, td_err *err)
{
	int rc = sqlite3_prepare_v2(db->h, sql, -1, st, NULL);
	if (rc != SQLITE_OK) {
		*st = NULL;
		return store_fail(db, rc, err, what);
	}
	return TD_OK;
}

int td_store_referral_insert(td_db *db, const struct td_referral *r,
			     td_err *err)
{
	const char *what = _("cannot save the referral");
	sqlite3_stmt *st;
	int code = prepare(db,
		"INSERT INTO referral(id, dossier_id, partner_id, status,"
		" status_at, created_by, followup_on, outcome, reason,"
		" created_at, updated_at, version, deleted)"
		" VALUES(?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?10, 1, 0)",
		&st, what, err);
	if (code != TD_OK)
		return code;
	store_bind_text(st, 1, r->id);
	store_bind_text(st, 2, r->dossier_id);
	store_bind_text(st, 3, r->partner_id);
	store_bind_text(st, 4, td_enum_code(&td_referral_statuses, r->status));
	store_bind_text(st, 5, r->status_at[0] ? r->status_at : r->created_at);
	store_bind_opt(st, 6, r->created_by);
	store_bind_opt(st, 7, r->followup_on);
	store_bind_opt(st, 8, r->outcome);
	store_bind_opt(st, 9, r->reason);
	store_bind_text(st, 10, r->created_at);
	int rc = sqlite3_step(st);
	if (rc == SQLITE_CONSTRAINT_FOREIGNKEY)
		code = td_err_set(err, TD_ENOTFOUND,
			_("%s: the dossier or the partner does not exist"), what);
	else if (rc != SQLITE_DONE)
		code = store_fail(db, rc, err, what);
	sqlite3_finalize(st);
	return code;
}

int td_store_referral_get(td_db *db, const char *id, struct td_referral *out,
			  td_err *err)
{
	sqlite3_stmt *st;
	int code = prepare(db, REFERRAL_COLUMNS
			   " WHERE r.id = ?1 AND r.deleted = 0", &st,
			   _("cannot read the referral"), err);
	memset(out, 0, sizeof *out);
	if (code != TD_OK)
		return code;
	store_bind_text(st, 1, id);
	int rc = sqlite3_step(st);
	if (rc == SQLITE_ROW)
		read_referral(st, out);
	else if (rc == SQLITE_DONE)
		code = td_err_set(err, TD_ENOTFOUND,
			_("no referral %s; list them with: totemdesk referral list"),
			id ? id : "");
	else
		code = store_fail(db, rc, err, _("cannot read the referral"));
	sqlite3_finalize(st);
	return code;
}

int td_store_referral_update(td_db *db, const struct td_referral *r,
			     td_err *err)
{
	const char *what = _("cannot save the referral");
	sqlite3_stmt *st;
	int code = prepare(db,
		"UPDATE referral SET status = ?2, status_at = ?3,"
		" followup_on = ?4, outcome = ?5, updated_at = ?6,"
		" version = version + 1 WHERE id = ?1 AND version = ?7"
		" AND deleted = 0",
		&st, what, err);
	if (code != TD_OK)
		return code;
	store_bind_text(st, 1, r->id);
	store_bind_text(st, 2, td_enum_code(&td_referral_statuses, r->status));
	store_bind_text(st, 3, r->status_at);
	store_bind_opt(st, 4, r->followup_on);
	store_bind_opt(st, 5, r->outcome);
	store_bind_text(st, 6, r->updated_at[0] ? r->updated_at : r->status_at);
	sqlite3_bind_int(st, 7, r->version);
	int rc = sqlite3_step(st);
	if (rc != SQLITE_DONE)
		code = store_fail(db, rc, err, what);
	else if (sqlite3_changes(db->h) == 0)
		code = td_err_set(err, TD_ECONFLICT,
			_("%s: it was changed at another desk meanwhile or no longer exists"),
			what);
	sqlite3_finalize(st);
	return code;
}

int td_store_referral_each(td_db *db, const char *dossier_id,
			   const char *site, const char *due,
			   int (*cb)(const struct td_referral *r, void *ctx),
			   void *ctx, td_err *err)
{
	struct td_referral r;
	sqlite3_stmt *st;
	const char *sql;
	int rc, ret = 0;

	if (dossier_id)
		sql = REFERRAL_COLUMNS " WHERE r.dossier_id = ?1 AND r.deleted = 0"
		      " ORDER BY r.created_at, r.id";
	else if (due)
		sql = REFERRAL_COLUMNS " WHERE r.deleted = 0"
		      " AND r.status IN ('proposed', 'sent', 'meeting')"
		      " AND r.followup_on IS NOT NULL AND r.followup_on <= ?2"
		      " AND (?3 IS NULL OR d.site_code = ?3)"
		      " ORDER BY r.followup_on, r.id";
	else
		sql = REFERRAL_COLUMNS " WHERE r.deleted = 0"
		      " AND (?3 IS NULL OR d.site_code = ?3)"
		      " ORDER BY d.reference, r.created_at, r.id";
	int code = prepare(db, sql, &st, _("cannot read the referrals"), err);
	if (code != TD_OK)
		return code;
	if (dossier_id)
		store_bind_text(st, 1, dossier_id);
	else if (due)
		store_bind_text(st, 2, due);
	if (!dossier_id)
		store_bind_opt(st, 3, site);
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		read_referral(st, &r);
		ret = cb(&r, ctx);
		if (ret != 0)
			break;
	}
	if (ret == 0 && rc != SQLITE_DONE)
		ret = store_fail(db, rc, err, _("cannot read the referrals"));
	sqlite3_finalize(st);
	return ret;
}

int td_store_dossier_mark_referred(td_db *db, const char *dossier_id,
				   const char *at, bool *changed, td_err *err)
{
	sqlite3_stmt *st;
	*changed = false;
	int code = prepare(db,
		"UPDATE dossier SET status = 'referred', updated_at = ?2,"
		" version = version + 1 WHERE id = ?1 AND deleted = 0"
		" AND status IN ('new', 'triaged', 'on_hold')",
		&st, _("cannot change the dossier status"), err);
	if (code != TD_OK)
		return code;
	store_bind_text(st, 1, dossier_id);
	store_bind_text(st, 2, at);
	int rc = sqlite3_step(st);
	if (rc != SQLITE_DONE)
		code = store_fail(db, rc, err,
				  _("cannot change the dossier status"));
	else
		*changed = sqlite3_changes(db->h) > 0;
	sqlite3_finalize(st);
	return code;
}
