/* Time stamps: the database stores UTC "YYYY-MM-DDTHH:MM:SSZ"; people see
 * local dates and times. */
#ifndef TOTEMDESK_TIMEFMT_H
#define TOTEMDESK_TIMEFMT_H

#include <stddef.h>
#include <time.h>

/* Parse "YYYY-MM-DDTHH:MM:SSZ" (UTC).  Returns 0, or -1 if malformed. */
int td_time_parse(const char *iso, time_t *out);

/* Format t as "YYYY-MM-DDTHH:MM:SSZ" into out (at least 21 bytes). */
void td_time_format(time_t t, char *out, size_t outsz);

/* Parse a local calendar date "YYYY-MM-DD" into the time_t of its local
 * midnight.  Returns 0, or -1 if malformed or not a real date. */
int td_date_parse_local(const char *ymd, time_t *out);

/* Local midnight at or before t. */
time_t td_local_midnight(time_t t);

/* strftime of the local time of a UTC ISO stamp; "" if malformed.
 * Returns the length written. */
size_t td_time_local(const char *iso, const char *fmt, char *out,
		     size_t outsz) __attribute__((format(strftime, 2, 0)));

#endif
