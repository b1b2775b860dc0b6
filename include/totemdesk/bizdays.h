/* Business days: calendar dates as day numbers, weekends and public
 * holidays, and the follow-up arithmetic of the queue ("no action within
 * N business days").  Pure computation on the proleptic Gregorian
 * calendar; no time zone is involved (callers convert local dates). */
#ifndef TOTEMDESK_BIZDAYS_H
#define TOTEMDESK_BIZDAYS_H

#include <stdbool.h>
#include <stddef.h>

/* Which days are not worked: Saturday and Sunday, plus holidays, a
 * sorted array of day numbers (the caller owns it; may be NULL if
 * nholidays is 0). */
struct td_calendar {
	const int *holidays;
	size_t nholidays;
};

/* Day number (days since 1970-01-01) of y-m-d; the date must be valid. */
int td_day_from_ymd(int y, int m, int d);

/* Inverse of td_day_from_ymd. */
void td_day_to_ymd(int day, int *y, int *m, int *d);

/* Parse "YYYY-MM-DD" (a real date).  Returns 0, or -1 if malformed. */
int td_day_parse(const char *ymd, int *day);

/* Format day as "YYYY-MM-DD" (out holds at least 11 bytes). */
void td_day_format(int day, char *out, size_t outsz);

/* 0 = Monday ... 6 = Sunday. */
int td_day_weekday(int day);

/* Is day a working day under cal (not a weekend, not a holiday)? */
bool td_bizday(int day, const struct td_calendar *cal);

/* The n-th working day after day (day itself not counted); n = 0 gives
 * day.  A negative n counts backwards. */
int td_bizdays_add(int day, int n, const struct td_calendar *cal);

/* Working days in (from, to]; negative when to is before from. */
int td_bizdays_between(int from, int to, const struct td_calendar *cal);

/* Earliest day x such that td_bizdays_add(x, delay, cal) >= today: an
 * action on a day before x is more than delay working days old by
 * today, i.e. overdue. */
int td_bizdays_cutoff(int today, int delay, const struct td_calendar *cal);

/* Sort holidays in place and drop duplicates; returns the new count. */
size_t td_calendar_normalize(int *holidays, size_t n);

#endif
