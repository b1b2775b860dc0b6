/* Data protection (issue 14) against a real SQLite file through the app:
 * the field history and its timeline lines, an audit log that never
 * holds a personal value, erasure that leaves none of the person's bytes
 * in the database file or its -wal. */
#include "totemdesk/app.h"
#include "totemdesk/domain.h"
#include "totemdesk/queue.h"
#include "totemdesk/privacy.h"
#include "totemdesk/referral.h"
#include "store/privacy.h"
#include "store/store.h"

#include <setjmp.h>
/* The session extension's declarations (the exchange's outbox). */
#define SQLITE_ENABLE_SESSION 1
#define SQLITE_ENABLE_PREUPDATE_HOOK 1
#include <sqlite3.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <pwd.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "tmpdir.h"

/* The version of referral id as a screen showing it now holds it: what
 * a change checks (issue 13 point 2). */
static int rv(struct td_app *app, const char *id)
{
	struct td_referral r;
	td_err err = { 0 };
	return td_app_referral_get(app, id, &r, &err) == TD_OK ? r.version
							       : -1;
}

static char dir[64], db[300], conf[300];

/* The personal values of the holder registered by setup, and those an
 * edit gives them: none may ever reach the audit log. */
static const char *const personal[] = {
	"Lefèvre", "Zoé", "zoe.lefevre@exemple.fr", "+33612345678",
	"Marly", "Woippy", "Épicerie vrac", "Vente en vrac de produits locaux",
	"Lefebvre", "zoe.l@exemple.fr", "Rendez-vous pris avec la banque",
	"Présentée comme porteuse motivée",
};

static const char *login(void)
{
	struct passwd *pw = getpwuid(geteuid());
	return pw->pw_name;
}

static const char *extra_config = "";

static void write_config(const char *role)
{
	FILE *f = fopen(conf, "w");
	assert_non_null(f);
	fprintf(f, "site = \"MET\";\ndatabase = \"%s\";\n"
		   "users = ( { login = \"%s\"; name = \"Test\"; role = \"%s\"; site = \"MET\"; } );\n%s",
		db, login(), role, extra_config);
	fclose(f);
}

static struct td_app *open_app(void)
{
	struct td_app *app = NULL;
	struct td_app_options o = { .config_path = conf, .site = "MET",
				    .need_user = true, .need_config = true };
	td_err err = { 0 };
	if (td_app_open(&app, &o, &err))
		fail_msg("open: %s", err.msg);
	return app;
}

static char ref[TD_REF_SIZE];

static int setup(void **state)
{
	(void)state;
	td_err err = { 0 };
	struct td_intake in;

	tmpdb_remove(db);
	if (td_app_init_db(db, &err) != TD_OK)
		return -1;
	write_config("officer");
	setenv("TOTEMDESK_NOW", "2026-12-01T09:00:00Z", 1);
	struct td_app *app = open_app();
	memset(&in, 0, sizeof in);
	strcpy(in.last_name, "Lefèvre");
	strcpy(in.first_name, "Zoé");
	strcpy(in.email, "zoe.lefevre@exemple.fr");
	strcpy(in.phone, "06 12 34 56 78");
	strcpy(in.postcode, "57000");
	strcpy(in.city, "Marly");
	strcpy(in.title, "Épicerie vrac");
	strcpy(in.description, "Vente en vrac de produits locaux");
	in.needs = 1u << td_enum_find(&td_needs, "funding");
	in.consent = true;
	if (td_app_register(app, &in, ref, NULL, &err))
		fail_msg("register: %s", err.msg);
	td_app_close(app);
	return 0;
}

struct lines {
	char text[16][1200];
	char action[16][32];
	int n;
};

static int on_event(const struct td_event *e, void *ctx)
{
	struct lines *l = ctx;
	if (l->n < 16) {
		td_app_event_detail(e->action, e->detail, l->text[l->n],
				    sizeof l->text[0]);
		snprintf(l->action[l->n], sizeof l->action[0], "%s", e->action);
		l->n++;
	}
	return 0;
}

/* Every text of every audit row, searched for every personal value. */
static void audit_holds_no_personal_value(const char *when)
{
	sqlite3 *h = NULL;
	sqlite3_stmt *st = NULL;
	assert_int_equal(sqlite3_open_v2(db, &h, SQLITE_OPEN_READONLY, NULL),
			 SQLITE_OK);
	assert_int_equal(sqlite3_prepare_v2(h, "SELECT * FROM audit", -1, &st,
					    NULL), SQLITE_OK);
	/* The columns are what the test knows: a new one must be looked
	 * at here before it is trusted. */
	assert_int_equal(sqlite3_column_count(st), 8);
	int rows = 0;
	while (sqlite3_step(st) == SQLITE_ROW) {
		rows++;
		for (int c = 0; c < sqlite3_column_count(st); c++) {
			const char *v = (const char *)sqlite3_column_text(st, c);
			for (size_t p = 0; v && p < sizeof personal / sizeof *personal; p++)
				if (strstr(v, personal[p]))
					fail_msg("after %s: audit column %s holds \"%s\": %s",
						 when, sqlite3_column_name(st, c),
						 personal[p], v);
		}
	}
	assert_true(rows > 0);
	sqlite3_finalize(st);
	sqlite3_close(h);
}

/* Point 2: each change of a field keeps who, when, the old and the new
 * value, and the timeline reads "City: Marly -> Woippy"; the audit of an
 * intake, an edit, a note and a referral holds none of those values. */
static void field_history_and_clean_audit(void **state)
{
	(void)state;
	td_err err = { 0 };
	struct td_dossier d;
	struct lines l = { 0 };
	char id[TD_ID_SIZE];

	audit_holds_no_personal_value("an intake");
	setenv("TOTEMDESK_NOW", "2026-12-02T10:00:00Z", 1);
	struct td_app *app = open_app();
	assert_int_equal(td_app_dossier_get(app, ref, &d, &err), TD_OK);
	struct td_intake in = d.v;
	strcpy(in.city, "Woippy");
	strcpy(in.last_name, "Lefebvre");
	strcpy(in.email, "zoe.l@exemple.fr");
	in.stage = td_enum_find(&td_stages, "idea");
	assert_int_equal(td_app_dossier_edit(app, ref, &in, d.version, NULL,
					     &err), TD_OK);
	audit_holds_no_personal_value("an edit");

	assert_int_equal(td_app_timeline(app, d.id, on_event, &l, &err), TD_OK);
	int fields = 0;
	bool city = false, edit = false;
	for (int i = 0; i < l.n; i++) {
		if (strcmp(l.action[i], "field") == 0)
			fields++;
		if (strcmp(l.text[i], "City: Marly -> Woippy") == 0)
			city = true;
		edit |= strcmp(l.action[i], "edit") == 0;
	}
	assert_int_equal(fields, 4);
	assert_true(city);
	assert_false(edit); /* the history says it all */

	/* Who and when, in the history table. */
	sqlite3 *h = NULL;
	sqlite3_stmt *st = NULL;
	assert_int_equal(sqlite3_open_v2(db, &h, SQLITE_OPEN_READONLY, NULL),
			 SQLITE_OK);
	assert_int_equal(sqlite3_prepare_v2(h,
		"SELECT actor, at, old_value, new_value FROM field_change"
		" WHERE field = 'city'", -1, &st, NULL), SQLITE_OK);
	assert_int_equal(sqlite3_step(st), SQLITE_ROW);
	assert_string_equal((const char *)sqlite3_column_text(st, 0), login());
	assert_string_equal((const char *)sqlite3_column_text(st, 1),
			    "2026-12-02T10:00:00Z");
	assert_string_equal((const char *)sqlite3_column_text(st, 2), "Marly");
	assert_string_equal((const char *)sqlite3_column_text(st, 3), "Woippy");
	sqlite3_finalize(st);
	sqlite3_close(h);

	const char *one[] = { ref };
	assert_int_equal(td_app_queue_note(app, one, NULL, 1,
		"Rendez-vous pris avec la banque", NULL, &err), TD_OK);
	assert_int_equal(td_app_refer(app, ref, "totem-metz-bliiida",
		"Présentée comme porteuse motivée", id, &err), TD_OK);
	assert_int_equal(td_app_referral_update(app, id, rv(app, id),
			TD_RS_SENT,
		"Rendez-vous pris avec la banque", NULL, &err), TD_OK);
	audit_holds_no_personal_value("a referral");
	td_app_close(app);
}


/* Does the file at path hold needle (a byte search)? */
static bool file_holds(const char *path, const char *needle)
{
	FILE *f = fopen(path, "rb");
	size_t n = strlen(needle), len = 0, cap = 0;
	char *buf = NULL;
	if (!f)
		return false;
	for (;;) {
		if (len == cap) {
			cap = cap ? cap * 2 : 1 << 16;
			buf = realloc(buf, cap);
			assert_non_null(buf);
		}
		size_t r = fread(buf + len, 1, cap - len, f);
		if (r == 0)
			break;
		len += r;
	}
	fclose(f);
	bool found = len >= n && memmem(buf, len, needle, n) != NULL;
	free(buf);
	return found;
}

/* SQL behind the app's back, as another program (or desk) would. */
static void run_sql(const char *sql)
{
	sqlite3 *h = NULL;
	char *msg = NULL;
	assert_int_equal(sqlite3_open(db, &h), SQLITE_OK);
	if (sqlite3_exec(h, sql, NULL, NULL, &msg) != SQLITE_OK)
		fail_msg("%s: %s", sql, msg ? msg : "?");
	sqlite3_close(h);
}

static long one_int(const char *sql)
{
	sqlite3 *h = NULL;
	sqlite3_stmt *st = NULL;
	long v = -1;
	assert_int_equal(sqlite3_open_v2(db, &h, SQLITE_OPEN_READONLY, NULL),
			 SQLITE_OK);
	assert_int_equal(sqlite3_prepare_v2(h, sql, -1, &st, NULL), SQLITE_OK);
	if (sqlite3_step(st) == SQLITE_ROW)
		v = sqlite3_column_int64(st, 0);
	sqlite3_finalize(st);
	sqlite3_close(h);
	return v;
}

/* Point 3: after an edit, a note, a referral with its texts and a
 * search (the full-text index holds the words), erasing leaves none of
 * the person's values in the file or its -wal; another person and what
 * the statistics read stay; reception may not erase. */
static void erase_leaves_no_trace(void **state)
{
	(void)state;
	td_err err = { 0 };
	struct td_dossier d;
	struct td_erase_result res;
	char id[TD_ID_SIZE], other[TD_REF_SIZE], path[400];

	setenv("TOTEMDESK_NOW", "2026-12-02T10:00:00Z", 1);
	struct td_app *app = open_app();
	assert_int_equal(td_app_dossier_get(app, ref, &d, &err), TD_OK);
	struct td_intake in = d.v;
	strcpy(in.city, "Woippy");
	strcpy(in.last_name, "Lefebvre");
	strcpy(in.email, "zoe.l@exemple.fr");
	assert_int_equal(td_app_dossier_edit(app, ref, &in, d.version, NULL,
					     &err), TD_OK);
	const char *one[] = { ref };
	assert_int_equal(td_app_queue_note(app, one, NULL, 1,
		"Rendez-vous pris avec la banque", NULL, &err), TD_OK);
	assert_int_equal(td_app_refer(app, ref, "totem-metz-bliiida",
		"Présentée comme porteuse motivée", id, &err), TD_OK);
	assert_int_equal(td_app_referral_update(app, id, rv(app, id),
			TD_RS_SENT,
		"Rendez-vous pris avec la banque", NULL, &err), TD_OK);
	memset(&in, 0, sizeof in);
	strcpy(in.last_name, "Durand");
	strcpy(in.first_name, "Éric");
	strcpy(in.email, "eric.durand@exemple.fr");
	strcpy(in.title, "Atelier vélo");
	strcpy(in.postcode, "57000");
	in.needs = 1u << td_enum_find(&td_needs, "hosting");
	in.consent = true;
	if (td_app_register(app, &in, other, NULL, &err))
		fail_msg("register: %s", err.msg);
	/* A search fills the full-text index with both people's words. */
	struct td_query q;
	long n = -1;
	assert_int_equal(td_query_parse("search=lefebvre", &q, &err), TD_OK);
	assert_int_equal(td_app_queue_count(app, &q, 0, &n, &err), TD_OK);
	assert_int_equal(n, 1);
	/* What the desks kept of the searches typed: saved filters named
	 * after the person, searching the start of their name, their
	 * phone as typed, their e-mail (deleted since: the row stays); and
	 * another person's, which stays. */
	struct td_query fq;
	assert_int_equal(td_query_parse("search=lefeb", &fq, &err), TD_OK);
	assert_int_equal(td_app_filter_save(app, "Zoé Lefèvre", &fq, &err),
			 TD_OK);
	assert_int_equal(td_query_parse("search=06 12 34 56 78", &fq, &err),
			 TD_OK);
	assert_int_equal(td_app_filter_save(app, "Rappel", &fq, &err), TD_OK);
	assert_int_equal(td_query_parse("search=zoe.l@exemple.fr", &fq, &err),
			 TD_OK);
	assert_int_equal(td_app_filter_save(app, "Ancien", &fq, &err), TD_OK);
	assert_int_equal(td_app_filter_delete(app, "Ancien", &err), TD_OK);
	assert_int_equal(td_query_parse("search=durand", &fq, &err), TD_OK);
	assert_int_equal(td_app_filter_save(app, "Atelier", &fq, &err), TD_OK);
	long stats = one_int("SELECT count(*) FROM dossier WHERE status = 'referred'"
			     " AND needs = 'funding' AND site_code = 'MET'");
	assert_int_equal(stats, 1);
	/* Forms in progress: this desk's, about the person (her e-mail
	 * typed again, her city), kept as a draft; another desk's about
	 * someone else, and a third about her by both names in capitals
	 * (a namesake's draft: erase_keeps_a_namesakes_draft). */
	struct td_intake dr = { 0 };
	strcpy(dr.last_name, "Lefebvre-Dupont");
	strcpy(dr.email, "ZOE.L@exemple.fr");
	strcpy(dr.city, "Woippy");
	assert_int_equal(td_app_draft_keep(app, &dr, "", &err), TD_OK);
	run_sql("INSERT INTO draft VALUES ('autre', 'MET', '2026-12-02T09:00:00Z',"
		" '2026-12-02T09:00:00Z'), ('tiers', 'NAN',"
		" '2026-12-02T09:00:00Z', '2026-12-02T09:00:00Z');"
		"INSERT INTO draft_field VALUES ('autre', 'MET', 'last_name',"
		" 'Martin'), ('autre', 'MET', 'first_name', 'Marc'),"
		" ('autre', 'MET', 'title', 'Garage solidaire'),"
		" ('tiers', 'NAN', 'last_name', 'LEFEBVRE'),"
		" ('tiers', 'NAN', 'first_name', 'ZOÉ'),"
		" ('tiers', 'NAN', 'city', 'Marly');");
	assert_int_equal(one_int("SELECT count(*) FROM draft"), 3);
	td_app_close(app);

	/* Reception may not. */
	write_config("reception");
	app = open_app();
	assert_int_equal(td_app_privacy_erase(app, ref, &res, &err), TD_EPERM);
	td_app_close(app);
	write_config("officer");

	app = open_app();
	assert_int_equal(td_app_privacy_erase(app, "MET-1999-0001", &res, &err),
			 TD_ENOTFOUND);
	assert_int_equal(td_app_privacy_erase(app, ref, &res, &err), TD_OK);
	assert_int_equal(res.ndossiers, 1);
	assert_false(res.wal_busy);
	/* The search finds neither the old nor the new name; the other
	 * person still. */
	assert_int_equal(td_app_queue_count(app, &q, 0, &n, &err), TD_OK);
	assert_int_equal(n, 0);
	assert_int_equal(td_query_parse("search=durand", &q, &err), TD_OK);
	assert_int_equal(td_app_queue_count(app, &q, 0, &n, &err), TD_OK);
	assert_int_equal(n, 1);
	assert_int_equal(td_app_dossier_get(app, ref, &d, &err), TD_OK);
	assert_string_equal(d.v.last_name, "");
	assert_string_equal(d.v.email, "");
	assert_string_equal(d.erased_at, "2026-12-02T10:00:00Z");
	td_app_close(app);

	snprintf(path, sizeof path, "%s-wal", db);
	static const char *const gone[] = {
		"Lefèvre", "Lefebvre", "lefebvre", "lefevre", "Zoé",
		"zoe.lefevre", "zoe.l@exemple", "612345678", "Woippy",
		"Marly", "vrac", "produits locaux", "avec la banque",
		"porteuse motivée", "lefeb", "06 12 34 56 78",
	};
	for (size_t i = 0; i < sizeof gone / sizeof *gone; i++) {
		if (file_holds(db, gone[i]))
			fail_msg("the database still holds \"%s\"", gone[i]);
		if (file_holds(path, gone[i]))
			fail_msg("the -wal still holds \"%s\"", gone[i]);
	}
	assert_true(file_holds(db, "Durand"));
	/* Only the other person's draft is left. */
	assert_int_equal(one_int("SELECT count(*) FROM draft"), 1);
	assert_int_equal(one_int("SELECT count(*) FROM draft_field WHERE"
				 " login = 'autre' AND value = 'Garage solidaire'"), 1);
	assert_int_equal(one_int("SELECT count(*) FROM draft_field"), 3);
	assert_int_equal(one_int("SELECT count(*) FROM saved_filter"), 1);
	assert_int_equal(one_int("SELECT count(*) FROM saved_filter WHERE"
				 " name = 'Atelier' AND deleted = 0"), 1);
	/* The exchange's outbox, byte by byte: the erasure's own
	 * changeset (its last entry, which names the person's key) and the
	 * earlier ones carry none of the values (whatever pages the file
	 * keeps them in). */
	sqlite3 *h = NULL;
	sqlite3_stmt *st = NULL;
	int nsets = 0;
	assert_int_equal(sqlite3_open_v2(db, &h, SQLITE_OPEN_READONLY, NULL),
			 SQLITE_OK);
	assert_int_equal(sqlite3_prepare_v2(h, "SELECT instr(changes,"
		" CAST(?1 AS BLOB)) FROM sync_outbox ORDER BY n DESC LIMIT 1",
		-1, &st, NULL), SQLITE_OK);
	sqlite3_bind_text(st, 1, d.holder_id, -1, SQLITE_STATIC);
	assert_int_equal(sqlite3_step(st), SQLITE_ROW);
	assert_true(sqlite3_column_int(st, 0) > 0);
	sqlite3_finalize(st);
	assert_int_equal(sqlite3_prepare_v2(h, "SELECT count(*) FROM sync_outbox"
		" WHERE instr(changes, CAST(?1 AS BLOB)) > 0"
		" OR instr(logs, CAST(?1 AS BLOB)) > 0", -1, &st, NULL),
		SQLITE_OK);
	for (size_t i = 0; i < sizeof gone / sizeof *gone; i++) {
		sqlite3_reset(st);
		sqlite3_bind_text(st, 1, gone[i], -1, SQLITE_STATIC);
		assert_int_equal(sqlite3_step(st), SQLITE_ROW);
		if (sqlite3_column_int(st, 0) != 0)
			fail_msg("the outbox still holds \"%s\"", gone[i]);
	}
	sqlite3_finalize(st);
	/* Blanked, not cut: each changeset still reads to its end. */
	if (sqlite3_prepare_v2(h, "SELECT changes FROM sync_outbox WHERE"
			       " changes IS NOT NULL", -1, &st, NULL) == SQLITE_OK) {
		while (sqlite3_step(st) == SQLITE_ROW) {
			sqlite3_changeset_iter *it = NULL;
			int rc;
			assert_int_equal(sqlite3changeset_start(&it,
				sqlite3_column_bytes(st, 0),
				(void *)sqlite3_column_blob(st, 0)), SQLITE_OK);
			while ((rc = sqlite3changeset_next(it)) == SQLITE_ROW)
				;
			assert_int_equal(rc, SQLITE_DONE);
			assert_int_equal(sqlite3changeset_finalize(it), SQLITE_OK);
			nsets++;
		}
		sqlite3_finalize(st);
		assert_true(nsets > 0);
	}
	sqlite3_close(h);
	/* What the statistics read stays; the erasure is logged by key. */
	assert_int_equal(one_int("SELECT count(*) FROM dossier WHERE status = 'referred'"
				 " AND needs = 'funding' AND site_code = 'MET'"), stats);
	assert_int_equal(one_int("SELECT count(*) FROM referral WHERE status = 'sent'"
				 " AND partner_id = 'totem-metz-bliiida'"), 1);
	assert_int_equal(one_int("SELECT count(*) FROM erasure WHERE kind = 'holder'"
				 " AND reason = 'request'"), 1);
	assert_int_equal(one_int("SELECT count(*) FROM field_change"), 0);
	assert_int_equal(one_int("SELECT count(*) FROM audit WHERE action = 'erase'"), 1);
	audit_holds_no_personal_value("an erasure");
}

static char *slurp(const char *path)
{
	FILE *f = fopen(path, "rb");
	assert_non_null(f);
	char *buf = calloc(1, 1 << 20);
	assert_non_null(buf);
	size_t n = fread(buf, 1, (1 << 20) - 1, f);
	buf[n] = '\0';
	fclose(f);
	return buf;
}

/* Point 1: everything held about the person, by reference, e-mail or
 * phone, as JSON and as text; logged in the audit without the address
 * asked by; refused to reception. */
static void access_export_has_everything(void **state)
{
	(void)state;
	td_err err = { 0 };
	struct td_dossier d;
	char id[TD_ID_SIZE], path[400], tpath[400];
	int n = 0;

	setenv("TOTEMDESK_NOW", "2026-12-02T10:00:00Z", 1);
	struct td_app *app = open_app();
	assert_int_equal(td_app_dossier_get(app, ref, &d, &err), TD_OK);
	struct td_intake in = d.v;
	strcpy(in.city, "Woippy");
	assert_int_equal(td_app_dossier_edit(app, ref, &in, d.version, NULL,
					     &err), TD_OK);
	const char *one[] = { ref };
	assert_int_equal(td_app_queue_note(app, one, NULL, 1,
		"Rendez-vous pris avec la banque", NULL, &err), TD_OK);
	assert_int_equal(td_app_refer(app, ref, "totem-metz-bliiida",
		"Présentée comme porteuse motivée", id, &err), TD_OK);
	assert_int_equal(td_app_referral_update(app, id, rv(app, id),
			TD_RS_SENT,
		"Premier rendez-vous fixé", NULL, &err), TD_OK);

	snprintf(path, sizeof path, "%s/access.json", dir);
	/* Named after the person, as people do: the audit keeps the
	 * folder, not the name (audit_holds_no_personal_value below). */
	snprintf(tpath, sizeof tpath, "%s/Lefèvre Zoé.txt", dir);
	unlink(path);
	unlink(tpath);
	struct td_access_who by_ref = { .reference = ref };
	assert_int_equal(td_app_privacy_access(app, &by_ref, true, path, 0,
					       NULL, &n, &err), TD_OK);
	assert_int_equal(n, 1);
	char *j = slurp(path);
	static const char *const in_json[] = {
		"\"last_name\": \"Lefèvre\"", "\"city\": \"Woippy\"",
		"zoe.lefevre@exemple.fr", "+33612345678",
		"\"partner_id\": \"totem-metz-bliiida\"",
		"Présentée comme porteuse motivée", "Premier rendez-vous fixé",
		"\"introduction_text\": \"", "\"field_history\"",
		"\"old\": \"Marly\"", "Rendez-vous pris avec la banque",
		"\"given_at\": \"2026-12-01T09:00:00Z\"",
		"\"duplicate_decisions\"", "\"audit\"",
	};
	for (size_t i = 0; i < sizeof in_json / sizeof *in_json; i++)
		if (!strstr(j, in_json[i]))
			fail_msg("the JSON lacks %s:\n%s", in_json[i], j);
	free(j);
	/* The same person by e-mail (as typed, any case) and by phone
	 * (national form), as text in the user's language. */
	struct td_access_who by_email = { .email = " Zoe.Lefevre@EXEMPLE.fr" };
	assert_int_equal(td_app_privacy_access(app, &by_email, false, tpath, 0,
					       NULL, &n, &err), TD_OK);
	char *t = slurp(tpath);
	static const char *const in_text[] = {
		"Last name: Lefèvre", "City: Woippy", "Dossier ", ref,
		"City: Marly -> Woippy", "Introduction text:",
		"Partner: ", "Rendez-vous pris avec la banque",
	};
	for (size_t i = 0; i < sizeof in_text / sizeof *in_text; i++)
		if (!strstr(t, in_text[i]))
			fail_msg("the text lacks %s:\n%s", in_text[i], t);
	free(t);
	/* An existing file is refused (the safe writer), then replaced
	 * with force. */
	assert_int_equal(td_app_privacy_access(app, &by_email, false, tpath, 0,
					       NULL, &n, &err), TD_EEXIST);
	struct td_access_who by_phone = { .phone = "06 12 34 56 78" };
	FILE *devnull = fopen("/dev/null", "w");
	assert_int_equal(td_app_privacy_access(app, &by_phone, false, NULL, 0,
					       devnull, &n, &err), TD_OK);
	assert_int_equal(n, 1);
	struct td_access_who nobody = { .email = "personne@exemple.fr" };
	assert_int_equal(td_app_privacy_access(app, &nobody, false, NULL, 0,
					       devnull, &n, &err), TD_ENOTFOUND);
	fclose(devnull);
	td_app_close(app);
	assert_int_equal(one_int("SELECT count(*) FROM audit WHERE"
				 " action = 'access_export' AND entity = 'holder'"), 3);
	audit_holds_no_personal_value("an access export");

	write_config("reception");
	app = open_app();
	assert_int_equal(td_app_privacy_access(app, &by_ref, true, NULL, 0,
					       stdout, &n, &err), TD_EPERM);
	td_app_close(app);
	write_config("officer");
}

/* The referral id of the dossier ref, as the screens list it. */
static struct td_referral referral_of(struct td_app *app, const char *id)
{
	struct td_referral *v = NULL, r;
	td_err err = { 0 };
	int n = 0;
	assert_int_equal(td_app_referral_list(app, ref, &v, &n, &err), TD_OK);
	memset(&r, 0, sizeof r);
	for (int i = 0; i < n; i++)
		if (strcmp(v[i].id, id) == 0)
			r = v[i];
	free(v);
	assert_string_equal(r.id, id);
	return r;
}

/* Point 4: a withdrawal is recorded with its date and who took it; no
 * referral can be made, sent (again), brought back to "sent" by an undo
 * or reopened afterwards, and no introduction text written -- the
 * partner's answer can still be recorded, the person's own access export
 * still shows the texts; it is in the timeline. */
static void withdrawal_stops_referrals(void **state)
{
	(void)state;
	td_err err = { 0 };
	struct td_dossier d;
	struct lines l = { 0 };
	char id[TD_ID_SIZE], id2[TD_ID_SIZE], id3[TD_ID_SIZE], id4[TD_ID_SIZE];
	char *text = NULL;

	setenv("TOTEMDESK_NOW", "2026-12-03T10:00:00Z", 1);
	struct td_app *app = open_app();
	assert_int_equal(td_app_refer(app, ref, "totem-metz-bliiida", NULL, id,
				      &err), TD_OK);
	/* A referral sent with no answer (a re-send would send it again),
	 * one sent then met (its undo would bring it back to "sent"), one
	 * declined (its undo would reopen it). */
	assert_int_equal(td_app_refer(app, ref, "totem-thionville-thipi", NULL,
				      id3, &err), TD_OK);
	assert_int_equal(td_app_referral_update(app, id3, rv(app, id3),
						TD_RS_SENT, NULL,
						NULL, &err), TD_OK);
	assert_int_equal(td_app_referral_update(app, id3, rv(app, id3),
						TD_RS_NO_ANSWER,
						NULL, NULL, &err), TD_OK);
	assert_int_equal(td_app_refer(app, ref, "totem-nancy-gni", NULL, id4,
				      &err), TD_OK);
	assert_int_equal(td_app_referral_update(app, id4, rv(app, id4),
						TD_RS_SENT, NULL,
						NULL, &err), TD_OK);
	struct td_referral sent = referral_of(app, id4);
	assert_int_equal(td_app_referral_update(app, id4, rv(app, id4),
						TD_RS_MEETING, NULL,
						NULL, &err), TD_OK);
	struct td_referral met = referral_of(app, id4);
	struct td_referral proposed = referral_of(app, id);
	assert_int_equal(td_app_referral_update(app, id, rv(app, id),
						TD_RS_DECLINED, NULL,
						NULL, &err), TD_OK);
	struct td_referral declined = referral_of(app, id);
	assert_int_equal(td_app_referral_text(app, id4, "fr", &text, &err),
			 TD_OK);
	free(text);
	text = NULL;
	assert_int_equal(td_app_privacy_withdraw(app, ref, &err), TD_OK);
	assert_int_equal(td_app_privacy_withdraw(app, ref, &err), TD_EEXIST);
	assert_int_equal(td_app_dossier_get(app, ref, &d, &err), TD_OK);
	assert_string_equal(d.withdrawn_at, "2026-12-03T10:00:00Z");
	assert_string_equal(d.withdrawn_by, login());
	assert_int_equal(td_app_refer(app, ref, "totem-thionville-thipi", NULL,
				      id2, &err), TD_EPERM);
	assert_non_null(strstr(err.msg, "withdrew"));
	assert_int_equal(td_app_referral_update(app, id3, rv(app, id3),
						TD_RS_SENT, NULL,
						NULL, &err), TD_EPERM);
	assert_non_null(strstr(err.msg, "withdrew"));
	assert_int_equal(td_app_referral_undo(app, &sent, met.updated_at,
					      &err), TD_EPERM);
	assert_non_null(strstr(err.msg, "withdrew"));
	assert_int_equal(td_app_referral_undo(app, &proposed,
					      declined.updated_at, &err),
			 TD_EPERM);
	assert_int_equal(td_app_referral_text(app, id4, "fr", &text, &err),
			 TD_EPERM);
	assert_null(text);
	assert_non_null(strstr(err.msg, "introduction text"));
	assert_int_equal(referral_of(app, id4).status, TD_RS_MEETING);
	assert_int_equal(referral_of(app, id).status, TD_RS_DECLINED);
	/* The partner's answer is still recorded. */
	assert_int_equal(td_app_referral_update(app, id4, rv(app, id4),
						TD_RS_ACCEPTED, NULL,
						NULL, &err), TD_OK);
	/* The person's own access export still holds the texts. */
	char path[400];
	snprintf(path, sizeof path, "%s/withdrawn.json", dir);
	unlink(path);
	struct td_access_who by_ref = { .reference = ref };
	assert_int_equal(td_app_privacy_access(app, &by_ref, true, path, 0,
					       NULL, NULL, &err), TD_OK);
	char *j = slurp(path);
	assert_non_null(strstr(j, "\"introduction_text\": \""));
	free(j);
	assert_int_equal(td_app_timeline(app, d.id, on_event, &l, &err), TD_OK);
	bool seen = false;
	for (int i = 0; i < l.n; i++)
		seen |= strcmp(l.action[i], "consent_withdraw") == 0;
	assert_true(seen);
	td_app_close(app);

	write_config("reception");
	app = open_app();
	assert_int_equal(td_app_privacy_withdraw(app, ref, &err), TD_EPERM);
	td_app_close(app);
	write_config("officer");
}

static void reg(struct td_app *app, const char *last, const char *email,
		char out[TD_REF_SIZE])
{
	struct td_intake in;
	td_err err = { 0 };
	memset(&in, 0, sizeof in);
	strcpy(in.last_name, last);
	strcpy(in.first_name, "Anne");
	strcpy(in.email, email);
	strcpy(in.postcode, "57000");
	strcpy(in.title, "Projet de test");
	in.needs = 1u << td_enum_find(&td_needs, "funding");
	in.consent = true;
	if (td_app_register(app, &in, out, NULL, &err))
		fail_msg("register: %s", err.msg);
}

/* Point 5: the retention section; a dry run says what is due and changes
 * nothing; the purge anonymises what is due, erases a person whose every
 * dossier is due, keeps one who still has a live dossier, deletes the
 * audit entries older than audit_years; the report's figures follow. */
static void retention_purge(void **state)
{
	(void)state;
	td_err err = { 0 };
	struct td_purge_result res;
	struct td_privacy_report rep;
	struct td_dossier d;
	char closed[TD_REF_SIZE], old2[TD_REF_SIZE], new2[TD_REF_SIZE],
		ancient[TD_REF_SIZE];
	long due = -1;

	extra_config = "retention = { closed_months = 36; untouched_months = 24;"
		       " audit_years = 6; };\n";
	write_config("officer");
	setenv("TOTEMDESK_NOW", "2019-01-10T09:00:00Z", 1);
	struct td_app *app = open_app();
	reg(app, "Ancienne", "ancienne@exemple.fr", ancient);
	td_app_close(app);
	setenv("TOTEMDESK_NOW", "2022-01-10T09:00:00Z", 1);
	app = open_app();
	reg(app, "Fermée", "fermee@exemple.fr", closed);
	const char *one[] = { closed };
	assert_int_equal(td_app_dossier_get(app, closed, &d, &err), TD_OK);
	int seen[1] = { d.version };
	assert_int_equal(td_app_queue_set_status(app, one, seen, 1,
						 TD_ST_CLOSED, NULL, &err),
			 TD_OK);
	td_app_close(app);
	setenv("TOTEMDESK_NOW", "2023-06-10T09:00:00Z", 1);
	app = open_app();
	reg(app, "Double", "double@exemple.fr", old2);
	td_app_close(app);
	/* A second, recent dossier of the same person (as another program
	 * would write it: the desk makes a holder per intake). */
	sqlite3 *h = NULL;
	char sql[600];
	snprintf(new2, sizeof new2, "MET-2026-0999");
	snprintf(sql, sizeof sql,
		 "INSERT INTO dossier(id, reference, holder_id, site_code,"
		 " project_title, needs, created_at, updated_at) SELECT"
		 " 'MET-DNEW', '%s', holder_id, 'MET', 'Projet de test',"
		 " 'funding', '2026-11-10T09:00:00Z', '2026-11-10T09:00:00Z'"
		 " FROM dossier WHERE reference = '%s'", new2, old2);
	assert_int_equal(sqlite3_open(db, &h), SQLITE_OK);
	assert_int_equal(sqlite3_exec(h, sql, NULL, NULL, NULL), SQLITE_OK);
	sqlite3_close(h);

	setenv("TOTEMDESK_NOW", "2026-12-02T10:00:00Z", 1);
	app = open_app();
	assert_int_equal(td_app_privacy_due(app, &due, &err), TD_OK);
	/* setup's dossier (2026-12-01) is young; the three old ones due */
	assert_int_equal(due, 3);
	FILE *devnull = fopen("/dev/null", "w");
	assert_int_equal(td_app_privacy_purge(app, true, devnull, &res, &err),
			 TD_OK);
	assert_int_equal(res.dossiers, 3);
	assert_int_equal(res.people, 2);
	assert_true(res.audit >= 1);
	assert_int_equal(td_app_dossier_get(app, closed, &d, &err), TD_OK);
	assert_string_equal(d.v.last_name, "Fermée");  /* dry run */
	assert_int_equal(td_app_privacy_purge(app, false, devnull, &res, &err),
			 TD_OK);
	fclose(devnull);
	assert_int_equal(res.dossiers, 3);
	assert_int_equal(res.people, 2);
	assert_int_equal(td_app_dossier_get(app, closed, &d, &err), TD_OK);
	assert_string_equal(d.v.last_name, "");
	assert_string_equal(d.v.title, "");
	assert_int_equal(td_app_dossier_get(app, ancient, &d, &err), TD_OK);
	assert_string_equal(d.v.last_name, "");
	/* The person with a live dossier keeps their name; the old
	 * dossier loses its texts. */
	assert_int_equal(td_app_dossier_get(app, old2, &d, &err), TD_OK);
	assert_string_equal(d.v.last_name, "Double");
	assert_string_equal(d.v.title, "");
	assert_true(d.erased_at[0] != '\0');
	assert_int_equal(td_app_dossier_get(app, new2, &d, &err), TD_OK);
	assert_string_equal(d.v.title, "Projet de test");
	assert_int_equal(td_app_privacy_due(app, &due, &err), TD_OK);
	assert_int_equal(due, 0);
	assert_int_equal(td_app_privacy_report(app, &rep, &err), TD_OK);
	assert_int_equal(rep.f.holders, 2);     /* setup's and Double */
	assert_int_equal(rep.f.erasures_year, 3);
	assert_int_equal(rep.closed_months, 36);
	td_app_close(app);
	assert_int_equal(one_int("SELECT count(*) FROM audit WHERE"
				 " at < '2020-12-02T10:00:00Z'"), 0);
	assert_int_equal(one_int("SELECT count(*) FROM erasure WHERE"
				 " reason = 'retention'"), 3);
	/* The append-only log still refuses any other delete. */
	assert_int_equal(sqlite3_open(db, &h), SQLITE_OK);
	assert_int_not_equal(sqlite3_exec(h, "DELETE FROM audit", NULL, NULL,
					  NULL), SQLITE_OK);
	sqlite3_close(h);
	audit_holds_no_personal_value("a purge");

	write_config("reception");
	app = open_app();
	assert_int_equal(td_app_privacy_purge(app, true, NULL, &res, &err),
			 TD_EPERM);
	td_app_close(app);
	extra_config = "";
	write_config("officer");
}

/* Point 5's count on an administrator's home screen: an index range per
 * rule, never a pass over every dossier (plans, not timings). */
static void due_count_uses_indexes(void **state)
{
	(void)state;
	td_db *h;
	td_err err = { 0 };
	char plan[4096];

	assert_int_equal(td_store_open(db, 0, &h, &err), TD_OK);
	assert_int_equal(td_store_retention_plan(h, plan, sizeof plan, &err),
			 TD_OK);
	/* No pass over a table, through an index or not ("SCAN d USING
	 * INDEX dossier_filter" reads every dossier too); the UNION's own
	 * result is read once. */
	for (const char *p = plan; *p; p += strcspn(p, "\n") + (p[strcspn(p, "\n")] != 0)) {
		const char *l = p + strspn(p, " ");
		if (strncmp(l, "SCAN ", 5) == 0 && strncmp(l, "SCAN (", 6) != 0)
			fail_msg("%s", plan);
	}
	if (!strstr(plan, "dossier_status_created") ||
	    !strstr(plan, "dossier_activity_last"))
		fail_msg("%s", plan);
	td_store_close(h);
}

static int group_setup(void **state)
{
	(void)state;
	if (tmpdir_make(dir, sizeof dir, "privacy"))
		return -1;
	snprintf(db, sizeof db, "%s/t.db", dir);
	snprintf(conf, sizeof conf, "%s/t.conf", dir);
	td_app_set_language("en", NULL);
	return 0;
}

static int group_teardown(void **state)
{
	(void)state;
	tmpdir_remove(dir);
	return 0;
}

/* A draft is someone's unsaved work: erasing a person drops the drafts
 * about them (erase_leaves_no_trace), not a namesake's -- the same
 * surname with another first name, or the surname alone typed so far. */
static void erase_keeps_a_namesakes_draft(void **state)
{
	(void)state;
	td_err err = { 0 };
	struct td_erase_result res;

	setenv("TOTEMDESK_NOW", "2026-12-02T10:00:00Z", 1);
	run_sql("INSERT INTO draft VALUES ('a', 'MET', '2026-12-02T09:00:00Z',"
		" '2026-12-02T09:00:00Z'), ('b', 'MET', '2026-12-02T09:00:00Z',"
		" '2026-12-02T09:00:00Z'), ('c', 'MET', '2026-12-02T09:00:00Z',"
		" '2026-12-02T09:00:00Z');"
		"INSERT INTO draft_field VALUES ('a', 'MET', 'last_name',"
		" 'Lefèvre'), ('a', 'MET', 'first_name', 'Marc'),"
		" ('b', 'MET', 'last_name', 'Lefevre'),"
		" ('c', 'MET', 'last_name', 'Lefèvre'),"
		" ('c', 'MET', 'first_name', 'Zoe'),"
		" ('c', 'MET', 'phone', '+33 6 00 00 00 00');");
	struct td_app *app = open_app();
	assert_int_equal(td_app_privacy_erase(app, ref, &res, &err), TD_OK);
	td_app_close(app);
	assert_int_equal(one_int("SELECT count(*) FROM draft"), 2);
	assert_int_equal(one_int("SELECT count(*) FROM draft WHERE login = 'c'"), 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup(field_history_and_clean_audit, setup),
		cmocka_unit_test_setup(erase_leaves_no_trace, setup),
		cmocka_unit_test_setup(erase_keeps_a_namesakes_draft, setup),
		cmocka_unit_test_setup(access_export_has_everything, setup),
		cmocka_unit_test_setup(withdrawal_stops_referrals, setup),
		cmocka_unit_test_setup(retention_purge, setup),
		cmocka_unit_test_setup(due_count_uses_indexes, setup),
	};
	return cmocka_run_group_tests(tests, group_setup, group_teardown);
}
