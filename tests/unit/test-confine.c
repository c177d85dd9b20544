/*
 * Unit tests for core/confine.c: lexical containment (absolute paths, ".."
 * escapes, folding), links that lead out of the tree, special files that are
 * never read (FIFOs, devices, /proc), and the root of a file named on the
 * command line (its git work tree).
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <cmocka.h>

#include "core/common.h"
#include "core/confine.h"

#include <limits.h>
#include <sys/stat.h>
#include <unistd.h>

static char tmp[PATH_MAX];

static const char *at(const char *rel)
{
	static char p[4][PATH_MAX + 64];
	static unsigned k;

	k = (k + 1) % 4;
	snprintf(p[k], sizeof(p[k]), "%s/%s", tmp, rel);
	return p[k];
}

static void write_file(const char *rel, const char *text)
{
	FILE *f = fopen(at(rel), "w");

	assert_non_null(f);
	fputs(text, f);
	fclose(f);
}

static int setup(void **state)
{
	(void)state;
	snprintf(tmp, sizeof(tmp), "/tmp/hd-confine-XXXXXX");
	if (!mkdtemp(tmp))
		return -1;
	mkdir(at("repo"), 0755);
	mkdir(at("repo/.git"), 0755);
	mkdir(at("repo/app"), 0755);
	mkdir(at("repo/app/sub"), 0755);
	write_file("secret.txt", "outside-secret\n");
	write_file("repo/app/inside.env", "A=1\n");
	write_file("repo/top.env", "B=2\n");
	return 0;
}

static int teardown(void **state)
{
	char cmd[PATH_MAX + 16];

	(void)state;
	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", tmp);
	return system(cmd) == 0 ? 0 : -1;
}

static void test_lexical(void **state)
{
	(void)state;
	/* Relative root and paths. */
	assert_int_equal(hd_confine_check(".", "compose.yml"), 0);
	assert_int_equal(hd_confine_check(".", "a/../b.env"), 0);
	assert_int_equal(hd_confine_check(".", "../x.env"), -HD_EOUTSIDE);
	assert_int_equal(hd_confine_check(".", "a/../../x.env"), -HD_EOUTSIDE);
	assert_int_equal(hd_confine_check(".", ".."), -HD_EOUTSIDE);
	assert_int_equal(hd_confine_check("app", "app/x.env"), 0);
	assert_int_equal(hd_confine_check("app", "app"), 0);
	assert_int_equal(hd_confine_check("app", "application/x.env"), -HD_EOUTSIDE);
	assert_int_equal(hd_confine_check("app", "app/../x.env"), -HD_EOUTSIDE);
	assert_int_equal(hd_confine_check("./app/", "app//sub/./x.env"), 0);
	/* Absolute paths against a relative root are compared from the current directory. */
	assert_int_equal(hd_confine_check(".", "/etc/shadow"), -HD_EOUTSIDE);
	assert_int_equal(hd_confine_check("app", "/proc/self/environ"), -HD_EOUTSIDE);
	/* Absolute root. */
	assert_int_equal(hd_confine_check("/srv/app", "/srv/app/x"), 0);
	assert_int_equal(hd_confine_check("/srv/app", "/srv/app/../app2/x"), -HD_EOUTSIDE);
	assert_int_equal(hd_confine_check("/srv/app", "/srv/../srv/app/x"), 0);
	assert_int_equal(hd_confine_check("/", "/anything"), 0);
}

static void test_read(void **state)
{
	struct hd_buf b = HD_BUF_INIT(1024);
	char root[PATH_MAX + 64];

	(void)state;
	snprintf(root, sizeof(root), "%s", at("repo/app"));
	assert_int_equal(hd_confine_read(root, at("repo/app/inside.env"), &b), 0);
	assert_string_equal(b.buf, "A=1\n");
	hd_buf_reset(&b);
	/* Lexically outside: refused before anything is opened. */
	assert_int_equal(hd_confine_read(root, at("repo/app/../top.env"), &b), -HD_EOUTSIDE);
	assert_int_equal(hd_confine_read(root, at("secret.txt"), &b), -HD_EOUTSIDE);
	assert_int_equal(hd_confine_read(root, "/etc/passwd", &b), -HD_EOUTSIDE);
	/* A link inside the tree leading out of it. */
	assert_int_equal(symlink("../../secret.txt", at("repo/app/link.env")), 0);
	assert_int_equal(hd_confine_read(root, at("repo/app/link.env"), &b), -HD_EOUTSIDE);
	assert_int_equal(symlink("/etc/passwd", at("repo/app/abs.env")), 0);
	assert_int_equal(hd_confine_read(root, at("repo/app/abs.env"), &b), -HD_EOUTSIDE);
	/* A directory on the way that is a link out. */
	assert_int_equal(symlink(tmp, at("repo/app/up")), 0);
	assert_int_equal(hd_confine_read(root, at("repo/app/up/secret.txt"), &b), -HD_EOUTSIDE);
	/* A link that stays inside is followed. */
	assert_int_equal(symlink("sub/../inside.env", at("repo/app/ok.env")), 0);
	assert_int_equal(hd_confine_read(root, at("repo/app/ok.env"), &b), 0);
	assert_string_equal(b.buf, "A=1\n");
	hd_buf_reset(&b);
	/* Special files are never read (a FIFO would block). */
	assert_int_equal(mkfifo(at("repo/app/fifo.env"), 0600), 0);
	assert_int_equal(hd_confine_read(root, at("repo/app/fifo.env"), &b), -HD_ENOTREG);
	assert_int_equal(hd_confine_read(root, at("repo/app/sub"), &b), -HD_ENOTREG);
	assert_int_equal(hd_confine_read(root, at("repo/app/missing.env"), &b), -HD_ENOENT);
	assert_false(hd_confine_exists(root, at("repo/app/fifo.env")));
	assert_true(hd_confine_exists(root, at("repo/app/inside.env")));
	assert_false(hd_confine_exists(root, at("repo/app/link.env")));
	/* A root in /proc reads nothing. */
	assert_int_equal(hd_confine_read("/proc/self", "/proc/self/environ", &b), -HD_ENOTREG);
	assert_int_equal(b.len, 0);
	hd_buf_release(&b);
}

static void test_read_regular(void **state)
{
	struct hd_buf b = HD_BUF_INIT(1024);

	(void)state;
	assert_int_equal(hd_read_regular(at("secret.txt"), &b), 0);
	hd_buf_reset(&b);
	assert_int_equal(hd_read_regular("/proc/self/environ", &b), -HD_ENOTREG);
	assert_int_equal(hd_read_regular("/dev/zero", &b), -HD_ENOTREG);
	assert_int_equal(hd_read_regular(at("repo"), &b), -HD_ENOTREG);
	assert_int_equal(mkfifo(at("fifo"), 0600), 0);
	assert_int_equal(hd_read_regular(at("fifo"), &b), -HD_ENOTREG);
	assert_int_equal(b.len, 0);
	hd_buf_release(&b);
}

static void test_root_of(void **state)
{
	char *r;
	char want[PATH_MAX + 16], real[PATH_MAX];

	(void)state;
	assert_non_null(realpath(tmp, real));
	/* Inside a git work tree: the work tree. */
	r = hd_confine_root_of(at("repo/app/sub/compose.yml"));
	assert_non_null(r);
	snprintf(want, sizeof(want), "%s/repo", real);
	assert_string_equal(r, want);
	hd_free(r);
	/* In none: the file's own directory. */
	r = hd_confine_root_of(at("secret.txt"));
	assert_non_null(r);
	assert_string_equal(r, real);
	hd_free(r);
}

/* With the cache of what lies above a parent: the same answers, for siblings and others. */
static void test_root_of_dir_cached(void **state)
{
	struct hd_root_cache c = { 0 };
	char real[PATH_MAX], d[PATH_MAX + 32], want[PATH_MAX + 16];
	char *r;

	(void)state;
	assert_non_null(realpath(tmp, real));
	mkdir(at("repo/app/sub2"), 0755);
	mkdir(at("plain"), 0755);
	mkdir(at("plain/a"), 0755);
	mkdir(at("plain/b"), 0755);
	mkdir(at("plain/b/.git"), 0755);
	snprintf(want, sizeof(want), "%s/repo", real);
	/* Siblings below a work tree: the work tree, the second from the cache. */
	for (int k = 0; k < 2; k++) {
		snprintf(d, sizeof(d), "%s/repo/app/%s", real, k ? "sub2" : "sub");
		r = hd_confine_root_of_dir(d, &c);
		assert_non_null(r);
		assert_string_equal(r, want);
		hd_free(r);
	}
	/* The work tree itself. */
	r = hd_confine_root_of_dir(want, &c);
	assert_string_equal(r, want);
	hd_free(r);
	/* No .git above plain/a: its own directory; plain/b has its own .git (the cached parent says none). */
	snprintf(d, sizeof(d), "%s/plain/a", real);
	r = hd_confine_root_of_dir(d, &c);
	assert_string_equal(r, d);
	hd_free(r);
	snprintf(d, sizeof(d), "%s/plain/b", real);
	r = hd_confine_root_of_dir(d, &c);
	assert_string_equal(r, d);
	hd_free(r);
	/* Back below the work tree after another parent. */
	snprintf(d, sizeof(d), "%s/repo/app/sub", real);
	r = hd_confine_root_of_dir(d, &c);
	assert_string_equal(r, want);
	hd_free(r);
	hd_root_cache_release(&c);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_lexical),
		cmocka_unit_test(test_read),
		cmocka_unit_test(test_read_regular),
		cmocka_unit_test(test_root_of),
		cmocka_unit_test(test_root_of_dir_cached),
	};
	return cmocka_run_group_tests(tests, setup, teardown);
}
