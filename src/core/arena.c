/*
 * The bump allocator of arena.h: a list of chunks, each filled from the
 * front.  A request that does not fit opens a new chunk at least twice as big
 * as the previous one (or as big as the request), so the number of chunks
 * stays logarithmic in the total size.
 */
#include "core/common.h"
#include "core/arena.h"

#define ARENA_ALIGN 16u
#define ARENA_MIN   4096u
#define ARENA_MAXCHUNK (64u * 1024 * 1024)

void hd_arena_init(struct hd_arena *a, size_t hint)
{
	a->head = NULL;
	a->chunk_size = hint < ARENA_MIN ? ARENA_MIN : hint;
	a->last = NULL;
	a->last_size = 0;
}

void hd_arena_release(struct hd_arena *a)
{
	struct hd_arena_chunk *c, *n;

	if (!a)
		return;
	for (c = a->head; c; c = n) {
		n = c->next;
		hd_free(c);
	}
	a->head = NULL;
	a->last = NULL;
	a->last_size = 0;
}

static size_t round_up(size_t n)
{
	return (n + (ARENA_ALIGN - 1)) & ~(size_t)(ARENA_ALIGN - 1);
}

void *hd_arena_alloc(struct hd_arena *a, size_t n)
{
	return hd_arena_alloc_fast(a, n);
}

void *hd_arena_alloc_chunk(struct hd_arena *a, size_t n)
{
	struct hd_arena_chunk *c = a->head;
	size_t need, sz;
	void *p;

	if (n > SIZE_MAX / 2)
		return NULL;
	need = round_up(n ? n : 1);
	if (!c || c->size - c->used < need) {
		sz = a->chunk_size;
		if (sz < need)
			sz = need;
		if (!hd_size_add(sz, sizeof(*c), &sz))
			return NULL;
		c = hd_malloc(sz);
		if (!c)
			return NULL;
		c->size = sz - sizeof(*c);
		c->used = 0;
		c->next = a->head;
		a->head = c;
		if (a->chunk_size < ARENA_MAXCHUNK)
			a->chunk_size *= 2;
	}
	p = c->data + c->used;
	c->used += need;
	a->last = p;
	a->last_size = need;
	return p;
}

void *hd_arena_zalloc(struct hd_arena *a, size_t n)
{
	void *p = hd_arena_alloc(a, n);

	if (p)
		memset(p, 0, n);
	return p;
}

char *hd_arena_strndup(struct hd_arena *a, const char *s, size_t n)
{
	char *d;

	if (n == SIZE_MAX)
		return NULL;
	d = hd_arena_alloc_fast(a, n + 1);
	if (!d)
		return NULL;
	if (n)
		memcpy(d, s, n);
	d[n] = '\0';
	return d;
}

char *hd_arena_strdup(struct hd_arena *a, const char *s)
{
	return s ? hd_arena_strndup(a, s, strlen(s)) : NULL;
}

int hd_arena_grow(struct hd_arena *a, void **pv, size_t *alloc, size_t need, size_t elem)
{
	size_t n, bytes, old;
	void *p;

	if (need <= *alloc)
		return 0;
	n = *alloc ? *alloc : 4;
	while (n < need) {
		if (!hd_size_mul(n, 2, &n))
			return -HD_ENOMEM;
	}
	if (!hd_size_mul(n, elem, &bytes) || bytes > SIZE_MAX / 2)
		return -HD_ENOMEM;
	old = *alloc * elem;
	/* The last allocation of the current chunk can grow in place. */
	if (*pv && *pv == a->last && a->head) {
		struct hd_arena_chunk *c = a->head;
		size_t rb = round_up(bytes);

		if ((unsigned char *)*pv + a->last_size == c->data + c->used &&
		    c->used - a->last_size + rb <= c->size) {
			c->used = c->used - a->last_size + rb;
			a->last_size = rb;
			*alloc = n;
			return 0;
		}
	}
	p = hd_arena_alloc(a, bytes);
	if (!p)
		return -HD_ENOMEM;
	if (old)
		memcpy(p, *pv, old);
	*pv = p;
	*alloc = n;
	return 0;
}
