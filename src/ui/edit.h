/* The line editor: the one widget that takes typed text, in the intake
 * form's fields, the prompts of every screen and the partner search.
 * Text is kept as code points (UTF-8 decoded by the program, so accents
 * typed under LANG=C arrive whole) and only printable ones are inserted:
 * controls and escape sequences never reach a record.  Its keys are the
 * EDIT context of the key table, so a rebinding reaches every screen. */
#ifndef TD_UI_EDIT_H
#define TD_UI_EDIT_H

#include "tui.h"

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* Most code points one editor holds (the longest field, the description,
 * takes 1,000). */
#define TD_EDIT_MAX 1024

struct td_edit {
	uint32_t cp[TD_EDIT_MAX];
	size_t len, cur;     /* code points; cur in [0, len] */
	size_t scroll;       /* first code point shown */
	size_t bytes;        /* UTF-8 length of cp[0..len) */
	size_t max;          /* most code points accepted */
	size_t maxbytes;     /* most UTF-8 bytes accepted */
};

/* Empty e and set its limits: at most max_chars code points (at most
 * TD_EDIT_MAX; 0 = TD_EDIT_MAX) and max_bytes bytes once encoded
 * (0 = no limit but the code points'). */
void td_edit_init(struct td_edit *e, size_t max_chars, size_t max_bytes);

/* Replace the text with s (UTF-8, may be NULL): invalid bytes and
 * controls dropped, cut at the limits; the cursor goes to the end. */
void td_edit_set(struct td_edit *e, const char *s);

/* The text as UTF-8 into out (always NUL-terminated, cut at a character
 * boundary when outsz is short).  Returns the bytes written. */
size_t td_edit_get(const struct td_edit *e, char *out, size_t outsz);

enum td_edit_rc {
	TD_EDIT_IGNORED,     /* not an editing key, not text */
	TD_EDIT_MOVED,       /* the cursor moved (or nothing to do) */
	TD_EDIT_CHANGED,     /* the text changed */
	TD_EDIT_FULL,        /* a character was refused: at the limit */
};

/* Apply action a of the EDIT context, or, when a is TD_A_NONE and k is
 * text, insert it at the cursor. */
enum td_edit_rc td_edit_act(struct td_edit *e, enum td_action a,
			    const struct td_key *k);

/* Draw the field on row y from column x, width columns: the visible part
 * of the text in attribute text, the rest of the width in attribute
 * rest; it scrolls sideways to keep the cursor in view (one free column
 * after it).  Returns the cursor's column. */
int td_edit_draw(struct td_ui *ui, struct td_edit *e, int y, int x, int width,
		 attr_t text, attr_t rest);

#endif
