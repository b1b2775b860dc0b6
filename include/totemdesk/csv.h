/* CSV (RFC 4180) writer and reader, in memory.
 *
 * The writer appends to a td_buf; the reader parses a UTF-8 text the
 * caller has already read.  Neither does I/O.  Records end with CRLF on
 * output; CRLF, LF and a bare CR are all accepted on input.
 *
 * Formula guard: a spreadsheet opening an export runs any cell that starts
 * with '=', '+', '-' or '@' (and, in some versions, TAB or CR followed by
 * one) as a formula, so a visitor typing "=HYPERLINK(...)" into a form
 * could attack whoever opens the export (CSV injection).  Following the
 * OWASP advice, guard_formulas prefixes such cells with a single quote,
 * which spreadsheets show as text.  The value changes ("-5" becomes "'-5",
 * "+33 6..." becomes "'+33 6..."), so the guard is for columns of text
 * typed by people, never for numbers meant for programs.
 *
 * The guard is reversible: a cell that really starts with a quote
 * followed by a formula character or another quote ("'=x", "''x") is
 * guarded too, so td_csv_unguard(guarded(v)) == v for every v, and an
 * export imports as it was typed.  Other cells starting with a quote
 * ("'t Hooft", "'quoted'") are left alone both ways. */
#ifndef TOTEMDESK_CSV_H
#define TOTEMDESK_CSV_H

#include "totemdesk/buf.h"
#include "totemdesk/error.h"

#include <stdbool.h>
#include <stddef.h>

/* UTF-8 byte order mark, which spreadsheets need to read accents right. */
#define TD_CSV_BOM "\xEF\xBB\xBF"

struct td_csv_opts {
	char sep;            /* ',' or ';' (French spreadsheets); any ASCII
			      * byte other than '"', CR, LF, NUL works */
	bool guard_formulas; /* prefix formula-like cells with '\'' */
};

/* Append one field: sep first unless first_in_row, then text, quoted when
 * it contains sep, '"', CR or LF, starts or ends with a space or tab, or
 * starts with U+FEFF (which would pass for a BOM); inner quotes doubled.
 * text NULL is an empty field; opts NULL means ',' without guard.  TD_OK,
 * TD_ENOMEM or TD_EINVAL (bad sep); on failure buf is unchanged.
 * Note: a row made of one empty field written this way is an empty line,
 * which readers skip; td_csv_write_row avoids that. */
int td_csv_write_field(struct td_buf *buf, const char *text,
		       const struct td_csv_opts *opts, bool first_in_row);

/* Append the CRLF that ends a record.  TD_OK or TD_ENOMEM. */
int td_csv_end_row(struct td_buf *buf);

/* Append the UTF-8 byte order mark (call first).  TD_OK or TD_ENOMEM. */
int td_csv_bom(struct td_buf *buf);

/* Append a whole record (n fields, NULL entries empty) and its CRLF; a
 * single empty field is written as "" so that it survives reading.  All or
 * nothing: on failure buf is restored.  TD_OK, TD_ENOMEM or TD_EINVAL. */
int td_csv_write_row(struct td_buf *buf, const char *const *fields, size_t n,
		     const struct td_csv_opts *opts);

/* One record returned by td_csv_next. */
struct td_csv_row {
	const char *const *fields; /* nfields NUL-terminated UTF-8 strings,
				    * owned by the reader, valid until the
				    * next td_csv_next/td_csv_reader_free */
	size_t nfields;            /* at least 1 */
	size_t line;               /* 1-based physical line where the record
				    * starts */
};

/* Reader state; treat as opaque (fields may change). */
struct td_csv_reader {
	const char *data;
	size_t len;
	size_t pos;
	size_t line;         /* physical line of data[pos] */
	char sep;
	bool failed;         /* out of memory: nothing more is returned */
	unsigned char cls[256];
	char *text;          /* unescaped fields, NUL-separated */
	size_t text_len, text_cap;
	size_t *offs;        /* field start offsets in text */
	const char **fields;
	size_t fields_cap;
};

/* Prepare r to read len bytes at data (not copied: it must outlive r),
 * fields separated by sep.  A leading UTF-8 BOM is skipped.  Allocates
 * nothing until the first record. */
void td_csv_reader_init(struct td_csv_reader *r, const char *data, size_t len,
			char sep);

/* Read the next record into *row.  Returns 1 with a row, 0 at the end, or
 * -1 with err set: TD_EINVAL and "LINE: message" (LINE where the bad
 * record starts) for bad content -- unterminated quoted field, stray quote
 * in an unquoted field, text after a closing quote, invalid UTF-8, NUL
 * byte -- or TD_ENOMEM, after which the reader returns 0.
 * Empty lines between records are skipped.  After a content error the
 * reader resynchronises so that the caller can keep calling and list every
 * bad record: it skips to the line after the one holding the error, except
 * for a quote left open to the end of the text, where it restarts at the
 * line after the bad record's first line (so one stray quote does not hide
 * the rest of the file).  Reading stays linear in len in every case. */
int td_csv_next(struct td_csv_reader *r, struct td_csv_row *row, td_err *err);

/* Release the reader's memory (the data it reads is the caller's). */
void td_csv_reader_free(struct td_csv_reader *r);

/* Index of the column called name in a header row, or -1.  An exact match
 * wins; otherwise the comparison ignores ASCII case and surrounding spaces
 * (spreadsheet users retype headers).  The first matching column counts. */
long td_csv_header_index(const struct td_csv_row *row, const char *name);

/* The cell as it was before the formula guard: text without its first
 * character when that is the guard's quote (a quote followed by '=', '+',
 * '-', '@', TAB, CR or another quote), else text itself.  The result
 * points into text.  Importers call it on every cell they read, so that
 * an export (guarded) and a sheet typed by hand (not) both read right. */
const char *td_csv_unguard(const char *text);

/* Guess the separator of a file from its first record: ';' if it holds
 * more semicolons than commas outside quotes, else ','. */
char td_csv_sniff(const char *data, size_t len);

#endif
