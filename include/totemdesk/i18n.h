/* gettext shorthands.  glibc provides gettext in libc itself, so even the
 * libc-only core layer may translate its messages. */
#ifndef TOTEMDESK_I18N_H
#define TOTEMDESK_I18N_H

#include <libintl.h>

#define TD_TEXTDOMAIN "totemdesk"
#define _(s) gettext(s)
#define N_(s) (s)

#endif
