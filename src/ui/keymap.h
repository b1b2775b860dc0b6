/* Key bindings: one table (keymap.c) of action, config name, context,
 * default keys, label and help.  The help screen, the status-line hints
 * and the "keys" section of the configuration all read that table. */
#ifndef TD_UI_KEYMAP_H
#define TD_UI_KEYMAP_H

#include "totemdesk/config.h"
#include "totemdesk/error.h"

#include "tui.h"

#include <stdbool.h>
#include <stddef.h>

/* Where a binding applies; screens ask for a mask of these. */
enum td_kctx {
	TD_KC_HOME = 1u << 0,
	TD_KC_FORM = 1u << 1,
	TD_KC_EDIT = 1u << 2,   /* inside a text field */
	TD_KC_CHOICE = 1u << 3, /* on a choice, needs or consent field */
	TD_KC_LIST = 1u << 4,   /* lists and read-only views */
	TD_KC_DIALOG = 1u << 5,
	TD_KC_GLOBAL = 1u << 6,
	TD_KC_QUEUE = 1u << 13,   /* the mission officers' queue and detail */
	TD_KC_ROUTING = 1u << 12, /* partners, route and referral screens */
	TD_KC_STATS = 1u << 14,   /* statistics screen */
	TD_KC_AGENDA = 1u << 15,  /* agenda screen */
	TD_KC_IMPORT = 1u << 16,  /* import screen */
};

enum td_action {
	TD_A_NONE = -1,
	/* home */
	TD_A_MENU_INTAKE,
	TD_A_MENU_TODAY,
	TD_A_MENU_HELP,
	TD_A_QUIT,
	/* form */
	TD_A_SAVE,
	TD_A_NEXT_FIELD,
	TD_A_PREV_FIELD,
	TD_A_CANCEL,
	TD_A_DUP_OPEN,     /* duplicate panel of the form */
	TD_A_DUP_DISMISS,
	TD_A_DUP_NEXT,
	/* edit */
	TD_A_LEFT,
	TD_A_RIGHT,
	TD_A_BOL,
	TD_A_EOL,
	TD_A_BACKSPACE,
	TD_A_DELETE,
	TD_A_KILL,
	TD_A_CLEAR,
	/* choice */
	TD_A_TOGGLE,
	TD_A_OPT_NEXT,
	TD_A_OPT_PREV,
	TD_A_YES,
	TD_A_NEED_1,
	TD_A_NEED_2,
	TD_A_NEED_3,
	TD_A_NEED_4,
	TD_A_NEED_5,
	TD_A_NEED_6,
	TD_A_NEED_7,
	/* list */
	TD_A_UP,
	TD_A_DOWN,
	TD_A_PGUP,
	TD_A_PGDN,
	TD_A_TOP,
	TD_A_BOTTOM,
	TD_A_OPEN,
	TD_A_BACK,
	/* dialog */
	TD_A_DLG_YES,
	TD_A_DLG_NO,
	/* statistics, import, agenda */
	TD_A_MENU_STATS,
	TD_A_MENU_IMPORT,
	TD_A_MENU_AGENDA,
	TD_A_ST_PERIOD,
	TD_A_ST_SITE,
	TD_A_AG_MINE,
	TD_A_IM_RUN,
	/* routing (partners, route, referrals) */
	TD_A_MENU_PARTNERS,
	TD_A_ROUTE_SAVED,
	TD_A_ROUTE,
	TD_A_REFERRALS,
	TD_A_R_PICK,
	TD_A_R_REFER,
	TD_A_R_STATUS,
	TD_A_R_NOTE,
	TD_A_R_FOLLOWUP,
	TD_A_R_TEXT,
	TD_A_P_ADD,
	TD_A_P_EDIT,
	TD_A_P_ACTIVE,
	TD_A_P_INACTIVE,
	/* queue (mission officers) and dossier detail */
	TD_A_MENU_QUEUE,
	TD_A_Q_SEARCH,
	TD_A_Q_FILTER,
	TD_A_Q_CLEAR,
	TD_A_Q_SORT,
	TD_A_Q_REVERSE,
	TD_A_Q_MARK,
	TD_A_Q_MARK_ALL,
	TD_A_Q_ASSIGN,
	TD_A_Q_STATUS,
	TD_A_Q_NOTE,
	TD_A_Q_EDIT,
	TD_A_Q_EXPORT,
	TD_A_Q_SAVE_FILTER,
	TD_A_Q_FILTERS,
	TD_A_Q_SAVED_1,
	TD_A_Q_SAVED_2,
	TD_A_Q_SAVED_3,
	TD_A_Q_SAVED_4,
	TD_A_Q_SAVED_5,
	TD_A_Q_SAVED_6,
	TD_A_Q_SAVED_7,
	TD_A_Q_SAVED_8,
	TD_A_Q_SAVED_9,
	/* global */
	TD_A_HELP,
	TD_A_REDRAW,
	TD_A_COUNT
};

#define TD_KEYS_MAX 8

struct td_keydef {
	enum td_action action;
	const char *name;   /* name in the config's keys group */
	unsigned ctx;       /* one enum td_kctx */
	const char *keys;   /* default keys, config syntax */
	const char *label;  /* short label for hints (N_) */
	const char *help;   /* help line (N_) */
	bool hint;          /* shown on the status line */
};

extern const struct td_keydef td_keydefs[TD_A_COUNT];

/* Bring Enter, Backspace and friends to one code each (see td_key). */
struct td_key td_key_normalize(struct td_key k);

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

/* First action of a context in ctx_mask bound to k, or TD_A_NONE. */
enum td_action td_keymap_lookup(unsigned ctx_mask, struct td_key k);

/* Current keys of action a. */
int td_keymap_keys(enum td_action a, const struct td_key **keys);

/* "F2/^O" style display of a's keys: at most max keys, preferring keys the
 * terminal has (has_key) when avail is true. */
void td_keymap_display(enum td_action a, int max, bool avail, char *out,
		       size_t outsz);

/* Status-line hints for the contexts in mask: "F2 Save  Tab Next ...". */
void td_keymap_hints(unsigned mask, int skip, char *out, size_t outsz);

/* Translated title of a context for the help screen. */
const char *td_kctx_title(unsigned ctx);

#endif
