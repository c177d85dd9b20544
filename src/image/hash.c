/*
 * SipHash-2-4 (Aumasson and Bernstein, "SipHash: a fast short-input PRF",
 * 2012), written from the paper's description, and the hash set of the image
 * reader (see hash.h).
 */
#include "core/common.h"
#include "image/hash.h"

#include <pthread.h>
#include <sys/random.h>

#define ROTL(x, b) (uint64_t)(((x) << (b)) | ((x) >> (64 - (b))))

static inline uint64_t load_le64(const uint8_t *p)
{
	uint64_t v = 0;

	for (int i = 7; i >= 0; i--)
		v = (v << 8) | p[i];
	return v;
}

#define SIPROUND                                                                                   \
	do {                                                                                       \
		v0 += v1; v1 = ROTL(v1, 13); v1 ^= v0; v0 = ROTL(v0, 32);                          \
		v2 += v3; v3 = ROTL(v3, 16); v3 ^= v2;                                             \
		v0 += v3; v3 = ROTL(v3, 21); v3 ^= v0;                                             \
		v2 += v1; v1 = ROTL(v1, 17); v1 ^= v2; v2 = ROTL(v2, 32);                          \
	} while (0)

uint64_t hd_siphash24(const uint8_t key[16], const void *data, size_t n)
{
	const uint8_t *p = data, *end = p + (n & ~(size_t)7);
	uint64_t k0 = load_le64(key), k1 = load_le64(key + 8);
	uint64_t v0 = 0x736f6d6570736575ULL ^ k0, v1 = 0x646f72616e646f6dULL ^ k1;
	uint64_t v2 = 0x6c7967656e657261ULL ^ k0, v3 = 0x7465646279746573ULL ^ k1;
	uint64_t m, b = (uint64_t)n << 56;
	size_t left = n & 7;

	for (; p != end; p += 8) {
		m = load_le64(p);
		v3 ^= m;
		SIPROUND;
		SIPROUND;
		v0 ^= m;
	}
	for (size_t i = 0; i < left; i++)
		b |= (uint64_t)p[i] << (8 * i);
	v3 ^= b;
	SIPROUND;
	SIPROUND;
	v0 ^= b;
	v2 ^= 0xff;
	SIPROUND;
	SIPROUND;
	SIPROUND;
	SIPROUND;
	return v0 ^ v1 ^ v2 ^ v3;
}

static uint8_t path_key[16];
static pthread_once_t key_once = PTHREAD_ONCE_INIT;

static void key_init(void)
{
	size_t got = 0;

	while (got < sizeof(path_key)) {
		ssize_t n = getrandom(path_key + got, sizeof(path_key) - got, 0);

		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			break;
		got += (size_t)n;
	}
	/* Without randomness the key stays fixed: collisions get findable, nothing worse. */
}

uint64_t hd_path_hash(const char *path, size_t n)
{
	uint64_t h;

	pthread_once(&key_once, key_init);
	h = hd_siphash24(path_key, path, n) & ~(uint64_t)1;
	return h ? h : 2;
}

static size_t slot_of(uint64_t k, size_t cap)
{
	/* The keys are already uniform; mix the high bits in for small tables. */
	return (size_t)((k ^ (k >> 29)) & (cap - 1));
}

static int grow(struct hd_u64set *s)
{
	size_t ncap = s->cap ? s->cap * 2 : 64, i;
	uint64_t *nv = hd_calloc(ncap, sizeof(*nv));

	if (!nv)
		return -HD_ENOMEM;
	for (i = 0; i < s->cap; i++) {
		uint64_t k = s->v[i];
		size_t j;

		if (!k)
			continue;
		for (j = slot_of(k, ncap); nv[j]; j = (j + 1) & (ncap - 1))
			;
		nv[j] = k;
	}
	hd_free(s->v);
	s->v = nv;
	s->cap = ncap;
	return 0;
}

int hd_u64set_put(struct hd_u64set *s, uint64_t k, uint64_t mask)
{
	size_t j;

	if ((s->n + 1) * 4 > s->cap * 3) {
		int r = grow(s);

		if (r < 0)
			return r;
	}
	for (j = slot_of(k & mask, s->cap); s->v[j]; j = (j + 1) & (s->cap - 1)) {
		if ((s->v[j] & mask) == (k & mask)) {
			s->v[j] = k;
			return 0;
		}
	}
	s->v[j] = k;
	s->n++;
	return 1;
}

uint64_t hd_u64set_get(const struct hd_u64set *s, uint64_t k, uint64_t mask)
{
	size_t j;

	if (!s->cap)
		return 0;
	for (j = slot_of(k & mask, s->cap); s->v[j]; j = (j + 1) & (s->cap - 1)) {
		if ((s->v[j] & mask) == (k & mask))
			return s->v[j];
	}
	return 0;
}

static int cmp_u64(const void *a, const void *b)
{
	uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;

	return x < y ? -1 : x > y;
}

uint64_t *hd_u64set_sorted(struct hd_u64set *s, size_t *n, int *err)
{
	size_t i, k = 0;
	uint64_t *v = s->v;

	*err = 0;
	*n = 0;
	if (!s->n) {
		hd_u64set_release(s);
		return NULL;
	}
	for (i = 0; i < s->cap; i++) {
		if (v[i])
			v[k++] = v[i];
	}
	qsort(v, k, sizeof(*v), cmp_u64);
	/* Give back the empty tail. */
	s->v = NULL;
	s->cap = s->n = 0;
	{
		uint64_t *shrunk = hd_realloc(v, k * sizeof(*v));

		if (shrunk)
			v = shrunk;
	}
	*n = k;
	return v;
}

void hd_u64set_release(struct hd_u64set *s)
{
	hd_free(s->v);
	s->v = NULL;
	s->cap = s->n = 0;
}

uint64_t hd_u64_find(const uint64_t *v, size_t n, uint64_t k, uint64_t mask)
{
	size_t lo = 0, hi = n;

	/* Sorted by full value; keys equal under mask differ at most in masked-out low bits. */
	k &= mask;
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;

		if ((v[mid] & mask) < k)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo < n && (v[lo] & mask) == k ? v[lo] : 0;
}
