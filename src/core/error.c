#include "totemdesk/error.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

int td_err_set(td_err *err, int code, const char *fmt, ...)
{
	if (err) {
		va_list ap;
		va_start(ap, fmt);
		vsnprintf(err->msg, sizeof err->msg, fmt, ap);
		va_end(ap);
		err->code = code;
	}
	return code;
}

int td_err_prefix(td_err *err, const char *prefix)
{
	if (!err)
		return TD_EINVAL;
	/* Shift the message right and put the prefix in front, truncating
	 * the end if the whole does not fit. */
	size_t plen = strlen(prefix), mlen = strlen(err->msg);
	size_t cap = sizeof err->msg - 1;
	if (plen + 2 > cap)
		plen = cap - 2;
	if (plen + 2 + mlen > cap)
		mlen = cap - plen - 2;
	memmove(err->msg + plen + 2, err->msg, mlen);
	memcpy(err->msg, prefix, plen);
	err->msg[plen] = ':';
	err->msg[plen + 1] = ' ';
	err->msg[plen + 2 + mlen] = '\0';
	return err->code;
}

void td_err_clear(td_err *err)
{
	if (err) {
		err->code = TD_OK;
		err->msg[0] = '\0';
	}
}
