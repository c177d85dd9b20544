/*
 * Unit tests for the derived facts of the Dockerfile model: who a user
 * specification runs as (model/user.c: Go's signed integers, root by name,
 * variables unknown), the default user of well-known images, the package
 * manager calls recognised once per RUN (model/dockerfile_pm.c: managers,
 * aliases, actions, package operands, wrappers seen through) and exec-form
 * RUN judged like shell form.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <cmocka.h>

#include "core/common.h"
#include "model/dockerfile.h"
#include "model/dockerfile_pm.h"
#include "model/image_ref.h"
#include "model/user.h"

static void test_user_kind(void **state)
{
	static const struct {
		const char *spec;
		enum hd_user_kind kind;
	} cases[] = {
		{ "root", HD_USER_ROOT },        { "0", HD_USER_ROOT },          { "00", HD_USER_ROOT },
		{ "-0", HD_USER_ROOT },          { "+0", HD_USER_ROOT },         { "+0:wheel", HD_USER_ROOT },
		{ "0:0", HD_USER_ROOT },         { "root:root", HD_USER_ROOT },  { " root ", HD_USER_ROOT },
		{ "ContainerAdministrator", HD_USER_ROOT },
		{ "app", HD_USER_NOT_ROOT },     { "1000", HD_USER_NOT_ROOT },   { "-1", HD_USER_NOT_ROOT },
		{ "+1000:0", HD_USER_NOT_ROOT }, { "0x0", HD_USER_NOT_ROOT },    { "rooty", HD_USER_NOT_ROOT },
		{ "ContainerUser", HD_USER_NOT_ROOT }, { "99999999999999999999999", HD_USER_NOT_ROOT },
		{ "", HD_USER_UNKNOWN },         { "$UID", HD_USER_UNKNOWN },    { "${USER}:0", HD_USER_UNKNOWN },
		{ ":wheel", HD_USER_UNKNOWN },
	};
	int64_t id;
	size_t i;

	(void)state;
	for (i = 0; i < HD_ARRAY_SIZE(cases); i++) {
		if (hd_user_kind(cases[i].spec) != cases[i].kind)
			fail_msg("hd_user_kind('%s') = %d, expected %d", cases[i].spec, hd_user_kind(cases[i].spec),
				 cases[i].kind);
	}
	assert_int_equal(hd_user_kind(NULL), HD_USER_UNKNOWN);
	assert_true(hd_user_numeric("-0", &id));
	assert_int_equal(id, 0);
	assert_true(hd_user_numeric("+1000:1000", &id));
	assert_int_equal(id, 1000);
	assert_false(hd_user_numeric("app", &id));
	assert_false(hd_user_numeric("-", &id));
	assert_false(hd_user_numeric("1 000", &id));
}

static enum hd_user_kind image_user(const char *ref)
{
	struct hd_image_ref r;
	enum hd_user_kind k;

	assert_int_equal(hd_image_ref_parse(ref, &r), 0);
	k = hd_image_default_user(&r, NULL);
	hd_image_ref_release(&r);
	return k;
}

static void test_image_default_user(void **state)
{
	(void)state;
	assert_int_equal(image_user("debian:12"), HD_USER_ROOT);
	assert_int_equal(image_user("python:3.12-slim"), HD_USER_ROOT);
	assert_int_equal(image_user("docker.io/library/nginx:1.27"), HD_USER_ROOT);
	assert_int_equal(image_user("nginxinc/nginx-unprivileged:1.27"), HD_USER_NOT_ROOT);
	assert_int_equal(image_user("bitnami/postgresql:16"), HD_USER_NOT_ROOT);
	assert_int_equal(image_user("selenium/standalone-chrome:4"), HD_USER_NOT_ROOT);
	assert_int_equal(image_user("gcr.io/distroless/static-debian12:nonroot"), HD_USER_NOT_ROOT);
	assert_int_equal(image_user("gcr.io/distroless/static-debian12"), HD_USER_ROOT);
	assert_int_equal(image_user("registry.access.redhat.com/ubi9/ubi-minimal:9.4"), HD_USER_ROOT);
	assert_int_equal(image_user("registry.access.redhat.com/ubi9/python-311:1"), HD_USER_NOT_ROOT);
	assert_int_equal(image_user("mcr.microsoft.com/windows/nanoserver:ltsc2022"), HD_USER_NOT_ROOT);
	assert_int_equal(image_user("mcr.microsoft.com/windows/servercore:ltsc2022"), HD_USER_ROOT);
	assert_int_equal(image_user("myorg/app:1"), HD_USER_UNKNOWN);
	assert_int_equal(image_user("ghcr.io/org/tool:1"), HD_USER_UNKNOWN);
	assert_int_equal(hd_image_default_user(NULL, NULL), HD_USER_UNKNOWN);
}

static struct hd_dockerfile *parse(const char *text)
{
	struct hd_dockerfile *df = NULL;

	assert_int_equal(hd_dockerfile_parse(NULL, text, strlen(text), &df), 0);
	assert_non_null(df);
	return df;
}

/* "pm:sub:action:pkg,pkg" for every package manager call of instruction i. */
static const char *calls(const struct hd_dockerfile *df, size_t i)
{
	static char out[1024];
	const struct hd_instr *in = &df->instrs[i];
	size_t k, p, o = 0;

	if (in->kind == HD_I_ONBUILD)
		in = in->onbuild;
	out[0] = '\0';
	for (k = 0; k < in->n_pms; k++) {
		const struct hd_pm_call *pm = &in->pms[k];

		o += (size_t)snprintf(out + o, sizeof(out) - o, "%s%s:%s:%d:", k ? " " : "", hd_pm_kind_name(pm->pm),
				      pm->subcmd, (int)pm->action);
		for (p = 0; p < pm->n_pkgs; p++)
			o += (size_t)snprintf(out + o, sizeof(out) - o, "%s%s", p ? "," : "",
					      pm->c->argv[pm->pkgs[p]].text);
	}
	return out;
}

static void test_package_manager_calls(void **state)
{
	struct hd_dockerfile *df = parse(
		"FROM debian:12\n"
		"RUN apt-get -q update && sudo -E apt-get install -y -t bookworm-backports curl=1 git && rm -rf /x\n"
		"RUN xx-apt-get install -y gcc && eatmydata apk add --virtual .deps make && python3 -m pip install -r r.txt flask\n"
		"RUN dnf in -y httpd && microdnf makecache && zypper --non-interactive ref && yum up-min\n"
		"RUN npm i express -- --foo && yarn global add ts && gem install rails -- --with-x && go run x.io/y@v1 arg\n"
		"RUN [\"npm\", \"add\", \"sax\"]\n"
		"ONBUILD RUN pipx inject venv black && cargo install ripgrep && composer global require phpunit/phpunit\n"
		"RUN command -v apt-get && echo apt-get install x\n");

	(void)state;
	assert_string_equal(calls(df, 1), "apt-get:update:2: apt-get:install:1:curl=1,git");
	assert_string_equal(calls(df, 2), "apt-get:install:1:gcc apk:add:1:make pip:install:1:flask");
	assert_string_equal(calls(df, 3), "dnf:in:1:httpd microdnf:makecache:2: zypper:ref:2: yum:up-min:3:");
	assert_string_equal(calls(df, 4), "npm:i:1:express yarn:global:1:ts gem:install:1:rails go:run:1:x.io/y@v1");
	assert_string_equal(calls(df, 5), "npm:add:1:sax");
	assert_string_equal(calls(df, 6), "pipx:inject:1:black cargo:install:1:ripgrep composer:global:1:phpunit/phpunit");
	assert_string_equal(calls(df, 7), "");
	assert_true(df->instrs[1].pm_mask & HD_PM_BIT(HD_PM_APT_GET));
	assert_true(df->instrs[1].tools & HD_TOOL_BIT(HD_TOOL_RM));
	assert_true(df->instrs[1].tools & HD_TOOL_BIT(HD_TOOL_SUDO));
	assert_int_equal(df->n_runs, 7);
	assert_true(df->pm_mask & HD_PM_BIT(HD_PM_COMPOSER));
	hd_dockerfile_free(df);
}

static void test_exec_form_run(void **state)
{
	struct hd_dockerfile *df = parse("FROM x\n"
					 "RUN [\"echo\", \"a\", \"|\", \"grep\", \"b\"]\n"
					 "RUN [\"/bin/sh\", \"-ec\", \"apk add curl | tee /log\"]\n"
					 "SHELL [\"pwsh\", \"-c\"]\n"
					 "RUN [\"sudo\", \"pip\", \"install\", \"x\"]\n");
	const struct hd_instr *a = &df->instrs[1], *b = &df->instrs[2], *c = &df->instrs[4];
	struct hd_span sp;

	(void)state;
	assert_non_null(a->shell);
	assert_int_equal(a->shell->n_cmds, 1);
	assert_int_equal(a->shell->cmds[0].argc, 5);
	assert_false(a->shell->has_pipe);
	assert_string_equal(a->shell->cmds[0].argv[2].text, "|");
	sp = hd_instr_word_span(a, &a->shell->cmds[0].argv[3]);
	assert_int_equal(sp.line, 2);
	assert_int_equal(sp.col, 25); /* grep, after its opening quote */
	assert_non_null(b->shell);
	assert_true(b->shell->has_pipe);
	assert_string_equal(calls(df, 2), "apk:add:1:curl");
	/* Exec form ignores SHELL. */
	assert_non_null(c->shell);
	assert_string_equal(calls(df, 4), "pip:install:1:x");
	hd_dockerfile_free(df);
}

static void test_option_operands(void **state)
{
	static const char *const longs[] = { "option", NULL };
	static const struct hd_optspec o = { "ot", longs, false };
	struct hd_shell sh;
	struct hd_operands it;
	const struct hd_word *w;
	size_t idx;
	const char *t = "x -o a -tb --option c --option=d e -- -f";
	char got[128] = "";

	(void)state;
	assert_int_equal(hd_shell_split(t, strlen(t), &sh), 0);
	hd_operands_init(&it, &sh.cmds[0], 1, &o);
	while ((w = hd_operands_next(&it, &idx)))
		snprintf(got + strlen(got), sizeof(got) - strlen(got), "%s%s@%zu", got[0] ? " " : "", w->text, idx);
	assert_string_equal(got, "e@7 -f@9");
	assert_int_equal(hd_opt_words("-qo", &o), 2);
	assert_int_equal(hd_opt_words("-ot", &o), 1);
	assert_int_equal(hd_opt_words("-oX", &o), 1);
	assert_int_equal(hd_opt_words("--option", &o), 2);
	assert_int_equal(hd_opt_words("--other", &o), 1);
	hd_shell_release(&sh);
}

/* The interpreters that make a command "runs a shell" (HD_TOOL_SHELL), by name; near names are not. */
static void test_interpreter_tools(void **state)
{
	static const char *const yes[] = { "sh", "bash", "dash", "zsh", "ash", "ksh", "mksh", "eval", "source", ".",
					   "perl", "ruby", "node", "php", "python", "python3", "python3.12",
					   "/bin/sh", "/usr/bin/python3" };
	static const char *const no[] = { "shx", "bas", "dashboard", "zshrc", "as", "ksh93", "mk", "evaluate",
					  "sourced", "..", "perl5", "rubyx", "nodejs", "phpize", "python3x", "pythons",
					  "pip", "apt", "echo", "kill", "make" };
	char text[128];
	size_t i;

	(void)state;
	for (i = 0; i < HD_ARRAY_SIZE(yes) + HD_ARRAY_SIZE(no); i++) {
		bool want = i < HD_ARRAY_SIZE(yes);
		const char *name = want ? yes[i] : no[i - HD_ARRAY_SIZE(yes)];
		struct hd_dockerfile *df;

		snprintf(text, sizeof(text), "FROM x\nRUN %s x\n", name);
		df = parse(text);
		if (!!(df->instrs[1].tools & HD_TOOL_BIT(HD_TOOL_SHELL)) != want)
			fail_msg("'%s': shell %s", name, want ? "not found" : "found");
		hd_dockerfile_free(df);
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_user_kind),
		cmocka_unit_test(test_image_default_user),
		cmocka_unit_test(test_package_manager_calls),
		cmocka_unit_test(test_exec_form_run),
		cmocka_unit_test(test_option_operands),
		cmocka_unit_test(test_interpreter_tools),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
