/* Routing in pure C: see route.h.  The score is a small sum of integers
 * so that a receptionist can follow it from the reason line, and ties end
 * on fewest open referrals then id, so the same directory always gives
 * the same order. */
#include "totemdesk/route.h"
#include "totemdesk/i18n.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define TABLE(name, arr) \
	const struct td_enum name = { arr, sizeof arr / sizeof arr[0] }

static const struct td_enum_entry kinds[] = {
	{ "advice", N_("advice"), N_("Coaching, expertise, support programmes.") },
	{ "funding", N_("funding"), N_("Loans, grants, guarantees, investors.") },
	{ "hosting", N_("hosting"), N_("Offices, coworking, incubator space.") },
	{ "network", N_("network"), N_("Networks, clubs, communities.") },
};
TABLE(td_partner_kinds, kinds);

static const struct td_enum_entry rstatuses[] = {
	{ "proposed", N_("proposed"), N_("Suggested, not yet sent to the partner.") },
	{ "sent", N_("sent"), N_("Introduction sent to the partner.") },
	{ "meeting", N_("meeting scheduled"), N_("The partner and the holder have a meeting.") },
	{ "accepted", N_("accepted"), N_("The partner takes the project on.") },
	{ "declined", N_("declined"), N_("The partner (or the holder) said no.") },
	{ "no_answer", N_("no answer"), N_("The partner did not answer.") },
};
TABLE(td_referral_statuses, rstatuses);

_Static_assert(sizeof rstatuses / sizeof rstatuses[0] == TD_RS_COUNT,
	       "one status per enum value");

bool td_referral_transition_ok(int from, int to)
{
	static const unsigned char ok[TD_RS_COUNT][TD_RS_COUNT] = {
		/* to:          pro sen mee acc dec noa */
		/* proposed */  { 0,  1,  0,  0,  1,  0 },
		/* sent */      { 0,  0,  1,  1,  1,  1 },
		/* meeting */   { 0,  0,  0,  1,  1,  1 },
		/* accepted */  { 0,  0,  0,  0,  0,  0 },
		/* declined */  { 0,  0,  0,  0,  0,  0 },
		/* no_answer */ { 0,  1,  0,  0,  0,  0 },
	};
	if (from < 0 || from >= TD_RS_COUNT || to < 0 || to >= TD_RS_COUNT)
		return false;
	return ok[from][to];
}

bool td_referral_is_open(int status)
{
	return status == TD_RS_PROPOSED || status == TD_RS_SENT ||
	       status == TD_RS_MEETING;
}

/* Next '|'-separated item of *p, spaces trimmed; false at the end. */
static bool next_item(const char **p, const char **item, size_t *len)
{
	const char *s = *p;
	if (!s || !*s)
		return false;
	const char *bar = strchr(s, '|');
	size_t n = bar ? (size_t)(bar - s) : strlen(s);
	*p = bar ? bar + 1 : s + n;
	while (n && *s == ' ') {
		s++;
		n--;
	}
	while (n && s[n - 1] == ' ')
		n--;
	*item = s;
	*len = n;
	return true;
}

bool td_code_in_list(const char *list, const char *code)
{
	const char *p = list, *it;
	size_t n, cl = code ? strlen(code) : 0;
	while (next_item(&p, &it, &n)) {
		if (n == 3 && memcmp(it, "ALL", 3) == 0)
			return true;
		if (cl && n == cl && memcmp(it, code, n) == 0)
			return true;
	}
	return false;
}

bool td_code_list_ok(const char *list, const struct td_enum *e,
		     bool allow_all, char *bad, size_t badsz)
{
	const char *p = list, *it;
	size_t n;
	char code[64];
	while (next_item(&p, &it, &n)) {
		if (n == 0)
			continue;
		snprintf(code, sizeof code, "%.*s", (int)n, it);
		if (allow_all && strcmp(code, "ALL") == 0)
			continue;
		if (n >= sizeof code || td_enum_find(e, code) < 0) {
			if (badsz)
				snprintf(bad, badsz, "%.*s", (int)n, it);
			return false;
		}
	}
	return true;
}

bool td_route_rule_matches(const struct td_route_rule *r,
			   const struct td_route_case *c)
{
	if (r->sites[0] && !td_code_in_list(r->sites, c->site))
		return false;
	if (r->stages && !(c->stage > 0 && (r->stages & (1u << c->stage))))
		return false;
	if (r->sectors && !(c->sector > 0 && (r->sectors & (1u << c->sector))))
		return false;
	if (r->needs && !(r->needs & c->needs))
		return false;
	if (r->siret >= 0 && (r->siret != 0) != c->siret)
		return false;
	if (r->countries && !(c->country >= 0 && c->country < 32 &&
			      (r->countries & (1u << c->country))))
		return false;
	return true;
}

/* Needs a partner serves: its own needs list plus those its kinds imply. */
static unsigned partner_needs(const struct td_partner *p)
{
	static const char *const kind_need[][2] = {
		{ "advice", "advice" }, { "funding", "funding" },
		{ "hosting", "hosting" }, { "network", "networking" },
	};
	unsigned m = 0;
	const char *q = p->needs, *it;
	size_t n;
	char code[32];
	while (next_item(&q, &it, &n)) {
		snprintf(code, sizeof code, "%.*s", (int)n, it);
		int i = td_enum_find(&td_needs, code);
		if (i >= 0)
			m |= 1u << i;
	}
	for (size_t k = 0; k < sizeof kind_need / sizeof kind_need[0]; k++)
		if (td_code_in_list(p->kinds, kind_need[k][0]))
			m |= 1u << td_enum_find(&td_needs, kind_need[k][1]);
	return m;
}

static bool partner_has_kind(const struct td_partner *p, int kind)
{
	const char *code = td_enum_code(&td_partner_kinds, kind);
	return *code && td_code_in_list(p->kinds, code);
}

static int popcount(unsigned m)
{
	int n = 0;
	for (; m; m &= m - 1)
		n++;
	return n;
}

static void fit_one(const struct td_partner *p, const struct td_route_case *c,
		    struct td_route_fit *f)
{
	f->needs_met = partner_needs(p) & c->needs;
	f->score += 10 * popcount(f->needs_met);
	f->stage_ok = -1;
	if (c->stage > 0 && p->stages[0]) {
		f->stage_ok = td_code_in_list(p->stages,
					      td_enum_code(&td_stages, c->stage));
		f->score += f->stage_ok ? 5 : -5;
	}
	f->sector_ok = -1;
	if (c->sector > 0 && p->sectors[0]) {
		f->sector_ok = td_code_in_list(p->sectors,
			td_enum_code(&td_sectors, c->sector));
		f->score += f->sector_ok ? 3 : -3;
	}
	f->site_ok = td_code_in_list(p->sites, c->site);
	f->score += f->site_ok ? 4 : -8;
	f->open = p->open;
	f->full = p->capacity > 0 && p->open >= p->capacity;
	if (f->full)
		f->score -= 20;
}

void td_route_fit(const struct td_partner *p, const struct td_route_case *c,
		  struct td_route_fit *f)
{
	memset(f, 0, sizeof *f);
	f->rule = -1;
	fit_one(p, c, f);
}

static const struct td_partner *sort_dir;

static int cmp_fit(const void *a, const void *b)
{
	const struct td_route_fit *x = a, *y = b;
	if (x->score != y->score)
		return x->score > y->score ? -1 : 1;
	if (x->open != y->open)
		return x->open < y->open ? -1 : 1;
	return strcmp(sort_dir[x->partner].id, sort_dir[y->partner].id);
}

int td_route_rank(const struct td_partner *dir, int n,
		  const struct td_route_rule *rules, int nrules,
		  const struct td_route_case *c, struct td_route_fit *out,
		  int max)
{
	struct td_route_fit *all;
	int k = 0;

	if (n <= 0 || max <= 0)
		return 0;
	all = calloc((size_t)n, sizeof *all);
	if (!all)
		return 0;
	for (int i = 0; i < n; i++) {
		all[i].partner = i;
		all[i].rule = -1;
	}
	for (int r = 0; r < nrules; r++) {
		const struct td_route_rule *ru = &rules[r];
		if (!td_route_rule_matches(ru, c))
			continue;
		for (int i = 0; i < n; i++) {
			bool named = ru->partner[0] &&
				     strcmp(ru->partner, dir[i].id) == 0;
			bool kind = ru->kind >= 0 &&
				    partner_has_kind(&dir[i], ru->kind);
			if (!named && !kind)
				continue;
			all[i].score += ru->weight;
			if (all[i].rule < 0)
				all[i].rule = r;
		}
		if (ru->stop)
			break;
	}
	for (int i = 0; i < n; i++) {
		if (!dir[i].active)
			continue;
		fit_one(&dir[i], c, &all[i]);
		if (!all[i].needs_met && all[i].rule < 0)
			continue;
		all[k++] = all[i];
	}
	/* qsort has no context argument in C17; the program is
	 * single-threaded, so a file-scope pointer is enough. */
	sort_dir = dir;
	qsort(all, (size_t)k, sizeof *all, cmp_fit);
	sort_dir = NULL;
	if (k > max)
		k = max;
	memcpy(out, all, (size_t)k * sizeof *out);
	free(all);
	return k;
}

struct sbuf {
	char *p;
	size_t sz, len;
};

__attribute__((format(printf, 2, 3)))
static void put(struct sbuf *b, const char *fmt, ...)
{
	va_list ap;
	if (b->len >= b->sz)
		return;
	va_start(ap, fmt);
	int n = vsnprintf(b->p + b->len, b->sz - b->len, fmt, ap);
	va_end(ap);
	if (n < 0)
		return;
	b->len += (size_t)n < b->sz - b->len ? (size_t)n : b->sz - b->len - 1;
}

#define YES "\xe2\x9c\x93" /* ✓ */
#define NO "\xc3\x97"      /* × (ASCII fallback: x) */

size_t td_route_reason(const struct td_route_fit *f,
		       const struct td_route_case *c,
		       const struct td_route_rule *rules, char *out,
		       size_t outsz)
{
	struct sbuf b = { out, outsz, 0 };
	if (outsz == 0)
		return 0;
	out[0] = '\0';
	if (f->rule >= 0 && rules)
		put(&b, _("rule %s: "), rules[f->rule].name);
	for (size_t i = 0; i < td_needs.count; i++)
		if (f->needs_met & (1u << i))
			put(&b, "%s " YES " ", td_enum_label(&td_needs, (int)i));
	if (f->stage_ok >= 0)
		put(&b, "%s %s ", td_enum_label(&td_stages, c->stage),
		    f->stage_ok ? YES : NO);
	if (f->sector_ok >= 0)
		put(&b, "%s %s ", td_enum_label(&td_sectors, c->sector),
		    f->sector_ok ? YES : NO);
	put(&b, "%s %s", c->site_name && *c->site_name ? c->site_name : c->site,
	    f->site_ok ? YES : NO);
	if (f->full)
		put(&b, " %s", _("(full)"));
	put(&b, " \xe2\x80\x94 ");
	put(&b, ngettext("%d open referral", "%d open referrals",
			 (unsigned long)f->open), f->open);
	return b.len;
}

size_t td_route_why(const struct td_route_fit *f, const struct td_route_case *c,
		    char *out, size_t outsz)
{
	struct sbuf b = { out, outsz, 0 };
	char needs[256] = "";
	size_t o = 0;
	int n = 0;

	if (outsz == 0)
		return 0;
	out[0] = '\0';
	for (size_t i = 0; i < td_needs.count; i++) {
		if (!(f->needs_met & (1u << i)))
			continue;
		int w = snprintf(needs + o, sizeof needs - o, "%s%s",
				 o ? ", " : "", td_enum_label(&td_needs, (int)i));
		if (w < 0 || (size_t)w >= sizeof needs - o)
			break;
		o += (size_t)w;
		n++;
	}
	/* Whole sentences, in the letter's language, of what matches only:
	 * no marks, no scores, no count of open referrals. */
	if (n)
		put(&b, ngettext("Their need (%s) is what you offer.",
				 "Their needs (%s) are what you offer.",
				 (unsigned long)n), needs);
	if (f->stage_ok > 0) {
		put(&b, "%s", b.len ? " " : "");
		put(&b, _("The project is at the %s stage, which you support."),
		    td_enum_label(&td_stages, c->stage));
	}
	if (f->sector_ok > 0) {
		put(&b, "%s", b.len ? " " : "");
		put(&b, _("It belongs to the %s sector, which you follow."),
		    td_enum_label(&td_sectors, c->sector));
	}
	if (f->site_ok) {
		put(&b, "%s", b.len ? " " : "");
		put(&b, _("You work in %s."),
		    c->site_name && *c->site_name ? c->site_name : c->site);
	}
	return b.len;
}
