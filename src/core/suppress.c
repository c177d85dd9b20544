/*
 * Inline suppression comments: recognising them and filtering findings.
 */
#include "core/common.h"
#include "core/suppress.h"

void hd_suppressions_init(struct hd_suppressions *s)
{
	s->v = NULL;
	s->n = s->alloc = 0;
}

void hd_suppressions_release(struct hd_suppressions *s)
{
	size_t i;

	if (!s)
		return;
	for (i = 0; i < s->n; i++)
		hd_free(s->v[i].ids);
	hd_free(s->v);
	hd_suppressions_init(s);
}

int hd_suppressions_add(struct hd_suppressions *s, uint32_t from, uint32_t to,
			uint32_t comment_line, const char *ids, size_t ids_len)
{
	struct hd_suppression *x;

	if (HD_GROW(s->v, s->alloc, s->n + 1) < 0)
		return -HD_ENOMEM;
	x = &s->v[s->n];
	x->ids = hd_strndup(ids, ids_len);
	if (!x->ids)
		return -HD_ENOMEM;
	x->from_line = from;
	x->to_line = to;
	x->comment_line = comment_line;
	s->n++;
	return 0;
}

static const char *skip_ws(const char *p, const char *e)
{
	while (p < e && (*p == ' ' || *p == '\t'))
		p++;
	return p;
}

static const char *match_word(const char *p, const char *e, const char *w)
{
	size_t n = strlen(w);

	if ((size_t)(e - p) < n || strncasecmp(p, w, n) != 0)
		return NULL;
	return p + n;
}

int hd_suppress_parse_comment(const char *text, size_t len, const char **ids, size_t *ids_len,
			      int *global)
{
	const char *p = text, *e = text + len, *q;

	p = skip_ws(p, e);
	if (p < e && *p == '#')
		p = skip_ws(p + 1, e);
	if (!(q = match_word(p, e, "hardock")) && !(q = match_word(p, e, "hadolint")))
		return 0;
	p = skip_ws(q, e);
	*global = 0;
	if ((q = match_word(p, e, "global"))) {
		*global = 1;
		p = skip_ws(q, e);
	}
	if ((q = match_word(p, e, "ignore-file"))) {
		*global = 1;
	} else if (!(q = match_word(p, e, "ignore"))) {
		return 0;
	}
	p = skip_ws(q, e);
	if (p >= e || *p != '=')
		return 0;
	p = skip_ws(p + 1, e);
	q = p;
	while (q < e && !isspace((unsigned char)*q))
		q++;
	if (q == p)
		return 0;
	*ids = p;
	*ids_len = (size_t)(q - p);
	return 1;
}

bool hd_ids_match_rule(const char *ids, size_t len, const struct hd_rule *r)
{
	const char *p = ids, *e = ids + len;

	while (p < e) {
		const char *q = p;
		size_t n;

		while (q < e && *q != ',')
			q++;
		n = (size_t)(q - p);
		if (n) {
			char tmp[128];

			if (n < sizeof(tmp)) {
				memcpy(tmp, p, n);
				tmp[n] = '\0';
				if (strcmp(tmp, "all") == 0 || strcmp(tmp, r->id) == 0 ||
				    hd_rule_has_ref(r->hadolint, tmp))
					return true;
			}
		}
		p = q < e ? q + 1 : e;
	}
	return false;
}

struct filter_ctx {
	hd_suppress_lookup_fn *lookup;
	void *ctx;
};

static int suppressed(const struct hd_finding *f, void *vctx)
{
	const struct filter_ctx *fc = vctx;
	const struct hd_suppressions *s;
	size_t i;

	if (f->rule->flags & HD_RULE_NO_IGNORE)
		return 0;
	s = fc->lookup(fc->ctx, f->file);
	for (i = 0; s && i < s->n; i++) {
		const struct hd_suppression *x = &s->v[i];
		bool covers = (x->from_line == 0 && x->to_line == 0) ||
			      (f->line >= x->from_line && f->line <= x->to_line);

		if (covers && hd_ids_match_rule(x->ids, strlen(x->ids), f->rule))
			return 1;
	}
	return 0;
}

void hd_suppress_filter(struct hd_findings *f, const struct hd_config *cfg, hd_suppress_lookup_fn *lookup,
			void *ctx)
{
	struct filter_ctx fc = { lookup, ctx };

	if (cfg && cfg->no_inline_ignore)
		return;
	hd_findings_remove_if(f, suppressed, &fc);
}

static const struct hd_suppressions *the_only(void *ctx, const char *file)
{
	(void)file;
	return ctx;
}

void hd_suppressions_apply(const struct hd_suppressions *s, const struct hd_config *cfg,
			   struct hd_findings *f)
{
	if (!s || !s->n)
		return;
	hd_suppress_filter(f, cfg, the_only, (void *)s);
}
