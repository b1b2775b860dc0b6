/* Configuration file loading and validation (libconfig). */
#include "totemdesk/config.h"
#include "totemdesk/bizdays.h"
#include "totemdesk/domain.h"
#include "totemdesk/i18n.h"
#include "totemdesk/intake.h"
#include "totemdesk/privilege.h"
#include "totemdesk/referral.h"

#include <ctype.h>
#include <errno.h>
#include <fcntl.h>
#include <libconfig.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

/* "FILE:LINE: message" for a setting (line 0 when libconfig has none). */
__attribute__((format(printf, 4, 5)))
static int fail(td_err *err, const char *path, const config_setting_t *s,
		const char *fmt, ...)
{
	char msg[400];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(msg, sizeof msg, fmt, ap);
	va_end(ap);
	int line = s ? config_setting_source_line(s) : 0;
	if (line > 0)
		return td_err_set(err, TD_ECONFIG, "%s:%d: %s", path, line, msg);
	return td_err_set(err, TD_ECONFIG, "%s: %s", path, msg);
}

static bool file_exists(const char *p)
{
	return p && *p && faccessat(AT_FDCWD, p, F_OK, AT_EACCESS) == 0;
}

/* A shared desk's configuration decides who is who: only root may be
 * able to change it. */
static int check_system_config(const char *path, td_err *err)
{
	struct stat sb;
	if (stat(path, &sb) != 0)
		return td_err_set(err, TD_ECONFIG,
			_("no configuration file found: a desk shared by the users of this host reads %s only; ask the administrator to create it"),
			path);
	if (sb.st_uid != 0 || (sb.st_mode & S_IWOTH) ||
	    ((sb.st_mode & S_IWGRP) && sb.st_gid != 0))
		return td_err_set(err, TD_ECONFIG,
			_("%s may be changed by somebody other than root (owner uid %u, mode %04o), so it cannot say who may do what: sudo chown root %s; sudo chmod go-w %s"),
			path, (unsigned)sb.st_uid, (unsigned)(sb.st_mode & 07777),
			path, path);
	return TD_OK;
}

int td_config_find(const char *explicit_path, char *out, size_t outsz,
		   td_err *err)
{
	if (td_priv_restricted()) {
		/* Not $TOTEMDESK_CONFIG, not ~/.config: the host's file
		 * (td_app_open refuses --config first). */
		int rc = check_system_config(TD_SYSTEM_CONFIG, err);
		if (rc == TD_OK)
			snprintf(out, outsz, "%s", TD_SYSTEM_CONFIG);
		return rc;
	}
	const char *env = getenv("TOTEMDESK_CONFIG");
	const char *given = explicit_path ? explicit_path
			    : (env && *env ? env : NULL);
	if (given) {
		if (!file_exists(given))
			return td_err_set(err, TD_ECONFIG,
				_("%s: configuration file not found"), given);
		snprintf(out, outsz, "%s", given);
		return TD_OK;
	}
	char buf[PATH_MAX];
	const char *xdg = getenv("XDG_CONFIG_HOME");
	const char *home = getenv("HOME");
	if (xdg && *xdg)
		snprintf(buf, sizeof buf, "%s/totemdesk/totemdesk.conf", xdg);
	else if (home && *home)
		snprintf(buf, sizeof buf, "%s/.config/totemdesk/totemdesk.conf",
			 home);
	else
		buf[0] = '\0';
	if (file_exists(buf)) {
		snprintf(out, outsz, "%s", buf);
		return TD_OK;
	}
	if (file_exists("/etc/totemdesk/totemdesk.conf")) {
		snprintf(out, outsz, "%s", "/etc/totemdesk/totemdesk.conf");
		return TD_OK;
	}
	return td_err_set(err, TD_ENOTFOUND,
		_("no configuration file found (tried --config, $TOTEMDESK_CONFIG, "
		  "%s and /etc/totemdesk/totemdesk.conf); copy config/totemdesk.conf "
		  "to one of them, or try --demo"),
		*buf ? buf : "$XDG_CONFIG_HOME/totemdesk/totemdesk.conf");
}

static const struct td_site_cfg default_sites[] = {
	{ "THI", "Thionville", "Thi'Pi – Pôle numérique", "Thionville",
	  "route de Manom, 57100 Thionville", false, TD_COUNTRY_FR },
	{ "MET", "Metz", "Bliiida", "Metz", "7 avenue de Blida, 57000 Metz",
	  false, TD_COUNTRY_FR },
	{ "NAN", "Nancy", "Totem French Tech de Nancy", "Nancy",
	  "Rives de Meurthe, 54000 Nancy", false, TD_COUNTRY_FR },
	{ "EPI", "Épinal", "Centre d'affaires du Pôle gare", "Épinal",
	  "Pôle gare, 88000 Épinal", false, TD_COUNTRY_FR },
	{ "COO", "Coordination", "Sillon Lorrain – coordination LORnTECH",
	  "Nancy", "", true, TD_COUNTRY_FR },
};

void td_config_defaults(struct td_config *cfg)
{
	memset(cfg, 0, sizeof *cfg);
	size_t n = sizeof default_sites / sizeof default_sites[0];
	memcpy(cfg->sites, default_sites, sizeof default_sites);
	cfg->nsites = n;
	strcpy(cfg->site, "MET");
	strcpy(cfg->language, "fr");
	cfg->color = true;
	snprintf(cfg->consent_text, sizeof cfg->consent_text, "%s",
		 _("I agree that LORnTECH keeps these details to follow my "
		   "project and passes them to the partners I am referred to."));
	strcpy(cfg->consent_version, "2026-01");
	cfg->followup_days = 5;
	cfg->draft_hours = 24;
	td_dup_weights_default(&cfg->dup);
}

void td_config_free(struct td_config *cfg)
{
	free(cfg->users);
	cfg->users = NULL;
	free(cfg->routing);
	cfg->routing = NULL;
	cfg->nusers = 0;
}

const struct td_site_cfg *td_config_site(const struct td_config *cfg,
					 const char *code)
{
	for (size_t i = 0; code && i < cfg->nsites; i++)
		if (strcmp(cfg->sites[i].code, code) == 0)
			return &cfg->sites[i];
	return NULL;
}

const struct td_user_cfg *td_config_user(const struct td_config *cfg,
					 const char *login)
{
	for (size_t i = 0; login && i < cfg->nusers; i++)
		if (strcmp(cfg->users[i].login, login) == 0)
			return &cfg->users[i];
	return NULL;
}

struct ctx {
	const char *path;
	td_err *err;
};

/* Copy a string member of group g into out; required members must exist.
 * Returns TD_OK, or TD_ECONFIG naming the setting. */
static int get_str(struct ctx *c, const config_setting_t *g, const char *name,
		   bool required, char *out, size_t outsz)
{
	config_setting_t *s = config_setting_get_member(g, name);
	if (!s) {
		if (required)
			return fail(c->err, c->path, g,
				    _("setting \"%s\" is missing"), name);
		return TD_OK;
	}
	if (config_setting_type(s) != CONFIG_TYPE_STRING)
		return fail(c->err, c->path, s,
			    _("setting \"%s\" must be a string in double quotes"),
			    name);
	const char *v = config_setting_get_string(s);
	if (strlen(v) >= outsz)
		return fail(c->err, c->path, s,
			    _("setting \"%s\" is too long (at most %zu bytes)"),
			    name, outsz - 1);
	memcpy(out, v, strlen(v) + 1);
	return TD_OK;
}

static int get_bool(struct ctx *c, const config_setting_t *g, const char *name,
		    bool *out)
{
	config_setting_t *s = config_setting_get_member(g, name);
	if (!s)
		return TD_OK;
	if (config_setting_type(s) != CONFIG_TYPE_BOOL)
		return fail(c->err, c->path, s,
			    _("setting \"%s\" must be true or false"), name);
	*out = config_setting_get_bool(s);
	return TD_OK;
}

/* Refuse members of g not in the NULL-terminated list known. */
static int check_members(struct ctx *c, const config_setting_t *g,
			 const char *const *known)
{
	int n = config_setting_length(g);
	for (int i = 0; i < n; i++) {
		config_setting_t *s = config_setting_get_elem(g, (unsigned)i);
		const char *name = config_setting_name(s);
		if (!name)
			continue;
		bool ok = false;
		for (const char *const *k = known; *k; k++)
			if (strcmp(*k, name) == 0)
				ok = true;
		if (!ok)
			return fail(c->err, c->path, s,
				    _("unknown setting \"%s\""), name);
	}
	return TD_OK;
}

static bool is_site_code(const char *s)
{
	return strlen(s) == 3 && isupper((unsigned char)s[0]) &&
	       isupper((unsigned char)s[1]) && isupper((unsigned char)s[2]);
}

static bool is_login(const char *s)
{
	if (!*s)
		return false;
	for (; *s; s++)
		if (!isalnum((unsigned char)*s) && !strchr("._-", *s))
			return false;
	return true;
}

static int load_sites(struct ctx *c, struct td_config *cfg,
		      config_setting_t *list)
{
	if (!config_setting_is_aggregate(list) || config_setting_is_group(list))
		return fail(c->err, c->path, list,
			    _("\"sites\" must be a list: sites = ( { code = \"MET\"; ... } );"));
	int n = config_setting_length(list);
	if (n == 0)
		return fail(c->err, c->path, list, _("\"sites\" is empty"));
	if (n > TD_MAX_SITES)
		return fail(c->err, c->path, list,
			    _("too many sites (at most %d)"), TD_MAX_SITES);
	cfg->nsites = 0;
	for (int i = 0; i < n; i++) {
		config_setting_t *g = config_setting_get_elem(list, (unsigned)i);
		static const char *const known[] = { "code", "name", "totem",
			"city", "address", "coordination", "country", NULL };
		char country[64] = "FR";
		struct td_site_cfg *s = &cfg->sites[cfg->nsites];
		char code[64] = "";
		memset(s, 0, sizeof *s);
		if (!config_setting_is_group(g))
			return fail(c->err, c->path, g,
				    _("each site must be a group { code = ...; name = ...; }"));
		int rc;
		if ((rc = check_members(c, g, known)) ||
		    (rc = get_str(c, g, "code", true, code, sizeof code)) ||
		    (rc = get_str(c, g, "name", true, s->name, sizeof s->name)) ||
		    (rc = get_str(c, g, "totem", false, s->totem, sizeof s->totem)) ||
		    (rc = get_str(c, g, "city", false, s->city, sizeof s->city)) ||
		    (rc = get_str(c, g, "address", false, s->address, sizeof s->address)) ||
		    (rc = get_bool(c, g, "coordination", &s->coordination)) ||
		    (rc = get_str(c, g, "country", false, country,
				  sizeof country)))
			return rc;
		if ((s->country = td_enum_find(&td_countries, country)) < 0)
			return fail(c->err, c->path,
				    config_setting_get_member(g, "country"),
				    _("country \"%s\" is not known: use FR, LU, DE, BE or other"),
				    country);
		config_setting_t *cs = config_setting_get_member(g, "code");
		if (!is_site_code(code))
			return fail(c->err, c->path, cs,
				    _("site code \"%s\" must be three capital letters, e.g. \"MET\""),
				    code);
		memcpy(s->code, code, 4);
		if (td_config_site(cfg, s->code))
			return fail(c->err, c->path, cs,
				    _("site \"%s\" is defined twice"), s->code);
		if (!*s->totem)
			memcpy(s->totem, s->name, strlen(s->name) + 1);
		cfg->nsites++;
	}
	return TD_OK;
}

static int load_users(struct ctx *c, struct td_config *cfg,
		      config_setting_t *list)
{
	if (!config_setting_is_aggregate(list) || config_setting_is_group(list))
		return fail(c->err, c->path, list,
			    _("\"users\" must be a list: users = ( { login = \"...\"; ... } );"));
	int n = config_setting_length(list);
	cfg->users = calloc((size_t)(n ? n : 1), sizeof *cfg->users);
	if (!cfg->users)
		return td_err_set(c->err, TD_ENOMEM, _("out of memory"));
	for (int i = 0; i < n; i++) {
		config_setting_t *g = config_setting_get_elem(list, (unsigned)i);
		static const char *const known[] = { "login", "name", "role",
			"site", NULL };
		struct td_user_cfg *u = &cfg->users[cfg->nusers];
		char role[32] = "";
		if (!config_setting_is_group(g))
			return fail(c->err, c->path, g,
				    _("each user must be a group { login = ...; name = ...; role = ...; site = ...; }"));
		int rc;
		if ((rc = check_members(c, g, known)) ||
		    (rc = get_str(c, g, "login", true, u->login, sizeof u->login)) ||
		    (rc = get_str(c, g, "name", true, u->name, sizeof u->name)) ||
		    (rc = get_str(c, g, "role", true, role, sizeof role)) ||
		    (rc = get_str(c, g, "site", true, u->site, sizeof u->site)))
			return rc;
		if (!is_login(u->login))
			return fail(c->err, c->path,
				    config_setting_get_member(g, "login"),
				    _("login \"%s\" may contain only letters, digits, '.', '_' and '-'"),
				    u->login);
		if (td_config_user(cfg, u->login))
			return fail(c->err, c->path,
				    config_setting_get_member(g, "login"),
				    _("user \"%s\" is defined twice"), u->login);
		u->role = td_enum_find(&td_roles, role);
		if (u->role < 0)
			return fail(c->err, c->path,
				    config_setting_get_member(g, "role"),
				    _("role \"%s\" is not one of reception, officer, admin"),
				    role);
		if (!td_config_site(cfg, u->site))
			return fail(c->err, c->path,
				    config_setting_get_member(g, "site"),
				    _("site \"%s\" is not defined"), u->site);
		cfg->nusers++;
	}
	return TD_OK;
}

static int load_ui(struct ctx *c, struct td_config *cfg, config_setting_t *g)
{
	static const char *const known[] = { "language", "color", "keys", NULL };
	int rc;
	if (!config_setting_is_group(g))
		return fail(c->err, c->path, g, _("\"ui\" must be a group { ... }"));
	if ((rc = check_members(c, g, known)) ||
	    (rc = get_str(c, g, "language", false, cfg->language,
			  sizeof cfg->language)) ||
	    (rc = get_bool(c, g, "color", &cfg->color)))
		return rc;
	if (strcmp(cfg->language, "fr") && strcmp(cfg->language, "en"))
		return fail(c->err, c->path, config_setting_get_member(g, "language"),
			    _("language \"%s\" is not \"fr\" or \"en\""),
			    cfg->language);
	config_setting_t *keys = config_setting_get_member(g, "keys");
	if (!keys)
		return TD_OK;
	if (!config_setting_is_group(keys))
		return fail(c->err, c->path, keys,
			    _("\"keys\" must be a group: keys = { save = \"F2, ^O\"; };"));
	int n = config_setting_length(keys);
	for (int i = 0; i < n; i++) {
		config_setting_t *k = config_setting_get_elem(keys, (unsigned)i);
		if (cfg->nkeys == TD_MAX_KEY_OVERRIDES)
			return fail(c->err, c->path, k, _("too many key settings"));
		struct td_key_cfg *kc = &cfg->keys[cfg->nkeys];
		if (config_setting_type(k) != CONFIG_TYPE_STRING)
			return fail(c->err, c->path, k,
				    _("key setting \"%s\" must be a string such as \"F2, ^O\""),
				    config_setting_name(k));
		snprintf(kc->action, sizeof kc->action, "%s", config_setting_name(k));
		const char *v = config_setting_get_string(k);
		if (strlen(v) >= sizeof kc->keys)
			return fail(c->err, c->path, k, _("key list too long"));
		memcpy(kc->keys, v, strlen(v) + 1);
		kc->line = config_setting_source_line(k);
		cfg->nkeys++;
	}
	return TD_OK;
}

static int load_intake(struct ctx *c, struct td_config *cfg,
		       config_setting_t *g)
{
	static const char *const known[] = { "required", "consent_text",
		"consent_version", "draft_hours", NULL };
	int rc;
	if (!config_setting_is_group(g))
		return fail(c->err, c->path, g, _("\"intake\" must be a group { ... }"));
	config_setting_t *dh = config_setting_get_member(g, "draft_hours");
	if (dh) {
		/* A draft holds details given before consent: kept hours, at
		 * most a month, never for ever. */
		if (config_setting_type(dh) != CONFIG_TYPE_INT)
			return fail(c->err, c->path, dh,
				    _("\"draft_hours\" must be a whole number of hours, e.g. 24"));
		int v = config_setting_get_int(dh);
		if (v < 1 || v > 720)
			return fail(c->err, c->path, dh,
				    _("\"draft_hours\" must be between 1 and 720 hours, not %d"),
				    v);
		cfg->draft_hours = v;
	}
	if ((rc = check_members(c, g, known)) ||
	    (rc = get_str(c, g, "consent_text", false, cfg->consent_text,
			  sizeof cfg->consent_text)) ||
	    (rc = get_str(c, g, "consent_version", false, cfg->consent_version,
			  sizeof cfg->consent_version)))
		return rc;
	config_setting_t *req = config_setting_get_member(g, "required");
	if (!req)
		return TD_OK;
	if (!config_setting_is_array(req) && !config_setting_is_list(req))
		return fail(c->err, c->path, req,
			    _("\"required\" must be an array of field names, e.g. [\"postcode\", \"city\"]"));
	int n = config_setting_length(req);
	for (int i = 0; i < n; i++) {
		config_setting_t *e = config_setting_get_elem(req, (unsigned)i);
		const char *name = config_setting_get_string(e);
		int f = name ? td_field_find(name) : -1;
		if (f < 0)
			return fail(c->err, c->path, req,
				    _("\"%s\" is not a field name (use e.g. postcode, city, project_title, stage, sector, company_id)"),
				    name ? name : "?");
		if (td_fields[f].required)
			continue; /* always required anyway */
		if (!td_field_may_require((enum td_field_id)f))
			return fail(c->err, c->path, req,
				    _("field \"%s\" cannot be made required"), name);
		cfg->required_extra |= 1u << f;
	}
	return TD_OK;
}

/* "duplicates": the weights of the duplicate check (similar.h), each an
 * integer number of points; missing ones keep their default. */
static int load_duplicates(struct ctx *c, struct td_config *cfg,
			   config_setting_t *g)
{
	static const struct {
		const char *name;
		size_t off;
	} weights[] = {
#define W(m) { #m, offsetof(struct td_dup_weights, m) }
		W(email), W(phone), W(siret), W(name_exact), W(name_typo),
		W(name_swap), W(postcode_same), W(postcode_differs),
		W(title_same), W(threshold),
#undef W
	};
	static const char *const known[] = { "email", "phone", "siret",
		"name_exact", "name_typo", "name_swap", "postcode_same",
		"postcode_differs", "title_same", "threshold", NULL };
	int rc;

	if (!config_setting_is_group(g))
		return fail(c->err, c->path, g,
			    _("\"duplicates\" must be a group { threshold = 50; ... }"));
	if ((rc = check_members(c, g, known)))
		return rc;
	for (size_t i = 0; i < sizeof weights / sizeof weights[0]; i++) {
		config_setting_t *s = config_setting_get_member(g,
							       weights[i].name);
		if (!s)
			continue;
		if (config_setting_type(s) != CONFIG_TYPE_INT)
			return fail(c->err, c->path, s,
				    _("setting \"%s\" must be a whole number of points, e.g. 50"),
				    weights[i].name);
		int v = config_setting_get_int(s);
		bool threshold = strcmp(weights[i].name, "threshold") == 0;
		if (v < (threshold ? 1 : 0) || v > 1000)
			return fail(c->err, c->path, s,
				    _("setting \"%s\" must be between %d and 1000"),
				    weights[i].name, threshold ? 1 : 0);
		memcpy((char *)&cfg->dup + weights[i].off, &v, sizeof v);
	}
	return TD_OK;
}

/* retention = { closed_months = 36; untouched_months = 24;
 *               audit_years = 6; }; (0: off).  The drafts' delay is
 * intake.draft_hours (issue 13), one setting. */
static int load_retention(struct ctx *c, struct td_config *cfg,
			  config_setting_t *g)
{
	static const struct {
		const char *name;
		int max;
		size_t off;
	} keys[] = {
		{ "closed_months", 1200, offsetof(struct td_config, retention.closed_months) },
		{ "untouched_months", 1200, offsetof(struct td_config, retention.untouched_months) },
		{ "audit_years", 100, offsetof(struct td_config, retention.audit_years) },
	};
	static const char *const known[] = { "closed_months",
		"untouched_months", "audit_years", NULL };
	int rc;
	if (!config_setting_is_group(g))
		return fail(c->err, c->path, g,
			    _("\"retention\" must be a group { closed_months = 36; untouched_months = 24; audit_years = 6; }"));
	if ((rc = check_members(c, g, known)))
		return rc;
	for (size_t i = 0; i < sizeof keys / sizeof *keys; i++) {
		config_setting_t *s = config_setting_get_member(g, keys[i].name);
		if (!s)
			continue;
		int v = config_setting_type(s) == CONFIG_TYPE_INT
			? config_setting_get_int(s) : -1;
		if (v < 0 || v > keys[i].max)
			return fail(c->err, c->path, s,
				    _("\"%s\" must be a whole number from 0 (off) to %d"),
				    keys[i].name, keys[i].max);
		memcpy((char *)cfg + keys[i].off, &v, sizeof v);
	}
	return TD_OK;
}

/* followup = { delay = 5; holidays = [ "2026-12-25", ... ]; }; */
static int load_followup(struct ctx *c, struct td_config *cfg,
			 config_setting_t *g)
{
	static const char *const known[] = { "delay", "holidays", NULL };
	int rc;
	if (!config_setting_is_group(g))
		return fail(c->err, c->path, g,
			    _("\"followup\" must be a group { delay = 5; holidays = [ ... ]; }"));
	if ((rc = check_members(c, g, known)))
		return rc;
	config_setting_t *d = config_setting_get_member(g, "delay");
	if (d) {
		if (config_setting_type(d) != CONFIG_TYPE_INT)
			return fail(c->err, c->path, d,
				    _("\"delay\" must be a whole number of working days, e.g. 5"));
		int v = config_setting_get_int(d);
		if (v < 1 || v > 250)
			return fail(c->err, c->path, d,
				    _("\"delay\" must be between 1 and 250 working days, not %d"),
				    v);
		cfg->followup_days = v;
	}
	config_setting_t *h = config_setting_get_member(g, "holidays");
	if (!h)
		return TD_OK;
	if (!config_setting_is_array(h) && !config_setting_is_list(h))
		return fail(c->err, c->path, h,
			    _("\"holidays\" must be an array of dates, e.g. [\"2026-12-25\"]"));
	int n = config_setting_length(h);
	if (n > TD_MAX_HOLIDAYS)
		return fail(c->err, c->path, h,
			    _("too many holidays (at most %d)"), TD_MAX_HOLIDAYS);
	cfg->nholidays = 0;
	for (int i = 0; i < n; i++) {
		config_setting_t *e = config_setting_get_elem(h, (unsigned)i);
		const char *v = config_setting_get_string(e);
		int day;
		if (!v || td_day_parse(v, &day) != 0)
			return fail(c->err, c->path, e,
				    _("holiday \"%s\" is not a date: use YYYY-MM-DD, e.g. \"2026-12-25\""),
				    v ? v : "?");
		cfg->holidays[cfg->nholidays++] = day;
	}
	cfg->nholidays = td_calendar_normalize(cfg->holidays, cfg->nholidays);
	return TD_OK;
}

/* "YYYY-MM-DD" naming a real calendar day? */
static bool is_date(const char *s)
{
	int y, m, d;
	char extra;
	static const int mdays[] = { 31, 29, 31, 30, 31, 30, 31, 31, 30, 31,
				     30, 31 };
	if (strlen(s) != 10 || s[4] != '-' || s[7] != '-' ||
	    sscanf(s, "%4d-%2d-%2d%c", &y, &m, &d, &extra) != 3)
		return false;
	for (int i = 0; i < 10; i++)
		if (i != 4 && i != 7 && !isdigit((unsigned char)s[i]))
			return false;
	if (y < 1900 || m < 1 || m > 12 || d < 1 || d > mdays[m - 1])
		return false;
	return !(m == 2 && d == 29 &&
		 !((y % 4 == 0 && y % 100 != 0) || y % 400 == 0));
}

static int load_goal(struct ctx *c, struct td_goal_cfg *gl,
		     config_setting_t *g)
{
	static const char *const known[] = { "name", "target", "from", "to",
		"status", NULL };
	int rc;
	if (!config_setting_is_group(g))
		return fail(c->err, c->path, g,
			    _("each goal must be a group { name = \"...\"; target = 100; from = \"2026-01-01\"; to = \"2028-12-31\"; status = [\"supported\"]; }"));
	memset(gl, 0, sizeof *gl);
	gl->line = config_setting_source_line(g);
	if ((rc = check_members(c, g, known)) ||
	    (rc = get_str(c, g, "name", true, gl->name, sizeof gl->name)) ||
	    (rc = get_str(c, g, "from", true, gl->from, sizeof gl->from)) ||
	    (rc = get_str(c, g, "to", true, gl->to, sizeof gl->to)))
		return rc;
	config_setting_t *t = config_setting_get_member(g, "target");
	if (!t)
		return fail(c->err, c->path, g, _("setting \"%s\" is missing"),
			    "target");
	if (config_setting_type(t) != CONFIG_TYPE_INT &&
	    config_setting_type(t) != CONFIG_TYPE_INT64)
		return fail(c->err, c->path, t,
			    _("goal target must be a whole number, e.g. target = 100;"));
	long long target = config_setting_get_int64(t);
	if (config_setting_type(t) == CONFIG_TYPE_INT)
		target = config_setting_get_int(t);
	if (target <= 0 || target > 100000000)
		return fail(c->err, c->path, t,
			    _("goal target %lld must be between 1 and 100000000"),
			    target);
	gl->target = (long)target;
	const char *dates[2] = { gl->from, gl->to };
	const char *names[2] = { "from", "to" };
	for (int i = 0; i < 2; i++)
		if (!is_date(dates[i]))
			return fail(c->err, c->path,
				    config_setting_get_member(g, names[i]),
				    _("\"%s\" is not a date: write YYYY-MM-DD, e.g. \"2026-01-01\""),
				    dates[i]);
	if (strcmp(gl->from, gl->to) > 0)
		return fail(c->err, c->path, config_setting_get_member(g, "to"),
			    _("the goal ends (%s) before it starts (%s)"),
			    gl->to, gl->from);
	config_setting_t *st = config_setting_get_member(g, "status");
	if (!st)
		return fail(c->err, c->path, g, _("setting \"%s\" is missing"),
			    "status");
	if (!config_setting_is_array(st) && !config_setting_is_list(st))
		return fail(c->err, c->path, st,
			    _("\"status\" must be an array of statuses, e.g. [\"supported\", \"closed\"]"));
	int n = config_setting_length(st);
	for (int i = 0; i < n; i++) {
		config_setting_t *e = config_setting_get_elem(st, (unsigned)i);
		const char *code = config_setting_get_string(e);
		int k = code ? td_enum_find(&td_statuses, code) : -1;
		if (k < 0)
			return fail(c->err, c->path, st,
				    _("\"%s\" is not a status (use new, triaged, referred, supported, closed, on_hold)"),
				    code ? code : "?");
		gl->statuses |= 1u << k;
	}
	if (!gl->statuses)
		return fail(c->err, c->path, st,
			    _("\"status\" is empty: name at least one status"));
	return TD_OK;
}

static int load_goals(struct ctx *c, struct td_config *cfg,
		      config_setting_t *list)
{
	if (!config_setting_is_list(list))
		return fail(c->err, c->path, list,
			    _("\"goals\" must be a list: goals = ( { name = \"...\"; target = 100; ... } );"));
	int n = config_setting_length(list);
	if (n > TD_MAX_GOALS)
		return fail(c->err, c->path, list,
			    _("too many goals (at most %d)"), TD_MAX_GOALS);
	for (int i = 0; i < n; i++) {
		int rc = load_goal(c, &cfg->goals[i],
				   config_setting_get_elem(list, (unsigned)i));
		if (rc)
			return rc;
		cfg->ngoals++;
	}
	return TD_OK;
}

int td_config_load(const char *path, struct td_config *cfg, td_err *err)
{
	config_t lc;
	struct ctx c = { path, err };
	int rc = TD_OK;

	td_config_defaults(cfg);
	snprintf(cfg->path, sizeof cfg->path, "%s", path);
	FILE *f = fopen(path, "r");
	if (!f)
		return td_err_set(err, TD_ECONFIG, _("%s: cannot read: %s"), path,
				  strerror(errno));
	config_init(&lc);
	if (config_read(&lc, f) != CONFIG_TRUE) {
		rc = td_err_set(err, TD_ECONFIG, "%s:%d: %s", path,
				config_error_line(&lc),
				config_error_text(&lc));
		goto out;
	}
	config_setting_t *root = config_root_setting(&lc);
	static const char *const known[] = { "site", "database", "sites",
		"users", "ui", "intake", "duplicates", "routing", "followup", "goals", "retention", NULL };
	if ((rc = check_members(&c, root, known)))
		goto out;

	config_setting_t *s;
	if ((s = config_setting_get_member(root, "sites")) &&
	    (rc = load_sites(&c, cfg, s)))
		goto out;
	if (!config_setting_get_member(root, "site")) {
		/* The top level has no line of its own: name the first
		 * line, and the codes to choose from. */
		char codes[TD_MAX_SITES * 5] = "";
		for (size_t i = 0; i < cfg->nsites; i++)
			snprintf(codes + strlen(codes), sizeof codes - strlen(codes),
				 "%s%s", i ? ", " : "", cfg->sites[i].code);
		rc = td_err_set(err, TD_ECONFIG,
			_("%s:1: setting \"site\" is missing at the top level of the file: say which site this installation serves, e.g. site = \"%s\"; (one of %s)"),
			path, cfg->sites[0].code, codes);
		goto out;
	}
	if ((rc = get_str(&c, root, "site", true, cfg->site, sizeof cfg->site)))
		goto out;
	if (!td_config_site(cfg, cfg->site)) {
		rc = fail(err, path, config_setting_get_member(root, "site"),
			  _("site \"%s\" is not defined"), cfg->site);
		goto out;
	}
	if ((rc = get_str(&c, root, "database", false, cfg->database,
			  sizeof cfg->database)))
		goto out;
	if ((s = config_setting_get_member(root, "users")) &&
	    (rc = load_users(&c, cfg, s)))
		goto out;
	if ((s = config_setting_get_member(root, "ui")) &&
	    (rc = load_ui(&c, cfg, s)))
		goto out;
	if ((s = config_setting_get_member(root, "intake")) &&
	    (rc = load_intake(&c, cfg, s)))
		goto out;
	if ((s = config_setting_get_member(root, "goals")) &&
	    (rc = load_goals(&c, cfg, s)))
		goto out;
	if ((s = config_setting_get_member(root, "followup")) &&
	    (rc = load_followup(&c, cfg, s)))
		goto out;
	if ((s = config_setting_get_member(root, "retention")) &&
	    (rc = load_retention(&c, cfg, s)))
		goto out;
	if ((s = config_setting_get_member(root, "duplicates")) &&
	    (rc = load_duplicates(&c, cfg, s)))
		goto out;
	if ((s = config_setting_get_member(root, "routing")) &&
	    (rc = td_routing_load(path, s, cfg, err)))
		goto out;
out:
	config_destroy(&lc);
	fclose(f);
	if (rc)
		td_config_free(cfg);
	return rc;
}
