/* How the process runs: a personal desk (the user's own program and
 * files), or the shared desk of a Totem's host, where the binary is
 * installed set-group-ID to the "totemdesk" group and only that group may
 * open the database directory (README "Install on a Totem's host").
 *
 * Running set-group-ID for someone other than root ("restricted"), the
 * user is curious and controls everything the process inherits: its
 * environment, its open file descriptors, its umask and limits, the paths
 * it is given.  td_priv_startup() takes all of that away first thing in
 * main(); the rest of src/app asks td_priv_restricted() to refuse what a
 * user must not choose (--config, --db, $TOTEMDESK_CONFIG), and opens
 * every file the user names with the user's own rights
 * (td_priv_user_begin/end), so the group's privilege only ever reaches
 * the database and /etc/totemdesk. */
#ifndef TOTEMDESK_PRIVILEGE_H
#define TOTEMDESK_PRIVILEGE_H

#include "totemdesk/error.h"

#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>

/* Where the shared desk reads its configuration and keeps its database;
 * the only places a restricted process looks. */
#define TD_SYSTEM_CONFIG "/etc/totemdesk/totemdesk.conf"
#define TD_SYSTEM_DB_DIR "/var/lib/totemdesk"

/* First call of main(), before anything reads the environment or opens a
 * file.  Always: standard descriptors 0-2 opened on /dev/null when
 * closed (so a database is never opened as "standard error"), SIGXFSZ
 * ignored (a file-size limit makes writes fail with EFBIG, reported as a
 * full disk, instead of killing the desk).  When restricted, also: no
 * core dumps, not traceable, umask 077, inherited descriptors above 2
 * closed, and the environment reset to a short list (TERM, LANG, LC_*,
 * TZ, NO_COLOR, COLUMNS, LINES, ESCDELAY; HOME, USER, LOGNAME from the
 * password database).  TD_EPERM when the program is installed
 * set-user-ID (not supported: only the group is dropped around the
 * user's files) or the standard descriptors cannot be opened. */
int td_priv_startup(td_err *err);

/* Running set-group-ID for a user other than root. */
bool td_priv_restricted(void);

/* Running with a group privilege at all (set-group-ID, root included). */
bool td_priv_setgid(void);

/* The real user is root (who may choose the configuration and database
 * even on a shared desk). */
bool td_priv_root(void);

/* $TOTEMDESK_CONFIG was set, non-empty, when the process started (a
 * restricted process refuses it: td_priv_startup removes it). */
bool td_priv_config_env_given(void);

/* The login of the real user into out.  Restricted: from the password
 * database only (no entry: TD_EPERM; $USER is never read).  Otherwise
 * the password database, else $USER, else "unknown". */
int td_priv_login(char *out, size_t outsz, td_err *err);

/* Open a file the user asked for with the user's own rights: between
 * td_priv_user_begin and td_priv_user_end the effective group is the
 * user's.  No-op when not set-group-ID.  begin returns TD_OK or TD_EPERM
 * (the write must then not happen); end always restores. */
int td_priv_user_begin(td_err *err);
void td_priv_user_end(void);

/* fopen(path, "rb") with the user's own rights: a file the user names to
 * be read (an import) is never opened with the group's, which could read
 * the database directory.  NULL with errno set on failure; the caller
 * fcloses. */
FILE *td_priv_fopen_read(const char *path);

/* Give up the group privilege for good (--demo: a throwaway database in
 * the user's temporary directory never needs it). */
int td_priv_drop(td_err *err);

#endif
