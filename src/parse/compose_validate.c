/*
 * Structural check of one compose file against the table generated from the
 * compose specification: unknown keys and values of the wrong YAML type
 * become HD_CI_INVALID issues at the offending key or value.  x- keys are
 * skipped wherever the specification allows them.  Issues per file are
 * capped so a file of the wrong kind does not flood the report.
 */
#include "core/common.h"
#include "parse/compose_node.h"
#include "parse/compose_schema.h"

#define MAX_ISSUES_PER_FILE 100u

struct vctx {
	struct hd_compose_issues *issues;
	unsigned count;
	char path[512];
	size_t plen;
};

static unsigned node_type(const struct hd_cn *n)
{
	switch (n->kind) {
	case HD_CN_NULL:
		return HD_CS_NULL;
	case HD_CN_MAP:
		return HD_CS_OBJECT;
	case HD_CN_SEQ:
		return HD_CS_ARRAY;
	default:
		if (n->flags & HD_CN_QUOTED)
			return HD_CS_STRING;
		if (hd_cn_is_bool(n, NULL))
			return HD_CS_BOOL;
		if (hd_cn_is_int(n, NULL))
			return HD_CS_INT;
		if (hd_cn_is_number(n))
			return HD_CS_NUMBER;
		return HD_CS_STRING;
	}
}

static const char *type_name(unsigned t)
{
	switch (t) {
	case HD_CS_NULL: return "an empty value";
	case HD_CS_BOOL: return "a boolean";
	case HD_CS_INT: return "an integer";
	case HD_CS_NUMBER: return "a number";
	case HD_CS_STRING: return "a string";
	case HD_CS_ARRAY: return "a list";
	default: return "a mapping";
	}
}

static void expected(unsigned types, char *buf, size_t size)
{
	static const struct { unsigned bit; const char *name; } names[] = {
		{ HD_CS_OBJECT, "a mapping" }, { HD_CS_ARRAY, "a list" }, { HD_CS_STRING, "a string" },
		{ HD_CS_NUMBER, "a number" },  { HD_CS_INT, "an integer" }, { HD_CS_BOOL, "a boolean" },
		{ HD_CS_NULL, "empty" },
	};
	size_t i, len = 0;
	unsigned seen = 0;

	buf[0] = '\0';
	for (i = 0; i < HD_ARRAY_SIZE(names); i++) {
		int w;

		if (!(types & names[i].bit) || (names[i].bit == HD_CS_INT && (seen & HD_CS_NUMBER)))
			continue;
		seen |= names[i].bit;
		w = snprintf(buf + len, size - len, "%s%s", len ? " or " : "", names[i].name);
		if (w < 0 || (size_t)w >= size - len)
			return;
		len += (size_t)w;
	}
}

static bool type_ok(unsigned allowed, unsigned t)
{
	if (allowed & t)
		return true;
	/* A string that looks like a number or boolean is still fine where strings are. */
	return false;
}

static int issue(struct vctx *v, uint32_t line, uint32_t col, const char *file, const char *fmt, ...)
	__attribute__((format(printf, 5, 6)));
static int issue(struct vctx *v, uint32_t line, uint32_t col, const char *file, const char *fmt, ...)
{
	char msg[HD_MAX_MESSAGE];
	va_list ap;

	if (v->count++ >= MAX_ISSUES_PER_FILE)
		return 0;
	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	if (v->count == MAX_ISSUES_PER_FILE)
		return hd_compose_issue_add(v->issues, HD_CI_INVALID, file, line, col,
					    "%s (further structural errors in this file not shown)", msg);
	return hd_compose_issue_add(v->issues, HD_CI_INVALID, file, line, col, "%s", msg);
}

static size_t path_push(struct vctx *v, const char *seg, bool index, uint32_t i)
{
	size_t old = v->plen;
	int w;

	if (index)
		w = snprintf(v->path + v->plen, sizeof(v->path) - v->plen, "[%" PRIu32 "]", i);
	else
		w = snprintf(v->path + v->plen, sizeof(v->path) - v->plen, "%s%s", v->plen ? "." : "", seg);
	if (w > 0)
		v->plen = (size_t)w >= sizeof(v->path) - v->plen ? sizeof(v->path) - 1 : v->plen + (size_t)w;
	return old;
}

static void path_pop(struct vctx *v, size_t old)
{
	v->plen = old;
	v->path[old] = '\0';
}

static const struct hd_cs_prop *find_prop(const struct hd_cs_node *s, const char *key)
{
	size_t lo = s->props, hi = (size_t)s->props + s->nprops;

	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		int c = strcmp(key, hd_cs_props[mid].name);

		if (c == 0)
			return &hd_cs_props[mid];
		if (c < 0)
			hi = mid;
		else
			lo = mid + 1;
	}
	return NULL;
}

static int check(struct vctx *v, const struct hd_cn *n, int si, uint32_t kline, uint32_t kcol)
{
	const struct hd_cs_node *s;
	unsigned t;
	uint32_t i;
	int r;

	if (si < 0 || v->count >= MAX_ISSUES_PER_FILE)
		return 0;
	s = &hd_cs_nodes[si];
	t = node_type(n);
	if (n->flags & (HD_CN_RESET | HD_CN_UNSET))
		return 0; /* !reset removes the value; an unset variable's value is unknown */
	/* An empty value leaves the setting at its default; compose accepts it. */
	if (t == HD_CS_NULL)
		return 0;
	if (!type_ok(s->types, t)) {
		char exp[160];

		expected(s->types, exp, sizeof(exp));
		return issue(v, kline ? kline : n->line, kline ? kcol : n->col, n->file,
			     "'%s' must be %s, not %s", v->path[0] ? v->path : "the file", exp, type_name(t));
	}
	if (n->kind == HD_CN_MAP) {
		for (i = 0; i < n->n; i++) {
			const struct hd_cn_pair *p = &n->pairs[i];
			const struct hd_cs_prop *prop = find_prop(s, p->key);
			int child;
			size_t old;

			if (prop) {
				child = prop->node;
			} else if ((s->flags & HD_CS_X_OK) && hd_starts_with(p->key, "x-")) {
				continue;
			} else if (s->other >= 0) {
				child = s->other;
			} else if (s->flags & HD_CS_ANY_KEY) {
				continue;
			} else {
				r = issue(v, p->line, p->col, n->file, v->plen ? "unknown key '%s' in '%s'" :
					  "unknown top-level key '%s'%s", p->key, v->path);
				if (r < 0)
					return r;
				continue;
			}
			old = path_push(v, p->key, false, 0);
			r = check(v, p->val, child, p->line, p->col);
			path_pop(v, old);
			if (r < 0)
				return r;
		}
	} else if (n->kind == HD_CN_SEQ && s->items >= 0) {
		for (i = 0; i < n->n; i++) {
			size_t old = path_push(v, NULL, true, i);

			r = check(v, n->items[i], s->items, 0, 0);
			path_pop(v, old);
			if (r < 0)
				return r;
		}
	}
	return 0;
}

int hd_compose_validate(const struct hd_cn *root, struct hd_compose_issues *issues)
{
	struct vctx v;

	if (!root)
		return 0;
	memset(&v, 0, sizeof(v));
	v.issues = issues;
	return check(&v, root, 0, 0, 0);
}
