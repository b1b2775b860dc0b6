/* Records read back from the database, shared by store (fills them), app
 * (passes them on) and ui/cli (show them).  Plain values, no pointers:
 * copying is safe and nothing needs freeing. */
#ifndef TOTEMDESK_RECORD_H
#define TOTEMDESK_RECORD_H

#include "totemdesk/intake.h"

#define TD_ID_SIZE 40   /* "MET-01JD5X8Q9Z3N4P6R7S8T9V0W1X" + NUL */
#define TD_REF_SIZE 24  /* "MET-2026-0042" + NUL */
#define TD_TIME_SIZE 24 /* "2026-11-23T15:51:48Z" + NUL */
#define TD_LOGIN_SIZE 33

/* A full dossier with its holder, as shown in the detail view and export. */
struct td_dossier {
	char id[TD_ID_SIZE];
	char reference[TD_REF_SIZE];
	char site[4];
	char holder_id[TD_ID_SIZE];
	char created_at[TD_TIME_SIZE]; /* UTC, ISO 8601 with Z */
	char updated_at[TD_TIME_SIZE];
	char consent_at[TD_TIME_SIZE];
	char consent_version[32];
	char created_by[TD_LOGIN_SIZE];
	char assigned_to[TD_LOGIN_SIZE];
	int status;        /* index in td_statuses */
	int version;
	/* Issue 14: when its personal data or free texts were erased ("" if
	 * never), and when and by whom the holder's consent was withdrawn. */
	char erased_at[TD_TIME_SIZE];
	char withdrawn_at[TD_TIME_SIZE];
	char withdrawn_by[TD_LOGIN_SIZE];
	struct td_intake v; /* normalised values; phone in E.164 */
};

/* One line of a list: what a list screen needs, without the long text. */
struct td_dossier_row {
	char reference[TD_REF_SIZE];
	char site[4];
	char created_at[TD_TIME_SIZE];
	char last_name[TD_NAME_MAX * 4 + 1];
	char first_name[TD_NAME_MAX * 4 + 1];
	char title[TD_TITLE_MAX * 4 + 1];
	char assigned_to[TD_LOGIN_SIZE];
	int status;
	int stage;
	unsigned needs;
	int version;          /* as read: what a bulk action checks */
};

/* One entry of a dossier's timeline (audit log and notes). */
struct td_event {
	char at[TD_TIME_SIZE];
	char actor[TD_LOGIN_SIZE];
	char action[32];      /* "create", "status", "note", ... */
	char detail[1024];    /* human text (note body, "new -> triaged") */
};

#endif
