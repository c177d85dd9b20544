/*
 * Unit tests for src/authz: the router (every route of endpoints.def
 * reachable, percent-encoding, version prefixes, absolute URIs, unclean and
 * unknown paths), docker's version comparison and Go's query parsing; the
 * decision on AuthZReq documents as dockerd sends them (built here with a
 * base64 body, plus the recorded ones of tests/authz/req/) for each judged
 * category; the policy's thresholds, enforced rules, allowed categories and
 * per-user exceptions; the policy file's ownership rule and messages; the
 * decision log; and fail-closed behaviour when allocations fail.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <cmocka.h>

#include "core/common.h"
#include "core/buf.h"
#include "authz/authz.h"

#include <fcntl.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <unistd.h>

static struct hd_authz_policy pol;

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

/* An AuthZReq for (user, method, uri, headers JSON, body); body NULL means no RequestBody. */
static char *request(const char *user, const char *method, const char *uri, const char *headers,
		     const char *body)
{
	char *enc = body ? b64(body) : NULL;
	char *req = hd_asprintf("{\"User\":\"%s\",\"RequestMethod\":\"%s\",\"RequestUri\":\"%s\","
				"\"RequestHeaders\":%s%s%s%s}",
				user, method, uri, headers, enc ? ",\"RequestBody\":\"" : "",
				enc ? enc : "", enc ? "\"" : "");

	assert_non_null(req);
	hd_free(enc);
	return req;
}

static const char json_hdrs[] = "{\"Content-Type\":\"application/json\"}";

/* Decides (method, uri, body) under p as user "alice" with JSON headers. */
static void decide_p(const struct hd_authz_policy *p, const char *method, const char *uri,
		     const char *body, struct hd_authz_decision *d)
{
	char *req = request("alice", method, uri, json_hdrs, body);

	assert_int_equal(hd_authz_decide(p, req, strlen(req), d), 0);
	assert_non_null(d->msg);
	assert_non_null(d->rule_ids);
	hd_free(req);
}

static void decide(const char *method, const char *uri, const char *body, struct hd_authz_decision *d)
{
	decide_p(&pol, method, uri, body, d);
}

/* Expects a deny naming rule (NULL: any deny). */
static void expect_deny(const char *method, const char *uri, const char *body, const char *rule)
{
	struct hd_authz_decision d;

	decide(method, uri, body, &d);
	if (d.allow)
		fail_msg("%s %s %s: allowed", method, uri, body ? body : "(no body)");
	if (rule && !strstr(d.rule_ids, rule))
		fail_msg("%s %s: denied without %s: [%s] %s", method, uri, rule, d.rule_ids, d.msg);
	hd_authz_decision_release(&d);
}

static void expect_allow(const char *method, const char *uri, const char *body)
{
	struct hd_authz_decision d;

	decide(method, uri, body, &d);
	if (!d.allow)
		fail_msg("%s %s %s: denied: %s", method, uri, body ? body : "(no body)", d.msg);
	hd_authz_decision_release(&d);
}

static const char hardened[] =
	"{\"Image\":\"registry.example.com/app@sha256:0123456789abcdef0123456789abcdef0123456789abcdef"
	"0123456789abcdef\",\"User\":\"1000:1000\",\"Cmd\":[\"app\"],"
	"\"Healthcheck\":{\"Test\":[\"CMD\",\"/app\",\"health\"]},"
	"\"HostConfig\":{\"ReadonlyRootfs\":true,\"CapDrop\":[\"ALL\"],"
	"\"SecurityOpt\":[\"no-new-privileges:true\"],\"Memory\":268435456,\"NanoCpus\":500000000,"
	"\"PidsLimit\":100,\"CpuShares\":512,"
	"\"RestartPolicy\":{\"Name\":\"on-failure\",\"MaximumRetryCount\":5}}}";

/* ---- routing ----------------------------------------------------------------------------- */

static enum hd_authz_category route(const char *method, const char *uri)
{
	struct hd_authz_route rt;
	enum hd_authz_category c;

	assert_int_equal(hd_authz_route(method, uri, &rt, NULL), 0);
	c = rt.cat;
	hd_authz_route_release(&rt);
	return c;
}

/* 1: every route of the table, its variables filled, routes to its own category. */
static void test_every_route_reachable(void **state)
{
	static const struct {
		const char *method, *prefix, *pattern;
		enum hd_authz_category cat;
	} table[] = {
#define HD_AUTHZ_ROUTE(m, p, c) { m, "", p, HD_AUTHZ_##c },
#define HD_AUTHZ_DEBUG(p, c) { "GET", "/debug", p, HD_AUTHZ_##c },
#include "authz/endpoints.def"
#undef HD_AUTHZ_ROUTE
#undef HD_AUTHZ_DEBUG
	};
	size_t i;

	(void)state;
	assert_true(HD_ARRAY_SIZE(table) > 100);
	for (i = 0; i < HD_ARRAY_SIZE(table); i++) {
		char path[512], *o = path;
		const char *p = table[i].pattern;
		int v;

		o += snprintf(o, 16, "%s", table[i].prefix);
		while (*p) {
			if (*p == '{') {
				*o++ = 'x';
				*o++ = '1';
				p = strchr(p, '}') + 1;
			} else {
				*o++ = *p++;
			}
		}
		*o = '\0';
		for (v = 0; v < 2; v++) {
			char uri[600];
			enum hd_authz_category c;

			snprintf(uri, sizeof(uri), "%s%s", v && strcmp(table[i].prefix, "/debug") ? "/v1.41" : "",
				 path);
			c = route(table[i].method, uri);
			if (c != table[i].cat)
				fail_msg("%s %s routes to %s, not %s", table[i].method, uri,
					 hd_authz_category_name(c), hd_authz_category_name(table[i].cat));
		}
	}
}

/* 2: URIs as dockerd reads them: decoding, prefixes, queries, forms dockerd refuses. */
static void test_routing_like_dockerd(void **state)
{
	static const struct {
		const char *method, *uri;
		enum hd_authz_category cat;
	} cases[] = {
		{ "POST", "/v1.41/containers/create", HD_AUTHZ_CONTAINER_CREATE },
		{ "POST", "/containers/create", HD_AUTHZ_CONTAINER_CREATE },
		{ "POST", "/v1.41/containers/%63reate", HD_AUTHZ_CONTAINER_CREATE },
		{ "POST", "/v1.41/containers%2Fcreate", HD_AUTHZ_CONTAINER_CREATE },
		{ "POST", "/v1.41/containers%2fcreate?name=x", HD_AUTHZ_CONTAINER_CREATE },
		{ "POST", "/%761.41/containers/create", HD_AUTHZ_CONTAINER_CREATE },
		{ "POST", "/v1.23/containers/create", HD_AUTHZ_CONTAINER_CREATE },
		{ "POST", "/v1/containers/create", HD_AUTHZ_CONTAINER_CREATE },
		{ "POST", "/v1..2./containers/create", HD_AUTHZ_CONTAINER_CREATE },
		{ "POST", "/v99.99/containers/create", HD_AUTHZ_CONTAINER_CREATE },
		{ "POST", "http://docker/v1.41/containers/create", HD_AUTHZ_CONTAINER_CREATE },
		{ "POST", "HTTP://x:2375/containers/create?a=b", HD_AUTHZ_CONTAINER_CREATE },
		{ "POST", "/containers/create?x=/containers/json", HD_AUTHZ_CONTAINER_CREATE },
		{ "POST", "/v1.41/containers/a%2Fb/exec", HD_AUTHZ_EXEC_CREATE },
		{ "POST", "/v1.41/containers/a/b/exec", HD_AUTHZ_EXEC_CREATE },
		{ "POST", "/v1.41/containers/create/exec", HD_AUTHZ_EXEC_CREATE },
		{ "POST", "/v1.41/containers/x/start", HD_AUTHZ_CONTAINER_START },
		{ "POST", "/v1.23/containers/x/start?checkpoint=c", HD_AUTHZ_CONTAINER_START },
		{ "POST", "/v1.41/containers/x/update", HD_AUTHZ_CONTAINER_UPDATE },
		{ "POST", "/v1.41/services/create", HD_AUTHZ_SERVICE_CREATE },
		{ "POST", "/v1.41/services/abc/update?version=3", HD_AUTHZ_SERVICE_UPDATE },
		{ "POST", "/v1.41/volumes/create", HD_AUTHZ_VOLUME_CREATE },
		{ "POST", "/v1.41/plugins/pull?remote=x", HD_AUTHZ_PLUGIN_PULL },
		{ "POST", "/v1.41/plugins/vieux/sshfs:latest/upgrade", HD_AUTHZ_PLUGIN_UPGRADE },
		{ "POST", "/v1.41/plugins/p/set", HD_AUTHZ_PLUGIN_SET },
		{ "POST", "/v1.41/plugins/create?name=p", HD_AUTHZ_PLUGIN_CREATE },
		{ "POST", "/v1.41/swarm/join", HD_AUTHZ_SWARM_JOIN },
		{ "POST", "/v1.41/images/create?fromImage=busybox", HD_AUTHZ_IMAGE_CREATE },
		{ "POST", "/v1.41/build?t=x", HD_AUTHZ_BUILD },
		{ "GET", "/v1.41/containers/json", HD_AUTHZ_READ },
		{ "GET", "/v1.41/containers/x/json", HD_AUTHZ_READ },
		{ "GET", "/_ping", HD_AUTHZ_READ },
		{ "HEAD", "/_ping", HD_AUTHZ_READ },
		{ "GET", "/networks/", HD_AUTHZ_READ },
		{ "OPTIONS", "/v1.41/containers/create", HD_AUTHZ_READ },
		{ "POST", "/debug/pprof/heap", HD_AUTHZ_READ },
		{ "POST", "/v1.41/exec/abc/start", HD_AUTHZ_ORDINARY },
		{ "DELETE", "/v1.41/containers/x/checkpoints/c", HD_AUTHZ_ORDINARY },
		{ "DELETE", "/v1.41/containers/x", HD_AUTHZ_ORDINARY },
		/* What dockerd answers itself (404, 405, redirect, 400) without asking. */
		{ "post", "/containers/create", HD_AUTHZ_UNROUTED },
		{ "GET", "/containers/create", HD_AUTHZ_UNROUTED },
		{ "HEAD", "/containers/json", HD_AUTHZ_UNROUTED },
		{ "POST", "/containers/create/", HD_AUTHZ_UNROUTED },
		{ "POST", "/Containers/create", HD_AUTHZ_UNROUTED },
		{ "POST", "//containers/create", HD_AUTHZ_UNROUTED },
		{ "POST", "/v1.41//containers/create", HD_AUTHZ_UNROUTED },
		{ "POST", "/v1.41/./containers/create", HD_AUTHZ_UNROUTED },
		{ "POST", "/v1.41/x/../containers/create", HD_AUTHZ_UNROUTED },
		{ "POST", "/v1.41/containers/%2e%2e/containers/create", HD_AUTHZ_UNROUTED },
		{ "POST", "/v1.41/containers/%zzcreate", HD_AUTHZ_UNROUTED },
		{ "POST", "/v1.41/containers/create%", HD_AUTHZ_UNROUTED },
		{ "POST", "/v1.41/containers/create%0", HD_AUTHZ_UNROUTED },
		{ "POST", "/va/containers/create", HD_AUTHZ_UNROUTED },
		{ "POST", "/v/containers/create", HD_AUTHZ_UNROUTED },
		{ "POST", "/v1.41/v1.41/containers/create", HD_AUTHZ_UNROUTED },
		{ "POST", "/v1.41/debug/vars", HD_AUTHZ_UNROUTED },
		{ "POST", "containers/create", HD_AUTHZ_UNROUTED },
		{ "POST", "http:/containers/create", HD_AUTHZ_UNROUTED },
		{ "POST", "http://host", HD_AUTHZ_UNROUTED },
		{ "POST", "", HD_AUTHZ_UNROUTED },
		{ "POST", "*", HD_AUTHZ_UNROUTED },
		{ "POST", "/v1.41/containers/x%0A/exec", HD_AUTHZ_UNROUTED },
		{ "POST", "/v1.41/containers/create%00", HD_AUTHZ_UNROUTED },
		{ "POST", "/v1.41/secret/stuff", HD_AUTHZ_UNROUTED },
	};
	size_t i;

	(void)state;
	for (i = 0; i < HD_ARRAY_SIZE(cases); i++) {
		enum hd_authz_category c = route(cases[i].method, cases[i].uri);

		if (c != cases[i].cat)
			fail_msg("%zu: %s %s routes to %s, expected %s", i, cases[i].method, cases[i].uri,
				 hd_authz_category_name(c), hd_authz_category_name(cases[i].cat));
	}
}

/* 3: the route's parts: decoded path, raw query, version, first variable. */
static void test_route_parts(void **state)
{
	struct hd_authz_route rt;
	const char *why;

	(void)state;
	assert_int_equal(hd_authz_route("POST", "/v1.23/containers/a%2Fb/start?x=1&y", &rt, &why), 0);
	assert_int_equal(rt.cat, HD_AUTHZ_CONTAINER_START);
	assert_string_equal(rt.path, "/v1.23/containers/a/b/start");
	assert_string_equal(rt.query, "x=1&y");
	assert_string_equal(rt.version, "1.23");
	assert_string_equal(rt.var, "a/b");
	assert_null(why);
	hd_authz_route_release(&rt);
	assert_int_equal(hd_authz_route("POST", "/containers/create", &rt, &why), 0);
	assert_string_equal(rt.version, "");
	assert_null(rt.var);
	hd_authz_route_release(&rt);
	assert_int_equal(hd_authz_route("POST", "/a//b", &rt, &why), 0);
	assert_int_equal(rt.cat, HD_AUTHZ_UNROUTED);
	assert_non_null(why);
	assert_non_null(strstr(why, "clean"));
	hd_authz_route_release(&rt);
}

/* 4: docker's version comparison and Go's query parsing. */
static void test_versions_and_queries(void **state)
{
	char *v;

	(void)state;
	assert_int_equal(hd_authz_version_cmp("1.23", "1.24"), -1);
	assert_int_equal(hd_authz_version_cmp("1.24", "1.24"), 0);
	assert_int_equal(hd_authz_version_cmp("1.100", "1.24"), 1);
	assert_int_equal(hd_authz_version_cmp("1.23.9", "1.24"), -1);
	assert_int_equal(hd_authz_version_cmp("1", "1.24"), -1);
	assert_int_equal(hd_authz_version_cmp("1..", "1.24"), -1);
	assert_int_equal(hd_authz_version_cmp("01.024", "1.24"), 0);
	assert_int_equal(hd_authz_version_cmp("1.99999999999999999999999", "1.24"), 1);
	assert_int_equal(hd_authz_version_cmp(".", "1.24"), -1);

	assert_int_equal(hd_authz_query_get("a=1&fromImage=x%2Fy+z&fromImage=2", "fromImage", &v), 0);
	assert_string_equal(v, "x/y z");
	hd_free(v);
	assert_int_equal(hd_authz_query_get("a=1&tag", "tag", &v), 0);
	assert_string_equal(v, "");
	hd_free(v);
	assert_int_equal(hd_authz_query_get("a=1", "tag", &v), 0);
	assert_null(v);
	assert_int_equal(hd_authz_query_get("", "tag", &v), 0);
	assert_null(v);
	assert_int_equal(hd_authz_query_get("Tag=1", "tag", &v), 0);
	assert_null(v);
	assert_int_equal(hd_authz_query_get("tag=1;x=2", "tag", &v), -HD_EINVAL);
	assert_int_equal(hd_authz_query_get("tag=%zz", "tag", &v), -HD_EINVAL);
	assert_int_equal(hd_authz_query_get("t%61g=b", "tag", &v), 0);
	assert_string_equal(v, "b");
	hd_free(v);
}

/* ---- containers ---------------------------------------------------------------------------- */

/* 5: a privileged create is denied, naming the rule and the container; the classes too. */
static void test_privileged_create_denied(void **state)
{
	struct hd_authz_decision d;

	(void)state;
	decide("POST", "/v1.41/containers/create?name=evil",
	       "{\"Image\":\"busybox\",\"HostConfig\":{\"Privileged\":true}}", &d);
	assert_false(d.allow);
	assert_int_equal(d.category, HD_AUTHZ_CONTAINER_CREATE);
	assert_non_null(strstr(d.rule_ids, "container/privileged"));
	assert_non_null(strstr(d.msg, "container/privileged"));
	assert_non_null(strstr(d.msg, "'evil'"));
	hd_authz_decision_release(&d);
	expect_deny("POST", "/v1.41/containers/%63reate", "{\"Image\":\"x\",\"HostConfig\":{\"Privileged\":true}}",
		    "container/privileged");
	expect_deny("POST", "/v1.41/containers%2Fcreate", "{\"Image\":\"x\",\"HostConfig\":{\"Privileged\":true}}",
		    "container/privileged");
	expect_deny("POST", "/v1.41/containers/create",
		    "{\"Image\":\"x\",\"HostConfig\":{\"Binds\":[\"/:/host\"]}}", "container/sensitive-host-mount");
	/* The CLI sends --security-opt systempaths=unconfined as empty masked and read-only paths. */
	expect_deny("POST", "/v1.41/containers/create",
		    "{\"Image\":\"x\",\"HostConfig\":{\"MaskedPaths\":[],\"ReadonlyPaths\":[]}}",
		    "container/systempaths-unconfined");
	expect_deny("POST", "/v1.41/containers/create",
		    "{\"Image\":\"x\",\"HostConfig\":{\"maskedpaths\":[\"/proc/kcore\"]}}",
		    "container/systempaths-unconfined");
	expect_allow("POST", "/v1.41/containers/create",
		     "{\"Image\":\"x\",\"HostConfig\":{\"MaskedPaths\":null,\"ReadonlyPaths\":[\"/proc/bus\","
		     "\"/proc/fs\",\"/proc/irq\",\"/proc/sys\",\"/proc/sysrq-trigger\",\"/extra\"]}}");
	/* Without a body the daemon was sent something the plugin did not see. */
	expect_deny("POST", "/v1.41/containers/create", NULL, NULL);
}

/* 6: engine sockets: by name, by the configured daemon's sockets, and any socket on this host. */
static void test_socket_mounts(void **state)
{
	struct hd_authz_policy p;
	struct sockaddr_un sa = { .sun_family = AF_UNIX };
	struct hd_authz_decision d;
	char dir[] = "/tmp/hd-authz-test-XXXXXX", body[512];
	int fd;

	(void)state;
	expect_deny("POST", "/v1.41/containers/create",
		    "{\"Image\":\"busybox\",\"HostConfig\":{\"Binds\":[\"/var/run/docker.sock:/var/run/docker.sock:ro\"]}}",
		    "container/docker-socket-mount");
	expect_deny("POST", "/containers/create",
		    "{\"Image\":\"busybox\",\"HostConfig\":{\"Mounts\":[{\"Type\":\"bind\","
		    "\"Source\":\"/run/podman/podman.sock\",\"Target\":\"/s.sock\"}]}}",
		    "container/docker-socket-mount");
	expect_deny("POST", "/containers/create",
		    "{\"Image\":\"busybox\",\"HostConfig\":{\"Binds\":[\"/run/buildkit/buildkitd.sock:/b\"]}}",
		    "container/docker-socket-mount");

	/* The protected daemon's own -H socket, by path, although nothing is there now. */
	hd_authz_policy_init(&p);
	assert_int_equal(hd_strlist_add(&p.cfg.engine_sockets, "/srv/engine/api"), 0);
	assert_int_equal(hd_authz_policy_prepare(&p), 0);
	decide_p(&p, "POST", "/containers/create",
		 "{\"Image\":\"busybox\",\"HostConfig\":{\"Binds\":[\"/srv/engine/api:/var/run/docker.sock\"]}}", &d);
	assert_false(d.allow);
	assert_non_null(strstr(d.msg, "protected daemon"));
	hd_authz_decision_release(&d);
	decide_p(&p, "POST", "/containers/create",
		 "{\"Image\":\"busybox\",\"HostConfig\":{\"Binds\":[\"/srv/engine:/e\"]}}", &d);
	assert_false(d.allow);
	hd_authz_decision_release(&d);
	hd_authz_policy_release(&p);

	/* A unix socket on this host under any name, looked at when deciding. */
	assert_non_null(mkdtemp(dir));
	snprintf(sa.sun_path, sizeof(sa.sun_path), "%s/api", dir);
	fd = socket(AF_UNIX, SOCK_STREAM, 0);
	assert_true(fd >= 0);
	assert_int_equal(bind(fd, (struct sockaddr *)&sa, sizeof(sa)), 0);
	snprintf(body, sizeof(body), "{\"Image\":\"busybox\",\"HostConfig\":{\"Binds\":[\"%s:/x\"]}}", sa.sun_path);
	decide("POST", "/containers/create", body, &d);
	assert_false(d.allow);
	assert_non_null(strstr(d.msg, "unix socket on the host"));
	hd_authz_decision_release(&d);
	/* Not looked at: judged by its path only. */
	hd_authz_policy_init(&p);
	p.no_host_facts = true;
	assert_int_equal(hd_authz_policy_prepare(&p), 0);
	decide_p(&p, "POST", "/containers/create", body, &d);
	assert_true(d.allow);
	hd_authz_decision_release(&d);
	hd_authz_policy_release(&p);
	close(fd);
	unlink(sa.sun_path);
	rmdir(dir);
}

/* 7: a hardened create is allowed even at deny_at info; a bare one at high. */
static void test_hardened_create_allowed(void **state)
{
	struct hd_authz_policy p;
	struct hd_authz_decision d;

	(void)state;
	hd_authz_policy_init(&p);
	p.deny_at = HD_SEV_INFO;
	assert_int_equal(hd_authz_policy_prepare(&p), 0);
	decide_p(&p, "POST", "/v1.41/containers/create?name=web", hardened, &d);
	assert_true(d.allow);
	assert_string_equal(d.msg, "");
	hd_authz_decision_release(&d);
	hd_authz_policy_release(&p);
	expect_allow("POST", "/v1.41/containers/create", "{\"Image\":\"busybox\"}");
}

/* 8: garbage anywhere is denied with a reason (fail closed). */
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
		"{\"RequestMethod\":\"GET\",\"RequestUri\":\"/_ping\",\"User\":7}",
		"{\"RequestMethod\":\"GET\",\"RequestUri\":\"/_ping\",\"RequestUri\":\"/x\"}",
	};
	struct hd_authz_decision d;
	size_t i;

	(void)state;
	for (i = 0; i < HD_ARRAY_SIZE(reqs); i++) {
		assert_int_equal(hd_authz_decide(&pol, reqs[i], strlen(reqs[i]), &d), 0);
		if (d.allow)
			fail_msg("request %zu allowed", i);
		assert_non_null(strstr(d.msg, "denied"));
		hd_authz_decision_release(&d);
	}
	expect_deny("POST", "/v1.41/containers/create", "not json", NULL);
	expect_deny("POST", "/v1.41/containers/create", "[1,2]", NULL);
	expect_deny("POST", "/v1.41/containers/create",
		    "{\"Image\":\"busybox\",\"HostConfig\":{\"Privileged\":\"yes\"}}", NULL);
	expect_deny("POST", "/v1.41/containers/create",
		    "{\"Image\":\"busybox\",\"HostConfig\":{\"Binds\":[\"nocolon\"]}}", NULL);
}

/* 9: reads and ordinary work pass; what dockerd does not route is denied. */
static void test_categories(void **state)
{
	struct hd_authz_decision d;

	(void)state;
	decide("GET", "/v1.41/containers/json?all=1", NULL, &d);
	assert_true(d.allow);
	assert_int_equal(d.category, HD_AUTHZ_READ);
	hd_authz_decision_release(&d);
	expect_allow("POST", "/v1.41/containers/abc/kill", NULL);
	expect_allow("POST", "/v1.41/containers/abc/start", NULL);
	expect_allow("GET", "/_ping", NULL);
	expect_allow("POST", "/v1.41/exec/123/start", "{\"Detach\":false,\"Privileged\":true}");
	decide("GET", "/containers/create", NULL, &d);
	assert_false(d.allow);
	assert_int_equal(d.category, HD_AUTHZ_UNROUTED);
	hd_authz_decision_release(&d);
	decide("POST", "/v1.41/plugins/create?name=x", NULL, &d);
	assert_false(d.allow);
	assert_non_null(strstr(d.msg, "allow: [plugin-create]"));
	hd_authz_decision_release(&d);
	expect_deny("POST", "/v1.41/swarm/join", "{\"RemoteAddrs\":[\"10.0.0.1\"]}", NULL);
}

/* 10: exec: privileged in any case of the key is denied by the catalogue rule; no body is denied. */
static void test_exec(void **state)
{
	struct hd_authz_decision d;

	(void)state;
	decide("POST", "/v1.41/containers/abc/exec", "{\"Cmd\":[\"sh\"],\"Privileged\":true}", &d);
	assert_false(d.allow);
	assert_int_equal(d.category, HD_AUTHZ_EXEC_CREATE);
	assert_non_null(strstr(d.rule_ids, "engine/exec-privileged"));
	hd_authz_decision_release(&d);
	expect_deny("POST", "/v1.41/containers/abc/exec", "{\"Cmd\":[\"sh\"],\"privileged\":true}",
		    "engine/exec-privileged");
	expect_deny("POST", "/v1.41/containers/abc/exec", "{\"Cmd\":[\"sh\"],\"PRIVILEGED\":true}",
		    "engine/exec-privileged");
	expect_deny("POST", "/v1.41/containers/abc/exec", NULL, NULL);
	expect_deny("POST", "/v1.41/containers/abc/exec", "{\"Privileged\":1}", NULL);
	expect_allow("POST", "/v1.41/containers/abc/exec", "{\"Cmd\":[\"ls\"]}");
}

/* 11: start: a HostConfig body counts below API 1.24 only; without a body only an empty one passes. */
static void test_old_api_start(void **state)
{
	struct hd_authz_decision d;
	char *req;

	(void)state;
	expect_deny("POST", "/v1.23/containers/x/start",
		    "{\"Binds\":[\"/:/host\"],\"CapAdd\":[\"SYS_ADMIN\"],\"PidMode\":\"host\"}", NULL);
	expect_deny("POST", "/v1.23/containers/x/start", "{\"HostConfig\":{\"Privileged\":true}}",
		    "container/privileged");
	expect_allow("POST", "/v1.24/containers/x/start", "{\"Binds\":[\"/:/host\"]}");
	expect_allow("POST", "/containers/x/start", "{\"Binds\":[\"/:/host\"]}");
	expect_allow("POST", "/v1.23/containers/x/start", "{\"Binds\":[\"/srv:/srv:ro\"]}");
	/* No body seen: only a Content-Length that leaves nothing to decode passes. */
	expect_deny("POST", "/v1.23/containers/x/start", NULL, NULL);
	req = request("", "POST", "/v1.23/containers/x/start", "{\"Content-Length\":\"0\"}", NULL);
	assert_int_equal(hd_authz_decide(&pol, req, strlen(req), &d), 0);
	assert_true(d.allow);
	hd_authz_decision_release(&d);
	hd_free(req);
	req = request("", "POST", "/v1.23/containers/x/start", "{\"Content-Length\":\"2000000\"}", NULL);
	assert_int_equal(hd_authz_decide(&pol, req, strlen(req), &d), 0);
	assert_false(d.allow);
	hd_authz_decision_release(&d);
	hd_free(req);
}

/* 12: pulls and content trust: trusted registries and digests are enforced when the policy asks. */
static void test_pull_and_trust(void **state)
{
	static const char pinned[] = "sha256:0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef";
	struct hd_authz_policy p;
	struct hd_authz_decision d;
	char uri[512], *req;

	(void)state;
	expect_allow("POST", "/v1.41/images/create?fromImage=busybox&tag=1.36", NULL);
	expect_allow("POST", "/v1.41/images/create?fromSrc=-&repo=x", NULL);
	hd_authz_policy_init(&p);
	assert_int_equal(hd_strlist_add(&p.cfg.trusted_registries, "registry.example.com"), 0);
	assert_int_equal(hd_strlist_add(&p.deny_rules, "container/untrusted-registry"), 0);
	assert_int_equal(hd_strlist_add(&p.deny_rules, "container/image-not-pinned"), 0);
	assert_int_equal(hd_strlist_add(&p.deny_rules, "container/image-latest"), 0);
	assert_int_equal(hd_authz_policy_prepare(&p), 0);
	decide_p(&p, "POST", "/v1.41/images/create?fromImage=busybox&tag=1.36", NULL, &d);
	assert_false(d.allow);
	assert_non_null(strstr(d.rule_ids, "container/untrusted-registry"));
	hd_authz_decision_release(&d);
	decide_p(&p, "POST", "/v1.41/images/create?fromImage=registry.example.com%2Fapp&tag=1", NULL, &d);
	assert_false(d.allow);
	assert_string_equal(d.rule_ids, "container/image-not-pinned");
	hd_authz_decision_release(&d);
	snprintf(uri, sizeof(uri), "/v1.41/images/create?fromImage=registry.example.com/app&tag=%s", pinned);
	decide_p(&p, "POST", uri, NULL, &d);
	assert_true(d.allow);
	hd_authz_decision_release(&d);
	/* The same at create. */
	decide_p(&p, "POST", "/containers/create", "{\"Image\":\"registry.example.com/app:1\"}", &d);
	assert_false(d.allow);
	assert_non_null(strstr(d.rule_ids, "container/image-not-pinned"));
	hd_authz_decision_release(&d);
	/* A form body may carry fromImage past the query: denied. */
	req = request("", "POST", uri, "{\"Content-Type\":\"application/x-www-form-urlencoded\"}", NULL);
	assert_int_equal(hd_authz_decide(&p, req, strlen(req), &d), 0);
	assert_false(d.allow);
	assert_non_null(strstr(d.msg, "form body"));
	hd_authz_decision_release(&d);
	hd_free(req);
	/* A plugin pull judges its remote the same way. */
	decide_p(&p, "POST", "/v1.41/plugins/pull?remote=vieux/sshfs:latest", NULL, &d);
	assert_false(d.allow);
	hd_authz_decision_release(&d);
	hd_authz_policy_release(&p);
}

/*
 * 22: naming local images (tag, commit, import, build, load) when the policy
 * restricts images: a name under which a container would be allowed to run
 * is refused; anything else passes, and without such a policy all pass.
 */
static void test_image_names(void **state)
{
	static const struct {
		const char *uri;
		bool allow_default, allow_trusted, allow_digest;
	} cases[] = {
		{ "/v1.41/images/abc/tag?repo=registry.example.com/app&tag=1", true, false, true },
		{ "/v1.41/images/abc/tag?repo=registry.example.com%2Fapp&tag=1", true, false, true },
		{ "/v1.41/images/abc/tag?repo=REGISTRY.example.com/app", true, false, true },
		{ "/v1.41/images/abc/tag?repo=other.example.com/app&tag=1", true, true, true },
		{ "/v1.41/images/abc/tag?repo=busybox&tag=1", true, true, true },
		{ "/v1.41/images/abc/tag", true, true, true },
		{ "/v1.41/commit?container=x&repo=registry.example.com/app&tag=2", true, false, true },
		{ "/v1.41/commit?container=x", true, true, true },
		{ "/v1.41/images/create?fromSrc=-&repo=registry.example.com/app&tag=1", true, false, true },
		{ "/v1.41/images/create?fromSrc=-&repo=local/app&tag=1", true, true, true },
		{ "/v1.41/build?t=app:1&t=registry.example.com/app:1", true, false, true },
		{ "/v1.41/build?t=app:1", true, true, true },
		{ "/v1.41/build", true, true, true },
		{ "/v1.41/images/load?quiet=1", true, false, false },
	};
	struct hd_authz_policy trusted, digest;
	struct hd_authz_decision d;
	size_t i;

	(void)state;
	hd_authz_policy_init(&trusted);
	assert_int_equal(hd_strlist_add(&trusted.cfg.trusted_registries, "registry.example.com"), 0);
	assert_int_equal(hd_strlist_add(&trusted.deny_rules, "container/untrusted-registry"), 0);
	assert_int_equal(hd_authz_policy_prepare(&trusted), 0);
	hd_authz_policy_init(&digest);
	assert_int_equal(hd_strlist_add(&digest.cfg.trusted_registries, "registry.example.com"), 0);
	assert_int_equal(hd_strlist_add(&digest.deny_rules, "container/untrusted-registry"), 0);
	assert_int_equal(hd_strlist_add(&digest.deny_rules, "container/image-not-pinned"), 0);
	assert_int_equal(hd_strlist_add(&digest.deny_rules, "container/image-latest"), 0);
	assert_int_equal(hd_authz_policy_prepare(&digest), 0);
	for (i = 0; i < HD_ARRAY_SIZE(cases); i++) {
		const struct hd_authz_policy *ps[] = { &pol, &trusted, &digest };
		const bool want[] = { cases[i].allow_default, cases[i].allow_trusted, cases[i].allow_digest };
		size_t k;

		for (k = 0; k < 3; k++) {
			decide_p(ps[k], "POST", cases[i].uri, NULL, &d);
			if (d.allow != want[k])
				fail_msg("%s under policy %zu: %s", cases[i].uri, k, d.allow ? "allowed" : d.msg);
			if (!d.allow && !strstr(d.msg, "load") && !strstr(d.msg, "would name a local image"))
				fail_msg("%s: %s", cases[i].uri, d.msg);
			hd_authz_decision_release(&d);
		}
	}
	/* The category can be allowed outright (docker load under such a policy). */
	trusted.allow |= 1u << HD_AUTHZ_IMAGE_NAME;
	decide_p(&trusted, "POST", "/v1.41/images/load", NULL, &d);
	assert_true(d.allow);
	assert_int_equal(d.category, HD_AUTHZ_IMAGE_NAME);
	hd_authz_decision_release(&d);
	hd_authz_policy_release(&trusted);
	hd_authz_policy_release(&digest);
}

/* 13: build: the steps' network and cgroup parent are judged. */
static void test_build(void **state)
{
	(void)state;
	expect_allow("POST", "/v1.41/build?t=app:1", NULL);
	expect_deny("POST", "/v1.41/build?t=app:1&networkmode=host", NULL, "container/host-network");
}

/* 20: services: the task's container spec and the plugin it may run. */
static void test_services(void **state)
{
	(void)state;
	expect_deny("POST", "/v1.41/services/create",
		    "{\"Name\":\"s\",\"TaskTemplate\":{\"ContainerSpec\":{\"Image\":\"busybox\","
		    "\"Mounts\":[{\"Type\":\"bind\",\"Source\":\"/var/run/docker.sock\",\"Target\":\"/s\"}]}}}",
		    "container/docker-socket-mount");
	expect_deny("POST", "/v1.41/services/create",
		    "{\"Name\":\"s\",\"TaskTemplate\":{\"ContainerSpec\":{\"Image\":\"busybox\","
		    "\"CapabilityAdd\":[\"CAP_SYS_ADMIN\"]}}}", "container/dangerous-capability");
	expect_deny("POST", "/v1.41/services/abc/update?version=2",
		    "{\"name\":\"s\",\"tasktemplate\":{\"containerspec\":{\"image\":\"busybox\","
		    "\"mounts\":[{\"type\":\"volume\",\"source\":\"r\",\"target\":\"/h\",\"volumeoptions\":"
		    "{\"driverconfig\":{\"name\":\"local\",\"options\":{\"type\":\"none\",\"o\":\"bind\","
		    "\"device\":\"/\"}}}}]}}}", "container/sensitive-host-mount");
	expect_deny("POST", "/v1.41/services/create",
		    "{\"Name\":\"s\",\"TaskTemplate\":{\"ContainerSpec\":{\"Image\":\"busybox\"},"
		    "\"Networks\":[{\"Target\":\"host\"}]}}", "container/host-network");
	expect_deny("POST", "/v1.41/services/create",
		    "{\"Name\":\"s\",\"TaskTemplate\":{\"ContainerSpec\":{\"Image\":\"busybox\","
		    "\"Privileges\":{\"Seccomp\":{\"Mode\":\"unconfined\"}}}}}", "container/seccomp-unconfined");
	expect_deny("POST", "/v1.41/services/create",
		    "{\"Name\":\"p\",\"TaskTemplate\":{\"Runtime\":\"plugin\",\"PluginSpec\":{\"Remote\":"
		    "\"x/y:1\",\"Privileges\":[{\"Name\":\"mount\",\"Value\":[\"/\"]}]}}}",
		    "container/sensitive-host-mount");
	expect_deny("POST", "/v1.41/services/create", "{\"TaskTemplate\":{\"ContainerSpec\":{\"Image\":1}}}", NULL);
	expect_deny("POST", "/v1.41/services/create", NULL, NULL);
	expect_allow("POST", "/v1.41/services/create",
		     "{\"Name\":\"web\",\"TaskTemplate\":{\"ContainerSpec\":{\"Image\":\"nginx:1.27\","
		     "\"User\":\"101\",\"ReadOnly\":true},\"Resources\":{\"Limits\":{\"MemoryBytes\":268435456,"
		     "\"Pids\":100}}},\"EndpointSpec\":{\"Ports\":[{\"TargetPort\":80,\"PublishedPort\":8080}]}}");
}

/* 21: volumes, plugins and updates. */
static void test_volumes_plugins_updates(void **state)
{
	(void)state;
	expect_deny("POST", "/v1.41/volumes/create",
		    "{\"Name\":\"v\",\"Driver\":\"local\",\"DriverOpts\":{\"type\":\"none\",\"o\":\"bind\","
		    "\"device\":\"/\"}}", "container/sensitive-host-mount");
	expect_deny("POST", "/v1.41/volumes/create",
		    "{\"Name\":\"v\",\"DriverOpts\":{\"type\":\"none\",\"o\":\"rbind,ro\",\"device\":\"/var/run\"}}",
		    "container/docker-socket-mount");
	expect_allow("POST", "/v1.41/volumes/create", "{\"Name\":\"data\"}");
	expect_allow("POST", "/v1.41/volumes/create",
		     "{\"Name\":\"v\",\"DriverOpts\":{\"type\":\"none\",\"o\":\"bind\",\"device\":\"/srv/data\"}}");
	expect_allow("POST", "/v1.41/volumes/create",
		     "{\"Name\":\"n\",\"DriverOpts\":{\"type\":\"nfs\",\"o\":\"addr=10.0.0.1\",\"device\":\":/export\"}}");

	expect_deny("POST", "/v1.41/plugins/pull?remote=vieux/sshfs:1&name=s",
		    "[{\"Name\":\"capabilities\",\"Value\":[\"CAP_SYS_ADMIN\"]}]", "container/dangerous-capability");
	expect_deny("POST", "/v1.41/plugins/pull?remote=vieux/sshfs:1",
		    "[{\"name\":\"host pid namespace\",\"value\":[\"true\"]}]", "container/host-pid");
	expect_deny("POST", "/v1.41/plugins/vieux/sshfs:1/upgrade?remote=vieux/sshfs:2",
		    "[{\"Name\":\"device\",\"Value\":[\"/dev/sda\"]}]", "container/host-device");
	expect_allow("POST", "/v1.41/plugins/pull?remote=vieux/sshfs:1", "[]");
	expect_allow("POST", "/v1.41/plugins/pull?remote=vieux/sshfs:1",
		     "[{\"Name\":\"network\",\"Value\":[\"bridge\"]}]");
	expect_deny("POST", "/v1.41/plugins/pull?remote=vieux/sshfs:1", NULL, NULL);

	expect_deny("POST", "/v1.41/plugins/sshfs/set", "[\"mnt.source=/\"]", "container/sensitive-host-mount");
	expect_deny("POST", "/v1.41/plugins/sshfs/set", "[\"dev.path=/dev/mem\"]", "container/host-device");
	expect_allow("POST", "/v1.41/plugins/sshfs/set", "[\"DEBUG=1\"]");

	expect_deny("POST", "/v1.41/containers/x/update", "{\"OomKillDisable\":true,\"Memory\":0}",
		    "container/oom-kill-disabled");
	expect_allow("POST", "/v1.41/containers/x/update", "{\"Memory\":134217728,\"MemorySwap\":-1}");
	expect_deny("POST", "/v1.41/containers/x/update", NULL, NULL);

	/*
	 * From API 1.40 an update's PidsLimit of 0 or below removes the limit
	 * (in a create body 0 means "not set"); a partial request answers for it.
	 */
	{
		static const struct {
			const char *uri, *body;
			bool allow;
		} upd[] = {
			{ "/v1.41/containers/x/update", "{\"PidsLimit\":0}", false },
			{ "/containers/x/update", "{\"pidslimit\":-7}", false },
			{ "/v1.41/containers/x/update", "{\"PidsLimit\":100,\"PIDSLIMIT\":0}", false },
			{ "/v1.41/containers/x/update", "{\"PidsLimit\":null}", true },
			{ "/v1.41/containers/x/update", "{\"PidsLimit\":100}", true },
			{ "/v1.41/containers/x/update", "{\"CpuShares\":512}", true },
			/* Below 1.40 dockerd ignores PidsLimit in an update. */
			{ "/v1.39/containers/x/update", "{\"PidsLimit\":0}", true },
			{ "/v1.41/containers/x/update", "{\"RestartPolicy\":{\"Name\":\"always\"}}", false },
		};
		struct hd_authz_policy p;
		struct hd_authz_decision d;
		size_t i;

		hd_authz_policy_init(&p);
		assert_int_equal(hd_strlist_add(&p.deny_rules, "container/no-pids-limit"), 0);
		assert_int_equal(hd_strlist_add(&p.deny_rules, "container/restart-policy"), 0);
		assert_int_equal(hd_authz_policy_prepare(&p), 0);
		for (i = 0; i < HD_ARRAY_SIZE(upd); i++) {
			decide_p(&p, "POST", upd[i].uri, upd[i].body, &d);
			if (d.allow != upd[i].allow)
				fail_msg("update %zu %s: %s", i, upd[i].body, d.allow ? "allowed" : d.msg);
			hd_authz_decision_release(&d);
		}
		hd_authz_policy_release(&p);
	}
}

/* ---- the policy ----------------------------------------------------------------------------- */

/* 14: deny_at, enforced rules, allowed categories and per-user exceptions. */
static void test_policy_knobs(void **state)
{
	static const char bare[] = "{\"Image\":\"busybox\"}";
	static const char priv[] = "{\"Image\":\"busybox\",\"HostConfig\":{\"Privileged\":true}}";
	struct hd_authz_policy p;
	struct hd_authz_decision d;
	char *req;

	(void)state;
	hd_authz_policy_init(&p);
	p.deny_at = HD_SEV_MEDIUM;
	assert_int_equal(hd_authz_policy_prepare(&p), 0);
	decide_p(&p, "POST", "/v1.41/containers/create", bare, &d);
	assert_false(d.allow);
	assert_non_null(strstr(d.rule_ids, "container/no-memory-limit"));
	assert_null(strstr(d.rule_ids, "container/read-only-rootfs")); /* low */
	hd_authz_decision_release(&d);
	p.deny_at = HD_SEV_NONE;
	decide_p(&p, "POST", "/v1.41/containers/create", priv, &d);
	assert_true(d.allow);
	hd_authz_decision_release(&d);
	/* An enforced rule denies whatever its severity. */
	assert_int_equal(hd_strlist_add(&p.deny_rules, "container/read-only-rootfs"), 0);
	decide_p(&p, "POST", "/v1.41/containers/create", bare, &d);
	assert_false(d.allow);
	assert_string_equal(d.rule_ids, "container/read-only-rootfs");
	hd_authz_decision_release(&d);
	hd_authz_policy_release(&p);

	/* Re-graded: privileged as low no longer denies at high. */
	hd_authz_policy_init(&p);
	assert_int_equal(hd_config_set_override(&p.cfg, "container/privileged", HD_SEV_LOW), 0);
	assert_int_equal(hd_authz_policy_prepare(&p), 0);
	decide_p(&p, "POST", "/v1.41/containers/create", priv, &d);
	assert_true(d.allow);
	hd_authz_decision_release(&d);
	hd_authz_policy_release(&p);

	/* Exceptions are per User; allowed categories for everyone or one user. */
	hd_authz_policy_init(&p);
	assert_non_null(p.exceptions = hd_calloc(1, sizeof(*p.exceptions)));
	p.n_exceptions = p.alloc_exceptions = 1;
	assert_non_null(p.exceptions[0].user = hd_strdup("ci"));
	assert_int_equal(hd_strlist_add(&p.exceptions[0].rules, "container/privileged"), 0);
	p.exceptions[0].allow = 1u << HD_AUTHZ_PLUGIN_CREATE;
	assert_int_equal(hd_authz_policy_prepare(&p), 0);
	req = request("ci", "POST", "/containers/create", json_hdrs, priv);
	assert_int_equal(hd_authz_decide(&p, req, strlen(req), &d), 0);
	assert_true(d.allow);
	assert_string_equal(d.user, "ci");
	hd_authz_decision_release(&d);
	hd_free(req);
	req = request("ci", "POST", "/plugins/create", json_hdrs, NULL);
	assert_int_equal(hd_authz_decide(&p, req, strlen(req), &d), 0);
	assert_true(d.allow);
	hd_authz_decision_release(&d);
	hd_free(req);
	decide_p(&p, "POST", "/containers/create", priv, &d); /* alice */
	assert_false(d.allow);
	hd_authz_decision_release(&d);
	p.allow = 1u << HD_AUTHZ_SWARM_JOIN;
	decide_p(&p, "POST", "/swarm/join", NULL, &d);
	assert_true(d.allow);
	hd_authz_decision_release(&d);
	hd_authz_policy_release(&p);
}

static char tmpdir[64];

static char *write_policy(const char *name, const char *text, mode_t mode)
{
	char *path = hd_asprintf("%s/%s", tmpdir, name);
	int fd;

	assert_non_null(path);
	fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0600);
	assert_true(fd >= 0);
	assert_int_equal(write(fd, text, strlen(text)), (ssize_t)strlen(text));
	close(fd);
	assert_int_equal(chmod(path, mode), 0);
	return path;
}

/* 15: the policy file: its settings, its ownership rule, and messages that name line and column. */
static void test_policy_file(void **state)
{
	struct hd_authz_policy p;
	struct hd_diag diag = { 0 };
	char *path;

	(void)state;
	if (geteuid() != 0)
		fail_msg("this test needs root to own its policy files");
	snprintf(tmpdir, sizeof(tmpdir), "/tmp/hd-policy-XXXXXX");
	assert_non_null(mkdtemp(tmpdir));
	path = write_policy("ok.yml",
			    "deny-at: critical\n"
			    "ignored: [container/no-healthcheck]\n"
			    "severity-overrides: {container/host-pid: critical}\n"
			    "trusted-registries: [registry.example.com]\n"
			    "require-digest: true\n"
			    "allowed-images: ['registry.example.com/*']\n"
			    "allowed-mount-prefixes: [/srv]\n"
			    "engine-sockets: [/srv/engine.sock]\n"
			    "allow: [swarm-join]\n"
			    "exceptions:\n"
			    "  - user: ci\n"
			    "    rules: ['*']\n"
			    "    allow: [plugin-create]\n", 0644);
	hd_authz_policy_init(&p);
	assert_int_equal(hd_authz_policy_load(&p, path, &diag), 0);
	assert_int_equal(p.deny_at, HD_SEV_CRITICAL);
	assert_true(hd_strlist_has(&p.deny_rules, "container/image-not-pinned"));
	assert_true(hd_strlist_has(&p.deny_rules, "container/image-latest"));
	assert_true(hd_strlist_has(&p.deny_rules, "container/untrusted-registry"));
	assert_true(hd_strlist_has(&p.deny_rules, "container/image-not-allowed"));
	assert_true(hd_strlist_has(&p.deny_rules, "container/host-path-not-allowed"));
	assert_true(hd_strlist_has(&p.cfg.engine_sockets, "/srv/engine.sock"));
	assert_true(p.allow & (1u << HD_AUTHZ_SWARM_JOIN));
	assert_int_equal(p.n_exceptions, 1);
	assert_string_equal(p.exceptions[0].user, "ci");
	assert_true(p.exceptions[0].allow & (1u << HD_AUTHZ_PLUGIN_CREATE));
	{
		struct hd_authz_decision d;

		assert_int_equal(hd_authz_policy_prepare(&p), 0);
		decide_p(&p, "POST", "/containers/create",
			 "{\"Image\":\"registry.example.com/a@sha256:0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef\","
			 "\"HostConfig\":{\"Binds\":[\"/etc/x:/x:ro\"]}}", &d);
		assert_false(d.allow);
		assert_string_equal(d.rule_ids, "container/host-path-not-allowed");
		hd_authz_decision_release(&d);
		decide_p(&p, "POST", "/containers/create",
			 "{\"Image\":\"docker.io/library/busybox@sha256:0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef\"}", &d);
		assert_false(d.allow);
		assert_non_null(strstr(d.rule_ids, "container/image-not-allowed"));
		hd_authz_decision_release(&d);
	}
	hd_authz_policy_release(&p);
	unlink(path);
	hd_free(path);

	/* Disabled rules never run: privileged is then not judged at all. */
	path = write_policy("ign.yml", "ignored: [container/privileged]\n", 0600);
	hd_authz_policy_init(&p);
	assert_int_equal(hd_authz_policy_load(&p, path, &diag), 0);
	assert_int_equal(hd_authz_policy_prepare(&p), 0);
	{
		struct hd_authz_decision d;

		decide_p(&p, "POST", "/containers/create", "{\"Image\":\"x\",\"HostConfig\":{\"Privileged\":true}}", &d);
		assert_true(d.allow);
		hd_authz_decision_release(&d);
		decide_p(&p, "POST", "/containers/create", "{\"Image\":\"x\",\"HostConfig\":{\"PidMode\":\"host\"}}", &d);
		assert_false(d.allow);
		assert_string_equal(d.rule_ids, "container/host-pid");
		hd_authz_decision_release(&d);
	}
	hd_authz_policy_release(&p);
	unlink(path);
	hd_free(path);

	/* Writable by the group or others, or not owned by root: refused before it is read. */
	path = write_policy("ow.yml", "deny-at: none\n", 0646);
	hd_authz_policy_init(&p);
	assert_int_equal(hd_authz_policy_load(&p, path, &diag), -HD_EACCES);
	hd_diag_release(&diag);
	assert_int_equal(p.deny_at, HD_SEV_HIGH);
	hd_authz_policy_release(&p);
	unlink(path);
	hd_free(path);
	path = write_policy("gw.yml", "deny-at: none\n", 0664);
	hd_authz_policy_init(&p);
	assert_int_equal(hd_authz_policy_load(&p, path, &diag), -HD_EACCES);
	assert_non_null(strstr(diag.msg, "owned by root"));
	hd_diag_release(&diag);
	hd_authz_policy_release(&p);
	assert_int_equal(chmod(path, 0644), 0);
	assert_int_equal(chown(path, 1, 1), 0);
	hd_authz_policy_init(&p);
	assert_int_equal(hd_authz_policy_load(&p, path, &diag), -HD_EACCES);
	hd_diag_release(&diag);
	assert_int_equal(p.deny_at, HD_SEV_HIGH);
	hd_authz_policy_release(&p);
	unlink(path);
	hd_free(path);

	/* Content errors name line and column. */
	{
		static const struct {
			const char *text, *want;
			unsigned line;
		} bad[] = {
			{ "deny-at: high\nfrobnicate: 1\n", "unknown policy setting 'frobnicate'", 2 },
			{ "deny-at: severe\n", "'deny-at' expects", 1 },
			{ "deny-rules: [container/nope]\n", "unknown rule 'container/nope'", 1 },
			{ "allow: [everything]\n", "unknown endpoint category", 1 },
			{ "exceptions:\n  - rules: ['*']\n", "needs a 'user'", 2 },
			{ "require-digest: maybe\n", "true or false", 1 },
		};
		size_t i;

		for (i = 0; i < HD_ARRAY_SIZE(bad); i++) {
			path = write_policy("bad.yml", bad[i].text, 0600);
			hd_authz_policy_init(&p);
			assert_true(hd_authz_policy_load(&p, path, &diag) < 0);
			if (!diag.msg || !strstr(diag.msg, bad[i].want) || diag.line != bad[i].line)
				fail_msg("%zu: '%s' at line %u", i, diag.msg ? diag.msg : "(none)", diag.line);
			hd_diag_release(&diag);
			hd_authz_policy_release(&p);
			unlink(path);
			hd_free(path);
		}
	}
	hd_authz_policy_init(&p);
	assert_int_equal(hd_authz_policy_load(&p, "/nonexistent/policy.yml", &diag), -HD_ENOENT);
	hd_diag_release(&diag);
	hd_authz_policy_release(&p);
	rmdir(tmpdir);
}

/* 16: the decision log: one JSON line with user, method, endpoint, decision and rules. */
static void test_log_line(void **state)
{
	struct hd_authz_decision d;
	struct hd_buf b = HD_BUF_INIT(1u << 16);

	(void)state;
	decide("POST", "/v1.41/containers/create?name=\\\"q\\\"",
	       "{\"Image\":\"busybox\",\"HostConfig\":{\"Privileged\":true,\"PidMode\":\"host\"}}", &d);
	assert_int_equal(hd_authz_log_line(&d, 0, &b), 0);
	assert_non_null(strstr(b.buf, "{\"time\":\"1970-01-01T00:00:00Z\",\"user\":\"alice\",\"method\":\"POST\","
				      "\"uri\":\"/v1.41/containers/create?name=\\\"q\\\"\","
				      "\"endpoint\":\"container-create\",\"decision\":\"deny\","
				      "\"rules\":[\"container/host-pid\",\"container/privileged\"],\"reason\":\""));
	assert_int_equal(b.buf[b.len - 1], '\n');
	assert_null(memchr(b.buf, '\n', b.len - 1));
	hd_authz_decision_release(&d);
	hd_buf_release(&b);
}

/* 17: the recorded requests of tests/authz/req decide as their names say. */
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
		assert_int_equal(hd_authz_decide(&pol, b.buf, b.len, &d), 0);
		if (d.allow != cases[i].allow)
			fail_msg("%s: %s: %s", cases[i].file, d.allow ? "allowed" : "denied", d.msg);
		hd_authz_decision_release(&d);
	}
	hd_buf_release(&b);
}

/* 19: issue 9's bypasses through how the body is read are denied as dockerd would obey them. */
static void test_body_read_as_dockerd(void **state)
{
	static const struct {
		const char *uri, *body, *rule;
	} cases[] = {
		{ "/v1.41/containers/create",
		  "{\"Image\":\"x\",\"hostconfig\":{\"binds\":[\"/:/host\"],\"capadd\":[\"SYS_ADMIN\"],\"pidmode\":\"host\"}}",
		  "container/host-pid" },
		{ "/v1.41/containers/create",
		  "{\"Image\":\"x\",\"hostconfig\":{\"binds\":[\"/:/host\"]}}", "container/sensitive-host-mount" },
		{ "/v1.41/containers/create",
		  "{\"Image\":\"x\",\"hostconfig\":{\"capadd\":[\"cap_sys_admin\"]}}", "container/dangerous-capability" },
		{ "/v1.41/containers/create",
		  "{\"Image\":\"x\",\"HostConfig\":{\"CapAdd\":[\"Sys_Admin\"]}}", "container/dangerous-capability" },
		{ "/v1.41/containers/create",
		  "{\"Image\":\"x\",\"HostConfig\":{\"CapAdd\":[\"CAP_sys_ptrace\"]}}", "container/dangerous-capability" },
		{ "/v1.41/containers/create",
		  "{\"Image\":\"x\",\"HostConfig\":{\"CapAdd\":\"cAp_NeT_aDmIn\"}}", "container/dangerous-capability" },
		{ "/v1.41/containers/create",
		  "{\"Image\":\"x\",\"HostConfig\":{\"CapAdd\":[\"all\"]}}", "container/dangerous-capability" },
		{ "/v1.41/containers/create", "{\"Image\":\"x\",\"HostConfig\":{\"privileged\":true}}",
		  "container/privileged" },
		{ "/v1.41/containers/create",
		  "{\"Image\":\"x\",\"HostConfig\":{\"Privileged\":false,\"pRIVILEGED\":true}}", "container/privileged" },
		{ "/v1.41/containers/create", "{\"Image\":\"x\",\"Privileged\":true}", "container/privileged" },
		{ "/v1.41/containers/create",
		  "{\"Image\":\"x\",\"HostConfig\":{\"Mounts\":[{\"Type\":\"volume\",\"Source\":\"v\",\"Target\":\"/x\","
		  "\"VolumeOptions\":{\"DriverConfig\":{\"Name\":\"local\",\"Options\":{\"type\":\"none\",\"o\":\"bind\","
		  "\"device\":\"/\"}}}}]}}",
		  "container/sensitive-host-mount" },
		{ "/v1.41/containers/abc/exec", "{\"Cmd\":[\"sh\"],\"privileged\":true}", "engine/exec-privileged" },
	};
	struct hd_authz_decision d;
	size_t i;

	(void)state;
	for (i = 0; i < HD_ARRAY_SIZE(cases); i++) {
		decide("POST", cases[i].uri, cases[i].body, &d);
		if (d.allow || !strstr(d.rule_ids, cases[i].rule))
			fail_msg("case %zu: %s (%s): %s", i, d.allow ? "allowed" : "denied", d.rule_ids, d.msg);
		hd_authz_decision_release(&d);
	}
	/* With a HostConfig, a top-level Privileged is not dockerd's: hardened otherwise, allowed. */
	decide("POST", "/v1.41/containers/create",
	       "{\"Image\":\"registry.example.com/app@sha256:0123456789abcdef0123456789abcdef0123456789abcdef"
	       "0123456789abcdef\",\"User\":\"1000:1000\",\"Privileged\":true,\"HostConfig\":{\"ReadonlyRootfs\":true,"
	       "\"CapDrop\":[\"ALL\"],\"SecurityOpt\":[\"no-new-privileges:true\"],\"Memory\":268435456,"
	       "\"NanoCpus\":500000000,\"PidsLimit\":100,\"CpuShares\":512,"
	       "\"RestartPolicy\":{\"Name\":\"on-failure\",\"MaximumRetryCount\":5}}}",
	       &d);
	if (!d.allow)
		fail_msg("denied: %s", d.msg);
	hd_authz_decision_release(&d);
}

/* 18: every failed allocation gives a deny (or -HD_ENOMEM), never an allow. */
static void test_alloc_failures_deny(void **state)
{
	static const char *const bodies[] = {
		"{\"Image\":\"busybox\",\"HostConfig\":{\"Privileged\":true,\"Binds\":[\"/:/host\"]}}",
		"{\"Cmd\":[\"sh\"],\"privileged\":true}",
	};
	static const char *const uris[] = { "/v1.41/containers/create", "/v1.41/containers/x/exec" };
	size_t k;

	(void)state;
	for (k = 0; k < HD_ARRAY_SIZE(bodies); k++) {
		char *req = request("", "POST", uris[k], json_hdrs, bodies[k]);
		unsigned long n;

		for (n = 1; n < 5000; n++) {
			struct hd_authz_decision d;
			int r;

			hd_alloc_fail_at(n);
			r = hd_authz_decide(&pol, req, strlen(req), &d);
			hd_alloc_fail_at(0);
			if (r == 0) {
				bool allow = d.allow, fired = *d.rule_ids != '\0';

				hd_authz_decision_release(&d);
				assert_false(allow);
				if (fired && n > 200)
					break;
			} else {
				assert_int_equal(r, -HD_ENOMEM);
			}
		}
		assert_true(n < 5000);
		hd_free(req);
	}
}

/* 19: base64 as dockerd's encoder writes it. */
static void test_base64(void **state)
{
	char *out;
	size_t n;

	(void)state;
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

static int setup(void **state)
{
	(void)state;
	hd_authz_policy_init(&pol);
	return hd_authz_policy_prepare(&pol);
}

static int teardown(void **state)
{
	(void)state;
	hd_authz_policy_release(&pol);
	return 0;
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_every_route_reachable),
		cmocka_unit_test(test_routing_like_dockerd),
		cmocka_unit_test(test_route_parts),
		cmocka_unit_test(test_versions_and_queries),
		cmocka_unit_test(test_privileged_create_denied),
		cmocka_unit_test(test_socket_mounts),
		cmocka_unit_test(test_hardened_create_allowed),
		cmocka_unit_test(test_garbage_denied),
		cmocka_unit_test(test_categories),
		cmocka_unit_test(test_exec),
		cmocka_unit_test(test_old_api_start),
		cmocka_unit_test(test_pull_and_trust),
		cmocka_unit_test(test_build),
		cmocka_unit_test(test_image_names),
		cmocka_unit_test(test_services),
		cmocka_unit_test(test_volumes_plugins_updates),
		cmocka_unit_test(test_policy_knobs),
		cmocka_unit_test(test_policy_file),
		cmocka_unit_test(test_log_line),
		cmocka_unit_test(test_recorded),
		cmocka_unit_test(test_body_read_as_dockerd),
		cmocka_unit_test(test_alloc_failures_deny),
		cmocka_unit_test(test_base64),
	};

	return cmocka_run_group_tests_name("authz", tests, setup, teardown);
}
