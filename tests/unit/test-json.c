/*
 * Unit tests for parse/json.c, the JSON reading layer that reads documents
 * as dockerd's Go encoding/json decodes them: the strict parser (syntax
 * errors with their line and column, limits, UTF-8, escapes, numbers,
 * duplicate keys refused on request), Go's case-insensitive key match (the
 * Kelvin sign and the long s included, nothing else), the last of repeated
 * keys winning across case variants and exact duplicates, null resetting
 * pointers but not values, struct and slice-element merging, StrSlice
 * replacement, maps with exact keys, type errors naming the path as written,
 * and allocation failures turned into -HD_ENOMEM.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <cmocka.h>

#include "core/common.h"
#include "parse/json.h"

static struct hd_jr r;
static struct hd_diag diag;
static struct hd_jv root;

static void open_doc(const char *text, unsigned flags)
{
	hd_jr_release(&r);
	memset(&r, 0, sizeof(r));
	hd_diag_release(&diag);
	r.d = &diag;
	snprintf(r.what, sizeof(r.what), "test");
	if (hd_jr_parse(&r, text, strlen(text), flags, "the text") < 0)
		fail_msg("cannot parse %s: %s", text, diag.msg);
	assert_int_equal(hd_jr_root(&r, &root), 0);
}

static void expect_parse_error(const char *text, unsigned flags, unsigned line, unsigned col, const char *what)
{
	hd_jr_release(&r);
	memset(&r, 0, sizeof(r));
	hd_diag_release(&diag);
	r.d = &diag;
	snprintf(r.what, sizeof(r.what), "test");
	if (hd_jr_parse(&r, text, strlen(text), flags, "the text") != -HD_EPROTO)
		fail_msg("parsed: %s", text);
	assert_non_null(diag.msg);
	if (!strstr(diag.msg, what))
		fail_msg("'%s': expected '%s' in '%s'", text, what, diag.msg);
	if (line && (diag.line != line || diag.col != col))
		fail_msg("'%s': at %u:%u, expected %u:%u (%s)", text, diag.line, diag.col, line, col, diag.msg);
}

static bool get_bool(const struct hd_jv *obj, const char *name, unsigned flags, const char **path)
{
	bool v, present;

	assert_int_equal(hd_jv_bool(&r, obj, name, flags, &v, &present, path), 0);
	return present && v;
}

static void test_syntax(void **state)
{
	(void)state;
	open_doc(" {\"a\" : [1, -2, 3.5, \"x\", true, false, null, {}, []] }\n", 0);
	assert_int_equal(r.root->type, HD_JOBJ);
	assert_int_equal(r.root->u.members[0].val->n, 9);
	assert_int_equal(r.root->u.members[0].val->u.items[1]->u.i, -2);
	assert_int_equal(r.root->u.members[0].val->u.items[2]->type, HD_JREAL);
	expect_parse_error("", 0, 1, 1, "expected a value");
	expect_parse_error("{", 0, 1, 2, "expected a key");
	expect_parse_error("{\"a\":1,}", 0, 1, 8, "expected a key");
	expect_parse_error("{\"a\":1}\n x", 0, 2, 2, "more text");
	expect_parse_error("{\"a\" 1}", 0, 1, 6, "expected ':'");
	expect_parse_error("[1 2]", 0, 1, 4, "expected ',' or ']'");
	expect_parse_error("{\"a\":tru}", 0, 1, 6, "expected a value");
	expect_parse_error("{\"a\":01}", 0, 1, 6, "bad number");
	expect_parse_error("{\"a\":1.}", 0, 1, 6, "bad number");
	expect_parse_error("{\"a\":99999999999999999999}", 0, 1, 6, "bad number");
	expect_parse_error("{\"a\":\"x\ny\"}", 0, 1, 8, "control character");
	expect_parse_error("{\"a\":\"\xc3\"}", 0, 1, 7, "invalid UTF-8");
	expect_parse_error("{\"a\":\"\xed\xa0\x80\"}", 0, 0, 0, "invalid UTF-8"); /* a surrogate */
	expect_parse_error("{\"a\":\"\\x\"}", 0, 1, 6, "bad string");
	expect_parse_error("{\"a\":\"\\u0000\"}", 0, 0, 0, "bad string");
	expect_parse_error("{\"a\":\"abc", 0, 1, 6, "closing quote");
	expect_parse_error("{\"a\":1,\"a\":2}", HD_JSON_REJECT_DUPLICATES, 0, 0, "the key 'a' appears twice");
	{
		/* Duplicate detection on a big object goes through the sorted path. */
		char big[4096];
		size_t o = 0;

		o += (size_t)snprintf(big + o, sizeof(big) - o, "{");
		for (int i = 0; i < 40; i++)
			o += (size_t)snprintf(big + o, sizeof(big) - o, "\"k%d\":%d,", i, i);
		snprintf(big + o, sizeof(big) - o, "\"k17\":0}");
		expect_parse_error(big, HD_JSON_REJECT_DUPLICATES, 0, 0, "the key 'k17' appears twice");
		open_doc(big, 0);
	}
	{
		/* Nesting is bounded. */
		char deep[2100];

		memset(deep, '[', 1001);
		deep[1001] = '\0';
		expect_parse_error(deep, 0, 0, 0, "nested deeper");
	}
	/* Escapes and UTF-8 as written. */
	open_doc("{\"k\":\"caf\xc3\xa9 \\u00e9 \\ud83d\\ude00 \\\"q\\\"\"}", 0);
	assert_string_equal(r.root->u.members[0].val->u.s.p, "caf\xc3\xa9 \xc3\xa9 \xf0\x9f\x98\x80 \"q\"");
	/* Integers at the edges of int64 go through jansson. */
	open_doc("{\"a\":9223372036854775807,\"b\":-9223372036854775808,\"c\":1e3}", 0);
	assert_int_equal(r.root->u.members[0].val->u.i, INT64_MAX);
	assert_int_equal(r.root->u.members[1].val->u.i, INT64_MIN);
	assert_int_equal(r.root->u.members[2].val->type, HD_JREAL);
}

static void test_key_fold(void **state)
{
	(void)state;
	assert_true(hd_json_key_matches("privileged", 10, "Privileged"));
	assert_true(hd_json_key_matches("PRIVILEGED", 10, "Privileged"));
	assert_true(hd_json_key_matches("pRiViLeGeD", 10, "Privileged"));
	assert_false(hd_json_key_matches("Privilege", 9, "Privileged"));
	assert_false(hd_json_key_matches("Privilegedd", 11, "Privileged"));
	assert_false(hd_json_key_matches("Pr1vileged", 10, "Privileged"));
	/* Non-letters match only themselves: '_' is not a case of anything. */
	assert_false(hd_json_key_matches("Cpu_Shares", 10, "CpuShares"));
	assert_true(hd_json_key_matches("cpu-shares", 10, "cpu-shares"));
	assert_false(hd_json_key_matches("cpu_shares", 10, "cpu-shares"));
	assert_false(hd_json_key_matches("cpu\x0dshares", 10, "cpu-shares"));
	/* U+212A KELVIN SIGN folds to k, U+017F LONG S to s; nowhere else. */
	assert_true(hd_json_key_matches("\xe2\x84\xaa" "ernelMemory", 14, "KernelMemory"));
	assert_true(hd_json_key_matches("Networ\xe2\x84\xaaMode", 13, "NetworkMode"));
	assert_true(hd_json_key_matches("\xc5\xbf" "ecurityOpt", 12, "SecurityOpt"));
	assert_true(hd_json_key_matches("Cap\xc5\xbf", 5, "CapS"));
	assert_false(hd_json_key_matches("\xc5\xbf" "ernelMemory", 13, "KernelMemory"));
	assert_false(hd_json_key_matches("\xe2\x84\xaa" "ecurityOpt", 13, "SecurityOpt"));
	assert_false(hd_json_key_matches("Pr\xe2\x84\xaavileged", 12, "Privileged"));
	/* Other non-ASCII letters never fold to ASCII (U+0130, U+0131, fullwidth P). */
	assert_false(hd_json_key_matches("Pr\xc4\xb1vileged", 11, "Privileged"));
	assert_false(hd_json_key_matches("Pr\xc4\xb0vileged", 11, "Privileged"));
	assert_false(hd_json_key_matches("\xef\xbc\xb0rivileged", 12, "Privileged"));
	/* A truncated sequence does not match. */
	assert_false(hd_json_key_matches("\xe2\x84", 2, "K"));
}

static void test_last_wins(void **state)
{
	const char *path;

	(void)state;
	open_doc("{\"Privileged\":false,\"privileged\":true}", 0);
	assert_true(get_bool(&root, "Privileged", 0, &path));
	assert_string_equal(path, "privileged");
	open_doc("{\"Privileged\":true,\"privileged\":false}", 0);
	assert_false(get_bool(&root, "Privileged", 0, NULL));
	open_doc("{\"Privileged\":true,\"Privileged\":false}", 0);
	assert_false(get_bool(&root, "Privileged", 0, NULL));
	/* Exact duplicates around a case variant: document order decides. */
	open_doc("{\"Privileged\":true,\"privileged\":false,\"Privileged\":true}", 0);
	assert_true(get_bool(&root, "Privileged", 0, &path));
	assert_string_equal(path, "Privileged");
	open_doc("{\"Privileged\":false,\"PRIVILEGED\":true,\"privileged\":false,\"Pr\xc4\xb1vileged\":true}", 0);
	assert_false(get_bool(&root, "Privileged", 0, NULL));
	/* Unknown keys are ignored. */
	open_doc("{\"Privilegedx\":true,\"xPrivileged\":true}", 0);
	assert_false(get_bool(&root, "Privileged", 0, NULL));
	/* A wrong type anywhere is an error dockerd reports too, with the path as written. */
	open_doc("{\"Privileged\":\"yes\",\"privileged\":true}", 0);
	{
		bool v;

		assert_int_equal(hd_jv_bool(&r, &root, "Privileged", 0, &v, NULL, NULL), -HD_EPROTO);
		assert_non_null(strstr(diag.msg, "test: Privileged: expected a boolean"));
	}
}

static void test_null(void **state)
{
	struct hd_jv hc;
	int64_t v;
	bool present;

	(void)state;
	/* null leaves a plain bool as it was ... */
	open_doc("{\"Privileged\":true,\"privileged\":null}", 0);
	assert_true(get_bool(&root, "Privileged", 0, NULL));
	/* ... and resets a pointer (*bool, *int64). */
	open_doc("{\"OomKillDisable\":true,\"oomkilldisable\":null}", 0);
	assert_false(get_bool(&root, "OomKillDisable", HD_JF_NULLABLE, NULL));
	open_doc("{\"PidsLimit\":100,\"PidsLimit\":null}", 0);
	assert_int_equal(hd_jv_int(&r, &root, "PidsLimit", HD_JF_NULLABLE, &v, &present, NULL), 0);
	assert_false(present);
	assert_int_equal(hd_jv_int(&r, &root, "PidsLimit", 0, &v, &present, NULL), 0);
	assert_true(present);
	assert_int_equal(v, 100);
	/* A pointer struct reset by null, then allocated again: the earlier fields are gone. */
	open_doc("{\"HostConfig\":{\"Privileged\":true},\"HostConfig\":null,\"hostconfig\":{\"Memory\":5}}", 0);
	assert_int_equal(hd_jv_obj(&r, &root, "HostConfig", HD_JF_NULLABLE, &hc), 0);
	assert_int_equal(hc.n, 1);
	assert_false(get_bool(&hc, "Privileged", 0, NULL));
	assert_int_equal(hd_jv_int(&r, &hc, "Memory", 0, &v, &present, NULL), 0);
	assert_int_equal(v, 5);
	/* A value struct ignores null. */
	open_doc("{\"LogConfig\":{\"Type\":\"none\"},\"LogConfig\":null}", 0);
	assert_int_equal(hd_jv_obj(&r, &root, "LogConfig", 0, &hc), 0);
	assert_int_equal(hc.n, 1);
}

static void test_merge(void **state)
{
	struct hd_jv hc, arr, e;
	const char *s, *path;
	int64_t v;

	(void)state;
	/* Repeated struct fields merge: each sets only what it names. */
	open_doc("{\"HostConfig\":{\"Privileged\":true},\"hostconfig\":{\"Memory\":5}}", 0);
	assert_int_equal(hd_jv_obj(&r, &root, "HostConfig", HD_JF_NULLABLE, &hc), 0);
	assert_int_equal(hc.n, 2);
	assert_true(get_bool(&hc, "Privileged", 0, &path));
	assert_string_equal(path, "HostConfig.Privileged");
	assert_int_equal(hd_jv_int(&r, &hc, "Memory", 0, &v, NULL, &path), 0);
	assert_int_equal(v, 5);
	assert_string_equal(path, "hostconfig.Memory");
	/* A repeated slice decodes element i into the element i left before. */
	open_doc("{\"Mounts\":[{\"Type\":\"bind\",\"Source\":\"/\",\"Target\":\"/a\"},{\"Target\":\"/b\"}],"
		 "\"mounts\":[{\"Target\":\"/x\"}]}", 0);
	assert_int_equal(hd_jv_arr(&r, &root, "Mounts", 0, &arr), 0);
	assert_int_equal(hd_jv_len(&arr), 1);
	assert_int_equal(hd_jv_at(&r, &arr, 0, 0, &e), 0);
	assert_int_equal(hd_jv_as_obj(&r, &e), 0);
	assert_int_equal(hd_jv_str(&r, &e, "Source", 0, &s, &path), 0);
	assert_string_equal(s, "/");
	assert_string_equal(path, "Mounts[0].Source");
	assert_int_equal(hd_jv_str(&r, &e, "Target", 0, &s, &path), 0);
	assert_string_equal(s, "/x");
	assert_string_equal(path, "mounts[0].Target");
	/* An element beyond a shorter slice's length comes back when a longer one reaches it. */
	open_doc("{\"Mounts\":[{\"Source\":\"/\"},{\"Source\":\"/etc\"}],\"Mounts\":[{}],"
		 "\"Mounts\":[{},{\"Target\":\"/e\"}]}", 0);
	assert_int_equal(hd_jv_arr(&r, &root, "Mounts", 0, &arr), 0);
	assert_int_equal(hd_jv_len(&arr), 2);
	assert_int_equal(hd_jv_at(&r, &arr, 1, 0, &e), 0);
	assert_int_equal(hd_jv_str(&r, &e, "Source", 0, &s, NULL), 0);
	assert_string_equal(s, "/etc");
	/* An empty slice starts afresh; so does null. */
	open_doc("{\"Mounts\":[{\"Source\":\"/\"}],\"Mounts\":[],\"Mounts\":[{\"Target\":\"/t\"}]}", 0);
	assert_int_equal(hd_jv_arr(&r, &root, "Mounts", 0, &arr), 0);
	assert_int_equal(hd_jv_at(&r, &arr, 0, 0, &e), 0);
	assert_int_equal(hd_jv_str(&r, &e, "Source", 0, &s, NULL), 0);
	assert_null(s);
	open_doc("{\"Mounts\":[{\"Source\":\"/\"}],\"Mounts\":null,\"Mounts\":[{\"Target\":\"/t\"}]}", 0);
	assert_int_equal(hd_jv_arr(&r, &root, "Mounts", 0, &arr), 0);
	assert_int_equal(hd_jv_at(&r, &arr, 0, 0, &e), 0);
	assert_int_equal(hd_jv_str(&r, &e, "Source", 0, &s, NULL), 0);
	assert_null(s);
	/* A null string element keeps what the slot held. */
	open_doc("{\"Binds\":[\"/:/h\"],\"Binds\":[null]}", 0);
	assert_int_equal(hd_jv_arr(&r, &root, "Binds", 0, &arr), 0);
	assert_int_equal(hd_jv_at(&r, &arr, 0, 0, &e), 0);
	assert_int_equal(hd_jv_as_str(&r, &e, &s), 0);
	assert_string_equal(s, "/:/h");
}

static int collect(void *ctx, const char *s, const char *path)
{
	char *buf = ctx;
	size_t n = strlen(buf);

	snprintf(buf + n, 512 - n, "%s%s@%s", n ? " " : "", s, path);
	return 0;
}

static void test_strings(void **state)
{
	char got[512];

	(void)state;
	/* strslice.StrSlice: the last value replaces, and may be a single string. */
	open_doc("{\"CapAdd\":[\"SYS_ADMIN\",\"NET_ADMIN\"],\"capadd\":[\"CHOWN\"]}", 0);
	got[0] = '\0';
	assert_int_equal(hd_jv_strings(&r, &root, "CapAdd", HD_JF_REPLACE, collect, got), 0);
	assert_string_equal(got, "CHOWN@capadd[0]");
	open_doc("{\"CapAdd\":[\"CHOWN\"],\"capadd\":\"SYS_ADMIN\"}", 0);
	got[0] = '\0';
	assert_int_equal(hd_jv_strings(&r, &root, "CapAdd", HD_JF_REPLACE, collect, got), 0);
	assert_string_equal(got, "SYS_ADMIN@capadd");
	open_doc("{\"CapAdd\":[\"CHOWN\"],\"CapAdd\":null}", 0);
	got[0] = '\0';
	assert_int_equal(hd_jv_strings(&r, &root, "CapAdd", HD_JF_REPLACE, collect, got), 0);
	assert_string_equal(got, "");
	/* []string: element-wise, the last length. */
	open_doc("{\"Binds\":[\"/a:/a\",\"/b:/b\"],\"binds\":[\"/c:/c\"]}", 0);
	got[0] = '\0';
	assert_int_equal(hd_jv_strings(&r, &root, "Binds", 0, collect, got), 0);
	assert_string_equal(got, "/c:/c@binds[0]");
	open_doc("{\"Binds\":[\"/a:/a\",7]}", 0);
	assert_int_equal(hd_jv_strings(&r, &root, "Binds", 0, collect, got), -HD_EPROTO);
	assert_non_null(strstr(diag.msg, "Binds[1]: expected a string"));
	open_doc("{\"Binds\":\"/:/h\"}", 0);
	assert_int_equal(hd_jv_strings(&r, &root, "Binds", 0, collect, got), -HD_EPROTO);
	assert_non_null(strstr(diag.msg, "Binds: expected an array"));
}

static void test_maps(void **state)
{
	struct hd_jentry *e;
	struct hd_jv map;
	size_t n;
	const char *s;

	(void)state;
	/* Map keys are exact; the last value of a key wins; keys in first-appearance order. */
	open_doc("{\"Labels\":{\"b\":\"1\",\"B\":\"2\",\"b\":\"3\"},\"labels\":{\"a\":\"4\",\"B\":\"5\"}}", 0);
	assert_int_equal(hd_jv_map(&r, &root, "Labels", 0, &map), 0);
	assert_int_equal(hd_jv_entries(&r, &map, &e, &n), 0);
	assert_int_equal(n, 3);
	assert_string_equal(e[0].key, "b");
	assert_int_equal(hd_jv_as_str(&r, &e[0].val, &s), 0);
	assert_string_equal(s, "3");
	assert_string_equal(e[0].val.path, "Labels.b");
	assert_string_equal(e[1].key, "B");
	assert_int_equal(hd_jv_as_str(&r, &e[1].val, &s), 0);
	assert_string_equal(s, "5");
	assert_string_equal(e[1].val.path, "labels.B");
	assert_string_equal(e[2].key, "a");
	/* null resets a map. */
	open_doc("{\"Labels\":{\"a\":\"1\"},\"Labels\":null,\"Labels\":{\"b\":\"2\"}}", 0);
	assert_int_equal(hd_jv_map(&r, &root, "Labels", 0, &map), 0);
	assert_int_equal(hd_jv_entries(&r, &map, &e, &n), 0);
	assert_int_equal(n, 1);
	assert_string_equal(e[0].key, "b");
	/* Control characters in keys do not reach paths. */
	open_doc("{\"Labels\":{\"a\\nb\":\"1\"}}", 0);
	assert_int_equal(hd_jv_map(&r, &root, "Labels", 0, &map), 0);
	assert_int_equal(hd_jv_entries(&r, &map, &e, &n), 0);
	assert_string_equal(e[0].key, "a\nb");
	assert_string_equal(e[0].val.path, "Labels.a?b");
}

static void test_oom(void **state)
{
	static const char doc[] = "{\"HostConfig\":{\"Privileged\":true,\"Binds\":[\"/:/h\",\"/e:/e\"]},"
				  "\"hostconfig\":{\"Labels\":{\"a\":\"\\u00e9\"}}}";
	unsigned long n;

	(void)state;
	for (n = 1; n < 1000; n++) {
		struct hd_jr x = { 0 };
		struct hd_jv rt, hc, map;
		struct hd_jentry *e;
		size_t ne;
		bool b;
		int rc;

		hd_alloc_fail_at(n);
		rc = hd_jr_parse(&x, doc, sizeof(doc) - 1, 0, "the text");
		if (rc >= 0)
			rc = hd_jr_root(&x, &rt);
		if (rc >= 0)
			rc = hd_jv_obj(&x, &rt, "HostConfig", HD_JF_NULLABLE, &hc);
		if (rc >= 0)
			rc = hd_jv_bool(&x, &hc, "Privileged", 0, &b, NULL, NULL);
		if (rc >= 0)
			rc = hd_jv_map(&x, &hc, "Labels", 0, &map);
		if (rc >= 0)
			rc = hd_jv_entries(&x, &map, &e, &ne);
		hd_alloc_fail_at(0);
		hd_jr_release(&x);
		if (rc == 0) {
			assert_true(b);
			break;
		}
		assert_int_equal(rc, -HD_ENOMEM);
	}
	assert_true(n < 1000);
}

static int teardown(void **state)
{
	(void)state;
	hd_jr_release(&r);
	hd_diag_release(&diag);
	return 0;
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_syntax),	cmocka_unit_test(test_key_fold), cmocka_unit_test(test_last_wins),
		cmocka_unit_test(test_null),	cmocka_unit_test(test_merge),	 cmocka_unit_test(test_strings),
		cmocka_unit_test(test_maps),	cmocka_unit_test(test_oom),
	};

	return cmocka_run_group_tests_name("json", tests, NULL, teardown);
}
