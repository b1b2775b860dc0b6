/* Copies of a whole database (src/store/backup.c): the backup and
 * restore of issue 13 point 6.  Store header: src/store and src/app only
 * (see store/store.h). */
#ifndef TD_STORE_BACKUP_H
#define TD_STORE_BACKUP_H

#include "totemdesk/error.h"

#include <stdbool.h>

struct td_db;

/* Copy db into dest, an empty file that exists (made by the file writer,
 * outfile.h), in one read transaction of db: a consistent snapshot while
 * other programs write.  dest is left a database that stands alone
 * (rollback journal mode: no -wal beside it) and passes its integrity
 * check.  Opens no file but dest (and its journal): the caller may give
 * up a privilege around it.  dest is not removed on failure. */
int td_store_backup_to(struct td_db *db, const char *dest, td_err *err);

/* Open a backup file read-only, as it is (no lock, nothing made beside
 * it): TD_ESCHEMA when it is not a totemdesk database or is newer than
 * this program, TD_ECORRUPT when it fails its integrity check.  On
 * success *out is the caller's: td_store_close it.  Opens only path. */
int td_store_open_backup(const char *path, struct td_db **out, td_err *err);

/* Replace to's whole content with from's, in one transaction of to
 * (both of the same schema version), then check to's integrity. */
int td_store_copy_into(struct td_db *from, struct td_db *to, td_err *err);

/* Raise to's reference counters to from's where from's are ahead (a
 * restore: the database being replaced minted references after the
 * backup was made, which its peers have; they are never minted again). */
int td_store_ref_counters_keep(struct td_db *from, struct td_db *to,
			       td_err *err);

/* Move every reference counter of db on by `by`, and site's counter of
 * year (created at `by` if absent; site NULL: none created): a restore whose replaced database
 * is lost cannot know what it minted after the backup, so the next
 * references start past anything it can have minted since. */
int td_store_ref_counters_skip(struct td_db *db, const char *site, int year,
			       long long by, td_err *err);

/* Whether db holds any reference counter (a database that ever minted
 * a reference, or received one of its site's dossiers). */
int td_store_ref_counters_any(struct td_db *db, bool *any, td_err *err);

#endif
