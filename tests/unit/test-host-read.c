/*
 * Unit tests for audit/rootfs.c and audit/host_read.c on small roots built
 * in a temporary directory: symlinks resolved inside the root, loops,
 * FIFOs, the unit search path and drop-ins, SysV defaults, and host facts.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <cmocka.h>

#include "core/common.h"
#include "core/buf.h"
#include "audit/host_read.h"
#include "audit/procs.h"
#include "audit/rootfs.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

static char root[256];

static void put(const char *path, const char *text)
{
	char full[1024], *slash;

	snprintf(full, sizeof(full), "%s%s", root, path);
	for (slash = strchr(full + strlen(root) + 1, '/'); slash; slash = strchr(slash + 1, '/')) {
		*slash = '\0';
		mkdir(full, 0755);
		*slash = '/';
	}
	if (text) {
		FILE *fp = fopen(full, "w");

		assert_non_null(fp);
		fputs(text, fp);
		fclose(fp);
	} else {
		mkdir(full, 0755);
	}
}

static void link_at(const char *path, const char *target)
{
	char full[1024];

	snprintf(full, sizeof(full), "%s%s", root, path);
	put(path, NULL);
	rmdir(full);
	assert_int_equal(symlink(target, full), 0);
}

static int setup(void **state)
{
	(void)state;
	snprintf(root, sizeof(root), "/tmp/hd-host-read.XXXXXX");
	return mkdtemp(root) ? 0 : -1;
}

static int teardown(void **state)
{
	char cmd[512];

	(void)state;
	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", root);
	return system(cmd) == 0 ? 0 : -1;
}

static void test_resolve(void **state)
{
	struct hd_rootfs fs;
	char *real = NULL, *canon = NULL;
	struct hd_buf b = HD_BUF_INIT(4096);
	char fifo[512];

	(void)state;
	put("/etc/docker/real.json", "{}");
	link_at("/etc/docker/abs.json", "/etc/docker/real.json");
	link_at("/etc/docker/up.json", "../../../../../../etc/docker/real.json");
	link_at("/etc/docker/loop1", "loop2");
	link_at("/etc/docker/loop2", "loop1");
	link_at("/var/run", "../run");
	put("/run/docker.sock", "");
	assert_int_equal(hd_rootfs_init(&fs, root), 0);
	assert_int_equal(hd_rootfs_resolve(&fs, "/etc/docker/abs.json", &real, &canon), 0);
	assert_string_equal(canon, "/etc/docker/real.json");
	assert_true(hd_starts_with(real, root));
	hd_free(real);
	hd_free(canon);
	assert_int_equal(hd_rootfs_resolve(&fs, "/etc/docker/up.json", NULL, &canon), 0);
	assert_string_equal(canon, "/etc/docker/real.json");
	hd_free(canon);
	assert_int_equal(hd_rootfs_resolve(&fs, "/var/run/docker.sock", NULL, &canon), 0);
	assert_string_equal(canon, "/run/docker.sock");
	hd_free(canon);
	assert_int_equal(hd_rootfs_resolve(&fs, "/../../etc/./docker//real.json", NULL, &canon), 0);
	assert_string_equal(canon, "/etc/docker/real.json");
	hd_free(canon);
	assert_int_equal(hd_rootfs_resolve(&fs, "/etc/docker/loop1", NULL, NULL), -HD_ELOOP);
	assert_int_equal(hd_rootfs_resolve(&fs, "/etc/docker/missing", NULL, NULL), -HD_ENOENT);
	assert_int_equal(hd_rootfs_resolve(&fs, "/etc/docker/real.json/x", NULL, NULL), -HD_ENOENT);
	assert_int_equal(hd_rootfs_resolve(&fs, "relative", NULL, NULL), -HD_EINVAL);
	assert_int_equal(hd_rootfs_read(&fs, "/etc/docker/abs.json", 4096, &b), 0);
	assert_string_equal(b.buf, "{}");
	assert_int_equal(hd_rootfs_read(&fs, "/etc/docker", 4096, &b), -HD_EINVAL);
	assert_int_equal(hd_rootfs_read(&fs, "/etc/docker/loop1", 4096, &b), -HD_ELOOP);
	snprintf(fifo, sizeof(fifo), "%s/etc/docker/fifo", root);
	assert_int_equal(mkfifo(fifo, 0644), 0);
	assert_int_equal(hd_rootfs_read(&fs, "/etc/docker/fifo", 4096, &b), -HD_EINVAL);
	assert_int_equal(hd_rootfs_read(&fs, "/etc/docker/real.json", 1, &b), -HD_ETOOBIG);
	hd_buf_release(&b);
	hd_rootfs_release(&fs);
	assert_int_equal(hd_rootfs_init(&fs, "/nonexistent/x"), -HD_ENOENT);
}

static bool has_problem(const struct hd_daemon_spec *d, enum hd_dproblem_kind k, const char *needle)
{
	size_t i;

	for (i = 0; i < d->n_problems; i++) {
		if (d->problems[i].kind == k && strstr(d->problems[i].message, needle))
			return true;
	}
	return false;
}

static void test_unit_search(void **state)
{
	struct hd_read_opts o = { .root = root, .now = 1000000000, .files_only = true };
	struct hd_daemon_spec d;

	(void)state;
	put("/lib/systemd/system/docker.service", "[Service]\nExecStart=/usr/bin/dockerd -H fd:// --mtu 1\n");
	put("/etc/systemd/system/docker.service",
	    "[Service]\nEnvironmentFile=/etc/sysconfig/docker-missing\nExecStart=/usr/local/bin/dockerd --mtu 2\n");
	/* Same drop-in name: the one in /etc wins; the other file still applies. */
	put("/lib/systemd/system/docker.service.d/10-a.conf", "[Service]\nExecStart=\nExecStart=/x --mtu 3\n");
	put("/etc/systemd/system/docker.service.d/10-a.conf", "[Service]\nExecStart=\nExecStart=/y --mtu 4 $OPTS\n");
	put("/run/systemd/system/docker.service.d/20-b.conf", "[Service]\nEnvironment=OPTS=--icc=false\n");
	put("/etc/default/docker", "DOCKER_OPTS=\"--dns 1.1.1.1\"\n");
	hd_daemon_spec_init(&d);
	assert_int_equal(hd_daemon_read(&o, &d), 0);
	assert_string_equal(d.unit_files.v[0], "/etc/systemd/system/docker.service");
	assert_int_equal(d.unit_files.n, 3);
	assert_string_equal(d.unit_files.v[1], "/etc/systemd/system/docker.service.d/10-a.conf");
	assert_string_equal(d.exec_path, "/y");
	assert_int_equal(hd_daemon_opt(&d, HD_DOPT_MTU)->i, 4);
	assert_false(hd_daemon_bool(&d, HD_DOPT_ICC, true));
	assert_true(has_problem(&d, HD_DP_INVALID, "systemd refuses to start docker.service"));
	assert_true(has_problem(&d, HD_DP_IGNORED, "DOCKER_OPTS in /etc/default/docker has no effect"));
	assert_false(d.config_present);
	assert_false(d.live);
	hd_daemon_spec_release(&d);
}

static void test_masked_and_sysv(void **state)
{
	struct hd_read_opts o = { .root = root, .now = 1000000000, .files_only = true };
	struct hd_daemon_spec d;
	char p[512];

	(void)state;
	snprintf(p, sizeof(p), "%s/etc/systemd/system/docker.service", root);
	unlink(p);
	put("/dev/null", "");
	link_at("/etc/systemd/system/docker.service", "/dev/null");
	snprintf(p, sizeof(p), "%s/lib/systemd/system/docker.service", root);
	unlink(p);
	hd_daemon_spec_init(&d);
	assert_int_equal(hd_daemon_read(&o, &d), 0);
	assert_true(hd_strlist_has(&d.notes, "/etc/systemd/system/docker.service is masked (a link to /dev/null)"));
	/* No unit: SysV's DOCKER_OPTS is the command line. */
	assert_string_equal(d.args_from, "/etc/default/docker");
	assert_true(hd_daemon_has_item(&d, HD_DOPT_DNS, "1.1.1.1"));
	assert_int_equal(hd_daemon_opt(&d, HD_DOPT_DNS)->at.line, 1);
	hd_daemon_spec_release(&d);
}

static void test_config_file_flag(void **state)
{
	struct hd_read_opts o = { .root = root, .now = 1000000000, .files_only = true };
	struct hd_daemon_spec d;

	(void)state;
	put("/etc/default/docker", "DOCKER_OPTS=\"--config-file /etc/docker/other.json\"\n");
	hd_daemon_spec_init(&d);
	assert_int_equal(hd_daemon_read(&o, &d), 0);
	assert_string_equal(d.config_file, "/etc/docker/other.json");
	assert_true(has_problem(&d, HD_DP_INVALID, "--config-file '/etc/docker/other.json' does not exist"));
	hd_daemon_spec_release(&d);
	put("/etc/docker/other.json", "{\"icc\": false, \"data-root\": \"/srv/docker\", \"group\": \"dock\"}");
	hd_daemon_spec_init(&d);
	assert_int_equal(hd_daemon_read(&o, &d), 0);
	assert_int_equal(d.n_problems, 0);
	assert_true(d.config_present);
	assert_false(hd_daemon_bool(&d, HD_DOPT_ICC, true));
	hd_daemon_spec_release(&d);
}

static void test_host_facts(void **state)
{
	struct hd_read_opts o = { .root = root, .now = 1000000000, .files_only = true };
	struct hd_daemon_spec d;
	struct hd_host_facts h;
	char *v;

	(void)state;
	put("/etc/group", "root:x:0:\ndock:x:990:ann, bob ,,\nbad line\n");
	put("/etc/passwd", "root:x:0:0::/root:/bin/sh\nsvc:x:900:990::/:/bin/false\nbroken:x:a:b\n");
	put("/proc/sys/kernel/osrelease", "5.15.0-91-generic\n");
	put("/etc/environment", "A=1\nDOCKER_CONTENT_TRUST=\"1\"\n");
	put("/etc/profile.d/z.sh", "  export DOCKER_CONTENT_TRUST=true # on\n");
	put("/srv/docker", NULL);
	hd_daemon_spec_init(&d);
	hd_host_facts_init(&h);
	assert_int_equal(hd_daemon_read(&o, &d), 0);
	assert_int_equal(hd_host_read(&o, &d, &h), 0);
	assert_string_equal(h.data_root, "/srv/docker");
	assert_string_equal(h.socket_group, "dock");
	assert_true(h.socket_group_exists);
	assert_int_equal(h.socket_group_members.n, 3);
	assert_string_equal(h.socket_group_members.v[1], "bob");
	assert_string_equal(h.socket_group_members.v[2], "svc (primary group)");
	assert_string_equal(h.kernel.raw, "5.15.0-91-generic");
	assert_false(h.kernel.exact);
	assert_int_equal(h.content_trust, HD_TRI_ON);
	assert_string_equal(h.content_trust_file, "/etc/profile.d/z.sh");
	assert_false(h.have_mounts);
	hd_host_facts_release(&h);
	hd_daemon_spec_release(&d);

	v = hd_upstream_version("5:24.0.7-1~debian.12~bookworm");
	assert_string_equal(v, "24.0.7");
	hd_free(v);
	v = hd_upstream_version("1.0.0~rc93+ds1-5+deb11u2");
	assert_string_equal(v, "1.0.0~rc93");
	hd_free(v);
	v = hd_upstream_version("1.6.20~ds1-1+deb12u3");
	assert_string_equal(v, "1.6.20");
	hd_free(v);
	v = hd_upstream_version("1.0.0-rc93");
	assert_string_equal(v, "1.0.0-rc93");
	hd_free(v);
}

/* The /proc pass: this process with its command name; cgroup ids only when asked, 64 hex digits each. */
static void test_procs_scan(void **state)
{
	struct hd_procs p;
	char comm[32];
	long n;
	size_t i;
	bool self = false;

	(void)state;
	n = hd_proc_read_small("/proc/self/comm", comm, sizeof(comm));
	assert_true(n > 1);
	comm[n - 1] = '\0';
	hd_procs_init(&p);
	assert_int_equal(hd_procs_scan(&p, false), 0);
	assert_true(p.read);
	assert_false(p.cgroups);
	assert_int_equal(p.n_ids, 0);
	for (i = 0; i < p.n; i++) {
		if (p.v[i].pid == (int32_t)getpid()) {
			assert_string_equal(p.v[i].comm, comm);
			self = true;
		}
	}
	assert_true(self);
	assert_int_equal(hd_procs_scan(&p, true), 0);
	assert_true(p.cgroups);
	for (i = 0; i < p.n_ids; i++) {
		assert_int_equal(strlen(p.ids[i].id), 64);
		assert_int_equal(strspn(p.ids[i].id, "0123456789abcdef"), 64);
		/* Ids of one process are adjacent and distinct. */
		if (i > 0 && p.ids[i - 1].pid == p.ids[i].pid)
			assert_string_not_equal(p.ids[i - 1].id, p.ids[i].id);
	}
	hd_procs_release(&p);
	assert_null(p.v);
	/* A short buffer keeps its NUL; a missing file is -1. */
	assert_int_equal(hd_proc_read_small("/proc/self/comm", comm, 3), 2);
	assert_int_equal(strlen(comm), 2);
	assert_int_equal(hd_proc_read_small("/proc/self/no-such-file", comm, sizeof(comm)), -1);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_resolve),
		cmocka_unit_test(test_unit_search),
		cmocka_unit_test(test_masked_and_sysv),
		cmocka_unit_test(test_config_file_flag),
		cmocka_unit_test(test_host_facts),
		cmocka_unit_test(test_procs_scan),
	};

	return cmocka_run_group_tests(tests, setup, teardown);
}
