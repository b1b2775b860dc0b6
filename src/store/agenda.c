/* The agenda query (agenda.h): one UNION over referral follow-ups and
 * waiting dossiers, ordered by due date, so the screen reads one page. */
#include "store_int.h"
#include "totemdesk/agenda.h"
#include "totemdesk/domain.h"
#include "totemdesk/i18n.h"
#include "store/agenda.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static bool have_table(td_db *db, const char *name)
{
	sqlite3_stmt *st;
	bool yes = false;
	if (sqlite3_prepare_v2(db->h,
			"SELECT 1 FROM sqlite_master WHERE type = 'table'"
			" AND name = ?1", -1, &st, NULL) != SQLITE_OK)
		return false;
	sqlite3_bind_text(st, 1, name, -1, SQLITE_STATIC);
	yes = sqlite3_step(st) == SQLITE_ROW;
	sqlite3_finalize(st);
	return yes;
}

#define WHO \
	" AND (:who IS NULL OR d.assigned_to = :who)" \
	" AND (:site IS NULL OR d.site_code = :site)"

/* Open referrals: the partner has not answered for good yet. */
static const char referral_part[] =
	"SELECT substr(r.followup_on, 1, 10) AS due, 0 AS kind, d.reference,"
	" d.site_code,"
	" h.last_name || ' ' || h.first_name, d.project_title, p.name,"
	" d.status, d.assigned_to, NULL"
	" FROM referral r JOIN dossier d ON d.id = r.dossier_id"
	" JOIN holder h ON h.id = d.holder_id"
	" JOIN partner p ON p.id = r.partner_id"
	" WHERE r.deleted = 0 AND d.deleted = 0"
	" AND r.status IN ('proposed', 'sent', 'meeting')"
	" AND r.followup_on IS NOT NULL"
	" AND substr(r.followup_on, 1, 10) <= :end" WHO;

/* "since" is the last action when the queue records it. */
#define DOSSIER_PART(since, join) \
	"SELECT date(" since ", 'localtime', :delay) AS due, 1 AS kind," \
	" d.reference, d.site_code, h.last_name || ' ' || h.first_name," \
	" d.project_title, NULL, d.status, d.assigned_to, " since \
	" FROM dossier d JOIN holder h ON h.id = d.holder_id" join \
	" WHERE d.deleted = 0 AND d.status IN ('new', 'triaged')" \
	" AND date(" since ", 'localtime', :delay) <= :end" WHO

static const char dossier_part[] = DOSSIER_PART("d.created_at", "");
static const char dossier_part_activity[] = DOSSIER_PART(
	"coalesce(a.last_action_at, d.created_at)",
	" LEFT JOIN dossier_activity a ON a.dossier_id = d.id");

int td_store_agenda(td_db *db, const char *today, const char *week_end,
		    const char *assignee, const char *site, int stale_days,
		    struct td_agenda *out, td_err *err)
{
	char sql[4096], delay[24];
	sqlite3_stmt *st;
	int rc, code = TD_OK;

	td_agenda_free(out);
	snprintf(out->today, sizeof out->today, "%s", today);
	snprintf(out->week_end, sizeof out->week_end, "%s", week_end);
	snprintf(delay, sizeof delay, "+%d days", stale_days);
	/* Assembled from the fixed fragments above only. */
	snprintf(sql, sizeof sql, "%s%s%s ORDER BY 1, 3 LIMIT %d",
		 have_table(db, "referral") ? referral_part : "",
		 have_table(db, "referral") ? " UNION ALL " : "",
		 have_table(db, "dossier_activity") ? dossier_part_activity
						    : dossier_part,
		 TD_AGENDA_MAX);
	rc = sqlite3_prepare_v2(db->h, sql, -1, &st, NULL);
	if (rc != SQLITE_OK)
		return store_fail(db, rc, err, _("cannot read the agenda"));
	store_bind_opt(st, sqlite3_bind_parameter_index(st, ":who"), assignee);
	store_bind_opt(st, sqlite3_bind_parameter_index(st, ":site"), site);
	store_bind_text(st, sqlite3_bind_parameter_index(st, ":end"), week_end);
	store_bind_text(st, sqlite3_bind_parameter_index(st, ":delay"), delay);

	out->items = calloc(64, sizeof *out->items);
	size_t cap = 64;
	if (!out->items) {
		sqlite3_finalize(st);
		return td_err_set(err, TD_ENOMEM, _("out of memory"));
	}
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		if (out->n == cap) {
			void *nv = realloc(out->items, cap * 2 * sizeof *out->items);
			if (!nv) {
				code = td_err_set(err, TD_ENOMEM, _("out of memory"));
				break;
			}
			out->items = nv;
			cap *= 2;
		}
		struct td_agenda_item *it = &out->items[out->n++];
		memset(it, 0, sizeof *it);
		store_col_copy(st, 0, it->due, sizeof it->due);
		it->kind = sqlite3_column_int(st, 1);
		store_col_copy(st, 2, it->reference, sizeof it->reference);
		store_col_copy(st, 3, it->site, sizeof it->site);
		store_col_copy(st, 4, it->name, sizeof it->name);
		store_col_copy(st, 5, it->title, sizeof it->title);
		store_col_copy(st, 6, it->partner, sizeof it->partner);
		int s = td_enum_find(&td_statuses,
				     (const char *)sqlite3_column_text(st, 7));
		it->status = s < 0 ? 0 : s;
		store_col_copy(st, 8, it->assigned_to, sizeof it->assigned_to);
		store_col_copy(st, 9, it->since, sizeof it->since);
		int c = strcmp(it->due, today);
		it->when = c < 0 ? TD_AG_OVERDUE : c == 0 ? TD_AG_TODAY : TD_AG_WEEK;
		out->count[it->when]++;
	}
	if (code == TD_OK && rc != SQLITE_DONE)
		code = store_fail(db, rc, err, _("cannot read the agenda"));
	sqlite3_finalize(st);
	if (code)
		td_agenda_free(out);
	return code;
}
