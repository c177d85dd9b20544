/*
 * Constructors, destructor and helpers of image_spec (see image.h).
 */
#include "core/common.h"
#include "model/image.h"

struct hd_image_spec *hd_image_spec_new(void)
{
	struct hd_image_spec *img = hd_calloc(1, sizeof(*img));

	if (img)
		img->size = -1;
	return img;
}

static void items_free(struct hd_items *l)
{
	size_t i;

	for (i = 0; i < l->n; i++) {
		hd_free(l->v[i].value);
		hd_origin_release(&l->v[i].at);
	}
	hd_free(l->v);
	memset(l, 0, sizeof(*l));
}

void hd_image_spec_free(struct hd_image_spec *img)
{
	size_t i;

	if (!img)
		return;
	hd_free(img->id);
	hd_free(img->name);
	hd_origin_release(&img->at);
	items_free(&img->repo_tags);
	items_free(&img->repo_digests);
	items_free(&img->used_by);
	hd_free(img->user.value);
	hd_origin_release(&img->user.at);
	hd_origin_release(&img->healthcheck.at);
	for (i = 0; i < img->n_env; i++) {
		hd_free(img->env[i].name);
		hd_free(img->env[i].value);
		hd_origin_release(&img->env[i].at);
	}
	hd_free(img->env);
	for (i = 0; i < img->n_exposed; i++) {
		hd_free(img->exposed[i].host_ip);
		hd_origin_release(&img->exposed[i].at);
	}
	hd_free(img->exposed);
	for (i = 0; i < img->labels.n; i++) {
		hd_free(img->labels.v[i].key);
		hd_free(img->labels.v[i].value);
		hd_origin_release(&img->labels.v[i].at);
	}
	hd_free(img->labels.v);
	items_free(&img->entrypoint);
	items_free(&img->cmd);
	items_free(&img->volumes);
	for (i = 0; i < img->n_history; i++) {
		hd_free(img->history[i].created_by);
		hd_origin_release(&img->history[i].at);
	}
	hd_free(img->history);
	hd_origin_release(&img->created_at);
	hd_free(img->os);
	hd_free(img->arch);
	hd_free(img->docker_version);
	hd_free(img);
}

struct hd_env *hd_image_add_env(struct hd_image_spec *img, const struct hd_origin *at)
{
	struct hd_env *e;

	if (HD_GROW(img->env, img->alloc_env, img->n_env + 1) < 0)
		return NULL;
	e = &img->env[img->n_env];
	memset(e, 0, sizeof(*e));
	if (at && hd_origin_copy(&e->at, at) < 0)
		return NULL;
	img->n_env++;
	return e;
}

struct hd_port *hd_image_add_exposed(struct hd_image_spec *img, const struct hd_origin *at)
{
	struct hd_port *p;

	if (HD_GROW(img->exposed, img->alloc_exposed, img->n_exposed + 1) < 0)
		return NULL;
	p = &img->exposed[img->n_exposed];
	memset(p, 0, sizeof(*p));
	if (at && hd_origin_copy(&p->at, at) < 0)
		return NULL;
	img->n_exposed++;
	return p;
}

struct hd_image_history *hd_image_add_history(struct hd_image_spec *img, const struct hd_origin *at)
{
	struct hd_image_history *h;

	if (HD_GROW(img->history, img->alloc_history, img->n_history + 1) < 0)
		return NULL;
	h = &img->history[img->n_history];
	memset(h, 0, sizeof(*h));
	if (at && hd_origin_copy(&h->at, at) < 0)
		return NULL;
	img->n_history++;
	return h;
}

void hd_image_loc(const struct hd_image_spec *img, const struct hd_origin *o, struct hd_loc *loc)
{
	memset(loc, 0, sizeof(*loc));
	loc->object = img->name ? img->name : img->id;
	loc->field = o ? o->field : NULL;
}

bool hd_image_user_is_root(const char *user)
{
	size_t n, i = 0;

	if (!user || !*user)
		return true;
	n = strcspn(user, ":");
	if (n == 0 || (n == 4 && strncmp(user, "root", 4) == 0))
		return true;
	/* A number: an optional sign, then zeros only is uid 0. */
	if (user[0] == '+' || user[0] == '-')
		i = 1;
	if (i == n)
		return false;
	for (; i < n; i++) {
		if (user[i] != '0')
			return false;
	}
	return true;
}
