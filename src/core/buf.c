#include "totemdesk/buf.h"

#include "totemdesk/error.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* An empty buffer points here so that data is always a valid string
 * without an allocation in td_buf_init.  It is never written: every write
 * goes through buf_grow first, which replaces it (cap becomes non-zero). */
static const char buf_empty[1];

/* Objects larger than PTRDIFF_MAX break pointer subtraction, and glibc
 * refuses them anyway; failing here keeps overflow out of the arithmetic. */
#define BUF_MAX ((size_t)PTRDIFF_MAX)
#define BUF_MIN_CAP 64

void td_buf_init(struct td_buf *b)
{
	b->data = (char *)buf_empty;
	b->len = 0;
	b->cap = 0;
}

void td_buf_free(struct td_buf *b)
{
	if (b->cap)
		free(b->data);
	td_buf_init(b);
}

void td_buf_reset(struct td_buf *b)
{
	b->len = 0;
	if (b->cap)
		b->data[0] = '\0';
}

int td_buf_reserve(struct td_buf *b, size_t extra)
{
	if (extra > BUF_MAX - 1 - b->len)
		return TD_ENOMEM;
	size_t need = b->len + extra + 1;
	if (need <= b->cap)
		return TD_OK;
	/* Doubling keeps a long run of appends linear overall. */
	size_t cap = b->cap ? b->cap : BUF_MIN_CAP;
	while (cap < need)
		cap = cap > BUF_MAX / 2 ? need : cap * 2;
	char *p = realloc(b->cap ? b->data : NULL, cap);
	if (!p)
		return TD_ENOMEM;
	if (!b->cap)
		p[0] = '\0';
	b->data = p;
	b->cap = cap;
	return TD_OK;
}

int td_buf_append(struct td_buf *b, const void *p, size_t n)
{
	if (n == 0)
		return TD_OK;
	int rc = td_buf_reserve(b, n);
	if (rc)
		return rc;
	memcpy(b->data + b->len, p, n);
	b->len += n;
	b->data[b->len] = '\0';
	return TD_OK;
}

int td_buf_puts(struct td_buf *b, const char *s)
{
	return td_buf_append(b, s, strlen(s));
}

int td_buf_putc(struct td_buf *b, char c)
{
	return td_buf_append(b, &c, 1);
}

int td_buf_vprintf(struct td_buf *b, const char *fmt, va_list ap)
{
	va_list ap2;
	size_t avail = b->cap ? b->cap - b->len : 0;
	int n;

	/* First try in the free space: most lines fit and need one pass. */
	va_copy(ap2, ap);
	if (avail)
		n = vsnprintf(b->data + b->len, avail, fmt, ap2);
	else
		n = vsnprintf(NULL, 0, fmt, ap2);
	va_end(ap2);
	if (n >= 0 && (size_t)n < avail) {
		b->len += (size_t)n;
		return TD_OK;
	}
	/* The truncated attempt overwrote our terminator. */
	if (b->cap)
		b->data[b->len] = '\0';
	if (n < 0)
		return TD_EINVAL;
	int rc = td_buf_reserve(b, (size_t)n);
	if (rc)
		return rc;
	vsnprintf(b->data + b->len, (size_t)n + 1, fmt, ap);
	b->len += (size_t)n;
	return TD_OK;
}

int td_buf_printf(struct td_buf *b, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	int rc = td_buf_vprintf(b, fmt, ap);
	va_end(ap);
	return rc;
}
