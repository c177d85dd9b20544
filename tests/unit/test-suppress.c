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

/* Two files, each with its suppressions, through the one filter (as compose projects use it). */
struct two_files {
	struct hd_suppressions a, b;
};

static const struct hd_suppressions *lookup_two(void *ctx, const char *file)
{
	struct two_files *t = ctx;

	if (!file)
		return NULL;
	return !strcmp(file, "a.yml") ? &t->a : !strcmp(file, "b.yml") ? &t->b : NULL;
}

static void test_filter_per_file(void **state)
{
	struct two_files t;
	struct hd_findings f;
	struct hd_config cfg;
	struct hd_loc a5 = { .file = "a.yml", .line = 5 }, b5 = { .file = "b.yml", .line = 5 },
		      c5 = { .file = "c.yml", .line = 5 }, none = { .object = "web" };

	(void)state;
	hd_suppressions_init(&t.a);
	hd_suppressions_init(&t.b);
	hd_findings_init(&f);
	hd_config_init(&cfg);
	/* a.yml ignores rule a on line 5; b.yml ignores everything everywhere. */
	assert_int_equal(hd_suppressions_add(&t.a, 5, 5, 4, "dockerfile/a", 12), 0);
	assert_int_equal(hd_suppressions_add(&t.b, 0, 0, 1, "all", 3), 0);
	assert_int_equal(hd_report_rule(&f, &rule_a, NULL, &a5, "a in a"), 0);
	assert_int_equal(hd_report_rule(&f, &rule_b, NULL, &a5, "b in a"), 0);
	assert_int_equal(hd_report_rule(&f, &rule_a, NULL, &b5, "a in b"), 0);
	assert_int_equal(hd_report_rule(&f, &rule_parse, NULL, &b5, "parse in b"), 0);
	assert_int_equal(hd_report_rule(&f, &rule_a, NULL, &c5, "a in c"), 0);
	assert_int_equal(hd_report_rule(&f, &rule_a, NULL, &none, "a in no file"), 0);
	hd_suppress_filter(&f, &cfg, lookup_two, &t);
	assert_int_equal(f.n, 4);
	assert_string_equal(f.v[0].message, "b in a");
	assert_string_equal(f.v[1].message, "parse in b");
	assert_string_equal(f.v[2].message, "a in c");
	assert_string_equal(f.v[3].message, "a in no file");
	hd_findings_release(&f);
	hd_suppressions_release(&t.a);
	hd_suppressions_release(&t.b);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_parse_comment),
		cmocka_unit_test(test_match),
		cmocka_unit_test(test_apply),
		cmocka_unit_test(test_filter_per_file),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
