/* Use cases on the partner directory: list and search, add, edit,
 * deactivate, CSV import and export. */
#include "app_int.h"
#include "totemdesk/app.h"
#include "totemdesk/csv.h"
#include "totemdesk/i18n.h"
#include "totemdesk/privilege.h"
#include "totemdesk/vec.h"
#include "totemdesk/partner.h"
#include "totemdesk/text.h"
#include "totemdesk/validate.h"
#include "store/partner.h"
#include "store/store.h"

#include <ctype.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Seed columns first, in the seed file's order, then the directory's
 * own; export writes exactly these, import needs the first eleven. */
static const char *const columns[] = {
	"id", "name", "kind", "sites", "city", "address", "website", "stages",
	"needs", "description", "source",
	"contact", "email", "phone", "sectors", "capacity", "active",
};
#define NCOLS (sizeof columns / sizeof columns[0])
#define NREQUIRED 11

/* Columns of text typed by people, formula-guarded on export (csv.h);
 * the others are codes, a checked phone and numbers. */
static const bool free_text[NCOLS] = {
	[1] = true, [4] = true, [5] = true, [6] = true, [9] = true,
	[10] = true, [11] = true, [12] = true,
};

static bool slug_ok(const char *s)
{
	if (!*s || strlen(s) > TD_PARTNER_ID_MAX)
		return false;
	for (; *s; s++)
		if (!islower((unsigned char)*s) && !isdigit((unsigned char)*s) &&
		    *s != '-')
			return false;
	return true;
}

static bool sites_ok(const char *list, char *bad, size_t badsz)
{
	char copy[sizeof ((struct td_partner *)0)->sites];
	snprintf(copy, sizeof copy, "%s", list);
	for (char *save = NULL, *t = strtok_r(copy, "|", &save); t;
	     t = strtok_r(NULL, "|", &save)) {
		td_text_squeeze(t);
		bool ok = strcmp(t, "ALL") == 0 ||
			  (strlen(t) == 3 && isupper((unsigned char)t[0]) &&
			   isupper((unsigned char)t[1]) &&
			   isupper((unsigned char)t[2]));
		if (!ok) {
			snprintf(bad, badsz, "%s", t);
			return false;
		}
	}
	return true;
}

/* Clean a one-line text in place (controls and escapes dropped). */
static void clean_line(char *s, size_t sz)
{
	char *tmp = malloc(sz);
	if (!tmp)
		return;
	td_text_clean(s, strlen(s), tmp, sz, 0, false);
	td_text_squeeze(tmp);
	memcpy(s, tmp, strlen(tmp) + 1);
	free(tmp);
}

#define CLEAN(f) clean_line((f), sizeof(f))

/* A bidirectional control in a partner's field (issue 13 point 8):
 * refused with the field's name, as the intake form refuses it. */
static int refuse_bidi(const struct td_partner *p, td_err *err)
{
	const struct { const char *name; const char *v; } f[] = {
		{ "id", p->id }, { "name", p->name }, { "kinds", p->kinds },
		{ "sites", p->sites }, { "city", p->city },
		{ "address", p->address }, { "website", p->website },
		{ "email", p->email }, { "phone", p->phone },
		{ "stages", p->stages }, { "needs", p->needs },
		{ "sectors", p->sectors }, { "description", p->description },
		{ "source", p->source }, { "contact", p->contact },
	};
	for (size_t i = 0; i < sizeof f / sizeof f[0]; i++)
		if (td_text_find_bidi(f[i].v))
			return td_err_set(err, TD_EINVAL, "%s: %s", f[i].name,
					  td_vcode_message(TD_V_BIDI));
	return TD_OK;
}

int td_partner_check(struct td_partner *p, td_err *err)
{
	char bad[64], out[TD_EMAIL_MAX + 1];
	enum td_vcode v;

	if (refuse_bidi(p, err))
		return TD_EINVAL;

	CLEAN(p->id);
	CLEAN(p->name);
	CLEAN(p->kinds);
	CLEAN(p->sites);
	CLEAN(p->city);
	CLEAN(p->address);
	CLEAN(p->website);
	CLEAN(p->stages);
	CLEAN(p->needs);
	CLEAN(p->sectors);
	CLEAN(p->description);
	CLEAN(p->source);
	CLEAN(p->contact);
	if (!slug_ok(p->id))
		return td_err_set(err, TD_EINVAL,
			_("id \"%s\": use 1 to %d lower-case letters, digits and '-', e.g. initiative-metz"),
			p->id, TD_PARTNER_ID_MAX);
	if (!p->name[0])
		return td_err_set(err, TD_EINVAL, _("name: the partner needs a name"));
	if (!p->kinds[0] ||
	    !td_code_list_ok(p->kinds, &td_partner_kinds, false, bad, sizeof bad))
		return td_err_set(err, TD_EINVAL,
			_("kind \"%s\": use advice, funding, hosting or network, joined with |"),
			p->kinds[0] ? bad : "");
	if (!p->sites[0] || !sites_ok(p->sites, bad, sizeof bad))
		return td_err_set(err, TD_EINVAL,
			_("sites \"%s\": use site codes such as MET joined with |, or ALL"),
			p->sites[0] ? bad : "");
	if (!td_code_list_ok(p->stages, &td_stages, true, bad, sizeof bad))
		return td_err_set(err, TD_EINVAL,
			_("stages \"%s\": use idea, seed, creation, development, growth, takeover joined with |, or ALL"),
			bad);
	if (!td_code_list_ok(p->needs, &td_needs, false, bad, sizeof bad))
		return td_err_set(err, TD_EINVAL,
			_("needs \"%s\": use advice, funding, hosting, networking, training, recruitment, international joined with |"),
			bad);
	if (!td_code_list_ok(p->sectors, &td_sectors, false, bad, sizeof bad))
		return td_err_set(err, TD_EINVAL,
			_("sectors \"%s\": use sector codes such as fintech or healthtech joined with |"),
			bad);
	if (p->email[0]) {
		v = td_validate_email(p->email, out, sizeof out);
		if (v != TD_V_OK)
			return td_err_set(err, TD_EINVAL, _("e-mail \"%s\": %s"),
					  p->email, td_vcode_message(v));
		snprintf(p->email, sizeof p->email, "%s", out);
	}
	if (p->phone[0]) {
		v = td_validate_phone(TD_COUNTRY_FR, p->phone, out,
				      sizeof out);
		if (v != TD_V_OK || strlen(out) >= sizeof p->phone)
			return td_err_set(err, TD_EINVAL, _("phone \"%s\": %s"),
					  p->phone, td_vcode_message(v));
		snprintf(p->phone, sizeof p->phone, "%s", out);
	}
	if (p->capacity < 0)
		return td_err_set(err, TD_EINVAL,
			_("capacity: give a whole number of open referrals, 0 for no limit"));
	return TD_OK;
}

/* ---- list -------------------------------------------------------------- */

struct list_ctx {
	struct td_partner *v;
	int n, cap;
	char q[256];
	bool oom;
};

static bool matches(const struct td_partner *p, const char *q)
{
	char hay[1200], folded[1400];
	if (!*q)
		return true;
	snprintf(hay, sizeof hay, "%s %s %s %s %s %s %s", p->id, p->name,
		 p->city, p->kinds, p->needs, p->contact, p->sites);
	td_text_fold(hay, folded, sizeof folded);
	return strstr(folded, q) != NULL;
}

static int collect(const struct td_partner *p, void *vctx)
{
	struct list_ctx *c = vctx;
	if (!matches(p, c->q))
		return 0;
	if (td_vec_push(&c->v, &c->n, &c->cap, sizeof *p, p, 64)) {
		c->oom = true;
		return TD_ENOMEM;
	}
	return 0;
}

int td_app_partner_list(struct td_app *app, const char *query,
			bool include_inactive, struct td_partner **out,
			int *n, td_err *err)
{
	struct list_ctx c = { 0 };
	char q[256];

	*out = NULL;
	*n = 0;
	snprintf(q, sizeof q, "%s", query ? query : "");
	td_text_squeeze(q);
	td_text_fold(q, c.q, sizeof c.q);
	int rc = td_store_partner_each(app->db, !include_inactive, collect, &c,
				       err);
	if (c.oom)
		rc = td_err_set(err, TD_ENOMEM, _("out of memory"));
	if (rc) {
		free(c.v);
		return rc;
	}
	*out = c.v;
	*n = c.n;
	return TD_OK;
}

int td_app_partner_get(struct td_app *app, const char *id,
		       struct td_partner *out, td_err *err)
{
	return td_store_partner_get(app->db, id, out, err);
}

int td_app_partner_save(struct td_app *app, struct td_partner *p, bool create,
			td_err *err)
{
	int rc;
	if ((rc = td_app_may_edit_partners(app, err)) || (rc = td_partner_check(p, err)))
		return rc;
	if ((rc = td_store_begin(app->db, err)))
		return rc;
	rc = td_store_partner_write(app->db, p, create, err);
	if (!rc)
		rc = td_store_audit(app->db, NULL, app->me->login,
				    create ? "partner_add" : "partner_edit",
				    "partner", p->id, NULL, p->name, err);
	if (rc) {
		td_store_rollback(app->db);
		return rc;
	}
	return td_store_commit(app->db, err);
}

int td_app_partner_set_active(struct td_app *app, const char *id, bool active,
			      td_err *err)
{
	int rc;
	if ((rc = td_app_may_edit_partners(app, err)))
		return rc;
	if ((rc = td_store_begin(app->db, err)))
		return rc;
	rc = td_store_partner_set_active(app->db, id, active, err);
	if (!rc)
		rc = td_store_audit(app->db, NULL, app->me->login,
				    active ? "partner_activate"
					   : "partner_deactivate",
				    "partner", id, NULL, NULL, err);
	if (rc) {
		td_store_rollback(app->db);
		return rc;
	}
	return td_store_commit(app->db, err);
}

/* ---- import ------------------------------------------------------------ */

static int read_file(const char *path, char **data, size_t *len, td_err *err)
{
	FILE *f = td_priv_fopen_read(path);
	struct td_buf b;
	char chunk[8192];
	size_t got;

	if (!f)
		return td_err_set(err, TD_ENOTFOUND, _("cannot read %s: %s"), path,
				  strerror(errno));
	td_buf_init(&b);
	while ((got = fread(chunk, 1, sizeof chunk, f)) > 0)
		if (td_buf_append(&b, chunk, got) != TD_OK) {
			fclose(f);
			td_buf_free(&b);
			return td_err_set(err, TD_ENOMEM, _("out of memory"));
		}
	int bad = ferror(f);
	fclose(f);
	if (bad) {
		td_buf_free(&b);
		return td_err_set(err, TD_EIO, _("cannot read %s"), path);
	}
	*data = b.data;
	*len = b.len;
	return TD_OK;
}

/* Copy field v into a fixed buffer, refusing to cut it. */
static bool put_field(char *dst, size_t dstsz, const char *v)
{
	size_t n = strlen(v);
	if (n >= dstsz)
		return false;
	memcpy(dst, v, n + 1);
	return true;
}

/* Fill p from a data row; false with a message in msg when a value does
 * not fit or does not parse. */
static bool row_to_partner(const struct td_csv_row *row, const long *col,
			   struct td_partner *p, char *msg, size_t msgsz)
{
	char *dst[] = { p->id, p->name, p->kinds, p->sites, p->city,
			p->address, p->website, p->stages, p->needs,
			p->description, p->source, p->contact, p->email,
			p->phone, p->sectors };
	size_t dsz[] = { sizeof p->id, sizeof p->name, sizeof p->kinds,
			 sizeof p->sites, sizeof p->city, sizeof p->address,
			 sizeof p->website, sizeof p->stages, sizeof p->needs,
			 sizeof p->description, sizeof p->source,
			 sizeof p->contact, sizeof p->email, sizeof p->phone,
			 sizeof p->sectors };
	memset(p, 0, sizeof *p);
	p->active = true;
	for (size_t i = 0; i < NCOLS; i++) {
		/* Unguarded, so that an export imports as it was typed. */
		const char *v = col[i] >= 0 && (size_t)col[i] < row->nfields
				? td_csv_unguard(row->fields[col[i]]) : "";
		if (i < sizeof dst / sizeof dst[0]) {
			if (!put_field(dst[i], dsz[i], v)) {
				snprintf(msg, msgsz,
					 _("%s: too long (at most %zu bytes)"),
					 columns[i], dsz[i] - 1);
				return false;
			}
		} else if (strcmp(columns[i], "capacity") == 0 && *v) {
			char *end;
			errno = 0;
			long c = strtol(v, &end, 10);
			if (errno || *end || c < 0 || c > 100000) {
				snprintf(msg, msgsz,
					 _("capacity \"%s\": give a whole number of open referrals, 0 for no limit"),
					 v);
				return false;
			}
			p->capacity = (int)c;
		} else if (strcmp(columns[i], "active") == 0 && *v) {
			if (strcmp(v, "1") && strcmp(v, "0")) {
				snprintf(msg, msgsz,
					 _("active \"%s\": use 1 (active) or 0 (inactive)"),
					 v);
				return false;
			}
			p->active = v[0] == '1';
		}
	}
	return true;
}

struct good {
	struct td_partner *v;
	int n, cap;
};

static bool keep(struct good *g, const struct td_partner *p)
{
	return td_vec_push(&g->v, &g->n, &g->cap, sizeof *p, p, 64) == TD_OK;
}

static bool seen_id(const struct good *g, const char *id)
{
	for (int i = 0; i < g->n; i++)
		if (strcmp(g->v[i].id, id) == 0)
			return true;
	return false;
}

int td_app_partner_import(struct td_app *app, const char *path, bool skip_bad,
			  FILE *report, long *imported, long *skipped,
			  td_err *err)
{
	struct td_csv_reader r;
	struct td_csv_row row;
	struct good g = { 0 };
	struct td_partner *p = NULL;
	long col[NCOLS], nbad = 0;
	char *data = NULL, msg[600];
	size_t len = 0;
	int rc, got;

	*imported = *skipped = 0;
	if ((rc = td_app_may_edit_partners(app, err)) || (rc = read_file(path, &data, &len, err)))
		return rc;
	p = malloc(sizeof *p);
	if (!p) {
		free(data);
		return td_err_set(err, TD_ENOMEM, _("out of memory"));
	}
	td_csv_reader_init(&r, data, len, ',');
	got = td_csv_next(&r, &row, err);
	if (got != 1) {
		rc = got < 0 ? td_err_prefix(err, path)
			     : td_err_set(err, TD_EINVAL, _("%s: the file is empty"),
					  path);
		goto out;
	}
	for (size_t i = 0; i < NCOLS; i++) {
		col[i] = td_csv_header_index(&row, columns[i]);
		if (col[i] < 0 && i < NREQUIRED) {
			rc = td_err_set(err, TD_EINVAL,
				_("%s:%zu: no \"%s\" column; the first line must name the columns id, name, kind, sites, city, address, website, stages, needs, description, source"),
				path, row.line, columns[i]);
			goto out;
		}
	}
	for (;;) {
		td_err rerr = { 0 };
		got = td_csv_next(&r, &row, &rerr);
		if (got == 0)
			break;
		if (got < 0) {
			if (rerr.code == TD_ENOMEM) {
				rc = td_err_set(err, TD_ENOMEM, _("out of memory"));
				goto out;
			}
			/* The reader's message starts with the line. */
			fprintf(report, "%s:%s\n", path, rerr.msg);
			nbad++;
			continue;
		}
		bool ok = row_to_partner(&row, col, p, msg, sizeof msg);
		if (ok) {
			td_err cerr = { 0 };
			if (td_partner_check(p, &cerr) != TD_OK) {
				snprintf(msg, sizeof msg, "%s", cerr.msg);
				ok = false;
			} else if (seen_id(&g, p->id)) {
				snprintf(msg, sizeof msg,
					 _("id \"%s\" appears twice in the file"),
					 p->id);
				ok = false;
			}
		}
		if (!ok) {
			fprintf(report, "%s:%zu: %s\n", path, row.line, msg);
			nbad++;
			continue;
		}
		if (!keep(&g, p)) {
			rc = td_err_set(err, TD_ENOMEM, _("out of memory"));
			goto out;
		}
	}
	*skipped = nbad;
	if (nbad && !skip_bad) {
		rc = td_err_set(err, TD_EINVAL,
			ngettext("%s: %ld bad row, nothing imported; fix it or use --skip-bad",
				 "%s: %ld bad rows, nothing imported; fix them or use --skip-bad",
				 (unsigned long)nbad),
			path, nbad);
		goto out;
	}
	if ((rc = td_store_begin(app->db, err)))
		goto out;
	for (int i = 0; i < g.n && !rc; i++) {
		td_err werr = { 0 };
		rc = td_store_partner_write(app->db, &g.v[i], false, &werr);
		if (rc == TD_ENOTFOUND)
			rc = td_store_partner_write(app->db, &g.v[i], true, &werr);
		if (rc)
			*err = werr;
	}
	if (!rc) {
		snprintf(msg, sizeof msg, "%d %s", g.n, path);
		rc = td_store_audit(app->db, NULL, app->me->login,
				    "partner_import", "partner", NULL, NULL, msg,
				    err);
	}
	if (rc) {
		td_store_rollback(app->db);
		goto out;
	}
	rc = td_store_commit(app->db, err);
	if (!rc)
		*imported = g.n;
out:
	td_csv_reader_free(&r);
	free(g.v);
	free(p);
	free(data);
	return rc;
}

/* ---- export ------------------------------------------------------------ */

struct export_ctx {
	struct td_buf buf;
	FILE *out;
	long count;
	int status;
	td_err *err;
};

static int export_one(const struct td_partner *p, void *vctx)
{
	struct export_ctx *x = vctx;
	char cap[16];
	snprintf(cap, sizeof cap, "%d", p->capacity);
	const char *v[NCOLS] = { p->id, p->name, p->kinds, p->sites, p->city,
		p->address, p->website, p->stages, p->needs, p->description,
		p->source, p->contact, p->email, p->phone, p->sectors, cap,
		p->active ? "1" : "0" };
	const struct td_csv_opts plain = { ',', false }, guarded = { ',', true };
	size_t saved = x->buf.len;
	int rc = TD_OK;
	for (size_t i = 0; i < NCOLS && !rc; i++)
		rc = td_csv_write_field(&x->buf, v[i],
					free_text[i] ? &guarded : &plain, i == 0);
	if (rc || (rc = td_csv_end_row(&x->buf))) {
		x->buf.len = saved;
		x->status = td_err_set(x->err, TD_ENOMEM, _("out of memory"));
		return x->status;
	}
	x->count++;
	return 0;
}

int td_app_partner_export(struct td_app *app, FILE *out, long *count,
			  td_err *err)
{
	struct export_ctx x = { .out = out, .err = err };
	int rc;

	td_buf_init(&x.buf);
	rc = td_csv_write_row(&x.buf, columns, NCOLS, NULL);
	if (rc)
		rc = td_err_set(err, TD_ENOMEM, _("out of memory"));
	if (!rc)
		rc = td_store_partner_each(app->db, false, export_one, &x, err);
	if (!rc && (fwrite(x.buf.data, 1, x.buf.len, out) != x.buf.len ||
		    fflush(out) != 0))
		rc = td_err_set(err, TD_EIO, _("cannot write the export: %s"),
				strerror(errno));
	td_buf_free(&x.buf);
	if (count)
		*count = x.count;
	return rc;
}
