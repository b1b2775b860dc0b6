/* UTF-8 helpers.  Unicode properties come from utf8proc only, never from
 * the C library's locale tables, so results are identical under LANG=C and
 * LANG=C.UTF-8 (the terminal may be either; the data is always UTF-8). */
#include "totemdesk/text.h"

#include <stdlib.h>
#include <string.h>

#include <utf8proc.h>

#define CP_MAX 0x10FFFFu

int td_utf8_decode(const char *s, size_t len, uint32_t *cp)
{
	const unsigned char *u = (const unsigned char *)s;
	uint32_t c, min;
	int n, i;

	if (len == 0)
		return 0;
	c = u[0];
	if (c < 0x80) {
		*cp = c;
		return 1;
	}
	if (c >= 0xC2 && c <= 0xDF) {
		n = 2;
		c &= 0x1F;
		min = 0x80;
	} else if (c >= 0xE0 && c <= 0xEF) {
		n = 3;
		c &= 0x0F;
		min = 0x800;
	} else if (c >= 0xF0 && c <= 0xF4) {
		n = 4;
		c &= 0x07;
		min = 0x10000;
	} else {
		/* continuation byte, C0/C1 (always overlong) or F5-FF */
		return -1;
	}
	if (len < (size_t)n)
		return -1;
	for (i = 1; i < n; i++) {
		if ((u[i] & 0xC0) != 0x80)
			return -1;
		c = (c << 6) | (u[i] & 0x3F);
	}
	if (c < min || c > CP_MAX || (c >= 0xD800 && c <= 0xDFFF))
		return -1;
	*cp = c;
	return n;
}

int td_utf8_encode(uint32_t cp, char out[4])
{
	if (cp > CP_MAX || (cp >= 0xD800 && cp <= 0xDFFF))
		return 0;
	if (cp < 0x80) {
		out[0] = (char)cp;
		return 1;
	}
	if (cp < 0x800) {
		out[0] = (char)(0xC0 | (cp >> 6));
		out[1] = (char)(0x80 | (cp & 0x3F));
		return 2;
	}
	if (cp < 0x10000) {
		out[0] = (char)(0xE0 | (cp >> 12));
		out[1] = (char)(0x80 | ((cp >> 6) & 0x3F));
		out[2] = (char)(0x80 | (cp & 0x3F));
		return 3;
	}
	out[0] = (char)(0xF0 | (cp >> 18));
	out[1] = (char)(0x80 | ((cp >> 12) & 0x3F));
	out[2] = (char)(0x80 | ((cp >> 6) & 0x3F));
	out[3] = (char)(0x80 | (cp & 0x3F));
	return 4;
}

size_t td_utf8_count(const char *s)
{
	size_t n = 0;

	for (; *s; s++)
		if (((unsigned char)*s & 0xC0) != 0x80)
			n++;
	return n;
}

bool td_utf8_valid(const char *s, size_t len)
{
	size_t i = 0;
	uint32_t cp;

	while (i < len) {
		int n = td_utf8_decode(s + i, len - i, &cp);
		if (n <= 0 || cp == 0)
			return false;
		i += (size_t)n;
	}
	return true;
}

/* --- cleaning untrusted text ------------------------------------------ */

/* Introducers of the ECMA-48 control strings (DCS, SOS, OSC, PM, APC) as
 * the byte after ESC; the C1 forms are these plus 0x40. */
static bool is_string_introducer(uint32_t c)
{
	return c == 'P' || c == 'X' || c == ']' || c == '^' || c == '_';
}

/* Skip a control string body starting at in[i]; a terminal swallows
 * everything up to BEL, ST (ESC \ or U+009C), CAN or SUB, and aborts the
 * string at any other ESC, which then starts a new sequence.  Returns the
 * index of the first byte after the string. */
static size_t skip_control_string(const char *in, size_t len, size_t i)
{
	const unsigned char *u = (const unsigned char *)in;

	while (i < len) {
		if (u[i] == 0x07 || u[i] == 0x18 || u[i] == 0x1A)
			return i + 1;
		if (u[i] == 0x1B)
			return (i + 1 < len && u[i + 1] == '\\') ? i + 2 : i;
		if (u[i] == 0xC2 && i + 1 < len && u[i + 1] == 0x9C)
			return i + 2;
		i++;
	}
	return i;
}

/* Skip CSI parameters, intermediates and the final byte from in[i].  A
 * byte outside the grammar ends the sequence without being consumed, so
 * that a stray "\x1b[" cannot swallow the text after it. */
static size_t skip_csi(const char *in, size_t len, size_t i)
{
	const unsigned char *u = (const unsigned char *)in;

	while (i < len && u[i] >= 0x20 && u[i] <= 0x3F)
		i++;
	if (i < len && u[i] >= 0x40 && u[i] <= 0x7E)
		i++;
	return i;
}

/* Skip an escape sequence whose ESC is at in[i]; returns the index after
 * it. */
static size_t skip_escape(const char *in, size_t len, size_t i)
{
	const unsigned char *u = (const unsigned char *)in;
	unsigned char c;

	i++;
	if (i >= len)
		return i;
	c = u[i];
	if (c == '[')
		return skip_csi(in, len, i + 1);
	if (is_string_introducer(c))
		return skip_control_string(in, len, i + 1);
	if (c == 'N' || c == 'O') {
		/* SS2/SS3 shift exactly one following graphic character */
		i++;
		if (i < len && u[i] >= 0x20 && u[i] <= 0x7E)
			i++;
		return i;
	}
	if (c >= 0x20 && c <= 0x2F) {
		/* nF sequences such as ESC ( B: intermediates then a final */
		while (i < len && u[i] >= 0x20 && u[i] <= 0x2F)
			i++;
		if (i < len && u[i] >= 0x30 && u[i] <= 0x7E)
			i++;
		return i;
	}
	if (c >= 0x30 && c <= 0x7E)
		return i + 1;
	/* ESC followed by a control or non-ASCII byte: drop the ESC alone */
	return i;
}

bool td_cp_is_bidi_control(uint32_t cp)
{
	return (cp >= 0x202A && cp <= 0x202E) || (cp >= 0x2066 && cp <= 0x2069);
}

uint32_t td_text_find_bidi(const char *s)
{
	size_t len = s ? strlen(s) : 0;
	for (size_t i = 0; i < len;) {
		uint32_t cp;
		int n = td_utf8_decode(s + i, len - i, &cp);
		if (n <= 0) {
			i++;
			continue;
		}
		if (td_cp_is_bidi_control(cp))
			return cp;
		i += (size_t)n;
	}
	return 0;
}

/* Is cp removed by td_text_clean?  C0, DEL, C1, and noncharacters, which
 * are never meant for interchange and some terminals print as garbage;
 * the bidirectional controls, which reorder what the terminal shows. */
static bool is_dropped_cp(uint32_t cp)
{
	if (td_cp_is_bidi_control(cp))
		return true;
	if (cp < 0x20 || (cp >= 0x7F && cp <= 0x9F))
		return true;
	if ((cp >= 0xFDD0 && cp <= 0xFDEF) || (cp & 0xFFFE) == 0xFFFE)
		return true;
	return false;
}

size_t td_text_clean(const char *in, size_t len, char *out, size_t outsz,
		     size_t max_chars, bool allow_newlines)
{
	size_t i = 0, o = 0, chars = 0;

	if (outsz == 0)
		return 0;
	if (in == NULL)
		len = 0;
	while (i < len) {
		const unsigned char b = (unsigned char)in[i];
		char enc[4];
		uint32_t cp;
		int n, elen;

		if (b == 0x1B) {
			i = skip_escape(in, len, i);
			continue;
		}
		n = td_utf8_decode(in + i, len - i, &cp);
		if (n < 0) {
			i++;
			continue;
		}
		i += (size_t)n;
		/* 8-bit C1 introducers in UTF-8 form: some terminals obey
		 * them, so their parameters must go too */
		if (cp == 0x9B) {
			i = skip_csi(in, len, i);
			continue;
		}
		if (cp >= 0x80 && cp <= 0x9F && is_string_introducer(cp - 0x40)) {
			i = skip_control_string(in, len, i);
			continue;
		}
		if (cp == '\r' || cp == '\n' || cp == 0x2028 || cp == 0x2029) {
			/* CR LF is one line break, not two */
			if (cp == '\r' && i < len && in[i] == '\n')
				i++;
			cp = allow_newlines ? '\n' : ' ';
		} else if (cp == '\t') {
			cp = ' ';
		} else if (is_dropped_cp(cp)) {
			continue;
		}
		if (max_chars && chars >= max_chars)
			break;
		elen = td_utf8_encode(cp, enc);
		if (o + (size_t)elen >= outsz)
			break;
		memcpy(out + o, enc, (size_t)elen);
		o += (size_t)elen;
		chars++;
	}
	out[o] = '\0';
	return o;
}

/* --- properties -------------------------------------------------------- */

static utf8proc_category_t category(uint32_t cp)
{
	if (cp > CP_MAX)
		return UTF8PROC_CATEGORY_CN;
	return utf8proc_category((utf8proc_int32_t)cp);
}

bool td_cp_printable(uint32_t cp)
{
	if (cp > CP_MAX || is_dropped_cp(cp))
		return false;
	switch (category(cp)) {
	case UTF8PROC_CATEGORY_CN:
	case UTF8PROC_CATEGORY_CC:
	case UTF8PROC_CATEGORY_CS:
	case UTF8PROC_CATEGORY_ZL:
	case UTF8PROC_CATEGORY_ZP:
		return false;
	default:
		return true;
	}
}

bool td_cp_is_letter(uint32_t cp)
{
	const utf8proc_category_t c = category(cp);

	return c >= UTF8PROC_CATEGORY_LU && c <= UTF8PROC_CATEGORY_ME;
}

int td_cp_width(uint32_t cp)
{
	int w;

	if (cp > CP_MAX)
		return 1;
	w = utf8proc_charwidth((utf8proc_int32_t)cp);
	if (w <= 0)
		return 0;
	return w >= 2 ? 2 : 1;
}

size_t td_text_width(const char *s)
{
	size_t len = strlen(s), i = 0, w = 0;
	uint32_t cp;

	while (i < len) {
		int n = td_utf8_decode(s + i, len - i, &cp);
		if (n < 0) {
			w++;
			i++;
			continue;
		}
		w += (size_t)td_cp_width(cp);
		i += (size_t)n;
	}
	return w;
}

/* NBSP and narrow NBSP arrive with text pasted from web pages and office
 * documents, so every Unicode space separator counts. */
bool td_cp_is_space(uint32_t cp)
{
	utf8proc_category_t c;

	if (cp == ' ' || (cp >= '\t' && cp <= '\r'))
		return true;
	if (cp < 0x80)
		return false;
	c = category(cp);
	return c == UTF8PROC_CATEGORY_ZS || c == UTF8PROC_CATEGORY_ZL ||
	       c == UTF8PROC_CATEGORY_ZP;
}

char *td_text_squeeze(char *s)
{
	size_t len = strlen(s), i = 0, o = 0;
	bool pending = false;
	uint32_t cp;

	while (i < len) {
		int n = td_utf8_decode(s + i, len - i, &cp);
		if (n > 0 && td_cp_is_space(cp)) {
			pending = o > 0;
			i += (size_t)n;
			continue;
		}
		if (n < 0)
			n = 1;
		if (pending) {
			/* o < i always holds here: the skipped space took at
			 * least one byte, so writing cannot overtake reading */
			s[o++] = ' ';
			pending = false;
		}
		memmove(s + o, s + i, (size_t)n);
		o += (size_t)n;
		i += (size_t)n;
	}
	s[o] = '\0';
	return s;
}

/* --- folding and ASCII fallback --------------------------------------- */

struct cp_map {
	uint32_t cp;
	const char *ascii;
};

/* Latin letters that have no canonical or compatibility decomposition, so
 * stripping marks cannot reduce them; sorted by code point. */
static const struct cp_map latin_extra[] = {
	{0x00C6, "AE"}, {0x00D0, "D"},  {0x00D8, "O"},  {0x00DE, "TH"},
	{0x00DF, "ss"}, {0x00E6, "ae"}, {0x00F0, "d"},  {0x00F8, "o"},
	{0x00FE, "th"}, {0x0110, "D"},  {0x0111, "d"},  {0x0126, "H"},
	{0x0127, "h"},  {0x0131, "i"},  {0x0141, "L"},  {0x0142, "l"},
	{0x014A, "NG"}, {0x014B, "ng"}, {0x0152, "OE"}, {0x0153, "oe"},
	{0x0166, "T"},  {0x0167, "t"},  {0x0180, "b"},  {0x0197, "I"},
	{0x01B6, "z"},  {0x0268, "i"},  {0x1E9E, "SS"},
};

/* Punctuation and symbols with a conventional ASCII stand-in; sorted. */
static const struct cp_map punct_ascii[] = {
	{0x00A0, " "},   {0x00A1, "!"},   {0x00A2, "c"},   {0x00A3, "GBP"},
	{0x00A5, "JPY"}, {0x00A6, "|"},   {0x00A7, "S"},   {0x00A9, "(C)"},
	{0x00AB, "\""},  {0x00AC, "-"},   {0x00AD, ""},    {0x00AE, "(R)"},
	{0x00B0, "o"},   {0x00B1, "+/-"}, {0x00B5, "u"},   {0x00B6, "P"},
	{0x00B7, "."},   {0x00BB, "\""},  {0x00BF, "?"},   {0x00D7, "x"},
	{0x00F7, "/"},   {0x02BC, "'"},   {0x2010, "-"},   {0x2011, "-"},
	{0x2012, "-"},   {0x2013, "-"},   {0x2014, "-"},   {0x2015, "-"},
	{0x2018, "'"},   {0x2019, "'"},   {0x201A, ","},   {0x201B, "'"},
	{0x201C, "\""},  {0x201D, "\""},  {0x201E, "\""},  {0x201F, "\""},
	{0x2020, "+"},   {0x2022, "*"},   {0x2026, "..."}, {0x2030, "o/oo"},
	{0x2032, "'"},   {0x2033, "\""},  {0x2039, "<"},   {0x203A, ">"},
	{0x2044, "/"},   {0x20AC, "EUR"}, {0x2116, "No"},  {0x2122, "TM"},
	{0x2190, "<-"},  {0x2192, "->"},  {0x2212, "-"},   {0x2264, "<="},
	{0x2265, ">="},  {0x2713, "v"},   {0x2714, "v"},
};

static const char *map_find(const struct cp_map *m, size_t n, uint32_t cp)
{
	size_t lo = 0, hi = n;

	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		if (m[mid].cp == cp)
			return m[mid].ascii;
		if (m[mid].cp < cp)
			lo = mid + 1;
		else
			hi = mid;
	}
	return NULL;
}

#define COUNT(a) (sizeof(a) / sizeof((a)[0]))

/* Append the UTF-8 form of cp when it fits with room for the final NUL;
 * false means out is full. */
static bool put_cp(char *out, size_t outsz, size_t *o, uint32_t cp)
{
	char enc[4];
	int n = td_utf8_encode(cp, enc);

	if (n == 0)
		return true;
	if (*o + (size_t)n >= outsz)
		return false;
	memcpy(out + *o, enc, (size_t)n);
	*o += (size_t)n;
	return true;
}

static bool put_str(char *out, size_t outsz, size_t *o, const char *s)
{
	size_t n = strlen(s);

	if (*o + n >= outsz)
		return false;
	memcpy(out + *o, s, n);
	*o += n;
	return true;
}

size_t td_text_fold(const char *in, char *out, size_t outsz)
{
	const utf8proc_option_t opt = UTF8PROC_DECOMPOSE | UTF8PROC_COMPAT |
				      UTF8PROC_STRIPMARK | UTF8PROC_CASEFOLD;
	size_t len, i = 0, o = 0;
	uint32_t cp;

	if (outsz == 0)
		return 0;
	len = in ? strlen(in) : 0;
	while (i < len) {
		utf8proc_int32_t dec[32];
		utf8proc_ssize_t nd;
		const char *extra;
		int n = td_utf8_decode(in + i, len - i, &cp);
		int lbc = 0;
		bool ok = true;

		if (n < 0) {
			i++;
			continue;
		}
		extra = map_find(latin_extra, COUNT(latin_extra), cp);
		if (extra != NULL) {
			/* table entries are ASCII: lower-case them, and write
			 * all or nothing so "oe" is never cut to "o" */
			size_t k, elen = strlen(extra);
			ok = o + elen < outsz;
			for (k = 0; k < elen && ok; k++) {
				char c = extra[k];
				out[o++] = (char)(c >= 'A' && c <= 'Z' ? c + 32 : c);
			}
		} else if (cp == 0x2018 || cp == 0x2019 || cp == 0x02BC) {
			/* so that "O’Brien" finds "O'Brien" */
			ok = put_cp(out, outsz, &o, '\'');
		} else {
			char tmp[4 * COUNT(dec) + 1];
			size_t t = 0;

			nd = utf8proc_decompose_char((utf8proc_int32_t)cp, dec,
						     (utf8proc_ssize_t)COUNT(dec),
						     opt, &lbc);
			if (nd < 0 || nd > (utf8proc_ssize_t)COUNT(dec)) {
				dec[0] = (utf8proc_int32_t)cp;
				nd = 1;
			}
			/* all or nothing: "ss" for ß is never cut in half */
			for (utf8proc_ssize_t k = 0; k < nd; k++)
				t += (size_t)td_utf8_encode((uint32_t)dec[k],
							    tmp + t);
			tmp[t] = '\0';
			ok = put_str(out, outsz, &o, tmp);
		}
		if (!ok)
			break;
		i += (size_t)n;
	}
	out[o] = '\0';
	return o;
}

/* Is every code point in dec printable ASCII, or mapped by the table? */
static bool ascii_from_decomposition(const utf8proc_int32_t *dec,
				     utf8proc_ssize_t nd, char out[8])
{
	size_t o = 0;

	for (utf8proc_ssize_t k = 0; k < nd; k++) {
		const uint32_t c = (uint32_t)dec[k];
		const char *m = NULL;
		size_t mlen;

		if (c >= 0x20 && c <= 0x7E) {
			if (o + 1 > 7)
				return false;
			out[o++] = (char)c;
			continue;
		}
		m = map_find(punct_ascii, COUNT(punct_ascii), c);
		if (m == NULL)
			m = map_find(latin_extra, COUNT(latin_extra), c);
		if (m == NULL)
			return false;
		mlen = strlen(m);
		if (o + mlen > 7)
			return false;
		memcpy(out + o, m, mlen);
		o += mlen;
	}
	out[o] = '\0';
	return true;
}

size_t td_cp_ascii(uint32_t cp, char out[8])
{
	const utf8proc_option_t opt = UTF8PROC_DECOMPOSE | UTF8PROC_COMPAT |
				      UTF8PROC_STRIPMARK;
	utf8proc_int32_t dec[8];
	utf8proc_ssize_t nd;
	const char *m;
	int lbc = 0;
	utf8proc_category_t cat;

	if (cp >= 0x20 && cp <= 0x7E) {
		out[0] = (char)cp;
		out[1] = '\0';
		return 1;
	}
	if (cp == '\t' || cp == '\n' || cp == '\r') {
		out[0] = ' ';
		out[1] = '\0';
		return 1;
	}
	m = map_find(punct_ascii, COUNT(punct_ascii), cp);
	if (m == NULL)
		m = map_find(latin_extra, COUNT(latin_extra), cp);
	if (m != NULL) {
		strcpy(out, m);
		return strlen(m);
	}
	cat = category(cp);
	/* Combining marks belong to the previous letter (decomposed "e" +
	 * U+0301 must read "e"), and format characters (ZWJ, ZWSP, BOM) are
	 * invisible: neither deserves a '?'. */
	if (cat == UTF8PROC_CATEGORY_MN || cat == UTF8PROC_CATEGORY_ME ||
	    cat == UTF8PROC_CATEGORY_MC || cat == UTF8PROC_CATEGORY_CF) {
		out[0] = '\0';
		return 0;
	}
	if (cp <= CP_MAX && cat != UTF8PROC_CATEGORY_CC &&
	    cat != UTF8PROC_CATEGORY_CS) {
		nd = utf8proc_decompose_char((utf8proc_int32_t)cp, dec,
					     (utf8proc_ssize_t)COUNT(dec), opt,
					     &lbc);
		if (nd > 0 && nd <= (utf8proc_ssize_t)COUNT(dec) &&
		    !(nd == 1 && (uint32_t)dec[0] == cp) &&
		    ascii_from_decomposition(dec, nd, out))
			return strlen(out);
	}
	out[0] = '?';
	out[1] = '\0';
	return 1;
}

size_t td_text_ascii(const char *in, char *out, size_t outsz)
{
	size_t len, i = 0, o = 0;
	uint32_t cp;

	if (outsz == 0)
		return 0;
	len = in ? strlen(in) : 0;
	while (i < len) {
		char a[8];
		int n = td_utf8_decode(in + i, len - i, &cp);

		if (n < 0) {
			strcpy(a, "?");
			n = 1;
		} else {
			td_cp_ascii(cp, a);
		}
		if (!put_str(out, outsz, &o, a))
			break;
		i += (size_t)n;
	}
	out[o] = '\0';
	return o;
}

size_t td_text_nfc(const char *in, char *out, size_t outsz)
{
	utf8proc_uint8_t *nfc = NULL;
	utf8proc_ssize_t r;
	const char *src = in ? in : "";
	size_t n;

	if (outsz == 0)
		return 0;
	r = utf8proc_map((const utf8proc_uint8_t *)src, 0, &nfc,
			 UTF8PROC_NULLTERM | UTF8PROC_STABLE |
			 UTF8PROC_COMPOSE);
	if (r >= 0 && nfc != NULL)
		src = (const char *)nfc;
	/* On failure (invalid UTF-8, no memory) copy the input unchanged:
	 * composition is a nicety, never a reason to lose text. */
	n = strlen(src);
	if (n >= outsz) {
		n = outsz - 1;
		/* back off to a sequence boundary */
		while (n > 0 && ((unsigned char)src[n] & 0xC0) == 0x80)
			n--;
	}
	memcpy(out, src, n);
	out[n] = '\0';
	free(nfc);
	return n;
}
