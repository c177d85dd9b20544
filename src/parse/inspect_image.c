/*
 * Image answers of the Engine API (see inspect.h): image inspect into an
 * image_spec, and the image list.
 */
#include "core/common.h"
#include "parse/inspect_int.h"

void hd_img_summaries_free(struct hd_img_summary *v, size_t n)
{
	size_t i;

	for (i = 0; v && i < n; i++) {
		hd_free(v[i].id);
		hd_free(v[i].first_tag);
		while (v[i].n_tags)
			hd_free(v[i].tags[--v[i].n_tags]);
		hd_free(v[i].tags);
	}
	hd_free(v);
}

struct tags_ctx {
	struct hd_img_summary *s;
	size_t cap;
};

static int add_tag(void *vctx, const char *tag, const char *path)
{
	struct tags_ctx *x = vctx;

	(void)path;
	if (!strcmp(tag, "<none>:<none>"))
		return 0;
	if (HD_GROW(x->s->tags, x->cap, x->s->n_tags + 1) < 0)
		return -HD_ENOMEM;
	if (!(x->s->tags[x->s->n_tags] = hd_strdup(tag)))
		return -HD_ENOMEM;
	x->s->n_tags++;
	return 0;
}

int hd_inspect_image_list(const char *json, size_t len, struct hd_img_summary **ret, size_t *ret_n,
			  struct hd_diag *d)
{
	struct hd_jr r = { .d = d };
	struct hd_img_summary *v = NULL;
	struct hd_jv root;
	size_t i, n = 0;
	int rc;

	snprintf(r.what, sizeof(r.what), "image list");
	rc = hd_ij_open_list(&r, json, len, sizeof(*v), &root, (void **)&v, &n);
	if (rc < 0)
		goto out;
	for (i = 0; i < n; i++) {
		struct tags_ctx tc = { &v[i], 0 };
		struct hd_jv e;
		const char *id;

		if ((rc = hd_jv_at(&r, &root, i, 0, &e)) < 0 || (rc = hd_jv_as_obj(&r, &e)) < 0 ||
		    (rc = hd_jv_str(&r, &e, "Id", 0, &id, NULL)) < 0)
			goto out;
		if (!id || !*id) {
			rc = hd_jr_bad(&r, e.path, "an Id");
			goto out;
		}
		if ((rc = hd_ij_dup(&v[i].id, id)) < 0)
			goto out;
		if ((rc = hd_jv_strings(&r, &e, "RepoTags", 0, add_tag, &tc)) < 0 ||
		    (rc = hd_ij_dup(&v[i].first_tag, v[i].n_tags ? v[i].tags[0] : NULL)) < 0)
			goto out;
	}
	*ret = v;
	*ret_n = n;
	v = NULL;
	rc = 0;
out:
	hd_img_summaries_free(v, n);
	hd_jr_release(&r);
	return rc;
}

static struct hd_env *img_add_env(void *img, const struct hd_origin *at)
{
	return hd_image_add_env(img, at);
}

static int read_config(struct hd_jr *r, struct hd_image_spec *img, const struct hd_jv *cfg)
{
	struct hd_jentry *e;
	struct hd_jv o;
	const char *s, *path;
	size_t n, i;
	int rc;

	if ((rc = hd_jv_str(r, cfg, "User", 0, &s, &path)) < 0)
		return rc;
	if (s && *s) {
		struct hd_origin at = { 0 };

		rc = hd_ij_origin(&at, path);
		if (rc >= 0)
			rc = hd_str_setting_set(&img->user, s, &at);
		hd_origin_release(&at);
		if (rc < 0)
			return rc;
	}
	if ((rc = hd_ij_healthcheck(r, &img->healthcheck, cfg, "Healthcheck")) < 0 ||
	    (rc = hd_ij_env(r, img_add_env, img, cfg, "Env")) < 0 ||
	    (rc = hd_ij_add_kvs(r, &img->labels, cfg, "Labels")) < 0 ||
	    (rc = hd_ij_add_items(r, &img->entrypoint, cfg, "Entrypoint", HD_JF_REPLACE, NULL)) < 0 ||
	    (rc = hd_ij_add_items(r, &img->cmd, cfg, "Cmd", HD_JF_REPLACE, NULL)) < 0 ||
	    (rc = hd_jv_map(r, cfg, "Volumes", 0, &o)) < 0 || (rc = hd_jv_entries(r, &o, &e, &n)) < 0)
		return rc;
	for (i = 0; i < n; i++) {
		struct hd_origin at = { 0 };

		rc = hd_ij_origin(&at, e[i].val.path);
		if (rc >= 0)
			rc = hd_items_add(&img->volumes, e[i].key, &at);
		hd_origin_release(&at);
		if (rc < 0)
			return rc;
	}
	if ((rc = hd_jv_map(r, cfg, "ExposedPorts", 0, &o)) < 0 || (rc = hd_jv_entries(r, &o, &e, &n)) < 0)
		return rc;
	for (i = 0; i < n; i++) {
		struct hd_origin at = { 0 };
		struct hd_port *p;
		uint32_t lo, hi;
		enum hd_proto proto;

		if (!hd_ij_port_key(e[i].key, &lo, &hi, &proto))
			return hd_jr_bad(r, e[i].val.path, "a port such as \"80/tcp\"");
		rc = hd_ij_origin(&at, e[i].val.path);
		p = rc >= 0 ? hd_image_add_exposed(img, &at) : NULL;
		hd_origin_release(&at);
		if (!p)
			return -HD_ENOMEM;
		p->ctr_port_lo = lo;
		p->ctr_port_hi = hi;
		p->proto = proto;
	}
	return 0;
}

int hd_inspect_image(const char *json, size_t len, int64_t now, struct hd_image_spec **ret,
		     struct hd_diag *d)
{
	struct hd_jr r = { .d = d };
	struct hd_image_spec *img = NULL;
	struct hd_jv root, cfg;
	const char *id, *s;
	size_t i;
	int rc;

	snprintf(r.what, sizeof(r.what), "image inspect");
	rc = hd_ij_open(&r, json, len, false, &root);
	if (rc < 0)
		goto out;
	if ((rc = hd_jv_str(&r, &root, "Id", 0, &id, NULL)) < 0)
		goto out;
	if (!id || !*id) {
		rc = hd_jr_bad(&r, "Id", "an image id");
		goto out;
	}
	snprintf(r.what, sizeof(r.what), "image '%.150s'", id);
	img = hd_image_spec_new();
	if (!img || hd_ij_dup(&img->id, id) < 0) {
		rc = -HD_ENOMEM;
		goto out;
	}
	img->now = now;
	if ((rc = hd_ij_add_items(&r, &img->repo_tags, &root, "RepoTags", 0, NULL)) < 0 ||
	    (rc = hd_ij_add_items(&r, &img->repo_digests, &root, "RepoDigests", 0, NULL)) < 0)
		goto out;
	/* Docker lists an untagged image as "<none>:<none>" in some versions. */
	img->dangling = true;
	for (i = 0; i < img->repo_tags.n; i++) {
		if (strcmp(img->repo_tags.v[i].value, "<none>:<none>") != 0) {
			img->dangling = false;
			if (!img->name && !(img->name = hd_strdup(img->repo_tags.v[i].value))) {
				rc = -HD_ENOMEM;
				goto out;
			}
		}
	}
	if (!img->name && img->repo_digests.n)
		img->name = hd_strdup(img->repo_digests.v[0].value);
	if (!img->name)
		img->name = hd_asprintf("%.19s", id);
	if (!img->name) {
		rc = -HD_ENOMEM;
		goto out;
	}
	snprintf(r.what, sizeof(r.what), "image '%.150s'", img->name);
	if ((rc = hd_jv_str(&r, &root, "Created", 0, &s, NULL)) < 0)
		goto out;
	if (s && hd_parse_rfc3339(s, &img->created) < 0) {
		rc = hd_jr_bad(&r, "Created", "an RFC 3339 time");
		goto out;
	}
	if ((rc = hd_ij_origin(&img->created_at, "Created")) < 0 ||
	    (rc = hd_jv_int(&r, &root, "Size", 0, &img->size, NULL, NULL)) < 0 ||
	    (rc = hd_jv_str(&r, &root, "Os", 0, &s, NULL)) < 0 || (rc = hd_ij_dup(&img->os, s)) < 0 ||
	    (rc = hd_jv_str(&r, &root, "Architecture", 0, &s, NULL)) < 0 ||
	    (rc = hd_ij_dup(&img->arch, s)) < 0 ||
	    (rc = hd_jv_str(&r, &root, "DockerVersion", 0, &s, NULL)) < 0 ||
	    (rc = hd_ij_dup(&img->docker_version, s && *s ? s : NULL)) < 0 ||
	    (rc = hd_jv_obj(&r, &root, "Config", HD_IJ_PTR, &cfg)) < 0)
		goto out;
	if (cfg.n && (rc = read_config(&r, img, &cfg)) < 0)
		goto out;
	*ret = img;
	img = NULL;
	rc = 0;
out:
	hd_image_spec_free(img);
	hd_jr_release(&r);
	return rc;
}
