/*
 * The streaming JSON writer; see jsonw.h.  jansson's JSON_INDENT(2) layout:
 * a container's members each on their own line, indented two spaces per
 * level, "key": value, and empty containers as {} and [].
 */
#include "core/common.h"
#include "report/jsonw.h"

void hd_jw_init(struct hd_jw *jw, FILE *out)
{
	memset(jw, 0, sizeof(*jw));
	jw->out = out;
}

static void indent(struct hd_jw *jw, unsigned level)
{
	static const char spaces[] = "                                                                ";
	unsigned n = level * 2;

	fputc('\n', jw->out);
	while (n) {
		unsigned k = n < sizeof(spaces) - 1 ? n : (unsigned)sizeof(spaces) - 1;

		fwrite(spaces, 1, k, jw->out);
		n -= k;
	}
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
		fputc(',', jw->out);
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
	fputc(c, jw->out);
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
	fputc(jw->closer[jw->depth], jw->out);
}

void hd_jw_key(struct hd_jw *jw, const char *key)
{
	value_start(jw);
	hd_json_put_string(jw->out, key, strlen(key));
	fputs(": ", jw->out);
	jw->after_key = true;
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

void hd_json_put_string(FILE *out, const char *str, size_t n)
{
	const unsigned char *s = (const unsigned char *)str;
	size_t i = 0, start = 0;

	fputc('"', out);
	while (i < n) {
		unsigned c = s[i];
		const char *esc = NULL;
		char buf[8];
		size_t len;

		if (c >= 0x20 && c != '"' && c != '\\' && c < 0x80) {
			i++;
			continue;
		}
		if (c >= 0x80) {
			len = utf8_len(s + i, n - i);
			if (len) {
				i += len;
				continue;
			}
			esc = "\xef\xbf\xbd"; /* U+FFFD for a byte that is not UTF-8 */
		} else if (c == '"') {
			esc = "\\\"";
		} else if (c == '\\') {
			esc = "\\\\";
		} else if (c == '\b') {
			esc = "\\b";
		} else if (c == '\f') {
			esc = "\\f";
		} else if (c == '\n') {
			esc = "\\n";
		} else if (c == '\r') {
			esc = "\\r";
		} else if (c == '\t') {
			esc = "\\t";
		} else {
			snprintf(buf, sizeof(buf), "\\u%04X", c);
			esc = buf;
		}
		if (i > start)
			fwrite(s + start, 1, i - start, out);
		fputs(esc, out);
		start = ++i;
	}
	if (i > start)
		fwrite(s + start, 1, i - start, out);
	fputc('"', out);
}

void hd_jw_strn(struct hd_jw *jw, const char *s, size_t n)
{
	value_start(jw);
	hd_json_put_string(jw->out, s, n);
}

void hd_jw_str(struct hd_jw *jw, const char *s)
{
	hd_jw_strn(jw, s, strlen(s));
}

void hd_jw_int(struct hd_jw *jw, int64_t v)
{
	value_start(jw);
	fprintf(jw->out, "%" PRId64, v);
}

void hd_jw_bool(struct hd_jw *jw, bool v)
{
	value_start(jw);
	fputs(v ? "true" : "false", jw->out);
}

void hd_jw_null(struct hd_jw *jw)
{
	value_start(jw);
	fputs("null", jw->out);
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
