/* Property test of the exchange (issue 15, point 6): five databases (four
 * Totems and the coordination office), 1,000 random operations (intake,
 * edit, status, assignment, referral, note, partner edit, erasure,
 * withdrawal of consent), exchanges between random pairs in random
 * order with bundles duplicated, lost and reordered; after a final round
 * every database has the same content (SHA-256 of the canonical dump)
 * and no reference is minted twice.
 *
 * Seeded: TD_SYNC_SEED=N runs seed N (the seed is printed on failure);
 * TD_SYNC_RUNS=K runs K seeds from it (default 3), TD_SYNC_OPS the
 * operations per run (default 1000).  The store's own capture and apply
 * run on real SQLite files; a bundle here is what sync export puts in
 * one (the entries the peer has not acknowledged and the sender's
 * acknowledgements), the signing and its checks being test_sync.py's. */
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

#define NDB 5
#define MAXD 2000
#define MAXB 400

static const char *const sites[NDB] = { "THI", "MET", "NAN", "EPI", "COO" };
static unsigned long long rng_state;

static unsigned rnd(unsigned n)
{
	/* xorshift64*: the same sequence for the same seed everywhere. */
	rng_state ^= rng_state >> 12;
	rng_state ^= rng_state << 25;
	rng_state ^= rng_state >> 27;
	return (unsigned)((rng_state * 2685821657736338717ULL) >> 33) % n;
}

struct entry {
	char origin[64], site[8], at[24];
	long long seq;
	void *cs, *logs;
	size_t ncs, nlogs;
};

struct bundle {
	int from, to;
	int n;
	struct entry *e;
	int nacks;
	struct { char origin[64]; long long seq; } acks[16];
};

struct world {
	char dir[64];
	td_db *db[NDB];
	char dossiers[MAXD][TD_ID_SIZE];
	char holders[MAXD][TD_ID_SIZE];
	int nd;
	struct bundle *flight[MAXB];
	int nflight;
	long clock;
	unsigned long long seed;
};

static void run(td_db *db, const char *sql)
{
	char *msg = NULL;
	if (sqlite3_exec(db->h, sql, NULL, NULL, &msg) != SQLITE_OK)
		fail_msg("%s: %s", sql, msg ? msg : "?");
}

static void now(struct world *w, char out[24])
{
	/* A coarse clock: several operations share a second, so ties of
	 * updated_at between sites happen and the rules must break them. */
	unsigned t = (unsigned)(w->clock++ / 3) % (28u * 86400u);
	snprintf(out, 24, "2026-03-%02uT%02u:%02u:%02uZ", 1 + t / 86400,
		 t / 3600 % 24, t / 60 % 60, t % 60);
}

static void exec_fmt(td_db *db, const char *fmt, ...)
{
	char sql[2048];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(sql, sizeof sql, fmt, ap);
	va_end(ap);
	run(db, sql);
}

static void audit(td_db *db, const char *at, const char *action,
		  const char *dossier)
{
	exec_fmt(db, "INSERT INTO audit(at, actor, action, entity, entity_id,"
		 " dossier_id) VALUES ('%s', 'prop', '%s', 'dossier', '%s', '%s')",
		 at, action, dossier, dossier);
}

/* Does this database have the row yet? */
static bool has(td_db *db, const char *tbl, const char *id)
{
	char sql[256];
	sqlite3_stmt *st;
	snprintf(sql, sizeof sql, "SELECT 1 FROM %s WHERE id = '%s'", tbl, id);
	assert_int_equal(sqlite3_prepare_v2(db->h, sql, -1, &st, NULL), SQLITE_OK);
	bool yes = sqlite3_step(st) == SQLITE_ROW;
	sqlite3_finalize(st);
	return yes;
}

static void op(struct world *w)
{
	unsigned kind = rnd(100);
	bool intake = kind < 20 || w->nd == 0;
	/* Only a Totem registers, with its own references. */
	int k = (int)rnd(intake ? NDB - 1 : NDB);
	td_db *db = w->db[k];
	td_err err = { 0 };
	char at[24], id[TD_ID_SIZE], hid[TD_ID_SIZE], ref[TD_REF_SIZE];

	now(w, at);
	assert_int_equal(td_store_begin(db, &err), TD_OK);
	if (intake) {
		assert_int_equal(td_store_new_id(sites[k], hid, &err), TD_OK);
		assert_int_equal(td_store_new_id(sites[k], id, &err), TD_OK);
		assert_int_equal(td_store_reference_next(db, sites[k], 2026, ref,
							 &err), TD_OK);
		exec_fmt(db, "INSERT INTO holder(id, site_code, last_name,"
			 " first_name, email, consent, created_at, updated_at)"
			 " VALUES ('%s', '%s', 'Name%d', 'First', 'p%d@x.fr', 1,"
			 " '%s', '%s')", hid, sites[k], w->nd, w->nd, at, at);
		exec_fmt(db, "INSERT INTO dossier(id, reference, holder_id,"
			 " site_code, status, project_title, created_at,"
			 " updated_at) VALUES ('%s', '%s', '%s', '%s', 'new',"
			 " 'Project %d', '%s', '%s')", id, ref, hid, sites[k],
			 w->nd, at, at);
		audit(db, at, "create", id);
		if (w->nd < MAXD) {
			snprintf(w->dossiers[w->nd], TD_ID_SIZE, "%s", id);
			snprintf(w->holders[w->nd], TD_ID_SIZE, "%s", hid);
			w->nd++;
		}
		assert_int_equal(td_store_commit(db, &err), TD_OK);
		return;
	}
	int d = (int)rnd((unsigned)w->nd);
	const char *did = w->dossiers[d], *h = w->holders[d];
	if (!has(db, "dossier", did)) {
		td_store_rollback(db);	/* not arrived here yet */
		return;
	}
	static const char *const status[] = { "new", "triaged", "referred",
					      "supported", "closed", "on_hold" };
	if (kind < 35) {
		exec_fmt(db, "UPDATE dossier SET description = 'desc %u by %s',"
			 " updated_at = '%s' WHERE id = '%s'", rnd(1000),
			 sites[k], at, did);
		audit(db, at, "edit", did);
	} else if (kind < 50) {
		exec_fmt(db, "UPDATE dossier SET status = '%s', updated_at = '%s'"
			 " WHERE id = '%s'", status[rnd(6)], at, did);
		audit(db, at, "status", did);
	} else if (kind < 58) {
		exec_fmt(db, "UPDATE dossier SET assigned_to = 'officer%u',"
			 " updated_at = '%s' WHERE id = '%s'", rnd(5), at, did);
		audit(db, at, "assign", did);
	} else if (kind < 68) {
		assert_int_equal(td_store_new_id(sites[k], id, &err), TD_OK);
		exec_fmt(db, "INSERT INTO referral(id, dossier_id, partner_id,"
			 " status, status_at, created_at, updated_at) VALUES"
			 " ('%s', '%s', 'p%u', 'proposed', '%s', '%s', '%s')",
			 id, did, rnd(5), at, at, at);
		audit(db, at, "referral", did);
	} else if (kind < 80) {
		assert_int_equal(td_store_new_id(sites[k], id, &err), TD_OK);
		exec_fmt(db, "INSERT INTO note(id, dossier_id, author, body,"
			 " created_at, updated_at) VALUES ('%s', '%s', 'prop',"
			 " 'note %u', '%s', '%s')", id, did, rnd(1000), at, at);
		audit(db, at, "note", did);
	} else if (kind < 90) {
		exec_fmt(db, "UPDATE partner SET description = 'by %s %u',"
			 " updated_at = '%s' WHERE id = 'p%u'", sites[k], rnd(100),
			 at, rnd(5));
	} else if (kind < 95) {
		/* Erasure of the holder's personal data. */
		exec_fmt(db, "UPDATE holder SET last_name = '', first_name = '',"
			 " email = NULL, erased_at = '%s', updated_at = '%s'"
			 " WHERE id = '%s' AND erased_at IS NULL", at, at, h);
		audit(db, at, "erase", did);
	} else {
		exec_fmt(db, "UPDATE holder SET consent = 0,"
			 " consent_withdrawn_at = '%s', updated_at = '%s'"
			 " WHERE id = '%s' AND consent = 1", at, at, h);
		audit(db, at, "withdraw", did);
	}
	assert_int_equal(td_store_commit(db, &err), TD_OK);
}

static int take_entry(const struct td_sync_change *c, void *ctx)
{
	struct bundle *b = ctx;
	struct entry *e;
	b->e = realloc(b->e, (size_t)(b->n + 1) * sizeof *b->e);
	assert_non_null(b->e);
	e = &b->e[b->n++];
	memset(e, 0, sizeof *e);
	snprintf(e->origin, sizeof e->origin, "%s", c->origin);
	snprintf(e->site, sizeof e->site, "%s", c->site);
	snprintf(e->at, sizeof e->at, "%s", c->at);
	e->seq = c->seq;
	e->ncs = c->nchanges;
	e->nlogs = c->nlogs;
	e->cs = malloc(c->nchanges + 1);
	e->logs = malloc(c->nlogs + 1);
	if (c->nchanges)
		memcpy(e->cs, c->changes, c->nchanges);
	if (c->nlogs)
		memcpy(e->logs, c->logs, c->nlogs);
	return TD_OK;
}

static int take_ack(const char *origin, long long seq, void *ctx)
{
	struct bundle *b = ctx;
	assert_true(b->nacks < 16);
	snprintf(b->acks[b->nacks].origin, 64, "%s", origin);
	b->acks[b->nacks++].seq = seq;
	return TD_OK;
}

static struct bundle *export(struct world *w, int from, int to)
{
	struct bundle *b = calloc(1, sizeof *b);
	td_err err = { 0 };
	assert_non_null(b);
	b->from = from;
	b->to = to;
	assert_int_equal(td_store_sync_each_pending(w->db[from], sites[to],
						    take_entry, b, &err), TD_OK);
	assert_int_equal(td_store_sync_each_applied(w->db[from], take_ack, b,
						    &err), TD_OK);
	return b;
}

static struct bundle *copy_bundle(const struct bundle *b)
{
	struct bundle *c = malloc(sizeof *c);
	assert_non_null(c);
	*c = *b;
	c->e = calloc((size_t)b->n + 1, sizeof *c->e);
	for (int i = 0; i < b->n; i++) {
		c->e[i] = b->e[i];
		c->e[i].cs = malloc(b->e[i].ncs + 1);
		c->e[i].logs = malloc(b->e[i].nlogs + 1);
		memcpy(c->e[i].cs, b->e[i].cs, b->e[i].ncs);
		memcpy(c->e[i].logs, b->e[i].logs, b->e[i].nlogs);
	}
	return c;
}

static void free_bundle(struct bundle *b)
{
	for (int i = 0; i < b->n; i++) {
		free(b->e[i].cs);
		free(b->e[i].logs);
	}
	free(b->e);
	free(b);
}

/* What sync import does with a checked bundle. */
static void import(struct world *w, struct bundle *b)
{
	td_db *db = w->db[b->to];
	td_err err = { 0 };
	struct td_sync_result res = { 0 };
	const char *peer = sites[b->from];
	int rc = td_store_sync_apply_begin(db, &err);
	for (int i = 0; !rc && i < b->n; i++) {
		struct td_sync_change c = {
			.origin = b->e[i].origin, .seq = b->e[i].seq,
			.site = b->e[i].site, .at = b->e[i].at,
			.changes = b->e[i].cs, .nchanges = b->e[i].ncs,
			.logs = b->e[i].logs, .nlogs = b->e[i].nlogs,
		};
		rc = td_store_sync_apply(db, &c, "2026-04-01T00:00:00Z", &res,
					 &err);
		if (!rc)
			rc = td_store_sync_ack(db, peer, c.origin, c.seq, &err);
	}
	for (int i = 0; !rc && i < b->nacks; i++)
		rc = td_store_sync_ack(db, peer, b->acks[i].origin,
				       b->acks[i].seq, &err);
	rc = td_store_sync_apply_end(db, rc, &err);
	if (rc)
		fail_msg("seed %llu: import %s -> %s: %s", w->seed, peer,
			 sites[b->to], err.msg);
}

static int hash_piece(const void *p, size_t n, void *ctx)
{
	/* FNV-1a 64 twice over, enough to tell contents apart here (the
	 * command's own hash is SHA-256, in src/app). */
	uint64_t *h = ctx;
	const unsigned char *s = p;
	for (size_t i = 0; i < n; i++) {
		h[0] = (h[0] ^ s[i]) * 1099511628211ULL;
		h[1] = (h[1] ^ s[i]) * 1099511628211ULL + 7;
	}
	return TD_OK;
}

static void content(td_db *db, uint64_t h[2])
{
	td_err err = { 0 };
	h[0] = 14695981039346656037ULL;
	h[1] = 1;
	assert_int_equal(td_store_sync_canonical(db, hash_piece, h, &err), TD_OK);
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

static int to_file(const void *p, size_t n, void *ctx)
{
	fwrite(p, 1, n, ctx);
	return TD_OK;
}

static void dump_diff(struct world *w)
{
	/* TD_SYNC_DUMP=DIR: the canonical content of each database there,
	 * to diff. */
	const char *dir = getenv("TD_SYNC_DUMP");
	for (int i = 0; dir && i < NDB; i++) {
		char path[512];
		td_err err = { 0 };
		snprintf(path, sizeof path, "%s/%s.txt", dir, sites[i]);
		FILE *f = fopen(path, "w");
		if (f) {
			td_store_sync_canonical(w->db[i], to_file, f, &err);
			fclose(f);
		}
	}
	/* The first table whose rows differ between database 0 and the
	 * others, to say where convergence failed. */
	for (int i = 1; i < NDB; i++) {
		static const char *const t[] = { "holder", "dossier", "note",
			"referral", "partner", "audit" };
		for (size_t j = 0; j < sizeof t / sizeof t[0]; j++) {
			char sql[256];
			snprintf(sql, sizeof sql, "SELECT count(*) FROM %s", t[j]);
			long long a = num(w->db[0], sql), b = num(w->db[i], sql);
			if (a != b)
				print_message("%s: %s has %lld rows, %s %lld\n",
					      t[j], sites[0], a, sites[i], b);
		}
	}
}

static void one_run(unsigned long long seed, int nops)
{
	struct world *w = calloc(1, sizeof *w);
	td_err err = { 0 };
	assert_non_null(w);
	w->seed = seed;
	rng_state = seed * 0x9E3779B97F4A7C15ULL + 1;
	assert_int_equal(tmpdir_make(w->dir, sizeof w->dir, "syncprop"), 0);
	for (int i = 0; i < NDB; i++) {
		char path[128], id[64], site[8];
		snprintf(path, sizeof path, "%s/%s.db", w->dir, sites[i]);
		assert_int_equal(td_store_open(path, TD_DB_CREATE, &w->db[i],
					       &err), TD_OK);
		/* The same configuration and partner directory everywhere,
		 * written outside any captured transaction on purpose (each
		 * database has them from its own start), so not the
		 * suite's capture check's business. */
		bool check = w->db[i]->capture_check;
		w->db[i]->capture_check = false;
		run(w->db[i], "INSERT INTO site(code, name, updated_at) VALUES"
			" ('THI','T','x'),('MET','M','x'),('NAN','N','x'),"
			" ('EPI','E','x'),('COO','C','x')");
		for (int p = 0; p < 5; p++)
			exec_fmt(w->db[i], "INSERT INTO partner(id, name,"
				 " created_at, updated_at) VALUES ('p%d',"
				 " 'Partner %d', '2026-01-01T00:00:00Z',"
				 " '2026-01-01T00:00:00Z')", p, p);
		assert_int_equal(td_store_sync_self(w->db[i], sites[i], id, site,
						    &err), TD_OK);
		w->db[i]->capture_check = check;
	}
	for (int n = 0; n < nops; n++) {
		op(w);
		/* Now and then an exchange: a bundle made between a random
		 * pair (mostly through the office), delivered later in any
		 * order, sometimes twice, sometimes never. */
		if (rnd(4) == 0) {
			int a = (int)rnd(NDB), b = rnd(3) ? 4 : (int)rnd(NDB);
			if (a == b)
				b = (a + 1) % NDB;
			struct bundle *bu = export(w, a, b);
			unsigned fate = rnd(10);
			if (fate == 0 || w->nflight >= MAXB - 2) {
				free_bundle(bu);		/* lost */
			} else {
				w->flight[w->nflight++] = bu;
				if (fate == 1)
					w->flight[w->nflight++] = copy_bundle(bu);
			}
		}
		if (w->nflight && rnd(3) == 0) {
			int i = (int)rnd((unsigned)w->nflight);
			struct bundle *bu = w->flight[i];
			w->flight[i] = w->flight[--w->nflight];
			import(w, bu);
			free_bundle(bu);
		}
	}
	/* What is still on the way arrives, in any order. */
	while (w->nflight) {
		int i = (int)rnd((unsigned)w->nflight);
		struct bundle *bu = w->flight[i];
		w->flight[i] = w->flight[--w->nflight];
		import(w, bu);
		free_bundle(bu);
	}
	/* Final round: a star through the office, twice. */
	for (int r = 0; r < 2; r++) {
		for (int i = 0; i < 4; i++) {
			struct bundle *bu = export(w, i, 4);
			import(w, bu);
			free_bundle(bu);
		}
		for (int i = 0; i < 4; i++) {
			struct bundle *bu = export(w, 4, i);
			import(w, bu);
			free_bundle(bu);
		}
	}
	uint64_t h0[2], h[2];
	content(w->db[0], h0);
	for (int i = 1; i < NDB; i++) {
		content(w->db[i], h);
		if (h[0] != h0[0] || h[1] != h0[1]) {
			dump_diff(w);
			fail_msg("seed %llu: %s and %s differ after the final round"
				 " (rerun with TD_SYNC_SEED=%llu TD_SYNC_RUNS=1)",
				 seed, sites[0], sites[i], seed, seed);
		}
	}
	for (int i = 0; i < NDB; i++) {
		long long all = num(w->db[i], "SELECT count(*) FROM dossier");
		long long refs = num(w->db[i],
			"SELECT count(DISTINCT reference) FROM dossier");
		if (all != w->nd || refs != all)
			fail_msg("seed %llu: %s has %lld dossiers, %lld references,"
				 " %d were registered", seed, sites[i], all, refs,
				 w->nd);
	}
	print_message("seed %llu: %d operations, %d dossiers, %lld changes,"
		      " %lld conflicts at the office; all five agree\n", seed,
		      nops, w->nd, num(w->db[4], "SELECT count(*) FROM sync_outbox"),
		      num(w->db[4], "SELECT count(*) FROM sync_conflict"));
	for (int i = 0; i < NDB; i++)
		td_store_close(w->db[i]);
	tmpdir_remove(w->dir);
	free(w);
}

static void five_databases_converge(void **state)
{
	(void)state;
	const char *s = getenv("TD_SYNC_SEED");
	const char *r = getenv("TD_SYNC_RUNS");
	const char *o = getenv("TD_SYNC_OPS");
	unsigned long long seed = s ? strtoull(s, NULL, 10) : 20261202ULL;
	int runs = r ? atoi(r) : 3, nops = o ? atoi(o) : 1000;
	for (int i = 0; i < runs; i++) {
		print_message("seed %llu\n", seed + (unsigned long long)i);
		one_run(seed + (unsigned long long)i, nops);
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(five_databases_converge),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
