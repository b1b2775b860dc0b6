/* Use cases: what a receptionist or officer can do, with permission
 * checks, whatever the front end (screens or command line). */
#ifndef TOTEMDESK_APP_H
#define TOTEMDESK_APP_H

#include "totemdesk/config.h"
#include "totemdesk/error.h"
#include "totemdesk/record.h"

#include <stdbool.h>
#include <stdio.h>

struct td_db;
struct td_query;

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
};

struct td_app {
	struct td_config cfg;
	struct td_db *db;
	const struct td_user_cfg *me;   /* points into cfg; NULL if unknown */
	const struct td_site_cfg *site; /* points into cfg */
	char login[33];
	char db_path[4096];
	char demo_dir[4096];            /* removed at td_app_close */
	bool have_config;
	bool demo;
	bool color;
	char lang[3];
};

/* Language selection, to call before any translated text is produced:
 * lang "fr"/"en" (NULL = French).  Works under LANG=C too.  localedir is
 * where <lang>/LC_MESSAGES/totemdesk.mo lives. */
void td_app_set_language(const char *lang, const char *localedir);

/* Open config + database as opt says.  On failure err says why; its code
 * is TD_ECONFIG for configuration and usage problems (exit 2). */
int td_app_open(struct td_app *app, const struct td_app_options *opt,
		td_err *err);
void td_app_close(struct td_app *app);

/* Create a new database at path (refuses to overwrite), with schema and
 * the seed partners. */
int td_app_init_db(const char *path, td_err *err);

/* Integrity check and schema version as text lines into report. */
int td_app_check_db(const char *path, char *report, size_t reportsz,
		    td_err *err);

/* Fill a database with n realistic generated dossiers over the four
 * sites (seeded random; the last days include today). */
int td_app_demo_fill(struct td_app *app, int n, unsigned seed, td_err *err);

/* Register a walk-in: validate rec (as the form does), check the user may
 * register at this site, write holder + dossier + audit in one
 * transaction.  On success ref receives the new reference.  On a
 * validation failure, returns TD_EINVAL and res (if non-NULL) says which
 * fields are wrong.  Nothing is written unless everything succeeds. */
int td_app_register(struct td_app *app, const struct td_intake *rec,
		    char ref[TD_REF_SIZE], struct td_intake_check *res,
		    td_err *err);

/* Bounds of "today" (local time) as UTC ISO strings. */
void td_app_today_bounds(char since[TD_TIME_SIZE], char until[TD_TIME_SIZE]);

/* Lists, for screens: count and pages of dossiers matching f, newest
 * first, restricted to what the user may see. */
int td_app_dossier_count(struct td_app *app, const struct td_dossier_filter *f,
			 long *n, td_err *err);
int td_app_dossier_page(struct td_app *app, const struct td_dossier_filter *f,
			long offset, int limit, struct td_dossier_row *rows,
			int *n, td_err *err);
int td_app_dossier_get(struct td_app *app, const char *reference,
		       struct td_dossier *out, td_err *err);
int td_app_timeline(struct td_app *app, const char *dossier_id,
		    int (*cb)(const struct td_event *e, void *ctx), void *ctx,
		    td_err *err);

/* Has the database been changed by another program since last asked? */
bool td_app_changed(struct td_app *app);

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
};

/* Write the matching dossiers to out (CSV RFC 4180 with header, or a JSON
 * array).  *count receives the number of rows. */
int td_app_export(struct td_app *app, const struct td_export_options *o,
		  FILE *out, long *count, td_err *err);

/* Display helpers: "Marie Dupont (reception, Metz)". */
const char *td_app_role_label(const struct td_app *app);

#endif
