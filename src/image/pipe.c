/*
 * The layer pipeline (see pipe.h): a ring of items (layer starts, filled
 * buffers, ends, errors) under one mutex, and a pool of buffers.  libarchive
 * keeps a buffer it was given until it asks for the next one, so the worker
 * gives a buffer back to the pool on its next read.
 */
#include "core/common.h"
#include "image/pipe.h"

#include <pthread.h>
#include <stdatomic.h>

#define RING 64u

enum item_kind { IT_JOB, IT_DATA, IT_END, IT_ERR, IT_STOP };

struct item {
	enum item_kind kind;
	int buf;                   /* IT_DATA */
	size_t len;
	struct hd_layer_index *ix; /* IT_JOB */
	uint64_t id;
	int err;                   /* IT_ERR */
	char *msg;
};

struct hd_pipe {
	pthread_t th;
	bool started;
	pthread_mutex_t mu;
	pthread_cond_t cv;         /* any change: item queued, item taken, buffer freed */
	struct item ring[RING];
	unsigned head, n;
	uint8_t **bufs;
	unsigned nbuf;
	size_t bufsize;
	int *free_bufs;
	unsigned n_free;
	struct hd_layer_reader *lr;
	uint64_t next_id;
	atomic_uint_fast64_t stopped_id; /* the worker gave up on this job */
	int fatal;                 /* -HD_ENOMEM met by the worker */
	/* Worker side. */
	int cur_buf;
	bool job_done;
	uint64_t cur_id;
	struct hd_layer_index *cur_ix;
};

static void push(struct hd_pipe *p, const struct item *it)
{
	pthread_mutex_lock(&p->mu);
	while (p->n == RING)
		pthread_cond_wait(&p->cv, &p->mu);
	p->ring[(p->head + p->n) % RING] = *it;
	p->n++;
	pthread_cond_broadcast(&p->cv);
	pthread_mutex_unlock(&p->mu);
}

/* Takes the next item; the caller holds no lock. */
static struct item pop(struct hd_pipe *p)
{
	struct item it;

	pthread_mutex_lock(&p->mu);
	while (p->n == 0)
		pthread_cond_wait(&p->cv, &p->mu);
	it = p->ring[p->head];
	p->head = (p->head + 1) % RING;
	p->n--;
	pthread_cond_broadcast(&p->cv);
	pthread_mutex_unlock(&p->mu);
	return it;
}

static void give_back(struct hd_pipe *p, int buf)
{
	pthread_mutex_lock(&p->mu);
	p->free_bufs[p->n_free++] = buf;
	pthread_cond_broadcast(&p->cv);
	pthread_mutex_unlock(&p->mu);
}

static int take_buf(struct hd_pipe *p)
{
	int b;

	pthread_mutex_lock(&p->mu);
	while (p->n_free == 0)
		pthread_cond_wait(&p->cv, &p->mu);
	b = p->free_bufs[--p->n_free];
	pthread_mutex_unlock(&p->mu);
	return b;
}

/* The worker's source of decompressed bytes (hd_chunk_fn). */
static int pop_chunk(void *ctx, const void **pp, size_t *n, char *err, size_t errlen)
{
	struct hd_pipe *p = ctx;
	struct item it;

	*n = 0;
	if (p->cur_buf >= 0) {
		give_back(p, p->cur_buf);
		p->cur_buf = -1;
	}
	if (p->cur_ix->error)
		atomic_store(&p->stopped_id, p->cur_id);
	if (p->job_done)
		return 0;
	it = pop(p);
	switch (it.kind) {
	case IT_DATA:
		p->cur_buf = it.buf;
		*pp = p->bufs[it.buf];
		*n = it.len;
		return 0;
	case IT_ERR:
		p->job_done = true;
		snprintf(err, errlen, "%s", it.msg ? it.msg : "read error");
		hd_free(it.msg);
		return it.err;
	default:
		/* IT_END; a JOB or STOP cannot come before the END of the current job. */
		p->job_done = true;
		return 0;
	}
}

static void *worker(void *arg)
{
	struct hd_pipe *p = arg;

	for (;;) {
		struct item it = pop(p);
		int r;

		if (it.kind == IT_STOP)
			break;
		if (it.kind != IT_JOB) {
			/* Left over from a job that ended in an allocation failure. */
			if (it.kind == IT_DATA)
				give_back(p, it.buf);
			hd_free(it.msg);
			continue;
		}
		p->cur_ix = it.ix;
		p->cur_id = it.id;
		p->job_done = false;
		p->cur_buf = -1;
		r = hd_layer_read(p->lr, pop_chunk, p, it.ix);
		if (p->cur_buf >= 0) {
			give_back(p, p->cur_buf);
			p->cur_buf = -1;
		}
		if (r < 0) {
			atomic_store(&p->stopped_id, p->cur_id);
			pthread_mutex_lock(&p->mu);
			if (!p->fatal)
				p->fatal = r;
			pthread_mutex_unlock(&p->mu);
		}
	}
	return NULL;
}

int hd_pipe_start(struct hd_pipe **ret, struct hd_layer_reader *lr, unsigned nbuf, size_t bufsize)
{
	struct hd_pipe *p = hd_calloc(1, sizeof(*p));
	unsigned i;

	if (!p)
		return -HD_ENOMEM;
	pthread_mutex_init(&p->mu, NULL);
	pthread_cond_init(&p->cv, NULL);
	atomic_init(&p->stopped_id, 0);
	p->lr = lr;
	p->nbuf = nbuf;
	p->bufsize = bufsize;
	p->cur_buf = -1;
	p->bufs = hd_calloc(nbuf, sizeof(*p->bufs));
	p->free_bufs = hd_calloc(nbuf, sizeof(*p->free_bufs));
	if (!p->bufs || !p->free_bufs)
		goto oom;
	for (i = 0; i < nbuf; i++) {
		p->bufs[i] = hd_malloc(bufsize);
		if (!p->bufs[i])
			goto oom;
		p->free_bufs[p->n_free++] = (int)i;
	}
	if (pthread_create(&p->th, NULL, worker, p) != 0) {
		hd_pipe_free(p);
		return -HD_EIO;
	}
	p->started = true;
	*ret = p;
	return 0;
oom:
	hd_pipe_free(p);
	return -HD_ENOMEM;
}

int hd_pipe_layer(struct hd_pipe *p, struct hd_layer_index *ix, hd_fill_fn *fill, void *ctx,
		  const char *fill_errmsg, bool *stopped)
{
	struct item it = { .kind = IT_JOB, .ix = ix, .id = ++p->next_id };
	uint64_t id = it.id;

	*stopped = false;
	push(p, &it);
	for (;;) {
		size_t got = 0;
		int b, r;

		if (atomic_load(&p->stopped_id) == id) {
			*stopped = true;
			push(p, &(struct item){ .kind = IT_END });
			return 0;
		}
		b = take_buf(p);
		r = fill(ctx, p->bufs[b], p->bufsize, &got);
		if (r < 0 || got == 0) {
			give_back(p, b);
			if (r < 0)
				push(p, &(struct item){ .kind = IT_ERR, .err = r,
							.msg = hd_strdup(fill_errmsg ? fill_errmsg : "read error") });
			else
				push(p, &(struct item){ .kind = IT_END });
			return r;
		}
		push(p, &(struct item){ .kind = IT_DATA, .buf = b, .len = got });
	}
}

int hd_pipe_finish(struct hd_pipe *p)
{
	int r;

	if (!p->started)
		return 0;
	push(p, &(struct item){ .kind = IT_STOP });
	pthread_join(p->th, NULL);
	p->started = false;
	r = p->fatal;
	return r;
}

void hd_pipe_free(struct hd_pipe *p)
{
	unsigned i;

	if (!p)
		return;
	if (p->started)
		hd_pipe_finish(p);
	for (i = 0; p->bufs && i < p->nbuf; i++)
		hd_free(p->bufs[i]);
	hd_free(p->bufs);
	hd_free(p->free_bufs);
	while (p->n) {
		hd_free(p->ring[p->head].msg);
		p->head = (p->head + 1) % RING;
		p->n--;
	}
	pthread_cond_destroy(&p->cv);
	pthread_mutex_destroy(&p->mu);
	hd_free(p);
}
