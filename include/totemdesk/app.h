/* Use cases: what a receptionist or officer can do, with permission
 * checks, whatever the front end (screens or command line). */
#ifndef TOTEMDESK_APP_H
#define TOTEMDESK_APP_H

#include "totemdesk/config.h"
#include "totemdesk/error.h"
#include "totemdesk/record.h"

#include <stdbool.h>
#include <stdio.h>

struct td_query;

/* The open session: configuration, who is at the keyboard, which site,
 * the database.  Opaque above src/app (the database handle with it): the
 * front ends hold a pointer from td_app_open and read what they need
 * through the accessors below. */
struct td_app;

struct td_app_options {
	const char *config_path;  /* --config, may be NULL */
	const char *db_path;      /* --db, may be NULL */
	const char *site;         /* --site, may be NULL */
	const char *lang;         /* --lang, may be NULL */
	bool demo;                /* --demo: built-in config, throwaway db */
	bool no_color;            /* --no-color */
	bool need_user;           /* refuse logins the config does not know */
	bool need_config;         /* refuse to run without a config file */
	bool create_db;           /* create the database if missing */
	bool no_db;               /* resolve db_path but do not open it */
	/* Called with the loaded configuration before the database is
	 * opened (NULL: none), so that every configuration mistake -- the
	 * ui.keys the screens parse included -- stops the program before
	 * it touches the database, from the command line as from the
	 * screens.  Returns TD_OK or TD_ECONFIG with "FILE:LINE: ...". */
	int (*check_config)(const struct td_config *cfg, td_err *err);
};

/* Language selection, to call before any translated text is produced:
 * lang "fr"/"en" (NULL = French).  Works under LANG=C too.  localedir is
 * where <lang>/LC_MESSAGES/totemdesk.mo lives. */
void td_app_set_language(const char *lang, const char *localedir);

/* Open config + database as opt says.  On success *out is the caller's:
 * td_app_close it.  On failure *out is NULL and err says why; its code is
 * TD_ECONFIG for configuration and usage problems (exit 2). */
int td_app_open(struct td_app **out, const struct td_app_options *opt,
		td_err *err);

/* Close the database, remove a demo's files, free app (NULL is fine). */
void td_app_close(struct td_app *app);

/* What the front ends may read.  Pointers stay valid until td_app_close. */
const struct td_config *td_app_config(const struct td_app *app);
/* The user at the keyboard; NULL when the configuration does not know the
 * login (possible only when the caller did not ask need_user). */
const struct td_user_cfg *td_app_me(const struct td_app *app);
/* The site this session works for (never NULL once open). */
const struct td_site_cfg *td_app_site(const struct td_app *app);
/* The Unix login at the keyboard. */
const char *td_app_login(const struct td_app *app);
/* Language of the interface: "fr" or "en". */
const char *td_app_lang(const struct td_app *app);
/* Started with --demo (built-in configuration, throwaway database). */
bool td_app_demo(const struct td_app *app);
/* Colours wanted: by the configuration and not refused by --no-color. */
bool td_app_color(const struct td_app *app);
/* The database file (also when opened with no_db). */
const char *td_app_db_path(const struct td_app *app);

/* Create a new database at path (refuses to overwrite), with schema and
 * the seed partners. */
int td_app_init_db(const char *path, td_err *err);

/* Integrity check and schema version as text lines into report. */
int td_app_check_db(const char *path, char *report, size_t reportsz,
		    td_err *err);

/* Fill a database with n realistic generated dossiers over the four
 * sites (seeded random; the last days include today). */
int td_app_demo_fill(struct td_app *app, int n, unsigned seed, td_err *err);

/* The programme goals --demo shows: the example configuration's, over
 * the demo's own period (the three years from the January before its
 * oldest dossier). */
struct td_config;
void td_app_demo_goals(struct td_config *cfg);

/* Register a walk-in: validate rec (as the form does), check the user may
 * register at this site, write holder + dossier + audit in one
 * transaction.  On success ref receives the new reference.  On a
 * validation failure, returns TD_EINVAL and res (if non-NULL) says which
 * fields are wrong.  Nothing is written unless everything succeeds. */
int td_app_register(struct td_app *app, const struct td_intake *rec,
		    char ref[TD_REF_SIZE], struct td_intake_check *res,
		    td_err *err);

/* The intake form in progress, kept as a draft of the login at the
 * keyboard at the desk's site (issue 13 point 1), so that a dropped line
 * does not lose it.  td_app_draft_keep replaces it with rec (started_at:
 * when the form was begun, UTC ISO; "" = now), or drops it when rec is
 * blank.  td_app_draft_take first purges the drafts older than
 * intake.draft_hours, then reads this login's into rec and started_at
 * (*found false when there is none).  td_app_draft_drop forgets it (the
 * intake saved, the form left on purpose, the offer declined).
 * td_app_draft_purge drops every login's drafts older than
 * intake.draft_hours; *n the count (may be NULL). */
int td_app_draft_keep(struct td_app *app, const struct td_intake *rec,
		      const char *started_at, td_err *err);
int td_app_draft_take(struct td_app *app, struct td_intake *rec,
		      char started_at[TD_TIME_SIZE], bool *found, td_err *err);
int td_app_draft_drop(struct td_app *app, td_err *err);
int td_app_draft_purge(struct td_app *app, int *n, td_err *err);

/* Bounds of "today" (local time) as UTC ISO strings. */
void td_app_today_bounds(char since[TD_TIME_SIZE], char until[TD_TIME_SIZE]);

/* One dossier by reference, if the user may see it (reception staff:
 * their own site).  Lists of dossiers: queue.h. */
int td_app_dossier_get(struct td_app *app, const char *reference,
		       struct td_dossier *out, td_err *err);
int td_app_timeline(struct td_app *app, const char *dossier_id,
		    int (*cb)(const struct td_event *e, void *ctx), void *ctx,
		    td_err *err);

/* Has the database been changed by another program since last asked? */
bool td_app_changed(struct td_app *app);

/* A descriptor that becomes readable when the database may have been
 * written (Linux: inotify), for a front end to sleep on beside its
 * input instead of polling td_app_changed; -1 when there is none (poll
 * then).  It belongs to the session.  td_app_change_drain empties it
 * and says whether what it held concerns the database (then ask
 * td_app_changed: our own writes wake it too). */
int td_app_change_fd(struct td_app *app);
bool td_app_change_drain(struct td_app *app);

enum td_export_format { TD_EXPORT_CSV, TD_EXPORT_JSON };

struct td_export_options {
	enum td_export_format format;
	const char *site;    /* NULL = all the user may see */
	int status;          /* -1 = any */
	const char *since;   /* "YYYY-MM-DD" local date, NULL = no bound */
	/* The queue's filter and order (queue.h); when set, it replaces
	 * site/status/since and the rows come in its order (else oldest
	 * first). */
	const struct td_query *query;
	bool bom;            /* CSV: start with a UTF-8 byte order mark */
	char sep;            /* CSV: ',' (0 = default) or ';' */
	/* Only these references (the queue's marked rows), in the query's
	 * order; those no longer among its rows are left out.  NULL = every
	 * row. */
	const char *const *only;
	size_t nonly;
	const char *dest;    /* where out goes, for the audit: the file's
			      * path (NULL: standard output) */
};

/* Write the matching dossiers to out (CSV RFC 4180 with header, or a JSON
 * array).  *count receives the number of rows.  Recorded in the audit
 * ("export": who, when, the filter -- a search's words left out --, the
 * number of rows, the format and o->dest). */
int td_app_export(struct td_app *app, const struct td_export_options *o,
		  FILE *out, long *count, td_err *err);

/* The export's column names in order (static strings): the documented
 * ones first, as exports have always had them, then any later field of
 * the field table.  Writes at most max; returns how many there are. */
size_t td_app_export_columns(const char **names, size_t max);

/* Display helpers: "Marie Dupont (reception, Metz)". */
const char *td_app_role_label(const struct td_app *app);

/* ---- who may do what (src/app/perm.c) ----------------------------------
 * Every role and site decision of the program is one of these: the use
 * cases refuse with them, and the screens ask them instead of looking at
 * roles, so that a screen and the command line are refused alike. */

/* May the user act on dossiers (assign, change status): officers and
 * admins.  Everybody who may see a dossier may add a note or edit it.
 * td_app_may_manage_dossiers: the same, TD_EPERM with a message. */
bool td_app_may_manage(const struct td_app *app);
int td_app_may_manage_dossiers(const struct td_app *app, td_err *err);

/* The site code the user is held to -- reception staff see and report on
 * their own site only -- or NULL when every site is open to them. */
const char *td_app_held_site(const struct td_app *app);

/* Does the user see the dossiers of their own site only (reception):
 * td_app_held_site(app) != NULL. */
bool td_app_own_site_only(const struct td_app *app);

/* May dossiers be assigned to u: officers and administrators follow
 * dossiers, reception staff do not. */
bool td_app_may_be_assigned(const struct td_app *app,
			    const struct td_user_cfg *u);

/* Whom to ask about a dossier of site, by name, ", "-joined into out:
 * its mission officers, else its administrators, else its reception
 * staff (the configuration's users).  Returns how many; 0 leaves out
 * "". */
int td_app_site_contacts(const struct td_app *app, const char *site,
			 char *out, size_t outsz);

/* Does the agenda open on the user's own follow-ups (officers), rather
 * than on everybody's (the others have nothing assigned to them)? */
bool td_app_agenda_mine_first(const struct td_app *app);

/* May the user take a backup of the whole database (administrators and
 * root), restore one (root on a shared desk; administrators on a
 * personal one)?  TD_OK, or TD_EPERM with a message. */
int td_app_may_backup(const struct td_app *app, td_err *err);
int td_app_may_restore(const struct td_app *app, td_err *err);

/* Export, import bundles and settle conflicts of the exchange between
 * sites (sync.h): administrators and mission officers. */
int td_app_may_sync(const struct td_app *app, td_err *err);

/* May the user answer the rights of the people registered (issue 14:
 * access export, erasure, consent withdrawal, retention purge, the
 * record of processing): mission officers and administrators, never
 * reception.  TD_OK, or TD_EPERM with a message. */
int td_app_may_privacy(const struct td_app *app, td_err *err);

/* May the user run the retention purge (root -- the nightly timer --,
 * officers and administrators)?  Does the home screen tell them how many
 * dossiers are due (administrators)? */
int td_app_may_purge(const struct td_app *app, td_err *err);
bool td_app_sees_purge_due(const struct td_app *app);

/* TD_OK, or TD_EPERM (TD_ECONFIG without a site) with err saying who may:
 * register visitors at the session's site (a known user; reception
 * staff at their own site only); import dossiers, and edit the partner
 * directory (mission officers and administrators). */
int td_app_may_register(const struct td_app *app, td_err *err);
int td_app_may_import(const struct td_app *app, td_err *err);
int td_app_may_edit_partners(const struct td_app *app, td_err *err);

#endif
