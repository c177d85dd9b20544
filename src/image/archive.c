/*
 * Reading a target's blobs in one pass (see archive.h).  Blobs are told
 * apart by their first 512 bytes: a valid tar header (or the zero block of an
 * empty tar) or a gzip/zstd magic makes a layer, a '{' a JSON document,
 * anything else is only hashed.
 */
#include "core/common.h"
#include "core/buf.h"
#include "image/archive.h"
#include "image/pipe.h"
#include "image/scan.h"

#include <archive.h>
#include <archive_entry.h>
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#define PIPE_BUFS 4u
#define PIPE_BUFSIZE (1u << 20)
#define FILE_BUFSIZE (1u << 20)

struct hd_reader {
	struct hd_archive_opts o;
	struct hd_layer_reader lr;
	struct hd_scanner *sc;
	struct hd_pipe *pipe;  /* NULL with one thread */
	uint8_t *fbuf;         /* reads of directory blobs */
	uint8_t *obuf;         /* one thread: decompressed bytes */
};

bool hd_digest_valid(const char *d)
{
	size_t i;

	if (!d || strncmp(d, "sha256:", 7) != 0 || strlen(d) != 71)
		return false;
	for (i = 7; i < 71; i++) {
		if (!isxdigit((unsigned char)d[i]) || isupper((unsigned char)d[i]))
			return false;
	}
	return true;
}

bool hd_digest_blob_name(const char *digest, char *out, size_t n)
{
	if (!hd_digest_valid(digest))
		return false;
	return (size_t)snprintf(out, n, "blobs/sha256/%s", digest + 7) < n;
}

int hd_archive_open(struct hd_archive *ar, const char *display, const struct hd_archive_opts *o)
{
	struct hd_reader *rd;
	char err[256];
	int r;

	memset(ar, 0, sizeof(*ar));
	ar->display = hd_strdup(display);
	rd = ar->rd = hd_calloc(1, sizeof(*rd));
	if (!ar->display || !rd)
		return -HD_ENOMEM;
	rd->o = *o;
	rd->lr.lim = &rd->o.lim;
	rd->lr.catalog = o->catalog;
	if (o->scan_secrets) {
		r = hd_scanner_new(&rd->sc, err, sizeof(err));
		if (r < 0)
			return r;
		rd->lr.scanner = rd->sc;
	}
	rd->fbuf = hd_malloc(FILE_BUFSIZE);
	if (!rd->fbuf)
		return -HD_ENOMEM;
	if (o->threads == 1) {
		rd->obuf = hd_malloc(PIPE_BUFSIZE);
		return rd->obuf ? 0 : -HD_ENOMEM;
	}
	return hd_pipe_start(&rd->pipe, &rd->lr, PIPE_BUFS, PIPE_BUFSIZE);
}

int hd_archive_finish(struct hd_archive *ar)
{
	int r = 0;

	if (ar->rd && ar->rd->pipe) {
		r = hd_pipe_finish(ar->rd->pipe);
		hd_pipe_free(ar->rd->pipe);
		ar->rd->pipe = NULL;
	}
	return r;
}

void hd_archive_release(struct hd_archive *ar)
{
	size_t i;

	if (!ar)
		return;
	if (ar->rd) {
		hd_archive_finish(ar);
		hd_scanner_free(ar->rd->sc);
		hd_free(ar->rd->fbuf);
		hd_free(ar->rd->obuf);
		hd_free(ar->rd);
	}
	for (i = 0; i < ar->n_blobs; i++) {
		struct hd_blob *b = ar->blobs[i];

		hd_free(b->name);
		hd_free(b->link);
		hd_free(b->json);
		hd_free(b->error);
		hd_layer_index_free(b->layer);
		hd_free(b);
	}
	hd_free(ar->blobs);
	hd_free(ar->display);
	hd_free(ar->dir);
	hd_free(ar->error);
	memset(ar, 0, sizeof(*ar));
}

static int ar_error(struct hd_archive *ar, int err, const char *fmt, ...) __attribute__((format(printf, 3, 4)));
static int ar_error(struct hd_archive *ar, int err, const char *fmt, ...)
{
	char msg[1024];
	va_list ap;

	if (ar->error)
		return 0;
	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	ar->error = hd_strdup(msg);
	ar->err = err;
	return ar->error ? 0 : -HD_ENOMEM;
}

static int blob_error(struct hd_blob *b, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static int blob_error(struct hd_blob *b, const char *fmt, ...)
{
	char msg[1024];
	va_list ap;

	if (b->error)
		return 0;
	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	b->error = hd_strdup(msg);
	return b->error ? 0 : -HD_ENOMEM;
}

static struct hd_blob *add_blob(struct hd_archive *ar, const char *name)
{
	struct hd_blob *b;

	if (HD_GROW(ar->blobs, ar->alloc_blobs, ar->n_blobs + 1) < 0)
		return NULL;
	b = hd_calloc(1, sizeof(*b));
	if (!b)
		return NULL;
	b->name = hd_strdup(name);
	if (!b->name) {
		hd_free(b);
		return NULL;
	}
	ar->blobs[ar->n_blobs++] = b;
	return b;
}

/* ---- raw sources ------------------------------------------------------------------- */

/* Bytes left over after the peek, then the source. */
struct pushback {
	hd_raw_read_fn *raw;
	void *ctx;
	const void *left;
	size_t left_n;
};

static int pb_read(void *ctx, const void **p, size_t *n, char *err, size_t errlen)
{
	struct pushback *pb = ctx;

	if (pb->left_n) {
		*p = pb->left;
		*n = pb->left_n;
		pb->left_n = 0;
		return 0;
	}
	return pb->raw(pb->ctx, p, n, err, errlen);
}

struct outer {
	struct archive *a;
	int64_t expect;   /* offset of the next block */
};

static int outer_read(void *ctx, const void **p, size_t *n, char *err, size_t errlen)
{
	struct outer *o = ctx;

	for (;;) {
		la_int64_t off;
		int r = archive_read_data_block(o->a, p, n, &off);

		if (r == ARCHIVE_EOF) {
			*n = 0;
			return 0;
		}
		if (r < ARCHIVE_WARN) {
			const char *m = archive_error_string(o->a);

			snprintf(err, errlen, "%s", m ? m : "read error");
			return -HD_EPARSE;
		}
		if (off != o->expect) {
			snprintf(err, errlen, "sparse archive entries are not supported");
			return -HD_EPARSE;
		}
		o->expect += (int64_t)*n;
		if (*n)
			return 0;
	}
}

struct filesrc {
	int fd;
	uint8_t *buf;
	size_t cap;
	uint64_t total, max;
};

static int file_read(void *ctx, const void **p, size_t *n, char *err, size_t errlen)
{
	struct filesrc *f = ctx;
	ssize_t k;

	do
		k = read(f->fd, f->buf, f->cap);
	while (k < 0 && errno == EINTR);
	if (k < 0) {
		snprintf(err, errlen, "read error: %s", strerror(errno));
		return -HD_EIO;
	}
	f->total += (uint64_t)k;
	*p = f->buf;
	*n = (size_t)k;
	return 0;
}

/* ---- classifying and reading one blob -------------------------------------------------- */

/* A valid tar header, or an all-zero block (the end of an empty tar). */
static bool tar_block(const uint8_t *h, size_t n)
{
	unsigned long sum = 0, want = 0;
	size_t i;
	bool zero = true;

	if (n < 512)
		return false;
	for (i = 0; i < 512; i++) {
		zero &= h[i] == 0;
		sum += (i >= 148 && i < 156) ? ' ' : h[i];
	}
	if (zero)
		return true;
	for (i = 148; i < 156 && (h[i] == ' ' || h[i] == 0); i++)
		;
	for (; i < 156 && h[i] >= '0' && h[i] <= '7'; i++)
		want = want * 8 + (unsigned long)(h[i] - '0');
	return sum == want;
}

struct onefill {
	struct hd_decoder *d;
	uint8_t *buf;
	size_t cap;
};

/* One thread: the layer reader pulls decompressed bytes straight from the decoder. */
static int one_chunk(void *ctx, const void **p, size_t *n, char *err, size_t errlen)
{
	struct onefill *f = ctx;
	int r = hd_decoder_fill(f->d, f->buf, f->cap, n);

	if (r < 0)
		snprintf(err, errlen, "%s", f->d->err);
	*p = f->buf;
	return r;
}

static int pipe_fill(void *ctx, uint8_t *buf, size_t cap, size_t *got)
{
	return hd_decoder_fill(ctx, buf, cap, got);
}

static int read_layer(struct hd_archive *ar, struct hd_blob *b, enum hd_comp comp, const uint8_t *peek,
		      size_t np, struct pushback *pb)
{
	struct hd_reader *rd = ar->rd;
	const struct hd_image_limits *lim = &rd->o.lim;
	struct hd_decode_limits dl = {
		.max_out = lim->max_bytes > ar->layer_bytes ? lim->max_bytes - ar->layer_bytes : 0,
		.max_ratio = lim->max_ratio,
		.ratio_floor = 64u << 20,
		.zstd_window_log = 24,
	};
	struct hd_decoder d;
	int r;

	b->kind = HD_BLOB_LAYER;
	b->layer = hd_layer_index_new();
	if (!b->layer)
		return -HD_ENOMEM;
	b->layer->comp = comp;
	r = hd_decoder_init(&d, comp, &dl, pb_read, pb, peek, np);
	if (r < 0) {
		hd_decoder_release(&d);
		return r;
	}
	if (rd->pipe) {
		bool stopped = false;

		r = hd_pipe_layer(rd->pipe, b->layer, pipe_fill, &d, d.err, &stopped);
		if (r < 0 || stopped)
			hd_decoder_drain(&d);
	} else {
		struct onefill f = { &d, rd->obuf, PIPE_BUFSIZE };

		r = hd_layer_read(&rd->lr, one_chunk, &f, b->layer);
		if (r == 0 && b->layer->error)
			hd_decoder_drain(&d);
	}
	hd_decoder_digest(&d, b->digest);
	b->size = d.raw_bytes;
	ar->layer_bytes += d.out_bytes;
	hd_decoder_release(&d);
	return r == -HD_ENOMEM ? r : 0;
}

static int read_json(struct hd_archive *ar, struct hd_blob *b, const uint8_t *peek, size_t np,
		     struct pushback *pb)
{
	const struct hd_image_limits *lim = &ar->rd->o.lim;
	struct hd_buf buf = HD_BUF_INIT(lim->max_json);
	struct hd_sha256 *sha = hd_sha256_new();
	char err[512] = "";
	bool too_big = false;
	int r;

	if (!sha)
		return -HD_ENOMEM;
	r = hd_buf_add(&buf, peek, np);
	too_big = r == -HD_ETOOBIG;
	hd_sha256_update(sha, peek, np);
	b->size = np;
	for (;;) {
		const void *p;
		size_t n;

		r = pb_read(pb, &p, &n, err, sizeof(err));
		if (r < 0 || n == 0)
			break;
		hd_sha256_update(sha, p, n);
		b->size += n;
		if (!too_big && (r = hd_buf_add(&buf, p, n)) == -HD_ETOOBIG)
			too_big = true;
		if (r == -HD_ENOMEM)
			break;
	}
	hd_sha256_final(sha, b->digest);
	hd_sha256_free(sha);
	if (r == -HD_ENOMEM) {
		hd_buf_release(&buf);
		return r;
	}
	if (r < 0) {
		hd_buf_release(&buf);
		b->kind = HD_BLOB_OTHER;
		return blob_error(b, "cannot read '%s': %s", b->name, err);
	}
	if (too_big || ar->json_bytes + buf.len > 4 * lim->max_json) {
		hd_buf_release(&buf);
		b->kind = HD_BLOB_OTHER;
		return blob_error(b, "'%s' is a JSON document of %" PRIu64 " bytes, beyond the limit of %" PRIu64
				  " bytes", b->name, b->size, lim->max_json);
	}
	ar->json_bytes += buf.len;
	b->kind = HD_BLOB_JSON;
	b->json_len = buf.len;
	b->json = hd_buf_detach(&buf, NULL);
	return b->json ? 0 : -HD_ENOMEM;
}

static int read_other(struct hd_blob *b, const uint8_t *peek, size_t np, struct pushback *pb)
{
	struct hd_sha256 *sha = hd_sha256_new();
	char err[512];
	int r;

	if (!sha)
		return -HD_ENOMEM;
	b->kind = HD_BLOB_OTHER;
	hd_sha256_update(sha, peek, np);
	b->size = np;
	for (;;) {
		const void *p;
		size_t n;

		r = pb_read(pb, &p, &n, err, sizeof(err));
		if (r < 0 || n == 0)
			break;
		hd_sha256_update(sha, p, n);
		b->size += n;
	}
	hd_sha256_final(sha, b->digest);
	hd_sha256_free(sha);
	if (r < 0)
		return blob_error(b, "cannot read '%s': %s", b->name, err);
	return 0;
}

/* The digest a blob's name declares ("blobs/sha256/<hex>"), checked against its content. */
static int check_name_digest(struct hd_blob *b)
{
	char want[80];

	if (!hd_starts_with(b->name, "blobs/sha256/") || !b->digest[0] || b->error)
		return 0;
	snprintf(want, sizeof(want), "sha256:%s", b->name + 13);
	if (strcmp(want, b->digest) != 0)
		return blob_error(b, "digest mismatch: '%s' holds content whose digest is %s", b->name, b->digest);
	return 0;
}

static int read_blob(struct hd_archive *ar, struct hd_blob *b, hd_raw_read_fn *raw, void *rctx)
{
	uint8_t peek[512];
	size_t np = 0, i;
	struct pushback pb = { raw, rctx, NULL, 0 };
	char err[512];
	enum hd_comp comp;
	int r;

	while (np < sizeof(peek)) {
		const void *p;
		size_t n, k;

		r = raw(rctx, &p, &n, err, sizeof(err));
		if (r < 0)
			return blob_error(b, "cannot read '%s': %s", b->name, err);
		if (n == 0)
			break;
		k = n < sizeof(peek) - np ? n : sizeof(peek) - np;
		memcpy(peek + np, p, k);
		np += k;
		if (k < n) {
			pb.left = (const uint8_t *)p + k;
			pb.left_n = n - k;
			break;
		}
	}
	comp = hd_comp_sniff(peek, np);
	if (comp != HD_COMP_NONE || tar_block(peek, np))
		r = read_layer(ar, b, comp, peek, np, &pb);
	else {
		for (i = 0; i < np && isspace(peek[i]); i++)
			;
		if (i < np && (peek[i] == '{' || peek[i] == '['))
			r = read_json(ar, b, peek, np, &pb);
		else
			r = read_other(b, peek, np, &pb);
	}
	if (r < 0)
		return r;
	return check_name_digest(b);
}

/* ---- tars ------------------------------------------------------------------------------ */

int hd_archive_read_fd(struct hd_archive *ar, int fd)
{
	const struct hd_image_limits *lim = &ar->rd->o.lim;
	struct archive *a = archive_read_new();
	struct archive_entry *ae;
	char *name = NULL;
	uint64_t count = 0;
	int r = 0, ar_r;

	name = hd_malloc((size_t)lim->max_path + 2);
	if (!a || !name) {
		r = -HD_ENOMEM;
		goto out;
	}
	archive_read_support_format_tar(a);
	archive_read_support_filter_gzip(a);
	archive_read_support_filter_zstd(a);
	archive_read_support_filter_xz(a);
	archive_read_support_filter_bzip2(a);
	if (archive_read_open_fd(a, fd, 1u << 20) != ARCHIVE_OK) {
		const char *m = archive_error_string(a);

		if (m && strstr(m, "Unrecognized"))
			r = ar_error(ar, -HD_EPARSE, "'%s' is not a tar archive (nor a compressed one)", ar->display);
		else
			r = ar_error(ar, -HD_EPARSE, "cannot read '%s': %s", ar->display, m ? m : "read error");
		goto out;
	}
	for (;;) {
		const char *raw, *lnk;
		struct hd_blob *b;
		bool abs, dd;
		unsigned ft;
		int64_t size;
		int n;

		ar_r = archive_read_next_header(a, &ae);
		if (ar_r == ARCHIVE_EOF)
			break;
		if (ar_r < ARCHIVE_WARN) {
			const char *m = archive_error_string(a);

			if (count == 0 && m && strstr(m, "Unrecognized"))
				r = ar_error(ar, -HD_EPARSE, "'%s' is not a tar archive (nor a compressed one)",
					     ar->display);
			else
				r = ar_error(ar, -HD_EPARSE, "'%s' is damaged after %" PRIu64 " entries: %s",
					     ar->display, count, m ? m : "read error");
			break;
		}
		if (++count > lim->max_blobs) {
			r = ar_error(ar, -HD_ETOOBIG, "'%s' has more than %" PRIu64 " entries", ar->display,
				     lim->max_blobs);
			break;
		}
		raw = archive_entry_pathname(ae);
		if (!raw || strlen(raw) > lim->max_path) {
			r = ar_error(ar, -HD_ETOOBIG, "'%s': entry %" PRIu64 " has no name or one longer than "
				     "%" PRIu32 " bytes (--max-path)", ar->display, count, lim->max_path);
			break;
		}
		n = hd_path_normalise(raw, name, (size_t)lim->max_path + 2, &abs, &dd);
		if (n < 0) {
			r = ar_error(ar, -HD_EPARSE, "'%s': entry '%.200s' leads out of the archive", ar->display, raw);
			break;
		}
		ft = archive_entry_filetype(ae);
		size = archive_entry_size(ae);
		lnk = archive_entry_hardlink(ae);
		if (!lnk)
			lnk = archive_entry_symlink(ae);
		if (ft == AE_IFDIR || (!lnk && ft != AE_IFREG))
			continue;
		if (size < 0 || (uint64_t)size > lim->max_bytes) {
			r = ar_error(ar, -HD_ETOOBIG, "'%s': entry '%.200s' claims %" PRId64 " bytes, beyond the "
				     "limit of %" PRIu64 " (--max-bytes)", ar->display, raw, size, lim->max_bytes);
			break;
		}
		b = add_blob(ar, name);
		if (!b) {
			r = -HD_ENOMEM;
			break;
		}
		if (lnk) {
			char *t = hd_malloc((size_t)lim->max_path + 2);
			int tn;

			if (!t) {
				r = -HD_ENOMEM;
				break;
			}
			/* Symlinks are relative to their folder; hard links to the archive's root. */
			if (archive_entry_symlink(ae) && lnk[0] != '/' && strchr(name, '/')) {
				char *full = hd_asprintf("%.*s/%s", (int)(strrchr(name, '/') - name), name, lnk);

				tn = full ? hd_path_normalise(full, t, (size_t)lim->max_path + 2, &abs, &dd) : -HD_ENOMEM;
				hd_free(full);
			} else
				tn = hd_path_normalise(lnk, t, (size_t)lim->max_path + 2, &abs, &dd);
			if (tn < 0) {
				hd_free(t);
				if (tn == -HD_ENOMEM) {
					r = tn;
					break;
				}
				r = blob_error(b, "'%s' links out of the archive ('%.200s')", name, lnk);
				continue;
			}
			b->link = t;
			continue;
		}
		{
			struct outer o = { a, 0 };

			r = read_blob(ar, b, outer_read, &o);
		}
		if (r < 0)
			break;
	}
out:
	if (a)
		archive_read_free(a);
	hd_free(name);
	return r == -HD_ENOMEM ? r : 0;
}

/* ---- directories ------------------------------------------------------------------------ */

int hd_archive_set_dir(struct hd_archive *ar, const char *dir)
{
	ar->dir = hd_strdup(dir);
	return ar->dir ? 0 : -HD_ENOMEM;
}

static struct hd_blob *find(const struct hd_archive *ar, const char *name)
{
	size_t i;

	/* The last entry of a name wins, as when a tar is extracted. */
	for (i = ar->n_blobs; i-- > 0;) {
		if (!strcmp(ar->blobs[i]->name, name))
			return ar->blobs[i];
	}
	return NULL;
}

static struct hd_blob *read_dir_blob(struct hd_archive *ar, const char *name, int *err)
{
	char *path = hd_asprintf("%s/%s", ar->dir, name);
	struct filesrc fs = { -1, ar->rd->fbuf, FILE_BUFSIZE, 0, 0 };
	struct hd_blob *b;
	struct stat st;

	if (!path) {
		*err = -HD_ENOMEM;
		return NULL;
	}
	fs.fd = open(path, O_RDONLY | O_CLOEXEC | O_NOCTTY | O_NONBLOCK);
	hd_free(path);
	if (fs.fd < 0)
		return NULL;
	b = add_blob(ar, name);
	if (!b) {
		close(fs.fd);
		*err = -HD_ENOMEM;
		return NULL;
	}
	if (fstat(fs.fd, &st) != 0 || !S_ISREG(st.st_mode)) {
		close(fs.fd);
		*err = blob_error(b, "'%s' in '%s' is not a regular file", name, ar->display);
		return b;
	}
	*err = read_blob(ar, b, file_read, &fs);
	close(fs.fd);
	return b;
}

struct hd_blob *hd_archive_fetch(struct hd_archive *ar, const char *name, int *err)
{
	struct hd_blob *b = NULL;
	char *cur = hd_strdup(name);
	int hops;

	*err = 0;
	if (!cur) {
		*err = -HD_ENOMEM;
		return NULL;
	}
	for (hops = 0; hops < 8; hops++) {
		b = find(ar, cur);
		if (!b && ar->dir)
			b = read_dir_blob(ar, cur, err);
		if (!b || !b->link)
			break;
		hd_free(cur);
		cur = hd_strdup(b->link);
		if (!cur) {
			*err = -HD_ENOMEM;
			return NULL;
		}
		b = NULL;
	}
	hd_free(cur);
	return b;
}
