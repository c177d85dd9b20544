/*
 * Findings lists, severities, and the loop that runs the catalogue's rules on
 * one subject with the configuration's enables and severity overrides.
 */
#include "core/common.h"
#include "core/config.h"
#include "core/finding.h"

static const char *const sev_names[HD_SEV_MAX] = {
	[HD_SEV_NONE] = "none",
	[HD_SEV_INFO] = "info",
	[HD_SEV_LOW] = "low",
	[HD_SEV_MEDIUM] = "medium",
	[HD_SEV_HIGH] = "high",
	[HD_SEV_CRITICAL] = "critical",
	[HD_SEV_ERROR] = "error",
};

const char *hd_severity_name(enum hd_severity s)
{
	return (unsigned)s < HD_SEV_MAX ? sev_names[s] : "unknown";
}

int hd_severity_from_name(const char *name)
{
	/* hadolint's names map onto ours so .hadolint.yaml thresholds work. */
	static const struct { const char *name; enum hd_severity sev; } aliases[] = {
		{ "style", HD_SEV_INFO },    { "warning", HD_SEV_MEDIUM }, { "warn", HD_SEV_MEDIUM },
		{ "ignore", HD_SEV_NONE },   { "off", HD_SEV_NONE },       { "moderate", HD_SEV_MEDIUM },
	};
	size_t i;

	for (i = 0; i < HD_SEV_MAX; i++) {
		if (strcasecmp(name, sev_names[i]) == 0)
			return (int)i;
	}
	for (i = 0; i < HD_ARRAY_SIZE(aliases); i++) {
		if (strcasecmp(name, aliases[i].name) == 0)
			return (int)aliases[i].sev;
	}
	return -1;
}

static const char *const target_names[HD_TARGET_MAX] = {
	[HD_TARGET_DOCKERFILE] = "dockerfile", [HD_TARGET_CONTAINER] = "container",
	[HD_TARGET_PROJECT] = "compose",       [HD_TARGET_IMAGE] = "image",
	[HD_TARGET_DAEMON] = "daemon",         [HD_TARGET_HOST] = "host",
	[HD_TARGET_ENGINE] = "engine",
};

const char *hd_target_name(enum hd_target t)
{
	return (unsigned)t < HD_TARGET_MAX ? target_names[t] : "unknown";
}

void hd_findings_init(struct hd_findings *f)
{
	f->v = NULL;
	f->n = f->alloc = 0;
}

static void finding_release(struct hd_finding *x)
{
	hd_free(x->message);
	hd_free(x->file);
	hd_free(x->object);
	hd_free(x->field);
	hd_free(x->snippet);
}

void hd_findings_release(struct hd_findings *f)
{
	size_t i;

	if (!f)
		return;
	for (i = 0; i < f->n; i++)
		finding_release(&f->v[i]);
	hd_free(f->v);
	hd_findings_init(f);
}

int hd_findings_add(struct hd_findings *f, const struct hd_rule *r, const struct hd_loc *loc,
		    const char *fmt, ...)
{
	struct hd_finding *x;
	char msg[HD_MAX_MESSAGE];
	va_list ap;
	int n;

	if (f->n >= HD_MAX_FINDINGS)
		return -HD_ETOOBIG;
	if (HD_GROW(f->v, f->alloc, f->n + 1) < 0)
		return -HD_ENOMEM;
	va_start(ap, fmt);
	n = vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	if (n < 0)
		msg[0] = '\0';
	else if ((size_t)n >= sizeof(msg))
		memcpy(msg + sizeof(msg) - 4, "...", 4);
	x = &f->v[f->n];
	memset(x, 0, sizeof(*x));
	x->rule = r;
	x->severity = r->severity;
	x->message = hd_strdup(msg);
	if (loc) {
		x->file = loc->file ? hd_strdup(loc->file) : NULL;
		x->object = loc->object ? hd_strdup(loc->object) : NULL;
		x->field = loc->field ? hd_strdup(loc->field) : NULL;
		x->line = loc->line;
		x->col = loc->col;
		x->end_line = loc->end_line;
		x->end_col = loc->end_col;
	}
	if (!x->message || (loc && ((loc->file && !x->file) || (loc->object && !x->object) ||
				    (loc->field && !x->field)))) {
		finding_release(x);
		return -HD_ENOMEM;
	}
	f->n++;
	return 0;
}

int hd_findings_move(struct hd_findings *dst, struct hd_findings *src)
{
	size_t need;

	if (!src->n)
		return 0;
	if (!dst->n) {
		hd_free(dst->v);
		*dst = *src;
		hd_findings_init(src);
		return 0;
	}
	if (!hd_size_add(dst->n, src->n, &need) || HD_GROW(dst->v, dst->alloc, need) < 0)
		return -HD_ENOMEM;
	memcpy(dst->v + dst->n, src->v, src->n * sizeof(*src->v));
	dst->n = need;
	hd_free(src->v);
	hd_findings_init(src);
	return 0;
}

static int strcmp_null(const char *a, const char *b)
{
	if (!a || !b)
		return (a != NULL) - (b != NULL);
	return strcmp(a, b);
}

static int finding_cmp(const void *pa, const void *pb)
{
	const struct hd_finding *a = pa, *b = pb;
	int c;

	if ((c = strcmp_null(a->file, b->file)))
		return c;
	if (a->line != b->line)
		return a->line < b->line ? -1 : 1;
	if (a->col != b->col)
		return a->col < b->col ? -1 : 1;
	if ((c = strcmp_null(a->object, b->object)))
		return c;
	if ((c = strcmp(a->rule->id, b->rule->id)))
		return c;
	if ((c = strcmp_null(a->field, b->field)))
		return c;
	return strcmp_null(a->message, b->message);
}

void hd_findings_sort(struct hd_findings *f)
{
	if (f->n > 1)
		qsort(f->v, f->n, sizeof(*f->v), finding_cmp);
}

void hd_findings_remove_if(struct hd_findings *f, int (*pred)(const struct hd_finding *, void *),
			   void *ctx)
{
	size_t i, j = 0;

	for (i = 0; i < f->n; i++) {
		if (pred(&f->v[i], ctx)) {
			finding_release(&f->v[i]);
			continue;
		}
		if (i != j)
			f->v[j] = f->v[i];
		j++;
	}
	f->n = j;
}

int hd_run_rules(const struct hd_model *m, struct hd_findings *out)
{
	size_t i, j, before;
	int r;

	for (i = 0; i < hd_rule_count; i++) {
		const struct hd_rule *rule = hd_rules[i];
		enum hd_severity sev;

		if (rule->target != m->kind || !rule->check)
			continue;
		if (!hd_config_rule_enabled(m->cfg, rule))
			continue;
		before = out->n;
		r = rule->check(m, rule, out);
		if (r < 0)
			return r;
		if (r == HD_RULE_NOT_APPLICABLE)
			continue;
		sev = hd_config_severity(m->cfg, rule);
		for (j = before; j < out->n; j++) {
			/* A check may raise or lower its own severity case by case (e.g.
			 * a writable sensitive mount); overrides replace only the default. */
			if (sev != rule->severity && out->v[j].rule == rule)
				out->v[j].severity = sev;
		}
	}
	return 0;
}
