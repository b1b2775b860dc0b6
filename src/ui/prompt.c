/* One-line prompt and chooser widgets (see prompt.h). */
#include "prompt.h"
#include "keymap.h"

#include "totemdesk/i18n.h"
#include "totemdesk/text.h"

#include <stdio.h>
#include <string.h>

void td_prompt_open(struct td_prompt *p, int tag, const char *label,
		    const char *init, size_t max_cp)
{
	memset(p, 0, sizeof *p);
	p->active = true;
	p->tag = tag;
	p->max_cp = max_cp ? max_cp : TD_PROMPT_MAX / 4;
	snprintf(p->label, sizeof p->label, "%s", label);
	snprintf(p->buf, sizeof p->buf, "%s", init ? init : "");
	p->len = p->cur = strlen(p->buf);
}

static size_t prev_char(const char *s, size_t i)
{
	while (i > 0 && ((unsigned char)s[--i] & 0xc0) == 0x80)
		;
	return i;
}

static size_t next_char(const char *s, size_t len, size_t i)
{
	if (i < len)
		i++;
	while (i < len && ((unsigned char)s[i] & 0xc0) == 0x80)
		i++;
	return i;
}

int td_prompt_key(struct td_prompt *p, const struct td_key *k, bool *changed)
{
	enum td_action a = td_keymap_lookup(TD_KC_EDIT, *k);
	size_t j;

	*changed = false;
	if (!k->fn && k->code == 13) {
		p->active = false;
		return 1;
	}
	if (!k->fn && k->code == 27) {
		p->active = false;
		return -1;
	}
	switch (a) {
	case TD_A_LEFT:
		p->cur = prev_char(p->buf, p->cur);
		return 0;
	case TD_A_RIGHT:
		p->cur = next_char(p->buf, p->len, p->cur);
		return 0;
	case TD_A_BOL:
		p->cur = 0;
		return 0;
	case TD_A_EOL:
		p->cur = p->len;
		return 0;
	case TD_A_BACKSPACE:
		if (p->cur == 0)
			return 0;
		j = prev_char(p->buf, p->cur);
		memmove(p->buf + j, p->buf + p->cur, p->len - p->cur + 1);
		p->len -= p->cur - j;
		p->cur = j;
		*changed = true;
		return 0;
	case TD_A_DELETE:
		if (p->cur == p->len)
			return 0;
		j = next_char(p->buf, p->len, p->cur);
		memmove(p->buf + p->cur, p->buf + j, p->len - j + 1);
		p->len -= j - p->cur;
		*changed = true;
		return 0;
	case TD_A_KILL:
		p->buf[p->cur] = '\0';
		p->len = p->cur;
		*changed = true;
		return 0;
	case TD_A_CLEAR:
		p->buf[0] = '\0';
		p->len = p->cur = 0;
		*changed = true;
		return 0;
	default:
		break;
	}
	if (k->fn || !td_cp_printable(k->code))
		return 0;
	char enc[4];
	int n = td_utf8_encode(k->code, enc);
	if (n <= 0 || p->len + (size_t)n >= sizeof p->buf ||
	    td_utf8_count(p->buf) >= p->max_cp)
		return 0;
	memmove(p->buf + p->cur + n, p->buf + p->cur, p->len - p->cur + 1);
	memcpy(p->buf + p->cur, enc, (size_t)n);
	p->len += (size_t)n;
	p->cur += (size_t)n;
	*changed = true;
	return 0;
}

void td_prompt_draw(struct td_ui *ui, const struct td_prompt *p, int y)
{
	int width = getmaxx(ui->win);
	char lab[160], before[TD_PROMPT_MAX];
	attr_t fa = td_ui_attr(ui, TD_R_FIELD_FOCUS);

	snprintf(lab, sizeof lab, "%s: ", p->label);
	int lw = td_ui_put(ui, y, 0, width, lab, td_ui_attr(ui, TD_R_LABEL),
			   false);
	int fw = width - lw - 1;
	/* Keep the cursor in view: show the end of long text. */
	memcpy(before, p->buf, p->cur);
	before[p->cur] = '\0';
	int cw = td_ui_text_cols(ui, before);
	const char *show = p->buf;
	while (cw >= fw && *show) {
		size_t k = next_char(show, strlen(show), 0);
		char one[8] = { 0 };
		memcpy(one, show, k);
		cw -= td_ui_text_cols(ui, one);
		show += k;
	}
	td_ui_put(ui, y, lw, fw + 1, show, fa, true);
	ui->cursor_on = true;
	ui->cur_y = y;
	ui->cur_x = lw + cw;
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

int td_chooser_key(struct td_chooser *c, const struct td_key *k)
{
	enum td_action a = td_keymap_lookup(TD_KC_LIST, *k);
	if (!k->fn && k->code >= '1' && k->code <= '9') {
		int i = (int)(k->code - '1');
		if (i < c->n) {
			c->cur = i;
			c->active = false;
			return 1;
		}
		return 0;
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
