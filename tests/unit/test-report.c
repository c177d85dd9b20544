/*
 * Unit tests for src/report/: the streaming JSON writer against jansson's
 * layout, every format on a findings list, and the streaming promise (the
 * allocations a report makes do not grow with the findings it writes).
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <cmocka.h>

#include <jansson.h>

#include "core/common.h"
#include "report/jsonw.h"
#include "report/report.h"

static const struct hd_rule rule_a = {
	.id = "dockerfile/a", .title = "A title", .severity = HD_SEV_LOW, .cis = "4.1",
	.owasp = "D01,D04", .hadolint = "DL3008", .rationale = "why", .remediation = "fix <it> & go",
	.good_example = "FROM x",
};
static const struct hd_rule rule_b = { .id = "container/b", .title = "B", .severity = HD_SEV_HIGH };

/* A tiny deterministic PRNG (xorshift), so failures reproduce. */
static uint32_t rnd_state = 2463534242u;
static uint32_t rnd(void)
{
	rnd_state ^= rnd_state << 13;
	rnd_state ^= rnd_state >> 17;
	rnd_state ^= rnd_state << 5;
	return rnd_state;
}

/* A random valid UTF-8 string with quotes, backslashes, controls and DEL. */
static void rnd_string(char *buf, size_t cap)
{
	static const char *const pieces[] = { "a", "Z", "\"", "\\", "/", "\n", "\t", "\r", "\b", "\f",
					      "\x01", "\x1f", "\x7f", " ", "é", "€", "😀", "{", "]" };
	size_t n = rnd() % 12, len = 0, i;

	buf[0] = '\0';
	for (i = 0; i < n; i++) {
		const char *p = pieces[rnd() % HD_ARRAY_SIZE(pieces)];

		if (len + strlen(p) + 1 >= cap)
			break;
		memcpy(buf + len, p, strlen(p) + 1);
		len += strlen(p);
	}
}

/* Builds the same random value with jansson and with the writer. */
static json_t *rnd_value(struct hd_jw *jw, int depth)
{
	char s[128];
	unsigned kind = depth > 4 ? rnd() % 3 : rnd() % 5;
	size_t n, i;
	json_t *v;

	switch (kind) {
	case 0:
		rnd_string(s, sizeof(s));
		hd_jw_str(jw, s);
		return json_string(s);
	case 1: {
		int64_t x = (int64_t)rnd() - (int64_t)(rnd() % 3) * 4000000000LL;

		hd_jw_int(jw, x);
		return json_integer(x);
	}
	case 2:
		if (rnd() % 2) {
			bool b = rnd() % 2;

			hd_jw_bool(jw, b);
			return json_boolean(b);
		}
		hd_jw_null(jw);
		return json_null();
	case 3:
		v = json_array();
		hd_jw_array(jw);
		n = rnd() % 4;
		for (i = 0; i < n; i++)
			json_array_append_new(v, rnd_value(jw, depth + 1));
		hd_jw_end(jw);
		return v;
	default:
		v = json_object();
		hd_jw_object(jw);
		n = rnd() % 4;
		for (i = 0; i < n; i++) {
			char key[32];

			snprintf(key, sizeof(key), "k%zu\"\n", i);
			hd_jw_key(jw, key);
			json_object_set_new(v, key, rnd_value(jw, depth + 1));
		}
		hd_jw_end(jw);
		return v;
	}
}

static char *dump_jansson(json_t *v)
{
	char *s = json_dumps(v, JSON_INDENT(2) | JSON_PRESERVE_ORDER | JSON_ENCODE_ANY);

	assert_non_null(s);
	return s;
}

/* Random documents: the writer's bytes are jansson's. */
static void test_jsonw_matches_jansson(void **state)
{
	int k;

	(void)state;
	for (k = 0; k < 3000; k++) {
		char *buf = NULL, *want;
		size_t len = 0;
		FILE *fp = open_memstream(&buf, &len);
		struct hd_jw jw;
		json_t *v;

		assert_non_null(fp);
		hd_jw_init(&jw, fp);
		v = rnd_value(&jw, 0);
		hd_jw_flush(&jw);
		assert_int_equal(jw.err, 0);
		assert_int_equal(jw.depth, 0);
		fclose(fp);
		want = dump_jansson(v);
		assert_string_equal(buf, want);
		free(want);
		free(buf);
		json_decref(v);
	}
}

/* Bytes that are not UTF-8 become U+FFFD; the result always parses. */
static void test_jsonw_invalid_utf8(void **state)
{
	static const struct { const char *in, *out; } cases[] = {
		{ "a\xff" "b", "\"a\xef\xbf\xbd" "b\"" },
		{ "\xc3", "\"\xef\xbf\xbd\"" },                       /* truncated */
		{ "\xc0\xaf", "\"\xef\xbf\xbd\xef\xbf\xbd\"" },       /* overlong '/' */
		{ "\xed\xa0\x80", "\"\xef\xbf\xbd\xef\xbf\xbd\xef\xbf\xbd\"" }, /* surrogate */
		{ "\xf4\x90\x80\x80", "\"\xef\xbf\xbd\xef\xbf\xbd\xef\xbf\xbd\xef\xbf\xbd\"" },
		{ "ok \xe2\x82\xac", "\"ok \xe2\x82\xac\"" },
	};
	size_t i;

	(void)state;
	for (i = 0; i < HD_ARRAY_SIZE(cases); i++) {
		char *buf = NULL;
		size_t len = 0;
		FILE *fp = open_memstream(&buf, &len);
		json_error_t e;
		json_t *v;

		hd_json_put_string(fp, cases[i].in, strlen(cases[i].in));
		fclose(fp);
		assert_string_equal(buf, cases[i].out);
		v = json_loads(buf, JSON_DECODE_ANY, &e);
		assert_non_null(v);
		json_decref(v);
		free(buf);
	}
}

static void test_jsonw_misuse(void **state)
{
	FILE *fp = fopen("/dev/null", "w");
	struct hd_jw jw;
	int i;

	(void)state;
	hd_jw_init(&jw, fp);
	hd_jw_end(&jw);
	assert_int_equal(jw.err, -HD_EINVAL);
	hd_jw_init(&jw, fp);
	for (i = 0; i < HD_JW_MAX_DEPTH + 1; i++)
		hd_jw_array(&jw);
	assert_int_equal(jw.err, -HD_EINVAL);
	fclose(fp);
}

/* Three files, two findings in b, a live object, one finding with neither. */
static void sample(struct hd_findings *f)
{
	struct hd_loc a1 = { .file = "a/Dockerfile", .line = 3, .col = 1, .end_line = 3, .end_col = 9 };
	struct hd_loc b1 = { .file = "b c/Dockerfile", .line = 1, .col = 6 };
	struct hd_loc b2 = { .file = "b c/Dockerfile", .line = 7 };
	struct hd_loc o1 = { .object = "web", .field = "HostConfig.Privileged" };

	hd_findings_init(f);
	assert_int_equal(hd_report_rule(f, &rule_a, NULL, &a1, "apt-get \"x\" <y> & 'z'"), 0);
	f->v[0].snippet = hd_findings_strndup(f, "RUN apt-get x", 13);
	assert_int_equal(hd_report_rule(f, &rule_b, NULL, &b1, "second"), 0);
	assert_int_equal(hd_report_rule(f, &rule_a, NULL, &b2, "third"), 0);
	assert_int_equal(hd_report_rule(f, &rule_b, NULL, &o1, "live"), 0);
	assert_int_equal(hd_report_rule(f, &rule_b, NULL, NULL, "nowhere"), 0);
}

/* Writes f in format name as one report (in two adds: a's, then the rest); returns the text. */
static char *write_report(const char *name, const struct hd_findings *f, bool quiet, size_t files)
{
	struct hd_output_opts o = { .command = "lint", .quiet = quiet };
	struct hd_findings first = { .v = f->v, .n = 1 }, rest = { .v = f->v + 1, .n = f->n - 1 };
	struct hd_output *r;
	char *buf = NULL;
	size_t len = 0;
	FILE *fp = open_memstream(&buf, &len);

	assert_non_null(fp);
	assert_int_equal(hd_output_begin(hd_reporter_find(name), fp, &o, &r), 0);
	assert_int_equal(hd_output_add(r, &first), 0);
	assert_int_equal(hd_output_add(r, &rest), 0);
	assert_int_equal(hd_output_end(r, files), 0);
	fclose(fp);
	return buf;
}

static void test_json_report(void **state)
{
	struct hd_findings f;
	json_error_t e;
	json_t *doc, *arr, *x;
	char *out;

	(void)state;
	sample(&f);
	out = write_report("json", &f, false, 3);
	doc = json_loads(out, 0, &e);
	assert_non_null(doc);
	arr = json_object_get(doc, "findings");
	assert_int_equal(json_array_size(arr), 5);
	x = json_array_get(arr, 0);
	assert_string_equal(json_string_value(json_object_get(x, "message")), "apt-get \"x\" <y> & 'z'");
	assert_int_equal(json_integer_value(json_object_get(x, "end_column")), 9);
	assert_int_equal(json_array_size(json_object_get(json_object_get(x, "references"), "owasp")), 2);
	x = json_object_get(doc, "summary");
	assert_int_equal(json_integer_value(json_object_get(x, "files")), 3);
	assert_int_equal(json_integer_value(json_object_get(x, "findings")), 5);
	assert_int_equal(json_integer_value(json_object_get(json_object_get(x, "by_severity"), "high")), 3);
	assert_null(json_object_get(doc, "checks"));
	/* The key order is the documented one. */
	assert_non_null(strstr(out, "{\n  \"tool\": {\n    \"name\": \"hardock\",\n"));
	assert_true(strstr(out, "\"findings\": [") < strstr(out, "\"summary\": {"));
	json_decref(doc);
	free(out);
	hd_findings_release(&f);
}

static void test_sarif_report(void **state)
{
	struct hd_findings f;
	json_error_t e;
	json_t *doc, *run, *res, *rules;
	char *out;
	size_t i;

	(void)state;
	sample(&f);
	out = write_report("sarif", &f, false, 0);
	doc = json_loads(out, 0, &e);
	assert_non_null(doc);
	run = json_array_get(json_object_get(doc, "runs"), 0);
	res = json_object_get(run, "results");
	rules = json_object_get(json_object_get(json_object_get(run, "tool"), "driver"), "rules");
	assert_int_equal(json_array_size(res), 5);
	assert_int_equal(json_array_size(rules), 2);
	/* Every ruleIndex names its ruleId's descriptor. */
	for (i = 0; i < json_array_size(res); i++) {
		json_t *x = json_array_get(res, i);
		json_int_t idx = json_integer_value(json_object_get(x, "ruleIndex"));

		assert_string_equal(json_string_value(json_object_get(x, "ruleId")),
				    json_string_value(json_object_get(json_array_get(rules, (size_t)idx), "id")));
	}
	/* A path is a URI reference: the space is escaped. */
	assert_non_null(strstr(out, "\"uri\": \"b%20c/Dockerfile\""));
	assert_non_null(strstr(out, "\"snippet\": {\n"));
	assert_non_null(strstr(out, "\"fullyQualifiedName\": \"web/HostConfig.Privileged\""));
	json_decref(doc);
	free(out);
	hd_findings_release(&f);
}

static void test_junit_report(void **state)
{
	struct hd_findings f, none;
	char *out;

	(void)state;
	sample(&f);
	out = write_report("junit", &f, false, 3);
	/* A suite per file or object, opened with its counts. */
	assert_non_null(strstr(out, "<testsuite name=\"a/Dockerfile\" tests=\"1\" failures=\"1\">"));
	assert_non_null(strstr(out, "<testsuite name=\"b c/Dockerfile\" tests=\"2\" failures=\"2\">"));
	assert_non_null(strstr(out, "<testsuite name=\"web\" tests=\"1\" failures=\"1\">"));
	assert_non_null(strstr(out, "<testsuite name=\"hardock lint\" tests=\"1\" failures=\"1\">"));
	assert_non_null(strstr(out, "message=\"apt-get &quot;x&quot; &lt;y&gt; &amp; &apos;z&apos;\""));
	assert_non_null(strstr(out, "fix &lt;it&gt; &amp; go</failure>"));
	assert_true(hd_ends_with(out, "  </testsuite>\n</testsuites>\n"));
	free(out);
	hd_findings_release(&f);
	hd_findings_init(&none);
	{
		struct hd_output_opts o = { .command = "lint" };
		struct hd_output *r;
		char *buf = NULL;
		size_t len = 0;
		FILE *fp = open_memstream(&buf, &len);

		assert_int_equal(hd_output_begin(hd_reporter_find("junit"), fp, &o, &r), 0);
		assert_int_equal(hd_output_end(r, 0), 0);
		fclose(fp);
		assert_string_equal(buf, "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<testsuites>\n"
				    "  <testsuite name=\"hardock lint\" tests=\"1\" failures=\"0\">\n"
				    "    <testcase classname=\"hardock\" name=\"no findings\"/>\n"
				    "  </testsuite>\n</testsuites>\n");
		free(buf);
	}
}

static void test_line_formats(void **state)
{
	struct hd_findings f;
	char *out;

	(void)state;
	sample(&f);
	out = write_report("gnu", &f, false, 3);
	assert_string_equal(out, "a/Dockerfile:3:1: note: apt-get \"x\" <y> & 'z' [dockerfile/a]\n"
				 "b c/Dockerfile:1:6: error: second [container/b]\n"
				 "b c/Dockerfile:7: note: third [dockerfile/a]\n"
				 "web: error: live [container/b]\n"
				 "hardock: error: nowhere [container/b]\n");
	free(out);
	out = write_report("text", &f, false, 3);
	assert_non_null(strstr(out, "a/Dockerfile:3:1: low [dockerfile/a] apt-get"));
	assert_non_null(strstr(out, "    3 | RUN apt-get x\n"));
	assert_non_null(strstr(out, "        | ^~~~~~~~\n"));
	assert_true(hd_ends_with(out, "\n3 files checked, 5 findings (3 high, 2 low)\n"));
	free(out);
	out = write_report("text", &f, true, 3);
	assert_null(strstr(out, "RUN apt-get"));
	assert_null(strstr(out, "checked"));
	free(out);
	out = write_report("github", &f, false, 3);
	assert_non_null(strstr(out, "::notice file=a/Dockerfile,line=3,col=1,endLine=3,endColumn=9,"
				    "title=dockerfile/a::apt-get"));
	assert_non_null(strstr(out, "::error title=container/b::web: live\n"));
	free(out);
	hd_findings_release(&f);
}

/* Audit reports: the verdicts after the findings. */
static void test_checks(void **state)
{
	struct hd_findings f;
	struct hd_check_result c[2] = {
		{ &rule_b, "web", HD_CHECK_WARN, NULL },
		{ &rule_a, "host", HD_CHECK_SKIP, "needs the live system" },
	};
	static const char *const formats[] = { "json", "junit", "text" };
	size_t i;

	(void)state;
	sample(&f);
	for (i = 0; i < HD_ARRAY_SIZE(formats); i++) {
		struct hd_output_opts o = { .command = "audit", .checks = true };
		struct hd_output *r;
		char *buf = NULL;
		size_t len = 0;
		FILE *fp = open_memstream(&buf, &len);

		assert_int_equal(hd_output_begin(hd_reporter_find(formats[i]), fp, &o, &r), 0);
		assert_int_equal(hd_output_add(r, &f), 0);
		assert_int_equal(hd_output_checks(r, c, 2, &f), 0);
		assert_int_equal(hd_output_end(r, 0), 0);
		fclose(fp);
		if (i == 0) {
			json_error_t e;
			json_t *doc = json_loads(buf, 0, &e);

			assert_non_null(doc);
			assert_int_equal(json_array_size(json_object_get(doc, "checks")), 2);
			assert_int_equal(json_array_size(json_object_get(doc, "findings")), 5);
			json_decref(doc);
		} else if (i == 1) {
			assert_non_null(strstr(buf, "tests=\"2\" failures=\"1\" skipped=\"1\""));
			assert_non_null(strstr(buf, "second\nlive\nnowhere\n</failure>"));
		} else {
			assert_non_null(strstr(buf, "[WARN] "));
			assert_non_null(strstr(buf, "needs the live system"));
		}
		free(buf);
	}
	hd_findings_release(&f);
}

/*
 * JUnit audits: a check's failure text holds the findings of its subject,
 * whose object is named after the subject's kind ("container web
 * (running)", "image web") or is the subject itself; not another object's
 * whose name starts the same.
 */
static void test_junit_check_subjects(void **state)
{
	struct hd_findings f;
	struct hd_loc web = { .object = "web", .field = "/usr/bin/su" };
	struct hd_loc webby = { .object = "webby", .field = "/usr/bin/su" };
	struct hd_check_result c[3] = {
		{ &rule_b, "container web (running)", HD_CHECK_WARN, NULL },
		{ &rule_b, "image webby", HD_CHECK_WARN, NULL },
		{ &rule_b, "web", HD_CHECK_WARN, NULL },
	};
	struct hd_output_opts o = { .command = "audit", .checks = true };
	struct hd_output *r;
	char *buf = NULL, *p;
	size_t len = 0;
	FILE *fp = open_memstream(&buf, &len);

	(void)state;
	hd_findings_init(&f);
	assert_int_equal(hd_report_rule(&f, &rule_b, NULL, &web, "of web"), 0);
	assert_int_equal(hd_report_rule(&f, &rule_b, NULL, &webby, "of webby"), 0);
	assert_int_equal(hd_output_begin(hd_reporter_find("junit"), fp, &o, &r), 0);
	assert_int_equal(hd_output_add(r, &f), 0);
	assert_int_equal(hd_output_checks(r, c, 3, &f), 0);
	assert_int_equal(hd_output_end(r, 0), 0);
	fclose(fp);
	p = strstr(buf, "classname=\"container web (running)\"");
	assert_non_null(p);
	assert_non_null(strstr(p, "\">of web\n</failure>"));
	p = strstr(buf, "classname=\"image webby\"");
	assert_non_null(p);
	assert_non_null(strstr(p, "\">of webby\n</failure>"));
	p = strstr(buf, "classname=\"web\"");
	assert_non_null(p);
	assert_non_null(strstr(p, "\">of web\n</failure>"));
	free(buf);
	hd_findings_release(&f);
}

/*
 * The streaming promise: writing a finding allocates nothing (SARIF only
 * records a rule's first use), so a report's memory does not grow with the
 * number of findings.
 */
static void test_no_allocation_per_finding(void **state)
{
	size_t i, k;

	(void)state;
	for (i = 0; i < hd_reporter_count; i++) {
		unsigned long counts[2];

		for (k = 0; k < 2; k++) {
			struct hd_output_opts o = { .command = "lint" };
			struct hd_findings f;
			struct hd_output *r;
			FILE *fp = fopen("/dev/null", "w");
			size_t n, rounds = k ? 2000 : 20;

			sample(&f);
			assert_int_equal(hd_output_begin(hd_reporters[i], fp, &o, &r), 0);
			assert_int_equal(hd_output_add(r, &f), 0); /* first uses */
			hd_alloc_fail_at(0);
			for (n = 0; n < rounds; n++)
				assert_int_equal(hd_output_add(r, &f), 0);
			counts[k] = hd_alloc_count();
			assert_int_equal(hd_output_end(r, 1), 0);
			fclose(fp);
			hd_findings_release(&f);
		}
		if (counts[0] != counts[1])
			fail_msg("format %s: %lu allocations for 20 rounds, %lu for 2000", hd_reporters[i]->name,
				 counts[0], counts[1]);
	}
}

/* A failed allocation is an error value, never a crash or a leak. */
static void test_alloc_failures(void **state)
{
	size_t i;
	unsigned long n;

	(void)state;
	for (i = 0; i < hd_reporter_count; i++) {
		for (n = 1; n < 40; n++) {
			struct hd_output_opts o = { .command = "lint" };
			struct hd_findings f;
			struct hd_output *r = NULL;
			FILE *fp = fopen("/dev/null", "w");
			int e;

			sample(&f);
			hd_alloc_fail_at(n);
			e = hd_output_begin(hd_reporters[i], fp, &o, &r);
			if (e == 0) {
				hd_output_add(r, &f);
				e = hd_output_end(r, 1);
			}
			hd_alloc_fail_at(0);
			assert_true(e == 0 || e == -HD_ENOMEM);
			fclose(fp);
			hd_findings_release(&f);
		}
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_jsonw_matches_jansson),
		cmocka_unit_test(test_jsonw_invalid_utf8),
		cmocka_unit_test(test_jsonw_misuse),
		cmocka_unit_test(test_json_report),
		cmocka_unit_test(test_sarif_report),
		cmocka_unit_test(test_junit_report),
		cmocka_unit_test(test_line_formats),
		cmocka_unit_test(test_checks),
		cmocka_unit_test(test_junit_check_subjects),
		cmocka_unit_test(test_no_allocation_per_finding),
		cmocka_unit_test(test_alloc_failures),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
