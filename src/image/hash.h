/*
 * Path hashing for the image reader.  Layers are indexed by 64-bit hashes of
 * their entry paths (8 bytes an entry instead of the path), so the hash is
 * keyed: SipHash-2-4 with a random key drawn once per process, so a hostile
 * layer cannot be crafted offline to collide with a path of another layer
 * (which would hide a setuid file from the final tree).
 *
 * hd_u64set is an open-addressing set of such hashes (0 is never stored:
 * hd_path_hash() never returns it).
 */
#ifndef HD_IMAGE_HASH_H
#define HD_IMAGE_HASH_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* SipHash-2-4 of data under a 16-byte key. */
uint64_t hd_siphash24(const uint8_t key[16], const void *data, size_t n);
/* The keyed hash of a normalised path ("usr/bin/su"); never 0, low bit clear. */
uint64_t hd_path_hash(const char *path, size_t n);

struct hd_u64set {
	uint64_t *v;   /* slots; 0 = empty */
	size_t cap;    /* power of two, or 0 */
	size_t n;
};

/*
 * Inserts k (nonzero) comparing keys with `mask` applied (so the low bit can
 * carry a flag).  Returns 1 if inserted, 0 if an equal key was there (its
 * slot then takes k), -HD_ENOMEM.
 */
int hd_u64set_put(struct hd_u64set *s, uint64_t k, uint64_t mask);
/* The stored key equal to k under mask, or 0. */
uint64_t hd_u64set_get(const struct hd_u64set *s, uint64_t k, uint64_t mask);
/* Moves the keys into a sorted array owned by the caller (set emptied); NULL when empty or OOM (*n set). */
uint64_t *hd_u64set_sorted(struct hd_u64set *s, size_t *n, int *err);
void hd_u64set_release(struct hd_u64set *s);
/* Binary search in a sorted array, comparing under mask; the element or 0. */
uint64_t hd_u64_find(const uint64_t *v, size_t n, uint64_t k, uint64_t mask);

#endif
