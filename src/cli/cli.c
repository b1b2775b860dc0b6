/* Command line parsing and the non-interactive subcommands. */
#include "totemdesk/cli.h"
#include "totemdesk/domain.h"
#include "totemdesk/i18n.h"
#include "totemdesk/queue.h"
#include "totemdesk/import.h"
#include "totemdesk/report.h"
#include "totemdesk/text.h"

#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <langinfo.h>
#include <stdarg.h>
#include <stdlib.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "td_build.h"

enum { OPT_NO_COLOR = 256, OPT_DEMO, OPT_FORMAT, OPT_STATUS, OPT_SINCE,
	OPT_FROM, OPT_TO, OPT_DRY_RUN, OPT_SKIP_BAD };

/* Export filter options: td_query_set keys, by option value. */
enum { OPT_QUEUE = 1024 };
static const char *const queue_keys[] = { "stage", "sector", "need",
	"assignee", "unassigned", "overdue", "until", "search", "sort",
	"filter", "bom", "separator" };

static const struct option long_options[] = {
	{ "config", required_argument, NULL, 'c' },
	{ "db", required_argument, NULL, 'd' },
	{ "site", required_argument, NULL, 's' },
	{ "lang", required_argument, NULL, 'l' },
	{ "no-color", no_argument, NULL, OPT_NO_COLOR },
	{ "demo", no_argument, NULL, OPT_DEMO },
	{ "format", required_argument, NULL, OPT_FORMAT },
	{ "status", required_argument, NULL, OPT_STATUS },
	{ "since", required_argument, NULL, OPT_SINCE },
	{ "output", required_argument, NULL, 'o' },
	/* export: the queue's filters (OPT_QUEUE + index in queue_keys) */
	{ "stage", required_argument, NULL, OPT_QUEUE + 0 },
	{ "sector", required_argument, NULL, OPT_QUEUE + 1 },
	{ "need", required_argument, NULL, OPT_QUEUE + 2 },
	{ "assignee", required_argument, NULL, OPT_QUEUE + 3 },
	{ "unassigned", no_argument, NULL, OPT_QUEUE + 4 },
	{ "overdue", no_argument, NULL, OPT_QUEUE + 5 },
	{ "until", required_argument, NULL, OPT_QUEUE + 6 },
	{ "search", required_argument, NULL, OPT_QUEUE + 7 },
	{ "sort", required_argument, NULL, OPT_QUEUE + 8 },
	{ "filter", required_argument, NULL, OPT_QUEUE + 9 },
	{ "bom", no_argument, NULL, OPT_QUEUE + 10 },
	{ "separator", required_argument, NULL, OPT_QUEUE + 11 },
	{ "from", required_argument, NULL, OPT_FROM },
	{ "to", required_argument, NULL, OPT_TO },
	{ "dry-run", no_argument, NULL, OPT_DRY_RUN },
	{ "skip-bad", no_argument, NULL, OPT_SKIP_BAD },
	{ "help", no_argument, NULL, 'h' },
	{ "version", no_argument, NULL, 'V' },
	{ NULL, 0, NULL, 0 },
};

void td_cli_printf(FILE *out, const char *fmt, ...)
{
	char buf[8192];
	va_list ap;
	va_start(ap, fmt);
	int n = vsnprintf(buf, sizeof buf, fmt, ap);
	va_end(ap);
	if (n < 0)
		return;
	const char *cs = nl_langinfo(CODESET);
	if (strcmp(cs, "UTF-8") == 0 || strcmp(cs, "utf8") == 0) {
		fputs(buf, out);
		return;
	}
	/* td_text_ascii makes one line: convert line by line. */
	char ascii[sizeof buf];
	for (char *line = buf; line;) {
		char *nl = strchr(line, '\n');
		if (nl)
			*nl = '\0';
		td_text_ascii(line, ascii, sizeof ascii);
		fputs(ascii, out);
		if (nl)
			fputc('\n', out);
		line = nl ? nl + 1 : NULL;
	}
}

void td_cli_usage(FILE *out)
{
	td_cli_printf(out, "%s", _(
"Usage: totemdesk [OPTION]...               start the full-screen intake desk\n"
"       totemdesk [OPTION]... init          create a new database\n"
"       totemdesk [OPTION]... check         check a database\n"
"       totemdesk [OPTION]... export [EXPORT OPTION]...\n"
"                                           write dossiers as CSV or JSON\n"
"       totemdesk [OPTION]... report [--from DATE] [--to DATE] [--site CODE]\n"
"                                [--format text|csv|json]\n"
"                                           statistics and programme goals\n"
"       totemdesk [OPTION]... import [--dry-run] [--skip-bad] FILE.csv\n"
"                                           bring in earlier intakes\n"
"       totemdesk [OPTION]... partners import [--skip-bad] FILE.csv\n"
"       totemdesk [OPTION]... partners export\n"
"                                           partner directory as CSV\n"
"       totemdesk [OPTION]... referral list  referrals as CSV\n"
"       totemdesk [OPTION]... referral text ID\n"
"                                           introduction text (--lang fr|en)\n"
"\n"
"Options:\n"
"  -c, --config FILE   configuration file (default: $TOTEMDESK_CONFIG,\n"
"                      $XDG_CONFIG_HOME/totemdesk/totemdesk.conf,\n"
"                      /etc/totemdesk/totemdesk.conf)\n"
"  -d, --db FILE       database file (default: from the configuration)\n"
"  -s, --site CODE     work for this site (THI, MET, NAN, EPI, ...)\n"
"  -l, --lang LANG     language of the interface: fr (default) or en\n"
"      --no-color      no colours (also when NO_COLOR is set)\n"
"      --demo          try it out: built-in configuration and a throwaway\n"
"                      database full of generated dossiers\n"
"  -h, --help          show this help and exit\n"
"  -V, --version       show the version and exit\n"
"\n"
"Export options:\n"
"      --format FMT    csv (default, RFC 4180, UTF-8) or json\n"
"      --site CODE     only this site\n"
"      --status S      only this status (new, triaged, referred, supported,\n"
"                      closed, on_hold)\n"
"      --since DATE    only dossiers created on or after DATE (YYYY-MM-DD)\n"
"  -o, --output FILE   write to FILE (created with mode 0600) instead of\n"
"                      standard output\n"
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
"                      columns get a leading ' (formula guard)\n"
"\n"
"Report options (also --site, --output):\n"
"      --from DATE     only dossiers created on or after DATE (YYYY-MM-DD)\n"
"      --to DATE       only dossiers created on or before DATE\n"
"      --format FMT    text (default, with bar charts), csv or json\n"
"\n"
"Import options (columns named as in the export, ',' or ';'):\n"
"      --dry-run       check every row and report, write nothing\n"
"      --skip-bad      import the good rows even when some are bad\n"
"\n"
"Exit status: 0 success; 1 runtime error (database, disk, terminal);\n"
"2 usage or configuration error; 3 not allowed (unknown login, role or\n"
"site); 4 database damaged or newer than this program.\n"
"\n"
"Keys in the program: F1 or ? for help.  See totemdesk(1).\n"));
}

int td_cli_exit_code(int status)
{
	switch (status) {
	case TD_OK: return TD_EXIT_OK;
	case TD_ECONFIG: return TD_EXIT_USAGE;
	case TD_EPERM: return TD_EXIT_DENIED;
	case TD_ECORRUPT:
	case TD_ESCHEMA: return TD_EXIT_DAMAGED;
	default: return TD_EXIT_RUNTIME;
	}
}

static const char *const commands[] = { "init", "check", "export", "report",
	"import", "partners", "referral" };

int td_cli_parse(int argc, char **argv, struct td_cli_args *a, td_err *err)
{
	memset(a, 0, sizeof *a);
	opterr = 0;
	optind = 1;
	int c;
	/* Leading '-': non-options come back as 1, so options may follow the
	 * command ("totemdesk export --format json"). */
	while ((c = getopt_long(argc, argv, "-:c:d:s:l:o:hV", long_options,
				NULL)) != -1) {
		if (c >= OPT_QUEUE && c < OPT_QUEUE +
		    (int)(sizeof queue_keys / sizeof *queue_keys)) {
			const char *key = queue_keys[c - OPT_QUEUE];
			if (strcmp(key, "bom") == 0) {
				a->bom = true;
			} else if (strcmp(key, "separator") == 0) {
				a->separator = optarg;
			} else {
				if (a->nq == (int)(sizeof a->qkey / sizeof *a->qkey))
					return td_err_set(err, TD_ECONFIG,
						_("too many filter options"));
				a->qkey[a->nq] = key;
				a->qval[a->nq++] = optarg ? optarg : "1";
			}
			continue;
		}
		switch (c) {
		case 1:
			if (a->command && strcmp(a->command, "import") == 0 &&
			    !a->file) {
				a->file = optarg;
				break;
			}
			if (a->command && (strcmp(a->command, "partners") == 0 ||
					   strcmp(a->command, "referral") == 0) &&
			    a->nsub < (int)(sizeof a->sub / sizeof *a->sub)) {
				a->sub[a->nsub++] = optarg;
				break;
			}
			if (a->command)
				return td_err_set(err, TD_ECONFIG,
					_("unexpected argument \"%s\""), optarg);
			for (size_t i = 0; i < sizeof commands / sizeof *commands; i++)
				if (strcmp(optarg, commands[i]) == 0)
					a->command = commands[i];
			if (!a->command)
				return td_err_set(err, TD_ECONFIG,
					_("unknown command \"%s\" (commands: init, check, export, report, import, partners, referral)"),
					optarg);
			break;
		case 'c': a->app.config_path = optarg; break;
		case 'd': a->app.db_path = optarg; break;
		case 's': a->app.site = optarg; break;
		case 'l':
			if (strcmp(optarg, "fr") && strcmp(optarg, "en"))
				return td_err_set(err, TD_ECONFIG,
					_("--lang must be fr or en, not \"%s\""), optarg);
			a->app.lang = optarg;
			break;
		case 'o': a->output = optarg; break;
		case OPT_NO_COLOR: a->app.no_color = true; break;
		case OPT_DEMO: a->app.demo = true; break;
		case OPT_FORMAT: a->format = optarg; break;
		case OPT_STATUS: a->status = optarg; break;
		case OPT_SINCE: a->since = optarg; break;
		case OPT_FROM: a->from = optarg; break;
		case OPT_TO: a->to = optarg; break;
		case OPT_DRY_RUN: a->dry_run = true; break;
		case OPT_SKIP_BAD: a->skip_bad = true; break;
		case 'h': a->help = true; break;
		case 'V': a->version = true; break;
		case ':':
			return td_err_set(err, TD_ECONFIG,
				_("option %s needs a value"), argv[optind - 1]);
		default:
			return td_err_set(err, TD_ECONFIG, _("unknown option %s"),
					  argv[optind - 1]);
		}
	}
	bool is_export = a->command && strcmp(a->command, "export") == 0;
	bool is_report = a->command && strcmp(a->command, "report") == 0;
	bool is_import = a->command && strcmp(a->command, "import") == 0;
	if (!is_export && (a->status || a->since))
		return td_err_set(err, TD_ECONFIG,
			_("--status and --since go with the export command"));
	if (!is_export && !is_report && (a->format || a->output))
		return td_err_set(err, TD_ECONFIG,
			_("--format and --output go with the export and report commands"));
	if (!is_report && (a->from || a->to))
		return td_err_set(err, TD_ECONFIG,
			_("--from and --to go with the report command"));
	bool is_partners = a->command && strcmp(a->command, "partners") == 0;
	if (!is_import && (a->dry_run || (a->skip_bad && !is_partners)))
		return td_err_set(err, TD_ECONFIG,
			_("--dry-run and --skip-bad go with the import command"));
	if (is_import && !a->file)
		return td_err_set(err, TD_ECONFIG,
			_("import needs the CSV file to read: totemdesk import holders.csv"));
	if (is_report && a->format && strcmp(a->format, "text") &&
	    strcmp(a->format, "csv") && strcmp(a->format, "json"))
		return td_err_set(err, TD_ECONFIG,
			_("--format must be text, csv or json, not \"%s\""), a->format);
	if (a->command && a->app.demo)
		return td_err_set(err, TD_ECONFIG,
			_("--demo starts the full-screen program; it takes no command"));
	if (is_export && a->format && strcmp(a->format, "csv") &&
	    strcmp(a->format, "json"))
		return td_err_set(err, TD_ECONFIG,
			_("--format must be csv or json, not \"%s\""), a->format);
	if (!is_export && (a->nq || a->bom || a->separator))
		return td_err_set(err, TD_ECONFIG,
			_("the filter options (--stage, --need, --search, --sort, ...), --bom and --separator go with the export command"));
	if (a->separator && strcmp(a->separator, ",") &&
	    strcmp(a->separator, ";"))
		return td_err_set(err, TD_ECONFIG,
			_("--separator must be ',' or ';', not \"%s\""),
			a->separator);
	struct td_query q;
	td_query_init(&q);
	for (int i = 0; i < a->nq; i++)
		if (strcmp(a->qkey[i], "filter") != 0 &&
		    td_query_set(&q, a->qkey[i], a->qval[i], err) != TD_OK) {
			char m[sizeof err->msg];
			snprintf(m, sizeof m, "%s", err->msg);
			return td_err_set(err, TD_ECONFIG, "--%s", m);
		}
	if (a->status && td_query_set(&q, "status", a->status, NULL) != TD_OK)
		return td_err_set(err, TD_ECONFIG,
			_("--status \"%s\" is not one of new, triaged, referred, "
			  "supported, closed, on_hold"), a->status);
	return TD_OK;
}

static int fail(int status, const td_err *err)
{
	td_cli_printf(stderr, "totemdesk: %s\n", err->msg);
	return td_cli_exit_code(status);
}

/* The database path: --db, else the one the configuration names. */
static int db_path(const struct td_cli_args *a, char *out, size_t outsz,
		   td_err *err)
{
	struct td_app *app = NULL;
	struct td_app_options o = a->app;
	if (a->app.db_path) {
		snprintf(out, outsz, "%s", a->app.db_path);
		return TD_OK;
	}
	o.no_db = true;
	int rc = td_app_open(&app, &o, err);
	if (rc == TD_OK)
		snprintf(out, outsz, "%s", td_app_db_path(app));
	td_app_close(app);
	return rc;
}

static int cmd_init(const struct td_cli_args *a)
{
	td_err err = { 0 };
	char path[4096];
	int rc = db_path(a, path, sizeof path, &err);
	if (!rc)
		rc = td_app_init_db(path, &err);
	if (rc)
		return fail(rc, &err);
	td_cli_printf(stdout, _("created %s\n"), path);
	return TD_EXIT_OK;
}

static int cmd_check(const struct td_cli_args *a)
{
	td_err err = { 0 };
	char report[4096];
	char path[4096];
	int rc = db_path(a, path, sizeof path, &err);
	if (rc)
		return fail(rc, &err);
	rc = td_app_check_db(path, report, sizeof report, &err);
	if (rc == TD_OK || rc == TD_ECORRUPT)
		td_cli_printf(stdout, "%s", report);
	return rc ? fail(rc, &err) : TD_EXIT_OK;
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

/* The export's query, the same the queue screen uses: --filter (a saved
 * filter's name or key=value;... text) first, then --site, --status,
 * --since and the filter options in command-line order.  Without --sort
 * or --filter the rows come oldest first, as they always have. */
static int export_query(struct td_app *app, const struct td_cli_args *a,
			struct td_query *q, td_err *err)
{
	int rc;

	td_query_init(q);
	q->sort = TD_QC_DATE;
	for (int i = 0; i < a->nq; i++) {
		if (strcmp(a->qkey[i], "filter") != 0)
			continue;
		const char *spec = a->qval[i];
		struct find_filter f = { a->qval[i], "", false };
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
	if (a->status && (rc = td_query_set(q, "status", a->status, err)))
		return rc;
	if (a->since && (rc = td_query_set(q, "since", a->since, err)))
		return td_err_set(err, TD_EINVAL,
			_("--since \"%s\" is not a date: use YYYY-MM-DD, e.g. 2026-01-31"),
			a->since);
	for (int i = 0; i < a->nq; i++)
		if (strcmp(a->qkey[i], "filter") != 0 &&
		    (rc = td_query_set(q, a->qkey[i], a->qval[i], err)))
			return rc;
	return TD_OK;
}

static int cmd_export(const struct td_cli_args *a)
{
	td_err err = { 0 };
	struct td_app *app = NULL;
	struct td_export_options eo = {
		.format = a->format && strcmp(a->format, "json") == 0
			  ? TD_EXPORT_JSON : TD_EXPORT_CSV,
		.site = a->app.site,
		.status = a->status ? td_enum_find(&td_statuses, a->status) : -1,
		.since = a->since,
	};
	struct td_app_options o = a->app;
	struct td_query q;
	FILE *out = stdout;
	long count = 0;
	int rc;

	/* --site filters the export; it does not change who we work for.
	 * Exports hold personal data: with a configuration, the login must
	 * be known to it, exactly as for the screens. */
	o.site = NULL;
	o.need_user = true;
	if ((rc = td_app_open(&app, &o, &err)))
		return fail(rc, &err);
	if ((rc = export_query(app, a, &q, &err))) {
		td_app_close(app);
		return fail(rc == TD_EINVAL ? TD_ECONFIG : rc, &err);
	}
	eo.query = &q;
	eo.bom = a->bom;
	eo.sep = a->separator ? a->separator[0] : ',';
	if (a->output) {
		int fd = open(a->output, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC,
			      0600);
		if (fd < 0 || !(out = fdopen(fd, "w"))) {
			td_err_set(&err, TD_EIO, _("cannot write %s: %s"), a->output,
				   strerror(errno));
			if (fd >= 0)
				close(fd);
			td_app_close(app);
			return fail(TD_EIO, &err);
		}
	}
	rc = td_app_export(app, &eo, out, &count, &err);
	if (out != stdout && fclose(out) != 0 && !rc)
		rc = td_err_set(&err, TD_EIO, _("cannot write %s: %s"), a->output,
				strerror(errno));
	td_app_close(app);
	if (rc) {
		if (rc == TD_EINVAL)
			rc = TD_ECONFIG;
		return fail(rc, &err);
	}
	if (a->output)
		td_cli_printf(stderr, ngettext("%ld dossier written to %s\n",
					       "%ld dossiers written to %s\n",
					       (unsigned long)count),
			      count, a->output);
	return TD_EXIT_OK;
}

/* Open for writing with mode 0600 (a report names people's projects),
 * or standard output. */
static FILE *open_output(const char *path, td_err *err)
{
	if (!path)
		return stdout;
	int fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
	FILE *out = fd >= 0 ? fdopen(fd, "w") : NULL;
	if (!out) {
		td_err_set(err, TD_EIO, _("cannot write %s: %s"), path,
			   strerror(errno));
		if (fd >= 0)
			close(fd);
	}
	return out;
}

static int cmd_report(const struct td_cli_args *a)
{
	td_err err = { 0 };
	struct td_app *app = NULL;
	struct td_app_options o = a->app;
	struct td_report_query q = { a->from, a->to, a->app.site };
	struct td_report r = { 0 };
	struct td_buf buf;
	enum td_report_format fmt = TD_REPORT_TEXT;
	FILE *out;
	int rc;

	if (a->format && strcmp(a->format, "csv") == 0)
		fmt = TD_REPORT_CSV;
	else if (a->format && strcmp(a->format, "json") == 0)
		fmt = TD_REPORT_JSON;
	/* --site narrows the report; it does not change who we work for. */
	o.site = NULL;
	o.need_user = true;
	if ((rc = td_app_open(&app, &o, &err)))
		return fail(rc, &err);
	rc = td_app_report(app, &q, &r, &err);
	td_app_close(app);
	if (rc)
		return fail(rc == TD_EINVAL ? TD_ECONFIG : rc, &err);
	td_buf_init(&buf);
	/* Block characters only where the locale can show them. */
	bool utf8 = strcmp(nl_langinfo(CODESET), "UTF-8") == 0;
	rc = td_report_write(&r, fmt, utf8, &buf);
	td_report_free(&r);
	if (rc) {
		td_buf_free(&buf);
		td_err_set(&err, rc, _("out of memory"));
		return fail(rc, &err);
	}
	if (!(out = open_output(a->output, &err))) {
		td_buf_free(&buf);
		return fail(TD_EIO, &err);
	}
	if (fwrite(buf.data, 1, buf.len, out) != buf.len || fflush(out) != 0)
		rc = td_err_set(&err, TD_EIO, _("cannot write the report: %s"),
				strerror(errno));
	if (out != stdout && fclose(out) != 0 && !rc)
		rc = td_err_set(&err, TD_EIO, _("cannot write %s: %s"), a->output,
				strerror(errno));
	td_buf_free(&buf);
	return rc ? fail(rc, &err) : TD_EXIT_OK;
}

static int cmd_import(const struct td_cli_args *a)
{
	td_err err = { 0 };
	struct td_app *app = NULL;
	struct td_app_options o = a->app;
	struct td_import_options io = { .name = a->file, .dry_run = a->dry_run,
					.skip_bad = a->skip_bad };
	struct td_import_result res = { 0 };
	char line[1024];
	int rc;

	o.need_user = true;
	if ((rc = td_app_open(&app, &o, &err)))
		return fail(rc, &err);
	rc = td_app_import_file(app, a->file, &io, &res, &err);
	td_app_close(app);
	for (size_t i = 0; i < res.nproblems; i++) {
		td_import_problem_format(a->file, &res.problems[i], line,
					 sizeof line);
		fprintf(stderr, "%s\n", line);
	}
	if (!rc) {
		/* One plural message per count, put together after. */
		char n1[120], n2[120], n3[120];
		if (a->dry_run) {
			snprintf(n1, sizeof n1,
				 ngettext("%ld row checked", "%ld rows checked",
					  (unsigned long)res.rows),
				 res.rows);
			snprintf(n2, sizeof n2,
				 ngettext("%ld good", "%ld good",
					  (unsigned long)res.good),
				 res.good);
			snprintf(n3, sizeof n3,
				 ngettext("%ld bad", "%ld bad",
					  (unsigned long)res.bad),
				 res.bad);
			printf(/* TRANSLATORS: file: rows checked, good, bad. */
			       _("%s: %s, %s, %s; dry run, nothing written\n"),
			       a->file, n1, n2, n3);
		} else {
			snprintf(n1, sizeof n1,
				 ngettext("%ld dossier imported",
					  "%ld dossiers imported",
					  (unsigned long)res.imported),
				 res.imported);
			snprintf(n2, sizeof n2,
				 ngettext("%ld row skipped", "%ld rows skipped",
					  (unsigned long)res.bad),
				 res.bad);
			printf(/* TRANSLATORS: file: dossiers imported, rows
				* skipped. */
			       _("%s: %s, %s\n"), a->file, n1, n2);
		}
		if (res.renumbered)
			printf(ngettext("%ld reference was taken or malformed and got a new number\n",
					"%ld references were taken or malformed and got new numbers\n",
					(unsigned long)res.renumbered),
			       res.renumbered);
	}
	td_import_result_free(&res);
	/* Bad rows are bad input, as for `partners import`: exit status 2. */
	if (rc == TD_EINVAL)
		rc = TD_ECONFIG;
	return rc ? fail(rc, &err) : TD_EXIT_OK;
}

int td_cli_run(const struct td_cli_args *a)
{
	if (strcmp(a->command, "report") == 0)
		return cmd_report(a);
	if (strcmp(a->command, "import") == 0)
		return cmd_import(a);
	if (strcmp(a->command, "partners") == 0)
		return td_cli_partners(a);
	if (strcmp(a->command, "referral") == 0)
		return td_cli_referral(a);
	if (strcmp(a->command, "init") == 0)
		return cmd_init(a);
	if (strcmp(a->command, "check") == 0)
		return cmd_check(a);
	return cmd_export(a);
}
