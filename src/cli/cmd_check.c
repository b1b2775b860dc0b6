/* totemdesk check: integrity check and schema version of the database. */
#include "cmd.h"
#include "totemdesk/i18n.h"

static int exec_check(const struct td_cli_args *a)
{
	td_err err = { 0 };
	char report[4096];
	char path[4096];
	int rc = td_cmd_db_path(a, path, sizeof path, &err);
	if (rc)
		return td_cmd_fail(rc, &err);
	rc = td_app_check_db(path, report, sizeof report, &err);
	if (rc == TD_OK || rc == TD_ECORRUPT)
		td_cli_printf(stdout, "%s", report);
	return rc ? td_cmd_fail(rc, &err) : TD_EXIT_OK;
}

const struct td_cli_command td_cmd_check = {
	.name = "check",
	.usage = "",
	.summary = N_("check a database"),
	.exec = exec_check,
};
