/* Company identifiers of France (SIREN/SIRET), Belgium (BCE/KBO),
 * Luxembourg (RCS) and Germany (Handelsregister), recognised by their
 * shape, checked, normalised, and keyed for the duplicate warning.
 * Rules and sources: ../../../shared/FACTS.md 6.1 and 6.4. */
#include "totemdesk/validate.h"

#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include "totemdesk/text.h"

#include "validate_int.h"

bool td_luhn_ok(const char *digits)
{
	size_t n, k;
	unsigned sum = 0;

	if (digits == NULL || *digits == '\0')
		return false;
	n = strlen(digits);
	for (k = 0; k < n; k++) {
		unsigned v;
		char c = digits[n - 1 - k];
		if (c < '0' || c > '9')
			return false;
		v = (unsigned)(c - '0');
		if (k % 2 == 1) {
			v *= 2;
			if (v > 9)
				v -= 9;
		}
		sum += v;
	}
	return sum % 10 == 0;
}

/* La Poste's establishments share SIREN 356000000 and their SIRETs were
 * numbered without Luhn; INSEE validates them by digit sum instead. */
static bool la_poste_ok(const char *d)
{
	unsigned sum = 0;

	if (strlen(d) != 14 || strncmp(d, "356000000", 9) != 0)
		return false;
	for (const char *p = d; *p; p++)
		sum += (unsigned)(*p - '0');
	return sum % 5 == 0;
}

/* A SIRET is a SIREN followed by an establishment number (NIC): the
 * SIREN's own check applies as well as the SIRET's, or a wrong SIREN
 * whose error the NIC happens to cancel passes (issue 11: 67014872456000). */
static enum td_vcode siren_siret(const char *d)
{
	size_t n = strlen(d);
	char siren[10];

	if (n != 9 && n != 14)
		return TD_V_SIRET_DIGITS;
	memcpy(siren, d, 9);
	siren[9] = '\0';
	if (!td_luhn_ok(siren))
		return n == 9 ? TD_V_SIRET_CHECKSUM : TD_V_SIRET_SIREN;
	if (n == 14 && !td_luhn_ok(d) && !la_poste_ok(d))
		return TD_V_SIRET_CHECKSUM;
	return TD_V_OK;
}

/* Belgian enterprise number: 10 digits, first 0 or 1, the last two equal
 * to 97 - (the first eight mod 97). */
static bool bce_ok(const char *d)
{
	unsigned long head = 0;

	if (strlen(d) != 10 || (d[0] != '0' && d[0] != '1'))
		return false;
	for (int k = 0; k < 8; k++)
		head = head * 10 + (unsigned long)(d[k] - '0');
	return 97 - head % 97 ==
	       (unsigned long)((d[8] - '0') * 10 + (d[9] - '0'));
}

static enum td_vcode bce_out(const char *d, char *out, size_t outsz)
{
	char buf[16];

	snprintf(buf, sizeof buf, "%.4s.%.3s.%.3s", d, d + 4, d + 7);
	if (!put(out, outsz, buf, 12))
		return fail(TD_V_TOO_LONG, out, outsz);
	return TD_V_OK;
}

static bool ascii_upper_eq(const char *s, size_t n, const char *word)
{
	size_t k;

	for (k = 0; k < n && word[k]; k++) {
		char c = s[k];
		if (c >= 'a' && c <= 'z')
			c = (char)(c - ('a' - 'A'));
		if (c != word[k])
			return false;
	}
	return k == n && word[k] == '\0';
}

/* Digits and separators only (space . - /), an optional "BE" in front:
 * digits to d (at most dsz - 1), *be set when "BE" was written.  False
 * when something else appears. */
static bool digits_only(const char *s, size_t n, char *d, size_t dsz,
			size_t *nd, bool *be)
{
	size_t k = 0;

	*nd = 0;
	*be = n >= 2 && ascii_upper_eq(s, 2, "BE");
	if (*be)
		k = 2;
	for (; k < n; k++) {
		if (is_digit((unsigned char)s[k])) {
			if (*nd + 1 >= dsz)
				return false;
			d[(*nd)++] = s[k];
		} else if (!strchr(" .-/\t", s[k])) {
			return false;
		}
	}
	d[*nd] = '\0';
	return *nd > 0;
}

/* Words of s[0..n) split on spaces, commas and colons: start, length. */
struct word { size_t at, len; };

static size_t split_words(const char *s, size_t n, struct word *w, size_t max)
{
	size_t nw = 0, k = 0;

	while (k < n) {
		size_t b;
		while (k < n && strchr(" \t,:;", s[k]) != NULL)
			k++;
		if (k >= n)
			break;
		b = k;
		while (k < n && strchr(" \t,:;", s[k]) == NULL)
			k++;
		if (nw == max)
			return max + 1;
		w[nw++] = (struct word){ b, k - b };
	}
	return nw;
}

/* Luxembourg RCS: [RCS [Luxembourg]] letter digits, spaces between. */
static bool rcs_lu(const char *s, size_t n, char *out, size_t outsz)
{
	struct word w[8];
	size_t nw = split_words(s, n, w, COUNT(w)), k = 0, o = 0;
	char buf[16];

	if (nw > COUNT(w))
		return false;
	if (k < nw && (ascii_upper_eq(s + w[k].at, w[k].len, "RCS") ||
		       ascii_upper_eq(s + w[k].at, w[k].len, "R.C.S.")))
		k++;
	if (k < nw && (ascii_upper_eq(s + w[k].at, w[k].len, "LUXEMBOURG") ||
		       ascii_upper_eq(s + w[k].at, w[k].len, "LU")))
		k++;
	for (; k < nw; k++)
		for (size_t j = 0; j < w[k].len; j++) {
			char c = s[w[k].at + j];
			if (o == 0 && is_ascii_alpha((unsigned char)c))
				c = (char)(c & ~0x20);
			else if (o == 0 || !is_digit((unsigned char)c))
				return false;
			if (o >= 7)
				return false;
			buf[o++] = c;
		}
	if (o < 2)
		return false;
	return put(out, outsz, buf, o);
}

/* German register: the court, HRA or HRB, the number and an optional
 * one-letter suffix (Berlin's "HRB 12345 B"), in either order, with the
 * words "Amtsgericht", "AG", "Registergericht" left out of the court. */
static enum td_vcode hr_de(const char *s, size_t n, char *out, size_t outsz)
{
	struct word w[16];
	size_t nw = split_words(s, n, w, COUNT(w)), reg = SIZE_MAX, k, first = 0;
	char court[TD_CITY_MAX * 4 + 1], ncourt[TD_CITY_MAX * 4 + 1];
	char num[16] = "", suffix = 0, type = 0, buf[TD_CITY_MAX * 4 + 32];
	size_t co = 0, numw = SIZE_MAX;

	if (nw > COUNT(w))
		return TD_V_HR_DE;
	/* the register: "HRB", "HR B", "HRB12345"; words first..numw */
	for (k = 0; k < nw && reg == SIZE_MAX; k++) {
		const char *t = s + w[k].at;
		size_t tl = w[k].len, j = 2, at = k;

		if (tl < 2 || !ascii_upper_eq(t, 2, "HR"))
			continue;
		if (tl == 2 && k + 1 < nw) {
			at = k + 1;
			t = s + w[at].at;
			tl = w[at].len;
			j = 0;
		}
		if (j >= tl || strchr("AaBb", t[j]) == NULL)
			continue;
		type = (char)(t[j] & ~0x20);
		first = k;
		reg = at;
		if (j + 1 < tl) {
			/* the number joined to it */
			w[at].at = (size_t)(t + j + 1 - s);
			w[at].len = tl - j - 1;
			numw = at;
		}
	}
	if (reg == SIZE_MAX)
		return TD_V_HR_DE;
	if (numw == SIZE_MAX) {
		numw = reg + 1;
		/* "HRB Nr. 12345" */
		if (numw < nw &&
		    (ascii_upper_eq(s + w[numw].at, w[numw].len, "NR.") ||
		     ascii_upper_eq(s + w[numw].at, w[numw].len, "NR")))
			numw++;
	}
	if (numw >= nw)
		return TD_V_HR_DE;
	{
		const char *t = s + w[numw].at;
		size_t tl = w[numw].len, j = 0, o = 0;
		while (j < tl && t[j] == '0')
			j++;
		for (; j < tl; j++) {
			if (!is_digit((unsigned char)t[j]) || o >= 7)
				return TD_V_HR_DE;
			num[o++] = t[j];
		}
		num[o] = '\0';
		if (o == 0)
			return TD_V_HR_DE;
	}
	k = numw + 1;
	if (k < nw && w[k].len == 1 &&
	    is_ascii_alpha((unsigned char)s[w[k].at])) {
		suffix = (char)(s[w[k].at] & ~0x20);
		k++;
	}
	/* the court: every other word, in order */
	for (size_t j = 0; j < nw; j++) {
		const char *t = s + w[j].at;
		size_t tl = w[j].len;
		if ((j >= first && j < k) ||
		    ascii_upper_eq(t, tl, "AMTSGERICHT") ||
		    ascii_upper_eq(t, tl, "AG") ||
		    ascii_upper_eq(t, tl, "REGISTERGERICHT") ||
		    ascii_upper_eq(t, tl, "HANDELSREGISTER"))
			continue;
		if (co + tl + 2 > sizeof court)
			return TD_V_HR_DE;
		if (co > 0)
			court[co++] = ' ';
		memcpy(court + co, t, tl);
		co += tl;
	}
	court[co] = '\0';
	if (co == 0 || td_v_check_name(court, ncourt, sizeof ncourt, TD_CITY_MAX,
				  true) != TD_V_OK)
		return TD_V_HR_DE;
	if (suffix)
		snprintf(buf, sizeof buf, "%s HR%c %s %c", ncourt, type, num,
			 suffix);
	else
		snprintf(buf, sizeof buf, "%s HR%c %s", ncourt, type, num);
	if (!put(out, outsz, buf, strlen(buf)))
		return fail(TD_V_TOO_LONG, out, outsz);
	return TD_V_OK;
}

#define COMPANY_OTHER_MAX 30

/* Another country's identifier, kept as typed: letters, digits, spaces
 * and . - / (not first), spaces squeezed. */
static enum td_vcode company_other(const char *s, size_t n, char *out,
				   size_t outsz)
{
	char buf[COMPANY_OTHER_MAX + 1];
	size_t o = 0, alnum = 0;

	for (size_t k = 0; k < n; k++) {
		char c = s[k];
		if (c == ' ' || c == '\t') {
			if (o > 0 && buf[o - 1] == ' ')
				continue;
			c = ' ';
		} else if (is_digit((unsigned char)c) ||
			   is_ascii_alpha((unsigned char)c)) {
			alnum++;
		} else if (!strchr(".-/", c) || o == 0) {
			/* a sign first could start a spreadsheet formula */
			return fail(TD_V_COMPANY_OTHER, out, outsz);
		}
		if (o >= COMPANY_OTHER_MAX)
			return fail(TD_V_COMPANY_OTHER, out, outsz);
		buf[o++] = c;
	}
	if (alnum == 0)
		return fail(TD_V_COMPANY_OTHER, out, outsz);
	if (!put(out, outsz, buf, o))
		return fail(TD_V_TOO_LONG, out, outsz);
	return TD_V_OK;
}

enum td_vcode td_validate_company(enum td_country country, const char *in,
				  char *out, size_t outsz)
{
	static const enum td_vcode shape_error[TD_COUNTRY_COUNT] = {
		[TD_COUNTRY_FR] = TD_V_SIRET_DIGITS,
		[TD_COUNTRY_LU] = TD_V_RCS_LU,
		[TD_COUNTRY_DE] = TD_V_HR_DE,
		[TD_COUNTRY_BE] = TD_V_BCE_DIGITS,
		[TD_COUNTRY_OTHER] = TD_V_COMPANY_OTHER,
	};
	size_t start, end, n, nd;
	const char *s;
	char d[24];
	bool be;
	enum td_vcode v;

	if (in == NULL)
		return fail(TD_V_EMPTY, out, outsz);
	if ((unsigned)country >= TD_COUNTRY_COUNT)
		country = TD_COUNTRY_OTHER;
	td_v_trim_bounds(in, &start, &end);
	if (start == end)
		return fail(TD_V_EMPTY, out, outsz);
	s = in + start;
	n = end - start;

	if (digits_only(s, n, d, sizeof d, &nd, &be)) {
		char be10[12];
		bool be_holder = country == TD_COUNTRY_BE || be;

		/* Belgium: an old number written without its leading 0 */
		if (nd == 9 && be_holder) {
			be10[0] = '0';
			memcpy(be10 + 1, d, 10);
			if (bce_ok(be10))
				return bce_out(be10, out, outsz);
		}
		if (nd == 10 && bce_ok(d))
			return bce_out(d, out, outsz);
		if (!be && (nd == 9 || nd == 14)) {
			v = siren_siret(d);
			if (v == TD_V_OK) {
				if (!put(out, outsz, d, nd))
					return fail(TD_V_TOO_LONG, out, outsz);
				return TD_V_OK;
			}
			if (country != TD_COUNTRY_BE &&
			    country != TD_COUNTRY_OTHER)
				return fail(v, out, outsz);
		}
		if (be_holder && (nd == 9 || nd == 10))
			return fail(TD_V_BCE_CHECKSUM, out, outsz);
		if (be_holder)
			return fail(TD_V_BCE_DIGITS, out, outsz);
		if (country == TD_COUNTRY_OTHER)
			return company_other(s, n, out, outsz);
		return fail(shape_error[country], out, outsz);
	}
	if (rcs_lu(s, n, out, outsz))
		return TD_V_OK;
	if ((v = hr_de(s, n, out, outsz)) == TD_V_OK)
		return TD_V_OK;
	if (country == TD_COUNTRY_OTHER)
		return company_other(s, n, out, outsz);
	/* "HRB 12345" without a court names what is missing */
	if (v == TD_V_HR_DE && country != TD_COUNTRY_DE) {
		size_t k;
		for (k = 0; k + 1 < n; k++)
			if (ascii_upper_eq(s + k, 2, "HR"))
				return fail(TD_V_HR_DE, out, outsz);
	}
	return fail(shape_error[country], out, outsz);
}

enum td_vcode td_validate_siret(const char *in, char *out, size_t outsz)
{
	size_t start, end, nd;
	char d[24];
	bool be;
	enum td_vcode v;

	if (in == NULL)
		return fail(TD_V_EMPTY, out, outsz);
	td_v_trim_bounds(in, &start, &end);
	if (start == end)
		return fail(TD_V_EMPTY, out, outsz);
	if (!digits_only(in + start, end - start, d, sizeof d, &nd, &be) || be)
		return fail(TD_V_SIRET_DIGITS, out, outsz);
	if ((v = siren_siret(d)) != TD_V_OK)
		return fail(v, out, outsz);
	if (!put(out, outsz, d, nd))
		return fail(TD_V_TOO_LONG, out, outsz);
	return TD_V_OK;
}

size_t td_company_key(const char *stored, char *out, size_t outsz)
{
	char buf[TD_CITY_MAX * 4 + 48], fold[TD_CITY_MAX * 4 + 48];
	size_t n, o = 0;
	const char *hr;

	if (outsz == 0)
		return 0;
	out[0] = '\0';
	if (stored == NULL)
		return 0;
	n = strlen(stored);
	if (n == 0)
		return 0;
	if ((n == 9 || n == 14) && all_digits(stored)) {
		/* a company's establishments share its SIREN */
		o = (size_t)snprintf(buf, sizeof buf, "%.9s", stored);
	} else if (n == 12 && stored[4] == '.' && stored[8] == '.') {
		o = (size_t)snprintf(buf, sizeof buf, "BE%.4s%.3s%.3s", stored,
				     stored + 5, stored + 9);
	} else if ((hr = strstr(stored, " HRA ")) != NULL ||
		   (hr = strstr(stored, " HRB ")) != NULL) {
		/* court folded (Saarbrücken = saarbrucken), then HRB and
		 * the number with its suffix */
		snprintf(buf, sizeof buf, "%.*s", (int)(hr - stored), stored);
		td_text_fold(buf, fold, sizeof fold);
		o = (size_t)snprintf(buf, sizeof buf, "DE%s|%s", fold, hr + 1);
		/* no spaces in the register part */
		for (size_t k = 2 + strlen(fold); k < o; k++)
			if (buf[k] == ' ') {
				memmove(buf + k, buf + k + 1, o - k);
				o--;
				k--;
			}
	} else if (n >= 2 && n <= 7 && is_ascii_alpha((unsigned char)stored[0]) &&
		   all_digits(stored + 1)) {
		o = (size_t)snprintf(buf, sizeof buf, "LU%s", stored);
	} else {
		buf[o++] = 'X';
		buf[o++] = 'X';
		for (size_t k = 0; k < n && o + 1 < sizeof buf; k++) {
			char c = stored[k];
			if (c >= 'a' && c <= 'z')
				c = (char)(c - ('a' - 'A'));
			if (is_digit((unsigned char)c) || (c >= 'A' && c <= 'Z'))
				buf[o++] = c;
		}
		buf[o] = '\0';
	}
	if (o >= sizeof buf)
		o = sizeof buf - 1;
	if (o >= outsz)
		o = outsz - 1;
	memcpy(out, buf, o);
	out[o] = '\0';
	return o;
}
