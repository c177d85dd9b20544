/*
 * libFuzzer target for the compose loader: the input is loaded as a compose
 * file (YAML, anchors and merge keys, interpolation with a fixed
 * environment, validation, service conversion) without touching the disk,
 * linted with every container and project rule, and interpolated as a
 * string on its own.
 */
#include "core/common.h"
#include "core/config.h"
#include "lint/lint_compose.h"
#include "parse/compose.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static const char *const env[] = { "A=1", "EMPTY=", "TAG=1.27", NULL };

static const char *lookup(void *ctx, const char *name, size_t len)
{
	size_t i;

	(void)ctx;
	for (i = 0; env[i]; i++) {
		if (strncmp(env[i], name, len) == 0 && env[i][len] == '=')
			return env[i] + len + 1;
	}
	return NULL;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct hd_compose_file f = { "compose.yaml", (const char *)data, size };
	struct hd_compose_opts o = { .env = env, .no_disk = true, .project_dir = "/p" };
	struct hd_compose_issues issues;
	struct hd_project *p = NULL;
	struct hd_findings out;
	struct hd_config cfg;
	char *res = NULL, *err = NULL;

	hd_compose_issues_init(&issues);
	if (hd_compose_load(&f, 1, &o, &p, &issues) == 0 && !p)
		abort();
	hd_project_free(p);
	hd_compose_issues_release(&issues);

	hd_config_init(&cfg);
	hd_findings_init(&out);
	hd_lint_compose(&(struct hd_lint_input){ .path = "-", .data = (const char *)data, .len = size, .root = NULL, .cfg = &cfg }, &out);
	hd_findings_release(&out);
	hd_config_release(&cfg);

	if (hd_compose_interpolate((const char *)data, size, lookup, NULL, &res, &err, NULL) == 0)
		hd_free(res);
	hd_free(err);
	return 0;
}
