/*
 * libFuzzer target for what the authorization plugin reads from the daemon;
 * the first byte (mod 4) picks the entry point:
 *   0: a whole AuthZReq (hd_authz_decide under the default policy, host
 *      facts off), which must always give a decision, and a deny with a
 *      reason whenever it does not allow;
 *   1: a container create body (hd_inspect_create_body), judged by the
 *      container rules as the plugin would;
 *   2: the router: "METHOD\nURI" (hd_authz_route), whose parts must be
 *      consistent (a routed request has a path starting with '/');
 *   3: "KEY\nQUERY\nVERSION" for the query reader and docker's version
 *      comparison (which must be antisymmetric);
 *   4-7: the body of a service spec, a volume create, a plugin's privileges
 *      and a plugin's settings (parse/request_body.h), each judged by the
 *      container rules.
 * Only success or a clean error is acceptable.
 */
#include "core/common.h"
#include "core/config.h"
#include "core/finding.h"
#include "authz/authz.h"
#include "model/container.h"
#include "parse/inspect.h"
#include "parse/request_body.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* The input after the selector as NUL-terminated lines (at most n of them). */
static char *split(const uint8_t *data, size_t size, const char **lines, size_t n)
{
	char *s = hd_malloc(size + 1);
	size_t i, k = 0;

	if (!s)
		return NULL;
	memcpy(s, data, size);
	s[size] = '\0';
	lines[k++] = s;
	for (i = 0; i < size && k < n; i++) {
		if (s[i] == '\n') {
			s[i] = '\0';
			lines[k++] = s + i + 1;
		}
	}
	while (k < n)
		lines[k++] = "";
	return s;
}

static void fuzz_decide(const uint8_t *data, size_t size)
{
	struct hd_authz_policy p;
	struct hd_authz_decision d;

	hd_authz_policy_init(&p);
	p.no_host_facts = true;
	if (hd_authz_policy_prepare(&p) < 0)
		goto out;
	if (hd_authz_decide(&p, (const char *)data, size, &d) == 0) {
		struct hd_buf b = HD_BUF_INIT(1u << 20);

		/* A decision always says why it denies, and is logged as one line. */
		if (!d.allow && (!d.msg || !*d.msg))
			abort();
		if (hd_authz_log_line(&d, 0, &b) == 0 && memchr(b.buf, '\n', b.len) != b.buf + b.len - 1)
			abort();
		hd_buf_release(&b);
		hd_authz_decision_release(&d);
	}
out:
	hd_authz_policy_release(&p);
}

static void fuzz_body(const uint8_t *data, size_t size)
{
	struct hd_config cfg;
	struct hd_container_spec *c = NULL;
	struct hd_diag diag = { 0 };
	struct hd_findings out;
	struct hd_model m = { .kind = HD_TARGET_CONTAINER };

	hd_config_init(&cfg);
	m.cfg = &cfg;
	hd_findings_init(&out);
	if (hd_inspect_create_body((const char *)data, size, NULL, &c, &diag) == 0) {
		m.ctr = c;
		hd_run_rules(&m, &out);
		hd_container_spec_free(c);
	}
	hd_diag_release(&diag);
	hd_findings_release(&out);
	hd_config_release(&cfg);
}

/* Judges a spec a reader gave (as the plugin would) and frees it. */
static void judge(struct hd_container_spec *c)
{
	struct hd_config cfg;
	struct hd_findings out;
	struct hd_model m = { .kind = HD_TARGET_CONTAINER };

	if (!c)
		return;
	hd_config_init(&cfg);
	m.cfg = &cfg;
	m.ctr = c;
	hd_findings_init(&out);
	hd_run_rules(&m, &out);
	hd_findings_release(&out);
	hd_config_release(&cfg);
	hd_container_spec_free(c);
}

static void fuzz_request_body(int which, const uint8_t *data, size_t size)
{
	struct hd_container_spec *c = NULL, *plugin = NULL;
	struct hd_diag diag = { 0 };
	const char *s = (const char *)data;
	int r;

	switch (which) {
	case 0:
		r = hd_request_service(s, size, &c, &plugin, &diag);
		break;
	case 1:
		r = hd_request_volume(s, size, &c, &diag);
		break;
	case 2:
		r = hd_request_plugin_privileges(s, size, "p", &c, &diag);
		break;
	default:
		r = hd_request_plugin_settings(s, size, "p", &c, &diag);
		break;
	}
	/* A refused body says where; an accepted one gives a spec. */
	if (r == -HD_EPROTO && !diag.msg)
		abort();
	if (r == 0 && !c)
		abort();
	judge(c);
	judge(plugin);
	hd_diag_release(&diag);
}

static void fuzz_route(const uint8_t *data, size_t size)
{
	const char *l[2];
	char *s = split(data, size, l, 2);
	struct hd_authz_route rt;
	const char *why;

	if (!s)
		return;
	if (hd_authz_route(l[0], l[1], &rt, &why) == 0) {
		if (rt.cat != HD_AUTHZ_UNROUTED && (!rt.path || rt.path[0] != '/' || !rt.version || !rt.query))
			abort();
		if (rt.cat == HD_AUTHZ_UNROUTED && !why && !rt.path)
			abort();
		hd_authz_route_release(&rt);
	}
	hd_free(s);
}

static void fuzz_query(const uint8_t *data, size_t size)
{
	const char *l[3];
	char *s = split(data, size, l, 3), *v = NULL;

	if (!s)
		return;
	if (hd_authz_query_get(l[1], l[0], &v) == 0)
		hd_free(v);
	if (hd_authz_version_cmp(l[2], "1.24") != -hd_authz_version_cmp("1.24", l[2]))
		abort();
	if (hd_authz_version_cmp(l[2], l[2]) != 0)
		abort();
	hd_free(s);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	if (size < 1)
		return 0;
	switch (data[0] % 8) {
	case 0:
		fuzz_decide(data + 1, size - 1);
		break;
	case 1:
		fuzz_body(data + 1, size - 1);
		break;
	case 2:
		fuzz_route(data + 1, size - 1);
		break;
	case 3:
		fuzz_query(data + 1, size - 1);
		break;
	default:
		fuzz_request_body(data[0] % 8 - 4, data + 1, size - 1);
		break;
	}
	return 0;
}
