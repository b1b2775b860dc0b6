#include "totemdesk/domain.h"
#include "totemdesk/i18n.h"
#include "totemdesk/validate.h"

#include <stdio.h>
#include <string.h>

#define TABLE(name, arr) \
	const struct td_enum name = { arr, sizeof arr / sizeof arr[0] }

static const struct td_enum_entry stages[] = {
	{ "", N_("not set"), NULL },
	{ "idea", N_("idea"), N_("An idea, not yet a structured project (pre-incubation).") },
	{ "seed", N_("seed"), N_("Proof of concept, maturation, first funding (incubation).") },
	{ "creation", N_("creation"), N_("Company being registered or just launched, first customers.") },
	{ "development", N_("development"), N_("Young company, product on sale (acceleration).") },
	{ "growth", N_("growth"), N_("Scaling up, raising funds (series A, B...).") },
	{ "takeover", N_("takeover"), N_("Taking over or handing on an existing business.") },
};
TABLE(td_stages, stages);

/* The French Tech thematic networks (FACTS.md section 4) plus "other". */
static const struct td_enum_entry sectors[] = {
	{ "", N_("not set"), NULL },
	{ "healthtech", N_("HealthTech"), N_("Health, medical devices, e-health.") },
	{ "iot-manufacturing", N_("IoT & Manufacturing"), N_("Connected objects, industry.") },
	{ "edtech-entertainment", N_("EdTech & Entertainment"), N_("Education, leisure, culture.") },
	{ "cleantech-mobility", N_("CleanTech & Mobility"), N_("Clean technologies, transport.") },
	{ "fintech", N_("FinTech"), N_("Finance, insurance, payments.") },
	{ "security-privacy", N_("Security & Privacy"), N_("Cybersecurity, data protection.") },
	{ "retail", N_("Retail"), N_("Commerce, distribution, e-commerce.") },
	{ "foodtech", N_("FoodTech"), N_("Agriculture, food.") },
	{ "sports", N_("Sports"), N_("Sport and wellbeing.") },
	{ "other", N_("other"), N_("Any other field.") },
};
TABLE(td_sectors, sectors);

static const struct td_enum_entry needs[] = {
	{ "advice", N_("advice"), N_("Coaching, expertise, business plan review.") },
	{ "funding", N_("funding"), N_("Honour loans, grants, guarantees, investors.") },
	{ "hosting", N_("hosting"), N_("Office, coworking, incubator or nursery space.") },
	{ "networking", N_("networking"), N_("Introductions to partners, clients, peers.") },
	{ "training", N_("training"), N_("Workshops, courses, founder programmes.") },
	{ "recruitment", N_("recruitment"), N_("Hiring, interns, apprentices.") },
	{ "international", N_("international"), N_("Export, cross-border, Luxembourg.") },
};
TABLE(td_needs, needs);

/* Where a holder lives (issue 12): the index is enum td_country of
 * validate.h, the code is what the store, exports and routing rules
 * hold ("LU"), and the help says what the phone, postcode and company
 * fields then accept. */
static const struct td_enum_entry countries[] = {
	{ "FR", N_("France"), N_("Phone 06 12 34 56 78 (overseas too) or +33; postcode 57000; SIREN or SIRET.") },
	{ "LU", N_("Luxembourg"), N_("Phone 621 123 456 or +352; postcode L-1234; company RCS B123456.") },
	{ "DE", N_("Germany"), N_("Phone 0681 1234567 or +49; postcode 66111; register Saarbrücken HRB 12345.") },
	{ "BE", N_("Belgium"), N_("Phone 063 12 34 56 or +32; postcode 6700; enterprise number 0566.988.259.") },
	{ "other", N_("other"), N_("Phone with + and the country code, e.g. +41 22 123 45 67; postcode and company number as written.") },
};
TABLE(td_countries, countries);
_Static_assert(sizeof countries / sizeof countries[0] == TD_COUNTRY_COUNT,
	       "one country entry per enum td_country");

static const struct td_enum_entry statuses[] = {
	{ "new", N_("new"), N_("Registered at the desk, not yet reviewed.") },
	{ "triaged", N_("triaged"), N_("Reviewed by a mission officer.") },
	{ "referred", N_("referred"), N_("Sent to at least one partner.") },
	{ "supported", N_("supported"), N_("Taken on by a partner.") },
	{ "closed", N_("closed"), N_("Follow-up finished.") },
	{ "on_hold", N_("on hold"), N_("Paused, waiting for the holder.") },
};
TABLE(td_statuses, statuses);

static const struct td_enum_entry roles[] = {
	{ "reception", N_("reception"), N_("Registers visitors at one Totem.") },
	{ "officer", N_("mission officer"), N_("Coordinates follow-up across the sites.") },
	{ "admin", N_("administrator"), N_("Manages the installation.") },
};
TABLE(td_roles, roles);

int td_enum_find(const struct td_enum *e, const char *code)
{
	if (!code)
		return -1;
	for (size_t i = 0; i < e->count; i++)
		if (strcmp(e->entries[i].code, code) == 0)
			return (int)i;
	return -1;
}

const char *td_enum_code(const struct td_enum *e, int i)
{
	if (i < 0 || (size_t)i >= e->count)
		return "";
	return e->entries[i].code;
}

const char *td_enum_label(const struct td_enum *e, int i)
{
	if (i < 0 || (size_t)i >= e->count)
		return "";
	return _(e->entries[i].label);
}

int td_needs_parse(const char *s, unsigned *mask, const char **bad, size_t *badlen)
{
	unsigned m = 0;
	const char *p = s ? s : "";
	while (*p) {
		const char *end = strchr(p, '|');
		size_t len = end ? (size_t)(end - p) : strlen(p);
		/* tolerate spaces around codes: "advice | funding" */
		const char *a = p;
		size_t n = len;
		while (n && *a == ' ') { a++; n--; }
		while (n && a[n - 1] == ' ') n--;
		if (n) {
			size_t i;
			for (i = 0; i < td_needs.count; i++)
				if (strlen(td_needs.entries[i].code) == n &&
				    memcmp(td_needs.entries[i].code, a, n) == 0)
					break;
			if (i == td_needs.count) {
				if (bad) *bad = a;
				if (badlen) *badlen = n;
				return -1;
			}
			m |= 1u << i;
		}
		p = end ? end + 1 : p + len;
	}
	*mask = m;
	return 0;
}

int td_needs_format(unsigned mask, char *out, size_t outsz)
{
	size_t len = 0;
	if (outsz == 0)
		return -1;
	out[0] = '\0';
	for (size_t i = 0; i < td_needs.count; i++) {
		if (!(mask & (1u << i)))
			continue;
		int n = snprintf(out + len, outsz - len, "%s%s", len ? "|" : "",
				 td_needs.entries[i].code);
		if (n < 0 || (size_t)n >= outsz - len)
			return -1;
		len += (size_t)n;
	}
	return (int)len;
}

bool td_status_transition_ok(int from, int to)
{
	static const unsigned char ok[6][6] = {
		/* to:        new tri ref sup clo hold */
		/* new */     { 0,  1,  1,  0,  1,  1 },
		/* triaged */ { 0,  0,  1,  1,  1,  1 },
		/* referred */{ 0,  0,  0,  1,  1,  1 },
		/* supported*/{ 0,  0,  0,  0,  1,  1 },
		/* closed */  { 0,  1,  0,  0,  0,  0 },
		/* on_hold */ { 0,  1,  1,  1,  1,  0 },
	};
	if (from < 0 || from > 5 || to < 0 || to > 5)
		return false;
	return ok[from][to];
}
