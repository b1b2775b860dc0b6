/* Agenda: follow-ups due today, this week and overdue, mine or
 * everybody's; Enter opens the dossier.  The agenda holds a few hundred
 * lines at most (TD_AGENDA_MAX), read at once and drawn visible rows only. */
#include "tui.h"

#include "totemdesk/agenda.h"
#include "totemdesk/domain.h"
#include "totemdesk/date.h"
#include "totemdesk/i18n.h"

#include <stdio.h>
#include <string.h>

#define HEAD_ROW 2
#define FIRST_ROW 3

struct agenda {
	struct td_agenda a;
	struct td_scroll sc;
	bool mine;
	char err[512];
	char ref[TD_REF_SIZE];
};

static const struct td_keyctx agenda_keys = {
	.ctx = { TD_KC_AGENDA, TD_KC_LIST, TD_KC_GLOBAL },
	.hints = { TD_A_PGUP, TD_A_PGDN, TD_A_OPEN, TD_A_BACK, TD_A_AG_MINE,
		   TD_A_HELP },
};

static int rows(const struct td_ui *ui)
{
	return td_ui_rows(ui, FIRST_ROW, true);
}

static void reload(struct td_ui *ui, struct agenda *G)
{
	td_err err = { 0 };
	G->err[0] = '\0';
	if (td_app_agenda(ui->app, G->mine, &G->a, &err) != TD_OK)
		snprintf(G->err, sizeof G->err, "%s", err.msg);
	G->sc.n = (long)G->a.n;
	td_scroll_key(&G->sc, TD_A_NONE, rows(ui), true);
}

/* Back from a dossier: a follow-up done there leaves the agenda. */
static void agenda_resume(struct td_ui *ui, void *st)
{
	reload(ui, st);
}

static int agenda_enter(struct td_ui *ui, void *st, const void *arg)
{
	struct agenda *G = st;

	memset(&G->sc, 0, sizeof G->sc);
	/* Officers start with their own follow-ups; the others, with
	 * nothing assigned to them, with everybody's. */
	G->mine = td_app_agenda_mine_first(ui->app);
	reload(ui, G);
	return TD_OK;
}

static void agenda_leave(struct td_ui *ui, void *st)
{
	td_agenda_free(&((struct agenda *)st)->a);
}

static const char *when_label(int when)
{
	switch (when) {
	case TD_AG_OVERDUE: return _("overdue");
	/* TRANSLATORS: agenda column "when": the action is due today. */
	case TD_AG_TODAY: return C_("agenda due", "today");
	default: return _("this week");
	}
}

struct cols {
	int due, when, ref, name, what;
	int wdue, wwhen, wref, wname, wwhat;
};

static struct cols layout(int width)
{
	struct cols c;
	c.wdue = 10;
	c.wwhen = 10;
	c.wref = 14;
	c.wname = 20;
	c.due = 2;
	c.when = c.due + c.wdue + 1;
	c.ref = c.when + c.wwhen + 1;
	c.name = c.ref + c.wref + 1;
	c.what = c.name + c.wname + 1;
	c.wwhat = width - c.what;
	if (c.wwhat < 8)
		c.wwhat = 8;
	return c;
}

static void draw_row(struct td_ui *ui, const struct agenda *G, int y, long i,
		     const struct cols *c)
{
	int width = getmaxx(ui->win);
	bool sel = i == G->sc.cur;
	attr_t a = td_ui_attr(ui, sel ? TD_R_CURRENT : TD_R_NORMAL);
	char buf[512];

	td_ui_put(ui, y, 0, width, "", A_NORMAL, true);
	if (i >= (long)G->a.n)
		return;
	const struct td_agenda_item *it = &G->a.items[i];
	/* Overdue lines carry a '!' as well as the colour, for vt100. */
	td_ui_put(ui, y, 0, 2, sel ? ">" : it->when == TD_AG_OVERDUE ? "!" : "",
		  a, true);
	td_date_show_ymd(it->due, 0, buf, sizeof buf);
	td_ui_put(ui, y, c->due, c->wdue, buf, a, true);
	attr_t w = td_ui_attr(ui, it->when == TD_AG_OVERDUE ? TD_R_OVERDUE
							    : TD_R_NORMAL);
	td_ui_put(ui, y, c->when, c->wwhen, when_label(it->when), w, false);
	td_ui_put(ui, y, c->ref, c->wref, it->reference, A_NORMAL, false);
	td_ui_put(ui, y, c->name, c->wname, it->name, A_NORMAL, false);
	if (it->kind == TD_AG_REFERRAL)
		snprintf(buf, sizeof buf, _("call back %s"), it->partner);
	else
		snprintf(buf, sizeof buf, _("%s, waiting: %s"),
			 td_enum_label(&td_statuses, it->status), it->title);
	td_ui_put(ui, y, c->what, c->wwhat, buf, A_NORMAL, false);
}

static void agenda_draw(struct td_ui *ui, void *st, bool full)
{
	struct agenda *G = st;
	int width = getmaxx(ui->win);
	int n = rows(ui);
	struct cols c = layout(width);
	char title[256];

	if (td_app_changed(ui->app))
		reload(ui, G);
	td_scroll_key(&G->sc, TD_A_NONE, n, true);
	snprintf(title, sizeof title,
		 _("Agenda (%s): %ld overdue, %ld today, %ld this week"),
		 G->mine ? _("mine") : _("everybody"), G->a.count[TD_AG_OVERDUE],
		 G->a.count[TD_AG_TODAY], G->a.count[TD_AG_WEEK]);
	td_ui_draw_header(ui);
	td_ui_draw_title(ui, title);

	attr_t h = td_ui_attr(ui, TD_R_LABEL) | A_BOLD;
	td_ui_put(ui, HEAD_ROW, 0, width, "", h, true);
	td_ui_put(ui, HEAD_ROW, c.due, c.wdue, _("Due"), h, false);
	td_ui_put(ui, HEAD_ROW, c.when, c.wwhen, _("When"), h, false);
	td_ui_put(ui, HEAD_ROW, c.ref, c.wref, _("Reference"), h, false);
	td_ui_put(ui, HEAD_ROW, c.name, c.wname, _("Name"), h, false);
	td_ui_put(ui, HEAD_ROW, c.what, c.wwhat, _("To do"), h, false);
	for (int r = 0; r < n; r++)
		draw_row(ui, G, FIRST_ROW + r, G->sc.top + r, &c);
	if (G->a.n == 0 && !G->err[0]) {
		char key[64], empty[256];
		/* The key as configured, not as shipped. */
		td_keymap_display(TD_A_AG_MINE, 1, true, key, sizeof key);
		snprintf(empty, sizeof empty,
			 /* TRANSLATORS: %s is the key that shows everybody's
			  * agenda ("m" unless rebound). */
			 _("Nothing due this week for you. %s: everybody's."),
			 key);
		td_ui_put(ui, FIRST_ROW + 1, 2, width - 4,
			  G->mine ? empty : _("Nothing due this week."),
			  td_ui_attr(ui, TD_R_HELP), false);
	}
	td_ui_draw_message(ui, G->err, TD_R_ERROR);
	ui->cur_y = FIRST_ROW + (int)(G->sc.cur - G->sc.top);
	ui->cur_x = 0;
}

static bool agenda_act(struct td_ui *ui, void *st, enum td_action a,
		       const struct td_key *k)
{
	struct agenda *G = st;

	switch (a) {
	case TD_A_AG_MINE:
		G->mine = !G->mine;
		memset(&G->sc, 0, sizeof G->sc);
		reload(ui, G);
		return true;
	case TD_A_REDRAW:
		reload(ui, G);
		return true;
	case TD_A_BACK:
		td_ui_pop(ui);
		return true;
	case TD_A_OPEN:
		if (G->sc.cur < (long)G->a.n) {
			snprintf(G->ref, sizeof G->ref, "%s",
				 G->a.items[G->sc.cur].reference);
			td_ui_push(ui, &td_scr_detail, G->ref);
		}
		return true;
	default:
		return td_scroll_key(&G->sc, a, rows(ui), true);
	}
}

const struct td_screen td_scr_agenda = {
	.name = "agenda",
	.size = sizeof(struct agenda),
	.keys = &agenda_keys,
	.enter = agenda_enter,
	.leave = agenda_leave,
	.draw = agenda_draw,
	.act = agenda_act,
	.resume = agenda_resume,
};
