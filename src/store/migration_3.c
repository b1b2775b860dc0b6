/* Migration 3: partner directory and referrals (issue "Routing": partner
 * directory, referral tracking).  Owned by the routing work until it is
 * released; after release, never edited (see schema.c). */
#include "store_int.h"

const char *const store_migration_3[] = {
	/* The seed columns of migration 1 stay as they are (source
	 * included); the directory adds who to write to and how many open
	 * referrals a partner can take (0 = no limit). */
	"ALTER TABLE partner ADD COLUMN contact TEXT;\n"
	"ALTER TABLE partner ADD COLUMN email TEXT;\n"
	"ALTER TABLE partner ADD COLUMN phone TEXT;\n"
	"ALTER TABLE partner ADD COLUMN sectors TEXT NOT NULL DEFAULT '';\n"
	"ALTER TABLE partner ADD COLUMN capacity INTEGER NOT NULL DEFAULT 0\n"
	"	CHECK (capacity >= 0);\n",

	/* A referral syncs between sites like a dossier: text key,
	 * timestamps, version, soft delete.  Partners are never deleted
	 * while referred to (foreign key), only deactivated. */
	"CREATE TABLE referral (\n"
	"	id TEXT PRIMARY KEY NOT NULL,\n"
	"	dossier_id TEXT NOT NULL REFERENCES dossier(id),\n"
	"	partner_id TEXT NOT NULL REFERENCES partner(id),\n"
	"	status TEXT NOT NULL DEFAULT 'proposed' CHECK (status IN\n"
	"		('proposed', 'sent', 'meeting', 'accepted', 'declined',\n"
	"		 'no_answer')),\n"
	"	status_at TEXT NOT NULL,\n"
	"	created_by TEXT,\n"
	"	followup_on TEXT,\n"
	"	outcome TEXT,\n"
	"	reason TEXT,\n"
	"	created_at TEXT NOT NULL,\n"
	"	updated_at TEXT NOT NULL,\n"
	"	version INTEGER NOT NULL DEFAULT 1,\n"
	"	deleted INTEGER NOT NULL DEFAULT 0 CHECK (deleted IN (0, 1))\n"
	");\n"
	"CREATE INDEX referral_dossier ON referral(dossier_id, created_at);\n"
	"CREATE INDEX referral_partner ON referral(partner_id, status);\n"
	"CREATE INDEX referral_followup ON referral(followup_on)\n"
	"	WHERE followup_on IS NOT NULL;\n"
	"CREATE TRIGGER referral_touch AFTER UPDATE ON referral\n"
	"FOR EACH ROW WHEN NEW.version = OLD.version\n"
	"BEGIN\n"
	"	UPDATE referral SET version = OLD.version + 1,\n"
	"		updated_at = CASE WHEN NEW.updated_at IS OLD.updated_at\n"
	"			THEN strftime('%Y-%m-%dT%H:%M:%SZ', 'now')\n"
	"			ELSE NEW.updated_at END\n"
	"	WHERE id = NEW.id;\n"
	"END;\n",
	NULL
};
