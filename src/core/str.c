/*
 * Small string helpers: case-insensitive comparisons and ranged integers.
 */
#include "core/common.h"

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
