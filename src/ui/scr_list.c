/* Today's intakes at this site: a virtual list.  Only the visible rows are
 * drawn, and rows are fetched a page at a time into a small cache by
 * keyset (td_app_queue_seek on the "today" preset of the one listing
 * engine; never one menu item per row: a busy Totem registers hundreds
 * of visitors on an open day). */
#include "tui.h"

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
#define PAGE_MIN 128

struct list {
	char site[4];
	struct td_query q;
	long count;
	struct td_scroll sc;
	struct td_queue_row *cache;
	int cap;          /* rows the cache holds */
	long off;         /* list index of cache[0] */
	int n;            /* rows in the cache */
	char err[512];
	char ref[TD_REF_SIZE];
	/* Referrals due for follow-up (any day's dossiers): flagged on their
	 * rows and named on the line above the status. */
	char due[512];
	char due_refs[32][TD_REF_SIZE];
	int ndue;
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

/* Make rows [first, first + n) available in the cache if they exist. */
static void ensure(struct td_ui *ui, struct list *L, long first, int n)
{
	if (first < 0)
		first = 0;
	if (first >= L->count)
		return;
	long last = first + n;
	if (last > L->count)
		last = L->count;
	if (first >= L->off && last <= L->off + L->n)
		return;
	int want = 2 * n > PAGE_MIN ? 2 * n : PAGE_MIN;
	if (want > L->cap) {
		struct td_queue_row *c = realloc(L->cache,
						 (size_t)want * sizeof *c);
		if (!c) {
			snprintf(L->err, sizeof L->err, "%s", _("Out of memory."));
			return;
		}
		L->cache = c;
		L->cap = want;
	}
	/* By keyset from a cached row next to the wanted ones, starting a
	 * little above so that scrolling back up does not refetch at once;
	 * the end of the list backwards from its end; else from the top. */
	char anchor[TD_REF_SIZE] = "";
	enum td_seek how = TD_SEEK_AFTER;
	long start = first - L->cap / 4;
	if (start < 0)
		start = 0;
	if (L->n > 0 && start > L->off && start <= L->off + L->n) {
		memcpy(anchor, L->cache[start - 1 - L->off].d.reference,
		       sizeof anchor);
	} else if (last == L->count && L->count > L->cap) {
		how = TD_SEEK_BEFORE;
		start = L->count - L->cap;
	} else if (L->n > 0 && last >= L->off && last < L->off + L->n &&
		   last - L->cap >= 0) {
		memcpy(anchor, L->cache[last - L->off].d.reference, sizeof anchor);
		how = TD_SEEK_BEFORE;
		start = last - L->cap;
	} else {
		start = 0;
	}
	td_err err = { 0 };
	int got = 0;
	int rc = td_app_queue_seek(ui->app, &L->q, anchor[0] ? anchor : NULL, how,
				   L->cap, L->cache, &got, &err);
	/* Further than one cache from any cached row: page on from there. */
	while (rc == TD_OK && how == TD_SEEK_AFTER && got == L->cap &&
	       start + got <= first) {
		start += got;
		memcpy(anchor, L->cache[got - 1].d.reference, sizeof anchor);
		rc = td_app_queue_seek(ui->app, &L->q, anchor, TD_SEEK_AFTER,
				       L->cap, L->cache, &got, &err);
	}
	if (rc != TD_OK) {
		set_err(L, &err);
		L->n = 0;
		return;
	}
	L->off = how == TD_SEEK_BEFORE ? start + L->cap - got : start;
	L->n = got;
}

static const struct td_dossier_row *row_at(const struct list *L, long i)
{
	if (i < L->off || i >= L->off + L->n)
		return NULL;
	return &L->cache[i - L->off].d;
}

static void reload(struct td_ui *ui, struct list *L)
{
	td_err err = { 0 };
	long n = 0;

	L->err[0] = '\0';
	L->n = 0;
	L->off = 0;
	/* The day may have turned since the list was opened. */
	td_app_query_today(ui->app, &L->q);
	if (td_app_queue_count(ui->app, &L->q, 0, &n, &err) != TD_OK) {
		set_err(L, &err);
		n = 0;
	}
	L->count = n;
	L->sc.n = n;
	load_due(ui, L);
	if (L->sc.cur >= n)
		L->sc.cur = n > 0 ? n - 1 : 0;
	td_scroll_key(&L->sc, TD_A_NONE, rows(ui), true);
}

/* Back from a dossier: its status or referrals may have changed. */
static void list_resume(struct td_ui *ui, void *st)
{
	reload(ui, st);
}

static int list_enter(struct td_ui *ui, void *st, const void *arg)
{
	struct list *L = st;

	memset(&L->sc, 0, sizeof L->sc);
	snprintf(L->site, sizeof L->site, "%s",
		 td_app_site(ui->app) ? td_app_site(ui->app)->code : "");
	reload(ui, L);
	return TD_OK;
}

static void list_leave(struct td_ui *ui, void *st)
{
	struct list *L = st;

	free(L->cache);
	L->cache = NULL;
	L->cap = 0;
	L->n = 0;
}

/* Column layout for the current width. */
struct cols {
	int time, ref, name, title, status;
	int wtime, wref, wname, wtitle, wstatus;
};

/* Below STATUS_FROM columns the status is left out (today's intakes are
 * nearly all "new"; the detail shows it), the name and the project are
 * cut at NARROW_NAME and NARROW_TITLE: a row then holds at most 66
 * characters, so scrolling one
 * row in costs at most 100 bytes on a vt100 (issue 6; docs/benchmarks.md). */
#define STATUS_FROM 90
#define NARROW_NAME 20
#define NARROW_TITLE 22

static struct cols layout(int width)
{
	struct cols c;
	c.wtime = 5;
	c.wref = 14;
	c.wstatus = width >= STATUS_FROM ? 12 : 0;
	c.wname = c.wstatus ? 22 : NARROW_NAME;
	c.time = 2;
	c.ref = c.time + c.wtime + 1;
	c.name = c.ref + c.wref + 1;
	c.title = c.name + c.wname + 1;
	c.wtitle = width - c.title - (c.wstatus ? c.wstatus + 1 : 0);
	if (!c.wstatus && c.wtitle > NARROW_TITLE)
		c.wtitle = NARROW_TITLE;
	if (c.wtitle < 8)
		c.wtitle = 8;
	c.status = c.title + c.wtitle + 1;
	return c;
}

static void draw_row(struct td_ui *ui, struct list *L, int y, long i,
		     const struct cols *c)
{
	int width = getmaxx(ui->win);
	const struct td_dossier_row *r = row_at(L, i);
	bool sel = i == L->sc.cur;
	attr_t a = td_ui_attr(ui, sel ? TD_R_CURRENT : TD_R_NORMAL);
	char buf[512];

	/* The selection is the marker, and with colour the time, not the
	 * whole row: moving it then rewrites 2 x 7 cells instead of 2 x 80
	 * (a tenth of a second a step on a 9600-baud line). */
	int sw = c->time + c->wtime;
	td_ui_put(ui, y, 0, sw, "", a, true);
	td_ui_put(ui, y, sw, width - sw, "", A_NORMAL, true);
	if (!r)
		return;
	td_ui_put(ui, y, 0, 2, sel ? ">" : "", a, true);
	td_ui_local_time(ui, r->created_at, false, buf, sizeof buf);
	td_ui_put(ui, y, c->time, c->wtime, buf, a, false);
	a = td_ui_attr(ui, TD_R_NORMAL);
	td_ui_put(ui, y, c->ref, c->wref, r->reference, a, false);
	snprintf(buf, sizeof buf, "%s %s", r->last_name, r->first_name);
	td_ui_put(ui, y, c->name, c->wname, buf, a, false);
	td_ui_put(ui, y, c->title, c->wtitle, r->title, a, false);
	if (c->wstatus)
		td_ui_put(ui, y, c->status, c->wstatus,
			  td_enum_label(&td_statuses, r->status), a, false);
	if (is_due(L, r->reference))
		td_ui_put(ui, y, c->ref - 1, 1, "!",
			  td_ui_attr(ui, TD_R_OVERDUE), false);
}

static void list_draw(struct td_ui *ui, void *st, bool full)
{
	struct list *L = st;
	int width = getmaxx(ui->win);
	int n = rows(ui);
	struct cols c = layout(width);
	char title[256];
	const char *site = td_app_site(ui->app) ? td_app_site(ui->app)->name
						: L->site;

	/* Another desk or a script registered someone: show it. */
	if (td_app_changed(ui->app))
		reload(ui, L);
	td_scroll_key(&L->sc, TD_A_NONE, n, true);
	snprintf(title, sizeof title,
		 ngettext("Today's intakes at %s: %ld dossier",
			  "Today's intakes at %s: %ld dossiers",
			  (unsigned long)L->count),
		 site, L->count);
	td_ui_draw_header(ui);
	td_ui_draw_title(ui, title);

	attr_t h = td_ui_attr(ui, TD_R_LABEL) | A_BOLD;
	td_ui_put(ui, HEAD_ROW, 0, width, "", h, true);
	td_ui_put(ui, HEAD_ROW, c.time, c.wtime, _("Time"), h, false);
	td_ui_put(ui, HEAD_ROW, c.ref, c.wref, _("Reference"), h, false);
	td_ui_put(ui, HEAD_ROW, c.name, c.wname, _("Name"), h, false);
	td_ui_put(ui, HEAD_ROW, c.title, c.wtitle, _("Project"), h, false);
	if (c.wstatus)
		td_ui_put(ui, HEAD_ROW, c.status, c.wstatus, _("Status"), h,
			  false);

	if (L->count == 0) {
		for (int r = 0; r < n; r++)
			td_ui_put(ui, FIRST_ROW + r, 0, width, "", A_NORMAL,
				  true);
		if (!L->err[0])
			td_ui_put(ui, FIRST_ROW + 1, 2, width - 4,
				  _("No intake registered today at this site yet."),
				  td_ui_attr(ui, TD_R_HELP), false);
	} else {
		ensure(ui, L, L->sc.top, n);
		for (int r = 0; r < n; r++)
			draw_row(ui, L, FIRST_ROW + r, L->sc.top + r, &c);
	}
	if (L->err[0] || !L->due[0])
		td_ui_draw_message(ui, L->err, TD_R_ERROR);
	else
		td_ui_draw_message(ui, L->due, TD_R_OVERDUE);
	ui->cur_y = FIRST_ROW + (int)(L->sc.cur - L->sc.top);
	ui->cur_x = 0;
}

static bool list_act(struct td_ui *ui, void *st, enum td_action a,
		     const struct td_key *k)
{
	struct list *L = st;
	const struct td_dossier_row *r;

	switch (a) {
	case TD_A_REDRAW:
		reload(ui, L);
		return true;
	case TD_A_BACK:
		td_ui_pop(ui);
		return true;
	case TD_A_OPEN:
	case TD_A_REFERRALS:
		if (!(r = row_at(L, L->sc.cur)))
			return true;
		snprintf(L->ref, sizeof L->ref, "%s", r->reference);
		td_ui_push(ui, a == TD_A_OPEN ? &td_scr_detail
					      : &td_scr_referral, L->ref);
		return true;
	default:
		return td_scroll_key(&L->sc, a, rows(ui), true);
	}
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
};
