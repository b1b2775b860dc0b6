/* The SQLite store: schema and migrations, and every SQL statement of the
 * program.  One td_db per open database file.  All functions return a
 * td_status and fill err; nothing here prints or knows about the UI.
 *
 * A store header (src/store/include/store/): only src/store, src/app and
 * their unit tests have this directory on their include path, so the
 * screens and the command line cannot even see these declarations
 * (docs/architecture.md).  The other store headers beside it hold the
 * statements of one module each (partner.h, referral.h, dup.h ...). */
#ifndef TD_STORE_STORE_H
#define TD_STORE_STORE_H

#include "totemdesk/error.h"
#include "totemdesk/query.h"
#include "totemdesk/record.h"

#include <stdbool.h>

/* Schema version this program writes; PRAGMA user_version. */
#define TD_SCHEMA_VERSION 15

/* The last schema version that changed what the exchanged tables hold
 * (a column, a key, what a value means), and the one a bundle says it
 * was made at (docs/sync.md).  A migration of local tables only --
 * caches, indexes, the search index: 14 and 15 -- leaves it, so that a
 * site not yet upgraded to it still takes this version's bundles.  A
 * migration that touches an exchanged table raises it to its own
 * number (test exchange_schema_is_the_last_shared_change). */
#define TD_EXCHANGE_SCHEMA 13

typedef struct td_db td_db;

enum td_open_flags {
	TD_DB_CREATE = 1,     /* create the file if missing (mode 0600, or
			       * 0660 in a set-group-ID directory) */
	TD_DB_NEW = 2,        /* fail with TD_EEXIST if the file exists */
	TD_DB_READONLY = 4,   /* no migration, no writes */
	TD_DB_EXCLUSIVE = 8,  /* alone: no other program may have it open
			       * (restore); TD_EBUSY otherwise */
	TD_DB_MEMORY_TEMP = 16, /* sorts and temporary tables in memory, never
				 * in a file of the user's temporary
				 * directory (shared desk) */
	TD_DB_ANY_SCHEMA = 32,  /* with TD_DB_READONLY: an older schema is
				 * opened as it is, not refused (a look
				 * before the upgrade; schema-1 tables and
				 * columns only) */
	TD_DB_LOCAL = 64,       /* never exchanged (the --demo database):
				 * its writes are not captured for the
				 * other sites (docs/sync.md) */
};

/* Open (and create/migrate as flags allow) the database at path.  Sets
 * WAL, foreign_keys, busy timeout.  A database newer than
 * TD_SCHEMA_VERSION, one that is not ours, or an empty file the call did
 * not create, is refused (TD_ESCHEMA).  A "-shm" file left read-only for
 * us is removed when no other program has the database open, else the
 * open fails naming it (TD_EIO).
 *
 * Every open connection holds a shared flock() on "<path>-lock" (made
 * beside the database, with its mode), and TD_DB_EXCLUSIVE an exclusive
 * one, so td_store_open with
 * TD_DB_EXCLUSIVE fails (TD_EBUSY) while any desk, command or backup of
 * totemdesk has the file open, and they wait (up to the busy timeout)
 * while it runs.  On success *out is owned by the caller: td_store_close
 * it. */
int td_store_open(const char *path, unsigned flags, td_db **out, td_err *err);

/* How long a write waits for another terminal's transaction before
 * failing with TD_EBUSY (default 5000 ms; tests use less). */
void td_store_set_busy_timeout(td_db *db, int ms);

/* Close db (NULL is fine). */
void td_store_close(td_db *db);

/* Schema version of the open database. */
int td_store_schema_version(td_db *db);

/* Run integrity_check and foreign_key_check; "ok" in report when clean,
 * else the first problems, one per line.  Returns TD_OK or TD_ECORRUPT. */
int td_store_check(td_db *db, char *report, size_t reportsz, td_err *err);

/* Write transactions: BEGIN IMMEDIATE / COMMIT / ROLLBACK.  A commit
 * that fails rolls back, leaving no transaction open. */
int td_store_begin(td_db *db, td_err *err);
/* A write transaction that will be rolled back (a dry run): what it
 * writes is not recorded for the other sites, and it cannot commit. */
int td_store_begin_trial(td_db *db, td_err *err);
int td_store_commit(td_db *db, td_err *err);
void td_store_rollback(td_db *db);

/* New globally unique key "<SITE>-<26 Crockford base32 chars>" (48-bit
 * millisecond time + 80 random bits, sortable by creation time). */
int td_store_new_id(const char *site, char out[TD_ID_SIZE], td_err *err);

/* Current time as UTC ISO 8601 "YYYY-MM-DDTHH:MM:SSZ".  When the
 * environment variable TOTEMDESK_NOW is set (tests) it is used instead. */
void td_store_now(char out[TD_TIME_SIZE]);

struct td_site_rec {
	const char *code, *name, *totem, *city, *address;
	bool coordination;
};
/* Insert or update a site (from the configuration). */
int td_store_site_put(td_db *db, const struct td_site_rec *s, td_err *err);

struct td_user_rec {
	const char *login, *name, *role, *site;
};
/* Insert or update a user (from the configuration). */
int td_store_user_put(td_db *db, const struct td_user_rec *u, td_err *err);

/* A partner organisation, as in assets/partners.csv.  Multi-valued fields
 * are '|'-joined code lists. */
struct td_partner_rec {
	const char *id, *name, *kinds, *sites, *city, *address, *website,
		*stages, *needs, *description, *source;
};
/* Insert a partner, or update it if the id exists. */
int td_store_partner_put(td_db *db, const struct td_partner_rec *p, td_err *err);
int td_store_partner_count(td_db *db, long *n, td_err *err);

/* Reserve the next human reference for site and year, e.g. "MET-2026-0042"
 * (per site and year counter, inside the caller's transaction). */
int td_store_reference_next(td_db *db, const char *site, int year,
			    char out[TD_REF_SIZE], td_err *err);

/* Insert the holder described by d->v (normalised) and the dossier d.
 * d->id, d->holder_id and d->reference must be set by the caller (see
 * td_store_new_id and td_store_reference_next); times too.  Inside the
 * caller's transaction. */
int td_store_dossier_insert(td_db *db, const struct td_dossier *d, td_err *err);

/* Append to the audit log (append-only: triggers refuse UPDATE/DELETE).
 * dossier_id may be NULL. */
int td_store_audit(td_db *db, const char *at, const char *actor,
		   const char *action, const char *entity, const char *entity_id,
		   const char *dossier_id, const char *detail, td_err *err);

/* Read one dossier by reference ("MET-2026-0042").  TD_ENOTFOUND if none. */
int td_store_dossier_get(td_db *db, const char *reference,
			 struct td_dossier *out, td_err *err);

/* Call cb for each timeline event of a dossier (audit entries and notes),
 * oldest first. */
int td_store_timeline(td_db *db, const char *dossier_id,
		      int (*cb)(const struct td_event *e, void *ctx), void *ctx,
		      td_err *err);

/* Add a note to a dossier (with its audit entry, in one transaction). */
int td_store_note_add(td_db *db, const char *dossier_id, const char *author,
		      const char *body, const char *at, td_err *err);

/* Has another connection changed the database since the last call?
 * (PRAGMA data_version.) */
bool td_store_changed(td_db *db);

/* ---- the one listing engine (src/store/list.c) ---- */

/* Every list of dossiers is a td_query q within the bounds b the app
 * computed (its site restriction, dates as UTC, the follow-up cutoff).
 * Lists are read by keyset only: no call takes an offset. */

/* How many dossiers match q: *n = min(count, max), at the cost of at
 * most max rows; max <= 0 counts them all.  A site's or every site's
 * dossiers, by status or not, are counted exactly at once whatever max
 * (a tally kept by triggers): *n may then exceed max. */
int td_store_list_count(td_db *db, const struct td_query *q,
			const struct td_queue_bounds *b, long max, long *n,
			td_err *err);

/* Up to limit rows of q, in q's order, next to the dossier whose
 * reference is anchor: just after it (TD_SEEK_AFTER), just before it
 * (TD_SEEK_BEFORE, given in q's order, ending just before it), or from
 * it on (TD_SEEK_AT).  anchor NULL or "": the first rows, or the last
 * ones for TD_SEEK_BEFORE.  As cheap far down as at the top.
 * TD_ENOTFOUND when anchor is no longer a live dossier. */
int td_store_list_seek(td_db *db, const struct td_query *q,
		       const struct td_queue_bounds *b, const char *anchor,
		       enum td_seek how, int limit, struct td_queue_row *rows,
		       int *n, td_err *err);

/* *pos = how many of q's rows come before the dossier anchor (its row
 * number from 0).  Costs a count of those rows: far down a big list,
 * call it after the rows are shown.  TD_ENOTFOUND when anchor is not
 * one of q's rows. */
int td_store_list_locate(td_db *db, const struct td_query *q,
			 const struct td_queue_bounds *b, const char *anchor,
			 long *pos, td_err *err);

/* Call cb with every full record of q, in q's order; stops on non-zero,
 * which is returned (the export). */
int td_store_list_each(td_db *db, const struct td_query *q,
		       const struct td_queue_bounds *b,
		       int (*cb)(const struct td_dossier *d, void *ctx),
		       void *ctx, td_err *err);

/* EXPLAIN QUERY PLAN of the first page (count: of the capped count) of
 * q, one step a line, indented two spaces per level (tests). */
int td_store_list_plan(td_db *db, const struct td_query *q,
		       const struct td_queue_bounds *b, bool count,
		       char *out, size_t outsz, td_err *err);

/* Bring the search index up to date now, after a bulk write (an import):
 * the next search then does not pay for it.  Searches do it anyway when
 * needed. */
int td_store_search_sync(td_db *db, td_err *err);

/* Assign d to login ("" = nobody), with its audit entry ("assign"). */
int td_store_dossier_assign(td_db *db, const struct td_dossier *d,
			    const char *login, const char *actor,
			    const char *at, td_err *err);

/* Move d from its status d->status to to (the caller checked the
 * transition); TD_EBUSY if the stored status is no longer d->status. */
int td_store_dossier_set_status(td_db *db, const struct td_dossier *d, int to,
				const char *actor, const char *at, td_err *err);

/* Write d's editable fields (d->v, normalised) to its holder and
 * dossier; TD_EBUSY if the dossier's version is no longer d->version.
 * With old (the values read before the edit), each changed field is a
 * row of the field history (field_change: who, when, old and new value)
 * and the audit's "edit" entry names the fields, never their values. */
int td_store_dossier_update(td_db *db, const struct td_dossier *d,
			    const struct td_intake *old, const char *actor,
			    const char *at, td_err *err);

/* Saved queue filters, per owner (login), by name: save (replaces a
 * filter of the same name), delete, list (oldest first). */
int td_store_filter_save(td_db *db, const char *owner, const char *name,
			 const char *spec, const char *at, td_err *err);
int td_store_filter_delete(td_db *db, const char *owner, const char *name,
			   const char *at, td_err *err);
int td_store_filter_list(td_db *db, const char *owner,
			 int (*cb)(const char *name, const char *spec, void *ctx),
			 void *ctx, td_err *err);

#endif
