/* Import of earlier intakes: column mapping, error reports with file and
 * line, all-or-nothing, --skip-bad, --dry-run, duplicates, references,
 * and the round trip of an export. */
#include "totemdesk/app.h"
#include "totemdesk/csv.h"
#include "totemdesk/domain.h"
#include "totemdesk/import.h"
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

static char dir[] = "/tmp/td-import-XXXXXX";
static char db[300], db2[300], conf[300];

static const char *login(void)
{
	struct passwd *pw = getpwuid(geteuid());
	return pw->pw_name;
}

static void write_config(const char *role, const char *database)
{
	FILE *f = fopen(conf, "w");
	assert_non_null(f);
	fprintf(f, "site = \"MET\";\ndatabase = \"%s\";\n"
		   "users = ( { login = \"%s\"; name = \"Zoé Test\"; role = \"%s\"; site = \"MET\"; },\n"
		   "          { login = \"paul\"; name = \"Paul\"; role = \"officer\"; site = \"NAN\"; } );\n",
		database, login(), role);
	fclose(f);
}

static int fresh(const char *path)
{
	td_err err = { 0 };
	char cmd[1000];
	snprintf(cmd, sizeof cmd, "rm -f %s %s-wal %s-shm", path, path, path);
	if (system(cmd) != 0 || td_app_init_db(path, &err) != TD_OK)
		return -1;
	return 0;
}

static int setup(void **state)
{
	setenv("TOTEMDESK_NOW", "2026-11-23T10:00:00Z", 1);
	write_config("officer", db);
	return fresh(db);
}

static void open_app(struct td_app **app, const char *database)
{
	struct td_app_options o = { .config_path = conf, .db_path = database,
				    .need_user = true, .need_config = true };
	td_err err = { 0 };
	if (td_app_open(app, &o, &err))
		fail_msg("open: %s", err.msg);
}

static long count(struct td_app *app)
{
	struct td_query all;
	td_err err = { 0 };
	long n = -1;
	td_query_init(&all);
	assert_int_equal(td_app_queue_count(app, &all, 0, &n, &err), TD_OK);
	return n;
}

/* Dossiers written but not yet in the search index. */
static long search_pending(void)
{
	sqlite3 *h;
	sqlite3_stmt *st;
	long n = -1;
	assert_int_equal(sqlite3_open_v2(db, &h, SQLITE_OPEN_READONLY, NULL),
			 SQLITE_OK);
	assert_int_equal(sqlite3_prepare_v2(h, "SELECT count(*) FROM fts_pending",
					    -1, &st, NULL), SQLITE_OK);
	if (sqlite3_step(st) == SQLITE_ROW)
		n = sqlite3_column_int64(st, 0);
	sqlite3_finalize(st);
	sqlite3_close(h);
	return n;
}

static int run(struct td_app *app, const char *csv, bool dry, bool skip,
	       struct td_import_result *res, td_err *err)
{
	struct td_import_options o = { "holders.csv", dry, skip, 10 };
	return td_app_import(app, csv, strlen(csv), &o, res, err);
}

static void problem_is(const struct td_import_result *res, size_t i,
		       const char *prefix)
{
	char line[600];
	assert_true(i < res->nproblems);
	td_import_problem_format("holders.csv", &res->problems[i], line,
				 sizeof line);
	if (strncmp(line, prefix, strlen(prefix)) != 0 ||
	    strlen(line) <= strlen(prefix) + 3)
		fail_msg("problem %zu: got \"%s\", want \"%s...\"", i, line, prefix);
}

/* BOM, ';', headers in another order and case, a quoted field over two
 * lines, and references kept, malformed or absent. */
static const char good[] =
	"\xEF\xBB\xBF" "Last_Name;first_name;email;phone;site;reference;needs;consent;created_at;stage;description\r\n"
	"Lefèvre;Zoé;zoe@exemple.fr;;MET;MET-2025-0042;funding|hosting;1;2025-03-14;seed;\"Vrac\r\nsur deux lignes\"\r\n"
	"Müller;Jörg;;06 12 34 56 78;NAN;NAN-20-1;advice;oui;14/03/2025;;\r\n"
	"Klein;Anaïs;anais@exemple.fr;;;;networking;1;;idea;\r\n";

static void imports_good_rows(void **state)
{
	struct td_app *app = NULL;
	struct td_import_result res = { 0 };
	struct td_dossier d;
	td_err err = { 0 };
	char ref[TD_REF_SIZE];

	open_app(&app, NULL);
	assert_int_equal(run(app, good, false, false, &res, &err), TD_OK);
	assert_int_equal(res.rows, 3);
	assert_int_equal(res.imported, 3);
	assert_int_equal(res.nproblems, 0);
	assert_int_equal(res.renumbered, 1);
	assert_true(res.written);
	assert_int_equal(res.npreview, 3);
	assert_int_equal(res.preview[2].line, 5); /* after the two-line row */
	assert_string_equal(res.preview[0].reference, "MET-2025-0042");
	assert_string_equal(res.preview[1].reference, "MET-2025-0043");
	assert_string_equal(res.preview[2].reference, "MET-2026-0001");
	assert_int_equal(count(app), 3);
	/* Indexed for the queue's search at once. */
	assert_int_equal(search_pending(), 0);

	assert_int_equal(td_app_dossier_get(app, "MET-2025-0042", &d, &err), TD_OK);
	assert_string_equal(d.v.last_name, "Lefèvre");
	/* Normalised as the form does: one line. */
	assert_string_equal(d.v.description, "Vrac sur deux lignes");
	assert_int_equal(d.v.stage, td_enum_find(&td_stages, "seed"));
	assert_int_equal(d.status, TD_ST_NEW);
	assert_true(d.v.consent);
	assert_int_equal(strncmp(d.created_at, "2025-03-1", 9), 0);
	assert_int_equal(td_app_dossier_get(app, "MET-2025-0043", &d, &err), TD_OK);
	assert_string_equal(d.v.phone, "+33612345678");
	assert_string_equal(d.site, "NAN");

	/* The kept number is never handed out again (asked of the store on
	 * a connection of its own: the app's is private to src/app). */
	td_db *sdb = NULL;
	assert_int_equal(td_store_open(td_app_db_path(app), 0, &sdb, &err),
			 TD_OK);
	assert_int_equal(td_store_begin(sdb, &err), TD_OK);
	assert_int_equal(td_store_reference_next(sdb, "MET", 2025, ref, &err),
			 TD_OK);
	td_store_rollback(sdb);
	td_store_close(sdb);
	assert_string_equal(ref, "MET-2025-0044");
	td_import_result_free(&res);
	td_app_close(app);
}

static const char bad[] =
	"last_name,first_name,email,needs,consent,stage,site\n"
	"Lefèvre,Zoé,zoe@exemple.fr,funding,1,seed,MET\n"
	"Müller,Jörg,joerg@@exemple,advice,1,,MET\n"
	",Anaïs,anais@exemple.fr,advice,1,rocket,XYZ\n"
	"Klein,Théo,theo@exemple.fr,advice,1,,\"MET\n";

static void bad_rows_write_nothing(void **state)
{
	struct td_app *app = NULL;
	struct td_import_result res = { 0 };
	td_err err = { 0 };

	open_app(&app, NULL);
	assert_int_equal(run(app, bad, false, false, &res, &err), TD_EINVAL);
	assert_non_null(strstr(err.msg, "--skip-bad"));
	assert_int_equal(res.rows, 4);
	assert_int_equal(res.good, 1);
	assert_int_equal(res.bad, 3);
	assert_false(res.written);
	assert_int_equal(res.imported, 0);
	problem_is(&res, 0, "holders.csv:3: email: ");
	problem_is(&res, 1, "holders.csv:4: stage: \"rocket\" is not a known code");
	problem_is(&res, 2, "holders.csv:4: site: site \"XYZ\"");
	problem_is(&res, 3, "holders.csv:4: last_name: ");
	problem_is(&res, 4, "holders.csv:5: ");
	assert_int_equal(res.nproblems, 5);
	assert_int_equal(count(app), 0);

	/* --skip-bad: the good row goes in, the others are listed. */
	assert_int_equal(run(app, bad, false, true, &res, &err), TD_OK);
	assert_int_equal(res.imported, 1);
	assert_int_equal(res.nproblems, 5);
	assert_int_equal(count(app), 1);
	td_import_result_free(&res);
	td_app_close(app);
}

static void dry_run_writes_nothing(void **state)
{
	struct td_app *app = NULL;
	struct td_import_result res = { 0 };
	td_err err = { 0 };

	open_app(&app, NULL);
	assert_int_equal(run(app, good, true, false, &res, &err), TD_OK);
	assert_int_equal(res.good, 3);
	assert_int_equal(res.imported, 0);
	assert_false(res.written);
	assert_string_equal(res.preview[0].reference, "MET-2025-0042");
	assert_int_equal(count(app), 0);
	assert_int_equal(run(app, bad, true, true, &res, &err), TD_OK);
	assert_int_equal(res.good, 1);
	assert_int_equal(count(app), 0);
	td_import_result_free(&res);
	td_app_close(app);
}

static void duplicates_are_refused(void **state)
{
	struct td_app *app = NULL;
	struct td_import_result res = { 0 };
	td_err err = { 0 };
	static const char twice[] =
		"last_name,first_name,email,phone,siret,needs,consent\n"
		"Weber,Léa,lea@exemple.fr,,,advice,1\n"
		"Weber,Léa,lea@Exemple.FR,,,advice,1\n"
		"Colin,Rémi,,0612345678,,advice,1\n"
		"Colin,Rémi,,+33 6 12 34 56 78,,advice,1\n"
		"Husson,Anne,anne@exemple.fr,,732 829 320 00074,advice,1\n"
		"Husson,Paul,paul@exemple.fr,,73282932000074,advice,1\n";

	open_app(&app, NULL);
	assert_int_equal(run(app, twice, false, false, &res, &err), TD_EINVAL);
	assert_int_equal(res.duplicates, 3);
	problem_is(&res, 0, "holders.csv:3: email: already registered in dossier MET-2026-0001");
	problem_is(&res, 1, "holders.csv:5: phone: already registered in dossier MET-2026-0002");
	problem_is(&res, 2, "holders.csv:7: company_id: already registered in dossier MET-2026-0003");
	assert_int_equal(count(app), 0);

	/* Against the database too: a second import of the same sheet. */
	assert_int_equal(run(app, good, false, false, &res, &err), TD_OK);
	assert_int_equal(run(app, good, false, true, &res, &err), TD_OK);
	assert_int_equal(res.imported, 0);
	assert_int_equal(res.duplicates, 3);
	assert_int_equal(count(app), 3);
	td_import_result_free(&res);
	td_app_close(app);
}

static void refused_to_reception_and_bad_header(void **state)
{
	struct td_app *app = NULL;
	struct td_import_result res = { 0 };
	td_err err = { 0 };

	open_app(&app, NULL);
	assert_int_equal(run(app, "nom,prenom\nA,B\n", false, false, &res, &err),
			 TD_EINVAL);
	assert_int_equal(strncmp(err.msg, "holders.csv:1: ", 15), 0);
	assert_int_equal(run(app, "", false, false, &res, &err), TD_EINVAL);
	td_app_close(app);

	write_config("reception", db);
	open_app(&app, NULL);
	assert_int_equal(run(app, good, false, false, &res, &err), TD_EPERM);
	assert_int_equal(count(app), 0);
	td_import_result_free(&res);
	td_app_close(app);
}

static char *export_csv(struct td_app *app, size_t *len)
{
	struct td_export_options eo = { .format = TD_EXPORT_CSV, .status = -1 };
	char *buf = NULL;
	FILE *f = open_memstream(&buf, len);
	td_err err = { 0 };
	long n;
	assert_non_null(f);
	assert_int_equal(td_app_export(app, &eo, f, &n, &err), TD_OK);
	fclose(f);
	return buf;
}

/* Everything but the updated_at column, the last but country (the
 * import is a change). */
static void strip_updated(char *csv)
{
	char *out = csv;
	for (char *line = csv; *line;) {
		char *end = strstr(line, "\r\n");
		char *stop = end ? end : line + strlen(line);
		char *comma = stop, *last;
		/* updated_at is the last column but country (issue 12) */
		while (comma > line && *comma != ',')
			comma--;
		last = comma;
		if (comma > line)
			comma--;
		while (comma > line && *comma != ',')
			comma--;
		memmove(out, line, (size_t)(comma - line));
		out += comma - line;
		memmove(out, last, (size_t)(stop - last));
		out += stop - last;
		*out++ = '\n';
		line = end ? end + 2 : stop;
	}
	*out = '\0';
}

static void export_round_trip(void **state)
{
	struct td_app *app = NULL;
	struct td_import_result res = { 0 };
	td_err err = { 0 };
	size_t len1, len2;

	open_app(&app, NULL);
	assert_int_equal(run(app, good, false, false, &res, &err), TD_OK);
	char *first = export_csv(app, &len1);
	td_app_close(app);

	assert_int_equal(fresh(db2), 0);
	open_app(&app, db2);
	assert_int_equal(td_app_import(app, first, len1,
			&(struct td_import_options){ "export.csv", false, false, 0 },
			&res, &err), TD_OK);
	assert_int_equal(res.imported, 3);
	assert_int_equal(res.renumbered, 0);
	char *second = export_csv(app, &len2);
	td_app_close(app);

	strip_updated(first);
	strip_updated(second);
	assert_string_equal(first, second);
	free(first);
	free(second);
	td_import_result_free(&res);
}

/* Run SQL on the test database behind the app's back: values the
 * validators would refuse, as a damaged row or a later schema may hold. */
static void sql(const char *path, const char *text)
{
	sqlite3 *h;
	char *msg = NULL;
	assert_int_equal(sqlite3_open(path, &h), SQLITE_OK);
	if (sqlite3_exec(h, text, NULL, NULL, &msg) != SQLITE_OK)
		fail_msg("%s: %s", text, msg);
	sqlite3_close(h);
}

/* Every column of the export is either guarded against formulas (text
 * typed by people) or a value the program checks, which cannot start a
 * formula.  A new column these lists do not know fails here until it is
 * put in one of them. */
static const char *const guarded_cols[] = {
	"last_name", "first_name", "email", "city", "project_title",
	"description",
};
#define NGUARDED (sizeof guarded_cols / sizeof *guarded_cols)
static const char *const checked_cols[] = {
	"reference", "site", "created_at", "status", "phone", "postcode",
	"stage", "sector", "needs", "company_id", "consent", "consent_at",
	"country",
	"consent_version", "created_by", "assigned_to", "updated_at",
};
#define NCHECKED (sizeof checked_cols / sizeof *checked_cols)

static long listed(const char *const *list, size_t n, const char *name)
{
	for (size_t i = 0; i < n; i++)
		if (strcmp(list[i], name) == 0)
			return (long)i;
	return -1;
}

static void export_guards_every_free_text_column(void **state)
{
	/* In the order of guarded_cols. */
	static const char *const planted[NGUARDED] = {
		"=1+2", "+cmd", "=1+2@example.fr", "-2+3", "@SUM(A1:A9)",
		"\t=tab",
	};
	struct td_app *app = NULL;
	struct td_import_result res = { 0 };
	struct td_csv_reader rd;
	struct td_csv_row row;
	td_err err = { 0 };
	long which[64];
	size_t len, seen = 0;

	open_app(&app, NULL);
	assert_int_equal(run(app, good, false, false, &res, &err), TD_OK);
	td_import_result_free(&res);
	sql(db, "UPDATE holder SET last_name = '=1+2', first_name = '+cmd',"
		" email = '=1+2@example.fr', city = '-2+3';"
		" UPDATE dossier SET project_title = '@SUM(A1:A9)',"
		" description = char(9) || '=tab';");
	char *csv = export_csv(app, &len);
	td_app_close(app);

	td_csv_reader_init(&rd, csv, len, ',');
	assert_int_equal(td_csv_next(&rd, &row, &err), 1);
	size_t ncols = row.nfields;
	assert_true(ncols <= 64);
	for (size_t c = 0; c < ncols; c++) {
		which[c] = listed(guarded_cols, NGUARDED, row.fields[c]);
		if (which[c] >= 0)
			seen++;
		else if (listed(checked_cols, NCHECKED, row.fields[c]) < 0)
			fail_msg("export column %s: add it to guarded_cols (text "
				 "typed by people) or to checked_cols",
				 row.fields[c]);
	}
	assert_int_equal(seen, NGUARDED);
	int rows = 0;
	while (td_csv_next(&rd, &row, &err) == 1) {
		rows++;
		assert_int_equal(row.nfields, ncols);
		for (size_t c = 0; c < ncols; c++) {
			const char *v = row.fields[c];
			if (which[c] < 0) {
				/* Checked values stay exact (+33... phones). */
				assert_string_equal(td_csv_unguard(v), v);
				continue;
			}
			const char *want = planted[which[c]];
			if (v[0] != '\'' || strcmp(v + 1, want) != 0)
				fail_msg("column %s: exported as \"%s\", want it "
					 "guarded as \"'%s\"", guarded_cols[which[c]],
					 v, want);
		}
	}
	assert_int_equal(rows, 3);
	td_csv_reader_free(&rd);
	free(csv);
}

/* What is exported imports as it was typed: guarded cells lose the
 * guard, a value that really starts with a quote keeps it, one that
 * starts with a quote but needs no guard is left alone both ways. */
static void guarded_export_imports_as_typed(void **state)
{
	static const struct {
		const char *ref, *email, *title, *desc;
	} typed[] = {
		{ "MET-2025-0042", "=1+2@example.fr",
		  "'=HYPERLINK(\"http://x\")", "''twice quoted" },
		{ "MET-2025-0043", "+tag@example.fr", "-5 tonnes", "@home" },
		{ "MET-2026-0001", "anais@exemple.fr", "'quoted'", "=1+2" },
	};
	struct td_app *app = NULL;
	struct td_import_result res = { 0 };
	struct td_dossier d;
	td_err err = { 0 };
	size_t len1, len2;

	open_app(&app, NULL);
	assert_int_equal(run(app, good, false, false, &res, &err), TD_OK);
	for (size_t i = 0; i < 3; i++) {
		char *s = sqlite3_mprintf(
			"UPDATE holder SET email = %Q WHERE id = (SELECT holder_id"
			" FROM dossier WHERE reference = %Q);"
			" UPDATE dossier SET project_title = %Q, description = %Q"
			" WHERE reference = %Q;", typed[i].email, typed[i].ref,
			typed[i].title, typed[i].desc, typed[i].ref);
		sql(db, s);
		sqlite3_free(s);
	}
	char *first = export_csv(app, &len1);
	td_app_close(app);
	/* The guard is there in the file. */
	assert_non_null(strstr(first, ",'=1+2@example.fr,"));
	assert_non_null(strstr(first, ",\"''=HYPERLINK(\"\"http://x\"\")\","));
	assert_non_null(strstr(first, ",'''twice quoted,"));
	assert_non_null(strstr(first, ",'-5 tonnes,"));
	assert_non_null(strstr(first, ",'quoted',"));

	assert_int_equal(fresh(db2), 0);
	open_app(&app, db2);
	assert_int_equal(td_app_import(app, first, len1,
			&(struct td_import_options){ "export.csv", false, false, 0 },
			&res, &err), TD_OK);
	assert_int_equal(res.imported, 3);
	for (size_t i = 0; i < 3; i++) {
		assert_int_equal(td_app_dossier_get(app, typed[i].ref, &d, &err),
				 TD_OK);
		assert_string_equal(d.v.email, typed[i].email);
		assert_string_equal(d.v.title, typed[i].title);
		assert_string_equal(d.v.description, typed[i].desc);
	}
	char *second = export_csv(app, &len2);
	td_app_close(app);
	strip_updated(first);
	strip_updated(second);
	assert_string_equal(first, second);
	free(first);
	free(second);
	td_import_result_free(&res);
}

/* The follow-up clock of an imported dossier starts at the file's
 * created_at (an export carries it), not at the import: dossiers
 * registered in 2025 are overdue at once, the one without a date is not.
 * The import stays in the timeline. */
static void import_keeps_the_followup_clock(void **state)
{
	struct td_app *app = NULL;
	struct td_import_result res = { 0 };
	struct td_query q;
	struct td_dossier d;
	td_err err = { 0 };
	long n = -1;

	open_app(&app, NULL);
	assert_int_equal(run(app, good, false, false, &res, &err), TD_OK);
	td_import_result_free(&res);
	td_query_init(&q);
	q.overdue = true;
	assert_int_equal(td_app_queue_count(app, &q, 0, &n, &err), TD_OK);
	assert_int_equal(n, 2);

	char due[11];
	bool late = false;
	sqlite3 *h;
	sqlite3_stmt *st;
	assert_int_equal(td_app_dossier_get(app, "MET-2025-0042", &d, &err),
			 TD_OK);
	assert_int_equal(sqlite3_open_v2(db, &h, SQLITE_OPEN_READONLY, NULL),
			 SQLITE_OK);
	assert_int_equal(sqlite3_prepare_v2(h,
		"SELECT a.last_action_at, (SELECT count(*) FROM audit u WHERE"
		" u.dossier_id = ?1 AND u.action = 'import')"
		" FROM dossier_activity a WHERE a.dossier_id = ?1", -1, &st,
		NULL), SQLITE_OK);
	sqlite3_bind_text(st, 1, d.id, -1, SQLITE_STATIC);
	assert_int_equal(sqlite3_step(st), SQLITE_ROW);
	assert_string_equal((const char *)sqlite3_column_text(st, 0),
			    d.created_at);
	assert_int_equal(sqlite3_column_int(st, 1), 1);
	sqlite3_finalize(st);
	sqlite3_close(h);
	td_app_followup(app, d.created_at, d.status, due, &late);
	assert_true(late);
	td_app_close(app);
}

static int group_setup(void **state)
{
	if (!mkdtemp(dir))
		return -1;
	snprintf(db, sizeof db, "%s/t.db", dir);
	snprintf(db2, sizeof db2, "%s/t2.db", dir);
	snprintf(conf, sizeof conf, "%s/t.conf", dir);
	return 0;
}

static int group_teardown(void **state)
{
	char cmd[400];
	snprintf(cmd, sizeof cmd, "rm -rf %s", dir);
	return system(cmd) == 0 ? 0 : -1;
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup(imports_good_rows, setup),
		cmocka_unit_test_setup(bad_rows_write_nothing, setup),
		cmocka_unit_test_setup(dry_run_writes_nothing, setup),
		cmocka_unit_test_setup(duplicates_are_refused, setup),
		cmocka_unit_test_setup(refused_to_reception_and_bad_header, setup),
		cmocka_unit_test_setup(export_round_trip, setup),
		cmocka_unit_test_setup(export_guards_every_free_text_column, setup),
		cmocka_unit_test_setup(guarded_export_imports_as_typed, setup),
		cmocka_unit_test_setup(import_keeps_the_followup_clock, setup),
	};
	return cmocka_run_group_tests(tests, group_setup, group_teardown);
}
