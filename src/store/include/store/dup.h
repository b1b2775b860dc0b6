/* Duplicate lookup keys, candidate lookup and "not the same person"
 * decisions (src/store/dup.c).  Store header: src/store and src/app only
 * (see store/store.h). */
#ifndef TD_STORE_DUP_H
#define TD_STORE_DUP_H

#include "totemdesk/dup.h"
#include "totemdesk/error.h"
#include "totemdesk/similar.h"

#include <stdint.h>

struct td_db;

/* (Re)write the lookup keys of holder_id from its row and its newest
 * dossier (SIRET, project title), dropping the keys of the values it was
 * indexed under before.  td_store_dossier_insert and
 * td_store_dossier_update do it themselves; any other code that inserts
 * a holder, or changes a holder's name, e-mail, phone or postcode or a
 * dossier's SIRET or title, calls it after the change, in the same
 * transaction. */
int td_store_dup_index(struct td_db *db, const char *holder_id, td_err *err);

/* Drop the lookup keys of holder_id: it is not proposed any more until
 * td_store_dup_index (e.g. before erasing a holder's personal data). */
int td_store_dup_forget(struct td_db *db, const char *holder_id, td_err *err);

/* Same as td_store_dup_index, from values the caller already has (the
 * insert path: no read back). */
int td_store_dup_index_person(struct td_db *db, const char *holder_id,
			      const struct td_dup_person *p, td_err *err);

/* Registered holders similar to typed, best first: at most max (<=
 * TD_DUP_MAX) with a score reaching w->threshold, leaving out pairs
 * whose evidence was all dismissed at site (the desk's site: another
 * site's decisions do not count).  *n receives the count. */
int td_store_dup_lookup(struct td_db *db, const struct td_dup_weights *w,
			const struct td_dup_person *typed, const char *site,
			struct td_dup_match *out, int max, int *n, td_err *err);

/* Record "not the same person", at site, for holder_id and each evidence
 * fingerprint (td_dup_evidence).  Idempotent. */
int td_store_dup_dismiss(struct td_db *db, const char *holder_id,
			 const uint64_t *evidence, int nevidence,
			 const char *site, const char *by, td_err *err);

#endif
