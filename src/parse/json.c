/*
 * The JSON reading layer (see json.h): a strict parser that keeps every
 * member of every object in order, and views that merge the values of one
 * Go struct field the way encoding/json decodes them.  The parser handles
 * the structure ({ } [ ] , : and whitespace) itself and hands the lexically
 * hard tokens to jansson: strings with escapes and numbers that are not
 * plain integers.  Plain strings are checked for control characters and
 * UTF-8 here, plain integers parsed here; both are the common case.
 */
#include "core/common.h"
#include "core/limits.h"
#include "parse/json.h"

#include <jansson.h>

/* ---- parsing ------------------------------------------------------------------ */

struct parser {
	struct hd_jr *r;
	const char *start, *p, *end;
	unsigned flags;
	unsigned depth;
	size_t nodes;
	/* Members and items of the containers being parsed, innermost last. */
	struct hd_jmember *ms;
	size_t mn, malloc_;
	struct hd_jnode **is;
	size_t in, ialloc;
	/* The first error: message and where. */
	const char *err_at;
	char err[160];
	bool oom;
};

static int fail(struct parser *ps, const char *at, const char *fmt, ...) __attribute__((format(printf, 3, 4)));
static int fail(struct parser *ps, const char *at, const char *fmt, ...)
{
	va_list ap;

	if (ps->err_at)
		return -HD_EPROTO;
	ps->err_at = at;
	va_start(ap, fmt);
	vsnprintf(ps->err, sizeof(ps->err), fmt, ap);
	va_end(ap);
	return -HD_EPROTO;
}

static int oom(struct parser *ps)
{
	ps->oom = true;
	return -HD_ENOMEM;
}

static void skip_ws(struct parser *ps)
{
	while (ps->p < ps->end && (*ps->p == ' ' || *ps->p == '\t' || *ps->p == '\n' || *ps->p == '\r'))
		ps->p++;
}

/* Length of the valid UTF-8 sequence at s (at most n bytes), or 0. */
static size_t utf8_seq(const unsigned char *s, size_t n)
{
	unsigned c = s[0];
	size_t len, i;
	uint32_t cp;

	if (c < 0x80)
		return 1;
	if (c >= 0xC2 && c <= 0xDF) {
		len = 2;
		cp = c & 0x1F;
	} else if (c >= 0xE0 && c <= 0xEF) {
		len = 3;
		cp = c & 0x0F;
	} else if (c >= 0xF0 && c <= 0xF4) {
		len = 4;
		cp = c & 0x07;
	} else {
		return 0;
	}
	if (n < len)
		return 0;
	for (i = 1; i < len; i++) {
		if ((s[i] & 0xC0) != 0x80)
			return 0;
		cp = (cp << 6) | (s[i] & 0x3F);
	}
	/* Overlong forms, surrogates and code points past U+10FFFF. */
	if ((len == 3 && cp < 0x800) || (len == 4 && (cp < 0x10000 || cp > 0x10FFFF)) ||
	    (cp >= 0xD800 && cp <= 0xDFFF))
		return 0;
	return len;
}

static struct hd_jnode *new_node(struct parser *ps, enum hd_jtype t)
{
	struct hd_jnode *n;

	if (++ps->nodes > HD_MAX_JSON_NODES) {
		fail(ps, ps->p, "more than %u values", HD_MAX_JSON_NODES);
		return NULL;
	}
	n = hd_arena_alloc_fast(&ps->r->arena, sizeof(*n));
	if (!n) {
		oom(ps);
		return NULL;
	}
	memset(n, 0, sizeof(*n));
	n->type = t;
	return n;
}

/* The string token at ps->p (on its opening quote), decoded into the arena. */
static int parse_string(struct parser *ps, const char **ret, size_t *ret_len)
{
	const char *q = ps->p + 1, *open = ps->p;
	bool escaped = false;

	while (q < ps->end && *q != '"') {
		if (*q == '\\') {
			escaped = true;
			if (q + 1 >= ps->end)
				break;
			q += 2;
			continue;
		}
		if ((unsigned char)*q < 0x20)
			return fail(ps, q, "a control character in a string");
		q++;
	}
	if (q >= ps->end)
		return fail(ps, open, "a string without its closing quote");
	if (!escaped) {
		const unsigned char *s = (const unsigned char *)open + 1;
		size_t n = (size_t)(q - open - 1), i = 0;
		char *copy;

		while (i < n) {
			size_t k = s[i] < 0x80 ? 1 : utf8_seq(s + i, n - i);

			if (!k)
				return fail(ps, (const char *)s + i, "invalid UTF-8 in a string");
			i += k;
		}
		copy = hd_arena_strndup_fast(&ps->r->arena, open + 1, n);
		if (!copy)
			return oom(ps);
		*ret = copy;
		*ret_len = n;
	} else {
		/* Escapes, surrogate pairs and UTF-8 as jansson reads them. */
		json_error_t je;
		json_t *j = json_loadb(open, (size_t)(q + 1 - open), JSON_DECODE_ANY, &je);
		char *copy;

		if (!j || !json_is_string(j)) {
			json_decref(j);
			return fail(ps, open, "a bad string: %s", j ? "not a string" : je.text);
		}
		copy = hd_arena_strndup(&ps->r->arena, json_string_value(j), json_string_length(j));
		*ret_len = json_string_length(j);
		json_decref(j);
		if (!copy)
			return oom(ps);
		*ret = copy;
	}
	ps->p = q + 1;
	return 0;
}

static int parse_number(struct parser *ps, struct hd_jnode *n)
{
	const char *s = ps->p, *q = s;
	const char *d;
	bool plain = true;
	int64_t v = 0;

	while (q < ps->end && (isdigit((unsigned char)*q) || *q == '-' || *q == '+' || *q == '.' ||
			       *q == 'e' || *q == 'E'))
		q++;
	ps->p = q;
	/* Fast path: -?(0|[1-9][0-9]*) with at most 18 digits fits in int64. */
	d = *s == '-' ? s + 1 : s;
	if (d == q || q - d > 18 || (*d == '0' && q - d > 1))
		plain = false;
	for (const char *c = d; plain && c < q; c++) {
		if (!isdigit((unsigned char)*c))
			plain = false;
		else
			v = v * 10 + (*c - '0');
	}
	if (plain) {
		n->type = HD_JINT;
		n->u.i = *s == '-' ? -v : v;
		return 0;
	}
	{
		json_error_t je;
		json_t *j = json_loadb(s, (size_t)(q - s), JSON_DECODE_ANY, &je);

		if (json_is_integer(j)) {
			n->type = HD_JINT;
			n->u.i = (int64_t)json_integer_value(j);
		} else if (json_is_real(j)) {
			n->type = HD_JREAL;
			n->u.d = json_real_value(j);
		} else {
			json_decref(j);
			return fail(ps, s, "a bad number: %s", j ? "not a number" : je.text);
		}
		json_decref(j);
	}
	return 0;
}

static bool literal(struct parser *ps, const char *word)
{
	size_t n = strlen(word);

	if ((size_t)(ps->end - ps->p) < n || memcmp(ps->p, word, n) != 0)
		return false;
	ps->p += n;
	return true;
}

static int cmp_member_ptr(const void *a, const void *b)
{
	const struct hd_jmember *x = *(const struct hd_jmember *const *)a;
	const struct hd_jmember *y = *(const struct hd_jmember *const *)b;
	size_t n = x->key_len < y->key_len ? x->key_len : y->key_len;
	int c = memcmp(x->key, y->key, n);

	if (c)
		return c;
	return x->key_len < y->key_len ? -1 : x->key_len > y->key_len;
}

/* The first key of m[0..n) that appears twice, or NULL. */
static const struct hd_jmember *duplicate_key(struct parser *ps, const struct hd_jmember *m, size_t n)
{
	const struct hd_jmember **v;
	const struct hd_jmember *dup = NULL;
	size_t i, j;

	if (n <= 16) {
		for (i = 0; i < n; i++) {
			for (j = i + 1; j < n; j++) {
				if (m[i].key_len == m[j].key_len && !memcmp(m[i].key, m[j].key, m[i].key_len))
					return &m[j];
			}
		}
		return NULL;
	}
	v = hd_malloc(n * sizeof(*v));
	if (!v) {
		oom(ps);
		return NULL;
	}
	for (i = 0; i < n; i++)
		v[i] = &m[i];
	qsort(v, n, sizeof(*v), cmp_member_ptr);
	for (i = 1; i < n && !dup; i++) {
		if (cmp_member_ptr(&v[i - 1], &v[i]) == 0)
			dup = v[i];
	}
	hd_free(v);
	return dup;
}

static int parse_value(struct parser *ps, struct hd_jnode **ret);

static int parse_object(struct parser *ps, struct hd_jnode *n)
{
	size_t base = ps->mn, count;
	int r;

	ps->p++;
	skip_ws(ps);
	if (ps->p < ps->end && *ps->p == '}') {
		ps->p++;
		return 0;
	}
	for (;;) {
		const char *key, *key_at;
		size_t klen;
		struct hd_jnode *v;

		skip_ws(ps);
		if (ps->p >= ps->end || *ps->p != '"')
			return fail(ps, ps->p, "expected a key in quotes");
		key_at = ps->p;
		r = parse_string(ps, &key, &klen);
		if (r < 0)
			return r;
		if (memchr(key, '\0', klen))
			return fail(ps, key_at, "a NUL character in a key");
		skip_ws(ps);
		if (ps->p >= ps->end || *ps->p != ':')
			return fail(ps, ps->p, "expected ':' after a key");
		ps->p++;
		r = parse_value(ps, &v);
		if (r < 0)
			return r;
		if (HD_GROW(ps->ms, ps->malloc_, ps->mn + 1) < 0)
			return oom(ps);
		ps->ms[ps->mn].key = key;
		ps->ms[ps->mn].key_len = klen;
		ps->ms[ps->mn].val = v;
		ps->mn++;
		skip_ws(ps);
		if (ps->p < ps->end && *ps->p == ',') {
			ps->p++;
			continue;
		}
		if (ps->p < ps->end && *ps->p == '}') {
			ps->p++;
			break;
		}
		return fail(ps, ps->p, "expected ',' or '}'");
	}
	count = ps->mn - base;
	if (count > UINT32_MAX)
		return fail(ps, ps->p, "an object with too many members");
	n->u.members = hd_arena_alloc(&ps->r->arena, count * sizeof(*n->u.members));
	if (!n->u.members)
		return oom(ps);
	memcpy(n->u.members, ps->ms + base, count * sizeof(*n->u.members));
	n->n = (uint32_t)count;
	ps->mn = base;
	if (ps->flags & HD_JSON_REJECT_DUPLICATES) {
		const struct hd_jmember *dup = duplicate_key(ps, n->u.members, count);

		if (ps->oom)
			return -HD_ENOMEM;
		if (dup)
			return fail(ps, ps->p - 1, "the key '%.64s' appears twice in one object", dup->key);
	}
	return 0;
}

static int parse_array(struct parser *ps, struct hd_jnode *n)
{
	size_t base = ps->in, count;
	int r;

	ps->p++;
	skip_ws(ps);
	if (ps->p < ps->end && *ps->p == ']') {
		ps->p++;
		return 0;
	}
	for (;;) {
		struct hd_jnode *v;

		r = parse_value(ps, &v);
		if (r < 0)
			return r;
		if (HD_GROW(ps->is, ps->ialloc, ps->in + 1) < 0)
			return oom(ps);
		ps->is[ps->in++] = v;
		skip_ws(ps);
		if (ps->p < ps->end && *ps->p == ',') {
			ps->p++;
			continue;
		}
		if (ps->p < ps->end && *ps->p == ']') {
			ps->p++;
			break;
		}
		return fail(ps, ps->p, "expected ',' or ']'");
	}
	count = ps->in - base;
	if (count > UINT32_MAX)
		return fail(ps, ps->p, "an array with too many items");
	n->u.items = hd_arena_alloc(&ps->r->arena, count * sizeof(*n->u.items));
	if (!n->u.items)
		return oom(ps);
	memcpy(n->u.items, ps->is + base, count * sizeof(*n->u.items));
	n->n = (uint32_t)count;
	ps->in = base;
	return 0;
}

static int parse_value(struct parser *ps, struct hd_jnode **ret)
{
	struct hd_jnode *n;
	int r = 0;

	skip_ws(ps);
	if (ps->p >= ps->end)
		return fail(ps, ps->p, "expected a value");
	n = new_node(ps, HD_JNULL);
	if (!n)
		return ps->oom ? -HD_ENOMEM : -HD_EPROTO;
	switch (*ps->p) {
	case '{':
	case '[':
		if (++ps->depth > HD_MAX_JSON_DEPTH)
			return fail(ps, ps->p, "nested deeper than %u levels", HD_MAX_JSON_DEPTH);
		if (*ps->p == '{') {
			n->type = HD_JOBJ;
			r = parse_object(ps, n);
		} else {
			n->type = HD_JARR;
			r = parse_array(ps, n);
		}
		ps->depth--;
		break;
	case '"':
		n->type = HD_JSTR;
		r = parse_string(ps, &n->u.s.p, &n->u.s.len);
		break;
	case 't':
	case 'f':
		n->type = HD_JBOOL;
		n->b = *ps->p == 't';
		if (!literal(ps, n->b ? "true" : "false"))
			return fail(ps, ps->p, "expected a value");
		break;
	case 'n':
		if (!literal(ps, "null"))
			return fail(ps, ps->p, "expected a value");
		break;
	default:
		if (*ps->p == '-' || isdigit((unsigned char)*ps->p))
			r = parse_number(ps, n);
		else
			r = fail(ps, ps->p, "expected a value");
		break;
	}
	if (r < 0)
		return r;
	*ret = n;
	return 0;
}

int hd_jr_parse(struct hd_jr *r, const char *text, size_t len, unsigned flags, const char *noun)
{
	struct parser ps = { 0 };
	int ret;

	hd_arena_init(&r->arena, len / 2 + 256);
	r->root = NULL;
	ps.r = r;
	ps.start = ps.p = text;
	ps.end = text + len;
	ps.flags = flags;
	ret = parse_value(&ps, &r->root);
	if (ret >= 0) {
		skip_ws(&ps);
		if (ps.p < ps.end)
			ret = fail(&ps, ps.p, "more text after the document");
	}
	hd_free(ps.ms);
	hd_free(ps.is);
	if (ps.oom || ret == -HD_ENOMEM) {
		r->root = NULL;
		return -HD_ENOMEM;
	}
	if (ret < 0) {
		unsigned line = 1, col = 1;
		const char *c;

		for (c = text; c < ps.err_at && c < ps.end; c++) {
			if (*c == '\n') {
				line++;
				col = 1;
			} else {
				col++;
			}
		}
		r->root = NULL;
		if (r->d && hd_diag_set(r->d, NULL, line, col, "%s: %s is not JSON: %s at line %u column %u",
					r->what, noun, ps.err, line, col) == -HD_ENOMEM)
			return -HD_ENOMEM;
		return -HD_EPROTO;
	}
	return 0;
}

void hd_jr_release(struct hd_jr *r)
{
	if (!r)
		return;
	hd_arena_release(&r->arena);
	r->root = NULL;
}

int hd_jr_bad(struct hd_jr *r, const char *path, const char *expect)
{
	int ret;

	if (!r->d)
		return -HD_EPROTO;
	ret = hd_diag_set(r->d, NULL, 0, 0, "%s: %s: expected %s", r->what, path && *path ? path : "(document)",
			  expect);
	return ret == -HD_ENOMEM ? ret : -HD_EPROTO;
}

/* ---- keys -------------------------------------------------------------------------- */

bool hd_json_key_matches(const char *key, size_t key_len, const char *name)
{
	const unsigned char *t = (const unsigned char *)key, *end = t + key_len;
	const unsigned char *s = (const unsigned char *)name;

	for (; *s; s++) {
		if (t == end)
			return false;
		if (*t < 0x80) {
			if (*t != *s) {
				unsigned su = *s & 0xDFu;

				if (su < 'A' || su > 'Z' || su != (*t & 0xDFu))
					return false;
			}
			t++;
			continue;
		}
		/* Only two non-ASCII runes fold to ASCII letters (Go's equalFoldRight). */
		if ((*s == 'k' || *s == 'K') && end - t >= 3 && t[0] == 0xE2 && t[1] == 0x84 && t[2] == 0xAA) {
			t += 3; /* U+212A KELVIN SIGN */
			continue;
		}
		if ((*s == 's' || *s == 'S') && end - t >= 2 && t[0] == 0xC5 && t[1] == 0xBF) {
			t += 2; /* U+017F LATIN SMALL LETTER LONG S */
			continue;
		}
		return false;
	}
	return t == end;
}

/* ---- views ------------------------------------------------------------------------ */

/* "parent.key" (or "key" at the top), control characters shown as '?', bounded. */
static const char *join_path(struct hd_jr *r, const char *parent, const char *key, size_t klen)
{
	size_t pl = parent ? strlen(parent) : 0, i, o;
	char *s;

	if (klen > HD_JSON_PATH_MAX)
		klen = HD_JSON_PATH_MAX;
	s = hd_arena_alloc(&r->arena, pl + klen + 2);
	if (!s)
		return NULL;
	memcpy(s, parent, pl);
	o = pl;
	if (pl)
		s[o++] = '.';
	for (i = 0; i < klen; i++) {
		unsigned char c = (unsigned char)key[i];

		s[o++] = c < 0x20 || c == 0x7f ? '?' : (char)c;
	}
	if (o >= HD_JSON_PATH_MAX)
		o = HD_JSON_PATH_MAX - 1;
	s[o] = '\0';
	return s;
}

static const char *index_path(struct hd_jr *r, const char *parent, size_t i)
{
	size_t pl = strlen(parent);
	char *s = hd_arena_alloc(&r->arena, pl + 24);

	if (!s)
		return NULL;
	snprintf(s, pl + 24, "%s[%zu]", parent, i);
	if (strlen(s) >= HD_JSON_PATH_MAX)
		s[HD_JSON_PATH_MAX - 1] = '\0';
	return s;
}

static int view_alloc(struct hd_jr *r, struct hd_jv *v, size_t cap)
{
	v->n = 0;
	v->occ = hd_arena_alloc(&r->arena, (cap ? cap : 1) * sizeof(*v->occ));
	v->paths = hd_arena_alloc(&r->arena, (cap ? cap : 1) * sizeof(*v->paths));
	return v->occ && v->paths ? 0 : -HD_ENOMEM;
}

/*
 * Appends one value to a view under the null rules of flags: null resets a
 * nullable field and is ignored otherwise.  `at` is the value's path.
 */
static void view_push(struct hd_jv *v, const struct hd_jnode *x, const char *at, unsigned flags)
{
	if (x->type == HD_JNULL) {
		if (flags & (HD_JF_NULLABLE | HD_JF_REPLACE)) {
			v->n = 0;
			v->path = at;
		}
		return;
	}
	v->occ[v->n] = x;
	v->paths[v->n] = at;
	v->n++;
	v->path = at;
}

static void view_finish(struct hd_jv *v, unsigned flags)
{
	if ((flags & HD_JF_REPLACE) && v->n > 1) {
		v->occ[0] = v->occ[v->n - 1];
		v->paths[0] = v->paths[v->n - 1];
		v->n = 1;
	}
}

/*
 * Whether a key may match name, judged on its length and first byte alone:
 * folding never makes a key shorter than the name (only U+212A and U+017F,
 * longer than the letters they fold to, match non-ASCII), and an ASCII first
 * byte must equal the name's, up to the case of a letter.  Most keys of an
 * object fail here, before hd_json_key_matches().
 */
static inline bool key_may_match(const struct hd_jmember *m, const char *name, size_t name_len)
{
	unsigned char t = (unsigned char)m->key[0], c = (unsigned char)name[0];

	if (m->key_len < name_len)
		return false;
	if (t >= 0x80 || t == c)
		return true;
	return (t | 0x20u) == (c | 0x20u) && (c | 0x20u) >= 'a' && (c | 0x20u) <= 'z';
}

int hd_jv_field(struct hd_jr *r, const struct hd_jv *obj, const char *name, unsigned flags, struct hd_jv *ret)
{
	size_t k, i, matches = 0, first_k = 0, first_i = 0, name_len = strlen(name);
	int rc;

	for (k = 0; k < obj->n; k++) {
		const struct hd_jnode *o = obj->occ[k];

		if (o->type != HD_JOBJ)
			return hd_jr_bad(r, obj->paths[k], "an object");
		for (i = 0; i < o->n; i++) {
			const struct hd_jmember *m = &o->u.members[i];

			if (key_may_match(m, name, name_len) && hd_json_key_matches(m->key, m->key_len, name) &&
			    matches++ == 0) {
				first_k = k;
				first_i = i;
			}
		}
	}
	rc = view_alloc(r, ret, matches);
	if (rc < 0)
		return rc;
	ret->path = NULL;
	/* The matches again, from the first one (none: nothing to walk). */
	for (k = first_k; matches && k < obj->n; k++) {
		const struct hd_jnode *o = obj->occ[k];

		for (i = k == first_k ? first_i : 0; i < o->n; i++) {
			const struct hd_jmember *m = &o->u.members[i];
			const char *at;

			if (!key_may_match(m, name, name_len) || !hd_json_key_matches(m->key, m->key_len, name))
				continue;
			at = join_path(r, obj->paths[k], m->key, m->key_len);
			if (!at)
				return -HD_ENOMEM;
			view_push(ret, m->val, at, flags);
		}
	}
	view_finish(ret, flags);
	if (!ret->path) {
		ret->path = join_path(r, obj->path, name, strlen(name));
		if (!ret->path)
			return -HD_ENOMEM;
	}
	return 0;
}

static int check_all(struct hd_jr *r, const struct hd_jv *v, enum hd_jtype t, const char *expect)
{
	size_t k;

	for (k = 0; k < v->n; k++) {
		if (v->occ[k]->type != t)
			return hd_jr_bad(r, v->paths[k], expect);
	}
	return 0;
}

int hd_jv_obj(struct hd_jr *r, const struct hd_jv *obj, const char *name, unsigned flags, struct hd_jv *ret)
{
	int rc = hd_jv_field(r, obj, name, flags, ret);

	return rc < 0 ? rc : check_all(r, ret, HD_JOBJ, "an object");
}

int hd_jv_as_obj(struct hd_jr *r, const struct hd_jv *v)
{
	return check_all(r, v, HD_JOBJ, "an object");
}

int hd_jv_map(struct hd_jr *r, const struct hd_jv *obj, const char *name, unsigned flags, struct hd_jv *ret)
{
	return hd_jv_obj(r, obj, name, flags | HD_JF_NULLABLE, ret);
}

int hd_jv_arr(struct hd_jr *r, const struct hd_jv *obj, const char *name, unsigned flags, struct hd_jv *ret)
{
	size_t k, keep = 0;
	int rc;

	rc = hd_jv_field(r, obj, name, flags | HD_JF_NULLABLE, ret);
	if (rc < 0)
		return rc;
	rc = check_all(r, ret, HD_JARR, "an array");
	if (rc < 0)
		return rc;
	/* An empty array makes Go start a new slice: what came before is gone. */
	for (k = 0; k < ret->n; k++) {
		if (ret->occ[k]->n == 0)
			keep = k + 1;
	}
	if (keep) {
		const char *last = ret->paths[ret->n - 1];

		memmove(ret->occ, ret->occ + keep, (ret->n - keep) * sizeof(*ret->occ));
		memmove(ret->paths, ret->paths + keep, (ret->n - keep) * sizeof(*ret->paths));
		ret->n -= keep;
		ret->path = last;
	}
	return 0;
}

size_t hd_jv_len(const struct hd_jv *arr)
{
	return arr->n ? arr->occ[arr->n - 1]->n : 0;
}

int hd_jv_at(struct hd_jr *r, const struct hd_jv *arr, size_t i, unsigned elem_flags, struct hd_jv *ret)
{
	size_t k;
	int rc;

	rc = view_alloc(r, ret, arr->n);
	if (rc < 0)
		return rc;
	ret->path = NULL;
	for (k = 0; k < arr->n; k++) {
		const struct hd_jnode *a = arr->occ[k];
		const char *at;

		if (a->type != HD_JARR || i >= a->n)
			continue;
		at = index_path(r, arr->paths[k], i);
		if (!at)
			return -HD_ENOMEM;
		view_push(ret, a->u.items[i], at, elem_flags);
	}
	view_finish(ret, elem_flags);
	if (!ret->path && !(ret->path = index_path(r, arr->path ? arr->path : "", i)))
		return -HD_ENOMEM;
	return 0;
}

int hd_jv_as_str(struct hd_jr *r, const struct hd_jv *v, const char **ret)
{
	int rc = check_all(r, v, HD_JSTR, "a string");

	if (rc < 0)
		return rc;
	*ret = v->n ? v->occ[v->n - 1]->u.s.p : NULL;
	return 0;
}

int hd_jv_as_bool(struct hd_jr *r, const struct hd_jv *v, bool *ret, bool *present)
{
	int rc = check_all(r, v, HD_JBOOL, "a boolean");

	if (rc < 0)
		return rc;
	*ret = v->n ? v->occ[v->n - 1]->b : false;
	if (present)
		*present = v->n > 0;
	return 0;
}

int hd_jv_as_int(struct hd_jr *r, const struct hd_jv *v, int64_t *ret, bool *present)
{
	int rc = check_all(r, v, HD_JINT, "an integer");

	if (rc < 0)
		return rc;
	*ret = v->n ? v->occ[v->n - 1]->u.i : 0;
	if (present)
		*present = v->n > 0;
	return 0;
}

int hd_jv_str(struct hd_jr *r, const struct hd_jv *obj, const char *name, unsigned flags, const char **ret,
	      const char **ret_path)
{
	struct hd_jv v;
	int rc = hd_jv_field(r, obj, name, flags, &v);

	if (rc >= 0)
		rc = hd_jv_as_str(r, &v, ret);
	if (rc >= 0 && ret_path)
		*ret_path = v.path;
	return rc;
}

int hd_jv_bool(struct hd_jr *r, const struct hd_jv *obj, const char *name, unsigned flags, bool *ret,
	       bool *present, const char **ret_path)
{
	struct hd_jv v;
	int rc = hd_jv_field(r, obj, name, flags, &v);

	if (rc >= 0)
		rc = hd_jv_as_bool(r, &v, ret, present);
	if (rc >= 0 && ret_path)
		*ret_path = v.path;
	return rc;
}

int hd_jv_int(struct hd_jr *r, const struct hd_jv *obj, const char *name, unsigned flags, int64_t *ret,
	      bool *present, const char **ret_path)
{
	struct hd_jv v;
	int rc = hd_jv_field(r, obj, name, flags, &v);

	if (rc >= 0)
		rc = hd_jv_as_int(r, &v, ret, present);
	if (rc >= 0 && ret_path)
		*ret_path = v.path;
	return rc;
}

int hd_jv_strings(struct hd_jr *r, const struct hd_jv *obj, const char *name, unsigned flags,
		  int (*fn)(void *ctx, const char *s, const char *path), void *ctx)
{
	struct hd_jv v;
	size_t i, n;
	int rc;

	if (flags & HD_JF_REPLACE) {
		const struct hd_jnode *x;

		rc = hd_jv_field(r, obj, name, flags | HD_JF_NULLABLE, &v);
		if (rc < 0 || v.n == 0)
			return rc;
		x = v.occ[0];
		if (x->type == HD_JSTR)
			return fn(ctx, x->u.s.p, v.paths[0]);
		if (x->type != HD_JARR)
			return hd_jr_bad(r, v.paths[0], "an array of strings");
		for (i = 0; i < x->n; i++) {
			const struct hd_jnode *e = x->u.items[i];
			const char *at = index_path(r, v.paths[0], i);

			if (!at)
				return -HD_ENOMEM;
			/* A null element decodes as the empty string. */
			if (e->type != HD_JSTR && e->type != HD_JNULL)
				return hd_jr_bad(r, at, "a string");
			rc = fn(ctx, e->type == HD_JSTR ? e->u.s.p : "", at);
			if (rc < 0)
				return rc;
		}
		return 0;
	}
	rc = hd_jv_arr(r, obj, name, flags, &v);
	if (rc < 0)
		return rc;
	n = hd_jv_len(&v);
	for (i = 0; i < n; i++) {
		struct hd_jv e;
		const char *s;

		rc = hd_jv_at(r, &v, i, 0, &e);
		if (rc >= 0)
			rc = hd_jv_as_str(r, &e, &s);
		if (rc >= 0)
			rc = fn(ctx, s ? s : "", e.path);
		if (rc < 0)
			return rc;
	}
	return 0;
}

/* ---- maps -------------------------------------------------------------------------- */

struct entry_ref {
	const struct hd_jmember *m;
	const char *parent; /* path of the object it is in */
	size_t seq;         /* document order */
	size_t first;       /* order of the key's first appearance (set per group) */
};

static int cmp_key_seq(const void *a, const void *b)
{
	const struct entry_ref *x = a, *y = b;
	size_t n = x->m->key_len < y->m->key_len ? x->m->key_len : y->m->key_len;
	int c = memcmp(x->m->key, y->m->key, n);

	if (c)
		return c;
	if (x->m->key_len != y->m->key_len)
		return x->m->key_len < y->m->key_len ? -1 : 1;
	return x->seq < y->seq ? -1 : x->seq > y->seq;
}

static int cmp_first(const void *a, const void *b)
{
	const struct entry_ref *x = a, *y = b;

	return x->first < y->first ? -1 : x->first > y->first;
}

int hd_jv_entries(struct hd_jr *r, const struct hd_jv *map, struct hd_jentry **ret, size_t *ret_n)
{
	struct entry_ref *refs;
	struct hd_jentry *out;
	size_t total = 0, k, i, n = 0, g;
	int rc = 0;

	for (k = 0; k < map->n; k++) {
		if (map->occ[k]->type != HD_JOBJ)
			return hd_jr_bad(r, map->paths[k], "an object");
		total += map->occ[k]->n;
	}
	*ret = NULL;
	*ret_n = 0;
	if (!total)
		return 0;
	refs = hd_malloc(total * sizeof(*refs));
	if (!refs)
		return -HD_ENOMEM;
	for (k = 0; k < map->n; k++) {
		for (i = 0; i < map->occ[k]->n; i++) {
			refs[n].m = &map->occ[k]->u.members[i];
			refs[n].parent = map->paths[k];
			refs[n].seq = n;
			n++;
		}
	}
	qsort(refs, n, sizeof(*refs), cmp_key_seq);
	/* Keep the last of each key, remembering where the key first appeared. */
	for (i = 0, g = 0; i < n;) {
		size_t j = i, first = refs[i].seq;

		while (j + 1 < n && refs[j + 1].m->key_len == refs[i].m->key_len &&
		       !memcmp(refs[j + 1].m->key, refs[i].m->key, refs[i].m->key_len))
			j++;
		refs[g] = refs[j];
		refs[g].first = first;
		g++;
		i = j + 1;
	}
	qsort(refs, g, sizeof(*refs), cmp_first);
	out = hd_arena_alloc(&r->arena, g * sizeof(*out));
	if (!out) {
		rc = -HD_ENOMEM;
		goto done;
	}
	for (i = 0; i < g; i++) {
		const char *at = join_path(r, refs[i].parent, refs[i].m->key, refs[i].m->key_len);

		out[i].key = refs[i].m->key;
		out[i].key_len = refs[i].m->key_len;
		if (!at || view_alloc(r, &out[i].val, 1) < 0) {
			rc = -HD_ENOMEM;
			goto done;
		}
		out[i].val.occ[0] = refs[i].m->val;
		out[i].val.paths[0] = at;
		out[i].val.n = 1;
		out[i].val.path = at;
	}
	*ret = out;
	*ret_n = g;
done:
	hd_free(refs);
	return rc;
}

/* ---- the document ----------------------------------------------------------------- */

static int root_view(struct hd_jr *r, struct hd_jv *ret, enum hd_jtype t, const char *expect)
{
	int rc;

	if (!r->root || r->root->type != t)
		return hd_jr_bad(r, "(document)", expect);
	rc = view_alloc(r, ret, 1);
	if (rc < 0)
		return rc;
	ret->occ[0] = r->root;
	ret->paths[0] = "";
	ret->n = 1;
	ret->path = "";
	return 0;
}

int hd_jr_root(struct hd_jr *r, struct hd_jv *ret)
{
	return root_view(r, ret, HD_JOBJ, "a JSON object");
}

int hd_jr_root_array(struct hd_jr *r, struct hd_jv *ret)
{
	return root_view(r, ret, HD_JARR, "a JSON array");
}
