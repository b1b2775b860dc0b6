/* The one virtual-list widget of the screens: the queue, today's
 * intakes, the agenda and the partners are each a td_vlist.
 *
 * It owns what every long list needs: the scroll state (top row,
 * selected row, rows in all), a cache of the rows around the visible
 * ones fetched by keyset from a source (the listing engine, or an array
 * already in memory), the cursor kept on the same row (by its key)
 * across a refresh, a re-sort or a new filter, marks (by key), and the
 * column layout (display columns, never bytes).  A screen supplies its
 * source, draws one row (td_vlist_draw calls it for every visible row),
 * and sends it the list keys (td_vlist_act).
 *
 * Keyset only, never OFFSET: scrolling extends the cache from the
 * cached row at its edge; the end of the list (End) is read backwards
 * from its end; a refresh or a re-sort seeks at the cursor's row in the
 * (maybe new) order.  Only a jump with no cached row near it (a refresh
 * whose row is gone, far down) pages from the top, by keyset too. */
#ifndef TD_UI_VLIST_H
#define TD_UI_VLIST_H

#include "tui.h"

#include "totemdesk/error.h"
#include "totemdesk/query.h"

#include <stdbool.h>
#include <stddef.h>

/* Longest key of a row (a dossier reference, a partner id, ...). */
#define TD_VLIST_KEY 64
/* Most rows marked at once. */
#define TD_VLIST_MARK_MAX 5000

struct td_vlist;

/* Where the rows come from.  count: *n = min(rows, max), max <= 0 all;
 * seek: up to limit rows next to the row of key anchor (NULL: the first
 * rows, or with TD_SEEK_BEFORE the last ones), written row_size bytes
 * each to rows; key: a row's stable key into out; tag (may be NULL):
 * what a row shows that a mark keeps (the listing engine: the dossier's
 * version, which a bulk action checks); locate (may be NULL):
 * *pos = the row number of the row of key anchor (it counts the rows
 * above: called only once the list is drawn, td_vlist_settle). */
struct td_vlist_src {
	size_t row_size;
	void (*key)(const void *row, char out[TD_VLIST_KEY]);
	int (*tag)(const void *row);
	int (*count)(struct td_vlist *vl, long max, long *n, td_err *err);
	int (*seek)(struct td_vlist *vl, const char *anchor, enum td_seek how,
		    int limit, void *rows, int *n, td_err *err);
	int (*locate)(struct td_vlist *vl, const char *anchor, long *pos,
		      td_err *err);
};

struct td_vlist {
	const struct td_vlist_src *src;  /* NULL: an array (td_vlist_set_array) */
	void *ctx;                       /* the source's */
	struct td_app *app;              /* the listing engine's source */
	const struct td_query *q;
	struct td_scroll sc;
	long count;
	bool more;         /* count capped: more rows than count */
	long count_cap;    /* the cap of the last reload (0: none) */
	unsigned char *cache;  /* owned, unless an array */
	int cap, n;        /* rows the cache holds, rows in it */
	long off;          /* list index of cache[0] */
	size_t row_size;
	void (*array_key)(const void *row, char out[TD_VLIST_KEY]);
	char (*marks)[TD_VLIST_KEY];
	int *mark_tags;    /* mark_tags[i]: the tag of marks[i] when marked */
	int nmarks;
	char settle[TD_VLIST_KEY];  /* the cursor's row, its number unsure */
	bool count_later;  /* count once drawn (td_vlist_settle) */
	td_err err;        /* the last failure (err.code != 0) */
};

/* The listing engine's rows (struct td_queue_row) for query q, as the
 * app lets the user see them (td_app_queue_count / td_app_queue_seek);
 * q is read at every fetch, so a changed filter needs only a reload. */
void td_vlist_engine(struct td_vlist *vl, struct td_app *app,
		     const struct td_query *q);

/* Count the rows again and drop the cache.  keep: the cursor stays on
 * the row it was on (sought by key in the new order, at about the same
 * row number), else it goes to the top.  max > 0 caps the count near
 * the top of the list (vl->more: there are more; reaching the end counts
 * them all); a new list so capped (keep false: a search typed) reads its
 * first screen only, and is counted once drawn (td_vlist_settle):
 * meanwhile its count is the rows read, vl->more when there may be
 * more. */
void td_vlist_reload(struct td_vlist *vl, int rows, bool keep, long max);

/* Rows already in memory, n of size bytes at v (not copied: valid until
 * the next call): the cursor goes to the row of key keep (NULL: the one
 * it was on, found by key; not found: the same row number). */
void td_vlist_set_array(struct td_vlist *vl, const void *v, long n, size_t size,
			void (*key)(const void *row, char out[TD_VLIST_KEY]),
			const char *keep);

/* Make rows [first, first + n) readable (fetched if need be). */
void td_vlist_ensure(struct td_vlist *vl, long first, int n);

/* Row i, NULL when not cached or past the end. */
const void *td_vlist_row(const struct td_vlist *vl, long i);

/* The selected row, NULL when none; its key into out ("" when none). */
const void *td_vlist_cur(const struct td_vlist *vl);
void td_vlist_cur_key(const struct td_vlist *vl, char out[TD_VLIST_KEY]);

/* A list key (keymap.h: up, down, pages, top, bottom) for a view of rows
 * rows; true if it moved.  Reaching the end of a capped count counts
 * every row first. */
bool td_vlist_act(struct td_vlist *vl, enum td_action a, int rows);

/* Work put off until the list is drawn (a screen's idle): the count of
 * a new capped list; after a reload that kept the cursor, its row
 * number, until then the old one (the rows around it are right, the
 * number may be off by the rows added or removed above it, or all
 * wrong after a re-sort).  True when something changed (draw again). */
bool td_vlist_settle(struct td_vlist *vl);

/* Count every row of a capped count. */
void td_vlist_count_all(struct td_vlist *vl);

/* Marks, by key, each with the tag of its row when marked (src->tag):
 * toggle (TD_ENOMEM, or TD_EINVAL past TD_VLIST_MARK_MAX), ask, mark
 * every row of the list (TD_EINVAL when it holds more than
 * TD_VLIST_MARK_MAX: nothing marked), clear. */
int td_vlist_mark(struct td_vlist *vl, const char *key, int tag);
bool td_vlist_marked(const struct td_vlist *vl, const char *key);
int td_vlist_mark_all(struct td_vlist *vl);
void td_vlist_marks_clear(struct td_vlist *vl);

/* Keep mark i (in vl->marks' order) when keep[i], its tag now tags[i];
 * drop the others. */
void td_vlist_marks_keep(struct td_vlist *vl, const bool *keep,
			 const int *tags);

/* Draw rows rows from screen row y0: ensures the visible rows are
 * cached, then row(ui, ctx, y, i, the row or NULL past the end or when
 * unreadable, selected) for each; the terminal cursor rests on the
 * selected row. */
void td_vlist_draw(struct td_ui *ui, struct td_vlist *vl, int y0, int rows,
		   void (*row)(struct td_ui *ui, void *ctx, int y, long i,
			       const void *r, bool sel),
		   void *ctx);

/* Column layout.  A column of w display columns (w 0: it shares what
 * is left, flex tenths of it, the last shared column taking the rest;
 * w < 0: the width of a date as shown, td_vlist_date_width), shown from
 * a terminal width of from columns on and below until (0: any), a shared
 * column kept between min and max (0: no most) columns. */
struct td_vcol_def {
	int id, w, from, until, flex, min, max;
	/* Fitted: as wide as its widest text in the rows measured
	 * (td_vlist_fit), kept between min and max (0: no most); left out
	 * when every one is empty, its room going to the shared columns. */
	bool fit;
};

struct td_vcol {
	int id, x, w;
};

/* Lay out ndefs columns over width display columns from column x0, one
 * blank between columns and right blanks after the last; leave those
 * not shown at this width and those skip(id, ctx) says to (skip may be
 * NULL).  Returns how many are in out (ndefs at most). */
int td_vlist_layout(int width, int x0, int right,
		    const struct td_vcol_def *defs, int ndefs,
		    bool (*skip)(int id, const void *ctx), const void *ctx,
		    struct td_vcol *out);

/* The same with fitted columns: fitw[id] the widest text of column id
 * (td_vlist_fit); NULL: fitted columns take their min. */
int td_vlist_layout_fit(int width, int x0, int right,
			const struct td_vcol_def *defs, int ndefs,
			bool (*skip)(int id, const void *ctx), const void *ctx,
			const int *fitw, struct td_vcol *out);

/* The widest text, in display columns, that text(row, id, ctx) gives for
 * the rows in memory: a screen measures them once per load of its list
 * (not per page: scrolling must never move a column, which would
 * repaint every row). */
int td_vlist_fit(const struct td_ui *ui, const struct td_vlist *vl, int id,
		 void (*text)(const void *row, int id, const void *ctx,
			      char *out, size_t outsz),
		 const void *ctx);

/* Width in display columns of a date as the list shows it. */
int td_vlist_date_width(void);

void td_vlist_free(struct td_vlist *vl);

#endif
