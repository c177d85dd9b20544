/*
 * Unit tests for lint/session.c: a whole lint run through the library, as
 * the CLI and later front ends use it.  Findings arrive per input, sorted,
 * in input order; the status counts them; missing inputs are errors with a
 * message naming them; --merge and standard input's name work; nothing is
 * printed.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <cmocka.h>

#include <sys/stat.h>
#include <unistd.h>

#include "core/common.h"
#include "core/config.h"
#include "lint/session.h"
#include "lint/walk.h"

static char dir[] = "/tmp/hd-test-session-XXXXXX";
static struct hd_config cfg;

static void write_file(const char *name, const char *text)
{
	char path[512];
	FILE *fp;

	snprintf(path, sizeof(path), "%s/%s", dir, name);
	/* Its directories first. */
	for (char *sl = strchr(path + strlen(dir) + 1, '/'); sl; sl = strchr(sl + 1, '/')) {
		*sl = '\0';
		mkdir(path, 0700);
		*sl = '/';
	}
	fp = fopen(path, "w");
	assert_non_null(fp);
	fputs(text, fp);
	fclose(fp);
}

static int setup(void **state)
{
	(void)state;
	if (!mkdtemp(dir))
		return -1;
	write_file("b.Dockerfile", "FROM ubuntu\nRUN apt-get install -y curl\n");
	write_file("a.Dockerfile", "FROM alpine:3.20\nMAINTAINER x\nUSER 1000\nHEALTHCHECK CMD true\n");
	write_file("compose.yml", "services:\n  a:\n    image: x:1\n");
	write_file("over.yml", "services:\n  a:\n    privileged: true\n");
	/* A tree whose compose file, walked after the Dockerfile, names its build context. */
	write_file("tree/.git", "gitdir: elsewhere\n");
	write_file("tree/a/Dockerfile", "FROM alpine:3.20\nCOPY . /app\nUSER 1000\nHEALTHCHECK CMD true\n");
	write_file("tree/ctx/.dockerignore", ".git\n");
	write_file("tree/z/compose.yml", "services:\n  x:\n    build:\n      context: ../ctx\n"
					   "      dockerfile: ../a/Dockerfile\n");
	write_file("vars.Dockerfile", "FROM alpine:3.20\nENV DEPS=\"gcc make file\"\nRUN apk add --no-cache $DEPS\n"
				      "USER 1000\nHEALTHCHECK CMD true\n");
	hd_config_init(&cfg);
	return hd_config_prepare(&cfg);
}

static int teardown(void **state)
{
	char cmd[600];

	(void)state;
	hd_config_release(&cfg);
	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", dir);
	return system(cmd);
}

/* What the sink saw: the inputs' names in order and the total. */
struct seen {
	char names[8][512];
	size_t n_groups, n_findings, n_apk;
	bool unsorted;
	int fail_with;
};

static int sink_fn(void *ctx, struct hd_findings *f)
{
	struct seen *s = ctx;
	size_t i;

	for (i = 1; i < f->n; i++) {
		if (f->v[i - 1].line > f->v[i].line && !strcmp(f->v[i - 1].file, f->v[i].file))
			s->unsorted = true;
	}
	for (i = 0; i < f->n; i++)
		s->n_apk += !strcmp(f->v[i].rule->id, "dockerfile/apk-unpinned");
	if (s->n_groups < 8)
		snprintf(s->names[s->n_groups], sizeof(s->names[0]), "%s", f->v[0].file ? f->v[0].file : "");
	s->n_groups++;
	s->n_findings += f->n;
	return s->fail_with;
}

static int run(const struct hd_lint_opts *o, const char *const *paths, size_t n, struct seen *seen,
	       struct hd_run_status *st, char **err)
{
	struct hd_lint_sink sink = { sink_fn, seen };
	struct hd_lint_session *s = NULL;
	int r;

	memset(st, 0, sizeof(*st));
	r = hd_lint_session_open(o, paths, n, &s, err);
	if (r < 0)
		return r;
	hd_free(*err);
	r = hd_lint_session_run(s, &sink, st, err);
	hd_lint_session_free(s);
	return r;
}

static void test_inputs_in_order(void **state)
{
	struct hd_lint_opts o = { .cfg = &cfg, .jobs = 4 };
	struct hd_run_status st;
	struct seen seen;
	char b[512], a[512], *err = NULL;
	const char *paths[2] = { b, a };
	size_t i, total = 0;

	(void)state;
	memset(&seen, 0, sizeof(seen));
	snprintf(b, sizeof(b), "%s/b.Dockerfile", dir);
	snprintf(a, sizeof(a), "%s/a.Dockerfile", dir);
	assert_int_equal(run(&o, paths, 2, &seen, &st, &err), 0);
	assert_null(err);
	/* The order given, not sorted by name; each input's findings sorted. */
	assert_int_equal(seen.n_groups, 2);
	assert_string_equal(seen.names[0], b);
	assert_string_equal(seen.names[1], a);
	assert_false(seen.unsorted);
	assert_int_equal(st.files, 2);
	assert_false(st.failed);
	for (i = 0; i < HD_SEV_MAX; i++)
		total += st.counts[i];
	assert_int_equal(total, seen.n_findings);
	assert_true(st.counts[HD_SEV_HIGH] + st.counts[HD_SEV_MEDIUM] > 0);
}

static void test_missing_input(void **state)
{
	struct hd_lint_opts o = { .cfg = &cfg };
	struct hd_lint_session *s = NULL;
	const char *paths[1] = { "/nonexistent/hd-test" };
	char *err = NULL;

	(void)state;
	assert_int_equal(hd_lint_session_open(&o, paths, 1, &s, &err), -HD_ENOENT);
	assert_null(s);
	assert_non_null(err);
	assert_non_null(strstr(err, "cannot lint '/nonexistent/hd-test'"));
	hd_free(err);
}

/* The sink's error stops the run, is returned and marks it failed. */
static void test_sink_error(void **state)
{
	struct hd_lint_opts o = { .cfg = &cfg, .jobs = 1 };
	struct hd_run_status st;
	struct seen seen;
	const char *paths[1] = { dir };
	char *err = NULL;

	(void)state;
	memset(&seen, 0, sizeof(seen));
	seen.fail_with = -HD_EIO;
	assert_int_equal(run(&o, paths, 1, &seen, &st, &err), -HD_EIO);
	assert_int_equal(seen.n_groups, 1);
	assert_true(st.failed);
	assert_non_null(err);
	hd_free(err);
}

static void test_merge(void **state)
{
	struct hd_lint_opts o = { .cfg = &cfg, .merge = true };
	struct hd_run_status st;
	struct seen seen;
	char c[512], v[512], *err = NULL;
	const char *paths[2] = { c, v };

	(void)state;
	memset(&seen, 0, sizeof(seen));
	snprintf(c, sizeof(c), "%s/compose.yml", dir);
	snprintf(v, sizeof(v), "%s/over.yml", dir);
	assert_int_equal(run(&o, paths, 2, &seen, &st, &err), 0);
	/* One project: the privileged setting of the second file is judged with the first. */
	assert_int_equal(seen.n_groups, 1);
	assert_int_equal(st.files, 2);
	assert_true(st.counts[HD_SEV_CRITICAL] + st.counts[HD_SEV_HIGH] > 0);
}

/*
 * Findings of one rule at one place that say different things (each package
 * a variable expands to) are all reported; a file named twice is reported once.
 */
static void test_places(void **state)
{
	struct hd_lint_opts o = { .cfg = &cfg, .jobs = 2 };
	struct hd_run_status st;
	struct seen seen;
	char v[512], *err = NULL;
	const char *paths[2] = { v, v };

	(void)state;
	memset(&seen, 0, sizeof(seen));
	snprintf(v, sizeof(v), "%s/vars.Dockerfile", dir);
	assert_int_equal(run(&o, paths, 1, &seen, &st, &err), 0);
	assert_int_equal(seen.n_apk, 3);
	memset(&seen, 0, sizeof(seen));
	assert_int_equal(run(&o, paths, 2, &seen, &st, &err), 0);
	assert_int_equal(seen.n_apk, 3);
	assert_int_equal(seen.n_groups, 1);
}

/* Rule ids of every finding handed out, in order. */
struct ids {
	char v[64][64];
	size_t n;
};

static int ids_fn(void *ctx, size_t index, struct hd_findings *f)
{
	struct ids *ids = ctx;

	(void)index;
	for (size_t i = 0; i < f->n && ids->n < 64; i++)
		snprintf(ids->v[ids->n++], sizeof(ids->v[0]), "%s", f->v[i].rule->id);
	return 0;
}

static bool has_id(const struct ids *ids, const char *id)
{
	for (size_t i = 0; i < ids->n; i++) {
		if (!strcmp(ids->v[i], id))
			return true;
	}
	return false;
}

/*
 * Files are linted while the walk goes on; when the walk then meets a
 * compose file naming a linted Dockerfile's build context, that Dockerfile
 * is linted again with it: the result is that of a lint after the walk.
 */
static void test_lint_while_walking(void **state)
{
	struct hd_walk w;
	struct hd_lint_pool *p;
	struct ids early = { 0 }, after = { 0 };
	char df[512], co[512];
	int tries;

	(void)state;
	snprintf(df, sizeof(df), "%s/tree/a/Dockerfile", dir);
	snprintf(co, sizeof(co), "%s/tree/z/compose.yml", dir);
	/* The Dockerfile alone: no .dockerignore for it anywhere. */
	hd_walk_init(&w);
	assert_int_equal(hd_lint_pool_start(&w, &cfg, 2, false, true, &p), 0);
	assert_int_equal(hd_walk_add(&w, df, NULL), 0);
	hd_walk_publish(&w);
	for (tries = 0; tries < 2000 && hd_lint_pool_linted(p) < 1; tries++)
		usleep(5000);
	/* Linted on the pool's thread while the walk goes on. */
	assert_int_equal(hd_lint_pool_linted(p), 1);
	assert_int_equal(hd_walk_add(&w, co, NULL), 0);
	hd_walk_publish(&w);
	assert_int_equal(hd_lint_pool_finish(p, ids_fn, &early), 0);
	hd_walk_release(&w);
	/* The same walk linted after it is over, on one thread. */
	hd_walk_init(&w);
	assert_int_equal(hd_walk_add(&w, df, NULL), 0);
	assert_int_equal(hd_walk_add(&w, co, NULL), 0);
	assert_int_equal(hd_lint_run_each(&w, &cfg, 1, false, ids_fn, &after), 0);
	hd_walk_release(&w);
	assert_false(has_id(&after, "dockerfile/no-dockerignore"));
	assert_int_equal(early.n, after.n);
	for (size_t i = 0; i < after.n; i++)
		assert_string_equal(early.v[i], after.v[i]);
	/* Without the compose file, the rule fires: the test could fail. */
	memset(&after, 0, sizeof(after));
	hd_walk_init(&w);
	assert_int_equal(hd_walk_add(&w, df, NULL), 0);
	assert_int_equal(hd_lint_run_each(&w, &cfg, 1, false, ids_fn, &after), 0);
	hd_walk_release(&w);
	assert_true(has_id(&after, "dockerfile/no-dockerignore"));
}

/* A walk that fails while the pool lints: nothing is handed out, the pool stops. */
static void test_walk_fails_while_linting(void **state)
{
	struct hd_lint_opts o = { .cfg = &cfg, .jobs = 2 };
	struct hd_lint_session *s = NULL;
	char a[512], *err = NULL;
	const char *paths[3] = { a, a, "/nonexistent/hd-test" };

	(void)state;
	snprintf(a, sizeof(a), "%s/a.Dockerfile", dir);
	assert_int_equal(hd_lint_session_open(&o, paths, 3, &s, &err), -HD_ENOENT);
	assert_null(s);
	assert_non_null(err);
	hd_free(err);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_inputs_in_order),
		cmocka_unit_test(test_missing_input),
		cmocka_unit_test(test_sink_error),
		cmocka_unit_test(test_merge),
		cmocka_unit_test(test_places),
		cmocka_unit_test(test_lint_while_walking),
		cmocka_unit_test(test_walk_fails_while_linting),
	};

	return cmocka_run_group_tests(tests, setup, teardown);
}
