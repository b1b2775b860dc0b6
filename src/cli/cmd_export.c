/* totemdesk export: dossiers as CSV or JSON, through the queue's query
 * (the same filters, order and permissions as the queue screen). */
#include "cmd.h"
#include "totemdesk/date.h"
#include "totemdesk/domain.h"
#include "totemdesk/i18n.h"
#include "totemdesk/queue.h"

#include <string.h>

/* The queue's filters: option name = td_query_set key.  "filter" (a saved
 * filter) is applied first, the others in command-line order. */
static bool is_query_key(const char *name)
{
	static const char *const keys[] = { "stage", "sector", "need",
		"assignee", "unassigned", "overdue", "since", "until", "search",
		"sort", "filter" };
	for (size_t i = 0; i < sizeof keys / sizeof *keys; i++)
		if (strcmp(name, keys[i]) == 0)
			return true;
	return false;
}

/* Options holding a date typed by a person. */
static bool is_date_key(const char *name)
{
	return strcmp(name, "since") == 0 || strcmp(name, "until") == 0;
}

struct find_filter {
	const char *name;
	char spec[1024];
	bool found;
};

static int find_filter_cb(const char *name, const char *spec, void *ctx)
{
	struct find_filter *f = ctx;
	if (strcmp(name, f->name) != 0)
		return 0;
	snprintf(f->spec, sizeof f->spec, "%s", spec);
	f->found = true;
	return 0;
}

/* Every option value checked before anything is opened: a usage error is
 * exit status 2 whatever the database. */
static int check_options(const struct td_cli_args *a)
{
	const char *format = td_cli_opt(a, "format");
	const char *sep = td_cli_opt(a, "separator");
	const char *status = td_cli_opt(a, "status");
	struct td_query q;
	td_err err = { 0 };

	if (format && strcmp(format, "csv") && strcmp(format, "json"))
		return td_cmd_usage_error(a,
			_("--format must be csv or json, not \"%s\""), format);
	if (sep && strcmp(sep, ",") && strcmp(sep, ";"))
		return td_cmd_usage_error(a,
			_("--separator must be ',' or ';', not \"%s\""), sep);
	if (td_cli_has(a, "force") && !td_cli_has(a, "output"))
		return td_cmd_usage_error(a,
			_("--force goes with -o FILE (it allows replacing FILE)"));
	td_query_init(&q);
	for (int i = 0; i < a->nopts; i++) {
		const char *key = a->opts[i].opt->name;
		const char *v = a->opts[i].value ? a->opts[i].value : "1";
		int day;
		/* Dates are read as on screen (date.h); which day "+3" is
		 * depends on the configuration's holidays, read later. */
		if (is_date_key(key)) {
			if (td_date_read(v, 0, &(struct td_calendar){ NULL, 0 },
					 &day) != 0)
				return td_cmd_usage_error(a,
					_("--%s \"%s\" is not a date: write 23/11/2026, 23/11/26, 2026-11-23 or +3 (working days from today)"),
					key, v);
		} else if (is_query_key(key) && strcmp(key, "filter") != 0 &&
			   td_query_set(&q, key, v, &err) != TD_OK) {
			return td_cmd_usage_error(a, "--%s", err.msg);
		}
	}
	if (status && td_query_set(&q, "status", status, NULL) != TD_OK)
		return td_cmd_usage_error(a,
			_("--status \"%s\" is not one of new, triaged, referred, "
			  "supported, closed, on_hold"), status);
	return TD_EXIT_OK;
}

/* The export's query, the same the queue screen uses: --filter (a saved
 * filter's name or key=value;... text) first, then --site, --status,
 * --since and the filter options in command-line order.  Without --sort
 * or --filter the rows come oldest first, as they always have. */
static int export_query(struct td_app *app, const struct td_cli_args *a,
			struct td_query *q, td_err *err)
{
	const char *status = td_cli_opt(a, "status");
	int rc;

	td_query_init(q);
	q->sort = TD_QC_DATE;
	for (int i = 0; i < a->nopts; i++) {
		if (strcmp(a->opts[i].opt->name, "filter") != 0)
			continue;
		const char *spec = a->opts[i].value;
		struct find_filter f = { spec, "", false };
		if (!strchr(spec, '=')) {
			rc = td_app_filter_list(app, find_filter_cb, &f, err);
			if (rc)
				return rc;
			if (!f.found)
				return td_err_set(err, TD_EINVAL,
					_("--filter: no saved filter called \"%s\" for %s"),
					spec, td_app_login(app));
			spec = f.spec;
		}
		/* The saved filter's order too, the queue's default included
		 * (newest first, or best match first when searching), so the
		 * export lists the rows as the screen did. */
		if ((rc = td_query_parse(spec, q, err)))
			return rc;
	}
	if (a->app.site && (rc = td_query_set(q, "site", a->app.site, err)))
		return rc;
	if (status && (rc = td_query_set(q, "status", status, err)))
		return rc;
	for (int i = 0; i < a->nopts; i++) {
		const char *key = a->opts[i].opt->name;
		const char *v = a->opts[i].value ? a->opts[i].value : "1";
		char ymd[11];
		if (is_date_key(key)) {
			if ((rc = td_app_date_read(app, v, true, ymd, err)))
				return td_err_prefix(err, key);
			v = ymd;
		}
		if (is_query_key(key) && strcmp(key, "filter") != 0 &&
		    (rc = td_query_set(q, key, v, err)))
			return rc;
	}
	return TD_OK;
}

static int exec_export(const struct td_cli_args *a)
{
	const char *format = td_cli_opt(a, "format");
	const char *output = td_cli_opt(a, "output");
	const char *sep = td_cli_opt(a, "separator");
	td_err err = { 0 };
	struct td_app *app = NULL;
	struct td_export_options eo = {
		.format = format && strcmp(format, "json") == 0
			  ? TD_EXPORT_JSON : TD_EXPORT_CSV,
		.bom = td_cli_has(a, "bom"),
		.sep = sep ? sep[0] : ',',
	};
	struct td_query q;
	struct td_outfile *of;
	FILE *out;
	long count = 0;
	int rc;

	if ((rc = check_options(a)))
		return rc;
	/* --site filters the export; it does not change who we work for.
	 * Exports hold personal data: with a configuration, the login must
	 * be known to it, exactly as for the screens. */
	if ((rc = td_cmd_open_app(a, true, true, &app, &err)))
		return td_cmd_fail(rc, &err);
	if ((rc = export_query(app, a, &q, &err))) {
		td_app_close(app);
		return td_cmd_fail_input(rc, &err);
	}
	eo.query = &q;
	if (!(out = td_cmd_open_output(a, &of, &err))) {
		td_app_close(app);
		return td_cmd_fail(err.code, &err);
	}
	eo.dest = td_cli_opt(a, "output");
	rc = td_app_export(app, &eo, out, &count, &err);
	rc = td_cmd_close_output(out, of, rc, &err);
	td_app_close(app);
	if (rc)
		return td_cmd_fail_input(rc, &err);
	if (output)
		td_cli_printf(stderr, ngettext("%ld dossier written to %s\n",
					       "%ld dossiers written to %s\n",
					       (unsigned long)count),
			      count, output);
	return TD_EXIT_OK;
}

static const struct td_cli_option export_options[] = {
	{ "format", 0, true },
	{ "status", 0, true },
	{ "since", 0, true },
	{ "until", 0, true },
	{ "stage", 0, true },
	{ "sector", 0, true },
	{ "need", 0, true },
	{ "assignee", 0, true },
	{ "unassigned", 0, false },
	{ "overdue", 0, false },
	{ "search", 0, true },
	{ "sort", 0, true },
	{ "filter", 0, true },
	{ "bom", 0, false },
	{ "separator", 0, true },
	{ "output", 'o', true },
	{ "force", 0, false },
	{ NULL, 0, false },
};

const struct td_cli_command td_cmd_export = {
	.name = "export",
	.usage = N_("[EXPORT OPTION]..."),
	.summary = N_("write dossiers as CSV or JSON"),
	.help = N_(
"Export options:\n"
"      --format FMT    csv (default, RFC 4180, UTF-8) or json\n"
"      --site CODE     only this site\n"
"      --status S      only this status (new, triaged, referred, supported,\n"
"                      closed, on_hold)\n"
"      --since DATE    only dossiers created on or after DATE (23/11/2026,\n"
"                      23/11/26, 2026-11-23, or -N working days ago)\n"
"  -o, --output FILE   write to FILE (created with mode 0600) instead of\n"
"                      standard output; an existing FILE is refused\n"
"      --force         replace an existing FILE\n"
"      --status S,S    several statuses may be given, comma-separated\n"
"      --until DATE    only dossiers created on or before DATE\n"
"      --stage S, --sector S, --need N[,N], --assignee LOGIN\n"
"                      only dossiers with this stage, sector, one of these\n"
"                      needs, assigned to LOGIN\n"
"      --unassigned, --overdue\n"
"                      only dossiers nobody follows / with no action\n"
"                      within the follow-up delay (working days)\n"
"      --search WORDS  only dossiers whose names, e-mail, project, description\n"
"                      or notes have words starting with WORDS (accents and\n"
"                      case ignored)\n"
"      --sort COL      order: reference, date, site, name, project, stage,\n"
"                      needs, status, assignee, followup; -COL descending\n"
"                      (default: date, oldest first)\n"
"      --filter NAME   start from a filter saved in the queue (or a\n"
"                      key=value;... text as saved)\n"
"      --bom           start the CSV with a UTF-8 byte order mark\n"
"      --separator ';' separate CSV fields with ';' (French spreadsheets)\n"
"                      Cells starting with = + - @ tab or CR in free-text\n"
"                      columns get a leading ' (formula guard)\n"),
	.options = export_options,
	.args_min = 0,
	.args_max = 0,
	.exec = exec_export,
};
