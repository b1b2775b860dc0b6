/* Exchange conflicts (issue 15): every field the exchange's rules
 * settled between two sites, with both values, newest first; w settles
 * the selected one the other way (a change of this database, sent like
 * any other).  Opened from the queue (y); for mission officers and
 * administrators (td_app_may_sync). */
#include "tui.h"
#include "vlist.h"

#include "totemdesk/i18n.h"
#include "totemdesk/sync.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define HEAD_ROW 2
#define FIRST_ROW 3
#define MAX_CONFLICTS 2000

struct syncscr {
	struct td_sync_conflict_view *c;
	long n, open;
	struct td_vlist vl;
	char err[512];
	char msg[512];
};

static const struct td_keyctx sync_keys = {
	.ctx = { TD_KC_SYNC, TD_KC_LIST, TD_KC_GLOBAL },
	.hints = { TD_A_SY_OTHER_WAY, TD_A_PGUP, TD_A_PGDN, TD_A_BACK,
		   TD_A_HELP },
};

static int rows(const struct td_ui *ui)
{
	return td_ui_rows(ui, FIRST_ROW, true) - 2;
}

static void item_key(const void *row, char out[TD_VLIST_KEY])
{
	const struct td_sync_conflict_view *c = row;
	snprintf(out, TD_VLIST_KEY, "%lld", c->id);
}

static int collect(const struct td_sync_conflict_view *c, void *ctx)
{
	struct syncscr *S = ctx;
	if (S->n >= MAX_CONFLICTS)
		return TD_OK;
	S->c[S->n++] = *c;
	if (!c->settled)
		S->open++;
	return TD_OK;
}

static void reload(struct td_ui *ui, struct syncscr *S)
{
	td_err err = { 0 };
	char keep[TD_VLIST_KEY];
	td_vlist_cur_key(&S->vl, keep);
	S->n = S->open = 0;
	S->err[0] = '\0';
	if (!S->c)
		S->c = calloc(MAX_CONFLICTS, sizeof *S->c);
	if (!S->c) {
		snprintf(S->err, sizeof S->err, "%s", _("out of memory"));
	} else if (td_app_sync_conflicts(ui->app, collect, S, &err) != TD_OK) {
		snprintf(S->err, sizeof S->err, "%s", err.msg);
	} else {
		/* Newest first: the store gives them oldest first. */
		for (long i = 0; i < S->n / 2; i++) {
			struct td_sync_conflict_view t = S->c[i];
			S->c[i] = S->c[S->n - 1 - i];
			S->c[S->n - 1 - i] = t;
		}
	}
	td_vlist_set_array(&S->vl, S->c, S->n, sizeof *S->c, item_key, keep);
	td_scroll_key(&S->vl.sc, TD_A_NONE, rows(ui), true);
}

static int sync_enter(struct td_ui *ui, void *st, const void *arg)
{
	td_err err = { 0 };
	/* Refused before anything shows, as the command is. */
	if (td_app_may_sync(ui->app, &err) != TD_OK) {
		td_ui_flash(ui, true, err.msg);
		return TD_EPERM;
	}
	reload(ui, st);
	return TD_OK;
}

static void sync_resume(struct td_ui *ui, void *st)
{
	reload(ui, st);
}

static void sync_leave(struct td_ui *ui, void *st)
{
	struct syncscr *S = st;
	td_vlist_free(&S->vl);
	free(S->c);
}

static const char *rule_label(const char *rule)
{
	if (!strcmp(rule, "owner"))
		return _("owning site");
	if (!strcmp(rule, "last_writer"))
		return _("last change");
	if (!strcmp(rule, "erasure"))
		return _("erasure");
	if (!strcmp(rule, "withdrawal"))
		return _("withdrawal");
	if (!strcmp(rule, "deletion"))
		return _("deletion");
	return _("not applied");
}

enum { C_WHEN, C_WHAT, C_KEPT, C_LOST, C_RULE, C_COUNT };

static const struct td_vcol_def col_defs[] = {
	{ .id = C_WHEN, .w = 11 },
	{ .id = C_WHAT, .w = 15 },
	{ .id = C_KEPT, .w = 18 },
	{ .id = C_LOST, .w = 18 },
	{ .id = C_RULE, .min = 10 },
};

/* "dossier MET-01J... status" -> "dossier status": the field, short. */
static void field_of(const struct td_sync_conflict_view *c, char *out,
		     size_t n)
{
	const char *sp = strchr(c->what, ' ');
	const char *col = strrchr(c->what, ' ');
	if (sp && col && col > sp)
		snprintf(out, n, "%.*s.%s", (int)(sp - c->what), c->what, col + 1);
	else
		snprintf(out, n, "%s", c->what);
}

static void draw_row(struct td_ui *ui, void *ctx, int y, long i,
		     const void *row, bool sel)
{
	const struct td_vcol *c = ctx;
	int width = getmaxx(ui->win);
	attr_t a = td_ui_attr(ui, sel ? TD_R_CURRENT : TD_R_NORMAL);
	char buf[600];

	td_ui_put(ui, y, 0, width, "", A_NORMAL, true);
	if (!row)
		return;
	const struct td_sync_conflict_view *v = row;
	td_ui_put(ui, y, 0, 2, sel ? ">" : v->settled ? "" : "!", a, true);
	td_ui_local_time(ui, v->at, true, buf, sizeof buf);
	td_ui_put(ui, y, c[C_WHEN].x, c[C_WHEN].w, buf, a, true);
	field_of(v, buf, sizeof buf);
	td_ui_put(ui, y, c[C_WHAT].x, c[C_WHAT].w, buf, A_NORMAL, false);
	snprintf(buf, sizeof buf, "%s: %s", v->kept_site, v->kept);
	td_ui_put(ui, y, c[C_KEPT].x, c[C_KEPT].w, buf, A_NORMAL, false);
	snprintf(buf, sizeof buf, "%s: %s", v->lost_site, v->lost);
	td_ui_put(ui, y, c[C_LOST].x, c[C_LOST].w, buf, A_NORMAL, false);
	td_ui_put(ui, y, c[C_RULE].x, c[C_RULE].w,
		  v->settled ? _("settled") : rule_label(v->rule), A_NORMAL,
		  false);
}

static void sync_draw(struct td_ui *ui, void *st, bool full)
{
	struct syncscr *S = st;
	int width = getmaxx(ui->win);
	int n = rows(ui);
	struct td_vcol c[C_COUNT];
	char title[256], buf[1200];

	if (td_app_changed(ui->app))
		reload(ui, S);
	td_vlist_layout(width, 2, 0, col_defs, C_COUNT, NULL, NULL, c);
	snprintf(title, sizeof title,
		 _("Exchange conflicts: %ld to review, %ld in all"), S->open,
		 S->n);
	td_ui_draw_header(ui);
	td_ui_draw_title(ui, title);
	attr_t h = td_ui_attr(ui, TD_R_LABEL) | A_BOLD;
	td_ui_put(ui, HEAD_ROW, 0, width, "", h, true);
	td_ui_put(ui, HEAD_ROW, c[C_WHEN].x, c[C_WHEN].w, _("When"), h, false);
	td_ui_put(ui, HEAD_ROW, c[C_WHAT].x, c[C_WHAT].w, _("Field"), h, false);
	td_ui_put(ui, HEAD_ROW, c[C_KEPT].x, c[C_KEPT].w, _("Kept"), h, false);
	td_ui_put(ui, HEAD_ROW, c[C_LOST].x, c[C_LOST].w, _("Set aside"), h,
		  false);
	td_ui_put(ui, HEAD_ROW, c[C_RULE].x, c[C_RULE].w, _("Rule"), h, false);
	td_vlist_draw(ui, &S->vl, FIRST_ROW, n, draw_row, c);

	/* The selected conflict whole: its record and both values. */
	int y = FIRST_ROW + n;
	const struct td_sync_conflict_view *v = td_vlist_cur(&S->vl);
	td_ui_put(ui, y, 0, width, "", A_NORMAL, true);
	td_ui_put(ui, y + 1, 0, width, "", A_NORMAL, true);
	if (v) {
		snprintf(buf, sizeof buf, "%s", v->what);
		td_ui_put(ui, y, 2, width - 4, buf, td_ui_attr(ui, TD_R_LABEL),
			  false);
		snprintf(buf, sizeof buf, _("kept %s (%s), set aside %s (%s)"),
			 v->kept, v->kept_site, v->lost, v->lost_site);
		td_ui_put(ui, y + 1, 2, width - 4, buf, A_NORMAL, false);
	} else if (!S->err[0]) {
		td_ui_put(ui, FIRST_ROW + 1, 2, width - 4,
			  _("No conflict: the sites' changes never crossed."),
			  td_ui_attr(ui, TD_R_HELP), false);
	}
	if (S->err[0])
		td_ui_draw_message(ui, S->err, TD_R_ERROR);
	else
		td_ui_draw_message(ui, S->msg, TD_R_HELP);
}

static bool sync_act(struct td_ui *ui, void *st, enum td_action a,
		     const struct td_key *k)
{
	struct syncscr *S = st;
	const struct td_sync_conflict_view *v;
	td_err err = { 0 };

	switch (a) {
	case TD_A_SY_OTHER_WAY:
		v = td_vlist_cur(&S->vl);
		S->msg[0] = S->err[0] = '\0';
		if (!v)
			return true;
		if (v->settled) {
			snprintf(S->msg, sizeof S->msg, "%s",
				 _("Settled already."));
			return true;
		}
		char q[1200];
		snprintf(q, sizeof q,
			 _("Settle %s the other way: \"%s\" (%s) instead of \"%s\" (%s)?"),
			 v->what, v->lost, v->lost_site, v->kept, v->kept_site);
		if (!td_ui_confirm(ui, q))
			return true;
		if (td_app_sync_settle(ui->app, v->id, &err) != TD_OK) {
			snprintf(S->err, sizeof S->err, "%s", err.msg);
			return true;
		}
		snprintf(S->msg, sizeof S->msg,
			 _("Settled the other way: %s is now \"%s\"; the other sites get it at the next exchange."),
			 v->what, v->lost);
		reload(ui, S);
		return true;
	case TD_A_REDRAW:
		reload(ui, S);
		return true;
	case TD_A_BACK:
		td_ui_pop(ui);
		return true;
	default:
		return td_vlist_act(&S->vl, a, rows(ui));
	}
}

const struct td_screen td_scr_sync = {
	.name = "sync",
	.size = sizeof(struct syncscr),
	.keys = &sync_keys,
	.enter = sync_enter,
	.leave = sync_leave,
	.draw = sync_draw,
	.act = sync_act,
	.resume = sync_resume,
};
