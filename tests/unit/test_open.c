/* Opening the session (src/app/app.c) with a configuration mistake: it is
 * reported before the database is migrated or written (issue 13,
 * point 7).  Before, a schema-1 database was upgraded, then a routing
 * error stopped the program. */
#include "../../src/store/store_int.h"
#include "totemdesk/app.h"
#include "totemdesk/privilege.h"

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

static char dir[64], db_path[128], conf[128];

static void exec_sql(sqlite3 *h, const char *sql)
{
	char *msg = NULL;
	if (sqlite3_exec(h, sql, NULL, NULL, &msg) != SQLITE_OK)
		fail_msg("%s: %s", sql, msg ? msg : "?");
}

/* A database as the first release made it: schema 1, one site. */
static void make_schema_1(void)
{
	sqlite3 *h = NULL;
	char sql[128];
	assert_int_equal(sqlite3_open(db_path, &h), SQLITE_OK);
	exec_sql(h, "BEGIN");
	for (const char *const *step = store_migrations[0]; *step; step++)
		exec_sql(h, *step);
	snprintf(sql, sizeof sql, "PRAGMA application_id = %d; PRAGMA user_version = 1",
		 STORE_APPLICATION_ID);
	exec_sql(h, sql);
	exec_sql(h, "INSERT INTO site(code, name, updated_at) VALUES ('MET', 'Metz', 'x')");
	exec_sql(h, "COMMIT");
	sqlite3_close(h);
}

static int user_version(void)
{
	sqlite3 *h = NULL;
	sqlite3_stmt *st = NULL;
	int v = -1;
	assert_int_equal(sqlite3_open_v2(db_path, &h, SQLITE_OPEN_READONLY, NULL),
			 SQLITE_OK);
	assert_int_equal(sqlite3_prepare_v2(h, "PRAGMA user_version", -1, &st,
					    NULL), SQLITE_OK);
	if (sqlite3_step(st) == SQLITE_ROW)
		v = sqlite3_column_int(st, 0);
	sqlite3_finalize(st);
	sqlite3_close(h);
	return v;
}

static void write_config(const char *extra)
{
	struct passwd *pw = getpwuid(getuid());
	FILE *f = fopen(conf, "w");
	assert_non_null(f);
	fprintf(f, "site = \"MET\";\ndatabase = \"%s\";\n"
		"users = ( { login = \"%s\"; name = \"T\"; role = \"officer\"; site = \"MET\"; } );\n%s",
		db_path, pw ? pw->pw_name : "unknown", extra);
	fclose(f);
}

static int setup(void **state)
{
	snprintf(dir, sizeof dir, "/tmp/td-open-XXXXXX");
	if (!mkdtemp(dir))
		return -1;
	snprintf(db_path, sizeof db_path, "%s/site.db", dir);
	snprintf(conf, sizeof conf, "%s/totemdesk.conf", dir);
	unsetenv("TOTEMDESK_CONFIG");
	return 0;
}

static int teardown(void **state)
{
	char p[200];
	static const char *const names[] = { "site.db", "site.db-wal",
		"site.db-shm", "site.db-lock", "totemdesk.conf" };
	for (size_t i = 0; i < sizeof names / sizeof names[0]; i++) {
		snprintf(p, sizeof p, "%s/%s", dir, names[i]);
		unlink(p);
	}
	rmdir(dir);
	return 0;
}

static void routing_mistake_leaves_schema_1(void **state)
{
	struct td_app_options o = { .config_path = conf, .need_user = true,
				    .need_config = true };
	struct td_app *app = NULL;
	td_err err = { 0 };

	make_schema_1();
	write_config("routing = { rules = ( { name = \"x\"; needs = \"funding\";\n"
		     "  partner = \"no-such-partner\"; } ); };\n");
	assert_int_equal(td_app_open(&app, &o, &err), TD_ECONFIG);
	assert_null(app);
	assert_non_null(strstr(err.msg, "no-such-partner"));
	assert_non_null(strstr(err.msg, "totemdesk.conf:4:"));
	assert_int_equal(user_version(), 1);

	/* Mistake corrected: the same database is brought up to date. */
	write_config("");
	assert_int_equal(td_app_open(&app, &o, &err), TD_OK);
	td_app_close(app);
	assert_int_equal(user_version(), TD_SCHEMA_VERSION);
}

static int refuse_keys(const struct td_config *cfg, td_err *err)
{
	return td_err_set(err, TD_ECONFIG, "%s:9: unknown key \"F13\"",
			  cfg->path);
}

/* The screens' own check (ui.keys) runs before the database is opened,
 * for every front end that hands it to td_app_open. */
static void config_check_runs_first(void **state)
{
	struct td_app_options o = { .config_path = conf, .need_user = true,
				    .need_config = true,
				    .check_config = refuse_keys };
	struct td_app *app = NULL;
	td_err err = { 0 };

	make_schema_1();
	write_config("");
	assert_int_equal(td_app_open(&app, &o, &err), TD_ECONFIG);
	assert_non_null(strstr(err.msg, "F13"));
	assert_int_equal(user_version(), 1);
	assert_int_equal(access(db_path, F_OK), 0);
	char wal[160];
	snprintf(wal, sizeof wal, "%s-wal", db_path);
	assert_int_equal(access(wal, F_OK), -1);
}

int main(void)
{
	td_err err = { 0 };
	if (td_priv_startup(&err) != TD_OK) {
		fprintf(stderr, "%s\n", err.msg);
		return 1;
	}
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(routing_mistake_leaves_schema_1, setup, teardown),
		cmocka_unit_test_setup_teardown(config_check_runs_first, setup, teardown),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
