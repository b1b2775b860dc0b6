/* The agenda's referral statement (src/store/agenda.c).  Store header: src/store
 * and src/app only (see store/store.h). */
#ifndef TD_STORE_AGENDA_H
#define TD_STORE_AGENDA_H

#include "totemdesk/agenda.h"
#include "totemdesk/error.h"

struct td_db;

/* Referral follow-ups due on or before week_end (a local date), for
 * dossiers assigned to assignee (NULL = anyone) at site (NULL = every
 * site), oldest due first, at most TD_AGENDA_MAX; into out (reset).  The
 * agenda's waiting dossiers are a preset of the listing engine. */
int td_store_agenda_referrals(struct td_db *db, const char *week_end,
			      const char *assignee, const char *site,
			      struct td_agenda *out, td_err *err);

#endif
