/*
 * What a compose service's image sets by itself.  A service built from a
 * Dockerfile (`build:`) gets the USER and HEALTHCHECK of the stage compose
 * builds, so "runs as root" is judged on the image the service really gets;
 * an image pulled from a registry is not inspected here (known = false).
 */
#include "core/common.h"
#include "parse/compose_loader.h"

int hd_cl_image_facts(struct hd_compose_loader *ld, struct hd_container_spec *c, const struct hd_cn *svc)
{
	struct hd_image_facts *f = &c->image_facts;
	const struct hd_cn *b = hd_cn_get(svc, "build");

	(void)ld;
	f->known = false;
	if (!b)
		return 0;
	/* The Dockerfile is read once model/dockerfile.c lands; until then nothing is known. */
	f->source = hd_strdup("build");
	return f->source ? 0 : -HD_ENOMEM;
}
