/*
 * What a compose service's image sets by itself.  A service built from a
 * Dockerfile (`build:`) gets the USER and HEALTHCHECK of the stage compose
 * builds (`target:`, else the last stage), so "runs as root" is judged on
 * the image the service really gets, as the Dockerfile rules judge it (no
 * USER means root).  An image pulled from a registry, a remote build context
 * or an unreadable Dockerfile leaves the facts unknown (known = false).
 */
#include "core/common.h"
#include "core/confine.h"
#include "model/dockerfile.h"
#include "parse/compose_loader.h"

static bool is_remote(const char *ctx)
{
	return strstr(ctx, "://") || hd_starts_with(ctx, "git@") || hd_starts_with(ctx, "github.com/");
}

static int facts_from(struct hd_image_facts *f, const struct hd_dockerfile *df, const char *target,
		      const char *path)
{
	const struct hd_stage *st = NULL;
	size_t i;

	for (i = 0; target && i < df->n_stages; i++) {
		if (df->stages[i].name && strcasecmp(df->stages[i].name, target) == 0)
			st = &df->stages[i];
	}
	if (!st && df->n_stages)
		st = &df->stages[df->n_stages - 1];
	if (!st)
		return 0;
	f->known = true;
	f->user_known = true;
	if (st->user && !(f->user = hd_strdup(st->user)))
		return -HD_ENOMEM;
	f->healthcheck_known = true;
	f->has_healthcheck = st->healthcheck >= 0 && !df->instrs[st->healthcheck].healthcheck_none;
	if (st->last_user >= 0)
		f->source = hd_asprintf("%s:%" PRIu32, path, df->instrs[st->last_user].span.line);
	else
		f->source = hd_strdup(path);
	return f->source ? 0 : -HD_ENOMEM;
}

int hd_cl_image_facts(struct hd_compose_loader *ld, struct hd_container_spec *c, const struct hd_cn *svc)
{
	struct hd_image_facts *f = &c->image_facts;
	const struct hd_cn *b = hd_cn_get(svc, "build");
	const char *ctx = NULL, *dfname = "Dockerfile", *target = NULL, *inl = NULL, *dir, *path;
	const struct hd_cl_file *cf;
	struct hd_buf data = HD_BUF_INIT(HD_MAX_FILE_SIZE);
	struct hd_dockerfile *df = NULL;
	int r;

	f->known = false;
	if (!b)
		return 0;
	if (b->kind == HD_CN_STR) {
		ctx = b->s;
	} else if (b->kind == HD_CN_MAP) {
		ctx = hd_cn_str(hd_cn_get(b, "context"));
		if (hd_cn_str(hd_cn_get(b, "dockerfile")))
			dfname = hd_cn_str(hd_cn_get(b, "dockerfile"));
		target = hd_cn_str(hd_cn_get(b, "target"));
		inl = hd_cn_str(hd_cn_get(b, "dockerfile_inline"));
	} else {
		return 0;
	}
	if (!ctx || !*ctx)
		ctx = ".";
	if (inl) {
		path = "dockerfile_inline";
		r = hd_dockerfile_parse(NULL, inl, strlen(inl), &df);
	} else {
		if (is_remote(ctx) || ld->opts->no_disk)
			return 0;
		cf = hd_cl_file_of(ld, b->file);
		dir = hd_cl_join(ld, cf && cf->base_dir ? cf->base_dir : ld->dir, ctx);
		path = dir ? hd_cl_join(ld, dir, dfname) : NULL;
		if (!path)
			return -HD_ENOMEM;
		/* The context, then the Dockerfile in it: each must stay inside the linted tree. */
		if (hd_confine_check(ld->root, dir) == -HD_EOUTSIDE || ctx[0] == '/' || ctx[0] == '~')
			r = hd_cl_read_at(ld, dir, ctx, b->kind == HD_CN_MAP && hd_cn_get(b, "context") ?
					  hd_cn_get(b, "context") : b, "build context", NULL);
		else
			r = hd_cl_read_at(ld, path, dfname, b->kind == HD_CN_MAP && hd_cn_get(b, "dockerfile") ?
					  hd_cn_get(b, "dockerfile") : b, "Dockerfile", &data);
		if (r == -HD_ENOMEM)
			return r;
		if (r != 0) {
			/* Not readable here (generated, or outside this tree): unknown, not an error. */
			hd_buf_release(&data);
			return 0;
		}
		r = hd_dockerfile_parse(path, data.buf, data.len, &df);
	}
	if (r == 0)
		r = facts_from(f, df, target, path);
	hd_dockerfile_free(df);
	hd_buf_release(&data);
	return r;
}
