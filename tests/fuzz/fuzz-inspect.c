/*
 * libFuzzer target for the Engine API readers (parse/inspect_*.c over
 * parse/json.c): the input is read as every kind of answer the engine
 * audit parses (container inspect, then top and each exec session of that
 * container, image inspect, the lists, /version, /info and the swarm
 * lists) and as a create and an exec request body (repeated and
 * case-folded keys allowed there), and every container and image read is
 * judged by its rules, as a daemon answering garbage would make hardock do.
 */
#include "core/common.h"
#include "core/config.h"
#include "core/finding.h"
#include "parse/inspect.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const char *s = (const char *)data;
	struct hd_container_spec *c = NULL;
	struct hd_image_spec *img = NULL;
	struct hd_engine_facts *f = hd_engine_facts_new();
	struct hd_ctr_summary *cs = NULL;
	struct hd_img_summary *is = NULL;
	struct hd_findings out;
	struct hd_config cfg;
	struct hd_model m = { .cfg = &cfg };
	struct hd_diag d = { 0 };
	size_t n = 0, i;

	hd_config_init(&cfg);
	hd_findings_init(&out);
	if (hd_inspect_container(s, size, &c, &d) == 0) {
		hd_inspect_top(s, size, c, &d);
		hd_diag_release(&d);
		for (i = 0; i < c->live->n_execs; i++) {
			hd_inspect_exec(s, size, i, c, &d);
			hd_diag_release(&d);
		}
		c->live->host_known = true;
		c->live->engine_socket = hd_strdup("/run/x/docker.sock");
		c->live->data_root = hd_strdup("/srv/docker");
		m.kind = HD_TARGET_CONTAINER;
		m.ctr = c;
		hd_run_rules(&m, &out);
	}
	hd_diag_release(&d);
	hd_container_spec_free(c);
	c = NULL;
	/* A create body: duplicate keys and case variants are read as dockerd reads them. */
	if (hd_inspect_create_body(s, size, "fuzz", &c, &d) == 0) {
		m.kind = HD_TARGET_CONTAINER;
		m.ctr = c;
		hd_run_rules(&m, &out);
	}
	hd_diag_release(&d);
	{
		struct hd_exec_body e;

		if (hd_inspect_exec_body(s, size, &e, &d) == 0)
			hd_exec_body_release(&e);
		hd_diag_release(&d);
	}
	if (hd_inspect_image(s, size, 1735689600, &img, &d) == 0) {
		img->usage_known = true;
		m.kind = HD_TARGET_IMAGE;
		m.img = img;
		hd_run_rules(&m, &out);
	}
	hd_diag_release(&d);
	if (hd_inspect_container_list(s, size, &cs, &n, &d) == 0)
		hd_ctr_summaries_free(cs, n);
	hd_diag_release(&d);
	if (hd_inspect_image_list(s, size, &is, &n, &d) == 0)
		hd_img_summaries_free(is, n);
	hd_diag_release(&d);
	if (f) {
		hd_inspect_version(s, size, f, &d);
		hd_diag_release(&d);
		hd_inspect_info(s, size, f, &d);
		hd_diag_release(&d);
		hd_inspect_nodes(s, size, f, &d);
		hd_diag_release(&d);
		hd_inspect_networks(s, size, f, &d);
		hd_diag_release(&d);
		hd_inspect_services(s, size, f, &d);
		hd_diag_release(&d);
		hd_inspect_secrets(s, size, f, &d);
		hd_diag_release(&d);
		f->now = 1735689600;
		m.kind = HD_TARGET_ENGINE;
		m.engine = f;
		hd_run_rules(&m, &out);
	}
	hd_findings_release(&out);
	hd_container_spec_free(c);
	hd_image_spec_free(img);
	hd_engine_facts_free(f);
	hd_config_release(&cfg);
	return 0;
}
