/*
 * `hardock audit --vulns` (see vulnscan.h): the engine's image list, each
 * image's layer chain from its inspect, the catalogue from the cache or from
 * the image's export streamed through the image reader, matching, and the
 * rule image/vulnerable-package on a spec that carries only the image's
 * names and the match.
 */
#include "core/common.h"
#include "core/buf.h"
#include "core/finding.h"
#include "core/limits.h"
#include "core/rule.h"
#include "engine/client.h"
#include "image/decode.h"
#include "image/image.h"
#include "model/image.h"
#include "session/vulnscan.h"
#include "vuln/db.h"

#include <fcntl.h>
#include <jansson.h>
#include <sys/stat.h>
#include <unistd.h>

#define CACHE_FORMAT "hardock-catalog-1"
#define MAX_CACHE_FILE (256u << 20)

static int msg(struct hd_vulnscan_result *res, bool error, const char *fmt, ...) __attribute__((format(printf, 3, 4)));
static int msg(struct hd_vulnscan_result *res, bool error, const char *fmt, ...)
{
	char buf[HD_MAX_MESSAGE], *t;
	va_list ap;

	if (HD_GROW(res->msgs, res->alloc_msgs, res->n_msgs + 1) < 0)
		return -HD_ENOMEM;
	va_start(ap, fmt);
	vsnprintf(buf, sizeof(buf), fmt, ap);
	va_end(ap);
	t = hd_strdup(buf);
	if (!t)
		return -HD_ENOMEM;
	res->msgs[res->n_msgs].error = error;
	res->msgs[res->n_msgs++].text = t;
	return 0;
}

void hd_vulnscan_result_release(struct hd_vulnscan_result *res)
{
	size_t i;

	if (!res)
		return;
	for (i = 0; i < res->n_msgs; i++)
		hd_free(res->msgs[i].text);
	hd_free(res->msgs);
	memset(res, 0, sizeof(*res));
}

/* ---- the cache file ------------------------------------------------------ */

static int set_str(json_t *o, const char *k, const char *v)
{
	return v ? json_object_set_new(o, k, json_string(v)) : 0;
}

int hd_vulnscan_cache_save(const char *path, const struct hd_packages *pk)
{
	json_t *doc = json_object(), *a = json_array(), *notes = json_array(), *os = json_object();
	char *tmp = hd_asprintf("%s.%ld.tmp", path, (long)getpid());
	size_t i;
	int r = -HD_ENOMEM;

	if (!doc || !a || !notes || !os || !tmp)
		goto out;
	if (json_object_set_new(doc, "format", json_string(CACHE_FORMAT)) || set_str(os, "id", pk->os.id) ||
	    set_str(os, "version_id", pk->os.version_id) || set_str(os, "codename", pk->os.codename) ||
	    set_str(os, "pretty", pk->os.pretty) ||
	    json_object_set_new(doc, "owned_skipped", json_integer((json_int_t)pk->owned_skipped)))
		goto out;
	for (i = 0; i < pk->n; i++) {
		const struct hd_package *p = &pk->v[i];
		json_t *o = json_object();

		if (!o || json_array_append_new(a, o) || json_object_set_new(o, "eco", json_string(hd_eco_name(p->eco))) ||
		    set_str(o, "name", p->name) || set_str(o, "version", p->version) ||
		    set_str(o, "source_name", p->source_name) || set_str(o, "source_version", p->source_version) ||
		    set_str(o, "arch", p->arch) || set_str(o, "license", p->license) || set_str(o, "path", p->path) ||
		    set_str(o, "layer", p->layer) || json_object_set_new(o, "flags", json_integer(p->flags)))
			goto out;
	}
	for (i = 0; i < pk->n_notes; i++) {
		if (json_array_append_new(notes, json_string(pk->notes[i])))
			goto out;
	}
	if (json_object_set(doc, "os", os) || json_object_set(doc, "packages", a) ||
	    json_object_set(doc, "notes", notes))
		goto out;
	r = -HD_EIO;
	if (json_dump_file(doc, tmp, JSON_COMPACT) != 0 || rename(tmp, path) != 0) {
		unlink(tmp);
		goto out;
	}
	r = 0;
out:
	json_decref(doc);
	json_decref(a);
	json_decref(notes);
	json_decref(os);
	hd_free(tmp);
	return r;
}

/* A string member or NULL; *bad when present and not a string. */
static const char *get_str(json_t *o, const char *k, bool *bad)
{
	json_t *v = json_object_get(o, k);

	if (!v || json_is_null(v))
		return NULL;
	if (!json_is_string(v)) {
		*bad = true;
		return NULL;
	}
	return json_string_value(v);
}

static int eco_of(const char *s)
{
	int e;

	for (e = 0; s && e < HD_ECO_MAX; e++) {
		if (!strcmp(hd_eco_name((enum hd_pkg_eco)e), s))
			return e;
	}
	return -1;
}

int hd_vulnscan_cache_load(const char *path, struct hd_packages *pk)
{
	struct hd_buf b = HD_BUF_INIT(MAX_CACHE_FILE);
	json_t *doc = NULL, *a, *notes, *os, *v;
	bool bad = false;
	const char *f;
	size_t i;
	int r;

	r = hd_buf_read_file(&b, path);
	if (r < 0) {
		hd_buf_release(&b);
		return r == -HD_ENOMEM ? r : -HD_ENOENT;
	}
	doc = json_loadb(b.buf, b.len, JSON_REJECT_DUPLICATES, NULL);
	hd_buf_release(&b);
	r = -HD_EPARSE;
	if (!json_is_object(doc) || !(f = get_str(doc, "format", &bad)) || strcmp(f, CACHE_FORMAT) != 0)
		goto out;
	a = json_object_get(doc, "packages");
	notes = json_object_get(doc, "notes");
	os = json_object_get(doc, "os");
	if (!json_is_array(a) || !json_is_array(notes) || !json_is_object(os))
		goto out;
	pk->os.id = hd_packages_strdup(pk, get_str(os, "id", &bad));
	pk->os.version_id = hd_packages_strdup(pk, get_str(os, "version_id", &bad));
	pk->os.codename = hd_packages_strdup(pk, get_str(os, "codename", &bad));
	pk->os.pretty = hd_packages_strdup(pk, get_str(os, "pretty", &bad));
	v = json_object_get(doc, "owned_skipped");
	pk->owned_skipped = json_is_integer(v) && json_integer_value(v) >= 0 ? (size_t)json_integer_value(v) : 0;
	json_array_foreach(a, i, v) {
		struct hd_package p = { 0 };
		json_t *fl = json_object_get(v, "flags");
		int e;

		if (!json_is_object(v) || (e = eco_of(get_str(v, "eco", &bad))) < 0)
			goto out;
		p.eco = (enum hd_pkg_eco)e;
		p.name = get_str(v, "name", &bad);
		p.version = get_str(v, "version", &bad);
		p.source_name = get_str(v, "source_name", &bad);
		p.source_version = get_str(v, "source_version", &bad);
		p.arch = get_str(v, "arch", &bad);
		p.license = get_str(v, "license", &bad);
		p.path = get_str(v, "path", &bad);
		p.layer = get_str(v, "layer", &bad);
		p.flags = json_is_integer(fl) ? (unsigned)json_integer_value(fl) : 0;
		if (bad || !p.name || !p.version || !p.path)
			goto out;
		if ((r = hd_packages_add(pk, &p)) < 0)
			goto out;
		r = -HD_EPARSE;
	}
	json_array_foreach(notes, i, v) {
		if (!json_is_string(v))
			goto out;
		if ((r = hd_packages_note(pk, "%s", json_string_value(v))) < 0)
			goto out;
		r = -HD_EPARSE;
	}
	r = bad ? -HD_EPARSE : 0;
out:
	json_decref(doc);
	return r;
}

/* ---- the engine's images --------------------------------------------------- */

struct img {
	char *id;
	char *name;   /* the first tag, else the short id */
	char *key;    /* the layer chain's cache key (hex) */
};

/* The cache key of an image: SHA-256 of the format, hardock's version and its layer digests. */
static char *chain_key(json_t *layers)
{
	struct hd_sha256 *s = hd_sha256_new();
	char out[72];
	json_t *v;
	size_t i;

	if (!s)
		return NULL;
	hd_sha256_update(s, CACHE_FORMAT " " HD_VERSION "\n", strlen(CACHE_FORMAT " " HD_VERSION "\n"));
	json_array_foreach(layers, i, v) {
		hd_sha256_update(s, json_string_value(v), strlen(json_string_value(v)));
		hd_sha256_update(s, "\n", 1);
	}
	hd_sha256_final(s, out);
	hd_sha256_free(s);
	return hd_strdup(out + 7);
}

/* An image's name as the list gives it: its first tag, else its short id. */
static char *image_name(const char *id, json_t *tags)
{
	json_t *t0 = json_is_array(tags) ? json_array_get(tags, 0) : NULL;
	const char *tag = json_is_string(t0) ? json_string_value(t0) : NULL;

	if (tag && strcmp(tag, "<none>:<none>") != 0)
		return hd_strdup(tag);
	return hd_asprintf("%.19s", id);
}

/*
 * The inspect of one image: its RootFS.Layers (all strings), else an error
 * message.  When im->name is NULL (one image named by the caller), im->id is
 * the caller's reference and is replaced by the image's Id, and its name is
 * set; an image the engine does not have is then -HD_ENOENT.
 */
static int inspect(struct hd_engine *e, struct img *im, struct hd_vulnscan_result *res)
{
	struct hd_engine_req q;
	json_t *doc, *rootfs, *layers, *v;
	size_t i;
	int r;

	r = hd_engine_get(e, HD_API_IMAGE_INSPECT, im->id, &q);
	if (r < 0) {
		int m = msg(res, true, "cannot inspect image '%s': %s", im->name ? im->name : im->id,
			    q.errmsg ? q.errmsg : hd_strerror(r));

		hd_engine_req_release(&q);
		if (m < 0)
			return m;
		return !im->name && q.status == 404 ? -HD_ENOENT : 1;
	}
	doc = json_loadb(q.body.buf, q.body.len, 0, NULL);
	hd_engine_req_release(&q);
	if (!im->name) {
		json_t *id = json_object_get(doc, "Id");
		char *nid = json_is_string(id) ? hd_strdup(json_string_value(id)) : NULL;

		if (nid) {
			hd_free(im->id);
			im->id = nid;
		}
		im->name = image_name(im->id, json_object_get(doc, "RepoTags"));
		if (!im->name || (json_is_string(id) && !nid)) {
			json_decref(doc);
			return -HD_ENOMEM;
		}
	}
	rootfs = json_object_get(doc, "RootFS");
	layers = json_object_get(rootfs, "Layers");
	r = json_is_array(layers) ? 0 : 1;
	json_array_foreach(layers, i, v) {
		if (!json_is_string(v))
			r = 1;
	}
	if (r == 0 && !(im->key = chain_key(layers)))
		r = -HD_ENOMEM;
	json_decref(doc);
	if (r == 1 && (r = msg(res, true, "image '%s': the engine's inspect has no RootFS.Layers list", im->name)) == 0)
		r = 1;
	return r;
}

/* The packages of one image: the cache, else its export; 1 when it could not be catalogued. */
static int catalogue(struct hd_engine *e, const struct hd_vulnscan_opts *o, struct img *im, struct hd_packages *pk,
		     struct hd_vulnscan_result *res)
{
	struct hd_image_opts io;
	struct hd_image_set set;
	char *path = NULL, *errmsg = NULL;
	int r;

	if (o->cache_dir) {
		path = hd_asprintf("%s/%s.json", o->cache_dir, im->key);
		if (!path)
			return -HD_ENOMEM;
		r = hd_vulnscan_cache_load(path, pk);
		if (r == 0) {
			res->cached++;
			hd_free(path);
			return 0;
		}
		hd_packages_release(pk);
		hd_packages_init(pk);
		if (r == -HD_ENOMEM)
			goto out;
		if (r == -HD_EPARSE && (r = msg(res, false, "cache file '%s' is not a catalogue of this version: "
						"image '%s' is read again", path, im->name)) < 0)
			goto out;
	}
	hd_image_opts_init(&io);
	io.catalog = true;
	io.scan_secrets = false;
	io.now = 0;
	r = hd_image_analyze_engine(e, im->id, &io, &set, &errmsg);
	if (r < 0) {
		if (r != -HD_ENOMEM)
			r = msg(res, true, "cannot read image '%s' from the engine: %s", im->name,
				errmsg ? errmsg : hd_strerror(r));
		hd_free(errmsg);
		res->failed++;
		r = r < 0 ? r : 1;
		goto out;
	}
	if (set.n != 1 || !set.v[0].packages) {
		r = msg(res, true, "cannot catalogue image '%s': %s", im->name,
			set.n == 1 && set.v[0].n_errors ? set.v[0].errors[0] :
			set.n_errors ? set.errors[0] : "its export holds no readable image");
		hd_image_set_release(&set);
		res->failed++;
		r = r < 0 ? r : 1;
		goto out;
	}
	/* The set's list moves into pk. */
	hd_packages_release(pk);
	*pk = *set.v[0].packages;
	hd_free(set.v[0].packages);
	set.v[0].packages = NULL;
	hd_image_set_release(&set);
	res->read++;
	r = 0;
	if (path && hd_vulnscan_cache_save(path, pk) < 0)
		r = msg(res, false, "cannot write the cache file '%s'", path);
out:
	hd_free(path);
	return r;
}

/* The rule image/vulnerable-package on a spec holding the image's name and its match. */
static int judge(const struct hd_vulnscan_opts *o, const struct img *im, const struct hd_vuln_result *vr,
		 struct hd_findings *out)
{
	struct hd_image_spec *spec = hd_image_spec_new();
	size_t k;
	int r = 0;

	if (!spec || !(spec->name = hd_strdup(im->name)) || !(spec->id = hd_strdup(im->id))) {
		hd_image_spec_free(spec);
		return -HD_ENOMEM;
	}
	spec->vulns = vr;
	for (k = 0; k < hd_rule_count && r >= 0; k++) {
		if (!strcmp(hd_rules[k]->id, "image/vulnerable-package")) {
			struct hd_model m = { .kind = HD_TARGET_IMAGE, .cfg = o->cfg, .img = spec };
			struct hd_check ck;

			if (hd_rule_runs_on(&m, k))
				r = hd_run_rule(&m, k, out, &ck);
			break;
		}
	}
	hd_image_spec_free(spec);
	return r < 0 ? r : 0;
}

/* The engine's images: Id and the first tag of each, from GET /images/json. */
static int list_images(struct hd_engine *e, struct img **ret, size_t *n_ret, struct hd_vulnscan_result *res)
{
	struct hd_engine_req q;
	struct img *v = NULL;
	size_t n = 0, alloc = 0, i;
	json_t *doc, *x;
	int r;

	r = hd_engine_get(e, HD_API_IMAGES, NULL, &q);
	if (r < 0) {
		int m = msg(res, true, "cannot list the engine's images: %s", q.errmsg ? q.errmsg : hd_strerror(r));

		hd_engine_req_release(&q);
		return m < 0 ? m : r;
	}
	doc = json_loadb(q.body.buf, q.body.len, 0, NULL);
	hd_engine_req_release(&q);
	if (!json_is_array(doc)) {
		json_decref(doc);
		r = msg(res, true, "the engine's image list is not a JSON array");
		return r < 0 ? r : -HD_EPROTO;
	}
	r = 0;
	json_array_foreach(doc, i, x) {
		json_t *id = json_object_get(x, "Id");

		if (!json_is_string(id))
			continue;
		if (HD_GROW(v, alloc, n + 1) < 0) {
			r = -HD_ENOMEM;
			break;
		}
		memset(&v[n], 0, sizeof(v[n]));
		v[n].id = hd_strdup(json_string_value(id));
		v[n].name = image_name(json_string_value(id), json_object_get(x, "RepoTags"));
		n++;
		if (!v[n - 1].id || !v[n - 1].name) {
			r = -HD_ENOMEM;
			break;
		}
	}
	json_decref(doc);
	*ret = v;
	*n_ret = n;
	return r;
}

/*
 * One image: its layer chain, its catalogue, the match and the rule; the
 * findings go to out and to o->each.  0, or a negative HD_E* that stops the
 * scan (an image that could not be read is an error message and counted).
 */
static int scan_one(struct hd_engine *e, const struct hd_vulnscan_opts *o, struct img *im, struct hd_findings *out,
		    struct hd_vulnscan_result *res)
{
	struct hd_vulnscan_image vi;
	struct hd_findings found;
	struct hd_packages pk;
	struct hd_vuln_result vr = { 0 };
	size_t k;
	int r;

	r = inspect(e, im, res);
	if (r < 0)
		return r;
	memset(&vi, 0, sizeof(vi));
	hd_findings_init(&found);
	hd_packages_init(&pk);
	if (r > 0) {
		res->failed++;
		vi.failed = true;
		r = 0;
	} else {
		r = catalogue(e, o, im, &pk, res);
		vi.failed = r > 0;
	}
	if (r == 0 && !vi.failed) {
		for (k = 0; k < pk.n_notes && r >= 0; k++)
			r = msg(res, false, "image '%s': %s", im->name, pk.notes[k]);
		if (r >= 0)
			r = hd_vuln_match(o->db, &pk, &o->vo, &vr);
		for (k = 0; r >= 0 && k < vr.n_notes; k++)
			r = msg(res, false, "image '%s': %s", im->name, vr.notes[k]);
		for (k = 0; r >= 0 && k < vr.n; k++) {
			if (vr.v[k].severity < HD_SEV_MAX)
				vi.counts[vr.v[k].severity][!(vr.v[k].flags & HD_VF_UNFIXED)]++;
		}
		if (r >= 0)
			r = judge(o, im, &vr, &found);
	}
	r = r > 0 ? 0 : r;
	if (r >= 0 && o->each) {
		vi.id = im->id;
		vi.name = im->name ? im->name : im->id;
		vi.findings = &found;
		r = o->each(o->each_ctx, &vi);
	}
	if (r >= 0 && out)
		r = hd_findings_move(out, &found);
	hd_findings_release(&found);
	hd_vuln_result_release(&vr);
	hd_packages_release(&pk);
	return r;
}

static int make_cache_dir(const struct hd_vulnscan_opts *o, struct hd_vulnscan_result *res)
{
	if (o->cache_dir && mkdir(o->cache_dir, 0700) != 0 && errno != EEXIST)
		return msg(res, false, "cannot create the cache folder '%s': %s (images are read every time)",
			   o->cache_dir, strerror(errno));
	return 0;
}

int hd_vulnscan_engine(struct hd_engine *e, const struct hd_vulnscan_opts *o, struct hd_findings *out,
		       struct hd_vulnscan_result *res)
{
	size_t max = o->max_images ? o->max_images : HD_MAX_VULN_IMAGES;
	struct img *v = NULL;
	size_t n = 0, i;
	int r;

	r = list_images(e, &v, &n, res);
	if (r < 0)
		goto out;
	res->images = n;
	if ((r = make_cache_dir(o, res)) < 0)
		goto out;
	if (n > max && (r = msg(res, false, "the engine has %zu images: the first %zu were scanned", n, max)) < 0)
		goto out;
	for (i = 0; i < n && i < max; i++) {
		r = scan_one(e, o, &v[i], out, res);
		if (r < 0)
			goto out;
	}
	r = 0;
out:
	for (i = 0; i < n; i++) {
		hd_free(v[i].id);
		hd_free(v[i].name);
		hd_free(v[i].key);
	}
	hd_free(v);
	return r;
}

int hd_vulnscan_engine_image(struct hd_engine *e, const struct hd_vulnscan_opts *o, const char *ref,
			     struct hd_findings *out, struct hd_vulnscan_result *res)
{
	struct img im = { 0 };
	int r;

	im.id = hd_strdup(ref);
	if (!im.id)
		return -HD_ENOMEM;
	res->images = 1;
	r = make_cache_dir(o, res);
	if (r >= 0)
		r = scan_one(e, o, &im, out, res);
	hd_free(im.id);
	hd_free(im.name);
	hd_free(im.key);
	return r;
}
