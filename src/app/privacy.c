/* Data protection (issue 14): the field history as people read it, and
 * (below) the rights of the people registered: access, erasure, consent
 * withdrawal, retention and the record of processing. */
#include "app_int.h"
#include "totemdesk/buf.h"
#include "totemdesk/domain.h"
#include "totemdesk/i18n.h"
#include "totemdesk/intake.h"
#include "totemdesk/json.h"
#include "totemdesk/outfile.h"
#include "totemdesk/privacy.h"
#include "totemdesk/queue.h"
#include "totemdesk/referral.h"
#include "totemdesk/timefmt.h"
#include "totemdesk/validate.h"
#include "store/privacy.h"
#include "store/store.h"

#include <errno.h>
#include <langinfo.h>
#include <time.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* ---- field history ------------------------------------------------------ */

static const char *arrow(void)
{
	return strcmp(nl_langinfo(CODESET), "UTF-8") == 0 ? "\u2192" : "->";
}

/* A stored code of field f (td_field_code) as a person reads it. */
static void show_code(enum td_field_id f, const char *code, char *out,
		      size_t outsz)
{
	struct td_intake *v;

	if (!code[0]) {
		snprintf(out, outsz, "%s", _("(empty)"));
		return;
	}
	v = calloc(1, sizeof *v);
	if (!v || td_field_set_code(v, f, code) != 0 ||
	    td_field_show(v, f, out, outsz) == 0)
		snprintf(out, outsz, "%s", code);
	free(v);
}

size_t app_field_change_show(const char *detail, char *out, size_t outsz)
{
	const char *us1 = strchr(detail, '\x1f');
	const char *us2 = us1 ? strchr(us1 + 1, '\x1f') : NULL;
	char name[64], a[1024], b[1024];
	int f;

	if (!us2 || (size_t)(us1 - detail) >= sizeof name)
		return (size_t)snprintf(out, outsz, "%s", detail);
	memcpy(name, detail, (size_t)(us1 - detail));
	name[us1 - detail] = '\0';
	if ((f = td_field_find(name)) < 0)
		return (size_t)snprintf(out, outsz, "%s", detail);
	snprintf(a, sizeof a, "%.*s", (int)(us2 - us1 - 1), us1 + 1);
	char *old = strdup(a), *new = strdup(us2 + 1);
	if (!old || !new) {
		free(old);
		free(new);
		return (size_t)snprintf(out, outsz, "%s", _(td_fields[f].label));
	}
	show_code((enum td_field_id)f, old, a, sizeof a);
	show_code((enum td_field_id)f, new, b, sizeof b);
	free(old);
	free(new);
	/* TRANSLATORS: a field's change in a dossier's timeline: the
	 * field's label, the old value, an arrow, the new value ("City:
	 * Metz -> Woippy"). */
	int n = snprintf(out, outsz, _("%s: %s %s %s"), _(td_fields[f].label),
			 a, arrow(), b);
	return n < 0 ? 0 : (size_t)n;
}

size_t app_field_names_show(const char *names, char *out, size_t outsz)
{
	size_t o = 0;

	if (outsz)
		out[0] = '\0';
	for (const char *p = names; p && *p;) {
		const char *end = strstr(p, ", ");
		size_t len = end ? (size_t)(end - p) : strlen(p);
		char name[64];
		int f = -1;
		if (len < sizeof name) {
			memcpy(name, p, len);
			name[len] = '\0';
			f = td_field_find(name);
		}
		int n = snprintf(out + o, outsz - o, "%s%.*s", o ? ", " : "",
				 f >= 0 ? (int)strlen(_(td_fields[f].label))
					: (int)len,
				 f >= 0 ? _(td_fields[f].label) : p);
		if (n < 0 || (size_t)n >= outsz - o)
			break;
		o += (size_t)n;
		if (!end)
			break;
		p = end + 2;
	}
	return o;
}

/* ---- erasure ------------------------------------------------------------ */

int app_erase(struct td_app *app, struct td_db *db, const char *kind,
	      const char *key, const char *reason, bool replay,
	      int *ndossiers, td_err *err)
{
	struct td_erasure_rec r;

	memset(&r, 0, sizeof r);
	snprintf(r.key, sizeof r.key, "%s", key);
	snprintf(r.kind, sizeof r.kind, "%s", kind);
	snprintf(r.reason, sizeof r.reason, "%s", reason);
	snprintf(r.actor, sizeof r.actor, "%s",
		 app->me ? app->me->login : app->login);
	td_store_now(r.at);
	return td_store_erase(db, &r, replay, ndossiers, err);
}

int app_erase_scrub(struct td_db *db, const char *kind, const char *key,
		    td_err *err)
{
	struct td_erasure_rec r;

	memset(&r, 0, sizeof r);
	snprintf(r.key, sizeof r.key, "%s", key);
	snprintf(r.kind, sizeof r.kind, "%s", kind);
	return td_store_erase_scrub(db, &r, err);
}

int td_app_privacy_erase(struct td_app *app, const char *reference,
			 struct td_erase_result *res, td_err *err)
{
	struct td_dossier *d;
	int rc;

	memset(res, 0, sizeof *res);
	if ((rc = td_app_may_privacy(app, err)))
		return rc;
	if (!(d = malloc(sizeof *d)))
		return td_err_set(err, TD_ENOMEM, _("out of memory"));
	rc = td_app_dossier_get(app, reference, d, err);
	if (!rc)
		snprintf(res->holder_id, sizeof res->holder_id, "%s",
			 d->holder_id);
	free(d);
	if (!rc)
		rc = app_erase(app, app->db, "holder", res->holder_id,
			       "request", false, &res->ndossiers, err);
	if (!rc)
		rc = app_erase_scrub(app->db, "holder", res->holder_id, err);
	if (!rc)
		rc = td_store_search_merge(app->db, err);
	if (rc)
		return rc;
	td_err werr = { 0 };
	res->wal_busy = td_store_wal_truncate(app->db, &werr) != TD_OK;
	return TD_OK;
}

/* ---- access: everything held about one person --------------------------- */

struct ids {
	char (*v)[TD_ID_SIZE];
	int n, cap;
};

static int ids_add(int ncols, const char *const *cols, void *ctx)
{
	struct ids *ids = ctx;
	if (ncols < 1)
		return 0;
	if (ids->n == ids->cap) {
		int c = ids->cap ? ids->cap * 2 : 8;
		void *v = realloc(ids->v, (size_t)c * sizeof *ids->v);
		if (!v)
			return TD_ENOMEM;
		ids->v = v;
		ids->cap = c;
	}
	snprintf(ids->v[ids->n++], TD_ID_SIZE, "%s", cols[0]);
	return 0;
}

/* A list of rows of one query, each row's columns '\x1f'-joined. */
struct rows {
	struct td_buf b;
	int n;
};

static int rows_add(int ncols, const char *const *cols, void *ctx)
{
	struct rows *r = ctx;
	for (int i = 0; i < ncols; i++) {
		if (td_buf_puts(&r->b, cols[i]) ||
		    td_buf_putc(&r->b, i + 1 < ncols ? '\x1f' : '\x1e'))
			return TD_ENOMEM;
	}
	r->n++;
	return 0;
}

/* Column c of row text (up to '\x1e'), copied into out. */
static const char *row_col(const char *row, int c, char *out, size_t outsz)
{
	const char *p = row;
	for (int i = 0; i < c && p; i++) {
		const char *us = strpbrk(p, "\x1f\x1e");
		p = us && *us == '\x1f' ? us + 1 : NULL;
	}
	size_t n = p ? strcspn(p, "\x1f\x1e") : 0;
	if (n >= outsz)
		n = outsz - 1;
	memcpy(out, p ? p : "", n);
	out[n] = '\0';
	return out;
}

static int query_rows(struct td_app *app, enum td_privacy_query q,
		      const char *key, struct rows *r, td_err *err)
{
	td_buf_reset(&r->b);
	r->n = 0;
	int rc = td_store_privacy_each(app->db, q, key, rows_add, r, err);
	if (rc == TD_ENOMEM)
		rc = td_err_set(err, TD_ENOMEM, _("out of memory"));
	return rc;
}

/* Iterate the rows of r: row points at each row's text. */
#define EACH_ROW(r, row) \
	for (const char *row = (r)->b.len ? (r)->b.data : NULL; \
	     row && row < (r)->b.data + (r)->b.len; \
	     row = strchr(row, '\x1e') ? strchr(row, '\x1e') + 1 : NULL)

/* One walk of the person's data (walk_holder below) feeds one of two
 * writers: JSON by the fields' names, or a text in the user's language
 * by their labels.  The walk decides what is said and in which order;
 * a writer only how. */
struct access;

struct writer {
	/* by: what the request gave ("reference", "email", "phone") */
	void (*head)(struct access *a, const char *now, const char *by);
	int (*tail)(struct access *a);
	/* c: the TD_PQ_HOLDER row (erased, consent at, its version,
	 * withdrawn at, by, created, site) */
	void (*holder)(struct access *a, const char *id, char c[7][TD_TIME_SIZE + 40]);
	/* The person's own fields, read from their first dossier; opens
	 * the list of dossiers. */
	void (*person)(struct access *a, const struct td_dossier *d);
	void (*dossier)(struct access *a, const struct td_dossier *d);
	/* A list: key (JSON), label (text, at indent; shown only when n >
	 * 0 unless always). */
	void (*list)(struct access *a, const char *key, const char *label,
		     int indent, bool always, int n);
	void (*list_end)(struct access *a);
	void (*close)(struct access *a);  /* a holder or a dossier */
	void (*referral)(struct access *a, const struct td_referral *r,
			 const char *text);
	void (*referral_event)(struct access *a, const char *at,
			       const char *who, const char *shown);
	void (*referral_end)(struct access *a, const char *text);
	void (*change)(struct access *a, const char *at, const char *who,
		       const char *field, const char *old, const char *new);
	void (*event)(struct access *a, const struct td_event *e,
		      const char *shown);
	void (*audit)(struct access *a, const char *at, const char *who,
		      const char *action, const char *detail);
	void (*dup)(struct access *a, const char *site, const char *who,
		    const char *at);
};

struct access {
	struct td_app *app;
	const struct writer *w;
	struct td_buf out;
	struct td_json j;
	struct rows r;
	struct td_err *err;
};

/* ---- the text writer ---- */

/* "  Label: value" lines. */
static void tline(struct access *a, int indent, const char *label,
		  const char *value)
{
	td_buf_printf(&a->out, "%*s", indent, "");
	if (label)
		/* TRANSLATORS: a line of the access export's text: a label
		 * and its value ("City: Metz"). */
		td_buf_printf(&a->out, _("%s: %s"), label, value);
	else
		td_buf_puts(&a->out, value);
	td_buf_putc(&a->out, '\n');
}

/* The fields of group g of d shown, by label. */
static void text_fields(struct access *a, const struct td_dossier *d,
			enum td_field_group g)
{
	char v[TD_DESC_MAX * 4 + 1];

	for (int f = 0; f < TD_F_COUNT; f++) {
		const struct td_field_def *fd = &td_fields[f];
		if (fd->group == g && f != TD_F_CONSENT &&
		    td_field_show(&d->v, (enum td_field_id)f, v, sizeof v) > 0)
			tline(a, 2, _(fd->label), v);
	}
}

static void text_head(struct access *a, const char *now, const char *by)
{
	(void)by;
	tline(a, 0, NULL, _("Everything totemdesk holds about a person"));
	tline(a, 0, _("Made"), now);
	tline(a, 0, _("By"), a->app->me->login);
}

static int text_tail(struct access *a)
{
	(void)a;
	return TD_OK;
}

static void text_holder(struct access *a, const char *id, char c[7][TD_TIME_SIZE + 40])
{
	char t[200];

	td_buf_puts(&a->out, "\n========================================\n");
	tline(a, 0, _("Record key"), id);
	snprintf(t, sizeof t, _("given %s (version %s)"),
		 c[1][0] ? c[1] : "-", c[2][0] ? c[2] : "-");
	tline(a, 2, _("Consent"), t);
	if (c[3][0]) {
		snprintf(t, sizeof t, _("withdrawn %s by %s"), c[3], c[4]);
		tline(a, 2, _("Consent"), t);
	}
	if (c[0][0])
		tline(a, 2, _("Erased"), c[0]);
}

static void text_person(struct access *a, const struct td_dossier *d)
{
	tline(a, 0, NULL, _("Person"));
	text_fields(a, d, TD_FG_HOLDER);
}

static void text_dossier(struct access *a, const struct td_dossier *d)
{
	char t[200];

	td_buf_putc(&a->out, '\n');
	snprintf(t, sizeof t, _("Dossier %s"), d->reference);
	tline(a, 0, NULL, t);
	tline(a, 2, _("Site"), d->site);
	tline(a, 2, _("Status"), td_enum_label(&td_statuses, d->status));
	tline(a, 2, _("Created"), d->created_at);
	tline(a, 2, _("Created by"), d->created_by);
	if (d->assigned_to[0])
		tline(a, 2, _("Assigned to"), d->assigned_to);
	if (d->erased_at[0])
		tline(a, 2, _("Erased"), d->erased_at);
	text_fields(a, d, TD_FG_PROJECT);
}

static void text_list(struct access *a, const char *key, const char *label,
		      int indent, bool always, int n)
{
	(void)key;
	if (always || n > 0)
		tline(a, indent, NULL, label);
}

static void text_nothing(struct access *a)
{
	(void)a;
}

static void text_referral(struct access *a, const struct td_referral *r,
			  const char *text)
{
	char c[1200];

	(void)text;
	snprintf(c, sizeof c, "%s (%s), %s", r->partner_name, r->partner_id,
		 td_enum_label(&td_referral_statuses, r->status));
	tline(a, 4, _("Partner"), c);
	if (r->reason[0])
		tline(a, 6, _("Reason"), r->reason);
	if (r->outcome[0])
		tline(a, 6, _("Outcome note"), r->outcome);
}

static void text_referral_event(struct access *a, const char *at,
				const char *who, const char *shown)
{
	td_buf_printf(&a->out, "      %s  %s  %s\n", at, who, shown);
}

static void text_referral_end(struct access *a, const char *text)
{
	if (!text)
		return;
	tline(a, 6, NULL, _("Introduction text:"));
	for (const char *p = text; *p;) {
		size_t l = strcspn(p, "\n");
		td_buf_printf(&a->out, "        %.*s\n", (int)l, p);
		p += l + (p[l] == '\n');
	}
}

static void text_change(struct access *a, const char *at, const char *who,
			const char *field, const char *old, const char *new)
{
	char line[2400], shown[2200];

	snprintf(line, sizeof line, "%s\x1f%s\x1f%s", field, old, new);
	app_field_change_show(line, shown, sizeof shown);
	td_buf_printf(&a->out, "    %s  %s  %s\n", at, who, shown);
}

static void text_event(struct access *a, const struct td_event *e,
		       const char *shown)
{
	td_buf_printf(&a->out, "    %s  %s  %s%s%s\n", e->at, e->actor,
		      td_app_action_label(e->action), shown[0] ? "  " : "",
		      shown);
}

static void text_audit(struct access *a, const char *at, const char *who,
		       const char *action, const char *detail)
{
	td_buf_printf(&a->out, "    %s  %s  %s  %s\n", at, who,
		      td_app_action_label(action), detail);
}

static void text_dup(struct access *a, const char *site, const char *who,
		     const char *at)
{
	td_buf_printf(&a->out, "    %s  %s  %s\n", at, who, site);
}

static const struct writer text_writer = {
	text_head, text_tail, text_holder, text_person, text_dossier,
	text_list, text_nothing, text_nothing, text_referral,
	text_referral_event, text_referral_end, text_change, text_event,
	text_audit, text_dup,
};

/* ---- the JSON writer ---- */

static void jstr(struct access *a, const char *key, const char *v)
{
	td_json_key(&a->j, key);
	if (v && *v)
		td_json_string(&a->j, v);
	else
		td_json_null(&a->j);
}

/* The fields of group g of d by name, as stored (codes). */
static void json_fields(struct access *a, const struct td_dossier *d,
			enum td_field_group g)
{
	char v[TD_DESC_MAX * 4 + 1];

	for (int f = 0; f < TD_F_COUNT; f++) {
		const struct td_field_def *fd = &td_fields[f];
		if (fd->group != g || f == TD_F_CONSENT)
			continue;
		if (td_field_code(&d->v, (enum td_field_id)f, v, sizeof v) < 0)
			v[0] = '\0';
		jstr(a, fd->name, v);
	}
}

static void json_head(struct access *a, const char *now, const char *by)
{
	td_json_init(&a->j, &a->out, true);
	td_json_begin_object(&a->j);
	jstr(a, "generated_at", now);
	jstr(a, "generated_by", a->app->me->login);
	jstr(a, "request", by);
	td_json_key(&a->j, "holders");
	td_json_begin_array(&a->j);
}

static int json_tail(struct access *a)
{
	td_json_end_array(&a->j);
	td_json_end_object(&a->j);
	if (td_json_finish(&a->j) != TD_OK)
		return td_err_set(a->err, TD_ENOMEM, _("out of memory"));
	td_buf_putc(&a->out, '\n');
	return TD_OK;
}

static void json_holder(struct access *a, const char *id, char c[7][TD_TIME_SIZE + 40])
{
	td_json_begin_object(&a->j);
	jstr(a, "id", id);
	jstr(a, "site", c[6]);
	jstr(a, "created_at", c[5]);
	jstr(a, "erased_at", c[0]);
	td_json_key(&a->j, "consent");
	td_json_begin_object(&a->j);
	jstr(a, "given_at", c[1]);
	jstr(a, "text_version", c[2]);
	jstr(a, "withdrawn_at", c[3]);
	jstr(a, "withdrawn_by", c[4]);
	td_json_end_object(&a->j);
}

static void json_person(struct access *a, const struct td_dossier *d)
{
	json_fields(a, d, TD_FG_HOLDER);
	td_json_key(&a->j, "dossiers");
	td_json_begin_array(&a->j);
}

static void json_dossier(struct access *a, const struct td_dossier *d)
{
	td_json_begin_object(&a->j);
	jstr(a, "reference", d->reference);
	jstr(a, "site", d->site);
	jstr(a, "status", td_enum_code(&td_statuses, d->status));
	jstr(a, "created_at", d->created_at);
	jstr(a, "created_by", d->created_by);
	jstr(a, "updated_at", d->updated_at);
	jstr(a, "assigned_to", d->assigned_to);
	jstr(a, "erased_at", d->erased_at);
	json_fields(a, d, TD_FG_PROJECT);
}

static void json_list(struct access *a, const char *key, const char *label,
		      int indent, bool always, int n)
{
	(void)label, (void)indent, (void)always, (void)n;
	td_json_key(&a->j, key);
	td_json_begin_array(&a->j);
}

static void json_list_end(struct access *a)
{
	td_json_end_array(&a->j);
}

static void json_close(struct access *a)
{
	td_json_end_object(&a->j);
}

static void json_referral(struct access *a, const struct td_referral *r,
			  const char *text)
{
	td_json_begin_object(&a->j);
	jstr(a, "partner_id", r->partner_id);
	jstr(a, "partner_name", r->partner_name);
	jstr(a, "status", td_enum_code(&td_referral_statuses, r->status));
	jstr(a, "status_at", r->status_at);
	jstr(a, "created_at", r->created_at);
	jstr(a, "created_by", r->created_by);
	jstr(a, "followup_on", r->followup_on);
	jstr(a, "reason", r->reason);
	jstr(a, "outcome", r->outcome);
	jstr(a, "introduction_text", text);
	td_json_key(&a->j, "history");
	td_json_begin_array(&a->j);
}

static void json_referral_event(struct access *a, const char *at,
				const char *who, const char *shown)
{
	td_json_begin_object(&a->j);
	jstr(a, "at", at);
	jstr(a, "actor", who);
	jstr(a, "detail", shown);
	td_json_end_object(&a->j);
}

static void json_referral_end(struct access *a, const char *text)
{
	(void)text;
	td_json_end_array(&a->j);
	td_json_end_object(&a->j);
}

static void json_change(struct access *a, const char *at, const char *who,
			const char *field, const char *old, const char *new)
{
	td_json_begin_object(&a->j);
	jstr(a, "at", at);
	jstr(a, "actor", who);
	jstr(a, "field", field);
	jstr(a, "old", old);
	jstr(a, "new", new);
	td_json_end_object(&a->j);
}

static void json_event(struct access *a, const struct td_event *e,
		       const char *shown)
{
	td_json_begin_object(&a->j);
	jstr(a, "at", e->at);
	jstr(a, "actor", e->actor);
	jstr(a, "action", e->action);
	jstr(a, "detail", shown);
	td_json_end_object(&a->j);
}

static void json_audit(struct access *a, const char *at, const char *who,
		       const char *action, const char *detail)
{
	td_json_begin_object(&a->j);
	jstr(a, "at", at);
	jstr(a, "actor", who);
	jstr(a, "action", action);
	jstr(a, "detail", detail);
	td_json_end_object(&a->j);
}

static void json_dup(struct access *a, const char *site, const char *who,
		     const char *at)
{
	td_json_begin_object(&a->j);
	jstr(a, "site", site);
	jstr(a, "by", who);
	jstr(a, "at", at);
	td_json_end_object(&a->j);
}

static const struct writer json_writer = {
	json_head, json_tail, json_holder, json_person, json_dossier,
	json_list, json_list_end, json_close, json_referral,
	json_referral_event, json_referral_end, json_change, json_event,
	json_audit, json_dup,
};

/* ---- the walk ---- */

static int tl_event(const struct td_event *e, void *ctx)
{
	struct access *a = ctx;
	char shown[1200];

	td_app_event_detail(e->action, e->detail, shown, sizeof shown);
	a->w->event(a, e, shown);
	return 0;
}

static int walk_referrals(struct access *a, const struct td_dossier *d)
{
	struct td_referral *rv = NULL;
	int n = 0, rc;

	if ((rc = td_app_referral_list(a->app, d->reference, &rv, &n, a->err)))
		return rc;
	a->w->list(a, "referrals", _("Referrals"), 2, false, n);
	for (int i = 0; i < n && !rc; i++) {
		const struct td_referral *r = &rv[i];
		char *text = NULL;
		td_err terr = { 0 };
		/* The introduction text as it would be written today, in the
		 * user's language (it is made from the template and the
		 * dossier, never stored). */
		app_referral_text(a->app, r->id,
				  a->app->lang[0] ? a->app->lang : "fr", true,
				  &text, &terr);
		rc = query_rows(a->app, TD_PQ_HOLDER_AUDIT, r->id, &a->r,
				a->err);
		a->w->referral(a, r, text);
		EACH_ROW(&a->r, row) {
			char at[TD_TIME_SIZE], who[TD_LOGIN_SIZE], act[32],
				det[1024], shown[1200];
			row_col(row, 0, at, sizeof at);
			row_col(row, 1, who, sizeof who);
			row_col(row, 2, act, sizeof act);
			row_col(row, 3, det, sizeof det);
			td_app_event_detail(act, det, shown, sizeof shown);
			a->w->referral_event(a, at, who, shown);
		}
		a->w->referral_end(a, text);
		free(text);
	}
	a->w->list_end(a);
	free(rv);
	return rc;
}

static int walk_dossier(struct access *a, const char *reference, bool first)
{
	struct td_dossier *d = malloc(sizeof *d);
	int rc;

	if (!d)
		return td_err_set(a->err, TD_ENOMEM, _("out of memory"));
	if ((rc = td_app_dossier_get(a->app, reference, d, a->err)))
		goto out;
	if (first)
		a->w->person(a, d);
	a->w->dossier(a, d);
	if ((rc = walk_referrals(a, d)) ||
	    (rc = query_rows(a->app, TD_PQ_FIELD_HISTORY, d->id, &a->r,
			     a->err)))
		goto out;
	a->w->list(a, "field_history", _("Field history"), 2, false, a->r.n);
	EACH_ROW(&a->r, row) {
		char at[TD_TIME_SIZE], who[TD_LOGIN_SIZE], f[64], o[1024],
			n[1024];
		row_col(row, 0, at, sizeof at);
		row_col(row, 1, who, sizeof who);
		row_col(row, 2, f, sizeof f);
		row_col(row, 3, o, sizeof o);
		row_col(row, 4, n, sizeof n);
		a->w->change(a, at, who, f, o, n);
	}
	a->w->list_end(a);
	a->w->list(a, "timeline", _("Timeline"), 2, true, 0);
	rc = td_app_timeline(a->app, d->id, tl_event, a, a->err);
	a->w->list_end(a);
	a->w->close(a);
out:
	memset(d, 0, sizeof *d);
	free(d);
	return rc;
}

static int walk_holder(struct access *a, const char *id)
{
	struct rows refs = { 0 };
	char c[7][TD_TIME_SIZE + 40], label[200];
	int rc;

	td_buf_init(&refs.b);
	if ((rc = query_rows(a->app, TD_PQ_HOLDER, id, &a->r, a->err)))
		goto out;
	for (int i = 0; i < 7; i++)
		row_col(a->r.b.len ? a->r.b.data : "", i, c[i], sizeof c[i]);
	a->w->holder(a, id, c);
	if ((rc = query_rows(a->app, TD_PQ_DOSSIERS, id, &refs, a->err)))
		goto out;
	bool first = true;
	EACH_ROW(&refs, row) {
		char ref[TD_REF_SIZE];
		row_col(row, 0, ref, sizeof ref);
		if ((rc = walk_dossier(a, ref, first)))
			goto out;
		first = false;
	}
	if (!first)
		a->w->list_end(a);
	/* What the log says about the person themselves. */
	if ((rc = query_rows(a->app, TD_PQ_HOLDER_AUDIT, id, &a->r, a->err)))
		goto out;
	snprintf(label, sizeof label, "\n%s", _("Audit entries about the person"));
	a->w->list(a, "audit", label, 0, true, 0);
	EACH_ROW(&a->r, row) {
		char at[TD_TIME_SIZE], who[TD_LOGIN_SIZE], act[32], det[1024];
		row_col(row, 0, at, sizeof at);
		row_col(row, 1, who, sizeof who);
		row_col(row, 2, act, sizeof act);
		row_col(row, 3, det, sizeof det);
		a->w->audit(a, at, who, act, det);
	}
	if ((rc = query_rows(a->app, TD_PQ_DUP_DECISIONS, id, &a->r, a->err)))
		goto out;
	a->w->list_end(a);
	a->w->list(a, "duplicate_decisions",
		   _("Duplicate decisions (\"not the same person\")"), 0, true,
		   0);
	EACH_ROW(&a->r, row) {
		char site[8], who[TD_LOGIN_SIZE], at[TD_TIME_SIZE];
		row_col(row, 0, site, sizeof site);
		row_col(row, 1, who, sizeof who);
		row_col(row, 2, at, sizeof at);
		a->w->dup(a, site, who, at);
	}
	a->w->list_end(a);
	a->w->close(a);
out:
	td_buf_free(&refs.b);
	return rc;
}

/* The holders who names, into ids; *by the audit's word for it. */
static int find_holders(struct td_app *app, const struct td_access_who *who,
			struct ids *ids, const char **by, td_err *err)
{
	char norm[256];
	int rc;

	if (who->reference && *who->reference) {
		struct td_dossier *d = malloc(sizeof *d);
		if (!d)
			return td_err_set(err, TD_ENOMEM, _("out of memory"));
		*by = "reference";
		rc = td_app_dossier_get(app, who->reference, d, err);
		const char *col[] = { d->holder_id };
		if (!rc)
			rc = ids_add(1, col, ids);
		memset(d, 0, sizeof *d);
		free(d);
		return rc == TD_ENOMEM
			? td_err_set(err, TD_ENOMEM, _("out of memory")) : rc;
	}
	if (who->email && *who->email) {
		*by = "email";
		if (td_validate_email(who->email, norm, sizeof norm) != TD_V_OK)
			return td_err_set(err, TD_EINVAL,
				_("\"%s\" is not an e-mail address"), who->email);
		rc = td_store_privacy_each(app->db, TD_PQ_BY_EMAIL, norm,
					   ids_add, ids, err);
	} else if (who->phone && *who->phone) {
		*by = "phone";
		if (td_validate_phone(TD_COUNTRY_FR, who->phone, norm,
				      sizeof norm) != TD_V_OK)
			return td_err_set(err, TD_EINVAL,
				_("\"%s\" is not a phone number (French, or international with +)"),
				who->phone);
		rc = td_store_privacy_each(app->db, TD_PQ_BY_PHONE, norm,
					   ids_add, ids, err);
	} else {
		return td_err_set(err, TD_EINVAL,
			_("say whom the request is about: a reference, --email or --phone"));
	}
	if (rc == TD_ENOMEM)
		return td_err_set(err, TD_ENOMEM, _("out of memory"));
	if (!rc && ids->n == 0)
		rc = td_err_set(err, TD_ENOTFOUND,
			*by[0] == 'e'
			? _("nobody is registered with this e-mail address")
			: _("nobody is registered with this phone number"));
	return rc;
}

int td_app_privacy_access(struct td_app *app, const struct td_access_who *who,
			  bool json, const char *path, unsigned flags,
			  FILE *out, int *nholders, td_err *err)
{
	struct access a = { .app = app, .err = err,
			    .w = json ? &json_writer : &text_writer };
	struct ids ids = { 0 };
	const char *by = "";
	char now[TD_TIME_SIZE], detail[600];
	int rc;

	if (nholders)
		*nholders = 0;
	if ((rc = td_app_may_privacy(app, err)) ||
	    (rc = find_holders(app, who, &ids, &by, err)))
		goto out;
	td_buf_init(&a.out);
	td_buf_init(&a.r.b);
	td_store_now(now);
	a.w->head(&a, now, by);
	for (int i = 0; i < ids.n && !rc; i++)
		rc = walk_holder(&a, ids.v[i]);
	if (!rc)
		rc = a.w->tail(&a);
	if (rc)
		goto free;
	if (path)
		rc = td_outfile_write(path, a.out.data, a.out.len, flags, err);
	else if (fwrite(a.out.data, 1, a.out.len, out) != a.out.len ||
		 fflush(out) != 0)
		rc = td_err_set(err, TD_EIO, _("cannot write: %s"),
				strerror(errno));
	/* Who asked, when, about whom (the record key), by what, to where:
	 * never the e-mail or phone it was asked by, nor the file's name,
	 * which people give after the person ("dupont-helene.txt"): the
	 * folder only (issue 14 point 2). */
	const char *slash = path ? strrchr(path, '/') : NULL;
	int dirlen = slash ? (int)(slash - path) + 1 : 0;
	snprintf(detail, sizeof detail, "%s %s%s -> %.*s%s", by,
		 by[0] == 'r' ? who->reference : "", json ? " json" : " text",
		 dirlen, path ? path : "", !path ? "stdout"
		 : dirlen ? "(file)" : "./(file)");
	for (int i = 0; i < ids.n && !rc; i++)
		rc = td_store_audit(app->db, now, app->me->login,
				    "access_export", "holder", ids.v[i], NULL,
				    detail, err);
	if (!rc && nholders)
		*nholders = ids.n;
free:
	if (a.out.data)
		memset(a.out.data, 0, a.out.len);
	td_buf_free(&a.out);
	td_buf_free(&a.r.b);
out:
	free(ids.v);
	return rc;
}

/* ---- consent withdrawal -------------------------------------------------- */

int td_app_privacy_withdraw(struct td_app *app, const char *reference,
			    td_err *err)
{
	struct td_dossier *d;
	char now[TD_TIME_SIZE];
	int rc;

	if ((rc = td_app_may_privacy(app, err)))
		return rc;
	if (!(d = malloc(sizeof *d)))
		return td_err_set(err, TD_ENOMEM, _("out of memory"));
	rc = td_app_dossier_get(app, reference, d, err);
	if (!rc) {
		td_store_now(now);
		rc = td_store_consent_withdraw(app->db, d->holder_id,
					       app->me->login, now, err);
		if (rc == TD_EEXIST)
			rc = td_err_set(err, TD_EEXIST,
				_("%s: the consent was already withdrawn on %s"),
				reference, d->withdrawn_at);
	}
	memset(d, 0, sizeof *d);
	free(d);
	return rc;
}

/* ---- the record of processing -------------------------------------------- */

int td_app_privacy_report(struct td_app *app, struct td_privacy_report *r,
			  td_err *err)
{
	struct td_privacy_figures f;
	char now[TD_TIME_SIZE], year[TD_TIME_SIZE];
	int rc;

	memset(r, 0, sizeof *r);
	if ((rc = td_app_may_privacy(app, err)))
		return rc;
	td_store_now(now);
	snprintf(year, sizeof year, "%.4s-01-01T00:00:00Z", now);
	if ((rc = td_store_privacy_figures(app->db, year, &f, err)) ||
	    (rc = td_app_privacy_due(app, &r->due, err)))
		return rc;
	r->f.holders = f.holders;
	memcpy(r->f.oldest, f.oldest, sizeof r->f.oldest);
	r->f.withdrawals = f.withdrawals;
	r->f.erasures_year = f.erasures_year;
	r->f.erasures = f.erasures;
	r->closed_months = app->cfg.retention.closed_months;
	r->untouched_months = app->cfg.retention.untouched_months;
	r->drafts_hours = app->cfg.draft_hours;
	r->audit_years = app->cfg.retention.audit_years;
	return TD_OK;
}

/* ---- retention ----------------------------------------------------------- */

/* now minus months (or years * 12), as UTC ISO; "" when months is 0. */
static void cutoff(int months, char out[TD_TIME_SIZE])
{
	char now[TD_TIME_SIZE];
	time_t t;
	struct tm tm;

	out[0] = '\0';
	if (months <= 0)
		return;
	td_store_now(now);
	if (td_time_parse(now, &t) != 0)
		t = time(NULL);
	gmtime_r(&t, &tm);
	tm.tm_mon -= months;
	t = timegm(&tm);
	td_time_format(t, out, TD_TIME_SIZE);
}

struct purge {
	struct td_app *app;
	bool dry_run;
	FILE *out;
	struct td_purge_result *res;
	char last_holder[TD_ID_SIZE];
	td_err *err;
};

static int purge_one(const char *id, const char *reference,
		     const char *holder_id, bool whole, void *ctx)
{
	struct purge *p = ctx;
	bool first = strcmp(p->last_holder, holder_id) != 0;
	int rc = TD_OK;

	snprintf(p->last_holder, sizeof p->last_holder, "%s", holder_id);
	p->res->dossiers++;
	if (whole && first)
		p->res->people++;
	if (p->out)
		fprintf(p->out, "%s\t%s\n", reference,
			whole ? (p->dry_run ? _("would be erased with the person")
					    : _("erased with the person"))
			      : (p->dry_run ? _("would be anonymised")
					    : _("anonymised")));
	if (p->dry_run)
		return TD_OK;
	if (whole && first) {
		if (!(rc = app_erase(p->app, p->app->db, "holder", holder_id,
				     "retention", false, NULL, p->err)))
			rc = app_erase_scrub(p->app->db, "holder", holder_id,
					     p->err);
	} else if (!whole) {
		if (!(rc = app_erase(p->app, p->app->db, "dossier", id,
				     "retention", false, NULL, p->err)))
			rc = app_erase_scrub(p->app->db, "dossier", id, p->err);
	}
	return rc;
}

int td_app_privacy_purge(struct td_app *app, bool dry_run, FILE *out,
			 struct td_purge_result *res, td_err *err)
{
	char closed[TD_TIME_SIZE], untouched[TD_TIME_SIZE], audit[TD_TIME_SIZE];
	struct purge p = { .app = app, .dry_run = dry_run, .out = out,
			   .res = res, .err = err };
	int rc;

	memset(res, 0, sizeof *res);
	if ((rc = td_app_may_purge(app, err)))
		return rc;
	cutoff(app->cfg.retention.closed_months, closed);
	cutoff(app->cfg.retention.untouched_months, untouched);
	cutoff(app->cfg.retention.audit_years * 12, audit);
	if ((closed[0] || untouched[0]) &&
	    (rc = td_store_retention_due(app->db, closed, untouched,
					 purge_one, &p, err)))
		return rc;
	if (audit[0] && (rc = td_store_audit_purge(app->db, audit, !dry_run,
						   &res->audit, err)))
		return rc;
	/* Unsaved intake forms older than drafts_hours (issue 13's
	 * drafts: they hold what was typed before consent). */
	int ndrafts = 0;
	if (!dry_run && (rc = td_app_draft_purge(app, &ndrafts, err)))
		return rc;
	if (!dry_run && res->dossiers &&
	    (rc = td_store_search_merge(app->db, err)))
		return rc;
	if (!dry_run && (res->dossiers || res->audit)) {
		char detail[160];
		snprintf(detail, sizeof detail,
			 "%ld dossiers, %ld people, %ld audit entries",
			 res->dossiers, res->people, res->audit);
		if ((rc = td_store_audit(app->db, NULL, app->me ? app->me->login
					 : app->login, "purge", "database", NULL,
					 NULL, detail, err)))
			return rc;
		td_err werr = { 0 };
		td_store_wal_truncate(app->db, &werr);
	}
	return TD_OK;
}

int td_app_privacy_due(struct td_app *app, long *n, td_err *err)
{
	char closed[TD_TIME_SIZE], untouched[TD_TIME_SIZE];

	*n = 0;
	cutoff(app->cfg.retention.closed_months, closed);
	cutoff(app->cfg.retention.untouched_months, untouched);
	if (!closed[0] && !untouched[0])
		return TD_OK;
	return td_store_retention_count(app->db, closed, untouched, n, err);
}

struct sens {
	void (*cb)(const char *line, void *ctx);
	void *ctx;
};

static int sens_row(int ncols, const char *const *cols, void *vctx)
{
	struct sens *s = vctx;
	char line[1400];
	if (ncols < 5)
		return 0;
	snprintf(line, sizeof line, "%s  %s  %s  %s  %s", cols[0], cols[1],
		 td_app_action_label(cols[2]), cols[3], cols[4]);
	s->cb(line, s->ctx);
	return 0;
}

int td_app_privacy_audit(struct td_app *app,
			 void (*cb)(const char *line, void *ctx), void *ctx,
			 td_err *err)
{
	struct sens s = { cb, ctx };
	if (!td_app_sees_purge_due(app))
		return td_err_set(err, TD_EPERM,
			_("the audit log of exports and erasures is for administrators"));
	return td_store_privacy_each(app->db, TD_PQ_SENSITIVE, "", sens_row,
				     &s, err);
}
