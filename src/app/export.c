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
#include <stdlib.h>
#include <string.h>

/* The record's own columns (not intake fields). */
struct own_col {
	const char *name;
	const char *(*get)(const struct td_dossier *d);
};

#define GET(fn, expr) \
	static const char *fn(const struct td_dossier *d) { return (expr); }
GET(g_ref, d->reference)
GET(g_site, d->site)
GET(g_created, d->created_at)
GET(g_status, td_enum_code(&td_statuses, d->status))
GET(g_consent_at, d->consent_at)
GET(g_consent_ver, d->consent_version)
GET(g_created_by, d->created_by)
GET(g_assigned, d->assigned_to)
GET(g_updated, d->updated_at)
#undef GET

static const struct own_col own_cols[] = {
	{ "reference", g_ref },
	{ "site", g_site },
	{ "created_at", g_created },
	{ "status", g_status },
	{ "consent_at", g_consent_at },
	{ "consent_version", g_consent_ver },
	{ "created_by", g_created_by },
	{ "assigned_to", g_assigned },
	{ "updated_at", g_updated },
};
#define NOWN (sizeof own_cols / sizeof own_cols[0])

/* The column order of the exports written so far, which spreadsheets and
 * scripts rely on (README, "Command line"): frozen.  A column is never
 * moved; a field added to the table is appended after these, in table
 * order, and every field is exported.  "company_id" was "siret" until the
 * field took the identifiers of every country (issue 12): same place,
 * and the import still reads a "siret" column. */
static const char *const documented[] = {
	"reference", "site", "created_at", "status", "last_name",
	"first_name", "email", "phone", "postcode", "city", "project_title",
	"stage", "sector", "needs", "company_id", "description", "consent",
	"consent_at", "consent_version", "created_by", "assigned_to",
	"updated_at",
};
#define NDOC (sizeof documented / sizeof documented[0])

/* One export column: a field (field >= 0) or an own column. */
struct column {
	const char *name;
	int field;
	const struct own_col *own;
};
#define NCOLUMNS (NOWN + TD_F_COUNT)

/* The columns in export order, worked out once from the tables. */
static const struct column *columns(void)
{
	static struct column cols[NCOLUMNS];
	static size_t n;
	bool placed[TD_F_COUNT] = { false };

	if (n)
		return cols;
	for (size_t i = 0; i < NDOC; i++) {
		int f = td_field_find(documented[i]);
		if (f >= 0) {
			cols[n++] = (struct column){ td_fields[f].name, f, NULL };
			placed[f] = true;
			continue;
		}
		for (size_t k = 0; k < NOWN; k++)
			if (strcmp(own_cols[k].name, documented[i]) == 0)
				cols[n++] = (struct column){ own_cols[k].name,
							     -1, &own_cols[k] };
	}
	for (int f = 0; f < TD_F_COUNT; f++)
		if (!placed[f])
			cols[n++] = (struct column){ td_fields[f].name, f, NULL };
	return cols;
}

size_t td_app_export_columns(const char **names, size_t max)
{
	const struct column *c = columns();
	size_t n = 0;

	for (size_t i = 0; i < NCOLUMNS; i++)
		if (c[i].name != NULL && n < max)
			names[n++] = c[i].name;
	return n;
}

struct export_ctx {
	enum td_export_format format;
	char sep;
	FILE *out;
	struct td_buf buf;
	struct td_json json;
	long count;
	int status;
	td_err *err;
	const char **only;          /* sorted copy of the options' only */
	size_t nonly;
};

static int cmp_ref(const void *a, const void *b)
{
	return strcmp(*(const char *const *)a, *(const char *const *)b);
}

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
	const struct column *c = columns();
	char code[TD_DESC_MAX * 4 + 1];
	int rc = TD_OK;

	for (size_t i = 0; i < NCOLUMNS && !rc; i++) {
		const char *v = code;
		bool free_text = false;
		if (c[i].name == NULL)
			continue;
		if (c[i].field >= 0) {
			enum td_field_id f = (enum td_field_id)c[i].field;
			if (td_field_code(&d->v, f, code, sizeof code) < 0)
				code[0] = '\0';
			free_text = td_fields[f].flags & TD_FF_FREE;
		} else {
			v = c[i].own->get(d);
		}
		rc = td_csv_write_field(&x->buf, v, free_text ? &guarded : &plain,
					i == 0);
	}
	return rc ? rc : td_csv_end_row(&x->buf);
}

static void json_row(struct export_ctx *x, const struct td_dossier *d)
{
	struct td_json *j = &x->json;
	const struct column *c = columns();
	char code[TD_DESC_MAX * 4 + 1];

	td_json_begin_object(j);
	for (size_t i = 0; i < NCOLUMNS; i++) {
		const char *v = code;
		if (c[i].name == NULL)
			continue;
		td_json_key(j, c[i].name);
		if (c[i].field >= 0) {
			enum td_field_id f = (enum td_field_id)c[i].field;
			const struct td_field_def *fd = &td_fields[f];
			long val = td_intake_value(&d->v, f);
			if (fd->kind == TD_FK_MULTI) {
				td_json_begin_array(j);
				for (size_t n = 0; n < fd->choices->count; n++)
					if ((unsigned long)val & (1ul << n))
						td_json_string(j, td_enum_code(
							fd->choices, (int)n));
				td_json_end_array(j);
				continue;
			}
			if (fd->kind == TD_FK_CHECK) {
				td_json_bool(j, val != 0);
				continue;
			}
			if (td_field_code(&d->v, f, code, sizeof code) < 0)
				code[0] = '\0';
		} else {
			v = c[i].own->get(d);
		}
		if (*v)
			td_json_string(j, v);
		else
			td_json_null(j);
	}
	td_json_end_object(j);
}

static int each_row(const struct td_dossier *d, void *ctx)
{
	struct export_ctx *x = ctx;
	int rc;
	const char *ref = d->reference;
	if (x->only && !bsearch(&ref, x->only, x->nonly, sizeof *x->only,
				cmp_ref))
		return 0;
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

	if (o->only) {
		x.nonly = o->nonly;
		x.only = calloc(x.nonly ? x.nonly : 1, sizeof *x.only);
		if (!x.only)
			return td_err_set(err, TD_ENOMEM, _("out of memory"));
		memcpy(x.only, o->only, x.nonly * sizeof *x.only);
		qsort(x.only, x.nonly, sizeof *x.only, cmp_ref);
	}
	td_buf_init(&x.buf);
	if (o->format == TD_EXPORT_CSV) {
		const struct td_csv_opts plain = { x.sep, false };
		rc = o->bom ? td_csv_bom(&x.buf) : TD_OK;
		const struct column *c = columns();
		for (size_t i = 0; i < NCOLUMNS && !rc; i++)
			if (c[i].name != NULL)
				rc = td_csv_write_field(&x.buf, c[i].name,
							&plain, i == 0);
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
	free(x.only);
	if (count)
		*count = x.count;
	/* Issue 14 point 7: who exported what, how many rows, where.  The
	 * words searched may be a person's name: only that there was a
	 * search is logged. */
	if (!rc) {
		char spec[1024], detail[1400];
		if (q.text[0])
			snprintf(q.text, sizeof q.text, "%s", "*");
		if (td_query_format(&q, spec, sizeof spec) < 0)
			spec[0] = '\0';
		snprintf(detail, sizeof detail, "%s rows=%ld %s -> %s",
			 spec[0] ? spec : "all", x.count,
			 o->format == TD_EXPORT_JSON ? "json" : "csv",
			 o->dest ? o->dest : "stdout");
		rc = td_store_audit(app->db, NULL, app->me ? app->me->login
				    : app->login, "export", "dossiers", NULL,
				    NULL, detail, err);
	}
	return rc;
}
