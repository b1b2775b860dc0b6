/* Fuzz target for the validators and the one sanitiser (src/core/
 * validate.c, phone.c, company.c, text.c, intake.c).
 *
 * The first byte picks the validator (and the country); the rest is the
 * text typed.  Besides "no crash, no sanitizer report":
 *  - td_text_clean's output is valid UTF-8 holding no control byte but
 *    LF, no ESC, no bidirectional control, never longer than its input;
 *  - a value a validator accepts is valid UTF-8 without control bytes or
 *    bidirectional controls, and validates again to itself (normalising
 *    twice changes nothing: what is stored re-imports as it was);
 *  - every refusal has a message. */
#include "totemdesk/intake.h"
#include "totemdesk/text.h"
#include "totemdesk/validate.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#define CHECK(cond)                                                            \
	do {                                                                   \
		if (!(cond)) {                                                 \
			fprintf(stderr, "fuzz_validate: %s:%d: check failed: " \
				"%s\n", __FILE__, __LINE__, #cond);            \
			abort();                                               \
		}                                                              \
	} while (0)

#define NKINDS 11

static enum td_vcode run(int kind, enum td_country c, const char *in,
			 char *out, size_t outsz)
{
	switch (kind) {
	case 0: return td_validate_name(in, out, outsz);
	case 1: return td_validate_city(in, out, outsz);
	case 2: return td_validate_email(in, out, outsz);
	case 3: return td_validate_phone(c, in, out, outsz);
	case 4: return td_validate_postcode(c, in, out, outsz);
	case 5: return td_validate_company(c, in, out, outsz);
	case 6: return td_validate_siret(in, out, outsz);
	case 7: return td_validate_text(in, 200, false, out, outsz);
	case 8: return td_validate_text(in, 1000, true, out, outsz);
	default: return td_validate_text(in, 0, false, out, outsz);
	}
}

static void clean_checks(const char *in, size_t len)
{
	char *out = malloc(len + 1);
	CHECK(out);
	size_t n = td_text_clean(in, len, out, len + 1, 0, true);
	CHECK(n <= len && strlen(out) == n);
	CHECK(td_utf8_valid(out, n));
	for (size_t i = 0; i < n; i++) {
		unsigned char b = (unsigned char)out[i];
		CHECK(b >= 0x20 || b == '\n');
		CHECK(b != 0x7f);
	}
	CHECK(td_text_find_bidi(out) == 0);
	free(out);
}

static void accepted_checks(int kind, enum td_country c, const char *out)
{
	size_t n = strlen(out);
	CHECK(td_utf8_valid(out, n));
	for (size_t i = 0; i < n; i++)
		CHECK((unsigned char)out[i] >= 0x20 || out[i] == '\n');
	CHECK(td_text_find_bidi(out) == 0);
	char again[4096];
	enum td_vcode v = run(kind, c, out, again, sizeof again);
	CHECK(v == TD_V_OK);
	CHECK(strcmp(again, out) == 0);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	if (size < 1 || size > 4000)
		return 0;
	int kind = data[0] % NKINDS;
	enum td_country c = (enum td_country)((data[0] / NKINDS) %
					      TD_COUNTRY_COUNT);
	char *in = malloc(size);
	CHECK(in);
	memcpy(in, data + 1, size - 1);
	in[size - 1] = '\0';
	clean_checks(in, size - 1);
	if (kind == 10) {
		/* The form's check of every field, as typed. */
		for (int f = 0; f < TD_F_COUNT; f++) {
			struct td_intake rec;
			char norm[4096];
			memset(&rec, 0, sizeof rec);
			char *t = td_intake_text(&rec, (enum td_field_id)f);
			if (!t)
				continue;
			snprintf(t, td_fields[f].size, "%s", in);
			enum td_vcode v = td_intake_check_field(
				&rec, (enum td_field_id)f, 0, norm, sizeof norm);
			CHECK(td_vcode_message(v) != NULL);
			if (v == TD_V_OK)
				CHECK(td_text_find_bidi(norm) == 0);
		}
	} else {
		char out[4096];
		enum td_vcode v = run(kind, c, in, out, sizeof out);
		CHECK(td_vcode_message(v) && td_vcode_message(v)[0]);
		if (v == TD_V_OK)
			accepted_checks(kind, c, out);
	}
	free(in);
	return 0;
}
