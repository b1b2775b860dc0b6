/* Benchmark of the exchange (issue 15): changes applied per second and
 * bundle bytes per change at 100,000 dossiers, and the exchange of a
 * day's work at one Totem (200 intakes and 500 changes).
 *
 *   sync_bench DIR [N [RUNS [copy]]]
 *       N dossiers (default 100000), RUNS days' work (default 3); copy:
 *       the office's database starts as a copy of Metz's instead of
 *       taking the first full copy through the exchange (faster set-up;
 *       no figure for the full copy)
 *
 * Metz's database registers N dossiers, one write transaction each as
 * the desk does (each captured into its outbox); the coordination
 * office's empty database applies all of them (the first full copy);
 * then Metz does a day's work and it goes across again.  The store's
 * capture and apply on real files; what a bundle adds (SHA-256 and HMAC
 * of its bytes) is timed apart.  Prints figures; not a test
 * (docs/benchmarks.md). */
#include "../../../src/store/store_int.h"
#include "store/store.h"
#include "store/sync.h"

#include <openssl/evp.h>
#include <openssl/hmac.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

static double now_s(void)
{
	struct timespec t;
	clock_gettime(CLOCK_MONOTONIC, &t);
	return (double)t.tv_sec + (double)t.tv_nsec / 1e9;
}

/* CPU time of the process: what the exchange costs whatever else the
 * machine is doing (the wall clock is printed too). */
static double cpu_s(void)
{
	struct timespec t;
	clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &t);
	return (double)t.tv_sec + (double)t.tv_nsec / 1e9;
}

static void run(td_db *db, const char *sql)
{
	char *msg = NULL;
	if (sqlite3_exec(db->h, sql, NULL, NULL, &msg) != SQLITE_OK) {
		fprintf(stderr, "%s: %s\n", sql, msg ? msg : "?");
		exit(1);
	}
}

static void check(int rc, const td_err *err)
{
	if (rc) {
		fprintf(stderr, "sync_bench: %s\n", err->msg);
		exit(1);
	}
}

static unsigned long long rs = 88172645463325252ULL;
static unsigned rnd(unsigned n)
{
	rs ^= rs << 13;
	rs ^= rs >> 7;
	rs ^= rs << 17;
	return (unsigned)(rs % n);
}

static char (*ids)[TD_ID_SIZE];
static long nids;

static void intake(td_db *db, long i, bool own_tx)
{
	td_err err = { 0 };
	char id[TD_ID_SIZE], hid[TD_ID_SIZE], ref[TD_REF_SIZE], sql[2048];
	if (own_tx)
		check(td_store_begin(db, &err), &err);
	check(td_store_new_id("MET", hid, &err), &err);
	check(td_store_new_id("MET", id, &err), &err);
	check(td_store_reference_next(db, "MET", 2026, ref, &err), &err);
	snprintf(sql, sizeof sql,
		 "INSERT INTO holder(id, site_code, last_name, first_name, email,"
		 " phone, postcode, city, consent, created_at, updated_at)"
		 " VALUES ('%s', 'MET', 'Lefèvre%ld', 'Zoé', 'zoe%ld@exemple.fr',"
		 " '+33612%06ld', '57000', 'Metz', 1, '2026-03-01T10:00:00Z',"
		 " '2026-03-01T10:00:00Z');"
		 "INSERT INTO dossier(id, reference, holder_id, site_code, status,"
		 " project_title, description, stage, sector, needs, created_by,"
		 " created_at, updated_at) VALUES ('%s', '%s', '%s', 'MET', 'new',"
		 " 'Épicerie vrac en ligne', 'Projet de vente en vrac, clients"
		 " locaux, financement', 'idea', 'commerce', 'funding|hosting',"
		 " 'lbernard', '2026-03-01T10:00:00Z', '2026-03-01T10:00:00Z');"
		 "INSERT INTO audit(at, actor, action, entity, entity_id,"
		 " dossier_id, detail) VALUES ('2026-03-01T10:00:00Z', 'lbernard',"
		 " 'create', 'dossier', '%s', '%s', '%s MET');",
		 hid, i, i, i % 1000000, id, ref, hid, id, id, ref);
	run(db, sql);
	if (own_tx)
		check(td_store_commit(db, &err), &err);
	snprintf(ids[nids++], TD_ID_SIZE, "%s", id);
}

static void change(td_db *db, unsigned k)
{
	td_err err = { 0 };
	char sql[512], nid[TD_ID_SIZE];
	const char *id = ids[rnd((unsigned)nids)];
	check(td_store_begin(db, &err), &err);
	if (k % 3 == 0) {
		snprintf(sql, sizeof sql, "UPDATE dossier SET status = 'triaged'"
			 " WHERE id = '%s'", id);
	} else if (k % 3 == 1) {
		check(td_store_new_id("MET", nid, &err), &err);
		snprintf(sql, sizeof sql, "INSERT INTO note(id, dossier_id, author,"
			 " body, created_at, updated_at) VALUES ('%s', '%s',"
			 " 'lbernard', 'Rappelé, rendez-vous pris jeudi',"
			 " '2026-03-02T10:00:00Z', '2026-03-02T10:00:00Z')", nid, id);
	} else {
		snprintf(sql, sizeof sql, "UPDATE dossier SET description ="
			 " description || ' (vu)' WHERE id = '%s'", id);
	}
	run(db, sql);
	snprintf(sql, sizeof sql, "INSERT INTO audit(at, actor, action, entity,"
		 " entity_id, dossier_id) VALUES ('2026-03-02T10:00:00Z',"
		 " 'lbernard', 'edit', 'dossier', '%s', '%s')", id, id);
	run(db, sql);
	check(td_store_commit(db, &err), &err);
}

struct pass {
	td_db *to;
	struct td_sync_result res;
	long n;
	size_t bytes;
	EVP_MD_CTX *md;
};

static long rows_in;

static int count_one(const struct td_sync_change *c, void *ctx)
{
	struct pass *p = ctx;
	sqlite3_changeset_iter *it;
	if (sqlite3changeset_start(&it, (int)c->nchanges, (void *)c->changes)
	    == SQLITE_OK) {
		while (sqlite3changeset_next(it) == SQLITE_ROW)
			rows_in++;
		sqlite3changeset_finalize(it);
	}
	p->n++;
	p->bytes += c->nchanges + c->nlogs + strlen(c->origin) + 40;
	EVP_DigestUpdate(p->md, c->changes, c->nchanges);
	EVP_DigestUpdate(p->md, c->logs, c->nlogs);
	return TD_OK;
}

static int apply_one(const struct td_sync_change *c, void *ctx)
{
	struct pass *p = ctx;
	td_err err = { 0 };
	check(td_store_sync_apply(p->to, c, "2026-03-03T00:00:00Z", &p->res,
				  &err), &err);
	check(td_store_sync_ack(p->to, "MET", c->origin, c->seq, &err), &err);
	p->n++;
	return TD_OK;
}

/* Metz -> office: measure the bundle's making (read + hash) and the
 * apply. */
static void exchange(td_db *met, td_db *coo, const char *what)
{
	td_err err = { 0 };
	struct pass p = { .to = coo };
	rows_in = 0;
	unsigned char h[32];
	unsigned hl;
	double t0 = now_s(), c0 = cpu_s();
	p.md = EVP_MD_CTX_new();
	EVP_DigestInit_ex(p.md, EVP_sha256(), NULL);
	check(td_store_sync_each_pending(met, "COO", count_one, &p, &err), &err);
	EVP_DigestFinal_ex(p.md, h, &hl);
	EVP_MD_CTX_free(p.md);
	double t1 = now_s();
	long n = p.n;
	size_t bytes = p.bytes;
	p.n = 0;
	check(td_store_sync_apply_begin(coo, &err), &err);
	check(td_store_sync_each_pending(met, "COO", apply_one, &p, &err), &err);
	check(td_store_sync_apply_end(coo, TD_OK, &err), &err);
	double t2 = now_s(), c2 = cpu_s();
	printf("%s: %ld changes (%ld rows), bundle %.1f MB, %.0f bytes/change,"
	       " %.0f bytes/row; read+SHA-256 %.3f s; apply %.3f s = %.0f"
	       " changes/s, %.0f rows/s; total %.3f s wall, %.3f s CPU\n",
	       what, n, rows_in, (double)bytes / 1e6,
	       n ? (double)bytes / (double)n : 0.0,
	       rows_in ? (double)bytes / (double)rows_in : 0.0, t1 - t0,
	       t2 - t1, (double)n / (t2 - t1), (double)rows_in / (t2 - t1),
	       t2 - t0, c2 - c0);
	fflush(stdout);
}

static int ack_all(const char *origin, long long seq, void *ctx)
{
	td_err err = { 0 };
	check(td_store_sync_ack(ctx, "COO", origin, seq, &err), &err);
	return TD_OK;
}

int main(int argc, char **argv)
{
	td_db *met = NULL, *coo = NULL;
	td_err err = { 0 };
	char path[4096], id[64], site[8];
	long n = argc > 2 ? atol(argv[2]) : 100000;
	int runs = argc > 3 ? atoi(argv[3]) : 3;
	bool copy = argc > 4 && !strcmp(argv[4], "copy");

	if (argc < 2 || n < 1) {
		fprintf(stderr, "usage: sync_bench DIR [N [RUNS [copy]]]\n");
		return 2;
	}
	if (runs < 1)
		runs = 1;
	ids = calloc((size_t)n + 200 * (size_t)runs + 1, sizeof *ids);
	snprintf(path, sizeof path, "%s/sync-met.db", argv[1]);
	remove(path);
	check(td_store_open(path, TD_DB_CREATE, &met, &err), &err);
	snprintf(path, sizeof path, "%s/sync-coo.db", argv[1]);
	remove(path);
	check(td_store_open(path, TD_DB_CREATE, &coo, &err), &err);
	for (int i = 0; i < 2; i++) {
		td_db *db = i ? coo : met;
		run(db, "INSERT INTO site(code, name, updated_at) VALUES"
			" ('MET','Metz','x'),('COO','Coordination','x')");
		check(td_store_sync_self(db, i ? "COO" : "MET", id, site, &err),
		      &err);
	}
	/* The base: N intakes in transactions of 50 (as an import of old
	 * sheets writes them), each transaction one outbox entry. */
	double t0 = now_s();
	for (long i = 0; i < n; i += 50) {
		check(td_store_begin(met, &err), &err);
		for (long j = i; j < i + 50 && j < n; j++)
			intake(met, j, false);
		check(td_store_commit(met, &err), &err);
	}
	double t1 = now_s();
	printf("capture: %ld intakes in transactions of 50, in %.1f s"
	       " (%.0f/s, outbox included)\n", n, t1 - t0, (double)n / (t1 - t0));
	if (copy) {
		/* The office starts as a copy of Metz's database under an
		 * identity of its own (as a restore gives one): what the
		 * first full copy would leave, without its hour under load. */
		char sql[4200];
		td_store_close(coo);
		remove(path);
		snprintf(sql, sizeof sql, "VACUUM INTO '%s'", path);
		run(met, sql);
		check(td_store_open(path, 0, &coo, &err), &err);
		check(td_store_sync_new_identity(coo, id, &err), &err);
		check(td_store_sync_self(coo, "COO", id, site, &err), &err);
	} else {
		exchange(met, coo, "first full copy");
	}
	check(td_store_sync_each_applied(coo, ack_all, met, &err), &err);

	/* A day's work at Metz, as the issue puts it: 200 intakes and 500
	 * changes besides (status, note, description), each its own write
	 * transaction as at the desk: 700 outbox entries. */
	for (int r = 0; r < runs; r++) {
		for (long i = 0; i < 200; i++)
			intake(met, n + r * 200 + i, true);
		for (unsigned k = 0; k < 500; k++)
			change(met, k);
		exchange(met, coo, "a day's work (200 intakes + 500 changes)");
		check(td_store_sync_each_applied(coo, ack_all, met, &err), &err);
	}
	td_store_close(met);
	td_store_close(coo);
	free(ids);
	return 0;
}
