/*
 * libFuzzer target for the daemon.json reader: the input is read as
 * daemon.json on top of a fixed command line (so conflicts are exercised),
 * every daemon rule is run on the spec, and the input goes through the
 * harden merge and its validation too.
 */
#include "core/common.h"
#include "core/config.h"
#include "core/finding.h"
#include "harden/harden.h"
#include "model/daemon.h"
#include "parse/daemon_json.h"
#include "parse/dockerd_args.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static const char *const args[] = { "/usr/bin/dockerd", "-H", "fd://", "--icc=false", "--log-opt",
				     "max-size=10m", NULL };

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct hd_daemon_spec d;
	struct hd_uwords argv = { 0 };
	struct hd_findings out;
	struct hd_config cfg;
	struct hd_model m;
	struct hd_harden_json h;
	struct hd_strlist problems = { 0 };
	char *text, *cf = NULL, *err = NULL;
	size_t i;

	text = hd_strndup((const char *)data, size);
	if (!text)
		return 0;
	hd_daemon_spec_init(&d);
	for (i = 0; args[i]; i++) {
		struct hd_uword w = { (char *)args[i], (char *)"docker.service", 1, (uint32_t)i + 1 };

		if (HD_GROW(argv.v, argv.alloc, argv.n + 1) < 0)
			goto out;
		argv.v[argv.n].s = hd_strdup(w.s);
		argv.v[argv.n].file = hd_strdup(w.file);
		argv.v[argv.n].line = w.line;
		argv.v[argv.n].col = w.col;
		argv.n++;
	}
	hd_dockerd_args_read(&d, &argv, 1, &cf);
	hd_daemon_json_read(&d, "/etc/docker/daemon.json", (const char *)data, size);
	hd_config_init(&cfg);
	hd_findings_init(&out);
	memset(&m, 0, sizeof(m));
	m.kind = HD_TARGET_DAEMON;
	m.cfg = &cfg;
	m.daemon = &d;
	hd_run_rules(&m, &out);
	hd_findings_release(&out);
	hd_config_release(&cfg);
	if (hd_harden_daemon_json((const char *)data, size, &d, size & 1, &h, &err) == 0) {
		hd_harden_validate("/etc/docker/daemon.json", h.text, &d, &problems);
		hd_harden_json_release(&h);
	}
	hd_free(err);
	hd_strlist_release(&problems);
out:
	hd_free(cf);
	hd_uwords_release(&argv);
	hd_daemon_spec_release(&d);
	hd_free(text);
	return 0;
}
