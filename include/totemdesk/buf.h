/* Growable byte buffer used by the writers (CSV, JSON, reports).
 *
 * Writers append into memory; the caller does the file I/O with
 * buf.data / buf.len.  The buffer owns data.  data is never NULL and is
 * always NUL-terminated (an empty, never-grown buffer points to a shared
 * read-only "" that must not be written), so it can be printed as a string
 * when it holds text.  Every appending function either appends everything
 * or nothing: on failure it returns TD_ENOMEM and leaves the buffer exactly
 * as it was, still usable. */
#ifndef TOTEMDESK_BUF_H
#define TOTEMDESK_BUF_H

#include <stdarg.h>
#include <stddef.h>

struct td_buf {
	char *data;  /* owned; NUL-terminated; never NULL after td_buf_init */
	size_t len;  /* bytes used, not counting the terminating NUL */
	size_t cap;  /* bytes allocated; 0 while data is the shared "" */
};

/* Make b an empty buffer; allocates nothing, cannot fail. */
void td_buf_init(struct td_buf *b);

/* Release b's memory and leave it empty and reusable (as td_buf_init). */
void td_buf_free(struct td_buf *b);

/* Empty b but keep its memory for reuse (one export line after another). */
void td_buf_reset(struct td_buf *b);

/* Make room for extra more bytes (plus the NUL) so that the next appends
 * totalling at most extra bytes cannot fail.  TD_OK or TD_ENOMEM. */
int td_buf_reserve(struct td_buf *b, size_t extra);

/* Append n bytes from p (which may contain NULs).  TD_OK or TD_ENOMEM. */
int td_buf_append(struct td_buf *b, const void *p, size_t n);

/* Append the NUL-terminated string s.  TD_OK or TD_ENOMEM. */
int td_buf_puts(struct td_buf *b, const char *s);

/* Append one byte.  TD_OK or TD_ENOMEM. */
int td_buf_putc(struct td_buf *b, char c);

/* Append printf-style output.  TD_OK, TD_ENOMEM, or TD_EINVAL when the
 * format cannot be converted (e.g. an invalid wide character). */
int td_buf_printf(struct td_buf *b, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

/* td_buf_printf with a va_list (ap is consumed as by vprintf). */
int td_buf_vprintf(struct td_buf *b, const char *fmt, va_list ap)
	__attribute__((format(printf, 2, 0)));

#endif
