/* The statistics' GROUP BY queries (src/store/report.c).  Store header:
 * src/store and src/app only (see store/store.h). */
#ifndef TD_STORE_REPORT_H
#define TD_STORE_REPORT_H

#include "totemdesk/error.h"
#include "totemdesk/report.h"

struct td_db;

/* Fill r (counts, months, partners, median) from the database for the
 * UTC interval [since, until) and site (NULL/"" = no bound).  r is reset
 * first; goals are left empty.  Tolerates a database without referrals
 * (zero and none). */
int td_store_report(struct td_db *db, const char *since, const char *until,
		    const char *site, struct td_report *r, td_err *err);

/* Count dossiers created in [since, until) at site (NULL = all) whose
 * status is one in the bit mask statuses (bit i = td_statuses entry i). */
int td_store_report_goal(struct td_db *db, const char *since,
			 const char *until, const char *site,
			 unsigned statuses, long *n, td_err *err);

#endif
