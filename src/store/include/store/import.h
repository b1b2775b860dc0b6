/* What the import asks of the store (src/store/import.c): holders
 * already registered, references taken.  Store header: src/store and
 * src/app only (see store/store.h). */
#ifndef TD_STORE_IMPORT_H
#define TD_STORE_IMPORT_H

#include "totemdesk/error.h"
#include "totemdesk/record.h"

#include <stdbool.h>

struct td_db;

/* Reference of a live dossier whose holder has this normalised e-mail
 * (which = 1), E.164 phone (2) or whose SIRET (3) is the same, first
 * match in that order; *which = 0 and ref "" when none.  Empty keys are
 * not compared. */
int td_store_holder_match(struct td_db *db, const char *email,
			  const char *phone, const char *siret,
			  char ref[TD_REF_SIZE], int *which, td_err *err);

/* Is reference used by a dossier (deleted ones included: keys are never
 * reused)? */
int td_store_reference_used(struct td_db *db, const char *reference,
			    bool *used, td_err *err);

/* Keep a reference "SITE-YYYY-NNNN" taken from elsewhere: the per-site
 * counter of that year moves past it so that td_store_reference_next
 * never hands it out again.  TD_EINVAL if malformed. */
int td_store_reference_claim(struct td_db *db, const char *reference,
			     td_err *err);

/* The last action on dossier_id was at (UTC ISO), whatever audit entries
 * were written since: an imported dossier's follow-up clock starts at
 * its own created_at, not at the import's audit entry. */
int td_store_activity_reset(struct td_db *db, const char *dossier_id,
			    const char *at, td_err *err);

/* Does reference look like "MET-2026-0042" (site, year, number >= 1)? */
bool td_reference_parse(const char *reference, char site[4], int *year,
			long *number);

#endif
