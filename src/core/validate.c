/* Field validators.  Each one reads the text exactly as typed or pasted
 * (form buffers are space-padded, pastes carry NBSPs and typographic
 * quotes), decides with one td_vcode, and writes the normalised value that
 * the store keeps.  Rules and their sources: ../../../shared/FACTS.md 6. */
#include "totemdesk/validate.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <utf8proc.h>

#include "totemdesk/i18n.h"
#include "totemdesk/text.h"

#define COUNT(a) (sizeof(a) / sizeof((a)[0]))

/* One sentence per code: what is wrong, then how to fix it.  The caller
 * shows the field label next to it, so the sentences stay field-neutral
 * where a code serves several fields. */
static const char *const vcode_msgs[TD_V_COUNT] = {
	[TD_V_OK] = N_("The value is valid."),
	[TD_V_EMPTY] = N_("This field is empty; type a value."),
	[TD_V_TOO_LONG] = N_("This text is too long; shorten or abbreviate it."),
	[TD_V_BAD_CHAR] = N_("This contains a character that is not allowed "
			     "here, such as a digit, a symbol or a control "
			     "character; remove it."),
	[TD_V_NAME_NO_LETTER] = N_("This needs at least one letter; type the "
				   "name as written, e.g. Zoé Martin."),
	[TD_V_NAME_PUNCT] = N_("A hyphen or apostrophe must sit between two "
			       "letters, as in Jean-Luc or N'Diaye; remove the "
			       "doubled or misplaced one."),
	[TD_V_EMAIL_NO_AT] = N_("The e-mail address needs exactly one @ "
				"between the name and the domain, e.g. "
				"name@example.fr."),
	[TD_V_EMAIL_SPACE] = N_("The e-mail address must not contain spaces; "
				"remove them, e.g. name@example.fr."),
	[TD_V_EMAIL_LOCAL] = N_("The part before @ is empty or has a character "
				"that e-mail addresses do not allow; correct "
				"it, e.g. jean.dupont@example.fr."),
	[TD_V_EMAIL_DOTS] = N_("The e-mail address has a dot at the start or "
			       "end of a part, or two dots in a row; remove "
			       "the extra dot."),
	[TD_V_EMAIL_DOMAIN] = N_("The domain after @ is not valid; use "
				 "letters, digits and inner hyphens, ending "
				 "with a suffix such as .fr or .com."),
	[TD_V_EMAIL_NO_DOT] = N_("The e-mail address needs a dot in the "
				 "domain, e.g. name@example.fr."),
	[TD_V_PHONE_CHARS] = N_("A phone number may contain only digits, a "
				"leading + and the separators space . - / ( ); "
				"remove the other characters."),
	[TD_V_PHONE_FR] = N_("A French number has 10 digits starting with 0, "
			     "e.g. 06 12 34 56 78, or +33 then 9 digits "
			     "without the 0, e.g. +33 6 12 34 56 78."),
	[TD_V_PHONE_LU] = N_("A Luxembourg number is +352 followed by 5 to 11 "
			     "digits, e.g. +352 621 123 456; check the digits."),
	[TD_V_PHONE_COUNTRY] = N_("Only French (+33) and Luxembourg (+352) "
				  "numbers are accepted; check the country "
				  "code, or give an e-mail address instead."),
	[TD_V_POSTCODE] = N_("A postcode is 5 digits in France, e.g. 57000, "
			     "or L- and 4 digits in Luxembourg, e.g. L-4362."),
	[TD_V_SIRET_DIGITS] = N_("A SIREN has 9 digits and a SIRET 14; type "
				 "only the digits, spaces allowed, e.g. "
				 "732 829 320 00074."),
	[TD_V_SIRET_CHECKSUM] = N_("This SIREN or SIRET is not valid: a digit "
				   "is wrong or two are swapped; copy it again "
				   "from a Kbis or an invoice."),
	[TD_V_REQUIRED] = N_("This field is required; fill it in before "
			     "saving."),
	[TD_V_NEED_CONTACT] = N_("Give at least an e-mail address or a phone "
				 "number so that the person can be "
				 "contacted."),
	[TD_V_NEED_NEEDS] = N_("Tick at least one need (advice, funding, "
			       "hosting...) so that the request can be "
			       "routed."),
	[TD_V_NEED_CONSENT] = N_("The person must agree to the storage of "
				 "their data; ask them, then tick the consent "
				 "box."),
	[TD_V_BAD_CODE] = N_("This value is not one of the known codes; pick "
			     "one from the list."),
};

const char *td_vcode_message(enum td_vcode code)
{
	if ((unsigned)code < COUNT(vcode_msgs) && vcode_msgs[code] != NULL)
		return _(vcode_msgs[code]);
	return _("This value is not valid; check it and type it again.");
}

/* Failed validation leaves an empty string, so a caller that ignores the
 * code never stores half-normalised input. */
static enum td_vcode fail(enum td_vcode v, char *out, size_t outsz)
{
	if (outsz > 0)
		out[0] = '\0';
	return v;
}

/* Copy n bytes plus NUL into out, or report that they do not fit. */
static bool put(char *out, size_t outsz, const char *s, size_t n)
{
	if (n >= outsz)
		return false;
	memcpy(out, s, n);
	out[n] = '\0';
	return true;
}

/* Bounds of s without leading and trailing white space (Unicode spaces
 * included); invalid bytes are not white space. */
static void trim_bounds(const char *s, size_t *start, size_t *end)
{
	size_t len = strlen(s), i = 0, last = 0;
	bool seen = false;
	uint32_t cp;

	*start = *end = 0;
	while (i < len) {
		int n = td_utf8_decode(s + i, len - i, &cp);
		if (n > 0 && td_cp_is_space(cp)) {
			i += (size_t)n;
			continue;
		}
		if (n < 0)
			n = 1;
		if (!seen)
			*start = i;
		seen = true;
		i += (size_t)n;
		last = i;
	}
	if (seen)
		*end = last;
}

static bool is_digit(uint32_t c)
{
	return c >= '0' && c <= '9';
}

static bool is_ascii_alpha(uint32_t c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
}

/* --- names and cities -------------------------------------------------- */

enum cls { C_NONE, C_LETTER, C_MARK, C_DIGIT, C_SPACE, C_JOIN, C_DOT,
	   C_OPEN, C_CLOSE };

/* Scratch size for a normalised name: far above TD_NAME_MAX code points in
 * any normalisation form, so overflowing it means "too long". */
#define NAME_BUF 1024

static bool letterish(enum cls c)
{
	return c == C_LETTER || c == C_MARK;
}

/* Punctuation placement, checked on the normalised text so that the rules
 * see one space and one kind of apostrophe.  Names: ' and - between two
 * letters.  Cities also allow digits around them, a dot after a letter
 * ("St. Avold") and one level of parentheses ("Metz (57)"). */
static bool punct_ok(const enum cls *c, size_t n, bool city)
{
	int depth = 0;

	for (size_t k = 0; k < n; k++) {
		enum cls prev = k ? c[k - 1] : C_NONE;
		enum cls next = k + 1 < n ? c[k + 1] : C_NONE;
		bool pl = letterish(prev) || (city && prev == C_DIGIT);
		bool nl = letterish(next) || (city && next == C_DIGIT);

		switch (c[k]) {
		case C_JOIN:
			if (!(pl || (city && prev == C_DOT)) || !nl)
				return false;
			break;
		case C_DOT:
			if (!letterish(prev))
				return false;
			break;
		case C_OPEN:
			if (depth++ > 0 || (prev != C_NONE && prev != C_SPACE) ||
			    !nl)
				return false;
			break;
		case C_CLOSE:
			if (--depth < 0 || !(pl || prev == C_DOT) ||
			    (next != C_NONE && next != C_SPACE))
				return false;
			break;
		default:
			break;
		}
	}
	return depth == 0;
}

static enum td_vcode check_name(const char *in, char *out, size_t outsz,
				size_t max, bool city)
{
	char buf[NAME_BUF], nfc[NAME_BUF];
	enum cls cls[NAME_BUF];
	size_t start, end, i, o = 0, nc = 0;
	bool space = false, letter = false, too_long = false;
	uint32_t cp;

	if (in == NULL)
		return fail(TD_V_EMPTY, out, outsz);
	trim_bounds(in, &start, &end);
	if (start == end)
		return fail(TD_V_EMPTY, out, outsz);
	for (i = start; i < end;) {
		int n = td_utf8_decode(in + i, end - i, &cp);
		enum cls k;
		char enc[4];
		int elen;

		if (n < 0)
			return fail(TD_V_BAD_CHAR, out, outsz);
		i += (size_t)n;
		if (td_cp_is_space(cp)) {
			space = true;
			continue;
		}
		if (cp == '\'' || cp == 0x2019 || cp == 0x02BC) {
			/* one apostrophe in storage, whatever the keyboard or
			 * word processor produced */
			cp = '\'';
			k = C_JOIN;
		} else if (cp == '-' || cp == 0x2010 || cp == 0x2011) {
			cp = '-';
			k = C_JOIN;
		} else if (td_cp_is_letter(cp)) {
			const utf8proc_category_t cat =
				utf8proc_category((utf8proc_int32_t)cp);
			k = cat >= UTF8PROC_CATEGORY_MN ? C_MARK : C_LETTER;
			/* a combining mark must modify a letter */
			if (k == C_MARK && (space || nc == 0 ||
					    !letterish(cls[nc - 1])))
				return fail(TD_V_BAD_CHAR, out, outsz);
			if (k == C_LETTER)
				letter = true;
		} else if (city && is_digit(cp)) {
			k = C_DIGIT;
		} else if (city && cp == '.') {
			k = C_DOT;
		} else if (city && cp == '(') {
			k = C_OPEN;
		} else if (city && cp == ')') {
			k = C_CLOSE;
		} else {
			return fail(TD_V_BAD_CHAR, out, outsz);
		}
		if (too_long)
			continue;       /* keep looking for bad characters */
		elen = td_utf8_encode(cp, enc);
		if (o + (size_t)elen + 2 > sizeof buf || nc + 2 > COUNT(cls)) {
			too_long = true;
			continue;
		}
		if (space) {
			buf[o++] = ' ';
			cls[nc++] = C_SPACE;
			space = false;
		}
		memcpy(buf + o, enc, (size_t)elen);
		o += (size_t)elen;
		cls[nc++] = k;
	}
	if (too_long)
		return fail(TD_V_TOO_LONG, out, outsz);
	buf[o] = '\0';
	if (!letter)
		return fail(TD_V_NAME_NO_LETTER, out, outsz);
	if (!punct_ok(cls, nc, city))
		return fail(TD_V_NAME_PUNCT, out, outsz);
	o = td_text_nfc(buf, nfc, sizeof nfc);
	if (td_utf8_count(nfc) > max || !put(out, outsz, nfc, o))
		return fail(TD_V_TOO_LONG, out, outsz);
	return TD_V_OK;
}

enum td_vcode td_validate_name(const char *in, char *out, size_t outsz)
{
	return check_name(in, out, outsz, TD_NAME_MAX, false);
}

enum td_vcode td_validate_city(const char *in, char *out, size_t outsz)
{
	return check_name(in, out, outsz, TD_CITY_MAX, true);
}

/* --- e-mail ------------------------------------------------------------ */

#define EMAIL_LOCAL_MAX 64
#define EMAIL_LABEL_MAX 63

/* RFC 5322 atext, plus '.' which the dot rules check separately. */
static bool is_atext(uint32_t c)
{
	return is_ascii_alpha(c) || is_digit(c) ||
	       (c < 0x80 && c != 0 && strchr("!#$%&'*+/=?^_`{|}~-.", (int)c));
}

/* Dots at either edge or doubled in s[0..n)? */
static bool bad_dots(const char *s, size_t n)
{
	if (n == 0)
		return false;
	if (s[0] == '.' || s[n - 1] == '.')
		return true;
	for (size_t k = 1; k < n; k++)
		if (s[k] == '.' && s[k - 1] == '.')
			return true;
	return false;
}

/* One domain label: letters (ASCII or, for internationalised domains,
 * Unicode), digits, hyphens not at either end.  The last label (TLD) must
 * be 2+ letters, or an "xn--" A-label. */
static bool label_ok(const char *s, size_t n, bool tld)
{
	size_t i = 0, cps = 0;
	bool xn = tld && n > 4 && strncmp(s, "xn--", 4) == 0;
	uint32_t cp;

	if (n == 0 || n > EMAIL_LABEL_MAX || s[0] == '-' || s[n - 1] == '-')
		return false;
	while (i < n) {
		int len = td_utf8_decode(s + i, n - i, &cp);
		if (len < 0)
			return false;
		i += (size_t)len;
		cps++;
		if (is_ascii_alpha(cp) || (cp >= 0x80 && td_cp_is_letter(cp)))
			continue;
		if ((is_digit(cp) || cp == '-') && (!tld || xn))
			continue;
		return false;
	}
	return cps >= 2 || !tld;
}

enum td_vcode td_validate_email(const char *in, char *out, size_t outsz)
{
	char buf[TD_EMAIL_MAX + 8];
	size_t start, end, i, at = 0, ats = 0, o, k;
	const char *local, *dom;
	size_t llen, dlen;
	uint32_t cp;

	if (in == NULL)
		return fail(TD_V_EMPTY, out, outsz);
	trim_bounds(in, &start, &end);
	if (start == end)
		return fail(TD_V_EMPTY, out, outsz);
	if (end - start > TD_EMAIL_MAX + 4)
		return fail(TD_V_TOO_LONG, out, outsz);
	for (i = start; i < end;) {
		int n = td_utf8_decode(in + i, end - i, &cp);
		if (n < 0)
			return fail(TD_V_BAD_CHAR, out, outsz);
		if (td_cp_is_space(cp))
			return fail(TD_V_EMAIL_SPACE, out, outsz);
		if (!td_cp_printable(cp))
			return fail(TD_V_BAD_CHAR, out, outsz);
		if (cp == '@') {
			at = i;
			ats++;
		}
		i += (size_t)n;
	}
	if (ats != 1)
		return fail(TD_V_EMAIL_NO_AT, out, outsz);

	local = in + start;
	llen = at - start;
	dom = in + at + 1;
	dlen = end - at - 1;

	if (llen == 0)
		return fail(TD_V_EMAIL_LOCAL, out, outsz);
	if (bad_dots(local, llen))
		return fail(TD_V_EMAIL_DOTS, out, outsz);
	for (i = 0; i < llen;) {
		int n = td_utf8_decode(local + i, llen - i, &cp);
		if (n < 0 || !(is_atext(cp) ||
			       (cp >= 0x80 && td_cp_is_letter(cp))))
			return fail(TD_V_EMAIL_LOCAL, out, outsz);
		i += (size_t)n;
	}
	if (llen > EMAIL_LOCAL_MAX)
		return fail(TD_V_TOO_LONG, out, outsz);

	if (dlen == 0)
		return fail(TD_V_EMAIL_DOMAIN, out, outsz);
	if (bad_dots(dom, dlen))
		return fail(TD_V_EMAIL_DOTS, out, outsz);
	if (memchr(dom, '.', dlen) == NULL)
		return fail(TD_V_EMAIL_NO_DOT, out, outsz);
	for (k = 0; k < dlen;) {
		const char *dot = memchr(dom + k, '.', dlen - k);
		size_t lend = dot ? (size_t)(dot - dom) : dlen;
		if (!label_ok(dom + k, lend - k, dot == NULL))
			return fail(TD_V_EMAIL_DOMAIN, out, outsz);
		k = lend + 1;
	}

	/* Local part as typed: some servers treat it case-sensitively.  The
	 * domain is case-insensitive, so store it lower-case for matching
	 * duplicates. */
	memcpy(buf, local, llen);
	o = llen;
	buf[o++] = '@';
	for (i = 0; i < dlen;) {
		char enc[4];
		int n = td_utf8_decode(dom + i, dlen - i, &cp);
		int elen;

		i += (size_t)n;
		if (cp >= 'A' && cp <= 'Z')
			cp += 'a' - 'A';
		else if (cp >= 0x80)
			cp = (uint32_t)utf8proc_tolower((utf8proc_int32_t)cp);
		elen = td_utf8_encode(cp, enc);
		if (o + (size_t)elen >= sizeof buf)
			return fail(TD_V_TOO_LONG, out, outsz);
		memcpy(buf + o, enc, (size_t)elen);
		o += (size_t)elen;
	}
	if (o > TD_EMAIL_MAX || !put(out, outsz, buf, o))
		return fail(TD_V_TOO_LONG, out, outsz);
	return TD_V_OK;
}

/* --- phone ------------------------------------------------------------- */

/* More digits than any accepted number plus a prefix; beyond that only
 * the count matters. */
#define PHONE_DIGITS 24

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

static enum td_vcode phone_out(const char *cc, const char *nat, size_t n,
			       char *out, size_t outsz)
{
	char buf[PHONE_DIGITS + 8];
	size_t cl = strlen(cc);

	buf[0] = '+';
	memcpy(buf + 1, cc, cl);
	memcpy(buf + 1 + cl, nat, n);
	if (!put(out, outsz, buf, 1 + cl + n))
		return fail(TD_V_TOO_LONG, out, outsz);
	return TD_V_OK;
}

enum td_vcode td_validate_phone(const char *in, char *out, size_t outsz)
{
	char d[PHONE_DIGITS];
	size_t len, i = 0, nd = 0, total = 0, trunk = SIZE_MAX, p, nn;
	bool plus = false;
	const char *nat;
	uint32_t cp;

	if (in == NULL)
		return fail(TD_V_EMPTY, out, outsz);
	len = strlen(in);
	while (i < len) {
		size_t tl = trunk_paren(in, i, len);
		int n;

		if (tl > 0) {
			/* remember where the written trunk 0 sits; only right
			 * after a country code is it dropped */
			if (total < PHONE_DIGITS) {
				trunk = nd;
				d[nd++] = '0';
			}
			total++;
			i += tl;
			continue;
		}
		n = td_utf8_decode(in + i, len - i, &cp);
		if (n < 0)
			return fail(TD_V_PHONE_CHARS, out, outsz);
		i += (size_t)n;
		if (is_digit(cp)) {
			if (nd < PHONE_DIGITS)
				d[nd++] = (char)cp;
			total++;
		} else if (cp == '+' && !plus && total == 0) {
			plus = true;
		} else if (!phone_separator(cp)) {
			return fail(TD_V_PHONE_CHARS, out, outsz);
		}
	}
	if (total == 0)
		return fail(plus ? TD_V_PHONE_COUNTRY : TD_V_EMPTY, out, outsz);
	if (total > nd)
		total = SIZE_MAX;       /* too many digits for any plan */

	if (!plus && !(nd >= 2 && d[0] == '0' && d[1] == '0')) {
		/* national French: 0 + 9 digits, second digit 1-9.  The
		 * 14-digit 0700 (M2M) and 0901 plans fail the length check
		 * on purpose: they do not reach a person. */
		if (total != 10 || d[0] != '0' || d[1] == '0')
			return fail(TD_V_PHONE_FR, out, outsz);
		return phone_out("33", d + 1, 9, out, outsz);
	}
	p = plus ? 0 : 2;       /* digits after "+" or "00" */
	if (nd - p >= 2 && memcmp(d + p, "33", 2) == 0) {
		p += 2;
		if (trunk == p)
			p++;
		nat = d + p;
		nn = total == SIZE_MAX ? SIZE_MAX : nd - p;
		if (nn != 9 || nat[0] == '0')
			return fail(TD_V_PHONE_FR, out, outsz);
		return phone_out("33", nat, nn, out, outsz);
	}
	if (nd - p >= 3 && memcmp(d + p, "352", 3) == 0) {
		p += 3;
		if (trunk == p)
			p++;
		nat = d + p;
		nn = total == SIZE_MAX ? SIZE_MAX : nd - p;
		/* Luxembourg has no trunk prefix: numbers never start
		 * with 0, and lengths vary (PBX extensions) */
		if (nn < 5 || nn > 11 || nat[0] == '0')
			return fail(TD_V_PHONE_LU, out, outsz);
		return phone_out("352", nat, nn, out, outsz);
	}
	return fail(TD_V_PHONE_COUNTRY, out, outsz);
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

static bool all_digits(const char *s)
{
	if (*s == '\0')
		return false;
	for (; *s; s++)
		if (!is_digit((unsigned char)*s))
			return false;
	return true;
}

size_t td_phone_display(const char *e164, char *out, size_t outsz)
{
	static const int fr[] = {1, 2, 0};
	static const int lu_333[] = {3, 0};
	static const int pairs[] = {2, 0};
	static const int odd[] = {3, 2, 0};
	char buf[64];
	size_t n, o = 0;
	const char *src = e164;

	if (src == NULL) {
		if (outsz > 0)
			out[0] = '\0';
		return 0;
	}
	n = strlen(src);
	if (n == 12 && memcmp(src, "+33", 3) == 0 && all_digits(src + 3)) {
		memcpy(buf, "+33", 3);
		o = group_digits(buf, 3, src + 3, 9, fr);
	} else if (n >= 9 && n <= 15 && memcmp(src, "+352", 4) == 0 &&
		   all_digits(src + 4)) {
		/* mobiles 6x1 xxx xxx are written in threes; fixed lines
		 * of variable length in pairs, with a leading triple when
		 * the count is odd (e.g. 12 34 56, 123 45 67) */
		size_t sn = n - 4;
		memcpy(buf, "+352", 4);
		o = group_digits(buf, 4, src + 4, sn,
				 sn == 9 ? lu_333 : (sn % 2 ? odd : pairs));
	}
	if (o > 0)
		src = buf;
	else
		o = n;
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

/* --- postcode ---------------------------------------------------------- */

enum td_vcode td_validate_postcode(const char *in, char *out, size_t outsz)
{
	size_t start, end, n;
	const char *s;
	char buf[8];

	if (in == NULL)
		return fail(TD_V_EMPTY, out, outsz);
	trim_bounds(in, &start, &end);
	if (start == end)
		return fail(TD_V_EMPTY, out, outsz);
	s = in + start;
	n = end - start;
	if (s[0] == 'L' || s[0] == 'l') {
		/* "L-1234", "L 1234", "L1234", "L - 1234" */
		size_t k = 1;
		bool dash = false;
		while (k < n && (s[k] == ' ' || (s[k] == '-' && !dash))) {
			dash |= s[k] == '-';
			k++;
		}
		if (n - k != 4 || s[k] == '0')
			return fail(TD_V_POSTCODE, out, outsz);
		for (size_t j = k; j < n; j++)
			if (!is_digit((unsigned char)s[j]))
				return fail(TD_V_POSTCODE, out, outsz);
		memcpy(buf, "L-", 2);
		memcpy(buf + 2, s + k, 4);
		if (!put(out, outsz, buf, 6))
			return fail(TD_V_TOO_LONG, out, outsz);
		return TD_V_OK;
	}
	if (n != 5)
		return fail(TD_V_POSTCODE, out, outsz);
	for (size_t j = 0; j < 5; j++)
		if (!is_digit((unsigned char)s[j]))
			return fail(TD_V_POSTCODE, out, outsz);
	/* no French département is numbered 00 */
	if (s[0] == '0' && s[1] == '0')
		return fail(TD_V_POSTCODE, out, outsz);
	if (!put(out, outsz, s, 5))
		return fail(TD_V_TOO_LONG, out, outsz);
	return TD_V_OK;
}

/* --- SIREN / SIRET ----------------------------------------------------- */

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

enum td_vcode td_validate_siret(const char *in, char *out, size_t outsz)
{
	char d[16];
	size_t len, i = 0, nd = 0, total = 0;
	uint32_t cp;

	if (in == NULL)
		return fail(TD_V_EMPTY, out, outsz);
	len = strlen(in);
	while (i < len) {
		int n = td_utf8_decode(in + i, len - i, &cp);
		if (n < 0)
			return fail(TD_V_SIRET_DIGITS, out, outsz);
		i += (size_t)n;
		if (is_digit(cp)) {
			if (nd < sizeof d - 1)
				d[nd++] = (char)cp;
			total++;
		} else if (!td_cp_is_space(cp) && cp != '.') {
			return fail(TD_V_SIRET_DIGITS, out, outsz);
		}
	}
	d[nd] = '\0';
	if (total == 0)
		return fail(TD_V_EMPTY, out, outsz);
	if (total != 9 && total != 14)
		return fail(TD_V_SIRET_DIGITS, out, outsz);
	if (!td_luhn_ok(d) && !la_poste_ok(d))
		return fail(TD_V_SIRET_CHECKSUM, out, outsz);
	if (!put(out, outsz, d, nd))
		return fail(TD_V_TOO_LONG, out, outsz);
	return TD_V_OK;
}

/* --- free text --------------------------------------------------------- */

/* Trim white space (newlines included) at both ends, in place. */
static void trim_in_place(char *s)
{
	size_t start, end;

	trim_bounds(s, &start, &end);
	memmove(s, s + start, end - start);
	s[end - start] = '\0';
}

enum td_vcode td_validate_text(const char *in, size_t max, bool multiline,
			       char *out, size_t outsz)
{
	size_t len, n, cps, k, cut;
	enum td_vcode v = TD_V_OK;
	char *tmp;

	if (in == NULL)
		return fail(TD_V_EMPTY, out, outsz);
	len = strlen(in);
	/* cleaning never lengthens text (each kept sequence is copied, each
	 * line break or tab becomes one byte), so len + 1 always suffices
	 * and nothing is cut before the length check */
	tmp = malloc(len + 1);
	if (tmp == NULL)
		return fail(TD_V_TOO_LONG, out, outsz);
	td_text_clean(in, len, tmp, len + 1, 0, multiline);
	if (multiline)
		trim_in_place(tmp);
	else
		td_text_squeeze(tmp);
	if (tmp[0] == '\0') {
		free(tmp);
		return fail(TD_V_EMPTY, out, outsz);
	}
	n = strlen(tmp);
	cps = td_utf8_count(tmp);
	if (max > 0 && cps > max) {
		/* keep the first max code points for the caller to show */
		for (k = 0, cut = 0; cut < n; cut++)
			if (((unsigned char)tmp[cut] & 0xC0) != 0x80 &&
			    k++ == max)
				break;
		n = cut;
		v = TD_V_TOO_LONG;
	}
	if (n >= outsz) {
		n = outsz ? outsz - 1 : 0;
		while (n > 0 && ((unsigned char)tmp[n] & 0xC0) == 0x80)
			n--;
		v = TD_V_TOO_LONG;
	}
	if (outsz > 0) {
		memcpy(out, tmp, n);
		out[n] = '\0';
	}
	free(tmp);
	return v;
}
