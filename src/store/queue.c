/* The mission officers' queue: dossiers filtered, searched (FTS5) and
 * sorted as a td_query says; bulk changes (assign, status, edit) and
 * saved filters.
 *
 * Statements are assembled from the fixed fragments of this file only,
 * chosen by the query's shape; every value typed by a person is bound.
 * Each sort order has an index to walk (migration 4), so LIMIT/OFFSET
 * pages of the visible rows stay cheap on 100,000 dossiers. */
#include "rows.h"
#include "totemdesk/domain.h"
#include "totemdesk/dup.h"
#include "totemdesk/i18n.h"
#include "totemdesk/query.h"
#include "store/dup.h"

#include <stdio.h>
#include <string.h>

enum qkind { QK_COUNT, QK_PAGE, QK_EACH };

/* "SELECT " and the columns the one row reader reads (rows.c). */
static void select_cols(struct store_sql *b, enum qkind kind)
{
	store_sql_add(b, "SELECT ");
	if (kind == QK_EACH)
		store_dossier_select(b);
	else
		store_row_select(b);
}

/* Sort keys of each column, ties broken newest first in the same
 * direction so one index serves both directions. */
static const char *const order_keys[TD_QC_COUNT][5] = {
	[TD_QC_REFERENCE] = { "d.reference", NULL },
	[TD_QC_DATE] = { "d.created_at", "d.id", NULL },
	[TD_QC_SITE] = { "d.site_code", "d.created_at", "d.id", NULL },
	[TD_QC_NAME] = { "h.last_name", "h.first_name", "h.id", "d.id" },
	[TD_QC_PROJECT] = { "d.project_title", "d.id", NULL },
	[TD_QC_STAGE] = { "d.stage", "d.created_at", "d.id", NULL },
	[TD_QC_NEEDS] = { "d.needs", "d.created_at", "d.id", NULL },
	[TD_QC_STATUS] = { "d.status", "d.created_at", "d.id", NULL },
	[TD_QC_ASSIGNEE] = { "d.assigned_to", "d.created_at", "d.id", NULL },
	[TD_QC_FOLLOWUP] = { "a.last_action_at", "a.dossier_id", NULL },
};

/* Keys of q's order and whether they run descending; NULL for
 * relevance (a computed rank: nothing to seek from).  fts: a search is
 * on; rank: order it by relevance (else, for the default order of a
 * search, latest registered first). */
static const char *const *sort_keys(const struct td_query *q, bool fts,
				    bool rank, bool *desc)
{
	static const char *const newest[] = { "d.created_at", "d.id", NULL };
	/* On the index's rowid (the dossier's): FTS5 then reads its
	 * matches in that order, seeks from a bound on it, and stops at
	 * the page's LIMIT. */
	static const char *const latest[] = { "f.rowid", NULL };
	*desc = true;
	if (q->sort < 0 || q->sort >= TD_QC_COUNT)
		return !fts ? newest : rank ? NULL : latest;
	*desc = q->desc;
	return order_keys[q->sort];
}

/* flip: the reverse order, to read the rows before a point. */
static void add_order(struct store_sql *b, const struct td_query *q, bool fts,
		      bool rank, bool flip)
{
	bool desc;
	const char *const *k = sort_keys(q, fts, rank, &desc);
	store_sql_add(b, " ORDER BY ");
	if (!k) {
		store_sql_add(b, "f.rank, d.rowid DESC");
		return;
	}
	for (int i = 0; k[i]; i++) {
		if (i)
			store_sql_add(b, ", ");
		store_sql_add(b, k[i]);
		store_sql_add(b, desc != flip ? " DESC" : " ASC");
	}
}

static bool blank(const char *s)
{
	return !s || !*s;
}

/* Bring the full-text index up to date with the dossiers the triggers
 * listed in fts_pending (migration 4 says why it is not done by the
 * triggers themselves).  Cheap when nothing changed: one probe. */
static int fts_sync(td_db *db, td_err *err)
{
	static const char *const steps[] = {
		"DELETE FROM dossier_fts WHERE rowid IN"
		" (SELECT dossier_rowid FROM fts_pending)",
		"INSERT INTO dossier_fts(rowid, name, email, title, description,"
		" notes, site) SELECT d.rowid, h.last_name || ' ' || h.first_name,"
		" coalesce(h.email, ''), coalesce(d.project_title, ''),"
		" coalesce(d.description, ''), coalesce((SELECT"
		" group_concat(body, ' ') FROM note n WHERE n.dossier_id = d.id"
		" AND n.deleted = 0), ''), d.site_code FROM fts_pending p"
		" JOIN dossier d ON d.rowid = p.dossier_rowid"
		" JOIN holder h ON h.id = d.holder_id WHERE d.deleted = 0",
		"DELETE FROM fts_pending",
	};
	sqlite3_stmt *st;
	bool nested;
	int rc = sqlite3_prepare_v2(db->h,
		"SELECT EXISTS (SELECT 1 FROM fts_pending)", -1, &st, NULL);
	if (rc != SQLITE_OK)
		return store_fail(db, rc, err, _("cannot search the dossiers"));
	rc = sqlite3_step(st);
	bool pending = rc == SQLITE_ROW && sqlite3_column_int(st, 0);
	sqlite3_finalize(st);
	/* A read-only connection searches the index as it is. */
	if (!pending || (db->flags & TD_DB_READONLY))
		return TD_OK;
	int code = store_tx_begin(db, &nested, err);
	for (size_t i = 0; !code && i < sizeof steps / sizeof *steps; i++) {
		rc = sqlite3_exec(db->h, steps[i], NULL, NULL, NULL);
		if (rc != SQLITE_OK)
			code = store_fail(db, rc, err,
					  _("cannot update the search index"));
	}
	return store_tx_end(db, nested, code, err);
}

int td_store_search_sync(td_db *db, td_err *err)
{
	return fts_sync(db, err);
}

/* What a statement adds to q: a keyset condition (fragment of this
 * file, its values bound by the caller as :k0...), the reverse order,
 * a count stopping at :max. */
struct shape {
	const char *seek;
	bool flip;
	bool cap;
};

/* A site code fit to stand in a full-text expression as it is. */
static bool site_word(const char *site)
{
	size_t n = site ? strlen(site) : 0;
	if (n == 0 || n > 8)
		return false;
	for (size_t i = 0; i < n; i++)
		if (!((site[i] >= 'A' && site[i] <= 'Z') ||
		      (site[i] >= 'a' && site[i] <= 'z') ||
		      (site[i] >= '0' && site[i] <= '9')))
			return false;
	return true;
}

#define TEXT_COLUMNS "{name email title description notes} : "
#define FTS_EXPR_MAX (TD_QUERY_TEXT_MAX * 6 + 64)

/* Could the prefix query of this word ("mar"*, quotes and star
 * included) match a site code?  Site codes are three capital letters
 * (config.c), so only words of one to three characters can. */
static bool may_match_site(const char *w, size_t len)
{
	size_t chars = 0;
	for (size_t i = 1; i + 2 < len; i++)
		if (((unsigned char)w[i] & 0xc0) != 0x80)
			chars++;
	return chars <= 3;
}

/* The FTS5 expression for text: its words matched in the text columns
 * only (the index also holds each dossier's site, migration 5), and held
 * to site when site_word(site), so that the index alone tells a site's
 * matches.  Only the words short enough to match a site code get the
 * column filter: it reads the positions of every match, 9.5 ms instead
 * of 7 for "port" (every e-mail address) at 100,000 dossiers.  Returns
 * false when text has no word to search. */
static bool fts_expr(const char *text, const char *site, char *out,
		     size_t outsz)
{
	char words[TD_QUERY_TEXT_MAX * 3];
	struct store_sql b = { .n = 0 };
	if (td_query_fts(text, words, sizeof words) <= 0)
		return false;
	/* words: "w1"* "w2"* ..., separated by one space, cut in place
	 * and put back together for the fallback below. */
	for (char *w = words; *w;) {
		char *end = strchr(w, ' ');
		if (end)
			*end = '\0';
		if (b.n)
			store_sql_add(&b, " ");
		if (may_match_site(w, strlen(w)))
			store_sql_add(&b, TEXT_COLUMNS);
		store_sql_add(&b, w);
		if (!end)
			break;
		*end = ' ';
		w = end + 1;
	}
	if (b.overflow || b.n >= outsz) {
		/* Dozens of short words: one filter for them all. */
		b.n = 0;
		b.overflow = false;
		store_sql_add(&b, TEXT_COLUMNS "(");
		store_sql_add(&b, words);
		store_sql_add(&b, ")");
	}
	if (site_word(site)) {
		store_sql_add(&b, " AND site : \"");
		store_sql_add(&b, site);
		store_sql_add(&b, "\"");
	}
	if (b.overflow || b.n >= outsz)
		return false;  /* not reached: words fit TD_QUERY_TEXT_MAX */
	memcpy(out, b.s, b.n + 1);
	return true;
}

/* Build and prepare the statement for q and bind its values. */
static int prepare(td_db *db, enum qkind kind, const struct td_query *q,
		   const struct td_queue_bounds *bd, bool rank,
		   const struct shape *sh, sqlite3_stmt **st, td_err *err)
{
	static const struct shape plain = { NULL, false, false };
	static const char *const closed_sql =
		" AND d.status NOT IN ('closed', 'on_hold')";
	struct store_sql b = { .n = 0 };
	const char *site = !blank(bd->only_site) ? bd->only_site : q->site;
	char fts[FTS_EXPR_MAX];
	bool use_fts = fts_expr(q->text, site, fts, sizeof fts);
	bool overdue = q->overdue && !blank(bd->cutoff);
	/* Selecting FTS5's rank computes bm25, whose statistics read every
	 * match of each prefix (4 ms for "port" at 100,000): only when the
	 * order is by relevance. */
	rank = rank && use_fts && q->sort < 0;
	if (!sh)
		sh = &plain;

	/* Nothing but (maybe) the search: the common case while typing,
	 * with shortcuts below.  The index holds live dossiers only. */
	bool unfiltered = !q->statuses && q->stage <= 0 && q->sector <= 0 &&
			  !q->needs && !q->assignee[0] && !q->unassigned &&
			  !overdue && blank(bd->since) && blank(bd->until);
	bool bare = blank(site) && unfiltered;
	/* A search held to one site and nothing else: the site is in the
	 * full-text expression (fts_expr), so the index alone answers. */
	bool fts_alone = use_fts && unfiltered &&
			 (blank(site) || site_word(site));
	/* One site's whole queue (a reception desk opening it). */
	bool site_count = kind == QK_COUNT && !use_fts && !blank(site) &&
			  unfiltered;
	bool by_name = q->sort == TD_QC_NAME && !use_fts;
	/* The page of a bare search by relevance is picked inside FTS5
	 * (subquery below); a bare count asks FTS5 alone. */
	bool fts_page = fts_alone && kind == QK_PAGE && rank;
	bool fts_count = fts_alone && kind == QK_COUNT;
	/* Any other search reads the full-text index as the outer loop
	 * and looks each match up in the dossier table (CROSS JOIN keeps
	 * that order).  In the default order (latest first: f.rowid DESC)
	 * FTS5 hands its matches newest first and the LIMIT stops the
	 * walk after one page: no temporary b-tree of every match, which
	 * cost 8 ms for "ma" (8,787 matches) at a reception desk, held to
	 * its site. */
	bool fts_outer = use_fts && !fts_page && !fts_count;
	/* Deferred join: pick the page's rows on the dossier table alone
	 * (its indexes give the order), then join the holder and activity
	 * for those rows only -- OFFSET skips rows without joining them,
	 * three times faster half-way down 100,000 dossiers. */
	bool deferred = kind == QK_PAGE && !use_fts && !by_name && !overdue &&
			q->sort != TD_QC_FOLLOWUP;

	*st = NULL;
	/* Counting comes first on every (re)load of the queue: catching up
	 * with a bulk import there keeps the first keystroke of a search
	 * fast.  The probe costs microseconds when nothing is pending. */
	if (use_fts || kind == QK_COUNT) {
		int code = fts_sync(db, err);
		if (code && use_fts)
			return code;
		if (code)
			td_err_clear(err);  /* a busy index waits for the search */
	}
	if (kind == QK_COUNT && bare && !use_fts) {
		/* Two b-tree counts instead of a scan of every row. */
		store_sql_add(&b, "SELECT (SELECT count(*) FROM dossier) -"
			" (SELECT count(*) FROM dossier WHERE deleted = 1)");
	} else if (site_count) {
		/* Two index counts: the site's entries in its index, less
		 * its deleted dossiers found through the index of deleted
		 * ones ("+" keeps SQLite off the site index there).  Testing
		 * each row's deleted flag looked up all of the site's rows:
		 * 11 ms for 26,000 at 100,000 dossiers, now 2 ms. */
		store_sql_add(&b, "SELECT (SELECT count(*) FROM dossier"
			" WHERE site_code = :site) - (SELECT count(*) FROM dossier"
			" WHERE deleted = 1 AND +site_code = :site)");
	} else if (fts_count) {
		/* A capped count stops at :max matches: a short prefix
		 * matches thousands, and counting them all costs more than
		 * a keystroke may. */
		store_sql_add(&b, sh->cap ? "SELECT count(*) FROM (SELECT 1 FROM"
			" dossier_fts WHERE dossier_fts MATCH :fts LIMIT :max)"
			: "SELECT count(*) FROM dossier_fts"
			" WHERE dossier_fts MATCH :fts");
	} else if (kind == QK_COUNT) {
		store_sql_add(&b, sh->cap ? "SELECT count(*) FROM (SELECT 1 FROM "
			: "SELECT count(*) FROM ");
		store_sql_add(&b, fts_outer ? "dossier_fts f CROSS JOIN dossier d"
			" ON d.rowid = f.rowid" : "dossier d");
		if (overdue)
			store_sql_add(&b, " JOIN dossier_activity a ON a.dossier_id = d.id");
	} else if (deferred) {
		store_sql_add(&b, "SELECT d.rowid AS rid FROM dossier d");
	} else if (by_name) {
		/* CROSS JOIN keeps the holders outside: their name index is
		 * the order. */
		select_cols(&b, kind);
		store_sql_add(&b, " FROM holder h CROSS JOIN dossier d"
			" ON d.holder_id = h.id"
			" JOIN dossier_activity a ON a.dossier_id = d.id");
	} else {
		select_cols(&b, kind);
		store_sql_add(&b, fts_outer ? " FROM dossier_fts f CROSS JOIN dossier d"
			" ON d.rowid = f.rowid" : " FROM dossier d");
		store_sql_add(&b, " JOIN holder h ON h.id = d.holder_id"
			" JOIN dossier_activity a ON a.dossier_id = d.id");
	}
	if (fts_page) {
		/* Let FTS5 rank and pick the page, then join only those
		 * rows. */
		store_sql_add(&b, " JOIN (SELECT rowid AS fid, rank FROM dossier_fts"
			" WHERE dossier_fts MATCH :fts ORDER BY rank, rowid DESC"
			" LIMIT :limit OFFSET :offset) f ON f.fid = d.rowid");
	}
	if ((kind == QK_COUNT && bare) || fts_count || site_count)
		goto done;
	store_sql_add(&b, fts_outer ? " WHERE dossier_fts MATCH :fts AND d.deleted = 0"
		: " WHERE d.deleted = 0");
	if (!blank(site))
		store_sql_add(&b, " AND d.site_code = :site");
	if (q->statuses) {
		store_sql_add(&b, " AND d.status IN (");
		for (int i = 0, k = 0; i < (int)td_statuses.count; i++)
			if (q->statuses & (1u << i)) {
				if (k++)
					store_sql_add(&b, ", ");
				store_sql_param(&b, "st", i);
			}
		store_sql_add(&b, ")");
	}
	if (q->stage > 0)
		store_sql_add(&b, " AND d.stage = :stage");
	if (q->sector > 0)
		store_sql_add(&b, " AND d.sector = :sector");
	if (q->needs) {
		store_sql_add(&b, " AND (");
		for (int i = 0, k = 0; i < (int)td_needs.count; i++)
			if (q->needs & (1u << i)) {
				if (k++)
					store_sql_add(&b, " OR ");
				store_sql_add(&b, "instr('|' || d.needs || '|', ");
				store_sql_param(&b, "nd", i);
				store_sql_add(&b, ") > 0");
			}
		store_sql_add(&b, ")");
	}
	if (q->unassigned)
		store_sql_add(&b, " AND coalesce(d.assigned_to, '') = ''");
	else if (q->assignee[0])
		store_sql_add(&b, " AND d.assigned_to = :assignee");
	if (!blank(bd->since))
		store_sql_add(&b, " AND d.created_at >= :since");
	if (!blank(bd->until))
		store_sql_add(&b, " AND d.created_at < :until");
	if (overdue) {
		store_sql_add(&b, " AND a.last_action_at < :cutoff");
		store_sql_add(&b, closed_sql);
	}
	if (sh->seek) {
		store_sql_add(&b, " AND ");
		store_sql_add(&b, sh->seek);
	}
	if (kind == QK_COUNT && sh->cap)
		store_sql_add(&b, " LIMIT :max)");
	if (kind != QK_COUNT)
		add_order(&b, q, use_fts, rank, sh->flip);
	if (kind == QK_PAGE && !fts_page)
		store_sql_add(&b, " LIMIT :limit OFFSET :offset");
	if (deferred) {
		/* The statement so far becomes the inner query. */
		char inner[sizeof b.s];
		memcpy(inner, b.s, b.n + 1);
		b.n = 0;
		b.s[0] = '\0';
		select_cols(&b, QK_PAGE);
		store_sql_add(&b, " FROM (");
		store_sql_add(&b, inner);
		store_sql_add(&b, ") p JOIN dossier d ON d.rowid = p.rid"
			" JOIN holder h ON h.id = d.holder_id"
			" JOIN dossier_activity a ON a.dossier_id = d.id");
		add_order(&b, q, false, false, sh->flip);
	}
done:
	if (b.overflow)
		return td_err_set(err, TD_EINVAL,
			_("the queue filter is too complex"));

	int rc = sqlite3_prepare_v2(db->h, b.s, -1, st, NULL);
	if (rc != SQLITE_OK)
		return store_fail(db, rc, err, _("cannot list the dossiers"));

	/* Transient: several values live in this function's buffers. */
#define BIND(name, val) \
	sqlite3_bind_text(*st, sqlite3_bind_parameter_index(*st, name), (val), \
			  -1, SQLITE_TRANSIENT)
	if (use_fts)
		BIND(":fts", fts);
	if (!blank(site))
		BIND(":site", site);
	for (int i = 0; i < (int)td_statuses.count; i++)
		if (q->statuses & (1u << i)) {
			char name[16];
			snprintf(name, sizeof name, ":st%d", i);
			BIND(name, td_enum_code(&td_statuses, i));
		}
	for (int i = 0; i < (int)td_needs.count; i++)
		if (q->needs & (1u << i)) {
			char name[16], val[64];
			snprintf(name, sizeof name, ":nd%d", i);
			snprintf(val, sizeof val, "|%s|", td_enum_code(&td_needs, i));
			BIND(name, val);
		}
	if (q->stage > 0)
		BIND(":stage", td_enum_code(&td_stages, q->stage));
	if (q->sector > 0)
		BIND(":sector", td_enum_code(&td_sectors, q->sector));
	if (!q->unassigned && q->assignee[0])
		BIND(":assignee", q->assignee);
	if (!blank(bd->since))
		BIND(":since", bd->since);
	if (!blank(bd->until))
		BIND(":until", bd->until);
	if (overdue)
		BIND(":cutoff", bd->cutoff);
#undef BIND
	return TD_OK;
}

/* max > 0: stop counting there (a capped count). */
static int count(td_db *db, const struct td_query *q,
		 const struct td_queue_bounds *b, long max, long *n,
		 td_err *err)
{
	struct shape sh = { NULL, false, max > 0 };
	sqlite3_stmt *st;
	int code = prepare(db, QK_COUNT, q, b, false, &sh, &st, err);
	*n = 0;
	if (code)
		return code;
	if (max > 0)
		sqlite3_bind_int64(st, sqlite3_bind_parameter_index(st, ":max"),
				   max);
	int rc = sqlite3_step(st);
	if (rc == SQLITE_ROW)
		*n = (long)sqlite3_column_int64(st, 0);
	else
		code = store_fail(db, rc, err, _("cannot count the dossiers"));
	sqlite3_finalize(st);
	/* The unfiltered and the site's counts are two b-tree counts,
	 * never capped. */
	if (max > 0 && *n > max)
		*n = max;
	return code;
}

int td_store_queue_count(td_db *db, const struct td_query *q,
			 const struct td_queue_bounds *b, long *n, td_err *err)
{
	return count(db, q, b, 0, n, err);
}

int td_store_queue_count_max(td_db *db, const struct td_query *q,
			     const struct td_queue_bounds *b, long max,
			     long *n, td_err *err)
{
	if (max <= 0) {
		*n = 0;
		return TD_OK;
	}
	return count(db, q, b, max, n, err);
}

/* Relevance only means something among a few matches: a word typed
 * partly ("le") matches thousands of dossiers with nearly equal scores,
 * and ranking them all costs more than a keystroke may.  When the words
 * match more than QUEUE_RANK_MAX dossiers in the index, a search in the
 * default order lists the latest registered first.  Page, keyset and
 * export decide alike.
 *
 * The matches are counted in the index alone, whatever the filters and
 * the user's site: bm25 scores every match of the words, so that is
 * what ranking costs; and counting in the index is a walk of its
 * posting lists (0.2 ms for "ma" at 100,000 dossiers), where counting
 * a site's matches looks up each match in the dossier table (4 ms). */
#define QUEUE_RANK_MAX 2000

static int by_rank(td_db *db, const struct td_query *q, bool *rank,
		   td_err *err)
{
	static const struct td_queue_bounds none = { "", "", "", "" };
	char fts[TD_QUERY_TEXT_MAX * 3];
	struct td_query words;
	long n = 0;
	*rank = false;
	if (q->sort >= 0 || td_query_fts(q->text, fts, sizeof fts) == 0)
		return TD_OK;
	td_query_init(&words);
	memcpy(words.text, q->text, sizeof words.text);
	int code = count(db, &words, &none, QUEUE_RANK_MAX + 1, &n, err);
	*rank = n <= QUEUE_RANK_MAX;
	return code;
}

/* One page by offset, the ranking already decided (by_rank). */
static int page(td_db *db, const struct td_query *q,
		const struct td_queue_bounds *b, bool rank, long offset,
		int limit, struct td_queue_row *rows, int *n, td_err *err)
{
	sqlite3_stmt *st;
	int code, rc = SQLITE_DONE;

	*n = 0;
	if (offset < 0)
		return td_err_set(err, TD_EINVAL,
			_("negative offset %ld in a dossier list"), offset);
	if (limit <= 0)
		return TD_OK;
	if ((code = prepare(db, QK_PAGE, q, b, rank, NULL, &st, err)))
		return code;
	sqlite3_bind_int(st, sqlite3_bind_parameter_index(st, ":limit"), limit);
	sqlite3_bind_int64(st, sqlite3_bind_parameter_index(st, ":offset"),
			   offset);
	while (*n < limit && (rc = sqlite3_step(st)) == SQLITE_ROW)
		store_row_read(st, &rows[(*n)++]);
	if (*n < limit && rc != SQLITE_DONE)
		code = store_fail(db, rc, err, _("cannot list the dossiers"));
	sqlite3_finalize(st);
	return code;
}

int td_store_queue_page(td_db *db, const struct td_query *q,
			const struct td_queue_bounds *b, long offset, int limit,
			struct td_queue_row *rows, int *n, td_err *err)
{
	bool rank;
	int code;

	*n = 0;
	if ((code = by_rank(db, q, &rank, err)))
		return code;
	return page(db, q, b, rank, offset, limit, rows, n, err);
}

/* Keyset paging reads at most SEEK_KEYS sort keys (the name order's
 * four plus room). */
#define SEEK_KEYS 5

/* The sort keys k[0..nk) of the dossier whose reference is ref, into
 * v (owned by the caller: sqlite3_value_free); *found false if no such
 * dossier. */
static int anchor_keys(td_db *db, const char *const *k, int nk,
		       const char *ref, sqlite3_value **v, bool *found,
		       td_err *err)
{
	struct store_sql b = { .n = 0 };
	sqlite3_stmt *st;
	store_sql_add(&b, "SELECT ");
	for (int i = 0; i < nk; i++) {
		if (i)
			store_sql_add(&b, ", ");
		/* The index's rowid is the dossier's. */
		store_sql_add(&b, strcmp(k[i], "f.rowid") == 0 ? "d.rowid" : k[i]);
	}
	store_sql_add(&b, " FROM dossier d JOIN holder h ON h.id = d.holder_id"
		" JOIN dossier_activity a ON a.dossier_id = d.id"
		" WHERE d.reference = ?1");
	*found = false;
	int rc = sqlite3_prepare_v2(db->h, b.s, -1, &st, NULL);
	if (rc != SQLITE_OK)
		return store_fail(db, rc, err, _("cannot list the dossiers"));
	store_bind_text(st, 1, ref);
	rc = sqlite3_step(st);
	int code = TD_OK;
	if (rc == SQLITE_ROW) {
		*found = true;
		for (int i = 0; i < nk && !code; i++)
			if (!(v[i] = sqlite3_value_dup(sqlite3_column_value(st, i))))
				code = td_err_set(err, TD_ENOMEM,
						  _("Out of memory."));
	} else if (rc != SQLITE_DONE) {
		code = store_fail(db, rc, err, _("cannot list the dossiers"));
	}
	sqlite3_finalize(st);
	return code;
}

/* Sort keys the schema lets be NULL (the other keys are NOT NULL). */
static bool nullable(const char *key)
{
	static const char *const cols[] = { "d.project_title", "d.stage",
					    "d.assigned_to" };
	for (size_t i = 0; i < sizeof cols / sizeof *cols; i++)
		if (strcmp(key, cols[i]) == 0)
			return true;
	return false;
}

/* "(k0, k1...) > (:k0, :k1...)" from key `from` on. */
static void add_tuple(struct store_sql *b, const char *const *k, int from,
		      int nk, const char *op)
{
	store_sql_add(b, "(");
	for (int i = from; i < nk; i++) {
		if (i > from)
			store_sql_add(b, ", ");
		store_sql_add(b, k[i]);
	}
	store_sql_add(b, ") ");
	store_sql_add(b, op);
	store_sql_add(b, " (");
	for (int i = from; i < nk; i++) {
		if (i > from)
			store_sql_add(b, ", ");
		store_sql_param(b, "k", i);
	}
	store_sql_add(b, ")");
}

/* One keyset statement: up to limit rows matching seek, appended to
 * rows[*n...]. */
static int seek_run(td_db *db, const struct td_query *q,
		    const struct td_queue_bounds *bd, const char *seek,
		    bool flip, sqlite3_value *const *v, int nk, int limit,
		    struct td_queue_row *rows, int *n, td_err *err)
{
	struct shape sh = { seek, flip, false };
	sqlite3_stmt *st;
	int rc = SQLITE_DONE, code = prepare(db, QK_PAGE, q, bd, false, &sh,
					     &st, err);
	if (code)
		return code;
	sqlite3_bind_int(st, sqlite3_bind_parameter_index(st, ":limit"), limit);
	sqlite3_bind_int(st, sqlite3_bind_parameter_index(st, ":offset"), 0);
	for (int i = 0; i < nk; i++) {
		char name[16];
		snprintf(name, sizeof name, ":k%d", i);
		int at = sqlite3_bind_parameter_index(st, name);
		if (at > 0 && v[i])
			sqlite3_bind_value(st, at, v[i]);
	}
	int got = 0;
	while (got < limit && (rc = sqlite3_step(st)) == SQLITE_ROW)
		store_row_read(st, &rows[*n + got++]);
	*n += got;
	if (got < limit && rc != SQLITE_DONE)
		code = store_fail(db, rc, err, _("cannot list the dossiers"));
	sqlite3_finalize(st);
	return code;
}

int td_store_queue_seek(td_db *db, const struct td_query *q,
			const struct td_queue_bounds *bd, const char *anchor,
			bool before, long offset, int limit,
			struct td_queue_row *rows, int *n, td_err *err)
{
	char fts[TD_QUERY_TEXT_MAX * 3];
	sqlite3_value *v[SEEK_KEYS] = { NULL };
	struct store_sql s1 = { .n = 0 }, s2 = { .n = 0 };
	bool desc, rank, found = false;
	int nk = 0, code;

	*n = 0;
	if (limit <= 0)
		return TD_OK;
	bool use_fts = td_query_fts(q->text, fts, sizeof fts) > 0;
	/* Relevance has no key to seek from: offsets there.  A search
	 * listed latest first seeks on the index's rowid. */
	if ((code = by_rank(db, q, &rank, err)))
		return code;
	if (rank)
		return page(db, q, bd, rank, offset, limit, rows, n, err);
	const char *const *k = sort_keys(q, use_fts, false, &desc);
	while (nk < SEEK_KEYS && k[nk])
		nk++;
	if (anchor && *anchor) {
		if ((code = anchor_keys(db, k, nk, anchor, v, &found, err)))
			goto out;
		if (!found) {
			/* Gone meanwhile: its place is only known by index. */
			code = page(db, q, bd, rank, offset, limit, rows, n,
				    err);
			goto out;
		}
	}
	/* The direction the rows are read in; NULL (SQLite's smallest)
	 * comes first ascending.  Row values compare NULL as unknown, so
	 * a nullable first key (stage, project, assignee) is read in two
	 * runs: within the anchor's NULL / non-NULL group, then the other
	 * group from its start. */
	bool asc = desc == before;
	const char *op = asc ? ">" : "<";
	if (found && sqlite3_value_type(v[0]) == SQLITE_NULL) {
		store_sql_add(&s1, k[0]);
		store_sql_add(&s1, " IS NULL AND ");
		if (nk > 1)
			add_tuple(&s1, k, 1, nk, op);
		else
			store_sql_add(&s1, "0");
		if (asc) {
			store_sql_add(&s2, k[0]);
			store_sql_add(&s2, " IS NOT NULL");
		}
	} else if (found) {
		add_tuple(&s1, k, 0, nk, op);
		/* On a NOT NULL column "IS NULL" would walk the whole index. */
		if (!asc && nullable(k[0])) {
			store_sql_add(&s2, k[0]);
			store_sql_add(&s2, " IS NULL");
		}
	}
	if (s1.overflow || s2.overflow) {
		code = td_err_set(err, TD_EINVAL,
				  _("the queue filter is too complex"));
		goto out;
	}
	code = seek_run(db, q, bd, s1.n ? s1.s : NULL, before, v, nk, limit,
			rows, n, err);
	if (!code && s2.n && *n < limit)
		code = seek_run(db, q, bd, s2.s, before, v, nk, limit - *n, rows,
				n, err);
	/* Read backwards: give them in the queue's order. */
	if (!code && before)
		for (int i = 0, j = *n - 1; i < j; i++, j--) {
			struct td_queue_row t = rows[i];
			rows[i] = rows[j];
			rows[j] = t;
		}
out:
	for (int i = 0; i < nk; i++)
		sqlite3_value_free(v[i]);
	return code;
}

int td_store_queue_each(td_db *db, const struct td_query *q,
			const struct td_queue_bounds *b,
			int (*cb)(const struct td_dossier *d, void *ctx),
			void *ctx, td_err *err)
{
	struct td_dossier d;
	sqlite3_stmt *st;
	bool rank;
	int code, rc, ret = 0;

	if ((code = by_rank(db, q, &rank, err)) ||
	    (code = prepare(db, QK_EACH, q, b, rank, NULL, &st, err)))
		return code;
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		store_dossier_read(st, &d);
		if ((ret = cb(&d, ctx)) != 0)
			break;
	}
	if (ret == 0 && rc != SQLITE_DONE)
		ret = store_fail(db, rc, err, _("cannot read the dossiers"));
	sqlite3_finalize(st);
	return ret;
}

/* Plan of the page statement for q, one line per step (for tests and
 * the benchmark: every shape must walk an index, never sort 100,000
 * rows for a page of 20). */
int td_store_queue_plan(td_db *db, const struct td_query *q,
			const struct td_queue_bounds *b, char *out,
			size_t outsz, td_err *err)
{
	sqlite3_stmt *st, *ex;
	size_t len = 0;
	bool rank;
	int code = by_rank(db, q, &rank, err);
	if (!code)
		code = prepare(db, QK_PAGE, q, b, rank, NULL, &st, err);
	if (code)
		return code;
	char sql[4200];
	snprintf(sql, sizeof sql, "EXPLAIN QUERY PLAN %s", sqlite3_sql(st));
	sqlite3_finalize(st);
	int rc = sqlite3_prepare_v2(db->h, sql, -1, &ex, NULL);
	if (rc != SQLITE_OK)
		return store_fail(db, rc, err, _("cannot list the dossiers"));
	/* Two spaces of indent per level, as the sqlite3 shell shows it:
	 * the page picked inside a deferred join is indented. */
	int ids[64], depth[64], nids = 0;
	out[0] = '\0';
	while (sqlite3_step(ex) == SQLITE_ROW) {
		int id = sqlite3_column_int(ex, 0), parent = sqlite3_column_int(ex, 1);
		int d = 0;
		for (int i = 0; i < nids; i++)
			if (ids[i] == parent)
				d = depth[i] + 1;
		if (nids < 64) {
			ids[nids] = id;
			depth[nids++] = d;
		}
		const char *line = (const char *)sqlite3_column_text(ex, 3);
		int w = snprintf(out + len, outsz - len, "%*s%s\n", 2 * d, "",
				 line ? line : "");
		if (w < 0 || (size_t)w >= outsz - len)
			break;
		len += (size_t)w;
	}
	sqlite3_finalize(ex);
	return TD_OK;
}

/* ---- changes ----------------------------------------------------------- */

static int exec_bound(td_db *db, const char *sql, const char *const *vals,
		      int nvals, int *changes, const char *what, td_err *err)
{
	sqlite3_stmt *st;
	int rc = sqlite3_prepare_v2(db->h, sql, -1, &st, NULL);
	if (rc != SQLITE_OK)
		return store_fail(db, rc, err, what);
	for (int i = 0; i < nvals; i++)
		store_bind_opt(st, i + 1, vals[i]);
	rc = sqlite3_step(st);
	int code = rc == SQLITE_DONE ? TD_OK : store_fail(db, rc, err, what);
	if (changes)
		*changes = sqlite3_changes(db->h);
	sqlite3_finalize(st);
	return code;
}

int td_store_dossier_assign(td_db *db, const struct td_dossier *d,
			    const char *login, const char *actor,
			    const char *at, td_err *err)
{
	static const char sql[] =
		"UPDATE dossier SET assigned_to = ?1, updated_at = ?2"
		" WHERE id = ?3 AND deleted = 0";
	char detail[160];
	bool nested;
	int n = 0, code = store_tx_begin(db, &nested, err);
	if (code)
		return code;
	const char *v[] = { login, at, d->id };
	code = exec_bound(db, sql, v, 3, &n, _("cannot assign the dossier"), err);
	if (!code && n == 0)
		code = td_err_set(err, TD_ENOTFOUND,
			_("dossier %s no longer exists"), d->reference);
	snprintf(detail, sizeof detail, "%s -> %s",
		 d->assigned_to[0] ? d->assigned_to : "-",
		 !blank(login) ? login : "-");
	if (!code)
		code = td_store_audit(db, at, actor, "assign", "dossier", d->id,
				      d->id, detail, err);
	return store_tx_end(db, nested, code, err);
}

int td_store_dossier_set_status(td_db *db, const struct td_dossier *d, int to,
				const char *actor, const char *at, td_err *err)
{
	/* The old status in the WHERE: if another desk changed it since d
	 * was read, nothing is written and the caller is told. */
	static const char sql[] =
		"UPDATE dossier SET status = ?1, updated_at = ?2"
		" WHERE id = ?3 AND status = ?4 AND deleted = 0";
	char detail[160];
	bool nested;
	int n = 0, code = store_tx_begin(db, &nested, err);
	if (code)
		return code;
	const char *from = td_enum_code(&td_statuses, d->status);
	const char *v[] = { td_enum_code(&td_statuses, to), at, d->id, from };
	code = exec_bound(db, sql, v, 4, &n, _("cannot change the status"), err);
	if (!code && n == 0)
		code = td_err_set(err, TD_EBUSY,
			_("dossier %s was changed at another desk; look at it again"),
			d->reference);
	snprintf(detail, sizeof detail, "%s -> %s", from, v[0]);
	if (!code)
		code = td_store_audit(db, at, actor, "status", "dossier", d->id,
				      d->id, detail, err);
	return store_tx_end(db, nested, code, err);
}

int td_store_dossier_update(td_db *db, const struct td_dossier *d,
			    const char *actor, const char *at, td_err *err)
{
	static const char holder_sql[] =
		"UPDATE holder SET last_name = ?1, first_name = ?2, email = ?3,"
		" phone = ?4, postcode = ?5, city = ?6, updated_at = ?7"
		" WHERE id = ?8 AND deleted = 0";
	static const char dossier_sql[] =
		"UPDATE dossier SET project_title = ?1, description = ?2,"
		" stage = ?3, sector = ?4, needs = ?5, siret = ?6,"
		" updated_at = ?7 WHERE id = ?8 AND version = ?9 AND deleted = 0";
	char needs[256], version[16];
	bool nested;
	int n = 0, code;

	if (td_needs_format(d->v.needs, needs, sizeof needs) < 0)
		return td_err_set(err, TD_EINVAL, _("unknown needs"));
	snprintf(version, sizeof version, "%d", d->version);
	if ((code = store_tx_begin(db, &nested, err)))
		return code;
	const char *hv[] = { d->v.last_name, d->v.first_name, d->v.email,
		d->v.phone, d->v.postcode, d->v.city, at, d->holder_id };
	const char *dv[] = { d->v.title, d->v.description,
		td_enum_code(&td_stages, d->v.stage),
		td_enum_code(&td_sectors, d->v.sector), needs, d->v.siret, at,
		d->id, version };
	code = exec_bound(db, dossier_sql, dv, 9, &n,
			  _("cannot save the dossier"), err);
	if (!code && n == 0)
		code = td_err_set(err, TD_EBUSY,
			_("dossier %s was changed at another desk; open it again"),
			d->reference);
	if (!code)
		code = exec_bound(db, holder_sql, hv, 8, NULL,
				  _("cannot save the dossier"), err);
	/* The duplicate check must find the holder under the new name,
	 * e-mail, phone or SIRET, and no longer under the old ones. */
	if (!code)
		code = td_store_dup_index(db, d->holder_id, err);
	if (!code)
		code = td_store_audit(db, at, actor, "edit", "dossier", d->id,
				      d->id, NULL, err);
	return store_tx_end(db, nested, code, err);
}

/* ---- saved filters ------------------------------------------------------ */

int td_store_filter_save(td_db *db, const char *owner, const char *name,
			 const char *spec, const char *at, td_err *err)
{
	static const char sql[] =
		"INSERT INTO saved_filter(id, owner, name, spec, created_at,"
		" updated_at, version, deleted)"
		" VALUES(?1, ?2, ?3, coalesce(?4, ''), ?5, ?5, 1, 0)"
		" ON CONFLICT(owner, name) DO UPDATE SET spec = excluded.spec,"
		" updated_at = excluded.updated_at, deleted = 0,"
		" version = version + 1";
	char id[TD_ID_SIZE];
	/* Saved filters are personal, not a site's: key them on "USR". */
	int code = td_store_new_id("USR", id, err);
	if (code)
		return code;
	const char *v[] = { id, owner, name, spec, at };
	return exec_bound(db, sql, v, 5, NULL, _("cannot save the filter"), err);
}

int td_store_filter_delete(td_db *db, const char *owner, const char *name,
			   const char *at, td_err *err)
{
	static const char sql[] =
		"UPDATE saved_filter SET deleted = 1, updated_at = ?3,"
		" version = version + 1 WHERE owner = ?1 AND name = ?2";
	const char *v[] = { owner, name, at };
	return exec_bound(db, sql, v, 3, NULL, _("cannot delete the filter"),
			  err);
}

int td_store_filter_list(td_db *db, const char *owner,
			 int (*cb)(const char *name, const char *spec, void *ctx),
			 void *ctx, td_err *err)
{
	static const char sql[] =
		"SELECT name, spec FROM saved_filter WHERE owner = ?1"
		" AND deleted = 0 ORDER BY created_at, name";
	sqlite3_stmt *st;
	int rc = sqlite3_prepare_v2(db->h, sql, -1, &st, NULL), ret = 0;
	if (rc != SQLITE_OK)
		return store_fail(db, rc, err, _("cannot read the saved filters"));
	store_bind_text(st, 1, owner);
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		const char *n = (const char *)sqlite3_column_text(st, 0);
		const char *s = (const char *)sqlite3_column_text(st, 1);
		if ((ret = cb(n ? n : "", s ? s : "", ctx)) != 0)
			break;
	}
	if (ret == 0 && rc != SQLITE_DONE)
		ret = store_fail(db, rc, err, _("cannot read the saved filters"));
	sqlite3_finalize(st);
	return ret;
}
