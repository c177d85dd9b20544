/*
 * A bump allocator: many small allocations that are all freed at once.  The
 * Dockerfile model puts every string and array of one file in one arena, so
 * parsing costs a handful of malloc calls and freeing it costs as many frees.
 *
 * Invariants: every pointer returned is aligned for any type and stays valid
 * until hd_arena_release(); nothing is freed individually.  Chunks come from
 * hd_malloc, so fault injection reaches arena users too: every allocation
 * function returns NULL (or -HD_ENOMEM) when a chunk cannot be had.
 */
#ifndef HD_ARENA_H
#define HD_ARENA_H

#include <stddef.h>

/* A chunk: allocations are carved from data[used..size). */
struct hd_arena_chunk {
	struct hd_arena_chunk *next;
	size_t size, used;
	_Alignas(16) unsigned char data[];
};

struct hd_arena {
	struct hd_arena_chunk *head; /* current chunk; older ones follow ->next */
	size_t chunk_size;           /* size of the next ordinary chunk */
	void *last;                  /* the most recent allocation (grown in place when possible) */
	size_t last_size;
};

/* Initialises an empty arena whose first chunk will hold about hint bytes. */
void hd_arena_init(struct hd_arena *a, size_t hint);
/* Frees every chunk; the arena is empty and reusable afterwards.  Accepts NULL. */
void hd_arena_release(struct hd_arena *a);
/* n bytes, uninitialised; NULL on OOM or overflow. */
void *hd_arena_alloc(struct hd_arena *a, size_t n);
/* The slow path of hd_arena_alloc_fast(): opens a chunk. */
void *hd_arena_alloc_chunk(struct hd_arena *a, size_t n);
/* n bytes, zeroed. */
void *hd_arena_zalloc(struct hd_arena *a, size_t n);
/* A NUL-terminated copy of s[0..n). */
char *hd_arena_strndup(struct hd_arena *a, const char *s, size_t n);
static inline char *hd_arena_strndup_fast(struct hd_arena *a, const char *s, size_t n);
char *hd_arena_strdup(struct hd_arena *a, const char *s);
/*
 * Grows the array *pv (of *alloc elements of elem bytes, allocated in this
 * arena) to hold at least need elements, keeping its content; doubles.
 * Returns 0 or -HD_ENOMEM.
 */
int hd_arena_grow(struct hd_arena *a, void **pv, size_t *alloc, size_t need, size_t elem);
/* hd_arena_alloc() with its common case inlined. */
static inline void *hd_arena_alloc_fast(struct hd_arena *a, size_t n)
{
	struct hd_arena_chunk *c = a->head;
	size_t need = (n + 15) & ~(size_t)15;

	if (c && n && n < ((size_t)1 << 40) && c->size - c->used >= need) {
		void *p = c->data + c->used;

		c->used += need;
		a->last = p;
		a->last_size = need;
		return p;
	}
	return hd_arena_alloc_chunk(a, n);
}

static inline char *hd_arena_strndup_fast(struct hd_arena *a, const char *s, size_t n)
{
	char *d = (char *)hd_arena_alloc_fast(a, n + 1);

	if (d) {
		__builtin_memcpy(d, s, n);
		d[n] = '\0';
	}
	return d;
}

#define HD_ARENA_GROW(a, v, alloc, need) hd_arena_grow((a), (void **)&(v), &(alloc), (need), sizeof(*(v)))

#endif
