/*
 * Unit tests for parse/inspect.c on answers recorded from a real dockerd
 * 20.10 (tests/fixtures/engine/): container inspect to container_spec (every
 * setting with its JSON path), top and exec sessions, image inspect, the
 * lists, /version, /info with and without swarm, the swarm lists; then
 * wrong types, wrong shapes and garbage, each a clean -HD_EPROTO naming the
 * object and path; and allocation failures turned into -HD_ENOMEM.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <cmocka.h>

#include "core/common.h"
#include "core/buf.h"
#include "parse/inspect.h"

static struct hd_buf fx;

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

static struct hd_container_spec *ctr(const char *name)
{
	struct hd_container_spec *c = NULL;
	struct hd_diag d = { 0 };

	fixture(name);
	if (hd_inspect_container(fx.buf, fx.len, &c, &d) < 0)
		fail_msg("%s: %s", name, d.msg);
	return c;
}

static const struct hd_mount *mount_to(const struct hd_container_spec *c, const char *target)
{
	for (size_t i = 0; i < c->n_mounts; i++) {
		if (!strcmp(c->mounts[i].target, target))
			return &c->mounts[i];
	}
	return NULL;
}

static void test_created_insecure(void **state)
{
	struct hd_container_spec *c = ctr("container-created-insecure.json");
	const struct hd_mount *m;

	(void)state;
	assert_int_equal(c->source, HD_SRC_ENGINE);
	assert_string_equal(c->name, "insp1");
	assert_string_equal(c->state, "created");
	assert_false(c->running);
	assert_non_null(c->live);
	assert_string_equal(c->image.value, "hd/busybox:1");
	assert_string_equal(c->image_ref.tag, "1");
	assert_true(hd_starts_with(c->live->image_id, "sha256:"));
	assert_string_equal(c->user.value, "1000:1000");
	assert_string_equal(c->user.at.field, "Config.User");
	assert_true(c->privileged.set);
	assert_false(c->privileged.value);
	assert_int_equal(c->cap_add.n, 1);
	assert_string_equal(c->cap_add.v[0].value, "SYS_ADMIN");
	assert_string_equal(c->cap_add.v[0].at.field, "HostConfig.CapAdd[0]");
	assert_true(hd_items_has(&c->cap_drop, "ALL"));
	assert_non_null(hd_security_opt_find(c, "no-new-privileges", "true", NULL));
	assert_non_null(hd_security_opt_find(c, "seccomp", "unconfined", NULL));
	assert_non_null(hd_security_opt_find(c, "label", "disable", NULL));
	assert_non_null(hd_security_opt_find(c, "apparmor", "unconfined", NULL));
	assert_true(c->read_only.value);
	assert_int_equal(c->memory.value, 134217728);
	assert_string_equal(c->memory.at.field, "HostConfig.Memory");
	assert_int_equal(c->memory_reservation.value, 67108864);
	assert_int_equal(c->memory_swap.value, 268435456);
	assert_int_equal(c->nano_cpus.value, 1500000000);
	assert_int_equal(c->cpu_shares.value, 512);
	assert_false(c->cpu_quota.set);
	assert_int_equal(c->pids_limit.value, 100);
	assert_true(c->oom_kill_disable.value);
	assert_int_equal(c->n_ulimits, 1);
	assert_string_equal(c->ulimits[0].name, "nofile");
	assert_int_equal(c->ulimits[0].soft, 1024);
	assert_int_equal(c->ulimits[0].hard, 2048);
	assert_int_equal(c->network.mode, HD_NS_NAMED);
	assert_string_equal(c->network.value, "hdnet");
	assert_int_equal(c->pid.mode, HD_NS_HOST);
	assert_int_equal(c->ipc.mode, HD_NS_HOST);
	assert_int_equal(c->uts.mode, HD_NS_HOST);
	assert_int_equal(c->userns.mode, HD_NS_HOST);
	assert_int_equal(c->cgroupns.mode, HD_NS_HOST);
	m = mount_to(c, "/host");
	assert_non_null(m);
	assert_int_equal(m->type, HD_MOUNT_BIND);
	assert_string_equal(m->source, "/");
	assert_true(m->read_only);
	assert_string_equal(m->at.field, "HostConfig.Binds[0]");
	m = mount_to(c, "/x");
	assert_string_equal(m->source, "/var/run");
	assert_false(m->read_only);
	m = mount_to(c, "/data");
	assert_int_equal(m->type, HD_MOUNT_VOLUME);
	assert_string_equal(m->source, "vol1");
	assert_null(m->selinux);
	m = mount_to(c, "/hetc");
	assert_string_equal(m->propagation, "rshared");
	assert_string_equal(m->at.field, "HostConfig.Mounts[1]");
	assert_int_equal(c->tmpfs.n, 1);
	assert_string_equal(c->tmpfs.v[0].value, "/run:rw,size=64m");
	assert_int_equal(c->n_devices, 1);
	assert_string_equal(c->devices[0].host_path, "/dev/null");
	assert_string_equal(c->devices[0].perms, "r");
	assert_int_equal(c->device_cgroup_rules.n, 1);
	assert_int_equal(c->n_ports, 2);
	for (size_t i = 0; i < c->n_ports; i++) {
		const struct hd_port *p = &c->ports[i];

		assert_true(p->published);
		if (p->ctr_port_lo == 80) {
			assert_string_equal(p->host_ip, "127.0.0.1");
			assert_int_equal(p->host_port_lo, 8080);
			assert_int_equal(p->proto, HD_PROTO_TCP);
			assert_string_equal(p->at.field, "HostConfig.PortBindings.80/tcp[0]");
		} else {
			assert_int_equal(p->ctr_port_lo, 22);
			assert_null(p->host_ip);
			assert_int_equal(p->host_port_lo, 2222);
			assert_int_equal(p->proto, HD_PROTO_UDP);
		}
	}
	assert_int_equal(c->n_env, 2);
	assert_string_equal(c->env[0].name, "SECRET_TOKEN");
	assert_string_equal(c->env[0].value, "abc");
	assert_string_equal(c->env[0].at.field, "Config.Env[0]");
	assert_string_equal(c->env[1].name, "FOO");
	assert_null(c->env[1].value);
	assert_true(c->healthcheck.set);
	assert_false(c->healthcheck.disabled);
	assert_int_equal(c->healthcheck.interval_ns, 10000000000);
	assert_string_equal(c->restart.value, "on-failure");
	assert_int_equal(c->restart_max_retries.value, 5);
	assert_string_equal(c->log_driver.value, "none");
	assert_int_equal(c->sysctls.n, 1);
	assert_string_equal(c->sysctls.v[0].key, "net.ipv4.ip_forward");
	assert_string_equal(c->cgroup_parent.value, "/foo");
	assert_int_equal(c->extra_hosts.n, 1);
	assert_int_equal(c->labels.n, 1);
	assert_int_equal(c->command.n, 2);
	assert_string_equal(c->command.v[0].value, "sleep");
	assert_true(c->init.value);
	assert_string_equal(c->runtime.value, "runc");
	assert_int_equal(c->group_add.n, 1);
	assert_int_equal(c->networks.n, 1);
	assert_false(c->live->on_default_bridge);
	assert_string_equal(c->live->apparmor_profile, "unconfined");
	assert_int_equal(c->live->n_execs, 0);
	hd_container_spec_free(c);
}

static void test_running_top_exec(void **state)
{
	struct hd_container_spec *c = ctr("container-running.json");
	struct hd_diag d = { 0 };
	size_t i;

	(void)state;
	assert_true(c->running);
	assert_string_equal(c->state, "running");
	assert_int_equal(c->live->n_execs, 2);
	assert_string_equal(c->live->execs[1].at.field, "ExecIDs[1]");
	assert_false(c->privileged.value);
	assert_false(c->read_only.value);
	assert_false(c->memory.set);
	assert_false(c->pids_limit.set);
	fixture("top-run1.json");
	assert_int_equal(hd_inspect_top(fx.buf, fx.len, c, &d), 0);
	assert_true(c->live->processes_known);
	assert_true(c->live->n_procs >= 2);
	assert_int_equal(c->processes.n, c->live->n_procs);
	assert_string_equal(c->live->procs[0].args, "sleep 1000");
	assert_int_equal(c->live->procs[0].uid, 0);
	assert_true(c->live->procs[0].pid > 0);
	assert_true(hd_starts_with(c->processes.v[0].at.field, "top: PID "));
	for (i = 0; i < 2; i++) {
		char name[32];

		snprintf(name, sizeof(name), "exec-%zu.json", i);
		fixture(name);
		assert_int_equal(hd_inspect_exec(fx.buf, fx.len, i, c, &d), 0);
	}
	assert_false(c->live->execs[0].privileged);
	assert_null(c->live->execs[0].user);
	assert_string_equal(c->live->execs[0].command, "sleep 500");
	assert_string_equal(c->live->execs[1].user, "1000");
	assert_true(c->live->execs[1].running);
	fixture("exec-privileged.json");
	assert_int_equal(hd_inspect_exec(fx.buf, fx.len, 0, c, &d), 0);
	assert_true(c->live->execs[0].privileged);
	assert_string_equal(c->live->execs[0].user, "root");
	assert_int_equal(hd_inspect_exec(fx.buf, fx.len, 7, c, &d), -HD_EINVAL);
	hd_container_spec_free(c);
}

static void test_privileged_created(void **state)
{
	struct hd_container_spec *c = ctr("container-privileged-created.json");
	const struct hd_mount *m;

	(void)state;
	assert_true(c->privileged.value);
	assert_string_equal(c->restart.value, "always");
	assert_false(c->restart_max_retries.set);
	m = mount_to(c, "/var/run/docker.sock");
	assert_non_null(m);
	assert_string_equal(m->source, "/var/run/docker.sock");
	assert_true(c->live->on_default_bridge); /* NetworkMode "default" */
	hd_container_spec_free(c);
}

static void test_image(void **state)
{
	struct hd_image_spec *img = NULL;
	struct hd_diag d = { 0 };

	(void)state;
	fixture("image-busybox.json");
	assert_int_equal(hd_inspect_image(fx.buf, fx.len, 1800000000, &img, &d), 0);
	assert_string_equal(img->name, "hd/busybox:1");
	assert_false(img->dangling);
	assert_false(img->user.set);
	assert_false(img->healthcheck.set);
	assert_true(img->created > 1700000000);
	assert_int_equal(img->now, 1800000000);
	assert_false(img->usage_known);
	hd_image_spec_free(img);
}

static void test_lists(void **state)
{
	struct hd_ctr_summary *cs = NULL;
	struct hd_img_summary *is = NULL;
	struct hd_diag d = { 0 };
	size_t n = 0, i;
	bool seen_created = false;

	(void)state;
	fixture("containers.json");
	assert_int_equal(hd_inspect_container_list(fx.buf, fx.len, &cs, &n, &d), 0);
	assert_true(n >= 3);
	for (i = 0; i < n; i++) {
		assert_non_null(cs[i].id);
		assert_non_null(cs[i].name);
		assert_true(cs[i].name[0] != '/');
		seen_created |= !strcmp(cs[i].state, "created");
	}
	assert_true(seen_created);
	hd_ctr_summaries_free(cs, n);
	fixture("images.json");
	assert_int_equal(hd_inspect_image_list(fx.buf, fx.len, &is, &n, &d), 0);
	assert_int_equal(n, 1);
	assert_string_equal(is[0].first_tag, "hd/busybox:1");
	hd_img_summaries_free(is, n);
}

static void test_version_info(void **state)
{
	struct hd_engine_facts *f = hd_engine_facts_new();
	struct hd_diag d = { 0 };

	(void)state;
	fixture("version.json");
	assert_int_equal(hd_inspect_version(fx.buf, fx.len, f, &d), 0);
	assert_true(f->version_known);
	assert_string_equal(f->version, "20.10.24+dfsg1");
	assert_non_null(f->containerd_version);
	assert_non_null(f->runc_version);
	fixture("info-noswarm.json");
	assert_int_equal(hd_inspect_info(fx.buf, fx.len, f, &d), 0);
	assert_true(f->info_known);
	assert_string_equal(f->root_dir, "/tmp/hdev/data");
	assert_true(f->seccomp);
	assert_false(f->apparmor);
	assert_false(f->selinux);
	assert_string_equal(f->seccomp_profile, "default");
	assert_int_equal(f->swarm, HD_SWARM_INACTIVE);
	assert_int_equal(f->insecure_registries.n, 0);
	assert_true(f->runtimes.n >= 1);
	hd_engine_facts_free(f);

	f = hd_engine_facts_new();
	fixture("info-swarm.json");
	assert_int_equal(hd_inspect_info(fx.buf, fx.len, f, &d), 0);
	assert_int_equal(f->swarm, HD_SWARM_ACTIVE);
	assert_true(f->swarm_manager);
	assert_int_equal(f->swarm_managers, 1);
	assert_int_equal(f->swarm_port, 2377);
	assert_true(f->swarm_spec_known);
	assert_false(f->swarm_autolock);
	assert_int_equal(f->node_cert_expiry_ns, 7776000000000000);
	assert_true(f->ca_cert_not_after > f->swarm_created);
	fixture("nodes.json");
	assert_int_equal(hd_inspect_nodes(fx.buf, fx.len, f, &d), 0);
	assert_true(f->data_path_known);
	assert_false(f->data_path_separate);
	fixture("networks.json");
	assert_int_equal(hd_inspect_networks(fx.buf, fx.len, f, &d), 0);
	{
		bool ovl1 = false, ovl2 = false;

		for (size_t i = 0; i < f->n_networks; i++) {
			if (!strcmp(f->networks[i].name, "ovl1"))
				ovl1 = !f->networks[i].encrypted;
			if (!strcmp(f->networks[i].name, "ovl2"))
				ovl2 = f->networks[i].encrypted;
		}
		assert_true(ovl1 && ovl2);
	}
	fixture("services.json");
	assert_int_equal(hd_inspect_services(fx.buf, fx.len, f, &d), 0);
	assert_int_equal(f->n_services, 1);
	assert_int_equal(f->n_services_with_secrets, 1);
	assert_int_equal(f->n_service_ports, 1);
	assert_int_equal(f->service_ports[0].published, 8088);
	assert_string_equal(f->service_ports[0].mode, "ingress");
	fixture("secrets.json");
	assert_int_equal(hd_inspect_secrets(fx.buf, fx.len, f, &d), 0);
	assert_int_equal(f->n_secrets, 1);
	hd_engine_facts_free(f);
}

/* Feeds a text to the container reader and checks the error names the path. */
static void expect_proto(const char *json, const char *path_in_msg)
{
	struct hd_container_spec *c = NULL;
	struct hd_diag d = { 0 };

	assert_int_equal(hd_inspect_container(json, strlen(json), &c, &d), -HD_EPROTO);
	assert_null(c);
	if (!d.msg || !strstr(d.msg, path_in_msg))
		fail_msg("expected '%s' in '%s'", path_in_msg, d.msg ? d.msg : "(null)");
	hd_diag_release(&d);
}

static void test_garbage(void **state)
{
	struct hd_diag d = { 0 };
	struct hd_engine_facts *f = hd_engine_facts_new();
	struct hd_ctr_summary *cs = NULL;
	size_t n = 0;

	(void)state;
	expect_proto("", "not JSON");
	expect_proto("<html>502 Bad Gateway</html>", "not JSON");
	expect_proto("[]", "expected a JSON object");
	expect_proto("{\"Id\":\"x\"}", "HostConfig");
	expect_proto("{\"Id\":\"x\",\"Id\":\"y\"}", "not JSON");
	expect_proto("{\"Id\":1,\"Name\":\"/a\"}", "Id: expected a string");
	expect_proto("{\"Id\":\"abc\",\"Name\":\"/web\",\"State\":{},\"Config\":{},"
		     "\"HostConfig\":{\"Privileged\":\"true\"}}",
		     "container 'web': HostConfig.Privileged: expected a boolean");
	expect_proto("{\"Id\":\"abc\",\"Name\":\"/web\",\"State\":{},\"Config\":{},"
		     "\"HostConfig\":{\"Memory\":1.5}}", "HostConfig.Memory: expected an integer");
	expect_proto("{\"Id\":\"abc\",\"Name\":\"/web\",\"State\":{},\"Config\":{},"
		     "\"HostConfig\":{\"CapAdd\":[\"NET_ADMIN\",7]}}", "HostConfig.CapAdd[1]");
	expect_proto("{\"Id\":\"abc\",\"Name\":\"/web\",\"State\":{},\"Config\":{},"
		     "\"HostConfig\":{\"PortBindings\":{\"eighty\":[]}}}", "HostConfig.PortBindings.eighty");
	expect_proto("{\"Id\":\"abc\",\"Name\":\"/web\",\"State\":{},\"Config\":{},\"HostConfig\":{},"
		     "\"Mounts\":[{\"Type\":\"bind\"}]}", "Mounts[0]");
	expect_proto("{\"Id\":\"abc\",\"Name\":\"/web\",\"Config\":{},\"HostConfig\":{}}", "State");
	/* A minimal but valid document is fine: nulls are absent values. */
	{
		static const char ok[] = "{\"Id\":\"abc\",\"Name\":\"/web\",\"State\":{\"Status\":\"exited\"},"
					 "\"Config\":{\"Env\":null,\"User\":null},\"HostConfig\":{\"Privileged\":null,"
					 "\"PidsLimit\":null},\"Mounts\":null,\"ExecIDs\":null}";
		struct hd_container_spec *c = NULL;

		assert_int_equal(hd_inspect_container(ok, sizeof(ok) - 1, &c, &d), 0);
		assert_false(c->privileged.set);
		assert_false(c->pids_limit.set);
		hd_container_spec_free(c);
	}
	assert_int_equal(hd_inspect_info("{\"Swarm\":{}}", 12, f, &d), -HD_EPROTO);
	hd_diag_release(&d);
	assert_int_equal(hd_inspect_version("{\"Version\":3}", 13, f, &d), -HD_EPROTO);
	assert_non_null(strstr(d.msg, "Version"));
	hd_diag_release(&d);
	assert_int_equal(hd_inspect_container_list("{}", 2, &cs, &n, &d), -HD_EPROTO);
	hd_diag_release(&d);
	assert_int_equal(hd_inspect_container_list("[{\"Names\":[\"/a\"]}]", 19, &cs, &n, &d), -HD_EPROTO);
	hd_diag_release(&d);
	hd_engine_facts_free(f);
}

static void test_top_shapes(void **state)
{
	struct hd_container_spec *c = ctr("container-running.json");
	struct hd_diag d = { 0 };
	static const char ef[] = "{\"Titles\":[\"UID\",\"PID\",\"PPID\",\"C\",\"STIME\",\"TTY\",\"TIME\",\"CMD\"],"
				 "\"Processes\":[[\"root\",\"4242\",\"1\",\"0\",\"10:00\",\"?\",\"00:00:00\","
				 "\"/usr/sbin/sshd -D\"]]}";

	(void)state;
	assert_int_equal(hd_inspect_top(ef, sizeof(ef) - 1, c, &d), 0);
	assert_int_equal(c->live->procs[0].pid, 4242);
	assert_int_equal(c->live->procs[0].uid, 0);
	assert_string_equal(c->live->procs[0].args, "/usr/sbin/sshd -D");
	assert_int_equal(hd_inspect_top("{\"Titles\":[\"PID\"],\"Processes\":[]}", 33, c, &d), -HD_EPROTO);
	assert_non_null(strstr(d.msg, "CMD"));
	hd_diag_release(&d);
	assert_int_equal(hd_inspect_top("{\"Titles\":[\"PID\",\"CMD\"],\"Processes\":[[\"1\"]]}", 44, c, &d),
			 -HD_EPROTO);
	hd_diag_release(&d);
	hd_container_spec_free(c);
}


/* A create body read as dockerd reads it. */
static struct hd_container_spec *body(const char *json)
{
	struct hd_container_spec *c = NULL;
	struct hd_diag d = { 0 };

	if (hd_inspect_create_body(json, strlen(json), "t", &c, &d) < 0)
		fail_msg("%s: %s", json, d.msg);
	hd_diag_release(&d);
	return c;
}

static void test_create_body_as_dockerd(void **state)
{
	struct hd_container_spec *c;

	(void)state;
	/* Lowercase keys name the same fields (issue 9's first bypass). */
	c = body("{\"Image\":\"x\",\"hostconfig\":{\"binds\":[\"/:/host\"],\"capadd\":[\"SYS_ADMIN\"],"
		 "\"pidmode\":\"host\"}}");
	assert_int_equal(c->n_mounts, 1);
	assert_int_equal(c->mounts[0].type, HD_MOUNT_BIND);
	assert_string_equal(c->mounts[0].source, "/");
	assert_string_equal(c->mounts[0].target, "/host");
	assert_string_equal(c->mounts[0].at.field, "hostconfig.binds[0]");
	assert_true(hd_items_has(&c->cap_add, "SYS_ADMIN"));
	assert_int_equal(c->pid.mode, HD_NS_HOST);
	assert_string_equal(c->pid.at.field, "hostconfig.pidmode");
	hd_container_spec_free(c);
	c = body("{\"Image\":\"x\",\"HostConfig\":{\"privileged\":true}}");
	assert_true(c->privileged.value);
	hd_container_spec_free(c);
	/* The Kelvin sign and the long s fold to k and s; U+0131 folds to nothing. */
	c = body("{\"HostConfig\":{\"Networ\\u212aMode\":\"host\",\"\\u017fecurityOpt\":[\"seccomp=unconfined\"],"
		 "\"Pr\\u0131vileged\":true}}");
	assert_int_equal(c->network.mode, HD_NS_HOST);
	assert_non_null(hd_security_opt_find(c, "seccomp", "unconfined", NULL));
	assert_false(c->privileged.set);
	hd_container_spec_free(c);
	/* The last key wins, between case variants and exact duplicates alike. */
	c = body("{\"HostConfig\":{\"Privileged\":true,\"privileged\":false,\"Privileged\":true}}");
	assert_true(c->privileged.value);
	hd_container_spec_free(c);
	c = body("{\"HostConfig\":{\"Privileged\":true,\"PRIVILEGED\":false}}");
	assert_true(c->privileged.set);
	assert_false(c->privileged.value);
	hd_container_spec_free(c);
	/* A second HostConfig merges into the first. */
	c = body("{\"HostConfig\":{\"Privileged\":true},\"HostConfig\":{\"Memory\":268435456}}");
	assert_true(c->privileged.value);
	assert_int_equal(c->memory.value, 268435456);
	hd_container_spec_free(c);
	/* Without a HostConfig, host settings at the top level are used (old clients). */
	c = body("{\"Image\":\"x\",\"Privileged\":true,\"Binds\":[\"/:/h\"]}");
	assert_true(c->privileged.value);
	assert_string_equal(c->privileged.at.field, "Privileged");
	assert_int_equal(c->n_mounts, 1);
	hd_container_spec_free(c);
	/* With one, only Memory, MemorySwap, CpuShares, CpusetCpus and Cpuset come from the top. */
	c = body("{\"Image\":\"x\",\"Privileged\":true,\"Memory\":1073741824,\"Cpuset\":\"0-1\","
		 "\"HostConfig\":{\"CpuShares\":0}}");
	assert_false(c->privileged.set);
	assert_int_equal(c->memory.value, 1073741824);
	assert_string_equal(c->memory.at.field, "Memory");
	assert_string_equal(c->cpuset_cpus.value, "0-1");
	hd_container_spec_free(c);
	/* Capabilities: case and the CAP_ prefix, one string or a list. */
	c = body("{\"HostConfig\":{\"CapAdd\":\"cap_sys_admin\",\"capdrop\":[\" Cap_Net_Raw \"]}}");
	assert_string_equal(c->cap_add.v[0].value, "SYS_ADMIN");
	assert_string_equal(c->cap_drop.v[0].value, "NET_RAW");
	hd_container_spec_free(c);
	/* A value docker refuses is listed, not set: the same range as a run line's. */
	c = body("{\"HostConfig\":{\"OomScoreAdj\":5000,\"SecurityOpt\":[\"bogus\"]}}");
	assert_false(c->oom_score_adj.set);
	assert_int_equal(c->invalid_options.n, 2);
	assert_string_equal(c->invalid_options.v[0].value,
			    "HostConfig.SecurityOpt[0]=bogus (expected key=value)");
	assert_string_equal(c->invalid_options.v[1].value,
			    "HostConfig.OomScoreAdj=5000 (expected an integer from -1000 to 1000)");
	assert_string_equal(c->invalid_options.v[1].at.field, "HostConfig.OomScoreAdj");
	hd_container_spec_free(c);
	/* A local volume with bind options is a bind of its device. */
	c = body("{\"HostConfig\":{\"Mounts\":[{\"Type\":\"volume\",\"Source\":\"v\",\"Target\":\"/x\","
		 "\"VolumeOptions\":{\"DriverConfig\":{\"Name\":\"local\",\"Options\":{\"type\":\"none\","
		 "\"o\":\"bind\",\"device\":\"/\"}}}}]}}");
	assert_int_equal(c->n_mounts, 1);
	assert_int_equal(c->mounts[0].type, HD_MOUNT_BIND);
	assert_string_equal(c->mounts[0].source, "/");
	assert_string_equal(c->mounts[0].volume, "v");
	assert_string_equal(c->mounts[0].at.field, "HostConfig.Mounts[0]");
	hd_container_spec_free(c);
	/* A repeated Mounts decodes into the earlier element: still a bind of /. */
	c = body("{\"HostConfig\":{\"Mounts\":[{\"Type\":\"bind\",\"Source\":\"/\",\"Target\":\"/a\"}],"
		 "\"mounts\":[{\"Target\":\"/x\"}]}}");
	assert_int_equal(c->n_mounts, 1);
	assert_int_equal(c->mounts[0].type, HD_MOUNT_BIND);
	assert_string_equal(c->mounts[0].source, "/");
	assert_string_equal(c->mounts[0].target, "/x");
	hd_container_spec_free(c);
	/* null resets a pointer (PidsLimit) but not a plain value (Privileged). */
	c = body("{\"HostConfig\":{\"PidsLimit\":100,\"PidsLimit\":null,\"Privileged\":true,\"Privileged\":null}}");
	assert_false(c->pids_limit.set);
	assert_true(c->privileged.value);
	hd_container_spec_free(c);
}

static void test_exec_body(void **state)
{
	struct hd_exec_body e;
	struct hd_diag d = { 0 };
	static const char lower[] = "{\"Cmd\":[\"sh\"],\"privileged\":true}";
	static const char flip[] = "{\"Privileged\":true,\"privileged\":false}";

	(void)state;
	assert_int_equal(hd_inspect_exec_body(lower, sizeof(lower) - 1, &e, &d), 0);
	assert_true(e.privileged);
	assert_string_equal(e.privileged_at.field, "privileged");
	assert_int_equal(e.command.n, 1);
	hd_exec_body_release(&e);
	assert_int_equal(hd_inspect_exec_body(flip, sizeof(flip) - 1, &e, &d), 0);
	assert_false(e.privileged);
	hd_exec_body_release(&e);
	assert_int_equal(hd_inspect_exec_body("{\"Privileged\":1}", 16, &e, &d), -HD_EPROTO);
	assert_non_null(strstr(d.msg, "Privileged: expected a boolean"));
	hd_diag_release(&d);
}

/* Every setting the table gives a JSON path has a reader. */
static void test_table_paths(void **state)
{
	size_t i;

	(void)state;
	for (i = 0; i < HD_CS_MAX; i++) {
		const struct hd_cset *s = &hd_csets[i];

		if ((*s->inspect || *s->create) && !hd_inspect_reads_kind(s->kind))
			fail_msg("setting '%s' has a JSON path but its kind has no reader", s->name);
	}
}

static void test_rfc3339(void **state)
{
	int64_t t;

	(void)state;
	assert_int_equal(hd_parse_rfc3339("1970-01-01T00:00:00Z", &t), 0);
	assert_int_equal(t, 0);
	assert_int_equal(hd_parse_rfc3339("2024-02-29T12:34:56.123456789Z", &t), 0);
	assert_int_equal(t, 1709210096);
	assert_int_equal(hd_parse_rfc3339("2024-02-29T14:34:56+02:00", &t), 0);
	assert_int_equal(t, 1709210096);
	assert_int_equal(hd_parse_rfc3339("0001-01-01T00:00:00Z", &t), 0);
	assert_true(t < 0);
	assert_int_equal(hd_parse_rfc3339("2024-13-01T00:00:00Z", &t), -HD_EINVAL);
	assert_int_equal(hd_parse_rfc3339("2024-01-01", &t), -HD_EINVAL);
	assert_int_equal(hd_parse_rfc3339("2024-01-01T00:00:00", &t), -HD_EINVAL);
	assert_int_equal(hd_parse_rfc3339("2024-01-01T00:00:00.Z", &t), -HD_EINVAL);
}

static void test_oom(void **state)
{
	unsigned long n;
	int r;

	(void)state;
	fixture("container-created-insecure.json");
	for (n = 1; n < 5000; n++) {
		struct hd_container_spec *c = NULL;
		struct hd_diag d = { 0 };

		hd_alloc_fail_at(n);
		r = hd_inspect_container(fx.buf, fx.len, &c, &d);
		hd_alloc_fail_at(0);
		hd_container_spec_free(c);
		hd_diag_release(&d);
		if (r == 0)
			break;
		assert_int_equal(r, -HD_ENOMEM);
	}
	assert_true(n < 5000);
}

static int teardown(void **state)
{
	(void)state;
	hd_buf_release(&fx);
	return 0;
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_created_insecure),
		cmocka_unit_test(test_running_top_exec),
		cmocka_unit_test(test_privileged_created),
		cmocka_unit_test(test_image),
		cmocka_unit_test(test_lists),
		cmocka_unit_test(test_version_info),
		cmocka_unit_test(test_garbage),
		cmocka_unit_test(test_top_shapes),
		cmocka_unit_test(test_create_body_as_dockerd),
		cmocka_unit_test(test_exec_body),
		cmocka_unit_test(test_table_paths),
		cmocka_unit_test(test_rfc3339),
		cmocka_unit_test(test_oom),
	};

	hd_buf_init(&fx, 16u << 20);
	return cmocka_run_group_tests(tests, NULL, teardown);
}
