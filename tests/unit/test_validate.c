#include "totemdesk/intake.h"
#include "totemdesk/validate.h"
#include "totemdesk/text.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdio.h>
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
#define SIRET(in, want, norm) CHECK(td_validate_siret, in, want, norm)

/* The same for the validators that read a value as written in a country. */
#define CHECK_IN(fn, c, in, want, norm) do { \
		char out_[512]; \
		enum td_vcode v_ = fn((c), (in), out_, sizeof out_); \
		if (v_ != (want)) \
			fail_msg("%s(%s, \"%s\") = %d, want %d", #fn, #c, \
				 (in), (int)v_, (int)(want)); \
		if ((want) == TD_V_OK) \
			assert_string_equal(out_, (norm)); \
		else \
			assert_string_equal(out_, ""); \
	} while (0)

#define FR TD_COUNTRY_FR
#define LU TD_COUNTRY_LU
#define DE TD_COUNTRY_DE
#define BE TD_COUNTRY_BE
#define OTHER TD_COUNTRY_OTHER
#define PHONE_IN(c, in, want, norm) CHECK_IN(td_validate_phone, c, in, want, norm)
#define PHONE(in, want, norm) PHONE_IN(FR, in, want, norm)
#define POST(c, in, want, norm) CHECK_IN(td_validate_postcode, c, in, want, norm)
#define COMPANY(c, in, want, norm) CHECK_IN(td_validate_company, c, in, want, norm)

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
	/* as libphonenumber reads them: the trunk 0 after +33, or left
	 * out, and the country code without + */
	PHONE("+33 06 12 34 56 78", TD_V_OK, "+33612345678");
	PHONE("6 12 34 56 78", TD_V_OK, "+33612345678");
	PHONE("33 6 12 34 56 78", TD_V_OK, "+33612345678");

	PHONE("", TD_V_EMPTY, "");
	PHONE(" - ", TD_V_EMPTY, "");
	PHONE("06 12 34 56 7", TD_V_PHONE_FR, "");
	PHONE("06 12 34 56 789", TD_V_PHONE_FR, "");
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

/* Issue 12: the overseas departments share France's ten-digit national
 * form, not its country code. */
static void phones_overseas(void **state)
{
	PHONE("06 96 90 18 24", TD_V_OK, "+596696901824");      /* Martinique */
	PHONE("0596 61 23 45", TD_V_OK, "+596596612345");
	PHONE("06 90 12 34 56", TD_V_OK, "+590690123456");      /* Guadeloupe */
	PHONE("06 94 20 12 34", TD_V_OK, "+594694201234");      /* Guyane */
	PHONE("02 62 12 34 56", TD_V_OK, "+262262123456");      /* Réunion */
	PHONE("06 39 40 12 34", TD_V_OK, "+262639401234");      /* Mayotte */
	/* the international form always works, from any country */
	PHONE("+596 696 90 18 24", TD_V_OK, "+596696901824");
	PHONE_IN(LU, "+596 696 90 18 24", TD_V_OK, "+596696901824");
	PHONE_IN(OTHER, "00596 696 90 18 24", TD_V_OK, "+596696901824");
	/* +33 is not their code: said so */
	PHONE("+33 6 96 90 18 24", TD_V_PHONE_DOM_CC, "");
	PHONE("+596 696 90 18 2", TD_V_PHONE_DOM, "");
	/* in France's national form, a service number stays French */
	PHONE("0800 12 34 56", TD_V_OK, "+33800123456");
}

static void phones_lu(void **state)
{
	PHONE("+352 621 123 456", TD_V_OK, "+352621123456");
	PHONE("00352 661 123 456", TD_V_OK, "+352661123456");
	PHONE("+352621123456", TD_V_OK, "+352621123456");
	PHONE("+352 44 55 66", TD_V_OK, "+352445566");
	PHONE("+352 12345", TD_V_PHONE_LU, "");
	PHONE("+352 0621 123 456", TD_V_PHONE_LU, "");
	PHONE("+352", TD_V_PHONE_LU, "");
	/* the national form, without trunk prefix; the country code
	 * typed without + */
	PHONE_IN(LU, "621 123 456", TD_V_OK, "+352621123456");
	PHONE_IN(LU, "44 55 66", TD_V_OK, "+352445566");
	PHONE_IN(LU, "352 621 123 456", TD_V_OK, "+352621123456");
	PHONE_IN(LU, "06 12 34 56 78", TD_V_PHONE_LU, "");
	PHONE_IN(LU, "+33 6 12 34 56 78", TD_V_OK, "+33612345678");
}

static void phones_de_be(void **state)
{
	/* issue 12: a founder from Saarbrücken */
	PHONE("+49 681 1234567", TD_V_OK, "+496811234567");
	PHONE_IN(DE, "0681 1234567", TD_V_OK, "+496811234567");
	PHONE_IN(DE, "0681/123 45 67", TD_V_OK, "+496811234567");
	PHONE_IN(DE, "+49 (0)681 1234567", TD_V_OK, "+496811234567");
	PHONE_IN(DE, "0049 681 1234567", TD_V_OK, "+496811234567");
	PHONE_IN(DE, "0151 23456789", TD_V_OK, "+4915123456789");
	PHONE_IN(DE, "030 1234567", TD_V_OK, "+49301234567");
	PHONE_IN(DE, "0681", TD_V_PHONE_DE, "");
	PHONE_IN(DE, "0151 234", TD_V_PHONE_DE, "");
	PHONE("+49 681", TD_V_PHONE_DE, "");
	/* ... and one from Arlon */
	PHONE("+32 63 12 34 56", TD_V_OK, "+3263123456");
	PHONE_IN(BE, "063 12 34 56", TD_V_OK, "+3263123456");
	PHONE_IN(BE, "0470 12 34 56", TD_V_OK, "+32470123456");
	PHONE_IN(BE, "02 223 45 67", TD_V_OK, "+3222234567");
	PHONE_IN(BE, "063 12 34 5", TD_V_PHONE_BE, "");
	PHONE_IN(BE, "0470 12 34 5", TD_V_PHONE_BE, "");
	PHONE("+32 63 12 34 5", TD_V_PHONE_BE, "");
	/* a French number typed for a German or Belgian visitor */
	PHONE_IN(DE, "+33 6 12 34 56 78", TD_V_OK, "+33612345678");
	PHONE_IN(BE, "0033 6 12 34 56 78", TD_V_OK, "+33612345678");
}

static void phones_other(void **state)
{
	PHONE_IN(OTHER, "+41 22 123 45 67", TD_V_OK, "+41221234567");
	PHONE_IN(OTHER, "0041 22 123 45 67", TD_V_OK, "+41221234567");
	PHONE_IN(OTHER, "+44 (0)20 7946 0958", TD_V_OK, "+442079460958");
	PHONE_IN(OTHER, "+39 06 1234 5678", TD_V_OK, "+390612345678");
	PHONE_IN(OTHER, "+1 212 555 0123", TD_V_OK, "+12125550123");
	PHONE("+41 22 123 45 67", TD_V_OK, "+41221234567");
	/* the national form means nothing without a country */
	PHONE_IN(OTHER, "022 123 45 67", TD_V_PHONE_INTL, "");
	PHONE_IN(OTHER, "06 12 34 56 78", TD_V_PHONE_INTL, "");
	PHONE_IN((enum td_country)99, "06 12 34 56 78", TD_V_PHONE_INTL, "");
	/* no such country code */
	PHONE_IN(OTHER, "+999 12345678", TD_V_PHONE_CC, "");
	PHONE_IN(OTHER, "+0 12345678", TD_V_PHONE_CC, "");
	PHONE_IN(OTHER, "+", TD_V_PHONE_CC, "");
	PHONE("00 12 34 56 78", TD_V_PHONE_LENGTH, "");	/* +1 234 5678 */
	PHONE_IN(OTHER, "+41 22", TD_V_PHONE_LENGTH, "");
	PHONE_IN(OTHER, "+41 22 123 45 67 89 01 23", TD_V_PHONE_LENGTH, "");
}

static void phone_display(void **state)
{
	static const struct { const char *e164, *shown; } cases[] = {
		{ "+33612345678", "+33 6 12 34 56 78" },
		{ "+596696901824", "+596 696 90 18 24" },
		{ "+262262123456", "+262 262 12 34 56" },
		{ "+352621123456", "+352 621 123 456" },
		{ "+352445566", "+352 44 55 66" },
		{ "+35224784567", "+352 24 78 45 67" },
		{ "+3522478456", "+352 247 84 56" },
		{ "+496811234567", "+49 681 1234567" },
		{ "+49301234567", "+49 30 1234567" },
		{ "+4915123456789", "+49 151 23456789" },
		{ "+4968981234567", "+49 68981234567" },
		{ "+3263123456", "+32 63 12 34 56" },
		{ "+3222234567", "+32 2 223 45 67" },
		{ "+32470123456", "+32 470 12 34 56" },
		{ "+41221234567", "+41 221234567" },
		{ "+12125550123", "+1 2125550123" },
		/* anything else is copied */
		{ "06 12", "06 12" },
		{ "+3361234567", "+3361234567" },
		{ "+99912345", "+99912345" },
		{ "", "" },
	};
	char out[64];

	for (size_t k = 0; k < sizeof cases / sizeof cases[0]; k++) {
		td_phone_display(cases[k].e164, out, sizeof out);
		assert_string_equal(out, cases[k].shown);
		if (cases[k].e164[0] == '+' && strcmp(cases[k].e164, out) != 0) {
			/* every grouped number reads back the same */
			char e[32];
			assert_int_equal(td_validate_phone(OTHER, out, e,
							   sizeof e), TD_V_OK);
			assert_string_equal(e, cases[k].e164);
		}
	}
	assert_int_equal(td_phone_display("+33612345678", out, 8), 7);
	assert_string_equal(out, "+33 6 1");
	assert_int_equal(td_phone_display(NULL, out, sizeof out), 0);
}

static void postcodes(void **state)
{
	POST(FR, "57000", TD_V_OK, "57000");
	POST(FR, " 88000 ", TD_V_OK, "88000");
	POST(FR, "01000", TD_V_OK, "01000");
	POST(FR, "97200", TD_V_OK, "97200");
	POST(FR, "", TD_V_EMPTY, "");
	POST(FR, "5700", TD_V_POSTCODE_FR, "");
	POST(FR, "570000", TD_V_POSTCODE_FR, "");
	POST(FR, "57 000", TD_V_POSTCODE_FR, "");
	POST(FR, "5700A", TD_V_POSTCODE_FR, "");
	POST(FR, "00100", TD_V_POSTCODE_FR, "");
	POST(FR, "L-4362", TD_V_POSTCODE_FR, "");
	POST(FR, "F-57000", TD_V_POSTCODE_FR, "");

	POST(LU, "L-4362", TD_V_OK, "L-4362");
	POST(LU, "L 1234", TD_V_OK, "L-1234");
	POST(LU, "l-1234", TD_V_OK, "L-1234");
	POST(LU, "L1234", TD_V_OK, "L-1234");
	POST(LU, "L - 1234", TD_V_OK, "L-1234");
	POST(LU, "1234", TD_V_OK, "L-1234");
	POST(LU, "L-123", TD_V_POSTCODE_LU, "");
	POST(LU, "L-12345", TD_V_POSTCODE_LU, "");
	POST(LU, "L--1234", TD_V_POSTCODE_LU, "");
	POST(LU, "L-0123", TD_V_POSTCODE_LU, "");
	POST(LU, "Lx1234", TD_V_POSTCODE_LU, "");
	POST(LU, "57000", TD_V_POSTCODE_LU, "");

	/* issue 12: Saarbrücken and Arlon */
	POST(DE, "66111", TD_V_OK, "66111");
	POST(DE, "D-66111", TD_V_OK, "66111");
	POST(DE, "d 66111", TD_V_OK, "66111");
	POST(DE, "01067", TD_V_OK, "01067");
	POST(DE, "6611", TD_V_POSTCODE_DE, "");
	POST(DE, "00111", TD_V_POSTCODE_DE, "");
	POST(DE, "B-6700", TD_V_POSTCODE_DE, "");
	POST(BE, "6700", TD_V_OK, "6700");
	POST(BE, "B-6700", TD_V_OK, "6700");
	POST(BE, "b6700", TD_V_OK, "6700");
	POST(BE, "0700", TD_V_POSTCODE_BE, "");
	POST(BE, "67000", TD_V_POSTCODE_BE, "");
	POST(BE, "D-6700", TD_V_POSTCODE_BE, "");

	POST(OTHER, "SW1A 1AA", TD_V_OK, "SW1A 1AA");
	POST(OTHER, "sw1a  1aa", TD_V_OK, "SW1A 1AA");
	POST(OTHER, "1012 AB", TD_V_OK, "1012 AB");
	POST(OTHER, "12345-6789", TD_V_OK, "12345-6789");
	POST(OTHER, "8001", TD_V_OK, "8001");
	POST(OTHER, "1", TD_V_POSTCODE_OTHER, "");
	POST(OTHER, "12345678901", TD_V_POSTCODE_OTHER, "");
	POST(OTHER, "12_34", TD_V_POSTCODE_OTHER, "");
	POST(OTHER, "Zürich", TD_V_POSTCODE_OTHER, "");
	POST(OTHER, "  ", TD_V_EMPTY, "");
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
	SIRET("35700000000001", TD_V_SIRET_SIREN, "");
	/* issue 11: Luhn holds over the 14 digits, not over the SIREN */
	assert_true(td_luhn_ok("67014872456000"));
	assert_false(td_luhn_ok("670148724"));
	SIRET("67014872456000", TD_V_SIRET_SIREN, "");
	SIRET("670 148 724 56000", TD_V_SIRET_SIREN, "");
	SIRET("12345678", TD_V_SIRET_DIGITS, "");
	SIRET("1234567890", TD_V_SIRET_DIGITS, "");
	SIRET("732829320000740", TD_V_SIRET_DIGITS, "");
	SIRET("7328293200007400000000000", TD_V_SIRET_DIGITS, "");
	SIRET("FR732829320", TD_V_SIRET_DIGITS, "");
	SIRET("", TD_V_EMPTY, "");
	SIRET(" . ", TD_V_SIRET_DIGITS, "");

	assert_true(td_luhn_ok("732829320"));
	assert_true(td_luhn_ok("79927398713"));
	assert_false(td_luhn_ok("79927398710"));
	assert_false(td_luhn_ok(""));
	assert_false(td_luhn_ok(NULL));
	assert_false(td_luhn_ok("7329a"));
}

static void companies(void **state)
{
	/* France, whatever the holder's country */
	COMPANY(FR, "732 829 320 00074", TD_V_OK, "73282932000074");
	COMPANY(LU, "732829320", TD_V_OK, "732829320");
	COMPANY(FR, "67014872456000", TD_V_SIRET_SIREN, "");
	COMPANY(FR, "73282932000075", TD_V_SIRET_CHECKSUM, "");
	COMPANY(FR, "35600000000001", TD_V_OK, "35600000000001");
	COMPANY(FR, "12345", TD_V_SIRET_DIGITS, "");
	COMPANY(FR, "n/a", TD_V_SIRET_DIGITS, "");

	/* Belgium: BCE/KBO, mod 97 */
	COMPANY(BE, "0566.988.259", TD_V_OK, "0566.988.259");
	COMPANY(BE, "0566 988 259", TD_V_OK, "0566.988.259");
	COMPANY(BE, "BE 0566988259", TD_V_OK, "0566.988.259");
	COMPANY(BE, "566.988.259", TD_V_OK, "0566.988.259");
	COMPANY(FR, "0566.988.259", TD_V_OK, "0566.988.259");
	COMPANY(FR, "BE0566988259", TD_V_OK, "0566.988.259");
	COMPANY(BE, "0566.988.258", TD_V_BCE_CHECKSUM, "");
	COMPANY(BE, "0566.988.25", TD_V_BCE_CHECKSUM, "");
	COMPANY(BE, "2566.988.259", TD_V_BCE_CHECKSUM, "");
	COMPANY(BE, "12345", TD_V_BCE_DIGITS, "");
	COMPANY(BE, "B123456", TD_V_OK, "B123456");
	/* a French holder's ten digits that are no BCE number: a mistyped
	 * SIRET, said in French terms */
	COMPANY(FR, "7328293200", TD_V_SIRET_DIGITS, "");

	/* Luxembourg: RCS */
	COMPANY(LU, "B123456", TD_V_OK, "B123456");
	COMPANY(LU, "b 123 456", TD_V_OK, "B123456");
	COMPANY(LU, "RCS Luxembourg B123456", TD_V_OK, "B123456");
	COMPANY(LU, "R.C.S. Luxembourg B 12345", TD_V_OK, "B12345");
	COMPANY(FR, "B12", TD_V_OK, "B12");
	COMPANY(LU, "B1234567", TD_V_RCS_LU, "");
	COMPANY(LU, "BB123", TD_V_RCS_LU, "");
	COMPANY(LU, "123456", TD_V_RCS_LU, "");

	/* Germany: court, register, number */
	COMPANY(DE, "Amtsgericht Saarbrücken HRB 12345", TD_V_OK,
		"Saarbrücken HRB 12345");
	COMPANY(DE, "Saarbrücken HRB 12345", TD_V_OK, "Saarbrücken HRB 12345");
	COMPANY(DE, "HRB 12345, AG Saarbrücken", TD_V_OK,
		"Saarbrücken HRB 12345");
	COMPANY(DE, "HRA12345 Saarbrücken", TD_V_OK, "Saarbrücken HRA 12345");
	COMPANY(DE, "Saarbrücken HR B 012345", TD_V_OK, "Saarbrücken HRB 12345");
	COMPANY(DE, "Berlin (Charlottenburg) HRB 12345 B", TD_V_OK,
		"Berlin (Charlottenburg) HRB 12345 B");
	COMPANY(DE, "Amtsgericht Frankfurt am Main HRB Nr. 123456", TD_V_OK,
		"Frankfurt am Main HRB 123456");
	COMPANY(FR, "Saarbrücken HRB 12345", TD_V_OK, "Saarbrücken HRB 12345");
	COMPANY(DE, "HRB 12345", TD_V_HR_DE, "");
	COMPANY(DE, "Saarbrücken HRC 12345", TD_V_HR_DE, "");
	COMPANY(DE, "Saarbrücken HRB", TD_V_HR_DE, "");
	COMPANY(DE, "Saarbrücken HRB 12x45", TD_V_HR_DE, "");
	COMPANY(FR, "HRB 12345", TD_V_HR_DE, "");
	COMPANY(DE, "732829320", TD_V_OK, "732829320");

	/* elsewhere: as written */
	COMPANY(OTHER, "CHE-123.456.789", TD_V_OK, "CHE-123.456.789");
	COMPANY(OTHER, "  NL  123456789B01 ", TD_V_OK, "NL 123456789B01");
	COMPANY(OTHER, "123456789", TD_V_OK, "123456789");
	COMPANY(OTHER, "732829320", TD_V_OK, "732829320");
	COMPANY(OTHER, "0566988259", TD_V_OK, "0566.988.259");
	COMPANY(OTHER, "a_b", TD_V_COMPANY_OTHER, "");
	COMPANY(OTHER, "...", TD_V_COMPANY_OTHER, "");
	COMPANY(OTHER, "1234567890123456789012345678901", TD_V_COMPANY_OTHER,
		"");
	COMPANY(OTHER, "", TD_V_EMPTY, "");
	COMPANY(FR, NULL, TD_V_EMPTY, "");
}

/* The duplicate warning's key: one per company, whatever the holder's
 * country or the establishment. */
static void company_keys(void **state)
{
	static const struct { const char *a, *b; } same[] = {
		{ "73282932000074", "732829320" },
		{ "73282932000074", "73282932000082" },
		{ "0566.988.259", "0566.988.259" },
		{ "Saarbrücken HRB 12345", "saarbrucken HRB 12345" },
		{ "B123456", "B123456" },
		{ "CHE-123.456.789", "che 123 456 789" },
	};
	static const struct { const char *a, *b; } differ[] = {
		{ "732829320", "0732.829.320" },
		{ "Saarbrücken HRB 12345", "Saarbrücken HRA 12345" },
		{ "Saarbrücken HRB 12345", "Homburg HRB 12345" },
		{ "B123456", "A123456" },
		{ "B123456", "XX B123456" },
	};
	char ka[128], kb[128];

	for (size_t k = 0; k < sizeof same / sizeof same[0]; k++) {
		td_company_key(same[k].a, ka, sizeof ka);
		td_company_key(same[k].b, kb, sizeof kb);
		assert_string_equal(ka, kb);
		assert_true(ka[0] != '\0');
	}
	for (size_t k = 0; k < sizeof differ / sizeof differ[0]; k++) {
		td_company_key(differ[k].a, ka, sizeof ka);
		td_company_key(differ[k].b, kb, sizeof kb);
		assert_string_not_equal(ka, kb);
	}
	/* every stored form keys as its kind */
	assert_int_equal(td_company_key("732829320", ka, sizeof ka), 9);
	assert_string_equal(ka, "732829320");
	td_company_key("0566.988.259", ka, sizeof ka);
	assert_string_equal(ka, "BE0566988259");
	td_company_key("B123456", ka, sizeof ka);
	assert_string_equal(ka, "LUB123456");
	td_company_key("Saarbrücken HRB 12345 B", ka, sizeof ka);
	assert_string_equal(ka, "DEsaarbrucken|HRB12345B");
	td_company_key("CHE-123.456.789", ka, sizeof ka);
	assert_string_equal(ka, "XXCHE123456789");
	assert_int_equal(td_company_key("", ka, sizeof ka), 0);
	assert_string_equal(ka, "");
	assert_int_equal(td_company_key(NULL, ka, sizeof ka), 0);
	/* a short buffer is cut, never overrun */
	assert_int_equal(td_company_key("73282932000074", ka, 5), 4);
	assert_string_equal(ka, "7328");
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

/* A bidirectional control is refused, with its own message, in every
 * text an intake field or a free text takes (issue 13 point 8). */
static void bidi_refused(void **state)
{
	char out[256];
	struct td_intake rec = { 0 };
	(void)state;
	assert_int_equal(td_validate_text("Vrac \xe2\x80\xae \xc3\xa0 Metz", 100,
					  false, out, sizeof out), TD_V_BIDI);
	assert_int_equal(td_validate_text("a\xe2\x81\xa6" "b", 100, true, out,
					  sizeof out), TD_V_BIDI);
	assert_int_equal(td_validate_name("Lef\xe2\x80\xaa" "evre", out,
					  sizeof out), TD_V_BIDI);
	assert_int_equal(td_validate_city("Metz\xe2\x81\xa9", out, sizeof out),
			 TD_V_BIDI);
	for (int f = 0; f < TD_F_COUNT; f++) {
		if (td_fields[f].kind != TD_FK_TEXT)
			continue;
		memset(&rec, 0, sizeof rec);
		snprintf(td_intake_text(&rec, (enum td_field_id)f),
			 td_fields[f].size, "%s\xe2\x80\xae", td_fields[f].example);
		assert_int_equal(td_intake_check_field(&rec, (enum td_field_id)f,
						       0, out, sizeof out),
				 TD_V_BIDI);
	}
	assert_non_null(strstr(td_vcode_message(TD_V_BIDI), "direction"));
	assert_int_equal(td_validate_text("Vrac \xe2\x80\x8f ok", 100, false, out,
					  sizeof out), TD_V_OK);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(names),
		cmocka_unit_test(bidi_refused),
		cmocka_unit_test(name_lengths),
		cmocka_unit_test(name_paste),
		cmocka_unit_test(cities),
		cmocka_unit_test(emails),
		cmocka_unit_test(email_lengths),
		cmocka_unit_test(phones_fr),
		cmocka_unit_test(phones_overseas),
		cmocka_unit_test(phones_lu),
		cmocka_unit_test(phones_de_be),
		cmocka_unit_test(phones_other),
		cmocka_unit_test(phone_display),
		cmocka_unit_test(postcodes),
		cmocka_unit_test(sirets),
		cmocka_unit_test(companies),
		cmocka_unit_test(company_keys),
		cmocka_unit_test(free_text),
		cmocka_unit_test(messages),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
