/* Today's intakes at this site: the virtual-list widget (vlist.h) on the
 * "today" preset of the one listing engine.  Only the visible rows are
 * drawn, fetched a page at a time by keyset (never one menu item per
 * row: a busy Totem registers hundreds of visitors on an open day). */
#include "tui.h"
#include "vlist.h"

#include "totemdesk/domain.h"
#include "totemdesk/i18n.h"
#include "totemdesk/queue.h"
#include "totemdesk/referral.h"

#include <libintl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define HEAD_ROW 2
#define FIRST_ROW 3

struct list {
	char site[4];
	struct td_query q;
	struct td_vlist vl;
	char err[512];
	char ref[TD_REF_SIZE];
	/* Referrals due for follow-up (any day's dossiers): flagged on their
	 * rows and named on the line above the status. */
	char due[512];
	char due_refs[32][TD_REF_SIZE];
	int ndue;
	/* The columns (by id), laid out for laid_w columns over the
	 * laid_rows rows read then (see layout). */
	struct td_vcol cols[5];
	int laid_w, laid_rows;
};

static const struct td_keyctx list_keys = {
	.ctx = { TD_KC_LIST, TD_KC_GLOBAL },
	.hints = { TD_A_PGUP, TD_A_PGDN, TD_A_OPEN, TD_A_BACK, TD_A_HELP },
};

static void load_due(struct td_ui *ui, struct list *L)
{
	struct td_referral *v = NULL;
	td_err err = { 0 };
	int n = 0;
	size_t o = 0;

	L->due[0] = '\0';
	L->ndue = 0;
	if (td_app_referral_due(ui->app, &v, &n, &err) != TD_OK || n == 0) {
		free(v);
		return;
	}
	o = (size_t)snprintf(L->due, sizeof L->due,
			     ngettext("%d referral due for follow-up:",
				      "%d referrals due for follow-up:",
				      (unsigned long)n), n);
	for (int i = 0; i < n; i++) {
		if (L->ndue < 32)
			snprintf(L->due_refs[L->ndue++], TD_REF_SIZE, "%s",
				 v[i].reference);
		if (o < sizeof L->due)
			o += (size_t)snprintf(L->due + o, sizeof L->due - o,
					      " %s (%s)", v[i].reference,
					      v[i].partner_id);
	}
	free(v);
}

static bool is_due(const struct list *L, const char *reference)
{
	for (int i = 0; i < L->ndue; i++)
		if (strcmp(L->due_refs[i], reference) == 0)
			return true;
	return false;
}

/* Header, title, column names above; message and status below. */
static int rows(const struct td_ui *ui)
{
	return td_ui_rows(ui, FIRST_ROW, true);
}

static void set_err(struct list *L, const td_err *err)
{
	snprintf(L->err, sizeof L->err, "%s",
		 err->msg[0] ? err->msg : _("The list cannot be read."));
}

static void reload(struct td_ui *ui, struct list *L)
{
	L->err[0] = '\0';
	/* The day may have turned since the list was opened. */
	td_app_query_today(ui->app, &L->q);
	td_vlist_reload(&L->vl, rows(ui), true, 0);
	if (L->vl.err.code)
		set_err(L, &L->vl.err);
	load_due(ui, L);
}

/* Back from a dossier: its status or referrals may have changed. */
static void list_resume(struct td_ui *ui, void *st)
{
	reload(ui, st);
}

static int list_enter(struct td_ui *ui, void *st, const void *arg)
{
	struct list *L = st;

	td_vlist_engine(&L->vl, ui->app, &L->q);
	snprintf(L->site, sizeof L->site, "%s",
		 td_app_site(ui->app) ? td_app_site(ui->app)->code : "");
	reload(ui, L);
	return TD_OK;
}

static void list_leave(struct td_ui *ui, void *st)
{
	td_vlist_free(&((struct list *)st)->vl);
}

/* Columns, decided once per opening of the list (and at a resize) from
 * the rows read then: scrolling never moves one, which would repaint
 * every row.  The reference shows without the "MET-2026-" every row of
 * today's list shares (the title says it once), the name as wide as the
 * widest name read, and the project takes the rest of the row: at 80
 * columns a row scrolled in costs at most 90 bytes on a vt100 for the
 * names and titles of a usual day, and no column is cut while another
 * stays empty (issue 10, issue 11 point 19; docs/benchmarks.md).  The
 * status shows from STATUS_FROM columns (today's intakes are nearly all
 * "new"; the detail shows it). */
#define STATUS_FROM 90

enum { C_TIME, C_REF, C_NAME, C_TITLE, C_STATUS, C_COUNT };

static const struct td_vcol_def col_defs[] = {
	{ .id = C_TIME, .w = 5 },
	{ .id = C_REF, .fit = true, .min = 2, .max = TD_REF_SIZE },
	{ .id = C_NAME, .fit = true, .min = 3, .max = 30 },
	{ .id = C_TITLE, .min = 8 },
	{ .id = C_STATUS, .w = 12, .from = STATUS_FROM },
};

/* "MET-2026-": what every reference of today's list at this site
 * starts with. */
static void ref_prefix(const struct list *L, char *out, size_t outsz)
{
	snprintf(out, outsz, "%s-%.4s-", L->q.site, L->q.since);
}

/* The reference as the list shows it: without the prefix of the day. */
static const char *short_ref(const struct list *L, const char *ref)
{
	char p[32];
	ref_prefix(L, p, sizeof p);
	size_t n = strlen(p);
	return strncmp(ref, p, n) == 0 && ref[n] ? ref + n : ref;
}

static void col_text(const void *row, int id, const void *ctx, char *out,
		     size_t outsz)
{
	const struct td_dossier_row *r = &((const struct td_queue_row *)row)->d;
	if (id == C_REF)
		snprintf(out, outsz, "%s", short_ref(ctx, r->reference));
	else
		snprintf(out, outsz, "%s %s", r->last_name, r->first_name);
}

/* The columns for this width, fitted to the rows read (by id; a column
 * left out: width 0). */
static void layout(struct td_ui *ui, struct list *L, int width)
{
	struct td_vcol v[C_COUNT + 2];
	int fitw[C_COUNT] = { 0 };
	fitw[C_REF] = td_vlist_fit(ui, &L->vl, C_REF, col_text, L);
	fitw[C_NAME] = td_vlist_fit(ui, &L->vl, C_NAME, col_text, L);
	/* One blank after the project: a vt100 cursor left in the last
	 * column needs an absolute move to come back. */
	int n = td_vlist_layout_fit(width, 2, 1, col_defs,
				    (int)(sizeof col_defs / sizeof col_defs[0]),
				    NULL, NULL, fitw, v);
	memset(L->cols, 0, sizeof L->cols);
	for (int i = 0; i < n; i++)
		L->cols[v[i].id] = v[i];
	L->laid_w = width;
	L->laid_rows = L->vl.n;
}

static void draw_row(struct td_ui *ui, void *ctx, int y, long i,
		     const void *row, bool sel)
{
	struct list *L = ctx;
	const struct td_vcol *c = L->cols;
	int width = getmaxx(ui->win);
	const struct td_dossier_row *r =
		row ? &((const struct td_queue_row *)row)->d : NULL;
	attr_t a = td_ui_attr(ui, sel ? TD_R_CURRENT : TD_R_NORMAL);
	char buf[512];

	/* The selection is the marker, and with colour the time, not the
	 * whole row: moving it then rewrites 2 x 7 cells instead of 2 x 80
	 * (a tenth of a second a step on a 9600-baud line). */
	int sw = c[C_TIME].x + c[C_TIME].w;
	td_ui_put(ui, y, 0, sw, "", a, true);
	td_ui_put(ui, y, sw, width - sw, "", A_NORMAL, true);
	if (!r)
		return;
	td_ui_put(ui, y, 0, 2, sel ? ">" : "", a, true);
	td_ui_local_time(ui, r->created_at, false, buf, sizeof buf);
	td_ui_put(ui, y, c[C_TIME].x, c[C_TIME].w, buf, a, false);
	a = td_ui_attr(ui, TD_R_NORMAL);
	td_ui_put(ui, y, c[C_REF].x, c[C_REF].w, short_ref(L, r->reference),
		  a, false);
	snprintf(buf, sizeof buf, "%s %s", r->last_name, r->first_name);
	td_ui_put(ui, y, c[C_NAME].x, c[C_NAME].w, buf, a, false);
	td_ui_put(ui, y, c[C_TITLE].x, c[C_TITLE].w, r->title, a, false);
	if (c[C_STATUS].w)
		td_ui_put(ui, y, c[C_STATUS].x, c[C_STATUS].w,
			  td_enum_label(&td_statuses, r->status), a, false);
	if (is_due(L, r->reference))
		td_ui_put(ui, y, c[C_REF].x - 1, 1, "!",
			  td_ui_attr(ui, TD_R_OVERDUE), false);
}

static void list_draw(struct td_ui *ui, void *st, bool full)
{
	struct list *L = st;
	int width = getmaxx(ui->win);
	int n = rows(ui);
	char title[256], prefix[32];
	const char *site = td_app_site(ui->app) ? td_app_site(ui->app)->name
						: L->site;

	/* Another desk or a script registered someone: show it. */
	if (td_app_changed(ui->app))
		reload(ui, L);
	/* Once the rows are read (an empty list is laid out again when
	 * its first rows come). */
	td_vlist_ensure(&L->vl, L->vl.sc.top, n);
	if (L->laid_w != width || (L->laid_rows == 0 && L->vl.n > 0))
		layout(ui, L, width);
	const struct td_vcol *c = L->cols;
	ref_prefix(L, prefix, sizeof prefix);
	snprintf(title, sizeof title,
		 /* TRANSLATORS: the last %s is what every reference of
		  * the list starts with ("MET-2026-"), shown once here
		  * and left out of the rows. */
		 ngettext("Today's intakes at %s: %ld dossier (%s...)",
			  "Today's intakes at %s: %ld dossiers (%s...)",
			  (unsigned long)L->vl.count),
		 site, L->vl.count, prefix);
	td_ui_draw_header(ui);
	td_ui_draw_title(ui, title);

	attr_t h = td_ui_attr(ui, TD_R_LABEL) | A_BOLD;
	td_ui_put(ui, HEAD_ROW, 0, width, "", h, true);
	static const char *const heads[C_COUNT] = {
		/* TRANSLATORS: column of today's list: the number of the
		 * reference, without its site and year (2 or 3 columns). */
		N_("Time"), N_("No."), N_("Name"), N_("Project"),
		N_("Status"),
	};
	for (int i = 0; i < C_COUNT; i++)
		if (c[i].w)
			td_ui_put(ui, HEAD_ROW, c[i].x, c[i].w, _(heads[i]),
				  h, false);

	if (L->vl.count == 0) {
		for (int r = 0; r < n; r++)
			td_ui_put(ui, FIRST_ROW + r, 0, width, "", A_NORMAL,
				  true);
		if (!L->err[0])
			td_ui_put(ui, FIRST_ROW + 1, 2, width - 4,
				  _("No intake registered today at this site yet."),
				  td_ui_attr(ui, TD_R_HELP), false);
		ui->cur_y = FIRST_ROW;
		ui->cur_x = 0;
	} else {
		td_vlist_draw(ui, &L->vl, FIRST_ROW, n, draw_row, L);
	}
	if (L->err[0] || !L->due[0])
		td_ui_draw_message(ui, L->err, TD_R_ERROR);
	else
		td_ui_draw_message(ui, L->due, TD_R_OVERDUE);
}

static bool list_act(struct td_ui *ui, void *st, enum td_action a,
		     const struct td_key *k)
{
	struct list *L = st;
	const struct td_queue_row *r;

	switch (a) {
	case TD_A_REDRAW:
		reload(ui, L);
		return true;
	case TD_A_BACK:
		td_ui_pop(ui);
		return true;
	case TD_A_OPEN:
	case TD_A_REFERRALS:
		if (!(r = td_vlist_cur(&L->vl)))
			return true;
		snprintf(L->ref, sizeof L->ref, "%s", r->d.reference);
		td_ui_push(ui, a == TD_A_OPEN ? &td_scr_detail
					      : &td_scr_referral, L->ref);
		return true;
	default:
		return td_vlist_act(&L->vl, a, rows(ui));
	}
}

/* Drawn: the cursor's row number after a refresh or a re-sort. */
static bool list_idle(struct td_ui *ui, void *st)
{
	return td_vlist_settle(&((struct list *)st)->vl);
}

const struct td_screen td_scr_list = {
	.name = "list",
	.size = sizeof(struct list),
	.keys = &list_keys,
	.enter = list_enter,
	.leave = list_leave,
	.draw = list_draw,
	.act = list_act,
	.resume = list_resume,
	.idle = list_idle,
};
