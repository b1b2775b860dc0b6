/* Opening a database: file creation with mode 0600, connection settings,
 * migrations; transactions, the integrity check, change detection, ids and
 * clocks; and the helpers the other store files share. */
#include "store_int.h"
#include "totemdesk/i18n.h"

#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/random.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

/* How long a write waits for another terminal's transaction to finish
 * before giving up with TD_EBUSY.  Intake transactions last milliseconds,
 * so five seconds only runs out when something is really stuck. */
#define BUSY_TIMEOUT_MS 5000

/* ---- shared helpers ---------------------------------------------------- */

int store_status(int rc)
{
	switch (rc & 0xff) {
	case SQLITE_OK:
	case SQLITE_ROW:
	case SQLITE_DONE:
		return TD_OK;
	case SQLITE_BUSY:
	case SQLITE_LOCKED:
		return TD_EBUSY;
	case SQLITE_NOMEM:
		return TD_ENOMEM;
	case SQLITE_CORRUPT:
	case SQLITE_NOTADB:
		return TD_ECORRUPT;
	case SQLITE_CONSTRAINT:
		if (rc == SQLITE_CONSTRAINT_UNIQUE ||
		    rc == SQLITE_CONSTRAINT_PRIMARYKEY)
			return TD_EEXIST;
		return TD_EINVAL;
	case SQLITE_TOOBIG:
	case SQLITE_MISMATCH:
	case SQLITE_RANGE:
		return TD_EINVAL;
	default:
		return TD_EIO;
	}
}

int store_fail(td_db *db, int rc, td_err *err, const char *what)
{
	const char *path = db && db->path ? db->path : "";
	char why[256];
	int code = store_status(rc);

	if (code == TD_OK) /* a caller passing SQLITE_ROW/DONE: still a failure */
		code = TD_EIO;

	/* sqlite3_errmsg describes the connection's last call; fall back to
	 * the generic text when rc came from somewhere else. */
	if (db && db->h && sqlite3_extended_errcode(db->h) == rc)
		snprintf(why, sizeof why, "%s", sqlite3_errmsg(db->h));
	else
		snprintf(why, sizeof why, "%s", sqlite3_errstr(rc));

	switch (rc & 0xff) {
	case SQLITE_BUSY:
	case SQLITE_LOCKED:
		return td_err_set(err, code,
			_("%s: another terminal is writing to the database %s; wait a moment and try again"),
			what, path);
	case SQLITE_FULL:
		return td_err_set(err, code,
			_("%s: disk full while writing %s; free some disk space and try again"),
			what, path);
	case SQLITE_IOERR:
		/* SIGXFSZ is ignored (privilege.h): a file-size limit
		 * (ulimit -f) makes the write fail with EFBIG, which is a
		 * full disk as far as the person at the desk can tell. */
		if (db && db->h && sqlite3_system_errno(db->h) == EFBIG)
			return td_err_set(err, code,
				_("%s: file size limit reached while writing %s (ulimit -f), as if the disk were full; raise the limit and try again"),
				what, path);
		return td_err_set(err, code,
			_("%s: input/output error on %s (%s); check the disk and try again"),
			what, path, why);
	case SQLITE_READONLY:
	case SQLITE_PERM:
	case SQLITE_CANTOPEN:
		return td_err_set(err, code,
			_("%s: cannot write to %s (%s); check the permissions of the file and of its directory"),
			what, path, why);
	case SQLITE_CORRUPT:
		return td_err_set(err, code,
			_("%s: the database %s is damaged (%s); restore it from a backup"),
			what, path, why);
	case SQLITE_NOTADB:
		return td_err_set(err, code,
			_("%s: %s is not an SQLite database, or it is damaged (%s); check the path"),
			what, path, why);
	case SQLITE_NOMEM:
		return td_err_set(err, code, _("%s: out of memory"), what);
	case SQLITE_CONSTRAINT:
		if (rc == SQLITE_CONSTRAINT_FOREIGNKEY)
			return td_err_set(err, code,
				_("%s: it refers to a record that does not exist (%s)"),
				what, why);
		if (code == TD_EEXIST)
			return td_err_set(err, code,
				_("%s: it already exists (%s)"), what, why);
		return td_err_set(err, code,
			_("%s: refused by the database (%s)"), what, why);
	default:
		return td_err_set(err, code, _("%s: database error on %s (%s)"),
				  what, path, why);
	}
}

int store_stmt_get(td_db *db, int slot, const char *sql, sqlite3_stmt **st,
		   td_err *err)
{
	sqlite3_stmt *s = db->cache[slot];

	if (s && !sqlite3_stmt_busy(s)) {
		*st = s;
		return TD_OK;
	}
	/* Only the first copy is kept: a re-entrant second one is rare and
	 * is finalised after use. */
	unsigned pf = s ? 0 : SQLITE_PREPARE_PERSISTENT;
	int rc = sqlite3_prepare_v3(db->h, sql, -1, pf, &s, NULL);
	if (rc != SQLITE_OK) {
		*st = NULL;
		return store_fail(db, rc, err, _("cannot read the database"));
	}
	if (!db->cache[slot])
		db->cache[slot] = s;
	*st = s;
	return TD_OK;
}

void store_stmt_put(td_db *db, int slot, sqlite3_stmt *st)
{
	if (!st)
		return;
	if (st == db->cache[slot]) {
		sqlite3_reset(st);
		sqlite3_clear_bindings(st);
	} else {
		sqlite3_finalize(st);
	}
}

int store_bind_opt(sqlite3_stmt *st, int i, const char *s)
{
	if (!s || !*s)
		return sqlite3_bind_null(st, i);
	return sqlite3_bind_text(st, i, s, -1, SQLITE_STATIC);
}

int store_bind_text(sqlite3_stmt *st, int i, const char *s)
{
	return sqlite3_bind_text(st, i, s ? s : "", -1, SQLITE_STATIC);
}

void store_col_copy(sqlite3_stmt *st, int i, char *out, size_t outsz)
{
	const unsigned char *s = sqlite3_column_text(st, i);
	size_t n = s ? (size_t)sqlite3_column_bytes(st, i) : 0;

	if (outsz == 0)
		return;
	if (n >= outsz) {
		/* Back up over continuation bytes so a cut never leaves half
		 * a character for the screen to choke on. */
		n = outsz - 1;
		while (n > 0 && (s[n] & 0xc0) == 0x80)
			n--;
	}
	if (n)
		memcpy(out, s, n);
	out[n] = '\0';
}

bool store_site_code_ok(const char *site)
{
	if (!site || strlen(site) != 3)
		return false;
	for (int i = 0; i < 3; i++)
		if (site[i] < 'A' || site[i] > 'Z')
			return false;
	return true;
}

static int exec(td_db *db, const char *sql, td_err *err, const char *what)
{
	int rc = sqlite3_exec(db->h, sql, NULL, NULL, NULL);
	if (rc != SQLITE_OK)
		return store_fail(db, rc, err, what);
	return TD_OK;
}

/* One integer from a one-row query (PRAGMAs, counts). */
static int query_int(td_db *db, const char *sql, long long *v, td_err *err,
		     const char *what)
{
	sqlite3_stmt *st;
	int rc = sqlite3_prepare_v2(db->h, sql, -1, &st, NULL);
	if (rc == SQLITE_OK) {
		rc = sqlite3_step(st);
		if (rc == SQLITE_ROW) {
			*v = sqlite3_column_int64(st, 0);
			rc = SQLITE_OK;
		}
	}
	if (rc != SQLITE_OK) {
		int code = store_fail(db, rc, err, what);
		sqlite3_finalize(st);
		return code;
	}
	sqlite3_finalize(st);
	return TD_OK;
}

/* ---- transactions ------------------------------------------------------ */

int td_store_begin(td_db *db, td_err *err)
{
	int code = exec(db, "BEGIN IMMEDIATE", err,
			_("cannot write to the database"));
	/* Every write transaction records its changes for the other sites
	 * (sync.c), committed with them or not at all. */
	if (code == TD_OK)
		store_capture_begin(db);
	return code;
}

/* No session for a dry run: the exchange's record of a transaction is
 * held in memory until the commit (6 MB for 20,000 imported rows), and
 * this one never commits. */
int td_store_begin_trial(td_db *db, td_err *err)
{
	db->trial = true;	/* store_capture_begin records nothing */
	int code = td_store_begin(db, err);
	if (code != TD_OK)
		db->trial = false;
	return code;
}

int td_store_commit(td_db *db, td_err *err)
{
	if (db->trial) {
		td_store_rollback(db);
		return td_err_set(err, TD_EINVAL,
			_("internal error: a dry run's transaction cannot be saved"));
	}
	int code = store_capture_commit(db, err);
	if (code != TD_OK) {
		td_store_rollback(db);
		return code;
	}
	code = exec(db, "COMMIT", err, _("cannot save the changes"));
	/* Leave the connection usable: a transaction that could not commit
	 * is given up rather than left open. */
	if (code != TD_OK)
		td_store_rollback(db);
	return code;
}

void td_store_rollback(td_db *db)
{
	if (db) {
		store_capture_abort(db);
		db->trial = false;
	}
	/* SQLite rolls back by itself after some errors (disk full); a
	 * second ROLLBACK would only add a spurious error. */
	if (db && db->h && !sqlite3_get_autocommit(db->h))
		sqlite3_exec(db->h, "ROLLBACK", NULL, NULL, NULL);
}

int store_tx_begin(td_db *db, bool *nested, td_err *err)
{
	*nested = !sqlite3_get_autocommit(db->h);
	if (*nested)
		return exec(db, "SAVEPOINT td_inner", err,
			    _("cannot write to the database"));
	return td_store_begin(db, err);
}

int store_tx_end(td_db *db, bool nested, int status, td_err *err)
{
	if (status != TD_OK) {
		if (nested && !sqlite3_get_autocommit(db->h))
			sqlite3_exec(db->h,
				     "ROLLBACK TO td_inner; RELEASE td_inner",
				     NULL, NULL, NULL);
		else if (!nested)
			td_store_rollback(db);
		return status;
	}
	if (!nested)
		return td_store_commit(db, err);
	return exec(db, "RELEASE td_inner", err, _("cannot save the changes"));
}

/* ---- opening ----------------------------------------------------------- */

/* Mode of a new database: 0600, a personal desk's file; 0660 in a
 * set-group-ID directory (the shared desk's /var/lib/totemdesk, 2770
 * root:totemdesk), whose files the whole group of desks must write. */
static mode_t new_db_mode(const char *path)
{
	char dir[4096];
	const char *slash = strrchr(path, '/');
	struct stat sb;

	if (!slash)
		snprintf(dir, sizeof dir, ".");
	else if (slash == path)
		snprintf(dir, sizeof dir, "/");
	else
		snprintf(dir, sizeof dir, "%.*s", (int)(slash - path), path);
	if (stat(dir, &sb) == 0 && (sb.st_mode & S_ISGID))
		return 0660;
	return 0600;
}

/* Make sure path is a file we may open, creating it (empty, mode 0600 or
 * 0660) when flags allow.  *created tells the caller to remove it again
 * if the rest of the opening fails. */
static int prepare_file(const char *path, unsigned flags, bool *created,
			td_err *err)
{
	struct stat sb;

	*created = false;
	if (stat(path, &sb) == 0) {
		if (S_ISDIR(sb.st_mode))
			return td_err_set(err, TD_EINVAL,
				_("%s is a directory, not a database file; give the path of a file"),
				path);
		if (flags & TD_DB_NEW)
			return td_err_set(err, TD_EEXIST,
				_("database %s already exists; choose another path or move the old file away first"),
				path);
		return TD_OK;
	}
	if (errno != ENOENT)
		return td_err_set(err, TD_EIO, _("cannot open database %s: %s"),
				  path, strerror(errno));
	if (!(flags & TD_DB_CREATE))
		return td_err_set(err, TD_ENOTFOUND,
			_("database %s does not exist; check the path, or create the database first"),
			path);

	/* Created here rather than by SQLite so that the mode is right from
	 * the first instant (SQLite would use 0644 minus the umask); the
	 * -wal and -shm files SQLite makes later copy this mode. */
	mode_t mode = new_db_mode(path);
	int fd = open(path, O_RDWR | O_CREAT | O_EXCL | O_CLOEXEC | O_NOFOLLOW,
		      mode);
	if (fd < 0) {
		int e = errno;
		if (e == EEXIST && !(flags & TD_DB_NEW))
			return TD_OK; /* another program created it just now */
		if (e == EEXIST)
			return td_err_set(err, TD_EEXIST,
				_("database %s already exists; choose another path or move the old file away first"),
				path);
		if (e == ENOENT || e == ENOTDIR)
			return td_err_set(err, TD_EIO,
				_("cannot create database %s: directory does not exist; create it first or choose another path"),
				path);
		if (e == EACCES || e == EPERM || e == EROFS)
			return td_err_set(err, TD_EIO,
				_("cannot create database %s: %s; choose a directory you may write to"),
				path, strerror(e));
		if (e == ENOSPC || e == EDQUOT)
			return td_err_set(err, TD_EIO,
				_("cannot create database %s: disk full; free some disk space and try again"),
				path);
		return td_err_set(err, TD_EIO, _("cannot create database %s: %s"),
				  path, strerror(e));
	}
	*created = true;
	/* A umask such as 0277 would leave the owner unable to write. */
	if (fchmod(fd, mode) != 0) {
		int e = errno;
		close(fd);
		return td_err_set(err, TD_EIO, _("cannot create database %s: %s"),
				  path, strerror(e));
	}
	close(fd);
	return TD_OK;
}

/* The desks' lock: a flock() on "<database>-lock", shared by every open
 * connection, exclusive for a restore (and while a new file is being
 * made).  A file of its own rather than the database: closing any
 * descriptor of the database would drop the POSIX locks SQLite holds on
 * it for the other connections of the process.  It is never removed
 * (removing a lock file races with its next user) and takes the mode of
 * the database.  A lock that does not come within the busy timeout means
 * a restore or a creation is running (shared), or some desk is open
 * (exclusive). */
static int take_lock(td_db *db, bool exclusive, bool wait, td_err *err)
{
	struct timespec pause = { 0, 50 * 1000 * 1000 };
	int tries = wait ? BUSY_TIMEOUT_MS / 50 : 1;
	char lock[4096 + 8];
	struct stat sb;

	snprintf(lock, sizeof lock, "%s-lock", db->path);
	mode_t mode = stat(db->path, &sb) == 0 ? (sb.st_mode & 0666) : 0600;
	db->lock_fd = open(lock, O_RDONLY | O_CLOEXEC | O_NOFOLLOW);
	if (db->lock_fd < 0 && errno == ENOENT) {
		db->lock_fd = open(lock, O_RDONLY | O_CREAT | O_CLOEXEC |
				   O_NOFOLLOW, mode);
		/* Whatever the umask: the other desks must open it too. */
		if (db->lock_fd >= 0)
			fchmod(db->lock_fd, mode);
	}
	if (db->lock_fd < 0) {
		/* A database on a read-only medium can still be checked. */
		if ((db->flags & TD_DB_READONLY) && (errno == EROFS ||
						     errno == EACCES))
			return TD_OK;
		return td_err_set(err, TD_EIO,
			_("cannot open %s, the lock of the desks sharing the database: %s; check the permissions of its directory"),
			lock, strerror(errno));
	}
	for (int i = 0; i < tries; i++) {
		if (flock(db->lock_fd, (exclusive ? LOCK_EX : LOCK_SH) | LOCK_NB) == 0)
			return TD_OK;
		if (errno != EWOULDBLOCK && errno != EINTR)
			return td_err_set(err, TD_EIO,
				_("cannot lock database %s: %s"), db->path,
				strerror(errno));
		if (i + 1 < tries)
			nanosleep(&pause, NULL);
	}
	if (exclusive)
		return td_err_set(err, TD_EBUSY,
			_("database %s is in use: a desk, a command or a backup has it open; quit every desk using it and try again"),
			db->path);
	return td_err_set(err, TD_EBUSY,
		_("database %s is being restored or created right now; try again in a moment"),
		db->path);
}

/* Is any process holding SQLite's locks on this -shm file (an open
 * connection in WAL mode holds a read lock on its "DMS" byte)?  Only
 * called for a -shm we cannot write, which no connection of ours has
 * open: closing this descriptor drops no lock of ours. */
static bool shm_in_use(const char *shm)
{
	int fd = open(shm, O_RDONLY | O_CLOEXEC | O_NOFOLLOW);
	if (fd < 0)
		return false;
	/* Byte 128 is where SQLite's unix VFS takes its DMS lock. */
	struct flock fl = { .l_type = F_WRLCK, .l_whence = SEEK_SET,
			    .l_start = 128, .l_len = 1 };
	bool used = fcntl(fd, F_OFD_GETLK, &fl) != 0 || fl.l_type != F_UNLCK;
	close(fd);
	return used;
}

/* A "-shm" file we may not write makes every save fail with SQLite's
 * "attempt to write a readonly database".  It only caches the WAL's
 * index, so when nobody has the database open it is removed (SQLite
 * makes it again); otherwise the message names it.  A read-only "-wal"
 * holds saved data: it is named, never removed. */
static int check_side_files(td_db *db, td_err *err)
{
	char shm[4096 + 8], wal[4096 + 8];
	struct stat sb;

	if (db->flags & TD_DB_READONLY)
		return TD_OK;
	snprintf(wal, sizeof wal, "%s-wal", db->path);
	if (lstat(wal, &sb) == 0 && faccessat(AT_FDCWD, wal, R_OK | W_OK,
					       AT_EACCESS) != 0)
		return td_err_set(err, TD_EIO,
			_("%s cannot be written by you (owner uid %u, mode %03o) and it holds saved data: ask the administrator to give it the owner and mode of %s; never remove it"),
			wal, (unsigned)sb.st_uid, (unsigned)(sb.st_mode & 07777),
			db->path);
	snprintf(shm, sizeof shm, "%s-shm", db->path);
	if (lstat(shm, &sb) != 0 || faccessat(AT_FDCWD, shm, R_OK | W_OK,
					      AT_EACCESS) == 0)
		return TD_OK;
	/* Alone with the file: no desk (our lock) and no other SQLite
	 * program (its lock on the -shm). */
	if (db->lock_fd >= 0 && flock(db->lock_fd, LOCK_EX | LOCK_NB) == 0) {
		bool removed = !shm_in_use(shm) && unlink(shm) == 0;
		int rc = (db->flags & TD_DB_EXCLUSIVE) ? 0
			 : flock(db->lock_fd, LOCK_SH);
		if (removed && rc == 0)
			return TD_OK;
	}
	return td_err_set(err, TD_EIO,
		_("%s cannot be written by you (owner uid %u, mode %03o), so no save would work: quit every desk using %s, then remove that file (it holds no data; it is made again), or ask its owner to"),
		shm, (unsigned)sb.st_uid, (unsigned)(sb.st_mode & 07777),
		db->path);
}

static void remove_files(const char *path)
{
	static const char *const suffix[] = { "", "-wal", "-shm", "-journal",
					      "-lock" };
	char buf[4096 + 16];

	for (size_t i = 0; i < sizeof suffix / sizeof suffix[0]; i++) {
		int n = snprintf(buf, sizeof buf, "%s%s", path, suffix[i]);
		if (n > 0 && (size_t)n < sizeof buf)
			unlink(buf);
	}
}

/* Apply the pending migrations in one transaction, so that a crash or a
 * failing script leaves the database exactly as it was. */
static int migrate(td_db *db, td_err *err)
{
	long long uv = 0;
	char what[256], sql[128];
	int code = td_store_begin(db, err);
	if (code != TD_OK)
		return code;

	/* Read again under the write lock: another terminal may have
	 * migrated between our first look and now. */
	code = query_int(db, "PRAGMA user_version", &uv, err,
			 _("cannot read the database version"));
	if (code == TD_OK && uv > TD_SCHEMA_VERSION)
		code = td_err_set(err, TD_ESCHEMA,
			_("database %s has schema version %lld, newer than this totemdesk understands (%d); upgrade totemdesk to use it"),
			db->path, uv, TD_SCHEMA_VERSION);
	for (int v = (int)uv; code == TD_OK && v < store_migration_count; v++) {
		snprintf(what, sizeof what,
			 _("cannot upgrade database %s from version %d to %d"),
			 db->path, v, v + 1);
		for (const char *const *step = store_migrations[v];
		     code == TD_OK && *step; step++)
			code = exec(db, *step, err, what);
	}
	if (code == TD_OK && uv < store_migration_count) {
		/* Integers only: nothing here comes from user text. */
		snprintf(sql, sizeof sql,
			 "PRAGMA application_id = %d; PRAGMA user_version = %d;",
			 STORE_APPLICATION_ID, store_migration_count);
		code = exec(db, sql, err, _("cannot record the database version"));
	}
	if (code != TD_OK) {
		td_store_rollback(db);
		return code;
	}
	return td_store_commit(db, err);
}

/* Decide from the header whether this file is ours, too new, or to be
 * migrated. */
static int check_identity(td_db *db, td_err *err)
{
	long long appid = 0, uv = 0, nobj = 0;
	const char *what = _("cannot open the database");
	int code = query_int(db, "PRAGMA application_id", &appid, err, what);
	if (code == TD_OK)
		code = query_int(db, "PRAGMA user_version", &uv, err, what);
	if (code == TD_OK)
		code = query_int(db, "SELECT count(*) FROM sqlite_master", &nobj,
				 err, what);
	if (code != TD_OK)
		return code;

	if (appid == STORE_APPLICATION_ID) {
		if (uv > TD_SCHEMA_VERSION)
			return td_err_set(err, TD_ESCHEMA,
				_("database %s has schema version %lld, newer than this totemdesk understands (%d); upgrade totemdesk to use it"),
				db->path, uv, TD_SCHEMA_VERSION);
		db->schema = (int)uv;
		return TD_OK;
	}
	if (appid != 0 || uv != 0 || nobj != 0)
		return td_err_set(err, TD_ESCHEMA,
			_("%s is an SQLite database but not a totemdesk one; check the path"),
			db->path);
	db->schema = 0; /* empty file: build it from scratch */
	return TD_OK;
}

/* SQLite's own busy handler sleeps longer at each try, up to 100 ms: a
 * desk that has waited a while looks ten times a second while one that
 * has just committed starts its next transaction at once, so with eight
 * desks saving flat out one of them could wait out the whole timeout
 * (2 to 5 s for some save in most runs of the sanitized build).  This one
 * looks again after 1 to 4 ms, drawn at random, until busy_ms have gone:
 * at each release every waiting desk has about the same chance. */
static int busy_wait(void *arg, int count)
{
	td_db *db = arg;
	struct timespec now;

	clock_gettime(CLOCK_MONOTONIC, &now);
	if (count == 0)
		db->busy_since = now;
	long long waited = (now.tv_sec - db->busy_since.tv_sec) * 1000LL +
			   (now.tv_nsec - db->busy_since.tv_nsec) / 1000000;
	if (waited >= db->busy_ms)
		return 0;
	/* xorshift32: no shared state, no lock, good enough to spread the
	 * desks' tries. */
	uint32_t x = db->busy_draw;
	x ^= x << 13;
	x ^= x >> 17;
	x ^= x << 5;
	db->busy_draw = x;
	struct timespec pause = { 0, (long)(1 + x % 4) * 1000 * 1000 };
	nanosleep(&pause, NULL);
	return 1;
}

static void set_busy(td_db *db, int ms)
{
	db->busy_ms = ms < 0 ? 0 : ms;
	if (!db->busy_draw) {
		struct timespec t;
		clock_gettime(CLOCK_MONOTONIC, &t);
		db->busy_draw = (uint32_t)getpid() * 2654435761u ^
				(uint32_t)t.tv_nsec;
		if (!db->busy_draw)
			db->busy_draw = 1;
	}
	sqlite3_busy_handler(db->h, busy_wait, db);
}

/* Connection settings: these change nothing in the file. */
static int configure(td_db *db, td_err *err)
{
	const char *what = _("cannot open the database");

	sqlite3_extended_result_codes(db->h, 1);
	set_busy(db, BUSY_TIMEOUT_MS);
	/* Refuse the schema tricks a crafted file could play on us. */
	sqlite3_db_config(db->h, SQLITE_DBCONFIG_DEFENSIVE, 1, (int *)NULL);
#ifdef SQLITE_DBCONFIG_TRUSTED_SCHEMA
	sqlite3_db_config(db->h, SQLITE_DBCONFIG_TRUSTED_SCHEMA, 0, (int *)NULL);
#endif
	/* On a shared desk, a temporary file of SQLite's would belong to the
	 * user, in a directory the user can read. */
	if ((db->flags & TD_DB_MEMORY_TEMP) &&
	    exec(db, "PRAGMA temp_store = MEMORY", err, what) != TD_OK)
		return err ? err->code : TD_EIO;
	/* What is deleted or overwritten is overwritten with zeros in the
	 * file, not left in free space: an erased person (issue 14) must
	 * not survive in the database's bytes. */
	if (exec(db, "PRAGMA secure_delete = ON", err, what) != TD_OK)
		return err ? err->code : TD_EIO;
	return exec(db, "PRAGMA foreign_keys = ON", err, what);
}

/* File-level settings, only once we know the file is ours: a foreign
 * database must be left exactly as it was found. */
static int set_journal(td_db *db, td_err *err)
{
	const char *what = _("cannot open the database");
	int code;

	if (db->flags & TD_DB_READONLY)
		return TD_OK;
	/* WAL lets the desk keep reading while another terminal writes;
	 * with WAL, synchronous=NORMAL is still safe against corruption
	 * and only risks the last commit on power loss. */
	code = exec(db, "PRAGMA journal_mode = WAL", err, what);
	if (code == TD_OK)
		code = exec(db, "PRAGMA synchronous = NORMAL", err, what);
	return code;
}

int td_store_open(const char *path, unsigned flags, td_db **out, td_err *err)
{
	bool created = false;
	long long dv = 0;
	int code, rc;
	td_db *db;

	*out = NULL;
	if (!path || !*path)
		return td_err_set(err, TD_EINVAL,
			_("no database path given; set one in the configuration or on the command line"));
	if (flags & TD_DB_NEW)
		flags |= TD_DB_CREATE;
	if ((flags & TD_DB_READONLY) && (flags & TD_DB_CREATE))
		return td_err_set(err, TD_EINVAL,
			_("cannot create database %s in read-only mode"), path);

	code = prepare_file(path, flags, &created, err);
	if (code != TD_OK)
		return code;

	db = calloc(1, sizeof *db);
	if (!db || !(db->path = strdup(path))) {
		free(db);
		db = NULL;
		code = td_err_set(err, TD_ENOMEM, _("out of memory"));
		goto fail;
	}
	db->flags = flags;
	db->lock_fd = -1;

	/* A new file is filled under the exclusive lock, so that nobody
	 * opens it half made. */
	code = take_lock(db, created || (flags & TD_DB_EXCLUSIVE),
			 !(flags & TD_DB_EXCLUSIVE), err);
	if (code != TD_OK)
		goto fail;
	struct stat sb;
	if (!created && stat(path, &sb) == 0 && sb.st_size == 0) {
		/* SQLite would quietly make a database of it, with the mode
		 * the empty file happened to have. */
		code = td_err_set(err, TD_ESCHEMA,
			_("%s is an empty file, not a totemdesk database; check the path (totemdesk init creates a database, but not over an existing file)"),
			path);
		goto fail;
	}
	code = check_side_files(db, err);
	if (code != TD_OK)
		goto fail;

	/* No SQLITE_OPEN_CREATE: the file exists by now, made by us with
	 * the right mode, or it was there before. */
	int oflags = (flags & TD_DB_READONLY) ? SQLITE_OPEN_READONLY
					      : SQLITE_OPEN_READWRITE;
#ifdef SQLITE_OPEN_EXRESCODE
	oflags |= SQLITE_OPEN_EXRESCODE;
#endif
	/* One thread per connection (the desk has one thread): SQLite's
	 * per-call mutex is pure cost, 7 % of an export's CPU. */
	oflags |= SQLITE_OPEN_NOMUTEX;
	rc = sqlite3_open_v2(path, &db->h, oflags, NULL);
	if (rc != SQLITE_OK) {
		int e = db->h ? sqlite3_system_errno(db->h) : 0;
		if (e)
			code = td_err_set(err, store_status(rc),
				_("cannot open database %s: %s; check the path and the permissions"),
				path, strerror(e));
		else
			code = store_fail(db, rc, err, _("cannot open the database"));
		goto fail;
	}
	/* SQLite quietly falls back to read-only on a file we may not write;
	 * say so now rather than at the first save. */
	if (!(flags & TD_DB_READONLY) && sqlite3_db_readonly(db->h, "main") == 1) {
		code = td_err_set(err, TD_EIO,
			_("cannot open database %s for writing: permission denied; check the file permissions"),
			path);
		goto fail;
	}

	code = configure(db, err);
	if (code == TD_OK)
		code = check_identity(db, err);
	if (code == TD_OK)
		code = set_journal(db, err);
	if (code != TD_OK)
		goto fail;

	if (db->schema < TD_SCHEMA_VERSION && !(flags & TD_DB_ANY_SCHEMA)) {
		if (flags & TD_DB_READONLY) {
			code = td_err_set(err, TD_ESCHEMA,
				_("database %s has schema version %d, older than this totemdesk (%d); open it once for writing to upgrade it"),
				path, db->schema, TD_SCHEMA_VERSION);
			goto fail;
		}
		code = migrate(db, err);
		if (code != TD_OK)
			goto fail;
		db->schema = TD_SCHEMA_VERSION;
	}

	code = query_int(db, "PRAGMA data_version", &dv, err,
			 _("cannot open the database"));
	if (code != TD_OK)
		goto fail;
	db->data_version = dv;
	if (db->schema == TD_SCHEMA_VERSION)
		store_capture_setup(db);
	if (created && !(flags & TD_DB_EXCLUSIVE) && db->lock_fd >= 0)
		flock(db->lock_fd, LOCK_SH);
	*out = db;
	return TD_OK;

fail:
	td_store_close(db);
	/* Never leave behind an empty file we made, unless someone else is
	 * busy with it already. */
	if (created && code != TD_EBUSY)
		remove_files(path);
	return code;
}

void td_store_close(td_db *db)
{
	if (!db)
		return;
	for (int i = 0; i < STORE_SLOTS; i++)
		sqlite3_finalize(db->cache[i]);
	store_list_cache_free(db);
	store_capture_abort(db);
	store_sync_free(db);
	for (int i = 0; i < db->ntouch; i++) {
		free(db->touch[i]);
		free(db->touch_name[i]);
	}
	sqlite3_close(db->h);
	if (db->lock_fd >= 0)
		close(db->lock_fd);
	free(db->path);
	free(db);
}

void td_store_set_busy_timeout(td_db *db, int ms)
{
	if (db && db->h)
		set_busy(db, ms);
}

int td_store_schema_version(td_db *db)
{
	return db ? db->schema : -1;
}

bool td_store_changed(td_db *db)
{
	sqlite3_stmt *st;
	bool changed = false;

	if (!db || store_stmt_get(db, SS_DATA_VERSION, "PRAGMA data_version",
				  &st, NULL) != TD_OK)
		return false;
	if (sqlite3_step(st) == SQLITE_ROW) {
		long long v = sqlite3_column_int64(st, 0);
		changed = v != db->data_version;
		db->data_version = v;
	}
	store_stmt_put(db, SS_DATA_VERSION, st);
	return changed;
}

/* ---- integrity --------------------------------------------------------- */

static void report_line(char *report, size_t reportsz, size_t *len,
			const char *line)
{
	if (*len >= reportsz)
		return;
	int n = snprintf(report + *len, reportsz - *len, "%s%s",
			 *len ? "\n" : "", line);
	if (n > 0)
		*len += (size_t)n < reportsz - *len ? (size_t)n
						    : reportsz - *len - 1;
}

int td_store_check(td_db *db, char *report, size_t reportsz, td_err *err)
{
	const char *what = _("cannot check the database");
	char line[512];
	size_t len = 0;
	long problems = 0;
	sqlite3_stmt *st = NULL;
	int rc;

	if (reportsz)
		report[0] = '\0';
	else
		report = NULL;
	rc = sqlite3_prepare_v2(db->h, "PRAGMA integrity_check(100)", -1, &st,
				NULL);
	while (rc == SQLITE_OK && (rc = sqlite3_step(st)) == SQLITE_ROW) {
		const char *s = (const char *)sqlite3_column_text(st, 0);
		if (!s || strcmp(s, "ok") != 0) {
			problems++;
			if (report)
				report_line(report, reportsz, &len, s ? s : "?");
		}
		rc = SQLITE_OK; /* keep stepping */
	}
	if (rc != SQLITE_DONE) {
		int code = store_fail(db, rc, err, what);
		sqlite3_finalize(st);
		return code;
	}
	sqlite3_finalize(st);

	rc = sqlite3_prepare_v2(db->h, "PRAGMA foreign_key_check", -1, &st, NULL);
	while (rc == SQLITE_OK && (rc = sqlite3_step(st)) == SQLITE_ROW) {
		const char *table = (const char *)sqlite3_column_text(st, 0);
		const char *parent = (const char *)sqlite3_column_text(st, 2);
		problems++;
		snprintf(line, sizeof line,
			 _("%s row %lld refers to a missing %s row"),
			 table ? table : "?",
			 (long long)sqlite3_column_int64(st, 1),
			 parent ? parent : "?");
		if (report)
			report_line(report, reportsz, &len, line);
		rc = SQLITE_OK; /* keep stepping */
	}
	if (rc != SQLITE_DONE) {
		int code = store_fail(db, rc, err, what);
		sqlite3_finalize(st);
		return code;
	}
	sqlite3_finalize(st);

	if (problems == 0) {
		if (report)
			report_line(report, reportsz, &len, "ok");
		return TD_OK;
	}
	return td_err_set(err, TD_ECORRUPT,
		ngettext("database %s failed its check (%ld problem); restore it from a backup",
			 "database %s failed its check (%ld problems); restore it from a backup",
			 (unsigned long)problems),
		db->path, problems);
}

/* ---- ids and clocks ---------------------------------------------------- */

void td_store_now(char out[TD_TIME_SIZE])
{
	const char *fake = getenv("TOTEMDESK_NOW");
	time_t t;
	struct tm tm;

	if (fake && *fake) {
		snprintf(out, TD_TIME_SIZE, "%s", fake);
		return;
	}
	t = time(NULL);
	if (!gmtime_r(&t, &tm) ||
	    strftime(out, TD_TIME_SIZE, "%Y-%m-%dT%H:%M:%SZ", &tm) == 0)
		snprintf(out, TD_TIME_SIZE, "1970-01-01T00:00:00Z");
}

static int fill_random(unsigned char *buf, size_t n)
{
	while (n) {
		ssize_t got = getrandom(buf, n, 0);
		if (got < 0) {
			if (errno == EINTR)
				continue;
			return -1;
		}
		buf += got;
		n -= (size_t)got;
	}
	return 0;
}

int td_store_new_id(const char *site, char out[TD_ID_SIZE], td_err *err)
{
	/* Crockford base32: no I, L, O, U, so ids read aloud unambiguously. */
	static const char b32[] = "0123456789ABCDEFGHJKMNPQRSTVWXYZ";
	unsigned char rnd[10];
	struct timespec ts;
	uint64_t ms, hi, lo;
	char *p;

	out[0] = '\0';
	if (!store_site_code_ok(site))
		return td_err_set(err, TD_EINVAL,
			_("site code \"%s\" is not three capital letters (such as MET); check the configuration"),
			site ? site : "");
	/* Monotonic within the process (as ULID's monotonic mode): two ids
	 * made in the same millisecond, or after the clock stepped back,
	 * still sort in creation order, so "newest first" lists are
	 * stable.  The program is single-threaded. */
	static uint64_t last_ms;
	static unsigned char last_rnd[10];
	clock_gettime(CLOCK_REALTIME, &ts);
	ms = (uint64_t)ts.tv_sec * 1000u + (uint64_t)ts.tv_nsec / 1000000u;
	if (ms <= last_ms) {
		ms = last_ms;
		memcpy(rnd, last_rnd, sizeof rnd);
		for (int i = (int)sizeof rnd - 1; i >= 0 && ++rnd[i] == 0; i--)
			;
	} else if (fill_random(rnd, sizeof rnd) != 0) {
		return td_err_set(err, TD_EIO,
			_("cannot get random numbers from the system: %s"),
			strerror(errno));
	}
	last_ms = ms;
	memcpy(last_rnd, rnd, sizeof rnd);

	memcpy(out, site, 3);
	out[3] = '-';
	p = out + 4;
	/* 48-bit time in 10 characters, so ids sort by creation time. */
	for (int i = 9; i >= 0; i--) {
		p[i] = b32[ms & 31];
		ms >>= 5;
	}
	/* 80 random bits as two 40-bit halves of 8 characters each. */
	hi = lo = 0;
	for (int i = 0; i < 5; i++) {
		hi = hi << 8 | rnd[i];
		lo = lo << 8 | rnd[5 + i];
	}
	for (int i = 7; i >= 0; i--) {
		p[10 + i] = b32[hi & 31];
		p[18 + i] = b32[lo & 31];
		hi >>= 5;
		lo >>= 5;
	}
	p[26] = '\0';
	return TD_OK;
}
