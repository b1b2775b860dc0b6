/* Import of earlier intakes: type the CSV file's path, see what would
 * happen (the problems first, then the first rows, from a dry run that
 * checks exactly what the import will), and import on confirmation. */
#include "edit.h"
#include "tui.h"
#include "view.h"

#include "totemdesk/i18n.h"
#include "totemdesk/import.h"

#include <stdio.h>
#include <string.h>

#define PREVIEW_ROWS 10

enum stage { ST_PATH, ST_PREVIEW, ST_DONE };

struct import {
	enum stage stage;
	struct td_edit ed;      /* the file's path, typed */
	char path[1024];        /* the path checked and imported */
	struct td_view v;
	struct td_import_result res;
	char err[512];
};

/* Typing the path: every printable character is part of it. */
static const struct td_keyctx path_keys = {
	.ctx = { TD_KC_IMPORT, TD_KC_EDIT, TD_KC_PROMPT, TD_KC_GLOBAL },
	.text = true,
	.hints = { TD_A_HELP },
};

static const struct td_keyctx preview_keys = {
	.ctx = { TD_KC_IMPORT, TD_KC_LIST, TD_KC_GLOBAL },
	.hints = { TD_A_PGUP, TD_A_PGDN, TD_A_BACK, TD_A_IM_RUN, TD_A_HELP },
};

static const struct td_keyctx *import_mode(const void *st)
{
	const struct import *I = st;
	return I->stage == ST_PATH ? &path_keys : &preview_keys;
}

static int import_enter(struct td_ui *ui, void *st, const void *arg)
{
	struct import *I = st;
	td_err err = { 0 };
	/* Refused before the path is typed, not after the preview. */
	if (td_app_may_import(ui->app, &err) != TD_OK) {
		td_ui_flash(ui, true, err.msg);
		return err.code;
	}
	td_edit_init(&I->ed, 0, sizeof I->path - 1);
	return TD_OK;
}

static void import_leave(struct td_ui *ui, void *st)
{
	struct import *I = st;
	td_import_result_free(&I->res);
	td_view_free(&I->v);
}


static void add_problems(struct td_ui *ui, struct import *I)
{
	char line[1024];
	for (size_t i = 0; i < I->res.nproblems; i++) {
		td_import_problem_format(I->path, &I->res.problems[i], line,
					 sizeof line);
		td_view_add(&I->v, NULL, line, TD_R_ERROR);
	}
}

/* "KEY: what it does." for action a, the key as configured. */
static void key_line(enum td_action a, const char *what, char *out,
		     size_t outsz)
{
	char keys[64];
	td_keymap_display(a, 1, true, keys, sizeof keys);
	/* TRANSLATORS: a key and what it does, as in "Esc: back." */
	snprintf(out, outsz, _("%s: %s"), keys, what);
}

/* The page after a check (dry) or an import (written).  Each count has
 * its own plural form, so the sentences are put together from parts. */
static void fill_view(struct td_ui *ui, struct import *I, int rc,
		      const td_err *err, bool dry)
{
	char line[1024], a[160], b[160], c[160], d[160];

	td_view_free(&I->v);
	I->v.label_w = 0;
	if (dry) {
		snprintf(a, sizeof a, ngettext("%ld row read", "%ld rows read",
					       (unsigned long)I->res.rows),
			 I->res.rows);
		snprintf(b, sizeof b,
			 ngettext("%ld can be imported", "%ld can be imported",
				  (unsigned long)I->res.good),
			 I->res.good);
		snprintf(c, sizeof c,
			 ngettext("%ld has problems", "%ld have problems",
				  (unsigned long)I->res.bad),
			 I->res.bad);
		snprintf(d, sizeof d,
			 ngettext("%ld already registered",
				  "%ld already registered",
				  (unsigned long)I->res.duplicates),
			 I->res.duplicates);
		snprintf(line, sizeof line,
			 /* TRANSLATORS: rows read: can be imported, have
			  * problems (already registered), each part a
			  * plural message of its own. */
			 _("%s: %s, %s (%s)."), a, b, c, d);
	} else if (rc == TD_OK) {
		snprintf(a, sizeof a,
			 ngettext("%ld dossier imported", "%ld dossiers imported",
				  (unsigned long)I->res.imported),
			 I->res.imported);
		snprintf(b, sizeof b,
			 ngettext("%ld row skipped", "%ld rows skipped",
				  (unsigned long)I->res.bad),
			 I->res.bad);
		snprintf(line, sizeof line,
			 /* TRANSLATORS: dossiers imported, rows skipped. */
			 _("%s, %s."), a, b);
	} else {
		snprintf(line, sizeof line, "%s", err->msg);
	}
	td_view_add(&I->v, NULL, line, rc == TD_OK || dry ? TD_R_NORMAL
							 : TD_R_ERROR);
	if (I->res.nproblems) {
		td_view_add(&I->v, NULL, "", TD_R_NORMAL);
		td_view_add(&I->v, NULL, _("Problems"), TD_R_TITLE);
		add_problems(ui, I);
	}
	if (I->res.npreview) {
		td_view_add(&I->v, NULL, "", TD_R_NORMAL);
		td_view_add(&I->v, NULL, dry ? _("First rows") : _("First rows imported"),
			    TD_R_TITLE);
		for (size_t i = 0; i < I->res.npreview; i++) {
			const struct td_import_row *r = &I->res.preview[i];
			char ref[64], site[16];
			snprintf(line, sizeof line, "%5ld  %s  %s  %s  %s",
				 r->line,
				 td_ui_fit(ui, r->ok ? r->reference
						     : _("(refused)"), 13, ref,
					   sizeof ref),
				 td_ui_fit(ui, r->site, 3, site, sizeof site),
				 r->name, r->title);
			td_view_add(&I->v, NULL, line,
				    r->ok ? TD_R_NORMAL : TD_R_ERROR);
		}
	}
	if (dry && I->res.good > 0) {
		char keys[64];
		td_keymap_display(TD_A_IM_RUN, 2, true, keys, sizeof keys);
		td_view_add(&I->v, NULL, "", TD_R_NORMAL);
		snprintf(a, sizeof a,
			 ngettext("%s: import the %ld good row.",
				  "%s: import the %ld good rows.",
				  (unsigned long)I->res.good),
			 keys, I->res.good);
		key_line(TD_A_BACK, _("back."), b, sizeof b);
		snprintf(line, sizeof line, "%s  %s", a, b);
		td_view_add(&I->v, NULL, line, TD_R_HELP);
	}
}

static void check(struct td_ui *ui, struct import *I)
{
	struct td_import_options o = { I->path, true, true, PREVIEW_ROWS };
	td_err err = { 0 };
	I->err[0] = '\0';
	int rc = td_app_import_file(ui->app, I->path, &o, &I->res, &err);
	if (rc != TD_OK) {
		snprintf(I->err, sizeof I->err, "%s", err.msg);
		return;
	}
	fill_view(ui, I, rc, &err, true);
	I->stage = ST_PREVIEW;
	ui->full = true;
}

static void run(struct td_ui *ui, struct import *I)
{
	char q[400], a[160], b[160];
	if (I->res.good == 0)
		return;
	if (I->res.bad) {
		snprintf(a, sizeof a,
			 ngettext("Import %ld dossier", "Import %ld dossiers",
				  (unsigned long)I->res.good),
			 I->res.good);
		snprintf(b, sizeof b,
			 ngettext("skip the %ld row with problems",
				  "skip the %ld rows with problems",
				  (unsigned long)I->res.bad),
			 I->res.bad);
		snprintf(q, sizeof q,
			 /* TRANSLATORS: "Import 2 dossiers" and "skip the
			  * 1 row with problems", asked as one question. */
			 _("%s and %s?"), a, b);
	} else {
		snprintf(q, sizeof q,
			 ngettext("Import %ld dossier?", "Import %ld dossiers?",
				  (unsigned long)I->res.good),
			 I->res.good);
	}
	if (!td_ui_confirm(ui, q))
		return;
	/* The user has seen the problems: skipping the bad rows is what
	 * the question said. */
	struct td_import_options o = { I->path, false, true, PREVIEW_ROWS };
	td_err err = { 0 };
	int rc = td_app_import_file(ui->app, I->path, &o, &I->res, &err);
	fill_view(ui, I, rc, &err, false);
	I->stage = ST_DONE;
	ui->full = true;
}

struct help_ctx {
	struct td_ui *ui;
	int y, last, width;
	attr_t attr;
};

static void help_line(const char *line, void *vctx)
{
	struct help_ctx *c = vctx;
	if (c->y <= c->last)
		td_ui_put(c->ui, c->y++, 2, c->width, line, c->attr, true);
}

static void import_draw(struct td_ui *ui, void *st, bool full)
{
	struct import *I = st;
	int width = getmaxx(ui->win);

	td_ui_draw_header(ui);
	td_ui_draw_title(ui, _("Import earlier intakes from a CSV file"));
	if (I->stage != ST_PATH) {
		td_view_draw(ui, &I->v);
		ui->cur_y = TD_UI_BODY;
		ui->cur_x = 0;
		return;
	}
	for (int y = TD_UI_BODY; y < getmaxy(ui->win) - 1; y++)
		td_ui_put(ui, y, 0, width, "", A_NORMAL, true);
	/* The list of columns is longer than a line: wrapped, and the
	 * rows below follow it (room kept for them on a short screen). */
	struct help_ctx h = { ui, TD_UI_BODY + 1, getmaxy(ui->win) - 8,
			      width - 4, td_ui_attr(ui, TD_R_HELP) };
	td_ui_wrap(ui, _("Columns are found by their names, as in the export: "
			 "reference, site, created_at, status, last_name, "
			 "first_name, email, phone, postcode, city, "
			 "project_title, stage, sector, needs, siret, "
			 "description, consent."),
		   width - 4, help_line, &h);
	int file_row = h.y + 1;
	td_ui_put(ui, file_row, 2, 16, _("File:"), td_ui_attr(ui, TD_R_LABEL),
		  true);
	/* Long paths scroll: the end, where the file name is, shows. */
	attr_t fa = td_ui_attr(ui, TD_R_FIELD_FOCUS);
	int cx = td_edit_draw(ui, &I->ed, file_row, 18, width - 20, fa, fa);
	char check_keys[160], back_keys[160], keys[330];
	key_line(TD_A_PROMPT_OK, _("check the file (nothing is written yet)."),
		 check_keys, sizeof check_keys);
	key_line(TD_A_PROMPT_CANCEL, _("back."), back_keys, sizeof back_keys);
	snprintf(keys, sizeof keys, "%s  %s", check_keys, back_keys);
	td_ui_put(ui, file_row + 2, 2, width - 4, keys,
		  td_ui_attr(ui, TD_R_HELP), true);
	td_ui_put(ui, file_row + 4, 2, width - 4, I->err,
		  td_ui_attr(ui, TD_R_ERROR), true);
	ui->cursor_on = true;
	ui->cur_y = file_row;
	ui->cur_x = cx;
}

/* Check the path typed. */
static void check_path(struct td_ui *ui, struct import *I)
{
	td_edit_get(&I->ed, I->path, sizeof I->path);
	if (I->path[0])
		check(ui, I);
}

static bool import_act(struct td_ui *ui, void *st, enum td_action a,
		       const struct td_key *k)
{
	struct import *I = st;

	if (I->stage == ST_PATH) {
		switch (a) {
		case TD_A_IM_RUN:
		case TD_A_PROMPT_OK:
			check_path(ui, I);
			return true;
		case TD_A_PROMPT_CANCEL:
			td_ui_pop(ui);
			return true;
		default:
			return td_edit_act(&I->ed, a, k) != TD_EDIT_IGNORED;
		}
	}
	switch (a) {
	case TD_A_IM_RUN:
		if (I->stage == ST_PREVIEW)
			run(ui, I);
		return true;
	case TD_A_BACK:
		if (I->stage == ST_PREVIEW) {
			/* Back to the path, to correct the file and check
			 * again. */
			I->stage = ST_PATH;
			ui->full = true;
		} else {
			td_ui_pop(ui);
		}
		return true;
	default:
		return td_view_act(ui, &I->v, a);
	}
}

const struct td_screen td_scr_import = {
	.name = "import",
	.size = sizeof(struct import),
	.mode = import_mode,
	.enter = import_enter,
	.leave = import_leave,
	.draw = import_draw,
	.act = import_act,
};
