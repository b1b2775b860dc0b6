/* Erasure and the erasure log (store/privacy.h). */
#include "store_int.h"
#include "store/privacy.h"
#include "totemdesk/i18n.h"
#include "totemdesk/text.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static int run(td_db *db, const char *sql, const char *key,
	       const struct td_erasure_rec *r, int *changes, td_err *err)
{
	sqlite3_stmt *st;
	int rc = sqlite3_prepare_v2(db->h, sql, -1, &st, NULL);
	if (rc != SQLITE_OK)
		return store_fail(db, rc, err, _("cannot erase the personal data"));
	for (int i = 1; i <= sqlite3_bind_parameter_count(st); i++) {
		const char *name = sqlite3_bind_parameter_name(st, i);
		const char *v = !name ? NULL
			: strcmp(name, "?1") == 0 ? key
			: strcmp(name, "?2") == 0 ? r->at
			: strcmp(name, "?3") == 0 ? r->actor
			: strcmp(name, "?4") == 0 ? r->reason
			: strcmp(name, "?5") == 0 ? r->kind : NULL;
		store_bind_text(st, i, v);
	}
	rc = sqlite3_step(st);
	int code = rc == SQLITE_DONE || rc == SQLITE_ROW ? TD_OK
		: store_fail(db, rc, err, _("cannot erase the personal data"));
	if (changes)
		*changes = sqlite3_changes(db->h);
	sqlite3_finalize(st);
	return code;
}

/* The dossiers concerned, as a subquery on ?1. */
#define OF_HOLDER "(SELECT id FROM dossier WHERE holder_id = ?1)"
#define OF_DOSSIER "(?1)"

#define STEPS(SET) { \
	"UPDATE dossier SET project_title = NULL, description = NULL," \
	" siret = NULL, erased_at = ?2 WHERE id IN " SET, \
	"UPDATE note SET body = '', deleted = 1 WHERE dossier_id IN " SET, \
	"UPDATE referral SET reason = NULL, outcome = NULL" \
	" WHERE dossier_id IN " SET, \
	"DELETE FROM field_change WHERE dossier_id IN " SET, \
	"INSERT INTO audit(at, actor, action, entity, entity_id, dossier_id," \
	" detail) SELECT ?2, ?3, 'erase', 'dossier', id, id, ?4" \
	" FROM dossier WHERE id IN " SET, \
	NULL }

static const char *const holder_steps[] = {
	"UPDATE holder SET last_name = '', first_name = '', email = NULL,"
	" phone = NULL, postcode = NULL, city = NULL, erased_at = ?2"
	" WHERE id = ?1",
	"DELETE FROM dup_key WHERE n IN"
	" (SELECT n FROM dup_holder WHERE holder_id = ?1)",
	"DELETE FROM dup_holder WHERE holder_id = ?1",
	"DELETE FROM dup_dismissal WHERE holder_id = ?1",
};
static const char *const of_holder[] = STEPS(OF_HOLDER);
static const char *const of_dossier[] = STEPS(OF_DOSSIER);

static int exists(td_db *db, const struct td_erasure_rec *r, bool holder,
		  int *n, td_err *err)
{
	sqlite3_stmt *st;
	const char *sql = holder
		? "SELECT count(*) FROM dossier WHERE holder_id = ?1"
		: "SELECT count(*) FROM dossier WHERE id = ?1";
	int rc = sqlite3_prepare_v2(db->h, sql, -1, &st, NULL);
	if (rc != SQLITE_OK)
		return store_fail(db, rc, err, _("cannot erase the personal data"));
	store_bind_text(st, 1, r->key);
	rc = sqlite3_step(st);
	*n = rc == SQLITE_ROW ? sqlite3_column_int(st, 0) : 0;
	int code = rc == SQLITE_ROW ? TD_OK
		: store_fail(db, rc, err, _("cannot erase the personal data"));
	sqlite3_finalize(st);
	return code;
}

/* ---- saved filters ------------------------------------------------------ */

/* What a person may have been searched by: each word of their names,
 * their e-mail address and its local part, the last nine digits of their
 * phone -- as they are and as the field history kept them -- folded. */
struct terms {
	char (*w)[128];
	char *kind;               /* 'w' a word of a name, 'e' an e-mail
				   * address, 'd' a phone's digits */
	int n, cap;
};

static int term_add(struct terms *t, const char *s, size_t len, char kind)
{
	if (len < 2 || len >= sizeof *t->w)
		return TD_OK;
	if (t->n == t->cap) {
		int c = t->cap ? t->cap * 2 : 16;
		void *w = realloc(t->w, (size_t)c * sizeof *t->w);
		if (w)
			t->w = w;
		void *d = realloc(t->kind, (size_t)c * sizeof *t->kind);
		if (d)
			t->kind = d;
		if (!w || !d)
			return TD_ENOMEM;
		t->cap = c;
	}
	memcpy(t->w[t->n], s, len);
	t->w[t->n][len] = '\0';
	t->kind[t->n++] = kind;
	return TD_OK;
}

static bool is_word(unsigned char c)
{
	return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c >= 0x80;
}

/* The length of the word of folded text that starts at p (0 on a
 * separator). */
static size_t word_len(const char *p)
{
	size_t n = 0;
	while (p[n] && is_word((unsigned char)p[n]))
		n++;
	return n;
}

static int terms_of(struct terms *t, const char *field, const char *value)
{
	char f[512], d[64];
	size_t nd = 0;
	int rc = TD_OK;

	td_text_fold(value, f, sizeof f);
	if (strcmp(field, "phone") == 0) {
		for (const char *p = f; *p && nd + 1 < sizeof d; p++)
			if (*p >= '0' && *p <= '9')
				d[nd++] = *p;
		return nd >= 9 ? term_add(t, d + nd - 9, 9, 'd')
			       : nd >= 6 ? term_add(t, d, nd, 'd') : TD_OK;
	}
	if (strcmp(field, "email") == 0) {
		const char *at = strchr(f, '@');
		rc = term_add(t, f, strlen(f), 'e');
		if (!rc && at && at - f >= 4)
			rc = term_add(t, f, (size_t)(at - f), 'e');
		return rc;
	}
	for (const char *p = f; *p && !rc;) {
		size_t n = word_len(p);
		rc = term_add(t, p, n, 'w');
		p += n ? n : 1;
	}
	return rc;
}

/* Does the folded text of a saved filter (its name and specification)
 * name the person?  Their e-mail or phone in it, or a word of it that is
 * a word of their names or, of three letters or more, starts one
 * (search as you type stops anywhere). */
static bool names_person(const struct terms *t, const char *text)
{
	char f[2048], d[2048];
	size_t nd = 0;

	td_text_fold(text, f, sizeof f);
	for (const char *p = f; *p && nd + 1 < sizeof d; p++)
		if (*p >= '0' && *p <= '9')
			d[nd++] = *p;
	d[nd] = '\0';
	for (int i = 0; i < t->n; i++)
		if (t->kind[i] != 'w' &&
		    strstr(t->kind[i] == 'd' ? d : f, t->w[i]))
			return true;
	for (const char *p = f; *p;) {
		size_t n = word_len(p);
		for (int i = 0; n && i < t->n; i++)
			if (t->kind[i] == 'w' && strncmp(t->w[i], p, n) == 0 &&
			    (n >= 3 || t->w[i][n] == '\0'))
				return true;
		p += n ? n : 1;
	}
	return false;
}

/* Is every word of the folded name a word of the person's names (and
 * there is at least one)? */
static bool name_is_person(const struct terms *t, const char *name)
{
	char f[512];
	bool any = false;

	td_text_fold(name, f, sizeof f);
	for (const char *p = f; *p;) {
		size_t n = word_len(p);
		bool found = false;
		for (int i = 0; n && i < t->n && !found; i++)
			found = t->kind[i] == 'w' && strncmp(t->w[i], p, n) == 0 &&
				t->w[i][n] == '\0';
		/* A one-letter word is no term (term_add): neutral. */
		if (n >= 2 && !found)
			return false;
		any = any || found;
		p += n ? n : 1;
	}
	return any;
}

/* Is a form in progress (its names, e-mail and phone as typed) about the
 * person?  Their e-mail address or phone exactly, or both names made of
 * their names' words.  Stricter than a filter: a draft is someone's
 * unsaved work, and a namesake's half-typed surname is not the person. */
static bool draft_is_person(const struct terms *t, const char *last,
			    const char *first, const char *email,
			    const char *phone)
{
	struct terms own = { 0 };
	bool is = false;

	if (email && *email && !terms_of(&own, "email", email) && own.n)
		for (int i = 0; i < t->n && !is; i++)
			is = t->kind[i] == 'e' && strchr(t->w[i], '@') &&
			     strcmp(t->w[i], own.w[0]) == 0;
	own.n = 0;
	if (!is && phone && *phone && !terms_of(&own, "phone", phone) && own.n)
		for (int i = 0; i < t->n && !is; i++)
			is = t->kind[i] == 'd' && strcmp(t->w[i], own.w[0]) == 0;
	free(own.w);
	free(own.kind);
	return is || (last && first && name_is_person(t, last) &&
		      name_is_person(t, first));
}

/* Erasing a person drops the forms in progress of every desk that are
 * about them (td_store_draft_put keeps one per login and site): what
 * was typed of them before a save is their data too. */
static int erase_drafts(td_db *db, const struct terms *t, td_err *err)
{
#define DRAFT_FIELD(name) \
	"(SELECT value FROM draft_field f WHERE f.login = d.login" \
	" AND f.site_code = d.site_code AND f.field = '" name "')"
	static const char drafts[] =
		"SELECT login, site_code, " DRAFT_FIELD("last_name") ", "
		DRAFT_FIELD("first_name") ", " DRAFT_FIELD("email") ", "
		DRAFT_FIELD("phone") " FROM draft d";
#undef DRAFT_FIELD
	sqlite3_stmt *st = NULL, *del = NULL;
	int rc = sqlite3_prepare_v2(db->h, drafts, -1, &st, NULL);

	if (rc == SQLITE_OK)
		rc = sqlite3_prepare_v2(db->h, "DELETE FROM draft WHERE"
					" login = ?1 AND site_code = ?2", -1,
					&del, NULL);
	while (rc == SQLITE_OK && (rc = sqlite3_step(st)) == SQLITE_ROW) {
		rc = SQLITE_OK;
		if (!draft_is_person(t, (const char *)sqlite3_column_text(st, 2),
				     (const char *)sqlite3_column_text(st, 3),
				     (const char *)sqlite3_column_text(st, 4),
				     (const char *)sqlite3_column_text(st, 5)))
			continue;
		sqlite3_reset(del);
		sqlite3_bind_value(del, 1, sqlite3_column_value(st, 0));
		sqlite3_bind_value(del, 2, sqlite3_column_value(st, 1));
		rc = sqlite3_step(del);
		rc = rc == SQLITE_DONE ? SQLITE_OK : rc;
	}
	sqlite3_finalize(st);
	sqlite3_finalize(del);
	if (rc != SQLITE_DONE && rc != SQLITE_OK)
		return store_fail(db, rc, err, _("cannot erase the personal data"));
	return TD_OK;
}

/* Erasing a person deletes the saved filters (every desk's, deleted ones
 * too: a soft delete keeps the text) that name them: the words typed to
 * find them are their data as much as the dossier is; and the drafts
 * about them (erase_drafts). */
static int erase_filters(td_db *db, const char *holder_id, td_err *err)
{
	static const char values[] =
		"SELECT 'last_name', last_name FROM holder WHERE id = ?1"
		" UNION ALL SELECT 'first_name', first_name FROM holder WHERE id = ?1"
		" UNION ALL SELECT 'email', email FROM holder WHERE id = ?1"
		" UNION ALL SELECT 'phone', phone FROM holder WHERE id = ?1"
		" UNION ALL SELECT field, old_value FROM field_change"
		" WHERE dossier_id IN " OF_HOLDER
		" AND field IN ('last_name', 'first_name', 'email', 'phone')"
		" UNION ALL SELECT field, new_value FROM field_change"
		" WHERE dossier_id IN " OF_HOLDER
		" AND field IN ('last_name', 'first_name', 'email', 'phone')";
	struct terms t = { 0 };
	sqlite3_stmt *st = NULL, *del = NULL;
	int rc, code = TD_OK;

	rc = sqlite3_prepare_v2(db->h, values, -1, &st, NULL);
	if (rc != SQLITE_OK)
		return store_fail(db, rc, err, _("cannot erase the personal data"));
	store_bind_text(st, 1, holder_id);
	while (!code && (rc = sqlite3_step(st)) == SQLITE_ROW) {
		const char *f = (const char *)sqlite3_column_text(st, 0);
		const char *v = (const char *)sqlite3_column_text(st, 1);
		if (f && v)
			code = terms_of(&t, f, v);
	}
	sqlite3_finalize(st);
	if (code == TD_ENOMEM)
		code = td_err_set(err, TD_ENOMEM, _("out of memory"));
	else if (rc != SQLITE_DONE)
		code = store_fail(db, rc, err, _("cannot erase the personal data"));
	if (code || t.n == 0)
		goto out;
	if ((code = erase_drafts(db, &t, err)))
		goto out;
	rc = sqlite3_prepare_v2(db->h, "SELECT id, name || ' ' || spec"
				" FROM saved_filter", -1, &st, NULL);
	if (rc == SQLITE_OK)
		rc = sqlite3_prepare_v2(db->h, "DELETE FROM saved_filter"
					" WHERE id = ?1", -1, &del, NULL);
	while (rc == SQLITE_OK && (rc = sqlite3_step(st)) == SQLITE_ROW) {
		const char *text = (const char *)sqlite3_column_text(st, 1);
		if (!text || !names_person(&t, text)) {
			rc = SQLITE_OK;
			continue;
		}
		sqlite3_reset(del);
		sqlite3_bind_value(del, 1, sqlite3_column_value(st, 0));
		rc = sqlite3_step(del);
		rc = rc == SQLITE_DONE ? SQLITE_OK : rc;
	}
	if (rc != SQLITE_DONE && rc != SQLITE_OK)
		code = store_fail(db, rc, err, _("cannot erase the personal data"));
	sqlite3_finalize(st);
	sqlite3_finalize(del);
out:
	free(t.w);
	free(t.kind);
	return code;
}

int td_store_erase_filters_incoming(td_db *db, const void *cs, size_t ncs,
				    td_err *err)
{
	sqlite3_changeset_iter *it;
	sqlite3_stmt *st;
	int code = TD_OK, key = -1, kind = -1;

	if (sqlite3_prepare_v2(db->h, "PRAGMA table_info(erasure)", -1, &st,
			       NULL) != SQLITE_OK)
		return TD_OK;
	while (sqlite3_step(st) == SQLITE_ROW) {
		const char *name = (const char *)sqlite3_column_text(st, 1);
		if (name && strcmp(name, "record_key") == 0)
			key = sqlite3_column_int(st, 0);
		else if (name && strcmp(name, "kind") == 0)
			kind = sqlite3_column_int(st, 0);
	}
	sqlite3_finalize(st);
	if (key < 0 || kind < 0 ||
	    sqlite3changeset_start(&it, (int)ncs, (void *)cs) != SQLITE_OK)
		return TD_OK;
	while (!code && sqlite3changeset_next(it) == SQLITE_ROW) {
		const char *tbl;
		int ncol, op, ind;
		sqlite3_value *k = NULL, *t = NULL;
		sqlite3changeset_op(it, &tbl, &ncol, &op, &ind);
		if (strcmp(tbl, "erasure") != 0 || op != SQLITE_INSERT ||
		    key >= ncol || kind >= ncol ||
		    sqlite3changeset_new(it, key, &k) != SQLITE_OK ||
		    sqlite3changeset_new(it, kind, &t) != SQLITE_OK || !k || !t ||
		    sqlite3_value_type(k) != SQLITE_TEXT ||
		    sqlite3_value_type(t) != SQLITE_TEXT ||
		    strcmp((const char *)sqlite3_value_text(t), "holder") != 0)
			continue;
		code = erase_filters(db, (const char *)sqlite3_value_text(k),
				     err);
	}
	sqlite3changeset_finalize(it);
	return code;
}

int td_store_erase(td_db *db, const struct td_erasure_rec *r, bool replay,
		   int *ndossiers, td_err *err)
{
	bool holder = strcmp(r->kind, "holder") == 0, nested;
	int n = 0, code;

	if (ndossiers)
		*ndossiers = 0;
	if (!holder && strcmp(r->kind, "dossier") != 0)
		return td_err_set(err, TD_EINVAL,
			_("unknown kind of erasure \"%s\""), r->kind);
	if ((code = store_tx_begin(db, &nested, err)))
		return code;
	code = exists(db, r, holder, &n, err);
	if (!code && n == 0 && !replay)
		code = td_err_set(err, TD_ENOTFOUND,
			_("no record %s to erase"), r->key);
	if (!code)
		code = run(db, "INSERT OR IGNORE INTO erasure(record_key, kind,"
			   " reason, actor, at) VALUES(?1, ?5, ?4, ?3, ?2)",
			   r->key, r, NULL, err);
	/* Before the names are blanked: they say which filters to drop. */
	if (!code && holder)
		code = erase_filters(db, r->key, err);
	for (size_t i = 0; holder && !code &&
	     i < sizeof holder_steps / sizeof *holder_steps; i++)
		code = run(db, holder_steps[i], r->key, r, NULL, err);
	for (const char *const *s = holder ? of_holder : of_dossier;
	     !code && n > 0 && *s; s++)
		code = run(db, *s, r->key, r, NULL, err);
	/* The search index: the dossiers' rows rewritten without the
	 * erased words (the triggers listed them).  The old rows' entries
	 * stay in older segments until td_store_search_merge. */
	if (!code && n > 0)
		code = td_store_search_sync(db, err);
	if (!code && ndossiers)
		*ndossiers = n;
	return store_tx_end(db, nested, code, err);
}

int td_store_search_merge(td_db *db, td_err *err)
{
	struct td_erasure_rec r;
	bool nested;
	int code;

	memset(&r, 0, sizeof r);
	if ((code = store_tx_begin(db, &nested, err)))
		return code;
	code = run(db, "INSERT INTO dossier_fts(dossier_fts) VALUES('optimize')",
		   "", &r, NULL, err);
	return store_tx_end(db, nested, code, err);
}

int td_store_wal_truncate(td_db *db, td_err *err)
{
	int rc = sqlite3_wal_checkpoint_v2(db->h, NULL,
					   SQLITE_CHECKPOINT_TRUNCATE, NULL,
					   NULL);
	if (rc == SQLITE_BUSY || rc == SQLITE_LOCKED)
		return td_err_set(err, TD_EBUSY,
			_("another program is reading the database: the erased data stays in %s-wal until it closes"),
			db->path);
	if (rc != SQLITE_OK)
		return store_fail(db, rc, err, _("cannot truncate the write-ahead log"));
	return TD_OK;
}

int td_store_erasure_each(td_db *db,
			  int (*cb)(const struct td_erasure_rec *r, void *ctx),
			  void *ctx, td_err *err)
{
	static const char sql[] =
		"SELECT record_key, kind, reason, actor, at FROM erasure"
		" ORDER BY at, record_key";
	struct td_erasure_rec r;
	sqlite3_stmt *st;
	int rc = sqlite3_prepare_v2(db->h, sql, -1, &st, NULL), ret = 0;
	if (rc != SQLITE_OK)
		return store_fail(db, rc, err, _("cannot read the erasure log"));
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		memset(&r, 0, sizeof r);
		store_col_copy(st, 0, r.key, sizeof r.key);
		store_col_copy(st, 1, r.kind, sizeof r.kind);
		store_col_copy(st, 2, r.reason, sizeof r.reason);
		store_col_copy(st, 3, r.actor, sizeof r.actor);
		store_col_copy(st, 4, r.at, sizeof r.at);
		if ((ret = cb(&r, ctx)) != 0)
			break;
	}
	if (ret == 0 && rc != SQLITE_DONE)
		ret = store_fail(db, rc, err, _("cannot read the erasure log"));
	sqlite3_finalize(st);
	return ret;
}

/* ---- the exchange's outbox ---------------------------------------------- */

/* The columns erasure blanks, per shared table (their primary key is
 * "id" in each). */
static const struct {
	const char *table;
	const char *cols[7];
} personal_cols[] = {
	{ "holder", { "last_name", "first_name", "email", "phone",
		      "postcode", "city", NULL } },
	{ "dossier", { "project_title", "description", "siret", NULL } },
	{ "note", { "body", NULL } },
	{ "referral", { "reason", "outcome", NULL } },
	{ "field_change", { "old_value", "new_value", NULL } },
};
#define NPERSONAL (sizeof personal_cols / sizeof *personal_cols)

/* A run of bytes of a blob to overwrite with spaces. */
struct span {
	size_t at, len;
};

struct scrub {
	td_db *db;
	struct span *spans;   /* what blank() marked in the blob read */
	int nspans, cap;
	bool oom;
	char **keys;          /* record keys of the erased rows */
	int nkeys;
};

static bool scrub_key(const struct scrub *s, const unsigned char *p,
		      size_t n)
{
	for (int i = 0; i < s->nkeys; i++)
		if (strlen(s->keys[i]) == n && memcmp(s->keys[i], p, n) == 0)
			return true;
	return false;
}

/* Which columns of table (in its order: the changeset's) are personal,
 * into flag[]; *pk the index of "id".  false: not a table erasure
 * touches. */
static bool table_cols(td_db *db, const char *table, int ncol, bool *flag,
		       int *pk)
{
	size_t t = 0;
	while (t < NPERSONAL && strcmp(personal_cols[t].table, table) != 0)
		t++;
	if (t == NPERSONAL)
		return false;
	char sql[96];
	sqlite3_stmt *st;
	snprintf(sql, sizeof sql, "PRAGMA table_info(%s)", table);
	if (sqlite3_prepare_v2(db->h, sql, -1, &st, NULL) != SQLITE_OK)
		return false;
	*pk = -1;
	for (int i = 0; i < ncol; i++)
		flag[i] = false;
	while (sqlite3_step(st) == SQLITE_ROW) {
		int cid = sqlite3_column_int(st, 0);
		const char *name = (const char *)sqlite3_column_text(st, 1);
		if (cid < 0 || cid >= ncol || !name)
			continue;
		if (strcmp(name, "id") == 0)
			*pk = cid;
		for (const char *const *c = personal_cols[t].cols; *c; c++)
			if (strcmp(*c, name) == 0)
				flag[cid] = true;
	}
	sqlite3_finalize(st);
	return *pk >= 0;
}

/* SQLite's varint (changesets): *v, or false past the end. */
static bool varint(const unsigned char *p, size_t n, size_t *at,
		   unsigned long long *v)
{
	*v = 0;
	for (int i = 0; i < 9; i++) {
		if (*at >= n)
			return false;
		unsigned char c = p[(*at)++];
		if (i == 8) {
			*v = (*v << 8) | c;
			return true;
		}
		*v = (*v << 7) | (c & 0x7f);
		if (!(c & 0x80))
			return true;
	}
	return true;
}

struct val {
	int type;        /* 0 undefined, 1 int, 2 float, 3 text, 4 blob, 5 null */
	size_t at, len;  /* the text's or blob's bytes */
};

/* One record of ncol values at *at into v[]. */
static bool record(const unsigned char *p, size_t n, size_t *at, int ncol,
		   struct val *v)
{
	for (int i = 0; i < ncol; i++) {
		unsigned long long len;
		if (*at >= n)
			return false;
		v[i].type = p[(*at)++];
		v[i].at = *at;
		v[i].len = 0;
		switch (v[i].type) {
		case 0: case 5:
			break;
		case 1: case 2:
			if (n - *at < 8)
				return false;
			*at += 8;
			break;
		case 3: case 4:
			if (!varint(p, n, at, &len) || n - *at < len)
				return false;
			v[i].at = *at;
			v[i].len = (size_t)len;
			*at += (size_t)len;
			break;
		default:
			return false;
		}
	}
	return true;
}

/* Mark the personal values (flag) of record v for blanking: the blob
 * is written in place, those bytes only, not rewritten whole (a batch's
 * changeset can hold tens of megabytes). */
static void blank(struct scrub *s, const struct val *v, int ncol,
		  const bool *flag)
{
	for (int i = 0; i < ncol; i++) {
		if (!flag[i] || v[i].type != 3 || v[i].len == 0)
			continue;
		if (s->nspans == s->cap) {
			int c = s->cap ? s->cap * 2 : 16;
			struct span *n = realloc(s->spans, (size_t)c * sizeof *n);
			if (!n) {
				s->oom = true;
				return;
			}
			s->spans = n;
			s->cap = c;
		}
		s->spans[s->nspans].at = v[i].at;
		s->spans[s->nspans++].len = v[i].len;
	}
}

/* Write spaces over the spans marked in column col of outbox entry n. */
static int blank_spans(struct scrub *s, const char *col, long long n)
{
	char spaces[256];
	sqlite3_blob *b = NULL;
	int rc = SQLITE_OK;

	if (s->nspans == 0)
		return SQLITE_OK;
	memset(spaces, ' ', sizeof spaces);
	rc = sqlite3_blob_open(s->db->h, "main", "sync_outbox", col, n, 1, &b);
	for (int i = 0; rc == SQLITE_OK && i < s->nspans; i++)
		for (size_t o = 0; rc == SQLITE_OK && o < s->spans[i].len;
		     o += sizeof spaces) {
			size_t k = s->spans[i].len - o;
			if (k > sizeof spaces)
				k = sizeof spaces;
			rc = sqlite3_blob_write(b, spaces, (int)k,
						(int)(s->spans[i].at + o));
		}
	if (b && sqlite3_blob_close(b) != SQLITE_OK && rc == SQLITE_OK)
		rc = sqlite3_errcode(s->db->h);
	s->nspans = 0;
	return rc;
}

/* Blank the personal values of the erased rows in a changeset (in
 * place).  false when it cannot be read: left as it is. */
static bool scrub_changeset(struct scrub *s, unsigned char *p, size_t n)
{
	enum { MAXCOL = 64 };
	struct val oldv[MAXCOL], newv[MAXCOL];
	bool flag[MAXCOL];
	size_t at = 0;
	int ncol = 0, pk = -1;
	bool ours = false;

	while (at < n) {
		if (p[at] == 'T') {
			unsigned long long nc;
			at++;
			if (!varint(p, n, &at, &nc) || nc == 0 || nc > MAXCOL ||
			    n - at < nc)
				return false;
			ncol = (int)nc;
			at += (size_t)nc;         /* the primary key flags */
			const unsigned char *name = p + at;
			const unsigned char *nul = memchr(name, '\0', n - at);
			if (!nul)
				return false;
			at = (size_t)(nul - p) + 1;
			ours = table_cols(s->db, (const char *)name, ncol, flag,
					  &pk);
			continue;
		}
		if (ncol == 0 || n - at < 2)
			return false;
		int op = p[at];
		at += 2;                          /* op, indirect */
		struct val *key = NULL;
		if (op == SQLITE_INSERT) {
			if (!record(p, n, &at, ncol, newv))
				return false;
			key = newv;
		} else if (op == SQLITE_DELETE) {
			if (!record(p, n, &at, ncol, oldv))
				return false;
			key = oldv;
		} else if (op == SQLITE_UPDATE) {
			if (!record(p, n, &at, ncol, oldv) ||
			    !record(p, n, &at, ncol, newv))
				return false;
			key = oldv;
		} else {
			return false;
		}
		if (!ours || key[pk].type != 3 ||
		    !scrub_key(s, p + key[pk].at, key[pk].len))
			continue;
		if (op != SQLITE_INSERT)
			blank(s, oldv, ncol, flag);
		if (op != SQLITE_DELETE)
			blank(s, newv, ncol, flag);
	}
	return true;
}

static bool get_u32(const unsigned char *p, size_t n, size_t *at,
		    uint32_t *v)
{
	if (n - *at < 4 || *at > n)
		return false;
	*v = (uint32_t)p[*at] << 24 | (uint32_t)p[*at + 1] << 16 |
	     (uint32_t)p[*at + 2] << 8 | p[*at + 3];
	*at += 4;
	return true;
}

/* The outbox's log rows (src/store/sync.c, encode_logs): per row the
 * table's name, its number of columns, then each column's name and
 * value (a type byte; 8 bytes for a number; a 4-byte length and the
 * bytes for text or a blob).  Blank old_value and new_value of the
 * field history of the erased dossiers. */
static bool scrub_logs(struct scrub *s, unsigned char *p, size_t n)
{
	size_t at = 0;
	while (at < n) {
		uint32_t len, nc;
		if (!get_u32(p, n, &at, &len) || n - at < len)
			return false;
		bool fc = len == 12 && memcmp(p + at, "field_change", 12) == 0;
		at += len;
		if (!get_u32(p, n, &at, &nc) || nc > 64)
			return false;
		struct val v[64];
		bool flag[64], mine = false;
		for (uint32_t c = 0; c < nc; c++) {
			if (!get_u32(p, n, &at, &len) || n - at < len)
				return false;
			const unsigned char *name = p + at;
			size_t nl = len;
			at += len;
			if (at >= n)
				return false;
			v[c].type = p[at++];
			v[c].len = 0;
			v[c].at = at;
			if (v[c].type == SQLITE_INTEGER ||
			    v[c].type == SQLITE_FLOAT) {
				if (n - at < 8)
					return false;
				at += 8;
			} else if (v[c].type == SQLITE_TEXT ||
				   v[c].type == SQLITE_BLOB) {
				if (!get_u32(p, n, &at, &len) || n - at < len)
					return false;
				v[c].at = at;
				v[c].len = len;
				at += len;
			}
			flag[c] = fc && ((nl == 9 && !memcmp(name, "old_value", 9)) ||
					 (nl == 9 && !memcmp(name, "new_value", 9)));
			if (fc && nl == 10 && !memcmp(name, "dossier_id", 10) &&
			    v[c].type == SQLITE_TEXT &&
			    scrub_key(s, p + v[c].at, v[c].len))
				mine = true;
		}
		if (mine) {
			/* blank() reads type 3 as text, SQLite's code too */
			blank(s, v, (int)nc, flag);
		}
	}
	return true;
}

static int key_add(int ncols, const char *const *cols, void *ctx)
{
	struct scrub *s = ctx;
	char **k = realloc(s->keys, (size_t)(s->nkeys + 1) * sizeof *k);
	if (!k)
		return TD_ENOMEM;
	s->keys = k;
	if (!(k[s->nkeys] = strdup(ncols > 0 ? cols[0] : "")))
		return TD_ENOMEM;
	s->nkeys++;
	return 0;
}

static int each_key(td_db *db, const char *sql, const char *key,
		    struct scrub *s, td_err *err)
{
	sqlite3_stmt *st;
	int rc = sqlite3_prepare_v2(db->h, sql, -1, &st, NULL), ret = 0;
	if (rc != SQLITE_OK)
		return store_fail(db, rc, err, _("cannot erase the personal data"));
	store_bind_text(st, 1, key);
	while (!ret && (rc = sqlite3_step(st)) == SQLITE_ROW) {
		const char *v = (const char *)sqlite3_column_text(st, 0);
		const char *cols[] = { v ? v : "" };
		ret = key_add(1, cols, s);
	}
	if (ret == TD_ENOMEM)
		ret = td_err_set(err, TD_ENOMEM, _("out of memory"));
	else if (!ret && rc != SQLITE_DONE)
		ret = store_fail(db, rc, err, _("cannot erase the personal data"));
	sqlite3_finalize(st);
	return ret;
}

int td_store_erase_scrub(td_db *db, const struct td_erasure_rec *r,
			 td_err *err)
{
	static const char *const holder_keys[] = {
		"SELECT ?1",
		"SELECT id FROM dossier WHERE holder_id = ?1",
		"SELECT id FROM note WHERE dossier_id IN"
		" (SELECT id FROM dossier WHERE holder_id = ?1)",
		"SELECT id FROM referral WHERE dossier_id IN"
		" (SELECT id FROM dossier WHERE holder_id = ?1)",
		NULL
	};
	static const char *const dossier_keys[] = {
		"SELECT ?1",
		"SELECT id FROM note WHERE dossier_id = ?1",
		"SELECT id FROM referral WHERE dossier_id = ?1",
		NULL
	};
	struct scrub s = { .db = db };
	bool holder = strcmp(r->kind, "holder") == 0, nested;
	int code = TD_OK;

	sqlite3_stmt *st;
	if (sqlite3_prepare_v2(db->h, "SELECT 1 FROM sqlite_master WHERE"
			       " name = 'sync_outbox'", -1, &st, NULL) != SQLITE_OK)
		return store_fail(db, sqlite3_errcode(db->h), err,
				  _("cannot erase the personal data"));
	bool outbox = sqlite3_step(st) == SQLITE_ROW;
	sqlite3_finalize(st);
	if (!outbox)
		return TD_OK;
	for (const char *const *q = holder ? holder_keys : dossier_keys;
	     *q && !code; q++)
		code = each_key(db, *q, r->key, &s, err);
	if (!code)
		code = store_tx_begin(db, &nested, err);
	else
		goto out;
	/* The exchange's conflicts keep both values of a field: not those
	 * of an erased record. */
	for (int k = 0; k < s.nkeys && !code; k++) {
		sqlite3_stmt *up;
		int rc = sqlite3_prepare_v2(db->h,
			"UPDATE sync_conflict SET kept = NULL, lost = NULL"
			" WHERE row_key = ?1", -1, &up, NULL);
		if (rc == SQLITE_OK) {
			store_bind_text(up, 1, s.keys[k]);
			rc = sqlite3_step(up);
			rc = rc == SQLITE_DONE ? SQLITE_OK : rc;
			sqlite3_finalize(up);
		}
		if (rc != SQLITE_OK)
			code = store_fail(db, rc, err,
					  _("cannot erase the personal data"));
	}
	/* One pass over the outbox: each entry read once, its rows of any
	 * of the keys (ULIDs: nobody else's) blanked in place. */
	sqlite3_stmt *sel = NULL;
	int rc = code ? SQLITE_OK : sqlite3_prepare_v2(db->h,
		"SELECT n, changes, logs FROM sync_outbox", -1, &sel, NULL);
	if (rc != SQLITE_OK)
		code = store_fail(db, rc, err, _("cannot erase the personal data"));
	while (!code && (rc = sqlite3_step(sel)) == SQLITE_ROW) {
		long long n = sqlite3_column_int64(sel, 0);
		size_t nc = (size_t)sqlite3_column_bytes(sel, 1);
		size_t nl = (size_t)sqlite3_column_bytes(sel, 2);
		/* Read from copies: the writes below may move the row's
		 * pages under the statement. */
		unsigned char *c = nc ? malloc(nc) : NULL;
		unsigned char *l = nl ? malloc(nl) : NULL;
		if ((nc && !c) || (nl && !l)) {
			free(c);
			free(l);
			code = td_err_set(err, TD_ENOMEM, _("out of memory"));
			break;
		}
		if (nc)
			memcpy(c, sqlite3_column_blob(sel, 1), nc);
		if (nl)
			memcpy(l, sqlite3_column_blob(sel, 2), nl);
		s.nspans = 0;
		if (c)
			scrub_changeset(&s, c, nc);
		int wrc = blank_spans(&s, "changes", n);
		if (l && wrc == SQLITE_OK)
			scrub_logs(&s, l, nl);
		if (wrc == SQLITE_OK)
			wrc = blank_spans(&s, "logs", n);
		if (s.oom)
			code = td_err_set(err, TD_ENOMEM, _("out of memory"));
		else if (wrc != SQLITE_OK)
			code = store_fail(db, wrc, err,
					  _("cannot erase the personal data"));
		free(c);
		free(l);
	}
	if (!code && rc != SQLITE_DONE)
		code = store_fail(db, rc, err, _("cannot erase the personal data"));
	sqlite3_finalize(sel);
	code = store_tx_end(db, nested, code, err);
out:
	for (int k = 0; k < s.nkeys; k++)
		free(s.keys[k]);
	free(s.keys);
	free(s.spans);
	return code;
}

static const char *const privacy_sql[TD_PQ_COUNT] = {
	/* The local part is stored as typed: "Zoe.L@" and "zoe.l@" are
	 * one person's address in practice.  A scan, for a rare request. */
	[TD_PQ_BY_EMAIL] = "SELECT id FROM holder WHERE lower(email) = lower(?1)"
		" AND deleted = 0 ORDER BY created_at, id",
	[TD_PQ_BY_PHONE] = "SELECT id FROM holder WHERE phone = ?1"
		" AND deleted = 0 ORDER BY created_at, id",
	[TD_PQ_DOSSIERS] = "SELECT reference FROM dossier WHERE holder_id = ?1"
		" AND deleted = 0 ORDER BY created_at, id",
	[TD_PQ_HOLDER] = "SELECT erased_at, consent_at, consent_version,"
		" consent_withdrawn_at, consent_withdrawn_by, created_at,"
		" site_code FROM holder WHERE id = ?1",
	[TD_PQ_HOLDER_AUDIT] = "SELECT at, actor, action, detail FROM audit"
		" WHERE entity_id = ?1 ORDER BY id",
	[TD_PQ_DUP_DECISIONS] = "SELECT site_code, created_by, created_at"
		" FROM dup_dismissal WHERE holder_id = ?1"
		" GROUP BY site_code ORDER BY created_at",
	[TD_PQ_FIELD_HISTORY] = "SELECT at, actor, field, old_value, new_value"
		" FROM field_change WHERE dossier_id = ?1 ORDER BY id",
	[TD_PQ_SENSITIVE] = "SELECT at, actor, action, coalesce(entity_id, ''),"
		" coalesce(detail, '') FROM audit WHERE ?1 IS NOT NULL AND action IN"
		" ('export', 'access_export', 'erase', 'consent_withdraw',"
		" 'purge') ORDER BY id DESC LIMIT 50",
};

int td_store_privacy_each(td_db *db, enum td_privacy_query q,
			  const char *key,
			  int (*cb)(int ncols, const char *const *cols,
				    void *ctx),
			  void *ctx, td_err *err)
{
	const char *cols[8];
	sqlite3_stmt *st;
	int rc, ret = 0;

	if ((unsigned)q >= TD_PQ_COUNT)
		return td_err_set(err, TD_EINVAL, "bad privacy query");
	rc = sqlite3_prepare_v2(db->h, privacy_sql[q], -1, &st, NULL);
	if (rc != SQLITE_OK)
		return store_fail(db, rc, err, _("cannot read the person's data"));
	store_bind_text(st, 1, key);
	int n = sqlite3_column_count(st);
	if (n > 8)
		n = 8;
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		for (int i = 0; i < n; i++) {
			const char *v = (const char *)sqlite3_column_text(st, i);
			cols[i] = v ? v : "";
		}
		if ((ret = cb(n, cols, ctx)) != 0)
			break;
	}
	if (ret == 0 && rc != SQLITE_DONE)
		ret = store_fail(db, rc, err, _("cannot read the person's data"));
	sqlite3_finalize(st);
	return ret;
}

int td_store_consent_withdraw(td_db *db, const char *holder_id,
			      const char *actor, const char *at, td_err *err)
{
	struct td_erasure_rec r;
	bool nested;
	int n = 0, code;

	memset(&r, 0, sizeof r);
	snprintf(r.at, sizeof r.at, "%s", at);
	snprintf(r.actor, sizeof r.actor, "%s", actor);
	if ((code = store_tx_begin(db, &nested, err)))
		return code;
	code = run(db, "UPDATE holder SET consent_withdrawn_at = ?2,"
		   " consent_withdrawn_by = ?3 WHERE id = ?1"
		   " AND consent_withdrawn_at IS NULL", holder_id, &r, &n, err);
	if (!code && n == 0) {
		int k = 0;
		sqlite3_stmt *st;
		int rc = sqlite3_prepare_v2(db->h,
			"SELECT count(*) FROM holder WHERE id = ?1", -1, &st,
			NULL);
		if (rc == SQLITE_OK) {
			store_bind_text(st, 1, holder_id);
			k = sqlite3_step(st) == SQLITE_ROW
				? sqlite3_column_int(st, 0) : 0;
			sqlite3_finalize(st);
		}
		code = k ? td_err_set(err, TD_EEXIST,
				_("the consent was already withdrawn"))
			 : td_err_set(err, TD_ENOTFOUND,
				_("no person %s"), holder_id);
	}
	if (!code)
		code = run(db, "INSERT INTO audit(at, actor, action, entity,"
			   " entity_id, dossier_id, detail) SELECT ?2, ?3,"
			   " 'consent_withdraw', 'dossier', id, id, NULL"
			   " FROM dossier WHERE holder_id = ?1", holder_id, &r,
			   NULL, err);
	return store_tx_end(db, nested, code, err);
}

/* ---- retention ----------------------------------------------------------- */

/* The dossiers due, each arm an index range rather than a pass over
 * every dossier (an administrator's home screen counts them at start):
 * closed ones through dossier_status_created (a dossier is closed after
 * it is created, so one closed before ?1 was created before it too),
 * untouched ones through dossier_activity_last (every dossier has its
 * row, written by a trigger at its insert).  Erased ones are left out
 * row by row: they stay in both ranges. */
#define DUE \
	"SELECT d.id, d.reference, d.holder_id FROM dossier d" \
	" WHERE ?1 <> '' AND d.status = 'closed' AND d.created_at < ?1" \
	" AND d.deleted = 0 AND d.erased_at IS NULL" \
	" AND coalesce((SELECT max(at) FROM audit WHERE dossier_id = d.id" \
	" AND action = 'status' AND detail LIKE '% -> closed')," \
	" d.updated_at) < ?1" \
	" UNION SELECT d.id, d.reference, d.holder_id" \
	" FROM dossier_activity a JOIN dossier d ON d.id = a.dossier_id" \
	" WHERE ?2 <> '' AND a.last_action_at < ?2" \
	" AND d.deleted = 0 AND d.erased_at IS NULL"

static const char due_count_sql[] = "SELECT count(*) FROM (" DUE ")";

int td_store_retention_count(td_db *db, const char *closed_before,
			     const char *untouched_before, long *n,
			     td_err *err)
{
	sqlite3_stmt *st;
	int rc = sqlite3_prepare_v2(db->h, due_count_sql, -1, &st, NULL);
	*n = 0;
	if (rc != SQLITE_OK)
		return store_fail(db, rc, err, _("cannot read the retention rules' dossiers"));
	store_bind_text(st, 1, closed_before);
	store_bind_text(st, 2, untouched_before);
	rc = sqlite3_step(st);
	if (rc == SQLITE_ROW)
		*n = (long)sqlite3_column_int64(st, 0);
	sqlite3_finalize(st);
	return rc == SQLITE_ROW ? TD_OK
		: store_fail(db, rc, err, _("cannot read the retention rules' dossiers"));
}

int td_store_retention_plan(td_db *db, char *out, size_t outsz, td_err *err)
{
	return store_plan(db, due_count_sql, out, outsz, err);
}

int td_store_retention_due(td_db *db, const char *closed_before,
			   const char *untouched_before,
			   int (*cb)(const char *id, const char *reference,
				     const char *holder_id, bool whole,
				     void *ctx),
			   void *ctx, td_err *err)
{
	static const char sql[] =
		"WITH due AS (" DUE ")"
		" SELECT id, reference, holder_id, NOT EXISTS (SELECT 1"
		" FROM dossier o WHERE o.holder_id = due.holder_id"
		" AND o.deleted = 0 AND o.erased_at IS NULL"
		" AND o.id NOT IN (SELECT id FROM due))"
		" FROM due ORDER BY holder_id, reference";
	sqlite3_stmt *st;
	int rc = sqlite3_prepare_v2(db->h, sql, -1, &st, NULL), ret = 0;
	if (rc != SQLITE_OK)
		return store_fail(db, rc, err, _("cannot read the retention rules' dossiers"));
	store_bind_text(st, 1, closed_before);
	store_bind_text(st, 2, untouched_before);
	/* Read them all first: the callback erases. */
	struct row { char id[TD_ID_SIZE], ref[TD_REF_SIZE], holder[TD_ID_SIZE];
		     bool whole; } *v = NULL;
	size_t n = 0, cap = 0;
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		if (n == cap) {
			size_t c = cap ? cap * 2 : 64;
			struct row *w = realloc(v, c * sizeof *w);
			if (!w) {
				ret = td_err_set(err, TD_ENOMEM, _("out of memory"));
				break;
			}
			v = w;
			cap = c;
		}
		store_col_copy(st, 0, v[n].id, sizeof v[n].id);
		store_col_copy(st, 1, v[n].ref, sizeof v[n].ref);
		store_col_copy(st, 2, v[n].holder, sizeof v[n].holder);
		v[n].whole = sqlite3_column_int(st, 3) != 0;
		n++;
	}
	if (!ret && rc != SQLITE_DONE)
		ret = store_fail(db, rc, err, _("cannot read the retention rules' dossiers"));
	sqlite3_finalize(st);
	for (size_t i = 0; !ret && i < n; i++)
		ret = cb(v[i].id, v[i].ref, v[i].holder, v[i].whole, ctx);
	free(v);
	return ret;
}

static long count_of(td_db *db, const char *sql, const char *arg, int *code,
		     td_err *err)
{
	sqlite3_stmt *st;
	long v = 0;
	int rc = sqlite3_prepare_v2(db->h, sql, -1, &st, NULL);
	if (rc != SQLITE_OK) {
		*code = store_fail(db, rc, err, _("cannot read the person's data"));
		return 0;
	}
	if (arg)
		store_bind_text(st, 1, arg);
	if ((rc = sqlite3_step(st)) == SQLITE_ROW)
		v = (long)sqlite3_column_int64(st, 0);
	else
		*code = store_fail(db, rc, err, _("cannot read the person's data"));
	sqlite3_finalize(st);
	return v;
}

int td_store_audit_purge(td_db *db, const char *before, bool del, long *n,
			 td_err *err)
{
	struct td_erasure_rec r;
	bool nested;
	int code = TD_OK;

	*n = count_of(db, "SELECT count(*) FROM audit WHERE at < ?1", before,
		      &code, err);
	if (code || !del || *n == 0)
		return code;
	memset(&r, 0, sizeof r);
	if ((code = store_tx_begin(db, &nested, err)))
		return code;
	code = run(db, "INSERT INTO audit_purge(cutoff) VALUES(?1)", before,
		   &r, NULL, err);
	if (!code)
		code = run(db, "DELETE FROM audit WHERE at < ?1", before, &r,
			   NULL, err);
	if (!code)
		code = run(db, "DELETE FROM audit_purge", before, &r, NULL, err);
	return store_tx_end(db, nested, code, err);
}

int td_store_privacy_figures(td_db *db, const char *year_start,
			     struct td_privacy_figures *f, td_err *err)
{
	int code = TD_OK;
	sqlite3_stmt *st;

	memset(f, 0, sizeof *f);
	f->holders = count_of(db, "SELECT count(*) FROM holder WHERE"
			      " deleted = 0 AND erased_at IS NULL", NULL, &code,
			      err);
	if (!code)
		f->withdrawals = count_of(db, "SELECT count(*) FROM holder"
			" WHERE consent_withdrawn_at IS NOT NULL"
			" AND erased_at IS NULL", NULL, &code, err);
	if (!code)
		f->erasures_year = count_of(db, "SELECT count(*) FROM erasure"
			" WHERE at >= ?1", year_start, &code, err);
	if (!code)
		f->erasures = count_of(db, "SELECT count(*) FROM erasure",
				       NULL, &code, err);
	if (!code && sqlite3_prepare_v2(db->h, "SELECT min(created_at) FROM"
			" dossier WHERE deleted = 0 AND erased_at IS NULL",
			-1, &st, NULL) == SQLITE_OK) {
		if (sqlite3_step(st) == SQLITE_ROW)
			store_col_copy(st, 0, f->oldest, sizeof f->oldest);
		sqlite3_finalize(st);
	}
	return code;
}
