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
	char tmp[sizeof err->msg];
	snprintf(tmp, sizeof tmp, "%s: %s", prefix, err->msg);
	memcpy(err->msg, tmp, sizeof tmp);
	return err->code;
}

void td_err_clear(td_err *err)
{
	if (err) {
		err->code = TD_OK;
		err->msg[0] = '\0';
	}
}
