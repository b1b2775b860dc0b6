/* The configuration file (libconfig syntax), see config/totemdesk.conf.
 * Loading validates everything and reports the first problem as
 * "FILE:LINE: message" (TD_ECONFIG, exit code 2). */
#ifndef TOTEMDESK_CONFIG_H
#define TOTEMDESK_CONFIG_H

#include "totemdesk/error.h"
#include "totemdesk/similar.h"

#include <limits.h>
#include <stdbool.h>
#include <stddef.h>

#define TD_MAX_SITES 16
#define TD_MAX_KEY_OVERRIDES 64
#define TD_MAX_HOLIDAYS 256

struct td_site_cfg {
	char code[4];        /* THI, MET, NAN, EPI, COO ... (3 capitals) */
	char name[64];       /* "Metz" */
	char totem[128];     /* "Bliiida" */
	char city[64];
	char address[160];
	bool coordination;   /* the coordination office, not a Totem */
	int country;         /* enum td_country of the visitors it registers
			      * by default: "country" (FR when absent) */
};

struct td_user_cfg {
	char login[33];      /* Unix login */
	char name[81];       /* display name */
	int role;            /* enum td_role_code */
	char site[4];
};

/* A key override as written in ui.keys: action name and key list, kept as
 * text for the UI to parse (only the UI knows terminal key codes). */
struct td_key_cfg {
	char action[32];
	char keys[96];       /* "F2, ^W" */
	int line;            /* for error messages */
};

#define TD_MAX_GOALS 16

/* A programme goal ("goals" section): how many dossiers should reach one
 * of the statuses within the period, e.g. 100 startups supported. */
struct td_goal_cfg {
	char name[128];
	long target;         /* > 0 */
	char from[11];       /* "YYYY-MM-DD", inclusive */
	char to[11];         /* "YYYY-MM-DD", inclusive */
	unsigned statuses;   /* bit i = td_statuses entry i */
	int line;            /* for messages */
};

struct td_config {
	char path[PATH_MAX];        /* file it came from, "" for built-in */
	char site[4];               /* this installation's site */
	char database[PATH_MAX];    /* "" = default under XDG_DATA_HOME */
	struct td_site_cfg sites[TD_MAX_SITES];
	size_t nsites;
	struct td_user_cfg *users;  /* owned; td_config_free */
	struct td_routing *routing; /* owned; NULL = built-in (referral.h) */
	size_t nusers;
	char language[3];           /* "fr" or "en" */
	bool color;
	struct td_key_cfg keys[TD_MAX_KEY_OVERRIDES];
	size_t nkeys;
	unsigned required_extra;    /* bit mask of td_field_id */
	char consent_text[512];
	char consent_version[32];
	int draft_hours;            /* intake.draft_hours: drafts purged after */
	struct td_goal_cfg goals[TD_MAX_GOALS]; /* "goals" section */
	size_t ngoals;
	/* "followup": a dossier with no action for followup_days working
	 * days is overdue; holidays are day numbers (bizdays.h), sorted. */
	int followup_days;
	int holidays[TD_MAX_HOLIDAYS];
	size_t nholidays;
	struct td_dup_weights dup;  /* "duplicates": scoring weights */
	/* "retention" (issue 14 point 5; 0 = the rule is off): closed
	 * dossiers anonymised closed_months after closing, dossiers with no
	 * action for untouched_months, audit entries after audit_years.
	 * Unsaved drafts: intake.draft_hours (draft_hours above). */
	struct {
		int closed_months, untouched_months, audit_years;
	} retention;
};

/* Find the configuration file: explicit path if given, else
 * $TOTEMDESK_CONFIG, $XDG_CONFIG_HOME/totemdesk/totemdesk.conf (or
 * ~/.config/...), /etc/totemdesk/totemdesk.conf.  Returns TD_OK with the
 * path in out, TD_ENOTFOUND if none exists (an explicit or $TOTEMDESK_CONFIG
 * path that does not exist is TD_ECONFIG). */
int td_config_find(const char *explicit_path, char *out, size_t outsz,
		   td_err *err);

/* Load and validate path into cfg (which is first reset).  On error cfg
 * is left freed and err says "FILE:LINE: message". */
int td_config_load(const char *path, struct td_config *cfg, td_err *err);

/* Built-in configuration for --demo: the four Totems, the coordination
 * office, French, colour on. */
void td_config_defaults(struct td_config *cfg);

/* Free what td_config_load allocated (cfg may be reused afterwards). */
void td_config_free(struct td_config *cfg);

const struct td_site_cfg *td_config_site(const struct td_config *cfg,
					 const char *code);
const struct td_user_cfg *td_config_user(const struct td_config *cfg,
					 const char *login);

#endif
