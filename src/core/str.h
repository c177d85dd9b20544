/*
 * Borrowed string slices and small string helpers.  An hd_str never owns its
 * bytes: it points into a buffer that must outlive it.
 */
#ifndef HD_STR_H
#define HD_STR_H

#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

struct hd_str {
	const char *p;
	size_t len;
};

#define HD_STR(lit) ((struct hd_str){ (lit), sizeof(lit) - 1 })
static inline struct hd_str hd_str_c(const char *s) { return (struct hd_str){ s, s ? strlen(s) : 0 }; }
static inline bool hd_str_eq(struct hd_str a, const char *lit)
{
	size_t n = strlen(lit);
	return a.len == n && memcmp(a.p, lit, n) == 0;
}
bool hd_str_ieq(struct hd_str a, const char *lit);
bool hd_streq_nocase(const char *a, const char *b);
bool hd_starts_with(const char *s, const char *prefix);
bool hd_ends_with(const char *s, const char *suffix);
bool hd_istarts_with(const char *s, const char *prefix);
/* Case-insensitive substring search; NULL when absent. */
const char *hd_strcasestr(const char *hay, const char *needle);
/* True when s starts with a shell variable assignment "NAME=" (NAME: letters, digits, '_', no leading digit). */
bool hd_is_assignment(const char *s);
/*
 * vsnprintf() for messages, quicker on what they use (%s, %.*s, %c, %d, %i,
 * %u, %x with l, ll or z, %%); anything else (flags, widths, other
 * conversions) is the C library's.  Returns what vsnprintf() returns.
 */
int hd_vformat(char *buf, size_t size, const char *fmt, va_list ap) __attribute__((format(printf, 3, 0)));

/*
 * Ranged integer parsing (OpenBSD strtonum): the whole string must be a
 * decimal number in [min, max].  Returns 0 or -HD_EINVAL.
 */
int hd_parse_i64(const char *s, int64_t min, int64_t max, int64_t *ret);
int hd_parse_u64_n(const char *s, size_t n, uint64_t max, uint64_t *ret);

#endif
