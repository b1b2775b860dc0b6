/* Terminal set-up, the input decoder, the screen stack and the main loop.
 *
 * Terminal mode: raw(), not cbreak().  At a reception desk the program
 * runs all day in front of visitors; Ctrl-C must not throw away a
 * half-typed intake, Ctrl-Z must not leave a suspended program nobody
 * finds, and Ctrl-S must not freeze the screen (XON/XOFF).  In raw mode
 * those arrive as ordinary keys, which we ignore unless bound.
 *
 * Input: bytes from wgetch, decoded as UTF-8 by us in every locale (see
 * raw_get for why not wget_wch): accented letters typed under LANG=C
 * still arrive as the right code points; stray or invalid bytes are
 * dropped and a partial sequence times out after 50 ms instead of
 * blocking.
 *
 * Output: wnoutrefresh through the panel library + one doupdate per batch
 * of input, so ncurses sends only the cells that changed.  KEY_RESIZE is
 * the only resize mechanism (no SIGWINCH handler of our own).
 *
 * Ending without the user's say: SIGHUP (the ssh line dropped), SIGTERM
 * (shutdown, an administrator) and a terminal that reads nothing but
 * errors (the pseudo-terminal closed) end the session after every screen
 * has kept what was typed (td_screen.keep: the form's draft).  The
 * handler only sets stop_signal; the keeping, which writes to the
 * database, runs from the main loop, where it is safe.  SIGXFSZ is
 * ignored for the whole process (privilege.c): a file-size limit makes
 * the write fail like a full disk, said on the screen, the form kept. */
#include "keymap.h"
#include "tui.h"

#include "totemdesk/i18n.h"
#include "totemdesk/text.h"
#include "totemdesk/timefmt.h"
#include "totemdesk/ui.h"

#include <langinfo.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>
#include <unistd.h>
#include <wchar.h>

/* Longest burst of keys handled before the screen is refreshed: a large
 * paste is processed in chunks and the display keeps up. */
#define BATCH_MAX 4096
#define UTF8_TIMEOUT_MS 50
#define IDLE_MS 5000
/* With a watch on the database (td_app_change_fd) the desk sleeps until a
 * key or a write; this long poll of data_version is only the fallback for
 * a write the watch missed (a file replaced, a network file system). */
#define WATCHED_IDLE_MS 60000
/* A write is seen as it starts (the -wal written), maybe before its
 * commit shows in data_version (the -shm updated last): after a wake-up
 * by the watch, look again after each of these pauses (ms; 730 in all,
 * within the second a save must show in). */
static const int recheck_ms[] = { 500, 200, 30 };
#define RECHECKS ((int)(sizeof recheck_ms / sizeof recheck_ms[0]))

/* The signal that asks the session to end (0: none).  The one piece of
 * file state in src/ui: a signal handler has nowhere else to write. */
static volatile sig_atomic_t stop_signal;

static void on_stop_signal(int sig)
{
	stop_signal = sig;
}

/* SIGHUP and SIGTERM set stop_signal, without SA_RESTART, so that a
 * wait for a key returns at once.  Installed before newterm: ncurses
 * then leaves SIGTERM to us instead of ending the program itself. */
static void catch_stop_signals(void)
{
	struct sigaction sa;
	memset(&sa, 0, sizeof sa);
	sa.sa_handler = on_stop_signal;
	sigemptyset(&sa.sa_mask);
	sigaction(SIGHUP, &sa, NULL);
	sigaction(SIGTERM, &sa, NULL);
}

/* The session ends without the user's say: every screen keeps what
 * would be lost, the top one first. */
static void keep_all(struct td_ui *ui)
{
	for (int i = ui->depth - 1; i >= 0; i--)
		if (ui->stack[i].s->keep)
			ui->stack[i].s->keep(ui, ui->stack[i].st);
}

static long now_ms(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (long)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

int td_ui_keys_configure(const struct td_config *cfg, td_err *err)
{
	td_keymap_reset();
	return td_keymap_apply(cfg->keys, cfg->nkeys, cfg->path, err);
}

const struct td_screen *td_ui_top(const struct td_ui *ui)
{
	return ui->depth ? ui->stack[ui->depth - 1].s : NULL;
}

int td_ui_push(struct td_ui *ui, const struct td_screen *s, const void *arg)
{
	if (ui->depth == TD_UI_STACK_MAX)
		return TD_EINVAL;
	void *st = calloc(1, s->size ? s->size : 1);
	if (!st) {
		td_ui_flash(ui, true, _("Out of memory."));
		return TD_ENOMEM;
	}
	int rc = s->enter ? s->enter(ui, st, arg) : TD_OK;
	if (rc != TD_OK) {
		free(st);
		return rc;
	}
	ui->stack[ui->depth++] = (struct td_frame){ .s = s, .st = st };
	ui->full = true;
	return TD_OK;
}

void td_ui_pop(struct td_ui *ui)
{
	if (!ui->depth)
		return;
	struct td_frame f = ui->stack[--ui->depth];
	if (f.s->leave)
		f.s->leave(ui, f.st);
	/* Freed once the action that popped it has returned: it may still
	 * read its own state (a reference to push the next screen with). */
	if (ui->npopped < TD_UI_STACK_MAX)
		ui->popped[ui->npopped++] = f.st;
	else
		free(f.st);
	ui->full = true;
	if (!ui->depth)
		ui->quit = true;
	else
		ui->stack[ui->depth - 1].covered = true;
}

/* The top screen is back from under others: it reads its data again
 * (see td_screen.resume).  Called after every key and before drawing,
 * so that a screen popped and another pushed in one action resume
 * only the one left on top. */
static void resume_top(struct td_ui *ui)
{
	if (!ui->depth)
		return;
	struct td_frame *f = &ui->stack[ui->depth - 1];
	if (!f->covered)
		return;
	f->covered = false;
	if (f->s->resume)
		f->s->resume(ui, f->st);
}

static void free_popped(struct td_ui *ui)
{
	while (ui->npopped)
		free(ui->popped[--ui->npopped]);
}

/* The key context in force: the top screen's, or its mode's. */
static const struct td_keyctx *keyctx(const struct td_ui *ui)
{
	static const struct td_keyctx none = { .ctx = { TD_KC_GLOBAL } };
	if (!ui->depth)
		return &none;
	const struct td_frame *f = &ui->stack[ui->depth - 1];
	const struct td_keyctx *kc = f->s->mode ? f->s->mode(f->st) : NULL;
	return kc ? kc : f->s->keys ? f->s->keys : &none;
}

/* How long the main loop may sleep: the shortest poll of the screens on
 * the stack (a detail opened from the queue keeps the queue's). */
static int poll_ms(const struct td_ui *ui)
{
	int ms = IDLE_MS;
	for (int i = 0; i < ui->depth; i++)
		if (ui->stack[i].s->poll_ms > 0 && ui->stack[i].s->poll_ms < ms)
			ms = ui->stack[i].s->poll_ms;
	return ms;
}

void td_ui_flash(struct td_ui *ui, bool error, const char *msg)
{
	snprintf(ui->flash, sizeof ui->flash, "%s", msg);
	ui->flash_error = error;
}

static void set_cursor(struct td_ui *ui, bool on)
{
	int want = on ? 1 : 0;
	if (ui->cursor_state != want) {
		curs_set(want);
		ui->cursor_state = want;
	}
}

/* A text wrapped to a width, for the panels that show it whole. */
#define WRAP_LINES 16
struct wrapped {
	struct td_ui *ui;
	char line[WRAP_LINES][400];
	int n;          /* lines kept (the text's first WRAP_LINES) */
	int cols;       /* columns of the widest */
};

static void wrap_line(const char *line, void *ctx)
{
	struct wrapped *w = ctx;
	if (w->n >= WRAP_LINES)
		return;
	snprintf(w->line[w->n++], sizeof w->line[0], "%s", line);
	int c = td_ui_text_cols(w->ui, line);
	if (c > w->cols)
		w->cols = c;
}

static void wrap(struct td_ui *ui, const char *text, int width,
		 struct wrapped *w)
{
	w->ui = ui;
	w->n = w->cols = 0;
	td_ui_wrap(ui, text, width, wrap_line, w);
}

/* Make (or move) the panel *win / *panel to h x w at y, x. */
static bool place_panel(WINDOW **win, PANEL **panel, int h, int w, int y,
			int x)
{
	if (!*win) {
		*win = newwin(h, w, y, x);
		if (!*win)
			return false;
		*panel = new_panel(*win);
	} else {
		wresize(*win, h, w);
		replace_panel(*panel, *win);
		move_panel(*panel, y, x);
	}
	return true;
}

static void drop_panel(WINDOW **win, PANEL **panel)
{
	if (*panel) {
		del_panel(*panel);
		*panel = NULL;
	}
	if (*win) {
		delwin(*win);
		*win = NULL;
	}
}

static void draw_dialog(struct td_ui *ui)
{
	int lines = getmaxy(ui->win), cols = getmaxx(ui->win);
	char yes[64], no[64], hint[160];
	struct wrapped q;
	td_keymap_display(TD_A_DLG_YES, 2, false, yes, sizeof yes);
	td_keymap_display(TD_A_DLG_NO, 2, false, no, sizeof no);
	snprintf(hint, sizeof hint, "%s: %s    %s: %s", yes, _("yes"), no,
		 _("no"));
	/* The question whole, on as many lines as it takes. */
	wrap(ui, ui->dlg_text, cols - 6, &q);
	int hw = td_ui_text_cols(ui, hint);
	int w = (q.cols > hw ? q.cols : hw) + 4;
	if (w > cols - 2)
		w = cols - 2;
	if (w < 10)
		w = 10;
	if (q.n > lines - 6)
		q.n = lines - 6 > 1 ? lines - 6 : 1;
	int h = q.n + 4;
	int y = (lines - h) / 2, x = (cols - w) / 2;

	if (!place_panel(&ui->dlg, &ui->dlg_panel, h, w, y, x))
		return;
	/* The dialog shares the output helper, so draw with ui->win swapped. */
	WINDOW *main_win = ui->win;
	ui->win = ui->dlg;
	werase(ui->dlg);
	wattr_set(ui->dlg, td_ui_attr(ui, TD_R_TITLE), 0, NULL);
	box(ui->dlg, 0, 0);
	wattr_set(ui->dlg, A_NORMAL, 0, NULL);
	for (int i = 0; i < q.n; i++)
		td_ui_put(ui, 1 + i, 2, w - 4, q.line[i],
			  td_ui_attr(ui, TD_R_TITLE), false);
	td_ui_put(ui, q.n + 2, 2, w - 4, hint, td_ui_attr(ui, TD_R_HELP),
		  false);
	wmove(ui->dlg, 1, 2);
	ui->win = main_win;
}

/* A message wider than its row, whole: wrapped on the rows that end at
 * row bottom, over what the screen drew there, until it goes. */
static void draw_note(struct td_ui *ui, const char *text, enum td_role role,
		      int bottom)
{
	int cols = getmaxx(ui->win);
	struct wrapped m;
	wrap(ui, text, cols, &m);
	int h = m.n < bottom - TD_UI_BODY + 1 ? m.n : bottom - TD_UI_BODY + 1;
	if (h < 1)
		h = 1;
	if (!place_panel(&ui->note, &ui->note_panel, h, cols, bottom - h + 1,
			 0))
		return;
	WINDOW *main_win = ui->win;
	ui->win = ui->note;
	werase(ui->note);
	for (int i = 0; i < h; i++)
		td_ui_put(ui, i, 0, cols, m.line[i], td_ui_attr(ui, role), true);
	ui->win = main_win;
	show_panel(ui->note_panel);
	top_panel(ui->note_panel);
}

static void render(struct td_ui *ui)
{
	int lines, cols;

	getmaxyx(stdscr, lines, cols);
	if (getmaxy(ui->win) != lines || getmaxx(ui->win) != cols) {
		wresize(ui->win, lines, cols);
		replace_panel(ui->panel, ui->win);
		ui->full = true;
	}
	bool small = lines < TD_UI_MIN_LINES || cols < TD_UI_MIN_COLS;
	if (small) {
		char msg[256];
		struct wrapped m;
		snprintf(msg, sizeof msg,
			 /* TRANSLATORS: columns x lines, needed then actual. */
			 _("Terminal too small: %dx%d needed, now %dx%d. Enlarge the window."),
			 TD_UI_MIN_COLS, TD_UI_MIN_LINES, cols, lines);
		werase(ui->win);
		/* Whole, however narrow: wrapped, in the middle. */
		wrap(ui, msg, cols, &m);
		int top = (lines - m.n) / 2 > 0 ? (lines - m.n) / 2 : 0;
		for (int i = 0; i < m.n && top + i < lines; i++)
			td_ui_put(ui, top + i, 0, cols, m.line[i],
				  td_ui_attr(ui, TD_R_ERROR), false);
		if (ui->dlg_panel)
			hide_panel(ui->dlg_panel);
		drop_panel(&ui->note, &ui->note_panel);
		ui->too_small = true;
		set_cursor(ui, false);
		update_panels();
		wmove(ui->win, top, 0);
		wnoutrefresh(ui->win);
		doupdate();
		return;
	}
	if (ui->too_small) {
		ui->too_small = false;
		ui->full = true;
	}
	bool full = ui->full;
	ui->full = false;
	if (full && ui->drawn) {
		/* Another screen: first blank everything under the header
		 * and send that (one "clear to the end of the screen"), then
		 * draw on blank rows.  Drawn over the old screen instead,
		 * every row ended with a "clear to the end of the line", and
		 * the blanks between a label and its value were sent one by
		 * one over the old text: about a hundred bytes more for a
		 * dossier's detail on a vt100 (issue 10). */
		wmove(ui->win, 1, 0);
		wclrtobot(ui->win);
		drop_panel(&ui->note, &ui->note_panel);
		if (ui->dlg_panel)
			hide_panel(ui->dlg_panel);
		update_panels();
		doupdate();
	}
	ui->drawn = true;
	if (full)
		werase(ui->win);
	ui->cursor_on = false;
	ui->cur_y = lines - 1;
	ui->cur_x = 0;
	ui->long_msg = NULL;
	resume_top(ui);
	if (ui->depth) {
		struct td_frame *f = &ui->stack[ui->depth - 1];
		if (f->s->draw)
			f->s->draw(ui, f->st, full);
		td_ui_draw_status(ui, keyctx(ui));
	}
	/* A message too wide for its row: the flash (newest) over the
	 * status line, else the screen's message row. */
	if (ui->flash[0] && td_ui_text_cols(ui, ui->flash) > cols)
		draw_note(ui, ui->flash, ui->flash_error ? TD_R_ERROR
							 : TD_R_STATUS,
			  lines - 1);
	else if (ui->long_msg)
		draw_note(ui, ui->long_msg, ui->long_role, lines - 2);
	else
		drop_panel(&ui->note, &ui->note_panel);
	if (ui->dlg_text) {
		draw_dialog(ui);
		if (ui->dlg_panel) {
			show_panel(ui->dlg_panel);
			top_panel(ui->dlg_panel);
		}
		set_cursor(ui, false);
		update_panels();
		/* The dialog is the top panel: its cursor is where the
		 * terminal cursor rests. */
	} else {
		set_cursor(ui, ui->cursor_on);
		update_panels();
		wmove(ui->win, ui->cur_y, ui->cur_x);
		wnoutrefresh(ui->win);
	}
	doupdate();
}

/* One byte or function key.  Always the narrow wgetch, even with a UTF-8
 * locale: ncurses' wget_wch pushes an invalid byte back into its own
 * queue and then returns ERR for it forever, so one stray \xff pasted
 * into a field would freeze all input.  Our own decoder drops it. */
static int raw_get(struct td_ui *ui, int timeout_ms, struct td_key *k)
{
	wtimeout(ui->win, timeout_ms);
	int c = wgetch(ui->win);
	if (c == ERR)
		return 0;
	k->fn = c > 0xff;
	k->code = (uint32_t)c;
	return 1;
}

/* Complete a UTF-8 sequence whose lead byte is
 * b.  Returns 1 with the code point in k, 0 if the bytes were invalid. */
static int finish_utf8(struct td_ui *ui, unsigned char b, struct td_key *k)
{
	char seq[4];
	int need;

	if (b >= 0xc2 && b <= 0xdf)
		need = 2;
	else if (b >= 0xe0 && b <= 0xef)
		need = 3;
	else if (b >= 0xf0 && b <= 0xf4)
		need = 4;
	else
		return 0;  /* stray continuation or impossible byte */
	seq[0] = (char)b;
	for (int i = 1; i < need; i++) {
		struct td_key n;
		if (!raw_get(ui, UTF8_TIMEOUT_MS, &n))
			return 0;  /* partial sequence: drop it */
		if (n.fn || (n.code & 0xc0) != 0x80) {
			/* Not a continuation: that key starts afresh. */
			ungetch((int)n.code);
			return 0;
		}
		seq[i] = (char)n.code;
	}
	uint32_t cp;
	if (td_utf8_decode(seq, (size_t)need, &cp) != need)
		return 0;
	k->fn = false;
	k->code = cp;
	return 1;
}

/* Esc followed at once by more bytes is Alt+key or a sequence the
 * terminfo does not know: swallow it whole rather than take it for Esc. */
static void swallow_sequence(struct td_ui *ui, const struct td_key *first)
{
	struct td_key n;
	if (first->fn)
		return;
	if (first->code == '[') {
		/* CSI: parameters until a final byte 0x40-0x7e. */
		for (int i = 0; i < 32 && raw_get(ui, 5, &n); i++)
			if (n.fn || (n.code >= 0x40 && n.code <= 0x7e))
				return;
	} else if (first->code == 'O') {
		raw_get(ui, 5, &n);
	}
}

/* Next key, or 0 when none arrived within timeout_ms (-1 = wait). */
static int read_key(struct td_ui *ui, int timeout_ms, struct td_key *k)
{
	for (;;) {
		if (!raw_get(ui, timeout_ms, k))
			return 0;
		if (!k->fn && k->code >= 0x80) {
			if (!finish_utf8(ui, (unsigned char)k->code, k))
				continue;
		}
		if (!k->fn && k->code == 27) {
			struct td_key n;
			if (raw_get(ui, 0, &n)) {
				swallow_sequence(ui, &n);
				continue;
			}
		}
		*k = td_key_normalize(*k);
		return 1;
	}
}

/* The window changed size: what the terminal now shows where is its own
 * business (xterm keeps the top lines, others push them into the
 * scrollback or reflow them), so repaint it all from a clear screen
 * rather than send only what differs from a picture no longer there. */
static void resized(struct td_ui *ui)
{
	clearok(curscr, TRUE);
	ui->full = true;
}

/* Ctrl-C bound to nothing: raw mode keeps it from killing the desk in
 * the middle of an intake, and the status line says how to leave
 * instead: the key of kc that goes back (or quits, at home), and the
 * home screen's quit key. */
static void interrupt_hint(struct td_ui *ui, const struct td_keyctx *kc)
{
	static const enum td_action leave[] = {
		TD_A_QUIT, TD_A_PROMPT_CANCEL, TD_A_CANCEL, TD_A_BACK,
	};
	enum td_action back = TD_A_NONE;
	for (int i = 0; i < TD_KEYCTX_MAX && kc->ctx[i] != TD_KC_NONE &&
	     back == TD_A_NONE; i++)
		for (size_t j = 0; j < sizeof leave / sizeof leave[0]; j++)
			if (td_keydefs[leave[j]].ctx == kc->ctx[i]) {
				back = leave[j];
				break;
			}
	char bk[64], qk[64], msg[256];
	td_keymap_display(back, 1, true, bk, sizeof bk);
	td_keymap_display(TD_A_QUIT, 1, true, qk, sizeof qk);
	if (back == TD_A_QUIT || back == TD_A_NONE)
		snprintf(msg, sizeof msg,
			 /* TRANSLATORS: %s is the key that quits ("q"). */
			 _("Ctrl-C does not quit: %s to quit totemdesk."), qk);
	else
		snprintf(msg, sizeof msg,
			 /* TRANSLATORS: the key that goes back ("Esc"), then
			  * the home screen's quit key ("q"). */
			 _("Ctrl-C does not quit: %s to go back, %s on the home screen to quit."),
			 bk, qk);
	td_ui_flash(ui, false, msg);
}

/* The one key lookup: the key means an action in the top screen's key
 * context, which the screen gets; help and redraw work everywhere. */
static void handle(struct td_ui *ui, const struct td_key *k)
{
	if (k->fn && k->code == KEY_RESIZE) {
		resized(ui);
		return;
	}
	enum td_action a = td_keys_lookup(keyctx(ui), *k);
	if (a == TD_A_REDRAW) {
		clearok(curscr, TRUE);
		ui->full = true;
		/* The screen hears it too: lists read their data again. */
	}
	if (ui->too_small || !ui->depth)
		return;
	/* A message stays until the next key that does something: a
	 * repaint shows the screen as it was. */
	if (a != TD_A_REDRAW)
		ui->flash[0] = '\0';
	if (a == TD_A_NONE && !k->fn && k->code == 3) {
		interrupt_hint(ui, keyctx(ui));
		return;
	}
	struct td_frame *f = &ui->stack[ui->depth - 1];
	if (a == TD_A_HELP && f->s != &td_scr_help) {
		/* At the section of what the screen answers to now (an open
		 * prompt's, a chooser's), also where the screen takes every
		 * key for itself. */
		enum td_kctx at = td_keyctx_section(keyctx(ui));
		td_ui_push(ui, &td_scr_help, &at);
	} else if (f->s->act) {
		f->s->act(ui, f->st, a, k);
	}
	free_popped(ui);
	resume_top(ui);
}

bool td_ui_confirm(struct td_ui *ui, const char *question)
{
	bool answer = false;

	ui->dlg_text = question;
	for (int dead = 0; !stop_signal;) {
		render(ui);
		struct td_key k;
		long t0 = now_ms();
		if (!read_key(ui, IDLE_MS, &k)) {
			/* Terminal gone: answer no, keep the data. */
			if (now_ms() - t0 < IDLE_MS / 2 && ++dead > 100) {
				ui->gone = true;
				break;
			}
			continue;
		}
		dead = 0;
		if (k.fn && k.code == KEY_RESIZE) {
			resized(ui);
			continue;
		}
		if (td_keymap_lookup(TD_KC_GLOBAL, k) == TD_A_REDRAW) {
			clearok(curscr, TRUE);
			ui->full = true;
			continue;
		}
		if (ui->too_small)
			continue;
		enum td_action a = td_keymap_lookup(TD_KC_DIALOG, k);
		if (a == TD_A_DLG_YES || a == TD_A_DLG_NO) {
			answer = a == TD_A_DLG_YES;
			break;
		}
	}
	ui->dlg_text = NULL;
	drop_panel(&ui->dlg, &ui->dlg_panel);
	ui->full = true;
	return answer;
}

/* A form left in progress by this login at this site (the line dropped,
 * the desk killed): offer it back before anything else.  Declined, it is
 * dropped; a desk that may not register is not asked. */
static void offer_draft(struct td_ui *ui)
{
	struct td_form_draft d;
	td_err err = { 0 };
	bool found = false;

	if (td_app_may_register(ui->app, &err) != TD_OK)
		return;
	if (td_app_draft_take(ui->app, &d.rec, d.started_at, &found, &err)) {
		td_ui_flash(ui, true, err.msg);
		return;
	}
	if (!found)
		return;
	char when[64], day[32], q[256];
	char since[TD_TIME_SIZE], until[TD_TIME_SIZE];
	td_app_today_bounds(since, until);
	td_time_local(d.started_at, "%d/%m", day, sizeof day);
	td_time_local(d.started_at, "%H:%M", when, sizeof when);
	if (strcmp(d.started_at, since) >= 0)
		snprintf(q, sizeof q,
			 /* TRANSLATORS: %s is the time, "14:32". */
			 _("Resume the intake begun at %s?"), when);
	else
		snprintf(q, sizeof q,
			 /* TRANSLATORS: the day ("01/12"), then the time. */
			 _("Resume the intake begun on %s at %s?"), day, when);
	if (td_ui_confirm(ui, q)) {
		td_ui_push(ui, &td_scr_form, &d);
	} else if (!stop_signal && !ui->gone &&
		   td_app_draft_drop(ui->app, &err)) {
		td_ui_flash(ui, true, err.msg);
	}
	/* The details typed do not linger in this copy. */
	memset(&d, 0, sizeof d);
}

static bool locale_is_utf8(void)
{
	const char *cs = nl_langinfo(CODESET);
	return cs && (strcasecmp(cs, "UTF-8") == 0 || strcasecmp(cs, "utf8") == 0);
}

static bool want_color(const struct td_app *app, const struct td_ui_options *o)
{
	const char *nc = getenv("NO_COLOR");
	if (nc && *nc)
		return false;
	if (o && o->no_color)
		return false;
	if (!td_app_color(app))
		return false;
	return true;
}

int td_ui_run(struct td_app *app, const struct td_ui_options *o, td_err *err)
{
	struct td_ui ui = { 0 };
	SCREEN *scr;

	if (!isatty(STDIN_FILENO) || !isatty(STDOUT_FILENO))
		return td_err_set(err, TD_EINVAL,
				  _("The screens need a terminal: run totemdesk in a terminal, or use its subcommands in scripts."));
	const char *term = getenv("TERM");
	if (!term || !*term)
		return td_err_set(err, TD_EINVAL,
				  _("TERM is not set: cannot drive the terminal."));

	catch_stop_signals();
	td_ui_count_bytes_only();
	/* Before initscr: Esc alone must act within 25 ms. */
	set_escdelay(25);
	scr = newterm(NULL, stdout, stdin);
	if (!scr)
		return td_err_set(err, TD_EINVAL,
				  _("Unknown terminal type \"%s\": set TERM to a known type (e.g. xterm or vt100)."),
				  term);
	ui.app = app;
	ui.utf8 = locale_is_utf8();
	ui.color = want_color(app, o) && has_colors();
	ui.cursor_state = -1;
	raw();
	noecho();
	nonl();
	td_ui_theme_init(&ui);

	int rc = TD_OK;
	ui.win = newwin(LINES, COLS, 0, 0);
	if (!ui.win || !(ui.panel = new_panel(ui.win))) {
		rc = td_err_set(err, TD_ENOMEM, _("Out of memory."));
		goto out;
	}
	keypad(ui.win, TRUE);
	meta(ui.win, TRUE);
	/* stdscr is never drawn; make sure it is never refreshed over us. */
	wnoutrefresh(stdscr);

	if (td_ui_push(&ui, &td_scr_home, NULL) != TD_OK) {
		rc = td_err_set(err, TD_EINVAL, _("Cannot open the home screen."));
		goto out;
	}
	offer_draft(&ui);
	int dead = 0, rechecks = 0;
	while (!ui.quit && !ui.gone && !stop_signal) {
		render(&ui);
		const struct td_frame *top =
			ui.depth ? &ui.stack[ui.depth - 1] : NULL;
		/* Put-off work when no key waits (typed ahead, the next key
		 * would make it moot: a search's count). */
		struct pollfd in = { .fd = STDIN_FILENO, .events = POLLIN };
		if (top && top->s->idle && poll(&in, 1, 0) == 0 &&
		    top->s->idle(&ui, top->st))
			render(&ui);
		struct td_key k;
		/* Wake up when another program writes to the database (the
		 * screens' draw asks td_app_changed), else now and then to ask
		 * (poll_ms: the queue shows others' saves within a second). */
		long t0 = now_ms();
		int idle = poll_ms(&ui), wait_ms = idle;
		int cfd = td_app_change_fd(app);
		if (cfd >= 0 && !read_key(&ui, 0, &k)) {
			struct pollfd p[2] = { { .fd = STDIN_FILENO, .events = POLLIN },
					       { .fd = cfd, .events = POLLIN } };
			int r;
			/* Other files of the directory written: sleep on. */
			while ((r = poll(p, 2, rechecks ? recheck_ms[rechecks - 1]
							: WATCHED_IDLE_MS)) > 0 &&
			       !p[0].revents && !td_app_change_drain(app))
				;
			if (r == 0 && rechecks)
				rechecks--;
			else if (r > 0 && !p[0].revents)
				rechecks = RECHECKS;
			if (r <= 0 || !p[0].revents)
				continue;  /* a write, a signal, the long poll */
			wait_ms = UTF8_TIMEOUT_MS;  /* input there: read it */
		} else if (cfd >= 0) {
			goto got_key;
		}
		if (!read_key(&ui, wait_ms, &k)) {
			/* A read that fails at once, again and again, means the
			 * terminal is gone (hang-up): do not spin. */
			if (now_ms() - t0 < idle / 2) {
				if (++dead > 100) {
					ui.gone = true;
					break;
				}
			} else {
				dead = 0;
			}
			continue;
		}
got_key:
		dead = 0;
		handle(&ui, &k);
		for (int n = 0; n < BATCH_MAX && !ui.quit; n++) {
			if (!read_key(&ui, 0, &k))
				break;
			handle(&ui, &k);
			if (k.fn && k.code == KEY_RESIZE)
				break;
		}
	}
	/* Not quit by the user: a signal, or a terminal gone. */
	if (!ui.quit)
		keep_all(&ui);
	while (ui.depth)
		td_ui_pop(&ui);
	free_popped(&ui);
out:
	drop_panel(&ui.note, &ui.note_panel);
	if (ui.panel)
		del_panel(ui.panel);
	if (ui.win)
		delwin(ui.win);
	endwin();
	/* No delscreen(scr): ncurses 6.4 then leaks the panel library's
	 * hidden bottom panel (32 bytes, also in a bare five-line program),
	 * which LeakSanitizer reports on every run.  The process ends right
	 * after this, and keeping the SCREEN reachable keeps the leak check
	 * strict for our own panels and windows. */
	(void)scr;
	return rc;
}
