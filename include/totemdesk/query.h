/* Which dossiers a list shows, and in which order: the one query type of
 * every list -- the mission officers' queue, today's intakes, the
 * agenda's waiting dossiers, a search, an export.  One value shared by
 * the store (turns it into SQL), the app (adds permissions and dates,
 * makes the presets), the screens and the command line (build it from
 * keys and options) and saved filters (keep it as text).
 *
 * The text form is "key=value;key=value", e.g.
 *   "site=MET;status=new,triaged;need=funding;overdue=1;sort=-date"
 * with the keys of td_query_set.  Values never hold ';'. */
#ifndef TOTEMDESK_QUERY_H
#define TOTEMDESK_QUERY_H

#include "totemdesk/domain.h"
#include "totemdesk/error.h"
#include "totemdesk/record.h"

#include <stdbool.h>
#include <stddef.h>

/* Sortable columns of the queue; codes are "reference", "date", "site",
 * "name", "project", "stage", "needs", "status", "assignee",
 * "followup". */
enum td_qcol {
	TD_QC_REFERENCE, TD_QC_DATE, TD_QC_SITE, TD_QC_NAME, TD_QC_PROJECT,
	TD_QC_STAGE, TD_QC_NEEDS, TD_QC_STATUS, TD_QC_ASSIGNEE,
	TD_QC_FOLLOWUP, TD_QC_COUNT
};
extern const struct td_enum td_qcols;

/* "Default" order: newest first; a search, the latest registered first. */
#define TD_QC_DEFAULT (-1)

#define TD_QUERY_TEXT_MAX 128

struct td_query {
	char site[4];                 /* "" = every site the user may see */
	unsigned statuses;            /* bit i = td_statuses[i]; 0 = any */
	int stage;                    /* index in td_stages, -1 = any */
	int sector;                   /* index in td_sectors, -1 = any */
	unsigned needs;               /* dossiers with any of these; 0 = any */
	char assignee[TD_LOGIN_SIZE]; /* "" = anyone */
	bool unassigned;
	bool overdue;
	char since[11];               /* local dates "YYYY-MM-DD", inclusive */
	char until[11];
	char due[11];                 /* follow-up due on or before this
				       * local date (not closed, on hold) */
	char text[TD_QUERY_TEXT_MAX]; /* search words (FTS5, prefixes) */
	int sort;                     /* enum td_qcol or TD_QC_DEFAULT */
	bool desc;
};

/* Reset q to "everything, default order". */
void td_query_init(struct td_query *q);

/* Set one criterion from text, as the command line and saved filters
 * spell it: site, status (comma list), stage, sector, need (comma list),
 * assignee, unassigned (0/1), overdue (0/1), since, until, due, search, sort
 * ("date", "-date" for descending, "default").  An empty value clears
 * the criterion.  TD_EINVAL naming the key and the accepted values. */
int td_query_set(struct td_query *q, const char *key, const char *value,
		 td_err *err);

/* Parse the text form into q (reset first).  TD_EINVAL on the first bad
 * item; q is then unspecified. */
int td_query_parse(const char *spec, struct td_query *q, td_err *err);

/* Text form of q (only what differs from td_query_init), for saving.
 * Returns the length, or -1 if outsz is too small. */
int td_query_format(const struct td_query *q, char *out, size_t outsz);

/* Does q filter anything (search text included; sort excluded)? */
bool td_query_filters(const struct td_query *q);

/* FTS5 MATCH expression for the words of text: each word quoted and
 * made a prefix ("epi" "vrac" -> "\"epi\"* \"vrac\"*"), all required.
 * Punctuation separates words, so user text can never form FTS5 syntax;
 * one-character words are skipped (they would match nearly everything).
 * Returns the number of words (0: no search). */
int td_query_fts(const char *text, char *out, size_t outsz);

/* One row of the queue: the list row plus what the queue adds. */
struct td_queue_row {
	struct td_dossier_row d;
	int sector;
	int country;                       /* the holder's, td_countries */
	char last_action_at[TD_TIME_SIZE]; /* UTC ISO of the last action */
};

/* Where a keyset read starts, next to its anchor row (the stable key of
 * a row is its dossier's reference). */
enum td_seek {
	TD_SEEK_AFTER,   /* the rows after it (no anchor: the first rows) */
	TD_SEEK_BEFORE,  /* the rows before it (no anchor: the last rows) */
	TD_SEEK_AT,      /* it and the rows after it */
};

/* What the app adds to a query before the store runs it: permission
 * and the dates, converted to UTC ISO bounds. */
struct td_queue_bounds {
	char only_site[4];         /* "" = all sites (reception: their own) */
	char since[TD_TIME_SIZE];  /* created_at >= since; "" = none */
	char until[TD_TIME_SIZE];  /* created_at <  until; "" = none */
	char cutoff[TD_TIME_SIZE]; /* overdue, due: last action before this */
};

#endif
