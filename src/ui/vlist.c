/* The one virtual-list widget: see vlist.h. */
#include "vlist.h"

#include "totemdesk/date.h"
#include "totemdesk/i18n.h"
#include "totemdesk/queue.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Fewest rows a fetch asks for: a page of 20 rows scrolls 6 pages
 * before the next one. */
#define PAGE_MIN 128

/* ---- the listing engine as a source ------------------------------------ */

static void engine_key(const void *row, char out[TD_VLIST_KEY])
{
	snprintf(out, TD_VLIST_KEY, "%s",
		 ((const struct td_queue_row *)row)->d.reference);
}

/* What a marked row showed: the dossier's version, which a bulk action
 * checks (issue 13 point 2). */
static int engine_tag(const void *row)
{
	return ((const struct td_queue_row *)row)->d.version;
}

static int engine_count(struct td_vlist *vl, long max, long *n, td_err *err)
{
	return td_app_queue_count(vl->app, vl->q, max, n, err);
}

static int engine_seek(struct td_vlist *vl, const char *anchor,
		       enum td_seek how, int limit, void *rows, int *n,
		       td_err *err)
{
	return td_app_queue_seek(vl->app, vl->q, anchor, how, limit, rows, n,
				 err);
}

static int engine_locate(struct td_vlist *vl, const char *anchor, long *pos,
			 td_err *err)
{
	return td_app_queue_locate(vl->app, vl->q, anchor, pos, err);
}

static const struct td_vlist_src engine_src = {
	.row_size = sizeof(struct td_queue_row),
	.key = engine_key,
	.tag = engine_tag,
	.count = engine_count,
	.seek = engine_seek,
	.locate = engine_locate,
};

void td_vlist_engine(struct td_vlist *vl, struct td_app *app,
		     const struct td_query *q)
{
	vl->src = &engine_src;
	vl->app = app;
	vl->q = q;
	vl->row_size = engine_src.row_size;
}

/* ---- cache ----------------------------------------------------------------- */

static unsigned char *slot(const struct td_vlist *vl, long i)
{
	return vl->cache + (size_t)(i - vl->off) * vl->row_size;
}

const void *td_vlist_row(const struct td_vlist *vl, long i)
{
	if (i < vl->off || i >= vl->off + vl->n || i >= vl->count)
		return NULL;
	return slot(vl, i);
}

static void key_of(const struct td_vlist *vl, const void *row,
		   char out[TD_VLIST_KEY])
{
	out[0] = '\0';
	if (!row)
		return;
	if (vl->src)
		vl->src->key(row, out);
	else if (vl->array_key)
		vl->array_key(row, out);
}

const void *td_vlist_cur(const struct td_vlist *vl)
{
	return td_vlist_row(vl, vl->sc.cur);
}

void td_vlist_cur_key(const struct td_vlist *vl, char out[TD_VLIST_KEY])
{
	key_of(vl, td_vlist_cur(vl), out);
}

static bool grow(struct td_vlist *vl, int want)
{
	if (want <= vl->cap)
		return true;
	unsigned char *c = realloc(vl->cache, (size_t)want * vl->row_size);
	if (!c) {
		td_err_set(&vl->err, TD_ENOMEM, "%s", _("Out of memory."));
		return false;
	}
	vl->cache = c;
	vl->cap = want;
	return true;
}

static int seek(struct td_vlist *vl, const char *anchor, enum td_seek how,
		int limit, void *rows, int *got)
{
	td_err err = { 0 };
	int rc = vl->src->seek(vl, anchor, how, limit, rows, got, &err);
	if (rc != TD_OK && rc != TD_ENOTFOUND)
		vl->err = err;
	return rc;
}

void td_vlist_ensure(struct td_vlist *vl, long first, int n)
{
	if (!vl->src)
		return;  /* an array: all there */
	if (first < 0)
		first = 0;
	if (first >= vl->count)
		return;
	long last = first + n > vl->count ? vl->count : first + n;
	if (first >= vl->off && last <= vl->off + vl->n)
		return;
	if (!grow(vl, 2 * n > PAGE_MIN ? 2 * n : PAGE_MIN))
		return;
	/* The anchor is copied: the fetch overwrites the cache. */
	char anchor[TD_VLIST_KEY] = "";
	bool before = false;
	int limit = vl->cap;
	/* A new list (search, filter): the first screen (twice over) only,
	 * so that a keystroke costs one screen of rows; scrolling on
	 * extends the cache by keyset from its edge. */
	if (vl->n == 0 && first == 0 && 2 * n < limit)
		limit = 2 * n;
	long start = first - vl->cap / 4, end = last + vl->cap / 4;
	if (start < 0)
		start = 0;
	if (vl->n > 0 && start > vl->off && start <= vl->off + vl->n) {
		/* Down: after the cached row just above the wanted ones,
		 * starting a little above them so that going back up does
		 * not fetch again at once. */
		key_of(vl, slot(vl, start - 1), anchor);
	} else if (vl->n > 0 && first < vl->off && end >= vl->off &&
		   end < vl->off + vl->n && end - vl->cap > 0) {
		/* Up: before the cached row just below. */
		key_of(vl, slot(vl, end), anchor);
		before = true;
		start = end - vl->cap;
	} else if (last == vl->count && !vl->more && start > 0) {
		/* The end (a capped count's end is not the list's): the
		 * last rows, backwards from the end. */
		before = true;
		limit = vl->count < vl->cap ? (int)vl->count : vl->cap;
		start = vl->count - limit;
	}
	int got = 0, rc;
	/* No row to seek from next to the wanted ones (a jump): from the
	 * top, page after page by keyset. */
	if (!anchor[0] && !before)
		start = 0;
	rc = seek(vl, anchor[0] ? anchor : NULL,
		  before ? TD_SEEK_BEFORE : TD_SEEK_AFTER, limit, vl->cache,
		  &got);
	while (rc == TD_OK && !anchor[0] && !before && got == limit &&
	       start + got <= first) {
		start += got;
		char from[TD_VLIST_KEY];
		key_of(vl, vl->cache + (size_t)(got - 1) * vl->row_size, from);
		rc = seek(vl, from, TD_SEEK_AFTER, limit, vl->cache, &got);
	}
	if (rc != TD_OK) {
		vl->n = 0;
		return;
	}
	/* Fewer rows before the anchor than its index says: the list
	 * changed meanwhile; they end just before it all the same. */
	vl->off = before ? start + limit - got : start;
	vl->n = got;
}

/* Put the row of key back under the cursor after a reload: the rows just
 * before it and from it on, by keyset in the (maybe new) order, at the
 * cursor's row number, which may have changed by as many rows as were
 * added or removed above it (counting the rows above costs as much as
 * reading them).  False when the key is no longer a row. */
static bool seek_cursor(struct td_vlist *vl, const char *key, int rows)
{
	int nb = 0, na = 0;
	if (!grow(vl, PAGE_MIN))
		return false;
	if (seek(vl, key, TD_SEEK_BEFORE, PAGE_MIN / 4, vl->cache, &nb) !=
		    TD_OK ||
	    seek(vl, key, TD_SEEK_AT, vl->cap - nb,
		 vl->cache + (size_t)nb * vl->row_size, &na) != TD_OK ||
	    na == 0) {
		vl->n = 0;
		return false;
	}
	long pos = vl->sc.cur;
	if (pos < nb)  /* more rows above it than before */
		pos = nb;
	if (pos >= vl->count)  /* fewer rows, or a capped count */
		pos = vl->count - 1;
	vl->off = pos - nb;
	vl->n = nb + na;
	/* A list seen from its top stays so: rows added above the
	 * cursor's show, the cursor moving down with its row. */
	if (vl->sc.top > 0 || pos >= rows)
		vl->sc.top += pos - vl->sc.cur;
	vl->sc.cur = pos;
	if (vl->src->locate)
		key_of(vl, slot(vl, pos), vl->settle);
	return true;
}

/* The count put off by a reload, up to its cap. */
static void count_capped(struct td_vlist *vl)
{
	long n = 0, max = vl->count_cap;
	td_err err = { 0 };
	vl->count_later = false;
	if (vl->src->count(vl, max + 1, &n, &err) != TD_OK) {
		vl->err = err;
		return;
	}
	vl->more = n == max + 1;
	vl->count = vl->sc.n = vl->more ? max : n;
}

bool td_vlist_settle(struct td_vlist *vl)
{
	char key[TD_VLIST_KEY];
	long pos = 0;
	td_err err = { 0 };

	if (vl->count_later && vl->src) {
		count_capped(vl);
		return true;
	}
	if (!vl->settle[0] || !vl->src || !vl->src->locate)
		return false;
	memcpy(key, vl->settle, sizeof key);
	vl->settle[0] = '\0';
	/* Still on that row (not moved meanwhile)? */
	char cur[TD_VLIST_KEY];
	td_vlist_cur_key(vl, cur);
	if (strcmp(cur, key) != 0 ||
	    vl->src->locate(vl, key, &pos, &err) != TD_OK)
		return false;
	if (pos >= vl->count && vl->more)
		td_vlist_count_all(vl);
	if (pos == vl->sc.cur || pos >= vl->count)
		return false;
	long d = pos - vl->sc.cur;
	vl->off += d;
	vl->sc.top += d;
	vl->sc.cur = pos;
	if (vl->sc.top < 0)
		vl->sc.top = 0;
	return true;
}

void td_vlist_reload(struct td_vlist *vl, int rows, bool keep, long max)
{
	/* The cursor's row, else the one after it, else the one before
	 * (the cursor's row may be gone): the first still there. */
	char keys[3][TD_VLIST_KEY] = { "", "", "" };
	long n = 0;

	if (!vl->src)
		return;
	if (keep) {
		key_of(vl, td_vlist_row(vl, vl->sc.cur), keys[0]);
		key_of(vl, td_vlist_row(vl, vl->sc.cur + 1), keys[1]);
		key_of(vl, td_vlist_row(vl, vl->sc.cur - 1), keys[2]);
	}
	vl->n = 0;
	vl->off = 0;
	vl->settle[0] = '\0';
	vl->count_later = false;
	td_err_clear(&vl->err);
	if (max > 0 && !keep) {
		/* A new capped list (a search typed): the first screen now,
		 * the count once it shows (td_vlist_settle), unless the first
		 * screen is all there is.  Meanwhile "more than" the rows
		 * read. */
		int got = 0;
		vl->sc.cur = vl->sc.top = 0;
		if (grow(vl, 2 * rows > PAGE_MIN ? 2 * rows : PAGE_MIN) &&
		    seek(vl, NULL, TD_SEEK_AFTER, 2 * rows, vl->cache, &got) ==
			    TD_OK) {
			vl->n = got;
			vl->count = vl->sc.n = got;
			vl->count_cap = max;
			vl->more = got == 2 * rows;
			vl->count_later = vl->more;
			return;
		}
		vl->n = 0;
	}
	if (vl->src->count(vl, max > 0 ? max + 1 : 0, &n, &vl->err) != TD_OK)
		n = 0;
	/* More than the cap only if the count stopped there: the most
	 * common lists are counted exactly at once, whatever the cap. */
	vl->more = max > 0 && n == max + 1;
	if (vl->more)
		n = max;
	vl->count = n;
	vl->count_cap = max;
	vl->sc.n = n;
	if (!keep)
		vl->sc.cur = vl->sc.top = 0;
	if (vl->sc.cur >= n)
		vl->sc.cur = n > 0 ? n - 1 : 0;
	/* The row after a row gone takes its place, the cursor's row
	 * number: the cursor stays where it was. */
	for (int k = 0; k < 3 && n > 0; k++) {
		if (k == 2 && vl->sc.cur > 0)
			vl->sc.cur--;  /* the one before, at its place */
		if (keys[k][0] && seek_cursor(vl, keys[k], rows))
			break;
	}
	td_scroll_key(&vl->sc, TD_A_NONE, rows, true);
}

void td_vlist_count_all(struct td_vlist *vl)
{
	td_err err = { 0 };
	long n = 0;
	if (!vl->more || !vl->src)
		return;
	vl->count_later = false;
	if (vl->src->count(vl, 0, &n, &err) != TD_OK) {
		vl->err = err;
		return;
	}
	vl->more = false;
	vl->count = n;
	vl->sc.n = n;
}

void td_vlist_set_array(struct td_vlist *vl, const void *v, long n, size_t size,
			void (*key)(const void *row, char out[TD_VLIST_KEY]),
			const char *keep)
{
	if (vl->src)
		free(vl->cache);
	vl->src = NULL;
	vl->cache = (unsigned char *)v;
	vl->row_size = size;
	vl->array_key = key;
	vl->off = 0;
	vl->n = vl->cap = (int)n;
	vl->count = vl->sc.n = n;
	vl->more = false;
	char k[TD_VLIST_KEY];
	for (long i = 0; keep && keep[0] && i < n; i++) {
		key(slot(vl, i), k);
		if (strcmp(k, keep) == 0) {
			vl->sc.cur = i;
			break;
		}
	}
	if (vl->sc.cur >= n)
		vl->sc.cur = n > 0 ? n - 1 : 0;
}

bool td_vlist_act(struct td_vlist *vl, enum td_action a, int rows)
{
	if (vl->count_later && vl->src)
		count_capped(vl);  /* a key before the list was counted */
	bool moved = td_scroll_key(&vl->sc, a, rows, true);
	/* The end of a capped list is not the end of the list. */
	if (moved && vl->more &&
	    (a == TD_A_BOTTOM || vl->sc.cur + rows >= vl->count)) {
		td_vlist_count_all(vl);
		if (a == TD_A_BOTTOM)
			td_scroll_key(&vl->sc, a, rows, true);
	}
	return moved;
}

/* ---- marks ------------------------------------------------------------------ */

static int mark_index(const struct td_vlist *vl, const char *key)
{
	for (int i = 0; i < vl->nmarks; i++)
		if (strcmp(vl->marks[i], key) == 0)
			return i;
	return -1;
}

bool td_vlist_marked(const struct td_vlist *vl, const char *key)
{
	return vl->nmarks && mark_index(vl, key) >= 0;
}

int td_vlist_mark(struct td_vlist *vl, const char *key, int tag)
{
	int i = mark_index(vl, key);
	if (i >= 0) {
		memmove(vl->marks[i], vl->marks[i + 1],
			(size_t)(vl->nmarks - i - 1) * sizeof vl->marks[0]);
		memmove(&vl->mark_tags[i], &vl->mark_tags[i + 1],
			(size_t)(vl->nmarks - i - 1) * sizeof vl->mark_tags[0]);
		vl->nmarks--;
		return TD_OK;
	}
	if (!vl->marks &&
	    !(vl->marks = calloc(TD_VLIST_MARK_MAX, sizeof vl->marks[0])))
		return TD_ENOMEM;
	if (!vl->mark_tags &&
	    !(vl->mark_tags = calloc(TD_VLIST_MARK_MAX,
				     sizeof vl->mark_tags[0])))
		return TD_ENOMEM;
	if (vl->nmarks == TD_VLIST_MARK_MAX)
		return TD_EINVAL;
	vl->mark_tags[vl->nmarks] = tag;
	snprintf(vl->marks[vl->nmarks++], TD_VLIST_KEY, "%s", key);
	return TD_OK;
}

void td_vlist_marks_keep(struct td_vlist *vl, const bool *keep,
			 const int *tags)
{
	int k = 0;
	for (int i = 0; i < vl->nmarks; i++) {
		if (!keep[i])
			continue;
		if (k != i)
			memcpy(vl->marks[k], vl->marks[i], sizeof vl->marks[0]);
		vl->mark_tags[k++] = tags[i];
	}
	vl->nmarks = k;
}

void td_vlist_marks_clear(struct td_vlist *vl)
{
	vl->nmarks = 0;
}

int td_vlist_mark_all(struct td_vlist *vl)
{
	char key[TD_VLIST_KEY];
	td_vlist_count_all(vl);
	if (vl->count > TD_VLIST_MARK_MAX)
		return TD_EINVAL;
	for (long i = 0; i < vl->count; i++) {
		const void *r = td_vlist_row(vl, i);
		if (!r) {
			td_vlist_ensure(vl, i, PAGE_MIN / 2);
			if (!(r = td_vlist_row(vl, i)))
				return vl->err.code ? vl->err.code : TD_EIO;
		}
		key_of(vl, r, key);
		if (!td_vlist_marked(vl, key)) {
			int rc = td_vlist_mark(vl, key,
					       vl->src && vl->src->tag
					       ? vl->src->tag(r) : 0);
			if (rc != TD_OK)
				return rc;
		}
	}
	return TD_OK;
}

/* ---- drawing ---------------------------------------------------------------- */

void td_vlist_draw(struct td_ui *ui, struct td_vlist *vl, int y0, int rows,
		   void (*row)(struct td_ui *ui, void *ctx, int y, long i,
			       const void *r, bool sel),
		   void *ctx)
{
	td_scroll_key(&vl->sc, TD_A_NONE, rows, true);
	td_vlist_ensure(vl, vl->sc.top, rows);
	for (int r = 0; r < rows; r++) {
		long i = vl->sc.top + r;
		row(ui, ctx, y0 + r, i, td_vlist_row(vl, i), i == vl->sc.cur);
	}
	ui->cur_y = y0 + (int)(vl->sc.cur - vl->sc.top);
	ui->cur_x = 0;
}

int td_vlist_fit(const struct td_ui *ui, const struct td_vlist *vl, int id,
		 void (*text)(const void *row, int id, const void *ctx,
			      char *out, size_t outsz),
		 const void *ctx)
{
	char buf[512];
	int w = 0;
	for (int i = 0; i < vl->n; i++) {
		text(vl->cache + (size_t)i * vl->row_size, id, ctx, buf,
		     sizeof buf);
		int c = td_ui_text_cols(ui, buf);
		if (c > w)
			w = c;
	}
	return w;
}

int td_vlist_layout(int width, int x0, int right,
		    const struct td_vcol_def *defs, int ndefs,
		    bool (*skip)(int id, const void *ctx), const void *ctx,
		    struct td_vcol *out)
{
	return td_vlist_layout_fit(width, x0, right, defs, ndefs, skip, ctx,
				   NULL, out);
}

int td_vlist_layout_fit(int width, int x0, int right,
			const struct td_vcol_def *defs, int ndefs,
			bool (*skip)(int id, const void *ctx), const void *ctx,
			const int *fitw, struct td_vcol *out)
{
	int n = 0, fixed = x0 + right, flex = 0, dw = 0;
	for (int i = 0; i < ndefs; i++) {
		const struct td_vcol_def *d = &defs[i];
		if (width < d->from || (d->until && width >= d->until) ||
		    (skip && skip(d->id, ctx)))
			continue;
		out[n].id = i;  /* the def's index until laid out */
		out[n].w = d->w;
		if (d->fit) {
			int w = fitw ? fitw[d->id] : d->min;
			if (fitw && w == 0)
				continue;  /* empty in every row */
			if (d->max && w > d->max)
				w = d->max;
			out[n].w = w < d->min ? d->min : w > 0 ? w : 1;
		}
		if (d->w < 0)
			out[n].w = dw ? dw : (dw = td_vlist_date_width());
		if (out[n].w)
			fixed += out[n].w;
		else
			flex++;
		fixed += n ? 1 : 0;
		n++;
	}
	int left = width - fixed, used = 0, x = x0;
	for (int i = 0; i < n; i++) {
		const struct td_vcol_def *d = &defs[out[i].id];
		if (out[i].w == 0 && !d->fit) {
			int w = --flex ? left * d->flex / 10 : left - used;
			if (d->max && w > d->max)
				w = d->max;
			if (w < d->min)
				w = d->min;
			used += w;
			out[i].w = w;
		}
		out[i].id = d->id;
		out[i].x = x;
		x += out[i].w + 1;
	}
	return n;
}

int td_vlist_date_width(void)
{
	char probe[16];
	return (int)td_date_show(td_app_today(), TD_DATE_NARROW, probe,
				 sizeof probe);
}

void td_vlist_free(struct td_vlist *vl)
{
	if (vl->src)
		free(vl->cache);
	free(vl->marks);
	free(vl->mark_tags);
	*vl = (struct td_vlist){ 0 };
}
