/* The multi-site exchange's store side (issue 15, docs/sync.md): change
 * capture with SQLite's session extension, the outbox, peers'
 * acknowledgements, and the application of other databases' changes with
 * the conflict rules.  A store header: src/store, src/app and their tests
 * only. */
#ifndef TD_STORE_SYNC_H
#define TD_STORE_SYNC_H

#include "totemdesk/error.h"

#include <stdbool.h>
#include <stddef.h>

struct td_db;

/* One change as it travels: the changeset of one write transaction at
 * its origin, and the rows it appended to the append-only logs (audit,
 * field history), encoded by the store.  Pointers are owned by whoever
 * filled the struct (the store's callback: valid during the call). */
struct td_sync_change {
	const char *origin;	/* database id of the database that wrote it */
	long long seq;		/* 1, 2, ... per origin */
	const char *site;	/* that database's site */
	const char *at;
	const void *changes;
	size_t nchanges;
	const void *logs;
	size_t nlogs;
	int schema;		/* the schema version of the database that
				 * sent it (0: this one's) */
};

/* This database's id, and the site it serves; site is set to set_site
 * when that is not NULL (first use, or the configuration changed). */
int td_store_sync_self(struct td_db *db, const char *set_site,
		       char db_id[64], char site[8], td_err *err);

/* Call cb for each change the peer has not acknowledged, in the order
 * this database came to know them; stops at a non-zero return. */
int td_store_sync_each_pending(struct td_db *db, const char *peer,
			       int (*cb)(const struct td_sync_change *c,
					 void *ctx),
			       void *ctx, td_err *err);

/* How many changes the peer has not acknowledged. */
int td_store_sync_pending_count(struct td_db *db, const char *peer,
				long long *n, td_err *err);

/* What this database has applied: for each origin, its highest sequence
 * (they are applied in order, so every lower one too). */
int td_store_sync_each_applied(struct td_db *db,
			       int (*cb)(const char *origin, long long seq,
					 void *ctx),
			       void *ctx, td_err *err);

/* Record that the peer has everything of origin up to seq (never lowers
 * what it had acknowledged). */
int td_store_sync_ack(struct td_db *db, const char *peer, const char *origin,
		      long long seq, td_err *err);

/* The peers this database has exchanged with, or counts changes for. */
struct td_sync_peer {
	char site[8];
	char db_id[64];
	char last_in[24], last_out[24];
	long long last_bundle;
	long long pending;
};
int td_store_sync_peers(struct td_db *db,
			int (*cb)(const struct td_sync_peer *p, void *ctx),
			void *ctx, td_err *err);

/* The peer's last bundle number seen from its database db_id (0: none).
 * new_db: the peer's site had another database before (restored from a
 * backup, or installed again): its bundles are numbered afresh and what
 * it acknowledged before no longer holds.  td_store_sync_peer_in records
 * a bundle read from it now. */
int td_store_sync_peer_last(struct td_db *db, const char *peer,
			    const char *db_id, long long *last, bool *new_db,
			    td_err *err);
/* Forget what the peer acknowledged (its database is new): it is sent
 * again whatever its next bundle does not acknowledge. */
int td_store_sync_peer_forget_acks(struct td_db *db, const char *peer,
				   td_err *err);
/* How many rows of exchanged tables (and logs) this connection wrote
 * outside a captured transaction, and the first one's table (tbl may be
 * NULL): such a write never reaches the other sites, so it must be 0. */
long td_store_sync_uncaptured(struct td_db *db, char tbl[64]);
/* Give this database a new exchange identity (after a restore: the
 * backup's identity numbered changes its peers have already applied
 * past the backup; new changes must not reuse those numbers).  Inside a
 * write transaction; db_id receives the new id. */
int td_store_sync_new_identity(struct td_db *db, char db_id[64],
			       td_err *err);
int td_store_sync_peer_in(struct td_db *db, const char *peer,
			  const char *db_id, long long bundle, const char *at,
			  td_err *err);
int td_store_sync_peer_out(struct td_db *db, const char *peer, const char *at,
			   long long *bundle, td_err *err);

/* Applying other databases' changes: td_store_sync_apply_begin opens
 * the one transaction (nothing captured: the changes keep their
 * origin), td_store_sync_apply applies one change, in order, and
 * td_store_sync_apply_end commits (status TD_OK) or rolls back. */
struct td_sync_result {
	long applied, skipped, gaps, conflicts;
	long erasures;		/* erasures of other sites replayed here */
};
int td_store_sync_apply_begin(struct td_db *db, td_err *err);
int td_store_sync_apply(struct td_db *db, const struct td_sync_change *c,
			const char *at, struct td_sync_result *res, td_err *err);
int td_store_sync_apply_end(struct td_db *db, int status, td_err *err);

/* Conflicts recorded by the rules. */
struct td_sync_conflict {
	long long id;
	char at[24];
	char tbl[32];
	char row_key[64];
	char col[32];
	char kept[256], lost[256];
	char kept_site[8], lost_site[8];
	char rule[16];
	bool settled;
};
int td_store_sync_conflicts(struct td_db *db, bool open_only,
			    int (*cb)(const struct td_sync_conflict *c,
				      void *ctx),
			    void *ctx, td_err *err);
int td_store_sync_conflict_count(struct td_db *db, long long *n, td_err *err);

/* Settle conflict id the other way: the value that lost is written
 * (a local change, captured and sent like any other), and the conflict
 * marked settled by actor. */
int td_store_sync_settle(struct td_db *db, long long id, const char *actor,
			 const char *at, td_err *err);

/* A canonical dump of the shared content (the captured tables and the
 * logs, without local ids), for comparing databases: SHA-free, the
 * caller hashes it.  cb gets it in pieces. */
int td_store_sync_canonical(struct td_db *db,
			    int (*cb)(const void *p, size_t n, void *ctx),
			    void *ctx, td_err *err);

/* Is table local to this database (never exchanged)? */
bool td_store_sync_local_table(const char *name);

#endif
