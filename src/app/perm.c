/* Who may do what: the role and site rules, in one place.  The use cases
 * refuse with them and the screens ask them (app.h), so that nothing
 * above src/app decides by looking at a role. */
#include "app_int.h"
#include "totemdesk/domain.h"
#include "totemdesk/i18n.h"

#include <stddef.h>
#include <string.h>

bool td_app_may_manage(const struct td_app *app)
{
	return app->me && (app->me->role == TD_ROLE_OFFICER ||
			   app->me->role == TD_ROLE_ADMIN);
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
