/* Error reporting shared by every layer.
 *
 * Functions that can fail return an int status (TD_OK or a TD_E* code) and
 * fill a td_err owned by the caller.  Only ui/ and cli/ decide how to show
 * it.  Messages are already translated and name what is wrong and how to
 * fix it. */
#ifndef TOTEMDESK_ERROR_H
#define TOTEMDESK_ERROR_H

#include <stddef.h>

enum td_status {
	TD_OK = 0,
	TD_EINVAL,   /* bad input: a field, an option, a file's content */
	TD_ENOMEM,   /* out of memory */
	TD_EIO,      /* read/write failure, disk full, unwritable path */
	TD_EBUSY,    /* database locked by another program for too long */
	TD_ENOTFOUND,/* no such record or file */
	TD_EEXIST,   /* would overwrite something that exists */
	TD_ESCHEMA,  /* database schema too new or not ours */
	TD_ECORRUPT, /* database or file damaged */
	TD_EPERM,    /* the user's role or site does not allow this */
	TD_ECONFIG,  /* configuration problem (exit code 2) */
	TD_ECONFLICT,/* changed by another desk since it was shown: ask */
};

typedef struct td_err {
	int code;        /* enum td_status */
	char msg[512];   /* translated, UTF-8, one line, no trailing newline */
} td_err;

/* Set err (if non-NULL) to code and a printf-style message; returns code. */
int td_err_set(td_err *err, int code, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

/* Prefix the existing message with "prefix: "; returns err->code. */
int td_err_prefix(td_err *err, const char *prefix);

/* Reset err to TD_OK with an empty message. */
void td_err_clear(td_err *err);

#endif
