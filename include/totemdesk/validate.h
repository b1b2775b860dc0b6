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
	TD_V_PHONE_COUNTRY,     /* other country code */
	TD_V_POSTCODE,          /* neither 5 digits nor L-NNNN */
	TD_V_SIRET_DIGITS,      /* not 9 or 14 digits */
	TD_V_SIRET_CHECKSUM,    /* Luhn (and La Poste rule) fails */
	TD_V_REQUIRED,          /* required and empty (used by intake checks) */
	TD_V_NEED_CONTACT,      /* neither e-mail nor phone */
	TD_V_NEED_NEEDS,        /* no need ticked */
	TD_V_NEED_CONSENT,      /* consent not given */
	TD_V_BAD_CODE,          /* unknown stage/sector/need code */
	TD_V_COUNT
};

/* Maximum lengths in code points. */
#define TD_NAME_MAX 60
#define TD_CITY_MAX 60
#define TD_EMAIL_MAX 254
#define TD_TITLE_MAX 100
#define TD_DESC_MAX 1000

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

/* Phone: France "0X XX XX XX XX" (10 digits, X in 1-9), "+33 X XX ..",
 * "0033..."; Luxembourg "+352" / "00352" followed by 5-11 digits (mobile
 * 6x1 xxx xxx); separators space . - / ( ) accepted.  out = E.164
 * ("+33612345678").  French 0700 and 0901 14-digit numbers are refused. */
enum td_vcode td_validate_phone(const char *in, char *out, size_t outsz);

/* Grouped display of an E.164 number: "+33 6 12 34 56 78",
 * "+352 621 123 456"; other input copied as is.  Returns length. */
size_t td_phone_display(const char *e164, char *out, size_t outsz);

/* Postcode: France 5 digits ("57000"), Luxembourg "L-1234" (also "L 1234",
 * "l-1234"); out normalised ("57000", "L-1234"). */
enum td_vcode td_validate_postcode(const char *in, char *out, size_t outsz);

/* SIREN (9 digits) or SIRET (14 digits), spaces/dots ignored, Luhn check,
 * La Poste exception (SIRET 356000000xxxxx valid when digit sum % 5 == 0).
 * out = digits only. */
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
