/* The partner directory's statements (src/store/partner.c).  Store
 * header: src/store and src/app only (see store/store.h). */
#ifndef TD_STORE_PARTNER_H
#define TD_STORE_PARTNER_H

#include "totemdesk/error.h"
#include "totemdesk/route.h"

#include <stdbool.h>

struct td_db;

/* Insert p (create true; TD_EEXIST if the id is taken) or update every
 * column of the existing partner p->id (create false; TD_ENOTFOUND if
 * none).  Inside the caller's transaction if one is open. */
int td_store_partner_write(struct td_db *db, const struct td_partner *p,
			   bool create, td_err *err);

/* Read partner id (with its open referral count).  TD_ENOTFOUND if none. */
int td_store_partner_get(struct td_db *db, const char *id,
			 struct td_partner *out, td_err *err);

/* Is there a partner id that is not deleted (*yes)?  Reads only what
 * every schema has, so it works on a database not upgraded yet. */
int td_store_partner_exists(struct td_db *db, const char *id, bool *yes,
			    td_err *err);

/* Call cb for every partner (active ones only when active_only), by id,
 * each with its open referral count; stop when cb returns non-zero and
 * return that value. */
int td_store_partner_each(struct td_db *db, bool active_only,
			  int (*cb)(const struct td_partner *p, void *ctx),
			  void *ctx, td_err *err);

/* Set the active flag (partners with referrals are never deleted). */
int td_store_partner_set_active(struct td_db *db, const char *id,
				bool active, td_err *err);

#endif
