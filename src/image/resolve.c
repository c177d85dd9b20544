/*
 * From the blobs of a target to its images: which layout it is (docker
 * save's manifest.json, else an OCI index.json), which manifest of a
 * multi-platform index applies, the digests checked against what the
 * manifests and the config say, then each image's final tree resolved from
 * its layer indexes, bottom to top: an entry of layer i is in the final tree
 * unless a layer above it has the same path (for folders: a whiteout or an
 * opaque marker at it), a whiteout of it or of a folder above it, an opaque
 * marker on a folder above it, or a non-folder where a folder above it was.
 */
#include "core/common.h"
#include "core/buf.h"
#include "image/archive.h"
#include "image/hash.h"
#include "image/history.h"
#include "image/image.h"
#include "image/meta.h"
#include "image/scan.h"
#include "model/image.h"
#include "model/image_files.h"
#include "model/package.h"
#include "vuln/catalog.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <sys/utsname.h>
#include <unistd.h>

#define MAX_INDEX_DEPTH 4
#define MAX_SYMLINK_HOPS 40
#define MAX_ANOMALIES 5000u
#define DISPLAY_STEP 100

/* ---- options and platforms ---------------------------------------------------------- */

void hd_image_opts_init(struct hd_image_opts *o)
{
	memset(o, 0, sizeof(*o));
	hd_image_limits_default(&o->lim);
	o->scan_secrets = true;
}

static void host_arch(const char **arch, const char **variant)
{
	static const struct {
		const char *machine, *arch, *variant;
	} map[] = {
		{ "x86_64", "amd64", NULL }, { "amd64", "amd64", NULL }, { "aarch64", "arm64", "v8" },
		{ "arm64", "arm64", "v8" },  { "armv7l", "arm", "v7" },  { "armv6l", "arm", "v6" },
		{ "i686", "386", NULL },     { "i386", "386", NULL },    { "ppc64le", "ppc64le", NULL },
		{ "s390x", "s390x", NULL },  { "riscv64", "riscv64", NULL },
	};
	struct utsname u;
	size_t i;

	*arch = "amd64";
	*variant = NULL;
	if (uname(&u) != 0)
		return;
	for (i = 0; i < HD_ARRAY_SIZE(map); i++) {
		if (!strcmp(u.machine, map[i].machine)) {
			*arch = map[i].arch;
			*variant = map[i].variant;
			return;
		}
	}
}

const char *hd_host_platform(char *buf, size_t n)
{
	const char *arch, *variant;

	host_arch(&arch, &variant);
	snprintf(buf, n, "linux/%s%s%s", arch, variant && strcmp(arch, "arm64") ? "/" : "",
		 variant && strcmp(arch, "arm64") ? variant : "");
	return buf;
}

int hd_platform_check(const char *s)
{
	size_t parts = 1, len = 0;

	if (!s || !*s || *s == '/')
		return -HD_EINVAL;
	for (; *s; s++) {
		if (*s == '/') {
			if (len == 0)
				return -HD_EINVAL;
			parts++;
			len = 0;
		} else if (isalnum((unsigned char)*s) || *s == '_' || *s == '-' || *s == '.')
			len++;
		else
			return -HD_EINVAL;
	}
	return (parts == 2 || parts == 3) && len ? 0 : -HD_EINVAL;
}

struct platform {
	char os[64], arch[64], variant[64];
	bool explicit_variant;
};

static void platform_of(const char *spec, struct platform *p)
{
	const char *arch, *variant;

	memset(p, 0, sizeof(*p));
	if (spec) {
		sscanf(spec, "%63[^/]/%63[^/]/%63s", p->os, p->arch, p->variant);
		p->explicit_variant = p->variant[0] != '\0';
		return;
	}
	host_arch(&arch, &variant);
	snprintf(p->os, sizeof(p->os), "linux");
	snprintf(p->arch, sizeof(p->arch), "%s", arch);
	snprintf(p->variant, sizeof(p->variant), "%s", variant ? variant : "");
}

/* The variant an architecture has when none is written. */
static const char *default_variant(const char *arch)
{
	return !strcmp(arch, "arm64") ? "v8" : !strcmp(arch, "arm") ? "v7" : "";
}

/* 0: no match; 1: os and architecture; 2: the variant too. */
static int platform_score(const struct platform *want, const struct hd_desc *d)
{
	const char *v;

	if (!d->os || !d->arch || strcmp(d->os, want->os) || strcmp(d->arch, want->arch))
		return 0;
	v = d->variant && *d->variant ? d->variant : default_variant(d->arch);
	if (!strcmp(v, want->variant[0] ? want->variant : default_variant(want->arch)))
		return 2;
	return want->explicit_variant ? 0 : 1;
}

/* ---- the set -------------------------------------------------------------------------- */

static int addv(char ***v, size_t *n, const char *fmt, va_list ap) __attribute__((format(printf, 3, 0)));
static int addv(char ***v, size_t *n, const char *fmt, va_list ap)
{
	char msg[2048];
	char **nv;

	vsnprintf(msg, sizeof(msg), fmt, ap);
	nv = hd_realloc(*v, (*n + 1) * sizeof(*nv));
	if (!nv)
		return -HD_ENOMEM;
	*v = nv;
	nv[*n] = hd_strdup(msg);
	if (!nv[*n])
		return -HD_ENOMEM;
	(*n)++;
	return 0;
}

static int set_error(struct hd_image_set *s, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static int set_error(struct hd_image_set *s, const char *fmt, ...)
{
	va_list ap;
	int r;

	va_start(ap, fmt);
	r = addv(&s->errors, &s->n_errors, fmt, ap);
	va_end(ap);
	return r;
}

static int img_error(struct hd_image *im, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static int img_error(struct hd_image *im, const char *fmt, ...)
{
	va_list ap;
	int r;

	va_start(ap, fmt);
	r = addv(&im->errors, &im->n_errors, fmt, ap);
	va_end(ap);
	return r;
}

static void strv_free(char **v, size_t n)
{
	for (size_t i = 0; v && i < n; i++)
		hd_free(v[i]);
	hd_free(v);
}

void hd_image_set_release(struct hd_image_set *s)
{
	size_t i;

	if (!s)
		return;
	for (i = 0; i < s->n; i++) {
		hd_free(s->v[i].name);
		hd_free(s->v[i].source);
		hd_image_spec_free(s->v[i].spec);
		hd_image_files_free(s->v[i].files);
		if (s->v[i].packages) {
			hd_packages_release(s->v[i].packages);
			hd_free(s->v[i].packages);
		}
		strv_free(s->v[i].errors, s->v[i].n_errors);
	}
	hd_free(s->v);
	strv_free(s->errors, s->n_errors);
	hd_free(s->target);
	memset(s, 0, sizeof(*s));
}

/* ---- plans: which blobs make which image ---------------------------------------------------- */

struct plan_layer {
	char *name;          /* archive path of the blob */
	char *digest;        /* what the manifest says it is, or NULL */
	int64_t size;        /* what the manifest says, or -1 */
	bool foreign;        /* a foreign layer (urls): not distributed with the image */
};

struct plan {
	char *name;
	char **tags;
	size_t n_tags;
	char *config;        /* archive path */
	char *config_digest; /* expected, or NULL */
	struct plan_layer *layers;
	size_t n_layers;
	char *error;         /* the plan could not be completed */
	char *platform;      /* "linux/amd64" when chosen from an index */
};

struct plans {
	struct plan *v;
	size_t n, alloc;
};

static void plans_release(struct plans *p)
{
	size_t i, j;

	for (i = 0; i < p->n; i++) {
		struct plan *x = &p->v[i];

		hd_free(x->name);
		strv_free(x->tags, x->n_tags);
		hd_free(x->config);
		hd_free(x->config_digest);
		for (j = 0; j < x->n_layers; j++) {
			hd_free(x->layers[j].name);
			hd_free(x->layers[j].digest);
		}
		hd_free(x->layers);
		hd_free(x->error);
		hd_free(x->platform);
	}
	hd_free(p->v);
	memset(p, 0, sizeof(*p));
}

static struct plan *plan_add(struct plans *p)
{
	if (HD_GROW(p->v, p->alloc, p->n + 1) < 0)
		return NULL;
	memset(&p->v[p->n], 0, sizeof(p->v[0]));
	return &p->v[p->n++];
}

/* "<64 hex>.json" (the config of a docker save before Docker 25): its digest. */
static char *name_digest(const char *name)
{
	char d[80];

	if (hd_starts_with(name, "blobs/sha256/"))
		snprintf(d, sizeof(d), "sha256:%.70s", name + 13);
	else if (strlen(name) == 69 && hd_ends_with(name, ".json"))
		snprintf(d, sizeof(d), "sha256:%.64s", name);
	else
		return NULL;
	return hd_digest_valid(d) ? hd_strdup(d) : NULL;
}

static char *norm_name(const char *s)
{
	char buf[4200];
	bool a, d;
	int n = hd_path_normalise(s, buf, sizeof(buf), &a, &d);

	return n < 0 ? NULL : hd_strdup(buf);
}

static int plans_from_save(struct hd_archive *ar, struct hd_blob *mb, struct plans *out, struct hd_image_set *s)
{
	struct hd_save_entry *v = NULL;
	char err[512];
	size_t n = 0, i, j;
	int r;

	r = hd_meta_save_manifest(mb->json, mb->json_len, &v, &n, err, sizeof(err));
	if (r == -HD_EPARSE)
		return set_error(s, "'%s': %s", ar->display, err);
	if (r < 0)
		return r;
	for (i = 0; i < n; i++) {
		struct plan *p = plan_add(out);

		if (!p) {
			r = -HD_ENOMEM;
			break;
		}
		p->config = norm_name(v[i].config);
		p->tags = v[i].tags;
		p->n_tags = v[i].n_tags;
		v[i].tags = NULL;
		v[i].n_tags = 0;
		p->layers = hd_calloc(v[i].n_layers + 1, sizeof(*p->layers));
		if (!p->layers) {
			r = -HD_ENOMEM;
			break;
		}
		if (!p->config) {
			p->error = hd_asprintf("manifest.json names its config '%.200s', a path out of the archive",
					       v[i].config);
			if (!p->error) {
				r = -HD_ENOMEM;
				break;
			}
		}
		p->config_digest = p->config ? name_digest(p->config) : NULL;
		for (j = 0; j < v[i].n_layers; j++) {
			p->layers[j].name = norm_name(v[i].layers[j]);
			p->layers[j].size = -1;
			if (!p->layers[j].name)
				p->layers[j].name = hd_strdup("(a path out of the archive)");
			if (!p->layers[j].name) {
				r = -HD_ENOMEM;
				break;
			}
			p->layers[j].digest = hd_starts_with(p->layers[j].name, "blobs/sha256/")
						      ? name_digest(p->layers[j].name) : NULL;
			p->n_layers++;
		}
		if (r < 0)
			break;
	}
	hd_save_entries_free(v, n);
	return r;
}

static char *platform_str(const struct hd_desc *d)
{
	return hd_asprintf("%s/%s%s%s", d->os ? d->os : "?", d->arch ? d->arch : "?",
			   d->variant && *d->variant ? "/" : "", d->variant && *d->variant ? d->variant : "");
}

/* Reads the OCI document a descriptor points to; NULL with the reason in err. */
static int fetch_doc(struct hd_archive *ar, const struct hd_desc *d, struct hd_oci_doc *doc, char *err, size_t n)
{
	char name[96], what[128];
	struct hd_blob *b;
	int r;

	if (!hd_digest_blob_name(d->digest, name, sizeof(name))) {
		snprintf(err, n, "'%.100s' is not a sha256 digest", d->digest);
		return -HD_EPARSE;
	}
	b = hd_archive_fetch(ar, name, &r);
	if (r < 0)
		return r;
	if (!b || b->kind == HD_BLOB_UNREAD) {
		snprintf(err, n, "missing blob %s (%s)", name, d->media_type ? d->media_type : "a manifest");
		return -HD_ENOENT;
	}
	if (b->error) {
		snprintf(err, n, "%s", b->error);
		return -HD_EPARSE;
	}
	if (b->kind != HD_BLOB_JSON) {
		snprintf(err, n, "%s is not a JSON document", name);
		return -HD_EPARSE;
	}
	if (d->size >= 0 && (uint64_t)d->size != b->size) {
		snprintf(err, n, "%s has %" PRIu64 " bytes; its descriptor says %" PRId64, name, b->size, d->size);
		return -HD_EPARSE;
	}
	snprintf(what, sizeof(what), "%s", name);
	return hd_meta_oci(b->json, b->json_len, what, doc, err, n);
}

/*
 * The name of an image an OCI index annotates: a full reference as it is
 * ("docker.io/library/busybox:1.36"); a bare tag, as skopeo and umoci write
 * org.opencontainers.image.ref.name ("1.0"), after the layout's own name
 * ("app:1.0" for app/ or app.tar).
 */
static char *ref_name(const char *display, const char *ref)
{
	size_t end = strlen(display), n;
	const char *b;

	if (strchr(ref, ':') || strchr(ref, '/') || strchr(ref, '@'))
		return hd_strdup(ref);
	while (end > 1 && display[end - 1] == '/')
		end--;
	for (b = display + end; b > display && b[-1] != '/'; b--)
		;
	n = (size_t)(display + end - b);
	if (n > 4 && !strncmp(b + n - 4, ".tar", 4))
		n -= 4;
	return hd_asprintf("%.*s:%s", (int)n, b, ref);
}

static int plan_from_manifest(struct hd_archive *ar, const struct hd_desc *d, const char *ref,
			      const char *platform, struct plans *out)
{
	struct hd_oci_doc doc;
	struct plan *p = plan_add(out);
	char err[1024];
	size_t i;
	int r;

	if (!p)
		return -HD_ENOMEM;
	p->name = ref ? ref_name(ar->display, ref) : NULL;
	p->platform = platform ? hd_strdup(platform) : NULL;
	if (ref && (!p->name || !(p->tags = hd_calloc(2, sizeof(char *)))))
		return -HD_ENOMEM;
	if (ref) {
		p->tags[0] = hd_strdup(p->name);
		p->n_tags = p->tags[0] ? 1 : 0;
	}
	r = fetch_doc(ar, d, &doc, err, sizeof(err));
	if (r == -HD_ENOMEM)
		return r;
	if (r < 0 || doc.kind != HD_DOC_MANIFEST) {
		if (r >= 0) {
			hd_oci_doc_release(&doc);
			snprintf(err, sizeof(err), "%s is not an image manifest", d->digest);
		}
		p->error = hd_asprintf("manifest %s: %s", d->digest, err);
		return p->error ? 0 : -HD_ENOMEM;
	}
	hd_digest_blob_name(doc.config.digest, err, sizeof(err));
	p->config = hd_strdup(hd_digest_valid(doc.config.digest) ? err : "(not a sha256 digest)");
	p->config_digest = hd_strdup(doc.config.digest);
	p->layers = hd_calloc(doc.n_layers + 1, sizeof(*p->layers));
	if (!p->config || !p->config_digest || !p->layers) {
		hd_oci_doc_release(&doc);
		return -HD_ENOMEM;
	}
	for (i = 0; i < doc.n_layers; i++) {
		struct plan_layer *l = &p->layers[i];
		char name[96];

		l->name = hd_strdup(hd_digest_blob_name(doc.layers[i].digest, name, sizeof(name))
					    ? name : "(not a sha256 digest)");
		l->digest = hd_strdup(doc.layers[i].digest);
		l->size = doc.layers[i].size;
		l->foreign = doc.layers[i].n_urls > 0;
		p->n_layers++;
		if (!l->name || !l->digest) {
			hd_oci_doc_release(&doc);
			return -HD_ENOMEM;
		}
	}
	hd_oci_doc_release(&doc);
	return 0;
}

/* Chooses among the image manifests of descs (one image, several platforms). */
static int choose_platform(struct hd_archive *ar, const struct hd_desc *descs, size_t n, const char *ref,
			   const struct platform *want, int depth, struct plans *out, struct hd_image_set *s);

static int plan_from_desc(struct hd_archive *ar, const struct hd_desc *d, const char *ref,
			  const struct platform *want, int depth, struct plans *out, struct hd_image_set *s)
{
	enum hd_doc_kind k = hd_media_kind(d->media_type);
	struct hd_oci_doc doc;
	char err[1024];
	int r;

	if (k == HD_DOC_MANIFEST || (k == HD_DOC_UNKNOWN && !d->media_type && depth > 0))
		return plan_from_manifest(ar, d, ref, NULL, out);
	/* An index, or a descriptor whose kind its document tells. */
	if (depth >= MAX_INDEX_DEPTH)
		return set_error(s, "'%s': indexes nested deeper than %d levels", ar->display, MAX_INDEX_DEPTH);
	r = fetch_doc(ar, d, &doc, err, sizeof(err));
	if (r == -HD_ENOMEM)
		return r;
	if (r < 0)
		return set_error(s, "'%s': %s", ar->display, err);
	if (doc.kind == HD_DOC_MANIFEST) {
		hd_oci_doc_release(&doc);
		return plan_from_manifest(ar, d, ref, NULL, out);
	}
	r = choose_platform(ar, doc.manifests, doc.n_manifests, ref, want, depth + 1, out, s);
	hd_oci_doc_release(&doc);
	return r;
}

static int choose_platform(struct hd_archive *ar, const struct hd_desc *descs, size_t n, const char *ref,
			   const struct platform *want, int depth, struct plans *out, struct hd_image_set *s)
{
	struct hd_buf avail = HD_BUF_INIT(4096);
	size_t i, images = 0, best = n;
	int best_score = 0, r;

	for (i = 0; i < n; i++) {
		int sc;

		if (descs[i].attestation)
			continue;
		images++;
		sc = platform_score(want, &descs[i]);
		if (sc > best_score) {
			best_score = sc;
			best = i;
		}
	}
	if (images == 1 && best == n) {
		/* One image without a matching platform field: it is the image. */
		for (i = 0; i < n && descs[i].attestation; i++)
			;
		if (!descs[i].os)
			return plan_from_desc(ar, &descs[i], ref, want, depth, out, s);
	}
	if (best < n) {
		char *plat = platform_str(&descs[best]);

		if (!plat)
			return -HD_ENOMEM;
		r = plan_from_desc(ar, &descs[best], ref, want, depth, out, s);
		if (r >= 0 && out->n && !out->v[out->n - 1].platform)
			out->v[out->n - 1].platform = plat;
		else
			hd_free(plat);
		return r;
	}
	for (i = 0; i < n; i++) {
		char *p;

		if (descs[i].attestation)
			continue;
		p = platform_str(&descs[i]);
		if (!p || hd_buf_addf(&avail, "%s%s", avail.len ? ", " : "", p) < 0) {
			hd_free(p);
			hd_buf_release(&avail);
			return -HD_ENOMEM;
		}
		hd_free(p);
	}
	r = set_error(s, "'%s'%s%s%s: no image for platform %s/%s%s%s in the index (it has: %s); choose one "
		      "with --platform", ar->display, ref ? " (" : "", ref ? ref : "", ref ? ")" : "", want->os,
		      want->arch, want->variant[0] ? "/" : "", want->variant, avail.len ? avail.buf : "none");
	hd_buf_release(&avail);
	return r;
}

static int plans_from_index(struct hd_archive *ar, struct hd_blob *ib, const struct platform *want,
			    struct plans *out, struct hd_image_set *s)
{
	struct hd_oci_doc doc;
	char err[1024];
	size_t i, j;
	int r;

	r = hd_meta_oci(ib->json, ib->json_len, "index.json", &doc, err, sizeof(err));
	if (r == -HD_EPARSE)
		return set_error(s, "'%s': %s", ar->display, err);
	if (r < 0)
		return r;
	if (doc.kind != HD_DOC_INDEX || doc.n_manifests == 0) {
		hd_oci_doc_release(&doc);
		return set_error(s, "'%s': index.json lists no manifests", ar->display);
	}
	/*
	 * Entries with the same reference (or none) are one image in several
	 * platforms; each reference of its own is an image.
	 */
	for (i = 0; i < doc.n_manifests; i++) {
		const char *ref = doc.manifests[i].ref_name;
		struct hd_desc *group;
		size_t n = 0;
		bool seen = false;

		for (j = 0; j < i && !seen; j++)
			seen = (!ref && !doc.manifests[j].ref_name) ||
			       (ref && doc.manifests[j].ref_name && !strcmp(ref, doc.manifests[j].ref_name));
		if (seen)
			continue;
		group = hd_calloc(doc.n_manifests, sizeof(*group));
		if (!group) {
			r = -HD_ENOMEM;
			break;
		}
		for (j = i; j < doc.n_manifests; j++) {
			const char *rj = doc.manifests[j].ref_name;

			if ((!ref && !rj) || (ref && rj && !strcmp(ref, rj)))
				group[n++] = doc.manifests[j]; /* shallow: doc owns the strings */
		}
		if (n == 1)
			r = plan_from_desc(ar, &group[0], ref, want, 0, out, s);
		else
			r = choose_platform(ar, group, n, ref, want, 0, out, s);
		hd_free(group);
		if (r < 0)
			break;
	}
	hd_oci_doc_release(&doc);
	return r;
}

/* ---- final tree ------------------------------------------------------------------------------ */

struct stack {
	struct hd_layer_index **ix; /* NULL for a layer that could not be read */
	size_t n;
};

static bool in_set(const uint64_t *v, size_t n, uint64_t h)
{
	return n && hd_u64_find(v, n, h, ~(uint64_t)0) != 0;
}

/*
 * The layer above `layer` that deletes or replaces path, or -1.  For the
 * folder records of left-over files, the same folder in a layer above does
 * not hide what is below it; a whiteout or an opaque marker does.
 */
static int removed_by(const struct stack *st, size_t layer, const char *path, uint64_t h, bool folder_content)
{
	size_t len = strlen(path), j, k;
	uint64_t anc[128];
	size_t n_anc = 0;

	/* The root, then every proper ancestor. */
	anc[n_anc++] = hd_path_hash("", 0);
	for (k = 0; k < len && n_anc < HD_ARRAY_SIZE(anc); k++) {
		if (path[k] == '/')
			anc[n_anc++] = hd_path_hash(path, k);
	}
	for (j = layer + 1; j < st->n; j++) {
		const struct hd_layer_index *ix = st->ix[j];
		uint64_t v;

		if (!ix)
			continue;
		v = ix->n_paths ? hd_u64_find(ix->paths, ix->n_paths, h, ~(uint64_t)1) : 0;
		if (v && !(folder_content && (v & 1)))
			return (int)j;
		if (in_set(ix->whiteouts, ix->n_whiteouts, h) || (folder_content && in_set(ix->opaques, ix->n_opaques, h)))
			return (int)j;
		for (k = 0; k < n_anc; k++) {
			if (in_set(ix->whiteouts, ix->n_whiteouts, anc[k]) || in_set(ix->opaques, ix->n_opaques, anc[k]))
				return (int)j;
			v = ix->n_paths ? hd_u64_find(ix->paths, ix->n_paths, anc[k], ~(uint64_t)1) : 0;
			if (v && !(v & 1))
				return (int)j;
		}
	}
	return -1;
}

/* ---- packages ------------------------------------------------------------------------------ */

struct keep_ctx {
	const struct stack *st;
	size_t layer;
};

/* Whether a file of this layer is in the final tree: no layer above deletes or replaces it. */
static bool keep_path(void *ctx, const char *path)
{
	const struct keep_ctx *k = ctx;

	return removed_by(k->st, k->layer, path, hd_path_hash(path, strlen(path)), false) < 0;
}

/* The packages of the final tree: each layer's catalogue, merged bottom up. */
static int catalog_image(struct hd_image *im, const struct stack *st, const struct hd_image_files *f)
{
	struct hd_catalog *c = hd_catalog_new();
	struct hd_packages *pk = hd_calloc(1, sizeof(*pk));
	size_t i, unread = 0, cut = 0;
	int r = 0;

	if (!c || !pk) {
		hd_catalog_free(c);
		hd_free(pk);
		return -HD_ENOMEM;
	}
	hd_packages_init(pk);
	for (i = 0; i < st->n && r == 0; i++) {
		const struct hd_layer_index *ix = st->ix[i];
		struct keep_ctx k = { st, i };

		if (!ix || ix->error)
			unread++;
		if (ix && ix->catalog_cut)
			cut++;
		if (ix && ix->catalog)
			r = hd_catalog_merge(c, ix->catalog, f->layers[i].digest, keep_path, &k);
	}
	if (r == 0)
		r = hd_catalog_finish(c, pk);
	if (r == 0 && unread)
		r = hd_packages_note(pk, "%zu of %zu layers could not be read to their end: the packages they hold "
				     "may be missing", unread, st->n);
	if (r == 0 && cut)
		r = hd_packages_note(pk, "the package catalogue of %zu layers reached a limit of core/limits.h: "
				     "some packages are missing", cut);
	hd_catalog_free(c);
	if (r < 0) {
		hd_packages_release(pk);
		hd_free(pk);
		return r;
	}
	im->packages = pk;
	return 0;
}

/* "/" + path, bytes that are not printable UTF-8 as \xNN, in the model's arena. */
static const char *disp_path(struct hd_image_files *f, const char *p, bool absolute)
{
	struct hd_buf b = HD_BUF_INIT(64 * 1024);
	const unsigned char *s = (const unsigned char *)p;
	const char *out;
	int r = absolute ? hd_buf_addch(&b, '/') : 0;

	while (*s && r >= 0) {
		size_t len = *s < 0x80 ? 1 : (*s & 0xe0) == 0xc0 ? 2 : (*s & 0xf0) == 0xe0 ? 3 : (*s & 0xf8) == 0xf0 ? 4 : 0;
		bool ok = len > 0 && !(len == 1 && (*s < 0x20 || *s == 0x7f || *s == '\\'));

		for (size_t i = 1; ok && i < len; i++)
			ok = (s[i] & 0xc0) == 0x80;
		if (ok && len == 2)
			ok = *s >= 0xc2;
		if (ok) {
			r = hd_buf_add(&b, s, len);
			s += len;
		} else {
			r = hd_buf_addf(&b, "\\x%02x", *s);
			s++;
		}
	}
	out = r >= 0 ? hd_arena_strndup(&f->arena, b.buf, b.len) : NULL;
	hd_buf_release(&b);
	return out;
}

/* Owned paths of the final tree's package databases. */
struct owned {
	uint64_t hash;
	const char *pkg;
};

static int cmp_owned(const void *a, const void *b)
{
	uint64_t x = ((const struct owned *)a)->hash, y = ((const struct owned *)b)->hash;

	return x < y ? -1 : x > y;
}

static const char *owner_of(const struct owned *v, size_t n, uint64_t h)
{
	size_t lo = 0, hi = n;

	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;

		if (v[mid].hash < h)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo < n && v[lo].hash == h ? v[lo].pkg : NULL;
}

/* Visible symlinks: path, target and hash, sorted by hash. */
struct link {
	uint64_t hash;
	const char *path;
	const char *target;
	unsigned layer;
};

static int cmp_link(const void *a, const void *b)
{
	uint64_t x = ((const struct link *)a)->hash, y = ((const struct link *)b)->hash;

	return x < y ? -1 : x > y;
}

static const struct link *link_of(const struct link *v, size_t n, uint64_t h)
{
	size_t lo = 0, hi = n;

	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;

		if (v[mid].hash < h)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo < n && v[lo].hash == h ? &v[lo] : NULL;
}

static size_t clamp_norm(const char *in, size_t n, char *out, size_t cap);

/*
 * The OS package that owns path (relative to the root), also under the
 * names the final tree's symlinks give it (merged /usr: dpkg lists /bin/su,
 * the file is usr/bin/su); NULL if none.  buf and tmp hold cap bytes each.
 */
static const char *pkg_owner(const struct owned *own, size_t n_own, const struct link *links, size_t n_links,
			     const char *p, char *buf, char *tmp, size_t cap)
{
	const char *o = n_own ? owner_of(own, n_own, hd_path_hash(p, strlen(p))) : NULL;
	size_t j;

	for (j = 0; !o && n_own && j < n_links; j++) {
		const char *t = links[j].target;
		size_t tl, dl;

		/* The link's target as a path from the root. */
		if (t[0] != '/') {
			const char *sl = strrchr(links[j].path, '/');

			dl = sl ? (size_t)(sl - links[j].path) : 0;
			if (dl + strlen(t) + 2 >= cap)
				continue;
			memcpy(tmp, links[j].path, dl);
			tmp[dl] = '/';
			memcpy(tmp + dl + 1, t, strlen(t) + 1);
			tl = clamp_norm(tmp, strlen(tmp), buf, cap);
		} else
			tl = clamp_norm(t, strlen(t), buf, cap);
		if (!tl || strncmp(p, buf, tl) != 0 || p[tl] != '/')
			continue;
		if (strlen(links[j].path) + strlen(p + tl) + 1 >= cap)
			continue;
		snprintf(tmp, cap, "%s%s", links[j].path, p + tl);
		o = owner_of(own, n_own, hd_path_hash(tmp, strlen(tmp)));
	}
	return o;
}

/* Normalises in[0..n) into out as the kernel does inside a root: ".." at the root stays there. */
static size_t clamp_norm(const char *in, size_t n, char *out, size_t cap)
{
	size_t o = 0, i = 0;

	while (i < n) {
		size_t j = i, len;

		while (j < n && in[j] != '/')
			j++;
		len = j - i;
		if (len == 2 && in[i] == '.' && in[i + 1] == '.') {
			while (o > 0 && out[o - 1] != '/')
				o--;
			if (o > 0)
				o--;
		} else if (len && !(len == 1 && in[i] == '.') && o + len + 2 < cap) {
			if (o)
				out[o++] = '/';
			memcpy(out + o, in + i, len);
			o += len;
		}
		i = j + 1;
	}
	out[o] = '\0';
	return o;
}

/* Resolves path through the visible symlinks; false when it does not end (a loop). */
static bool resolve_links(const struct link *links, size_t n, const char *path, char *buf, char *tmp, size_t cap)
{
	size_t len = clamp_norm(path, strlen(path), buf, cap), k;
	int hops = 0;

again:
	for (k = 0; k <= len; k++) {
		const struct link *l;
		size_t rest, dir, tl, nl;

		if (k < len && buf[k] != '/')
			continue;
		l = link_of(links, n, hd_path_hash(buf, k));
		if (!l)
			continue;
		if (++hops > MAX_SYMLINK_HOPS)
			return false;
		/* buf = dir(prefix) + "/" + target + rest, or target + rest when absolute. */
		rest = len - k;
		dir = 0;
		for (size_t i = 0; i < k; i++) {
			if (buf[i] == '/')
				dir = i;
		}
		tl = strlen(l->target);
		if (l->target[0] == '/')
			dir = 0;
		if (dir + 1 + tl + rest + 1 >= cap)
			return false;
		memcpy(tmp, buf, dir);
		nl = dir;
		if (dir)
			tmp[nl++] = '/';
		memcpy(tmp + nl, l->target, tl);
		nl += tl;
		memcpy(tmp + nl, buf + k, rest);
		nl += rest;
		len = clamp_norm(tmp, nl, buf, cap);
		goto again;
	}
	return true;
}

static int add_anomaly(struct hd_image_files *f, enum hd_image_anomaly_kind k, const char *path, bool absolute,
		       const char *detail, unsigned layer)
{
	struct hd_image_anomaly *a;

	if (f->n_anomalies >= MAX_ANOMALIES) {
		f->anomalies_dropped++;
		return 0;
	}
	if (HD_GROW(f->anomalies, f->alloc_anomalies, f->n_anomalies + 1) < 0)
		return -HD_ENOMEM;
	a = &f->anomalies[f->n_anomalies];
	a->kind = k;
	a->layer = layer;
	a->path = disp_path(f, path, absolute);
	a->detail = detail ? disp_path(f, detail, false) : NULL;
	if (!a->path || (detail && !a->detail))
		return -HD_ENOMEM;
	f->n_anomalies++;
	return 0;
}

static enum hd_pw_state pw_state(const char *pw, size_t n)
{
	if (n == 0)
		return HD_PW_EMPTY;
	if (pw[0] == '!' || pw[0] == '*')
		return HD_PW_LOCKED;
	return HD_PW_SET;
}

/* Splits line into at most max fields at ':'; returns how many. */
static size_t fields(char *line, char **v, size_t max)
{
	size_t n = 0;

	while (n < max) {
		char *c = strchr(line, ':');

		v[n++] = line;
		if (!c)
			break;
		*c = '\0';
		line = c + 1;
	}
	return n;
}

static bool parse_id(const char *s, int64_t *ret)
{
	return *s && hd_parse_i64(s, 0, 4294967295LL, ret) == 0;
}

/* Reads the visible passwd, shadow and group into accounts and groups. */
static int read_accounts(struct hd_image_files *f, const struct hd_icapture *cap[HD_CAP_MAX])
{
	const struct hd_icapture *pw = cap[HD_CAP_PASSWD], *sh = cap[HD_CAP_SHADOW], *gr = cap[HD_CAP_GROUP];
	char *copy, *line, *next;
	unsigned ln;

	if (pw) {
		copy = hd_arena_strndup(&f->arena, pw->data, pw->len);
		if (!copy)
			return -HD_ENOMEM;
		for (line = copy, ln = 1; line && *line; line = next, ln++) {
			struct hd_image_account *a;
			char *v[7];
			int64_t uid, gid;

			next = strchr(line, '\n');
			if (next)
				*next++ = '\0';
			if (line[0] == '#' || fields(line, v, 7) < 4 || !parse_id(v[2], &uid) || !parse_id(v[3], &gid))
				continue;
			if (HD_GROW(f->accounts, f->alloc_accounts, f->n_accounts + 1) < 0)
				return -HD_ENOMEM;
			a = &f->accounts[f->n_accounts++];
			memset(a, 0, sizeof(*a));
			a->name = v[0];
			a->uid = uid;
			a->gid = gid;
			a->line = ln;
			a->pw = !strcmp(v[1], "x") ? HD_PW_UNKNOWN : pw_state(v[1], strlen(v[1]));
		}
	}
	if (sh) {
		copy = hd_arena_strndup(&f->arena, sh->data, sh->len);
		if (!copy)
			return -HD_ENOMEM;
		for (line = copy, ln = 1; line && *line; line = next, ln++) {
			char *v[3];
			size_t i;

			next = strchr(line, '\n');
			if (next)
				*next++ = '\0';
			if (line[0] == '#' || fields(line, v, 3) < 2)
				continue;
			for (i = 0; i < f->n_accounts; i++) {
				if (!strcmp(f->accounts[i].name, v[0]) && !f->accounts[i].shadow_line) {
					f->accounts[i].pw = pw_state(v[1], strlen(v[1]));
					f->accounts[i].shadow_line = ln;
				}
			}
		}
	}
	if (gr) {
		copy = hd_arena_strndup(&f->arena, gr->data, gr->len);
		if (!copy)
			return -HD_ENOMEM;
		for (line = copy, ln = 1; line && *line; line = next, ln++) {
			char *v[4];
			int64_t gid;

			next = strchr(line, '\n');
			if (next)
				*next++ = '\0';
			if (line[0] == '#' || fields(line, v, 4) < 3 || !parse_id(v[2], &gid))
				continue;
			if (HD_GROW(f->groups, f->alloc_groups, f->n_groups + 1) < 0)
				return -HD_ENOMEM;
			f->groups[f->n_groups].name = v[0];
			f->groups[f->n_groups].gid = gid;
			f->groups[f->n_groups].line = ln;
			f->n_groups++;
		}
	}
	return 0;
}

static int set_textfile(struct hd_image_files *f, struct hd_image_textfile *t, const struct hd_icapture *c,
			unsigned layer)
{
	if (!c)
		return 0;
	t->present = true;
	t->layer = layer;
	t->mode = c->mode;
	t->uid = c->uid;
	t->gid = c->gid;
	t->truncated = c->truncated;
	t->path = disp_path(f, c->path, true);
	return t->path ? 0 : -HD_ENOMEM;
}

static const char *os_name(struct hd_image_files *f, const struct hd_icapture *c)
{
	const char *p = c ? strstr(c->data, "PRETTY_NAME=") : NULL;
	char buf[128];
	size_t n = 0;

	if (!p || (p != c->data && p[-1] != '\n'))
		return NULL;
	p += 12;
	if (*p == '"')
		p++;
	while (p[n] && p[n] != '"' && p[n] != '\n' && n < sizeof(buf) - 1)
		n++;
	memcpy(buf, p, n);
	buf[n] = '\0';
	return disp_path(f, buf, false);
}

/* The final tree of a stack of layers into f. */
static int build_tree(struct hd_image_files *f, const struct stack *st, const struct hd_image_limits *lim)
{
	const struct hd_icapture *cap[HD_CAP_MAX] = { 0 };
	unsigned cap_layer[HD_CAP_MAX] = { 0 };
	struct owned *own = NULL;
	struct link *links = NULL;
	size_t n_own = 0, a_own = 0, n_links = 0, a_links = 0, i, j, k;
	char *buf = NULL, *tmp = NULL;
	size_t cap_len = 2 * (size_t)lim->max_path + 16;
	int r = 0;

	for (i = 0; i < st->n; i++) {
		const struct hd_layer_index *ix = st->ix[i];

		if (!ix)
			continue;
		f->n_entries += ix->entries;
		for (j = 0; j < ix->n_ents; j++) {
			const struct hd_ient *e = &ix->ents[j];
			bool unneeded = e->flags & HD_IENT_UNNEEDED;
			int rb = removed_by(st, i, e->path, e->hash, unneeded);
			struct hd_image_file *x;

			if (e->flags & HD_IENT_SYMLINK && rb < 0 && e->link) {
				if (HD_GROW(links, a_links, n_links + 1) < 0)
					goto oom;
				links[n_links++] = (struct link){ e->hash, e->path, e->link, (unsigned)i };
			}
			if (!(e->flags & (HD_IENT_SETID | HD_IENT_WW_FILE | HD_IENT_WW_DIR | HD_IENT_CAPS |
					  HD_IENT_DEVICE | HD_IENT_UNNEEDED)))
				continue;
			if (rb >= 0 && !unneeded)
				continue;
			if (HD_GROW(f->files, f->alloc_files, f->n_files + 1) < 0)
				goto oom;
			x = &f->files[f->n_files];
			memset(x, 0, sizeof(*x));
			x->path = disp_path(f, e->path, true);
			x->link = e->link ? disp_path(f, e->link, false) : NULL;
			if (!x->path || (e->link && !x->link))
				goto oom;
			x->layer = (unsigned)i;
			x->flags = e->flags;
			x->mode = e->mode;
			x->uid = e->uid;
			x->gid = e->gid;
			x->size = e->size;
			x->dev_major = e->dev_major;
			x->dev_minor = e->dev_minor;
			x->cap_permitted = (uint64_t)e->cap_permitted | (uint64_t)e->cap_permitted_hi << 32;
			x->cap_inheritable = (uint64_t)e->cap_inheritable | (uint64_t)e->cap_inheritable_hi << 32;
			x->cap_effective = e->cap_effective;
			x->cap_version = e->cap_version;
			x->cap_rootid = e->cap_rootid;
			x->what = e->what;
			x->visible = rb < 0;
			x->removed_by = rb;
			f->n_files++;
		}
		for (j = 0; j < ix->n_secrets; j++) {
			const struct hd_isecret *sx = &ix->secrets[j];
			const struct hd_secret_pattern *sp = hd_secret_pattern(sx->pattern);
			struct hd_image_secret *y;
			int rb = removed_by(st, i, sx->path, sx->hash, false);

			if (!sp)
				continue;
			if (HD_GROW(f->secrets, f->alloc_secrets, f->n_secrets + 1) < 0)
				goto oom;
			y = &f->secrets[f->n_secrets];
			y->path = disp_path(f, sx->path, true);
			if (!y->path)
				goto oom;
			y->layer = (unsigned)i;
			y->kind = (enum hd_secret_kind_m)sp->kind;
			y->what = sp->what;
			y->offset = sx->offset;
			y->by_name = sx->by_name;
			y->visible = rb < 0;
			y->removed_by = rb;
			f->n_secrets++;
		}
		for (j = 0; j < ix->n_captures; j++) {
			const struct hd_icapture *c = &ix->captures[j];

			if (removed_by(st, i, c->path, c->hash, false) < 0) {
				cap[c->kind] = c;
				cap_layer[c->kind] = (unsigned)i;
			}
		}
		for (j = 0; j < ix->n_owners; j++) {
			const struct hd_iowner *o = &ix->owners[j];

			if (removed_by(st, i, o->path, o->hash, false) >= 0)
				continue;
			f->pkgdb = o->kind == HD_OWNER_APK ? HD_PKGDB_APK :
				   o->kind == HD_OWNER_RPM ? HD_PKGDB_RPM : HD_PKGDB_DPKG;
			for (k = 0; k < o->n_files; k++) {
				if (HD_GROW(own, a_own, n_own + 1) < 0)
					goto oom;
				own[n_own].hash = o->files[k].hash;
				own[n_own].pkg = o->pkgs[o->files[k].pkg];
				n_own++;
			}
		}
		for (j = 0; j < ix->n_anoms; j++) {
			const struct hd_ianomaly *a = &ix->anoms[j];

			r = add_anomaly(f, (enum hd_image_anomaly_kind)a->kind, a->path,
					a->kind != HD_ANOM_ABSOLUTE && a->kind != HD_ANOM_ESCAPES &&
						a->kind != HD_ANOM_DOTDOT,
					a->detail, (unsigned)i);
			if (r < 0)
				goto out;
		}
		f->anomalies_dropped += ix->anoms_dropped;
	}
	if (n_own)
		qsort(own, n_own, sizeof(*own), cmp_owned);
	if (n_links)
		qsort(links, n_links, sizeof(*links), cmp_link);
	buf = hd_malloc(cap_len);
	tmp = hd_malloc(cap_len);
	if (!buf || !tmp)
		goto oom;
	/* Owners of setuid/setgid files and files with capabilities. */
	for (i = 0; i < f->n_files; i++) {
		struct hd_image_file *x = &f->files[i];

		if (!(x->flags & (HD_IFILE_SETID | HD_IFILE_CAPS)) || !x->visible)
			continue;
		x->owner = pkg_owner(own, n_own, links, n_links, x->path + 1, buf, tmp, cap_len);
		if (x->owner && !(x->owner = hd_arena_strdup(&f->arena, x->owner)))
			goto oom;
	}
	/*
	 * Secrets in files an OS package installed are the package's test keys
	 * and examples (libgnutls carries a PEM key for its self-tests): not
	 * the image author's secrets.  Generated ones (ssl-cert's snakeoil key,
	 * SSH host keys) belong to no package and stay.
	 */
	for (i = j = 0; i < f->n_secrets; i++) {
		if (f->secrets[i].by_name || !pkg_owner(own, n_own, links, n_links, f->secrets[i].path + 1, buf, tmp,
							 cap_len))
			f->secrets[j++] = f->secrets[i];
	}
	f->n_secrets = j;
	/* Symlink loops in the final tree. */
	for (i = 0; i < n_links; i++) {
		if (!resolve_links(links, n_links, links[i].path, buf, tmp, cap_len)) {
			r = add_anomaly(f, HD_IANOM_SYMLINK_LOOP, links[i].path, true, links[i].target, links[i].layer);
			if (r < 0)
				goto out;
		}
	}
	r = read_accounts(f, cap);
	if (r < 0)
		goto out;
	if ((r = set_textfile(f, &f->passwd, cap[HD_CAP_PASSWD], cap_layer[HD_CAP_PASSWD])) < 0 ||
	    (r = set_textfile(f, &f->shadow, cap[HD_CAP_SHADOW], cap_layer[HD_CAP_SHADOW])) < 0 ||
	    (r = set_textfile(f, &f->group, cap[HD_CAP_GROUP], cap_layer[HD_CAP_GROUP])) < 0)
		goto out;
	f->os_name = os_name(f, cap[HD_CAP_OS_RELEASE]);
	goto out;
oom:
	r = -HD_ENOMEM;
out:
	hd_free(own);
	hd_free(links);
	hd_free(buf);
	hd_free(tmp);
	return r;
}

/* ---- one image --------------------------------------------------------------------------------- */

static const char *short_digest(const char *d, char *buf, size_t n)
{
	snprintf(buf, n, "%.19s", d ? d : "?");
	return buf;
}

/* Index of the step that made each layer: the non-empty history entries, in order. */
static void map_steps(struct hd_image_files *f, const struct hd_image_spec *spec)
{
	size_t i, nonempty = 0, k = 0;

	for (i = 0; i < spec->n_history; i++)
		nonempty += !spec->history[i].empty_layer;
	if (nonempty != f->n_layers)
		return; /* builders that do not record every layer: leave them unmapped */
	for (i = 0; i < spec->n_history; i++) {
		if (spec->history[i].empty_layer)
			continue;
		f->steps[i].layer = (int)k;
		f->layers[k].step = (int)i;
		k++;
	}
}

static int build_image(struct hd_archive *ar, const struct plan *p, const struct hd_image_opts *o,
		       struct hd_image *im)
{
	struct hd_config_extra x = { 0 };
	struct hd_blob *cb;
	struct stack st = { 0 };
	struct hd_image_files *f = NULL;
	char err[1024], sd[32];
	size_t i;
	int r;

	im->name = p->name ? hd_strdup(p->name) : p->n_tags ? hd_strdup(p->tags[0]) : NULL;
	if (p->error)
		return img_error(im, "%s", p->error);
	cb = p->config ? hd_archive_fetch(ar, p->config, &r) : NULL;
	if (!p->config)
		r = 0;
	if (r < 0)
		return r;
	if (!im->name)
		im->name = hd_asprintf("%s", short_digest(cb && cb->digest[0] ? cb->digest : p->config_digest, sd,
							  sizeof(sd)));
	if (!im->name)
		return -HD_ENOMEM;
	if (!cb || cb->kind == HD_BLOB_UNREAD)
		r = img_error(im, "missing blob '%s' (the image config)", p->config ? p->config : "?");
	else if (cb->error)
		r = img_error(im, "the image config: %s", cb->error);
	else if (cb->kind != HD_BLOB_JSON)
		r = img_error(im, "the image config '%s' is not a JSON document", cb->name);
	else if (p->config_digest && strcmp(p->config_digest, cb->digest) != 0)
		r = img_error(im, "digest mismatch: the image config '%s' has digest %s, the manifest says %s",
			      cb->name, cb->digest, p->config_digest);
	else {
		r = hd_meta_config(cb->json, cb->json_len, cb->digest, p->tags, p->n_tags, o->now, &im->spec, &x,
				   err, sizeof(err));
		if (r == -HD_EPARSE)
			r = img_error(im, "%s", err);
		else if (r >= 0) {
			hd_free(im->spec->name);
			im->spec->name = hd_strdup(im->name);
			if (!im->spec->name)
				r = -HD_ENOMEM;
		}
	}
	if (r < 0)
		goto out;
	if (im->spec && x.n_diff_ids != p->n_layers)
		r = img_error(im, "the config lists %zu layers (rootfs.diff_ids), the manifest %zu", x.n_diff_ids,
			      p->n_layers);
	st.ix = hd_calloc(p->n_layers + 1, sizeof(*st.ix));
	f = hd_image_files_new();
	if (r < 0 || !st.ix || !f)
		goto oom;
	st.n = p->n_layers;
	f->layers = hd_calloc(p->n_layers + 1, sizeof(*f->layers));
	if (!f->layers)
		goto oom;
	f->n_layers = p->n_layers;
	f->complete = true;
	for (i = 0; i < p->n_layers; i++) {
		const struct plan_layer *pl = &p->layers[i];
		struct hd_blob *b = hd_archive_fetch(ar, pl->name, &r);
		struct hd_image_layer *L = &f->layers[i];

		if (r < 0)
			goto out;
		L->step = -1;
		L->digest = hd_arena_strdup(&f->arena, b && b->digest[0] ? b->digest : pl->digest ? pl->digest : pl->name);
		if (!L->digest)
			goto oom;
		if (!b || b->kind == HD_BLOB_UNREAD) {
			f->complete = false;
			r = img_error(im, "missing blob '%s' (layer %zu of %zu)%s", pl->name, i + 1, p->n_layers,
				      pl->foreign ? ": a foreign layer, not distributed with the image" : "");
		} else if (b->error && !b->layer) {
			f->complete = false;
			r = img_error(im, "layer %zu of %zu: %s", i + 1, p->n_layers, b->error);
		} else if (b->kind != HD_BLOB_LAYER) {
			f->complete = false;
			r = img_error(im, "layer %zu of %zu ('%s') is not a layer: neither a tar nor gzip or zstd "
				      "data", i + 1, p->n_layers, pl->name);
		} else {
			struct hd_layer_index *ix = b->layer;

			st.ix[i] = ix;
			L->comp = hd_comp_name(ix->comp);
			L->size = b->size;
			L->entries = ix->entries;
			L->diff_id = ix->diff_id[0] ? hd_arena_strdup(&f->arena, ix->diff_id) : NULL;
			if (b->error)
				r = img_error(im, "layer %zu of %zu: %s", i + 1, p->n_layers, b->error);
			else if (pl->digest && strcmp(pl->digest, b->digest) != 0)
				r = img_error(im, "digest mismatch: layer %zu of %zu ('%s') has digest %s, the manifest "
					      "says %s", i + 1, p->n_layers, pl->name, b->digest, pl->digest);
			else if (pl->size >= 0 && (uint64_t)pl->size != b->size)
				r = img_error(im, "layer %zu of %zu ('%s') has %" PRIu64 " bytes, the manifest says %"
					      PRId64, i + 1, p->n_layers, pl->name, b->size, pl->size);
			if (r >= 0 && ix->error) {
				f->complete = false;
				r = img_error(im, "layer %zu of %zu (%s, %s) cannot be read to its end: %s", i + 1,
					      p->n_layers, short_digest(b->digest, sd, sizeof(sd)),
					      hd_comp_name(ix->comp), ix->error);
			} else if (r >= 0 && i < x.n_diff_ids && ix->diff_id[0] && strcmp(ix->diff_id, x.diff_ids[i]))
				r = img_error(im, "digest mismatch: layer %zu of %zu ('%s') uncompresses to %s, the "
					      "config's rootfs.diff_ids[%zu] says %s", i + 1, p->n_layers, pl->name,
					      ix->diff_id, i, x.diff_ids[i]);
		}
		if (r < 0)
			goto out;
	}
	if (im->spec) {
		const struct hd_image_spec *s = im->spec;

		f->steps = hd_calloc(s->n_history + 1, sizeof(*f->steps));
		if (!f->steps)
			goto oom;
		f->n_steps = s->n_history;
		for (i = 0; i < s->n_history; i++) {
			char *args = NULL, *ins = hd_history_instruction(s->history[i].created_by, &args);
			char *d = hd_history_display(s->history[i].created_by, DISPLAY_STEP);

			f->steps[i].layer = -1;
			f->steps[i].empty_layer = s->history[i].empty_layer;
			f->steps[i].created_by = d ? hd_arena_strdup(&f->arena, d) : NULL;
			hd_free(d);
			hd_free(args);
			hd_free(ins);
			if (!f->steps[i].created_by)
				goto oom;
		}
		map_steps(f, s);
	}
	f->image = hd_arena_strdup(&f->arena, im->name);
	f->source = ar->display ? hd_arena_strdup(&f->arena, ar->display) : NULL;
	if (!f->image || (ar->display && !f->source))
		goto oom;
	r = build_tree(f, &st, &o->lim);
	if (r < 0)
		goto out;
	if (o->catalog && (r = catalog_image(im, &st, f)) < 0)
		goto out;
	im->files = f;
	f = NULL;
	goto out;
oom:
	r = -HD_ENOMEM;
out:
	hd_image_files_free(f);
	hd_free(st.ix);
	hd_config_extra_release(&x);
	return r;
}

/* ---- the target --------------------------------------------------------------------------- */

static int resolve(struct hd_archive *ar, const struct hd_image_opts *o, struct hd_image_set *s)
{
	struct plans plans = { 0 };
	struct platform want;
	struct hd_blob *mb, *ib, *lay;
	size_t i, j;
	int r, fr;

	platform_of(o->platform, &want);
	if (ar->dir) {
		lay = hd_archive_fetch(ar, "oci-layout", &r);
		if (r < 0)
			return r;
		if (!lay)
			return set_error(s, "'%s' is not an OCI image layout: it has no oci-layout file", ar->display);
	}
	mb = hd_archive_fetch(ar, "manifest.json", &r);
	if (r < 0)
		return r;
	if (mb && mb->kind == HD_BLOB_JSON)
		r = plans_from_save(ar, mb, &plans, s);
	else {
		ib = hd_archive_fetch(ar, "index.json", &r);
		if (r < 0)
			return r;
		if (ib && ib->kind == HD_BLOB_JSON)
			r = plans_from_index(ar, ib, &want, &plans, s);
		else if (mb || ib)
			r = set_error(s, "'%s': %s", ar->display, (mb ? mb : ib)->error ? (mb ? mb : ib)->error :
				      "manifest.json or index.json is not a JSON document");
		else if (!ar->error)
			r = set_error(s, "'%s' is not an image archive: it has neither a manifest.json (docker save) "
				      "nor an index.json (OCI image layout)", ar->display);
	}
	if (r < 0)
		goto out;
	/* A directory's blobs are read now: the configs, then every layer. */
	for (i = 0; ar->dir && i < plans.n; i++) {
		if (plans.v[i].config && !hd_archive_fetch(ar, plans.v[i].config, &r) && r < 0)
			goto out;
		for (j = 0; j < plans.v[i].n_layers; j++) {
			if (!hd_archive_fetch(ar, plans.v[i].layers[j].name, &r) && r < 0)
				goto out;
		}
	}
	fr = hd_archive_finish(ar);
	if (fr < 0) {
		r = fr;
		goto out;
	}
	if (ar->error && (r = set_error(s, "%s", ar->error)) < 0)
		goto out;
	for (i = 0; i < plans.n; i++) {
		struct hd_image *im;

		if (HD_GROW(s->v, s->alloc, s->n + 1) < 0) {
			r = -HD_ENOMEM;
			goto out;
		}
		im = &s->v[s->n++];
		memset(im, 0, sizeof(*im));
		im->source = hd_strdup(ar->display);
		if (!im->source) {
			r = -HD_ENOMEM;
			goto out;
		}
		r = build_image(ar, &plans.v[i], o, im);
		if (r < 0)
			goto out;
	}
out:
	plans_release(&plans);
	return r;
}

static int open_archive(struct hd_archive *ar, const char *display, const struct hd_image_opts *o)
{
	struct hd_archive_opts ao = { .lim = o->lim, .threads = o->threads, .scan_secrets = o->scan_secrets,
				      .catalog = o->catalog };

	return hd_archive_open(ar, display, &ao);
}

int hd_image_analyze_fd(int fd, const char *display, const struct hd_image_opts *o, struct hd_image_set *out)
{
	struct hd_archive ar;
	int r;

	memset(out, 0, sizeof(*out));
	out->target = hd_strdup(display);
	if (!out->target)
		return -HD_ENOMEM;
	r = open_archive(&ar, display, o);
	if (r >= 0)
		r = hd_archive_read_fd(&ar, fd);
	if (r >= 0)
		r = resolve(&ar, o, out);
	hd_archive_release(&ar);
	return r;
}

int hd_image_analyze_path(const char *path, const struct hd_image_opts *o, struct hd_image_set *out)
{
	struct hd_archive ar;
	struct stat st;
	int fd, r;

	if (stat(path, &st) != 0)
		return errno == EACCES ? -HD_EACCES : -HD_ENOENT;
	if (!S_ISDIR(st.st_mode)) {
		fd = open(path, O_RDONLY | O_CLOEXEC | O_NOCTTY);
		if (fd < 0)
			return errno == EACCES ? -HD_EACCES : -HD_ENOENT;
		r = hd_image_analyze_fd(fd, path, o, out);
		close(fd);
		return r;
	}
	memset(out, 0, sizeof(*out));
	out->target = hd_strdup(path);
	if (!out->target)
		return -HD_ENOMEM;
	r = open_archive(&ar, path, o);
	if (r >= 0)
		r = hd_archive_set_dir(&ar, path);
	if (r >= 0)
		r = resolve(&ar, o, out);
	hd_archive_release(&ar);
	return r;
}
