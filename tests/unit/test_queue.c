/* The queue against a real SQLite file through the app: filters, sort,
 * FTS search (accents, prefixes, notes, edits), overdue in business
 * days, bulk actions and their permissions, saved filters, export of
 * exactly the queue's rows, index-friendly plans, capped counts and
 * keyset paging, a reception desk's search over thousands of dossiers. */
#include "totemdesk/app.h"
#include "totemdesk/domain.h"
#include "totemdesk/queue.h"
#include "totemdesk/referral.h"
#include "totemdesk/route.h"
#include "store/store.h"

#include <setjmp.h>
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

/* The version of referral id as a screen showing it now holds it: what
 * a change checks (issue 13 point 2). */
static int rv(struct td_app *app, const char *id)
{
	struct td_referral r;
	td_err err = { 0 };
	return td_app_referral_get(app, id, &r, &err) == TD_OK ? r.version
							       : -1;
}

static char dir[] = "/tmp/td-queue-XXXXXX";
static char db[300], conf[300];

static const char *login(void)
{
	struct passwd *pw = getpwuid(geteuid());
	return pw->pw_name;
}

static void write_config(const char *role, const char *site)
{
	FILE *f = fopen(conf, "w");
	assert_non_null(f);
	fprintf(f, "site = \"MET\";\ndatabase = \"%s\";\n"
		   "users = ( { login = \"%s\"; name = \"Test\"; role = \"%s\"; site = \"%s\"; },\n"
		   "  { login = \"jmarchal\"; name = \"Julien\"; role = \"officer\"; site = \"COO\"; },\n"
		   "  { login = \"desk\"; name = \"Desk\"; role = \"reception\"; site = \"MET\"; } );\n"
		   "followup = { delay = 2; holidays = [ \"2026-12-25\", \"2026-12-24\" ]; };\n",
		db, login(), role, site);
	fclose(f);
}

static void open_app(struct td_app **app, const char *site)
{
	struct td_app_options o = { .config_path = conf, .site = site,
				    .need_user = true, .need_config = true };
	td_err err = { 0 };
	if (td_app_open(app, &o, &err))
		fail_msg("open: %s", err.msg);
}

static void add(const char *site, const char *now, const char *last,
		const char *first, const char *title, const char *need,
		char ref[TD_REF_SIZE])
{
	struct td_app *app = NULL;
	struct td_intake in;
	td_err err = { 0 };

	setenv("TOTEMDESK_NOW", now, 1);
	open_app(&app, site);
	memset(&in, 0, sizeof in);
	strcpy(in.last_name, last);
	strcpy(in.first_name, first);
	strcpy(in.email, "contact@exemple.fr");
	strcpy(in.title, title);
	strcpy(in.postcode, "57000");
	in.needs = 1u << td_enum_find(&td_needs, need);
	in.consent = true;
	if (td_app_register(app, &in, ref, NULL, &err))
		fail_msg("register: %s", err.msg);
	td_app_close(app);
}

static char r_met1[TD_REF_SIZE], r_nan[TD_REF_SIZE], r_epi[TD_REF_SIZE],
	r_met2[TD_REF_SIZE];

static int setup(void **state)
{
	td_err err = { 0 };
	char cmd[1024];
	snprintf(cmd, sizeof cmd, "rm -f %s %s-wal %s-shm", db, db, db);
	if (system(cmd) != 0 || td_app_init_db(db, &err) != TD_OK)
		return -1;
	write_config("officer", "COO");
	add("MET", "2026-12-01T09:00:00Z", "Lefèvre", "Zoé",
	    "Épicerie vrac à Épinal", "funding", r_met1);
	add("NAN", "2026-12-02T09:00:00Z", "Durand", "Éric",
	    "Atelier vélo", "hosting", r_nan);
	add("EPI", "2026-12-03T09:00:00Z", "Zimmer", "Anne",
	    "Drones agricoles", "advice", r_epi);
	add("MET", "2026-12-04T09:00:00Z", "Bauer", "Paul",
	    "Brasserie", "funding", r_met2);
	return 0;
}

static int on_event(const struct td_event *e, void *ctx);

/* The versions of refs[0..n) as a screen showing them now would hold
 * them: what a bulk action checks (issue 13 point 2). */
static int *shown(struct td_app *app, const char *const *refs, size_t n)
{
	static int v[8];
	td_err err = { 0 };
	for (size_t i = 0; i < n && i < 8; i++) {
		struct td_dossier d;
		v[i] = td_app_dossier_get(app, refs[i], &d, &err) == TD_OK
		       ? d.version : -1;
	}
	return v;
}

static long count(struct td_app *app, const char *spec)
{
	struct td_query q;
	td_err err = { 0 };
	long n = -1;
	if (td_query_parse(spec, &q, &err) ||
	    td_app_queue_count(app, &q, 0, &n, &err))
		fail_msg("%s: %s", spec, err.msg);
	return n;
}

/* References of the page for spec, comma-joined. */
static void refs(struct td_app *app, const char *spec, char *out, size_t outsz)
{
	struct td_query q;
	struct td_queue_row rows[16];
	td_err err = { 0 };
	int n = 0;
	if (td_query_parse(spec, &q, &err) ||
	    td_app_queue_seek(app, &q, NULL, TD_SEEK_AFTER, 16, rows, &n, &err))
		fail_msg("%s: %s", spec, err.msg);
	out[0] = '\0';
	for (int i = 0; i < n; i++)
		snprintf(out + strlen(out), outsz - strlen(out), "%s%s",
			 i ? "," : "", rows[i].d.reference);
}

static void filters_and_sort(void **state)
{
	struct td_app *app = NULL;
	char got[512], want[512];

	setenv("TOTEMDESK_NOW", "2026-12-04T10:00:00Z", 1);
	open_app(&app, NULL);
	assert_int_equal(count(app, ""), 4);
	assert_int_equal(count(app, "site=MET"), 2);
	assert_int_equal(count(app, "need=funding"), 2);
	assert_int_equal(count(app, "need=funding,advice"), 3);
	assert_int_equal(count(app, "site=MET;need=advice"), 0);
	assert_int_equal(count(app, "status=new"), 4);
	assert_int_equal(count(app, "status=closed,triaged"), 0);
	assert_int_equal(count(app, "unassigned=1"), 4);
	assert_int_equal(count(app, "since=2026-12-02;until=2026-12-03"), 2);

	refs(app, "", got, sizeof got);  /* newest first */
	snprintf(want, sizeof want, "%s,%s,%s,%s", r_met2, r_epi, r_nan, r_met1);
	assert_string_equal(got, want);
	refs(app, "sort=name", got, sizeof got);
	snprintf(want, sizeof want, "%s,%s,%s,%s", r_met2, r_nan, r_met1, r_epi);
	assert_string_equal(got, want);
	refs(app, "sort=-name", got, sizeof got);
	snprintf(want, sizeof want, "%s,%s,%s,%s", r_epi, r_met1, r_nan, r_met2);
	assert_string_equal(got, want);
	refs(app, "sort=site;site=", got, sizeof got);
	snprintf(want, sizeof want, "%s,%s,%s,%s", r_epi, r_met1, r_met2, r_nan);
	assert_string_equal(got, want);

	/* An unknown site is an error, not an empty list. */
	struct td_query q;
	td_err err = { 0 };
	long n;
	td_query_init(&q);
	strcpy(q.site, "XYZ");
	assert_int_equal(td_app_queue_count(app, &q, 0, &n, &err), TD_EINVAL);
	td_app_close(app);

	/* Reception staff see their own site only, and cannot ask for more. */
	write_config("reception", "MET");
	open_app(&app, NULL);
	assert_int_equal(count(app, ""), 2);
	strcpy(q.site, "NAN");
	assert_int_equal(td_app_queue_count(app, &q, 0, &n, &err), TD_EPERM);
	td_app_close(app);
}

static void search_folds_accents_and_follows_changes(void **state)
{
	struct td_app *app = NULL;
	char got[512];
	td_err err = { 0 };

	setenv("TOTEMDESK_NOW", "2026-12-04T10:00:00Z", 1);
	open_app(&app, NULL);
	refs(app, "search=epinal", got, sizeof got);
	assert_string_equal(got, r_met1);
	refs(app, "search=EPICERIE", got, sizeof got);
	assert_string_equal(got, r_met1);
	assert_int_equal(count(app, "search=lef"), 1);     /* prefix */
	assert_int_equal(count(app, "search=eric"), 1);    /* first name */
	assert_int_equal(count(app, "search=exemple"), 4); /* e-mail */
	assert_int_equal(count(app, "search=vrac velo"), 0); /* all words */
	assert_int_equal(count(app, "search=\"OR"), 0);    /* no syntax */
	assert_int_equal(count(app, "search=zzz"), 0);
	/* Site codes are in the index (migration 5) but never found as
	 * words: "epi" is Épicerie and Épinal, not the dossier of EPI. */
	refs(app, "search=epi", got, sizeof got);
	assert_string_equal(got, r_met1);
	assert_int_equal(count(app, "search=nan"), 0);
	assert_int_equal(count(app, "search=exemple epi"), 1);
	assert_int_equal(count(app, "site=EPI;search=exemple"), 1);
	assert_int_equal(count(app, "site=MET;search=exemple"), 2);

	/* A note is found once written, and so is an edit. */
	const char *one[] = { r_nan };
	assert_int_equal(td_app_queue_note(app, one, NULL, 1,
					   "Rendez-vous à Thionville", NULL,
					   &err), TD_OK);
	refs(app, "search=thionv", got, sizeof got);
	assert_string_equal(got, r_nan);

	struct td_dossier d;
	struct td_intake in;
	struct td_intake_check res;
	assert_int_equal(td_app_dossier_get(app, r_epi, &d, &err), TD_OK);
	in = d.v;
	strcpy(in.email, "not an e-mail");
	assert_int_equal(td_app_dossier_edit(app, r_epi, &in, d.version, &res,
					     &err), TD_EINVAL);
	assert_int_equal(res.first_bad, TD_F_EMAIL);
	in = d.v;
	strcpy(in.title, "Moissonneuse autonome");
	assert_int_equal(td_app_dossier_edit(app, r_epi, &in, d.version, &res,
					     &err), TD_OK);
	assert_int_equal(count(app, "search=moisson"), 1);
	assert_int_equal(count(app, "search=drones"), 0);
	/* The edit is in the timeline and in the audit, by whom, when and
	 * which field (issue 11 point 25). */
	char tl[512] = "";
	assert_int_equal(td_app_timeline(app, d.id, on_event, tl, &err), TD_OK);
	if (!strstr(tl, ",field[project_title"))
		fail_msg("no edit in the timeline: %s", tl);
	sqlite3 *h = NULL;
	assert_int_equal(sqlite3_open(db, &h), SQLITE_OK);
	sqlite3_stmt *st = NULL;
	assert_int_equal(sqlite3_prepare_v2(h,
		"SELECT actor, at, detail FROM audit WHERE action = 'edit'"
		" AND dossier_id = ?1", -1, &st, NULL), SQLITE_OK);
	sqlite3_bind_text(st, 1, d.id, -1, SQLITE_STATIC);
	assert_int_equal(sqlite3_step(st), SQLITE_ROW);
	assert_string_equal((const char *)sqlite3_column_text(st, 0), login());
	assert_string_equal((const char *)sqlite3_column_text(st, 1),
			    "2026-12-04T10:00:00Z");
	assert_string_equal((const char *)sqlite3_column_text(st, 2),
			    "project_title");
	assert_int_equal(sqlite3_step(st), SQLITE_DONE);
	sqlite3_finalize(st);
	sqlite3_close(h);
	/* The version read first is stale now: a second edit is refused,
	 * as a conflict the screen asks about (issue 13 point 2). */
	assert_int_equal(td_app_dossier_edit(app, r_epi, &in, d.version, &res,
					     &err), TD_ECONFLICT);
	/* A first name is searched too. */
	refs(app, "search=paul", got, sizeof got);
	assert_string_equal(got, r_met2);
	td_app_close(app);
}

/* Issue 11 point 20: a name is found without its apostrophe, and the
 * outcome notes of referrals are searched. */
static void search_apostrophes_and_outcomes(void **state)
{
	struct td_app *app = NULL;
	char ref[TD_REF_SIZE], id[TD_ID_SIZE];
	td_err err = { 0 };

	add("MET", "2026-12-05T09:00:00Z", "O'Connor", "Siobhán", "Atelier",
	    "funding", ref);
	add("MET", "2026-12-05T10:00:00Z", "N’Diaye", "Awa", "Brasserie",
	    "funding", (char[TD_REF_SIZE]){ 0 });
	setenv("TOTEMDESK_NOW", "2026-12-05T11:00:00Z", 1);
	open_app(&app, NULL);
	assert_int_equal(count(app, "search=oconnor"), 1);
	assert_int_equal(count(app, "search=ocon"), 1);
	assert_int_equal(count(app, "search=connor"), 1);
	assert_int_equal(count(app, "search=o'connor"), 1);
	assert_int_equal(count(app, "search=ndiaye"), 1);
	assert_int_equal(count(app, "search=siobhan oconnor"), 1);
	char got[512];
	refs(app, "search=oconnor", got, sizeof got);
	assert_string_equal(got, ref);

	assert_int_equal(count(app, "search=kolbmann"), 0);
	assert_int_equal(td_app_refer(app, r_nan, "totem-metz-bliiida", NULL, id,
				      &err), TD_OK);
	assert_int_equal(td_app_referral_update(app, id, rv(app, id),
			TD_RS_SENT,
		"Rendez-vous fixé avec la banque Kolbmann", NULL, &err), TD_OK);
	refs(app, "search=kolbmann", got, sizeof got);
	assert_string_equal(got, r_nan);
	/* A changed outcome is found by its new words only. */
	assert_int_equal(td_app_referral_update(app, id, rv(app, id),
			TD_RS_MEETING,
		"Prêt d'honneur accordé", NULL, &err), TD_OK);
	assert_int_equal(count(app, "search=kolbmann"), 0);
	assert_int_equal(count(app, "search=honneur"), 1);
	td_app_close(app);
}

static void overdue_counts_business_days(void **state)
{
	struct td_app *app = NULL;
	char due[11];
	bool late;

	/* Delay 2 working days, 24 and 25 December are holidays.  The last
	 * dossier (Friday 4 Dec) is due Tuesday 8 Dec. */
	setenv("TOTEMDESK_NOW", "2026-12-08T10:00:00Z", 1);
	open_app(&app, NULL);
	td_app_followup(app, "2026-12-04T09:00:00Z", TD_ST_NEW, due, &late);
	assert_string_equal(due, "2026-12-08");
	assert_false(late);
	/* Tuesday 1 Dec -> Thursday 3, overdue; Wed 2 -> Fri 4, overdue;
	 * Thu 3 -> Mon 7, overdue; Fri 4 -> Tue 8, not yet. */
	assert_int_equal(count(app, "overdue=1"), 3);
	td_app_followup(app, "2026-12-23T09:00:00Z", TD_ST_NEW, due, &late);
	assert_string_equal(due, "2026-12-29");
	td_app_followup(app, "2026-12-01T09:00:00Z", TD_ST_CLOSED, due, &late);
	assert_false(late);

	/* An action brings a dossier back into time; closing takes it out. */
	td_err err = { 0 };
	const char *one[] = { r_met1 }, *two[] = { r_nan, r_epi };
	assert_int_equal(td_app_queue_note(app, one, NULL, 1, "Rappelée", NULL,
					   &err), TD_OK);
	assert_int_equal(count(app, "overdue=1"), 2);
	/* On hold is out of the follow-up too, even when its last action is
	 * old (set on hold on 2 December: issue 11 point 25). */
	const char *held[] = { r_nan };
	setenv("TOTEMDESK_NOW", "2026-12-02T10:00:00Z", 1);
	assert_int_equal(td_app_queue_set_status(app, held,
					shown(app, held, 1), 1, TD_ST_ON_HOLD,
					NULL, &err),
			 TD_OK);
	setenv("TOTEMDESK_NOW", "2026-12-08T10:00:00Z", 1);
	assert_int_equal(count(app, "overdue=1"), 1);
	assert_int_equal(count(app, "overdue=1;status=on_hold"), 0);
	assert_int_equal(count(app, "status=on_hold"), 1);
	td_app_followup(app, "2026-12-02T10:00:00Z", TD_ST_ON_HOLD, due, &late);
	assert_false(late);
	assert_int_equal(td_app_queue_set_status(app, two,
					shown(app, two, 2), 2, TD_ST_CLOSED,
					NULL, &err),
			 TD_OK);
	assert_int_equal(count(app, "overdue=1"), 0);
	assert_int_equal(count(app, "sort=followup"), 4);
	td_app_close(app);
}

static int on_event(const struct td_event *e, void *ctx)
{
	char *s = ctx;
	size_t n = strlen(s);
	snprintf(s + n, 512 - n, "%s%s[%s]", n ? "," : "", e->action, e->detail);
	return 0;
}

static void bulk_actions_and_permissions(void **state)
{
	struct td_app *app = NULL;
	td_err err = { 0 };
	const char *both[] = { r_met1, r_met2 };

	setenv("TOTEMDESK_NOW", "2026-12-04T10:00:00Z", 1);
	open_app(&app, NULL);
	assert_int_equal(td_app_queue_assign(app, both,
					shown(app, both, 2), 2, "jmarchal",
					NULL, &err),
			 TD_OK);
	assert_int_equal(count(app, "assignee=jmarchal"), 2);
	assert_int_equal(td_app_queue_assign(app, both,
					shown(app, both, 2), 2, "desk",
					NULL, &err),
			 TD_EINVAL);    /* reception staff do not follow dossiers */
	assert_int_equal(td_app_queue_assign(app, both,
					shown(app, both, 0), 0, "",
					NULL, &err),
			 TD_EINVAL);

	/* new -> supported is not allowed: the whole batch is refused. */
	assert_int_equal(td_app_queue_set_status(app, both,
					shown(app, both, 2), 2, TD_ST_TRIAGED,
					NULL, &err),
			 TD_OK);
	const char *one[] = { r_met1 };
	assert_int_equal(td_app_queue_set_status(app, one,
					shown(app, one, 1), 1, TD_ST_REFERRED,
					NULL, &err),
			 TD_OK);
	assert_int_equal(td_app_queue_set_status(app, both,
					shown(app, both, 2), 2, TD_ST_NEW,
					NULL, &err),
			 TD_EINVAL);
	assert_non_null(strstr(err.msg, r_met1));
	assert_int_equal(count(app, "status=triaged"), 1);
	assert_int_equal(count(app, "status=referred"), 1);

	/* What a bulk change offers (issue 11 point 13): referred, triaged
	 * and new dossiers may all go to referred, closed, on hold; triaged
	 * and supported are moves for some only -- kept from the others by
	 * the referred one (not back to triaged) and the new one (not
	 * straight to supported), not by the triaged one. */
	const char *three[] = { r_met1, r_met2, r_nan };
	struct td_move_block b[4];
	unsigned offer = 0, blocked = 0;
	size_t nb = 0;
	assert_int_equal(td_app_queue_moves(app, three, 3, &offer, &blocked, b,
					    4, &nb, &err), TD_OK);
	assert_int_equal(offer, 1u << TD_ST_REFERRED | 1u << TD_ST_CLOSED |
				1u << TD_ST_ON_HOLD);
	assert_int_equal(blocked, 1u << TD_ST_TRIAGED | 1u << TD_ST_SUPPORTED);
	assert_int_equal(nb, 2);
	assert_string_equal(b[0].reference, r_met1);
	assert_int_equal(b[0].status, TD_ST_REFERRED);
	assert_string_equal(b[1].reference, r_nan);
	assert_int_equal(b[1].status, TD_ST_NEW);
	/* Every offered move goes through; nb counts past max. */
	assert_int_equal(td_app_queue_moves(app, three, 3, &offer, &blocked, b,
					    1, &nb, &err), TD_OK);
	assert_int_equal(nb, 2);
	/* One dossier alone: every move of the workflow from where it is,
	 * nothing blocked, its own status not offered. */
	assert_int_equal(td_app_queue_moves(app, one, 1, &offer, &blocked, b,
					    4, &nb, &err), TD_OK);
	assert_int_equal(offer, 1u << TD_ST_SUPPORTED | 1u << TD_ST_CLOSED |
				1u << TD_ST_ON_HOLD);
	assert_int_equal(blocked, 0);
	assert_int_equal(nb, 0);

	struct td_dossier d;
	char tl[512] = "";
	assert_int_equal(td_app_dossier_get(app, r_met1, &d, &err), TD_OK);
	assert_int_equal(td_app_timeline(app, d.id, on_event, tl, &err), TD_OK);
	assert_memory_equal(tl, "create[", 7);
	assert_non_null(strstr(tl, "assign[- -> jmarchal]"));
	assert_non_null(strstr(tl, "status[new -> triaged],status[triaged -> referred]"));
	assert_string_equal(td_app_action_label("create"), "registered");
	assert_string_equal(td_app_action_label("mystery"), "mystery");
	td_app_close(app);

	/* Reception: notes yes, assignment and status no. */
	write_config("reception", "MET");
	open_app(&app, NULL);
	assert_int_equal(td_app_queue_assign(app, both,
					shown(app, both, 2), 2, "",
					NULL, &err),
			 TD_EPERM);
	assert_int_equal(td_app_queue_set_status(app, both,
					shown(app, both, 2), 2, TD_ST_CLOSED,
					NULL, &err),
			 TD_EPERM);
	{
		unsigned o, bl;
		size_t k;
		struct td_move_block x;
		assert_int_equal(td_app_queue_moves(app, both, 2, &o, &bl, &x,
						    1, &k, &err), TD_EPERM);
	}
	assert_int_equal(td_app_queue_note(app, both, NULL, 2, "Appel", NULL,
					   &err), TD_OK);
	const char *other[] = { r_met1, r_nan };
	assert_int_equal(td_app_queue_note(app, other, NULL, 2, "Appel", NULL,
					   &err),
			 TD_EPERM);
	td_app_close(app);
}

struct names {
	char s[512];
};

static int on_filter(const char *name, const char *spec, void *ctx)
{
	struct names *n = ctx;
	size_t l = strlen(n->s);
	snprintf(n->s + l, sizeof n->s - l, "%s=%s|", name, spec);
	return 0;
}

static int status_of(struct td_app *app, const char *ref)
{
	struct td_dossier d;
	td_err err = { 0 };
	assert_int_equal(td_app_dossier_get(app, ref, &d, &err), TD_OK);
	return d.status;
}

/* Issue 13 point 2 for bulk actions: each marked row carries the version
 * the screen showed; a dossier another desk changed since is left as it
 * is and named, the others are written; the versions come back as now
 * stored, so the user can review and act again. */
static void bulk_checks_what_each_row_showed(void **state)
{
	struct td_app *a = NULL, *b = NULL;
	td_err err = { 0 };
	const char *three[] = { r_met1, r_met2, r_nan };
	int seen[3];
	bool stale[3];
	struct td_bulk_result res = { .stale = stale };

	setenv("TOTEMDESK_NOW", "2026-12-04T10:00:00Z", 1);
	open_app(&a, NULL);
	open_app(&b, NULL);
	memcpy(seen, shown(a, three, 3), sizeof seen);
	int was = seen[1];

	/* Desk B puts the second on hold after A's screen showed it. */
	assert_int_equal(td_app_dossier_set_status(b, r_met2,
			 shown(b, three, 3)[1], TD_ST_ON_HOLD, &err), TD_OK);
	/* A closes all three: two closed, B's one left on hold, named. */
	assert_int_equal(td_app_queue_set_status(a, three, seen, 3,
						 TD_ST_CLOSED, &res, &err),
			 TD_OK);
	assert_int_equal(res.written, 2);
	assert_int_equal(res.nstale, 1);
	assert_false(stale[0]);
	assert_true(stale[1]);
	assert_false(stale[2]);
	assert_int_equal(status_of(a, r_met1), TD_ST_CLOSED);
	assert_int_equal(status_of(a, r_met2), TD_ST_ON_HOLD);
	assert_int_equal(status_of(a, r_nan), TD_ST_CLOSED);
	/* The versions now stored: ours for the two, B's for the third. */
	assert_memory_equal(seen, shown(a, three, 3), sizeof seen);
	assert_true(seen[1] > was);

	/* Having reviewed it, A applies theirs... A's choice again, at the
	 * version now shown: written. */
	const char *left[] = { r_met2 };
	int again[1] = { seen[1] };
	assert_int_equal(td_app_queue_set_status(a, left, again, 1,
						 TD_ST_CLOSED, &res, &err),
			 TD_OK);
	assert_int_equal(res.written, 1);
	assert_int_equal(res.nstale, 0);
	assert_int_equal(status_of(a, r_met2), TD_ST_CLOSED);

	/* Assignment: B assigns the first two after A's screen showed
	 * them; A's batch of those two changes nothing (TD_ECONFLICT) and
	 * names them; the assignee stays B's. */
	const char *two[] = { r_met1, r_met2 };
	memcpy(seen, shown(a, two, 2), 2 * sizeof seen[0]);
	assert_int_equal(td_app_queue_assign(b, two, shown(b, two, 2), 2,
					     "jmarchal", NULL, &err), TD_OK);
	assert_int_equal(td_app_queue_assign(a, two, seen, 2, "", &res, &err),
			 TD_ECONFLICT);
	assert_int_equal(res.written, 0);
	assert_int_equal(res.nstale, 2);
	assert_int_equal(count(a, "assignee=jmarchal"), 2);

	/* A note on rows of which one changed since (B reopens it): the
	 * others get it, the changed one is named and gets nothing. */
	memcpy(seen, shown(a, three, 3), sizeof seen);
	assert_int_equal(td_app_dossier_set_status(b, r_nan,
			 shown(b, three, 3)[2], TD_ST_TRIAGED, &err), TD_OK);
	assert_int_equal(td_app_queue_note(a, three, seen, 3, "Relance faite",
					   &res, &err), TD_OK);
	assert_int_equal(res.written, 2);
	assert_int_equal(res.nstale, 1);
	assert_true(stale[2]);
	assert_int_equal(count(a, "search=relance"), 2);

	/* Status and assignment need what the screen showed. */
	assert_int_equal(td_app_queue_assign(a, two, NULL, 2, "", NULL, &err),
			 TD_EINVAL);
	assert_int_equal(td_app_queue_set_status(a, two, NULL, 2, TD_ST_NEW,
						 NULL, &err), TD_EINVAL);
	td_app_close(b);
	td_app_close(a);
}

static void saved_filters(void **state)
{
	struct td_app *app = NULL;
	struct td_query q;
	td_err err = { 0 };
	struct names n = { "" };

	open_app(&app, NULL);
	td_query_init(&q);
	strcpy(q.site, "MET");
	q.overdue = true;
	assert_int_equal(td_app_filter_save(app, "Metz en retard", &q, &err), TD_OK);
	q.overdue = false;
	assert_int_equal(td_app_filter_save(app, "Metz en retard", &q, &err), TD_OK);
	assert_int_equal(td_app_filter_save(app, "", &q, &err), TD_EINVAL);
	/* "Everything" is a filter too (its text is empty). */
	td_query_init(&q);
	assert_int_equal(td_app_filter_save(app, "Tout", &q, &err), TD_OK);
	assert_int_equal(td_app_filter_delete(app, "Tout", &err), TD_OK);
	assert_int_equal(td_app_filter_list(app, on_filter, &n, &err), TD_OK);
	assert_string_equal(n.s, "Metz en retard=site=MET|");
	assert_int_equal(td_app_filter_delete(app, "Metz en retard", &err), TD_OK);
	n.s[0] = '\0';
	assert_int_equal(td_app_filter_list(app, on_filter, &n, &err), TD_OK);
	assert_string_equal(n.s, "");
	td_app_close(app);
}

static char *slurp(FILE *f)
{
	static char buf[65536];
	rewind(f);
	size_t n = fread(buf, 1, sizeof buf - 1, f);
	buf[n] = '\0';
	return buf;
}

static void export_is_the_queue(void **state)
{
	struct td_app *app = NULL;
	struct td_query q;
	td_err err = { 0 };
	long cnt = 0;

	setenv("TOTEMDESK_NOW", "2026-12-04T10:00:00Z", 1);
	open_app(&app, NULL);
	assert_int_equal(td_query_parse("need=funding,hosting;sort=-name", &q,
					&err), TD_OK);
	struct td_export_options eo = { .format = TD_EXPORT_CSV, .status = -1,
					.query = &q, .bom = true, .sep = ';' };
	FILE *out = tmpfile();
	assert_int_equal(td_app_export(app, &eo, out, &cnt, &err), TD_OK);
	assert_int_equal(cnt, 3);
	char *csv = slurp(out);
	fclose(out);
	assert_memory_equal(csv, "\xEF\xBB\xBFreference;site;", 18);
	/* Same rows, same order as the queue page. */
	char *a = strstr(csv, r_met1), *b = strstr(csv, r_nan),
	     *c = strstr(csv, r_met2);
	assert_true(a && b && c && a < b && b < c);
	assert_null(strstr(csv, r_epi));
	assert_non_null(strstr(csv, ";Épicerie vrac à Épinal;"));

	eo.sep = '\t';
	out = tmpfile();
	assert_int_equal(td_app_export(app, &eo, out, &cnt, &err), TD_EINVAL);
	fclose(out);
	td_app_close(app);
}

/* Every preset of the one query type -- the queue, a site's queue,
 * today's intakes, the agenda's waiting dossiers, status and overdue
 * filters -- in every sort order both ways is an index walk: SQLite never
 * reads a table without an index nor sorts the whole table to show one
 * page; a search in its default order walks the full-text index latest
 * first.  Counts of a site's or every site's dossiers, by status, read
 * the tally. */
static void plans_use_indexes(void **state)
{
	td_db *h;
	td_err err = { 0 };
	char plan[4096];
	static const struct {
		const char *spec, *only_site, *since, *until, *cutoff;
	} presets[] = {
		{ "", "", "", "", "" },                          /* queue */
		{ "site=MET", "", "", "", "" },
		{ "", "MET", "", "", "" },                       /* reception */
		{ "site=MET", "MET", "2026-12-04T23:00:00Z",     /* today */
		  "2026-12-05T23:00:00Z", "" },
		{ "status=new,triaged;due=2026-12-06", "",       /* agenda */
		  "", "", "2026-12-03T23:00:00Z" },
		{ "status=new", "", "", "", "" },
		{ "status=new", "MET", "", "", "" },
		{ "overdue=1", "", "", "", "2026-12-01T23:00:00Z" },
		{ "assignee=jmarchal", "", "", "", "" },
		{ "need=funding", "", "", "", "" },
	};
	assert_int_equal(td_store_open(db, 0, &h, &err), TD_OK);
	for (size_t i = 0; i < sizeof presets / sizeof *presets; i++)
		for (int c = -1; c < TD_QC_COUNT; c++)
			for (int desc = 0; desc < 2; desc++) {
				struct td_query q;
				struct td_queue_bounds b = { "", "", "", "" };
				assert_int_equal(td_query_parse(presets[i].spec, &q,
								&err), TD_OK);
				q.sort = c;
				q.desc = desc;
				strcpy(b.only_site, presets[i].only_site);
				strcpy(b.since, presets[i].since);
				strcpy(b.until, presets[i].until);
				strcpy(b.cutoff, presets[i].cutoff);
				assert_int_equal(td_store_list_plan(h, &q, &b, false,
					plan, sizeof plan, &err), TD_OK);
				/* "RIGHT PART" (the dossiers of one holder, in
				 * the name order) is a small sort. */
				const char *t = strstr(plan,
					"USE TEMP B-TREE FOR ORDER BY");
				if (t || strstr(plan, "SCAN d\n") ||
				    strstr(plan, "SCAN h\n") ||
				    strstr(plan, "SCAN a\n"))
					fail_msg("%s, sort %d%s: %s",
						 presets[i].spec, c,
						 desc ? " desc" : "", plan);
			}
	/* Counts: the tally for sites and statuses, an index otherwise. */
	for (size_t i = 0; i < sizeof presets / sizeof *presets; i++) {
		struct td_query q;
		struct td_queue_bounds b = { "", "", "", "" };
		assert_int_equal(td_query_parse(presets[i].spec, &q, &err), TD_OK);
		strcpy(b.only_site, presets[i].only_site);
		strcpy(b.since, presets[i].since);
		strcpy(b.until, presets[i].until);
		strcpy(b.cutoff, presets[i].cutoff);
		assert_int_equal(td_store_list_plan(h, &q, &b, true, plan,
						    sizeof plan, &err), TD_OK);
		/* The tally (a few rows per site) is read whole, in one
		 * step; any other count is a capped walk. */
		bool tally = !strchr(plan, '\n') || !strchr(plan, '\n')[1];
		tally = tally && (strncmp(plan, "SCAN d\n", 7) == 0 ||
				  strstr(plan, "USING PRIMARY KEY"));
		bool want = !strchr(presets[i].spec, ';') &&
			    !presets[i].since[0] && !presets[i].cutoff[0] &&
			    !strstr(presets[i].spec, "assignee") &&
			    !strstr(presets[i].spec, "need");
		if (tally != want)
			fail_msg("count of %s: %s", presets[i].spec, plan);
	}
	td_store_close(h);
}

/* A search's count while typing stops at its cap, exactly. */
static void capped_count(void **state)
{
	struct td_app *app = NULL;
	struct td_query q;
	td_err err = { 0 };
	long n = -1;
	open_app(&app, "MET");
	td_query_init(&q);
	/* Every site's dossiers come from the tally: exact whatever the
	 * cap; a filter it does not know is capped. */
	assert_int_equal(td_app_queue_count(app, &q, 2, &n, &err), TD_OK);
	assert_int_equal(n, 4);
	assert_int_equal(td_app_queue_count(app, &q, 10, &n, &err), TD_OK);
	assert_int_equal(n, 4);
	assert_int_equal(td_query_set(&q, "need", "funding,advice,hosting",
				      &err), TD_OK);
	assert_int_equal(td_app_queue_count(app, &q, 2, &n, &err), TD_OK);
	assert_int_equal(n, 2);
	assert_int_equal(td_app_queue_count(app, &q, 0, &n, &err), TD_OK);
	assert_int_equal(n, 4);
	td_query_init(&q);
	/* "e" is one letter (no search): "ep" finds Épicerie, Épinal. */
	/* A one-letter search is no search: every dossier, from the tally. */
	assert_int_equal(td_query_set(&q, "search", "a", &err), TD_OK);
	assert_int_equal(td_app_queue_count(app, &q, 3, &n, &err), TD_OK);
	assert_int_equal(n, 4);
	assert_int_equal(td_query_set(&q, "search", "br", &err), TD_OK);
	assert_int_equal(td_app_queue_count(app, &q, 1001, &n, &err), TD_OK);
	assert_int_equal(n, 1);
	/* Search with a filter (another statement shape), capped and not. */
	add("MET", "2026-12-05T09:00:00Z", "Brun", "Léa", "Bricolage", "funding",
	    (char[TD_REF_SIZE]){ 0 });
	assert_int_equal(td_query_set(&q, "site", "MET", &err), TD_OK);
	assert_int_equal(td_app_queue_count(app, &q, 1001, &n, &err), TD_OK);
	assert_int_equal(n, 2);
	assert_int_equal(td_app_queue_count(app, &q, 1, &n, &err), TD_OK);
	assert_int_equal(n, 1);
	assert_int_equal(td_app_queue_count(app, &q, 0, &n, &err), TD_OK);
	assert_int_equal(n, 2);
	td_app_close(app);
}

/* Dossiers with ties on every sort key: same creation times, same
 * names (and one holder with several dossiers), same titles, stages,
 * needs, statuses, assignees and last actions, and NULLs in the
 * nullable ones (stage, project, assignee). */
static void tie_everything(void)
{
	static const char *const names[][2] = {
		{ "Martin", "Léa" }, { "Martin", "Léa" }, { "Adam", "Luc" },
		{ "Martin", "Hugo" }, { "Zorn", "Ève" }, { "Adam", "Luc" },
	};
	sqlite3 *h;
	char ref[TD_REF_SIZE], now[32];
	for (int i = 0; i < 14; i++) {
		snprintf(now, sizeof now, "2026-12-%02dT09:00:00Z", 5 + i / 3);
		add(i % 4 ? "MET" : "NAN", now, names[i % 6][0], names[i % 6][1],
		    i % 5 ? "Atelier" : "Brasserie", i % 2 ? "funding" : "advice",
		    ref);
	}
	assert_int_equal(sqlite3_open(db, &h), SQLITE_OK);
	assert_int_equal(sqlite3_exec(h,
		"UPDATE dossier SET holder_id = (SELECT holder_id FROM dossier"
		" ORDER BY rowid LIMIT 1) WHERE rowid % 5 = 0;"
		"UPDATE dossier SET project_title = CASE rowid % 3 WHEN 0 THEN NULL"
		" WHEN 1 THEN 'Même titre' ELSE project_title END;"
		"UPDATE dossier SET stage = CASE WHEN rowid % 2 THEN 'seed' END;"
		"UPDATE dossier SET assigned_to = CASE rowid % 3 WHEN 1 THEN"
		" 'jmarchal' WHEN 2 THEN 'desk' END;"
		"UPDATE dossier SET status = CASE WHEN rowid % 4 THEN 'triaged'"
		" ELSE 'new' END;"
		"UPDATE dossier_activity SET last_action_at = CASE WHEN"
		" dossier_id IN (SELECT id FROM dossier WHERE rowid % 2 = 0)"
		" THEN '2026-12-20T10:00:00Z' ELSE '2026-12-21T10:00:00Z' END;"
		/* Deleted rows are in the indexes a locate counts in. */
		"UPDATE dossier SET deleted = 1 WHERE rowid IN (7, 12);",
		NULL, NULL, NULL), SQLITE_OK);
	sqlite3_close(h);
}

#define ALL 64

/* The whole list of q at once (no anchor): what the walks must give. */
static int all_rows(struct td_app *app, const struct td_query *q,
		    struct td_queue_row *rows, int max, int *n)
{
	td_err err = { 0 };
	return td_app_queue_seek(app, q, NULL, TD_SEEK_AFTER, max, rows, n, &err);
}

/* Walk q's queue by keyset pages of `step` rows, forwards or backwards,
 * and check it gives exactly all[0..n) in the same order. */
static void walk(struct td_app *app, const struct td_query *q, bool back,
		 int step, char (*all)[TD_REF_SIZE], int n, const char *what)
{
	struct td_queue_row rows[ALL];
	char anchor[TD_REF_SIZE] = "";
	td_err err = { 0 };
	int seen = 0;
	for (;;) {
		int got = -1, lim = back && n - seen < step ? n - seen : step;
		if (lim == 0)
			break;
		if (td_app_queue_seek(app, q, anchor[0] ? anchor : NULL,
				      back ? TD_SEEK_BEFORE : TD_SEEK_AFTER, lim,
				      rows, &got, &err))
			fail_msg("%s: %s", what, err.msg);
		for (int i = 0; i < got; i++) {
			int k = back ? n - seen - got + i : seen + i;
			if (k < 0 || k >= n || strcmp(rows[i].d.reference, all[k]))
				fail_msg("%s %s: row %d is %s, not %s", what,
					 back ? "backwards" : "forwards", k,
					 rows[i].d.reference, k >= 0 && k < n ?
					 all[k] : "past the end");
		}
		seen += got;
		if (got < lim)
			break;
		memcpy(anchor, rows[back ? 0 : got - 1].d.reference,
		       sizeof anchor);
	}
	if (seen != n)
		fail_msg("%s: %d rows by keyset, %d by offset", what, seen, n);
}

/* Keyset pages of any size, forwards and backwards, give exactly the
 * rows of the whole list read at once, in the same order, for every sort
 * column both ways, with ties, NULLs and deleted rows; locate gives each
 * row's number. */
static void keyset_walks_agree(void **state)
{
	static const char *const extra[] = { "", "site=MET", "search=atelier",
					     "status=triaged;need=funding" };
	struct td_app *app = NULL;
	struct td_queue_row rows[ALL];
	char all[ALL][TD_REF_SIZE];
	td_err err = { 0 };

	tie_everything();
	open_app(&app, "MET");
	for (size_t e = 0; e < sizeof extra / sizeof *extra; e++)
		for (int c = -1; c < TD_QC_COUNT; c++)
			for (int desc = 0; desc < 2; desc++) {
				struct td_query q;
				char what[128];
				int n = 0;
				assert_int_equal(td_query_parse(extra[e], &q, &err),
						 TD_OK);
				q.sort = c;
				q.desc = desc;
				snprintf(what, sizeof what, "%s;sort=%s%d", extra[e],
					 desc ? "-" : "", c);
				assert_int_equal(all_rows(app, &q, rows, ALL, &n),
						 TD_OK);
				assert_true(n > 2 && n < ALL);
				for (int i = 0; i < n; i++)
					memcpy(all[i], rows[i].d.reference,
					       TD_REF_SIZE);
				for (int step = 1; step <= 4; step++) {
					walk(app, &q, false, step, all, n, what);
					walk(app, &q, true, step, all, n, what);
				}
				/* Each row's number, counted from its keys. */
				for (int i = 0; i < n; i++) {
					long pos = -1;
					if (td_app_queue_locate(app, &q, all[i], &pos,
								&err))
						fail_msg("%s: locate %s: %s", what,
							 all[i], err.msg);
					if (pos != i)
						fail_msg("%s: %s is row %d, located"
							 " at %ld", what, all[i], i,
							 pos);
				}
			}
	/* An anchor that is not a dossier: said so. */
	struct td_query q;
	int n = 0;
	td_query_init(&q);
	assert_int_equal(td_app_queue_seek(app, &q, "MET-1999-99999",
					   TD_SEEK_AFTER, 1, rows, &n, &err),
			 TD_ENOTFOUND);
	td_app_close(app);
}

/* 4,000 more dossiers, straight into the file: a quarter at each of
 * MET, NAN, EPI and THI, two in three held by a "Marchand" (2,600 match
 * "mar" in the index), every 97th titled "Zorglub" (41), every 50th
 * deleted. */
static void many_dossiers(void)
{
	sqlite3 *h;
	assert_int_equal(sqlite3_open(db, &h), SQLITE_OK);
	int rc = sqlite3_exec(h,
		"BEGIN;"
		"CREATE TEMP TABLE n AS WITH RECURSIVE c(i) AS (SELECT 0 UNION ALL"
		" SELECT i + 1 FROM c WHERE i < 3999) SELECT i,"
		" substr('METNANEPITHI', 1 + 3 * (i % 4), 3) AS s,"
		" strftime('%Y-%m-%dT%H:%M:%SZ', 1760000000 + 600 * i,"
		" 'unixepoch') AS t FROM c;"
		"INSERT INTO holder(id, site_code, last_name, first_name, email,"
		" postcode, city, consent, consent_at, consent_version,"
		" created_at, updated_at) SELECT printf('%s-H%06d', s, i), s,"
		" CASE WHEN i % 3 THEN 'Marchand' ELSE 'Dupont' END, 'Léa',"
		" printf('c%d@exemple.fr', i), '57000', 'Metz', 1, t, 'v1', t, t"
		" FROM n ORDER BY i;"
		"INSERT INTO dossier(id, reference, holder_id, site_code,"
		" project_title, description, needs, status, created_by,"
		" created_at, updated_at) SELECT printf('%s-D%06d', s, i),"
		" printf('%s-2025-%05d', s, i), printf('%s-H%06d', s, i), s,"
		" CASE WHEN i % 97 THEN 'Atelier bois' ELSE 'Zorglub' END,"
		" 'Projet', '', 'new', 'desk', t, t FROM n ORDER BY i;"
		"UPDATE dossier SET deleted = 1 WHERE reference LIKE '%-2025-%'"
		" AND rowid % 50 = 7;"
		"COMMIT;", NULL, NULL, NULL);
	if (rc != SQLITE_OK)
		fail_msg("fill: %s", sqlite3_errmsg(h));
	sqlite3_close(h);
}

/* References of MET's live dossiers whose holder's name starts with
 * prefix (the only field where the generated words occur), or whose
 * title is title, latest registered first: the search's answer
 * worked out without the full-text index.  Returns how many. */
static int reference_rows(const char *where, char (*out)[TD_REF_SIZE],
			  int max)
{
	sqlite3 *h;
	sqlite3_stmt *st;
	char sql[512];
	int n = 0;
	snprintf(sql, sizeof sql, "SELECT d.reference FROM dossier d"
		 " JOIN holder h ON h.id = d.holder_id WHERE d.site_code = 'MET'"
		 " AND d.deleted = 0 AND %s ORDER BY d.rowid DESC", where);
	assert_int_equal(sqlite3_open(db, &h), SQLITE_OK);
	assert_int_equal(sqlite3_prepare_v2(h, sql, -1, &st, NULL), SQLITE_OK);
	while (sqlite3_step(st) == SQLITE_ROW && n < max)
		snprintf(out[n++], TD_REF_SIZE, "%s", sqlite3_column_text(st, 0));
	sqlite3_finalize(st);
	sqlite3_close(h);
	return n;
}

static void same_rows(const struct td_queue_row *rows, int got,
		      char (*want)[TD_REF_SIZE], int at, int n,
		      const char *what)
{
	for (int i = 0; i < got; i++)
		if (at + i >= n || strcmp(rows[i].d.reference, want[at + i]))
			fail_msg("%s: row %d is %s, not %s", what, at + i,
				 rows[i].d.reference,
				 at + i < n ? want[at + i] : "past the end");
}

/* A reception desk's search (held to its site, so never the bare
 * search's shortcut): exactly its site's live matches, latest first,
 * by offset and by keyset pages both ways, counted exactly and capped
 * exactly; a search of few matches lists latest first too. */
static void reception_search(void **state)
{
	enum { MAX = 1200 };
	static char want[MAX][TD_REF_SIZE];
	static struct td_queue_row rows[MAX];
	struct td_app *app = NULL;
	struct td_query q;
	td_err err = { 0 };
	long cnt = -1;
	int n, got = 0;

	many_dossiers();
	n = reference_rows("h.last_name LIKE 'mar%'", want, MAX);
	assert_true(n > 600 && n < 700);
	write_config("reception", "MET");
	open_app(&app, NULL);
	td_query_init(&q);
	assert_int_equal(td_query_set(&q, "search", "mar", &err), TD_OK);

	/* Counted in full, and capped at a point below that. */
	assert_int_equal(td_app_queue_count(app, &q, 0, &cnt, &err), TD_OK);
	assert_int_equal(cnt, n);
	assert_int_equal(td_app_queue_count(app, &q, 1001, &cnt, &err),
			 TD_OK);
	assert_int_equal(cnt, n);
	assert_int_equal(td_app_queue_count(app, &q, 300, &cnt, &err),
			 TD_OK);
	assert_int_equal(cnt, 300);
	assert_int_equal(td_app_queue_count(app, &q, n, &cnt, &err),
			 TD_OK);
	assert_int_equal(cnt, n);

	/* The first screen, one far down (after row 499, and from it on),
	 * all at once, and where a row stands. */
	assert_int_equal(td_app_queue_seek(app, &q, NULL, TD_SEEK_AFTER, 38,
					   rows, &got, &err), TD_OK);
	assert_int_equal(got, 38);
	same_rows(rows, got, want, 0, n, "first page");
	assert_int_equal(td_app_queue_seek(app, &q, want[499], TD_SEEK_AFTER,
					   38, rows, &got, &err), TD_OK);
	assert_int_equal(got, 38);
	same_rows(rows, got, want, 500, n, "page at 500");
	assert_int_equal(td_app_queue_seek(app, &q, want[500], TD_SEEK_AT, 38,
					   rows, &got, &err), TD_OK);
	same_rows(rows, got, want, 500, n, "page from 500");
	long pos = -1;
	assert_int_equal(td_app_queue_locate(app, &q, want[500], &pos, &err),
			 TD_OK);
	assert_int_equal(pos, 500);
	assert_int_equal(td_app_queue_seek(app, &q, NULL, TD_SEEK_AFTER, MAX,
					   rows, &got, &err), TD_OK);
	assert_int_equal(got, n);
	same_rows(rows, got, want, 0, n, "every row");

	/* Keyset pages after the last row of the one before, in the
	 * screen's chunks. */
	for (int step = 38; step <= 128; step += 90) {
		int seen = 0;
		char anchor[TD_REF_SIZE] = "";
		do {
			assert_int_equal(td_app_queue_seek(app, &q,
				anchor[0] ? anchor : NULL, TD_SEEK_AFTER, step,
				rows, &got, &err), TD_OK);
			same_rows(rows, got, want, seen, n, "keyset forwards");
			seen += got;
			if (got)
				memcpy(anchor, rows[got - 1].d.reference,
				       sizeof anchor);
		} while (got == step);
		assert_int_equal(seen, n);
		/* Backwards from the end, each page before the first row of
		 * the one after. */
		seen = 0;
		anchor[0] = '\0';
		do {
			int lim = n - seen < step ? n - seen : step;
			assert_int_equal(td_app_queue_seek(app, &q,
				anchor[0] ? anchor : NULL, TD_SEEK_BEFORE, lim,
				rows, &got, &err), TD_OK);
			same_rows(rows, got, want, n - seen - got, n,
				  "keyset backwards");
			seen += got;
			if (got)
				memcpy(anchor, rows[0].d.reference, sizeof anchor);
		} while (got == step && seen < n);
		assert_int_equal(seen, n);
	}

	/* The desk's whole queue (no search): its site's live dossiers. */
	td_query_init(&q);
	assert_int_equal(td_app_queue_count(app, &q, 0, &cnt, &err), TD_OK);
	assert_int_equal(cnt, reference_rows("1", want, MAX));
	assert_true(cnt > 900);
	assert_int_equal(td_query_set(&q, "search", "mar", &err), TD_OK);
	n = reference_rows("h.last_name LIKE 'mar%'", want, MAX);

	/* The plan walks the index newest first and stops at the page:
	 * no sort of every match. */
	td_db *h;
	char plan[4096];
	struct td_queue_bounds b = { "MET", "", "", "" };
	assert_int_equal(td_store_open(db, 0, &h, &err), TD_OK);
	assert_int_equal(td_store_list_plan(h, &q, &b, false, plan, sizeof plan,
					    &err), TD_OK);
	if (strncmp(plan, "SCAN f VIRTUAL TABLE", 20) != 0 ||
	    strstr(plan, "TEMP B-TREE"))
		fail_msg("a site's search sorts its matches: %s", plan);
	td_store_close(h);

	/* Few matches: latest first too, by keyset like every list. */
	n = reference_rows("d.project_title = 'Zorglub'", want, MAX);
	assert_true(n >= 5 && n < 15);
	assert_int_equal(td_query_set(&q, "search", "zorglub", &err), TD_OK);
	assert_int_equal(td_app_queue_count(app, &q, 0, &cnt, &err), TD_OK);
	assert_int_equal(cnt, n);
	assert_int_equal(td_app_queue_seek(app, &q, NULL, TD_SEEK_AFTER, MAX,
					   rows, &got, &err), TD_OK);
	assert_int_equal(got, n);
	same_rows(rows, got, want, 0, n, "few matches");
	assert_int_equal(td_app_queue_seek(app, &q, want[1], TD_SEEK_AFTER, 3,
					   rows, &got, &err), TD_OK);
	assert_int_equal(got, 3);
	same_rows(rows, got, want, 2, n, "few matches by keyset");
	td_app_close(app);
}

/* The followup section: mistakes name the file and the line. */
static void followup_config_errors(void **state)
{
	static const char *const bad[][2] = {
		{ "followup = {\n delay = 0;\n};\n", ":3:" },
		{ "followup = {\n delay = \"5\";\n};\n", ":3:" },
		{ "followup = {\n\n holidays = [ \"2026-02-30\" ];\n};\n", ":4:" },
		{ "followup = { weekend = 1; };\n", "weekend" },
	};
	struct td_config cfg;
	td_err err = { 0 };
	for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
		FILE *f = fopen(conf, "w");
		assert_non_null(f);
		fprintf(f, "site = \"MET\";\n%s", bad[i][0]);
		fclose(f);
		assert_int_equal(td_config_load(conf, &cfg, &err), TD_ECONFIG);
		if (!strstr(err.msg, conf) || !strstr(err.msg, bad[i][1]))
			fail_msg("%s -> %s", bad[i][0], err.msg);
	}
	FILE *f = fopen(conf, "w");
	assert_non_null(f);
	fprintf(f, "site = \"MET\";\nfollowup = { delay = 3; holidays = "
		   "[ \"2026-12-25\", \"2026-01-01\", \"2026-12-25\" ]; };\n");
	fclose(f);
	assert_int_equal(td_config_load(conf, &cfg, &err), TD_OK);
	assert_int_equal(cfg.followup_days, 3);
	assert_int_equal(cfg.nholidays, 2);
	assert_true(cfg.holidays[0] < cfg.holidays[1]);
	td_config_free(&cfg);
}

static int group_setup(void **state)
{
	if (!mkdtemp(dir))
		return -1;
	snprintf(db, sizeof db, "%s/q.db", dir);
	snprintf(conf, sizeof conf, "%s/q.conf", dir);
	setenv("TZ", "Europe/Paris", 1);
	td_app_set_language("en", NULL);
	return 0;
}

static int group_teardown(void **state)
{
	char cmd[1024];
	snprintf(cmd, sizeof cmd, "rm -rf %s", dir);
	return system(cmd) == 0 ? 0 : -1;
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup(filters_and_sort, setup),
		cmocka_unit_test_setup(search_folds_accents_and_follows_changes, setup),
		cmocka_unit_test_setup(search_apostrophes_and_outcomes, setup),
		cmocka_unit_test_setup(overdue_counts_business_days, setup),
		cmocka_unit_test_setup(bulk_actions_and_permissions, setup),
		cmocka_unit_test_setup(bulk_checks_what_each_row_showed, setup),
		cmocka_unit_test_setup(saved_filters, setup),
		cmocka_unit_test_setup(export_is_the_queue, setup),
		cmocka_unit_test_setup(plans_use_indexes, setup),
		cmocka_unit_test_setup(capped_count, setup),
		cmocka_unit_test_setup(keyset_walks_agree, setup),
		cmocka_unit_test_setup(reception_search, setup),
		cmocka_unit_test(followup_config_errors),
	};
	return cmocka_run_group_tests(tests, group_setup, group_teardown);
}
