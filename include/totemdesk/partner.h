/* The partner directory: the use cases (td_app_partner_*, app layer, with
 * permission checks and validation).  The record itself, struct
 * td_partner, is core (route.h); the store's statements are in the store
 * header store/partner.h, out of reach of the screens and the command
 * line. */
#ifndef TOTEMDESK_PARTNER_H
#define TOTEMDESK_PARTNER_H

#include "totemdesk/error.h"
#include "totemdesk/route.h"

#include <stdbool.h>
#include <stdio.h>

struct td_app;

/* Check and normalise a partner as typed (id slug, name, kinds, sites,
 * stages, needs, sectors codes, e-mail and phone through the core
 * validators, capacity >= 0).  Returns TD_OK, or TD_EINVAL with err
 * naming the field and what to type instead. */
int td_partner_check(struct td_partner *p, td_err *err);

/* The directory, filtered by query (accent- and case-insensitive, on id,
 * name, city, kinds, needs, contact; "" = all), by id.  *out is a
 * malloc'ed array of *n partners the caller frees. */
int td_app_partner_list(struct td_app *app, const char *query,
			bool include_inactive, struct td_partner **out,
			int *n, td_err *err);

int td_app_partner_get(struct td_app *app, const char *id,
		       struct td_partner *out, td_err *err);

/* Add (create true) or edit a partner after td_partner_check; officers
 * and administrators only; audited. */
int td_app_partner_save(struct td_app *app, struct td_partner *p,
			bool create, td_err *err);

/* Deactivate (active false) or reactivate a partner; officers and
 * administrators only; audited.  Its referrals are kept. */
int td_app_partner_set_active(struct td_app *app, const char *id,
			      bool active, td_err *err);

/* Import a CSV file with the seed file's columns (id, name, kind, sites,
 * city, address, website, stages, needs, description, source, then
 * optionally contact, email, phone, sectors, capacity, active).  Every
 * row is checked; each bad one is reported on report as
 * "FILE:LINE: problem".  With a bad row nothing is imported (TD_EINVAL)
 * unless skip_bad, which imports the good rows and lists the skipped
 * ones.  One transaction.  *imported / *skipped receive the counts. */
int td_app_partner_import(struct td_app *app, const char *path,
			  bool skip_bad, FILE *report, long *imported,
			  long *skipped, td_err *err);

/* Write the whole directory as CSV with the import's columns. */
int td_app_partner_export(struct td_app *app, FILE *out, long *count,
			  td_err *err);

#endif
