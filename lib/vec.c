/*
 * vec.c - vec_reserve(), the one way an engine array grows.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "muc.h"
#include "vec.h"

int
vec_reserve(void *arrp, size_t *cap, size_t need, size_t size)
{
	void	*arr, *grown;
	size_t	 ncap;

	if (need <= *cap)
		return MUC_OK;
	ncap = *cap ? *cap : 8;
	while (ncap < need) {
		if (ncap > SIZE_MAX / 2)
			return MUC_ENOMEM;
		ncap *= 2;
	}
	if (ncap > SIZE_MAX / size)
		return MUC_ENOMEM;
	/* arrp points at a pointer of any object type: move it as bytes. */
	memcpy(&arr, arrp, sizeof(arr));
	if ((grown = realloc(arr, ncap * size)) == NULL)
		return MUC_ENOMEM;
	memcpy(arrp, &grown, sizeof(grown));
	*cap = ncap;
	return MUC_OK;
}
