/* Planted violation for link_layers_selftest: front-end code that copies
 * store and SQLite declarations by hand, past the header split, and
 * calls them.  Built as a static library of its own and never linked
 * into a program; link_layers.py must report both calls when this
 * archive is checked as the ui or the cli layer. */
#include <stdbool.h>

struct td_db;
struct td_app;

int td_store_partner_set_active(struct td_db *db, const char *id,
				bool active, void *err);
const char *sqlite3_libversion(void);
bool td_app_changed(struct td_app *app);

int td_planted_reaches_store(struct td_db *db, struct td_app *app);

int td_planted_reaches_store(struct td_db *db, struct td_app *app)
{
	if (td_app_changed(app))
		return td_store_partner_set_active(db, "x", false, 0);
	return sqlite3_libversion()[0];
}
