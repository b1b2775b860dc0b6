/* Who may do what: the role and site rules, in one place.  The use cases
 * refuse with them and the screens ask them (app.h), so that nothing
 * above src/app decides by looking at a role. */
#include "app_int.h"
#include "totemdesk/domain.h"

#include <stddef.h>

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
