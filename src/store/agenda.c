/* The agenda's referral follow-ups (agenda.h); its waiting dossiers are
 * a preset of the listing engine (app/agenda.c). */
#include "store_int.h"
#include "totemdesk/agenda.h"
#include "totemdesk/domain.h"
#include "totemdesk/i18n.h"
#include "store/agenda.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Open referrals: the partner has not answered for good yet. */
static const char referral_sql[] =
	"SELECT substr(r.followup_on, 1, 10) AS due, d.reference,"
	" d.site_code, h.last_name || ' ' || h.first_name, d.project_title,"
	" p.name, d.status, d.assigned_to"
	" FROM referral r JOIN dossier d ON d.id = r.dossier_id"
	" JOIN holder h ON h.id = d.holder_id"
	" JOIN partner p ON p.id = r.partner_id"
	" WHERE r.deleted = 0 AND d.deleted = 0"
	" AND r.status IN ('proposed', 'sent', 'meeting')"
	" AND r.followup_on IS NOT NULL"
	" AND substr(r.followup_on, 1, 10) <= :end"
	" AND (:who IS NULL OR d.assigned_to = :who)"
	" AND (:site IS NULL OR d.site_code = :site)"
	" ORDER BY 1, 2 LIMIT :max";

/* Append an item to a, growing it. */
static struct td_agenda_item *grow(struct td_agenda *a, size_t *cap)
{
	if (a->n == *cap) {
		size_t ncap = *cap ? *cap * 2 : 64;
		void *nv = realloc(a->items, ncap * sizeof *a->items);
		if (!nv)
			return NULL;
		a->items = nv;
		*cap = ncap;
	}
	struct td_agenda_item *it = &a->items[a->n++];
	memset(it, 0, sizeof *it);
	return it;
}

int td_store_agenda_referrals(td_db *db, const char *week_end,
			      const char *assignee, const char *site,
			      struct td_agenda *out, td_err *err)
{
	sqlite3_stmt *st;
	size_t cap = 0;
	int rc, code = TD_OK;

	td_agenda_free(out);
	rc = sqlite3_prepare_v2(db->h, referral_sql, -1, &st, NULL);
	if (rc != SQLITE_OK)
		return store_fail(db, rc, err, _("cannot read the agenda"));
	store_bind_opt(st, sqlite3_bind_parameter_index(st, ":who"), assignee);
	store_bind_opt(st, sqlite3_bind_parameter_index(st, ":site"), site);
	store_bind_text(st, sqlite3_bind_parameter_index(st, ":end"), week_end);
	sqlite3_bind_int(st, sqlite3_bind_parameter_index(st, ":max"),
			 TD_AGENDA_MAX);
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		struct td_agenda_item *it = grow(out, &cap);
		if (!it) {
			code = td_err_set(err, TD_ENOMEM, _("out of memory"));
			break;
		}
		it->kind = TD_AG_REFERRAL;
		store_col_copy(st, 0, it->due, sizeof it->due);
		store_col_copy(st, 1, it->reference, sizeof it->reference);
		store_col_copy(st, 2, it->site, sizeof it->site);
		store_col_copy(st, 3, it->name, sizeof it->name);
		store_col_copy(st, 4, it->title, sizeof it->title);
		store_col_copy(st, 5, it->partner, sizeof it->partner);
		int s = td_enum_find(&td_statuses,
				     (const char *)sqlite3_column_text(st, 6));
		it->status = s < 0 ? 0 : s;
		store_col_copy(st, 7, it->assigned_to, sizeof it->assigned_to);
	}
	if (code == TD_OK && rc != SQLITE_DONE)
		code = store_fail(db, rc, err, _("cannot read the agenda"));
	sqlite3_finalize(st);
	if (code)
		td_agenda_free(out);
	return code;
}
