/*
 * Unit tests for core/config.c: .hardock.yaml and .hadolint.yaml reading,
 * errors with positions, discovery, and the questions rules ask.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <cmocka.h>

#include "core/common.h"
#include "core/config.h"

#include <sys/stat.h>
#include <unistd.h>

/* Stand-ins with the ids of catalogue rules (config files may only name rules that exist). */
static const struct hd_rule rule_a = { .id = "dockerfile/apt-get-unpinned", .hadolint = "DL3008",
				       .cis = "4.1", .severity = HD_SEV_LOW };
static const struct hd_rule rule_off = { .id = "dockerfile/inline-ignore", .severity = HD_SEV_INFO,
					 .flags = HD_RULE_DEFAULT_OFF };

static char tmpdir[64];

static const char *write_file(const char *name, const char *text)
{
	static char path[256];
	FILE *fp;

	snprintf(path, sizeof(path), "%s/%s", tmpdir, name);
	fp = fopen(path, "w");
	assert_non_null(fp);
	fputs(text, fp);
	fclose(fp);
	return path;
}

static int setup(void **state)
{
	(void)state;
	snprintf(tmpdir, sizeof(tmpdir), "/tmp/hd-test-config-XXXXXX");
	return mkdtemp(tmpdir) ? 0 : -1;
}

static int teardown(void **state)
{
	char cmd[128];

	(void)state;
	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", tmpdir);
	return system(cmd) == 0 ? 0 : -1;
}

static void test_load_full(void **state)
{
	struct hd_config c;
	struct hd_diag d = { 0 };
	const char *p = write_file("full.yaml",
				   "ignored: [DL3008, container/privileged]\n"
				   "severity-overrides:\n  dockerfile/inline-ignore: high\n"
				   "fail-on: medium\n"
				   "trusted-registries:\n  - docker.io\n  - '*.corp.example'\n"
				   "allowed-base-images: [alpine]\n"
				   "required-labels: [org.opencontainers.image.source]\n");

	(void)state;
	hd_config_init(&c);
	assert_int_equal(hd_config_load_file(&c, p, &d), 0);
	assert_int_equal(c.fail_on, HD_SEV_MEDIUM);
	assert_false(hd_config_rule_enabled(&c, &rule_a)); /* through its hadolint id */
	assert_true(hd_config_rule_enabled(&c, &rule_off)); /* default-off, enabled by override */
	assert_int_equal(hd_config_severity(&c, &rule_off), HD_SEV_HIGH);
	assert_true(hd_config_registry_trusted(&c, "docker.io"));
	assert_true(hd_config_registry_trusted(&c, "reg.corp.example"));
	assert_false(hd_config_registry_trusted(&c, "corp.example"));
	assert_false(hd_config_registry_trusted(&c, "quay.io"));
	assert_int_equal(c.required_labels.n, 1);
	hd_config_release(&c);
	hd_diag_release(&d);
}

static void test_hadolint_format(void **state)
{
	struct hd_config c;
	struct hd_diag d = { 0 };
	const char *p = write_file(".hadolint.yaml",
				   "ignored:\n  - DL3008\n"
				   "override:\n  error:\n    - DL3008\n"
				   "trustedRegistries:\n  - quay.io\n"
				   "failure-threshold: warning\n");

	(void)state;
	hd_config_init(&c);
	assert_int_equal(hd_config_load_file(&c, p, &d), 0);
	assert_int_equal(c.fail_on, HD_SEV_MEDIUM);
	/* hadolint's error is hardock's high, never the tool's own "error". */
	assert_int_equal(hd_config_severity(&c, &rule_a), HD_SEV_HIGH);
	assert_true(hd_config_registry_trusted(&c, "quay.io"));
	hd_config_release(&c);

	/* Every hadolint level, in overrides and in failure-threshold. */
	p = write_file(".hadolint.yml", "override:\n  info: [DL3008]\n  style: [dockerfile/inline-ignore]\n"
					"  warning: [DL3002]\n"
					"failure-threshold: info\n"
					"ignored: [DL9999]\n"); /* a hadolint id hardock has no rule for */
	hd_config_init(&c);
	assert_int_equal(hd_config_load_file(&c, p, &d), 0);
	assert_int_equal(c.fail_on, HD_SEV_LOW);
	assert_int_equal(hd_config_severity(&c, &rule_a), HD_SEV_LOW);
	assert_int_equal(hd_config_severity(&c, &rule_off), HD_SEV_INFO);
	hd_config_release(&c);
	p = write_file(".hadolint.yaml", "failure-threshold: style\n");
	hd_config_init(&c);
	assert_int_equal(hd_config_load_file(&c, p, &d), 0);
	assert_int_equal(c.fail_on, HD_SEV_INFO);
	hd_config_release(&c);
	p = write_file(".hadolint.yaml", "failure-threshold: error\n");
	hd_config_init(&c);
	assert_int_equal(hd_config_load_file(&c, p, &d), 0);
	assert_int_equal(c.fail_on, HD_SEV_HIGH);
	hd_config_release(&c);
	/* In hardock's own file, hardock's names, and hadolint's where they do not clash. */
	p = write_file("own.yaml", "fail-on: info\nseverity-overrides: {DL3008: error, CIS-4.1: warning}\n");
	hd_config_init(&c);
	assert_int_equal(hd_config_load_file(&c, p, &d), 0);
	assert_int_equal(c.fail_on, HD_SEV_INFO);
	assert_int_equal(hd_config_severity(&c, &rule_a), HD_SEV_MEDIUM);
	hd_config_release(&c);
	hd_diag_release(&d);
}

/* Rule ids that name no rule are errors at their place, in every list. */
static void test_unknown_rule_ids(void **state)
{
	struct hd_config c;
	struct hd_diag d = { 0 };
	const char *p;

	(void)state;
	p = write_file("u1.yaml", "ignored:\n  - container/privileged\n  - container/privilegd\n");
	hd_config_init(&c);
	assert_int_equal(hd_config_load_file(&c, p, &d), -HD_EPARSE);
	assert_int_equal(d.line, 3);
	assert_int_equal(d.col, 5);
	assert_non_null(strstr(d.msg, "unknown rule 'container/privilegd'"));
	hd_config_release(&c);
	p = write_file("u2.yaml", "severity-overrides:\n  CIS-5.5: low\n  nope/rule: high\n");
	hd_config_init(&c);
	assert_int_equal(hd_config_load_file(&c, p, &d), -HD_EPARSE);
	assert_int_equal(d.line, 3);
	assert_int_equal(d.col, 3);
	hd_config_release(&c);
	p = write_file("u3.yaml", "override:\n  high: [DL3008, DL9999]\n");
	hd_config_init(&c);
	assert_int_equal(hd_config_load_file(&c, p, &d), -HD_EPARSE);
	assert_int_equal(d.line, 2);
	assert_int_equal(d.col, 18);
	assert_non_null(strstr(d.msg, "DL9999"));
	hd_config_release(&c);
	hd_diag_release(&d);
}

/* Configurations by directory: the nearest wins, the ones above are merged in, the command line over all. */
static void test_tree(void **state)
{
	struct hd_config cli, *none = NULL;
	struct hd_config_tree *t;
	const struct hd_config *c1, *c2, *c3, *c4;
	struct hd_diag d = { 0 };
	char dir[256];

	(void)state;
	(void)none;
	snprintf(dir, sizeof(dir), "%s/t", tmpdir);
	mkdir(dir, 0755);
	snprintf(dir, sizeof(dir), "%s/t/a", tmpdir);
	mkdir(dir, 0755);
	snprintf(dir, sizeof(dir), "%s/t/a/b", tmpdir);
	mkdir(dir, 0755);
	snprintf(dir, sizeof(dir), "%s/t/a/b/c", tmpdir);
	mkdir(dir, 0755);
	write_file("t/.hardock.yaml", "fail-on: high\nignored: [container/privileged]\nexclude: [vendor]\n");
	write_file("t/a/b/.hadolint.yaml", "failure-threshold: warning\nignored: [DL3008]\n");
	hd_config_init(&cli);
	assert_int_equal(hd_config_set_override(&cli, "DL3002", HD_SEV_CRITICAL), 0);
	assert_int_equal(hd_config_tree_new(&cli, &t), 0);
	snprintf(dir, sizeof(dir), "%s/t/a", tmpdir);
	assert_int_equal(hd_config_tree_get(t, dir, &c1, &d), 0);
	assert_int_equal(c1->fail_on, HD_SEV_HIGH);
	assert_true(hd_config_rule_enabled(c1, &rule_a));
	assert_int_equal(c1->exclude_pat.n, 1);
	snprintf(dir, sizeof(dir), "%s/t/a/b/c", tmpdir);
	assert_int_equal(hd_config_tree_get(t, dir, &c2, &d), 0);
	assert_int_equal(c2->fail_on, HD_SEV_MEDIUM);            /* the nearest wins */
	assert_false(hd_config_rule_enabled(c2, &rule_a));       /* its own list */
	assert_true(hd_strlist_has(&c2->ignored, "container/privileged")); /* merged from above */
	assert_int_equal(c2->exclude_pat.n, 1);
	assert_non_null(c2->rule_sev);                           /* prepared */
	snprintf(dir, sizeof(dir), "%s/t/a/b", tmpdir);
	assert_int_equal(hd_config_tree_get(t, dir, &c3, &d), 0);
	assert_ptr_equal(c2, c3);                                /* shared below b */
	snprintf(dir, sizeof(dir), "%s/t", tmpdir);
	assert_int_equal(hd_config_tree_get(t, dir, &c4, &d), 0);
	assert_ptr_equal(c1, c4);
	hd_config_tree_free(t);
	hd_config_release(&cli);

	/* A wrong file anywhere on the way is an error naming it. */
	write_file("t/a/.hardock.yaml", "fail-on: sometimes\n");
	hd_config_init(&cli);
	assert_int_equal(hd_config_tree_new(&cli, &t), 0);
	snprintf(dir, sizeof(dir), "%s/t/a/b/c", tmpdir);
	assert_int_equal(hd_config_tree_get(t, dir, &c1, &d), -HD_EPARSE);
	assert_non_null(strstr(d.file, "t/a/.hardock.yaml"));
	assert_int_equal(d.line, 1);
	hd_config_tree_free(t);
	hd_config_release(&cli);
	hd_diag_release(&d);
}

static void test_errors_have_positions(void **state)
{
	struct hd_config c;
	struct hd_diag d = { 0 };
	const char *p;

	(void)state;
	hd_config_init(&c);
	p = write_file("bad1.yaml", "ignored: [DL3008]\nbogus: 1\n");
	assert_int_equal(hd_config_load_file(&c, p, &d), -HD_EPARSE);
	assert_int_equal(d.line, 2);
	assert_int_equal(d.col, 1);
	assert_non_null(strstr(d.msg, "unknown setting 'bogus'"));
	hd_config_release(&c);

	p = write_file("bad2.yaml", "fail-on: severe\n");
	assert_int_equal(hd_config_load_file(&c, p, &d), -HD_EPARSE);
	assert_int_equal(d.line, 1);
	assert_int_equal(d.col, 10);
	hd_config_release(&c);

	p = write_file("bad3.yaml", "ignored: [a\n");
	assert_int_equal(hd_config_load_file(&c, p, &d), -HD_EPARSE);
	assert_true(d.line >= 1);
	assert_non_null(strstr(d.msg, "invalid YAML"));
	hd_config_release(&c);

	p = write_file("bad4.yaml", "ignored: {a: b}\n");
	assert_int_equal(hd_config_load_file(&c, p, &d), -HD_EPARSE);
	assert_non_null(strstr(d.msg, "list of strings"));
	hd_config_release(&c);

	assert_int_equal(hd_config_load_file(&c, "/nonexistent/x.yaml", &d), -HD_ENOENT);
	hd_config_release(&c);
	hd_diag_release(&d);
}

static void test_discover(void **state)
{
	struct hd_config c;
	struct hd_diag d = { 0 };
	char sub[128];

	(void)state;
	snprintf(sub, sizeof(sub), "%s/a/b", tmpdir);
	assert_int_equal(mkdir(sub, 0755) == 0 || errno == ENOENT, 1);
	snprintf(sub, sizeof(sub), "%s/a", tmpdir);
	mkdir(sub, 0755);
	snprintf(sub, sizeof(sub), "%s/a/b", tmpdir);
	mkdir(sub, 0755);
	write_file(".hardock.yaml", "fail-on: high\n");
	hd_config_init(&c);
	assert_int_equal(hd_config_discover(&c, sub, &d), 0);
	assert_int_equal(c.fail_on, HD_SEV_HIGH);
	assert_non_null(c.loaded_from);
	hd_config_release(&c);
}

static void test_defaults(void **state)
{
	struct hd_config c;

	(void)state;
	hd_config_init(&c);
	assert_int_equal(c.fail_on, HD_SEV_INFO);
	assert_true(hd_config_rule_enabled(&c, &rule_a));
	assert_false(hd_config_rule_enabled(&c, &rule_off));
	assert_true(hd_config_registry_trusted(&c, "anything.example"));
	assert_int_equal(hd_config_set_override(&c, "CIS-4.1", HD_SEV_NONE), 0);
	assert_false(hd_config_rule_enabled(&c, &rule_a));
	hd_config_release(&c);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_load_full),
		cmocka_unit_test(test_hadolint_format),
		cmocka_unit_test(test_errors_have_positions),
		cmocka_unit_test(test_unknown_rule_ids),
		cmocka_unit_test(test_tree),
		cmocka_unit_test(test_discover),
		cmocka_unit_test(test_defaults),
	};
	return cmocka_run_group_tests(tests, setup, teardown);
}
