/* The one writer of the files a user asks for (src/app/outfile.c), on a
 * real directory: planted links, existing files, failures that must leave
 * nothing behind, the mode whatever the umask. */
#include "totemdesk/outfile.h"
#include "tmpdir.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <dirent.h>
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <unistd.h>

struct fx {
	char dir[64];
	char path[128];     /* dir/out.csv */
	char victim[128];   /* dir/victim: what a planted link points at */
};

static int setup(void **state)
{
	struct fx *fx = calloc(1, sizeof *fx);
	if (!fx)
		return -1;
	if (tmpdir_make(fx->dir, sizeof fx->dir, "outfile") != 0) {
		free(fx);
		return -1;
	}
	snprintf(fx->path, sizeof fx->path, "%s/out.csv", fx->dir);
	snprintf(fx->victim, sizeof fx->victim, "%s/victim", fx->dir);
	*state = fx;
	return 0;
}

static int teardown(void **state)
{
	struct fx *fx = *state;
	tmpdir_remove(fx->dir);
	free(fx);
	return 0;
}

static void put(const char *path, const char *text, mode_t mode)
{
	FILE *f = fopen(path, "w");
	assert_non_null(f);
	fputs(text, f);
	fclose(f);
	chmod(path, mode);
}

/* The whole content of path, or "" when it cannot be read. */
static const char *content(const char *path)
{
	static char buf[4096];
	FILE *f = fopen(path, "r");
	size_t n = f ? fread(buf, 1, sizeof buf - 1, f) : 0;
	buf[n] = '\0';
	if (f)
		fclose(f);
	return buf;
}

/* Names in dir, comma-joined ("out.csv,victim"), sorted. */
static const char *listing(const char *dir)
{
	static char out[32 * 257];
	char names[32][256];
	int n = 0;
	DIR *d = opendir(dir);
	struct dirent *e;
	while (d && (e = readdir(d)) && n < 32) {
		if (strcmp(e->d_name, ".") && strcmp(e->d_name, ".."))
			snprintf(names[n++], sizeof names[0], "%s", e->d_name);
	}
	if (d)
		closedir(d);
	qsort(names, (size_t)n, sizeof names[0],
	      (int (*)(const void *, const void *))strcmp);
	out[0] = '\0';
	for (int i = 0; i < n; i++)
		snprintf(out + strlen(out), sizeof out - strlen(out), "%s%s",
			 i ? "," : "", names[i]);
	return out;
}

static mode_t mode_of(const char *path)
{
	struct stat sb;
	assert_int_equal(lstat(path, &sb), 0);
	return sb.st_mode;
}

static void written_0600_whatever_the_umask(void **state)
{
	struct fx *fx = *state;
	td_err err = { 0 };
	mode_t old = umask(0);
	assert_int_equal(td_outfile_write(fx->path, "a,b\r\n", 5, 0, &err),
			 TD_OK);
	umask(old);
	assert_int_equal(mode_of(fx->path) & 07777, 0600);
	assert_string_equal(content(fx->path), "a,b\r\n");
	assert_int_equal(mode_of(fx->path) & S_IFMT, S_IFREG);
	/* No temporary file left beside it. */
	assert_string_equal(listing(fx->dir), "out.csv");

	old = umask(0777);
	unlink(fx->path);
	assert_int_equal(td_outfile_write(fx->path, "x", 1, 0, &err), TD_OK);
	umask(old);
	assert_int_equal(mode_of(fx->path) & 07777, 0600);
}

/* A link planted at the name: refused as an existing file, and with
 * --force replaced by the new file; its target is never written. */
static void planted_symlink_target_untouched(void **state)
{
	struct fx *fx = *state;
	td_err err = { 0 };

	put(fx->victim, "precious\n", 0644);
	assert_int_equal(symlink(fx->victim, fx->path), 0);
	assert_int_equal(td_outfile_write(fx->path, "evil", 4, 0, &err),
			 TD_EEXIST);
	assert_non_null(strstr(err.msg, fx->path));
	assert_non_null(strstr(err.msg, "--force"));
	assert_string_equal(content(fx->victim), "precious\n");
	assert_int_equal(mode_of(fx->path) & S_IFMT, S_IFLNK);

	assert_int_equal(td_outfile_write(fx->path, "new", 3, TD_OUT_FORCE,
					  &err), TD_OK);
	assert_string_equal(content(fx->victim), "precious\n");
	assert_int_equal(mode_of(fx->victim) & 07777, 0644);
	assert_int_equal(mode_of(fx->path) & S_IFMT, S_IFREG);
	assert_int_equal(mode_of(fx->path) & 07777, 0600);
	assert_string_equal(content(fx->path), "new");
	assert_string_equal(listing(fx->dir), "out.csv,victim");
}

/* A dangling link (to where a file would be created) is no way around
 * it either. */
static void dangling_symlink_creates_nothing_there(void **state)
{
	struct fx *fx = *state;
	td_err err = { 0 };
	char target[160];
	snprintf(target, sizeof target, "%s/created-through-link", fx->dir);
	assert_int_equal(symlink(target, fx->path), 0);
	assert_int_equal(td_outfile_write(fx->path, "x", 1, 0, &err),
			 TD_EEXIST);
	assert_int_equal(access(target, F_OK), -1);
	assert_int_equal(td_outfile_write(fx->path, "x", 1, TD_OUT_FORCE, &err),
			 TD_OK);
	assert_int_equal(access(target, F_OK), -1);
}

static void existing_file_refused_unless_forced(void **state)
{
	struct fx *fx = *state;
	td_err err = { 0 };

	put(fx->path, "old\n", 0644);
	assert_int_equal(td_outfile_write(fx->path, "new", 3, 0, &err),
			 TD_EEXIST);
	assert_string_equal(content(fx->path), "old\n");
	assert_int_equal(mode_of(fx->path) & 07777, 0644);
	assert_string_equal(listing(fx->dir), "out.csv");

	/* Replaced: the new file's mode, not the old one's. */
	assert_int_equal(td_outfile_write(fx->path, "new", 3, TD_OUT_FORCE,
					  &err), TD_OK);
	assert_string_equal(content(fx->path), "new");
	assert_int_equal(mode_of(fx->path) & 07777, 0600);

	/* A directory is never replaced. */
	char sub[160];
	snprintf(sub, sizeof sub, "%s/sub", fx->dir);
	assert_int_equal(mkdir(sub, 0700), 0);
	assert_int_equal(td_outfile_write(sub, "x", 1, TD_OUT_FORCE, &err),
			 TD_EINVAL);
	char slash[170];
	snprintf(slash, sizeof slash, "%s/", sub);
	assert_int_equal(td_outfile_write(slash, "x", 1, 0, &err), TD_EINVAL);
	assert_int_equal(td_outfile_write("", "x", 1, 0, &err), TD_EINVAL);
}

/* The file appeared while it was being written: the new one is not
 * renamed over it. */
static void appeared_meanwhile_is_kept(void **state)
{
	struct fx *fx = *state;
	td_err err = { 0 };
	struct td_outfile *f;

	assert_int_equal(td_outfile_open(&f, fx->path, 0, &err), TD_OK);
	fputs("ours", td_outfile_stream(f));
	put(fx->path, "theirs", 0640);
	assert_int_equal(td_outfile_commit(f, &err), TD_EEXIST);
	assert_string_equal(content(fx->path), "theirs");
	assert_string_equal(listing(fx->dir), "out.csv");
}

/* Nothing is left behind when the writing fails or is given up: not the
 * temporary file, not a 0-byte file at the name. */
static void failure_leaves_nothing(void **state)
{
	struct fx *fx = *state;
	td_err err = { 0 };
	struct td_outfile *f;

	assert_int_equal(td_outfile_open(&f, fx->path, 0, &err), TD_OK);
	assert_int_equal(access(td_outfile_temp_path(f), F_OK), 0);
	fputs("half", td_outfile_stream(f));
	td_outfile_abort(f);
	assert_string_equal(listing(fx->dir), "");

	/* A file-size limit: the write fails with EFBIG (SIGXFSZ ignored,
	 * as td_priv_startup does), reported as a full disk. */
	struct rlimit old, small = { 1000, 0 };
	assert_int_equal(getrlimit(RLIMIT_FSIZE, &old), 0);
	small.rlim_max = old.rlim_max;
	signal(SIGXFSZ, SIG_IGN);
	char big[8192];
	memset(big, 'x', sizeof big);
	assert_int_equal(setrlimit(RLIMIT_FSIZE, &small), 0);
	int rc = td_outfile_write(fx->path, big, sizeof big, 0, &err);
	assert_int_equal(setrlimit(RLIMIT_FSIZE, &old), 0);
	assert_int_equal(rc, TD_EIO);
	assert_non_null(strstr(err.msg, "ulimit"));
	assert_string_equal(listing(fx->dir), "");

	/* A directory that does not exist: nothing created anywhere. */
	char deep[200];
	snprintf(deep, sizeof deep, "%s/no/such/out.csv", fx->dir);
	assert_int_equal(td_outfile_write(deep, "x", 1, 0, &err), TD_EIO);
	assert_non_null(strstr(err.msg, "does not exist"));
	assert_string_equal(listing(fx->dir), "");

	/* A directory we may not write (not as root: root may). */
	if (geteuid() != 0) {
		char ro[160], p[200];
		snprintf(ro, sizeof ro, "%s/ro", fx->dir);
		assert_int_equal(mkdir(ro, 0500), 0);
		snprintf(p, sizeof p, "%s/out.csv", ro);
		assert_int_equal(td_outfile_write(p, "x", 1, 0, &err), TD_EIO);
		assert_string_equal(listing(ro), "");
		chmod(ro, 0700);
	}
}

/* A directory of the path that is a link belonging to another user (who
 * could point it anywhere at any moment) is refused; the user's own
 * links are followed as usual.  Needs root to give a link away. */
static void others_symlinked_parent_refused(void **state)
{
	struct fx *fx = *state;
	td_err err = { 0 };
	char real[160], mine[160], theirs[160], p[200];

	snprintf(real, sizeof real, "%s/real", fx->dir);
	snprintf(mine, sizeof mine, "%s/mine", fx->dir);
	snprintf(theirs, sizeof theirs, "%s/theirs", fx->dir);
	assert_int_equal(mkdir(real, 0700), 0);
	assert_int_equal(symlink(real, mine), 0);
	snprintf(p, sizeof p, "%s/a.csv", mine);
	assert_int_equal(td_outfile_write(p, "x", 1, 0, &err), TD_OK);
	snprintf(p, sizeof p, "%s/a.csv", real);
	assert_string_equal(content(p), "x");

	if (geteuid() != 0) {
		print_message("(not root: the link of another user is not tried)\n");
		return;
	}
	assert_int_equal(symlink(real, theirs), 0);
	assert_int_equal(lchown(theirs, 65534, 65534), 0);
	snprintf(p, sizeof p, "%s/b.csv", theirs);
	assert_int_equal(td_outfile_write(p, "x", 1, 0, &err), TD_EPERM);
	assert_non_null(strstr(err.msg, theirs));
	snprintf(p, sizeof p, "%s/b.csv", real);
	assert_int_equal(access(p, F_OK), -1);
}

/* The streaming use: what the export does. */
static void stream_then_commit(void **state)
{
	struct fx *fx = *state;
	td_err err = { 0 };
	struct td_outfile *f;

	assert_int_equal(td_outfile_open(&f, fx->path, 0, &err), TD_OK);
	assert_string_equal(td_outfile_path(f), fx->path);
	/* Not visible under its name until committed. */
	assert_int_equal(access(fx->path, F_OK), -1);
	for (int i = 0; i < 10000; i++)
		fprintf(td_outfile_stream(f), "row %d\n", i);
	assert_int_equal(td_outfile_commit(f, &err), TD_OK);
	struct stat sb;
	assert_int_equal(stat(fx->path, &sb), 0);
	assert_true(sb.st_size > 60000);
	assert_string_equal(listing(fx->dir), "out.csv");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(written_0600_whatever_the_umask, setup, teardown),
		cmocka_unit_test_setup_teardown(planted_symlink_target_untouched, setup, teardown),
		cmocka_unit_test_setup_teardown(dangling_symlink_creates_nothing_there, setup, teardown),
		cmocka_unit_test_setup_teardown(existing_file_refused_unless_forced, setup, teardown),
		cmocka_unit_test_setup_teardown(appeared_meanwhile_is_kept, setup, teardown),
		cmocka_unit_test_setup_teardown(failure_leaves_nothing, setup, teardown),
		cmocka_unit_test_setup_teardown(others_symlinked_parent_refused, setup, teardown),
		cmocka_unit_test_setup_teardown(stream_then_commit, setup, teardown),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
