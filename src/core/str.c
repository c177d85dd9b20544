/*
 * Small string helpers: case-insensitive comparisons and ranged integers.
 */
#include "core/common.h"

#include <limits.h>
#include <stdio.h>
#include <sys/types.h>

bool hd_str_ieq(struct hd_str a, const char *lit)
{
	size_t n = strlen(lit);
	return a.len == n && strncasecmp(a.p, lit, n) == 0;
}

bool hd_streq_nocase(const char *a, const char *b) { return strcasecmp(a, b) == 0; }
bool hd_starts_with(const char *s, const char *prefix) { return strncmp(s, prefix, strlen(prefix)) == 0; }
bool hd_istarts_with(const char *s, const char *prefix) { return strncasecmp(s, prefix, strlen(prefix)) == 0; }

bool hd_ends_with(const char *s, const char *suffix)
{
	size_t n = strlen(s), m = strlen(suffix);
	return n >= m && memcmp(s + n - m, suffix, m) == 0;
}

const char *hd_strcasestr(const char *hay, const char *needle)
{
	size_t n = strlen(needle);

	if (n == 0)
		return hay;
	for (; *hay; hay++) {
		if (tolower((unsigned char)*hay) == tolower((unsigned char)*needle) &&
		    strncasecmp(hay, needle, n) == 0)
			return hay;
	}
	return NULL;
}

int hd_parse_u64_n(const char *s, size_t n, uint64_t max, uint64_t *ret)
{
	uint64_t v = 0;
	size_t i;

	if (n == 0)
		return -HD_EINVAL;
	for (i = 0; i < n; i++) {
		unsigned d;

		if (s[i] < '0' || s[i] > '9')
			return -HD_EINVAL;
		d = (unsigned)(s[i] - '0');
		if (v > (max - d) / 10)
			return -HD_EINVAL;
		v = v * 10 + d;
	}
	*ret = v;
	return 0;
}

int hd_parse_i64(const char *s, int64_t min, int64_t max, int64_t *ret)
{
	bool neg = false;
	uint64_t v, lim;
	int r;

	if (*s == '-' || *s == '+') {
		neg = *s == '-';
		s++;
	}
	lim = neg ? (uint64_t)INT64_MAX + 1 : (uint64_t)INT64_MAX;
	r = hd_parse_u64_n(s, strlen(s), lim, &v);
	if (r < 0)
		return r;
	if (neg) {
		int64_t x = v == (uint64_t)INT64_MAX + 1 ? INT64_MIN : -(int64_t)v;
		if (x < min || x > max)
			return -HD_EINVAL;
		*ret = x;
	} else {
		if ((int64_t)v < min || (int64_t)v > max)
			return -HD_EINVAL;
		*ret = (int64_t)v;
	}
	return 0;
}

bool hd_is_assignment(const char *s)
{
	const char *p = s;

	if (!(isalpha((unsigned char)*p) || *p == '_'))
		return false;
	while (isalnum((unsigned char)*p) || *p == '_')
		p++;
	return *p == '=';
}

/* ---- a quick vsnprintf for messages --------------------------------------------------- */

struct fmt_out {
	char *p;
	size_t size, n; /* n: the length the whole text would have */
};

static void fmt_put(struct fmt_out *o, const char *s, size_t len)
{
	if (o->n < o->size) {
		size_t room = o->size - o->n;

		memcpy(o->p + o->n, s, len < room ? len : room);
	}
	o->n += len;
}

static void fmt_unsigned(struct fmt_out *o, unsigned long long v, unsigned base, bool neg)
{
	char buf[24], *e = buf + sizeof(buf), *q = e;

	do {
		*--q = "0123456789abcdef"[v % base];
		v /= base;
	} while (v);
	if (neg)
		*--q = '-';
	fmt_put(o, q, (size_t)(e - q));
}

int hd_vformat(char *buf, size_t size, const char *fmt, va_list ap)
{
	struct fmt_out o = { buf, size, 0 };
	const char *p = fmt;
	va_list again;
	int ret;

	va_copy(again, ap);
	while (*p) {
		const char *pct = strchr(p, '%');
		int prec = -1, len = 0; /* len: 0 int, 1 long, 2 long long, 3 size_t */

		if (!pct) {
			fmt_put(&o, p, strlen(p));
			break;
		}
		fmt_put(&o, p, (size_t)(pct - p));
		p = pct + 1;
		if (*p == '.') {
			if (p[1] != '*')
				goto slow; /* only the %.*s of the messages is done here */
			prec = va_arg(ap, int);
			p += 2;
		}
		if (*p == 'l') {
			len = p[1] == 'l' ? 2 : 1;
			p += len;
		} else if (*p == 'z') {
			len = 3;
			p++;
		}
		switch (*p) {
		case '%':
			if (prec >= 0 || len)
				goto slow;
			fmt_put(&o, "%", 1);
			break;
		case 's': {
			const char *s;
			size_t n;

			if (len)
				goto slow;
			s = va_arg(ap, const char *);
			if (!s) /* as glibc */
				s = prec < 0 || prec >= 6 ? "(null)" : "";
			n = prec >= 0 ? strnlen(s, (size_t)prec) : strlen(s);
			fmt_put(&o, s, n);
			break;
		}
		case 'c': {
			char c;

			if (prec >= 0 || len)
				goto slow;
			c = (char)va_arg(ap, int);
			fmt_put(&o, &c, 1);
			break;
		}
		case 'd':
		case 'i': {
			long long v;

			if (prec >= 0)
				goto slow;
			v = len == 0 ? va_arg(ap, int) : len == 1 ? va_arg(ap, long) : len == 2 ? va_arg(ap, long long)
											    : va_arg(ap, ssize_t);
			fmt_unsigned(&o, v < 0 ? 0ull - (unsigned long long)v : (unsigned long long)v, 10, v < 0);
			break;
		}
		case 'u':
		case 'x': {
			unsigned long long v;

			if (prec >= 0)
				goto slow;
			v = len == 0 ? va_arg(ap, unsigned) : len == 1 ? va_arg(ap, unsigned long)
					     : len == 2 ? va_arg(ap, unsigned long long) : va_arg(ap, size_t);
			fmt_unsigned(&o, v, *p == 'u' ? 10 : 16, false);
			break;
		}
		default:
			goto slow; /* flags, widths, other conversions: the C library's */
		}
		p++;
	}
	if (o.n > INT_MAX)
		goto slow;
	if (size)
		buf[o.n < size ? o.n : size - 1] = '\0';
	va_end(again);
	return (int)o.n;
slow:
	ret = vsnprintf(buf, size, fmt, again);
	va_end(again);
	return ret;
}
