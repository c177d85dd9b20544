/*
 * Unit tests for parse/daemon_json.c: values and their positions, every kind
 * of problem dockerd refuses or ignores, conflicts with the command line, and
 * allocation failures turned into -HD_ENOMEM without leaks.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <cmocka.h>

#include "core/common.h"
#include "core/buf.h"
#include "model/daemon.h"
#include "parse/daemon_json.h"

static const char *const F = "/etc/docker/daemon.json";

static void read_ok(struct hd_daemon_spec *d, const char *text)
{
	hd_daemon_spec_init(d);
	assert_int_equal(hd_daemon_json_read(d, F, text, strlen(text)), 0);
}

static const struct hd_dproblem *problem(const struct hd_daemon_spec *d, enum hd_dproblem_kind k,
					 const char *needle)
{
	size_t i;

	for (i = 0; i < d->n_problems; i++) {
		if (d->problems[i].kind == k && strstr(d->problems[i].message, needle))
			return &d->problems[i];
	}
	return NULL;
}

static void test_values_and_positions(void **state)
{
	struct hd_daemon_spec d;
	const struct hd_dsetting *s;

	(void)state;
	read_ok(&d, "{\n"
		    "  \"icc\": false,\n"
		    "  \"hosts\": [\"unix:///var/run/docker.sock\",\n"
		    "            \"tcp://0.0.0.0:2376\"],\n"
		    "  \"mtu\": 1400,\n"
		    "  \"log-opts\": {\"max-size\": \"10m\", \"tag\": \"x\"},\n"
		    "  \"default-ulimits\": {\"nofile\": {\"Name\": \"nofile\", \"Soft\": 10, \"Hard\": 20}},\n"
		    "  \"default-shm-size\": 67108864,\n"
		    "  \"runtimes\": {\"crun\": {\"path\": \"/usr/bin/crun\"}},\n"
		    "  \"userns-remap\": \"default\"\n"
		    "}\n");
	assert_int_equal(d.n_problems, 0);
	s = hd_daemon_opt(&d, HD_DOPT_ICC);
	assert_true(s->set);
	assert_false(s->b);
	assert_int_equal(s->src, HD_DSRC_FILE);
	assert_int_equal(s->at.line, 2);
	assert_int_equal(s->at.col, 3);
	assert_string_equal(s->at.field, "icc");
	s = hd_daemon_opt(&d, HD_DOPT_HOSTS);
	assert_int_equal(s->n_items, 2);
	assert_string_equal(s->items[1].value, "tcp://0.0.0.0:2376");
	assert_int_equal(s->items[1].at.line, 4);
	assert_int_equal(s->items[1].at.col, 13);
	assert_int_equal(hd_daemon_opt(&d, HD_DOPT_MTU)->i, 1400);
	s = hd_daemon_opt(&d, HD_DOPT_LOG_OPTS);
	assert_int_equal(s->n_items, 2);
	assert_string_equal(s->items[0].value, "max-size=10m");
	assert_int_equal(s->items[1].at.col, 35);
	assert_string_equal(hd_daemon_opt(&d, HD_DOPT_DEFAULT_ULIMITS)->items[0].value, "nofile=10:20");
	assert_string_equal(hd_daemon_str(&d, HD_DOPT_DEFAULT_SHM_SIZE), "67108864");
	assert_string_equal(hd_daemon_opt(&d, HD_DOPT_RUNTIMES)->s, "{\"crun\":{\"path\":\"/usr/bin/crun\"}}");
	assert_true(hd_daemon_listens_tcp(&d));
	assert_true(hd_daemon_has_item(&d, HD_DOPT_LOG_OPTS, "tag"));
	assert_false(hd_daemon_has_item(&d, HD_DOPT_LOG_OPTS, "max"));
	hd_daemon_spec_release(&d);
}

static void test_invalid_json_position(void **state)
{
	struct hd_daemon_spec d;
	const struct hd_dproblem *p;

	(void)state;
	read_ok(&d, "{\n  \"icc\": false,\n}\n");
	p = problem(&d, HD_DP_INVALID, "invalid JSON");
	assert_non_null(p);
	assert_int_equal(p->at.line, 3);
	assert_int_equal(p->at.col, 1);
	assert_string_equal(p->at.file, F);
	hd_daemon_spec_release(&d);

	read_ok(&d, "[1, 2]");
	assert_non_null(problem(&d, HD_DP_INVALID, "must hold one JSON object"));
	hd_daemon_spec_release(&d);
}

static void test_empty_and_bom(void **state)
{
	struct hd_daemon_spec d;

	(void)state;
	read_ok(&d, "");
	assert_int_equal(d.n_problems, 0);
	hd_daemon_spec_release(&d);
	read_ok(&d, " \n\t\n");
	assert_int_equal(d.n_problems, 0);
	hd_daemon_spec_release(&d);
	read_ok(&d, "\xef\xbb\xbf{\"icc\": false}");
	assert_int_equal(d.n_problems, 0);
	assert_true(hd_daemon_opt(&d, HD_DOPT_ICC)->set);
	assert_int_equal(hd_daemon_opt(&d, HD_DOPT_ICC)->at.col, 2);
	hd_daemon_spec_release(&d);
}

static void test_wrong_types(void **state)
{
	struct hd_daemon_spec d;
	const struct hd_dproblem *p;

	(void)state;
	read_ok(&d, "{\"icc\": \"false\", \"mtu\": 1.5, \"hosts\": \"tcp://x\", \"dns\": [1],\n"
		    " \"log-opts\": {\"max-file\": 3}, \"default-ulimits\": {\"nofile\": 3},\n"
		    " \"log-level\": 3, \"debug\": null}");
	assert_non_null(problem(&d, HD_DP_INVALID, "'icc' must be true or false, not a string"));
	assert_non_null(problem(&d, HD_DP_INVALID, "'mtu' must be an integer, not a number with a fraction"));
	assert_non_null(problem(&d, HD_DP_INVALID, "'hosts' must be an array of strings, not a string"));
	assert_non_null(problem(&d, HD_DP_INVALID, "item 1 of 'dns' must be a string"));
	p = problem(&d, HD_DP_INVALID, "'log-opts.max-file' must be a string");
	assert_non_null(p);
	assert_int_equal(p->at.line, 2);
	assert_int_equal(p->at.col, 15);
	assert_non_null(problem(&d, HD_DP_INVALID, "ulimit 'nofile'"));
	assert_non_null(problem(&d, HD_DP_INVALID, "'log-level' must be a string"));
	assert_false(hd_daemon_opt(&d, HD_DOPT_ICC)->set);
	assert_false(hd_daemon_opt(&d, HD_DOPT_DEBUG)->set);
	hd_daemon_spec_release(&d);
}

static void test_unknown_and_ignored(void **state)
{
	struct hd_daemon_spec d;
	const struct hd_dproblem *p;

	(void)state;
	read_ok(&d, "{\"live_restore\": true, \"ICC\": false, \"frobnicate\": 1,\n"
		    " \"insecure-registry\": [\"r:5000\"], \"config-file\": \"/x\",\n"
		    " \"icc\": true, \"icc\": false}");
	p = problem(&d, HD_DP_UNKNOWN, "did you mean 'live-restore'");
	assert_non_null(p);
	assert_int_equal(p->at.line, 1);
	assert_int_equal(p->at.col, 2);
	assert_non_null(problem(&d, HD_DP_UNKNOWN, "keys are lowercase: 'icc'"));
	assert_non_null(problem(&d, HD_DP_UNKNOWN, "unknown key 'frobnicate'; dockerd refuses"));
	assert_non_null(problem(&d, HD_DP_IGNORED, "the key is 'insecure-registries'"));
	assert_non_null(problem(&d, HD_DP_IGNORED, "'config-file' is a command-line flag only"));
	p = problem(&d, HD_DP_IGNORED, "'icc' is given twice; the value at line 3 wins");
	assert_non_null(p);
	assert_int_equal(p->at.line, 3);
	assert_int_equal(p->at.col, 2);
	/* The last duplicate is the value, at its own position. */
	assert_false(hd_daemon_opt(&d, HD_DOPT_ICC)->b);
	assert_int_equal(hd_daemon_opt(&d, HD_DOPT_ICC)->at.col, 15);
	assert_false(hd_daemon_opt(&d, HD_DOPT_INSECURE_REGISTRIES)->set);
	hd_daemon_spec_release(&d);
}

static void test_escaped_keys(void **state)
{
	struct hd_daemon_spec d;

	(void)state;
	read_ok(&d, "{\"ic\\u0063\": false, \"a\\\"b\": 1}");
	assert_true(hd_daemon_opt(&d, HD_DOPT_ICC)->set);
	assert_int_equal(hd_daemon_opt(&d, HD_DOPT_ICC)->at.col, 2);
	assert_non_null(problem(&d, HD_DP_UNKNOWN, "unknown key 'a\"b'"));
	hd_daemon_spec_release(&d);
}

static void test_conflict_with_command_line(void **state)
{
	struct hd_daemon_spec d;
	const char *text = "{\"hosts\": [\"tcp://0.0.0.0:2375\"], \"icc\": true, \"debug\": true}";
	struct hd_dorigin at = { (char *)"/lib/systemd/system/docker.service", 12, 30, (char *)"-H fd://" };

	(void)state;
	hd_daemon_spec_init(&d);
	assert_int_equal(hd_dsetting_add_item(&d.opt[HD_DOPT_HOSTS], "fd://", &at), 0);
	d.opt[HD_DOPT_HOSTS].set = true;
	d.opt[HD_DOPT_HOSTS].src = HD_DSRC_ARGS;
	assert_int_equal(hd_dorigin_copy(&d.opt[HD_DOPT_HOSTS].at, &at), 0);
	d.opt[HD_DOPT_ICC].set = true;
	d.opt[HD_DOPT_ICC].b = false;
	d.opt[HD_DOPT_ICC].src = HD_DSRC_ARGS;
	assert_int_equal(hd_daemon_json_read(&d, F, text, strlen(text)), 0);
	assert_non_null(problem(&d, HD_DP_CONFLICT, "'hosts' is set in daemon.json and as '-H fd://' on the command line (/lib/systemd/system/docker.service:12)"));
	assert_non_null(problem(&d, HD_DP_CONFLICT, "'icc'"));
	/* Lists hold both sides' items; a scalar keeps the command line's value. */
	assert_int_equal(d.opt[HD_DOPT_HOSTS].n_items, 2);
	assert_true(hd_daemon_listens_tcp(&d));
	assert_false(d.opt[HD_DOPT_ICC].b);
	assert_true(hd_daemon_bool(&d, HD_DOPT_DEBUG, false));
	hd_daemon_spec_release(&d);
}

static void test_deep_and_odd(void **state)
{
	struct hd_daemon_spec d;
	struct hd_buf b = HD_BUF_INIT(1u << 22);
	int i;

	(void)state;
	assert_int_equal(hd_buf_addstr(&b, "{\"builder\": "), 0);
	for (i = 0; i < 5000; i++)
		assert_int_equal(hd_buf_addch(&b, '['), 0);
	for (i = 0; i < 5000; i++)
		assert_int_equal(hd_buf_addch(&b, ']'), 0);
	assert_int_equal(hd_buf_addch(&b, '}'), 0);
	hd_daemon_spec_init(&d);
	assert_int_equal(hd_daemon_json_read(&d, F, b.buf, b.len), 0);
	hd_daemon_spec_release(&d);
	hd_buf_release(&b);
	read_ok(&d, "{\"label\\u0000s\": 1}");
	hd_daemon_spec_release(&d);
}

static void test_alloc_failures(void **state)
{
	const char *text = "{\"hosts\": [\"a\", \"b\"], \"log-opts\": {\"a\": \"b\"}, \"icc\": 1, \"x\": 2,"
			   " \"icc\": true, \"default-ulimits\": {\"n\": {\"Soft\": 1, \"Hard\": 2}}}";
	unsigned long n;
	bool succeeded = false;

	(void)state;
	for (n = 1; n < 400 && !succeeded; n++) {
		struct hd_daemon_spec d;
		int r;

		hd_daemon_spec_init(&d);
		hd_alloc_fail_at(n);
		r = hd_daemon_json_read(&d, F, text, strlen(text));
		hd_alloc_fail_at(0);
		assert_true(r == 0 || r == -HD_ENOMEM);
		succeeded = r == 0 && d.n_problems == 2;
		hd_daemon_spec_release(&d);
	}
	assert_true(succeeded);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_values_and_positions),
		cmocka_unit_test(test_invalid_json_position),
		cmocka_unit_test(test_empty_and_bom),
		cmocka_unit_test(test_wrong_types),
		cmocka_unit_test(test_unknown_and_ignored),
		cmocka_unit_test(test_escaped_keys),
		cmocka_unit_test(test_conflict_with_command_line),
		cmocka_unit_test(test_deep_and_odd),
		cmocka_unit_test(test_alloc_failures),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
