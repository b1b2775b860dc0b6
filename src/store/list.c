/* The one listing engine: every list of dossiers -- the queue, today's
 * intakes, the agenda's waiting dossiers, a search, an export -- is a
 * td_query run here.  A query becomes a plan (which table drives the
 * walk, which keys give the order, what is counted where), and the plan
 * becomes SQL through four small writers: select, from, where, order.
 *
 * Pages are read by keyset only: the rows after (or before) a dossier in
 * the query's order, found from that dossier's own sort keys, so a page
 * at row 500,000 costs what one at the top does.  There is no OFFSET.
 *
 * Statements are assembled from the fixed fragments of this file only;
 * every value typed by a person is bound. */
#include "rows.h"
#include "totemdesk/domain.h"
#include "totemdesk/i18n.h"
#include "totemdesk/query.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

enum qkind {
	QK_COUNT,    /* how many rows (capped or not) */
	QK_ROWS,     /* list rows, a page */
	QK_RECORDS,  /* full records, every row (export) */
};

static bool blank(const char *s)
{
	return !s || !*s;
}

/* ---- prepared statements, by their text -------------------------------- */

void store_list_cache_free(td_db *db)
{
	for (int i = 0; i < STORE_LIST_CACHE; i++) {
		sqlite3_finalize(db->lists[i].st);
		free(db->lists[i].sql);
		db->lists[i].st = NULL;
		db->lists[i].sql = NULL;
	}
}

/* The statement for sql: the cached one when it is free, else a new one
 * kept in place of the least recently used. */
static int list_prepare(td_db *db, const char *sql, sqlite3_stmt **st)
{
	struct store_list_stmt *lru = &db->lists[0];
	for (int i = 0; i < STORE_LIST_CACHE; i++) {
		struct store_list_stmt *c = &db->lists[i];
		if (c->sql && strcmp(c->sql, sql) == 0 &&
		    !sqlite3_stmt_busy(c->st)) {
			c->used = ++db->list_clock;
			*st = c->st;
			return SQLITE_OK;
		}
		if (c->used < lru->used)
			lru = c;
	}
	int rc = sqlite3_prepare_v3(db->h, sql, -1, SQLITE_PREPARE_PERSISTENT,
				    st, NULL);
	char *copy = rc == SQLITE_OK ? strdup(sql) : NULL;
	if (!copy || (lru->st && sqlite3_stmt_busy(lru->st))) {
		free(copy);
		return rc;  /* used once, finalised by list_done */
	}
	sqlite3_finalize(lru->st);
	free(lru->sql);
	lru->sql = copy;
	lru->st = *st;
	lru->used = ++db->list_clock;
	return rc;
}

/* Give back a statement of list_prepare. */
static void list_done(td_db *db, sqlite3_stmt *st)
{
	if (!st)
		return;
	for (int i = 0; i < STORE_LIST_CACHE; i++)
		if (db->lists[i].st == st) {
			sqlite3_reset(st);
			sqlite3_clear_bindings(st);
			return;
		}
	sqlite3_finalize(st);
}

/* ---- the full-text index ----------------------------------------------- */

/* Bring the full-text index up to date with the dossiers the triggers
 * listed in fts_pending (migration 4 says why the triggers cannot do it
 * themselves).  Cheap when nothing changed: one probe.  The text of a
 * dossier: its holder's names (also without apostrophes, so "oconnor"
 * finds O'Connor), e-mail, project title and description, its notes and
 * the outcome notes of its referrals, and the names of the holder's
 * country. */
static int fts_sync(td_db *db, td_err *err)
{
	static const char *const steps[] = {
		"DELETE FROM dossier_fts WHERE rowid IN"
		" (SELECT -dossier_rowid FROM fts_pending)",
		"INSERT INTO dossier_fts(rowid, name, email, title, description,"
		" notes, site, country) SELECT -d.rowid, h.last_name || ' ' || h.first_name"
		" || CASE WHEN instr(h.last_name || h.first_name, '''') OR"
		" instr(h.last_name || h.first_name, '’') THEN ' ' ||"
		" replace(replace(h.last_name || ' ' || h.first_name, '''', ''),"
		" '’', '') ELSE '' END,"
		" coalesce(h.email, ''), coalesce(d.project_title, ''),"
		" coalesce(d.description, ''), coalesce((SELECT"
		" group_concat(body, ' ') FROM note n WHERE n.dossier_id = d.id"
		" AND n.deleted = 0), '') || ' ' || coalesce((SELECT"
		" group_concat(outcome, ' ') FROM referral r WHERE"
		" r.dossier_id = d.id AND r.deleted = 0), ''), d.site_code,"
		/* the holder's country by its names (migration 13) */
		" CASE h.country WHEN 'FR' THEN 'France Frankreich'"
		" WHEN 'LU' THEN 'Luxembourg Luxemburg'"
		" WHEN 'DE' THEN 'Allemagne Germany Deutschland'"
		" WHEN 'BE' THEN 'Belgique Belgium Belgien België'"
		" ELSE '' END"
		" FROM fts_pending p JOIN dossier d ON d.rowid = p.dossier_rowid"
		" JOIN holder h ON h.id = d.holder_id WHERE d.deleted = 0",
		"DELETE FROM fts_pending",
	};
	sqlite3_stmt *st;
	bool nested;
	int code = store_stmt_get(db, SS_FTS_PENDING,
		"SELECT EXISTS (SELECT 1 FROM fts_pending)", &st, err);
	if (code)
		return code;
	int rc = sqlite3_step(st);
	bool pending = rc == SQLITE_ROW && sqlite3_column_int(st, 0);
	store_stmt_put(db, SS_FTS_PENDING, st);
	/* A read-only connection searches the index as it is. */
	if (!pending || (db->flags & TD_DB_READONLY))
		return TD_OK;
	code = store_tx_begin(db, &nested, err);
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

#define TEXT_COLUMNS "{name email title description notes country} : "
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
 * column filter: it reads the positions of every match.  Returns false
 * when text has no word to search. */
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

/* ---- the plan ---------------------------------------------------------- */

/* The table that drives the walk. */
enum driver {
	FROM_DOSSIER,  /* the dossier table, in the order's index */
	FROM_FTS,      /* the full-text index's matches, latest first */
	FROM_HOLDER,   /* the holders' name index (sort by name) */
	FROM_ACTIVITY, /* the last actions' index (sort by follow-up) */
	FROM_TALLY,    /* the per-site, per-status counts (a count only) */
};

/* Most sort keys of an order (the name order's four plus room). */
#define SORT_KEYS 5

struct plan {
	enum qkind kind;
	const struct td_query *q;
	const struct td_queue_bounds *bd;
	const char *site;           /* held to one site, or "" */
	char fts[FTS_EXPR_MAX];     /* MATCH expression, "" = no search */
	bool fts_alone;             /* the index answers a count alone */
	bool one_row;               /* a search's page: each match's list
				     * row from dossier_row alone */
	/* Which dossier rows a count reads: the live ones, or (locate) all
	 * of them, deleted included, from the order's index alone, less
	 * the deleted ones from theirs. */
	enum { ROWS_LIVE, ROWS_ALL, ROWS_DELETED } rows;
	bool overdue;               /* last action before :cutoff (overdue,
				     * due) */
	enum driver from;
	const char *const *keys;    /* order, NULL-terminated */
	int nkeys;
	bool desc;                  /* the order runs descending */
	bool flip;                  /* read it backwards (rows before) */
	const char *seek;           /* keyset condition, or NULL */
	bool limit;                 /* LIMIT :limit */
	bool cap;                   /* a count stopping at :max */
};

/* Sort keys of each column, ties broken newest first in the same
 * direction so one index serves both directions. */
static const char *const order_keys[TD_QC_COUNT][SORT_KEYS] = {
	[TD_QC_REFERENCE] = { "d.reference", NULL },
	[TD_QC_DATE] = { "d.created_at", "d.id", NULL },
	[TD_QC_SITE] = { "d.site_code", "d.created_at", "d.id", NULL },
	[TD_QC_NAME] = { "h.last_name", "h.first_name", "h.id", "d.id", NULL },
	[TD_QC_PROJECT] = { "d.project_title", "d.id", NULL },
	[TD_QC_STAGE] = { "d.stage", "d.created_at", "d.id", NULL },
	[TD_QC_NEEDS] = { "d.needs", "d.created_at", "d.id", NULL },
	[TD_QC_STATUS] = { "d.status", "d.created_at", "d.id", NULL },
	[TD_QC_ASSIGNEE] = { "d.assigned_to", "d.created_at", "d.id", NULL },
	[TD_QC_FOLLOWUP] = { "a.last_action_at", "a.dossier_id", NULL },
};

/* Newest first; a search's default, latest registered first, is on the
 * index's rowid, the dossier's negated (migration 6): FTS5 hands its
 * matches in ascending rowid order -- the latest registered first --
 * seeks from a bound on it, and stops at the page's LIMIT.  (Read
 * descending, FTS5 first loads a prefix's whole posting list.) */
static const char *const newest_keys[] = { "d.created_at", "d.id", NULL };
static const char *const latest_keys[] = { "f.rowid", NULL };

/* Does q hold anything but a site and a search? */
static bool other_filters(const struct td_query *q,
			  const struct td_queue_bounds *bd, bool overdue)
{
	return q->statuses || q->stage > 0 || q->sector > 0 || q->needs ||
	       q->assignee[0] || q->unassigned || overdue ||
	       !blank(bd->since) || !blank(bd->until);
}

/* Does q filter on something the tally does not count by (it knows
 * sites and statuses)? */
static bool tally_blind(const struct td_query *q,
			const struct td_queue_bounds *bd, bool overdue)
{
	return q->stage > 0 || q->sector > 0 || q->needs || q->assignee[0] ||
	       q->unassigned || overdue || !blank(bd->since) ||
	       !blank(bd->until);
}

static void plan_make(struct plan *p, enum qkind kind,
		      const struct td_query *q,
		      const struct td_queue_bounds *bd)
{
	memset(p, 0, sizeof *p);
	p->kind = kind;
	p->q = q;
	p->bd = bd;
	p->site = !blank(bd->only_site) ? bd->only_site : q->site;
	if (!fts_expr(q->text, p->site, p->fts, sizeof p->fts))
		p->fts[0] = '\0';
	p->overdue = (q->overdue || q->due[0]) && !blank(bd->cutoff);
	bool others = other_filters(q, bd, p->overdue);
	bool search = p->fts[0] != '\0';
	/* A search held to one site and nothing else: the site is in the
	 * full-text expression, so the index alone counts it. */
	p->fts_alone = search && !others &&
		       (blank(p->site) || site_word(p->site));

	p->desc = q->sort >= 0 && q->sort < TD_QC_COUNT ? q->desc : !search;
	p->keys = q->sort >= 0 && q->sort < TD_QC_COUNT ? order_keys[q->sort]
		  : search ? latest_keys : newest_keys;
	while (p->nkeys < SORT_KEYS && p->keys[p->nkeys])
		p->nkeys++;
	/* A page of a search in its own order: every column it shows or
	 * filters on is in dossier_row (migration 15) but the last action
	 * "overdue" compares, which the joins below read. */
	p->one_row = kind == QK_ROWS && search && p->keys == latest_keys &&
		     !p->overdue;

	if (search)
		p->from = FROM_FTS;
	else if (kind == QK_COUNT && !tally_blind(q, bd, p->overdue))
		p->from = FROM_TALLY;
	else if (q->sort == TD_QC_NAME && kind != QK_COUNT)
		p->from = FROM_HOLDER;
	else if (q->sort == TD_QC_FOLLOWUP && kind != QK_COUNT)
		p->from = FROM_ACTIVITY;
	else
		p->from = FROM_DOSSIER;
}

/* ---- the four writers --------------------------------------------------- */

static void sql_select(struct store_sql *b, const struct plan *p)
{
	if (p->kind == QK_COUNT) {
		if (p->from == FROM_TALLY)
			store_sql_add(b, "SELECT coalesce(sum(n), 0)");
		else
			store_sql_add(b, p->cap ? "SELECT count(*) FROM (SELECT 1"
				      : "SELECT count(*)");
		return;
	}
	store_sql_add(b, "SELECT ");
	if (p->kind == QK_RECORDS)
		store_dossier_select(b);
	else
		store_row_select(b, p->one_row);
}

static void sql_from(struct store_sql *b, const struct plan *p)
{
	bool count = p->kind == QK_COUNT;
	/* What a count needs joined: the last action for "overdue", a key
	 * of the anchor's order (locate). */
	bool keyed_a = p->kind != QK_ROWS && p->keys[0][0] == 'a';
	bool activity = p->kind == QK_ROWS || p->overdue ||
			(keyed_a && (p->seek || p->kind == QK_RECORDS));
	bool holder = !count || (p->seek && p->keys[0][0] == 'h');

	switch (p->from) {
	case FROM_TALLY:
		store_sql_add(b, " FROM dossier_tally d");
		return;
	case FROM_FTS:
		if (count && p->fts_alone) {
			store_sql_add(b, " FROM dossier_fts f");
			return;
		}
		/* CROSS JOIN keeps the index outside: its order is the
		 * list's, and LIMIT stops the walk after one page. */
		if (p->one_row) {
			store_sql_add(b, " FROM dossier_fts f CROSS JOIN"
				      " dossier_row d ON d.dossier_rowid = -f.rowid");
			return;
		}
		store_sql_add(b, " FROM dossier_fts f CROSS JOIN dossier d"
			      " ON d.rowid = -f.rowid");
		break;
	case FROM_HOLDER:
		/* CROSS JOIN keeps the holders outside: their name index is
		 * the order. */
		store_sql_add(b, " FROM holder h CROSS JOIN dossier d"
			      " ON d.holder_id = h.id");
		holder = false;
		break;
	case FROM_ACTIVITY:
		/* Every dossier's last action (locate): the index alone. */
		if (count && p->rows == ROWS_ALL) {
			store_sql_add(b, " FROM dossier_activity a");
			return;
		}
		/* The follow-up order is the last actions' index. */
		store_sql_add(b, " FROM dossier_activity a CROSS JOIN dossier d"
			      " ON d.id = a.dossier_id");
		activity = false;
		break;
	case FROM_DOSSIER:
		store_sql_add(b, p->rows == ROWS_DELETED
			      ? " FROM dossier d INDEXED BY dossier_deleted"
			      : " FROM dossier d");
		break;
	}
	if (holder)
		store_sql_add(b, " JOIN holder h ON h.id = d.holder_id");
	if (activity)
		store_sql_add(b, " JOIN dossier_activity a ON a.dossier_id = d.id");
}

/* May SQLite use an index on this filter column (sort column c whose
 * index starts with it, single: an equality on one value)?  Only when
 * that index also gives the list's order: else it would pick the
 * filter's index and sort every match for one page.  "+" before a
 * column keeps its index out of the plan. */
static bool may_index(const struct plan *p, int c, bool single)
{
	int s = p->q->sort;
	if (p->kind == QK_COUNT)
		return true;
	if (p->from != FROM_DOSSIER)
		return false;
	return s == c || (single && (s < 0 || s == TD_QC_DATE));
}

static void add_col(struct store_sql *b, const struct plan *p, int c,
		    bool single, const char *cond)
{
	store_sql_add(b, may_index(p, c, single) ? " AND " : " AND +");
	store_sql_add(b, cond);
}

static void sql_where(struct store_sql *b, const struct plan *p)
{
	const struct td_query *q = p->q;
	const struct td_queue_bounds *bd = p->bd;

	if (p->from == FROM_TALLY) {
		store_sql_add(b, " WHERE 1");
	} else if (p->from == FROM_FTS) {
		store_sql_add(b, " WHERE dossier_fts MATCH :fts");
		if (p->kind == QK_COUNT && p->fts_alone)
			goto seek;
		store_sql_add(b, " AND d.deleted = 0");
	} else {
		store_sql_add(b, p->rows == ROWS_ALL ? " WHERE 1"
			      : p->rows == ROWS_DELETED ? " WHERE d.deleted = 1"
			      : " WHERE d.deleted = 0");
	}
	if (!blank(p->site))
		add_col(b, p, TD_QC_SITE, true, "d.site_code = :site");
	if (q->statuses) {
		bool single = (q->statuses & (q->statuses - 1)) == 0;
		add_col(b, p, TD_QC_STATUS, single, "d.status IN (");
		for (int i = 0, k = 0; i < (int)td_statuses.count; i++)
			if (q->statuses & (1u << i)) {
				if (k++)
					store_sql_add(b, ", ");
				store_sql_param(b, "st", i);
			}
		store_sql_add(b, ")");
	}
	if (p->from == FROM_TALLY)
		return;
	if (q->stage > 0)
		add_col(b, p, TD_QC_STAGE, true, "d.stage = :stage");
	if (q->sector > 0)
		store_sql_add(b, " AND d.sector = :sector");
	if (q->needs) {
		store_sql_add(b, " AND (");
		for (int i = 0, k = 0; i < (int)td_needs.count; i++)
			if (q->needs & (1u << i)) {
				if (k++)
					store_sql_add(b, " OR ");
				store_sql_add(b, "instr('|' || d.needs || '|', ");
				store_sql_param(b, "nd", i);
				store_sql_add(b, ") > 0");
			}
		store_sql_add(b, ")");
	}
	if (q->unassigned)
		store_sql_add(b, " AND coalesce(d.assigned_to, '') = ''");
	else if (q->assignee[0])
		add_col(b, p, TD_QC_ASSIGNEE, true, "d.assigned_to = :assignee");
	if (!blank(bd->since))
		add_col(b, p, TD_QC_DATE, true, "d.created_at >= :since");
	if (!blank(bd->until))
		add_col(b, p, TD_QC_DATE, true, "d.created_at < :until");
	if (p->overdue)
		store_sql_add(b, " AND a.last_action_at < :cutoff"
			      " AND d.status NOT IN ('closed', 'on_hold')");
seek:
	if (p->seek) {
		store_sql_add(b, " AND ");
		store_sql_add(b, p->seek);
	}
}

static void sql_order(struct store_sql *b, const struct plan *p)
{
	if (p->kind == QK_COUNT) {
		if (p->cap && p->from != FROM_TALLY)
			store_sql_add(b, " LIMIT :max)");
		return;
	}
	store_sql_add(b, " ORDER BY ");
	for (int i = 0; i < p->nkeys; i++) {
		if (i)
			store_sql_add(b, ", ");
		store_sql_add(b, p->keys[i]);
		store_sql_add(b, p->desc != p->flip ? " DESC" : " ASC");
	}
	if (p->limit)
		store_sql_add(b, " LIMIT :limit");
}

/* Prepare the statement of plan p and bind the query's values. */
static int prepare(td_db *db, const struct plan *p, sqlite3_stmt **st,
		   td_err *err)
{
	const struct td_query *q = p->q;
	const struct td_queue_bounds *bd = p->bd;
	struct store_sql b = { .n = 0 };

	*st = NULL;
	/* Every count and search first catches up with the dossiers
	 * changed since (an import, another desk): one probe when nothing
	 * is pending.  A busy index makes a plain count wait, not fail. */
	if (p->fts[0] || p->kind == QK_COUNT) {
		int code = fts_sync(db, err);
		if (code && p->fts[0])
			return code;
		if (code)
			td_err_clear(err);
	}
	sql_select(&b, p);
	sql_from(&b, p);
	sql_where(&b, p);
	sql_order(&b, p);
	if (b.overflow)
		return td_err_set(err, TD_EINVAL,
			_("the queue filter is too complex"));
	int rc = list_prepare(db, b.s, st);
	if (rc != SQLITE_OK)
		return store_fail(db, rc, err, _("cannot list the dossiers"));

	/* Transient: several values live in this function's buffers. */
#define BIND(name, val) \
	sqlite3_bind_text(*st, sqlite3_bind_parameter_index(*st, name), (val), \
			  -1, SQLITE_TRANSIENT)
	if (p->fts[0])
		BIND(":fts", p->fts);
	if (!blank(p->site))
		BIND(":site", p->site);
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
	if (p->overdue)
		BIND(":cutoff", bd->cutoff);
#undef BIND
	return TD_OK;
}

/* ---- counting ----------------------------------------------------------- */

/* Run a count statement of plan p; max > 0 caps it. */
static int count_run(td_db *db, struct plan *p, long max,
		     sqlite3_value *const *v, const char *anchor, long *n,
		     td_err *err)
{
	sqlite3_stmt *st;
	p->cap = max > 0;
	int code = prepare(db, p, &st, err);
	*n = 0;
	if (code)
		return code;
	if (max > 0)
		sqlite3_bind_int64(st, sqlite3_bind_parameter_index(st, ":max"),
				   max);
	for (int i = 0; v && i < p->nkeys; i++) {
		char name[16];
		snprintf(name, sizeof name, ":k%d", i);
		int at = sqlite3_bind_parameter_index(st, name);
		if (at > 0 && v[i])
			sqlite3_bind_value(st, at, v[i]);
	}
	if (anchor)
		store_bind_text(st, sqlite3_bind_parameter_index(st, ":anchor"),
				anchor);
	int rc = sqlite3_step(st);
	if (rc == SQLITE_ROW)
		*n = (long)sqlite3_column_int64(st, 0);
	else
		code = store_fail(db, rc, err, _("cannot count the dossiers"));
	list_done(db, st);
	/* The tally is never capped: exact at once. */
	if (max > 0 && *n > max && p->from != FROM_TALLY)
		*n = max;
	return code;
}

int td_store_list_count(td_db *db, const struct td_query *q,
			const struct td_queue_bounds *b, long max, long *n,
			td_err *err)
{
	struct plan p;
	plan_make(&p, QK_COUNT, q, b);
	return count_run(db, &p, max, NULL, NULL, n, err);
}

/* ---- keyset ------------------------------------------------------------- */

/* The sort keys of the dossier whose reference is ref, into v (owned by
 * the caller: sqlite3_value_free); *found false if no such dossier. */
static int anchor_keys(td_db *db, const struct plan *p, const char *ref,
		       sqlite3_value **v, bool *found, td_err *err)
{
	struct store_sql b = { .n = 0 };
	sqlite3_stmt *st;
	store_sql_add(&b, "SELECT ");
	for (int i = 0; i < p->nkeys; i++) {
		if (i)
			store_sql_add(&b, ", ");
		/* The index's rowid is the dossier's. */
		store_sql_add(&b, strcmp(p->keys[i], "f.rowid") == 0 ? "-d.rowid"
			      : p->keys[i]);
	}
	store_sql_add(&b, " FROM dossier d JOIN holder h ON h.id = d.holder_id"
		      " JOIN dossier_activity a ON a.dossier_id = d.id"
		      " WHERE d.reference = ?1 AND d.deleted = 0");
	*found = false;
	int rc = list_prepare(db, b.s, &st);
	if (rc != SQLITE_OK)
		return store_fail(db, rc, err, _("cannot list the dossiers"));
	store_bind_text(st, 1, ref);
	rc = sqlite3_step(st);
	int code = TD_OK;
	if (rc == SQLITE_ROW) {
		*found = true;
		for (int i = 0; i < p->nkeys && !code; i++)
			if (!(v[i] = sqlite3_value_dup(sqlite3_column_value(st, i))))
				code = td_err_set(err, TD_ENOMEM,
						  _("Out of memory."));
	} else if (rc != SQLITE_DONE) {
		code = store_fail(db, rc, err, _("cannot list the dossiers"));
	}
	list_done(db, st);
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

/* The keyset conditions for the rows on one side of an anchor whose
 * keys are v: after it in the reading direction (asc: ascending), with
 * the anchor itself when `with`.  Row values compare NULL as unknown,
 * so a nullable first key (stage, project, assignee) is read in two
 * runs: s1 within the anchor's NULL / non-NULL group, s2 the other group
 * from its start (empty when there is none to read). */
static void seek_conds(const struct plan *p, sqlite3_value *const *v,
		       bool asc, bool with, struct store_sql *s1,
		       struct store_sql *s2)
{
	const char *const *k = p->keys;
	const char *op = asc ? (with ? ">=" : ">") : (with ? "<=" : "<");
	if (sqlite3_value_type(v[0]) == SQLITE_NULL) {
		store_sql_add(s1, k[0]);
		store_sql_add(s1, " IS NULL AND ");
		if (p->nkeys > 1)
			add_tuple(s1, k, 1, p->nkeys, op);
		else
			store_sql_add(s1, with ? "1" : "0");
		if (asc) {
			store_sql_add(s2, k[0]);
			store_sql_add(s2, " IS NOT NULL");
		}
	} else {
		add_tuple(s1, k, 0, p->nkeys, op);
		/* On a NOT NULL column "IS NULL" would walk the whole index. */
		if (!asc && nullable(k[0])) {
			store_sql_add(s2, k[0]);
			store_sql_add(s2, " IS NULL");
		}
	}
}

/* One keyset statement: up to limit rows of plan p (its seek set),
 * appended to rows[*n...]. */
static int seek_run(td_db *db, struct plan *p, sqlite3_value *const *v,
		    int limit, struct td_queue_row *rows, int *n, td_err *err)
{
	sqlite3_stmt *st;
	int rc = SQLITE_DONE, code = prepare(db, p, &st, err);
	if (code)
		return code;
	sqlite3_bind_int(st, sqlite3_bind_parameter_index(st, ":limit"), limit);
	for (int i = 0; v && i < p->nkeys; i++) {
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
	list_done(db, st);
	return code;
}

int td_store_list_seek(td_db *db, const struct td_query *q,
		       const struct td_queue_bounds *bd, const char *anchor,
		       enum td_seek how, int limit, struct td_queue_row *rows,
		       int *n, td_err *err)
{
	sqlite3_value *v[SORT_KEYS] = { NULL };
	struct store_sql s1 = { .n = 0 }, s2 = { .n = 0 };
	struct plan p;
	bool found = false;
	bool before = how == TD_SEEK_BEFORE;
	int code = TD_OK;

	*n = 0;
	if (limit <= 0)
		return TD_OK;
	plan_make(&p, QK_ROWS, q, bd);
	p.limit = true;
	p.flip = before;
	if (!blank(anchor)) {
		if ((code = anchor_keys(db, &p, anchor, v, &found, err)))
			goto out;
		if (!found) {
			code = td_err_set(err, TD_ENOTFOUND,
				_("dossier %s is no longer in the list"), anchor);
			goto out;
		}
		/* The direction the rows are read in. */
		seek_conds(&p, v, p.desc == before, how == TD_SEEK_AT, &s1, &s2);
		if (s1.overflow || s2.overflow) {
			code = td_err_set(err, TD_EINVAL,
					  _("the queue filter is too complex"));
			goto out;
		}
		p.seek = s1.s;
	}
	code = seek_run(db, &p, v, limit, rows, n, err);
	if (!code && s2.n && *n < limit) {
		p.seek = s2.s;
		code = seek_run(db, &p, v, limit - *n, rows, n, err);
	}
	/* Read backwards: give them in the list's order. */
	if (!code && before)
		for (int i = 0, j = *n - 1; i < j; i++, j--) {
			struct td_queue_row t = rows[i];
			rows[i] = rows[j];
			rows[j] = t;
		}
out:
	for (int i = 0; i < SORT_KEYS; i++)
		sqlite3_value_free(v[i]);
	return code;
}

/* One count of fixed text, the values v[0..nv) bound as ?1... */
static int count_sql(td_db *db, const char *sql, sqlite3_value *const *v,
		     int nv, long *n, td_err *err)
{
	sqlite3_stmt *st;
	int rc = list_prepare(db, sql, &st), code = TD_OK;
	*n = 0;
	if (rc != SQLITE_OK)
		return store_fail(db, rc, err, _("cannot count the dossiers"));
	for (int i = 0; i < nv && i < sqlite3_bind_parameter_count(st); i++)
		sqlite3_bind_value(st, i + 1, v[i]);
	rc = sqlite3_step(st);
	if (rc == SQLITE_ROW)
		*n = (long)sqlite3_column_int64(st, 0);
	else
		code = store_fail(db, rc, err, _("cannot count the dossiers"));
	list_done(db, st);
	return code;
}

/* The row number of a dossier whose name keys are v (last name, first
 * name, holder, dossier) in every site's list by name: the dossiers of
 * the holders before its holder, counted in the holders' name index and
 * the dossiers' holder index alone, plus its holder's dossiers before
 * it, less the deleted dossiers of the holders before (their own
 * index).  Counting the rows themselves read half the table. */
static int locate_by_name(td_db *db, bool desc, sqlite3_value *const *v,
			  long *pos, td_err *err)
{
	static const char *const sql[2][3] = {
		{ "SELECT count(*) FROM holder h INDEXED BY holder_name CROSS JOIN"
		  " dossier d INDEXED BY dossier_holder ON d.holder_id = h.id"
		  " WHERE (h.last_name, h.first_name, h.id) < (?1, ?2, ?3)",
		  "SELECT count(*) FROM dossier d WHERE d.holder_id = ?3 AND"
		  " d.deleted = 0 AND d.id < ?4",
		  "SELECT count(*) FROM dossier d INDEXED BY dossier_deleted"
		  " JOIN holder h ON h.id = d.holder_id WHERE d.deleted = 1 AND"
		  " (h.last_name, h.first_name, h.id) < (?1, ?2, ?3)" },
		{ "SELECT count(*) FROM holder h INDEXED BY holder_name CROSS JOIN"
		  " dossier d INDEXED BY dossier_holder ON d.holder_id = h.id"
		  " WHERE (h.last_name, h.first_name, h.id) > (?1, ?2, ?3)",
		  "SELECT count(*) FROM dossier d WHERE d.holder_id = ?3 AND"
		  " d.deleted = 0 AND d.id > ?4",
		  "SELECT count(*) FROM dossier d INDEXED BY dossier_deleted"
		  " JOIN holder h ON h.id = d.holder_id WHERE d.deleted = 1 AND"
		  " (h.last_name, h.first_name, h.id) > (?1, ?2, ?3)" },
	};
	long n[3] = { 0, 0, 0 };
	int code = TD_OK;
	for (int i = 0; i < 3 && !code; i++)
		code = count_sql(db, sql[desc][i], v, i == 1 ? 4 : 3, &n[i], err);
	*pos = n[0] + n[1] - n[2];
	return code;
}

int td_store_list_locate(td_db *db, const struct td_query *q,
			 const struct td_queue_bounds *bd, const char *anchor,
			 long *pos, td_err *err)
{
	sqlite3_value *v[SORT_KEYS] = { NULL };
	struct store_sql s1 = { .n = 0 }, s2 = { .n = 0 };
	struct plan p;
	bool found = false;
	long a = 0, b = 0;
	int code;

	*pos = 0;
	plan_make(&p, QK_COUNT, q, bd);
	/* A count by the rows' own keys: never the tally. */
	if (p.from == FROM_TALLY)
		p.from = FROM_DOSSIER;
	bool fts_alone = p.fts_alone;
	p.fts_alone = false;
	/* An order on the dossier's own columns is counted in its index
	 * (every row, then less the deleted ones): a count of the rows
	 * themselves reads each one to see whether it is deleted: slow
	 * 500,000 rows down. */
	bool by_index = p.from == FROM_DOSSIER;
	for (int i = 0; i < p.nkeys; i++)
		by_index = by_index && strncmp(p.keys[i], "d.", 2) == 0;
	/* The follow-up order of every dossier: the last actions' index. */
	bool by_activity = !by_index && p.from == FROM_DOSSIER &&
			   p.keys[0][0] == 'a' && blank(p.site) &&
			   !other_filters(q, bd, p.overdue);
	if ((code = anchor_keys(db, &p, anchor, v, &found, err)))
		goto out;
	if (!found) {
		code = td_err_set(err, TD_ENOTFOUND,
			_("dossier %s is no longer in the list"), anchor);
		goto out;
	}
	/* The anchor itself must be one of q's rows. */
	p.seek = "d.reference = :anchor";
	if ((code = count_run(db, &p, 1, NULL, anchor, &a, err)))
		goto out;
	if (a == 0) {
		code = td_err_set(err, TD_ENOTFOUND,
			_("dossier %s is no longer in the list"), anchor);
		goto out;
	}
	if (q->sort == TD_QC_NAME && p.from == FROM_DOSSIER && !p.fts[0] &&
	    blank(p.site) && !other_filters(q, bd, p.overdue)) {
		code = locate_by_name(db, p.desc, v, pos, err);
		goto out;
	}
	/* The rows before it: read backwards from it, in one or two runs. */
	seek_conds(&p, v, p.desc, false, &s1, &s2);
	if (s1.overflow || s2.overflow) {
		code = td_err_set(err, TD_EINVAL,
				  _("the queue filter is too complex"));
		goto out;
	}
	p.fts_alone = fts_alone && p.keys == latest_keys;
	for (int run = 0; run < 2; run++) {
		long all = 0, gone = 0;
		p.seek = run ? s2.s : s1.s;
		if (run && !s2.n)
			break;
		enum driver from = p.from;
		p.rows = by_index || by_activity ? ROWS_ALL : ROWS_LIVE;
		if (by_activity)
			p.from = FROM_ACTIVITY;
		if ((code = count_run(db, &p, 0, v, NULL, &all, err)))
			goto out;
		p.rows = ROWS_DELETED;
		p.from = FROM_DOSSIER;
		if ((by_index || by_activity) &&
		    (code = count_run(db, &p, 0, v, NULL, &gone, err)))
			goto out;
		p.from = from;
		*(run ? &b : &a) = all - gone;
	}
	*pos = a + b;
out:
	for (int i = 0; i < SORT_KEYS; i++)
		sqlite3_value_free(v[i]);
	return code;
}

/* ---- full records ------------------------------------------------------- */

int td_store_list_each(td_db *db, const struct td_query *q,
		       const struct td_queue_bounds *b,
		       int (*cb)(const struct td_dossier *d, void *ctx),
		       void *ctx, td_err *err)
{
	struct td_dossier d;
	struct plan p;
	sqlite3_stmt *st;
	int code, rc, ret = 0;

	/* Read through SQLite's page cache, not a mapping of the file: a
	 * mapping read whole counts the file's size in the desk's resident
	 * memory (1.9 GB at 1,000,000 dossiers) and is no faster on a file
	 * written in order of time, as desks write it (docs/benchmarks.md,
	 * "Export without a mapping"). */
	plan_make(&p, QK_RECORDS, q, b);
	if ((code = prepare(db, &p, &st, err)))
		return code;
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		store_dossier_read(st, &d);
		if ((ret = cb(&d, ctx)) != 0)
			break;
	}
	if (ret == 0 && rc != SQLITE_DONE)
		ret = store_fail(db, rc, err, _("cannot read the dossiers"));
	list_done(db, st);
	return ret;
}

/* ---- plans, for the tests ----------------------------------------------- */

int store_plan(td_db *db, const char *query, char *out, size_t outsz,
	       td_err *err)
{
	sqlite3_stmt *ex;
	size_t len = 0;
	char sql[4200];

	snprintf(sql, sizeof sql, "EXPLAIN QUERY PLAN %s", query);
	int rc = sqlite3_prepare_v2(db->h, sql, -1, &ex, NULL);
	if (rc != SQLITE_OK)
		return store_fail(db, rc, err, _("cannot list the dossiers"));
	/* Two spaces of indent per level, as the sqlite3 shell shows it. */
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

int td_store_list_plan(td_db *db, const struct td_query *q,
		       const struct td_queue_bounds *b, bool count,
		       char *out, size_t outsz, td_err *err)
{
	sqlite3_stmt *st;
	struct plan p;
	char sql[4200];

	plan_make(&p, count ? QK_COUNT : QK_ROWS, q, b);
	p.limit = !count;
	p.cap = count;
	int code = prepare(db, &p, &st, err);
	if (code)
		return code;
	snprintf(sql, sizeof sql, "%s", sqlite3_sql(st));
	list_done(db, st);
	return store_plan(db, sql, out, outsz, err);
}
