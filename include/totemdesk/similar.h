/* Duplicate detection, the pure part: is the person or company being
 * typed at the desk the same as one already registered?  Scoring of a
 * pair with weights from the configuration, name similarity (accent- and
 * case-insensitive, one typo, swapped first/last name) and the 64-bit
 * keys through which the store finds candidates.  No I/O, no globals. */
#ifndef TOTEMDESK_SIMILAR_H
#define TOTEMDESK_SIMILAR_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* Points each kind of evidence adds to a pair's score; a pair is a
 * duplicate when its score reaches threshold.  postcode_differs is
 * subtracted when both postcodes are known and differ, which is what
 * tells two homonyms apart.  From the config group "duplicates". */
struct td_dup_weights {
	int email;            /* same normalised e-mail (case ignored) */
	int phone;            /* same E.164 phone */
	int siret;            /* same SIREN (first 9 digits of the SIRET) */
	int name_exact;       /* same first and last name (folded) */
	int name_typo;        /* one typo in first or last name */
	int name_swap;        /* first and last name swapped (+ one typo) */
	int postcode_same;
	int postcode_differs; /* subtracted */
	int title_same;       /* project titles share most of their words */
	int threshold;
};

/* The weights shipped in config/totemdesk.conf. */
void td_dup_weights_default(struct td_dup_weights *w);

/* What matched in a pair (bit mask). */
enum td_dup_reason {
	TD_DUP_EMAIL = 1u << 0,
	TD_DUP_PHONE = 1u << 1,
	TD_DUP_SIRET = 1u << 2,
	TD_DUP_NAME_EXACT = 1u << 3,
	TD_DUP_NAME_TYPO = 1u << 4,
	TD_DUP_NAME_SWAP = 1u << 5,
	TD_DUP_POSTCODE = 1u << 6,
	TD_DUP_TITLE = 1u << 7,
	TD_DUP_POSTCODE_DIFFERS = 1u << 8,
};

#define TD_DUP_NAME_ANY (TD_DUP_NAME_EXACT | TD_DUP_NAME_TYPO | TD_DUP_NAME_SWAP)
#define TD_DUP_IDENTITY (TD_DUP_EMAIL | TD_DUP_PHONE | TD_DUP_SIRET | \
			 TD_DUP_NAME_ANY)

/* One side of a pair: normalised values as the validators write them
 * (e-mail, E.164 phone, SIRET digits); names and title as typed.  NULL
 * and "" both mean unknown. */
struct td_dup_person {
	const char *last_name, *first_name, *email, *phone, *postcode, *title,
		*siret;
};

/* Score of the pair (typed, known) under w; *reasons (may be NULL)
 * receives what matched.  Without any identity evidence (e-mail, phone,
 * SIRET or name) the score is 0: a shared postcode alone means nothing. */
int td_dup_score(const struct td_dup_weights *w,
		 const struct td_dup_person *typed,
		 const struct td_dup_person *known, unsigned *reasons);

/* Name key: td_text_fold, then letters and digits only ("Jean-Pierre",
 * "jean pierre" and "JEAN PIERRE" all give "jeanpierre").  Returns its
 * length; out is always NUL-terminated. */
size_t td_dup_name_key(const char *in, char *out, size_t outsz);

/* Damerau-Levenshtein distance (optimal string alignment: insertion,
 * deletion, substitution, transposition of neighbours) between two UTF-8
 * strings, counted in code points; stops early and returns max + 1 once
 * the distance exceeds max (max >= 0). */
int td_dup_distance(const char *a, const char *b, int max);

/* Most keys td_dup_keys writes for one person (names at most
 * TD_NAME_MAX code points each, swapped variants included). */
#define TD_DUP_KEYS_MAX 256

/* Lookup keys of p: its e-mail, phone and SIREN, and the name's
 * deletion neighbourhood (SymSpell): "last<sep>first" and every string
 * with one letter deleted, so that two names within one typo of each
 * other always share a key.  With swapped true the keys of
 * "first<sep>last" are added too (the query side does that).  Keys are
 * 64-bit hashes; a collision only adds a candidate that the score then
 * rejects.  Returns the number of keys written (at most max). */
int td_dup_keys(const struct td_dup_person *p, bool swapped, uint64_t *keys,
		int max);

/* Fingerprints of the evidence a pair rests on: for each reason in
 * reasons, the hash of typed's value that matched (the name evidence is
 * the typed folded name, whichever name reason matched).  A "not the
 * same person" decision stores them; the pair comes back only when new
 * evidence appears.  Returns the number written (at most 4). */
int td_dup_evidence(const struct td_dup_person *typed, unsigned reasons,
		    uint64_t out[4]);

#endif
