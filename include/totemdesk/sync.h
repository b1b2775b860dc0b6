/* The multi-site exchange (issue 15): bundles of changes between the
 * Totems' and the coordination office's databases.  Design:
 * docs/sync.md; setting up: README "Multi-site exchange". */
#ifndef TOTEMDESK_SYNC_H
#define TOTEMDESK_SYNC_H

#include "totemdesk/error.h"

#include <stdbool.h>
#include <stdio.h>

struct td_app;

/* Bundle format version this program writes and reads. */
#define TD_SYNC_FORMAT 1

/* The network key: a file beside the database, mode 0600, the same at
 * every site of the network.  path gets its name. */
void td_app_sync_key_path(const struct td_app *app, char *path, size_t n);

struct td_sync_summary {
	char peer[8];		/* the other site */
	long entries;		/* changes in the bundle */
	long applied, skipped, gaps, conflicts;
	long long bundle;	/* its number at the source */
	long bytes;
	bool new_db;		/* the peer's site has a new database
				 * (restored): its acknowledgements start
				 * again from its bundle's */
};

/* Write to path (temporary file and rename, 0600) the changes the peer
 * to_site has not acknowledged; to_site NULL: the coordination office
 * (from a Totem; the coordination office must name the peer).  An
 * existing file is replaced only with force (TD_EEXIST otherwise). */
int td_app_sync_export(struct td_app *app, const char *path,
		       const char *to_site, bool force,
		       struct td_sync_summary *s, td_err *err);

/* The same, to a stream (sync serve, push). */
int td_app_sync_export_stream(struct td_app *app, FILE *out,
			      const char *to_site, struct td_sync_summary *s,
			      td_err *err);

/* Check and apply the bundle in path: refused with nothing applied when
 * it is not a bundle, truncated, damaged or tampered with, of another
 * network, signed with another key, made by a newer schema, addressed to
 * another site, or already imported (replayed).  TD_EINVAL then, the
 * message saying which. */
int td_app_sync_import(struct td_app *app, const char *path,
		       struct td_sync_summary *s, td_err *err);

/* The same, from bytes already read. */
int td_app_sync_import_bytes(struct td_app *app, const void *p, size_t n,
			     struct td_sync_summary *s, td_err *err);

/* Over ssh: push sends this database's bundle for to_site (default the
 * coordination office) to HOST, pull fetches HOST's bundle for this site
 * (HOST being from_site's, default the coordination office) and imports
 * it.  HOST runs "totemdesk sync serve" as the forced command of this
 * site's key.  ssh_config: a file for ssh -F, or NULL. */
int td_app_sync_push(struct td_app *app, const char *host, const char *to_site,
		     const char *ssh_config, struct td_sync_summary *s,
		     td_err *err);
int td_app_sync_pull(struct td_app *app, const char *host,
		     const char *from_site, const char *ssh_config,
		     struct td_sync_summary *s, td_err *err);

/* The forced command's side: one request read from fd in, the answer
 * written to fd out.  peer: the site whose key it is. */
int td_app_sync_serve(struct td_app *app, const char *peer, int in, int out,
		      td_err *err);

/* sync status: per peer, last exchange, pending changes; unresolved
 * conflicts.  Written as text lines to out. */
int td_app_sync_status(struct td_app *app, FILE *out, td_err *err);

/* The conflicts the rules settled, for the Sync screen. */
struct td_sync_conflict_view {
	long long id;
	char at[24];
	char what[400];		/* "dossier MET-... status" */
	char kept[256], lost[256];
	char kept_site[8], lost_site[8];
	char rule[16];
	bool settled;
};
int td_app_sync_conflicts(struct td_app *app,
			  int (*cb)(const struct td_sync_conflict_view *c,
				    void *ctx),
			  void *ctx, td_err *err);
/* Settle conflict id the other way (officers and administrators). */
int td_app_sync_settle(struct td_app *app, long long id, td_err *err);

/* SHA-256 of the canonical content (hex, 65 bytes), to compare databases
 * (tests, "sync status --hash"). */
int td_app_sync_content_hash(struct td_app *app, char hex[65], td_err *err);

#endif
