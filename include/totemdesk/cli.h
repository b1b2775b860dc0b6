/* The command line: option parsing shared by every mode, and the
 * non-interactive subcommands (init, check, export). */
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

struct td_cli_args {
	struct td_app_options app;
	const char *command;   /* NULL: the full-screen program */
	const char *format;    /* export --format */
	const char *status;    /* export --status */
	const char *since;     /* export --since */
	const char *output;    /* export -o */
	/* export queue filters, in command-line order: td_query_set key and
	 * value (--stage, --need, --search, --sort, ...); --filter as key
	 * "filter" (a saved filter's name, or key=value;... text) */
	const char *qkey[32], *qval[32];
	int nq;
	bool bom;              /* export --bom */
	const char *separator; /* export --separator */
	const char *from;      /* report --from */
	const char *to;        /* report --to */
	const char *file;      /* import FILE */
	bool dry_run;          /* import --dry-run */
	bool skip_bad;         /* import --skip-bad */
	const char *sub[3];    /* partners/referral: subcommand and argument */
	int nsub;
	bool help, version;
};

/* Parse argv.  Options may come before or after the command.  Returns
 * TD_OK, or TD_ECONFIG with a message for a usage error. */
int td_cli_parse(int argc, char **argv, struct td_cli_args *a, td_err *err);

/* Print the --help text. */
void td_cli_usage(FILE *out);

/* Exit code for a td_status. */
int td_cli_exit_code(int status);

/* printf for messages to people (not data): translated text is UTF-8,
 * and a terminal in a non-UTF-8 locale (LANG=C) gets the readable ASCII
 * fallback instead of raw bytes ("base de donnees creee"). */
void td_cli_printf(FILE *out, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

/* "partners import FILE [--skip-bad]" / "partners export" and
 * "referral list" / "referral text ID" (cli_routing.c).  Return the exit
 * code. */
int td_cli_partners(const struct td_cli_args *a);
int td_cli_referral(const struct td_cli_args *a);

/* Run a.command; messages go to stderr.  Returns the exit code. */
int td_cli_run(const struct td_cli_args *a);

#endif
