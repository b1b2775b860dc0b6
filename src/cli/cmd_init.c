/* totemdesk init: create the database (schema and partner seed). */
#include "cmd.h"
#include "totemdesk/i18n.h"

static int exec_init(const struct td_cli_args *a)
{
	td_err err = { 0 };
	char path[4096];
	int rc = td_cmd_db_path(a, path, sizeof path, &err);
	if (!rc)
		rc = td_app_init_db(path, &err);
	if (rc)
		return td_cmd_fail(rc, &err);
	td_cli_printf(stdout, _("created %s\n"), path);
	return TD_EXIT_OK;
}

const struct td_cli_command td_cmd_init = {
	.name = "init",
	.usage = "",
	.summary = N_("create a new database"),
	.exec = exec_init,
};
