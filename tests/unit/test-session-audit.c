/*
 * Unit tests for session/audit.c: a whole audit of a copy of a host's
 * filesystem (tests/fixtures/host-careless) through the library alone:
 * verdicts per part, messages in order, --show-config's facts without
 * verdicts, errors for what cannot run, a result released and reused, and
 * re-judging one container, which needs a live engine.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <cmocka.h>

#include "core/common.h"
#include "core/config.h"
#include "engine/endpoint.h"
#include "session/audit.h"

static char root[4096];
static struct hd_config cfg;

static size_t count(const struct hd_audit_result *res, const char *subject, enum hd_check_status st)
{
	size_t i, n = 0;

	for (i = 0; i < res->checks.n; i++) {
		if (!strcmp(res->checks.v[i].subject, subject) && res->checks.v[i].status == st)
			n++;
	}
	return n;
}

static const struct hd_check_result *verdict(const struct hd_audit_result *res, const char *id)
{
	size_t i;

	for (i = 0; i < res->checks.n; i++) {
		if (!strcmp(res->checks.v[i].rule->id, id))
			return &res->checks.v[i];
	}
	fail_msg("no verdict for %s", id);
	return NULL;
}

static bool has_msg(const struct hd_audit_result *res, bool error, const char *part)
{
	size_t i;

	for (i = 0; i < res->n_msgs; i++) {
		if (res->msgs[i].error == error && strstr(res->msgs[i].text, part))
			return true;
	}
	return false;
}

static void test_offline_run(void **state)
{
	struct hd_audit_session_opts o = { .cfg = &cfg, .root = root };
	struct hd_audit_session *s;
	struct hd_audit_result res;
	const struct hd_check_result *c;

	(void)state;
	assert_int_equal(hd_audit_session_new(&o, &s), 0);
	hd_audit_result_init(&res);
	assert_int_equal(hd_audit_session_run(s, &res), 0);
	assert_false(res.status.failed);
	assert_true(count(&res, "host", HD_CHECK_WARN) > 0);
	assert_true(count(&res, "daemon", HD_CHECK_WARN) > 0);
	/* The engine part is skipped with a note, and so is what only the live system has. */
	assert_true(has_msg(&res, false, "engine audit skipped (offline audit of"));
	assert_true(has_msg(&res, false, "loaded audit rules not examined (offline audit of"));
	/* The rules' own reasons reach the verdicts. */
	c = verdict(&res, "host/audit-containerd-config");
	assert_int_equal(c->status, HD_CHECK_NOTE);
	assert_non_null(strstr(c->note, "not present on this host: /etc/containerd/config.toml"));
	assert_true(res.findings.n > 0);
	/* The facts judged come with the result. */
	assert_non_null(res.daemon.config_file);
	assert_non_null(res.host.runc.version);
	assert_null(res.engine);
	/* A result is released and reused. */
	hd_audit_result_release(&res);
	hd_audit_result_init(&res);
	assert_int_equal(hd_audit_session_run(s, &res), 0);
	assert_true(res.checks.n > 0);
	hd_audit_result_release(&res);
	hd_audit_session_free(s);
}

static void test_parts_and_facts_only(void **state)
{
	struct hd_audit_session_opts o = { .cfg = &cfg, .root = root, .parts = HD_AUDIT_DAEMON };
	struct hd_audit_session *s;
	struct hd_audit_result res;

	(void)state;
	assert_int_equal(hd_audit_session_new(&o, &s), 0);
	hd_audit_result_init(&res);
	assert_int_equal(hd_audit_session_run(s, &res), 0);
	assert_int_equal(count(&res, "host", HD_CHECK_WARN), 0);
	assert_true(count(&res, "daemon", HD_CHECK_WARN) > 0);
	assert_false(has_msg(&res, false, "engine audit skipped"));
	hd_audit_result_release(&res);
	hd_audit_session_free(s);
	/* --show-config: the facts, no verdict. */
	o.facts_only = true;
	assert_int_equal(hd_audit_session_new(&o, &s), 0);
	hd_audit_result_init(&res);
	assert_int_equal(hd_audit_session_run(s, &res), 0);
	assert_int_equal(res.checks.n, 0);
	assert_true(hd_daemon_opt(&res.daemon, HD_DOPT_HOSTS)->set);
	hd_audit_result_release(&res);
	hd_audit_session_free(s);
}

static void test_errors(void **state)
{
	struct hd_audit_session_opts o = { .cfg = &cfg, .root = "/nonexistent/hardock-root" };
	struct hd_audit_session *s;
	struct hd_audit_result res;

	(void)state;
	assert_int_equal(hd_audit_session_new(&o, &s), 0);
	hd_audit_result_init(&res);
	assert_true(hd_audit_session_run(s, &res) < 0);
	assert_true(has_msg(&res, true, "cannot audit '/nonexistent/hardock-root'"));
	hd_audit_result_release(&res);
	hd_audit_session_free(s);
	/* The engine alone cannot be audited from a copy of a host. */
	o.root = root;
	o.parts = HD_AUDIT_ENGINE;
	assert_int_equal(hd_audit_session_new(&o, &s), 0);
	hd_audit_result_init(&res);
	assert_int_equal(hd_audit_session_run(s, &res), -HD_EINVAL);
	assert_true(has_msg(&res, true, "cannot use --root"));
	hd_audit_result_release(&res);
	/* Nor can one container be judged again. */
	hd_audit_result_init(&res);
	assert_int_equal(hd_audit_session_container(s, "web", &res), -HD_EINVAL);
	assert_true(has_msg(&res, true, "needs a running engine"));
	hd_audit_result_release(&res);
	hd_audit_session_free(s);
}

/* Without an engine to reach, re-judging a container says why and marks the result failed. */
static void test_container_unreachable(void **state)
{
	struct hd_engine_opts eo;
	struct hd_audit_session_opts o = { .cfg = &cfg, .engine = &eo, .engine_explicit = true,
					   .parts = HD_AUDIT_ENGINE, .timeout_ms = 2000 };
	struct hd_audit_session *s;
	struct hd_audit_result res;

	(void)state;
	hd_engine_opts_init(&eo);
	eo.host = "unix:///nonexistent/hardock-test.sock";
	assert_int_equal(hd_audit_session_new(&o, &s), 0);
	hd_audit_result_init(&res);
	assert_int_equal(hd_audit_session_container(s, "web", &res), 0);
	assert_true(res.status.failed);
	assert_true(res.engine_unusable);
	assert_int_equal(res.checks.n, 0);
	assert_true(has_msg(&res, true, "/nonexistent/hardock-test.sock"));
	hd_audit_result_release(&res);
	hd_audit_session_free(s);
}

static int setup(void **state)
{
	const char *src = getenv("SRCDIR");

	(void)state;
	snprintf(root, sizeof(root), "%s/tests/fixtures/host-careless", src ? src : ".");
	hd_config_init(&cfg);
	return 0;
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
		cmocka_unit_test(test_offline_run),
		cmocka_unit_test(test_parts_and_facts_only),
		cmocka_unit_test(test_errors),
		cmocka_unit_test(test_container_unreachable),
	};

	return cmocka_run_group_tests(tests, setup, teardown);
}
