/* totemdesk restore FILE: put a backup in place of the database, while
 * no desk has it open (backup.h). */
#include "cmd.h"
#include "totemdesk/backup.h"
#include "totemdesk/i18n.h"

static int exec_restore(const struct td_cli_args *a)
{
	struct td_restore_result res;
	struct td_app_options o = a->app;
	struct td_app *app = NULL;
	td_err err = { 0 };
	int rc;

	/* The configuration and who is asking, not the database: the
	 * restore opens it itself, alone. */
	o.no_db = true;
	if ((rc = td_app_open(&app, &o, &err)))
		return td_cmd_fail(rc, &err);
	rc = td_app_restore(app, a->args[0], &res, &err);
	const char *db = td_app_db_path(app);
	if (!rc) {
		if (res.schema_from != res.schema_to)
			td_cli_printf(stderr,
				_("%s restored into %s (schema version %d brought to %d)\n"),
				a->args[0], db, res.schema_from, res.schema_to);
		else
			td_cli_printf(stderr, _("%s restored into %s\n"),
				      a->args[0], db);
		td_cli_printf(stderr,
			_("the database now exchanges under a new identity (%s): the other sites send it back, at the next exchange, what the backup lacks\n"),
			res.exchange_id);
		if (res.refs_skipped)
			td_cli_printf(stderr,
				_("the database it replaces was lost: new references start %lld past the backup's, so that none is minted twice\n"),
				res.refs_skipped);
	}
	td_app_close(app);
	return rc ? td_cmd_fail(rc, &err) : TD_EXIT_OK;
}

const struct td_cli_command td_cmd_restore = {
	.name = "restore",
	.usage = N_("FILE"),
	.summary = N_("put a backup in place of the database"),
	.help = N_(
"Refused while any desk, command or backup has the database open; quit\n"
"them first.  FILE must be a totemdesk backup that passes its integrity\n"
"check and is not newer than this program (an older one is brought up\n"
"to date).  Root on a shared desk; administrators on a personal one.\n"
"The restored database takes a new exchange identity, so that the other\n"
"sites send it back what the backup lacks (README, \"Backup and restore\").\n"),
	.args_min = 1,
	.args_max = 1,
	.exec = exec_restore,
};
