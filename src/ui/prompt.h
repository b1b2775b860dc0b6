/* Two small widgets of the queue and detail screens, drawn inside the
 * screen's own window: a one-line text prompt (search as you type,
 * notes, names, dates, field edits) and a chooser (a short list of
 * options: statuses, officers, saved filters, formats).  Both read
 * their keys from the keymap (edit, list and choice contexts). */
#ifndef TD_UI_PROMPT_H
#define TD_UI_PROMPT_H

#include "tui.h"

#define TD_PROMPT_MAX 1024
#define TD_CHOOSER_MAX 40

struct td_prompt {
	bool active;
	int tag;                    /* what the caller opened it for */
	char label[128];
	char buf[TD_PROMPT_MAX];    /* UTF-8 */
	size_t len, cur;            /* bytes; cur on a character boundary */
	size_t max_cp;              /* most code points accepted */
};

/* Open p with label and initial text (may be NULL). */
void td_prompt_open(struct td_prompt *p, int tag, const char *label,
		    const char *init, size_t max_cp);

/* Handle a key: 1 = accepted (Enter), -1 = cancelled (Esc), 0 = still
 * editing; *changed tells whether the text changed (search as you
 * type).  p->active is cleared on 1 and -1. */
int td_prompt_key(struct td_prompt *p, const struct td_key *k, bool *changed);

/* Draw "label: text" on row y and put the cursor there. */
void td_prompt_draw(struct td_ui *ui, const struct td_prompt *p, int y);

struct td_chooser {
	bool active;
	int tag;
	char title[160];
	char items[TD_CHOOSER_MAX][128];
	int n, cur;
};

void td_chooser_open(struct td_chooser *c, int tag, const char *title);
void td_chooser_add(struct td_chooser *c, const char *text);

/* 1 = chosen (c->cur), -1 = cancelled, 0 = still choosing.  Digits 1-9
 * choose an item at once. */
int td_chooser_key(struct td_chooser *c, const struct td_key *k);

/* Draw the chooser over rows y0..y1 of the window. */
void td_chooser_draw(struct td_ui *ui, const struct td_chooser *c, int y0,
		     int y1);

#endif
