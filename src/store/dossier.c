/* Dossiers and their holders, notes, the audit log and the timeline. */
#include "rows.h"
#include "totemdesk/domain.h"
#include "totemdesk/dup.h"
#include "totemdesk/i18n.h"
#include "store/dup.h"

#include <stdio.h>
#include <string.h>

/* ---- insert ------------------------------------------------------------ */

static bool blank(const char *s)
{
	return !s || !*s;
}

/* An insert binds the record's own columns of the table as ?1..?own,
 * then the fields of the table's group, in table order. */
#define HOLDER_OWN 6
#define DOSSIER_OWN 9

/* "INSERT INTO <table>(<own>, <fields of g>, version, deleted)
 * VALUES(?1, ..., 1, 0)", built once from the field table into b. */
static const char *insert_sql(struct store_sql *b, enum td_field_group g,
			      const char *own, int nown)
{
	int n = nown;

	if (b->n)
		return b->s;
	store_sql_add(b, "INSERT INTO ");
	store_sql_add(b, store_field_table(g));
	store_sql_add(b, "(");
	store_sql_add(b, own);
	for (int f = 0; f < TD_F_COUNT; f++)
		if (td_fields[f].group == g) {
			store_sql_add(b, ", ");
			store_sql_add(b, td_fields[f].column);
			n++;
		}
	store_sql_add(b, ", version, deleted) VALUES(");
	for (int i = 1; i <= n; i++) {
		store_sql_param(b, "", i);
		store_sql_add(b, ", ");
	}
	store_sql_add(b, "1, 0)");
	return b->s;
}

/* Bind the fields of group g from parameter first on. */
static void bind_group(sqlite3_stmt *st, int first, const struct td_intake *v,
		       enum td_field_group g)
{
	for (int f = 0; f < TD_F_COUNT; f++)
		if (td_fields[f].group == g)
			store_bind_field(st, first++, v, (enum td_field_id)f);
}

static int insert_holder(td_db *db, const struct td_dossier *d,
			 const char *updated, const char *what, td_err *err)
{
	static struct store_sql sql;
	sqlite3_stmt *st;
	int code = store_stmt_get(db, SS_HOLDER_INSERT,
		insert_sql(&sql, TD_FG_HOLDER, "id, site_code, consent_at,"
			   " consent_version, created_at, updated_at",
			   HOLDER_OWN), &st, err);
	if (code != TD_OK)
		return code;
	store_bind_text(st, 1, d->holder_id);
	store_bind_text(st, 2, d->site);
	store_bind_opt(st, 3, d->consent_at);
	store_bind_opt(st, 4, d->consent_version);
	store_bind_text(st, 5, d->created_at);
	store_bind_text(st, 6, updated);
	bind_group(st, HOLDER_OWN + 1, &d->v, TD_FG_HOLDER);
	int rc = sqlite3_step(st);
	if (rc == SQLITE_CONSTRAINT_FOREIGNKEY)
		code = td_err_set(err, TD_EINVAL,
			_("%s: site %s is not declared in the database; check the configuration"),
			what, d->site);
	else if (rc != SQLITE_DONE)
		code = store_fail(db, rc, err, what);
	store_stmt_put(db, SS_HOLDER_INSERT, st);
	return code;
}

static int insert_dossier(td_db *db, const struct td_dossier *d,
			  const char *updated, const char *what, td_err *err)
{
	static struct store_sql sql;
	sqlite3_stmt *st;
	int code = store_stmt_get(db, SS_DOSSIER_INSERT,
		insert_sql(&sql, TD_FG_PROJECT, "id, reference, holder_id,"
			   " site_code, status, created_by, assigned_to,"
			   " created_at, updated_at", DOSSIER_OWN), &st, err);
	if (code != TD_OK)
		return code;
	store_bind_text(st, 1, d->id);
	store_bind_text(st, 2, d->reference);
	store_bind_text(st, 3, d->holder_id);
	store_bind_text(st, 4, d->site);
	store_bind_text(st, 5, td_enum_code(&td_statuses, d->status));
	store_bind_opt(st, 6, d->created_by);
	store_bind_opt(st, 7, d->assigned_to);
	store_bind_text(st, 8, d->created_at);
	store_bind_text(st, 9, updated);
	bind_group(st, DOSSIER_OWN + 1, &d->v, TD_FG_PROJECT);
	int rc = sqlite3_step(st);
	if (rc == SQLITE_CONSTRAINT_UNIQUE)
		code = td_err_set(err, TD_EEXIST,
			_("%s: the reference is already used; try again to get a new one"),
			what);
	else if (rc != SQLITE_DONE)
		code = store_fail(db, rc, err, what);
	store_stmt_put(db, SS_DOSSIER_INSERT, st);
	return code;
}

int td_store_dossier_insert(td_db *db, const struct td_dossier *d, td_err *err)
{
	char what[128];
	bool nested;
	int code, bad;

	if (blank(d->id) || blank(d->holder_id) || blank(d->reference) ||
	    blank(d->created_at))
		return td_err_set(err, TD_EINVAL,
			_("cannot save a dossier without id, holder id, reference and creation time"));
	snprintf(what, sizeof what, _("cannot save dossier %s"), d->reference);
	if (!store_site_code_ok(d->site))
		return td_err_set(err, TD_EINVAL,
			_("%s: site code \"%s\" is not three capital letters"),
			what, d->site);
	if (d->status < 0 || (size_t)d->status >= td_statuses.count)
		return td_err_set(err, TD_EINVAL, _("%s: unknown status"), what);
	if ((bad = store_fields_bad(&d->v)) >= 0)
		return td_err_set(err, TD_EINVAL,
			_("%s: the value of %s is not one of its codes"), what,
			td_fields[bad].name);

	const char *updated = blank(d->updated_at) ? d->created_at : d->updated_at;
	code = store_tx_begin(db, &nested, err);
	if (code != TD_OK)
		return code;
	code = insert_holder(db, d, updated, what, err);
	if (code == TD_OK)
		code = insert_dossier(db, d, updated, what, err);
	/* Every holder insert path comes through here: keep the duplicate
	 * check's keys in step (dup.h). */
	if (code == TD_OK) {
		struct td_dup_person p = { .last_name = d->v.last_name,
			.first_name = d->v.first_name, .email = d->v.email,
			.phone = d->v.phone, .postcode = d->v.postcode,
			.title = d->v.title, .siret = d->v.siret };
		code = td_store_dup_index_person(db, d->holder_id, &p, err);
	}
	return store_tx_end(db, nested, code, err);
}

/* ---- reading ----------------------------------------------------------- */

/* Full records by reference: built once from the one row reader's
 * select list (rows.c). */
static const char *dossier_get_sql(void)
{
	static struct store_sql b;
	if (!b.n) {
		store_sql_add(&b, "SELECT ");
		store_dossier_select(&b);
		store_sql_add(&b, " FROM dossier d JOIN holder h ON h.id = d.holder_id"
			      " WHERE d.reference = ?1 AND d.deleted = 0");
	}
	return b.s;
}

int td_store_dossier_get(td_db *db, const char *reference,
			 struct td_dossier *out, td_err *err)
{
	sqlite3_stmt *st;
	int code, rc;

	memset(out, 0, sizeof *out);
	if (blank(reference))
		return td_err_set(err, TD_EINVAL,
			_("no dossier reference given; type one such as MET-2026-0042"));
	code = store_stmt_get(db, SS_DOSSIER_GET, dossier_get_sql(), &st, err);
	if (code != TD_OK)
		return code;
	store_bind_text(st, 1, reference);
	rc = sqlite3_step(st);
	if (rc == SQLITE_ROW)
		store_dossier_read(st, out);
	else if (rc == SQLITE_DONE)
		code = td_err_set(err, TD_ENOTFOUND,
			_("no dossier %s; check the reference"), reference);
	else
		code = store_fail(db, rc, err, _("cannot read the dossier"));
	store_stmt_put(db, SS_DOSSIER_GET, st);
	return code;
}

/* ---- audit, notes, timeline -------------------------------------------- */

static const char audit_sql[] =
	"INSERT INTO audit(at, actor, action, entity, entity_id, dossier_id,"
	" detail) VALUES(?1, ?2, ?3, ?4, ?5, ?6, ?7)";

int td_store_audit(td_db *db, const char *at, const char *actor,
		   const char *action, const char *entity, const char *entity_id,
		   const char *dossier_id, const char *detail, td_err *err)
{
	char now[TD_TIME_SIZE];
	sqlite3_stmt *st;
	int code, rc;

	if (blank(action))
		return td_err_set(err, TD_EINVAL,
			_("cannot write an audit entry without an action"));
	if (blank(at)) {
		td_store_now(now);
		at = now;
	}
	/* An entry written on its own (an export's) still gets a write
	 * transaction of its own, so that the exchange captures it and the
	 * other sites' logs hold it too (sync.c). */
	bool nested;
	code = store_tx_begin(db, &nested, err);
	if (code != TD_OK)
		return code;
	code = store_stmt_get(db, SS_AUDIT_INSERT, audit_sql, &st, err);
	if (code != TD_OK)
		return store_tx_end(db, nested, code, err);
	store_bind_text(st, 1, at);
	store_bind_text(st, 2, actor);
	store_bind_text(st, 3, action);
	store_bind_opt(st, 4, entity);
	store_bind_opt(st, 5, entity_id);
	store_bind_opt(st, 6, dossier_id);
	store_bind_opt(st, 7, detail);
	rc = sqlite3_step(st);
	if (rc != SQLITE_DONE)
		code = store_fail(db, rc, err, _("cannot write to the audit log"));
	store_stmt_put(db, SS_AUDIT_INSERT, st);
	return store_tx_end(db, nested, code, err);
}

/* Notes come from the note table, not from their audit entries: the note
 * row is what syncs from other sites and what carries the text (the log
 * keeps only the note id, so erasing a note's text leaves no copy).
 * Ties in time keep log entries before notes, each in creation order. */
/* A field's change comes from the field history (action "field",
 * detail "name US old US new", US the unit separator 0x1f), which
 * erasure clears; an edit's own log entry (the fields' names) shows only
 * when its history is gone (erased, or written before there was one). */
static const char timeline_sql[] =
	"SELECT at, actor, action, coalesce(detail, ''), 0 AS k, id AS n, ''"
	" FROM audit a WHERE dossier_id = ?1 AND action <> 'note'"
	" AND NOT (action = 'edit' AND EXISTS (SELECT 1 FROM field_change f"
	" WHERE f.dossier_id = ?1 AND f.at = a.at))"
	" UNION ALL"
	" SELECT at, actor, 'field', field || char(31)"
	" || substr(coalesce(old_value, ''), 1, 200) || char(31)"
	" || substr(coalesce(new_value, ''), 1, 200), 0, id, ''"
	" FROM field_change WHERE dossier_id = ?1"
	" UNION ALL"
	" SELECT created_at, author, 'note', body, 1, 0, id"
	" FROM note WHERE dossier_id = ?1 AND deleted = 0"
	" ORDER BY 1, 5, 6, 7";

int td_store_timeline(td_db *db, const char *dossier_id,
		      int (*cb)(const struct td_event *e, void *ctx), void *ctx,
		      td_err *err)
{
	struct td_event e;
	sqlite3_stmt *st;
	int code, rc, ret = 0;

	code = store_stmt_get(db, SS_TIMELINE, timeline_sql, &st, err);
	if (code != TD_OK)
		return code;
	store_bind_text(st, 1, dossier_id);
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		memset(&e, 0, sizeof e);
		store_col_copy(st, 0, e.at, sizeof e.at);
		store_col_copy(st, 1, e.actor, sizeof e.actor);
		store_col_copy(st, 2, e.action, sizeof e.action);
		store_col_copy(st, 3, e.detail, sizeof e.detail);
		ret = cb(&e, ctx);
		if (ret != 0)
			break;
	}
	if (ret == 0 && rc != SQLITE_DONE)
		ret = store_fail(db, rc, err, _("cannot read the dossier history"));
	store_stmt_put(db, SS_TIMELINE, st);
	return ret;
}

/* A note's key carries the site where it was written: the author's, or
 * the dossier's for an author with no site (officers, admins). */
static const char note_site_sql[] =
	"SELECT coalesce((SELECT site_code FROM app_user"
	" WHERE login = ?2 AND deleted = 0), site_code)"
	" FROM dossier WHERE id = ?1 AND deleted = 0";

static const char note_insert_sql[] =
	"INSERT INTO note(id, dossier_id, author, body, created_at, updated_at,"
	" version, deleted) VALUES(?1, ?2, ?3, ?4, ?5, ?5, 1, 0)";

static int note_site(td_db *db, const char *dossier_id, const char *author,
		     char site[4], td_err *err)
{
	sqlite3_stmt *st;
	int code = store_stmt_get(db, SS_NOTE_SITE, note_site_sql, &st, err);
	if (code != TD_OK)
		return code;
	store_bind_text(st, 1, dossier_id);
	store_bind_text(st, 2, author);
	int rc = sqlite3_step(st);
	if (rc == SQLITE_ROW)
		store_col_copy(st, 0, site, 4);
	else if (rc == SQLITE_DONE)
		code = td_err_set(err, TD_ENOTFOUND,
			_("cannot add the note: dossier %s does not exist (it may have been deleted)"),
			dossier_id);
	else
		code = store_fail(db, rc, err, _("cannot add the note"));
	store_stmt_put(db, SS_NOTE_SITE, st);
	return code;
}

static int note_insert(td_db *db, const char *id, const char *dossier_id,
		       const char *author, const char *body, const char *at,
		       td_err *err)
{
	sqlite3_stmt *st;
	int code = store_stmt_get(db, SS_NOTE_INSERT, note_insert_sql, &st,
				  err);
	if (code != TD_OK)
		return code;
	store_bind_text(st, 1, id);
	store_bind_text(st, 2, dossier_id);
	store_bind_text(st, 3, author);
	store_bind_text(st, 4, body);
	store_bind_text(st, 5, at);
	int rc = sqlite3_step(st);
	if (rc != SQLITE_DONE)
		code = store_fail(db, rc, err, _("cannot add the note"));
	store_stmt_put(db, SS_NOTE_INSERT, st);
	return code;
}

static bool all_space(const char *s)
{
	for (; s && *s; s++)
		if (*s != ' ' && *s != '\t' && *s != '\n' && *s != '\r')
			return false;
	return true;
}

int td_store_note_add(td_db *db, const char *dossier_id, const char *author,
		      const char *body, const char *at, td_err *err)
{
	char now[TD_TIME_SIZE], site[4], id[TD_ID_SIZE];
	bool nested;
	int code;

	if (blank(dossier_id) || blank(author))
		return td_err_set(err, TD_EINVAL,
			_("cannot add a note without a dossier and an author"));
	if (all_space(body))
		return td_err_set(err, TD_EINVAL,
			_("the note is empty; type some text first"));
	if (blank(at)) {
		td_store_now(now);
		at = now;
	}
	code = store_tx_begin(db, &nested, err);
	if (code != TD_OK)
		return code;
	code = note_site(db, dossier_id, author, site, err);
	if (code == TD_OK)
		code = td_store_new_id(site, id, err);
	if (code == TD_OK)
		code = note_insert(db, id, dossier_id, author, body, at, err);
	if (code == TD_OK)
		code = td_store_audit(db, at, author, "note", "note", id,
				      dossier_id, NULL, err);
	return store_tx_end(db, nested, code, err);
}
