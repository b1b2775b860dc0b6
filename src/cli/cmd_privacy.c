/* totemdesk privacy ...: the rights of the people registered (issue 14),
 * for mission officers and administrators (privacy.h). */
#include "cmd.h"
#include "totemdesk/i18n.h"
#include "totemdesk/privacy.h"

static int exec_privacy_erase(const struct td_cli_args *a)
{
	struct td_erase_result res;
	struct td_app *app = NULL;
	td_err err = { 0 };
	int rc;

	if ((rc = td_cmd_open_app(a, true, false, &app, &err)))
		return td_cmd_fail(rc, &err);
	rc = td_app_privacy_erase(app, a->args[0], &res, &err);
	td_app_close(app);
	if (rc)
		return td_cmd_fail_input(rc, &err);
	td_cli_printf(stderr,
		ngettext("%s: the person's data is erased (%d dossier)\n",
			 "%s: the person's data is erased (%d dossiers)\n",
			 (unsigned long)res.ndossiers),
		a->args[0], res.ndossiers);
	if (res.wal_busy)
		td_cli_printf(stderr, "%s\n",
			_("another program is reading the database: its write-ahead log keeps the old pages until the last desk closes"));
	return TD_EXIT_OK;
}

const struct td_cli_command td_cmd_privacy_erase = {
	.name = "privacy erase",
	.usage = N_("REF"),
	.summary = N_("erase the person of a dossier (right to erasure)"),
	.help = N_(
"Erases the names, e-mail, phone, postcode and city of the person of\n"
"dossier REF and, in each of their dossiers, the title, description,\n"
"SIRET, notes, referral texts and field history; what the statistics\n"
"need stays. Nothing of it survives in the database file; a restore of\n"
"an older backup erases it again. For mission officers and\n"
"administrators.\n"),
	.args_min = 1,
	.args_max = 1,
	.exec = exec_privacy_erase,
};
