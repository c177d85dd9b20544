/*
 * Unit tests for engine/client.c against a canned HTTP server on a unix
 * socket (a thread of this test): API version negotiation from /_ping and
 * /version, versioned URLs, one connection reused for sequential requests,
 * the size cap, timeouts, HTTP errors and answers that are not HTTP, a
 * missing socket and (as root, through a child that drops to nobody) a
 * socket we may not open.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <cmocka.h>

#include "core/common.h"
#include "engine/client.h"

#include <pthread.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <sys/wait.h>
#include <unistd.h>

/* One canned answer: the first whose path prefix matches the request. */
struct canned {
	const char *path;
	const char *raw; /* the whole HTTP answer; NULL = never answer (timeout) */
};

static struct {
	char dir[64];
	char sock[100];
	int fd;
	pthread_t th;
	const struct canned *answers;
	int connections;
	char last_path[256];
	volatile bool stop;
} srv;

static void serve_conn(int c)
{
	char buf[8192];
	size_t len = 0;

	for (;;) {
		ssize_t n = read(c, buf + len, sizeof(buf) - 1 - len);
		char *end, path[256] = "";
		const struct canned *a;

		if (n <= 0)
			return;
		len += (size_t)n;
		buf[len] = '\0';
		end = strstr(buf, "\r\n\r\n");
		if (!end)
			continue;
		sscanf(buf, "GET %255s", path);
		snprintf(srv.last_path, sizeof(srv.last_path), "%s", path);
		for (a = srv.answers; a && a->path; a++) {
			if (hd_starts_with(path, a->path))
				break;
		}
		if (!a || !a->path) {
			static const char nf[] = "HTTP/1.1 404 Not Found\r\nContent-Type: application/json\r\n"
						 "Content-Length: 27\r\n\r\n{\"message\":\"no such thing\"}";
			if (write(c, nf, sizeof(nf) - 1) < 0)
				return;
		} else if (!a->raw) {
			sleep(2);
			return;
		} else if (write(c, a->raw, strlen(a->raw)) < 0)
			return;
		len -= (size_t)(end + 4 - buf);
		memmove(buf, end + 4, len);
		if (a && a->raw && strstr(a->raw, "Connection: close"))
			return;
	}
}

static void *conn_thread(void *arg)
{
	int c = (int)(intptr_t)arg;

	serve_conn(c);
	close(c);
	return NULL;
}

/* One thread per connection: keep-alive connections the client holds open
 * must not keep the others waiting. */
static void *server(void *arg)
{
	(void)arg;
	while (!srv.stop) {
		int c = accept(srv.fd, NULL, NULL);
		pthread_t th;

		if (c < 0)
			continue;
		if (srv.stop) {
			close(c);
			break;
		}
		__atomic_add_fetch(&srv.connections, 1, __ATOMIC_SEQ_CST);
		if (pthread_create(&th, NULL, conn_thread, (void *)(intptr_t)c) != 0)
			close(c);
		else
			pthread_detach(th);
	}
	return NULL;
}

static int setup(void **state)
{
	struct sockaddr_un sa = { .sun_family = AF_UNIX };

	(void)state;
	snprintf(srv.dir, sizeof(srv.dir), "/tmp/hd-client-XXXXXX");
	if (!mkdtemp(srv.dir))
		return -1;
	snprintf(srv.sock, sizeof(srv.sock), "%s/d.sock", srv.dir);
	snprintf(sa.sun_path, sizeof(sa.sun_path), "%s", srv.sock);
	srv.fd = socket(AF_UNIX, SOCK_STREAM, 0);
	if (srv.fd < 0 || bind(srv.fd, (struct sockaddr *)&sa, sizeof(sa)) < 0 || listen(srv.fd, 16) < 0)
		return -1;
	return pthread_create(&srv.th, NULL, server, NULL) == 0 ? 0 : -1;
}

static int teardown(void **state)
{
	int c;
	struct sockaddr_un sa = { .sun_family = AF_UNIX };
	char cmd[128];

	(void)state;
	srv.stop = true;
	srv.answers = NULL;
	/* Wake accept() up. */
	snprintf(sa.sun_path, sizeof(sa.sun_path), "%s", srv.sock);
	c = socket(AF_UNIX, SOCK_STREAM, 0);
	if (c >= 0) {
		if (connect(c, (struct sockaddr *)&sa, sizeof(sa)) == 0)
			close(c);
		else
			close(c);
	}
	pthread_join(srv.th, NULL);
	close(srv.fd);
	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", srv.dir);
	return system(cmd) == 0 ? 0 : -1;
}

#define OK_JSON(body) "HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: " body

static struct hd_engine_endpoint ep;

static struct hd_engine *open_engine(const struct hd_engine_client_opts *o)
{
	struct hd_engine *e = NULL;

	hd_engine_endpoint_release(&ep);
	memset(&ep, 0, sizeof(ep));
	{
		char host[200];

		snprintf(host, sizeof(host), "unix://%s", srv.sock);
		assert_int_equal(hd_engine_parse_host(host, false, &ep), 0);
	}
	ep.source = hd_strdup("test");
	assert_int_equal(hd_engine_open(&ep, o, &e), 0);
	return e;
}

static void test_version_compare(void **state)
{
	char v[16];

	(void)state;
	assert_int_equal(hd_api_version_cmp("1.41", "1.41"), 0);
	assert_true(hd_api_version_cmp("1.9", "1.41") < 0);
	assert_true(hd_api_version_cmp("1.41", "1.24") > 0);
	assert_true(hd_api_version_cmp("2.0", "1.99") > 0);
	assert_int_equal(hd_api_version_cmp("1.41", "1.41.0"), 0);
	hd_api_version_pick("1.41", "1.43", v, sizeof(v));
	assert_string_equal(v, "1.41");
	hd_api_version_pick("1.41", "1.40", v, sizeof(v));
	assert_string_equal(v, "1.40");
	hd_api_version_pick("1.41", "", v, sizeof(v));
	assert_string_equal(v, "1.24");
	hd_api_version_pick("1.41", NULL, v, sizeof(v));
	assert_string_equal(v, "1.24");
}

static int negotiate_with(const struct canned *answers, char **msg, char *api, size_t n)
{
	struct hd_engine *e = open_engine(NULL);
	int r;

	srv.answers = answers;
	r = hd_engine_negotiate(e, msg);
	snprintf(api, n, "%s", hd_engine_api_version(e));
	hd_engine_close(e);
	return r;
}

static void test_negotiate(void **state)
{
	static const struct canned newer[] = {
		{ "/_ping", "HTTP/1.1 200 OK\r\nApi-Version: 1.45\r\nContent-Length: 2\r\n\r\nOK" }, { 0 } };
	static const struct canned older[] = {
		{ "/_ping", "HTTP/1.1 200 OK\r\nAPI-Version: 1.40\r\nContent-Length: 2\r\n\r\nOK" }, { 0 } };
	static const struct canned via_version[] = {
		{ "/_ping", "HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nOK" },
		{ "/version", OK_JSON("22\r\n\r\n{\"ApiVersion\": \"1.38\"}") }, { 0 } };
	static const struct canned no_version[] = {
		{ "/_ping", "HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nOK" },
		{ "/version", OK_JSON("2\r\n\r\n{}") }, { 0 } };
	static const struct canned too_old[] = {
		{ "/_ping", "HTTP/1.1 200 OK\r\nApi-Version: 1.12\r\nContent-Length: 2\r\n\r\nOK" }, { 0 } };
	static const struct canned error_ping[] = {
		{ "/_ping", "HTTP/1.1 500 Internal Server Error\r\nApi-Version: 1.41\r\nContent-Length: 0\r\n\r\n" },
		{ 0 } };
	static const struct canned not_docker[] = {
		{ "/_ping", "HTTP/1.1 200 OK\r\nContent-Length: 5\r\n\r\nhello" }, { 0 } };
	static const struct canned garbage[] = { { "/", "SSH-2.0-OpenSSH_9.2\r\n" }, { 0 } };
	static const struct canned bad_header[] = {
		{ "/_ping", "HTTP/1.1 200 OK\r\nApi-Version: 1.41; rm -rf /\r\nContent-Length: 2\r\n\r\nOK" },
		{ 0 } };
	char *msg = NULL, api[16];

	(void)state;
	assert_int_equal(negotiate_with(newer, &msg, api, sizeof(api)), 0);
	assert_string_equal(api, "1.41");
	assert_int_equal(negotiate_with(older, &msg, api, sizeof(api)), 0);
	assert_string_equal(api, "1.40");
	assert_int_equal(negotiate_with(via_version, &msg, api, sizeof(api)), 0);
	assert_string_equal(api, "1.38");
	assert_string_equal(srv.last_path, "/version");
	assert_int_equal(negotiate_with(no_version, &msg, api, sizeof(api)), 0);
	assert_string_equal(api, "1.24");
	assert_int_equal(negotiate_with(error_ping, &msg, api, sizeof(api)), 0);
	assert_string_equal(api, "1.41");
	assert_int_equal(negotiate_with(too_old, &msg, api, sizeof(api)), -HD_EUNSUPPORTED);
	assert_non_null(strstr(msg, "speaks API 1.12"));
	hd_free(msg);
	assert_int_equal(negotiate_with(not_docker, &msg, api, sizeof(api)), -HD_EPROTO);
	assert_non_null(strstr(msg, "does not answer like a Docker engine"));
	hd_free(msg);
	assert_int_equal(negotiate_with(garbage, &msg, api, sizeof(api)), -HD_EPROTO);
	assert_non_null(strstr(msg, "not HTTP"));
	hd_free(msg);
	assert_int_equal(negotiate_with(bad_header, &msg, api, sizeof(api)), -HD_EPROTO);
	assert_non_null(strstr(msg, "malformed API version"));
	hd_free(msg);
}

static void test_requests(void **state)
{
	static const struct canned answers[] = {
		{ "/_ping", "HTTP/1.1 200 OK\r\nApi-Version: 1.40\r\nContent-Length: 2\r\n\r\nOK" },
		{ "/v1.40/info", OK_JSON("11\r\n\r\n{\"ID\":\"x\"}\n") },
		{ "/v1.40/containers/json", OK_JSON("2\r\n\r\n[]") },
		{ "/v1.40/containers/forbidden/json",
		  "HTTP/1.1 403 Forbidden\r\nContent-Length: 41\r\n\r\n{\"message\":\"authorization denied by pl\"}\n" },
		{ "/v1.40/images/big/json", OK_JSON("5000\r\n\r\n") },
		{ "/v1.40/images/slow/json", NULL },
		{ 0 } };
	struct hd_engine_client_opts o = { .timeout_ms = 400, .max_response = 1000 };
	struct hd_engine *e;
	struct hd_engine_req q[3];
	char *msg = NULL, *url;
	char big[5200];
	int conns;

	(void)state;
	srv.answers = answers;
	e = open_engine(&o);
	conns = srv.connections;
	assert_int_equal(hd_engine_negotiate(e, &msg), 0);
	url = hd_engine_url(e, HD_API_IMAGE_INSPECT, "registry.example:5000/a b@sha256:00");
	assert_string_equal(url, "http://localhost/v1.40/images/registry.example:5000/a%20b@sha256:00/json");
	hd_free(url);
	url = hd_engine_url(e, HD_API_PING, NULL);
	assert_string_equal(url, "http://localhost/_ping");
	hd_free(url);
	/* Sequential requests share one connection. */
	assert_int_equal(hd_engine_get(e, HD_API_INFO, NULL, &q[0]), 0);
	assert_string_equal(q[0].body.buf, "{\"ID\":\"x\"}\n");
	hd_engine_req_release(&q[0]);
	assert_int_equal(hd_engine_get(e, HD_API_CONTAINERS, NULL, &q[0]), 0);
	hd_engine_req_release(&q[0]);
	assert_int_equal(srv.connections - conns, 1);
	/* Errors: 404 with the daemon's message, 403 from an authorization plugin. */
	assert_int_equal(hd_engine_get(e, HD_API_CONTAINER_INSPECT, "gone", &q[0]), -HD_ENOENT);
	assert_int_equal(q[0].status, 404);
	assert_non_null(strstr(q[0].errmsg, "no such thing"));
	hd_engine_req_release(&q[0]);
	assert_int_equal(hd_engine_get(e, HD_API_CONTAINER_INSPECT, "forbidden", &q[0]), -HD_EACCES);
	assert_non_null(strstr(q[0].errmsg, "authorization"));
	hd_engine_req_release(&q[0]);
	/* A batch: each request gets its own result. */
	memset(big, 'x', sizeof(big));
	assert_int_equal(hd_engine_req_init(&q[0], HD_API_INFO, NULL), 0);
	assert_int_equal(hd_engine_req_init(&q[1], HD_API_IMAGE_INSPECT, "big"), 0);
	assert_int_equal(hd_engine_req_init(&q[2], HD_API_IMAGE_INSPECT, "slow"), 0);
	assert_int_not_equal(hd_engine_run(e, q, 3), 0);
	assert_int_equal(q[0].err, 0);
	assert_int_equal(q[1].err, -HD_ETOOBIG);
	assert_int_equal(q[2].err, -HD_ETIMEOUT);
	assert_non_null(strstr(q[2].errmsg, "within 400 ms"));
	for (int i = 0; i < 3; i++)
		hd_engine_req_release(&q[i]);
	hd_engine_close(e);
}

static void test_no_socket(void **state)
{
	struct hd_engine_endpoint nep;
	struct hd_engine *e;
	char *msg = NULL;

	(void)state;
	memset(&nep, 0, sizeof(nep));
	assert_int_equal(hd_engine_parse_host("unix:///nonexistent/hd.sock", false, &nep), 0);
	nep.source = hd_strdup("--host");
	assert_int_equal(hd_engine_open(&nep, NULL, &e), 0);
	assert_int_equal(hd_engine_negotiate(e, &msg), -HD_ENOENT);
	assert_non_null(strstr(msg, "no socket at '/nonexistent/hd.sock'"));
	assert_non_null(strstr(msg, "--host"));
	hd_free(msg);
	hd_engine_close(e);
	hd_engine_endpoint_release(&nep);
}

static void test_permission_denied(void **state)
{
	static const struct canned answers[] = {
		{ "/_ping", "HTTP/1.1 200 OK\r\nApi-Version: 1.41\r\nContent-Length: 2\r\n\r\nOK" }, { 0 } };
	pid_t pid;
	int status;

	(void)state;
	srv.answers = answers;
	chmod(srv.sock, 0600);
	pid = fork();
	assert_true(pid >= 0);
	if (pid == 0) {
		struct hd_engine *e;
		char *msg = NULL;
		int r;

		if (getuid() == 0 && (setgid(65534) < 0 || setuid(65534) < 0))
			_exit(3);
		e = open_engine(NULL);
		r = hd_engine_negotiate(e, &msg);
		_exit(r == -HD_EACCES && msg && strstr(msg, "root-equivalent") ? 0 : 1);
	}
	assert_int_equal(waitpid(pid, &status, 0), pid);
	chmod(srv.sock, 0666);
	assert_true(WIFEXITED(status));
	assert_int_equal(WEXITSTATUS(status), 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_version_compare),
		cmocka_unit_test(test_negotiate),
		cmocka_unit_test(test_requests),
		cmocka_unit_test(test_no_socket),
		cmocka_unit_test(test_permission_denied),
	};
	int r = cmocka_run_group_tests(tests, setup, teardown);

	hd_engine_endpoint_release(&ep);
	return r;
}
