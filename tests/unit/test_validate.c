#include "totemdesk/validate.h"
#include "totemdesk/text.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdlib.h>
#include <string.h>

/* Validate in, expect code want and, when OK, the normalised value. */
#define CHECK(fn, in, want, norm) do { \
		char out_[512]; \
		enum td_vcode v_ = fn((in), out_, sizeof out_); \
		if (v_ != (want)) \
			fail_msg("%s(\"%s\") = %d, want %d", #fn, (in), \
				 (int)v_, (int)(want)); \
		if ((want) == TD_V_OK) \
			assert_string_equal(out_, (norm)); \
		else \
			assert_string_equal(out_, ""); \
	} while (0)

#define NAME(in, want, norm) CHECK(td_validate_name, in, want, norm)
#define CITY(in, want, norm) CHECK(td_validate_city, in, want, norm)
#define EMAIL(in, want, norm) CHECK(td_validate_email, in, want, norm)
#define PHONE(in, want, norm) CHECK(td_validate_phone, in, want, norm)
#define POST(in, want, norm) CHECK(td_validate_postcode, in, want, norm)
#define SIRET(in, want, norm) CHECK(td_validate_siret, in, want, norm)

static void names(void **state)
{
	NAME("Jean-Luc", TD_V_OK, "Jean-Luc");
	NAME("N'Diaye", TD_V_OK, "N'Diaye");
	NAME("O’Brien", TD_V_OK, "O'Brien");
	NAME("Oʼ" "Neil", TD_V_OK, "O'Neil");
	NAME("  Zoé   Martin ", TD_V_OK, "Zoé Martin");
	NAME("\tZoé\xc2\xa0Martin\xe2\x80\xaf", TD_V_OK, "Zoé Martin");
	NAME("Zoe\xcc\x81", TD_V_OK, "Zoé");       /* decomposed -> NFC */
	NAME("Łukasz Żółć", TD_V_OK, "Łukasz Żółć");
	NAME("李小龍", TD_V_OK, "李小龍");
	NAME("Jean\xe2\x80\x91Luc", TD_V_OK, "Jean-Luc");
	NAME("de La Fontaine", TD_V_OK, "de La Fontaine");

	NAME("", TD_V_EMPTY, "");
	NAME("   ", TD_V_EMPTY, "");
	NAME("Dupont2", TD_V_BAD_CHAR, "");
	NAME("Dupont!", TD_V_BAD_CHAR, "");
	NAME("Du\x01pont", TD_V_BAD_CHAR, "");
	NAME("Du\xffpont", TD_V_BAD_CHAR, "");
	NAME("Jean.Luc", TD_V_BAD_CHAR, "");
	NAME("\xcc\x81" "abc", TD_V_BAD_CHAR, "");  /* mark with no base */
	NAME("--", TD_V_NAME_NO_LETTER, "");
	NAME("'", TD_V_NAME_NO_LETTER, "");
	NAME("Jean--Luc", TD_V_NAME_PUNCT, "");
	NAME("N''Diaye", TD_V_NAME_PUNCT, "");
	NAME("-Dupont", TD_V_NAME_PUNCT, "");
	NAME("Dupont-", TD_V_NAME_PUNCT, "");
	NAME("'Dupont", TD_V_NAME_PUNCT, "");
	NAME("Jean -Luc", TD_V_NAME_PUNCT, "");
	NAME("Jean-'Luc", TD_V_NAME_PUNCT, "");
}

static void name_lengths(void **state)
{
	char in[TD_NAME_MAX * 2 + 8], out[512];
	size_t k;

	/* exactly TD_NAME_MAX code points (2 bytes each) pass */
	for (k = 0; k < TD_NAME_MAX; k++)
		memcpy(in + 2 * k, "é", 2);
	in[2 * TD_NAME_MAX] = '\0';
	assert_int_equal(td_validate_name(in, out, sizeof out), TD_V_OK);
	assert_int_equal(td_utf8_count(out), TD_NAME_MAX);
	memcpy(in + 2 * TD_NAME_MAX, "a", 2);
	assert_int_equal(td_validate_name(in, out, sizeof out), TD_V_TOO_LONG);
	/* too small an output buffer is reported, never overrun */
	assert_int_equal(td_validate_name("Martin", out, 6), TD_V_TOO_LONG);
	assert_int_equal(td_validate_name("Martin", out, 7), TD_V_OK);
	assert_int_equal(td_validate_name(NULL, out, sizeof out), TD_V_EMPTY);
}

static void name_paste(void **state)
{
	enum { N = 10000 };
	char *big = malloc(N + 1), out[512];

	assert_non_null(big);
	memset(big, 'a', N);
	big[N] = '\0';
	assert_int_equal(td_validate_name(big, out, sizeof out), TD_V_TOO_LONG);
	big[N - 1] = '7';       /* a bad character far away still counts */
	assert_int_equal(td_validate_name(big, out, sizeof out), TD_V_BAD_CHAR);
	free(big);
}

static void cities(void **state)
{
	CITY("Saint-Dié-des-Vosges", TD_V_OK, "Saint-Dié-des-Vosges");
	CITY("Metz (57)", TD_V_OK, "Metz (57)");
	CITY("St. Avold", TD_V_OK, "St. Avold");
	CITY("L'Hôpital", TD_V_OK, "L'Hôpital");
	CITY(" Esch-sur-Alzette ", TD_V_OK, "Esch-sur-Alzette");
	CITY("Paris 15", TD_V_OK, "Paris 15");
	CITY("57000", TD_V_NAME_NO_LETTER, "");
	CITY("Metz (57", TD_V_NAME_PUNCT, "");
	CITY("Metz 57)", TD_V_NAME_PUNCT, "");
	CITY("Metz ((57))", TD_V_NAME_PUNCT, "");
	CITY("Metz..", TD_V_NAME_PUNCT, "");
	CITY(".Metz", TD_V_NAME_PUNCT, "");
	CITY("Metz--Nord", TD_V_NAME_PUNCT, "");
	CITY("Metz/Nord", TD_V_BAD_CHAR, "");
	CITY("", TD_V_EMPTY, "");
}

static void emails(void **state)
{
	EMAIL("jean.dupont@example.fr", TD_V_OK, "jean.dupont@example.fr");
	EMAIL("A@EXAMPLE.FR", TD_V_OK, "A@example.fr");
	EMAIL("  a@x.fr  ", TD_V_OK, "a@x.fr");
	EMAIL("élodie@exemple.fr", TD_V_OK, "élodie@exemple.fr");
	EMAIL("o'brien+tag@mail.example.co.uk", TD_V_OK,
	      "o'brien+tag@mail.example.co.uk");
	EMAIL("x!#$%&*/=?^_`{|}~-@a-b.c0.fr", TD_V_OK,
	      "x!#$%&*/=?^_`{|}~-@a-b.c0.fr");
	EMAIL("a@Café.FR", TD_V_OK, "a@café.fr");
	EMAIL("a@example.xn--p1ai", TD_V_OK, "a@example.xn--p1ai");

	EMAIL("", TD_V_EMPTY, "");
	EMAIL("a b@x.fr", TD_V_EMAIL_SPACE, "");
	EMAIL("a@x .fr", TD_V_EMAIL_SPACE, "");
	EMAIL("a\xc2\xa0" "b@x.fr", TD_V_EMAIL_SPACE, "");
	EMAIL("ax.fr", TD_V_EMAIL_NO_AT, "");
	EMAIL("a@b@x.fr", TD_V_EMAIL_NO_AT, "");
	EMAIL("@x.fr", TD_V_EMAIL_LOCAL, "");
	EMAIL("a(b)@x.fr", TD_V_EMAIL_LOCAL, "");
	EMAIL("a\"b@x.fr", TD_V_EMAIL_LOCAL, "");
	EMAIL("a€@x.fr", TD_V_EMAIL_LOCAL, "");
	EMAIL("a..b@x.fr", TD_V_EMAIL_DOTS, "");
	EMAIL(".a@x.fr", TD_V_EMAIL_DOTS, "");
	EMAIL("a.@x.fr", TD_V_EMAIL_DOTS, "");
	EMAIL("a@x..fr", TD_V_EMAIL_DOTS, "");
	EMAIL("a@.x.fr", TD_V_EMAIL_DOTS, "");
	EMAIL("a@x.fr.", TD_V_EMAIL_DOTS, "");
	EMAIL("a@localhost", TD_V_EMAIL_NO_DOT, "");
	EMAIL("a@", TD_V_EMAIL_DOMAIN, "");
	EMAIL("a@-x.fr", TD_V_EMAIL_DOMAIN, "");
	EMAIL("a@x-.fr", TD_V_EMAIL_DOMAIN, "");
	EMAIL("a@x.f", TD_V_EMAIL_DOMAIN, "");
	EMAIL("a@x.f2", TD_V_EMAIL_DOMAIN, "");
	EMAIL("a@1.2.3.4", TD_V_EMAIL_DOMAIN, "");
	EMAIL("a@x_y.fr", TD_V_EMAIL_DOMAIN, "");
	EMAIL("a@[1.2.3.4]", TD_V_EMAIL_DOMAIN, "");
	EMAIL("a\x01@x.fr", TD_V_BAD_CHAR, "");
	EMAIL("a\xff@x.fr", TD_V_BAD_CHAR, "");
}

static void email_lengths(void **state)
{
	char in[400], out[512];

	/* local part: 64 bytes ok, 65 too long */
	memset(in, 'a', 64);
	strcpy(in + 64, "@x.fr");
	assert_int_equal(td_validate_email(in, out, sizeof out), TD_V_OK);
	memset(in, 'a', 65);
	strcpy(in + 65, "@x.fr");
	assert_int_equal(td_validate_email(in, out, sizeof out),
			 TD_V_TOO_LONG);
	/* domain label of 64 characters is invalid */
	memset(in, 'b', sizeof in);
	memcpy(in, "a@", 2);
	strcpy(in + 2 + 64, ".fr");
	assert_int_equal(td_validate_email(in, out, sizeof out),
			 TD_V_EMAIL_DOMAIN);
	/* 254 bytes total ok, 255 too long: 60-byte labels */
	{
		char *p = in;
		size_t k;
		*p++ = 'a';
		*p++ = '@';
		for (k = 0; k < 4; k++) {
			memset(p, 'c', 60);
			p += 60;
			*p++ = '.';
		}
		strcpy(p, "frfrfrfr");  /* 2 + 244 + 8 = 254 */
		assert_int_equal(strlen(in), 254);
		assert_int_equal(td_validate_email(in, out, sizeof out),
				 TD_V_OK);
		strcpy(p, "frfrfrfrf");
		assert_int_equal(td_validate_email(in, out, sizeof out),
				 TD_V_TOO_LONG);
	}
	assert_int_equal(td_validate_email("a@x.fr", out, 6), TD_V_TOO_LONG);
	assert_int_equal(td_validate_email("a@x.fr", out, 7), TD_V_OK);
}

static void phones_fr(void **state)
{
	PHONE("0612345678", TD_V_OK, "+33612345678");
	PHONE("06 12 34 56 78", TD_V_OK, "+33612345678");
	PHONE("06.12.34.56.78", TD_V_OK, "+33612345678");
	PHONE("06-12-34-56-78", TD_V_OK, "+33612345678");
	PHONE("06/12/34/56/78", TD_V_OK, "+33612345678");
	PHONE(" 03 82 12 34 56 ", TD_V_OK, "+33382123456");
	PHONE("(03) 82 12 34 56", TD_V_OK, "+33382123456");
	PHONE("06\xc2\xa0" "12\xe2\x80\xaf" "34 56 78", TD_V_OK, "+33612345678");
	PHONE("+33612345678", TD_V_OK, "+33612345678");
	PHONE("+33 6 12 34 56 78", TD_V_OK, "+33612345678");
	PHONE("+33 (0)6 12 34 56 78", TD_V_OK, "+33612345678");
	PHONE("+33(0)612345678", TD_V_OK, "+33612345678");
	PHONE("+33 ( 0 ) 3 82 12 34 56", TD_V_OK, "+33382123456");
	PHONE("0033 6 12 34 56 78", TD_V_OK, "+33612345678");
	PHONE("0033 (0)6 12 34 56 78", TD_V_OK, "+33612345678");
	PHONE("09 12 34 56 78", TD_V_OK, "+33912345678");
	PHONE("07 81 23 45 67", TD_V_OK, "+33781234567");

	PHONE("", TD_V_EMPTY, "");
	PHONE(" - ", TD_V_EMPTY, "");
	PHONE("06 12 34 56 7", TD_V_PHONE_FR, "");
	PHONE("06 12 34 56 789", TD_V_PHONE_FR, "");
	PHONE("00 12 34 56 78", TD_V_PHONE_COUNTRY, "");
	PHONE("6 12 34 56 78", TD_V_PHONE_FR, "");
	PHONE("+33 06 12 34 56 78", TD_V_PHONE_FR, "");
	PHONE("+33 0 12 34 56 78", TD_V_PHONE_FR, "");
	PHONE("+33 6 12 34 56 7", TD_V_PHONE_FR, "");
	PHONE("+33", TD_V_PHONE_FR, "");
	/* 14-digit M2M and special plans do not reach a person */
	PHONE("07 00 12 34 56 78 90", TD_V_PHONE_FR, "");
	PHONE("0901 23 45 67 89 01", TD_V_PHONE_FR, "");
	PHONE("+33 700 12 34 56 78 90", TD_V_PHONE_FR, "");
	PHONE("0612345678901234567890123456789", TD_V_PHONE_FR, "");
	PHONE("06 12 34 56 78 poste 12", TD_V_PHONE_CHARS, "");
	PHONE("06 12 34 56 7O", TD_V_PHONE_CHARS, "");
	PHONE("06+12345678", TD_V_PHONE_CHARS, "");
	PHONE("++33612345678", TD_V_PHONE_CHARS, "");
	PHONE("06\xff" "12345678", TD_V_PHONE_CHARS, "");
}

static void phones_lu(void **state)
{
	PHONE("+352 621 123 456", TD_V_OK, "+352621123456");
	PHONE("00352 661 123 456", TD_V_OK, "+352661123456");
	PHONE("+352621123456", TD_V_OK, "+352621123456");
	PHONE("+352 (0)691 123 456", TD_V_OK, "+352691123456");
	PHONE("+352 12345", TD_V_OK, "+35212345");
	PHONE("+352 44 55 66", TD_V_OK, "+352445566");
	PHONE("+352 12345678901", TD_V_OK, "+35212345678901");
	PHONE("+352 1234", TD_V_PHONE_LU, "");
	PHONE("+352 123456789012", TD_V_PHONE_LU, "");
	PHONE("+352 0621 123 456", TD_V_PHONE_LU, "");
	PHONE("+352", TD_V_PHONE_LU, "");

	PHONE("+49 30 1234567", TD_V_PHONE_COUNTRY, "");
	PHONE("0049 30 1234567", TD_V_PHONE_COUNTRY, "");
	PHONE("+32 2 123 45 67", TD_V_PHONE_COUNTRY, "");
	PHONE("+377 93 15 00 00", TD_V_PHONE_COUNTRY, "");
	PHONE("+", TD_V_PHONE_COUNTRY, "");
}

static void phone_display(void **state)
{
	char out[64];

	td_phone_display("+33612345678", out, sizeof out);
	assert_string_equal(out, "+33 6 12 34 56 78");
	td_phone_display("+352621123456", out, sizeof out);
	assert_string_equal(out, "+352 621 123 456");
	td_phone_display("+352445566", out, sizeof out);
	assert_string_equal(out, "+352 44 55 66");
	td_phone_display("+35224784567", out, sizeof out);
	assert_string_equal(out, "+352 24 78 45 67");
	td_phone_display("+35212345", out, sizeof out);
	assert_string_equal(out, "+352 123 45");
	td_phone_display("+3521234567", out, sizeof out);
	assert_string_equal(out, "+352 123 45 67");
	td_phone_display("+35212345678901", out, sizeof out);
	assert_string_equal(out, "+352 123 45 67 89 01");
	/* anything else is copied */
	td_phone_display("06 12", out, sizeof out);
	assert_string_equal(out, "06 12");
	td_phone_display("+3361234567", out, sizeof out);
	assert_string_equal(out, "+3361234567");
	td_phone_display("+49301234567", out, sizeof out);
	assert_string_equal(out, "+49301234567");
	td_phone_display("", out, sizeof out);
	assert_string_equal(out, "");
	assert_int_equal(td_phone_display("+33612345678", out, 8), 7);
	assert_string_equal(out, "+33 6 1");

	/* every validated number round-trips through its display form */
	{
		const char *in[] = { "06 12 34 56 78", "+352 621 123 456",
				     "+352 44 55 66", "0033 3 82 12 34 56" };
		for (size_t k = 0; k < sizeof in / sizeof in[0]; k++) {
			char e[32], e2[32];
			assert_int_equal(td_validate_phone(in[k], e, sizeof e),
					 TD_V_OK);
			td_phone_display(e, out, sizeof out);
			assert_int_equal(td_validate_phone(out, e2, sizeof e2),
					 TD_V_OK);
			assert_string_equal(e, e2);
		}
	}
}

static void postcodes(void **state)
{
	POST("57000", TD_V_OK, "57000");
	POST(" 88000 ", TD_V_OK, "88000");
	POST("01000", TD_V_OK, "01000");
	POST("L-4362", TD_V_OK, "L-4362");
	POST("L 1234", TD_V_OK, "L-1234");
	POST("l-1234", TD_V_OK, "L-1234");
	POST("L1234", TD_V_OK, "L-1234");
	POST("L - 1234", TD_V_OK, "L-1234");
	POST("", TD_V_EMPTY, "");
	POST("5700", TD_V_POSTCODE, "");
	POST("570000", TD_V_POSTCODE, "");
	POST("57 000", TD_V_POSTCODE, "");
	POST("5700A", TD_V_POSTCODE, "");
	POST("00100", TD_V_POSTCODE, "");
	POST("1234", TD_V_POSTCODE, "");
	POST("L-123", TD_V_POSTCODE, "");
	POST("L-12345", TD_V_POSTCODE, "");
	POST("L--1234", TD_V_POSTCODE, "");
	POST("L-0123", TD_V_POSTCODE, "");
	POST("Lx1234", TD_V_POSTCODE, "");
	POST("D-12345", TD_V_POSTCODE, "");
}

static void sirets(void **state)
{
	SIRET("732829320", TD_V_OK, "732829320");
	SIRET("732 829 320", TD_V_OK, "732829320");
	SIRET("73282932000074", TD_V_OK, "73282932000074");
	SIRET("732 829 320 00074", TD_V_OK, "73282932000074");
	SIRET("732.829.320.00074", TD_V_OK, "73282932000074");
	SIRET("356000000", TD_V_OK, "356000000");
	/* La Poste: fails Luhn, digit sum 15 */
	SIRET("35600000000001", TD_V_OK, "35600000000001");
	SIRET("356 000 000 00001", TD_V_OK, "35600000000001");

	SIRET("73282932000075", TD_V_SIRET_CHECKSUM, "");
	SIRET("732829321", TD_V_SIRET_CHECKSUM, "");
	SIRET("35600000000002", TD_V_SIRET_CHECKSUM, "");
	/* the La Poste rule is for SIRETs of that SIREN only */
	SIRET("35700000000001", TD_V_SIRET_CHECKSUM, "");
	SIRET("12345678", TD_V_SIRET_DIGITS, "");
	SIRET("1234567890", TD_V_SIRET_DIGITS, "");
	SIRET("732829320000740", TD_V_SIRET_DIGITS, "");
	SIRET("7328293200007400000000000", TD_V_SIRET_DIGITS, "");
	SIRET("732-829-320", TD_V_SIRET_DIGITS, "");
	SIRET("FR732829320", TD_V_SIRET_DIGITS, "");
	SIRET("", TD_V_EMPTY, "");
	SIRET(" . ", TD_V_EMPTY, "");

	assert_true(td_luhn_ok("732829320"));
	assert_true(td_luhn_ok("79927398713"));
	assert_false(td_luhn_ok("79927398710"));
	assert_false(td_luhn_ok(""));
	assert_false(td_luhn_ok(NULL));
	assert_false(td_luhn_ok("7329a"));
}

static void free_text(void **state)
{
	char out[64];
	char *big;

	assert_int_equal(td_validate_text("  Mon   projet \x1b[31m!\x1b[0m ",
					  0, false, out, sizeof out), TD_V_OK);
	assert_string_equal(out, "Mon projet !");
	assert_int_equal(td_validate_text("ligne 1\r\nligne 2\n\n", 0, true,
					  out, sizeof out), TD_V_OK);
	assert_string_equal(out, "ligne 1\nligne 2");
	assert_int_equal(td_validate_text("a\nb", 0, false, out, sizeof out),
			 TD_V_OK);
	assert_string_equal(out, "a b");
	assert_int_equal(td_validate_text(" \x1b[0m\t ", 10, false, out,
					  sizeof out), TD_V_EMPTY);
	assert_int_equal(td_validate_text("éééé", 3, false, out, sizeof out),
			 TD_V_TOO_LONG);
	assert_string_equal(out, "ééé");
	assert_int_equal(td_validate_text("éééé", 4, false, out, sizeof out),
			 TD_V_OK);
	assert_int_equal(td_validate_text(NULL, 4, false, out, sizeof out),
			 TD_V_EMPTY);

	/* a 10,000-character paste: refused, cut on a character boundary */
	big = malloc(20001);
	assert_non_null(big);
	for (size_t k = 0; k < 10000; k++)
		memcpy(big + 2 * k, "ç", 2);
	big[20000] = '\0';
	assert_int_equal(td_validate_text(big, TD_TITLE_MAX, false, out,
					  sizeof out), TD_V_TOO_LONG);
	assert_true(td_utf8_valid(out, strlen(out)));
	assert_int_equal(strlen(out), 62);
	{
		char wide[TD_DESC_MAX * 4 + 1];
		assert_int_equal(td_validate_text(big, TD_DESC_MAX, true, wide,
						  sizeof wide), TD_V_TOO_LONG);
		assert_int_equal(td_utf8_count(wide), TD_DESC_MAX);
		big[2 * TD_DESC_MAX] = '\0';
		assert_int_equal(td_validate_text(big, TD_DESC_MAX, true, wide,
						  sizeof wide), TD_V_OK);
	}
	free(big);
}

static void messages(void **state)
{
	/* one distinct, non-empty sentence per code, ending with a full
	 * stop; unknown codes still give a sentence */
	for (int a = 0; a < TD_V_COUNT; a++) {
		const char *m = td_vcode_message((enum td_vcode)a);
		assert_non_null(m);
		assert_true(strlen(m) > 10);
		assert_int_equal(m[strlen(m) - 1], '.');
		for (int b = 0; b < a; b++)
			assert_string_not_equal(m,
				td_vcode_message((enum td_vcode)b));
	}
	assert_non_null(td_vcode_message(TD_V_COUNT));
	assert_non_null(td_vcode_message((enum td_vcode)-1));
	assert_non_null(strstr(td_vcode_message(TD_V_EMAIL_NO_DOT),
			       "name@example.fr"));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(names),
		cmocka_unit_test(name_lengths),
		cmocka_unit_test(name_paste),
		cmocka_unit_test(cities),
		cmocka_unit_test(emails),
		cmocka_unit_test(email_lengths),
		cmocka_unit_test(phones_fr),
		cmocka_unit_test(phones_lu),
		cmocka_unit_test(phone_display),
		cmocka_unit_test(postcodes),
		cmocka_unit_test(sirets),
		cmocka_unit_test(free_text),
		cmocka_unit_test(messages),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
