/*
 * Unit tests for the compose loader (src/parse/compose*.c) and the compose
 * lint entry: interpolation in every form, short and long syntaxes, units,
 * anchors and merge keys, file merging, extends and include, env files,
 * errors with positions, and bad input (alias bombs, deep nesting, tabs,
 * duplicate keys) staying bounded.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <cmocka.h>

#include "core/common.h"
#include "core/buf.h"
#include "core/config.h"
#include "lint/lint_compose.h"
#include "parse/compose.h"

#include <sys/stat.h>
#include <unistd.h>

/* ---- helpers ----------------------------------------------------------------------- */

static const char *test_env[] = { "SET=value", "EMPTY=", "TAG=1.27", "PORT=8080", NULL };

static const char *lookup(void *ctx, const char *name, size_t len)
{
	size_t i;

	(void)ctx;
	for (i = 0; test_env[i]; i++) {
		if (strncmp(test_env[i], name, len) == 0 && test_env[i][len] == '=')
			return test_env[i] + len + 1;
	}
	return NULL;
}

/* Interpolates s; returns the result (static buffer) or "ERR:<message>". */
static const char *interp(const char *s)
{
	static char out[1024];
	char *res = NULL, *err = NULL;
	int r = hd_compose_interpolate(s, strlen(s), lookup, NULL, &res, &err, NULL);

	if (r < 0) {
		assert_int_equal(r, -HD_EINVAL);
		assert_non_null(err);
		snprintf(out, sizeof(out), "ERR:%s", err);
		hd_free(err);
	} else {
		snprintf(out, sizeof(out), "%s", res);
		hd_free(res);
	}
	return out;
}

struct loaded {
	struct hd_project *p;
	struct hd_compose_issues issues;
};

static void load_str(struct loaded *l, const char *yaml)
{
	struct hd_compose_file f = { "compose.yaml", yaml, strlen(yaml) };
	struct hd_compose_opts o = { .env = test_env, .no_disk = true, .project_dir = "/srv/app" };

	hd_compose_issues_init(&l->issues);
	assert_int_equal(hd_compose_load(&f, 1, &o, &l->p, &l->issues), 0);
	assert_non_null(l->p);
}

static void load_paths(struct loaded *l, const char **paths, size_t n)
{
	struct hd_compose_file f[4];
	struct hd_compose_opts o = { .env = test_env };
	size_t i;

	memset(f, 0, sizeof(f));
	for (i = 0; i < n; i++)
		f[i].path = paths[i];
	hd_compose_issues_init(&l->issues);
	assert_int_equal(hd_compose_load(f, n, &o, &l->p, &l->issues), 0);
	assert_non_null(l->p);
}

static void unload(struct loaded *l)
{
	hd_project_free(l->p);
	hd_compose_issues_release(&l->issues);
}

static void dump_issues(const struct loaded *l)
{
	size_t i;

	for (i = 0; i < l->issues.n; i++)
		print_message("issue %d %s:%u:%u %s\n", l->issues.v[i].kind, l->issues.v[i].file,
			      l->issues.v[i].line, l->issues.v[i].col, l->issues.v[i].msg);
}

/* The one issue of the load, checked for kind and position. */
static void expect_issue(const struct loaded *l, enum hd_compose_issue_kind kind, uint32_t line, uint32_t col,
			 const char *substr)
{
	size_t i;

	for (i = 0; i < l->issues.n; i++) {
		const struct hd_compose_issue *x = &l->issues.v[i];

		if (x->kind == kind && x->line == line && x->col == col && strstr(x->msg, substr))
			return;
	}
	dump_issues(l);
	fail_msg("no issue kind %d at %u:%u containing '%s'", kind, line, col, substr);
}

static const struct hd_container_spec *svc(const struct loaded *l, const char *name)
{
	const struct hd_container_spec *c = hd_project_service(l->p, name);

	assert_non_null(c);
	return c;
}

static const char *env_of(const struct hd_container_spec *c, const char *name)
{
	size_t i;

	for (i = c->n_env; i-- > 0;) {
		if (strcmp(c->env[i].name, name) == 0)
			return c->env[i].value ? c->env[i].value : "(null)";
	}
	return NULL;
}

static char tmpdir[256];

static void write_file(const char *name, const char *content)
{
	char path[512];
	FILE *fp;

	snprintf(path, sizeof(path), "%s/%s", tmpdir, name);
	fp = fopen(path, "w");
	assert_non_null(fp);
	fputs(content, fp);
	fclose(fp);
}

static const char *tpath(const char *name)
{
	static char bufs[4][512];
	static int k;

	k = (k + 1) % 4;
	snprintf(bufs[k], sizeof(bufs[k]), "%s/%s", tmpdir, name);
	return bufs[k];
}

static int setup(void **state)
{
	(void)state;
	snprintf(tmpdir, sizeof(tmpdir), "/tmp/hd-test-compose-XXXXXX");
	return mkdtemp(tmpdir) ? 0 : -1;
}

static int teardown(void **state)
{
	char cmd[600];

	(void)state;
	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", tmpdir);
	return system(cmd) == 0 ? 0 : -1;
}

/* ---- interpolation ---------------------------------------------------------------------- */

static void test_interpolation(void **state)
{
	bool unset = false;
	char *res = NULL, *err = NULL;

	(void)state;
	assert_string_equal(interp("plain"), "plain");
	assert_string_equal(interp("$SET"), "value");
	assert_string_equal(interp("a${SET}b"), "avalueb");
	assert_string_equal(interp("$SET-x"), "value-x");
	/* Unset without a default: unknown, kept as written. */
	assert_string_equal(interp("$UNSET"), "$UNSET");
	assert_string_equal(interp("${UNSET}"), "${UNSET}");
	assert_string_equal(interp("a-${UNSET}-$SET"), "a-${UNSET}-value");
	assert_string_equal(interp("$$SET"), "$SET");
	assert_string_equal(interp("$${SET}"), "${SET}");
	/* :- takes the default when unset or empty, - only when unset. */
	assert_string_equal(interp("${UNSET:-d}"), "d");
	assert_string_equal(interp("${EMPTY:-d}"), "d");
	assert_string_equal(interp("${SET:-d}"), "value");
	assert_string_equal(interp("${UNSET-d}"), "d");
	assert_string_equal(interp("${EMPTY-d}"), "");
	assert_string_equal(interp("${SET-d}"), "value");
	/* :+ and + give the alternative when set (and non-empty). */
	assert_string_equal(interp("${SET:+alt}"), "alt");
	assert_string_equal(interp("${EMPTY:+alt}"), "");
	assert_string_equal(interp("${EMPTY+alt}"), "alt");
	assert_string_equal(interp("${UNSET+alt}"), "");
	/* :? and ? fail when unset (or empty). */
	assert_string_equal(interp("${UNSET:?need it}"), "ERR:required variable UNSET is missing a value: need it");
	assert_string_equal(interp("${EMPTY:?need it}"), "ERR:required variable EMPTY is missing a value: need it");
	assert_string_equal(interp("${EMPTY?need it}"), "");
	assert_string_equal(interp("${UNSET?}"), "ERR:required variable UNSET is missing a value");
	assert_string_equal(interp("${SET:?x}"), "value");
	/* Nesting: defaults and alternatives are interpolated in turn. */
	assert_string_equal(interp("${UNSET:-${SET}}"), "value");
	assert_string_equal(interp("${UNSET:-${ALSO_UNSET:-deep}}"), "deep");
	assert_string_equal(interp("${UNSET:-a-$TAG-b}"), "a-1.27-b");
	assert_string_equal(interp("${SET:+${TAG}:${PORT}}"), "1.27:8080");
	assert_string_equal(interp("nginx:${TAG:-latest}"), "nginx:1.27");
	/* What compose leaves as written, and what it refuses. */
	assert_string_equal(interp("echo $(date) $1 cost$"), "echo $(date) $1 cost$");
	assert_string_equal(interp("${UNCLOSED"), "ERR:invalid interpolation format: unterminated '${' in '${UNCLOSED'");
	assert_true(hd_starts_with(interp("${1BAD}"), "ERR:invalid interpolation format"));
	assert_true(hd_starts_with(interp("${SET:x}"), "ERR:invalid interpolation format"));
	assert_true(hd_starts_with(interp("${}"), "ERR:invalid interpolation format"));
	/* The unset flag tells callers the value is not known. */
	assert_int_equal(hd_compose_interpolate("a$UNSET", 7, lookup, NULL, &res, &err, &unset), 0);
	assert_true(unset);
	hd_free(res);
	assert_int_equal(hd_compose_interpolate("${UNSET:-d}", 11, lookup, NULL, &res, &err, &unset), 0);
	assert_false(unset);
	hd_free(res);
}

/* ---- syntaxes and units ------------------------------------------------------------------ */

static void test_service_settings(void **state)
{
	struct loaded l;
	const struct hd_container_spec *c;

	(void)state;
	load_str(&l, "services:\n"
		     "  web:\n"
		     "    image: nginx:${TAG}\n"
		     "    user: \"1000:1000\"\n"
		     "    privileged: true\n"
		     "    read_only: yes\n"
		     "    init: true\n"
		     "    cap_add: [cap_net_admin, SYS_ptrace]\n"
		     "    cap_drop:\n      - ALL\n"
		     "    security_opt: [no-new-privileges, \"seccomp:unconfined\", label=disable]\n"
		     "    mem_limit: 0.1G\n"
		     "    mem_reservation: 128m\n"
		     "    memswap_limit: -1\n"
		     "    cpus: 1.5\n"
		     "    cpu_shares: 512\n"
		     "    cpu_quota: 50000\n"
		     "    pids_limit: 100\n"
		     "    oom_kill_disable: true\n"
		     "    network_mode: host\n"
		     "    pid: host\n"
		     "    ipc: shareable\n"
		     "    uts: host\n"
		     "    userns_mode: host\n"
		     "    cgroup: private\n"
		     "    restart: on-failure:5\n"
		     "    runtime: runsc\n"
		     "    group_add: [docker, 999]\n"
		     "    tmpfs: /run\n"
		     "    devices: [\"/dev/sda:/dev/xvda:rwm\", /dev/kmsg]\n"
		     "    device_cgroup_rules: ['c 1:3 mr']\n"
		     "    extra_hosts: [\"db:10.0.0.2\"]\n"
		     "    logging:\n      driver: none\n      options: {max-size: 10m}\n"
		     "    cgroup_parent: m-executor\n"
		     "    entrypoint: /bin/sh -c\n"
		     "    command: [\"echo\", \"hi there\"]\n");
	dump_issues(&l);
	assert_int_equal(l.issues.n, 0);
	c = svc(&l, "web");
	assert_string_equal(c->image.value, "nginx:1.27");
	assert_string_equal(c->image_ref.tag, "1.27");
	assert_int_equal(c->image.at.line, 3);
	assert_int_equal(c->image.at.col, 5);
	assert_string_equal(c->image.at.field, "services.web.image");
	assert_string_equal(c->user.value, "1000:1000");
	assert_true(c->privileged.set && c->privileged.value);
	assert_int_equal(c->privileged.at.line, 5);
	assert_true(c->read_only.value);
	assert_true(c->init.value);
	assert_int_equal(c->cap_add.n, 2);
	assert_string_equal(c->cap_add.v[0].value, "NET_ADMIN");
	assert_string_equal(c->cap_add.v[1].value, "SYS_PTRACE");
	assert_int_equal(c->cap_add.v[1].at.line, 8);
	assert_true(hd_items_has(&c->cap_drop, "ALL"));
	assert_int_equal(c->cap_drop.v[0].at.line, 10);
	assert_int_equal(c->cap_drop.v[0].at.col, 9);
	assert_string_equal(c->security_opt.v[0].value, "no-new-privileges=true");
	assert_string_equal(c->security_opt.v[1].value, "seccomp=unconfined");
	assert_string_equal(c->security_opt.v[2].value, "label=disable");
	assert_int_equal(c->memory.value, 107374182);
	assert_int_equal(c->memory_reservation.value, 128 * 1024 * 1024);
	assert_int_equal(c->memory_swap.value, -1);
	assert_int_equal(c->nano_cpus.value, 1500000000);
	assert_int_equal(c->cpu_shares.value, 512);
	assert_int_equal(c->cpu_quota.value, 50000);
	assert_int_equal(c->pids_limit.value, 100);
	assert_true(c->oom_kill_disable.value);
	assert_int_equal(c->network.mode, HD_NS_HOST);
	assert_true(c->network.set);
	assert_int_equal(c->pid.mode, HD_NS_HOST);
	assert_int_equal(c->ipc.mode, HD_NS_NAMED);
	assert_int_equal(c->uts.mode, HD_NS_HOST);
	assert_int_equal(c->userns.mode, HD_NS_HOST);
	assert_int_equal(c->cgroupns.mode, HD_NS_PRIVATE);
	assert_string_equal(c->restart.value, "on-failure");
	assert_int_equal(c->restart_max_retries.value, 5);
	assert_string_equal(c->runtime.value, "runsc");
	assert_int_equal(c->group_add.n, 2);
	assert_string_equal(c->group_add.v[1].value, "999");
	assert_string_equal(c->tmpfs.v[0].value, "/run");
	assert_int_equal(c->n_devices, 2);
	assert_string_equal(c->devices[0].host_path, "/dev/sda");
	assert_string_equal(c->devices[0].container_path, "/dev/xvda");
	assert_string_equal(c->devices[0].perms, "rwm");
	assert_string_equal(c->devices[1].container_path, "/dev/kmsg");
	assert_string_equal(c->device_cgroup_rules.v[0].value, "c 1:3 mr");
	assert_string_equal(c->extra_hosts.v[0].value, "db:10.0.0.2");
	assert_string_equal(c->log_driver.value, "none");
	assert_string_equal(c->log_opts.v[0].key, "max-size");
	assert_string_equal(c->cgroup_parent.value, "m-executor");
	assert_int_equal(c->command.n, 4);
	assert_string_equal(c->command.v[0].value, "/bin/sh");
	assert_string_equal(c->command.v[3].value, "hi there");
	unload(&l);
}

static void test_deploy_and_units(void **state)
{
	struct loaded l;
	const struct hd_container_spec *c;

	(void)state;
	load_str(&l, "services:\n"
		     "  a:\n"
		     "    image: a\n"
		     "    deploy:\n"
		     "      resources:\n"
		     "        limits: {memory: 512M, cpus: '0.25', pids: 64}\n"
		     "        reservations: {memory: 1gb}\n"
		     "      restart_policy: {condition: on-failure, max_attempts: 3}\n"
		     "  b:\n"
		     "    image: b\n"
		     "    mem_limit: 1073741824\n"
		     "    cpus: 2\n"
		     "    restart: always\n"
		     "    deploy:\n"
		     "      resources: {limits: {memory: 2g}}\n"
		     "  c:\n"
		     "    image: c\n"
		     "    mem_limit: lots\n");
	c = svc(&l, "a");
	assert_int_equal(c->memory.value, 512 * 1024 * 1024);
	assert_string_equal(c->memory.at.field, "services.a.deploy.resources.limits.memory");
	assert_int_equal(c->memory.at.line, 6);
	assert_int_equal(c->nano_cpus.value, 250000000);
	assert_int_equal(c->pids_limit.value, 64);
	assert_int_equal(c->memory_reservation.value, 1024 * 1024 * 1024);
	assert_string_equal(c->restart.value, "on-failure");
	assert_int_equal(c->restart_max_retries.value, 3);
	c = svc(&l, "b");
	/* mem_limit wins over deploy limits. */
	assert_int_equal(c->memory.value, 1073741824);
	assert_int_equal(c->nano_cpus.value, 2000000000);
	assert_string_equal(c->restart.value, "always");
	expect_issue(&l, HD_CI_INVALID, 18, 16, "cannot understand mem_limit 'lots' as a size");
	unload(&l);
}

/*
 * The same value gets the same validation as on a run line or in a create
 * body (model/container_opts.def): ranges, key=value security options and
 * sysctls, retry counts.  A local-driver bind volume is a bind of its device.
 */
static void test_table_validation(void **state)
{
	struct loaded l;
	const struct hd_container_spec *c;

	(void)state;
	load_str(&l, "services:\n"
		     "  a:\n"
		     "    image: a\n"
		     "    oom_score_adj: 2000\n"
		     "    security_opt: [bogus, 'label:disable']\n"
		     "    sysctls: [net.ipv4.ip_forward, net.core.somaxconn=1024]\n"
		     "    labels: [bare]\n"
		     "    mem_limit: -1\n"
		     "    memswap_limit: -1\n"
		     "    deploy:\n"
		     "      restart_policy:\n"
		     "        max_attempts: -3\n"
		     "    volumes: [root:/host, 'plain:/data']\n"
		     "volumes:\n"
		     "  root:\n"
		     "    driver_opts: {type: none, o: bind, device: /}\n"
		     "  plain: {}\n");
	c = svc(&l, "a");
	expect_issue(&l, HD_CI_INVALID, 4, 20,
		     "oom_score_adj '2000' is out of range: expected an integer from -1000 to 1000");
	assert_false(c->oom_score_adj.set);
	expect_issue(&l, HD_CI_INVALID, 5, 20, "cannot understand security_opt 'bogus': expected key=value");
	assert_int_equal(c->security_opt.n, 1);
	assert_string_equal(c->security_opt.v[0].value, "label=disable");
	expect_issue(&l, HD_CI_INVALID, 6, 15, "cannot understand sysctls 'net.ipv4.ip_forward': expected key=value");
	assert_int_equal(c->sysctls.n, 1);
	assert_int_equal(c->labels.n, 1);
	expect_issue(&l, HD_CI_INVALID, 8, 16, "cannot understand mem_limit '-1' as a size");
	assert_false(c->memory.set);
	assert_true(c->memory_swap.set);
	assert_int_equal(c->memory_swap.value, -1);
	expect_issue(&l, HD_CI_INVALID, 12, 23, "max_attempts '-3' is out of range: expected an integer of at least 0");
	assert_false(c->restart_max_retries.set);
	assert_int_equal(c->n_mounts, 2);
	assert_int_equal(c->mounts[0].type, HD_MOUNT_BIND);
	assert_string_equal(c->mounts[0].source, "/");
	assert_string_equal(c->mounts[0].volume, "root");
	assert_int_equal(c->mounts[0].at.line, 13);
	assert_int_equal(c->mounts[1].type, HD_MOUNT_VOLUME);
	assert_string_equal(c->mounts[1].source, "plain");
	unload(&l);
}

static void test_ports(void **state)
{
	struct loaded l;
	const struct hd_container_spec *c;

	(void)state;
	load_str(&l, "services:\n"
		     "  web:\n"
		     "    image: web\n"
		     "    ports:\n"
		     "      - 80\n"
		     "      - \"8080:80\"\n"
		     "      - 127.0.0.1:5432:5432\n"
		     "      - \"[::1]:6379:6379/udp\"\n"
		     "      - 9000-9002:9000-9002\n"
		     "      - 127.0.0.1::22\n"
		     "      - \"${PORT}:80\"\n"
		     "      - target: 443\n"
		     "        published: \"8443\"\n"
		     "        host_ip: 0.0.0.0\n"
		     "        protocol: tcp\n"
		     "      - bad:port:x\n"
		     "    expose: [\"3000\", 4000/udp]\n");
	c = svc(&l, "web");
	assert_int_equal(c->n_ports, 11);
	assert_int_equal(c->ports[0].ctr_port_lo, 80);
	assert_int_equal(c->ports[0].host_port_lo, 0);
	assert_true(c->ports[0].published);
	assert_null(c->ports[0].host_ip);
	assert_int_equal(c->ports[1].host_port_lo, 8080);
	assert_int_equal(c->ports[1].at.line, 6);
	assert_int_equal(c->ports[1].at.col, 9);
	assert_string_equal(c->ports[2].host_ip, "127.0.0.1");
	assert_int_equal(c->ports[2].host_port_lo, 5432);
	assert_string_equal(c->ports[3].host_ip, "::1");
	assert_int_equal(c->ports[3].proto, HD_PROTO_UDP);
	assert_int_equal(c->ports[4].host_port_lo, 9000);
	assert_int_equal(c->ports[4].host_port_hi, 9002);
	assert_int_equal(c->ports[5].host_port_lo, 0);
	assert_int_equal(c->ports[5].ctr_port_lo, 22);
	assert_int_equal(c->ports[6].host_port_lo, 8080);
	assert_int_equal(c->ports[7].ctr_port_lo, 443);
	assert_int_equal(c->ports[7].host_port_lo, 8443);
	assert_string_equal(c->ports[7].host_ip, "0.0.0.0");
	assert_false(c->ports[9].published);
	assert_int_equal(c->ports[9].ctr_port_lo, 3000);
	assert_true(c->ports[8].published);
	assert_int_equal(c->ports[10].proto, HD_PROTO_UDP);
	expect_issue(&l, HD_CI_INVALID, 16, 9, "cannot understand port 'bad:port:x'");
	unload(&l);
}

static void test_volumes_secrets(void **state)
{
	struct loaded l;
	const struct hd_container_spec *c;

	(void)state;
	load_str(&l, "services:\n"
		     "  web:\n"
		     "    image: web\n"
		     "    volumes:\n"
		     "      - /var/run/docker.sock:/var/run/docker.sock:ro\n"
		     "      - ./data:/data:rw,z\n"
		     "      - ../up/x:/x:rshared\n"
		     "      - named:/named\n"
		     "      - /anon\n"
		     "      - type: bind\n"
		     "        source: /etc\n"
		     "        target: /host-etc\n"
		     "        read_only: true\n"
		     "        bind: {propagation: rslave}\n"
		     "      - {type: tmpfs, target: /tmp}\n"
		     "    secrets:\n"
		     "      - db_pw\n"
		     "      - source: api_key\n"
		     "        target: /run/secrets/key\n"
		     "    configs: [nginx_conf]\n"
		     "secrets:\n"
		     "  db_pw: {file: ./pw.txt}\n"
		     "  api_key: {environment: API_KEY}\n"
		     "configs:\n"
		     "  nginx_conf: {file: ./nginx.conf}\n");
	dump_issues(&l);
	assert_int_equal(l.issues.n, 0);
	c = svc(&l, "web");
	assert_int_equal(c->n_mounts, 7);
	assert_int_equal(c->mounts[0].type, HD_MOUNT_BIND);
	assert_string_equal(c->mounts[0].source, "/var/run/docker.sock");
	assert_true(c->mounts[0].read_only);
	assert_string_equal(c->mounts[1].source, "/srv/app/data");
	assert_false(c->mounts[1].read_only);
	assert_string_equal(c->mounts[1].selinux, "z");
	assert_string_equal(c->mounts[2].source, "/srv/up/x");
	assert_string_equal(c->mounts[2].propagation, "rshared");
	assert_int_equal(c->mounts[3].type, HD_MOUNT_VOLUME);
	assert_string_equal(c->mounts[3].source, "named");
	assert_null(c->mounts[4].source);
	assert_string_equal(c->mounts[4].target, "/anon");
	assert_int_equal(c->mounts[5].type, HD_MOUNT_BIND);
	assert_string_equal(c->mounts[5].source, "/etc");
	assert_true(c->mounts[5].read_only);
	assert_string_equal(c->mounts[5].propagation, "rslave");
	assert_int_equal(c->mounts[5].at.line, 10);
	assert_int_equal(c->mounts[6].type, HD_MOUNT_TMPFS);
	assert_int_equal(c->n_secrets, 3);
	assert_string_equal(c->secrets[0].name, "db_pw");
	assert_string_equal(c->secrets[1].target, "/run/secrets/key");
	assert_true(c->secrets[2].is_config);
	assert_int_equal(l.p->n_secrets, 3);
	assert_int_equal(l.p->secrets[1].source, HD_SECRET_ENVIRONMENT);
	assert_string_equal(l.p->secrets[1].value, "API_KEY");
	assert_int_equal(l.p->secrets[1].at.line, 23);
	assert_true(l.p->secrets[2].is_config);
	unload(&l);
}

static void test_env_healthcheck_lists(void **state)
{
	struct loaded l;
	const struct hd_container_spec *c;

	(void)state;
	load_str(&l, "services:\n"
		     "  a:\n"
		     "    image: a\n"
		     "    environment:\n"
		     "      - PASSWORD=secret\n"
		     "      - FROM_HOST\n"
		     "    labels: [\"a=1\", b=2]\n"
		     "    sysctls: [net.ipv4.ip_forward=1]\n"
		     "    ulimits: {nofile: {soft: 1024, hard: 2048}, nproc: 512}\n"
		     "    healthcheck: {disable: true}\n"
		     "  b:\n"
		     "    image: b\n"
		     "    environment: {TOKEN: abc, EMPTY: null, NUM: 3}\n"
		     "    sysctls: {net.core.somaxconn: 1024}\n"
		     "    healthcheck:\n"
		     "      test: [\"NONE\"]\n"
		     "  c:\n"
		     "    image: c\n"
		     "    healthcheck:\n"
		     "      test: curl -f http://localhost/\n"
		     "      interval: 1m30s\n"
		     "      timeout: 10s\n"
		     "      start_period: 500ms\n"
		     "      retries: 3\n");
	dump_issues(&l);
	assert_int_equal(l.issues.n, 0);
	c = svc(&l, "a");
	assert_string_equal(env_of(c, "PASSWORD"), "secret");
	assert_string_equal(env_of(c, "FROM_HOST"), "(null)");
	assert_int_equal(c->env[0].at.line, 5);
	assert_int_equal(c->labels.n, 2);
	assert_string_equal(c->sysctls.v[0].key, "net.ipv4.ip_forward");
	assert_string_equal(c->sysctls.v[0].value, "1");
	assert_int_equal(c->n_ulimits, 2);
	assert_int_equal(c->ulimits[0].soft, 1024);
	assert_int_equal(c->ulimits[0].hard, 2048);
	assert_int_equal(c->ulimits[1].soft, 512);
	assert_int_equal(c->ulimits[1].hard, 512);
	assert_true(c->healthcheck.set && c->healthcheck.disabled);
	c = svc(&l, "b");
	assert_string_equal(env_of(c, "TOKEN"), "abc");
	assert_string_equal(env_of(c, "EMPTY"), "(null)");
	assert_string_equal(env_of(c, "NUM"), "3");
	assert_string_equal(c->sysctls.v[0].value, "1024");
	assert_true(c->healthcheck.disabled);
	c = svc(&l, "c");
	assert_true(c->healthcheck.set);
	assert_false(c->healthcheck.disabled);
	assert_int_equal(c->healthcheck.interval_ns, 90000000000LL);
	assert_int_equal(c->healthcheck.timeout_ns, 10000000000LL);
	assert_int_equal(c->healthcheck.start_period_ns, 500000000LL);
	assert_int_equal(c->healthcheck.retries, 3);
	unload(&l);
}

static void test_networks(void **state)
{
	struct loaded l;
	const struct hd_container_spec *c;

	(void)state;
	load_str(&l, "services:\n"
		     "  a: {image: a}\n"
		     "  b:\n    image: b\n    networks: [front, back]\n"
		     "  c:\n    image: c\n    networks:\n      back:\n        aliases: [db]\n"
		     "  d:\n    image: d\n    network_mode: \"service:c\"\n"
		     "  e:\n"
		     "networks:\n  front: {}\n  back: {internal: true, driver: bridge}\n");
	dump_issues(&l);
	assert_int_equal(l.issues.n, 0);
	c = svc(&l, "a");
	assert_int_equal(c->network.mode, HD_NS_NAMED);
	assert_false(c->network.set);
	assert_string_equal(c->network.value, "default");
	c = svc(&l, "b");
	assert_int_equal(c->networks.n, 2);
	assert_true(c->network.set);
	c = svc(&l, "c");
	assert_string_equal(c->networks.v[0].value, "back");
	c = svc(&l, "d");
	assert_int_equal(c->network.mode, HD_NS_CONTAINER);
	c = svc(&l, "e");
	assert_int_equal(c->network.mode, HD_NS_NAMED);
	assert_int_equal(l.p->n_networks, 2);
	assert_true(l.p->networks[1].internal);
	assert_string_equal(l.p->networks[1].driver, "bridge");
	unload(&l);
}

/* ---- YAML features and bad input ----------------------------------------------------------- */

static void test_anchors_merge_keys(void **state)
{
	struct loaded l;
	const struct hd_container_spec *c;

	(void)state;
	load_str(&l, "x-base: &base\n"
		     "  image: base:1\n"
		     "  privileged: true\n"
		     "  environment: &env\n"
		     "    A: \"1\"\n"
		     "x-more: &more\n"
		     "  read_only: true\n"
		     "  image: more:1\n"
		     "services:\n"
		     "  web:\n"
		     "    <<: [*base, *more]\n"
		     "    privileged: false\n"
		     "  job:\n"
		     "    <<: *base\n"
		     "    environment: *env\n"
		     "    command: >\n"
		     "      run\n"
		     "      --fast\n");
	dump_issues(&l);
	assert_int_equal(l.issues.n, 0);
	c = svc(&l, "web");
	/* Explicit keys win, then earlier merged mappings. */
	assert_false(c->privileged.value);
	assert_int_equal(c->privileged.at.line, 12);
	assert_string_equal(c->image.value, "base:1");
	assert_int_equal(c->image.at.line, 2);
	assert_true(c->read_only.value);
	c = svc(&l, "job");
	assert_true(c->privileged.value);
	assert_string_equal(env_of(c, "A"), "1");
	assert_int_equal(c->command.n, 2);
	assert_string_equal(c->command.v[1].value, "--fast");
	unload(&l);
}

static void test_errors_with_positions(void **state)
{
	struct loaded l;

	(void)state;
	/* A string where a list is required, unknown keys, wrong types. */
	load_str(&l, "services:\n"
		     "  web:\n"
		     "    image: web\n"
		     "    cap_drop: ALL\n"
		     "    privilegd: true\n"
		     "    ports: 80\n"
		     "    read_only: [true]\n"
		     "    x-custom: fine\n"
		     "volumes: {data: {}}\n"
		     "wat: 1\n"
		     "x-top: ignored\n");
	expect_issue(&l, HD_CI_INVALID, 4, 5, "'services.web.cap_drop' must be a list, not a string");
	expect_issue(&l, HD_CI_INVALID, 5, 5, "unknown key 'privilegd' in 'services.web'");
	expect_issue(&l, HD_CI_INVALID, 6, 5, "'services.web.ports' must be a list, not an integer");
	expect_issue(&l, HD_CI_INVALID, 7, 5, "'services.web.read_only' must be");
	expect_issue(&l, HD_CI_INVALID, 10, 1, "unknown top-level key 'wat'");
	assert_int_equal(l.issues.n, 5);
	unload(&l);

	/* YAML syntax errors: line and column; tabs for indentation. */
	load_str(&l, "services:\n  web:\n    image: \"unclosed\n");
	assert_int_equal(l.issues.n, 1);
	assert_int_equal(l.issues.v[0].kind, HD_CI_SYNTAX);
	assert_true(l.issues.v[0].line >= 3);
	assert_true(hd_starts_with(l.issues.v[0].msg, "invalid YAML"));
	assert_int_equal(l.p->n_services, 0);
	unload(&l);
	load_str(&l, "services:\n\tweb:\n\t\timage: x\n");
	assert_int_equal(l.issues.n, 1);
	assert_int_equal(l.issues.v[0].kind, HD_CI_SYNTAX);
	assert_true(l.issues.v[0].line == 2 || l.issues.v[0].line == 3);
	unload(&l);

	/* Duplicate keys: the later wins, reported where it is. */
	load_str(&l, "services:\n  web:\n    image: a\n    image: b\n");
	expect_issue(&l, HD_CI_INVALID, 4, 5, "duplicate key 'image' (first at line 3)");
	assert_string_equal(svc(&l, "web")->image.value, "b");
	unload(&l);

	/* A required variable missing: position of the value. */
	load_str(&l, "services:\n  web:\n    image: \"nginx:${MISSING:?set MISSING}\"\n");
	expect_issue(&l, HD_CI_VARIABLE, 3, 12, "required variable MISSING is missing a value: set MISSING");
	unload(&l);

	/* Not a mapping at all. */
	load_str(&l, "- just\n- a list\n");
	expect_issue(&l, HD_CI_INVALID, 1, 1, "a compose file must be a mapping");
	unload(&l);

	/* Empty files are fine. */
	load_str(&l, "");
	assert_int_equal(l.issues.n, 0);
	unload(&l);
}

static void test_bombs_and_depth(void **state)
{
	struct hd_buf b = HD_BUF_INIT(1u << 20);
	struct loaded l;
	int i;

	(void)state;
	/* Billion laughs: nine levels of ten aliases. */
	assert_int_equal(hd_buf_addstr(&b, "x-a: &a [\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\"]\n"), 0);
	for (i = 1; i < 9; i++) {
		char p = (char)('a' + i - 1), c = (char)('a' + i);

		assert_int_equal(hd_buf_addf(&b, "x-%c: &%c [*%c,*%c,*%c,*%c,*%c,*%c,*%c,*%c,*%c,*%c]\n", c, c, p, p, p,
					     p, p, p, p, p, p, p), 0);
	}
	assert_int_equal(hd_buf_addstr(&b, "services:\n  web:\n    image: x\n    command: *i\n"), 0);
	load_str(&l, b.buf);
	assert_int_equal(l.issues.n, 1);
	assert_int_equal(l.issues.v[0].kind, HD_CI_SYNTAX);
	assert_non_null(strstr(l.issues.v[0].msg, "aliases are expanded"));
	unload(&l);

	/* Merge-key bombs are bounded too. */
	hd_buf_reset(&b);
	assert_int_equal(hd_buf_addstr(&b, "x-0: &k0 {a: 1, b: 2}\n"), 0);
	for (i = 1; i < 30; i++)
		assert_int_equal(hd_buf_addf(&b, "x-%d: &k%d {x%d: [*k%d, *k%d], y%d: *k%d}\n", i, i, i, i - 1, i - 1, i,
					     i - 1), 0);
	assert_int_equal(hd_buf_addstr(&b, "services:\n  web:\n    <<: *k29\n"), 0);
	load_str(&l, b.buf);
	assert_true(l.issues.n >= 1);
	assert_int_equal(l.issues.v[0].kind, HD_CI_SYNTAX);
	unload(&l);

	/* 1000-deep nesting: a clear error, no stack overflow. */
	hd_buf_reset(&b);
	assert_int_equal(hd_buf_addstr(&b, "services:\n  web:\n    labels: "), 0);
	for (i = 0; i < 1000; i++)
		assert_int_equal(hd_buf_addch(&b, '['), 0);
	for (i = 0; i < 1000; i++)
		assert_int_equal(hd_buf_addch(&b, ']'), 0);
	assert_int_equal(hd_buf_addch(&b, '\n'), 0);
	load_str(&l, b.buf);
	assert_int_equal(l.issues.n, 1);
	assert_int_equal(l.issues.v[0].kind, HD_CI_SYNTAX);
	assert_int_equal(l.issues.v[0].line, 3);
	unload(&l);
	hd_buf_release(&b);
}

/* ---- files: .env, override, -f, extends, include, env_file ------------------------------------ */

static void test_dotenv_and_override(void **state)
{
	struct loaded l;
	const struct hd_container_spec *c;
	const char *paths[1];
	char main_path[512];

	(void)state;
	write_file(".env", "# comment\nexport IMG=redis\nTAG2=\"7.${UNSET_MINOR:-2}\"\nQ='$NOT'\nUNQ=a b # trailing\n");
	write_file("docker-compose.yml", "services:\n"
					 "  cache:\n"
					 "    image: ${IMG}:${TAG2}\n"
					 "    ports: [\"6379:6379\"]\n"
					 "    environment: [A=1, B=2]\n"
					 "    labels: {q: $Q, unq: $UNQ}\n"
					 "    cap_add: [NET_ADMIN]\n"
					 "    command: [redis-server]\n");
	write_file("docker-compose.override.yml", "services:\n"
						  "  cache:\n"
						  "    ports: [\"127.0.0.1:6380:6379\"]\n"
						  "    environment: {B: override, C: \"3\"}\n"
						  "    cap_add: [SYS_ADMIN]\n"
						  "    command: [redis-server, --save, \"\"]\n"
						  "    privileged: true\n");
	snprintf(main_path, sizeof(main_path), "%s", tpath("docker-compose.yml"));
	paths[0] = main_path;
	load_paths(&l, paths, 1);
	dump_issues(&l);
	assert_int_equal(l.issues.n, 0);
	assert_int_equal(l.p->n_files, 2);
	c = svc(&l, "cache");
	assert_string_equal(c->image.value, "redis:7.2");
	assert_int_equal(c->n_ports, 2);
	assert_string_equal(env_of(c, "A"), "1");
	assert_string_equal(env_of(c, "B"), "override");
	assert_string_equal(env_of(c, "C"), "3");
	assert_int_equal(c->labels.n, 2);
	assert_string_equal(c->labels.v[0].value, "$NOT");
	assert_string_equal(c->labels.v[1].value, "a b");
	assert_int_equal(c->cap_add.n, 2);
	assert_int_equal(c->command.n, 3);
	assert_true(c->privileged.value);
	/* The setting from the override file points into it. */
	assert_string_equal(c->privileged.at.file, tpath("docker-compose.override.yml"));
	assert_int_equal(c->privileged.at.line, 7);
	assert_string_equal(c->image.at.file, tpath("docker-compose.yml"));
	unload(&l);
	unlink(tpath("docker-compose.override.yml"));
	unlink(tpath(".env"));

	/* No .env: variables are unset, their values unknown: kept as written, never guessed. */
	load_paths(&l, paths, 1);
	assert_int_equal(l.issues.n, 0);
	assert_string_equal(svc(&l, "cache")->image.value, "${IMG}:${TAG2}");
	assert_true(!svc(&l, "cache")->image_ref.raw || svc(&l, "cache")->image_ref.has_unresolved_var);
	unload(&l);

	/* The process environment is never read: only what is given explicitly. */
	setenv("IMG", "from-the-ci-job", 1);
	setenv("TAG2", "s3cr3t", 1);
	{
		struct hd_compose_file f = { paths[0], NULL, 0 };
		static const char *const given[] = { "IMG=given", NULL };
		struct hd_compose_opts o = { .env = NULL };

		hd_compose_issues_init(&l.issues);
		assert_int_equal(hd_compose_load(&f, 1, &o, &l.p, &l.issues), 0);
		assert_string_equal(svc(&l, "cache")->image.value, "${IMG}:${TAG2}");
		unload(&l);
		o.env = given;
		hd_compose_issues_init(&l.issues);
		assert_int_equal(hd_compose_load(&f, 1, &o, &l.p, &l.issues), 0);
		assert_string_equal(svc(&l, "cache")->image.value, "given:${TAG2}");
		unload(&l);
	}
	unsetenv("IMG");
	unsetenv("TAG2");
}

static void test_multiple_files(void **state)
{
	struct loaded l;
	const struct hd_container_spec *c;
	const char *paths[2];

	(void)state;
	write_file("a.yml", "services:\n  web:\n    image: web:1\n    volumes: [\"./a:/data\", \"/x:/x\"]\n"
			    "    security_opt: [no-new-privileges:true]\n    read_only: true\n");
	write_file("b.yml", "services:\n  web:\n    image: web:2\n    volumes: [\"./b:/data\"]\n"
			    "    read_only: !reset null\n  db:\n    image: db\n");
	paths[0] = tpath("a.yml");
	paths[1] = tpath("b.yml");
	load_paths(&l, paths, 2);
	dump_issues(&l);
	assert_int_equal(l.issues.n, 0);
	assert_int_equal(l.p->n_services, 2);
	c = svc(&l, "web");
	assert_string_equal(c->image.value, "web:2");
	/* Volumes merge by target: /data from b replaces a's. */
	assert_int_equal(c->n_mounts, 2);
	assert_string_equal(c->mounts[0].target, "/x");
	assert_non_null(strstr(c->mounts[1].source, "/b"));
	assert_int_equal(c->security_opt.n, 1);
	assert_false(c->read_only.set);
	unload(&l);
}

static void test_extends(void **state)
{
	struct loaded l;
	const struct hd_container_spec *c;
	const char *paths[1];

	(void)state;
	write_file("common.yml", "services:\n"
				 "  hardened:\n"
				 "    read_only: true\n"
				 "    cap_drop: [ALL]\n"
				 "    user: \"10001\"\n"
				 "    volumes: [\"./conf:/conf:ro\"]\n");
	write_file("ext.yml", "services:\n"
			      "  base:\n"
			      "    image: app:1\n"
			      "    extends: {file: common.yml, service: hardened}\n"
			      "    environment: {LEVEL: base}\n"
			      "  web:\n"
			      "    extends: base\n"
			      "    environment: {LEVEL: web}\n"
			      "  loop1:\n"
			      "    image: x\n"
			      "    extends: loop2\n"
			      "  loop2:\n"
			      "    image: y\n"
			      "    extends:\n"
			      "      service: loop1\n"
			      "  lost:\n"
			      "    extends: nowhere\n");
	paths[0] = tpath("ext.yml");
	load_paths(&l, paths, 1);
	c = svc(&l, "web");
	assert_string_equal(c->image.value, "app:1");
	assert_true(c->read_only.value);
	assert_string_equal(c->read_only.at.file, tpath("common.yml"));
	assert_int_equal(c->read_only.at.line, 3);
	assert_string_equal(c->user.value, "10001");
	assert_string_equal(env_of(c, "LEVEL"), "web");
	/* Relative paths of the extended file resolve from its directory. */
	assert_string_equal(c->mounts[0].source, tpath("conf"));
	/* Reported at the extends that closes the loop. */
	expect_issue(&l, HD_CI_INVALID, 14, 5, "circular extends: loop1 -> loop2 -> loop1");
	expect_issue(&l, HD_CI_INVALID, 11, 5, "circular extends: loop2 -> loop1 -> loop2");
	expect_issue(&l, HD_CI_INVALID, 17, 5, "extends: service 'nowhere' not found");
	unload(&l);
}

static void test_include_and_env_file(void **state)
{
	struct loaded l;
	const struct hd_container_spec *c;
	const char *paths[1];

	(void)state;
	mkdir(tpath("sub"), 0700);
	write_file("sub/inc.yml", "services:\n  db:\n    image: postgres:16\n    env_file: db.env\n");
	write_file("sub/db.env", "POSTGRES_PASSWORD=changeme\nBARE\n");
	write_file("app.env", "API_TOKEN=t0k3n\n");
	write_file("inc.yml", "include:\n"
			      "  - sub/inc.yml\n"
			      "  - path: missing.yml\n"
			      "services:\n"
			      "  app:\n"
			      "    image: app\n"
			      "    env_file:\n"
			      "      - app.env\n"
			      "      - path: optional.env\n"
			      "        required: false\n"
			      "      - absent.env\n");
	paths[0] = tpath("inc.yml");
	load_paths(&l, paths, 1);
	c = svc(&l, "db");
	assert_string_equal(env_of(c, "POSTGRES_PASSWORD"), "changeme");
	assert_string_equal(env_of(c, "BARE"), "(null)");
	assert_true(c->env[0].from_file);
	assert_string_equal(c->env[0].at.file, tpath("sub/db.env"));
	assert_int_equal(c->env[0].at.line, 1);
	c = svc(&l, "app");
	assert_string_equal(env_of(c, "API_TOKEN"), "t0k3n");
	assert_int_equal(c->env_files.n, 3);
	expect_issue(&l, HD_CI_MISSING_FILE, 3, 11, "included file");
	expect_issue(&l, HD_CI_MISSING_FILE, 11, 9, "env_file");
	assert_int_equal(l.issues.n, 2);
	unload(&l);
}

static void test_build_image_facts(void **state)
{
	struct loaded l;
	const struct hd_container_spec *c;
	const char *paths[1];

	(void)state;
	mkdir(tpath("img"), 0700);
	write_file("img/Dockerfile", "FROM alpine:3.20 AS build\nUSER 1000\nFROM alpine:3.20\nHEALTHCHECK CMD true\n");
	write_file("img/Dockerfile.nonroot", "FROM alpine:3.20\nUSER app\n");
	write_file("build.yml", "services:\n"
				"  root:\n    build: ./img\n"
				"  nonroot:\n    build: {context: img, dockerfile: Dockerfile.nonroot}\n"
				"  staged:\n    build: {context: img, target: build}\n"
				"  pulled:\n    image: nginx:1.27\n"
				"  inline:\n    build: {dockerfile_inline: \"FROM scratch\\nUSER 0\\n\"}\n");
	paths[0] = tpath("build.yml");
	load_paths(&l, paths, 1);
	dump_issues(&l);
	c = svc(&l, "root");
	assert_true(c->image_facts.known && c->image_facts.user_known);
	assert_null(c->image_facts.user);
	assert_true(c->image_facts.has_healthcheck);
	c = svc(&l, "nonroot");
	assert_string_equal(c->image_facts.user, "app");
	assert_false(c->image_facts.has_healthcheck);
	c = svc(&l, "staged");
	assert_string_equal(c->image_facts.user, "1000");
	c = svc(&l, "pulled");
	assert_false(c->image_facts.known);
	c = svc(&l, "inline");
	assert_string_equal(c->image_facts.user, "0");
	unload(&l);
}

/* ---- the lint entry ------------------------------------------------------------------------------ */

static size_t count_rule(const struct hd_findings *f, const char *id)
{
	size_t i, n = 0;

	for (i = 0; i < f->n; i++)
		n += strcmp(f->v[i].rule->id, id) == 0;
	return n;
}

/* --env-file values: parsed on their own; a malformed line is an error that never quotes it. */
static void test_dotenv_parse(void **state)
{
	static const char good[] = "# comment\nA=1\nexport B='two words'\nC=\"${A}-x\"\nD\n";
	static const char bad[] = "A=1\nP@SS hunter2-secret\n";
	struct hd_strlist l = { 0 };
	struct hd_diag d = { 0 };

	(void)state;
	assert_int_equal(hd_compose_dotenv_parse("given.env", good, sizeof(good) - 1, &l, &d), 0);
	assert_int_equal(l.n, 3);
	assert_string_equal(l.v[0], "A=1");
	assert_string_equal(l.v[1], "B=two words");
	assert_string_equal(l.v[2], "C=1-x");
	assert_null(l.v[3]);
	hd_strlist_release(&l);
	assert_int_equal(hd_compose_dotenv_parse("given.env", bad, sizeof(bad) - 1, &l, &d), -HD_EPARSE);
	assert_int_equal(d.line, 2);
	assert_null(strstr(d.msg, "hunter2"));
	hd_diag_release(&d);
	hd_strlist_release(&l);
}

static void test_lint(void **state)
{
	static const char yaml[] = "services:\n"
				   "  a: {image: a}\n"
				   "  b: {image: b}\n"
				   "  # hardock ignore=compose/invalid\n"
				   "  c:\n"
				   "    image: c\n"
				   "    bogus: 1\n"
				   "  d:\n"
				   "    image: d\n"
				   "    bogus: 2\n";
	struct hd_findings f;
	struct hd_config cfg;

	(void)state;
	hd_config_init(&cfg);
	hd_findings_init(&f);
	assert_int_equal(hd_lint_compose(&(struct hd_lint_input){ .path = "-", .data = yaml, .len = sizeof(yaml) - 1, .root = NULL, .cfg = &cfg }, &f), 0);
	assert_int_equal(count_rule(&f, "compose/invalid"), 1);
	assert_int_equal(count_rule(&f, "compose/default-network-only"), 1);
	hd_findings_release(&f);

	/* Parse errors cannot be silenced. */
	hd_findings_init(&f);
	assert_int_equal(hd_lint_compose(&(struct hd_lint_input){ .path = "-", .data = "# hardock global ignore=all\nservices: [\n", .len = 41, .root = NULL, .cfg = &cfg },
					 &f), 0);
	assert_int_equal(count_rule(&f, "compose/parse-error"), 1);
	assert_int_equal(f.v[0].severity, HD_SEV_HIGH);
	hd_findings_release(&f);

	/* Detection by name. */
	assert_true(hd_lint_detect_compose("x/compose.yaml", "compose.yaml", NULL, 0, false));
	assert_true(hd_lint_detect_compose("docker-compose.prod.yml", "docker-compose.prod.yml", NULL, 0, false));
	assert_false(hd_lint_detect_compose("x/config.yml", "config.yml", NULL, 0, false));
	assert_true(hd_lint_detect_compose("x/stack.yml", "stack.yml", "version: '3'\nservices:\n", 22, true));
	hd_config_release(&cfg);
}

static void test_oom(void **state)
{
	static const char yaml[] = "x-a: &a {image: a, environment: [A=1]}\nservices:\n  web:\n    <<: *a\n"
				   "    ports: [\"80:80\"]\n    cap_add: [ALL]\n";
	struct hd_compose_file f = { "compose.yaml", yaml, sizeof(yaml) - 1 };
	struct hd_compose_opts o = { .env = test_env, .no_disk = true };
	unsigned long n;
	int oom = 0;

	(void)state;
	/* Failing every allocation in turn gives success or a clean -HD_ENOMEM. */
	for (n = 1; n < 2000; n++) {
		struct hd_compose_issues issues;
		struct hd_project *p = NULL;
		int r;

		hd_compose_issues_init(&issues);
		hd_alloc_fail_at(n);
		r = hd_compose_load(&f, 1, &o, &p, &issues);
		hd_alloc_fail_at(0);
		assert_true(r == 0 || r == -HD_ENOMEM);
		if (r == 0)
			assert_non_null(p);
		oom += r == -HD_ENOMEM;
		hd_project_free(p);
		hd_compose_issues_release(&issues);
		if (r == 0 && hd_alloc_count() < n)
			break;
	}
	assert_true(oom > 10);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_interpolation),
		cmocka_unit_test(test_service_settings),
		cmocka_unit_test(test_deploy_and_units),
		cmocka_unit_test(test_table_validation),
		cmocka_unit_test(test_ports),
		cmocka_unit_test(test_volumes_secrets),
		cmocka_unit_test(test_env_healthcheck_lists),
		cmocka_unit_test(test_networks),
		cmocka_unit_test(test_anchors_merge_keys),
		cmocka_unit_test(test_errors_with_positions),
		cmocka_unit_test(test_bombs_and_depth),
		cmocka_unit_test(test_dotenv_and_override),
		cmocka_unit_test(test_multiple_files),
		cmocka_unit_test(test_extends),
		cmocka_unit_test(test_include_and_env_file),
		cmocka_unit_test(test_build_image_facts),
		cmocka_unit_test(test_dotenv_parse),
		cmocka_unit_test(test_lint),
		cmocka_unit_test(test_oom),
	};
	return cmocka_run_group_tests(tests, setup, teardown);
}
