/* The one writer of the files a user asks for (outfile.h).
 *
 * Everything is done relative to a descriptor of the directory, opened
 * once: a directory renamed or replaced by a link meanwhile cannot send
 * the temporary file and its final name to two different places. */
#include "totemdesk/outfile.h"
#include "totemdesk/i18n.h"
#include "totemdesk/privilege.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/random.h>
#include <sys/stat.h>
#include <unistd.h>

struct td_outfile {
	FILE *fp;
	int dirfd;
	unsigned flags;
	char path[PATH_MAX];
	char dir[PATH_MAX];
	char base[NAME_MAX + 1];
	char tmp[NAME_MAX + 1];
	char tmp_path[PATH_MAX + NAME_MAX + 2];
};

/* A message for errno e while writing path. */
static int io_error(td_err *err, const char *path, int e)
{
	switch (e) {
	case ENOSPC:
	case EDQUOT:
		return td_err_set(err, TD_EIO,
			_("cannot write %s: disk full; free some disk space and try again"),
			path);
	case EFBIG:
		return td_err_set(err, TD_EIO,
			_("cannot write %s: the file size limit is reached (ulimit -f), as if the disk were full; nothing was written"),
			path);
	case EACCES:
	case EPERM:
	case EROFS:
		return td_err_set(err, TD_EIO,
			_("cannot write %s: %s; choose a directory you may write to"),
			path, strerror(e));
	case ENOENT:
	case ENOTDIR:
		return td_err_set(err, TD_EIO,
			_("cannot write %s: the directory does not exist"), path);
	default:
		return td_err_set(err, TD_EIO, _("cannot write %s: %s"), path,
				  strerror(e));
	}
}

/* A directory of the path that is a symbolic link owned by someone else
 * than the user or root could be pointed anywhere by its owner, between
 * our look and our write: refuse it (the rule of the kernel's
 * protected_symlinks, for every directory rather than sticky ones). */
static int check_links(const char *dir, td_err *err)
{
	char walk[PATH_MAX];
	size_t n = strlen(dir);
	uid_t me = getuid();

	if (n >= sizeof walk)
		return td_err_set(err, TD_EINVAL, _("path too long: %s"), dir);
	memcpy(walk, dir, n + 1);
	for (size_t i = 1; i <= n; i++) {
		if (walk[i] != '/' && walk[i] != '\0')
			continue;
		char c = walk[i];
		walk[i] = '\0';
		struct stat sb;
		if (lstat(walk, &sb) == 0 && S_ISLNK(sb.st_mode) &&
		    sb.st_uid != me && sb.st_uid != 0) {
			int rc = td_err_set(err, TD_EPERM,
				_("%s is a symbolic link that belongs to another user; write to the directory itself instead"),
				walk);
			walk[i] = c;
			return rc;
		}
		walk[i] = c;
	}
	return TD_OK;
}

static int split_path(struct td_outfile *f, const char *path, td_err *err)
{
	size_t n = strlen(path);
	if (n == 0)
		return td_err_set(err, TD_EINVAL, _("no file name given"));
	if (n >= sizeof f->path)
		return td_err_set(err, TD_EINVAL, _("path too long: %s"), path);
	memcpy(f->path, path, n + 1);
	if (path[n - 1] == '/')
		return td_err_set(err, TD_EINVAL,
			_("%s is a directory; give the name of a file in it"), path);
	const char *slash = strrchr(path, '/');
	const char *base = slash ? slash + 1 : path;
	if (strlen(base) > NAME_MAX)
		return td_err_set(err, TD_EINVAL, _("file name too long: %s"),
				  base);
	if (strcmp(base, ".") == 0 || strcmp(base, "..") == 0)
		return td_err_set(err, TD_EINVAL,
			_("%s is a directory; give the name of a file in it"), path);
	snprintf(f->base, sizeof f->base, "%s", base);
	if (!slash)
		snprintf(f->dir, sizeof f->dir, ".");
	else if (slash == path)
		snprintf(f->dir, sizeof f->dir, "/");
	else
		snprintf(f->dir, sizeof f->dir, "%.*s", (int)(slash - path), path);
	return TD_OK;
}

/* Is there something at the name already?  TD_OK when it may be
 * replaced (or is absent). */
static int check_target(struct td_outfile *f, td_err *err)
{
	struct stat sb;
	if (fstatat(f->dirfd, f->base, &sb, AT_SYMLINK_NOFOLLOW) != 0) {
		if (errno == ENOENT)
			return TD_OK;
		return io_error(err, f->path, errno);
	}
	if (S_ISDIR(sb.st_mode))
		return td_err_set(err, TD_EINVAL,
			_("%s is a directory; give the name of a file in it"),
			f->path);
	if (!(f->flags & TD_OUT_FORCE))
		return td_err_set(err, TD_EEXIST,
			_("%s already exists; choose another name, or use --force to replace it"),
			f->path);
	if (!S_ISREG(sb.st_mode) && !S_ISLNK(sb.st_mode))
		return td_err_set(err, TD_EINVAL,
			_("%s is not a regular file; choose another name"),
			f->path);
	return TD_OK;
}

/* ".NAME.XXXXXX" beside the target: hidden, same file system. */
static int create_temp(struct td_outfile *f, int *fd, td_err *err)
{
	static const char chars[] = "abcdefghijklmnopqrstuvwxyz0123456789";
	for (int attempt = 0; attempt < 16; attempt++) {
		unsigned char rnd[8];
		char suffix[9];
		if (getrandom(rnd, sizeof rnd, 0) != (ssize_t)sizeof rnd)
			for (size_t i = 0; i < sizeof rnd; i++)
				rnd[i] = (unsigned char)(rand() ^ attempt);
		for (size_t i = 0; i < 8; i++)
			suffix[i] = chars[rnd[i] % (sizeof chars - 1)];
		suffix[8] = '\0';
		/* Room for ".", "." and the suffix within NAME_MAX. */
		snprintf(f->tmp, sizeof f->tmp, ".%.*s.%s", NAME_MAX - 10,
			 f->base, suffix);
		*fd = openat(f->dirfd, f->tmp,
			     O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC,
			     0600);
		if (*fd >= 0)
			break;
		if (errno != EEXIST)
			return io_error(err, f->path, errno);
	}
	if (*fd < 0)
		return io_error(err, f->path, EEXIST);
	/* Whatever the umask: readable and writable by the user only. */
	if (fchmod(*fd, 0600) != 0) {
		int e = errno;
		close(*fd);
		*fd = -1;
		unlinkat(f->dirfd, f->tmp, 0);
		return io_error(err, f->path, e);
	}
	snprintf(f->tmp_path, sizeof f->tmp_path, "%s/%s", f->dir, f->tmp);
	return TD_OK;
}

static void release(struct td_outfile *f)
{
	if (f->fp)
		fclose(f->fp);
	if (f->dirfd >= 0)
		close(f->dirfd);
	free(f);
}

int td_outfile_open(struct td_outfile **out, const char *path,
		    unsigned flags, td_err *err)
{
	struct td_outfile *f = calloc(1, sizeof *f);
	int fd = -1, rc;

	*out = NULL;
	if (!f)
		return td_err_set(err, TD_ENOMEM, _("out of memory"));
	f->dirfd = -1;
	f->flags = flags;
	if ((rc = split_path(f, path ? path : "", err))) {
		release(f);
		return rc;
	}
	if ((rc = td_priv_user_begin(err))) {
		release(f);
		return rc;
	}
	rc = check_links(f->dir, err);
	if (!rc) {
		f->dirfd = open(f->dir, O_PATH | O_DIRECTORY | O_CLOEXEC);
		if (f->dirfd < 0)
			rc = io_error(err, f->path, errno);
	}
	if (!rc)
		rc = check_target(f, err);
	if (!rc)
		rc = create_temp(f, &fd, err);
	td_priv_user_end();
	if (rc) {
		release(f);
		return rc;
	}
	if (!(f->fp = fdopen(fd, "w"))) {
		rc = io_error(err, f->path, errno);
		close(fd);
		td_outfile_abort(f);
		return rc;
	}
	*out = f;
	return TD_OK;
}

FILE *td_outfile_stream(struct td_outfile *f)
{
	return f->fp;
}

const char *td_outfile_temp_path(const struct td_outfile *f)
{
	return f->tmp_path;
}

const char *td_outfile_path(const struct td_outfile *f)
{
	return f->path;
}

static void remove_temp(struct td_outfile *f)
{
	if (f->dirfd < 0 || !f->tmp[0])
		return;
	if (td_priv_user_begin(NULL) == TD_OK) {
		unlinkat(f->dirfd, f->tmp, 0);
		td_priv_user_end();
	}
	f->tmp[0] = '\0';
}

void td_outfile_abort(struct td_outfile *f)
{
	if (!f)
		return;
	remove_temp(f);
	release(f);
}

/* Rename the temporary file to its name; without TD_OUT_FORCE never over
 * something that appeared since td_outfile_open. */
static int put_in_place(struct td_outfile *f, td_err *err)
{
	int r;
	if (f->flags & TD_OUT_FORCE) {
		r = renameat(f->dirfd, f->tmp, f->dirfd, f->base);
	} else {
		r = renameat2(f->dirfd, f->tmp, f->dirfd, f->base,
			      RENAME_NOREPLACE);
		if (r != 0 && (errno == EINVAL || errno == ENOSYS)) {
			/* A file system without RENAME_NOREPLACE: a hard
			 * link fails on an existing name just as well. */
			r = linkat(f->dirfd, f->tmp, f->dirfd, f->base, 0);
			if (r == 0)
				unlinkat(f->dirfd, f->tmp, 0);
		}
	}
	if (r == 0) {
		f->tmp[0] = '\0';
		return TD_OK;
	}
	if (errno == EEXIST)
		return td_err_set(err, TD_EEXIST,
			_("%s already exists; choose another name, or use --force to replace it"),
			f->path);
	return io_error(err, f->path, errno);
}

int td_outfile_commit(struct td_outfile *f, td_err *err)
{
	int rc = TD_OK;
	int fd = fileno(f->fp);

	if (fflush(f->fp) != 0 || ferror(f->fp))
		rc = io_error(err, f->path, errno ? errno : EIO);
	else if (fsync(fd) != 0)
		rc = io_error(err, f->path, errno);
	if (fclose(f->fp) != 0 && !rc)
		rc = io_error(err, f->path, errno);
	f->fp = NULL;
	if (!rc && !(rc = td_priv_user_begin(err))) {
		rc = put_in_place(f, err);
		td_priv_user_end();
	}
	if (!rc) {
		/* The new name on disk too; a directory we may not read is
		 * simply not synced. */
		int d = openat(f->dirfd, ".", O_RDONLY | O_DIRECTORY | O_CLOEXEC);
		if (d >= 0) {
			fsync(d);
			close(d);
		}
	}
	remove_temp(f);
	release(f);
	return rc;
}

int td_outfile_write(const char *path, const void *data, size_t len,
		     unsigned flags, td_err *err)
{
	struct td_outfile *f;
	int rc = td_outfile_open(&f, path, flags, err);
	if (rc)
		return rc;
	errno = 0;
	if (len && fwrite(data, 1, len, f->fp) != len) {
		rc = io_error(err, path, errno ? errno : EIO);
		td_outfile_abort(f);
		return rc;
	}
	return td_outfile_commit(f, err);
}
