/* Import of earlier intakes from a CSV spreadsheet (import.h).
 *
 * The rows are written as they are checked, inside one transaction, and
 * the transaction is rolled back at the end for a dry run or when a bad
 * row forbids the import: so a dry run finds exactly what a real run
 * would, duplicates between rows of the same file included. */
#include "app_int.h"
#include "totemdesk/app.h"
#include "totemdesk/csv.h"
#include "totemdesk/date.h"
#include "totemdesk/domain.h"
#include "totemdesk/i18n.h"
#include "totemdesk/privilege.h"
#include "totemdesk/import.h"
#include "totemdesk/timefmt.h"
#include "store/import.h"
#include "store/store.h"

#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

/* Columns beyond the intake fields, by their export names. */
enum extra_col {
	X_REFERENCE, X_SITE, X_CREATED_AT, X_STATUS, X_CONSENT_AT,
	X_CONSENT_VERSION, X_CREATED_BY, X_ASSIGNED_TO, X_COUNT
};
static const char *const extra_names[X_COUNT] = {
	"reference", "site", "created_at", "status", "consent_at",
	"consent_version", "created_by", "assigned_to",
};

struct importer {
	struct td_app *app;
	const struct td_import_options *o;
	struct td_import_result *res;
	td_err *err;
	long fcol[TD_F_COUNT];
	long xcol[X_COUNT];
	size_t pcap;
	char now[TD_TIME_SIZE];
	time_t now_t;
	bool row_bad;
};

void td_import_result_free(struct td_import_result *res)
{
	free(res->problems);
	free(res->preview);
	memset(res, 0, sizeof *res);
}

void td_import_problem_format(const char *name,
			      const struct td_import_problem *p, char *out,
			      size_t outsz)
{
	if (p->line > 0 && *p->field)
		snprintf(out, outsz, "%s:%ld: %s: %s", name, p->line, p->field,
			 p->msg);
	else if (p->line > 0)
		snprintf(out, outsz, "%s:%ld: %s", name, p->line, p->msg);
	else
		snprintf(out, outsz, "%s: %s", name, p->msg);
}

__attribute__((format(printf, 4, 5)))
static int problem(struct importer *im, long line, const char *field,
		   const char *fmt, ...)
{
	struct td_import_result *res = im->res;
	if (res->nproblems == im->pcap) {
		size_t ncap = im->pcap ? im->pcap * 2 : 32;
		void *nv = realloc(res->problems, ncap * sizeof *res->problems);
		if (!nv)
			return td_err_set(im->err, TD_ENOMEM, _("out of memory"));
		res->problems = nv;
		im->pcap = ncap;
	}
	struct td_import_problem *p = &res->problems[res->nproblems++];
	va_list ap;
	p->line = line;
	snprintf(p->field, sizeof p->field, "%s", field ? field : "");
	va_start(ap, fmt);
	vsnprintf(p->msg, sizeof p->msg, fmt, ap);
	va_end(ap);
	im->row_bad = true;
	return TD_OK;
}

/* A cell as typed: the export's formula guard is taken off, so that an
 * export imports as it was typed (td_csv_unguard says which cells). */
static const char *cell(const struct td_csv_row *row, long idx)
{
	if (idx < 0 || (size_t)idx >= row->nfields)
		return "";
	return td_csv_unguard(row->fields[idx]);
}

/* "idea, seed, ..." for messages. */
static void codes_list(const struct td_enum *e, char *out, size_t outsz)
{
	size_t len = 0;
	out[0] = '\0';
	for (size_t i = 0; i < e->count; i++) {
		const char *c = td_enum_code(e, (int)i);
		if (!*c)
			continue;
		int n = snprintf(out + len, outsz - len, "%s%s", len ? ", " : "",
				 c);
		if (n < 0 || (size_t)n >= outsz - len)
			break;
		len += (size_t)n;
	}
}

static int header(struct importer *im, const struct td_csv_row *row)
{
	for (int f = 0; f < TD_F_COUNT; f++)
		im->fcol[f] = td_csv_header_index(row, td_fields[f].name);
	/* An export written before issue 12 names the company identifier
	 * "siret"; without a "country" column its rows are French. */
	if (im->fcol[TD_F_SIRET] < 0)
		im->fcol[TD_F_SIRET] = td_csv_header_index(row, "siret");
	for (int x = 0; x < X_COUNT; x++)
		im->xcol[x] = td_csv_header_index(row, extra_names[x]);
	if (im->fcol[TD_F_LAST_NAME] < 0 || im->fcol[TD_F_FIRST_NAME] < 0)
		return problem(im, (long)row->line, NULL,
			_("the first line must name the columns as the export does "
			  "(reference, site, created_at, status, last_name, "
			  "first_name, email, phone, ...); last_name and first_name "
			  "are missing"));
	return TD_OK;
}

static bool is_true(const char *s)
{
	static const char *const yes[] = { "1", "true", "yes", "oui", "y", "o",
					   "x" };
	for (size_t i = 0; i < sizeof yes / sizeof *yes; i++)
		if (strcasecmp(s, yes[i]) == 0)
			return true;
	return false;
}

static bool is_false(const char *s)
{
	static const char *const no[] = { "", "0", "false", "no", "non", "n" };
	for (size_t i = 0; i < sizeof no / sizeof *no; i++)
		if (strcasecmp(s, no[i]) == 0)
			return true;
	return false;
}

/* The record as typed in the sheet, before validation. */
static int read_intake(struct importer *im, const struct td_csv_row *row,
		       struct td_intake *in)
{
	long line = (long)row->line;
	char list[256];
	int rc = TD_OK;

	memset(in, 0, sizeof *in);
	for (int f = 0; f < TD_F_COUNT && !rc; f++) {
		const struct td_field_def *d = &td_fields[f];
		const char *v = cell(row, im->fcol[f]);
		switch (d->kind) {
		case TD_FK_TEXT:
			if (strlen(v) >= d->size)
				rc = problem(im, line, d->name, "%s",
					     td_vcode_message(TD_V_TOO_LONG));
			else
				memcpy(td_intake_text(in, (enum td_field_id)f), v,
				       strlen(v) + 1);
			break;
		case TD_FK_CHOICE: {
			/* a country left out is the first, France */
			int k = !*v ? 0 : td_enum_find(d->choices, v);
			if (k < 0) {
				codes_list(d->choices, list, sizeof list);
				rc = problem(im, line, d->name,
					_("\"%s\" is not a known code: use one of %s"),
					v, list);
			} else {
				td_intake_set_value(in, (enum td_field_id)f, k);
			}
			break;
		}
		case TD_FK_MULTI: {
			const char *bad = NULL;
			size_t badlen = 0;
			unsigned mask = 0;
			if (td_needs_parse(v, &mask, &bad, &badlen) == 0) {
				td_intake_set_value(in, (enum td_field_id)f,
						    (long)mask);
			} else {
				codes_list(d->choices, list, sizeof list);
				rc = problem(im, line, d->name,
					_("\"%.*s\" is not a known need: use codes such as %s, separated by |"),
					(int)badlen, bad ? bad : "", list);
			}
			break;
		}
		case TD_FK_CHECK:
			if (is_true(v))
				td_intake_set_value(in, (enum td_field_id)f, 1);
			else if (!is_false(v))
				rc = problem(im, line, d->name,
					_("\"%s\" is neither 1 (yes) nor 0 (no)"), v);
			break;
		}
	}
	return rc;
}

/* A stamp "2026-03-14T09:30:00Z", or a local day as people write it
 * ("2026-03-14", "14/03/2026", "14/03/26": date.h's one reader). */
static bool parse_when(const char *s, time_t *t)
{
	char ymd[11];
	int day;
	if (td_time_parse(s, t) == 0)
		return true;
	if (td_date_read(s, 0, NULL, &day) != 0)
		return false;
	td_day_format(day, ymd, sizeof ymd);
	return td_date_parse_local(ymd, t) == 0;
}

static void preview(struct importer *im, long line, const struct td_dossier *d,
		    bool ok)
{
	struct td_import_result *res = im->res;
	if (im->o->preview <= 0 || res->npreview >= (size_t)im->o->preview)
		return;
	struct td_import_row *p = &res->preview[res->npreview++];
	memset(p, 0, sizeof *p);
	p->line = line;
	p->ok = ok;
	if (ok)
		memcpy(p->reference, d->reference, sizeof p->reference);
	memcpy(p->site, d->site, sizeof p->site);
	snprintf(p->name, sizeof p->name, "%s %s", d->v.last_name,
		 d->v.first_name);
	snprintf(p->title, sizeof p->title, "%s", d->v.title);
}

/* Everything but the intake fields: site, status, dates, people. */
static int read_extra(struct importer *im, const struct td_csv_row *row,
		      struct td_dossier *d)
{
	const struct td_config *cfg = &im->app->cfg;
	long line = (long)row->line;
	const char *v;
	time_t t;
	char list[256];
	int rc = TD_OK;

	v = cell(row, im->xcol[X_SITE]);
	snprintf(d->site, sizeof d->site, "%s",
		 *v ? v : im->app->site ? im->app->site->code : "");
	if (!td_config_site(cfg, d->site) && (rc = problem(im, line, "site",
			_("site \"%s\" is not defined in the configuration"), v)))
		return rc;

	v = cell(row, im->xcol[X_STATUS]);
	d->status = *v ? td_enum_find(&td_statuses, v) : TD_ST_NEW;
	if (d->status < 0) {
		d->status = TD_ST_NEW;
		codes_list(&td_statuses, list, sizeof list);
		if ((rc = problem(im, line, "status",
				  _("\"%s\" is not a status: use one of %s"), v,
				  list)))
			return rc;
	}

	v = cell(row, im->xcol[X_CREATED_AT]);
	if (!*v) {
		memcpy(d->created_at, im->now, sizeof d->created_at);
	} else if (!parse_when(v, &t)) {
		memcpy(d->created_at, im->now, sizeof d->created_at);
		if ((rc = problem(im, line, "created_at",
			_("\"%s\" is not a date: use YYYY-MM-DD, DD/MM/YYYY or "
			  "2026-03-14T09:30:00Z"), v)))
			return rc;
	} else if (t > im->now_t + 24 * 3600) {
		td_time_format(t, d->created_at, sizeof d->created_at);
		if ((rc = problem(im, line, "created_at",
				  _("%s is in the future"), v)))
			return rc;
	} else {
		td_time_format(t, d->created_at, sizeof d->created_at);
	}
	memcpy(d->updated_at, im->now, sizeof d->updated_at);

	v = cell(row, im->xcol[X_CONSENT_AT]);
	if (*v && parse_when(v, &t))
		td_time_format(t, d->consent_at, sizeof d->consent_at);
	else if (*v && (rc = problem(im, line, "consent_at",
			_("\"%s\" is not a date: use YYYY-MM-DD"), v)))
		return rc;
	else
		memcpy(d->consent_at, d->created_at, sizeof d->consent_at);
	v = cell(row, im->xcol[X_CONSENT_VERSION]);
	snprintf(d->consent_version, sizeof d->consent_version, "%s",
		 *v ? v : cfg->consent_version);

	v = cell(row, im->xcol[X_CREATED_BY]);
	snprintf(d->created_by, sizeof d->created_by, "%s",
		 *v ? v : im->app->me->login);
	v = cell(row, im->xcol[X_ASSIGNED_TO]);
	if (*v && !td_config_user(cfg, v) &&
	    (rc = problem(im, line, "assigned_to",
			  _("user \"%s\" is not in the configuration"), v)))
		return rc;
	snprintf(d->assigned_to, sizeof d->assigned_to, "%s", v);
	return TD_OK;
}

static int duplicate(struct importer *im, long line, const struct td_dossier *d)
{
	static const char *const field[4] = { "", "email", "phone",
					      "company_id" };
	char ref[TD_REF_SIZE];
	int which, rc;

	if ((rc = td_store_holder_match(im->app->db, d->v.email, d->v.phone,
					d->v.siret, ref, &which, im->err)))
		return rc;
	if (!which)
		return TD_OK;
	im->res->duplicates++;
	return problem(im, line, field[which],
		       _("already registered in dossier %s; not imported twice"),
		       ref);
}

/* Keep the sheet's reference when it is well formed, of the row's site
 * or of this database's (it was minted where the dossier was registered,
 * or here: an export read back) and free; else number
 * the dossier as the desk would, with this database's own site
 * (app_minting_site). */
static int reference(struct importer *im, const struct td_csv_row *row,
		     struct td_dossier *d)
{
	const char *v = cell(row, im->xcol[X_REFERENCE]);
	char site[4];
	bool used = true;
	time_t t;
	struct tm tm;
	int rc;

	const char *mint = app_minting_site(im->app, d->site);
	if (*v && td_reference_parse(v, site, NULL, NULL) &&
	    (strcmp(site, d->site) == 0 || strcmp(site, mint) == 0)) {
		if ((rc = td_store_reference_used(im->app->db, v, &used, im->err)))
			return rc;
		if (!used) {
			snprintf(d->reference, sizeof d->reference, "%s", v);
			return td_store_reference_claim(im->app->db, v, im->err);
		}
	}
	if (*v)
		im->res->renumbered++;
	if (td_time_parse(d->created_at, &t) != 0)
		t = im->now_t;
	gmtime_r(&t, &tm);
	return td_store_reference_next(im->app->db, mint, tm.tm_year + 1900,
				       d->reference, im->err);
}

static int one_row(struct importer *im, const struct td_csv_row *row,
		   struct td_dossier *d)
{
	struct td_intake typed;
	struct td_intake_check chk;
	long line = (long)row->line;
	char detail[200];
	int rc;

	memset(d, 0, sizeof *d);
	im->row_bad = false;
	if ((rc = read_intake(im, row, &typed)) || (rc = read_extra(im, row, d)))
		return rc;
	td_intake_check(&typed, im->app->cfg.required_extra, &d->v, &chk);
	for (int f = 0; f < TD_F_COUNT; f++) {
		/* A code the reader already refused is not reported twice. */
		if (chk.code[f] == TD_V_OK ||
		    (chk.code[f] == TD_V_BAD_CODE && im->row_bad))
			continue;
		if ((rc = problem(im, line, td_fields[f].name, "%s",
				  td_vcode_message(chk.code[f]))))
			return rc;
	}
	/* Compare keys only once they are normalised (E.164, lower case). */
	if (!im->row_bad && (rc = duplicate(im, line, d)))
		return rc;
	if (im->row_bad) {
		im->res->bad++;
		preview(im, line, d, false);
		return TD_OK;
	}
	d->version = 1;
	if ((rc = reference(im, row, d)) ||
	    (rc = td_store_new_id(d->site, d->id, im->err)) ||
	    (rc = td_store_new_id(d->site, d->holder_id, im->err)) ||
	    (rc = td_store_dossier_insert(im->app->db, d, im->err)))
		return rc;
	snprintf(detail, sizeof detail, "%s %s %s:%ld", d->reference, d->site,
		 im->o->name, line);
	/* The import is in the timeline, but the follow-up clock keeps the
	 * file's created_at: a dossier waiting since March is overdue. */
	if ((rc = td_store_audit(im->app->db, im->now, im->app->me->login,
				 "import", "dossier", d->id, d->id, detail,
				 im->err)) ||
	    (rc = td_store_activity_reset(im->app->db, d->id, d->created_at,
					  im->err)))
		return rc;
	im->res->good++;
	preview(im, line, d, true);
	return TD_OK;
}

int td_app_import(struct td_app *app, const char *data, size_t len,
		  const struct td_import_options *o,
		  struct td_import_result *res, td_err *err)
{
	struct importer im = { .app = app, .o = o, .res = res, .err = err };
	struct td_csv_reader rd;
	struct td_csv_row row;
	struct td_dossier *d;
	td_err cerr = { 0 };
	bool have_header = false;
	int rc, got;

	td_import_result_free(res);
	if ((rc = td_app_may_import(app, err)))
		return rc;
	if (o->preview > 0 &&
	    !(res->preview = calloc((size_t)o->preview, sizeof *res->preview)))
		return td_err_set(err, TD_ENOMEM, _("out of memory"));
	if (!(d = malloc(sizeof *d)))
		return td_err_set(err, TD_ENOMEM, _("out of memory"));
	td_store_now(im.now);
	if (td_time_parse(im.now, &im.now_t) != 0)
		im.now_t = time(NULL);

	td_csv_reader_init(&rd, data, len, td_csv_sniff(data, len));
	if ((rc = o->dry_run ? td_store_begin_trial(app->db, err)
			     : td_store_begin(app->db, err)))
		goto out;
	while ((got = td_csv_next(&rd, &row, &cerr)) != 0) {
		if (got < 0) {
			if (cerr.code == TD_ENOMEM) {
				rc = td_err_set(err, TD_ENOMEM, _("out of memory"));
				break;
			}
			/* The reader says "LINE: message". */
			char *end;
			long line = strtol(cerr.msg, &end, 10);
			const char *msg = *end == ':' ? end + 2 : cerr.msg;
			if (have_header)
				res->rows++, res->bad++;
			if ((rc = problem(&im, line, NULL, "%s", msg)))
				break;
			continue;
		}
		if (!have_header) {
			have_header = true;
			if ((rc = header(&im, &row)))
				break;
			if (im.row_bad)
				break;
			continue;
		}
		res->rows++;
		if ((rc = one_row(&im, &row, d)))
			break;
	}
	td_csv_reader_free(&rd);
	if (!rc && !have_header)
		rc = problem(&im, 0, NULL,
			     _("the file is empty: expected a header line and rows"));
	if (!rc && res->nproblems && res->rows == 0) {
		char msg[sizeof err->msg];
		td_import_problem_format(o->name, &res->problems[0], msg,
					 sizeof msg);
		rc = td_err_set(err, TD_EINVAL, "%s", msg);
	} else if (!rc && res->nproblems && !o->skip_bad) {
		/* Two counts, two plural messages. */
		char bad[200], good[200];
		snprintf(bad, sizeof bad,
			 ngettext("%ld of %ld rows has a problem; nothing imported",
				  "%ld of %ld rows have problems; nothing imported",
				  (unsigned long)res->bad),
			 res->bad, res->rows);
		snprintf(good, sizeof good,
			 ngettext("correct the file, or use --skip-bad to import the %ld good row",
				  "correct the file, or use --skip-bad to import the %ld good rows",
				  (unsigned long)res->good),
			 res->good);
		rc = td_err_set(err, TD_EINVAL,
			/* TRANSLATORS: file name: "2 of 3 rows have
			 * problems; nothing imported" (what to do). */
			_("%s: %s (%s)"), o->name, bad, good);
	}
	if (!rc && !o->dry_run && res->good > 0) {
		char detail[200];
		snprintf(detail, sizeof detail, "%s: %ld imported, %ld skipped",
			 o->name, res->good, res->bad);
		if ((rc = td_store_audit(app->db, im.now, app->me->login,
					 "import", "file", o->name, NULL, detail,
					 err)) ||
		    (rc = td_store_commit(app->db, err)))
			goto out;
		res->imported = res->good;
		res->written = true;
		/* Index the new dossiers for the queue's search now rather
		 * than at the first keystroke of a search.  The import is
		 * saved either way: a failure here only defers that work. */
		td_err later = { 0 };
		(void)td_store_search_sync(app->db, &later);
		goto out;
	}
	td_store_rollback(app->db);
out:
	free(d);
	return rc;
}

int td_app_import_file(struct td_app *app, const char *path,
		       const struct td_import_options *o,
		       struct td_import_result *res, td_err *err)
{
	struct td_import_options named = *o;
	struct td_buf b;
	char chunk[65536];
	size_t n;
	int rc;
	FILE *f = td_priv_fopen_read(path);

	td_import_result_free(res);
	if (!f)
		return td_err_set(err, TD_EIO, _("cannot read %s: %s"), path,
				  strerror(errno));
	/* Whole in memory: the CSV reader keeps pointers into the text, and
	 * an intake sheet is a few megabytes at most. */
	td_buf_init(&b);
	while ((n = fread(chunk, 1, sizeof chunk, f)) > 0)
		if (td_buf_append(&b, chunk, n)) {
			fclose(f);
			td_buf_free(&b);
			return td_err_set(err, TD_ENOMEM, _("out of memory"));
		}
	rc = ferror(f) ? errno : 0;
	fclose(f);
	if (rc) {
		td_buf_free(&b);
		return td_err_set(err, TD_EIO, _("cannot read %s: %s"), path,
				  strerror(rc));
	}
	if (!named.name)
		named.name = path;
	rc = td_app_import(app, b.data, b.len, &named, res, err);
	td_buf_free(&b);
	return rc;
}
