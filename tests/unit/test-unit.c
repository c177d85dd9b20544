/*
 * Unit tests for parse/unit.c: unit files with drop-ins, continuation lines,
 * ExecStart= split by systemd's rules (quotes, escapes, specifiers,
 * variables, prefixes), environment files, and syntax errors with their
 * positions.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <cmocka.h>

#include "core/common.h"
#include "parse/unit.h"

static void split(const struct hd_unit *u, const struct hd_uenv *env, struct hd_uwords *w,
		  struct hd_uproblems *p)
{
	memset(w, 0, sizeof(*w));
	memset(p, 0, sizeof(*p));
	assert_int_equal(hd_unit_split_exec(&u->exec_start, env, "docker.service", w, p), 0);
}

static void test_dropin_reset(void **state)
{
	struct hd_unit u;
	struct hd_uwords w;
	struct hd_uproblems p;
	const char *unit = "[Unit]\nDescription=x\n\n[Service]\nType=notify\n"
			   "ExecStart=/usr/bin/dockerd -H fd://\nUser=root\n";
	const char *dropin = "# comment\n; another\n[Service]\nExecStart=\n"
			     "ExecStart=/usr/bin/dockerd \\\n   --icc=false \\\n# skipped\n   --mtu 1400\n";

	(void)state;
	hd_unit_init(&u);
	assert_int_equal(hd_unit_parse(&u, "/lib/systemd/system/docker.service", unit, strlen(unit)), 0);
	assert_int_equal(u.n_exec_start, 1);
	assert_string_equal(u.user.s, "root");
	assert_int_equal(hd_unit_parse(&u, "/etc/systemd/system/docker.service.d/o.conf", dropin,
				       strlen(dropin)), 0);
	assert_int_equal(u.n_exec_start, 1);
	assert_int_equal(u.files.n, 2);
	assert_int_equal(u.problems.n, 0);
	split(&u, NULL, &w, &p);
	assert_int_equal(w.n, 4);
	assert_string_equal(w.v[0].s, "/usr/bin/dockerd");
	assert_string_equal(w.v[1].s, "--icc=false");
	assert_int_equal(w.v[1].line, 6);
	assert_int_equal(w.v[1].col, 4);
	assert_string_equal(w.v[3].s, "1400");
	assert_int_equal(w.v[3].line, 8);
	assert_int_equal(w.v[3].col, 10);
	assert_string_equal(w.v[3].file, "/etc/systemd/system/docker.service.d/o.conf");
	hd_uwords_release(&w);
	hd_uproblems_release(&p);
	hd_unit_release(&u);
}

static void test_no_reset_counts(void **state)
{
	struct hd_unit u;
	const char *a = "[Service]\nExecStart=/a\n", *b = "[Service]\nExecStart=/b\n";

	(void)state;
	hd_unit_init(&u);
	assert_int_equal(hd_unit_parse(&u, "a", a, strlen(a)), 0);
	assert_int_equal(hd_unit_parse(&u, "b", b, strlen(b)), 0);
	assert_int_equal(u.n_exec_start, 2);
	hd_unit_release(&u);
}

static void test_quoting_and_escapes(void **state)
{
	struct hd_unit u;
	struct hd_uwords w;
	struct hd_uproblems p;
	const char *unit = "[Service]\nExecStart=-/usr/bin/dockerd \"a b\" 'c \"d\"' e\"f g\"h "
			   "\\x41\\101\\u00e9 x\\ y 'it\\'s' \\t\n";

	(void)state;
	hd_unit_init(&u);
	assert_int_equal(hd_unit_parse(&u, "u", unit, strlen(unit)), 0);
	split(&u, NULL, &w, &p);
	assert_int_equal(p.n, 0);
	assert_int_equal(w.n, 8);
	assert_string_equal(w.v[0].s, "/usr/bin/dockerd");
	assert_int_equal(w.v[0].col, 12); /* after the '-' prefix */
	assert_string_equal(w.v[1].s, "a b");
	assert_string_equal(w.v[2].s, "c \"d\"");
	assert_string_equal(w.v[3].s, "ef gh");
	assert_string_equal(w.v[4].s, "AA\xc3\xa9");
	assert_string_equal(w.v[5].s, "x y");
	assert_string_equal(w.v[6].s, "it's");
	assert_string_equal(w.v[7].s, "\t");
	hd_uwords_release(&w);
	hd_uproblems_release(&p);
	hd_unit_release(&u);
}

static void test_specifiers_and_variables(void **state)
{
	struct hd_unit u;
	struct hd_uwords w;
	struct hd_uproblems p;
	struct hd_uenv env = { { 0 } };
	const char *unit = "[Service]\nEnvironment=\"OPTS=--mtu 1400  --debug\" 'ONE=a b'\n"
			   "EnvironmentFile=-/etc/default/docker\n"
			   "ExecStart=@/usr/bin/dockerd dockerd-argv0 %n %N %% %H $OPTS ${ONE} x${ONE}y $$HOME $NONE ${NONE}\n";
	const char *envfile = "# comment\nOPTS=\"--from-file  \\\"q\\\"\"\n  OTHER = 'lit $x'\nexport X=1\nCONT=a\\\nb\n";

	(void)state;
	hd_unit_init(&u);
	assert_int_equal(hd_unit_parse(&u, "u", unit, strlen(unit)), 0);
	assert_int_equal(u.environment.vars.n, 2);
	assert_int_equal(u.env_files.n, 1);
	assert_string_equal(u.env_files.v[0].s, "-/etc/default/docker");
	split(&u, &u.environment, &w, &p);
	assert_int_equal(p.n, 0);
	/* @: the second word is argv[0] and dropped. */
	assert_string_equal(w.v[0].s, "/usr/bin/dockerd");
	assert_string_equal(w.v[1].s, "docker.service");
	assert_string_equal(w.v[2].s, "docker");
	assert_string_equal(w.v[3].s, "%");
	assert_string_equal(w.v[4].s, "%H");
	assert_string_equal(w.v[5].s, "--mtu");
	assert_string_equal(w.v[6].s, "1400");
	assert_string_equal(w.v[7].s, "--debug");
	assert_string_equal(w.v[8].s, "a b");
	assert_string_equal(w.v[9].s, "xa by");
	assert_string_equal(w.v[10].s, "$HOME");
	assert_string_equal(w.v[11].s, "");
	assert_int_equal(w.n, 12);
	hd_uwords_release(&w);
	hd_uproblems_release(&p);

	/* The environment file overrides Environment=. */
	assert_int_equal(hd_uenv_parse(&env, "/etc/default/docker", envfile, strlen(envfile), &p), 0);
	assert_int_equal(p.n, 1); /* export X=1 */
	assert_int_equal(p.v[0].line, 4);
	assert_string_equal(hd_uenv_get(&env, "OPTS", NULL), "--from-file  \"q\"");
	assert_string_equal(hd_uenv_get(&env, "OTHER", NULL), "lit $x");
	assert_string_equal(hd_uenv_get(&env, "CONT", NULL), "ab");
	assert_null(hd_uenv_get(&env, "X", NULL));
	hd_uproblems_release(&p);
	hd_uenv_release(&env);
	hd_unit_release(&u);
}

static void expect_problem(const char *exec, const char *what, uint32_t col)
{
	struct hd_unit u;
	struct hd_uwords w;
	struct hd_uproblems p;
	char *unit = hd_asprintf("[Service]\nExecStart=%s\n", exec);

	assert_non_null(unit);
	hd_unit_init(&u);
	assert_int_equal(hd_unit_parse(&u, "u", unit, strlen(unit)), 0);
	split(&u, NULL, &w, &p);
	assert_int_equal(w.n, 0);
	assert_int_equal(p.n, 1);
	assert_non_null(strstr(p.v[0].message, what));
	assert_int_equal(p.v[0].line, 2);
	assert_int_equal(p.v[0].col, col);
	hd_uproblems_release(&p);
	hd_unit_release(&u);
	hd_free(unit);
}

static void test_syntax_errors(void **state)
{
	(void)state;
	expect_problem("/usr/bin/dockerd \"--icc=false", "unterminated double quote", 28);
	expect_problem("/usr/bin/dockerd 'x", "unterminated single quote", 28);
	expect_problem("/usr/bin/dockerd a\\qb", "unknown escape", 29);
	expect_problem("/usr/bin/dockerd \\x4", "invalid \\x escape", 28);
	expect_problem("/usr/bin/dockerd \\u12", "invalid \\u escape", 28);
	expect_problem("/usr/bin/dockerd %Z", "unknown specifier", 28);
	expect_problem("/usr/bin/dockerd 100%", "a '%' ends the line", 31);
	expect_problem("/usr/bin/dockerd \\000", "invalid octal escape", 28);
}

static void test_sections_and_socket(void **state)
{
	struct hd_unit u;
	const char *sock = "[Socket]\nListenStream=/run/docker.sock\nListenStream=2375\nSocketMode=0666\n"
			   "SocketGroup=docker\n[Bad\nnovalue\n[Service]\n  =x\n";

	(void)state;
	hd_unit_init(&u);
	assert_int_equal(hd_unit_parse(&u, "docker.socket", sock, strlen(sock)), 0);
	assert_int_equal(u.listen_streams.n, 2);
	assert_string_equal(u.listen_streams.v[1].s, "2375");
	assert_string_equal(u.socket_mode.s, "0666");
	assert_string_equal(u.socket_group.s, "docker");
	assert_int_equal(u.problems.n, 2);
	assert_non_null(strstr(u.problems.v[0].message, "invalid section header"));
	assert_int_equal(u.problems.v[1].line, 7);
	hd_unit_release(&u);
}

static void test_alloc_failures(void **state)
{
	const char *unit = "[Service]\nEnvironment=A=1 \"B=2 3\"\nExecStart=/usr/bin/dockerd \\\n \"x\" $B ${A}\n";
	unsigned long n;
	bool done = false;

	(void)state;
	for (n = 1; n < 300 && !done; n++) {
		struct hd_unit u;
		struct hd_uwords w = { 0 };
		struct hd_uproblems p = { 0 };
		int r;

		hd_unit_init(&u);
		hd_alloc_fail_at(n);
		r = hd_unit_parse(&u, "u", unit, strlen(unit));
		if (r == 0)
			r = hd_unit_split_exec(&u.exec_start, &u.environment, "docker.service", &w, &p);
		hd_alloc_fail_at(0);
		assert_true(r == 0 || r == -HD_ENOMEM);
		done = r == 0 && w.n == 5;
		hd_uwords_release(&w);
		hd_uproblems_release(&p);
		hd_unit_release(&u);
	}
	assert_true(done);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_dropin_reset),
		cmocka_unit_test(test_no_reset_counts),
		cmocka_unit_test(test_quoting_and_escapes),
		cmocka_unit_test(test_specifiers_and_variables),
		cmocka_unit_test(test_syntax_errors),
		cmocka_unit_test(test_sections_and_socket),
		cmocka_unit_test(test_alloc_failures),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
