/* Referrals of dossiers to partners and the routing use cases: the
 * routing section of the configuration, suggestions, status changes and
 * the introduction text (td_app_*, td_routing_*, app layer).  Records and
 * rules are core (route.h); the store's statements are in the store
 * header store/referral.h. */
#ifndef TOTEMDESK_REFERRAL_H
#define TOTEMDESK_REFERRAL_H

#include "totemdesk/error.h"
#include "totemdesk/route.h"

#include <stdbool.h>
#include <stdio.h>

struct td_app;
struct td_config;
struct config_setting_t;

/* ---- configuration ----------------------------------------------------- */

/* The "routing" group of the configuration. */
struct td_routing {
	int suggestions;                  /* how many the Route screen shows */
	int followup_days[TD_RS_COUNT];   /* per status, 0 = no follow-up */
	struct td_route_rule rules[TD_ROUTE_MAX_RULES];
	int nrules;
};

/* Built-in routing: 5 suggestions, follow-up after 2 days (proposed), 7
 * (sent), 14 (meeting), 7 (no answer), no rules. */
void td_routing_defaults(struct td_routing *r);

/* Load the "routing" group g of file path into cfg (allocating
 * cfg->routing).  Every mistake is TD_ECONFIG "FILE:LINE: message". */
int td_routing_load(const char *path, struct config_setting_t *g,
		    struct td_config *cfg, td_err *err);

/* ---- app --------------------------------------------------------------- */

/* The routing settings in force: the configuration's, or the built-in
 * ones (td_routing_defaults).  Never NULL. */
const struct td_routing *td_app_routing(const struct td_app *app);

/* One suggestion for the Route screen. */
struct td_suggestion {
	struct td_partner partner;
	struct td_route_fit fit;
	char reason[256];
};

/* Rank the directory for dossier reference; at most max suggestions
 * into out (*n of them).  A rule naming a partner that is not in the
 * directory gives TD_ECONFIG "FILE:LINE: ...". */
int td_app_suggest(struct td_app *app, const char *reference,
		   struct td_suggestion *out, int max, int *n, td_err *err);

/* Refer dossier reference to partner_id (status proposed, follow-up from
 * the configuration, reason kept); the dossier moves to "referred" with
 * its first referral; timeline and audit log record it.  id receives the
 * new referral's id (may be NULL). */
int td_app_refer(struct td_app *app, const char *reference,
		 const char *partner_id, const char *reason,
		 char id[TD_ID_SIZE], td_err *err);

/* One referral by id (or the last of a dossier by its reference), as
 * the user may see it. */
int td_app_referral_get(struct td_app *app, const char *id,
			struct td_referral *out, td_err *err);

/* Change a referral's status (refused with TD_EINVAL when the state
 * machine does not allow it), note (outcome, NULL = unchanged) and
 * follow-up date (as people type it, td_app_date_read: "23/11/2026",
 * "2026-11-23", "+3" working days...; "" = none, NULL = the configured
 * delay for the new status), as a screen that showed it at version seen
 * (td_referral.version) asks: TD_ECONFLICT, nothing written, when
 * another desk changed it since (issue 13 point 2); the screen shows
 * what it holds now beside what was chosen, and calls again with the
 * version now stored if the user keeps theirs.  Audited in the
 * dossier's timeline. */
int td_app_referral_update(struct td_app *app, const char *id, int seen,
			   int status, const char *outcome,
			   const char *followup, td_err *err);

/* Take back the last status change of a referral: before is the
 * referral as read just before td_app_referral_update changed its
 * status, changed_at the updated_at that change wrote.  Refused
 * (TD_EBUSY) when the referral changed since; TD_EINVAL unless the
 * change was a move the state machine allows from before's status (so
 * that nothing else can be written this way).  Status, its date and the
 * follow-up go back to before's; the audit keeps the change and its
 * undoing ("...; undone"). */
int td_app_referral_undo(struct td_app *app, const struct td_referral *before,
			 const char *changed_at, td_err *err);

/* Referrals of a dossier (by reference), oldest first: *out malloc'ed,
 * caller frees. */
int td_app_referral_list(struct td_app *app, const char *reference,
			 struct td_referral **out, int *n, td_err *err);

/* Open referrals due for follow-up today or earlier, at the current site
 * (all sites for officers and administrators). */
int td_app_referral_due(struct td_app *app, struct td_referral **out,
			int *n, td_err *err);

/* The introduction text ("mise en relation") of referral id, from the
 * embedded template of lang ("fr" or "en"), filled with the holder's
 * consented data only.  *text is malloc'ed, caller frees. */
int td_app_referral_text(struct td_app *app, const char *id,
			 const char *lang, char **text, td_err *err);

/* The detail of a timeline entry (action code, detail as logged) as
 * shown to people: the audit log holds codes and fixed English words
 * whatever the language, and they are translated here: a dossier's
 * status change ("new -> referred") and referral entries (status codes as
 * labels, follow-up date in the language's style, outcome note mark);
 * other entries are copied.  out is always terminated when outsz > 0. */
void td_app_event_detail(const char *action, const char *detail, char *out,
			 size_t outsz);

/* Write the introduction text to path through the safe writer
 * (outfile.h: mode 0600, no link followed; an existing file is refused,
 * TD_EEXIST, unless flags has TD_OUT_FORCE -- the screen asks first). */
int td_app_referral_text_file(struct td_app *app, const char *id,
			      const char *lang, const char *path,
			      unsigned flags, td_err *err);

/* Write every referral (of the sites the user may see) as CSV:
 * reference, partner_id, partner_name, status, status_at, followup_on,
 * created_at, created_by, outcome. */
int td_app_referral_export(struct td_app *app, FILE *out, long *count,
			   td_err *err);

#endif
