/*
 * Blob decoding: the raw bytes of one blob (a layer as stored: tar, gzip or
 * zstd) come from a pull callback; the decoder hashes them with SHA-256 as
 * they pass (the blob's digest) and hands out the decompressed bytes.  It
 * enforces the decompression limits: total output bytes, the ratio of output
 * to input (decompression bombs), the zstd window size.
 *
 * Errors are -HD_E* codes with a message in d->err naming what was wrong
 * ("corrupt gzip data: invalid distance too far back", "the zstd stream is
 * truncated").  The decoder owns nothing the caller gave it.
 */
#ifndef HD_IMAGE_DECODE_H
#define HD_IMAGE_DECODE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

enum hd_comp { HD_COMP_NONE, HD_COMP_GZIP, HD_COMP_ZSTD, HD_COMP_MAX };

/* "tar", "gzip", "zstd". */
const char *hd_comp_name(enum hd_comp c);
/* The compression the first bytes show (HD_COMP_NONE when neither magic). */
enum hd_comp hd_comp_sniff(const void *p, size_t n);

/*
 * The raw source: sets *p and *n to the next bytes (valid until the next call);
 * *n == 0 at the end.  Returns 0 or -HD_E* with a message in errbuf.
 */
typedef int hd_raw_read_fn(void *ctx, const void **p, size_t *n, char *errbuf, size_t errlen);

struct hd_decode_limits {
	uint64_t max_out;    /* decompressed bytes allowed for this blob (what is left of the budget) */
	uint64_t max_ratio;  /* output:input beyond ratio_floor bytes; 0 = no check */
	uint64_t ratio_floor;
	unsigned zstd_window_log; /* largest zstd window accepted (2^n bytes) */
};

struct hd_decoder_state;

struct hd_decoder {
	enum hd_comp comp;
	hd_raw_read_fn *read;
	void *ctx;
	struct hd_decode_limits lim;
	const uint8_t *in;      /* raw input not consumed yet */
	size_t in_len;
	bool raw_eof;           /* the source said end */
	bool out_eof;           /* the decompressed stream ended (all frames / members) */
	uint64_t raw_bytes;     /* raw bytes read (and hashed) so far */
	uint64_t out_bytes;     /* decompressed bytes handed out */
	struct hd_decoder_state *st;
	char err[512];
};

/*
 * Starts decoding: `peek` (the first bytes of the blob, already taken from the
 * source to sniff it; may be NULL) are hashed and decoded first.  Returns 0
 * or -HD_ENOMEM.
 */
int hd_decoder_init(struct hd_decoder *d, enum hd_comp comp, const struct hd_decode_limits *lim,
		    hd_raw_read_fn *read, void *ctx, const void *peek, size_t peek_len);
/*
 * Fills buf with up to cap decompressed bytes; *got == 0 means the end (the
 * raw input is then consumed entirely: data after the end of the compressed
 * stream is an error).  Returns 0 or -HD_E* (message in d->err).
 */
int hd_decoder_fill(struct hd_decoder *d, uint8_t *buf, size_t cap, size_t *got);
/* Reads and hashes the rest of the raw input without decoding it; 0 or -HD_E*. */
int hd_decoder_drain(struct hd_decoder *d);
/* "sha256:<hex>" of the raw bytes read so far into out[72]. */
void hd_decoder_digest(struct hd_decoder *d, char out[72]);
void hd_decoder_release(struct hd_decoder *d);

/* Incremental SHA-256 (OpenSSL) for the uncompressed stream. */
struct hd_sha256;
struct hd_sha256 *hd_sha256_new(void);
void hd_sha256_update(struct hd_sha256 *s, const void *p, size_t n);
/* "sha256:<hex>" into out[72]; the context can be reused after hd_sha256_reset. */
void hd_sha256_final(struct hd_sha256 *s, char out[72]);
void hd_sha256_reset(struct hd_sha256 *s);
void hd_sha256_free(struct hd_sha256 *s);

#endif
