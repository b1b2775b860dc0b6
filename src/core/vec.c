#include "totemdesk/vec.h"
#include "totemdesk/error.h"

#include <limits.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

int td_vec_push(void *arrp, int *n, int *cap, size_t elem, const void *item,
		int first_cap)
{
	char *arr;
	/* The caller's T * is read and written through memcpy: no aliasing
	 * of a T * as a char * lvalue. */
	memcpy(&arr, arrp, sizeof arr);
	if (*n >= *cap) {
		if (*cap > INT_MAX / 2 || first_cap < 1)
			return TD_ENOMEM;
		int ncap = *cap ? *cap * 2 : first_cap;
		if ((size_t)ncap > SIZE_MAX / elem)
			return TD_ENOMEM;
		char *nv = realloc(arr, (size_t)ncap * elem);
		if (!nv)
			return TD_ENOMEM;
		arr = nv;
		*cap = ncap;
		memcpy(arrp, &arr, sizeof arr);
	}
	memcpy(arr + (size_t)*n * elem, item, elem);
	(*n)++;
	return TD_OK;
}
