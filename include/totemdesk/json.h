/* Small streaming JSON writer into a td_buf.
 *
 * The state struct inserts commas, colons and (optionally) indentation, and
 * checks nesting: a key outside an object, a value without its key in an
 * object, a mismatched end or nesting deeper than TD_JSON_MAX_DEPTH is
 * refused with TD_EINVAL and nothing is written.  The first error sticks:
 * later calls do nothing and return it, so a long export may call the
 * value functions unchecked and test td_json_finish once; after an error
 * the buffer's content is incomplete and must be discarded.
 * Several top-level values are separated by a newline (JSON Lines). */
#ifndef TOTEMDESK_JSON_H
#define TOTEMDESK_JSON_H

#include "totemdesk/buf.h"
#include "totemdesk/error.h"

#include <stdbool.h>
#include <stddef.h>

#define TD_JSON_MAX_DEPTH 32

struct td_json {
	struct td_buf *buf;             /* not owned */
	int depth;                      /* open containers */
	bool first[TD_JSON_MAX_DEPTH];  /* nothing written yet at this level */
	bool object[TD_JSON_MAX_DEPTH]; /* level is an object (else array) */
	bool pretty;                    /* newlines and 2-space indentation */
	bool want_value;                /* a key was written, its value due */
	bool top_used;                  /* a top-level value was written */
	int status;                     /* first error, TD_OK if none */
};

/* Prepare j to append to buf, compact or pretty (2-space indent). */
void td_json_init(struct td_json *j, struct td_buf *buf, bool pretty);

/* Append s (len bytes) as a quoted JSON string literal to buf, with no
 * comma logic: '"' and '\\' escaped, control characters (NUL included),
 * U+2028 and U+2029 (which break JavaScript) as \uXXXX, valid UTF-8 kept as
 * is, each byte that is not valid UTF-8 replaced by U+FFFD.  TD_OK or
 * TD_ENOMEM (then buf is unchanged). */
int td_json_quote(struct td_buf *buf, const char *s, size_t len);

/* Open an object / array as the next value.  Status as described above. */
int td_json_begin_object(struct td_json *j);
int td_json_begin_array(struct td_json *j);

/* Close the innermost object / array (it must be that kind). */
int td_json_end_object(struct td_json *j);
int td_json_end_array(struct td_json *j);

/* Write the key of the next member of the current object. */
int td_json_key(struct td_json *j, const char *name);

/* Write a string value (escaped as td_json_quote); NULL writes null. */
int td_json_string(struct td_json *j, const char *utf8);

/* Write a string value of len bytes (which may contain NULs). */
int td_json_stringn(struct td_json *j, const char *s, size_t len);

/* Write an integer, boolean or null value. */
int td_json_int(struct td_json *j, long long v);
int td_json_bool(struct td_json *j, bool v);

/* Write scaled / 10^decimals as a decimal number (decimals 0..6), e.g.
 * (125, 1) gives 12.5, whatever the locale. */
int td_json_fixed(struct td_json *j, long long scaled, int decimals);
int td_json_null(struct td_json *j);

/* The sticky status, or TD_EINVAL if a container is still open or a key
 * has no value.  Call once at the end. */
int td_json_finish(const struct td_json *j);

#endif
