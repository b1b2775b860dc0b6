/* One-line prompt and chooser widgets (see prompt.h). */
#include "prompt.h"

#include "totemdesk/i18n.h"

#include <stdio.h>
#include <string.h>

const struct td_keyctx td_prompt_keys = {
	.ctx = { TD_KC_EDIT, TD_KC_PROMPT, TD_KC_GLOBAL },
	.text = true,
	.hints = { TD_A_PROMPT_OK, TD_A_PROMPT_CANCEL, TD_A_HELP },
};

const struct td_keyctx td_chooser_keys = {
	.ctx = { TD_KC_CHOOSER, TD_KC_LIST, TD_KC_GLOBAL },
	.hints = { TD_A_OPEN, TD_A_BACK, TD_A_HELP },
};

void td_prompt_open(struct td_prompt *p, int tag, const char *label,
		    const char *init, size_t max_cp, size_t max_bytes)
{
	p->active = true;
	p->tag = tag;
	snprintf(p->label, sizeof p->label, "%s", label);
	if (!max_bytes || max_bytes > sizeof p->text - 1)
		max_bytes = sizeof p->text - 1;
	td_edit_init(&p->ed, max_cp, max_bytes);
	td_edit_set(&p->ed, init);
	td_edit_get(&p->ed, p->text, sizeof p->text);
}

int td_prompt_act(struct td_prompt *p, enum td_action a,
		  const struct td_key *k, bool *changed)
{
	*changed = false;
	if (a == TD_A_PROMPT_OK) {
		p->active = false;
		return 1;
	}
	if (a == TD_A_PROMPT_CANCEL) {
		p->active = false;
		return -1;
	}
	if (td_edit_act(&p->ed, a, k) == TD_EDIT_CHANGED) {
		td_edit_get(&p->ed, p->text, sizeof p->text);
		*changed = true;
	}
	return 0;
}

void td_prompt_draw(struct td_ui *ui, struct td_prompt *p, int y)
{
	int width = getmaxx(ui->win);
	char lab[200];

	/* TRANSLATORS: a prompt's label before what is typed ("Note: "). */
	snprintf(lab, sizeof lab, _("%s: "), p->label);
	int lw = td_ui_put(ui, y, 0, width, lab, td_ui_attr(ui, TD_R_LABEL),
			   false);
	attr_t fa = td_ui_attr(ui, TD_R_FIELD_FOCUS);
	ui->cur_x = td_edit_draw(ui, &p->ed, y, lw, width - lw, fa, fa);
	ui->cur_y = y;
	ui->cursor_on = true;
}

void td_chooser_open(struct td_chooser *c, int tag, const char *title)
{
	memset(c, 0, sizeof *c);
	c->active = true;
	c->tag = tag;
	snprintf(c->title, sizeof c->title, "%s", title);
}

void td_chooser_add(struct td_chooser *c, const char *text)
{
	if (c->n < TD_CHOOSER_MAX)
		snprintf(c->items[c->n++], sizeof c->items[0], "%s", text);
}

int td_chooser_act(struct td_chooser *c, enum td_action a)
{
	if (a >= TD_A_CHOOSE_1 && a <= TD_A_CHOOSE_9) {
		int i = (int)(a - TD_A_CHOOSE_1);
		if (i >= c->n)
			return 0;
		c->cur = i;
		c->active = false;
		return 1;
	}
	switch (a) {
	case TD_A_UP:
		if (c->cur > 0)
			c->cur--;
		return 0;
	case TD_A_DOWN:
		if (c->cur + 1 < c->n)
			c->cur++;
		return 0;
	case TD_A_TOP:
		c->cur = 0;
		return 0;
	case TD_A_BOTTOM:
		c->cur = c->n > 0 ? c->n - 1 : 0;
		return 0;
	case TD_A_OPEN:
		c->active = false;
		return c->n > 0 ? 1 : -1;
	case TD_A_BACK:
		c->active = false;
		return -1;
	default:
		return 0;
	}
}

void td_chooser_draw(struct td_ui *ui, const struct td_chooser *c, int y0,
		     int y1)
{
	int width = getmaxx(ui->win);
	char line[200];
	td_ui_put(ui, y0, 0, width, c->title, td_ui_attr(ui, TD_R_TITLE), true);
	int rows = y1 - y0;
	int top = c->cur >= rows ? c->cur - rows + 1 : 0;
	for (int r = 0; r < rows; r++) {
		int i = top + r;
		bool sel = i == c->cur;
		attr_t a = td_ui_attr(ui, sel ? TD_R_SELECTED : TD_R_NORMAL);
		if (i >= c->n) {
			td_ui_put(ui, y0 + 1 + r, 0, width, "", A_NORMAL, true);
			continue;
		}
		if (i < 9)
			snprintf(line, sizeof line, "%s %d  %s", sel ? ">" : " ",
				 i + 1, c->items[i]);
		else
			snprintf(line, sizeof line, "%s    %s", sel ? ">" : " ",
				 c->items[i]);
		td_ui_put(ui, y0 + 1 + r, 0, width, line, a, true);
	}
	ui->cur_y = y0 + 1 + (c->cur - top);
	ui->cur_x = 0;
}
