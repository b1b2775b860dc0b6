/* Help screen, generated from the key table (what is shown is what is
 * bound, including the user's overrides from the configuration) and the
 * intake field table. */
#include "keymap.h"
#include "tui.h"
#include "view.h"

#include "totemdesk/i18n.h"
#include "totemdesk/intake.h"

#include <stdio.h>
#include <string.h>

#define TOP_ROW 2

static struct td_view V;

static const unsigned order[] = {
	TD_KC_GLOBAL, TD_KC_HOME, TD_KC_FORM, TD_KC_EDIT, TD_KC_CHOICE,
	TD_KC_LIST, TD_KC_DIALOG, TD_KC_ROUTING,
	TD_KC_STATS, TD_KC_AGENDA, TD_KC_IMPORT, TD_KC_QUEUE,
};

static int help_enter(struct td_ui *ui, const void *arg)
{
	td_view_free(&V);
	V.label_w = 20;
	td_view_add(&V, NULL,
		    _("Keys can be changed in the configuration file, e.g. keys = { save = \"F2, ^O\"; }; (names in brackets below). ^X means Ctrl-X."),
		    TD_R_HELP);
	for (size_t c = 0; c < sizeof order / sizeof order[0]; c++) {
		td_view_add(&V, NULL, "", TD_R_NORMAL);
		td_view_add(&V, NULL, td_kctx_title(order[c]), TD_R_TITLE);
		for (int a = 0; a < TD_A_COUNT; a++) {
			const struct td_keydef *d = &td_keydefs[a];
			if (d->ctx != order[c])
				continue;
			const struct td_key *k;
			int n = td_keymap_keys((enum td_action)a, &k);
			char keys[160] = "";
			size_t o = 0;
			for (int i = 0; i < n; i++) {
				char name[32];
				td_key_name(k[i], name, sizeof name);
				int w = snprintf(keys + o, sizeof keys - o,
						 "%s%s", i ? ", " : "", name);
				if (w < 0 || (size_t)w >= sizeof keys - o)
					break;
				o += (size_t)w;
			}
			char text[512];
			snprintf(text, sizeof text, "%s: %s [%s]", _(d->label),
				 _(d->help), d->name);
			td_view_add(&V, keys, text, TD_R_NORMAL);
		}
	}
	/* The whole help of each field: the form shows short hints beside
	 * the fields on screens narrower than 132 columns. */
	td_view_add(&V, NULL, "", TD_R_NORMAL);
	td_view_add(&V, NULL, _("Intake form fields"), TD_R_TITLE);
	for (int f = 0; f < TD_F_COUNT; f++)
		td_view_add(&V, _(td_fields[f].label), _(td_fields[f].help),
			    TD_R_NORMAL);
	if (V.oom) {
		td_view_free(&V);
		td_ui_flash(ui, true, _("Out of memory."));
		return TD_ENOMEM;
	}
	return TD_OK;
}

static void help_leave(struct td_ui *ui)
{
	td_view_free(&V);
}

static int rows(const struct td_ui *ui)
{
	return getmaxy(ui->win) - TOP_ROW - 1;
}

static void help_draw(struct td_ui *ui, bool full)
{
	td_ui_draw_header(ui);
	td_ui_draw_title(ui, _("Help: keys"));
	td_view_draw(ui, &V, TOP_ROW, TOP_ROW + rows(ui) - 1);
	td_ui_draw_status(ui, TD_KC_LIST, TD_A_OPEN);
}

static bool help_key(struct td_ui *ui, const struct td_key *k)
{
	enum td_action a = td_keymap_lookup(TD_KC_LIST, *k);
	if (a == TD_A_BACK || td_keymap_lookup(TD_KC_GLOBAL, *k) == TD_A_HELP) {
		td_ui_pop(ui);
		return true;
	}
	return td_view_key(&V, k, rows(ui));
}

const struct td_screen td_scr_help = {
	.name = "help",
	.enter = help_enter,
	.leave = help_leave,
	.draw = help_draw,
	.handle_key = help_key,
};
