/*
 * Compose variable interpolation: $$, $NAME, ${NAME} and the six operator
 * forms (:- - :? ? :+ +), whose words are interpolated in turn so defaults
 * nest (${A:-${B:-c}}).  A `$` followed by anything else stays as written,
 * as it does for compose; a malformed `${...}` is an error.  Output is capped at HD_MAX_VAR_EXPANSION
 * bytes and nesting at HD_MAX_SHELL_DEPTH.
 */
#include "core/common.h"
#include "core/buf.h"
#include "parse/compose.h"

struct interp {
	hd_compose_lookup_fn *lookup;
	void *ctx;
	char *err; /* first error message, owned */
	int code;  /* its code */
	bool unset; /* a variable without a default was unset */
};

static bool name_start(char c) { return c == '_' || isalpha((unsigned char)c); }
static bool name_char(char c) { return c == '_' || isalnum((unsigned char)c); }

static int fail(struct interp *in, int code, const char *fmt, ...) __attribute__((format(printf, 3, 4)));
static int fail(struct interp *in, int code, const char *fmt, ...)
{
	va_list ap;
	char msg[512];

	if (!in->err) {
		va_start(ap, fmt);
		vsnprintf(msg, sizeof(msg), fmt, ap);
		va_end(ap);
		in->err = hd_strdup(msg);
		in->code = in->err ? code : -HD_ENOMEM;
	}
	return in->err ? code : -HD_ENOMEM;
}

static int expand(struct interp *in, const char *s, size_t len, struct hd_buf *out, unsigned depth);

/* Finds the '}' closing a ${ whose body starts at s; returns its offset or len. */
static size_t closing_brace(const char *s, size_t len)
{
	size_t i, depth = 1;

	for (i = 0; i < len; i++) {
		if (s[i] == '$' && i + 1 < len && s[i + 1] == '$') {
			i++;
		} else if (s[i] == '$' && i + 1 < len && s[i + 1] == '{') {
			depth++;
			i++;
		} else if (s[i] == '}' && --depth == 0) {
			return i;
		}
	}
	return len;
}

static int braced(struct interp *in, const char *s, size_t len, struct hd_buf *out, unsigned depth)
{
	size_t n = 0, wlen;
	const char *val, *word;
	char op = 0;
	bool colon = false, set, nonempty;
	int r;

	while (n < len && name_char(s[n]))
		n++;
	if (n == 0 || !name_start(s[0]))
		return fail(in, -HD_EINVAL, "invalid interpolation format for '${%.*s}'", (int)len, s);
	if (n < len) {
		if (s[n] == ':') {
			colon = true;
			n++;
		}
		if (n >= len || (s[n] != '-' && s[n] != '?' && s[n] != '+'))
			return fail(in, -HD_EINVAL, "invalid interpolation format for '${%.*s}'", (int)len, s);
		op = s[n];
	}
	val = in->lookup(in->ctx, s, colon ? n - 1 : n);
	if (!op && n != len)
		return fail(in, -HD_EINVAL, "invalid interpolation format for '${%.*s}'", (int)len, s);
	word = s + n + 1;
	wlen = op ? len - n - 1 : 0;
	set = val != NULL;
	nonempty = set && *val;
	switch (op) {
	case 0:
		if (val)
			return hd_buf_addstr(out, val);
		/* Unset: its value is unknown, so it stays as written. */
		in->unset = true;
		r = hd_buf_addstr(out, "${");
		if (r >= 0)
			r = hd_buf_add(out, s, len);
		return r < 0 ? r : hd_buf_addch(out, '}');
	case '-':
		if (colon ? nonempty : set)
			return hd_buf_addstr(out, val);
		return expand(in, word, wlen, out, depth + 1);
	case '+':
		if (colon ? nonempty : set)
			return expand(in, word, wlen, out, depth + 1);
		return 0;
	default: /* '?' */
		if (colon ? nonempty : set)
			return hd_buf_addstr(out, val);
		{
			struct hd_buf msg = HD_BUF_INIT(HD_MAX_MESSAGE);

			r = expand(in, word, wlen, &msg, depth + 1);
			if (r >= 0 || r == -HD_ETOOBIG)
				r = fail(in, -HD_EINVAL, "required variable %.*s is missing a value%s%s",
					 (int)(colon ? n - 1 : n), s, msg.len ? ": " : "", msg.buf);
			hd_buf_release(&msg);
			return r;
		}
	}
}

static int expand(struct interp *in, const char *s, size_t len, struct hd_buf *out, unsigned depth)
{
	size_t i = 0;
	int r;

	if (depth > HD_MAX_SHELL_DEPTH)
		return fail(in, -HD_ETOOBIG, "interpolation nested too deeply");
	while (i < len) {
		const char *d = memchr(s + i, '$', len - i);
		size_t j;

		if (!d)
			return hd_buf_add(out, s + i, len - i);
		j = (size_t)(d - s);
		r = hd_buf_add(out, s + i, j - i);
		if (r < 0)
			return r;
		i = j + 1;
		if (i < len && s[i] == '$') {
			r = hd_buf_addch(out, '$');
			i++;
		} else if (i < len && s[i] == '{') {
			size_t e = closing_brace(s + i + 1, len - i - 1);

			if (e == len - i - 1)
				return fail(in, -HD_EINVAL, "invalid interpolation format: unterminated '${' in '%.*s'",
					    (int)(len > 200 ? 200 : len), s);
			r = braced(in, s + i + 1, e, out, depth);
			i += e + 2;
		} else if (i < len && name_start(s[i])) {
			size_t k = i;
			const char *val;

			while (k < len && name_char(s[k]))
				k++;
			val = in->lookup(in->ctx, s + i, k - i);
			if (val) {
				r = hd_buf_addstr(out, val);
			} else {
				in->unset = true;
				r = hd_buf_add(out, s + i - 1, k - i + 1); /* "$NAME" as written */
			}
			i = k;
		} else {
			/* "$(", "$1", a trailing "$": compose leaves them as written. */
			r = hd_buf_addch(out, '$');
		}
		if (r < 0)
			return r;
	}
	return 0;
}

int hd_compose_interpolate(const char *s, size_t len, hd_compose_lookup_fn *lookup, void *ctx,
			   char **ret, char **reterr, bool *unset)
{
	struct interp in = { lookup, ctx, NULL, 0, false };
	struct hd_buf out = HD_BUF_INIT(HD_MAX_VAR_EXPANSION);
	int r;

	*reterr = NULL;
	r = expand(&in, s, len, &out, 0);
	if (r == -HD_ETOOBIG && !in.err)
		r = fail(&in, -HD_ETOOBIG, "interpolated value longer than %u bytes", HD_MAX_VAR_EXPANSION);
	if (r < 0) {
		hd_buf_release(&out);
		if (r == -HD_ENOMEM || !in.err) {
			hd_free(in.err);
			return -HD_ENOMEM;
		}
		*reterr = in.err;
		return r;
	}
	hd_free(in.err);
	if (unset)
		*unset = in.unset;
	*ret = hd_buf_detach(&out, NULL);
	return *ret ? 0 : -HD_ENOMEM;
}
