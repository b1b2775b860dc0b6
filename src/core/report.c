/* The pure half of the statistics: median, rates, bars and the text, CSV
 * and JSON renderings of a td_report (report.h).  No I/O: everything is
 * appended to a td_buf the caller writes where it wants. */
#include "totemdesk/report.h"

#include "totemdesk/csv.h"
#include "totemdesk/date.h"
#include "totemdesk/domain.h"
#include "totemdesk/i18n.h"
#include "totemdesk/json.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

void td_report_free(struct td_report *r)
{
	free(r->months);
	free(r->partners);
	memset(r, 0, sizeof *r);
	r->median_days = -1;
}

static int cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;
	return (x > y) - (x < y);
}

double td_report_median(double *v, size_t n)
{
	if (n == 0)
		return -1;
	qsort(v, n, sizeof *v, cmp_double);
	if (n % 2)
		return v[n / 2];
	return (v[n / 2 - 1] + v[n / 2]) / 2;
}

double td_report_rate(long accepted, long sent)
{
	return sent > 0 ? 100.0 * (double)accepted / (double)sent : 0;
}

/* Bar of value/max over width columns.  A chart (progress false) rounds
 * to the nearest eighth and shows at least one for a non-zero value; a
 * goal's progress bar counts only what is done (rounded down), so that it
 * never shows more than its percentage says. */
static int draw_bar(long value, long max, int width, bool utf8, bool progress,
		    char *out, size_t outsz)
{
	size_t len = 0;
	int cols = 0;

	if (outsz == 0)
		return 0;
	out[0] = '\0';
	if (value <= 0 || max <= 0 || width <= 0)
		return 0;
	if (value > max)
		value = max;
	/* Eighths of a cell with blocks, whole cells with '#'. */
	long unit = utf8 ? 8 : 1;
	long double exact = (long double)value * width * unit;
	long cells = progress ? (long)(exact / max)
			      : (long)((exact + max / 2) / max);
	if (cells < 1 && !progress)
		cells = 1;
	for (long full = cells / unit; full > 0 && cols < width; full--, cols++) {
		const char *b = utf8 ? "\u2588" : "#";
		size_t bl = strlen(b);
		if (len + bl >= outsz)
			break;
		memcpy(out + len, b, bl);
		len += bl;
	}
	if (utf8 && cells % unit && cols < width && len + 3 < outsz) {
		/* U+2589 (seven eighths) down to U+258F (one eighth). */
		unsigned cp = 0x2590 - (unsigned)(cells % unit);
		out[len++] = (char)(0xE0 | (cp >> 12));
		out[len++] = (char)(0x80 | ((cp >> 6) & 0x3F));
		out[len++] = (char)(0x80 | (cp & 0x3F));
		cols++;
	}
	out[len] = '\0';
	return cols;
}

int td_report_bar(long value, long max, int width, bool utf8, char *out,
		  size_t outsz)
{
	return draw_bar(value, max, width, utf8, false, out, outsz);
}

int td_report_progress(long done, long target, int width, bool utf8,
		       char *bar, size_t barsz, char *pct, size_t pctsz)
{
	/* Tenths of a percent, rounded down like the bar. */
	long long tenths = target > 0 && done > 0
		? (long long)((long double)done * 1000 / target) : 0;
	if (done > 0 && target > 0 && tenths == 0)
		snprintf(pct, pctsz, "<0.1%%");
	else if (tenths > 0 && tenths < 10)
		snprintf(pct, pctsz, "0.%lld%%", tenths);
	else
		snprintf(pct, pctsz, "%lld%%", tenths / 10);
	return draw_bar(done, target, width, utf8, true, bar, barsz);
}

/* v with one decimal and a '.', whatever LC_NUMERIC says. */
static void fixed1(double v, char *out, size_t outsz)
{
	long long t = (long long)(v * 10 + (v < 0 ? -0.5 : 0.5));
	snprintf(out, outsz, "%s%lld.%lld", t < 0 ? "-" : "",
		 (t < 0 ? -t : t) / 10, (t < 0 ? -t : t) % 10);
}

static long long tenths(double v)
{
	return (long long)(v * 10 + (v < 0 ? -0.5 : 0.5));
}

static long percent(long done, long target)
{
	return target > 0 ? (long)((long double)done * 100 / target) : 0;
}

/* Columns s takes: one per code point (the labels are Latin text). */
static int text_cols(const char *s)
{
	int n = 0;
	for (; *s; s++)
		if (((unsigned char)*s & 0xC0) != 0x80)
			n++;
	return n;
}

/* s then spaces up to width columns (nothing cut: labels are short). */
static int put_padded(struct td_buf *b, const char *s, int width)
{
	int rc = td_buf_puts(b, s);
	for (int c = text_cols(s); !rc && c < width; c++)
		rc = td_buf_putc(b, ' ');
	return rc;
}

/* s right-aligned in width columns (printf's %8s counts bytes, and
 * "acceptées" has more bytes than columns). */
static int put_right(struct td_buf *b, const char *s, int width)
{
	int rc = 0;
	for (int c = text_cols(s); !rc && c < width; c++)
		rc = td_buf_putc(b, ' ');
	return rc ? rc : td_buf_puts(b, s);
}

#define BAR_WIDTH 30
#define LABEL_WIDTH 24

static int text_rows(struct td_buf *b, const char *title,
		     const char *const *labels, const long *n, size_t count,
		     bool utf8)
{
	long max = 0;
	char bar[BAR_WIDTH * 3 + 1];
	int rc = td_buf_printf(b, "\n%s\n", title);
	for (size_t i = 0; i < count; i++)
		if (n[i] > max)
			max = n[i];
	for (size_t i = 0; i < count && !rc; i++) {
		if (!n[i])
			continue;
		int cols = td_report_bar(n[i], max, BAR_WIDTH, utf8, bar,
					 sizeof bar);
		if ((rc = td_buf_puts(b, "  ")) ||
		    (rc = put_padded(b, labels[i], LABEL_WIDTH)) ||
		    (rc = td_buf_putc(b, ' ')) ||
		    (rc = put_padded(b, bar, cols)))
			break;
		rc = td_buf_printf(b, "%*s %ld\n", BAR_WIDTH - cols, "", n[i]);
	}
	return rc;
}

static int text_enum(struct td_buf *b, const char *title,
		     const struct td_enum *e, const long *n, size_t first,
		     bool utf8)
{
	const char *labels[TD_REPORT_MAX_ENUM];
	size_t count = 0;
	for (size_t i = first; i < e->count && i < TD_REPORT_MAX_ENUM; i++)
		labels[count++] = td_enum_label(e, (int)i);
	return text_rows(b, title, labels, n + first, count, utf8);
}

static int write_text(const struct td_report *r, bool utf8, struct td_buf *b)
{
	int rc;
	char num[32];

	/* TRANSLATORS: end of the period in "Statistics from %s to %s"
	 * when no end date is given. */
	const char *until_today = C_("report period end", "today");
	char from[16], to[16];
	td_date_show_ymd(r->from, 0, from, sizeof from);
	td_date_show_ymd(r->to, 0, to, sizeof to);
	rc = td_buf_printf(b, _("Statistics from %s to %s, %s\n"),
			   *r->from ? from : _("the start"),
			   *r->to ? to : until_today,
			   *r->site ? r->site : _("all sites"));
	if (!rc)
		rc = td_buf_printf(b, _("Intakes: %ld\n"), r->total);

	/* Months, one block per site: a bar each, scaled on the busiest. */
	if (!rc && r->nmonths) {
		long max = 0;
		char bar[BAR_WIDTH * 3 + 1];
		for (size_t i = 0; i < r->nmonths; i++)
			if (r->months[i].n > max)
				max = r->months[i].n;
		rc = td_buf_printf(b, "\n%s\n", _("Intakes per site and month"));
		for (size_t i = 0; i < r->nmonths && !rc; i++) {
			const struct td_report_month *m = &r->months[i];
			char month[16];
			int cols = td_report_bar(m->n, max, BAR_WIDTH, utf8, bar,
						 sizeof bar);
			td_date_show_month(m->month, month, sizeof month);
			rc = td_buf_printf(b, "  %-3s %-7s %s%*s %ld\n", m->site,
					   month, bar, BAR_WIDTH - cols, "", m->n);
		}
	}
	if (!rc)
		rc = text_enum(b, _("By status"), &td_statuses, r->by_status, 0,
			       utf8);
	if (!rc)
		rc = text_enum(b, _("By stage"), &td_stages, r->by_stage, 0, utf8);
	if (!rc)
		rc = text_enum(b, _("By sector"), &td_sectors, r->by_sector, 0,
			       utf8);
	if (!rc)
		rc = text_enum(b, _("By need"), &td_needs, r->by_need, 0, utf8);
	if (!rc)
		rc = text_enum(b, _("By country"), &td_countries, r->by_country,
			       0, utf8);
	if (!rc && r->nborder)
		rc = td_buf_printf(b, "\n%s\n",
				   _("Visitors from abroad, per site"));
	for (size_t i = 0; i < r->nborder && !rc; i++) {
		const struct td_report_border *s = &r->border[i];
		fixed1(td_report_rate(s->abroad, s->total), num, sizeof num);
		rc = td_buf_printf(b,
			/* TRANSLATORS: a site code, visitors from abroad,
			 * all its visitors, the share in percent. */
			_("  %-3s %ld of %ld (%s%%)\n"), s->site, s->abroad,
			s->total, num);
	}

	if (!rc)
		rc = td_buf_printf(b, "\n%s\n", _("Referrals per partner"));
	if (!rc && !r->npartners)
		rc = td_buf_printf(b, "  %s\n", _("none"));
	if (!rc && r->npartners) {
		rc = td_buf_puts(b, "  ");
		if (!rc)
			rc = put_padded(b, _("Partner"), 40);
		/* TRANSLATORS: column heading, referrals per partner:
		 * how many were sent (9 columns at most). */
		const char *sent = C_("report column", "sent");
		/* TRANSLATORS: column heading, referrals per partner:
		 * how many were accepted (9 columns at most). */
		const char *accepted = C_("report column", "accepted");
		if (!rc && !(rc = td_buf_putc(b, ' ')))
			rc = put_right(b, sent, 9);
		if (!rc && !(rc = td_buf_putc(b, ' ')))
			rc = put_right(b, accepted, 9);
		if (!rc && !(rc = td_buf_putc(b, ' ')))
			rc = put_right(b, _("conversion"), 10);
		if (!rc)
			rc = td_buf_putc(b, '\n');
	}
	for (size_t i = 0; i < r->npartners && !rc; i++) {
		const struct td_report_partner *p = &r->partners[i];
		char name[41];
		/* Cut at a character boundary to keep the columns. */
		size_t len = 0, cols = 0;
		while (p->name[len] && cols < 40) {
			size_t l = 1;
			while (((unsigned char)p->name[len + l] & 0xC0) == 0x80)
				l++;
			if (len + l >= sizeof name)
				break;
			len += l;
			cols++;
		}
		memcpy(name, p->name, len);
		name[len] = '\0';
		fixed1(td_report_rate(p->accepted, p->sent), num, sizeof num);
		if ((rc = td_buf_puts(b, "  ")) || (rc = put_padded(b, name, 40)))
			break;
		rc = td_buf_printf(b, " %9ld %9ld %9s%%\n", p->sent, p->accepted,
				   num);
	}
	if (!rc) {
		if (r->median_days < 0) {
			rc = td_buf_printf(b, "\n%s\n",
				_("Median days from intake to first referral: none"));
		} else {
			fixed1(r->median_days, num, sizeof num);
			rc = td_buf_putc(b, '\n');
			if (!rc)
				rc = td_buf_printf(b,
					/* TRANSLATORS: %s is a number of days
					 * such as "4.5", %ld the number of
					 * dossiers it is taken on. */
					ngettext("Median days from intake to first referral: %s (%ld dossier referred)\n",
						 "Median days from intake to first referral: %s (%ld dossiers referred)\n",
						 (unsigned long)r->referred),
					num, r->referred);
		}
	}
	if (!rc && r->ngoals)
		rc = td_buf_printf(b, "\n%s\n", _("Programme goals"));
	for (size_t i = 0; i < r->ngoals && !rc; i++) {
		const struct td_report_goal *g = &r->goals[i];
		char bar[BAR_WIDTH * 3 + 1];
		char pct[16], gfrom[16], gto[16];
		int cols = td_report_progress(g->done, g->target, BAR_WIDTH, utf8,
					      bar, sizeof bar, pct, sizeof pct);
		td_date_show_ymd(g->from, 0, gfrom, sizeof gfrom);
		td_date_show_ymd(g->to, 0, gto, sizeof gto);
		rc = td_buf_printf(b, "  %s (%s .. %s)\n  [%s%*s] %ld/%ld %s\n",
				   g->name, gfrom, gto, bar, BAR_WIDTH - cols, "",
				   g->done, g->target, pct);
	}
	return rc;
}

static int csv_line(struct td_buf *b, const char *section, const char *key,
		    const char *label, const char *v1, const char *v2,
		    const char *rate)
{
	static const struct td_csv_opts guarded = { ',', true };
	const char *f[6] = { section, key, label, v1, v2, rate };
	return td_csv_write_row(b, f, 6, &guarded);
}

static int csv_enum(struct td_buf *b, const char *section,
		    const struct td_enum *e, const long *n)
{
	char v[24];
	int rc = TD_OK;
	for (size_t i = 0; i < e->count && i < TD_REPORT_MAX_ENUM && !rc; i++) {
		snprintf(v, sizeof v, "%ld", n[i]);
		rc = csv_line(b, section, td_enum_code(e, (int)i),
			      td_enum_label(e, (int)i), v, NULL, NULL);
	}
	return rc;
}

static int write_csv(const struct td_report *r, struct td_buf *b)
{
	char v1[24], v2[24], rate[24];
	int rc = csv_line(b, "section", "key", "label", "value", "value2",
			  "rate");
	if (!rc) {
		snprintf(v1, sizeof v1, "%ld", r->total);
		rc = csv_line(b, "total", r->site, r->from, v1, NULL, r->to);
	}
	for (size_t i = 0; i < r->nmonths && !rc; i++) {
		snprintf(v1, sizeof v1, "%ld", r->months[i].n);
		rc = csv_line(b, "site_month", r->months[i].month,
			      r->months[i].site, v1, NULL, NULL);
	}
	if (!rc)
		rc = csv_enum(b, "status", &td_statuses, r->by_status);
	if (!rc)
		rc = csv_enum(b, "stage", &td_stages, r->by_stage);
	if (!rc)
		rc = csv_enum(b, "sector", &td_sectors, r->by_sector);
	if (!rc)
		rc = csv_enum(b, "need", &td_needs, r->by_need);
	if (!rc)
		rc = csv_enum(b, "country", &td_countries, r->by_country);
	for (size_t i = 0; i < r->nborder && !rc; i++) {
		const struct td_report_border *s = &r->border[i];
		snprintf(v1, sizeof v1, "%ld", s->abroad);
		snprintf(v2, sizeof v2, "%ld", s->total);
		fixed1(td_report_rate(s->abroad, s->total), rate, sizeof rate);
		rc = csv_line(b, "abroad", s->site, NULL, v1, v2, rate);
	}
	for (size_t i = 0; i < r->npartners && !rc; i++) {
		const struct td_report_partner *p = &r->partners[i];
		snprintf(v1, sizeof v1, "%ld", p->sent);
		snprintf(v2, sizeof v2, "%ld", p->accepted);
		fixed1(td_report_rate(p->accepted, p->sent), rate, sizeof rate);
		rc = csv_line(b, "partner", p->id, p->name, v1, v2, rate);
	}
	if (!rc) {
		if (r->median_days < 0)
			v1[0] = '\0';
		else
			fixed1(r->median_days, v1, sizeof v1);
		snprintf(v2, sizeof v2, "%ld", r->referred);
		rc = csv_line(b, "median_days", NULL, NULL, v1, v2, NULL);
	}
	for (size_t i = 0; i < r->ngoals && !rc; i++) {
		const struct td_report_goal *g = &r->goals[i];
		char key[32];
		snprintf(key, sizeof key, "%s..%s", g->from, g->to);
		snprintf(v1, sizeof v1, "%ld", g->done);
		snprintf(v2, sizeof v2, "%ld", g->target);
		snprintf(rate, sizeof rate, "%ld", percent(g->done, g->target));
		rc = csv_line(b, "goal", key, g->name, v1, v2, rate);
	}
	return rc;
}

static void json_enum(struct td_json *j, const char *key,
		      const struct td_enum *e, const long *n)
{
	td_json_key(j, key);
	td_json_begin_object(j);
	for (size_t i = 0; i < e->count && i < TD_REPORT_MAX_ENUM; i++) {
		/* The "not set" entry has the empty code. */
		td_json_key(j, *td_enum_code(e, (int)i) ? td_enum_code(e, (int)i)
							: "none");
		td_json_int(j, n[i]);
	}
	td_json_end_object(j);
}

static void json_opt(struct td_json *j, const char *key, const char *v)
{
	td_json_key(j, key);
	if (*v)
		td_json_string(j, v);
	else
		td_json_null(j);
}

static int write_json(const struct td_report *r, struct td_buf *b)
{
	struct td_json j;
	td_json_init(&j, b, true);
	td_json_begin_object(&j);
	json_opt(&j, "from", r->from);
	json_opt(&j, "to", r->to);
	json_opt(&j, "site", r->site);
	td_json_key(&j, "total");
	td_json_int(&j, r->total);
	td_json_key(&j, "by_site_month");
	td_json_begin_array(&j);
	for (size_t i = 0; i < r->nmonths; i++) {
		td_json_begin_object(&j);
		td_json_key(&j, "site");
		td_json_string(&j, r->months[i].site);
		td_json_key(&j, "month");
		td_json_string(&j, r->months[i].month);
		td_json_key(&j, "count");
		td_json_int(&j, r->months[i].n);
		td_json_end_object(&j);
	}
	td_json_end_array(&j);
	json_enum(&j, "by_status", &td_statuses, r->by_status);
	json_enum(&j, "by_stage", &td_stages, r->by_stage);
	json_enum(&j, "by_sector", &td_sectors, r->by_sector);
	json_enum(&j, "by_need", &td_needs, r->by_need);
	json_enum(&j, "by_country", &td_countries, r->by_country);
	td_json_key(&j, "abroad_by_site");
	td_json_begin_array(&j);
	for (size_t i = 0; i < r->nborder; i++) {
		const struct td_report_border *s = &r->border[i];
		td_json_begin_object(&j);
		td_json_key(&j, "site");
		td_json_string(&j, s->site);
		td_json_key(&j, "intakes");
		td_json_int(&j, s->total);
		td_json_key(&j, "abroad");
		td_json_int(&j, s->abroad);
		td_json_key(&j, "percent");
		td_json_fixed(&j, tenths(td_report_rate(s->abroad, s->total)), 1);
		td_json_end_object(&j);
	}
	td_json_end_array(&j);
	td_json_key(&j, "partners");
	td_json_begin_array(&j);
	for (size_t i = 0; i < r->npartners; i++) {
		const struct td_report_partner *p = &r->partners[i];
		td_json_begin_object(&j);
		td_json_key(&j, "id");
		td_json_string(&j, p->id);
		td_json_key(&j, "name");
		td_json_string(&j, p->name);
		td_json_key(&j, "sent");
		td_json_int(&j, p->sent);
		td_json_key(&j, "accepted");
		td_json_int(&j, p->accepted);
		td_json_key(&j, "conversion_percent");
		td_json_fixed(&j, tenths(td_report_rate(p->accepted, p->sent)), 1);
		td_json_end_object(&j);
	}
	td_json_end_array(&j);
	td_json_key(&j, "referred");
	td_json_int(&j, r->referred);
	td_json_key(&j, "median_days_to_first_referral");
	if (r->median_days < 0)
		td_json_null(&j);
	else
		td_json_fixed(&j, tenths(r->median_days), 1);
	td_json_key(&j, "goals");
	td_json_begin_array(&j);
	for (size_t i = 0; i < r->ngoals; i++) {
		const struct td_report_goal *g = &r->goals[i];
		td_json_begin_object(&j);
		td_json_key(&j, "name");
		td_json_string(&j, g->name);
		td_json_key(&j, "from");
		td_json_string(&j, g->from);
		td_json_key(&j, "to");
		td_json_string(&j, g->to);
		td_json_key(&j, "target");
		td_json_int(&j, g->target);
		td_json_key(&j, "done");
		td_json_int(&j, g->done);
		td_json_key(&j, "percent");
		td_json_int(&j, percent(g->done, g->target));
		td_json_end_object(&j);
	}
	td_json_end_array(&j);
	td_json_end_object(&j);
	if (j.status == TD_OK)
		td_buf_putc(b, '\n');
	return td_json_finish(&j);
}

int td_report_write(const struct td_report *r, enum td_report_format fmt,
		    bool utf8, struct td_buf *out)
{
	switch (fmt) {
	case TD_REPORT_CSV:
		return write_csv(r, out);
	case TD_REPORT_JSON:
		return write_json(r, out);
	default:
		return write_text(r, utf8, out);
	}
}
