/* Who may do what: the role and site rules, in one place.  The use cases
 * refuse with them and the screens ask them (app.h), so that nothing
 * above src/app decides by looking at a role. */
#include "app_int.h"
#include "totemdesk/domain.h"
#include "totemdesk/i18n.h"
#include "totemdesk/privilege.h"

#include <stddef.h>
#include <stdio.h>
#include <string.h>

bool td_app_may_manage(const struct td_app *app)
{
	return app->me && (app->me->role == TD_ROLE_OFFICER ||
			   app->me->role == TD_ROLE_ADMIN);
}

int td_app_may_manage_dossiers(const struct td_app *app, td_err *err)
{
	if (td_app_may_manage(app))
		return TD_OK;
	return td_err_set(err, TD_EPERM,
		_("only mission officers and administrators may assign dossiers or change their status"));
}

const char *td_app_held_site(const struct td_app *app)
{
	return app->me && app->me->role == TD_ROLE_RECEPTION ? app->me->site
							     : NULL;
}

bool td_app_own_site_only(const struct td_app *app)
{
	return td_app_held_site(app) != NULL;
}

bool td_app_may_be_assigned(const struct td_app *app,
			    const struct td_user_cfg *u)
{
	return u && (u->role == TD_ROLE_OFFICER || u->role == TD_ROLE_ADMIN);
}

int td_app_site_contacts(const struct td_app *app, const char *site,
			 char *out, size_t outsz)
{
	static const int roles[] = { TD_ROLE_OFFICER, TD_ROLE_ADMIN,
				     TD_ROLE_RECEPTION };
	const struct td_config *cfg = &app->cfg;
	size_t len = 0;
	int n = 0;

	if (outsz)
		out[0] = '\0';
	for (int r = 0; r < 3 && n == 0; r++) {
		for (size_t i = 0; i < cfg->nusers; i++) {
			const struct td_user_cfg *u = &cfg->users[i];
			if (u->role != roles[r] || strcmp(u->site, site) != 0)
				continue;
			int w = snprintf(out + len, outsz - len, "%s%s",
					 len ? ", " : "", u->name[0] ? u->name
								    : u->login);
			if (w < 0 || (size_t)w >= outsz - len)
				return n;
			len += (size_t)w;
			n++;
		}
	}
	return n;
}

bool td_app_agenda_mine_first(const struct td_app *app)
{
	return app->me && app->me->role == TD_ROLE_OFFICER;
}

int td_app_may_register(const struct td_app *app, td_err *err)
{
	if (!app->site)
		return td_err_set(err, TD_ECONFIG, _("no site is selected"));
	if (!app->me)
		return td_err_set(err, TD_EPERM,
			_("login \"%s\" is not in the configuration: registering "
			  "visitors needs a known user"), app->login);
	const char *held = td_app_held_site(app);
	if (held && strcmp(held, app->site->code) != 0)
		return td_err_set(err, TD_EPERM,
			_("%s is reception staff at %s and cannot register visitors at %s"),
			app->me->name, app->me->site, app->site->code);
	return TD_OK;
}

int td_app_may_import(const struct td_app *app, td_err *err)
{
	if (!app->me)
		return td_err_set(err, TD_EPERM,
			_("login \"%s\" is not in the configuration: importing "
			  "needs a known officer or administrator"), app->login);
	if (app->me->role == TD_ROLE_RECEPTION)
		return td_err_set(err, TD_EPERM,
			_("%s is reception staff: importing dossiers is for "
			  "mission officers and administrators"), app->me->name);
	return TD_OK;
}

int td_app_may_edit_partners(const struct td_app *app, td_err *err)
{
	if (!app->me)
		return td_err_set(err, TD_EPERM,
			_("login \"%s\" is not in the configuration: editing partners needs a known user"),
			app->login);
	if (app->me->role == TD_ROLE_RECEPTION)
		return td_err_set(err, TD_EPERM,
			_("%s is reception staff: only mission officers and administrators edit the partner directory"),
			app->me->name);
	return TD_OK;
}

/* A backup is the whole database, every site's people: administrators,
 * and root (the nightly service).  A personal desk without a
 * configuration is its owner's file anyway. */
int td_app_may_backup(const struct td_app *app, td_err *err)
{
	if (td_priv_root() || (!app->have_config && !td_priv_restricted()))
		return TD_OK;
	if (app->me && app->me->role == TD_ROLE_ADMIN)
		return TD_OK;
	if (!app->me)
		return td_err_set(err, TD_EPERM,
			_("login \"%s\" is not in the configuration: a backup holds every site's dossiers and is for administrators"),
			app->login);
	return td_err_set(err, TD_EPERM,
		_("%s is not an administrator: a backup holds every site's dossiers and is for administrators (or root)"),
		app->me->name);
}

/* The exchange moves every site's dossiers: the administrators (the
 * timer runs as one, README) and the mission officers (who also settle
 * its conflicts); reception staff never, nor a login the configuration
 * does not know. */
int td_app_may_sync(const struct td_app *app, td_err *err)
{
	if (!app->me)
		return td_err_set(err, TD_EPERM,
			_("login \"%s\" is not in the configuration: the exchange between sites is for mission officers and administrators"),
			app->login);
	if (app->me->role == TD_ROLE_RECEPTION)
		return td_err_set(err, TD_EPERM,
			_("%s is reception staff: the exchange between sites is for mission officers and administrators"),
			app->me->name);
	return TD_OK;
}

/* A restore replaces what every desk sees: on a host's shared desk it is
 * root's (as installing the program is); on a personal desk, its owner
 * or an administrator of its configuration. */
int td_app_may_restore(const struct td_app *app, td_err *err)
{
	if (td_priv_root())
		return TD_OK;
	if (td_priv_setgid())
		return td_err_set(err, TD_EPERM,
			_("restoring the database of a desk shared by the users of this host is for root: sudo totemdesk restore FILE"));
	if (!app->have_config || (app->me && app->me->role == TD_ROLE_ADMIN))
		return TD_OK;
	return td_err_set(err, TD_EPERM,
		_("restoring the database is for administrators (%s is not one)"),
		app->me ? app->me->name : app->login);
}

/* The rights of the people registered (issue 14: access, erasure,
 * consent withdrawal, retention, the record of processing): mission
 * officers and administrators, never reception. */
int td_app_may_privacy(const struct td_app *app, td_err *err)
{
	if (!app->me)
		return td_err_set(err, TD_EPERM,
			_("login \"%s\" is not in the configuration: the rights of the people registered (access, erasure) are for mission officers and administrators"),
			app->login);
	if (app->me->role == TD_ROLE_RECEPTION)
		return td_err_set(err, TD_EPERM,
			_("%s is reception staff: access, erasure and consent withdrawal are for mission officers and administrators"),
			app->me->name);
	return TD_OK;
}

/* The retention purge: root when it is no login of the configuration
 * (the package's nightly timer), officers and administrators. */
int td_app_may_purge(const struct td_app *app, td_err *err)
{
	/* A login of the configuration is held to its role, root's too. */
	if (!app->me && (td_priv_root() ||
			 (!app->have_config && !td_priv_restricted())))
		return TD_OK;
	return td_app_may_privacy(app, err);
}

/* The home screen tells administrators how many dossiers are due. */
bool td_app_sees_purge_due(const struct td_app *app)
{
	return app->me && app->me->role == TD_ROLE_ADMIN;
}
