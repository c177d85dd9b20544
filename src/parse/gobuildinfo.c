/*
 * The Go build information scanner (see gobuildinfo.h): finds the magic at
 * 16-byte aligned offsets across chunk boundaries, gathers the bytes after
 * it until the two strings are complete, then splits the module lines.
 */
#include "core/common.h"
#include "core/buf.h"
#include "parse/gobuildinfo.h"

static const char magic[14] = "\xff Go buildinf:";

/* The module information is framed by two 16-byte sentinels. */
static const char info_start[16] = "0w\xaf\x0c\x92t\x08\x02\x41\xe1\xc1\x07\xe6\xd6\x18\xe6";
static const char info_end[16] = "\xf9\x32\x43\x31\x86\x18\x20\x72\x00\x82\x42\x10\x41\x16\xd8\xf2";

struct hd_gobi_scanner {
	uint64_t pos;        /* file offset of the next byte fed */
	char carry[16];      /* bytes from the last aligned offset before pos, while no magic found */
	size_t carry_n;
	bool found;
	struct hd_buf hdr;   /* from the magic on, at most HD_MAX_GOBUILDINFO bytes */
	bool complete;       /* hdr holds the header and both strings */
};

struct hd_gobi_scanner *hd_gobi_scanner_new(void)
{
	struct hd_gobi_scanner *s = hd_calloc(1, sizeof(*s));

	if (s)
		hd_buf_init(&s->hdr, HD_MAX_GOBUILDINFO);
	return s;
}

void hd_gobi_scanner_free(struct hd_gobi_scanner *s)
{
	if (!s)
		return;
	hd_buf_release(&s->hdr);
	hd_free(s);
}

int hd_gobi_scanner_done(const struct hd_gobi_scanner *s)
{
	return s->complete;
}

/* Reads a uvarint at *p; false when it does not fit in [*p, end) or exceeds the limit. */
static bool uvarint(const unsigned char **p, const unsigned char *end, uint64_t *v)
{
	unsigned shift = 0;

	*v = 0;
	while (*p < end && shift < 64) {
		unsigned char b = *(*p)++;

		*v |= (uint64_t)(b & 0x7f) << shift;
		if (!(b & 0x80))
			return true;
		shift += 7;
	}
	return false;
}

/*
 * Whether hdr holds a complete inline header: 1 yes, 0 needs more bytes,
 * -1 never will (old layout or malformed).
 */
static int header_complete(const struct hd_buf *h)
{
	const unsigned char *p = (const unsigned char *)h->buf, *end = p + h->len;
	uint64_t n;
	int k;

	if (h->len < 32)
		return 0;
	if (!(p[15] & 2))
		return -1;
	p += 32;
	for (k = 0; k < 2; k++) {
		const unsigned char *q = p;

		if (!uvarint(&q, end, &n))
			return end - p >= 10 ? -1 : 0;
		if (n > HD_MAX_GOBUILDINFO)
			return -1;
		if ((uint64_t)(end - q) < n)
			return 0;
		p = q + n;
	}
	return 1;
}

static int take(struct hd_gobi_scanner *s, const char *d, size_t n)
{
	size_t room = HD_MAX_GOBUILDINFO - s->hdr.len;
	int r, k;

	if (s->complete)
		return 0;
	if (n > room)
		n = room;
	r = hd_buf_add(&s->hdr, d, n);
	if (r < 0)
		return r;
	k = header_complete(&s->hdr);
	if (k != 0 || s->hdr.len >= HD_MAX_GOBUILDINFO)
		s->complete = true;
	return 0;
}

int hd_gobi_scanner_feed(struct hd_gobi_scanner *s, const void *data, size_t n)
{
	const char *d = data;
	uint64_t start = s->pos;
	size_t off;

	if (n == 0 || s->complete)
		return 0;
	s->pos += n;
	if (s->found)
		return take(s, d, n);
	/* A magic straddling the previous chunk: carry holds its aligned beginning. */
	if (s->carry_n) {
		size_t need = sizeof(s->carry) - s->carry_n, k = need < n ? need : n;

		memcpy(s->carry + s->carry_n, d, k);
		s->carry_n += k;
		if (s->carry_n >= sizeof(magic) && memcmp(s->carry, magic, sizeof(magic)) == 0) {
			s->found = true;
			if (take(s, s->carry, s->carry_n) < 0)
				return -HD_ENOMEM;
			return take(s, d + k, n - k);
		}
		if (s->carry_n < sizeof(s->carry))
			return 0; /* still not 16 bytes: wait for more */
		s->carry_n = 0;
	}
	off = (size_t)((16 - (start & 15)) & 15);
	for (; off < n; off += 16) {
		if ((unsigned char)d[off] != 0xff)
			continue;
		if (n - off < sizeof(magic)) {
			if (memcmp(d + off, magic, n - off) == 0) {
				memcpy(s->carry, d + off, n - off);
				s->carry_n = n - off;
			}
			return 0;
		}
		if (memcmp(d + off, magic, sizeof(magic)) == 0) {
			s->found = true;
			return take(s, d + off, n - off);
		}
	}
	return 0;
}

void hd_gobuildinfo_release(struct hd_gobuildinfo *bi)
{
	size_t i;

	if (!bi)
		return;
	hd_free(bi->go_version);
	hd_free(bi->path);
	hd_free(bi->main.path);
	hd_free(bi->main.version);
	hd_free(bi->main.sum);
	for (i = 0; i < bi->n_deps; i++) {
		hd_free(bi->deps[i].path);
		hd_free(bi->deps[i].version);
		hd_free(bi->deps[i].sum);
	}
	hd_free(bi->deps);
	memset(bi, 0, sizeof(*bi));
}

/* Splits "a\tb\tc" into up to 3 fields (NUL-terminated copies). */
static int mod_fields(const char *s, size_t n, struct hd_gomod *m)
{
	const char *f[3] = { NULL, NULL, NULL };
	size_t fl[3] = { 0, 0, 0 }, k = 0, i, st = 0;

	for (i = 0; i <= n && k < 3; i++) {
		if (i == n || s[i] == '\t') {
			f[k] = s + st;
			fl[k++] = i - st;
			st = i + 1;
		}
	}
	if (k < 1 || fl[0] == 0)
		return -HD_EPARSE;
	m->path = hd_strndup(f[0], fl[0]);
	m->version = f[1] ? hd_strndup(f[1], fl[1]) : hd_strdup("");
	m->sum = f[2] && fl[2] ? hd_strndup(f[2], fl[2]) : NULL;
	if (!m->path || !m->version || (f[2] && fl[2] && !m->sum))
		return -HD_ENOMEM;
	return 0;
}

static void mod_release(struct hd_gomod *m)
{
	hd_free(m->path);
	hd_free(m->version);
	hd_free(m->sum);
	memset(m, 0, sizeof(*m));
}

static int parse_modinfo(const char *s, size_t n, struct hd_gobuildinfo *bi)
{
	const char *end, *line, *nl;
	int r;

	if (n >= 33 && memcmp(s, info_start, 16) == 0 && s[n - 17] == '\n' && memcmp(s + n - 16, info_end, 16) == 0) {
		s += 16;
		n -= 32;
	}
	end = s + n;
	for (line = s; line < end; line = nl + 1) {
		size_t len;

		nl = memchr(line, '\n', (size_t)(end - line));
		if (!nl)
			nl = end;
		len = (size_t)(nl - line);
		if (len > 5 && memcmp(line, "path\t", 5) == 0 && !bi->path) {
			if (!(bi->path = hd_strndup(line + 5, len - 5)))
				return -HD_ENOMEM;
		} else if (len > 4 && memcmp(line, "mod\t", 4) == 0 && !bi->main.path) {
			if ((r = mod_fields(line + 4, len - 4, &bi->main)) < 0)
				return r;
		} else if (len > 4 && memcmp(line, "dep\t", 4) == 0) {
			if (HD_GROW(bi->deps, bi->alloc_deps, bi->n_deps + 1) < 0)
				return -HD_ENOMEM;
			memset(&bi->deps[bi->n_deps], 0, sizeof(bi->deps[0]));
			r = mod_fields(line + 4, len - 4, &bi->deps[bi->n_deps]);
			bi->n_deps++;
			if (r < 0)
				return r;
		} else if (len > 3 && memcmp(line, "=>\t", 3) == 0 && bi->n_deps > 0) {
			/* The dependency above is replaced: what is built is the replacement. */
			struct hd_gomod rep = { 0 };

			if ((r = mod_fields(line + 3, len - 3, &rep)) < 0) {
				mod_release(&rep);
				return r;
			}
			mod_release(&bi->deps[bi->n_deps - 1]);
			bi->deps[bi->n_deps - 1] = rep;
		}
	}
	return 0;
}

static int parse_header(const char *h, size_t hn, struct hd_gobuildinfo *bi)
{
	const unsigned char *p = (const unsigned char *)h + 32, *end = (const unsigned char *)h + hn;
	uint64_t n;
	int r;

	memset(bi, 0, sizeof(*bi));
	if (hn < 32 || memcmp(h, magic, sizeof(magic)) != 0)
		return -HD_ENOENT;
	if (!(h[15] & 2))
		return -HD_EUNSUPPORTED;
	if (!uvarint(&p, end, &n) || n > (uint64_t)(end - p))
		return -HD_EPARSE;
	bi->go_version = hd_strndup((const char *)p, (size_t)n);
	if (!bi->go_version)
		return -HD_ENOMEM;
	p += n;
	if (!uvarint(&p, end, &n) || n > (uint64_t)(end - p)) {
		hd_gobuildinfo_release(bi);
		return -HD_EPARSE;
	}
	r = parse_modinfo((const char *)p, (size_t)n, bi);
	if (r < 0)
		hd_gobuildinfo_release(bi);
	return r;
}

int hd_gobi_scanner_finish(struct hd_gobi_scanner *s, struct hd_gobuildinfo *bi)
{
	memset(bi, 0, sizeof(*bi));
	if (!s->found)
		return -HD_ENOENT;
	return parse_header(s->hdr.buf, s->hdr.len, bi);
}

int hd_gobuildinfo_parse(const void *data, size_t n, struct hd_gobuildinfo *bi)
{
	struct hd_gobi_scanner *s = hd_gobi_scanner_new();
	int r;

	if (!s)
		return -HD_ENOMEM;
	r = hd_gobi_scanner_feed(s, data, n);
	if (r == 0)
		r = hd_gobi_scanner_finish(s, bi);
	hd_gobi_scanner_free(s);
	return r;
}
