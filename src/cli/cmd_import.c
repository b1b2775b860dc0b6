/* totemdesk import: earlier intakes from a spreadsheet (CSV). */
#include "cmd.h"
#include "totemdesk/i18n.h"
#include "totemdesk/import.h"

static void print_summary(const struct td_cli_args *a, const char *file,
			  const struct td_import_result *res)
{
	/* One plural message per count, put together after. */
	char n1[120], n2[120], n3[120];
	if (td_cli_has(a, "dry-run")) {
		snprintf(n1, sizeof n1,
			 ngettext("%ld row checked", "%ld rows checked",
				  (unsigned long)res->rows),
			 res->rows);
		snprintf(n2, sizeof n2,
			 ngettext("%ld good", "%ld good",
				  (unsigned long)res->good),
			 res->good);
		snprintf(n3, sizeof n3,
			 ngettext("%ld bad", "%ld bad",
				  (unsigned long)res->bad),
			 res->bad);
		td_cli_printf(stdout, /* TRANSLATORS: file: rows checked, good, bad. */
		       _("%s: %s, %s, %s; dry run, nothing written\n"),
		       file, n1, n2, n3);
	} else {
		snprintf(n1, sizeof n1,
			 ngettext("%ld dossier imported",
				  "%ld dossiers imported",
				  (unsigned long)res->imported),
			 res->imported);
		snprintf(n2, sizeof n2,
			 ngettext("%ld row skipped", "%ld rows skipped",
				  (unsigned long)res->bad),
			 res->bad);
		td_cli_printf(stdout, /* TRANSLATORS: file: dossiers imported, rows
			* skipped. */
		       _("%s: %s, %s\n"), file, n1, n2);
	}
	if (res->renumbered)
		td_cli_printf(stdout, ngettext("%ld reference was taken or malformed and got a new number\n",
				"%ld references were taken or malformed and got new numbers\n",
				(unsigned long)res->renumbered),
		       res->renumbered);
}

static int exec_import(const struct td_cli_args *a)
{
	const char *file = a->args[0];
	td_err err = { 0 };
	struct td_app *app = NULL;
	struct td_import_options io = { .name = file,
					.dry_run = td_cli_has(a, "dry-run"),
					.skip_bad = td_cli_has(a, "skip-bad") };
	struct td_import_result res = { 0 };
	char line[1024];
	int rc;

	if ((rc = td_cmd_open_app(a, true, false, &app, &err)))
		return td_cmd_fail(rc, &err);
	rc = td_app_import_file(app, file, &io, &res, &err);
	td_app_close(app);
	for (size_t i = 0; i < res.nproblems; i++) {
		td_import_problem_format(file, &res.problems[i], line,
					 sizeof line);
		td_cli_printf(stderr, "%s\n", line);
	}
	if (!rc)
		print_summary(a, file, &res);
	td_import_result_free(&res);
	/* Bad rows are bad input, as for `partners import`: exit status 2. */
	return rc ? td_cmd_fail_input(rc, &err) : TD_EXIT_OK;
}

static const struct td_cli_option import_options[] = {
	{ "dry-run", 0, false },
	{ "skip-bad", 0, false },
	{ NULL, 0, false },
};

const struct td_cli_command td_cmd_import = {
	.name = "import",
	.usage = N_("[--dry-run] [--skip-bad] FILE.csv"),
	.summary = N_("bring in earlier intakes"),
	.help = N_(
"Import options (columns named as in the export, ',' or ';'):\n"
"      --dry-run       check every row and report, write nothing\n"
"      --skip-bad      import the good rows even when some are bad\n"),
	.options = import_options,
	.args_min = 1,
	.args_max = 1,
	.exec = exec_import,
};
