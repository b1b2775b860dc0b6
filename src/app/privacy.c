/* Data protection (issue 14): the field history as people read it, and
 * (below) the rights of the people registered: access, erasure, consent
 * withdrawal, retention and the record of processing. */
#include "app_int.h"
#include "totemdesk/i18n.h"
#include "totemdesk/intake.h"

#include <langinfo.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* ---- field history ------------------------------------------------------ */

static const char *arrow(void)
{
	return strcmp(nl_langinfo(CODESET), "UTF-8") == 0 ? "\u2192" : "->";
}

/* A stored code of field f (td_field_code) as a person reads it. */
static void show_code(enum td_field_id f, const char *code, char *out,
		      size_t outsz)
{
	struct td_intake *v;

	if (!code[0]) {
		snprintf(out, outsz, "%s", _("(empty)"));
		return;
	}
	v = calloc(1, sizeof *v);
	if (!v || td_field_set_code(v, f, code) != 0 ||
	    td_field_show(v, f, out, outsz) == 0)
		snprintf(out, outsz, "%s", code);
	free(v);
}

size_t app_field_change_show(const char *detail, char *out, size_t outsz)
{
	const char *us1 = strchr(detail, '\x1f');
	const char *us2 = us1 ? strchr(us1 + 1, '\x1f') : NULL;
	char name[64], a[1024], b[1024];
	int f;

	if (!us2 || (size_t)(us1 - detail) >= sizeof name)
		return (size_t)snprintf(out, outsz, "%s", detail);
	memcpy(name, detail, (size_t)(us1 - detail));
	name[us1 - detail] = '\0';
	if ((f = td_field_find(name)) < 0)
		return (size_t)snprintf(out, outsz, "%s", detail);
	snprintf(a, sizeof a, "%.*s", (int)(us2 - us1 - 1), us1 + 1);
	char *old = strdup(a), *new = strdup(us2 + 1);
	if (!old || !new) {
		free(old);
		free(new);
		return (size_t)snprintf(out, outsz, "%s", _(td_fields[f].label));
	}
	show_code((enum td_field_id)f, old, a, sizeof a);
	show_code((enum td_field_id)f, new, b, sizeof b);
	free(old);
	free(new);
	/* TRANSLATORS: a field's change in a dossier's timeline: the
	 * field's label, the old value, an arrow, the new value ("City:
	 * Metz -> Woippy"). */
	int n = snprintf(out, outsz, _("%s: %s %s %s"), _(td_fields[f].label),
			 a, arrow(), b);
	return n < 0 ? 0 : (size_t)n;
}

size_t app_field_names_show(const char *names, char *out, size_t outsz)
{
	size_t o = 0;

	if (outsz)
		out[0] = '\0';
	for (const char *p = names; p && *p;) {
		const char *end = strstr(p, ", ");
		size_t len = end ? (size_t)(end - p) : strlen(p);
		char name[64];
		int f = -1;
		if (len < sizeof name) {
			memcpy(name, p, len);
			name[len] = '\0';
			f = td_field_find(name);
		}
		int n = snprintf(out + o, outsz - o, "%s%.*s", o ? ", " : "",
				 f >= 0 ? (int)strlen(_(td_fields[f].label))
					: (int)len,
				 f >= 0 ? _(td_fields[f].label) : p);
		if (n < 0 || (size_t)n >= outsz - o)
			break;
		o += (size_t)n;
		if (!end)
			break;
		p = end + 2;
	}
	return o;
}
