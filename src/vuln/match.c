/*
 * The matcher (see match.h): per package, the database records of its
 * ecosystem key, judged with the ecosystem's version order, then merged
 * by id and alias into one finding per vulnerability.
 */
#include "core/common.h"
#include "core/buf.h"
#include "vuln/db.h"
#include "vuln/match.h"
#include "vuln/version.h"

#include <jansson.h>

static enum hd_vscheme eco_scheme(enum hd_pkg_eco e)
{
	switch (e) {
	case HD_ECO_DEB: return HD_VS_DPKG;
	case HD_ECO_APK: return HD_VS_APK;
	case HD_ECO_RPM: return HD_VS_RPM;
	case HD_ECO_PYPI: return HD_VS_PEP440;
	case HD_ECO_MAVEN: return HD_VS_MAVEN;
	default: return HD_VS_SEMVER;
	}
}

/* One record that matched, before merging by alias. */
struct hit {
	struct hd_vdb_hit *h;
	enum hd_severity sev;
	char *sev_from;
	char *fixed;
	char *status;
	unsigned flags;
	size_t group;
};

void hd_vuln_result_release(struct hd_vuln_result *r)
{
	size_t i;

	if (!r)
		return;
	for (i = 0; i < r->n; i++) {
		struct hd_vuln_finding *f = &r->v[i];

		hd_free(f->id);
		hd_free(f->ids);
		hd_free(f->summary);
		hd_free(f->severity_from);
		hd_free(f->fixed);
		hd_free(f->status);
		hd_free(f->source);
	}
	hd_free(r->v);
	for (i = 0; i < r->n_notes; i++)
		hd_free(r->notes[i]);
	hd_free(r->notes);
	memset(r, 0, sizeof(*r));
}

static int note(struct hd_vuln_result *r, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static int note(struct hd_vuln_result *r, const char *fmt, ...)
{
	char buf[HD_MAX_MESSAGE];
	va_list ap;
	size_t i;

	va_start(ap, fmt);
	vsnprintf(buf, sizeof(buf), fmt, ap);
	va_end(ap);
	for (i = 0; i < r->n_notes; i++) {
		if (!strcmp(r->notes[i], buf))
			return 0;
	}
	if (HD_GROW(r->notes, r->alloc_notes, r->n_notes + 1) < 0 || !(r->notes[r->n_notes] = hd_strdup(buf)))
		return -HD_ENOMEM;
	r->n_notes++;
	return 0;
}

/* ---- OSV ranges -------------------------------------------------------- */

struct event {
	const char *kind; /* "introduced", "fixed", "last_affected", "limit" */
	const char *v;
};

static int scheme_g;

static int cmp_event(const void *a, const void *b)
{
	const struct event *x = a, *y = b;
	bool xz = !strcmp(x->kind, "introduced") && !strcmp(x->v, "0");
	bool yz = !strcmp(y->kind, "introduced") && !strcmp(y->v, "0");

	if (xz || yz)
		return yz - xz;
	return hd_vercmp((enum hd_vscheme)scheme_g, x->v, y->v);
}

bool hd_osv_affected(int scheme, const char *v, const char *ranges, const char *versions, char **fixed,
		     bool *last_affected)
{
	json_t *rs = ranges ? json_loads(ranges, 0, NULL) : NULL, *vs = versions ? json_loads(versions, 0, NULL) : NULL;
	json_t *rg, *x;
	size_t i, j;
	bool hit = false;

	*fixed = NULL;
	*last_affected = false;
	json_array_foreach(vs, i, x) {
		if (json_is_string(x) && !strcmp(json_string_value(x), v))
			hit = true;
	}
	json_array_foreach(rs, i, rg) {
		json_t *evs = json_object_get(rg, "e"), *ev;
		struct event e[64];
		size_t n = 0;
		bool aff = false, limited = false;
		const char *fix = NULL;

		json_array_foreach(evs, j, ev) {
			const char *key;
			json_t *val;

			json_object_foreach(ev, key, val) {
				if (n < HD_ARRAY_SIZE(e) && json_is_string(val)) {
					e[n].kind = key;
					e[n].v = json_string_value(val);
					n++;
				}
			}
		}
		scheme_g = scheme;
		qsort(e, n, sizeof(*e), cmp_event);
		for (j = 0; j < n; j++) {
			bool zero = !strcmp(e[j].v, "0");

			if (!strcmp(e[j].kind, "introduced")) {
				if (zero || hd_vercmp((enum hd_vscheme)scheme, v, e[j].v) >= 0)
					aff = true;
			} else if (!strcmp(e[j].kind, "fixed")) {
				if (hd_vercmp((enum hd_vscheme)scheme, v, e[j].v) >= 0)
					aff = false;
				else if (aff && !fix)
					fix = e[j].v;
			} else if (!strcmp(e[j].kind, "last_affected")) {
				if (hd_vercmp((enum hd_vscheme)scheme, v, e[j].v) > 0)
					aff = false;
			} else if (!strcmp(e[j].kind, "limit")) {
				if (!zero && hd_vercmp((enum hd_vscheme)scheme, v, e[j].v) >= 0)
					limited = true;
			}
			/* Once v is past an event, later events decide; stop at the first above v. */
			if (strcmp(e[j].kind, "introduced") && aff && fix)
				break;
		}
		if (aff && !limited) {
			hit = true;
			if (fix && !*fixed)
				*fixed = hd_strdup(fix);
			if (!fix)
				*last_affected = true;
		}
	}
	json_decref(rs);
	json_decref(vs);
	return hit;
}

/* ---- one package ------------------------------------------------------- */

static enum hd_severity sev_of(const char *s)
{
	if (!s)
		return HD_SEV_MEDIUM;
	if (!strcmp(s, "critical"))
		return HD_SEV_CRITICAL;
	if (!strcmp(s, "high"))
		return HD_SEV_HIGH;
	if (!strcmp(s, "medium"))
		return HD_SEV_MEDIUM;
	if (!strcmp(s, "low") || !strcmp(s, "none"))
		return HD_SEV_LOW;
	return HD_SEV_MEDIUM;
}

/* Debian urgency ("high**": the tracker's guess from NVD) to a severity. */
static enum hd_severity urgency_sev(const char *u, bool *known)
{
	size_t n = strcspn(u, "*");

	*known = true;
	if (!strncmp(u, "unimportant", n) && n == 11)
		return HD_SEV_LOW;
	if (!strncmp(u, "low", n) && n == 3)
		return HD_SEV_LOW;
	if (!strncmp(u, "medium", n) && n == 6)
		return HD_SEV_MEDIUM;
	if (!strncmp(u, "high", n) && n == 4)
		return HD_SEV_HIGH;
	*known = false;
	return HD_SEV_MEDIUM;
}

/* Judges a Debian tracker record for an installed source version. */
static bool judge_debian(struct hit *x, const char *srcver)
{
	struct hd_vdb_hit *h = x->h;
	const char *status = h->a ? h->a : "", *urg = h->c ? h->c : "not yet assigned", *reason = h->d;
	bool known;

	x->sev = urgency_sev(urg, &known);
	x->sev_from = hd_asprintf(known ? "Debian urgency %s" : "Debian urgency: %s", urg);
	if (!strcmp(status, "resolved")) {
		if (!h->b || hd_vercmp_dpkg(srcver, h->b) >= 0)
			return false;
		x->fixed = hd_strdup(h->b);
		x->status = hd_asprintf("fixed in %s", h->b);
	} else {
		x->flags |= HD_VF_UNFIXED;
		x->status = hd_strdup(!strcmp(status, "open") ? "no fix yet" : "no fix yet (undetermined)");
	}
	if (!strncmp(urg, "unimportant", 11)) {
		x->flags |= HD_VF_MINOR;
		hd_free(x->status);
		x->status = hd_strdup("unimportant to Debian");
	} else if (reason && (!strcmp(reason, "ignored") || !strcmp(reason, "postponed"))) {
		x->flags |= HD_VF_MINOR;
		hd_free(x->status);
		x->status = hd_asprintf("%s by Debian (no DSA)%s%s", reason, x->fixed ? ", fixed in " : "",
					x->fixed ? x->fixed : "");
	}
	return true;
}

static bool judge_alpine(struct hit *x, const char *ver)
{
	if (!x->h->b || hd_vercmp_apk(ver, x->h->b) >= 0)
		return false;
	x->fixed = hd_strdup(x->h->b);
	x->status = hd_asprintf("fixed in %s", x->h->b);
	x->sev = HD_SEV_MEDIUM;
	x->sev_from = hd_strdup("Alpine secdb gives no severity");
	return true;
}

static bool judge_osv(struct hit *x, enum hd_vscheme s, const char *ver)
{
	bool last;

	if (!hd_osv_affected((int)s, ver, x->h->a, x->h->b, &x->fixed, &last))
		return false;
	if (x->fixed) {
		x->status = hd_asprintf("fixed in %s", x->fixed);
	} else {
		x->flags |= HD_VF_UNFIXED;
		x->status = hd_strdup(last ? "no fix yet (affected up to the last version listed)" : "no fix yet");
	}
	x->sev = sev_of(x->h->severity);
	if (x->h->score > 0)
		x->sev_from = hd_asprintf("CVSS %.1f", x->h->score);
	else
		x->sev_from = hd_strdup(x->h->severity ? "the advisory's rating" : "no rating: medium assumed");
	return true;
}

/* Whether two records name the same vulnerability (an id or alias in common). */
static bool same_vuln(const struct hd_vdb_hit *a, const struct hd_vdb_hit *b)
{
	const char *lists[2][2] = { { a->id, a->aliases }, { b->id, b->aliases } };
	int i, j;

	for (i = 0; i < 2; i++) {
		const char *s = lists[0][i];

		while (s && *s) {
			size_t n = strcspn(s, " ");

			for (j = 0; j < 2; j++) {
				const char *t = lists[1][j];

				while (t && *t) {
					size_t m = strcspn(t, " ");

					if (m == n && !memcmp(s, t, n))
						return true;
					t += m + (t[m] == ' ');
				}
			}
			s += n + (s[n] == ' ');
		}
	}
	return false;
}

static int add_ids(struct hd_buf *b, const char *list)
{
	while (list && *list) {
		size_t n = strcspn(list, " ");
		char *p = b->buf;
		bool dup = false;

		/* skip ids already listed */
		while (*p) {
			size_t m = strcspn(p, " ");

			if (m == n && !memcmp(p, list, n))
				dup = true;
			p += m + (p[m] == ' ');
		}
		if (!dup && n && ((b->len && hd_buf_addch(b, ' ') < 0) || hd_buf_add(b, list, n) < 0))
			return -HD_ENOMEM;
		list += n + (list[n] == ' ');
	}
	return 0;
}

static int cmp_str(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/* Sorts the space-separated ids and picks the primary one (a CVE if any). */
static int sort_ids(char *ids, char **primary)
{
	char *v[256], *s, *save = NULL;
	size_t n = 0, i;
	struct hd_buf out = HD_BUF_INIT(64 * 1024);

	*primary = NULL;
	for (s = strtok_r(ids, " ", &save); s && n < HD_ARRAY_SIZE(v); s = strtok_r(NULL, " ", &save))
		v[n++] = s;
	qsort(v, n, sizeof(*v), cmp_str);
	for (i = 0; i < n; i++) {
		if (!*primary && hd_starts_with(v[i], "CVE-"))
			*primary = hd_strdup(v[i]);
		if ((i && hd_buf_addch(&out, ' ') < 0) || hd_buf_addstr(&out, v[i]) < 0)
			break;
	}
	if (!*primary && n)
		*primary = hd_strdup(v[0]);
	memcpy(ids, out.buf, out.len + 1);
	hd_buf_release(&out);
	return *primary || !n ? 0 : -HD_ENOMEM;
}

static const struct hd_vuln_ignore *ignored(const struct hd_config *cfg, const struct hd_package *p,
					    const char *ids, int64_t now, struct hd_vuln_result *res)
{
	size_t i;

	if (!cfg)
		return NULL;
	for (i = 0; i < cfg->n_vuln_ignores; i++) {
		const struct hd_vuln_ignore *g = &cfg->vuln_ignores[i];
		const char *s = ids;
		bool named = false;

		if (g->package && strcmp(g->package, p->name) && (!p->source_name || strcmp(g->package, p->source_name)))
			continue;
		while (*s) {
			size_t n = strcspn(s, " ");

			if (n == strlen(g->id) && !memcmp(s, g->id, n))
				named = true;
			s += n + (s[n] == ' ');
		}
		if (!named)
			continue;
		if (g->expires && now >= g->expires) {
			note(res, "the ignore-vulnerabilities entry for %s%s%s (line %u) expired on %s: it is reported again",
			     g->id, g->package ? " in " : "", g->package ? g->package : "", g->line, g->expires_text);
			continue;
		}
		return g;
	}
	return NULL;
}

static int merge(struct hd_vuln_result *res, const struct hd_package *p, struct hit *x, size_t n,
		 const struct hd_vuln_opts *o)
{
	size_t i, j;
	int r = 0;

	/* Groups: records that share an id or alias, transitively. */
	for (i = 0; i < n; i++)
		x[i].group = i;
	for (i = 0; i < n; i++) {
		for (j = i + 1; j < n; j++) {
			if (x[j].group != x[i].group && same_vuln(x[i].h, x[j].h)) {
				size_t from = x[j].group, to = x[i].group, k;

				for (k = 0; k < n; k++) {
					if (x[k].group == from)
						x[k].group = to;
				}
			}
		}
	}
	for (i = 0; i < n && r == 0; i++) {
		struct hd_buf ids = HD_BUF_INIT(64 * 1024);
		struct hd_vuln_finding f = { .pkg = p };
		struct hit *best = NULL;
		const struct hd_vuln_ignore *ig;

		if (x[i].group != i)
			continue;
		for (j = i; j < n && r == 0; j++) {
			if (x[j].group != i)
				continue;
			if ((r = add_ids(&ids, x[j].h->id)) == 0)
				r = add_ids(&ids, x[j].h->aliases);
			/* The highest severity; a fix if any record knows one (the highest). */
			if (!best || x[j].sev > best->sev)
				best = &x[j];
			if (x[j].fixed && (!f.fixed || hd_vercmp(eco_scheme(p->eco), x[j].fixed, f.fixed) > 0)) {
				hd_free(f.fixed);
				f.fixed = hd_strdup(x[j].fixed);
			}
		}
		if (r < 0 || !(f.ids = hd_buf_detach(&ids, NULL))) {
			hd_buf_release(&ids);
			hd_free(f.fixed);
			return r < 0 ? r : -HD_ENOMEM;
		}
		sort_ids(f.ids, &f.id);
		f.severity = best->sev;
		f.severity_from = best->sev_from ? hd_strdup(best->sev_from) : NULL;
		f.summary = best->h->summary ? hd_strdup(best->h->summary) : NULL;
		f.source = hd_strdup(best->h->source);
		f.flags = best->flags;
		if (f.fixed) {
			f.flags &= ~HD_VF_UNFIXED;
			f.status = hd_strdup(best->flags & HD_VF_MINOR && best->status ? best->status : "");
			if (!(best->flags & HD_VF_MINOR)) {
				hd_free(f.status);
				f.status = hd_asprintf("fixed in %s", f.fixed);
			}
		} else {
			f.status = best->status ? hd_strdup(best->status) : NULL;
		}
		ig = ignored(o->cfg, p, f.ids, o->now, res);
		if (ig) {
			f.flags |= HD_VF_IGNORED;
			f.ignore_reason = ig->reason;
		}
		if (!f.id || !f.status || !f.source) {
			r = -HD_ENOMEM;
		} else if (f.flags & HD_VF_IGNORED) {
			res->hidden_ignored++;
		} else if ((f.flags & HD_VF_MINOR) && !o->show_minor) {
			res->hidden_minor++;
		} else if ((f.flags & HD_VF_UNFIXED) && o->ignore_unfixed) {
			res->hidden_unfixed++;
		} else if (res->n >= HD_MAX_FINDINGS || HD_GROW(res->v, res->alloc, res->n + 1) < 0) {
			r = -HD_ENOMEM;
		} else {
			res->v[res->n++] = f;
			continue;
		}
		hd_free(f.id);
		hd_free(f.ids);
		hd_free(f.summary);
		hd_free(f.severity_from);
		hd_free(f.fixed);
		hd_free(f.status);
		hd_free(f.source);
	}
	return r;
}

/* The database keys for a package: primary then secondary ecosystem. */
static void keys_for(struct hd_vdb *db, const struct hd_package *p, const struct hd_os_release *os,
		     char *k1, char *k2, size_t n, int *kind1)
{
	k1[0] = k2[0] = '\0';
	*kind1 = 0;
	switch (p->eco) {
	case HD_ECO_DEB:
		if (os->codename)
			snprintf(k1, n, "debian:%s", os->codename);
		if (os->version_id)
			snprintf(k2, n, "Debian:%.*s", (int)strcspn(os->version_id, "."), os->version_id);
		/* The tracker first; OSV's Debian records when the tracker has nothing for this release. */
		if (k1[0] && !hd_vdb_has_eco(db, k1)) {
			memmove(k1, k2, n);
			k2[0] = '\0';
		}
		break;
	case HD_ECO_APK:
		if (os->version_id) {
			size_t dots = 0, i;

			for (i = 0; os->version_id[i] && dots < 2; i++)
				dots += os->version_id[i] == '.';
			snprintf(k1, n, "alpine:v%.*s", (int)(i - (dots == 2)), os->version_id);
			snprintf(k2, n, "Alpine:v%.*s", (int)(i - (dots == 2)), os->version_id);
			if (!hd_vdb_has_eco(db, k1)) {
				memmove(k1, k2, n);
				k2[0] = '\0';
			}
		}
		break;
	case HD_ECO_NPM:
		snprintf(k1, n, "npm");
		break;
	case HD_ECO_PYPI:
		snprintf(k1, n, "PyPI");
		break;
	case HD_ECO_GO:
		snprintf(k1, n, "Go");
		break;
	case HD_ECO_MAVEN:
		snprintf(k1, n, "Maven");
		break;
	default:
		break;
	}
}

static int match_package(struct hd_vdb *db, const struct hd_package *p, const struct hd_os_release *os,
			 const struct hd_vuln_opts *o, struct hd_vuln_result *res)
{
	char k1[128], k2[128];
	const char *name = hd_eco_is_os(p->eco) && p->source_name ? p->source_name : p->name;
	const char *ver = hd_eco_is_os(p->eco) && p->source_version ? p->source_version : p->version;
	struct hd_vdb_hits hits = { 0 };
	struct hit *x = NULL;
	size_t i, n = 0;
	int kind1, r;

	keys_for(db, p, os, k1, k2, sizeof(k1), &kind1);
	if (!k1[0])
		return 0;
	r = hd_vdb_lookup(db, k1, name, &hits);
	if (r < 0)
		return r;
	if (hits.n && !(x = hd_calloc(hits.n, sizeof(*x)))) {
		hd_vdb_hits_release(&hits);
		return -HD_ENOMEM;
	}
	for (i = 0; i < hits.n; i++) {
		struct hit *h = &x[n];
		bool in;

		h->h = &hits.v[i];
		switch (hits.v[i].kind) {
		case HD_VDB_DEBIAN:
			in = judge_debian(h, ver);
			break;
		case HD_VDB_ALPINE:
			in = judge_alpine(h, ver);
			break;
		default:
			in = judge_osv(h, eco_scheme(p->eco), ver);
			break;
		}
		if (in)
			n++;
		else {
			hd_free(h->sev_from);
			hd_free(h->fixed);
			hd_free(h->status);
			memset(h, 0, sizeof(*h));
		}
	}
	r = merge(res, p, x, n, o);
	for (i = 0; i < n; i++) {
		hd_free(x[i].sev_from);
		hd_free(x[i].fixed);
		hd_free(x[i].status);
	}
	hd_free(x);
	hd_vdb_hits_release(&hits);
	res->packages_checked++;
	return r;
}

static int cmp_finding(const void *a, const void *b)
{
	const struct hd_vuln_finding *x = a, *y = b;
	int r;

	if (x->severity != y->severity)
		return x->severity > y->severity ? -1 : 1;
	if ((r = strcmp(x->pkg->name, y->pkg->name)) != 0)
		return r;
	if ((r = strcmp(x->pkg->version, y->pkg->version)) != 0)
		return r;
	return strcmp(x->id, y->id);
}

int hd_vuln_match(struct hd_vdb *db, const struct hd_packages *pk, const struct hd_vuln_opts *o,
		  struct hd_vuln_result *out)
{
	size_t i;
	bool warned[HD_ECO_MAX] = { false };
	int r = 0;

	for (i = 0; i < pk->n && r == 0; i++) {
		const struct hd_package *p = &pk->v[i];

		if (p->eco == HD_ECO_RPM) {
			if (!warned[p->eco])
				r = note(out, "rpm packages are catalogued but not matched: hardock reads no rpm "
					 "vulnerability feed");
			warned[p->eco] = true;
			continue;
		}
		if ((p->eco == HD_ECO_DEB && !pk->os.codename && !pk->os.version_id) ||
		    (p->eco == HD_ECO_APK && !pk->os.version_id)) {
			if (!warned[p->eco])
				r = note(out, "the OS release is unknown (no os-release): %s packages are not matched",
					 hd_eco_name(p->eco));
			warned[p->eco] = true;
			continue;
		}
		r = match_package(db, p, &pk->os, o, out);
	}
	if (out->n > 1)
		qsort(out->v, out->n, sizeof(*out->v), cmp_finding);
	return r;
}
