/*
 * Masking secret values in lint findings (see mask.h): the spans to hide
 * are collected (assignments by name, tokens by shape, known values), merged,
 * and the text rebuilt with HD_MASK in their place.
 */
#include "core/common.h"
#include "core/buf.h"
#include "lint/mask.h"
#include "rules/secrets.h"

struct span {
	size_t a, b; /* [a, b) */
};

struct spans {
	struct span *v;
	size_t n, alloc;
};

static int add_span(struct spans *s, size_t a, size_t b)
{
	if (b <= a)
		return 0;
	if (HD_GROW(s->v, s->alloc, s->n + 1) < 0)
		return -HD_ENOMEM;
	s->v[s->n].a = a;
	s->v[s->n].b = b;
	s->n++;
	return 0;
}

/*
 * The one judgement, from rules/secrets.h: a secret-named variable with a
 * value that is not a reference, or a value of a credential's shape.
 */
static bool judged_secret(const char *name, const char *value)
{
	if (!value || !*value)
		return false;
	if (hd_secret_value_kind(value))
		return true;
	return name && hd_secret_name(name) && hd_secret_value_plausible(value);
}

int hd_mask_note(struct hd_strlist *known, const char *name, const char *value)
{
	if (!known || !value || strlen(value) < 4 || !judged_secret(name, value))
		return 0;
	if (hd_strlist_has(known, value))
		return 0;
	return hd_strlist_add(known, value);
}

/*
 * Character classes of the scanners, one load per byte instead of ctype
 * calls and chains of comparisons (ASCII only: bytes >= 0x80 are in no class,
 * as isalnum() says of them in the C locale).
 */
enum { C_ALNUM = 1, C_ALPHA = 2, C_UNDER = 4, C_DOTDASH = 8, C_DELIM = 16 };
static const unsigned char cls[256] = {
	['\t'] = C_DELIM, ['\n'] = C_DELIM, ['\r'] = C_DELIM, [' '] = C_DELIM, ['"'] = C_DELIM,
	['\''] = C_DELIM, ['('] = C_DELIM, [')'] = C_DELIM, [','] = C_DELIM, ['-'] = C_DOTDASH,
	['.'] = C_DOTDASH, ['0'] = C_ALNUM, ['1'] = C_ALNUM, ['2'] = C_ALNUM, ['3'] = C_ALNUM,
	['4'] = C_ALNUM, ['5'] = C_ALNUM, ['6'] = C_ALNUM, ['7'] = C_ALNUM, ['8'] = C_ALNUM,
	['9'] = C_ALNUM, [';'] = C_DELIM, ['<'] = C_DELIM, ['='] = C_DELIM, ['>'] = C_DELIM,
	['A'] = C_ALNUM | C_ALPHA, ['B'] = C_ALNUM | C_ALPHA, ['C'] = C_ALNUM | C_ALPHA,
	['D'] = C_ALNUM | C_ALPHA, ['E'] = C_ALNUM | C_ALPHA, ['F'] = C_ALNUM | C_ALPHA,
	['G'] = C_ALNUM | C_ALPHA, ['H'] = C_ALNUM | C_ALPHA, ['I'] = C_ALNUM | C_ALPHA,
	['J'] = C_ALNUM | C_ALPHA, ['K'] = C_ALNUM | C_ALPHA, ['L'] = C_ALNUM | C_ALPHA,
	['M'] = C_ALNUM | C_ALPHA, ['N'] = C_ALNUM | C_ALPHA, ['O'] = C_ALNUM | C_ALPHA,
	['P'] = C_ALNUM | C_ALPHA, ['Q'] = C_ALNUM | C_ALPHA, ['R'] = C_ALNUM | C_ALPHA,
	['S'] = C_ALNUM | C_ALPHA, ['T'] = C_ALNUM | C_ALPHA, ['U'] = C_ALNUM | C_ALPHA,
	['V'] = C_ALNUM | C_ALPHA, ['W'] = C_ALNUM | C_ALPHA, ['X'] = C_ALNUM | C_ALPHA,
	['Y'] = C_ALNUM | C_ALPHA, ['Z'] = C_ALNUM | C_ALPHA, ['['] = C_DELIM, [']'] = C_DELIM,
	['_'] = C_UNDER, ['`'] = C_DELIM, ['a'] = C_ALNUM | C_ALPHA, ['b'] = C_ALNUM | C_ALPHA,
	['c'] = C_ALNUM | C_ALPHA, ['d'] = C_ALNUM | C_ALPHA, ['e'] = C_ALNUM | C_ALPHA,
	['f'] = C_ALNUM | C_ALPHA, ['g'] = C_ALNUM | C_ALPHA, ['h'] = C_ALNUM | C_ALPHA,
	['i'] = C_ALNUM | C_ALPHA, ['j'] = C_ALNUM | C_ALPHA, ['k'] = C_ALNUM | C_ALPHA,
	['l'] = C_ALNUM | C_ALPHA, ['m'] = C_ALNUM | C_ALPHA, ['n'] = C_ALNUM | C_ALPHA,
	['o'] = C_ALNUM | C_ALPHA, ['p'] = C_ALNUM | C_ALPHA, ['q'] = C_ALNUM | C_ALPHA,
	['r'] = C_ALNUM | C_ALPHA, ['s'] = C_ALNUM | C_ALPHA, ['t'] = C_ALNUM | C_ALPHA,
	['u'] = C_ALNUM | C_ALPHA, ['v'] = C_ALNUM | C_ALPHA, ['w'] = C_ALNUM | C_ALPHA,
	['x'] = C_ALNUM | C_ALPHA, ['y'] = C_ALNUM | C_ALPHA, ['z'] = C_ALNUM | C_ALPHA, ['{'] = C_DELIM,
	['|'] = C_DELIM, ['}'] = C_DELIM,
};

static bool name_char(char c)
{
	return cls[(unsigned char)c] & (C_ALNUM | C_UNDER | C_DOTDASH);
}

static bool word_char(char c)
{
	return cls[(unsigned char)c] & (C_ALNUM | C_UNDER);
}

/* Judges s[va, vb) as the value of name s[na, nb). */
static int judge_pair(struct spans *sp, const char *s, size_t na, size_t nb, size_t va, size_t vb)
{
	char name[128], value[512];

	if (nb - na >= sizeof(name) || vb <= va)
		return 0;
	memcpy(name, s + na, nb - na);
	name[nb - na] = '\0';
	if (!hd_secret_name(name))
		return 0;
	if (vb - va < sizeof(value)) {
		memcpy(value, s + va, vb - va);
		value[vb - va] = '\0';
		if (!hd_secret_value_plausible(value))
			return 0;
	}
	return add_span(sp, va, vb);
}

/* The end of an unquoted value starting at i that ends at a blank (or, with to_eol, at the line's end). */
static size_t value_end(const char *s, size_t i, size_t len, bool to_eol)
{
	size_t e = i;

	while (e < len && s[e] != '\n' &&
	       (to_eol || (s[e] != ' ' && s[e] != '\t' && s[e] != '\'' && s[e] != '"' && s[e] != '`')) &&
	       !(to_eol && s[e] == '#' && e > i && (s[e - 1] == ' ' || s[e - 1] == '\t')))
		e++;
	while (e > i && (s[e - 1] == ' ' || s[e - 1] == '\t' || s[e - 1] == '\r' ||
			 (!to_eol && (s[e - 1] == ',' || s[e - 1] == ';'))))
		e--;
	return e;
}

/*
 * Assignments: NAME=VALUE, NAME: VALUE, "NAME": "VALUE", ENV NAME VALUE,
 * --password VALUE.  The value is masked when the name says secret.
 */
static int scan_assignments(struct spans *sp, const char *s, size_t len)
{
	size_t i = 0;
	int r;

	while (i < len) {
		size_t na, nb, j, va, vb;
		char q = 0, sep;
		bool dashes, line_start, quoted;

		if (!(cls[(unsigned char)s[i]] & (C_ALPHA | C_UNDER)) || (i > 0 && word_char(s[i - 1]))) {
			i++;
			continue;
		}
		na = i;
		while (i < len && name_char(s[i]))
			i++;
		nb = i;
		dashes = na >= 2 && s[na - 1] == '-' && s[na - 2] == '-';
		line_start = true;
		for (j = na; j > 0 && line_start; j--)
			line_start = s[j - 1] == ' ' || s[j - 1] == '\t' || s[j - 1] == '"' || s[j - 1] == '\'' ||
				     s[j - 1] == '-' || s[j - 1] == '\n';
		j = i;
		quoted = j < len && (s[j] == '"' || s[j] == '\'') && na > 0 && s[na - 1] == s[j];
		if (quoted)
			j++; /* "NAME": */
		while (j < len && (s[j] == ' ' || s[j] == '\t'))
			j++;
		sep = j < len ? s[j] : '\0';
		if (sep == '=' && !(j + 1 < len && s[j + 1] == '=')) {
			j++;
		} else if (sep == ':' && (line_start || quoted) &&
			   (j + 1 >= len || s[j + 1] == ' ' || s[j + 1] == '\t' || s[j + 1] == '"' || s[j + 1] == '\'')) {
			/* A YAML key (at the start of its line) or a JSON one (quoted), not a word in a sentence. */
			j++;
		} else if (dashes && j > i && j < len && s[j] != '-') {
			/* --password VALUE */
			sep = ' ';
		} else if (j > i && j < len && na >= 4 && s[na - 1] == ' ' && (s[na - 4] | 0x20) == 'e' &&
			   (s[na - 3] | 0x20) == 'n' && (s[na - 2] | 0x20) == 'v' &&
			   (na == 4 || !word_char(s[na - 5]))) {
			/* ENV NAME value (the legacy form: the rest of the line) */
			sep = 'E';
		} else {
			continue;
		}
		while (j < len && (s[j] == ' ' || s[j] == '\t'))
			j++;
		if (j < len && (s[j] == '"' || s[j] == '\'')) {
			q = s[j++];
			va = j;
			while (j < len && s[j] != q && s[j] != '\n')
				j++;
			vb = j;
		} else {
			va = j;
			vb = value_end(s, j, len, sep == ':' || sep == 'E');
		}
		r = judge_pair(sp, s, na, nb, va, vb);
		if (r < 0)
			return r;
		i = vb > i ? vb : i;
	}
	return 0;
}

static bool token_delim(char c)
{
	return cls[(unsigned char)c] & C_DELIM;
}

/* Tokens of a credential's shape, whatever name they have. */
static int scan_shapes(struct spans *sp, const char *s, size_t len)
{
	char tok[1024];
	size_t i = 0;
	int r;

	while (i < len) {
		size_t a, b;
		const char *kind;

		while (i < len && token_delim(s[i]))
			i++;
		a = i;
		while (i < len && !token_delim(s[i]))
			i++;
		b = i;
		if (b - a < 8 || b - a >= sizeof(tok))
			continue;
		memcpy(tok, s + a, b - a);
		tok[b - a] = '\0';
		kind = hd_secret_value_kind(tok);
		if (!kind)
			continue;
		if (strstr(kind, "URL")) {
			/* scheme://user:password@host: only the password. */
			const char *p = strstr(tok, "://"), *at = p ? strchr(p + 3, '@') : NULL;
			const char *colon = p ? strchr(p + 3, ':') : NULL;

			if (p && at && colon && colon < at)
				r = add_span(sp, a + (size_t)(colon + 1 - tok), a + (size_t)(at - tok));
			else
				r = add_span(sp, a, b);
		} else {
			r = add_span(sp, a, b);
		}
		if (r < 0)
			return r;
	}
	return 0;
}

static int scan_known(struct spans *sp, const char *s, size_t len, const struct hd_strlist *known)
{
	size_t k;
	int r;

	for (k = 0; known && k < known->n; k++) {
		const char *v = known->v[k], *p = s;
		size_t n = strlen(v);

		while ((p = memmem(p, len - (size_t)(p - s), v, n))) {
			r = add_span(sp, (size_t)(p - s), (size_t)(p - s) + n);
			if (r < 0)
				return r;
			p += n;
			if ((size_t)(p - s) >= len)
				break;
		}
	}
	return 0;
}

static int span_cmp(const void *pa, const void *pb)
{
	const struct span *a = pa, *b = pb;

	return a->a < b->a ? -1 : a->a > b->a ? 1 : (a->b < b->b ? -1 : a->b > b->b);
}

/* ---- texts known to hold nothing to mask ---------------------------------------------- */

#define CACHE_SLOTS 8192   /* a power of two */
#define CACHE_MAX_TEXT 1024 /* longer texts are not kept */

struct hd_mask_cache {
	struct clean {
		uint64_t h; /* 0: free */
		char *text;
	} *slot;
	size_t n;
};

struct hd_mask_cache *hd_mask_cache_new(void)
{
	struct hd_mask_cache *c = hd_calloc(1, sizeof(*c));

	if (c && !(c->slot = hd_calloc(CACHE_SLOTS, sizeof(*c->slot)))) {
		hd_free(c);
		c = NULL;
	}
	return c;
}

static void cache_clear(struct hd_mask_cache *c)
{
	for (size_t i = 0; i < CACHE_SLOTS; i++) {
		hd_free(c->slot[i].text);
		c->slot[i].text = NULL;
		c->slot[i].h = 0;
	}
	c->n = 0;
}

void hd_mask_cache_free(struct hd_mask_cache *c)
{
	if (!c)
		return;
	cache_clear(c);
	hd_free(c->slot);
	hd_free(c);
}

/* A hash of s[0..len), eight bytes at a time; never 0. */
static uint64_t text_hash(const char *s, size_t len)
{
	uint64_t h = 0x9e3779b97f4a7c15u ^ len, w;
	size_t i = 0;

	for (; i + 8 <= len; i += 8) {
		memcpy(&w, s + i, 8);
		h = (h ^ w) * 0xff51afd7ed558ccdu;
		h ^= h >> 32;
	}
	if (i < len) {
		w = 0;
		memcpy(&w, s + i, len - i);
		h = (h ^ w) * 0xc4ceb9fe1a85ec53u;
	}
	h ^= h >> 29;
	return h | 1;
}

/* The slot of text s (hash h): the one holding it, or the free one where it would go. */
static struct clean *cache_slot(struct hd_mask_cache *c, const char *s, size_t len, uint64_t h)
{
	size_t i, mask = CACHE_SLOTS - 1;

	for (i = h & mask; c->slot[i].h; i = (i + 1) & mask) {
		if (c->slot[i].h == h && strncmp(c->slot[i].text, s, len) == 0 && c->slot[i].text[len] == '\0')
			break;
	}
	return &c->slot[i];
}

/* Remembers that s holds nothing to mask by name or shape (a full cache starts again empty). */
static void cache_put(struct hd_mask_cache *c, const char *s, size_t len, uint64_t h)
{
	struct clean *e;

	if (len > CACHE_MAX_TEXT)
		return;
	if ((c->n + 1) * 2 > CACHE_SLOTS)
		cache_clear(c);
	e = cache_slot(c, s, len, h);
	if (e->h)
		return;
	e->text = hd_strndup(s, len);
	if (e->text) {
		e->h = h;
		c->n++;
	}
}

static char *mask_text(const char *s, const struct hd_strlist *known, struct hd_mask_cache *cache, int *err)
{
	struct spans sp = { 0 };
	struct hd_buf out = HD_BUF_INIT(HD_MAX_MESSAGE * 4 + strlen(s) * 2);
	size_t len = strlen(s), i, at = 0;
	uint64_t h = 0;
	char *ret = NULL;
	int r = 0;

	*err = 0;
	/*
	 * Names and shapes depend on the text alone: a text found clean once
	 * (most messages repeat, from file to file) is not scanned again.
	 */
	if (cache && len <= CACHE_MAX_TEXT) {
		h = text_hash(s, len);
		if (cache_slot(cache, s, len, h)->h)
			goto known_values;
	}
	/* Only a secret's name makes an assignment masked: most texts hold none. */
	if (hd_secret_name_possible(s, len))
		r = scan_assignments(&sp, s, len);
	if (r >= 0)
		r = scan_shapes(&sp, s, len);
	if (r >= 0 && !sp.n && h)
		cache_put(cache, s, len, h);
known_values:
	if (r >= 0)
		r = scan_known(&sp, s, len, known);
	if (r < 0 || !sp.n)
		goto out;
	qsort(sp.v, sp.n, sizeof(*sp.v), span_cmp);
	for (i = 0; i < sp.n && r >= 0; i++) {
		size_t a = sp.v[i].a, b = sp.v[i].b;

		if (b <= at)
			continue; /* inside a span already masked */
		if (a < at)
			a = at;
		r = hd_buf_add(&out, s + at, a - at);
		if (r >= 0)
			r = hd_buf_addstr(&out, HD_MASK);
		/* Spans that overlap this one join it. */
		while (r >= 0 && i + 1 < sp.n && sp.v[i + 1].a < b) {
			if (sp.v[i + 1].b > b)
				b = sp.v[i + 1].b;
			i++;
		}
		at = b;
	}
	if (r >= 0)
		r = hd_buf_add(&out, s + at, len - at);
	if (r >= 0)
		ret = hd_buf_detach(&out, NULL);
	if (r >= 0 && !ret)
		r = -HD_ENOMEM;
out:
	hd_free(sp.v);
	hd_buf_release(&out);
	if (r < 0)
		*err = r == -HD_ETOOBIG ? 0 : r;
	return r < 0 ? NULL : ret;
}

char *hd_mask_text(const char *s, const struct hd_strlist *known, int *err)
{
	return mask_text(s, known, NULL, err);
}

/* Replaces *field (a string of f's arena) by its masked form when it has a secret. */
static int mask_field(struct hd_findings *f, char **field, const struct hd_strlist *known,
		      struct hd_mask_cache *cache)
{
	char *m;
	int err;

	if (!*field)
		return 0;
	m = mask_text(*field, known, cache, &err);
	if (!m)
		return err;
	*field = hd_findings_strndup(f, m, strlen(m));
	hd_free(m);
	return *field ? 0 : -HD_ENOMEM;
}

/*
 * Findings of one line share its source line: a snippet equal to the one
 * before is given that one's result instead of being scanned again (the raw
 * strings stay valid in f's arena).
 */
int hd_mask_findings(struct hd_findings *f, size_t from, const struct hd_strlist *known,
		     struct hd_mask_cache *cache)
{
	const char *prev_raw = NULL;
	char *prev_masked = NULL;
	size_t i;
	int r = 0;

	for (i = from; i < f->n && r >= 0; i++) {
		char *raw = f->v[i].snippet;

		r = mask_field(f, &f->v[i].message, known, cache);
		if (r < 0 || !raw)
			continue;
		if (prev_raw && (raw == prev_raw || strcmp(raw, prev_raw) == 0)) {
			f->v[i].snippet = prev_masked;
			continue;
		}
		r = mask_field(f, &f->v[i].snippet, known, cache);
		prev_raw = raw;
		prev_masked = f->v[i].snippet;
	}
	return r;
}
