/*
 * Unit tests for engine/endpoint.c: host strings, the docker CLI's order of
 * --host, DOCKER_HOST, --context, DOCKER_CONTEXT and currentContext, the
 * context store (meta.json under the sha256 of the name, TLS files beside),
 * DOCKER_CONFIG, TLS from flags and DOCKER_TLS_VERIFY/DOCKER_CERT_PATH, and
 * the errors for conflicting or unsupported choices.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <cmocka.h>

#include "core/common.h"
#include "engine/endpoint.h"

#include <sys/stat.h>
#include <unistd.h>

static char tmp[64];

/* A fake environment: NAME=VALUE pairs, NULL-terminated. */
struct env {
	const char *kv[16];
};

static const char *fake_getenv(const char *name, void *ctx)
{
	const struct env *e = ctx;
	size_t n = strlen(name);

	for (size_t i = 0; e->kv[i]; i++) {
		if (strncmp(e->kv[i], name, n) == 0 && e->kv[i][n] == '=')
			return e->kv[i] + n + 1;
	}
	return NULL;
}

static void mkdirs(const char *path)
{
	char buf[512];

	assert_true((size_t)snprintf(buf, sizeof(buf), "mkdir -p '%s'", path) < sizeof(buf));
	assert_int_equal(system(buf), 0);
}

static void write_file(const char *path, const char *text)
{
	FILE *fp = fopen(path, "w");

	assert_non_null(fp);
	fputs(text, fp);
	fclose(fp);
}


static void context_dir(const char *name, char *out, size_t n, const char *kind)
{
	char cmd[512];
	FILE *p;
	char hex[80] = "";

	snprintf(cmd, sizeof(cmd), "printf %%s '%s' | sha256sum | cut -d' ' -f1", name);
	p = popen(cmd, "r");
	assert_non_null(p);
	assert_non_null(fgets(hex, sizeof(hex), p));
	pclose(p);
	hex[strcspn(hex, "\n")] = '\0';
	assert_int_equal(strlen(hex), 64);
	snprintf(out, n, "%s/cfg/contexts/%s/%s", tmp, kind, hex);
}

static int setup(void **state)
{
	char dir[512], path[600];

	(void)state;
	snprintf(tmp, sizeof(tmp), "/tmp/hd-endpoint-XXXXXX");
	if (!mkdtemp(tmp))
		return -1;
	/* Context "remote": TCP with TLS files; "plain": TCP without; "skip": SkipTLSVerify. */
	context_dir("remote", dir, sizeof(dir), "meta");
	mkdirs(dir);
	snprintf(path, sizeof(path), "%s/meta.json", dir);
	write_file(path, "{\"Name\":\"remote\",\"Metadata\":{},\"Endpoints\":{\"docker\":"
			 "{\"Host\":\"tcp://docker.example.com:2376\",\"SkipTLSVerify\":false}}}");
	context_dir("remote", dir, sizeof(dir), "tls");
	snprintf(path, sizeof(path), "%s/docker", dir);
	mkdirs(path);
	snprintf(path, sizeof(path), "%s/docker/ca.pem", dir);
	write_file(path, "ca");
	snprintf(path, sizeof(path), "%s/docker/cert.pem", dir);
	write_file(path, "cert");
	snprintf(path, sizeof(path), "%s/docker/key.pem", dir);
	write_file(path, "key");
	context_dir("plain", dir, sizeof(dir), "meta");
	mkdirs(dir);
	snprintf(path, sizeof(path), "%s/meta.json", dir);
	write_file(path, "{\"Name\":\"plain\",\"Endpoints\":{\"docker\":{\"Host\":\"tcp://10.0.0.9\"}}}");
	context_dir("skip", dir, sizeof(dir), "meta");
	mkdirs(dir);
	snprintf(path, sizeof(path), "%s/meta.json", dir);
	write_file(path, "{\"Name\":\"skip\",\"Endpoints\":{\"docker\":{\"Host\":\"tcp://[::1]:9999\","
			 "\"SkipTLSVerify\":true}}}");
	context_dir("local-sock", dir, sizeof(dir), "meta");
	mkdirs(dir);
	snprintf(path, sizeof(path), "%s/meta.json", dir);
	write_file(path, "{\"Name\":\"local-sock\",\"Endpoints\":{\"docker\":{\"Host\":\"unix:///run/user/1000/docker.sock\"}}}");
	context_dir("broken", dir, sizeof(dir), "meta");
	mkdirs(dir);
	snprintf(path, sizeof(path), "%s/meta.json", dir);
	write_file(path, "{\"Name\":\"broken\",\"Endpoints\":{}}");
	context_dir("sshctx", dir, sizeof(dir), "meta");
	mkdirs(dir);
	snprintf(path, sizeof(path), "%s/meta.json", dir);
	write_file(path, "{\"Name\":\"sshctx\",\"Endpoints\":{\"docker\":{\"Host\":\"ssh://me@host\"}}}");
	/* A config.json naming a current context, in its own dir. */
	snprintf(path, sizeof(path), "%s/cfg/config.json", tmp);
	write_file(path, "{\"auths\":{},\"currentContext\":\"plain\"}");
	/* Certificates for the default context. */
	snprintf(path, sizeof(path), "%s/certs", tmp);
	mkdirs(path);
	snprintf(path, sizeof(path), "%s/certs/ca.pem", tmp);
	write_file(path, "ca");
	snprintf(path, sizeof(path), "%s/certs/cert.pem", tmp);
	write_file(path, "cert");
	snprintf(path, sizeof(path), "%s/certs/key.pem", tmp);
	write_file(path, "key");
	/* A home without .docker. */
	snprintf(path, sizeof(path), "%s/home", tmp);
	mkdirs(path);
	return 0;
}

static int teardown(void **state)
{
	char cmd[128];

	(void)state;
	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", tmp);
	return system(cmd) == 0 ? 0 : -1;
}

/* Resolves with opts o (getenv set to env e); returns the error code. */
static int resolve(struct hd_engine_opts *o, struct env *e, struct hd_engine_endpoint *ep,
		   struct hd_diag *d)
{
	o->getenv = fake_getenv;
	o->getenv_ctx = e;
	memset(ep, 0, sizeof(*ep));
	return hd_engine_endpoint_resolve(o, ep, d);
}

static void test_parse_host(void **state)
{
	struct hd_engine_endpoint ep;

	(void)state;
	memset(&ep, 0, sizeof(ep));
	assert_int_equal(hd_engine_parse_host("unix:///var/run/docker.sock", false, &ep), 0);
	assert_int_equal(ep.transport, HD_TRANSPORT_UNIX);
	assert_string_equal(ep.socket_path, "/var/run/docker.sock");
	assert_string_equal(ep.base_url, "http://localhost");
	assert_true(ep.local);
	hd_engine_endpoint_release(&ep);

	assert_int_equal(hd_engine_parse_host("unix://", false, &ep), 0);
	assert_string_equal(ep.socket_path, "/var/run/docker.sock");
	hd_engine_endpoint_release(&ep);

	assert_int_equal(hd_engine_parse_host("tcp://10.1.2.3", false, &ep), 0);
	assert_string_equal(ep.host, "tcp://10.1.2.3:2375");
	assert_string_equal(ep.base_url, "http://10.1.2.3:2375");
	assert_false(ep.local);
	hd_engine_endpoint_release(&ep);

	assert_int_equal(hd_engine_parse_host("tcp://h.example:2376/prefix", true, &ep), 0);
	assert_string_equal(ep.base_url, "https://h.example:2376/prefix");
	assert_string_equal(ep.hostname, "h.example");
	hd_engine_endpoint_release(&ep);

	assert_int_equal(hd_engine_parse_host("tcp://[::1]:2376", true, &ep), 0);
	assert_string_equal(ep.hostname, "::1");
	assert_string_equal(ep.base_url, "https://[::1]:2376");
	assert_true(ep.local);
	hd_engine_endpoint_release(&ep);

	assert_int_equal(hd_engine_parse_host("tcp://127.0.0.1:2375", false, &ep), 0);
	assert_true(ep.local);
	hd_engine_endpoint_release(&ep);

	assert_int_equal(hd_engine_parse_host("https://h:443", false, &ep), 0);
	assert_true(ep.tls);
	hd_engine_endpoint_release(&ep);

	assert_int_equal(hd_engine_parse_host("unix://relative.sock", false, &ep), -HD_EINVAL);
	hd_engine_endpoint_release(&ep);
	assert_int_equal(hd_engine_parse_host("tcp://h:99999", false, &ep), -HD_EINVAL);
	hd_engine_endpoint_release(&ep);
	assert_int_equal(hd_engine_parse_host("tcp://h:0", false, &ep), -HD_EINVAL);
	hd_engine_endpoint_release(&ep);
	assert_int_equal(hd_engine_parse_host("tcp://user@h:1", false, &ep), -HD_EINVAL);
	hd_engine_endpoint_release(&ep);
	assert_int_equal(hd_engine_parse_host("h:2375", false, &ep), -HD_EINVAL);
	hd_engine_endpoint_release(&ep);
	assert_int_equal(hd_engine_parse_host("tcp://[::1", false, &ep), -HD_EINVAL);
	hd_engine_endpoint_release(&ep);
}

static void test_default(void **state)
{
	struct hd_engine_opts o;
	struct hd_engine_endpoint ep;
	struct hd_diag d = { 0 };
	char home[128];
	struct env e = { { NULL } };

	(void)state;
	snprintf(home, sizeof(home), "HOME=%s/home", tmp);
	e.kv[0] = home;
	hd_engine_opts_init(&o);
	assert_int_equal(resolve(&o, &e, &ep, &d), 0);
	assert_string_equal(ep.host, "unix:///var/run/docker.sock");
	assert_string_equal(ep.source, "default");
	assert_null(ep.context);
	hd_engine_endpoint_release(&ep);
}

static void test_host_env_and_flag(void **state)
{
	struct hd_engine_opts o;
	struct hd_engine_endpoint ep;
	struct hd_diag d = { 0 };
	char cfg[128];
	struct env e = { { "DOCKER_HOST=tcp://192.0.2.7:2375", "DOCKER_CONTEXT=remote", NULL } };

	(void)state;
	snprintf(cfg, sizeof(cfg), "DOCKER_CONFIG=%s/cfg", tmp);
	e.kv[2] = cfg;
	hd_engine_opts_init(&o);
	/* DOCKER_HOST wins over DOCKER_CONTEXT and over currentContext, as in the CLI. */
	assert_int_equal(resolve(&o, &e, &ep, &d), 0);
	assert_string_equal(ep.host, "tcp://192.0.2.7:2375");
	assert_string_equal(ep.source, "DOCKER_HOST");
	assert_false(ep.tls);
	hd_engine_endpoint_release(&ep);
	/* --host wins over DOCKER_HOST. */
	o.host = "unix:///tmp/x.sock";
	assert_int_equal(resolve(&o, &e, &ep, &d), 0);
	assert_string_equal(ep.socket_path, "/tmp/x.sock");
	assert_string_equal(ep.source, "--host");
	hd_engine_endpoint_release(&ep);
	/* --host and --context together are refused. */
	o.context = "remote";
	assert_int_equal(resolve(&o, &e, &ep, &d), -HD_EINVAL);
	assert_non_null(strstr(d.msg, "conflicting options"));
	hd_diag_release(&d);
}

static void test_contexts(void **state)
{
	struct hd_engine_opts o;
	struct hd_engine_endpoint ep;
	struct hd_diag d = { 0 };
	char cfg[128];
	struct env e = { { NULL } };

	(void)state;
	snprintf(cfg, sizeof(cfg), "DOCKER_CONFIG=%s/cfg", tmp);
	e.kv[0] = cfg;
	hd_engine_opts_init(&o);
	/* currentContext of config.json. */
	assert_int_equal(resolve(&o, &e, &ep, &d), 0);
	assert_string_equal(ep.context, "plain");
	assert_string_equal(ep.host, "tcp://10.0.0.9:2375");
	assert_false(ep.tls);
	assert_string_equal(ep.source, "context 'plain'");
	hd_engine_endpoint_release(&ep);
	/* DOCKER_CONTEXT wins over currentContext; TLS files of the store are used. */
	e.kv[1] = "DOCKER_CONTEXT=remote";
	assert_int_equal(resolve(&o, &e, &ep, &d), 0);
	assert_string_equal(ep.context, "remote");
	assert_true(ep.tls);
	assert_true(ep.tls_verify);
	assert_non_null(ep.ca);
	assert_true(hd_ends_with(ep.ca, "/docker/ca.pem"));
	assert_true(hd_ends_with(ep.cert, "/docker/cert.pem"));
	assert_true(hd_ends_with(ep.key, "/docker/key.pem"));
	assert_string_equal(ep.base_url, "https://docker.example.com:2376");
	assert_false(ep.local);
	hd_engine_endpoint_release(&ep);
	/* --context wins over DOCKER_CONTEXT. */
	o.context = "skip";
	assert_int_equal(resolve(&o, &e, &ep, &d), 0);
	assert_true(ep.tls);
	assert_false(ep.tls_verify);
	assert_string_equal(ep.hostname, "::1");
	hd_engine_endpoint_release(&ep);
	/* "default" is the default context, even with a currentContext. */
	o.context = "default";
	assert_int_equal(resolve(&o, &e, &ep, &d), 0);
	assert_string_equal(ep.host, "unix:///var/run/docker.sock");
	hd_engine_endpoint_release(&ep);
	o.context = "local-sock";
	assert_int_equal(resolve(&o, &e, &ep, &d), 0);
	assert_string_equal(ep.socket_path, "/run/user/1000/docker.sock");
	assert_null(ep.ca);
	hd_engine_endpoint_release(&ep);
	/* Unknown, broken and ssh contexts are clear errors. */
	o.context = "nope";
	assert_int_equal(resolve(&o, &e, &ep, &d), -HD_EINVAL);
	assert_non_null(strstr(d.msg, "context 'nope' not found"));
	hd_diag_release(&d);
	o.context = "broken";
	assert_int_equal(resolve(&o, &e, &ep, &d), -HD_EPARSE);
	assert_non_null(strstr(d.msg, "no docker endpoint"));
	hd_diag_release(&d);
	o.context = "sshctx";
	assert_int_equal(resolve(&o, &e, &ep, &d), -HD_EINVAL);
	assert_non_null(strstr(d.msg, "ssh:// engines are not supported"));
	hd_diag_release(&d);
	/* --docker-config wins over DOCKER_CONFIG. */
	o.context = NULL;
	e.kv[1] = NULL;
	o.config_dir = "/nonexistent-hd";
	assert_int_equal(resolve(&o, &e, &ep, &d), 0);
	assert_string_equal(ep.host, "unix:///var/run/docker.sock");
	hd_engine_endpoint_release(&ep);
}

static void test_bad_config_json(void **state)
{
	struct hd_engine_opts o;
	struct hd_engine_endpoint ep;
	struct hd_diag d = { 0 };
	char dir[256], path[300];

	(void)state;
	snprintf(dir, sizeof(dir), "%s/badcfg", tmp);
	mkdirs(dir);
	snprintf(path, sizeof(path), "%s/config.json", dir);
	write_file(path, "{\"currentContext\": ");
	hd_engine_opts_init(&o);
	o.config_dir = dir;
	assert_int_equal(resolve(&o, &(struct env){ { NULL } }, &ep, &d), -HD_EPARSE);
	assert_non_null(strstr(d.msg, "cannot parse"));
	assert_int_equal(d.line, 1);
	hd_diag_release(&d);
}

static void test_tls_default_context(void **state)
{
	struct hd_engine_opts o;
	struct hd_engine_endpoint ep;
	struct hd_diag d = { 0 };
	char certs[128];
	struct env e = { { "DOCKER_HOST=tcp://docker.example.com", "DOCKER_TLS_VERIFY=1", NULL } };

	(void)state;
	snprintf(certs, sizeof(certs), "DOCKER_CERT_PATH=%s/certs", tmp);
	e.kv[2] = certs;
	hd_engine_opts_init(&o);
	assert_int_equal(resolve(&o, &e, &ep, &d), 0);
	assert_true(ep.tls);
	assert_true(ep.tls_verify);
	assert_string_equal(ep.host, "tcp://docker.example.com:2376");
	assert_true(hd_ends_with(ep.ca, "/certs/ca.pem"));
	assert_true(hd_ends_with(ep.cert, "/certs/cert.pem"));
	assert_true(hd_ends_with(ep.key, "/certs/key.pem"));
	hd_engine_endpoint_release(&ep);
	/* --tlsverify=false beats DOCKER_TLS_VERIFY; plain --tls keeps TLS without verification. */
	o.tlsverify = 0;
	o.tls = 1;
	assert_int_equal(resolve(&o, &e, &ep, &d), 0);
	assert_true(ep.tls);
	assert_false(ep.tls_verify);
	assert_null(ep.ca);
	assert_non_null(ep.cert);
	hd_engine_endpoint_release(&ep);
	/* No TLS at all: port 2375 and no files. */
	o.tls = 0;
	assert_int_equal(resolve(&o, &e, &ep, &d), 0);
	assert_false(ep.tls);
	assert_string_equal(ep.host, "tcp://docker.example.com:2375");
	assert_null(ep.cert);
	hd_engine_endpoint_release(&ep);
	/* Explicit files; a certificate without its key is refused. */
	o.tlsverify = 1;
	o.tlscacert = "/x/ca.pem";
	o.tlscert = "/x/cert.pem";
	assert_int_equal(resolve(&o, &e, &ep, &d), -HD_EINVAL);
	assert_non_null(strstr(d.msg, "go together"));
	hd_diag_release(&d);
	hd_engine_endpoint_release(&ep);
	o.tlskey = "/x/key.pem";
	assert_int_equal(resolve(&o, &e, &ep, &d), 0);
	assert_string_equal(ep.ca, "/x/ca.pem");
	assert_string_equal(ep.key, "/x/key.pem");
	hd_engine_endpoint_release(&ep);
}

static void test_oom(void **state)
{
	struct hd_engine_opts o;
	struct hd_engine_endpoint ep;
	struct hd_diag d = { 0 };
	char cfg[128];
	struct env e = { { "DOCKER_CONTEXT=remote", NULL } };
	unsigned long n;
	int r;

	(void)state;
	snprintf(cfg, sizeof(cfg), "DOCKER_CONFIG=%s/cfg", tmp);
	e.kv[1] = cfg;
	hd_engine_opts_init(&o);
	/* Fail every allocation in turn: only success or -HD_ENOMEM, never a crash or leak. */
	for (n = 1; n < 200; n++) {
		hd_alloc_fail_at(n);
		r = resolve(&o, &e, &ep, &d);
		hd_alloc_fail_at(0);
		hd_diag_release(&d);
		hd_engine_endpoint_release(&ep);
		if (r == 0)
			break;
		assert_int_equal(r, -HD_ENOMEM);
	}
	assert_true(n < 200);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_parse_host),
		cmocka_unit_test(test_default),
		cmocka_unit_test(test_host_env_and_flag),
		cmocka_unit_test(test_contexts),
		cmocka_unit_test(test_bad_config_json),
		cmocka_unit_test(test_tls_default_context),
		cmocka_unit_test(test_oom),
	};
	return cmocka_run_group_tests(tests, setup, teardown);
}
