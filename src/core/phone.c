/* Phone numbers: reading them as people type them, in the national form of
 * the holder's country or in international form, and checking them
 * against the numbering plans (phone_plan.c, generated from Google's
 * libphonenumber; README, design notes).  Stored in E.164. */
#include "totemdesk/validate.h"

#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include "totemdesk/text.h"

#include "phone_plan.h"
#include "validate_int.h"

/* More digits than any number plus its prefixes; beyond that only the
 * count matters. */
#define PHONE_DIGITS 24

/* The country codes of the detailed plans (phone_plan.c). */
enum { CC_FR = 33, CC_LU = 352, CC_DE = 49, CC_BE = 32 };

/* Overseas departments dialled from France in the French ten-digit form
 * (0696 ..., 0262 ...) but reached from abroad by their own country code:
 * Martinique, Guadeloupe (with Saint-Barthélemy and Saint-Martin), French
 * Guiana, La Réunion and Mayotte. */
static const int overseas_cc[] = { 596, 590, 594, 262 };

/* The digits of a phone number as typed, and what surrounded them. */
struct phone_in {
	char d[PHONE_DIGITS];
	size_t nd;
	bool overflow;          /* more digits than d holds */
	bool plus;
	size_t trunk;           /* index in d of a written "(0)", or SIZE_MAX */
};

static bool phone_separator(uint32_t cp)
{
	return td_cp_is_space(cp) || cp == '.' || cp == '-' || cp == '/' ||
	       cp == '(' || cp == ')' || cp == 0x2010 || cp == 0x2011 ||
	       cp == 0x2012 || cp == 0x2013;
}

/* Does s[i..len) start with "(0)", spaces allowed inside?  That is the
 * trunk prefix written as in "+33 (0)6 12 34 56 78"; returns the byte
 * length, or 0. */
static size_t trunk_paren(const char *s, size_t i, size_t len)
{
	size_t k = i;

	if (k >= len || s[k] != '(')
		return 0;
	for (k++; k < len && s[k] == ' '; k++)
		;
	if (k >= len || s[k] != '0')
		return 0;
	for (k++; k < len && s[k] == ' '; k++)
		;
	if (k >= len || s[k] != ')')
		return 0;
	return k + 1 - i;
}

static void phone_digit(struct phone_in *p, char c)
{
	if (p->nd < PHONE_DIGITS)
		p->d[p->nd++] = c;
	else
		p->overflow = true;
}

/* Digits, a leading + and separators; anything else is refused. */
static enum td_vcode phone_scan(const char *in, struct phone_in *p)
{
	size_t len = strlen(in), i = 0;
	uint32_t cp;

	memset(p, 0, sizeof *p);
	p->trunk = SIZE_MAX;
	while (i < len) {
		size_t tl = trunk_paren(in, i, len);
		int n;

		if (tl > 0) {
			/* remember where the written trunk 0 sits: it is
			 * dropped only right after a country code */
			if (p->trunk == SIZE_MAX)
				p->trunk = p->nd;
			phone_digit(p, '0');
			i += tl;
			continue;
		}
		n = td_utf8_decode(in + i, len - i, &cp);
		if (n < 0)
			return TD_V_PHONE_CHARS;
		i += (size_t)n;
		if (is_digit(cp))
			phone_digit(p, (char)cp);
		else if (cp == '+' && !p->plus && p->nd == 0 && !p->overflow)
			p->plus = true;
		else if (!phone_separator(cp))
			return TD_V_PHONE_CHARS;
	}
	if (p->nd == 0)
		return p->plus ? TD_V_PHONE_CC : TD_V_EMPTY;
	return TD_V_OK;
}

static const struct phone_plan *plan_of(int cc)
{
	for (size_t k = 0; k < td_phone_plan_count; k++)
		if (td_phone_plans[k].cc == cc)
			return &td_phone_plans[k];
	return NULL;
}

enum { NSN_BAD, NSN_VALID, NSN_PERSONAL };

/* The row whose prefix starts nsn: the rows are sorted and prefix-free,
 * so it is the last row not greater than nsn, if that row is a prefix. */
static int plan_verdict(const struct phone_plan *pl, const char *nsn,
			size_t n)
{
	char key[PHONE_DIGITS + 1];
	size_t lo = 0, hi = pl->count, plen;
	const struct phone_range *r;

	if (n == 0 || n >= 32 || n > PHONE_DIGITS)
		return NSN_BAD;
	memcpy(key, nsn, n);
	key[n] = '\0';
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		if (strcmp(pl->rows[mid].prefix, key) <= 0)
			lo = mid + 1;
		else
			hi = mid;
	}
	if (lo == 0)
		return NSN_BAD;
	r = &pl->rows[lo - 1];
	plen = strlen(r->prefix);
	if (plen > n || memcmp(r->prefix, key, plen) != 0 ||
	    !((r->valid >> n) & 1u))
		return NSN_BAD;
	return ((r->personal >> n) & 1u) ? NSN_PERSONAL : NSN_VALID;
}

static const struct phone_cc *cc_find(int cc)
{
	size_t lo = 0, hi = td_phone_cc_count;

	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		if (td_phone_ccs[mid].cc == cc)
			return &td_phone_ccs[mid];
		if (td_phone_ccs[mid].cc < cc)
			lo = mid + 1;
		else
			hi = mid;
	}
	return NULL;
}

/* Country codes are prefix-free (ITU-T E.164): at most one of the first
 * one, two or three digits is assigned. */
static const struct phone_cc *cc_extract(const char *d, size_t n, size_t *len)
{
	int v = 0;

	if (n == 0 || d[0] == '0')
		return NULL;
	for (size_t k = 0; k < 3 && k < n; k++) {
		const struct phone_cc *c;
		v = v * 10 + (d[k] - '0');
		if (v != 0 && (c = cc_find(v)) != NULL) {
			*len = k + 1;
			return c;
		}
	}
	return NULL;
}

/* Is nsn a number of calling code cc?  In detail where a plan exists,
 * else by its length. */
static int nsn_verdict(const struct phone_cc *c, const char *nsn, size_t n)
{
	const struct phone_plan *pl = plan_of(c->cc);

	if (pl != NULL)
		return plan_verdict(pl, nsn, n);
	return n < 32 && ((c->lengths >> n) & 1u) ? NSN_PERSONAL : NSN_BAD;
}

/* The overseas department whose plan has nsn as a person's line, or 0. */
static int overseas_of(const char *nsn, size_t n)
{
	for (size_t k = 0; k < COUNT(overseas_cc); k++) {
		const struct phone_plan *pl = plan_of(overseas_cc[k]);
		if (pl != NULL && plan_verdict(pl, nsn, n) == NSN_PERSONAL)
			return overseas_cc[k];
	}
	return 0;
}

static bool trunk_zero(int cc)
{
	static const int with0[] = { CC_FR, CC_DE, CC_BE, 262, 590, 594, 596 };

	for (size_t k = 0; k < COUNT(with0); k++)
		if (with0[k] == cc)
			return true;
	return false;
}

/* Luxembourg's carrier selection codes, 15 + two digits + one, dialled
 * before a number, which libphonenumber drops: how many digits start s. */
static size_t lu_carrier(const char *d, size_t n)
{
	static const char *const codes[] = { "00", "06", "11", "12", "35",
		"55", "40", "44", "62", "66", "77", "88", "99" };

	if (n < 5 || d[0] != '1' || d[1] != '5')
		return 0;
	for (size_t k = 0; k < COUNT(codes); k++)
		if (d[2] == codes[k][0] && d[3] == codes[k][1])
			return 5;
	return 0;
}

static enum td_vcode phone_out(int cc, const char *nsn, size_t n, char *out,
			       size_t outsz)
{
	char buf[PHONE_DIGITS + 8];
	int o = snprintf(buf, sizeof buf, "+%d", cc);

	memcpy(buf + o, nsn, n);
	if (!put(out, outsz, buf, (size_t)o + n))
		return fail(TD_V_TOO_LONG, out, outsz);
	return TD_V_OK;
}

/* What is wrong with a number of calling code cc that is not valid. */
static enum td_vcode cc_error(int cc, const char *nsn, size_t n)
{
	switch (cc) {
	case CC_FR:
		return overseas_of(nsn, n) ? TD_V_PHONE_DOM_CC : TD_V_PHONE_FR;
	case CC_LU:
		return TD_V_PHONE_LU;
	case CC_DE:
		return TD_V_PHONE_DE;
	case CC_BE:
		return TD_V_PHONE_BE;
	case 262: case 590: case 594: case 596:
		return TD_V_PHONE_DOM;
	default:
		return TD_V_PHONE_LENGTH;
	}
}

/* Could x be a number of c at all: a possible length, no leading 0?
 * (What libphonenumber asks of its "general" pattern before it drops a
 * prefix; a coarser question than validity.) */
static bool nsn_possible(const struct phone_cc *c, const char *x, size_t n)
{
	return n > 0 && n < 32 && x[0] != '0' && ((c->lengths >> n) & 1u);
}

static size_t nsn_min(const struct phone_cc *c)
{
	size_t n = 1;

	while (n < 32 && !((c->lengths >> n) & 1u))
		n++;
	return n;
}

/* Drop the trunk 0 (or Luxembourg's carrier code) in front of a national
 * number, unless that turns a possible number into an impossible one or
 * leaves too few digits.  Returns the digits dropped. */
static size_t strip_trunk(const struct phone_cc *c, const char **x, size_t n)
{
	const char *s = *x;
	size_t drop = 0;

	if (trunk_zero(c->cc) && n > 0 && s[0] == '0')
		drop = 1;
	else if (c->cc == CC_LU)
		drop = lu_carrier(s, n);
	if (drop == 0 || n - drop < nsn_min(c) ||
	    (nsn_possible(c, s, n) && !nsn_possible(c, s + drop, n - drop)))
		return 0;
	*x += drop;
	return drop;
}

static enum td_vcode phone_international(const struct phone_in *p,
					 char *out, size_t outsz)
{
	size_t start = p->plus ? 0 : 2, cl = 0, i;
	const struct phone_cc *c = cc_extract(p->d + start, p->nd - start, &cl);
	const char *nsn;
	size_t n;

	if (c == NULL)
		return fail(TD_V_PHONE_CC, out, outsz);
	i = start + cl;
	nsn = p->d + i;
	n = p->nd - i;
	if (plan_of(c->cc) != NULL) {
		/* "+33 (0)6 ...", "+49 0681 ...": the trunk 0 of a
		 * national habit */
		n -= strip_trunk(c, &nsn, n);
	} else if (n > 0 && nsn[0] == '0' &&
		   (p->trunk == i || (nsn_verdict(c, nsn, n) == NSN_BAD &&
				      nsn_verdict(c, nsn + 1, n - 1) != NSN_BAD))) {
		/* elsewhere a number may begin with 0 (Italy): the 0 goes
		 * when written "(0)" or when the length says it cannot
		 * belong */
		nsn++;
		n--;
	}
	if (p->overflow || nsn_verdict(c, nsn, n) == NSN_BAD)
		return fail(cc_error(c->cc, nsn, n), out, outsz);
	return phone_out(c->cc, nsn, n, out, outsz);
}

/* Is y, typed after the country's own code without + or 00, read as a
 * number of that country (the code taken off)? */
static bool own_code_off(int cc, const char *y, size_t n)
{
	for (size_t k = 0; k < td_phone_own_count; k++)
		if (td_phone_own[k].cc == cc)
			return plan_verdict(&td_phone_own[k], y, n) != NSN_BAD;
	return false;
}

/* A national form: the digits as dialled inside country (cc), its trunk
 * 0 optional.  A number of the French plan that belongs to an overseas
 * department gets that department's code.  The country's own code typed
 * without + ("352 621 123 456") is read as libphonenumber reads it. */
static enum td_vcode phone_national(int cc, const struct phone_in *p,
				    char *out, size_t outsz)
{
	const struct phone_cc *c = cc_find(cc);
	const char *nsn = p->d;
	size_t n = p->nd, cl;
	char ccs[8];
	bool own = false;
	int dom;

	if (c == NULL || p->overflow)
		return fail(cc_error(cc, "", 0), out, outsz);
	cl = (size_t)snprintf(ccs, sizeof ccs, "%d", cc);
	if (n > cl && memcmp(nsn, ccs, cl) == 0 &&
	    own_code_off(cc, nsn + cl, n - cl)) {
		nsn += cl;
		n -= cl;
		/* libphonenumber drops a trunk 0 there, then once more */
		n -= strip_trunk(c, &nsn, n);
		own = true;
	}
	n -= strip_trunk(c, &nsn, n);
	/* only the plain national form is also the overseas departments':
	 * "33 ..." is a +33 number */
	if (cc == CC_FR && !own && (dom = overseas_of(nsn, n)) != 0)
		return phone_out(dom, nsn, n, out, outsz);
	if (nsn_verdict(c, nsn, n) != NSN_BAD)
		return phone_out(cc, nsn, n, out, outsz);
	return fail(cc_error(cc, "", 0), out, outsz);
}

enum td_vcode td_validate_phone(enum td_country country, const char *in,
				char *out, size_t outsz)
{
	static const int country_cc[TD_COUNTRY_COUNT] = {
		[TD_COUNTRY_FR] = CC_FR, [TD_COUNTRY_LU] = CC_LU,
		[TD_COUNTRY_DE] = CC_DE, [TD_COUNTRY_BE] = CC_BE,
	};
	struct phone_in p;
	enum td_vcode v;

	if (in == NULL)
		return fail(TD_V_EMPTY, out, outsz);
	if ((v = phone_scan(in, &p)) != TD_V_OK)
		return fail(v, out, outsz);
	/* 00 is the international prefix in all four countries, and no
	 * national number of theirs begins with it */
	if (p.plus || (p.nd >= 2 && p.d[0] == '0' && p.d[1] == '0'))
		return phone_international(&p, out, outsz);
	if ((unsigned)country >= TD_COUNTRY_COUNT ||
	    country_cc[country] == 0)
		return fail(TD_V_PHONE_INTL, out, outsz);
	return phone_national(country_cc[country], &p, out, outsz);
}

/* Append digits s[0..n) split in groups of the given sizes (0-terminated
 * list, last size repeated), each group preceded by a space. */
static size_t group_digits(char *buf, size_t o, const char *s, size_t n,
			   const int *sizes)
{
	size_t k = 0, g = 0;

	while (k < n) {
		size_t take = (size_t)sizes[g];
		if (sizes[g + 1] != 0)
			g++;
		if (take > n - k)
			take = n - k;
		buf[o++] = ' ';
		memcpy(buf + o, s + k, take);
		o += take;
		k += take;
	}
	return o;
}

/* Length of a German area code where it is sure: the four two-digit ones
 * and the three-digit codes of the larger cities (0681 Saarbrücken, 0211
 * Düsseldorf ...), and the mobile prefixes 015x-017x; 0 when unsure,
 * since the area code there runs from 3 to 5 digits. */
static size_t de_area_len(const char *nsn, size_t n)
{
	if (n < 6)
		return 0;
	if (memcmp(nsn, "30", 2) == 0 || memcmp(nsn, "40", 2) == 0 ||
	    memcmp(nsn, "69", 2) == 0 || memcmp(nsn, "89", 2) == 0)
		return 2;
	if (nsn[0] == '1' && nsn[1] >= '5' && nsn[1] <= '7')
		return 3;
	if (nsn[0] >= '2' && nsn[1] != '0' && nsn[2] == '1')
		return 3;
	return 0;
}

size_t td_phone_display(const char *e164, char *out, size_t outsz)
{
	static const int fr[] = {1, 2, 0};
	static const int dom[] = {3, 2, 0};
	static const int lu_333[] = {3, 0};
	static const int pairs[] = {2, 0};
	static const int odd[] = {3, 2, 0};
	static const int be_1[] = {1, 3, 2, 0};
	char buf[64];
	size_t n, o = 0, cl = 0;
	const char *src = e164;
	const struct phone_cc *c = NULL;

	if (src == NULL) {
		if (outsz > 0)
			out[0] = '\0';
		return 0;
	}
	n = strlen(src);
	if (n >= 4 && n <= 20 && src[0] == '+' && all_digits(src + 1))
		c = cc_extract(src + 1, n - 1, &cl);
	if (c != NULL && nsn_verdict(c, src + 1 + cl, n - 1 - cl) != NSN_BAD) {
		const char *nsn = src + 1 + cl;
		size_t sn = n - 1 - cl;
		const int *g = NULL;
		int one[2] = { (int)sn, 0 }, area[3] = { 0, 0, 0 };

		memcpy(buf, src, 1 + cl);
		o = 1 + cl;
		switch (c->cc) {
		case CC_FR:
			g = sn == 9 ? fr : one;
			break;
		case 262: case 590: case 594: case 596:
			g = sn == 9 ? dom : one;
			break;
		case CC_LU:
			/* mobiles 6x1 xxx xxx are written in threes; fixed
			 * lines of variable length in pairs, with a leading
			 * triple when the count is odd (12 34 56, 123 45 67) */
			g = sn == 9 ? lu_333 : (sn % 2 ? odd : pairs);
			break;
		case CC_BE:
			/* mobiles 4xx xx xx xx; one-digit zones 2, 3, 4, 9
			 * (Brussels, Antwerp, Liège, Ghent), else two (63
			 * Arlon) */
			if (sn == 9)
				g = dom;
			else if (sn == 8 && strchr("2349", nsn[0]) != NULL)
				g = be_1;
			else
				g = sn == 8 ? pairs : one;
			break;
		case CC_DE:
			area[0] = (int)de_area_len(nsn, sn);
			area[1] = (int)sn - area[0];
			g = area[0] ? area : one;
			break;
		default:
			g = one;
			break;
		}
		o = group_digits(buf, o, nsn, sn, g);
		src = buf;
	} else {
		o = n;
	}
	if (outsz == 0)
		return 0;
	if (o >= outsz) {
		o = outsz - 1;
		while (o > 0 && ((unsigned char)src[o] & 0xC0) == 0x80)
			o--;
	}
	memcpy(out, src, o);
	out[o] = '\0';
	return o;
}
