/*
 * The Dockerfile parser: text to the model of model/dockerfile.h, following
 * the BuildKit frontend (parser directives, comments, the escape character's
 * line continuations with blank and comment lines skipped inside them,
 * heredocs, per-instruction argument forms, flags, JSON rules and variable
 * substitution with ARG/ENV scoping per stage).
 *
 * One pass over the lines builds each instruction from its logical line (the
 * physical lines joined) and a map from offsets in that line back to file
 * positions; a second pass over the instructions links the stages.  All
 * strings and arrays live in one arena per file.  Errors are recorded in
 * df->errors and parsing goes on with the next instruction.
 */
#include "core/common.h"
#include "core/arena.h"
#include "model/dockerfile.h"
#include "model/dockerfile_pm.h"

#include <unistd.h>

#define NO_STAGE ((uint32_t)-1)
#define MAX_EXPAND_DEPTH 32

/* The logical line being parsed and its map to the file. */
struct lmap {
	const char *s;   /* the joined line */
	size_t len;
	size_t *off;     /* segment i starts at offset off[i] ... */
	uint32_t *line;  /* ... at line[i]:col[i] */
	uint32_t *col;
	size_t n;
};

/* A variable table entry: the latest ENV and ARG definition of a name. */
struct vslot {
	const char *name;
	size_t len;
	uint32_t hash;
	ssize_t env, arg; /* indexes into df->vars, -1 when none */
};

struct vtab {
	struct vslot *v;
	size_t cap, n;
};

/* The ENV names a stage ends with, for stages built on it. */
struct stage_env {
	size_t *defs;
	size_t n;
};

struct pending_sup {
	uint32_t line;
	const char *ids;
	size_t len;
	bool global;
	bool next_line_only; /* hadolint's pragma: only for an instruction on the very next line */
	bool stage;          /* `stage ignore=`: the stage a FROM right after it starts */
};

struct dp {
	struct hd_dockerfile *df;
	struct hd_arena *a;
	const char *d;
	size_t len;
	size_t pos;          /* start of the next line */
	uint32_t line;       /* number of the next line */
	char esc;

	/* The logical line (scratch). */
	char *L;
	size_t L_len, L_alloc;
	size_t *m_off;       /* the map of L: three arrays of m_alloc entries in one block at m_off */
	uint32_t *m_line, *m_col;
	size_t m_n, m_alloc;

	/* Expansion output (scratch). */
	char *x;
	size_t x_len, x_alloc;
	bool x_over;

	size_t alloc_instrs, alloc_stages, alloc_errors, alloc_vars;

	struct pending_sup *sup;
	size_t n_sup, alloc_sup;

	struct vtab global, local;
	uint32_t cur_stage;  /* NO_STAGE before the first FROM */
	struct stage_env *senv;
	size_t alloc_senv;
	bool non_posix_shell; /* the SHELL in effect is not sh-like */
	bool escape_seen;
	uint32_t hd_end_col;  /* end column of the last heredoc line read */

	int err;             /* OOM */
};

/* ---- small helpers ---------------------------------------------------------- */

static void oom(struct dp *dp) { dp->err = -HD_ENOMEM; }

static char *adup(struct dp *dp, const char *s, size_t n)
{
	char *r = hd_arena_strndup(dp->a, s, n);

	if (!r)
		oom(dp);
	return r;
}

static bool is_ws(char c) { return c == ' ' || c == '\t' || c == '\v' || c == '\f' || c == '\r'; }

/*
 * The bytes a space can start with: 1 for the ASCII spaces (is_ws() and
 * '\n'), 2 for 0xc2, the first byte of NEL and NBSP in UTF-8.
 */
static const unsigned char space_start[256] = {
	[' '] = 1, ['\t'] = 1, ['\v'] = 1, ['\f'] = 1, ['\r'] = 1, ['\n'] = 1, [0xc2] = 2,
};

/* Go's unicode.IsSpace on the byte at p (ASCII, NEL and NBSP in UTF-8); returns its length or 0. */
static inline size_t space_len(const char *p, const char *e)
{
	unsigned char t;

	if (p >= e)
		return 0;
	t = space_start[(unsigned char)*p];
	if (t != 2)
		return t;
	if (p + 1 < e && ((unsigned char)p[1] == 0x85 || (unsigned char)p[1] == 0xa0))
		return 2;
	return 0;
}

/*
 * Runs of bytes that change nothing (long quoted LABEL and ENV values, JSON
 * strings) are passed 16 bytes at a time while 16 remain, with GCC/Clang
 * vector extensions (SSE2 or NEON code, plain C elsewhere), then byte by
 * byte.
 */
typedef unsigned char dp_v16 __attribute__((vector_size(16)));

static inline dp_v16 load16(const char *p)
{
	dp_v16 v;

	memcpy(&v, p, 16);
	return v;
}

/* The first lane set in m (in memory order), 16 when none. */
static inline unsigned first_lane(dp_v16 m)
{
	uint64_t half[2];

	memcpy(half, &m, 16);
#if __BYTE_ORDER__ == __ORDER_BIG_ENDIAN__
	if (half[0])
		return (unsigned)__builtin_clzll(half[0]) / 8;
	return half[1] ? 8 + (unsigned)__builtin_clzll(half[1]) / 8 : 16;
#else
	if (half[0])
		return (unsigned)__builtin_ctzll(half[0]) / 8;
	return half[1] ? 8 + (unsigned)__builtin_ctzll(half[1]) / 8 : 16;
#endif
}

/* Lanes j to 15 set. */
static inline dp_v16 lanes_from(size_t j)
{
	static const dp_v16 idx = { 0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15 };

	return (dp_v16)(idx >= (unsigned char)j);
}

/* What a scan stops at: one of four bytes, what ends a JSON string's plain run, or is_ws(). */
enum scan_kind { SCAN_BYTES, SCAN_JSON, SCAN_WS };

static inline bool scan_stop(enum scan_kind kind, unsigned char c, const char set[4])
{
	if (kind == SCAN_JSON)
		return c < 0x20 || c == '"' || c == '\\';
	if (kind == SCAN_WS)
		return is_ws((char)c);
	return c == (unsigned char)set[0] || c == (unsigned char)set[1] || c == (unsigned char)set[2] ||
	       c == (unsigned char)set[3];
}

static inline dp_v16 scan_match(enum scan_kind kind, dp_v16 v, const char set[4])
{
	if (kind == SCAN_JSON)
		return (dp_v16)((v < 0x20) | (v == '"') | (v == '\\'));
	if (kind == SCAN_WS)
		return (dp_v16)((v == ' ') | (v == '\t') | (v == '\v') | (v == '\f') | (v == '\r'));
	return (dp_v16)((v == (unsigned char)set[0]) | (v == (unsigned char)set[1]) | (v == (unsigned char)set[2]) |
			(v == (unsigned char)set[3]));
}

/*
 * Where the first stop of s[i..n) is (n when none), s[0..n) being readable.
 * Sixteen bytes at a time; the last bytes as the 16 ending at n with the
 * lanes already seen masked off, so nothing outside s[0..n) is read.
 * Strings shorter than 16 go byte by byte.
 */
static inline size_t scan(enum scan_kind kind, const char *s, size_t i, size_t n, const char set[4])
{
	if (i >= n)
		return i;
	if (n < 16) {
		while (i < n && !scan_stop(kind, (unsigned char)s[i], set))
			i++;
		return i;
	}
	while (i < n) {
		size_t b = i + 16 <= n ? i : n - 16;
		dp_v16 m = scan_match(kind, load16(s + b), set);
		unsigned k;

		if (b < i)
			m &= lanes_from(i - b);
		k = first_lane(m);
		if (k < 16)
			return b + k;
		i = b + 16;
	}
	return n;
}

/* Where the first of bytes a, b, c and d in s[i..n) is (n when none). */
static inline size_t find4(const char *s, size_t i, size_t n, char a, char b, char c, char d)
{
	const char set[4] = { a, b, c, d };

	return scan(SCAN_BYTES, s, i, n, set);
}

/* Where the first '"', '\\' or control character of s[i..n) is (n when none): a JSON string's plain run. */
static inline size_t find_json_special(const char *s, size_t i, size_t n)
{
	return scan(SCAN_JSON, s, i, n, NULL);
}

static void add_error(struct dp *dp, uint32_t line, uint32_t col, const char *fmt, ...)
	__attribute__((format(printf, 4, 5)));

static void add_error(struct dp *dp, uint32_t line, uint32_t col, const char *fmt, ...)
{
	struct hd_dockerfile *df = dp->df;
	struct hd_diag *d;
	char buf[512];
	va_list ap;
	int n;

	if (dp->err)
		return;
	if (df->n_errors >= 10000)
		return;
	if (HD_ARENA_GROW(dp->a, df->errors, dp->alloc_errors, df->n_errors + 1) < 0) {
		oom(dp);
		return;
	}
	va_start(ap, fmt);
	n = vsnprintf(buf, sizeof(buf), fmt, ap);
	va_end(ap);
	if (n < 0)
		n = 0;
	if ((size_t)n >= sizeof(buf))
		n = sizeof(buf) - 1;
	d = &df->errors[df->n_errors];
	d->file = df->path;
	d->line = line;
	d->col = col;
	d->msg = adup(dp, buf, (size_t)n);
	if (d->msg)
		df->n_errors++;
}

/* Quotes at most 60 bytes of s for a message (into buf). */
static const char *shorten(char *buf, size_t sz, const char *s, size_t n)
{
	size_t i, o = 0;

	for (i = 0; i < n && o + 4 < sz && i < 60; i++) {
		unsigned char c = (unsigned char)s[i];

		buf[o++] = (c < 0x20 || c == 0x7f) ? '?' : (char)c;
	}
	if (i < n && o + 4 < sz) {
		buf[o++] = '.';
		buf[o++] = '.';
		buf[o++] = '.';
	}
	buf[o] = '\0';
	return buf;
}

/* ---- the logical line and its map ----------------------------------------- */

static void lpos(const struct lmap *m, size_t off, uint32_t *line, uint32_t *col)
{
	size_t lo = 0, hi = m->n;

	if (m->n == 0) {
		*line = 1;
		*col = 1;
		return;
	}
	/* The last segment starting at or before off. */
	while (hi - lo > 1) {
		size_t mid = lo + (hi - lo) / 2;

		if (m->off[mid] <= off)
			lo = mid;
		else
			hi = mid;
	}
	*line = m->line[lo];
	*col = m->col[lo] + (uint32_t)(off - m->off[lo]);
}

static struct hd_span lspan(const struct lmap *m, size_t off, size_t end)
{
	struct hd_span sp;

	lpos(m, off, &sp.line, &sp.col);
	if (end > off) {
		lpos(m, end - 1, &sp.end_line, &sp.end_col);
		sp.end_col++;
	} else {
		sp.end_line = sp.line;
		sp.end_col = sp.col;
	}
	return sp;
}

/* Doubles the map of L (at least 64 entries), its three arrays kept in one block. */
static int map_grow(struct dp *dp)
{
	size_t cap, bytes;
	char *blk;

	if (!hd_size_mul(dp->m_alloc ? dp->m_alloc : 32, 2, &cap) ||
	    !hd_size_mul(cap, sizeof(size_t) + 2 * sizeof(uint32_t), &bytes))
		return -HD_ENOMEM;
	blk = hd_malloc(bytes);
	if (!blk)
		return -HD_ENOMEM;
	if (dp->m_n) {
		memcpy(blk, dp->m_off, dp->m_n * sizeof(size_t));
		memcpy(blk + cap * sizeof(size_t), dp->m_line, dp->m_n * sizeof(uint32_t));
		memcpy(blk + cap * (sizeof(size_t) + sizeof(uint32_t)), dp->m_col, dp->m_n * sizeof(uint32_t));
	}
	hd_free(dp->m_off);
	dp->m_off = (size_t *)(void *)blk;
	dp->m_line = (uint32_t *)(void *)(blk + cap * sizeof(size_t));
	dp->m_col = dp->m_line + cap;
	dp->m_alloc = cap;
	return 0;
}

static int L_add(struct dp *dp, const char *s, size_t n, uint32_t line, uint32_t col)
{
	size_t need;

	if (!hd_size_add(dp->L_len, n, &need) || !hd_size_add(need, 1, &need))
		return -HD_ENOMEM;
	if ((need > dp->L_alloc && HD_GROW(dp->L, dp->L_alloc, need < 4096 ? 4096 : need) < 0) ||
	    (dp->m_n + 1 > dp->m_alloc && map_grow(dp) < 0)) {
		oom(dp);
		return -HD_ENOMEM;
	}
	dp->m_off[dp->m_n] = dp->L_len;
	dp->m_line[dp->m_n] = line;
	dp->m_col[dp->m_n] = col;
	dp->m_n++;
	memcpy(dp->L + dp->L_len, s, n);
	dp->L_len += n;
	dp->L[dp->L_len] = '\0';
	return 0;
}

/* Reads the next physical line; [*ls, *le) without the newline and trailing CRs. */
static bool next_line(struct dp *dp, size_t *ls, size_t *le, uint32_t *lineno)
{
	const char *nl;
	size_t e;

	if (dp->pos >= dp->len)
		return false;
	*ls = dp->pos;
	nl = memchr(dp->d + dp->pos, '\n', dp->len - dp->pos);
	e = nl ? (size_t)(nl - dp->d) : dp->len;
	dp->pos = nl ? e + 1 : e;
	while (e > *ls && dp->d[e - 1] == '\r')
		e--;
	*le = e;
	*lineno = dp->line++;
	return true;
}

static size_t skip_lead_ws(const char *d, size_t p, size_t e)
{
	size_t n;

	for (;;) {
		/* The usual indentation first, then any other space. */
		while (p < e && (d[p] == ' ' || d[p] == '\t'))
			p++;
		if ((n = space_len(d + p, d + e)) == 0)
			return p;
		p += n;
	}
}

/* If the line ends with the escape character and optional blanks, returns where it is. */
static bool ends_with_escape(const struct dp *dp, size_t ls, size_t le, size_t *at)
{
	size_t e = le;

	while (e > ls && (dp->d[e - 1] == ' ' || dp->d[e - 1] == '\t'))
		e--;
	if (e > ls && dp->d[e - 1] == dp->esc) {
		*at = e - 1;
		return true;
	}
	return false;
}

/* ---- variables ---------------------------------------------------------------- */

static uint32_t hash_name(const char *s, size_t n)
{
	uint32_t h = 2166136261u;
	size_t i;

	for (i = 0; i < n; i++) {
		h ^= (unsigned char)s[i];
		h *= 16777619u;
	}
	return h;
}

static struct vslot *vt_find(struct vtab *t, const char *name, size_t n, bool create, struct dp *dp)
{
	uint32_t h = hash_name(name, n);
	size_t i;

	if (t->cap) {
		for (i = h & (t->cap - 1);; i = (i + 1) & (t->cap - 1)) {
			struct vslot *s = &t->v[i];

			if (!s->name)
				break;
			if (s->hash == h && s->len == n && memcmp(s->name, name, n) == 0)
				return s;
		}
	}
	if (!create)
		return NULL;
	if ((t->n + 1) * 2 > t->cap) {
		size_t nc = t->cap ? t->cap * 2 : 16, j;
		struct vslot *nv = hd_arena_zalloc(dp->a, nc * sizeof(*nv));

		if (!nv) {
			oom(dp);
			return NULL;
		}
		for (j = 0; j < t->cap; j++) {
			struct vslot *o = &t->v[j];

			if (!o->name)
				continue;
			for (i = o->hash & (nc - 1); nv[i].name; i = (i + 1) & (nc - 1))
				;
			nv[i] = *o;
		}
		t->v = nv;
		t->cap = nc;
	}
	for (i = h & (t->cap - 1); t->v[i].name; i = (i + 1) & (t->cap - 1))
		;
	t->v[i].name = name;
	t->v[i].len = n;
	t->v[i].hash = h;
	t->v[i].env = t->v[i].arg = -1;
	t->n++;
	return &t->v[i];
}

static void vt_clear(struct vtab *t)
{
	t->v = NULL;
	t->cap = t->n = 0;
}

/* Adds a definition; returns its index or -1. */
static ssize_t var_define(struct dp *dp, const char *name, size_t nlen, const char *value, bool is_env,
			  size_t instr)
{
	struct hd_dockerfile *df = dp->df;
	struct hd_var *v;
	struct vslot *s;
	struct vtab *t = dp->cur_stage == NO_STAGE ? &dp->global : &dp->local;

	if (HD_ARENA_GROW(dp->a, df->vars, dp->alloc_vars, df->n_vars + 1) < 0) {
		oom(dp);
		return -1;
	}
	v = &df->vars[df->n_vars];
	v->name = adup(dp, name, nlen);
	if (!v->name)
		return -1;
	v->value = (char *)value;
	v->is_env = is_env;
	v->instr = instr;
	v->stage = dp->cur_stage;
	s = vt_find(t, v->name, nlen, true, dp);
	if (!s)
		return -1;
	if (is_env)
		s->env = (ssize_t)df->n_vars;
	else
		s->arg = (ssize_t)df->n_vars;
	return (ssize_t)df->n_vars++;
}

/*
 * Looks a name up in the current scope: 1 with *val when known, 0 when it
 * may be set but its value is unknown, -1 when it is certainly unset (only
 * said in the global scope, where no base image can define it).
 */
static int var_lookup(struct dp *dp, const char *name, size_t n, const char **val)
{
	struct vtab *t = dp->cur_stage == NO_STAGE ? &dp->global : &dp->local;
	struct vslot *s = vt_find(t, name, n, false, dp);
	ssize_t i;

	if (s) {
		i = s->env >= 0 ? s->env : s->arg;
		if (i >= 0) {
			*val = dp->df->vars[i].value;
			return *val ? 1 : 0;
		}
	}
	return dp->cur_stage == NO_STAGE ? -1 : 0;
}

/* ---- word processing (BuildKit's shell lexer for Dockerfile words) ------------- */

static void x_add(struct dp *dp, const char *s, size_t n)
{
	size_t need;

	if (dp->x_over)
		return;
	if (!hd_size_add(dp->x_len, n, &need) || need + 1 > HD_MAX_VAR_EXPANSION) {
		dp->x_over = true;
		return;
	}
	if (need + 1 > dp->x_alloc && HD_GROW(dp->x, dp->x_alloc, need + 1) < 0) {
		oom(dp);
		dp->x_over = true;
		return;
	}
	memcpy(dp->x + dp->x_len, s, n);
	dp->x_len += n;
}

static void x_addch(struct dp *dp, char c) { x_add(dp, &c, 1); }

/*
 * Appends s[0..n) exactly as n calls of x_addch() would (what fits below
 * the bound, then x_over), with one copy: for runs of plain bytes.
 */
static void x_add_bytes(struct dp *dp, const char *s, size_t n)
{
	size_t room;

	if (dp->x_over || n == 0)
		return;
	/* x_add() keeps x_len + 1 <= HD_MAX_VAR_EXPANSION. */
	room = HD_MAX_VAR_EXPANSION - 1 - dp->x_len;
	if (n <= room) {
		x_add(dp, s, n);
		return;
	}
	x_add(dp, s, room);
	dp->x_over = true;
}

static bool is_special_param(char c) { return c && strchr("@*#?-$!0", c) != NULL; }

/* Reads a name at s[*i]; returns its length. */
static size_t read_name(const char *s, size_t n, size_t *i)
{
	size_t b = *i;

	if (*i < n && isdigit((unsigned char)s[*i])) {
		while (*i < n && isdigit((unsigned char)s[*i]))
			(*i)++;
		return *i - b;
	}
	if (*i < n && is_special_param(s[*i]) && s[*i] != '0') {
		(*i)++;
		return 1;
	}
	while (*i < n && (isalnum((unsigned char)s[*i]) || s[*i] == '_' || (unsigned char)s[*i] >= 0x80))
		(*i)++;
	return *i - b;
}

/* Finds the '}' closing a ${ opened before s[i]. */
static size_t find_brace_end(const struct dp *dp, const char *s, size_t n, size_t i)
{
	unsigned level = 1;

	while (i < n) {
		char c = s[i];

		if (c == dp->esc) {
			i += 2;
			continue;
		}
		if (c == '\'') {
			const char *q = memchr(s + i + 1, '\'', n - i - 1);

			i = q ? (size_t)(q - s) + 1 : n;
			continue;
		}
		if (c == '$' && i + 1 < n && s[i + 1] == '{') {
			level++;
			i += 2;
			continue;
		}
		if (c == '}' && --level == 0)
			return i;
		i++;
	}
	return n;
}

static void process(struct dp *dp, const char *s, size_t n, bool vars, bool *unres, unsigned depth);

static void process_dollar(struct dp *dp, const char *s, size_t n, size_t *pi, bool *unres,
			   unsigned depth)
{
	size_t i = *pi, start = i, nb, nl, end;
	const char *val = NULL;
	int st;
	char op;

	i++;
	if (i >= n || s[i] != '{') {
		nb = i;
		nl = read_name(s, n, &i);
		*pi = i;
		if (nl == 0) {
			x_addch(dp, '$');
			return;
		}
		st = var_lookup(dp, s + nb, nl, &val);
		if (st == 1) {
			x_add(dp, val, strlen(val));
		} else {
			x_add(dp, s + start, i - start);
			*unres = true;
		}
		return;
	}
	i++;
	end = find_brace_end(dp, s, n, i);
	*pi = end < n ? end + 1 : n;
	nb = i;
	nl = read_name(s, end, &i);
	if (nl == 0 || i > end || depth >= MAX_EXPAND_DEPTH) {
		x_add(dp, s + start, *pi - start);
		*unres = true;
		return;
	}
	st = var_lookup(dp, s + nb, nl, &val);
	if (i == end) {
		if (st == 1) {
			x_add(dp, val, strlen(val));
		} else {
			x_add(dp, s + start, *pi - start);
			*unres = true;
		}
		return;
	}
	op = s[i];
	if (op == ':' && i + 1 < end && (s[i + 1] == '-' || s[i + 1] == '+' || s[i + 1] == '?')) {
		bool empty_unset = true;

		op = s[i + 1];
		i += 2;
		if (st == 0) {
			x_add(dp, s + start, *pi - start);
			*unres = true;
			return;
		}
		{
			bool set = st == 1 && !(empty_unset && val[0] == '\0');

			if (op == '-') {
				if (set)
					x_add(dp, val, strlen(val));
				else
					process(dp, s + i, end - i, true, unres, depth + 1);
			} else if (op == '+') {
				if (set)
					process(dp, s + i, end - i, true, unres, depth + 1);
			} else if (set) {
				x_add(dp, val, strlen(val));
			} else {
				x_add(dp, s + start, *pi - start);
				*unres = true;
			}
		}
		return;
	}
	if (op == '-' || op == '+' || op == '?') {
		i++;
		if (st == 0) {
			x_add(dp, s + start, *pi - start);
			*unres = true;
			return;
		}
		if (op == '-') {
			if (st == 1)
				x_add(dp, val, strlen(val));
			else
				process(dp, s + i, end - i, true, unres, depth + 1);
		} else if (op == '+') {
			if (st == 1)
				process(dp, s + i, end - i, true, unres, depth + 1);
		} else if (st == 1) {
			x_add(dp, val, strlen(val));
		} else {
			x_add(dp, s + start, *pi - start);
			*unres = true;
		}
		return;
	}
	/* Pattern removal and replacement (#, %, /) and anything else: left as written. */
	x_add(dp, s + start, *pi - start);
	*unres = true;
}

/*
 * Processes a word like BuildKit's shell lexer: quotes removed, the escape
 * character applied, and variables substituted when vars.  Appends to dp->x.
 */
static void process(struct dp *dp, const char *s, size_t n, bool vars, bool *unres, unsigned depth)
{
	size_t i = 0;
	char esc = dp->esc;

	while (i < n && !dp->x_over) {
		char c = s[i];

		if (c == esc) {
			if (i + 1 < n)
				x_addch(dp, s[i + 1]);
			i += 2;
			continue;
		}
		if (c == '\'') {
			const char *q = memchr(s + i + 1, '\'', n - i - 1);
			size_t e = q ? (size_t)(q - s) : n;

			x_add(dp, s + i + 1, e - i - 1);
			i = q ? e + 1 : n;
			continue;
		}
		if (c == '"') {
			i++;
			while (i < n && s[i] != '"' && !dp->x_over) {
				char d = s[i];

				if (d == esc) {
					if (i + 1 >= n) {
						i++;
						continue;
					}
					if (s[i + 1] == '"' || s[i + 1] == '$' || s[i + 1] == esc) {
						x_addch(dp, s[i + 1]);
						i += 2;
					} else {
						x_addch(dp, d);
						i++;
					}
					continue;
				}
				if (d == '$' && vars) {
					process_dollar(dp, s, n, &i, unres, depth);
					continue;
				}
				/* This byte and the plain ones after it. */
				{
					size_t b = i;

					i = find4(s, i + 1, n, '"', esc, '$', '$');
					x_add_bytes(dp, s + b, i - b);
				}
			}
			i++;
			continue;
		}
		if (c == '$' && vars) {
			process_dollar(dp, s, n, &i, unres, depth);
			continue;
		}
		{
			size_t b = i++;

			while (i < n && s[i] != esc && s[i] != '\'' && s[i] != '"' && s[i] != '$')
				i++;
			x_add(dp, s + b, i - b);
		}
	}
}

/* Processes s[0..n) into a new arena string. */
static char *process_word_same(struct dp *dp, const char *s, size_t n, bool vars, bool *unres,
			       char *same)
{
	bool u = false;
	size_t i;

	/* Nothing to process: the text itself (same, when the caller has a copy). */
	i = find4(s, 0, n, '\'', '"', dp->esc, vars ? '$' : '"');
	if (i == n)
		return same ? same : adup(dp, s, n);
	dp->x_len = 0;
	dp->x_over = false;
	process(dp, s, n, vars, &u, 0);
	if (dp->x_over) {
		/* Too long after expansion: keep it as written. */
		u = true;
		if (unres)
			*unres = true;
		return adup(dp, s, n);
	}
	if (unres && u)
		*unres = true;
	if (same && dp->x_len == n && memcmp(dp->x, s, n) == 0)
		return same;
	return adup(dp, dp->x ? dp->x : "", dp->x_len);
}

static char *process_word(struct dp *dp, const char *s, size_t n, bool vars, bool *unres)
{
	return process_word_same(dp, s, n, vars, unres, NULL);
}

/* ---- instruction table ------------------------------------------------------- */

enum flag_type { F_STRING, F_BOOL, F_LIST };

struct flag_def {
	const char *name;
	enum flag_type type;
};

static const struct flag_def from_flags[] = { { "platform", F_STRING }, { NULL, 0 } };
static const struct flag_def run_flags[] = {
	{ "mount", F_LIST }, { "network", F_STRING }, { "security", F_STRING }, { "device", F_LIST },
	{ NULL, 0 },
};
static const struct flag_def copy_flags[] = {
	{ "from", F_STRING }, { "chown", F_STRING }, { "chmod", F_STRING }, { "link", F_BOOL },
	{ "parents", F_BOOL }, { "exclude", F_LIST }, { NULL, 0 },
};
static const struct flag_def add_flags[] = {
	{ "chown", F_STRING }, { "chmod", F_STRING }, { "link", F_BOOL }, { "checksum", F_STRING },
	{ "keep-git-dir", F_BOOL }, { "exclude", F_LIST }, { "unpack", F_BOOL }, { NULL, 0 },
};
static const struct flag_def hc_flags[] = {
	{ "interval", F_STRING }, { "timeout", F_STRING }, { "start-period", F_STRING },
	{ "start-interval", F_STRING }, { "retries", F_STRING }, { NULL, 0 },
};
static const struct flag_def no_flags[] = { { NULL, 0 } };

/*
 * What an instruction's parse function gets: the instruction (keyword, kind,
 * stage and flags already set), its logical line, where its arguments are
 * and where their array is built.
 */
struct ictx {
	struct dp *dp;
	struct hd_instr *in;
	const struct lmap *m;
	size_t kb;            /* offset of the keyword */
	size_t rest, end;     /* the arguments after the flags: m->s[rest..end) */
	uint32_t l, c;        /* position of the keyword */
	bool nested;          /* the instruction of an ONBUILD */
	bool expand;          /* ARG/ENV are substituted in its arguments */
	size_t instr_idx;     /* index of the (outer) instruction in df->instrs */
	uint32_t *last_line;  /* the last line read (heredoc bodies move it) */
	struct argv_b *args;  /* the arguments being built (in->args at the end) */
};

typedef void instr_parse_fn(struct ictx *x);
static instr_parse_fn parse_unknown, parse_run, parse_exec_like, parse_shell_instr, parse_healthcheck,
	parse_add_copy, parse_volume, parse_from, parse_expose, parse_line_arg, parse_kv_instr, parse_onbuild;

/* The instructions: name, flags, whether BuildKit expands variables in them, and their parse function. */
struct instr_def {
	const char *name;
	enum hd_instr_kind kind;
	const struct flag_def *flags;
	bool expands;
	instr_parse_fn *parse;
};

static const struct instr_def instr_table[HD_I_UNKNOWN] = {
	[HD_I_FROM] = { "from", HD_I_FROM, from_flags, true, parse_from },
	[HD_I_RUN] = { "run", HD_I_RUN, run_flags, false, parse_run },
	[HD_I_CMD] = { "cmd", HD_I_CMD, no_flags, false, parse_exec_like },
	[HD_I_LABEL] = { "label", HD_I_LABEL, no_flags, true, parse_kv_instr },
	[HD_I_MAINTAINER] = { "maintainer", HD_I_MAINTAINER, no_flags, false, parse_line_arg },
	[HD_I_EXPOSE] = { "expose", HD_I_EXPOSE, no_flags, true, parse_expose },
	[HD_I_ENV] = { "env", HD_I_ENV, no_flags, true, parse_kv_instr },
	[HD_I_ADD] = { "add", HD_I_ADD, add_flags, true, parse_add_copy },
	[HD_I_COPY] = { "copy", HD_I_COPY, copy_flags, true, parse_add_copy },
	[HD_I_ENTRYPOINT] = { "entrypoint", HD_I_ENTRYPOINT, no_flags, false, parse_exec_like },
	[HD_I_VOLUME] = { "volume", HD_I_VOLUME, no_flags, true, parse_volume },
	[HD_I_USER] = { "user", HD_I_USER, no_flags, true, parse_line_arg },
	[HD_I_WORKDIR] = { "workdir", HD_I_WORKDIR, no_flags, true, parse_line_arg },
	[HD_I_ARG] = { "arg", HD_I_ARG, no_flags, true, parse_kv_instr },
	[HD_I_ONBUILD] = { "onbuild", HD_I_ONBUILD, no_flags, false, parse_onbuild },
	[HD_I_STOPSIGNAL] = { "stopsignal", HD_I_STOPSIGNAL, no_flags, true, parse_line_arg },
	[HD_I_HEALTHCHECK] = { "healthcheck", HD_I_HEALTHCHECK, hc_flags, false, parse_healthcheck },
	[HD_I_SHELL] = { "shell", HD_I_SHELL, no_flags, false, parse_shell_instr },
};
static const struct instr_def unknown_def = { "", HD_I_UNKNOWN, no_flags, false, parse_unknown };

static const struct instr_def *lookup_def(const char *s, size_t n)
{
	const struct instr_def *d = NULL, *e = NULL;
	size_t i;

	if (n < 2 || n > 11)
		return &unknown_def;
	/* The candidates by first letter (ASCII letters to lower case; other bytes never match). */
	switch (s[0] | 0x20) {
	case 'a': d = &instr_table[HD_I_ADD]; e = &instr_table[HD_I_ARG]; break;
	case 'c': d = &instr_table[HD_I_CMD]; e = &instr_table[HD_I_COPY]; break;
	case 'e': d = &instr_table[HD_I_EXPOSE]; e = &instr_table[HD_I_ENV]; break; /* entrypoint below */
	case 'f': d = &instr_table[HD_I_FROM]; break;
	case 'h': d = &instr_table[HD_I_HEALTHCHECK]; break;
	case 'l': d = &instr_table[HD_I_LABEL]; break;
	case 'm': d = &instr_table[HD_I_MAINTAINER]; break;
	case 'o': d = &instr_table[HD_I_ONBUILD]; break;
	case 'r': d = &instr_table[HD_I_RUN]; break;
	case 's': d = &instr_table[HD_I_STOPSIGNAL]; e = &instr_table[HD_I_SHELL]; break;
	case 'u': d = &instr_table[HD_I_USER]; break;
	case 'v': d = &instr_table[HD_I_VOLUME]; break;
	case 'w': d = &instr_table[HD_I_WORKDIR]; break;
	default: return &unknown_def;
	}
	if ((s[0] | 0x20) == 'e' && n == 10)
		d = &instr_table[HD_I_ENTRYPOINT];
	for (; d; d = e, e = NULL) {
		/* A shorter name stops the loop at its NUL ("| 0x20" makes no byte 0). */
		for (i = 1; i < n && (char)(s[i] | 0x20) == d->name[i]; i++)
			;
		if (i == n && d->name[n] == '\0')
			return d;
	}
	return &unknown_def;
}

static const struct flag_def *kind_flags(enum hd_instr_kind k)
{
	return (unsigned)k < HD_I_UNKNOWN ? instr_table[k].flags : no_flags;
}

/* ---- argument forms ------------------------------------------------------------ */

struct argv_b {
	struct hd_arg *v;
	size_t n, alloc;
};

static int push_arg(struct dp *dp, struct argv_b *b, const struct lmap *m, size_t off, size_t end,
		    char *raw, char *value, bool unres)
{
	struct hd_arg *a;

	if (HD_ARENA_GROW(dp->a, b->v, b->alloc, b->n + 1) < 0) {
		oom(dp);
		return -HD_ENOMEM;
	}
	a = &b->v[b->n++];
	a->raw = raw;
	a->value = value;
	a->span = lspan(m, off, end);
	a->unresolved = unres;
	return 0;
}

/* Skips JSON whitespace. */
static size_t json_ws(const char *s, size_t n, size_t i)
{
	while (i < n && (s[i] == ' ' || s[i] == '\t' || s[i] == '\n' || s[i] == '\r'))
		i++;
	return i;
}

static void put_utf8(struct dp *dp, uint32_t cp)
{
	char b[4];

	if (cp < 0x80) {
		x_addch(dp, (char)cp);
	} else if (cp < 0x800) {
		b[0] = (char)(0xc0 | (cp >> 6));
		b[1] = (char)(0x80 | (cp & 0x3f));
		x_add(dp, b, 2);
	} else if (cp < 0x10000) {
		b[0] = (char)(0xe0 | (cp >> 12));
		b[1] = (char)(0x80 | ((cp >> 6) & 0x3f));
		b[2] = (char)(0x80 | (cp & 0x3f));
		x_add(dp, b, 3);
	} else {
		b[0] = (char)(0xf0 | (cp >> 18));
		b[1] = (char)(0x80 | ((cp >> 12) & 0x3f));
		b[2] = (char)(0x80 | ((cp >> 6) & 0x3f));
		b[3] = (char)(0x80 | (cp & 0x3f));
		x_add(dp, b, 4);
	}
}

static bool hex4(const char *s, size_t n, size_t i, uint32_t *v)
{
	size_t k;

	*v = 0;
	if (i + 4 > n)
		return false;
	for (k = 0; k < 4; k++) {
		char c = s[i + k];
		uint32_t d;

		if (c >= '0' && c <= '9')
			d = (uint32_t)(c - '0');
		else if (c >= 'a' && c <= 'f')
			d = (uint32_t)(c - 'a' + 10);
		else if (c >= 'A' && c <= 'F')
			d = (uint32_t)(c - 'A' + 10);
		else
			return false;
		*v = *v * 16 + d;
	}
	return true;
}

/* A JSON string at s[i] == '"': decoded into dp->x when decode; returns the index after it or 0. */
static size_t json_string(struct dp *dp, const char *s, size_t n, size_t i, bool decode)
{
	i++;
	while (i < n) {
		unsigned char c;
		size_t b = i;

		/* The bytes that stand for themselves, at once. */
		i = find_json_special(s, i, n);
		if (decode)
			x_add_bytes(dp, s + b, i - b);
		if (i >= n)
			break;
		c = (unsigned char)s[i];
		if (c == '"')
			return i + 1;
		if (c < 0x20)
			return 0;
		if (c == '\\') {
			char e;

			if (i + 1 >= n)
				return 0;
			e = s[i + 1];
			i += 2;
			switch (e) {
			case '"': case '\\': case '/':
				if (decode)
					x_addch(dp, e);
				break;
			case 'b': if (decode) x_addch(dp, '\b'); break;
			case 'f': if (decode) x_addch(dp, '\f'); break;
			case 'n': if (decode) x_addch(dp, '\n'); break;
			case 'r': if (decode) x_addch(dp, '\r'); break;
			case 't': if (decode) x_addch(dp, '\t'); break;
			case 'u': {
				uint32_t cp, lo;

				if (!hex4(s, n, i, &cp))
					return 0;
				i += 4;
				if (cp >= 0xd800 && cp < 0xdc00 && i + 1 < n && s[i] == '\\' && s[i + 1] == 'u' &&
				    hex4(s, n, i + 2, &lo) && lo >= 0xdc00 && lo < 0xe000) {
					cp = 0x10000 + ((cp - 0xd800) << 10) + (lo - 0xdc00);
					i += 6;
				} else if (cp >= 0xd800 && cp < 0xe000) {
					cp = 0xfffd;
				}
				if (decode)
					put_utf8(dp, cp);
				break;
			}
			default:
				return 0;
			}
			continue;
		}
		return 0; /* not reached: the run above stops only at '"', '\\' and control characters */
	}
	return 0;
}

/* Skips any JSON value at s[i]; returns the index after it or 0 when invalid. */
static size_t json_value(struct dp *dp, const char *s, size_t n, size_t i, unsigned depth)
{
	if (i >= n || depth > 64)
		return 0;
	switch (s[i]) {
	case '"':
		return json_string(dp, s, n, i, false);
	case '[': case '{': {
		char close = s[i] == '[' ? ']' : '}';
		bool obj = s[i] == '{';

		i = json_ws(s, n, i + 1);
		if (i < n && s[i] == close)
			return i + 1;
		for (;;) {
			if (obj) {
				if (i >= n || s[i] != '"' || !(i = json_string(dp, s, n, i, false)))
					return 0;
				i = json_ws(s, n, i);
				if (i >= n || s[i] != ':')
					return 0;
				i = json_ws(s, n, i + 1);
			}
			if (!(i = json_value(dp, s, n, i, depth + 1)))
				return 0;
			i = json_ws(s, n, i);
			if (i < n && s[i] == ',') {
				i = json_ws(s, n, i + 1);
				continue;
			}
			if (i < n && s[i] == close)
				return i + 1;
			return 0;
		}
	}
	case 't':
		return n - i >= 4 && memcmp(s + i, "true", 4) == 0 ? i + 4 : 0;
	case 'f':
		return n - i >= 5 && memcmp(s + i, "false", 5) == 0 ? i + 5 : 0;
	case 'n':
		return n - i >= 4 && memcmp(s + i, "null", 4) == 0 ? i + 4 : 0;
	default: {
		size_t b = i;

		if (s[i] == '-')
			i++;
		if (i >= n || !isdigit((unsigned char)s[i]))
			return 0;
		if (s[i] == '0')
			i++;
		else
			while (i < n && isdigit((unsigned char)s[i]))
				i++;
		if (i < n && s[i] == '.') {
			i++;
			if (i >= n || !isdigit((unsigned char)s[i]))
				return 0;
			while (i < n && isdigit((unsigned char)s[i]))
				i++;
		}
		if (i < n && (s[i] == 'e' || s[i] == 'E')) {
			i++;
			if (i < n && (s[i] == '+' || s[i] == '-'))
				i++;
			if (i >= n || !isdigit((unsigned char)s[i]))
				return 0;
			while (i < n && isdigit((unsigned char)s[i]))
				i++;
		}
		return i > b ? i : 0;
	}
	}
}

/*
 * BuildKit's parseJSON on m->s[off..end): 1 and args when it is a JSON array
 * of strings, -1 when it is valid JSON of another shape (an error), 0 when it
 * is not JSON at all (the shell form applies).
 */
static int parse_json(struct dp *dp, const struct lmap *m, size_t off, size_t end, bool expand,
		      struct argv_b *out)
{
	const char *s = m->s;
	size_t i = json_ws(s, end, off), j;
	bool strings = true;

	/* Go trims Unicode spaces on the left; the JSON decoder allows JSON whitespace only. */
	while (i < end && space_len(s + i, s + end))
		i += space_len(s + i, s + end);
	if (i >= end || s[i] != '[')
		return 0;
	j = json_value(dp, s, end, i, 0);
	if (!j || json_ws(s, end, j) != end)
		return 0;
	/* Valid: collect the elements. */
	i = json_ws(s, end, i + 1);
	while (i < end && s[i] != ']') {
		size_t b = i, e;

		if (s[i] != '"') {
			strings = false;
			e = json_value(dp, s, end, i, 0);
		} else {
			char *raw, *val;
			bool u = false;

			dp->x_len = 0;
			dp->x_over = false;
			e = json_string(dp, s, end, i, true);
			raw = adup(dp, dp->x ? dp->x : "", dp->x_len);
			if (!raw)
				return -1;
			val = expand ? process_word_same(dp, raw, strlen(raw), true, &u, raw) : raw;
			if (!val || push_arg(dp, out, m, b, e, raw, val, u) < 0)
				return -1;
		}
		if (!e)
			break;
		i = json_ws(s, end, e);
		if (i < end && s[i] == ',')
			i = json_ws(s, end, i + 1);
	}
	return strings ? 1 : -1;
}

/* Words split on [ \t\v\f\r]+ (BuildKit's parseStringsWhitespaceDelimited). */
static int split_ws(struct dp *dp, const struct lmap *m, size_t off, size_t end, bool expand,
		    struct argv_b *out)
{
	const char *s = m->s;
	size_t i = off;

	while (i < end) {
		size_t b;
		char *raw, *val;
		bool u = false;

		while (i < end && is_ws(s[i]))
			i++;
		if (i >= end)
			break;
		b = i;
		i = scan(SCAN_WS, s, i, end, NULL);
		raw = adup(dp, s + b, i - b);
		if (!raw)
			return -HD_ENOMEM;
		val = expand ? process_word_same(dp, raw, i - b, true, &u, raw) : raw;
		if (!val || push_arg(dp, out, m, b, i, raw, val, u) < 0)
			return -HD_ENOMEM;
	}
	return 0;
}

/* A word of parseWords (quotes kept), with its extent. */
struct pword {
	size_t off, end;
	bool plain; /* no quote, escape character or '$': processing it gives its text */
};

/*
 * The bytes parse_words() stops at outside quotes: those a space starts
 * with, quotes, both escape characters (dp->esc is one) and '$'.
 */
static const unsigned char word_stop[256] = {
	[' '] = 1, ['\t'] = 1, ['\v'] = 1, ['\f'] = 1, ['\r'] = 1, ['\n'] = 1, [0xc2] = 1,
	['\''] = 1, ['"'] = 1, ['\\'] = 1, ['`'] = 1, ['$'] = 1,
};

/* Where the first byte of s[i..n) in word_stop[] is (n when none); s[0..n) is readable (see scan()). */
static inline size_t find_word_stop(const char *s, size_t i, size_t n)
{
	if (n < 16) {
		while (i < n && !word_stop[(unsigned char)s[i]])
			i++;
		return i;
	}
	while (i < n) {
		size_t b = i + 16 <= n ? i : n - 16;
		dp_v16 v = load16(s + b);
		/* A superset: the bytes up to '\'' and the three above it; the table decides. */
		dp_v16 m = (dp_v16)((v <= '\'') | (v == '\\') | (v == '`') | (v == 0xc2));
		unsigned k;

		if (b < i)
			m &= lanes_from(i - b);
		k = first_lane(m);
		if (k == 16) {
			i = b + 16;
			continue;
		}
		i = b + k;
		if (word_stop[(unsigned char)s[i]])
			return i;
		i++;
	}
	return n;
}

/* BuildKit's parseWords: splits on spaces outside quotes, keeping quotes and escapes. */
static size_t parse_words(const struct dp *dp, const char *s, size_t off, size_t end, struct pword *w,
			  size_t max)
{
	size_t i = off, n = 0;
	char esc = dp->esc;

	while (i < end) {
		size_t b, sl;
		char quote = 0;
		bool plain = true;

		while (i < end && (sl = space_len(s + i, s + end)) > 0)
			i += sl;
		if (i >= end)
			break;
		b = i;
		while (i < end) {
			char c;

			/* Runs of bytes that change nothing go at once. */
			if (!quote)
				i = find_word_stop(s, i, end);
			else
				i = find4(s, i, end, quote, quote, quote, quote == '\'' ? quote : esc);
			if (i >= end)
				break;
			c = s[i];
			if (!quote) {
				if (space_len(s + i, s + end))
					break;
				if (c == '\'' || c == '"') {
					quote = c;
					plain = false;
				} else if (c == esc) {
					plain = false;
					i += i + 1 < end ? 2 : 1;
					continue;
				} else if (c == '$') {
					plain = false;
				}
			} else {
				if (c == quote) {
					quote = 0;
				} else if (c == esc && quote != '\'') {
					i += i + 1 < end ? 2 : 1;
					continue;
				}
			}
			i++;
		}
		if (n < max) {
			w[n].off = b;
			w[n].end = i > end ? end : i;
			w[n].plain = plain;
		}
		n++;
	}
	return n;
}

/* ---- one instruction ------------------------------------------------------------ */

static bool flag_allowed(const struct flag_def *defs, const char *name, size_t n,
			 const struct flag_def **ret)
{
	for (; defs->name; defs++) {
		if (strlen(defs->name) == n && memcmp(defs->name, name, n) == 0) {
			*ret = defs;
			return true;
		}
	}
	return false;
}

/*
 * BuildKit's extractBuilderFlags: the --flags at m->s[*pos..end); *pos ends
 * at the rest of the line.
 */
static void parse_flags(struct dp *dp, struct hd_instr *in, const struct lmap *m, size_t *pos,
			size_t end)
{
	const char *s = m->s;
	size_t i = *pos, alloc = 0;
	const struct flag_def *defs = kind_flags(in->kind);

	for (;;) {
		size_t b, sl;
		char quote = 0;
		bool blank_ok = false;

		while (i < end && (sl = space_len(s + i, s + end)) > 0)
			i += sl;
		if (i + 1 >= end || s[i] != '-' || s[i + 1] != '-')
			break;
		b = i;
		dp->x_len = 0;
		dp->x_over = false;
		while (i < end) {
			size_t r = i;
			char c;

			/* Bytes that stand for themselves, at once. */
			if (!quote)
				i = find_word_stop(s, i, end);
			else
				i = find4(s, i, end, quote, '\\', '\\', '\\');
			x_add_bytes(dp, s + r, i - r);
			if (i >= end)
				break;
			c = s[i];
			if (!quote) {
				if (space_len(s + i, s + end))
					break;
				if (c == '\'' || c == '"') {
					quote = c;
					blank_ok = true;
					i++;
					continue;
				}
				if (c == '\\') {
					if (i + 1 >= end) {
						i++;
						continue;
					}
					i++;
					c = s[i];
				}
			} else {
				if (c == quote) {
					quote = 0;
					i++;
					continue;
				}
				if (c == '\\') {
					if (i + 1 >= end) {
						i++;
						continue;
					}
					i++;
					c = s[i];
				}
			}
			x_addch(dp, c);
			i++;
		}
		(void)blank_ok;
		if (dp->err)
			return; /* out of memory: the word may be missing */
		if (dp->x_len == 2 && memcmp(dp->x, "--", 2) == 0)
			break; /* "--" ends the flags */
		{
			struct hd_flag *f;
			const char *w = dp->x;
			size_t wl = dp->x_len;
			const char *eq = memchr(w + 2, '=', wl - 2);
			size_t nl = eq ? (size_t)(eq - w - 2) : wl - 2;
			const struct flag_def *def = NULL;
			size_t k;

			if (HD_ARENA_GROW(dp->a, in->flags, alloc, in->n_flags + 1) < 0) {
				oom(dp);
				return;
			}
			f = &in->flags[in->n_flags];
			memset(f, 0, sizeof(*f));
			f->name = adup(dp, w + 2, nl);
			f->value = eq ? adup(dp, eq + 1, wl - nl - 3) : NULL;
			if (!f->name || (eq && !f->value))
				return;
			f->span = lspan(m, b, i);
			in->n_flags++;
			if (!flag_allowed(defs, f->name, nl, &def)) {
				add_error(dp, f->span.line, f->span.col, "unknown flag '--%s' for %s", f->name,
					  hd_instr_name(in->kind));
			} else if (def->type == F_STRING && !eq) {
				add_error(dp, f->span.line, f->span.col,
					  "expected a value for flag '--%s' (--%s=VALUE)", f->name, f->name);
			} else if (def->type == F_BOOL && eq && strcasecmp(f->value, "true") != 0 &&
				   strcasecmp(f->value, "false") != 0) {
				add_error(dp, f->span.line, f->span.col,
					  "expected true or false for flag '--%s', not '%s'", f->name, f->value);
			} else if (def->type != F_LIST) {
				for (k = 0; k + 1 < in->n_flags; k++) {
					if (strcmp(in->flags[k].name, f->name) == 0) {
						add_error(dp, f->span.line, f->span.col,
							  "duplicate flag '--%s'", f->name);
						break;
					}
				}
			}
			/* Flag values are expanded (FROM --platform with the global ARGs). */
			if (f->value && in->kind != HD_I_HEALTHCHECK) {
				bool u = false;

				f->expanded = process_word(dp, f->value, strlen(f->value), true, &u);
				f->unresolved = u;
			} else {
				f->expanded = f->value;
			}
		}
	}
	*pos = i;
}

static void set_text(struct dp *dp, struct hd_instr *in, const struct lmap *m, size_t off, size_t end)
{
	size_t i, first = 0, k = 0;

	in->text = adup(dp, m->s + off, end - off);
	if (!in->text)
		return;
	in->text_len = strlen(in->text); /* an embedded NUL ends it, as it always did */
	/* Segments of m from the one holding off. */
	for (i = 0; i < m->n; i++) {
		if (m->off[i] <= off)
			first = i;
	}
	in->n_segs = m->n - first;
	in->seg_off = hd_arena_alloc(dp->a, in->n_segs * sizeof(size_t));
	in->seg_line = hd_arena_alloc(dp->a, in->n_segs * sizeof(uint32_t));
	in->seg_col = hd_arena_alloc(dp->a, in->n_segs * sizeof(uint32_t));
	if (!in->seg_off || !in->seg_line || !in->seg_col) {
		oom(dp);
		return;
	}
	for (i = first; i < m->n; i++, k++) {
		if (i == first) {
			uint32_t l, c;

			lpos(m, off, &l, &c);
			in->seg_off[k] = 0;
			in->seg_line[k] = l;
			in->seg_col[k] = c;
		} else {
			in->seg_off[k] = m->off[i] - off;
			in->seg_line[k] = m->line[i];
			in->seg_col[k] = m->col[i];
		}
	}
}

static bool is_posix_shell_name(const char *p)
{
	static const char *const sh[] = { "sh", "bash", "dash", "ash", "zsh", "ksh", "mksh", "busybox" };
	const char *b = strrchr(p, '/');
	size_t i;

	b = b ? b + 1 : p;
	for (i = 0; i < HD_ARRAY_SIZE(sh); i++) {
		if (strcmp(b, sh[i]) == 0)
			return true;
	}
	return false;
}

/* Splits in->text into the shell model, whatever SHELL is in effect, and derives its facts. */
static void split_text(struct dp *dp, struct hd_instr *in)
{
	struct hd_shell *sh;
	int r;

	if (!in->text)
		return;
	sh = hd_arena_zalloc(dp->a, sizeof(*sh));
	if (!sh) {
		oom(dp);
		return;
	}
	r = hd_shell_split_arena(in->text, in->text_len, sh, dp->a);
	if (r < 0) {
		oom(dp);
		return;
	}
	in->shell = sh;
	if (hd_run_analyse(in, dp->a) < 0)
		oom(dp);
}

/* The shell model of a shell-form command: none when the SHELL in effect is not sh-like. */
static void split_shell(struct dp *dp, struct hd_instr *in)
{
	if (!dp->non_posix_shell)
		split_text(dp, in);
}

/* True for an option word of sh that ends with c: -c, -ec, -xec (the script is the next word). */
static bool is_dash_c(const char *a)
{
	size_t n = strlen(a);

	return n >= 2 && a[0] == '-' && a[1] != '-' && a[n - 1] == 'c' && strspn(a + 1, "abefhkmnptuvxCc") == n - 1;
}

/*
 * The shell model of an exec-form RUN, which no SHELL touches.  RUN ["sh",
 * "-c", "script"] runs the script with that shell: it is split like shell
 * form.  Any other array is one command whose words are its elements as
 * they are ("|" is an argument, $X is not expanded).  in->text is the
 * elements joined by spaces, each element mapped to its place in the file.
 */
static void exec_shell(struct dp *dp, struct hd_instr *in, const struct argv_b *args)
{
	const char **texts;
	size_t *offs, k, total = 0, pos = 0, n = args->n;
	char *t;
	int r;

	if (!n)
		return;
	if (n >= 3 && is_posix_shell_name(args->v[0].value) && is_dash_c(args->v[1].value)) {
		const struct hd_arg *sc = &args->v[2];

		in->text = sc->value;
		in->text_len = strlen(sc->value);
		in->n_segs = 1;
		in->seg_off = hd_arena_alloc(dp->a, sizeof(size_t));
		in->seg_line = hd_arena_alloc(dp->a, sizeof(uint32_t));
		in->seg_col = hd_arena_alloc(dp->a, sizeof(uint32_t));
		if (!in->seg_off || !in->seg_line || !in->seg_col) {
			oom(dp);
			return;
		}
		in->seg_off[0] = 0;
		in->seg_line[0] = sc->span.line;
		in->seg_col[0] = sc->span.col + 1; /* after the opening quote */
		split_text(dp, in);
		return;
	}
	for (k = 0; k < n; k++)
		total += strlen(args->v[k].value) + 1;
	t = hd_arena_alloc(dp->a, total);
	texts = hd_arena_alloc(dp->a, n * sizeof(*texts));
	offs = hd_arena_alloc(dp->a, n * sizeof(*offs));
	in->seg_off = hd_arena_alloc(dp->a, n * sizeof(size_t));
	in->seg_line = hd_arena_alloc(dp->a, n * sizeof(uint32_t));
	in->seg_col = hd_arena_alloc(dp->a, n * sizeof(uint32_t));
	if (!t || !texts || !offs || !in->seg_off || !in->seg_line || !in->seg_col) {
		oom(dp);
		return;
	}
	for (k = 0; k < n; k++) {
		size_t len = strlen(args->v[k].value);

		memcpy(t + pos, args->v[k].value, len);
		t[pos + len] = k + 1 < n ? ' ' : '\0';
		texts[k] = args->v[k].value;
		offs[k] = pos;
		in->seg_off[k] = pos;
		in->seg_line[k] = args->v[k].span.line;
		in->seg_col[k] = args->v[k].span.col + 1;
		pos += len + 1;
	}
	in->text = t;
	in->text_len = total - 1;
	in->n_segs = n;
	in->shell = hd_arena_zalloc(dp->a, sizeof(*in->shell));
	if (!in->shell) {
		oom(dp);
		return;
	}
	r = hd_shell_from_argv(texts, offs, n, in->shell, dp->a);
	if (r < 0 || hd_run_analyse(in, dp->a) < 0) {
		in->shell = NULL;
		if (r == -HD_ENOMEM || r == 0)
			oom(dp);
	}
}

/* Parses the form of RUN/CMD/ENTRYPOINT/SHELL/HEALTHCHECK CMD at [off, end). */
static void parse_cmd_form(struct dp *dp, struct hd_instr *in, const struct lmap *m, size_t off,
			   size_t end, struct argv_b *args)
{
	int r;

	if (off >= end) {
		in->form = HD_FORM_NONE;
		return;
	}
	r = parse_json(dp, m, off, end, false, args);
	if (r == 1) {
		in->form = HD_FORM_EXEC;
		return;
	}
	if (r < 0) {
		uint32_t l, c;

		if (dp->err)
			return;
		lpos(m, off, &l, &c);
		add_error(dp, l, c, "expected a JSON array of strings only in %s", hd_instr_name(in->kind));
		args->n = 0;
		in->form = HD_FORM_EXEC;
		return;
	}
	in->form = HD_FORM_SHELL;
	set_text(dp, in, m, off, end);
	if (in->text)
		push_arg(dp, args, m, off, end, in->text, in->text, false);
}

/* ENV/LABEL pairs (BuildKit's parseNameVal), ARG (parseNameOrNameVal). */
static void parse_kvs(struct dp *dp, struct hd_instr *in, const struct lmap *m, size_t off, size_t end,
		      size_t instr_idx, bool nested)
{
	struct pword wst[32], *w = wst;
	size_t nw, i, alloc = 0;
	/* ONBUILD triggers are neither expanded nor defined here: they run in a child build. */
	bool expand = !nested, define = !nested;
	const char *s = m->s;

	nw = parse_words(dp, s, off, end, wst, HD_ARRAY_SIZE(wst));
	if (nw > HD_ARRAY_SIZE(wst)) {
		w = hd_arena_alloc(dp->a, nw * sizeof(*w));
		if (!w) {
			oom(dp);
			return;
		}
		parse_words(dp, s, off, end, w, nw);
	}
	if (nw == 0) {
		uint32_t l, c;

		lpos(m, off, &l, &c);
		add_error(dp, in->span.line, in->span.col, "expected %s after %s",
			  in->kind == HD_I_ARG ? "a name" : "name=value", hd_instr_name(in->kind));
		return;
	}
	if (in->kind != HD_I_ARG && !memchr(s + w[0].off, '=', w[0].end - w[0].off)) {
		/* The legacy form: KEY value with spaces. */
		size_t ke = w[0].end, vb = ke;
		struct hd_kv *kv;
		bool u = false;

		while (vb < end && is_ws(s[vb]))
			vb++;
		if (vb >= end) {
			add_error(dp, in->span.line, in->span.col, "expected a value after %s %.*s",
				  hd_instr_name(in->kind), (int)(ke - w[0].off > 60 ? 60 : ke - w[0].off),
				  s + w[0].off);
			return;
		}
		kv = hd_arena_zalloc(dp->a, sizeof(*kv));
		if (!kv) {
			oom(dp);
			return;
		}
		kv->key = w[0].plain ? adup(dp, s + w[0].off, ke - w[0].off)
				     : process_word(dp, s + w[0].off, ke - w[0].off, false, NULL);
		for (i = 1; i < nw && w[i].plain; i++)
			;
		if (i == nw) {
			/* Plain words and spaces: the value is its text. */
			kv->value = adup(dp, s + vb, end - vb);
			kv->expanded = kv->value;
		} else {
			kv->value = process_word(dp, s + vb, end - vb, false, NULL);
			kv->expanded = memchr(s + vb, '$', end - vb) ?
				       process_word(dp, s + vb, end - vb, expand, &u) : kv->value;
		}
		kv->unresolved = u;
		kv->span = lspan(m, w[0].off, end);
		kv->value_span = lspan(m, vb, end);
		in->kvs = kv;
		in->n_kvs = 1;
		if (in->kind == HD_I_ENV && kv->key && define)
			var_define(dp, kv->key, strlen(kv->key), u ? NULL : kv->expanded, true, instr_idx);
		return;
	}
	for (i = 0; i < nw && !dp->err; i++) {
		const char *ws = s + w[i].off;
		size_t wl = w[i].end - w[i].off;
		const char *eq = memchr(ws, '=', wl);
		struct hd_kv *kv;
		bool u = false;

		if (!eq && in->kind != HD_I_ARG) {
			char b[80];

			add_error(dp, lspan(m, w[i].off, w[i].end).line, lspan(m, w[i].off, w[i].end).col,
				  "expected name=value in %s, found '%s'", hd_instr_name(in->kind),
				  shorten(b, sizeof(b), ws, wl));
			continue;
		}
		if (HD_ARENA_GROW(dp->a, in->kvs, alloc, in->n_kvs + 1) < 0) {
			oom(dp);
			return;
		}
		kv = &in->kvs[in->n_kvs];
		memset(kv, 0, sizeof(*kv));
		kv->span = lspan(m, w[i].off, w[i].end);
		if (eq) {
			size_t kl = (size_t)(eq - ws);

			if (kl == 0) {
				add_error(dp, kv->span.line, kv->span.col, "expected a name before '=' in %s",
					  hd_instr_name(in->kind));
				continue;
			}
			if (w[i].plain) {
				/* Nothing to process: the texts themselves. */
				kv->key = adup(dp, ws, kl);
				kv->value = adup(dp, eq + 1, wl - kl - 1);
				kv->expanded = kv->value;
			} else {
				kv->key = in->kind == HD_I_ARG ? adup(dp, ws, kl)
							       : process_word(dp, ws, kl, in->kind == HD_I_LABEL, NULL);
				kv->value = process_word(dp, eq + 1, wl - kl - 1, false, NULL);
				kv->expanded = memchr(eq + 1, '$', wl - kl - 1) ?
					       process_word(dp, eq + 1, wl - kl - 1, expand, &u) : kv->value;
			}
			kv->unresolved = u;
			kv->value_span = lspan(m, w[i].off + kl + 1, w[i].end);
		} else {
			kv->key = adup(dp, ws, wl);
			kv->value_span = kv->span;
		}
		if (!kv->key)
			return;
		in->n_kvs++;
	}
	/*
	 * The values of one instruction are all expanded with the variables
	 * in effect before it (ENV A=1 B=$A does not see this A).
	 */
	for (i = 0; i < in->n_kvs && define && !dp->err; i++) {
		const struct hd_kv *kv = &in->kvs[i];

		if (in->kind == HD_I_ENV) {
			var_define(dp, kv->key, strlen(kv->key), kv->unresolved ? NULL : kv->expanded, true,
				   instr_idx);
		} else if (in->kind == HD_I_ARG) {
			const char *val = NULL;

			if (kv->value) {
				val = kv->unresolved ? NULL : kv->expanded;
			} else if (dp->cur_stage != NO_STAGE) {
				/* ARG NAME in a stage takes the global default. */
				struct vslot *g = vt_find(&dp->global, kv->key, strlen(kv->key), false, dp);

				if (g && g->arg >= 0)
					val = dp->df->vars[g->arg].value;
			}
			var_define(dp, kv->key, strlen(kv->key), val, false, instr_idx);
		}
	}
}

/* Heredoc markers in the line (BuildKit's heredocsFromLine + ParseHeredoc). */
struct marker {
	char *name;
	bool quoted, chomp;
};

/* Whether s[off..end) holds "<<" (a quick test before find_heredocs). */
static bool has_dless(const char *s, size_t off, size_t end)
{
	const char *p = s + off, *e = s + end;

	while (p + 1 < e && (p = memchr(p, '<', (size_t)(e - p - 1)))) {
		if (p[1] == '<')
			return true;
		p++;
	}
	return false;
}

static size_t find_heredocs(struct dp *dp, const char *s, size_t off, size_t end, struct marker *mk,
			    size_t max)
{
	size_t i = off, n = 0;

	while (i < end && n < max) {
		size_t b, p;
		char quote = 0;

		while (i < end && is_ws(s[i]))
			i++;
		if (i >= end)
			break;
		b = i;
		while (i < end) {
			char c = s[i];

			if (!quote && is_ws(c))
				break;
			if (!quote && (c == '\'' || c == '"'))
				quote = c;
			else if (quote && c == quote)
				quote = 0;
			else if (c == '\\' && quote != '\'' && i + 1 < end)
				i++;
			i++;
		}
		/* ^(\d*)<<(-?)\s*([^<]*)$ */
		p = b;
		while (p < i && isdigit((unsigned char)s[p]))
			p++;
		if (i - p < 3 || s[p] != '<' || s[p + 1] != '<')
			continue;
		p += 2;
		{
			bool chomp = false, bad = false;
			size_t q, quotes = 0, rawq = 0;

			if (p < i && s[p] == '-') {
				chomp = true;
				p++;
			}
			if (p >= i)
				continue;
			for (q = p; q < i; q++) {
				if (s[q] == '<')
					bad = true;
				if (s[q] == '\'' || s[q] == '"')
					rawq++;
			}
			if (bad)
				continue;
			dp->x_len = 0;
			dp->x_over = false;
			{
				char esc = dp->esc;

				dp->esc = '\\';
				process(dp, s + p, i - p, false, &(bool){ false }, 0);
				dp->esc = esc;
			}
			for (q = 0; q < dp->x_len; q++) {
				if (dp->x[q] == '\'' || dp->x[q] == '"')
					quotes++;
			}
			if (dp->x_len == 0)
				continue;
			mk[n].name = adup(dp, dp->x, dp->x_len);
			if (!mk[n].name)
				return n;
			mk[n].quoted = quotes != rawq;
			mk[n].chomp = chomp;
			n++;
		}
	}
	return n;
}

/* Reads heredoc bodies after the instruction's last line. */
static void read_heredocs(struct dp *dp, struct hd_instr *in, struct marker *mk, size_t n, uint32_t *last_line)
{
	size_t i;

	in->heredocs = hd_arena_zalloc(dp->a, n * sizeof(*in->heredocs));
	if (!in->heredocs) {
		oom(dp);
		return;
	}
	in->n_heredocs = n;
	for (i = 0; i < n; i++) {
		struct hd_heredoc *h = &in->heredocs[i];
		size_t ls, le, bstart = dp->pos, bend = dp->pos, dl = strlen(mk[i].name);
		uint32_t ln;

		h->delim = mk[i].name;
		h->quoted = mk[i].quoted;
		h->strip_tabs = mk[i].chomp;
		h->body_line = dp->line;
		while (next_line(dp, &ls, &le, &ln)) {
			size_t p = ls;

			*last_line = ln;
			dp->hd_end_col = (uint32_t)(le - ls + 1);
			if (mk[i].chomp) {
				while (p < le && dp->d[p] == '\t')
					p++;
			}
			if (le - p == dl && memcmp(dp->d + p, mk[i].name, dl) == 0) {
				h->terminated = true;
				break;
			}
			bend = dp->pos;
		}
		h->end_line = *last_line;
		/* The body, each line ending in a newline (CRs before it dropped). */
		{
			size_t p = bstart, o = 0, cap = bend - bstart + 1;
			char *b = hd_arena_alloc(dp->a, cap + 1);

			if (!b) {
				oom(dp);
				return;
			}
			while (p < bend) {
				const char *nl = memchr(dp->d + p, '\n', bend - p);
				size_t e = nl ? (size_t)(nl - dp->d) : bend, x = e;

				while (x > p && dp->d[x - 1] == '\r')
					x--;
				memcpy(b + o, dp->d + p, x - p);
				o += x - p;
				b[o++] = '\n';
				p = nl ? e + 1 : bend;
			}
			b[o] = '\0';
			h->body = b;
		}
		if (!h->terminated) {
			add_error(dp, in->span.line, in->span.col,
				  "expected the heredoc delimiter '%s' before the end of the file", h->delim);
			/* The file ended: the heredocs after this one have no body. */
			in->n_heredocs = i + 1;
			break;
		}
	}
}

/*
 * Builds instr->text for RUN with heredocs (what BuildKit gives the shell)
 * and its segment map.
 */
static void heredoc_text(struct dp *dp, struct hd_instr *in, const struct lmap *m, size_t off, size_t end)
{
	size_t total, i, seg_alloc;
	char *t;
	bool single;
	const char *s = m->s;
	size_t p = off, q;

	/* A single heredoc word as the whole command: the body is the script. */
	q = end;
	while (p < q && isdigit((unsigned char)s[p]))
		p++;
	single = in->n_heredocs == 1 && q - p >= 3 && s[p] == '<' && s[p + 1] == '<';
	if (single) {
		size_t k;

		for (k = p + 2; k < q; k++) {
			if (is_ws(s[k]) || s[k] == '<')
				single = false;
		}
	}
	if (single) {
		const struct hd_heredoc *h = &in->heredocs[0];
		size_t blen = strlen(h->body);

		in->text = h->body;
		in->text_len = blen;
		seg_alloc = 0;
		in->n_segs = 0;
		in->seg_off = NULL;
		/* One segment per body line. */
		seg_alloc = 0;
		for (i = 0; i < blen; i++) {
			if (h->body[i] == '\n')
				seg_alloc++;
		}
		seg_alloc++;
		in->seg_off = hd_arena_alloc(dp->a, seg_alloc * sizeof(size_t));
		in->seg_line = hd_arena_alloc(dp->a, seg_alloc * sizeof(uint32_t));
		in->seg_col = hd_arena_alloc(dp->a, seg_alloc * sizeof(uint32_t));
		if (!in->seg_off || !in->seg_line || !in->seg_col) {
			oom(dp);
			return;
		}
		{
			size_t o = 0;
			uint32_t line = h->body_line;

			for (;;) {
				const char *nl;

				in->seg_off[in->n_segs] = o;
				in->seg_line[in->n_segs] = line;
				in->seg_col[in->n_segs] = 1;
				in->n_segs++;
				nl = strchr(h->body + o, '\n');
				if (!nl || !nl[1] || in->n_segs >= seg_alloc)
					break;
				o = (size_t)(nl - h->body) + 1;
				line++;
			}
		}
		/* A #! naming something else than a shell: not shell commands. */
		if (h->body[0] == '#' && h->body[1] == '!') {
			const char *e = strchr(h->body, '\n'), *sp2, *w;
			char interp[64];
			size_t il;

			w = h->body + 2;
			while (*w == ' ')
				w++;
			sp2 = w;
			while (*sp2 && *sp2 != ' ' && *sp2 != '\n')
				sp2++;
			il = (size_t)(sp2 - w);
			if (il < sizeof(interp)) {
				memcpy(interp, w, il);
				interp[il] = '\0';
				if (hd_ends_with(interp, "/env") && *sp2 == ' ') {
					w = sp2 + 1;
					while (*w == ' ')
						w++;
					sp2 = w;
					while (*sp2 && *sp2 != ' ' && *sp2 != '\n')
						sp2++;
					il = (size_t)(sp2 - w);
					if (il < sizeof(interp)) {
						memcpy(interp, w, il);
						interp[il] = '\0';
					}
				}
				if (!is_posix_shell_name(interp))
					return;
			}
			(void)e;
		}
		split_shell(dp, in);
		return;
	}
	/* The command, then each body and its delimiter. */
	total = end - off + 1;
	for (i = 0; i < in->n_heredocs; i++)
		total += strlen(in->heredocs[i].body) + strlen(in->heredocs[i].delim) + 1;
	t = hd_arena_alloc(dp->a, total + 1);
	if (!t) {
		oom(dp);
		return;
	}
	set_text(dp, in, m, off, end);
	if (dp->err)
		return;
	memcpy(t, s + off, end - off);
	total = end - off;
	/* Copy the map of the command into arrays with room for the bodies. */
	{
		size_t cap = in->n_segs + 1;

		for (i = 0; i < in->n_heredocs; i++) {
			const char *b = in->heredocs[i].body;

			for (; *b; b++) {
				if (*b == '\n')
					cap++;
			}
			cap += 2;
		}
		{
			size_t *so = hd_arena_alloc(dp->a, cap * sizeof(size_t));
			uint32_t *sl = hd_arena_alloc(dp->a, cap * sizeof(uint32_t));
			uint32_t *sc = hd_arena_alloc(dp->a, cap * sizeof(uint32_t));

			if (!so || !sl || !sc) {
				oom(dp);
				return;
			}
			memcpy(so, in->seg_off, in->n_segs * sizeof(size_t));
			memcpy(sl, in->seg_line, in->n_segs * sizeof(uint32_t));
			memcpy(sc, in->seg_col, in->n_segs * sizeof(uint32_t));
			in->seg_off = so;
			in->seg_line = sl;
			in->seg_col = sc;
		}
		for (i = 0; i < in->n_heredocs; i++) {
			const struct hd_heredoc *h = &in->heredocs[i];
			size_t bl = strlen(h->body), dl = strlen(h->delim);
			const char *b = h->body;
			uint32_t line = h->body_line;
			size_t o = 0;

			t[total++] = '\n';
			memcpy(t + total, h->body, bl);
			/* Body lines, then the delimiter line. */
			while (o < bl && in->n_segs < cap) {
				const char *nl = memchr(b + o, '\n', bl - o);

				in->seg_off[in->n_segs] = total + o;
				in->seg_line[in->n_segs] = line++;
				in->seg_col[in->n_segs] = 1;
				in->n_segs++;
				o = nl ? (size_t)(nl - b) + 1 : bl;
			}
			total += bl;
			if (in->n_segs < cap) {
				in->seg_off[in->n_segs] = total;
				in->seg_line[in->n_segs] = h->end_line;
				in->seg_col[in->n_segs] = 1;
				in->n_segs++;
			}
			memcpy(t + total, h->delim, dl);
			total += dl;
		}
		t[total] = '\0';
		in->text = t;
		in->text_len = strlen(t);
	}
	split_shell(dp, in);
}

/* A Go duration: ("0" or) one or more <number><unit>, units ns us µs ms s m h. */
static bool valid_duration(const char *p)
{
	static const char *const units[] = { "ns", "us", "\xc2\xb5s", "\xce\xbcs", "ms", "s", "m", "h" };

	if (strcmp(p, "0") == 0)
		return true;
	if (*p == '\0')
		return false;
	while (*p) {
		const char *b = p;
		size_t i, best = 0;

		while (isdigit((unsigned char)*p))
			p++;
		if (*p == '.') {
			p++;
			while (isdigit((unsigned char)*p))
				p++;
		}
		if (p == b || (p == b + 1 && *b == '.'))
			return false;
		for (i = 0; i < HD_ARRAY_SIZE(units); i++) {
			size_t n = strlen(units[i]);

			if (strncmp(p, units[i], n) == 0 && n > best)
				best = n;
		}
		if (!best)
			return false;
		p += best;
	}
	return true;
}

static bool valid_stage_name(const char *s)
{
	size_t i;

	if (!s[0] || !(s[0] >= 'a' && s[0] <= 'z'))
		return false;
	for (i = 1; s[i]; i++) {
		char c = s[i];

		if (!((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' || c == '_' || c == '.'))
			return false;
	}
	return true;
}

static void parse_instr(struct dp *dp, struct hd_instr *in, const struct lmap *m, size_t off,
			bool nested, size_t instr_idx, uint32_t *last_line);
static void save_stage_env(struct dp *dp);

static void lower(char *s)
{
	for (; *s; s++)
		*s = (char)tolower((unsigned char)*s);
}

/* A word that is not an instruction: an error, and its words kept. */
static void parse_unknown(struct ictx *x)
{
	char b[80];
	size_t ke = x->kb;

	while (ke < x->end && !space_len(x->m->s + ke, x->m->s + x->end))
		ke++;
	add_error(x->dp, x->l, x->c, "unknown instruction '%s'", shorten(b, sizeof(b), x->m->s + x->kb, ke - x->kb));
	split_ws(x->dp, x->m, x->rest, x->end, false, x->args);
}

/* Reads the heredocs RUN, COPY and ADD open on their line (not in ONBUILD); the number found. */
static size_t heredocs_of(struct ictx *x)
{
	struct marker mk[16];
	size_t n;

	if (x->nested || !has_dless(x->m->s, x->kb, x->end))
		return 0;
	n = find_heredocs(x->dp, x->m->s, x->kb, x->end, mk, HD_ARRAY_SIZE(mk));
	if (n)
		read_heredocs(x->dp, x->in, mk, n, x->last_line);
	return n;
}

static void parse_run(struct ictx *x)
{
	struct hd_instr *in = x->in;

	parse_cmd_form(x->dp, in, x->m, x->rest, x->end, x->args);
	if (x->rest >= x->end)
		add_error(x->dp, x->l, x->c, "expected a command after RUN");
	if (in->form == HD_FORM_EXEC) {
		exec_shell(x->dp, in, x->args);
		return;
	}
	if (in->form == HD_FORM_SHELL && heredocs_of(x)) {
		heredoc_text(x->dp, in, x->m, x->rest, x->end);
		return;
	}
	if (in->form == HD_FORM_SHELL)
		split_shell(x->dp, in);
}

/* CMD and ENTRYPOINT. */
static void parse_exec_like(struct ictx *x)
{
	parse_cmd_form(x->dp, x->in, x->m, x->rest, x->end, x->args);
	if (x->in->form == HD_FORM_SHELL)
		split_shell(x->dp, x->in);
}

static void parse_shell_instr(struct ictx *x)
{
	parse_cmd_form(x->dp, x->in, x->m, x->rest, x->end, x->args);
	if (x->in->form != HD_FORM_EXEC)
		add_error(x->dp, x->l, x->c, "expected a JSON array after SHELL, like SHELL [\"/bin/sh\", \"-c\"]");
	else if (x->args->n == 0)
		add_error(x->dp, x->l, x->c, "expected at least one argument in SHELL");
	x->in->text = NULL;
	x->in->text_len = 0;
}

/* The option values of HEALTHCHECK: durations, and a count of retries. */
static void check_healthcheck_flags(struct dp *dp, const struct hd_instr *in)
{
	size_t k;

	for (k = 0; k < in->n_flags; k++) {
		const struct hd_flag *f = &in->flags[k];

		if (!f->value)
			continue;
		if (strcmp(f->name, "retries") == 0) {
			int64_t v;

			if (hd_parse_i64(f->value, 0, INT32_MAX, &v) < 0)
				add_error(dp, f->span.line, f->span.col, "expected a number of retries, not '%s'", f->value);
		} else if (!valid_duration(f->value)) {
			add_error(dp, f->span.line, f->span.col, "expected a duration like 30s for '--%s', not '%s'",
				  f->name, f->value);
		}
	}
}

static void parse_healthcheck(struct ictx *x)
{
	struct dp *dp = x->dp;
	struct hd_instr *in = x->in;
	const char *s = x->m->s;
	size_t rest = x->rest, end = x->end, te = rest, nx;
	char *typ, b[80];

	while (te < end && !space_len(s + te, s + end))
		te++;
	nx = te;
	while (nx < end && space_len(s + nx, s + end))
		nx += space_len(s + nx, s + end);
	if (te == rest) {
		add_error(dp, x->l, x->c, "expected CMD or NONE after HEALTHCHECK");
		return;
	}
	typ = adup(dp, s + rest, te - rest);
	if (!typ || push_arg(dp, x->args, x->m, rest, te, typ, typ, false) < 0)
		return;
	if (strcasecmp(typ, "NONE") == 0) {
		in->healthcheck_none = true;
		if (nx < end)
			add_error(dp, x->l, x->c, "expected nothing after HEALTHCHECK NONE");
		else if (in->n_flags)
			add_error(dp, x->l, x->c, "expected no options with HEALTHCHECK NONE");
		return;
	}
	if (strcasecmp(typ, "CMD") != 0) {
		add_error(dp, x->l, x->c, "expected CMD or NONE after HEALTHCHECK, found '%s'",
			  shorten(b, sizeof(b), typ, strlen(typ)));
		return;
	}
	if (nx >= end) {
		add_error(dp, x->l, x->c, "expected a command after HEALTHCHECK CMD");
		return;
	}
	parse_cmd_form(dp, in, x->m, nx, end, x->args);
	if (in->form == HD_FORM_SHELL)
		split_shell(dp, in);
	check_healthcheck_flags(dp, in);
}

/*
 * The JSON or whitespace-separated paths of ADD, COPY and VOLUME: 1 for
 * JSON, 0 for words, -1 for a malformed JSON array (reported).
 */
static int parse_paths(struct ictx *x)
{
	int r = parse_json(x->dp, x->m, x->rest, x->end, true, x->args);
	uint32_t l, c;

	if (r == 1) {
		x->in->form = HD_FORM_EXEC;
	} else if (r < 0) {
		if (x->dp->err)
			return r;
		lpos(x->m, x->rest, &l, &c);
		add_error(x->dp, l, c, "expected a JSON array of strings only in %s", hd_instr_name(x->in->kind));
		x->args->n = 0;
	} else {
		split_ws(x->dp, x->m, x->rest, x->end, true, x->args);
	}
	return r;
}

static void parse_add_copy(struct ictx *x)
{
	int r = parse_paths(x);

	if (x->dp->err)
		return;
	if (r != 1)
		heredocs_of(x);
	if (x->args->n < 2 && r >= 0)
		add_error(x->dp, x->l, x->c, "expected a source and a destination after %s", hd_instr_name(x->in->kind));
}

static void parse_volume(struct ictx *x)
{
	int r = parse_paths(x);
	size_t k;

	if (x->dp->err)
		return;
	if (x->args->n == 0 && r >= 0)
		add_error(x->dp, x->l, x->c, "expected a path after VOLUME");
	for (k = 0; k < x->args->n; k++) {
		if (!x->args->v[k].value[0])
			add_error(x->dp, x->args->v[k].span.line, x->args->v[k].span.col,
				  "expected a non-empty path in VOLUME");
	}
}

static void parse_expose(struct ictx *x)
{
	split_ws(x->dp, x->m, x->rest, x->end, x->expand, x->args);
	if (x->args->n == 0)
		add_error(x->dp, x->l, x->c, "expected a port after EXPOSE");
}

/* FROM image [AS name]: the name lowercased and checked. */
static void parse_from(struct ictx *x)
{
	struct argv_b *args = x->args;
	char b[80], *name;

	split_ws(x->dp, x->m, x->rest, x->end, x->expand, args);
	if (args->n == 0) {
		add_error(x->dp, x->l, x->c, "expected an image after FROM");
		return;
	}
	if (args->n == 2 || args->n > 3 || (args->n == 3 && strcasecmp(args->v[1].raw, "as") != 0)) {
		add_error(x->dp, args->v[1].span.line, args->v[1].span.col,
			  "expected 'AS name' or nothing after the image in FROM");
		return;
	}
	if (args->n != 3)
		return;
	name = adup(x->dp, args->v[2].raw, strlen(args->v[2].raw));
	if (!name)
		return;
	lower(name);
	args->v[2].value = name;
	if (!valid_stage_name(name))
		add_error(x->dp, args->v[2].span.line, args->v[2].span.col,
			  "expected a stage name of letters, digits, '-', '_' and '.' starting with a letter, not '%s'",
			  shorten(b, sizeof(b), name, strlen(name)));
}

/* USER, WORKDIR, MAINTAINER and STOPSIGNAL: the rest of the line is one argument. */
static void parse_line_arg(struct ictx *x)
{
	static const char *const what[HD_I_MAX] = {
		[HD_I_USER] = "a user", [HD_I_WORKDIR] = "a path", [HD_I_MAINTAINER] = "a name",
		[HD_I_STOPSIGNAL] = "a signal",
	};
	char *raw, *val;
	bool u = false;

	if (x->rest >= x->end) {
		add_error(x->dp, x->l, x->c, "expected %s after %s", what[x->in->kind], hd_instr_name(x->in->kind));
		return;
	}
	raw = adup(x->dp, x->m->s + x->rest, x->end - x->rest);
	val = raw;
	if (raw && x->expand)
		val = process_word(x->dp, raw, x->end - x->rest, true, &u);
	if (raw && val)
		push_arg(x->dp, x->args, x->m, x->rest, x->end, raw, val, u);
}

/* ENV, LABEL and ARG pairs. */
static void parse_kv_instr(struct ictx *x)
{
	parse_kvs(x->dp, x->in, x->m, x->rest, x->end, x->instr_idx, x->nested);
}

static void parse_onbuild(struct ictx *x)
{
	struct dp *dp = x->dp;
	struct hd_instr *sub;
	char *raw;

	if (x->rest >= x->end) {
		add_error(dp, x->l, x->c, "expected an instruction after ONBUILD");
		return;
	}
	if (x->nested) {
		add_error(dp, x->l, x->c, "expected an instruction other than ONBUILD after ONBUILD");
		return;
	}
	sub = x->in->onbuild = hd_arena_zalloc(dp->a, sizeof(*x->in->onbuild));
	if (!sub) {
		oom(dp);
		return;
	}
	sub->span = lspan(x->m, x->rest, x->end);
	parse_instr(dp, sub, x->m, x->rest, true, x->instr_idx, x->last_line);
	if (sub->kind == HD_I_FROM || sub->kind == HD_I_MAINTAINER)
		add_error(dp, sub->span.line, sub->span.col, "expected an instruction other than %s after ONBUILD",
			  hd_instr_name(sub->kind));
	raw = adup(dp, x->m->s + x->rest, x->end - x->rest);
	if (raw)
		push_arg(dp, x->args, x->m, x->rest, x->end, raw, raw, false);
}

/*
 * Parses the instruction at m->s[off..m->len) into in (zeroed by the
 * caller, span set): the keyword and flags here, the arguments by the
 * instruction's own parse function.  Heredoc bodies are read from the
 * following lines when !nested.
 */
static void parse_instr(struct dp *dp, struct hd_instr *in, const struct lmap *m, size_t off,
			bool nested, size_t instr_idx, uint32_t *last_line)
{
	const char *s = m->s;
	const struct instr_def *def;
	struct argv_b args = { NULL, 0, 0 };
	struct ictx x = { .dp = dp, .in = in, .m = m, .nested = nested, .instr_idx = instr_idx,
			  .last_line = last_line, .args = &args };
	size_t end = m->len, ke;

	while (end > off && space_len(s + end - 1, s + end))
		end--;
	while (off < end && space_len(s + off, s + end))
		off += space_len(s + off, s + end);
	ke = off;
	while (ke < end && !space_len(s + ke, s + end))
		ke++;
	in->keyword = adup(dp, s + off, ke - off);
	if (!in->keyword)
		return;
	def = lookup_def(s + off, ke - off);
	if (def->kind == HD_I_FROM && !nested && dp->cur_stage != NO_STAGE) {
		/* FROM starts a stage after its arguments are parsed (they see only global ARGs). */
		save_stage_env(dp);
		dp->cur_stage = NO_STAGE;
	}
	in->kind = def->kind;
	in->stage = dp->cur_stage;
	x.kb = off;
	x.end = end;
	lpos(m, off, &x.l, &x.c);
	x.rest = ke;
	parse_flags(dp, in, m, &x.rest, end);
	if (dp->err)
		return;
	while (x.rest < end && space_len(s + x.rest, s + end))
		x.rest += space_len(s + x.rest, s + end);
	x.expand = def->expands && !nested;
	if (in->kind != HD_I_FROM && in->kind != HD_I_ARG && dp->cur_stage == NO_STAGE && !nested &&
	    in->kind != HD_I_UNKNOWN)
		add_error(dp, x.l, x.c, "expected FROM before %s", hd_instr_name(in->kind));
	def->parse(&x);
	in->args = args.v;
	in->n_args = args.n;
}

/* ---- stages --------------------------------------------------------------------- */

static ssize_t find_stage(const struct hd_dockerfile *df, size_t before, const char *name, bool by_index)
{
	size_t i;

	for (i = 0; i < before && i < df->n_stages; i++) {
		if (df->stages[i].name && strcasecmp(df->stages[i].name, name) == 0)
			return (ssize_t)i;
	}
	if (by_index) {
		int64_t v;

		if (hd_parse_i64(name, 0, INT32_MAX, &v) == 0 && (size_t)v < before)
			return (ssize_t)v;
	}
	return -1;
}

/* Snapshot the ENV names of the stage ending now. */
static void save_stage_env(struct dp *dp)
{
	struct stage_env *se;
	size_t i, k = 0;

	if (dp->cur_stage == NO_STAGE)
		return;
	if (HD_ARENA_GROW(dp->a, dp->senv, dp->alloc_senv, (size_t)dp->cur_stage + 1) < 0) {
		oom(dp);
		return;
	}
	se = &dp->senv[dp->cur_stage];
	se->n = 0;
	se->defs = hd_arena_alloc(dp->a, (dp->local.n + 1) * sizeof(size_t));
	if (!se->defs) {
		oom(dp);
		return;
	}
	for (i = 0; i < dp->local.cap; i++) {
		if (dp->local.v[i].name && dp->local.v[i].env >= 0)
			se->defs[k++] = (size_t)dp->local.v[i].env;
	}
	se->n = k;
}

/* Starts a stage at FROM instruction idx. */
static void begin_stage(struct dp *dp, size_t idx)
{
	struct hd_dockerfile *df = dp->df;
	struct hd_instr *in = &df->instrs[idx];
	struct hd_stage *st;
	const char *img;
	size_t k;

	save_stage_env(dp);
	if (HD_ARENA_GROW(dp->a, df->stages, dp->alloc_stages, df->n_stages + 1) < 0) {
		oom(dp);
		return;
	}
	st = &df->stages[df->n_stages];
	memset(st, 0, sizeof(*st));
	st->index = (uint32_t)df->n_stages;
	st->from = st->first = st->last = idx;
	st->base_stage = -1;
	st->last_user = st->healthcheck = st->shell_instr = -1;
	if (in->n_args >= 3 && strcasecmp(in->args[1].raw, "as") == 0) {
		st->name = in->args[2].value;
		st->name_span = in->args[2].span;
	}
	for (k = 0; k < in->n_flags; k++) {
		if (strcmp(in->flags[k].name, "platform") == 0)
			st->platform = in->flags[k].expanded;
	}
	img = in->n_args ? in->args[0].value : "";
	if (in->n_args) {
		ssize_t b = find_stage(df, df->n_stages, img, false);

		if (b >= 0) {
			st->base_stage = (int32_t)b;
			df->stages[b].used_by_later = true;
		}
		if (hd_image_ref_parse(img, &st->base) == -HD_ENOMEM) {
			oom(dp);
			return;
		}
		if (!st->base.raw && !(st->base.raw = hd_strdup(img))) {
			oom(dp);
			return;
		}
		if (in->args[0].unresolved)
			st->base.has_unresolved_var = true;
	}
	df->n_stages++;
	dp->cur_stage = st->index;
	in->stage = st->index;
	vt_clear(&dp->local);
	/* ENV inherited from a stage used as base. */
	if (st->base_stage >= 0 && (size_t)st->base_stage < dp->alloc_senv) {
		struct stage_env *se = &dp->senv[st->base_stage];

		for (k = 0; k < se->n && !dp->err; k++) {
			struct hd_var *v = &df->vars[se->defs[k]];
			struct vslot *s = vt_find(&dp->local, v->name, strlen(v->name), true, dp);

			if (s)
				s->env = (ssize_t)se->defs[k];
		}
	}
	dp->non_posix_shell = false;
	if (st->base_stage >= 0) {
		ssize_t si = df->stages[st->base_stage].shell_instr;

		st->shell_instr = si;
		if (si >= 0) {
			const struct hd_instr *sh = &df->instrs[si];

			dp->non_posix_shell = sh->n_args && !is_posix_shell_name(sh->args[0].value);
		}
	}
}

/* Links stages once every instruction is known. */
static void link_stages(struct dp *dp)
{
	struct hd_dockerfile *df = dp->df;
	size_t i, k;

	for (i = 0; i < df->n_stages; i++) {
		struct hd_stage *st = &df->stages[i];

		st->last = i + 1 < df->n_stages ? df->stages[i + 1].from - 1 : df->n_instrs - 1;
		st->is_final = i + 1 == df->n_stages;
		if (st->base_stage >= 0) {
			const struct hd_stage *b = &df->stages[st->base_stage];

			st->user = b->user;
			st->healthcheck = b->healthcheck;
		}
		for (k = st->first; k <= st->last && k < df->n_instrs; k++) {
			const struct hd_instr *in = &df->instrs[k];
			size_t f;

			switch (in->kind) {
			case HD_I_USER:
				if (in->n_args) {
					st->last_user = (ssize_t)k;
					st->user = in->args[0].value;
				}
				break;
			case HD_I_HEALTHCHECK:
				st->healthcheck = (ssize_t)k;
				break;
			case HD_I_SHELL:
				st->shell_instr = (ssize_t)k;
				break;
			case HD_I_COPY:
			case HD_I_ADD:
				for (f = 0; f < in->n_flags; f++) {
					ssize_t b;

					if (strcmp(in->flags[f].name, "from") != 0 || !in->flags[f].expanded)
						continue;
					b = find_stage(df, i, in->flags[f].expanded, true);
					if (b >= 0)
						df->stages[b].used_by_later = true;
				}
				break;
			case HD_I_RUN:
				for (f = 0; f < in->n_flags; f++) {
					const char *v = in->flags[f].expanded, *p;

					if (strcmp(in->flags[f].name, "mount") != 0 || !v)
						continue;
					for (p = v; p && *p; p = strchr(p, ',') ? strchr(p, ',') + 1 : NULL) {
						if (strncmp(p, "from=", 5) == 0) {
							char name[256];
							size_t n = strcspn(p + 5, ",");
							ssize_t b;

							if (n >= sizeof(name))
								continue;
							memcpy(name, p + 5, n);
							name[n] = '\0';
							b = find_stage(df, i, name, true);
							if (b >= 0)
								df->stages[b].used_by_later = true;
						}
					}
				}
				break;
			default:
				break;
			}
		}
	}
}

/* ---- directives, comments, the main loop ------------------------------------------ */

/* `# name = value` at the top of the file; returns true when it is a known directive. */
static bool parse_directive(struct dp *dp, size_t ls, size_t le, uint32_t lineno)
{
	const char *d = dp->d;
	size_t p = skip_lead_ws(d, ls, le), nb, ne, vb, ve;

	if (p >= le || d[p] != '#')
		return false;
	p++;
	while (p < le && (d[p] == ' ' || d[p] == '\t'))
		p++;
	nb = p;
	if (p >= le || !isalpha((unsigned char)d[p]))
		return false;
	while (p < le && isalnum((unsigned char)d[p]))
		p++;
	ne = p;
	while (p < le && (d[p] == ' ' || d[p] == '\t'))
		p++;
	if (p >= le || d[p] != '=')
		return false;
	p++;
	while (p < le && (d[p] == ' ' || d[p] == '\t'))
		p++;
	vb = p;
	ve = le;
	while (ve > vb && (d[ve - 1] == ' ' || d[ve - 1] == '\t'))
		ve--;
	if (ve == vb)
		return false;
	{
		char name[16];
		size_t n = ne - nb, i;
		char **slot;

		if (n >= sizeof(name))
			return false;
		for (i = 0; i < n; i++)
			name[i] = (char)tolower((unsigned char)d[nb + i]);
		name[n] = '\0';
		if (strcmp(name, "escape") == 0) {
			if (dp->escape_seen) {
				add_error(dp, lineno, 1, "expected only one escape parser directive");
				return true;
			}
			dp->escape_seen = true;
			if (ve - vb != 1 || (d[vb] != '\\' && d[vb] != '`')) {
				char b[80];

				add_error(dp, lineno, (uint32_t)(vb - ls + 1),
					  "expected '\\' or '`' as the escape character, not '%s'",
					  shorten(b, sizeof(b), d + vb, ve - vb));
				return true;
			}
			dp->esc = d[vb];
			dp->df->escape = d[vb];
			return true;
		}
		if (strcmp(name, "syntax") == 0)
			slot = &dp->df->syntax;
		else if (strcmp(name, "check") == 0)
			slot = &dp->df->check;
		else
			return false;
		if (*slot) {
			add_error(dp, lineno, 1, "expected only one %s parser directive", name);
			return true;
		}
		*slot = adup(dp, d + vb, ve - vb);
		return true;
	}
}

/* hadolint's pragma grammar (Hadolint.Pragma): the kinds of pragma. */
enum pragma { PRAGMA_NONE, PRAGMA_IGNORE, PRAGMA_GLOBAL, PRAGMA_STAGE, PRAGMA_SHELL };

static size_t blanks(const char *p, const char *e)
{
	const char *q = p;

	while (q < e && (*q == ' ' || *q == '\t'))
		q++;
	return (size_t)(q - p);
}

static bool take(const char **p, const char *e, const char *w)
{
	size_t n = strlen(w);

	if ((size_t)(e - *p) < n || memcmp(*p, w, n) != 0)
		return false;
	*p += n;
	return true;
}

/* After a value: blanks, then optionally `# comment` to the end of the line. */
static bool pragma_tail(const char *p, const char *e)
{
	p += blanks(p, e);
	return p == e || *p == '#';
}

/*
 * Parses a comment body (after '#') as hadolint does: `hadolint [global |
 * stage ]ignore=ID[, ID]...` where every id is made of D, L, S, C and
 * digits, or `hadolint shell=NAME`; a trailing `# comment` is allowed.
 * Anything else, an unknown id among them, makes it no pragma at all.  The
 * ids are written to out (comma-separated, blanks removed) or the shell's
 * name returned in [*v, *v + *vlen).
 */
static enum pragma parse_hadolint_pragma(const char *p, const char *e, char *out, size_t out_size,
					 const char **v, size_t *vlen)
{
	enum pragma kind = PRAGMA_IGNORE;
	size_t n, o = 0;

	p += blanks(p, e);
	if (!take(&p, e, "hadolint") || !(n = blanks(p, e)))
		return PRAGMA_NONE;
	p += n;
	if (take(&p, e, "shell")) {
		p += blanks(p, e);
		if (!take(&p, e, "="))
			return PRAGMA_NONE;
		p += blanks(p, e);
		*v = p;
		while (p < e && *p != ' ' && *p != '\t' && *p != '\n')
			p++;
		*vlen = (size_t)(p - *v);
		return *vlen && pragma_tail(p, e) ? PRAGMA_SHELL : PRAGMA_NONE;
	}
	if (take(&p, e, "global"))
		kind = PRAGMA_GLOBAL;
	else if (take(&p, e, "stage"))
		kind = PRAGMA_STAGE;
	if (kind != PRAGMA_IGNORE) {
		if (!(n = blanks(p, e)))
			return PRAGMA_NONE;
		p += n;
	}
	if (!take(&p, e, "ignore"))
		return PRAGMA_NONE;
	p += blanks(p, e);
	if (!take(&p, e, "="))
		return PRAGMA_NONE;
	for (;;) {
		const char *id;

		p += blanks(p, e);
		id = p;
		while (p < e && strchr("DLSC0123456789", *p) && *p)
			p++;
		if (p == id || o + (size_t)(p - id) + 2 > out_size)
			return PRAGMA_NONE;
		if (o)
			out[o++] = ',';
		memcpy(out + o, id, (size_t)(p - id));
		o += (size_t)(p - id);
		p += blanks(p, e);
		if (p < e && *p == ',') {
			p++;
			continue;
		}
		break;
	}
	out[o] = '\0';
	*v = out;
	*vlen = o;
	return pragma_tail(p, e) ? kind : PRAGMA_NONE;
}

/* Queues a suppression for the next instruction (or the stage it starts). */
static void pend_sup(struct dp *dp, uint32_t lineno, const char *ids, size_t len, bool strict, bool stage)
{
	if (HD_GROW(dp->sup, dp->alloc_sup, dp->n_sup + 1) < 0) {
		oom(dp);
		return;
	}
	dp->sup[dp->n_sup].line = lineno;
	dp->sup[dp->n_sup].ids = ids;
	dp->sup[dp->n_sup].len = len;
	dp->sup[dp->n_sup].global = false;
	dp->sup[dp->n_sup].next_line_only = strict;
	dp->sup[dp->n_sup].stage = stage;
	dp->n_sup++;
}

static void comment_line(struct dp *dp, size_t p, size_t le, uint32_t lineno)
{
	const char *ids, *v;
	char buf[512];
	size_t ids_len, vlen;
	enum pragma kind;
	int global;

	/* Cheap pre-check: pragmas start with "hardock" or "hadolint" after the hash. */
	p++;
	while (p < le && (dp->d[p] == ' ' || dp->d[p] == '\t'))
		p++;
	if (p >= le || (dp->d[p] != 'h' && dp->d[p] != 'H'))
		return;
	if (dp->d[p] == 'h' && le - p > 8 && !memcmp(dp->d + p, "hadolint", 8)) {
		/* hadolint's own grammar, so that its pragmas mean what they mean to hadolint. */
		kind = parse_hadolint_pragma(dp->d + p, dp->d + le, buf, sizeof(buf), &v, &vlen);
		switch (kind) {
		case PRAGMA_SHELL:
			dp->df->shell_pragma = adup(dp, v, vlen);
			if (dp->df->shell_pragma && !is_posix_shell_name(dp->df->shell_pragma))
				dp->non_posix_shell = true;
			return;
		case PRAGMA_GLOBAL:
			if (hd_suppressions_add(&dp->df->suppress, 0, 0, lineno, v, vlen) < 0)
				oom(dp);
			return;
		case PRAGMA_IGNORE:
		case PRAGMA_STAGE:
			v = adup(dp, v, vlen);
			if (v)
				pend_sup(dp, lineno, v, vlen, true, kind == PRAGMA_STAGE);
			return;
		default:
			/* Only `hadolint stage ignore=` goes on (as hardock's stage pragma). */
			if (le - p < 14 || (dp->d[p + 8] != ' ' && dp->d[p + 8] != '\t') ||
			    strncasecmp(dp->d + p + 9, "stage", 5) != 0)
				return; /* not a pragma hadolint would take */
			break;
		}
	}
	/* hardock's pragmas (and `hardock stage ignore=`); the comment holds le - p bytes, not a string. */
	{
		bool hadolint = le - p >= 8 && !memcmp(dp->d + p, "hadolint", 8);
		const char *q, *e = dp->d + le;
		bool stage = false;

		if (!hadolint && (le - p < 7 || strncasecmp(dp->d + p, "hardock", 7) != 0))
			return; /* neither pragma */
		q = dp->d + p + (hadolint ? 8 : 7);
		q += blanks(q, e);
		if ((size_t)(dp->d + le - q) > 6 && !strncasecmp(q, "stage", 5) && (q[5] == ' ' || q[5] == '\t')) {
			/* `hardock stage ignore=...` is `hardock ignore=...` for a whole stage. */
			size_t n = (size_t)(q - (dp->d + p));
			char tmp[512];

			q += 5;
			if (n + (size_t)(dp->d + le - q) + 1 > sizeof(tmp))
				return;
			memcpy(tmp, dp->d + p, n);
			memcpy(tmp + n, q, (size_t)(dp->d + le - q));
			tmp[n + (size_t)(dp->d + le - q)] = '\0';
			if (!hd_suppress_parse_comment(tmp, strlen(tmp), &ids, &ids_len, &global) || global)
				return;
			ids = adup(dp, ids, ids_len);
			if (ids)
				pend_sup(dp, lineno, ids, ids_len, false, true);
			stage = true;
		}
		if (stage)
			return;
	}
	if (!hd_suppress_parse_comment(dp->d + p, le - p, &ids, &ids_len, &global))
		return;
	if (global) {
		if (hd_suppressions_add(&dp->df->suppress, 0, 0, lineno, ids, ids_len) < 0)
			oom(dp);
		return;
	}
	pend_sup(dp, lineno, ids, ids_len, false, false);
}

/*
 * Parses one instruction whose first line is [line_start, le), starting at
 * fs (after leading blanks).
 */
static void instruction(struct dp *dp, size_t line_start, size_t fs, size_t le, uint32_t lineno)
{
	struct hd_dockerfile *df = dp->df;
	struct hd_instr *in;
	struct lmap m;
	size_t at, idx, ls2, le2, i, one_off = 0;
	uint32_t ln, last_line = lineno, last_end, one_line = lineno, one_col;
	bool cont;

	one_col = (uint32_t)(fs - line_start + 1);
	last_end = (uint32_t)(le - line_start + 1);
	cont = ends_with_escape(dp, fs, le, &at);
	if (!cont) {
		/* One line (the common case): parse it in place. */
		m.s = dp->d + fs;
		m.len = le - fs;
		m.off = &one_off;
		m.line = &one_line;
		m.col = &one_col;
		m.n = 1;
		goto parse;
	}
	dp->L_len = 0;
	dp->m_n = 0;
	if (L_add(dp, dp->d + fs, at - fs, lineno, one_col) < 0)
		return;
	while (cont) {
		size_t p;

		if (!next_line(dp, &ls2, &le2, &ln))
			break;
		p = skip_lead_ws(dp->d, ls2, le2);
		if (p >= le2 || dp->d[p] == '#')
			continue; /* blank and comment lines inside a continuation */
		cont = ends_with_escape(dp, ls2, le2, &at);
		if (L_add(dp, dp->d + ls2, (cont ? at : le2) - ls2, ln, 1) < 0)
			return;
		last_line = ln;
		last_end = (uint32_t)(le2 - ls2 + 1);
	}
	if (dp->L_len > 0 && !dp->L)
		return;
	m.s = dp->L ? dp->L : "";
	m.len = dp->L_len;
	m.off = dp->m_off;
	m.line = dp->m_line;
	m.col = dp->m_col;
	m.n = dp->m_n;

parse:
	/* An empty logical line (a lone continuation): nothing. */
	{
		size_t p = 0;

		while (p < m.len && space_len(m.s + p, m.s + m.len))
			p += space_len(m.s + p, m.s + m.len);
		if (p >= m.len)
			return;
	}

	if (df->n_instrs >= HD_MAX_INSTRUCTIONS) {
		add_error(dp, lineno, 1, "expected at most %u instructions", HD_MAX_INSTRUCTIONS);
		dp->pos = dp->len;
		return;
	}
	if (HD_ARENA_GROW(dp->a, df->instrs, dp->alloc_instrs, df->n_instrs + 1) < 0) {
		oom(dp);
		return;
	}
	idx = df->n_instrs++;
	in = &df->instrs[idx];
	memset(in, 0, sizeof(*in));
	in->kind = HD_I_UNKNOWN;
	lpos(&m, 0, &in->span.line, &in->span.col);
	parse_instr(dp, in, &m, 0, false, idx, &last_line);
	if (dp->err)
		return;
	in = &df->instrs[idx];
	if (last_line != in->span.line || in->n_heredocs) {
		in->span.end_line = last_line;
		if (in->n_heredocs) {
			/* Ends with the delimiter line (or the last line of the file). */
			in->span.end_col = dp->hd_end_col;
		} else {
			in->span.end_col = last_end;
		}
	} else {
		in->span.end_line = last_line;
		in->span.end_col = last_end;
	}
	if (in->kind == HD_I_FROM)
		begin_stage(dp, idx);
	else if (in->kind == HD_I_SHELL && in->n_args) {
		dp->non_posix_shell = !is_posix_shell_name(in->args[0].value);
		if (dp->cur_stage != NO_STAGE && dp->cur_stage < df->n_stages)
			df->stages[dp->cur_stage].shell_instr = (ssize_t)idx;
	}
	in = &df->instrs[idx];
	if (in->onbuild)
		in->onbuild->stage = in->stage;

	/*
	 * Pending suppressions cover this instruction; hadolint's only when it
	 * starts on the line right after the comment.  A stage pragma covers
	 * the stage this FROM starts (its extent is known at the end: the
	 * range is widened then), and nothing when this is no FROM.
	 */
	for (i = 0; i < dp->n_sup; i++) {
		const struct pending_sup *ps = &dp->sup[i];

		if (ps->next_line_only && in->span.line != ps->line + 1)
			continue;
		if (ps->stage && (in->kind != HD_I_FROM || !df->n_stages))
			continue;
		if (hd_suppressions_add(&df->suppress, in->span.line, ps->stage ? UINT32_MAX : in->span.end_line,
					ps->line, ps->ids, ps->len) < 0) {
			oom(dp);
			return;
		}
	}
	dp->n_sup = 0;
}

/* Stage pragmas were recorded up to UINT32_MAX: end them with their stage (before the next FROM). */
static void stage_suppressions(struct hd_dockerfile *df)
{
	size_t i, k;

	for (i = 0; i < df->suppress.n; i++) {
		struct hd_suppression *x = &df->suppress.v[i];

		if (x->to_line != UINT32_MAX)
			continue;
		x->to_line = df->n_lines;
		for (k = 0; k < df->n_stages; k++) {
			const struct hd_instr *from = &df->instrs[df->stages[k].from];

			if (from->span.line > x->from_line) {
				x->to_line = from->span.line - 1;
				break;
			}
		}
	}
}

int hd_dockerfile_parse(const char *path, const char *data, size_t len, struct hd_dockerfile **ret)
{
	struct hd_dockerfile *df;
	struct hd_arena *a;
	struct dp dp;
	size_t ls, le, p;
	uint32_t lineno;
	bool directives = true;
	int r;

	*ret = NULL;
	df = hd_calloc(1, sizeof(*df));
	a = hd_malloc(sizeof(*a));
	if (!df || !a) {
		hd_free(df);
		hd_free(a);
		return -HD_ENOMEM;
	}
	hd_arena_init(a, len + len / 2 + 4096);
	df->arena = a;
	df->escape = '\\';
	hd_suppressions_init(&df->suppress);
	memset(&dp, 0, sizeof(dp));
	dp.df = df;
	dp.a = a;
	dp.d = data ? data : "";
	dp.len = data ? len : 0;
	dp.line = 1;
	dp.esc = '\\';
	dp.cur_stage = NO_STAGE;
	if (path && !(df->path = hd_arena_strdup(a, path))) {
		hd_dockerfile_free(df);
		return -HD_ENOMEM;
	}
	/* A UTF-8 byte order mark. */
	if (dp.len >= 3 && memcmp(dp.d, "\xef\xbb\xbf", 3) == 0)
		dp.pos = 3;

	while (!dp.err && next_line(&dp, &ls, &le, &lineno)) {
		if (directives) {
			if (parse_directive(&dp, ls, le, lineno))
				continue;
			directives = false;
		}
		p = skip_lead_ws(dp.d, ls, le);
		if (p >= le)
			continue;
		if (dp.d[p] == '#') {
			comment_line(&dp, p, le, lineno);
			continue;
		}
		instruction(&dp, ls, p, le, lineno);
	}
	df->n_lines = dp.line - 1;
	if (!dp.err) {
		if (dp.cur_stage != NO_STAGE || df->n_stages)
			link_stages(&dp);
		if (df->n_stages == 0)
			add_error(&dp, df->n_lines ? df->n_lines : 1, 1, "expected a FROM instruction in the file");
	}
	if (!dp.err && hd_dockerfile_index_runs(df) < 0)
		oom(&dp);
	stage_suppressions(df);
	r = dp.err;
	hd_free(dp.L);
	hd_free(dp.m_off); /* and m_line, m_col: the same block */
	hd_free(dp.x);
	hd_free(dp.sup);
	if (r < 0) {
		hd_dockerfile_free(df);
		return r;
	}
	*ret = df;
	return 0;
}
