/* Dates as people read and type them: the one formatter and the one
 * parser of every screen and of the command line.
 *
 * A language has one date style, said by its catalogue (the translation
 * of the "date style" message): French writes 23/11/2026, and 23/11/26
 * where columns are narrow; English writes ISO 2026-11-23 everywhere.
 * Files meant for programs (CSV, JSON, the database, the configuration)
 * always hold ISO dates and UTC stamps and never go through here.
 *
 * What people type is read in every style, whatever the language, so
 * that what a screen shows can be typed back: 23/11/2026, 23/11/26,
 * 2026-11-23, and where a date to come is asked, +N working days from
 * today (weekends and the holidays of the `followup` configuration are
 * skipped). */
#ifndef TOTEMDESK_DATE_H
#define TOTEMDESK_DATE_H

#include "totemdesk/bizdays.h"
#include "totemdesk/error.h"

#include <stdbool.h>
#include <stddef.h>

struct td_app;

enum td_date_style {
	TD_DATE_ISO,   /* 2026-11-23 (narrow too) */
	TD_DATE_DMY,   /* 23/11/2026, narrow 23/11/26 */
};

/* How a date is shown. */
enum {
	TD_DATE_NARROW = 1,     /* the short form, where columns are narrow */
	TD_DATE_WITH_TIME = 2,  /* stamps: the date, then " HH:MM" */
	TD_DATE_TIME_ONLY = 4,  /* stamps: "HH:MM" only */
};

/* The style of the language messages are in now (gettext's). */
enum td_date_style td_date_style(void);

/* How a date is written in the language's style, for prompts:
 * "DD/MM/YYYY" (French "JJ/MM/AAAA") or "YYYY-MM-DD". */
const char *td_date_pattern(void);

/* Day number day (bizdays.h) as style writes it, into out.  Returns the
 * length written. */
size_t td_date_show_in(int day, enum td_date_style style, unsigned how,
		       char *out, size_t outsz);

/* Day number day in the language's style. */
size_t td_date_show(int day, unsigned how, char *out, size_t outsz);

/* A stored calendar date "YYYY-MM-DD" in the language's style; anything
 * that is not such a date is copied as it is ("" stays ""). */
size_t td_date_show_ymd(const char *ymd, unsigned how, char *out,
			size_t outsz);

/* A stored month "YYYY-MM" in the language's style ("11/2026" in
 * French); anything else is copied as it is. */
size_t td_date_show_month(const char *ym, char *out, size_t outsz);

/* The local date (and time, with TD_DATE_WITH_TIME or TD_DATE_TIME_ONLY)
 * of a stored UTC stamp "YYYY-MM-DDTHH:MM:SSZ"; a malformed stamp is
 * copied as it is. */
size_t td_date_show_stamp(const char *iso, unsigned how, char *out,
			  size_t outsz);

/* Read a date typed by a person: "23/11/2026", "23/11/26" (20yy),
 * "2026-11-23", with '/', '.' or '-' between day, month and year; and,
 * when cal is not NULL, "+N" (or "-N") working days from today under
 * cal.  Spaces around are ignored.  Returns 0 with *day, or -1 when text
 * is not a real date in one of these forms. */
int td_date_read(const char *text, int today, const struct td_calendar *cal,
		 int *day);

/* Today's local day number (TOTEMDESK_NOW honoured, as everywhere). */
int td_app_today(void);

/* A date typed at a screen or on the command line, as "YYYY-MM-DD" in
 * ymd: td_date_read with today and, when relative, the working days of
 * the configuration (`followup.holidays`).  "" stays "" (no date).
 * TD_EINVAL naming what was typed and the forms accepted. */
int td_app_date_read(const struct td_app *app, const char *text,
		     bool relative, char ymd[11], td_err *err);

#endif
