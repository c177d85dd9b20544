/*
 * Constructors and helpers of image_files (see image_files.h).
 */
#include "core/common.h"
#include "model/image_files.h"

struct hd_image_files *hd_image_files_new(void)
{
	struct hd_image_files *f = hd_calloc(1, sizeof(*f));

	if (f)
		hd_arena_init(&f->arena, 8 * 1024);
	return f;
}

void hd_image_files_free(struct hd_image_files *f)
{
	if (!f)
		return;
	hd_free(f->layers);
	hd_free(f->steps);
	hd_free(f->files);
	hd_free(f->secrets);
	hd_free(f->anomalies);
	hd_free(f->accounts);
	hd_free(f->groups);
	hd_arena_release(&f->arena);
	hd_free(f);
}

const char *hd_image_layer_label(const struct hd_image_files *f, unsigned layer, char *buf, size_t n)
{
	const char *d = layer < f->n_layers ? f->layers[layer].digest : NULL;

	if (d && hd_starts_with(d, "sha256:"))
		snprintf(buf, n, "layer %u (%.19s)", layer + 1, d);
	else
		snprintf(buf, n, "layer %u", layer + 1);
	return buf;
}
