/* Referral statements (src/store/referral.c).  Store header: src/store
 * and src/app only (see store/store.h). */
#ifndef TD_STORE_REFERRAL_H
#define TD_STORE_REFERRAL_H

#include "totemdesk/error.h"
#include "totemdesk/route.h"

#include <stdbool.h>

struct td_db;

/* Insert a new referral r (id, dossier, partner, status, times set by
 * the caller). */
int td_store_referral_insert(struct td_db *db, const struct td_referral *r,
			     td_err *err);

/* Read one referral by id, with the partner's name and the dossier's
 * reference.  TD_ENOTFOUND if none. */
int td_store_referral_get(struct td_db *db, const char *id,
			  struct td_referral *out, td_err *err);

/* Write r's status, status_at, followup_on and outcome, if the referral
 * is still at r->version (TD_ECONFLICT, nothing written, otherwise). */
int td_store_referral_update(struct td_db *db, const struct td_referral *r,
			     td_err *err);

/* Call cb for each referral of a dossier, oldest first; or, when
 * dossier_id is NULL, for every referral (of site when non-NULL) still
 * open whose follow-up date is on or before due ("YYYY-MM-DD"). */
int td_store_referral_each(struct td_db *db, const char *dossier_id,
			   const char *site, const char *due,
			   int (*cb)(const struct td_referral *r, void *ctx),
			   void *ctx, td_err *err);

/* Move the dossier to "referred" if it is new, triaged or on hold (its
 * first referral).  *changed says whether it moved. */
int td_store_dossier_mark_referred(struct td_db *db, const char *dossier_id,
				   const char *at, bool *changed, td_err *err);

#endif
