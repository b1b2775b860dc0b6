/* totemdesk report: the statistics screen's report for scripts. */
#include "cmd.h"
#include "totemdesk/buf.h"
#include "totemdesk/i18n.h"
#include "totemdesk/report.h"

#include <errno.h>
#include <langinfo.h>
#include <string.h>

static int exec_report(const struct td_cli_args *a)
{
	const char *format = td_cli_opt(a, "format");
	td_err err = { 0 };
	struct td_app *app = NULL;
	struct td_report_query q = { td_cli_opt(a, "from"), td_cli_opt(a, "to"),
				     a->app.site };
	struct td_report r = { 0 };
	struct td_buf buf;
	enum td_report_format fmt = TD_REPORT_TEXT;
	struct td_outfile *of;
	FILE *out;
	int rc;

	if (format && strcmp(format, "csv") == 0)
		fmt = TD_REPORT_CSV;
	else if (format && strcmp(format, "json") == 0)
		fmt = TD_REPORT_JSON;
	else if (format && strcmp(format, "text") != 0)
		return td_cmd_usage_error(a,
			_("--format must be text, csv or json, not \"%s\""), format);
	if (td_cli_has(a, "force") && !td_cli_has(a, "output"))
		return td_cmd_usage_error(a,
			_("--force goes with -o FILE (it allows replacing FILE)"));
	/* --site narrows the report; it does not change who we work for. */
	if ((rc = td_cmd_open_app(a, true, true, &app, &err)))
		return td_cmd_fail(rc, &err);
	rc = td_app_report(app, &q, &r, &err);
	td_app_close(app);
	if (rc)
		return td_cmd_fail_input(rc, &err);
	td_buf_init(&buf);
	/* Block characters only where the locale can show them. */
	bool utf8 = strcmp(nl_langinfo(CODESET), "UTF-8") == 0;
	rc = td_report_write(&r, fmt, utf8, &buf);
	td_report_free(&r);
	if (rc) {
		td_buf_free(&buf);
		td_err_set(&err, rc, _("out of memory"));
		return td_cmd_fail(rc, &err);
	}
	if (!(out = td_cmd_open_output(a, &of, &err))) {
		td_buf_free(&buf);
		return td_cmd_fail(err.code, &err);
	}
	if (fwrite(buf.data, 1, buf.len, out) != buf.len || fflush(out) != 0)
		rc = td_err_set(&err, TD_EIO, _("cannot write the report: %s"),
				strerror(errno));
	rc = td_cmd_close_output(out, of, rc, &err);
	td_buf_free(&buf);
	return rc ? td_cmd_fail(rc, &err) : TD_EXIT_OK;
}

static const struct td_cli_option report_options[] = {
	{ "from", 0, true },
	{ "to", 0, true },
	{ "format", 0, true },
	{ "output", 'o', true },
	{ "force", 0, false },
	{ NULL, 0, false },
};

const struct td_cli_command td_cmd_report = {
	.name = "report",
	.usage = N_("[--from DATE] [--to DATE] [--site CODE] [--format text|csv|json] [-o FILE [--force]]"),
	.summary = N_("statistics and programme goals"),
	.help = N_(
"Report options (also --site):\n"
"      --from DATE     only dossiers created on or after DATE (23/11/2026,\n"
"                      23/11/26, 2026-11-23, or -N working days ago)\n"
"      --to DATE       only dossiers created on or before DATE\n"
"      --format FMT    text (default, with bar charts), csv or json\n"
"  -o, --output FILE   write to FILE (created with mode 0600); an existing\n"
"                      FILE is refused\n"
"      --force         replace an existing FILE\n"),
	.options = report_options,
	.exec = exec_report,
};
