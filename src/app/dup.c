/* Use cases of the duplicate warning: look up what is being typed, and
 * record "not the same person". */
#include "app_int.h"
#include "totemdesk/app.h"
#include "totemdesk/dup.h"
#include "totemdesk/i18n.h"
#include "totemdesk/validate.h"
#include "store/dup.h"
#include "store/store.h"

#include <stdio.h>
#include <string.h>

/* The typed record, normalised field by field: the lookup runs while the
 * form is half-filled, so a field that does not validate yet (a phone
 * number being typed) is simply left out rather than failing it all. */
struct typed_norm {
	char last[TD_NAME_MAX * 4 + 1], first[TD_NAME_MAX * 4 + 1];
	char email[TD_EMAIL_MAX + 1], phone[64], postcode[16];
	char title[TD_TITLE_MAX * 4 + 1], siret[TD_COMPANY_MAX * 4 + 1];
};

/* A field as the intake check normalises it, or "" while it is not
 * valid. */
static void norm_field(const struct td_intake *in, enum td_field_id f,
		       char *out, size_t outsz)
{
	if (td_intake_check_field(in, f, 0, out, outsz) != TD_V_OK)
		out[0] = '\0';
}

static void normalise(const struct td_intake *in, struct typed_norm *n,
		      struct td_dup_person *p)
{
	memset(n, 0, sizeof *n);
	norm_field(in, TD_F_LAST_NAME, n->last, sizeof n->last);
	norm_field(in, TD_F_FIRST_NAME, n->first, sizeof n->first);
	norm_field(in, TD_F_EMAIL, n->email, sizeof n->email);
	norm_field(in, TD_F_PHONE, n->phone, sizeof n->phone);
	norm_field(in, TD_F_POSTCODE, n->postcode, sizeof n->postcode);
	norm_field(in, TD_F_TITLE, n->title, sizeof n->title);
	norm_field(in, TD_F_SIRET, n->siret, sizeof n->siret);
	*p = (struct td_dup_person){ n->last, n->first, n->email, n->phone,
				     n->postcode, n->title, n->siret };
}

int td_app_dup_lookup(struct td_app *app, const struct td_intake *typed,
		      struct td_dup_match *out, int max, int *n, td_err *err)
{
	struct typed_norm tn;
	struct td_dup_person p;

	*n = 0;
	if (!app->db)
		return td_err_set(err, TD_EINVAL, _("no database is open"));
	normalise(typed, &tn, &p);
	int rc = td_store_dup_lookup(app->db, &app->cfg.dup, &p,
				     app->site->code, out, max, n, err);
	/* A match at a site the user may not open says where and why, not
	 * who: the person's names and the dossier's state are that site's. */
	const char *held = td_app_held_site(app);
	for (int i = 0; !rc && held && i < *n; i++) {
		struct td_dup_match *m = &out[i];
		if (strcmp(m->site, held) == 0)
			continue;
		m->other_site = true;
		m->last_name[0] = m->first_name[0] = m->created_at[0] = '\0';
		m->status = -1;
	}
	return rc;
}

int td_app_dup_dismiss(struct td_app *app, const struct td_dup_match *m,
		       td_err *err)
{
	char detail[160];
	int rc;

	if (!app->db)
		return td_err_set(err, TD_EINVAL, _("no database is open"));
	if (!app->me)
		return td_err_set(err, TD_EPERM,
			_("login \"%s\" is not in the configuration: only known users may record \"not the same person\""),
			app->login);
	/* The desk's site: the decision is that site's (another site may
	 * know better), see td_store_dup_lookup. */
	const char *site = app->site ? app->site->code : app->me->site;
	if ((rc = td_store_begin(app->db, err)))
		return rc;
	snprintf(detail, sizeof detail, "%s score %d", m->reference, m->score);
	if ((rc = td_store_dup_dismiss(app->db, m->holder_id, m->evidence,
				       m->nevidence, site, app->me->login,
				       err)) ||
	    (rc = td_store_audit(app->db, NULL, app->me->login, "dup_dismiss",
				 "holder", m->holder_id, NULL, detail, err)) ||
	    (rc = td_store_commit(app->db, err))) {
		td_store_rollback(app->db);
		return rc;
	}
	return TD_OK;
}
