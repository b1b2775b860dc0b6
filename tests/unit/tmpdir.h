/* A fresh directory under /tmp for a test, and its removal with all it
 * holds (the tests that make real files: dbfile, outfile, privacy). */
#ifndef TD_TEST_TMPDIR_H
#define TD_TEST_TMPDIR_H

#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

/* "/tmp/td-NAME-XXXXXX" made into dir; 0 on success. */
static inline int tmpdir_make(char *dir, size_t dirsz, const char *name)
{
	snprintf(dir, dirsz, "/tmp/td-%s-XXXXXX", name);
	return mkdtemp(dir) ? 0 : -1;
}

/* Remove dir and everything below it (links are removed, not followed). */
static inline void tmpdir_remove(const char *dir)
{
	DIR *d = opendir(dir);
	struct dirent *e;
	char p[1024];
	struct stat sb;

	while (d && (e = readdir(d))) {
		if (strcmp(e->d_name, ".") == 0 || strcmp(e->d_name, "..") == 0)
			continue;
		if (snprintf(p, sizeof p, "%s/%s", dir, e->d_name) >= (int)sizeof p)
			continue;
		if (lstat(p, &sb) == 0 && S_ISDIR(sb.st_mode)) {
			chmod(p, 0700);
			tmpdir_remove(p);
		} else {
			unlink(p);
		}
	}
	if (d)
		closedir(d);
	rmdir(dir);
}

/* Remove the SQLite database at path with its -wal and -shm, if any: a
 * test's fresh database. */
static inline void tmpdb_remove(const char *path)
{
	char p[1024];
	unlink(path);
	snprintf(p, sizeof p, "%s-wal", path);
	unlink(p);
	snprintf(p, sizeof p, "%s-shm", path);
	unlink(p);
}

#endif
