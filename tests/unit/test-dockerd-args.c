/*
 * Unit tests for parse/dockerd_args.c: dockerd's flags the way pflag reads
 * them, with each value's origin, and the problems that stop dockerd.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <cmocka.h>

#include "core/common.h"
#include "model/daemon.h"
#include "parse/dockerd_args.h"

/* Splits a space-separated line into words at column positions of line 7. */
static void words_of(const char *line, struct hd_uwords *w)
{
	const char *p = line;

	memset(w, 0, sizeof(*w));
	while (*p) {
		const char *e;

		while (*p == ' ')
			p++;
		if (!*p)
			break;
		e = strchr(p, ' ');
		if (!e)
			e = p + strlen(p);
		assert_int_equal(HD_GROW(w->v, w->alloc, w->n + 1), 0);
		w->v[w->n].s = hd_strndup(p, (size_t)(e - p));
		w->v[w->n].file = hd_strdup("docker.service");
		w->v[w->n].line = 7;
		w->v[w->n].col = (uint32_t)(p - line) + 1;
		w->n++;
		p = e;
	}
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

static void parse(const char *line, struct hd_daemon_spec *d, char **cf)
{
	struct hd_uwords w;

	words_of(line, &w);
	hd_daemon_spec_init(d);
	*cf = NULL;
	assert_int_equal(hd_dockerd_args_read(d, &w, 1, cf), 0);
	hd_uwords_release(&w);
}

static void test_forms(void **state)
{
	struct hd_daemon_spec d;
	const struct hd_dsetting *s;
	char *cf;

	(void)state;
	parse("/usr/bin/dockerd -H fd:// --host=unix:///x -Htcp://0.0.0.0:2376 --icc=false -D "
	      "--log-level warn --mtu=1400 --log-opt max-size=10m --insecure-registry r:5000 "
	      "--default-ulimit nofile=1024:2048 -G=admin --config-file /etc/d.json --tlsverify "
	      "--authorization-plugin=authz", &d, &cf);
	assert_int_equal(d.n_problems, 0);
	s = hd_daemon_opt(&d, HD_DOPT_HOSTS);
	assert_int_equal(s->n_items, 3);
	assert_string_equal(s->items[0].value, "fd://");
	assert_string_equal(s->items[0].at.field, "-H fd://");
	assert_int_equal(s->items[0].at.col, 18);
	assert_string_equal(s->items[2].value, "tcp://0.0.0.0:2376");
	assert_int_equal(s->src, HD_DSRC_ARGS);
	assert_false(hd_daemon_bool(&d, HD_DOPT_ICC, true));
	assert_string_equal(hd_daemon_opt(&d, HD_DOPT_ICC)->at.field, "--icc=false");
	assert_true(hd_daemon_bool(&d, HD_DOPT_DEBUG, false));
	assert_string_equal(hd_daemon_str(&d, HD_DOPT_LOG_LEVEL), "warn");
	assert_string_equal(hd_daemon_opt(&d, HD_DOPT_LOG_LEVEL)->at.field, "--log-level warn");
	assert_int_equal(hd_daemon_opt(&d, HD_DOPT_MTU)->i, 1400);
	assert_true(hd_daemon_has_item(&d, HD_DOPT_LOG_OPTS, "max-size"));
	assert_true(hd_daemon_has_item(&d, HD_DOPT_INSECURE_REGISTRIES, "r:5000"));
	assert_true(hd_daemon_has_item(&d, HD_DOPT_DEFAULT_ULIMITS, "nofile"));
	assert_string_equal(hd_daemon_str(&d, HD_DOPT_GROUP), "admin");
	assert_true(hd_daemon_bool(&d, HD_DOPT_TLSVERIFY, false));
	assert_true(hd_daemon_has_item(&d, HD_DOPT_AUTHZ_PLUGINS, "authz"));
	assert_string_equal(cf, "/etc/d.json");
	assert_true(hd_daemon_listens_tcp(&d));
	hd_free(cf);
	hd_daemon_spec_release(&d);
}

static void test_shorthand_bundle(void **state)
{
	struct hd_daemon_spec d;
	char *cf;

	(void)state;
	parse("dockerd -Dl debug -p /run/x.pid", &d, &cf);
	assert_int_equal(d.n_problems, 0);
	assert_true(hd_daemon_bool(&d, HD_DOPT_DEBUG, false));
	assert_string_equal(hd_daemon_str(&d, HD_DOPT_LOG_LEVEL), "debug");
	assert_string_equal(hd_daemon_str(&d, HD_DOPT_PIDFILE), "/run/x.pid");
	hd_daemon_spec_release(&d);
}

static void test_problems(void **state)
{
	struct hd_daemon_spec d;
	char *cf;

	(void)state;
	parse("dockerd --icc false --no-such --mtu=big --icc=maybe -x --log-opt novalue -- --debug "
	      "--log-level", &d, &cf);
	assert_true(has_problem(&d, HD_DP_INVALID, "unexpected argument 'false'"));
	assert_true(has_problem(&d, HD_DP_UNKNOWN, "unknown flag '--no-such'"));
	assert_true(has_problem(&d, HD_DP_INVALID, "invalid number 'big' for '--mtu'"));
	assert_true(has_problem(&d, HD_DP_INVALID, "invalid boolean 'maybe' for '--icc'"));
	assert_true(has_problem(&d, HD_DP_UNKNOWN, "unknown shorthand flag '-x'"));
	assert_true(has_problem(&d, HD_DP_INVALID, "'--log-opt' expects NAME=VALUE, got 'novalue'"));
	/* After "--" everything is an argument. */
	assert_true(has_problem(&d, HD_DP_INVALID, "unexpected argument '--debug'"));
	assert_false(hd_daemon_opt(&d, HD_DOPT_DEBUG)->set);
	/* --icc without a value is true; the stray "false" is an argument. */
	assert_true(hd_daemon_bool(&d, HD_DOPT_ICC, false));
	hd_daemon_spec_release(&d);
	parse("dockerd --log-level", &d, &cf);
	assert_true(has_problem(&d, HD_DP_INVALID, "flag '--log-level' needs a value"));
	hd_daemon_spec_release(&d);
}

static void test_go_bool(void **state)
{
	static const char *const yes[] = { "1", "t", "T", "TRUE", "true", "True" };
	static const char *const no[] = { "0", "f", "F", "FALSE", "false", "False" };
	bool b;
	size_t i;

	(void)state;
	for (i = 0; i < HD_ARRAY_SIZE(yes); i++) {
		assert_int_equal(hd_parse_go_bool(yes[i], &b), 0);
		assert_true(b);
		assert_int_equal(hd_parse_go_bool(no[i], &b), 0);
		assert_false(b);
	}
	assert_int_equal(hd_parse_go_bool("yes", &b), -HD_EINVAL);
	assert_int_equal(hd_parse_go_bool("", &b), -HD_EINVAL);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_forms),
		cmocka_unit_test(test_shorthand_bundle),
		cmocka_unit_test(test_problems),
		cmocka_unit_test(test_go_bool),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
