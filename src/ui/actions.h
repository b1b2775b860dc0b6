/* The action table (STYLE.md section 2, after tig's request table and
 * htop's Action table): one row per action, from which keymap.h makes the
 * enum td_action and keymap.c the table td_keydefs[] that the main loop,
 * the help screen, the status line and the configuration's ui.keys all
 * read.  Adding a key is adding a row here (and its translation).
 *
 *   X(ID, config name, context, default keys, label, help)
 *
 * Every action keeps a key that a vt100 sends (F1-F4, Ctrl-letters,
 * plain characters, arrows) and that an AZERTY keyboard reaches without
 * AltGr: where a digit selects, the unshifted top row & é " ' ( - è _ ç
 * selects too (tests/unit/test_ui_keys_thin.c holds both).  Within one
 * context no key may mean two actions.
 *
 * Only files in src/ui include this. */
#ifndef TD_UI_ACTIONS_H
#define TD_UI_ACTIONS_H

/* Key contexts, in the order the help screen lists them:
 *   X(ID, title of its help section) */
#define TD_KCTXS(X) \
	X(GLOBAL, N_("Everywhere")) \
	X(HOME, N_("Home screen")) \
	X(FORM, N_("Intake form")) \
	X(EDIT, N_("Editing a text field")) \
	X(CHOICE, N_("Choice, needs and consent fields")) \
	X(LIST, N_("Lists, detail and help")) \
	X(PROMPT, N_("Typing an answer")) \
	X(CHOOSER, N_("Choosing among options")) \
	X(DIALOG, N_("Questions")) \
	X(PARTNERS, N_("Partners")) \
	X(ROUTE, N_("Route")) \
	X(REFERRAL, N_("Referrals")) \
	X(STATS, N_("Statistics")) \
	X(AGENDA, N_("Agenda")) \
	X(IMPORT, N_("Import")) \
	X(QUEUE, N_("Queue and dossier detail")) \
	X(SYNC, N_("Exchange conflicts"))

#define TD_ACTIONS(X) \
	X(HELP, "help", GLOBAL, "F1, ?", N_("Help"), \
	  N_("Show the keys, those of this screen first (? only where it cannot be typed).")) \
	X(REDRAW, "redraw", GLOBAL, "^L", N_("Redraw"), \
	  N_("Repaint the screen.")) \
	\
	X(MENU_INTAKE, "new_intake", HOME, "n, 1, &", N_("New intake"), \
	  N_("Register a visitor at the desk.")) \
	X(MENU_TODAY, "today", HOME, "t, 2, é", N_("Today's intakes"), \
	  N_("List today's intakes at this site.")) \
	X(MENU_QUEUE, "queue", HOME, "o, 3, \"", N_("Queue of all dossiers"), \
	  N_("Dossiers to follow: search, filter, act.")) \
	X(MENU_AGENDA, "agenda", HOME, "a, 4, '", N_("Agenda"), \
	  N_("Follow-ups due today, this week, late.")) \
	X(MENU_STATS, "statistics", HOME, "s, 5, (", N_("Statistics"), \
	  N_("Charts of intakes and goals.")) \
	X(MENU_IMPORT, "import", HOME, "i, 6, -", N_("Import"), \
	  N_("Earlier intakes from a CSV file.")) \
	X(MENU_PARTNERS, "partners", HOME, "p, 7, è", N_("Partners"), \
	  N_("Partner directory: search, add, edit, deactivate.")) \
	X(MENU_HELP, "menu_help", HOME, "?, 8, _", N_("Help"), \
	  N_("Show this help (same as the help key).")) \
	X(QUIT, "quit", HOME, "q, 9, ç", N_("Quit"), N_("Leave totemdesk.")) \
	\
	X(SAVE, "save", FORM, "F2, ^O", N_("Save"), \
	  N_("Check and register the intake.")) \
	X(NEXT_FIELD, "next_field", FORM, "Tab, Down, ^N", N_("Next"), \
	  N_("Go to the next field.")) \
	X(PREV_FIELD, "prev_field", FORM, "BackTab, Up, ^P", N_("Previous"), \
	  N_("Go to the previous field.")) \
	X(CANCEL, "cancel", FORM, "Esc", N_("Cancel"), \
	  N_("Leave the form (asks before losing typed data).")) \
	X(DUP_OPEN, "duplicate_open", FORM, "F3, ^G", N_("Open existing"), \
	  N_("Already registered: open the dossier shown in the panel (another site's: whom to ask, note the match).")) \
	X(DUP_DISMISS, "duplicate_dismiss", FORM, "F4, ^X", N_("Not the same"), \
	  N_("Already registered: not the same person; do not propose this dossier again.")) \
	X(DUP_NEXT, "duplicate_next", FORM, "^T", N_("Next match"), \
	  N_("Already registered: select the next dossier in the panel.")) \
	X(ROUTE_SAVED, "route_saved", FORM, "F5, ^R", N_("Route"), \
	  N_("After saving: suggest partners for the dossier just registered.")) \
	\
	X(LEFT, "left", EDIT, "Left, ^B", N_("Left"), \
	  N_("Move the cursor one character left.")) \
	X(RIGHT, "right", EDIT, "Right, ^F", N_("Right"), \
	  N_("Move the cursor one character right.")) \
	X(BOL, "line_start", EDIT, "Home, ^A", N_("Start"), \
	  N_("Move to the start of the field.")) \
	X(EOL, "line_end", EDIT, "End, ^E", N_("End"), \
	  N_("Move to the end of the field.")) \
	X(BACKSPACE, "delete_back", EDIT, "Backspace", N_("Erase"), \
	  N_("Erase the character before the cursor.")) \
	X(DELETE, "delete_char", EDIT, "Del, ^D", N_("Delete"), \
	  N_("Delete the character under the cursor.")) \
	X(KILL, "kill_line", EDIT, "^K", N_("Cut"), \
	  N_("Delete from the cursor to the end of the field.")) \
	X(CLEAR, "clear_field", EDIT, "^U", N_("Clear"), \
	  N_("Empty the whole field.")) \
	\
	X(TOGGLE, "toggle", CHOICE, "Space", N_("Change"), \
	  N_("Next option; tick or untick a box.")) \
	X(OPT_NEXT, "next_option", CHOICE, "Right", N_("Next option"), \
	  N_("Next option; in the needs, move to the next box.")) \
	X(OPT_PREV, "prev_option", CHOICE, "Left", N_("Previous option"), \
	  N_("Previous option; in the needs, move to the previous box.")) \
	X(YES, "consent_yes", CHOICE, "o, y", N_("Yes"), \
	  N_("Consent: the visitor agrees.")) \
	X(NEED_1, "need_1", CHOICE, "1, &", N_("Need 1"), \
	  N_("Tick or untick need 1.")) \
	X(NEED_2, "need_2", CHOICE, "2, é", N_("Need 2"), \
	  N_("Tick or untick need 2.")) \
	X(NEED_3, "need_3", CHOICE, "3, \"", N_("Need 3"), \
	  N_("Tick or untick need 3.")) \
	X(NEED_4, "need_4", CHOICE, "4, '", N_("Need 4"), \
	  N_("Tick or untick need 4.")) \
	X(NEED_5, "need_5", CHOICE, "5, (", N_("Need 5"), \
	  N_("Tick or untick need 5.")) \
	X(NEED_6, "need_6", CHOICE, "6, -", N_("Need 6"), \
	  N_("Tick or untick need 6.")) \
	X(NEED_7, "need_7", CHOICE, "7, è", N_("Need 7"), \
	  N_("Tick or untick need 7.")) \
	\
	X(UP, "up", LIST, "Up, k, ^P", N_("Up"), N_("Previous line.")) \
	X(DOWN, "down", LIST, "Down, j, ^N", N_("Down"), N_("Next line.")) \
	X(PGUP, "page_up", LIST, "PgUp, ^B", N_("Page up"), \
	  N_("Previous page.")) \
	X(PGDN, "page_down", LIST, "PgDn, ^F", N_("Page down"), \
	  N_("Next page.")) \
	X(TOP, "first", LIST, "Home, g", N_("First"), N_("First line.")) \
	X(BOTTOM, "last", LIST, "End, G", N_("Last"), N_("Last line.")) \
	X(OPEN, "open", LIST, "Enter", N_("Open"), \
	  N_("Open the selected line.")) \
	X(BACK, "back", LIST, "Esc, q", N_("Back"), \
	  N_("Back to the previous screen.")) \
	X(ROUTE, "route", LIST, "r", N_("Route"), \
	  N_("Dossier detail: suggest partners and refer to them.")) \
	X(REFERRALS, "referrals", LIST, "f", N_("Referrals"), \
	  N_("Dossier detail: the dossier's referrals and their follow-up.")) \
	\
	X(PROMPT_OK, "prompt_ok", PROMPT, "Enter", N_("OK"), \
	  N_("Accept what was typed (a search, a note, a file name...).")) \
	X(PROMPT_CANCEL, "prompt_cancel", PROMPT, "Esc", N_("Cancel"), \
	  N_("Leave the question without accepting what was typed.")) \
	\
	X(CHOOSE_1, "choose_1", CHOOSER, "1, &", N_("Option 1"), \
	  N_("Choose option 1.")) \
	X(CHOOSE_2, "choose_2", CHOOSER, "2, é", N_("Option 2"), \
	  N_("Choose option 2.")) \
	X(CHOOSE_3, "choose_3", CHOOSER, "3, \"", N_("Option 3"), \
	  N_("Choose option 3.")) \
	X(CHOOSE_4, "choose_4", CHOOSER, "4, '", N_("Option 4"), \
	  N_("Choose option 4.")) \
	X(CHOOSE_5, "choose_5", CHOOSER, "5, (", N_("Option 5"), \
	  N_("Choose option 5.")) \
	X(CHOOSE_6, "choose_6", CHOOSER, "6, -", N_("Option 6"), \
	  N_("Choose option 6.")) \
	X(CHOOSE_7, "choose_7", CHOOSER, "7, è", N_("Option 7"), \
	  N_("Choose option 7.")) \
	X(CHOOSE_8, "choose_8", CHOOSER, "8, _", N_("Option 8"), \
	  N_("Choose option 8.")) \
	X(CHOOSE_9, "choose_9", CHOOSER, "9, ç", N_("Option 9"), \
	  N_("Choose option 9.")) \
	\
	X(DLG_YES, "dialog_yes", DIALOG, "o, y", N_("Yes"), \
	  N_("Answer yes to the question.")) \
	X(DLG_NO, "dialog_no", DIALOG, "n, Esc", N_("No"), \
	  N_("Answer no to the question.")) \
	\
	X(P_ADD, "partner_add", PARTNERS, "F5, ^W", N_("Add"), \
	  N_("Partners: add a partner.")) \
	X(P_EDIT, "partner_edit", PARTNERS, "F6, ^E", N_("Edit"), \
	  N_("Partners: edit the selected partner.")) \
	X(P_ACTIVE, "partner_active", PARTNERS, "F8, ^Y", N_("(De)activate"), \
	  N_("Partners: deactivate or reactivate (partners are never deleted).")) \
	X(P_INACTIVE, "partner_show_inactive", PARTNERS, "F7, ^V", \
	  N_("Inactive"), N_("Partners: show or hide inactive partners.")) \
	\
	X(R_PICK, "pick", ROUTE, "Space", N_("Pick"), \
	  N_("Route: pick or unpick the selected partner.")) \
	X(R_REFER, "refer", ROUTE, "F2, ^O", N_("Refer"), \
	  N_("Route: refer the dossier to the picked partners (or the selected one).")) \
	\
	X(R_STATUS, "referral_status", REFERRAL, "s", N_("Status"), \
	  N_("Referrals: change the status (only the allowed next ones).")) \
	X(R_NOTE, "referral_note", REFERRAL, "n", N_("Note"), \
	  N_("Referrals: write the outcome note.")) \
	X(R_FOLLOWUP, "referral_followup", REFERRAL, "d", N_("Follow-up"), \
	  N_("Referrals: set the follow-up date (23/11/2026, 2026-11-23 or +N working days; empty for none).")) \
	X(R_TEXT, "referral_text", REFERRAL, "w", N_("Write text"), \
	  N_("Referrals: write the introduction text to a file (mode 0600).")) \
	X(R_UNDO, "referral_undo", REFERRAL, "u", N_("Undo"), \
	  N_("Referrals: undo the last status change made here (the log keeps both).")) \
	\
	X(ST_PERIOD, "stats_period", STATS, "p", N_("Period"), \
	  N_("Statistics: all time, this year, last 12 months, this month.")) \
	X(ST_SITE, "stats_site", STATS, "s", N_("Site"), \
	  N_("Statistics: every site, or one site after another.")) \
	X(AG_MINE, "agenda_mine", AGENDA, "m", N_("Mine/all"), \
	  N_("Agenda: my follow-ups only, or everybody's.")) \
	X(IM_RUN, "import_run", IMPORT, "F2, ^O", N_("Import"), \
	  N_("Import: check the file typed, then import it after the preview.")) \
	\
	X(Q_SEARCH, "queue_search", QUEUE, "/", N_("Search"), \
	  N_("Queue: search as you type in names, e-mails, projects, notes.")) \
	X(Q_FILTER, "queue_filter", QUEUE, "=", N_("Filters"), \
	  N_("Queue: site, status, stage, sector, need, assignee, dates, overdue.")) \
	X(Q_CLEAR, "queue_clear", QUEUE, "0, à", N_("Clear"), \
	  N_("Queue: remove every filter and the search.")) \
	X(Q_SORT, "queue_sort", QUEUE, "s", N_("Sort"), \
	  N_("Queue: sort by the next column.")) \
	X(Q_REVERSE, "queue_reverse", QUEUE, "d", N_("Reverse"), \
	  N_("Queue: reverse the order (ascending, descending).")) \
	X(Q_MARK, "queue_mark", QUEUE, "Space", N_("Mark"), \
	  N_("Queue: mark or unmark the line, go to the next; a dossier another desk changes after it was marked is left by the actions, named and offered for review.")) \
	X(Q_MARK_ALL, "queue_mark_all", QUEUE, "*", N_("Mark all"), \
	  N_("Queue: mark every line shown (again: unmark them all).")) \
	X(Q_ASSIGN, "queue_assign", QUEUE, "a", N_("Assign"), \
	  N_("Queue and detail: assign the marked (or selected) dossiers.")) \
	X(Q_STATUS, "queue_status", QUEUE, "c", N_("Status"), \
	  N_("Queue and detail: change the status of the marked (or selected) dossiers.")) \
	X(Q_NOTE, "queue_note", QUEUE, "n", N_("Note"), \
	  N_("Queue and detail: add a note to the marked (or selected) dossiers.")) \
	X(Q_EDIT, "queue_edit", QUEUE, "e", N_("Edit"), \
	  N_("Detail: correct a field (checked as in the intake form).")) \
	X(Q_ERASE, "dossier_erase", QUEUE, "E", N_("Erase"), \
	  N_("Detail: erase the person's data (type the reference to confirm).")) \
	X(Q_ACCESS, "access_export", QUEUE, "A", N_("Access"), \
	  N_("Detail: write everything held about the person to a file (right of access).")) \
	X(Q_WITHDRAW, "consent_withdraw", QUEUE, "W", N_("Withdraw"), \
	  N_("Detail: record that the person withdrew their consent: nothing more about them goes to a partner (then offers erasure).")) \
	X(Q_SYNC, "queue_sync_conflicts", QUEUE, "y", N_("Conflicts"), \
	  N_("Queue: the exchange's conflicts between sites, to review and settle (officers).")) \
	X(SY_OTHER_WAY, "sync_other_way", SYNC, "w, ^W", N_("Other way"), \
	  N_("Conflicts: settle the selected one the other way (asks first).")) \
	X(Q_EXPORT, "queue_export", QUEUE, "x", N_("Export"), \
	  N_("Queue: write the rows shown (with marks: asks, marked or all), in order, to a CSV or JSON file.")) \
	X(Q_SAVE_FILTER, "queue_save_filter", QUEUE, "b", N_("Save filter"), \
	  N_("Queue: keep the filters, search and order under a name.")) \
	X(Q_FILTERS, "queue_saved_filters", QUEUE, "m", N_("Saved filters"), \
	  N_("Queue: choose or delete a saved filter.")) \
	X(Q_SAVED_1, "queue_saved_1", QUEUE, "1, &", N_("Filter 1"), \
	  N_("Queue: apply saved filter 1.")) \
	X(Q_SAVED_2, "queue_saved_2", QUEUE, "2, é", N_("Filter 2"), \
	  N_("Queue: apply saved filter 2.")) \
	X(Q_SAVED_3, "queue_saved_3", QUEUE, "3, \"", N_("Filter 3"), \
	  N_("Queue: apply saved filter 3.")) \
	X(Q_SAVED_4, "queue_saved_4", QUEUE, "4, '", N_("Filter 4"), \
	  N_("Queue: apply saved filter 4.")) \
	X(Q_SAVED_5, "queue_saved_5", QUEUE, "5, (", N_("Filter 5"), \
	  N_("Queue: apply saved filter 5.")) \
	X(Q_SAVED_6, "queue_saved_6", QUEUE, "6, -", N_("Filter 6"), \
	  N_("Queue: apply saved filter 6.")) \
	X(Q_SAVED_7, "queue_saved_7", QUEUE, "7, è", N_("Filter 7"), \
	  N_("Queue: apply saved filter 7.")) \
	X(Q_SAVED_8, "queue_saved_8", QUEUE, "8, _", N_("Filter 8"), \
	  N_("Queue: apply saved filter 8.")) \
	X(Q_SAVED_9, "queue_saved_9", QUEUE, "9, ç", N_("Filter 9"), \
	  N_("Queue: apply saved filter 9."))

#endif
