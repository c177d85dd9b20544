/*
 * What the layers of engine images showed, kept by image id for audits
 * that run again and again (`hardock serve --image-layers`): an image id
 * names its content, so its layers are streamed once and every later audit
 * judges the kept reading again, with the rules of that audit and the
 * image's current name.  The cache is shared by every audit session of a
 * server (their threads): it locks itself.
 *
 * Entries are immutable once put and reference-counted: a reader holds a
 * reference while it judges, so a sweep or an eviction never frees an
 * entry under it.  At most `max` entries; beyond, the one used longest ago
 * goes.  hd_layers_cache_mark() and _sweep() bracket a whole audit: the
 * entries of images it did not use (removed from the engine) are dropped.
 */
#ifndef HD_AUDIT_LAYERS_CACHE_H
#define HD_AUDIT_LAYERS_CACHE_H

#include <stddef.h>
#include <stdint.h>

#include "image/image.h"

struct hd_layers_cache;

struct hd_layers_entry {
	struct hd_image_set set;  /* as hd_image_analyze_engine() read it */
};

/* An empty cache of at most max entries; NULL on OOM. */
struct hd_layers_cache *hd_layers_cache_new(size_t max);
/* Frees the cache; entries still referenced live until their last unref. */
void hd_layers_cache_free(struct hd_layers_cache *c);
/* A reference to the entry of image id, or NULL. */
const struct hd_layers_entry *hd_layers_cache_get(struct hd_layers_cache *c, const char *id);
/*
 * Puts set for id (moved into the entry: set is left empty) and returns a
 * reference to the entry, or NULL on OOM (set untouched).
 */
const struct hd_layers_entry *hd_layers_cache_put(struct hd_layers_cache *c, const char *id,
						  struct hd_image_set *set);
void hd_layers_entry_unref(const struct hd_layers_entry *e);
/* Begins a whole audit; returns its mark for hd_layers_cache_sweep(). */
uint64_t hd_layers_cache_mark(struct hd_layers_cache *c);
/* Drops the entries not used since mark. */
void hd_layers_cache_sweep(struct hd_layers_cache *c, uint64_t mark);
/* How many entries it holds (tests). */
size_t hd_layers_cache_size(struct hd_layers_cache *c);

#endif
