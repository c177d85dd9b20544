/*
 * The cache of image layer readings by image id (layers_cache.h): a small
 * array under one mutex; entries carry a reference count and the mark of
 * the audit that last used them.
 */
#include "core/common.h"
#include "audit/layers_cache.h"

#include <pthread.h>
#include <stdatomic.h>

struct entry {
	struct hd_layers_entry pub;   /* first: the public view is the entry */
	atomic_uint refs;
	char *id;
	uint64_t used;                /* the mark when last used */
};

struct hd_layers_cache {
	pthread_mutex_t mu;
	struct entry **v;
	size_t n, alloc, max;
	uint64_t mark;
};

static void entry_unref(struct entry *e)
{
	if (!e || atomic_fetch_sub(&e->refs, 1) != 1)
		return;
	hd_image_set_release(&e->pub.set);
	hd_free(e->id);
	hd_free(e);
}

void hd_layers_entry_unref(const struct hd_layers_entry *e)
{
	entry_unref((struct entry *)e);
}

struct hd_layers_cache *hd_layers_cache_new(size_t max)
{
	struct hd_layers_cache *c = hd_calloc(1, sizeof(*c));

	if (!c)
		return NULL;
	pthread_mutex_init(&c->mu, NULL);
	c->max = max ? max : 1;
	return c;
}

void hd_layers_cache_free(struct hd_layers_cache *c)
{
	size_t i;

	if (!c)
		return;
	for (i = 0; i < c->n; i++)
		entry_unref(c->v[i]);
	hd_free(c->v);
	pthread_mutex_destroy(&c->mu);
	hd_free(c);
}

const struct hd_layers_entry *hd_layers_cache_get(struct hd_layers_cache *c, const char *id)
{
	struct entry *e = NULL;
	size_t i;

	pthread_mutex_lock(&c->mu);
	for (i = 0; i < c->n; i++) {
		if (!strcmp(c->v[i]->id, id)) {
			e = c->v[i];
			e->used = c->mark;
			atomic_fetch_add(&e->refs, 1);
			break;
		}
	}
	pthread_mutex_unlock(&c->mu);
	return e ? &e->pub : NULL;
}

const struct hd_layers_entry *hd_layers_cache_put(struct hd_layers_cache *c, const char *id,
						  struct hd_image_set *set)
{
	struct entry *e = hd_calloc(1, sizeof(*e));
	size_t i, old;

	if (!e || !(e->id = hd_strdup(id))) {
		hd_free(e);
		return NULL;
	}
	atomic_init(&e->refs, 2); /* the cache's and the caller's */
	pthread_mutex_lock(&c->mu);
	e->used = c->mark;
	/* The same id put twice (two audits read it at once): the newer reading replaces it. */
	for (i = 0; i < c->n && strcmp(c->v[i]->id, id); i++)
		;
	if (i == c->n && c->n >= c->max) {
		for (i = old = 0; i < c->n; i++) {
			if (c->v[i]->used < c->v[old]->used)
				old = i;
		}
		i = old;
	}
	if (i == c->n && HD_GROW(c->v, c->alloc, c->n + 1) < 0) {
		pthread_mutex_unlock(&c->mu);
		hd_free(e->id);
		hd_free(e);
		return NULL;
	}
	if (i < c->n)
		entry_unref(c->v[i]);
	else
		c->n++;
	c->v[i] = e;
	e->pub.set = *set;
	memset(set, 0, sizeof(*set));
	pthread_mutex_unlock(&c->mu);
	return &e->pub;
}

uint64_t hd_layers_cache_mark(struct hd_layers_cache *c)
{
	uint64_t m;

	pthread_mutex_lock(&c->mu);
	m = ++c->mark;
	pthread_mutex_unlock(&c->mu);
	return m;
}

void hd_layers_cache_sweep(struct hd_layers_cache *c, uint64_t mark)
{
	size_t i, k;

	pthread_mutex_lock(&c->mu);
	for (i = k = 0; i < c->n; i++) {
		if (c->v[i]->used >= mark)
			c->v[k++] = c->v[i];
		else
			entry_unref(c->v[i]);
	}
	c->n = k;
	pthread_mutex_unlock(&c->mu);
}

size_t hd_layers_cache_size(struct hd_layers_cache *c)
{
	size_t n;

	pthread_mutex_lock(&c->mu);
	n = c->n;
	pthread_mutex_unlock(&c->mu);
	return n;
}
