/* Private interface of the ncurses front end: the screen stack, key
 * events, the one text-output helper and the colour roles.  Only files in
 * src/ui include this. */
#ifndef TD_UI_TUI_H
#define TD_UI_TUI_H

#include "totemdesk/app.h"
#include "totemdesk/intake.h"

#include "keymap.h"

#include <curses.h>
#include <panel.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* Smallest terminal the screens are laid out for. */
#define TD_UI_MIN_COLS 80
#define TD_UI_MIN_LINES 24

struct td_ui;

/* A screen: one .c file each, one descriptor each (STYLE.md section 2,
 * after tig's view_ops).  The main loop allocates size bytes of state,
 * zeroed, when the screen is pushed and frees them when it is popped, so
 * a screen may be open twice (a detail over a route over another
 * detail); it hands every callback that state.
 *
 * keys is the screen's key context: the main loop looks every key up in
 * it (mode, when set, gives the context of the moment instead: a prompt
 * or a chooser open) and paints the status line from its hints.  enter
 * runs when the screen is pushed (arg is screen-specific; a non-zero
 * return refuses the push, its state freed), leave when it is popped;
 * draw paints the whole window when full is true, else only what
 * changed; act receives the action the key means (TD_A_NONE for a key
 * bound to nothing, a character where the context takes text) and the
 * key itself, and returns true when it used it.  The help key never
 * reaches it: the main loop opens the help at the section of the key
 * context in force (td_keyctx_section).  Others' changes: the main loop
 * sleeps until a key or a write to the database (td_app_change_fd) and
 * draws then; where the database cannot be watched it wakes up every
 * poll_ms while the screen is on the stack (0: the default, every few
 * seconds), and the draw asks td_app_changed.
 *
 * resume runs when the screen is on top again after the screens pushed
 * over it were popped, before it is drawn or gets a key: what those
 * screens did (a referral, a status change, an edit) may change what it
 * shows, and data_version (td_app_changed) only tells changes made by
 * other connections.  A screen that shows data reads it again there.
 *
 * keep runs, top screen first, when the session ends without the user's
 * say (a hang-up, a closed terminal, SIGTERM): a screen holding typed
 * work writes it where it survives (the form: its draft).  It must not
 * draw or ask: nobody may be there to answer. */
struct td_screen {
	const char *name;
	size_t size;
	const struct td_keyctx *keys;
	const struct td_keyctx *(*mode)(const void *st);
	int poll_ms;
	int (*enter)(struct td_ui *ui, void *st, const void *arg);
	void (*leave)(struct td_ui *ui, void *st);
	void (*draw)(struct td_ui *ui, void *st, bool full);
	bool (*act)(struct td_ui *ui, void *st, enum td_action a,
		    const struct td_key *k);
	void (*resume)(struct td_ui *ui, void *st);
	/* idle (may be NULL): runs once the screen on top is drawn, before
	 * the wait for a key, for work put off until the screen shows (a
	 * list's row number counted after a re-sort); true: draw again. */
	bool (*idle)(struct td_ui *ui, void *st);
	void (*keep)(struct td_ui *ui, void *st);
};

/* The argument of td_scr_form's enter that resumes a draft. */
struct td_form_draft {
	struct td_intake rec;
	char started_at[TD_TIME_SIZE];
};

enum td_role {
	TD_R_NORMAL,
	TD_R_TITLE,
	TD_R_HEADER,
	TD_R_LABEL,
	TD_R_FIELD,
	TD_R_FIELD_FOCUS,
	TD_R_REQUIRED,
	TD_R_ERROR,
	TD_R_HELP,
	TD_R_SELECTED,
	TD_R_STATUS,
	TD_R_OVERDUE,
	TD_R_DEMO,
	TD_R_FIELD_INPUT,  /* text typed in the focused field */
	TD_R_FIELD_FREE,   /* free part of the focused text field */
	TD_R_CURRENT,      /* the selected row of a long list */
	TD_R_FIELD_TEXT,   /* text of a form field without the focus */
	TD_R_FORM_FOCUS,   /* focused choice, tick box or need */
	TD_R_COUNT
};

#define TD_UI_STACK_MAX 16

struct td_frame {
	const struct td_screen *s;
	void *st;
	bool covered;          /* a screen was popped off it: resume it */
};

struct td_ui {
	struct td_app *app;
	WINDOW *win;           /* full-screen window all screens draw into */
	PANEL *panel;
	WINDOW *dlg;           /* confirm dialog, NULL when none */
	PANEL *dlg_panel;
	const char *dlg_text;
	bool utf8;             /* locale codeset is UTF-8 */
	bool color;
	bool quit;
	bool gone;             /* the terminal reads only errors (hung up) */
	bool full;             /* next draw repaints everything */
	bool too_small;
	struct td_frame stack[TD_UI_STACK_MAX];
	int depth;
	void *popped[TD_UI_STACK_MAX]; /* states freed after the key */
	int npopped;
	bool cursor_on;        /* wanted cursor visibility */
	int cur_y, cur_x;      /* where the cursor goes after drawing */
	int title_cols;        /* columns of the last title drawn */
	bool drawn;            /* a screen was drawn once */
	int cursor_state;      /* last curs_set value, -1 unknown */
	char flash[512];       /* one-off message on the status line */
	bool flash_error;
	/* A message wider than its row (the status line's flash, the
	 * message row's text) shows whole on a panel of as many rows as it
	 * wraps to, over the rows above it, while it lasts. */
	WINDOW *note;
	PANEL *note_panel;
	const char *long_msg;  /* this frame's message row, when too wide */
	enum td_role long_role;
	bool erase_offer;      /* the next detail pushed opens its erasure */
};

/* Screen stack.  td_ui_push allocates the screen's state and runs its
 * enter (TD_EINVAL when the stack is full, else enter's result).
 * td_ui_pop runs the top screen's leave; its state stays readable until
 * the action being handled returns (a screen may pop itself, then push
 * another with an argument from its own state). */
int td_ui_push(struct td_ui *ui, const struct td_screen *s, const void *arg);
void td_ui_pop(struct td_ui *ui);
const struct td_screen *td_ui_top(const struct td_ui *ui);

/* Show msg on the status line until the next key; wrapped over rows
 * above the status line when wider than it. */
void td_ui_flash(struct td_ui *ui, bool error, const char *msg);

/* Ask a yes/no question on a panel above the current screen, wrapped to
 * the screen's width; true = yes.  Runs its own key loop (resizes
 * handled). */
bool td_ui_confirm(struct td_ui *ui, const char *question);

/* After the app refused (rc, err) to send something about the person of
 * dossier reference: when it is because they withdrew their consent,
 * show why and offer erasure (issue 14 point 4) -- yes opens the
 * dossier's detail asking for the reference to type -- and return true;
 * false otherwise (the caller shows err as usual). */
bool td_ui_offer_erasure(struct td_ui *ui, const char *reference, int rc,
			 const td_err *err);

/* The one output helper: clean s (untrusted), convert it to the ASCII
 * fallback when the locale is not UTF-8, clip it to width columns and
 * write it at (y, x) with attr; pad the rest of width with spaces when pad
 * is true.  Returns the columns written (padding excluded). */
int td_ui_put(struct td_ui *ui, int y, int x, int width, const char *s,
	      attr_t attr, bool pad);

/* Columns cp takes once written by td_ui_put (ASCII fallback included). */
int td_ui_cp_cols(const struct td_ui *ui, uint32_t cp);

/* Columns s takes once written by td_ui_put. */
int td_ui_text_cols(const struct td_ui *ui, const char *s);

/* s cut to width columns and padded with spaces to width, as written by
 * td_ui_put, into out: an aligned column inside a line put together with
 * snprintf (printf's %-10s counts bytes: "qualifié" would be one column
 * short, "nouveau" not).  out is always terminated; returns out. */
/* s into width columns keeping its end: when wider, its beginning and
 * its end (where long names differ: "Chambre de métiers et...de la
 * Moselle (CMA 57)") around "...", cut between words where it can; not
 * padded.  out is always terminated; returns out. */
char *td_ui_fit_ends(const struct td_ui *ui, const char *s, int width,
		     char *out, size_t outsz);

char *td_ui_fit(const struct td_ui *ui, const char *s, int width, char *out,
		size_t outsz);

/* Attribute of a colour role (mono fallback when colour is off). */
attr_t td_ui_attr(const struct td_ui *ui, enum td_role r);
void td_ui_theme_init(struct td_ui *ui);

/* Header line (row 0): Totem, site, user, role, date, demo marker. */
void td_ui_draw_header(struct td_ui *ui);

/* Title row (row 1). */
void td_ui_draw_title(struct td_ui *ui, const char *title);

/* Message row (above the status line): text in role; empty, blank.  A
 * text wider than the row shows whole, wrapped, on rows above it for
 * this frame (text must live until the frame is drawn). */
void td_ui_draw_message(struct td_ui *ui, const char *text,
			enum td_role role);

/* Status line (last row): the flash message if any, else the hints of
 * kc.  Only the main loop calls it, after the screen's draw. */
void td_ui_draw_status(struct td_ui *ui, const struct td_keyctx *kc);

/* Before newterm: have ncurses weigh the bytes it sends, not the padding
 * a terminal with XON/XOFF is never sent (padding.c). */
void td_ui_count_bytes_only(void);

/* Rows of a screen's body from row top down to the row above the status
 * line, or with message true to the row above the message line (see
 * td_ui_draw_message); at least 1. */
int td_ui_rows(const struct td_ui *ui, int top, bool message);

/* First row under the header and the title. */
#define TD_UI_BODY 2

/* Split s into display lines of at most width columns, breaking at
 * spaces where possible; calls cb for each line (NUL-terminated copy).
 * The text is cleaned and converted like td_ui_put.  Returns the number
 * of lines. */
int td_ui_wrap(struct td_ui *ui, const char *s, int width,
	       void (*cb)(const char *line, void *ctx), void *ctx);

/* Local time of a UTC ISO stamp: "23/11/2026 15:51" (French) or
 * "2026-11-23 15:51" (English); with_date false gives "15:51". */
void td_ui_local_time(const struct td_ui *ui, const char *iso, bool with_date,
		      char *out, size_t outsz);

/* Append a string to a growing array of lines (for read-only views). */
struct td_lines {
	char **v;
	int n, cap;
	bool oom;
};
void td_lines_add(struct td_lines *l, const char *s);
void td_lines_free(struct td_lines *l);

/* Scrolling state shared by the read-only and list screens. */
struct td_scroll {
	long top;   /* first visible row */
	long cur;   /* selected row (lists) */
	long n;     /* rows in all */
};

/* "advice|funding" as the translated labels of e, "conseil, financement"
 * (an unknown code as it is): stored codes, read as words. */
struct td_enum;
void td_ui_code_labels(const char *list, const struct td_enum *e, char *out,
		       size_t outsz);

/* Apply a list action (keymap.h) to s for a view of rows visible rows;
 * select says whether there is a selected row (lists) or only scrolling
 * (read-only views).  Any other action (TD_A_NONE) only brings the state
 * back in range.  Returns true if the action was a motion. */
bool td_scroll_key(struct td_scroll *s, enum td_action action, int rows,
		   bool select);

extern const struct td_screen td_scr_home;
extern const struct td_screen td_scr_form;
extern const struct td_screen td_scr_list;
extern const struct td_screen td_scr_detail;
extern const struct td_screen td_scr_help;
extern const struct td_screen td_scr_queue;
extern const struct td_screen td_scr_partners; /* arg: NULL */
extern const struct td_screen td_scr_route;    /* arg: dossier reference */
extern const struct td_screen td_scr_referral; /* arg: dossier reference */
extern const struct td_screen td_scr_stats;
extern const struct td_screen td_scr_agenda;
extern const struct td_screen td_scr_sync;
extern const struct td_screen td_scr_import;

#endif
