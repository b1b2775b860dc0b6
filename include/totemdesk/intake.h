/* The intake record typed at the reception desk, its field table (one row
 * per form field: name, label, help, kind, limits) and the checks that
 * decide whether it may be saved. */
#ifndef TOTEMDESK_INTAKE_H
#define TOTEMDESK_INTAKE_H

#include "totemdesk/domain.h"
#include "totemdesk/validate.h"

#include <stdbool.h>
#include <stddef.h>

enum td_field_id {
	TD_F_LAST_NAME, TD_F_FIRST_NAME, TD_F_COUNTRY, TD_F_EMAIL, TD_F_PHONE,
	TD_F_POSTCODE, TD_F_CITY, TD_F_TITLE, TD_F_DESCRIPTION,
	TD_F_STAGE, TD_F_SECTOR, TD_F_NEEDS, TD_F_SIRET, TD_F_CONSENT,
	TD_F_COUNT
};

enum td_field_kind {
	TD_FK_TEXT,   /* one line of text, stored in a char buffer */
	TD_FK_CHOICE, /* one of an enum (int index), 0 = not set */
	TD_FK_MULTI,  /* several of an enum (bit mask) */
	TD_FK_CHECK,  /* yes/no */
};

struct td_intake {
	char last_name[TD_NAME_MAX * 4 + 1];
	char first_name[TD_NAME_MAX * 4 + 1];
	char email[TD_EMAIL_MAX + 1];
	char phone[64];
	char postcode[16];
	char city[TD_CITY_MAX * 4 + 1];
	char title[TD_TITLE_MAX * 4 + 1];
	char description[TD_DESC_MAX * 4 + 1];
	char siret[TD_COMPANY_MAX * 4 + 1];
	int country;      /* enum td_country: index in td_countries */
	int stage;        /* index in td_stages, 0 = not set */
	int sector;       /* index in td_sectors, 0 = not set */
	unsigned needs;   /* bit mask over td_needs */
	bool consent;
};

/* Where a field belongs: the section of the detail screen, and the table
 * the store keeps it in. */
enum td_field_group {
	TD_FG_HOLDER,   /* the person: table holder */
	TD_FG_PROJECT,  /* the dossier: table dossier */
};

enum td_field_flag {
	TD_FF_FREE = 1u << 0,  /* typed freely: formula-guarded in CSV */
	TD_FF_FIXED = 1u << 1, /* not edited after the intake (consent) */
	TD_FF_PHONE = 1u << 2, /* shown grouped (td_phone_display) */
	TD_FF_PRESET = 1u << 3, /* set before anything is typed (the
				 * country, from the site): not "typed" */
};

/* One row per field.  The form, the detail screen, the export and import
 * columns and the store's full-record reader and writers all walk this
 * table (docs/architecture.md, "Add a field"). */
struct td_intake;

struct td_field_def {
	enum td_field_id id;
	const char *name;   /* ASCII key used in config and exports */
	const char *label;  /* untranslated English label: show with _() */
	const char *help;   /* untranslated help: the help screen, wide forms */
	const char *hint;   /* untranslated short hint beside the field, at
			     * most 27 columns in every language (an 80-column
			     * form keeps it on screen: moving between fields
			     * then sends no text, issue 6) */
	enum td_field_kind kind;
	size_t max_chars;   /* TD_FK_TEXT: code points accepted while typing */
	size_t offset;      /* of the value in td_intake: char[] (TEXT), int
			     * (CHOICE), unsigned (MULTI), bool (CHECK) */
	size_t size;        /* TD_FK_TEXT: size of that buffer */
	bool required;      /* always required (beyond the config's extras) */
	const struct td_enum *choices; /* TD_FK_CHOICE / TD_FK_MULTI */
	enum td_field_group group;
	const char *column; /* its column in the group's table */
	unsigned flags;     /* td_field_flag */
	const char *example; /* TD_FK_TEXT: a valid value as typed */
	/* TD_FK_TEXT: check the typed value in, in the context of the whole
	 * record, and write its normalised form (the td_validate_* rules);
	 * NULL: free text of one line, at most max_chars. */
	enum td_vcode (*check)(const struct td_intake *rec, const char *in,
			       char *out, size_t outsz);
	/* The hint for a holder of another country than France, what
	 * that country's rules accept (phone, postcode, company number);
	 * NULL: hint .hint.  td_field_hint picks. */
	const char *country_hint[TD_COUNTRY_COUNT];
};

extern const struct td_field_def td_fields[TD_F_COUNT];

/* The untranslated hint of field f for a holder of country. */
const char *td_field_hint(enum td_field_id f, int country);

/* Field id for a config/export name ("last_name", "email" ...), or -1.
 * "siret", the company identifier's name before issue 12, still names
 * it (configurations, old exports). */
int td_field_find(const char *name);

/* Text buffer of a TD_FK_TEXT field inside rec (NULL for other kinds). */
char *td_intake_text(struct td_intake *rec, enum td_field_id f);
const char *td_intake_ctext(const struct td_intake *rec, enum td_field_id f);

/* Value of a field of another kind: the choice's index, the mask, 0/1;
 * 0 for a text field.  The setter ignores text fields. */
long td_intake_value(const struct td_intake *rec, enum td_field_id f);
void td_intake_set_value(struct td_intake *rec, enum td_field_id f, long v);

/* The field's value as stored and exported: the text, the choice's code
 * ("" when not set), the mask's codes joined by | ("advice|funding"), "1"
 * or "0".  Returns the length, or -1 when out is too small. */
int td_field_code(const struct td_intake *rec, enum td_field_id f,
		  char *out, size_t outsz);

/* The reverse of td_field_code (text copied as is, not validated);
 * NULL reads as "".  Returns 0, or -1 (rec unchanged) for an unknown
 * code, a flag other than 1/0, or a text too long for its buffer. */
int td_field_set_code(struct td_intake *rec, enum td_field_id f,
		      const char *code);

/* The value as a person reads it: the text (a phone grouped), the
 * choice's and the needs' translated labels ("advice, funding"), "yes" or
 * "no" translated.  Returns the length (cut on a character). */
size_t td_field_show(const struct td_intake *rec, enum td_field_id f,
		     char *out, size_t outsz);

/* Which fields the configuration may add to the required set. */
bool td_field_may_require(enum td_field_id f);

struct td_intake_check {
	enum td_vcode code[TD_F_COUNT];
	int first_bad;  /* field id of the first invalid field, -1 if none */
	int nbad;
};

/* Check one field of rec in the context of the whole record (e-mail and
 * phone share the "one of them" rule).  required_extra is a bit mask of
 * field ids the configuration makes required.  If norm is non-NULL and the
 * field is a valid text field, its normalised value is written there. */
enum td_vcode td_intake_check_field(const struct td_intake *rec,
				    enum td_field_id f, unsigned required_extra,
				    char *norm, size_t normsz);

/* Check every field.  res receives the code of each field; if out is
 * non-NULL it receives the normalised record (valid fields normalised,
 * invalid ones copied as typed).  Returns res->nbad. */
int td_intake_check(const struct td_intake *rec, unsigned required_extra,
		    struct td_intake *out, struct td_intake_check *res);

/* Is anything typed or ticked?  (Used to ask before discarding.) */
bool td_intake_is_blank(const struct td_intake *rec);

#endif
