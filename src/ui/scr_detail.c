/* Read-only detail of one dossier: every field of the dossier and its
 * holder, then its timeline.  Everything shown comes from the database and
 * goes through td_ui_put / td_ui_wrap, which strip controls and escapes. */
#include "keymap.h"
#include "tui.h"
#include "view.h"

#include "totemdesk/domain.h"
#include "totemdesk/i18n.h"
#include "totemdesk/validate.h"

#include <stdio.h>
#include <string.h>

#define TOP_ROW 2

static struct td_view V;
static char title[128];
static char ref_shown[TD_REF_SIZE]; /* for the route and referral keys */

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
	char when[64], line[1400];

	td_ui_local_time(c->ui, e->at, true, when, sizeof when);
	snprintf(line, sizeof line, "%s  %s  %s%s%s", when, e->actor,
		 e->action, e->detail[0] ? "  " : "", e->detail);
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
	struct tl_ctx c = { ui, 0 };
	td_err terr = { 0 };
	if (td_app_timeline(ui->app, d.id, on_event, &c, &terr) != TD_OK)
		td_view_add(&V, NULL, terr.msg, TD_R_ERROR);
	else if (c.n == 0)
		td_view_add(&V, NULL, _("No event recorded."), TD_R_HELP);
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
}

static int rows(const struct td_ui *ui)
{
	return getmaxy(ui->win) - TOP_ROW - 1;
}

static void detail_draw(struct td_ui *ui, bool full)
{
	td_ui_draw_header(ui);
	td_ui_draw_title(ui, title);
	td_view_draw(ui, &V, TOP_ROW, TOP_ROW + rows(ui) - 1);
	td_ui_draw_status(ui, TD_KC_LIST | TD_KC_GLOBAL, TD_A_OPEN);
}

static bool detail_key(struct td_ui *ui, const struct td_key *k)
{
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
