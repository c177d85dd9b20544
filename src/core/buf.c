/*
 * hd_buf implementation; see buf.h for the invariants it keeps.
 */
#include "core/common.h"
#include "core/buf.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

char hd_buf_empty[1];

void hd_buf_init(struct hd_buf *b, size_t max)
{
	b->buf = hd_buf_empty;
	b->len = 0;
	b->alloc = 0;
	b->max = max;
}

void hd_buf_release(struct hd_buf *b)
{
	if (!b)
		return;
	if (b->alloc)
		hd_free(b->buf);
	hd_buf_init(b, b->max);
}

void hd_buf_reset(struct hd_buf *b)
{
	b->len = 0;
	if (b->alloc)
		b->buf[0] = '\0';
}

static int buf_reserve(struct hd_buf *b, size_t extra)
{
	size_t need, n;
	char *p;

	if (!hd_size_add(b->len, extra, &need) || need > b->max)
		return -HD_ETOOBIG;
	if (!hd_size_add(need, 1, &need))
		return -HD_ETOOBIG;
	if (need <= b->alloc)
		return 0;
	n = b->alloc ? b->alloc : 64;
	while (n < need) {
		if (!hd_size_mul(n, 2, &n))
			return -HD_ETOOBIG;
	}
	p = hd_realloc(b->alloc ? b->buf : NULL, n);
	if (!p)
		return -HD_ENOMEM;
	if (!b->alloc)
		p[0] = '\0';
	b->buf = p;
	b->alloc = n;
	return 0;
}

int hd_buf_reserve_exact(struct hd_buf *b, size_t extra)
{
	size_t need;
	char *p;

	if (!hd_size_add(b->len, extra, &need) || need > b->max || !hd_size_add(need, 1, &need))
		return -HD_ETOOBIG;
	if (need <= b->alloc)
		return 0;
	p = hd_realloc(b->alloc ? b->buf : NULL, need);
	if (!p)
		return -HD_ENOMEM;
	if (!b->alloc)
		p[0] = '\0';
	b->buf = p;
	b->alloc = need;
	return 0;
}

int hd_buf_add(struct hd_buf *b, const void *data, size_t n)
{
	int r;

	r = buf_reserve(b, n);
	if (r < 0)
		return r;
	if (n)
		memcpy(b->buf + b->len, data, n);
	b->len += n;
	b->buf[b->len] = '\0';
	return 0;
}

int hd_buf_addstr(struct hd_buf *b, const char *s) { return hd_buf_add(b, s, strlen(s)); }
int hd_buf_addch(struct hd_buf *b, char c) { return hd_buf_add(b, &c, 1); }

int hd_buf_vaddf(struct hd_buf *b, const char *fmt, va_list ap)
{
	va_list cp;
	int n, r;

	va_copy(cp, ap);
	n = vsnprintf(NULL, 0, fmt, cp);
	va_end(cp);
	if (n < 0)
		return -HD_EINVAL;
	r = buf_reserve(b, (size_t)n);
	if (r < 0)
		return r;
	vsnprintf(b->buf + b->len, (size_t)n + 1, fmt, ap);
	b->len += (size_t)n;
	return 0;
}

int hd_buf_addf(struct hd_buf *b, const char *fmt, ...)
{
	va_list ap;
	int r;

	va_start(ap, fmt);
	r = hd_buf_vaddf(b, fmt, ap);
	va_end(ap);
	return r;
}

int hd_buf_add_utf8(struct hd_buf *b, uint32_t cp)
{
	char u[4];
	size_t n;

	if (cp < 0x80) {
		u[0] = (char)cp;
		n = 1;
	} else if (cp < 0x800) {
		u[0] = (char)(0xc0 | (cp >> 6));
		u[1] = (char)(0x80 | (cp & 0x3f));
		n = 2;
	} else if (cp < 0x10000) {
		u[0] = (char)(0xe0 | (cp >> 12));
		u[1] = (char)(0x80 | ((cp >> 6) & 0x3f));
		u[2] = (char)(0x80 | (cp & 0x3f));
		n = 3;
	} else {
		u[0] = (char)(0xf0 | (cp >> 18));
		u[1] = (char)(0x80 | ((cp >> 12) & 0x3f));
		u[2] = (char)(0x80 | ((cp >> 6) & 0x3f));
		u[3] = (char)(0x80 | (cp & 0x3f));
		n = 4;
	}
	return hd_buf_add(b, u, n);
}

int hd_buf_add_json_escaped(struct hd_buf *b, const char *s, size_t n)
{
	static const char hex[] = "0123456789abcdef";
	size_t i, start = 0;
	int r;

	for (i = 0; i < n; i++) {
		unsigned char c = (unsigned char)s[i];
		char esc[7];
		size_t elen = 2;

		if (c >= 0x20 && c != '"' && c != '\\' && c != 0x7f)
			continue;
		r = hd_buf_add(b, s + start, i - start);
		if (r < 0)
			return r;
		esc[0] = '\\';
		switch (c) {
		case '"': esc[1] = '"'; break;
		case '\\': esc[1] = '\\'; break;
		case '\n': esc[1] = 'n'; break;
		case '\r': esc[1] = 'r'; break;
		case '\t': esc[1] = 't'; break;
		case '\b': esc[1] = 'b'; break;
		case '\f': esc[1] = 'f'; break;
		default:
			esc[1] = 'u';
			esc[2] = '0';
			esc[3] = '0';
			esc[4] = hex[c >> 4];
			esc[5] = hex[c & 15];
			elen = 6;
		}
		r = hd_buf_add(b, esc, elen);
		if (r < 0)
			return r;
		start = i + 1;
	}
	return hd_buf_add(b, s + start, n - start);
}

const char *hd_xml_entity(unsigned char c)
{
	switch (c) {
	case '<': return "&lt;";
	case '>': return "&gt;";
	case '&': return "&amp;";
	case '"': return "&quot;";
	case '\'': return "&apos;";
	default:
		/* XML 1.0 forbids most control characters even escaped. */
		return (c < 0x20 && c != '\n' && c != '\t' && c != '\r') ? "?" : NULL;
	}
}

int hd_buf_add_xml_escaped(struct hd_buf *b, const char *s, size_t n)
{
	size_t i, start = 0;
	int r;

	for (i = 0; i < n; i++) {
		const char *rep = hd_xml_entity((unsigned char)s[i]);

		if (!rep)
			continue;
		r = hd_buf_add(b, s + start, i - start);
		if (r < 0)
			return r;
		r = hd_buf_addstr(b, rep);
		if (r < 0)
			return r;
		start = i + 1;
	}
	return hd_buf_add(b, s + start, n - start);
}

char *hd_buf_detach(struct hd_buf *b, size_t *len)
{
	char *s;

	if (!b->alloc) {
		s = hd_strdup("");
		if (len)
			*len = 0;
		return s;
	}
	s = b->buf;
	if (len)
		*len = b->len;
	hd_buf_init(b, b->max);
	return s;
}

int hd_buf_read_file(struct hd_buf *b, const char *path)
{
	bool is_stdin = strcmp(path, "-") == 0;
	int fd, r;

	fd = is_stdin ? 0 : open(path, O_RDONLY | O_CLOEXEC | O_NOCTTY);
	if (fd < 0)
		return errno == ENOENT ? -HD_ENOENT : errno == EACCES ? -HD_EACCES : -HD_EIO;
	r = hd_buf_read_fd(b, fd);
	if (!is_stdin)
		close(fd);
	return r;
}

int hd_buf_read_fd(struct hd_buf *b, int fd)
{
	struct stat st;

	if (fstat(fd, &st) != 0)
		return -HD_EIO;
	return hd_buf_read_fd_st(b, fd, &st);
}

int hd_buf_read_fd_st(struct hd_buf *b, int fd, const struct stat *stp)
{
	int r = 0;
	struct stat st = *stp;
	size_t start = b->len, expect = 0;

	if (S_ISREG(st.st_mode)) {
		if ((uint64_t)st.st_size > b->max) {
			r = -HD_ETOOBIG;
			goto out;
		}
		/* One byte more than the size, so a short read tells EOF at once. */
		expect = (size_t)st.st_size;
		r = buf_reserve(b, expect < b->max - b->len ? expect + 1 : expect);
		if (r < 0)
			goto out;
	} else if (S_ISDIR(st.st_mode)) {
		r = -HD_EINVAL;
		goto out;
	}
	for (;;) {
		ssize_t n;
		size_t room = b->max - b->len, asked;

		if (room == 0) {
			/* At the cap: any further byte means the input is too big. */
			char c;

			do
				n = read(fd, &c, 1);
			while (n < 0 && errno == EINTR);
			r = n > 0 ? -HD_ETOOBIG : n < 0 ? -HD_EIO : 0;
			goto out;
		}
		if (b->alloc < b->len + 2) {
			r = buf_reserve(b, room < 65536 ? room : 65536);
			if (r < 0)
				goto out;
		}
		asked = b->alloc - b->len - 1;
		n = read(fd, b->buf + b->len, asked);
		if (n < 0) {
			if (errno == EINTR)
				continue;
			r = errno == EISDIR ? -HD_EINVAL : -HD_EIO;
			goto out;
		}
		if (n == 0)
			break;
		b->len += (size_t)n;
		b->buf[b->len] = '\0';
		/* A regular file read short at its size is at its end: no read for EOF. */
		if (expect && b->len - start == expect && (size_t)n < asked)
			break;
	}
out:
	return r;
}
