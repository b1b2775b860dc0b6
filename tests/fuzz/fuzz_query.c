/* Fuzz target for the query language of the queue, the saved filters
 * and `export --filter` (src/core/query.c: td_query_parse and
 * td_query_format).  Besides "no crash, no sanitizer report": a spec that
 * parses formats to text that parses again to the same query, whose
 * text is the same (a saved filter reads back as it was saved), and a
 * refusal has a message. */
#include "totemdesk/query.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#define CHECK(cond)                                                            \
	do {                                                                   \
		if (!(cond)) {                                                 \
			fprintf(stderr, "fuzz_query: %s:%d: check failed: %s\n",\
				__FILE__, __LINE__, #cond);                    \
			abort();                                               \
		}                                                              \
	} while (0)

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	if (size > 4000)
		return 0;
	char *spec = malloc(size + 1);
	CHECK(spec);
	memcpy(spec, data, size);
	spec[size] = '\0';
	struct td_query q, q2;
	td_err err = { 0 };
	td_query_init(&q);
	if (td_query_parse(spec, &q, &err) != TD_OK) {
		CHECK(err.code != TD_OK && err.msg[0]);
		free(spec);
		return 0;
	}
	char text[8192], text2[8192];
	if (td_query_format(&q, text, sizeof text) >= 0) {
		td_query_init(&q2);
		td_err e2 = { 0 };
		int rc = td_query_parse(text, &q2, &e2);
		if (rc != TD_OK)
			fprintf(stderr, "fuzz_query: \"%s\" -> \"%s\": %s\n",
				spec, text, e2.msg);
		CHECK(rc == TD_OK);
		CHECK(td_query_format(&q2, text2, sizeof text2) >= 0);
		CHECK(strcmp(text, text2) == 0);
	}
	free(spec);
	return 0;
}
