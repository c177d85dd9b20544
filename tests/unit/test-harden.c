/*
 * Unit tests for harden/daemon_json.c, harden/audit_rules.c and
 * harden/write.c: the merge keeps the user's keys and explains each change,
 * respects the command line and swarm mode, validates like dockerd, and the
 * writer keeps a backup and the old file's mode.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <cmocka.h>

#include "core/common.h"
#include "core/buf.h"
#include "harden/harden.h"

#include <jansson.h>
#include <sys/stat.h>
#include <unistd.h>

static json_t *merged(const char *in, const struct hd_daemon_spec *d, bool journald,
		      struct hd_harden_json *h)
{
	char *err = NULL;
	json_t *j;

	assert_int_equal(hd_harden_daemon_json(in, strlen(in), d, journald, h, &err), 0);
	assert_null(err);
	j = json_loads(h->text, 0, NULL);
	assert_non_null(j);
	return j;
}

static const struct hd_harden_change *find_change(const struct hd_harden_json *h, const char *key)
{
	size_t i;

	for (i = 0; i < h->n_changes; i++) {
		if (!strcmp(h->changes[i].key, key))
			return &h->changes[i];
	}
	return NULL;
}

static void test_merge_empty(void **state)
{
	struct hd_harden_json h;
	json_t *j = merged("", NULL, true, &h);
	const struct hd_harden_change *c;
	struct hd_strlist problems = { 0 };

	(void)state;
	assert_true(json_is_false(json_object_get(j, "icc")));
	assert_string_equal(json_string_value(json_object_get(j, "userns-remap")), "default");
	assert_true(json_is_true(json_object_get(j, "no-new-privileges")));
	assert_true(json_is_true(json_object_get(j, "live-restore")));
	assert_true(json_is_false(json_object_get(j, "userland-proxy")));
	assert_string_equal(json_string_value(json_object_get(j, "log-driver")), "journald");
	assert_non_null(json_object_get(json_object_get(j, "default-ulimits"), "nofile"));
	c = find_change(&h, "userns-remap");
	assert_non_null(c);
	assert_string_equal(c->action, "added: \"default\"");
	assert_non_null(strstr(c->breaks, "volumes are not visible"));
	assert_non_null(strstr(find_change(&h, "icc")->breaks, "--link"));
	assert_non_null(strstr(find_change(&h, "authorization-plugins")->action, "not added"));
	assert_int_equal(hd_harden_validate("/etc/docker/daemon.json", h.text, NULL, &problems), 0);
	assert_int_equal(problems.n, 0);
	json_decref(j);
	hd_harden_json_release(&h);
}

static void test_merge_keeps_and_fixes(void **state)
{
	const char *in = "{\"dns\": [\"192.0.2.53\"], \"icc\": true, \"live-restore\": false,"
			 " \"log-driver\": \"json-file\", \"log-opts\": {\"max-size\": \"10m\", \"max-file\": \"3\", \"tag\": \"t\"},"
			 " \"insecure-registries\": [\"r:5000\", \"127.0.0.0/8\"], \"debug\": true, \"log-level\": \"debug\","
			 " \"seccomp-profile\": \"unconfined\", \"experimental\": true, \"iptables\": false,"
			 " \"userns-remap\": \"build\", \"custom\": 1}";
	struct hd_harden_json h;
	json_t *j = merged(in, NULL, false, &h);
	struct hd_strlist problems = { 0 };

	(void)state;
	assert_string_equal(json_string_value(json_array_get(json_object_get(j, "dns"), 0)), "192.0.2.53");
	assert_int_equal(json_integer_value(json_object_get(j, "custom")), 1);
	assert_true(json_is_false(json_object_get(j, "icc")));
	assert_true(json_is_true(json_object_get(j, "live-restore")));
	assert_string_equal(json_string_value(json_object_get(j, "userns-remap")), "build");
	assert_string_equal(json_string_value(json_object_get(j, "log-driver")), "syslog");
	assert_int_equal(json_object_size(json_object_get(j, "log-opts")), 1);
	/* Insecure registries are the site's to retire: kept, and said why (issue 11). */
	assert_int_equal(json_array_size(json_object_get(j, "insecure-registries")), 2);
	assert_true(json_is_false(json_object_get(j, "debug")));
	assert_string_equal(json_string_value(json_object_get(j, "log-level")), "info");
	assert_null(json_object_get(j, "seccomp-profile"));
	assert_true(json_is_false(json_object_get(j, "experimental")));
	assert_true(json_is_true(json_object_get(j, "iptables")));
	assert_string_equal(find_change(&h, "icc")->action, "changed from true to false");
	assert_string_equal(find_change(&h, "userns-remap")->action, "kept as you set it");
	assert_non_null(strstr(find_change(&h, "log-driver")->breaks, "removed log-opts \"max-size\", \"max-file\""));
	assert_non_null(strstr(find_change(&h, "insecure-registries")->action, "kept: removing them stops pulls"));
	/* The user's unknown key is kept, and the validation says dockerd refuses it. */
	assert_int_equal(hd_harden_validate("/etc/docker/daemon.json", h.text, NULL, &problems), 0);
	assert_int_equal(problems.n, 1);
	assert_non_null(strstr(problems.v[0], "unknown key 'custom'"));
	hd_strlist_release(&problems);
	json_decref(j);
	hd_harden_json_release(&h);
}

static void test_command_line_and_swarm(void **state)
{
	struct hd_daemon_spec d;
	struct hd_harden_json h;
	struct hd_strlist problems = { 0 };
	json_t *j;

	(void)state;
	hd_daemon_spec_init(&d);
	d.opt[HD_DOPT_ICC].set = true;
	d.opt[HD_DOPT_ICC].b = true;
	d.opt[HD_DOPT_ICC].src = HD_DSRC_ARGS;
	assert_int_equal(hd_dorigin_set(&d.opt[HD_DOPT_ICC].at, "/lib/systemd/system/docker.service", 9, 20, "--icc=true"), 0);
	d.swarm_active = true;
	d.swarm_evidence = hd_strdup("/var/lib/docker/swarm/state.json");
	j = merged("{}", &d, true, &h);
	assert_null(json_object_get(j, "icc"));
	assert_null(json_object_get(j, "live-restore"));
	assert_non_null(strstr(find_change(&h, "icc")->action, "'--icc=true' is on dockerd's command line (/lib/systemd/system/docker.service:9)"));
	assert_non_null(strstr(find_change(&h, "live-restore")->action, "this node is in a swarm"));
	/* Writing icc into the file would stop dockerd: validation says so. */
	assert_int_equal(hd_harden_validate("/etc/docker/daemon.json", "{\"icc\": false}", &d, &problems), 0);
	assert_int_equal(problems.n, 1);
	assert_non_null(strstr(problems.v[0], "'icc' is set in daemon.json and as '--icc=true'"));
	hd_strlist_release(&problems);
	json_decref(j);
	hd_harden_json_release(&h);
	hd_daemon_spec_release(&d);
}

static void test_merge_errors(void **state)
{
	struct hd_harden_json h;
	char *err = NULL;

	(void)state;
	assert_int_equal(hd_harden_daemon_json("{\"a\":", 5, NULL, true, &h, &err), -HD_EPARSE);
	assert_non_null(strstr(err, "1:5"));
	hd_free(err);
	assert_int_equal(hd_harden_daemon_json("[]", 2, NULL, true, &h, &err), -HD_EPARSE);
	hd_free(err);
}

static void test_audit_rules_text(void **state)
{
	struct hd_host_facts h;
	struct hd_file_fact *f;
	char *text;

	(void)state;
	hd_host_facts_init(&h);
	f = hd_file_list_add(&h.apaths[HD_AP_DOCKERD], "/usr/bin/dockerd");
	f->type = HD_FT_REG;
	f = hd_file_list_add(&h.apaths[HD_AP_DOCKERD], "/bin/dockerd");
	f->type = HD_FT_REG;
	f->canon = hd_strdup("/usr/bin/dockerd");
	hd_file_list_add(&h.apaths[HD_AP_RUNC], "/usr/bin/runc");
	f = hd_file_list_add(&h.apaths[HD_AP_ETC_DOCKER], "/etc/docker");
	f->type = HD_FT_DIR;
	text = hd_harden_audit_rules(&h);
	assert_non_null(text);
	assert_non_null(strstr(text, "\n-w /usr/bin/dockerd -p wa -k docker\n-w /etc/docker -p wa -k docker\n"));
	assert_null(strstr(text, "runc"));
	assert_null(strstr(text, "-w /bin/dockerd"));
	hd_free(text);
	hd_host_facts_release(&h);
}

static void test_write_with_backup(void **state)
{
	char dir[] = "/tmp/hd-write.XXXXXX", path[256], link_path[256], *bak = NULL;
	struct hd_buf b = HD_BUF_INIT(4096);
	struct stat st;
	FILE *fp;

	(void)state;
	assert_non_null(mkdtemp(dir));
	snprintf(path, sizeof(path), "%s/daemon.json", dir);
	/* New file: default mode, no backup. */
	assert_int_equal(hd_write_with_backup(path, "{}\n", 3, 0644, 0644, 1700000000, &bak), 0);
	assert_null(bak);
	assert_int_equal(stat(path, &st), 0);
	assert_int_equal(st.st_mode & 07777, 0644);
	/* Existing 0666 file: backup kept as it was, new file masked to 0644. */
	assert_int_equal(chmod(path, 0666), 0);
	assert_int_equal(hd_write_with_backup(path, "{\"icc\": false}\n", 15, 0644, 0644, 1700000000, &bak), 0);
	assert_non_null(bak);
	assert_non_null(strstr(bak, "daemon.json.hardock-bak.20231114T221320Z"));
	assert_int_equal(hd_buf_read_file(&b, bak), 0);
	assert_string_equal(b.buf, "{}\n");
	assert_int_equal(stat(path, &st), 0);
	assert_int_equal(st.st_mode & 07777, 0644);
	hd_buf_reset(&b);
	assert_int_equal(hd_buf_read_file(&b, path), 0);
	assert_string_equal(b.buf, "{\"icc\": false}\n");
	hd_free(bak);
	/* A symlink is refused, never followed. */
	snprintf(link_path, sizeof(link_path), "%s/link.json", dir);
	assert_int_equal(symlink(path, link_path), 0);
	assert_int_equal(hd_write_with_backup(link_path, "x", 1, 0644, 0644, 1700000000, &bak), -HD_EINVAL);
	/* A leftover temporary file does not stop the next write. */
	snprintf(link_path, sizeof(link_path), "%s/daemon.json.hardock-new", dir);
	fp = fopen(link_path, "w");
	assert_non_null(fp);
	fclose(fp);
	assert_int_equal(hd_write_with_backup(path, "{}\n", 3, 0644, 0644, 1700000001, &bak), 0);
	assert_int_not_equal(access(link_path, F_OK), 0);
	hd_free(bak);
	hd_buf_release(&b);
	snprintf(link_path, sizeof(link_path), "rm -rf '%s'", dir);
	assert_int_equal(system(link_path), 0);
}

/*
 * Issue 11: a key written as dockerd's flag name ("default-ulimit", as people
 * copy it from `dockerd --default-ulimit`) is ignored by dockerd; its value
 * moves to the real key instead of harden adding its own beside it.
 */
static void test_flag_named_keys_moved(void **state)
{
	static const char *const in[] = {
		"{\"default-ulimit\": {\"nofile\": {\"Name\": \"nofile\", \"Hard\": 64000, \"Soft\": 64000}}}",
		"{\"default-ulimit\": [\"nofile=64000:64000\"]}",
		"{\"default-ulimit\": \"nofile=64000\"}",
	};
	struct hd_harden_json h;
	struct hd_strlist problems = { 0 };
	size_t i;
	json_t *j;

	(void)state;
	for (i = 0; i < HD_ARRAY_SIZE(in); i++) {
		json_t *nofile;

		j = merged(in[i], NULL, true, &h);
		assert_null(json_object_get(j, "default-ulimit"));
		nofile = json_object_get(json_object_get(j, "default-ulimits"), "nofile");
		assert_non_null(nofile);
		assert_int_equal(json_integer_value(json_object_get(nofile, "Soft")), 64000);
		assert_int_equal(json_integer_value(json_object_get(nofile, "Hard")), 64000);
		assert_non_null(strstr(find_change(&h, "default-ulimits")->action, "moved from \"default-ulimit\""));
		assert_int_equal(hd_harden_validate("/etc/docker/daemon.json", h.text, NULL, &problems), 0);
		assert_int_equal(problems.n, 0);
		json_decref(j);
		hd_harden_json_release(&h);
	}
	/* A list merges into the key the file has; a value in no usable form is kept and explained. */
	j = merged("{\"insecure-registries\": [\"a:5000\"], \"insecure-registry\": \"b:5000\","
		   " \"authorization-plugin\": {\"x\": 1}}", NULL, true, &h);
	assert_null(json_object_get(j, "insecure-registry"));
	assert_int_equal(json_array_size(json_object_get(j, "insecure-registries")), 2);
	assert_string_equal(json_string_value(json_array_get(json_object_get(j, "insecure-registries"), 1)), "b:5000");
	assert_non_null(json_object_get(j, "authorization-plugin"));
	assert_non_null(strstr(find_change(&h, "authorization-plugin")->action, "kept: dockerd ignores"));
	json_decref(j);
	hd_harden_json_release(&h);
	hd_strlist_release(&problems);
}

/* The fix data the daemon rules carry is usable: known keys, values that are JSON. */
static void test_rule_fix_data(void **state)
{
	size_t i, k, n = 0;

	(void)state;
	for (i = 0; i < hd_rule_count; i++) {
		const struct hd_rule *r = hd_rules[i];

		if (!r->fix)
			continue;
		assert_int_equal(r->target, HD_TARGET_DAEMON);
		for (k = 0; r->fix[k].option; k++, n++) {
			const struct hd_fix *f = &r->fix[k];

			if (hd_dopt_by_json(f->option) < 0)
				fail_msg("%s: fix option '%s' is not a daemon.json key", r->id, f->option);
			assert_non_null(f->protects);
			if (f->mode != HD_FIX_EXPLAIN) {
				json_t *v = json_loads(f->value, JSON_DECODE_ANY, NULL);

				if (!v)
					fail_msg("%s: fix value '%s' is not JSON", r->id, f->value);
				json_decref(v);
			}
		}
	}
	assert_true(n >= 15);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_merge_empty),
		cmocka_unit_test(test_merge_keeps_and_fixes),
		cmocka_unit_test(test_command_line_and_swarm),
		cmocka_unit_test(test_flag_named_keys_moved),
		cmocka_unit_test(test_rule_fix_data),
		cmocka_unit_test(test_merge_errors),
		cmocka_unit_test(test_audit_rules_text),
		cmocka_unit_test(test_write_with_backup),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
