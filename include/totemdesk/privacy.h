/* Data protection (issue 14): the rights of the people registered, for
 * mission officers and administrators (td_app_may_privacy).  The use
 * cases live in src/app/privacy.c. */
#ifndef TOTEMDESK_PRIVACY_H
#define TOTEMDESK_PRIVACY_H

#include "totemdesk/error.h"
#include "totemdesk/record.h"

#include <stdbool.h>
#include <stdio.h>

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

/* The person of dossier reference withdraws their consent: recorded
 * with its date and the login who took it (TD_EEXIST if it already
 * was); no referral can be made or sent for them afterwards
 * (td_app_refer, td_app_referral_update refuse), and the screen offers
 * erasure.  In each of their dossiers' timelines. */
int td_app_privacy_withdraw(struct td_app *app, const char *reference,
			    td_err *err);

/* The live figures of the record of processing (privacy report). */
struct td_privacy_report {
	struct {
		long holders;          /* people whose data is held */
		char oldest[TD_TIME_SIZE]; /* oldest live dossier, UTC */
		long withdrawals;      /* consents withdrawn, data held */
		long erasures_year, erasures;
	} f;
	long due;                      /* dossiers due for anonymisation */
	int closed_months, untouched_months, drafts_hours, audit_years;
};
int td_app_privacy_report(struct td_app *app, struct td_privacy_report *r,
			  td_err *err);

/* Administrators (issue 14 point 7): cb with each of the 50 latest
 * sensitive operations of the audit log, newest first -- exports (who,
 * filter, rows, file), access exports, erasures, withdrawals, purges --
 * as "at  actor  action  record  detail" lines.  TD_EPERM for others. */
int td_app_privacy_audit(struct td_app *app,
			 void (*cb)(const char *line, void *ctx), void *ctx,
			 td_err *err);

/* Retention (issue 14 point 5): what the configuration's "retention"
 * section makes due now.  dossiers: due for anonymisation (closed long
 * enough, or untouched long enough); people: of them, those whose every
 * dossier is due (erased whole); audit: log entries older than
 * audit_years. */
struct td_purge_result {
	long dossiers, people, audit;
};

/* Apply the retention rules (dry_run: only say what would be done):
 * each due dossier anonymised (its free texts, notes, referral texts and
 * field history erased, reason "retention"), its person erased too when
 * all their dossiers are due; old audit entries deleted.  One line per
 * dossier to out (may be NULL).  Root (the nightly timer), officers and
 * administrators. */
int td_app_privacy_purge(struct td_app *app, bool dry_run, FILE *out,
			 struct td_purge_result *res, td_err *err);

/* How many dossiers are due for anonymisation now (the administrator's
 * home screen, privacy report); 0 when no rule is on. */
int td_app_privacy_due(struct td_app *app, long *n, td_err *err);

/* Whom an access request is about: one of a dossier's reference, an
 * e-mail address or a phone number (as typed; normalised here). */
struct td_access_who {
	const char *reference, *email, *phone;
};

/* Everything held about the person(s) who: for each holder, their data
 * and consent, every dossier (its fields, notes and timeline, its
 * referrals with partner, status history, reason, outcome and
 * introduction text, its field history), the audit entries about them
 * and the duplicate decisions -- as JSON (json) or as a text in the
 * user's language.  Written to path through the safe writer (outfile.h;
 * flags TD_OUT_FORCE replaces a file) or, path NULL, to out.  Logged in
 * the audit ("access_export": who, when, about which holder, by what,
 * to which file).  TD_ENOTFOUND when nobody matches; *nholders (may be
 * NULL) the number of people found. */
int td_app_privacy_access(struct td_app *app, const struct td_access_who *who,
			  bool json, const char *path, unsigned flags,
			  FILE *out, int *nholders, td_err *err);

#endif
