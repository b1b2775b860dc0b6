/* Statistics: every number of the report is one GROUP BY over the
 * dossiers of the period, so the work stays in SQLite and the program
 * never holds more than one row per group. */
#include "store_int.h"
#include "totemdesk/domain.h"
#include "totemdesk/i18n.h"
#include "totemdesk/report.h"
#include "totemdesk/validate.h"
#include "store/report.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* The same three conditions in every query; a NULL parameter switches
 * its condition off.  Reports run rarely, so one plan for all shapes is
 * worth more than the index choice the list queries make. */
#define PERIOD \
	" d.deleted = 0" \
	" AND (:site IS NULL OR d.site_code = :site)" \
	" AND (:since IS NULL OR d.created_at >= :since)" \
	" AND (:until IS NULL OR d.created_at < :until)"

struct period {
	const char *since, *until, *site;
};

static int prepare(td_db *db, const char *sql, const struct period *p,
		   sqlite3_stmt **st, td_err *err)
{
	int rc = sqlite3_prepare_v2(db->h, sql, -1, st, NULL);
	if (rc != SQLITE_OK) {
		*st = NULL;
		return store_fail(db, rc, err, _("cannot compute the statistics"));
	}
	store_bind_opt(*st, sqlite3_bind_parameter_index(*st, ":site"), p->site);
	store_bind_opt(*st, sqlite3_bind_parameter_index(*st, ":since"),
		       p->since);
	store_bind_opt(*st, sqlite3_bind_parameter_index(*st, ":until"),
		       p->until);
	return TD_OK;
}

static int finish(td_db *db, sqlite3_stmt *st, int rc, td_err *err)
{
	int code = TD_OK;
	if (rc != SQLITE_DONE)
		code = store_fail(db, rc, err, _("cannot compute the statistics"));
	sqlite3_finalize(st);
	return code;
}

static void count_enum(long *slots, const struct td_enum *e, const char *code,
		       long n)
{
	int i = td_enum_find(e, code ? code : "");
	if (i >= 0 && i < TD_REPORT_MAX_ENUM)
		slots[i] += n;
}

/* Status, stage, sector and needs in one pass: reading the dossier rows
 * is what costs (3 s a pass at a million), not the grouping.  Needs are
 * stored as "advice|funding" and split here. */
static int counts(td_db *db, const struct period *p, struct td_report *r,
		  td_err *err)
{
	sqlite3_stmt *st;
	int rc = prepare(db,
		"SELECT d.status, coalesce(d.stage, ''), coalesce(d.sector, ''),"
		" d.needs, count(*) FROM dossier d WHERE" PERIOD
		" GROUP BY 1, 2, 3, 4", p, &st, err);
	if (rc)
		return rc;
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		long n = (long)sqlite3_column_int64(st, 4);
		unsigned mask = 0;
		const char *needs = (const char *)sqlite3_column_text(st, 3);
		count_enum(r->by_status, &td_statuses,
			   (const char *)sqlite3_column_text(st, 0), n);
		count_enum(r->by_stage, &td_stages,
			   (const char *)sqlite3_column_text(st, 1), n);
		count_enum(r->by_sector, &td_sectors,
			   (const char *)sqlite3_column_text(st, 2), n);
		if (needs && td_needs_parse(needs, &mask, NULL, NULL) != 0)
			mask = 0;
		for (size_t i = 0; i < td_needs.count && i < TD_REPORT_MAX_ENUM; i++)
			if (mask & (1u << i))
				r->by_need[i] += n;
		r->total += n;
	}
	return finish(db, st, rc, err);
}

/* Visitors by their country, and each site's share from abroad. */
static int countries(td_db *db, const struct period *p, struct td_report *r,
		     td_err *err)
{
	sqlite3_stmt *st;
	int rc = prepare(db,
		"SELECT d.site_code, h.country, count(*) FROM dossier d"
		" JOIN holder h ON h.id = d.holder_id WHERE" PERIOD
		" GROUP BY 1, 2 ORDER BY 1, 2", p, &st, err);
	if (rc)
		return rc;
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		const char *site = (const char *)sqlite3_column_text(st, 0);
		const char *country = (const char *)sqlite3_column_text(st, 1);
		long n = (long)sqlite3_column_int64(st, 2);
		int k = td_enum_find(&td_countries, country ? country : "");
		size_t i;
		/* a code this release does not know counts as "other" */
		count_enum(r->by_country, &td_countries,
			   k < 0 ? "other" : country, n);
		for (i = 0; i < r->nborder; i++)
			if (strcmp(r->border[i].site, site ? site : "") == 0)
				break;
		if (i == r->nborder) {
			if (i == TD_REPORT_MAX_SITES)
				continue;
			r->nborder++;
			snprintf(r->border[i].site, sizeof r->border[i].site,
				 "%s", site ? site : "");
		}
		r->border[i].total += n;
		if (k != TD_COUNTRY_FR)
			r->border[i].abroad += n;
	}
	return finish(db, st, rc, err);
}

static int months(td_db *db, const struct period *p, struct td_report *r,
		  td_err *err)
{
	sqlite3_stmt *st;
	size_t cap = 0;
	int rc = prepare(db,
		"SELECT d.site_code, strftime('%Y-%m', d.created_at, 'localtime'),"
		" count(*) FROM dossier d WHERE" PERIOD " GROUP BY 1, 2 ORDER BY 1, 2",
		p, &st, err);
	if (rc)
		return rc;
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		if (r->nmonths == cap) {
			size_t ncap = cap ? cap * 2 : 64;
			void *nv = realloc(r->months, ncap * sizeof *r->months);
			if (!nv) {
				sqlite3_finalize(st);
				return td_err_set(err, TD_ENOMEM, _("out of memory"));
			}
			r->months = nv;
			cap = ncap;
		}
		struct td_report_month *m = &r->months[r->nmonths++];
		store_col_copy(st, 0, m->site, sizeof m->site);
		store_col_copy(st, 1, m->month, sizeof m->month);
		m->n = (long)sqlite3_column_int64(st, 2);
	}
	return finish(db, st, rc, err);
}

/* Referrals arrive with the routing work (migration 3); a database
 * without the table simply has none. */
static bool have_referrals(td_db *db)
{
	sqlite3_stmt *st;
	bool yes = false;
	if (sqlite3_prepare_v2(db->h,
			"SELECT 1 FROM sqlite_master WHERE type = 'table'"
			" AND name = 'referral'", -1, &st, NULL) != SQLITE_OK)
		return false;
	yes = sqlite3_step(st) == SQLITE_ROW;
	sqlite3_finalize(st);
	return yes;
}

/* "Sent" is every referral that got past the proposal: sent, meeting,
 * accepted, declined or unanswered. */
static int partners(td_db *db, const struct period *p, struct td_report *r,
		    td_err *err)
{
	sqlite3_stmt *st;
	size_t cap = 0;
	int rc = prepare(db,
		"SELECT p.id, p.name, sum(r.status <> 'proposed'),"
		" sum(r.status = 'accepted')"
		" FROM referral r JOIN dossier d ON d.id = r.dossier_id"
		" JOIN partner p ON p.id = r.partner_id"
		" WHERE r.deleted = 0 AND" PERIOD
		" GROUP BY p.id HAVING sum(r.status <> 'proposed') > 0"
		" ORDER BY 3 DESC, 4 DESC, p.name", p, &st, err);
	if (rc)
		return rc;
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		if (r->npartners == cap) {
			size_t ncap = cap ? cap * 2 : 32;
			void *nv = realloc(r->partners, ncap * sizeof *r->partners);
			if (!nv) {
				sqlite3_finalize(st);
				return td_err_set(err, TD_ENOMEM, _("out of memory"));
			}
			r->partners = nv;
			cap = ncap;
		}
		struct td_report_partner *q = &r->partners[r->npartners++];
		store_col_copy(st, 0, q->id, sizeof q->id);
		store_col_copy(st, 1, q->name, sizeof q->name);
		q->sent = (long)sqlite3_column_int64(st, 2);
		q->accepted = (long)sqlite3_column_int64(st, 3);
	}
	return finish(db, st, rc, err);
}

static int delays(td_db *db, const struct period *p, struct td_report *r,
		  td_err *err)
{
	sqlite3_stmt *st;
	double *v = NULL;
	size_t n = 0, cap = 0;
	int rc = prepare(db,
		"SELECT julianday(min(r.created_at)) - julianday(d.created_at)"
		" FROM referral r JOIN dossier d ON d.id = r.dossier_id"
		" WHERE r.deleted = 0 AND r.status <> 'proposed' AND" PERIOD
		" GROUP BY d.id", p, &st, err);
	if (rc)
		return rc;
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		if (n == cap) {
			size_t ncap = cap ? cap * 2 : 256;
			void *nv = realloc(v, ncap * sizeof *v);
			if (!nv) {
				free(v);
				sqlite3_finalize(st);
				return td_err_set(err, TD_ENOMEM, _("out of memory"));
			}
			v = nv;
			cap = ncap;
		}
		double d = sqlite3_column_double(st, 0);
		v[n++] = d < 0 ? 0 : d;
	}
	r->referred = (long)n;
	r->median_days = td_report_median(v, n);
	free(v);
	return finish(db, st, rc, err);
}

int td_store_report(td_db *db, const char *since, const char *until,
		    const char *site, struct td_report *r, td_err *err)
{
	struct period p = { since, until, site };
	int rc;

	td_report_free(r);
	r->median_days = -1;
	if ((rc = counts(db, &p, r, err)) || (rc = months(db, &p, r, err)) ||
	    (rc = countries(db, &p, r, err)))
		goto fail;
	if (have_referrals(db) &&
	    ((rc = partners(db, &p, r, err)) || (rc = delays(db, &p, r, err))))
		goto fail;
	return TD_OK;
fail:
	td_report_free(r);
	return rc;
}

int td_store_report_goal(td_db *db, const char *since, const char *until,
			 const char *site, unsigned statuses, long *n,
			 td_err *err)
{
	struct period p = { since, until, site };
	sqlite3_stmt *st;
	int rc;

	*n = 0;
	if ((rc = prepare(db, "SELECT d.status, count(*) FROM dossier d WHERE"
			  PERIOD " GROUP BY 1", &p, &st, err)))
		return rc;
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		int i = td_enum_find(&td_statuses,
				     (const char *)sqlite3_column_text(st, 0));
		if (i >= 0 && (statuses & (1u << i)))
			*n += (long)sqlite3_column_int64(st, 1);
	}
	return finish(db, st, rc, err);
}
