#include "totemdesk/csv.h"

#include "totemdesk/i18n.h"
#include "utf8_seq.h"

#include <limits.h>
#include <stdlib.h>
#include <string.h>

/* ---- writer ---------------------------------------------------------- */

static bool sep_ok(char sep)
{
	unsigned char c = (unsigned char)sep;
	return c != 0 && c < 0x80 && c != '"' && c != '\r' && c != '\n';
}

static bool is_blank(char c)
{
	return c == ' ' || c == '\t';
}

/* The characters OWASP lists as starting a formula in some spreadsheet. */
static bool formula_start(char c)
{
	return c == '=' || c == '+' || c == '-' || c == '@' || c == '\t' ||
	       c == '\r';
}

/* Does text need the guard's quote?  A formula start, or a quote that
 * td_csv_unguard would otherwise take for the guard (so the guard stays
 * reversible). */
static bool guarded_start(const char *text)
{
	return formula_start(text[0]) ||
	       (text[0] == '\'' && (formula_start(text[1]) || text[1] == '\''));
}

const char *td_csv_unguard(const char *text)
{
	if (text && text[0] == '\'' &&
	    (formula_start(text[1]) || text[1] == '\''))
		return text + 1;
	return text;
}

int td_csv_write_field(struct td_buf *buf, const char *text,
		       const struct td_csv_opts *opts, bool first_in_row)
{
	char sep = opts ? opts->sep : ',';
	bool guard = opts && opts->guard_formulas;

	if (!sep_ok(sep))
		return TD_EINVAL;
	if (!text)
		text = "";

	/* One strcspn (vectorised in libc) finds out whether quoting is
	 * needed; only then are quotes counted.  The field is then written
	 * with a single reservation: no per-character work on the buffer. */
	const char special[5] = {'"', '\r', '\n', sep, '\0'};
	size_t clean = strcspn(text, special);
	size_t n = clean + strlen(text + clean);
	bool quote = clean < n;
	size_t quotes = 0;
	for (const char *q = memchr(text + clean, '"', n - clean); q;
	     q = memchr(q + 1, '"', n - (size_t)(q + 1 - text)))
		quotes++;
	if (n && (is_blank(text[0]) || is_blank(text[n - 1])))
		quote = true;
	/* U+FEFF first in a file would be taken for a byte order mark and
	 * dropped by readers (ours too); quoted, it stays data. */
	if (n >= 3 && memcmp(text, TD_CSV_BOM, 3) == 0)
		quote = true;
	bool prefix = guard && guarded_start(text);

	/* n <= strlen of an object in memory, so this cannot overflow. */
	size_t total = !first_in_row + prefix + n + (quote ? 2 + quotes : 0);
	int rc = td_buf_reserve(buf, total);
	if (rc)
		return rc;

	char *out = buf->data + buf->len;
	if (!first_in_row)
		*out++ = sep;
	if (quote)
		*out++ = '"';
	if (prefix)
		*out++ = '\'';
	if (!quotes) {
		memcpy(out, text, n);
		out += n;
	} else {
		const char *p = text, *end = text + n;
		while (p < end) {
			const char *q = memchr(p, '"', (size_t)(end - p));
			/* Copy up to and including a quote, then double it. */
			size_t run = (size_t)((q ? q + 1 : end) - p);
			memcpy(out, p, run);
			out += run;
			if (q)
				*out++ = '"';
			p += run;
		}
	}
	if (quote)
		*out++ = '"';
	*out = '\0';
	buf->len = (size_t)(out - buf->data);
	return TD_OK;
}

int td_csv_end_row(struct td_buf *buf)
{
	return td_buf_append(buf, "\r\n", 2);
}

int td_csv_bom(struct td_buf *buf)
{
	return td_buf_append(buf, TD_CSV_BOM, 3);
}

int td_csv_write_row(struct td_buf *buf, const char *const *fields, size_t n,
		     const struct td_csv_opts *opts)
{
	size_t saved = buf->len;
	int rc = TD_OK;

	if (n == 1 && (!fields[0] || !fields[0][0])) {
		char sep = opts ? opts->sep : ',';
		rc = sep_ok(sep) ? td_buf_append(buf, "\"\"", 2) : TD_EINVAL;
	} else {
		for (size_t i = 0; i < n && !rc; i++)
			rc = td_csv_write_field(buf, fields[i], opts, i == 0);
	}
	if (!rc)
		rc = td_csv_end_row(buf);
	if (rc) {
		buf->len = saved;
		if (buf->cap)
			buf->data[saved] = '\0';
	}
	return rc;
}

/* ---- reader ---------------------------------------------------------- */

/* Byte classes: which bytes end a fast copy run. */
enum {
	CLS_UNQUOTED = 1, /* special outside quotes */
	CLS_QUOTED = 2,   /* special inside quotes */
};

void td_csv_reader_init(struct td_csv_reader *r, const char *data, size_t len,
			char sep)
{
	memset(r, 0, sizeof *r);
	r->data = data;
	r->len = data ? len : 0;
	r->line = 1;
	r->sep = sep;
	if (r->len >= 3 && memcmp(data, TD_CSV_BOM, 3) == 0)
		r->pos = 3;
	for (int c = 0x80; c < 0x100; c++)
		r->cls[c] = CLS_UNQUOTED | CLS_QUOTED;
	r->cls['\0'] = r->cls['"'] = r->cls['\r'] = r->cls['\n'] =
		CLS_UNQUOTED | CLS_QUOTED;
	r->cls[(unsigned char)sep] |= CLS_UNQUOTED;
}

void td_csv_reader_free(struct td_csv_reader *r)
{
	free(r->text);
	free(r->offs);
	free(r->fields);
	r->text = NULL;
	r->offs = NULL;
	r->fields = NULL;
	r->text_len = r->text_cap = r->fields_cap = 0;
}

static bool text_reserve(struct td_csv_reader *r, size_t extra)
{
	/* The unescaped record is never longer than the input plus one NUL
	 * per field, so sizes stay far below SIZE_MAX. */
	if (r->text_len + extra <= r->text_cap)
		return true;
	size_t cap = r->text_cap ? r->text_cap : 256;
	while (cap < r->text_len + extra)
		cap *= 2;
	char *p = realloc(r->text, cap);
	if (!p)
		return false;
	r->text = p;
	r->text_cap = cap;
	return true;
}

static bool text_add(struct td_csv_reader *r, const char *p, size_t n)
{
	if (n == 0) /* text may still be NULL: memcpy(NULL, p, 0) is UB */
		return true;
	if (!text_reserve(r, n))
		return false;
	memcpy(r->text + r->text_len, p, n);
	r->text_len += n;
	return true;
}

/* Start field number nf at the current end of text. */
static bool field_open(struct td_csv_reader *r, size_t nf)
{
	if (nf == r->fields_cap) {
		size_t cap = r->fields_cap ? r->fields_cap * 2 : 16;
		size_t *o = realloc(r->offs, cap * sizeof *o);
		if (!o)
			return false;
		r->offs = o;
		const char **f = realloc(r->fields, cap * sizeof *f);
		if (!f)
			return false;
		r->fields = f;
		r->fields_cap = cap;
	}
	r->offs[nf] = r->text_len;
	return true;
}

/* If data[pos] starts a line end (CRLF, LF or CR), return its length. */
static size_t eol_len(const struct td_csv_reader *r, size_t pos)
{
	if (pos >= r->len)
		return 0;
	if (r->data[pos] == '\n')
		return 1;
	if (r->data[pos] == '\r')
		return pos + 1 < r->len && r->data[pos + 1] == '\n' ? 2 : 1;
	return 0;
}

/* Move to just after the first line end at or after pos (or to the end). */
static void skip_line(struct td_csv_reader *r, size_t pos)
{
	while (pos < r->len && r->data[pos] != '\n' && r->data[pos] != '\r')
		pos++;
	size_t e = eol_len(r, pos);
	r->pos = pos + e;
	if (e)
		r->line++;
}

enum csv_fault {
	CSV_UNTERMINATED,
	CSV_STRAY_QUOTE,
	CSV_AFTER_QUOTE,
	CSV_BAD_UTF8,
	CSV_NUL,
	CSV_NOMEM,
};

static int csv_fail(struct td_csv_reader *r, td_err *err, enum csv_fault f,
		    size_t start, size_t start_line)
{
	const char *msg = NULL;

	switch (f) {
	case CSV_UNTERMINATED:
		msg = _("unterminated quoted field");
		break;
	case CSV_STRAY_QUOTE:
		msg = _("stray quote in unquoted field");
		break;
	case CSV_AFTER_QUOTE:
		msg = _("unexpected text after closing quote");
		break;
	case CSV_BAD_UTF8:
		msg = _("invalid UTF-8");
		break;
	case CSV_NUL:
		msg = _("NUL byte");
		break;
	case CSV_NOMEM:
		r->failed = true;
		td_err_set(err, TD_ENOMEM, "%zu: %s", start_line,
			   _("out of memory"));
		return -1;
	}
	if (f == CSV_UNTERMINATED) {
		/* Restart at the record's second line.  Linear: the rescan
		 * starts outside quotes where the first scan was inside, and
		 * every unescaped quote flips both, so the rescan ends its
		 * records where the first scan was still quoted and can never
		 * reach the end of the text inside quotes again.  (Other
		 * faults resume after the faulty line: always forward.) */
		r->line = start_line;
		skip_line(r, start);
	} else {
		skip_line(r, r->pos);
	}
	td_err_set(err, TD_EINVAL, "%zu: %s", start_line, msg);
	return -1;
}

int td_csv_next(struct td_csv_reader *r, struct td_csv_row *row, td_err *err)
{
	const char *d = r->data;
	const size_t len = r->len;
	size_t e;

	if (r->failed)
		return 0;
	if (!sep_ok(r->sep)) {
		r->failed = true;
		td_err_set(err, TD_EINVAL, "%s", _("invalid CSV separator"));
		return -1;
	}
	while ((e = eol_len(r, r->pos))) {
		r->pos += e;
		r->line++;
	}
	if (r->pos >= len)
		return 0;

	const size_t start = r->pos, start_line = r->line;
	const unsigned char *cls = r->cls;
	const unsigned char *u = (const unsigned char *)d;
	size_t nf = 0;
	r->text_len = 0;

	for (;;) {
		if (!field_open(r, nf))
			return csv_fail(r, err, CSV_NOMEM, start, start_line);
		nf++;
		if (r->pos < len && d[r->pos] == '"') {
			r->pos++;
			for (;;) {
				size_t p = r->pos;
				while (p < len &&
				       !(cls[u[p]] & CLS_QUOTED))
					p++;
				if (!text_add(r, d + r->pos, p - r->pos))
					return csv_fail(r, err, CSV_NOMEM,
							start, start_line);
				r->pos = p;
				if (p >= len)
					return csv_fail(r, err,
							CSV_UNTERMINATED, start,
							start_line);
				unsigned char c = (unsigned char)d[p];
				size_t k = 1;
				if (c == '"') {
					if (p + 1 < len && d[p + 1] == '"')
						k = 2; /* keep one quote */
					else
						break;
				} else if (c == '\r' || c == '\n') {
					k = eol_len(r, p);
					r->line++;
				} else if (c == '\0') {
					return csv_fail(r, err, CSV_NUL, start,
							start_line);
				} else if (!(k = td_utf8_seq_len(u + p,
								 len - p))) {
					return csv_fail(r, err, CSV_BAD_UTF8,
							start, start_line);
				}
				if (!text_add(r, d + p, c == '"' ? 1 : k))
					return csv_fail(r, err, CSV_NOMEM,
							start, start_line);
				r->pos = p + k;
			}
			r->pos++; /* the closing quote */
			if (r->pos < len && d[r->pos] != r->sep &&
			    !eol_len(r, r->pos))
				return csv_fail(r, err, CSV_AFTER_QUOTE, start,
						start_line);
		} else {
			for (;;) {
				size_t p = r->pos;
				while (p < len &&
				       !(cls[u[p]] & CLS_UNQUOTED))
					p++;
				if (!text_add(r, d + r->pos, p - r->pos))
					return csv_fail(r, err, CSV_NOMEM,
							start, start_line);
				r->pos = p;
				if (p >= len)
					break;
				unsigned char c = (unsigned char)d[p];
				if (c == (unsigned char)r->sep || c == '\r' ||
				    c == '\n')
					break;
				if (c == '"')
					return csv_fail(r, err,
							CSV_STRAY_QUOTE, start,
							start_line);
				if (c == '\0')
					return csv_fail(r, err, CSV_NUL, start,
							start_line);
				size_t k = td_utf8_seq_len(u + p, len - p);
				if (!k)
					return csv_fail(r, err, CSV_BAD_UTF8,
							start, start_line);
				if (!text_add(r, d + p, k))
					return csv_fail(r, err, CSV_NOMEM,
							start, start_line);
				r->pos = p + k;
			}
		}
		if (!text_add(r, "", 1))
			return csv_fail(r, err, CSV_NOMEM, start, start_line);
		/* Here d[pos] is the separator, a line end, or the end. */
		if (r->pos < len && d[r->pos] == r->sep) {
			r->pos++;
			continue;
		}
		if ((e = eol_len(r, r->pos))) {
			r->pos += e;
			r->line++;
		}
		break;
	}

	for (size_t i = 0; i < nf; i++)
		r->fields[i] = r->text + r->offs[i];
	row->fields = r->fields;
	row->nfields = nf;
	row->line = start_line;
	return 1;
}

static char ascii_lower(char c)
{
	return c >= 'A' && c <= 'Z' ? (char)(c - 'A' + 'a') : c;
}

/* Equal ignoring ASCII case and blanks around a and b? */
static bool loose_equal(const char *a, const char *b)
{
	size_t na, nb;

	while (is_blank(*a))
		a++;
	while (is_blank(*b))
		b++;
	na = strlen(a);
	nb = strlen(b);
	while (na && is_blank(a[na - 1]))
		na--;
	while (nb && is_blank(b[nb - 1]))
		nb--;
	if (na != nb)
		return false;
	for (size_t i = 0; i < na; i++)
		if (ascii_lower(a[i]) != ascii_lower(b[i]))
			return false;
	return true;
}

long td_csv_header_index(const struct td_csv_row *row, const char *name)
{
	if (!row || !name)
		return -1;
	for (size_t i = 0; i < row->nfields && i < (size_t)LONG_MAX; i++)
		if (strcmp(row->fields[i], name) == 0)
			return (long)i;
	for (size_t i = 0; i < row->nfields && i < (size_t)LONG_MAX; i++)
		if (loose_equal(row->fields[i], name))
			return (long)i;
	return -1;
}

char td_csv_sniff(const char *data, size_t len)
{
	size_t commas = 0, semis = 0, i = 0;
	bool quoted = false;

	if (len >= 3 && memcmp(data, TD_CSV_BOM, 3) == 0)
		i = 3;
	for (; i < len; i++) {
		char c = data[i];
		if (c == '"')
			quoted = !quoted; /* "" toggles twice: still right */
		else if (quoted)
			continue;
		else if (c == '\n' || c == '\r')
			break;
		else if (c == ',')
			commas++;
		else if (c == ';')
			semis++;
	}
	return semis > commas ? ';' : ',';
}
