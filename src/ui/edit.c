/* The line editor (see edit.h). */
#include "edit.h"

#include "totemdesk/text.h"

#include <string.h>

static size_t cp_bytes(uint32_t cp)
{
	return cp < 0x80 ? 1 : cp < 0x800 ? 2 : cp < 0x10000 ? 3 : 4;
}

void td_edit_init(struct td_edit *e, size_t max_chars, size_t max_bytes)
{
	e->len = e->cur = e->scroll = e->bytes = 0;
	e->max = max_chars && max_chars < TD_EDIT_MAX ? max_chars : TD_EDIT_MAX;
	e->maxbytes = max_bytes ? max_bytes : 4 * TD_EDIT_MAX;
}

static bool room_for(const struct td_edit *e, uint32_t cp)
{
	return e->len < e->max && e->bytes + cp_bytes(cp) <= e->maxbytes;
}

void td_edit_set(struct td_edit *e, const char *s)
{
	size_t n = s ? strlen(s) : 0;

	e->len = e->cur = e->scroll = e->bytes = 0;
	for (size_t i = 0; i < n;) {
		uint32_t cp;
		int used = td_utf8_decode(s + i, n - i, &cp);
		if (used <= 0) {
			i++;
			continue;
		}
		i += (size_t)used;
		if (!td_cp_printable(cp) || cp < ' ')
			continue;
		if (!room_for(e, cp))
			break;
		e->cp[e->len++] = cp;
		e->bytes += cp_bytes(cp);
	}
	e->cur = e->len;
}

size_t td_edit_get(const struct td_edit *e, char *out, size_t outsz)
{
	size_t o = 0;

	if (outsz == 0)
		return 0;
	for (size_t i = 0; i < e->len; i++) {
		char b[4];
		int n = td_utf8_encode(e->cp[i], b);
		if (n <= 0)
			continue;
		if (o + (size_t)n >= outsz)
			break;
		memcpy(out + o, b, (size_t)n);
		o += (size_t)n;
	}
	out[o] = '\0';
	return o;
}

static void delete_at(struct td_edit *e, size_t i)
{
	e->bytes -= cp_bytes(e->cp[i]);
	memmove(e->cp + i, e->cp + i + 1, (e->len - i - 1) * sizeof *e->cp);
	e->len--;
	if (e->cur > i)
		e->cur--;
}

enum td_edit_rc td_edit_act(struct td_edit *e, enum td_action a,
			    const struct td_key *k)
{
	switch (a) {
	case TD_A_LEFT:
		if (e->cur > 0)
			e->cur--;
		return TD_EDIT_MOVED;
	case TD_A_RIGHT:
		if (e->cur < e->len)
			e->cur++;
		return TD_EDIT_MOVED;
	case TD_A_BOL:
		e->cur = 0;
		return TD_EDIT_MOVED;
	case TD_A_EOL:
		e->cur = e->len;
		return TD_EDIT_MOVED;
	case TD_A_BACKSPACE:
		if (e->cur == 0)
			return TD_EDIT_MOVED;
		delete_at(e, e->cur - 1);
		return TD_EDIT_CHANGED;
	case TD_A_DELETE:
		if (e->cur == e->len)
			return TD_EDIT_MOVED;
		delete_at(e, e->cur);
		return TD_EDIT_CHANGED;
	case TD_A_KILL:
		if (e->cur == e->len)
			return TD_EDIT_MOVED;
		for (size_t i = e->cur; i < e->len; i++)
			e->bytes -= cp_bytes(e->cp[i]);
		e->len = e->cur;
		return TD_EDIT_CHANGED;
	case TD_A_CLEAR:
		if (e->len == 0)
			return TD_EDIT_MOVED;
		e->len = e->cur = e->bytes = 0;
		return TD_EDIT_CHANGED;
	case TD_A_NONE:
		break;
	default:
		return TD_EDIT_IGNORED;
	}
	if (!k || !td_key_is_text(*k))
		return TD_EDIT_IGNORED;
	if (!room_for(e, k->code))
		return TD_EDIT_FULL;
	memmove(e->cp + e->cur + 1, e->cp + e->cur,
		(e->len - e->cur) * sizeof *e->cp);
	e->cp[e->cur++] = k->code;
	e->len++;
	e->bytes += cp_bytes(k->code);
	return TD_EDIT_CHANGED;
}

/* Columns taken by cp[a..b). */
static int cols(const struct td_ui *ui, const struct td_edit *e, size_t a,
		size_t b)
{
	int c = 0;
	for (size_t i = a; i < b; i++)
		c += td_ui_cp_cols(ui, e->cp[i]);
	return c;
}

/* Keep the cursor, and one free column after it, inside width columns;
 * after a deletion show as much as fits to the left. */
static void scroll_to_cursor(const struct td_ui *ui, struct td_edit *e,
			     int width)
{
	if (e->scroll > e->cur)
		e->scroll = e->cur;
	int c = cols(ui, e, e->scroll, e->cur);
	while (c + 1 > width && e->scroll < e->cur) {
		c -= td_ui_cp_cols(ui, e->cp[e->scroll]);
		e->scroll++;
	}
	int total = cols(ui, e, e->scroll, e->len);
	while (e->scroll > 0) {
		int w = td_ui_cp_cols(ui, e->cp[e->scroll - 1]);
		if (total + w + 1 > width)
			break;
		total += w;
		e->scroll--;
	}
}

int td_edit_draw(struct td_ui *ui, struct td_edit *e, int y, int x, int width,
		 attr_t text, attr_t rest)
{
	char buf[4 * TD_EDIT_MAX + 1];
	size_t o = 0;
	int c = 0;

	if (width < 1)
		return x;
	scroll_to_cursor(ui, e, width);
	for (size_t i = e->scroll; i < e->len; i++) {
		int w = td_ui_cp_cols(ui, e->cp[i]);
		if (c + w > width)
			break;
		int n = td_utf8_encode(e->cp[i], buf + o);
		if (n > 0)
			o += (size_t)n;
		c += w;
	}
	buf[o] = '\0';
	/* Typed text and the free rest in two attributes: without colour
	 * a typed character then costs one byte, not an attribute change
	 * and back (draw.c, roles). */
	int tw = td_ui_put(ui, y, x, width, buf, text, false);
	td_ui_put(ui, y, x + tw, width - tw, "", rest, true);
	return x + cols(ui, e, e->scroll, e->cur);
}
