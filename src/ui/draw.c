/* Everything that puts text on the screen goes through td_ui_put: text
 * from the database is untrusted (escape sequences, controls), the locale
 * may not be UTF-8 (LANG=C on a vt100 shows "Epinal", not mojibake), and
 * a column budget must hold for wide characters too.  Colours are chosen
 * by role here and nowhere else. */
#include "keymap.h"
#include "tui.h"

#include "totemdesk/date.h"
#include "totemdesk/domain.h"
#include "totemdesk/i18n.h"
#include "totemdesk/text.h"
#include "totemdesk/timefmt.h"
#include "totemdesk/vec.h"

#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

int td_ui_cp_cols(const struct td_ui *ui, uint32_t cp)
{
	if (ui->utf8)
		return td_cp_width(cp);
	char a[8];
	return (int)td_cp_ascii(cp, a);
}

/* Clean and convert s into a buffer the caller frees when it is not buf. */
static char *prepare(const char *s, char *buf, size_t bufsz, size_t *outlen)
{
	size_t len = strlen(s);
	size_t need = len + 1;
	char *out = need <= bufsz ? buf : malloc(need);

	if (!out) {
		*outlen = 0;
		return NULL;
	}
	*outlen = td_text_clean(s, len, out, need, 0, false);
	return out;
}

int td_ui_put(struct td_ui *ui, int y, int x, int width, const char *s,
	      attr_t attr, bool pad)
{
	char buf[1024];
	char obuf[1024];
	size_t len;
	int col = 0;

	if (width <= 0 || y < 0 || x < 0)
		return 0;
	char *txt = prepare(s ? s : "", buf, sizeof buf, &len);
	wattr_set(ui->win, attr, PAIR_NUMBER((int)attr), NULL);
	wmove(ui->win, y, x);
	if (txt) {
		size_t o = 0;
		for (size_t i = 0; i < len;) {
			uint32_t cp;
			int n = td_utf8_decode(txt + i, len - i, &cp);
			if (n <= 0) {
				i++;
				continue;
			}
			char piece[8];
			size_t plen;
			int w;
			if (ui->utf8) {
				memcpy(piece, txt + i, (size_t)n);
				plen = (size_t)n;
				w = td_cp_width(cp);
				/* A combining mark needs a base character
				 * before it on the screen. */
				if (w == 0 && col == 0)
					goto next;
			} else {
				plen = td_cp_ascii(cp, piece);
				w = (int)plen;
			}
			if (col + w > width)
				break;
			if (o + plen >= sizeof obuf) {
				waddnstr(ui->win, obuf, (int)o);
				o = 0;
			}
			memcpy(obuf + o, piece, plen);
			o += plen;
			col += w;
next:
			i += (size_t)n;
		}
		if (o)
			waddnstr(ui->win, obuf, (int)o);
		if (txt != buf)
			free(txt);
	}
	if (pad) {
		/* Pad one cell at a time: waddnstr at the bottom-right cell
		 * fails without harm but would stop a longer string. */
		for (int c = col; c < width; c++)
			waddch(ui->win, ' ');
	}
	wattr_set(ui->win, A_NORMAL, 0, NULL);
	return col;
}

int td_ui_text_cols(const struct td_ui *ui, const char *s)
{
	char buf[1024];
	size_t len;
	int cols = 0;
	char *txt = prepare(s, buf, sizeof buf, &len);

	if (!txt)
		return 0;
	for (size_t i = 0; i < len;) {
		uint32_t cp;
		int n = td_utf8_decode(txt + i, len - i, &cp);
		if (n <= 0) {
			i++;
			continue;
		}
		cols += td_ui_cp_cols(ui, cp);
		i += (size_t)n;
	}
	if (txt != buf)
		free(txt);
	return cols;
}

char *td_ui_fit(const struct td_ui *ui, const char *s, int width, char *out,
		size_t outsz)
{
	size_t o = 0;
	int col = 0;

	if (outsz == 0)
		return out;
	for (size_t i = 0, len = strlen(s ? s : ""); i < len;) {
		uint32_t cp;
		int n = td_utf8_decode(s + i, len - i, &cp);
		if (n <= 0) {
			i++;
			continue;
		}
		int w = td_ui_cp_cols(ui, cp);
		/* Controls are dropped on display (td_text_clean), and so is
		 * a combining mark with no character before it. */
		bool shown = cp >= 0x20 && (cp < 0x7f || cp >= 0xa0) &&
			     (w > 0 || col > 0);
		if (shown && (col + w > width || o + (size_t)n >= outsz))
			break;
		if (shown) {
			memcpy(out + o, s + i, (size_t)n);
			o += (size_t)n;
			col += w;
		}
		i += (size_t)n;
	}
	while (col < width && o + 1 < outsz) {
		out[o++] = ' ';
		col++;
	}
	out[o] = '\0';
	return out;
}

char *td_ui_fit_ends(const struct td_ui *ui, const char *s, int width,
		     char *out, size_t outsz)
{
	char head[512];
	size_t len = strlen(s ? s : "");

	if (outsz == 0)
		return out;
	if (width < 12 || td_ui_text_cols(ui, s) <= width) {
		/* td_ui_put cuts what a narrow column cannot hold. */
		snprintf(out, outsz, "%s", s ? s : "");
		return out;
	}
	int tail_w = (width - 3) / 2 + 2;
	/* The tail: characters from the end while they fit, then from the
	 * first word boundary in it. */
	size_t t = len;
	int col = 0;
	while (t > 0) {
		size_t b = t - 1;
		while (b > 0 && ((unsigned char)s[b] & 0xc0) == 0x80)
			b--;
		uint32_t cp;
		int n = td_utf8_decode(s + b, t - b, &cp);
		int w = n > 0 ? td_ui_cp_cols(ui, cp) : 0;
		if (col + w > tail_w)
			break;
		col += w;
		t = b;
	}
	/* A tail starting inside a word: the whole word if it is a few
	 * letters longer, else from the next word when little is lost. */
	if (t > 0 && s[t - 1] != ' ') {
		size_t b = t;
		while (b > 0 && s[b - 1] != ' ')
			b--;
		const char *sp = memchr(s + t, ' ', len - t);
		if (b > 0 && t - b <= 6)
			t = b;
		else if (sp && sp - (s + t) <= 4 && sp + 1 < s + len)
			t = (size_t)(sp + 1 - s);
	}
	/* The head: what the tail leaves. */
	td_ui_fit(ui, s, width - 3 - td_ui_text_cols(ui, s + t), head,
		  sizeof head);
	size_t h = strlen(head);
	while (h > 0 && head[h - 1] == ' ')
		h--;
	head[h] = '\0';
	snprintf(out, outsz, "%s...%s", head, s + t);
	return out;
}

/* The roles, defined once: colour pair colours and the attribute used
 * when there is no colour at all (vt100, NO_COLOR, --no-color). */
static const struct {
	short fg, bg;
	attr_t color_attr;
	attr_t mono;
} roles[TD_R_COUNT] = {
	[TD_R_NORMAL] = { -1, -1, A_NORMAL, A_NORMAL },
	[TD_R_TITLE] = { COLOR_YELLOW, -1, A_BOLD, A_BOLD },
	[TD_R_HEADER] = { COLOR_WHITE, COLOR_BLUE, A_BOLD, A_REVERSE },
	[TD_R_LABEL] = { -1, -1, A_NORMAL, A_NORMAL },
	[TD_R_FIELD] = { COLOR_CYAN, -1, A_UNDERLINE, A_UNDERLINE },
	[TD_R_FIELD_FOCUS] = { COLOR_BLACK, COLOR_CYAN, A_NORMAL, A_REVERSE },
	[TD_R_REQUIRED] = { COLOR_YELLOW, -1, A_BOLD, A_NORMAL },
	[TD_R_ERROR] = { COLOR_RED, -1, A_BOLD, A_BOLD },
	[TD_R_HELP] = { COLOR_GREEN, -1, A_NORMAL, A_NORMAL },
	[TD_R_SELECTED] = { COLOR_BLACK, COLOR_CYAN, A_NORMAL, A_REVERSE },
	[TD_R_STATUS] = { COLOR_BLACK, COLOR_WHITE, A_NORMAL, A_REVERSE },
	[TD_R_OVERDUE] = { COLOR_MAGENTA, -1, A_BOLD, A_BOLD },
	[TD_R_DEMO] = { COLOR_WHITE, COLOR_RED, A_BOLD, A_BOLD | A_REVERSE },
	/* Plain without colour: the free part of the field stays in
	 * reverse, and a typed character costs one byte on a vt100. */
	[TD_R_FIELD_INPUT] = { COLOR_BLACK, COLOR_CYAN, A_NORMAL, A_NORMAL },
	/* Underlined like the other fields without colour: moving the focus
	 * then repaints no blank cells (59 bytes a field on a vt100, which
	 * has no erase-characters); the '>' marker and the cursor show it. */
	[TD_R_FIELD_FREE] = { COLOR_BLACK, COLOR_CYAN, A_NORMAL, A_UNDERLINE },
	/* Long lists (today's intakes, the queue): without colour the '>'
	 * marker alone shows the selected row, as mutt's arrow_cursor does
	 * for slow lines: a step down rewrites two cells, not two rows, and
	 * a row scrolled in needs no attribute change (issue 6). */
	[TD_R_CURRENT] = { COLOR_BLACK, COLOR_CYAN, A_NORMAL, A_NORMAL },
	/* The form without colour: typed text plain and blanks underlined
	 * whether the field has the focus or not, a focused choice as the
	 * others: the '>' marker and the cursor show the focus, and moving
	 * it repaints no cell of any field (issue 6). */
	[TD_R_FIELD_TEXT] = { COLOR_CYAN, -1, A_UNDERLINE, A_NORMAL },
	[TD_R_FORM_FOCUS] = { COLOR_BLACK, COLOR_CYAN, A_NORMAL, A_UNDERLINE },
};

void td_ui_theme_init(struct td_ui *ui)
{
	if (!ui->color)
		return;
	if (start_color() == ERR || COLOR_PAIRS < TD_R_COUNT) {
		ui->color = false;
		return;
	}
	bool dflt = use_default_colors() == OK;
	for (int r = 1; r < TD_R_COUNT; r++) {
		short fg = roles[r].fg, bg = roles[r].bg;
		if (!dflt) {
			if (fg < 0)
				fg = COLOR_WHITE;
			if (bg < 0)
				bg = COLOR_BLACK;
		}
		init_pair((short)r, fg, bg);
	}
}

attr_t td_ui_attr(const struct td_ui *ui, enum td_role r)
{
	if ((unsigned)r >= TD_R_COUNT)
		return A_NORMAL;
	if (!ui->color)
		return roles[r].mono;
	if (r == TD_R_NORMAL)
		return A_NORMAL;
	return COLOR_PAIR(r) | roles[r].color_attr;
}

void td_ui_draw_header(struct td_ui *ui)
{
	const struct td_app *app = ui->app;
	const struct td_site_cfg *site = td_app_site(app);
	const struct td_user_cfg *me = td_app_me(app);
	const char *dot = ui->utf8 ? " \xc2\xb7 " : " - ";
	const char *bar = ui->utf8 ? " \xe2\x94\x82 " : " | ";
	char date[32] = "";
	char who[160];
	char line[512];
	attr_t a = td_ui_attr(ui, TD_R_HEADER);

	td_date_show(td_app_today(), 0, date, sizeof date);
	if (me)
		snprintf(who, sizeof who, "%s, %s", me->name,
			 td_app_role_label(app));
	else
		snprintf(who, sizeof who, "%s", td_app_login(app));
	if (site)
		snprintf(line, sizeof line, " %s%s%s (%s)%s%s%s%s", site->totem,
			 dot, site->name, site->code, bar, who, bar, date);
	else
		snprintf(line, sizeof line, " %s%s%s", who, bar, date);

	int cols = getmaxx(ui->win);
	int demo_w = 0;
	char demo[64] = "";
	if (td_app_demo(app)) {
		/* TRANSLATORS: header marker of a --demo session, in
		 * capitals (French: DÉMO). */
		snprintf(demo, sizeof demo, " %s ", _("DEMO"));
		demo_w = td_ui_text_cols(ui, demo);
		if (demo_w > cols / 2)
			demo_w = 0;
	}
	td_ui_put(ui, 0, 0, cols - demo_w, line, a, true);
	if (demo_w)
		td_ui_put(ui, 0, cols - demo_w, demo_w, demo,
			  td_ui_attr(ui, TD_R_DEMO), true);
}

void td_ui_draw_title(struct td_ui *ui, const char *title)
{
	int cols = getmaxx(ui->win);
	/* The blanks after it plain: a shorter title over a longer one is
	 * then one "clear to the end" on a vt100, not a bold blank sent
	 * for each cell. */
	ui->title_cols = td_ui_put(ui, 1, 0, cols, title,
				   td_ui_attr(ui, TD_R_TITLE), false);
	td_ui_put(ui, 1, ui->title_cols, cols - ui->title_cols, "", A_NORMAL,
		  true);
}

/* Key hints ("k label  k label ...") too wide for cols lose whole items
 * from the end, except the last one (F1 Help, which lists the others):
 * never half a key name at the edge of an 80-column screen. */
static char *last_hint(char *h)
{
	char *p = strrchr(h, '\0');
	while (p > h && !(p[0] == ' ' && p[1] == ' '))
		p--;
	return p > h ? p : NULL;
}

static void fit_hints(const struct td_ui *ui, char *h, int cols)
{
	char tail[128];
	char *sep;

	if (td_ui_text_cols(ui, h) <= cols || !(sep = last_hint(h)) ||
	    strlen(sep) >= sizeof tail)
		return;
	strcpy(tail, sep);
	*sep = '\0';
	while (td_ui_text_cols(ui, h) + td_ui_text_cols(ui, tail) > cols &&
	       (sep = last_hint(h)))
		*sep = '\0';
	strcat(h, tail);  /* h only shrank: the tail fits where it was */
}

void td_ui_draw_message(struct td_ui *ui, const char *text,
			enum td_role role)
{
	/* Too wide: the main loop shows it whole over the rows above. */
	if (text && td_ui_text_cols(ui, text) > getmaxx(ui->win)) {
		ui->long_msg = text;
		ui->long_role = role;
	}
	/* Blank, it is drawn in the error attribute all the same: ncurses
	 * then tells it from the blank row a list scroll brings in and keeps
	 * it out of the scrolling region (one cursor move less per row
	 * scrolled on a vt100). */
	td_ui_put(ui, getmaxy(ui->win) - 2, 0, getmaxx(ui->win), text,
		  td_ui_attr(ui, text && *text ? role : TD_R_ERROR), true);
}

void td_ui_draw_status(struct td_ui *ui, const struct td_keyctx *kc)
{
	int y = getmaxy(ui->win) - 1;
	int cols = getmaxx(ui->win);

	if (ui->flash[0]) {
		td_ui_put(ui, y, 0, cols, ui->flash,
			  td_ui_attr(ui, ui->flash_error ? TD_R_ERROR
							 : TD_R_STATUS),
			  true);
		return;
	}
	char hints[512];
	td_keymap_hints(kc, hints, sizeof hints);
	fit_hints(ui, hints, cols);
	/* In reverse as far as the hints go, the rest plain: another
	 * screen's shorter hints are then one "clear to the end" on a vt100
	 * where reverse blanks were sent one by one (up to 60 bytes). */
	int w = td_ui_put(ui, y, 0, cols, hints, td_ui_attr(ui, TD_R_STATUS),
			  false);
	td_ui_put(ui, y, w, cols - w, "", A_NORMAL, true);
}

int td_ui_rows(const struct td_ui *ui, int top, bool message)
{
	int r = getmaxy(ui->win) - top - (message ? 2 : 1);
	return r > 1 ? r : 1;
}

void td_ui_code_labels(const char *list, const struct td_enum *e, char *out,
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

int td_ui_wrap(struct td_ui *ui, const char *s, int width,
	       void (*cb)(const char *line, void *ctx), void *ctx)
{
	char buf[1024];
	size_t len;
	int lines = 0;

	if (width < 1)
		width = 1;
	/* allow_newlines: paragraphs of a note stay paragraphs. */
	size_t inlen = strlen(s);
	char *txt = inlen + 1 <= sizeof buf ? buf : malloc(inlen + 1);
	if (!txt)
		return 0;
	len = td_text_clean(s, inlen, txt, inlen + 1, 0, true);
	char *line = malloc(len * 8 + 8);
	if (!line) {
		if (txt != buf)
			free(txt);
		return 0;
	}

	size_t i = 0;
	for (;;) {
		/* One display line from i: remember the last space. */
		size_t o = 0, brk_o = 0, brk_i = 0;
		int col = 0;
		size_t j = i;
		bool nl = false;
		while (j < len) {
			uint32_t cp;
			int n = td_utf8_decode(txt + j, len - j, &cp);
			if (n <= 0) {
				j++;
				continue;
			}
			if (cp == '\n' || cp == '\r') {
				nl = true;
				j += (size_t)n;
				break;
			}
			char piece[8];
			size_t plen;
			if (ui->utf8) {
				memcpy(piece, txt + j, (size_t)n);
				plen = (size_t)n;
			} else {
				plen = td_cp_ascii(cp, piece);
			}
			int w = td_ui_cp_cols(ui, cp);
			if (col + w > width && col > 0) {
				/* Full line ending right before a space. */
				if (cp == ' ') {
					brk_o = o;
					brk_i = j + 1;
				}
				break;
			}
			if (cp == ' ') {
				brk_o = o;
				brk_i = j + 1;
			}
			memcpy(line + o, piece, plen);
			o += plen;
			col += w;
			j += (size_t)n;
		}
		if (!nl && j < len && brk_i > i) {
			o = brk_o;
			j = brk_i;
		}
		line[o] = '\0';
		cb(line, ctx);
		lines++;
		i = j;
		if (i >= len && !nl)
			break;
		if (i >= len && nl) {
			/* A trailing newline ends the text, no empty line. */
			break;
		}
	}
	free(line);
	if (txt != buf)
		free(txt);
	return lines;
}

void td_ui_local_time(const struct td_ui *ui, const char *iso, bool with_date,
		      char *out, size_t outsz)
{
	td_date_show_stamp(iso, with_date ? TD_DATE_WITH_TIME
					  : TD_DATE_TIME_ONLY, out, outsz);
}

void td_lines_add(struct td_lines *l, const char *s)
{
	if (l->oom)
		return;
	char *c = strdup(s);
	if (!c || td_vec_push(&l->v, &l->n, &l->cap, sizeof c, &c, 64)) {
		free(c);
		l->oom = true;
	}
}

void td_lines_free(struct td_lines *l)
{
	for (int i = 0; i < l->n; i++)
		free(l->v[i]);
	free(l->v);
	*l = (struct td_lines){ 0 };
}

bool td_scroll_key(struct td_scroll *s, enum td_action action, int rows,
		   bool select)
{
	long last = s->n > 0 ? s->n - 1 : 0;
	bool moved = true;

	if (rows < 1)
		rows = 1;
	long maxtop = s->n > rows ? s->n - rows : 0;
	if (!select) {
		/* Read-only view: the keys move the window. */
		switch (action) {
		case TD_A_UP:
			s->top--;
			break;
		case TD_A_DOWN:
			s->top++;
			break;
		case TD_A_PGUP:
			s->top -= rows - 1 > 0 ? rows - 1 : 1;
			break;
		case TD_A_PGDN:
			s->top += rows - 1 > 0 ? rows - 1 : 1;
			break;
		case TD_A_TOP:
			s->top = 0;
			break;
		case TD_A_BOTTOM:
			s->top = maxtop;
			break;
		default:
			moved = false;
			break;
		}
		if (s->top > maxtop)
			s->top = maxtop;
		if (s->top < 0)
			s->top = 0;
		return moved;
	}
	switch (action) {
	case TD_A_UP:
		s->cur--;
		break;
	case TD_A_DOWN:
		s->cur++;
		break;
	case TD_A_PGUP:
		s->cur -= rows;
		s->top -= rows;
		break;
	case TD_A_PGDN:
		s->cur += rows;
		s->top += rows;
		break;
	case TD_A_TOP:
		s->cur = 0;
		break;
	case TD_A_BOTTOM:
		s->cur = last;
		break;
	default:
		moved = false;
		break;
	}
	if (s->cur > last)
		s->cur = last;
	if (s->cur < 0)
		s->cur = 0;
	if (s->top > maxtop)
		s->top = maxtop;
	if (s->top < 0)
		s->top = 0;
	if (s->cur < s->top)
		s->top = s->cur;
	if (s->cur >= s->top + rows)
		s->top = s->cur - rows + 1;
	return moved;
}
