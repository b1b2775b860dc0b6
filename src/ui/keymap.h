/* Key bindings: the action table of actions.h made into an enum and a
 * table (td_keydefs), the current bindings (defaults, then the
 * configuration's ui.keys), and key contexts: what a screen answers to at
 * one moment, looked up in one place (td_keys_lookup, called by the main
 * loop only), with the actions its status line shows. */
#ifndef TD_UI_KEYMAP_H
#define TD_UI_KEYMAP_H

#include "totemdesk/config.h"
#include "totemdesk/error.h"

#include "actions.h"

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* One key press after decoding: either an ncurses function key (KEY_UP,
 * KEY_F(2) ...) or a Unicode code point (controls included: Ctrl-O is 15).
 * Enter is always 13, Backspace always KEY_BACKSPACE (see
 * td_key_normalize). */
struct td_key {
	bool fn;
	uint32_t code;
};

/* Where a binding applies (TD_KC_NONE ends a list of contexts). */
enum td_kctx {
	TD_KC_NONE = 0,
#define X(id, title) TD_KC_##id,
	TD_KCTXS(X)
#undef X
	TD_KC_COUNT
};

/* TD_A_NONE (0) is "no action": a key bound to nothing, which a screen
 * that takes text reads as a character. */
enum td_action {
	TD_A_NONE = 0,
#define X(id, name, ctx, keys, label, help) TD_A_##id,
	TD_ACTIONS(X)
#undef X
	TD_A_COUNT
};

#define TD_A_FIRST (TD_A_NONE + 1)
#define TD_KEYS_MAX 8

struct td_keydef {
	const char *name;   /* name in the config's keys group */
	enum td_kctx ctx;
	const char *keys;   /* default keys, config syntax */
	const char *label;  /* short label for hints (N_) */
	const char *help;   /* help line (N_) */
};

/* Indexed by enum td_action; row TD_A_NONE is empty. */
extern const struct td_keydef td_keydefs[TD_A_COUNT];

/* What a screen answers to at one moment (a screen with a prompt open
 * answers to other keys than without): the contexts its keys are looked
 * up in, in this order, and the actions its status line names.  Where
 * text is typed (text), a printable character is text unless the EDIT
 * context binds it, whatever the contexts before or after say: 'q' or
 * 'j' typed in a search are letters, not "back" or "down". */
#define TD_KEYCTX_MAX 6
#define TD_HINTS_MAX 12
struct td_keyctx {
	enum td_kctx ctx[TD_KEYCTX_MAX];      /* TD_KC_NONE ends the list */
	bool text;
	enum td_action hints[TD_HINTS_MAX];   /* TD_A_NONE ends the list */
};

/* The action k means in kc, or TD_A_NONE (bound to nothing there; a
 * character where kc takes text). */
enum td_action td_keys_lookup(const struct td_keyctx *kc, struct td_key k);

/* The action of context ctx bound to k, or TD_A_NONE. */
enum td_action td_keymap_lookup(enum td_kctx ctx, struct td_key k);

/* Bring Enter, Backspace and friends to one code each (see td_key). */
struct td_key td_key_normalize(struct td_key k);

/* Is k a character that may be typed into text (not a function key, not
 * a control)? */
bool td_key_is_text(struct td_key k);

/* Parse one key name ("F2", "^O", "Tab", "é").  Returns 0 or -1. */
int td_key_parse(const char *s, size_t len, struct td_key *k);

/* Name of k in config syntax ("F2", "^O", "Space", "é"). */
void td_key_name(struct td_key k, char *out, size_t outsz);

/* Parse a comma-separated key list; on an unknown key returns -1 and
 * points *bad (length *badlen) at it. */
int td_keys_parse(const char *list, struct td_key *keys, int max, int *n,
		  const char **bad, size_t *badlen);

/* Reset every binding to the table defaults. */
void td_keymap_reset(void);

/* Apply overrides (name, keys, line) in file path.  TD_ECONFIG with
 * "PATH:LINE: ..." on an unknown action or key; nothing is changed then. */
int td_keymap_apply(const struct td_key_cfg *kc, size_t n, const char *path,
		    td_err *err);

/* Current keys of action a (pointer into the bindings, count returned). */
int td_keymap_keys(enum td_action a, const struct td_key **keys);

/* Can k be shown as itself: not a character the locale cannot show
 * (under LANG=C "é" and "è" would both read "e", which is another key). */
bool td_key_shown(struct td_key k);

/* "F2/^O" style display of a's keys: at most max keys, preferring keys the
 * terminal has (has_key) when avail is true, and leaving out keys that
 * cannot be shown as themselves (td_key_shown) when a's other keys can. */
void td_keymap_display(enum td_action a, int max, bool avail, char *out,
		       size_t outsz);

/* Status-line hints of kc: "F2 Save  Tab Next ...", in kc's order. */
void td_keymap_hints(const struct td_keyctx *kc, char *out, size_t outsz);

/* The help section of what kc answers to: its first context that is
 * not one every screen shares (global keys, text editing), e.g. the
 * queue's for the dossier detail, the prompt's for an open prompt. */
enum td_kctx td_keyctx_section(const struct td_keyctx *kc);

/* Translated title of a context for the help screen. */
const char *td_kctx_title(enum td_kctx ctx);

#endif
