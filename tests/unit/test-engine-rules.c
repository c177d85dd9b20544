/*
 * Unit tests for rules/image.c and rules/engine.c: every image rule's bad
 * example fires it and its good example fires no image rule (at a fixed
 * audit time); the engine-wide rules on /info with and without swarm
 * (swarm checks are NOTE, never PASS, when swarm is off); the live-only
 * container checks on recorded containers, exec sessions and top output,
 * and not applicable for containers from other sources.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <cmocka.h>

#include "core/common.h"
#include "core/buf.h"
#include "core/config.h"
#include "audit/audit.h"
#include "parse/inspect.h"

/* 2025-01-01T00:00:00Z */
#define NOW 1735689600

static struct hd_buf fx;
static struct hd_config cfg;

static const char *fixture(const char *name)
{
	const char *src = getenv("SRCDIR");
	char path[1024];

	snprintf(path, sizeof(path), "%s/tests/fixtures/engine/%s", src ? src : ".", name);
	hd_buf_reset(&fx);
	if (hd_buf_read_file(&fx, path) < 0)
		fail_msg("cannot read fixture %s", path);
	return fx.buf;
}

/* The verdict of rule `id` in checks. */
static enum hd_check_status verdict(const struct hd_checks *c, const char *id)
{
	for (size_t i = 0; i < c->n; i++) {
		if (!strcmp(c->v[i].rule->id, id))
			return c->v[i].status;
	}
	fail_msg("rule %s was not run", id);
	return HD_CHECK_STATUS_MAX;
}

static const char *const names[] = { "PASS", "WARN", "INFO", "NOTE", "SKIP" };

static void expect(const struct hd_checks *c, const char *id, enum hd_check_status want)
{
	enum hd_check_status got = verdict(c, id);

	if (got != want)
		fail_msg("%s: %s, expected %s", id, names[got], names[want]);
}

static void run_image(const char *json, struct hd_findings *f, struct hd_checks *c)
{
	struct hd_image_spec *img = NULL;
	struct hd_diag d = { 0 };
	struct hd_model m = { .kind = HD_TARGET_IMAGE, .cfg = &cfg };

	if (hd_inspect_image(json, strlen(json), NOW, &img, &d) < 0)
		fail_msg("example does not parse: %s", d.msg);
	m.img = img;
	assert_int_equal(hd_audit_run(&m, "image", false, f, c), 0);
	hd_image_spec_free(img);
}

static void test_image_examples(void **state)
{
	size_t i, j, checked = 0;

	(void)state;
	for (i = 0; i < hd_rule_count; i++) {
		const struct hd_rule *r = hd_rules[i];
		struct hd_findings f;
		struct hd_checks c;
		bool fired = false;

		if (r->target != HD_TARGET_IMAGE)
			continue;
		if (!r->bad_example) {
			assert_null(r->good_example);
			continue;
		}
		hd_findings_init(&f);
		hd_checks_init(&c);
		run_image(r->bad_example, &f, &c);
		for (j = 0; j < f.n; j++) {
			if (f.v[j].rule == r)
				fired = true;
			else
				fail_msg("bad example of %s also fires %s: %s", r->id, f.v[j].rule->id,
					 f.v[j].message);
		}
		if (!fired)
			fail_msg("bad example of %s does not fire it", r->id);
		hd_findings_release(&f);
		hd_checks_release(&c);
		hd_findings_init(&f);
		hd_checks_init(&c);
		run_image(r->good_example, &f, &c);
		for (j = 0; j < f.n; j++)
			fail_msg("good example of %s fires %s: %s", r->id, f.v[j].rule->id, f.v[j].message);
		hd_findings_release(&f);
		hd_checks_release(&c);
		checked++;
	}
	assert_true(checked >= 6);
}

static void test_image_details(void **state)
{
	struct hd_findings f;
	struct hd_checks c;
	struct hd_image_spec *img = NULL;
	struct hd_diag d = { 0 };
	struct hd_model m = { .kind = HD_TARGET_IMAGE, .cfg = &cfg };
	static const char img_json[] =
		"{\"Id\":\"sha256:99\",\"RepoTags\":[\"<none>:<none>\"],\"Created\":\"1970-01-01T00:00:01Z\","
		"\"Config\":{\"User\":\"0:0\",\"Env\":[\"AWS_KEY=AKIAABCDEFGHIJKLMNOP\",\"GITHUB_TOKEN=\","
		"\"DB_PASSWORD=$DB_PASSWORD\",\"X=https://bob:s3cret@db.example/x\",\"TOKEN_FILE=/run/t\"],"
		"\"ExposedPorts\":{\"2375/tcp\":{},\"53/udp\":{}},\"Healthcheck\":{\"Test\":[\"NONE\"]}}}";

	(void)state;
	hd_findings_init(&f);
	hd_checks_init(&c);
	assert_int_equal(hd_inspect_image(img_json, sizeof(img_json) - 1, NOW, &img, &d), 0);
	assert_true(img->dangling);
	img->usage_known = true;
	img->n_containers = 2;
	m.img = img;
	assert_int_equal(hd_audit_run(&m, "image", false, &f, &c), 0);
	expect(&c, "image/root-user", HD_CHECK_WARN);
	expect(&c, "image/no-healthcheck", HD_CHECK_WARN);
	expect(&c, "image/secret-in-env", HD_CHECK_WARN);
	expect(&c, "image/admin-port-exposed", HD_CHECK_WARN);
	expect(&c, "image/stale", HD_CHECK_NOTE); /* a reproducible-build date */
	expect(&c, "image/dangling", HD_CHECK_WARN);
	expect(&c, "image/unused", HD_CHECK_PASS);
	{
		size_t secrets = 0;

		for (size_t i = 0; i < f.n; i++) {
			if (f.v[i].rule->id[6] == 's' && !strcmp(f.v[i].rule->id, "image/secret-in-env")) {
				secrets++;
				assert_null(strstr(f.v[i].message, "s3cret"));
				assert_null(strstr(f.v[i].message, "AKIAABCDEFGHIJKLMNOP"));
			}
			if (!strcmp(f.v[i].rule->id, "image/no-healthcheck"))
				assert_non_null(strstr(f.v[i].message, "HEALTHCHECK NONE"));
			if (!strcmp(f.v[i].rule->id, "image/dangling"))
				assert_non_null(strstr(f.v[i].message, "2 containers use it"));
		}
		/* The AWS key and the URL password; not the empty, the variable or the file. */
		assert_int_equal(secrets, 2);
	}
	hd_findings_release(&f);
	hd_checks_release(&c);
	hd_image_spec_free(img);
}

static struct hd_engine_facts *facts(const char *info)
{
	struct hd_engine_facts *f = hd_engine_facts_new();
	struct hd_diag d = { 0 };

	fixture(info);
	assert_int_equal(hd_inspect_info(fx.buf, fx.len, f, &d), 0);
	f->now = NOW;
	return f;
}

static void run_engine(struct hd_engine_facts *ef, struct hd_findings *f, struct hd_checks *c)
{
	struct hd_model m = { .kind = HD_TARGET_ENGINE, .cfg = &cfg, .engine = ef };

	hd_findings_init(f);
	hd_checks_init(c);
	assert_int_equal(hd_audit_run(&m, "engine", false, f, c), 0);
}

static void test_swarm_off(void **state)
{
	struct hd_engine_facts *ef = facts("info-noswarm.json");
	struct hd_findings f;
	struct hd_checks c;
	size_t i, swarm = 0;

	(void)state;
	run_engine(ef, &f, &c);
	expect(&c, "engine/swarm-mode", HD_CHECK_PASS);
	expect(&c, "engine/container-sprawl", HD_CHECK_PASS);
	/* docker-bench counts swarm checks as passed when swarm is off: they are NOTE here. */
	for (i = 0; i < c.n; i++) {
		if (hd_starts_with(c.v[i].rule->id, "swarm/")) {
			swarm++;
			expect(&c, c.v[i].rule->id, HD_CHECK_NOTE);
		}
	}
	assert_true(swarm >= 9);
	assert_int_equal(f.n, 0);
	hd_findings_release(&f);
	hd_checks_release(&c);
	/* Sprawl: 30 stopped containers. */
	ef->containers_total = 32;
	ef->containers_running = 2;
	ef->containers_exited = 30;
	run_engine(ef, &f, &c);
	expect(&c, "engine/container-sprawl", HD_CHECK_WARN);
	hd_findings_release(&f);
	hd_checks_release(&c);
	hd_engine_facts_free(ef);
}

static void test_swarm_on(void **state)
{
	struct hd_engine_facts *ef = facts("info-swarm.json");
	struct hd_findings f;
	struct hd_checks c;
	struct hd_diag d = { 0 };

	(void)state;
	/* Without the lists (a worker, or lists unreadable) those checks are not applicable. */
	run_engine(ef, &f, &c);
	expect(&c, "engine/swarm-mode", HD_CHECK_INFO);
	expect(&c, "swarm/autolock-disabled", HD_CHECK_WARN);
	expect(&c, "swarm/manager-count", HD_CHECK_PASS);
	expect(&c, "swarm/node-cert-expiry", HD_CHECK_PASS);
	expect(&c, "swarm/ca-cert-expiry", HD_CHECK_PASS);
	expect(&c, "swarm/overlay-unencrypted", HD_CHECK_NOTE);
	expect(&c, "swarm/listen-all-interfaces", HD_CHECK_NOTE);
	expect(&c, "swarm/data-plane-shared", HD_CHECK_NOTE);
	hd_findings_release(&f);
	hd_checks_release(&c);
	fixture("nodes.json");
	assert_int_equal(hd_inspect_nodes(fx.buf, fx.len, ef, &d), 0);
	fixture("networks.json");
	assert_int_equal(hd_inspect_networks(fx.buf, fx.len, ef, &d), 0);
	fixture("services.json");
	assert_int_equal(hd_inspect_services(fx.buf, fx.len, ef, &d), 0);
	fixture("secrets.json");
	assert_int_equal(hd_inspect_secrets(fx.buf, fx.len, ef, &d), 0);
	ef->swarm_details_known = true;
	ef->swarm_listen_all = 1;
	run_engine(ef, &f, &c);
	expect(&c, "swarm/overlay-unencrypted", HD_CHECK_WARN);
	expect(&c, "swarm/service-published-everywhere", HD_CHECK_WARN);
	expect(&c, "swarm/no-secrets", HD_CHECK_PASS);
	expect(&c, "swarm/listen-all-interfaces", HD_CHECK_WARN);
	expect(&c, "swarm/data-plane-shared", HD_CHECK_INFO);
	for (size_t i = 0; i < f.n; i++) {
		if (!strcmp(f.v[i].rule->id, "swarm/overlay-unencrypted"))
			assert_non_null(strstr(f.v[i].message, "'ovl1'"));
	}
	hd_findings_release(&f);
	hd_checks_release(&c);
	/* Two managers, a year-long node certificate, a CA about to expire, no secrets used. */
	ef->swarm_managers = 2;
	ef->swarm_nodes = 5;
	ef->node_cert_expiry_ns = (int64_t)8760 * 3600 * 1000000000;
	ef->ca_cert_not_after = NOW + 5 * 86400;
	ef->n_services_with_secrets = 0;
	ef->swarm_autolock = true;
	run_engine(ef, &f, &c);
	expect(&c, "swarm/manager-count", HD_CHECK_WARN);
	expect(&c, "swarm/node-cert-expiry", HD_CHECK_WARN);
	expect(&c, "swarm/ca-cert-expiry", HD_CHECK_WARN);
	expect(&c, "swarm/no-secrets", HD_CHECK_INFO);
	expect(&c, "swarm/autolock-disabled", HD_CHECK_PASS);
	hd_findings_release(&f);
	hd_checks_release(&c);
	hd_engine_facts_free(ef);
}

static struct hd_container_spec *ctr(const char *name)
{
	struct hd_container_spec *c = NULL;
	struct hd_diag d = { 0 };

	fixture(name);
	if (hd_inspect_container(fx.buf, fx.len, &c, &d) < 0)
		fail_msg("%s: %s", name, d.msg);
	return c;
}

static void run_ctr(const struct hd_container_spec *ctr_spec, struct hd_findings *f, struct hd_checks *c)
{
	struct hd_model m = { .kind = HD_TARGET_CONTAINER, .cfg = &cfg, .ctr = ctr_spec };

	hd_findings_init(f);
	hd_checks_init(c);
	assert_int_equal(hd_audit_run(&m, ctr_spec->name, false, f, c), 0);
}

static void test_live_container(void **state)
{
	struct hd_container_spec *c = ctr("container-running.json");
	struct hd_diag d = { 0 };
	struct hd_findings f;
	struct hd_checks k;
	static const char sshd_top[] =
		"{\"Titles\":[\"PID\",\"UID\",\"COMMAND\"],\"Processes\":[[\"11\",\"0\",\"sleep 1000\"],"
		"[\"12\",\"0\",\"/usr/sbin/sshd -D\"],[\"13\",\"0\",\"sshd: bob@pts/0\"]]}";
	static const char not_sshd_top[] =
		"{\"Titles\":[\"PID\",\"UID\",\"COMMAND\"],\"Processes\":[[\"11\",\"0\",\"/bin/sshd-keygen-wrapper\"],"
		"[\"12\",\"0\",\"grep sshd\"]]}";

	(void)state;
	/* Before top is read only the command is judged. */
	run_ctr(c, &f, &k);
	expect(&k, "container/sshd-running", HD_CHECK_PASS);
	expect(&k, "engine/default-bridge", HD_CHECK_PASS);
	hd_findings_release(&f);
	hd_checks_release(&k);
	fixture("exec-0.json");
	assert_int_equal(hd_inspect_exec(fx.buf, fx.len, 0, c, &d), 0);
	fixture("exec-1.json");
	assert_int_equal(hd_inspect_exec(fx.buf, fx.len, 1, c, &d), 0);
	assert_int_equal(hd_inspect_top(not_sshd_top, sizeof(not_sshd_top) - 1, c, &d), 0);
	run_ctr(c, &f, &k);
	expect(&k, "container/sshd-running", HD_CHECK_PASS);
	expect(&k, "engine/exec-privileged", HD_CHECK_PASS);
	/* exec 0 has no --user in a container running as root; exec 1 runs as 1000. */
	expect(&k, "engine/exec-root", HD_CHECK_WARN);
	{
		size_t n = 0;

		for (size_t i = 0; i < f.n; i++)
			n += !strcmp(f.v[i].rule->id, "engine/exec-root");
		assert_int_equal(n, 1);
	}
	expect(&k, "engine/health-failing", HD_CHECK_PASS);
	expect(&k, "engine/restart-loop", HD_CHECK_PASS);
	hd_findings_release(&f);
	hd_checks_release(&k);
	/* An SSH server found through top (no ps needed in the image), a privileged exec. */
	hd_live_state_free(c->live);
	c->live = hd_live_state_new();
	c->live->n_execs = 0;
	assert_non_null(hd_live_add_exec(c->live));
	fixture("exec-privileged.json");
	assert_int_equal(hd_inspect_exec(fx.buf, fx.len, 0, c, &d), 0);
	assert_int_equal(hd_inspect_top(sshd_top, sizeof(sshd_top) - 1, c, &d), 0);
	c->live->health = hd_strdup("unhealthy");
	c->live->failing_streak = 4;
	c->live->health_output = hd_strdup("curl: (7) Failed to connect\nmore");
	c->live->restart_count = 12;
	c->live->on_default_bridge = true;
	run_ctr(c, &f, &k);
	expect(&k, "container/sshd-running", HD_CHECK_WARN);
	expect(&k, "engine/exec-privileged", HD_CHECK_WARN);
	expect(&k, "engine/exec-root", HD_CHECK_WARN);
	expect(&k, "engine/health-failing", HD_CHECK_WARN);
	expect(&k, "engine/restart-loop", HD_CHECK_WARN);
	expect(&k, "engine/default-bridge", HD_CHECK_WARN);
	for (size_t i = 0; i < f.n; i++) {
		if (!strcmp(f.v[i].rule->id, "container/sshd-running"))
			assert_non_null(strstr(f.v[i].message, "/usr/sbin/sshd -D"));
		if (!strcmp(f.v[i].rule->id, "engine/health-failing"))
			assert_non_null(strstr(f.v[i].message, "4 failed checks in a row): curl: (7) Failed to connect"));
		if (!strcmp(f.v[i].rule->id, "engine/exec-root"))
			assert_non_null(strstr(f.v[i].message, "as 'root'"));
	}
	hd_findings_release(&f);
	hd_checks_release(&k);
	/* Offline (--root) the live-only checks are SKIP. */
	{
		struct hd_model m = { .kind = HD_TARGET_CONTAINER, .cfg = &cfg, .ctr = c };

		hd_findings_init(&f);
		hd_checks_init(&k);
		assert_int_equal(hd_audit_run(&m, "x", true, &f, &k), 0);
		expect(&k, "engine/exec-root", HD_CHECK_SKIP);
		hd_findings_release(&f);
		hd_checks_release(&k);
	}
	/* A container of another source (compose, run line): not applicable. */
	hd_live_state_free(c->live);
	c->live = NULL;
	run_ctr(c, &f, &k);
	expect(&k, "engine/exec-privileged", HD_CHECK_NOTE);
	expect(&k, "engine/default-bridge", HD_CHECK_NOTE);
	hd_findings_release(&f);
	hd_checks_release(&k);
	hd_container_spec_free(c);
}

/* Container rules judge a live container against the engine's own host. */
static void test_live_host_facts(void **state)
{
	struct hd_container_spec *c = ctr("container-created-insecure.json");
	struct hd_findings f;
	struct hd_checks k;
	size_t i;

	(void)state;
	/*
	 * Host without AppArmor or SELinux (this one): an explicit
	 * apparmor=unconfined is still what the user asked for, so a WARN that
	 * says the host part; without the option, NOTE.  label=disable is added
	 * by dockerd itself (--privileged, --pid host), so it stays a NOTE there.
	 */
	c->live->host_known = true;
	run_ctr(c, &f, &k);
	expect(&k, "container/apparmor-unconfined", HD_CHECK_WARN);
	expect(&k, "container/selinux-disabled", HD_CHECK_NOTE);
	for (i = 0; i < f.n; i++)
		if (!strcmp(f.v[i].rule->id, "container/apparmor-unconfined"))
			assert_non_null(strstr(f.v[i].message, "does not use AppArmor today"));
	hd_findings_release(&f);
	hd_checks_release(&k);
	{
		size_t n = c->security_opt.n;

		c->security_opt.n = 0;
		run_ctr(c, &f, &k);
		c->security_opt.n = n;
	}
	expect(&k, "container/apparmor-unconfined", HD_CHECK_NOTE);
	expect(&k, "container/selinux-disabled", HD_CHECK_NOTE);
	hd_findings_release(&f);
	hd_checks_release(&k);
	/* On an SELinux and AppArmor host, label=disable and apparmor=unconfined are WARN. */
	c->live->host_apparmor = true;
	c->live->host_selinux = true;
	run_ctr(c, &f, &k);
	expect(&k, "container/apparmor-unconfined", HD_CHECK_WARN);
	expect(&k, "container/selinux-disabled", HD_CHECK_WARN);
	hd_findings_release(&f);
	hd_checks_release(&k);
	/* The socket and data root where this engine keeps them, not at the default paths. */
	c->live->engine_socket = hd_strdup("/srv/docker/api.sock");
	c->live->data_root = hd_strdup("/srv/docker/data");
	for (i = 0; i < c->n_mounts; i++) {
		if (!strcmp(c->mounts[i].target, "/x")) {
			hd_free(c->mounts[i].source);
			c->mounts[i].source = hd_strdup("/srv/docker");
		}
	}
	run_ctr(c, &f, &k);
	expect(&k, "container/docker-socket-mount", HD_CHECK_WARN);
	{
		bool data_root = false;

		for (i = 0; i < f.n; i++)
			data_root |= !strcmp(f.v[i].rule->id, "container/sensitive-host-mount") &&
				     strstr(f.v[i].message, "data root '/srv/docker/data'") != NULL;
		assert_true(data_root);
	}
	hd_findings_release(&f);
	hd_checks_release(&k);
	hd_container_spec_free(c);
}

/* The note a rule gave for its NOTE verdict. */
static const char *note_of(const struct hd_checks *c, const char *id)
{
	size_t i;

	for (i = 0; i < c->n; i++) {
		if (!strcmp(c->v[i].rule->id, id))
			return c->v[i].note ? c->v[i].note : "";
	}
	fail_msg("no verdict for %s", id);
	return NULL;
}

/*
 * Issue 11: on a cgroup v1 engine every container is in the host's cgroup
 * namespace by the daemon's default; that is one fact of the engine,
 * reported once, not once per container.
 */
static void test_cgroupns_default(void **state)
{
	struct hd_engine_facts *ef = facts("info-noswarm.json");
	struct hd_container_spec *c = ctr("container-running.json");
	struct hd_findings f;
	struct hd_checks k;

	(void)state;
	/* The engine (no "name=cgroupns" in its security options) with two such containers. */
	assert_false(ef->cgroupns);
	run_engine(ef, &f, &k);
	expect(&k, "engine/cgroupns-host-default", HD_CHECK_PASS);
	hd_findings_release(&f);
	hd_checks_release(&k);
	assert_int_equal(hd_items_add(&ef->cgroupns_host, "web", NULL), 0);
	assert_int_equal(hd_items_add(&ef->cgroupns_host, "db", NULL), 0);
	run_engine(ef, &f, &k);
	expect(&k, "engine/cgroupns-host-default", HD_CHECK_WARN);
	assert_int_equal(f.n, 1);
	assert_non_null(strstr(f.v[0].message, "cgroup v1"));
	assert_non_null(strstr(f.v[0].message, "2 containers share it: web, db"));
	hd_findings_release(&f);
	hd_checks_release(&k);
	/* An engine that gives private cgroup namespaces by default has nothing to report. */
	ef->cgroupns = true;
	run_engine(ef, &f, &k);
	expect(&k, "engine/cgroupns-host-default", HD_CHECK_PASS);
	hd_findings_release(&f);
	hd_checks_release(&k);
	/* The container: NOTE pointing at the engine's check while it is the default ... */
	assert_int_equal(c->cgroupns.mode, HD_NS_HOST);
	c->live->host_known = true;
	run_ctr(c, &f, &k);
	expect(&k, "container/host-cgroupns", HD_CHECK_NOTE);
	assert_non_null(strstr(note_of(&k, "container/host-cgroupns"), "engine/cgroupns-host-default"));
	/* (and the rules say themselves why AppArmor and SELinux checks do not apply) */
	assert_string_equal(note_of(&k, "container/apparmor-unconfined"), "the engine's host does not use AppArmor");
	assert_string_equal(note_of(&k, "container/selinux-disabled"), "the engine runs without SELinux support");
	hd_findings_release(&f);
	hd_checks_release(&k);
	/* ... and WARN where private is the default, so host was the container's choice. */
	c->live->host_cgroupns_private = true;
	run_ctr(c, &f, &k);
	expect(&k, "container/host-cgroupns", HD_CHECK_WARN);
	hd_findings_release(&f);
	hd_checks_release(&k);
	hd_container_spec_free(c);
	hd_engine_facts_free(ef);
}

/* Swarm checks say which swarm fact is missing. */
static void test_swarm_notes(void **state)
{
	struct hd_engine_facts *ef = facts("info-noswarm.json");
	struct hd_findings f;
	struct hd_checks k;

	(void)state;
	run_engine(ef, &f, &k);
	assert_string_equal(note_of(&k, "swarm/manager-count"), "swarm mode is off on this engine");
	hd_findings_release(&f);
	hd_checks_release(&k);
	ef->swarm = HD_SWARM_ACTIVE;
	ef->swarm_manager = false;
	run_engine(ef, &f, &k);
	assert_non_null(strstr(note_of(&k, "swarm/no-secrets"), "swarm worker"));
	hd_findings_release(&f);
	hd_checks_release(&k);
	ef->swarm_manager = true;
	run_engine(ef, &f, &k);
	assert_string_equal(note_of(&k, "swarm/no-secrets"), "the swarm lists could not be read");
	hd_findings_release(&f);
	hd_checks_release(&k);
	hd_engine_facts_free(ef);
}

static int setup(void **state)
{
	(void)state;
	hd_buf_init(&fx, 16u << 20);
	hd_config_init(&cfg);
	return 0;
}

static int teardown(void **state)
{
	(void)state;
	hd_buf_release(&fx);
	hd_config_release(&cfg);
	return 0;
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_image_examples),
		cmocka_unit_test(test_image_details),
		cmocka_unit_test(test_swarm_off),
		cmocka_unit_test(test_swarm_on),
		cmocka_unit_test(test_live_container),
		cmocka_unit_test(test_live_host_facts),
		cmocka_unit_test(test_cgroupns_default),
		cmocka_unit_test(test_swarm_notes),
	};
	return cmocka_run_group_tests(tests, setup, teardown);
}
