/*
 * Readers of the layout documents (see meta.h), with jansson.  The image
 * config's "config" object has the shape of the engine's image inspect
 * "Config", so the config is read by handing an inspect-shaped document to
 * the one image-inspect reader (parse/inspect.c): the archive and the engine
 * fill the spec the same way.
 */
#include "core/common.h"
#include "image/meta.h"
#include "model/image.h"
#include "parse/inspect.h"

#include <jansson.h>

#define MAX_REFS 10000u

static int perr(char *err, size_t n, const char *fmt, ...) __attribute__((format(printf, 3, 4)));
static int perr(char *err, size_t n, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(err, n, fmt, ap);
	va_end(ap);
	return -HD_EPARSE;
}

/* Go's encoding/json: the exact key, else the first that matches ignoring case. */
static json_t *get(json_t *o, const char *key)
{
	const char *k;
	json_t *v;

	if (!json_is_object(o))
		return NULL;
	v = json_object_get(o, key);
	if (v)
		return v;
	json_object_foreach(o, k, v) {
		if (!strcasecmp(k, key))
			return v;
	}
	return NULL;
}

/* A string member: *ret NULL when absent or null; -HD_EPARSE when of another type. */
static int get_str(json_t *o, const char *key, const char **ret)
{
	json_t *v = get(o, key);

	*ret = NULL;
	if (!v || json_is_null(v))
		return 0;
	if (!json_is_string(v))
		return -HD_EPARSE;
	*ret = json_string_value(v);
	return 0;
}

static int dup_opt(char **dst, const char *s)
{
	*dst = NULL;
	if (!s)
		return 0;
	*dst = hd_strdup(s);
	return *dst ? 0 : -HD_ENOMEM;
}

static json_t *load(const char *json, size_t len, const char *what, char *err, size_t errlen)
{
	json_error_t je;
	json_t *root = json_loadb(json, len, JSON_REJECT_DUPLICATES, &je);

	if (!root)
		perr(err, errlen, "%s is not valid JSON (line %d: %s)", what, je.line, je.text);
	return root;
}

static void strv_free(char **v, size_t n)
{
	for (size_t i = 0; v && i < n; i++)
		hd_free(v[i]);
	hd_free(v);
}

/* An array of strings (or null) into a new vector. */
static int strv(json_t *a, char ***ret, size_t *ret_n)
{
	size_t i, n = json_array_size(a);
	char **v;

	*ret = NULL;
	*ret_n = 0;
	if (!a || json_is_null(a))
		return 0;
	if (!json_is_array(a) || n > MAX_REFS)
		return -HD_EPARSE;
	v = hd_calloc(n + 1, sizeof(*v));
	if (!v)
		return -HD_ENOMEM;
	for (i = 0; i < n; i++) {
		const char *s = json_string_value(json_array_get(a, i));

		if (!s) {
			strv_free(v, i);
			return -HD_EPARSE;
		}
		v[i] = hd_strdup(s);
		if (!v[i]) {
			strv_free(v, i);
			return -HD_ENOMEM;
		}
	}
	*ret = v;
	*ret_n = n;
	return 0;
}

/* ---- docker save's manifest.json ------------------------------------------------------ */

void hd_save_entries_free(struct hd_save_entry *v, size_t n)
{
	for (size_t i = 0; v && i < n; i++) {
		hd_free(v[i].config);
		strv_free(v[i].tags, v[i].n_tags);
		strv_free(v[i].layers, v[i].n_layers);
	}
	hd_free(v);
}

int hd_meta_save_manifest(const char *json, size_t len, struct hd_save_entry **ret, size_t *ret_n,
			  char *err, size_t errlen)
{
	json_t *root = load(json, len, "manifest.json", err, errlen), *e;
	struct hd_save_entry *v = NULL;
	size_t i, n;
	int r = 0;

	if (!root)
		return -HD_EPARSE;
	n = json_array_size(root);
	if (!json_is_array(root) || n == 0 || n > MAX_REFS) {
		r = perr(err, errlen, "manifest.json: expected a non-empty array of images");
		goto out;
	}
	v = hd_calloc(n, sizeof(*v));
	if (!v) {
		r = -HD_ENOMEM;
		goto out;
	}
	json_array_foreach(root, i, e) {
		const char *cfg;

		if (!json_is_object(e) || get_str(e, "Config", &cfg) < 0 || !cfg || !*cfg) {
			r = perr(err, errlen, "manifest.json: [%zu].Config: expected the path of the config", i);
			goto out;
		}
		if ((r = dup_opt(&v[i].config, cfg)) < 0)
			goto out;
		r = strv(get(e, "RepoTags"), &v[i].tags, &v[i].n_tags);
		if (r == -HD_EPARSE) {
			r = perr(err, errlen, "manifest.json: [%zu].RepoTags: expected an array of strings", i);
			goto out;
		}
		if (r < 0)
			goto out;
		r = strv(get(e, "Layers"), &v[i].layers, &v[i].n_layers);
		if (r == -HD_EPARSE || (r == 0 && !json_is_array(get(e, "Layers")))) {
			r = perr(err, errlen, "manifest.json: [%zu].Layers: expected an array of paths", i);
			goto out;
		}
		if (r < 0)
			goto out;
	}
	*ret = v;
	*ret_n = n;
	v = NULL;
out:
	if (v)
		hd_save_entries_free(v, n);
	json_decref(root);
	return r;
}

/* ---- OCI documents --------------------------------------------------------------------- */

enum hd_doc_kind hd_media_kind(const char *mt)
{
	if (!mt)
		return HD_DOC_UNKNOWN;
	if (!strcmp(mt, "application/vnd.oci.image.index.v1+json") ||
	    !strcmp(mt, "application/vnd.docker.distribution.manifest.list.v2+json"))
		return HD_DOC_INDEX;
	if (!strcmp(mt, "application/vnd.oci.image.manifest.v1+json") ||
	    !strcmp(mt, "application/vnd.docker.distribution.manifest.v2+json"))
		return HD_DOC_MANIFEST;
	return HD_DOC_UNKNOWN;
}

void hd_desc_release(struct hd_desc *d)
{
	if (!d)
		return;
	hd_free(d->media_type);
	hd_free(d->digest);
	hd_free(d->os);
	hd_free(d->arch);
	hd_free(d->variant);
	hd_free(d->ref_name);
	strv_free(d->urls, d->n_urls);
	memset(d, 0, sizeof(*d));
}

static int read_desc(json_t *o, struct hd_desc *d, const char *what, const char *path, char *err, size_t errlen)
{
	const char *mt, *dg, *os = NULL, *arch = NULL, *var = NULL, *ref = NULL, *rt = NULL;
	json_t *size = get(o, "size"), *plat = get(o, "platform"), *ann = get(o, "annotations");
	int r;

	memset(d, 0, sizeof(*d));
	d->size = -1;
	if (!json_is_object(o))
		return perr(err, errlen, "%s: %s: expected a descriptor object", what, path);
	if (get_str(o, "mediaType", &mt) < 0 || get_str(o, "digest", &dg) < 0 || !dg)
		return perr(err, errlen, "%s: %s: expected mediaType and digest strings", what, path);
	if (size && !json_is_integer(size))
		return perr(err, errlen, "%s: %s.size: expected a number", what, path);
	if (size)
		d->size = json_integer_value(size);
	if (plat && (get_str(plat, "os", &os) < 0 || get_str(plat, "architecture", &arch) < 0 ||
		     get_str(plat, "variant", &var) < 0))
		return perr(err, errlen, "%s: %s.platform: expected os, architecture, variant strings", what, path);
	if (json_is_object(ann)) {
		const char *cname = NULL;

		if (get_str(ann, "io.containerd.image.name", &cname) < 0 ||
		    get_str(ann, "org.opencontainers.image.ref.name", &ref) < 0 ||
		    get_str(ann, "vnd.docker.reference.type", &rt) < 0)
			return perr(err, errlen, "%s: %s.annotations: expected strings", what, path);
		if (cname)
			ref = cname;
	}
	d->attestation = (rt && !strcmp(rt, "attestation-manifest")) ||
			 (os && !strcmp(os, "unknown") && arch && !strcmp(arch, "unknown"));
	if ((r = dup_opt(&d->media_type, mt)) < 0 || (r = dup_opt(&d->digest, dg)) < 0 ||
	    (r = dup_opt(&d->os, os)) < 0 || (r = dup_opt(&d->arch, arch)) < 0 ||
	    (r = dup_opt(&d->variant, var)) < 0 || (r = dup_opt(&d->ref_name, ref)) < 0)
		return r;
	r = strv(get(o, "urls"), &d->urls, &d->n_urls);
	if (r == -HD_EPARSE)
		return perr(err, errlen, "%s: %s.urls: expected an array of strings", what, path);
	return r;
}

static int read_descs(json_t *a, struct hd_desc **ret, size_t *ret_n, const char *what, const char *key,
		      char *err, size_t errlen)
{
	size_t i, n = json_array_size(a);
	struct hd_desc *v;
	json_t *e;
	char path[64];
	int r;

	*ret = NULL;
	*ret_n = 0;
	if (!json_is_array(a) || n > MAX_REFS)
		return perr(err, errlen, "%s: %s: expected an array of descriptors", what, key);
	v = hd_calloc(n + 1, sizeof(*v));
	if (!v)
		return -HD_ENOMEM;
	*ret = v;
	json_array_foreach(a, i, e) {
		snprintf(path, sizeof(path), "%s[%zu]", key, i);
		r = read_desc(e, &v[i], what, path, err, errlen);
		*ret_n = i + 1;
		if (r < 0)
			return r;
	}
	return 0;
}

void hd_oci_doc_release(struct hd_oci_doc *d)
{
	size_t i;

	if (!d)
		return;
	for (i = 0; i < d->n_manifests; i++)
		hd_desc_release(&d->manifests[i]);
	hd_free(d->manifests);
	for (i = 0; i < d->n_layers; i++)
		hd_desc_release(&d->layers[i]);
	hd_free(d->layers);
	hd_desc_release(&d->config);
	memset(d, 0, sizeof(*d));
}

int hd_meta_oci(const char *json, size_t len, const char *what, struct hd_oci_doc *d, char *err, size_t errlen)
{
	json_t *root = load(json, len, what, err, errlen), *man, *cfg;
	const char *mt = NULL;
	int r;

	memset(d, 0, sizeof(*d));
	if (!root)
		return -HD_EPARSE;
	if (!json_is_object(root) || get_str(root, "mediaType", &mt) < 0) {
		r = perr(err, errlen, "%s: expected an object with a string mediaType", what);
		goto out;
	}
	man = get(root, "manifests");
	cfg = get(root, "config");
	if (man || hd_media_kind(mt) == HD_DOC_INDEX) {
		d->kind = HD_DOC_INDEX;
		r = read_descs(man, &d->manifests, &d->n_manifests, what, "manifests", err, errlen);
	} else if (cfg || hd_media_kind(mt) == HD_DOC_MANIFEST) {
		d->kind = HD_DOC_MANIFEST;
		r = read_desc(cfg, &d->config, what, "config", err, errlen);
		if (r >= 0)
			r = read_descs(get(root, "layers"), &d->layers, &d->n_layers, what, "layers", err, errlen);
	} else
		r = perr(err, errlen, "%s: neither an image index (manifests) nor a manifest (config, layers)",
			 what);
out:
	json_decref(root);
	if (r < 0)
		hd_oci_doc_release(d);
	return r;
}

/* ---- the image config ------------------------------------------------------------------- */

void hd_config_extra_release(struct hd_config_extra *x)
{
	if (!x)
		return;
	strv_free(x->diff_ids, x->n_diff_ids);
	hd_free(x->os);
	hd_free(x->arch);
	hd_free(x->variant);
	memset(x, 0, sizeof(*x));
}

static int set_copy(json_t *dst, const char *key, json_t *v)
{
	if (!v || json_is_null(v))
		return 0;
	return json_object_set(dst, key, v) == 0 ? 0 : -HD_ENOMEM;
}

int hd_meta_config(const char *json, size_t len, const char *id, char *const *tags, size_t n_tags,
		   int64_t now, struct hd_image_spec **ret, struct hd_config_extra *x, char *err, size_t errlen)
{
	json_t *root = load(json, len, "the image config", err, errlen), *insp = NULL, *ta = NULL, *hist, *e;
	struct hd_image_spec *img = NULL;
	struct hd_diag d = { 0 };
	char *text = NULL;
	const char *s;
	size_t i;
	int r = 0;

	memset(x, 0, sizeof(*x));
	if (!root)
		return -HD_EPARSE;
	if (!json_is_object(root)) {
		r = perr(err, errlen, "the image config is not a JSON object");
		goto out;
	}
	insp = json_object();
	ta = json_array();
	if (!insp || !ta || json_object_set_new(insp, "Id", json_string(id)) != 0) {
		r = -HD_ENOMEM;
		goto out;
	}
	for (i = 0; i < n_tags; i++) {
		if (json_array_append_new(ta, json_string(tags[i])) != 0) {
			r = -HD_ENOMEM;
			goto out;
		}
	}
	/* A malformed creation time loses the date, not the rest of the config. */
	if (get_str(root, "created", &s) == 0 && s) {
		int64_t t;

		if (hd_parse_rfc3339(s, &t) == 0 && (r = set_copy(insp, "Created", get(root, "created"))) < 0)
			goto out;
	}
	if (json_object_set(insp, "RepoTags", ta) != 0 ||
	    (r = set_copy(insp, "Os", get(root, "os"))) < 0 ||
	    (r = set_copy(insp, "Architecture", get(root, "architecture"))) < 0 ||
	    (r = set_copy(insp, "DockerVersion", get(root, "docker_version"))) < 0 ||
	    (r = set_copy(insp, "Config", get(root, "config"))) < 0) {
		r = r < 0 ? r : -HD_ENOMEM;
		goto out;
	}
	text = json_dumps(insp, JSON_COMPACT);
	if (!text) {
		r = -HD_ENOMEM;
		goto out;
	}
	r = hd_inspect_image(text, strlen(text), now, &img, &d);
	if (r < 0) {
		if (r != -HD_ENOMEM)
			r = perr(err, errlen, "the image config: %s", d.msg ? d.msg : "cannot be read");
		goto out;
	}
	if (get_str(root, "os", &s) < 0 || (r = dup_opt(&x->os, s)) < 0 ||
	    get_str(root, "architecture", &s) < 0 || (r = dup_opt(&x->arch, s)) < 0 ||
	    get_str(root, "variant", &s) < 0 || (r = dup_opt(&x->variant, s)) < 0) {
		r = r < 0 ? r : perr(err, errlen, "the image config: os, architecture and variant must be strings");
		goto out;
	}
	r = strv(get(get(root, "rootfs"), "diff_ids"), &x->diff_ids, &x->n_diff_ids);
	if (r == -HD_EPARSE) {
		r = perr(err, errlen, "the image config: rootfs.diff_ids: expected an array of digests");
		goto out;
	}
	if (r < 0)
		goto out;
	hist = get(root, "history");
	if (hist && !json_is_null(hist) && (!json_is_array(hist) || json_array_size(hist) > MAX_REFS)) {
		r = perr(err, errlen, "the image config: history: expected an array");
		goto out;
	}
	json_array_foreach(hist, i, e) {
		struct hd_origin at = { 0 };
		struct hd_image_history *h;
		char path[64];
		const char *cb;
		json_t *empty = get(e, "empty_layer");

		snprintf(path, sizeof(path), "history[%zu].created_by", i);
		if (!json_is_object(e) || get_str(e, "created_by", &cb) < 0 ||
		    (empty && !json_is_boolean(empty) && !json_is_null(empty))) {
			r = perr(err, errlen, "the image config: history[%zu]: expected created_by (a string) "
				 "and empty_layer (a boolean)", i);
			goto out;
		}
		r = hd_origin_set(&at, NULL, 0, 0, path);
		h = r >= 0 ? hd_image_add_history(img, &at) : NULL;
		hd_origin_release(&at);
		if (!h || (r = dup_opt(&h->created_by, cb ? cb : "")) < 0) {
			r = -HD_ENOMEM;
			goto out;
		}
		h->empty_layer = json_is_true(empty);
	}
	*ret = img;
	img = NULL;
	r = 0;
out:
	if (r < 0)
		hd_config_extra_release(x);
	hd_image_spec_free(img);
	hd_diag_release(&d);
	hd_free(text);
	json_decref(ta);
	json_decref(insp);
	json_decref(root);
	return r;
}
