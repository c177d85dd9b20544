/*
 * Unit tests for the exporter's pieces: the Prometheus exposition
 * (report/prometheus.h: verdicts of a control merged into the worst, one
 * series per control and object, labels escaped and made valid UTF-8, the
 * Accept header's choice), the engine event reader of `hardock serve`
 * (serve/events.c: what is worth a re-judgement, what is not an event),
 * listening addresses (core/listen.h: what counts as loopback) and the
 * server's syscall filter (authz/sandbox.h).
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <cmocka.h>

#include <fcntl.h>
#include <pthread.h>
#include <sched.h>
#include <signal.h>
#include <sys/mount.h>
#include <sys/ptrace.h>
#include <sys/syscall.h>
#include <sys/uio.h>
#include <sys/wait.h>
#include <unistd.h>

#include "core/common.h"
#include "core/listen.h"
#include "authz/sandbox.h"
#include "report/prometheus.h"
#include "serve/serve_int.h"

static const struct hd_rule rule_priv = { .id = "container/privileged", .title = "P", .severity = HD_SEV_CRITICAL,
					  .cis = "5.5", .target = HD_TARGET_CONTAINER };
static const struct hd_rule rule_caps = { .id = "container/caps", .title = "C", .severity = HD_SEV_HIGH,
					  .cis = "5.5, 5.4", .target = HD_TARGET_CONTAINER };
static const struct hd_rule rule_host = { .id = "host/x", .title = "H", .severity = HD_SEV_LOW, .cis = "1.1.1",
					  .target = HD_TARGET_HOST };
static const struct hd_rule rule_nocis = { .id = "container/y", .title = "Y", .severity = HD_SEV_LOW,
					   .target = HD_TARGET_CONTAINER };

static char *render(struct hd_prom *p, const struct hd_report_run *run, bool om)
{
	struct hd_buf b;

	hd_buf_init(&b, 1u << 24);
	assert_int_equal(hd_prom_write_run(&b, run, om), 0);
	assert_int_equal(hd_prom_write_series(p, &b, om), 0);
	assert_int_equal(hd_buf_addstr(&b, hd_prom_trailer(om)), 0);
	return hd_buf_detach(&b, NULL);
}

static void test_merge_and_labels(void **state)
{
	struct hd_report_object objs[] = {
		{ .target = HD_TARGET_CONTAINER, .subject = "container web (running)", .object = "web", .id = "1",
		  .name = "web", .image = "nginx:1" },
		{ .target = HD_TARGET_CONTAINER, .subject = "container odd (running)", .object = "odd", .id = "2",
		  .name = "o\"d\\d\nx\xff", .image = "img" },
	};
	struct hd_check_result c[] = {
		{ .rule = &rule_priv, .subject = "container web (running)", .status = HD_CHECK_PASS },
		{ .rule = &rule_caps, .subject = "container web (running)", .status = HD_CHECK_WARN },
		{ .rule = &rule_priv, .subject = "container odd (running)", .status = HD_CHECK_PASS },
		{ .rule = &rule_host, .subject = "host", .status = HD_CHECK_WARN },
		{ .rule = &rule_host, .subject = "host", .status = HD_CHECK_PASS },
		{ .rule = &rule_nocis, .subject = "container web (running)", .status = HD_CHECK_WARN },
	};
	struct hd_finding fv[] = {
		{ .rule = &rule_priv, .severity = HD_SEV_CRITICAL, .object = "web", .message = "m" },
		{ .rule = &rule_caps, .severity = HD_SEV_HIGH, .object = "web", .message = "m" },
		{ .rule = &rule_caps, .severity = HD_SEV_HIGH, .object = "web", .message = "n" },
		{ .rule = &rule_host, .severity = HD_SEV_LOW, .message = "h" },
	};
	struct hd_findings f = { .v = fv, .n = HD_ARRAY_SIZE(fv) };
	struct hd_report_run run = { .engine_checked = true, .engine_up = false, .has_time = true,
				     .finished = 1700000000, .duration = 1.5 };
	struct hd_prom *p = hd_prom_new();
	char *t, *o;

	(void)state;
	assert_non_null(p);
	assert_int_equal(hd_prom_add_checks(p, c, HD_ARRAY_SIZE(c), objs, HD_ARRAY_SIZE(objs)), 0);
	assert_int_equal(hd_prom_add_findings(p, &f, objs, HD_ARRAY_SIZE(objs)), 0);
	/* web: 5.4, 5.5; odd: 5.5; host: 1.1.1; findings: web critical, web high, host low. */
	assert_int_equal(hd_prom_series(p), 7);
	t = render(p, &run, false);
	/* 5.5 on web: pass (privileged) and warn (caps) merge into warn; written once. */
	assert_non_null(strstr(t, "hardock_check_status{benchmark=\"cis-docker-1.6.0\",id=\"5.5\",section=\"Container "
				  "Runtime\",target=\"container\",name=\"web\",image=\"nginx:1\",result=\"warn\"} 1\n"));
	assert_null(strstr(t, "name=\"web\",image=\"nginx:1\",result=\"pass\""));
	assert_non_null(strstr(t, "id=\"1.1.1\",section=\"Host Configuration\",target=\"host\",name=\"\",image=\"\","
				  "result=\"warn\"} 1\n"));
	/* Escapes, and a byte that is not UTF-8 as U+FFFD. */
	assert_non_null(strstr(t, "name=\"o\\\"d\\\\d\\nx\xef\xbf\xbd\""));
	assert_non_null(strstr(t, "hardock_findings{severity=\"high\",target=\"container\",name=\"web\","
				  "image=\"nginx:1\"} 2\n"));
	assert_non_null(strstr(t, "hardock_engine_up 0\n"));
	assert_non_null(strstr(t, "hardock_last_audit_timestamp_seconds 1700000000\n"));
	assert_non_null(strstr(t, "hardock_audit_duration_seconds 1.500000\n"));
	assert_non_null(strstr(t, "# TYPE hardock_build_info gauge\n"));
	assert_null(strstr(t, "# EOF"));
	/* Sorted: host before containers, then by name (odd before web), then 5.4 before 5.5. */
	assert_true(strstr(t, "id=\"1.1.1\"") < strstr(t, "id=\"5.5\""));
	assert_true(strstr(t, "name=\"o\\\"d") < strstr(t, "name=\"web\""));
	assert_true(strstr(t, "id=\"5.4\",section=\"Container Runtime\",target=\"container\",name=\"web\"") <
		    strstr(t, "id=\"5.5\",section=\"Container Runtime\",target=\"container\",name=\"web\""));
	o = render(p, &run, true);
	assert_non_null(strstr(o, "# TYPE hardock_build info\nhardock_build_info{version="));
	assert_non_null(strstr(o, "# UNIT hardock_audit_duration_seconds seconds\n"));
	assert_int_equal(strcmp(o + strlen(o) - 6, "# EOF\n"), 0);
	hd_free(t);
	hd_free(o);
	hd_prom_free(p);
}

static void test_accept(void **state)
{
	(void)state;
	assert_false(hd_prom_wants_openmetrics(NULL));
	assert_false(hd_prom_wants_openmetrics(""));
	assert_false(hd_prom_wants_openmetrics("*/*"));
	assert_false(hd_prom_wants_openmetrics("text/plain;version=0.0.4"));
	assert_true(hd_prom_wants_openmetrics("application/openmetrics-text"));
	assert_true(hd_prom_wants_openmetrics("application/openmetrics-text;version=1.0.0,application/"
					      "openmetrics-text;version=0.0.1;q=0.75,text/plain;version=0.0.4;"
					      "q=0.5,*/*;q=0.1"));
	assert_false(hd_prom_wants_openmetrics("text/plain;q=0.9, application/openmetrics-text;q=0.5"));
	assert_false(hd_prom_wants_openmetrics("application/openmetrics-text;q=0"));
	assert_true(hd_prom_wants_openmetrics("text/plain;q=0.5, APPLICATION/OpenMetrics-Text"));
	assert_false(hd_prom_wants_openmetrics("application/openmetrics-textx"));
}

static void test_events(void **state)
{
	static const char start[] = "{\"Type\":\"container\",\"Action\":\"start\",\"Actor\":{\"ID\":\"abc\"}}";
	static const char destroy[] = "{\"status\":\"destroy\",\"Type\":\"container\",\"Action\":\"destroy\","
				      "\"Actor\":{\"ID\":\"abc\",\"Attributes\":{\"name\":\"x\"}}}";
	static const char pull[] = "{\"Type\":\"image\",\"Action\":\"pull\",\"Actor\":{\"ID\":\"busybox:1\"}}";
	static const char health[] = "{\"Type\":\"container\",\"Action\":\"health_status: healthy\",\"Actor\":"
				     "{\"ID\":\"abc\"}}";
	static const char exec[] = "{\"Type\":\"container\",\"Action\":\"exec_start: sh\",\"Actor\":{\"ID\":\"a\"}}";
	static const char net[] = "{\"Type\":\"network\",\"Action\":\"connect\",\"Actor\":{\"ID\":\"n\"}}";
	static const char *const bad[] = {
		"", "x", "{", "[]", "{\"Type\":\"container\"}", "{\"Type\":1,\"Action\":\"start\"}",
		"{\"Type\":\"container\",\"Action\":\"start\",\"Actor\":{\"ID\":17}}",
		"{\"Type\":\"container\",\"Action\":\"start\",\"Actor\":{}}",
		"{\"Type\":\"container\",\"Action\":\"start\",\"Type\":\"image\",\"Actor\":{\"ID\":\"a\"}}",
	};
	struct sv_event ev;
	size_t i;

	(void)state;
	assert_int_equal(sv_event_parse(start, strlen(start), &ev), 1);
	assert_int_equal(ev.kind, HD_TARGET_CONTAINER);
	assert_false(ev.gone);
	assert_string_equal(ev.id, "abc");
	assert_int_equal(sv_event_parse(destroy, strlen(destroy), &ev), 1);
	assert_true(ev.gone);
	assert_int_equal(sv_event_parse(pull, strlen(pull), &ev), 1);
	assert_int_equal(ev.kind, HD_TARGET_IMAGE);
	assert_string_equal(ev.id, "busybox:1");
	assert_int_equal(sv_event_parse(health, strlen(health), &ev), 0);
	assert_int_equal(sv_event_parse(exec, strlen(exec), &ev), 0);
	assert_int_equal(sv_event_parse(net, strlen(net), &ev), 0);
	for (i = 0; i < HD_ARRAY_SIZE(bad); i++)
		assert_int_equal(sv_event_parse(bad[i], strlen(bad[i]), &ev), -HD_EPROTO);
}

static void test_listen(void **state)
{
	static const struct {
		const char *spec;
		int ok;
		bool loopback;
	} cases[] = {
		{ "127.0.0.1:9701", 1, true },    { "127.1.2.3:1", 1, true },  { "localhost:80", 1, true },
		{ "[::1]:9701", 1, true },        { "[::ffff:127.0.0.1]:1", 1, true },
		{ "0.0.0.0:9701", 1, false },     { "10.0.0.1:9701", 1, false }, { "[::]:9701", 1, false },
		{ "unix:/run/x.sock", 1, true },  { "unix:///run/x.sock", 1, true },
		{ "unix:x.sock", 0, false },      { "example.com:80", 0, false }, { "127.0.0.1", 0, false },
		{ ":9701", 0, false },            { "127.0.0.1:65536", 0, false }, { "[::1:80", 0, false },
		{ "1.2.3.4:-1", 0, false },       { "::1:80", 0, false },
	};
	size_t i;

	(void)state;
	for (i = 0; i < HD_ARRAY_SIZE(cases); i++) {
		struct hd_listen_addr a;
		const char *why;
		int r = hd_listen_parse(cases[i].spec, &a, &why);

		if (cases[i].ok) {
			assert_int_equal(r, 0);
			assert_int_equal(a.loopback, cases[i].loopback);
		} else {
			assert_int_equal(r, -HD_EINVAL);
			assert_non_null(why);
		}
		hd_listen_addr_release(&a);
	}
}

static void *thread_ok(void *arg)
{
	return arg;
}

/*
 * The deny filter of `hardock serve` (authz/sandbox.h), in a child: what it
 * denies fails with EPERM, what serving needs (threads, files) still works.
 * Returns a bit per check that went wrong.
 */
static int deny_filter_child(void)
{
	char *const argv[] = { (char *)"true", NULL };
	char buf[4096];
	struct iovec l = { buf, 1 }, rm = { buf, 1 };
	pthread_t t;
	void *ret = NULL;
	ssize_t n;
	int bad = 0, fd;

	if (hd_sandbox_deny_filter() < 0)
		return 1;
	errno = 0;
	if (execve("/bin/true", argv, NULL) != -1 || errno != EPERM)
		bad |= 2;
	errno = 0;
	if (unshare(CLONE_NEWUTS) != -1 || errno != EPERM)
		bad |= 4;
	errno = 0;
	if (mount("none", "/tmp", "tmpfs", 0, NULL) != -1 || errno != EPERM)
		bad |= 8;
	errno = 0;
	if (syscall(SYS_bpf, 0, NULL, 0) != -1 || errno != EPERM)
		bad |= 16;
	errno = 0;
	if (process_vm_readv(getppid(), &l, 1, &rm, 1, 0) != -1 || errno != EPERM)
		bad |= 32;
	if (pthread_create(&t, NULL, thread_ok, buf) != 0 || pthread_join(t, &ret) != 0 || ret != buf)
		bad |= 64;
	fd = open("/proc/self/status", O_RDONLY);
	n = fd >= 0 ? read(fd, buf, sizeof(buf) - 1) : -1;
	if (fd >= 0)
		close(fd);
	buf[n > 0 ? n : 0] = '\0';
	if (!strstr(buf, "\nSeccomp:\t2\n"))
		bad |= 128;
#ifndef __SANITIZE_ADDRESS__
	/* New processes and tracing: denied outside ASan builds (LeakSanitizer needs them at exit). */
	errno = 0;
	if (syscall(SYS_clone, SIGCHLD, NULL, NULL, NULL, 0) != -1 || errno != EPERM)
		bad |= 256;
	errno = 0;
	if (ptrace(PTRACE_TRACEME, 0, NULL, NULL) != -1 || errno != EPERM)
		bad |= 512;
#endif
	return bad;
}

static void test_deny_filter(void **state)
{
	int status = 0;
	pid_t pid;

	(void)state;
#ifndef HD_HAVE_SECCOMP
	assert_int_equal(hd_sandbox_deny_filter(), -HD_EUNSUPPORTED);
	return;
#endif
	fflush(NULL);
	pid = fork();
	assert_true(pid >= 0);
	if (pid == 0)
		_exit(deny_filter_child());
	assert_int_equal(waitpid(pid, &status, 0), pid);
	assert_true(WIFEXITED(status));
	assert_int_equal(WEXITSTATUS(status), 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_merge_and_labels),
		cmocka_unit_test(test_accept),
		cmocka_unit_test(test_events),
		cmocka_unit_test(test_listen),
		cmocka_unit_test(test_deny_filter),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
