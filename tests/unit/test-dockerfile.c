/*
 * Unit tests for parse/dockerfile.c and model/dockerfile.c: parser
 * directives, comments and continuations, heredocs, the exec and shell forms,
 * every instruction with its flags and errors, variable substitution and its
 * scoping, the stage graph, suppression comments, positions, hostile input
 * and allocation failures.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <cmocka.h>

#include "core/common.h"
#include "lint/context.h"
#include "model/dockerfile.h"

#include <stdio.h>
#include <sys/stat.h>
#include <unistd.h>

static struct hd_dockerfile *parse(const char *text)
{
	struct hd_dockerfile *df = NULL;

	assert_int_equal(hd_dockerfile_parse("Dockerfile.test", text, strlen(text), &df), 0);
	assert_non_null(df);
	return df;
}

/* Parses text that must have no errors. */
static struct hd_dockerfile *parse_ok(const char *text)
{
	struct hd_dockerfile *df = parse(text);
	size_t i;

	for (i = 0; i < df->n_errors; i++)
		print_error("unexpected error %u:%u: %s\n", df->errors[i].line, df->errors[i].col,
			    df->errors[i].msg);
	assert_int_equal(df->n_errors, 0);
	return df;
}

/* Expects exactly one error at line:col whose message contains needle. */
static void expect_error(const char *text, unsigned line, unsigned col, const char *needle)
{
	struct hd_dockerfile *df = parse(text);

	if (df->n_errors != 1 || df->errors[0].line != line || df->errors[0].col != col ||
	    !strstr(df->errors[0].msg, needle)) {
		size_t i;

		for (i = 0; i < df->n_errors; i++)
			print_error("got %u:%u: %s\n", df->errors[i].line, df->errors[i].col, df->errors[i].msg);
		fail_msg("expected one error at %u:%u containing '%s' for:\n%s", line, col, needle, text);
	}
	hd_dockerfile_free(df);
}

static void assert_span(struct hd_span s, uint32_t l, uint32_t c, uint32_t el, uint32_t ec)
{
	if (s.line != l || s.col != c || s.end_line != el || s.end_col != ec)
		fail_msg("span %u:%u-%u:%u, expected %u:%u-%u:%u", s.line, s.col, s.end_line, s.end_col, l, c,
			 el, ec);
}

static void test_directives(void **state)
{
	struct hd_dockerfile *df;

	(void)state;
	df = parse_ok("# syntax=docker/dockerfile:1.7\n#  ESCAPE = `\n# check=skip=all\nFROM x\nRUN a `\n  b\n");
	assert_string_equal(df->syntax, "docker/dockerfile:1.7");
	assert_string_equal(df->check, "skip=all");
	assert_int_equal(df->escape, '`');
	assert_string_equal(df->instrs[1].text, "a   b");
	hd_dockerfile_free(df);

	/* A directive after a comment, a blank line or an instruction is a comment. */
	df = parse_ok("# a comment\n# escape=`\nFROM x\nRUN a \\\n  b\n");
	assert_int_equal(df->escape, '\\');
	assert_string_equal(df->instrs[1].text, "a   b");
	hd_dockerfile_free(df);
	df = parse_ok("\n# syntax=x\nFROM x\n");
	assert_null(df->syntax);
	hd_dockerfile_free(df);
	df = parse_ok("# unknown=1\n# syntax=x\nFROM x\n");
	assert_null(df->syntax);
	hd_dockerfile_free(df);

	expect_error("# escape=x\nFROM a\n", 1, 10, "escape character");
	expect_error("# syntax=a\n# syntax=b\nFROM a\n", 2, 1, "only one syntax");
}

static void test_comments_and_continuations(void **state)
{
	struct hd_dockerfile *df;
	const struct hd_instr *in;
	struct hd_span sp;

	(void)state;
	df = parse_ok("FROM x\n"
		      "RUN apt-get update && \\   \n"
		      "    # a comment in the middle\n"
		      "\n"
		      "    apt-get install -y \\\n"
		      "\tcurl\n"
		      "  # indented comment\n"
		      "RUN echo # not a comment\n");
	assert_int_equal(df->n_instrs, 3);
	in = &df->instrs[1];
	assert_int_equal(in->kind, HD_I_RUN);
	assert_int_equal(in->form, HD_FORM_SHELL);
	assert_string_equal(in->text, "apt-get update &&     apt-get install -y \tcurl");
	assert_string_equal(in->args[0].raw, in->text);
	assert_span(in->span, 2, 1, 6, 6);
	assert_non_null(in->shell);
	assert_int_equal(in->shell->n_cmds, 2);
	/* "install" is on line 5, column 13; "curl" on line 6, column 2. */
	sp = hd_instr_word_span(in, &in->shell->cmds[1].argv[1]);
	assert_span(sp, 5, 13, 5, 20);
	sp = hd_instr_word_span(in, &in->shell->cmds[1].argv[3]);
	assert_span(sp, 6, 2, 6, 6);
	sp = hd_instr_word_span(in, &in->shell->cmds[0].argv[0]);
	assert_span(sp, 2, 5, 2, 12);
	assert_string_equal(df->instrs[2].text, "echo # not a comment");
	hd_dockerfile_free(df);

	/* Leading blanks, CRLF, a BOM, a continuation at the end of the file. */
	df = parse_ok("\xef\xbb\xbf  FROM x\r\n\t run a \\\r\n b\r\nRUN c \\");
	assert_int_equal(df->n_instrs, 3);
	assert_span(df->instrs[0].span, 1, 3, 1, 9);
	assert_string_equal(df->instrs[1].text, "a  b");
	assert_string_equal(df->instrs[1].keyword, "run");
	assert_span(df->instrs[1].span, 2, 3, 3, 3);
	assert_string_equal(df->instrs[2].text, "c");
	hd_dockerfile_free(df);
}

static void test_heredocs(void **state)
{
	struct hd_dockerfile *df;
	const struct hd_instr *in;
	struct hd_span sp;

	(void)state;
	df = parse_ok("FROM x\n"
		      "RUN <<EOF\n"
		      "apt-get update\n"
		      "  apt-get install -y foo\n"
		      "EOF\n"
		      "RUN bash -ex <<-\"EOT\" && echo done\n"
		      "\tapk add $x\n"
		      "\tEOT\n"
		      "COPY --chmod=755 <<EOF <<'END' /dest/\n"
		      "one\n"
		      "EOF\n"
		      "two $x\n"
		      "END\n"
		      "RUN python3 <<EOF\n"
		      "import os\n"
		      "EOF\n"
		      "RUN <<EOF\n"
		      "#!/usr/bin/env python3\n"
		      "print(1)\n"
		      "EOF\n"
		      "RUN cat<<EOF\n");
	in = &df->instrs[1];
	assert_int_equal(in->n_heredocs, 1);
	assert_string_equal(in->heredocs[0].delim, "EOF");
	assert_false(in->heredocs[0].quoted);
	assert_false(in->heredocs[0].strip_tabs);
	assert_true(in->heredocs[0].terminated);
	assert_string_equal(in->heredocs[0].body, "apt-get update\n  apt-get install -y foo\n");
	assert_int_equal(in->heredocs[0].body_line, 3);
	assert_int_equal(in->heredocs[0].end_line, 5);
	assert_span(in->span, 2, 1, 5, 4);
	/* The body is the script. */
	assert_string_equal(in->text, in->heredocs[0].body);
	assert_int_equal(in->shell->n_cmds, 2);
	sp = hd_instr_word_span(in, &in->shell->cmds[1].argv[0]);
	assert_span(sp, 4, 3, 4, 10);

	in = &df->instrs[2];
	assert_int_equal(in->n_heredocs, 1);
	assert_true(in->heredocs[0].quoted);
	assert_true(in->heredocs[0].strip_tabs);
	assert_string_equal(in->text, "bash -ex <<-\"EOT\" && echo done\n\tapk add $x\nEOT");
	assert_span(in->span, 6, 1, 8, 5);
	assert_int_equal(in->shell->n_cmds, 3);
	assert_string_equal(hd_cmd_name(&in->shell->cmds[2]), "apk");
	assert_int_equal(in->shell->cmds[2].depth, 1);
	sp = hd_instr_word_span(in, &in->shell->cmds[2].argv[0]);
	assert_span(sp, 7, 2, 7, 5);

	in = &df->instrs[3];
	assert_int_equal(in->kind, HD_I_COPY);
	assert_int_equal(in->n_heredocs, 2);
	assert_string_equal(in->heredocs[0].body, "one\n");
	assert_string_equal(in->heredocs[1].delim, "END");
	assert_true(in->heredocs[1].quoted);
	assert_string_equal(in->heredocs[1].body, "two $x\n");
	assert_int_equal(in->n_args, 3);
	assert_string_equal(in->args[2].value, "/dest/");
	assert_span(in->span, 9, 1, 13, 4);

	in = &df->instrs[4];
	assert_int_equal(in->shell->n_cmds, 1);
	assert_string_equal(hd_cmd_name(&in->shell->cmds[0]), "python3");
	/* A #! script for another interpreter is not shell-split. */
	in = &df->instrs[5];
	assert_null(in->shell);
	assert_non_null(in->text);
	/* `cat<<EOF` is no heredoc for BuildKit (the word must start with <<). */
	in = &df->instrs[6];
	assert_int_equal(in->n_heredocs, 0);
	hd_dockerfile_free(df);

	/* Unterminated: an error, the rest of the file is the body, parsing ends. */
	df = parse("FROM x\nRUN <<EOF\nls\nRUN more\n");
	assert_span(df->instrs[1].span, 2, 1, 4, 9);
	assert_int_equal(df->n_errors, 1);
	assert_int_equal(df->errors[0].line, 2);
	assert_non_null(strstr(df->errors[0].msg, "heredoc delimiter 'EOF'"));
	assert_int_equal(df->n_instrs, 2);
	assert_false(df->instrs[1].heredocs[0].terminated);
	assert_string_equal(df->instrs[1].heredocs[0].body, "ls\nRUN more\n");
	hd_dockerfile_free(df);

	/* Two heredocs, the first unterminated: the second is dropped. */
	df = parse("FROM x\nRUN <<A cat - <<B\nfoo\n");
	assert_int_equal(df->n_errors, 1);
	assert_int_equal(df->instrs[1].n_heredocs, 1);
	assert_non_null(df->instrs[1].text);
	hd_dockerfile_free(df);

	/* A here-string is no heredoc; JSON form has none. */
	df = parse_ok("FROM x\nRUN cat <<<word\nRUN [\"cat\", \"<<EOF\"]\n");
	assert_int_equal(df->instrs[1].n_heredocs, 0);
	assert_int_equal(df->instrs[2].n_heredocs, 0);
	hd_dockerfile_free(df);
}

static void test_forms(void **state)
{
	struct hd_dockerfile *df;
	const struct hd_instr *in;

	(void)state;
	df = parse_ok("FROM x\n"
		      "CMD [\"nginx\", \"-g\", \"daemon off;\"]\n"
		      "ENTRYPOINT [ \"a\\u00e9\\n\" ]  \n"
		      "CMD [nginx, -g]\n"
		      "RUN []\n"
		      "ENTRYPOINT exec \"$0\"\n"
		      "CMD [\"a\"] trailing\n");
	in = &df->instrs[1];
	assert_int_equal(in->form, HD_FORM_EXEC);
	assert_int_equal(in->n_args, 3);
	assert_string_equal(in->args[2].value, "daemon off;");
	assert_span(in->args[0].span, 2, 6, 2, 13);
	assert_null(in->shell);
	assert_null(in->text);
	in = &df->instrs[2];
	assert_int_equal(in->form, HD_FORM_EXEC);
	assert_string_equal(in->args[0].raw, "a\xc3\xa9\n");
	/* Invalid JSON falls back to the shell form. */
	in = &df->instrs[3];
	assert_int_equal(in->form, HD_FORM_SHELL);
	assert_string_equal(in->args[0].raw, "[nginx, -g]");
	assert_non_null(in->shell);
	in = &df->instrs[4];
	assert_int_equal(in->form, HD_FORM_EXEC);
	assert_int_equal(in->n_args, 0);
	in = &df->instrs[5];
	assert_int_equal(in->form, HD_FORM_SHELL);
	assert_string_equal(in->shell->cmds[0].argv[1].text, "$0");
	assert_int_equal(df->instrs[6].form, HD_FORM_SHELL);
	hd_dockerfile_free(df);

	expect_error("FROM x\nCMD [\"a\", 1]\n", 2, 5, "JSON array of strings");
	expect_error("FROM x\nCOPY [\"a\", {}]\n", 2, 6, "JSON array of strings");
}

static void test_from(void **state)
{
	struct hd_dockerfile *df;
	const struct hd_stage *st;

	(void)state;
	df = parse_ok("ARG REG=gcr.io\nARG TAG\nFROM --platform=$BUILDPLATFORM ${REG}/distroless/base:${TAG:-latest} AS Build-Env\n"
		      "from build-env as second\nFROM scratch\n");
	assert_int_equal(df->n_stages, 3);
	st = &df->stages[0];
	assert_string_equal(st->name, "build-env");
	assert_span(st->name_span, 3, 73, 3, 82);
	assert_string_equal(st->base.raw, "gcr.io/distroless/base:${TAG:-latest}");
	assert_true(st->base.has_unresolved_var);
	assert_string_equal(st->platform, "$BUILDPLATFORM");
	assert_true(df->instrs[2].flags[0].unresolved);
	assert_int_equal(st->base_stage, -1);
	assert_true(st->used_by_later);
	assert_false(st->is_final);
	st = &df->stages[1];
	assert_int_equal(st->base_stage, 0);
	assert_string_equal(st->name, "second");
	assert_false(st->used_by_later);
	st = &df->stages[2];
	assert_true(st->base.is_scratch);
	assert_true(st->is_final);
	assert_int_equal(st->from, 4);
	assert_int_equal(st->first, 4);
	assert_int_equal(st->last, 4);
	hd_dockerfile_free(df);

	df = parse_ok("ARG V=3.19\nFROM alpine:$V\n");
	assert_string_equal(df->stages[0].base.raw, "alpine:3.19");
	assert_string_equal(df->stages[0].base.tag, "3.19");
	assert_false(df->stages[0].base.has_unresolved_var);
	assert_string_equal(df->instrs[1].args[0].raw, "alpine:$V");
	hd_dockerfile_free(df);

	expect_error("FROM\n", 1, 1, "expected an image after FROM");
	expect_error("FROM a b\n", 1, 8, "'AS name'");
	expect_error("FROM a AS 1x\n", 1, 11, "stage name");
	expect_error("FROM --platfrom=x a\n", 1, 6, "unknown flag '--platfrom'");
	expect_error("RUN x\nFROM a\n", 1, 1, "expected FROM before RUN");
	expect_error("ARG x\n", 1, 1, "expected a FROM instruction");
	expect_error("", 1, 1, "expected a FROM instruction");
}

static void test_variables(void **state)
{
	struct hd_dockerfile *df;
	const struct hd_instr *in;

	(void)state;
	df = parse_ok("ARG GLOBAL=g\n"
		      "ARG ONLYGLOBAL=o\n"
		      "FROM x\n"
		      "ARG GLOBAL\n"
		      "ARG LOCAL=l NOVAL\n"
		      "ENV A=1 B=\"two words\" C=${A}x D=$GLOBAL E=$ONLYGLOBAL F=$NOVAL\n"
		      "ENV G=${A:-d} H=${UNSET_LOCAL:-d} I=${A:+set} J=\\$A K='$A' L=\"$A\"\n"
		      "ENV LEGACY some value $A\n"
		      "ENV LOCAL=fromenv\n"
		      "WORKDIR /app/$LOCAL\n"
		      "USER ${A}:${A}\n"
		      "LABEL \"com.example.k\"=\"v $A\" other=x\n"
		      "EXPOSE $A 80/tcp\n"
		      "RUN echo $A\n"
		      "COPY --chown=$A:$A src/ \"/dst dir/\"\n"
		      "FROM x AS s2\n"
		      "USER $A\n");
	in = &df->instrs[5];
	assert_int_equal(in->n_kvs, 6);
	assert_string_equal(in->kvs[1].key, "B");
	assert_string_equal(in->kvs[1].value, "two words");
	assert_span(in->kvs[1].span, 6, 9, 6, 22);
	assert_span(in->kvs[1].value_span, 6, 11, 6, 22);
	/* Values see the variables of before the instruction, not A=1. */
	assert_string_equal(in->kvs[2].value, "${A}x");
	assert_string_equal(in->kvs[2].expanded, "${A}x");
	assert_true(in->kvs[2].unresolved);
	assert_string_equal(in->kvs[3].expanded, "g");
	assert_string_equal(in->kvs[4].expanded, "$ONLYGLOBAL");
	assert_true(in->kvs[4].unresolved);
	assert_string_equal(in->kvs[5].expanded, "$NOVAL");
	assert_true(in->kvs[5].unresolved);
	in = &df->instrs[6];
	assert_string_equal(in->kvs[0].expanded, "1");
	assert_string_equal(in->kvs[1].expanded, "${UNSET_LOCAL:-d}");
	assert_true(in->kvs[1].unresolved);
	assert_string_equal(in->kvs[2].expanded, "set");
	assert_string_equal(in->kvs[3].expanded, "$A");
	assert_false(in->kvs[3].unresolved);
	assert_string_equal(in->kvs[4].expanded, "$A");
	assert_string_equal(in->kvs[5].expanded, "1");
	in = &df->instrs[7];
	assert_int_equal(in->n_kvs, 1);
	assert_string_equal(in->kvs[0].key, "LEGACY");
	assert_string_equal(in->kvs[0].value, "some value $A");
	assert_string_equal(in->kvs[0].expanded, "some value 1");
	/* ENV wins over ARG of the same name. */
	assert_string_equal(df->instrs[9].args[0].value, "/app/fromenv");
	assert_string_equal(df->instrs[10].args[0].value, "1:1");
	in = &df->instrs[11];
	assert_string_equal(in->kvs[0].key, "com.example.k");
	assert_string_equal(in->kvs[0].expanded, "v 1");
	assert_string_equal(df->instrs[12].args[0].value, "1");
	assert_string_equal(df->instrs[12].args[1].value, "80/tcp");
	/* RUN is not expanded by the builder. */
	assert_string_equal(df->instrs[13].args[0].value, "echo $A");
	in = &df->instrs[14];
	assert_string_equal(in->flags[0].expanded, "1:1");
	assert_string_equal(in->args[1].raw, "\"/dst");
	/* A new stage starts without the previous one's variables. */
	assert_string_equal(df->instrs[16].args[0].value, "$A");
	assert_true(df->instrs[16].args[0].unresolved);

	assert_string_equal(hd_dockerfile_var_at(df, 13, "A"), "1");
	assert_string_equal(hd_dockerfile_var_at(df, 13, "LOCAL"), "fromenv");
	assert_string_equal(hd_dockerfile_var_at(df, 8, "LOCAL"), "l");
	assert_string_equal(hd_dockerfile_var_at(df, 5, "GLOBAL"), "g");
	assert_null(hd_dockerfile_var_at(df, 5, "ONLYGLOBAL"));
	assert_string_equal(hd_dockerfile_var_at(df, 2, "ONLYGLOBAL"), "o");
	assert_null(hd_dockerfile_var_at(df, 5, "A"));
	assert_null(hd_dockerfile_var_at(df, 16, "A"));
	assert_null(hd_dockerfile_var_at(df, 13, "NOVAL"));
	hd_dockerfile_free(df);

	/* ENV is inherited through FROM <stage>; ARG is not. */
	df = parse_ok("FROM x AS base\nENV P=/opt\nARG Q=1\nFROM base\nWORKDIR $P/$Q\n");
	assert_string_equal(df->instrs[4].args[0].value, "/opt/$Q");
	assert_string_equal(hd_dockerfile_var_at(df, 4, "P"), "/opt");
	hd_dockerfile_free(df);

	/* Self-referencing growth is capped, not exponential. */
	{
		char buf[4096];
		size_t o = 0;
		int i;

		o += (size_t)snprintf(buf + o, sizeof(buf) - o, "FROM x\nENV A=aaaaaaaaaaaaaaaa\n");
		for (i = 0; i < 40; i++)
			o += (size_t)snprintf(buf + o, sizeof(buf) - o, "ENV A=$A$A\n");
		df = parse_ok(buf);
		hd_dockerfile_free(df);
	}
	expect_error("FROM x\nARG =v\n", 2, 5, "name before '='");
	expect_error("FROM x\nENV a=b c\n", 2, 9, "expected name=value");
	expect_error("FROM x\nENV a\n", 2, 1, "expected a value");
	expect_error("FROM x\nENV\n", 2, 1, "expected name=value after ENV");
}

static void test_flags(void **state)
{
	struct hd_dockerfile *df;
	const struct hd_instr *in;
	const struct hd_flag *f;

	(void)state;
	df = parse_ok("FROM x AS b\nFROM x AS c\nFROM x\n"
		      "RUN --mount=type=cache,target=/root/.cache --mount=type=bind,from=b,target=/b "
		      "--network=none --security=insecure make\n"
		      "COPY --from=c --chown=1000:1000 --chmod=0644 --link --parents --exclude=*.md a b /dst/\n"
		      "ADD --checksum=sha256:abc --keep-git-dir=true --link=false --chown=\"a b\" https://x/y /y\n"
		      "COPY --from=0 -- --weird /w\n");
	in = &df->instrs[3];
	assert_int_equal(in->n_flags, 4);
	f = hd_instr_flag(in, "network");
	assert_non_null(f);
	assert_string_equal(f->value, "none");
	assert_span(f->span, 4, 79, 4, 93);
	assert_string_equal(hd_instr_flag(in, "mount")->value, "type=cache,target=/root/.cache");
	assert_null(hd_instr_flag(in, "nope"));
	assert_string_equal(in->text, "make");
	in = &df->instrs[4];
	assert_int_equal(in->n_flags, 6);
	assert_null(hd_instr_flag(in, "link")->value);
	assert_int_equal(in->n_args, 3);
	in = &df->instrs[5];
	assert_string_equal(hd_instr_flag(in, "chown")->value, "a b");
	assert_string_equal(hd_instr_flag(in, "keep-git-dir")->value, "true");
	assert_int_equal(in->n_args, 2);
	in = &df->instrs[6];
	assert_int_equal(in->n_flags, 1);
	assert_string_equal(in->args[0].value, "--weird");
	/* Stage links: --mount from=b, --from=c, --from=0. */
	assert_true(df->stages[0].used_by_later);
	assert_true(df->stages[1].used_by_later);
	assert_false(df->stages[2].used_by_later);
	hd_dockerfile_free(df);

	expect_error("FROM x\nCOPY --form=a b c\n", 2, 6, "unknown flag '--form' for COPY");
	expect_error("FROM x\nCOPY --from a b\n", 2, 6, "expected a value for flag '--from'");
	expect_error("FROM x\nCOPY --link=maybe a b\n", 2, 6, "true or false");
	expect_error("FROM x\nCOPY --from=a --from=b a b\n", 2, 15, "duplicate flag");
	expect_error("FROM x\nENV --x=1 a=b\n", 2, 5, "unknown flag");
	expect_error("FROM x\nCOPY a\n", 2, 1, "source and a destination");
	expect_error("FROM x\nRUN --network=host\n", 2, 1, "expected a command after RUN");
}

static void test_instructions(void **state)
{
	struct hd_dockerfile *df;
	const struct hd_instr *in;

	(void)state;
	df = parse_ok("FROM x\n"
		      "MAINTAINER Jane <j@x>\n"
		      "VOLUME [\"/a\", \"/b\"]\n"
		      "VOLUME /c /d\n"
		      "STOPSIGNAL SIGTERM\n"
		      "HEALTHCHECK --interval=30s --timeout=1m30s --start-period=5s --start-interval=1s --retries=3 "
		      "CMD curl -f http://localhost/ || exit 1\n"
		      "HEALTHCHECK NONE\n"
		      "HEALTHCHECK CMD [\"/bin/check\"]\n"
		      "SHELL [\"/bin/bash\", \"-o\", \"pipefail\", \"-c\"]\n"
		      "ONBUILD RUN make\n"
		      "ONBUILD COPY . /app\n"
		      "Expose 80 443/udp\n"
		      "ONBUILD ENV X=$A\n"
		      "user nobody\n");
	assert_string_equal(df->instrs[1].args[0].value, "Jane <j@x>");
	assert_int_equal(df->instrs[2].form, HD_FORM_EXEC);
	assert_int_equal(df->instrs[2].n_args, 2);
	assert_int_equal(df->instrs[3].n_args, 2);
	assert_string_equal(df->instrs[3].args[1].value, "/d");
	assert_string_equal(df->instrs[4].args[0].value, "SIGTERM");
	in = &df->instrs[5];
	assert_int_equal(in->n_flags, 5);
	assert_false(in->healthcheck_none);
	assert_string_equal(in->args[0].value, "CMD");
	assert_string_equal(in->text, "curl -f http://localhost/ || exit 1");
	assert_int_equal(in->shell->n_cmds, 2);
	assert_true(df->instrs[6].healthcheck_none);
	assert_int_equal(df->instrs[7].form, HD_FORM_EXEC);
	assert_string_equal(df->instrs[7].args[1].value, "/bin/check");
	assert_int_equal(df->instrs[8].n_args, 4);
	in = &df->instrs[9];
	assert_non_null(in->onbuild);
	assert_int_equal(in->onbuild->kind, HD_I_RUN);
	assert_string_equal(in->onbuild->text, "make");
	assert_int_equal(in->onbuild->shell->n_cmds, 1);
	assert_span(in->onbuild->span, 10, 9, 10, 17);
	assert_int_equal(df->instrs[10].onbuild->kind, HD_I_COPY);
	assert_string_equal(df->instrs[12].onbuild->kvs[0].expanded, "$A");
	assert_null(hd_dockerfile_var_at(df, 13, "X"));
	assert_int_equal(df->instrs[11].kind, HD_I_EXPOSE);
	assert_string_equal(df->instrs[11].keyword, "Expose");
	assert_string_equal(df->instrs[12].onbuild->kvs[0].value, "$A");
	assert_string_equal(df->stages[0].user, "nobody");
	assert_int_equal(df->stages[0].healthcheck, 7);
	assert_int_equal(df->stages[0].shell_instr, 8);
	hd_dockerfile_free(df);

	expect_error("FROM x\nHEALTHCHECK NONE CMD x\n", 2, 1, "nothing after HEALTHCHECK NONE");
	expect_error("FROM x\nHEALTHCHECK RUN x\n", 2, 1, "expected CMD or NONE");
	expect_error("FROM x\nHEALTHCHECK --interval=5 CMD x\n", 2, 13, "duration");
	expect_error("FROM x\nHEALTHCHECK --retries=x CMD x\n", 2, 13, "retries");
	expect_error("FROM x\nSHELL /bin/sh -c\n", 2, 1, "JSON array after SHELL");
	expect_error("FROM x\nONBUILD ONBUILD RUN x\n", 2, 9, "other than ONBUILD");
	expect_error("FROM x\nONBUILD FROM y\n", 2, 9, "other than FROM");
	expect_error("FROM x\nUSER\n", 2, 1, "expected a user after USER");
	expect_error("FROM x\nWORKDIR\n", 2, 1, "expected a path after WORKDIR");
	expect_error("FROM x\nEXPOSE\n", 2, 1, "expected a port after EXPOSE");
	expect_error("FROM x\nVOLUME\n", 2, 1, "expected a path after VOLUME");
	expect_error("FROM x\nVOLUME [\"\"]\n", 2, 9, "non-empty path");
	expect_error("FROM x\nSTOPSIGNAL\n", 2, 1, "signal");
	expect_error("FROM x\nMAINTAINER\n", 2, 1, "a name");
}

static void test_shell_instruction(void **state)
{
	struct hd_dockerfile *df;

	(void)state;
	/* Commands under a non-POSIX SHELL are not split; a new stage resets it. */
	df = parse_ok("FROM x AS a\nSHELL [\"powershell\", \"-Command\"]\nRUN Get-Item x; y\n"
		      "FROM a\nRUN still powershell\nFROM y\nRUN ls\n");
	assert_null(df->instrs[2].shell);
	assert_non_null(df->instrs[2].text);
	assert_null(df->instrs[4].shell);
	assert_int_equal(df->stages[1].shell_instr, 1);
	assert_non_null(df->instrs[6].shell);
	assert_int_equal(df->stages[2].shell_instr, -1);
	hd_dockerfile_free(df);
}

static void test_stages(void **state)
{
	struct hd_dockerfile *df;

	(void)state;
	df = parse_ok("FROM golang AS build\nUSER builder\nHEALTHCHECK CMD true\n"
		      "FROM build AS test\nRUN go test\n"
		      "FROM alpine AS other\nUSER 1000\n"
		      "FROM build\nCOPY --from=other /x /y\n");
	assert_int_equal(df->n_stages, 4);
	assert_string_equal(df->stages[1].user, "builder");
	assert_int_equal(df->stages[1].last_user, -1);
	assert_int_equal(df->stages[1].healthcheck, 2);
	assert_string_equal(df->stages[2].user, "1000");
	assert_int_equal(df->stages[2].last_user, 6);
	assert_true(df->stages[0].used_by_later);
	assert_false(df->stages[1].used_by_later);
	assert_true(df->stages[2].used_by_later);
	assert_true(df->stages[3].is_final);
	assert_int_equal(df->stages[3].base_stage, 0);
	assert_string_equal(df->stages[3].user, "builder");
	assert_int_equal(df->stages[0].first, 0);
	assert_int_equal(df->stages[0].last, 2);
	assert_int_equal(df->instrs[4].stage, 1);
	assert_ptr_equal(hd_dockerfile_stage_of(df, 4), &df->stages[1]);
	assert_null(hd_dockerfile_stage_of(df, 99));
	assert_ptr_equal(hd_dockerfile_final_stage(df), &df->stages[3]);
	hd_dockerfile_free(df);
	df = parse("ARG A\n");
	assert_null(hd_dockerfile_stage_of(df, 0));
	assert_null(hd_dockerfile_final_stage(df));
	hd_dockerfile_free(df);

	/* A later stage is no base; a name that is no stage is an image. */
	df = parse_ok("FROM later AS first\nFROM ubuntu AS later\nCOPY --from=5 /a /b\n");
	assert_int_equal(df->stages[0].base_stage, -1);
	assert_false(df->stages[1].used_by_later);
	hd_dockerfile_free(df);
}

static void test_suppressions(void **state)
{
	struct hd_dockerfile *df;

	(void)state;
	df = parse_ok("# hadolint global ignore=DL3006\nFROM x\n# hardock ignore=dockerfile/apt-get-update-alone,DL3008\n"
		      "\nRUN apt-get update && \\\n  apt-get install x\n# hadolint ignore=DL3003\nRUN cd /x\nRUN y\n");
	assert_int_equal(df->suppress.n, 3);
	assert_int_equal(df->suppress.v[0].from_line, 0);
	assert_int_equal(df->suppress.v[0].to_line, 0);
	assert_string_equal(df->suppress.v[0].ids, "DL3006");
	assert_int_equal(df->suppress.v[1].from_line, 5);
	assert_int_equal(df->suppress.v[1].to_line, 6);
	assert_int_equal(df->suppress.v[1].comment_line, 3);
	assert_string_equal(df->suppress.v[1].ids, "dockerfile/apt-get-update-alone,DL3008");
	assert_int_equal(df->suppress.v[2].from_line, 8);
	assert_int_equal(df->suppress.v[2].to_line, 8);
	hd_dockerfile_free(df);
}

static void test_errors_continue(void **state)
{
	struct hd_dockerfile *df;

	(void)state;
	df = parse("FROM x\nFOO bar\nRUN ok\nCOPY --bad=1 a b\nUSER app\n");
	assert_int_equal(df->n_errors, 2);
	assert_int_equal(df->errors[0].line, 2);
	assert_int_equal(df->errors[0].col, 1);
	assert_string_equal(df->errors[0].msg, "unknown instruction 'FOO'");
	assert_string_equal(df->errors[0].file, "Dockerfile.test");
	assert_int_equal(df->n_instrs, 5);
	assert_int_equal(df->instrs[1].kind, HD_I_UNKNOWN);
	assert_string_equal(df->stages[0].user, "app");
	hd_dockerfile_free(df);
}

static void test_hostile_input(void **state)
{
	struct hd_dockerfile *df;
	size_t n = 10 * 1024 * 1024, i;
	char *big;

	(void)state;
	/* Binary, NUL bytes, invalid UTF-8. */
	{
		char bin[512];

		for (i = 0; i < sizeof(bin); i++)
			bin[i] = (char)(i * 7 + 3);
		memcpy(bin, "FROM x\nRUN ", 11);
		assert_int_equal(hd_dockerfile_parse(NULL, bin, sizeof(bin), &df), 0);
		hd_dockerfile_free(df);
		assert_int_equal(hd_dockerfile_parse(NULL, "FROM \0x\nRUN \xff\xfe\n", 16, &df), 0);
		hd_dockerfile_free(df);
		assert_int_equal(hd_dockerfile_parse(NULL, NULL, 0, &df), 0);
		hd_dockerfile_free(df);
	}
	/* A 10 MB line. */
	big = hd_malloc(n + 1);
	memcpy(big, "FROM x\nRUN ", 11);
	for (i = 11; i < n; i++)
		big[i] = (i % 8) ? 'a' : ' ';
	big[n] = '\0';
	assert_int_equal(hd_dockerfile_parse(NULL, big, n, &df), 0);
	assert_int_equal(df->n_instrs, 2);
	hd_dockerfile_free(df);
	/* 100k continuation lines. */
	{
		size_t o = 0;

		memcpy(big, "FROM x\nRUN a", 12);
		o = 12;
		for (i = 0; i < 100000; i++) {
			memcpy(big + o, " \\\n b", 5);
			o += 5;
		}
		assert_int_equal(hd_dockerfile_parse(NULL, big, o, &df), 0);
		assert_int_equal(df->n_instrs, 2);
		assert_int_equal(df->instrs[1].shell->cmds[0].argc, 100001);
		assert_int_equal(df->instrs[1].span.end_line, 100002);
		hd_dockerfile_free(df);
		/* 100k lines of one unterminated heredoc. */
		memcpy(big, "FROM x\nRUN <<EOF\n", 17);
		o = 17;
		for (i = 0; i < 100000; i++) {
			memcpy(big + o, "ls x\n", 5);
			o += 5;
		}
		assert_int_equal(hd_dockerfile_parse(NULL, big, o, &df), 0);
		assert_int_equal(df->n_errors, 1);
		hd_dockerfile_free(df);
		/* Deep ${ nesting. */
		memcpy(big, "FROM x\nENV A=", 13);
		o = 13;
		for (i = 0; i < 100000; i++) {
			memcpy(big + o, "${A:-", 5);
			o += 5;
		}
		assert_int_equal(hd_dockerfile_parse(NULL, big, o, &df), 0);
		hd_dockerfile_free(df);
		/* Deep JSON. */
		memcpy(big, "FROM x\nCMD ", 11);
		o = 11;
		for (i = 0; i < 100000; i++)
			big[o++] = '[';
		assert_int_equal(hd_dockerfile_parse(NULL, big, o, &df), 0);
		hd_dockerfile_free(df);
	}
	hd_free(big);
}

static void test_dockerignore(void **state)
{
	char dir[] = "/tmp/hd-test-XXXXXX", path[256], ign[256];
	struct hd_build_contexts *bc = hd_build_contexts_new();
	struct hd_dockerfile *df;
	FILE *f;

	(void)state;
	assert_non_null(bc);
	assert_non_null(mkdtemp(dir));
	snprintf(path, sizeof(path), "%s/Dockerfile", dir);
	/* The parser reads no file: the lint driver tells the .dockerignore facts. */
	assert_int_equal(hd_dockerfile_parse(path, "FROM x\n", 7, &df), 0);
	assert_false(df->dockerignore_known);
	assert_false(df->has_dockerignore);
	hd_dockerfile_free(df);
	assert_false(hd_build_context_beside_ignore(NULL, path));
	snprintf(ign, sizeof(ign), "%s/Dockerfile.dockerignore", dir);
	f = fopen(ign, "w");
	assert_non_null(f);
	fclose(f);
	assert_true(hd_build_context_beside_ignore(NULL, path));
	assert_true(hd_build_context_beside_ignore(bc, path));
	unlink(ign);
	/* <name>.dockerignore is looked for each time; the directory's .dockerignore once per directory. */
	assert_false(hd_build_context_beside_ignore(bc, path));
	snprintf(ign, sizeof(ign), "%s/.dockerignore", dir);
	f = fopen(ign, "w");
	assert_non_null(f);
	fclose(f);
	assert_true(hd_build_context_beside_ignore(NULL, path));
	assert_false(hd_build_context_beside_ignore(bc, path)); /* cached for the run */
	unlink(ign);
	rmdir(dir);
	hd_build_contexts_free(bc);
}

static void test_alloc_failures(void **state)
{
	static const char text[] =
		"# syntax=x\nARG A=1\nFROM x:$A AS b\n# hadolint ignore=DL1\nENV B=$A C=2\n"
		"RUN --mount=type=cache,target=/c apt-get update && \\\n  apt-get install -y $(echo x)\n"
		"RUN <<EOF\nls\nEOF\nCOPY --from=b <<E /d\nx\nE\nCMD [\"a\"]\nONBUILD RUN y\nFROM b\nUSER u\n"
		"HEALTHCHECK CMD z\nBAD x\n";
	unsigned long n;

	(void)state;
	for (n = 1; n < 400; n++) {
		struct hd_dockerfile *df = NULL;
		int r;

		hd_alloc_fail_at(n);
		r = hd_dockerfile_parse("x/Dockerfile", text, sizeof(text) - 1, &df);
		hd_alloc_fail_at(0);
		assert_true(r == 0 || r == -HD_ENOMEM);
		if (r == 0) {
			assert_int_equal(df->n_instrs, 12);
			assert_int_equal(df->n_errors, 1);
			hd_dockerfile_free(df);
			break;
		}
		assert_null(df);
	}
	assert_true(n < 400);
}

static void test_names(void **state)
{
	(void)state;
	assert_string_equal(hd_instr_name(HD_I_FROM), "FROM");
	assert_string_equal(hd_instr_name(HD_I_HEALTHCHECK), "HEALTHCHECK");
	assert_string_equal(hd_instr_name(HD_I_MAX), "UNKNOWN");
	hd_dockerfile_free(NULL);
}

/* Keywords in any case; a keyword cut short or run on is no instruction. */
static void test_keywords(void **state)
{
	static const struct {
		const char *name;
		enum hd_instr_kind kind;
	} kw[] = {
		{ "FROM", HD_I_FROM }, { "RUN", HD_I_RUN }, { "CMD", HD_I_CMD }, { "LABEL", HD_I_LABEL },
		{ "MAINTAINER", HD_I_MAINTAINER }, { "EXPOSE", HD_I_EXPOSE }, { "ENV", HD_I_ENV }, { "ADD", HD_I_ADD },
		{ "COPY", HD_I_COPY }, { "ENTRYPOINT", HD_I_ENTRYPOINT }, { "VOLUME", HD_I_VOLUME }, { "USER", HD_I_USER },
		{ "WORKDIR", HD_I_WORKDIR }, { "ARG", HD_I_ARG }, { "ONBUILD", HD_I_ONBUILD },
		{ "STOPSIGNAL", HD_I_STOPSIGNAL }, { "HEALTHCHECK", HD_I_HEALTHCHECK }, { "SHELL", HD_I_SHELL },
	};
	char text[64], word[16];
	size_t i, k, n;

	(void)state;
	for (i = 0; i < HD_ARRAY_SIZE(kw); i++) {
		n = strlen(kw[i].name);
		for (k = 0; k < 4; k++) {
			struct hd_dockerfile *df;
			enum hd_instr_kind want = kw[i].kind;
			size_t j;

			memcpy(word, kw[i].name, n + 1);
			if (k == 1) {
				for (j = 0; j < n; j++)
					word[j] = (char)tolower((unsigned char)word[j]);
			} else if (k == 2) {
				word[n - 1] = '\0'; /* cut short */
				want = HD_I_UNKNOWN;
			} else if (k == 3) {
				word[n] = 'S'; /* run on */
				word[n + 1] = '\0';
				want = HD_I_UNKNOWN;
			}
			snprintf(text, sizeof(text), "FROM x\n%s a\n", word);
			df = parse(text);
			if (df->n_instrs != 2 || df->instrs[1].kind != want)
				fail_msg("'%s': kind %d, expected %d", word, df->n_instrs == 2 ? (int)df->instrs[1].kind : -1,
					 (int)want);
			hd_dockerfile_free(df);
		}
	}
}

/* ENV/LABEL/ARG pairs of plain words are taken as written; any quote, escape or $ is processed. */
static void test_plain_words(void **state)
{
	struct hd_dockerfile *df;
	const struct hd_instr *in;
	char text[2048];
	size_t i, o;

	(void)state;
	df = parse_ok("FROM x\nENV A=1 B=two C=$A D=\"q r\" E=x\\ y F=a\xc2\xa0G=\xc2\x41\n"
		      "ENV K plain  value here\nENV L v $A\nENV M 'q' x\nLABEL k$A=v n=\"$A\" p=${A}x\nARG X=1 Y\n");
	in = &df->instrs[1];
	assert_int_equal(in->n_kvs, 7);
	assert_string_equal(in->kvs[0].value, "1");
	assert_true(in->kvs[0].expanded == in->kvs[0].value);
	assert_string_equal(in->kvs[1].key, "B");
	assert_string_equal(in->kvs[1].value, "two");
	assert_string_equal(in->kvs[2].value, "$A");
	assert_string_equal(in->kvs[2].expanded, "$A"); /* A is not set before this ENV */
	assert_true(in->kvs[2].unresolved);
	assert_string_equal(in->kvs[3].value, "q r");
	assert_string_equal(in->kvs[4].value, "x y");
	assert_string_equal(in->kvs[5].value, "a"); /* NBSP separates words */
	assert_string_equal(in->kvs[6].key, "G");
	assert_string_equal(in->kvs[6].value, "\xc2" "A");
	assert_span(in->kvs[6].value_span, 2, 42, 2, 44);
	assert_string_equal(df->instrs[2].kvs[0].key, "K");
	assert_string_equal(df->instrs[2].kvs[0].value, "plain  value here");
	assert_true(df->instrs[2].kvs[0].expanded == df->instrs[2].kvs[0].value);
	assert_string_equal(df->instrs[3].kvs[0].value, "v $A");
	assert_string_equal(df->instrs[3].kvs[0].expanded, "v 1");
	assert_string_equal(df->instrs[4].kvs[0].value, "q x");
	in = &df->instrs[5];
	assert_string_equal(in->kvs[0].key, "k1");
	assert_string_equal(in->kvs[1].value, "$A");
	assert_string_equal(in->kvs[1].expanded, "1");
	assert_string_equal(in->kvs[2].expanded, "1x");
	in = &df->instrs[6];
	assert_string_equal(in->kvs[0].value, "1");
	assert_null(in->kvs[1].value);
	hd_dockerfile_free(df);

	/* The other escape character: a backslash is a plain byte. */
	df = parse_ok("# escape=`\nFROM x\nENV A=a\\b B=c`d\nENV C=$A\\\n");
	in = &df->instrs[1];
	assert_string_equal(in->kvs[0].value, "a\\b");
	assert_string_equal(in->kvs[1].value, "cd");
	assert_string_equal(df->instrs[2].kvs[0].expanded, "a\\b\\");
	hd_dockerfile_free(df);

	/* More pairs than the words kept on the stack. */
	o = (size_t)snprintf(text, sizeof(text), "FROM x\nENV");
	for (i = 0; i < 40; i++)
		o += (size_t)snprintf(text + o, sizeof(text) - o, " V%zu=%s", i, i % 3 ? "w" : "\"q\"");
	snprintf(text + o, sizeof(text) - o, "\n");
	df = parse_ok(text);
	in = &df->instrs[1];
	assert_int_equal(in->n_kvs, 40);
	assert_string_equal(in->kvs[39].key, "V39");
	assert_string_equal(in->kvs[39].value, "q");
	assert_string_equal(in->kvs[38].value, "w");
	hd_dockerfile_free(df);

	/* Runs of plain bytes in flags and JSON strings. */
	df = parse_ok("FROM x AS b\nCOPY --chown=\"a b\" --from=b\\c s d\nCMD [\"a\\u00e9b\", \"c\\\"d\", \"plain\"]\n");
	in = &df->instrs[1];
	assert_string_equal(in->flags[0].value, "a b");
	assert_string_equal(in->flags[1].value, "bc");
	in = &df->instrs[2];
	assert_string_equal(in->args[0].value, "a\xc3\xa9" "b");
	assert_string_equal(in->args[1].value, "c\"d");
	assert_string_equal(in->args[2].value, "plain");
	hd_dockerfile_free(df);
}

/*
 * Runs of plain bytes of every length up to 40 with the byte that ends them
 * at every place (the parser passes runs 16 bytes at a time, the last ones
 * as the 16 bytes before the end): quoted values with a variable, JSON
 * strings with an escape, words split on a space, flags with an escape.
 */
static void test_long_runs(void **state)
{
	char text[1024], pre[48], post[48], want[160];
	size_t len, pos;

	(void)state;
	for (len = 0; len <= 40; len++) {
		for (pos = 0; pos <= len; pos++) {
			struct hd_dockerfile *df;
			const struct hd_instr *in;

			memset(pre, 'a', pos);
			pre[pos] = '\0';
			memset(post, 'b', len - pos);
			post[len - pos] = '\0';
			snprintf(text, sizeof(text),
				 "FROM x\nENV A=1\nENV W=%s\\ %s V=\"%s${A}%s\"\nCMD [\"%s\\\"%s\"]\n"
				 "LABEL L='%s\"%s' M=%s N=%s\nCOPY --chown=\"%s\\\"%s\" s d\nADD x%s\vy%s\t/d\n",
				 pre, post, pre, post, pre, post, pre, post, pre, post, pre, post, pre, post);
			df = parse_ok(text);
			in = &df->instrs[2];
			snprintf(want, sizeof(want), "%s %s", pre, post);
			assert_string_equal(in->kvs[0].value, want);
			snprintf(want, sizeof(want), "%s1%s", pre, post);
			assert_string_equal(in->kvs[1].expanded, want);
			snprintf(want, sizeof(want), "%s\"%s", pre, post);
			assert_string_equal(df->instrs[3].args[0].value, want);
			in = &df->instrs[4];
			assert_string_equal(in->kvs[0].value, want);
			assert_string_equal(in->kvs[1].value, pre);
			assert_string_equal(in->kvs[2].value, post);
			assert_string_equal(df->instrs[5].flags[0].value, want);
			in = &df->instrs[6];
			assert_int_equal(in->n_args, 3);
			snprintf(want, sizeof(want), "x%s", pre);
			assert_string_equal(in->args[0].value, want);
			snprintf(want, sizeof(want), "y%s", post);
			assert_string_equal(in->args[1].value, want);
			assert_string_equal(in->args[2].value, "/d");
			hd_dockerfile_free(df);
		}
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_directives),
		cmocka_unit_test(test_comments_and_continuations),
		cmocka_unit_test(test_heredocs),
		cmocka_unit_test(test_forms),
		cmocka_unit_test(test_from),
		cmocka_unit_test(test_variables),
		cmocka_unit_test(test_flags),
		cmocka_unit_test(test_instructions),
		cmocka_unit_test(test_shell_instruction),
		cmocka_unit_test(test_stages),
		cmocka_unit_test(test_suppressions),
		cmocka_unit_test(test_errors_continue),
		cmocka_unit_test(test_hostile_input),
		cmocka_unit_test(test_dockerignore),
		cmocka_unit_test(test_alloc_failures),
		cmocka_unit_test(test_names),
		cmocka_unit_test(test_keywords),
		cmocka_unit_test(test_plain_words),
		cmocka_unit_test(test_long_runs),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
