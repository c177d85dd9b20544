/*
 * libFuzzer target for the image reader: the input is read as an image
 * archive (docker save, OCI layout tar; the outer tar, the layer
 * decompression, every layer tar, the manifests and the config), as a layer
 * blob on its own, and as each JSON document of a layout, then judged by
 * every image rule, as a hostile archive would make hardock do.  One thread
 * and small limits keep runs fast and deterministic.
 */
#include "core/common.h"
#include "core/config.h"
#include "core/finding.h"
#include "image/image.h"
#include "image/layer.h"
#include "image/meta.h"
#include "model/image.h"

#include <sys/mman.h>
#include <unistd.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

struct mem {
	const uint8_t *p;
	size_t n;
	bool done;
};

static int mem_chunk(void *ctx, const void **p, size_t *n, char *err, size_t errlen)
{
	struct mem *m = ctx;

	(void)err;
	(void)errlen;
	*p = m->p;
	*n = m->done ? 0 : m->n;
	m->done = true;
	return 0;
}

static void opts(struct hd_image_opts *o)
{
	hd_image_opts_init(o);
	o->threads = 1;
	o->lim.max_bytes = 32u << 20;
	o->lim.max_entries = 20000;
	o->lim.max_ratio = 200;
	o->lim.max_json = 1u << 20;
	o->now = 1735689600;
	o->catalog = true; /* the package catalogue of every layer, merged per image */
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct hd_image_opts o;
	struct hd_image_set s;
	struct hd_findings out;
	struct hd_config cfg;
	int fd;

	opts(&o);
	hd_config_init(&cfg);
	hd_findings_init(&out);
	/* As an archive. */
	fd = memfd_create("fuzz-image", MFD_CLOEXEC);
	if (fd >= 0) {
		if (write(fd, data, size) == (ssize_t)size && lseek(fd, 0, SEEK_SET) == 0 &&
		    hd_image_analyze_fd(fd, "fuzz.tar", &o, &s) == 0) {
			hd_image_judge(&s, &cfg, &out);
			hd_image_set_release(&s);
		}
		close(fd);
	}
	/* As an uncompressed layer. */
	{
		struct hd_layer_reader lr = { .lim = &o.lim, .catalog = true };
		struct hd_layer_index *ix = hd_layer_index_new();
		struct mem m = { data, size, false };

		if (ix)
			hd_layer_read(&lr, mem_chunk, &m, ix);
		hd_layer_index_free(ix);
	}
	/* As each JSON document of a layout. */
	{
		struct hd_save_entry *v = NULL;
		struct hd_oci_doc doc;
		struct hd_config_extra x;
		struct hd_image_spec *img = NULL;
		char err[256];
		size_t n = 0;
		static char *const tags[] = { (char *)"fuzz:latest" };

		if (hd_meta_save_manifest((const char *)data, size, &v, &n, err, sizeof(err)) == 0)
			hd_save_entries_free(v, n);
		if (hd_meta_oci((const char *)data, size, "fuzz", &doc, err, sizeof(err)) == 0)
			hd_oci_doc_release(&doc);
		if (hd_meta_config((const char *)data, size, "sha256:0", tags, 1, o.now, &img, &x, err,
				   sizeof(err)) == 0) {
			struct hd_model m = { .kind = HD_TARGET_IMAGE, .cfg = &cfg, .img = img };

			hd_run_rules(&m, &out);
			hd_config_extra_release(&x);
			hd_image_spec_free(img);
		}
	}
	hd_findings_release(&out);
	hd_config_release(&cfg);
	return 0;
}
