/*
 * Blob decoding (see decode.h): SHA-256 of the raw bytes, then zlib for gzip
 * (several members, as Go's reader and so dockerd accept), libzstd for zstd
 * (several frames, skippable frames; the window bounded so a frame cannot ask
 * for gigabytes), or the bytes as they are for a plain tar.
 */
#include "core/common.h"
#include "image/decode.h"

#include <openssl/evp.h>
#include <zlib.h>
#include <zstd.h>
#include <zstd_errors.h>

struct hd_sha256 {
	EVP_MD_CTX *ctx;
};

struct hd_sha256 *hd_sha256_new(void)
{
	struct hd_sha256 *s = hd_calloc(1, sizeof(*s));

	if (!s)
		return NULL;
	s->ctx = EVP_MD_CTX_new();
	if (!s->ctx || EVP_DigestInit_ex(s->ctx, EVP_sha256(), NULL) != 1) {
		hd_sha256_free(s);
		return NULL;
	}
	return s;
}

void hd_sha256_update(struct hd_sha256 *s, const void *p, size_t n)
{
	if (n)
		EVP_DigestUpdate(s->ctx, p, n);
}

void hd_sha256_final(struct hd_sha256 *s, char out[72])
{
	static const char hex[] = "0123456789abcdef";
	unsigned char md[EVP_MAX_MD_SIZE];
	unsigned int n = 0, i;

	EVP_DigestFinal_ex(s->ctx, md, &n);
	memcpy(out, "sha256:", 7);
	for (i = 0; i < n && i < 32; i++) {
		out[7 + 2 * i] = hex[md[i] >> 4];
		out[8 + 2 * i] = hex[md[i] & 15];
	}
	out[7 + 2 * i] = '\0';
}

void hd_sha256_reset(struct hd_sha256 *s)
{
	EVP_DigestInit_ex(s->ctx, EVP_sha256(), NULL);
}

void hd_sha256_free(struct hd_sha256 *s)
{
	if (!s)
		return;
	EVP_MD_CTX_free(s->ctx);
	hd_free(s);
}

const char *hd_comp_name(enum hd_comp c)
{
	static const char *const names[HD_COMP_MAX] = { "tar", "gzip", "zstd" };

	return (unsigned)c < HD_COMP_MAX ? names[c] : "?";
}

enum hd_comp hd_comp_sniff(const void *p, size_t n)
{
	const unsigned char *b = p;

	if (n >= 2 && b[0] == 0x1f && b[1] == 0x8b)
		return HD_COMP_GZIP;
	if (n >= 4 && b[0] == 0x28 && b[1] == 0xb5 && b[2] == 0x2f && b[3] == 0xfd)
		return HD_COMP_ZSTD;
	return HD_COMP_NONE;
}

struct hd_decoder_state {
	struct hd_sha256 *sha;
	z_stream z;
	bool z_init;
	bool member_done;  /* a gzip member or zstd frame ended; more may follow */
	ZSTD_DStream *zs;
	size_t zs_last;    /* ZSTD_decompressStream's last hint: 0 = at a frame boundary */
	bool started;      /* output produced or a member begun */
};

static int derr(struct hd_decoder *d, int code, const char *fmt, ...) __attribute__((format(printf, 3, 4)));
static int derr(struct hd_decoder *d, int code, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(d->err, sizeof(d->err), fmt, ap);
	va_end(ap);
	return code;
}

/* Makes raw input available; false at the end of the source (or on error: *r < 0). */
static bool more_input(struct hd_decoder *d, int *r)
{
	const void *p;
	size_t n;

	*r = 0;
	if (d->in_len)
		return true;
	if (d->raw_eof)
		return false;
	for (;;) {
		*r = d->read(d->ctx, &p, &n, d->err, sizeof(d->err));
		if (*r < 0)
			return false;
		if (n == 0) {
			d->raw_eof = true;
			return false;
		}
		hd_sha256_update(d->st->sha, p, n);
		d->raw_bytes += n;
		d->in = p;
		d->in_len = n;
		return true;
	}
}

int hd_decoder_init(struct hd_decoder *d, enum hd_comp comp, const struct hd_decode_limits *lim,
		    hd_raw_read_fn *read, void *ctx, const void *peek, size_t peek_len)
{
	memset(d, 0, sizeof(*d));
	d->comp = comp;
	d->lim = *lim;
	d->read = read;
	d->ctx = ctx;
	d->st = hd_calloc(1, sizeof(*d->st));
	if (!d->st)
		return -HD_ENOMEM;
	d->st->sha = hd_sha256_new();
	if (!d->st->sha)
		return -HD_ENOMEM;
	if (comp == HD_COMP_GZIP) {
		/* 16 + 15: a gzip wrapper and the largest window. */
		if (inflateInit2(&d->st->z, 16 + 15) != Z_OK)
			return -HD_ENOMEM;
		d->st->z_init = true;
	} else if (comp == HD_COMP_ZSTD) {
		d->st->zs = ZSTD_createDStream();
		if (!d->st->zs)
			return -HD_ENOMEM;
		if (ZSTD_isError(ZSTD_DCtx_setParameter(d->st->zs, ZSTD_d_windowLogMax,
							 (int)(lim->zstd_window_log ? lim->zstd_window_log : 24))))
			return -HD_ENOMEM;
	}
	if (peek && peek_len) {
		hd_sha256_update(d->st->sha, peek, peek_len);
		d->raw_bytes = peek_len;
		d->in = peek;
		d->in_len = peek_len;
	}
	return 0;
}

static int check_limits(struct hd_decoder *d, size_t produced)
{
	d->out_bytes += produced;
	if (d->out_bytes > d->lim.max_out)
		return derr(d, -HD_ETOOBIG, "it expands to more than %" PRIu64 " bytes, the limit on "
			    "uncompressed bytes (--max-bytes)", d->lim.max_out);
	if (d->lim.max_ratio && d->out_bytes > d->lim.ratio_floor &&
	    d->out_bytes / (d->raw_bytes ? d->raw_bytes : 1) > d->lim.max_ratio)
		return derr(d, -HD_ETOOBIG, "it expands more than %" PRIu64 " times (%" PRIu64 " bytes "
			    "from %" PRIu64 "): a decompression bomb? (--max-ratio)", d->lim.max_ratio,
			    d->out_bytes, d->raw_bytes);
	return 0;
}

static int fill_gzip(struct hd_decoder *d, uint8_t *buf, size_t cap, size_t *got)
{
	struct hd_decoder_state *s = d->st;
	z_stream *z = &s->z;
	int r, zr;

	z->next_out = buf;
	z->avail_out = (uInt)(cap > UINT32_MAX ? UINT32_MAX : cap);
	while (z->avail_out) {
		if (!more_input(d, &r)) {
			if (r < 0)
				return r;
			if (!s->member_done)
				return derr(d, -HD_EPARSE, "the gzip stream is truncated after %" PRIu64 " bytes",
					    d->raw_bytes);
			d->out_eof = true;
			break;
		}
		if (s->member_done) {
			/* Another member must follow: nothing else may. */
			if (d->in[0] != 0x1f || (d->in_len > 1 && d->in[1] != 0x8b))
				return derr(d, -HD_EPARSE, "data after the end of the gzip stream (at byte %"
					    PRIu64 ")", d->raw_bytes - d->in_len);
			if (inflateReset(z) != Z_OK)
				return derr(d, -HD_EPARSE, "cannot restart the gzip stream");
			s->member_done = false;
		}
		z->next_in = (Bytef *)(uintptr_t)d->in;
		z->avail_in = (uInt)(d->in_len > UINT32_MAX ? UINT32_MAX : d->in_len);
		zr = inflate(z, Z_NO_FLUSH);
		{
			size_t used = (size_t)((const uint8_t *)z->next_in - d->in);

			d->in += used;
			d->in_len -= used;
		}
		if (zr == Z_STREAM_END) {
			s->member_done = true;
			continue;
		}
		if (zr == Z_BUF_ERROR)
			continue; /* needs input */
		if (zr != Z_OK)
			return derr(d, -HD_EPARSE, "corrupt gzip data at byte %" PRIu64 ": %s",
				    d->raw_bytes - d->in_len, z->msg ? z->msg : zError(zr));
	}
	*got = cap - z->avail_out;
	return check_limits(d, *got);
}

static int fill_zstd(struct hd_decoder *d, uint8_t *buf, size_t cap, size_t *got)
{
	struct hd_decoder_state *s = d->st;
	ZSTD_outBuffer out = { buf, cap, 0 };
	int r;

	while (out.pos < out.size) {
		ZSTD_inBuffer in;
		size_t zr;

		if (!more_input(d, &r)) {
			size_t before = out.pos;

			if (r < 0)
				return r;
			if (s->started && s->zs_last == 0) {
				/* The input ended at a frame boundary, everything flushed. */
				d->out_eof = true;
				break;
			}
			/* Output the decoder still holds; anything else means a cut frame. */
			in.src = NULL;
			in.size = in.pos = 0;
			zr = ZSTD_decompressStream(s->zs, &out, &in);
			if (ZSTD_isError(zr))
				return derr(d, -HD_EPARSE, "corrupt zstd data: %s", ZSTD_getErrorName(zr));
			s->zs_last = zr;
			if (out.pos > before)
				continue;
			return derr(d, -HD_EPARSE, "the zstd stream is truncated after %" PRIu64 " bytes",
				    d->raw_bytes);
		}
		in.src = d->in;
		in.size = d->in_len;
		in.pos = 0;
		zr = ZSTD_decompressStream(s->zs, &out, &in);
		d->in += in.pos;
		d->in_len -= in.pos;
		s->started = true;
		if (ZSTD_isError(zr)) {
			if (ZSTD_getErrorCode(zr) == ZSTD_error_frameParameter_windowTooLarge)
				return derr(d, -HD_ETOOBIG, "a zstd frame needs a window larger than %u MiB, "
					    "beyond the limit", 1u << ((d->lim.zstd_window_log ? d->lim.zstd_window_log : 24) - 20));
			return derr(d, -HD_EPARSE, "corrupt zstd data at byte %" PRIu64 ": %s",
				    d->raw_bytes - d->in_len, ZSTD_getErrorName(zr));
		}
		s->zs_last = zr;
	}
	*got = out.pos;
	return check_limits(d, *got);
}

int hd_decoder_fill(struct hd_decoder *d, uint8_t *buf, size_t cap, size_t *got)
{
	int r;

	*got = 0;
	if (d->out_eof || cap == 0)
		return 0;
	switch (d->comp) {
	case HD_COMP_GZIP:
		return fill_gzip(d, buf, cap, got);
	case HD_COMP_ZSTD:
		return fill_zstd(d, buf, cap, got);
	default:
		if (!more_input(d, &r)) {
			if (r < 0)
				return r;
			d->out_eof = true;
			return 0;
		}
		*got = d->in_len < cap ? d->in_len : cap;
		memcpy(buf, d->in, *got);
		d->in += *got;
		d->in_len -= *got;
		return check_limits(d, *got);
	}
}

int hd_decoder_drain(struct hd_decoder *d)
{
	int r = 0;

	d->in_len = 0;
	while (more_input(d, &r))
		d->in_len = 0;
	return r;
}

void hd_decoder_digest(struct hd_decoder *d, char out[72])
{
	hd_sha256_final(d->st->sha, out);
}

void hd_decoder_release(struct hd_decoder *d)
{
	if (!d || !d->st)
		return;
	if (d->st->z_init)
		inflateEnd(&d->st->z);
	if (d->st->zs)
		ZSTD_freeDStream(d->st->zs);
	hd_sha256_free(d->st->sha);
	hd_free(d->st);
	d->st = NULL;
}
