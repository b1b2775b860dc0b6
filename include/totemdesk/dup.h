/* Duplicate warning: the lookup keys kept by the store, the candidate
 * lookup, "not the same person" decisions (store layer, td_store_dup_*)
 * and the use cases the intake form calls (app layer, td_app_dup_*).
 * Scoring itself is pure: see similar.h. */
#ifndef TOTEMDESK_DUP_H
#define TOTEMDESK_DUP_H

#include "totemdesk/error.h"
#include "totemdesk/intake.h"
#include "totemdesk/record.h"
#include "totemdesk/similar.h"

#include <stdint.h>

struct td_db;
struct td_app;

/* At most this many matches are returned by one lookup. */
#define TD_DUP_MAX 8

/* A registered holder that looks like the one being typed, with its
 * newest dossier.  Plain values; nothing to free. */
struct td_dup_match {
	char holder_id[TD_ID_SIZE];
	char reference[TD_REF_SIZE];
	char site[4];
	char created_at[TD_TIME_SIZE];
	int status;                          /* index in td_statuses */
	char last_name[TD_NAME_MAX * 4 + 1];
	char first_name[TD_NAME_MAX * 4 + 1];
	int score;
	unsigned reasons;                    /* enum td_dup_reason bits */
	uint64_t evidence[4];                /* td_dup_evidence of the pair */
	int nevidence;
};

/* ---- store ------------------------------------------------------------ */

/* (Re)write the lookup keys of holder_id from its row and its newest
 * dossier (SIRET, project title), dropping the keys of the values it was
 * indexed under before.  td_store_dossier_insert and
 * td_store_dossier_update do it themselves; any other code that inserts
 * a holder, or changes a holder's name, e-mail, phone or postcode or a
 * dossier's SIRET or title, calls it after the change, in the same
 * transaction. */
int td_store_dup_index(struct td_db *db, const char *holder_id, td_err *err);

/* Drop the lookup keys of holder_id: it is not proposed any more until
 * td_store_dup_index (e.g. before erasing a holder's personal data). */
int td_store_dup_forget(struct td_db *db, const char *holder_id, td_err *err);

/* Same as td_store_dup_index, from values the caller already has (the
 * insert path: no read back). */
int td_store_dup_index_person(struct td_db *db, const char *holder_id,
			      const struct td_dup_person *p, td_err *err);

/* Registered holders similar to typed, best first: at most max (<=
 * TD_DUP_MAX) with a score reaching w->threshold, leaving out pairs
 * whose evidence was all dismissed.  *n receives the count. */
int td_store_dup_lookup(struct td_db *db, const struct td_dup_weights *w,
			const struct td_dup_person *typed,
			struct td_dup_match *out, int max, int *n, td_err *err);

/* Record "not the same person" for holder_id and each evidence
 * fingerprint (td_dup_evidence).  Idempotent. */
int td_store_dup_dismiss(struct td_db *db, const char *holder_id,
			 const uint64_t *evidence, int nevidence,
			 const char *site, const char *by, td_err *err);

/* ---- app -------------------------------------------------------------- */

/* Look for registered holders like the intake being typed (raw form
 * values: each field is normalised here, an invalid one is ignored),
 * with the configured weights.  Any site's holders are found: reception
 * at one site must know the person is already followed at another. */
int td_app_dup_lookup(struct td_app *app, const struct td_intake *typed,
		      struct td_dup_match *out, int max, int *n, td_err *err);

/* The user says m is not the person typed: remember it (audit logged). */
int td_app_dup_dismiss(struct td_app *app, const struct td_dup_match *m,
		       td_err *err);

#endif
