/* The agenda's statement (src/store/agenda.c).  Store header: src/store
 * and src/app only (see store/store.h). */
#ifndef TD_STORE_AGENDA_H
#define TD_STORE_AGENDA_H

#include "totemdesk/agenda.h"
#include "totemdesk/error.h"

struct td_db;

/* Follow-ups due on or before week_end (local dates), classed against
 * today; only dossiers assigned to assignee (NULL = anyone) at site
 * (NULL = every site).  A waiting dossier is due stale_days calendar
 * days after its last action (the caller may refine that date).  At
 * most TD_AGENDA_MAX lines. */
int td_store_agenda(struct td_db *db, const char *today, const char *week_end,
		    const char *assignee, const char *site, int stale_days,
		    struct td_agenda *out, td_err *err);

#endif
