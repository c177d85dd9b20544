/*
 * The two-thread layer pipeline: the thread that reads the archive hashes and
 * decompresses each layer blob into a few fixed buffers; a worker thread
 * reads the tar entries out of them and analyses every file (hd_layer_read).
 * Decompression is the floor of the whole pass, so the analysis runs beside
 * it on the other core instead of after it.
 *
 * Memory is bounded: nbuf buffers of bufsize bytes, whatever the layer size.
 * Layers queue in order; the reader goes on with the next archive entry while
 * the worker finishes the tail of the previous layer.
 *
 * Ownership: the pipe borrows the layer reader and each job's index until
 * hd_pipe_finish() returns.
 */
#ifndef HD_IMAGE_PIPE_H
#define HD_IMAGE_PIPE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "image/layer.h"

struct hd_pipe;

/* Starts the worker.  Returns 0, -HD_ENOMEM or -HD_EIO (no thread). */
int hd_pipe_start(struct hd_pipe **ret, struct hd_layer_reader *lr, unsigned nbuf, size_t bufsize);
/*
 * Runs one layer through the pipe: pulls decompressed bytes with fill()
 * (hd_decoder_fill's contract) until its end and queues them for the
 * worker, which fills ix.  When the worker gives up on the layer early (not
 * a tar, a limit), *stopped is set and the caller only needs to drain the raw
 * input for its digest.  Returns 0 or the fill error (its message is in the
 * decoder; the worker has been told).
 */
typedef int hd_fill_fn(void *ctx, uint8_t *buf, size_t cap, size_t *got);
int hd_pipe_layer(struct hd_pipe *p, struct hd_layer_index *ix, hd_fill_fn *fill, void *ctx,
		  const char *fill_errmsg, bool *stopped);
/* Waits for every queued layer, stops the worker; returns the first -HD_ENOMEM it met, else 0. */
int hd_pipe_finish(struct hd_pipe *p);
void hd_pipe_free(struct hd_pipe *p);

#endif
