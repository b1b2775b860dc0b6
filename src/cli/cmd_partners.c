/* totemdesk partners import FILE.csv / partners export: the partner
 * directory as CSV, in and out. */
#include "cmd.h"
#include "totemdesk/i18n.h"
#include "totemdesk/partner.h"

static int exec_partners_import(const struct td_cli_args *a)
{
	td_err err = { 0 };
	struct td_app *app = NULL;
	long n = 0, skipped = 0;
	int rc;

	/* A known login: partners and referrals name people. */
	if ((rc = td_cmd_open_app(a, true, false, &app, &err)))
		return td_cmd_fail(rc, &err);
	rc = td_app_partner_import(app, a->args[0], td_cli_has(a, "skip-bad"),
				   stderr, &n, &skipped, &err);
	td_app_close(app);
	if (!rc) {
		td_cli_printf(stderr,
			ngettext("%ld partner imported", "%ld partners imported",
				 (unsigned long)n), n);
		if (skipped)
			td_cli_printf(stderr,
				ngettext(", %ld bad row skipped (listed above)",
					 ", %ld bad rows skipped (listed above)",
					 (unsigned long)skipped), skipped);
		td_cli_printf(stderr, "\n");
	}
	return rc ? td_cmd_fail_input(rc, &err) : TD_EXIT_OK;
}

static int exec_partners_export(const struct td_cli_args *a)
{
	return td_cmd_write(a, td_app_partner_export);
}

static const struct td_cli_option partners_import_options[] = {
	{ "skip-bad", 0, false },
	{ NULL, 0, false },
};

const struct td_cli_command td_cmd_partners_import = {
	.name = "partners import",
	.usage = N_("[--skip-bad] FILE.csv"),
	.summary = N_("add or update partners from CSV"),
	.help = N_(
"Partners import options (the columns of partners export):\n"
"      --skip-bad      import the good rows even when some are bad\n"),
	.options = partners_import_options,
	.args_min = 1,
	.args_max = 1,
	.exec = exec_partners_import,
};

const struct td_cli_command td_cmd_partners_export = {
	.name = "partners export",
	.usage = "",
	.summary = N_("partner directory as CSV"),
	.exec = exec_partners_export,
};
