/* Help screen, generated from the key table (what is shown is what is
 * bound, including the user's overrides from the configuration) and the
 * intake field table. */
#include "tui.h"
#include "view.h"

#include "totemdesk/date.h"
#include "totemdesk/i18n.h"
#include "totemdesk/intake.h"

#include <stdio.h>
#include <string.h>

struct help {
	struct td_view v;
};

static const struct td_keyctx help_keys = {
	.ctx = { TD_KC_LIST, TD_KC_GLOBAL },
	.hints = { TD_A_PGUP, TD_A_PGDN, TD_A_BACK },
};

/* arg: the key context (enum td_kctx *) whose section opens at the top,
 * the one of the screen the help key was pressed in; NULL: the top. */
static int help_enter(struct td_ui *ui, void *st, const void *arg)
{
	struct td_view *v = &((struct help *)st)->v;
	const enum td_kctx *at = arg;
	v->label_w = 20;
	td_view_add(v, NULL,
		    _("Keys can be changed in the configuration file, e.g. keys = { save = \"F2, ^O\"; }; (names in brackets below). ^X means Ctrl-X."),
		    TD_R_HELP);
	/* The contexts in the table's order. */
	for (int c = TD_KC_NONE + 1; c < TD_KC_COUNT; c++) {
		td_view_add(v, NULL, "", TD_R_NORMAL);
		td_view_add(v, NULL, td_kctx_title((enum td_kctx)c), TD_R_TITLE);
		if (at && *at == (enum td_kctx)c)
			td_view_show_item(v, v->nitems - 1);
		for (int a = TD_A_FIRST; a < TD_A_COUNT; a++) {
			const struct td_keydef *d = &td_keydefs[a];
			if (d->ctx != (enum td_kctx)c)
				continue;
			const struct td_key *k;
			int n = td_keymap_keys((enum td_action)a, &k);
			char keys[160] = "";
			size_t o = 0;
			bool legible = false;
			for (int i = 0; i < n; i++)
				legible = legible || td_key_shown(k[i]);
			for (int i = 0; i < n; i++) {
				char name[32];
				/* Under LANG=C "é" would read "e", another
				 * key: the others say it. */
				if (legible && !td_key_shown(k[i]))
					continue;
				td_key_name(k[i], name, sizeof name);
				int w = snprintf(keys + o, sizeof keys - o,
						 "%s%s", o ? ", " : "", name);
				if (w < 0 || (size_t)w >= sizeof keys - o)
					break;
				o += (size_t)w;
			}
			char text[512];
			snprintf(text, sizeof text, "%s: %s [%s]", _(d->label),
				 _(d->help), d->name);
			td_view_add(v, keys, text, TD_R_NORMAL);
		}
	}
	/* Dates: one style per language, read in every style (date.h). */
	char today[16], dates[600];
	td_date_show(td_app_today(), 0, today, sizeof today);
	snprintf(dates, sizeof dates,
		 /* TRANSLATORS: %s is today's date as the screens show it. */
		 _("Dates are shown as %s (today). Where a date is asked, type it as shown or in any of these forms: 23/11/2026, 23/11/26, 2026-11-23, or +N for N working days from today (weekends and the holidays of the configuration are skipped)."),
		 today);
	td_view_add(v, NULL, "", TD_R_NORMAL);
	td_view_add(v, NULL, _("Dates"), TD_R_TITLE);
	td_view_add(v, NULL, dates, TD_R_HELP);
	/* The whole help of each field: the form shows short hints beside
	 * the fields on screens narrower than 132 columns. */
	td_view_add(v, NULL, "", TD_R_NORMAL);
	td_view_add(v, NULL, _("Intake form fields"), TD_R_TITLE);
	for (int f = 0; f < TD_F_COUNT; f++)
		td_view_add(v, _(td_fields[f].label), _(td_fields[f].help),
			    TD_R_NORMAL);
	/* What the phone, postcode and company number take in each
	 * country the form knows (issue 12). */
	td_view_add(v, NULL, "", TD_R_NORMAL);
	td_view_add(v, NULL, _("What each country accepts"), TD_R_TITLE);
	for (size_t i = 0; i < td_countries.count; i++)
		td_view_add(v, td_enum_label(&td_countries, (int)i),
			    _(td_countries.entries[i].help), TD_R_NORMAL);
	if (v->oom) {
		td_view_free(v);
		td_ui_flash(ui, true, _("Out of memory."));
		return TD_ENOMEM;
	}
	return TD_OK;
}

static void help_leave(struct td_ui *ui, void *st)
{
	td_view_free(&((struct help *)st)->v);
}

static void help_draw(struct td_ui *ui, void *st, bool full)
{
	struct td_view *v = &((struct help *)st)->v;
	td_ui_draw_header(ui);
	td_ui_draw_title(ui, _("Help: keys"));
	td_view_draw(ui, v);
}

static bool help_act(struct td_ui *ui, void *st, enum td_action a,
		     const struct td_key *k)
{
	struct td_view *v = &((struct help *)st)->v;
	if (a == TD_A_BACK || a == TD_A_HELP) {
		td_ui_pop(ui);
		return true;
	}
	return td_view_act(ui, v, a);
}

const struct td_screen td_scr_help = {
	.name = "help",
	.size = sizeof(struct help),
	.keys = &help_keys,
	.enter = help_enter,
	.leave = help_leave,
	.draw = help_draw,
	.act = help_act,
};
