/* Home screen: the functions that exist, as a short menu.
 *
 * The menu is a table of {action, screen}: the action's row in the key
 * table gives its label and keys, the screen is what it opens.  It is
 * drawn here rather than with the menu library: nine rows do not need
 * it, and every string must go through td_ui_put (cleaning, ASCII
 * fallback under LANG=C, clipping), which menuw would bypass.
 *
 * A screen the user may not use (src/app/perm.c says so, with why) stays
 * in the menu, dimmed and marked, so that the digits keep their places:
 * its key and Enter say why instead of opening a screen that would
 * refuse the work only once it is filled in. */
#include "tui.h"

#include "totemdesk/i18n.h"
#include "totemdesk/privacy.h"

#include <stdio.h>

static const struct {
	enum td_action action;
	const struct td_screen *screen;   /* NULL: quit */
	/* Who may use it (NULL: everybody who may open the program). */
	int (*may)(const struct td_app *app, td_err *err);
} items[] = {
	{ TD_A_MENU_INTAKE, &td_scr_form, td_app_may_register },
	{ TD_A_MENU_TODAY, &td_scr_list, NULL },
	{ TD_A_MENU_QUEUE, &td_scr_queue, NULL },
	{ TD_A_MENU_AGENDA, &td_scr_agenda, NULL },
	{ TD_A_MENU_STATS, &td_scr_stats, NULL },
	{ TD_A_MENU_IMPORT, &td_scr_import, td_app_may_import },
	{ TD_A_MENU_PARTNERS, &td_scr_partners, NULL },
	{ TD_A_MENU_HELP, &td_scr_help, NULL },
	{ TD_A_QUIT, NULL, NULL },
};

#define NITEMS ((int)(sizeof items / sizeof items[0]))
#define MENU_ROW 3

struct home {
	int cur;
	int drawn_cur;     /* item drawn as selected, -1 = none */
	bool why_shown;    /* the help line says why an entry is not for us */
	long due;          /* dossiers due for the retention purge (admins) */
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

/* An administrator is told how many dossiers the retention rules make
 * due (issue 14 point 5).  Counted once, when the program starts, from
 * two index ranges (DUE in src/store/privacy.c), not every dossier. */
static void read_due(struct td_ui *ui, struct home *h)
{
	td_err err = { 0 };
	h->due = 0;
	if (td_app_sees_purge_due(ui->app) &&
	    td_app_privacy_due(ui->app, &h->due, &err) != TD_OK)
		h->due = 0;
}

static int home_enter(struct td_ui *ui, void *st, const void *arg)
{
	struct home *h = st;
	h->drawn_cur = -1;
	read_due(ui, h);
	return TD_OK;
}


/* May the user open item i?  Else why not, in why. */
static bool available(const struct td_ui *ui, int i, td_err *why)
{
	return !items[i].may || items[i].may(ui->app, why) == TD_OK;
}

static void draw_item(struct td_ui *ui, const struct home *h, int i)
{
	bool sel = i == h->cur;
	td_err why = { 0 };
	bool off = !available(ui, i, &why);
	attr_t a = td_ui_attr(ui, sel ? TD_R_SELECTED
				  : off ? TD_R_HELP : TD_R_NORMAL);
	char keys[64];
	int y = MENU_ROW + i * step(ui);

	/* The item's keys come from the keymap, so a rebinding shows. */
	td_keymap_display(items[i].action, 3, false, keys, sizeof keys);
	td_ui_put(ui, y, 2, 2, sel ? ">" : " ", a, true);
	td_ui_put(ui, y, 4, 30, _(td_keydefs[items[i].action].label), a, true);
	td_ui_put(ui, y, 36, 20, keys, td_ui_attr(ui, TD_R_HELP), true);
	/* Marked in words too: dimming does not show on a vt100. */
	td_ui_put(ui, y, 56, getmaxx(ui->win) - 57,
		  /* TRANSLATORS: beside a home menu entry the user's role
		   * may not use; the help line under the menu says why. */
		  off ? _("(not allowed)") : "", td_ui_attr(ui, TD_R_HELP),
		  true);
}

struct why_ctx {
	struct td_ui *ui;
	int y, last;
};

static void why_line(const char *line, void *vctx)
{
	struct why_ctx *c = vctx;
	if (c->y <= c->last)
		td_ui_put(c->ui, c->y++, 2, getmaxx(c->ui->win) - 4, line,
			  td_ui_attr(c->ui, TD_R_ERROR), true);
}

/* Under the menu: how to choose, or (on two rows) why the selected
 * entry is not available to the user. */
static void draw_help_line(struct td_ui *ui, struct home *h)
{
	int y = MENU_ROW + NITEMS * step(ui) + 1;
	td_err why = { 0 };
	char line[600];

	h->why_shown = !available(ui, h->cur, &why);
	if (h->why_shown) {
		struct why_ctx c = { ui, y - 1, y };
		td_ui_wrap(ui, why.msg, getmaxx(ui->win) - 4, why_line, &c);
		while (c.y <= c.last)
			why_line("", &c);
		return;
	}
	line[0] = '\0';
	if (h->due > 0)
		snprintf(line, sizeof line,
			 ngettext("%ld dossier is due for anonymisation (totemdesk privacy purge)",
				  "%ld dossiers are due for anonymisation (totemdesk privacy purge)",
				  (unsigned long)h->due), h->due);
	td_ui_put(ui, y - 1, 2, getmaxx(ui->win) - 4, line,
		  td_ui_attr(ui, TD_R_ERROR), true);
	char help[64];
	td_keymap_display(TD_A_HELP, 2, true, help, sizeof help);
	snprintf(line, sizeof line,
		 _("Arrows and Enter, or the key shown. %s: all the keys."),
		 help);
	td_ui_put(ui, y, 2, getmaxx(ui->win) - 4, line,
		  td_ui_attr(ui, TD_R_HELP), true);
}

static void home_draw(struct td_ui *ui, void *st, bool full)
{
	struct home *h = st;
	if (full) {
		td_ui_draw_header(ui);
		td_ui_draw_title(ui, _("What would you like to do?"));
		for (int i = 0; i < NITEMS; i++)
			draw_item(ui, h, i);
		draw_help_line(ui, h);
	} else if (h->drawn_cur != h->cur) {
		if (h->drawn_cur >= 0 && h->drawn_cur < NITEMS)
			draw_item(ui, h, h->drawn_cur);
		draw_item(ui, h, h->cur);
		/* Only when it changes: a step down the menu stays a few
		 * bytes on a slow line. */
		td_err why = { 0 };
		if (h->why_shown || !available(ui, h->cur, &why))
			draw_help_line(ui, h);
	}
	h->drawn_cur = h->cur;
	/* Where the cursor cannot be hidden (vt100), park it on the
	 * selected item. */
	ui->cur_y = MENU_ROW + h->cur * step(ui);
	ui->cur_x = 2;
}

static void activate(struct td_ui *ui, struct home *h, int i)
{
	td_err why = { 0 };
	h->cur = i;
	/* The entry is selected, and the line under the menu says why. */
	if (!available(ui, i, &why))
		return;
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
