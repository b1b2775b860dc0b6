/* The duplicate panel of the intake form (form_dup.c): while the
 * receptionist types, holders already registered that look like the
 * visitor, shown in place of the help text.  Private to src/ui. */
#ifndef TD_UI_FORM_DUP_H
#define TD_UI_FORM_DUP_H

#include "keymap.h"
#include "tui.h"

#include "totemdesk/intake.h"

#include <stdbool.h>

/* Forget the matches and what they were looked up for (new form). */
void td_form_dup_reset(void);

/* Look up again if a field that counts (names, e-mail, phone, postcode,
 * project title, SIRET) changed since the last lookup.  Returns true
 * when what the panel shows changed. */
bool td_form_dup_refresh(struct td_ui *ui, const struct td_intake *rec);

/* Number of matches on show (0 = the help text has the area). */
int td_form_dup_count(void);

/* Draw the panel on rows top..last (inclusive). */
void td_form_dup_draw(struct td_ui *ui, int top, int last);

/* Handle the panel's actions (open, not the same person, next match);
 * false for any other action. */
bool td_form_dup_key(struct td_ui *ui, enum td_action a);

#endif
