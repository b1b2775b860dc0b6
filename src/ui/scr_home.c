/* Home screen: the functions that exist, as a short menu.
 *
 * The menu is a table of {action, screen}: the action's row in the key
 * table gives its label and keys, the screen is what it opens.  It is
 * drawn here rather than with the menu library: nine rows do not need
 * it, and every string must go through td_ui_put (cleaning, ASCII
 * fallback under LANG=C, clipping), which menuw would bypass. */
#include "tui.h"

#include "totemdesk/i18n.h"

#include <stdio.h>

static const struct {
	enum td_action action;
	const struct td_screen *screen;   /* NULL: quit */
} items[] = {
	{ TD_A_MENU_INTAKE, &td_scr_form },
	{ TD_A_MENU_TODAY, &td_scr_list },
	{ TD_A_MENU_QUEUE, &td_scr_queue },
	{ TD_A_MENU_AGENDA, &td_scr_agenda },
	{ TD_A_MENU_STATS, &td_scr_stats },
	{ TD_A_MENU_IMPORT, &td_scr_import },
	{ TD_A_MENU_PARTNERS, &td_scr_partners },
	{ TD_A_MENU_HELP, &td_scr_help },
	{ TD_A_QUIT, NULL },
};

#define NITEMS ((int)(sizeof items / sizeof items[0]))
#define MENU_ROW 3

struct home {
	int cur;
	int drawn_cur;     /* item drawn as selected, -1 = none */
};

static const struct td_keyctx home_keys = {
	.ctx = { TD_KC_HOME, TD_KC_LIST, TD_KC_GLOBAL },
	.hints = { TD_A_QUIT, TD_A_HELP },
};

/* Rows between items: 2 while the menu and its help line fit in a
 * 24-line terminal, else 1. */
static int step(const struct td_ui *ui)
{
	return MENU_ROW + NITEMS * 2 + 2 <= getmaxy(ui->win) - 1 ? 2 : 1;
}

static int home_enter(struct td_ui *ui, void *st, const void *arg)
{
	struct home *h = st;
	h->drawn_cur = -1;
	return TD_OK;
}

static void draw_item(struct td_ui *ui, const struct home *h, int i)
{
	bool sel = i == h->cur;
	attr_t a = td_ui_attr(ui, sel ? TD_R_SELECTED : TD_R_NORMAL);
	char keys[64];
	int y = MENU_ROW + i * step(ui);

	/* The item's keys come from the keymap, so a rebinding shows. */
	td_keymap_display(items[i].action, 3, false, keys, sizeof keys);
	td_ui_put(ui, y, 2, 2, sel ? ">" : " ", a, true);
	td_ui_put(ui, y, 4, 30, _(td_keydefs[items[i].action].label), a, true);
	td_ui_put(ui, y, 36, 20, keys, td_ui_attr(ui, TD_R_HELP), true);
}

static void home_draw(struct td_ui *ui, void *st, bool full)
{
	struct home *h = st;
	if (full) {
		td_ui_draw_header(ui);
		td_ui_draw_title(ui, _("What would you like to do?"));
		for (int i = 0; i < NITEMS; i++)
			draw_item(ui, h, i);
		int y = MENU_ROW + NITEMS * step(ui) + 1;
		char help[64];
		td_keymap_display(TD_A_HELP, 2, true, help, sizeof help);
		char line[256];
		snprintf(line, sizeof line,
			 _("Arrows and Enter, or the key shown. %s: all the keys."),
			 help);
		td_ui_put(ui, y, 2, getmaxx(ui->win) - 4, line,
			  td_ui_attr(ui, TD_R_HELP), true);
	} else if (h->drawn_cur != h->cur) {
		if (h->drawn_cur >= 0 && h->drawn_cur < NITEMS)
			draw_item(ui, h, h->drawn_cur);
		draw_item(ui, h, h->cur);
	}
	h->drawn_cur = h->cur;
	/* Where the cursor cannot be hidden (vt100), park it on the
	 * selected item. */
	ui->cur_y = MENU_ROW + h->cur * step(ui);
	ui->cur_x = 2;
}

static void activate(struct td_ui *ui, struct home *h, int i)
{
	h->cur = i;
	/* The help opens at the home screen's keys, as the help key does. */
	enum td_kctx here = TD_KC_HOME;
	if (items[i].screen)
		td_ui_push(ui, items[i].screen,
			   items[i].screen == &td_scr_help ? &here : NULL);
	else
		ui->quit = true;
}

static bool home_act(struct td_ui *ui, void *st, enum td_action a,
		     const struct td_key *k)
{
	struct home *h = st;

	switch (a) {
	case TD_A_UP:
		h->cur = (h->cur + NITEMS - 1) % NITEMS;
		return true;
	case TD_A_DOWN:
		h->cur = (h->cur + 1) % NITEMS;
		return true;
	case TD_A_TOP:
		h->cur = 0;
		return true;
	case TD_A_BOTTOM:
		h->cur = NITEMS - 1;
		return true;
	case TD_A_OPEN:
		activate(ui, h, h->cur);
		return true;
	default:
		break;
	}
	for (int i = 0; i < NITEMS; i++)
		if (items[i].action == a) {
			activate(ui, h, i);
			return true;
		}
	return false;
}

const struct td_screen td_scr_home = {
	.name = "home",
	.size = sizeof(struct home),
	.keys = &home_keys,
	.enter = home_enter,
	.draw = home_draw,
	.act = home_act,
};
