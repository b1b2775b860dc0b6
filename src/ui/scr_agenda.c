/* Agenda: follow-ups due today, this week and overdue, mine or
 * everybody's; Enter opens the dossier.  The agenda holds a few hundred
 * lines at most (TD_AGENDA_MAX), read at once: the virtual-list widget
 * (vlist.h) over that array draws the visible rows only and keeps the
 * cursor on its line across a refresh. */
#include "tui.h"
#include "vlist.h"

#include "totemdesk/agenda.h"
#include "totemdesk/domain.h"
#include "totemdesk/date.h"
#include "totemdesk/i18n.h"

#include <stdio.h>
#include <string.h>

#define HEAD_ROW 2
#define FIRST_ROW 3

#define C_COUNT_MAX 5

struct agenda {
	struct td_agenda a;
	struct td_vlist vl;
	bool mine;
	char err[512];
	char ref[TD_REF_SIZE];
	struct td_vcol c[C_COUNT_MAX];  /* by id, for laid_w columns */
	int laid_w;
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

/* A line's key: a dossier may have a referral line and its own. */
static void item_key(const void *row, char out[TD_VLIST_KEY])
{
	const struct td_agenda_item *it = row;
	snprintf(out, TD_VLIST_KEY, "%d %s %.30s", it->kind, it->reference,
		 it->partner);
}

static void reload(struct td_ui *ui, struct agenda *G)
{
	td_err err = { 0 };
	char keep[TD_VLIST_KEY];
	td_vlist_cur_key(&G->vl, keep);
	G->err[0] = '\0';
	if (td_app_agenda(ui->app, G->mine, &G->a, &err) != TD_OK)
		snprintf(G->err, sizeof G->err, "%s", err.msg);
	td_vlist_set_array(&G->vl, G->a.items, (long)G->a.n, sizeof *G->a.items,
			   item_key, keep);
	td_scroll_key(&G->vl.sc, TD_A_NONE, rows(ui), true);
}

/* Back from a dossier: a follow-up done there leaves the agenda. */
static void agenda_resume(struct td_ui *ui, void *st)
{
	reload(ui, st);
}

static int agenda_enter(struct td_ui *ui, void *st, const void *arg)
{
	struct agenda *G = st;

	/* Officers start with their own follow-ups; the others, with
	 * nothing assigned to them, with everybody's. */
	G->mine = td_app_agenda_mine_first(ui->app);
	reload(ui, G);
	return TD_OK;
}

static void agenda_leave(struct td_ui *ui, void *st)
{
	struct agenda *G = st;
	td_vlist_free(&G->vl);
	td_agenda_free(&G->a);
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

enum { C_DUE, C_WHEN, C_REF, C_NAME, C_WHAT, C_COUNT };

/* Below NARROW columns (an 80-column terminal) a line scrolled in must
 * cost at most 90 bytes on a vt100 (issue 10, docs/benchmarks.md), about
 * 55 columns of text: the due date in the narrow style of the lists, the
 * name and what to do.  "When" shows from NARROW columns on (the "!" in
 * front says overdue, the date says the rest, the title counts them), so
 * does the reference (Enter opens the dossier, whose title is it). */
#define NARROW 90
static const struct td_vcol_def col_defs[] = {
	{ .id = C_DUE, .w = -1, .until = NARROW },
	{ .id = C_DUE, .w = 10, .from = NARROW },
	{ .id = C_WHEN, .w = 10, .from = NARROW },
	{ .id = C_REF, .w = 14, .from = NARROW },
	{ .id = C_NAME, .w = 20, .from = NARROW },
	{ .id = C_NAME, .fit = true, .min = 4, .max = 20, .until = NARROW },
	{ .id = C_WHAT, .min = 8 },
};
#define NDEFS ((int)(sizeof col_defs / sizeof col_defs[0]))

static void col_text(const void *row, int id, const void *ctx, char *out,
		     size_t outsz)
{
	snprintf(out, outsz, "%s", ((const struct td_agenda_item *)row)->name);
}

/* A partner as people name it, for 80 columns: "Bpifrance" for
 * "Bpifrance (direction regionale Lorraine)", "Adie" for "Adie -
 * Association pour...", "CMA 57" for "Chambre de metiers et de
 * l'artisanat de la Moselle (CMA 57), Metz": the name up to its first
 * " (", " - ", en dash or comma, or what its parentheses hold when that
 * head is long; the whole name when it has no such part. */
static const char *short_partner(const char *name, char *out, size_t outsz)
{
	static const char *const seps[] = { " (", " - ", " \xe2\x80\x93 ",
					    ", " };
	size_t head = strlen(name);
	for (size_t i = 0; i < sizeof seps / sizeof seps[0]; i++) {
		const char *p = strstr(name, seps[i]);
		if (p && p > name && (size_t)(p - name) < head)
			head = (size_t)(p - name);
	}
	const char *open = strstr(name, " (");
	const char *close = open ? strchr(open, ')') : NULL;
	if (head > 24 && close && close - open > 2) {
		snprintf(out, outsz, "%.*s", (int)(close - open - 2), open + 2);
		return out;
	}
	snprintf(out, outsz, "%.*s", (int)head, name);
	return out;
}

static void draw_row(struct td_ui *ui, void *ctx, int y, long i,
		     const void *row, bool sel)
{
	const struct td_vcol *c = ctx;
	int width = getmaxx(ui->win);
	attr_t a = td_ui_attr(ui, sel ? TD_R_CURRENT : TD_R_NORMAL);
	char buf[512];

	td_ui_put(ui, y, 0, width, "", A_NORMAL, true);
	if (!row)
		return;
	const struct td_agenda_item *it = row;
	/* Overdue lines carry a '!' as well as the colour, for vt100. */
	td_ui_put(ui, y, 0, 2, sel ? ">" : it->when == TD_AG_OVERDUE ? "!" : "",
		  a, true);
	td_date_show_ymd(it->due, width < NARROW ? TD_DATE_NARROW : 0, buf,
			 sizeof buf);
	td_ui_put(ui, y, c[C_DUE].x, c[C_DUE].w, buf, a, true);
	attr_t w = td_ui_attr(ui, it->when == TD_AG_OVERDUE ? TD_R_OVERDUE
							    : TD_R_NORMAL);
	if (c[C_WHEN].w)
		td_ui_put(ui, y, c[C_WHEN].x, c[C_WHEN].w,
			  when_label(it->when), w, false);
	if (c[C_REF].w)
		td_ui_put(ui, y, c[C_REF].x, c[C_REF].w, it->reference,
			  A_NORMAL, false);
	td_ui_put(ui, y, c[C_NAME].x, c[C_NAME].w, it->name, A_NORMAL, false);
	if (it->kind == TD_AG_REFERRAL) {
		char p[128];
		snprintf(buf, sizeof buf, _("call back %s"),
			 width < NARROW ? short_partner(it->partner, p, sizeof p)
					: it->partner);
	} else if (width < NARROW) {
		/* TRANSLATORS: agenda, 80 columns: a dossier waiting in a
		 * status (the project's title shows in its detail). */
		snprintf(buf, sizeof buf, _("%s, waiting"),
			 td_enum_label(&td_statuses, it->status));
	} else {
		snprintf(buf, sizeof buf, _("%s, waiting: %s"),
			 td_enum_label(&td_statuses, it->status), it->title);
	}
	td_ui_put(ui, y, c[C_WHAT].x, c[C_WHAT].w, buf, A_NORMAL, false);
}

static void agenda_draw(struct td_ui *ui, void *st, bool full)
{
	struct agenda *G = st;
	int width = getmaxx(ui->win);
	int n = rows(ui);
	char title[256];

	if (td_app_changed(ui->app))
		reload(ui, G);
	/* Laid out once per opening (and resize): scrolling never moves a
	 * column.  The last column stops short of the right edge: a row
	 * written to the last column leaves a vt100's cursor where only an
	 * absolute move (7 bytes) brings it back, instead of a carriage
	 * return. */
	if (G->laid_w != width) {
		struct td_vcol v[NDEFS];
		int fitw[C_COUNT] = { 0 };
		fitw[C_NAME] = td_vlist_fit(ui, &G->vl, C_NAME, col_text, NULL);
		int nc = td_vlist_layout_fit(width, 2, 1, col_defs, NDEFS, NULL,
					     NULL, fitw, v);
		memset(G->c, 0, sizeof G->c);
		for (int i = 0; i < nc; i++)
			G->c[v[i].id] = v[i];
		G->laid_w = width;
	}
	const struct td_vcol *c = G->c;
	snprintf(title, sizeof title,
		 _("Agenda (%s): %ld overdue, %ld today, %ld this week"),
		 G->mine ? _("mine") : _("everybody"), G->a.count[TD_AG_OVERDUE],
		 G->a.count[TD_AG_TODAY], G->a.count[TD_AG_WEEK]);
	td_ui_draw_header(ui);
	td_ui_draw_title(ui, title);

	attr_t h = td_ui_attr(ui, TD_R_LABEL) | A_BOLD;
	td_ui_put(ui, HEAD_ROW, 0, width, "", h, true);
	td_ui_put(ui, HEAD_ROW, c[C_DUE].x, c[C_DUE].w, _("Due"), h, false);
	if (c[C_WHEN].w)
		td_ui_put(ui, HEAD_ROW, c[C_WHEN].x, c[C_WHEN].w, _("When"),
			  h, false);
	if (c[C_REF].w)
		td_ui_put(ui, HEAD_ROW, c[C_REF].x, c[C_REF].w,
			  _("Reference"), h, false);
	td_ui_put(ui, HEAD_ROW, c[C_NAME].x, c[C_NAME].w, _("Name"), h, false);
	td_ui_put(ui, HEAD_ROW, c[C_WHAT].x, c[C_WHAT].w, _("To do"), h, false);
	td_vlist_draw(ui, &G->vl, FIRST_ROW, n, draw_row, G->c);
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
}

static bool agenda_act(struct td_ui *ui, void *st, enum td_action a,
		       const struct td_key *k)
{
	struct agenda *G = st;

	switch (a) {
	case TD_A_AG_MINE:
		G->mine = !G->mine;
		G->laid_w = 0;  /* another list: laid out afresh */
		G->vl.sc.cur = G->vl.sc.top = 0;
		td_vlist_set_array(&G->vl, NULL, 0, sizeof *G->a.items,
				   item_key, NULL);
		reload(ui, G);
		return true;
	case TD_A_REDRAW:
		reload(ui, G);
		return true;
	case TD_A_BACK:
		td_ui_pop(ui);
		return true;
	case TD_A_OPEN:
		if (td_vlist_cur(&G->vl)) {
			const struct td_agenda_item *it = td_vlist_cur(&G->vl);
			snprintf(G->ref, sizeof G->ref, "%s", it->reference);
			td_ui_push(ui, &td_scr_detail, G->ref);
		}
		return true;
	default:
		return td_vlist_act(&G->vl, a, rows(ui));
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
