/* Data protection (issue 14): the rights of the people registered, for
 * mission officers and administrators (td_app_may_privacy).  The use
 * cases live in src/app/privacy.c. */
#ifndef TOTEMDESK_PRIVACY_H
#define TOTEMDESK_PRIVACY_H

#include "totemdesk/error.h"
#include "totemdesk/record.h"

#include <stdbool.h>

struct td_app;

struct td_erase_result {
	char holder_id[TD_ID_SIZE]; /* the record key erased */
	int ndossiers;              /* dossiers of the person cleared */
	bool wal_busy;              /* the -wal could not be truncated (a
				     * reader kept it): say so */
};

/* Erase the person of dossier reference: their names, e-mail, phone,
 * postcode and city, and in each of their dossiers the title,
 * description, SIRET, notes, referral texts and field history; what the
 * statistics need stays.  Nothing of it survives in the file
 * (secure_delete, the search index merged, the duplicate keys dropped,
 * the WAL checkpointed and truncated).  Logged by record key in the
 * erasure log, which a restore replays, and in the audit. */
int td_app_privacy_erase(struct td_app *app, const char *reference,
			 struct td_erase_result *res, td_err *err);

#endif
