/* Scale benchmark, part 2: on a database made by scale_gen, what an
 * officer waits for, through the same app calls the screens and the
 * command line make.
 *
 *   scale_bench DB
 *
 * Prints: time to open the queue (count + first page), p95 of one scroll
 * step (a fresh page fetch per step by offset, near the top and half-way
 * down; by keyset half-way down, as the screen scrolls), p95 of one
 * search keystroke (FTS, count capped at 1,001 as the screen counts +
 * first page per prefix typed),
 * time to apply a filter, export rate, import rate (a dry run of 20,000
 * new rows: every check and insert, then rolled back) and peak RSS.  Not
 * a test: figures only (docs/benchmarks.md, "Scale"). */
#include "totemdesk/app.h"
#include "totemdesk/import.h"
#include "totemdesk/queue.h"

#include <pwd.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <time.h>
#include <unistd.h>

#define PAGE 22            /* rows of the queue on a 24-line terminal */
#define STEPS 200
#define DEEP_STEPS 20
#define IMPORT_ROWS 20000

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

static double p95(double *v, int n)
{
	qsort(v, (size_t)n, sizeof *v, cmp);
	return v[(int)(0.95 * (n - 1) + 0.5)];
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

/* The queue as the screen opens it: how many, then the first page.
 * cap > 0: a search's count, capped as the screen caps it. */
static double open_page(struct td_app *app, const struct td_query *q,
			long offset, long *count, long cap)
{
	static struct td_queue_row rows[PAGE];
	td_err err = { 0 };
	int got = 0;
	double t0 = now_ms();
	if (count && (cap > 0 ? td_app_queue_count_max(app, q, cap, count, &err)
			      : td_app_queue_count(app, q, count, &err)))
		die("queue count", &err);
	if (td_app_queue_page(app, q, offset, PAGE, rows, &got, &err))
		die("queue page", &err);
	return now_ms() - t0;
}

/* Scrolling as the screen does it far down: `steps` keyset fetches of
 * `chunk` rows, each after the last row of the one before, from row
 * `from` (reached once by offset, a jump, timed in *jump).  p95. */
static double seek_steps(struct td_app *app, const struct td_query *q,
			 long from, int chunk, int steps, double *jump)
{
	static struct td_queue_row rows[128];
	static double t[DEEP_STEPS];
	char anchor[TD_REF_SIZE];
	td_err err = { 0 };
	int got = 0;
	double t0 = now_ms();
	if (td_app_queue_page(app, q, from, chunk, rows, &got, &err) || !got)
		die("queue page", &err);
	*jump = now_ms() - t0;
	for (int i = 0; i < steps; i++) {
		memcpy(anchor, rows[got - 1].d.reference, sizeof anchor);
		t0 = now_ms();
		if (td_app_queue_seek(app, q, anchor, false, from, chunk, rows,
				      &got, &err) || !got)
			die("queue seek", &err);
		t[i] = now_ms() - t0;
	}
	return p95(t, steps);
}

int main(int argc, char **argv)
{
	if (argc < 2) {
		fprintf(stderr, "usage: %s DB\n", argv[0]);
		return 2;
	}
	/* Figures as they come, also when written to a file. */
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

	struct td_app *app = NULL;
	struct td_app_options o = { .config_path = conf, .db_path = argv[1],
				    .need_user = true, .need_config = true };
	td_err err = { 0 };
	if (td_app_open(&app, &o, &err))
		die("open", &err);

	struct td_query q;
	long n = 0;
	td_query_init(&q);
	double open_ms = open_page(app, &q, 0, &n, 0);
	printf("dossiers: %ld\n", n);
	printf("queue open (count + first page of %d): %.1f ms\n", PAGE, open_ms);

	double t[STEPS], deep[DEEP_STEPS];
	for (int i = 0; i < STEPS; i++)
		t[i] = open_page(app, &q, i + 1, NULL, 0);
	for (int i = 0; i < DEEP_STEPS; i++)
		deep[i] = open_page(app, &q, n / 2 + i + 1, NULL, 0);
	printf("scroll step p95 by offset (one page fetch per step): top %.2f ms"
	       " (%d steps), half-way down %.2f ms (%d steps)\n",
	       p95(t, STEPS), STEPS, p95(deep, DEEP_STEPS), DEEP_STEPS);
	/* What the screen does: keyset from the cached edge row, by its
	 * chunks of 128 rows, newest first and by name. */
	double jump, jump_name;
	double ks = seek_steps(app, &q, n / 2, PAGE, DEEP_STEPS, &jump);
	double kc = seek_steps(app, &q, n / 2, 128, DEEP_STEPS, &jump);
	struct td_query qn;
	td_query_init(&qn);
	td_query_set(&qn, "sort", "name", &err);
	double kn = seek_steps(app, &qn, n / 2, 128, DEEP_STEPS, &jump_name);
	static struct td_queue_row endrows[128];
	int got = 0;
	double t0 = now_ms();
	if (td_app_queue_seek(app, &q, NULL, true, n - 128, 128, endrows, &got,
			      &err))
		die("queue end", &err);
	double end_ms = now_ms() - t0;
	printf("scroll step p95 by keyset, half-way down: %.2f ms (%d rows),"
	       " %.2f ms (128 rows, the screen's chunk), by name %.2f ms;"
	       " a jump there by offset: %.1f ms (by name %.1f ms);"
	       " the last 128 rows (End): %.2f ms\n", ks, PAGE, kc, kn, jump,
	       jump_name, end_ms);

	/* Typing names, a town and a project word, one keystroke at a time.
	 * The first keystroke (a one-letter prefix matches a good part of
	 * the base) is timed once, apart: at a million dossiers each takes
	 * seconds and would swamp the run. */
	static const char *const words[] = { "lefèvre", "schneider", "epinal",
		"covoiturage", "hoffmann", "brasserie", "porteur.4242" };
	double keys[256];
	int nk = 0;
	long cnt;
	td_query_init(&q);
	snprintf(q.text, sizeof q.text, "l");
	double first_key = open_page(app, &q, 0, &cnt, 1001);
	for (size_t w = 0; w < sizeof words / sizeof *words; w++)
		for (size_t len = 2; words[w][len - 1] && nk < 256; len++) {
			/* Whole UTF-8 characters only, as typed. */
			if (((unsigned char)words[w][len] & 0xC0) == 0x80)
				continue;
			td_query_init(&q);
			snprintf(q.text, sizeof q.text, "%.*s", (int)len, words[w]);
			keys[nk++] = open_page(app, &q, 0, &cnt, 1001);
		}
	double kp95 = p95(keys, nk);
	printf("search keystroke p95 (count up to 1,001 + first page, %d"
	       " keystrokes of 2+"
	       " letters): %.2f ms (max %.2f ms); first letter \"l\": %.1f ms\n",
	       nk, kp95, keys[nk - 1], first_key);

	td_query_init(&q);
	td_query_set(&q, "site", "MET", &err);
	td_query_set(&q, "status", "new,triaged", &err);
	td_query_set(&q, "need", "funding", &err);
	long nf = 0;
	double filt = open_page(app, &q, 0, &nf, 0);
	printf("filter site+status+need (%ld rows): %.1f ms\n", nf, filt);
	long ui_rss = rss_kb();

	FILE *null = fopen("/dev/null", "w");
	struct td_export_options eo = { .format = TD_EXPORT_CSV, .status = -1 };
	long rows = 0;
	t0 = now_ms();
	if (td_app_export(app, &eo, null, &rows, &err))
		die("export", &err);
	double ex = now_ms() - t0;
	fclose(null);
	printf("export CSV: %ld rows in %.2f s = %.0f rows/s\n", rows, ex / 1e3,
	       (double)rows / (ex / 1e3));
	long export_rss = rss_kb();

	/* New people (the duplicate check finds nobody), the export's
	 * columns, ';' as French spreadsheets write it. */
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
	printf("import (dry run, %ld rows checked and inserted, rolled back):"
	       " %.2f s = %.0f rows/s\n", res.good, im / 1e3,
	       (double)res.good / (im / 1e3));
	td_import_result_free(&res);
	free(csv);

	printf("peak RSS: %.1f MB after queue, scroll, search and filter;"
	       " %.1f MB after export; %.1f MB after import (20,000-row file"
	       " held in memory)\n", (double)ui_rss / 1024,
	       (double)export_rss / 1024, (double)rss_kb() / 1024);
	td_app_close(app);
	unlink(conf);
	return 0;
}
