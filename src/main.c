/* totemdesk: the front-desk intake program of the LORnTECH Totems.
 * main() only wires the pieces: locale and language, command line, then
 * either a subcommand (cli/) or the screens (ui/). */
#include "totemdesk/app.h"
#include "totemdesk/cli.h"
#include "totemdesk/i18n.h"
#include "totemdesk/privilege.h"
#include "totemdesk/ui.h"

#include <limits.h>
#include <locale.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "td_build.h"

/* Where the translations are: $TOTEMDESK_LOCALEDIR, else next to the
 * binary in a build tree (build/assets/po), else the installed path.  A
 * shared desk uses the installed path only: a catalogue is a list of
 * format strings, and the user's own would be run with the group's
 * privilege. */
static void find_localedir(char *out, size_t outsz)
{
	const char *env = getenv("TOTEMDESK_LOCALEDIR");
	char exe[PATH_MAX];
	ssize_t n;

	if (td_priv_setgid()) {
		snprintf(out, outsz, "%s", TD_LOCALEDIR);
		return;
	}
	if (env && *env) {
		snprintf(out, outsz, "%s", env);
		return;
	}
	n = readlink("/proc/self/exe", exe, sizeof exe - 1);
	if (n > 0) {
		exe[n] = '\0';
		char *slash = strrchr(exe, '/');
		if (slash) {
			*slash = '\0';
			if (snprintf(out, outsz, "%s/assets/po", exe) <
				    (int)outsz && access(out, R_OK) == 0)
				return;
		}
	}
	snprintf(out, outsz, "%s", TD_LOCALEDIR);
}

static int run_screens(const struct td_cli_args *a, const char *localedir)
{
	struct td_app *app = NULL;
	td_err err = { 0 };
	struct td_app_options o = a->app;
	int rc;

	o.need_config = !o.demo;
	o.need_user = true;
	rc = td_app_open(&app, &o, &err);
	if (rc == TD_OK && !a->app.lang)
		td_app_set_language(td_app_lang(app), localedir);
	if (rc == TD_OK) {
		struct td_ui_options uo = { .no_color = a->app.no_color };
		rc = td_ui_run(app, &uo, &err);
	}
	td_app_close(app);
	if (rc) {
		td_cli_printf(stderr, "totemdesk: %s\n", err.msg);
		return td_cli_exit_code(rc);
	}
	return TD_EXIT_OK;
}

int main(int argc, char **argv)
{
	char localedir[PATH_MAX];
	struct td_cli_args a;
	td_err err = { 0 };

	/* Before anything reads the environment or opens a file. */
	int rc = td_priv_startup(&err);
	setlocale(LC_ALL, "");
	find_localedir(localedir, sizeof localedir);
	if (rc) {
		td_app_set_language(td_cli_lang(argc, argv), localedir);
		td_cli_printf(stderr, "totemdesk: %s\n", err.msg);
		return td_cli_exit_code(rc);
	}
	/* The language first: a usage error is told in it too. */
	td_app_set_language(td_cli_lang(argc, argv), localedir);
	if (td_cli_parse(argc, argv, &a, &err) != TD_OK) {
		td_cli_printf(stderr, "totemdesk: %s\n", err.msg);
		if (a.cmd)
			td_cli_printf(stderr,
				_("Try 'totemdesk %s --help' for more information.\n"),
				a.cmd->name);
		else
			td_cli_printf(stderr, "%s",
				_("Try 'totemdesk --help' for more information.\n"));
		return TD_EXIT_USAGE;
	}
	/* Every configuration mistake, ui.keys included, before any
	 * database is opened -- for the commands as for the screens. */
	a.app.check_config = td_ui_keys_configure;
	if (a.help) {
		td_cli_usage(stdout, a.cmd);
		return TD_EXIT_OK;
	}
	if (a.version) {
		printf("totemdesk %s\n", TD_VERSION);
		return TD_EXIT_OK;
	}
	if (a.cmd)
		return td_cli_run(&a);
	return run_screens(&a, localedir);
}
