/* The mission officers' queue: dossiers of every site the user may see,
 * as a virtual list (only the visible rows are fetched, a page at a
 * time, by keyset with td_app_queue_seek), filtered, searched as you type and
 * sorted by one td_query -- the very value an export from here and
 * `totemdesk export` use, so both write exactly the rows on screen.
 *
 * Layout: header, title with the count, the filter line (or the prompt
 * while typing), the column names, the rows, an information line and
 * the key hints.  Columns come in by priority as the terminal widens.
 * Overdue rows carry a "!" and the overdue attribute (bold on a
 * monochrome vt100); marked rows a "*".
 *
 * Live refresh: the main loop draws when another program writes to the
 * database (an inotify watch; without one it wakes every POLL_MS while
 * this screen is up); each draw asks td_app_changed (PRAGMA
 * data_version) and reloads, keeping the cursor on the same dossier. */
#include "prompt.h"
#include "tui.h"
#include "vlist.h"

#include "totemdesk/date.h"
#include "totemdesk/domain.h"
#include "totemdesk/i18n.h"
#include "totemdesk/outfile.h"
#include "totemdesk/queue.h"
#include "totemdesk/timefmt.h"

#include <errno.h>
#include <fcntl.h>
#include <libintl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define FILTER_ROW 2
#define HEAD_ROW 3
#define FIRST_ROW 4
#define PAGE_MIN 128
#define MARK_MAX TD_VLIST_MARK_MAX
#define POLL_MS 500
/* A search counts its matches up to this, "1000+" beyond: counting the
 * thousands a two-letter prefix matches costs more than a keystroke may.
 * Reaching the end of the list counts them all. */
#define COUNT_CAP 1000

/* What a prompt or chooser was opened for. */
enum tag {
	T_SEARCH = 1, T_NOTE, T_SAVE_NAME, T_EXPORT_PATH, T_SINCE, T_UNTIL,
	T_MENU, T_SITE, T_STATUS_F, T_STAGE, T_SECTOR, T_NEED, T_ASSIGNEE_F,
	T_ASSIGN, T_STATUS, T_SAVED, T_FORMAT, T_EXPORT_WHICH, T_REVIEW,
};

/* Filter menu entries, in order. */
enum fitem {
	FI_SITE, FI_STATUS, FI_STAGE, FI_SECTOR, FI_NEED, FI_ASSIGNEE,
	FI_UNASSIGNED, FI_OVERDUE, FI_SINCE, FI_UNTIL, FI_CLEAR, FI_COUNT
};

struct queue {
	struct td_query q;
	struct td_vlist vl;           /* the rows of q, marks, the cursor */
	char info[700];
	bool info_error;
	char ref[TD_REF_SIZE];        /* handed to the detail screen */
	struct td_prompt prompt;
	struct td_chooser ch;
	char saved_name[TD_CHOOSER_MAX][64];
	char saved_spec[TD_CHOOSER_MAX][1024];
	int nsaved;
	int status_item[TD_CHOOSER_MAX]; /* the status chooser's statuses */
	int export_format;            /* 0 CSV, 1 CSV fr, 2 JSON */
	bool export_marked;           /* the marked rows only, else all */
	char assignees[TD_CHOOSER_MAX][TD_LOGIN_SIZE];
	int nassignees;
	/* The last bulk action, kept while the dossiers another desk changed
	 * meanwhile (left marked) are reviewed: tag T_ASSIGN, T_STATUS or
	 * T_NOTE (0: no review), and what was chosen or typed. */
	int review;
	int review_status;
	char review_login[TD_LOGIN_SIZE];
	char review_note[4 * TD_EDIT_MAX + 1];
	int seen[MARK_MAX];           /* a bulk action's versions shown */
	bool stale[MARK_MAX];         /* and those changed meanwhile */
};

static const struct td_keyctx queue_keys = {
	.ctx = { TD_KC_QUEUE, TD_KC_LIST, TD_KC_GLOBAL },
	/* The queue's own keys: at 80 columns the list keys (Enter, Esc,
	 * pages), the same everywhere, would push them off the line. */
	.hints = { TD_A_Q_SEARCH, TD_A_Q_FILTER, TD_A_Q_SORT, TD_A_Q_MARK,
		   TD_A_Q_ASSIGN, TD_A_Q_STATUS, TD_A_Q_NOTE, TD_A_Q_EXPORT,
		   TD_A_HELP },
};

/* An open chooser: the list of saved filters deletes with Del (^D). */
static const struct td_keyctx chooser_keys = {
	.ctx = { TD_KC_CHOOSER, TD_KC_LIST, TD_KC_EDIT, TD_KC_GLOBAL },
	.hints = { TD_A_OPEN, TD_A_BACK, TD_A_HELP },
};

static const struct td_keyctx *queue_mode(const void *st)
{
	const struct queue *Q = st;
	return Q->prompt.active ? &td_prompt_keys
	       : Q->ch.active ? &chooser_keys : NULL;
}

static int rows(const struct td_ui *ui)
{
	return td_ui_rows(ui, FIRST_ROW, true);
}

/* Copy src into dst, cut at a character boundary if too long. */
static void copy_text(char *dst, size_t dstsz, const char *src)
{
	size_t n = strlen(src);
	if (n >= dstsz) {
		n = dstsz - 1;
		while (n > 0 && ((unsigned char)src[n] & 0xc0) == 0x80)
			n--;
	}
	memcpy(dst, src, n);
	dst[n] = '\0';
}

static void info(struct queue *Q, bool error, const char *msg)
{
	copy_text(Q->info, sizeof Q->info, msg);
	Q->info_error = error;
}

static void fail(struct queue *Q, const td_err *err, const char *fallback)
{
	info(Q, true, err->msg[0] ? err->msg : fallback);
}

/* ---- data ---------------------------------------------------------------- */

/* Count again and drop the cache; keep the cursor on the dossier it was
 * on (live refresh, actions, a re-sort).  A search counts its matches up
 * to COUNT_CAP, only near the top: a live refresh far down a search
 * keeps its cursor. */
static void reload(struct td_ui *ui, struct queue *Q, bool keep)
{
	char fts[TD_QUERY_TEXT_MAX * 3];
	bool cap = td_query_fts(Q->q.text, fts, sizeof fts) > 0 &&
		   (!keep || Q->vl.sc.cur + PAGE_MIN < COUNT_CAP);
	td_vlist_reload(&Q->vl, rows(ui), keep, cap ? COUNT_CAP : 0);
	if (Q->vl.err.code)
		fail(Q, &Q->vl.err, _("The queue cannot be read."));
}

/* A mark keeps the version the row showed: what a bulk action checks. */
static void mark_toggle(struct queue *Q, const struct td_queue_row *r)
{
	int rc = td_vlist_mark(&Q->vl, r->d.reference, r->d.version);
	if (rc == TD_ENOMEM)
		info(Q, true, _("Out of memory."));
	else if (rc != TD_OK)
		info(Q, true, _("Too many marked dossiers; narrow the filter."));
}

/* Mark every row of the queue (up to MARK_MAX), or clear the marks. */
static void mark_all(struct td_ui *ui, struct queue *Q)
{
	if (Q->vl.nmarks) {
		td_vlist_marks_clear(&Q->vl);
		return;
	}
	int rc = td_vlist_mark_all(&Q->vl);
	if (rc == TD_EINVAL && Q->vl.nmarks == 0)
		info(Q, true, _("Too many dossiers to mark them all; narrow the filter."));
	else if (rc != TD_OK)
		fail(Q, &Q->vl.err, _("The queue cannot be read."));
}

/* The dossiers an action applies to: the marked ones, else the
 * selected one.  Returns how many (pointers into Q); seen (may be NULL)
 * gets the version each showed. */
static size_t targets(struct queue *Q, const char **refs, int *seen,
		      size_t max)
{
	size_t n = 0;
	for (int i = 0; i < Q->vl.nmarks && n < max; i++) {
		if (seen)
			seen[n] = Q->vl.mark_tags[i];
		refs[n++] = Q->vl.marks[i];
	}
	if (n == 0) {
		const struct td_queue_row *r = td_vlist_cur(&Q->vl);
		if (r) {
			if (seen)
				seen[n] = r->d.version;
			refs[n++] = r->d.reference;
		}
	}
	return n;
}

/* ---- columns --------------------------------------------------------- */

#define GUTTER 3        /* the marker columns: selected, marked, overdue */
/* The holder's country (issue 12): shown, not a sort order (no index
 * walks the dossiers in that order). */
#define COL_COUNTRY TD_QC_COUNT

/* Columns for width: the essentials at 80, more as it widens.  Dates in
 * the list are the language's narrow style (date.h): dd/mm/yy in French,
 * ISO in English.  The name takes 2/5 of the room when the project
 * shows.
 *
 * Below NARROW columns (an 80-column terminal) a row scrolled in must
 * cost at most 90 bytes on a vt100 (issue 10, docs/benchmarks.md), about
 * 55 columns of text: the reference (whose first letters are the site:
 * no site column below 100 columns), the follow-up date, the status and
 * the name, last, so that no row has a jump over blanks; the date of
 * registration shows from NARROW columns on, and in the detail. */
#define NARROW 90
static const struct td_vcol_def col_defs[] = {
	{ .id = TD_QC_REFERENCE, .w = 14 },  /* "MET-2026-12345" */
	{ .id = TD_QC_DATE, .w = -1, .from = NARROW },
	{ .id = TD_QC_SITE, .w = 4, .from = 100 },
	{ .id = TD_QC_NAME, .flex = 4, .min = 6, .from = NARROW },
	{ .id = TD_QC_PROJECT, .from = 120, .flex = 6, .min = 6 },
	{ .id = TD_QC_STAGE, .w = 11, .from = 150 },
	{ .id = TD_QC_NEEDS, .w = 18, .from = 170 },
	{ .id = TD_QC_ASSIGNEE, .w = 10, .from = 100 },
	{ .id = COL_COUNTRY, .w = 10, .from = 130 },
	/* The follow-up date (always 10 wide) before the status (of
	 * varying length) and nothing after it: a row scrolled in on a
	 * vt100 then has no cursor jump over the status's blanks. */
	{ .id = TD_QC_FOLLOWUP, .w = -1 },
	{ .id = TD_QC_STATUS, .w = 10 },
	{ .id = TD_QC_NAME, .flex = 4, .min = 6, .until = NARROW },
};

/* one_site: every row is of one site (reception staff, or a site
 * filter), so the site column would only repeat it. */
static bool skip_col(int id, const void *one_site)
{
	return id == TD_QC_SITE && *(const bool *)one_site;
}

static void needs_text(unsigned m, char *out, size_t outsz)
{
	size_t len = 0;
	out[0] = '\0';
	for (size_t i = 0; i < td_needs.count; i++) {
		if (!(m & (1u << i)))
			continue;
		int w = snprintf(out + len, outsz - len, "%s%s", len ? ", " : "",
				 td_enum_label(&td_needs, (int)i));
		if (w < 0 || (size_t)w >= outsz - len)
			break;
		len += (size_t)w;
	}
}

static void cell(struct td_ui *ui, const struct td_queue_row *r, int c,
		 const char *due, char *out, size_t outsz)
{
	switch (c) {
	case TD_QC_REFERENCE:
		snprintf(out, outsz, "%s", r->d.reference);
		break;
	case TD_QC_DATE:
		td_date_show_stamp(r->d.created_at, TD_DATE_NARROW, out, outsz);
		break;
	case TD_QC_SITE:
		snprintf(out, outsz, "%s", r->d.site);
		break;
	case TD_QC_NAME:
		snprintf(out, outsz, "%s %s", r->d.last_name, r->d.first_name);
		break;
	case TD_QC_PROJECT:
		snprintf(out, outsz, "%s", r->d.title);
		break;
	case TD_QC_STAGE:
		snprintf(out, outsz, "%s", r->d.stage > 0
			 ? td_enum_label(&td_stages, r->d.stage) : "");
		break;
	case TD_QC_NEEDS:
		needs_text(r->d.needs, out, outsz);
		break;
	case TD_QC_STATUS:
		snprintf(out, outsz, "%s", td_enum_label(&td_statuses, r->d.status));
		break;
	case TD_QC_ASSIGNEE:
		snprintf(out, outsz, "%s", r->d.assigned_to[0] ? r->d.assigned_to
							       : "-");
		break;
	case TD_QC_FOLLOWUP:
		td_date_show_ymd(due, TD_DATE_NARROW, out, outsz);
		break;
	case COL_COUNTRY:
		snprintf(out, outsz, "%s", td_enum_label(&td_countries,
							 r->country));
		break;
	default:
		out[0] = '\0';
	}
}

struct row_ctx {
	struct queue *Q;
	const struct td_vcol *cols;
	int ncols;
};

static void draw_row(struct td_ui *ui, void *ctx, int y, long i,
		     const void *row, bool sel)
{
	const struct row_ctx *rc = ctx;
	const struct td_vcol *cols = rc->cols;
	int width = getmaxx(ui->win), ncols = rc->ncols;
	const struct td_queue_row *r = row;
	attr_t a = td_ui_attr(ui, sel ? TD_R_CURRENT : TD_R_NORMAL);
	char buf[512], due[11];
	bool late;

	td_ui_put(ui, y, 0, width, "", a, true);
	if (!r)
		return;
	td_app_followup(ui->app, r->last_action_at, r->d.status, due, &late);
	/* Marker columns: ">" selected, "*" marked, "!" overdue -- readable
	 * without any attribute at all; the overdue attribute comes on top.
	 * Without colour the ">" alone shows the selection (TD_R_CURRENT). */
	attr_t late_a = a | td_ui_attr(ui, TD_R_OVERDUE);
	bool marked = td_vlist_marked(&rc->Q->vl, r->d.reference);
	td_ui_put(ui, y, 0, 1, sel ? ">" : " ", a, false);
	td_ui_put(ui, y, 1, 1, marked ? "*" : " ", marked ? a | A_BOLD : a,
		  false);
	td_ui_put(ui, y, 2, 1, late ? "!" : " ", late ? late_a : a, false);
	for (int c = 0; c < ncols; c++) {
		cell(ui, r, cols[c].id, due, buf, sizeof buf);
		/* Without colour the "!" says it: bold on the date too would
		 * cost two attribute changes more per late row. */
		attr_t ca = late && ui->color && cols[c].id == TD_QC_FOLLOWUP
			? late_a : a;
		td_ui_put(ui, y, cols[c].x, cols[c].w, buf, ca, false);
	}
}

/* A stored date as the language shows it, into v. */
static const char *shown_date(const char *ymd, char *v, size_t vsz)
{
	td_date_show_ymd(ymd, 0, v, vsz);
	return v;
}

/* "site MET · status new, triaged · overdue · search "epi" · sort name ^" */
static void summary(struct td_ui *ui, struct queue *Q, char *out, size_t outsz)
{
	const struct td_query *q = &Q->q;
	char v[256];
	size_t len = 0;

#define PART(...) do { \
		int w_ = snprintf(out + len, outsz - len, "%s", len ? "  " : ""); \
		if (w_ > 0 && (size_t)w_ < outsz - len) len += (size_t)w_; \
		w_ = snprintf(out + len, outsz - len, __VA_ARGS__); \
		if (w_ > 0 && (size_t)w_ < outsz - len) len += (size_t)w_; \
	} while (0)

	out[0] = '\0';
	if (q->site[0])
		PART(_("site: %s"), q->site);
	if (q->statuses) {
		size_t k = 0;
		v[0] = '\0';
		for (size_t i = 0; i < td_statuses.count; i++)
			if (q->statuses & (1u << i)) {
				int w = snprintf(v + k, sizeof v - k, "%s%s",
						 k ? "," : "",
						 td_enum_label(&td_statuses, (int)i));
				if (w > 0 && (size_t)w < sizeof v - k)
					k += (size_t)w;
			}
		PART(_("status: %s"), v);
	}
	if (q->stage > 0)
		PART(_("stage: %s"), td_enum_label(&td_stages, q->stage));
	if (q->sector > 0)
		PART(_("sector: %s"), td_enum_label(&td_sectors, q->sector));
	if (q->needs) {
		needs_text(q->needs, v, sizeof v);
		PART(_("need: %s"), v);
	}
	if (q->assignee[0])
		PART(_("assigned to: %s"), q->assignee);
	if (q->unassigned)
		PART("%s", _("unassigned"));
	if (q->overdue)
		PART("%s", _("overdue"));
	if (q->since[0])
		/* TRANSLATORS: filter summary, created on or after a
		 * date. */
		PART(_("from %s"), shown_date(q->since, v, sizeof v));
	if (q->until[0])
		/* TRANSLATORS: filter summary, created on or before a
		 * date. */
		PART(_("to %s"), shown_date(q->until, v, sizeof v));
	if (q->text[0])
		/* TRANSLATORS: filter summary, the words searched for. */
		PART(_("search: \"%s\""), q->text);
	if (!len)
		PART("%s", _("no filter"));
	if (q->sort >= 0)
		/* TRANSLATORS: filter summary: the column sorted on, then
		 * "^" (ascending) or "v" (descending). */
		PART(_("sort: %s %s"), td_enum_label(&td_qcols, q->sort),
		     q->desc ? "v" : "^");
	else
		PART(_("sort: %s"), q->text[0] ? _("latest first")
					       : _("newest first"));
#undef PART
}

static void queue_draw(struct td_ui *ui, void *st, bool full)
{
	struct queue *Q = st;
	int width = getmaxx(ui->win), height = getmaxy(ui->win);
	int n = rows(ui);
	struct td_vcol cols[TD_QC_COUNT + 1];
	bool one_site = Q->q.site[0] || td_app_own_site_only(ui->app);
	int ncols = td_vlist_layout(width, GUTTER, 1, col_defs,
				    (int)(sizeof col_defs / sizeof col_defs[0]),
				    skip_col, &one_site, cols);
	char title[256], line[1024];

	/* Changes from another program show through data_version; our own
	 * (made on the detail screen) when we come back (queue_resume). */
	if (td_app_changed(ui->app))
		reload(ui, Q, true);
	td_scroll_key(&Q->vl.sc, TD_A_NONE, n, true);
	if (Q->vl.more)
		snprintf(title, sizeof title,
			 _("Queue: more than %ld dossiers"), Q->vl.count);
	else
		snprintf(title, sizeof title,
			 ngettext("Queue: %ld dossier", "Queue: %ld dossiers",
				  (unsigned long)Q->vl.count), Q->vl.count);
	td_ui_draw_header(ui);
	td_ui_draw_title(ui, title);

	if (Q->prompt.active) {
		td_prompt_draw(ui, &Q->prompt, FILTER_ROW);
	} else {
		summary(ui, Q, line, sizeof line);
		td_ui_put(ui, FILTER_ROW, 0, width, line,
			  td_ui_attr(ui, TD_R_HELP), true);
	}
	if (Q->ch.active) {
		td_chooser_draw(ui, &Q->ch, HEAD_ROW, height - 3);
	} else {
		attr_t h = td_ui_attr(ui, TD_R_LABEL) | A_BOLD;
		td_ui_put(ui, HEAD_ROW, 0, width, "", h, true);
		for (int c = 0; c < ncols; c++) {
			const char *lab = cols[c].id == COL_COUNTRY
				? _("Country")
				: td_enum_label(&td_qcols, cols[c].id);
			if (Q->q.sort == cols[c].id)
				snprintf(line, sizeof line, "%s %s", lab,
					 Q->q.desc ? "v" : "^");
			else
				snprintf(line, sizeof line, "%s", lab);
			td_ui_put(ui, HEAD_ROW, cols[c].x, cols[c].w, line, h,
				  false);
		}
		if (Q->vl.count == 0) {
			for (int r = 0; r < n; r++)
				td_ui_put(ui, FIRST_ROW + r, 0, width, "",
					  A_NORMAL, true);
			td_ui_put(ui, FIRST_ROW + 1, 2, width - 4,
				  _("No dossier matches these filters."),
				  td_ui_attr(ui, TD_R_HELP), false);
		} else {
			int cy = ui->cur_y, cx = ui->cur_x;
			td_vlist_draw(ui, &Q->vl, FIRST_ROW, n, draw_row,
				      &(struct row_ctx){ Q, cols, ncols });
			if (Q->prompt.active)  /* the cursor in the prompt */
				ui->cur_y = cy, ui->cur_x = cx;
		}
	}
	if (Q->info[0]) {
		td_ui_draw_message(ui, Q->info,
				   Q->info_error ? TD_R_ERROR : TD_R_HELP);
	} else {
		line[0] = '\0';
		if (Q->vl.nmarks)
			snprintf(line, sizeof line,
				 ngettext("%d dossier marked",
					  "%d dossiers marked",
					  (unsigned long)Q->vl.nmarks), Q->vl.nmarks);
		td_ui_draw_message(ui, line, TD_R_HELP);
	}
	if (!Q->prompt.active && !Q->ch.active) {
		ui->cur_y = FIRST_ROW + (int)(Q->vl.sc.cur - Q->vl.sc.top);
		ui->cur_x = 0;
	}
}

/* ---- saved filters ----------------------------------------------------- */

static int on_saved(const char *name, const char *spec, void *ctx)
{
	struct queue *Q = ctx;
	if (Q->nsaved < TD_CHOOSER_MAX) {
		snprintf(Q->saved_name[Q->nsaved], sizeof Q->saved_name[0], "%s",
			 name);
		snprintf(Q->saved_spec[Q->nsaved], sizeof Q->saved_spec[0], "%s",
			 spec);
		Q->nsaved++;
	}
	return 0;
}

static void load_saved(struct td_ui *ui, struct queue *Q)
{
	td_err err = { 0 };
	Q->nsaved = 0;
	if (td_app_filter_list(ui->app, on_saved, Q, &err) != TD_OK)
		fail(Q, &err, _("The saved filters cannot be read."));
}

static void apply_saved(struct td_ui *ui, struct queue *Q, int i)
{
	td_err err = { 0 };
	char msg[256];
	load_saved(ui, Q);
	if (i < 0 || i >= Q->nsaved) {
		snprintf(msg, sizeof msg, _("No saved filter %d: save one with %s."),
			 i + 1, "b");
		info(Q, true, msg);
		return;
	}
	struct td_query q;
	if (td_query_parse(Q->saved_spec[i], &q, &err) != TD_OK) {
		fail(Q, &err, _("This saved filter cannot be read."));
		return;
	}
	Q->q = q;
	reload(ui, Q, false);
	snprintf(msg, sizeof msg, _("Filter \"%s\"."), Q->saved_name[i]);
	info(Q, false, msg);
}

/* The saved filters to choose from (Enter or digit) or delete (Del). */
static void open_saved(struct td_ui *ui, struct queue *Q, int cur)
{
	char open[64], del[64], title[160];
	load_saved(ui, Q);
	td_keymap_display(TD_A_OPEN, 1, true, open, sizeof open);
	td_keymap_display(TD_A_DELETE, 2, true, del, sizeof del);
	/* TRANSLATORS: the keys as configured, e.g. "Enter", "Del/^D". */
	snprintf(title, sizeof title, _("Saved filters (%s: apply, %s: delete)"),
		 open, del);
	td_chooser_open(&Q->ch, T_SAVED, title);
	for (int i = 0; i < Q->nsaved; i++)
		td_chooser_add(&Q->ch, Q->saved_name[i]);
	Q->ch.cur = cur < Q->nsaved ? cur : 0;
	if (Q->nsaved == 0) {
		Q->ch.active = false;
		char key[64], msg[200];
		td_keymap_display(TD_A_Q_SAVE_FILTER, 1, true, key, sizeof key);
		snprintf(msg, sizeof msg,
			 _("No saved filter yet: set filters, then %s to save them."),
			 key);
		info(Q, true, msg);
	}
}

/* ---- filter menu ------------------------------------------------------- */

/* The people a dossier can be assigned to (as the app says: officers and
 * admins), as chooser lines after the first one; their logins in
 * Q->assignees. */
static void add_officers(struct queue *Q, const struct td_app *app)
{
	const struct td_config *cfg = td_app_config(app);
	Q->nassignees = 0;
	for (size_t u = 0; u < cfg->nusers && Q->nassignees < TD_CHOOSER_MAX - 1; u++) {
		if (!td_app_may_be_assigned(app, &cfg->users[u]))
			continue;
		snprintf(Q->assignees[Q->nassignees++], TD_LOGIN_SIZE, "%s",
			 cfg->users[u].login);
		char line[160];
		snprintf(line, sizeof line, "%s  %s", cfg->users[u].login,
			 cfg->users[u].name);
		td_chooser_add(&Q->ch, line);
	}
}

static void open_menu(struct td_ui *ui, struct queue *Q, int cur)
{
	char line[256], v[200], open[64], back[64];
	td_keymap_display(TD_A_OPEN, 1, true, open, sizeof open);
	td_keymap_display(TD_A_BACK, 1, true, back, sizeof back);
	snprintf(line, sizeof line,
		 _("Filters (%s: change, %s: back to the list)"), open, back);
	td_chooser_open(&Q->ch, T_MENU, line);
	for (int i = 0; i < FI_COUNT; i++) {
		v[0] = '\0';
		switch (i) {
		case FI_SITE:
			snprintf(line, sizeof line, _("Site: %s"),
				 Q->q.site[0] ? Q->q.site : _("any"));
			break;
		case FI_STATUS:
			for (size_t k = 0, len = 0; k < td_statuses.count; k++) {
				if (!(Q->q.statuses & (1u << k)))
					continue;
				int w = snprintf(v + len, sizeof v - len, "%s%s",
						 len ? ", " : "",
						 td_enum_label(&td_statuses, (int)k));
				if (w > 0 && (size_t)w < sizeof v - len)
					len += (size_t)w;
			}
			snprintf(line, sizeof line, _("Status: %s"),
				 Q->q.statuses ? v : _("any"));
			break;
		case FI_STAGE:
			snprintf(line, sizeof line, _("Stage: %s"),
				 Q->q.stage > 0 ? td_enum_label(&td_stages, Q->q.stage)
					       : _("any"));
			break;
		case FI_SECTOR:
			snprintf(line, sizeof line, _("Sector: %s"),
				 Q->q.sector > 0 ? td_enum_label(&td_sectors, Q->q.sector)
						: _("any"));
			break;
		case FI_NEED:
			needs_text(Q->q.needs, v, sizeof v);
			snprintf(line, sizeof line, _("Needs: %s"),
				 Q->q.needs ? v : _("any"));
			break;
		case FI_ASSIGNEE:
			snprintf(line, sizeof line, _("Assigned to: %s"),
				 Q->q.assignee[0] ? Q->q.assignee : _("anyone"));
			break;
		case FI_UNASSIGNED:
			snprintf(line, sizeof line, "[%c] %s",
				 Q->q.unassigned ? 'x' : ' ', _("Unassigned only"));
			break;
		case FI_OVERDUE:
			snprintf(line, sizeof line, "[%c] %s",
				 Q->q.overdue ? 'x' : ' ', _("Overdue only"));
			break;
		case FI_SINCE:
			snprintf(line, sizeof line, _("Created from: %s"),
				 shown_date(Q->q.since[0] ? Q->q.since : "-", v,
					    sizeof v));
			break;
		case FI_UNTIL:
			snprintf(line, sizeof line, _("Created until: %s"),
				 shown_date(Q->q.until[0] ? Q->q.until : "-", v,
					    sizeof v));
			break;
		default:
			snprintf(line, sizeof line, "%s", _("Clear all filters"));
		}
		td_chooser_add(&Q->ch, line);
	}
	Q->ch.cur = cur;
	(void)ui;
}

/* A chooser of an enum with "any" first; multi shows tick boxes. */
static void open_enum(struct queue *Q, int tag, const char *title, const struct td_enum *e,
		      int from, unsigned ticked, bool multi, int cur)
{
	char line[160], open[64], back[64];
	if (multi) {
		/* Ticking stays open: say which keys tick and close. */
		td_keymap_display(TD_A_OPEN, 1, true, open, sizeof open);
		td_keymap_display(TD_A_BACK, 1, true, back, sizeof back);
		/* TRANSLATORS: "Status (Enter ticks; Esc: done)", the
		 * keys as configured. */
		snprintf(line, sizeof line, _("%s (%s ticks; %s: done)"), title,
			 open, back);
		title = line;
	}
	td_chooser_open(&Q->ch, tag, title);
	td_chooser_add(&Q->ch, _("any"));
	for (size_t i = (size_t)from; i < e->count; i++) {
		if (multi)
			snprintf(line, sizeof line, "[%c] %s",
				 ticked & (1u << i) ? 'x' : ' ',
				 td_enum_label(e, (int)i));
		else
			snprintf(line, sizeof line, "%s", td_enum_label(e, (int)i));
		td_chooser_add(&Q->ch, line);
	}
	Q->ch.cur = cur;
}

/* Ask for a creation date, starting from the date as shown. */
static void date_prompt(struct queue *Q, int tag, const char *label,
			const char *ymd)
{
	char shown[16];
	td_date_show_ymd(ymd, 0, shown, sizeof shown);
	td_prompt_open(&Q->prompt, tag, label, shown, 10, 0);
}

static void menu_pick(struct td_ui *ui, struct queue *Q, int i)
{
	const struct td_config *cfg = td_app_config(ui->app);
	char label[160];
	switch (i) {
	case FI_SITE:
		td_chooser_open(&Q->ch, T_SITE, _("Site"));
		td_chooser_add(&Q->ch, _("any"));
		for (size_t s = 0; s < cfg->nsites; s++) {
			char line[160];
			snprintf(line, sizeof line, "%s  %s", cfg->sites[s].code,
				 cfg->sites[s].name);
			td_chooser_add(&Q->ch, line);
		}
		break;
	case FI_STATUS:
		open_enum(Q, T_STATUS_F, _("Status"),
			  &td_statuses, 0, Q->q.statuses, true, 0);
		break;
	case FI_STAGE:
		open_enum(Q, T_STAGE, _("Stage"), &td_stages, 1, 0, false, 0);
		break;
	case FI_SECTOR:
		open_enum(Q, T_SECTOR, _("Sector"), &td_sectors, 1, 0, false, 0);
		break;
	case FI_NEED:
		open_enum(Q, T_NEED, _("Needs"), &td_needs,
			  0, Q->q.needs, true, 0);
		break;
	case FI_ASSIGNEE:
		td_chooser_open(&Q->ch, T_ASSIGNEE_F, _("Assigned to"));
		td_chooser_add(&Q->ch, _("anyone"));
		add_officers(Q, ui->app);
		break;
	case FI_UNASSIGNED:
		Q->q.unassigned = !Q->q.unassigned;
		if (Q->q.unassigned)
			Q->q.assignee[0] = '\0';
		reload(ui, Q, false);
		open_menu(ui, Q, i);
		break;
	case FI_OVERDUE:
		Q->q.overdue = !Q->q.overdue;
		reload(ui, Q, false);
		open_menu(ui, Q, i);
		break;
	case FI_SINCE:
		/* TRANSLATORS: %s is how to write a date, e.g. JJ/MM/AAAA. */
		snprintf(label, sizeof label, _("Created from (%s)"),
			 td_date_pattern());
		date_prompt(Q, T_SINCE, label, Q->q.since);
		break;
	case FI_UNTIL:
		/* TRANSLATORS: %s is how to write a date, e.g. JJ/MM/AAAA. */
		snprintf(label, sizeof label, _("Created until (%s)"),
			 td_date_pattern());
		date_prompt(Q, T_UNTIL, label, Q->q.until);
		break;
	default: {
		int sort = Q->q.sort;
		bool desc = Q->q.desc;
		td_query_init(&Q->q);
		Q->q.sort = sort;
		Q->q.desc = desc;
		reload(ui, Q, false);
		open_menu(ui, Q, i);
	}
	}
}

/* ---- actions ----------------------------------------------------------- */

static void open_review(struct td_ui *ui, struct queue *Q);

/* The last bulk action (Q->review and what was chosen) on the marked
 * dossiers, or the selected one, each checked against the version the
 * screen showed (issue 13 point 2).  Those another desk changed meanwhile
 * are left as they are, named, and stay marked -- at the version now
 * shown -- for review; the others are written and keep their marks. */
static void bulk_apply(struct td_ui *ui, struct queue *Q)
{
	const char *refs[MARK_MAX];  /* the marks, or the selected row */
	int *seen = Q->seen;
	bool *stale = Q->stale;
	struct td_bulk_result res = { .stale = stale };
	td_err err = { 0 };
	char msg[700], names[300] = "";
	const char *what;
	size_t n = targets(Q, refs, seen, MARK_MAX);
	bool marked = Q->vl.nmarks > 0;
	int rc;

	switch (Q->review) {
	case T_ASSIGN:
		rc = td_app_queue_assign(ui->app, refs, seen, n,
					 Q->review_login, &res, &err);
		what = _("Assigned");
		break;
	case T_STATUS:
		rc = td_app_queue_set_status(ui->app, refs, seen, n,
					     Q->review_status, &res, &err);
		what = _("Status changed");
		break;
	default:
		rc = td_app_queue_note(ui->app, refs, seen, n, Q->review_note,
				       &res, &err);
		what = _("Note added");
		break;
	}
	if (rc != TD_OK && rc != TD_ECONFLICT) {
		Q->review = 0;
		fail(Q, &err, _("Nothing was changed."));
		return;
	}
	/* The marks follow: the versions now stored, and only the dossiers
	 * left when some were. */
	if (marked) {
		for (size_t i = 0; i < n; i++)
			stale[i] = stale[i] || !res.nstale;
		td_vlist_marks_keep(&Q->vl, stale, seen);
	} else if (res.nstale) {
		(void)td_vlist_mark(&Q->vl, refs[0], seen[0]);
	}
	snprintf(msg, sizeof msg,
		 ngettext("%s: %zu dossier.", "%s: %zu dossiers.", res.written),
		 what, res.written);
	if (res.nstale) {
		for (size_t i = 0, k = 0, len = 0; i < n; i++) {
			if (!stale[i])
				continue;
			if (++k > 3) {
				snprintf(names + len, sizeof names - len, ", ...");
				break;
			}
			int w = snprintf(names + len, sizeof names - len, "%s%s",
					 len ? ", " : "", refs[i]);
			if (w > 0 && (size_t)w < sizeof names - len)
				len += (size_t)w;
		}
		size_t len = strlen(msg);
		snprintf(msg + len, sizeof msg - len, " ");
		len = strlen(msg);
		snprintf(msg + len, sizeof msg - len,
			 /* TRANSLATORS: the count, then the references. */
			 ngettext("%zu dossier changed meanwhile: %s; not changed.",
				  "%zu dossiers changed meanwhile: %s; not changed.",
				  res.nstale), res.nstale, names);
	} else {
		Q->review = 0;
	}
	info(Q, res.nstale > 0, msg);
	reload(ui, Q, true);
	if (res.nstale)
		open_review(ui, Q);
}

/* The dossiers another desk changed meanwhile: what each holds now beside
 * what was chosen; keep theirs (Esc), apply yours to them again (at the
 * version now shown), or open one to look at it. */
static void open_review(struct td_ui *ui, struct queue *Q)
{
	char title[160], item[128], now[100], yours[100];

	snprintf(title, sizeof title,
		 ngettext("%d dossier changed at another desk meanwhile",
			  "%d dossiers changed at another desk meanwhile",
			  (unsigned long)Q->vl.nmarks), Q->vl.nmarks);
	td_chooser_open(&Q->ch, T_REVIEW, title);
	td_chooser_add(&Q->ch, _("Keep theirs: leave them as they are"));
	td_chooser_add(&Q->ch, _("Apply yours to them too"));
	switch (Q->review) {
	case T_ASSIGN:
		snprintf(yours, sizeof yours, "%s",
			 Q->review_login[0] ? Q->review_login : _("nobody"));
		break;
	case T_STATUS:
		snprintf(yours, sizeof yours, "%s",
			 td_enum_label(&td_statuses, Q->review_status));
		break;
	default:
		snprintf(yours, sizeof yours, _("your note"));
		break;
	}
	for (int i = 0; i < Q->vl.nmarks && Q->ch.n < TD_CHOOSER_MAX; i++) {
		struct td_dossier d;
		td_err err = { 0 };
		if (td_app_dossier_get(ui->app, Q->vl.marks[i], &d, &err) != TD_OK)
			td_ui_fit(ui, err.msg, 40, now, sizeof now);
		else if (Q->review == T_ASSIGN)
			snprintf(now, sizeof now, "%s",
				 d.assigned_to[0] ? d.assigned_to : _("nobody"));
		else
			snprintf(now, sizeof now, "%s",
				 td_enum_label(&td_statuses, d.status));
		memset(&d, 0, sizeof d);
		snprintf(item, sizeof item,
			 /* TRANSLATORS: a reference, its value now (another
			  * desk's), the value chosen here. */
			 _("%s: now \"%s\" (theirs); yours \"%s\""),
			 Q->vl.marks[i], now, yours);
		td_chooser_add(&Q->ch, item);
	}
}

/* A bulk action chosen in the menus: kept for the review, then applied. */
static void bulk_start(struct td_ui *ui, struct queue *Q, int tag,
		       const char *login, int status, const char *note)
{
	Q->review = tag;
	snprintf(Q->review_login, sizeof Q->review_login, "%s",
		 login ? login : "");
	Q->review_status = status;
	snprintf(Q->review_note, sizeof Q->review_note, "%s", note ? note : "");
	bulk_apply(ui, Q);
}

/* The statuses every marked (or the selected) dossier may move to, and
 * on the message line which moves are not offered and which dossiers
 * keep them from being offered. */
static void open_status(struct td_ui *ui, struct queue *Q)
{
	const char *refs[MARK_MAX];
	struct td_move_block b[3];
	unsigned offer, blocked;
	size_t nb = 0, n = targets(Q, refs, NULL, MARK_MAX);
	td_err err = { 0 };
	char moves[300] = "", who[300] = "", msg[700];

	if (td_app_queue_moves(ui->app, refs, n, &offer, &blocked, b, 3, &nb,
			       &err) != TD_OK) {
		info(Q, true, err.msg);
		return;
	}
	for (size_t s = 0, len = 0; s < td_statuses.count; s++) {
		if (!(blocked & (1u << s)))
			continue;
		int w = snprintf(moves + len, sizeof moves - len, "%s%s",
				 len ? ", " : "",
				 td_enum_label(&td_statuses, (int)s));
		if (w > 0 && (size_t)w < sizeof moves - len)
			len += (size_t)w;
	}
	for (size_t i = 0, len = 0; i < nb && i < 3; i++) {
		int w = snprintf(who + len, sizeof who - len, "%s%s (%s)",
				 len ? ", " : "", b[i].reference,
				 td_enum_label(&td_statuses, b[i].status));
		if (w > 0 && (size_t)w < sizeof who - len)
			len += (size_t)w;
	}
	if (nb > 3) {
		size_t len = strlen(who);
		snprintf(who + len, sizeof who - len,
			 ngettext(" and %zu other", " and %zu others", nb - 3),
			 nb - 3);
	}
	if (!offer) {
		snprintf(msg, sizeof msg,
			 _("No status change is allowed for all of them: %s cannot go where the others can."),
			 who);
		info(Q, true, msg);
		return;
	}
	td_chooser_open(&Q->ch, T_STATUS, _("New status"));
	for (size_t s = 0, k = 0; s < td_statuses.count; s++)
		if (offer & (1u << s)) {
			Q->status_item[k++] = (int)s;
			td_chooser_add(&Q->ch, td_enum_label(&td_statuses, (int)s));
		}
	if (blocked) {
		snprintf(msg, sizeof msg,
			 _("Not offered: %s, which %s cannot take."), moves, who);
		info(Q, false, msg);
	}
}

static void open_assign(struct td_ui *ui, struct queue *Q)
{
	td_chooser_open(&Q->ch, T_ASSIGN, _("Assign to"));
	td_chooser_add(&Q->ch, _("nobody"));
	add_officers(Q, ui->app);
}

/* With marked rows, "x" asks first: the marked ones or every row. */
static void open_export_which(struct queue *Q)
{
	char item[128];
	td_chooser_open(&Q->ch, T_EXPORT_WHICH, _("Export which dossiers?"));
	snprintf(item, sizeof item,
		 ngettext("The %d marked dossier", "The %d marked dossiers",
			  (unsigned long)Q->vl.nmarks), Q->vl.nmarks);
	td_chooser_add(&Q->ch, item);
	if (Q->vl.more)
		snprintf(item, sizeof item,
			 _("All the dossiers of the queue (more than %ld)"),
			 Q->vl.count);
	else
		snprintf(item, sizeof item,
			 ngettext("All %ld dossier of the queue",
				  "All %ld dossiers of the queue",
				  (unsigned long)Q->vl.count), Q->vl.count);
	td_chooser_add(&Q->ch, item);
}

static void open_export(struct queue *Q)
{
	td_chooser_open(&Q->ch, T_FORMAT, Q->export_marked
			? _("Export the marked dossiers as")
			: _("Export the rows shown as"));
	td_chooser_add(&Q->ch, _("CSV (comma, UTF-8)"));
	td_chooser_add(&Q->ch,
		       _("CSV for French spreadsheets (semicolon, BOM)"));
	td_chooser_add(&Q->ch, _("JSON"));
}

static void do_export(struct td_ui *ui, struct queue *Q, const char *path)
{
	struct td_export_options eo = {
		.format = Q->export_format == 2 ? TD_EXPORT_JSON : TD_EXPORT_CSV,
		.status = -1,
		.query = &Q->q,
		.bom = Q->export_format == 1,
		.sep = Q->export_format == 1 ? ';' : ',',
	};
	const char *refs[MARK_MAX];
	td_err err = { 0 };
	char msg[600];
	long count = 0;

	if (Q->export_marked && Q->vl.nmarks) {
		eo.nonly = targets(Q, refs, NULL, MARK_MAX);
		eo.only = refs;
	}

	if (!*path) {
		info(Q, true, _("No file name given; nothing was written."));
		return;
	}
	/* The one file writer (outfile.h): no link followed, 0600, nothing
	 * left behind; an existing file only once the user said so. */
	struct td_outfile *of = NULL;
	int rc = td_outfile_open(&of, path, 0, &err);
	if (rc == TD_EEXIST) {
		snprintf(msg, sizeof msg, _("%s exists. Replace it?"), path);
		if (!td_ui_confirm(ui, msg))
			return;
		rc = td_outfile_open(&of, path, TD_OUT_FORCE, &err);
	}
	if (rc != TD_OK) {
		info(Q, true, err.msg);
		return;
	}
	eo.dest = path;
	rc = td_app_export(ui->app, &eo, td_outfile_stream(of), &count, &err);
	if (rc != TD_OK)
		td_outfile_abort(of);
	else
		rc = td_outfile_commit(of, &err);
	if (rc != TD_OK) {
		fail(Q, &err, _("The export failed."));
		return;
	}
	snprintf(msg, sizeof msg,
		 ngettext("%ld dossier written to %s", "%ld dossiers written to %s",
			  (unsigned long)count), count, path);
	info(Q, false, msg);
}

static void prompt_done(struct td_ui *ui, struct queue *Q, int tag, const char *text)
{
	td_err err = { 0 };

	switch (tag) {
	case T_NOTE:
		bulk_start(ui, Q, T_NOTE, NULL, 0, text);
		break;
	case T_SAVE_NAME:
		if (td_app_filter_save(ui->app, text, &Q->q, &err) != TD_OK) {
			fail(Q, &err, _("The filter was not saved."));
		} else {
			load_saved(ui, Q);
			char msg[256];
			for (int i = 0; i < Q->nsaved; i++)
				if (strcmp(Q->saved_name[i], text) == 0) {
					snprintf(msg, sizeof msg,
						 _("Filter \"%s\" saved: key %d."),
						 text, i + 1);
					info(Q, false, msg);
				}
		}
		break;
	case T_EXPORT_PATH:
		do_export(ui, Q, text);
		break;
	case T_SINCE:
	case T_UNTIL:
	{
		/* Typed as shown (23/11/2026, 23/11/26) or ISO; kept ISO. */
		char ymd[11];
		if (td_app_date_read(ui->app, text, true, ymd, &err) != TD_OK ||
		    td_query_set(&Q->q, tag == T_SINCE ? "since" : "until", ymd,
				 &err) != TD_OK)
			fail(Q, &err, _("Not a date."));
	}
		reload(ui, Q, false);
		open_menu(ui, Q, tag == T_SINCE ? FI_SINCE : FI_UNTIL);
		break;
	default:
		break;
	}
}

static void chooser_done(struct td_ui *ui, struct queue *Q, int tag, int i)
{
	const struct td_config *cfg = td_app_config(ui->app);

	switch (tag) {
	case T_MENU:
		menu_pick(ui, Q, i);
		return;
	case T_SITE:
		snprintf(Q->q.site, sizeof Q->q.site, "%s",
			 i > 0 && (size_t)i <= cfg->nsites ? cfg->sites[i - 1].code
							   : "");
		break;
	case T_STATUS_F:
		if (i == 0)
			Q->q.statuses = 0;
		else
			Q->q.statuses ^= 1u << (i - 1);
		reload(ui, Q, false);
		open_enum(Q, T_STATUS_F, _("Status"),
			  &td_statuses, 0, Q->q.statuses, true, i);
		return;
	case T_NEED:
		if (i == 0)
			Q->q.needs = 0;
		else
			Q->q.needs ^= 1u << (i - 1);
		reload(ui, Q, false);
		open_enum(Q, T_NEED, _("Needs"), &td_needs,
			  0, Q->q.needs, true, i);
		return;
	case T_STAGE:
		Q->q.stage = i > 0 ? i : -1;
		break;
	case T_SECTOR:
		Q->q.sector = i > 0 ? i : -1;
		break;
	case T_ASSIGNEE_F:
		snprintf(Q->q.assignee, sizeof Q->q.assignee, "%s",
			 i > 0 && i <= Q->nassignees ? Q->assignees[i - 1] : "");
		if (Q->q.assignee[0])
			Q->q.unassigned = false;
		break;
	case T_ASSIGN:
		bulk_start(ui, Q, T_ASSIGN, i > 0 && i <= Q->nassignees
			   ? Q->assignees[i - 1] : "", 0, NULL);
		return;
	case T_STATUS:
		bulk_start(ui, Q, T_STATUS, NULL, i >= 0 && i < Q->ch.n
			   ? Q->status_item[i] : -1, NULL);
		return;
	case T_REVIEW:
		if (i == 1) {
			bulk_apply(ui, Q);
		} else if (i >= 2 && i - 2 < Q->vl.nmarks) {
			/* Back from the dossier, the review opens again. */
			snprintf(Q->ref, sizeof Q->ref, "%s",
				 Q->vl.marks[i - 2]);
			td_ui_push(ui, &td_scr_detail, Q->ref);
		} else {
			Q->review = 0;
			info(Q, false, _("Kept theirs; the dossiers stay marked."));
		}
		return;
	case T_SAVED:
		apply_saved(ui, Q, i);
		return;
	case T_EXPORT_WHICH:
		Q->export_marked = i == 0;
		open_export(Q);
		return;
	case T_FORMAT: {
		char def[64], today[16], iso[TD_TIME_SIZE];
		Q->export_format = i;
		td_app_today_bounds(iso, def);
		if (td_time_local(iso, "%Y-%m-%d", today, sizeof today) == 0)
			snprintf(today, sizeof today, "export");
		snprintf(def, sizeof def, "queue-%s.%s", today,
			 i == 2 ? "json" : "csv");
		td_prompt_open(&Q->prompt, T_EXPORT_PATH, _("Export to file"), def,
			       1000, 0);
		return;
	}
	default:
		return;
	}
	reload(ui, Q, false);
	if (tag != T_SAVED)
		open_menu(ui, Q, tag == T_SITE ? FI_SITE : tag == T_STAGE ? FI_STAGE
			  : tag == T_SECTOR ? FI_SECTOR : FI_ASSIGNEE);
}

/* Esc in a sub-chooser of the filter menu goes back to the menu. */
static void chooser_cancel(struct td_ui *ui, struct queue *Q, int tag)
{
	if (tag == T_REVIEW) {
		Q->review = 0;
		info(Q, false, _("Kept theirs; the dossiers stay marked."));
		return;
	}
	static const int back[][2] = {
		{ T_SITE, FI_SITE }, { T_STATUS_F, FI_STATUS },
		{ T_STAGE, FI_STAGE }, { T_SECTOR, FI_SECTOR },
		{ T_NEED, FI_NEED }, { T_ASSIGNEE_F, FI_ASSIGNEE },
	};
	for (size_t i = 0; i < sizeof back / sizeof back[0]; i++)
		if (back[i][0] == tag)
			open_menu(ui, Q, back[i][1]);
}

static bool need_rows(struct queue *Q)
{
	if (Q->vl.count > 0)
		return true;
	info(Q, true, _("No dossier to act on."));
	return false;
}

/* May the user assign and change statuses?  Else say why before the
 * choice is made, not after. */
static bool may_manage(struct td_ui *ui, struct queue *Q)
{
	td_err err = { 0 };
	if (td_app_may_manage_dossiers(ui->app, &err) == TD_OK)
		return true;
	fail(Q, &err, err.msg);
	return false;
}

static bool prompt_act(struct td_ui *ui, struct queue *Q, enum td_action a,
		       const struct td_key *k)
{
	bool changed;
	int tag = Q->prompt.tag;
	int r = td_prompt_act(&Q->prompt, a, k, &changed);

	if (tag == T_SEARCH) {
		/* Search as you type: a change that changes the search
		 * reloads.  The first letter of a word does not (one-letter
		 * words are not searched), so it costs no query at all. */
		char was[TD_QUERY_TEXT_MAX * 3], now[sizeof was];
		td_query_fts(Q->q.text, was, sizeof was);
		if (r < 0)
			Q->q.text[0] = '\0';
		else
			copy_text(Q->q.text, sizeof Q->q.text, Q->prompt.text);
		td_query_fts(Q->q.text, now, sizeof now);
		if ((changed || r < 0) && strcmp(was, now) != 0)
			reload(ui, Q, false);
	} else if (r > 0) {
		prompt_done(ui, Q, tag, Q->prompt.text);
	} else if (r < 0 && (tag == T_SINCE || tag == T_UNTIL)) {
		open_menu(ui, Q, tag == T_SINCE ? FI_SINCE : FI_UNTIL);
	}
	return true;
}

static bool chooser_act(struct td_ui *ui, struct queue *Q, enum td_action a)
{
	int tag = Q->ch.tag;

	if (tag == T_SAVED && a == TD_A_DELETE && Q->ch.cur < Q->nsaved) {
		/* Del (^D) in the list of saved filters deletes one. */
		td_err err = { 0 };
		char msg[160];
		int cur = Q->ch.cur;
		snprintf(msg, sizeof msg, _("Delete the filter \"%s\"?"),
			 Q->saved_name[cur]);
		if (!td_ui_confirm(ui, msg))
			return true;
		if (td_app_filter_delete(ui->app, Q->saved_name[cur], &err) !=
		    TD_OK)
			fail(Q, &err, _("The filter was not deleted."));
		open_saved(ui, Q, cur > 0 ? cur - 1 : 0);
		return true;
	}
	int r = td_chooser_act(&Q->ch, a);
	if (r > 0)
		chooser_done(ui, Q, tag, Q->ch.cur);
	else if (r < 0)
		chooser_cancel(ui, Q, tag);
	return true;
}

static bool queue_act(struct td_ui *ui, void *st, enum td_action a,
		      const struct td_key *k)
{
	struct queue *Q = st;

	if (Q->prompt.active)
		return prompt_act(ui, Q, a, k);
	if (Q->ch.active)
		return chooser_act(ui, Q, a);
	if (a == TD_A_REDRAW) {
		reload(ui, Q, true);
		return true;
	}
	Q->info[0] = '\0';
	if (a >= TD_A_Q_SAVED_1 && a <= TD_A_Q_SAVED_9) {
		apply_saved(ui, Q, (int)(a - TD_A_Q_SAVED_1));
		return true;
	}
	switch (a) {
	case TD_A_Q_SEARCH:
		td_prompt_open(&Q->prompt, T_SEARCH, _("Search"), Q->q.text,
			       (TD_QUERY_TEXT_MAX - 1) / 4, 0);
		return true;
	case TD_A_Q_FILTER:
		open_menu(ui, Q, 0);
		return true;
	case TD_A_Q_CLEAR:
		td_query_init(&Q->q);
		reload(ui, Q, false);
		return true;
	case TD_A_Q_SORT:
		Q->q.sort = Q->q.sort + 1 >= TD_QC_COUNT ? TD_QC_DEFAULT
							 : Q->q.sort + 1;
		if (Q->q.sort == TD_QC_DEFAULT)
			Q->q.desc = false;
		reload(ui, Q, true);
		return true;
	case TD_A_Q_REVERSE:
		if (Q->q.sort == TD_QC_DEFAULT)
			Q->q.sort = TD_QC_DATE;  /* newest first reversed */
		else
			Q->q.desc = !Q->q.desc;
		reload(ui, Q, true);
		return true;
	case TD_A_Q_MARK: {
		const struct td_queue_row *r = td_vlist_cur(&Q->vl);
		if (r)
			mark_toggle(Q, r);
		td_vlist_act(&Q->vl, TD_A_DOWN, rows(ui));
		return true;
	}
	case TD_A_Q_MARK_ALL:
		mark_all(ui, Q);
		return true;
	case TD_A_Q_ASSIGN:
		if (need_rows(Q) && may_manage(ui, Q))
			open_assign(ui, Q);
		return true;
	case TD_A_Q_STATUS:
		if (need_rows(Q) && may_manage(ui, Q))
			open_status(ui, Q);
		return true;
	case TD_A_Q_NOTE:
		if (need_rows(Q))
			td_prompt_open(&Q->prompt, T_NOTE, _("Note"), NULL, 1000,
				       0);
		return true;
	case TD_A_Q_SYNC:
		/* The sync screen refuses (and says why) who may not. */
		td_ui_push(ui, &td_scr_sync, NULL);
		return true;
	case TD_A_Q_EXPORT:
		Q->export_marked = false;
		if (Q->vl.nmarks)
			open_export_which(Q);
		else
			open_export(Q);
		return true;
	case TD_A_Q_SAVE_FILTER:
		td_prompt_open(&Q->prompt, T_SAVE_NAME, _("Save the filter as"),
			       NULL, 40, 0);
		return true;
	case TD_A_Q_FILTERS:
		open_saved(ui, Q, 0);
		return true;
	case TD_A_BACK:
		td_ui_pop(ui);
		return true;
	case TD_A_OPEN: {
		const struct td_queue_row *r = td_vlist_cur(&Q->vl);
		if (!r)
			return true;
		snprintf(Q->ref, sizeof Q->ref, "%s", r->d.reference);
		td_ui_push(ui, &td_scr_detail, Q->ref);
		return true;
	}
	default:
		break;
	}
	return td_vlist_act(&Q->vl, a, rows(ui));
}

/* Back from a dossier: what was done there shows, the cursor on it; a
 * review under way opens again. */
static void queue_resume(struct td_ui *ui, void *st)
{
	struct queue *Q = st;
	reload(ui, Q, true);
	if (Q->review && Q->vl.nmarks)
		open_review(ui, Q);
}

static int queue_enter(struct td_ui *ui, void *st, const void *arg)
{
	struct queue *Q = st;
	td_query_init(&Q->q);
	td_vlist_engine(&Q->vl, ui->app, &Q->q);
	reload(ui, Q, false);
	return TD_OK;
}

static void queue_leave(struct td_ui *ui, void *st)
{
	struct queue *Q = st;
	td_vlist_free(&Q->vl);
}

/* Drawn: the cursor's row number after a refresh or a re-sort. */
static bool queue_idle(struct td_ui *ui, void *st)
{
	return td_vlist_settle(&((struct queue *)st)->vl);
}

/* Where the database cannot be watched, the main loop wakes up every
 * POLL_MS while the queue is on the stack, so that a change made at
 * another desk shows within a second all the same. */
const struct td_screen td_scr_queue = {
	.name = "queue",
	.size = sizeof(struct queue),
	.keys = &queue_keys,
	.mode = queue_mode,
	.poll_ms = POLL_MS,
	.enter = queue_enter,
	.leave = queue_leave,
	.draw = queue_draw,
	.act = queue_act,
	.resume = queue_resume,
	.idle = queue_idle,
};
