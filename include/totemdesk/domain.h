/* Domain vocabularies: project stages, sectors, needs, dossier statuses and
 * user roles.  Each is a table of { code, label } rows; codes are the
 * stable ASCII values stored in the database and exports (the same codes
 * as ../shared/data/partners.csv), labels are English msgids to pass
 * through gettext for display. */
#ifndef TOTEMDESK_DOMAIN_H
#define TOTEMDESK_DOMAIN_H

#include <stdbool.h>
#include <stddef.h>

struct td_enum_entry {
	const char *code;  /* stored value, ASCII */
	const char *label; /* untranslated English label: display with _() */
	const char *help;  /* untranslated one-line explanation, may be NULL */
};

struct td_enum {
	const struct td_enum_entry *entries;
	size_t count;
};

/* The vocabularies.  Index 0 of stage and sector is the "not set" entry
 * with code "". */
extern const struct td_enum td_stages;
extern const struct td_enum td_sectors;
extern const struct td_enum td_needs;    /* at most 32 entries: bit i = entry i */
extern const struct td_enum td_statuses;
extern const struct td_enum td_roles;
/* Countries: index = enum td_country (validate.h), codes FR LU DE BE
 * other; no "not set" entry (a holder always has one). */
extern const struct td_enum td_countries;

enum td_status_code {
	TD_ST_NEW, TD_ST_TRIAGED, TD_ST_REFERRED, TD_ST_SUPPORTED,
	TD_ST_CLOSED, TD_ST_ON_HOLD,
};

enum td_role_code { TD_ROLE_RECEPTION, TD_ROLE_OFFICER, TD_ROLE_ADMIN };

/* Index of code in e, or -1 if absent (exact, case-sensitive match). */
int td_enum_find(const struct td_enum *e, const char *code);

/* Code of entry i, or "" when i is out of range.  Never NULL. */
const char *td_enum_code(const struct td_enum *e, int i);

/* Translated label of entry i, or "" when out of range.  Never NULL. */
const char *td_enum_label(const struct td_enum *e, int i);

/* Parse "advice|funding" (any order, no duplicates required) into a bit
 * mask of td_needs.  Returns 0 on success, -1 naming the first unknown
 * code in *bad (points into s, length in *badlen). */
int td_needs_parse(const char *s, unsigned *mask, const char **bad, size_t *badlen);

/* Write mask as canonical "advice|funding" (table order) into out.
 * Returns the length, or -1 if outsz is too small. */
int td_needs_format(unsigned mask, char *out, size_t outsz);

/* Is status transition from -> to allowed?  (new -> triaged -> referred ->
 * supported -> closed, on hold from and to any open status). */
bool td_status_transition_ok(int from, int to);

#endif
