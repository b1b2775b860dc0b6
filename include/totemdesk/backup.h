/* Backup and restore of the site's database (issue 13, point 6;
 * src/app/backup.c).  README "Backup and restore". */
#ifndef TOTEMDESK_BACKUP_H
#define TOTEMDESK_BACKUP_H

#include "totemdesk/error.h"

#include <limits.h>

struct td_app;

/* The names --keep rotates: "totemdesk-YYYY-MM-DDTHHMMSSZ.db" (UTC). */
#define TD_BACKUP_PREFIX "totemdesk-"
#define TD_BACKUP_SUFFIX ".db"

struct td_backup_result {
	char path[PATH_MAX];   /* the file written */
	int removed;           /* older backups removed by keep */
};

/* Copy the open database to path while desks go on writing: one
 * consistent snapshot (SQLite's online backup API), written through the
 * safe file writer (outfile.h: 0600, the user's, refused when it exists
 * unless flags has TD_OUT_FORCE), integrity-checked.  keep > 0: path is
 * a directory, the file is made in it under a dated name and all but the
 * keep newest such files there are removed.  Administrators and root
 * only (td_app_may_backup); recorded in the audit log. */
int td_app_backup(struct td_app *app, const char *path, int keep,
		  unsigned flags, struct td_backup_result *res, td_err *err);

struct td_restore_result {
	int schema_from;       /* the backup's schema version */
	int schema_to;         /* the database's after the restore */
	char exchange_id[64];  /* its new exchange identity (issue 15) */
	long long refs_skipped; /* the replaced database was lost (empty or
				 * missing): its references restart this
				 * far past the backup's, 0 otherwise */
};

/* Put the backup file in place of the session's database (app opened
 * with no_db).  Refused (TD_EBUSY) while any desk, command or backup has
 * the database open: the desks' lock (store.h) is taken exclusively
 * first and held until the end, so none can start meanwhile.  The
 * backup must be a totemdesk database not newer than this program and
 * pass its integrity check; an older one is brought up to date.  It is
 * prepared in a copy beside the database, where the restore steps run
 * (src/app/backup.c: what must survive a restore, such as erasures made
 * since the backup, is applied there), then copied into the database in
 * one transaction: a failure at any point leaves the database as it
 * was.  Root, or an administrator of a personal desk
 * (td_app_may_restore). */
int td_app_restore(struct td_app *app, const char *backup,
		   struct td_restore_result *res, td_err *err);

#endif
