/* The mission officers' queue as use cases (src/app/queue.c): dossiers of
 * every site the user may see, filtered and sorted by a td_query, the
 * follow-up dates, bulk actions, the dossier edit and saved filters.
 * Permissions are checked here, so screens and command line are refused
 * alike. */
#ifndef TOTEMDESK_QUEUE_H
#define TOTEMDESK_QUEUE_H

#include "totemdesk/error.h"
#include "totemdesk/intake.h"
#include "totemdesk/query.h"
#include "totemdesk/record.h"

#include <stdbool.h>
#include <stddef.h>

struct td_app;

/* The store bounds of q for the current user: reception staff are held
 * to their site (TD_EPERM if q asks for another), an unknown site is
 * TD_EINVAL, dates become UTC bounds, "overdue" its cutoff. */
int td_app_queue_bounds(struct td_app *app, const struct td_query *q,
			struct td_queue_bounds *b, td_err *err);

/* The one listing engine for every list of dossiers (the queue, today's
 * intakes, the agenda's waiting dossiers, a search): what a virtual list
 * needs, by keyset only, within what the user may see.  A row's stable
 * key is its dossier's reference (td_dossier_row.reference). */

/* How many dossiers match q: *n = min(count, max); max <= 0 counts them
 * all.  A capped count costs at most max rows: a list shows "more than
 * max - 1" when *n == max and counts them all only when asked (reaching
 * its end).  A site's or every site's dossiers, by status or not, come
 * exact at once: *n may then exceed max. */
int td_app_queue_count(struct td_app *app, const struct td_query *q,
		       long max, long *n, td_err *err);

/* Up to limit rows of q next to the dossier anchor (a reference), in q's
 * order: after it, before it, or from it on (enum td_seek); anchor NULL:
 * the first rows, or the last ones for TD_SEEK_BEFORE (the end of the
 * list).  As cheap 500,000 rows down as at the top; a re-sort or a
 * refresh keeps the cursor's dossier by seeking at it in the new order.
 * TD_ENOTFOUND when anchor is no longer a live dossier. */
int td_app_queue_seek(struct td_app *app, const struct td_query *q,
		      const char *anchor, enum td_seek how, int limit,
		      struct td_queue_row *rows, int *n, td_err *err);

/* *pos = the row number (from 0) of the dossier anchor among q's rows:
 * a count of the rows before it, so far down a big list call it after
 * drawing.  TD_ENOTFOUND when it is not one of q's rows. */
int td_app_queue_locate(struct td_app *app, const struct td_query *q,
			const char *anchor, long *pos, td_err *err);

/* Preset: today's intakes at the current site, newest first. */
void td_app_query_today(const struct td_app *app, struct td_query *q);

/* Next follow-up of a dossier whose last action was at last_action_at
 * (UTC ISO): that local day plus the configured working days, as
 * "YYYY-MM-DD" in due (11 bytes); *overdue when it is before today and
 * the dossier is still followed (not closed, not on hold). */
void td_app_followup(const struct td_app *app, const char *last_action_at,
		     int status, char due[11], bool *overdue);

/* Bulk actions on the dossiers refs[0..n) marked in a list, each as the
 * screen showed it: seen[i] is the version of refs[i] shown (issue 13
 * point 2).  One transaction: a dossier another desk changed since it was
 * shown is left as it is (res->stale[i] set, counted in res->nstale), the
 * others are written (res->written); on return seen[i] holds the version
 * now stored, so that the user can review those left and act again on
 * what they see.  TD_ECONFLICT, nothing written, when every one of them
 * changed.  Assigning and status changes need td_app_may_manage and
 * seen; a status change the workflow forbids (td_status_transition_ok)
 * for any dossier to be written refuses the whole batch (TD_EINVAL
 * naming the dossier); login "" unassigns, and must otherwise be an
 * officer or admin of the configuration.  A note overwrites nothing:
 * seen may be NULL there (the dossier's own screen, shown live).  res
 * may be NULL; res->stale, if not NULL, has n entries (the caller's). */
struct td_bulk_result {
	size_t written;   /* dossiers done (changed, or already as asked) */
	size_t nstale;    /* changed at another desk since shown: left */
	bool *stale;      /* stale[i] for refs[i] (caller's array, or NULL) */
};
int td_app_queue_assign(struct td_app *app, const char *const *refs,
			int *seen, size_t n, const char *login,
			struct td_bulk_result *res, td_err *err);
int td_app_queue_set_status(struct td_app *app, const char *const *refs,
			    int *seen, size_t n, int to,
			    struct td_bulk_result *res, td_err *err);
int td_app_queue_note(struct td_app *app, const char *const *refs, int *seen,
		      size_t n, const char *body, struct td_bulk_result *res,
		      td_err *err);

/* What a bulk status change may offer for refs[0..n): bit s of *offer
 * when every dossier may go to status s (td_status_transition_ok, or is
 * at s already) and one at least would change; bit s of *blocked when s
 * is a move for some of them but not for all.  The dossiers that keep
 * such a move from being offered go into b (at most max, in refs'
 * order; *nb counts them all). */
struct td_move_block {
	char reference[TD_REF_SIZE];
	int status;                  /* its current status */
};
int td_app_queue_moves(struct td_app *app, const char *const *refs, size_t n,
		       unsigned *offer, unsigned *blocked,
		       struct td_move_block *b, size_t max, size_t *nb,
		       td_err *err);

/* One dossier's status or assignee, as a screen that showed it at
 * version seen asks: TD_ECONFLICT, nothing written, when another desk
 * changed it since (issue 13 point 2); the screen then shows what it
 * holds now beside what was chosen, and calls again with the version now
 * stored if the user keeps theirs.  Otherwise as td_app_queue_*. */
int td_app_dossier_set_status(struct td_app *app, const char *reference,
			      int seen, int to, td_err *err);
int td_app_dossier_assign(struct td_app *app, const char *reference,
			  int seen, const char *login, td_err *err);

/* Edit a dossier opened at version `version`: rec is validated exactly
 * as the intake form (td_intake_check; failures in res, TD_EINVAL), the
 * consent is kept as recorded.  TD_ECONFLICT, nothing written, if
 * another desk changed it since (TD_EBUSY if that happens between the
 * check and the write). */
int td_app_dossier_edit(struct td_app *app, const char *reference,
			const struct td_intake *rec, int version,
			struct td_intake_check *res, td_err *err);

/* Saved filters of the current user (td_query_format text). */
int td_app_filter_save(struct td_app *app, const char *name,
		       const struct td_query *q, td_err *err);
int td_app_filter_delete(struct td_app *app, const char *name, td_err *err);
int td_app_filter_list(struct td_app *app,
		       int (*cb)(const char *name, const char *spec, void *ctx),
		       void *ctx, td_err *err);

/* Translated label of a timeline action code ("create", "status",
 * "note", "assign", "edit", "referral"...); unknown codes as given. */
const char *td_app_action_label(const char *code);

#endif
