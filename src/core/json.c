#include "totemdesk/json.h"

#include "utf8_seq.h"

#include <stdio.h>
#include <string.h>

static const char hex_digits[] = "0123456789abcdef";

/* Bytes that go out unchanged when they start a sequence (ASCII) or that
 * need a look (everything else). */
static bool plain_ascii(unsigned char c)
{
	return c >= 0x20 && c < 0x80 && c != '"' && c != '\\';
}

/* U+2028 LINE SEPARATOR and U+2029 PARAGRAPH SEPARATOR are valid in JSON
 * but end a line in JavaScript source, so they are escaped too. */
static bool js_separator(const unsigned char *s, size_t k)
{
	return k == 3 && s[0] == 0xe2 && s[1] == 0x80 &&
	       (s[2] == 0xa8 || s[2] == 0xa9);
}

static int quote_body(struct td_buf *buf, const unsigned char *s, size_t len)
{
	size_t i = 0;
	int rc;

	while (i < len) {
		/* Copy the longest run that needs no escaping in one call. */
		size_t start = i, k = 0;
		while (i < len) {
			if (plain_ascii(s[i])) {
				i++;
				continue;
			}
			if (s[i] < 0x80)
				break;
			k = td_utf8_seq_len(s + i, len - i);
			if (!k || js_separator(s + i, k))
				break;
			i += k;
		}
		if ((rc = td_buf_append(buf, s + start, i - start)))
			return rc;
		if (i >= len)
			break;

		unsigned char c = s[i];
		char esc[6];
		size_t n;
		if (c == '"' || c == '\\') {
			esc[0] = '\\';
			esc[1] = (char)c;
			n = 2;
			i++;
		} else if (c < 0x20) {
			memcpy(esc, "\\u00", 4);
			esc[4] = hex_digits[c >> 4];
			esc[5] = hex_digits[c & 15];
			n = 6;
			i++;
		} else if (k) {
			memcpy(esc, s[i + 2] == 0xa8 ? "\\u2028" : "\\u2029",
			       6);
			n = 6;
			i += 3;
		} else {
			memcpy(esc, "\xEF\xBF\xBD", 3); /* U+FFFD */
			n = 3;
			i++;
		}
		if ((rc = td_buf_append(buf, esc, n)))
			return rc;
	}
	return TD_OK;
}

int td_json_quote(struct td_buf *buf, const char *s, size_t len)
{
	size_t saved = buf->len;
	/* Most strings need no escapes: one reservation covers them. */
	int rc = td_buf_reserve(buf, len < (size_t)-3 ? len + 2 : len);
	if (!rc)
		rc = td_buf_putc(buf, '"');
	if (!rc)
		rc = quote_body(buf, (const unsigned char *)s, len);
	if (!rc)
		rc = td_buf_putc(buf, '"');
	if (rc) {
		buf->len = saved;
		if (buf->cap)
			buf->data[saved] = '\0';
	}
	return rc;
}

void td_json_init(struct td_json *j, struct td_buf *buf, bool pretty)
{
	memset(j, 0, sizeof *j);
	j->buf = buf;
	j->pretty = pretty;
}

static int fail(struct td_json *j, int rc)
{
	if (!j->status)
		j->status = rc;
	return j->status;
}

static int newline_indent(struct td_json *j, int level)
{
	size_t n = 1 + 2 * (size_t)level;
	int rc = td_buf_reserve(j->buf, n);
	if (rc)
		return rc;
	char *p = j->buf->data + j->buf->len;
	p[0] = '\n';
	memset(p + 1, ' ', n - 1);
	p[n] = '\0';
	j->buf->len += n;
	return TD_OK;
}

/* Check that a key (is_key) or a value may come next and write what goes
 * before it: a comma, a newline and indentation. */
static int separate(struct td_json *j, bool is_key)
{
	int rc = TD_OK;

	if (j->status)
		return j->status;
	if (j->depth == 0) {
		if (is_key)
			return fail(j, TD_EINVAL);
		if (j->top_used && (rc = td_buf_putc(j->buf, '\n')))
			return fail(j, rc);
		j->top_used = true;
		return TD_OK;
	}
	int lvl = j->depth - 1;
	if (j->object[lvl]) {
		if (j->want_value != !is_key)
			return fail(j, TD_EINVAL);
		if (!is_key) {
			/* The key already placed the comma. */
			j->want_value = false;
			return TD_OK;
		}
	} else if (is_key) {
		return fail(j, TD_EINVAL);
	}
	if (!j->first[lvl] && (rc = td_buf_putc(j->buf, ',')))
		return fail(j, rc);
	j->first[lvl] = false;
	if (j->pretty && (rc = newline_indent(j, j->depth)))
		return fail(j, rc);
	return TD_OK;
}

static int begin(struct td_json *j, bool object)
{
	if (!j->status && j->depth >= TD_JSON_MAX_DEPTH)
		return fail(j, TD_EINVAL);
	int rc = separate(j, false);
	if (rc)
		return rc;
	if ((rc = td_buf_putc(j->buf, object ? '{' : '[')))
		return fail(j, rc);
	j->first[j->depth] = true;
	j->object[j->depth] = object;
	j->depth++;
	return TD_OK;
}

static int end(struct td_json *j, bool object)
{
	int rc;

	if (j->status)
		return j->status;
	if (j->depth == 0 || j->object[j->depth - 1] != object ||
	    j->want_value)
		return fail(j, TD_EINVAL);
	/* Empty containers stay on one line: {} and []. */
	if (j->pretty && !j->first[j->depth - 1] &&
	    (rc = newline_indent(j, j->depth - 1)))
		return fail(j, rc);
	if ((rc = td_buf_putc(j->buf, object ? '}' : ']')))
		return fail(j, rc);
	j->depth--;
	return TD_OK;
}

int td_json_begin_object(struct td_json *j)
{
	return begin(j, true);
}

int td_json_begin_array(struct td_json *j)
{
	return begin(j, false);
}

int td_json_end_object(struct td_json *j)
{
	return end(j, true);
}

int td_json_end_array(struct td_json *j)
{
	return end(j, false);
}

int td_json_key(struct td_json *j, const char *name)
{
	if (!name)
		return fail(j, TD_EINVAL);
	int rc = separate(j, true);
	if (rc)
		return rc;
	if ((rc = td_json_quote(j->buf, name, strlen(name))) ||
	    (rc = td_buf_append(j->buf, ": ", j->pretty ? 2 : 1)))
		return fail(j, rc);
	j->want_value = true;
	return TD_OK;
}

/* Write a value that needs no escaping. */
static int raw_value(struct td_json *j, const char *text, size_t n)
{
	int rc = separate(j, false);
	if (rc)
		return rc;
	if ((rc = td_buf_append(j->buf, text, n)))
		return fail(j, rc);
	return TD_OK;
}

int td_json_stringn(struct td_json *j, const char *s, size_t len)
{
	if (!s)
		return td_json_null(j);
	int rc = separate(j, false);
	if (rc)
		return rc;
	if ((rc = td_json_quote(j->buf, s, len)))
		return fail(j, rc);
	return TD_OK;
}

int td_json_string(struct td_json *j, const char *utf8)
{
	return td_json_stringn(j, utf8, utf8 ? strlen(utf8) : 0);
}

int td_json_int(struct td_json *j, long long v)
{
	char tmp[24], *p = tmp + sizeof tmp;
	/* Through unsigned so that LLONG_MIN negates without overflow. */
	unsigned long long u = v < 0 ? 0ULL - (unsigned long long)v
				     : (unsigned long long)v;
	do {
		*--p = (char)('0' + u % 10);
		u /= 10;
	} while (u);
	if (v < 0)
		*--p = '-';
	return raw_value(j, p, (size_t)(tmp + sizeof tmp - p));
}

/* Fixed point by hand rather than printf("%f"): the decimal separator of
 * printf follows LC_NUMERIC, and JSON wants '.' whatever the locale. */
int td_json_fixed(struct td_json *j, long long scaled, int decimals)
{
	char tmp[48], digits[24];
	unsigned long long u = scaled < 0 ? 0ULL - (unsigned long long)scaled
					  : (unsigned long long)scaled;
	unsigned long long div = 1;
	if (decimals < 0 || decimals > 6)
		return fail(j, TD_EINVAL);
	for (int i = 0; i < decimals; i++)
		div *= 10;
	snprintf(digits, sizeof digits, "%0*llu", decimals, u % div);
	int n = snprintf(tmp, sizeof tmp, "%s%llu%s%s", scaled < 0 ? "-" : "",
			 u / div, decimals ? "." : "", decimals ? digits : "");
	return raw_value(j, tmp, (size_t)n);
}

int td_json_bool(struct td_json *j, bool v)
{
	return v ? raw_value(j, "true", 4) : raw_value(j, "false", 5);
}

int td_json_null(struct td_json *j)
{
	return raw_value(j, "null", 4);
}

int td_json_finish(const struct td_json *j)
{
	if (j->status)
		return j->status;
	return j->depth || j->want_value ? TD_EINVAL : TD_OK;
}
