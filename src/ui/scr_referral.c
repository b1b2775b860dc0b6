/* Referral screen: a dossier's referrals with status, dates, follow-up
 * and outcome note; change the status (only to the statuses the state
 * machine allows), write a note, set the follow-up date, write the
 * introduction text to a file.  Entered with the dossier's reference. */
#include "prompt.h"
#include "tui.h"

#include "totemdesk/date.h"
#include "totemdesk/i18n.h"
#include "totemdesk/outfile.h"
#include "totemdesk/referral.h"
#include "totemdesk/timefmt.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#define FIRST_ROW 3

enum { ASK_STATUS = 1, ASK_NOTE, ASK_FOLLOWUP, ASK_FILE };

struct referrals {
	char ref[TD_REF_SIZE];
	struct td_referral *v;
	int n;
	struct td_scroll sc;
	struct td_prompt pr;
	struct td_chooser ch;         /* the next status */
	int statuses[TD_RS_COUNT];    /* the chooser's statuses, in order */
	char today[11];
	char err[512];
	/* The last status change made here, until something else changes:
	 * the referral as it was, and the updated_at the change wrote. */
	struct td_referral undo;
	char undo_at[TD_TIME_SIZE];
	bool can_undo;
};

static const struct td_keyctx referral_keys = {
	.ctx = { TD_KC_REFERRAL, TD_KC_LIST, TD_KC_GLOBAL },
	.hints = { TD_A_R_STATUS, TD_A_R_NOTE, TD_A_R_FOLLOWUP, TD_A_R_TEXT,
		   TD_A_BACK },
};

static const struct td_keyctx *referral_mode(const void *st)
{
	const struct referrals *S = st;
	return S->pr.active ? &td_prompt_keys
	       : S->ch.active ? &td_chooser_keys : NULL;
}

static void load(struct td_ui *ui, struct referrals *S)
{
	td_err err = { 0 };
	free(S->v);
	S->v = NULL;
	S->n = 0;
	S->err[0] = '\0';
	if (td_app_referral_list(ui->app, S->ref, &S->v, &S->n, &err) != TD_OK)
		snprintf(S->err, sizeof S->err, "%s", err.msg);
	S->sc.n = S->n;
	/* "Today" as the application sees it (the clock tests can fix). */
	td_day_format(td_app_today(), S->today, sizeof S->today);
}

static int ref_enter(struct td_ui *ui, void *st, const void *arg)
{
	struct referrals *S = st;
	const char *ref = arg;
	snprintf(S->ref, sizeof S->ref, "%s", ref ? ref : "");
	load(ui, S);
	if (S->err[0] && S->n == 0) {
		td_ui_flash(ui, true, S->err);
		free(S->v);
		return TD_ENOTFOUND;
	}
	return TD_OK;
}

static void ref_leave(struct td_ui *ui, void *st)
{
	free(((struct referrals *)st)->v);
}

/* Each referral takes two rows; one row is kept free above the prompt. */
static int visible(const struct td_ui *ui)
{
	int r = (td_ui_rows(ui, FIRST_ROW, true) - 1) / 2;
	return r > 1 ? r : 1;
}

static void ref_draw(struct td_ui *ui, void *st, bool full)
{
	struct referrals *S = st;
	int cols = getmaxx(ui->win);
	int rows = visible(ui);
	char title[256], line[900], when[64];

	if (td_app_changed(ui->app))
		load(ui, S);
	snprintf(title, sizeof title, _("Referrals of dossier %s"), S->ref);
	td_ui_draw_header(ui);
	td_ui_draw_title(ui, title);
	if (S->n) {
		line[0] = '\0';
	} else {
		char key[64];
		td_keymap_display(TD_A_ROUTE, 1, true, key, sizeof key);
		snprintf(line, sizeof line,
			 /* TRANSLATORS: %s is the key that routes a dossier
			  * from its detail ("r" unless rebound). */
			 _("No referral yet: route the dossier from its detail (%s)."),
			 key);
	}
	td_ui_put(ui, 2, 0, cols, line, td_ui_attr(ui, TD_R_HELP), true);
	td_scroll_key(&S->sc, TD_A_NONE, rows, true);
	if (S->ch.active)
		td_chooser_draw(ui, &S->ch, FIRST_ROW, FIRST_ROW + 2 * rows - 1);
	for (int r = 0; r < rows && !S->ch.active; r++) {
		long i = S->sc.top + r;
		int y = FIRST_ROW + 2 * r;
		if (i >= S->n) {
			td_ui_put(ui, y, 0, cols, "", A_NORMAL, true);
			td_ui_put(ui, y + 1, 0, cols, "", A_NORMAL, true);
			continue;
		}
		const struct td_referral *f = &S->v[i];
		bool sel = i == S->sc.cur;
		bool due = f->followup_on[0] && td_referral_is_open(f->status) &&
			   strcmp(f->followup_on, S->today) <= 0;
		attr_t a = td_ui_attr(ui, sel ? TD_R_SELECTED : TD_R_NORMAL);
		td_ui_local_time(ui, f->status_at, true, when, sizeof when);
		snprintf(line, sizeof line, "%s  [%s] %s", f->partner_name,
			 td_enum_label(&td_referral_statuses, f->status), when);
		td_ui_put(ui, y, 0, 1, sel ? ">" : "", a, true);
		td_ui_put(ui, y, 1, cols - 1, line, a, true);
		if (f->followup_on[0]) {
			char shown[16];
			td_date_show_ymd(f->followup_on, 0, shown, sizeof shown);
			snprintf(line, sizeof line, "%s %s%s%s",
				 due ? _("FOLLOW-UP DUE") : _("follow-up"),
				 shown, f->outcome[0] ? " — " : "", f->outcome);
		}
		else
			snprintf(line, sizeof line, "%s", f->outcome);
		td_ui_put(ui, y + 1, 0, 4, "", A_NORMAL, true);
		td_ui_put(ui, y + 1, 4, cols - 4, line,
			  td_ui_attr(ui, due ? TD_R_OVERDUE : TD_R_HELP), true);
	}
	int py = getmaxy(ui->win) - 2;
	if (S->pr.active) {
		td_prompt_draw(ui, &S->pr, py);
		return;
	}
	td_ui_put(ui, py, 0, cols, S->err, td_ui_attr(ui, TD_R_ERROR), true);
	if (!S->ch.active) {
		ui->cur_y = FIRST_ROW + 2 * (int)(S->sc.cur - S->sc.top);
		ui->cur_x = 0;
	}
}

static void ask_status(struct td_ui *ui, struct referrals *S,
		       const struct td_referral *f)
{
	int n = 0;

	td_chooser_open(&S->ch, ASK_STATUS, _("New status"));
	for (int to = 0; to < TD_RS_COUNT; to++) {
		if (!td_referral_transition_ok(f->status, to))
			continue;
		S->statuses[n++] = to;
		td_chooser_add(&S->ch, td_enum_label(&td_referral_statuses, to));
	}
	if (!n) {
		S->ch.active = false;
		td_ui_flash(ui, true,
			    _("This referral is closed: its status cannot change."));
	}
}

/* path as the user reads it whole: a relative one after the working
 * directory it is relative to. */
static void whole_path(const char *path, char *out, size_t outsz)
{
	char cwd[512];
	if (path[0] == '/' || !getcwd(cwd, sizeof cwd))
		snprintf(out, outsz, "%s", path);
	else
		snprintf(out, outsz, "%s/%s", strcmp(cwd, "/") ? cwd : "",
			 path);
}

/* A status no referral leaves (accepted, declined): asked first. */
static bool is_final(int status)
{
	for (int to = 0; to < TD_RS_COUNT; to++)
		if (td_referral_transition_ok(status, to))
			return false;
	return true;
}

/* Change referral f as shown (its version): to, outcome, followup as
 * td_app_referral_update.  If another desk changed it since (issue 13
 * point 2), say what it holds now (theirs) beside what was chosen or
 * typed (yours) and ask: yours is applied at the version now stored --
 * a note or a date over their status, which stays -- or theirs is kept
 * and the message repeats yours, so nothing typed is lost.  *before:
 * the referral as it was just before the write. */
static int update(struct td_ui *ui, const struct td_referral *f, int to,
		  const char *outcome, const char *followup,
		  struct td_referral *before, td_err *err)
{
	char q[900], theirs[520], yours[520];
	const char *what;
	struct td_referral now;

	*before = *f;
	int rc = td_app_referral_update(ui->app, f->id, f->version, to, outcome,
					followup, err);
	if (rc != TD_ECONFLICT ||
	    td_app_referral_get(ui->app, f->id, &now, err) != TD_OK)
		return rc;
	if (outcome) {
		what = _("Outcome note");
		snprintf(theirs, sizeof theirs, "%s", now.outcome);
		snprintf(yours, sizeof yours, "%s", outcome);
	} else if (followup) {
		what = _("Follow-up");
		td_date_show_ymd(now.followup_on, 0, theirs, sizeof theirs);
		snprintf(yours, sizeof yours, "%s", followup);
	} else {
		what = _("Status");
		snprintf(theirs, sizeof theirs, "%s",
			 td_enum_label(&td_referral_statuses, now.status));
		snprintf(yours, sizeof yours, "%s",
			 td_enum_label(&td_referral_statuses, to));
	}
	snprintf(q, sizeof q,
		 /* TRANSLATORS: the partner, what changed ("Status"), the
		  * value another desk saved, the value chosen here. */
		 _("The referral to %s was changed at another desk while you worked on it. %s: now \"%s\" (theirs); you chose \"%s\" (yours). Apply yours?"),
		 now.partner_name, what, theirs, yours);
	if (!td_ui_confirm(ui, q)) {
		return td_err_set(err, TD_ECONFLICT,
			_("Kept theirs (%s: \"%s\"); yours was \"%s\"."),
			what, theirs, yours);
	}
	*before = now;
	return td_app_referral_update(ui->app, f->id, now.version,
				      outcome || followup ? now.status : to,
				      outcome, followup, err);
}

/* A final status is confirmed; any status change can be undone (u)
 * until something else changes the referral. */
static int set_status(struct td_ui *ui, struct referrals *S,
		      const struct td_referral *f, int to, td_err *err)
{
	char msg[600], key[32];
	const char *label = td_enum_label(&td_referral_statuses, to);

	if (is_final(to)) {
		snprintf(msg, sizeof msg,
			 _("Mark the referral to %s as \"%s\"? It is final: no status comes after it."),
			 f->partner_name, label);
		if (!td_ui_confirm(ui, msg)) {
			td_ui_flash(ui, false, _("Nothing was changed."));
			return TD_OK;
		}
	}
	struct td_referral before;
	int rc = update(ui, f, to, NULL, NULL, &before, err);
	if (rc != TD_OK)
		return rc;
	load(ui, S);
	for (int i = 0; i < S->n; i++)
		if (strcmp(S->v[i].id, before.id) == 0) {
			S->undo = before;
			memcpy(S->undo_at, S->v[i].updated_at, sizeof S->undo_at);
			S->can_undo = true;
		}
	td_keymap_display(TD_A_R_UNDO, 1, true, key, sizeof key);
	snprintf(msg, sizeof msg, _("Status changed to \"%s\". %s: undo."),
		 label, key);
	td_ui_flash(ui, false, msg);
	return TD_OK;
}

static void undo(struct td_ui *ui, struct referrals *S)
{
	td_err err = { 0 };
	char msg[600];

	if (!S->can_undo) {
		td_ui_flash(ui, true,
			    _("Nothing to undo: only the last status change made on this screen can be undone."));
		return;
	}
	S->can_undo = false;
	int rc = td_app_referral_undo(ui->app, &S->undo, S->undo_at, &err);
	if (rc != TD_OK) {
		if (!td_ui_offer_erasure(ui, S->ref, rc, &err))
			td_ui_flash(ui, true, err.msg);
	} else {
		snprintf(msg, sizeof msg,
			 _("Undone: the referral to %s is \"%s\" again."),
			 S->undo.partner_name,
			 td_enum_label(&td_referral_statuses, S->undo.status));
		td_ui_flash(ui, false, msg);
	}
	load(ui, S);
}

/* Apply what was asked (tag) to referral f: the status chosen, or the
 * text typed. */
static void apply(struct td_ui *ui, struct referrals *S,
		  const struct td_referral *f, int tag)
{
	td_err err = { 0 };
	char id[TD_ID_SIZE], msg[600];
	const char *text = S->pr.text;
	struct td_referral before;
	int rc = TD_OK;

	snprintf(id, sizeof id, "%s", f->id);
	switch (tag) {
	case ASK_STATUS:
		if ((rc = set_status(ui, S, f, S->statuses[S->ch.cur], &err)))
			break;
		return;
	case ASK_NOTE:
		S->can_undo = false;
		rc = update(ui, f, f->status, text, NULL, &before, &err);
		break;
	case ASK_FOLLOWUP:
		S->can_undo = false;
		rc = update(ui, f, f->status, NULL, text, &before, &err);
		break;
	case ASK_FILE:
		rc = td_app_referral_text_file(ui->app, id, NULL, text, 0, &err);
		if (rc == TD_EEXIST) {
			snprintf(msg, sizeof msg, _("%s exists. Replace it?"),
				 text);
			if (!td_ui_confirm(ui, msg))
				break;
			rc = td_app_referral_text_file(ui->app, id, NULL, text,
						       TD_OUT_FORCE, &err);
		}
		if (rc == TD_OK) {
			char whole[600];
			whole_path(text, whole, sizeof whole);
			snprintf(msg, sizeof msg,
				 _("Introduction text written to %s."), whole);
			td_ui_flash(ui, false, msg);
		}
		break;
	}
	if (rc != TD_OK && !td_ui_offer_erasure(ui, S->ref, rc, &err))
		td_ui_flash(ui, true, err.msg);
	load(ui, S);
}

static bool ref_act(struct td_ui *ui, void *st, enum td_action a,
		    const struct td_key *k)
{
	struct referrals *S = st;
	const struct td_referral *f = S->sc.cur < S->n ? &S->v[S->sc.cur] : NULL;
	char path[600];
	bool changed;

	if (S->pr.active) {
		if (td_prompt_act(&S->pr, a, k, &changed) > 0 && f)
			apply(ui, S, f, S->pr.tag);
		return true;
	}
	if (S->ch.active) {
		if (td_chooser_act(&S->ch, a) > 0 && f)
			apply(ui, S, f, S->ch.tag);
		return true;
	}
	switch (a) {
	case TD_A_R_STATUS:
		if (f)
			ask_status(ui, S, f);
		return true;
	case TD_A_R_NOTE:
		if (f)
			td_prompt_open(&S->pr, ASK_NOTE, _("Outcome note"),
				       f->outcome, 500, 0);
		return true;
	case TD_A_R_FOLLOWUP:
		if (f) {
			char label[160], shown[16];
			td_date_show_ymd(f->followup_on, 0, shown, sizeof shown);
			snprintf(label, sizeof label,
				 /* TRANSLATORS: %s is how to write a date,
				  * e.g. JJ/MM/AAAA. */
				 _("Follow-up date (%s, or +N working days; empty for none)"),
				 td_date_pattern());
			td_prompt_open(&S->pr, ASK_FOLLOWUP, label, shown, 10, 0);
		}
		return true;
	case TD_A_R_TEXT:
		if (f) {
			/* In the directory totemdesk was started from, the
			 * whole path shown and editable. */
			char name[200];
			snprintf(name, sizeof name, "mise-en-relation-%s-%s.txt",
				 S->ref, f->partner_id);
			whole_path(name, path, sizeof path);
			td_prompt_open(&S->pr, ASK_FILE, _("Write the text to"),
				       path, 500, 0);
		}
		return true;
	case TD_A_R_UNDO:
		undo(ui, S);
		return true;
	case TD_A_BACK:
		td_ui_pop(ui);
		return true;
	case TD_A_ROUTE:
		/* Replace this screen: routing comes back here when done. */
		td_ui_pop(ui);
		td_ui_push(ui, &td_scr_route, S->ref);
		return true;
	default:
		return td_scroll_key(&S->sc, a, visible(ui), true);
	}
}

const struct td_screen td_scr_referral = {
	.name = "referral",
	.size = sizeof(struct referrals),
	.keys = &referral_keys,
	.mode = referral_mode,
	.enter = ref_enter,
	.leave = ref_leave,
	.draw = ref_draw,
	.act = ref_act,
};
