/* The intake form, driven by the field table td_fields[].
 *
 * Own widgets rather than the ncurses form library, because:
 * - under LANG=C the form library stores and shows bytes, so "é" typed by
 *   a visitor would be mangled; we keep code points and show UTF-8 or the
 *   ASCII fallback through td_ui_put;
 * - every keystroke is checked with td_intake_check_field and the error
 *   shown at once, which the library only does on REQ_VALIDATION;
 * - we decide exactly which cells change, so a typed character costs a
 *   few bytes on a 9600-baud vt100, and the buffers are not space-padded.
 *
 * Text fields are line editors (edit.h: at most max_chars code points,
 * and at most the byte size of the td_intake buffer once encoded), the
 * same as every prompt's.  A large paste is handled in one batch: checks
 * and drawing happen once per batch, not per character. */
#include "edit.h"
#include "form_dup.h"
#include "tui.h"

#include "totemdesk/i18n.h"
#include "totemdesk/intake.h"
#include "totemdesk/text.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define FIRST_ROW 2
#define LABEL_X 2
#define LABEL_W 16
#define VALUE_X 20
/* Text fields are at most VALUE_W wide (longer values scroll), so every
 * field's hint fits at HINT_X on an 80-column screen: the hints are drawn
 * once with the form, and moving to the next field sends no text at all,
 * only the '>' marker and the cursor (issue 6: at most 40 bytes on a
 * vt100, where a help line under the form cost 60 to 90). */
#define VALUE_W 31
#define HINT_X (VALUE_X + VALUE_W + 2)
#define DUP_SHOWN (-2) /* drawn_help: the duplicate panel has the area */

struct form {
	struct td_intake rec;
	struct td_edit ed[TD_F_COUNT];   /* the text fields' */
	int focus;
	int need_cur;
	enum td_vcode code[TD_F_COUNT];
	bool touched[TD_F_COUNT];
	bool unsynced[TD_F_COUNT];
	bool dirty[TD_F_COUNT];
	/* A bidirectional control was typed or pasted here and refused:
	 * said until the field is left (the rest of a paste goes on). */
	bool bidi_refused[TD_F_COUNT];
	char msg[512];         /* save result or other note */
	bool msg_error;
	int drawn_help;        /* what the help area shows, to redraw on change */
	bool opt_help;         /* a choice changed: the help area explains it */
	bool whole_help;       /* hints are the whole help texts (wide screen) */
	/* The dossier just registered, for the route key (kept when the
	 * form is cleared for the next visitor). */
	char saved_ref[TD_REF_SIZE];
	struct td_form_dup dup;
	/* The draft (issue 13 point 1): when this form was begun, and
	 * whether something changed since it was last kept. */
	char started_at[TD_TIME_SIZE];
	bool draft_dirty;
};

static const struct td_keyctx text_keys = {
	.ctx = { TD_KC_FORM, TD_KC_EDIT, TD_KC_GLOBAL },
	.text = true,
	.hints = { TD_A_SAVE, TD_A_NEXT_FIELD, TD_A_PREV_FIELD, TD_A_CANCEL,
		   TD_A_HELP },
};

static const struct td_keyctx choice_keys = {
	.ctx = { TD_KC_FORM, TD_KC_CHOICE, TD_KC_GLOBAL },
	.hints = { TD_A_SAVE, TD_A_NEXT_FIELD, TD_A_PREV_FIELD, TD_A_CANCEL,
		   TD_A_HELP },
};

static bool is_text(int f)
{
	return td_fields[f].kind == TD_FK_TEXT;
}

static bool required(const struct td_ui *ui, int f)
{
	return td_fields[f].required ||
	       (td_field_may_require((enum td_field_id)f) &&
		(td_app_config(ui->app)->required_extra & (1u << f)));
}

static int field_rows(int f)
{
	return td_fields[f].kind == TD_FK_MULTI ? 2 : 1;
}

static int field_row(int f)
{
	int y = FIRST_ROW;
	for (int i = 0; i < f; i++)
		y += field_rows(i);
	return y;
}

static int help_top(void)
{
	return field_row(TD_F_COUNT) + 1;
}

static void sync_field(struct form *F, int f)
{
	if (!is_text(f) || !F->unsynced[f])
		return;
	td_edit_get(&F->ed[f], td_intake_text(&F->rec, (enum td_field_id)f),
		    td_fields[f].size);
	F->unsynced[f] = false;
}

static void sync_all(struct form *F)
{
	for (int f = 0; f < TD_F_COUNT; f++)
		sync_field(F, f);
}

/* An empty form; the country is the site's (its "country" setting). */
static void clear_form(const struct td_ui *ui, struct form *F)
{
	const struct td_site_cfg *site = td_app_site(ui->app);

	memset(&F->rec, 0, sizeof F->rec);
	F->rec.country = site ? site->country : 0;
	for (int f = 0; f < TD_F_COUNT; f++) {
		if (is_text(f))
			td_edit_init(&F->ed[f], td_fields[f].max_chars,
				     td_fields[f].size ? td_fields[f].size - 1
						       : 0);
		F->touched[f] = false;
		F->bidi_refused[f] = false;
		F->unsynced[f] = false;
		F->dirty[f] = true;
		F->code[f] = TD_V_OK;
	}
	F->focus = 0;
	F->need_cur = 0;
	F->drawn_help = -1;
	F->opt_help = false;
	F->started_at[0] = '\0';
	F->draft_dirty = false;
	td_form_dup_reset(&F->dup);
}

/* Resume a draft: its values in the fields, every non-empty one checked
 * and shown as typed. */
static void load_draft(struct form *F, const struct td_form_draft *d)
{
	F->rec = d->rec;
	snprintf(F->started_at, sizeof F->started_at, "%s", d->started_at);
	for (int f = 0; f < TD_F_COUNT; f++) {
		if (is_text(f)) {
			const char *t = td_intake_ctext(&F->rec,
							(enum td_field_id)f);
			td_edit_set(&F->ed[f], t);
			F->touched[f] = t[0] != '\0';
		} else {
			F->touched[f] = td_intake_value(&F->rec,
						(enum td_field_id)f) != 0;
		}
	}
}

static int form_enter(struct td_ui *ui, void *st, const void *arg)
{
	td_err err = { 0 };
	/* Refused before the visitor's details are typed, not at F2. */
	if (td_app_may_register(ui->app, &err) != TD_OK) {
		td_ui_flash(ui, true, err.msg);
		return err.code;
	}
	clear_form(ui, st);
	if (arg)
		load_draft(st, arg);
	return TD_OK;
}

/* Back from the dossier the duplicate panel opened (or the route of the
 * one just saved): look the matches up again, they may have changed. */
static void form_resume(struct td_ui *ui, void *st)
{
	struct form *F = st;
	F->dup.looked = false;
	F->drawn_help = -1;
}

static void form_leave(struct td_ui *ui, void *st)
{
	/* Typed personal data does not linger in memory after leaving. */
	memset(st, 0, sizeof(struct form));
}

/* Re-check every field (e-mail and phone depend on each other) and mark
 * the rows whose state changed. */
static void recheck(const struct td_ui *ui, struct form *F)
{
	sync_all(F);
	for (int f = 0; f < TD_F_COUNT; f++) {
		enum td_vcode c = td_intake_check_field(
			&F->rec, (enum td_field_id)f,
			td_app_config(ui->app)->required_extra, NULL, 0);
		if (c != F->code[f]) {
			F->code[f] = c;
			F->dirty[f] = true;
		}
	}
}

static bool shows_error(const struct form *F, int f)
{
	return F->touched[f] && F->code[f] != TD_V_OK;
}

static int text_width(const struct td_ui *ui, int f)
{
	int avail = getmaxx(ui->win) - VALUE_X - 1;
	int want = (int)td_fields[f].max_chars + 1;
	if (avail > VALUE_W)
		avail = VALUE_W;
	return want < avail ? want : avail;
}

/* Are the hints the whole help texts: on a screen wide enough for every
 * one of them (132 columns), never a mix of both.  Decided on each full
 * draw (start, resize). */
static bool whole_helps(const struct td_ui *ui)
{
	int w = getmaxx(ui->win) - HINT_X;
	for (int i = 0; i < TD_F_COUNT; i++)
		if (td_fields[i].kind != TD_FK_MULTI &&
		    td_ui_text_cols(ui, _(td_fields[i].help)) >= w)
			return false;
	return true;
}

/* The field's hint at HINT_X on row y (see F->whole_help). */
static void draw_hint(struct td_ui *ui, const struct form *F, int f, int y)
{
	int w = getmaxx(ui->win) - HINT_X;
	if (w < 1)
		return;
	/* the hint of the holder's country: what its rules accept */
	td_ui_put(ui, y, HINT_X, w, F->whole_help ? _(td_fields[f].help)
		  : _(td_field_hint((enum td_field_id)f, F->rec.country)),
		  td_ui_attr(ui, TD_R_HELP), true);
}

static void draw_label(struct td_ui *ui, const struct form *F, int f)
{
	int y = field_row(f);
	bool err = shows_error(F, f);
	bool focus = f == F->focus;
	attr_t la = td_ui_attr(ui, err ? TD_R_ERROR : TD_R_LABEL);

	td_ui_put(ui, y, 0, 1, focus ? ">" : " ", td_ui_attr(ui, TD_R_LABEL),
		  true);
	td_ui_put(ui, y, 1, 1, err ? "!" : " ", td_ui_attr(ui, TD_R_ERROR),
		  true);
	int w = td_ui_put(ui, y, LABEL_X, LABEL_W, _(td_fields[f].label), la,
			  false);
	int x = LABEL_X + w;
	if (required(ui, f)) {
		td_ui_put(ui, y, x, 1, "*", td_ui_attr(ui, TD_R_REQUIRED),
			  false);
		x++;
	}
	td_ui_put(ui, y, x, VALUE_X - 1 - x, "", A_NORMAL, true);
}

static void draw_text(struct td_ui *ui, struct form *F, int f)
{
	struct td_edit *e = &F->ed[f];
	int y = field_row(f);
	int fw = text_width(ui, f);
	bool focus = f == F->focus;

	/* Typed text in the input role, the free rest in the field role:
	 * moving the focus changes no cell of the field without colour
	 * (draw.c, roles). */
	int cx = td_edit_draw(ui, e, y, VALUE_X, fw,
			      td_ui_attr(ui, focus ? TD_R_FIELD_INPUT
						   : TD_R_FIELD_TEXT),
			      td_ui_attr(ui, focus ? TD_R_FIELD_FREE
						   : TD_R_FIELD));
	td_ui_put(ui, y, VALUE_X - 1, 1, e->scroll ? "<" : " ",
		  td_ui_attr(ui, TD_R_HELP), true);
	td_ui_put(ui, y, VALUE_X + fw, HINT_X - VALUE_X - fw, "", A_NORMAL,
		  true);
	draw_hint(ui, F, f, y);
	if (focus) {
		ui->cur_y = y;
		ui->cur_x = cx;
	}
}

/* The int a choice field keeps its index in (the field table's offset). */
static int *choice_value(struct form *F, int f)
{
	return (int *)(void *)((char *)&F->rec + td_fields[f].offset);
}

static void draw_choice(struct td_ui *ui, struct form *F, int f)
{
	int y = field_row(f);
	bool focus = f == F->focus;
	int v = *choice_value(F, f);
	char buf[160];

	if (v == 0 && !*td_enum_code(td_fields[f].choices, 0))
		snprintf(buf, sizeof buf, "(%s)",
			 td_enum_label(td_fields[f].choices, 0));
	else
		snprintf(buf, sizeof buf, "%s",
			 td_enum_label(td_fields[f].choices, v));
	int x = VALUE_X;
	td_ui_put(ui, y, VALUE_X - 1, 1, "", A_NORMAL, true);
	td_ui_put(ui, y, x, 2, "< ", td_ui_attr(ui, TD_R_HELP), true);
	int w = VALUE_W - 3;
	td_ui_put(ui, y, x + 2, w, buf,
		  td_ui_attr(ui, focus ? TD_R_FORM_FOCUS : TD_R_FIELD), true);
	td_ui_put(ui, y, x + 2 + w, HINT_X - (x + 2 + w), " >",
		  td_ui_attr(ui, TD_R_HELP), true);
	draw_hint(ui, F, f, y);
	if (focus) {
		ui->cur_y = y;
		ui->cur_x = x + 2;
	}
}

/* Lay the seven boxes out on two rows: "[x] label" separated by two
 * spaces if that fits, else tighter. */
static void needs_layout(struct td_ui *ui, int fw, int *xs, int *ys,
			 int *gap_out, bool *tight_out)
{
	for (int pass = 0; pass < 3; pass++) {
		int gap = pass == 0 ? 2 : 1;
		bool tight = pass == 2;
		int x = 0, y = 0;
		bool ok = true;
		for (size_t i = 0; i < td_needs.count; i++) {
			int w = (tight ? 3 : 4) +
				td_ui_text_cols(ui, td_enum_label(&td_needs,
								  (int)i));
			if (x > 0 && x + w > fw) {
				y++;
				x = 0;
			}
			if (y > 1)
				ok = false;
			xs[i] = x;
			ys[i] = y;
			x += w + gap;
		}
		*gap_out = gap;
		*tight_out = tight;
		if (ok)
			return;
	}
}

static void draw_needs(struct td_ui *ui, const struct form *F, int f)
{
	int y0 = field_row(f);
	int cols = getmaxx(ui->win);
	int fw = cols - VALUE_X - 1;
	int xs[32], ys[32], gap;
	bool tight;
	bool focus = f == F->focus;

	needs_layout(ui, fw, xs, ys, &gap, &tight);
	td_ui_put(ui, y0, VALUE_X - 1, cols - VALUE_X + 1, "", A_NORMAL, true);
	td_ui_put(ui, y0 + 1, 0, cols, "", A_NORMAL, true);
	/* The hint under the label: the boxes take the rows' width. */
	td_ui_put(ui, y0 + 1, LABEL_X, VALUE_X - 1 - LABEL_X,
		  _(td_fields[f].hint), td_ui_attr(ui, TD_R_HELP), false);
	const struct td_enum *e = td_fields[f].choices;
	unsigned long mask = (unsigned long)td_intake_value(&F->rec, f);
	for (size_t i = 0; i < e->count && i < 32; i++) {
		bool on = mask & (1ul << i);
		bool sub = focus && (int)i == F->need_cur;
		char box[8];
		snprintf(box, sizeof box, tight ? "[%c]" : "[%c] ",
			 on ? 'x' : ' ');
		int y = y0 + (ys[i] > 1 ? 1 : ys[i]);
		int x = VALUE_X + xs[i];
		if (x >= cols - 1)
			continue;
		attr_t a = td_ui_attr(ui, sub ? TD_R_FORM_FOCUS : TD_R_FIELD);
		int w = td_ui_put(ui, y, x, cols - 1 - x, box, a, false);
		if (x + w < cols - 1)
			td_ui_put(ui, y, x + w, cols - 1 - x - w,
				  td_enum_label(e, (int)i),
				  td_ui_attr(ui, sub ? TD_R_CURRENT
						     : TD_R_NORMAL),
				  false);
		if (sub) {
			ui->cur_y = y;
			ui->cur_x = x + 1;
		}
	}
}

static void draw_consent(struct td_ui *ui, const struct form *F, int f)
{
	int y = field_row(f);
	bool focus = f == F->focus;
	char buf[160];

	bool on = td_intake_value(&F->rec, f) != 0;

	snprintf(buf, sizeof buf, "[%c] %s", on ? 'x' : ' ',
		 on ? _("yes, the visitor agrees") : _("no (required)"));
	td_ui_put(ui, y, VALUE_X - 1, 1, "", A_NORMAL, true);
	int w = td_ui_put(ui, y, VALUE_X, HINT_X - 1 - VALUE_X, buf,
			  td_ui_attr(ui, focus ? TD_R_FORM_FOCUS : TD_R_FIELD),
			  false);
	td_ui_put(ui, y, VALUE_X + w, HINT_X - VALUE_X - w, "", A_NORMAL,
		  true);
	draw_hint(ui, F, f, y);
	if (focus) {
		ui->cur_y = y;
		ui->cur_x = VALUE_X + 1;
	}
}

static void draw_field(struct td_ui *ui, struct form *F, int f)
{
	draw_label(ui, F, f);
	switch (td_fields[f].kind) {
	case TD_FK_TEXT:
		draw_text(ui, F, f);
		break;
	case TD_FK_CHOICE:
		draw_choice(ui, F, f);
		break;
	case TD_FK_MULTI:
		draw_needs(ui, F, f);
		break;
	case TD_FK_CHECK:
		draw_consent(ui, F, f);
		break;
	}
}

struct help_ctx {
	struct td_ui *ui;
	int y, last;
};

static void help_line(const char *line, void *vctx)
{
	struct help_ctx *c = vctx;
	if (c->y > c->last)
		return;
	/* The whole row: the duplicate panel drew from column 0. */
	td_ui_put(c->ui, c->y, 0, 2, "", A_NORMAL, true);
	td_ui_put(c->ui, c->y++, 2, getmaxx(c->ui->win) - 2, line,
		  td_ui_attr(c->ui, TD_R_HELP), true);
}

/* What the help area shows: the consent statement, and once a choice
 * was changed in the focused field, what the option means (nothing that
 * changes when the focus merely passes: see VALUE_W). */
static int help_state(struct form *F)
{
	int sub = 0;
	if (!F->opt_help)
		return 0;
	if (td_fields[F->focus].kind == TD_FK_CHOICE)
		sub = *choice_value(F, F->focus);
	else if (td_fields[F->focus].kind == TD_FK_MULTI)
		sub = F->need_cur;
	return 1 + F->focus * 100 + sub;
}

static void draw_help(struct td_ui *ui, struct form *F)
{
	int f = F->focus;
	int lines = getmaxy(ui->win);
	/* The two rows above the status line belong to the error message. */
	struct help_ctx c = { ui, help_top(), lines - 4 };
	const struct td_enum *e = td_fields[f].choices;
	const char *extra = "";
	const struct td_config *cfg = td_app_config(ui->app);

	if (cfg->consent_text[0]) {
		char ct[600];
		if (cfg->consent_version[0])
			snprintf(ct, sizeof ct, _("Consent: %s (%s)"),
				 cfg->consent_text, cfg->consent_version);
		else
			snprintf(ct, sizeof ct, _("Consent: %s"),
				 cfg->consent_text);
		td_ui_wrap(ui, ct, getmaxx(ui->win) - 2, help_line, &c);
	}
	if (!F->opt_help || !e)
		;
	else if (td_fields[f].kind == TD_FK_CHOICE) {
		int v = *choice_value(F, f);
		if ((v > 0 || *td_enum_code(e, 0)) && e->entries[v].help)
			extra = _(e->entries[v].help);
	} else if (td_fields[f].kind == TD_FK_MULTI &&
		   e->entries[F->need_cur].help) {
		extra = _(e->entries[F->need_cur].help);
	}
	if (*extra) {
		char opt[400];
		const char *label = td_fields[f].kind == TD_FK_MULTI
			? td_enum_label(e, F->need_cur)
			: td_enum_label(e, *choice_value(F, f));
		snprintf(opt, sizeof opt, _("%s: %s"), label, extra);
		td_ui_wrap(ui, opt, getmaxx(ui->win) - 2, help_line, &c);
	}
	while (c.y <= c.last)
		td_ui_put(ui, c.y++, 0, getmaxx(ui->win), "", A_NORMAL, true);
	F->drawn_help = help_state(F);
}

struct msg_lines {
	char line[2][400];
	int n;
};

static void keep_line(const char *line, void *vctx)
{
	struct msg_lines *m = vctx;
	if (m->n < 2)
		snprintf(m->line[m->n], sizeof m->line[0], "%s", line);
	m->n++;
}

/* The save result or the focused field's error, on the two rows above the
 * status line: a long message (a SIRET explanation, a database error with
 * its path) wraps instead of being cut at the screen edge. */
static void draw_error_line(struct td_ui *ui, const struct form *F)
{
	int y = getmaxy(ui->win) - 3;
	int cols = getmaxx(ui->win);
	char text[700] = "";
	attr_t a = td_ui_attr(ui, TD_R_ERROR);
	struct msg_lines m = { .n = 0 };

	if (F->msg[0]) {
		snprintf(text, sizeof text, "%s", F->msg);
		if (!F->msg_error)
			a = td_ui_attr(ui, TD_R_TITLE);
	} else if (shows_error(F, F->focus)) {
		snprintf(text, sizeof text, "! %s: %s",
			 _(td_fields[F->focus].label),
			 td_vcode_message(F->code[F->focus]));
	} else if (F->bidi_refused[F->focus]) {
		snprintf(text, sizeof text, "! %s: %s",
			 _(td_fields[F->focus].label),
			 td_vcode_message(TD_V_BIDI));
	}
	if (text[0])
		td_ui_wrap(ui, text, cols, keep_line, &m);
	/* One line sits just above the status line; two fill both rows. */
	const char *rows[2] = { "", "" };
	if (m.n == 1)
		rows[1] = m.line[0];
	else if (m.n >= 2) {
		rows[0] = m.line[0];
		rows[1] = m.line[1];
	}
	td_ui_put(ui, y, 0, cols, rows[0], a, true);
	td_ui_put(ui, y + 1, 0, cols, rows[1], a, true);
}

static void form_draw(struct td_ui *ui, void *st, bool full)
{
	struct form *F = st;

	recheck(ui, F);
	if (full) {
		td_ui_draw_header(ui);
		td_ui_draw_title(ui, _("New intake  (* required)"));
		for (int f = 0; f < TD_F_COUNT; f++)
			F->dirty[f] = true;
		F->drawn_help = -1;
		F->whole_help = whole_helps(ui);
		td_ui_put(ui, help_top() - 1, 0, getmaxx(ui->win), "",
			  A_NORMAL, true);
	}
	/* Draw the focused field last: it places the cursor. */
	for (int f = 0; f < TD_F_COUNT; f++) {
		if (f != F->focus && F->dirty[f]) {
			draw_field(ui, F, f);
			F->dirty[f] = false;
		}
	}
	draw_field(ui, F, F->focus);
	F->dirty[F->focus] = false;
	/* Possible duplicates take the help area while there are any
	 * (DUP_SHOWN marks it as theirs). */
	if (td_form_dup_refresh(ui, &F->dup, &F->rec))
		F->drawn_help = -1;
	if (F->dup.n > 0) {
		if (F->drawn_help != DUP_SHOWN)
			td_form_dup_draw(ui, &F->dup, help_top(),
					 getmaxy(ui->win) - 4);
		F->drawn_help = DUP_SHOWN;
	} else if (F->drawn_help != help_state(F)) {
		draw_help(ui, F);
	}
	draw_error_line(ui, F);
	ui->cursor_on = true;
	/* draw_field of the focused field set cur_y/cur_x. */
}

static void set_focus(struct form *F, int f)
{
	if (f < 0)
		f = TD_F_COUNT - 1;
	if (f >= TD_F_COUNT)
		f = 0;
	if (f != F->focus) {
		F->bidi_refused[F->focus] = false;
		F->dirty[F->focus] = true;
		F->dirty[f] = true;
		F->focus = f;
		F->opt_help = false;
	}
	F->msg[0] = '\0';
}

static void changed(struct form *F, int f)
{
	F->draft_dirty = true;
	F->touched[f] = true;
	F->unsynced[f] = true;
	F->dirty[f] = true;
	F->msg[0] = '\0';
}

/* First option whose translated label starts with the typed letter
 * (accents and case ignored); again from the next one when the current
 * option already matches, so repeated presses cycle. */
static void choice_letter(struct form *F, int f, uint32_t cp)
{
	const struct td_enum *e = td_fields[f].choices;
	char key[8], fkey[32];
	int n = td_utf8_encode(cp, key);
	if (n <= 0)
		return;
	key[n] = '\0';
	td_text_fold(key, fkey, sizeof fkey);
	size_t klen = strlen(fkey);
	if (!klen)
		return;

	int *v = choice_value(F, f);
	int cnt = (int)e->count;
	char lab[256];
	td_text_fold(td_enum_label(e, *v), lab, sizeof lab);
	int start = strncmp(lab, fkey, klen) == 0 ? *v + 1 : 0;
	for (int i = 0; i < cnt; i++) {
		int j = (start + i) % cnt;
		td_text_fold(td_enum_label(e, j), lab, sizeof lab);
		if (strncmp(lab, fkey, klen) == 0) {
			*v = j;
			changed(F, f);
			return;
		}
	}
}

static bool choice_key(struct form *F, int f, enum td_action a,
		       const struct td_key *k)
{
	enum td_field_kind kind = td_fields[f].kind;
	int cnt = td_fields[f].choices ? (int)td_fields[f].choices->count : 0;

	if (kind == TD_FK_CHOICE) {
		int *v = choice_value(F, f);
		if (a == TD_A_TOGGLE || a == TD_A_OPT_NEXT) {
			*v = (*v + 1) % cnt;
			changed(F, f);
			return true;
		}
		if (a == TD_A_OPT_PREV) {
			*v = (*v + cnt - 1) % cnt;
			changed(F, f);
			return true;
		}
	} else if (kind == TD_FK_MULTI) {
		if (a == TD_A_OPT_NEXT) {
			F->need_cur = (F->need_cur + 1) % cnt;
			F->dirty[f] = true;
			return true;
		}
		if (a == TD_A_OPT_PREV) {
			F->need_cur = (F->need_cur + cnt - 1) % cnt;
			F->dirty[f] = true;
			return true;
		}
		if (a == TD_A_TOGGLE) {
			td_intake_set_value(&F->rec, f, td_intake_value(&F->rec, f)
					    ^ (1l << F->need_cur));
			changed(F, f);
			return true;
		}
		if (a >= TD_A_NEED_1 && a <= TD_A_NEED_7 &&
		    (int)(a - TD_A_NEED_1) < cnt) {
			F->need_cur = (int)(a - TD_A_NEED_1);
			td_intake_set_value(&F->rec, f, td_intake_value(&F->rec, f)
					    ^ (1l << F->need_cur));
			changed(F, f);
			return true;
		}
	} else if (kind == TD_FK_CHECK) {
		if (a == TD_A_TOGGLE) {
			td_intake_set_value(&F->rec, f,
					    !td_intake_value(&F->rec, f));
			changed(F, f);
			return true;
		}
		if (a == TD_A_YES) {
			td_intake_set_value(&F->rec, f, 1);
			changed(F, f);
			return true;
		}
	}
	/* Not an action for this kind of field: a letter picks an option. */
	if (kind == TD_FK_CHOICE && !k->fn && td_cp_is_letter(k->code)) {
		choice_letter(F, f, k->code);
		return true;
	}
	return false;
}

/* Keep the form as this login's draft (a field left, the line dropped):
 * on failure (a full disk, a file-size limit) the form stays on screen
 * and says so. */
static void keep_draft(struct td_ui *ui, struct form *F)
{
	td_err err = { 0 };
	if (!F->draft_dirty)
		return;
	sync_all(F);
	/* started_at "": the store notes now, the first time. */
	if (td_app_draft_keep(ui->app, &F->rec, F->started_at, &err)) {
		snprintf(F->msg, sizeof F->msg,
			 _("The form in progress could not be kept as a draft: %s"),
			 err.msg);
		F->msg_error = true;
		return;
	}
	F->draft_dirty = false;
}

static void drop_draft(struct td_ui *ui, struct form *F)
{
	td_err err = { 0 };
	if (td_app_draft_drop(ui->app, &err)) {
		snprintf(F->msg, sizeof F->msg, "%s", err.msg);
		F->msg_error = true;
	}
}

static void form_keep(struct td_ui *ui, void *st)
{
	keep_draft(ui, st);
}

static void save(struct td_ui *ui, struct form *F)
{
	char ref[TD_REF_SIZE] = "";
	struct td_intake_check res;
	td_err err = { 0 };

	sync_all(F);
	memset(&res, 0, sizeof res);
	res.first_bad = -1;
	/* A form that would save, with a strong match on show: ask first. */
	if (td_intake_check(&F->rec, td_app_config(ui->app)->required_extra,
			    NULL, &res) == 0 &&
	    !td_form_dup_save_ok(ui, &F->dup, &F->rec))
		return;
	memset(&res, 0, sizeof res);
	res.first_bad = -1;
	int rc = td_app_register(ui->app, &F->rec, ref, &res, &err);
	if (rc == TD_OK) {
		/* A note that fails says so on the status line. */
		(void)td_form_dup_write_notes(ui, &F->dup, ref);
		clear_form(ui, F);
		drop_draft(ui, F);
		char rk[32];
		td_keymap_display(TD_A_ROUTE_SAVED, 1, true, rk, sizeof rk);
		snprintf(F->saved_ref, sizeof F->saved_ref, "%s", ref);
		snprintf(F->msg, sizeof F->msg,
			 _("Dossier %s registered. %s: route it to partners."),
			 ref, rk);
		F->msg_error = false;
		ui->full = true;
		return;
	}
	if (rc == TD_EINVAL && res.first_bad >= 0 &&
	    res.first_bad < TD_F_COUNT) {
		for (int f = 0; f < TD_F_COUNT; f++) {
			F->touched[f] = true;
			F->dirty[f] = true;
		}
		set_focus(F, res.first_bad);
		F->msg[0] = '\0';
		return;
	}
	/* Database trouble: keep everything typed, say what happened. */
	snprintf(F->msg, sizeof F->msg, "%s",
		 err.msg[0] ? err.msg : _("The intake could not be saved."));
	F->msg_error = true;
}

/* A key in a text field: the one line editor's. */
static bool text_act(struct form *F, int f, enum td_action a,
		     const struct td_key *k)
{
	/* Not dropped without a word (the editor takes no control): the
	 * field says why the character was refused (issue 13 point 8). */
	if (!k->fn && td_cp_is_bidi_control(k->code)) {
		F->bidi_refused[f] = true;
		F->dirty[f] = true;
		return true;
	}
	switch (td_edit_act(&F->ed[f], a, k)) {
	case TD_EDIT_IGNORED:
		return false;
	case TD_EDIT_FULL:
		snprintf(F->msg, sizeof F->msg,
			 _("%s: at most %zu characters; the rest was not taken."),
			 _(td_fields[f].label), F->ed[f].max);
		F->msg_error = true;
		return true;
	case TD_EDIT_CHANGED:
		changed(F, f);
		return true;
	default:
		F->dirty[f] = true;
		return true;
	}
}

static const struct td_keyctx *form_mode(const void *st)
{
	const struct form *F = st;
	return is_text(F->focus) ? &text_keys : &choice_keys;
}

static bool form_act(struct td_ui *ui, void *st, enum td_action a,
		     const struct td_key *k)
{
	struct form *F = st;
	int f = F->focus;

	sync_all(F);
	if (td_form_dup_act(ui, &F->dup, a))
		return true;
	switch (a) {
	case TD_A_SAVE:
		save(ui, F);
		return true;
	case TD_A_ROUTE_SAVED:
		if (F->saved_ref[0])
			td_ui_push(ui, &td_scr_route, F->saved_ref);
		return true;
	case TD_A_NEXT_FIELD:
		set_focus(F, f + 1);
		keep_draft(ui, F);
		return true;
	case TD_A_PREV_FIELD:
		set_focus(F, f - 1);
		keep_draft(ui, F);
		return true;
	case TD_A_CANCEL:
		if (td_intake_is_blank(&F->rec) ||
		    td_ui_confirm(ui, _("Leave the form? What was typed will be lost."))) {
			drop_draft(ui, F);
			td_ui_pop(ui);
		} else if (ui->gone) {
			keep_draft(ui, F);
		}
		return true;
	default:
		break;
	}
	if (is_text(f))
		return text_act(F, f, a, k);
	if (!choice_key(F, f, a, k))
		return false;
	/* Another country: the phone, postcode and company hints change
	 * (curses sends only the cells that do). */
	if (f == TD_F_COUNTRY)
		for (int g = 0; g < TD_F_COUNT; g++)
			F->dirty[g] = true;
	/* An option changed or moved: say what it means. */
	F->opt_help = td_fields[f].kind == TD_FK_CHOICE ||
		      td_fields[f].kind == TD_FK_MULTI;
	return true;
}

const struct td_screen td_scr_form = {
	.name = "form",
	.size = sizeof(struct form),
	.mode = form_mode,
	.enter = form_enter,
	.leave = form_leave,
	.draw = form_draw,
	.act = form_act,
	.resume = form_resume,
	.keep = form_keep,
};
