/* The queue's filter and sort specification and its text form. */
#include "totemdesk/query.h"
#include "totemdesk/bizdays.h"
#include "totemdesk/i18n.h"
#include "totemdesk/text.h"

#include <stdio.h>
#include <string.h>

static const struct td_enum_entry qcols[] = {
	{ "reference", N_("Reference"), NULL },
	{ "date", N_("Date"), NULL },
	{ "site", N_("Site"), NULL },
	{ "name", N_("Name"), NULL },
	{ "project", N_("Project"), NULL },
	{ "stage", N_("Stage"), NULL },
	{ "needs", N_("Needs"), NULL },
	{ "status", N_("Status"), NULL },
	{ "assignee", N_("Assigned to"), NULL },
	{ "followup", N_("Follow-up"), NULL },
};
const struct td_enum td_qcols = { qcols, sizeof qcols / sizeof qcols[0] };
_Static_assert(sizeof qcols / sizeof qcols[0] == TD_QC_COUNT,
	       "one code per queue column");

void td_query_init(struct td_query *q)
{
	memset(q, 0, sizeof *q);
	q->stage = -1;
	q->sector = -1;
	q->sort = TD_QC_DEFAULT;
}

static bool is_on(const char *v)
{
	return strcmp(v, "1") == 0 || strcmp(v, "yes") == 0 ||
	       strcmp(v, "true") == 0;
}

/* Comma list of codes of e into a bit mask. */
static int parse_mask(const struct td_enum *e, const char *v, unsigned *mask,
		      const char **bad, size_t *badlen)
{
	unsigned m = 0;
	for (const char *p = v; *p;) {
		const char *end = strchr(p, ',');
		size_t n = end ? (size_t)(end - p) : strlen(p);
		while (n && *p == ' ') {
			p++;
			n--;
		}
		while (n && p[n - 1] == ' ')
			n--;
		if (n) {
			size_t i;
			for (i = 0; i < e->count; i++)
				if (strlen(e->entries[i].code) == n &&
				    memcmp(e->entries[i].code, p, n) == 0)
					break;
			if (i == e->count || i >= 32) {
				*bad = p;
				*badlen = n;
				return -1;
			}
			m |= 1u << i;
		}
		if (!end)
			break;
		p = end + 1;
	}
	*mask = m;
	return 0;
}

static void codes_list(const struct td_enum *e, size_t from, char *out,
		       size_t outsz)
{
	size_t len = 0;
	out[0] = '\0';
	for (size_t i = from; i < e->count; i++) {
		int w = snprintf(out + len, outsz - len, "%s%s", len ? ", " : "",
				 e->entries[i].code);
		if (w < 0 || (size_t)w >= outsz - len)
			break;
		len += (size_t)w;
	}
}

static int bad_code(td_err *err, const char *key, const char *bad,
		    size_t badlen, const struct td_enum *e, size_t from)
{
	char list[400];
	codes_list(e, from, list, sizeof list);
	return td_err_set(err, TD_EINVAL,
		_("%s: \"%.*s\" is not one of %s"), key, (int)badlen, bad,
		list);
}

static int set_date(char out[11], const char *key, const char *v, td_err *err)
{
	int day;
	if (*v && td_day_parse(v, &day) != 0)
		return td_err_set(err, TD_EINVAL,
			_("%s: \"%s\" is not a date: use YYYY-MM-DD, e.g. 2026-01-31"),
			key, v);
	snprintf(out, 11, "%s", v);
	return TD_OK;
}

int td_query_set(struct td_query *q, const char *key, const char *v,
		 td_err *err)
{
	const char *bad;
	size_t badlen;
	int i;

	if (!v)
		v = "";
	if (strcmp(key, "site") == 0) {
		if (*v && (strlen(v) != 3 || v[0] < 'A' || v[0] > 'Z' ||
			   v[1] < 'A' || v[1] > 'Z' || v[2] < 'A' || v[2] > 'Z'))
			return td_err_set(err, TD_EINVAL,
				_("site: \"%s\" is not a site code such as MET"), v);
		snprintf(q->site, sizeof q->site, "%s", v);
	} else if (strcmp(key, "status") == 0) {
		if (parse_mask(&td_statuses, v, &q->statuses, &bad, &badlen))
			return bad_code(err, key, bad, badlen, &td_statuses, 0);
	} else if (strcmp(key, "need") == 0 || strcmp(key, "needs") == 0) {
		if (parse_mask(&td_needs, v, &q->needs, &bad, &badlen))
			return bad_code(err, key, bad, badlen, &td_needs, 0);
	} else if (strcmp(key, "stage") == 0 || strcmp(key, "sector") == 0) {
		const struct td_enum *e = key[1] == 't' ? &td_stages : &td_sectors;
		i = *v ? td_enum_find(e, v) : -1;
		if (*v && i <= 0)
			return bad_code(err, key, v, strlen(v), e, 1);
		if (e == &td_stages)
			q->stage = i;
		else
			q->sector = i;
	} else if (strcmp(key, "assignee") == 0) {
		if (strlen(v) >= sizeof q->assignee || strchr(v, ' '))
			return td_err_set(err, TD_EINVAL,
				_("assignee: \"%s\" is not a login"), v);
		snprintf(q->assignee, sizeof q->assignee, "%s", v);
	} else if (strcmp(key, "unassigned") == 0) {
		q->unassigned = is_on(v);
	} else if (strcmp(key, "overdue") == 0) {
		q->overdue = is_on(v);
	} else if (strcmp(key, "since") == 0) {
		return set_date(q->since, key, v, err);
	} else if (strcmp(key, "until") == 0) {
		return set_date(q->until, key, v, err);
	} else if (strcmp(key, "due") == 0) {
		return set_date(q->due, key, v, err);
	} else if (strcmp(key, "search") == 0) {
		if (strlen(v) >= sizeof q->text)
			return td_err_set(err, TD_EINVAL,
				_("search: the text is too long (at most %d bytes)"),
				TD_QUERY_TEXT_MAX - 1);
		snprintf(q->text, sizeof q->text, "%s", v);
	} else if (strcmp(key, "sort") == 0) {
		bool desc = *v == '-';
		const char *c = desc || *v == '+' ? v + 1 : v;
		if (!*c || strcmp(c, "default") == 0) {
			q->sort = TD_QC_DEFAULT;
			q->desc = false;
			return TD_OK;
		}
		i = td_enum_find(&td_qcols, c);
		if (i < 0)
			return bad_code(err, key, c, strlen(c), &td_qcols, 0);
		q->sort = i;
		q->desc = desc;
	} else {
		return td_err_set(err, TD_EINVAL,
			_("unknown filter \"%s\" (use site, status, stage, sector, need, "
			  "assignee, unassigned, overdue, since, until, due, search, sort)"),
			key);
	}
	return TD_OK;
}

int td_query_parse(const char *spec, struct td_query *q, td_err *err)
{
	char item[256];

	td_query_init(q);
	for (const char *p = spec ? spec : ""; *p;) {
		const char *end = strchr(p, ';');
		size_t n = end ? (size_t)(end - p) : strlen(p);
		if (n >= sizeof item)
			return td_err_set(err, TD_EINVAL,
				_("filter item too long: \"%.40s...\""), p);
		memcpy(item, p, n);
		item[n] = '\0';
		char *s = item;
		while (*s == ' ')
			s++;
		if (*s) {
			char *eq = strchr(s, '=');
			if (!eq)
				return td_err_set(err, TD_EINVAL,
					_("\"%s\" is not key=value"), s);
			*eq = '\0';
			char *k = s;
			for (char *t = eq - 1; t >= k && *t == ' '; t--)
				*t = '\0';
			char *v = eq + 1;
			while (*v == ' ')
				v++;
			for (char *t = v + strlen(v); t > v && t[-1] == ' ';)
				*--t = '\0';
			int rc = td_query_set(q, k, v, err);
			if (rc)
				return rc;
		}
		if (!end)
			break;
		p = end + 1;
	}
	return TD_OK;
}

static void mask_codes(const struct td_enum *e, unsigned m, char *out,
		       size_t outsz)
{
	size_t len = 0;
	out[0] = '\0';
	for (size_t i = 0; i < e->count && i < 32; i++) {
		if (!(m & (1u << i)))
			continue;
		int w = snprintf(out + len, outsz - len, "%s%s", len ? "," : "",
				 e->entries[i].code);
		if (w < 0 || (size_t)w >= outsz - len)
			break;
		len += (size_t)w;
	}
}

int td_query_format(const struct td_query *q, char *out, size_t outsz)
{
	char v[512], text[TD_QUERY_TEXT_MAX];
	size_t len = 0;

#define ITEM(k, val) do { \
		int w_ = snprintf(out + len, outsz - len, "%s%s=%s", \
				  len ? ";" : "", (k), (val)); \
		if (w_ < 0 || (size_t)w_ >= outsz - len) \
			return -1; \
		len += (size_t)w_; \
	} while (0)

	if (outsz == 0)
		return -1;
	out[0] = '\0';
	if (q->site[0])
		ITEM("site", q->site);
	if (q->statuses) {
		mask_codes(&td_statuses, q->statuses, v, sizeof v);
		ITEM("status", v);
	}
	if (q->stage > 0)
		ITEM("stage", td_enum_code(&td_stages, q->stage));
	if (q->sector > 0)
		ITEM("sector", td_enum_code(&td_sectors, q->sector));
	if (q->needs) {
		mask_codes(&td_needs, q->needs, v, sizeof v);
		ITEM("need", v);
	}
	if (q->assignee[0])
		ITEM("assignee", q->assignee);
	if (q->unassigned)
		ITEM("unassigned", "1");
	if (q->overdue)
		ITEM("overdue", "1");
	if (q->since[0])
		ITEM("since", q->since);
	if (q->until[0])
		ITEM("until", q->until);
	if (q->due[0])
		ITEM("due", q->due);
	if (q->text[0]) {
		/* ';' separates items: it cannot be searched for anyway (it
		 * is punctuation to the tokenizer). */
		size_t k = 0;
		for (const char *s = q->text; *s && k + 1 < sizeof text; s++)
			text[k++] = *s == ';' ? ' ' : *s;
		text[k] = '\0';
		ITEM("search", text);
	}
	if (q->sort >= 0) {
		snprintf(v, sizeof v, "%s%s", q->desc ? "-" : "",
			 td_enum_code(&td_qcols, q->sort));
		ITEM("sort", v);
	}
#undef ITEM
	return (int)len;
}

bool td_query_filters(const struct td_query *q)
{
	return q->site[0] || q->statuses || q->stage > 0 || q->sector > 0 ||
	       q->needs || q->assignee[0] || q->unassigned || q->overdue ||
	       q->since[0] || q->until[0] || q->due[0] || q->text[0];
}

/* Code points in the first n bytes of s. */
static size_t cp_count(const char *s, size_t n)
{
	size_t k = 0;
	for (size_t i = 0; i < n; i++)
		if (((unsigned char)s[i] & 0xc0) != 0x80)
			k++;
	return k;
}

int td_query_fts(const char *text, char *out, size_t outsz)
{
	size_t len = 0;
	int words = 0;
	const char *p = text ? text : "";
	size_t n = strlen(p);

	if (outsz == 0)
		return 0;
	out[0] = '\0';
	while (*p) {
		/* A word: letters and digits (any script); everything else,
		 * quotes and FTS5 operators included, separates words. */
		const char *start = NULL;
		size_t wl = 0;
		while (*p) {
			uint32_t cp;
			int k = td_utf8_decode(p, n - (size_t)(p - text), &cp);
			if (k <= 0) {
				p++;
				if (start)
					break;
				continue;
			}
			bool alnum = td_cp_is_letter(cp) ||
				     (cp >= '0' && cp <= '9');
			if (!alnum) {
				p += k;
				if (start)
					break;
				continue;
			}
			if (!start)
				start = p;
			wl += (size_t)k;
			p += k;
		}
		/* One letter or digit alone ("l'" of "l'épicerie", a first
		 * keystroke) would match nearly everything: it is skipped. */
		if (!start || cp_count(start, wl) < 2)
			continue;
		if (len + wl + 5 >= outsz)
			break;
		if (words)
			out[len++] = ' ';
		out[len++] = '"';
		memcpy(out + len, start, wl);
		len += wl;
		out[len++] = '"';
		out[len++] = '*';
		out[len] = '\0';
		words++;
	}
	return words;
}
