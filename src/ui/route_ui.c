/* One-line prompt and key hints for the routing screens: see route_ui.h. */
#include "route_ui.h"

#include "totemdesk/i18n.h"
#include "totemdesk/text.h"

#include <stdio.h>
#include <string.h>

void rt_prompt_text(struct rt_prompt *p, int kind, const char *label,
		    const char *init, size_t max_chars)
{
	memset(p, 0, sizeof *p);
	p->active = true;
	p->kind = kind;
	p->max_chars = max_chars ? max_chars : sizeof p->buf / 4;
	snprintf(p->label, sizeof p->label, "%s", label);
	td_text_clean(init ? init : "", init ? strlen(init) : 0, p->buf,
		      sizeof p->buf, p->max_chars, false);
}

void rt_prompt_choice(struct rt_prompt *p, int kind, const char *label,
		      const int *values, const char *const *labels, int n)
{
	memset(p, 0, sizeof *p);
	p->active = true;
	p->kind = kind;
	snprintf(p->label, sizeof p->label, "%s", label);
	if (n > RT_CHOICES_MAX)
		n = RT_CHOICES_MAX;
	for (int i = 0; i < n; i++) {
		p->choices[i] = values[i];
		p->clabels[i] = labels[i];
	}
	p->nchoices = n;
}

int rt_prompt_key(struct rt_prompt *p, const struct td_key *k)
{
	struct td_key n = td_key_normalize(*k);
	if (!n.fn && n.code == 13) {
		p->active = false;
		return RT_P_DONE;
	}
	if (!n.fn && n.code == 27) {
		p->active = false;
		return RT_P_CANCEL;
	}
	if (p->nchoices > 0) {
		bool fwd = (n.fn && (n.code == KEY_RIGHT || n.code == KEY_DOWN)) ||
			   (!n.fn && (n.code == ' ' || n.code == 9 ||
				      n.code == 14));
		bool back = (n.fn && (n.code == KEY_LEFT || n.code == KEY_UP ||
				      n.code == KEY_BTAB)) ||
			    (!n.fn && n.code == 16);
		if (fwd)
			p->cur = (p->cur + 1) % p->nchoices;
		else if (back)
			p->cur = (p->cur + p->nchoices - 1) % p->nchoices;
		return RT_P_MORE;
	}
	size_t len = strlen(p->buf);
	if (n.fn && n.code == KEY_BACKSPACE) {
		/* Back over a whole UTF-8 sequence. */
		while (len > 0 && ((unsigned char)p->buf[len - 1] & 0xc0) == 0x80)
			len--;
		if (len > 0)
			len--;
		p->buf[len] = '\0';
		return RT_P_MORE;
	}
	if (!n.fn && n.code == 21) { /* ^U */
		p->buf[0] = '\0';
		return RT_P_MORE;
	}
	if (!n.fn && n.code >= ' ' && td_cp_printable(n.code) &&
	    td_utf8_count(p->buf) < p->max_chars) {
		char enc[4];
		int w = td_utf8_encode(n.code, enc);
		if (w > 0 && len + (size_t)w < sizeof p->buf) {
			memcpy(p->buf + len, enc, (size_t)w);
			p->buf[len + (size_t)w] = '\0';
		}
	}
	return RT_P_MORE;
}

void rt_prompt_draw(struct td_ui *ui, const struct rt_prompt *p, int y)
{
	int cols = getmaxx(ui->win);
	char line[1400];
	if (p->nchoices > 0) {
		size_t o = (size_t)snprintf(line, sizeof line, "%s ", p->label);
		for (int i = 0; i < p->nchoices && o < sizeof line; i++)
			o += (size_t)snprintf(line + o, sizeof line - o,
					      i == p->cur ? " [%s]" : "  %s ",
					      p->clabels[i]);
		td_ui_put(ui, y, 0, cols, line, td_ui_attr(ui, TD_R_FIELD_FOCUS),
			  true);
		ui->cur_y = y;
		ui->cur_x = 0;
		return;
	}
	int lw = td_ui_put(ui, y, 0, cols, p->label, td_ui_attr(ui, TD_R_LABEL),
			   false);
	int x = lw + 1;
	int w = cols - x - 1;
	const char *s = p->buf;
	/* Keep the end of a long text (where the cursor is) in view. */
	while (w > 0 && td_ui_text_cols(ui, s) >= w && *s) {
		s++;
		while ((*s & 0xc0) == 0x80)
			s++;
	}
	td_ui_put(ui, y, lw, 1, " ", A_NORMAL, true);
	int tw = td_ui_put(ui, y, x, cols - x, s,
			   td_ui_attr(ui, TD_R_FIELD_FOCUS), true);
	ui->cur_y = y;
	ui->cur_x = x + tw;
	ui->cursor_on = true;
}

void rt_hints(struct td_ui *ui, const enum td_action *acts, int n)
{
	int y = getmaxy(ui->win) - 1;
	int cols = getmaxx(ui->win);
	char line[512], keys[64];
	size_t o = 0;

	if (ui->flash[0]) {
		td_ui_put(ui, y, 0, cols, ui->flash,
			  td_ui_attr(ui, ui->flash_error ? TD_R_ERROR
							 : TD_R_STATUS), true);
		return;
	}
	line[0] = '\0';
	for (int i = 0; i < n; i++) {
		td_keymap_display(acts[i], 1, true, keys, sizeof keys);
		if (!keys[0])
			continue;
		int w = snprintf(line + o, sizeof line - o, "%s%s %s",
				 o ? "  " : "", keys, _(td_keydefs[acts[i]].label));
		if (w < 0 || (size_t)w >= sizeof line - o)
			break;
		o += (size_t)w;
	}
	td_ui_put(ui, y, 0, cols, line, td_ui_attr(ui, TD_R_STATUS), true);
}

void rt_code_labels(const char *list, const struct td_enum *e, char *out,
		    size_t outsz)
{
	size_t o = 0;

	if (outsz == 0)
		return;
	out[0] = '\0';
	for (const char *p = list ? list : ""; *p;) {
		size_t n = strcspn(p, "|");
		char code[64];
		if (n > 0 && n < sizeof code) {
			memcpy(code, p, n);
			code[n] = '\0';
			int i = td_enum_find(e, code);
			/* A code this program does not know (a newer
			 * directory) still shows, as it is. */
			const char *shown = i >= 0 ? td_enum_label(e, i) : code;
			int w = snprintf(out + o, outsz - o, "%s%s",
					 o ? ", " : "", shown);
			if (w < 0 || (size_t)w >= outsz - o)
				break;
			o += (size_t)w;
		}
		p += n;
		if (*p == '|')
			p++;
	}
}
