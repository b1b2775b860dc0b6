/* Duplicate warning: the use cases the intake form calls (app layer,
 * td_app_dup_*) and what they return.  The lookup keys, the candidate
 * lookup and the "not the same person" decisions are the store's
 * (store/dup.h); scoring itself is pure: see similar.h. */
#ifndef TOTEMDESK_DUP_H
#define TOTEMDESK_DUP_H

#include "totemdesk/error.h"
#include "totemdesk/intake.h"
#include "totemdesk/record.h"
#include "totemdesk/similar.h"

#include <stdbool.h>
#include <stdint.h>

struct td_app;

/* At most this many matches are returned by one lookup. */
#define TD_DUP_MAX 8

/* A registered holder that looks like the one being typed, with its
 * newest dossier.  Plain values; nothing to free.
 *
 * other_site: the dossier is at a site the user may not open (reception
 * staff of another site): only the reference, the site and the reasons
 * (which fields matched) are filled; the names, date and status are
 * left empty (status -1), so that a desk learns the person is followed
 * elsewhere without reading another site's file. */
struct td_dup_match {
	char holder_id[TD_ID_SIZE];
	char reference[TD_REF_SIZE];
	char site[4];
	char created_at[TD_TIME_SIZE];
	int status;                          /* index in td_statuses */
	char last_name[TD_NAME_MAX * 4 + 1];
	char first_name[TD_NAME_MAX * 4 + 1];
	int score;
	bool other_site;                     /* see above */
	unsigned reasons;                    /* enum td_dup_reason bits */
	uint64_t evidence[4];                /* td_dup_evidence of the pair */
	int nevidence;
};

/* Look for registered holders like the intake being typed (raw form
 * values: each field is normalised here, an invalid one is ignored),
 * with the configured weights.  Any site's holders are found: reception
 * at one site must know the person is already followed at another (but
 * sees only other_site's fields of such a match); matches this desk's
 * site said were "not the same person" are left out. */
int td_app_dup_lookup(struct td_app *app, const struct td_intake *typed,
		      struct td_dup_match *out, int max, int *n, td_err *err);

/* The user says m is not the person typed: remember it for this desk's
 * site only -- another site's desk still sees the match (audit
 * logged). */
int td_app_dup_dismiss(struct td_app *app, const struct td_dup_match *m,
		       td_err *err);

#endif
