/* The intake field table drives every list of fields (issue 10 point 3):
 * the form (it walks td_fields), the export header, the import columns,
 * the store's columns and its full-record reader and writers.  Each test
 * here walks the table and fails when one of those lists lacks a field, or
 * loses or changes its value on the way.  The detail screen's list is
 * checked by tests/screen/test_detail_fields.py. */
#include "totemdesk/app.h"
#include "totemdesk/csv.h"
#include "totemdesk/domain.h"
#include "totemdesk/import.h"
#include "totemdesk/intake.h"
#include "totemdesk/queue.h"
#include "store/store.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <pwd.h>
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "tmpdir.h"

static char dir[64], db[300], db2[300], conf[300];

/* The column order the README documents for the export ("the first
 * columns are, in this order, `reference,...`, followed by `...`"), which
 * exports written so far have and this release must keep: read from the
 * README, so that the code, the test and the documentation agree. */
#define DOC_MAX 64
static char doc_text[2048];
static const char *documented[DOC_MAX];
static size_t ndoc;

static void read_documented(void)
{
	char path[600], *text, *p, *q;
	const char *root = getenv("SOURCE_ROOT");
	FILE *f;
	size_t n = 0;

	snprintf(path, sizeof path, "%s/README.md", root ? root : ".");
	f = fopen(path, "r");
	assert_non_null(f);
	text = calloc(1, 1 << 20);
	assert_non_null(text);
	n = fread(text, 1, (1 << 20) - 1, f);
	fclose(f);
	text[n] = '\0';
	/* the two backquoted lists after "the first columns are" */
	p = strstr(text, "the first columns are");
	assert_non_null(p);
	n = 0;
	for (int list = 0; list < 2; list++) {
		p = strchr(p, '`');
		assert_non_null(p);
		q = strchr(++p, '`');
		assert_non_null(q);
		assert_true(n + (size_t)(q - p) + 2 < sizeof doc_text);
		if (n)
			doc_text[n++] = ',';
		memcpy(doc_text + n, p, (size_t)(q - p));
		n += (size_t)(q - p);
		p = q + 1;
	}
	doc_text[n] = '\0';
	free(text);
	ndoc = 0;
	for (char *tok = strtok(doc_text, ",\n "); tok && ndoc < DOC_MAX;
	     tok = strtok(NULL, ",\n "))
		documented[ndoc++] = tok;
	assert_true(ndoc >= 20);
}

static const char *login(void)
{
	return getpwuid(geteuid())->pw_name;
}

static int setup(void **state)
{
	td_err err = { 0 };
	FILE *f;

	setenv("TOTEMDESK_NOW", "2026-11-23T10:00:00Z", 1);
	f = fopen(conf, "w");
	if (!f)
		return -1;
	fprintf(f, "site = \"MET\";\ndatabase = \"%s\";\n"
		   "users = ( { login = \"%s\"; name = \"Zoé Test\";"
		   " role = \"officer\"; site = \"MET\"; } );\n", db, login());
	fclose(f);
	unlink(db);
	unlink(db2);
	if (td_app_init_db(db, &err) || td_app_init_db(db2, &err))
		return -1;
	return 0;
}

static struct td_app *open_app(const char *database)
{
	struct td_app_options o = { .config_path = conf, .db_path = database,
				    .need_user = true, .need_config = true };
	struct td_app *app = NULL;
	td_err err = { 0 };
	if (td_app_open(&app, &o, &err))
		fail_msg("open: %s", err.msg);
	return app;
}

/* A record with every field set: text fields to their example, a choice
 * to its last option, every need, the consent. */
static void full_record(struct td_intake *in)
{
	memset(in, 0, sizeof *in);
	for (int f = 0; f < TD_F_COUNT; f++) {
		const struct td_field_def *d = &td_fields[f];
		switch (d->kind) {
		case TD_FK_TEXT:
			td_field_set_code(in, (enum td_field_id)f, d->example);
			break;
		case TD_FK_CHOICE:
			td_intake_set_value(in, (enum td_field_id)f,
					    (long)d->choices->count - 1);
			break;
		case TD_FK_MULTI:
			td_intake_set_value(in, (enum td_field_id)f,
					    (long)((1ul << d->choices->count) - 1));
			break;
		case TD_FK_CHECK:
			td_intake_set_value(in, (enum td_field_id)f, 1);
			break;
		}
	}
}

/* Every field of a and b holds the same value. */
static void same_fields(const struct td_intake *a, const struct td_intake *b,
			const char *where)
{
	char ca[TD_DESC_MAX * 4 + 1], cb[TD_DESC_MAX * 4 + 1];

	for (int f = 0; f < TD_F_COUNT; f++) {
		assert_true(td_field_code(a, (enum td_field_id)f, ca, sizeof ca) >= 0);
		assert_true(td_field_code(b, (enum td_field_id)f, cb, sizeof cb) >= 0);
		if (strcmp(ca, cb) != 0)
			fail_msg("%s: field %s is \"%s\", want \"%s\"", where,
				 td_fields[f].name, cb, ca);
	}
}

static void table_is_whole(void **state)
{
	for (int f = 0; f < TD_F_COUNT; f++) {
		const struct td_field_def *d = &td_fields[f];
		struct td_intake in;
		char norm[TD_DESC_MAX * 4 + 1];

		assert_int_equal(d->id, f);
		assert_non_null(d->name);
		assert_non_null(d->label);
		assert_non_null(d->help);
		assert_non_null(d->hint);
		assert_non_null(d->column);
		assert_int_equal(td_field_find(d->name), f);
		for (int g = 0; g < f; g++)
			if (td_fields[g].group == d->group)
				assert_string_not_equal(td_fields[g].column,
							d->column);
		switch (d->kind) {
		case TD_FK_TEXT:
			/* its example is valid, and its buffer in td_intake */
			assert_true(d->size > 1);
			assert_true(d->offset + d->size <= sizeof in);
			assert_non_null(d->example);
			full_record(&in);
			if (td_intake_check_field(&in, (enum td_field_id)f, 0,
						  norm, sizeof norm) != TD_V_OK)
				fail_msg("field %s: example \"%s\" is refused",
					 d->name, d->example);
			break;
		case TD_FK_CHOICE:
		case TD_FK_MULTI:
			assert_non_null(d->choices);
			assert_true(d->choices->count > 1);
			break;
		case TD_FK_CHECK:
			break;
		}
	}
}

/* td_field_code and td_field_set_code are each other's inverse. */
static void codes_round_trip(void **state)
{
	struct td_intake a, b;
	char code[TD_DESC_MAX * 4 + 1];

	full_record(&a);
	memset(&b, 0, sizeof b);
	for (int f = 0; f < TD_F_COUNT; f++) {
		assert_true(td_field_code(&a, (enum td_field_id)f, code,
					  sizeof code) >= 0);
		assert_int_equal(td_field_set_code(&b, (enum td_field_id)f, code),
				 0);
	}
	same_fields(&a, &b, "td_field_set_code");
	assert_int_equal(td_field_set_code(&b, TD_F_STAGE, "no-such-stage"), -1);
	assert_int_equal(td_field_set_code(&b, TD_F_NEEDS, "advice|nope"), -1);
	assert_int_equal(td_field_set_code(&b, TD_F_CONSENT, "oui"), -1);
	same_fields(&a, &b, "a refused code");
}

/* The export's header: the documented columns in their order, then every
 * other field; each field exactly once. */
static void export_header_has_every_field(void **state)
{
	struct td_app *app = open_app(NULL);
	struct td_export_options eo = { .format = TD_EXPORT_CSV, .status = -1 };
	const char *names[128];
	char *buf = NULL;
	size_t len, n = td_app_export_columns(names, 128);
	struct td_csv_reader rd;
	struct td_csv_row row;
	FILE *f = open_memstream(&buf, &len);
	td_err err = { 0 };
	long rows;

	assert_non_null(f);
	assert_int_equal(td_app_export(app, &eo, f, &rows, &err), TD_OK);
	fclose(f);
	td_app_close(app);

	td_csv_reader_init(&rd, buf, len, ',');
	assert_int_equal(td_csv_next(&rd, &row, &err), 1);
	assert_int_equal(row.nfields, n);
	for (size_t i = 0; i < n; i++)
		assert_string_equal(row.fields[i], names[i]);
	read_documented();
	assert_true(n >= ndoc);
	for (size_t i = 0; i < ndoc; i++)
		assert_string_equal(names[i], documented[i]);
	for (int fi = 0; fi < TD_F_COUNT; fi++) {
		int seen = 0;
		for (size_t i = 0; i < n; i++)
			seen += strcmp(names[i], td_fields[fi].name) == 0;
		if (seen != 1)
			fail_msg("field %s is %d times in the export header",
				 td_fields[fi].name, seen);
	}
	td_csv_reader_free(&rd);
	free(buf);
}

/* Every field has its column in its group's table. */
static void schema_has_every_column(void **state)
{
	sqlite3 *h;
	sqlite3_stmt *st;
	char sql[128];

	assert_int_equal(sqlite3_open(db, &h), SQLITE_OK);
	for (int f = 0; f < TD_F_COUNT; f++) {
		const struct td_field_def *d = &td_fields[f];
		snprintf(sql, sizeof sql,
			 "SELECT count(*) FROM pragma_table_info('%s')"
			 " WHERE name = ?1",
			 d->group == TD_FG_HOLDER ? "holder" : "dossier");
		assert_int_equal(sqlite3_prepare_v2(h, sql, -1, &st, NULL),
				 SQLITE_OK);
		sqlite3_bind_text(st, 1, d->column, -1, SQLITE_STATIC);
		assert_int_equal(sqlite3_step(st), SQLITE_ROW);
		if (sqlite3_column_int(st, 0) != 1)
			fail_msg("field %s: no column %s.%s", d->name,
				 d->group == TD_FG_HOLDER ? "holder" : "dossier",
				 d->column);
		sqlite3_finalize(st);
	}
	sqlite3_close(h);
}

/* Saved, read back, edited, read back: every field keeps its value. */
static void store_keeps_every_field(void **state)
{
	struct td_app *app = open_app(NULL);
	struct td_intake in, norm, edit;
	struct td_intake_check chk;
	struct td_dossier *d = calloc(1, sizeof *d);
	char ref[TD_REF_SIZE];
	td_err err = { 0 };

	assert_non_null(d);
	full_record(&in);
	assert_int_equal(td_intake_check(&in, 0, &norm, &chk), 0);
	if (td_app_register(app, &in, ref, NULL, &err))
		fail_msg("register: %s", err.msg);
	assert_int_equal(td_app_dossier_get(app, ref, d, &err), TD_OK);
	same_fields(&norm, &d->v, "saved and read back");

	/* every editable field changed: optional text emptied, the first
	 * option, the first need */
	edit = d->v;
	for (int f = 0; f < TD_F_COUNT; f++) {
		const struct td_field_def *fd = &td_fields[f];
		if (fd->flags & TD_FF_FIXED)
			continue;
		if (fd->kind == TD_FK_TEXT && !fd->required &&
		    f != TD_F_EMAIL)
			td_field_set_code(&edit, (enum td_field_id)f, "");
		else if (fd->kind == TD_FK_CHOICE)
			td_intake_set_value(&edit, (enum td_field_id)f, 1);
		else if (fd->kind == TD_FK_MULTI)
			td_intake_set_value(&edit, (enum td_field_id)f, 1);
	}
	if (td_app_dossier_edit(app, ref, &edit, d->version, NULL, &err))
		fail_msg("edit: %s", err.msg);
	assert_int_equal(td_app_dossier_get(app, ref, d, &err), TD_OK);
	same_fields(&edit, &d->v, "edited and read back");
	/* and back: a writer that forgets a field would leave it empty */
	if (td_app_dossier_edit(app, ref, &in, d->version, NULL, &err))
		fail_msg("edit back: %s", err.msg);
	assert_int_equal(td_app_dossier_get(app, ref, d, &err), TD_OK);
	same_fields(&norm, &d->v, "edited back and read back");
	free(d);
	td_app_close(app);
}

/* Exported, then imported into another database: every field arrives, as
 * it was. */
static void import_reads_every_exported_field(void **state)
{
	struct td_app *app = open_app(NULL);
	struct td_export_options eo = { .format = TD_EXPORT_CSV, .status = -1 };
	struct td_import_result res = { 0 };
	struct td_intake in;
	struct td_dossier *a = calloc(1, sizeof *a), *b = calloc(1, sizeof *b);
	char ref[TD_REF_SIZE], *buf = NULL;
	size_t len;
	td_err err = { 0 };
	long n;
	FILE *f;

	assert_non_null(a);
	assert_non_null(b);
	full_record(&in);
	if (td_app_register(app, &in, ref, NULL, &err))
		fail_msg("register: %s", err.msg);
	assert_int_equal(td_app_dossier_get(app, ref, a, &err), TD_OK);
	f = open_memstream(&buf, &len);
	assert_non_null(f);
	assert_int_equal(td_app_export(app, &eo, f, &n, &err), TD_OK);
	fclose(f);
	assert_int_equal(n, 1);
	td_app_close(app);

	app = open_app(db2);
	if (td_app_import(app, buf, len,
			  &(struct td_import_options){ "export.csv", false,
						       false, 0 },
			  &res, &err))
		fail_msg("import: %s", err.msg);
	assert_int_equal(res.imported, 1);
	assert_int_equal(td_app_dossier_get(app, ref, b, &err), TD_OK);
	same_fields(&a->v, &b->v, "exported and imported");
	td_import_result_free(&res);
	td_app_close(app);
	free(buf);
	free(a);
	free(b);
}

/* The holder's country decides how the phone, the postcode and the
 * company number are read (issue 12); the messages name the country. */
static void country_decides_the_checks(void **state)
{
	static const struct {
		int country;
		const char *phone, *phone_norm, *postcode, *post_norm;
		const char *company, *company_norm;
	} ok[] = {
		{ TD_COUNTRY_FR, "06 96 90 18 24", "+596696901824", "57000",
		  "57000", "732 829 320 00074", "73282932000074" },
		{ TD_COUNTRY_LU, "621 123 456", "+352621123456", "L 4362",
		  "L-4362", "RCS Luxembourg B 123456", "B123456" },
		{ TD_COUNTRY_DE, "0681 1234567", "+496811234567", "D-66111",
		  "66111", "Amtsgericht Saarbrücken HRB 12345",
		  "Saarbrücken HRB 12345" },
		{ TD_COUNTRY_BE, "063 12 34 56", "+3263123456", "B-6700",
		  "6700", "BE 0566 988 259", "0566.988.259" },
		{ TD_COUNTRY_OTHER, "+41 22 123 45 67", "+41221234567",
		  "sw1a 1aa", "SW1A 1AA", "CHE-123.456.789",
		  "CHE-123.456.789" },
	};
	struct td_intake in;
	char out[128];

	for (size_t i = 0; i < sizeof ok / sizeof *ok; i++) {
		memset(&in, 0, sizeof in);
		in.country = ok[i].country;
		strcpy(in.phone, ok[i].phone);
		strcpy(in.postcode, ok[i].postcode);
		strcpy(in.siret, ok[i].company);
		assert_int_equal(td_intake_check_field(&in, TD_F_PHONE, 0, out,
						       sizeof out), TD_V_OK);
		assert_string_equal(out, ok[i].phone_norm);
		assert_int_equal(td_intake_check_field(&in, TD_F_POSTCODE, 0,
						       out, sizeof out), TD_V_OK);
		assert_string_equal(out, ok[i].post_norm);
		assert_int_equal(td_intake_check_field(&in, TD_F_SIRET, 0, out,
						       sizeof out), TD_V_OK);
		assert_string_equal(out, ok[i].company_norm);
		/* the country is never "missing", even when required */
		assert_int_equal(td_intake_check_field(&in, TD_F_COUNTRY,
						       1u << TD_F_COUNTRY,
						       NULL, 0), TD_V_OK);
	}
	/* the same Belgian number and postcode typed for a French holder */
	memset(&in, 0, sizeof in);
	strcpy(in.phone, "063 12 34 56");
	strcpy(in.postcode, "6700");
	assert_int_equal(td_intake_check_field(&in, TD_F_PHONE, 0, NULL, 0),
			 TD_V_PHONE_FR);
	assert_int_equal(td_intake_check_field(&in, TD_F_POSTCODE, 0, NULL, 0),
			 TD_V_POSTCODE_FR);
	in.country = TD_COUNTRY_BE;
	strcpy(in.phone, "063 12 34");
	strcpy(in.postcode, "67000");
	assert_int_equal(td_intake_check_field(&in, TD_F_PHONE, 0, NULL, 0),
			 TD_V_PHONE_BE);
	assert_int_equal(td_intake_check_field(&in, TD_F_POSTCODE, 0, NULL, 0),
			 TD_V_POSTCODE_BE);
	assert_non_null(strstr(td_vcode_message(TD_V_PHONE_BE), "Belgian"));
	assert_non_null(strstr(td_vcode_message(TD_V_POSTCODE_BE), "Belgian"));
	/* a country alone is nothing typed */
	memset(&in, 0, sizeof in);
	in.country = TD_COUNTRY_LU;
	assert_true(td_intake_is_blank(&in));
	/* the old name of the company field still names it */
	assert_int_equal(td_field_find("siret"), TD_F_SIRET);
	assert_int_equal(td_field_find("company_id"), TD_F_SIRET);
	assert_int_equal(td_field_find("country"), TD_F_COUNTRY);
}

static int group_setup(void **state)
{
	if (tmpdir_make(dir, sizeof dir, "fields"))
		return -1;
	snprintf(db, sizeof db, "%s/t.db", dir);
	snprintf(db2, sizeof db2, "%s/t2.db", dir);
	snprintf(conf, sizeof conf, "%s/t.conf", dir);
	return 0;
}

static int group_teardown(void **state)
{
	tmpdir_remove(dir);
	return 0;
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(table_is_whole),
		cmocka_unit_test(codes_round_trip),
		cmocka_unit_test(country_decides_the_checks),
		cmocka_unit_test_setup(export_header_has_every_field, setup),
		cmocka_unit_test_setup(schema_has_every_column, setup),
		cmocka_unit_test_setup(store_keeps_every_field, setup),
		cmocka_unit_test_setup(import_reads_every_exported_field, setup),
	};
	return cmocka_run_group_tests(tests, group_setup, group_teardown);
}
