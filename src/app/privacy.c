/* Data protection (issue 14): the field history as people read it, and
 * (below) the rights of the people registered: access, erasure, consent
 * withdrawal, retention and the record of processing. */
#include "app_int.h"
#include "totemdesk/i18n.h"
#include "totemdesk/intake.h"
#include "totemdesk/privacy.h"
#include "store/privacy.h"
#include "store/store.h"

#include <langinfo.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* ---- field history ------------------------------------------------------ */

static const char *arrow(void)
{
	return strcmp(nl_langinfo(CODESET), "UTF-8") == 0 ? "\u2192" : "->";
}

/* A stored code of field f (td_field_code) as a person reads it. */
static void show_code(enum td_field_id f, const char *code, char *out,
		      size_t outsz)
{
	struct td_intake *v;

	if (!code[0]) {
		snprintf(out, outsz, "%s", _("(empty)"));
		return;
	}
	v = calloc(1, sizeof *v);
	if (!v || td_field_set_code(v, f, code) != 0 ||
	    td_field_show(v, f, out, outsz) == 0)
		snprintf(out, outsz, "%s", code);
	free(v);
}

size_t app_field_change_show(const char *detail, char *out, size_t outsz)
{
	const char *us1 = strchr(detail, '\x1f');
	const char *us2 = us1 ? strchr(us1 + 1, '\x1f') : NULL;
	char name[64], a[1024], b[1024];
	int f;

	if (!us2 || (size_t)(us1 - detail) >= sizeof name)
		return (size_t)snprintf(out, outsz, "%s", detail);
	memcpy(name, detail, (size_t)(us1 - detail));
	name[us1 - detail] = '\0';
	if ((f = td_field_find(name)) < 0)
		return (size_t)snprintf(out, outsz, "%s", detail);
	snprintf(a, sizeof a, "%.*s", (int)(us2 - us1 - 1), us1 + 1);
	char *old = strdup(a), *new = strdup(us2 + 1);
	if (!old || !new) {
		free(old);
		free(new);
		return (size_t)snprintf(out, outsz, "%s", _(td_fields[f].label));
	}
	show_code((enum td_field_id)f, old, a, sizeof a);
	show_code((enum td_field_id)f, new, b, sizeof b);
	free(old);
	free(new);
	/* TRANSLATORS: a field's change in a dossier's timeline: the
	 * field's label, the old value, an arrow, the new value ("City:
	 * Metz -> Woippy"). */
	int n = snprintf(out, outsz, _("%s: %s %s %s"), _(td_fields[f].label),
			 a, arrow(), b);
	return n < 0 ? 0 : (size_t)n;
}

size_t app_field_names_show(const char *names, char *out, size_t outsz)
{
	size_t o = 0;

	if (outsz)
		out[0] = '\0';
	for (const char *p = names; p && *p;) {
		const char *end = strstr(p, ", ");
		size_t len = end ? (size_t)(end - p) : strlen(p);
		char name[64];
		int f = -1;
		if (len < sizeof name) {
			memcpy(name, p, len);
			name[len] = '\0';
			f = td_field_find(name);
		}
		int n = snprintf(out + o, outsz - o, "%s%.*s", o ? ", " : "",
				 f >= 0 ? (int)strlen(_(td_fields[f].label))
					: (int)len,
				 f >= 0 ? _(td_fields[f].label) : p);
		if (n < 0 || (size_t)n >= outsz - o)
			break;
		o += (size_t)n;
		if (!end)
			break;
		p = end + 2;
	}
	return o;
}

/* ---- erasure ------------------------------------------------------------ */

int app_erase(struct td_app *app, struct td_db *db, const char *kind,
	      const char *key, const char *reason, bool replay,
	      int *ndossiers, td_err *err)
{
	struct td_erasure_rec r;

	memset(&r, 0, sizeof r);
	snprintf(r.key, sizeof r.key, "%s", key);
	snprintf(r.kind, sizeof r.kind, "%s", kind);
	snprintf(r.reason, sizeof r.reason, "%s", reason);
	snprintf(r.actor, sizeof r.actor, "%s",
		 app->me ? app->me->login : app->login);
	td_store_now(r.at);
	return td_store_erase(db, &r, replay, ndossiers, err);
}

int app_erase_scrub(struct td_db *db, const char *kind, const char *key,
		    td_err *err)
{
	struct td_erasure_rec r;

	memset(&r, 0, sizeof r);
	snprintf(r.key, sizeof r.key, "%s", key);
	snprintf(r.kind, sizeof r.kind, "%s", kind);
	return td_store_erase_scrub(db, &r, err);
}

int td_app_privacy_erase(struct td_app *app, const char *reference,
			 struct td_erase_result *res, td_err *err)
{
	struct td_dossier *d;
	int rc;

	memset(res, 0, sizeof *res);
	if ((rc = td_app_may_privacy(app, err)))
		return rc;
	if (!(d = malloc(sizeof *d)))
		return td_err_set(err, TD_ENOMEM, _("out of memory"));
	rc = td_app_dossier_get(app, reference, d, err);
	if (!rc)
		snprintf(res->holder_id, sizeof res->holder_id, "%s",
			 d->holder_id);
	free(d);
	if (!rc)
		rc = app_erase(app, app->db, "holder", res->holder_id,
			       "request", false, &res->ndossiers, err);
	if (!rc)
		rc = app_erase_scrub(app->db, "holder", res->holder_id, err);
	if (rc)
		return rc;
	td_err werr = { 0 };
	res->wal_busy = td_store_wal_truncate(app->db, &werr) != TD_OK;
	return TD_OK;
}
