/* Routing a dossier to partners, in pure C: the partner and referral
 * records, partner kinds, the referral state machine, routing rules as
 * loaded from the configuration, the fit score that ranks partners and
 * the one-line reason shown next to each suggestion.  No I/O: the store
 * fills the records, the app loads the rules, this module decides. */
#ifndef TOTEMDESK_ROUTE_H
#define TOTEMDESK_ROUTE_H

#include "totemdesk/domain.h"
#include "totemdesk/record.h"
#include "totemdesk/validate.h"

#include <stdbool.h>
#include <stddef.h>

#define TD_PARTNER_ID_MAX 63

/* A partner organisation (plain values, nothing to free).  Multi-valued
 * fields are '|'-joined codes as in assets/partners.csv; "ALL" (or an
 * empty sectors list) means every value. */
struct td_partner {
	char id[TD_PARTNER_ID_MAX + 1];
	char name[256];
	char kinds[64];       /* advice|funding|hosting|network */
	char sites[64];       /* THI|MET or ALL */
	char city[128];
	char address[256];
	char website[256];
	char stages[128];     /* idea|seed... or ALL */
	char needs[160];      /* codes of td_needs */
	char sectors[256];    /* codes of td_sectors, "" = any */
	char description[1024];
	char source[1024];
	char contact[128];    /* contact person */
	char email[TD_EMAIL_MAX + 1];
	char phone[32];       /* E.164 */
	int capacity;         /* open referrals it can take, 0 = no limit */
	bool active;
	int open;             /* open referrals now (read from the store) */
	char updated_at[TD_TIME_SIZE];
};

/* Partner kinds, the "kind" column of the seed file. */
extern const struct td_enum td_partner_kinds;

/* Referral statuses: proposed -> sent -> meeting -> accepted / declined /
 * no_answer.  Codes are stored in the database. */
extern const struct td_enum td_referral_statuses;
enum td_referral_status {
	TD_RS_PROPOSED, TD_RS_SENT, TD_RS_MEETING, TD_RS_ACCEPTED,
	TD_RS_DECLINED, TD_RS_NO_ANSWER, TD_RS_COUNT
};

/* Is a referral in status from allowed to move to status to?  proposed ->
 * sent or declined; sent -> meeting, accepted, declined, no_answer;
 * meeting -> accepted, declined, no_answer; no_answer -> sent (sent
 * again); accepted and declined are final. */
bool td_referral_transition_ok(int from, int to);

/* Does a referral in this status still wait for an outcome? */
bool td_referral_is_open(int status);

/* One referral as read back from the store. */
struct td_referral {
	char id[TD_ID_SIZE];
	char dossier_id[TD_ID_SIZE];
	char reference[TD_REF_SIZE];      /* the dossier's */
	char partner_id[TD_PARTNER_ID_MAX + 1];
	char partner_name[256];
	int status;                       /* enum td_referral_status */
	char created_at[TD_TIME_SIZE];
	char updated_at[TD_TIME_SIZE];
	char status_at[TD_TIME_SIZE];     /* when the status last changed */
	char followup_on[11];             /* "YYYY-MM-DD" or "" */
	char created_by[TD_LOGIN_SIZE];
	char outcome[512];
	char reason[256];                 /* why it was suggested */
	int version;                      /* as read: what a change checks */
};

/* Is code (exactly, between '|') in the '|'-joined list?  "ALL" in the
 * list matches any code. */
bool td_code_in_list(const char *list, const char *code);

/* Check a '|'-joined list against vocabulary e (ALL accepted when
 * allow_all).  Returns true, or false with the first bad code copied to
 * bad. */
bool td_code_list_ok(const char *list, const struct td_enum *e,
		     bool allow_all, char *bad, size_t badsz);

/* ---- rules ------------------------------------------------------------- */

#define TD_ROUTE_MAX_RULES 64

/* A routing rule from the configuration.  Conditions left empty (0, "",
 * -1) match everything; a rule matches when all its conditions do. */
struct td_route_rule {
	char name[64];
	int line;             /* in the configuration file */
	char sites[64];       /* '|'-joined site codes, "" = any */
	unsigned stages;      /* bit i = td_stages entry i, 0 = any */
	unsigned sectors;     /* bit i = td_sectors entry i, 0 = any */
	unsigned needs;       /* dossier has at least one of them, 0 = any */
	int siret;            /* -1 any, 0 absent, 1 present */
	unsigned countries;   /* bit i = td_countries entry i (the holder's
			       * country), 0 = any */
	/* actions */
	char partner[TD_PARTNER_ID_MAX + 1]; /* suggest this partner */
	int kind;             /* suggest partners of this kind, -1 = none */
	int weight;           /* bonus of the suggested partners */
	bool stop;            /* later rules are not looked at */
};

/* The dossier as routing sees it. */
struct td_route_case {
	char site[4];
	const char *site_name;  /* for reasons ("Metz"); may be NULL */
	int stage;              /* td_stages index, 0 = not set */
	int sector;             /* td_sectors index, 0 = not set */
	unsigned needs;
	bool siret;
	int country;            /* enum td_country of the holder */
};

/* How one partner fits one case: the score and what made it. */
struct td_route_fit {
	int partner;            /* index in the directory given to rank */
	int score;
	int rule;               /* index of the rule that suggested it, -1 */
	unsigned needs_met;     /* dossier needs this partner serves */
	int stage_ok;           /* 1 yes, 0 no, -1 not asked */
	int sector_ok;          /* 1 yes, 0 no, -1 not asked / generalist */
	int site_ok;            /* 1 yes, 0 no */
	bool full;              /* capacity reached */
	int open;               /* open referrals */
};

/* Does rule r match case c? */
bool td_route_rule_matches(const struct td_route_rule *r,
			   const struct td_route_case *c);

/* Rank the active partners of dir[0..n) for c.  Rules are applied in
 * order: a matching rule gives its bonus (weight) to the partner it names
 * or to every partner of its kind, and stop ends the walk.  Every partner
 * then gets its fit score: 10 per dossier need it serves (a partner's
 * kinds serve the matching needs: advice, funding, hosting, network ->
 * networking), stage taken +5 / not -5, sector taken +3 / not -3, site
 * served +4 / not -8, capacity reached -20.  Partners serving none of the
 * needs are left out unless a rule named them.  Order: score (high
 * first), then fewest open referrals, then id, so the result is the same
 * on every run and work spreads.  Writes at most max fits to out and
 * returns how many. */
int td_route_rank(const struct td_partner *dir, int n,
		  const struct td_route_rule *rules, int nrules,
		  const struct td_route_case *c, struct td_route_fit *out,
		  int max);

/* How partner p fits case c, rules left aside (out->rule = -1): what
 * td_route_rank computes for each partner. */
void td_route_fit(const struct td_partner *p, const struct td_route_case *c,
		  struct td_route_fit *out);

/* Why a partner is written to, for the introduction letter: whole
 * sentences a partner reads, in the language gettext speaks now ("Their
 * needs (funding, hosting) are what you offer. You work in Metz."), of
 * what matches only -- no marks, scores or counts.  "" when nothing
 * matches.  Returns the length. */
size_t td_route_why(const struct td_route_fit *f, const struct td_route_case *c,
		    char *out, size_t outsz);

/* One line saying why: "funding ✓ seed ✓ Metz ✓ — 2 open referrals"
 * (translated parts; "rule NAME:" first when a rule suggested it).
 * Returns the length. */
size_t td_route_reason(const struct td_route_fit *f,
		       const struct td_route_case *c,
		       const struct td_route_rule *rules, char *out,
		       size_t outsz);

#endif
