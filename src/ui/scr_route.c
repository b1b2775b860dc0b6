/* Route screen: the best partners for one dossier, each with the reason
 * it was suggested ("funding ✓ seed ✓ Metz ✓ — 2 open referrals"); pick
 * one or several and refer.  Entered with the dossier's reference, from
 * the intake form after saving or from the dossier detail. */
#include "tui.h"

#include "totemdesk/i18n.h"
#include "totemdesk/referral.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define MAX_SUGGEST 20
#define FIRST_ROW 3

struct route {
	char ref[TD_REF_SIZE];
	char who[256];
	struct td_suggestion *sug;
	int n;
	bool picked[MAX_SUGGEST];
	bool already[MAX_SUGGEST];
	struct td_scroll sc;
	char err[512];
};

static const struct td_keyctx route_keys = {
	.ctx = { TD_KC_ROUTE, TD_KC_LIST, TD_KC_GLOBAL },
	.hints = { TD_A_R_PICK, TD_A_R_REFER, TD_A_BACK, TD_A_HELP },
};

static void load(struct td_ui *ui, struct route *R)
{
	const struct td_routing *ro = td_app_routing(ui->app);
	struct td_referral *refs = NULL;
	int nrefs = 0;
	td_err err = { 0 };
	int max = ro->suggestions < MAX_SUGGEST ? ro->suggestions : MAX_SUGGEST;

	R->err[0] = '\0';
	R->n = 0;
	memset(R->picked, 0, sizeof R->picked);
	memset(R->already, 0, sizeof R->already);
	if (td_app_suggest(ui->app, R->ref, R->sug, max, &R->n, &err) != TD_OK) {
		snprintf(R->err, sizeof R->err, "%s", err.msg);
		R->n = 0;
	}
	if (td_app_referral_list(ui->app, R->ref, &refs, &nrefs, &err) == TD_OK) {
		for (int i = 0; i < R->n; i++)
			for (int k = 0; k < nrefs; k++)
				if (strcmp(refs[k].partner_id,
					   R->sug[i].partner.id) == 0)
					R->already[i] = true;
		free(refs);
	}
	R->sc.n = R->n;
}

static int route_enter(struct td_ui *ui, void *st, const void *arg)
{
	struct route *R = st;
	struct td_dossier d;
	td_err err = { 0 };
	const char *ref = arg;

	if (!ref || td_app_dossier_get(ui->app, ref, &d, &err) != TD_OK) {
		td_ui_flash(ui, true, err.msg[0] ? err.msg
				      : _("This dossier cannot be routed."));
		return err.code ? err.code : TD_ENOTFOUND;
	}
	R->sug = calloc(MAX_SUGGEST, sizeof *R->sug);
	if (!R->sug) {
		td_ui_flash(ui, true, _("Out of memory."));
		return TD_ENOMEM;
	}
	snprintf(R->ref, sizeof R->ref, "%s", d.reference);
	/* Clipped on screen anyway: cut the parts to fit the line. */
	snprintf(R->who, sizeof R->who, "%.60s %.60s — %.120s", d.v.first_name,
		 d.v.last_name, d.v.title);
	memset(&d, 0, sizeof d);
	load(ui, R);
	return TD_OK;
}

static void route_leave(struct td_ui *ui, void *st)
{
	free(((struct route *)st)->sug);
}

/* The reason row of suggestion i, as shown. */
static void reason_text(const struct route *R, int i, char *out, size_t outsz)
{
	const struct td_suggestion *s = &R->sug[i];
	if (R->already[i])
		snprintf(out, outsz, "%s — %s", s->reason, _("already referred"));
	else
		snprintf(out, outsz, "%s", s->reason);
}

#define REASON_X 6

/* Rows each suggestion takes: the partner, then its reason on one row,
 * or on two when one of them is wider than the screen (never cut: the
 * count of open referrals ends it). */
static int per_row(struct td_ui *ui, const struct route *R)
{
	char line[600];
	int width = getmaxx(ui->win) - REASON_X;
	for (int i = 0; i < R->n; i++) {
		reason_text(R, i, line, sizeof line);
		if (td_ui_text_cols(ui, line) > width)
			return 3;
	}
	return 2;
}

static int visible(struct td_ui *ui, const struct route *R)
{
	int r = td_ui_rows(ui, FIRST_ROW, true) / per_row(ui, R);
	return r > 1 ? r : 1;
}

struct reason_rows {
	struct td_ui *ui;
	int y, n, max;
	attr_t attr;
};

static void reason_row(const char *line, void *ctx)
{
	struct reason_rows *r = ctx;
	if (r->n >= r->max)
		return;
	int cols = getmaxx(r->ui->win);
	td_ui_put(r->ui, r->y + r->n, 0, REASON_X, "", A_NORMAL, true);
	td_ui_put(r->ui, r->y + r->n, REASON_X, cols - REASON_X, line, r->attr,
		  true);
	r->n++;
}

static void route_draw(struct td_ui *ui, void *st, bool full)
{
	struct route *R = st;
	int cols = getmaxx(ui->win);
	int per = per_row(ui, R);
	int rows = visible(ui, R);
	char title[256], line[600], kinds[256];

	snprintf(title, sizeof title, _("Route dossier %s"), R->ref);
	td_ui_draw_header(ui);
	td_ui_draw_title(ui, title);
	td_ui_put(ui, 2, 2, cols - 4, R->who, td_ui_attr(ui, TD_R_HELP), true);
	td_scroll_key(&R->sc, TD_A_NONE, rows, true);
	for (int r = 0; r < rows; r++) {
		long i = R->sc.top + r;
		int y = FIRST_ROW + per * r;
		if (i >= R->n) {
			for (int k = 0; k < per; k++)
				td_ui_put(ui, y + k, 0, cols, "", A_NORMAL, true);
			continue;
		}
		const struct td_suggestion *s = &R->sug[i];
		bool sel = i == R->sc.cur;
		attr_t a = td_ui_attr(ui, sel ? TD_R_SELECTED : TD_R_NORMAL);
		td_ui_code_labels(s->partner.kinds, &td_partner_kinds, kinds,
			       sizeof kinds);
		snprintf(line, sizeof line, "%s %ld. %s  (%s)",
			 R->already[i] ? "[=]" : R->picked[i] ? "[x]" : "[ ]",
			 i + 1, s->partner.name, kinds);
		td_ui_put(ui, y, 0, 1, sel ? ">" : "", a, true);
		td_ui_put(ui, y, 1, cols - 1, line, a, true);
		reason_text(R, (int)i, line, sizeof line);
		struct reason_rows rr = {
			ui, y + 1, 0, per - 1,
			td_ui_attr(ui, s->fit.full ? TD_R_OVERDUE : TD_R_HELP),
		};
		td_ui_wrap(ui, line, cols - REASON_X, reason_row, &rr);
		while (rr.n < rr.max)
			reason_row("", &rr);
	}
	int ey = getmaxy(ui->win) - 2;
	const char *msg = R->err[0] ? R->err
			  : R->n == 0 ? _("No partner serves the needs of this dossier.")
			  : "";
	td_ui_put(ui, ey, 0, cols, msg,
		  td_ui_attr(ui, R->err[0] ? TD_R_ERROR : TD_R_HELP), true);
	ui->cur_y = FIRST_ROW + per * (int)(R->sc.cur - R->sc.top);
	ui->cur_x = 0;
}

static void refer(struct td_ui *ui, struct route *R)
{
	int done = 0, want = 0;
	td_err err = { 0 };
	char msg[600];

	for (int i = 0; i < R->n; i++)
		if (R->picked[i])
			want++;
	/* Nothing picked: the selected line is the choice. */
	if (!want && R->sc.cur < R->n && !R->already[R->sc.cur]) {
		R->picked[R->sc.cur] = true;
		want = 1;
	}
	if (!want) {
		char key[64];
		td_keymap_display(TD_A_R_PICK, 1, true, key, sizeof key);
		snprintf(msg, sizeof msg,
			 /* TRANSLATORS: %s is the key that picks a partner
			  * ("Space" unless rebound). */
			 _("Pick a partner first (%s)."), key);
		td_ui_flash(ui, true, msg);
		return;
	}
	for (int i = 0; i < R->n; i++) {
		if (!R->picked[i])
			continue;
		int rc = td_app_refer(ui->app, R->ref, R->sug[i].partner.id,
				      R->sug[i].reason, NULL, &err);
		if (rc != TD_OK) {
			if (td_ui_offer_erasure(ui, R->ref, rc, &err))
				return;
			snprintf(msg, sizeof msg, "%s", err.msg);
			td_ui_flash(ui, true, msg);
			load(ui, R);
			return;
		}
		done++;
	}
	snprintf(msg, sizeof msg,
		 ngettext("%d referral created for %s.",
			  "%d referrals created for %s.", (unsigned long)done),
		 done, R->ref);
	td_ui_flash(ui, false, msg);
	/* Straight on to the follow-up of what was just created. */
	td_ui_pop(ui);
	td_ui_push(ui, &td_scr_referral, R->ref);
}

static bool route_act(struct td_ui *ui, void *st, enum td_action a,
		      const struct td_key *k)
{
	struct route *R = st;

	switch (a) {
	case TD_A_R_PICK:
		if (R->sc.cur < R->n && !R->already[R->sc.cur])
			R->picked[R->sc.cur] = !R->picked[R->sc.cur];
		return true;
	case TD_A_R_REFER:
	case TD_A_OPEN:
		refer(ui, R);
		return true;
	case TD_A_BACK:
		td_ui_pop(ui);
		return true;
	default:
		return td_scroll_key(&R->sc, a, visible(ui, R), true);
	}
}

const struct td_screen td_scr_route = {
	.name = "route",
	.size = sizeof(struct route),
	.keys = &route_keys,
	.enter = route_enter,
	.leave = route_leave,
	.draw = route_draw,
	.act = route_act,
};
