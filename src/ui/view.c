/* Scrollable read-only page: see view.h. */
#include "view.h"

#include "keymap.h"

#include <stdlib.h>
#include <string.h>

void td_view_add(struct td_view *v, const char *label, const char *text,
		 enum td_role role)
{
	if (v->oom)
		return;
	if (v->nitems == v->capitems) {
		int cap = v->capitems ? v->capitems * 2 : 32;
		struct td_view_item *n =
			realloc(v->items, (size_t)cap * sizeof *n);
		if (!n) {
			v->oom = true;
			return;
		}
		v->items = n;
		v->capitems = cap;
	}
	struct td_view_item *it = &v->items[v->nitems];
	it->label = label ? strdup(label) : NULL;
	it->text = strdup(text ? text : "");
	it->role = role;
	if ((label && !it->label) || !it->text) {
		free(it->label);
		free(it->text);
		v->oom = true;
		return;
	}
	v->nitems++;
	v->width = 0;
}

static void free_lines(struct td_view *v)
{
	for (int i = 0; i < v->nlines; i++)
		free(v->lines[i].text);
	v->nlines = 0;
}

struct wrap_ctx {
	struct td_view *v;
	int item;
	bool first;
};

static void add_line(const char *line, void *vctx)
{
	struct wrap_ctx *c = vctx;
	struct td_view *v = c->v;
	if (v->oom)
		return;
	if (v->nlines == v->caplines) {
		int cap = v->caplines ? v->caplines * 2 : 64;
		struct td_view_line *n =
			realloc(v->lines, (size_t)cap * sizeof *n);
		if (!n) {
			v->oom = true;
			return;
		}
		v->lines = n;
		v->caplines = cap;
	}
	char *t = strdup(line);
	if (!t) {
		v->oom = true;
		return;
	}
	v->lines[v->nlines++] = (struct td_view_line){ c->item, c->first, t };
	c->first = false;
}

static void rewrap(struct td_ui *ui, struct td_view *v, int width)
{
	free_lines(v);
	v->label_cols = 0;
	for (int i = 0; i < v->nitems; i++)
		if (v->items[i].label) {
			int w = td_ui_text_cols(ui, v->items[i].label);
			if (w > v->label_cols)
				v->label_cols = w;
		}
	if (v->label_cols > v->label_w || !v->fit_labels)
		v->label_cols = v->label_w;
	for (int i = 0; i < v->nitems; i++) {
		struct wrap_ctx c = { v, i, true };
		int w = v->items[i].label ? width - v->label_cols - 1 : width;
		td_ui_wrap(ui, v->items[i].text, w < 10 ? 10 : w, add_line,
			   &c);
	}
	v->width = width;
	v->sc.n = v->nlines;
}

int td_view_rows(const struct td_ui *ui)
{
	return td_ui_rows(ui, TD_UI_BODY, false);
}

void td_view_draw(struct td_ui *ui, struct td_view *v)
{
	int cols = getmaxx(ui->win);
	int rows = td_view_rows(ui);
	int y0 = TD_UI_BODY, y1 = y0 + rows - 1;

	if (v->width != cols - 2)
		rewrap(ui, v, cols - 2);
	for (long i = 0; v->anchor && i < v->nlines; i++)
		if (v->lines[i].item == v->anchor - 1) {
			v->sc.top = i;
			v->anchor = 0;
		}
	long maxtop = v->nlines > rows ? v->nlines - rows : 0;
	if (v->sc.top > maxtop)
		v->sc.top = maxtop;
	for (int r = 0; r < rows; r++) {
		long i = v->sc.top + r;
		int y = y0 + r;
		if (i >= v->nlines) {
			td_ui_put(ui, y, 0, cols, "", A_NORMAL, true);
			continue;
		}
		const struct td_view_line *l = &v->lines[i];
		const struct td_view_item *it = &v->items[l->item];
		attr_t a = td_ui_attr(ui, it->role);
		int x = 1;
		td_ui_put(ui, y, 0, 1, "", A_NORMAL, true);
		if (it->label) {
			td_ui_put(ui, y, x, v->label_cols + 1,
				  l->first ? it->label : "",
				  td_ui_attr(ui, TD_R_LABEL), true);
			x += v->label_cols + 1;
			a = td_ui_attr(ui, TD_R_NORMAL);
			if (it->role != TD_R_LABEL)
				a = td_ui_attr(ui, it->role);
		}
		/* The blanks after the text plain, whatever its role: a
		 * bold or reverse blank costs a byte on a vt100 where a plain
		 * one costs nothing on a cleared row. */
		int w = td_ui_put(ui, y, x, cols - x, l->text, a, false);
		td_ui_put(ui, y, x + w, cols - x - w, "", A_NORMAL, true);
	}
	/* Where there is more: "^" above, "v" below, on the row above the
	 * page (the title's), outside the rows that scroll (a marker inside
	 * them moved with every line scrolled and cost about 20 bytes a step
	 * on a vt100 to put back), two columns after the title: at the
	 * right end, the blanks before it had to be sent one by one where
	 * a longer title stood, instead of one "clear to the end". */
	char marks[3] = { v->sc.top > 0 ? '^' : ' ',
			  v->sc.top + rows < v->nlines ? 'v' : ' ', '\0' };
	int mx = ui->title_cols + 2;
	if (mx > cols - 2)
		mx = cols - 2;
	if (y0 > 0)
		td_ui_put(ui, y0 - 1, mx, 2, marks, td_ui_attr(ui, TD_R_HELP),
			  true);
	/* The cursor rests on the last row: where a line scrolled in is
	 * written, so no move back is sent after it. */
	ui->cur_y = y1;
	ui->cur_x = 0;
}

void td_view_show_item(struct td_view *v, int i)
{
	v->anchor = i >= 0 && i < v->nitems ? i + 1 : 0;
}

bool td_view_act(const struct td_ui *ui, struct td_view *v, enum td_action a)
{
	return td_scroll_key(&v->sc, a, td_view_rows(ui), false);
}

void td_view_free(struct td_view *v)
{
	free_lines(v);
	free(v->lines);
	for (int i = 0; i < v->nitems; i++) {
		free(v->items[i].label);
		free(v->items[i].text);
	}
	free(v->items);
	*v = (struct td_view){ 0 };
}
