/* What the validators of validate.c, phone.c and company.c share.  Private
 * to src/core. */
#ifndef TD_CORE_VALIDATE_INT_H
#define TD_CORE_VALIDATE_INT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "totemdesk/validate.h"

#define COUNT(a) (sizeof(a) / sizeof((a)[0]))

/* Failed validation leaves an empty string, so a caller that ignores the
 * code never stores half-normalised input. */
static inline enum td_vcode fail(enum td_vcode v, char *out, size_t outsz)
{
	if (outsz > 0)
		out[0] = '\0';
	return v;
}

/* Copy n bytes plus NUL into out, or report that they do not fit. */
static inline bool put(char *out, size_t outsz, const char *s, size_t n)
{
	if (n >= outsz)
		return false;
	memcpy(out, s, n);
	out[n] = '\0';
	return true;
}

static inline bool is_digit(uint32_t c)
{
	return c >= '0' && c <= '9';
}

static inline bool is_ascii_alpha(uint32_t c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
}

/* Non-empty and only ASCII digits. */
static inline bool all_digits(const char *s)
{
	if (*s == '\0')
		return false;
	for (; *s; s++)
		if (!is_digit((unsigned char)*s))
			return false;
	return true;
}

/* Bounds of s without leading and trailing white space (Unicode spaces
 * included); invalid bytes are not white space. */
void td_v_trim_bounds(const char *s, size_t *start, size_t *end);

/* A name (city true: a city, also digits, dots, parentheses) of at most
 * max code points, normalised into out: td_validate_name's rules. */
enum td_vcode td_v_check_name(const char *in, char *out, size_t outsz,
			      size_t max, bool city);

#endif
