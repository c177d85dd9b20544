/*
 * Unit tests for rules/container.c on specs built directly with the model's
 * builders: a fully hardened container fires no container rule, and each
 * change fires exactly the rule it should, at the right place and severity.
 * Then every container rule's examples go through the shell splitter and the
 * run-line parser: the bad example fires its rule, the good one fires no
 * container rule.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <cmocka.h>

#include "core/common.h"
#include "core/config.h"
#include "core/finding.h"
#include "model/container.h"
#include "model/shell.h"
#include "lint/lint_scripts.h"
#include "parse/runline.h"

static struct hd_config cfg;
static struct hd_findings found;

static struct hd_origin at(uint32_t line, uint32_t col, const char *field)
{
	struct hd_origin o = { .file = "deploy.sh", .line = line, .col = col, .field = (char *)field };
	return o;
}

/* A container with every hardening setting. */
static struct hd_container_spec *hardened(void)
{
	struct hd_container_spec *c = hd_container_spec_new(HD_SRC_RUN, "app", "deploy.sh");
	struct hd_origin o = at(3, 1, NULL);
	struct hd_port *p;

	assert_non_null(c);
	c->at.line = 2;
	c->at.col = 1;
	assert_int_equal(hd_flag_setting_set(&c->read_only, true, &o), 0);
	assert_int_equal(hd_items_add(&c->cap_drop, "ALL", &o), 0);
	assert_int_equal(hd_items_add(&c->security_opt, "no-new-privileges=true", &o), 0);
	assert_int_equal(hd_str_setting_set(&c->user, "1000:1000", &o), 0);
	assert_int_equal(hd_int_setting_set(&c->memory, 256 << 20, &o), 0);
	assert_int_equal(hd_int_setting_set(&c->nano_cpus, 500000000, &o), 0);
	assert_int_equal(hd_int_setting_set(&c->pids_limit, 100, &o), 0);
	assert_int_equal(hd_str_setting_set(&c->restart, "on-failure", &o), 0);
	assert_int_equal(hd_int_setting_set(&c->restart_max_retries, 5, &o), 0);
	c->healthcheck.set = true;
	p = hd_container_add_port(c, &o);
	assert_non_null(p);
	p->host_ip = hd_strdup("127.0.0.1");
	p->host_port_lo = p->host_port_hi = 8080;
	p->ctr_port_lo = p->ctr_port_hi = 8080;
	p->published = true;
	assert_int_equal(hd_container_set_image(c, "registry.example.com/app:1.2@sha256:0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef", &o), 0);
	return c;
}

static void run(const struct hd_container_spec *c)
{
	struct hd_model m = { .kind = HD_TARGET_CONTAINER };

	m.cfg = &cfg;
	m.ctr = c;
	hd_findings_release(&found);
	assert_int_equal(hd_run_rules(&m, &found), 0);
}

static size_t count(const char *id)
{
	size_t i, n = 0;

	for (i = 0; i < found.n; i++)
		n += strcmp(found.v[i].rule->id, id) == 0;
	return n;
}

static const struct hd_finding *first(const char *id)
{
	size_t i;

	for (i = 0; i < found.n; i++) {
		if (strcmp(found.v[i].rule->id, id) == 0)
			return &found.v[i];
	}
	fail_msg("rule %s did not fire", id);
	return NULL;
}

static void dump(void)
{
	size_t i;

	for (i = 0; i < found.n; i++)
		print_message("  %s %u:%u %s\n", found.v[i].rule->id, found.v[i].line, found.v[i].col,
			      found.v[i].message);
}

/* Exactly the given rule fired, n times. */
static void only(const char *id, size_t n)
{
	if (count(id) != n || found.n != n) {
		dump();
		fail_msg("expected %zu finding(s) of %s only", n, id);
	}
}

static int setup(void **state)
{
	(void)state;
	hd_config_init(&cfg);
	hd_findings_init(&found);
	return 0;
}

static int teardown(void **state)
{
	(void)state;
	hd_findings_release(&found);
	hd_config_release(&cfg);
	return 0;
}

static void test_hardened_is_quiet(void **state)
{
	struct hd_container_spec *c = hardened();

	(void)state;
	run(c);
	if (found.n)
		dump();
	assert_int_equal(found.n, 0);
	hd_container_spec_free(c);
}

static void test_privileges(void **state)
{
	struct hd_container_spec *c;
	struct hd_origin o = at(7, 12, "--privileged");
	const struct hd_finding *f;

	(void)state;
	c = hardened();
	assert_int_equal(hd_flag_setting_set(&c->privileged, true, &o), 0);
	run(c);
	only("container/privileged", 1);
	f = first("container/privileged");
	assert_int_equal(f->line, 7);
	assert_int_equal(f->col, 12);
	assert_string_equal(f->file, "deploy.sh");
	assert_string_equal(f->field, "--privileged");
	assert_int_equal(f->severity, HD_SEV_CRITICAL);
	hd_container_spec_free(c);

	c = hardened();
	assert_int_equal(hd_flag_setting_set(&c->privileged, false, &o), 0);
	run(c);
	assert_int_equal(found.n, 0);
	c->privileged.value = true;
	c->privileged.unknown = true;
	run(c);
	assert_int_equal(found.n, 0);
	hd_container_spec_free(c);

	c = hardened();
	o = at(4, 5, "--cap-add");
	assert_int_equal(hd_items_add(&c->cap_add, "SYS_ADMIN", &o), 0);
	assert_int_equal(hd_items_add(&c->cap_add, "NET_ADMIN", &o), 0);
	assert_int_equal(hd_items_add(&c->cap_add, "NET_BIND_SERVICE", &o), 0);
	assert_int_equal(hd_items_add(&c->cap_add, "ALL", &o), 0);
	run(c);
	only("container/dangerous-capability", 3);
	assert_int_equal(found.v[0].severity, HD_SEV_CRITICAL);
	assert_int_equal(found.v[1].severity, HD_SEV_HIGH);
	assert_non_null(strstr(found.v[0].message, "SYS_ADMIN"));
	hd_container_spec_free(c);

	c = hardened();
	{
		size_t i;

		for (i = 0; i < c->cap_drop.n; i++)
			hd_free(c->cap_drop.v[i].value), hd_origin_release(&c->cap_drop.v[i].at);
		c->cap_drop.n = 0;
	}
	assert_int_equal(hd_items_add(&c->cap_drop, "NET_RAW", NULL), 0);
	run(c);
	only("container/cap-drop-all", 1);
	assert_int_equal(first("container/cap-drop-all")->line, 2); /* the container */
	hd_container_spec_free(c);

	c = hardened();
	assert_int_equal(hd_items_add(&c->security_opt, "no-new-privileges=false", &o), 0);
	run(c);
	only("container/no-new-privileges", 1);
	hd_container_spec_free(c);

	c = hardened();
	hd_free(c->security_opt.v[0].value);
	c->security_opt.v[0].value = hd_strdup("seccomp=unconfined");
	run(c);
	assert_int_equal(count("container/seccomp-unconfined"), 1);
	assert_int_equal(count("container/no-new-privileges"), 1);
	assert_int_equal(found.n, 2);
	/* A later profile replaces unconfined. */
	assert_int_equal(hd_items_add(&c->security_opt, "seccomp=/etc/docker/app.json", &o), 0);
	assert_int_equal(hd_items_add(&c->security_opt, "no-new-privileges=true", &o), 0);
	run(c);
	assert_int_equal(found.n, 0);
	hd_container_spec_free(c);

	c = hardened();
	assert_int_equal(hd_items_add(&c->security_opt, "apparmor=unconfined", &o), 0);
	assert_int_equal(hd_items_add(&c->security_opt, "label=disable", &o), 0);
	assert_int_equal(hd_items_add(&c->security_opt, "systempaths=unconfined", &o), 0);
	run(c);
	assert_int_equal(count("container/apparmor-unconfined"), 1);
	assert_int_equal(count("container/selinux-disabled"), 1);
	assert_int_equal(count("container/systempaths-unconfined"), 1);
	assert_int_equal(found.n, 3);
	hd_container_spec_free(c);

	c = hardened();
	assert_int_equal(hd_items_add(&c->security_opt, "apparmor=docker-default", &o), 0);
	assert_int_equal(hd_items_add(&c->security_opt, "label=type:svirt_apache_t", &o), 0);
	run(c);
	assert_int_equal(found.n, 0);
	hd_container_spec_free(c);
}

static void test_user(void **state)
{
	struct hd_container_spec *c;
	struct hd_origin o = at(5, 9, "--user");

	(void)state;
	c = hardened();
	assert_int_equal(hd_str_setting_set(&c->user, "root", &o), 0);
	run(c);
	only("container/runs-as-root", 1);
	assert_int_equal(found.v[0].severity, HD_SEV_HIGH);
	assert_int_equal(found.v[0].line, 5);
	assert_int_equal(hd_str_setting_set(&c->user, "0:0", &o), 0);
	run(c);
	only("container/runs-as-root", 1);
	/* Signed and zero-padded uids are uid 0 as dockerd parses them (Go's Atoi). */
	assert_int_equal(hd_str_setting_set(&c->user, "-0", &o), 0);
	run(c);
	only("container/runs-as-root", 1);
	assert_int_equal(hd_str_setting_set(&c->user, "+00:wheel", &o), 0);
	run(c);
	only("container/runs-as-root", 1);
	assert_int_equal(hd_str_setting_set(&c->user, "www-data", &o), 0);
	run(c);
	assert_int_equal(found.n, 0);
	assert_int_equal(hd_str_setting_set(&c->user, "$(id -u)", &o), 0);
	c->user.unknown = true;
	run(c);
	assert_int_equal(found.n, 0);

	/* No user: the image decides. */
	assert_int_equal(hd_str_setting_set(&c->user, NULL, NULL), 0);
	run(c);
	only("container/runs-as-root", 1);
	assert_int_equal(found.v[0].severity, HD_SEV_LOW);
	assert_non_null(strstr(found.v[0].message, "could not be known"));
	/* Not inspected, but well known: an official image starts as root, Bitnami's do not. */
	{
		char *img = c->image.value ? hd_strdup(c->image.value) : NULL;

		assert_int_equal(hd_container_set_image(c, "nginx:1.27@sha256:0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef", &o), 0);
		run(c);
		only("container/runs-as-root", 1);
		assert_int_equal(found.v[0].severity, HD_SEV_MEDIUM);
		assert_non_null(strstr(found.v[0].message, "runs as root by default"));
		assert_int_equal(hd_container_set_image(c, "bitnami/postgresql:16@sha256:0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef", &o), 0);
		run(c);
		assert_int_equal(found.n, 0);
		assert_int_equal(hd_container_set_image(c, img, &o), 0);
		hd_free(img);
	}
	c->image_facts.known = true;
	c->image_facts.user_known = true;
	c->image_facts.source = hd_strdup("Dockerfile:1");
	run(c);
	only("container/runs-as-root", 1);
	assert_non_null(strstr(found.v[0].message, "Dockerfile:1"));
	c->image_facts.user = hd_strdup("app");
	run(c);
	assert_int_equal(found.n, 0);
	hd_container_spec_free(c);
}

static void test_rootfs_and_resources(void **state)
{
	struct hd_container_spec *c;
	struct hd_origin o = at(6, 3, "--x");

	(void)state;
	c = hardened();
	assert_int_equal(hd_flag_setting_set(&c->read_only, false, &o), 0);
	run(c);
	only("container/read-only-rootfs", 1);
	assert_int_equal(found.v[0].line, 6);
	hd_container_spec_free(c);

	c = hardened();
	c->memory.set = false;
	run(c);
	only("container/no-memory-limit", 1);
	c->memory.set = true;
	c->memory.value = 0;
	run(c);
	only("container/no-memory-limit", 1);
	c->memory.unknown = true;
	run(c);
	assert_int_equal(found.n, 0);
	hd_container_spec_free(c);

	c = hardened();
	c->nano_cpus.set = false;
	run(c);
	only("container/no-cpu-limit", 1);
	assert_int_equal(hd_int_setting_set(&c->cpu_shares, 1024, &o), 0);
	run(c);
	only("container/no-cpu-limit", 1);
	assert_int_equal(hd_int_setting_set(&c->cpu_shares, 512, &o), 0);
	run(c);
	assert_int_equal(found.n, 0);
	hd_container_spec_free(c);

	c = hardened();
	assert_int_equal(hd_int_setting_set(&c->pids_limit, -1, &o), 0);
	run(c);
	only("container/no-pids-limit", 1);
	c->pids_limit.set = false;
	run(c);
	only("container/no-pids-limit", 1);
	hd_container_spec_free(c);

	c = hardened();
	assert_int_equal(hd_flag_setting_set(&c->oom_kill_disable, true, &o), 0);
	run(c);
	assert_int_equal(found.n, 0); /* a memory limit is set */
	c->memory.set = false;
	run(c);
	assert_int_equal(count("container/oom-kill-disabled"), 1);
	assert_int_equal(count("container/no-memory-limit"), 1);
	hd_container_spec_free(c);

	/* A doubt is voiced when variables may set what is missing. */
	c = hardened();
	c->memory.set = false;
	assert_int_equal(hd_items_add(&c->opaque_args, "$DOCKER_OPTS", &o), 0);
	run(c);
	only("container/no-memory-limit", 1);
	assert_non_null(strstr(found.v[0].message, "unless '$DOCKER_OPTS' sets it"));
	hd_container_spec_free(c);
}

static void test_namespaces(void **state)
{
	static const struct { const char *id; size_t off; } ns[] = {
		{ "container/host-network", offsetof(struct hd_container_spec, network) },
		{ "container/host-pid", offsetof(struct hd_container_spec, pid) },
		{ "container/host-ipc", offsetof(struct hd_container_spec, ipc) },
		{ "container/host-uts", offsetof(struct hd_container_spec, uts) },
		{ "container/host-userns", offsetof(struct hd_container_spec, userns) },
		{ "container/host-cgroupns", offsetof(struct hd_container_spec, cgroupns) },
	};
	struct hd_origin o = at(8, 4, "--ns");
	size_t i;

	(void)state;
	for (i = 0; i < HD_ARRAY_SIZE(ns); i++) {
		struct hd_container_spec *c = hardened();
		struct hd_ns_setting *s = (struct hd_ns_setting *)(void *)((char *)c + ns[i].off);

		assert_int_equal(hd_ns_setting_set(s, "host", &o), 0);
		run(c);
		only(ns[i].id, 1);
		assert_int_equal(found.v[0].line, 8);
		assert_int_equal(hd_ns_setting_set(s, "container:db", &o), 0);
		run(c);
		assert_int_equal(found.n, 0);
		hd_container_spec_free(c);
	}
}

static struct hd_mount *bind(struct hd_container_spec *c, const char *src, const char *dst, bool ro)
{
	struct hd_origin o = at(9, (uint32_t)c->n_mounts + 1, "--volume");
	struct hd_mount *m = hd_container_add_mount(c, &o);

	assert_non_null(m);
	m->type = HD_MOUNT_BIND;
	m->source = hd_strdup(src);
	m->target = hd_strdup(dst);
	m->read_only = ro;
	return m;
}

static void test_mounts(void **state)
{
	struct hd_container_spec *c;
	struct hd_mount *m;

	(void)state;
	c = hardened();
	bind(c, "/var/run/docker.sock", "/var/run/docker.sock", true);
	bind(c, "/run", "/host/run", false);
	bind(c, "/run/user/1000/docker.sock", "/d.sock", false);
	bind(c, "/run/containerd/containerd.sock", "/c.sock", false);
	bind(c, "/srv/data", "/data", false);
	run(c);
	only("container/docker-socket-mount", 4);
	assert_non_null(strstr(found.v[0].message, "read-only does not help"));
	hd_container_spec_free(c);

	c = hardened();
	bind(c, "/", "/host", true);
	bind(c, "/etc", "/host/etc", false);
	bind(c, "/etc/nginx/nginx.conf", "/etc/nginx/nginx.conf", true);
	bind(c, "/proc", "/host/proc", true);
	bind(c, "~/.ssh", "/root/.ssh", true);
	bind(c, "$HOME/.aws", "/root/.aws", true);
	bind(c, "/var", "/host/var", false);
	bind(c, "/etc/shadow", "/etc/shadow", true);
	bind(c, "//etc//", "/e", true);
	bind(c, "./data", "/data", false);
	bind(c, "/home/alice/.ssh/id_rsa", "/id", true);
	run(c);
	/* "/" also holds the engine's socket. */
	assert_int_equal(count("container/docker-socket-mount"), 1);
	assert_int_equal(count("container/sensitive-host-mount"), 9);
	assert_int_equal(found.n, 10);
	/* Order of findings is order of mounts; severities follow path and mode. */
	{
		enum hd_severity want[] = { HD_SEV_HIGH, HD_SEV_CRITICAL, HD_SEV_MEDIUM, HD_SEV_HIGH,
					    HD_SEV_HIGH, HD_SEV_CRITICAL, HD_SEV_HIGH, HD_SEV_HIGH, HD_SEV_HIGH };
		size_t i, k = 0;

		for (i = 0; i < found.n; i++) {
			if (strcmp(found.v[i].rule->id, "container/sensitive-host-mount") != 0)
				continue;
			if (found.v[i].severity != want[k]) {
				dump();
				fail_msg("finding %zu has severity %d", k, found.v[i].severity);
			}
			k++;
		}
	}
	hd_container_spec_free(c);

	/* Writable beats read-only whatever the order. */
	c = hardened();
	bind(c, "/etc", "/a", false);
	bind(c, "/etc", "/b", true);
	run(c);
	assert_int_equal(count("container/sensitive-host-mount"), 2);
	assert_int_equal(found.v[0].severity, HD_SEV_CRITICAL);
	hd_container_spec_free(c);
	c = hardened();
	bind(c, "/etc", "/b", true);
	bind(c, "/etc", "/a", false);
	run(c);
	assert_int_equal(found.v[1].severity, HD_SEV_CRITICAL);
	hd_container_spec_free(c);

	/* Named volumes are not host paths. */
	c = hardened();
	m = bind(c, "etc", "/etc", false);
	m->type = HD_MOUNT_VOLUME;
	run(c);
	assert_int_equal(found.n, 0);
	hd_container_spec_free(c);

	c = hardened();
	m = bind(c, "/srv/data", "/data", false);
	m->propagation = hd_strdup("rshared");
	m = bind(c, "/srv/x", "/x", false);
	m->propagation = hd_strdup("rslave");
	run(c);
	only("container/shared-mount-propagation", 1);
	hd_container_spec_free(c);
}

static void test_devices(void **state)
{
	struct hd_container_spec *c = hardened();
	static const char *const devs[] = { "/dev/mem", "/dev/kmsg", "/dev/sda", "/dev/nvme0n1",
					    "/dev/ttyUSB0", "/dev/fuse" };
	static const enum hd_severity sev[] = { HD_SEV_CRITICAL, HD_SEV_HIGH, HD_SEV_CRITICAL,
						HD_SEV_CRITICAL, HD_SEV_MEDIUM, HD_SEV_LOW };
	size_t i;

	(void)state;
	for (i = 0; i < HD_ARRAY_SIZE(devs); i++) {
		struct hd_device *d = hd_container_add_device(c, NULL);

		assert_non_null(d);
		d->host_path = hd_strdup(devs[i]);
	}
	assert_int_equal(hd_items_add(&c->device_cgroup_rules, "a *:* rwm", NULL), 0);
	assert_int_equal(hd_items_add(&c->device_cgroup_rules, "c 1:3 mr", NULL), 0);
	run(c);
	only("container/host-device", 7);
	for (i = 0; i < HD_ARRAY_SIZE(devs); i++)
		assert_int_equal(found.v[i].severity, sev[i]);
	hd_container_spec_free(c);
}

static struct hd_port *port(struct hd_container_spec *c, const char *ip, uint32_t host, uint32_t ctr)
{
	struct hd_origin o = at(10, (uint32_t)c->n_ports + 1, "--publish");
	struct hd_port *p = hd_container_add_port(c, &o);

	assert_non_null(p);
	p->host_ip = ip ? hd_strdup(ip) : NULL;
	p->host_port_lo = p->host_port_hi = host;
	p->ctr_port_lo = p->ctr_port_hi = ctr;
	p->published = true;
	return p;
}

static void test_ports(void **state)
{
	struct hd_container_spec *c;
	struct hd_port *p;

	(void)state;
	c = hardened();
	port(c, NULL, 8081, 80);
	port(c, "0.0.0.0", 0, 9000);
	port(c, "::", 9001, 9001);
	port(c, "10.0.0.5", 9002, 9002);
	run(c);
	only("container/port-all-interfaces", 3);
	assert_non_null(strstr(found.v[0].message, "ufw"));
	hd_container_spec_free(c);

	c = hardened();
	port(c, "127.0.0.1", 80, 80);
	port(c, "127.0.0.1", 2222, 22);
	run(c);
	assert_int_equal(count("container/privileged-port"), 1);
	assert_int_equal(count("container/ssh-port"), 1);
	assert_int_equal(found.n, 2);
	hd_container_spec_free(c);

	c = hardened();
	port(c, NULL, 15432, 5432);
	port(c, "127.0.0.1", 6379, 6379);
	p = port(c, NULL, 2375, 2375);
	p = port(c, NULL, 27000, 27000);
	p->host_port_hi = p->ctr_port_hi = 27100;
	run(c);
	assert_int_equal(count("container/database-port-exposed"), 3);
	assert_int_equal(count("container/port-all-interfaces"), 3);
	assert_int_equal(found.n, 6);
	assert_int_equal(first("container/database-port-exposed")->severity, HD_SEV_HIGH);
	{
		size_t i, crit = 0;

		for (i = 0; i < found.n; i++)
			crit += found.v[i].severity == HD_SEV_CRITICAL;
		assert_int_equal(crit, 1); /* 2375 */
	}
	hd_container_spec_free(c);

	c = hardened();
	p = port(c, NULL, 0, 0);
	p->unknown = true;
	p = port(c, NULL, 0, 5432);
	p->published = false; /* exposed only */
	run(c);
	assert_int_equal(found.n, 0);
	assert_int_equal(hd_flag_setting_set(&c->publish_all, true, NULL), 0);
	run(c);
	only("container/port-all-interfaces", 1);
	hd_container_spec_free(c);
}

static void test_lifecycle(void **state)
{
	struct hd_container_spec *c;
	struct hd_origin o = at(11, 2, "--restart");

	(void)state;
	c = hardened();
	assert_int_equal(hd_str_setting_set(&c->restart, "always", &o), 0);
	c->restart_max_retries.set = false;
	run(c);
	only("container/restart-policy", 1);
	assert_int_equal(hd_str_setting_set(&c->restart, "unless-stopped", &o), 0);
	run(c);
	only("container/restart-policy", 1);
	assert_int_equal(hd_str_setting_set(&c->restart, "on-failure", &o), 0);
	run(c);
	only("container/restart-policy", 1);
	assert_int_equal(hd_str_setting_set(&c->restart, "no", &o), 0);
	run(c);
	assert_int_equal(found.n, 0);
	hd_container_spec_free(c);

	c = hardened();
	c->healthcheck.set = false;
	run(c);
	only("container/no-healthcheck", 1);
	assert_non_null(strstr(found.v[0].message, "could not be known"));
	c->image_facts.known = true;
	c->image_facts.healthcheck_known = true;
	run(c);
	only("container/no-healthcheck", 1);
	assert_non_null(strstr(found.v[0].message, "neither"));
	c->image_facts.has_healthcheck = true;
	run(c);
	assert_int_equal(found.n, 0);
	c->healthcheck.disabled = true;
	run(c);
	only("container/healthcheck-disabled", 1);
	assert_non_null(strstr(found.v[0].message, "that its image defines"));
	hd_container_spec_free(c);

	c = hardened();
	assert_int_equal(hd_str_setting_set(&c->log_driver, "none", &o), 0);
	run(c);
	only("container/logging-disabled", 1);
	assert_int_equal(hd_str_setting_set(&c->log_driver, "journald", &o), 0);
	run(c);
	assert_int_equal(found.n, 0);
	assert_int_equal(hd_str_setting_set(&c->cgroup_parent, "/custom", &o), 0);
	run(c);
	only("container/cgroup-parent", 1);
	hd_container_spec_free(c);
}

static void test_image(void **state)
{
	struct hd_container_spec *c;
	struct hd_origin o = at(12, 30, "IMAGE");

	(void)state;
	c = hardened();
	assert_int_equal(hd_container_set_image(c, "nginx", &o), 0);
	run(c);
	only("container/image-latest", 1);
	assert_int_equal(found.v[0].col, 30);
	assert_non_null(strstr(found.v[0].message, "without a tag"));
	assert_int_equal(hd_container_set_image(c, "nginx:latest", &o), 0);
	run(c);
	only("container/image-latest", 1);
	assert_int_equal(hd_container_set_image(c, "nginx:1.27", &o), 0);
	run(c);
	only("container/image-not-pinned", 1);
	assert_int_equal(hd_container_set_image(c, "nginx:latest@sha256:0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef", &o), 0);
	run(c);
	assert_int_equal(found.n, 0);
	assert_int_equal(hd_container_set_image(c, "$IMAGE", &o), 0);
	c->image.unknown = true;
	run(c);
	assert_int_equal(found.n, 0);

	/* Trusted registries, only when configured. */
	assert_int_equal(hd_container_set_image(c, "nginx:1.27@sha256:0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef", &o), 0);
	assert_int_equal(hd_strlist_add(&cfg.trusted_registries, "registry.example.com"), 0);
	run(c);
	only("container/untrusted-registry", 1);
	assert_non_null(strstr(found.v[0].message, "docker.io"));
	assert_int_equal(hd_container_set_image(c, "registry.example.com/app:1@sha256:0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef", &o), 0);
	run(c);
	assert_int_equal(found.n, 0);
	hd_strlist_release(&cfg.trusted_registries);
	hd_container_spec_free(c);
}

static struct hd_env *env(struct hd_container_spec *c, const char *name, const char *value)
{
	struct hd_origin o = at(13, (uint32_t)c->n_env + 1, "--env");
	struct hd_env *e = hd_container_add_env(c, &o);

	assert_non_null(e);
	e->name = hd_strdup(name);
	e->value = value ? hd_strdup(value) : NULL;
	return e;
}

static void test_secrets(void **state)
{
	struct hd_container_spec *c;

	(void)state;
	c = hardened();
	env(c, "DB_PASSWORD", "hunter2");                     /* name, literal: high */
	env(c, "GITHUB_TOKEN", NULL);                         /* name, passed through from the host: info */
	env(c, "API_KEY", "$API_KEY");                        /* name, variable: medium */
	env(c, "AWS", "AKIAIOSFODNN7EXAMPLE");                /* shape */
	env(c, "DATABASE_URL", "postgres://app:s3cret@db/app"); /* shape */
	env(c, "X", "eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxMjM0NTY3ODkwIn0.abc");
	env(c, "KEY", "-----BEGIN RSA PRIVATE KEY-----\nMII...");
	env(c, "DB_PASSWORD_FILE", "/run/secrets/db");        /* the right way */
	env(c, "PWD", "/app");
	env(c, "CACHE_KEY_PREFIX", "x");
	env(c, "PASSWORD_POLICY", "strict");
	env(c, "URL", "https://example.com/a@b");
	env(c, "EMPTY_SECRET", "");
	env(c, "MONKEY", "banana");
	run(c);
	only("container/secret-in-env", 7);
	assert_int_equal(found.v[0].severity, HD_SEV_HIGH);
	assert_int_equal(found.v[1].severity, HD_SEV_INFO);
	assert_int_equal(found.v[2].severity, HD_SEV_MEDIUM);
	assert_non_null(strstr(found.v[3].message, "AWS access key"));
	assert_non_null(strstr(found.v[4].message, "URL with a password"));
	assert_non_null(strstr(found.v[5].message, "JSON Web Token"));
	assert_non_null(strstr(found.v[6].message, "private key"));
	assert_non_null(strstr(found.v[0].message, "secrets"));
	hd_container_spec_free(c);
}

static void test_sysctl_and_processes(void **state)
{
	struct hd_container_spec *c;
	struct hd_origin o = at(14, 1, "--sysctl");

	(void)state;
	c = hardened();
	assert_int_equal(hd_kvs_add(&c->sysctls, "kernel.msgmax", "65536", &o), 0);
	assert_int_equal(hd_kvs_add(&c->sysctls, "net.ipv4.ip_forward", "1", &o), 0);
	run(c);
	only("container/dangerous-sysctl", 1);
	assert_int_equal(hd_ns_setting_set(&c->network, "host", &o), 0);
	run(c);
	assert_int_equal(count("container/dangerous-sysctl"), 2);
	hd_container_spec_free(c);

	c = hardened();
	assert_int_equal(hd_items_add(&c->command, "/usr/sbin/sshd", &o), 0);
	assert_int_equal(hd_items_add(&c->command, "-D", &o), 0);
	run(c);
	only("container/sshd-running", 1);
	hd_container_spec_free(c);

	c = hardened();
	c->source = HD_SRC_ENGINE;
	assert_int_equal(hd_items_add(&c->processes, "nginx: master process nginx", NULL), 0);
	run(c);
	assert_int_equal(found.n, 0);
	assert_int_equal(hd_items_add(&c->processes, "sshd: /usr/sbin/sshd -D [listener]", NULL), 0);
	run(c);
	only("container/sshd-running", 1);
	hd_container_spec_free(c);

	c = hardened();
	assert_int_equal(hd_items_add(&c->command, "sh", &o), 0);
	assert_int_equal(hd_items_add(&c->command, "-c", &o), 0);
	assert_int_equal(hd_items_add(&c->command, "service ssh start && nginx", &o), 0);
	run(c);
	only("container/sshd-running", 1);
	hd_container_spec_free(c);
}

static void test_unknown_and_invalid(void **state)
{
	struct hd_container_spec *c = hardened();
	struct hd_origin o = at(15, 20, "--frob");

	(void)state;
	assert_int_equal(hd_items_add(&c->unknown_options, "--frob", &o), 0);
	assert_int_equal(hd_items_add(&c->invalid_options, "--memory=abc (expected a size such as 512m)", &o), 0);
	run(c);
	assert_int_equal(count("container/unknown-flag"), 1);
	assert_int_equal(count("container/invalid-option-value"), 1);
	assert_int_equal(found.n, 2);
	assert_int_equal(found.v[0].col, 20);
	hd_container_spec_free(c);
}

/* Runs the container rules on one spec found in an example. */
static int run_spec(struct hd_container_spec *c, void *ctx)
{
	size_t *n = ctx;

	(*n)++;
	run(c);
	return 0;
}

/* Parses an example with the shell splitter and the run-line parser, as `hardock lint` does. */
static void lint_example(const char *text)
{
	size_t n = 0;

	hd_findings_release(&found);
	assert_int_equal(hd_lint_script_specs("example.sh", text, strlen(text), run_spec, &n), 0);
	assert_int_equal(n, 1);
}

static void test_examples(void **state)
{
	size_t i, j, checked = 0;
	int bad = 0;

	(void)state;
	for (i = 0; i < hd_rule_count; i++) {
		const struct hd_rule *r = hd_rules[i];
		bool fired = false;

		/* Live-only rules of the engine audit have no run-line examples. */
		if (r->target != HD_TARGET_CONTAINER || !r->check || !hd_starts_with(r->id, "container/"))
			continue;
		if (r->bad_example) {
			lint_example(r->bad_example);
			for (j = 0; j < found.n; j++)
				fired |= found.v[j].rule == r;
			if (!fired) {
				print_message("bad example of %s does not fire it\n", r->id);
				bad++;
			}
		} else if (strcmp(r->id, "container/untrusted-registry") != 0 &&
			   strcmp(r->id, "container/image-not-allowed") != 0 &&
			   strcmp(r->id, "container/host-path-not-allowed") != 0) {
			/* Those three fire only with a list in the configuration. */
			print_message("rule %s has no bad example\n", r->id);
			bad++;
		}
		if (!r->good_example) {
			print_message("rule %s has no good example\n", r->id);
			bad++;
			continue;
		}
		lint_example(r->good_example);
		for (j = 0; j < found.n; j++) {
			print_message("good example of %s fires %s: %s\n", r->id, found.v[j].rule->id,
				      found.v[j].message);
			bad++;
		}
		checked++;
	}
	print_message("checked the examples of %zu container rules\n", checked);
	assert_true(checked >= 40);
	assert_int_equal(bad, 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_hardened_is_quiet),
		cmocka_unit_test(test_privileges),
		cmocka_unit_test(test_user),
		cmocka_unit_test(test_rootfs_and_resources),
		cmocka_unit_test(test_namespaces),
		cmocka_unit_test(test_mounts),
		cmocka_unit_test(test_devices),
		cmocka_unit_test(test_ports),
		cmocka_unit_test(test_lifecycle),
		cmocka_unit_test(test_image),
		cmocka_unit_test(test_secrets),
		cmocka_unit_test(test_sysctl_and_processes),
		cmocka_unit_test(test_unknown_and_invalid),
		cmocka_unit_test(test_examples),
	};
	return cmocka_run_group_tests(tests, setup, teardown);
}
