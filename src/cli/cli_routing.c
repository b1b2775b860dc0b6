/* Subcommands of the routing work: "partners import FILE [--skip-bad]",
 * "partners export", "referral list", "referral text ID". */
#include "totemdesk/cli.h"
#include "totemdesk/i18n.h"
#include "totemdesk/partner.h"
#include "totemdesk/referral.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static int fail(int status, const td_err *err)
{
	td_cli_printf(stderr, "totemdesk: %s\n", err->msg);
	return td_cli_exit_code(status);
}

/* Open the application as the export does: a known login is needed
 * because partners and referrals name people. */
static int open_app(const struct td_cli_args *a, struct td_app **app,
		    td_err *err)
{
	struct td_app_options o = a->app;
	o.need_user = true;
	return td_app_open(app, &o, err);
}

static int usage(const char *msg)
{
	td_err err = { 0 };
	td_err_set(&err, TD_ECONFIG, "%s", msg);
	return fail(TD_ECONFIG, &err);
}

int td_cli_partners(const struct td_cli_args *a)
{
	td_err err = { 0 };
	struct td_app *app = NULL;
	const char *sub = a->nsub > 0 ? a->sub[0] : "";
	long n = 0, skipped = 0;
	int rc;

	bool import = strcmp(sub, "import") == 0;
	if (!import && strcmp(sub, "export") != 0)
		return usage(_("use: totemdesk partners import FILE.csv [--skip-bad], or totemdesk partners export"));
	if (import && a->nsub != 2)
		return usage(_("partners import needs the CSV file to read: totemdesk partners import partners.csv"));
	if (!import && a->nsub != 1)
		return usage(_("partners export takes no file: it writes to standard output"));
	if (!import && a->skip_bad)
		return usage(_("--skip-bad goes with partners import"));
	if ((rc = open_app(a, &app, &err)))
		return fail(rc, &err);
	if (import) {
		rc = td_app_partner_import(app, a->sub[1], a->skip_bad, stderr,
					   &n, &skipped, &err);
		if (!rc) {
			td_cli_printf(stderr,
				ngettext("%ld partner imported", "%ld partners imported",
					 (unsigned long)n), n);
			if (skipped)
				td_cli_printf(stderr,
					ngettext(", %ld bad row skipped (listed above)",
						 ", %ld bad rows skipped (listed above)",
						 (unsigned long)skipped), skipped);
			td_cli_printf(stderr, "\n");
		}
	} else {
		rc = td_app_partner_export(app, stdout, &n, &err);
	}
	td_app_close(app);
	if (rc == TD_EINVAL)
		rc = TD_ECONFIG;
	return rc ? fail(rc, &err) : TD_EXIT_OK;
}

int td_cli_referral(const struct td_cli_args *a)
{
	td_err err = { 0 };
	struct td_app *app = NULL;
	const char *sub = a->nsub > 0 ? a->sub[0] : "";
	long n = 0;
	int rc;

	bool text = strcmp(sub, "text") == 0;
	if (!text && strcmp(sub, "list") != 0)
		return usage(_("use: totemdesk referral list, or totemdesk referral text ID"));
	if (text && a->nsub != 2)
		return usage(_("referral text needs the referral's id, as shown by: totemdesk referral list"));
	if (!text && a->nsub != 1)
		return usage(_("referral list takes no argument"));
	if (a->skip_bad)
		return usage(_("--skip-bad goes with partners import"));
	if ((rc = open_app(a, &app, &err)))
		return fail(rc, &err);
	if (text) {
		char *s = NULL;
		rc = td_app_referral_text(app, a->sub[1], a->app.lang, &s,
					  &err);
		/* Line by line: td_cli_printf works on bounded chunks. */
		for (char *line = s, *nl; !rc && line && *line; line = nl) {
			nl = strchr(line, '\n');
			if (nl)
				*nl++ = '\0';
			td_cli_printf(stdout, "%s\n", line);
		}
		free(s);
	} else {
		rc = td_app_referral_export(app, stdout, &n, &err);
	}
	td_app_close(app);
	if (rc == TD_EINVAL)
		rc = TD_ECONFIG;
	return rc ? fail(rc, &err) : TD_EXIT_OK;
}
