/* Detail of one dossier: every field of the dossier and its holder, then
 * its timeline (actions by their translated names).  Everything shown
 * comes from the database and goes through td_ui_put / td_ui_wrap, which
 * strip controls and escapes.
 *
 * Actions (queue keys): add a note, assign, change the status, edit a
 * field -- the edit is validated by the app exactly as the intake form
 * (td_intake_check), and refused if another desk changed the dossier
 * meanwhile.  The page is rebuilt after each action and when another
 * terminal changes the database. */
#include "prompt.h"
#include "tui.h"
#include "view.h"

#include "totemdesk/date.h"
#include "totemdesk/domain.h"
#include "totemdesk/i18n.h"
#include "totemdesk/outfile.h"
#include "totemdesk/privacy.h"
#include "totemdesk/queue.h"
#include "totemdesk/referral.h"
#include "totemdesk/validate.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>


/* What a prompt or chooser is open for. */
enum { T_NOTE = 1, T_ASSIGN, T_STATUS, T_FIELDS, T_TEXT, T_CHOICE, T_NEEDS,
       T_ERASE, T_ACCESS };

struct detail {
	struct td_view v;
	char title[128];
	char ref[TD_REF_SIZE];       /* the dossier shown */
	/* The version the page shows, so that an edit over a change made
	 * elsewhere is refused. */
	int version;
	struct td_prompt p;
	struct td_chooser c;
	int edit_field;
	char last_action[TD_TIME_SIZE];
	char assignees[TD_CHOOSER_MAX][TD_LOGIN_SIZE];
	int nassignees;
	int status_item[TD_CHOOSER_MAX]; /* the status chooser's statuses */
};

static const struct td_keyctx detail_keys = {
	.ctx = { TD_KC_QUEUE, TD_KC_LIST, TD_KC_GLOBAL },
	.hints = { TD_A_PGUP, TD_A_PGDN, TD_A_BACK, TD_A_HELP },
};

static const struct td_keyctx *detail_mode(const void *st)
{
	const struct detail *D = st;
	return D->p.active ? &td_prompt_keys
	       : D->c.active ? &td_chooser_keys : NULL;
}

static void item(struct detail *D, const char *label, const char *text)
{
	td_view_add(&D->v, label, text, TD_R_NORMAL);
}

struct tl_ctx {
	struct td_ui *ui;
	struct detail *D;
	int n;
};

static int on_event(const struct td_event *e, void *vctx)
{
	struct tl_ctx *c = vctx;
	char when[64], line[1400], detail[1200];

	td_ui_local_time(c->ui, e->at, true, when, sizeof when);
	/* Logged in no language; read in the user's. */
	td_app_event_detail(e->action, e->detail, detail, sizeof detail);
	snprintf(line, sizeof line, "%s  %s  %s%s%s", when, e->actor,
		 td_app_action_label(e->action), detail[0] ? "  " : "",
		 detail);
	if (strcmp(e->at, c->D->last_action) > 0)
		snprintf(c->D->last_action, sizeof c->D->last_action, "%s",
			 e->at);
	td_view_add(&c->D->v, NULL, line, TD_R_NORMAL);
	c->n++;
	return 0;
}

/* Read the dossier ref and build the page. */
static int build(struct td_ui *ui, struct detail *D, const char *ref)
{
	struct td_dossier d;
	td_err err = { 0 };
	char buf[512], tmp[128];

	memset(&d, 0, sizeof d);
	td_view_free(&D->v);
	if (!ref || td_app_dossier_get(ui->app, ref, &d, &err) != TD_OK) {
		td_ui_flash(ui, true, err.msg[0] ? err.msg
				      : _("This dossier cannot be shown."));
		return err.code ? err.code : TD_ENOTFOUND;
	}
	snprintf(D->title, sizeof D->title, _("Dossier %s"), d.reference);
	snprintf(D->ref, sizeof D->ref, "%s", d.reference);
	D->version = d.version;
	D->last_action[0] = '\0';
	D->v.label_w = 18;
	D->v.fit_labels = true;

	td_view_add(&D->v, NULL, _("Dossier"), TD_R_TITLE);
	item(D, _("Reference"), d.reference);
	item(D, _("Status"), td_enum_label(&td_statuses, d.status));
	item(D, _("Site"), d.site);
	td_ui_local_time(ui, d.created_at, true, buf, sizeof buf);
	item(D, _("Created"), buf);
	item(D, _("Created by"), d.created_by);
	td_ui_local_time(ui, d.updated_at, true, buf, sizeof buf);
	item(D, _("Updated"), buf);
	item(D, _("Assigned to"), d.assigned_to[0] ? d.assigned_to : "-");
	if (d.erased_at[0]) {
		td_ui_local_time(ui, d.erased_at, true, buf, sizeof buf);
		td_view_add(&D->v, _("Erased"), buf, TD_R_ERROR);
	}

	/* Every field of the table, in its group: the holder's, then the
	 * project's. */
	for (int g = TD_FG_HOLDER; g <= TD_FG_PROJECT; g++) {
		td_view_add(&D->v, NULL, "", TD_R_NORMAL);
		td_view_add(&D->v, NULL, g == TD_FG_HOLDER ? _("Holder")
							   : _("Project"),
			    TD_R_TITLE);
		for (int f = 0; f < TD_F_COUNT; f++) {
			if ((int)td_fields[f].group != g)
				continue;
			if (f == TD_F_CONSENT) {
				/* the holder's consent: when and to which
				 * text */
				if (d.withdrawn_at[0]) {
					td_ui_local_time(ui, d.withdrawn_at,
							 true, tmp, sizeof tmp);
					snprintf(buf, sizeof buf,
						 _("withdrawn %s by %s"), tmp,
						 d.withdrawn_by);
				} else if (d.consent_at[0]) {
					td_ui_local_time(ui, d.consent_at, true,
							 tmp, sizeof tmp);
					snprintf(buf, sizeof buf,
						 _("given %s (version %s)"), tmp,
						 d.consent_version[0]
						 ? d.consent_version : "-");
				} else {
					snprintf(buf, sizeof buf, "%s",
						 _("not recorded"));
				}
			} else if (td_field_show(&d.v, (enum td_field_id)f, buf,
						 sizeof buf) == 0) {
				snprintf(buf, sizeof buf, "-");
			}
			item(D, _(td_fields[f].label), buf);
		}
	}

	td_view_add(&D->v, NULL, "", TD_R_NORMAL);
	td_view_add(&D->v, NULL, _("Timeline"), TD_R_TITLE);
	{
		char keys[160], rk[32], fk[32];
		td_keymap_display(TD_A_ROUTE, 1, false, rk, sizeof rk);
		td_keymap_display(TD_A_REFERRALS, 1, false, fk, sizeof fk);
		snprintf(keys, sizeof keys, _("%s: route to partners, %s: referrals"),
			 rk, fk);
		td_view_add(&D->v, NULL, keys, TD_R_HELP);
	}
	{
		char keys[200], xk[32], wk[32], ak[32];
		td_keymap_display(TD_A_Q_ERASE, 1, false, xk, sizeof xk);
		td_keymap_display(TD_A_Q_WITHDRAW, 1, false, wk, sizeof wk);
		td_keymap_display(TD_A_Q_ACCESS, 1, false, ak, sizeof ak);
		snprintf(keys, sizeof keys,
			 _("%s: access export, %s: consent withdrawn, %s: erase"),
			 ak, wk, xk);
		td_view_add(&D->v, NULL, keys, TD_R_HELP);
	}
	{
		char keys[200], nk[32], ak[32], ck[32], ek[32];
		td_keymap_display(TD_A_Q_NOTE, 1, false, nk, sizeof nk);
		td_keymap_display(TD_A_Q_ASSIGN, 1, false, ak, sizeof ak);
		td_keymap_display(TD_A_Q_STATUS, 1, false, ck, sizeof ck);
		td_keymap_display(TD_A_Q_EDIT, 1, false, ek, sizeof ek);
		snprintf(keys, sizeof keys,
			 _("%s: add a note, %s: assign, %s: change the status, %s: edit"),
			 nk, ak, ck, ek);
		td_view_add(&D->v, NULL, keys, TD_R_HELP);
	}
	struct tl_ctx c = { ui, D, 0 };
	td_err terr = { 0 };
	if (td_app_timeline(ui->app, d.id, on_event, &c, &terr) != TD_OK)
		td_view_add(&D->v, NULL, terr.msg, TD_R_ERROR);
	else if (c.n == 0)
		td_view_add(&D->v, NULL, _("No event recorded."), TD_R_HELP);
	if (D->last_action[0]) {
		char due[11];
		bool late;
		td_app_followup(ui->app, D->last_action, d.status, due, &late);
		td_date_show_ymd(due, 0, tmp, sizeof tmp);
		snprintf(buf, sizeof buf, "%s%s", tmp,
			 late ? _("  ! overdue") : "");
		td_view_add(&D->v, _("Next follow-up"), buf,
			    late ? TD_R_OVERDUE : TD_R_NORMAL);
	}
	if (D->v.oom) {
		td_view_free(&D->v);
		td_ui_flash(ui, true, _("Out of memory."));
		return TD_ENOMEM;
	}
	/* Personal data is only kept in the view's own copies. */
	memset(&d, 0, sizeof d);
	return TD_OK;
}

static void offer_erase(struct td_ui *ui, struct detail *D, const char *why);

static int detail_enter(struct td_ui *ui, void *st, const void *arg)
{
	int rc = build(ui, st, arg);
	if (rc == TD_OK && ui->erase_offer)
		offer_erase(ui, st, _("Erasing cannot be undone: type the dossier's reference to confirm."));
	ui->erase_offer = false;
	return rc;
}

bool td_ui_offer_erasure(struct td_ui *ui, const char *reference, int rc,
			 const td_err *err)
{
	struct td_dossier *d;
	td_err e = { 0 };
	char q[800];
	bool withdrawn;

	if (rc != TD_EPERM || !(d = malloc(sizeof *d)))
		return false;
	withdrawn = td_app_dossier_get(ui->app, reference, d, &e) == TD_OK &&
		    d->withdrawn_at[0];
	memset(d, 0, sizeof *d);
	free(d);
	if (!withdrawn)
		return false;
	/* Reception may not erase: the refusal alone. */
	if (td_app_may_privacy(ui->app, &e) != TD_OK) {
		td_ui_flash(ui, true, err->msg);
		return true;
	}
	/* TRANSLATORS: %s is why nothing was sent (the person withdrew
	 * their consent); yes opens the erasure of the dossier's detail. */
	snprintf(q, sizeof q, _("%s. Erase the person's data now?"), err->msg);
	if (!td_ui_confirm(ui, q)) {
		td_ui_flash(ui, true, err->msg);
		return true;
	}
	ui->erase_offer = true;
	if (td_ui_push(ui, &td_scr_detail, reference) != TD_OK)
		ui->erase_offer = false;
	return true;
}

static void detail_leave(struct td_ui *ui, void *st)
{
	td_view_free(&((struct detail *)st)->v);
}

/* Build the page again (after an action, or a change elsewhere),
 * keeping the scroll position. */
static void rebuild(struct td_ui *ui, struct detail *D)
{
	char ref[TD_REF_SIZE];
	long top = D->v.sc.top;
	snprintf(ref, sizeof ref, "%s", D->ref);
	if (build(ui, D, ref) == TD_OK) {
		D->v.sc.top = top;
		D->v.sc.cur = top;
	}
}

/* Back from a screen opened over this one (route, referrals, another
 * dossier): the dossier's status and timeline may have changed. */
static void detail_resume(struct td_ui *ui, void *st)
{
	rebuild(ui, st);
}

static void act_done(struct td_ui *ui, struct detail *D, int rc,
		     const td_err *err, const char *ok)
{
	if (rc != TD_OK) {
		td_ui_flash(ui, true, err->msg[0] ? err->msg
				      : _("Nothing was changed."));
		return;
	}
	td_ui_flash(ui, false, ok);
	rebuild(ui, D);
}

static void open_fields(struct td_ui *ui, struct detail *D)
{
	struct td_dossier d;
	td_err err = { 0 };
	char line[200];

	if (td_app_dossier_get(ui->app, D->ref, &d, &err) != TD_OK) {
		td_ui_flash(ui, true, err.msg);
		return;
	}
	td_chooser_open(&D->c, T_FIELDS, _("Edit which field?"));
	for (int f = 0; f < TD_F_COUNT && f < TD_CHOOSER_MAX; f++) {
		char v[160], label[100];
		enum td_field_kind k = td_fields[f].kind;
		if (k == TD_FK_MULTI || k == TD_FK_CHECK)
			snprintf(v, sizeof v, "...");
		else
			td_field_show(&d.v, (enum td_field_id)f, v, sizeof v);
		snprintf(line, sizeof line, "%s %s",
			 td_ui_fit(ui, _(td_fields[f].label), 22, label,
				   sizeof label), v);
		td_chooser_add(&D->c, line);
	}
	memset(&d, 0, sizeof d);
}

/* Another desk changed the dossier since this screen showed it (issue 13
 * point 2): say what it holds now (theirs) beside what was chosen or
 * typed (yours), and let the user choose.  True: apply yours, at the
 * version now stored (*version); false: theirs stays, and the flash
 * repeats yours so that nothing typed is lost. */
static bool conflict_choose(struct td_ui *ui, struct detail *D,
			    const char *what, const char *theirs,
			    const char *yours, int *version)
{
	char q[900];
	snprintf(q, sizeof q,
		 /* TRANSLATORS: the reference, what changed ("Status"), the
		  * value another desk saved, the value chosen here. */
		 _("%s was changed at another desk while you worked on it. %s: now \"%s\" (theirs); you chose \"%s\" (yours). Apply yours?"),
		 D->ref, what, theirs, yours);
	bool mine = td_ui_confirm(ui, q);
	struct td_dossier d;
	td_err err = { 0 };
	if (td_app_dossier_get(ui->app, D->ref, &d, &err) == TD_OK)
		*version = d.version;
	memset(&d, 0, sizeof d);
	if (!mine) {
		snprintf(q, sizeof q, _("Kept theirs (%s: \"%s\"); yours was \"%s\"."),
			 what, theirs, yours);
		rebuild(ui, D);
		td_ui_flash(ui, false, q);
	}
	return mine;
}

/* Apply one field change through the app's edit use case. */
static void edit_apply(struct td_ui *ui, struct detail *D, int field,
		       const char *text, int choice)
{
	struct td_dossier d;
	struct td_intake_check res;
	td_err err = { 0 };

	if (td_app_dossier_get(ui->app, D->ref, &d, &err) != TD_OK) {
		td_ui_flash(ui, true, err.msg);
		return;
	}
	struct td_intake in = d.v;
	enum td_field_id f = (enum td_field_id)field;
	switch (td_fields[field].kind) {
	case TD_FK_TEXT:
		snprintf(td_intake_text(&in, f), td_fields[field].size, "%s",
			 text);
		break;
	case TD_FK_CHOICE:
		td_intake_set_value(&in, f, choice);
		break;
	case TD_FK_MULTI:
		td_intake_set_value(&in, f, td_intake_value(&in, f) ^
					    (1l << choice));
		break;
	case TD_FK_CHECK:
		break;
	}
	int version = D->version;
	int rc = td_app_dossier_edit(ui->app, D->ref, &in, version, &res,
				     &err);
	if (rc == TD_ECONFLICT) {
		/* Theirs: the field as stored now; yours: as typed. */
		char theirs[400], yours[400];
		struct td_intake mine = in;
		td_field_show(&mine, f, yours, sizeof yours);
		struct td_dossier now;
		if (td_app_dossier_get(ui->app, D->ref, &now, &err) == TD_OK) {
			td_field_show(&now.v, f, theirs, sizeof theirs);
			/* Their other changes stay: only this field is yours. */
			in = now.v;
			switch (td_fields[field].kind) {
			case TD_FK_TEXT:
				snprintf(td_intake_text(&in, f),
					 td_fields[field].size, "%s",
					 td_intake_ctext(&mine, f));
				break;
			default:
				td_intake_set_value(&in, f,
						    td_intake_value(&mine, f));
				break;
			}
			memset(&now, 0, sizeof now);
			if (conflict_choose(ui, D, _(td_fields[field].label),
					    theirs, yours, &version)) {
				rc = td_app_dossier_edit(ui->app, D->ref, &in,
							 version, &res, &err);
			} else {
				memset(&d, 0, sizeof d);
				memset(&in, 0, sizeof in);
				return;
			}
		}
		memset(&mine, 0, sizeof mine);
	}
	memset(&d, 0, sizeof d);
	memset(&in, 0, sizeof in);
	act_done(ui, D, rc, &err, _("Dossier saved."));
}

static void chosen(struct td_ui *ui, struct detail *D, int tag, int i)
{
	td_err err = { 0 };
	int rc;

	switch (tag) {
	case T_ASSIGN: {
		const char *who = i > 0 && i <= D->nassignees
				  ? D->assignees[i - 1] : "";
		int version = D->version;
		rc = td_app_dossier_assign(ui->app, D->ref, version, who, &err);
		if (rc == TD_ECONFLICT) {
			struct td_dossier d;
			char theirs[TD_LOGIN_SIZE + 32];
			if (td_app_dossier_get(ui->app, D->ref, &d, &err) != TD_OK)
				break;
			snprintf(theirs, sizeof theirs, "%s",
				 d.assigned_to[0] ? d.assigned_to : _("nobody"));
			memset(&d, 0, sizeof d);
			if (!conflict_choose(ui, D, _("Assigned to"), theirs,
					     *who ? who : _("nobody"), &version))
				break;
			rc = td_app_dossier_assign(ui->app, D->ref, version,
						   who, &err);
		}
		act_done(ui, D, rc, &err, _("Dossier assigned."));
		break;
	}
	case T_STATUS: {
		int to = i >= 0 && i < D->c.n ? D->status_item[i] : -1;
		int version = D->version;
		rc = td_app_dossier_set_status(ui->app, D->ref, version, to,
					       &err);
		if (rc == TD_ECONFLICT) {
			struct td_dossier d;
			if (td_app_dossier_get(ui->app, D->ref, &d, &err) != TD_OK)
				break;
			int theirs = d.status;
			memset(&d, 0, sizeof d);
			if (!conflict_choose(ui, D, _("Status"),
					     td_enum_label(&td_statuses, theirs),
					     td_enum_label(&td_statuses, to),
					     &version))
				break;
			rc = td_app_dossier_set_status(ui->app, D->ref, version,
						       to, &err);
		}
		act_done(ui, D, rc, &err, _("Status changed."));
		break;
	}
	case T_FIELDS: {
		D->edit_field = i;
		const struct td_field_def *f = &td_fields[i];
		if (f->flags & TD_FF_FIXED) {
			td_ui_flash(ui, true,
				    _("The consent is the holder's own: it cannot be edited."));
		} else if (f->kind == TD_FK_TEXT) {
			struct td_dossier d;
			if (td_app_dossier_get(ui->app, D->ref, &d, &err)) {
				td_ui_flash(ui, true, err.msg);
				break;
			}
			td_prompt_open(&D->p, T_TEXT, _(f->label),
				       td_intake_ctext(&d.v, (enum td_field_id)i),
				       f->max_chars, f->size - 1);
			memset(&d, 0, sizeof d);
		} else {
			td_chooser_open(&D->c, f->kind == TD_FK_MULTI ? T_NEEDS
					: T_CHOICE,
					f->kind == TD_FK_MULTI
					? _("Tick or untick a need") : _(f->label));
			for (size_t k = 0; k < f->choices->count; k++)
				td_chooser_add(&D->c,
					       td_enum_label(f->choices, (int)k));
		}
		break;
	}
	case T_CHOICE:
	case T_NEEDS:
		edit_apply(ui, D, D->edit_field, NULL, i);
		break;
	default:
		break;
	}
}

/* Ask for the reference that confirms an erasure, saying why. */
static void offer_erase(struct td_ui *ui, struct detail *D, const char *why)
{
	td_ui_flash(ui, false, why);
	td_prompt_open(&D->p, T_ERASE, _("Reference to erase"), NULL,
		       TD_REF_SIZE - 1, TD_REF_SIZE - 1);
}

/* The queue's actions on this dossier; true if a was one. */
static bool queue_action(struct td_ui *ui, struct detail *D, enum td_action a)
{
	const struct td_config *cfg = td_app_config(ui->app);
	td_err err = { 0 };
	/* Assigning and statuses: refused before the choice, not after. */
	if ((a == TD_A_Q_ASSIGN || a == TD_A_Q_STATUS) &&
	    td_app_may_manage_dossiers(ui->app, &err) != TD_OK) {
		td_ui_flash(ui, true, err.msg);
		return true;
	}
	switch (a) {
	case TD_A_Q_NOTE:
		td_prompt_open(&D->p, T_NOTE, _("Note"), NULL, 1000, 0);
		return true;
	case TD_A_Q_ASSIGN:
		td_chooser_open(&D->c, T_ASSIGN, _("Assign to"));
		td_chooser_add(&D->c, _("nobody"));
		D->nassignees = 0;
		for (size_t u = 0; u < cfg->nusers &&
		     D->nassignees < TD_CHOOSER_MAX - 1; u++) {
			char line[160];
			if (!td_app_may_be_assigned(ui->app, &cfg->users[u]))
				continue;
			snprintf(D->assignees[D->nassignees++], TD_LOGIN_SIZE,
				 "%s", cfg->users[u].login);
			snprintf(line, sizeof line, "%s  %s", cfg->users[u].login,
				 cfg->users[u].name);
			td_chooser_add(&D->c, line);
		}
		return true;
	case TD_A_Q_STATUS: {
		/* Only the moves the workflow allows from where it is. */
		const char *one[] = { D->ref };
		struct td_move_block b;
		unsigned offer = 0, blocked = 0;
		size_t nb = 0;
		if (td_app_queue_moves(ui->app, one, 1, &offer, &blocked, &b, 1,
				       &nb, &err) != TD_OK) {
			td_ui_flash(ui, true, err.msg);
			return true;
		}
		td_chooser_open(&D->c, T_STATUS, _("New status"));
		for (size_t s = 0, k = 0; s < td_statuses.count; s++)
			if (offer & (1u << s)) {
				D->status_item[k++] = (int)s;
				td_chooser_add(&D->c,
					       td_enum_label(&td_statuses, (int)s));
			}
		return true;
	}
	case TD_A_Q_EDIT:
		open_fields(ui, D);
		return true;
	case TD_A_Q_ERASE:
		/* Refused before anything is typed; confirmed by typing the
		 * reference, not by one key that could be pressed by mistake. */
		if (td_app_may_privacy(ui->app, &err) != TD_OK) {
			td_ui_flash(ui, true, err.msg);
			return true;
		}
		offer_erase(ui, D, _("Erasing cannot be undone: type the dossier's reference to confirm."));
		return true;
	case TD_A_Q_ACCESS: {
		char name[TD_REF_SIZE + 16];
		if (td_app_may_privacy(ui->app, &err) != TD_OK) {
			td_ui_flash(ui, true, err.msg);
			return true;
		}
		snprintf(name, sizeof name, "%s-access.txt", D->ref);
		td_prompt_open(&D->p, T_ACCESS, _("Access export file"), name,
			       0, 0);
		return true;
	}
	case TD_A_Q_WITHDRAW:
		if (td_app_may_privacy(ui->app, &err) != TD_OK) {
			td_ui_flash(ui, true, err.msg);
			return true;
		}
		if (!td_ui_confirm(ui, _("Record that the person withdrew their consent? No referral can be made or sent for them afterwards.")))
			return true;
		if (td_app_privacy_withdraw(ui->app, D->ref, &err) != TD_OK) {
			td_ui_flash(ui, true, err.msg);
			return true;
		}
		rebuild(ui, D);
		/* The screen offers erasure: Esc keeps the data. */
		offer_erase(ui, D, _("Consent withdrawn. Type the reference to erase the data too (Esc: keep it)."));
		return true;
	default:
		return false;
	}
}

static void detail_draw(struct td_ui *ui, void *st, bool full)
{
	struct detail *D = st;
	/* Another desk changed something: show it (not while typing). */
	if (!D->p.active && !D->c.active && td_app_changed(ui->app))
		rebuild(ui, D);
	td_ui_draw_header(ui);
	td_ui_draw_title(ui, D->title);
	/* A chooser over the page, a prompt on its last row. */
	int last = TD_UI_BODY + td_view_rows(ui) - 1;
	if (D->c.active)
		td_chooser_draw(ui, &D->c, TD_UI_BODY, last);
	else
		td_view_draw(ui, &D->v);
	if (D->p.active)
		td_prompt_draw(ui, &D->p, last);
}

static void prompt_done(struct td_ui *ui, struct detail *D)
{
	const char *one[] = { D->ref };
	td_err err = { 0 };

	if (D->p.tag == T_NOTE) {
		act_done(ui, D, td_app_queue_note(ui->app, one, NULL, 1, D->p.text,
						  NULL, &err),
			 &err, _("Note added."));
	} else if (D->p.tag == T_ACCESS) {
		/* The text in the user's language, through the safe writer;
		 * an existing file only once the user said so. */
		struct td_access_who who = { .reference = D->ref };
		char path[sizeof D->p.text], msg[600];
		snprintf(path, sizeof path, "%s", D->p.text);
		int rc = td_app_privacy_access(ui->app, &who, false, path, 0,
					       NULL, NULL, &err);
		if (rc == TD_EEXIST) {
			snprintf(msg, sizeof msg, _("%s exists. Replace it?"), path);
			if (!td_ui_confirm(ui, msg))
				return;
			rc = td_app_privacy_access(ui->app, &who, false, path,
						   TD_OUT_FORCE, NULL, NULL, &err);
		}
		if (rc == TD_OK)
			snprintf(msg, sizeof msg,
				 _("Everything held about the person is in %s."), path);
		act_done(ui, D, rc, &err, msg);
	} else if (D->p.tag == T_ERASE) {
		struct td_erase_result res;
		if (strcmp(D->p.text, D->ref) != 0) {
			td_ui_flash(ui, true,
				_("The reference typed is not this dossier's: nothing was erased."));
			return;
		}
		int rc = td_app_privacy_erase(ui->app, D->ref, &res, &err);
		act_done(ui, D, rc, &err, rc == TD_OK && res.wal_busy
			 ? _("Erased; another desk still has the old pages in the database's log until it closes.")
			 : _("The person's data is erased."));
	} else
		edit_apply(ui, D, D->edit_field, D->p.text, 0);
}

static bool detail_act(struct td_ui *ui, void *st, enum td_action a,
		       const struct td_key *k)
{
	struct detail *D = st;
	bool changed;

	if (D->p.active) {
		if (td_prompt_act(&D->p, a, k, &changed) > 0)
			prompt_done(ui, D);
		return true;
	}
	if (D->c.active) {
		int tag = D->c.tag;
		if (td_chooser_act(&D->c, a) > 0)
			chosen(ui, D, tag, D->c.cur);
		return true;
	}
	if (queue_action(ui, D, a))
		return true;
	switch (a) {
	case TD_A_BACK:
		td_ui_pop(ui);
		return true;
	case TD_A_ROUTE:
		td_ui_push(ui, &td_scr_route, D->ref);
		return true;
	case TD_A_REFERRALS:
		td_ui_push(ui, &td_scr_referral, D->ref);
		return true;
	default:
		return td_view_act(ui, &D->v, a);
	}
}

const struct td_screen td_scr_detail = {
	.name = "detail",
	.size = sizeof(struct detail),
	.keys = &detail_keys,
	.mode = detail_mode,
	.enter = detail_enter,
	.leave = detail_leave,
	.draw = detail_draw,
	.act = detail_act,
	.resume = detail_resume,
};
