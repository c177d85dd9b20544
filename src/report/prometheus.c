/*
 * The Prometheus exposition (prometheus.h): series gathered in a hash table
 * keyed by their labels, written sorted in the text format 0.0.4 or in
 * OpenMetrics; and the `prometheus` reporter, which gathers what an audit
 * (or a lint) reports and writes the whole exposition at the end.  Memory
 * grows with the number of series, never with the number of findings: a
 * finding only increments the count of its series.
 */
#include "core/common.h"
#include "core/arena.h"
#include "core/limits.h"
#include "report/prometheus.h"
#include "report/report_int.h"

#include <math.h>

enum family { FAM_CHECK, FAM_FINDINGS, FAM_VULNS };

struct series {
	uint8_t fam;        /* enum family */
	uint8_t target;     /* enum hd_target (checks, findings) */
	uint8_t sev;        /* enum hd_severity (findings, vulns) */
	uint8_t status;     /* enum hd_check_status (checks): the worst merged so far */
	bool fixable;       /* vulns */
	unsigned section;   /* checks: the CIS section of id */
	const char *id;     /* checks: the CIS id; "" otherwise */
	const char *name;   /* container name, or "" */
	const char *image;  /* image reference, or "" */
	uint64_t count;     /* findings, vulns */
	uint32_t hash;
};

struct hd_prom {
	struct hd_arena arena;    /* series and their strings */
	struct series **slots;    /* open addressing; NULL = empty */
	size_t n_slots;           /* a power of two, at least twice n */
	size_t n;
};

struct hd_prom *hd_prom_new(void)
{
	struct hd_prom *p = hd_calloc(1, sizeof(*p));

	if (!p)
		return NULL;
	hd_arena_init(&p->arena, 16 * 1024);
	return p;
}

void hd_prom_free(struct hd_prom *p)
{
	if (!p)
		return;
	hd_arena_release(&p->arena);
	hd_free(p->slots);
	hd_free(p);
}

size_t hd_prom_series(const struct hd_prom *p)
{
	return p->n;
}

/* ---- keys ---------------------------------------------------------------------- */

static uint32_t fnv(uint32_t h, const void *data, size_t n)
{
	const unsigned char *s = data;
	size_t i;

	for (i = 0; i < n; i++) {
		h ^= s[i];
		h *= 16777619u;
	}
	return h;
}

static uint32_t key_hash(const struct series *k)
{
	uint32_t h = 2166136261u;
	unsigned char head[4] = { k->fam, k->target, k->sev, k->fixable };

	h = fnv(h, head, sizeof(head));
	h = fnv(h, k->id, strlen(k->id) + 1);
	h = fnv(h, k->name, strlen(k->name) + 1);
	return fnv(h, k->image, strlen(k->image) + 1);
}

static bool key_eq(const struct series *a, const struct series *b)
{
	return a->hash == b->hash && a->fam == b->fam && a->target == b->target && a->sev == b->sev &&
	       a->fixable == b->fixable && !strcmp(a->id, b->id) && !strcmp(a->name, b->name) &&
	       !strcmp(a->image, b->image);
}

/* The length of the valid UTF-8 sequence at s (at most n bytes), or 0. */
static size_t utf8_len(const unsigned char *s, size_t n)
{
	size_t len, i;
	uint32_t cp;

	if (s[0] < 0x80)
		return 1;
	if (s[0] >= 0xc2 && s[0] <= 0xdf)
		len = 2, cp = s[0] & 0x1fu;
	else if (s[0] >= 0xe0 && s[0] <= 0xef)
		len = 3, cp = s[0] & 0x0fu;
	else if (s[0] >= 0xf0 && s[0] <= 0xf4)
		len = 4, cp = s[0] & 0x07u;
	else
		return 0;
	if (len > n)
		return 0;
	for (i = 1; i < len; i++) {
		if ((s[i] & 0xc0) != 0x80)
			return 0;
		cp = (cp << 6) | (s[i] & 0x3fu);
	}
	/* Overlong forms, surrogates and code points beyond U+10FFFF. */
	if ((len == 3 && cp < 0x800) || (len == 4 && (cp < 0x10000 || cp > 0x10ffff)) ||
	    (cp >= 0xd800 && cp <= 0xdfff))
		return 0;
	return len;
}

/*
 * A label value as the series keeps it: valid UTF-8 (other bytes become
 * U+FFFD), at most HD_MAX_LABEL_VALUE bytes (cut at a character).  Returns
 * s itself when it is fine as it is, else the cleaned copy written in buf
 * (HD_MAX_LABEL_VALUE + 1 bytes).
 */
static const char *clean_value(const char *s, char *buf)
{
	const unsigned char *u = (const unsigned char *)s;
	size_t n = strlen(s), i, k, o = 0;

	for (i = 0; i < n; i += k) {
		k = utf8_len(u + i, n - i);
		if (!k)
			break;
	}
	if (i == n && n <= HD_MAX_LABEL_VALUE)
		return s;
	for (i = 0; i < n; i += k ? k : 1) {
		k = utf8_len(u + i, n - i);
		if (o + (k ? k : 3) > HD_MAX_LABEL_VALUE)
			break;
		if (k)
			memcpy(buf + o, u + i, k);
		else
			memcpy(buf + o, "\xef\xbf\xbd", 3);
		o += k ? k : 3;
	}
	buf[o] = '\0';
	return buf;
}

static int rehash(struct hd_prom *p)
{
	size_t n = p->n_slots ? p->n_slots * 2 : 256, i;
	struct series **slots = hd_calloc(n, sizeof(*slots));

	if (!slots)
		return -HD_ENOMEM;
	for (i = 0; i < p->n_slots; i++) {
		struct series *s = p->slots[i];
		size_t j;

		if (!s)
			continue;
		for (j = s->hash & (n - 1); slots[j]; j = (j + 1) & (n - 1))
			;
		slots[j] = s;
	}
	hd_free(p->slots);
	p->slots = slots;
	p->n_slots = n;
	return 0;
}

/* The series with k's labels, added (with copies of its strings) when new; NULL on error. */
static struct series *series_get(struct hd_prom *p, struct series *k, int *err)
{
	char name[HD_MAX_LABEL_VALUE + 1], image[HD_MAX_LABEL_VALUE + 1];
	struct series *s;
	size_t j;

	k->name = clean_value(k->name, name);
	k->image = clean_value(k->image, image);
	k->hash = key_hash(k);
	for (j = p->n_slots ? k->hash & (p->n_slots - 1) : 0; p->n_slots && p->slots[j];
	     j = (j + 1) & (p->n_slots - 1)) {
		if (key_eq(p->slots[j], k))
			return p->slots[j];
	}
	if (p->n >= HD_MAX_METRIC_SERIES) {
		*err = -HD_ETOOBIG;
		return NULL;
	}
	if ((p->n + 1) * 2 > p->n_slots) {
		if ((*err = rehash(p)) < 0)
			return NULL;
		for (j = k->hash & (p->n_slots - 1); p->slots[j]; j = (j + 1) & (p->n_slots - 1))
			;
	}
	s = hd_arena_alloc(&p->arena, sizeof(*s));
	if (!s) {
		*err = -HD_ENOMEM;
		return NULL;
	}
	*s = *k;
	s->id = hd_arena_strdup(&p->arena, k->id);
	s->name = hd_arena_strdup(&p->arena, k->name);
	s->image = hd_arena_strdup(&p->arena, k->image);
	if (!s->id || !s->name || !s->image) {
		*err = -HD_ENOMEM;
		return NULL;
	}
	p->slots[j] = s;
	p->n++;
	return s;
}

/* ---- objects --------------------------------------------------------------------- */

/* What series of a subject are labelled with. */
struct labels {
	enum hd_target target;
	const char *name, *image;
};

/* The target label of a rule's target: image files are the image's. */
static enum hd_target label_target(enum hd_target t)
{
	return t == HD_TARGET_IMAGE_FILES ? HD_TARGET_IMAGE : t;
}

static const struct hd_report_object *object_by_subject(const struct hd_report_object *o, size_t n,
							const char *subject)
{
	size_t i;

	for (i = 0; subject && i < n; i++) {
		if (o[i].subject && !strcmp(o[i].subject, subject))
			return &o[i];
	}
	return NULL;
}

static const struct hd_report_object *object_by_name(const struct hd_report_object *o, size_t n,
						     enum hd_target t, const char *object)
{
	size_t i;

	for (i = 0; object && i < n; i++) {
		if (o[i].target == t && o[i].object && !strcmp(o[i].object, object))
			return &o[i];
	}
	return NULL;
}

/*
 * A check's subject without an object entry: "container NAME (state)" and
 * "image REF" as the engine audit words them.  The word is copied into buf.
 */
static const char *subject_word(const char *subject, const char *prefix, char *buf, size_t size)
{
	size_t n = strlen(prefix), k;

	if (strncmp(subject, prefix, n) != 0)
		return NULL;
	subject += n;
	k = strcspn(subject, " ");
	if (k >= size)
		k = size - 1;
	memcpy(buf, subject, k);
	buf[k] = '\0';
	return buf;
}

static void check_labels(const struct hd_check_result *c, const struct hd_report_object *objs, size_t n_objs,
			 struct labels *l, char *buf, size_t size)
{
	const struct hd_report_object *o = object_by_subject(objs, n_objs, c->subject);
	const char *w;

	l->target = label_target(c->rule->target);
	l->name = l->image = "";
	if (o) {
		l->target = label_target(o->target);
		l->name = o->name ? o->name : "";
		l->image = o->image ? o->image : "";
	} else if (c->subject && l->target == HD_TARGET_CONTAINER &&
		   (w = subject_word(c->subject, "container ", buf, size))) {
		l->name = w;
	} else if (c->subject && l->target == HD_TARGET_IMAGE && (w = subject_word(c->subject, "image ", buf, size))) {
		l->image = w;
	}
}

static void finding_labels(const struct hd_finding *f, const struct hd_report_object *objs, size_t n_objs,
			   struct labels *l)
{
	const struct hd_report_object *o = NULL;

	l->target = label_target(f->rule->target);
	l->name = l->image = "";
	/*
	 * Only live objects are labelled: a finding in a file is about the file,
	 * except a file inside an image (its object is the image).
	 */
	if (!f->object || (f->file && f->rule->target != HD_TARGET_IMAGE_FILES))
		return;
	if (l->target == HD_TARGET_CONTAINER || l->target == HD_TARGET_IMAGE)
		o = object_by_name(objs, n_objs, l->target, f->object);
	if (o) {
		l->name = o->name ? o->name : "";
		l->image = o->image ? o->image : "";
	} else if (l->target == HD_TARGET_CONTAINER) {
		l->name = f->object;
	} else if (l->target == HD_TARGET_IMAGE) {
		l->image = f->object;
	}
}

/* ---- gathering ----------------------------------------------------------------------- */

int hd_prom_add_findings(struct hd_prom *p, const struct hd_findings *f, const struct hd_report_object *objs,
			 size_t n_objs)
{
	size_t i;
	int err = 0;

	for (i = 0; i < f->n; i++) {
		struct series k = { .fam = FAM_FINDINGS, .id = "" }, *s;
		struct labels l;

		finding_labels(&f->v[i], objs, n_objs, &l);
		k.target = (uint8_t)l.target;
		k.sev = (uint8_t)f->v[i].severity;
		k.name = l.name;
		k.image = l.image;
		s = series_get(p, &k, &err);
		if (!s)
			return err;
		s->count++;
	}
	return 0;
}

int hd_prom_add_findings_of(struct hd_prom *p, const struct hd_findings *f, const struct hd_report_object *obj)
{
	size_t i;
	int err = 0;

	for (i = 0; i < f->n; i++) {
		struct series k = { .fam = FAM_FINDINGS, .id = "" }, *s;

		k.target = (uint8_t)label_target(obj->target);
		k.sev = (uint8_t)f->v[i].severity;
		k.name = obj->name ? obj->name : "";
		k.image = obj->image ? obj->image : "";
		s = series_get(p, &k, &err);
		if (!s)
			return err;
		s->count++;
	}
	return 0;
}

/* How bad a verdict is, for merging: the worst verdict of a control's rules is the control's. */
static int status_rank(enum hd_check_status s)
{
	static const int rank[HD_CHECK_STATUS_MAX] = {
		[HD_CHECK_WARN] = 4, [HD_CHECK_INFO] = 3, [HD_CHECK_PASS] = 2,
		[HD_CHECK_NOTE] = 1, [HD_CHECK_SKIP] = 0,
	};

	return (unsigned)s < HD_CHECK_STATUS_MAX ? rank[s] : 0;
}

/* The CIS section of an id ("5.31" -> 5); 0 when it does not start with one. */
static unsigned id_section(const char *id)
{
	unsigned v = 0;

	while (isdigit((unsigned char)*id) && v < 100)
		v = v * 10 + (unsigned)(*id++ - '0');
	return v;
}

int hd_prom_add_checks(struct hd_prom *p, const struct hd_check_result *c, size_t n,
		       const struct hd_report_object *objs, size_t n_objs)
{
	size_t i;
	int err = 0;

	for (i = 0; i < n; i++) {
		const char *refs = c[i].rule->cis;
		char word[256], id[32];
		struct labels l;

		if (!refs)
			continue;
		check_labels(&c[i], objs, n_objs, &l, word, sizeof(word));
		while (hd_ref_next(&refs, id, sizeof(id))) {
			struct series k = { .fam = FAM_CHECK }, *s;

			k.target = (uint8_t)l.target;
			k.id = id;
			k.name = l.name;
			k.image = l.image;
			s = series_get(p, &k, &err);
			if (!s)
				return err;
			if (!s->count || status_rank(c[i].status) > status_rank(s->status))
				s->status = (uint8_t)c[i].status;
			s->section = id_section(id);
			s->count = 1;
		}
	}
	return 0;
}

void hd_prom_image_vulns(const char *image, const size_t counts[HD_SEV_MAX][2], struct hd_report_vulns *c)
{
	size_t n = 0;
	int sev, fix;

	for (sev = HD_SEV_INFO; sev <= HD_SEV_CRITICAL; sev++) {
		for (fix = 0; fix < 2; fix++) {
			c[n].image = image;
			c[n].severity = (enum hd_severity)sev;
			c[n].fixable = fix;
			c[n++].count = counts[sev][fix];
		}
	}
}

int hd_prom_add_vulns(struct hd_prom *p, const struct hd_report_vulns *v, size_t n)
{
	size_t i;
	int err = 0;

	for (i = 0; i < n; i++) {
		struct series k = { .fam = FAM_VULNS, .id = "", .name = "" }, *s;

		k.sev = (uint8_t)v[i].severity;
		k.fixable = v[i].fixable;
		k.image = v[i].image ? v[i].image : "";
		s = series_get(p, &k, &err);
		if (!s)
			return err;
		s->count += v[i].count;
	}
	return 0;
}

/* ---- writing --------------------------------------------------------------------------- */

/* A label value with the format's escapes: backslash, double quote, newline. */
static int put_value(struct hd_buf *b, const char *s)
{
	const char *start = s;
	int r = 0;

	for (; *s && r >= 0; s++) {
		const char *rep = *s == '\\' ? "\\\\" : *s == '"' ? "\\\"" : *s == '\n' ? "\\n" : NULL;

		if (!rep)
			continue;
		r = hd_buf_add(b, start, (size_t)(s - start));
		if (r >= 0)
			r = hd_buf_addstr(b, rep);
		start = s + 1;
	}
	if (r >= 0)
		r = hd_buf_add(b, start, (size_t)(s - start));
	return r;
}

static int put_label(struct hd_buf *b, bool first, const char *name, const char *value)
{
	int r = hd_buf_addf(b, "%s%s=\"", first ? "" : ",", name);

	if (r >= 0)
		r = put_value(b, value);
	if (r >= 0)
		r = hd_buf_addch(b, '"');
	return r;
}

/* HELP and TYPE of a family (the family's name is the sample's, except info families in OpenMetrics). */
static int put_family(struct hd_buf *b, const char *name, const char *type, const char *unit, const char *help,
		      bool om)
{
	int r = hd_buf_addf(b, "# HELP %s %s\n# TYPE %s %s\n", name, help, name, type);

	if (r >= 0 && om && unit)
		r = hd_buf_addf(b, "# UNIT %s %s\n", name, unit);
	return r;
}

/* A number as the formats write it: integers plainly, others with enough digits. */
static int put_double(struct hd_buf *b, double v)
{
	if (isnan(v))
		return hd_buf_addstr(b, "NaN");
	if (v > -1e15 && v < 1e15 && (double)(int64_t)v == v)
		return hd_buf_addf(b, "%" PRId64, (int64_t)v);
	return hd_buf_addf(b, "%.6f", v);
}

/* A family of one sample without labels, in seconds. */
static int put_seconds(struct hd_buf *b, const char *name, const char *help, double v, bool om)
{
	int r = put_family(b, name, "gauge", "seconds", help, om);

	if (r >= 0)
		r = hd_buf_addf(b, "%s ", name);
	if (r >= 0)
		r = put_double(b, v);
	return r >= 0 ? hd_buf_addch(b, '\n') : r;
}

int hd_prom_write_run(struct hd_buf *out, const struct hd_report_run *run, bool om)
{
	int r;
	size_t i;

	r = put_family(out, "hardock_up", "gauge", NULL, "Whether hardock's exporter is up.", om);
	if (r >= 0)
		r = hd_buf_addstr(out, "hardock_up 1\n");
	if (r >= 0)
		r = put_family(out, om ? "hardock_build" : "hardock_build_info", om ? "info" : "gauge", NULL,
			       "The version of hardock.", om);
	if (r >= 0)
		r = hd_buf_addstr(out, "hardock_build_info{");
	if (r >= 0)
		r = put_label(out, true, "version", HD_VERSION);
	if (r >= 0)
		r = hd_buf_addstr(out, "} 1\n");
	if (r >= 0 && run && run->engine_checked) {
		r = put_family(out, "hardock_engine_up", "gauge", NULL,
			       "Whether the Docker engine answered (1) or could not be reached (0).", om);
		if (r >= 0)
			r = hd_buf_addf(out, "hardock_engine_up %d\n", run->engine_up ? 1 : 0);
	}
	if (r >= 0 && run && run->n_dbs) {
		r = put_family(out, "hardock_vulndb_age_seconds", "gauge", "seconds",
			       "Age of the vulnerability database's data, per source.", om);
		for (i = 0; r >= 0 && i < run->n_dbs; i++) {
			r = hd_buf_addstr(out, "hardock_vulndb_age_seconds{");
			if (r >= 0)
				r = put_label(out, true, "source", run->dbs[i].source ? run->dbs[i].source : "");
			if (r >= 0)
				r = hd_buf_addf(out, "} %" PRId64 "\n", run->dbs[i].age);
		}
	}
	if (r >= 0 && run && run->has_time)
		r = put_seconds(out, "hardock_last_audit_timestamp_seconds",
				"When the last complete audit finished, in seconds since the epoch.", run->finished, om);
	if (r >= 0 && run && run->has_time)
		r = put_seconds(out, "hardock_audit_duration_seconds", "How long the last complete audit took.",
				run->duration, om);
	return r;
}

/* Numeric parts of a CIS id ("1.1.10" -> 1,1,10). */
static void cis_key(const char *p, unsigned key[4])
{
	size_t i;

	memset(key, 0, 4 * sizeof(*key));
	for (i = 0; i < 4 && isdigit((unsigned char)*p); i++) {
		unsigned v = 0;

		while (isdigit((unsigned char)*p) && v < 100000)
			v = v * 10 + (unsigned)(*p++ - '0');
		key[i] = v;
		if (*p != '.')
			break;
		p++;
	}
}

/* Host, daemon and engine first, then containers and images; by name, image, then the control. */
static int target_rank(unsigned t)
{
	static const int rank[HD_TARGET_MAX] = {
		[HD_TARGET_HOST] = 0, [HD_TARGET_DAEMON] = 1, [HD_TARGET_ENGINE] = 2,
		[HD_TARGET_CONTAINER] = 3, [HD_TARGET_IMAGE] = 4, [HD_TARGET_IMAGE_FILES] = 5,
		[HD_TARGET_DOCKERFILE] = 6, [HD_TARGET_PROJECT] = 7,
	};

	return t < HD_TARGET_MAX ? rank[t] : 8;
}

static int series_cmp(const void *pa, const void *pb)
{
	const struct series *a = *(const struct series *const *)pa, *b = *(const struct series *const *)pb;
	unsigned ka[4], kb[4];
	size_t i;
	int c;

	if (a->fam != b->fam)
		return a->fam < b->fam ? -1 : 1;
	if (a->fam != FAM_VULNS && target_rank(a->target) != target_rank(b->target))
		return target_rank(a->target) < target_rank(b->target) ? -1 : 1;
	if ((c = strcmp(a->name, b->name)) != 0 || (c = strcmp(a->image, b->image)) != 0)
		return c;
	cis_key(a->id, ka);
	cis_key(b->id, kb);
	for (i = 0; i < 4; i++) {
		if (ka[i] != kb[i])
			return ka[i] < kb[i] ? -1 : 1;
	}
	if ((c = strcmp(a->id, b->id)) != 0)
		return c;
	if (a->sev != b->sev)
		return a->sev < b->sev ? -1 : 1;
	return (int)a->fixable - (int)b->fixable;
}

static const char *const result_names[HD_CHECK_STATUS_MAX] = {
	[HD_CHECK_PASS] = "pass", [HD_CHECK_WARN] = "warn", [HD_CHECK_INFO] = "info",
	[HD_CHECK_NOTE] = "note", [HD_CHECK_SKIP] = "skip",
};

static const char *target_label(unsigned t)
{
	return hd_target_name(label_target((enum hd_target)t));
}

static int put_series(struct hd_buf *b, const struct series *s)
{
	int r;

	switch (s->fam) {
	case FAM_CHECK:
		r = hd_buf_addstr(b, "hardock_check_status{");
		if (r >= 0)
			r = put_label(b, true, "benchmark", HD_PROM_BENCHMARK);
		if (r >= 0)
			r = put_label(b, false, "id", s->id);
		if (r >= 0)
			r = put_label(b, false, "section", s->section < hd_cis_section_count ?
				      hd_cis_section_titles[s->section] : "");
		if (r >= 0)
			r = put_label(b, false, "target", target_label(s->target));
		if (r >= 0)
			r = put_label(b, false, "name", s->name);
		if (r >= 0)
			r = put_label(b, false, "image", s->image);
		if (r >= 0)
			r = put_label(b, false, "result", result_names[s->status]);
		return r >= 0 ? hd_buf_addstr(b, "} 1\n") : r;
	case FAM_FINDINGS:
		r = hd_buf_addstr(b, "hardock_findings{");
		if (r >= 0)
			r = put_label(b, true, "severity", hd_severity_name((enum hd_severity)s->sev));
		if (r >= 0)
			r = put_label(b, false, "target", target_label(s->target));
		if (r >= 0)
			r = put_label(b, false, "name", s->name);
		if (r >= 0)
			r = put_label(b, false, "image", s->image);
		break;
	default:
		r = hd_buf_addstr(b, "hardock_image_vulnerabilities{");
		if (r >= 0)
			r = put_label(b, true, "image", s->image);
		if (r >= 0)
			r = put_label(b, false, "severity", hd_severity_name((enum hd_severity)s->sev));
		if (r >= 0)
			r = put_label(b, false, "fixable", s->fixable ? "true" : "false");
		break;
	}
	return r >= 0 ? hd_buf_addf(b, "} %" PRIu64 "\n", s->count) : r;
}

int hd_prom_write_series(const struct hd_prom *p, struct hd_buf *out, bool om)
{
	static const struct {
		const char *name, *help;
	} fams[] = {
		[FAM_CHECK] = { "hardock_check_status", "The verdict of a CIS Docker Benchmark control on an "
				"object (1); the result label says which." },
		[FAM_FINDINGS] = { "hardock_findings", "Findings of the last audit, per severity and object." },
		[FAM_VULNS] = { "hardock_image_vulnerabilities", "Known vulnerabilities of an image's packages, "
				"per severity, fixable or not." },
	};
	struct series **v;
	size_t i, k;
	int fam = -1, r = 0;

	if (!p->n)
		return 0;
	v = hd_malloc(p->n * sizeof(*v));
	if (!v)
		return -HD_ENOMEM;
	for (i = k = 0; i < p->n_slots; i++) {
		if (p->slots[i])
			v[k++] = p->slots[i];
	}
	qsort(v, k, sizeof(*v), series_cmp);
	for (i = 0; r >= 0 && i < k; i++) {
		if (v[i]->fam != fam) {
			fam = v[i]->fam;
			r = put_family(out, fams[fam].name, "gauge", NULL, fams[fam].help, om);
			if (r < 0)
				break;
		}
		r = put_series(out, v[i]);
	}
	hd_free(v);
	return r;
}

const char *hd_prom_trailer(bool om)
{
	return om ? "# EOF\n" : "";
}

/* ---- Accept ---------------------------------------------------------------------------------- */

/* The quality of one media range ("text/plain;version=0.0.4;q=0.5"): 1 unless q says otherwise. */
static double range_quality(const char *p, size_t n)
{
	const char *end = p + n, *q;

	for (q = p; q < end; q++) {
		if (*q != ';')
			continue;
		q++;
		while (q < end && (*q == ' ' || *q == '\t'))
			q++;
		if (end - q >= 2 && (q[0] == 'q' || q[0] == 'Q') && q[1] == '=') {
			char num[16];
			size_t k = 0;

			q += 2;
			while (q < end && k + 1 < sizeof(num) && (isdigit((unsigned char)*q) || *q == '.'))
				num[k++] = *q++;
			num[k] = '\0';
			return k ? strtod(num, NULL) : 0;
		}
	}
	return 1;
}

bool hd_prom_wants_openmetrics(const char *accept)
{
	double om = -1, text = -1;
	const char *p = accept;

	while (p && *p) {
		size_t n = strcspn(p, ","), t;
		const char *s = p;

		while (n && (*s == ' ' || *s == '\t'))
			s++, n--;
		t = strcspn(s, ";, \t");
		if (t > n)
			t = n;
		if (t == 28 && !strncasecmp(s, "application/openmetrics-text", t)) {
			double q = range_quality(s, n);

			om = q > om ? q : om;
		} else if ((t == 10 && !strncasecmp(s, "text/plain", t)) || (t == 3 && !strncmp(s, "*/*", 3)) ||
			   (t == 6 && !strncasecmp(s, "text/*", t))) {
			double q = range_quality(s, n);

			text = q > text ? q : text;
		}
		p = s + n;
		if (*p == ',')
			p++;
	}
	return om > 0 && om >= text;
}

/* ---- the reporter ----------------------------------------------------------------------------- */

struct prom_state {
	struct hd_prom *p;
};

static int prom_begin(struct hd_output *r)
{
	struct prom_state *s = r->state;

	s->p = hd_prom_new();
	return s->p ? 0 : -HD_ENOMEM;
}

static int prom_finding(struct hd_output *r, const struct hd_finding *f)
{
	struct prom_state *s = r->state;
	struct hd_findings one = { .v = (struct hd_finding *)f, .n = 1 };

	return hd_prom_add_findings(s->p, &one, r->opts.objects, r->opts.n_objects);
}

static int prom_checks(struct hd_output *r, const struct hd_check_result *c, size_t n,
		       const struct hd_findings *all)
{
	struct prom_state *s = r->state;

	(void)all;
	return hd_prom_add_checks(s->p, c, n, r->opts.objects, r->opts.n_objects);
}

static int prom_end(struct hd_output *r)
{
	struct prom_state *s = r->state;
	const struct hd_report_run *run = r->opts.run;
	struct hd_buf b;
	int e;

	hd_buf_init(&b, SIZE_MAX / 2);
	e = run ? hd_prom_add_vulns(s->p, run->vulns, run->n_vulns) : 0;
	if (e >= 0)
		e = hd_prom_write_run(&b, run, false);
	if (e >= 0)
		e = hd_prom_write_series(s->p, &b, false);
	if (e >= 0 && fwrite(b.buf, 1, b.len, r->out) != b.len)
		e = -HD_EIO;
	hd_buf_release(&b);
	return e;
}

static void prom_release(struct hd_output *r)
{
	struct prom_state *s = r->state;

	hd_prom_free(s->p);
	s->p = NULL;
}

const struct hd_reporter hd_reporter_prometheus = {
	.name = "prometheus",
	.help = "Prometheus text exposition (node_exporter's textfile collector)",
	.snippets = HD_SNIPPETS_NO,
	.replace_file = true,
	.state_size = sizeof(struct prom_state),
	.begin = prom_begin,
	.finding = prom_finding,
	.checks = prom_checks,
	.end = prom_end,
	.release = prom_release,
};
