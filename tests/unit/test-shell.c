/*
 * Unit tests for parse/shell.c: splitting shell text into simple commands
 * (quotes, escapes, operators, compound commands and their reserved words,
 * substitutions, heredocs, redirections, assignments), word positions and
 * flags, incomplete input, limits, allocation failures, and the command
 * helpers of model/shell.h.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <cmocka.h>

#include "core/common.h"
#include "model/shell.h"

static const char *const seps[] = { "", " ;", " &&", " ||", " |", " &" };

/*
 * Renders the commands compactly: "^N" for depth N, "$" inside a
 * substitution, assignments in braces, argv, redirections as "<op target>",
 * then the separator; commands joined by " / ".
 */
static char *render(const struct hd_shell *sh)
{
	static char out[8192];
	size_t i, j, o = 0;

	out[0] = '\0';
	for (i = 0; i < sh->n_cmds; i++) {
		const struct hd_cmd *c = &sh->cmds[i];

		if (i)
			o += (size_t)snprintf(out + o, sizeof(out) - o, " / ");
		if (c->depth)
			o += (size_t)snprintf(out + o, sizeof(out) - o, "^%u", c->depth);
		if (c->in_subst)
			o += (size_t)snprintf(out + o, sizeof(out) - o, "$");
		for (j = 0; j < c->n_assigns; j++)
			o += (size_t)snprintf(out + o, sizeof(out) - o, "%s{%s}", j ? " " : "", c->assigns[j].text);
		for (j = 0; j < c->argc; j++)
			o += (size_t)snprintf(out + o, sizeof(out) - o, "%s%s", (j || c->n_assigns) ? " " : "",
					      c->argv[j].text);
		for (j = 0; j < c->n_redirs; j++)
			o += (size_t)snprintf(out + o, sizeof(out) - o, " <%s %s>", c->redirs[j].op,
					      c->redirs[j].target.text);
		o += (size_t)snprintf(out + o, sizeof(out) - o, "%s", seps[c->sep]);
	}
	return out;
}

static void check(const char *text, const char *expected)
{
	struct hd_shell sh;

	assert_int_equal(hd_shell_split(text, strlen(text), &sh), 0);
	assert_string_equal(render(&sh), expected);
	assert_false(sh.incomplete);
	hd_shell_release(&sh);
}

static void test_simple(void **state)
{
	(void)state;
	check("apt-get update && apt-get install -y curl",
	      "apt-get update && / apt-get install -y curl");
	check("  ls  ", "ls");
	check("", "");
	check("a || b; c | d |& e & f", "a || / b ; / c | / d | / e & / f");
	check("a\nb\n\nc", "a ; / b ; / c");
	check("a;;", "a ;");
}

static void test_quotes(void **state)
{
	struct hd_shell sh;
	const char *t = "echo 'a b' \"c $HOME\" \\x $'t\\tu' \"q\\\"r\" plain";

	(void)state;
	assert_int_equal(hd_shell_split(t, strlen(t), &sh), 0);
	assert_int_equal(sh.n_cmds, 1);
	assert_int_equal(sh.cmds[0].argc, 7);
	assert_string_equal(sh.cmds[0].argv[1].text, "a b");
	assert_int_equal(sh.cmds[0].argv[1].flags, HD_WORD_QUOTED);
	assert_string_equal(sh.cmds[0].argv[2].text, "c $HOME");
	assert_int_equal(sh.cmds[0].argv[2].flags, HD_WORD_QUOTED | HD_WORD_EXPANSION);
	assert_string_equal(sh.cmds[0].argv[3].text, "x");
	assert_string_equal(sh.cmds[0].argv[4].text, "t\tu");
	assert_string_equal(sh.cmds[0].argv[5].text, "q\"r");
	assert_string_equal(sh.cmds[0].argv[6].text, "plain");
	assert_int_equal(sh.cmds[0].argv[6].flags, 0);
	/* Offsets include the quotes. */
	assert_int_equal(sh.cmds[0].argv[1].off, 5);
	assert_int_equal(sh.cmds[0].argv[1].end, 10);
	assert_int_equal(sh.cmds[0].off, 0);
	assert_int_equal(sh.cmds[0].end, strlen(t));
	hd_shell_release(&sh);

	check("echo \"a\\b\" 'x\\y'", "echo a\\b x\\y");
	check("echo a\"b c\"d", "echo ab cd");
	check("echo \"semi;colon\" 'and&&'", "echo semi;colon and&&");
}

/*
 * Word texts are made in place in a copy of the text: plain words only get
 * their NUL (right where a metacharacter or the end was), quoted ones
 * shrink within their span, and a word with a command substitution inside
 * (whose own words are made in place) is built apart.
 */
static void test_word_text(void **state)
{
	struct hd_shell sh;
	char t[] = "echo abcdef";
	const char *u;

	(void)state;
	check("a;b|c&&d>e<f", "a ; / b | / c && / d <> e> << f>");
	check("a\"b\"c'd'e\\fg \"h\" i", "abcdefg h i");
	check("ab\\\ncd\"e\\\nf\"g", "abcdefg");
	check("echo x$(echo a\"b\")y z", "echo x$(echo a\"b\")y z / ^1$echo ab");
	check("echo \"p$(echo \"q$(ls z)r\")s\"t", "echo p$(echo \"q$(ls z)r\")st / ^1$echo q$(ls z)r / ^2$ls z");
	check("echo a`b c`d e", "echo a`b c`d e / ^1$b c");
	check("echo $(a)'x'\"y\"z w", "echo $(a)xyz w / ^1$a");
	check("echo *.c 'q'[ab]? ", "echo *.c q[ab]?");

	/* The text need not end at len, and is not written to. */
	assert_int_equal(hd_shell_split(t, 8, &sh), 0);
	assert_string_equal(render(&sh), "echo abc");
	assert_int_equal(sh.cmds[0].argv[1].end, 8);
	hd_shell_release(&sh);
	assert_string_equal(t, "echo abcdef");

	/* Flags and spans of plain, quoted and expanded words side by side. */
	u = "cp -r a'b' \"$X\"/c d*";
	assert_int_equal(hd_shell_split(u, strlen(u), &sh), 0);
	assert_int_equal(sh.cmds[0].argc, 5);
	assert_string_equal(sh.cmds[0].argv[1].text, "-r");
	assert_int_equal(sh.cmds[0].argv[1].flags, 0);
	assert_string_equal(sh.cmds[0].argv[2].text, "ab");
	assert_int_equal(sh.cmds[0].argv[2].flags, HD_WORD_QUOTED);
	assert_int_equal(sh.cmds[0].argv[2].off, 6);
	assert_int_equal(sh.cmds[0].argv[2].end, 10);
	assert_string_equal(sh.cmds[0].argv[3].text, "$X/c");
	assert_int_equal(sh.cmds[0].argv[3].flags, HD_WORD_QUOTED | HD_WORD_EXPANSION);
	assert_string_equal(sh.cmds[0].argv[4].text, "d*");
	assert_int_equal(sh.cmds[0].argv[4].flags, HD_WORD_GLOB);
	hd_shell_release(&sh);
}

static void test_comments_and_continuations(void **state)
{
	(void)state;
	check("a # comment && b\nc", "a ; / c");
	check("echo a#b", "echo a#b");
	check("apt-get \\\n  install x", "apt-get install x");
	check("echo ab\\\ncd", "echo abcd");
}

static void test_groups(void **state)
{
	(void)state;
	check("(cd /x && make) && { echo a; echo b; }",
	      "^1cd /x && / ^1make / ^1echo a ; / ^1echo b ;");
	check("( ( inner ) )", "^2inner");
	check("{ a; } > log", "^1a ;");
	check("! grep x f", "grep x f");
}

static void test_substitutions(void **state)
{
	struct hd_shell sh;
	const char *t = "echo $(dirname $(which python)) `date` \"$(id -u)\"";

	(void)state;
	assert_int_equal(hd_shell_split(t, strlen(t), &sh), 0);
	assert_string_equal(render(&sh),
			    "echo $(dirname $(which python)) `date` $(id -u) / ^1$dirname $(which python) / ^2$which python / ^1$date / ^1$id -u");
	assert_int_equal(sh.cmds[0].argv[1].flags, HD_WORD_EXPANSION);
	/* "which" is at offset 17. */
	assert_int_equal(sh.cmds[2].argv[0].off, 17);
	hd_shell_release(&sh);

	check("echo $((1 + 2)) $((x*(y+1)))", "echo $((1 + 2)) $((x*(y+1)))");
	check("X=$(cat f) make", "{X=$(cat f)} make / ^1$cat f");
	check("echo ${HOME:-/root} ${#x} $1 $@", "echo ${HOME:-/root} ${#x} $1 $@");
	check("diff <(ls a) <(ls b)", "diff <(ls a) <(ls b) / ^1$ls a / ^1$ls b");
	check("echo $(echo ')')", "echo $(echo ')') / ^1$echo )");
	check("echo $(case x in a) echo a;; esac)", "echo $(case x in a) echo a;; esac) / ^1$echo a ;");
}

static void test_redirections(void **state)
{
	struct hd_shell sh;
	const char *t = "make 2>&1 >/dev/null &>log <in >> out 3<&0 x";

	(void)state;
	assert_int_equal(hd_shell_split(t, strlen(t), &sh), 0);
	assert_string_equal(render(&sh),
			    "make x <2>& 1> <> /dev/null> <&> log> << in> <>> out> <3<& 0>");
	hd_shell_release(&sh);
	check("cat <<< 'here string'", "cat <<<< here string>");
	check("> file", " <> file>");
	check("echo a>b", "echo a <> b>");
	check("echo 2>err", "echo <2> err>");
	check("echo x2>err", "echo x2 <> err>");
}

static void test_heredocs(void **state)
{
	(void)state;
	check("cat <<EOF > /etc/x\nline $x && rm -rf /\nEOF\necho done",
	      "cat <<< EOF> <> /etc/x> ; / echo done");
	check("cat <<-'EOF'\n\tbody\n\tEOF\nls", "cat <<<- EOF> ; / ls");
	check("cat <<A <<B\na\nA\nb\nB\nls", "cat <<< A> <<< B> ; / ls");
	/* A heredoc feeding a shell: its commands are split one level deeper. */
	check("bash <<EOF\napt-get update\napt-get install -y x\nEOF",
	      "bash <<< EOF> ; / ^1apt-get update ; / ^1apt-get install -y x ;");
	check("sh -ex <<'X' && echo ok\nrm -rf /tmp/*\nX\n",
	      "sh -ex <<< X> && / echo ok ; / ^1rm -rf /tmp/* ;");
	check("python3 <<EOF\nimport os\nEOF", "python3 <<< EOF> ;");
	check("bash -c 'x' <<EOF\nnot split\nEOF", "bash -c x <<< EOF> ;");
	/* Unterminated: the body runs to the end. */
	check("cat <<EOF\nno end", "cat <<< EOF> ;");
}

static void test_assignments(void **state)
{
	(void)state;
	check("DEBIAN_FRONTEND=noninteractive apt-get install -y x",
	      "{DEBIAN_FRONTEND=noninteractive} apt-get install -y x");
	check("A=1 B=2", "{A=1} {B=2}");
	check("echo A=1", "echo A=1");
	check("A+=x arr[1]=y cmd", "{A+=x} {arr[1]=y} cmd");
	check("A=(1 2 3) cmd", "{A=(1 2 3)} cmd");
	check("'A=1' cmd", "A=1 cmd");
	/* The word scan notes an '=': words without one are not tested as assignments. */
	check("a-b=c cmd x=y", "a-b=c cmd x=y");
	check("=x A*=1 cmd", "=x A*=1 cmd");
	check("X=$(echo a=b) Y=\"a b\" Z=1$(true) cmd", "{X=$(echo a=b)} {Y=a b} {Z=1$(true)} cmd / ^1$echo a=b / ^1$true");
}

static void test_compound(void **state)
{
	(void)state;
	check("if [ -f x ]; then rm x; elif true; then :; else touch x; fi",
	      "[ -f x ] ; / rm x ; / true ; / : ; / touch x ;");
	check("for p in a b c; do pip install $p; done", "pip install $p ;");
	check("for p in $(ls); do echo $p; done", "^1$ls / echo $p ;");
	check("for p\ndo echo $p\ndone", "echo $p ;");
	check("for ((i=0; i<3; i++)); do echo $i; done", "echo $i ;");
	check("case $x in a|b) echo a;; (*) echo other;; esac; ls",
	      "echo a ; / echo other ; / ls");
	check("case x in\n  a) one ;;\n  b) two ;;\nesac", "one ; / two ;");
	check("while read l; do echo $l; done < file", "read l ; / echo $l ;");
	check("if x; then y; fi > log 2>&1 && z", "x ; / y ; / z");
	check("(a) >x; b", "^1a / b");
	check("until false; do :; done", "false ; / : ;");
	check("f() { echo hi; }; f", "^1echo hi ; / f");
	check("function g { ls; }", "^1ls ;");
	check("function h() { ls; }", "^1ls ;");
	check("[[ -f x && -d y ]] && echo ok", "[[ -f x && -d y ]] && / echo ok");
	check("time make", "make");
	check("echo if then fi", "echo if then fi");
	check("echo {a,b} }", "echo {a,b} }");
}

static void test_separators_and_pipes(void **state)
{
	struct hd_shell sh;
	const char *t = "curl -s x | sh";

	(void)state;
	assert_int_equal(hd_shell_split(t, strlen(t), &sh), 0);
	assert_true(sh.has_pipe);
	assert_int_equal(sh.cmds[0].sep, HD_SEP_PIPE);
	assert_int_equal(sh.cmds[1].sep, HD_SEP_END);
	hd_shell_release(&sh);
	t = "a && b";
	assert_int_equal(hd_shell_split(t, strlen(t), &sh), 0);
	assert_false(sh.has_pipe);
	hd_shell_release(&sh);
}

static void expect_incomplete(const char *text, size_t off)
{
	struct hd_shell sh;

	assert_int_equal(hd_shell_split(text, strlen(text), &sh), 0);
	assert_true(sh.incomplete);
	assert_int_equal(sh.error_off, off);
	assert_non_null(sh.error);
	hd_shell_release(&sh);
}

static void test_incomplete(void **state)
{
	(void)state;
	expect_incomplete("echo 'abc", 5);
	expect_incomplete("echo \"abc", 5);
	expect_incomplete("echo $(ls", 5);
	expect_incomplete("echo `ls", 5);
	expect_incomplete("echo ${x", 5);
	expect_incomplete("echo $((1+", 5);
	expect_incomplete("ls >", 3);
	{
		struct hd_shell sh;
		const char *t = "apt-get update && echo 'oops";

		assert_int_equal(hd_shell_split(t, strlen(t), &sh), 0);
		/* Parsed as far as possible. */
		assert_int_equal(sh.n_cmds, 2);
		assert_string_equal(sh.cmds[1].argv[1].text, "oops");
		hd_shell_release(&sh);
	}
}

static void test_limits(void **state)
{
	struct hd_shell sh;
	char *t = hd_malloc(4 * 200 + 1);
	size_t i, o = 0;

	(void)state;
	for (i = 0; i < 200; i++) {
		memcpy(t + o, "$(a ", 4);
		o += 4;
	}
	t[o] = '\0';
	assert_int_equal(hd_shell_split(t, o, &sh), 0);
	assert_true(sh.incomplete);
	assert_true(sh.n_cmds <= HD_MAX_SHELL_DEPTH);
	hd_shell_release(&sh);
	for (i = 0; i < 200; i++)
		t[i] = '(';
	assert_int_equal(hd_shell_split(t, 200, &sh), 0);
	assert_true(sh.incomplete);
	hd_shell_release(&sh);
	hd_free(t);

	/* Binary input does not crash. */
	{
		char bin[256];

		for (i = 0; i < sizeof(bin); i++)
			bin[i] = (char)i;
		assert_int_equal(hd_shell_split(bin, sizeof(bin), &sh), 0);
		hd_shell_release(&sh);
	}
}

static void test_long_input(void **state)
{
	struct hd_shell sh;
	size_t n = 2 * 1000 * 1000, i;
	char *t = hd_malloc(n);

	(void)state;
	/* Many words: linear time, all kept. */
	for (i = 0; i < n; i += 2) {
		t[i] = 'x';
		t[i + 1] = ' ';
	}
	assert_int_equal(hd_shell_split(t, n, &sh), 0);
	assert_int_equal(sh.n_cmds, 1);
	assert_int_equal(sh.cmds[0].argc, n / 2);
	hd_shell_release(&sh);
	/* Many commands. */
	for (i = 0; i < n; i += 2) {
		t[i] = 'x';
		t[i + 1] = ';';
	}
	assert_int_equal(hd_shell_split(t, n, &sh), 0);
	assert_int_equal(sh.n_cmds, n / 2);
	hd_shell_release(&sh);
	hd_free(t);
}

static void test_alloc_failures(void **state)
{
	const char *t = "A=1 apt-get install -y $(echo x) `y` > /z && (cd a; make) <<EOF\nbody\nEOF\nbash <<E\nls\nE\n";
	unsigned long n;

	(void)state;
	for (n = 1; n < 200; n++) {
		struct hd_shell sh;
		int r;

		hd_alloc_fail_at(n);
		r = hd_shell_split(t, strlen(t), &sh);
		hd_alloc_fail_at(0);
		assert_true(r == 0 || r == -HD_ENOMEM);
		if (r == 0) {
			assert_string_equal(render(&sh),
					    "{A=1} apt-get install -y $(echo x) `y` <> /z> && / ^1$echo x / ^1$y / ^1cd a ; / ^1make / bash <<< E> ; / ^1ls ;");
			hd_shell_release(&sh);
			break;
		}
	}
	assert_true(n < 200);
}

static void test_helpers(void **state)
{
	struct hd_shell sh;
	const char *t = "/usr/bin/apt-get install -qy --no-install-recommends=1 pkg -- --yes";

	(void)state;
	assert_int_equal(hd_shell_split(t, strlen(t), &sh), 0);
	assert_string_equal(hd_cmd_name(&sh.cmds[0]), "apt-get");
	assert_true(hd_cmd_has_arg(&sh.cmds[0], "install"));
	assert_true(hd_cmd_has_arg(&sh.cmds[0], "pkg"));
	assert_false(hd_cmd_has_arg(&sh.cmds[0], "apt-get"));
	assert_true(hd_cmd_has_opt(&sh.cmds[0], 'y', NULL));
	assert_true(hd_cmd_has_opt(&sh.cmds[0], 'q', "--quiet"));
	assert_false(hd_cmd_has_opt(&sh.cmds[0], 'x', NULL));
	assert_true(hd_cmd_has_opt(&sh.cmds[0], 0, "no-install-recommends"));
	assert_true(hd_cmd_has_opt(&sh.cmds[0], 0, "--no-install-recommends"));
	assert_false(hd_cmd_has_opt(&sh.cmds[0], 0, "no-install"));
	/* After "--" everything is an operand. */
	assert_false(hd_cmd_has_opt(&sh.cmds[0], 0, "yes"));
	hd_shell_release(&sh);

	t = "A=1";
	assert_int_equal(hd_shell_split(t, strlen(t), &sh), 0);
	assert_string_equal(hd_cmd_name(&sh.cmds[0]), "");
	hd_shell_release(&sh);
	assert_string_equal(hd_cmd_name(NULL), "");
	hd_shell_release(NULL);
}

static void test_glob_flag(void **state)
{
	struct hd_shell sh;
	const char *t = "rm -rf /var/lib/apt/lists/* '*'";

	(void)state;
	assert_int_equal(hd_shell_split(t, strlen(t), &sh), 0);
	assert_int_equal(sh.cmds[0].argv[2].flags, HD_WORD_GLOB);
	assert_int_equal(sh.cmds[0].argv[3].flags, HD_WORD_QUOTED);
	hd_shell_release(&sh);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_simple),
		cmocka_unit_test(test_quotes),
		cmocka_unit_test(test_word_text),
		cmocka_unit_test(test_comments_and_continuations),
		cmocka_unit_test(test_groups),
		cmocka_unit_test(test_substitutions),
		cmocka_unit_test(test_redirections),
		cmocka_unit_test(test_heredocs),
		cmocka_unit_test(test_assignments),
		cmocka_unit_test(test_compound),
		cmocka_unit_test(test_separators_and_pipes),
		cmocka_unit_test(test_incomplete),
		cmocka_unit_test(test_limits),
		cmocka_unit_test(test_long_input),
		cmocka_unit_test(test_alloc_failures),
		cmocka_unit_test(test_helpers),
		cmocka_unit_test(test_glob_flag),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
