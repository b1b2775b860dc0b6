/* Migration 3: referrals to partners (issue "Routing": referral
 * tracking).  Owned by the routing work until it is released; after
 * release, never edited (see schema.c). */
#include "store_int.h"

const char *const store_migration_3[] = {
	"CREATE TABLE referral (\n"
	"	id TEXT PRIMARY KEY NOT NULL,\n"
	"	dossier_id TEXT NOT NULL REFERENCES dossier(id),\n"
	"	partner_id TEXT NOT NULL REFERENCES partner(id),\n"
	"	status TEXT NOT NULL DEFAULT 'proposed' CHECK (status IN\n"
	"		('proposed', 'sent', 'meeting', 'accepted', 'declined',\n"
	"		 'no_answer')),\n"
	"	created_by TEXT,\n"
	"	followup_on TEXT,\n"
	"	outcome TEXT,\n"
	"	created_at TEXT NOT NULL,\n"
	"	updated_at TEXT NOT NULL,\n"
	"	version INTEGER NOT NULL DEFAULT 1,\n"
	"	deleted INTEGER NOT NULL DEFAULT 0 CHECK (deleted IN (0, 1))\n"
	");\n"
	"CREATE INDEX referral_dossier ON referral(dossier_id);\n"
	"CREATE INDEX referral_partner ON referral(partner_id, status);\n",
	NULL
};
