/* Planted control for link_layers_selftest: front-end code that asks the
 * app layer and core only, as a screen should.  link_layers.py must pass
 * it as the ui or the cli layer, so that the planted violation fails for
 * what it calls, not for being planted. */
#include "totemdesk/app.h"
#include "totemdesk/text.h"

#include <stdbool.h>

bool td_planted_keeps_layers(struct td_app *app, const char *s);

bool td_planted_keeps_layers(struct td_app *app, const char *s)
{
	char out[64];
	td_text_ascii(s, out, sizeof out);
	return td_app_changed(app) && out[0];
}
