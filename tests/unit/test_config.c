/* Configuration loading: the shipped example, and every kind of mistake
 * reported as FILE:LINE: message. */
#include "totemdesk/config.h"
#include "totemdesk/domain.h"
#include "totemdesk/intake.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

static char dir[] = "/tmp/td-config-XXXXXX";

static const char *write_conf(const char *name, const char *text)
{
	static char path[256];
	snprintf(path, sizeof path, "%s/%s", dir, name);
	FILE *f = fopen(path, "w");
	assert_non_null(f);
	fputs(text, f);
	fclose(f);
	return path;
}

#define SITES \
	"sites = ( { code = \"MET\"; name = \"Metz\"; totem = \"Bliiida\"; },\n" \
	"          { code = \"NAN\"; name = \"Nancy\"; } );\n"

static void shipped_example_loads(void **state)
{
	struct td_config cfg;
	td_err err = { 0 };
	char path[1024];
	snprintf(path, sizeof path, "%s/config/totemdesk.conf",
		 getenv("SOURCE_ROOT"));
	assert_int_equal(td_config_load(path, &cfg, &err), TD_OK);
	assert_string_equal(cfg.site, "MET");
	assert_int_equal(cfg.nsites, 5);
	const struct td_site_cfg *epi = td_config_site(&cfg, "EPI");
	assert_non_null(epi);
	assert_string_equal(epi->name, "Épinal");
	assert_true(td_config_site(&cfg, "COO")->coordination);
	assert_int_equal(epi->country, TD_COUNTRY_FR);
	assert_int_equal(td_config_site(&cfg, "THI")->country, TD_COUNTRY_FR);
	const struct td_user_cfg *u = td_config_user(&cfg, "jmarchal");
	assert_non_null(u);
	assert_int_equal(u->role, TD_ROLE_OFFICER);
	assert_string_equal(cfg.language, "fr");
	assert_true(cfg.required_extra & (1u << TD_F_POSTCODE));
	assert_true(cfg.required_extra & (1u << TD_F_TITLE));
	assert_false(cfg.required_extra & (1u << TD_F_CITY));
	assert_string_equal(cfg.consent_version, "2026-01");
	td_config_free(&cfg);
}

/* Each bad file must fail with TD_ECONFIG and exactly this message. */
static void expect_error(const char *text, const char *expected)
{
	struct td_config cfg;
	td_err err = { 0 };
	const char *path = write_conf("bad.conf", text);
	char want[600];
	snprintf(want, sizeof want, "%s:%s", path, expected);
	assert_int_equal(td_config_load(path, &cfg, &err), TD_ECONFIG);
	assert_string_equal(err.msg, want);
	assert_null(cfg.users);
}

static void errors_name_file_line_setting(void **state)
{
	expect_error(SITES "site = \"MTZ\";\n",
		     "3: site \"MTZ\" is not defined");
	expect_error(SITES "site = \"MET\";\nstie = 1;\n",
		     "4: unknown setting \"stie\"");
	expect_error(SITES "site = \"MET\";\nusers = ( { login = \"ana\"; );\n",
		     "4: syntax error");
	expect_error(SITES "site = \"MET\";\n"
		     "users = ( { login = \"ana\"; name = \"Ana\"; role = \"boss\"; site = \"MET\"; } );\n",
		     "4: role \"boss\" is not one of reception, officer, admin");
	expect_error(SITES "site = \"MET\";\n"
		     "users = ( { login = \"ana\"; name = \"Ana\"; role = \"officer\";\n"
		     "            site = \"XYZ\"; } );\n",
		     "5: site \"XYZ\" is not defined");
	expect_error(SITES "site = \"MET\";\n"
		     "users = ( { login = \"ana\"; name = \"A\"; role = \"officer\"; site = \"MET\"; },\n"
		     "          { login = \"ana\"; name = \"B\"; role = \"officer\"; site = \"MET\"; } );\n",
		     "5: user \"ana\" is defined twice");
	expect_error("sites = ( { code = \"Metz\"; name = \"Metz\"; } );\nsite = \"Metz\";\n",
		     "1: site code \"Metz\" must be three capital letters, e.g. \"MET\"");
	expect_error(SITES "site = \"MET\";\nui = { language = \"de\"; };\n",
		     "4: language \"de\" is not \"fr\" or \"en\"");
	expect_error(SITES "site = \"MET\";\nui = { color = \"yes\"; };\n",
		     "4: setting \"color\" must be true or false");
	expect_error(SITES "site = \"MET\";\nintake = { required = [ \"shoe_size\" ]; };\n",
		     "4: \"shoe_size\" is not a field name (use e.g. postcode, city, project_title, stage, sector, company_id)");
	expect_error("sites = ( { code = \"MET\"; name = \"Metz\";\n"
		     "  country = \"Lux\"; } );\nsite = \"MET\";\n",
		     "2: country \"Lux\" is not known: use FR, LU, DE, BE or other");
	expect_error(SITES "site = \"MET\";\nintake = { required = [ \"needs\", \"consent\", \"last_name\" ]; colour = 1; };\n",
		     "4: unknown setting \"colour\"");
	expect_error(SITES "site = 42;\n",
		     "3: setting \"site\" must be a string in double quotes");
	/* Without a sites list the built-in five apply. */
	expect_error("site = \"MTZ\";\n", "1: site \"MTZ\" is not defined");
}

static void missing_file(void **state)
{
	struct td_config cfg;
	td_err err = { 0 };
	char path[300];
	snprintf(path, sizeof path, "%s/none.conf", dir);
	assert_int_equal(td_config_load(path, &cfg, &err), TD_ECONFIG);
	assert_non_null(strstr(err.msg, "none.conf"));
}

static void lookup_order(void **state)
{
	char out[1024];
	td_err err = { 0 };
	const char *a = write_conf("a.conf", SITES "site = \"MET\";\n");
	char xdg[300];
	snprintf(xdg, sizeof xdg, "%s/xdg", dir);

	/* Explicit beats environment. */
	setenv("TOTEMDESK_CONFIG", "/nonexistent/x.conf", 1);
	assert_int_equal(td_config_find(a, out, sizeof out, &err), TD_OK);
	assert_string_equal(out, a);
	/* An environment path that does not exist is an error, not a
	 * silent fall-through. */
	assert_int_equal(td_config_find(NULL, out, sizeof out, &err), TD_ECONFIG);
	assert_non_null(strstr(err.msg, "/nonexistent/x.conf"));
	setenv("TOTEMDESK_CONFIG", "", 1);
	setenv("XDG_CONFIG_HOME", xdg, 1);
	int rc = td_config_find(NULL, out, sizeof out, &err);
	if (access("/etc/totemdesk/totemdesk.conf", F_OK) != 0)
		assert_int_equal(rc, TD_ENOTFOUND);
	char d2[400];
	snprintf(d2, sizeof d2, "%s/totemdesk", xdg);
	mkdir(xdg, 0700);
	mkdir(d2, 0700);
	char p2[500];
	snprintf(p2, sizeof p2, "%s/totemdesk.conf", d2);
	FILE *f = fopen(p2, "w");
	fputs("x", f);
	fclose(f);
	assert_int_equal(td_config_find(NULL, out, sizeof out, &err), TD_OK);
	assert_string_equal(out, p2);
}

static void defaults_have_the_four_totems(void **state)
{
	struct td_config cfg;
	td_config_defaults(&cfg);
	const char *codes[] = { "THI", "MET", "NAN", "EPI", "COO" };
	for (size_t i = 0; i < 5; i++)
		assert_non_null(td_config_site(&cfg, codes[i]));
	assert_null(td_config_site(&cfg, "MTZ"));
	td_config_free(&cfg);
}

int main(void)
{
	assert_non_null(mkdtemp(dir));
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(shipped_example_loads),
		cmocka_unit_test(errors_name_file_line_setting),
		cmocka_unit_test(missing_file),
		cmocka_unit_test(lookup_order),
		cmocka_unit_test(defaults_have_the_four_totems),
	};
	int rc = cmocka_run_group_tests(tests, NULL, NULL);
	char cmd[200];
	snprintf(cmd, sizeof cmd, "rm -rf %s", dir);
	if (system(cmd) != 0)
		rc = 1;
	return rc;
}
