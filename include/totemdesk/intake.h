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
	TD_F_LAST_NAME, TD_F_FIRST_NAME, TD_F_EMAIL, TD_F_PHONE,
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
	int stage;        /* index in td_stages, 0 = not set */
	int sector;       /* index in td_sectors, 0 = not set */
	unsigned needs;   /* bit mask over td_needs */
	bool consent;
};

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
	size_t offset;      /* TD_FK_TEXT: offset of the buffer in td_intake */
	size_t size;        /* TD_FK_TEXT: size of that buffer */
	bool required;      /* always required (beyond the config's extras) */
	const struct td_enum *choices; /* TD_FK_CHOICE / TD_FK_MULTI */
};

extern const struct td_field_def td_fields[TD_F_COUNT];

/* Field id for a config/export name ("last_name", "email" ...), or -1. */
int td_field_find(const char *name);

/* Text buffer of a TD_FK_TEXT field inside rec (NULL for other kinds). */
char *td_intake_text(struct td_intake *rec, enum td_field_id f);
const char *td_intake_ctext(const struct td_intake *rec, enum td_field_id f);

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
