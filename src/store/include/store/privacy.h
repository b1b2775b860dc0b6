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
 * statuses, partners).  The full-text index is brought up to date (the
 * caller then merges it: td_store_search_merge); secure_delete (every
 * connection) zeroes the freed bytes.  The erasure goes into the erasure log (r, keys only) and the
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

/* Merge every segment of the full-text index into one ('optimize'),
 * which drops the entries of the rows erased since: FTS5 of SQLite 3.40
 * has no secure-delete of its own, and a deleted row's words stay in
 * older segments until merged.  It rewrites the whole index (seconds at
 * tens of thousands of dossiers: docs/benchmarks.md), so a batch of
 * erasures (a purge, a restore's replay) merges once, at the end. */
int td_store_search_merge(struct td_db *db, td_err *err);

/* Checkpoint the WAL into the database and truncate it to nothing
 * (after an erasure: the -wal must not keep the old pages).  TD_EBUSY
 * when a reader kept it from finishing. */
int td_store_wal_truncate(struct td_db *db, td_err *err);

/* Each row of the erasure log, oldest first; stops on non-zero. */
int td_store_erasure_each(struct td_db *db,
			  int (*cb)(const struct td_erasure_rec *r, void *ctx),
			  void *ctx, td_err *err);

/* Record that holder_id withdrew their consent, at, taken by actor (a
 * login): the holder's consent_withdrawn_at / _by (a first withdrawal
 * stays: TD_EEXIST), and an audit entry "consent_withdraw" for each of
 * their dossiers (their timelines).  TD_ENOTFOUND for no such holder. */
int td_store_consent_withdraw(struct td_db *db, const char *holder_id,
			      const char *actor, const char *at, td_err *err);

/* Retention (issue 14 point 5): the dossiers due at the cutoffs (UTC
 * ISO times; "" = that rule off): closed ones whose closing (the log's
 * last "-> closed", else their last change) is older than closed_before,
 * and any whose last action is older than untouched_before.  cb gets
 * the dossier's id, reference and holder id, and whether every other
 * live dossier of the holder is due too (then the person is erased, not
 * only the dossier).  Already erased dossiers are left out. */
int td_store_retention_due(struct td_db *db, const char *closed_before,
			   const char *untouched_before,
			   int (*cb)(const char *id, const char *reference,
				     const char *holder_id, bool whole,
				     void *ctx),
			   void *ctx, td_err *err);

/* Before another site's changeset cs is applied: the saved filters
 * naming each person it erases (its "erasure" rows of kind holder), and
 * the drafts about them, are deleted, as td_store_erase does, while
 * their names are still here to recognise them. */
int td_store_erase_filters_incoming(struct td_db *db, const void *cs,
				    size_t ncs, td_err *err);

/* How many dossiers td_store_retention_due would give (an index range
 * per rule, not a pass over every dossier). */
int td_store_retention_count(struct td_db *db, const char *closed_before,
			     const char *untouched_before, long *n,
			     td_err *err);

/* The query plan of td_store_retention_count, one "detail" per line (for
 * the test that it uses the indexes). */
int td_store_retention_plan(struct td_db *db, char *out, size_t outsz,
			    td_err *err);

/* Audit entries older than before: count them (*n), and delete them
 * when del (the append-only trigger lets a purge through its gate,
 * table audit_purge, for the one transaction). */
int td_store_audit_purge(struct td_db *db, const char *before, bool del,
			 long *n, td_err *err);

/* The live figures of the record of processing. */
struct td_privacy_figures {
	long holders;            /* people whose data is held (not erased) */
	char oldest[TD_TIME_SIZE]; /* oldest live dossier's creation */
	long withdrawals;        /* consents withdrawn, data still held */
	long erasures_year;      /* erasure log rows since year_start */
	long erasures;           /* all of them */
};
int td_store_privacy_figures(struct td_db *db, const char *year_start,
			     struct td_privacy_figures *f, td_err *err);

/* The rows an access request reads (td_store_privacy_each), key the
 * query's one parameter:
 *   BY_EMAIL, BY_PHONE  holder ids with that normalised e-mail / phone;
 *   DOSSIERS            references of a holder's dossiers, oldest first;
 *   HOLDER              a holder: erased_at, consent_at, consent_version,
 *                       consent_withdrawn_at, consent_withdrawn_by,
 *                       created_at, site_code;
 *   HOLDER_AUDIT        audit entries about a holder itself: at, actor,
 *                       action, detail;
 *   DUP_DECISIONS       "not the same person" decisions about a holder:
 *                       site_code, created_by, created_at;
 *   FIELD_HISTORY       a dossier's field history: at, actor, field,
 *                       old_value, new_value;
 *   SENSITIVE           the 50 latest exports, access exports, erasures,
 *                       withdrawals and purges (key unused): at, actor,
 *                       action, entity_id, detail. */
enum td_privacy_query {
	TD_PQ_BY_EMAIL, TD_PQ_BY_PHONE, TD_PQ_DOSSIERS, TD_PQ_HOLDER,
	TD_PQ_HOLDER_AUDIT, TD_PQ_DUP_DECISIONS, TD_PQ_FIELD_HISTORY,
	TD_PQ_SENSITIVE, TD_PQ_COUNT
};

/* cb with each row of query q for key (NULL columns as ""); stops on
 * non-zero, which is returned. */
int td_store_privacy_each(struct td_db *db, enum td_privacy_query q,
			  const char *key,
			  int (*cb)(int ncols, const char *const *cols,
				    void *ctx),
			  void *ctx, td_err *err);

#endif
