/* Duplicate lookup keys, candidate lookup and "not the same person"
 * decisions (tables of migration_2.c; see dup.h).
 *
 * A lookup is: the typed person's keys (a few dozen 64-bit hashes), one
 * primary-key seek each in dup_key, then one indexed read per distinct
 * candidate, scored in C.  Its cost depends on how many holders share a
 * key, not on how many holders there are. */
#include "store_int.h"
#include "totemdesk/domain.h"
#include "totemdesk/dup.h"
#include "totemdesk/i18n.h"
#include "store/dup.h"

#include <stdlib.h>
#include <string.h>

/* Candidates scored per lookup at most: a name shared by hundreds of
 * holders must not make typing slow; the best evidence (e-mail, phone,
 * SIRET keys) is looked up first so it is never crowded out. */
#define CANDIDATES_MAX 200

static bool blank(const char *s)
{
	return !s || !*s;
}

/* SQLite integers are signed; the keys are bit patterns. */
static sqlite3_int64 key_int(uint64_t k)
{
	sqlite3_int64 v;
	memcpy(&v, &k, sizeof v);
	return v;
}

/* Write the scored values of p for holder_id (creating its alias). */
static int holder_put(td_db *db, const char *holder_id,
		      const struct td_dup_person *p, td_err *err)
{
	sqlite3_stmt *st;
	int code = store_stmt_get(db, SS_DUP_HOLDER_PUT,
		"INSERT INTO dup_holder(holder_id, last_name, first_name, email,"
		" phone, postcode, title, siret) VALUES(?1, ?2, ?3, ?4, ?5, ?6,"
		" ?7, ?8) ON CONFLICT(holder_id) DO UPDATE SET"
		" last_name = excluded.last_name, first_name = excluded.first_name,"
		" email = excluded.email, phone = excluded.phone,"
		" postcode = excluded.postcode, title = excluded.title,"
		" siret = excluded.siret", &st, err);
	if (code != TD_OK)
		return code;
	store_bind_text(st, 1, holder_id);
	store_bind_text(st, 2, p->last_name);
	store_bind_text(st, 3, p->first_name);
	store_bind_opt(st, 4, p->email);
	store_bind_opt(st, 5, p->phone);
	store_bind_opt(st, 6, p->postcode);
	store_bind_opt(st, 7, p->title);
	store_bind_opt(st, 8, p->siret);
	int rc = sqlite3_step(st);
	if (rc != SQLITE_DONE)
		code = store_fail(db, rc, err,
				  _("cannot index the holder for the duplicate check"));
	store_stmt_put(db, SS_DUP_HOLDER_PUT, st);
	return code;
}

/* The values holder_id is indexed under now (its copy in dup_holder):
 * *n = 0 when it has none. */
struct stored_person {
	char last[TD_NAME_MAX * 4 + 1], first[TD_NAME_MAX * 4 + 1];
	char email[TD_EMAIL_MAX + 1], phone[64], siret[32], postcode[16];
	char title[TD_TITLE_MAX * 4 + 1];
};

static int holder_copy(td_db *db, const char *holder_id, sqlite3_int64 *n,
		       struct stored_person *sp, struct td_dup_person *p,
		       td_err *err)
{
	sqlite3_stmt *st;
	int code, rc;

	*n = 0;
	code = store_stmt_get(db, SS_DUP_HOLDER_N,
			      "SELECT n, last_name, first_name, email, phone,"
			      " postcode, title, siret FROM dup_holder"
			      " WHERE holder_id = ?1", &st, err);
	if (code != TD_OK)
		return code;
	store_bind_text(st, 1, holder_id);
	rc = sqlite3_step(st);
	if (rc == SQLITE_ROW) {
		*n = sqlite3_column_int64(st, 0);
		store_col_copy(st, 1, sp->last, sizeof sp->last);
		store_col_copy(st, 2, sp->first, sizeof sp->first);
		store_col_copy(st, 3, sp->email, sizeof sp->email);
		store_col_copy(st, 4, sp->phone, sizeof sp->phone);
		store_col_copy(st, 5, sp->postcode, sizeof sp->postcode);
		store_col_copy(st, 6, sp->title, sizeof sp->title);
		store_col_copy(st, 7, sp->siret, sizeof sp->siret);
		*p = (struct td_dup_person){ sp->last, sp->first, sp->email,
			sp->phone, sp->postcode, sp->title, sp->siret };
	} else if (rc != SQLITE_DONE) {
		code = store_fail(db, rc, err,
				  _("cannot index the holder for the duplicate check"));
	}
	store_stmt_put(db, SS_DUP_HOLDER_N, st);
	return code;
}

/* Insert (put) or delete the keys of p for alias n. */
static int write_keys(td_db *db, sqlite3_int64 n, const struct td_dup_person *p,
		      bool put, td_err *err)
{
	uint64_t keys[TD_DUP_KEYS_MAX];
	int nk = td_dup_keys(p, false, keys, TD_DUP_KEYS_MAX);
	int slot = put ? SS_DUP_KEY_PUT : SS_DUP_KEY_DEL;
	sqlite3_stmt *st;
	int code = store_stmt_get(db, slot,
				  put ? "INSERT OR IGNORE INTO dup_key(key, n)"
					" VALUES(?1, ?2)"
				      : "DELETE FROM dup_key WHERE key = ?1"
					" AND n = ?2",
				  &st, err);
	if (code != TD_OK)
		return code;
	for (int i = 0; i < nk && code == TD_OK; i++) {
		sqlite3_bind_int64(st, 1, key_int(keys[i]));
		sqlite3_bind_int64(st, 2, n);
		int rc = sqlite3_step(st);
		if (rc != SQLITE_DONE)
			code = store_fail(db, rc, err,
					  _("cannot index the holder for the duplicate check"));
		sqlite3_reset(st);
	}
	store_stmt_put(db, slot, st);
	return code;
}

int td_store_dup_index_person(td_db *db, const char *holder_id,
			      const struct td_dup_person *p, td_err *err)
{
	struct stored_person old;
	struct td_dup_person op;
	sqlite3_int64 n = 0;

	/* Keys of what the holder was indexed under before go first, so
	 * the index never keeps a name the holder no longer has. */
	int code = holder_copy(db, holder_id, &n, &old, &op, err);
	if (code == TD_OK && n)
		code = write_keys(db, n, &op, false, err);
	if (code == TD_OK)
		code = holder_put(db, holder_id, p, err);
	if (code == TD_OK && !n)
		code = holder_copy(db, holder_id, &n, &old, &op, err);
	if (code == TD_OK)
		code = write_keys(db, n, p, true, err);
	return code;
}

/* The values a holder is to be indexed under: its row and its newest
 * dossier's SIRET and title.  TD_ENOTFOUND when there is no such
 * holder. */

static int read_person(td_db *db, const char *holder_id,
		       struct stored_person *sp, struct td_dup_person *p,
		       td_err *err)
{
	sqlite3_stmt *st;
	int rc = sqlite3_prepare_v2(db->h,
		"SELECT h.last_name, h.first_name, h.email, h.phone,"
		" d.siret, h.postcode, d.project_title"
		" FROM holder h LEFT JOIN dossier d ON d.id ="
		" (SELECT id FROM dossier WHERE holder_id = h.id AND deleted = 0"
		"  ORDER BY created_at DESC LIMIT 1)"
		" WHERE h.id = ?1", -1, &st, NULL);
	if (rc != SQLITE_OK)
		return store_fail(db, rc, err, _("cannot read the holder"));
	int code = TD_OK;
	store_bind_text(st, 1, holder_id);
	rc = sqlite3_step(st);
	memset(sp, 0, sizeof *sp);
	if (rc == SQLITE_ROW) {
		store_col_copy(st, 0, sp->last, sizeof sp->last);
		store_col_copy(st, 1, sp->first, sizeof sp->first);
		store_col_copy(st, 2, sp->email, sizeof sp->email);
		store_col_copy(st, 3, sp->phone, sizeof sp->phone);
		store_col_copy(st, 4, sp->siret, sizeof sp->siret);
		store_col_copy(st, 5, sp->postcode, sizeof sp->postcode);
		store_col_copy(st, 6, sp->title, sizeof sp->title);
		*p = (struct td_dup_person){ .last_name = sp->last,
			.first_name = sp->first, .email = sp->email,
			.phone = sp->phone, .postcode = sp->postcode,
			.title = sp->title, .siret = sp->siret };
	} else if (rc == SQLITE_DONE) {
		code = td_err_set(err, TD_ENOTFOUND,
				  _("no holder %s in the database"), holder_id);
	} else {
		code = store_fail(db, rc, err, _("cannot read the holder"));
	}
	sqlite3_finalize(st);
	return code;
}

int td_store_dup_index(td_db *db, const char *holder_id, td_err *err)
{
	struct stored_person sp;
	struct td_dup_person p;
	bool nested;
	int code = store_tx_begin(db, &nested, err);
	if (code != TD_OK)
		return code;
	code = read_person(db, holder_id, &sp, &p, err);
	if (code == TD_OK)
		code = td_store_dup_index_person(db, holder_id, &p, err);
	return store_tx_end(db, nested, code, err);
}

int td_store_dup_forget(td_db *db, const char *holder_id, td_err *err)
{
	struct stored_person sp;
	struct td_dup_person p;
	sqlite3_int64 n;
	bool nested;
	int code = store_tx_begin(db, &nested, err);
	if (code != TD_OK)
		return code;
	code = holder_copy(db, holder_id, &n, &sp, &p, err);
	if (code == TD_OK && n)
		code = write_keys(db, n, &p, false, err);
	return store_tx_end(db, nested, code, err);
}

/* ---- lookup ------------------------------------------------------------ */

/* Scoring reads the copy in dup_holder; only the few candidates that
 * score high enough are looked up in holder and dossier for display. */
static const char candidate_sql[] =
	"SELECT holder_id, last_name, first_name, email, phone, postcode,"
	" title, siret FROM dup_holder WHERE n = ?1";

static const char show_sql[] =
	"SELECT d.reference, d.site_code, d.created_at, d.status"
	" FROM holder h JOIN dossier d ON d.holder_id = h.id"
	" WHERE h.id = ?1 AND h.deleted = 0 AND d.deleted = 0"
	" ORDER BY d.created_at DESC LIMIT 1";

struct cand_vals {
	char email[TD_EMAIL_MAX + 1], phone[64], postcode[16];
	char title[TD_TITLE_MAX * 4 + 1], siret[32];
};

/* Is every piece of evidence of m dismissed for its holder, by site? */
static int dismissed(td_db *db, const struct td_dup_match *m,
		     const char *site, bool *yes, td_err *err)
{
	sqlite3_stmt *st;
	int code = store_stmt_get(db, SS_DUP_DISMISSED,
				  "SELECT 1 FROM dup_dismissal"
				  " WHERE holder_id = ?1 AND evidence = ?2"
				  " AND site_code = ?3",
				  &st, err);
	*yes = m->nevidence > 0;
	if (code != TD_OK)
		return code;
	for (int i = 0; i < m->nevidence && *yes; i++) {
		store_bind_text(st, 1, m->holder_id);
		sqlite3_bind_int64(st, 2, key_int(m->evidence[i]));
		store_bind_text(st, 3, site);
		int rc = sqlite3_step(st);
		if (rc == SQLITE_DONE)
			*yes = false;
		else if (rc != SQLITE_ROW)
			code = store_fail(db, rc, err,
					  _("cannot check for duplicates"));
		sqlite3_reset(st);
		if (code != TD_OK)
			break;
	}
	store_stmt_put(db, SS_DUP_DISMISSED, st);
	return code;
}

/* Read and score candidate n; *keep says whether m reaches the
 * threshold. */
static int score_candidate(td_db *db, sqlite3_stmt *st, sqlite3_int64 n,
			   const struct td_dup_weights *w,
			   const struct td_dup_person *typed,
			   struct td_dup_match *m, bool *keep, td_err *err)
{
	struct cand_vals v;
	int code = TD_OK;

	*keep = false;
	sqlite3_bind_int64(st, 1, n);
	int rc = sqlite3_step(st);
	if (rc == SQLITE_ROW) {
		memset(m, 0, sizeof *m);
		memset(&v, 0, sizeof v);
		store_col_copy(st, 0, m->holder_id, sizeof m->holder_id);
		store_col_copy(st, 1, m->last_name, sizeof m->last_name);
		store_col_copy(st, 2, m->first_name, sizeof m->first_name);
		store_col_copy(st, 3, v.email, sizeof v.email);
		store_col_copy(st, 4, v.phone, sizeof v.phone);
		store_col_copy(st, 5, v.postcode, sizeof v.postcode);
		store_col_copy(st, 6, v.title, sizeof v.title);
		store_col_copy(st, 7, v.siret, sizeof v.siret);
		struct td_dup_person known = { m->last_name, m->first_name,
			v.email, v.phone, v.postcode, v.title, v.siret };
		m->score = td_dup_score(w, typed, &known, &m->reasons);
		*keep = m->score >= w->threshold;
		if (*keep)
			m->nevidence = td_dup_evidence(typed, m->reasons,
						       m->evidence);
	} else if (rc != SQLITE_DONE) {
		code = store_fail(db, rc, err, _("cannot check for duplicates"));
	}
	sqlite3_reset(st);
	return code;
}

/* Reference, site, date and status of m's newest dossier; *live false
 * when the holder or all its dossiers were deleted. */
static int show_candidate(td_db *db, struct td_dup_match *m, bool *live,
			  td_err *err)
{
	sqlite3_stmt *st;
	int code = store_stmt_get(db, SS_DUP_SHOW, show_sql, &st, err);

	*live = false;
	if (code != TD_OK)
		return code;
	store_bind_text(st, 1, m->holder_id);
	int rc = sqlite3_step(st);
	if (rc == SQLITE_ROW) {
		store_col_copy(st, 0, m->reference, sizeof m->reference);
		store_col_copy(st, 1, m->site, sizeof m->site);
		store_col_copy(st, 2, m->created_at, sizeof m->created_at);
		int k = td_enum_find(&td_statuses,
				     (const char *)sqlite3_column_text(st, 3));
		m->status = k < 0 ? 0 : k;
		*live = true;
	} else if (rc != SQLITE_DONE) {
		code = store_fail(db, rc, err, _("cannot check for duplicates"));
	}
	store_stmt_put(db, SS_DUP_SHOW, st);
	return code;
}

/* Keep out[0..*n) sorted best first (score, then newest), at most max. */
static void insert_sorted(struct td_dup_match *out, int *n, int max,
			  const struct td_dup_match *m)
{
	int i = *n;
	while (i > 0 && (out[i - 1].score < m->score ||
			 (out[i - 1].score == m->score &&
			  strcmp(out[i - 1].created_at, m->created_at) < 0)))
		i--;
	if (i >= max)
		return;
	int last = *n < max ? *n : max - 1;
	memmove(out + i + 1, out + i, (size_t)(last - i) * sizeof *out);
	out[i] = *m;
	if (*n < max)
		(*n)++;
}

static int collect(td_db *db, const uint64_t *keys, int nk,
		   sqlite3_int64 *cand, int *nc, td_err *err)
{
	sqlite3_stmt *st;
	int code = store_stmt_get(db, SS_DUP_KEY_FIND,
				  "SELECT n FROM dup_key WHERE key = ?1",
				  &st, err);
	if (code != TD_OK)
		return code;
	for (int i = 0; i < nk && *nc < CANDIDATES_MAX; i++) {
		sqlite3_bind_int64(st, 1, key_int(keys[i]));
		int rc;
		while ((rc = sqlite3_step(st)) == SQLITE_ROW &&
		       *nc < CANDIDATES_MAX) {
			sqlite3_int64 n = sqlite3_column_int64(st, 0);
			bool seen = false;
			for (int j = 0; j < *nc && !seen; j++)
				seen = cand[j] == n;
			if (!seen)
				cand[(*nc)++] = n;
		}
		if (rc != SQLITE_ROW && rc != SQLITE_DONE)
			code = store_fail(db, rc, err,
					  _("cannot check for duplicates"));
		sqlite3_reset(st);
		if (code != TD_OK)
			break;
	}
	store_stmt_put(db, SS_DUP_KEY_FIND, st);
	return code;
}

int td_store_dup_lookup(td_db *db, const struct td_dup_weights *w,
			const struct td_dup_person *typed, const char *site,
			struct td_dup_match *out, int max, int *n, td_err *err)
{
	uint64_t keys[TD_DUP_KEYS_MAX];
	sqlite3_int64 cand[CANDIDATES_MAX];
	int nc = 0, code;
	sqlite3_stmt *st;

	*n = 0;
	if (max > TD_DUP_MAX)
		max = TD_DUP_MAX;
	if (max <= 0)
		return TD_OK;
	/* td_dup_keys puts e-mail, phone and SIREN first. */
	int nk = td_dup_keys(typed, true, keys, TD_DUP_KEYS_MAX);
	if (nk == 0)
		return TD_OK;
	code = collect(db, keys, nk, cand, &nc, err);
	if (code != TD_OK || nc == 0)
		return code;
	code = store_stmt_get(db, SS_DUP_CANDIDATE, candidate_sql, &st, err);
	if (code != TD_OK)
		return code;
	for (int i = 0; i < nc && code == TD_OK; i++) {
		struct td_dup_match m;
		bool keep, gone, live;
		code = score_candidate(db, st, cand[i], w, typed, &m, &keep,
				       err);
		if (code != TD_OK || !keep)
			continue;
		code = dismissed(db, &m, site, &gone, err);
		if (code != TD_OK || gone)
			continue;
		code = show_candidate(db, &m, &live, err);
		if (code == TD_OK && live)
			insert_sorted(out, n, max, &m);
	}
	store_stmt_put(db, SS_DUP_CANDIDATE, st);
	return code;
}

int td_store_dup_dismiss(td_db *db, const char *holder_id,
			 const uint64_t *evidence, int nevidence,
			 const char *site, const char *by, td_err *err)
{
	char now[TD_TIME_SIZE];
	sqlite3_stmt *st = NULL;
	bool nested;

	if (blank(holder_id) || nevidence <= 0)
		return td_err_set(err, TD_EINVAL,
				  _("nothing to record: no holder or no evidence"));
	td_store_now(now);
	int code = store_tx_begin(db, &nested, err);
	if (code != TD_OK)
		return code;
	code = store_stmt_get(db, SS_DUP_DISMISS,
			      "INSERT OR IGNORE INTO dup_dismissal(holder_id,"
			      " evidence, site_code, created_by, created_at)"
			      " VALUES(?1, ?2, ?3, ?4, ?5)", &st, err);
	for (int i = 0; code == TD_OK && i < nevidence; i++) {
		store_bind_text(st, 1, holder_id);
		sqlite3_bind_int64(st, 2, key_int(evidence[i]));
		store_bind_text(st, 3, site);
		store_bind_opt(st, 4, by);
		store_bind_text(st, 5, now);
		int rc = sqlite3_step(st);
		if (rc != SQLITE_DONE)
			code = store_fail(db, rc, err,
					  _("cannot record \"not the same person\""));
		sqlite3_reset(st);
	}
	if (st)
		store_stmt_put(db, SS_DUP_DISMISS, st);
	return store_tx_end(db, nested, code, err);
}
