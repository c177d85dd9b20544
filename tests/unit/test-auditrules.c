/*
 * Unit tests for parse/auditrules.c: watch syntaxes, -D and -W, permission
 * letters, auditctl -l output, malformed lines; the kernel's binary form of
 * the same rules (struct audit_rule_data); and the mount table.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <cmocka.h>

#include "core/common.h"
#include "model/host.h"
#include "parse/auditrules.h"

#include "audit_rule_build.h"

static void test_watches(void **state)
{
	struct hd_audit_rules r = { 0 };
	struct hd_uproblems p = { 0 };
	const char *text = "## comment\n"
			   "-w /usr/bin/dockerd -k docker\n"
			   "-w /etc/docker -p aw -k docker\n"
			   "-a always,exit -F path=/usr/bin/runc -F perm=x -F key=runc\n"
			   "-a exit,always -F dir=/var/lib/docker -F perm=wa -k docker\n"
			   "-a always,exit -F arch=b64 -S execve -k exec\n"
			   "-w relative -p wa\n"
			   "-w /bad -p wz\n"
			   "-e 2\n";

	(void)state;
	assert_int_equal(hd_auditrules_parse(&r, "f.rules", text, strlen(text), false, &p), 0);
	assert_int_equal(r.n, 4);
	assert_string_equal(r.v[0].path, "/usr/bin/dockerd");
	assert_string_equal(r.v[0].perms, "rwxa");
	assert_string_equal(r.v[0].key, "docker");
	assert_int_equal(r.v[0].line, 2);
	assert_string_equal(r.v[1].perms, "wa");
	assert_string_equal(r.v[2].path, "/usr/bin/runc");
	assert_string_equal(r.v[2].perms, "x");
	assert_string_equal(r.v[2].key, "runc");
	assert_true(r.v[3].dir);
	assert_string_equal(r.v[3].path, "/var/lib/docker");
	assert_int_equal(p.n, 2);
	assert_int_equal(p.v[0].line, 7);
	assert_int_equal(p.v[1].line, 8);
	hd_audit_rules_release(&r);
	hd_uproblems_release(&p);
}

static void test_delete(void **state)
{
	struct hd_audit_rules r = { 0 };
	const char *a = "-w /a -p wa\n-w /b -p wa\n";
	const char *b = "-W /a\n-w /c\n";
	const char *c = "-D\n-w /d\n";
	const char *live = "No rules\n-w /etc/docker -p wa -k docker\n";

	(void)state;
	assert_int_equal(hd_auditrules_parse(&r, "1", a, strlen(a), false, NULL), 0);
	assert_int_equal(hd_auditrules_parse(&r, "2", b, strlen(b), false, NULL), 0);
	assert_int_equal(r.n, 2);
	assert_string_equal(r.v[0].path, "/b");
	assert_int_equal(hd_auditrules_parse(&r, "live", live, strlen(live), true, NULL), 0);
	assert_int_equal(r.n, 3);
	/* -D drops what came before from the same source, not the kernel's list. */
	assert_int_equal(hd_auditrules_parse(&r, "3", c, strlen(c), false, NULL), 0);
	assert_int_equal(r.n, 2);
	assert_true(r.v[0].live);
	assert_string_equal(r.v[1].path, "/d");
	hd_audit_rules_release(&r);
}

static void test_decode(void **state)
{
	struct hd_audit_rules r = { 0 };
	struct rule_image m;

	(void)state;
	/* -w /usr/bin/dockerd -p wa -k docker -k engine */
	rule_init(&m, AUDIT_FILTER_EXIT, AUDIT_ALWAYS);
	rule_str(&m, AUDIT_WATCH, "/usr/bin/dockerd");
	rule_num(&m, AUDIT_PERM, AUDIT_PERM_WRITE | AUDIT_PERM_ATTR);
	rule_str(&m, AUDIT_FILTERKEY, "docker\001engine");
	assert_int_equal(hd_auditrules_decode(&r, m.u.bytes, m.len, "kernel", 1), 1);
	/* -a always,exit -F dir=/etc/docker -F perm=rwxa (no key) */
	rule_init(&m, AUDIT_FILTER_EXIT, AUDIT_ALWAYS);
	rule_str(&m, AUDIT_DIR, "/etc/docker");
	rule_num(&m, AUDIT_PERM, AUDIT_PERM_READ | AUDIT_PERM_WRITE | AUDIT_PERM_EXEC | AUDIT_PERM_ATTR);
	assert_int_equal(hd_auditrules_decode(&r, m.u.bytes, m.len, "kernel", 2), 1);
	/* -w /usr/bin/runc without -p: every permission; a subject label before it in the buffer. */
	rule_init(&m, AUDIT_FILTER_EXIT | AUDIT_FILTER_PREPEND, AUDIT_ALWAYS);
	rule_str(&m, AUDIT_SUBJ_TYPE, "unconfined_t");
	rule_str(&m, AUDIT_WATCH, "/usr/bin/runc");
	assert_int_equal(hd_auditrules_decode(&r, m.u.bytes, m.len, "kernel", 3), 1);
	/* Not watches: a never rule, a syscall rule, a rule of the exclude list. */
	rule_init(&m, AUDIT_FILTER_EXIT, AUDIT_NEVER);
	rule_str(&m, AUDIT_WATCH, "/var/lib/docker");
	assert_int_equal(hd_auditrules_decode(&r, m.u.bytes, m.len, "kernel", 4), 0);
	rule_init(&m, AUDIT_FILTER_EXIT, AUDIT_ALWAYS);
	rule_num(&m, AUDIT_ARCH, 0xc000003eu);
	rule_str(&m, AUDIT_FILTERKEY, "exec");
	assert_int_equal(hd_auditrules_decode(&r, m.u.bytes, m.len, "kernel", 5), 0);
	rule_init(&m, AUDIT_FILTER_EXCLUDE, AUDIT_ALWAYS);
	rule_str(&m, AUDIT_WATCH, "/etc/docker/daemon.json");
	assert_int_equal(hd_auditrules_decode(&r, m.u.bytes, m.len, "kernel", 6), 0);
	assert_int_equal(r.n, 3);
	assert_string_equal(r.v[0].path, "/usr/bin/dockerd");
	assert_string_equal(r.v[0].perms, "wa");
	assert_string_equal(r.v[0].key, "docker,engine");
	assert_false(r.v[0].dir);
	assert_true(r.v[0].live);
	assert_int_equal(r.v[0].line, 1);
	assert_true(r.v[1].dir);
	assert_string_equal(r.v[1].perms, "rwxa");
	assert_null(r.v[1].key);
	assert_string_equal(r.v[2].path, "/usr/bin/runc");
	assert_string_equal(r.v[2].perms, "rwxa");
	/* Malformed: shorter than the structure, a count or length beyond it. */
	rule_init(&m, AUDIT_FILTER_EXIT, AUDIT_ALWAYS);
	rule_str(&m, AUDIT_WATCH, "/x");
	assert_int_equal(hd_auditrules_decode(&r, m.u.bytes, sizeof(struct audit_rule_data) - 1, "k", 7),
			 -HD_EPARSE);
	assert_int_equal(hd_auditrules_decode(&r, m.u.bytes, m.len - 1, "k", 7), -HD_EPARSE);
	m.u.r.values[0] = 1000;
	m.u.r.buflen = 1000;
	assert_int_equal(hd_auditrules_decode(&r, m.u.bytes, m.len, "k", 7), -HD_EPARSE);
	m.u.r.field_count = AUDIT_MAX_FIELDS + 1;
	assert_int_equal(hd_auditrules_decode(&r, m.u.bytes, m.len, "k", 7), -HD_EPARSE);
	rule_init(&m, AUDIT_FILTER_EXIT, AUDIT_ALWAYS);
	rule_str(&m, AUDIT_WATCH, "/x");
	m.u.r.values[0] = 3; /* the path's length beyond the buffer the rule says it has */
	assert_int_equal(hd_auditrules_decode(&r, m.u.bytes, m.len, "k", 7), -HD_EPARSE);
	assert_int_equal(r.n, 3);
	hd_audit_rules_release(&r);
}

static void test_mountinfo(void **state)
{
	struct hd_host_facts h;
	const char *mi = "22 1 254:0 / / rw - ext4 /dev/vda1 rw\n"
			 "41 22 254:16 / /var/lib/my\\040docker rw shared:20 master:1 - xfs /dev/m\\040d rw\n"
			 "garbage\n"
			 "1 2 3\n";
	const char *mounts = "/dev/sda1 / ext4 rw 0 0\ntmpfs /run tmpfs rw 0 0\n";

	(void)state;
	hd_host_facts_init(&h);
	assert_int_equal(hd_mountinfo_parse(&h, mi, strlen(mi)), 2);
	assert_string_equal(h.mounts[1].mount_point, "/var/lib/my docker");
	assert_string_equal(h.mounts[1].fstype, "xfs");
	assert_string_equal(h.mounts[1].source, "/dev/m d");
	assert_int_equal(hd_mountinfo_parse(&h, mounts, strlen(mounts)), 2);
	assert_int_equal(h.n_mounts, 4);
	assert_string_equal(h.mounts[3].mount_point, "/run");
	hd_host_facts_release(&h);
}

static void test_version_cmp(void **state)
{
	(void)state;
	assert_true(hd_version_cmp("1.1.12", "1.1.5") > 0);
	assert_true(hd_version_cmp("1.1.5", "1.1.12") < 0);
	assert_int_equal(hd_version_cmp("1.1", "1.1.0"), 0);
	assert_true(hd_version_cmp("1.0.0-rc6", "1.0.0-rc7") < 0);
	assert_true(hd_version_cmp("1.0.0-rc95", "1.0.0") < 0);
	assert_true(hd_version_cmp("1.0.0~rc93", "1.0.0-rc95") < 0);
	assert_true(hd_version_cmp("1.0-rc95", "1.0.0-rc93") > 0);
	assert_true(hd_version_cmp("1.4.0-rc.3", "1.4.0-rc3") == 0);
	assert_true(hd_version_cmp("20.10.24", "23.0.15") < 0);
	assert_true(hd_version_cmp("6.1.0-18-amd64", "6.1.0") == 0);
	assert_true(hd_version_cmp("5.10.209", "5.10.90") > 0);
	assert_true(hd_version_cmp("0", "1.0.0-rc1") < 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_watches),
		cmocka_unit_test(test_delete),
		cmocka_unit_test(test_decode),
		cmocka_unit_test(test_mountinfo),
		cmocka_unit_test(test_version_cmp),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
