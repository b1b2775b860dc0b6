/* Serialise the fields given on the command line with the CSV or JSON
 * writer, for csv_check.py to parse back with Python's own csv and json
 * modules (an independent reader).  The data comes from the script, so
 * the check does not depend on anything this program holds.
 *
 *   writer_gen csv SEP GUARD NCOLS FIELD...   rows of NCOLS fields, BOM first
 *   writer_gen json PRETTY NCOLS FIELD...     array of arrays of strings
 *
 * GUARD and PRETTY are 0 or 1.  Output goes to stdout. */
#include "totemdesk/csv.h"
#include "totemdesk/json.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static int usage(void)
{
	fputs("usage: writer_gen csv SEP GUARD NCOLS FIELD...\n"
	      "       writer_gen json PRETTY NCOLS FIELD...\n",
	      stderr);
	return 2;
}

static int emit(const struct td_buf *b)
{
	if (fwrite(b->data, 1, b->len, stdout) != b->len || fflush(stdout))
		return 1;
	return 0;
}

static int gen_csv(int argc, char **argv)
{
	if (argc < 5 || strlen(argv[2]) != 1)
		return usage();
	struct td_csv_opts o = {argv[2][0], strcmp(argv[3], "1") == 0};
	long ncols = strtol(argv[4], NULL, 10);
	char **f = argv + 5;
	long n = argc - 5;
	if (ncols <= 0 || n % ncols)
		return usage();

	struct td_buf b;
	td_buf_init(&b);
	int rc = td_csv_bom(&b);
	for (long i = 0; i < n && !rc; i += ncols)
		rc = td_csv_write_row(&b, (const char *const *)f + i,
				      (size_t)ncols, &o);
	if (!rc)
		rc = emit(&b);
	td_buf_free(&b);
	return rc ? 1 : 0;
}

static int gen_json(int argc, char **argv)
{
	if (argc < 4)
		return usage();
	long ncols = strtol(argv[3], NULL, 10);
	char **f = argv + 4;
	long n = argc - 4;
	if (ncols <= 0 || n % ncols)
		return usage();

	struct td_buf b;
	struct td_json j;
	td_buf_init(&b);
	td_json_init(&j, &b, strcmp(argv[2], "1") == 0);
	td_json_begin_array(&j);
	for (long i = 0; i < n; i += ncols) {
		td_json_begin_array(&j);
		for (long k = 0; k < ncols; k++)
			td_json_string(&j, f[i + k]);
		td_json_end_array(&j);
	}
	td_json_end_array(&j);
	int rc = td_json_finish(&j);
	if (!rc)
		rc = emit(&b);
	td_buf_free(&b);
	return rc ? 1 : 0;
}

int main(int argc, char **argv)
{
	if (argc >= 2 && strcmp(argv[1], "csv") == 0)
		return gen_csv(argc, argv);
	if (argc >= 2 && strcmp(argv[1], "json") == 0)
		return gen_json(argc, argv);
	return usage();
}
