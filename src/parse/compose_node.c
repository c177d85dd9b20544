/*
 * Builds the compose loader's positioned YAML tree from libfyaml events:
 * an arena, a stack of open collections, an anchor table (aliases share the
 * anchored node), merge keys, duplicate-key detection, interpolation of
 * scalar values, and the expansion budget that stops alias bombs.
 */
#include "core/common.h"
#include "core/buf.h"
#include "parse/compose_node.h"
#include "parse/yaml.h"

#include <libfyaml.h>

/* ---- arena ---------------------------------------------------------------- */

struct hd_cn_chunk {
	struct hd_cn_chunk *next;
	size_t used, size;
	_Alignas(16) unsigned char data[];
};

#define CN_CHUNK (64u * 1024)

void hd_cn_ctx_init(struct hd_cn_ctx *cx, struct hd_compose_issues *issues)
{
	memset(cx, 0, sizeof(*cx));
	cx->issues = issues;
}

void hd_cn_ctx_release(struct hd_cn_ctx *cx)
{
	struct hd_cn_chunk *c, *next;

	if (!cx)
		return;
	for (c = cx->chunks; c; c = next) {
		next = c->next;
		hd_free(c);
	}
	cx->chunks = NULL;
}

void *hd_cn_alloc(struct hd_cn_ctx *cx, size_t n)
{
	struct hd_cn_chunk *c = cx->chunks;
	size_t need, sz;
	void *p;

	n = (n + 15) & ~(size_t)15;
	if (!c || c->size - c->used < n) {
		sz = n > CN_CHUNK / 4 ? n : CN_CHUNK;
		if (!hd_size_add(sz, sizeof(*c), &need))
			return NULL;
		c = hd_malloc(need);
		if (!c)
			return NULL;
		c->used = 0;
		c->size = sz;
		if (sz == n && cx->chunks) {
			/* A big block goes behind the current chunk, which keeps filling. */
			c->next = cx->chunks->next;
			cx->chunks->next = c;
		} else {
			c->next = cx->chunks;
			cx->chunks = c;
		}
	}
	p = c->data + c->used;
	c->used += n;
	return p;
}

const char *hd_cn_strdup(struct hd_cn_ctx *cx, const char *s, size_t n)
{
	char *p;
	size_t sz;

	if (!hd_size_add(n, 1, &sz))
		return NULL;
	p = hd_cn_alloc(cx, sz);
	if (!p)
		return NULL;
	if (n)
		memcpy(p, s, n);
	p[n] = '\0';
	return p;
}

struct hd_cn *hd_cn_new(struct hd_cn_ctx *cx, enum hd_cn_kind kind, const char *file, uint32_t line,
			uint32_t col)
{
	struct hd_cn *n = hd_cn_alloc(cx, sizeof(*n));

	if (!n)
		return NULL;
	memset(n, 0, sizeof(*n));
	n->kind = (uint8_t)kind;
	n->file = file;
	n->line = line;
	n->col = col;
	n->size = 1;
	n->s = "";
	cx->nodes++;
	return n;
}

static uint32_t sat_add(uint32_t a, uint32_t b)
{
	return a > UINT32_MAX - b ? UINT32_MAX : a + b;
}

void hd_cn_fix_size(struct hd_cn *n)
{
	uint32_t i, size = 1;

	if (n->kind == HD_CN_MAP) {
		for (i = 0; i < n->n; i++)
			size = sat_add(size, sat_add(1, n->pairs[i].val->size));
	} else if (n->kind == HD_CN_SEQ) {
		for (i = 0; i < n->n; i++)
			size = sat_add(size, n->items[i]->size);
	}
	n->size = size;
}

/* ---- look-ups and scalar typing -------------------------------------------- */

const struct hd_cn_pair *hd_cn_pair_get(const struct hd_cn *n, const char *key)
{
	uint32_t i;

	if (!n || n->kind != HD_CN_MAP)
		return NULL;
	for (i = 0; i < n->n; i++) {
		if (strcmp(n->pairs[i].key, key) == 0)
			return &n->pairs[i];
	}
	return NULL;
}

struct hd_cn *hd_cn_get(const struct hd_cn *n, const char *key)
{
	const struct hd_cn_pair *p = hd_cn_pair_get(n, key);

	return p ? p->val : NULL;
}

const char *hd_cn_str(const struct hd_cn *n)
{
	return n && n->kind == HD_CN_STR ? n->s : NULL;
}

bool hd_cn_is_bool(const struct hd_cn *n, bool *value)
{
	static const char *const t[] = { "true", "True", "TRUE" }, *const f[] = { "false", "False", "FALSE" };
	size_t i;

	if (!n || n->kind != HD_CN_STR || (n->flags & HD_CN_QUOTED))
		return false;
	for (i = 0; i < 3; i++) {
		if (strcmp(n->s, t[i]) == 0 || strcmp(n->s, f[i]) == 0) {
			if (value)
				*value = strcmp(n->s, t[i]) == 0;
			return true;
		}
	}
	return false;
}

bool hd_cn_is_int(const struct hd_cn *n, int64_t *value)
{
	int64_t v;

	if (!n || n->kind != HD_CN_STR || (n->flags & HD_CN_QUOTED))
		return false;
	if (hd_parse_i64(n->s, INT64_MIN, INT64_MAX, &v) < 0)
		return false;
	if (value)
		*value = v;
	return true;
}

bool hd_cn_is_number(const struct hd_cn *n)
{
	const char *s;
	bool digits = false;

	if (hd_cn_is_int(n, NULL))
		return true;
	if (!n || n->kind != HD_CN_STR || (n->flags & HD_CN_QUOTED))
		return false;
	s = n->s;
	if (*s == '-' || *s == '+')
		s++;
	if (strcmp(s, ".inf") == 0 || strcmp(s, ".Inf") == 0 || strcmp(s, ".INF") == 0)
		return true;
	while (isdigit((unsigned char)*s)) {
		s++;
		digits = true;
	}
	if (*s == '.') {
		s++;
		while (isdigit((unsigned char)*s)) {
			s++;
			digits = true;
		}
	}
	if (!digits)
		return false;
	if (*s == 'e' || *s == 'E') {
		s++;
		if (*s == '-' || *s == '+')
			s++;
		if (!isdigit((unsigned char)*s))
			return false;
		while (isdigit((unsigned char)*s))
			s++;
	}
	return *s == '\0';
}

/* ---- building from events ------------------------------------------------- */

struct anchor {
	const char *name;
	struct hd_cn *node;
};

struct frame {
	enum hd_cn_kind kind;
	uint8_t flags;
	uint32_t line, col;
	const char *anchor;
	/* Mapping: pairs so far, and the pending key. */
	struct hd_cn_pair *pairs;
	size_t n, alloc;
	bool have_key;
	bool bad_key;     /* the pending key was not a scalar */
	struct hd_cn_pair key;
	/* Sequence: items so far. */
	struct hd_cn **items;
};

struct builder {
	struct hd_cn_ctx *cx;
	const char *file;
	struct frame *stack;
	size_t depth, alloc;
	struct anchor *anchors; /* open-addressing hash table */
	size_t n_anchors, cap_anchors;
	struct hd_cn *doc;      /* the finished document root */
	bool done;
	struct hd_buf text;     /* the scalar being read (hd_yaml_token_text) */
};

static uint64_t hash_str(const char *s)
{
	uint64_t h = 1469598103934665603ull;

	while (*s) {
		h ^= (unsigned char)*s++;
		h *= 1099511628211ull;
	}
	return h;
}

static int anchor_set(struct builder *b, const char *name, struct hd_cn *node)
{
	size_t i, mask;

	if (b->n_anchors * 2 >= b->cap_anchors) {
		size_t cap = b->cap_anchors ? b->cap_anchors * 2 : 64;
		struct anchor *t = hd_calloc(cap, sizeof(*t)), *old = b->anchors;
		size_t oldcap = b->cap_anchors;

		if (!t)
			return -HD_ENOMEM;
		b->anchors = t;
		b->cap_anchors = cap;
		b->n_anchors = 0;
		for (i = 0; i < oldcap; i++) {
			if (old[i].name) {
				size_t j = hash_str(old[i].name) & (cap - 1);

				while (t[j].name)
					j = (j + 1) & (cap - 1);
				t[j] = old[i];
				b->n_anchors++;
			}
		}
		hd_free(old);
	}
	mask = b->cap_anchors - 1;
	for (i = hash_str(name) & mask; b->anchors[i].name; i = (i + 1) & mask) {
		if (strcmp(b->anchors[i].name, name) == 0) {
			b->anchors[i].node = node; /* redefinition: later wins, as YAML says */
			return 0;
		}
	}
	b->anchors[i].name = name;
	b->anchors[i].node = node;
	b->n_anchors++;
	return 0;
}

static struct hd_cn *anchor_get(struct builder *b, const char *name)
{
	size_t i, mask;

	if (!b->cap_anchors)
		return NULL;
	mask = b->cap_anchors - 1;
	for (i = hash_str(name) & mask; b->anchors[i].name; i = (i + 1) & mask) {
		if (strcmp(b->anchors[i].name, name) == 0)
			return b->anchors[i].node;
	}
	return NULL;
}

static void mark_pos(struct fy_token *t, uint32_t *line, uint32_t *col)
{
	const struct fy_mark *m = t ? fy_token_start_mark(t) : NULL;

	*line = m ? (uint32_t)m->line + 1 : 0;
	*col = m ? (uint32_t)m->column + 1 : 0;
}

static int syntax(struct builder *b, uint32_t line, uint32_t col, const char *msg)
{
	int r = hd_compose_issue_add(b->cx->issues, HD_CI_SYNTAX, b->file, line, col, "%s", msg);

	return r < 0 ? r : -HD_EPARSE;
}

static int check_size(struct builder *b, struct hd_cn *n)
{
	if (n->size > HD_MAX_YAML_NODES || b->cx->nodes > HD_MAX_YAML_NODES) {
		char msg[160];

		snprintf(msg, sizeof(msg), "document too large: more than %u nodes once aliases are expanded",
			 HD_MAX_YAML_NODES);
		return syntax(b, n->line, n->col, msg);
	}
	return 0;
}

static int dup_cmp(const void *pa, const void *pb)
{
	const struct hd_cn_pair *const *a = pa, *const *b = pb;
	int c = strcmp((*a)->key, (*b)->key);

	if (c)
		return c;
	/* Position order, so the later duplicate is reported. */
	if ((*a)->line != (*b)->line)
		return (*a)->line < (*b)->line ? -1 : 1;
	return (*a)->col < (*b)->col ? -1 : (*a)->col > (*b)->col;
}

/* A set of key strings, for merge keys (mappings can be large). */
struct keyset {
	const char **v;
	size_t cap;
};

static int keyset_init(struct keyset *ks, size_t n)
{
	size_t cap = 16;

	while (cap < n * 2)
		cap *= 2;
	ks->v = hd_calloc(cap, sizeof(*ks->v));
	ks->cap = cap;
	return ks->v ? 0 : -HD_ENOMEM;
}

/* Returns 1 if key was there, 0 if added. */
static int keyset_add(struct keyset *ks, const char *key)
{
	size_t i, mask = ks->cap - 1;

	for (i = hash_str(key) & mask; ks->v[i]; i = (i + 1) & mask) {
		if (strcmp(ks->v[i], key) == 0)
			return 1;
	}
	ks->v[i] = key;
	return 0;
}

/*
 * Finishes a mapping: reports duplicate keys (the later one wins), then
 * applies merge keys (`<<: *a` or `<<: [*a, *b]`: keys not given explicitly
 * come from the merged mappings, earlier ones first).
 */
static int finish_map(struct builder *b, struct frame *f, struct hd_cn *n)
{
	struct hd_cn_pair **sorted = NULL, *out;
	size_t i, j, k, nmerged = 0, total;
	bool has_merge = false, has_dup = false;
	struct keyset ks = { NULL, 0 };
	int r = 0;

	for (i = 0; i < f->n; i++) {
		if (strcmp(f->pairs[i].key, "<<") == 0)
			has_merge = true;
	}
	if (f->n > 1) {
		sorted = hd_malloc(f->n * sizeof(*sorted));
		if (!sorted)
			return -HD_ENOMEM;
		for (i = 0; i < f->n; i++)
			sorted[i] = &f->pairs[i];
		qsort(sorted, f->n, sizeof(*sorted), dup_cmp);
		for (i = 1; i < f->n; i++) {
			if (strcmp(sorted[i]->key, sorted[i - 1]->key) == 0 && strcmp(sorted[i]->key, "<<") != 0) {
				r = hd_compose_issue_add(b->cx->issues, HD_CI_INVALID, b->file, sorted[i]->line,
							 sorted[i]->col, "duplicate key '%s' (first at line %u)",
							 sorted[i]->key, sorted[i - 1]->line);
				if (r < 0)
					goto out;
				sorted[i - 1]->key = NULL; /* dropped: the later value wins */
				has_dup = true;
			}
		}
	}
	if (has_merge) {
		for (i = 0; i < f->n; i++) {
			struct hd_cn *v = f->pairs[i].val;

			if (!f->pairs[i].key || strcmp(f->pairs[i].key, "<<") != 0)
				continue;
			if (v->kind == HD_CN_MAP) {
				nmerged += v->n;
			} else if (v->kind == HD_CN_SEQ) {
				for (j = 0; j < v->n; j++) {
					if (v->items[j]->kind == HD_CN_MAP)
						nmerged += v->items[j]->n;
				}
			}
		}
	}
	if (!hd_size_add(f->n, nmerged, &total) || total > UINT32_MAX) {
		r = -HD_ENOMEM;
		goto out;
	}
	out = hd_cn_alloc(b->cx, total * sizeof(*out) + 1);
	if (!out) {
		r = -HD_ENOMEM;
		goto out;
	}
	k = 0;
	for (i = 0; i < f->n; i++) {
		if (f->pairs[i].key && strcmp(f->pairs[i].key, "<<") != 0)
			out[k++] = f->pairs[i];
	}
	if (has_merge) {
		if (nmerged > HD_MAX_YAML_NODES) {
			r = syntax(b, f->line, f->col, "too many keys merged by '<<'");
			goto out;
		}
		r = keyset_init(&ks, k + nmerged);
		if (r < 0)
			goto out;
		for (i = 0; i < k; i++) {
			r = keyset_add(&ks, out[i].key);
			if (r < 0)
				goto out;
		}
		r = 0;

		for (i = 0; i < f->n; i++) {
			struct hd_cn *v = f->pairs[i].val;
			struct hd_cn *srcs1[1], **srcs;
			size_t ns;

			if (!f->pairs[i].key || strcmp(f->pairs[i].key, "<<") != 0)
				continue;
			if (v->kind == HD_CN_MAP) {
				srcs1[0] = v;
				srcs = srcs1;
				ns = 1;
			} else if (v->kind == HD_CN_SEQ) {
				srcs = v->items;
				ns = v->n;
			} else {
				r = hd_compose_issue_add(b->cx->issues, HD_CI_INVALID, b->file, f->pairs[i].line,
							 f->pairs[i].col,
							 "merge key '<<' needs a mapping or a list of mappings");
				if (r < 0)
					goto out;
				continue;
			}
			for (j = 0; j < ns; j++) {
				struct hd_cn *m = srcs[j];
				uint32_t q;

				if (m->kind != HD_CN_MAP) {
					r = hd_compose_issue_add(b->cx->issues, HD_CI_INVALID, b->file, m->line, m->col,
								 "merge key '<<' needs mappings");
					if (r < 0)
						goto out;
					continue;
				}
				for (q = 0; q < m->n; q++) {
					/* Explicit keys and earlier merged mappings win. */
					r = keyset_add(&ks, m->pairs[q].key);
					if (r < 0)
						goto out;
					if (r == 0)
						out[k++] = m->pairs[q];
				}
			}
		}
		r = 0;
	}
	(void)has_dup;
	n->pairs = out;
	n->n = (uint32_t)k;
	hd_cn_fix_size(n);
out:
	hd_free(ks.v);
	hd_free(sorted);
	return r;
}

static int push(struct builder *b, enum hd_cn_kind kind, struct fy_token *anchor, struct fy_token *tag,
		uint32_t line, uint32_t col)
{
	struct frame *f;

	if (b->depth >= HD_MAX_YAML_DEPTH)
		return syntax(b, line, col, "nesting too deep");
	if (HD_GROW(b->stack, b->alloc, b->depth + 1) < 0)
		return -HD_ENOMEM;
	f = &b->stack[b->depth++];
	memset(f, 0, sizeof(*f));
	f->kind = kind;
	f->line = line;
	f->col = col;
	if (anchor) {
		size_t len;
		const char *t = fy_token_get_text(anchor, &len);

		f->anchor = t ? hd_cn_strdup(b->cx, t, len) : NULL;
		if (t && !f->anchor)
			return -HD_ENOMEM;
	}
	if (tag) {
		size_t len;
		const char *t = fy_token_get_text(tag, &len);

		if (t && len >= 6 && memcmp(t + len - 5, "reset", 5) == 0)
			f->flags |= HD_CN_RESET;
		else if (t && len >= 9 && memcmp(t + len - 8, "override", 8) == 0)
			f->flags |= HD_CN_OVERRIDE;
	}
	return 0;
}

/* Attaches a finished value (or key) to the open collection, or makes it the root. */
static int attach(struct builder *b, struct hd_cn *v, bool is_scalar_key_candidate)
{
	struct frame *f;

	if (b->depth == 0) {
		b->doc = v;
		b->done = true;
		return 0;
	}
	f = &b->stack[b->depth - 1];
	if (f->kind == HD_CN_SEQ) {
		if (HD_GROW(f->items, f->alloc, f->n + 1) < 0)
			return -HD_ENOMEM;
		f->items[f->n++] = v;
		return 0;
	}
	if (!f->have_key) {
		f->have_key = true;
		f->key.line = v->line;
		f->key.col = v->col;
		if (v->kind == HD_CN_STR || v->kind == HD_CN_NULL) {
			f->key.key = v->kind == HD_CN_STR ? v->s : "";
			f->bad_key = false;
		} else {
			int r = hd_compose_issue_add(b->cx->issues, HD_CI_INVALID, b->file, v->line, v->col,
						     "mapping keys must be strings");
			if (r < 0)
				return r;
			f->key.key = "";
			f->bad_key = true;
		}
		(void)is_scalar_key_candidate;
		return 0;
	}
	f->have_key = false;
	if (f->bad_key)
		return 0;
	if (HD_GROW(f->pairs, f->alloc, f->n + 1) < 0)
		return -HD_ENOMEM;
	f->key.val = v;
	f->pairs[f->n++] = f->key;
	return 0;
}

static bool next_is_key(struct builder *b)
{
	return b->depth > 0 && b->stack[b->depth - 1].kind == HD_CN_MAP && !b->stack[b->depth - 1].have_key;
}

static int pop(struct builder *b)
{
	struct frame *f = &b->stack[b->depth - 1];
	struct hd_cn *n;
	int r;

	n = hd_cn_new(b->cx, f->kind, b->file, f->line, f->col);
	if (!n)
		return -HD_ENOMEM;
	n->flags = f->flags;
	if (f->kind == HD_CN_MAP) {
		r = finish_map(b, f, n);
		hd_free(f->pairs);
	} else {
		r = 0;
		n->n = (uint32_t)f->n;
		n->items = hd_cn_alloc(b->cx, f->n * sizeof(*n->items) + 1);
		if (!n->items)
			r = -HD_ENOMEM;
		else if (f->n)
			memcpy(n->items, f->items, f->n * sizeof(*n->items));
		hd_free(f->items);
		hd_cn_fix_size(n);
	}
	f->pairs = NULL;
	f->items = NULL;
	b->depth--;
	if (r < 0)
		return r;
	if (f->anchor) {
		r = anchor_set(b, f->anchor, n);
		if (r < 0)
			return r;
	}
	r = check_size(b, n);
	if (r < 0)
		return r;
	return attach(b, n, false);
}

static bool plain_null(const char *s, size_t len)
{
	return len == 0 || (len == 1 && s[0] == '~') ||
	       (len == 4 && (memcmp(s, "null", 4) == 0 || memcmp(s, "Null", 4) == 0 || memcmp(s, "NULL", 4) == 0));
}

static int scalar(struct builder *b, struct fy_event *ev)
{
	struct fy_token *t = ev->scalar.value;
	enum fy_scalar_style style = t ? fy_token_scalar_style(t) : FYSS_PLAIN;
	const char *text;
	size_t len = 0;
	struct hd_cn *n;
	uint32_t line, col;
	bool is_key = next_is_key(b);
	int r;

	mark_pos(t, &line, &col);
	/* A quoted scalar's mark is past its opening quote; point at the quote. */
	if ((style == FYSS_SINGLE_QUOTED || style == FYSS_DOUBLE_QUOTED) && col > 1)
		col--;
	r = hd_yaml_token_text(t, &b->text);
	if (r == -HD_ENOMEM)
		return r;
	if (r < 0)
		return syntax(b, line, col, "invalid YAML: a scalar whose text cannot be read");
	text = b->text.buf;
	len = b->text.len;
	if (style == FYSS_PLAIN && plain_null(text, len) && !is_key) {
		n = hd_cn_new(b->cx, HD_CN_NULL, b->file, line, col);
		if (!n)
			return -HD_ENOMEM;
	} else {
		n = hd_cn_new(b->cx, HD_CN_STR, b->file, line, col);
		if (!n)
			return -HD_ENOMEM;
		if (style != FYSS_PLAIN)
			n->flags |= HD_CN_QUOTED;
		if (!is_key && b->cx->lookup && memchr(text, '$', len)) {
			char *out = NULL, *err = NULL;
			bool unset = false;

			r = hd_compose_interpolate(text, len, b->cx->lookup, b->cx->lookup_ctx, &out, &err, &unset);
			if (unset)
				n->flags |= HD_CN_UNSET;
			if (r == -HD_ENOMEM)
				return r;
			if (r < 0) {
				r = hd_compose_issue_add(b->cx->issues, HD_CI_VARIABLE, b->file, line, col, "%s", err);
				hd_free(err);
				if (r < 0)
					return r;
				n->s = hd_cn_strdup(b->cx, text, len);
			} else {
				/*
				 * A variable neither given nor in .env stays as written
				 * ("alpine:${TAG}", not the guess "alpine:"), and
				 * HD_CN_UNSET tells the converters its value is unknown.
				 */
				n->s = hd_cn_strdup(b->cx, out, strlen(out));
				hd_free(out);
			}
		} else {
			n->s = hd_cn_strdup(b->cx, text, len);
		}
		if (!n->s)
			return -HD_ENOMEM;
		n->n = (uint32_t)strlen(n->s);
	}
	if (ev->scalar.tag) {
		size_t tl;
		const char *tt = fy_token_get_text(ev->scalar.tag, &tl);

		if (tt && tl >= 5 && memcmp(tt + tl - 5, "reset", 5) == 0)
			n->flags |= HD_CN_RESET;
		else if (tt && tl >= 8 && memcmp(tt + tl - 8, "override", 8) == 0)
			n->flags |= HD_CN_OVERRIDE;
		else if (tt && tl >= 3 && memcmp(tt + tl - 3, "str", 3) == 0 && n->kind == HD_CN_STR)
			n->flags |= HD_CN_QUOTED;
	}
	if (ev->scalar.anchor) {
		const char *a = fy_token_get_text(ev->scalar.anchor, &len);
		const char *name = a ? hd_cn_strdup(b->cx, a, len) : NULL;

		if (!name)
			return -HD_ENOMEM;
		r = anchor_set(b, name, n);
		if (r < 0)
			return r;
	}
	r = check_size(b, n);
	if (r < 0)
		return r;
	return attach(b, n, is_key);
}

static int alias(struct builder *b, struct fy_event *ev)
{
	size_t len = 0;
	const char *a = ev->alias.anchor ? fy_token_get_text(ev->alias.anchor, &len) : NULL;
	char name[256];
	struct hd_cn *n;
	uint32_t line, col;

	mark_pos(ev->alias.anchor, &line, &col);
	if (!a || len >= sizeof(name))
		return syntax(b, line, col, "invalid alias");
	memcpy(name, a, len);
	name[len] = '\0';
	n = anchor_get(b, name);
	if (!n) {
		char msg[320];

		snprintf(msg, sizeof(msg), "unknown alias '*%s'", name);
		return syntax(b, line, col, msg);
	}
	return attach(b, n, false);
}

/* Merges document d over the earlier ones: a later document's keys win. */
static struct hd_cn *merge_docs(struct hd_cn_ctx *cx, struct hd_cn *a, struct hd_cn *d)
{
	struct hd_cn *n;
	uint32_t i, k = 0;

	if (!a || a->kind != HD_CN_MAP || !d || d->kind != HD_CN_MAP)
		return d ? d : a;
	n = hd_cn_new(cx, HD_CN_MAP, a->file, a->line, a->col);
	if (!n)
		return NULL;
	n->pairs = hd_cn_alloc(cx, ((size_t)a->n + d->n) * sizeof(*n->pairs) + 1);
	if (!n->pairs)
		return NULL;
	for (i = 0; i < a->n; i++) {
		if (!hd_cn_pair_get(d, a->pairs[i].key))
			n->pairs[k++] = a->pairs[i];
	}
	for (i = 0; i < d->n; i++)
		n->pairs[k++] = d->pairs[i];
	n->n = k;
	hd_cn_fix_size(n);
	return n;
}

/* Offset of the first byte that cannot be in YAML text, or len. */
static size_t first_unprintable(const char *data, size_t len)
{
	const unsigned char *p = (const unsigned char *)data;
	size_t i = 0;

	while (i < len) {
		unsigned c = p[i];
		size_t n, k;
		uint32_t cp;

		if (c < 0x80) {
			if ((c < 0x20 && c != '\t' && c != '\n' && c != '\r') || c == 0x7f)
				return i;
			i++;
			continue;
		}
		if (c >= 0xc2 && c <= 0xdf) {
			n = 1;
			cp = c & 0x1f;
		} else if (c >= 0xe0 && c <= 0xef) {
			n = 2;
			cp = c & 0x0f;
		} else if (c >= 0xf0 && c <= 0xf4) {
			n = 3;
			cp = c & 0x07;
		} else {
			return i;
		}
		if (len - i <= n)
			return i;
		for (k = 1; k <= n; k++) {
			if ((p[i + k] & 0xc0) != 0x80)
				return i;
			cp = (cp << 6) | (p[i + k] & 0x3f);
		}
		/* Overlong forms, surrogates and values past U+10FFFF. */
		if ((n == 2 && cp < 0x800) || (n == 3 && (cp < 0x10000 || cp > 0x10ffff)) ||
		    (cp >= 0xd800 && cp <= 0xdfff))
			return i;
		i += n + 1;
	}
	return len;
}

int hd_cn_parse(struct hd_cn_ctx *cx, const char *path, const char *data, size_t len,
		struct hd_cn **ret)
{
	struct fy_diag_cfg dcfg;
	struct fy_parse_cfg pcfg;
	struct fy_diag *fyd;
	struct fy_parser *fyp = NULL;
	struct fy_event *ev;
	struct builder b;
	struct hd_cn *root = NULL;
	int r = 0;

	memset(&b, 0, sizeof(b));
	b.cx = cx;
	hd_buf_init(&b.text, HD_MAX_FILE_SIZE);
	b.file = hd_cn_strdup(cx, path ? path : "-", path ? strlen(path) : 1);
	if (!b.file)
		return -HD_ENOMEM;
	if (len > HD_MAX_FILE_SIZE)
		return syntax(&b, 0, 0, "file too large");
	/*
	 * YAML text is printable UTF-8 (YAML 1.2, 5.1), as compose's parser
	 * requires too.  Checking first also keeps bytes away from libfyaml
	 * 0.7, whose directive scanner can loop on a NUL, a control character
	 * or a broken UTF-8 sequence.
	 */
	{
		size_t bad = first_unprintable(data, len);

		if (bad < len) {
			uint32_t line = 1, col = 1;
			size_t i;

			for (i = 0; i < bad; i++) {
				if (data[i] == '\n') {
					line++;
					col = 1;
				} else {
					col++;
				}
			}
			return syntax(&b, line, col, (unsigned char)data[bad] < 0x80 ?
				      "invalid YAML: control character in the file" :
				      "invalid YAML: the file is not valid UTF-8");
		}
	}
	fy_diag_cfg_default(&dcfg);
	dcfg.fp = NULL;
	dcfg.output_fn = NULL;
	dcfg.level = FYET_ERROR;
	fyd = fy_diag_create(&dcfg);
	if (!fyd)
		return -HD_ENOMEM;
	fy_diag_set_collect_errors(fyd, true);
	memset(&pcfg, 0, sizeof(pcfg));
	pcfg.flags = FYPCF_QUIET | FYPCF_COLLECT_DIAG | FYPCF_DEFAULT_VERSION_1_2 | FYPCF_SLOPPY_FLOW_INDENTATION;
	pcfg.diag = fyd;
	fyp = fy_parser_create(&pcfg);
	if (!fyp || fy_parser_set_string(fyp, data, len) != 0) {
		r = -HD_ENOMEM;
		goto out;
	}
	while (r >= 0 && (ev = fy_parser_parse(fyp)) != NULL) {
		uint32_t line = 0, col = 0;
		const struct fy_mark *m;

		switch (ev->type) {
		case FYET_DOCUMENT_START:
			b.doc = NULL;
			b.done = false;
			break;
		case FYET_DOCUMENT_END:
			if (b.doc) {
				root = merge_docs(cx, root, b.doc);
				if (!root)
					r = -HD_ENOMEM;
			}
			b.doc = NULL;
			break;
		case FYET_MAPPING_START:
		case FYET_SEQUENCE_START:
			m = fy_event_start_mark(ev);
			if (m) {
				line = (uint32_t)m->line + 1;
				col = (uint32_t)m->column + 1;
			}
			if (ev->type == FYET_MAPPING_START)
				r = push(&b, HD_CN_MAP, ev->mapping_start.anchor, ev->mapping_start.tag, line, col);
			else
				r = push(&b, HD_CN_SEQ, ev->sequence_start.anchor, ev->sequence_start.tag, line, col);
			break;
		case FYET_MAPPING_END:
		case FYET_SEQUENCE_END:
			if (b.depth)
				r = pop(&b);
			break;
		case FYET_SCALAR:
			r = scalar(&b, ev);
			break;
		case FYET_ALIAS:
			r = alias(&b, ev);
			break;
		default:
			break;
		}
		fy_parser_event_free(fyp, ev);
	}
	if (r >= 0 && fy_parser_get_stream_error(fyp)) {
		void *it = NULL;
		struct fy_diag_error *e = fy_diag_errors_iterate(fyd, &it);
		char msg[HD_MAX_MESSAGE];

		snprintf(msg, sizeof(msg), "invalid YAML: %s", e && e->msg ? e->msg : "syntax error");
		r = syntax(&b, e ? (uint32_t)e->line + 1 : 0, e ? (uint32_t)e->column + 1 : 0, msg);
	}
out:
	while (b.depth) {
		struct frame *f = &b.stack[--b.depth];

		hd_free(f->pairs);
		hd_free(f->items);
	}
	hd_free(b.stack);
	hd_free(b.anchors);
	hd_buf_release(&b.text);
	if (fyp)
		fy_parser_destroy(fyp);
	fy_diag_destroy(fyd);
	if (r < 0)
		return r;
	*ret = root;
	return 0;
}
