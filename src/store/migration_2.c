/* Migration 2: duplicate detection (issue "Routing": duplicate warning
 * while typing).  Owned by the duplicates work until it is released;
 * after release, never edited (see schema.c).
 *
 * The lookup must stay a few index seeks at a million holders, so the
 * store keeps, for every holder, the 64-bit keys of td_dup_keys (core
 * similar.h): its e-mail, phone and SIREN, and the deletion
 * neighbourhood of its folded name, in which any one-typo variant finds
 * it.  Keys point at a small integer alias of the holder (dup_holder.n)
 * rather than the holder's text id (four times smaller) or its rowid
 * (which VACUUM may renumber).  td_store_dossier_insert maintains them;
 * other writers call td_store_dup_index / td_store_dup_forget (dup.h). */
#include "store_int.h"

const char *const store_migration_2[] = {
	/* Exact-match indexes on the normalised values, for imports and
	 * searches by e-mail, phone or SIRET. */
	"CREATE INDEX holder_email ON holder(email) WHERE email IS NOT NULL;\n"
	"CREATE INDEX holder_phone ON holder(phone) WHERE phone IS NOT NULL;\n"
	"CREATE INDEX dossier_siret ON dossier(siret) WHERE siret IS NOT NULL;\n",

	/* One row per holder with the values the score reads (a copy of the
	 * holder's and its newest dossier's), so that scoring a candidate is
	 * one primary-key read instead of a join and a sort: at a million
	 * holders a popular name brings a hundred candidates. */
	"CREATE TABLE dup_holder (\n"
	"	n INTEGER PRIMARY KEY,\n"
	"	holder_id TEXT NOT NULL UNIQUE REFERENCES holder(id),\n"
	"	last_name TEXT NOT NULL DEFAULT '',\n"
	"	first_name TEXT NOT NULL DEFAULT '',\n"
	"	email TEXT,\n"
	"	phone TEXT,\n"
	"	postcode TEXT,\n"
	"	title TEXT,\n"
	"	siret TEXT\n"
	");\n"
	"CREATE TABLE dup_key (\n"
	"	key INTEGER NOT NULL,\n"
	"	n INTEGER NOT NULL,\n"
	"	PRIMARY KEY (key, n)\n"
	") WITHOUT ROWID;\n",

	/* "Not the same person": the receptionist saw holder_id proposed for
	 * what was being typed and said no.  evidence is the fingerprint
	 * (td_dup_evidence) of each typed value the match rested on: the
	 * folded name, the e-mail, the phone, the SIREN.  The pair is not
	 * proposed again while every piece of evidence against that holder
	 * has been dismissed; a new one (the same e-mail typed later) brings
	 * it back.  A local decision of the desk: it does not sync. */
	"CREATE TABLE dup_dismissal (\n"
	"	holder_id TEXT NOT NULL REFERENCES holder(id),\n"
	"	evidence INTEGER NOT NULL,\n"
	"	site_code TEXT NOT NULL,\n"
	"	created_by TEXT,\n"
	"	created_at TEXT NOT NULL,\n"
	"	PRIMARY KEY (holder_id, evidence)\n"
	") WITHOUT ROWID;\n",
	NULL
};
