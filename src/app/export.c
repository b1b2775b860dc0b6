/* Export of dossiers as CSV (RFC 4180) or JSON, streamed row by row.
 *
 * The rows are those of a td_query, read by the same store statement as
 * the queue screen's pages, so an export from the queue holds exactly the
 * rows on screen, in the same order.
 *
 * Formula guard (CSV only): free-text columns typed by people (names,
 * e-mail, city, project title, description) go through the CSV writer's
 * guard, which prefixes a cell starting with = + - @ TAB or CR with a
 * single quote.  Validated columns (codes, dates, E.164 phone, postcode,
 * SIRET) cannot start with one of those, except the phone's "+", which
 * must stay a number for programs reading the export.  JSON is left
 * as typed: it is not opened by spreadsheets. */
#include "app_int.h"
#include "totemdesk/app.h"
#include "totemdesk/csv.h"
#include "totemdesk/domain.h"
#include "totemdesk/i18n.h"
#include "totemdesk/json.h"
#include "totemdesk/queue.h"
#include "totemdesk/timefmt.h"
#include "store/store.h"

#include <errno.h>
#include <stdio.h>
#include <string.h>

enum col_kind { COL_TEXT, COL_FREE, COL_INT, COL_BOOL, COL_NEEDS };

/* One export column.  COL_FREE marks text typed by people, which is guarded
 * against spreadsheet formula injection; validated columns (phone in
 * E.164, postcode, SIRET, codes, dates) cannot hold a formula. */
struct column {
	const char *name;
	enum col_kind kind;
	const char *(*get)(const struct td_dossier *d);
};

#define GET(fn, expr) \
	static const char *fn(const struct td_dossier *d) { return (expr); }
GET(g_ref, d->reference)
GET(g_site, d->site)
GET(g_created, d->created_at)
GET(g_status, td_enum_code(&td_statuses, d->status))
GET(g_last, d->v.last_name)
GET(g_first, d->v.first_name)
GET(g_email, d->v.email)
GET(g_phone, d->v.phone)
GET(g_postcode, d->v.postcode)
GET(g_city, d->v.city)
GET(g_title, d->v.title)
GET(g_stage, td_enum_code(&td_stages, d->v.stage))
GET(g_sector, td_enum_code(&td_sectors, d->v.sector))
GET(g_siret, d->v.siret)
GET(g_desc, d->v.description)
GET(g_consent_at, d->consent_at)
GET(g_consent_ver, d->consent_version)
GET(g_created_by, d->created_by)
GET(g_assigned, d->assigned_to)
GET(g_updated, d->updated_at)
#undef GET

/* The first fifteen columns, in this order, are the documented interface
 * (README "Export"); later ones may be appended, never reordered. */
static const struct column columns[] = {
	{ "reference", COL_TEXT, g_ref },
	{ "site", COL_TEXT, g_site },
	{ "created_at", COL_TEXT, g_created },
	{ "status", COL_TEXT, g_status },
	{ "last_name", COL_FREE, g_last },
	{ "first_name", COL_FREE, g_first },
	{ "email", COL_FREE, g_email },
	{ "phone", COL_TEXT, g_phone },
	{ "postcode", COL_TEXT, g_postcode },
	{ "city", COL_FREE, g_city },
	{ "project_title", COL_FREE, g_title },
	{ "stage", COL_TEXT, g_stage },
	{ "sector", COL_TEXT, g_sector },
	{ "needs", COL_NEEDS, NULL },
	{ "siret", COL_TEXT, g_siret },
	{ "description", COL_FREE, g_desc },
	{ "consent", COL_BOOL, NULL },
	{ "consent_at", COL_TEXT, g_consent_at },
	{ "consent_version", COL_TEXT, g_consent_ver },
	{ "created_by", COL_TEXT, g_created_by },
	{ "assigned_to", COL_TEXT, g_assigned },
	{ "updated_at", COL_TEXT, g_updated },
};
#define NCOLUMNS (sizeof columns / sizeof columns[0])

struct export_ctx {
	enum td_export_format format;
	char sep;
	FILE *out;
	struct td_buf buf;
	struct td_json json;
	long count;
	int status;
	td_err *err;
};

static int flush(struct export_ctx *x, bool force)
{
	if (x->buf.len == 0 || (!force && x->buf.len < 64 * 1024))
		return TD_OK;
	if (fwrite(x->buf.data, 1, x->buf.len, x->out) != x->buf.len)
		return td_err_set(x->err, TD_EIO, _("cannot write the export: %s"),
				  strerror(errno));
	td_buf_reset(&x->buf);
	return TD_OK;
}

static int csv_row(struct export_ctx *x, const struct td_dossier *d)
{
	const struct td_csv_opts plain = { x->sep, false };
	const struct td_csv_opts guarded = { x->sep, true };
	char needs[256];
	int rc = TD_OK;

	for (size_t i = 0; i < NCOLUMNS && !rc; i++) {
		const struct column *c = &columns[i];
		const char *v;
		switch (c->kind) {
		case COL_NEEDS:
			td_needs_format(d->v.needs, needs, sizeof needs);
			v = needs;
			break;
		case COL_BOOL:
			v = d->v.consent ? "1" : "0";
			break;
		default:
			v = c->get(d);
		}
		rc = td_csv_write_field(&x->buf, v,
					c->kind == COL_FREE ? &guarded : &plain,
					i == 0);
	}
	return rc ? rc : td_csv_end_row(&x->buf);
}

static void json_row(struct export_ctx *x, const struct td_dossier *d)
{
	struct td_json *j = &x->json;
	td_json_begin_object(j);
	for (size_t i = 0; i < NCOLUMNS; i++) {
		const struct column *c = &columns[i];
		td_json_key(j, c->name);
		switch (c->kind) {
		case COL_NEEDS:
			td_json_begin_array(j);
			for (size_t n = 0; n < td_needs.count; n++)
				if (d->v.needs & (1u << n))
					td_json_string(j, td_enum_code(&td_needs, (int)n));
			td_json_end_array(j);
			break;
		case COL_BOOL:
			td_json_bool(j, d->v.consent);
			break;
		default: {
			const char *v = c->get(d);
			if (*v)
				td_json_string(j, v);
			else
				td_json_null(j);
		}
		}
	}
	td_json_end_object(j);
}

static int each_row(const struct td_dossier *d, void *ctx)
{
	struct export_ctx *x = ctx;
	int rc;
	if (x->format == TD_EXPORT_CSV) {
		rc = csv_row(x, d);
	} else {
		json_row(x, d);
		rc = x->json.status;
	}
	if (rc) {
		x->status = td_err_set(x->err, rc, _("out of memory"));
		return rc;
	}
	x->count++;
	if ((rc = flush(x, false)))
		x->status = rc;
	return rc;
}

int td_app_export(struct td_app *app, const struct td_export_options *o,
		  FILE *out, long *count, td_err *err)
{
	struct export_ctx x = { .format = o->format, .out = out, .err = err,
				.sep = o->sep ? o->sep : ',' };
	struct td_queue_bounds b;
	struct td_query q;
	int rc;

	if (count)
		*count = 0;
	if (x.sep != ',' && x.sep != ';')
		return td_err_set(err, TD_EINVAL,
			_("the CSV separator must be ',' or ';'"));
	if (o->query) {
		q = *o->query;
	} else {
		/* The first command-line options: one site, one status, a
		 * start date, oldest first. */
		td_query_init(&q);
		q.sort = TD_QC_DATE;
		if (o->site)
			snprintf(q.site, sizeof q.site, "%s", o->site);
		if (o->status >= 0 && (size_t)o->status < td_statuses.count)
			q.statuses = 1u << o->status;
		if (o->since && td_query_set(&q, "since", o->since, err) != TD_OK)
			return td_err_set(err, TD_EINVAL,
				_("--since \"%s\" is not a date: use YYYY-MM-DD, e.g. 2026-01-31"),
				o->since);
		if (o->site && !q.site[0])
			return td_err_set(err, TD_EINVAL,
				_("site \"%s\" is not defined"), o->site);
	}
	/* Reception staff export their own site only, as on screen. */
	if ((rc = td_app_queue_bounds(app, &q, &b, err))) {
		if (rc == TD_EPERM)
			td_err_set(err, TD_EPERM,
				_("reception staff of %s cannot export the dossiers of %s"),
				app->me->site, q.site);
		return rc;
	}

	td_buf_init(&x.buf);
	if (o->format == TD_EXPORT_CSV) {
		const struct td_csv_opts plain = { x.sep, false };
		rc = o->bom ? td_csv_bom(&x.buf) : TD_OK;
		for (size_t i = 0; i < NCOLUMNS && !rc; i++)
			rc = td_csv_write_field(&x.buf, columns[i].name, &plain,
						i == 0);
		if (!rc)
			rc = td_csv_end_row(&x.buf);
	} else {
		td_json_init(&x.json, &x.buf, true);
		rc = td_json_begin_array(&x.json);
	}
	if (rc)
		rc = td_err_set(err, rc, _("out of memory"));
	if (!rc)
		rc = td_store_list_each(app->db, &q, &b, each_row, &x, err);
	if (!rc && x.status)
		rc = x.status;
	if (!rc && o->format == TD_EXPORT_JSON) {
		td_json_end_array(&x.json);
		td_buf_putc(&x.buf, '\n');
		rc = td_json_finish(&x.json);
		if (rc)
			td_err_set(err, rc, _("out of memory"));
	}
	if (!rc)
		rc = flush(&x, true);
	if (!rc && fflush(out) != 0)
		rc = td_err_set(err, TD_EIO, _("cannot write the export: %s"),
				strerror(errno));
	td_buf_free(&x.buf);
	if (count)
		*count = x.count;
	return rc;
}
