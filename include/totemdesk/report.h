/* Statistics for the Statistics screen and `totemdesk report`: intakes per
 * site and month, by stage, sector, need, status and the holder's
 * country, the cross-border share of each site; referrals per
 * partner; median days from intake to first referral; progress toward the
 * programme goals of the configuration.
 *
 * The store fills a td_report with GROUP BY queries (td_store_report,
 * store/report.h),
 * the app adds permissions and goals (td_app_report) and writes it as
 * text, CSV or JSON (td_report_write); the screen draws the same struct.
 * Everything a td_report points to is owned by it: td_report_free. */
#ifndef TOTEMDESK_REPORT_H
#define TOTEMDESK_REPORT_H

#include "totemdesk/buf.h"
#include "totemdesk/error.h"

#include <stdbool.h>
#include <stddef.h>

struct td_app;

#define TD_REPORT_MAX_ENUM 32   /* rows of stage, sector, need, status */
#define TD_REPORT_MAX_GOALS 16

/* Which dossiers a report covers.  Dates are local calendar dates
 * "YYYY-MM-DD" (inclusive), NULL or "" for no bound. */
struct td_report_query {
	const char *from;
	const char *to;
	const char *site;       /* site code, NULL = every site */
};

struct td_report_month {
	char site[4];
	char month[8];          /* "2026-11" (local time) */
	long n;
};

/* A site's visitors from abroad (holder's country not France). */
struct td_report_border {
	char site[4];
	long total;
	long abroad;
};
#define TD_REPORT_MAX_SITES 16

struct td_report_partner {
	char id[64];
	char name[128];
	long sent;              /* referrals that left the "proposed" state */
	long accepted;
};

/* A programme goal from the configuration and how far it has come. */
struct td_report_goal {
	char name[128];
	long target;
	long done;              /* dossiers in one of the goal's statuses,
				 * created within its period */
	char from[11], to[11];
};

struct td_report {
	char from[11], to[11], site[4]; /* what was asked ("" = no bound) */
	long total;
	long by_status[TD_REPORT_MAX_ENUM];  /* index in td_statuses */
	long by_stage[TD_REPORT_MAX_ENUM];   /* index in td_stages */
	long by_sector[TD_REPORT_MAX_ENUM];  /* index in td_sectors */
	long by_need[TD_REPORT_MAX_ENUM];    /* bit index in td_needs */
	long by_country[TD_REPORT_MAX_ENUM]; /* index in td_countries */
	struct td_report_border border[TD_REPORT_MAX_SITES]; /* by site */
	size_t nborder;
	struct td_report_month *months;      /* owned; by site then month */
	size_t nmonths;
	struct td_report_partner *partners;  /* owned; most sent first */
	size_t npartners;
	long referred;          /* dossiers with at least one referral sent */
	double median_days;     /* intake -> first referral; < 0 if none */
	struct td_report_goal goals[TD_REPORT_MAX_GOALS];
	size_t ngoals;
};

/* Release what r owns and reset it to empty. */
void td_report_free(struct td_report *r);

/* Median of n values (sorted in place); -1 when n is 0. */
double td_report_median(double *v, size_t n);

/* Conversion rate accepted/sent in percent, 0 when nothing was sent. */
double td_report_rate(long accepted, long sent);

/* Build the report q asks for, as the current user may see it (reception
 * staff: their own site only, TD_EPERM for another), with the goals of
 * the configuration.  Bad dates are TD_EINVAL naming the option. */
int td_app_report(struct td_app *app, const struct td_report_query *q,
		  struct td_report *r, td_err *err);

enum td_report_format { TD_REPORT_TEXT, TD_REPORT_CSV, TD_REPORT_JSON };

/* Write r to out.  Text has bar charts drawn with block characters when
 * utf8 is true, with '#' otherwise; CSV is one table "section,key,label,
 * value,extra" (RFC 4180); JSON one object.  TD_OK or TD_ENOMEM. */
int td_report_write(const struct td_report *r, enum td_report_format fmt,
		    bool utf8, struct td_buf *out);

/* A horizontal bar of value/max over width columns into out: full blocks
 * and one partial block (U+2588..U+258F) when utf8, else '#'.  At least
 * one cell for a non-zero value.  Returns the columns used. */
int td_report_bar(long value, long max, int width, bool utf8, char *out,
		  size_t outsz);

/* A goal's progress: its bar over width columns into bar (as
 * td_report_bar, but rounded down and empty until a whole eighth -- or a
 * whole '#' -- is done) and its percentage into pct ("12%", "0.6%" below
 * 1 %, "<0.1%"), also rounded down, so that the two always agree and
 * 100 % means done.  Returns the columns of the bar. */
int td_report_progress(long done, long target, int width, bool utf8,
		       char *bar, size_t barsz, char *pct, size_t pctsz);

#endif
