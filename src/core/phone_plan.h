/* Numbering-plan data behind td_validate_phone (validate.c), generated
 * into phone_plan.c by tests/phone/plan_gen.cc from libphonenumber.
 * Private to src/core.
 *
 * A national significant number (NSN: the digits after the country code,
 * without a trunk 0) is valid in a detailed plan when the one row whose
 * prefix starts it has the NSN's length in its mask.  Prefixes are stored
 * inline, not as pointers, so the tables stay in read-only pages that
 * nothing touches before a number is checked. */
#ifndef TD_CORE_PHONE_PLAN_H
#define TD_CORE_PHONE_PLAN_H

#include <stddef.h>
#include <stdint.h>

#define PHONE_PREFIX_MAX 11

struct phone_range {
	char prefix[PHONE_PREFIX_MAX + 1];
	uint32_t valid;     /* bit L: an NSN of L digits is valid */
	uint32_t personal;  /* bit L: ... and a person's line (fixed,
			     * mobile, VoIP), not a special-rate number */
};

struct phone_plan {
	int cc;                         /* country calling code */
	const struct phone_range *rows; /* sorted, prefix-free */
	size_t count;
};

struct phone_cc {
	int cc;
	uint32_t lengths;   /* bit L: an NSN of L digits is possible */
};

/* The calling codes checked in detail: France, its overseas departments
 * that share the French ten-digit plan, Luxembourg, Germany, Belgium. */
extern const struct phone_plan td_phone_plans[];
extern const size_t td_phone_plan_count;

/* For the national forms of France, Luxembourg, Germany and Belgium: the
 * digits y typed after the country's own code without + or 00 ("352 621
 * 123 456"); a row's mask holds the lengths of y for which the code is
 * taken off (libphonenumber's rule, from patterns it keeps to itself). */
extern const struct phone_plan td_phone_own[];
extern const size_t td_phone_own_count;

/* Every assigned calling code, ascending. */
extern const struct phone_cc td_phone_ccs[];
extern const size_t td_phone_cc_count;

#endif
