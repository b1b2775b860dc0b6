/* Opening the application: configuration, who is at the keyboard, which
 * site, which database; language selection. */
#include "app_int.h"
#include "totemdesk/app.h"
#include "totemdesk/domain.h"
#include "totemdesk/i18n.h"
#include "totemdesk/partner.h"
#include "totemdesk/privilege.h"
#include "totemdesk/referral.h"
#include "store/partner.h"
#include "store/store.h"
#include "store/sync.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <locale.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

void td_app_set_language(const char *lang, const char *localedir)
{
	/* glibc ignores LANGUAGE while LC_MESSAGES is "C": switch messages
	 * (only messages) to C.UTF-8 so French works under LANG=C too.  The
	 * catalogue is always returned as UTF-8; the UI transliterates for
	 * terminals that cannot show it. */
	const char *cur = setlocale(LC_MESSAGES, NULL);
	if (!cur || strcmp(cur, "C") == 0 || strcmp(cur, "POSIX") == 0) {
		if (!setlocale(LC_MESSAGES, "C.UTF-8"))
			setlocale(LC_MESSAGES, "C.utf8");
	}
	setenv("LANGUAGE", lang && *lang ? lang : "fr", 1);
	bindtextdomain(TD_TEXTDOMAIN, localedir);
	bind_textdomain_codeset(TD_TEXTDOMAIN, "UTF-8");
	/* textdomain() also flushes gettext's cache of looked-up strings. */
	textdomain(TD_TEXTDOMAIN);
}

/* Expand "~/" and make a relative path relative to base_dir.  TD_ECONFIG
 * when a shared desk's configuration names a home directory: $HOME is the
 * user's to choose. */
static int resolve_path(const char *p, const char *base_file, char *out,
			size_t outsz, td_err *err)
{
	const char *home = getenv("HOME");
	if (p[0] == '~' && td_priv_restricted())
		return td_err_set(err, TD_ECONFIG,
			_("%s: database \"%s\": the database of a desk shared by the users of this host cannot be in a home directory; give a path such as %s/totemdesk.db"),
			base_file, p, TD_SYSTEM_DB_DIR);
	if (p[0] == '~' && p[1] == '/' && home) {
		snprintf(out, outsz, "%s/%s", home, p + 2);
	} else if (p[0] != '/' && base_file && *base_file) {
		const char *slash = strrchr(base_file, '/');
		if (slash && snprintf(out, outsz, "%.*s/%s",
				      (int)(slash - base_file), base_file, p) >= 0)
			return TD_OK;
		snprintf(out, outsz, "%s", p);
	} else {
		snprintf(out, outsz, "%s", p);
	}
	return TD_OK;
}

/* With the effective ids: on a shared desk only the group may look into
 * the database directory, and access() would ask for the user. */
static bool exists(const char *path)
{
	return faccessat(AT_FDCWD, path, F_OK, AT_EACCESS) == 0;
}

static void default_db_path(char *out, size_t outsz)
{
	const char *xdg = getenv("XDG_DATA_HOME");
	const char *home = getenv("HOME");
	if (td_priv_restricted())
		snprintf(out, outsz, "%s/totemdesk.db", TD_SYSTEM_DB_DIR);
	else if (xdg && *xdg)
		snprintf(out, outsz, "%s/totemdesk/totemdesk.db", xdg);
	else if (home && *home)
		snprintf(out, outsz, "%s/.local/share/totemdesk/totemdesk.db",
			 home);
	else
		snprintf(out, outsz, "totemdesk.db");
}

const char *app_minting_site(const struct td_app *app, const char *site)
{
	if (app->demo || !app->have_config || !app->cfg.site[0] ||
	    !td_config_site(&app->cfg, app->cfg.site))
		return site;
	return app->cfg.site;
}

/* Copy the configuration's sites and users into the database, so that
 * records can refer to them and other sites learn who is who. */
static int sync_reference_data(struct td_app *app, td_err *err)
{
	int rc = td_store_begin(app->db, err);
	if (rc)
		return rc;
	for (size_t i = 0; i < app->cfg.nsites && !rc; i++) {
		const struct td_site_cfg *s = &app->cfg.sites[i];
		struct td_site_rec r = { s->code, s->name, s->totem, s->city,
					 s->address, s->coordination };
		rc = td_store_site_put(app->db, &r, err);
	}
	for (size_t i = 0; i < app->cfg.nusers && !rc; i++) {
		const struct td_user_cfg *u = &app->cfg.users[i];
		struct td_user_rec r = { u->login, u->name,
					 td_enum_code(&td_roles, u->role),
					 u->site };
		rc = td_store_user_put(app->db, &r, err);
	}
	/* The exchange names this database's changes by the site the
	 * installation serves (not the --site an officer works for). */
	char id[64], site[8];
	if (!rc && app->cfg.site[0])
		rc = td_store_sync_self(app->db, app->cfg.site, id, site, err);
	if (rc) {
		td_store_rollback(app->db);
		return rc;
	}
	return td_store_commit(app->db, err);
}

/* A routing rule naming a partner the directory does not have is a
 * configuration mistake: say so at start-up, with FILE:LINE, rather than
 * when a receptionist routes a visitor.  The directory is in the
 * database, which is looked at read-only and as it is, so that a
 * configuration mistake never leaves a database upgraded (or anything
 * written) behind it. */
static int check_routing_partners(struct td_app *app, td_err *err)
{
	const struct td_routing *r = app->cfg.routing;
	td_db *db = NULL;
	int rc = TD_OK;

	for (int i = 0; r && i < r->nrules && !rc; i++) {
		const struct td_route_rule *rule = &r->rules[i];
		bool found = false;
		if (!rule->partner[0])
			continue;
		if (!db && (rc = td_store_open(app->db_path,
				app_db_flags(TD_DB_READONLY | TD_DB_ANY_SCHEMA),
				&db, err)))
			break;
		if (td_store_schema_version(db) == 0)
			break; /* nothing in it yet: no directory to check */
		rc = td_store_partner_exists(db, rule->partner, &found, err);
		if (!rc && !found)
			rc = td_err_set(err, TD_ECONFIG,
				_("%s:%d: partner \"%s\" of routing rule \"%s\" is not in the partner directory (see totemdesk partners export)"),
				app->cfg.path, rule->line, rule->partner,
				rule->name);
	}
	td_store_close(db);
	return rc;
}

static int open_demo(struct td_app *app, const struct td_app_options *opt,
		     td_err *err)
{
	/* Generated data in the user's own temporary directory: the group
	 * of the shared desk has nothing to do there (a $TMPDIR pointing
	 * into the database directory would otherwise be writable). */
	int rc = td_priv_drop(err);
	if (rc)
		return rc;
	const char *tmp = getenv("TMPDIR");
	app->demo = true;
	td_config_defaults(&app->cfg);
	td_app_demo_goals(&app->cfg);
	app->cfg.color = !opt->no_color;
	if (opt->lang)
		snprintf(app->cfg.language, sizeof app->cfg.language, "%s",
			 opt->lang);
	const char *code = opt->site ? opt->site : "MET";
	app->site = td_config_site(&app->cfg, code);
	if (!app->site)
		return td_err_set(err, TD_ECONFIG,
			_("site \"%s\" is not defined (use THI, MET, NAN, EPI or COO)"),
			code);
	/* The demo user is the person at the keyboard, as a mission
	 * officer so that every screen is reachable. */
	app->cfg.users = calloc(1, sizeof *app->cfg.users);
	if (!app->cfg.users)
		return td_err_set(err, TD_ENOMEM, _("out of memory"));
	struct td_user_cfg *u = &app->cfg.users[0];
	snprintf(u->login, sizeof u->login, "%s", app->login);
	snprintf(u->name, sizeof u->name, "%s", "Camille Laurent");
	u->role = TD_ROLE_OFFICER;
	snprintf(u->site, sizeof u->site, "%s", app->site->code);
	app->cfg.nusers = 1;
	app->me = u;

	snprintf(app->demo_dir, sizeof app->demo_dir, "%s/totemdesk-demo-XXXXXX",
		 tmp && *tmp ? tmp : "/tmp");
	if (!mkdtemp(app->demo_dir)) {
		int e = errno;
		app->demo_dir[0] = '\0';
		return td_err_set(err, TD_EIO,
			_("cannot create a temporary directory for the demo: %s"),
			strerror(e));
	}
	if (snprintf(app->db_path, sizeof app->db_path, "%s/demo.db",
		     app->demo_dir) >= (int)sizeof app->db_path)
		return td_err_set(err, TD_EIO, _("temporary directory path too long"));
	/* Never exchanged: nothing of it is captured (docs/sync.md). */
	rc = app_init_db(app->db_path, TD_DB_LOCAL, err);
	if (!rc)
		rc = td_store_open(app->db_path, TD_DB_LOCAL, &app->db, err);
	if (!rc)
		rc = sync_reference_data(app, err);
	if (!rc)
		rc = td_app_demo_fill(app, 480, 20261123u, err);
	return rc;
}

/* What a user of a shared desk may not choose (privilege.h): the
 * configuration and the database are the host's.  Root may. */
static int restricted_refusals(const struct td_app_options *opt, td_err *err)
{
	if (!td_priv_restricted())
		return TD_OK;
	if (opt->config_path)
		return td_err_set(err, TD_EPERM,
			_("--config is refused: on this host totemdesk is installed for every user and reads %s only (root may choose another file)"),
			TD_SYSTEM_CONFIG);
	if (opt->db_path)
		return td_err_set(err, TD_EPERM,
			_("--db is refused: on this host the database is the one %s names (root may choose another file)"),
			TD_SYSTEM_CONFIG);
	if (td_priv_config_env_given())
		return td_err_set(err, TD_EPERM,
			_("$TOTEMDESK_CONFIG is refused: on this host totemdesk reads %s only; unset the variable"),
			TD_SYSTEM_CONFIG);
	return TD_OK;
}

/* A shared desk's database directory must keep the users out (they own
 * the -wal and -shm files their desks create there): 2770
 * root:totemdesk, as the package makes /var/lib/totemdesk. */
static int check_shared_dir(const char *db_path, td_err *err)
{
	char dir[4096];
	const char *slash = strrchr(db_path, '/');
	struct stat sb;

	if (!td_priv_restricted() || !slash)
		return TD_OK;
	snprintf(dir, sizeof dir, "%.*s", slash == db_path ? 1
		 : (int)(slash - db_path), db_path);
	if (stat(dir, &sb) != 0)
		return td_err_set(err, TD_EIO,
			_("cannot open the database directory %s: %s"), dir,
			strerror(errno));
	if (sb.st_mode & S_IRWXO)
		return td_err_set(err, TD_ECONFIG,
			_("the database directory %s is open to every user of this host (mode %04o); a shared desk needs it closed to them: sudo chmod 2770 %s"),
			dir, (unsigned)(sb.st_mode & 07777), dir);
	return TD_OK;
}

static int open_app(struct td_app *app, const struct td_app_options *opt,
		    td_err *err)
{
	char path[PATH_MAX];
	bool need_config = opt->need_config || td_priv_restricted();
	bool need_user = opt->need_user || td_priv_restricted();
	int rc;

	if ((rc = td_priv_login(app->login, sizeof app->login, err)))
		return rc;
	if (opt->demo) {
		rc = open_demo(app, opt, err);
		goto done;
	}
	if ((rc = restricted_refusals(opt, err)))
		return rc;

	rc = td_config_find(opt->config_path, path, sizeof path, err);
	if (rc == TD_OK) {
		rc = td_config_load(path, &app->cfg, err);
		if (rc)
			return rc;
		app->have_config = true;
	} else if (rc == TD_ENOTFOUND && !need_config) {
		td_config_defaults(&app->cfg);
		td_err_clear(err);
	} else {
		if (rc == TD_ENOTFOUND)
			err->code = rc = TD_ECONFIG;
		return rc;
	}
	if (opt->lang)
		snprintf(app->cfg.language, sizeof app->cfg.language, "%s",
			 opt->lang);
	/* The whole configuration, before the database is looked at. */
	if (opt->check_config && (rc = opt->check_config(&app->cfg, err)))
		return rc;

	if (app->have_config) {
		app->me = td_config_user(&app->cfg, app->login);
		if (!app->me && need_user) {
			rc = td_err_set(err, TD_EPERM,
				_("login \"%s\" is not known: an administrator must add it "
				  "to the users list in %s"), app->login, app->cfg.path);
			goto done;
		}
	}
	const char *code = opt->site ? opt->site : app->cfg.site;
	app->site = td_config_site(&app->cfg, code);
	if (!app->site) {
		rc = td_err_set(err, TD_ECONFIG,
			_("site \"%s\" is not defined in %s"), code,
			app->have_config ? app->cfg.path : _("the built-in sites"));
		goto done;
	}
	const char *held = td_app_held_site(app);
	if (held && strcmp(held, app->site->code) != 0) {
		rc = td_err_set(err, TD_EPERM,
			_("%s is reception staff at %s and cannot work for site %s"),
			app->me->name, app->me->site, app->site->code);
		goto done;
	}

	if (opt->db_path)
		snprintf(app->db_path, sizeof app->db_path, "%s", opt->db_path);
	else if (*app->cfg.database)
		rc = resolve_path(app->cfg.database, app->cfg.path, app->db_path,
				  sizeof app->db_path, err);
	else
		default_db_path(app->db_path, sizeof app->db_path);
	if (!rc)
		rc = check_shared_dir(app->db_path, err);
	if (rc || opt->no_db)
		goto done;
	if (!opt->create_db && !exists(app->db_path)) {
		rc = td_err_set(err, TD_ENOTFOUND,
			_("database %s does not exist; create it with: totemdesk init --db %s"),
			app->db_path, app->db_path);
		goto done;
	}
	if (app->have_config && exists(app->db_path) &&
	    (rc = check_routing_partners(app, err)))
		goto done;
	rc = td_store_open(app->db_path,
			   app_db_flags(opt->create_db ? TD_DB_CREATE : 0),
			   &app->db, err);
	if (!rc && app->have_config)
		rc = sync_reference_data(app, err);
done:
	app->color = app->cfg.color && !opt->no_color;
	snprintf(app->lang, sizeof app->lang, "%s", app->cfg.language);
	return rc;
}

unsigned app_db_flags(unsigned flags)
{
	return td_priv_restricted() ? flags | TD_DB_MEMORY_TEMP : flags;
}

int td_app_open(struct td_app **out, const struct td_app_options *opt,
		td_err *err)
{
	struct td_app *app = calloc(1, sizeof *app);
	int rc;

	*out = NULL;
	if (!app)
		return td_err_set(err, TD_ENOMEM, _("out of memory"));
	rc = open_app(app, opt, err);
	if (rc) {
		td_app_close(app);
		return rc;
	}
	*out = app;
	return TD_OK;
}

static void remove_demo_dir(const char *dir)
{
	DIR *d = opendir(dir);
	if (d) {
		struct dirent *e;
		char p[PATH_MAX];
		while ((e = readdir(d))) {
			if (strcmp(e->d_name, ".") == 0 || strcmp(e->d_name, "..") == 0)
				continue;
			snprintf(p, sizeof p, "%s/%s", dir, e->d_name);
			unlink(p);
		}
		closedir(d);
	}
	rmdir(dir);
}

void td_app_close(struct td_app *app)
{
	if (!app)
		return;
	app_watch_close(app);
	td_store_close(app->db);
	if (app->demo_dir[0])
		remove_demo_dir(app->demo_dir);
	td_config_free(&app->cfg);
	free(app);
}

const struct td_config *td_app_config(const struct td_app *app)
{
	return &app->cfg;
}

const struct td_user_cfg *td_app_me(const struct td_app *app)
{
	return app->me;
}

const struct td_site_cfg *td_app_site(const struct td_app *app)
{
	return app->site;
}

const char *td_app_login(const struct td_app *app)
{
	return app->login;
}

const char *td_app_lang(const struct td_app *app)
{
	return app->lang;
}

bool td_app_demo(const struct td_app *app)
{
	return app->demo;
}

bool td_app_color(const struct td_app *app)
{
	return app->color;
}

const char *td_app_db_path(const struct td_app *app)
{
	return app->db_path;
}

const char *td_app_role_label(const struct td_app *app)
{
	return app->me ? td_enum_label(&td_roles, app->me->role) : "";
}

bool td_app_changed(struct td_app *app)
{
	return app->db && td_store_changed(app->db);
}
