/* Fuzz target for the CSV reader (and, through round trips, the writer and
 * the JSON string escaper).
 *
 * Built two ways (tests/fuzz/meson.build): with clang -fsanitize=fuzzer
 * when -Dfuzz=true, libFuzzer drives LLVMFuzzerTestOneInput; always, linked
 * with the replay driver (replay.c), it replays the seed corpus as a test.
 *
 * Besides "no crash, no sanitizer report", each input checks properties:
 * every field is valid UTF-8 without NUL, lines never go backwards, errors
 * read "LINE: message", and every good record written back with the writer
 * reads back identically and without error. */
#include "totemdesk/csv.h"
#include "totemdesk/json.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* Independent of src/core on purpose: a plain decoder of well-formed UTF-8. */
static int valid_utf8(const unsigned char *s)
{
	while (*s) {
		unsigned c = *s, n, cp, min;
		if (c < 0x80) {
			s++;
			continue;
		} else if ((c & 0xe0) == 0xc0) {
			n = 1, cp = c & 0x1f, min = 0x80;
		} else if ((c & 0xf0) == 0xe0) {
			n = 2, cp = c & 0x0f, min = 0x800;
		} else if ((c & 0xf8) == 0xf0) {
			n = 3, cp = c & 0x07, min = 0x10000;
		} else {
			return 0;
		}
		for (unsigned i = 1; i <= n; i++) {
			if ((s[i] & 0xc0) != 0x80)
				return 0;
			cp = cp << 6 | (s[i] & 0x3f);
		}
		if (cp < min || cp > 0x10ffff || (cp >= 0xd800 && cp <= 0xdfff))
			return 0;
		s += n + 1;
	}
	return 1;
}

#define CHECK(cond)                                                            \
	do {                                                                   \
		if (!(cond)) {                                                 \
			fprintf(stderr, "fuzz_csv: %s:%d: check failed: %s\n", \
				__FILE__, __LINE__, #cond);                    \
			abort();                                               \
		}                                                              \
	} while (0)

/* Read text with sep; append every good record to out with the writer and
 * return how many there were.  Checks the reader's promises on the way. */
static size_t read_and_rewrite(const char *text, size_t len, char sep,
			       struct td_buf *out, struct td_buf *json)
{
	struct td_csv_opts opts = {sep, false};
	struct td_csv_reader r;
	struct td_csv_row row;
	td_err err;
	size_t good = 0, last_line = 0, calls = 0;
	int rc;

	td_csv_reader_init(&r, text, len, sep);
	while ((rc = td_csv_next(&r, &row, &err)) != 0) {
		/* Each call consumes input: at most one result per byte. */
		CHECK(++calls <= len + 1);
		if (rc < 0) {
			CHECK(err.code == TD_EINVAL || err.code == TD_ENOMEM);
			CHECK(err.msg[0] >= '1' && err.msg[0] <= '9');
			CHECK(strstr(err.msg, ": ") != NULL);
			continue;
		}
		CHECK(rc == 1);
		CHECK(row.nfields >= 1);
		CHECK(row.line >= 1 && row.line > last_line);
		last_line = row.line;
		for (size_t i = 0; i < row.nfields; i++) {
			const char *f = row.fields[i];
			CHECK(valid_utf8((const unsigned char *)f));
			CHECK(td_json_quote(json, f, strlen(f)) == TD_OK);
		}
		CHECK(td_csv_write_row(out, row.fields, row.nfields, &opts) ==
		      TD_OK);
		good++;
	}
	CHECK(td_csv_next(&r, &row, &err) == 0);
	td_csv_reader_free(&r);
	return good;
}

/* The JSON escaper's output must hold no raw control byte and be valid
 * UTF-8 whatever the field held. */
static void check_json(const struct td_buf *json)
{
	for (size_t i = 0; i < json->len; i++)
		CHECK((unsigned char)json->data[i] >= 0x20);
	CHECK(valid_utf8((const unsigned char *)json->data));
}

/* Records written from the first pass must read back the same. */
static void check_round_trip(const struct td_buf *written, char sep,
			     size_t expect_rows)
{
	struct td_csv_opts opts = {sep, false};
	struct td_csv_reader r;
	struct td_csv_row row;
	struct td_buf again;
	td_err err;
	size_t rows = 0;
	int rc;

	td_buf_init(&again);
	td_csv_reader_init(&r, written->data, written->len, sep);
	while ((rc = td_csv_next(&r, &row, &err)) == 1) {
		CHECK(td_csv_write_row(&again, row.fields, row.nfields,
				       &opts) == TD_OK);
		rows++;
	}
	if (rc < 0)
		fprintf(stderr, "fuzz_csv: re-read failed: %s\n", err.msg);
	CHECK(rc == 0);
	CHECK(rows == expect_rows);
	/* Same records written the same way give the same bytes. */
	CHECK(again.len == written->len);
	CHECK(memcmp(again.data, written->data, written->len) == 0);
	td_csv_reader_free(&r);
	td_buf_free(&again);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const char seps[] = {',', ';'};

	for (size_t s = 0; s < sizeof seps; s++) {
		struct td_buf out, json;
		td_buf_init(&out);
		td_buf_init(&json);
		size_t good = read_and_rewrite((const char *)data, size,
					       seps[s], &out, &json);
		check_json(&json);
		check_round_trip(&out, seps[s], good);
		td_buf_free(&out);
		td_buf_free(&json);
	}
	/* The sniffer must answer one of the two for any input. */
	char g = td_csv_sniff((const char *)data, size);
	CHECK(g == ',' || g == ';');
	return 0;
}
