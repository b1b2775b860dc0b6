/* Copies of a whole database (store/backup.h): backups taken while desks
 * write, backup files opened as they are, a copy put in place of another
 * in one transaction.  All of it through SQLite's online backup API,
 * which copies pages, so a copy is the database exactly, indexes and
 * free pages included. */
#include "store_int.h"
#include "store/backup.h"
#include "totemdesk/i18n.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

/* Copy every page of from's "main" into to's, in one step: one read
 * transaction on from (a consistent snapshot in WAL mode, however many
 * desks write meanwhile) and one write transaction on to (the copy
 * replaces to's content whole, or not at all). */
static int copy_pages(sqlite3 *from, sqlite3 *to, td_db *name_db,
		      const char *what, td_err *err)
{
	struct timespec pause = { 0, 100 * 1000 * 1000 };
	int rc = SQLITE_OK;

	for (int attempt = 0; attempt < 50; attempt++) {
		sqlite3_backup *b = sqlite3_backup_init(to, "main", from, "main");
		if (!b)
			return td_err_set(err, TD_EIO, "%s: %s", what,
					  sqlite3_errmsg(to));
		rc = sqlite3_backup_step(b, -1);
		int fin = sqlite3_backup_finish(b);
		if (rc == SQLITE_DONE)
			rc = fin;
		if (rc != SQLITE_BUSY && rc != SQLITE_LOCKED)
			break;
		/* A reader only waits for a WAL recovery or a restore. */
		nanosleep(&pause, NULL);
	}
	if (rc == SQLITE_OK)
		return TD_OK;
	if (name_db)
		return store_fail(name_db, rc, err, what);
	return td_err_set(err, store_status(rc), "%s: %s", what,
			  sqlite3_errstr(rc));
}

static int exec_on(sqlite3 *h, const char *sql, const char *path,
		   const char *what, td_err *err)
{
	int rc = sqlite3_exec(h, sql, NULL, NULL, NULL);
	if (rc == SQLITE_OK)
		return TD_OK;
	return td_err_set(err, store_status(rc), "%s: %s: %s", what, path,
			  sqlite3_errmsg(h));
}

/* "ok" from integrity_check, else TD_ECORRUPT naming path. */
static int integrity_ok(sqlite3 *h, const char *path, td_err *err)
{
	sqlite3_stmt *st = NULL;
	bool ok = false;
	int rc = sqlite3_prepare_v2(h, "PRAGMA integrity_check(1)", -1, &st,
				    NULL);
	if (rc == SQLITE_OK && sqlite3_step(st) == SQLITE_ROW) {
		const char *s = (const char *)sqlite3_column_text(st, 0);
		ok = s && strcmp(s, "ok") == 0;
	}
	sqlite3_finalize(st);
	if (ok)
		return TD_OK;
	return td_err_set(err, TD_ECORRUPT,
		_("%s failed its integrity check: it is damaged; use another backup"),
		path);
}

int td_store_backup_to(td_db *db, const char *dest, td_err *err)
{
	sqlite3 *to = NULL;
	const char *what = _("cannot write the backup");
	int code;

	/* dest exists, empty (the file writer made it); a link there is
	 * refused rather than written through. */
	int rc = sqlite3_open_v2(dest, &to, SQLITE_OPEN_READWRITE |
				 SQLITE_OPEN_NOFOLLOW, NULL);
	if (rc != SQLITE_OK) {
		code = td_err_set(err, TD_EIO, "%s: %s: %s", what, dest,
				  to ? sqlite3_errmsg(to) : sqlite3_errstr(rc));
		sqlite3_close(to);
		return code;
	}
	sqlite3_extended_result_codes(to, 1);
	/* Nothing to roll back to in a new file: no journal while copying. */
	code = exec_on(to, "PRAGMA journal_mode = OFF", dest, what, err);
	if (code == TD_OK)
		code = copy_pages(db->h, to, NULL, what, err);
	/* The copy says "WAL" in its header, as the database does: make it
	 * a file that stands alone (no -wal beside it to lose). */
	if (code == TD_OK)
		code = exec_on(to, "PRAGMA journal_mode = DELETE", dest, what,
			       err);
	if (code == TD_OK)
		code = integrity_ok(to, dest, err);
	if (sqlite3_close(to) != SQLITE_OK && code == TD_OK)
		code = td_err_set(err, TD_EIO, "%s: %s", what, dest);
	return code;
}

int td_store_open_backup(const char *path, td_db **out, td_err *err)
{
	char uri[4096 + 64];
	td_db *db = NULL;
	long long appid = -1, uv = -1;
	int code = TD_OK;

	*out = NULL;
	/* immutable: no lock, no -wal or -shm made beside the file, nothing
	 * written to it; the file is read as it is. */
	sqlite3 *h = NULL;
	char *q = sqlite3_mprintf("%s", path);
	if (!q)
		return td_err_set(err, TD_ENOMEM, _("out of memory"));
	/* An URI path: '%', '?' and '#' must be escaped. */
	size_t n = 0;
	n += (size_t)snprintf(uri, sizeof uri, "file:");
	for (const char *p = q; *p && n + 4 < sizeof uri; p++) {
		if (*p == '%' || *p == '?' || *p == '#')
			n += (size_t)snprintf(uri + n, sizeof uri - n, "%%%02X",
					      (unsigned char)*p);
		else
			uri[n++] = *p;
	}
	uri[n] = '\0';
	sqlite3_free(q);
	snprintf(uri + n, sizeof uri - n, "?immutable=1");
	int rc = sqlite3_open_v2(uri, &h, SQLITE_OPEN_READONLY | SQLITE_OPEN_URI,
				 NULL);
	if (rc == SQLITE_OK) {
		sqlite3_stmt *st = NULL;
		rc = sqlite3_prepare_v2(h, "SELECT (SELECT application_id FROM"
					" pragma_application_id),"
					" (SELECT user_version FROM pragma_user_version)",
					-1, &st, NULL);
		if (rc == SQLITE_OK && (rc = sqlite3_step(st)) == SQLITE_ROW) {
			appid = sqlite3_column_int64(st, 0);
			uv = sqlite3_column_int64(st, 1);
			rc = SQLITE_OK;
		}
		sqlite3_finalize(st);
	}
	if (rc != SQLITE_OK) {
		int e = h ? sqlite3_system_errno(h) : 0;
		if ((rc & 0xff) == SQLITE_NOTADB || (rc & 0xff) == SQLITE_CORRUPT)
			code = td_err_set(err, TD_ESCHEMA,
				_("%s is not a totemdesk backup (not an SQLite database, or damaged)"),
				path);
		else
			code = td_err_set(err, TD_EIO, _("cannot read %s: %s"), path,
					  e ? strerror(e) : sqlite3_errstr(rc));
	} else if (appid != STORE_APPLICATION_ID) {
		code = td_err_set(err, TD_ESCHEMA,
			_("%s is not a totemdesk backup (an SQLite database of another program, or empty)"),
			path);
	} else if (uv > TD_SCHEMA_VERSION) {
		code = td_err_set(err, TD_ESCHEMA,
			_("%s has schema version %lld, newer than this totemdesk understands (%d); restore it with the version that made it"),
			path, uv, TD_SCHEMA_VERSION);
	} else {
		code = integrity_ok(h, path, err);
	}
	if (code == TD_OK) {
		db = calloc(1, sizeof *db);
		if (db && !(db->path = strdup(path))) {
			free(db);
			db = NULL;
		}
		if (!db)
			code = td_err_set(err, TD_ENOMEM, _("out of memory"));
	}
	if (code != TD_OK || !db) {
		sqlite3_close(h);
		return code;
	}
	db->h = h;
	db->lock_fd = -1;
	db->flags = TD_DB_READONLY;
	db->schema = (int)uv;
	*out = db;
	return TD_OK;
}

int td_store_copy_into(td_db *from, td_db *to, td_err *err)
{
	if (td_store_schema_version(from) != td_store_schema_version(to))
		return td_err_set(err, TD_ESCHEMA,
			_("cannot copy a database of schema version %d into one of version %d"),
			td_store_schema_version(from), td_store_schema_version(to));
	int code = copy_pages(from->h, to->h, to, _("cannot copy the database"),
			      err);
	if (code == TD_OK)
		code = integrity_ok(to->h, to->path, err);
	/* What the desk knew of the file (its change counter) is stale. */
	td_store_changed(to);
	return code;
}

int td_store_ref_counters_keep(td_db *from, td_db *to, td_err *err)
{
	sqlite3_stmt *rd = NULL, *wr = NULL;
	int rc = sqlite3_prepare_v2(from->h,
		"SELECT site_code, year, last FROM ref_counter", -1, &rd, NULL);
	if (rc == SQLITE_OK)
		rc = sqlite3_prepare_v2(to->h,
			"INSERT INTO ref_counter(site_code, year, last)"
			" VALUES (?1, ?2, ?3) ON CONFLICT(site_code, year)"
			" DO UPDATE SET last = max(last, excluded.last)", -1,
			&wr, NULL);
	while (rc == SQLITE_OK && (rc = sqlite3_step(rd)) == SQLITE_ROW) {
		sqlite3_bind_value(wr, 1, sqlite3_column_value(rd, 0));
		sqlite3_bind_value(wr, 2, sqlite3_column_value(rd, 1));
		sqlite3_bind_value(wr, 3, sqlite3_column_value(rd, 2));
		rc = sqlite3_step(wr);
		sqlite3_reset(wr);
		rc = rc == SQLITE_DONE ? SQLITE_OK : rc;
	}
	sqlite3_finalize(rd);
	sqlite3_finalize(wr);
	if (rc != SQLITE_DONE && rc != SQLITE_OK)
		return store_fail(to, rc, err, _("cannot write to the database"));
	return TD_OK;
}

int td_store_ref_counters_skip(td_db *db, const char *site, int year,
			       long long by, td_err *err)
{
	sqlite3_stmt *st = NULL;
	int rc = sqlite3_prepare_v2(db->h,
		"UPDATE ref_counter SET last = last + ?1", -1, &st, NULL);
	if (rc == SQLITE_OK) {
		sqlite3_bind_int64(st, 1, by);
		rc = sqlite3_step(st);
		sqlite3_finalize(st);
		st = NULL;
	}
	if (rc == SQLITE_DONE && !site)
		return TD_OK;
	if (rc == SQLITE_DONE)
		rc = sqlite3_prepare_v2(db->h,
			"INSERT INTO ref_counter(site_code, year, last)"
			" VALUES (?1, ?2, ?3) ON CONFLICT(site_code, year)"
			" DO NOTHING", -1, &st, NULL);
	if (rc == SQLITE_OK) {
		store_bind_text(st, 1, site);
		sqlite3_bind_int(st, 2, year);
		sqlite3_bind_int64(st, 3, by);
		rc = sqlite3_step(st);
		sqlite3_finalize(st);
	}
	if (rc != SQLITE_DONE)
		return store_fail(db, rc, err, _("cannot write to the database"));
	return TD_OK;
}

int td_store_ref_counters_any(td_db *db, bool *any, td_err *err)
{
	sqlite3_stmt *st = NULL;
	int rc = sqlite3_prepare_v2(db->h,
		"SELECT EXISTS (SELECT 1 FROM ref_counter)", -1, &st, NULL);
	if (rc == SQLITE_OK && (rc = sqlite3_step(st)) == SQLITE_ROW) {
		*any = sqlite3_column_int(st, 0) != 0;
		rc = SQLITE_OK;
	}
	sqlite3_finalize(st);
	if (rc != SQLITE_OK)
		return store_fail(db, rc, err, _("cannot read the database"));
	return TD_OK;
}
