/* Process set-up and the group privilege of the shared desk (privilege.h).
 *
 * The model is crontab's and mlocate's: the binary is set-group-ID to a
 * group no person belongs to, the protected files are writable by that
 * group only, and the program decides what a user may see.  The user
 * still owns the process: everything inherited from them is suspect,
 * and every file they name is opened with their own rights. */
#include "totemdesk/privilege.h"
#include "totemdesk/i18n.h"

#include <errno.h>
#include <fcntl.h>
#include <pwd.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <unistd.h>

extern char **environ;

static struct {
	bool setgid;      /* effective group not the real one at start */
	bool restricted;  /* ... and the real user is not root */
	bool config_env;  /* $TOTEMDESK_CONFIG was given */
	bool dropped;     /* td_priv_drop: no privilege left */
	gid_t egid;       /* the privileged group */
} P;

/* Descriptors 0-2 open, whatever the caller closed: otherwise the next
 * open() (the database) would get number 2 and error messages would be
 * written into it. */
static int standard_fds(td_err *err)
{
	for (int fd = 0; fd <= 2; fd++) {
		if (fcntl(fd, F_GETFD) != -1 || errno != EBADF)
			continue;
		int n = open("/dev/null", O_RDWR);
		if (n != fd) {
			if (n >= 0)
				close(n);
			return td_err_set(err, TD_EPERM,
				_("cannot open /dev/null for the closed standard descriptor %d"),
				fd);
		}
	}
	return TD_OK;
}

static void close_inherited(void)
{
	/* Only what we open ourselves: a descriptor handed down by the user
	 * (a directory, a socket) has no business in a privileged process. */
	if (close_range(3, ~0U, 0) == 0)
		return;
	long max = sysconf(_SC_OPEN_MAX);
	for (long fd = 3; fd < (max > 0 && max < 65536 ? max : 1024); fd++)
		close((int)fd);
}

static bool keep_var(const char *entry)
{
	static const char *const exact[] = { "TERM", "LANG", "LANGUAGE", "TZ",
		"NO_COLOR", "COLUMNS", "LINES", "ESCDELAY", NULL };
	size_t n = strcspn(entry, "=");
	if (!entry[n])
		return false;
	const char *v = entry + n + 1;
	if (n > 3 && strncmp(entry, "LC_", 3) == 0)
		return !strchr(v, '/');
	for (const char *const *e = exact; *e; e++) {
		if (strlen(*e) != n || strncmp(entry, *e, n) != 0)
			continue;
		/* A terminal or locale name is a name, not a path: ncurses
		 * and glibc would read a file from one. */
		if ((strcmp(*e, "TERM") == 0 || strcmp(*e, "LANG") == 0 ||
		     strcmp(*e, "LANGUAGE") == 0) &&
		    (strchr(v, '/') || strlen(v) > 64))
			return false;
		/* TZ may name a zone file; glibc keeps a set-group-ID
		 * process inside its zoneinfo directory, and ".." is
		 * refused here as well. */
		if (strcmp(*e, "TZ") == 0 && strstr(v, ".."))
			return false;
		return true;
	}
	return false;
}

/* The environment reduced to what a terminal program needs: terminal,
 * language, time zone, colour wish.  Gone are TERMINFO*, XDG_*,
 * TOTEMDESK_* (configuration, clock, translations), SQLITE_TMPDIR,
 * TMPDIR, and anything else a library might read. */
static int reset_environment(const struct passwd *pw, td_err *err)
{
	size_t n = 0, k = 0;
	while (environ && environ[n])
		n++;
	char **keep = calloc(n + 1, sizeof *keep);
	if (!keep)
		return td_err_set(err, TD_ENOMEM, _("out of memory"));
	for (size_t i = 0; i < n; i++) {
		if (!keep_var(environ[i]))
			continue;
		if (!(keep[k] = strdup(environ[i]))) {
			while (k)
				free(keep[--k]);
			free(keep);
			return td_err_set(err, TD_ENOMEM, _("out of memory"));
		}
		k++;
	}
	clearenv();
	int rc = TD_OK;
	for (size_t i = 0; i < k; i++) {
		if (putenv(keep[i]) != 0) /* keep[i] now belongs to environ */
			rc = td_err_set(err, TD_ENOMEM, _("out of memory"));
	}
	free(keep);
	setenv("PATH", "/usr/bin:/bin", 1);
	if (pw) {
		setenv("HOME", pw->pw_dir, 1);
		setenv("USER", pw->pw_name, 1);
		setenv("LOGNAME", pw->pw_name, 1);
	}
	return rc;
}

static void no_dumps(void)
{
	struct rlimit none = { 0, 0 };
	setrlimit(RLIMIT_CORE, &none);
	prctl(PR_SET_DUMPABLE, 0, 0, 0, 0);
}

int td_priv_startup(td_err *err)
{
	int rc = standard_fds(err);
	if (rc)
		return rc;
	signal(SIGXFSZ, SIG_IGN);

	if (geteuid() != getuid())
		return td_err_set(err, TD_EPERM,
			_("totemdesk is installed set-user-ID, which it does not support: install it set-group-ID to the totemdesk group (chmod 2755, see the README)"));
	P.egid = getegid();
	P.setgid = P.egid != getgid();
	P.restricted = P.setgid && getuid() != 0;
	const char *cfg = getenv("TOTEMDESK_CONFIG");
	P.config_env = cfg && *cfg;
	if (!P.restricted)
		return TD_OK;

	no_dumps();
	umask(077);
	close_inherited();
	return reset_environment(getpwuid(getuid()), err);
}

/* LeakSanitizer (the CI's ASan build) checks for leaks at exit by
 * tracing the process, which a process made non-dumpable refuses: it
 * would end every run of a shared desk with a fatal error.  The runtime
 * asks the program through this hook; other builds never call it. */
int __lsan_is_turned_off(void);
int __lsan_is_turned_off(void)
{
	return P.restricted;
}

bool td_priv_restricted(void)
{
	return P.restricted && !P.dropped;
}

bool td_priv_setgid(void)
{
	return P.setgid && !P.dropped;
}

bool td_priv_root(void)
{
	return getuid() == 0;
}

bool td_priv_config_env_given(void)
{
	return P.config_env;
}

int td_priv_login(char *out, size_t outsz, td_err *err)
{
	struct passwd *pw = getpwuid(getuid());
	if (pw && pw->pw_name && *pw->pw_name) {
		snprintf(out, outsz, "%s", pw->pw_name);
		return TD_OK;
	}
	if (P.restricted) {
		snprintf(out, outsz, "%s", "?");
		return td_err_set(err, TD_EPERM,
			_("user id %u has no entry in the password database, so totemdesk cannot tell who you are; ask the administrator of this host"),
			(unsigned)getuid());
	}
	const char *env = getenv("USER");
	snprintf(out, outsz, "%s", env && *env ? env : "unknown");
	return TD_OK;
}

int td_priv_user_begin(td_err *err)
{
	if (!P.setgid || P.dropped)
		return TD_OK;
	if (setegid(getgid()) != 0)
		return td_err_set(err, TD_EPERM,
			_("cannot give up the totemdesk group to open your file: %s"),
			strerror(errno));
	return TD_OK;
}

void td_priv_user_end(void)
{
	if (!P.setgid || P.dropped)
		return;
	/* The saved set-group-ID still holds the group, so this cannot
	 * fail; a change of effective group resets "dumpable" to the
	 * system's default, hence no_dumps() again. */
	if (setegid(P.egid) == 0 && P.restricted)
		no_dumps();
}

FILE *td_priv_fopen_read(const char *path)
{
	if (td_priv_user_begin(NULL) != TD_OK) {
		errno = EPERM;
		return NULL;
	}
	FILE *f = fopen(path, "rb");
	int e = errno;
	td_priv_user_end();
	errno = e;
	return f;
}

int td_priv_drop(td_err *err)
{
	if (!P.setgid || P.dropped)
		return TD_OK;
	gid_t g = getgid();
	if (setresgid(g, g, g) != 0)
		return td_err_set(err, TD_EPERM,
			_("cannot give up the totemdesk group: %s"), strerror(errno));
	P.dropped = true;
	return TD_OK;
}
