/* Others' writes to the database, told without polling: on Linux an
 * inotify watch on the database's directory, filtered to the database
 * file and its -wal and -journal (a write by another program lands in
 * one of them; the -shm is written through a mapping, which inotify
 * does not report, so our own reads wake nobody).  Where the directory
 * cannot be watched, the files themselves are.  Elsewhere, or when
 * inotify is refused, there is no descriptor and the caller polls
 * td_app_changed (PRAGMA data_version). */
#include "app_int.h"
#include "totemdesk/app.h"

#include <stdio.h>
#include <string.h>
#include <unistd.h>

#ifdef __linux__
#include <fcntl.h>
#include <limits.h>
#include <sys/inotify.h>

static bool is_ours(const char *base, const char *name)
{
	size_t n = strlen(base);
	return strncmp(name, base, n) == 0 &&
	       (!name[n] || strcmp(name + n, "-wal") == 0 ||
		strcmp(name + n, "-journal") == 0);
}

static int watch_open(struct td_app *app)
{
	char dir[sizeof app->db_path], path[sizeof app->db_path + 16];
	const char *slash = strrchr(app->db_path, '/');
	const uint32_t mask = IN_MODIFY | IN_CLOSE_WRITE | IN_MOVED_TO |
			      IN_CREATE | IN_DELETE;

	if (!app->db || !app->db_path[0])
		return -1;
	int fd = inotify_init1(IN_NONBLOCK | IN_CLOEXEC);
	if (fd < 0)
		return -1;
	if (!slash)
		snprintf(dir, sizeof dir, ".");
	else
		snprintf(dir, sizeof dir, "%.*s",
			 slash == app->db_path ? 1 : (int)(slash - app->db_path),
			 app->db_path);
	const char *base = slash ? slash + 1 : app->db_path;
	size_t blen = strlen(base);
	if (blen >= sizeof app->watch_base) {
		close(fd);
		return -1;
	}
	memcpy(app->watch_base, base, blen + 1);
	if (inotify_add_watch(fd, dir, mask | IN_ONLYDIR) >= 0) {
		app->watch_dir = true;
		return fd;
	}
	/* The files themselves: events carry no name then. */
	int ok = inotify_add_watch(fd, app->db_path, IN_MODIFY) >= 0;
	snprintf(path, sizeof path, "%s-wal", app->db_path);
	ok += inotify_add_watch(fd, path, IN_MODIFY) >= 0;
	if (ok == 2)
		return fd;
	close(fd);
	return -1;
}

int td_app_change_fd(struct td_app *app)
{
	if (!app->watch_tried) {
		app->watch_tried = true;
		app->watch_fd = watch_open(app);
	}
	return app->watch_fd;
}

bool td_app_change_drain(struct td_app *app)
{
	char buf[4096] __attribute__((aligned(__alignof__(struct inotify_event))));
	bool ours = false;
	ssize_t n;

	if (!app->watch_tried || app->watch_fd < 0)
		return true;
	while ((n = read(app->watch_fd, buf, sizeof buf)) > 0) {
		for (char *p = buf; p < buf + n;) {
			const struct inotify_event *e = (const void *)p;
			if (!app->watch_dir ||
			    (e->len && is_ours(app->watch_base, e->name)) ||
			    (e->mask & IN_Q_OVERFLOW))
				ours = true;
			p += sizeof *e + e->len;
		}
	}
	return ours;
}

#else

int td_app_change_fd(struct td_app *app)
{
	return -1;
}

bool td_app_change_drain(struct td_app *app)
{
	return true;
}

#endif

void app_watch_close(struct td_app *app)
{
	if (app->watch_tried && app->watch_fd >= 0)
		close(app->watch_fd);
	app->watch_tried = false;
}
