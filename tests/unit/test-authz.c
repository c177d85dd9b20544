/*
 * Unit tests for authz/policy.c: AuthZReq documents as the daemon sends them
 * (built here with a base64 body, plus the recorded ones of tests/authz/req/)
 * decided under the default config.  Privileged creates and socket mounts
 * are denied with their rule ids, hardened creates and other endpoints are
 * allowed, privileged execs are denied, deny_at and config re-grading are
 * honoured, and garbage, bad base64 and bad bodies are denied (fail closed),
 * also when allocations fail.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <cmocka.h>

#include "core/common.h"
#include "core/buf.h"
#include "authz/authz.h"

static struct hd_config cfg;

/* A test-local base64 encoder, so the decoder is checked against another implementation. */
static char *b64(const char *s)
{
	static const char tab[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
	size_t n = strlen(s), i, o = 0;
	char *out = hd_malloc(n / 3 * 4 + 5);

	assert_non_null(out);
	for (i = 0; i < n; i += 3) {
		unsigned v = (unsigned)(unsigned char)s[i] << 16;

		if (i + 1 < n)
			v |= (unsigned)(unsigned char)s[i + 1] << 8;
		if (i + 2 < n)
			v |= (unsigned char)s[i + 2];
		out[o++] = tab[(v >> 18) & 63];
		out[o++] = tab[(v >> 12) & 63];
		out[o++] = i + 1 < n ? tab[(v >> 6) & 63] : '=';
		out[o++] = i + 2 < n ? tab[v & 63] : '=';
	}
	out[o] = '\0';
	return out;
}

/* Decides (method, uri, body) under cfg; body NULL means no RequestBody. */
static void decide(enum hd_severity deny_at, const char *method, const char *uri, const char *body,
		   struct hd_authz_decision *d)
{
	char *enc = body ? b64(body) : NULL;
	char *req = hd_asprintf("{\"User\":\"alice\",\"RequestMethod\":\"%s\",\"RequestUri\":\"%s\","
				"\"RequestHeaders\":{\"Content-Type\":\"application/json\"}%s%s%s}",
				method, uri, enc ? ",\"RequestBody\":\"" : "", enc ? enc : "",
				enc ? "\"" : "");

	assert_non_null(req);
	assert_int_equal(hd_authz_decide(&cfg, deny_at, req, strlen(req), d), 0);
	assert_non_null(d->msg);
	assert_non_null(d->rule_ids);
	hd_free(req);
	hd_free(enc);
}

static const char hardened[] =
	"{\"Image\":\"registry.example.com/app@sha256:0123456789abcdef0123456789abcdef0123456789abcdef"
	"0123456789abcdef\",\"User\":\"1000:1000\",\"Cmd\":[\"app\"],"
	"\"Healthcheck\":{\"Test\":[\"CMD\",\"/app\",\"health\"]},"
	"\"HostConfig\":{\"ReadonlyRootfs\":true,\"CapDrop\":[\"ALL\"],"
	"\"SecurityOpt\":[\"no-new-privileges:true\"],\"Memory\":268435456,\"NanoCpus\":500000000,"
	"\"PidsLimit\":100,\"CpuShares\":512,"
	"\"RestartPolicy\":{\"Name\":\"on-failure\",\"MaximumRetryCount\":5}}}";

/* 1: a privileged create is denied, naming the rule and the container. */
static void test_privileged_create_denied(void **state)
{
	struct hd_authz_decision d;

	(void)state;
	decide(HD_SEV_HIGH, "POST", "/v1.41/containers/create?name=evil",
	       "{\"Image\":\"busybox\",\"HostConfig\":{\"Privileged\":true}}", &d);
	assert_false(d.allow);
	assert_int_equal(d.category, HD_AUTHZ_CONTAINER_CREATE);
	assert_non_null(strstr(d.rule_ids, "container/privileged"));
	assert_non_null(strstr(d.msg, "container/privileged"));
	assert_non_null(strstr(d.msg, "'evil'"));
	hd_authz_decision_release(&d);
}

/* 2: the engine socket mounted by Binds or by Mounts is denied. */
static void test_socket_mount_denied(void **state)
{
	struct hd_authz_decision d;

	(void)state;
	decide(HD_SEV_HIGH, "POST", "/v1.41/containers/create",
	       "{\"Image\":\"busybox\",\"HostConfig\":{\"Binds\":[\"/var/run/docker.sock:/var/run/docker.sock:ro\"]}}",
	       &d);
	assert_false(d.allow);
	assert_non_null(strstr(d.rule_ids, "container/docker-socket-mount"));
	hd_authz_decision_release(&d);
	decide(HD_SEV_HIGH, "POST", "/containers/create",
	       "{\"Image\":\"busybox\",\"HostConfig\":{\"Mounts\":[{\"Type\":\"bind\","
	       "\"Source\":\"/run/docker.sock\",\"Target\":\"/s.sock\"}]}}",
	       &d);
	assert_false(d.allow);
	assert_non_null(strstr(d.rule_ids, "container/docker-socket-mount"));
	hd_authz_decision_release(&d);
}

/* 3: a hardened create is allowed even at deny_at info; a bare one at high. */
static void test_hardened_create_allowed(void **state)
{
	struct hd_authz_decision d;

	(void)state;
	decide(HD_SEV_INFO, "POST", "/v1.41/containers/create?name=web", hardened, &d);
	assert_true(d.allow);
	assert_string_equal(d.msg, "");
	hd_authz_decision_release(&d);
	decide(HD_SEV_HIGH, "POST", "/v1.41/containers/create", "{\"Image\":\"busybox\"}", &d);
	assert_true(d.allow);
	hd_authz_decision_release(&d);
}

/* 4: garbage anywhere is denied with a reason (fail closed). */
static void test_garbage_denied(void **state)
{
	static const char *const reqs[] = {
		"", "{", "[]", "null", "{\"RequestMethod\":\"POST\"}",
		"{\"RequestMethod\":\"POST\",\"RequestUri\":\"/v1.41/containers/create\","
		"\"RequestBody\":\"!!!not base64\"}",
		"{\"RequestMethod\":\"POST\",\"RequestUri\":\"/v1.41/containers/create\","
		"\"RequestBody\":42}",
		"{\"RequestMethod\":\"POST\",\"RequestUri\":\"/v1.41/containers/create\"}",
		"{\"RequestMethod\":1,\"RequestUri\":\"/_ping\"}",
	};
	struct hd_authz_decision d;
	size_t i;

	(void)state;
	for (i = 0; i < HD_ARRAY_SIZE(reqs); i++) {
		assert_int_equal(hd_authz_decide(&cfg, HD_SEV_HIGH, reqs[i], strlen(reqs[i]), &d), 0);
		if (d.allow)
			fail_msg("request %zu allowed", i);
		assert_non_null(strstr(d.msg, "denied"));
		hd_authz_decision_release(&d);
	}
	/* Bodies that are not a create body. */
	decide(HD_SEV_HIGH, "POST", "/v1.41/containers/create", "not json", &d);
	assert_false(d.allow);
	hd_authz_decision_release(&d);
	decide(HD_SEV_HIGH, "POST", "/v1.41/containers/create", "[1,2]", &d);
	assert_false(d.allow);
	hd_authz_decision_release(&d);
	decide(HD_SEV_HIGH, "POST", "/v1.41/containers/create",
	       "{\"Image\":\"busybox\",\"HostConfig\":{\"Privileged\":\"yes\"}}", &d);
	assert_false(d.allow);
	assert_non_null(strstr(d.msg, "HostConfig.Privileged"));
	hd_authz_decision_release(&d);
	decide(HD_SEV_HIGH, "POST", "/v1.41/containers/create",
	       "{\"Image\":\"busybox\",\"HostConfig\":{\"Binds\":[\"nocolon\"]}}", &d);
	assert_false(d.allow);
	hd_authz_decision_release(&d);
}

/* 5: endpoints that cannot start anything insecure are allowed. */
static void test_non_create_allowed(void **state)
{
	struct hd_authz_decision d;

	(void)state;
	decide(HD_SEV_HIGH, "GET", "/v1.41/containers/json?all=1", NULL, &d);
	assert_true(d.allow);
	assert_int_equal(d.category, HD_AUTHZ_OTHER);
	hd_authz_decision_release(&d);
	decide(HD_SEV_HIGH, "POST", "/v1.41/containers/abc/start", NULL, &d);
	assert_true(d.allow);
	hd_authz_decision_release(&d);
	decide(HD_SEV_HIGH, "GET", "/_ping", NULL, &d);
	assert_true(d.allow);
	hd_authz_decision_release(&d);
	/* A GET of the create path is not a create. */
	decide(HD_SEV_HIGH, "GET", "/containers/create", NULL, &d);
	assert_true(d.allow);
	hd_authz_decision_release(&d);
}

/* 6: privileged exec create or start is denied; a plain exec is allowed. */
static void test_privileged_exec_denied(void **state)
{
	struct hd_authz_decision d;

	(void)state;
	decide(HD_SEV_HIGH, "POST", "/v1.41/containers/abc/exec", "{\"Cmd\":[\"sh\"],\"Privileged\":true}", &d);
	assert_false(d.allow);
	assert_int_equal(d.category, HD_AUTHZ_EXEC_CREATE);
	assert_non_null(strstr(d.msg, "5.23"));
	hd_authz_decision_release(&d);
	decide(HD_SEV_HIGH, "POST", "/v1.41/exec/123/start", "{\"Detach\":false,\"Privileged\":true}", &d);
	assert_false(d.allow);
	assert_int_equal(d.category, HD_AUTHZ_EXEC_START);
	hd_authz_decision_release(&d);
	decide(HD_SEV_HIGH, "POST", "/v1.41/containers/abc/exec", "{\"Cmd\":[\"ls\"]}", &d);
	assert_true(d.allow);
	hd_authz_decision_release(&d);
	decide(HD_SEV_HIGH, "POST", "/v1.41/exec/123/start", "{\"Detach\":false}", &d);
	assert_true(d.allow);
	hd_authz_decision_release(&d);
	decide(HD_SEV_HIGH, "POST", "/v1.41/containers/abc/exec", "{\"Privileged\":1}", &d);
	assert_false(d.allow);
	hd_authz_decision_release(&d);
}

/* 7: deny_at and the config's re-grading decide which findings deny. */
static void test_deny_at_threshold(void **state)
{
	static const char bare[] = "{\"Image\":\"busybox\"}";
	static const char priv[] = "{\"Image\":\"busybox\",\"HostConfig\":{\"Privileged\":true}}";
	struct hd_config low;
	struct hd_authz_decision d;

	(void)state;
	decide(HD_SEV_MEDIUM, "POST", "/v1.41/containers/create", bare, &d);
	assert_false(d.allow);
	assert_non_null(strstr(d.rule_ids, "container/no-memory-limit"));
	assert_null(strstr(d.rule_ids, "container/read-only-rootfs")); /* low */
	hd_authz_decision_release(&d);
	decide(HD_SEV_LOW, "POST", "/v1.41/containers/create", bare, &d);
	assert_false(d.allow);
	assert_non_null(strstr(d.rule_ids, "container/read-only-rootfs"));
	hd_authz_decision_release(&d);
	decide(HD_SEV_CRITICAL, "POST", "/v1.41/containers/create", priv, &d);
	assert_false(d.allow);
	hd_authz_decision_release(&d);
	decide(HD_SEV_NONE, "POST", "/v1.41/containers/create", priv, &d);
	assert_true(d.allow);
	hd_authz_decision_release(&d);

	/* Re-graded by the config: privileged as low no longer denies at high. */
	hd_config_init(&low);
	assert_int_equal(hd_config_set_override(&low, "container/privileged", HD_SEV_LOW), 0);
	assert_int_equal(hd_config_prepare(&low), 0);
	assert_int_equal(hd_authz_decide(&low, HD_SEV_HIGH, "{}", 2, &d), 0);
	assert_false(d.allow);
	hd_authz_decision_release(&d);
	{
		char *enc = b64(priv);
		char *req = hd_asprintf("{\"RequestMethod\":\"POST\",\"RequestUri\":"
					"\"/v1.41/containers/create\",\"RequestBody\":\"%s\"}", enc);

		assert_int_equal(hd_authz_decide(&low, HD_SEV_HIGH, req, strlen(req), &d), 0);
		assert_true(d.allow);
		hd_authz_decision_release(&d);
		hd_free(req);
		hd_free(enc);
	}
	hd_config_release(&low);
}

/* 8: the endpoint table and the base64 decoder. */
static void test_classify_and_base64(void **state)
{
	char *out;
	size_t n;

	(void)state;
	assert_int_equal(hd_authz_classify("POST", "/v1.41/containers/create?name=x"),
			 HD_AUTHZ_CONTAINER_CREATE);
	assert_int_equal(hd_authz_classify("POST", "/containers/create/"), HD_AUTHZ_CONTAINER_CREATE);
	assert_int_equal(hd_authz_classify("POST", "/v1.41/containers/create/x"), HD_AUTHZ_OTHER);
	assert_int_equal(hd_authz_classify("POST", "/v1.41/containers//exec"), HD_AUTHZ_OTHER);
	assert_int_equal(hd_authz_classify("POST", "/v1.41/containers/a/exec"), HD_AUTHZ_EXEC_CREATE);
	assert_int_equal(hd_authz_classify("POST", "/exec/a/start"), HD_AUTHZ_EXEC_START);
	assert_int_equal(hd_authz_classify("DELETE", "/containers/create"), HD_AUTHZ_OTHER);
	assert_int_equal(hd_base64_decode("aGk=", 4, &out, &n), 0);
	assert_int_equal(n, 2);
	assert_string_equal(out, "hi");
	hd_free(out);
	assert_int_equal(hd_base64_decode("", 0, &out, &n), 0);
	assert_int_equal(n, 0);
	hd_free(out);
	assert_int_equal(hd_base64_decode("a", 1, &out, &n), -HD_EINVAL);
	assert_int_equal(hd_base64_decode("a b=", 4, &out, &n), -HD_EINVAL);
}

/* 9: the recorded requests of tests/authz/req decide as their names say. */
static void test_recorded(void **state)
{
	static const struct {
		const char *file;
		bool allow;
	} cases[] = {
		{ "create-bad-body.json", false }, { "create-hardened.json", true },
		{ "create-minimal.json", true },   { "create-privileged.json", false },
		{ "create-socket.json", false },   { "exec-plain.json", true },
		{ "exec-privileged.json", false }, { "garbage.json", false },
		{ "list-containers.json", true },
	};
	const char *src = getenv("SRCDIR");
	struct hd_buf b;
	size_t i;

	(void)state;
	hd_buf_init(&b, 1u << 20);
	for (i = 0; i < HD_ARRAY_SIZE(cases); i++) {
		struct hd_authz_decision d;
		char path[1024];

		snprintf(path, sizeof(path), "%s/tests/authz/req/%s", src ? src : ".", cases[i].file);
		hd_buf_reset(&b);
		if (hd_buf_read_file(&b, path) < 0)
			fail_msg("cannot read %s", path);
		assert_int_equal(hd_authz_decide(&cfg, HD_SEV_HIGH, b.buf, b.len, &d), 0);
		if (d.allow != cases[i].allow)
			fail_msg("%s: %s: %s", cases[i].file, d.allow ? "allowed" : "denied", d.msg);
		hd_authz_decision_release(&d);
	}
	hd_buf_release(&b);
}

/* 10: every failed allocation gives a deny (or -HD_ENOMEM), never an allow. */
static void test_alloc_failures_deny(void **state)
{
	static const char priv[] = "{\"Image\":\"busybox\",\"HostConfig\":{\"Privileged\":true,"
				   "\"Binds\":[\"/:/host\"]}}";
	char *enc = b64(priv);
	char *req = hd_asprintf("{\"RequestMethod\":\"POST\",\"RequestUri\":"
				"\"/v1.41/containers/create\",\"RequestBody\":\"%s\"}", enc);
	unsigned long n;

	(void)state;
	for (n = 1; n < 5000; n++) {
		struct hd_authz_decision d;
		int r;

		hd_alloc_fail_at(n);
		r = hd_authz_decide(&cfg, HD_SEV_HIGH, req, strlen(req), &d);
		hd_alloc_fail_at(0);
		if (r == 0) {
			bool allow = d.allow, fired = strstr(d.rule_ids, "container/privileged") != NULL;

			hd_authz_decision_release(&d);
			assert_false(allow);
			if (fired)
				break;
		} else {
			assert_int_equal(r, -HD_ENOMEM);
		}
	}
	assert_true(n < 5000);
	hd_free(req);
	hd_free(enc);
}

static int setup(void **state)
{
	(void)state;
	hd_config_init(&cfg);
	return hd_config_prepare(&cfg);
}

static int teardown(void **state)
{
	(void)state;
	hd_config_release(&cfg);
	return 0;
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_privileged_create_denied),
		cmocka_unit_test(test_socket_mount_denied),
		cmocka_unit_test(test_hardened_create_allowed),
		cmocka_unit_test(test_garbage_denied),
		cmocka_unit_test(test_non_create_allowed),
		cmocka_unit_test(test_privileged_exec_denied),
		cmocka_unit_test(test_deny_at_threshold),
		cmocka_unit_test(test_classify_and_base64),
		cmocka_unit_test(test_recorded),
		cmocka_unit_test(test_alloc_failures_deny),
	};

	return cmocka_run_group_tests_name("authz", tests, setup, teardown);
}
