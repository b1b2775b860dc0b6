/* A read-only, scrollable page of "label  text" items (the help, a
 * dossier's or a partner's detail, statistics, an import's preview),
 * drawn in the body of the window: items are kept as given and wrapped
 * again whenever the width changes. */
#ifndef TD_UI_VIEW_H
#define TD_UI_VIEW_H

#include "tui.h"

struct td_view_item {
	char *label;       /* may be NULL: the text uses the whole width */
	char *text;
	enum td_role role;
};

struct td_view_line {
	int item;          /* index of the item it comes from */
	bool first;        /* first line of the item: shows the label */
	char *text;
};

struct td_view {
	struct td_view_item *items;
	int nitems, capitems;
	struct td_view_line *lines;
	int nlines, caplines;
	int width;         /* width the lines were wrapped for, 0 = none */
	int label_w;       /* columns of the label column, at most */
	/* The label column drawn (set by rewrap): label_w, or with
	 * fit_labels as wide as the longest label up to label_w (the
	 * pages of a dossier or a partner: each blank of padding is a byte
	 * on a vt100; issue 10). */
	int label_cols;
	bool fit_labels;
	struct td_scroll sc;
	int anchor;        /* item + 1 to bring to the top at the next draw */
	bool oom;
};

/* Append an item (strings are copied). */
void td_view_add(struct td_view *v, const char *label, const char *text,
		 enum td_role role);

/* Scroll so that item i is the first row at the next draw (its lines
 * are known once wrapped for the width). */
void td_view_show_item(struct td_view *v, int i);

/* Draw the page: the body of the window, from under the title
 * (TD_UI_BODY) to the row above the status line. */
void td_view_draw(struct td_ui *ui, struct td_view *v);

/* Rows of the page. */
int td_view_rows(const struct td_ui *ui);

/* Scroll actions (list context) on the page; true if used. */
bool td_view_act(const struct td_ui *ui, struct td_view *v, enum td_action a);

void td_view_free(struct td_view *v);

#endif
