/* Tests for the growable buffer and the CSV writer and reader. */
#include "totemdesk/buf.h"
#include "totemdesk/csv.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* ---- td_buf ---------------------------------------------------------- */

static void buf_basics(void **state)
{
	struct td_buf b;
	td_buf_init(&b);
	assert_non_null(b.data);
	assert_string_equal(b.data, "");
	td_buf_reset(&b); /* must not write into the shared "" */
	assert_int_equal(td_buf_puts(&b, "ab"), TD_OK);
	assert_int_equal(td_buf_putc(&b, 'c'), TD_OK);
	assert_int_equal(td_buf_append(&b, "d\0e", 3), TD_OK);
	assert_int_equal(b.len, 6);
	assert_memory_equal(b.data, "abcd\0e", 7);
	assert_int_equal(td_buf_printf(&b, "|%05d|%s", 42, "x"), TD_OK);
	assert_memory_equal(b.data + 6, "|00042|x", 9);
	td_buf_reset(&b);
	assert_int_equal(b.len, 0);
	assert_string_equal(b.data, "");
	assert_true(b.cap > 0);
	td_buf_free(&b);
	assert_int_equal(b.cap, 0);
	assert_string_equal(b.data, "");
	td_buf_free(&b); /* twice is harmless */
}

static void buf_growth_and_printf_retry(void **state)
{
	struct td_buf b;
	char big[5000];
	td_buf_init(&b);
	memset(big, 'x', sizeof big - 1);
	big[sizeof big - 1] = '\0';
	/* Starts in the free space, does not fit, retries after growing. */
	assert_int_equal(td_buf_puts(&b, "head:"), TD_OK);
	assert_int_equal(td_buf_printf(&b, "%s:%d", big, 7), TD_OK);
	assert_int_equal(b.len, 5 + 4999 + 2);
	assert_int_equal(strlen(b.data), b.len);
	assert_memory_equal(b.data, "head:xxx", 8);
	assert_string_equal(b.data + 5 + 4999, ":7");
	for (int i = 0; i < 100000; i++)
		assert_int_equal(td_buf_putc(&b, 'y'), TD_OK);
	assert_int_equal(b.len, 5006 + 100000);
	assert_int_equal(b.data[b.len], '\0');
	td_buf_free(&b);
}

static void buf_enomem_leaves_buffer_usable(void **state)
{
	struct td_buf b;
	td_buf_init(&b);
	assert_int_equal(td_buf_puts(&b, "keep"), TD_OK);
	size_t cap = b.cap;
	/* Sizes that cannot be allocated are refused before any malloc. */
	assert_int_equal(td_buf_append(&b, "z", SIZE_MAX), TD_ENOMEM);
	assert_int_equal(td_buf_append(&b, "z", PTRDIFF_MAX), TD_ENOMEM);
	assert_int_equal(td_buf_reserve(&b, SIZE_MAX - 2), TD_ENOMEM);
	assert_int_equal(b.len, 4);
	assert_int_equal(b.cap, cap);
	assert_string_equal(b.data, "keep");
	assert_int_equal(td_buf_puts(&b, "!"), TD_OK);
	assert_string_equal(b.data, "keep!");
	td_buf_free(&b);
}

/* ---- writer ---------------------------------------------------------- */

static const struct td_csv_opts comma = {',', false};
static const struct td_csv_opts semi = {';', false};
static const struct td_csv_opts guarded = {';', true};

static void writer_quoting(void **state)
{
	struct td_buf b;
	td_buf_init(&b);
	const char *row[] = {"plain", "a,b", "say \"hi\"", "two\nlines",
			     "cr\rhere", " lead", "trail\t", "", NULL, "a;b",
			     "é"};
	assert_int_equal(td_csv_write_row(&b, row, 11, &comma), TD_OK);
	assert_string_equal(b.data,
			    "plain,\"a,b\",\"say \"\"hi\"\"\",\"two\nlines\","
			    "\"cr\rhere\",\" lead\",\"trail\t\",,,a;b,é\r\n");
	td_buf_reset(&b);
	assert_int_equal(td_csv_write_row(&b, row, 11, &semi), TD_OK);
	assert_string_equal(b.data,
			    "plain;a,b;\"say \"\"hi\"\"\";\"two\nlines\";"
			    "\"cr\rhere\";\" lead\";\"trail\t\";;;\"a;b\";"
			    "é\r\n");
	td_buf_reset(&b);
	/* A lone empty field must not become an empty (skipped) line. */
	const char *empty[] = {""};
	assert_int_equal(td_csv_write_row(&b, empty, 1, &comma), TD_OK);
	assert_string_equal(b.data, "\"\"\r\n");
	td_buf_reset(&b);
	assert_int_equal(td_csv_bom(&b), TD_OK);
	assert_int_equal(td_csv_write_field(&b, "\"", NULL, true), TD_OK);
	assert_int_equal(td_csv_write_field(&b, "x", NULL, false), TD_OK);
	assert_int_equal(td_csv_end_row(&b), TD_OK);
	assert_string_equal(b.data, "\xEF\xBB\xBF\"\"\"\",x\r\n");
	/* A field starting with U+FEFF must not pass for a BOM when it opens
	 * the file (found by fuzz_csv). */
	td_buf_reset(&b);
	const char *feff[] = {"\xEF\xBB\xBFx", "y\xEF\xBB\xBF"};
	assert_int_equal(td_csv_write_row(&b, feff, 2, &comma), TD_OK);
	assert_string_equal(b.data, "\"\xEF\xBB\xBFx\",y\xEF\xBB\xBF\r\n");
	td_buf_free(&b);
}

static void writer_formula_guard(void **state)
{
	struct td_buf b;
	td_buf_init(&b);
	const char *row[] = {"=1+2", "+33 6", "-5", "@SUM(A1)", "\tx",
			     "\r=2", "a=b", "=\"x\";y"};
	assert_int_equal(td_csv_write_row(&b, row, 8, &guarded), TD_OK);
	assert_string_equal(b.data, "'=1+2;'+33 6;'-5;'@SUM(A1);\"'\tx\";"
				    "\"'\r=2\";a=b;\"'=\"\"x\"\";y\"\r\n");
	td_buf_reset(&b);
	/* Without the guard the values stay as they are. */
	assert_int_equal(td_csv_write_row(&b, row, 4, &semi), TD_OK);
	assert_string_equal(b.data, "=1+2;+33 6;-5;@SUM(A1)\r\n");
	td_buf_free(&b);
}

/* The guard is reversible: a value that really starts with a quote
 * followed by a formula character or another quote is guarded too, and
 * td_csv_unguard gives every value back; a quote before anything else
 * needs no guard and is never taken off. */
static void unguard_reverses_guard(void **state)
{
	static const char *const values[] = {
		"=1+2", "'=1+2", "''=1+2", "'", "''", "'''", "'quoted", "'t Hooft",
		"'-5", "'\tx", "-", "@", "plain", "a'=b",
	};
	static const char *const guarded_as[] = {
		"'=1+2", "''=1+2", "'''=1+2", "'", "'''", "''''", "'quoted",
		"'t Hooft", "''-5", "''\tx", "'-", "'@", "plain", "a'=b",
	};
	for (size_t i = 0; i < sizeof values / sizeof *values; i++) {
		struct td_buf b;
		struct td_csv_reader r;
		struct td_csv_row row;
		td_err err;
		td_buf_init(&b);
		assert_int_equal(td_csv_write_field(&b, values[i], &guarded, true),
				 TD_OK);
		assert_string_equal(b.data, guarded_as[i]);
		td_csv_reader_init(&r, b.data, b.len, ';');
		assert_int_equal(td_csv_next(&r, &row, &err), 1);
		assert_string_equal(td_csv_unguard(row.fields[0]), values[i]);
		td_csv_reader_free(&r);
		td_buf_free(&b);
	}
	/* Cells typed by hand without a guard read as they are. */
	assert_string_equal(td_csv_unguard("'quoted'"), "'quoted'");
	assert_string_equal(td_csv_unguard("=1+2"), "=1+2");
	assert_string_equal(td_csv_unguard(""), "");
}

static void writer_rejects_bad_sep_and_restores(void **state)
{
	struct td_buf b;
	struct td_csv_opts bad = {'"', false};
	td_buf_init(&b);
	assert_int_equal(td_buf_puts(&b, "before"), TD_OK);
	const char *row[] = {"a", "b"};
	assert_int_equal(td_csv_write_row(&b, row, 2, &bad), TD_EINVAL);
	assert_int_equal(td_csv_write_field(&b, "a", &bad, true), TD_EINVAL);
	bad.sep = '\n';
	assert_int_equal(td_csv_write_field(&b, "a", &bad, true), TD_EINVAL);
	assert_string_equal(b.data, "before");
	td_buf_free(&b);
}

/* ---- reader ---------------------------------------------------------- */

/* Read all of text; render rows as "line:f1|f2|..." and errors as
 * "!message", one per line, for compact comparisons. */
static char *read_all(const char *text, size_t len, char sep)
{
	struct td_csv_reader r;
	struct td_csv_row row;
	struct td_buf out;
	td_err err;
	int rc;

	td_buf_init(&out);
	td_csv_reader_init(&r, text, len, sep);
	while ((rc = td_csv_next(&r, &row, &err)) != 0) {
		if (rc < 0) {
			assert_int_equal(err.code, TD_EINVAL);
			td_buf_printf(&out, "!%s\n", err.msg);
			continue;
		}
		assert_true(row.nfields >= 1);
		td_buf_printf(&out, "%zu:", row.line);
		for (size_t i = 0; i < row.nfields; i++)
			td_buf_printf(&out, "%s%s", i ? "|" : "",
				      row.fields[i]);
		td_buf_putc(&out, '\n');
	}
	assert_int_equal(td_csv_next(&r, &row, &err), 0); /* stays at end */
	td_csv_reader_free(&r);
	char *s = strdup(out.data);
	td_buf_free(&out);
	return s;
}

#define assert_reads(text, sep, expected)                                      \
	do {                                                                   \
		char *got_ = read_all(text, sizeof(text) - 1, sep);            \
		assert_string_equal(got_, expected);                           \
		free(got_);                                                    \
	} while (0)

static void reader_basics(void **state)
{
	assert_reads("a,b,c\r\n1,2,3\r\n", ',', "1:a|b|c\n2:1|2|3\n");
	/* LF, bare CR, no final newline, empty lines skipped. */
	assert_reads("a,b\n\n\r\nc,d\re,f", ',', "1:a|b\n4:c|d\n5:e|f\n");
	/* BOM, semicolons, commas kept, empty fields kept. */
	assert_reads("\xEF\xBB\xBFnom;ville\nDupont, Jean;;\n", ';',
		     "1:nom|ville\n2:Dupont, Jean||\n");
	/* Quoted: separators, newlines, doubled quotes, empty quoted. */
	assert_reads("\"a,b\",\"x\r\ny\",\"say \"\"hi\"\"\",\"\"\nnext\n", ',',
		     "1:a,b|x\r\ny|say \"hi\"|\n3:next\n");
	assert_reads("", ',', "");
	assert_reads("\xEF\xBB\xBF", ',', "");
	assert_reads("\n\n", ',', "");
	assert_reads(",\n", ',', "1:|\n");
	assert_reads("   \n", ',', "1:   \n");
	assert_reads("\"\"", ',', "1:\n");
	assert_reads("é,ß€,\xF0\x9F\x98\x80\n", ',',
		     "1:é|ß€|\xF0\x9F\x98\x80\n");
}

static void reader_errors_and_resync(void **state)
{
	/* Each bad record is reported with its first line; reading goes on. */
	assert_reads("ok\nab\"c,d\nnext\n", ',',
		     "1:ok\n!2: stray quote in unquoted field\n3:next\n");
	assert_reads("\"abc\"x,1\nnext", ',',
		     "!1: unexpected text after closing quote\n2:next\n");
	assert_reads("a\n\"open,1\nb,2\nc,3\n", ',',
		     "1:a\n!2: unterminated quoted field\n3:b|2\n4:c|3\n");
	assert_reads("a,\xC3\n\xE9t\xE9\nfin\n", ',',
		     "!1: invalid UTF-8\n!2: invalid UTF-8\n3:fin\n");
	/* Overlong, surrogate, above U+10FFFF, truncated at the end. */
	assert_reads("\xC0\xAF\n\xED\xA0\x80\n\xF4\x90\x80\x80\n"
		     "\"\xE2\x82\"\nok\n\xE2\x82",
		     ',',
		     "!1: invalid UTF-8\n!2: invalid UTF-8\n!3: invalid UTF-8\n"
		     "!4: invalid UTF-8\n5:ok\n!6: invalid UTF-8\n");
	assert_reads("a\0b\nc\n", ',', "!1: NUL byte\n2:c\n");
	assert_reads("\"x\n\0\"\nc\n", ',', "!1: NUL byte\n3:c\n");
	/* The error names the line where the record starts. */
	assert_reads("h\n\"multi\nline\" bad\nz\n", ',',
		     "1:h\n!2: unexpected text after closing quote\n4:z\n");
	/* A stray opening quote must not hide the records after it. */
	assert_reads("\"a\nb\nc\n", ',',
		     "!1: unterminated quoted field\n2:b\n3:c\n");
}

static void reader_bad_separator(void **state)
{
	struct td_csv_reader r;
	struct td_csv_row row;
	td_err err;
	td_csv_reader_init(&r, "a\"b", 3, '"');
	assert_int_equal(td_csv_next(&r, &row, &err), -1);
	assert_int_equal(err.code, TD_EINVAL);
	assert_int_equal(td_csv_next(&r, &row, &err), 0);
	td_csv_reader_free(&r);
}

static void reader_fields_survive_buffer_growth(void **state)
{
	/* Many long fields force the field storage to move while a record
	 * is read; every pointer must be into the final storage. */
	struct td_buf b;
	char field[1000];
	td_buf_init(&b);
	for (int i = 0; i < 300; i++) {
		memset(field, 'a' + i % 26, sizeof field - 1);
		field[sizeof field - 1] = '\0';
		field[0] = (char)('0' + i % 10);
		td_csv_write_field(&b, field, &comma, i == 0);
	}
	td_csv_end_row(&b);
	struct td_csv_reader r;
	struct td_csv_row row;
	td_err err;
	td_csv_reader_init(&r, b.data, b.len, ',');
	assert_int_equal(td_csv_next(&r, &row, &err), 1);
	assert_int_equal(row.nfields, 300);
	for (int i = 0; i < 300; i++) {
		assert_int_equal(strlen(row.fields[i]), 999);
		assert_int_equal(row.fields[i][0], '0' + i % 10);
		assert_int_equal(row.fields[i][998], 'a' + i % 26);
	}
	assert_int_equal(td_csv_next(&r, &row, &err), 0);
	td_csv_reader_free(&r);
	td_buf_free(&b);
}

static void header_lookup(void **state)
{
	const char *h[] = {"nom", " Ville ", "E-mail", "nom"};
	struct td_csv_row row = {h, 4, 1};
	assert_int_equal(td_csv_header_index(&row, "nom"), 0);
	assert_int_equal(td_csv_header_index(&row, "ville"), 1);
	assert_int_equal(td_csv_header_index(&row, "e-mail"), 2);
	assert_int_equal(td_csv_header_index(&row, "email"), -1);
	assert_int_equal(td_csv_header_index(&row, ""), -1);
	assert_int_equal(td_csv_header_index(&row, NULL), -1);
	assert_int_equal(td_csv_header_index(NULL, "nom"), -1);
}

static void sniff(void **state)
{
	assert_int_equal(td_csv_sniff("a;b;c\n1,5;2,5;3\n", 16), ';');
	assert_int_equal(td_csv_sniff("a,b;c\n", 6), ',');
	assert_int_equal(td_csv_sniff("\"x;y;z\",b\n", 10), ',');
	assert_int_equal(td_csv_sniff("", 0), ',');
}

/* Tricky cells for round trips: quotes, both separators, line ends,
 * accents, formula starters, blanks at the ends. */
static const char *const tricky[][6] = {
	{"Dupont", "Jean-Éric", "12 rue de l'Église", "Saint-Étienne",
	 "42000", "=1+2"},
	{"say \"hi\"", "a,b", "c;d", "line1\nline2", "cr\r\nlf",
	 "+33612345678"},
	{"-5", "@SUM(A1:A9)", "\t=tab", " lead", "trail ", ""},
	{"\"", "\"\"", ",", ";", "\r", "\n"},
	{"Œuvre — naïve façade", "日本語", "emoji \xF0\x9F\x98\x80",
	 "'quoted", "=HYPERLINK(\"http://x\",\"y\")", "a\"b,c;d\ne"},
	{"'=typed", "''", "'", "''x", "'-", "'\"q\""},
};
#define NTRICKY (sizeof tricky / sizeof tricky[0])

static void round_trip(void **state)
{
	static const struct td_csv_opts all[] = {
		{',', false}, {';', false}, {',', true},
		{';', true},  {'\t', false},
	};

	for (size_t o = 0; o < sizeof all / sizeof all[0]; o++) {
		struct td_buf b;
		td_buf_init(&b);
		assert_int_equal(td_csv_bom(&b), TD_OK);
		for (size_t i = 0; i < NTRICKY; i++)
			assert_int_equal(
				td_csv_write_row(&b, tricky[i], 6, &all[o]),
				TD_OK);

		struct td_csv_reader r;
		struct td_csv_row row;
		td_err err;
		size_t line = 1;
		td_csv_reader_init(&r, b.data, b.len, all[o].sep);
		for (size_t i = 0; i < NTRICKY; i++) {
			assert_int_equal(td_csv_next(&r, &row, &err), 1);
			assert_int_equal(row.nfields, 6);
			assert_int_equal(row.line, line);
			for (size_t k = 0; k < 6; k++) {
				const char *want = tricky[i][k];
				const char *got = row.fields[k];
				if (all[o].guard_formulas && want[0] &&
				    strchr("=+-@\t\r", want[0]))
					assert_int_equal(got[0], '\'');
				if (all[o].guard_formulas)
					got = td_csv_unguard(got);
				assert_string_equal(got, want);
				/* Count the physical lines the record spans. */
				for (const char *p = want; *p; p++)
					if (*p == '\n' ||
					    (*p == '\r' && p[1] != '\n'))
						line++;
			}
			line++;
		}
		assert_int_equal(td_csv_next(&r, &row, &err), 0);
		td_csv_reader_free(&r);
		td_buf_free(&b);
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(buf_basics),
		cmocka_unit_test(buf_growth_and_printf_retry),
		cmocka_unit_test(buf_enomem_leaves_buffer_usable),
		cmocka_unit_test(writer_quoting),
		cmocka_unit_test(writer_formula_guard),
		cmocka_unit_test(unguard_reverses_guard),
		cmocka_unit_test(writer_rejects_bad_sep_and_restores),
		cmocka_unit_test(reader_basics),
		cmocka_unit_test(reader_errors_and_resync),
		cmocka_unit_test(reader_bad_separator),
		cmocka_unit_test(reader_fields_survive_buffer_growth),
		cmocka_unit_test(header_lookup),
		cmocka_unit_test(sniff),
		cmocka_unit_test(round_trip),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
