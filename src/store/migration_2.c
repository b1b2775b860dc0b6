/* Migration 2: duplicate detection (issue "Routing": duplicate warning
 * while typing).  Owned by the duplicates work until it is released;
 * after release, never edited (see schema.c). */
#include "store_int.h"

const char *const store_migration_2[] = {
	/* Exact-match keys of the duplicate check: normalised e-mail,
	 * E.164 phone, SIRET. */
	"CREATE INDEX holder_email ON holder(email) WHERE email IS NOT NULL;\n"
	"CREATE INDEX holder_phone ON holder(phone) WHERE phone IS NOT NULL;\n"
	"CREATE INDEX dossier_siret ON dossier(siret) WHERE siret IS NOT NULL;\n",
	NULL
};
