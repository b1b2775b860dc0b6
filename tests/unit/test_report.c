/* Statistics: fixed dossiers and referrals give exact numbers; median,
 * rates and bars; the goals section of the configuration. */
#include "totemdesk/agenda.h"
#include "totemdesk/app.h"
#include "totemdesk/domain.h"
#include "totemdesk/report.h"
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
#include <time.h>
#include <unistd.h>

static char dir[] = "/tmp/td-report-XXXXXX";
static char db[300], conf[300];

static const char *login(void)
{
	struct passwd *pw = getpwuid(geteuid());
	return pw->pw_name;
}

static void write_file(const char *path, const char *text)
{
	FILE *f = fopen(path, "w");
	assert_non_null(f);
	fputs(text, f);
	fclose(f);
}

static void write_config(const char *role, const char *goals)
{
	char text[4096];
	snprintf(text, sizeof text,
		 "site = \"MET\";\ndatabase = \"%s\";\n"
		 "users = ( { login = \"%s\"; name = \"Zoé Test\"; role = \"%s\"; site = \"MET\"; } );\n"
		 "%s",
		 db, login(), role, goals);
	write_file(conf, text);
}

static const char goals_ok[] =
	"goals = (\n"
	"  { name = \"Startups accompagnées\"; target = 4;\n"
	"    from = \"2025-01-01\"; to = \"2026-12-31\";\n"
	"    status = [ \"supported\", \"closed\" ]; },\n"
	"  { name = \"Idées\"; target = 10; from = \"2026-01-01\";\n"
	"    to = \"2026-12-31\"; status = [ \"new\" ]; }\n"
	");\n";

struct fixture {
	const char *site, *at, *status, *stage, *sector, *needs;
};

/* Five dossiers in 2026 and one the last hour of 2025 (UTC). */
static const struct fixture dossiers[] = {
	{ "MET", "2026-01-10T09:00:00Z", "new", "idea", "retail",
	  "advice|funding" },
	{ "MET", "2026-01-20T09:00:00Z", "referred", "seed", "retail", "funding" },
	{ "MET", "2026-02-05T09:00:00Z", "supported", "seed", "fintech",
	  "funding|hosting" },
	{ "NAN", "2026-02-10T09:00:00Z", "closed", "creation", "fintech",
	  "advice" },
	{ "NAN", "2026-03-01T09:00:00Z", "supported", "seed", "healthtech",
	  "networking" },
	{ "EPI", "2025-12-31T23:00:00Z", "supported", "growth", "other",
	  "advice" },
};
#define NDOSSIERS (sizeof dossiers / sizeof dossiers[0])
static char ids[NDOSSIERS][TD_ID_SIZE];

struct ref_fixture {
	int dossier;
	const char *partner, *status, *at;
};

/* First referral after 2, 1, 5 and 9 days for dossiers 1, 2, 3, 4; the
 * proposal to Alpha for dossier 4 was never sent. */
static const struct ref_fixture referrals[] = {
	{ 1, "p-alpha", "sent", "2026-01-22T09:00:00Z" },
	{ 2, "p-alpha", "accepted", "2026-02-09T09:00:00Z" },
	{ 2, "p-beta", "declined", "2026-02-06T09:00:00Z" },
	{ 3, "p-beta", "accepted", "2026-02-15T09:00:00Z" },
	{ 4, "p-alpha", "proposed", "2026-03-02T09:00:00Z" },
	{ 4, "p-beta", "no_answer", "2026-03-10T09:00:00Z" },
};

static void exec(sqlite3 *h, const char *sql)
{
	char *msg = NULL;
	if (sqlite3_exec(h, sql, NULL, NULL, &msg) != SQLITE_OK)
		fail_msg("%s: %s", sql, msg);
}

/* The referral table grows columns with the routing work; fill the
 * NOT NULL ones this database has. */
static bool has_column(sqlite3 *h, const char *table, const char *col)
{
	char sql[128];
	sqlite3_stmt *st;
	bool yes = false;
	snprintf(sql, sizeof sql, "PRAGMA table_info(%s)", table);
	assert_int_equal(sqlite3_prepare_v2(h, sql, -1, &st, NULL), SQLITE_OK);
	while (sqlite3_step(st) == SQLITE_ROW)
		if (strcmp((const char *)sqlite3_column_text(st, 1), col) == 0)
			yes = true;
	sqlite3_finalize(st);
	return yes;
}

static int setup(void **state)
{
	td_err err = { 0 };
	td_db *h;
	char cmd[1000];

	setenv("TZ", "UTC", 1);
	tzset();
	snprintf(cmd, sizeof cmd, "rm -f %s %s-wal %s-shm", db, db, db);
	if (system(cmd) != 0 || td_app_init_db(db, &err) != TD_OK)
		return -1;
	if (td_store_open(db, 0, &h, &err) != TD_OK)
		return -1;
	for (size_t i = 0; i < NDOSSIERS; i++) {
		const struct fixture *f = &dossiers[i];
		struct td_dossier d;
		memset(&d, 0, sizeof d);
		snprintf(d.reference, sizeof d.reference, "%s-2026-%04zu", f->site,
			 i + 1);
		snprintf(d.site, sizeof d.site, "%s", f->site);
		snprintf(d.created_at, sizeof d.created_at, "%s", f->at);
		snprintf(d.v.last_name, sizeof d.v.last_name, "Nom%zu", i);
		snprintf(d.v.first_name, sizeof d.v.first_name, "Zoé");
		d.status = td_enum_find(&td_statuses, f->status);
		d.v.stage = td_enum_find(&td_stages, f->stage);
		d.v.sector = td_enum_find(&td_sectors, f->sector);
		td_needs_parse(f->needs, &d.v.needs, NULL, NULL);
		d.v.consent = true;
		if (td_store_new_id(f->site, d.id, &err) ||
		    td_store_new_id(f->site, d.holder_id, &err) ||
		    td_store_dossier_insert(h, &d, &err)) {
			fprintf(stderr, "insert: %s\n", err.msg);
			return -1;
		}
		memcpy(ids[i], d.id, sizeof ids[i]);
	}
	td_store_close(h);

	sqlite3 *s;
	assert_int_equal(sqlite3_open(db, &s), SQLITE_OK);
	exec(s, "INSERT INTO partner(id, name, created_at, updated_at) VALUES"
		" ('p-alpha', 'Alpha', '2026-01-01T00:00:00Z', '2026-01-01T00:00:00Z'),"
		" ('p-beta', 'Beta', '2026-01-01T00:00:00Z', '2026-01-01T00:00:00Z')");
	bool status_at = has_column(s, "referral", "status_at");
	for (size_t i = 0; i < sizeof referrals / sizeof *referrals; i++) {
		const struct ref_fixture *r = &referrals[i];
		char sql[600];
		snprintf(sql, sizeof sql,
			 "INSERT INTO referral(id, dossier_id, partner_id, status,"
			 " created_at, updated_at%s) VALUES('r%zu', '%s', '%s', '%s',"
			 " '%s', '%s'%s%s%s)",
			 status_at ? ", status_at" : "", i, ids[r->dossier],
			 r->partner, r->status, r->at, r->at,
			 status_at ? ", '" : "", status_at ? r->at : "",
			 status_at ? "'" : "");
		exec(s, sql);
	}
	sqlite3_close(s);
	return 0;
}

static void open_app(struct td_app **app)
{
	struct td_app_options o = { .config_path = conf, .need_user = true,
				    .need_config = true };
	td_err err = { 0 };
	if (td_app_open(app, &o, &err))
		fail_msg("open: %s", err.msg);
}

static long status_n(const struct td_report *r, const char *code)
{
	return r->by_status[td_enum_find(&td_statuses, code)];
}

static void report_counts_exactly(void **state)
{
	struct td_app *app = NULL;
	struct td_report r = { 0 };
	struct td_report_query q = { "2026-01-01", "2026-12-31", NULL };
	td_err err = { 0 };

	write_config("officer", goals_ok);
	open_app(&app);
	assert_int_equal(td_app_report(app, &q, &r, &err), TD_OK);
	assert_int_equal(r.total, 5);
	assert_int_equal(status_n(&r, "new"), 1);
	assert_int_equal(status_n(&r, "referred"), 1);
	assert_int_equal(status_n(&r, "supported"), 2);
	assert_int_equal(status_n(&r, "closed"), 1);
	assert_int_equal(r.by_stage[td_enum_find(&td_stages, "seed")], 3);
	assert_int_equal(r.by_stage[td_enum_find(&td_stages, "growth")], 0);
	assert_int_equal(r.by_sector[td_enum_find(&td_sectors, "fintech")], 2);
	assert_int_equal(r.by_need[td_enum_find(&td_needs, "funding")], 3);
	assert_int_equal(r.by_need[td_enum_find(&td_needs, "advice")], 2);
	assert_int_equal(r.by_need[td_enum_find(&td_needs, "networking")], 1);

	assert_int_equal(r.nmonths, 4);
	assert_string_equal(r.months[0].site, "MET");
	assert_string_equal(r.months[0].month, "2026-01");
	assert_int_equal(r.months[0].n, 2);
	assert_string_equal(r.months[3].site, "NAN");
	assert_string_equal(r.months[3].month, "2026-03");
	assert_int_equal(r.months[3].n, 1);

	/* Beta: declined, accepted, no answer; Alpha: sent, accepted (the
	 * unsent proposal does not count). */
	assert_int_equal(r.npartners, 2);
	assert_string_equal(r.partners[0].id, "p-beta");
	assert_int_equal(r.partners[0].sent, 3);
	assert_int_equal(r.partners[0].accepted, 1);
	assert_string_equal(r.partners[1].name, "Alpha");
	assert_int_equal(r.partners[1].sent, 2);
	assert_int_equal(r.partners[1].accepted, 1);

	/* First referral after 2, 1, 5, 9 days: median 3.5. */
	assert_int_equal(r.referred, 4);
	assert_true(r.median_days > 3.49 && r.median_days < 3.51);

	/* Goals keep their own period: the EPI dossier of 2025 counts. */
	assert_int_equal(r.ngoals, 2);
	assert_string_equal(r.goals[0].name, "Startups accompagnées");
	assert_int_equal(r.goals[0].done, 4);
	assert_int_equal(r.goals[0].target, 4);
	assert_int_equal(r.goals[1].done, 1);
	td_report_free(&r);
	td_app_close(app);
}

static void report_by_site_and_permissions(void **state)
{
	struct td_app *app = NULL;
	struct td_report r = { 0 };
	struct td_report_query q = { NULL, NULL, "MET" };
	td_err err = { 0 };

	write_config("officer", "");
	open_app(&app);
	assert_int_equal(td_app_report(app, &q, &r, &err), TD_OK);
	assert_int_equal(r.total, 3);
	/* MET: Alpha sent+accepted, Beta declined; delays 2 and 1. */
	assert_int_equal(r.npartners, 2);
	assert_string_equal(r.partners[0].id, "p-alpha");
	assert_int_equal(r.partners[0].sent, 2);
	assert_int_equal(r.partners[1].accepted, 0);
	assert_true(r.median_days > 1.49 && r.median_days < 1.51);
	assert_int_equal(r.ngoals, 0);

	/* The period is inclusive of both days. */
	q.site = NULL;
	q.from = "2026-02-05";
	q.to = "2026-02-10";
	assert_int_equal(td_app_report(app, &q, &r, &err), TD_OK);
	assert_int_equal(r.total, 2);

	q.from = "2026-02-31";
	assert_int_equal(td_app_report(app, &q, &r, &err), TD_EINVAL);
	assert_non_null(strstr(err.msg, "--from"));
	q.from = "2026-03-01";
	q.to = "2026-02-01";
	assert_int_equal(td_app_report(app, &q, &r, &err), TD_EINVAL);
	q.from = q.to = NULL;
	q.site = "XYZ";
	assert_int_equal(td_app_report(app, &q, &r, &err), TD_EINVAL);
	td_app_close(app);

	/* Reception staff get their own site, and only it. */
	write_config("reception", "");
	open_app(&app);
	q.site = NULL;
	assert_int_equal(td_app_report(app, &q, &r, &err), TD_OK);
	assert_int_equal(r.total, 3);
	assert_string_equal(r.site, "MET");
	q.site = "NAN";
	assert_int_equal(td_app_report(app, &q, &r, &err), TD_EPERM);
	td_report_free(&r);
	td_app_close(app);
}

static void report_without_referrals(void **state)
{
	struct td_app *app = NULL;
	struct td_report r = { 0 };
	struct td_report_query q = { NULL, NULL, NULL };
	td_err err = { 0 };
	sqlite3 *s;

	assert_int_equal(sqlite3_open(db, &s), SQLITE_OK);
	exec(s, "DELETE FROM referral");
	sqlite3_close(s);
	write_config("officer", "");
	open_app(&app);
	assert_int_equal(td_app_report(app, &q, &r, &err), TD_OK);
	assert_int_equal(r.total, 6);
	assert_int_equal(r.npartners, 0);
	assert_int_equal(r.referred, 0);
	assert_true(r.median_days < 0);
	struct td_buf b;
	td_buf_init(&b);
	assert_int_equal(td_report_write(&r, TD_REPORT_JSON, true, &b), TD_OK);
	assert_non_null(strstr(b.data, "\"median_days_to_first_referral\": null"));
	td_buf_free(&b);
	td_report_free(&r);
	td_app_close(app);
}

static void median_rate_and_bars(void **state)
{
	double odd[] = { 9, 1, 5 };
	double even[] = { 4, 1, 3, 2 };
	char bar[128];

	assert_true(td_report_median(odd, 3) == 5);
	assert_true(td_report_median(even, 4) == 2.5);
	assert_true(td_report_median(NULL, 0) < 0);
	assert_true(td_report_rate(1, 3) > 33.33 && td_report_rate(1, 3) < 33.34);
	assert_true(td_report_rate(5, 0) == 0);

	assert_int_equal(td_report_bar(5, 10, 10, false, bar, sizeof bar), 5);
	assert_string_equal(bar, "#####");
	/* A small value still shows one cell; zero shows none. */
	assert_int_equal(td_report_bar(1, 1000, 10, false, bar, sizeof bar), 1);
	assert_string_equal(bar, "#");
	assert_int_equal(td_report_bar(0, 10, 10, false, bar, sizeof bar), 0);
	assert_string_equal(bar, "");
	/* 10/16 of 4 cells = 2.5 cells: two full blocks and a half. */
	assert_int_equal(td_report_bar(10, 16, 4, true, bar, sizeof bar), 3);
	assert_string_equal(bar, "\u2588\u2588\u258c");
	/* 1/32 of 4 cells = one eighth. */
	assert_int_equal(td_report_bar(1, 32, 4, true, bar, sizeof bar), 1);
	assert_string_equal(bar, "\u258f");
	assert_int_equal(td_report_bar(7, 7, 3, true, bar, sizeof bar), 3);
	assert_string_equal(bar, "\u2588\u2588\u2588");
}

/* A goal's bar and its percentage say the same (issue 11.5): both count
 * what is done, never rounded up to look further on, with a decimal
 * below 1 %.  "[#  ] 2/300 0%" said 3 % and 0 % at once. */
static void goal_bar_and_percent_agree(void **state)
{
	static const struct {
		long done, target;
		bool utf8;
		const char *bar, *pct;
	} t[] = {
		{ 2, 300, false, "", "0.6%" },
		{ 2, 300, true, "\u258f", "0.6%" },   /* 1.6 eighths: one */
		{ 1, 2000, false, "", "<0.1%" },
		{ 3, 300, false, "", "1%" },          /* 0.3 of a cell */
		{ 10, 300, false, "#", "3%" },
		{ 299, 300, false, "#############################", "99%" },
		{ 300, 300, false, "##############################", "100%" },
		{ 450, 300, false, "##############################", "150%" },
		{ 0, 300, true, "", "0%" },
	};
	for (size_t i = 0; i < sizeof t / sizeof *t; i++) {
		char bar[128], pct[16];
		int cols = td_report_progress(t[i].done, t[i].target, 30,
					      t[i].utf8, bar, sizeof bar, pct,
					      sizeof pct);
		if (strcmp(bar, t[i].bar) || strcmp(pct, t[i].pct))
			fail_msg("%ld/%ld: [%s] %s, want [%s] %s", t[i].done,
				 t[i].target, bar, pct, t[i].bar, t[i].pct);
		assert_true(cols <= 30);
	}

	/* The report's text says it the same way. */
	struct td_report r = { .ngoals = 1, .median_days = -1 };
	struct td_buf b;
	snprintf(r.goals[0].name, sizeof r.goals[0].name, "Startups");
	r.goals[0].done = 2;
	r.goals[0].target = 300;
	snprintf(r.goals[0].from, 11, "2026-01-01");
	snprintf(r.goals[0].to, 11, "2028-12-31");
	td_buf_init(&b);
	assert_int_equal(td_report_write(&r, TD_REPORT_TEXT, false, &b), TD_OK);
	if (!strstr(b.data, "  [                              ] 2/300 0.6%\n"))
		fail_msg("goal line not found in:\n%s", b.data);
	td_buf_free(&b);
}

static void report_formats(void **state)
{
	struct td_app *app = NULL;
	struct td_report r = { 0 };
	struct td_report_query q = { "2026-01-01", "2026-12-31", NULL };
	struct td_buf b;
	td_err err = { 0 };

	write_config("officer", goals_ok);
	open_app(&app);
	assert_int_equal(td_app_report(app, &q, &r, &err), TD_OK);
	td_app_close(app);
	td_buf_init(&b);

	assert_int_equal(td_report_write(&r, TD_REPORT_CSV, false, &b), TD_OK);
	assert_non_null(strstr(b.data, "section,key,label,value,value2,rate\r\n"));
	assert_non_null(strstr(b.data, "\r\npartner,p-beta,Beta,3,1,33.3\r\n"));
	assert_non_null(strstr(b.data, "\r\nsite_month,2026-02,NAN,1,,\r\n"));
	assert_non_null(strstr(b.data, "\r\nmedian_days,,,3.5,4,\r\n"));
	assert_non_null(strstr(b.data,
		"\r\ngoal,2025-01-01..2026-12-31,Startups accompagnées,4,4,100\r\n"));

	td_buf_reset(&b);
	assert_int_equal(td_report_write(&r, TD_REPORT_JSON, false, &b), TD_OK);
	assert_non_null(strstr(b.data, "\"median_days_to_first_referral\": 3.5"));
	assert_non_null(strstr(b.data, "\"conversion_percent\": 33.3"));
	assert_non_null(strstr(b.data, "\"total\": 5"));

	/* Text: blocks in UTF-8, '#' otherwise, never both. */
	td_buf_reset(&b);
	assert_int_equal(td_report_write(&r, TD_REPORT_TEXT, true, &b), TD_OK);
	assert_non_null(strstr(b.data, "\u2588"));
	assert_non_null(strstr(b.data, "4/4 100%"));
	td_buf_reset(&b);
	assert_int_equal(td_report_write(&r, TD_REPORT_TEXT, false, &b), TD_OK);
	assert_null(strstr(b.data, "\u2588"));
	assert_non_null(strstr(b.data, "##############################] 4/4"));
	/* Headings right-aligned over their numbers; the median line one
	 * message with its plural, not "label: value" glued in code. */
	assert_non_null(strstr(b.data, "      sent  accepted conversion\n"));
	assert_non_null(strstr(b.data, "         3         1      33.3%\n"));
	assert_non_null(strstr(b.data,
		"\nMedian days from intake to first referral: 3.5 (4 dossiers referred)\n"));
	td_buf_free(&b);
	td_report_free(&r);
}

/* Load a config whose goals section is text; returns the status. */
static int load_goals(const char *goals, struct td_config *cfg, td_err *err)
{
	write_config("officer", goals);
	return td_config_load(conf, cfg, err);
}

static void goals_config(void **state)
{
	struct td_config cfg;
	td_err err = { 0 };
	char want[400];

	assert_int_equal(load_goals(goals_ok, &cfg, &err), TD_OK);
	assert_int_equal(cfg.ngoals, 2);
	assert_string_equal(cfg.goals[0].name, "Startups accompagnées");
	assert_int_equal(cfg.goals[0].target, 4);
	assert_string_equal(cfg.goals[0].from, "2025-01-01");
	assert_string_equal(cfg.goals[0].to, "2026-12-31");
	assert_int_equal(cfg.goals[0].statuses,
			 1u << TD_ST_SUPPORTED | 1u << TD_ST_CLOSED);
	td_config_free(&cfg);

	static const struct {
		const char *text;
		int line;
		const char *says;
	} bad[] = {
		{ "goals = ( { name = \"G\"; from = \"2026-01-01\";\n"
		  "  to = \"2026-12-31\"; status = [\"new\"]; } );\n", 4,
		  "\"target\"" },
		{ "goals = ( { name = \"G\"; target = 0; from = \"2026-01-01\";\n"
		  "  to = \"2026-12-31\"; status = [\"new\"]; } );\n", 4,
		  "between 1 and" },
		{ "goals = ( { name = \"G\"; target = 5;\n"
		  "  from = \"2026-02-30\";\n"
		  "  to = \"2026-12-31\"; status = [\"new\"]; } );\n", 5,
		  "2026-02-30" },
		{ "goals = ( { name = \"G\"; target = 5; from = \"2026-01-01\";\n"
		  "  to = \"2026-12-31\";\n"
		  "  status = [\"new\", \"won\"]; } );\n", 6, "\"won\"" },
		{ "goals = ( { name = \"G\"; target = 5; from = \"2026-06-01\";\n"
		  "  to = \"2026-01-31\"; status = [\"new\"]; } );\n", 5,
		  "before it starts" },
		{ "goals = ( { name = \"G\"; target = 5; from = \"2026-01-01\";\n"
		  "  to = \"2026-12-31\"; status = [\"new\"]; colour = 1; } );\n",
		  5, "\"colour\"" },
		{ "goals = { name = \"G\"; };\n", 4, "must be a list" },
	};
	for (size_t i = 0; i < sizeof bad / sizeof *bad; i++) {
		assert_int_equal(load_goals(bad[i].text, &cfg, &err), TD_ECONFIG);
		snprintf(want, sizeof want, "%s:%d: ", conf, bad[i].line);
		if (strncmp(err.msg, want, strlen(want)) != 0 ||
		    !strstr(err.msg, bad[i].says))
			fail_msg("case %zu: got \"%s\", want \"%s...%s\"", i,
				 err.msg, want, bad[i].says);
	}
}

/* Wednesday 11 March 2026: the week ends on Sunday the 15th. */
static void agenda_buckets(void **state)
{
	struct td_app *app = NULL;
	struct td_agenda a = { 0 };
	td_err err = { 0 };
	sqlite3 *s;
	char sql[300];

	assert_int_equal(sqlite3_open(db, &s), SQLITE_OK);
	/* Open referrals: proposed (today), sent (Saturday); closed ones
	 * (accepted, no answer) never show. */
	exec(s, "UPDATE referral SET followup_on = '2026-03-11' WHERE id = 'r4'");
	exec(s, "UPDATE referral SET followup_on = '2026-03-14' WHERE id = 'r0'");
	exec(s, "UPDATE referral SET followup_on = '2026-03-10' WHERE id = 'r1'");
	exec(s, "UPDATE referral SET followup_on = '2026-03-12' WHERE id = 'r5'");
	snprintf(sql, sizeof sql,
		 "UPDATE dossier SET assigned_to = '%s' WHERE id = '%s'", login(),
		 ids[1]);
	exec(s, sql);
	sqlite3_close(s);

	setenv("TOTEMDESK_NOW", "2026-03-11T10:00:00Z", 1);
	/* The queue's follow-up rule: five working days, one a holiday. */
	write_config("officer",
		     "followup = { delay = 5; holidays = [ \"2026-01-14\" ]; };\n");
	open_app(&app);
	assert_int_equal(td_app_agenda(app, false, &a, &err), TD_OK);
	assert_string_equal(a.today, "2026-03-11");
	assert_string_equal(a.week_end, "2026-03-15");
	assert_int_equal(a.n, 3);
	/* The only new dossier waits since Saturday 10 January: five
	 * working days later, skipping the holiday of the 14th. */
	assert_int_equal(a.items[0].kind, TD_AG_DOSSIER);
	assert_string_equal(a.items[0].due, "2026-01-19");
	assert_string_equal(a.items[0].reference, "MET-2026-0001");
	assert_int_equal(a.items[0].when, TD_AG_OVERDUE);
	assert_int_equal(a.items[1].kind, TD_AG_REFERRAL);
	assert_string_equal(a.items[1].partner, "Alpha");
	assert_string_equal(a.items[1].reference, "NAN-2026-0005");
	assert_int_equal(a.items[1].when, TD_AG_TODAY);
	assert_string_equal(a.items[2].due, "2026-03-14");
	assert_int_equal(a.items[2].when, TD_AG_WEEK);
	assert_int_equal(a.count[TD_AG_OVERDUE], 1);
	assert_int_equal(a.count[TD_AG_TODAY], 1);
	assert_int_equal(a.count[TD_AG_WEEK], 1);

	/* Mine: only the dossier assigned to me. */
	assert_int_equal(td_app_agenda(app, true, &a, &err), TD_OK);
	assert_int_equal(a.n, 1);
	assert_string_equal(a.items[0].reference, "MET-2026-0002");
	td_agenda_free(&a);
	td_app_close(app);
	unsetenv("TOTEMDESK_NOW");
}

static int group_setup(void **state)
{
	if (!mkdtemp(dir))
		return -1;
	snprintf(db, sizeof db, "%s/t.db", dir);
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
		cmocka_unit_test_setup(report_counts_exactly, setup),
		cmocka_unit_test_setup(report_by_site_and_permissions, setup),
		cmocka_unit_test_setup(report_without_referrals, setup),
		cmocka_unit_test(median_rate_and_bars),
		cmocka_unit_test(goal_bar_and_percent_agree),
		cmocka_unit_test_setup(report_formats, setup),
		cmocka_unit_test(goals_config),
		cmocka_unit_test_setup(agenda_buckets, setup),
	};
	return cmocka_run_group_tests(tests, group_setup, group_teardown);
}
