/* The partner directory's statements.  Partner edits are rare (an
 * officer at a keyboard, an import), so statements are prepared per call
 * rather than kept in the cache. */
#include "store_int.h"
#include "totemdesk/i18n.h"
#include "totemdesk/partner.h"
#include "store/partner.h"

#include <stdio.h>
#include <string.h>

#define PARTNER_COLUMNS \
	"SELECT p.id, p.name, p.kinds, p.sites, p.city, p.address," \
	" p.website, p.stages, p.needs, p.sectors, p.description, p.source," \
	" p.contact, p.email, p.phone, p.capacity, p.active, p.updated_at," \
	" (SELECT count(*) FROM referral r WHERE r.partner_id = p.id" \
	"  AND r.deleted = 0 AND r.status IN ('proposed', 'sent', 'meeting'))" \
	" FROM partner p"

#define COPY(i, field) store_col_copy(st, (i), (field), sizeof(field))

static void read_partner(sqlite3_stmt *st, struct td_partner *p)
{
	memset(p, 0, sizeof *p);
	COPY(0, p->id);
	COPY(1, p->name);
	COPY(2, p->kinds);
	COPY(3, p->sites);
	COPY(4, p->city);
	COPY(5, p->address);
	COPY(6, p->website);
	COPY(7, p->stages);
	COPY(8, p->needs);
	COPY(9, p->sectors);
	COPY(10, p->description);
	COPY(11, p->source);
	COPY(12, p->contact);
	COPY(13, p->email);
	COPY(14, p->phone);
	p->capacity = sqlite3_column_int(st, 15);
	p->active = sqlite3_column_int(st, 16) != 0;
	COPY(17, p->updated_at);
	p->open = sqlite3_column_int(st, 18);
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

static const char insert_sql[] =
	"INSERT INTO partner(name, kinds, sites, city, address, website,"
	" stages, needs, sectors, description, source, contact, email, phone,"
	" capacity, active, updated_at, id, created_at, version, deleted)"
	" VALUES(?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14,"
	" ?15, ?16, ?17, ?18, ?17, 1, 0)";

/* version is bumped here (not left to the touch trigger) so that one
 * edit is one version, whatever the trigger does. */
static const char update_sql[] =
	"UPDATE partner SET name = ?1, kinds = ?2, sites = ?3, city = ?4,"
	" address = ?5, website = ?6, stages = ?7, needs = ?8, sectors = ?9,"
	" description = ?10, source = ?11, contact = ?12, email = ?13,"
	" phone = ?14, capacity = ?15, active = ?16, updated_at = ?17,"
	" version = version + 1, deleted = 0 WHERE id = ?18";

int td_store_partner_write(td_db *db, const struct td_partner *p, bool create,
			   td_err *err)
{
	char now[TD_TIME_SIZE], what[160];
	sqlite3_stmt *st;
	int code, rc;

	if (!p->id[0] || !p->name[0])
		return td_err_set(err, TD_EINVAL,
			_("a partner needs an id and a name"));
	snprintf(what, sizeof what, _("cannot save partner %s"), p->id);
	code = prepare(db, create ? insert_sql : update_sql, &st, what, err);
	if (code != TD_OK)
		return code;
	td_store_now(now);
	store_bind_text(st, 1, p->name);
	store_bind_text(st, 2, p->kinds);
	store_bind_text(st, 3, p->sites);
	store_bind_opt(st, 4, p->city);
	store_bind_opt(st, 5, p->address);
	store_bind_opt(st, 6, p->website);
	store_bind_text(st, 7, p->stages);
	store_bind_text(st, 8, p->needs);
	store_bind_text(st, 9, p->sectors);
	store_bind_opt(st, 10, p->description);
	store_bind_opt(st, 11, p->source);
	store_bind_opt(st, 12, p->contact);
	store_bind_opt(st, 13, p->email);
	store_bind_opt(st, 14, p->phone);
	sqlite3_bind_int(st, 15, p->capacity);
	sqlite3_bind_int(st, 16, p->active ? 1 : 0);
	store_bind_text(st, 17, now);
	store_bind_text(st, 18, p->id);
	rc = sqlite3_step(st);
	if (rc == SQLITE_CONSTRAINT_PRIMARYKEY || rc == SQLITE_CONSTRAINT_UNIQUE)
		code = td_err_set(err, TD_EEXIST,
			_("%s: a partner with this id already exists; choose another id"),
			what);
	else if (rc != SQLITE_DONE)
		code = store_fail(db, rc, err, what);
	else if (!create && sqlite3_changes(db->h) == 0)
		code = td_err_set(err, TD_ENOTFOUND,
			_("%s: no such partner"), what);
	sqlite3_finalize(st);
	return code;
}

int td_store_partner_get(td_db *db, const char *id, struct td_partner *out,
			 td_err *err)
{
	sqlite3_stmt *st;
	int code = prepare(db, PARTNER_COLUMNS " WHERE p.id = ?1 AND p.deleted = 0",
			   &st, _("cannot read the partner"), err);
	memset(out, 0, sizeof *out);
	if (code != TD_OK)
		return code;
	store_bind_text(st, 1, id);
	int rc = sqlite3_step(st);
	if (rc == SQLITE_ROW)
		read_partner(st, out);
	else if (rc == SQLITE_DONE)
		code = td_err_set(err, TD_ENOTFOUND,
			_("no partner \"%s\"; check the id in the partner directory"),
			id ? id : "");
	else
		code = store_fail(db, rc, err, _("cannot read the partner"));
	sqlite3_finalize(st);
	return code;
}

int td_store_partner_exists(td_db *db, const char *id, bool *yes,
			    td_err *err)
{
	sqlite3_stmt *st;
	int code = prepare(db, "SELECT 1 FROM partner WHERE id = ?1 AND deleted = 0",
			   &st, _("cannot read the partner"), err);
	*yes = false;
	if (code != TD_OK)
		return code;
	store_bind_text(st, 1, id);
	int rc = sqlite3_step(st);
	if (rc == SQLITE_ROW)
		*yes = true;
	else if (rc != SQLITE_DONE)
		code = store_fail(db, rc, err, _("cannot read the partner"));
	sqlite3_finalize(st);
	return code;
}

int td_store_partner_each(td_db *db, bool active_only,
			  int (*cb)(const struct td_partner *p, void *ctx),
			  void *ctx, td_err *err)
{
	struct td_partner p;
	sqlite3_stmt *st;
	int rc, ret = 0;
	int code = prepare(db, active_only
			   ? PARTNER_COLUMNS " WHERE p.deleted = 0 AND p.active = 1 ORDER BY p.id"
			   : PARTNER_COLUMNS " WHERE p.deleted = 0 ORDER BY p.id",
			   &st, _("cannot read the partner directory"), err);
	if (code != TD_OK)
		return code;
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		read_partner(st, &p);
		ret = cb(&p, ctx);
		if (ret != 0)
			break;
	}
	if (ret == 0 && rc != SQLITE_DONE)
		ret = store_fail(db, rc, err,
				 _("cannot read the partner directory"));
	sqlite3_finalize(st);
	return ret;
}

int td_store_partner_set_active(td_db *db, const char *id, bool active,
				td_err *err)
{
	char now[TD_TIME_SIZE];
	sqlite3_stmt *st;
	int code = prepare(db,
		"UPDATE partner SET active = ?2, updated_at = ?3,"
		" version = version + 1 WHERE id = ?1 AND deleted = 0",
		&st, _("cannot change the partner"), err);
	if (code != TD_OK)
		return code;
	td_store_now(now);
	store_bind_text(st, 1, id);
	sqlite3_bind_int(st, 2, active ? 1 : 0);
	store_bind_text(st, 3, now);
	int rc = sqlite3_step(st);
	if (rc != SQLITE_DONE)
		code = store_fail(db, rc, err, _("cannot change the partner"));
	else if (sqlite3_changes(db->h) == 0)
		code = td_err_set(err, TD_ENOTFOUND,
			_("no partner \"%s\"; check the id in the partner directory"),
			id ? id : "");
	sqlite3_finalize(st);
	return code;
}
