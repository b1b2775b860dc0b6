/* Private to src/core: length of the well-formed UTF-8 sequence at s.
 *
 * The CSV reader and the JSON writer validate text in their hot loops and
 * only need "how many bytes is this character, or is it invalid", not the
 * code point, so this is a tiny inline check instead of a call into text.c.
 * Well-formedness follows Unicode table 3-7: no overlongs, no surrogates,
 * nothing above U+10FFFF. */
#ifndef TD_CORE_UTF8_SEQ_H
#define TD_CORE_UTF8_SEQ_H

#include <stddef.h>

/* Bytes (1-4) of the valid sequence starting at s (n > 0 bytes available),
 * or 0 if the bytes there are not valid UTF-8.  NUL counts as valid. */
static inline size_t td_utf8_seq_len(const unsigned char *s, size_t n)
{
	unsigned char c = s[0];
	unsigned char lo = 0x80, hi = 0xbf;

	if (c < 0x80)
		return 1;
	if (c < 0xc2)
		return 0;
	if (c < 0xe0)
		return n >= 2 && (s[1] & 0xc0) == 0x80 ? 2 : 0;
	if (c < 0xf0) {
		if (c == 0xe0)
			lo = 0xa0;
		else if (c == 0xed)
			hi = 0x9f;
		if (n < 3 || s[1] < lo || s[1] > hi || (s[2] & 0xc0) != 0x80)
			return 0;
		return 3;
	}
	if (c < 0xf5) {
		if (c == 0xf0)
			lo = 0x90;
		else if (c == 0xf4)
			hi = 0x8f;
		if (n < 4 || s[1] < lo || s[1] > hi ||
		    (s[2] & 0xc0) != 0x80 || (s[3] & 0xc0) != 0x80)
			return 0;
		return 4;
	}
	return 0;
}

#endif
