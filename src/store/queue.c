/* Changes made from the mission officers' queue -- assign, status, edit
 * -- and saved filters.  The listing itself is store/list.c. */
#include "rows.h"
#include "totemdesk/domain.h"
#include "totemdesk/dup.h"
#include "totemdesk/i18n.h"
#include "totemdesk/query.h"
#include "store/dup.h"

#include <stdio.h>
#include <string.h>

/* ---- changes ----------------------------------------------------------- */

static bool blank(const char *s)
{
	return !s || !*s;
}

static int exec_bound(td_db *db, const char *sql, const char *const *vals,
		      int nvals, int *changes, const char *what, td_err *err)
{
	sqlite3_stmt *st;
	int rc = sqlite3_prepare_v2(db->h, sql, -1, &st, NULL);
	if (rc != SQLITE_OK)
		return store_fail(db, rc, err, what);
	for (int i = 0; i < nvals; i++)
		store_bind_opt(st, i + 1, vals[i]);
	rc = sqlite3_step(st);
	int code = rc == SQLITE_DONE ? TD_OK : store_fail(db, rc, err, what);
	if (changes)
		*changes = sqlite3_changes(db->h);
	sqlite3_finalize(st);
	return code;
}

int td_store_dossier_assign(td_db *db, const struct td_dossier *d,
			    const char *login, const char *actor,
			    const char *at, td_err *err)
{
	static const char sql[] =
		"UPDATE dossier SET assigned_to = ?1, updated_at = ?2"
		" WHERE id = ?3 AND deleted = 0";
	char detail[160];
	bool nested;
	int n = 0, code = store_tx_begin(db, &nested, err);
	if (code)
		return code;
	const char *v[] = { login, at, d->id };
	code = exec_bound(db, sql, v, 3, &n, _("cannot assign the dossier"), err);
	if (!code && n == 0)
		code = td_err_set(err, TD_ENOTFOUND,
			_("dossier %s no longer exists"), d->reference);
	snprintf(detail, sizeof detail, "%s -> %s",
		 d->assigned_to[0] ? d->assigned_to : "-",
		 !blank(login) ? login : "-");
	if (!code)
		code = td_store_audit(db, at, actor, "assign", "dossier", d->id,
				      d->id, detail, err);
	return store_tx_end(db, nested, code, err);
}

int td_store_dossier_set_status(td_db *db, const struct td_dossier *d, int to,
				const char *actor, const char *at, td_err *err)
{
	/* The old status in the WHERE: if another desk changed it since d
	 * was read, nothing is written and the caller is told. */
	static const char sql[] =
		"UPDATE dossier SET status = ?1, updated_at = ?2"
		" WHERE id = ?3 AND status = ?4 AND deleted = 0";
	char detail[160];
	bool nested;
	int n = 0, code = store_tx_begin(db, &nested, err);
	if (code)
		return code;
	const char *from = td_enum_code(&td_statuses, d->status);
	const char *v[] = { td_enum_code(&td_statuses, to), at, d->id, from };
	code = exec_bound(db, sql, v, 4, &n, _("cannot change the status"), err);
	if (!code && n == 0)
		code = td_err_set(err, TD_EBUSY,
			_("dossier %s was changed at another desk; look at it again"),
			d->reference);
	snprintf(detail, sizeof detail, "%s -> %s", from, v[0]);
	if (!code)
		code = td_store_audit(db, at, actor, "status", "dossier", d->id,
				      d->id, detail, err);
	return store_tx_end(db, nested, code, err);
}

/* "UPDATE <table> SET <editable fields of g> = ?1.., updated_at = ?n
 * WHERE id = ?n+1 AND deleted = 0" (and, for the dossier, the version
 * the editor read: ?n+2), built once from the field table into b. */
static const char *update_sql(struct store_sql *b, enum td_field_group g,
			      int *nfields)
{
	int n = 0;

	for (int f = 0; f < TD_F_COUNT; f++)
		n += td_fields[f].group == g &&
		     !(td_fields[f].flags & TD_FF_FIXED);
	*nfields = n;
	if (b->n)
		return b->s;
	store_sql_add(b, "UPDATE ");
	store_sql_add(b, store_field_table(g));
	store_sql_add(b, " SET ");
	n = 0;
	for (int f = 0; f < TD_F_COUNT; f++) {
		if (td_fields[f].group != g || (td_fields[f].flags & TD_FF_FIXED))
			continue;
		store_sql_add(b, td_fields[f].column);
		store_sql_add(b, " = ");
		store_sql_param(b, "", ++n);
		store_sql_add(b, ", ");
	}
	store_sql_add(b, "updated_at = ");
	store_sql_param(b, "", n + 1);
	store_sql_add(b, " WHERE id = ");
	store_sql_param(b, "", n + 2);
	if (g == TD_FG_PROJECT) {
		store_sql_add(b, " AND version = ");
		store_sql_param(b, "", n + 3);
	}
	store_sql_add(b, " AND deleted = 0");
	return b->s;
}

/* Write the editable fields of group g of d. */
static int update_group(td_db *db, const struct td_dossier *d,
			enum td_field_group g, const char *at, int *changes,
			td_err *err)
{
	static struct store_sql sql[2];
	sqlite3_stmt *st;
	int n, k = 1;
	const char *text = update_sql(&sql[g == TD_FG_PROJECT], g, &n);
	int rc = sqlite3_prepare_v2(db->h, text, -1, &st, NULL);

	if (rc != SQLITE_OK)
		return store_fail(db, rc, err, _("cannot save the dossier"));
	for (int f = 0; f < TD_F_COUNT; f++)
		if (td_fields[f].group == g && !(td_fields[f].flags & TD_FF_FIXED))
			store_bind_field(st, k++, &d->v, (enum td_field_id)f);
	store_bind_text(st, n + 1, at);
	store_bind_text(st, n + 2, g == TD_FG_PROJECT ? d->id : d->holder_id);
	if (g == TD_FG_PROJECT)
		sqlite3_bind_int(st, n + 3, d->version);
	rc = sqlite3_step(st);
	int code = rc == SQLITE_DONE ? TD_OK
		: store_fail(db, rc, err, _("cannot save the dossier"));
	if (changes)
		*changes = sqlite3_changes(db->h);
	sqlite3_finalize(st);
	return code;
}

/* One row of field_change per field whose stored code differs between
 * old and d->v; the changed fields' names, ", "-joined, into names (the
 * audit's detail: names only, never values). */
static int record_changes(td_db *db, const struct td_dossier *d,
			  const struct td_intake *old, const char *actor,
			  const char *at, char *names, size_t namesz,
			  td_err *err)
{
	static const char sql[] =
		"INSERT INTO field_change(dossier_id, field, old_value,"
		" new_value, actor, at) VALUES(?1, ?2, ?3, ?4, ?5, ?6)";
	char a[TD_DESC_MAX * 4 + 1], b[TD_DESC_MAX * 4 + 1];
	size_t o = 0;
	int code = TD_OK;

	names[0] = '\0';
	for (int f = 0; f < TD_F_COUNT && !code; f++) {
		if (td_fields[f].flags & TD_FF_FIXED)
			continue;
		if (td_field_code(old, (enum td_field_id)f, a, sizeof a) < 0)
			a[0] = '\0';
		if (td_field_code(&d->v, (enum td_field_id)f, b, sizeof b) < 0)
			b[0] = '\0';
		if (strcmp(a, b) == 0)
			continue;
		const char *v[] = { d->id, td_fields[f].name, a, b, actor, at };
		code = exec_bound(db, sql, v, 6, NULL,
				  _("cannot save the dossier"), err);
		int n = snprintf(names + o, namesz - o, "%s%s", o ? ", " : "",
				 td_fields[f].name);
		if (n > 0 && (size_t)n < namesz - o)
			o += (size_t)n;
	}
	return code;
}

int td_store_dossier_update(td_db *db, const struct td_dossier *d,
			    const struct td_intake *old, const char *actor,
			    const char *at, td_err *err)
{
	char names[TD_F_COUNT * 16];
	bool nested;
	int n = 0, code, bad;

	names[0] = '\0';
	if ((bad = store_fields_bad(&d->v)) >= 0)
		return td_err_set(err, TD_EINVAL,
			_("cannot save the dossier: the value of %s is not one of its codes"),
			td_fields[bad].name);
	if ((code = store_tx_begin(db, &nested, err)))
		return code;
	code = update_group(db, d, TD_FG_PROJECT, at, &n, err);
	if (!code && n == 0)
		code = td_err_set(err, TD_EBUSY,
			_("dossier %s was changed at another desk; open it again"),
			d->reference);
	if (!code)
		code = update_group(db, d, TD_FG_HOLDER, at, NULL, err);
	/* The duplicate check must find the holder under the new name,
	 * e-mail, phone or SIRET, and no longer under the old ones. */
	if (!code)
		code = td_store_dup_index(db, d->holder_id, err);
	if (!code && old)
		code = record_changes(db, d, old, actor, at, names,
				      sizeof names, err);
	if (!code)
		code = td_store_audit(db, at, actor, "edit", "dossier", d->id,
				      d->id, names, err);
	return store_tx_end(db, nested, code, err);
}

/* ---- saved filters ------------------------------------------------------ */

int td_store_filter_save(td_db *db, const char *owner, const char *name,
			 const char *spec, const char *at, td_err *err)
{
	static const char sql[] =
		"INSERT INTO saved_filter(id, owner, name, spec, created_at,"
		" updated_at, version, deleted)"
		" VALUES(?1, ?2, ?3, coalesce(?4, ''), ?5, ?5, 1, 0)"
		" ON CONFLICT(owner, name) DO UPDATE SET spec = excluded.spec,"
		" updated_at = excluded.updated_at, deleted = 0,"
		" version = version + 1";
	char id[TD_ID_SIZE];
	/* Saved filters are personal, not a site's: key them on "USR". */
	int code = td_store_new_id("USR", id, err);
	if (code)
		return code;
	const char *v[] = { id, owner, name, spec, at };
	return exec_bound(db, sql, v, 5, NULL, _("cannot save the filter"), err);
}

int td_store_filter_delete(td_db *db, const char *owner, const char *name,
			   const char *at, td_err *err)
{
	static const char sql[] =
		"UPDATE saved_filter SET deleted = 1, updated_at = ?3,"
		" version = version + 1 WHERE owner = ?1 AND name = ?2";
	const char *v[] = { owner, name, at };
	return exec_bound(db, sql, v, 3, NULL, _("cannot delete the filter"),
			  err);
}

int td_store_filter_list(td_db *db, const char *owner,
			 int (*cb)(const char *name, const char *spec, void *ctx),
			 void *ctx, td_err *err)
{
	static const char sql[] =
		"SELECT name, spec FROM saved_filter WHERE owner = ?1"
		" AND deleted = 0 ORDER BY created_at, name";
	sqlite3_stmt *st;
	int rc = sqlite3_prepare_v2(db->h, sql, -1, &st, NULL), ret = 0;
	if (rc != SQLITE_OK)
		return store_fail(db, rc, err, _("cannot read the saved filters"));
	store_bind_text(st, 1, owner);
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		const char *n = (const char *)sqlite3_column_text(st, 0);
		const char *s = (const char *)sqlite3_column_text(st, 1);
		if ((ret = cb(n ? n : "", s ? s : "", ctx)) != 0)
			break;
	}
	if (ret == 0 && rc != SQLITE_DONE)
		ret = store_fail(db, rc, err, _("cannot read the saved filters"));
	sqlite3_finalize(st);
	return ret;
}
