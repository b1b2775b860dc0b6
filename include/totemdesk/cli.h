/* The command line: the global options every mode shares, and the
 * non-interactive commands, one row each of td_cli_commands (tmux's
 * cmd_entry): name, usage, option spec, argument counts and the function
 * that runs it, each defined in its own file src/cli/cmd_NAME.c.
 * docs/architecture.md says how to add one. */
#ifndef TOTEMDESK_CLI_H
#define TOTEMDESK_CLI_H

#include "totemdesk/app.h"
#include "totemdesk/error.h"

#include <stdbool.h>
#include <stdio.h>

/* Documented exit codes (README, man page, --help). */
enum td_exit {
	TD_EXIT_OK = 0,
	TD_EXIT_RUNTIME = 1,  /* database, disk, I/O or terminal failure */
	TD_EXIT_USAGE = 2,    /* bad option or configuration */
	TD_EXIT_DENIED = 3,   /* login unknown, or role/site not allowed */
	TD_EXIT_DAMAGED = 4,  /* database damaged, or newer than this program */
};

/* One option of a command: --name (and -short_name when not 0), which
 * takes a value or not.  Options may repeat; the command reads them in
 * command-line order (td_cli_args.opts) or the last one (td_cli_opt). */
struct td_cli_option {
	const char *name;
	int short_name;
	bool has_value;
};

#define TD_CLI_MAX_OPTS 64
#define TD_CLI_MAX_ARGS 8

/* The command line as parsed. */
struct td_cli_args {
	struct td_app_options app;              /* the global options */
	const struct td_cli_command *cmd;       /* NULL: the screens */
	bool help, version;
	struct {
		const struct td_cli_option *opt;  /* in cmd->options */
		const char *value;                /* NULL for a flag */
	} opts[TD_CLI_MAX_OPTS];                /* command-line order */
	int nopts;
	const char *args[TD_CLI_MAX_ARGS];      /* positional arguments */
	int nargs;
};

/* A command.  Strings marked N_() and translated when shown. */
struct td_cli_command {
	const char *name;     /* "export"; a group's: "partners import" */
	const char *usage;    /* what follows the name: "[--skip-bad] FILE.csv" */
	const char *summary;  /* one line for --help */
	const char *help;     /* its options, one per line, or NULL */
	const struct td_cli_option *options; /* ends with { NULL }; may be NULL */
	int args_min, args_max;              /* positional arguments */
	/* Run it (global options and its own in a); messages to stderr.
	 * Returns the exit code. */
	int (*exec)(const struct td_cli_args *a);
};

/* Every command, in the order --help shows them; NULL-terminated. */
extern const struct td_cli_command *const td_cli_commands[];

/* Parse argv: global options anywhere, the command, then its own options
 * and arguments.  Returns TD_OK, or TD_ECONFIG with a message for a
 * usage error. */
int td_cli_parse(int argc, char **argv, struct td_cli_args *a, td_err *err);

/* The language asked by --lang/-l fr|en anywhere in argv (NULL if none),
 * read before parsing so that even a usage error is told in it. */
const char *td_cli_lang(int argc, char **argv);

/* Value of the command's option name as last given (NULL if absent or a
 * flag); whether it was given at all. */
const char *td_cli_opt(const struct td_cli_args *a, const char *name);
bool td_cli_has(const struct td_cli_args *a, const char *name);

/* Print the --help text: every command and the global options, or, when
 * cmd is not NULL, that command's usage and options. */
void td_cli_usage(FILE *out, const struct td_cli_command *cmd);

/* Exit code for a td_status. */
int td_cli_exit_code(int status);

/* printf for messages to people (not data), through the one sanitiser
 * (no escape sequence, control or bidirectional control from a file or
 * the database reaches the terminal): translated text is UTF-8, and a
 * terminal in a non-UTF-8 locale (LANG=C) gets the readable ASCII
 * fallback instead of raw bytes ("base de donnees creee"). */
void td_cli_printf(FILE *out, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

/* Run a.cmd (after its --help if asked).  Returns the exit code. */
int td_cli_run(const struct td_cli_args *a);

#endif
