/* The form in progress, kept per login and site (src/store/draft.c,
 * issue 13 point 1).  Store header: src/store and src/app only (see
 * store/store.h). */
#ifndef TD_STORE_DRAFT_H
#define TD_STORE_DRAFT_H

#include "totemdesk/error.h"
#include "totemdesk/intake.h"
#include "totemdesk/record.h"

#include <stdbool.h>

struct td_db;

/* Replace the draft of (login, site) with every field of rec, in one
 * transaction; started_at (UTC ISO) is when the form was begun, saved_at
 * now.  A blank rec (td_intake_is_blank) drops the draft instead. */
int td_store_draft_put(struct td_db *db, const char *login, const char *site,
		       const char *started_at, const struct td_intake *rec,
		       td_err *err);

/* Read the draft of (login, site) into rec (zeroed first) and its start
 * into started_at; *found false when there is none.  A stored value that
 * no longer fits its field (a field renamed, a vocabulary changed) is
 * left empty rather than refusing the rest. */
int td_store_draft_get(struct td_db *db, const char *login, const char *site,
		       struct td_intake *rec, char started_at[TD_TIME_SIZE],
		       bool *found, td_err *err);

/* Drop the draft of (login, site), if any. */
int td_store_draft_drop(struct td_db *db, const char *login, const char *site,
			td_err *err);

/* Drop every draft last saved before `before` (UTC ISO); *n the number
 * dropped (n may be NULL). */
int td_store_draft_purge(struct td_db *db, const char *before, int *n,
			 td_err *err);

#endif
