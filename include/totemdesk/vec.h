/* Growable arrays: the one append the list-building callbacks share. */
#ifndef TOTEMDESK_VEC_H
#define TOTEMDESK_VEC_H

#include <stddef.h>

/* Append the elem-byte *item to the array whose pointer is at arrp (a
 * T ** passed as void *), which holds *n elements in room for *cap; the
 * room doubles when full (first_cap elements the first time).  Returns
 * TD_OK, or TD_ENOMEM leaving the array, *n and *cap as they were.  The
 * array is the caller's to free(). */
int td_vec_push(void *arrp, int *n, int *cap, size_t elem, const void *item,
		int first_cap);

#endif
