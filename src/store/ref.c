/* Reference data loaded from the configuration and the partner list
 * (sites, users, partners), and the per-site reference counter. */
#include "store_int.h"
#include "totemdesk/domain.h"
#include "totemdesk/i18n.h"

#include <stdio.h>
#include <string.h>

/* The upserts below only touch a row whose content really changed: they
 * run at every start-up, and a version bump per start would make every
 * site look edited to a later sync. */

static const char site_put_sql[] =
	"INSERT INTO site(code, name, totem, city, address, coordination,"
	" updated_at) VALUES(?1, ?2, ?3, ?4, ?5, ?6, ?7)"
	" ON CONFLICT(code) DO UPDATE SET name = excluded.name,"
	" totem = excluded.totem, city = excluded.city,"
	" address = excluded.address, coordination = excluded.coordination,"
	" updated_at = excluded.updated_at"
	" WHERE name IS NOT excluded.name OR totem IS NOT excluded.totem"
	" OR city IS NOT excluded.city OR address IS NOT excluded.address"
	" OR coordination IS NOT excluded.coordination";

int td_store_site_put(td_db *db, const struct td_site_rec *s, td_err *err)
{
	char now[TD_TIME_SIZE], what[128];
	sqlite3_stmt *st;
	int code, rc;

	if (!store_site_code_ok(s->code))
		return td_err_set(err, TD_EINVAL,
			_("site code \"%s\" is not three capital letters (such as MET); check the configuration"),
			s->code ? s->code : "");
	code = store_stmt_get(db, SS_SITE_PUT, site_put_sql, &st, err);
	if (code != TD_OK)
		return code;
	td_store_now(now);
	store_bind_text(st, 1, s->code);
	store_bind_text(st, 2, s->name);
	store_bind_opt(st, 3, s->totem);
	store_bind_opt(st, 4, s->city);
	store_bind_opt(st, 5, s->address);
	sqlite3_bind_int(st, 6, s->coordination ? 1 : 0);
	store_bind_text(st, 7, now);
	rc = sqlite3_step(st);
	if (rc != SQLITE_DONE) {
		snprintf(what, sizeof what, _("cannot save site %s"), s->code);
		code = store_fail(db, rc, err, what);
	}
	store_stmt_put(db, SS_SITE_PUT, st);
	return code;
}

static const char user_put_sql[] =
	"INSERT INTO app_user(login, name, role, site_code, created_at,"
	" updated_at, version, deleted) VALUES(?1, ?2, ?3, ?4, ?5, ?5, 1, 0)"
	" ON CONFLICT(login) DO UPDATE SET name = excluded.name,"
	" role = excluded.role, site_code = excluded.site_code,"
	" updated_at = excluded.updated_at, version = version + 1, deleted = 0"
	" WHERE name IS NOT excluded.name OR role IS NOT excluded.role"
	" OR site_code IS NOT excluded.site_code OR deleted <> 0";

int td_store_user_put(td_db *db, const struct td_user_rec *u, td_err *err)
{
	char now[TD_TIME_SIZE], what[128];
	sqlite3_stmt *st;
	int code, rc;

	if (!u->login || !*u->login || strlen(u->login) >= TD_LOGIN_SIZE)
		return td_err_set(err, TD_EINVAL,
			_("user login \"%s\" must be 1 to %d characters long; check the configuration"),
			u->login ? u->login : "", TD_LOGIN_SIZE - 1);
	if (td_enum_find(&td_roles, u->role) < 0)
		return td_err_set(err, TD_EINVAL,
			_("user %s has unknown role \"%s\"; use reception, officer or admin"),
			u->login, u->role ? u->role : "");
	code = store_stmt_get(db, SS_USER_PUT, user_put_sql, &st, err);
	if (code != TD_OK)
		return code;
	td_store_now(now);
	store_bind_text(st, 1, u->login);
	store_bind_text(st, 2, u->name);
	store_bind_text(st, 3, u->role);
	store_bind_opt(st, 4, u->site);
	store_bind_text(st, 5, now);
	rc = sqlite3_step(st);
	if (rc == SQLITE_CONSTRAINT_FOREIGNKEY) {
		code = td_err_set(err, TD_EINVAL,
			_("cannot save user %s: site %s is not declared; declare the site first"),
			u->login, u->site ? u->site : "");
	} else if (rc != SQLITE_DONE) {
		snprintf(what, sizeof what, _("cannot save user %s"), u->login);
		code = store_fail(db, rc, err, what);
	}
	store_stmt_put(db, SS_USER_PUT, st);
	return code;
}

static const char partner_put_sql[] =
	"INSERT INTO partner(id, name, kinds, sites, city, address, website,"
	" stages, needs, description, source, active, created_at, updated_at,"
	" version, deleted)"
	" VALUES(?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, 1, ?12, ?12, 1, 0)"
	" ON CONFLICT(id) DO UPDATE SET name = excluded.name,"
	" kinds = excluded.kinds, sites = excluded.sites, city = excluded.city,"
	" address = excluded.address, website = excluded.website,"
	" stages = excluded.stages, needs = excluded.needs,"
	" description = excluded.description, source = excluded.source,"
	" updated_at = excluded.updated_at, version = version + 1, deleted = 0"
	" WHERE name IS NOT excluded.name OR kinds IS NOT excluded.kinds"
	" OR sites IS NOT excluded.sites OR city IS NOT excluded.city"
	" OR address IS NOT excluded.address OR website IS NOT excluded.website"
	" OR stages IS NOT excluded.stages OR needs IS NOT excluded.needs"
	" OR description IS NOT excluded.description"
	" OR source IS NOT excluded.source OR deleted <> 0";

int td_store_partner_put(td_db *db, const struct td_partner_rec *p, td_err *err)
{
	char now[TD_TIME_SIZE], what[160];
	sqlite3_stmt *st;
	int code, rc;

	if (!p->id || !*p->id)
		return td_err_set(err, TD_EINVAL,
			_("partner without an id; give every partner a short unique id"));
	if (!p->name || !*p->name)
		return td_err_set(err, TD_EINVAL,
			_("partner %s has no name; give it one"), p->id);
	/* An exchanged table: written in a captured transaction even when
	 * the caller has none open (docs/sync.md, "Capture"). */
	bool nested;
	code = store_tx_begin(db, &nested, err);
	if (code != TD_OK)
		return code;
	code = store_stmt_get(db, SS_PARTNER_PUT, partner_put_sql, &st, err);
	if (code != TD_OK)
		return store_tx_end(db, nested, code, err);
	td_store_now(now);
	store_bind_text(st, 1, p->id);
	store_bind_text(st, 2, p->name);
	store_bind_text(st, 3, p->kinds);
	store_bind_text(st, 4, p->sites);
	store_bind_opt(st, 5, p->city);
	store_bind_opt(st, 6, p->address);
	store_bind_opt(st, 7, p->website);
	store_bind_text(st, 8, p->stages);
	store_bind_text(st, 9, p->needs);
	store_bind_opt(st, 10, p->description);
	store_bind_opt(st, 11, p->source);
	store_bind_text(st, 12, now);
	rc = sqlite3_step(st);
	if (rc != SQLITE_DONE) {
		snprintf(what, sizeof what, _("cannot save partner %s"), p->id);
		code = store_fail(db, rc, err, what);
	}
	store_stmt_put(db, SS_PARTNER_PUT, st);
	return store_tx_end(db, nested, code, err);
}

int td_store_partner_count(td_db *db, long *n, td_err *err)
{
	sqlite3_stmt *st;
	int code, rc;

	*n = 0;
	code = store_stmt_get(db, SS_PARTNER_COUNT,
			      "SELECT count(*) FROM partner WHERE deleted = 0",
			      &st, err);
	if (code != TD_OK)
		return code;
	rc = sqlite3_step(st);
	if (rc == SQLITE_ROW)
		*n = (long)sqlite3_column_int64(st, 0);
	else
		code = store_fail(db, rc, err, _("cannot count the partners"));
	store_stmt_put(db, SS_PARTNER_COUNT, st);
	return code;
}

/* One statement both reserves and reads the number, so two terminals
 * can never be handed the same one. */
static const char ref_next_sql[] =
	"INSERT INTO ref_counter(site_code, year, last) VALUES(?1, ?2, 1)"
	" ON CONFLICT(site_code, year) DO UPDATE SET last = last + 1"
	" RETURNING last";

int td_store_reference_next(td_db *db, const char *site, int year,
			    char out[TD_REF_SIZE], td_err *err)
{
	sqlite3_stmt *st;
	long long last = 0;
	int code, rc;

	out[0] = '\0';
	if (!store_site_code_ok(site))
		return td_err_set(err, TD_EINVAL,
			_("site code \"%s\" is not three capital letters (such as MET); check the configuration"),
			site ? site : "");
	if (year < 1970 || year > 9999)
		return td_err_set(err, TD_EINVAL,
			_("year %d is out of range for a dossier reference; check the system clock"),
			year);
	code = store_stmt_get(db, SS_REF_NEXT, ref_next_sql, &st, err);
	if (code != TD_OK)
		return code;
	store_bind_text(st, 1, site);
	sqlite3_bind_int(st, 2, year);
	rc = sqlite3_step(st);
	if (rc == SQLITE_ROW)
		last = sqlite3_column_int64(st, 0);
	else
		code = store_fail(db, rc, err,
				  _("cannot reserve a dossier reference"));
	store_stmt_put(db, SS_REF_NEXT, st);
	if (code != TD_OK)
		return code;
	/* Four digits as agreed with the sites; a busy year simply grows
	 * a fifth digit rather than wrapping. */
	int n = snprintf(out, TD_REF_SIZE, "%s-%04d-%04lld", site, year, last);
	if (n < 0 || n >= TD_REF_SIZE) {
		out[0] = '\0';
		return td_err_set(err, TD_EINVAL,
			_("dossier reference for site %s is too long"), site);
	}
	return TD_OK;
}
