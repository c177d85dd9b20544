/*
 * systemd unit files and environment files; see unit.h for the rules
 * followed.  Every function here is a pure function of its input text.
 */
#include "core/common.h"
#include "core/buf.h"
#include "parse/unit.h"

#define UNIT_MAX_LINE (1u << 20)

void hd_unit_init(struct hd_unit *u)
{
	memset(u, 0, sizeof(*u));
}

void hd_uwords_release(struct hd_uwords *w)
{
	size_t i;

	if (!w)
		return;
	for (i = 0; i < w->n; i++) {
		hd_free(w->v[i].s);
		hd_free(w->v[i].file);
	}
	hd_free(w->v);
	memset(w, 0, sizeof(*w));
}

void hd_uenv_release(struct hd_uenv *e)
{
	if (e)
		hd_uwords_release(&e->vars);
}

void hd_uproblems_release(struct hd_uproblems *p)
{
	size_t i;

	if (!p)
		return;
	for (i = 0; i < p->n; i++) {
		hd_free(p->v[i].message);
		hd_free(p->v[i].file);
	}
	hd_free(p->v);
	memset(p, 0, sizeof(*p));
}

static void word_release(struct hd_uword *w)
{
	hd_free(w->s);
	hd_free(w->file);
	memset(w, 0, sizeof(*w));
}

static void value_release(struct hd_unit_value *v)
{
	hd_free(v->value);
	hd_free(v->file);
	hd_free(v->segs);
	memset(v, 0, sizeof(*v));
}

void hd_unit_release(struct hd_unit *u)
{
	if (!u)
		return;
	value_release(&u->exec_start);
	word_release(&u->user);
	hd_uenv_release(&u->environment);
	hd_uwords_release(&u->env_files);
	hd_uwords_release(&u->listen_streams);
	word_release(&u->socket_user);
	word_release(&u->socket_group);
	word_release(&u->socket_mode);
	hd_strlist_release(&u->files);
	hd_uproblems_release(&u->problems);
	hd_unit_init(u);
}

static int problem(struct hd_uproblems *p, const char *file, uint32_t line, uint32_t col,
		   const char *fmt, ...) __attribute__((format(printf, 5, 6)));

static int problem(struct hd_uproblems *p, const char *file, uint32_t line, uint32_t col,
		   const char *fmt, ...)
{
	struct hd_uproblem *x;
	char msg[HD_MAX_MESSAGE];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	if (!p)
		return 0;
	if (HD_GROW(p->v, p->alloc, p->n + 1) < 0)
		return -HD_ENOMEM;
	x = &p->v[p->n];
	x->message = hd_strdup(msg);
	x->file = file ? hd_strdup(file) : NULL;
	x->line = line;
	x->col = col;
	if (!x->message || (file && !x->file)) {
		hd_free(x->message);
		hd_free(x->file);
		return -HD_ENOMEM;
	}
	p->n++;
	return 0;
}

static int words_add(struct hd_uwords *w, const char *s, size_t n, const char *file, uint32_t line,
		     uint32_t col)
{
	struct hd_uword *x;

	if (HD_GROW(w->v, w->alloc, w->n + 1) < 0)
		return -HD_ENOMEM;
	x = &w->v[w->n];
	x->s = hd_strndup(s, n);
	x->file = file ? hd_strdup(file) : NULL;
	x->line = line;
	x->col = col;
	if (!x->s || (file && !x->file)) {
		hd_free(x->s);
		hd_free(x->file);
		return -HD_ENOMEM;
	}
	w->n++;
	return 0;
}

static int word_set(struct hd_uword *w, const char *s, const char *file, uint32_t line, uint32_t col)
{
	char *ns = hd_strdup(s), *nf = file ? hd_strdup(file) : NULL;

	if (!ns || (file && !nf)) {
		hd_free(ns);
		hd_free(nf);
		return -HD_ENOMEM;
	}
	word_release(w);
	w->s = ns;
	w->file = nf;
	w->line = line;
	w->col = col;
	return 0;
}

/* Maps an offset in a joined value to its line and column. */
static void seg_pos(const struct hd_useg *segs, size_t n_segs, size_t off, uint32_t *line,
		    uint32_t *col)
{
	size_t i, best = 0;

	*line = 0;
	*col = 0;
	if (!n_segs)
		return;
	for (i = 0; i < n_segs; i++) {
		if (segs[i].off <= off)
			best = i;
	}
	*line = segs[best].line;
	*col = segs[best].col + (uint32_t)(off - segs[best].off);
}

static int hexval(char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}

/*
 * One C-style escape at v[*i] (just after the backslash).  Returns 0,
 * -HD_EPARSE with *why set, or -HD_ENOMEM.
 */
static int unescape_one(const char *v, size_t len, size_t *i, struct hd_buf *b, const char **why)
{
	static const char simple_in[] = "abfnrtv\\\"' s;";
	static const char simple_out[] = "\a\b\f\n\r\t\v\\\"'  ;";
	const char *q;
	char c;

	if (*i >= len) {
		*why = "a backslash ends the line";
		return -HD_EPARSE;
	}
	c = v[*i];
	q = strchr(simple_in, c);
	if (q && c) {
		(*i)++;
		return hd_buf_addch(b, simple_out[q - simple_in]);
	}
	if (c == 'x') {
		int h1 = *i + 1 < len ? hexval(v[*i + 1]) : -1;
		int h2 = *i + 2 < len ? hexval(v[*i + 2]) : -1;

		if (h1 < 0 || h2 < 0 || (h1 == 0 && h2 == 0)) {
			*why = "invalid \\x escape";
			return -HD_EPARSE;
		}
		*i += 3;
		return hd_buf_addch(b, (char)(h1 * 16 + h2));
	}
	if (c == 'u' || c == 'U') {
		size_t n = c == 'u' ? 4 : 8, k;
		uint32_t cp = 0;

		for (k = 1; k <= n; k++) {
			int h = *i + k < len ? hexval(v[*i + k]) : -1;

			if (h < 0) {
				*why = "invalid \\u escape";
				return -HD_EPARSE;
			}
			cp = cp * 16 + (uint32_t)h;
		}
		if (cp == 0 || cp > 0x10ffff || (cp >= 0xd800 && cp <= 0xdfff)) {
			*why = "invalid code point in \\u escape";
			return -HD_EPARSE;
		}
		*i += n + 1;
		return hd_buf_add_utf8(b, cp);
	}
	if (c >= '0' && c <= '7') {
		unsigned val = 0, k;

		for (k = 0; k < 3; k++) {
			if (*i + k >= len || v[*i + k] < '0' || v[*i + k] > '7') {
				*why = "invalid octal escape (three digits needed)";
				return -HD_EPARSE;
			}
			val = val * 8 + (unsigned)(v[*i + k] - '0');
		}
		if (val == 0 || val > 255) {
			*why = "invalid octal escape";
			return -HD_EPARSE;
		}
		*i += 3;
		return hd_buf_addch(b, (char)val);
	}
	*why = "unknown escape sequence";
	return -HD_EPARSE;
}

/* The specifiers systemd resolves the same way on every host for a system unit. */
static int add_specifier(struct hd_buf *b, char c, const char *unit_name, const char **why)
{
	const char *dot = unit_name ? strrchr(unit_name, '.') : NULL;
	size_t base = unit_name ? (dot ? (size_t)(dot - unit_name) : strlen(unit_name)) : 0;

	switch (c) {
	case '%': return hd_buf_addch(b, '%');
	case 'n': return hd_buf_addstr(b, unit_name ? unit_name : "");
	case 'N':
	case 'p':
	case 'P':
	case 'j':
	case 'J': return hd_buf_add(b, unit_name ? unit_name : "", base);
	case 'i':
	case 'I': return 0;
	case 't': return hd_buf_addstr(b, "/run");
	case 'S': return hd_buf_addstr(b, "/var/lib");
	case 'C': return hd_buf_addstr(b, "/var/cache");
	case 'L': return hd_buf_addstr(b, "/var/log");
	case 'E': return hd_buf_addstr(b, "/etc");
	case 'T': return hd_buf_addstr(b, "/tmp");
	case 'V': return hd_buf_addstr(b, "/var/tmp");
	case 'h': return hd_buf_addstr(b, "/root");
	case 'u':
	case 'g': return hd_buf_addstr(b, "root");
	case 'U':
	case 'G': return hd_buf_addstr(b, "0");
	case 'f': return hd_buf_addch(b, '/');
	/* Host-specific values: kept as written, they cannot name a dockerd option. */
	case 'H': case 'l': case 'm': case 'b': case 'v': case 'o': case 'w': case 'W':
	case 'B': case 'a': case 'A': case 'M': case 'q': case 'y': case 'Y': case 'd':
	case 's':
		return hd_buf_addf(b, "%%%c", c);
	default:
		*why = "unknown specifier";
		return -HD_EPARSE;
	}
}

/*
 * Extracts the next word of v starting at *pos.  Returns 1 with the word in
 * b and its start offset in *start, 0 at the end, -HD_EPARSE (with *why and
 * *err_off) or -HD_ENOMEM.
 */
static int next_word(const char *v, size_t len, size_t *pos, bool specifiers, const char *unit_name,
		     struct hd_buf *b, size_t *start, const char **why, size_t *err_off)
{
	size_t i = *pos;
	char quote = 0;
	int r;

	hd_buf_reset(b);
	while (i < len && (v[i] == ' ' || v[i] == '\t' || v[i] == '\n' || v[i] == '\r'))
		i++;
	if (i >= len) {
		*pos = i;
		return 0;
	}
	*start = i;
	while (i < len) {
		char c = v[i];

		if (!quote && (c == ' ' || c == '\t' || c == '\n' || c == '\r'))
			break;
		if (!quote && (c == '"' || c == '\'')) {
			quote = c;
			i++;
			continue;
		}
		if (quote && c == quote) {
			quote = 0;
			i++;
			continue;
		}
		if (c == '\\') {
			size_t at = i;

			i++;
			r = unescape_one(v, len, &i, b, why);
			if (r == -HD_EPARSE)
				*err_off = at;
			if (r < 0)
				return r;
			continue;
		}
		if (c == '%' && specifiers) {
			if (i + 1 >= len) {
				*why = "a '%' ends the line";
				*err_off = i;
				return -HD_EPARSE;
			}
			r = add_specifier(b, v[i + 1], unit_name, why);
			if (r == -HD_EPARSE)
				*err_off = i;
			if (r < 0)
				return r;
			i += 2;
			continue;
		}
		if (c == '\0') {
			*why = "a NUL byte";
			*err_off = i;
			return -HD_EPARSE;
		}
		r = hd_buf_addch(b, c);
		if (r < 0)
			return r;
		i++;
	}
	if (quote) {
		*why = quote == '"' ? "unterminated double quote" : "unterminated single quote";
		*err_off = *start;
		return -HD_EPARSE;
	}
	*pos = i;
	return 1;
}

static bool env_name_char(char c, bool first)
{
	return c == '_' || isalpha((unsigned char)c) || (!first && isdigit((unsigned char)c));
}

const char *hd_uenv_get(const struct hd_uenv *env, const char *name, const struct hd_uword **at)
{
	size_t i, n = strlen(name);

	if (!env)
		return NULL;
	for (i = env->vars.n; i-- > 0;) {
		const char *s = env->vars.v[i].s;

		if (strncmp(s, name, n) == 0 && s[n] == '=') {
			if (at)
				*at = &env->vars.v[i];
			return s + n + 1;
		}
	}
	return NULL;
}

/* Replaces ${NAME} and $$ in word (systemd's replace_env without braceless names). */
static int expand_braces(const char *w, const struct hd_uenv *env, struct hd_buf *out)
{
	const char *p = w;
	int r;

	while (*p) {
		if (p[0] == '$' && p[1] == '$') {
			r = hd_buf_addch(out, '$');
			p += 2;
		} else if (p[0] == '$' && p[1] == '{') {
			const char *e = strchr(p + 2, '}');
			char name[256];
			const char *val;
			size_t n;

			if (!e) {
				r = hd_buf_addstr(out, p);
				if (r < 0)
					return r;
				break;
			}
			n = (size_t)(e - (p + 2));
			if (n < sizeof(name)) {
				memcpy(name, p + 2, n);
				name[n] = '\0';
				val = hd_uenv_get(env, name, NULL);
				r = val ? hd_buf_addstr(out, val) : 0;
			} else {
				r = 0;
			}
			p = e + 1;
		} else {
			r = hd_buf_addch(out, *p);
			p++;
		}
		if (r < 0)
			return r;
	}
	return 0;
}

static int split_value(const char *v, size_t len, const struct hd_useg *segs, size_t n_segs,
		       const char *file, bool exec, const struct hd_uenv *env, const char *unit_name,
		       struct hd_uwords *out, struct hd_uproblems *problems)
{
	struct hd_buf b = HD_BUF_INIT(UNIT_MAX_LINE), e = HD_BUF_INIT(UNIT_MAX_LINE);
	size_t pos = 0, start = 0, err_off = 0;
	const char *why = NULL;
	int r;

	for (;;) {
		uint32_t line, col;

		r = next_word(v, len, &pos, exec, unit_name, &b, &start, &why, &err_off);
		if (r <= 0)
			break;
		seg_pos(segs, n_segs, start, &line, &col);
		if (exec && b.buf[0] == '$' && b.buf[1] != '{' && b.buf[1] != '$' &&
		    env_name_char(b.buf[1], true)) {
			/* $NAME alone: the value split at whitespace, zero or more words. */
			const struct hd_uword *at = NULL;
			const char *val = hd_uenv_get(env, b.buf + 1, &at);
			const char *p = val;

			while (p && *p) {
				const char *q;

				while (*p && isspace((unsigned char)*p))
					p++;
				if (!*p)
					break;
				q = p;
				while (*q && !isspace((unsigned char)*q))
					q++;
				r = words_add(out, p, (size_t)(q - p), at ? at->file : file,
					      at ? at->line : line,
					      at ? at->col + (uint32_t)(p - val) : col);
				if (r < 0)
					goto out;
				p = q;
			}
			continue;
		}
		if (exec) {
			hd_buf_reset(&e);
			r = expand_braces(b.buf, env, &e);
			if (r < 0)
				goto out;
			r = words_add(out, e.buf, e.len, file, line, col);
		} else {
			r = words_add(out, b.buf, b.len, file, line, col);
		}
		if (r < 0)
			goto out;
	}
	if (r == -HD_EPARSE) {
		uint32_t line, col;

		seg_pos(segs, n_segs, err_off, &line, &col);
		hd_uwords_release(out);
		r = problem(problems, file, line, col, "%s; systemd ignores this line", why);
	}
out:
	hd_buf_release(&b);
	hd_buf_release(&e);
	return r;
}

int hd_unit_split_exec(const struct hd_unit_value *v, const struct hd_uenv *env,
		       const char *unit_name, struct hd_uwords *out, struct hd_uproblems *problems)
{
	const char *p = v->value;
	size_t skip = 0, len;
	bool at_sign = false;
	int r;

	if (!p)
		return 0;
	len = strlen(p);
	while (skip < len && strchr("@-:+!", p[skip])) {
		if (p[skip] == '@')
			at_sign = true;
		skip++;
	}
	{
		/* Shift the segments so offsets stay right after the prefixes. */
		struct hd_useg *segs = hd_calloc(v->n_segs ? v->n_segs : 1, sizeof(*segs));
		size_t i;

		if (!segs)
			return -HD_ENOMEM;
		for (i = 0; i < v->n_segs; i++) {
			segs[i] = v->segs[i];
			if (segs[i].off >= skip) {
				segs[i].off -= skip;
			} else {
				segs[i].col += (uint32_t)(skip - segs[i].off);
				segs[i].off = 0;
			}
		}
		r = split_value(p + skip, len - skip, segs, v->n_segs, v->file, true, env, unit_name,
				out, problems);
		hd_free(segs);
	}
	if (r < 0)
		return r;
	/* With '@' the second word is argv[0], not an argument. */
	if (at_sign && out->n >= 2) {
		word_release(&out->v[1]);
		memmove(&out->v[1], &out->v[2], (out->n - 2) * sizeof(*out->v));
		out->n--;
	}
	return 0;
}

int hd_unit_split_words(const char *value, const struct hd_uword *origin, struct hd_uwords *out,
			struct hd_uproblems *problems)
{
	struct hd_useg seg = { 0, origin ? origin->line : 0, origin ? origin->col : 0 };

	return split_value(value, strlen(value), &seg, 1, origin ? origin->file : NULL, false, NULL,
			   NULL, out, problems);
}

/* Copies the value part of a logical line into a unit value with its segments. */
static int value_set(struct hd_unit_value *dst, const char *file, const char *line_text,
		     size_t value_start, const struct hd_useg *segs, size_t n_segs)
{
	struct hd_unit_value v = { 0 };
	size_t i, n = 0;

	v.value = hd_strdup(line_text + value_start);
	v.file = hd_strdup(file);
	v.segs = hd_calloc(n_segs ? n_segs : 1, sizeof(*v.segs));
	if (!v.value || !v.file || !v.segs) {
		value_release(&v);
		return -HD_ENOMEM;
	}
	for (i = 0; i < n_segs; i++) {
		if (segs[i].off <= value_start) {
			v.segs[0].off = 0;
			v.segs[0].line = segs[i].line;
			v.segs[0].col = segs[i].col + (uint32_t)(value_start - segs[i].off);
			n = 1;
		} else {
			v.segs[n].off = segs[i].off - value_start;
			v.segs[n].line = segs[i].line;
			v.segs[n].col = segs[i].col;
			n++;
		}
	}
	v.n_segs = n;
	value_release(dst);
	*dst = v;
	return 0;
}

enum section { SEC_OTHER, SEC_SERVICE, SEC_SOCKET };

static int apply_key(struct hd_unit *u, enum section sec, const char *file, const char *key,
		     const char *text, size_t vstart, const struct hd_useg *segs, size_t n_segs)
{
	const char *val = text + vstart;
	uint32_t line, col;
	int r;

	seg_pos(segs, n_segs, vstart, &line, &col);
	if (sec == SEC_SERVICE && strcmp(key, "ExecStart") == 0) {
		if (!*val) {
			value_release(&u->exec_start);
			u->n_exec_start = 0;
			return 0;
		}
		u->n_exec_start++;
		return value_set(&u->exec_start, file, text, vstart, segs, n_segs);
	}
	if (sec == SEC_SERVICE && strcmp(key, "User") == 0) {
		if (!*val) {
			word_release(&u->user);
			return 0;
		}
		return word_set(&u->user, val, file, line, col);
	}
	if (sec == SEC_SERVICE && strcmp(key, "Environment") == 0) {
		struct hd_uwords w = { 0 };
		struct hd_uword origin = { NULL, (char *)file, line, col };
		size_t i;

		if (!*val) {
			hd_uenv_release(&u->environment);
			return 0;
		}
		r = hd_unit_split_words(val, &origin, &w, &u->problems);
		for (i = 0; r >= 0 && i < w.n; i++) {
			if (!strchr(w.v[i].s, '=') || !env_name_char(w.v[i].s[0], true)) {
				r = problem(&u->problems, file, w.v[i].line, w.v[i].col,
					    "'%s' is not a NAME=value assignment; systemd ignores it",
					    w.v[i].s);
				continue;
			}
			r = words_add(&u->environment.vars, w.v[i].s,
				      strlen(w.v[i].s), file, w.v[i].line,
				      w.v[i].col + (uint32_t)(strchr(w.v[i].s, '=') - w.v[i].s) + 1);
		}
		hd_uwords_release(&w);
		return r;
	}
	if (sec == SEC_SERVICE && strcmp(key, "EnvironmentFile") == 0) {
		if (!*val) {
			hd_uwords_release(&u->env_files);
			return 0;
		}
		return words_add(&u->env_files, val, strlen(val), file, line, col);
	}
	if (sec == SEC_SOCKET && strcmp(key, "ListenStream") == 0) {
		if (!*val) {
			hd_uwords_release(&u->listen_streams);
			return 0;
		}
		return words_add(&u->listen_streams, val, strlen(val), file, line, col);
	}
	if (sec == SEC_SOCKET && strcmp(key, "SocketUser") == 0)
		return word_set(&u->socket_user, val, file, line, col);
	if (sec == SEC_SOCKET && strcmp(key, "SocketGroup") == 0)
		return word_set(&u->socket_group, val, file, line, col);
	if (sec == SEC_SOCKET && strcmp(key, "SocketMode") == 0)
		return word_set(&u->socket_mode, val, file, line, col);
	return 0;
}

/* Handles one logical line (continuations joined) of a unit file. */
static int logical_line(struct hd_unit *u, enum section *sec, const char *file, struct hd_buf *text,
			const struct hd_useg *segs, size_t n_segs, uint32_t first_line)
{
	const char *eq;
	char key[128];
	size_t klen, vstart;

	if (memchr(text->buf, '\0', text->len))
		return problem(&u->problems, file, first_line, 1, "a NUL byte in the line");
	if (text->buf[0] == '[') {
		char *close = strchr(text->buf, ']');

		if (!close || close[1]) {
			*sec = SEC_OTHER;
			return problem(&u->problems, file, first_line, segs[0].col,
				       "invalid section header '%s'", text->buf);
		}
		*close = '\0';
		*sec = !strcmp(text->buf + 1, "Service") ? SEC_SERVICE :
		       !strcmp(text->buf + 1, "Socket") ? SEC_SOCKET : SEC_OTHER;
		return 0;
	}
	eq = strchr(text->buf, '=');
	if (!eq)
		return problem(&u->problems, file, first_line, segs[0].col,
			       "missing '=' in '%s'; systemd ignores the line", text->buf);
	klen = (size_t)(eq - text->buf);
	while (klen && (text->buf[klen - 1] == ' ' || text->buf[klen - 1] == '\t'))
		klen--;
	if (!klen || klen >= sizeof(key))
		return 0;
	memcpy(key, text->buf, klen);
	key[klen] = '\0';
	vstart = (size_t)(eq - text->buf) + 1;
	while (text->buf[vstart] == ' ' || text->buf[vstart] == '\t')
		vstart++;
	return apply_key(u, *sec, file, key, text->buf, vstart, segs, n_segs);
}

int hd_unit_parse(struct hd_unit *u, const char *file, const char *data, size_t len)
{
	struct hd_buf text = HD_BUF_INIT(UNIT_MAX_LINE);
	struct hd_useg *segs = NULL;
	size_t n_segs = 0, alloc_segs = 0, pos = 0;
	enum section sec = SEC_OTHER;
	uint32_t lineno = 0, first_line = 0;
	bool cont = false;
	int r;

	r = hd_strlist_add(&u->files, file);
	if (r < 0)
		return r;
	while (pos < len) {
		const char *l = data + pos, *nl = memchr(l, '\n', len - pos);
		size_t ll = nl ? (size_t)(nl - l) : len - pos, lead = 0, end;

		pos += ll + (nl ? 1 : 0);
		lineno++;
		while (lead < ll && (l[lead] == ' ' || l[lead] == '\t'))
			lead++;
		end = ll;
		while (end > lead && strchr(" \t\r", l[end - 1]))
			end--;
		if (cont && lead < end && (l[lead] == '#' || l[lead] == ';'))
			continue; /* comments inside a continuation are skipped */
		if (!cont) {
			if (lead == end || l[lead] == '#' || l[lead] == ';')
				continue;
			hd_buf_reset(&text);
			n_segs = 0;
			first_line = lineno;
		}
		if (HD_GROW(segs, alloc_segs, n_segs + 1) < 0) {
			r = -HD_ENOMEM;
			goto out;
		}
		segs[n_segs].off = text.len;
		segs[n_segs].line = lineno;
		segs[n_segs].col = (uint32_t)lead + 1;
		n_segs++;
		if (end > lead && l[end - 1] == '\\') {
			r = hd_buf_add(&text, l + lead, end - lead - 1);
			if (r >= 0)
				r = hd_buf_addch(&text, ' ');
			if (r < 0)
				goto out;
			cont = true;
			continue;
		} else {
			r = hd_buf_add(&text, l + lead, end - lead);
			if (r < 0)
				goto out;
		}
		cont = false;
		r = logical_line(u, &sec, file, &text, segs, n_segs, first_line);
		if (r < 0)
			goto out;
	}
	if (cont) {
		r = logical_line(u, &sec, file, &text, segs, n_segs, first_line);
		if (r < 0)
			goto out;
	}
	r = 0;
out:
	hd_buf_release(&text);
	hd_free(segs);
	return r;
}

int hd_uenv_parse(struct hd_uenv *env, const char *file, const char *data, size_t len,
		  struct hd_uproblems *problems)
{
	struct hd_buf val = HD_BUF_INIT(UNIT_MAX_LINE);
	size_t i = 0;
	uint32_t line = 1;
	int r = 0;

	while (i < len) {
		size_t ks, ke, trail;
		uint32_t key_line = line, vcol;
		const char *line_start;
		char quote = 0;
		bool ok = true;

		/* Skip blanks and whole-line comments. */
		while (i < len && (data[i] == ' ' || data[i] == '\t' || data[i] == '\r'))
			i++;
		if (i >= len)
			break;
		if (data[i] == '\n') {
			i++;
			line++;
			continue;
		}
		line_start = data + i;
		if (data[i] == '#' || data[i] == ';') {
			while (i < len && data[i] != '\n')
				i++;
			continue;
		}
		ks = i;
		while (i < len && env_name_char(data[i], i == ks))
			i++;
		ke = i;
		while (i < len && (data[i] == ' ' || data[i] == '\t'))
			i++;
		if (ke == ks || i >= len || data[i] != '=') {
			/* "export X=1" and other shell lines: not an assignment systemd reads. */
			r = problem(problems, file, key_line, 1,
				    "not a NAME=value line; systemd ignores it");
			if (r < 0)
				break;
			while (i < len && data[i] != '\n')
				i++;
			continue;
		}
		i++;
		while (i < len && (data[i] == ' ' || data[i] == '\t'))
			i++;
		vcol = (uint32_t)(data + i - line_start) + 1;
		hd_buf_reset(&val);
		trail = 0;
		r = hd_buf_add(&val, data + ks, ke - ks);
		if (r >= 0)
			r = hd_buf_addch(&val, '=');
		while (r >= 0 && i < len) {
			char c = data[i];

			if (!quote && c == '\n')
				break;
			if (c == '\n')
				line++;
			if (!quote && (c == '"' || c == '\'')) {
				quote = c;
				trail = 0;
				i++;
				continue;
			}
			if (quote && c == quote) {
				quote = 0;
				i++;
				continue;
			}
			if (c == '\\' && quote != '\'' && i + 1 < len) {
				char n = data[i + 1];

				i += 2;
				if (n == '\n') {
					line++;
					continue;
				}
				if (quote == '"' && !strchr("\"\\`$", n)) {
					r = hd_buf_addch(&val, '\\');
					if (r < 0)
						break;
				}
				r = hd_buf_addch(&val, n);
				trail = 0;
				continue;
			}
			if (!quote && (c == ' ' || c == '\t' || c == '\r'))
				trail++;
			else
				trail = 0;
			r = hd_buf_addch(&val, c);
			i++;
		}
		if (r < 0)
			break;
		if (quote) {
			r = problem(problems, file, key_line, vcol,
				    "unterminated quote; the rest of the file is its value");
			ok = r >= 0;
		}
		val.len -= trail;
		val.buf[val.len] = '\0';
		if (!ok)
			break;
		r = words_add(&env->vars, val.buf, val.len, file, key_line, vcol);
		if (r < 0)
			break;
	}
	hd_buf_release(&val);
	return r < 0 ? r : 0;
}
