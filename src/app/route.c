/* The "routing" group of the configuration and the suggestions of the
 * Route screen: rules from the file, directory from the store, ranking in
 * core. */
#include "app_int.h"
#include "totemdesk/app.h"
#include "totemdesk/i18n.h"
#include "totemdesk/vec.h"
#include "totemdesk/partner.h"
#include "totemdesk/referral.h"
#include "store/partner.h"

#include <ctype.h>
#include <libconfig.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* ---- configuration ----------------------------------------------------- */

void td_routing_defaults(struct td_routing *r)
{
	memset(r, 0, sizeof *r);
	r->suggestions = 5;
	r->followup_days[TD_RS_PROPOSED] = 2;
	r->followup_days[TD_RS_SENT] = 7;
	r->followup_days[TD_RS_MEETING] = 14;
	r->followup_days[TD_RS_NO_ANSWER] = 7;
}

struct lctx {
	const char *path;
	const struct td_config *cfg;
	td_err *err;
};

__attribute__((format(printf, 3, 4)))
static int bad(struct lctx *c, const config_setting_t *s, const char *fmt, ...)
{
	char msg[400];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(msg, sizeof msg, fmt, ap);
	va_end(ap);
	int line = s ? config_setting_source_line(s) : 0;
	if (line > 0)
		return td_err_set(c->err, TD_ECONFIG, "%s:%d: %s", c->path, line,
				  msg);
	return td_err_set(c->err, TD_ECONFIG, "%s: %s", c->path, msg);
}

static int get_int(struct lctx *c, const config_setting_t *g,
		   const char *name, int lo, int hi, int *out)
{
	config_setting_t *s = config_setting_get_member(g, name);
	if (!s)
		return TD_OK;
	if (config_setting_type(s) != CONFIG_TYPE_INT)
		return bad(c, s, _("setting \"%s\" must be a whole number"), name);
	int v = config_setting_get_int(s);
	if (v < lo || v > hi)
		return bad(c, s, _("setting \"%s\" must be between %d and %d"),
			   name, lo, hi);
	*out = v;
	return TD_OK;
}

/* Walk a setting that is one string or an array/list of strings. */
static int each_string(struct lctx *c, const config_setting_t *s,
		       const char *name,
		       int (*cb)(struct lctx *c, const config_setting_t *s,
				 const char *v, void *ctx), void *ctx)
{
	if (config_setting_type(s) == CONFIG_TYPE_STRING)
		return cb(c, s, config_setting_get_string(s), ctx);
	if (!config_setting_is_array(s) && !config_setting_is_list(s))
		return bad(c, s,
			   _("\"%s\" must be a string or an array of strings, e.g. [\"MET\", \"NAN\"]"),
			   name);
	int n = config_setting_length(s);
	for (int i = 0; i < n; i++) {
		config_setting_t *e = config_setting_get_elem(s, (unsigned)i);
		const char *v = config_setting_get_string(e);
		if (!v)
			return bad(c, s, _("\"%s\" must hold strings only"), name);
		int rc = cb(c, s, v, ctx);
		if (rc)
			return rc;
	}
	return TD_OK;
}

struct mask_ctx {
	const struct td_enum *e;
	const char *what;
	unsigned *mask;
};

static int add_code(struct lctx *c, const config_setting_t *s, const char *v,
		    void *vctx)
{
	struct mask_ctx *m = vctx;
	int i = td_enum_find(m->e, v);
	if (i < 0 || !*v) {
		char list[256] = "";
		size_t len = 0;
		for (size_t k = 0; k < m->e->count; k++) {
			const char *code = m->e->entries[k].code;
			if (!*code)
				continue;
			int w = snprintf(list + len, sizeof list - len, "%s%s",
					 len ? ", " : "", code);
			if (w < 0 || (size_t)w >= sizeof list - len)
				break;
			len += (size_t)w;
		}
		return bad(c, s, _("unknown %s \"%s\" (use %s)"), m->what, v,
			   list);
	}
	*m->mask |= 1u << i;
	return TD_OK;
}

static int add_site(struct lctx *c, const config_setting_t *s, const char *v,
		    void *vctx)
{
	struct td_route_rule *r = vctx;
	size_t len = strlen(r->sites);
	if (!td_config_site(c->cfg, v))
		return bad(c, s, _("site \"%s\" is not defined under \"sites\""), v);
	if (len + strlen(v) + 2 > sizeof r->sites)
		return bad(c, s, _("too many sites in one rule"));
	snprintf(r->sites + len, sizeof r->sites - len, "%s%s", len ? "|" : "", v);
	return TD_OK;
}

static bool slug(const char *s)
{
	if (!*s || strlen(s) > TD_PARTNER_ID_MAX)
		return false;
	for (; *s; s++)
		if (!islower((unsigned char)*s) && !isdigit((unsigned char)*s) &&
		    *s != '-')
			return false;
	return true;
}

static int load_rule(struct lctx *c, config_setting_t *g, int idx,
		     struct td_route_rule *r)
{
	static const char *const known[] = { "name", "site", "stage", "sector",
		"needs", "siret", "country", "partner", "kind", "weight", "stop",
		NULL };
	config_setting_t *s;
	int rc;

	memset(r, 0, sizeof *r);
	r->kind = -1;
	r->siret = -1;
	r->weight = 100;
	r->line = config_setting_source_line(g);
	snprintf(r->name, sizeof r->name, "#%d", idx + 1);
	if (!config_setting_is_group(g))
		return bad(c, g,
			   _("each routing rule must be a group { name = ...; needs = ...; partner = ...; }"));
	int n = config_setting_length(g);
	for (int i = 0; i < n; i++) {
		s = config_setting_get_elem(g, (unsigned)i);
		const char *name = config_setting_name(s);
		bool ok = false;
		for (const char *const *k = known; *k; k++)
			if (name && strcmp(*k, name) == 0)
				ok = true;
		if (!ok)
			return bad(c, s,
				   _("unknown setting \"%s\" in a routing rule (use name, site, stage, sector, needs, siret, country, partner, kind, weight, stop)"),
				   name ? name : "?");
	}
	if ((s = config_setting_get_member(g, "name"))) {
		const char *v = config_setting_get_string(s);
		if (!v || !*v || strlen(v) >= sizeof r->name)
			return bad(c, s,
				   _("\"name\" must be a string of 1 to %zu bytes"),
				   sizeof r->name - 1);
		snprintf(r->name, sizeof r->name, "%s", v);
	}
	if ((s = config_setting_get_member(g, "site")) &&
	    (rc = each_string(c, s, "site", add_site, r)))
		return rc;
	struct mask_ctx st = { &td_stages, _("stage"), &r->stages };
	struct mask_ctx se = { &td_sectors, _("sector"), &r->sectors };
	struct mask_ctx ne = { &td_needs, _("need"), &r->needs };
	if ((s = config_setting_get_member(g, "stage")) &&
	    (rc = each_string(c, s, "stage", add_code, &st)))
		return rc;
	if ((s = config_setting_get_member(g, "sector")) &&
	    (rc = each_string(c, s, "sector", add_code, &se)))
		return rc;
	if ((s = config_setting_get_member(g, "needs")) &&
	    (rc = each_string(c, s, "needs", add_code, &ne)))
		return rc;
	struct mask_ctx co = { &td_countries, _("country"), &r->countries };
	if ((s = config_setting_get_member(g, "country")) &&
	    (rc = each_string(c, s, "country", add_code, &co)))
		return rc;
	if ((s = config_setting_get_member(g, "siret"))) {
		if (config_setting_type(s) != CONFIG_TYPE_BOOL)
			return bad(c, s,
				   _("\"siret\" must be true (SIRET given) or false (no SIRET)"));
		r->siret = config_setting_get_bool(s) ? 1 : 0;
	}
	if ((s = config_setting_get_member(g, "partner"))) {
		const char *v = config_setting_get_string(s);
		if (!v || !slug(v))
			return bad(c, s,
				   _("\"partner\" must be a partner id such as \"initiative-metz\""));
		snprintf(r->partner, sizeof r->partner, "%s", v);
	}
	if ((s = config_setting_get_member(g, "kind"))) {
		const char *v = config_setting_get_string(s);
		r->kind = v ? td_enum_find(&td_partner_kinds, v) : -1;
		if (r->kind < 0)
			return bad(c, s,
				   _("\"kind\" must be one of advice, funding, hosting, network"));
	}
	if ((rc = get_int(c, g, "weight", -1000, 1000, &r->weight)))
		return rc;
	if ((s = config_setting_get_member(g, "stop"))) {
		if (config_setting_type(s) != CONFIG_TYPE_BOOL)
			return bad(c, s, _("\"stop\" must be true or false"));
		r->stop = config_setting_get_bool(s);
	}
	if (!r->partner[0] && r->kind < 0 && !r->stop)
		return bad(c, g,
			   _("routing rule \"%s\" does nothing: give it a partner, a kind or stop = true"),
			   r->name);
	if (r->partner[0] && r->kind >= 0)
		return bad(c, g,
			   _("routing rule \"%s\" names both a partner and a kind; split it in two rules"),
			   r->name);
	return TD_OK;
}

int td_routing_load(const char *path, struct config_setting_t *g,
		    struct td_config *cfg, td_err *err)
{
	static const char *const known[] = { "suggestions", "followup_days",
		"rules", NULL };
	struct lctx c = { path, cfg, err };
	struct td_routing *r;
	config_setting_t *s;
	int rc;

	if (!config_setting_is_group(g))
		return bad(&c, g, _("\"routing\" must be a group { rules = ( ... ); }"));
	int n = config_setting_length(g);
	for (int i = 0; i < n; i++) {
		s = config_setting_get_elem(g, (unsigned)i);
		const char *name = config_setting_name(s);
		bool ok = false;
		for (const char *const *k = known; *k; k++)
			if (name && strcmp(*k, name) == 0)
				ok = true;
		if (!ok)
			return bad(&c, s, _("unknown setting \"%s\""),
				   name ? name : "?");
	}
	r = malloc(sizeof *r);
	if (!r)
		return td_err_set(err, TD_ENOMEM, _("out of memory"));
	td_routing_defaults(r);
	free(cfg->routing);
	cfg->routing = r;
	if ((rc = get_int(&c, g, "suggestions", 1, 20, &r->suggestions)))
		return rc;
	if ((s = config_setting_get_member(g, "followup_days"))) {
		if (!config_setting_is_group(s))
			return bad(&c, s,
				   _("\"followup_days\" must be a group { sent = 7; meeting = 14; }"));
		n = config_setting_length(s);
		for (int i = 0; i < n; i++) {
			config_setting_t *e = config_setting_get_elem(s, (unsigned)i);
			const char *name = config_setting_name(e);
			int st = td_enum_find(&td_referral_statuses, name);
			if (st < 0)
				return bad(&c, e,
					   _("unknown referral status \"%s\" (use proposed, sent, meeting, accepted, declined, no_answer)"),
					   name ? name : "?");
			if ((rc = get_int(&c, s, name, 0, 365,
					  &r->followup_days[st])))
				return rc;
		}
	}
	if ((s = config_setting_get_member(g, "rules"))) {
		if (!config_setting_is_list(s))
			return bad(&c, s,
				   _("\"rules\" must be a list: rules = ( { ... }, { ... } );"));
		n = config_setting_length(s);
		if (n > TD_ROUTE_MAX_RULES)
			return bad(&c, s, _("too many routing rules (at most %d)"),
				   TD_ROUTE_MAX_RULES);
		for (int i = 0; i < n; i++) {
			rc = load_rule(&c, config_setting_get_elem(s, (unsigned)i),
				       i, &r->rules[i]);
			if (rc)
				return rc;
			r->nrules++;
		}
	}
	return TD_OK;
}

/* ---- suggestions ------------------------------------------------------- */

/* The routing of the configuration, or the built-in one. */
const struct td_routing *td_app_routing(const struct td_app *app)
{
	static struct td_routing builtin;
	static bool ready;
	if (app->cfg.routing)
		return app->cfg.routing;
	if (!ready) {
		td_routing_defaults(&builtin);
		ready = true;
	}
	return &builtin;
}

struct dir {
	struct td_partner *v;
	int n, cap;
	bool oom;
};

static int dir_add(const struct td_partner *p, void *vctx)
{
	struct dir *d = vctx;
	if (td_vec_push(&d->v, &d->n, &d->cap, sizeof *p, p, 64)) {
		d->oom = true;
		return TD_ENOMEM;
	}
	return 0;
}

int td_app_suggest(struct td_app *app, const char *reference,
		   struct td_suggestion *out, int max, int *n, td_err *err)
{
	const struct td_routing *ro = td_app_routing(app);
	struct td_dossier *d;
	struct dir dir = { 0 };
	struct td_route_fit *fits = NULL;
	int rc;

	*n = 0;
	d = malloc(sizeof *d);
	if (!d)
		return td_err_set(err, TD_ENOMEM, _("out of memory"));
	if ((rc = td_app_dossier_get(app, reference, d, err)))
		goto out;
	rc = td_store_partner_each(app->db, false, dir_add, &dir, err);
	if (dir.oom)
		rc = td_err_set(err, TD_ENOMEM, _("out of memory"));
	if (rc)
		goto out;
	/* A rule naming a partner nobody can find is a configuration
	 * mistake: say where it is rather than quietly ignore it. */
	for (int i = 0; i < ro->nrules; i++) {
		const struct td_route_rule *ru = &ro->rules[i];
		bool found = !ru->partner[0];
		for (int k = 0; k < dir.n && !found; k++)
			found = strcmp(dir.v[k].id, ru->partner) == 0;
		if (!found) {
			rc = td_err_set(err, TD_ECONFIG,
				_("%s:%d: routing rule \"%s\" names partner \"%s\", which is not in the partner directory"),
				app->cfg.path, ru->line, ru->name, ru->partner);
			goto out;
		}
	}
	const struct td_site_cfg *site = td_config_site(&app->cfg, d->site);
	struct td_route_case c = {
		.site_name = site ? site->name : d->site,
		.stage = d->v.stage,
		.sector = d->v.sector,
		.needs = d->v.needs,
		.siret = d->v.siret[0] != '\0',
		.country = d->v.country,
	};
	snprintf(c.site, sizeof c.site, "%s", d->site);
	if (max <= 0)
		goto out;
	fits = calloc((size_t)max, sizeof *fits);
	if (!fits) {
		rc = td_err_set(err, TD_ENOMEM, _("out of memory"));
		goto out;
	}
	int k = td_route_rank(dir.v, dir.n, ro->rules, ro->nrules, &c, fits,
			      max);
	for (int i = 0; i < k; i++) {
		out[i].partner = dir.v[fits[i].partner];
		out[i].fit = fits[i];
		td_route_reason(&fits[i], &c, ro->rules, out[i].reason,
				sizeof out[i].reason);
	}
	*n = k;
out:
	free(fits);
	free(dir.v);
	memset(d, 0, sizeof *d);
	free(d);
	return rc;
}
