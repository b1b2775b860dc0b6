/* Drafts: the intake form in progress, one per login and site
 * (migration_10.c says why).  Rare writes (a field left, a dropped line),
 * so the statements are prepared each time rather than cached. */
#include "store/draft.h"
#include "store_int.h"

#include "totemdesk/i18n.h"

#include <string.h>

static int run(td_db *db, const char *sql, const char *a, const char *b,
	       const char *what, td_err *err)
{
	sqlite3_stmt *st;
	int rc = sqlite3_prepare_v2(db->h, sql, -1, &st, NULL);
	if (rc != SQLITE_OK)
		return store_fail(db, rc, err, what);
	store_bind_text(st, 1, a);
	if (b)
		store_bind_text(st, 2, b);
	rc = sqlite3_step(st);
	int code = rc == SQLITE_DONE ? TD_OK : store_fail(db, rc, err, what);
	sqlite3_finalize(st);
	return code;
}

int td_store_draft_drop(td_db *db, const char *login, const char *site,
			td_err *err)
{
	return run(db, "DELETE FROM draft WHERE login = ?1 AND site_code = ?2",
		   login, site, _("cannot drop the draft"), err);
}

static int put_fields(td_db *db, const char *login, const char *site,
		      const char *started_at, const struct td_intake *rec,
		      td_err *err)
{
	const char *what = _("cannot keep the form in progress as a draft");
	char now[TD_TIME_SIZE];
	td_store_now(now);
	sqlite3_stmt *st = NULL;
	int rc = sqlite3_prepare_v2(db->h,
		"INSERT INTO draft(login, site_code, started_at, saved_at)"
		" VALUES(?1, ?2, ?3, ?4) ON CONFLICT(login, site_code)"
		" DO UPDATE SET saved_at = excluded.saved_at", -1, &st, NULL);
	if (rc != SQLITE_OK)
		return store_fail(db, rc, err, what);
	store_bind_text(st, 1, login);
	store_bind_text(st, 2, site);
	store_bind_text(st, 3, started_at && *started_at ? started_at : now);
	store_bind_text(st, 4, now);
	rc = sqlite3_step(st);
	sqlite3_finalize(st);
	if (rc != SQLITE_DONE)
		return store_fail(db, rc, err, what);
	int code = run(db, "DELETE FROM draft_field WHERE login = ?1"
		       " AND site_code = ?2", login, site, what, err);
	if (code != TD_OK)
		return code;
	rc = sqlite3_prepare_v2(db->h,
		"INSERT INTO draft_field(login, site_code, field, value)"
		" VALUES(?1, ?2, ?3, ?4)", -1, &st, NULL);
	if (rc != SQLITE_OK)
		return store_fail(db, rc, err, what);
	for (int f = 0; f < TD_F_COUNT && code == TD_OK; f++) {
		char v[TD_DESC_MAX * 4 + 64];
		if (td_field_code(rec, (enum td_field_id)f, v, sizeof v) <= 0)
			continue;  /* empty (or, impossibly, too long) */
		if (td_fields[f].kind == TD_FK_CHECK && strcmp(v, "0") == 0)
			continue;
		store_bind_text(st, 1, login);
		store_bind_text(st, 2, site);
		store_bind_text(st, 3, td_fields[f].name);
		store_bind_text(st, 4, v);
		rc = sqlite3_step(st);
		if (rc != SQLITE_DONE)
			code = store_fail(db, rc, err, what);
		sqlite3_reset(st);
		sqlite3_clear_bindings(st);
	}
	sqlite3_finalize(st);
	return code;
}

int td_store_draft_put(td_db *db, const char *login, const char *site,
		       const char *started_at, const struct td_intake *rec,
		       td_err *err)
{
	if (td_intake_is_blank(rec))
		return td_store_draft_drop(db, login, site, err);
	bool nested;
	int code = store_tx_begin(db, &nested, err);
	if (code != TD_OK)
		return code;
	code = put_fields(db, login, site, started_at, rec, err);
	return store_tx_end(db, nested, code, err);
}

int td_store_draft_get(td_db *db, const char *login, const char *site,
		       struct td_intake *rec, char started_at[TD_TIME_SIZE],
		       bool *found, td_err *err)
{
	const char *what = _("cannot read the draft");
	sqlite3_stmt *st;
	memset(rec, 0, sizeof *rec);
	started_at[0] = '\0';
	*found = false;
	int rc = sqlite3_prepare_v2(db->h,
		"SELECT d.started_at, f.field, f.value FROM draft d"
		" LEFT JOIN draft_field f ON f.login = d.login"
		" AND f.site_code = d.site_code"
		" WHERE d.login = ?1 AND d.site_code = ?2", -1, &st, NULL);
	if (rc != SQLITE_OK)
		return store_fail(db, rc, err, what);
	store_bind_text(st, 1, login);
	store_bind_text(st, 2, site);
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		*found = true;
		store_col_copy(st, 0, started_at, TD_TIME_SIZE);
		const char *name = (const char *)sqlite3_column_text(st, 1);
		int f = name ? td_field_find(name) : -1;
		if (f >= 0)
			(void)td_field_set_code(rec, (enum td_field_id)f,
					(const char *)sqlite3_column_text(st, 2));
	}
	int code = rc == SQLITE_DONE ? TD_OK : store_fail(db, rc, err, what);
	sqlite3_finalize(st);
	return code;
}

int td_store_draft_purge(td_db *db, const char *before, int *n, td_err *err)
{
	int code = run(db, "DELETE FROM draft WHERE saved_at < ?1", before,
		       NULL, _("cannot purge the old drafts"), err);
	if (n)
		*n = code == TD_OK ? sqlite3_changes(db->h) : 0;
	return code;
}
