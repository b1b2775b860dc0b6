/* The command line: global options, the table of commands, --help, and
 * what every command shares.  The commands themselves are one file each
 * (cmd_NAME.c); this file only finds and runs them. */
#include "cmd.h"
#include "totemdesk/i18n.h"
#include "totemdesk/outfile.h"
#include "totemdesk/text.h"

#include <errno.h>
#include <getopt.h>
#include <langinfo.h>
#include <stdarg.h>
#include <stdlib.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

/* The commands, in the order --help shows them.  Adding one: its file
 * src/cli/cmd_NAME.c defines `const struct td_cli_command td_cmd_NAME`,
 * and it gets one row here (docs/architecture.md). */
#define TD_CLI_COMMANDS(X) \
	X(init) \
	X(check) \
	X(export) \
	X(report) \
	X(import) \
	X(partners_import) \
	X(partners_export) \
	X(referral_list) \
	X(referral_text) \
	X(backup) \
	X(restore) \
	X(sync_export) \
	X(sync_import) \
	X(sync_status) \
	X(sync_push) \
	X(sync_pull) \
	X(sync_serve) \
	X(privacy_export) \
	X(privacy_withdraw) \
	X(privacy_erase) \
	X(privacy_purge) \
	X(privacy_report)

#define DECLARE(n) extern const struct td_cli_command td_cmd_##n;
TD_CLI_COMMANDS(DECLARE)
#undef DECLARE

const struct td_cli_command *const td_cli_commands[] = {
#define ROW(n) &td_cmd_##n,
	TD_CLI_COMMANDS(ROW)
#undef ROW
	NULL,
};

/* ---- global options ---------------------------------------------------- */

enum { OPT_NO_COLOR = 256, OPT_DEMO, OPT_CMD = 1024 };

#define GLOBAL_SHORT "c:d:s:l:hV"
static const struct option global_options[] = {
	{ "config", required_argument, NULL, 'c' },
	{ "db", required_argument, NULL, 'd' },
	{ "site", required_argument, NULL, 's' },
	{ "lang", required_argument, NULL, 'l' },
	{ "no-color", no_argument, NULL, OPT_NO_COLOR },
	{ "demo", no_argument, NULL, OPT_DEMO },
	{ "help", no_argument, NULL, 'h' },
	{ "version", no_argument, NULL, 'V' },
};
#define NGLOBAL (sizeof global_options / sizeof *global_options)

/* ---- output ------------------------------------------------------------ */

/* The one sanitiser of what the commands print (issue 13 point 8):
 * td_text_clean (escape sequences, controls, bidirectional controls,
 * invalid UTF-8 removed; line breaks kept), then the ASCII fallback when
 * the locale is not UTF-8. */
void td_cli_write_clean(FILE *out, const char *s, size_t len)
{
	char *clean = malloc(len + 1);
	if (!clean)
		return;
	td_text_clean(s, len, clean, len + 1, 0, true);
	const char *cs = nl_langinfo(CODESET);
	if (strcmp(cs, "UTF-8") == 0 || strcmp(cs, "utf8") == 0) {
		fputs(clean, out);
		free(clean);
		return;
	}
	/* td_text_ascii makes one line: convert line by line. */
	for (char *line = clean; line;) {
		char *nl = strchr(line, '\n');
		if (nl)
			*nl = '\0';
		size_t n = strlen(line);
		char *ascii = malloc(4 * n + 1);
		if (ascii) {
			td_text_ascii(line, ascii, 4 * n + 1);
			fputs(ascii, out);
			free(ascii);
		}
		if (nl)
			fputc('\n', out);
		line = nl ? nl + 1 : NULL;
	}
	free(clean);
}

void td_cli_printf(FILE *out, const char *fmt, ...)
{
	char buf[8192];
	va_list ap;
	va_start(ap, fmt);
	int n = vsnprintf(buf, sizeof buf, fmt, ap);
	va_end(ap);
	if (n < 0)
		return;
	td_cli_write_clean(out, buf, strlen(buf));
}

/* What a command writes to stdout when stdout is a terminal is collected
 * here and printed through the sanitiser when it ends, whole, so that an
 * escape sequence split over two writes cannot slip through.  One
 * command runs per process: one buffer. */
static struct {
	FILE *f;
	char *data;
	size_t len;
} tty_out;

FILE *td_cli_stdout_begin(void)
{
	if (!isatty(STDOUT_FILENO))
		return stdout;
	if (!tty_out.f)
		tty_out.f = open_memstream(&tty_out.data, &tty_out.len);
	return tty_out.f;
}

int td_cli_stdout_end(FILE *f)
{
	if (!f || f != tty_out.f)
		return 0;
	int rc = fclose(f);
	tty_out.f = NULL;
	if (rc == 0 && tty_out.data)
		td_cli_write_clean(stdout, tty_out.data, tty_out.len);
	free(tty_out.data);
	tty_out.data = NULL;
	tty_out.len = 0;
	return rc;
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

int td_cmd_fail(int status, const td_err *err)
{
	td_cli_printf(stderr, "totemdesk: %s\n", err->msg);
	return td_cli_exit_code(status);
}

int td_cmd_fail_input(int status, const td_err *err)
{
	return td_cmd_fail(status == TD_EINVAL ? TD_ECONFIG : status, err);
}

int td_cmd_write(const struct td_cli_args *a,
		 int (*write)(struct td_app *app, FILE *out, long *count,
			      td_err *err))
{
	td_err err = { 0 };
	struct td_app *app = NULL;
	long n = 0;
	/* A known login: what the commands write names people. */
	int rc = td_cmd_open_app(a, true, false, &app, &err);
	FILE *out = td_cli_stdout_begin();
	if (!rc && !out)
		rc = td_err_set(&err, TD_ENOMEM, _("out of memory"));
	if (!rc)
		rc = write(app, out, &n, &err);
	td_cli_stdout_end(out);
	td_app_close(app);
	return rc ? td_cmd_fail_input(rc, &err) : TD_EXIT_OK;
}

int td_cmd_usage_error(const struct td_cli_args *a, const char *fmt, ...)
{
	char msg[1024];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(msg, sizeof msg, fmt, ap);
	va_end(ap);
	td_cli_printf(stderr, "totemdesk: %s\n", msg);
	td_cli_printf(stderr,
		      _("Try 'totemdesk %s --help' for more information.\n"),
		      a->cmd->name);
	return TD_EXIT_USAGE;
}

int td_cmd_open_app(const struct td_cli_args *a, bool need_user,
		    bool site_filter, struct td_app **app, td_err *err)
{
	struct td_app_options o = a->app;
	o.need_user = need_user;
	if (site_filter)
		o.site = NULL;
	return td_app_open(app, &o, err);
}

int td_cmd_db_path(const struct td_cli_args *a, char *out, size_t outsz,
		   td_err *err)
{
	struct td_app *app = NULL;
	struct td_app_options o = a->app;
	/* With --db too: the configuration is read and checked (and refused
	 * where the user may not choose it) as for every other command. */
	o.no_db = true;
	int rc = td_app_open(&app, &o, err);
	if (rc == TD_OK)
		snprintf(out, outsz, "%s", td_app_db_path(app));
	td_app_close(app);
	return rc;
}

FILE *td_cmd_open_output(const struct td_cli_args *a, struct td_outfile **of,
			 td_err *err)
{
	const char *path = td_cli_opt(a, "output");
	*of = NULL;
	if (!path) {
		FILE *out = td_cli_stdout_begin();
		if (!out)
			td_err_set(err, TD_ENOMEM, _("out of memory"));
		return out;
	}
	if (td_outfile_open(of, path, td_cli_has(a, "force") ? TD_OUT_FORCE : 0,
			    err))
		return NULL;
	return td_outfile_stream(*of);
}

int td_cmd_close_output(FILE *out, struct td_outfile *of, int rc,
			td_err *err)
{
	if (!of) {
		td_cli_stdout_end(out);
		if (out && fflush(stdout) != 0 && !rc)
			rc = td_err_set(err, TD_EIO, _("cannot write: %s"),
					strerror(errno));
		return rc;
	}
	if (rc) {
		/* Which file was not written, when writing it failed. */
		if (rc == TD_EIO && !strstr(err->msg, td_outfile_path(of)))
			td_err_prefix(err, td_outfile_path(of));
		td_outfile_abort(of);
		return rc;
	}
	return td_outfile_commit(of, err);
}

/* ---- the command's options --------------------------------------------- */

const char *td_cli_opt(const struct td_cli_args *a, const char *name)
{
	for (int i = a->nopts - 1; i >= 0; i--)
		if (strcmp(a->opts[i].opt->name, name) == 0)
			return a->opts[i].value;
	return NULL;
}

bool td_cli_has(const struct td_cli_args *a, const char *name)
{
	for (int i = 0; i < a->nopts; i++)
		if (strcmp(a->opts[i].opt->name, name) == 0)
			return true;
	return false;
}

/* ---- parsing ----------------------------------------------------------- */

/* s translated; "" stays "" (gettext("") is the catalogue's header). */
static const char *tr(const char *s)
{
	return s && *s ? _(s) : "";
}

/* "init, check, export, ..." (first words, once each) into out. */
static void command_words(char *out, size_t outsz)
{
	out[0] = '\0';
	for (size_t i = 0; td_cli_commands[i]; i++) {
		const char *n = td_cli_commands[i]->name;
		size_t w = strcspn(n, " ");
		bool seen = false;
		for (size_t j = 0; j < i && !seen; j++)
			seen = strncmp(td_cli_commands[j]->name, n, w) == 0 &&
			       (td_cli_commands[j]->name[w] == ' ' ||
				td_cli_commands[j]->name[w] == '\0');
		if (!seen)
			snprintf(out + strlen(out), outsz - strlen(out), "%s%.*s",
				 out[0] ? ", " : "", (int)w, n);
	}
}

/* The commands having an option spelled opt ("--format", "--format=x",
 * "-o"), comma-joined into out; "" if none. */
static void commands_with(const char *opt, char *out, size_t outsz)
{
	char name[64];
	int short_name = 0;
	out[0] = '\0';
	if (opt[0] == '-' && opt[1] == '-')
		snprintf(name, sizeof name, "%.*s", (int)strcspn(opt + 2, "="),
			 opt + 2);
	else if (opt[0] == '-' && opt[1]) {
		name[0] = '\0';
		short_name = (unsigned char)opt[1];
	} else {
		return;
	}
	for (size_t i = 0; td_cli_commands[i]; i++) {
		const struct td_cli_option *o = td_cli_commands[i]->options;
		for (; o && o->name; o++)
			if ((name[0] && strcmp(o->name, name) == 0) ||
			    (short_name && o->short_name == short_name)) {
				snprintf(out + strlen(out), outsz - strlen(out),
					 "%s%s", out[0] ? ", " : "",
					 td_cli_commands[i]->name);
				break;
			}
	}
}

/* The option getopt could not take, as typed ("--bogus", "-x"). */
static void bad_option(char **argv, int optind_, char *out, size_t outsz)
{
	if (optopt)
		snprintf(out, outsz, "-%c", optopt);
	else
		snprintf(out, outsz, "%s", argv[optind_ - 1]);
}

static int unknown_option(const struct td_cli_args *a, char **argv,
			  int optind_, td_err *err)
{
	char opt[256], cmds[512];
	bad_option(argv, optind_, opt, sizeof opt);
	commands_with(opt, cmds, sizeof cmds);
	if (cmds[0] && a->cmd)
		return td_err_set(err, TD_ECONFIG,
			_("%s is not an option of %s (it goes with %s)"), opt,
			a->cmd->name, cmds);
	if (cmds[0])
		return td_err_set(err, TD_ECONFIG,
			_("%s is an option of %s: put it after the command"), opt,
			cmds);
	return td_err_set(err, TD_ECONFIG, _("unknown option %s"), opt);
}

/* The usage error getopt_long's answer c stands for, on argv (the vector
 * it was given); TD_OK when c is an option. */
static int getopt_failed(int c, const struct td_cli_args *a, char **argv,
			 td_err *err)
{
	if (c == ':')
		return td_err_set(err, TD_ECONFIG, _("option %s needs a value"),
				  argv[optind - 1]);
	if (c == '?')
		return unknown_option(a, argv, optind, err);
	return TD_OK;
}

static int global_option(int c, struct td_cli_args *a, td_err *err)
{
	switch (c) {
	case 'c': a->app.config_path = optarg; break;
	case 'd': a->app.db_path = optarg; break;
	case 's': a->app.site = optarg; break;
	case 'l':
		if (strcmp(optarg, "fr") && strcmp(optarg, "en"))
			return td_err_set(err, TD_ECONFIG,
				_("--lang must be fr or en, not \"%s\""), optarg);
		a->app.lang = optarg;
		break;
	case OPT_NO_COLOR: a->app.no_color = true; break;
	case OPT_DEMO: a->app.demo = true; break;
	case 'h': a->help = true; break;
	case 'V': a->version = true; break;
	default:
		return TD_ENOTFOUND;
	}
	return TD_OK;
}

/* Global options of argv[base+1 ..] up to the first other word; *next
 * receives its index (argc when none). */
static int parse_global(int argc, char **argv, int base,
			struct td_cli_args *a, int *next, td_err *err)
{
	struct option longs[NGLOBAL + 1];
	int c, rc;

	memcpy(longs, global_options, sizeof global_options);
	memset(&longs[NGLOBAL], 0, sizeof longs[NGLOBAL]);
	opterr = 0;
	optind = 0;      /* GNU: start afresh on this vector */
	while ((c = getopt_long(argc - base, argv + base, "+:" GLOBAL_SHORT,
				longs, NULL)) != -1) {
		if ((rc = getopt_failed(c, a, argv + base, err)) ||
		    (rc = global_option(c, a, err)))
			return rc;
	}
	*next = base + optind;
	return TD_OK;
}

/* The command named by argv[*at] (and argv[*at + 1] for a group such as
 * "partners import"), global options allowed in between. */
static int find_command(int argc, char **argv, int *at, struct td_cli_args *a,
			td_err *err)
{
	const char *word = argv[*at];
	size_t w = strlen(word);
	bool group = false;
	char list[512];

	for (size_t i = 0; td_cli_commands[i]; i++) {
		const char *n = td_cli_commands[i]->name;
		if (strcmp(n, word) == 0) {
			a->cmd = td_cli_commands[i];
			return TD_OK;
		}
		group |= strncmp(n, word, w) == 0 && n[w] == ' ';
	}
	if (!group) {
		command_words(list, sizeof list);
		return td_err_set(err, TD_ECONFIG,
			_("unknown command \"%s\" (commands: %s)"), word, list);
	}
	/* A group: its members, for the messages. */
	list[0] = '\0';
	for (size_t i = 0; td_cli_commands[i]; i++) {
		const char *n = td_cli_commands[i]->name;
		if (strncmp(n, word, w) == 0 && n[w] == ' ')
			snprintf(list + strlen(list), sizeof list - strlen(list),
				 "%s%s", list[0] ? ", " : "", n + w + 1);
	}
	int next, rc = parse_global(argc, argv, *at, a, &next, err);
	if (rc)
		return rc;
	if (next >= argc) {
		if (a->help)
			return TD_OK;    /* "partners --help": the general help */
		return td_err_set(err, TD_ECONFIG,
			_("%s needs a subcommand: %s"), word, list);
	}
	for (size_t i = 0; td_cli_commands[i]; i++) {
		const char *n = td_cli_commands[i]->name;
		if (strncmp(n, word, w) == 0 && n[w] == ' ' &&
		    strcmp(n + w + 1, argv[next]) == 0) {
			a->cmd = td_cli_commands[i];
			*at = next;
			return TD_OK;
		}
	}
	return td_err_set(err, TD_ECONFIG,
		_("unknown command \"%s %s\" (%s commands: %s)"), word,
		argv[next], word, list);
}

/* One more positional argument of the command, if it takes one. */
static int add_arg(struct td_cli_args *a, const char *arg, td_err *err)
{
	if (a->nargs == a->cmd->args_max || a->nargs == TD_CLI_MAX_ARGS)
		return td_err_set(err, TD_ECONFIG,
			_("unexpected argument \"%s\" (usage: totemdesk %s%s%s)"),
			arg, a->cmd->name, *a->cmd->usage ? " " : "",
			tr(a->cmd->usage));
	a->args[a->nargs++] = arg;
	return TD_OK;
}

/* The command's options and arguments, global options among them, from
 * argv[base+1 ..]. */
static int parse_command(int argc, char **argv, int base,
			 struct td_cli_args *a, td_err *err)
{
	const struct td_cli_option *opts = a->cmd->options;
	struct option longs[NGLOBAL + 32 + 1];
	char shorts[64] = "-:" GLOBAL_SHORT;
	size_t n = NGLOBAL;
	int c, rc;

	memcpy(longs, global_options, sizeof global_options);
	for (int i = 0; opts && opts[i].name; i++) {
		if (n == NGLOBAL + 32)
			return td_err_set(err, TD_ECONFIG, "%s: too many options",
					  a->cmd->name);
		longs[n++] = (struct option){ opts[i].name,
			opts[i].has_value ? required_argument : no_argument, NULL,
			opts[i].short_name ? opts[i].short_name : OPT_CMD + i };
		if (opts[i].short_name) {
			size_t l = strlen(shorts);
			if (l + 3 < sizeof shorts) {
				shorts[l++] = (char)opts[i].short_name;
				if (opts[i].has_value)
					shorts[l++] = ':';
				shorts[l] = '\0';
			}
		}
	}
	memset(&longs[n], 0, sizeof longs[n]);
	opterr = 0;
	optind = 0;
	while ((c = getopt_long(argc - base, argv + base, shorts, longs,
				NULL)) != -1) {
		if (c == 1) {
			if ((rc = add_arg(a, optarg, err)))
				return rc;
			continue;
		}
		if ((rc = getopt_failed(c, a, argv + base, err)))
			return rc;
		const struct td_cli_option *o = NULL;
		if (c >= OPT_CMD)
			o = &opts[c - OPT_CMD];
		for (int i = 0; !o && opts && opts[i].name; i++)
			if (opts[i].short_name == c)
				o = &opts[i];
		if (o) {
			if (a->nopts == TD_CLI_MAX_OPTS)
				return td_err_set(err, TD_ECONFIG,
					_("too many options"));
			a->opts[a->nopts].opt = o;
			a->opts[a->nopts++].value = o->has_value ? optarg : NULL;
			continue;
		}
		if ((rc = global_option(c, a, err)))
			return rc;
	}
	/* After "--", everything is an argument ("import -- -odd.csv"). */
	for (int i = base + optind; i < argc; i++)
		if ((rc = add_arg(a, argv[i], err)))
			return rc;
	return TD_OK;
}

const char *td_cli_lang(int argc, char **argv)
{
	const char *lang = NULL;
	for (int i = 1; i < argc; i++) {
		const char *v = NULL;
		if (strncmp(argv[i], "--lang=", 7) == 0)
			v = argv[i] + 7;
		else if ((strcmp(argv[i], "--lang") == 0 ||
			  strcmp(argv[i], "-l") == 0) && i + 1 < argc)
			v = argv[++i];
		else if (strcmp(argv[i], "--") == 0)
			break;
		if (v && (strcmp(v, "fr") == 0 || strcmp(v, "en") == 0))
			lang = v;
	}
	return lang;
}

int td_cli_parse(int argc, char **argv, struct td_cli_args *a, td_err *err)
{
	int next, rc;

	memset(a, 0, sizeof *a);
	if ((rc = parse_global(argc, argv, 0, a, &next, err)))
		return rc;
	if (next >= argc)
		return TD_OK;    /* no command: the screens */
	if ((rc = find_command(argc, argv, &next, a, err)) || !a->cmd)
		return rc;
	if ((rc = parse_command(argc, argv, next, a, err)))
		return rc;
	if (a->app.demo)
		return td_err_set(err, TD_ECONFIG,
			_("--demo starts the full-screen program; it takes no command"));
	if (a->nargs < a->cmd->args_min && !a->help && !a->version)
		return td_err_set(err, TD_ECONFIG,
			_("%s needs more arguments: totemdesk %s %s"),
			a->cmd->name, a->cmd->name, tr(a->cmd->usage));
	return TD_OK;
}

/* ---- help -------------------------------------------------------------- */

/* Columns taken by UTF-8 text s (one per character: no wide ones here). */
static int cols(const char *s)
{
	int n = 0;
	for (; *s; s++)
		n += ((unsigned char)*s & 0xC0) != 0x80;
	return n;
}

/* After text ending at column col: text at column 43 (on the next line
 * when col is past it), its words wrapped at 79 columns. */
static void summary(FILE *out, int col, const char *text)
{
	char word[256];
	if (col + 2 > 43) {
		td_cli_printf(out, "\n");
		col = 0;
	}
	td_cli_printf(out, "%*s", 43 - col, "");
	col = 43;
	for (bool first = true; *text; first = false) {
		size_t l = strcspn(text, " ");
		snprintf(word, sizeof word, "%.*s", (int)l, text);
		if (!first && col + 1 + cols(word) > 79) {
			td_cli_printf(out, "\n%43s", "");
			col = 43;
		} else if (!first) {
			td_cli_printf(out, " ");
			col++;
		}
		td_cli_printf(out, "%s", word);
		col += cols(word);
		text += l;
		text += strspn(text, " ");
	}
	td_cli_printf(out, "\n");
}

/* "PREFIX NAME USAGE", wrapped at 79 columns under USAGE, then the
 * summary at column 43 (or on the next line). */
static void usage_line(FILE *out, const char *prefix,
		       const struct td_cli_command *c)
{
	char line[1024], word[256];
	const char *u = tr(c->usage);
	int indent, col;

	snprintf(line, sizeof line, "%s %s", prefix, c->name);
	col = cols(line);
	indent = col + 1;
	td_cli_printf(out, "%s", line);
	while (*u) {
		size_t l = strcspn(u, " ");
		snprintf(word, sizeof word, "%.*s", (int)l, u);
		if (col + 1 + cols(word) > 79) {
			td_cli_printf(out, "\n%*s", indent - 1, "");
			col = indent - 1;
		}
		td_cli_printf(out, " %s", word);
		col += 1 + cols(word);
		u += l;
		u += strspn(u, " ");
	}
	summary(out, col, tr(c->summary));
}

void td_cli_usage(FILE *out, const struct td_cli_command *cmd)
{
	/* TRANSLATORS: the start of the usage lines of --help; the other
	 * lines are indented to its width. */
	const char *usage = _("Usage:");
	char prefix[128];

	if (cmd) {
		snprintf(prefix, sizeof prefix, "%s totemdesk %s", usage,
			 _("[OPTION]..."));
		usage_line(out, prefix, cmd);
		if (cmd->help)
			td_cli_printf(out, "\n%s", tr(cmd->help));
		td_cli_printf(out, "\n%s", _(
"Options -c, -d, -s, -l and --no-color work as for every command: see\n"
"totemdesk --help.  Exit status: see totemdesk --help or totemdesk(1).\n"));
		return;
	}
	snprintf(prefix, sizeof prefix, "%s totemdesk %s", usage,
		 _("[OPTION]..."));
	td_cli_printf(out, "%s", prefix);
	summary(out, cols(prefix), _("start the full-screen intake desk"));
	snprintf(prefix, sizeof prefix, "%*s totemdesk %s", cols(usage), "",
		 _("[OPTION]..."));
	for (size_t i = 0; td_cli_commands[i]; i++)
		usage_line(out, prefix, td_cli_commands[i]);
	td_cli_printf(out, "\n%s", _(
"Options:\n"
"  -c, --config FILE   configuration file (default: $TOTEMDESK_CONFIG,\n"
"                      $XDG_CONFIG_HOME/totemdesk/totemdesk.conf,\n"
"                      /etc/totemdesk/totemdesk.conf)\n"
"  -d, --db FILE       database file (default: from the configuration)\n"
"                      Installed for a whole host (set-group-ID), totemdesk\n"
"                      reads /etc/totemdesk/totemdesk.conf only and refuses\n"
"                      --config, --db and $TOTEMDESK_CONFIG but for root\n"
"  -s, --site CODE     work for this site (THI, MET, NAN, EPI, ...)\n"
"  -l, --lang LANG     language of the interface: fr (default) or en\n"
"      --no-color      no colours (also when NO_COLOR is set)\n"
"      --demo          try it out: built-in configuration and a throwaway\n"
"                      database full of generated dossiers\n"
"  -h, --help          show this help (after a command: its help) and exit\n"
"  -V, --version       show the version and exit\n"));
	for (size_t i = 0; td_cli_commands[i]; i++)
		if (td_cli_commands[i]->help)
			td_cli_printf(out, "\n%s", tr(td_cli_commands[i]->help));
	td_cli_printf(out, "\n%s", _(
"Exit status: 0 success; 1 runtime error (database, disk, terminal);\n"
"2 usage or configuration error; 3 not allowed (unknown login, role or\n"
"site); 4 database damaged or newer than this program.\n"
"\n"
"Keys in the program: F1 or ? for help.  See totemdesk(1).\n"));
}

int td_cli_run(const struct td_cli_args *a)
{
	return a->cmd->exec(a);
}
