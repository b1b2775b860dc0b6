/* Private to src/cli: what every command file (cmd_NAME.c) shares. */
#ifndef TOTEMDESK_CLI_CMD_H
#define TOTEMDESK_CLI_CMD_H

#include "totemdesk/app.h"
#include "totemdesk/cli.h"
#include "totemdesk/error.h"

#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>

/* "totemdesk: MESSAGE" on stderr; the exit code of status. */
int td_cmd_fail(int status, const td_err *err);

/* td_cmd_fail for the commands that read what people wrote (files,
 * dates, references): bad input (TD_EINVAL) is exit status 2, as a usage
 * error, not a runtime failure. */
int td_cmd_fail_input(int status, const td_err *err);

/* Open the application, run write(app, stdout, &count, err) -- a use
 * case that writes a CSV -- and close it; the exit code, bad input
 * included (td_cmd_fail_input). */
int td_cmd_write(const struct td_cli_args *a,
		 int (*write)(struct td_app *app, FILE *out, long *count,
			      td_err *err));

/* A usage error of a's command: the message, a pointer to its --help,
 * exit code 2. */
int td_cmd_usage_error(const struct td_cli_args *a, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

/* Open the application with a's global options.  need_user: a login the
 * configuration knows (anything that shows personal data).  site_filter:
 * --site only narrows what the command reads (export, report); it does
 * not change which site the user works for. */
int td_cmd_open_app(const struct td_cli_args *a, bool need_user,
		    bool site_filter, struct td_app **app, td_err *err);

/* The database file: --db, else the one the configuration names (the
 * configuration is read and checked, the database itself not opened). */
int td_cmd_db_path(const struct td_cli_args *a, char *out, size_t outsz,
		   td_err *err);

/* stdout for what a command writes there: when it is a terminal, a
 * buffer that td_cli_stdout_end prints through the one sanitiser
 * (td_cli_write_clean); else stdout itself.  NULL: out of memory. */
FILE *td_cli_stdout_begin(void);
int td_cli_stdout_end(FILE *f);

/* Write len bytes of s to out through the one sanitiser of the command
 * line: no escape sequence, control or bidirectional control reaches
 * the terminal; ASCII fallback outside UTF-8 locales. */
void td_cli_write_clean(FILE *out, const char *s, size_t len);

/* Where a command writes: its -o/--output file through the one safe
 * writer (outfile.h: mode 0600, no link followed, an existing file
 * refused unless the command's --force, nothing left on failure), or
 * stdout when there is no -o.  *of receives the file to hand to
 * td_cmd_close_output.  NULL on failure, err set. */
struct td_outfile;
FILE *td_cmd_open_output(const struct td_cli_args *a, struct td_outfile **of,
			 td_err *err);

/* Finish what td_cmd_open_output opened: the file put in place when rc
 * (the status so far) is TD_OK, else removed.  Returns rc, or the
 * writer's error. */
int td_cmd_close_output(FILE *out, struct td_outfile *of, int rc,
			td_err *err);

#endif
