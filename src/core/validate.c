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

#include "validate_int.h"

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
			     "e.g. 06 12 34 56 78 (overseas too: 06 96 90 18 "
			     "24), or +33 and the 9 digits after the 0."),
	[TD_V_PHONE_LU] = N_("A Luxembourg number has 4 to 11 digits with no 0 "
			     "in front, e.g. 621 123 456 or +352 621 123 456; "
			     "check the digits."),
	[TD_V_PHONE_DE] = N_("A German number is 0, the area code and the "
			     "number, e.g. 0681 1234567, or +49 681 1234567; "
			     "check the area code and the digits."),
	[TD_V_PHONE_BE] = N_("A Belgian number has 8 or 9 digits after the 0, "
			     "e.g. 063 12 34 56 or 0470 12 34 56, or +32 63 12 "
			     "34 56."),
	[TD_V_PHONE_DOM] = N_("A French overseas number has 9 digits after its "
			      "country code (+262, +590, +594, +596), e.g. "
			      "+596 696 90 18 24; check the digits."),
	[TD_V_PHONE_DOM_CC] = N_("This is an overseas number: its country code "
				 "is +262, +590, +594 or +596, not +33, e.g. "
				 "+596 696 90 18 24; or type it as in France, "
				 "06 96 90 18 24."),
	[TD_V_PHONE_INTL] = N_("For a visitor from another country, type the "
			       "number with + and its country code, e.g. +41 "
			       "22 123 45 67."),
	[TD_V_PHONE_CC] = N_("The digits after + or 00 are not a country code; "
			     "check them, e.g. +32 for Belgium or +49 for "
			     "Germany."),
	[TD_V_PHONE_LENGTH] = N_("This number has too many or too few digits "
				 "for its country code; check them."),
	[TD_V_POSTCODE_FR] = N_("A French postcode has 5 digits, e.g. 57000; "
				"for an address abroad, choose the country "
				"first."),
	[TD_V_POSTCODE_LU] = N_("A Luxembourg postcode is L- and 4 digits, e.g. "
				"L-4362."),
	[TD_V_POSTCODE_DE] = N_("A German postcode has 5 digits, e.g. 66111 "
				"(D-66111 is accepted)."),
	[TD_V_POSTCODE_BE] = N_("A Belgian postcode has 4 digits, e.g. 6700 "
				"(B-6700 is accepted)."),
	[TD_V_POSTCODE_OTHER] = N_("A postcode has 2 to 10 letters, digits, "
				   "spaces or hyphens, e.g. SW1A 1AA."),
	[TD_V_SIRET_DIGITS] = N_("A SIREN has 9 digits and a SIRET 14, e.g. 732 "
				 "829 320 00074; a company abroad: B123456 "
				 "(LU), Saarbrücken HRB 12345 (DE), "
				 "0566.988.259 (BE)."),
	[TD_V_SIRET_CHECKSUM] = N_("This SIREN or SIRET is not valid: a digit "
				   "is wrong or two are swapped; copy it again "
				   "from a Kbis or an invoice."),
	[TD_V_SIRET_SIREN] = N_("The first 9 digits of this SIRET are not a "
				"valid SIREN: a digit is wrong or two are "
				"swapped; copy it again from a Kbis or an "
				"invoice."),
	[TD_V_BCE_DIGITS] = N_("A Belgian enterprise number (BCE/KBO) has 10 "
			       "digits starting with 0 or 1, e.g. "
			       "0566.988.259."),
	[TD_V_BCE_CHECKSUM] = N_("This BCE/KBO number is not valid: its last "
				 "two digits do not match the first eight; "
				 "copy it again."),
	[TD_V_RCS_LU] = N_("A Luxembourg RCS number is a letter and up to 6 "
			   "digits, e.g. B123456."),
	[TD_V_HR_DE] = N_("A German register number is the court, HRA or HRB "
			  "and the number, e.g. Saarbrücken HRB 12345."),
	[TD_V_COMPANY_OTHER] = N_("A company number has letters, digits, "
				  "spaces and . - / only, 30 at most; type it "
				  "as written."),
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
	[TD_V_BIDI] = N_("This text holds an invisible direction control "
			 "(U+202A to U+202E or U+2066 to U+2069) that makes "
			 "it read differently from what is stored; type it "
			 "again without it."),
	[TD_V_BAD_CODE] = N_("This value is not one of the known codes; pick "
			     "one from the list."),
};

const char *td_vcode_message(enum td_vcode code)
{
	if ((unsigned)code < COUNT(vcode_msgs) && vcode_msgs[code] != NULL)
		return _(vcode_msgs[code]);
	return _("This value is not valid; check it and type it again.");
}

/* Bounds of s without leading and trailing white space (Unicode spaces
 * included); invalid bytes are not white space. */
void td_v_trim_bounds(const char *s, size_t *start, size_t *end)
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

enum td_vcode td_v_check_name(const char *in, char *out, size_t outsz,
				size_t max, bool city)
{
	char buf[NAME_BUF], nfc[NAME_BUF];
	enum cls cls[NAME_BUF];
	size_t start, end, i, o = 0, nc = 0;
	bool space = false, letter = false, too_long = false;
	uint32_t cp;

	if (in == NULL)
		return fail(TD_V_EMPTY, out, outsz);
	if (td_text_find_bidi(in))
		return fail(TD_V_BIDI, out, outsz);
	td_v_trim_bounds(in, &start, &end);
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
	return td_v_check_name(in, out, outsz, TD_NAME_MAX, false);
}

enum td_vcode td_validate_city(const char *in, char *out, size_t outsz)
{
	return td_v_check_name(in, out, outsz, TD_CITY_MAX, true);
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
	td_v_trim_bounds(in, &start, &end);
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

/* --- postcode ---------------------------------------------------------- */

/* s[0..n) is want digits, after the country letter x (any case) and then
 * spaces and at most one hyphen ("L-1234", "L 1234", "l1234") when x is
 * not 0.  The digits go to dig. */
static bool coded_postcode(const char *s, size_t n, char x, size_t want,
			   char *dig)
{
	size_t k = 0;

	if (x != 0 && n > 0 && (s[0] == x || s[0] == x + ('a' - 'A'))) {
		bool dash = false;
		for (k = 1; k < n && (s[k] == ' ' || (s[k] == '-' && !dash));
		     k++)
			dash |= s[k] == '-';
	}
	if (n - k != want)
		return false;
	for (size_t j = k; j < n; j++)
		if (!is_digit((unsigned char)s[j]))
			return false;
	memcpy(dig, s + k, want);
	return true;
}

/* Any other country: letters, digits, spaces and hyphens ("SW1A 1AA",
 * "1012 AB", "K1A 0B1", "12345-6789"), upper-cased, spaces squeezed. */
static enum td_vcode other_postcode(const char *s, size_t n, char *out,
				    size_t outsz)
{
	char buf[16];
	size_t o = 0, sig = 0;

	for (size_t k = 0; k < n; k++) {
		char c = s[k];
		if (c == ' ' || c == '\t') {
			if (o > 0 && buf[o - 1] != ' ' && o < sizeof buf)
				buf[o++] = ' ';
			continue;
		}
		if (c >= 'a' && c <= 'z')
			c = (char)(c - ('a' - 'A'));
		if (!(is_digit((unsigned char)c) || (c >= 'A' && c <= 'Z') ||
		      c == '-'))
			return fail(TD_V_POSTCODE_OTHER, out, outsz);
		if (o >= 10)
			return fail(TD_V_POSTCODE_OTHER, out, outsz);
		buf[o++] = c;
		sig += c != '-';
	}
	while (o > 0 && buf[o - 1] == ' ')
		o--;
	if (sig < 2 || o > 10)
		return fail(TD_V_POSTCODE_OTHER, out, outsz);
	if (!put(out, outsz, buf, o))
		return fail(TD_V_TOO_LONG, out, outsz);
	return TD_V_OK;
}

enum td_vcode td_validate_postcode(enum td_country country, const char *in,
				   char *out, size_t outsz)
{
	size_t start, end, n, len;
	const char *s;
	char dig[8], buf[8];

	if (in == NULL)
		return fail(TD_V_EMPTY, out, outsz);
	td_v_trim_bounds(in, &start, &end);
	if (start == end)
		return fail(TD_V_EMPTY, out, outsz);
	s = in + start;
	n = end - start;
	switch (country) {
	case TD_COUNTRY_FR:
		/* no French département is numbered 00 */
		if (!coded_postcode(s, n, 0, 5, dig) ||
		    (dig[0] == '0' && dig[1] == '0'))
			return fail(TD_V_POSTCODE_FR, out, outsz);
		len = 5;
		memcpy(buf, dig, len);
		break;
	case TD_COUNTRY_LU:
		if (!coded_postcode(s, n, 'L', 4, dig) || dig[0] == '0')
			return fail(TD_V_POSTCODE_LU, out, outsz);
		memcpy(buf, "L-", 2);
		memcpy(buf + 2, dig, 4);
		len = 6;
		break;
	case TD_COUNTRY_DE:
		/* German postcodes run from 01 to 99 */
		if (!coded_postcode(s, n, 'D', 5, dig) ||
		    (dig[0] == '0' && dig[1] == '0'))
			return fail(TD_V_POSTCODE_DE, out, outsz);
		len = 5;
		memcpy(buf, dig, len);
		break;
	case TD_COUNTRY_BE:
		if (!coded_postcode(s, n, 'B', 4, dig) || dig[0] == '0')
			return fail(TD_V_POSTCODE_BE, out, outsz);
		len = 4;
		memcpy(buf, dig, len);
		break;
	default:
		return other_postcode(s, n, out, outsz);
	}
	if (!put(out, outsz, buf, len))
		return fail(TD_V_TOO_LONG, out, outsz);
	return TD_V_OK;
}

/* --- free text --------------------------------------------------------- */

/* Trim white space (newlines included) at both ends, in place. */
static void trim_in_place(char *s)
{
	size_t start, end;

	td_v_trim_bounds(s, &start, &end);
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
	/* Refused, not silently dropped: the person typing (or the file
	 * imported) is told. */
	if (td_text_find_bidi(in))
		return fail(TD_V_BIDI, out, outsz);
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
