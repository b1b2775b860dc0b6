/* The officers' agenda: follow-ups due today, this week (through Sunday)
 * or already overdue.  Two sources: open referrals with a follow-up date
 * (routing work, migration 3), and dossiers still new or triaged whose
 * next follow-up has come: their last action (as the queue records it,
 * migration 4, else the intake date) plus the configured working days
 * (the queue's rule, td_app_followup).  Everything a td_agenda points to
 * is owned by it: td_agenda_free. */
#ifndef TOTEMDESK_AGENDA_H
#define TOTEMDESK_AGENDA_H

#include "totemdesk/error.h"
#include "totemdesk/intake.h"
#include "totemdesk/record.h"

#include <stdbool.h>
#include <stddef.h>

struct td_app;

/* Most lines an agenda holds (the oldest due first). */
#define TD_AGENDA_MAX 1000

enum td_agenda_kind {
	TD_AG_REFERRAL,  /* call the partner back about a referral */
	TD_AG_DOSSIER,   /* a dossier waiting for its first steps */
};

enum td_agenda_when { TD_AG_OVERDUE, TD_AG_TODAY, TD_AG_WEEK, TD_AG_WHEN_COUNT };

struct td_agenda_item {
	char due[11];            /* local date "YYYY-MM-DD" */
	int when;                /* enum td_agenda_when */
	int kind;                /* enum td_agenda_kind */
	char reference[TD_REF_SIZE];
	char site[4];
	char name[TD_NAME_MAX * 8 + 2];  /* "Lefèvre Zoé" */
	char title[TD_TITLE_MAX * 4 + 1];
	char partner[128];       /* referrals: the partner's name */
	int status;              /* dossier status, index in td_statuses */
	char assigned_to[TD_LOGIN_SIZE];
	char since[TD_TIME_SIZE];  /* dossiers: last action (UTC ISO) */
};

struct td_agenda {
	char today[11], week_end[11];
	struct td_agenda_item *items;    /* owned, by due date */
	size_t n;
	long count[TD_AG_WHEN_COUNT];
};

/* Release what a owns and reset it (core: any layer may free an agenda). */
void td_agenda_free(struct td_agenda *a);

/* The current user's agenda (mine = assigned to me; else everybody's
 * that the user may see: reception staff, their own site). */
int td_app_agenda(struct td_app *app, bool mine, struct td_agenda *out,
		  td_err *err);

#endif
