/* totemdesk privacy ...: the rights of the people registered (issue 14),
 * for mission officers and administrators (privacy.h). */
#include "cmd.h"
#include "totemdesk/i18n.h"
#include "totemdesk/outfile.h"
#include "totemdesk/privacy.h"

#include <stdio.h>
#include <string.h>

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

static int exec_privacy_export(const struct td_cli_args *a)
{
	struct td_access_who who = {
		.reference = a->nargs ? a->args[0] : NULL,
		.email = td_cli_opt(a, "email"),
		.phone = td_cli_opt(a, "phone"),
	};
	const char *format = td_cli_opt(a, "format");
	const char *output = td_cli_opt(a, "output");
	struct td_app *app = NULL;
	td_err err = { 0 };
	int rc, n = 0;

	if ((who.reference != NULL) + (who.email != NULL) +
	    (who.phone != NULL) != 1)
		return td_cmd_usage_error(a,
			_("give one of REF, --email ADDR or --phone NUM"));
	if (format && strcmp(format, "text") && strcmp(format, "json"))
		return td_cmd_usage_error(a,
			_("--format must be text or json, not \"%s\""), format);
	if (td_cli_has(a, "force") && !output)
		return td_cmd_usage_error(a, _("--force goes with -o FILE"));
	if ((rc = td_cmd_open_app(a, true, false, &app, &err)))
		return td_cmd_fail(rc, &err);
	/* On a terminal, through the one sanitiser (what people typed
	 * reaches it as text, never as escape sequences). */
	FILE *out = output ? stdout : td_cli_stdout_begin();
	rc = out ? td_app_privacy_access(app, &who,
					 format && strcmp(format, "json") == 0,
					 output, td_cli_has(a, "force")
					 ? TD_OUT_FORCE : 0, out, &n, &err)
		 : td_err_set(&err, TD_ENOMEM, _("out of memory"));
	if (!output)
		td_cli_stdout_end(out);
	td_app_close(app);
	if (rc)
		return td_cmd_fail_input(rc, &err);
	if (output)
		td_cli_printf(stderr,
			ngettext("%d person's data written to %s\n",
				 "%d people's data written to %s\n",
				 (unsigned long)n), n, output);
	return TD_EXIT_OK;
}

static const struct td_cli_option privacy_export_options[] = {
	{ "email", 0, true },
	{ "phone", 0, true },
	{ "format", 0, true },
	{ "output", 'o', true },
	{ "force", 0, false },
	{ NULL, 0, false },
};

const struct td_cli_command td_cmd_privacy_export = {
	.name = "privacy export",
	.usage = N_("REF | --email ADDR | --phone NUM [--format text|json] [-o FILE [--force]]"),
	.summary = N_("everything held about a person (right of access)"),
	.help = N_(
"Privacy export options:\n"
"      --email ADDR    the people registered with this e-mail address\n"
"      --phone NUM     the people registered with this phone number\n"
"      --format FMT    text (default, in the user's language) or json\n"
"  -o, --output FILE   write to FILE (created with mode 0600); an existing\n"
"                      FILE is refused\n"
"      --force         replace an existing FILE\n"
"The person, every dossier, notes, referrals (partner, status history,\n"
"introduction text), field history, the audit entries about them and\n"
"the duplicate decisions. Recorded in the audit log. For mission\n"
"officers and administrators.\n"),
	.options = privacy_export_options,
	.args_min = 0,
	.args_max = 1,
	.exec = exec_privacy_export,
};

static int exec_privacy_withdraw(const struct td_cli_args *a)
{
	struct td_app *app = NULL;
	td_err err = { 0 };
	int rc;

	if ((rc = td_cmd_open_app(a, true, false, &app, &err)))
		return td_cmd_fail(rc, &err);
	rc = td_app_privacy_withdraw(app, a->args[0], &err);
	td_app_close(app);
	if (rc)
		return td_cmd_fail_input(rc, &err);
	td_cli_printf(stderr,
		_("%s: consent withdrawn; no referral can be made or sent for this person any more (to erase their data: totemdesk privacy erase %s)\n"),
		a->args[0], a->args[0]);
	return TD_EXIT_OK;
}

const struct td_cli_command td_cmd_privacy_withdraw = {
	.name = "privacy withdraw",
	.usage = N_("REF"),
	.summary = N_("record that the person of a dossier withdrew consent"),
	.help = N_(
"Records, with the date and who took it, that the person of dossier REF\n"
"withdrew their consent: no referral can be made, sent again or reopened\n"
"for them afterwards, nor an introduction text written. Their data stays\n"
"until erased (privacy erase). For mission officers and administrators.\n"),
	.args_min = 1,
	.args_max = 1,
	.exec = exec_privacy_withdraw,
};

static int exec_privacy_purge(const struct td_cli_args *a)
{
	struct td_purge_result res;
	struct td_app *app = NULL;
	td_err err = { 0 };
	bool dry = td_cli_has(a, "dry-run");
	int rc;

	/* Root (the nightly timer) is no login of the configuration. */
	if ((rc = td_cmd_open_app(a, false, false, &app, &err)))
		return td_cmd_fail(rc, &err);
	FILE *out = td_cli_stdout_begin();
	rc = out ? td_app_privacy_purge(app, dry, out, &res, &err)
		 : td_err_set(&err, TD_ENOMEM, _("out of memory"));
	td_cli_stdout_end(out);
	td_app_close(app);
	if (rc)
		return td_cmd_fail(rc, &err);
	td_cli_printf(stderr, dry
		? _("due: %ld dossiers to anonymise (%ld people erased whole), %ld audit entries to delete; nothing was changed (--dry-run)\n")
		: _("done: %ld dossiers anonymised (%ld people erased whole), %ld audit entries deleted\n"),
		res.dossiers, res.people, res.audit);
	return TD_EXIT_OK;
}

static const struct td_cli_option privacy_purge_options[] = {
	{ "dry-run", 0, false },
	{ NULL, 0, false },
};

const struct td_cli_command td_cmd_privacy_purge = {
	.name = "privacy purge",
	.usage = N_("[--dry-run]"),
	.summary = N_("apply the retention rules of the configuration"),
	.help = N_(
"Privacy purge options:\n"
"      --dry-run       say what would be done, change nothing\n"
"Anonymises the dossiers the \"retention\" section of the configuration\n"
"makes due (closed, or untouched, for long enough), erases their person\n"
"when all the person's dossiers are due, and deletes the audit entries\n"
"older than its audit_years; one line per dossier on standard output.\n"
"Run nightly by the Debian package's timer (as root); also for mission\n"
"officers and administrators.\n"),
	.options = privacy_purge_options,
	.args_min = 0,
	.args_max = 0,
	.exec = exec_privacy_purge,
};

static void print_line(const char *line, void *ctx)
{
	(void)ctx;
	td_cli_printf(stdout, "  %s\n", line);
}

static int exec_privacy_report(const struct td_cli_args *a)
{
	struct td_privacy_report r;
	struct td_app *app = NULL;
	td_err err = { 0 };
	int rc;

	if ((rc = td_cmd_open_app(a, true, false, &app, &err)))
		return td_cmd_fail(rc, &err);
	rc = td_app_privacy_report(app, &r, &err);
	if (rc) {
		td_app_close(app);
		return td_cmd_fail(rc, &err);
	}
	td_cli_printf(stdout, _("People whose data is held: %ld\n"), r.f.holders);
	td_cli_printf(stdout, _("Oldest record: %s\n"), r.f.oldest[0] ? r.f.oldest : "-");
	td_cli_printf(stdout, _("Dossiers due for anonymisation now: %ld\n"), r.due);
	td_cli_printf(stdout, _("Consents withdrawn (data still held): %ld\n"), r.f.withdrawals);
	td_cli_printf(stdout, _("Erasures this year: %ld (%ld in all)\n"), r.f.erasures_year,
	       r.f.erasures);
	td_cli_printf(stdout, _("Retention: closed dossiers %d months, untouched dossiers %d months, drafts %d hours, audit entries %d years (0: kept)\n"),
	       r.closed_months, r.untouched_months, r.drafts_hours,
	       r.audit_years);
	/* Administrators also see who exported or erased what. */
	if (td_app_sees_purge_due(app)) {
		td_cli_printf(stdout, "%s\n", _("Latest exports, access exports, erasures, withdrawals and purges:"));
		rc = td_app_privacy_audit(app, print_line, NULL, &err);
	}
	td_app_close(app);
	if (rc)
		return td_cmd_fail(rc, &err);
	return TD_EXIT_OK;
}

const struct td_cli_command td_cmd_privacy_report = {
	.name = "privacy report",
	.usage = "",
	.summary = N_("live figures of the record of processing"),
	.help = N_(
"Prints the people whose data is held, the oldest record, the dossiers\n"
"due for anonymisation, the consents withdrawn, the erasures this year,\n"
"and the retention rules in force (docs/privacy.md); administrators also\n"
"get the latest exports, access exports, erasures, withdrawals and\n"
"purges of the audit log. For mission officers and administrators.\n"),
	.args_min = 0,
	.args_max = 0,
	.exec = exec_privacy_report,
};
