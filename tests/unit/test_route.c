/* Routing in core: rule matching, ranking on a fixed directory (order,
 * least-busy tie-break, capacity, rules and stop), the reason line and
 * the referral state machine. */
#include "totemdesk/route.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdio.h>
#include <string.h>

static struct td_partner mk(const char *id, const char *kinds,
			    const char *sites, const char *stages,
			    const char *needs, const char *sectors, int cap,
			    int open)
{
	struct td_partner p;
	memset(&p, 0, sizeof p);
	snprintf(p.id, sizeof p.id, "%s", id);
	snprintf(p.name, sizeof p.name, "Name of %s", id);
	snprintf(p.kinds, sizeof p.kinds, "%s", kinds);
	snprintf(p.sites, sizeof p.sites, "%s", sites);
	snprintf(p.stages, sizeof p.stages, "%s", stages);
	snprintf(p.needs, sizeof p.needs, "%s", needs);
	snprintf(p.sectors, sizeof p.sectors, "%s", sectors);
	p.capacity = cap;
	p.open = open;
	p.active = true;
	return p;
}

static unsigned need(const char *code)
{
	return 1u << td_enum_find(&td_needs, code);
}

/* The fixed directory of the ranking tests. */
static struct td_partner dir[8];
static int ndir;

static void fill_dir(void)
{
	int i = 0;
	/* Two funders equal in every way but their workload. */
	dir[i++] = mk("fund-busy", "funding", "MET", "seed|creation",
		      "funding", "", 0, 3);
	dir[i++] = mk("fund-calm", "funding", "MET", "seed|creation",
		      "funding", "", 0, 1);
	/* Regional funder: serves every site and stage. */
	dir[i++] = mk("fund-region", "funding", "ALL", "ALL", "funding|advice",
		      "", 0, 0);
	/* Nancy only: wrong site for a Metz dossier. */
	dir[i++] = mk("fund-nancy", "funding", "NAN", "seed", "funding", "",
		      0, 0);
	/* Hosting only: serves none of the needs asked below. */
	dir[i++] = mk("host-metz", "hosting", "MET", "ALL", "hosting", "", 0,
		      0);
	/* A fintech specialist, but full. */
	dir[i++] = mk("fintech-full", "funding", "MET", "seed", "funding",
		      "fintech", 2, 2);
	/* Inactive: never suggested. */
	dir[i] = mk("fund-closed", "funding", "MET", "seed", "funding", "", 0,
		    0);
	dir[i++].active = false;
	ndir = i;
}

static struct td_route_case metz_seed_funding(void)
{
	struct td_route_case c;
	memset(&c, 0, sizeof c);
	strcpy(c.site, "MET");
	c.site_name = "Metz";
	c.stage = td_enum_find(&td_stages, "seed");
	c.sector = 0;
	c.needs = need("funding");
	return c;
}

static void ranking_is_deterministic_with_least_busy_tie_break(void **state)
{
	struct td_route_fit f[8], g[8];
	struct td_route_case c = metz_seed_funding();
	fill_dir();
	int n = td_route_rank(dir, ndir, NULL, 0, &c, f, 8);
	/* fund-region and the two Metz funders score 10+5+4 = 19; the
	 * least busy comes first, then by id. */
	assert_int_equal(n, 5);
	assert_string_equal(dir[f[0].partner].id, "fund-region");
	assert_int_equal(f[0].score, 19);
	assert_string_equal(dir[f[1].partner].id, "fund-calm");
	assert_string_equal(dir[f[2].partner].id, "fund-busy");
	assert_int_equal(f[1].score, f[2].score);
	/* Wrong site: 10+5-8 = 7; full: 10+5+4-20 = -1. */
	assert_string_equal(dir[f[3].partner].id, "fund-nancy");
	assert_int_equal(f[3].score, 7);
	assert_string_equal(dir[f[4].partner].id, "fintech-full");
	assert_true(f[4].full);
	/* Hosting-only and inactive partners are left out. */
	for (int i = 0; i < n; i++) {
		assert_string_not_equal(dir[f[i].partner].id, "host-metz");
		assert_string_not_equal(dir[f[i].partner].id, "fund-closed");
	}
	/* Same input, same output. */
	assert_int_equal(td_route_rank(dir, ndir, NULL, 0, &c, g, 8), n);
	assert_memory_equal(f, g, sizeof f[0] * (size_t)n);

	/* Swap the workloads: the order of the two swaps too. */
	dir[0].open = 0;
	dir[1].open = 5;
	n = td_route_rank(dir, ndir, NULL, 0, &c, f, 8);
	assert_string_equal(dir[f[0].partner].id, "fund-busy");
	assert_string_equal(dir[f[1].partner].id, "fund-region");
	assert_string_equal(dir[f[2].partner].id, "fund-calm");
	/* max cuts the list. */
	assert_int_equal(td_route_rank(dir, ndir, NULL, 0, &c, f, 2), 2);
}

static void sector_and_needs_count(void **state)
{
	struct td_route_fit f[8];
	struct td_route_case c = metz_seed_funding();
	fill_dir();
	dir[5].capacity = 0; /* fintech no longer full */
	c.sector = td_enum_find(&td_sectors, "fintech");
	int n = td_route_rank(dir, ndir, NULL, 0, &c, f, 8);
	assert_true(n > 0);
	/* The fintech specialist: 10 + 5 + 3 + 4 = 22. */
	assert_string_equal(dir[f[0].partner].id, "fintech-full");
	assert_int_equal(f[0].score, 22);
	assert_int_equal(f[0].sector_ok, 1);

	/* Two needs served beat one: region serves advice and funding. */
	c.sector = 0;
	c.needs |= need("advice");
	n = td_route_rank(dir, ndir, NULL, 0, &c, f, 8);
	assert_string_equal(dir[f[0].partner].id, "fund-region");
	assert_int_equal(f[0].score, 29);
	/* The "network" kind serves the "networking" need. */
	struct td_partner net = mk("club", "network", "ALL", "ALL", "", "", 0, 0);
	c.needs = need("networking");
	assert_int_equal(td_route_rank(&net, 1, NULL, 0, &c, f, 8), 1);
	assert_int_equal(f[0].needs_met, need("networking"));
}

static struct td_route_rule rule(const char *name)
{
	struct td_route_rule r;
	memset(&r, 0, sizeof r);
	snprintf(r.name, sizeof r.name, "%s", name);
	r.kind = -1;
	r.siret = -1;
	r.weight = 100;
	return r;
}

static void rules_match_boost_and_stop(void **state)
{
	struct td_route_fit f[8];
	struct td_route_case c = metz_seed_funding();
	struct td_route_rule r[3];
	fill_dir();

	/* Conditions. */
	r[0] = rule("a");
	assert_true(td_route_rule_matches(&r[0], &c));
	strcpy(r[0].sites, "NAN|EPI");
	assert_false(td_route_rule_matches(&r[0], &c));
	strcpy(r[0].sites, "NAN|MET");
	assert_true(td_route_rule_matches(&r[0], &c));
	r[0].siret = 1;
	assert_false(td_route_rule_matches(&r[0], &c));
	c.siret = true;
	assert_true(td_route_rule_matches(&r[0], &c));
	r[0].stages = 1u << td_enum_find(&td_stages, "growth");
	assert_false(td_route_rule_matches(&r[0], &c));
	r[0].stages |= 1u << c.stage;
	assert_true(td_route_rule_matches(&r[0], &c));
	/* country = "LU": a French holder no, a Luxembourg one yes */
	r[0].countries = 1u << td_enum_find(&td_countries, "LU");
	assert_false(td_route_rule_matches(&r[0], &c));
	c.country = TD_COUNTRY_LU;
	assert_true(td_route_rule_matches(&r[0], &c));
	r[0].countries = 0;
	c.country = TD_COUNTRY_FR;
	r[0].needs = need("hosting");
	assert_false(td_route_rule_matches(&r[0], &c));
	r[0].needs |= need("funding");
	assert_true(td_route_rule_matches(&r[0], &c));
	r[0].sectors = 1u << td_enum_find(&td_sectors, "retail");
	assert_false(td_route_rule_matches(&r[0], &c)); /* sector not set */

	/* A rule naming a partner brings even a non-matching one first. */
	r[0] = rule("hosting first");
	strcpy(r[0].partner, "host-metz");
	int n = td_route_rank(dir, ndir, r, 1, &c, f, 8);
	assert_string_equal(dir[f[0].partner].id, "host-metz");
	assert_int_equal(f[0].rule, 0);
	assert_int_equal(n, 6);

	/* stop: the second rule is not looked at. */
	r[0] = rule("stop here");
	r[0].stop = true;
	r[1] = rule("too late");
	strcpy(r[1].partner, "fund-nancy");
	n = td_route_rank(dir, ndir, r, 2, &c, f, 8);
	assert_string_equal(dir[f[0].partner].id, "fund-region");
	for (int i = 0; i < n; i++)
		assert_int_equal(f[i].rule, -1);
	/* Without the stop it is. */
	r[0].stop = false;
	n = td_route_rank(dir, ndir, r, 2, &c, f, 8);
	assert_string_equal(dir[f[0].partner].id, "fund-nancy");
	assert_int_equal(f[0].rule, 1);

	/* A kind rule boosts every partner of the kind; a negative weight
	 * pushes back. */
	r[0] = rule("no funders");
	r[0].kind = td_enum_find(&td_partner_kinds, "funding");
	r[0].weight = -100;
	n = td_route_rank(dir, ndir, r, 1, &c, f, 8);
	assert_true(f[0].score < 0);
	/* The inactive partner stays out whatever the rules. */
	r[0] = rule("closed");
	strcpy(r[0].partner, "fund-closed");
	n = td_route_rank(dir, ndir, r, 1, &c, f, 8);
	for (int i = 0; i < n; i++)
		assert_string_not_equal(dir[f[i].partner].id, "fund-closed");
}

static void reason_names_the_parts(void **state)
{
	struct td_route_fit f[8];
	struct td_route_case c = metz_seed_funding();
	struct td_route_rule r = rule("Metz funding");
	char line[256];
	fill_dir();
	int n = td_route_rank(dir, ndir, NULL, 0, &c, f, 8);
	assert_true(n >= 3);
	td_route_reason(&f[2], &c, NULL, line, sizeof line);
	/* Untranslated (no catalogue loaded in unit tests). */
	assert_string_equal(line,
		"funding \xe2\x9c\x93 seed \xe2\x9c\x93 Metz \xe2\x9c\x93 "
		"\xe2\x80\x94 3 open referrals");
	td_route_reason(&f[0], &c, NULL, line, sizeof line);
	assert_non_null(strstr(line, "0 open referrals"));
	/* Wrong site shows a cross. */
	td_route_reason(&f[3], &c, NULL, line, sizeof line);
	assert_non_null(strstr(line, "Metz \xc3\x97"));
	td_route_reason(&f[4], &c, NULL, line, sizeof line);
	assert_non_null(strstr(line, "(full)"));

	strcpy(r.partner, "fund-busy");
	n = td_route_rank(dir, ndir, &r, 1, &c, f, 8);
	td_route_reason(&f[0], &c, &r, line, sizeof line);
	assert_true(strncmp(line, "rule Metz funding: ", 19) == 0);
	/* A small buffer is cut, never overrun. */
	char small[12];
	memset(small, 'x', sizeof small);
	td_route_reason(&f[0], &c, &r, small, sizeof small);
	assert_int_equal(strlen(small), sizeof small - 1);
}

static void referral_state_machine(void **state)
{
	enum { P = TD_RS_PROPOSED, S = TD_RS_SENT, M = TD_RS_MEETING,
	       A = TD_RS_ACCEPTED, D = TD_RS_DECLINED, N = TD_RS_NO_ANSWER };
	assert_true(td_referral_transition_ok(P, S));
	assert_true(td_referral_transition_ok(P, D));
	assert_true(td_referral_transition_ok(S, M));
	assert_true(td_referral_transition_ok(S, A));
	assert_true(td_referral_transition_ok(S, D));
	assert_true(td_referral_transition_ok(S, N));
	assert_true(td_referral_transition_ok(M, A));
	assert_true(td_referral_transition_ok(M, D));
	assert_true(td_referral_transition_ok(M, N));
	assert_true(td_referral_transition_ok(N, S));
	/* Skipping ahead, going back, leaving a final state. */
	assert_false(td_referral_transition_ok(P, M));
	assert_false(td_referral_transition_ok(P, A));
	assert_false(td_referral_transition_ok(M, S));
	assert_false(td_referral_transition_ok(S, P));
	assert_false(td_referral_transition_ok(N, A));
	for (int to = 0; to < TD_RS_COUNT; to++) {
		assert_false(td_referral_transition_ok(A, to));
		assert_false(td_referral_transition_ok(D, to));
		assert_false(td_referral_transition_ok(to, to));
	}
	assert_false(td_referral_transition_ok(-1, S));
	assert_false(td_referral_transition_ok(P, TD_RS_COUNT));
	assert_true(td_referral_is_open(P));
	assert_true(td_referral_is_open(M));
	assert_false(td_referral_is_open(N));
	assert_false(td_referral_is_open(A));
	/* Codes are the stored ones. */
	assert_string_equal(td_enum_code(&td_referral_statuses, M), "meeting");
	assert_string_equal(td_enum_code(&td_referral_statuses, N), "no_answer");
}

static void code_lists(void **state)
{
	char bad[32];
	assert_true(td_code_in_list("THI|MET", "MET"));
	assert_true(td_code_in_list(" THI | MET ", "MET"));
	assert_false(td_code_in_list("THI|METZ", "MET"));
	assert_true(td_code_in_list("ALL", "EPI"));
	assert_false(td_code_in_list("", "EPI"));
	assert_true(td_code_list_ok("seed|idea", &td_stages, true, bad, sizeof bad));
	assert_true(td_code_list_ok("ALL", &td_stages, true, bad, sizeof bad));
	assert_false(td_code_list_ok("ALL", &td_stages, false, bad, sizeof bad));
	assert_false(td_code_list_ok("seed|startup", &td_stages, true, bad,
				     sizeof bad));
	assert_string_equal(bad, "startup");
	assert_true(td_code_list_ok("", &td_sectors, false, bad, sizeof bad));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(ranking_is_deterministic_with_least_busy_tie_break),
		cmocka_unit_test(sector_and_needs_count),
		cmocka_unit_test(rules_match_boost_and_stop),
		cmocka_unit_test(reason_names_the_parts),
		cmocka_unit_test(referral_state_machine),
		cmocka_unit_test(code_lists),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
