/* What each part of a search keystroke's first page costs, on a database
 * made by scale_gen: the raw FTS5 floor (unranked LIMIT 20), then the
 * page's statement as the listing engine writes it for an officer's
 * search (src/store/list.c: one row of dossier_row per match, schema
 * 15), then as it was before (dossier, holder by its text key, last
 * action), that without the last action, then without the holder.
 * Plain SQLite, no app: the difference between two lines is the price
 * of one join.  A statement this database's schema cannot run says so.
 *
 *   search_parts DB
 *
 * Each prefix runs 31 times, the statements in turn; the median is
 * kept; p50 and p95 are over the prefixes.  Not a test: figures only
 * (docs/benchmarks.md, "Issue 10, one row per match"). */
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <time.h>

#define RUNS 31

static double now_us(void)
{
	struct timespec t;
	clock_gettime(CLOCK_MONOTONIC, &t);
	return (double)t.tv_sec * 1e6 + (double)t.tv_nsec / 1e3;
}

static int cmp(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;
	return (x > y) - (x < y);
}

#define PAGE_FROM " FROM dossier_fts f CROSS JOIN dossier d ON d.rowid = -f.rowid"
#define PAGE_WHERE " WHERE dossier_fts MATCH ?1 AND d.deleted = 0" \
	" ORDER BY f.rowid ASC LIMIT 22"

static const struct {
	const char *what, *sql;
} parts[] = {
	{ "raw FTS5 floor (unranked LIMIT 20)",
	  "SELECT rowid FROM dossier_fts WHERE dossier_fts MATCH ?1 LIMIT 20" },
	{ "page from dossier_row (as the desk, schema 15)",
	  "SELECT d.reference, d.site_code, d.created_at, d.last_name,"
	  " d.first_name, d.project_title, d.assigned_to, d.status, d.stage,"
	  " d.needs, d.sector, d.last_action_at, d.country, d.version"
	  " FROM dossier_fts f CROSS JOIN dossier_row d"
	  " ON d.dossier_rowid = -f.rowid" PAGE_WHERE },
	{ "page: dossier, holder, last action (schema 14)",
	  "SELECT d.reference, d.site_code, d.created_at, h.last_name,"
	  " h.first_name, d.project_title, d.assigned_to, d.status, d.stage,"
	  " d.needs, d.sector, a.last_action_at, h.country, d.version"
	  PAGE_FROM " JOIN holder h ON h.id = d.holder_id"
	  " JOIN dossier_activity a ON a.dossier_id = d.id" PAGE_WHERE },
	{ "page without the last action",
	  "SELECT d.reference, d.site_code, d.created_at, h.last_name,"
	  " h.first_name, d.project_title, d.assigned_to, d.status, d.stage,"
	  " d.needs, d.sector, h.country, d.version"
	  PAGE_FROM " JOIN holder h ON h.id = d.holder_id" PAGE_WHERE },
	{ "page without the holder either",
	  "SELECT d.reference, d.site_code, d.created_at, d.project_title,"
	  " d.assigned_to, d.status, d.stage, d.needs, d.sector, d.version"
	  PAGE_FROM PAGE_WHERE },
};

/* Prefixes as td_query_fts writes them for letters typed. */
static const char *const prefixes[] = {
	"le*", "lef*", "lefe*", "lefev*", "sc*", "sch*", "schn*", "ep*",
	"epi*", "epin*", "co*", "cov*", "covoit*", "ho*", "hof*", "br*",
	"bra*", "po*", "por*", "porteur*",
};
#define NPREFIX (sizeof prefixes / sizeof *prefixes)

#define NPARTS (sizeof parts / sizeof *parts)

int main(int argc, char **argv)
{
	static double t[NPARTS][NPREFIX][RUNS];
	sqlite3_stmt *st[NPARTS] = { NULL };
	sqlite3 *h;

	if (argc != 2) {
		fprintf(stderr, "usage: search_parts DB\n");
		return 2;
	}
	if (sqlite3_open_v2(argv[1], &h, SQLITE_OPEN_READONLY |
			    SQLITE_OPEN_NOMUTEX, NULL) != SQLITE_OK) {
		fprintf(stderr, "search_parts: %s\n", sqlite3_errmsg(h));
		return 1;
	}
	for (size_t q = 0; q < NPARTS; q++)
		if (sqlite3_prepare_v2(h, parts[q].sql, -1, &st[q], NULL))
			printf("%-50s %s\n", parts[q].what, sqlite3_errmsg(h));
	/* Interleaved: each run of each prefix times every statement in
	 * turn, so a slower moment of a shared machine falls on all. */
	for (int r = 0; r < RUNS; r++)
		for (size_t w = 0; w < NPREFIX; w++)
			for (size_t q = 0; q < NPARTS; q++) {
				if (!st[q])
					continue;
				double t0 = now_us();
				sqlite3_bind_text(st[q], 1, prefixes[w], -1,
						  SQLITE_STATIC);
				while (sqlite3_step(st[q]) == SQLITE_ROW)
					for (int c = 0; c < sqlite3_column_count(st[q]); c++)
						(void)sqlite3_column_text(st[q], c);
				sqlite3_reset(st[q]);
				t[q][w][r] = now_us() - t0;
			}
	for (size_t q = 0; q < NPARTS; q++) {
		double med[NPREFIX];
		if (!st[q])
			continue;
		for (size_t w = 0; w < NPREFIX; w++) {
			qsort(t[q][w], RUNS, sizeof **t[q], cmp);
			med[w] = t[q][w][RUNS / 2];
		}
		qsort(med, NPREFIX, sizeof *med, cmp);
		printf("%-50s p50 %6.1f us  p95 %6.1f us\n", parts[q].what,
		       med[NPREFIX / 2], med[(int)(0.95 * (NPREFIX - 1) + 0.5)]);
		sqlite3_finalize(st[q]);
	}
	sqlite3_close(h);
	return 0;
}
