/*
 * Go build information of a binary, read without running it; see
 * gobuildinfo.h.  The ELF reader goes through a small "source" (pread on a
 * file descriptor, or a memory image) so that the same code serves the audit,
 * the tests and the fuzzer; the streaming scanner serves image layers.
 */
#include "core/common.h"
#include "core/buf.h"
#include "parse/gobuildinfo.h"

#include <unistd.h>

static const unsigned char magic[14] = { 0xff, ' ', 'G', 'o', ' ', 'b', 'u', 'i', 'l', 'd', 'i', 'n',
					 'f', ':' };
/* cmd/go/internal/modload.infoStart and infoEnd. */
static const unsigned char info_start[16] = { 0x30, 0x77, 0xaf, 0x0c, 0x92, 0x74, 0x08, 0x02,
					      0x41, 0xe1, 0xc1, 0x07, 0xe6, 0xd6, 0x18, 0xe6 };
static const unsigned char info_end[16] = { 0xf9, 0x32, 0x43, 0x31, 0x86, 0x18, 0x20, 0x72,
					    0x00, 0x82, 0x42, 0x10, 0x41, 0x16, 0xd8, 0xf2 };

#define HEADER_SIZE 32u
/* How far from the start of the data segment the blob may be, when no section names it. */
#define DATA_SCAN 65536u
/* Section headers read at most. */
#define MAX_SECTIONS 65536u

/* ------------------------------------------------------------------ */
/* Ownership. */

static void bi_init(struct hd_gobuildinfo *bi)
{
	memset(bi, 0, sizeof(*bi));
}

static void module_release(struct hd_gomod *m)
{
	if (!m)
		return;
	hd_free(m->path);
	hd_free(m->version);
	hd_free(m->sum);
	hd_free(m->replaces);
	memset(m, 0, sizeof(*m));
}

void hd_gobuildinfo_release(struct hd_gobuildinfo *bi)
{
	size_t i;

	if (!bi)
		return;
	hd_free(bi->go_version);
	hd_free(bi->path);
	module_release(&bi->main);
	for (i = 0; i < bi->n_deps; i++)
		module_release(&bi->deps[i]);
	hd_free(bi->deps);
	for (i = 0; i < bi->n_settings; i++) {
		hd_free(bi->settings[i].key);
		hd_free(bi->settings[i].value);
	}
	hd_free(bi->settings);
	bi_init(bi);
}

/* ------------------------------------------------------------------ */
/* The module text. */

/*
 * Go's strconv.Unquote for a double-quoted string s[0..n) (quotes included):
 * \a \b \f \n \r \t \v \\ \" \' \xHH \NNN \uHHHH \UHHHHHHHH.  Returns the
 * text (owned by the caller), NULL on OOM or when malformed (*bad set).
 */
static char *go_unquote(const char *s, size_t n, bool *bad)
{
	struct hd_buf b = HD_BUF_INIT(HD_MAX_GOBUILDINFO);
	size_t i;

	*bad = false;
	if (n < 2 || s[0] != '"' || s[n - 1] != '"') {
		*bad = true;
		return NULL;
	}
	for (i = 1; i + 1 < n; i++) {
		unsigned long cp;
		int digits, base, k;
		char c = s[i];

		if (c != '\\') {
			if (hd_buf_addch(&b, c) < 0)
				goto oom;
			continue;
		}
		if (++i + 1 >= n)
			goto malformed;
		c = s[i];
		switch (c) {
		case 'a': c = '\a'; break;
		case 'b': c = '\b'; break;
		case 'f': c = '\f'; break;
		case 'n': c = '\n'; break;
		case 'r': c = '\r'; break;
		case 't': c = '\t'; break;
		case 'v': c = '\v'; break;
		case '\\': case '"': case '\'': break;
		default: goto numeric;
		}
		if (hd_buf_addch(&b, c) < 0)
			goto oom;
		continue;
numeric:
		if (c == 'x')
			digits = 2, base = 16, i++;
		else if (c == 'u')
			digits = 4, base = 16, i++;
		else if (c == 'U')
			digits = 8, base = 16, i++;
		else if (c >= '0' && c <= '7')
			digits = 3, base = 8;
		else
			goto malformed;
		cp = 0;
		for (k = 0; k < digits; k++, i++) {
			int d;

			if (i + 1 >= n)
				goto malformed;
			c = s[i];
			d = isdigit((unsigned char)c) ? c - '0' :
			    (c >= 'a' && c <= 'f') ? c - 'a' + 10 : (c >= 'A' && c <= 'F') ? c - 'A' + 10 : 99;
			if (d >= base)
				goto malformed;
			cp = cp * (unsigned long)base + (unsigned long)d;
		}
		i--;
		if (digits <= 3 || (base == 16 && digits == 2)) {
			if (cp > 255)
				goto malformed;
			if (hd_buf_addch(&b, (char)cp) < 0)
				goto oom;
			continue;
		}
		/* A code point: UTF-8. */
		if (cp > 0x10ffff || (cp >= 0xd800 && cp <= 0xdfff))
			goto malformed;
		if (hd_buf_add_utf8(&b, (uint32_t)cp) < 0)
			goto oom;
	}
	return hd_buf_detach(&b, NULL);
malformed:
	*bad = true;
oom:
	hd_buf_release(&b);
	return NULL;
}

/* A field of the text: up to the next tab (or the end). */
static const char *field(const char *p, const char *end, size_t *n)
{
	const char *t = memchr(p, '\t', (size_t)(end - p));

	*n = t ? (size_t)(t - p) : (size_t)(end - p);
	return t ? t + 1 : end;
}

/* "path\tversion[\tsum]" into m; -HD_EPARSE when the path is missing. */
static int read_module(const char *p, const char *end, struct hd_gomod *m)
{
	const char *f[3];
	size_t n[3] = { 0, 0, 0 }, k = 0;

	while (k < 3 && p < end) {
		f[k] = p;
		p = field(p, end, &n[k]);
		k++;
	}
	if (!k || !n[0])
		return -HD_EPARSE;
	m->path = hd_strndup(f[0], n[0]);
	m->version = k > 1 ? hd_strndup(f[1], n[1]) : hd_strdup("");
	m->sum = k > 2 && n[2] ? hd_strndup(f[2], n[2]) : NULL;
	if (!m->path || !m->version || (k > 2 && n[2] && !m->sum)) {
		module_release(m);
		return -HD_ENOMEM;
	}
	return 0;
}

/* One side of "KEY=VALUE": quoted when it starts with '"'. */
static char *setting_part(const char *p, size_t n, bool *bad)
{
	*bad = false;
	if (n && p[0] == '"')
		return go_unquote(p, n, bad);
	return hd_strndup(p, n);
}

/* The end of a leading quoted string in p[0..n), or 0 when unterminated. */
static size_t quoted_len(const char *p, size_t n)
{
	size_t i;

	for (i = 1; i < n; i++) {
		if (p[i] == '\\')
			i++;
		else if (p[i] == '"')
			return i + 1;
	}
	return 0;
}

static int read_setting(const char *p, const char *end, struct hd_gobuildinfo *bi)
{
	size_t n = (size_t)(end - p), klen;
	const char *eq;
	struct hd_gosetting *s;
	bool bad1, bad2;

	if (n && p[0] == '"') {
		klen = quoted_len(p, n);
		if (!klen || klen >= n || p[klen] != '=')
			return -HD_EPARSE;
		eq = p + klen;
	} else {
		eq = memchr(p, '=', n);
		if (!eq)
			return -HD_EPARSE;
		klen = (size_t)(eq - p);
	}
	if (!klen)
		return -HD_EPARSE;
	if (bi->n_settings >= HD_MAX_GOBI_ENTRIES)
		return -HD_ETOOBIG;
	if (HD_GROW(bi->settings, bi->alloc_settings, bi->n_settings + 1) < 0)
		return -HD_ENOMEM;
	s = &bi->settings[bi->n_settings];
	s->key = setting_part(p, klen, &bad1);
	s->value = setting_part(eq + 1, (size_t)(end - eq - 1), &bad2);
	if (!s->key || !s->value) {
		bool bad = (bad1 && !s->key) || (bad2 && !s->value);

		hd_free(s->key);
		hd_free(s->value);
		return bad ? -HD_EPARSE : -HD_ENOMEM;
	}
	bi->n_settings++;
	return 0;
}

int hd_gobuildinfo_parse_modinfo(const char *text, size_t len, struct hd_gobuildinfo *bi)
{
	const char *p = text, *end = text + len;
	struct hd_gomod *last = NULL; /* what a "=>" line replaces */
	int r = 0;

	if (len >= 33 && !memcmp(text, info_start, 16) && !memcmp(text + len - 16, info_end, 16)) {
		p += 16;
		end -= 16;
	}
	while (p < end && r >= 0) {
		const char *nl = memchr(p, '\n', (size_t)(end - p));
		const char *le = nl ? nl : end, *v;
		size_t kn;

		v = field(p, le, &kn);
		if (kn == 4 && !memcmp(p, "path", 4)) {
			hd_free(bi->path);
			bi->path = hd_strndup(v, (size_t)(le - v));
			r = bi->path ? 0 : -HD_ENOMEM;
			last = NULL;
		} else if (kn == 2 && !memcmp(p, "go", 2) && !bi->go_version) {
			bi->go_version = hd_strndup(v, (size_t)(le - v));
			r = bi->go_version ? 0 : -HD_ENOMEM;
		} else if (kn == 3 && !memcmp(p, "mod", 3)) {
			module_release(&bi->main);
			r = read_module(v, le, &bi->main);
			last = r >= 0 ? &bi->main : NULL;
		} else if (kn == 3 && !memcmp(p, "dep", 3)) {
			if (bi->n_deps >= HD_MAX_GOBI_ENTRIES)
				r = -HD_ETOOBIG;
			else if (HD_GROW(bi->deps, bi->alloc_deps, bi->n_deps + 1) < 0)
				r = -HD_ENOMEM;
			else {
				memset(&bi->deps[bi->n_deps], 0, sizeof(*bi->deps));
				r = read_module(v, le, &bi->deps[bi->n_deps]);
				last = r >= 0 ? &bi->deps[bi->n_deps++] : NULL;
			}
		} else if (kn == 2 && !memcmp(p, "=>", 2)) {
			/* The dependency above is replaced: what is built is the replacement. */
			struct hd_gomod rep = { 0 };

			if (!last || last == &bi->main || last->replaces)
				return -HD_EPARSE;
			r = read_module(v, le, &rep);
			if (r >= 0) {
				rep.replaces = last->path;
				last->path = NULL;
				module_release(last);
				*last = rep;
			}
			last = NULL;
		} else if (kn == 5 && !memcmp(p, "build", 5)) {
			r = read_setting(v, le, bi);
		}
		p = nl ? nl + 1 : end;
	}
	return r;
}

/* ------------------------------------------------------------------ */
/* Lookups. */

const char *hd_gobuildinfo_setting(const struct hd_gobuildinfo *bi, const char *key)
{
	size_t i;

	for (i = bi->n_settings; i-- > 0;) {
		if (!strcmp(bi->settings[i].key, key))
			return bi->settings[i].value;
	}
	return NULL;
}

const struct hd_gomod *hd_gobuildinfo_module(const struct hd_gobuildinfo *bi, const char *path)
{
	size_t i;

	if (bi->main.path && !strcmp(bi->main.path, path))
		return &bi->main;
	for (i = 0; i < bi->n_deps; i++) {
		if (!strcmp(bi->deps[i].path, path))
			return &bi->deps[i];
	}
	return NULL;
}

/*
 * The next word of a flag string split like Go's cmd/internal/quoted.Split:
 * blanks separate words; a word may be wholly quoted with ' or " (no
 * escapes inside).  Returns the word's length and moves *pp, or 0 at the end.
 */
static size_t next_word(const char **pp, const char **word)
{
	const char *p = *pp;
	size_t n;

	while (*p == ' ' || *p == '\t' || *p == '\n' || *p == '\r')
		p++;
	if (!*p) {
		*pp = p;
		return 0;
	}
	if (*p == '"' || *p == '\'') {
		const char *q = strchr(p + 1, *p);

		if (q) {
			*word = p + 1;
			*pp = q + 1;
			return (size_t)(q - p - 1) ? (size_t)(q - p - 1) : SIZE_MAX;
		}
	}
	*word = p;
	n = strcspn(p, " \t\n\r");
	*pp = p + n;
	return n;
}

char *hd_gobuildinfo_ldflag_x(const struct hd_gobuildinfo *bi, const char *name, bool *oom)
{
	const char *flags = hd_gobuildinfo_setting(bi, "-ldflags"), *p, *w = NULL;
	const char *found = NULL;
	size_t n, nl = strlen(name), found_n = 0;
	bool want_arg = false;

	*oom = false;
	if (!flags)
		return NULL;
	p = flags;
	while ((n = next_word(&p, &w)) != 0) {
		const char *arg = NULL;
		size_t an = 0;

		if (n == SIZE_MAX)
			n = 0;
		if (want_arg) {
			arg = w;
			an = n;
			want_arg = false;
		} else if ((n == 2 && !memcmp(w, "-X", 2)) || (n == 3 && !memcmp(w, "--X", 3))) {
			want_arg = true;
			continue;
		} else if (n > 3 && !memcmp(w, "-X=", 3)) {
			arg = w + 3;
			an = n - 3;
		} else if (n > 4 && !memcmp(w, "--X=", 4)) {
			arg = w + 4;
			an = n - 4;
		}
		if (arg && an > nl && !memcmp(arg, name, nl) && arg[nl] == '=') {
			found = arg + nl + 1;
			found_n = an - nl - 1;
		}
	}
	if (!found)
		return NULL;
	w = hd_strndup(found, found_n);
	*oom = !w;
	return (char *)w;
}

/* ------------------------------------------------------------------ */
/* The blob. */

/* An unsigned varint (at most 10 bytes); 0 when p[0..n) does not hold a whole one. */
static size_t uvarint(const unsigned char *p, size_t n, uint64_t *v)
{
	uint64_t x = 0;
	unsigned shift = 0;
	size_t i;

	for (i = 0; i < n && i < 10; i++) {
		if (i == 9 && p[i] > 1)
			return 0;
		x |= (uint64_t)(p[i] & 0x7f) << shift;
		if (!(p[i] & 0x80)) {
			*v = x;
			return i + 1;
		}
		shift += 7;
	}
	return 0;
}

/*
 * The inline layout after the 32-byte header: two varint-prefixed strings.
 * Returns 1 when parsed into bi, 0 when p[0..n) is too short so far (*need
 * then says how many bytes in all are needed, when known), -HD_EPARSE or
 * -HD_ENOMEM.
 */
static int parse_inline(const unsigned char *p, size_t n, struct hd_gobuildinfo *bi, size_t *need)
{
	uint64_t l1, l2;
	size_t k1, k2, off = HEADER_SIZE;
	int r;

	*need = 0;
	if (n <= off)
		return 0;
	k1 = uvarint(p + off, n - off, &l1);
	if (!k1)
		return n - off >= 10 ? -HD_EPARSE : 0;
	if (l1 > HD_MAX_GOBUILDINFO || !l1)
		return -HD_EPARSE;
	off += k1;
	if (n < off + l1) {
		*need = off + (size_t)l1 + 1;
		return 0;
	}
	off += (size_t)l1;
	k2 = uvarint(p + off, n - off, &l2);
	if (!k2)
		return n - off >= 10 ? -HD_EPARSE : 0;
	if (l2 > HD_MAX_GOBUILDINFO)
		return -HD_EPARSE;
	if (n < off + k2 + l2) {
		*need = off + k2 + (size_t)l2;
		return 0;
	}
	bi->go_version = hd_strndup((const char *)p + HEADER_SIZE + k1, (size_t)l1);
	if (!bi->go_version)
		return -HD_ENOMEM;
	bi->inline_layout = true;
	r = hd_gobuildinfo_parse_modinfo((const char *)p + off + k2, (size_t)l2, bi);
	return r < 0 ? r : 1;
}

/* Whether a 32-byte header is plausible: pointer size 4 or 8, no unknown flag bits. */
static bool header_ok(const unsigned char *h)
{
	return (h[14] == 4 || h[14] == 8) && (h[15] & ~3u) == 0;
}

/* ------------------------------------------------------------------ */
/* ELF files. */

struct src {
	int fd;                    /* -1 for memory */
	const unsigned char *mem;
	size_t mem_len;
	bool be;                   /* big-endian */
	bool is64;
};

/* Reads up to n bytes at off (less at the end of the file); the count or a negative HD_E*. */
static ssize_t src_read_some(const struct src *s, uint64_t off, void *buf, size_t n)
{
	size_t done = 0;

	if (s->fd < 0) {
		if (off >= s->mem_len)
			return 0;
		if (n > s->mem_len - off)
			n = s->mem_len - (size_t)off;
		memcpy(buf, s->mem + off, n);
		return (ssize_t)n;
	}
	if (off > (uint64_t)INT64_MAX - n)
		return 0;
	while (done < n) {
		ssize_t k = pread(s->fd, (char *)buf + done, n - done, (off_t)(off + done));

		if (k < 0 && errno == EINTR)
			continue;
		if (k < 0)
			return -HD_EIO;
		if (k == 0)
			break;
		done += (size_t)k;
	}
	return (ssize_t)done;
}

/* Reads exactly n bytes at off; -HD_EPARSE when the file is shorter, -HD_EIO on error. */
static int src_read(const struct src *s, uint64_t off, void *buf, size_t n)
{
	ssize_t got = src_read_some(s, off, buf, n);

	if (got < 0)
		return (int)got;
	return (size_t)got == n ? 0 : -HD_EPARSE;
}

static uint64_t get(const struct src *s, const unsigned char *p, unsigned size)
{
	uint64_t v = 0;
	unsigned i;

	for (i = 0; i < size; i++)
		v |= (uint64_t)p[s->be ? size - 1 - i : i] << (8 * i);
	return v;
}

struct elf {
	uint64_t phoff, shoff;
	unsigned phentsize, shentsize;
	uint64_t phnum, shnum, shstrndx;
};

struct seg {
	uint64_t vaddr, offset, filesz;
	uint32_t flags;
};

static int read_ehdr(struct src *s, struct elf *e)
{
	unsigned char h[64];
	int r;

	r = src_read(s, 0, h, 52);
	if (r < 0)
		return r == -HD_EPARSE ? -HD_ENOENT : r;
	if (memcmp(h, "\177ELF", 4) != 0 || (h[4] != 1 && h[4] != 2) || (h[5] != 1 && h[5] != 2))
		return -HD_ENOENT;
	s->is64 = h[4] == 2;
	s->be = h[5] == 2;
	if (s->is64 && (r = src_read(s, 0, h, 64)) < 0)
		return r == -HD_EPARSE ? -HD_ENOENT : r;
	if (s->is64) {
		e->phoff = get(s, h + 32, 8);
		e->shoff = get(s, h + 40, 8);
		e->phentsize = (unsigned)get(s, h + 54, 2);
		e->phnum = get(s, h + 56, 2);
		e->shentsize = (unsigned)get(s, h + 58, 2);
		e->shnum = get(s, h + 60, 2);
		e->shstrndx = get(s, h + 62, 2);
	} else {
		e->phoff = get(s, h + 28, 4);
		e->shoff = get(s, h + 32, 4);
		e->phentsize = (unsigned)get(s, h + 42, 2);
		e->phnum = get(s, h + 44, 2);
		e->shentsize = (unsigned)get(s, h + 46, 2);
		e->shnum = get(s, h + 48, 2);
		e->shstrndx = get(s, h + 50, 2);
	}
	return 0;
}

/* Section i: name offset, file offset and size. */
static int read_shdr(const struct src *s, const struct elf *e, uint64_t i, uint32_t *name,
		     uint64_t *off, uint64_t *size, uint32_t *link)
{
	unsigned char h[64];
	unsigned need = s->is64 ? 64 : 40;
	int r;

	if (e->shentsize < need)
		return -HD_EPARSE;
	r = src_read(s, e->shoff + i * e->shentsize, h, need);
	if (r < 0)
		return r;
	*name = (uint32_t)get(s, h, 4);
	if (s->is64) {
		*off = get(s, h + 24, 8);
		*size = get(s, h + 32, 8);
		*link = (uint32_t)get(s, h + 40, 4);
	} else {
		*off = get(s, h + 16, 4);
		*size = get(s, h + 20, 4);
		*link = (uint32_t)get(s, h + 24, 4);
	}
	return 0;
}

/* The file offset and size of section `want`; 0, -HD_ENOENT (none), or an error. */
static int find_section(const struct src *s, struct elf *e, const char *want, uint64_t *off,
			uint64_t *size)
{
	uint64_t i, stroff, strsize;
	uint32_t name, link;
	size_t wl = strlen(want);
	int r;

	if (!e->shoff)
		return -HD_ENOENT;
	if (e->shnum == 0 || e->shstrndx == 0xffff) {
		/* Extended numbering: the real values are in section 0. */
		uint64_t o, sz;

		r = read_shdr(s, e, 0, &name, &o, &sz, &link);
		if (r < 0)
			return r;
		if (e->shnum == 0)
			e->shnum = sz;
		if (e->shstrndx == 0xffff)
			e->shstrndx = link;
	}
	if (e->shnum > MAX_SECTIONS || e->shstrndx >= e->shnum)
		return -HD_ENOENT;
	r = read_shdr(s, e, e->shstrndx, &name, &stroff, &strsize, &link);
	if (r < 0)
		return r;
	for (i = 0; i < e->shnum; i++) {
		char buf[32];

		r = read_shdr(s, e, i, &name, off, size, &link);
		if (r < 0)
			return r;
		if (name >= strsize || strsize - name < wl + 1)
			continue;
		r = src_read(s, stroff + name, buf, wl + 1);
		if (r < 0)
			return r;
		if (!memcmp(buf, want, wl + 1))
			return 0;
	}
	return -HD_ENOENT;
}

/* The PT_LOAD segments (at most 64); their count or a negative HD_E*. */
static int read_segments(const struct src *s, const struct elf *e, struct seg *v, size_t max)
{
	unsigned char h[56];
	unsigned need = s->is64 ? 56 : 32;
	uint64_t i;
	size_t n = 0;
	int r;

	if (e->phentsize < need || e->phnum > 65535)
		return 0;
	for (i = 0; i < e->phnum && n < max; i++) {
		r = src_read(s, e->phoff + i * e->phentsize, h, need);
		if (r < 0)
			return r;
		if (get(s, h, 4) != 1 /* PT_LOAD */)
			continue;
		if (s->is64) {
			v[n].flags = (uint32_t)get(s, h + 4, 4);
			v[n].offset = get(s, h + 8, 8);
			v[n].vaddr = get(s, h + 16, 8);
			v[n].filesz = get(s, h + 32, 8);
		} else {
			v[n].offset = get(s, h + 4, 4);
			v[n].vaddr = get(s, h + 8, 4);
			v[n].filesz = get(s, h + 16, 4);
			v[n].flags = (uint32_t)get(s, h + 24, 4);
		}
		n++;
	}
	return (int)n;
}

/* The file offset of virtual address va with n bytes available there; 0 or -HD_EPARSE. */
static int va_to_off(const struct seg *v, int nseg, uint64_t va, uint64_t n, uint64_t *off)
{
	int i;

	for (i = 0; i < nseg; i++) {
		if (va >= v[i].vaddr && va - v[i].vaddr < v[i].filesz && v[i].filesz - (va - v[i].vaddr) >= n) {
			*off = v[i].offset + (va - v[i].vaddr);
			return 0;
		}
	}
	return -HD_EPARSE;
}

/* A Go string {data, len} whose header is at virtual address va (pointer layout). */
static int read_go_string(const struct src *s, const struct seg *segs, int nseg, unsigned ptr,
			  uint64_t va, char **ret, size_t *ret_len)
{
	unsigned char h[16];
	uint64_t off, data, len;
	char *str;
	int r;

	if ((r = va_to_off(segs, nseg, va, 2 * ptr, &off)) < 0 || (r = src_read(s, off, h, 2 * ptr)) < 0)
		return r;
	data = get(s, h, ptr);
	len = get(s, h + ptr, ptr);
	if (len > HD_MAX_GOBUILDINFO)
		return -HD_EPARSE;
	if ((r = va_to_off(segs, nseg, data, len, &off)) < 0)
		return r;
	str = hd_malloc((size_t)len + 1);
	if (!str)
		return -HD_ENOMEM;
	r = src_read(s, off, str, (size_t)len);
	if (r < 0) {
		hd_free(str);
		return r;
	}
	str[len] = '\0';
	*ret = str;
	*ret_len = (size_t)len;
	return 0;
}

/* Parses the blob whose header is hdr (at file offset off): either layout. */
static int parse_blob(const struct src *s, const struct elf *e, const unsigned char *hdr, uint64_t off,
		      struct hd_gobuildinfo *bi)
{
	struct seg segs[64];
	unsigned ptr = hdr[14];
	char *mod = NULL;
	size_t mod_len = 0;
	int nseg, r;

	if (!header_ok(hdr))
		return -HD_EPARSE;
	if (hdr[15] & 2) {
		/* Inline: read as much as the two strings need. */
		size_t cap = HD_MAX_GOBUILDINFO, want = 4096, need;
		unsigned char *buf = NULL;
		ssize_t got;

		for (;;) {
			unsigned char *nb;

			if (want > cap)
				want = cap;
			nb = hd_realloc(buf, want);
			if (!nb) {
				r = -HD_ENOMEM;
				break;
			}
			buf = nb;
			got = src_read_some(s, off, buf, want);
			if (got < 0) {
				r = (int)got;
				break;
			}
			r = parse_inline(buf, (size_t)got, bi, &need);
			if (r != 0)
				break;
			if ((size_t)got < want || want == cap) {
				r = -HD_EPARSE; /* the file ends inside the blob */
				break;
			}
			want = need > want ? need : want * 4;
		}
		hd_free(buf);
		return r < 0 ? r : 0;
	}
	nseg = read_segments(s, e, segs, HD_ARRAY_SIZE(segs));
	if (nseg < 0)
		return nseg;
	r = read_go_string(s, segs, nseg, ptr, get(s, hdr + 16, ptr), &bi->go_version, &mod_len);
	if (r >= 0)
		r = read_go_string(s, segs, nseg, ptr, get(s, hdr + 16 + ptr, ptr), &mod, &mod_len);
	if (r >= 0 && !bi->go_version[0])
		r = -HD_EPARSE;
	/* The text holds a NUL (in its end sentinel): its length, not strlen. */
	if (r >= 0)
		r = hd_gobuildinfo_parse_modinfo(mod, mod_len, bi);
	hd_free(mod);
	return r;
}

/* The first 16-aligned magic in p[0..n); its index or -1. */
static ssize_t find_magic(const unsigned char *p, size_t n)
{
	size_t i;

	for (i = 0; i + HEADER_SIZE <= n; i += 16) {
		if (!memcmp(p + i, magic, sizeof(magic)))
			return (ssize_t)i;
	}
	return -1;
}

static int read_elf(struct src *s, struct hd_gobuildinfo *bi)
{
	struct elf e;
	unsigned char hdr[HEADER_SIZE];
	uint64_t off, size;
	int r;

	r = read_ehdr(s, &e);
	if (r < 0)
		return r;
	r = find_section(s, &e, ".go.buildinfo", &off, &size);
	if (r == -HD_ENOENT) {
		/* No section table, or an old toolchain: the start of the data segment. */
		struct seg segs[64];
		unsigned char *buf;
		ssize_t got, at;
		int nseg = read_segments(s, &e, segs, HD_ARRAY_SIZE(segs)), i;

		if (nseg < 0)
			return nseg;
		for (i = 0; i < nseg; i++) {
			if ((segs[i].flags & 3u) == 2u /* PF_W without PF_X */)
				break;
		}
		if (i == nseg)
			return -HD_ENOENT;
		buf = hd_malloc(DATA_SCAN);
		if (!buf)
			return -HD_ENOMEM;
		got = src_read_some(s, segs[i].offset, buf,
				    segs[i].filesz < DATA_SCAN ? (size_t)segs[i].filesz : DATA_SCAN);
		at = got > 0 ? find_magic(buf, (size_t)got) : -1;
		if (at >= 0) {
			memcpy(hdr, buf + at, HEADER_SIZE);
			off = segs[i].offset + (uint64_t)at;
		}
		hd_free(buf);
		if (got < 0)
			return (int)got;
		if (at < 0)
			return -HD_ENOENT;
	} else if (r < 0) {
		return r;
	} else {
		if (size < HEADER_SIZE)
			return -HD_EPARSE;
		r = src_read(s, off, hdr, HEADER_SIZE);
		if (r < 0)
			return r;
		if (memcmp(hdr, magic, sizeof(magic)) != 0)
			return -HD_EPARSE;
	}
	return parse_blob(s, &e, hdr, off, bi);
}

static int read_src(struct src *s, struct hd_gobuildinfo *bi)
{
	int r;

	bi_init(bi);
	r = read_elf(s, bi);

	if (r < 0)
		hd_gobuildinfo_release(bi);
	return r;
}

int hd_gobuildinfo_read_fd(int fd, struct hd_gobuildinfo *bi)
{
	struct src s = { .fd = fd };

	return read_src(&s, bi);
}

int hd_gobuildinfo_read_mem(const void *data, size_t len, struct hd_gobuildinfo *bi)
{
	struct src s = { .fd = -1, .mem = data, .mem_len = len };

	return read_src(&s, bi);
}

/* ------------------------------------------------------------------ */
/* Streaming. */

struct hd_gobi_scanner {
	unsigned char block[16];   /* the 16-byte block being completed */
	size_t n_block;
	bool collecting;           /* the magic was seen; blob holds it and what follows */
	int result;                /* 0 while scanning; 1 found, or a negative HD_E* once decided */
	struct hd_buf blob;
	struct hd_gobuildinfo info;
};

struct hd_gobi_scanner *hd_gobi_scanner_new(void)
{
	struct hd_gobi_scanner *s = hd_calloc(1, sizeof(*s));

	if (s)
		hd_buf_init(&s->blob, HD_MAX_GOBUILDINFO);
	return s;
}

void hd_gobi_scanner_free(struct hd_gobi_scanner *s)
{
	if (!s)
		return;
	hd_buf_release(&s->blob);
	hd_gobuildinfo_release(&s->info);
	hd_free(s);
}

int hd_gobi_scanner_done(const struct hd_gobi_scanner *s)
{
	return s->result != 0;
}

/*
 * With the magic seen, s->blob holds it and what followed.  Decides when the
 * header is there: a header that is not one ends the collection (when its
 * second block is itself a magic, that block starts a new one); a pointer
 * layout needs random access; an inline one is parsed once complete.
 */
static void scan_collect(struct hd_gobi_scanner *s)
{
	const unsigned char *b = (const unsigned char *)s->blob.buf;
	size_t need;
	int r;

	if (s->blob.len < HEADER_SIZE)
		return;
	if (!header_ok(b)) {
		unsigned char rest[16];

		/* Exactly the header was collected: its second block is all there is to look at again. */
		memcpy(rest, b + 16, 16);
		hd_buf_reset(&s->blob);
		if (!memcmp(rest, magic, sizeof(magic)))
			s->result = hd_buf_add(&s->blob, rest, 16) < 0 ? -HD_ENOMEM : 0;
		else
			s->collecting = false;
		return;
	}
	if (!(b[15] & 2)) {
		s->result = -HD_EUNSUPPORTED;
		return;
	}
	r = parse_inline(b, s->blob.len, &s->info, &need);
	if (r < 0)
		hd_gobuildinfo_release(&s->info);
	if (r == 0 && s->blob.len >= s->blob.max)
		r = -HD_EPARSE; /* longer than the limit */
	s->result = r;
}

int hd_gobi_scanner_feed(struct hd_gobi_scanner *s, const void *data, size_t len)
{
	const unsigned char *p = data;

	while (len && !s->result) {
		size_t k;

		if (s->collecting) {
			/* Up to the header exactly, so that a false magic loses no block. */
			k = s->blob.len < HEADER_SIZE ? HEADER_SIZE - s->blob.len : s->blob.max - s->blob.len;
			if (k > len)
				k = len;
			if (hd_buf_add(&s->blob, p, k) < 0)
				return s->result = -HD_ENOMEM;
			p += k;
			len -= k;
			scan_collect(s);
			continue;
		}
		/* Complete the current 16-byte block. */
		k = 16 - s->n_block;
		if (k > len)
			k = len;
		memcpy(s->block + s->n_block, p, k);
		s->n_block += k;
		p += k;
		len -= k;
		if (s->n_block < 16)
			break;
		s->n_block = 0;
		if (memcmp(s->block, magic, sizeof(magic)) != 0)
			continue;
		s->collecting = true;
		hd_buf_reset(&s->blob);
		if (hd_buf_add(&s->blob, s->block, 16) < 0)
			return s->result = -HD_ENOMEM;
	}
	return s->result == -HD_ENOMEM ? -HD_ENOMEM : 0;
}

int hd_gobi_scanner_finish(struct hd_gobi_scanner *s, struct hd_gobuildinfo *bi)
{
	int r = s->result;

	bi_init(bi);
	if (!r)
		r = s->collecting ? -HD_EPARSE : -HD_ENOENT;
	if (r == 1) {
		*bi = s->info;
		bi_init(&s->info);
		return 0;
	}
	return r;
}

int hd_gobuildinfo_parse(const void *data, size_t n, struct hd_gobuildinfo *bi)
{
	struct hd_gobi_scanner *s = hd_gobi_scanner_new();
	int r;

	bi_init(bi);
	if (!s)
		return -HD_ENOMEM;
	r = hd_gobi_scanner_feed(s, data, n);
	if (r == 0)
		r = hd_gobi_scanner_finish(s, bi);
	hd_gobi_scanner_free(s);
	return r;
}
