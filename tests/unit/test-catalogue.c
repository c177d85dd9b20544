/*
 * The rule catalogue itself: ids unique and well formed (<domain>/<slug>,
 * the domain matching the rule's target), metadata complete, references
 * known (CIS ids and hadolint ids from ../shared/reference, OWASP D01-D10),
 * every hadolint rule covered, and every Dockerfile rule's bad example firing
 * that rule while its good example fires no Dockerfile rule at all.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <cmocka.h>

#include "core/common.h"
#include "core/buf.h"
#include "core/config.h"
#include "core/finding.h"
#include "lint/context.h"
#include "lint/lint.h"
#include "model/dockerfile.h"

#include <unistd.h>

static struct hd_buf cis_tsv = HD_BUF_INIT(1 << 20);
static struct hd_buf dl_tsv = HD_BUF_INIT(1 << 20);

static int setup(void **state)
{
	const char *shared = getenv("SHARED");
	char path[4096];

	(void)state;
	if (!shared)
		shared = "../shared";
	snprintf(path, sizeof(path), "%s/reference/cis-docker-1.6.0.tsv", shared);
	if (hd_buf_read_file(&cis_tsv, path) < 0)
		return -1;
	snprintf(path, sizeof(path), "%s/reference/hadolint-rules.tsv", shared);
	if (hd_buf_read_file(&dl_tsv, path) < 0)
		return -1;
	return 0;
}

static int teardown(void **state)
{
	(void)state;
	hd_buf_release(&cis_tsv);
	hd_buf_release(&dl_tsv);
	return 0;
}

/* True if `id` starts a line of the tsv (followed by a tab). */
static bool tsv_has(const struct hd_buf *tsv, const char *id)
{
	size_t n = strlen(id);
	const char *p = tsv->buf;

	while (p && *p) {
		if (strncmp(p, id, n) == 0 && p[n] == '\t')
			return true;
		p = strchr(p, '\n');
		if (p)
			p++;
	}
	return false;
}

static const char *domain_for(enum hd_target t, const char *id)
{
	switch (t) {
	case HD_TARGET_DOCKERFILE:
		return hd_starts_with(id, "lint/") ? "lint/" : "dockerfile/";
	case HD_TARGET_CONTAINER: return hd_starts_with(id, "run/") ? "run/" : "container/";
	case HD_TARGET_PROJECT: return "compose/";
	case HD_TARGET_IMAGE: return "image/";
	case HD_TARGET_IMAGE_FILES: return "image/";
	case HD_TARGET_DAEMON: return hd_starts_with(id, "daemon/") ? "daemon/" : "host/";
	case HD_TARGET_HOST: return "host/";
	case HD_TARGET_ENGINE: return hd_starts_with(id, "swarm/") ? "swarm/" : "engine/";
	default: return "?";
	}
}

static void test_ids(void **state)
{
	size_t i, j;

	(void)state;
	assert_true(hd_rule_count > 0);
	for (i = 0; i < hd_rule_count; i++) {
		const struct hd_rule *r = hd_rules[i];
		const char *slash = strchr(r->id, '/'), *p;

		assert_non_null(slash);
		for (p = r->id; *p; p++) {
			if (!(islower((unsigned char)*p) || isdigit((unsigned char)*p) || *p == '-' || *p == '/')) {
				print_error("rule id '%s' has character '%c'\n", r->id, *p);
				fail();
			}
		}
		for (j = 0; j < i; j++) {
			if (strcmp(hd_rules[j]->id, r->id) == 0) {
				print_error("duplicate rule id '%s'\n", r->id);
				fail();
			}
		}
		if (!hd_starts_with(r->id, domain_for(r->target, r->id)) &&
		    !(r->target == HD_TARGET_CONTAINER && hd_starts_with(r->id, "compose/")) &&
		    /* Live-only container checks of the engine audit (rules/engine.c). */
		    !(r->target == HD_TARGET_CONTAINER && hd_starts_with(r->id, "engine/") &&
		      (r->flags & HD_RULE_LIVE_ONLY)) &&
		    !(r->target == HD_TARGET_PROJECT && hd_starts_with(r->id, "compose/"))) {
			print_error("rule '%s' has target %s\n", r->id, hd_target_name(r->target));
			fail();
		}
	}
}

/* Each .def line names the id of the rule it registers (a typo there would
 * hide which rule a line is). */
static void test_def_ids(void **state)
{
	size_t i;

	(void)state;
	for (i = 0; i < hd_rule_count; i++) {
		if (strcmp(hd_rule_def_ids[i], hd_rules[i]->id) != 0)
			fail_msg(".def line %zu says '%s' but registers '%s'", i, hd_rule_def_ids[i],
				 hd_rules[i]->id);
	}
	assert_null(hd_rule_def_ids[hd_rule_count]);
}

static void test_metadata(void **state)
{
	size_t i;
	char ref[64];

	(void)state;
	for (i = 0; i < hd_rule_count; i++) {
		const struct hd_rule *r = hd_rules[i];
		const char *p;

		if (!r->title || !*r->title || !r->rationale || !*r->rationale || !r->remediation ||
		    !*r->remediation) {
			print_error("rule '%s' lacks a title, rationale or remediation\n", r->id);
			fail();
		}
		assert_true(r->severity >= HD_SEV_INFO && r->severity < HD_SEV_MAX);
		for (p = r->cis; p && *p;) {
			size_t n = 0;

			while (*p == ',' || *p == ' ')
				p++;
			while (p[n] && p[n] != ',' && p[n] != ' ' && n < sizeof(ref) - 1)
				n++;
			memcpy(ref, p, n);
			ref[n] = '\0';
			p += n;
			if (n && !tsv_has(&cis_tsv, ref)) {
				print_error("rule '%s' cites unknown CIS id '%s'\n", r->id, ref);
				fail();
			}
		}
		for (p = r->hadolint; p && *p;) {
			size_t n = 0;

			while (*p == ',' || *p == ' ')
				p++;
			while (p[n] && p[n] != ',' && p[n] != ' ' && n < sizeof(ref) - 1)
				n++;
			memcpy(ref, p, n);
			ref[n] = '\0';
			p += n;
			if (n && !tsv_has(&dl_tsv, ref)) {
				print_error("rule '%s' cites unknown hadolint id '%s'\n", r->id, ref);
				fail();
			}
		}
		for (p = r->owasp; p && *p;) {
			while (*p == ',' || *p == ' ')
				p++;
			if (!*p)
				break;
			if (!(p[0] == 'D' && isdigit((unsigned char)p[1]) && isdigit((unsigned char)p[2]) &&
			      (p[3] == '\0' || p[3] == ',' || p[3] == ' ') &&
			      ((p[1] == '0' && p[2] >= '1') || (p[1] == '1' && p[2] == '0')))) {
				print_error("rule '%s' cites bad OWASP id '%s'\n", r->id, p);
				fail();
			}
			p += 3;
		}
	}
}

/* Every hadolint rule (except the parse-error pseudo code) has an equivalent. */
static void test_hadolint_parity(void **state)
{
	const char *p = dl_tsv.buf;
	size_t missing = 0;

	(void)state;
	p = strchr(p, '\n'); /* header */
	while (p && *++p) {
		char id[16];
		size_t n = strcspn(p, "\t");

		if (n < sizeof(id)) {
			memcpy(id, p, n);
			id[n] = '\0';
			if (!hd_rule_find(id)) {
				print_message("no rule for hadolint %s\n", id);
				missing++;
			}
		}
		p = strchr(p, '\n');
	}
	assert_int_equal(missing, 0);
}

/*
 * Examples of rules that depend on the configuration or the build context
 * say so in their first comment lines, and the test sets that up:
 *   # Fires with this in .hardock.yaml: trusted-registries: [docker.io]
 *   # and severity-overrides: {DL3050: info}
 *   # Fires when no .dockerignore is beside this Dockerfile
 */
static int example_config(const char *text, struct hd_config *cfg, bool *in_context)
{
	static const char cfg_marker[] = "# Fires with this in .hardock.yaml:";
	char path[] = "/tmp/hd-catalogue-XXXXXX";
	struct hd_diag d = { 0 };
	const char *p = text;
	bool any = false;
	FILE *fp;
	int fd, r = 0;

	*in_context = false;
	fd = mkstemp(path);
	assert_true(fd >= 0);
	fp = fdopen(fd, "w");
	while (*p == '#') {
		const char *nl = strchr(p, '\n');
		size_t n = nl ? (size_t)(nl - p) : strlen(p);

		if (hd_starts_with(p, cfg_marker)) {
			fprintf(fp, "%.*s\n", (int)(n - (sizeof(cfg_marker) - 1)), p + sizeof(cfg_marker) - 1);
			any = true;
		} else if (any && hd_starts_with(p, "# and ")) {
			fprintf(fp, "%.*s\n", (int)(n - 6), p + 6);
		} else if (hd_starts_with(p, "# Fires when no .dockerignore")) {
			*in_context = true;
		}
		if (!nl)
			break;
		p = nl + 1;
	}
	fclose(fp);
	if (any) {
		r = hd_config_load_file(cfg, path, &d);
		if (r < 0)
			print_message("example config: %s:%u:%u: %s\n", path, d.line, d.col, d.msg);
	}
	hd_diag_release(&d);
	unlink(path);
	return r;
}

static void lint_text(const char *text, bool is_bad, struct hd_findings *out)
{
	struct hd_dockerfile *df = NULL;
	struct hd_config cfg;
	struct hd_model m = { .kind = HD_TARGET_DOCKERFILE };
	char dir[] = "/tmp/hd-catalogue-dir-XXXXXX", path[64];
	bool in_context = false;

	hd_config_init(&cfg);
	if (is_bad)
		assert_int_equal(example_config(text, &cfg, &in_context), 0);
	m.cfg = &cfg;
	if (in_context) {
		/* A build context of its own, without a .dockerignore. */
		assert_non_null(mkdtemp(dir));
		snprintf(path, sizeof(path), "%s/Dockerfile", dir);
	}
	assert_int_equal(hd_dockerfile_parse(in_context ? path : NULL, text, strlen(text), &df), 0);
	if (in_context) {
		/* What the lint driver tells of the context (lint/lint_dockerfile.c). */
		df->dockerignore_known = true;
		df->has_dockerignore = hd_build_context_beside_ignore(NULL, path);
		rmdir(dir);
	}
	/* Bad examples may be invalid on purpose (ONBUILD FROM); good ones never. */
	for (size_t i = 0; !is_bad && i < df->n_errors; i++)
		print_message("parse error %u:%u %s\n", df->errors[i].line, df->errors[i].col, df->errors[i].msg);
	if (!is_bad)
		assert_int_equal(df->n_errors, 0);
	m.df = df;
	assert_int_equal(hd_run_rules(&m, out), 0);
	hd_dockerfile_free(df);
	hd_config_release(&cfg);
}

static void test_dockerfile_examples(void **state)
{
	size_t i, j, checked = 0;
	int bad = 0;

	(void)state;
	for (i = 0; i < hd_rule_count; i++) {
		const struct hd_rule *r = hd_rules[i];
		struct hd_findings f;
		bool fired = false;

		if (r->target != HD_TARGET_DOCKERFILE || !r->check)
			continue;
		if (!r->bad_example || !r->good_example) {
			print_message("rule %s lacks a bad or good example\n", r->id);
			bad++;
			continue;
		}
		hd_findings_init(&f);
		lint_text(r->bad_example, true, &f);
		for (j = 0; j < f.n; j++)
			fired |= f.v[j].rule == r;
		if (!fired && !(r->flags & HD_RULE_DEFAULT_OFF)) {
			print_message("bad example of %s does not fire it\n", r->id);
			bad++;
		}
		hd_findings_release(&f);
		hd_findings_init(&f);
		lint_text(r->good_example, false, &f);
		for (j = 0; j < f.n; j++) {
			print_message("good example of %s fires %s at %u:%u: %s\n", r->id, f.v[j].rule->id,
				      f.v[j].line, f.v[j].col, f.v[j].message);
			bad++;
		}
		hd_findings_release(&f);
		checked++;
	}
	print_message("checked the examples of %zu Dockerfile rules\n", checked);
	assert_int_equal(bad, 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_ids),
		cmocka_unit_test(test_def_ids),
		cmocka_unit_test(test_metadata),
		cmocka_unit_test(test_hadolint_parity),
		cmocka_unit_test(test_dockerfile_examples),
	};
	return cmocka_run_group_tests(tests, setup, teardown);
}
