/* Backup and restore of the site's database (backup.h). */
#include "app_int.h"
#include "totemdesk/backup.h"
#include "totemdesk/i18n.h"
#include "totemdesk/outfile.h"
#include "totemdesk/privilege.h"
#include "totemdesk/timefmt.h"
#include "store/backup.h"
#include "store/privacy.h"
#include "store/store.h"
#include "store/sync.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

/* ---- backup ------------------------------------------------------------ */

/* "totemdesk-2026-11-23T023000Z.db"? */
static bool is_backup_name(const char *n)
{
	static const char shape[] = "dddd-dd-ddTddddddZ";
	size_t p = strlen(TD_BACKUP_PREFIX), s = sizeof shape - 1;
	if (strncmp(n, TD_BACKUP_PREFIX, p) != 0 ||
	    strcmp(n + p + s, TD_BACKUP_SUFFIX) != 0 ||
	    strlen(n) != p + s + strlen(TD_BACKUP_SUFFIX))
		return false;
	for (size_t i = 0; i < s; i++) {
		char c = n[p + i];
		if (shape[i] == 'd' ? (c < '0' || c > '9') : c != shape[i])
			return false;
	}
	return true;
}

static int cmp_names(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/* Remove all but the keep newest backups of dir (by name: their names
 * sort by time).  Only files of our own naming are touched. */
static int rotate(const char *dir, int keep, int *removed, td_err *err)
{
	char **names = NULL;
	size_t n = 0, cap = 0;
	int rc = TD_OK;

	*removed = 0;
	if ((rc = td_priv_user_begin(err)))
		return rc;
	DIR *d = opendir(dir);
	if (!d) {
		td_priv_user_end();
		return td_err_set(err, TD_EIO,
			_("the backup is written, but the older ones in %s could not be listed: %s"),
			dir, strerror(errno));
	}
	struct dirent *e;
	while ((e = readdir(d)) && !rc) {
		if (!is_backup_name(e->d_name))
			continue;
		if (n == cap) {
			size_t c = cap ? cap * 2 : 32;
			char **v = realloc(names, c * sizeof *v);
			if (!v) {
				rc = td_err_set(err, TD_ENOMEM, _("out of memory"));
				break;
			}
			names = v;
			cap = c;
		}
		if (!(names[n] = strdup(e->d_name)))
			rc = td_err_set(err, TD_ENOMEM, _("out of memory"));
		else
			n++;
	}
	if (!rc && n > (size_t)keep) {
		qsort(names, n, sizeof *names, cmp_names);
		for (size_t i = 0; i + (size_t)keep < n; i++) {
			if (unlinkat(dirfd(d), names[i], 0) == 0)
				(*removed)++;
			else if (!rc)
				rc = td_err_set(err, TD_EIO,
					_("the backup is written, but the older %s could not be removed: %s"),
					names[i], strerror(errno));
		}
	}
	closedir(d);
	td_priv_user_end();
	for (size_t i = 0; i < n; i++)
		free(names[i]);
	free(names);
	return rc;
}

int td_app_backup(struct td_app *app, const char *path, int keep,
		  unsigned flags, struct td_backup_result *res, td_err *err)
{
	struct td_outfile *f = NULL;
	int rc;

	memset(res, 0, sizeof *res);
	if ((rc = td_app_may_backup(app, err)))
		return rc;
	if (!app->db)
		return td_err_set(err, TD_EINVAL, _("no database is open"));
	if (keep > 0) {
		/* Real time, not TOTEMDESK_NOW: names must differ. */
		char stamp[32];
		time_t t = time(NULL);
		struct tm tm;
		gmtime_r(&t, &tm);
		strftime(stamp, sizeof stamp, "%Y-%m-%dT%H%M%SZ", &tm);
		size_t n = strlen(path);
		if (snprintf(res->path, sizeof res->path, "%s%s%s%s%s", path,
			     n && path[n - 1] == '/' ? "" : "/", TD_BACKUP_PREFIX,
			     stamp, TD_BACKUP_SUFFIX) >= (int)sizeof res->path)
			return td_err_set(err, TD_EINVAL, _("path too long: %s"),
					  path);
		struct stat sb;
		if (stat(path, &sb) != 0 || !S_ISDIR(sb.st_mode))
			return td_err_set(err, TD_EINVAL,
				_("with --keep, %s must be a directory, where each backup gets a dated name"),
				path);
	} else {
		snprintf(res->path, sizeof res->path, "%s", path);
	}
	if ((rc = td_outfile_open(&f, res->path, flags, err)))
		return rc;
	/* The copy opens only the user's file: with the user's rights. */
	if (!(rc = td_priv_user_begin(err))) {
		rc = td_store_backup_to(app->db, td_outfile_temp_path(f), err);
		td_priv_user_end();
	}
	if (rc) {
		td_outfile_abort(f);
		return rc;
	}
	if ((rc = td_outfile_commit(f, err)))
		return rc;
	td_store_audit(app->db, NULL, app->login, "backup", "database", NULL,
		       NULL, res->path, NULL);
	if (keep > 0)
		rc = rotate(path, keep, &res->removed, err);
	return rc;
}

/* ---- restore ----------------------------------------------------------- */

/* What must survive a restore.  Each step reads what it needs from the
 * database about to be replaced (collect: open, not changed yet), then
 * applies it to the restored copy before that copy replaces it (apply),
 * both inside the restore's exclusive hold of the database, so the whole
 * is one change or none.
 *
 * Issue 14 point 3: "erasures" reads the record keys erased in the
 * current database (the erasure log, which holds no personal data) and
 * erases them again in the copy, so that an older backup never brings an
 * erased person back. */
struct restore_step {
	const char *name;
	int (*collect)(struct td_app *app, td_db *current, void **state,
		       td_err *err);
	int (*apply)(struct td_app *app, td_db *restored, const char *backup,
		     void *state, td_err *err);
	void (*release)(void *state);
};

/* The restore itself goes into the restored database's audit log: the
 * log then says why what was done after the backup is gone. */
static int audit_apply(struct td_app *app, td_db *restored,
		       const char *backup, void *state, td_err *err)
{
	return td_store_audit(restored, NULL, app->login, "restore", "database",
			      NULL, NULL, backup, err);
}

/* Erasures: every key of the current erasure log, erased again in the
 * copy (those already erased there are erased again, harmlessly; those
 * registered after the backup are only logged). */
struct erasures {
	struct td_erasure_rec *v;
	size_t n, cap;
};

static int erasure_add(const struct td_erasure_rec *r, void *ctx)
{
	struct erasures *e = ctx;
	if (e->n == e->cap) {
		size_t c = e->cap ? e->cap * 2 : 16;
		struct td_erasure_rec *v = realloc(e->v, c * sizeof *v);
		if (!v)
			return TD_ENOMEM;
		e->v = v;
		e->cap = c;
	}
	e->v[e->n++] = *r;
	return 0;
}

static int erasures_collect(struct td_app *app, td_db *current,
			    void **state, td_err *err)
{
	struct erasures *e = calloc(1, sizeof *e);
	if (!e)
		return td_err_set(err, TD_ENOMEM, _("out of memory"));
	*state = e;
	/* A database of before the erasure log has none to replay. */
	if (td_store_schema_version(current) < 8)
		return TD_OK;
	int rc = td_store_erasure_each(current, erasure_add, e, err);
	if (rc == TD_ENOMEM)
		rc = td_err_set(err, TD_ENOMEM, _("out of memory"));
	return rc;
}

static int erasures_apply(struct td_app *app, td_db *restored,
			  const char *backup, void *state, td_err *err)
{
	struct erasures *e = state;
	int rc = TD_OK;
	for (size_t i = 0; e && i < e->n && !rc; i++)
		rc = td_store_erase(restored, &e->v[i], true, NULL, err);
	if (!rc && e && e->n)
		rc = td_store_search_merge(restored, err);
	return rc;
}

static void erasures_release(void *state)
{
	struct erasures *e = state;
	if (e)
		free(e->v);
	free(e);
}

static const struct restore_step restore_steps[] = {
	{ "erasures", erasures_collect, erasures_apply, erasures_release },
	{ "audit", NULL, audit_apply, NULL },
};
#define NSTEPS (sizeof restore_steps / sizeof restore_steps[0])

/* How far the references of a database restored in place of a lost one
 * move on: more than a Totem registers between two backups (a busy
 * Totem registers a few dozen a day; backups are nightly). */
#define TD_RESTORE_REF_SKIP 1000

static void remove_db_files(const char *path)
{
	static const char *const suffix[] = { "", "-wal", "-shm", "-journal",
					      "-lock" };
	char p[PATH_MAX + 16];
	for (size_t i = 0; i < sizeof suffix / sizeof suffix[0]; i++)
		if (snprintf(p, sizeof p, "%s%s", path, suffix[i]) < (int)sizeof p)
			unlink(p);
}

/* An empty file at path with the database's mode, for the copy. */
static int make_empty(const char *path, const char *like, td_err *err)
{
	struct stat sb;
	mode_t mode = stat(like, &sb) == 0 ? (sb.st_mode & 0666) : 0600;
	int fd = open(path, O_RDWR | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC,
		      mode);
	if (fd < 0)
		return td_err_set(err, TD_EIO, _("cannot create %s: %s"), path,
				  strerror(errno));
	fchmod(fd, mode);
	close(fd);
	return TD_OK;
}

int td_app_restore(struct td_app *app, const char *backup,
		   struct td_restore_result *res, td_err *err)
{
	td_db *live = NULL, *bk = NULL, *copy = NULL;
	void *state[NSTEPS] = { 0 };
	char tmp[PATH_MAX];
	int rc;

	memset(res, 0, sizeof *res);
	if ((rc = td_app_may_restore(app, err)))
		return rc;
	if (app->db)
		return td_err_set(err, TD_EINVAL,
			_("the database is open in this session; a restore needs it closed"));
	if (snprintf(tmp, sizeof tmp, "%s-restore", app->db_path) >=
	    (int)sizeof tmp)
		return td_err_set(err, TD_EINVAL, _("path too long: %s"),
				  app->db_path);

	/* Alone with the database, from first to last: no desk opens it
	 * meanwhile (they wait, then are told a restore is running). */
	bool exists = faccessat(AT_FDCWD, app->db_path, F_OK, AT_EACCESS) == 0;
	rc = td_store_open(app->db_path, app_db_flags(TD_DB_EXCLUSIVE |
				(exists ? 0 : TD_DB_CREATE)), &live, err);
	if (rc)
		return rc;

	/* The backup is the user's file: read with the user's rights. */
	if (!(rc = td_priv_user_begin(err))) {
		rc = td_store_open_backup(backup, &bk, err);
		td_priv_user_end();
	}
	if (rc)
		goto out;
	res->schema_from = td_store_schema_version(bk);

	/* Prepared beside the database (a leftover of a restore that died
	 * is ours to remove: we hold the database alone). */
	remove_db_files(tmp);
	if ((rc = make_empty(tmp, app->db_path, err)) ||
	    (rc = td_store_backup_to(bk, tmp, err)))
		goto out;
	td_store_close(bk);
	bk = NULL;
	/* Brought up to this program's schema, as any open does. */
	if ((rc = td_store_open(tmp, app_db_flags(0), &copy, err)))
		goto out;
	res->schema_to = td_store_schema_version(copy);

	for (size_t i = 0; i < NSTEPS && !rc; i++)
		if (restore_steps[i].collect)
			rc = restore_steps[i].collect(app, live, &state[i], err);
	if (!rc && !(rc = td_store_begin(copy, err))) {
		/* Issue 15: the backup's exchange identity numbered changes
		 * the other sites applied after the backup was made; the
		 * restored database numbers its own under a new one (first,
		 * so that even this transaction's change is under it), and
		 * the peers send back what it lacks (docs/sync.md). */
		rc = td_store_sync_new_identity(copy, res->exchange_id, err);
		/* Nor may it mint again the references the replaced one
		 * minted after the backup.  Lost (missing or empty), it
		 * cannot say what it minted: the counters move on by more
		 * than a Totem registers between two backups. */
		bool minted = false;
		if (!rc)
			rc = td_store_ref_counters_any(live, &minted, err);
		if (!rc)
			rc = td_store_ref_counters_keep(live, copy, err);
		if (!rc && !minted) {
			char now[32];
			time_t t;
			struct tm tm;
			td_store_now(now);
			if (td_time_parse(now, &t) != 0)
				t = time(NULL);
			gmtime_r(&t, &tm);
			rc = td_store_ref_counters_skip(copy,
				app->cfg.site[0] ? app->cfg.site : NULL,
				tm.tm_year + 1900, TD_RESTORE_REF_SKIP, err);
			res->refs_skipped = TD_RESTORE_REF_SKIP;
		}
		for (size_t i = 0; i < NSTEPS && !rc; i++)
			if (restore_steps[i].apply)
				rc = restore_steps[i].apply(app, copy, backup,
							    state[i], err);
		rc = rc ? (td_store_rollback(copy), rc)
			: td_store_commit(copy, err);
	}
	/* The values the replayed erasures removed, out of the copy's
	 * outbox of the exchange too. */
	struct erasures *er = state[0];
	for (size_t i = 0; !rc && er && i < er->n; i++)
		rc = td_store_erase_scrub(copy, &er->v[i], err);
	if (!rc)
		rc = td_store_copy_into(copy, live, err);
	/* The old pages of the live database, erased people's included,
	 * leave its -wal (we hold it alone: nobody reads meanwhile). */
	if (!rc)
		td_store_wal_truncate(live, NULL);
out:
	for (size_t i = 0; i < NSTEPS; i++)
		if (restore_steps[i].release)
			restore_steps[i].release(state[i]);
	td_store_close(copy);
	td_store_close(bk);
	td_store_close(live);
	remove_db_files(tmp);
	return rc;
}
