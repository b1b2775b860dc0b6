/* Home screen: the functions that exist, as a short menu.
 *
 * The menu is drawn here rather than with the menu library: four rows do
 * not need it, and every string must go through td_ui_put (cleaning,
 * ASCII fallback under LANG=C, clipping), which menuw would bypass. */
#include "keymap.h"
#include "tui.h"

#include "totemdesk/i18n.h"

#include <stdio.h>

static const struct {
	enum td_action action;
	const char *label;
} items[] = {
	{ TD_A_MENU_INTAKE, N_("New intake") },
	{ TD_A_MENU_TODAY, N_("Today's intakes") },
	{ TD_A_MENU_QUEUE, N_("Queue of all dossiers") },
	{ TD_A_MENU_AGENDA, N_("Agenda") },
	{ TD_A_MENU_STATS, N_("Statistics") },
	{ TD_A_MENU_IMPORT, N_("Import") },
	{ TD_A_MENU_PARTNERS, N_("Partners") },
	{ TD_A_MENU_HELP, N_("Help") },
	{ TD_A_QUIT, N_("Quit") },
};

#define NITEMS ((int)(sizeof items / sizeof items[0]))
#define MENU_ROW 3

/* Rows between items: 2 while the menu and its help line fit in a
 * 24-line terminal, else 1. */
static int step(const struct td_ui *ui)
{
	return MENU_ROW + NITEMS * 2 + 2 <= getmaxy(ui->win) - 1 ? 2 : 1;
}

static int cur;
static int drawn_cur = -1;

static int home_enter(struct td_ui *ui, const void *arg)
{
	cur = 0;
	return TD_OK;
}

static void draw_item(struct td_ui *ui, int i)
{
	bool sel = i == cur;
	attr_t a = td_ui_attr(ui, sel ? TD_R_SELECTED : TD_R_NORMAL);
	char keys[64], line[256];

	/* The item's keys come from the keymap, so a rebinding shows. */
	td_keymap_display(items[i].action, 3, false, keys, sizeof keys);
	td_ui_put(ui, MENU_ROW + i * step(ui), 2, 2, sel ? ">" : " ", a, true);
	snprintf(line, sizeof line, "%s", _(items[i].label));
	td_ui_put(ui, MENU_ROW + i * step(ui), 4, 30, line, a, true);
	td_ui_put(ui, MENU_ROW + i * step(ui), 36, 20, keys,
		  td_ui_attr(ui, TD_R_HELP), true);
}

static void home_draw(struct td_ui *ui, bool full)
{
	if (full) {
		td_ui_draw_header(ui);
		td_ui_draw_title(ui, _("What would you like to do?"));
		for (int i = 0; i < NITEMS; i++)
			draw_item(ui, i);
		int y = MENU_ROW + NITEMS * step(ui) + 1;
		char help[64];
		td_keymap_display(TD_A_HELP, 2, true, help, sizeof help);
		char line[256];
		snprintf(line, sizeof line,
			 _("Arrows and Enter, or the key shown. %s: all the keys."),
			 help);
		td_ui_put(ui, y, 2, getmaxx(ui->win) - 4, line,
			  td_ui_attr(ui, TD_R_HELP), true);
	} else if (drawn_cur != cur) {
		if (drawn_cur >= 0 && drawn_cur < NITEMS)
			draw_item(ui, drawn_cur);
		draw_item(ui, cur);
	}
	drawn_cur = cur;
	td_ui_draw_status(ui, TD_KC_HOME | TD_KC_GLOBAL, TD_A_NONE);
	/* Where the cursor cannot be hidden (vt100), park it on the
	 * selected item. */
	ui->cur_y = MENU_ROW + cur * step(ui);
	ui->cur_x = 2;
}

static void activate(struct td_ui *ui, enum td_action a)
{
	for (int i = 0; i < NITEMS; i++)
		if (items[i].action == a)
			cur = i;
	switch (a) {
	case TD_A_MENU_INTAKE:
		td_ui_push(ui, &td_scr_form, NULL);
		break;
	case TD_A_MENU_TODAY:
		td_ui_push(ui, &td_scr_list, NULL);
		break;
	case TD_A_MENU_HELP:
		td_ui_push(ui, &td_scr_help, NULL);
		break;
	case TD_A_MENU_QUEUE:
		td_ui_push(ui, &td_scr_queue, NULL);
		break;
	case TD_A_MENU_PARTNERS:
		td_ui_push(ui, &td_scr_partners, NULL);
		break;
	case TD_A_MENU_AGENDA:
		td_ui_push(ui, &td_scr_agenda, NULL);
		break;
	case TD_A_MENU_STATS:
		td_ui_push(ui, &td_scr_stats, NULL);
		break;
	case TD_A_MENU_IMPORT:
		td_ui_push(ui, &td_scr_import, NULL);
		break;
	case TD_A_QUIT:
		ui->quit = true;
		break;
	default:
		break;
	}
}

static bool home_key(struct td_ui *ui, const struct td_key *k)
{
	enum td_action a = td_keymap_lookup(TD_KC_HOME | TD_KC_LIST, *k);

	switch (a) {
	case TD_A_UP:
		cur = (cur + NITEMS - 1) % NITEMS;
		return true;
	case TD_A_DOWN:
		cur = (cur + 1) % NITEMS;
		return true;
	case TD_A_TOP:
		cur = 0;
		return true;
	case TD_A_BOTTOM:
		cur = NITEMS - 1;
		return true;
	case TD_A_OPEN:
		activate(ui, items[cur].action);
		return true;
	case TD_A_MENU_INTAKE:
	case TD_A_MENU_TODAY:
	case TD_A_MENU_HELP:
	case TD_A_MENU_QUEUE:
	case TD_A_MENU_PARTNERS:
	case TD_A_MENU_AGENDA:
	case TD_A_MENU_STATS:
	case TD_A_MENU_IMPORT:
	case TD_A_QUIT:
		activate(ui, a);
		return true;
	default:
		return false;
	}
}

const struct td_screen td_scr_home = {
	.name = "home",
	.enter = home_enter,
	.leave = NULL,
	.draw = home_draw,
	.handle_key = home_key,
};
