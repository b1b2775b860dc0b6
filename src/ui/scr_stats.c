/* Statistics: the same report as `totemdesk report`, drawn as a scrolling
 * page with bar charts.  Blocks (U+2588...) where the terminal can show
 * them, '#' on vt100-class terminals and under a non-UTF-8 locale, where
 * the blocks would come out as mojibake or as td_ui_put's '?'. */
#include "tui.h"
#include "view.h"

#include "totemdesk/buf.h"
#include "totemdesk/domain.h"
#include "totemdesk/i18n.h"
#include "totemdesk/report.h"
#include "totemdesk/timefmt.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

enum period { P_ALL, P_YEAR, P_12MONTHS, P_MONTH, P_COUNT };

static const char *const period_names[P_COUNT] = {
	N_("all time"), N_("this year"), N_("last 12 months"), N_("this month"),
};

struct stats {
	struct td_view v;
	int period;
	int site;             /* index in cfg.sites, -1 = every site */
	char title[256];
};

static const struct td_keyctx stats_keys = {
	.ctx = { TD_KC_STATS, TD_KC_LIST, TD_KC_GLOBAL },
	.hints = { TD_A_PGUP, TD_A_PGDN, TD_A_BACK, TD_A_ST_PERIOD,
		   TD_A_ST_SITE, TD_A_HELP },
};

/* Block characters only where they will show as blocks. */
static bool blocks_ok(const struct td_ui *ui)
{
	const char *term = getenv("TERM");
	if (!ui->utf8)
		return false;
	return !(term && strncmp(term, "vt", 2) == 0);
}

/* The local dates of period p, "" for no bound. */
static void period_bounds(enum period p, char from[11], char to[11])
{
	char since[TD_TIME_SIZE], until[TD_TIME_SIZE];
	int y, m, d;

	from[0] = to[0] = '\0';
	if (p == P_ALL)
		return;
	td_app_today_bounds(since, until);
	td_time_local(since, "%Y-%m-%d", to, 11);
	if (sscanf(to, "%d-%d-%d", &y, &m, &d) != 3 || y < 1 || y > 9999 ||
	    m < 1 || m > 12)
		return;
	switch (p) {
	case P_YEAR:
		snprintf(from, 11, "%04d-01-01", y);
		break;
	case P_12MONTHS:
		snprintf(from, 11, "%04d-%02d-01", m == 12 ? y : y - 1,
			 m == 12 ? 1 : m + 1);
		break;
	default:
		snprintf(from, 11, "%04d-%02d-01", y, m);
		break;
	}
}

static void build(struct td_ui *ui, struct stats *S)
{
	const struct td_config *cfg = td_app_config(ui->app);
	struct td_report r = { 0 };
	struct td_buf b;
	td_err err = { 0 };
	char from[11], to[11];

	td_view_free(&S->v);
	S->v.label_w = 0;
	period_bounds((enum period)S->period, from, to);
	struct td_report_query q = {
		from, to, S->site >= 0 ? cfg->sites[S->site].code : NULL,
	};
	snprintf(S->title, sizeof S->title, _("Statistics: %s, %s"),
		 _(period_names[S->period]),
		 S->site >= 0 ? cfg->sites[S->site].name : _("all sites"));
	if (td_app_report(ui->app, &q, &r, &err) != TD_OK) {
		td_view_add(&S->v, NULL, err.msg, TD_R_ERROR);
		return;
	}
	td_buf_init(&b);
	if (td_report_write(&r, TD_REPORT_TEXT, blocks_ok(ui), &b) != TD_OK) {
		td_view_add(&S->v, NULL, _("Out of memory."), TD_R_ERROR);
	} else {
		/* One item per line; the section titles (not indented)
		 * stand out.  The first line repeats the screen title. */
		char *save = NULL;
		bool first = true;
		for (char *line = strtok_r(b.data, "\n", &save); line;
		     line = strtok_r(NULL, "\n", &save)) {
			if (first) {
				first = false;
				continue;
			}
			td_view_add(&S->v, NULL, line,
				    line[0] == ' ' ? TD_R_NORMAL : TD_R_TITLE);
		}
	}
	td_buf_free(&b);
	td_report_free(&r);
	if (S->v.oom) {
		td_view_free(&S->v);
		td_view_add(&S->v, NULL, _("Out of memory."), TD_R_ERROR);
	}
}

static int stats_enter(struct td_ui *ui, void *st, const void *arg)
{
	struct stats *S = st;

	S->period = P_YEAR;
	S->site = -1;
	/* A user held to one site (reception) sees that one only. */
	const char *held = td_app_held_site(ui->app);
	const struct td_config *cfg = td_app_config(ui->app);
	for (size_t i = 0; held && i < cfg->nsites; i++)
		if (strcmp(cfg->sites[i].code, held) == 0)
			S->site = (int)i;
	build(ui, S);
	return TD_OK;
}

static void stats_leave(struct td_ui *ui, void *st)
{
	td_view_free(&((struct stats *)st)->v);
}

static void stats_draw(struct td_ui *ui, void *st, bool full)
{
	struct stats *S = st;
	td_ui_draw_header(ui);
	td_ui_draw_title(ui, S->title);
	td_view_draw(ui, &S->v);
	ui->cur_y = TD_UI_BODY;
	ui->cur_x = 0;
}

/* Next site for the site key: every site, then each Totem in turn. */
static void next_site(struct td_ui *ui, struct stats *S)
{
	const struct td_config *cfg = td_app_config(ui->app);
	if (td_app_held_site(ui->app)) {
		td_ui_flash(ui, false, _("Reception staff see their own site only."));
		return;
	}
	do
		S->site = S->site + 1 >= (int)cfg->nsites ? -1 : S->site + 1;
	while (S->site >= 0 && cfg->sites[S->site].coordination);
}

static bool stats_act(struct td_ui *ui, void *st, enum td_action a,
		      const struct td_key *k)
{
	struct stats *S = st;

	switch (a) {
	case TD_A_ST_PERIOD:
		S->period = (S->period + 1) % P_COUNT;
		build(ui, S);
		ui->full = true;
		return true;
	case TD_A_ST_SITE:
		next_site(ui, S);
		build(ui, S);
		ui->full = true;
		return true;
	case TD_A_REDRAW: {
		/* Read the figures again, where the page was. */
		long top = S->v.sc.top;
		build(ui, S);
		S->v.sc.top = top;
		return true;
	}
	case TD_A_BACK:
		td_ui_pop(ui);
		return true;
	default:
		return td_view_act(ui, &S->v, a);
	}
}

const struct td_screen td_scr_stats = {
	.name = "stats",
	.size = sizeof(struct stats),
	.keys = &stats_keys,
	.enter = stats_enter,
	.leave = stats_leave,
	.draw = stats_draw,
	.act = stats_act,
};
