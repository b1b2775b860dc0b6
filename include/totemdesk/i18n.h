/* gettext shorthands.  glibc provides gettext in libc itself, so even the
 * libc-only core layer may translate its messages. */
#ifndef TOTEMDESK_I18N_H
#define TOTEMDESK_I18N_H

#include <libintl.h>

#define TD_TEXTDOMAIN "totemdesk"
#define _(s) gettext(s)
#define N_(s) (s)

/* pgettext: a short word whose translation depends on where it shows
 * ("sent" a referral status, "sent" a report column) carries a context.
 * The catalogue key is CONTEXT "\004" MSGID, as gettext.h builds it;
 * untranslated, the plain msgid comes back.  xgettext extracts C_ with
 * --keyword=C_:1c,2 (assets/po/meson.build).  Both arguments must be
 * string literals. */
static inline const char *td_pgettext(const char *ctxt_msgid,
				      const char *msgid)
{
	const char *t = gettext(ctxt_msgid);
	return t == ctxt_msgid ? msgid : t;
}
#define C_(ctx, s) td_pgettext(ctx "\004" s, s)

#endif
