/*
 * Allocation wrappers.  Every allocation in hardock goes through these so that
 * the test build can fail the Nth allocation (SQLite's fault simulation) and
 * check that callers turn it into -HD_ENOMEM instead of crashing.  Sizes are
 * overflow-checked with hd_size_add() and hd_size_mul().
 */
#ifndef HD_ALLOC_H
#define HD_ALLOC_H

#include <stdbool.h>
#include <stddef.h>

void *hd_malloc(size_t n);
void *hd_calloc(size_t nmemb, size_t size);
void *hd_realloc(void *p, size_t n);
/* Grows *pv so it holds at least need elements of elem bytes; doubles. */
int hd_grow(void **pv, size_t *alloc, size_t need, size_t elem);
#define HD_GROW(v, alloc, need) hd_grow((void **)&(v), &(alloc), (need), sizeof(*(v)))
char *hd_strdup(const char *s);
char *hd_strndup(const char *s, size_t n);
/* printf into a new string; NULL on OOM or format error. */
char *hd_asprintf(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
void hd_free(void *p);

/* Overflow checks: return false (and leave *r unspecified) on overflow. */
static inline bool hd_size_add(size_t a, size_t b, size_t *r) { return !__builtin_add_overflow(a, b, r); }
static inline bool hd_size_mul(size_t a, size_t b, size_t *r) { return !__builtin_mul_overflow(a, b, r); }

/* Fault injection for tests: fail the nth allocation from now (0 = never). */
void hd_alloc_fail_at(unsigned long n);
unsigned long hd_alloc_count(void);

/* Cleanup helpers; destructors accept NULL. */
static inline void hd_freep(void *p) { hd_free(*(void **)p); }
#define hd_autofree __attribute__((cleanup(hd_freep)))
#define HD_TAKE_PTR(p) ({ __typeof__(p) _tp = (p); (p) = NULL; _tp; })

#endif
