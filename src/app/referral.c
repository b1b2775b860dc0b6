/* Referrals: creating them from the Route screen, moving them through
 * their statuses, the follow-up list, the introduction text and the CSV
 * export.  The state machine itself is core (td_referral_transition_ok);
 * it is applied here, so a script is refused exactly as a screen is. */
#include "app_int.h"
#include "totemdesk/app.h"
#include "totemdesk/csv.h"
#include "totemdesk/date.h"
#include "totemdesk/i18n.h"
#include "totemdesk/outfile.h"
#include "totemdesk/vec.h"
#include "totemdesk/partner.h"
#include "totemdesk/referral.h"
#include "totemdesk/text.h"
#include "totemdesk/timefmt.h"
#include "totemdesk/validate.h"
#include "store/partner.h"
#include "store/referral.h"
#include "store/store.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>

extern const unsigned char td_tpl_referral_fr[];
extern const size_t td_tpl_referral_fr_len;
extern const unsigned char td_tpl_referral_en[];
extern const size_t td_tpl_referral_en_len;
extern const unsigned char td_tpl_referral_de[];
extern const size_t td_tpl_referral_de_len;

/* Fixed words of the referral entries of the audit log, stored as they
 * are (never translated there) and translated by td_app_event_detail. */
#define EV_FOLLOWUP "follow-up "
#define EV_NOTE_CHANGED "outcome note changed"
#define EV_UNDONE "undone"

static int may_refer(const struct td_app *app, td_err *err)
{
	if (!app->me)
		return td_err_set(err, TD_EPERM,
			_("login \"%s\" is not in the configuration: referring a dossier needs a known user"),
			app->login);
	if (!app->site)
		return td_err_set(err, TD_ECONFIG, _("no site is selected"));
	return TD_OK;
}

/* Local calendar date days after now, "YYYY-MM-DD". */
static void date_after(int days, char out[11])
{
	char iso[TD_TIME_SIZE];
	time_t t;
	struct tm tm;
	td_store_now(iso);
	if (td_time_parse(iso, &t) != 0)
		t = time(NULL);
	t += (time_t)days * 86400;
	if (!localtime_r(&t, &tm) || strftime(out, 11, "%Y-%m-%d", &tm) == 0)
		out[0] = '\0';
}

static void default_followup(const struct td_app *app, int status,
			     char out[11])
{
	int days = td_app_routing(app)->followup_days[status];
	if (days <= 0 ||
	    (!td_referral_is_open(status) && status != TD_RS_NO_ANSWER))
		out[0] = '\0';
	else
		date_after(days, out);
}

/* Issue 14 point 4: once the person withdrew their consent nothing more
 * about them goes to a partner -- no new referral, none sent (again) or
 * reopened, no introduction text -- whatever the path (screen, CLI,
 * undo).  A referral may still move towards its end: the partner's
 * answer is recorded. */
static int refuse_withdrawn(const char *reference, td_err *err)
{
	return td_err_set(err, TD_EPERM,
		_("%s: the person withdrew their consent: no referral can be made, sent again or reopened for them, nor an introduction text written"),
		reference);
}

/* Would moving a referral from from to to send it, or bring a closed
 * one back? */
static bool sends(int from, int to)
{
	return to != from &&
	       (to == TD_RS_SENT ||
		(td_referral_is_open(to) && !td_referral_is_open(from)));
}

int td_app_refer(struct td_app *app, const char *reference,
		 const char *partner_id, const char *reason,
		 char id[TD_ID_SIZE], td_err *err)
{
	struct td_dossier *d;
	struct td_partner *p;
	struct td_referral r;
	char detail[512];
	bool moved = false;
	int rc;

	if ((rc = may_refer(app, err)))
		return rc;
	d = malloc(sizeof *d);
	p = malloc(sizeof *p);
	if (!d || !p) {
		rc = td_err_set(err, TD_ENOMEM, _("out of memory"));
		goto out;
	}
	if ((rc = td_app_dossier_get(app, reference, d, err)) ||
	    (rc = td_store_partner_get(app->db, partner_id, p, err)))
		goto out;
	if (d->withdrawn_at[0]) {
		rc = refuse_withdrawn(d->reference, err);
		goto out;
	}
	if (!p->active) {
		rc = td_err_set(err, TD_EINVAL,
			_("partner %s is inactive; reactivate it in the partner directory first"),
			p->id);
		goto out;
	}
	memset(&r, 0, sizeof r);
	if ((rc = td_store_new_id(app->site->code, r.id, err)))
		goto out;
	snprintf(r.dossier_id, sizeof r.dossier_id, "%s", d->id);
	snprintf(r.partner_id, sizeof r.partner_id, "%s", p->id);
	snprintf(r.created_by, sizeof r.created_by, "%s", app->me->login);
	snprintf(r.reason, sizeof r.reason, "%s", reason ? reason : "");
	r.status = TD_RS_PROPOSED;
	td_store_now(r.created_at);
	memcpy(r.status_at, r.created_at, sizeof r.status_at);
	default_followup(app, r.status, r.followup_on);

	if ((rc = td_store_begin(app->db, err)))
		goto out;
	snprintf(detail, sizeof detail, "%s (%s): %s", p->name, p->id,
		 td_enum_code(&td_referral_statuses, r.status));
	if ((rc = td_store_referral_insert(app->db, &r, err)) ||
	    (rc = td_store_audit(app->db, r.created_at, app->me->login,
				 "referral", "referral", r.id, d->id, detail,
				 err)) ||
	    (rc = td_store_dossier_mark_referred(app->db, d->id, r.created_at,
						 &moved, err)))
		goto rollback;
	if (moved) {
		snprintf(detail, sizeof detail, "%s -> referred",
			 td_enum_code(&td_statuses, d->status));
		if ((rc = td_store_audit(app->db, r.created_at, app->me->login,
					 "status", "dossier", d->id, d->id,
					 detail, err)))
			goto rollback;
	}
	if ((rc = td_store_commit(app->db, err)))
		goto out;
	if (id)
		memcpy(id, r.id, TD_ID_SIZE);
	goto out;
rollback:
	td_store_rollback(app->db);
out:
	if (d)
		memset(d, 0, sizeof *d);
	free(d);
	free(p);
	return rc;
}

/* Read a referral and check the user may see its dossier. */
/* The referral a dossier reference stands for: its only one.  People
 * know a dossier's reference (MET-2026-0042), not referral ids. */
static int by_dossier(struct td_app *app, const char *reference,
		      struct td_referral *r, td_err *err)
{
	struct td_referral *v = NULL;
	int n = 0;
	td_err e2 = { 0 };
	if (td_app_referral_list(app, reference, &v, &n, &e2) != TD_OK)
		return TD_ENOTFOUND;
	int rc = TD_OK;
	if (n == 1) {
		*r = v[0];
	} else if (n == 0) {
		rc = td_err_set(err, TD_ENOTFOUND,
			_("dossier %s has no referral yet"), reference);
	} else {
		char ids[300] = "";
		size_t len = 0;
		for (int i = 0; i < n && len + 1 < sizeof ids; i++) {
			int w = snprintf(ids + len, sizeof ids - len, "%s%s (%s)",
					 i ? ", " : "", v[i].id, v[i].partner_id);
			if (w < 0)
				break;
			len += (size_t)w;
		}
		rc = td_err_set(err, TD_EINVAL,
			_("dossier %s has %d referrals; give the id of one: %s"),
			reference, n, ids);
	}
	free(v);
	return rc;
}

/* *withdrawn (may be NULL): the person withdrew their consent. */
static int get_visible(struct td_app *app, const char *id,
		       struct td_referral *r, bool *withdrawn, td_err *err)
{
	struct td_dossier *d;
	int rc = td_store_referral_get(app->db, id, r, err);
	/* Not a referral id: maybe a dossier reference (by_dossier leaves
	 * err alone when it is not one either). */
	if (rc == TD_ENOTFOUND)
		rc = by_dossier(app, id, r, err);
	if (rc)
		return rc;
	d = malloc(sizeof *d);
	if (!d)
		return td_err_set(err, TD_ENOMEM, _("out of memory"));
	rc = td_app_dossier_get(app, r->reference, d, err);
	if (withdrawn)
		*withdrawn = d->withdrawn_at[0] != '\0';
	memset(d, 0, sizeof *d);
	free(d);
	return rc;
}

int td_app_referral_get(struct td_app *app, const char *id,
			struct td_referral *out, td_err *err)
{
	return get_visible(app, id, out, NULL, err);
}

int td_app_referral_update(struct td_app *app, const char *id, int seen,
			   int status, const char *outcome,
			   const char *followup, td_err *err)
{
	struct td_referral r;
	char detail[1024], note[sizeof r.outcome], due[11];
	bool withdrawn = false;
	int rc, from;

	if ((rc = may_refer(app, err)) ||
	    (rc = get_visible(app, id, &r, &withdrawn, err)))
		return rc;
	/* Issue 13 point 2: what another desk did since is never written
	 * over unseen (the store checks again under the write lock). */
	if (r.version != seen)
		return td_err_set(err, TD_ECONFLICT,
			_("the referral to %s was changed at another desk since it was shown"),
			r.partner_name);
	from = r.status;
	if (withdrawn && sends(from, status))
		return refuse_withdrawn(r.reference, err);
	if (status != from && !td_referral_transition_ok(from, status))
		return td_err_set(err, TD_EINVAL,
			_("a referral cannot go from \"%s\" to \"%s\"; allowed: proposed -> sent -> meeting scheduled -> accepted, declined or no answer (no answer -> sent again)"),
			td_enum_label(&td_referral_statuses, from),
			td_enum_label(&td_referral_statuses, status));
	/* As typed: 23/11/2026, 23/11/26, 2026-11-23 or +N working days. */
	if (followup && (rc = td_app_date_read(app, followup, true, due, err)))
		return rc;
	if (outcome) {
		if (td_validate_text(outcome, 500, false, note, sizeof note) ==
		    TD_V_TOO_LONG)
			return td_err_set(err, TD_EINVAL,
				_("the note is too long (at most 500 characters)"));
		snprintf(r.outcome, sizeof r.outcome, "%s", note);
	}
	td_store_now(r.updated_at);
	if (status != from) {
		r.status = status;
		memcpy(r.status_at, r.updated_at, sizeof r.status_at);
	}
	if (followup)
		memcpy(r.followup_on, due, sizeof due);
	else if (status != from)
		default_followup(app, status, r.followup_on);

	int n = from != r.status
		? snprintf(detail, sizeof detail, "%s: %s -> %s", r.partner_id,
			   td_enum_code(&td_referral_statuses, from),
			   td_enum_code(&td_referral_statuses, r.status))
		: snprintf(detail, sizeof detail, "%s: %s", r.partner_id,
			   td_enum_code(&td_referral_statuses, r.status));
	/* The log is language-independent (codes and the fixed English
	 * words of EV_* below); td_app_event_detail translates for display. */
	if (r.followup_on[0] && n > 0 && (size_t)n < sizeof detail)
		n += snprintf(detail + n, sizeof detail - (size_t)n,
			      "; " EV_FOLLOWUP "%s", r.followup_on);
	/* The note's text stays in the referral row only: the append-only
	 * log must not keep a copy that erasing the note would leave. */
	if (outcome && n > 0 && (size_t)n < sizeof detail)
		snprintf(detail + n, sizeof detail - (size_t)n, "; %s",
			 EV_NOTE_CHANGED);
	if ((rc = td_store_begin(app->db, err)))
		return rc;
	if ((rc = td_store_referral_update(app->db, &r, err)) ||
	    (rc = td_store_audit(app->db, r.updated_at, app->me->login,
				 "referral", "referral", r.id,
				 r.dossier_id, detail, err))) {
		td_store_rollback(app->db);
		return rc;
	}
	return td_store_commit(app->db, err);
}

int td_app_referral_undo(struct td_app *app, const struct td_referral *before,
			 const char *changed_at, td_err *err)
{
	struct td_referral r;
	char detail[512];
	bool withdrawn = false;
	int rc;

	if ((rc = may_refer(app, err)) ||
	    (rc = get_visible(app, before->id, &r, &withdrawn, err)))
		return rc;
	if (withdrawn && sends(r.status, before->status))
		return refuse_withdrawn(r.reference, err);
	if (strcmp(r.updated_at, changed_at) != 0)
		return td_err_set(err, TD_EBUSY,
			_("the referral was changed since; nothing was undone"));
	if (r.status == before->status ||
	    !td_referral_transition_ok(before->status, r.status))
		return td_err_set(err, TD_EINVAL,
			_("there is no status change of this referral to undo"));
	snprintf(detail, sizeof detail, "%s: %s -> %s; " EV_UNDONE,
		 r.partner_id, td_enum_code(&td_referral_statuses, r.status),
		 td_enum_code(&td_referral_statuses, before->status));
	r.status = before->status;
	memcpy(r.status_at, before->status_at, sizeof r.status_at);
	memcpy(r.followup_on, before->followup_on, sizeof r.followup_on);
	td_store_now(r.updated_at);
	if ((rc = td_store_begin(app->db, err)))
		return rc;
	if ((rc = td_store_referral_update(app->db, &r, err)) ||
	    (rc = td_store_audit(app->db, r.updated_at, app->me->login,
				 "referral", "referral", r.id,
				 r.dossier_id, detail, err))) {
		td_store_rollback(app->db);
		return rc;
	}
	return td_store_commit(app->db, err);
}

struct rlist {
	struct td_referral *v;
	int n, cap;
	bool oom;
};

static int rlist_add(const struct td_referral *r, void *vctx)
{
	struct rlist *l = vctx;
	if (td_vec_push(&l->v, &l->n, &l->cap, sizeof *r, r, 16)) {
		l->oom = true;
		return TD_ENOMEM;
	}
	return 0;
}

static int rlist_done(struct rlist *l, int rc, struct td_referral **out,
		      int *n, td_err *err)
{
	if (l->oom)
		rc = td_err_set(err, TD_ENOMEM, _("out of memory"));
	if (rc) {
		free(l->v);
		return rc;
	}
	*out = l->v;
	*n = l->n;
	return TD_OK;
}

int td_app_referral_list(struct td_app *app, const char *reference,
			 struct td_referral **out, int *n, td_err *err)
{
	struct rlist l = { 0 };
	struct td_dossier *d;
	int rc;

	*out = NULL;
	*n = 0;
	d = malloc(sizeof *d);
	if (!d)
		return td_err_set(err, TD_ENOMEM, _("out of memory"));
	rc = td_app_dossier_get(app, reference, d, err);
	if (!rc)
		rc = td_store_referral_each(app->db, d->id, NULL, NULL,
					    rlist_add, &l, err);
	memset(d, 0, sizeof *d);
	free(d);
	return rlist_done(&l, rc, out, n, err);
}


int td_app_referral_due(struct td_app *app, struct td_referral **out, int *n,
			td_err *err)
{
	struct rlist l = { 0 };
	char today[11];

	*out = NULL;
	*n = 0;
	date_after(0, today);
	int rc = td_store_referral_each(app->db, NULL, td_app_held_site(app),
					today, rlist_add, &l, err);
	return rlist_done(&l, rc, out, n, err);
}

/* ---- introduction text ------------------------------------------------- */

struct var {
	const char *name;
	const char *value;
};

/* Does text start with a vowel, accented or not (a mute h is not
 * guessed: "que Harmonie" is still correct French)? */
static bool starts_with_vowel(const char *text)
{
	char first[16];
	uint32_t cp;
	int n = td_utf8_decode(text, strlen(text), &cp);
	char one[8] = "";
	if (n <= 0)
		return false;
	memcpy(one, text, (size_t)n);
	td_text_fold(one, first, sizeof first);
	return first[0] && strchr("aeiouy", first[0]);
}

/* Replace {{name}} in one line; false when a placeholder is empty (the
 * line is then left out: no "Phone: " with nothing after it). */
static bool fill_line(struct td_buf *b, const char *line, size_t len,
		      const struct var *vars, size_t nvars, bool *oom)
{
	size_t start = b->len;
	const char *p = line, *end = line + len;
	while (p < end) {
		const char *open = memmem(p, (size_t)(end - p), "{{", 2);
		const char *close = open ? memmem(open, (size_t)(end - open),
						  "}}", 2) : NULL;
		if (!open || !close) {
			if (td_buf_append(b, p, (size_t)(end - p)))
				*oom = true;
			break;
		}
		if (td_buf_append(b, p, (size_t)(open - p)))
			*oom = true;
		/* {{name}}, or {{word:name}}: word before the value, elided
		 * as French wants ("que" + "Initiative Metz" is
		 * "qu'Initiative Metz", "de" + "Épinal" "d'Épinal"). */
		const char *name = open + 2;
		size_t nl = (size_t)(close - name);
		const char *colon = memchr(name, ':', nl);
		size_t wl = colon ? (size_t)(colon - name) : 0;
		if (colon) {
			nl -= wl + 1;
			name = colon + 1;
		}
		const char *v = NULL;
		for (size_t i = 0; i < nvars; i++)
			if (strlen(vars[i].name) == nl &&
			    memcmp(vars[i].name, name, nl) == 0)
				v = vars[i].value;
		if (!v || !*v) {
			b->len = start;
			if (b->cap)
				b->data[start] = '\0';
			return false;
		}
		if (colon) {
			bool elide = wl > 1 && open[2 + wl - 1] == 'e' &&
				     starts_with_vowel(v);
			if (td_buf_append(b, open + 2, elide ? wl - 1 : wl) ||
			    td_buf_putc(b, elide ? '\'' : ' '))
				*oom = true;
		}
		if (td_buf_puts(b, v))
			*oom = true;
		p = close + 2;
	}
	if (td_buf_putc(b, '\n'))
		*oom = true;
	return true;
}

/* The languages of the introduction text: the interface's two, and
 * German for the partners in Saarland (issue 12).  The interface stays
 * French or English, so German has no gettext catalogue: the words a
 * text takes from the vocabularies, and its "why you" sentences, are
 * here. */
enum text_lang { TL_FR, TL_EN, TL_DE };

static const struct { const char *en, *de; } de_words[] = {
	/* stages */
	{ "idea", "Idee" }, { "seed", "Gründungsvorbereitung" },
	{ "creation", "Gründung" }, { "development", "Entwicklung" },
	{ "growth", "Wachstum" }, { "takeover", "Unternehmensnachfolge" },
	/* sectors */
	{ "HealthTech", "Gesundheitstechnik" },
	{ "IoT & Manufacturing", "IoT & Industrie" },
	{ "EdTech & Entertainment", "Bildung & Unterhaltung" },
	{ "CleanTech & Mobility", "Umwelttechnik & Mobilität" },
	{ "FinTech", "FinTech" },
	{ "Security & Privacy", "Sicherheit & Datenschutz" },
	{ "Retail", "Handel" }, { "FoodTech", "Lebensmittel" },
	{ "Sports", "Sport" }, { "other", "Sonstiges" },
	/* needs */
	{ "advice", "Beratung" }, { "funding", "Finanzierung" },
	{ "hosting", "Räume" }, { "networking", "Netzwerk" },
	{ "training", "Weiterbildung" }, { "recruitment", "Personal" },
	{ "international", "Internationales" },
	/* countries */
	{ "France", "Frankreich" }, { "Luxembourg", "Luxemburg" },
	{ "Germany", "Deutschland" }, { "Belgium", "Belgien" },
};

static const char *word_de(const char *en)
{
	for (size_t i = 0; i < sizeof de_words / sizeof *de_words; i++)
		if (strcmp(de_words[i].en, en) == 0)
			return de_words[i].de;
	return en;
}

/* Label of entry i in the text's language: the English msgid as is,
 * the German word, else the catalogue's translation (the text may be
 * asked in another language than the screens'). */
static const char *label_in(const struct td_enum *e, int i,
			    enum text_lang lang)
{
	if (i < 0 || (size_t)i >= e->count)
		return "";
	if (lang == TL_DE)
		return word_de(e->entries[i].label);
	return lang == TL_EN ? e->entries[i].label : _(e->entries[i].label);
}

/* td_route_why in German: what matches, in whole sentences. */
static void why_de(const struct td_route_fit *f, const struct td_route_case *c,
		   char *out, size_t outsz)
{
	char needs[256] = "";
	size_t o = 0, len = 0;
	int n = 0, w;

	out[0] = '\0';
	for (size_t i = 0; i < td_needs.count; i++) {
		if (!(f->needs_met & (1u << i)))
			continue;
		w = snprintf(needs + o, sizeof needs - o, "%s%s", o ? ", " : "",
			     label_in(&td_needs, (int)i, TL_DE));
		if (w < 0 || (size_t)w >= sizeof needs - o)
			break;
		o += (size_t)w;
		n++;
	}
#define ADD(...) do { \
		w = snprintf(out + len, outsz - len, __VA_ARGS__); \
		if (w > 0 && (size_t)w < outsz - len) \
			len += (size_t)w; \
	} while (0)
	if (n)
		ADD(n == 1 ? "Der Bedarf (%s) entspricht Ihrem Angebot."
			   : "Die Bedarfe (%s) entsprechen Ihrem Angebot.",
		    needs);
	if (f->stage_ok > 0)
		ADD("%sDas Projekt ist in der Phase „%s“, die Sie begleiten.",
		    len ? " " : "", label_in(&td_stages, c->stage, TL_DE));
	if (f->sector_ok > 0)
		ADD("%sEs gehört zur Branche %s, die Sie betreuen.",
		    len ? " " : "", label_in(&td_sectors, c->sector, TL_DE));
	if (f->site_ok)
		ADD("%sSie sind in %s tätig.", len ? " " : "",
		    c->site_name && *c->site_name ? c->site_name : c->site);
#undef ADD
}

/* A partner of the directory in Germany: its city says so, "Saarbrücken
 * (DE)", as in ../shared/data/partners.csv. */
static bool partner_in_germany(const struct td_partner *p)
{
	size_t n = strlen(p->city);
	return n >= 4 && strcmp(p->city + n - 4, "(DE)") == 0;
}

/* gettext answers in $LANGUAGE; switch it for the time of one text. */
static void switch_language(const char *lang, char *saved, size_t savedsz)
{
	const char *cur = getenv("LANGUAGE");
	snprintf(saved, savedsz, "%s", cur ? cur : "");
	setenv("LANGUAGE", lang, 1);
	textdomain(TD_TEXTDOMAIN); /* flushes gettext's cache */
}

static void restore_language(const char *saved)
{
	if (*saved)
		setenv("LANGUAGE", saved, 1);
	else
		unsetenv("LANGUAGE");
	textdomain(TD_TEXTDOMAIN);
}

int td_app_referral_text(struct td_app *app, const char *id, const char *lang,
			 char **text, td_err *err)
{
	return app_referral_text(app, id, lang, false, text, err);
}

int app_referral_text(struct td_app *app, const char *id, const char *lang,
		      bool withdrawn_ok, char **text, td_err *err)
{
	struct td_referral r;
	struct td_dossier *d;
	struct td_partner *p;
	struct td_buf b;
	char needs[512] = "", phone[64], holder_lang[64], why[1024];
	bool oom = false;
	int rc;

	*text = NULL;
	if (lang && *lang && strcmp(lang, "fr") && strcmp(lang, "en") &&
	    strcmp(lang, "de"))
		return td_err_set(err, TD_EINVAL,
			_("language \"%s\": use fr, en or de"), lang);
	if ((rc = get_visible(app, id, &r, NULL, err)))
		return rc;
	d = malloc(sizeof *d);
	p = malloc(sizeof *p);
	td_buf_init(&b);
	if (!d || !p) {
		rc = td_err_set(err, TD_ENOMEM, _("out of memory"));
		goto out;
	}
	if ((rc = td_app_dossier_get(app, r.reference, d, err)) ||
	    (rc = td_store_partner_get(app->db, r.partner_id, p, err)))
		goto out;
	if (d->withdrawn_at[0] && !withdrawn_ok) {
		rc = refuse_withdrawn(d->reference, err);
		goto out;
	}
	/* Without consent nothing of the holder leaves the desk. */
	if (!d->v.consent) {
		rc = td_err_set(err, TD_EPERM,
			_("dossier %s has no recorded consent: no introduction text can be made"),
			d->reference);
		goto out;
	}
	/* Unless asked, a partner in Germany reads German, the others the
	 * desk's language. */
	if (!lang || !*lang)
		lang = partner_in_germany(p) ? "de"
		       : app->lang[0] ? app->lang : "fr";
	enum text_lang tl = strcmp(lang, "de") == 0 ? TL_DE
			    : strcmp(lang, "en") == 0 ? TL_EN : TL_FR;
	bool en = tl == TL_EN;
	switch_language(tl == TL_DE ? "en" : lang, holder_lang,
			sizeof holder_lang);
	size_t o = 0;
	for (size_t i = 0; i < td_needs.count; i++) {
		if (!(d->v.needs & (1u << i)))
			continue;
		int w = snprintf(needs + o, sizeof needs - o, "%s%s",
				 o ? ", " : "", label_in(&td_needs, (int)i, tl));
		if (w < 0 || (size_t)w >= sizeof needs - o)
			break;
		o += (size_t)w;
	}
	td_phone_display(d->v.phone, phone, sizeof phone);
	const struct td_site_cfg *site = td_config_site(&app->cfg, d->site);
	/* "Why you", in the letter's language, from what fits now. */
	struct td_route_case c = {
		.site_name = site ? site->name : d->site,
		.stage = d->v.stage,
		.sector = d->v.sector,
		.needs = d->v.needs,
		.siret = d->v.siret[0] != '\0',
		.country = d->v.country,
	};
	struct td_route_fit fit;
	snprintf(c.site, sizeof c.site, "%s", d->site);
	td_route_fit(p, &c, &fit);
	if (tl == TL_DE)
		why_de(&fit, &c, why, sizeof why);
	else
		td_route_why(&fit, &c, why, sizeof why);
	const struct var vars[] = {
		{ "partner", p->name },
		{ "contact", p->contact[0] ? p->contact : p->name },
		{ "first_name", d->v.first_name },
		{ "last_name", d->v.last_name },
		{ "email", d->v.email },
		{ "phone", phone },
		{ "postcode", d->v.postcode },
		{ "city", d->v.city },
		{ "project", d->v.title },
		{ "description", d->v.description },
		{ "stage", d->v.stage ? label_in(&td_stages, d->v.stage, tl) : "" },
		{ "sector", d->v.sector ? label_in(&td_sectors, d->v.sector, tl) : "" },
		{ "country", label_in(&td_countries, d->v.country, tl) },
		{ "needs", needs },
		{ "siret", d->v.siret },
		{ "reference", d->reference },
		{ "site", site ? site->name : d->site },
		{ "sender", app->me ? app->me->name : app->login },
		{ "why", why },
	};
	const char *tpl = tl == TL_DE ? (const char *)td_tpl_referral_de
			  : en ? (const char *)td_tpl_referral_en
			       : (const char *)td_tpl_referral_fr;
	size_t tlen = tl == TL_DE ? td_tpl_referral_de_len
		      : en ? td_tpl_referral_en_len : td_tpl_referral_fr_len;
	for (size_t i = 0; i < tlen;) {
		const char *nl = memchr(tpl + i, '\n', tlen - i);
		size_t len = nl ? (size_t)(nl - (tpl + i)) : tlen - i;
		fill_line(&b, tpl + i, len, vars, sizeof vars / sizeof vars[0],
			  &oom);
		i += len + 1;
	}
	restore_language(holder_lang);
	if (oom || !b.cap) {
		rc = td_err_set(err, TD_ENOMEM, _("out of memory"));
		goto out;
	}
	*text = b.data;
	td_buf_init(&b);
out:
	if (d)
		memset(d, 0, sizeof *d);
	free(d);
	free(p);
	td_buf_free(&b);
	return rc;
}

int td_app_referral_text_file(struct td_app *app, const char *id,
			      const char *lang, const char *path,
			      unsigned flags, td_err *err)
{
	char *text = NULL;
	int rc = td_app_referral_text(app, id, lang, &text, err);
	if (rc)
		return rc;
	/* Personal data: the user's own file, never through a link. */
	rc = td_outfile_write(path, text, strlen(text), flags, err);
	free(text);
	return rc;
}

/* ---- export ------------------------------------------------------------ */

struct rexport {
	struct td_buf buf;
	long count;
	bool oom;
};

static int export_one(const struct td_referral *r, void *vctx)
{
	static const struct td_csv_opts guarded = { ',', true };
	struct rexport *x = vctx;
	const char *v[] = { r->reference, r->partner_id, r->partner_name,
		td_enum_code(&td_referral_statuses, r->status), r->status_at,
		r->followup_on, r->created_at, r->created_by, r->outcome,
		r->reason, r->id };
	if (td_csv_write_row(&x->buf, v, sizeof v / sizeof v[0], &guarded)) {
		x->oom = true;
		return TD_ENOMEM;
	}
	x->count++;
	return 0;
}

int td_app_referral_export(struct td_app *app, FILE *out, long *count,
			   td_err *err)
{
	static const char *const head[] = { "reference", "partner_id",
		"partner_name", "status", "status_at", "followup_on",
		"created_at", "created_by", "outcome", "reason", "id" };
	struct rexport x = { 0 };
	int rc;

	td_buf_init(&x.buf);
	rc = td_csv_write_row(&x.buf, head, sizeof head / sizeof head[0], NULL);
	if (!rc)
		rc = td_store_referral_each(app->db, NULL, td_app_held_site(app),
					    NULL, export_one, &x, err);
	if (x.oom || rc == TD_ENOMEM)
		rc = td_err_set(err, TD_ENOMEM, _("out of memory"));
	if (!rc && (fwrite(x.buf.data, 1, x.buf.len, out) != x.buf.len ||
		    fflush(out) != 0))
		rc = td_err_set(err, TD_EIO, _("cannot write the export: %s"),
				strerror(errno));
	td_buf_free(&x.buf);
	if (count)
		*count = x.count;
	/* Issue 14 point 7: every export is in the audit. */
	if (!rc) {
		char detail[80];
		snprintf(detail, sizeof detail, "referrals rows=%ld csv", x.count);
		rc = td_store_audit(app->db, NULL, app->me ? app->me->login
				    : app->login, "export", "referrals", NULL,
				    NULL, detail, err);
	}
	return rc;
}

/* One "; "-separated part of a referral entry, as shown. */
static size_t show_part(const char *part, size_t len, char *out,
			size_t outsz)
{
	char code[64], to[64];
	const char *arrow, *colon;
	size_t fl = strlen(EV_FOLLOWUP);

	if (len == strlen(EV_NOTE_CHANGED) &&
	    memcmp(part, EV_NOTE_CHANGED, len) == 0)
		return (size_t)snprintf(out, outsz, "%s",
					_("outcome note changed"));
	if (len == strlen(EV_UNDONE) && memcmp(part, EV_UNDONE, len) == 0)
		/* TRANSLATORS: a status change taken back (timeline). */
		return (size_t)snprintf(out, outsz, "%s", _("undone"));
	if (len > fl && len - fl < sizeof code &&
	    memcmp(part, EV_FOLLOWUP, fl) == 0) {
		memcpy(code, part + fl, len - fl);
		code[len - fl] = '\0';
		td_date_show_ymd(code, 0, to, sizeof to);
		/* TRANSLATORS: in a dossier's timeline; %s is a date. */
		return (size_t)snprintf(out, outsz, _("follow-up %s"), to);
	}
	/* "partner-id: sent -> accepted" or "partner-id: sent": the status
	 * codes as labels.  Anything else (a creation's reason) as it is. */
	colon = memchr(part, ':', len);
	if (colon && colon + 2 <= part + len && colon[1] == ' ') {
		const char *st = colon + 2;
		size_t stl = len - (size_t)(st - part);
		arrow = NULL;
		for (size_t i = 0; i + 4 <= stl; i++)
			if (memcmp(st + i, " -> ", 4) == 0) {
				arrow = st + i;
				break;
			}
		size_t a = arrow ? (size_t)(arrow - st) : stl;
		size_t b = arrow ? stl - a - 4 : 0;
		if (a < sizeof code && b < sizeof to) {
			memcpy(code, st, a);
			code[a] = '\0';
			memcpy(to, arrow ? arrow + 4 : "", b);
			to[b] = '\0';
			int i = td_enum_find(&td_referral_statuses, code);
			int j = arrow ? td_enum_find(&td_referral_statuses, to)
				      : -1;
			if (i >= 0 && (!arrow || j >= 0))
				return arrow
					? (size_t)snprintf(out, outsz,
						"%.*s: %s -> %s",
						(int)(colon - part), part,
						td_enum_label(&td_referral_statuses, i),
						td_enum_label(&td_referral_statuses, j))
					: (size_t)snprintf(out, outsz, "%.*s: %s",
						(int)(colon - part), part,
						td_enum_label(&td_referral_statuses, i));
		}
	}
	return (size_t)snprintf(out, outsz, "%.*s", (int)len, part);
}

void td_app_event_detail(const char *action, const char *detail, char *out,
			 size_t outsz)
{
	size_t o = 0;

	if (outsz == 0)
		return;
	out[0] = '\0';
	if (!detail)
		return;
	if (action && strcmp(action, "status") == 0) {
		/* "new -> referred", codes of td_statuses, as labels. */
		char from[32], to[32];
		int i, j, n = 0;
		if (sscanf(detail, "%31[a-z_] -> %31[a-z_]%n", from, to, &n) == 2 &&
		    !detail[n] && (i = td_enum_find(&td_statuses, from)) >= 0 &&
		    (j = td_enum_find(&td_statuses, to)) >= 0) {
			snprintf(out, outsz, "%s -> %s",
				 td_enum_label(&td_statuses, i),
				 td_enum_label(&td_statuses, j));
			return;
		}
	}
	if (action && strcmp(action, "field") == 0) {
		app_field_change_show(detail, out, outsz);
		return;
	}
	if (action && strcmp(action, "edit") == 0) {
		app_field_names_show(detail, out, outsz);
		return;
	}
	if (!action || strcmp(action, "referral") != 0) {
		snprintf(out, outsz, "%s", detail);
		return;
	}
	for (const char *p = detail;;) {
		const char *end = strstr(p, "; ");
		size_t len = end ? (size_t)(end - p) : strlen(p);
		if (o > 0 && o + 2 < outsz) {
			memcpy(out + o, "; ", 3);
			o += 2;
		}
		if (o + 1 >= outsz)
			break;
		size_t w = show_part(p, len, out + o, outsz - o);
		o = w < outsz - o ? o + w : outsz - 1;
		if (!end)
			break;
		p = end + 2;
	}
}
