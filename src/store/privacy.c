/* Erasure and the erasure log (store/privacy.h). */
#include "store_int.h"
#include "store/privacy.h"
#include "totemdesk/i18n.h"

#include <stdio.h>
#include <string.h>

static int run(td_db *db, const char *sql, const char *key,
	       const struct td_erasure_rec *r, int *changes, td_err *err)
{
	sqlite3_stmt *st;
	int rc = sqlite3_prepare_v2(db->h, sql, -1, &st, NULL);
	if (rc != SQLITE_OK)
		return store_fail(db, rc, err, _("cannot erase the personal data"));
	for (int i = 1; i <= sqlite3_bind_parameter_count(st); i++) {
		const char *name = sqlite3_bind_parameter_name(st, i);
		const char *v = !name ? NULL
			: strcmp(name, "?1") == 0 ? key
			: strcmp(name, "?2") == 0 ? r->at
			: strcmp(name, "?3") == 0 ? r->actor
			: strcmp(name, "?4") == 0 ? r->reason
			: strcmp(name, "?5") == 0 ? r->kind : NULL;
		store_bind_text(st, i, v);
	}
	rc = sqlite3_step(st);
	int code = rc == SQLITE_DONE || rc == SQLITE_ROW ? TD_OK
		: store_fail(db, rc, err, _("cannot erase the personal data"));
	if (changes)
		*changes = sqlite3_changes(db->h);
	sqlite3_finalize(st);
	return code;
}

/* The dossiers concerned, as a subquery on ?1. */
#define OF_HOLDER "(SELECT id FROM dossier WHERE holder_id = ?1)"
#define OF_DOSSIER "(?1)"

#define STEPS(SET) { \
	"UPDATE dossier SET project_title = NULL, description = NULL," \
	" siret = NULL, erased_at = ?2 WHERE id IN " SET, \
	"UPDATE note SET body = '', deleted = 1 WHERE dossier_id IN " SET, \
	"UPDATE referral SET reason = NULL, outcome = NULL" \
	" WHERE dossier_id IN " SET, \
	"DELETE FROM field_change WHERE dossier_id IN " SET, \
	"INSERT INTO audit(at, actor, action, entity, entity_id, dossier_id," \
	" detail) SELECT ?2, ?3, 'erase', 'dossier', id, id, ?4" \
	" FROM dossier WHERE id IN " SET, \
	NULL }

static const char *const holder_steps[] = {
	"UPDATE holder SET last_name = '', first_name = '', email = NULL,"
	" phone = NULL, postcode = NULL, city = NULL, erased_at = ?2"
	" WHERE id = ?1",
	"DELETE FROM dup_key WHERE n IN"
	" (SELECT n FROM dup_holder WHERE holder_id = ?1)",
	"DELETE FROM dup_holder WHERE holder_id = ?1",
	"DELETE FROM dup_dismissal WHERE holder_id = ?1",
};
static const char *const of_holder[] = STEPS(OF_HOLDER);
static const char *const of_dossier[] = STEPS(OF_DOSSIER);

static int exists(td_db *db, const struct td_erasure_rec *r, bool holder,
		  int *n, td_err *err)
{
	sqlite3_stmt *st;
	const char *sql = holder
		? "SELECT count(*) FROM dossier WHERE holder_id = ?1"
		: "SELECT count(*) FROM dossier WHERE id = ?1";
	int rc = sqlite3_prepare_v2(db->h, sql, -1, &st, NULL);
	if (rc != SQLITE_OK)
		return store_fail(db, rc, err, _("cannot erase the personal data"));
	store_bind_text(st, 1, r->key);
	rc = sqlite3_step(st);
	*n = rc == SQLITE_ROW ? sqlite3_column_int(st, 0) : 0;
	int code = rc == SQLITE_ROW ? TD_OK
		: store_fail(db, rc, err, _("cannot erase the personal data"));
	sqlite3_finalize(st);
	return code;
}

int td_store_erase(td_db *db, const struct td_erasure_rec *r, bool replay,
		   int *ndossiers, td_err *err)
{
	bool holder = strcmp(r->kind, "holder") == 0, nested;
	int n = 0, code;

	if (ndossiers)
		*ndossiers = 0;
	if (!holder && strcmp(r->kind, "dossier") != 0)
		return td_err_set(err, TD_EINVAL,
			_("unknown kind of erasure \"%s\""), r->kind);
	if ((code = store_tx_begin(db, &nested, err)))
		return code;
	code = exists(db, r, holder, &n, err);
	if (!code && n == 0 && !replay)
		code = td_err_set(err, TD_ENOTFOUND,
			_("no record %s to erase"), r->key);
	if (!code)
		code = run(db, "INSERT OR IGNORE INTO erasure(record_key, kind,"
			   " reason, actor, at) VALUES(?1, ?5, ?4, ?3, ?2)",
			   r->key, r, NULL, err);
	for (size_t i = 0; holder && !code &&
	     i < sizeof holder_steps / sizeof *holder_steps; i++)
		code = run(db, holder_steps[i], r->key, r, NULL, err);
	for (const char *const *s = holder ? of_holder : of_dossier;
	     !code && n > 0 && *s; s++)
		code = run(db, *s, r->key, r, NULL, err);
	/* The search index: the dossiers' rows rewritten without the
	 * erased words (the triggers listed them), then every segment
	 * merged into one, which drops the old rows' entries: FTS5 of
	 * SQLite 3.40 has no secure-delete of its own. */
	if (!code && n > 0)
		code = td_store_search_sync(db, err);
	if (!code && n > 0)
		code = run(db, "INSERT INTO dossier_fts(dossier_fts)"
			   " VALUES('optimize')", r->key, r, NULL, err);
	if (!code && ndossiers)
		*ndossiers = n;
	return store_tx_end(db, nested, code, err);
}

int td_store_wal_truncate(td_db *db, td_err *err)
{
	int rc = sqlite3_wal_checkpoint_v2(db->h, NULL,
					   SQLITE_CHECKPOINT_TRUNCATE, NULL,
					   NULL);
	if (rc == SQLITE_BUSY || rc == SQLITE_LOCKED)
		return td_err_set(err, TD_EBUSY,
			_("another program is reading the database: the erased data stays in %s-wal until it closes"),
			db->path);
	if (rc != SQLITE_OK)
		return store_fail(db, rc, err, _("cannot truncate the write-ahead log"));
	return TD_OK;
}

int td_store_erasure_each(td_db *db,
			  int (*cb)(const struct td_erasure_rec *r, void *ctx),
			  void *ctx, td_err *err)
{
	static const char sql[] =
		"SELECT record_key, kind, reason, actor, at FROM erasure"
		" ORDER BY at, record_key";
	struct td_erasure_rec r;
	sqlite3_stmt *st;
	int rc = sqlite3_prepare_v2(db->h, sql, -1, &st, NULL), ret = 0;
	if (rc != SQLITE_OK)
		return store_fail(db, rc, err, _("cannot read the erasure log"));
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		memset(&r, 0, sizeof r);
		store_col_copy(st, 0, r.key, sizeof r.key);
		store_col_copy(st, 1, r.kind, sizeof r.kind);
		store_col_copy(st, 2, r.reason, sizeof r.reason);
		store_col_copy(st, 3, r.actor, sizeof r.actor);
		store_col_copy(st, 4, r.at, sizeof r.at);
		if ((ret = cb(&r, ctx)) != 0)
			break;
	}
	if (ret == 0 && rc != SQLITE_DONE)
		ret = store_fail(db, rc, err, _("cannot read the erasure log"));
	sqlite3_finalize(st);
	return ret;
}
