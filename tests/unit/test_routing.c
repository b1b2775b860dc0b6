/* Routing use cases against a real SQLite file: the "routing" section of
 * the configuration (good and bad files), partner import with bad rows,
 * export, suggestions, referrals through their statuses (refused
 * transitions included), timeline, follow-up list and introduction text. */
#include "totemdesk/app.h"
#include "totemdesk/config.h"
#include "totemdesk/domain.h"
#include "totemdesk/i18n.h"
#include "totemdesk/partner.h"
#include "totemdesk/outfile.h"
#include "totemdesk/referral.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <pwd.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
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

static char dir[] = "/tmp/td-routing-XXXXXX";
static char db[300], conf[300];

static const char *login(void)
{
	struct passwd *pw = getpwuid(geteuid());
	return pw->pw_name;
}

static const char *write_file(const char *name, const char *text)
{
	static char path[4][300];
	static int k;
	char *p = path[k++ % 4];
	snprintf(p, sizeof path[0], "%s/%s", dir, name);
	FILE *f = fopen(p, "w");
	assert_non_null(f);
	fputs(text, f);
	fclose(f);
	return p;
}

/* A config where the current login has role at site, plus routing. */
static void write_config(const char *role, const char *site,
			 const char *routing)
{
	FILE *f = fopen(conf, "w");
	assert_non_null(f);
	fprintf(f, "site = \"%s\";\ndatabase = \"%s\";\n"
		   "users = ( { login = \"%s\"; name = \"Zoé Test\"; role = \"%s\"; site = \"%s\"; } );\n"
		   "%s\n",
		site, db, login(), role, site, routing ? routing : "");
	fclose(f);
}

static int setup(void **state)
{
	td_err err = { 0 };
	char cmd[1024];
	if (snprintf(cmd, sizeof cmd, "rm -f %s %s-wal %s-shm", db, db, db) >=
	    (int)sizeof cmd || system(cmd) != 0)
		return -1;
	if (td_app_init_db(db, &err) != TD_OK) {
		fprintf(stderr, "init: %s\n", err.msg);
		return -1;
	}
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

/* ---- configuration ----------------------------------------------------- */

static void good_routing_loads(void **state)
{
	struct td_config cfg;
	td_err err = { 0 };
	write_config("officer", "MET",
		"routing = {\n"
		"  suggestions = 3;\n"
		"  followup_days = { sent = 10; meeting = 0; };\n"
		"  rules = (\n"
		"    { name = \"Metz seed funding\"; site = [\"MET\", \"NAN\"];\n"
		"      stage = [\"seed\", \"creation\"]; needs = \"funding\";\n"
		"      siret = true; partner = \"initiative-metz\"; weight = 50; },\n"
		"    { name = \"Retail\"; sector = \"retail\"; kind = \"advice\"; },\n"
		"    { stop = true; }\n"
		"  );\n"
		"};\n");
	assert_int_equal(td_config_load(conf, &cfg, &err), TD_OK);
	const struct td_routing *r = cfg.routing;
	assert_non_null(r);
	assert_int_equal(r->suggestions, 3);
	assert_int_equal(r->followup_days[TD_RS_SENT], 10);
	assert_int_equal(r->followup_days[TD_RS_MEETING], 0);
	assert_int_equal(r->followup_days[TD_RS_PROPOSED], 2); /* default */
	assert_int_equal(r->nrules, 3);
	assert_string_equal(r->rules[0].name, "Metz seed funding");
	assert_string_equal(r->rules[0].sites, "MET|NAN");
	assert_int_equal(r->rules[0].stages,
			 1u << td_enum_find(&td_stages, "seed") |
			 1u << td_enum_find(&td_stages, "creation"));
	assert_int_equal(r->rules[0].needs,
			 1u << td_enum_find(&td_needs, "funding"));
	assert_int_equal(r->rules[0].siret, 1);
	assert_string_equal(r->rules[0].partner, "initiative-metz");
	assert_int_equal(r->rules[0].weight, 50);
	assert_int_equal(r->rules[0].line, 8);
	assert_int_equal(r->rules[1].kind,
			 td_enum_find(&td_partner_kinds, "advice"));
	assert_int_equal(r->rules[1].weight, 100);
	assert_string_equal(r->rules[2].name, "#3");
	assert_true(r->rules[2].stop);
	td_config_free(&cfg);
	assert_null(cfg.routing);
}

static void bad_routing_names_file_and_line(void **state)
{
	static const struct {
		const char *text;
		int line;
		const char *says;
	} cases[] = {
		{ "routing = {\n rules = (\n { needs = \"money\"; kind = \"funding\"; }\n );\n};", 3, "money" },
		{ "routing = {\n rules = (\n { kind = \"funding\"; },\n { site = \"PAR\"; kind = \"advice\"; }\n );\n};", 4, "PAR" },
		{ "routing = {\n rules = (\n { name = \"idle\"; needs = \"funding\"; }\n );\n};", 3, "idle" },
		{ "routing = {\n rules = (\n { partner = \"Initiative Metz\"; }\n );\n};", 3, "partner" },
		{ "routing = {\n rules = (\n { kind = \"bank\"; }\n );\n};", 3, "kind" },
		{ "routing = {\n rules = (\n { kind = \"advice\";\n   colour = \"red\"; }\n );\n};", 4, "colour" },
		{ "routing = {\n rules = (\n { kind = \"advice\"; partner = \"x\"; }\n );\n};", 3, "both" },
		{ "routing = {\n rules = (\n { kind = \"advice\"; siret = \"yes\"; }\n );\n};", 3, "siret" },
		{ "routing = {\n rules = (\n { kind = \"advice\";\n weight = 5000; }\n );\n};", 4, "weight" },
		{ "routing = {\n followup_days = {\n   later = 3; };\n};", 3, "later" },
		{ "routing = {\n suggestions = 0;\n};", 2, "suggestions" },
		{ "routing = {\n rules = { kind = \"advice\"; };\n};", 2, "list" },
		{ "routing = {\n stage = \"seed\";\n};", 2, "stage" },
		{ "routing = {\n rules = (\n { stage = \"startup\"; kind = \"advice\"; }\n );\n};", 3, "startup" },
	};
	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		struct td_config cfg;
		td_err err = { 0 };
		char want[400];
		write_config("officer", "MET", cases[i].text);
		assert_int_equal(td_config_load(conf, &cfg, &err), TD_ECONFIG);
		/* The routing text starts on line 4 of the file. */
		snprintf(want, sizeof want, "%s:%d: ", conf, cases[i].line + 3);
		if (strncmp(err.msg, want, strlen(want)) != 0 ||
		    !strstr(err.msg, cases[i].says))
			fail_msg("case %zu: got \"%s\", want \"%s...%s\"", i,
				 err.msg, want, cases[i].says);
		assert_null(cfg.routing);
	}
}

/* ---- partners ---------------------------------------------------------- */

#define HEADER "id,name,kind,sites,city,address,website,stages,needs,description,source,contact,email,phone,sectors,capacity\n"

static void import_with_bad_rows(void **state)
{
	struct td_app *app = NULL;
	struct td_partner p;
	td_err err = { 0 };
	long imp = 0, skip = 0;
	char out[4096];

	write_config("officer", "COO", NULL);
	open_app(&app);
	const char *csv = write_file("partners.csv",
		HEADER
		"new-fund,Nouveau fonds,funding,MET,Metz,,,seed,funding,Prêts,https://x.example,Anne Roy,Anne.Roy@Exemple.FR,03 87 00 00 00,fintech,3\n"
		"bad-mail,Mauvais,advice,MET,,,,ALL,advice,,,,anne@,,,0\n"
		"bad-kind,Mauvais,bank,MET,,,,ALL,advice,,,,,,,0\n"
		"Bad Id,Mauvais,advice,MET,,,,ALL,advice,,,,,,,0\n"
		"bad-phone,Mauvais,advice,MET,,,,ALL,advice,,,,,12,,0\n"
		"bad-cap,Mauvais,advice,MET,,,,ALL,advice,,,,,,,-2\n"
		"new-fund,Doublon,funding,MET,,,,ALL,funding,,,,,,,0\n"
		"initiative-metz,Initiative Metz (modifié),funding,MET,Metz,,,ALL,funding|advice,,https://y.example,,,,,5\n");

	FILE *rep = fmemopen(out, sizeof out, "w");
	assert_int_equal(td_app_partner_import(app, csv, false, rep, &imp,
					       &skip, &err), TD_EINVAL);
	fclose(rep);
	assert_int_equal(imp, 0);
	assert_int_equal(skip, 6);
	assert_non_null(strstr(err.msg, "--skip-bad"));
	/* One "FILE:LINE: problem" per bad row. */
	char want[400];
	for (int line = 3; line <= 8; line++) {
		snprintf(want, sizeof want, "%s:%d: ", csv, line);
		if (!strstr(out, want))
			fail_msg("no %s in:\n%s", want, out);
	}
	assert_non_null(strstr(out, "anne@"));
	assert_non_null(strstr(out, "bank"));
	assert_non_null(strstr(out, "twice"));
	/* Nothing written. */
	assert_int_equal(td_app_partner_get(app, "new-fund", &p, &err),
			 TD_ENOTFOUND);
	assert_int_equal(td_app_partner_get(app, "initiative-metz", &p, &err),
			 TD_OK);
	assert_string_equal(p.name, "Initiative Metz");

	/* --skip-bad: the good rows go in, in one transaction. */
	rep = fmemopen(out, sizeof out, "w");
	assert_int_equal(td_app_partner_import(app, csv, true, rep, &imp,
					       &skip, &err), TD_OK);
	fclose(rep);
	assert_int_equal(imp, 2);
	assert_int_equal(skip, 6);
	assert_int_equal(td_app_partner_get(app, "new-fund", &p, &err), TD_OK);
	assert_string_equal(p.email, "Anne.Roy@exemple.fr");
	assert_string_equal(p.phone, "+33387000000");
	assert_string_equal(p.contact, "Anne Roy");
	assert_string_equal(p.sectors, "fintech");
	assert_int_equal(p.capacity, 3);
	assert_true(p.active);
	assert_int_equal(td_app_partner_get(app, "initiative-metz", &p, &err),
			 TD_OK);
	assert_string_equal(p.name, "Initiative Metz (modifié)");
	assert_int_equal(p.capacity, 5);

	/* A broken header is refused as a whole. */
	csv = write_file("nohead.csv", "id,name\nx,y\n");
	rep = fmemopen(out, sizeof out, "w");
	assert_int_equal(td_app_partner_import(app, csv, true, rep, &imp,
					       &skip, &err), TD_EINVAL);
	fclose(rep);
	assert_non_null(strstr(err.msg, ":1: "));

	/* Export: seed columns first, then the new ones; 46 + 1 partners. */
	char *buf = NULL;
	size_t len = 0;
	long count = 0;
	FILE *mem = open_memstream(&buf, &len);
	assert_int_equal(td_app_partner_export(app, mem, &count, &err), TD_OK);
	fclose(mem);
	assert_int_equal(count, 47);
	assert_true(strncmp(buf, "id,name,kind,sites,city,address,website,stages,needs,description,source,contact,email,phone,sectors,capacity,active\r\n", 110) == 0);
	assert_non_null(strstr(buf, "new-fund,Nouveau fonds,funding,MET,Metz"));
	/* And it reads back. */
	const char *again = write_file("again.csv", buf);
	rep = fmemopen(out, sizeof out, "w");
	assert_int_equal(td_app_partner_import(app, again, false, rep, &imp,
					       &skip, &err), TD_OK);
	fclose(rep);
	assert_int_equal(imp, 47);
	free(buf);

	/* Deactivate; reception may not edit. */
	assert_int_equal(td_app_partner_set_active(app, "new-fund", false, &err),
			 TD_OK);
	struct td_partner *list = NULL;
	int n = 0;
	assert_int_equal(td_app_partner_list(app, "nouveau", false, &list, &n,
					     &err), TD_OK);
	assert_int_equal(n, 0);
	free(list);
	assert_int_equal(td_app_partner_list(app, "NOUVEAU", true, &list, &n,
					     &err), TD_OK);
	assert_int_equal(n, 1);
	assert_false(list[0].active);
	free(list);
	/* Accent-insensitive: "epinal" finds "Épinal". */
	assert_int_equal(td_app_partner_list(app, "epinal", false, &list, &n,
					     &err), TD_OK);
	assert_true(n > 0);
	free(list);
	td_app_close(app);

	write_config("reception", "MET", NULL);
	open_app(&app);
	assert_int_equal(td_app_partner_set_active(app, "new-fund", true, &err),
			 TD_EPERM);
	rep = fmemopen(out, sizeof out, "w");
	assert_int_equal(td_app_partner_import(app, again, false, rep, &imp,
					       &skip, &err), TD_EPERM);
	fclose(rep);
	td_app_close(app);
}

/* The partner export guards the text typed by people against spreadsheet
 * formulas, and what it writes imports as it was typed (csv.h). */
static void partner_export_guards_and_reads_back(void **state)
{
	struct td_app *app = NULL;
	struct td_partner p;
	td_err err = { 0 };
	long imp = 0, skip = 0, count = 0;
	char out[4096];

	write_config("officer", "COO", NULL);
	open_app(&app);
	/* Typed by hand: the quote before "=typed" is a guard, so the
	 * contact really starting with a quote is written with two. */
	const char *csv = write_file("formulas.csv",
		HEADER
		"formula,-Fonds +,funding,MET,@Metz,,,seed,funding,\"=HYPERLINK(\"\"x\"\")\",,''=typed,,+33 3 87 00 00 00,,0\n");
	FILE *rep = fmemopen(out, sizeof out, "w");
	assert_int_equal(td_app_partner_import(app, csv, false, rep, &imp,
					       &skip, &err), TD_OK);
	fclose(rep);

	char *buf = NULL;
	size_t len = 0;
	FILE *mem = open_memstream(&buf, &len);
	assert_int_equal(td_app_partner_export(app, mem, &count, &err), TD_OK);
	fclose(mem);
	if (!strstr(buf, "formula,'-Fonds +,funding,MET,'@Metz,,,seed,funding,"
			 "\"'=HYPERLINK(\"\"x\"\")\",,''=typed,,+33387000000,"))
		fail_msg("not guarded as expected:\n%s", strstr(buf, "\r\nformula,") ? strstr(buf, "\r\nformula,") : "(no row)");

	/* Read back as typed. */
	const char *again = write_file("formulas-again.csv", buf);
	rep = fmemopen(out, sizeof out, "w");
	assert_int_equal(td_app_partner_import(app, again, false, rep, &imp,
					       &skip, &err), TD_OK);
	fclose(rep);
	free(buf);
	assert_int_equal(td_app_partner_get(app, "formula", &p, &err), TD_OK);
	assert_string_equal(p.name, "-Fonds +");
	assert_string_equal(p.city, "@Metz");
	assert_string_equal(p.description, "=HYPERLINK(\"x\")");
	assert_string_equal(p.contact, "'=typed");
	assert_string_equal(p.phone, "+33387000000");
	td_app_close(app);
}

/* ---- referrals --------------------------------------------------------- */

static void fill(struct td_intake *in)
{
	memset(in, 0, sizeof *in);
	strcpy(in->last_name, "Lefèvre");
	strcpy(in->first_name, "Zoé");
	strcpy(in->email, "zoe@exemple.fr");
	strcpy(in->postcode, "57000");
	strcpy(in->city, "Metz");
	strcpy(in->title, "Épicerie vrac");
	strcpy(in->siret, "732 829 320 00074");
	in->stage = td_enum_find(&td_stages, "seed");
	in->needs = 1u << td_enum_find(&td_needs, "funding");
	in->consent = true;
}

struct tl {
	int referral, status, changes;
	bool note_copied;
	char last[1024];
};

static int on_event(const struct td_event *e, void *vctx)
{
	struct tl *t = vctx;
	/* One action for the whole life of a referral: creation says its
	 * first status, a change "from -> to". */
	if (strcmp(e->action, "referral") == 0 && !strstr(e->detail, " -> "))
		t->referral++;
	if (strcmp(e->action, "status") == 0)
		t->status++;
	if (strcmp(e->action, "referral") == 0 && strstr(e->detail, " -> "))
		t->changes++;
	if (strstr(e->detail, "RDV"))
		t->note_copied = true;
	snprintf(t->last, sizeof t->last, "%s", e->detail);
	return 0;
}

static void refer_and_follow(void **state)
{
	struct td_app *app = NULL;
	struct td_intake in;
	struct td_dossier d;
	struct td_suggestion sug[8];
	char ref[TD_REF_SIZE], id[TD_ID_SIZE], id2[TD_ID_SIZE];
	td_err err = { 0 };
	int n = 0;

	setenv("TOTEMDESK_NOW", "2026-11-23T10:00:00Z", 1);
	write_config("reception", "MET",
		"routing = { followup_days = { proposed = 3; sent = 7; };\n"
		"  rules = ( { name = \"Metz funding\"; needs = \"funding\";\n"
		"    site = \"MET\"; partner = \"initiative-metz\"; } ); };");
	open_app(&app);
	fill(&in);
	if (td_app_register(app, &in, ref, NULL, &err) != TD_OK)
		fail_msg("register: %s", err.msg);

	/* Suggestions: the rule's partner first, with its reason. */
	assert_int_equal(td_app_suggest(app, ref, sug, 8, &n, &err), TD_OK);
	assert_true(n >= 3);
	assert_string_equal(sug[0].partner.id, "initiative-metz");
	assert_non_null(strstr(sug[0].reason, "Metz funding"));
	assert_non_null(strstr(sug[0].reason, "Metz \xe2\x9c\x93"));
	for (int i = 1; i < n; i++)
		assert_true(sug[i].fit.score <= sug[i - 1].fit.score);

	/* Refer to two partners: the dossier moves to referred once. */
	assert_int_equal(td_app_refer(app, ref, sug[0].partner.id,
				      sug[0].reason, id, &err), TD_OK);
	/* With one referral, the dossier's reference names it. */
	char *one_text = NULL;
	assert_int_equal(td_app_referral_text(app, ref, "fr", &one_text, &err),
			 TD_OK);
	assert_non_null(strstr(one_text, ref));
	free(one_text);
	assert_int_equal(td_app_refer(app, ref, sug[1].partner.id,
				      sug[1].reason, id2, &err), TD_OK);
	assert_int_equal(td_app_dossier_get(app, ref, &d, &err), TD_OK);
	assert_int_equal(d.status, TD_ST_REFERRED);

	struct td_referral *list = NULL;
	assert_int_equal(td_app_referral_list(app, ref, &list, &n, &err), TD_OK);
	assert_int_equal(n, 2);
	assert_string_equal(list[0].id, id);
	assert_int_equal(list[0].status, TD_RS_PROPOSED);
	assert_string_equal(list[0].followup_on, "2026-11-26");
	assert_string_equal(list[0].partner_id, "initiative-metz");
	assert_string_equal(list[0].reference, ref);
	free(list);

	/* The partner's workload counts it now. */
	struct td_partner p;
	assert_int_equal(td_app_partner_get(app, "initiative-metz", &p, &err),
			 TD_OK);
	assert_int_equal(p.open, 1);

	/* State machine in the app layer. */
	assert_int_equal(td_app_referral_update(app, id, rv(app, id),
						TD_RS_ACCEPTED, NULL,
						NULL, &err), TD_EINVAL);
	assert_non_null(strstr(err.msg, "accepted"));
	assert_int_equal(td_app_referral_update(app, id, rv(app, id),
						TD_RS_SENT, NULL,
						NULL, &err), TD_OK);
	assert_int_equal(td_app_referral_update(app, id, rv(app, id),
						TD_RS_MEETING,
						"RDV le 2 décembre",
						"2026-12-02", &err), TD_OK);
	assert_int_equal(td_app_referral_update(app, id, rv(app, id),
						TD_RS_SENT, NULL,
						NULL, &err), TD_EINVAL);
	assert_int_equal(td_app_referral_update(app, id, rv(app, id),
						TD_RS_MEETING, NULL,
						"2 décembre", &err), TD_EINVAL);
	/* Issue 13 point 2: a change made from a screen that showed an
	 * older version is refused, nothing written, and goes through at
	 * the version now stored once the user chose to keep theirs. */
	int shown = rv(app, id);
	assert_int_equal(td_app_referral_update(app, id, shown, TD_RS_MEETING,
						"Autre poste", NULL, &err),
			 TD_OK);
	assert_int_equal(td_app_referral_update(app, id, shown, TD_RS_MEETING,
						"RDV le 2 décembre", NULL,
						&err), TD_ECONFLICT);
	assert_non_null(strstr(err.msg, "another desk"));
	struct td_referral now;
	assert_int_equal(td_app_referral_get(app, id, &now, &err), TD_OK);
	assert_string_equal(now.outcome, "Autre poste");
	assert_true(now.version > shown);
	assert_int_equal(td_app_referral_update(app, id, now.version,
						TD_RS_MEETING,
						"RDV le 2 décembre", NULL,
						&err), TD_OK);
	struct td_referral *one = NULL;
	assert_int_equal(td_app_referral_list(app, ref, &one, &n, &err), TD_OK);
	assert_int_equal(one[0].status, TD_RS_MEETING);
	assert_string_equal(one[0].outcome, "RDV le 2 décembre");
	assert_string_equal(one[0].followup_on, "2026-12-02");
	free(one);
	assert_int_equal(td_app_referral_update(app, id, rv(app, id),
						TD_RS_ACCEPTED,
						"Pris en charge", NULL, &err),
			 TD_OK);
	assert_int_equal(td_app_referral_update(app, id, rv(app, id),
						TD_RS_DECLINED, NULL,
						NULL, &err), TD_EINVAL);
	assert_int_equal(td_app_partner_get(app, "initiative-metz", &p, &err),
			 TD_OK);
	assert_int_equal(p.open, 0);

	/* Timeline: two referrals and the two notes of the conflict above,
	 * one dossier status change, three referral status changes. */
	struct tl t = { 0 };
	assert_int_equal(td_app_timeline(app, d.id, on_event, &t, &err), TD_OK);
	assert_int_equal(t.referral, 4);
	assert_int_equal(t.status, 1);
	assert_int_equal(t.changes, 3);
	assert_non_null(strstr(t.last, "meeting -> accepted"));
	/* The outcome note's text is not copied into the audit log. */
	assert_false(t.note_copied);

	/* Follow-up: the second referral (proposed, due 26/11) is due on
	 * the 26th, not before. */
	struct td_referral *due = NULL;
	assert_int_equal(td_app_referral_due(app, &due, &n, &err), TD_OK);
	assert_int_equal(n, 0);
	free(due);
	setenv("TOTEMDESK_NOW", "2026-11-26T12:00:00Z", 1);
	assert_int_equal(td_app_referral_due(app, &due, &n, &err), TD_OK);
	assert_int_equal(n, 1);
	assert_string_equal(due[0].id, id2);
	free(due);

	/* Introduction text, French and English, consented data only. */
	char *text = NULL;
	assert_int_equal(td_app_referral_text(app, id, "fr", &text, &err),
			 TD_OK);
	assert_non_null(strstr(text, "Zoé Lefèvre"));
	assert_non_null(strstr(text, "zoe@exemple.fr"));
	assert_non_null(strstr(text, "Épicerie vrac"));
	assert_non_null(strstr(text, "73282932000074"));
	assert_non_null(strstr(text, ref));
	/* No phone given: the line is left out, no placeholder remains. */
	assert_null(strstr(text, "Téléphone"));
	assert_null(strstr(text, "{{"));
	free(text);
	assert_int_equal(td_app_referral_text(app, id, "en", &text, &err),
			 TD_OK);
	assert_non_null(strstr(text, "Stage: seed"));
	assert_non_null(strstr(text, "Needs: funding"));
	free(text);
	/* German, for the partners in Saarland (issue 12): the template,
	 * the vocabularies' words and the "why you" in German. */
	assert_int_equal(td_app_referral_text(app, id, "de", &text, &err),
			 TD_OK);
	assert_non_null(strstr(text, "Betreff: Kontaktvermittlung"));
	assert_non_null(strstr(text, "Phase: Gründungsvorbereitung"));
	assert_non_null(strstr(text, "Bedarf: Finanzierung"));
	assert_non_null(strstr(text, "Warum Sie: Der Bedarf (Finanzierung)"));
	assert_null(strstr(text, "{{"));
	free(text);
	assert_int_equal(td_app_referral_text(app, id, "it", &text, &err),
			 TD_EINVAL);
	/* The dossier's reference stands for its referral when it has one
	 * only; with two, the message lists their ids. */
	assert_int_equal(td_app_referral_text(app, ref, "fr", &text, &err),
			 TD_EINVAL);
	assert_non_null(strstr(err.msg, id));
	assert_non_null(strstr(err.msg, id2));
	assert_int_equal(td_app_referral_text(app, "MET-2026-9999", "fr",
					      &text, &err), TD_ENOTFOUND);

	char path[400];
	struct stat st;
	snprintf(path, sizeof path, "%s/intro.txt", dir);
	assert_int_equal(td_app_referral_text_file(app, id, "fr", path, 0, &err),
			 TD_OK);
	assert_int_equal(stat(path, &st), 0);
	assert_int_equal(st.st_mode & 0777, 0600);
	/* Written once: a second time only when the screen has asked. */
	assert_int_equal(td_app_referral_text_file(app, id, "fr", path, 0, &err),
			 TD_EEXIST);
	assert_int_equal(td_app_referral_text_file(app, id, "fr", path,
						   TD_OUT_FORCE, &err), TD_OK);

	/* Export of the referrals. */
	char *buf = NULL;
	size_t len = 0;
	long count = 0;
	FILE *mem = open_memstream(&buf, &len);
	assert_int_equal(td_app_referral_export(app, mem, &count, &err), TD_OK);
	fclose(mem);
	assert_int_equal(count, 2);
	assert_non_null(strstr(buf, "initiative-metz,Initiative Metz,accepted"));
	free(buf);

	/* An inactive partner cannot be referred to; unknown ones neither. */
	assert_int_equal(td_app_refer(app, ref, "no-such-partner", NULL, NULL,
				      &err), TD_ENOTFOUND);
	td_app_close(app);
	unsetenv("TOTEMDESK_NOW");
}

/* The last status change of a referral can be taken back (issue 11
 * point 14): status, its date and the follow-up as they were; the audit
 * keeps the change and its undoing; a change made since, or a "before"
 * the state machine could not have left, is refused. */
static void final_status_undone(void **state)
{
	struct td_app *app = NULL;
	struct td_intake in;
	struct td_referral *list = NULL, before;
	char ref[TD_REF_SIZE], id[TD_ID_SIZE], at[TD_TIME_SIZE];
	td_err err = { 0 };
	int n = 0;

	setenv("TOTEMDESK_NOW", "2026-11-23T10:00:00Z", 1);
	write_config("officer", "MET", NULL);
	open_app(&app);
	fill(&in);
	assert_int_equal(td_app_register(app, &in, ref, NULL, &err), TD_OK);
	assert_int_equal(td_app_refer(app, ref, "initiative-metz", "test", id,
				      &err), TD_OK);
	assert_int_equal(td_app_referral_update(app, id, rv(app, id),
						TD_RS_SENT, NULL,
						NULL, &err), TD_OK);
	setenv("TOTEMDESK_NOW", "2026-11-24T10:00:00Z", 1);
	assert_int_equal(td_app_referral_update(app, id, rv(app, id),
						TD_RS_MEETING, NULL,
						"2026-12-02", &err), TD_OK);
	assert_int_equal(td_app_referral_list(app, ref, &list, &n, &err), TD_OK);
	before = list[0];
	free(list);

	setenv("TOTEMDESK_NOW", "2026-11-25T10:00:00Z", 1);
	assert_int_equal(td_app_referral_update(app, id, rv(app, id),
						TD_RS_ACCEPTED, NULL,
						NULL, &err), TD_OK);
	assert_int_equal(td_app_referral_list(app, ref, &list, &n, &err), TD_OK);
	snprintf(at, sizeof at, "%s", list[0].updated_at);
	assert_int_equal(list[0].status, TD_RS_ACCEPTED);
	free(list);

	/* A "before" the state machine could not have left: refused. */
	struct td_referral forged = before;
	forged.status = TD_RS_PROPOSED;
	assert_int_equal(td_app_referral_undo(app, &forged, at, &err), TD_EINVAL);

	setenv("TOTEMDESK_NOW", "2026-11-25T10:05:00Z", 1);
	assert_int_equal(td_app_referral_undo(app, &before, at, &err), TD_OK);
	assert_int_equal(td_app_referral_list(app, ref, &list, &n, &err), TD_OK);
	assert_int_equal(list[0].status, TD_RS_MEETING);
	assert_string_equal(list[0].status_at, before.status_at);
	assert_string_equal(list[0].followup_on, "2026-12-02");
	free(list);
	/* Once only: the referral changed since (the undo itself). */
	assert_int_equal(td_app_referral_undo(app, &before, at, &err), TD_EBUSY);

	/* The audit keeps both, and the timeline shows the undoing. */
	struct td_dossier d;
	struct tl t = { 0 };
	assert_int_equal(td_app_dossier_get(app, ref, &d, &err), TD_OK);
	assert_int_equal(td_app_timeline(app, d.id, on_event, &t, &err), TD_OK);
	assert_int_equal(t.changes, 4);
	assert_non_null(strstr(t.last, "accepted -> meeting"));
	assert_non_null(strstr(t.last, "undone"));
	char shown[300];
	td_app_event_detail("referral", "initiative-metz: accepted -> meeting;"
			    " undone", shown, sizeof shown);
	assert_non_null(strstr(shown, "undone"));
	td_app_close(app);
	unsetenv("TOTEMDESK_NOW");
}

/* A rule naming a partner the directory does not have is a configuration
 * mistake reported at start-up with FILE:LINE (not when routing). */
static void rule_naming_missing_partner(void **state)
{
	struct td_app *app = NULL;
	struct td_app_options o = { .config_path = conf, .need_user = true,
				    .need_config = true };
	char want[400];
	td_err err = { 0 };

	write_config("reception", "MET",
		"routing = {\n rules = (\n  { partner = \"gone-away\"; }\n );\n};");
	assert_int_equal(td_app_open(&app, &o, &err), TD_ECONFIG);
	snprintf(want, sizeof want, "%s:6: ", conf);
	assert_true(strncmp(err.msg, want, strlen(want)) == 0);
	assert_non_null(strstr(err.msg, "gone-away"));
}

struct last_ref {
	char detail[1024];
};

static int on_referral(const struct td_event *e, void *vctx)
{
	struct last_ref *l = vctx;
	if (strcmp(e->action, "referral") == 0)
		snprintf(l->detail, sizeof l->detail, "%s", e->detail);
	return 0;
}

/* The audit log holds no language: a status change with a note made
 * while the interface speaks French is logged in codes and fixed
 * English words, and shown in French or English as asked. */
static void audit_detail_language_independent(void **state)
{
	const char *localedir = getenv("TOTEMDESK_LOCALEDIR");
	struct td_app *app = NULL;
	struct td_intake in;
	struct td_dossier d;
	struct td_suggestion sug[8];
	char ref[TD_REF_SIZE], id[TD_ID_SIZE], shown[1200];
	struct last_ref l = { { 0 } };
	td_err err = { 0 };
	int n = 0;

	if (!localedir)
		skip();
	setenv("TOTEMDESK_NOW", "2026-11-23T10:00:00Z", 1);
	write_config("reception", "MET",
		"routing = { followup_days = { proposed = 3; sent = 7; }; };");
	open_app(&app);
	td_app_set_language("fr", localedir);
	/* The catalogue is there: a check that the test speaks French. */
	assert_string_equal(_("outcome note changed"),
			    "note de résultat modifiée");
	fill(&in);
	if (td_app_register(app, &in, ref, NULL, &err) != TD_OK)
		fail_msg("register: %s", err.msg);
	assert_int_equal(td_app_suggest(app, ref, sug, 8, &n, &err), TD_OK);
	assert_true(n >= 1);
	assert_int_equal(td_app_refer(app, ref, sug[0].partner.id,
				      sug[0].reason, id, &err), TD_OK);
	assert_int_equal(td_app_referral_update(app, id, rv(app, id),
						TD_RS_SENT,
						"Dossier transmis", NULL, &err),
			 TD_OK);
	assert_int_equal(td_app_dossier_get(app, ref, &d, &err), TD_OK);
	assert_int_equal(td_app_timeline(app, d.id, on_referral, &l, &err),
			 TD_OK);
	assert_non_null(strstr(l.detail, ": proposed -> sent; "
					 "follow-up 2026-11-30; "
					 "outcome note changed"));
	assert_null(strstr(l.detail, "note de"));

	td_app_event_detail("referral", l.detail, shown, sizeof shown);
	assert_non_null(strstr(shown, ": proposée -> envoyée; "
				      "relance le 30/11/2026; "
				      "note de résultat modifiée"));
	/* A dossier's status change: labels, not codes (issue 11.6). */
	td_app_event_detail("status", "new -> on_hold", shown, sizeof shown);
	assert_string_equal(shown, "nouveau -> en attente");
	td_app_set_language("en", localedir);
	td_app_event_detail("referral", l.detail, shown, sizeof shown);
	assert_string_equal(shown, l.detail);
	td_app_event_detail("status", "new -> on_hold", shown, sizeof shown);
	assert_string_equal(shown, "new -> on hold");
	/* Other entries are shown as logged. */
	td_app_event_detail("status", "odd text", shown, sizeof shown);
	assert_string_equal(shown, "odd text");
	td_app_event_detail("create", "MET-2026-0001 MET", shown, sizeof shown);
	assert_string_equal(shown, "MET-2026-0001 MET");
	td_app_close(app);
}

/* The introduction letter speaks to the partner in the letter's language,
 * whatever the screens speak (issue 11.6, 11.8): its "why you" is
 * sentences of what fits -- no marks, no score, no count of open
 * referrals, no French in the English letter -- and French elides
 * ("qu'Initiative Metz", "d'Épinal"). */
static void introduction_speaks_to_the_partner(void **state)
{
	const char *localedir = getenv("TOTEMDESK_LOCALEDIR");
	struct td_app *app = NULL;
	struct td_intake in;
	struct td_suggestion sug[16];
	char ref[TD_REF_SIZE], id[TD_ID_SIZE];
	char *fr = NULL, *en = NULL;
	td_err err = { 0 };
	int n = 0;

	if (!localedir)
		skip();
	setenv("TOTEMDESK_NOW", "2026-11-23T10:00:00Z", 1);
	write_config("reception", "MET", NULL);
	open_app(&app);
	td_app_set_language("fr", localedir);
	fill(&in);
	in.stage = td_enum_find(&td_stages, "creation");
	in.needs |= 1u << td_enum_find(&td_needs, "hosting");
	if (td_app_register(app, &in, ref, NULL, &err) != TD_OK)
		fail_msg("register: %s", err.msg);
	assert_int_equal(td_app_suggest(app, ref, sug, 16, &n, &err), TD_OK);
	int k = 0;
	while (k < n && strcmp(sug[k].partner.id, "initiative-metz") != 0)
		k++;
	assert_true(k < n);
	/* The screen's reason is the desk's shorthand, in French. */
	assert_non_null(strstr(sug[k].reason, "\xe2\x9c\x93"));
	assert_int_equal(td_app_refer(app, ref, sug[k].partner.id,
				      sug[k].reason, id, &err), TD_OK);

	assert_int_equal(td_app_referral_text(app, id, "fr", &fr, &err), TD_OK);
	assert_int_equal(td_app_referral_text(app, id, "en", &en, &err), TD_OK);
	const char *why_fr =
		"Pourquoi vous : Son besoin (financement) correspond à ce que "
		"vous proposez. Le projet en est au stade « création », que "
		"vous accompagnez. Vous intervenez à Metz.\n";
	const char *why_en =
		"Why you: Their need (funding) is what you offer. The project is "
		"at the creation stage, which you support. You work in Metz.\n";
	if (!strstr(fr, why_fr))
		fail_msg("French letter:\n%s", fr);
	if (!strstr(en, why_en))
		fail_msg("English letter:\n%s", en);
	assert_non_null(strstr(fr, "et pensons qu'Initiative Metz peut"));
	assert_non_null(strstr(fr, "au Totem LORnTECH de Metz et"));
	static const char *const jargon[] = {
		"\xe2\x9c\x93", "\xc3\x97", "orientation", "referral", "rule",
		"règle", "{{",
	};
	for (size_t i = 0; i < sizeof jargon / sizeof *jargon; i++) {
		if (strstr(fr, jargon[i]) || strstr(en, jargon[i]))
			fail_msg("\"%s\" in a letter:\n%s\n%s", jargon[i], fr, en);
	}
	static const char *const french[] = {
		"financement", "hébergement", "création", "Pourquoi", "Épicerie v",
	};
	for (size_t i = 0; i < 4; i++)
		if (strstr(en, french[i]))
			fail_msg("\"%s\" in the English letter:\n%s", french[i], en);
	/* The screens keep speaking French. */
	assert_string_equal(_("outcome note changed"),
			    "note de résultat modifiée");
	free(fr);
	free(en);
	td_app_close(app);

	/* Épinal and a partner starting with a vowel: elided. */
	write_config("officer", "EPI", NULL);
	open_app(&app);
	td_app_set_language("fr", localedir);
	fill(&in);
	strcpy(in.email, "zoe.epinal@exemple.fr");
	strcpy(in.siret, "");
	strcpy(in.postcode, "88000");
	strcpy(in.city, "Épinal");
	if (td_app_register(app, &in, ref, NULL, &err) != TD_OK)
		fail_msg("register: %s", err.msg);
	assert_int_equal(td_app_refer(app, ref, "adie", "", id, &err), TD_OK);
	assert_int_equal(td_app_referral_text(app, id, "fr", &fr, &err), TD_OK);
	if (!strstr(fr, "au Totem LORnTECH d'Épinal et pensons qu'Adie"))
		fail_msg("French letter:\n%s", fr);
	assert_non_null(strstr(fr, "Totem LORnTECH d'Épinal – dossier"));
	free(fr);
	td_app_close(app);
}

int main(void)
{
	assert_non_null(mkdtemp(dir));
	snprintf(db, sizeof db, "%s/site.db", dir);
	snprintf(conf, sizeof conf, "%s/totemdesk.conf", dir);
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(good_routing_loads),
		cmocka_unit_test(bad_routing_names_file_and_line),
		cmocka_unit_test_setup(import_with_bad_rows, setup),
		cmocka_unit_test_setup(partner_export_guards_and_reads_back, setup),
		cmocka_unit_test_setup(refer_and_follow, setup),
		cmocka_unit_test_setup(final_status_undone, setup),
		cmocka_unit_test_setup(rule_naming_missing_partner, setup),
		cmocka_unit_test_setup(audit_detail_language_independent, setup),
		cmocka_unit_test_setup(introduction_speaks_to_the_partner, setup),
	};
	int rc = cmocka_run_group_tests(tests, NULL, NULL);
	char cmd[200];
	snprintf(cmd, sizeof cmd, "rm -rf %s", dir);
	if (system(cmd) != 0)
		rc = 1;
	return rc;
}
