/*
 * Unit tests for core/suppress.c: pragma recognition and filtering.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <cmocka.h>

#include "core/common.h"
#include "core/suppress.h"

static const struct hd_rule rule_a = { .id = "dockerfile/a", .hadolint = "DL3008", .severity = HD_SEV_LOW };
static const struct hd_rule rule_b = { .id = "dockerfile/b", .severity = HD_SEV_LOW };
static const struct hd_rule rule_parse = { .id = "dockerfile/parse-error", .severity = HD_SEV_ERROR,
					   .flags = HD_RULE_NO_IGNORE };

static void test_parse_comment(void **state)
{
	const char *ids;
	size_t n;
	int global;

	(void)state;
	assert_int_equal(hd_suppress_parse_comment("# hardock ignore=dockerfile/a,DL3009", 36, &ids, &n, &global), 1);
	assert_int_equal(global, 0);
	assert_int_equal(n, 19);
	assert_memory_equal(ids, "dockerfile/a,DL3009", 19);
	assert_int_equal(hd_suppress_parse_comment("#hadolint global ignore=DL3008", 30, &ids, &n, &global), 1);
	assert_int_equal(global, 1);
	assert_int_equal(hd_suppress_parse_comment("# hardock ignore-file=all", 25, &ids, &n, &global), 1);
	assert_int_equal(global, 1);
	assert_int_equal(hd_suppress_parse_comment("# just a comment", 16, &ids, &n, &global), 0);
	assert_int_equal(hd_suppress_parse_comment("# hardock ignore", 16, &ids, &n, &global), 0);
	assert_int_equal(hd_suppress_parse_comment("# hardock ignore=", 17, &ids, &n, &global), 0);
}

static void test_match(void **state)
{
	(void)state;
	assert_true(hd_ids_match_rule("DL3008", 6, &rule_a));
	assert_true(hd_ids_match_rule("x,dockerfile/a", 14, &rule_a));
	assert_false(hd_ids_match_rule("dockerfile/ab", 13, &rule_a));
	assert_false(hd_ids_match_rule("DL3008", 6, &rule_b));
	assert_true(hd_ids_match_rule("all", 3, &rule_b));
}

static void test_apply(void **state)
{
	struct hd_suppressions s;
	struct hd_findings f;
	struct hd_config cfg;
	struct hd_loc l3 = { .file = "Dockerfile", .line = 3 }, l7 = { .file = "Dockerfile", .line = 7 };

	(void)state;
	hd_suppressions_init(&s);
	hd_findings_init(&f);
	hd_config_init(&cfg);
	assert_int_equal(hd_suppressions_add(&s, 3, 4, 2, "DL3008", 6), 0);
	assert_int_equal(hd_report_rule(&f, &rule_a, NULL, &l3, "a at 3"), 0);
	assert_int_equal(hd_report_rule(&f, &rule_a, NULL, &l7, "a at 7"), 0);
	assert_int_equal(hd_report_rule(&f, &rule_b, NULL, &l3, "b at 3"), 0);
	assert_int_equal(hd_report_rule(&f, &rule_parse, NULL, &l3, "parse at 3"), 0);
	cfg.no_inline_ignore = true;
	hd_suppressions_apply(&s, &cfg, &f);
	assert_int_equal(f.n, 4);
	cfg.no_inline_ignore = false;
	hd_suppressions_apply(&s, &cfg, &f);
	assert_int_equal(f.n, 3);
	assert_string_equal(f.v[0].message, "a at 7");
	assert_string_equal(f.v[1].message, "b at 3");
	/* A global "all" keeps only what cannot be ignored. */
	assert_int_equal(hd_suppressions_add(&s, 0, 0, 1, "all", 3), 0);
	hd_suppressions_apply(&s, &cfg, &f);
	assert_int_equal(f.n, 1);
	assert_ptr_equal(f.v[0].rule, &rule_parse);
	hd_findings_release(&f);
	hd_suppressions_release(&s);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_parse_comment),
		cmocka_unit_test(test_match),
		cmocka_unit_test(test_apply),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
