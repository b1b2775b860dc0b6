/* Data protection (issue 14): erasure of a person or a dossier, the
 * erasure log a restore and a sync replay, consent withdrawal, and the
 * figures of the record of processing (src/store/privacy.c).  Store
 * header: src/store and src/app only (see store/store.h). */
#ifndef TD_STORE_PRIVACY_H
#define TD_STORE_PRIVACY_H

#include "totemdesk/error.h"
#include "totemdesk/record.h"

#include <stdbool.h>

struct td_db;

/* One row of the erasure log: a record key, never personal data. */
struct td_erasure_rec {
	char key[TD_ID_SIZE];   /* holder id or dossier id */
	char kind[8];           /* "holder" or "dossier" */
	char reason[12];        /* "request" or "retention" */
	char actor[TD_LOGIN_SIZE];
	char at[TD_TIME_SIZE];
};

/* Erase r->key, in one transaction (nested in the caller's if one is
 * open):
 *   kind "holder": the person's names, e-mail, phone, postcode and city,
 *     and in each of their dossiers the title, description and SIRET,
 *     the notes, the referrals' reason and outcome texts and the field
 *     history; their duplicate keys and "not the same person" decisions;
 *   kind "dossier": the same in that one dossier, the holder kept.
 * What the statistics read stays (site, dates, stage, sector, needs,
 * statuses, partners).  The full-text index is brought up to date and
 * merged into one segment ('optimize'), so that no older segment keeps
 * the erased words; secure_delete (every connection) zeroes the freed
 * bytes.  The erasure goes into the erasure log (r, keys only) and the
 * audit ("erase", per dossier).  TD_ENOTFOUND when the key is no record
 * of this database, unless replay (a restore, a sync): the log row is
 * then written anyway.  *ndossiers (may be NULL): dossiers cleared. */
int td_store_erase(struct td_db *db, const struct td_erasure_rec *r,
		   bool replay, int *ndossiers, td_err *err);

/* The exchange's outbox (sync_outbox, issue 15) keeps each write's
 * changeset: the erased values are in it (the intake's insert, the
 * edits, the erasure's own old values).  Blank them there -- the
 * personal columns of the rows of r's holder, dossiers, notes and
 * referrals, and the values of their field history in the logs -- with
 * as many spaces, so that every changeset stays whole and a peer still
 * applies it.  Run after the erasure is committed (its own changeset is
 * then in the outbox); its own transaction (nested in the caller's if
 * one is open).  A database without an outbox has nothing to do. */
int td_store_erase_scrub(struct td_db *db, const struct td_erasure_rec *r,
			 td_err *err);

/* Checkpoint the WAL into the database and truncate it to nothing
 * (after an erasure: the -wal must not keep the old pages).  TD_EBUSY
 * when a reader kept it from finishing. */
int td_store_wal_truncate(struct td_db *db, td_err *err);

/* Each row of the erasure log, oldest first; stops on non-zero. */
int td_store_erasure_each(struct td_db *db,
			  int (*cb)(const struct td_erasure_rec *r, void *ctx),
			  void *ctx, td_err *err);

#endif
