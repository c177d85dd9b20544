/*
 * Unit tests for model/wrappers.c: the table is sorted and its first-letter
 * bitmap matches it exactly; every wrapper is skipped with its own options
 * and operands; users named by sudo/gosu/setpriv/runuser are reported;
 * look-ups (`command -v`) run nothing; aliases resolve (xx-apt-get is
 * apt-get); the shell model fills hd_cmd.a0 and .name from the same table.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <cmocka.h>

#include "core/common.h"
#include "model/shell.h"
#include "model/wrappers.h"

static void test_table_sorted_and_pairs_exact(void **state)
{
	uint32_t pairs[26] = { 0 };
	size_t i;

	(void)state;
	for (i = 0; i < hd_wrapper_count; i++) {
		const char *n = hd_wrappers[i].name;
		unsigned c1 = (unsigned char)n[1];
		unsigned bit = c1 == '-' ? 26 : (c1 >= '0' && c1 <= '9') ? 27 : c1 - 'a';

		if (i)
			assert_true(strcmp(hd_wrappers[i - 1].name, n) < 0);
		assert_true(n[0] >= 'a' && n[0] <= 'z');
		assert_true(bit < 28);
		pairs[n[0] - 'a'] |= 1u << bit;
		/* Every entry is found by its own name and through a path. */
		assert_ptr_equal(hd_wrapper_find(n), &hd_wrappers[i]);
		if (hd_wrappers[i].flags & HD_WRAP_ALIAS)
			assert_non_null(hd_wrappers[i].alias);
	}
	for (i = 0; i < 26; i++)
		assert_int_equal(pairs[i], hd_wrapper_pairs[i]);
	assert_non_null(hd_wrapper_find("/usr/bin/sudo"));
	assert_non_null(hd_wrapper_find("./gosu"));
	assert_null(hd_wrapper_find("echo"));
	assert_null(hd_wrapper_find("su"));
	assert_null(hd_wrapper_find("sudoedit"));
	assert_null(hd_wrapper_find(""));
	assert_null(hd_wrapper_find("S"));
}

/* Splits text on blanks (no quoting) and unwraps it. */
struct split {
	const char *w[32];
	size_t n;
	char buf[512];
};

/* The real command of text: "name@index", or "-" when none. */
static const char *real(const char *text, struct hd_unwrap *u)
{
	static char out[128];
	struct split s;
	char *save = NULL, *p;

	snprintf(s.buf, sizeof(s.buf), "%s", text);
	s.n = 0;
	for (p = strtok_r(s.buf, " ", &save); p && s.n < 32; p = strtok_r(NULL, " ", &save))
		s.w[s.n++] = p;
	if (!hd_unwrap(s.w, sizeof(s.w[0]), s.n, 0, u)) {
		snprintf(out, sizeof(out), "-");
		return out;
	}
	snprintf(out, sizeof(out), "%s@%zu", u->name, u->cmd);
	return out;
}

static void test_unwrap_options(void **state)
{
	struct hd_unwrap u;

	(void)state;
	assert_string_equal(real("apt-get install x", &u), "apt-get@0");
	assert_int_equal(u.n_wrappers, 0);
	assert_string_equal(real("/usr/bin/apt-get install x", &u), "apt-get@0");
	assert_string_equal(real("sudo apt-get install x", &u), "apt-get@1");
	assert_true(u.as_root);
	assert_null(u.user);
	assert_string_equal(real("sudo -E -H apt-get update", &u), "apt-get@3");
	assert_string_equal(real("sudo -u app -g grp make", &u), "make@5");
	assert_string_equal(u.user, "app");
	assert_false(u.as_root);
	assert_string_equal(real("sudo -uapp make", &u), "make@2");
	assert_string_equal(u.user, "app");
	assert_string_equal(real("sudo -Eu app make", &u), "make@3");
	assert_string_equal(u.user, "app");
	assert_string_equal(real("sudo --user=app make", &u), "make@2");
	assert_string_equal(u.user, "app");
	assert_string_equal(real("sudo -u root make", &u), "make@3");
	assert_true(u.as_root);
	assert_string_equal(real("sudo DEBIAN_FRONTEND=noninteractive apt-get install x", &u), "apt-get@2");
	assert_string_equal(real("sudo -l", &u), "-");
	assert_true(u.no_cmd);
	assert_string_equal(real("env -i PATH=/bin A=1 pip install x", &u), "pip@4");
	assert_string_equal(real("env -u HOME -C /tmp npm i", &u), "npm@5");
	assert_string_equal(real("env -S 'a b'", &u), "-");
	assert_string_equal(real("nice -n 10 make", &u), "make@3");
	assert_string_equal(real("nice -10 make", &u), "make@2");
	assert_string_equal(real("ionice -c 3 make", &u), "make@3");
	assert_string_equal(real("ionice -p 12", &u), "-");
	assert_string_equal(real("xargs -r -n 1 -I {} apk add", &u), "apk@6");
	assert_string_equal(real("eatmydata apt-get install x", &u), "apt-get@1");
	assert_string_equal(real("chroot --userspec=app:app /target make", &u), "make@3");
	assert_string_equal(u.user, "app:app");
	assert_string_equal(real("setpriv --reuid=1000 --regid 1000 --init-groups make", &u), "make@5");
	assert_string_equal(u.user, "1000");
	assert_string_equal(real("runuser -u app -- make", &u), "make@4");
	assert_string_equal(u.user, "app");
	assert_string_equal(real("runuser app -c make", &u), "-");
	assert_string_equal(real("doas -u app make", &u), "make@3");
	assert_string_equal(real("timeout -k 5 60 curl x", &u), "curl@4");
	assert_string_equal(real("timeout --signal KILL 60 curl x", &u), "curl@4");
	assert_string_equal(real("stdbuf -o L -eL make", &u), "make@4");
	assert_string_equal(real("nohup time -f %e make", &u), "make@4");
	assert_string_equal(real("exec -a name make", &u), "make@3");
	assert_string_equal(real("command make", &u), "make@1");
	assert_string_equal(real("command -v make", &u), "-");
	assert_true(u.no_cmd);
	assert_string_equal(real("builtin cd /", &u), "cd@1");
	assert_string_equal(real("gosu app:app make", &u), "make@2");
	assert_string_equal(u.user, "app:app");
	assert_string_equal(real("su-exec 1000 make", &u), "make@2");
	assert_string_equal(real("busybox wget -q x", &u), "wget@1");
	assert_string_equal(real("sudo gosu app env A=1 nice make", &u), "make@6");
	assert_int_equal(u.n_wrappers, 4);
	assert_string_equal(u.user, "app");
	assert_true(u.as_root);
	assert_string_equal(real("sudo -- make", &u), "make@2");
	assert_string_equal(real("sudo", &u), "-");
	assert_false(u.no_cmd);
	/* Aliases: the command itself under another name. */
	assert_string_equal(real("xx-apt-get install -y gcc", &u), "apt-get@0");
	assert_non_null(u.alias);
	assert_string_equal(real("sudo xx-apk add gcc", &u), "apk@1");
	assert_string_equal(real("xx-go build", &u), "go@0");
	/* Too deep to follow. */
	assert_string_equal(real("nice nice nice nice nice nice nice nice nice make", &u), "-");
}

static void test_shell_model_uses_table(void **state)
{
	struct hd_shell sh;
	const char *t = "sudo -u app xx-apt-get install -y gcc && command -v curl && /bin/echo x && A=1";

	(void)state;
	assert_int_equal(hd_shell_split(t, strlen(t), &sh), 0);
	assert_int_equal(sh.n_cmds, 4);
	assert_int_equal(sh.cmds[0].a0, 3);
	assert_string_equal(sh.cmds[0].name, "apt-get");
	assert_int_equal(sh.cmds[1].a0, sh.cmds[1].argc);
	assert_string_equal(sh.cmds[1].name, "");
	assert_int_equal(sh.cmds[2].a0, 0);
	assert_string_equal(sh.cmds[2].name, "echo");
	assert_int_equal(sh.cmds[3].argc, 0);
	assert_string_equal(sh.cmds[3].name, "");
	hd_shell_release(&sh);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_table_sorted_and_pairs_exact),
		cmocka_unit_test(test_unwrap_options),
		cmocka_unit_test(test_shell_model_uses_table),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
