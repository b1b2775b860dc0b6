/* Two small widgets drawn inside a screen's own window: a one-line
 * prompt (the line editor under a label: searches, notes, names, dates,
 * file names, field edits) and a chooser (a short list of options:
 * statuses, officers, saved filters, formats).  A screen that opens one
 * answers to its key context (td_prompt_keys, td_chooser_keys) while it
 * is open, and hands it the actions the main loop looked up. */
#ifndef TD_UI_PROMPT_H
#define TD_UI_PROMPT_H

#include "edit.h"
#include "tui.h"

#define TD_CHOOSER_MAX 40

struct td_prompt {
	bool active;
	int tag;                        /* what the caller opened it for */
	char label[160];
	struct td_edit ed;
	char text[4 * TD_EDIT_MAX + 1]; /* the text, UTF-8, kept in step */
};

/* Keys of an open prompt: editing, OK, cancel, help and redraw. */
extern const struct td_keyctx td_prompt_keys;

/* Open p with label and initial text (may be NULL): at most max_cp code
 * points (0 = TD_EDIT_MAX) and max_bytes bytes (0 = no other limit). */
void td_prompt_open(struct td_prompt *p, int tag, const char *label,
		    const char *init, size_t max_cp, size_t max_bytes);

/* Apply an action: 1 = accepted (p->text holds the text), -1 =
 * cancelled, 0 = still editing; *changed tells whether the text changed
 * (search as you type).  p->active is cleared on 1 and -1. */
int td_prompt_act(struct td_prompt *p, enum td_action a,
		  const struct td_key *k, bool *changed);

/* Draw "label: text" on row y and put the cursor there. */
void td_prompt_draw(struct td_ui *ui, struct td_prompt *p, int y);

struct td_chooser {
	bool active;
	int tag;
	char title[160];
	char items[TD_CHOOSER_MAX][128];
	int n, cur;
};

/* Keys of an open chooser: the list keys, digits 1-9 and their AZERTY
 * twins (choose at once), help and redraw. */
extern const struct td_keyctx td_chooser_keys;

void td_chooser_open(struct td_chooser *c, int tag, const char *title);
void td_chooser_add(struct td_chooser *c, const char *text);

/* Apply an action: 1 = chosen (c->cur), -1 = cancelled, 0 = still
 * choosing. */
int td_chooser_act(struct td_chooser *c, enum td_action a);

/* Draw the chooser over rows y0..y1 of the window. */
void td_chooser_draw(struct td_ui *ui, const struct td_chooser *c, int y0,
		     int y1);

#endif
