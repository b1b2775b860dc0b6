/* The duplicate panel of the intake form (form_dup.c): while the
 * receptionist types, holders already registered that look like the
 * visitor, shown in place of the help text.  Private to src/ui. */
#ifndef TD_UI_FORM_DUP_H
#define TD_UI_FORM_DUP_H

#include "tui.h"

#include "totemdesk/dup.h"
#include "totemdesk/intake.h"

#include <stdbool.h>

/* What the panel may show: one title row and up to three matches fit in
 * the help area of an 80x24 terminal. */
#define TD_FORM_DUP_MAX 6

/* The panel's state, part of the form's. */
struct td_form_dup {
	struct td_dup_match m[TD_FORM_DUP_MAX];
	int n;         /* matches on show (0 = the help text has the area) */
	int cur;
	/* The fields the last lookup was for, to skip repeated lookups. */
	char seen[TD_NAME_MAX * 8 + TD_EMAIL_MAX + TD_TITLE_MAX * 4 +
		  TD_COMPANY_MAX * 4 + 160];
	bool looked;
	bool dirty;    /* selection moved: redraw */
	/* Matches at another site the receptionist chose to note in the new
	 * dossier (written once it is saved). */
	char noted[TD_FORM_DUP_MAX][TD_REF_SIZE];
	char noted_why[TD_FORM_DUP_MAX][200];
	int nnoted;
};

/* Forget the matches and what they were looked up for (new form). */
void td_form_dup_reset(struct td_form_dup *d);

/* Look up again if a field that counts (names, e-mail, phone, postcode,
 * project title, SIRET) changed since the last lookup.  Returns true
 * when what the panel shows changed. */
bool td_form_dup_refresh(struct td_ui *ui, struct td_form_dup *d,
			 const struct td_intake *rec);

/* Draw the panel on rows top..last (inclusive). */
void td_form_dup_draw(struct td_ui *ui, const struct td_form_dup *d, int top,
		      int last);

/* F2 pressed on a valid form: a strong match (same e-mail, phone or
 * SIREN) the desk did not dismiss asks "register a new dossier anyway?";
 * no opens the existing dossier (at another site: says where and whom
 * to ask).  true: go on and save. */
bool td_form_dup_save_ok(struct td_ui *ui, struct td_form_dup *d,
			 const struct td_intake *rec);

/* The new dossier ref was saved: write the notes of the other sites'
 * matches the receptionist chose to note.  false (message flashed) if
 * one could not be written. */
bool td_form_dup_write_notes(struct td_ui *ui, const struct td_form_dup *d,
			     const char *ref);

/* Handle the panel's actions (open, not the same person, next match);
 * false for any other action. */
bool td_form_dup_act(struct td_ui *ui, struct td_form_dup *d,
		     enum td_action a);

#endif
