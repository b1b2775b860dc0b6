/* The full-screen ncurses front end. */
#ifndef TOTEMDESK_UI_H
#define TOTEMDESK_UI_H

#include "totemdesk/app.h"
#include "totemdesk/config.h"
#include "totemdesk/error.h"

#include <stdbool.h>

struct td_ui_options {
	bool no_color;   /* --no-color (NO_COLOR and the config are read too) */
};

/* Check and apply the key overrides of cfg->keys (ui.keys in the config
 * file).  Call before td_ui_run.  On a bad entry returns TD_ECONFIG with
 * "FILE:LINE: unknown key \"F13\" for action \"save\"" or similar. */
int td_ui_keys_configure(const struct td_config *cfg, td_err *err);

/* Run the screens until the user quits.  Returns TD_OK, or an error if the
 * terminal cannot be used (not a tty, unknown TERM). */
int td_ui_run(struct td_app *app, const struct td_ui_options *o, td_err *err);

#endif
