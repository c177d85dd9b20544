/*
 * Findings lists, severities, and the loop that runs the catalogue's rules on
 * one subject with the configuration's enables and severity overrides.
 */
#include "core/common.h"
#include "core/config.h"
#include "core/finding.h"

#include <pthread.h>

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

/*
 * hadolint's levels on hardock's scale: error is a defect that fails the
 * build (high), warning one to fix (medium), info advice (low), style taste
 * (info).  "error" is never hardock's own "error" severity, which only the
 * tool gives to input it could not handle.
 */
static const struct sev_alias { const char *name; enum hd_severity sev; } hadolint_levels[] = {
	{ "error", HD_SEV_HIGH }, { "warning", HD_SEV_MEDIUM }, { "info", HD_SEV_LOW },
	{ "style", HD_SEV_INFO }, { "ignore", HD_SEV_NONE },    { "none", HD_SEV_NONE },
};

static int alias_find(const struct sev_alias *v, size_t n, const char *name)
{
	size_t i;

	for (i = 0; i < n; i++) {
		if (strcasecmp(name, v[i].name) == 0)
			return (int)v[i].sev;
	}
	return -1;
}

int hd_severity_from_name(const char *name)
{
	/* Other tools' names for levels hardock names differently. */
	static const struct sev_alias aliases[] = {
		{ "error", HD_SEV_HIGH },  { "style", HD_SEV_INFO }, { "warning", HD_SEV_MEDIUM },
		{ "warn", HD_SEV_MEDIUM }, { "ignore", HD_SEV_NONE }, { "off", HD_SEV_NONE },
		{ "moderate", HD_SEV_MEDIUM },
	};
	size_t i;

	for (i = 0; i < HD_SEV_ERROR; i++) {
		if (strcasecmp(name, sev_names[i]) == 0)
			return (int)i;
	}
	return alias_find(aliases, HD_ARRAY_SIZE(aliases), name);
}

int hd_severity_from_hadolint(const char *name)
{
	int sev = alias_find(hadolint_levels, HD_ARRAY_SIZE(hadolint_levels), name);

	/* hardock's own names where hadolint has none of that name (low, medium, high, critical). */
	return sev >= 0 ? sev : hd_severity_from_name(name);
}

static const char *const target_names[HD_TARGET_MAX] = {
	[HD_TARGET_DOCKERFILE] = "dockerfile", [HD_TARGET_CONTAINER] = "container",
	[HD_TARGET_PROJECT] = "compose",       [HD_TARGET_IMAGE] = "image",
	[HD_TARGET_IMAGE_FILES] = "image-files",
	[HD_TARGET_DAEMON] = "daemon",         [HD_TARGET_HOST] = "host",
	[HD_TARGET_ENGINE] = "engine",
};

const char *hd_target_name(enum hd_target t)
{
	return (unsigned)t < HD_TARGET_MAX ? target_names[t] : "unknown";
}

struct hd_strchunk {
	struct hd_strchunk *next;
	size_t used, size;
	char data[];
};

#define STRCHUNK_SIZE (32u * 1024)

void hd_findings_init(struct hd_findings *f)
{
	f->v = NULL;
	f->n = f->alloc = 0;
	f->chunks = NULL;
}

void hd_findings_release(struct hd_findings *f)
{
	struct hd_strchunk *c, *next;

	if (!f)
		return;
	for (c = f->chunks; c; c = next) {
		next = c->next;
		hd_free(c);
	}
	hd_free(f->v);
	hd_findings_init(f);
}

char *hd_findings_strndup(struct hd_findings *f, const char *s, size_t n)
{
	struct hd_strchunk *c = f->chunks;
	char *d;

	if (!c || c->size - c->used < n + 1) {
		/* Chunks grow from 1 KiB, so a file with few findings costs little. */
		size_t size = c ? (c->size < STRCHUNK_SIZE ? c->size * 2 : STRCHUNK_SIZE) : 1024, bytes;

		if (size < n + 1)
			size = n + 1;

		if (!hd_size_add(sizeof(*c), size, &bytes))
			return NULL;
		c = hd_malloc(bytes);
		if (!c)
			return NULL;
		c->size = size;
		c->used = 0;
		c->next = f->chunks;
		f->chunks = c;
	}
	d = c->data + c->used;
	memcpy(d, s, n);
	d[n] = '\0';
	c->used += n + 1;
	return d;
}

static char *arena_strdup(struct hd_findings *f, const char *s)
{
	return s ? hd_findings_strndup(f, s, strlen(s)) : NULL;
}

int hd_findings_vadd(struct hd_findings *f, const struct hd_rule *r, enum hd_severity sev,
		     const struct hd_loc *loc, const char *fmt, va_list ap)
{
	struct hd_finding *x;
	char msg[HD_MAX_MESSAGE];
	int n;

	if (f->n >= HD_MAX_FINDINGS)
		return -HD_ETOOBIG;
	if (HD_GROW(f->v, f->alloc, f->n + 1) < 0)
		return -HD_ENOMEM;
	n = hd_vformat(msg, sizeof(msg), fmt, ap);
	if (n < 0)
		msg[0] = '\0';
	else if ((size_t)n >= sizeof(msg))
		memcpy(msg + sizeof(msg) - 4, "...", 4);
	x = &f->v[f->n];
	memset(x, 0, sizeof(*x));
	x->rule = r;
	x->severity = sev;
	x->message = arena_strdup(f, msg);
	if (!x->message)
		return -HD_ENOMEM;
	if (loc) {
		/* Findings of one file share its path. */
		if (loc->file && f->n && f->v[f->n - 1].file && strcmp(f->v[f->n - 1].file, loc->file) == 0)
			x->file = f->v[f->n - 1].file;
		else if (loc->file && !(x->file = arena_strdup(f, loc->file)))
			return -HD_ENOMEM;
		if (loc->object && !(x->object = arena_strdup(f, loc->object)))
			return -HD_ENOMEM;
		if (loc->field && !(x->field = arena_strdup(f, loc->field)))
			return -HD_ENOMEM;
		if (loc->layer && !(x->layer = arena_strdup(f, loc->layer)))
			return -HD_ENOMEM;
		x->line = loc->line;
		x->col = loc->col;
		x->end_line = loc->end_line;
		x->end_col = loc->end_col;
	}
	f->n++;
	return 0;
}

int hd_findings_move(struct hd_findings *dst, struct hd_findings *src)
{
	struct hd_strchunk **tail;
	size_t need;

	if (!src->n && !src->chunks)
		return 0;
	if (!hd_size_add(dst->n, src->n, &need) || HD_GROW(dst->v, dst->alloc, need) < 0)
		return -HD_ENOMEM;
	if (src->n)
		memcpy(dst->v + dst->n, src->v, src->n * sizeof(*src->v));
	dst->n = need;
	/* The strings move with their arena: src's chunks go in front of dst's. */
	if (src->chunks) {
		for (tail = &src->chunks; *tail; tail = &(*tail)->next)
			;
		*tail = dst->chunks;
		dst->chunks = src->chunks;
	}
	hd_free(src->v);
	hd_findings_init(src);
	return 0;
}

static int strcmp_null(const char *a, const char *b)
{
	if (a == b)
		return 0; /* findings of one file share its path */
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
		if (pred(&f->v[i], ctx))
			continue; /* its strings stay in the arena until release */
		if (i != j)
			f->v[j] = f->v[i];
		j++;
	}
	f->n = j;
}

bool hd_rule_runs_on(const struct hd_model *m, size_t i)
{
	const struct hd_rule *rule = hd_rules[i];

	if (rule->target != m->kind || !rule->check)
		return false;
	if (m->cfg && m->cfg->rule_sev)
		return m->cfg->rule_sev[i] >= 0;
	return hd_config_rule_enabled(m->cfg, rule);
}

/* A context for rule r at severity sev (its own, or an override). */
static void check_set(struct hd_check *ck, const struct hd_rule *r, enum hd_severity sev, struct hd_findings *out)
{
	ck->rule = r;
	ck->out = out;
	ck->override = sev != r->severity ? (int)sev : -1;
	ck->reported = 0;
	ck->max_sev = HD_SEV_NONE;
	ck->note[0] = '\0';
}

void hd_check_init(struct hd_check *ck, const struct hd_rule *r, const struct hd_config *cfg,
		   struct hd_findings *out)
{
	check_set(ck, r, hd_config_severity(cfg, r), out);
}

static int check_vreport(struct hd_check *ck, enum hd_severity sev, const struct hd_loc *loc,
			 const char *fmt, va_list ap)
{
	int r;

	/* A check may raise or lower its own severity case by case (e.g. a
	 * writable sensitive mount); an override in the config replaces them all. */
	if (ck->override >= 0)
		sev = (enum hd_severity)ck->override;
	else if (sev == HD_SEV_NONE)
		sev = ck->rule->severity;
	r = hd_findings_vadd(ck->out, ck->rule, sev, loc, fmt, ap);
	if (r < 0)
		return r;
	ck->reported++;
	if (sev > ck->max_sev)
		ck->max_sev = sev;
	return 0;
}

int hd_report(struct hd_check *ck, const struct hd_loc *loc, const char *fmt, ...)
{
	va_list ap;
	int r;

	va_start(ap, fmt);
	r = check_vreport(ck, HD_SEV_NONE, loc, fmt, ap);
	va_end(ap);
	return r;
}

int hd_report_sev(struct hd_check *ck, enum hd_severity sev, const struct hd_loc *loc, const char *fmt, ...)
{
	va_list ap;
	int r;

	va_start(ap, fmt);
	r = check_vreport(ck, sev, loc, fmt, ap);
	va_end(ap);
	return r;
}

int hd_report_rule(struct hd_findings *out, const struct hd_rule *r, const struct hd_config *cfg,
		   const struct hd_loc *loc, const char *fmt, ...)
{
	struct hd_check ck;
	va_list ap;
	int ret;

	hd_check_init(&ck, r, cfg, out);
	va_start(ap, fmt);
	ret = check_vreport(&ck, HD_SEV_NONE, loc, fmt, ap);
	va_end(ap);
	return ret;
}

int hd_not_applicable(struct hd_check *ck, const char *fmt, ...)
{
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = vsnprintf(ck->note, sizeof(ck->note), fmt, ap);
	va_end(ap);
	if (n < 0)
		ck->note[0] = '\0';
	return HD_RULE_NOT_APPLICABLE;
}

int hd_run_rule(const struct hd_model *m, size_t i, struct hd_findings *out, struct hd_check *ck)
{
	const struct hd_rule *rule = hd_rules[i];
	enum hd_severity sev;

	sev = m->cfg && m->cfg->rule_sev ? (enum hd_severity)m->cfg->rule_sev[i] :
					   hd_config_severity(m->cfg, rule);
	check_set(ck, rule, sev, out);
	return rule->check(m, rule, ck);
}

/* The catalogue's indexes of the rules with a check, by target: built once. */
static size_t *rules_of[HD_TARGET_MAX];
static size_t n_rules_of[HD_TARGET_MAX];
static bool rules_of_ok;

static void index_rules(void)
{
	size_t i, t;

	for (t = 0; t < HD_TARGET_MAX; t++) {
		rules_of[t] = hd_calloc(hd_rule_count ? hd_rule_count : 1, sizeof(*rules_of[t]));
		if (!rules_of[t])
			return;
	}
	for (i = 0; i < hd_rule_count; i++) {
		const struct hd_rule *r = hd_rules[i];

		if (r->check && (size_t)r->target < HD_TARGET_MAX)
			rules_of[r->target][n_rules_of[r->target]++] = i;
	}
	rules_of_ok = true;
}

int hd_run_rules(const struct hd_model *m, struct hd_findings *out)
{
	static pthread_once_t once = PTHREAD_ONCE_INIT;
	struct hd_check ck;
	size_t i, k, n;
	int r;

	pthread_once(&once, index_rules);
	if (!rules_of_ok || (size_t)m->kind >= HD_TARGET_MAX || !m->cfg || !m->cfg->rule_sev) {
		for (i = 0; i < hd_rule_count; i++) {
			if (!hd_rule_runs_on(m, i))
				continue;
			r = hd_run_rule(m, i, out, &ck);
			if (r < 0)
				return r;
		}
		return 0;
	}
	/* The common case, once per file: the target's rules with the configuration's severities. */
	n = n_rules_of[m->kind];
	for (k = 0; k < n; k++) {
		const struct hd_rule *rule;
		int sev;

		i = rules_of[m->kind][k];
		sev = m->cfg->rule_sev[i];
		if (sev < 0)
			continue;
		rule = hd_rules[i];
		check_set(&ck, rule, (enum hd_severity)sev, out);
		r = rule->check(m, rule, &ck);
		if (r < 0)
			return r;
	}
	return 0;
}

int hd_findings_add_copy(struct hd_findings *dst, const struct hd_finding *x)
{
	struct hd_finding *y;

	if (dst->n >= HD_MAX_FINDINGS)
		return -HD_ETOOBIG;
	if (HD_GROW(dst->v, dst->alloc, dst->n + 1) < 0)
		return -HD_ENOMEM;
	y = &dst->v[dst->n];
	*y = *x;
	y->message = arena_strdup(dst, x->message);
	y->file = arena_strdup(dst, x->file);
	y->object = arena_strdup(dst, x->object);
	y->field = arena_strdup(dst, x->field);
	y->snippet = arena_strdup(dst, x->snippet);
	y->layer = arena_strdup(dst, x->layer);
	y->fingerprint = arena_strdup(dst, x->fingerprint);
	if ((x->message && !y->message) || (x->file && !y->file) || (x->object && !y->object) ||
	    (x->field && !y->field) || (x->snippet && !y->snippet) || (x->layer && !y->layer) ||
	    (x->fingerprint && !y->fingerprint))
		return -HD_ENOMEM;
	dst->n++;
	return 0;
}

/* Order of findings (indices into list) by place and rule, for grouping; ties by position. */
static int place_cmp(const void *pa, const void *pb, void *list)
{
	const struct hd_findings *f = list;
	const struct hd_finding *a = &f->v[*(const size_t *)pa], *b = &f->v[*(const size_t *)pb];
	int c;

	if ((c = strcmp_null(a->file, b->file)))
		return c;
	if (a->line != b->line)
		return a->line < b->line ? -1 : 1;
	if (a->col != b->col)
		return a->col < b->col ? -1 : 1;
	if ((c = strcmp(a->rule->id, b->rule->id)))
		return c;
	return *(const size_t *)pa < *(const size_t *)pb ? -1 : 1;
}

static bool same_place(const struct hd_finding *a, const struct hd_finding *b)
{
	return a->rule == b->rule && a->line == b->line && a->col == b->col && a->line &&
	       strcmp_null(a->file, b->file) == 0 && a->file;
}

static int drop_marked(const struct hd_finding *x, void *ctx)
{
	(void)ctx;
	return x->rule == NULL;
}

/*
 * Whether x says what lead says, of another object: its message is lead's
 * with lead's object named instead of x's ("variable DB_PASSWORD of
 * container 'worker'" and "... of container 'app'").  Two findings of one
 * object at one place with different messages are different problems (two
 * capabilities in one --cap-add word) and stay apart.
 */
static bool same_problem(const struct hd_finding *lead, const struct hd_finding *x)
{
	const char *m = x->message ? x->message : "", *lm = lead->message ? lead->message : "";
	size_t on, ln;

	if (!x->object || !lead->object || strcmp(x->object, lead->object) == 0)
		return strcmp(m, lm) == 0 && strcmp_null(x->object, lead->object) == 0;
	on = strlen(x->object);
	ln = strlen(lead->object);
	while (*m || *lm) {
		if (on && strncmp(m, x->object, on) == 0 && strncmp(lm, lead->object, ln) == 0) {
			m += on;
			lm += ln;
			continue;
		}
		if (*m != *lm)
			return false;
		m++;
		lm++;
	}
	return true;
}

/* Appends ", s" (or s; quoted when asked) to buf[0..cap) at *n, as far as it fits. */
static void append_name(char *buf, size_t cap, size_t *n, bool quoted, const char *s)
{
	int w;

	if (*n >= cap)
		return;
	w = snprintf(buf + *n, cap - *n, quoted ? "%s'%s'" : "%s%s", *n ? ", " : "", s);
	*n = w < 0 ? cap : *n + (size_t)w;
}

/*
 * Whether no two findings of f share a place (same_place), told without
 * sorting for lists of up to 128 findings: true means there is nothing to
 * merge.  False when it cannot tell.
 */
static bool all_places_apart(const struct hd_findings *f)
{
	uint32_t slot[256]; /* index + 1 of a finding, 0 free */
	size_t i;

	if (f->n > 128)
		return false;
	memset(slot, 0, sizeof(slot));
	for (i = 0; i < f->n; i++) {
		const struct hd_finding *x = &f->v[i];
		uint64_t h;
		size_t k;

		if (!x->rule)
			return false;
		if (!x->line || !x->file)
			continue; /* never merged */
		h = ((uint64_t)(uintptr_t)x->rule * 0x9e3779b97f4a7c15u) ^ ((uint64_t)x->line << 20) ^ x->col;
		h ^= h >> 29;
		for (k = (size_t)(h * 0xbf58476d1ce4e5b9u >> 56); slot[k]; k = (k + 1) & 255) {
			if (same_place(&f->v[slot[k] - 1], x))
				return false;
		}
		slot[k] = (uint32_t)i + 1;
	}
	return true;
}

int hd_findings_merge_same_place(struct hd_findings *f)
{
	size_t *idx, *lead_of, i, j;
	int r = 0;

	if (f->n < 2 || all_places_apart(f))
		return 0;
	idx = hd_calloc(f->n, sizeof(*idx));
	lead_of = hd_calloc(f->n, sizeof(*lead_of)); /* by position in idx: the lead it joined, or 0 */
	if (!idx || !lead_of) {
		hd_free(idx);
		hd_free(lead_of);
		return -HD_ENOMEM;
	}
	for (i = 0; i < f->n; i++)
		idx[i] = i;
	qsort_r(idx, f->n, sizeof(*idx), place_cmp, f);
	for (i = 0; i < f->n && r >= 0; i = j) {
		for (j = i + 1; j < f->n && same_place(&f->v[idx[i]], &f->v[idx[j]]); j++)
			;
		/* Each finding not merged yet leads: the rest of the group saying the same joins it. */
		for (size_t l = i; l < j && j - i > 1 && r >= 0; l++) {
			struct hd_finding *lead = &f->v[idx[l]];
			char objs[HD_MAX_MESSAGE], others[HD_MAX_MESSAGE];
			size_t no = 0, nt = 0, count = 1;

			if (!lead->rule)
				continue;
			objs[0] = others[0] = '\0';
			if (lead->object)
				append_name(objs, sizeof(objs), &no, false, lead->object);
			for (size_t k = l + 1; k < j; k++) {
				struct hd_finding *x = &f->v[idx[k]];
				bool seen = false;

				if (!x->rule || !same_problem(lead, x))
					continue;
				/* The same object twice is one report of it. */
				seen = strcmp_null(x->object, lead->object) == 0;
				for (size_t m = l + 1; m < k && !seen; m++)
					seen = lead_of[m] == l + 1 && f->v[idx[m]].object &&
					       strcmp(f->v[idx[m]].object, x->object) == 0;
				if (x->severity > lead->severity)
					lead->severity = x->severity;
				x->rule = NULL; /* merged into lead */
				lead_of[k] = l + 1;
				if (seen)
					continue;
				count++;
				append_name(objs, sizeof(objs), &no, false, x->object);
				append_name(others, sizeof(others), &nt, true, x->object);
			}
			if (count > 1) {
				char *msg = hd_asprintf("%s (the same for %s)", lead->message ? lead->message : "", others);

				lead->message = msg ? arena_strdup(f, msg) : NULL;
				hd_free(msg);
				lead->object = arena_strdup(f, objs);
				if (!lead->message || !lead->object)
					r = -HD_ENOMEM;
			}
		}
	}
	hd_free(idx);
	hd_free(lead_of);
	if (r >= 0)
		hd_findings_remove_if(f, drop_marked, NULL);
	return r;
}

/* FNV-1a over the flagged text, blanks squeezed (or the message without its digits). */
/* Blanks, squeezed to one space in fingerprints; digits, left out of a message's (fp_text). */
static const unsigned char fp_class[256] = {
	[' '] = 1, ['\t'] = 1, ['\r'] = 1, ['\n'] = 1,
	['0'] = 2, ['1'] = 2, ['2'] = 2, ['3'] = 2, ['4'] = 2, ['5'] = 2, ['6'] = 2, ['7'] = 2, ['8'] = 2, ['9'] = 2,
};

static void fp_text(uint64_t h[2], const struct hd_finding *x)
{
	const unsigned char *p = (const unsigned char *)(x->snippet ? x->snippet : x->message ? x->message : "");
	/* Bytes left out: blanks (they only mark a gap), and digits in a message. */
	const unsigned skip = x->snippet ? 1u : 3u;
	uint64_t a = h[0], b = h[1];
	bool blank = true;

	for (; *p; p++) {
		unsigned c = *p, k = fp_class[c];

		if (k & skip) {
			blank |= k == 1;
			continue;
		}
		if (blank) {
			a = (a ^ ' ') * 1099511628211u;
			b = (b ^ ' ') * 0x100000001b3u + 0x9e3779b97f4a7c15u;
			blank = false;
		}
		a = (a ^ c) * 1099511628211u;
		b = (b ^ c) * 0x100000001b3u + 0x9e3779b97f4a7c15u;
	}
	h[0] = a;
	h[1] = b;
}

static void fp_str(uint64_t h[2], const char *s)
{
	for (; s && *s; s++) {
		h[0] = (h[0] ^ (unsigned char)*s) * 1099511628211u;
		h[1] = (h[1] ^ (unsigned char)*s) * 0x100000001b3u + 0x9e3779b97f4a7c15u;
	}
	/* A separator no string holds. */
	h[0] = (h[0] ^ 0xff) * 1099511628211u;
	h[1] = (h[1] ^ 0xff) * 0x100000001b3u + 0x9e3779b97f4a7c15u;
}

/* A 64-bit finaliser (splitmix64's), so that near keys spread over every digit. */
static uint64_t fp_mix(uint64_t z)
{
	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9u;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebu;
	return z ^ (z >> 31);
}

/* Orders indices by key, then by position (so occurrences count in file order). */
static int fp_cmp(const void *pa, const void *pb, void *keys)
{
	const uint64_t *k = keys;
	size_t a = *(const size_t *)pa, b = *(const size_t *)pb;

	if (k[2 * a] != k[2 * b])
		return k[2 * a] < k[2 * b] ? -1 : 1;
	if (k[2 * a + 1] != k[2 * b + 1])
		return k[2 * a + 1] < k[2 * b + 1] ? -1 : 1;
	return a < b ? -1 : a > b;
}

/* v as 16 lower-case hex digits at out (no terminator): what "%016" PRIx64 writes. */
static void hex64(char *out, uint64_t v)
{
	static const char digits[] = "0123456789abcdef";

	for (int i = 15; i >= 0; i--, v >>= 4)
		out[i] = digits[v & 15];
}

int hd_findings_fingerprint(struct hd_findings *f)
{
	struct fp_prefix {
		const struct hd_rule *rule;
		const char *where;
		uint64_t h[2];
	} prefix[64] = { 0 };
	uint64_t *key;
	size_t *idx, i, run = 0;
	int r = 0;

	if (!f->n)
		return 0;
	key = hd_calloc(f->n, 2 * sizeof(*key));
	idx = hd_calloc(f->n, sizeof(*idx));
	if (!key || !idx) {
		r = -HD_ENOMEM;
		goto out;
	}
	for (i = 0; i < f->n; i++) {
		uint64_t *h = key + 2 * i;
		struct hd_finding *x = &f->v[i];
		const char *where = x->file ? x->file : x->object;
		struct fp_prefix *c = &prefix[((uintptr_t)x->rule >> 4) % HD_ARRAY_SIZE(prefix)];

		/* The hash of rule and file, kept per rule: a file's findings share it. */
		if (c->rule == x->rule && c->where && where && (c->where == where || !strcmp(c->where, where))) {
			h[0] = c->h[0];
			h[1] = c->h[1];
		} else {
			h[0] = 14695981039346656037u;
			h[1] = 0x6a09e667f3bcc908u;
			fp_str(h, x->rule->id);
			fp_str(h, where);
			c->rule = x->rule;
			c->where = where;
			c->h[0] = h[0];
			c->h[1] = h[1];
		}
		fp_text(h, x);
		idx[i] = i;
	}
	qsort_r(idx, f->n, sizeof(*idx), fp_cmp, key);
	for (i = 0; i < f->n; i++) {
		const uint64_t *h = key + 2 * idx[i];
		uint64_t occ;
		char hex[33];

		/* The how-manieth finding of this rule on this text in this file. */
		if (i && key[2 * idx[i - 1]] == h[0] && key[2 * idx[i - 1] + 1] == h[1])
			run++;
		else
			run = 0;
		occ = run;
		hex64(hex, fp_mix(h[0] ^ fp_mix(occ + 1)));
		hex64(hex + 16, fp_mix(h[1] + occ * 0x9e3779b97f4a7c15u));
		hex[32] = '\0';
		f->v[idx[i]].fingerprint = hd_findings_strndup(f, hex, 32);
		if (!f->v[idx[i]].fingerprint) {
			r = -HD_ENOMEM;
			goto out;
		}
	}
out:
	hd_free(idx);
	hd_free(key);
	return r;
}
