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
#include "keymap.h"
#include "prompt.h"
#include "tui.h"
#include "view.h"

#include "totemdesk/domain.h"
#include "totemdesk/i18n.h"
#include "totemdesk/queue.h"
#include "totemdesk/referral.h"
#include "totemdesk/validate.h"

#include <stdio.h>
#include <string.h>

#define TOP_ROW 2

static struct td_view V;
static char title[128];
static char ref_shown[TD_REF_SIZE]; /* for the route and referral keys */

/* Actions: what is open and on which field; the version the page shows,
 * so that an edit over a change made elsewhere is refused. */
enum { T_NOTE = 1, T_ASSIGN, T_STATUS, T_FIELDS, T_TEXT, T_STAGE, T_SECTOR,
       T_NEEDS };
static struct td_prompt P;
static struct td_chooser C;
static int shown_version;
static int edit_field;
static char last_action[TD_TIME_SIZE];
static char assignees[TD_CHOOSER_MAX][TD_LOGIN_SIZE];
static int nassignees;

static void item(const char *label, const char *text)
{
	td_view_add(&V, label, text, TD_R_NORMAL);
}

struct tl_ctx {
	struct td_ui *ui;
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
	if (strcmp(e->at, last_action) > 0)
		snprintf(last_action, sizeof last_action, "%s", e->at);
	td_view_add(&V, NULL, line, TD_R_NORMAL);
	c->n++;
	return 0;
}

static int detail_enter(struct td_ui *ui, const void *arg)
{
	const char *ref = arg;
	struct td_dossier d;
	td_err err = { 0 };
	char buf[512], tmp[128];

	memset(&d, 0, sizeof d);
	td_view_free(&V);
	if (!ref || td_app_dossier_get(ui->app, ref, &d, &err) != TD_OK) {
		td_ui_flash(ui, true, err.msg[0] ? err.msg
				      : _("This dossier cannot be shown."));
		return err.code ? err.code : TD_ENOTFOUND;
	}
	snprintf(title, sizeof title, _("Dossier %s"), d.reference);
	snprintf(ref_shown, sizeof ref_shown, "%s", d.reference);
	shown_version = d.version;
	last_action[0] = '\0';
	V.label_w = 18;

	td_view_add(&V, NULL, _("Dossier"), TD_R_TITLE);
	item(_("Reference"), d.reference);
	item(_("Status"), td_enum_label(&td_statuses, d.status));
	item(_("Site"), d.site);
	td_ui_local_time(ui, d.created_at, true, buf, sizeof buf);
	item(_("Created"), buf);
	item(_("Created by"), d.created_by);
	td_ui_local_time(ui, d.updated_at, true, buf, sizeof buf);
	item(_("Updated"), buf);
	item(_("Assigned to"), d.assigned_to[0] ? d.assigned_to : "-");

	td_view_add(&V, NULL, "", TD_R_NORMAL);
	td_view_add(&V, NULL, _("Holder"), TD_R_TITLE);
	item(_(td_fields[TD_F_LAST_NAME].label), d.v.last_name);
	item(_(td_fields[TD_F_FIRST_NAME].label), d.v.first_name);
	item(_(td_fields[TD_F_EMAIL].label), d.v.email);
	td_phone_display(d.v.phone, buf, sizeof buf);
	item(_(td_fields[TD_F_PHONE].label), buf);
	item(_(td_fields[TD_F_POSTCODE].label), d.v.postcode);
	item(_(td_fields[TD_F_CITY].label), d.v.city);

	td_view_add(&V, NULL, "", TD_R_NORMAL);
	td_view_add(&V, NULL, _("Project"), TD_R_TITLE);
	item(_(td_fields[TD_F_TITLE].label), d.v.title);
	item(_(td_fields[TD_F_DESCRIPTION].label), d.v.description);
	item(_(td_fields[TD_F_STAGE].label),
	     td_enum_label(&td_stages, d.v.stage));
	item(_(td_fields[TD_F_SECTOR].label),
	     td_enum_label(&td_sectors, d.v.sector));
	size_t o = 0;
	buf[0] = '\0';
	for (size_t i = 0; i < td_needs.count; i++) {
		if (!(d.v.needs & (1u << i)))
			continue;
		int w = snprintf(buf + o, sizeof buf - o, "%s%s",
				 o ? ", " : "",
				 td_enum_label(&td_needs, (int)i));
		if (w < 0 || (size_t)w >= sizeof buf - o)
			break;
		o += (size_t)w;
	}
	item(_(td_fields[TD_F_NEEDS].label), buf);
	item(_(td_fields[TD_F_SIRET].label), d.v.siret[0] ? d.v.siret : "-");
	if (d.consent_at[0]) {
		td_ui_local_time(ui, d.consent_at, true, tmp, sizeof tmp);
		snprintf(buf, sizeof buf, _("given %s (version %s)"), tmp,
			 d.consent_version[0] ? d.consent_version : "-");
	} else {
		snprintf(buf, sizeof buf, "%s", _("not recorded"));
	}
	item(_(td_fields[TD_F_CONSENT].label), buf);

	td_view_add(&V, NULL, "", TD_R_NORMAL);
	td_view_add(&V, NULL, _("Timeline"), TD_R_TITLE);
	{
		char keys[160], rk[32], fk[32];
		td_keymap_display(TD_A_ROUTE, 1, false, rk, sizeof rk);
		td_keymap_display(TD_A_REFERRALS, 1, false, fk, sizeof fk);
		snprintf(keys, sizeof keys, _("%s: route to partners, %s: referrals"),
			 rk, fk);
		td_view_add(&V, NULL, keys, TD_R_HELP);
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
		td_view_add(&V, NULL, keys, TD_R_HELP);
	}
	struct tl_ctx c = { ui, 0 };
	td_err terr = { 0 };
	if (td_app_timeline(ui->app, d.id, on_event, &c, &terr) != TD_OK)
		td_view_add(&V, NULL, terr.msg, TD_R_ERROR);
	else if (c.n == 0)
		td_view_add(&V, NULL, _("No event recorded."), TD_R_HELP);
	if (last_action[0]) {
		char due[11];
		bool late;
		td_app_followup(ui->app, last_action, d.status, due, &late);
		snprintf(buf, sizeof buf, "%s%s", due,
			 late ? _("  ! overdue") : "");
		td_view_add(&V, _("Next follow-up"), buf,
			    late ? TD_R_OVERDUE : TD_R_NORMAL);
	}
	if (V.oom) {
		td_view_free(&V);
		td_ui_flash(ui, true, _("Out of memory."));
		return TD_ENOMEM;
	}
	/* Personal data is only kept in the view's own copies. */
	memset(&d, 0, sizeof d);
	return TD_OK;
}

static void detail_leave(struct td_ui *ui)
{
	td_view_free(&V);
	P.active = false;
	C.active = false;
}

/* Build the page again (after an action, or a change elsewhere),
 * keeping the scroll position. */
static void rebuild(struct td_ui *ui)
{
	char ref[TD_REF_SIZE];
	long top = V.sc.top;
	snprintf(ref, sizeof ref, "%s", ref_shown);
	if (detail_enter(ui, ref) == TD_OK) {
		V.sc.top = top;
		V.sc.cur = top;
	}
}

static void act_done(struct td_ui *ui, int rc, const td_err *err,
		     const char *ok)
{
	if (rc != TD_OK) {
		td_ui_flash(ui, true, err->msg[0] ? err->msg
				      : _("Nothing was changed."));
		return;
	}
	td_ui_flash(ui, false, ok);
	rebuild(ui);
}

static void open_fields(struct td_ui *ui)
{
	struct td_dossier d;
	td_err err = { 0 };
	char line[200];

	if (td_app_dossier_get(ui->app, ref_shown, &d, &err) != TD_OK) {
		td_ui_flash(ui, true, err.msg);
		return;
	}
	td_chooser_open(&C, T_FIELDS, _("Edit which field?"));
	for (int f = 0; f < TD_F_COUNT && f < TD_CHOOSER_MAX; f++) {
		const char *v = "";
		if (td_fields[f].kind == TD_FK_TEXT)
			v = td_intake_ctext(&d.v, (enum td_field_id)f);
		else if (f == TD_F_STAGE)
			v = td_enum_label(&td_stages, d.v.stage);
		else if (f == TD_F_SECTOR)
			v = td_enum_label(&td_sectors, d.v.sector);
		snprintf(line, sizeof line, "%-22s %s", _(td_fields[f].label),
			 f == TD_F_NEEDS || f == TD_F_CONSENT ? "..." : v);
		td_chooser_add(&C, line);
	}
	memset(&d, 0, sizeof d);
}

/* Apply one field change through the app's edit use case. */
static void edit_apply(struct td_ui *ui, int field, const char *text,
		       int choice)
{
	struct td_dossier d;
	struct td_intake_check res;
	td_err err = { 0 };

	if (td_app_dossier_get(ui->app, ref_shown, &d, &err) != TD_OK) {
		td_ui_flash(ui, true, err.msg);
		return;
	}
	struct td_intake in = d.v;
	if (td_fields[field].kind == TD_FK_TEXT)
		snprintf(td_intake_text(&in, (enum td_field_id)field),
			 td_fields[field].size, "%s", text);
	else if (field == TD_F_STAGE)
		in.stage = choice;
	else if (field == TD_F_SECTOR)
		in.sector = choice;
	else if (field == TD_F_NEEDS)
		in.needs ^= 1u << choice;
	int rc = td_app_dossier_edit(ui->app, ref_shown, &in, shown_version,
				     &res, &err);
	memset(&d, 0, sizeof d);
	memset(&in, 0, sizeof in);
	act_done(ui, rc, &err, _("Dossier saved."));
}

static void chosen(struct td_ui *ui, int tag, int i)
{
	const char *one[] = { ref_shown };
	td_err err = { 0 };
	int rc;

	switch (tag) {
	case T_ASSIGN:
		rc = td_app_queue_assign(ui->app, one, 1,
					 i > 0 && i <= nassignees
					 ? assignees[i - 1] : "", &err);
		act_done(ui, rc, &err, _("Dossier assigned."));
		break;
	case T_STATUS:
		rc = td_app_queue_set_status(ui->app, one, 1, i, &err);
		act_done(ui, rc, &err, _("Status changed."));
		break;
	case T_FIELDS: {
		edit_field = i;
		const struct td_field_def *f = &td_fields[i];
		if (i == TD_F_CONSENT) {
			td_ui_flash(ui, true,
				    _("The consent is the holder's own: it cannot be edited."));
		} else if (f->kind == TD_FK_TEXT) {
			struct td_dossier d;
			if (td_app_dossier_get(ui->app, ref_shown, &d, &err)) {
				td_ui_flash(ui, true, err.msg);
				break;
			}
			td_prompt_open(&P, T_TEXT, _(f->label),
				       td_intake_ctext(&d.v, (enum td_field_id)i),
				       f->max_chars);
			memset(&d, 0, sizeof d);
		} else {
			const struct td_enum *e = i == TD_F_STAGE ? &td_stages
				: i == TD_F_SECTOR ? &td_sectors : &td_needs;
			td_chooser_open(&C, i == TD_F_STAGE ? T_STAGE
					: i == TD_F_SECTOR ? T_SECTOR : T_NEEDS,
					i == TD_F_NEEDS ? _("Tick or untick a need")
							: _(f->label));
			for (size_t k = 0; k < e->count; k++)
				td_chooser_add(&C, td_enum_label(e, (int)k));
		}
		break;
	}
	case T_STAGE:
	case T_SECTOR:
	case T_NEEDS:
		edit_apply(ui, edit_field, NULL, i);
		break;
	default:
		break;
	}
}

/* The queue's action keys on this dossier; true if k was one. */
static bool action_key(struct td_ui *ui, const struct td_key *k)
{
	const struct td_config *cfg = td_app_config(ui->app);
	switch (td_keymap_lookup(TD_KC_QUEUE, *k)) {
	case TD_A_Q_NOTE:
		td_prompt_open(&P, T_NOTE, _("Note"), NULL, 1000);
		return true;
	case TD_A_Q_ASSIGN:
		td_chooser_open(&C, T_ASSIGN, _("Assign to"));
		td_chooser_add(&C, _("nobody"));
		nassignees = 0;
		for (size_t u = 0; u < cfg->nusers &&
		     nassignees < TD_CHOOSER_MAX - 1; u++) {
			char line[160];
			if (!td_app_may_be_assigned(ui->app, &cfg->users[u]))
				continue;
			snprintf(assignees[nassignees++], TD_LOGIN_SIZE, "%s",
				 cfg->users[u].login);
			snprintf(line, sizeof line, "%s  %s", cfg->users[u].login,
				 cfg->users[u].name);
			td_chooser_add(&C, line);
		}
		return true;
	case TD_A_Q_STATUS:
		td_chooser_open(&C, T_STATUS, _("New status"));
		for (size_t i = 0; i < td_statuses.count; i++)
			td_chooser_add(&C, td_enum_label(&td_statuses, (int)i));
		return true;
	case TD_A_Q_EDIT:
		open_fields(ui);
		return true;
	default:
		return false;
	}
}

static int rows(const struct td_ui *ui)
{
	return getmaxy(ui->win) - TOP_ROW - 1;
}

static void detail_draw(struct td_ui *ui, bool full)
{
	/* Another desk changed something: show it (not while typing). */
	if (!P.active && !C.active && td_app_changed(ui->app))
		rebuild(ui);
	td_ui_draw_header(ui);
	td_ui_draw_title(ui, title);
	if (C.active)
		td_chooser_draw(ui, &C, TOP_ROW, TOP_ROW + rows(ui) - 1);
	else
		td_view_draw(ui, &V, TOP_ROW, TOP_ROW + rows(ui) - 1);
	if (P.active)
		td_prompt_draw(ui, &P, TOP_ROW + rows(ui) - 1);
	td_ui_draw_status(ui, TD_KC_LIST | TD_KC_GLOBAL, TD_A_OPEN);
}

static bool detail_key(struct td_ui *ui, const struct td_key *k)
{
	if (P.active) {
		bool changed;
		int tag = P.tag;
		if (td_prompt_key(&P, k, &changed) > 0) {
			const char *one[] = { ref_shown };
			td_err err = { 0 };
			if (tag == T_NOTE)
				act_done(ui, td_app_queue_note(ui->app, one, 1,
							       P.buf, &err),
					 &err, _("Note added."));
			else
				edit_apply(ui, edit_field, P.buf, 0);
		}
		return true;
	}
	if (C.active) {
		int tag = C.tag;
		if (td_chooser_key(&C, k) > 0)
			chosen(ui, tag, C.cur);
		return true;
	}
	if (action_key(ui, k))
		return true;
	enum td_action a = td_keymap_lookup(TD_KC_LIST, *k);
	if (a == TD_A_BACK) {
		td_ui_pop(ui);
		return true;
	}
	if (a == TD_A_ROUTE) {
		td_ui_push(ui, &td_scr_route, ref_shown);
		return true;
	}
	if (a == TD_A_REFERRALS) {
		td_ui_push(ui, &td_scr_referral, ref_shown);
		return true;
	}
	return td_view_key(&V, k, rows(ui));
}

const struct td_screen td_scr_detail = {
	.name = "detail",
	.enter = detail_enter,
	.leave = detail_leave,
	.draw = detail_draw,
	.handle_key = detail_key,
};
