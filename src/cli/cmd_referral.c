/* totemdesk referral list / referral text ID: the referrals as CSV, and
 * the introduction text ("mise en relation") of one. */
#include "cmd.h"
#include "totemdesk/i18n.h"
#include "totemdesk/referral.h"

#include <stdlib.h>
#include <string.h>

static int exec_referral_list(const struct td_cli_args *a)
{
	return td_cmd_write(a, td_app_referral_export);
}

static int exec_referral_text(const struct td_cli_args *a)
{
	td_err err = { 0 };
	struct td_app *app = NULL;
	char *s = NULL;
	int rc;

	if ((rc = td_cmd_open_app(a, true, false, &app, &err)))
		return td_cmd_fail(rc, &err);
	/* --text-lang, else --lang, else the partner's (German for a
	 * partner in Germany) or the desk's */
	const char *lang = td_cli_opt(a, "text-lang");
	rc = td_app_referral_text(app, a->args[0],
				  lang ? lang : a->app.lang, &s, &err);
	td_app_close(app);
	/* Line by line: td_cli_printf works on bounded chunks. */
	for (char *line = s, *nl; !rc && line && *line; line = nl) {
		nl = strchr(line, '\n');
		if (nl)
			*nl++ = '\0';
		td_cli_printf(stdout, "%s\n", line);
	}
	free(s);
	return rc ? td_cmd_fail_input(rc, &err) : TD_EXIT_OK;
}

const struct td_cli_command td_cmd_referral_list = {
	.name = "referral list",
	.usage = "",
	.summary = N_("referrals as CSV"),
	.exec = exec_referral_list,
};

static const struct td_cli_option text_options[] = {
	{ "text-lang", 0, true },
	{ NULL, 0, false },
};

const struct td_cli_command td_cmd_referral_text = {
	.name = "referral text",
	.usage = N_("[--text-lang fr|en|de] ID"),
	.summary = N_("introduction text (fr, en, de)"),
	.help = N_(
"      --text-lang fr|en|de  the text's language (default: --lang, else\n"
"                      German for a partner in Germany, else the desk's)\n"
"Refused for a person who withdrew their consent (privacy withdraw).\n"),
	.options = text_options,
	.args_min = 1,
	.args_max = 1,
	.exec = exec_referral_text,
};
