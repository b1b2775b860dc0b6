/* The store half of the import: duplicate keys and imported references.
 * Each lookup is one index probe (migration 2's holder_email,
 * holder_phone and dossier_siret), from cached statements, since an
 * import asks them for every row. */
#include "store_int.h"
#include "totemdesk/i18n.h"
#include "totemdesk/import.h"
#include "store/import.h"

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

bool td_reference_parse(const char *reference, char site[4], int *year,
			long *number)
{
	const char *s = reference;
	if (!s || strlen(s) < 13 || strlen(s) >= TD_REF_SIZE)
		return false;
	for (int i = 0; i < 3; i++)
		if (!isupper((unsigned char)s[i]))
			return false;
	if (s[3] != '-' || s[8] != '-')
		return false;
	for (int i = 4; i < 8; i++)
		if (!isdigit((unsigned char)s[i]))
			return false;
	for (const char *p = s + 9; *p; p++)
		if (!isdigit((unsigned char)*p))
			return false;
	/* At least the four digits td_store_reference_next writes. */
	if (strlen(s + 9) < 4 || strlen(s + 9) > 9)
		return false;
	long n = strtol(s + 9, NULL, 10);
	int y = (int)strtol(s + 4, NULL, 10);
	if (n < 1 || y < 1970)
		return false;
	if (site) {
		memcpy(site, s, 3);
		site[3] = '\0';
	}
	if (year)
		*year = y;
	if (number)
		*number = n;
	return true;
}

/* Reference of the first live dossier the statement in slot finds. */
static int probe(td_db *db, int slot, const char *sql, const char *key,
		 char ref[TD_REF_SIZE], bool *found, td_err *err)
{
	sqlite3_stmt *st;
	int code, rc;

	*found = false;
	if (!key || !*key)
		return TD_OK;
	if ((code = store_stmt_get(db, slot, sql, &st, err)))
		return code;
	store_bind_text(st, 1, key);
	rc = sqlite3_step(st);
	if (rc == SQLITE_ROW) {
		store_col_copy(st, 0, ref, TD_REF_SIZE);
		*found = true;
	} else if (rc != SQLITE_DONE) {
		code = store_fail(db, rc, err,
				  _("cannot look for an earlier registration"));
	}
	store_stmt_put(db, slot, st);
	return code;
}

int td_store_holder_match(td_db *db, const char *email, const char *phone,
			  const char *siret, char ref[TD_REF_SIZE], int *which,
			  td_err *err)
{
	static const struct {
		int slot;
		const char *sql;
	} q[3] = {
		{ SS_IMPORT_EMAIL,
		  "SELECT d.reference FROM holder h"
		  " JOIN dossier d ON d.holder_id = h.id"
		  " WHERE h.email = ?1 AND h.deleted = 0 AND d.deleted = 0"
		  " LIMIT 1" },
		{ SS_IMPORT_PHONE,
		  "SELECT d.reference FROM holder h"
		  " JOIN dossier d ON d.holder_id = h.id"
		  " WHERE h.phone = ?1 AND h.deleted = 0 AND d.deleted = 0"
		  " LIMIT 1" },
		{ SS_IMPORT_SIRET,
		  "SELECT d.reference FROM dossier d"
		  " WHERE d.siret = ?1 AND d.deleted = 0 LIMIT 1" },
	};
	const char *keys[3] = { email, phone, siret };

	ref[0] = '\0';
	*which = 0;
	for (int i = 0; i < 3; i++) {
		bool found;
		int code = probe(db, q[i].slot, q[i].sql, keys[i], ref, &found,
				 err);
		if (code)
			return code;
		if (found) {
			*which = i + 1;
			return TD_OK;
		}
	}
	return TD_OK;
}

int td_store_reference_used(td_db *db, const char *reference, bool *used,
			    td_err *err)
{
	char ref[TD_REF_SIZE];
	return probe(db, SS_IMPORT_REF_USED,
		     "SELECT reference FROM dossier WHERE reference = ?1",
		     reference, ref, used, err);
}

int td_store_reference_claim(td_db *db, const char *reference, td_err *err)
{
	char site[4];
	int year;
	long number;
	sqlite3_stmt *st;
	int code, rc;

	if (!td_reference_parse(reference, site, &year, &number))
		return td_err_set(err, TD_EINVAL,
			_("\"%s\" is not a dossier reference such as MET-2026-0042"),
			reference ? reference : "");
	code = store_stmt_get(db, SS_IMPORT_REF_CLAIM,
		"INSERT INTO ref_counter(site_code, year, last) VALUES(?1, ?2, ?3)"
		" ON CONFLICT(site_code, year) DO UPDATE SET"
		" last = max(last, excluded.last)", &st, err);
	if (code)
		return code;
	store_bind_text(st, 1, site);
	sqlite3_bind_int(st, 2, year);
	sqlite3_bind_int64(st, 3, number);
	rc = sqlite3_step(st);
	if (rc != SQLITE_DONE)
		code = store_fail(db, rc, err, _("cannot keep the imported reference"));
	store_stmt_put(db, SS_IMPORT_REF_CLAIM, st);
	return code;
}

int td_store_activity_reset(td_db *db, const char *dossier_id, const char *at,
			    td_err *err)
{
	sqlite3_stmt *st;
	int code = store_stmt_get(db, SS_IMPORT_ACTIVITY,
		"UPDATE dossier_activity SET last_action_at = ?2"
		" WHERE dossier_id = ?1", &st, err);
	if (code)
		return code;
	store_bind_text(st, 1, dossier_id);
	store_bind_text(st, 2, at);
	int rc = sqlite3_step(st);
	if (rc != SQLITE_DONE)
		code = store_fail(db, rc, err,
				  _("cannot keep the imported dossier's date"));
	store_stmt_put(db, SS_IMPORT_ACTIVITY, st);
	return code;
}
