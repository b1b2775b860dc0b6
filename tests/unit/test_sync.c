/* The exchange's store side on real SQLite files: change capture into
 * the outbox (atomic with the data, local tables left out), and the
 * application of one database's changes to another (in order, once,
 * conflicts settled by the rules and recorded). */
#include "../../src/store/store_int.h"
#include "store/store.h"
#include "store/sync.h"
#include "tmpdir.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

struct fx {
	char dir[64];
	char path[3][128];
	td_db *db[3];
};

static void run(td_db *db, const char *sql)
{
	char *msg = NULL;
	int rc = sqlite3_exec(db->h, sql, NULL, NULL, &msg);
	if (rc != SQLITE_OK)
		fail_msg("%s: %s", sql, msg ? msg : "?");
}

static long long num(td_db *db, const char *sql)
{
	sqlite3_stmt *st;
	long long v = -1;
	assert_int_equal(sqlite3_prepare_v2(db->h, sql, -1, &st, NULL),
			 SQLITE_OK);
	if (sqlite3_step(st) == SQLITE_ROW)
		v = sqlite3_column_int64(st, 0);
	sqlite3_finalize(st);
	return v;
}

static void text(td_db *db, const char *sql, char *out, size_t n)
{
	sqlite3_stmt *st;
	assert_int_equal(sqlite3_prepare_v2(db->h, sql, -1, &st, NULL),
			 SQLITE_OK);
	out[0] = '\0';
	if (sqlite3_step(st) == SQLITE_ROW && sqlite3_column_text(st, 0))
		snprintf(out, n, "%s", (const char *)sqlite3_column_text(st, 0));
	sqlite3_finalize(st);
}

static const char *const site_of[3] = { "MET", "NAN", "COO" };

static int setup(void **state)
{
	struct fx *fx = calloc(1, sizeof *fx);
	td_err err = { 0 };
	if (!fx || tmpdir_make(fx->dir, sizeof fx->dir, "sync"))
		return -1;
	for (int i = 0; i < 3; i++) {
		char id[64], site[8];
		snprintf(fx->path[i], sizeof fx->path[i], "%s/%d.db", fx->dir, i);
		if (td_store_open(fx->path[i], TD_DB_CREATE, &fx->db[i], &err))
			return -1;
		/* The sites come from each installation's configuration. */
		run(fx->db[i], "INSERT INTO site(code, name, updated_at) VALUES"
			" ('MET','Metz','x'),('NAN','Nancy','x'),('COO','C','x')");
		if (td_store_sync_self(fx->db[i], site_of[i], id, site, &err))
			return -1;
	}
	*state = fx;
	return 0;
}

static int teardown(void **state)
{
	struct fx *fx = *state;
	for (int i = 0; i < 3; i++)
		td_store_close(fx->db[i]);
	tmpdir_remove(fx->dir);
	free(fx);
	return 0;
}

static void tx(td_db *db, const char *sql)
{
	td_err err = { 0 };
	assert_int_equal(td_store_begin(db, &err), TD_OK);
	run(db, sql);
	assert_int_equal(td_store_commit(db, &err), TD_OK);
}

static const char *const intake =
	"INSERT INTO holder(id, site_code, last_name, first_name, consent,"
	" created_at, updated_at) VALUES ('MET-H1', 'MET', 'Martin', 'Ana', 1,"
	" '2026-01-01T10:00:00Z', '2026-01-01T10:00:00Z');"
	"INSERT INTO dossier(id, reference, holder_id, site_code, status,"
	" project_title, created_at, updated_at) VALUES ('MET-D1',"
	" 'MET-2026-0001', 'MET-H1', 'MET', 'new', 'Bakery',"
	" '2026-01-01T10:00:00Z', '2026-01-01T10:00:00Z');"
	"INSERT INTO ref_counter(site_code, year, last) VALUES ('MET', 2026, 1);"
	"INSERT INTO audit(at, actor, action, entity, entity_id, dossier_id)"
	" VALUES ('2026-01-01T10:00:00Z', 'lb', 'create', 'dossier', 'MET-D1',"
	" 'MET-D1');";

/* Point 1: the write and its outbox entry commit together, the local
 * tables are not in it, a rolled back write leaves no entry. */
static void capture_is_atomic_and_leaves_local_tables(void **state)
{
	struct fx *fx = *state;
	td_db *db = fx->db[0];
	td_err err = { 0 };

	assert_int_equal(num(db, "SELECT count(*) FROM sync_outbox"), 0);
	tx(db, intake);
	assert_int_equal(num(db, "SELECT count(*) FROM sync_outbox"), 1);
	assert_int_equal(num(db, "SELECT seq FROM sync_outbox"), 1);
	assert_true(num(db, "SELECT length(logs) FROM sync_outbox") > 0);

	/* The changeset names the shared tables only. */
	sqlite3_stmt *st;
	assert_int_equal(sqlite3_prepare_v2(db->h,
		"SELECT changes FROM sync_outbox", -1, &st, NULL), SQLITE_OK);
	assert_int_equal(sqlite3_step(st), SQLITE_ROW);
	sqlite3_changeset_iter *it;
	assert_int_equal(sqlite3changeset_start(&it,
		sqlite3_column_bytes(st, 0), (void *)sqlite3_column_blob(st, 0)),
		SQLITE_OK);
	int holder = 0, dossier = 0, other = 0;
	while (sqlite3changeset_next(it) == SQLITE_ROW) {
		const char *tbl;
		int n, op, ind;
		sqlite3changeset_op(it, &tbl, &n, &op, &ind);
		if (!strcmp(tbl, "holder"))
			holder++;
		else if (!strcmp(tbl, "dossier"))
			dossier++;
		else
			other++;
	}
	sqlite3changeset_finalize(it);
	sqlite3_finalize(st);
	assert_int_equal(holder, 1);
	assert_int_equal(dossier, 1);
	assert_int_equal(other, 0);

	/* Rolled back: neither the data nor an entry. */
	assert_int_equal(td_store_begin(db, &err), TD_OK);
	run(db, "UPDATE dossier SET status = 'triaged'");
	td_store_rollback(db);
	assert_int_equal(num(db, "SELECT count(*) FROM sync_outbox"), 1);
	/* A transaction changing only local tables records nothing. */
	tx(db, "UPDATE ref_counter SET last = 2");
	assert_int_equal(num(db, "SELECT count(*) FROM sync_outbox"), 1);
	tx(db, "UPDATE dossier SET status = 'triaged'");
	assert_int_equal(num(db, "SELECT max(seq) FROM sync_outbox"), 2);
}

struct pass {
	td_db *to;
	struct td_sync_result res;
	const char *skip_seq;
};

static int apply_one(const struct td_sync_change *c, void *ctx)
{
	struct pass *p = ctx;
	td_err err = { 0 };
	int rc = td_store_sync_apply(p->to, c, "2026-01-02T00:00:00Z", &p->res,
				     &err);
	if (rc)
		fail_msg("apply: %s", err.msg);
	return rc;
}

/* Everything from not acknowledged by peer "to" applied there. */
static struct td_sync_result send(td_db *from, td_db *to, const char *peer)
{
	struct pass p = { .to = to };
	td_err err = { 0 };
	if (td_store_sync_apply_begin(to, &err))
		fail_msg("begin: %s", err.msg);
	assert_int_equal(td_store_sync_each_pending(from, peer, apply_one, &p,
						    &err), TD_OK);
	assert_int_equal(td_store_sync_apply_end(to, TD_OK, &err), TD_OK);
	return p.res;
}

static void apply_is_idempotent_and_keeps_versions(void **state)
{
	struct fx *fx = *state;
	char v[64];

	tx(fx->db[0], intake);
	tx(fx->db[0], "UPDATE dossier SET status = 'triaged'");
	struct td_sync_result r = send(fx->db[0], fx->db[2], "COO");
	assert_int_equal(r.applied, 2);
	text(fx->db[2], "SELECT status || version FROM dossier", v, sizeof v);
	assert_string_equal(v, "triaged2");
	/* The search page's copy (migration 15) was kept by its triggers. */
	text(fx->db[2], "SELECT status || version || last_name FROM dossier_row",
	     v, sizeof v);
	assert_string_equal(v, "triaged2Martin");
	/* The audit row came along; the index and the counter did not. */
	assert_int_equal(num(fx->db[2], "SELECT count(*) FROM audit"), 1);
	assert_int_equal(num(fx->db[2], "SELECT count(*) FROM ref_counter"), 0);
	/* The search index is brought up to date lazily (list.c): the
	 * dossier is marked for it. */
	assert_int_equal(num(fx->db[2], "SELECT count(*) FROM fts_pending"), 1);
	/* Nothing was captured as the coordination's own change, and the
	 * touch triggers are back. */
	assert_int_equal(num(fx->db[2], "SELECT count(*) FROM sync_outbox"
			     " WHERE site = 'COO'"), 0);
	assert_int_equal(num(fx->db[2], "SELECT count(*) FROM sqlite_master"
			     " WHERE name = 'dossier_touch'"), 1);
	/* Again: skipped, nothing changes. */
	r = send(fx->db[0], fx->db[2], "COO");
	assert_int_equal(r.applied, 0);
	assert_int_equal(r.skipped, 2);
	assert_int_equal(num(fx->db[2], "SELECT count(*) FROM audit"), 1);
	/* Relayed on to Nancy through the coordination office. */
	r = send(fx->db[2], fx->db[1], "NAN");
	assert_int_equal(r.applied, 2);
	text(fx->db[1], "SELECT status || version FROM dossier", v, sizeof v);
	assert_string_equal(v, "triaged2");
}

/* Both sides change the dossier: different fields merge, the same
 * field goes to the owning site, the conflict is recorded. */
static void conflicts_follow_the_rules(void **state)
{
	struct fx *fx = *state;
	char v[128];
	td_err err = { 0 };

	tx(fx->db[0], intake);
	send(fx->db[0], fx->db[2], "COO");
	send(fx->db[2], fx->db[0], "MET");
	tx(fx->db[0], "UPDATE dossier SET status = 'supported',"
	   " updated_at = '2026-01-03T10:00:00Z'");
	tx(fx->db[2], "UPDATE dossier SET status = 'closed', description = 'x',"
	   " updated_at = '2026-01-04T10:00:00Z'");
	send(fx->db[0], fx->db[2], "COO");
	struct td_sync_result r = send(fx->db[2], fx->db[0], "MET");
	assert_int_equal(r.applied, 1);
	for (int i = 0; i < 3; i += 2) {
		text(fx->db[i], "SELECT status || '/' || description FROM dossier",
		     v, sizeof v);
		assert_string_equal(v, "supported/x");
	}
	assert_int_equal(num(fx->db[2], "SELECT count(*) FROM sync_conflict"
			     " WHERE col = 'status' AND rule = 'owner'"), 1);
	/* Settled the other way at the coordination: a change of its own,
	 * which reaches Metz. */
	long long id = num(fx->db[2], "SELECT id FROM sync_conflict");
	assert_int_equal(td_store_sync_settle(fx->db[2], id, "jm",
					      "2026-01-05T00:00:00Z", &err),
			 TD_OK);
	long long n = 0;
	assert_int_equal(td_store_sync_conflict_count(fx->db[2], &n, &err), 0);
	assert_int_equal(n, 0);
	send(fx->db[2], fx->db[0], "MET");
	text(fx->db[0], "SELECT status FROM dossier", v, sizeof v);
	assert_string_equal(v, "closed");
}

/* The changeset of a write on a bare database built by the migrations up
 * to schema v (what a totemdesk of that schema records): sql run inside
 * a session on tables. */
static void *changeset_at(const char *path, int v, const char *setup_sql,
			  const char *sql, int *n)
{
	sqlite3 *h;
	sqlite3_session *ss;
	void *p = NULL;
	char *msg = NULL;
	assert_int_equal(sqlite3_open(path, &h), SQLITE_OK);
	for (int m = 0; m < v; m++)
		for (const char *const *step = store_migrations[m]; *step; step++)
			if (sqlite3_exec(h, *step, NULL, NULL, &msg) != SQLITE_OK)
				fail_msg("migration %d: %s", m + 1, msg);
	if (setup_sql && sqlite3_exec(h, setup_sql, NULL, NULL, &msg) != SQLITE_OK)
		fail_msg("%s: %s", setup_sql, msg);
	assert_int_equal(sqlite3session_create(h, "main", &ss), SQLITE_OK);
	assert_int_equal(sqlite3session_attach(ss, NULL), SQLITE_OK);
	if (sqlite3_exec(h, sql, NULL, NULL, &msg) != SQLITE_OK)
		fail_msg("%s: %s", sql, msg);
	assert_int_equal(sqlite3session_changeset(ss, n, &p), SQLITE_OK);
	sqlite3session_delete(ss);
	sqlite3_close(h);
	return p;
}

static int apply_alone(td_db *db, const char *origin, int schema,
		       const void *cs, int n, td_err *err)
{
	struct td_sync_change c = {
		.origin = origin, .seq = 1, .site = "NAN",
		.at = "2026-01-02T00:00:00Z", .changes = cs,
		.nchanges = (size_t)n, .schema = schema,
	};
	struct td_sync_result r = { 0 };
	td_err e2 = { 0 };
	if (td_store_sync_apply_begin(db, err))
		fail_msg("begin: %s", err->msg);
	int rc = td_store_sync_apply(db, &c, "2026-01-02T00:00:00Z", &r, err);
	int end = td_store_sync_apply_end(db, rc, rc ? &e2 : err);
	return rc ? rc : end;
}

/* Review point 3: a bundle from a peer not yet upgraded.  Its changes
 * are applied when each table they touch maps onto this schema (same
 * name, the columns that schema had leftmost, the same key; the added
 * ones take their defaults); otherwise the bundle is refused, naming the
 * table and both versions, and nothing of it is applied. */
static void older_schema_mapped_or_refused(void **state)
{
	struct fx *fx = *state;
	td_db *db = fx->db[0];
	td_err err = { 0 };
	char path[192], v[64];
	/* Schema 12: the last before the holder's country (migration 13);
	 * an older schema than this one, whatever came after. */
	int n = 0, prev = 12;

	/* An intake at Nancy recorded by schema 12's totemdesk (its holder
	 * has no country yet). */
	snprintf(path, sizeof path, "%s/old.db", fx->dir);
	void *cs = changeset_at(path, prev,
		"INSERT INTO site(code, name, updated_at) VALUES ('NAN','N','x')",
		"INSERT INTO holder(id, site_code, last_name, first_name, consent,"
		" created_at, updated_at) VALUES ('NAN-H9', 'NAN', 'Klein',"
		" 'Paul', 1, '2026-01-02T00:00:00Z', '2026-01-02T00:00:00Z')", &n);
	assert_int_equal(apply_alone(db, "0ld", prev, cs, n, &err), TD_OK);
	sqlite3_free(cs);
	text(db, "SELECT last_name || '/' || country FROM holder"
	     " WHERE id = 'NAN-H9'", v, sizeof v);
	assert_string_equal(v, "Klein/FR");

	/* A change said to be of the previous schema that names a column
	 * that schema did not have (this schema's holder): refused. */
	tx(fx->db[1], "INSERT INTO holder(id, site_code, last_name, first_name,"
	   " consent, country, created_at, updated_at) VALUES ('NAN-H10',"
	   " 'NAN', 'Weber', 'Eva', 1, 'LU', '2026-01-02T00:00:00Z',"
	   " '2026-01-02T00:00:00Z')");
	sqlite3_stmt *st;
	assert_int_equal(sqlite3_prepare_v2(fx->db[1]->h, "SELECT changes"
		" FROM sync_outbox ORDER BY n DESC LIMIT 1", -1, &st, NULL),
		SQLITE_OK);
	assert_int_equal(sqlite3_step(st), SQLITE_ROW);
	long long before = num(db, "SELECT count(*) FROM holder");
	long long out = num(db, "SELECT count(*) FROM sync_outbox");
	int rc = apply_alone(db, "0ld2", prev, sqlite3_column_blob(st, 0),
			     sqlite3_column_bytes(st, 0), &err);
	sqlite3_finalize(st);
	assert_int_equal(rc, TD_EINVAL);
	char want[64];
	snprintf(want, sizeof want, "schema version %d and this database has"
		 " version %d", prev, TD_SCHEMA_VERSION);
	assert_non_null(strstr(err.msg, want));
	assert_non_null(strstr(err.msg, "table holder"));
	assert_non_null(strstr(err.msg, "nothing applied"));
	assert_int_equal(num(db, "SELECT count(*) FROM holder"), before);
	assert_int_equal(num(db, "SELECT count(*) FROM sync_outbox"), out);

	/* A table this schema does not have (a future one, or renamed):
	 * refused, where the session extension alone would skip it
	 * silently. */
	snprintf(path, sizeof path, "%s/other.db", fx->dir);
	cs = changeset_at(path, TD_SCHEMA_VERSION,
		"CREATE TABLE gadget(id TEXT PRIMARY KEY, x)",
		"INSERT INTO gadget VALUES ('NAN-G1', 1)", &n);
	err.msg[0] = '\0';
	assert_int_equal(apply_alone(db, "0ld3", TD_SCHEMA_VERSION, cs, n, &err),
			 TD_EINVAL);
	sqlite3_free(cs);
	assert_non_null(strstr(err.msg, "table gadget"));
	assert_int_equal(num(db, "SELECT count(*) FROM sync_outbox"), out);
}

/* Review point 2: a write of an exchanged table outside a captured
 * transaction is seen (TOTEMDESK_CAPTURE_CHECK makes it stop the
 * program: the suite sets it; here it is only counted). */
static void uncaptured_write_is_seen(void **state)
{
	struct fx *fx = *state;
	td_db *db = fx->db[0];
	char tbl[64];

	db->capture_check = false;
	tx(db, intake);
	assert_int_equal(td_store_sync_uncaptured(db, tbl), 0);
	/* Local tables and the exchange's bookkeeping are not counted. */
	run(db, "UPDATE site SET name = 'Metz !' WHERE code = 'MET'");
	run(db, "UPDATE sync_self SET bundles = bundles + 1");
	assert_int_equal(td_store_sync_uncaptured(db, tbl), 0);
	/* Outside td_store_begin: never reaches the other sites. */
	run(db, "UPDATE holder SET city = 'Metz'");
	long n = td_store_sync_uncaptured(db, tbl);
	assert_true(n >= 1);		/* and its touch trigger's */
	assert_string_equal(tbl, "holder");
	run(db, "INSERT INTO audit(at, actor, action, entity, entity_id)"
	    " VALUES ('2026-01-01T11:00:00Z', 'lb', 'view', 'dossier', 'x')");
	assert_int_equal(td_store_sync_uncaptured(db, NULL), n + 1);
}

/* The exchanged tables (every table but the local ones) at schema
 * version v, as text: each table's columns (name, type, not null,
 * default, key), from an in-memory database built by the migrations. */
static void shared_shape(int v, char *out, size_t outsz)
{
	sqlite3 *h = NULL;
	sqlite3_stmt *tabs = NULL;
	size_t n = 0;

	assert_int_equal(sqlite3_open(":memory:", &h), SQLITE_OK);
	for (int i = 0; i < v; i++)
		for (const char *const *step = store_migrations[i]; *step; step++) {
			char *msg = NULL;
			if (sqlite3_exec(h, *step, NULL, NULL, &msg) != SQLITE_OK)
				fail_msg("migration %d: %s", i + 1, msg);
		}
	assert_int_equal(sqlite3_prepare_v2(h, "SELECT name FROM sqlite_master"
		" WHERE type = 'table' ORDER BY name", -1, &tabs, NULL), SQLITE_OK);
	out[0] = '\0';
	while (sqlite3_step(tabs) == SQLITE_ROW) {
		const char *t = (const char *)sqlite3_column_text(tabs, 0);
		char sql[256];
		sqlite3_stmt *cols = NULL;
		if (td_store_sync_local_table(t))
			continue;
		snprintf(sql, sizeof sql, "SELECT name || ' ' || type || ' ' ||"
			 " \"notnull\" || ' ' || coalesce(dflt_value, '-') || ' ' ||"
			 " pk FROM pragma_table_info('%s')", t);
		assert_int_equal(sqlite3_prepare_v2(h, sql, -1, &cols, NULL),
				 SQLITE_OK);
		n += (size_t)snprintf(out + n, outsz - n, "%s:", t);
		while (sqlite3_step(cols) == SQLITE_ROW)
			n += (size_t)snprintf(out + n, outsz - n, " %s,",
					      sqlite3_column_text(cols, 0));
		n += (size_t)snprintf(out + n, outsz - n, "\n");
		assert_true(n < outsz);
		sqlite3_finalize(cols);
	}
	sqlite3_finalize(tabs);
	sqlite3_close(h);
}

/* A bundle says TD_EXCHANGE_SCHEMA, not the file's version, so that a
 * site not yet upgraded past a migration of local tables still takes
 * it: that holds only if no migration since changed an exchanged table,
 * and the number is the last one that did (else a bundle would claim a
 * shape it does not have). */
static void exchange_schema_is_the_last_shared_change(void **state)
{
	(void)state;
	static char now[16384], at[16384], before[16384];
	shared_shape(TD_SCHEMA_VERSION, now, sizeof now);
	shared_shape(TD_EXCHANGE_SCHEMA, at, sizeof at);
	shared_shape(TD_EXCHANGE_SCHEMA - 1, before, sizeof before);
	if (strcmp(now, at) != 0)
		fail_msg("an exchanged table changed after schema %d: raise"
			 " TD_EXCHANGE_SCHEMA\n-- at %d:\n%s-- now:\n%s",
			 TD_EXCHANGE_SCHEMA, TD_EXCHANGE_SCHEMA, at, now);
	assert_string_not_equal(at, before);
	assert_true(TD_EXCHANGE_SCHEMA <= TD_SCHEMA_VERSION);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(
			capture_is_atomic_and_leaves_local_tables, setup, teardown),
		cmocka_unit_test_setup_teardown(
			apply_is_idempotent_and_keeps_versions, setup, teardown),
		cmocka_unit_test_setup_teardown(
			conflicts_follow_the_rules, setup, teardown),
		cmocka_unit_test_setup_teardown(
			older_schema_mapped_or_refused, setup, teardown),
		cmocka_unit_test_setup_teardown(
			uncaptured_write_is_seen, setup, teardown),
		cmocka_unit_test(exchange_schema_is_the_last_shared_change),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
