/* Validators for the intake form and imports.  Each takes the raw text as
 * typed, and on success writes the normalised value into out (always
 * NUL-terminated when outsz > 0; "" on failure, except as noted for
 * td_validate_text).  An out buffer too small for the value gives
 * TD_V_TOO_LONG.  They return a td_vcode; td_vcode_message
 * turns it into a translated sentence saying what is wrong and how to fix
 * it.  Empty input returns TD_V_EMPTY: the caller decides whether the field
 * is required. */
#ifndef TOTEMDESK_VALIDATE_H
#define TOTEMDESK_VALIDATE_H

#include <stdbool.h>
#include <stddef.h>

/* Where a holder lives: the countries of the Grande Région the desk knows
 * the rules of, and any other (phone numbers then in international form).
 * FR is 0, so a zeroed record is French. */
enum td_country {
	TD_COUNTRY_FR, TD_COUNTRY_LU, TD_COUNTRY_DE, TD_COUNTRY_BE,
	TD_COUNTRY_OTHER,
	TD_COUNTRY_COUNT
};

enum td_vcode {
	TD_V_OK = 0,
	TD_V_EMPTY,
	TD_V_TOO_LONG,
	TD_V_BAD_CHAR,          /* character not allowed in this field */
	TD_V_NAME_NO_LETTER,    /* only punctuation */
	TD_V_NAME_PUNCT,        /* leading/trailing or doubled ' or - */
	TD_V_EMAIL_NO_AT,
	TD_V_EMAIL_SPACE,
	TD_V_EMAIL_LOCAL,       /* empty or invalid part before @ */
	TD_V_EMAIL_DOTS,        /* leading, trailing or double dot */
	TD_V_EMAIL_DOMAIN,      /* invalid domain label */
	TD_V_EMAIL_NO_DOT,      /* domain without a dot */
	TD_V_PHONE_CHARS,       /* letters or stray symbols */
	TD_V_PHONE_FR,          /* not a valid French number */
	TD_V_PHONE_LU,          /* not a valid Luxembourg number */
	TD_V_PHONE_DE,          /* not a valid German number */
	TD_V_PHONE_BE,          /* not a valid Belgian number */
	TD_V_PHONE_DOM,         /* not a valid number of +262/+590/+594/+596 */
	TD_V_PHONE_DOM_CC,      /* an overseas number written with +33 */
	TD_V_PHONE_INTL,        /* national form for a country without rules */
	TD_V_PHONE_CC,          /* no country calling code after + or 00 */
	TD_V_PHONE_LENGTH,      /* other country: impossible length */
	TD_V_POSTCODE_FR,       /* not 5 digits */
	TD_V_POSTCODE_LU,       /* not L-NNNN */
	TD_V_POSTCODE_DE,       /* not 5 digits (D- accepted) */
	TD_V_POSTCODE_BE,       /* not 4 digits (B- accepted) */
	TD_V_POSTCODE_OTHER,    /* not letters, digits, spaces, hyphens */
	TD_V_SIRET_DIGITS,      /* FR: not 9 or 14 digits */
	TD_V_SIRET_CHECKSUM,    /* FR: Luhn (and La Poste rule) fails */
	TD_V_SIRET_SIREN,       /* FR: SIRET whose SIREN fails Luhn */
	TD_V_BCE_DIGITS,        /* BE: not 10 digits starting 0 or 1 */
	TD_V_BCE_CHECKSUM,      /* BE: mod 97 check fails */
	TD_V_RCS_LU,            /* LU: not a letter and 1-6 digits */
	TD_V_HR_DE,             /* DE: no court, HRA/HRB or number */
	TD_V_COMPANY_OTHER,     /* other: characters or length */
	TD_V_REQUIRED,          /* required and empty (used by intake checks) */
	TD_V_NEED_CONTACT,      /* neither e-mail nor phone */
	TD_V_NEED_NEEDS,        /* no need ticked */
	TD_V_NEED_CONSENT,      /* consent not given */
	TD_V_BAD_CODE,          /* unknown stage/sector/need code */
	TD_V_BIDI,              /* a bidirectional control (U+202A-E, U+2066-9) */
	TD_V_COUNT
};

/* Maximum lengths in code points. */
#define TD_NAME_MAX 60
#define TD_CITY_MAX 60
#define TD_EMAIL_MAX 254
#define TD_TITLE_MAX 100
#define TD_DESC_MAX 1000
#define TD_COMPANY_MAX 60

/* Translated, one-line message for code (never NULL). */
const char *td_vcode_message(enum td_vcode code);

/* Person name: Unicode letters, combining marks, apostrophes (' and ’),
 * hyphens, spaces; trimmed, internal spaces collapsed, ’ normalised to ';
 * 1..TD_NAME_MAX code points; must contain a letter. */
enum td_vcode td_validate_name(const char *in, char *out, size_t outsz);

/* City: as a name, plus digits, dots and parentheses ("Saint-Dié-des-
 * Vosges", "Metz (57)"). */
enum td_vcode td_validate_city(const char *in, char *out, size_t outsz);

/* E-mail: local@domain, trimmed; no spaces; no leading/trailing/double
 * dots in either part; local part of RFC 5322 atext characters (ASCII or
 * UTF-8 letters); domain labels of letters, digits and hyphens (not at the
 * edges), at least one dot, last label 2+ letters; domain lower-cased,
 * local part kept as typed; at most TD_EMAIL_MAX bytes. */
enum td_vcode td_validate_email(const char *in, char *out, size_t outsz);

/* Phone, read as someone from country would write it, stored in E.164
 * ("+33612345678").  Any number may be written in international form,
 * "+CC ..." or "00CC ...", with "(0)" or a trunk 0 after the country code
 * tolerated; France, Luxembourg, Germany and Belgium also take their
 * national form: FR "06 12 34 56 78" (an overseas number written so, e.g.
 * a Martinique mobile 06 96 90 18 24, gets its own country code:
 * +596696901824), LU "621 123 456" (no trunk prefix), DE "0681 1234567",
 * BE "063 12 34 56"; the trunk 0 may be left out, as libphonenumber
 * allows.  TD_COUNTRY_OTHER takes the international form only.  The
 * numbers of France, its overseas departments, Luxembourg, Germany and
 * Belgium are checked range by range against their numbering plans;
 * other countries' by their country code and number length.
 * Separators: space . - / ( ). */
enum td_vcode td_validate_phone(enum td_country country, const char *in,
				char *out, size_t outsz);

/* Grouped display of an E.164 number: "+33 6 12 34 56 78",
 * "+596 696 90 18 24", "+352 621 123 456", "+49 681 1234567",
 * "+32 63 12 34 56"; a country code is always set apart; anything that is
 * not E.164 is copied as is.  Returns length. */
size_t td_phone_display(const char *e164, char *out, size_t outsz);

/* Postcode of country: FR 5 digits ("57000"); LU "L-1234" (also "L 1234",
 * "l1234", "1234"); DE 5 digits, "D-66111" accepted, stored "66111";
 * BE 4 digits, "B-6700" accepted, stored "6700"; other countries 2 to 10
 * letters, digits, spaces and hyphens with a digit or letter, stored
 * upper-case with single spaces ("SW1A 1AA"). */
enum td_vcode td_validate_postcode(enum td_country country, const char *in,
				   char *out, size_t outsz);

/* Company identifier, recognised by its shape whatever the holder's
 * country (a French resident may run a Luxembourg company):
 *   FR  SIREN (9 digits) or SIRET (14): Luhn on the SIREN, and on the
 *       SIRET too except La Poste's (356000000..., digit sum % 5 == 0);
 *       stored as digits;
 *   BE  enterprise number (BCE/KBO): 10 digits starting 0 or 1, last two
 *       = 97 - (first eight mod 97); "BE" in front accepted; stored
 *       "0566.988.259"; with country BE, 9 digits are an old number
 *       missing its leading 0;
 *   LU  RCS number: a letter (B for companies) and 1 to 6 digits, "RCS"
 *       or "RCS Luxembourg" in front accepted; stored "B123456";
 *   DE  court, HRA or HRB, number ("Amtsgericht Saarbrücken HRB 12345",
 *       "HRB 12345 AG Saarbrücken"); stored "Saarbrücken HRB 12345".
 * With country OTHER, anything else of letters, digits, spaces and
 * . - / (at most 30) is kept as typed, spaces squeezed.  An identifier
 * of none of these shapes gets the message of the holder's country. */
enum td_vcode td_validate_company(enum td_country country, const char *in,
				  char *out, size_t outsz);

/* The key under which the duplicate warning compares two stored company
 * identifiers, equal across the holders' countries and across a
 * company's establishments: a French one's SIREN ("732829320"), "BE"
 * and ten digits, "LU" and the RCS number, "DE" + folded court + "|" +
 * register and number, "XX" + the other's upper-cased letters and
 * digits.  Returns its length, 0 (and "") for a blank identifier. */
size_t td_company_key(const char *stored, char *out, size_t outsz);

/* SIREN (9 digits) or SIRET (14 digits) alone, spaces/dots ignored: the
 * French case of td_validate_company. */
enum td_vcode td_validate_siret(const char *in, char *out, size_t outsz);

/* Luhn check over a string of ASCII digits. */
bool td_luhn_ok(const char *digits);

/* Free text (project title, description): td_text_clean'ed, trimmed,
 * at most max code points (0 = none); one line has its white space runs
 * collapsed, multiline keeps its line breaks.  Empty gives TD_V_EMPTY.
 * Over max gives TD_V_TOO_LONG with out still holding the text cut to max
 * code points (on a character boundary), for the form to show. */
enum td_vcode td_validate_text(const char *in, size_t max, bool multiline,
			       char *out, size_t outsz);

#endif
