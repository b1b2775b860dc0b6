/* The virtual-list widget (src/ui/vlist.c) over a source of a million
 * rows held in no memory at all: every row is its number, keyed
 * "k0000042", in ascending or descending order, some removed.  The
 * source counts what it is asked, so the tests hold the widget to
 * keyset paging: jumping to the end, scrolling, a re-sort and a refresh
 * 500,000 rows down read a few pages, never the rows above. */
#include "../../src/ui/vlist.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define N 1000000L
#define ROWS 20

struct row {
	char key[16];
	long v;
};

static struct {
	bool desc;
	long gone[8];
	int ngone;
	long added;        /* rows N.. N + added - 1 exist too */
	long seeks, rows_read, counts, locates;
} src;

static long total(void)
{
	return N + src.added;
}

static bool gone(long v)
{
	for (int i = 0; i < src.ngone; i++)
		if (src.gone[i] == v)
			return true;
	return false;
}

/* The value at step s from the start of the order. */
static long at(long s)
{
	return src.desc ? total() - 1 - s : s;
}

/* Steps of value v from the start of the order. */
static long step(long v)
{
	return src.desc ? total() - 1 - v : v;
}

static void fake_key(const void *r, char out[TD_VLIST_KEY])
{
	snprintf(out, TD_VLIST_KEY, "%s", ((const struct row *)r)->key);
}

static int fake_count(struct td_vlist *vl, long max, long *n, td_err *err)
{
	src.counts++;
	*n = total() - src.ngone;
	if (max > 0 && *n > max)
		*n = max;
	return TD_OK;
}

static void put(struct row *r, long v)
{
	snprintf(r->key, sizeof r->key, "k%07ld", v);
	r->v = v;
}

static int fake_seek(struct td_vlist *vl, const char *anchor, enum td_seek how,
		     int limit, void *rows, int *n, td_err *err)
{
	struct row *out = rows;
	long s;
	int got = 0;

	src.seeks++;
	*n = 0;
	if (anchor) {
		long v = strtol(anchor + 1, NULL, 10);
		if (gone(v) || v >= total())
			return TD_ENOTFOUND;
		s = step(v);
	} else {
		s = how == TD_SEEK_BEFORE ? total() : -1;
	}
	if (how == TD_SEEK_BEFORE) {
		/* The limit rows before, in the list's order. */
		long k = s - 1;
		struct row tmp[1024];
		assert_true(limit <= 1024);
		while (k >= 0 && got < limit) {
			if (!gone(at(k)))
				put(&tmp[got++], at(k));
			k--;
		}
		for (int i = 0; i < got; i++)
			out[i] = tmp[got - 1 - i];
	} else {
		long k = how == TD_SEEK_AT ? s : s + 1;
		for (; k < total() && got < limit; k++)
			if (!gone(at(k)))
				put(&out[got++], at(k));
	}
	*n = got;
	src.rows_read += got;
	return TD_OK;
}

static int fake_locate(struct td_vlist *vl, const char *anchor, long *pos,
		       td_err *err)
{
	long v = strtol(anchor + 1, NULL, 10), s = step(v);
	src.locates++;
	*pos = s;
	for (int i = 0; i < src.ngone; i++)
		if (step(src.gone[i]) < s)
			(*pos)--;
	return TD_OK;
}

static const struct td_vlist_src fake = {
	.row_size = sizeof(struct row),
	.key = fake_key,
	.count = fake_count,
	.seek = fake_seek,
	.locate = fake_locate,
};

static void open_list(struct td_vlist *vl)
{
	memset(&src, 0, sizeof src);
	*vl = (struct td_vlist){ .src = &fake, .row_size = sizeof(struct row) };
	td_vlist_reload(vl, ROWS, false, 0);
}

static long value_at(const struct td_vlist *vl, long i)
{
	const struct row *r = td_vlist_row(vl, i);
	assert_non_null(r);
	return r->v;
}

static long cur_value(const struct td_vlist *vl)
{
	const struct row *r = td_vlist_cur(vl);
	assert_non_null(r);
	return r->v;
}

/* What a draw does: the visible rows read. */
static void show(struct td_vlist *vl)
{
	td_scroll_key(&vl->sc, TD_A_NONE, ROWS, true);
	td_vlist_ensure(vl, vl->sc.top, ROWS);
	for (long i = vl->sc.top; i < vl->sc.top + ROWS && i < vl->count; i++)
		assert_non_null(td_vlist_row(vl, i));
}

static void pages_by_keyset(void **state)
{
	struct td_vlist vl;
	open_list(&vl);
	assert_int_equal(vl.count, N);
	show(&vl);
	/* A new list reads its first screen (twice over) only. */
	assert_int_equal(src.seeks, 1);
	assert_int_equal(src.rows_read, 2 * ROWS);
	assert_int_equal(value_at(&vl, 0), 0);

	/* Paging down 100 pages reads about the rows shown, no more. */
	for (int i = 0; i < 100; i++) {
		td_vlist_act(&vl, TD_A_PGDN, ROWS);
		show(&vl);
	}
	long shown = vl.sc.top + ROWS;
	assert_true(src.rows_read < 2 * shown + 256);
	assert_int_equal(cur_value(&vl), vl.sc.cur);

	/* End: backwards from the end, one read, not the rows between. */
	long before = src.rows_read;
	td_vlist_act(&vl, TD_A_BOTTOM, ROWS);
	show(&vl);
	assert_int_equal(vl.sc.cur, N - 1);
	assert_int_equal(cur_value(&vl), N - 1);
	assert_true(src.rows_read - before <= 256);
	/* Back up a few pages from the end: by keyset before the cache. */
	for (int i = 0; i < 20; i++) {
		td_vlist_act(&vl, TD_A_PGUP, ROWS);
		show(&vl);
		assert_int_equal(value_at(&vl, vl.sc.top), vl.sc.top);
	}
	assert_true(src.rows_read - before < 2000);
	/* Home: the top again. */
	td_vlist_act(&vl, TD_A_TOP, ROWS);
	show(&vl);
	assert_int_equal(cur_value(&vl), 0);
	td_vlist_free(&vl);
}

/* Reach row 500,000 the way a user does: End, then a re-sort puts the
 * row at the top; here a half-way row by setting the cursor from a
 * re-sort of the row in the middle. */
static void to_middle(struct td_vlist *vl)
{
	td_vlist_act(vl, TD_A_BOTTOM, ROWS);
	show(vl);
	/* The middle by keyset from the end: reversed, row N-1 is row 0,
	 * so seek at the value N/2 through a reload that keeps it. */
	vl->sc.cur = vl->sc.top = N / 2;
	vl->n = 0;
	td_vlist_ensure(vl, N / 2 - 64, 128);  /* pages from the top: slow */
}

static void refresh_far_down_keeps_cursor(void **state)
{
	struct td_vlist vl;
	open_list(&vl);
	to_middle(&vl);
	show(&vl);
	assert_int_equal(cur_value(&vl), N / 2);

	/* A live refresh 500,000 rows down: a count and two seeks at the
	 * cursor's row; the same row, the same row number. */
	long seeks = src.seeks, read = src.rows_read;
	td_vlist_reload(&vl, ROWS, true, 0);
	show(&vl);
	assert_int_equal(vl.sc.cur, N / 2);
	assert_int_equal(cur_value(&vl), N / 2);
	assert_true(src.seeks - seeks <= 3);
	assert_true(src.rows_read - read <= 256);

	/* Rows removed above it: the cursor stays on its row; its number
	 * follows once drawn (td_vlist_settle), without reading rows. */
	src.gone[src.ngone++] = 10;
	src.gone[src.ngone++] = 20;
	td_vlist_reload(&vl, ROWS, true, 0);
	show(&vl);
	assert_int_equal(cur_value(&vl), N / 2);
	read = src.rows_read;
	assert_true(td_vlist_settle(&vl));
	assert_int_equal(vl.sc.cur, N / 2 - 2);
	assert_int_equal(cur_value(&vl), N / 2);
	show(&vl);
	assert_int_equal(value_at(&vl, vl.sc.top), vl.sc.top + 2);
	assert_true(src.rows_read - read <= 256);
	assert_false(td_vlist_settle(&vl));  /* once */

	/* The cursor's row itself removed: the next one takes its place,
	 * at the same row number. */
	long at_row = vl.sc.cur;
	src.gone[src.ngone++] = N / 2;
	td_vlist_reload(&vl, ROWS, true, 0);
	show(&vl);
	assert_int_equal(vl.sc.cur, at_row);
	assert_int_equal(cur_value(&vl), N / 2 + 1);
	td_vlist_free(&vl);
}

static void resort_keeps_row_in_view(void **state)
{
	struct td_vlist vl;
	open_list(&vl);
	to_middle(&vl);
	td_vlist_act(&vl, TD_A_DOWN, ROWS);
	show(&vl);
	long v = cur_value(&vl);
	assert_int_equal(v, N / 2 + 1);

	/* Reversed: the row stays under the cursor at once... */
	src.desc = true;
	long seeks = src.seeks;
	td_vlist_reload(&vl, ROWS, true, 0);
	show(&vl);
	assert_int_equal(cur_value(&vl), v);
	assert_true(vl.sc.cur >= vl.sc.top && vl.sc.cur < vl.sc.top + ROWS);
	assert_true(src.seeks - seeks <= 3);
	/* ...its number after the draw. */
	assert_true(td_vlist_settle(&vl));
	assert_int_equal(vl.sc.cur, N - 1 - v);
	show(&vl);
	assert_int_equal(cur_value(&vl), v);
	/* And the rows around it are the new order's. */
	td_vlist_act(&vl, TD_A_DOWN, ROWS);
	show(&vl);
	assert_int_equal(cur_value(&vl), v - 1);
	td_vlist_act(&vl, TD_A_PGUP, ROWS);
	show(&vl);
	assert_int_equal(cur_value(&vl), N - 1 - vl.sc.cur);
	td_vlist_free(&vl);
}

static void capped_count_counts_at_the_end(void **state)
{
	struct td_vlist vl;
	memset(&src, 0, sizeof src);
	vl = (struct td_vlist){ .src = &fake, .row_size = sizeof(struct row) };
	td_vlist_reload(&vl, ROWS, false, 1000);
	/* A new capped list (a search typed): its first screen at once,
	 * no count before it shows... */
	assert_int_equal(src.counts, 0);
	assert_int_equal(src.seeks, 1);
	assert_true(vl.more);
	assert_int_equal(vl.count, 2 * ROWS);
	show(&vl);
	assert_int_equal(src.seeks, 1);
	/* ...counted once drawn, up to the cap. */
	assert_true(td_vlist_settle(&vl));
	assert_int_equal(src.counts, 1);
	assert_true(vl.more);
	assert_int_equal(vl.count, 1000);
	assert_false(td_vlist_settle(&vl));
	td_vlist_act(&vl, TD_A_BOTTOM, ROWS);
	assert_false(vl.more);
	assert_int_equal(vl.count, N);
	assert_int_equal(vl.sc.cur, N - 1);
	show(&vl);
	assert_int_equal(cur_value(&vl), N - 1);
	td_vlist_free(&vl);

	/* A search with fewer matches than two screens: exact at once,
	 * nothing left to count. */
	memset(&src, 0, sizeof src);
	src.added = 25 - N;  /* 25 rows */
	vl = (struct td_vlist){ .src = &fake, .row_size = sizeof(struct row) };
	td_vlist_reload(&vl, ROWS, false, 1000);
	assert_int_equal(src.counts, 0);
	assert_false(vl.more);
	assert_int_equal(vl.count, 25);
	assert_false(td_vlist_settle(&vl));
	assert_int_equal(src.counts, 0);
	td_vlist_free(&vl);
}

static void marks_by_key(void **state)
{
	struct td_vlist vl;
	open_list(&vl);
	show(&vl);
	assert_int_equal(td_vlist_mark(&vl, "k0000003", 0), TD_OK);
	assert_true(td_vlist_marked(&vl, "k0000003"));
	assert_false(td_vlist_marked(&vl, "k0000004"));
	/* Marks survive a re-sort: they are keys, not row numbers. */
	src.desc = true;
	td_vlist_reload(&vl, ROWS, false, 0);
	assert_true(td_vlist_marked(&vl, "k0000003"));
	assert_int_equal(td_vlist_mark(&vl, "k0000003", 0), TD_OK);  /* off */
	assert_int_equal(vl.nmarks, 0);
	/* Too many to mark all: nothing marked. */
	assert_int_equal(td_vlist_mark_all(&vl), TD_EINVAL);
	assert_int_equal(vl.nmarks, 0);
	td_vlist_free(&vl);

	/* A short list: every row, then the limit. */
	open_list(&vl);
	for (int i = 0; i < TD_VLIST_MARK_MAX; i++) {
		char k[TD_VLIST_KEY];
		snprintf(k, sizeof k, "x%d", i);
		assert_int_equal(td_vlist_mark(&vl, k, 0), TD_OK);
	}
	assert_int_equal(td_vlist_mark(&vl, "one-more", 0), TD_EINVAL);
	td_vlist_marks_clear(&vl);
	assert_int_equal(vl.nmarks, 0);
	td_vlist_free(&vl);
}

static void array_keeps_cursor_by_key(void **state)
{
	struct row a[50], b[50];
	struct td_vlist vl = { 0 };
	for (int i = 0; i < 50; i++) {
		put(&a[i], i);
		put(&b[i], 49 - i);
	}
	td_vlist_set_array(&vl, a, 50, sizeof a[0], fake_key, NULL);
	assert_int_equal(vl.count, 50);
	for (int i = 0; i < 7; i++)
		td_vlist_act(&vl, TD_A_DOWN, ROWS);
	char key[TD_VLIST_KEY];
	td_vlist_cur_key(&vl, key);
	assert_string_equal(key, "k0000007");
	/* The same rows in another order: the cursor follows its row. */
	td_vlist_set_array(&vl, b, 50, sizeof b[0], fake_key, key);
	assert_int_equal(vl.sc.cur, 42);
	assert_int_equal(cur_value(&vl), 7);
	/* A shorter list without it: the cursor stays in range. */
	td_vlist_set_array(&vl, a, 5, sizeof a[0], fake_key, "k0000049");
	assert_int_equal(vl.sc.cur, 4);
	assert_null(td_vlist_row(&vl, 5));
	td_vlist_free(&vl);
}

/* Columns in display columns, the shared ones splitting what is left. */
static void layout_by_columns(void **state)
{
	enum { A, B, C, D };
	const struct td_vcol_def defs[] = {
		{ .id = A, .w = 14 },
		{ .id = B, .flex = 4, .min = 6 },
		{ .id = C, .from = 120, .flex = 6, .min = 6 },
		{ .id = D, .w = 10, .until = 100 },
	};
	struct td_vcol c[4];
	int n = td_vlist_layout(80, 3, 1, defs, 4, NULL, NULL, c);
	assert_int_equal(n, 3);
	assert_int_equal(c[0].x, 3);
	assert_int_equal(c[1].x, 18);
	/* 80 - 3 - 1 - 14 - 10 - 2 blanks */
	assert_int_equal(c[1].w, 50);
	assert_int_equal(c[2].id, D);
	assert_int_equal(c[2].x + c[2].w, 79);
	n = td_vlist_layout(200, 3, 1, defs, 4, NULL, NULL, c);
	assert_int_equal(n, 3);
	assert_int_equal(c[1].w + c[2].w, 200 - 3 - 1 - 14 - 2);
	assert_int_equal(c[1].w, (200 - 3 - 1 - 14 - 2) * 4 / 10);
	assert_int_equal(c[2].x + c[2].w, 199);

	/* A cell is cut and padded by display columns, never bytes:
	 * "Épinal" is 6 columns in 7 bytes, a CJK character 2 columns. */
	struct td_ui ui = { .utf8 = true };
	char out[64];
	td_ui_fit(&ui, "Épinal", 8, out, sizeof out);
	assert_string_equal(out, "Épinal  ");
	td_ui_fit(&ui, "東京東京", 5, out, sizeof out);
	assert_int_equal(td_ui_text_cols(&ui, out), 5);
	assert_string_equal(out, "東京 ");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(pages_by_keyset),
		cmocka_unit_test(refresh_far_down_keeps_cursor),
		cmocka_unit_test(resort_keeps_row_in_view),
		cmocka_unit_test(capped_count_counts_at_the_end),
		cmocka_unit_test(marks_by_key),
		cmocka_unit_test(array_keeps_cursor_by_key),
		cmocka_unit_test(layout_by_columns),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
