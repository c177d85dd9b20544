/*
 * The allocation wrappers of alloc.h, with the fault-injection counter used by
 * the test suite.  This is the only file allowed to call malloc and realloc.
 */
#include "core/alloc.h"
#include "core/err.h"

#include <stdarg.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static atomic_ulong alloc_count;
static atomic_ulong alloc_fail_at;

void hd_alloc_fail_at(unsigned long n)
{
	alloc_count = 0;
	alloc_fail_at = n;
}

unsigned long hd_alloc_count(void) { return alloc_count; }

static bool should_fail(void)
{
	unsigned long at = atomic_load_explicit(&alloc_fail_at, memory_order_relaxed);
	if (at == 0)
		return false;
	return atomic_fetch_add(&alloc_count, 1) + 1 == at;
}

void *hd_malloc(size_t n)
{
	if (should_fail())
		return NULL;
	return malloc(n ? n : 1);
}

void *hd_calloc(size_t nmemb, size_t size)
{
	if (should_fail())
		return NULL;
	return calloc(nmemb ? nmemb : 1, size ? size : 1);
}

void *hd_realloc(void *p, size_t n)
{
	if (should_fail())
		return NULL;
	return realloc(p, n ? n : 1);
}

int hd_grow(void **pv, size_t *alloc, size_t need, size_t elem)
{
	size_t n, bytes;
	void *p;

	if (need <= *alloc)
		return 0;
	n = *alloc ? *alloc : 8;
	while (n < need) {
		if (!hd_size_mul(n, 2, &n))
			return -HD_ENOMEM;
	}
	if (!hd_size_mul(n, elem, &bytes))
		return -HD_ENOMEM;
	p = hd_realloc(*pv, bytes);
	if (!p)
		return -HD_ENOMEM;
	*pv = p;
	*alloc = n;
	return 0;
}

char *hd_strndup(const char *s, size_t n)
{
	char *d;
	size_t sz;

	if (!hd_size_add(n, 1, &sz))
		return NULL;
	d = hd_malloc(sz);
	if (!d)
		return NULL;
	memcpy(d, s, n);
	d[n] = '\0';
	return d;
}

char *hd_strdup(const char *s)
{
	return s ? hd_strndup(s, strlen(s)) : NULL;
}

char *hd_asprintf(const char *fmt, ...)
{
	va_list ap;
	int n;
	char *s;

	va_start(ap, fmt);
	n = vsnprintf(NULL, 0, fmt, ap);
	va_end(ap);
	if (n < 0)
		return NULL;
	s = hd_malloc((size_t)n + 1);
	if (!s)
		return NULL;
	va_start(ap, fmt);
	vsnprintf(s, (size_t)n + 1, fmt, ap);
	va_end(ap);
	return s;
}

void hd_free(void *p) { free(p); }
