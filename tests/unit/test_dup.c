/* Duplicate lookup through the store and the app against a real SQLite
 * file: keys kept by every insert, lookups by e-mail, phone, SIREN and
 * name variants, dismissals, the "duplicates" configuration group. */
#include "totemdesk/app.h"
#include "totemdesk/domain.h"
#include "totemdesk/dup.h"
#include "totemdesk/queue.h"
#include "store/dup.h"
#include "store/store.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <pwd.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static char dir[] = "/tmp/td-dup-XXXXXX";
static char db[300], conf[300];

static const char *login(void)
{
	return getpwuid(geteuid())->pw_name;
}

/* The configuration of a desk at site, the tester being role there. */
static void write_config_as(const char *role, const char *site,
			    const char *extra)
{
	FILE *f = fopen(conf, "w");
	assert_non_null(f);
	fprintf(f, "site = \"%s\";\ndatabase = \"%s\";\n"
		   "users = ( { login = \"%s\"; name = \"Test\"; role = \"%s\"; site = \"%s\"; } );\n"
		   "%s\n", site, db, login(), role, site, extra);
	fclose(f);
}

static void write_config(const char *extra)
{
	write_config_as("officer", "MET", extra);
}

static void fill(struct td_intake *in, const char *last, const char *first,
		 const char *email, const char *phone, const char *postcode,
		 const char *siret)
{
	memset(in, 0, sizeof *in);
	snprintf(in->last_name, sizeof in->last_name, "%s", last);
	snprintf(in->first_name, sizeof in->first_name, "%s", first);
	snprintf(in->email, sizeof in->email, "%s", email);
	snprintf(in->phone, sizeof in->phone, "%s", phone);
	snprintf(in->postcode, sizeof in->postcode, "%s", postcode);
	snprintf(in->siret, sizeof in->siret, "%s", siret);
	snprintf(in->title, sizeof in->title, "Projet");
	in->needs = 1;
	in->consent = true;
}

static void open_app(struct td_app **app)
{
	struct td_app_options o = { .config_path = conf, .need_user = true,
				    .need_config = true };
	td_err err = { 0 };
	if (td_app_open(app, &o, &err))
		fail_msg("open: %s", err.msg);
}

static int setup(void **state)
{
	td_err err = { 0 };
	unlink(db);
	if (td_app_init_db(db, &err) != TD_OK) {
		fprintf(stderr, "init: %s\n", err.msg);
		return -1;
	}
	write_config("");
	return 0;
}

static int teardown(void **state)
{
	char p[320];
	unlink(db);
	snprintf(p, sizeof p, "%s-wal", db);
	unlink(p);
	snprintf(p, sizeof p, "%s-shm", db);
	unlink(p);
	snprintf(p, sizeof p, "%s-lock", db);
	unlink(p);
	return 0;
}

static void reg(struct td_app *app, const struct td_intake *in,
		char ref[TD_REF_SIZE])
{
	td_err err = { 0 };
	if (td_app_register(app, in, ref, NULL, &err))
		fail_msg("register: %s", err.msg);
}

static int lookup(struct td_app *app, const struct td_intake *in,
		  struct td_dup_match *m)
{
	td_err err = { 0 };
	int n = -1;
	if (td_app_dup_lookup(app, in, m, TD_DUP_MAX, &n, &err))
		fail_msg("lookup: %s", err.msg);
	return n;
}

static void finds_registered(void **state)
{
	struct td_app *app = NULL;
	struct td_intake in;
	struct td_dup_match m[TD_DUP_MAX];
	char ref[TD_REF_SIZE], ref2[TD_REF_SIZE];

	open_app(&app);
	fill(&in, "Lefèvre", "Zoé", "Zoe.Lefevre@exemple.fr", "06 12 34 56 78",
	     "57000", "732 829 320 00074");
	reg(app, &in, ref);
	fill(&in, "Martin", "Julie", "julie@exemple.fr", "", "54000", "");
	reg(app, &in, ref2);

	/* Typo in the name, nothing else typed. */
	fill(&in, "Lefevbre", "zoe", "", "", "", "");
	assert_int_equal(lookup(app, &in, m), 1);
	assert_string_equal(m[0].reference, ref);
	assert_string_equal(m[0].site, "MET");
	assert_int_equal(m[0].status, TD_ST_NEW);
	assert_int_equal(m[0].reasons, TD_DUP_NAME_TYPO);
	assert_string_equal(m[0].last_name, "Lefèvre");

	/* Swapped names; e-mail in capitals; phone in another format; the
	 * SIREN of another establishment. */
	fill(&in, "Zoé", "Lefèvre", "", "", "", "");
	assert_int_equal(lookup(app, &in, m), 1);
	assert_true(m[0].reasons & TD_DUP_NAME_SWAP);
	/* Swapped, with a typo in one of them (issue 11 point 25): still a
	 * swap. */
	fill(&in, "Zoé", "Lefevbre", "", "", "", "");
	assert_int_equal(lookup(app, &in, m), 1);
	assert_string_equal(m[0].reference, ref);
	assert_true(m[0].reasons & TD_DUP_NAME_SWAP);
	fill(&in, "Zoe", "Lefevre", "", "", "", "");
	assert_int_equal(lookup(app, &in, m), 1);
	assert_true(m[0].reasons & TD_DUP_NAME_SWAP);
	fill(&in, "Durand", "Paul", "ZOE.LEFEVRE@EXEMPLE.FR", "", "", "");
	assert_int_equal(lookup(app, &in, m), 1);
	assert_int_equal(m[0].reasons, TD_DUP_EMAIL);
	fill(&in, "Durand", "Paul", "", "+33 6 12 34 56 78", "", "");
	assert_int_equal(lookup(app, &in, m), 1);
	fill(&in, "Durand", "Paul", "", "", "", "732 829 320 00082");
	assert_int_equal(lookup(app, &in, m), 1);
	assert_int_equal(m[0].reasons, TD_DUP_SIRET);

	/* A homonym elsewhere is not proposed; nobody like Durand is. */
	fill(&in, "Martin", "Julie", "", "", "88000", "");
	assert_int_equal(lookup(app, &in, m), 0);
	fill(&in, "Martin", "Julie", "", "", "54000", "");
	assert_int_equal(lookup(app, &in, m), 1);
	assert_string_equal(m[0].reference, ref2);
	fill(&in, "Durand", "Paul", "", "", "", "");
	assert_int_equal(lookup(app, &in, m), 0);
	/* Half-typed fields are ignored, not errors. */
	fill(&in, "Lefèvre", "", "zoe@", "06 12", "57", "732");
	assert_int_equal(lookup(app, &in, m), 0);
	td_app_close(app);
}

static void dismiss_until_new_evidence(void **state)
{
	struct td_app *app = NULL;
	struct td_intake in;
	struct td_dup_match m[TD_DUP_MAX];
	char ref[TD_REF_SIZE];
	td_err err = { 0 };

	open_app(&app);
	fill(&in, "Schmitt", "Claire", "claire@exemple.fr", "", "57000", "");
	reg(app, &in, ref);

	fill(&in, "Schmit", "Claire", "", "", "", "");
	assert_int_equal(lookup(app, &in, m), 1);
	assert_int_equal(td_app_dup_dismiss(app, &m[0], &err), TD_OK);
	assert_int_equal(lookup(app, &in, m), 0);
	/* Still dismissed in another session (it is in the database). */
	td_app_close(app);
	open_app(&app);
	assert_int_equal(lookup(app, &in, m), 0);
	/* The same e-mail is new evidence: proposed again. */
	snprintf(in.email, sizeof in.email, "claire@exemple.fr");
	assert_int_equal(lookup(app, &in, m), 1);
	assert_string_equal(m[0].reference, ref);

	/* Every piece of evidence counts, not only the first (issue 11
	 * point 25): dismissed on the e-mail alone, the same e-mail typed
	 * with the name is proposed again. */
	fill(&in, "Durand", "Paul", "claire@exemple.fr", "", "", "");
	assert_int_equal(lookup(app, &in, m), 1);
	assert_int_equal(m[0].reasons, TD_DUP_EMAIL);
	assert_int_equal(td_app_dup_dismiss(app, &m[0], &err), TD_OK);
	assert_int_equal(lookup(app, &in, m), 0);
	fill(&in, "Schmitt", "Claire", "claire@exemple.fr", "", "", "");
	assert_int_equal(lookup(app, &in, m), 1);
	assert_string_equal(m[0].reference, ref);
	assert_true(m[0].reasons & TD_DUP_EMAIL);
	assert_true(m[0].nevidence > 1);
	td_app_close(app);
}

static void index_forget_and_rebuild(void **state)
{
	struct td_app *app = NULL;
	struct td_intake in;
	struct td_dup_match m[TD_DUP_MAX];
	char ref[TD_REF_SIZE];
	struct td_dossier d;
	td_err err = { 0 };

	open_app(&app);
	fill(&in, "Kieffer", "Sophie", "", "06 11 22 33 44", "57100", "");
	reg(app, &in, ref);
	assert_int_equal(td_app_dossier_get(app, ref, &d, &err), TD_OK);
	/* The store's own calls, on a second connection to the same file
	 * (the app's is not reachable from outside src/app). */
	td_db *sdb = NULL;
	assert_int_equal(td_store_open(td_app_db_path(app), 0, &sdb, &err),
			 TD_OK);
	assert_int_equal(td_store_dup_forget(sdb, d.holder_id, &err), TD_OK);
	assert_int_equal(lookup(app, &in, m), 0);
	assert_int_equal(td_store_dup_index(sdb, d.holder_id, &err), TD_OK);
	assert_int_equal(lookup(app, &in, m), 1);
	assert_int_equal(td_store_dup_index(sdb, "MET-NOPE", &err),
			 TD_ENOTFOUND);

	/* An edit of the dossier (queue screen) keeps the keys in step:
	 * the new name is found. */
	assert_int_equal(td_app_dossier_get(app, ref, &d, &err), TD_OK);
	snprintf(d.v.last_name, sizeof d.v.last_name, "Wagner");
	assert_int_equal(td_store_dossier_update(sdb, &d, NULL, "t",
						 "2026-11-23T11:00:00Z", &err),
			 TD_OK);
	td_store_close(sdb);
	fill(&in, "Wganer", "Sophie", "", "", "", "");
	assert_int_equal(lookup(app, &in, m), 1);
	assert_string_equal(m[0].reference, ref);
	td_app_close(app);
}

static void demo_data_is_indexed(void **state)
{
	struct td_app *app = NULL;
	struct td_query f;
	struct td_queue_row rows[1];
	struct td_dossier d;
	struct td_intake in;
	struct td_dup_match m[TD_DUP_MAX];
	td_err err = { 0 };
	int n;

	open_app(&app);
	assert_int_equal(td_app_demo_fill(app, 30, 7, &err), TD_OK);
	td_query_init(&f);
	assert_int_equal(td_app_queue_seek(app, &f, NULL, TD_SEEK_AFTER, 1, rows,
					   &n, &err), TD_OK);
	assert_int_equal(n, 1);
	assert_int_equal(td_app_dossier_get(app, rows[0].d.reference, &d, &err),
			 TD_OK);
	in = d.v;
	assert_true(lookup(app, &in, m) >= 1);
	bool found = false;
	for (int i = 0; i < TD_DUP_MAX; i++)
		if (strcmp(m[i].reference, d.reference) == 0)
			found = true;
	assert_true(found);
	td_app_close(app);
}

static void config_weights(void **state)
{
	struct td_config cfg;
	td_err err = { 0 };

	write_config("duplicates = { threshold = 70; email = 95; };");
	assert_int_equal(td_config_load(conf, &cfg, &err), TD_OK);
	assert_int_equal(cfg.dup.threshold, 70);
	assert_int_equal(cfg.dup.email, 95);
	struct td_dup_weights def;
	td_dup_weights_default(&def);
	assert_int_equal(cfg.dup.phone, def.phone);
	td_config_free(&cfg);

	write_config("duplicates = {\n  threshold = 0;\n};");
	assert_int_equal(td_config_load(conf, &cfg, &err), TD_ECONFIG);
	assert_non_null(strstr(err.msg, ":5:"));
	assert_non_null(strstr(err.msg, "threshold"));

	write_config("duplicates = {\n  emial = 10;\n};");
	assert_int_equal(td_config_load(conf, &cfg, &err), TD_ECONFIG);
	assert_non_null(strstr(err.msg, "emial"));

	write_config("duplicates = { phone = \"high\"; };");
	assert_int_equal(td_config_load(conf, &cfg, &err), TD_ECONFIG);
	assert_non_null(strstr(err.msg, "phone"));
	write_config("");
}

/* Reception at Metz typing the phone of someone followed at Nancy learns
 * where (the site, the reference) and why (the phone), not who nor in
 * what state; "not the same person" said at Metz is Metz's decision:
 * Nancy's desk still sees the match. */
static void other_site_where_and_why_only(void **state)
{
	struct td_app *app = NULL;
	struct td_intake in;
	struct td_dup_match m[TD_DUP_MAX];
	char ref[TD_REF_SIZE];
	td_err err = { 0 };

	write_config_as("reception", "NAN", "");
	open_app(&app);
	fill(&in, "Nanceien", "Jeanne", "", "06 98 76 54 32", "54000", "");
	reg(app, &in, ref);
	td_app_close(app);

	write_config_as("reception", "MET", "");
	open_app(&app);
	fill(&in, "Durand", "Paul", "", "06 98 76 54 32", "", "");
	assert_int_equal(lookup(app, &in, m), 1);
	assert_true(m[0].other_site);
	assert_string_equal(m[0].reference, ref);
	assert_string_equal(m[0].site, "NAN");
	assert_int_equal(m[0].reasons, TD_DUP_PHONE);
	assert_string_equal(m[0].last_name, "");
	assert_string_equal(m[0].first_name, "");
	assert_string_equal(m[0].created_at, "");
	assert_int_equal(m[0].status, -1);
	/* Not the same person, says Metz. */
	assert_int_equal(td_app_dup_dismiss(app, &m[0], &err), TD_OK);
	assert_int_equal(lookup(app, &in, m), 0);
	td_app_close(app);

	/* Nancy's desk knows her and still sees the match, in full. */
	write_config_as("reception", "NAN", "");
	open_app(&app);
	assert_int_equal(lookup(app, &in, m), 1);
	assert_false(m[0].other_site);
	assert_string_equal(m[0].last_name, "Nanceien");
	assert_int_equal(m[0].status, TD_ST_NEW);
	td_app_close(app);

	/* An officer (here of the coordination office) sees every site's
	 * dossiers in full. */
	write_config_as("officer", "COO", "");
	open_app(&app);
	assert_int_equal(lookup(app, &in, m), 1);
	assert_false(m[0].other_site);
	assert_string_equal(m[0].last_name, "Nanceien");
	td_app_close(app);
	write_config("");
}

int main(void)
{
	if (!mkdtemp(dir))
		return 1;
	snprintf(db, sizeof db, "%s/t.db", dir);
	snprintf(conf, sizeof conf, "%s/t.conf", dir);
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(finds_registered, setup, teardown),
		cmocka_unit_test_setup_teardown(dismiss_until_new_evidence, setup,
						teardown),
		cmocka_unit_test_setup_teardown(index_forget_and_rebuild, setup,
						teardown),
		cmocka_unit_test_setup_teardown(other_site_where_and_why_only, setup,
						teardown),
		cmocka_unit_test_setup_teardown(demo_data_is_indexed, setup,
						teardown),
		cmocka_unit_test_setup_teardown(config_weights, setup, teardown),
	};
	int rc = cmocka_run_group_tests(tests, NULL, NULL);
	unlink(conf);
	rmdir(dir);
	return rc;
}
