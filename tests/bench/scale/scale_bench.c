/* Scale benchmark, part 2: on a database made by scale_gen, what an
 * officer waits for, through the same app calls the screens and the
 * command line make (the one listing engine, by keyset only).
 *
 *   scale_bench DB [search|export|import|bulk]
 *
 * Every interactive action is timed RUNS times; p50 and p95 are printed:
 * opening the queue (every site, one site), a filter, each sort order
 * (both ways) with the cursor's dossier kept half-way down, End and
 * back, paging half-way down, a live refresh far down, a search typed
 * letter by letter (e-mail prefixes shared by thousands of rows
 * included) beside the raw FTS5 floor of the same words (unranked
 * LIMIT 20 on a plain connection; each keystroke and its floor run five
 * times, interleaved, median kept), then export and import rates and
 * peak RSS.  Not a test: figures only (docs/benchmarks.md, "Scale"). */
#include "totemdesk/app.h"
#include "totemdesk/import.h"
#include "totemdesk/queue.h"

#include <pwd.h>
#include <stdbool.h>
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <time.h>
#include <unistd.h>

#define PAGE 22            /* rows of the queue on a 24-line terminal */
#define RUNS 20
#define IMPORT_ROWS 20000
#define CAP 1001           /* the screen's capped count */
#define REPEAT 11          /* samples of each keystroke (median kept) */
#define BULK_MAX 5000     /* the queue marks at most this many (TD_VLIST_MARK_MAX) */

static struct td_app *app;
static struct td_queue_row rows[256];

static double now_ms(void)
{
	struct timespec t;
	clock_gettime(CLOCK_MONOTONIC, &t);
	return (double)t.tv_sec * 1e3 + (double)t.tv_nsec / 1e6;
}

static int cmp(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;
	return (x > y) - (x < y);
}

static double pct(double *v, int n, double p)
{
	qsort(v, (size_t)n, sizeof *v, cmp);
	return v[(int)(p * (n - 1) + 0.5)];
}

static void report(const char *what, double *v, int n)
{
	printf("%-58s p50 %8.3f ms  p95 %8.3f ms  max %8.3f ms (%d)\n", what,
	       pct(v, n, 0.5), pct(v, n, 0.95), pct(v, n, 1.0), n);
}

static long rss_kb(void)
{
	struct rusage ru;
	getrusage(RUSAGE_SELF, &ru);
	return ru.ru_maxrss;
}

static void die(const char *what, const td_err *err)
{
	fprintf(stderr, "scale_bench: %s: %s\n", what, err->msg);
	exit(1);
}

static int seek(const struct td_query *q, const char *anchor,
		enum td_seek how, int limit)
{
	td_err err = { 0 };
	int got = 0;
	if (td_app_queue_seek(app, q, anchor, how, limit, rows, &got, &err))
		die("seek", &err);
	return got;
}

/* What the screen does before its first draw: count (capped), first page. */
static double open_list(const struct td_query *q, long *n)
{
	td_err err = { 0 };
	double t0 = now_ms();
	if (td_app_queue_count(app, q, CAP, n, &err))
		die("count", &err);
	seek(q, NULL, TD_SEEK_AFTER, PAGE);
	return now_ms() - t0;
}

/* Keep the dossier anchor under the cursor, 5 rows down the screen: the
 * rows before it and from it on, in q's order (a re-sort, a refresh). */
static double keep_cursor(const struct td_query *q, const char *anchor)
{
	double t0 = now_ms();
	seek(q, anchor, TD_SEEK_BEFORE, 5);
	seek(q, anchor, TD_SEEK_AT, PAGE - 5);
	return now_ms() - t0;
}

/* "bulk": the most rows a queue can mark (BULK_MAX), the first of
 * the default order, assigned to the bench's officer, then noted: how
 * long each takes (how long it keeps other desks from writing) and the
 * peak RSS. */
static int bulk_bench(const char *login)
{
	static char refs[BULK_MAX][TD_REF_SIZE];
	static const char *p[BULK_MAX];
	static int seen[BULK_MAX];
	struct td_query q;
	struct td_bulk_result res = { 0 };
	td_err err = { 0 };
	int n = 0;

	td_query_init(&q);
	while (n < BULK_MAX) {
		int got = seek(&q, n ? refs[n - 1] : NULL, TD_SEEK_AFTER,
			       BULK_MAX - n < 256 ? BULK_MAX - n : 256);
		if (got == 0)
			break;
		for (int i = 0; i < got; i++) {
			memcpy(refs[n], rows[i].d.reference, sizeof refs[n]);
			refs[n][sizeof refs[n] - 1] = '\0';
			seen[n] = rows[i].d.version;
			p[n] = refs[n];
			n++;
		}
	}
	long rss0 = rss_kb();
	double t0 = now_ms();
	if (td_app_queue_assign(app, p, seen, (size_t)n, login, &res, &err))
		die("bulk assign", &err);
	printf("bulk assign of %d dossiers: %.2f s (%zu written)\n", n,
	       (now_ms() - t0) / 1e3, res.written);
	t0 = now_ms();
	if (td_app_queue_note(app, p, seen, (size_t)n, "Relance groupée", &res,
			      &err))
		die("bulk note", &err);
	printf("bulk note on %d dossiers: %.2f s (%zu written)\n", n,
	       (now_ms() - t0) / 1e3, res.written);
	printf("peak RSS: %.1f MB before the bulk actions, %.1f MB after\n",
	       (double)rss0 / 1024, (double)rss_kb() / 1024);
	return 0;
}

int main(int argc, char **argv)
{
	if (argc < 2) {
		fprintf(stderr, "usage: %s DB\n", argv[0]);
		return 2;
	}
	setvbuf(stdout, NULL, _IOLBF, 0);
	char conf[] = "/tmp/td-scale-conf-XXXXXX";
	int fd = mkstemp(conf);
	FILE *f = fd >= 0 ? fdopen(fd, "w") : NULL;
	struct passwd *pw = getpwuid(geteuid());
	if (!f || !pw)
		return 1;
	fprintf(f, "site = \"COO\";\nusers = ( { login = \"%s\"; name = \"Bench\";"
		   " role = \"officer\"; site = \"COO\"; } );\n", pw->pw_name);
	fclose(f);
	struct td_app_options o = { .config_path = conf, .db_path = argv[1],
				    .need_user = true, .need_config = true };
	td_err err = { 0 };
	double t0 = now_ms();
	if (td_app_open(&app, &o, &err))
		die("open", &err);
	printf("open (with any migration): %.0f ms\n", now_ms() - t0);
	/* "search", "export", "import": that alone (to profile it). */
	bool search_only = argc > 2 && strcmp(argv[2], "search") == 0;
	bool export_only = argc > 2 && strcmp(argv[2], "export") == 0;
	bool import_only = argc > 2 && strcmp(argv[2], "import") == 0;
	long ui_rss = 0, export_rss = 0;
	if (argc > 2 && strcmp(argv[2], "bulk") == 0)
		return bulk_bench(pw->pw_name);
	if (export_only)
		goto export;
	if (import_only)
		goto import;

	struct td_query q;
	sqlite3 *h;
	sqlite3_stmt *st;
	/* Without SQLite's per-call mutex, as the desk opens its own: the
	 * floor is not made slower than the desk by a setting. */
	if (sqlite3_open_v2(argv[1], &h, SQLITE_OPEN_READONLY |
			    SQLITE_OPEN_NOMUTEX, NULL))
		return 1;
	if (search_only)
		goto search;

	long n = 0;
	double t[256];
	td_query_init(&q);
	for (int i = 0; i < RUNS; i++)
		t[i] = open_list(&q, &n);
	printf("dossiers: %ld\n", n);
	report("queue open, every site (count + first page)", t, RUNS);
	long nf = 0;
	snprintf(q.site, sizeof q.site, "MET");
	for (int i = 0; i < RUNS; i++)
		t[i] = open_list(&q, &nf);
	report("queue open, one site (MET)", t, RUNS);

	td_query_init(&q);
	td_query_set(&q, "site", "MET", &err);
	td_query_set(&q, "status", "new,triaged", &err);
	td_query_set(&q, "need", "funding", &err);
	for (int i = 0; i < RUNS; i++)
		t[i] = open_list(&q, &nf);
	report("filter site+status+need (capped count + first page)", t, RUNS);

	/* The dossier half-way down the default order: its reference from
	 * a plain connection (setup, not timed). */
	char mid[TD_REF_SIZE] = "";
	if (sqlite3_prepare_v2(h, "SELECT reference FROM dossier WHERE deleted = 0"
			       " ORDER BY created_at DESC, id DESC LIMIT 1"
			       " OFFSET ?1", -1, &st, NULL))
		return 1;
	sqlite3_bind_int64(st, 1, n / 2);
	if (sqlite3_step(st) == SQLITE_ROW)
		snprintf(mid, sizeof mid, "%s", sqlite3_column_text(st, 0));
	sqlite3_finalize(st);

	/* Change the sort with the cursor half-way down; the row number
	 * after the first draw (locate), timed apart. */
	int k = 0, kl = 0;
	double loc[64];
	for (int c = -1; c < TD_QC_COUNT; c++)
		for (int desc = 0; desc < 2; desc++) {
			td_query_init(&q);
			q.sort = c;
			q.desc = desc;
			t[k++] = keep_cursor(&q, mid);
			long pos;
			double t1 = now_ms();
			if (td_app_queue_locate(app, &q, mid, &pos, &err))
				die("locate", &err);
			loc[kl++] = now_ms() - t1;
			if (loc[kl - 1] > 15)
				printf("  locate by %s%s: %.0f ms\n", desc ? "-" : "",
				       c < 0 ? "default" : td_enum_code(&td_qcols, c),
				       loc[kl - 1]);
		}
	report("re-sort, cursor's dossier kept half-way (22 orders)", t, k);
	report("  its row number after the first draw (locate)", loc, kl);
	for (int c = -1; c < TD_QC_COUNT; c++)
		for (int desc = 0; desc < 2; desc++) {
			td_query_init(&q);
			q.sort = c;
			q.desc = desc;
			double t1 = now_ms();
			long cnt;
			open_list(&q, &cnt);
			t[k - 22 + (c + 1) * 2 + desc] = now_ms() - t1;
		}
	report("re-sort from the top (count + first page, 22 orders)", t + k - 22,
	       22);

	/* End and back, paging from half-way, a live refresh far down. */
	td_query_init(&q);
	for (int i = 0; i < RUNS; i++) {
		t0 = now_ms();
		seek(&q, NULL, TD_SEEK_BEFORE, PAGE);
		t[i] = now_ms() - t0;
		t0 = now_ms();
		seek(&q, NULL, TD_SEEK_AFTER, PAGE);
		t[RUNS + i] = now_ms() - t0;
	}
	report("End (the last page)", t, RUNS);
	report("Home (back to the first page)", t + RUNS, RUNS);
	char anchor[TD_REF_SIZE];
	memcpy(anchor, mid, sizeof anchor);
	for (int i = 0; i < RUNS; i++) {
		t0 = now_ms();
		int got = seek(&q, anchor, TD_SEEK_AFTER, PAGE);
		t[i] = now_ms() - t0;
		memcpy(anchor, rows[got - 1].d.reference, sizeof anchor);
	}
	report("page down half-way (keyset, 22 rows)", t, RUNS);
	for (int i = 0; i < RUNS; i++) {
		t0 = now_ms();
		int got = seek(&q, anchor, TD_SEEK_AFTER, 128);
		t[i] = now_ms() - t0;
		memcpy(anchor, rows[got - 1].d.reference, sizeof anchor);
	}
	report("  the screen's 128-row chunk", t, RUNS);
	for (int i = 0; i < RUNS; i++) {
		long cnt;
		t0 = now_ms();
		if (td_app_queue_count(app, &q, 0, &cnt, &err))
			die("count", &err);
		keep_cursor(&q, mid);
		t[i] = now_ms() - t0;
	}
	report("live refresh half-way down (count + rows at the cursor)", t,
	       RUNS);

search:;
	/* Typing, letter by letter; the floor: the same words, unranked
	 * LIMIT 20, straight from the index. */
	static const char *const words[] = { "lefèvre", "schneider", "epinal",
		"covoiturage", "hoffmann", "brasserie", "porteur.4242",
		"porteur.4", "porteur.9876" };
	double keys[256], pages[256], floor[256];
	char typed[256][TD_QUERY_TEXT_MAX];
	int nk = 0;
	if (sqlite3_prepare_v2(h, "SELECT rowid FROM dossier_fts WHERE"
			       " dossier_fts MATCH ?1 LIMIT 20", -1, &st, NULL))
		return 1;
	for (size_t w = 0; w < sizeof words / sizeof *words; w++)
		for (size_t len = 1; words[w][len - 1] && nk < 256; len++) {
			if (((unsigned char)words[w][len] & 0xC0) == 0x80)
				continue;
			td_query_init(&q);
			snprintf(q.text, sizeof q.text, "%.*s", (int)len, words[w]);
			char fts[512];
			bool words_ = td_query_fts(q.text, fts, sizeof fts) > 0;
			/* Each keystroke REPEAT times, the floor first one time
			 * in two (whichever runs second finds the pages the
			 * first read), the median of each kept: on a shared
			 * machine one sample is often a preemption. */
			double tp[REPEAT], tk[REPEAT], tf[REPEAT];
			for (int r = 0; r < REPEAT; r++) {
				tf[r] = 0;
				for (int half = 0; half < 2; half++) {
					if ((half == 0) == (r % 2 == 1)) {
						if (!words_)
							continue;
						t0 = now_ms();
						sqlite3_bind_text(st, 1, fts, -1,
								  SQLITE_STATIC);
						while (sqlite3_step(st) == SQLITE_ROW)
							;
						sqlite3_reset(st);
						tf[r] = now_ms() - t0;
						continue;
					}
					long cnt;
					t0 = now_ms();
					seek(&q, NULL, TD_SEEK_AFTER, PAGE);
					tp[r] = now_ms() - t0;
					if (td_app_queue_count(app, &q, CAP, &cnt,
							       &err))
						die("count", &err);
					tk[r] = now_ms() - t0;
				}
			}
			pages[nk] = pct(tp, REPEAT, 0.5);
			keys[nk] = pct(tk, REPEAT, 0.5);
			floor[nk] = pct(tf, REPEAT, 0.5);
			snprintf(typed[nk], sizeof typed[nk], "%s", q.text);
			nk++;
		}
	sqlite3_finalize(st);
	sqlite3_close(h);
	/* The slowest keystrokes, to see what costs. */
	for (int r = 0; r < 4; r++) {
		int worst = 0;
		for (int i = 1; i < nk; i++)
			if (keys[i] > keys[worst])
				worst = i;
		printf("  slow: \"%s\" page %.2f ms, with count %.2f ms, floor"
		       " %.2f ms\n", typed[worst], pages[worst], keys[worst],
		       floor[worst]);
		keys[worst] = -keys[worst];
	}
	for (int i = 0; i < nk; i++)
		if (keys[i] < 0)
			keys[i] = -keys[i];
	report("search keystroke: first page (the first draw)", pages, nk);
	report("search keystroke: first page + count up to 1,001", keys, nk);
	report("search: raw FTS5 floor (unranked LIMIT 20)", floor, nk);
	/* report() sorted them: the same percentiles as printed. */
	printf("search keystroke / floor: p50 %.2fx  p95 %.2fx\n",
	       pct(pages, nk, 0.5) / pct(floor, nk, 0.5),
	       pct(pages, nk, 0.95) / pct(floor, nk, 0.95));
	ui_rss = rss_kb();
	if (search_only) {
		printf("peak RSS: %.1f MB\n", (double)ui_rss / 1024);
		return 0;
	}
export:;
	FILE *null = fopen("/dev/null", "w");
	struct td_export_options eo = { .format = TD_EXPORT_CSV, .status = -1 };
	long nrows = 0;
	t0 = now_ms();
	if (td_app_export(app, &eo, null, &nrows, &err))
		die("export", &err);
	double ex = now_ms() - t0;
	fclose(null);
	printf("export CSV: %ld rows in %.2f s = %.0f rows/s\n", nrows, ex / 1e3,
	       (double)nrows / (ex / 1e3));
	export_rss = rss_kb();
	if (export_only) {
		struct rusage ru;
		getrusage(RUSAGE_SELF, &ru);
		printf("export: CPU %.2f s user + %.2f s system (whole process); "
		       "peak RSS %.1f MB\n",
		       (double)ru.ru_utime.tv_sec + ru.ru_utime.tv_usec / 1e6,
		       (double)ru.ru_stime.tv_sec + ru.ru_stime.tv_usec / 1e6,
		       (double)export_rss / 1024);
		return 0;
	}

import:;
	size_t cap = (size_t)IMPORT_ROWS * 160 + 256, len = 0;
	char *csv = malloc(cap);
	if (!csv)
		return 1;
	len += (size_t)snprintf(csv + len, cap - len,
		"last_name;first_name;email;postcode;city;project_title;stage;"
		"needs;consent;site;created_at\r\n");
	for (int i = 0; i < IMPORT_ROWS; i++)
		len += (size_t)snprintf(csv + len, cap - len,
			"Import%c;Zoé;import.bench.%d@exemple.fr;57000;Metz;"
			"Projet importé %d;seed;funding|advice;1;MET;2025-03-14\r\n",
			'a' + i % 26, i, i);
	struct td_import_options io = { "bench.csv", true, false, 0 };
	struct td_import_result res = { 0 };
	t0 = now_ms();
	if (td_app_import(app, csv, len, &io, &res, &err))
		die("import", &err);
	double im = now_ms() - t0;
	printf("import (dry run, %ld rows): %.2f s = %.0f rows/s\n", res.good,
	       im / 1e3, (double)res.good / (im / 1e3));
	td_import_result_free(&res);
	free(csv);
	if (import_only)
		printf("peak RSS: %.1f MB after import\n",
		       (double)rss_kb() / 1024);
	else
		printf("peak RSS: %.1f MB after the lists and searches; %.1f MB"
		       " after export; %.1f MB after import\n",
		       (double)ui_rss / 1024, (double)export_rss / 1024,
		       (double)rss_kb() / 1024);
	td_app_close(app);
	unlink(conf);
	return 0;
}
