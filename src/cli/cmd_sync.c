/* totemdesk sync export / import / status: the exchange of changes
 * between the sites' databases in bundle files (sync.h, docs/sync.md). */
#include "cmd.h"
#include "totemdesk/i18n.h"
#include "totemdesk/sync.h"

static int exec_sync_export(const struct td_cli_args *a)
{
	const char *path = td_cli_opt(a, "output");
	struct td_sync_summary s;
	struct td_app *app = NULL;
	td_err err = { 0 };
	int rc;

	if (!path || !*path)
		return td_cmd_usage_error(a,
			_("sync export needs -o FILE, the bundle to write"));
	if ((rc = td_cmd_open_app(a, false, false, &app, &err)))
		return td_cmd_fail(rc, &err);
	rc = td_app_sync_export(app, path, td_cli_opt(a, "to"),
				td_cli_has(a, "force"), &s, &err);
	td_app_close(app);
	if (rc)
		return td_cmd_fail(rc, &err);
	td_cli_printf(stderr, _("bundle %lld for %s written to %s: %ld changes, %ld bytes\n"),
		      s.bundle, s.peer, path, s.entries, s.bytes);
	return TD_EXIT_OK;
}

static int exec_sync_import(const struct td_cli_args *a)
{
	struct td_sync_summary s;
	struct td_app *app = NULL;
	td_err err = { 0 };
	int rc;

	if ((rc = td_cmd_open_app(a, false, false, &app, &err)))
		return td_cmd_fail(rc, &err);
	rc = td_app_sync_import(app, a->args[0], &s, &err);
	td_app_close(app);
	if (rc)
		return td_cmd_fail_input(rc, &err);
	td_cli_printf(stderr, _("bundle %lld from %s: %ld changes applied, %ld already here, %ld waiting for an earlier one, %ld conflicts settled by the rules\n"),
		      s.bundle, s.peer, s.applied, s.skipped, s.gaps,
		      s.conflicts);
	if (s.new_db)
		td_cli_printf(stderr, _("%s has a new database (restored from a backup, or installed again): what it lacks is sent to it again\n"),
			      s.peer);
	return TD_EXIT_OK;
}

static int exec_sync_status(const struct td_cli_args *a)
{
	struct td_app *app = NULL;
	td_err err = { 0 };
	int rc;

	if ((rc = td_cmd_open_app(a, false, false, &app, &err)))
		return td_cmd_fail(rc, &err);
	if (td_cli_has(a, "hash")) {
		char h[65];
		rc = td_app_sync_content_hash(app, h, &err);
		if (!rc)
			td_cli_printf(stdout, "%s\n", h);
	} else {
		FILE *out = td_cli_stdout_begin();
		rc = out ? td_app_sync_status(app, out, &err)
			 : td_err_set(&err, TD_ENOMEM, _("out of memory"));
		td_cli_stdout_end(out);
	}
	td_app_close(app);
	return rc ? td_cmd_fail(rc, &err) : TD_EXIT_OK;
}

static const struct td_cli_option sync_export_options[] = {
	{ "output", 'o', true },
	{ "to", 0, true },
	{ "force", 0, false },
	{ NULL, 0, false },
};

const struct td_cli_command td_cmd_sync_export = {
	.name = "sync export",
	.usage = N_("-o FILE [--to SITE] [--force]"),
	.summary = N_("write the changes a peer site has not acknowledged"),
	.help = N_(
"Sync export options:\n"
"  -o, --output FILE   the bundle to write (mode 0600)\n"
"      --to SITE       the peer site; default: the coordination office\n"
"      --force         replace FILE if it exists\n"
"The bundle is signed with the network key beside the database\n"
"(totemdesk-sync.key, mode 0600).  For mission officers and\n"
"administrators.\n"),
	.options = sync_export_options,
	.args_min = 0,
	.args_max = 0,
	.exec = exec_sync_export,
};

const struct td_cli_command td_cmd_sync_import = {
	.name = "sync import",
	.usage = N_("FILE"),
	.summary = N_("check a bundle and apply its changes"),
	.help = N_(
"A bundle that is damaged, truncated, tampered with, of another network,\n"
"signed with another key, made by a newer totemdesk or imported already\n"
"is refused and nothing of it is applied (exit status 2).  One of an\n"
"older totemdesk is applied when its tables map onto this schema (the\n"
"columns added since take their defaults), else refused the same way.\n"),
	.args_min = 1,
	.args_max = 1,
	.exec = exec_sync_import,
};

static const struct td_cli_option sync_status_options[] = {
	{ "hash", 0, false },
	{ NULL, 0, false },
};

const struct td_cli_command td_cmd_sync_status = {
	.name = "sync status",
	.usage = N_("[--hash]"),
	.summary = N_("peers, last exchanges, pending changes, conflicts"),
	.help = N_(
"Sync status options:\n"
"      --hash          print the SHA-256 of the shared content only (two\n"
"                      databases that have exchanged everything agree)\n"),
	.options = sync_status_options,
	.args_min = 0,
	.args_max = 0,
	.exec = exec_sync_status,
};

static int exec_sync_over_ssh(const struct td_cli_args *a, bool push)
{
	struct td_sync_summary s;
	struct td_app *app = NULL;
	td_err err = { 0 };
	int rc;

	if ((rc = td_cmd_open_app(a, false, false, &app, &err)))
		return td_cmd_fail(rc, &err);
	rc = (push ? td_app_sync_push : td_app_sync_pull)(app, a->args[0],
		td_cli_opt(a, push ? "to" : "from"),
		td_cli_opt(a, "ssh-config"), &s, &err);
	td_app_close(app);
	if (rc)
		return td_cmd_fail_input(rc, &err);
	td_cli_printf(stderr, push
		? _("bundle %lld sent to %s: %ld changes, %ld applied there, %ld already there\n")
		: _("bundle %lld received from %s: %ld changes, %ld applied, %ld already here\n"),
		s.bundle, s.peer, s.entries, s.applied, s.skipped);
	return TD_EXIT_OK;
}

static int exec_sync_push(const struct td_cli_args *a)
{
	return exec_sync_over_ssh(a, true);
}

static int exec_sync_pull(const struct td_cli_args *a)
{
	return exec_sync_over_ssh(a, false);
}

static int exec_sync_serve(const struct td_cli_args *a)
{
	struct td_app *app = NULL;
	td_err err = { 0 };
	int rc;

	if (!td_cli_opt(a, "peer"))
		return td_cmd_usage_error(a,
			_("sync serve needs --peer SITE, the site whose key runs it"));
	if ((rc = td_cmd_open_app(a, false, false, &app, &err)))
		return td_cmd_fail(rc, &err);
	rc = td_app_sync_serve(app, td_cli_opt(a, "peer"), 0, 1, &err);
	td_app_close(app);
	return rc ? td_cmd_fail_input(rc, &err) : TD_EXIT_OK;
}

static const struct td_cli_option sync_push_options[] = {
	{ "to", 0, true },
	{ "ssh-config", 0, true },
	{ NULL, 0, false },
};

static const struct td_cli_option sync_pull_options[] = {
	{ "from", 0, true },
	{ "ssh-config", 0, true },
	{ NULL, 0, false },
};

static const struct td_cli_option sync_serve_options[] = {
	{ "peer", 0, true },
	{ NULL, 0, false },
};

const struct td_cli_command td_cmd_sync_push = {
	.name = "sync push",
	.usage = N_("[--to SITE] [--ssh-config FILE] HOST"),
	.summary = N_("send the changes to a site over ssh"),
	.help = N_(
"Sync push options:\n"
"      --to SITE       the site HOST serves (default: the coordination)\n"
"      --ssh-config FILE  ssh's configuration (ssh -F FILE)\n"
"HOST runs \"totemdesk sync serve --peer THIS-SITE\" as the forced command\n"
"of this site's key (README \"Multi-site exchange\").\n"),
	.options = sync_push_options,
	.args_min = 1,
	.args_max = 1,
	.exec = exec_sync_push,
};

const struct td_cli_command td_cmd_sync_pull = {
	.name = "sync pull",
	.usage = N_("[--from SITE] [--ssh-config FILE] HOST"),
	.summary = N_("fetch a site's changes over ssh and apply them"),
	.help = N_(
"Sync pull options:\n"
"      --from SITE     the site HOST serves (default: the coordination)\n"
"      --ssh-config FILE  ssh's configuration (ssh -F FILE)\n"),
	.options = sync_pull_options,
	.args_min = 1,
	.args_max = 1,
	.exec = exec_sync_pull,
};

const struct td_cli_command td_cmd_sync_serve = {
	.name = "sync serve",
	.usage = N_("--peer SITE"),
	.summary = N_("answer one push or pull on standard input (ssh forced command)"),
	.help = N_(
"Sync serve options:\n"
"      --peer SITE     the site whose key this is: only its bundles are\n"
"                      taken, and a pull gets what it has not acknowledged\n"
"For authorized_keys: command=\"totemdesk sync serve --peer MET\",restrict\n"),
	.options = sync_serve_options,
	.args_min = 0,
	.args_max = 0,
	.exec = exec_sync_serve,
};
