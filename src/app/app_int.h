/* Private to src/app: the session a front end holds only as a pointer.
 * The database handle lives here so that nothing above src/app can reach
 * it (docs/architecture.md); the screens and the command line read the
 * rest through the accessors of app.h. */
#ifndef TOTEMDESK_APP_INT_H
#define TOTEMDESK_APP_INT_H

#include "totemdesk/app.h"
#include "totemdesk/config.h"

#include <stdbool.h>

struct td_db;

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
	/* Others' writes (watch.c): an inotify descriptor, -1 for none. */
	bool watch_tried, watch_dir;
	int watch_fd;
	char watch_base[256];
};

/* Close the watch of watch.c (td_app_close). */
void app_watch_close(struct td_app *app);

/* td_app_init_db with more open flags (TD_DB_LOCAL: the demo's). */
int app_init_db(const char *path, unsigned flags, td_err *err);

/* flags for td_store_open with what the process needs added (a shared
 * desk's sorts stay in memory: store.h TD_DB_MEMORY_TEMP). */
unsigned app_db_flags(unsigned flags);

/* The site whose references this database mints for a dossier of site:
 * its installation's own site (the configuration's "site"), whatever
 * the dossier's, so that no two databases ever mint the same reference
 * once they exchange (README "References"); the dossier's own site for a
 * demonstration or without a configuration. */
const char *app_minting_site(const struct td_app *app, const char *site);

/* The field history in the timeline (privacy.c): a change "name US old
 * US new" as "City: Metz -> Woippy" in the user's language, and an
 * edit's list of field names ("city, phone") as their labels. */
size_t app_field_change_show(const char *detail, char *out, size_t outsz);
size_t app_field_names_show(const char *names, char *out, size_t outsz);

/* Erase a record by its key (privacy.c): kind "holder" (the person and
 * all their dossiers) or "dossier" (one dossier's free texts), reason
 * "request" or "retention".  The one erasure of the program: the
 * privacy command and screen, the retention purge, the restore's replay
 * and a sync's all call it.  It checks no role: its callers did.
 * replay: the key may be absent (it is logged anyway).  Inside the
 * caller's transaction if one is open on db; the caller then truncates
 * the WAL once committed (td_store_wal_truncate). */
int app_erase(struct td_app *app, struct td_db *db, const char *kind,
	      const char *key, const char *reason, bool replay,
	      int *ndossiers, td_err *err);

/* After app_erase is committed: blank the erased values in the
 * exchange's outbox too (store/privacy.h td_store_erase_scrub). */
int app_erase_scrub(struct td_db *db, const char *kind, const char *key,
		    td_err *err);

/* td_app_referral_text; withdrawn_ok: also for a person who withdrew
 * their consent (their own access export, never a partner's letter). */
int app_referral_text(struct td_app *app, const char *id, const char *lang,
		      bool withdrawn_ok, char **text, td_err *err);

#endif
