/* totemdesk backup FILE | --keep N DIR: a consistent copy of the database
 * while desks write (backup.h). */
#include "cmd.h"
#include "totemdesk/backup.h"
#include "totemdesk/i18n.h"
#include "totemdesk/outfile.h"

#include <stdlib.h>

static int exec_backup(const struct td_cli_args *a)
{
	const char *keep_s = td_cli_opt(a, "keep");
	struct td_backup_result res;
	struct td_app *app = NULL;
	td_err err = { 0 };
	int keep = 0, rc;

	if (keep_s) {
		char *end;
		long v = strtol(keep_s, &end, 10);
		if (*keep_s == '\0' || *end || v < 1 || v > 10000)
			return td_cmd_usage_error(a,
				_("--keep takes a number of backups to keep, from 1 to 10000, not \"%s\""),
				keep_s);
		keep = (int)v;
	}
	if (keep && td_cli_has(a, "force"))
		return td_cmd_usage_error(a,
			_("--force goes with a FILE, not with --keep (each backup gets a new name)"));
	/* Who may is the use case's decision (root runs it nightly). */
	if ((rc = td_cmd_open_app(a, false, false, &app, &err)))
		return td_cmd_fail(rc, &err);
	rc = td_app_backup(app, a->args[0], keep,
			   td_cli_has(a, "force") ? TD_OUT_FORCE : 0, &res, &err);
	td_app_close(app);
	if (rc)   /* TD_EINVAL: the path given is not what --keep needs */
		return td_cmd_fail(rc == TD_EINVAL ? TD_ECONFIG : rc, &err);
	td_cli_printf(stderr, _("backup written to %s\n"), res.path);
	if (res.removed)
		td_cli_printf(stderr, ngettext("%d older backup removed\n",
					       "%d older backups removed\n",
					       (unsigned long)res.removed),
			      res.removed);
	return TD_EXIT_OK;
}

static const struct td_cli_option backup_options[] = {
	{ "keep", 0, true },
	{ "force", 0, false },
	{ NULL, 0, false },
};

const struct td_cli_command td_cmd_backup = {
	.name = "backup",
	.usage = N_("[--force] FILE | --keep N DIR"),
	.summary = N_("copy the database, consistent while desks write"),
	.help = N_(
"Backup options:\n"
"      --force         replace FILE if it exists\n"
"      --keep N        DIR is a folder: the backup gets a dated name there\n"
"                      (totemdesk-YYYY-MM-DDTHHMMSSZ.db) and only the N\n"
"                      newest backups are kept\n"
"The backup is a standalone SQLite file, mode 0600, integrity-checked.\n"
"For administrators and root.\n"),
	.options = backup_options,
	.args_min = 1,
	.args_max = 1,
	.exec = exec_backup,
};
