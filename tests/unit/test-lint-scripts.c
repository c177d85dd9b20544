/*
 * Unit tests for lint/lint_scripts.c: detection of every script kind, the
 * position of findings in each kind (recipe tabs, YAML indentation,
 * Markdown prompts, continuations, nested sh -c), suppressions, and the
 * golden cases under tests/cases/scripts/, run through the kinds' lint
 * functions directly (the CLI harness runs the same cases once the kinds
 * are in the lint table).  HD_UPDATE_GOLDEN=1 rewrites the expected files.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <cmocka.h>

#include <dirent.h>
#include <sys/stat.h>

#include "core/common.h"
#include "core/buf.h"
#include "core/config.h"
#include "core/finding.h"
#include "lint/lint_scripts.h"

typedef int lint_fn(const struct hd_lint_input *, struct hd_findings *);

static struct hd_config cfg;
static struct hd_findings found;

static int setup(void **state)
{
	(void)state;
	hd_config_init(&cfg);
	hd_findings_init(&found);
	return 0;
}

static int teardown(void **state)
{
	(void)state;
	hd_findings_release(&found);
	hd_config_release(&cfg);
	return 0;
}

static void lint(lint_fn *fn, const char *path, const char *text)
{
	hd_findings_release(&found);
	assert_int_equal(fn(&(struct hd_lint_input){ .path = path, .data = text, .len = strlen(text), .root = NULL, .cfg = &cfg }, &found), 0);
}

static const struct hd_finding *find(const char *id, uint32_t line)
{
	size_t i;

	for (i = 0; i < found.n; i++) {
		if (strcmp(found.v[i].rule->id, id) == 0 && (!line || found.v[i].line == line))
			return &found.v[i];
	}
	return NULL;
}

static void dump(void)
{
	size_t i;

	for (i = 0; i < found.n; i++)
		print_message("  %u:%u %s [%s]\n", found.v[i].line, found.v[i].col, found.v[i].rule->id,
			      found.v[i].object ? found.v[i].object : "");
}

static void expect_at(const char *id, uint32_t line, uint32_t col)
{
	const struct hd_finding *f = find(id, line);

	if (!f || f->col != col) {
		dump();
		fail_msg("expected %s at %u:%u", id, line, col);
	}
}

static void test_detect(void **state)
{
	(void)state;
	assert_true(hd_lint_kind_script_shell_detect("x/deploy.sh", "deploy.sh", NULL, 0, false));
	assert_true(hd_lint_kind_script_shell_detect("x/a.bash", "a.bash", NULL, 0, false));
	assert_true(hd_lint_kind_script_shell_detect("run", "run", "#!/bin/sh\n", 10, false));
	assert_true(hd_lint_kind_script_shell_detect("run", "run", "#!/usr/bin/env bash\n", 20, false));
	assert_true(hd_lint_kind_script_shell_detect("run", "run", "#! /bin/dash -e\n", 16, false));
	assert_true(hd_lint_kind_script_shell_detect("run", "run", "#!/usr/bin/env -S zsh -f\n", 25, false));
	assert_false(hd_lint_kind_script_shell_detect("run", "run", "#!/usr/bin/python3\n", 19, false));
	assert_false(hd_lint_kind_script_shell_detect("run", "run", "echo hi\n", 8, false));
	assert_false(hd_lint_kind_script_shell_detect("/nonexistent/run", "run", NULL, 0, false));
	assert_false(hd_lint_kind_script_shell_detect("a.py", "a.py", NULL, 0, false));
	assert_true(hd_lint_kind_script_make_detect("Makefile", "Makefile", NULL, 0, false));
	assert_true(hd_lint_kind_script_make_detect("GNUmakefile", "GNUmakefile", NULL, 0, false));
	assert_true(hd_lint_kind_script_make_detect("x/docker.mk", "docker.mk", NULL, 0, false));
	assert_false(hd_lint_kind_script_make_detect("Makefile.am", "Makefile.am", NULL, 0, false));
	assert_true(hd_lint_kind_script_systemd_detect("app.service", "app.service", NULL, 0, false));
	assert_false(hd_lint_kind_script_systemd_detect("app.socket", "app.socket", NULL, 0, false));
	assert_true(hd_lint_kind_script_github_detect(".github/workflows/ci.yml", "ci.yml", NULL, 0, false));
	assert_true(hd_lint_kind_script_github_detect("r/.github/workflows/x.yaml", "x.yaml", NULL, 0, false));
	assert_true(hd_lint_kind_script_github_detect("r/a/action.yml", "action.yml", NULL, 0, false));
	assert_false(hd_lint_kind_script_github_detect("r/compose.yml", "compose.yml", NULL, 0, false));
	assert_false(hd_lint_kind_script_github_detect("r/.github/dependabot.yml", "dependabot.yml", NULL, 0, false));
	assert_true(hd_lint_kind_script_gitlab_detect(".gitlab-ci.yml", ".gitlab-ci.yml", NULL, 0, false));
	assert_true(hd_lint_kind_script_gitlab_detect("ci/deploy.gitlab-ci.yml", "deploy.gitlab-ci.yml", NULL, 0, false));
	assert_false(hd_lint_kind_script_gitlab_detect("ci.yml", "ci.yml", NULL, 0, false));
	assert_true(hd_lint_kind_script_markdown_detect("README.md", "README.md", NULL, 0, false));
	assert_true(hd_lint_kind_script_markdown_detect("doc.markdown", "doc.markdown", NULL, 0, false));
}

static void test_shell(void **state)
{
	const struct hd_finding *f;

	(void)state;
	lint(hd_lint_kind_script_shell_lint, "deploy.sh",
	     "#!/bin/sh\n"
	     "sudo -u ops docker run \\\n"
	     "   --privileged \\\n"
	     "   nginx\n"
	     "x=$(docker create --pid host alpine)\n"
	     "sh -c 'docker run --ipc host alpine'\n"
	     "echo docker run --privileged x\n"
	     "docker ps; docker run --uts=host alpine & wait\n");
	expect_at("container/privileged", 3, 4);
	expect_at("container/image-latest", 4, 4);
	expect_at("container/no-memory-limit", 2, 13); /* the docker word */
	f = find("container/privileged", 3);
	assert_string_equal(f->object, "docker run (deploy.sh:2)");
	assert_string_equal(f->file, "deploy.sh");
	expect_at("container/host-pid", 5, 19);
	assert_string_equal(find("container/host-pid", 5)->object, "docker create (deploy.sh:5)");
	expect_at("container/host-ipc", 6, 19);
	assert_null(find("container/privileged", 7)); /* an argument of echo */
	expect_at("container/host-uts", 8, 23);
}

static void test_suppressions(void **state)
{
	(void)state;
	lint(hd_lint_kind_script_shell_lint, "s.sh",
	     "# hardock ignore=container/privileged\n"
	     "docker run --privileged \\\n"
	     "  --pid host alpine\n"
	     "docker run --privileged alpine\n"
	     "# hardock ignore=container/host-pid\n"
	     "# hardock ignore=container/privileged\n"
	     "docker run --privileged --pid host alpine\n");
	assert_null(find("container/privileged", 2));
	expect_at("container/host-pid", 3, 3);
	expect_at("container/privileged", 4, 12);
	assert_null(find("container/privileged", 7));
	assert_null(find("container/host-pid", 7));

	lint(hd_lint_kind_script_shell_lint, "s.sh",
	     "# hardock global ignore=container/no-memory-limit,container/no-cpu-limit\n"
	     "docker run alpine\n"
	     "docker run nginx\n");
	assert_null(find("container/no-memory-limit", 0));
	assert_null(find("container/no-cpu-limit", 0));
	assert_non_null(find("container/no-pids-limit", 3));

	cfg.no_inline_ignore = true;
	lint(hd_lint_kind_script_shell_lint, "s.sh",
	     "# hardock ignore=container/privileged\n"
	     "docker run --privileged alpine\n");
	assert_non_null(find("container/privileged", 2));
	cfg.no_inline_ignore = false;
}

static void test_make(void **state)
{
	(void)state;
	lint(hd_lint_kind_script_make_lint, "Makefile",
	     "IMG := app:1\n"
	     "RUN = docker run --privileged\n"
	     "run:\n"
	     "\t@-docker run -v $$HOME/.ssh:/root/.ssh \\\n"
	     "\t  --pid host $(IMG)\n"
	     "t: ; docker run --ipc host x:1\n"
	     "# docker run --uts host x\n");
	expect_at("container/privileged", 2, 18);
	expect_at("container/sensitive-host-mount", 4, 15);
	expect_at("container/host-pid", 5, 4);
	expect_at("container/host-ipc", 6, 17);
	assert_null(find("container/host-uts", 0));
	assert_non_null(strstr(find("container/sensitive-host-mount", 4)->message, "'$HOME/.ssh'"));
}

static void test_systemd(void **state)
{
	(void)state;
	lint(hd_lint_kind_script_systemd_lint, "app.service",
	     "[Service]\n"
	     "ExecStartPre=-/usr/bin/docker pull app:1\n"
	     "ExecStart=/usr/bin/docker run --rm \\\n"
	     "  --network=host app:1\n"
	     "#ExecStart=/usr/bin/docker run --privileged x\n"
	     "ExecStopPost = @/usr/bin/docker run --pid host x:1\n");
	expect_at("container/host-network", 4, 3);
	assert_string_equal(find("container/host-network", 4)->object, "docker run (app.service:3)");
	assert_null(find("container/privileged", 0));
	expect_at("container/host-pid", 6, 37);
}

static void test_github(void **state)
{
	(void)state;
	lint(hd_lint_kind_script_github_lint, ".github/workflows/ci.yml",
	     "on: push\n"
	     "jobs:\n"
	     "  t:\n"
	     "    runs-on: ubuntu-latest\n"
	     "    steps:\n"
	     "      - run: docker run -e TOKEN=${{ secrets.T }} --pid host x:1\n"
	     "      - run: |\n"
	     "          echo start\n"
	     "          docker run \\\n"
	     "            --privileged x:1\n"
	     "      - shell: pwsh\n"
	     "        run: docker run --privileged y:1\n"
	     "      - run: \"docker run --ipc host x:1\"\n"
	     "      - run: >-\n"
	     "          docker run\n"
	     "          --uts host x:1\n");
	expect_at("container/host-pid", 6, 51);
	expect_at("container/secret-in-env", 6, 25);
	assert_non_null(strstr(find("container/secret-in-env", 6)->message, "TOKEN"));
	expect_at("container/privileged", 10, 13);
	assert_null(find("container/privileged", 12));
	expect_at("container/host-ipc", 13, 26);
	expect_at("container/host-uts", 16, 11);

	/* Not YAML: nothing to check, no failure. */
	lint(hd_lint_kind_script_github_lint, ".github/workflows/x.yml", "jobs: [\n");
	assert_int_equal(found.n, 0);
}

static void test_gitlab(void **state)
{
	(void)state;
	lint(hd_lint_kind_script_gitlab_lint, ".gitlab-ci.yml",
	     ".s: &s\n"
	     "  - docker run --pid host x:1\n"
	     "a:\n"
	     "  script:\n"
	     "    - docker run --privileged x:1\n"
	     "    - - docker run --ipc host x:1\n"
	     "  after_script: *s\n"
	     "b:\n"
	     "  before_script: docker run --uts host x:1\n"
	     "  image: docker run --privileged\n");
	expect_at("container/privileged", 5, 18);
	expect_at("container/host-ipc", 6, 20);
	expect_at("container/host-pid", 2, 16);
	expect_at("container/host-uts", 9, 29);
	assert_null(find("container/privileged", 10));
}

static void test_markdown(void **state)
{
	(void)state;
	lint(hd_lint_kind_script_markdown_lint, "README.md",
	     "Text docker run --privileged x\n"
	     "```console\n"
	     "$ docker run --pid host \\\n"
	     ">   x:1\n"
	     "output docker run --privileged\n"
	     "# docker run --ipc host x:1\n"
	     "```\n"
	     "   ```bash\n"
	     "   docker run --uts host x:1\n"
	     "   ```\n"
	     "```text\n"
	     "docker run --privileged x\n"
	     "```\n");
	expect_at("container/host-pid", 3, 14);
	expect_at("container/image-not-pinned", 4, 5);
	assert_null(find("container/privileged", 0));
	expect_at("container/host-ipc", 6, 14);
	expect_at("container/host-uts", 9, 15);
}

static int count_spec(struct hd_container_spec *c, void *ctx)
{
	size_t *n = ctx;

	(void)c;
	(*n)++;
	return 0;
}

static void test_specs(void **state)
{
	size_t n = 0;
	const char *text = "docker run a\nfoo | podman create b && docker service create c\n";

	(void)state;
	assert_int_equal(hd_lint_script_specs("x.sh", text, strlen(text), count_spec, &n), 0);
	assert_int_equal(n, 3);
}

/* Every allocation failure gives 0 or -HD_ENOMEM, never a crash or a leak. */
static void test_oom(void **state)
{
	static const struct {
		lint_fn *fn;
		const char *path, *text;
	} inputs[] = {
		{ hd_lint_kind_script_shell_lint, "a.sh",
		  "# hardock ignore=container/privileged\nsudo docker run --privileged -v /:/h \\\n"
		  "  -e DB_PASSWORD=x -p 5432:5432 $(docker create --pid host a) img:1 sh -c 'docker run b'\n" },
		{ hd_lint_kind_script_make_lint, "Makefile", "X = docker run --ipc host a\nr:\n\t@docker run -v $$HOME:/h b\n" },
		{ hd_lint_kind_script_github_lint, ".github/workflows/a.yml",
		  "j:\n  a:\n    steps:\n      - run: |\n          docker run -e T=${{ s.T }} x\n" },
		{ hd_lint_kind_script_gitlab_lint, ".gitlab-ci.yml", ".s: &s\n  - docker run a\nj:\n  script: *s\n" },
		{ hd_lint_kind_script_markdown_lint, "a.md", "```console\n$ docker run \\\n>   --privileged x\n```\n" },
	};
	size_t i;
	unsigned long k;

	(void)state;
	for (i = 0; i < HD_ARRAY_SIZE(inputs); i++) {
		for (k = 1; k < 600; k++) {
			struct hd_findings f;
			int r;

			hd_findings_init(&f);
			hd_alloc_fail_at(k);
			r = inputs[i].fn(&(struct hd_lint_input){ .path = inputs[i].path, .data = inputs[i].text, .len = strlen(inputs[i].text), .root = NULL, .cfg = &cfg },
					 &f);
			hd_alloc_fail_at(0);
			assert_true(r == 0 || r == -HD_ENOMEM);
			hd_findings_release(&f);
		}
	}
}

/* ---- golden cases ---------------------------------------------------------------- */

struct line {
	uint32_t l, c;
	const char *id;
};

static int line_cmp(const void *pa, const void *pb)
{
	const struct line *a = pa, *b = pb;

	if (a->l != b->l)
		return a->l < b->l ? -1 : 1;
	if (a->c != b->c)
		return a->c < b->c ? -1 : 1;
	return strcmp(a->id, b->id);
}

/* Lints the input of one case with the kind its name says; the output in b. */
static bool run_case(const char *dir, struct hd_buf *b)
{
	static const struct {
		bool (*detect)(const char *, const char *, const char *, size_t, bool);
		lint_fn *lint;
	} kinds[] = {
		{ hd_lint_kind_script_github_detect, hd_lint_kind_script_github_lint },
		{ hd_lint_kind_script_gitlab_detect, hd_lint_kind_script_gitlab_lint },
		{ hd_lint_kind_script_make_detect, hd_lint_kind_script_make_lint },
		{ hd_lint_kind_script_systemd_detect, hd_lint_kind_script_systemd_lint },
		{ hd_lint_kind_script_markdown_detect, hd_lint_kind_script_markdown_lint },
		{ hd_lint_kind_script_shell_detect, hd_lint_kind_script_shell_lint },
	};
	char path[4096];
	DIR *d = opendir(dir);
	struct dirent *de;
	bool done = false;

	assert_non_null(d);
	while (!done && (de = readdir(d))) {
		struct hd_buf in = HD_BUF_INIT(1 << 20);
		const char *name = de->d_name;
		size_t k;

		if (!strcmp(name, ".") || !strcmp(name, "..") || !strcmp(name, "expected") ||
		    !strcmp(name, "cmd") || hd_starts_with(name, "README"))
			continue;
		if (!strcmp(name, ".github")) {
			DIR *w;
			struct dirent *we;

			assert_true((size_t)snprintf(path, sizeof(path), "%s/.github/workflows", dir) < sizeof(path));
			w = opendir(path);
			assert_non_null(w);
			while ((we = readdir(w)) && we->d_name[0] == '.')
				;
			assert_non_null(we);
			assert_true((size_t)snprintf(path, sizeof(path), "%s/.github/workflows/%s", dir, we->d_name) <
				    sizeof(path));
			closedir(w);
		} else {
			assert_true((size_t)snprintf(path, sizeof(path), "%s/%s", dir, name) < sizeof(path));
		}
		assert_int_equal(hd_buf_read_file(&in, path), 0);
		for (k = 0; k < HD_ARRAY_SIZE(kinds); k++) {
			const char *base = strrchr(path, '/') + 1;

			if (!kinds[k].detect(path, base, in.buf, in.len, true))
				continue;
			hd_findings_release(&found);
			assert_int_equal(kinds[k].lint(&(struct hd_lint_input){ .path = path, .data = in.buf, .len = in.len, .root = dir, .cfg = &cfg }, &found), 0);
			done = true;
			break;
		}
		hd_buf_release(&in);
	}
	closedir(d);
	if (!done)
		return false;
	/* As the lint driver does: one rule at one place is one finding (lint/session.c). */
	assert_int_equal(hd_findings_merge_same_place(&found), 0);
	{
		struct line *v = hd_calloc(found.n + 1, sizeof(*v));
		size_t i;

		assert_non_null(v);
		for (i = 0; i < found.n; i++) {
			v[i].l = found.v[i].line;
			v[i].c = found.v[i].col;
			v[i].id = found.v[i].rule->id;
		}
		qsort(v, found.n, sizeof(*v), line_cmp);
		hd_buf_reset(b);
		for (i = 0; i < found.n; i++)
			assert_int_equal(hd_buf_addf(b, "%u:%u %s\n", v[i].l, v[i].c, v[i].id), 0);
		hd_free(v);
	}
	return true;
}

static void test_golden(void **state)
{
	const char *src = getenv("SRCDIR");
	char base[2048], dir[4096], exp_path[4200];
	struct hd_buf got = HD_BUF_INIT(1 << 20), want = HD_BUF_INIT(1 << 20);
	bool update = getenv("HD_UPDATE_GOLDEN") && !strcmp(getenv("HD_UPDATE_GOLDEN"), "1");
	size_t n = 0, bad = 0;
	DIR *d;
	struct dirent *de;

	(void)state;
	snprintf(base, sizeof(base), "%s/tests/cases/scripts", src ? src : ".");
	d = opendir(base);
	if (!d)
		skip();
	while ((de = readdir(d))) {
		if (de->d_name[0] == '.')
			continue;
		snprintf(dir, sizeof(dir), "%s/%s", base, de->d_name);
		if (!run_case(dir, &got)) {
			print_message("case %s: no script input\n", de->d_name);
			bad++;
			continue;
		}
		n++;
		snprintf(exp_path, sizeof(exp_path), "%s/expected", dir);
		if (update) {
			FILE *fp = fopen(exp_path, "w");

			assert_non_null(fp);
			fputs(got.buf, fp);
			fclose(fp);
			continue;
		}
		hd_buf_reset(&want);
		if (hd_buf_read_file(&want, exp_path) < 0 || strcmp(want.buf, got.buf) != 0) {
			print_message("case %s differs; got:\n%s", de->d_name, got.buf);
			bad++;
		}
	}
	closedir(d);
	hd_buf_release(&got);
	hd_buf_release(&want);
	print_message("%zu script cases\n", n);
	assert_true(n >= 10);
	assert_int_equal(bad, 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_detect),
		cmocka_unit_test(test_shell),
		cmocka_unit_test(test_suppressions),
		cmocka_unit_test(test_make),
		cmocka_unit_test(test_systemd),
		cmocka_unit_test(test_github),
		cmocka_unit_test(test_gitlab),
		cmocka_unit_test(test_markdown),
		cmocka_unit_test(test_specs),
		cmocka_unit_test(test_oom),
		cmocka_unit_test(test_golden),
	};
	return cmocka_run_group_tests(tests, setup, teardown);
}
