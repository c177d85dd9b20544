/*
 * Unit tests for what a lint run does to its findings before reporting them:
 * merging one rule at one place (core/finding.c), fingerprints that survive
 * lines moving, and baselines (lint/baseline.c).
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <cmocka.h>

#include "core/common.h"
#include "core/finding.h"
#include "lint/baseline.h"

static const struct hd_rule rule_secret = { .id = "container/secret-in-env", .severity = HD_SEV_HIGH };
static const struct hd_rule rule_cap = { .id = "container/dangerous-capability", .severity = HD_SEV_HIGH };

static void add(struct hd_findings *f, const struct hd_rule *r, const char *file, uint32_t line, uint32_t col,
		const char *object, const char *snippet, const char *msg)
{
	struct hd_loc loc = { .file = file, .line = line, .col = col, .object = object };

	assert_int_equal(hd_report_rule(f, r, NULL, &loc, "%s", msg), 0);
	if (snippet)
		f->v[f->n - 1].snippet = hd_findings_strndup(f, snippet, strlen(snippet));
}

/* One env file line seen through three services is one finding naming them all. */
static void test_merge_objects(void **state)
{
	struct hd_findings f;

	(void)state;
	hd_findings_init(&f);
	add(&f, &rule_secret, "s.env", 2, 1, "app", NULL, "variable P of container 'app' holds a secret");
	add(&f, &rule_secret, "s.env", 2, 1, "worker", NULL, "variable P of container 'worker' holds a secret");
	add(&f, &rule_secret, "s.env", 2, 1, "app", NULL, "variable P of container 'app' holds a secret");
	add(&f, &rule_secret, "s.env", 2, 1, "db", NULL, "variable P of container 'db' holds a secret");
	add(&f, &rule_secret, "s.env", 3, 1, "app", NULL, "variable Q of container 'app' holds a secret");
	assert_int_equal(hd_findings_merge_same_place(&f), 0);
	assert_int_equal(f.n, 2);
	assert_string_equal(f.v[0].message,
			    "variable P of container 'app' holds a secret (the same for 'worker', 'db')");
	assert_string_equal(f.v[0].object, "app, worker, db");
	assert_int_equal(f.v[1].line, 3);
	hd_findings_release(&f);
}

/* Two problems of one object at one place (two capabilities in one word) both stay. */
static void test_merge_keeps_different_problems(void **state)
{
	struct hd_findings f;

	(void)state;
	hd_findings_init(&f);
	add(&f, &rule_cap, "run.sh", 2, 15, "docker run", NULL, "capability SYS_ADMIN is added");
	add(&f, &rule_cap, "run.sh", 2, 15, "docker run", NULL, "capability SYS_MODULE is added");
	add(&f, &rule_cap, "run.sh", 2, 15, NULL, NULL, "capability NET_ADMIN is added");
	assert_int_equal(hd_findings_merge_same_place(&f), 0);
	assert_int_equal(f.n, 3);
	hd_findings_release(&f);
}

/* Same rule, file and squeezed line: the same fingerprint, whatever the line number and indentation. */
static void test_fingerprint_survives_shift(void **state)
{
	struct hd_findings a, b;

	(void)state;
	hd_findings_init(&a);
	hd_findings_init(&b);
	add(&a, &rule_cap, "Dockerfile", 3, 1, NULL, "RUN apk add curl", "m at 3");
	add(&a, &rule_cap, "Dockerfile", 5, 1, NULL, "RUN apk add curl", "m at 5");
	add(&a, &rule_cap, "Dockerfile", 7, 1, NULL, "RUN apk add wget", "m at 7");
	add(&b, &rule_cap, "Dockerfile", 10, 4, NULL, "   RUN   apk add curl", "m at 10");
	add(&b, &rule_cap, "Dockerfile", 12, 1, NULL, "RUN apk add curl\r", "m at 12");
	add(&b, &rule_cap, "Dockerfile", 14, 1, NULL, "RUN apk add wget", "m at 14");
	add(&b, &rule_cap, "other/Dockerfile", 14, 1, NULL, "RUN apk add wget", "m at 14");
	assert_int_equal(hd_findings_fingerprint(&a), 0);
	assert_int_equal(hd_findings_fingerprint(&b), 0);
	assert_int_equal(strlen(a.v[0].fingerprint), 32);
	assert_string_equal(a.v[0].fingerprint, b.v[0].fingerprint);
	assert_string_equal(a.v[1].fingerprint, b.v[1].fingerprint);
	assert_string_equal(a.v[2].fingerprint, b.v[2].fingerprint);
	assert_string_not_equal(a.v[0].fingerprint, a.v[1].fingerprint); /* occurrences differ */
	assert_string_not_equal(b.v[2].fingerprint, b.v[3].fingerprint); /* files differ */
	hd_findings_release(&a);
	hd_findings_release(&b);
}

static void test_baseline_round_trip(void **state)
{
	struct hd_findings f;
	struct hd_baseline rec, known;
	struct hd_buf text = HD_BUF_INIT(1 << 20);
	struct hd_diag d = { 0 };

	(void)state;
	hd_findings_init(&f);
	hd_baseline_init(&rec);
	hd_baseline_init(&known);
	add(&f, &rule_cap, "Dockerfile", 3, 1, NULL, "RUN a", "a");
	add(&f, &rule_cap, "Dockerfile", 4, 1, NULL, "RUN b", "b");
	assert_int_equal(hd_findings_fingerprint(&f), 0);
	assert_int_equal(hd_baseline_record(&rec, &f), 0);
	assert_int_equal(hd_baseline_write(&rec, &text), 0);
	/* A stale entry, a comment and a blank line besides. */
	assert_int_equal(hd_buf_addstr(&text, "\n# old\n0123456789abcdef0123456789abcdef gone x:1\n"), 0);
	assert_int_equal(hd_baseline_parse(&known, "b.txt", text.buf, text.len, &d), 0);
	assert_int_equal(known.n, 3);
	f.n = 1; /* "RUN b" fixed */
	add(&f, &rule_cap, "Dockerfile", 9, 1, NULL, "RUN c", "c");
	assert_int_equal(hd_findings_fingerprint(&f), 0);
	assert_int_equal(hd_baseline_filter(&known, &f), 1);
	assert_int_equal(f.n, 1);
	assert_string_equal(f.v[0].message, "c");
	assert_int_equal(hd_baseline_stale(&known), 2);
	/* What is not a fingerprint is refused at its line and column. */
	hd_baseline_release(&known);
	assert_int_equal(hd_baseline_parse(&known, "b.txt", "# c\n  abc x\n", 12, &d), -HD_EPARSE);
	assert_int_equal(d.line, 2);
	assert_int_equal(d.col, 3);
	hd_diag_release(&d);
	hd_baseline_release(&known);
	hd_baseline_release(&rec);
	hd_buf_release(&text);
	hd_findings_release(&f);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_merge_objects),
		cmocka_unit_test(test_merge_keeps_different_problems),
		cmocka_unit_test(test_fingerprint_survives_shift),
		cmocka_unit_test(test_baseline_round_trip),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
