/*
 * The streaming JSON writer; see jsonw.h.  jansson's JSON_INDENT(2) layout:
 * a container's members each on their own line, indented two spaces per
 * level, "key": value, and empty containers as {} and [].
 *
 * A corpus-sized report is tens of megabytes of small pieces, so the writer
 * collects them in a buffer of its own and hands the FILE whole blocks: one
 * stdio call (and one stream lock) per block instead of per piece.  Strings
 * are copied in runs of bytes that need no escape.
 */
#include "core/common.h"
#include "report/jsonw.h"

void hd_jw_init(struct hd_jw *jw, FILE *out)
{
	jw->out = out;
	jw->depth = 0;
	jw->after_key = false;
	jw->err = 0;
	jw->n = 0;
}

void hd_jw_flush(struct hd_jw *jw)
{
	if (jw->n && !jw->out)
		jw->err = -HD_ETOOBIG; /* a piece rendered in memory outgrew the buffer */
	else if (jw->n)
		fwrite(jw->buf, 1, jw->n, jw->out);
	jw->n = 0;
}

void hd_jw_piece_begin(struct hd_jw *piece, const struct hd_jw *jw)
{
	hd_jw_init(piece, NULL);
	piece->depth = jw->depth;
	memcpy(piece->has_items, jw->has_items, sizeof(piece->has_items));
	memcpy(piece->closer, jw->closer, sizeof(piece->closer));
}

static inline void put(struct hd_jw *jw, const char *s, size_t n)
{
	if (n > sizeof(jw->buf) - jw->n) {
		hd_jw_flush(jw);
		if (n > sizeof(jw->buf)) {
			fwrite(s, 1, n, jw->out);
			return;
		}
	}
	memcpy(jw->buf + jw->n, s, n);
	jw->n += n;
}

static void putch(struct hd_jw *jw, char c)
{
	if (jw->n == sizeof(jw->buf))
		hd_jw_flush(jw);
	jw->buf[jw->n++] = c;
}

static void puts_(struct hd_jw *jw, const char *s)
{
	put(jw, s, strlen(s));
}

/* A line break and two spaces per level: one copy (HD_JW_MAX_DEPTH levels fit). */
static void indent(struct hd_jw *jw, unsigned level)
{
	static const char nl_spaces[] = "\n                                                                ";
	_Static_assert(1 + 2 * HD_JW_MAX_DEPTH <= sizeof(nl_spaces) - 1, "indentation for every level");

	put(jw, nl_spaces, 1 + 2 * (size_t)level);
}

/* Starts a value: the separator and indentation its container wants. */
static void value_start(struct hd_jw *jw)
{
	if (jw->after_key) {
		jw->after_key = false;
		return;
	}
	if (jw->depth == 0)
		return;
	if (jw->has_items[jw->depth - 1])
		putch(jw, ',');
	jw->has_items[jw->depth - 1] = true;
	indent(jw, jw->depth);
}

static void open_container(struct hd_jw *jw, char c)
{
	value_start(jw);
	if (jw->depth >= HD_JW_MAX_DEPTH) {
		jw->err = -HD_EINVAL;
		return;
	}
	putch(jw, c);
	jw->closer[jw->depth] = c == '{' ? '}' : ']';
	jw->has_items[jw->depth++] = false;
}

void hd_jw_object(struct hd_jw *jw)
{
	open_container(jw, '{');
}

void hd_jw_array(struct hd_jw *jw)
{
	open_container(jw, '[');
}

void hd_jw_end(struct hd_jw *jw)
{
	if (jw->depth == 0 || jw->after_key) {
		jw->err = -HD_EINVAL;
		return;
	}
	jw->depth--;
	if (jw->has_items[jw->depth])
		indent(jw, jw->depth);
	putch(jw, jw->closer[jw->depth]);
}

/* Length of the valid UTF-8 sequence at s (at most n bytes), or 0. */
static size_t utf8_len(const unsigned char *s, size_t n)
{
	unsigned c = s[0];
	size_t len, i;
	uint32_t cp;

	if (c < 0xc2 || c > 0xf4)
		return 0;
	len = c < 0xe0 ? 2 : c < 0xf0 ? 3 : 4;
	if (n < len)
		return 0;
	cp = c & (0x7f >> len);
	for (i = 1; i < len; i++) {
		if ((s[i] & 0xc0) != 0x80)
			return 0;
		cp = cp << 6 | (s[i] & 0x3f);
	}
	/* Overlong forms, surrogates and values above U+10FFFF are not UTF-8. */
	if ((len == 3 && cp < 0x800) || (len == 4 && cp < 0x10000) || cp > 0x10ffff ||
	    (cp >= 0xd800 && cp <= 0xdfff))
		return 0;
	return len;
}

/* Bytes written as they are: printable ASCII other than '"' and '\\'. */
static const bool plain_byte[256] = {
	[0x20 ... 0x21] = true, [0x23 ... 0x5b] = true, [0x5d ... 0x7f] = true, /* DEL too, as jansson; not '"' (0x22), '\\' (0x5c) */
};

/*
 * Whether any of the 8 bytes of w needs a look: a control byte, '"', '\\'
 * or a byte of a multi-byte character (the classic bit tricks on a word).
 */
static inline bool word_needs_look(uint64_t w)
{
	const uint64_t ones = 0x0101010101010101ull, highs = 0x8080808080808080ull;
	uint64_t q = w ^ (ones * '"'), b = w ^ (ones * '\\');

	return ((w - ones * 0x20) | (q - ones) | (b - ones) | w) & highs;
}

/* The length of the prefix of s[0..n) that needs no escape. */
static inline size_t plain_prefix(const unsigned char *s, size_t n)
{
	size_t i = 0;

	while (n - i >= 8) {
		uint64_t w;

		memcpy(&w, s + i, 8);
		if (word_needs_look(w))
			break;
		i += 8;
	}
	while (i < n && plain_byte[s[i]])
		i++;
	return i;
}

static void put_string(struct hd_jw *jw, const char *str, size_t n)
{
	const unsigned char *s = (const unsigned char *)str;
	size_t i = 0, start = 0;

	/* Most strings need no escape and fit the buffer: one scan, one copy. */
	if (n + 2 <= sizeof(jw->buf) - jw->n && plain_prefix(s, n) == n) {
		char *o = jw->buf + jw->n;

		o[0] = '"';
		memcpy(o + 1, s, n);
		o[n + 1] = '"';
		jw->n += n + 2;
		return;
	}
	putch(jw, '"');
	while (i < n) {
		unsigned c;
		char esc[8];
		size_t len;

		/* Runs of plain bytes, a word at a time, then byte by byte. */
		while (n - i >= 8) {
			uint64_t w;

			memcpy(&w, s + i, 8);
			if (word_needs_look(w))
				break;
			i += 8;
		}
		while (i < n && plain_byte[s[i]])
			i++;
		if (i == n)
			break;
		c = s[i];
		if (c >= 0x80) {
			len = utf8_len(s + i, n - i);
			if (len) {
				i += len;
				continue;
			}
		}
		if (i > start)
			put(jw, (const char *)s + start, i - start);
		switch (c) {
		case '"': puts_(jw, "\\\""); break;
		case '\\': puts_(jw, "\\\\"); break;
		case '\b': puts_(jw, "\\b"); break;
		case '\f': puts_(jw, "\\f"); break;
		case '\n': puts_(jw, "\\n"); break;
		case '\r': puts_(jw, "\\r"); break;
		case '\t': puts_(jw, "\\t"); break;
		default:
			if (c >= 0x80) {
				puts_(jw, "\xef\xbf\xbd"); /* U+FFFD for a byte that is not UTF-8 */
			} else {
				snprintf(esc, sizeof(esc), "\\u%04X", c);
				puts_(jw, esc);
			}
		}
		start = ++i;
	}
	if (i > start)
		put(jw, (const char *)s + start, i - start);
	putch(jw, '"');
}

void hd_json_put_string(FILE *out, const char *s, size_t n)
{
	struct hd_jw jw;

	hd_jw_init(&jw, out);
	put_string(&jw, s, n);
	hd_jw_flush(&jw);
}

/*
 * The usual key: a member of an open object, plain, and room for it:
 * separator, indentation, "key": written in one go (fixed-size copies of
 * the indentation; the room checked covers them).  False when the slow way
 * must be taken.
 */
static inline bool key_fast(struct hd_jw *jw, const char *key, size_t klen)
{
	static const char spaces[] = "                                                                ";
	_Static_assert(2 * HD_JW_MAX_DEPTH <= sizeof(spaces) - 1, "indentation for every level");
	size_t d = jw->depth;
	char *o;

	if (jw->after_key || !d || klen > 64 || klen + sizeof(spaces) + 8 > sizeof(jw->buf) - jw->n)
		return false;
	o = jw->buf + jw->n;
	if (jw->has_items[d - 1])
		*o++ = ',';
	jw->has_items[d - 1] = true;
	*o++ = '\n';
	if (2 * d <= 32) {
		memcpy(o, spaces, 32);
	} else {
		memcpy(o, spaces, 2 * d);
	}
	o += 2 * d;
	*o++ = '"';
	memcpy(o, key, klen);
	o += klen;
	memcpy(o, "\": ", 3);
	o += 3;
	jw->n = (size_t)(o - jw->buf);
	jw->after_key = true;
	return true;
}

/* Any key, anywhere. */
static void key_slow(struct hd_jw *jw, const char *key, size_t klen)
{
	value_start(jw);
	put_string(jw, key, klen);
	put(jw, ": ", 2);
	jw->after_key = true;
}

void hd_jw_key(struct hd_jw *jw, const char *key)
{
	size_t klen = strlen(key);

	if (plain_prefix((const unsigned char *)key, klen) != klen || !key_fast(jw, key, klen))
		key_slow(jw, key, klen);
}

void hd_jw_key_lit(struct hd_jw *jw, const char *key, size_t klen)
{
	if (!key_fast(jw, key, klen))
		key_slow(jw, key, klen);
}

void hd_jw_strn(struct hd_jw *jw, const char *s, size_t n)
{
	value_start(jw);
	put_string(jw, s, n);
}

void hd_jw_str(struct hd_jw *jw, const char *s)
{
	hd_jw_strn(jw, s, strlen(s));
}

void hd_jw_raw(struct hd_jw *jw, const char *s, size_t n)
{
	put(jw, s, n);
}

void hd_jw_piece_put(struct hd_jw *jw, const char *text, size_t n)
{
	put(jw, text, n);
	if (jw->depth && n)
		jw->has_items[jw->depth - 1] = true;
}

void hd_jw_int(struct hd_jw *jw, int64_t v)
{
	char digits[24], *p = digits + sizeof(digits);
	uint64_t u = v < 0 ? 0 - (uint64_t)v : (uint64_t)v;

	value_start(jw);
	do {
		*--p = (char)('0' + u % 10);
		u /= 10;
	} while (u);
	if (v < 0)
		*--p = '-';
	put(jw, p, (size_t)(digits + sizeof(digits) - p));
}

void hd_jw_bool(struct hd_jw *jw, bool v)
{
	value_start(jw);
	puts_(jw, v ? "true" : "false");
}

void hd_jw_null(struct hd_jw *jw)
{
	value_start(jw);
	puts_(jw, "null");
}

void hd_jw_kstr(struct hd_jw *jw, const char *key, const char *s)
{
	hd_jw_key(jw, key);
	hd_jw_str(jw, s);
}

void hd_jw_kint(struct hd_jw *jw, const char *key, int64_t v)
{
	hd_jw_key(jw, key);
	hd_jw_int(jw, v);
}

void hd_jw_kstr_lit(struct hd_jw *jw, const char *key, size_t klen, const char *s)
{
	hd_jw_key_lit(jw, key, klen);
	hd_jw_str(jw, s);
}

void hd_jw_kint_lit(struct hd_jw *jw, const char *key, size_t klen, int64_t v)
{
	hd_jw_key_lit(jw, key, klen);
	hd_jw_int(jw, v);
}
