/*
 * Unit tests for the Dockerfile rules on instructions, stages, base images,
 * labels and secrets (src/rules/dockerfile_build.c, dockerfile_image.c,
 * dockerfile_secrets.c).  For every rule: snippets that fire (rule id, line,
 * column) and snippets that stay quiet, including the cases where hadolint
 * reports something it should not.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <cmocka.h>

#include "core/common.h"
#include "df_helper.h"

/* A base reference that every base-image rule accepts. */
#define PINNED "alpine:3.20@sha256:0a4eaa0eecf5f8c050e5bba433f58c052be7587ee8af3e8b3910ef9ab5fbe9f5"
#define FROM_OK "FROM " PINNED "\n"
#define TAIL_OK "USER 10001\nHEALTHCHECK CMD [\"/app\", \"--health\"]\nCMD [\"/app\"]\n"

/* ---- the catalogue examples of these rules --------------------------- */

static void test_examples_clean(void **state)
{
	struct hd_findings f;

	(void)state;
	df_lint(FROM_OK TAIL_OK, &f);
	if (f.n) {
		df_print(&f);
		fail();
	}
	hd_findings_release(&f);
}

/* ---- DL1001 inline-ignore (default off) -------------------------------- */

static void test_inline_ignore(void **state)
{
	struct hd_config cfg;
	struct df_opts o = { 0 };

	(void)state;
	hd_config_init(&cfg);
	assert_int_equal(hd_config_set_override(&cfg, "DL1001", HD_SEV_LOW), 0);
	o.cfg = &cfg;
	/* Off by default. */
	df_quiet("# hadolint ignore=DL3007\nFROM alpine:latest\n", "dockerfile/inline-ignore");
	df_fires_opts("# hadolint ignore=DL3007\nFROM alpine:latest\n", &o, "dockerfile/inline-ignore", 1, 1);
	df_fires_opts(FROM_OK "# hardock ignore=dockerfile/root-user\nCMD [\"x\"]\n", &o,
		      "dockerfile/inline-ignore", 2, 1);
	df_quiet_opts("# a plain comment\n" FROM_OK, &o, "dockerfile/inline-ignore");
	hd_config_release(&cfg);
}

/* ---- DL3000 workdir-relative ------------------------------------------ */

static void test_workdir_relative(void **state)
{
	struct hd_findings f;

	(void)state;
	df_fires(FROM_OK "WORKDIR app\n", "dockerfile/workdir-relative", 2, 9);
	/* ARG expanded first: the result is relative. */
	df_fires(FROM_OK "ARG DIR=app\nWORKDIR $DIR\n", "dockerfile/workdir-relative", 3, 9);
	/* After an absolute WORKDIR: reported at info only. */
	df_lint(FROM_OK "WORKDIR /src\nWORKDIR build\n", &f);
	df_assert_at(&f, "dockerfile/workdir-relative", 3, 9);
	assert_int_equal(df_find(&f, "dockerfile/workdir-relative", 0)->severity, HD_SEV_INFO);
	hd_findings_release(&f);
	df_quiet(FROM_OK "WORKDIR /app\n", "dockerfile/workdir-relative");
	df_quiet(FROM_OK "WORKDIR \"/app dir\"\n", "dockerfile/workdir-relative");
	df_quiet(FROM_OK "ARG DIR=/opt/app\nWORKDIR $DIR\n", "dockerfile/workdir-relative");
	/* A variable with no known value is left alone. */
	df_quiet(FROM_OK "WORKDIR $APP_HOME\n", "dockerfile/workdir-relative");
	df_quiet(FROM_OK "WORKDIR ${HOME}/src\n", "dockerfile/workdir-relative");
	/* Windows paths are absolute. */
	df_quiet("FROM mcr.microsoft.com/windows/servercore:ltsc2022\nWORKDIR C:\\\\app\n",
		 "dockerfile/workdir-relative");
	df_quiet("FROM mcr.microsoft.com/windows/servercore:ltsc2022\nWORKDIR c:/app\n",
		 "dockerfile/workdir-relative");
}

/* ---- DL3011 expose-invalid-port, EXPOSE 22 ---------------------------- */

static void test_expose(void **state)
{
	(void)state;
	df_fires(FROM_OK "EXPOSE 80800\n", "dockerfile/expose-invalid-port", 2, 8);
	df_fires(FROM_OK "EXPOSE 80 65536/tcp\n", "dockerfile/expose-invalid-port", 2, 11);
	df_fires(FROM_OK "EXPOSE 8080/http\n", "dockerfile/expose-invalid-port", 2, 8);
	df_fires(FROM_OK "EXPOSE 9000-8000\n", "dockerfile/expose-invalid-port", 2, 8);
	df_fires(FROM_OK "EXPOSE 8080:80\n", "dockerfile/expose-invalid-port", 2, 8);
	df_fires(FROM_OK "EXPOSE 0\n", "dockerfile/expose-invalid-port", 2, 8);
	df_fires(FROM_OK "EXPOSE http\n", "dockerfile/expose-invalid-port", 2, 8);
	df_fires(FROM_OK "ARG PORT=99999\nEXPOSE $PORT\n", "dockerfile/expose-invalid-port", 3, 8);
	df_quiet(FROM_OK "EXPOSE 80 443/tcp 53/udp 9000-9010 132/sctp 8080/TCP\n",
		 "dockerfile/expose-invalid-port");
	df_quiet(FROM_OK "EXPOSE 65535\n", "dockerfile/expose-invalid-port");
	df_quiet(FROM_OK "EXPOSE $PORT\n", "dockerfile/expose-invalid-port");
	df_quiet(FROM_OK "ARG PORT=8080\nEXPOSE ${PORT}/tcp\n", "dockerfile/expose-invalid-port");

	df_fires(FROM_OK "EXPOSE 22\n", "dockerfile/expose-ssh", 2, 8);
	df_fires(FROM_OK "EXPOSE 80 22/tcp\n", "dockerfile/expose-ssh", 2, 11);
	df_fires(FROM_OK "EXPOSE 20-25\n", "dockerfile/expose-ssh", 2, 8);
	df_fires(FROM_OK "ARG SSH=22\nEXPOSE $SSH\n", "dockerfile/expose-ssh", 3, 8);
	df_quiet(FROM_OK "EXPOSE 22/udp\n", "dockerfile/expose-ssh");
	df_quiet(FROM_OK "EXPOSE 2222 220 8022\n", "dockerfile/expose-ssh");
	df_quiet(FROM_OK "EXPOSE 23-80\n", "dockerfile/expose-ssh");
}

/* ---- DL4003 / DL4004 / DL3012: repeated instructions in a stage --------- */

static void test_repeated(void **state)
{
	(void)state;
	df_fires(FROM_OK "CMD [\"a\"]\nCMD [\"b\"]\n", "dockerfile/multiple-cmd", 3, 1);
	df_fires(FROM_OK "ENTRYPOINT [\"a\"]\nRUN true\nENTRYPOINT [\"b\"]\n",
		 "dockerfile/multiple-entrypoint", 4, 1);
	df_fires(FROM_OK "HEALTHCHECK CMD [\"a\"]\nHEALTHCHECK NONE\n", "dockerfile/multiple-healthcheck",
		 3, 1);
	/* One per stage is fine, in every stage. */
	df_quiet("FROM " PINNED " AS build\nCMD [\"a\"]\n" FROM_OK "CMD [\"b\"]\n", "dockerfile/multiple-cmd");
	df_quiet("FROM " PINNED " AS build\nENTRYPOINT [\"a\"]\n" FROM_OK "ENTRYPOINT [\"b\"]\n",
		 "dockerfile/multiple-entrypoint");
	df_quiet("FROM " PINNED " AS build\nHEALTHCHECK CMD [\"a\"]\n" FROM_OK "HEALTHCHECK CMD [\"b\"]\n",
		 "dockerfile/multiple-healthcheck");
	/* CMD inside ONBUILD is not a CMD of this stage. */
	df_quiet(FROM_OK "ONBUILD CMD [\"a\"]\nCMD [\"b\"]\n", "dockerfile/multiple-cmd");
}

/* ---- DL3020 add-instead-of-copy, ADD of URLs --------------------------- */

static void test_add(void **state)
{
	struct hd_findings f;

	(void)state;
	df_fires(FROM_OK "ADD app.conf /etc/app/\n", "dockerfile/add-instead-of-copy", 2, 5);
	df_fires(FROM_OK "ADD --chown=1:1 src/ /app/\n", "dockerfile/add-instead-of-copy", 2, 17);
	df_fires(FROM_OK "ADD a.tar.gz b.conf /opt/\n", "dockerfile/add-instead-of-copy", 2, 14);
	df_fires(FROM_OK "ADD <<EOF /etc/motd\nhello\nEOF\n", "dockerfile/add-instead-of-copy", 2, 5);
	/* Archives are what ADD is for; URLs have their own rule. */
	df_quiet(FROM_OK "ADD rootfs.tar.xz /\n", "dockerfile/add-instead-of-copy");
	df_quiet(FROM_OK "ADD app.tgz /opt/\n", "dockerfile/add-instead-of-copy");
	df_quiet(FROM_OK "ADD https://example.com/x.tar.gz /opt/\n", "dockerfile/add-instead-of-copy");
	df_quiet(FROM_OK "ADD git@github.com:moby/buildkit.git /src\n", "dockerfile/add-instead-of-copy");
	df_quiet(FROM_OK "COPY app.conf /etc/app/\n", "dockerfile/add-instead-of-copy");

	df_fires(FROM_OK "ADD https://example.com/tool.tar.gz /opt/\n",
		 "dockerfile/add-remote-without-checksum", 2, 5);
	df_lint(FROM_OK "ADD http://example.com/tool /usr/bin/\n", &f);
	df_assert_at(&f, "dockerfile/add-remote-without-checksum", 2, 5);
	assert_int_equal(df_find(&f, "dockerfile/add-remote-without-checksum", 0)->severity, HD_SEV_HIGH);
	hd_findings_release(&f);
	df_fires(FROM_OK "ADD https://github.com/moby/buildkit.git#v0.13.0 /src\n",
		 "dockerfile/add-remote-without-checksum", 2, 5);
	df_quiet(FROM_OK "ADD --checksum=sha256:24454f830cdb571e2c4ad15481119c43b3cafd48dd869a9b2945d1036d1dc68d "
		 "https://example.com/tool.tar.gz /opt/\n",
		 "dockerfile/add-remote-without-checksum");
	df_quiet(FROM_OK "ADD https://github.com/moby/buildkit.git#6c2ffb4e5e7cdd8e4e3e1c4b1a2f7d7e8f9a0b1c /src\n",
		 "dockerfile/add-remote-without-checksum");
	df_quiet(FROM_OK "ADD app.tar.gz /opt/\n", "dockerfile/add-remote-without-checksum");
}

/* ---- DL3021 copy-dest-not-directory, DL3045 copy-relative-dest ---------- */

static void test_copy_dest(void **state)
{
	(void)state;
	df_fires(FROM_OK "COPY a.conf b.conf /etc/app\n", "dockerfile/copy-dest-not-directory", 2, 20);
	df_fires(FROM_OK "ADD a.conf b.conf /etc/app\n", "dockerfile/copy-dest-not-directory", 2, 19);
	df_fires(FROM_OK "COPY [\"a b\", \"c\", \"/dst\"]\n", "dockerfile/copy-dest-not-directory", 2, 0);
	df_quiet(FROM_OK "COPY a.conf b.conf /etc/app/\n", "dockerfile/copy-dest-not-directory");
	df_quiet(FROM_OK "COPY a.conf /etc/app\n", "dockerfile/copy-dest-not-directory");
	df_quiet(FROM_OK "COPY a b $DEST\n", "dockerfile/copy-dest-not-directory");

	df_fires(FROM_OK "COPY app.py .\n", "dockerfile/copy-relative-dest", 2, 13);
	df_fires(FROM_OK "COPY . app/\n", "dockerfile/copy-relative-dest", 2, 8);
	df_quiet(FROM_OK "WORKDIR /app\nCOPY app.py .\n", "dockerfile/copy-relative-dest");
	df_quiet(FROM_OK "COPY app.py /app/\n", "dockerfile/copy-relative-dest");
	df_quiet(FROM_OK "COPY app.py $APP_HOME\n", "dockerfile/copy-relative-dest");
	/* WORKDIR inherited from the stage used as base counts. */
	df_quiet("FROM " PINNED " AS base\nWORKDIR /app\nFROM base\nCOPY app.py .\n",
		 "dockerfile/copy-relative-dest");
	/* ... but not a WORKDIR of an unrelated stage. */
	df_fires("FROM " PINNED " AS build\nWORKDIR /app\n" FROM_OK "COPY app.py .\n",
		 "dockerfile/copy-relative-dest", 4, 13);
}

/* ---- DL3022 / DL3023 / DL3067: COPY --from ----------------------------- */

static void test_copy_from(void **state)
{
	(void)state;
	df_fires("FROM " PINNED " AS build\n" FROM_OK "COPY --from=biuld /a /a\n",
		 "dockerfile/copy-from-unknown-stage", 3, 6);
	df_fires(FROM_OK "COPY --from=2 /a /a\n", "dockerfile/copy-from-unknown-stage", 2, 6);
	/* A stage defined later is not an earlier stage. */
	df_fires(FROM_OK "COPY --from=later /a /a\nFROM " PINNED " AS later\n",
		 "dockerfile/copy-from-unknown-stage", 2, 6);
	df_quiet("FROM " PINNED " AS build\n" FROM_OK "COPY --from=build /a /a\n",
		 "dockerfile/copy-from-unknown-stage");
	/* Names are compared without case, as BuildKit does. */
	df_quiet("FROM " PINNED " AS Build\n" FROM_OK "COPY --from=build /a /a\n",
		 "dockerfile/copy-from-unknown-stage");
	df_quiet("FROM " PINNED "\n" FROM_OK "COPY --from=0 /a /a\n", "dockerfile/copy-from-unknown-stage");
	df_quiet(FROM_OK "COPY --from=nginx:1.25 /etc/nginx /etc/nginx\n", "dockerfile/copy-from-unknown-stage");
	df_quiet(FROM_OK "COPY --from=ghcr.io/org/tool /tool /tool\n", "dockerfile/copy-from-unknown-stage");
	df_quiet(FROM_OK "ARG SRC=build\nCOPY --from=$UNSET /a /a\n", "dockerfile/copy-from-unknown-stage");
	df_quiet("ARG BUILDER=build\nFROM " PINNED " AS build\n" FROM_OK "ARG BUILDER\nCOPY --from=${BUILDER} /a /a\n",
		 "dockerfile/copy-from-unknown-stage");
	/* Its own stage is the other rule's. */
	df_quiet("FROM " PINNED " AS app\nCOPY --from=app /a /b\n", "dockerfile/copy-from-unknown-stage");

	df_fires("FROM " PINNED " AS app\nCOPY --from=app /a /b\n", "dockerfile/copy-from-own-stage", 2, 6);
	df_fires("FROM " PINNED "\nFROM " PINNED "\nCOPY --from=1 /a /b\n", "dockerfile/copy-from-own-stage", 3, 6);
	df_quiet("FROM " PINNED " AS app\n" FROM_OK "COPY --from=app /a /b\n", "dockerfile/copy-from-own-stage");

	df_fires("FROM " PINNED " AS build\n" FROM_OK "COPY --from=build / /\n", "dockerfile/copy-whole-stage", 3, 19);
	df_quiet("FROM " PINNED " AS build\n" FROM_OK "COPY --from=build /out /\n", "dockerfile/copy-whole-stage");
	df_quiet("FROM " PINNED " AS build\n" FROM_OK "COPY --from=build / /rootfs/\n",
		 "dockerfile/copy-whole-stage");
	df_quiet(FROM_OK "COPY / /\n", "dockerfile/copy-whole-stage");
}

/* ---- DL3024 duplicate-stage-name, DL3063 reserved-stage-name ------------ */

static void test_stage_names(void **state)
{
	(void)state;
	df_fires("FROM " PINNED " AS build\nFROM " PINNED " AS build\n", "dockerfile/duplicate-stage-name", 2, 0);
	df_fires("FROM " PINNED " AS build\nFROM " PINNED " AS BUILD\n", "dockerfile/duplicate-stage-name", 2, 0);
	df_quiet("FROM " PINNED " AS build\nFROM " PINNED " AS test\n", "dockerfile/duplicate-stage-name");

	df_fires("FROM " PINNED " AS scratch\n", "dockerfile/reserved-stage-name", 1, 0);
	df_fires("FROM " PINNED " AS context\n", "dockerfile/reserved-stage-name", 1, 0);
	df_quiet("FROM " PINNED " AS contexts\n", "dockerfile/reserved-stage-name");
	df_quiet("FROM scratch\n", "dockerfile/reserved-stage-name");
}

/* ---- DL3025 shell-form-command ----------------------------------------- */

static void test_shell_form(void **state)
{
	(void)state;
	df_fires(FROM_OK "CMD /app --serve\n", "dockerfile/shell-form-command", 2, 5);
	df_fires(FROM_OK "ENTRYPOINT exec /app\n", "dockerfile/shell-form-command", 2, 12);
	df_quiet(FROM_OK "CMD [\"/app\", \"--serve\"]\n", "dockerfile/shell-form-command");
	df_quiet(FROM_OK "ENTRYPOINT [\"/app\"]\n", "dockerfile/shell-form-command");
	df_quiet(FROM_OK "RUN echo hi\n", "dockerfile/shell-form-command");
	df_quiet(FROM_OK "HEALTHCHECK CMD wget -q -O /dev/null http://localhost/ || exit 1\n",
		 "dockerfile/shell-form-command");
}

/* ---- DL3043 onbuild-invalid -------------------------------------------- */

static void test_onbuild(void **state)
{
	/* BuildKit refuses these, so the parser reports an error too. */
	struct df_opts o = { .allow_errors = true };

	(void)state;
	df_fires_opts(FROM_OK "ONBUILD ONBUILD RUN true\n", &o, "dockerfile/onbuild-invalid", 2, 9);
	df_fires_opts(FROM_OK "ONBUILD FROM alpine\n", &o, "dockerfile/onbuild-invalid", 2, 9);
	df_fires_opts(FROM_OK "ONBUILD MAINTAINER me\n", &o, "dockerfile/onbuild-invalid", 2, 9);
	df_quiet(FROM_OK "ONBUILD COPY . /app/\n", "dockerfile/onbuild-invalid");
	df_quiet(FROM_OK "ONBUILD RUN make\n", "dockerfile/onbuild-invalid");
}

/* ---- DL3044 env-same-instruction-reference ----------------------------- */

static void test_env_self_reference(void **state)
{
	(void)state;
	df_fires(FROM_OK "ENV A=/opt B=$A/bin\n", "dockerfile/env-same-instruction-reference", 2, 14);
	df_fires(FROM_OK "ENV A=/opt \\\n    B=${A}/bin\n", "dockerfile/env-same-instruction-reference", 3, 7);
	/* Referring to its own previous value is the common PATH idiom. */
	df_quiet(FROM_OK "ENV PATH=/opt/bin:$PATH\n", "dockerfile/env-same-instruction-reference");
	df_quiet(FROM_OK "ENV A=/opt\nENV B=$A/bin\n", "dockerfile/env-same-instruction-reference");
	df_quiet(FROM_OK "ENV B=$A/bin A=/opt\n", "dockerfile/env-same-instruction-reference");
	df_quiet(FROM_OK "ENV AB=1 B=$ABC\n", "dockerfile/env-same-instruction-reference");
	df_quiet(FROM_OK "ENV A=1 B=\\$A\n", "dockerfile/env-same-instruction-reference");
}

/* ---- DL3061 instruction-before-from ------------------------------------ */

static void test_instruction_before_from(void **state)
{
	/* BuildKit refuses these, so the parser reports an error too. */
	struct df_opts o = { .allow_errors = true };

	(void)state;
	df_fires_opts("LABEL a=b\n" FROM_OK, &o, "dockerfile/instruction-before-from", 1, 1);
	df_fires_opts("# syntax=docker/dockerfile:1\nARG X=1\nRUN true\n" FROM_OK, &o,
		      "dockerfile/instruction-before-from", 3, 1);
	df_fires_opts("RUN true\n", &o, "dockerfile/instruction-before-from", 1, 1);
	df_quiet("ARG BASE=alpine\nARG TAG=3.20\n" FROM_OK, "dockerfile/instruction-before-from");
	df_quiet("# comment\n\n" FROM_OK, "dockerfile/instruction-before-from");
}

/* ---- DL4000 maintainer ------------------------------------------------- */

static void test_maintainer(void **state)
{
	(void)state;
	df_fires(FROM_OK "MAINTAINER me@example.com\n", "dockerfile/maintainer", 2, 1);
	df_quiet(FROM_OK "LABEL org.opencontainers.image.authors=me@example.com\n", "dockerfile/maintainer");
}

/* ---- CIS 4.1 root-user (DL3002) ---------------------------------------- */

static void test_root_user(void **state)
{
	struct df_opts o = { .allow_errors = true };
	struct hd_findings f;

	(void)state;
	/* DL3002: the last USER of a stage names root (dockerd's reading: signed numbers too). */
	df_fires(FROM_OK "USER root\n", "dockerfile/root-user", 2, 6);
	df_fires(FROM_OK "USER 0\n", "dockerfile/root-user", 2, 6);
	df_fires(FROM_OK "USER 0:0\n", "dockerfile/root-user", 2, 6);
	df_fires(FROM_OK "USER root:app\n", "dockerfile/root-user", 2, 6);
	df_fires(FROM_OK "USER -0\n", "dockerfile/root-user", 2, 6);
	df_fires(FROM_OK "USER +0:wheel\n", "dockerfile/root-user", 2, 6);
	df_fires(FROM_OK "USER 000\n", "dockerfile/root-user", 2, 6);
	/* Switched back to root at the end. */
	df_fires(FROM_OK "USER 10001\nRUN true\nUSER root\n", "dockerfile/root-user", 4, 6);
	/* ARG expanded: USER $UID with UID=0 is root. */
	df_fires(FROM_OK "ARG UID=0\nUSER $UID\n", "dockerfile/root-user", 3, 6);
	/* Inherited from a stage used as base: reported at the base's USER, at the rule's severity. */
	df_fires("FROM " PINNED " AS base\nUSER root\nFROM base\nCMD [\"x\"]\n", "dockerfile/root-user", 2, 6);
	df_lint("FROM " PINNED " AS base\nUSER root\nFROM base\nCMD [\"x\"]\n", &f);
	assert_int_equal(df_find(&f, "dockerfile/root-user", 0)->severity, HD_SEV_HIGH);
	hd_findings_release(&f);
	/* A build stage that ends as root and does not ship: reported (as hadolint does) at info. */
	df_lint("FROM " PINNED " AS build\nUSER root\nRUN make\n" FROM_OK "USER 10001\n", &f);
	assert_int_equal(df_count(&f, "dockerfile/root-user"), 1);
	assert_int_equal(df_find(&f, "dockerfile/root-user", 0)->severity, HD_SEV_INFO);
	hd_findings_release(&f);
	df_quiet("FROM " PINNED " AS build\nUSER root\nUSER app\n" FROM_OK "USER 10001\n", "dockerfile/root-user");
	df_quiet(FROM_OK "USER 10001\n", "dockerfile/root-user");
	df_quiet(FROM_OK "USER app:app\n", "dockerfile/root-user");
	df_quiet(FROM_OK "USER 01000\n", "dockerfile/root-user");
	df_quiet(FROM_OK "USER -1\n", "dockerfile/root-user");
	/* No USER at all is dockerfile/no-user's. */
	df_quiet(FROM_OK "CMD [\"/app\"]\n", "dockerfile/root-user");
	/* User set in the base stage and kept. */
	df_quiet("FROM " PINNED " AS base\nUSER 10001\nFROM base\nCMD [\"x\"]\n", "dockerfile/root-user");
	/* Unknown value: left alone. */
	df_quiet(FROM_OK "USER $APP_UID\n", "dockerfile/root-user");
	/* No FROM: hadolint has no stage to judge either. */
	df_quiet_opts("USER root\n", &o, "dockerfile/root-user");
	df_fires("FROM mcr.microsoft.com/windows/servercore:ltsc2022\nUSER ContainerAdministrator\n",
		 "dockerfile/root-user", 2, 6);
	/* The message names what was found. */
	df_lint(FROM_OK "USER root\n", &f);
	assert_non_null(strstr(df_find(&f, "dockerfile/root-user", 0)->message, "'root'"));
	hd_findings_release(&f);
}

static void test_no_user(void **state)
{
	struct hd_findings f;

	(void)state;
	/* No USER: the official images run as root (high). */
	df_fires(FROM_OK "CMD [\"/app\"]\n", "dockerfile/no-user", 1, 6);
	df_fires("FROM python:3.12\nCMD [\"python\"]\n", "dockerfile/no-user", 1, 6);
	/* Images built to run unprivileged. */
	df_quiet("FROM gcr.io/distroless/static-debian12:nonroot\nCMD [\"/app\"]\n", "dockerfile/no-user");
	df_quiet("FROM mcr.microsoft.com/windows/nanoserver:ltsc2022\nCMD [\"app.exe\"]\n", "dockerfile/no-user");
	df_quiet("FROM nginxinc/nginx-unprivileged:1.27\n", "dockerfile/no-user");
	df_quiet("FROM bitnami/redis:7.2\n", "dockerfile/no-user");
	df_quiet("FROM selenium/standalone-chrome:4.21\n", "dockerfile/no-user");
	/* An image whose default user is not known: said so, at low. */
	df_lint("FROM myorg/base:1\nCMD [\"/app\"]\n", &f);
	assert_int_equal(df_find(&f, "dockerfile/no-user", 0)->severity, HD_SEV_LOW);
	assert_non_null(strstr(df_find(&f, "dockerfile/no-user", 0)->message, "not known"));
	hd_findings_release(&f);
	/* scratch: an artifact stage runs nothing; with an entrypoint it runs as uid 0. */
	df_quiet("FROM " PINNED " AS b\nRUN make\nFROM scratch\nCOPY --from=b /out /\n", "dockerfile/no-user");
	df_fires("FROM scratch\nCOPY app /app\nENTRYPOINT [\"/app\"]\n", "dockerfile/no-user", 1, 6);
	/* A USER anywhere in the chain: root-user's business, or fine. */
	df_quiet(FROM_OK "USER 10001\n", "dockerfile/no-user");
	df_quiet(FROM_OK "USER root\n", "dockerfile/no-user");
	df_quiet("FROM " PINNED " AS base\nUSER 10001\nFROM base\n", "dockerfile/no-user");
}

/* ---- DL3066 user-not-numeric ------------------------------------------- */

static void test_user_not_numeric(void **state)
{
	(void)state;
	df_fires(FROM_OK "USER app\n", "dockerfile/user-not-numeric", 2, 6);
	df_fires(FROM_OK "USER 10001:app\n", "dockerfile/user-not-numeric", 2, 6);
	df_quiet(FROM_OK "USER 10001\n", "dockerfile/user-not-numeric");
	df_quiet(FROM_OK "USER 10001:10001\n", "dockerfile/user-not-numeric");
	/* Only the final stage. */
	df_quiet("FROM " PINNED " AS build\nUSER builder\n" FROM_OK "USER 10001\n", "dockerfile/user-not-numeric");
	/* Root is the other rule's business. */
	df_quiet(FROM_OK "USER root\n", "dockerfile/user-not-numeric");
	df_quiet(FROM_OK "USER $APP_USER\n", "dockerfile/user-not-numeric");
	/* Windows users have no numeric ids. */
	df_quiet("FROM mcr.microsoft.com/windows/nanoserver:ltsc2022\nUSER ContainerUser\n",
		 "dockerfile/user-not-numeric");
}

/* ---- CIS 4.6 no-healthcheck (DL3057) ----------------------------------- */

static void test_no_healthcheck(void **state)
{
	struct hd_findings f;

	(void)state;
	df_fires(FROM_OK "USER 10001\n", "dockerfile/no-healthcheck", 1, 6);
	/* Only the final stage is judged. */
	df_fires("FROM " PINNED " AS build\nHEALTHCHECK CMD [\"x\"]\n" FROM_OK, "dockerfile/no-healthcheck", 3, 6);
	df_quiet("FROM " PINNED " AS build\nRUN make\n" FROM_OK "HEALTHCHECK CMD [\"x\"]\n",
		 "dockerfile/no-healthcheck");
	/* Inherited through a stage used as base. */
	df_quiet("FROM " PINNED " AS base\nHEALTHCHECK CMD [\"x\"]\nFROM base\nCMD [\"x\"]\n",
		 "dockerfile/no-healthcheck");
	/* HEALTHCHECK NONE: a deliberate opt-out, reported at info. */
	df_lint(FROM_OK "HEALTHCHECK NONE\n", &f);
	df_assert_at(&f, "dockerfile/no-healthcheck", 2, 1);
	assert_int_equal(df_find(&f, "dockerfile/no-healthcheck", 0)->severity, HD_SEV_INFO);
	hd_findings_release(&f);
}

/* ---- DL3006 / DL3007 / digests ------------------------------------------ */

static void test_base_tags(void **state)
{
	struct hd_findings f;

	(void)state;
	df_fires("FROM alpine:latest\n", "dockerfile/base-image-latest", 1, 6);
	/* ARG expanded before judging (hadolint misses this one). */
	df_fires("ARG TAG=latest\nFROM python:$TAG\n", "dockerfile/base-image-latest", 2, 6);
	df_fires("FROM --platform=linux/amd64 alpine:latest AS x\n", "dockerfile/base-image-latest", 1, 29);
	df_quiet("FROM alpine:latest@sha256:0a4eaa0eecf5f8c050e5bba433f58c052be7587ee8af3e8b3910ef9ab5fbe9f5\n",
		 "dockerfile/base-image-latest");
	df_quiet("FROM alpine:3.20\n", "dockerfile/base-image-latest");

	df_fires("FROM alpine\n", "dockerfile/base-image-untagged", 1, 6);
	df_fires("ARG BASE=ubuntu\nFROM $BASE\n", "dockerfile/base-image-untagged", 2, 6);
	df_fires("FROM registry.example.com:5000/team/app\n", "dockerfile/base-image-untagged", 1, 6);
	df_quiet("FROM scratch\n", "dockerfile/base-image-untagged");
	df_quiet("FROM alpine@sha256:0a4eaa0eecf5f8c050e5bba433f58c052be7587ee8af3e8b3910ef9ab5fbe9f5\n",
		 "dockerfile/base-image-untagged");
	df_quiet("FROM " PINNED " AS base\nFROM base\n", "dockerfile/base-image-untagged");
	df_quiet("ARG BASE\nFROM $BASE\n", "dockerfile/base-image-untagged");
	df_quiet("FROM ${REGISTRY}/app\n", "dockerfile/base-image-untagged");
	df_quiet("FROM registry.example.com:5000/team/app:1.0\n", "dockerfile/base-image-untagged");

	/* Intermediate stages: lower severity, and the message says which stage. */
	df_lint("FROM alpine AS build\n" FROM_OK, &f);
	df_assert_at(&f, "dockerfile/base-image-untagged", 1, 6);
	assert_int_equal(df_find(&f, "dockerfile/base-image-untagged", 0)->severity, HD_SEV_LOW);
	assert_non_null(strstr(df_find(&f, "dockerfile/base-image-untagged", 0)->message, "intermediate stage 'build'"));
	hd_findings_release(&f);
	df_lint("FROM alpine:latest AS base\nFROM base\n", &f);
	assert_int_equal(df_find(&f, "dockerfile/base-image-latest", 0)->severity, HD_SEV_MEDIUM);
	assert_non_null(strstr(df_find(&f, "dockerfile/base-image-latest", 0)->message, "base of the final stage"));
	hd_findings_release(&f);
	df_lint("FROM alpine:latest\n", &f);
	assert_non_null(strstr(df_find(&f, "dockerfile/base-image-latest", 0)->message, "'alpine:latest' of the final stage"));
	hd_findings_release(&f);

	df_fires("FROM alpine:3.20\n", "dockerfile/base-image-not-pinned", 1, 6);
	df_lint("FROM alpine:3.20 AS build\n" FROM_OK, &f);
	assert_int_equal(df_find(&f, "dockerfile/base-image-not-pinned", 0)->severity, HD_SEV_INFO);
	hd_findings_release(&f);
	/* One problem, one finding: untagged and latest are reported by their own rules. */
	df_quiet("FROM alpine\n", "dockerfile/base-image-not-pinned");
	df_quiet("FROM alpine:latest\n", "dockerfile/base-image-not-pinned");
	df_quiet(FROM_OK, "dockerfile/base-image-not-pinned");
	df_quiet("FROM scratch\n", "dockerfile/base-image-not-pinned");
}

/* ---- DL3026 trusted registries, allowed base images -------------------- */

static void test_base_policy(void **state)
{
	struct hd_config cfg;
	struct df_opts o = { 0 };

	(void)state;
	/* Without a list: not applicable. */
	df_quiet("FROM quay.io/acme/base:1.0\n", "dockerfile/base-image-untrusted-registry");
	df_quiet("FROM quay.io/acme/base:1.0\n", "dockerfile/base-image-not-allowed");

	hd_config_init(&cfg);
	o.cfg = &cfg;
	assert_int_equal(hd_strlist_add(&cfg.trusted_registries, "docker.io"), 0);
	assert_int_equal(hd_strlist_add(&cfg.trusted_registries, "*.corp.example"), 0);
	df_fires_opts("FROM quay.io/acme/base:1.0\n", &o, "dockerfile/base-image-untrusted-registry", 1, 6);
	df_fires_opts("FROM " PINNED " AS b\nFROM ghcr.io/x/y:1\n", &o,
		      "dockerfile/base-image-untrusted-registry", 2, 6);
	df_quiet_opts("FROM alpine:3.20\n", &o, "dockerfile/base-image-untrusted-registry");
	df_quiet_opts("FROM docker.io/library/alpine:3.20\n", &o, "dockerfile/base-image-untrusted-registry");
	df_quiet_opts("FROM registry.corp.example/base/py:3\n", &o, "dockerfile/base-image-untrusted-registry");
	df_quiet_opts("FROM scratch\n", &o, "dockerfile/base-image-untrusted-registry");
	df_quiet_opts("FROM ${REGISTRY}/x:1\n", &o, "dockerfile/base-image-untrusted-registry");
	hd_config_release(&cfg);

	hd_config_init(&cfg);
	assert_int_equal(hd_strlist_add(&cfg.allowed_base_images, "python:3.12*"), 0);
	assert_int_equal(hd_strlist_add(&cfg.allowed_base_images, "registry.corp.example/base/*"), 0);
	assert_int_equal(hd_strlist_add(&cfg.allowed_base_images, "alpine"), 0);
	assert_int_equal(hd_strlist_add(&cfg.allowed_base_images, "docker.io/library/debian:12"), 0);
	df_fires_opts("FROM ubuntu:24.04\n", &o, "dockerfile/base-image-not-allowed", 1, 6);
	df_fires_opts("FROM python:3.11-slim\n", &o, "dockerfile/base-image-not-allowed", 1, 6);
	df_fires_opts("FROM debian:11\n", &o, "dockerfile/base-image-not-allowed", 1, 6);
	df_quiet_opts("FROM python:3.12-slim\n", &o, "dockerfile/base-image-not-allowed");
	df_quiet_opts("FROM registry.corp.example/base/node:20\n", &o, "dockerfile/base-image-not-allowed");
	df_quiet_opts("FROM " PINNED "\n", &o, "dockerfile/base-image-not-allowed");
	df_quiet_opts("FROM docker.io/library/alpine:3.19\n", &o, "dockerfile/base-image-not-allowed");
	df_quiet_opts("FROM debian:12@sha256:0a4eaa0eecf5f8c050e5bba433f58c052be7587ee8af3e8b3910ef9ab5fbe9f5\n",
		      &o, "dockerfile/base-image-not-allowed");
	df_quiet_opts("FROM alpine:3.20 AS b\nFROM b\n", &o, "dockerfile/base-image-not-allowed");
	hd_config_release(&cfg);
}

/* ---- DL3029 / DL3065: FROM --platform ----------------------------------- */

static void test_platform(void **state)
{
	(void)state;
	df_fires("FROM --platform=linux/amd64 " PINNED "\n", "dockerfile/from-platform", 1, 6);
	df_quiet("FROM --platform=$BUILDPLATFORM " PINNED " AS build\n", "dockerfile/from-platform");
	df_quiet("FROM --platform=${TARGETPLATFORM} " PINNED "\n", "dockerfile/from-platform");
	df_quiet(FROM_OK, "dockerfile/from-platform");

	df_fires("FROM --platform=$TARGETPLATFORM " PINNED "\n", "dockerfile/from-platform-redundant", 1, 6);
	df_fires("FROM --platform=${TARGETPLATFORM} " PINNED "\n", "dockerfile/from-platform-redundant", 1, 6);
	df_quiet("FROM --platform=$BUILDPLATFORM " PINNED "\n", "dockerfile/from-platform-redundant");
}

/* ---- CIS 4.5 content-trust-disabled ------------------------------------- */

static void test_content_trust(void **state)
{
	(void)state;
	df_fires(FROM_OK "ENV DOCKER_CONTENT_TRUST=0\n", "dockerfile/content-trust-disabled", 2, 5);
	df_fires(FROM_OK "ARG DOCKER_CONTENT_TRUST=false\n", "dockerfile/content-trust-disabled", 2, 5);
	df_fires(FROM_OK "RUN DOCKER_CONTENT_TRUST=0 docker pull x\n", "dockerfile/content-trust-disabled", 2, 5);
	df_fires(FROM_OK "RUN export DOCKER_CONTENT_TRUST=0 && docker pull x\n",
		 "dockerfile/content-trust-disabled", 2, 12);
	df_fires(FROM_OK "RUN docker pull --disable-content-trust x\n", "dockerfile/content-trust-disabled", 2, 17);
	df_quiet(FROM_OK "ENV DOCKER_CONTENT_TRUST=1\n", "dockerfile/content-trust-disabled");
	df_quiet(FROM_OK "RUN docker pull --disable-content-trust=false x\n", "dockerfile/content-trust-disabled");
	df_quiet(FROM_OK "RUN echo DOCKER_CONTENT_TRUST=0\n", "dockerfile/content-trust-disabled");
	df_quiet(FROM_OK "ARG DOCKER_CONTENT_TRUST\n", "dockerfile/content-trust-disabled");
}

/* ---- DL3048-DL3058: labels ---------------------------------------------- */

static void test_label_key(void **state)
{
	(void)state;
	df_fires(FROM_OK "LABEL com.docker.version=1\n", "dockerfile/label-key-invalid", 2, 7);
	df_fires(FROM_OK "LABEL Version=1\n", "dockerfile/label-key-invalid", 2, 7);
	df_fires(FROM_OK "LABEL build_date=1\n", "dockerfile/label-key-invalid", 2, 7);
	df_fires(FROM_OK "LABEL a..b=1\n", "dockerfile/label-key-invalid", 2, 7);
	df_fires(FROM_OK "LABEL a=1 b-=2\n", "dockerfile/label-key-invalid", 2, 11);
	df_fires(FROM_OK "LABEL 1abc=2\n", "dockerfile/label-key-invalid", 2, 7);
	df_quiet(FROM_OK "LABEL org.opencontainers.image.version=1 maintainer=me io.k8s.display-name=x\n",
		 "dockerfile/label-key-invalid");
	df_quiet(FROM_OK "LABEL $KEY=1\n", "dockerfile/label-key-invalid");
}

static void test_label_schema(void **state)
{
	struct hd_config cfg;
	struct df_opts o = { 0 };

	(void)state;
	/* Without required labels: missing and not-in-schema are not applicable. */
	df_quiet(FROM_OK, "dockerfile/label-missing");

	hd_config_init(&cfg);
	o.cfg = &cfg;
	assert_int_equal(hd_strlist_add(&cfg.required_labels, "org.opencontainers.image.source:url"), 0);
	assert_int_equal(hd_strlist_add(&cfg.required_labels, "org.opencontainers.image.version:semver"), 0);
	assert_int_equal(hd_strlist_add(&cfg.required_labels, "team"), 0);
	assert_int_equal(hd_strlist_add(&cfg.required_labels, "contact:email"), 0);
	assert_int_equal(hd_strlist_add(&cfg.required_labels, "commit:hash"), 0);

	df_fires_opts(FROM_OK "LABEL org.opencontainers.image.source=https://x.example/a "
		      "org.opencontainers.image.version=1.0.0 contact=a@b.example commit=abcdef1\n",
		      &o, "dockerfile/label-missing", 1, 6);
	/* Labels of a build stage do not count; those of a stage used as base do. */
	df_quiet_opts("FROM " PINNED " AS base\nLABEL team=core org.opencontainers.image.source=https://x.example/a "
		      "org.opencontainers.image.version=1.0.0 contact=a@b.example commit=abcdef1\n"
		      "FROM base\n",
		      &o, "dockerfile/label-missing");

	df_fires_opts(FROM_OK "LABEL team=\"\"\n", &o, "dockerfile/label-empty", 2, 7);
	df_fires_opts(FROM_OK "LABEL org.opencontainers.image.version=\"\"\n", &o, "dockerfile/label-empty", 2, 7);
	df_quiet_opts(FROM_OK "LABEL team=core\n", &o, "dockerfile/label-empty");
	df_quiet_opts(FROM_OK "LABEL other=\"\"\n", &o, "dockerfile/label-empty");
	df_quiet_opts(FROM_OK "LABEL team=$TEAM\n", &o, "dockerfile/label-empty");

	df_fires_opts(FROM_OK "LABEL org.opencontainers.image.version=v1.2\n", &o,
		      "dockerfile/label-invalid-value", 2, 0);
	df_fires_opts(FROM_OK "LABEL contact=\"not an address\"\n", &o, "dockerfile/label-invalid-value", 2, 0);
	df_fires_opts(FROM_OK "LABEL commit=main\n", &o, "dockerfile/label-invalid-value", 2, 0);
	df_fires_opts(FROM_OK "LABEL org.opencontainers.image.source=github.com/a/b\n", &o,
		      "dockerfile/label-invalid-value", 2, 0);
	df_quiet_opts(FROM_OK "LABEL org.opencontainers.image.version=1.2.3-rc.1+build.5 "
		      "contact=\"Team A <team-a@corp.example>\" commit=0123456789abcdef0123456789abcdef01234567\n",
		      &o, "dockerfile/label-invalid-value");
	df_quiet_opts(FROM_OK "LABEL contact=ops@corp.example org.opencontainers.image.version=v2.0.1\n", &o,
		      "dockerfile/label-invalid-value");

	/* DL3050 is off by default; with a severity it reports labels outside the schema. */
	df_quiet_opts(FROM_OK "LABEL extra=1\n", &o, "dockerfile/label-not-in-schema");
	assert_int_equal(hd_config_set_override(&cfg, "DL3050", HD_SEV_INFO), 0);
	df_fires_opts(FROM_OK "LABEL team=core extra=1\n", &o, "dockerfile/label-not-in-schema", 2, 17);
	hd_config_release(&cfg);
}

static void test_label_types_default(void **state)
{
	(void)state;
	/* The OCI keys with a format in the spec are checked without any config. */
	df_fires(FROM_OK "LABEL org.opencontainers.image.source=\"github.com/a/b\"\n",
		 "dockerfile/label-invalid-value", 2, 0);
	df_fires(FROM_OK "LABEL org.opencontainers.image.created=\"2024-13-01T00:00:00Z\"\n",
		 "dockerfile/label-invalid-value", 2, 0);
	df_fires(FROM_OK "LABEL org.opencontainers.image.created=\"yesterday\"\n",
		 "dockerfile/label-invalid-value", 2, 0);
	df_fires(FROM_OK "LABEL org.opencontainers.image.licenses=\"MIT OR\"\n",
		 "dockerfile/label-invalid-value", 2, 0);
	df_fires(FROM_OK "LABEL org.label-schema.vcs-url=\"not a url\"\n", "dockerfile/label-invalid-value", 2, 0);
	df_quiet(FROM_OK "LABEL org.opencontainers.image.source=\"https://github.com/a/b\" "
		 "org.opencontainers.image.created=\"2024-05-01T12:00:00.123+02:00\" "
		 "org.opencontainers.image.licenses=\"(MIT OR Apache-2.0) AND GPL-2.0-only WITH Classpath-exception-2.0\"\n",
		 "dockerfile/label-invalid-value");
	df_quiet(FROM_OK "LABEL org.opencontainers.image.created=\"2024-05-01 12:00:00Z\" "
		 "org.opencontainers.image.licenses=LicenseRef-Proprietary\n",
		 "dockerfile/label-invalid-value");
	df_quiet(FROM_OK "ARG CREATED\nLABEL org.opencontainers.image.created=$CREATED\n",
		 "dockerfile/label-invalid-value");
	df_quiet(FROM_OK "LABEL org.opencontainers.image.version=whatever\n", "dockerfile/label-invalid-value");

	df_fires(FROM_OK "LABEL org.opencontainers.image.source=\"\"\n", "dockerfile/label-empty", 2, 7);
	df_quiet(FROM_OK "LABEL description=\"\"\n", "dockerfile/label-empty");
}

/* ---- DL3064 / CIS 4.10 secret-variable ---------------------------------- */

static void test_secret_variable(void **state)
{
	struct hd_findings f;

	(void)state;
	df_fires(FROM_OK "ENV DB_PASSWORD=hunter2\n", "dockerfile/secret-variable", 2, 5);
	df_fires(FROM_OK "ENV A=1 GITHUB_TOKEN=abc123\n", "dockerfile/secret-variable", 2, 9);
	df_fires(FROM_OK "ENV API_KEY abc123\n", "dockerfile/secret-variable", 2, 5);
	df_fires(FROM_OK "ENV dbPassword=hunter2\n", "dockerfile/secret-variable", 2, 5);
	df_fires(FROM_OK "ENV SECRET_KEY_BASE=abcdef\n", "dockerfile/secret-variable", 2, 5);
	df_fires(FROM_OK "ENV AWS_SECRET_ACCESS_KEY=abcdef\n", "dockerfile/secret-variable", 2, 5);
	df_fires(FROM_OK "ENV MYSQL_ROOT_PASSWD=x\n", "dockerfile/secret-variable", 2, 5);
	df_fires(FROM_OK "LABEL api.token=abcd\n", "dockerfile/secret-variable", 2, 7);
	df_fires(FROM_OK "ARG PRIVATE_KEY=abcd\n", "dockerfile/secret-variable", 2, 5);
	/* ARG without default: the value comes from --build-arg, still in the history. */
	df_lint(FROM_OK "ARG NPM_TOKEN\n", &f);
	df_assert_at(&f, "dockerfile/secret-variable", 2, 5);
	assert_int_equal(df_find(&f, "dockerfile/secret-variable", 0)->severity, HD_SEV_MEDIUM);
	assert_non_null(strstr(df_find(&f, "dockerfile/secret-variable", 0)->message, "NPM_TOKEN"));
	hd_findings_release(&f);
	df_lint(FROM_OK "ENV DB_PASSWORD=hunter2\n", &f);
	assert_string_equal(df_find(&f, "dockerfile/secret-variable", 0)->message,
			    "ENV 'DB_PASSWORD' holds a secret: it stays in the image config for anyone "
			    "who can pull the image");
	assert_int_equal(df_find(&f, "dockerfile/secret-variable", 0)->end_col, 16);
	hd_findings_release(&f);

	/* Names about a secret, not holding one. */
	df_quiet(FROM_OK "ENV PASSWORD_FILE=/run/secrets/db\n", "dockerfile/secret-variable");
	df_quiet(FROM_OK "ENV TOKEN_URL=https://auth.example/token\n", "dockerfile/secret-variable");
	df_quiet(FROM_OK "ENV SECRET_PATH=secret/data/app\n", "dockerfile/secret-variable");
	df_quiet(FROM_OK "ENV DB_PASSWORD_FILE=/run/secrets/db GITHUB_TOKEN_PATH=x KEYCLOAK_USER=admin\n",
		 "dockerfile/secret-variable");
	df_quiet(FROM_OK "ENV AWS_ACCESS_KEY_ID=x SECRET_NAME=db TOKEN_TTL=3600\n", "dockerfile/secret-variable");
	df_quiet(FROM_OK "ENV GPG_KEY=A035C8C19219BA821ECEA86B64E628F8D684696D\n", "dockerfile/secret-variable");
	df_quiet(FROM_OK "ENV TOKENIZER_MODEL=bert KEYBOARD=us PASSTHROUGH=1 BYPASS=1\n",
		 "dockerfile/secret-variable");
	/* Values that cannot be secrets. */
	df_quiet(FROM_OK "ENV DB_PASSWORD=\"\"\n", "dockerfile/secret-variable");
	df_quiet(FROM_OK "ENV MYSQL_ALLOW_EMPTY_PASSWORD=yes MYSQL_RANDOM_ROOT_PASSWORD=true\n",
		 "dockerfile/secret-variable");
	df_lint(FROM_OK "ARG DB_PASSWORD\nENV DB_PASSWORD=${DB_PASSWORD}\n", &f);
	assert_int_equal(df_count(&f, "dockerfile/secret-variable"), 1); /* the ARG, not the ENV */
	df_assert_at(&f, "dockerfile/secret-variable", 2, 5);
	hd_findings_release(&f);
	df_quiet(FROM_OK "ENV SSL_PRIVATE_KEY=/etc/ssl/private/key.pem\n", "dockerfile/secret-variable");
	df_quiet(FROM_OK "ENV RESET_OS_PASSWORD=resetOSPassword.sh\n", "dockerfile/secret-variable");
	/* A value with a credential shape is the other rule's, more precise finding. */
	df_quiet(FROM_OK "ENV GITHUB_TOKEN=ghp_abcdefghijklmnopqrstuvwxyz0123456789\n", "dockerfile/secret-variable");
}

/* ---- CIS 4.10 hardcoded-credential ------------------------------------ */

static void test_hardcoded_credential(void **state)
{
	struct hd_findings f;

	(void)state;
	df_fires(FROM_OK "ENV AWS_ACCESS_KEY_ID=AKIAZ7VRSQ2LMT5NQPWX\n", "dockerfile/hardcoded-credential", 2, 23);
	df_fires(FROM_OK "ENV AWS_SECRET_ACCESS_KEY=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\n",
		 "dockerfile/hardcoded-credential", 2, 27);
	df_fires(FROM_OK "ENV X=ghp_abcdefghijklmnopqrstuvwxyz0123456789\n", "dockerfile/hardcoded-credential", 2, 7);
	df_fires(FROM_OK "ARG T=github_pat_11ABCDEFG0123456789_abcdefghijklmnopqrstuvwxyz\n",
		 "dockerfile/hardcoded-credential", 2, 7);
	df_fires(FROM_OK "LABEL x=xoxb-1234567890-abcdefghij\n", "dockerfile/hardcoded-credential", 2, 9);
	df_fires(FROM_OK "ENV G=AIzaSyCkfPOPZXDKNn8hhgu3JrA62wIgC93d44k\n", "dockerfile/hardcoded-credential", 2, 7);
	df_fires(FROM_OK "ENV K=\"-----BEGIN RSA PRIVATE KEY-----\"\n", "dockerfile/hardcoded-credential", 2, 0);
	df_fires(FROM_OK "ENV J=eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxMjM0NTY3ODkwIn0.dozjgNryP4J3jVmNHl0w5N_XgL0n3I9PlFUP0THsR8U\n",
		 "dockerfile/hardcoded-credential", 2, 7);
	df_fires(FROM_OK "ENV DB=postgres://app:s3cr3t@db:5432/app\n", "dockerfile/hardcoded-credential", 2, 8);
	/* In RUN text, at the exact column. */
	df_fires(FROM_OK "RUN git clone https://bob:hunter2@github.com/acme/app.git /src\n",
		 "dockerfile/hardcoded-credential", 2, 15);
	df_fires(FROM_OK "RUN apt-get update && \\\n    curl -H 'Authorization: token ghp_abcdefghijklmnopqrstuvwxyz0123456789' https://x\n",
		 "dockerfile/hardcoded-credential", 3, 35);
	df_fires(FROM_OK "RUN aws configure set aws_secret_access_key wJalrXUtnFEMI/K7MDENG/bPxRfiCYzzzzzzzzzz\n",
		 "dockerfile/hardcoded-credential", 2, 45);
	df_fires(FROM_OK "RUN [\"curl\", \"-u\", \"x\", \"https://u:p4ss@example.com/\"]\n",
		 "dockerfile/hardcoded-credential", 2, 0);
	df_fires(FROM_OK "COPY <<EOF /root/.config\ntoken = ghp_abcdefghijklmnopqrstuvwxyz0123456789\nEOF\n",
		 "dockerfile/hardcoded-credential", 3, 9);
	df_fires(FROM_OK "ADD https://user:pw123@example.com/a.tgz /opt/\n", "dockerfile/hardcoded-credential", 2, 0);
	/* Messages show only a prefix. */
	df_lint(FROM_OK "ENV X=ghp_abcdefghijklmnopqrstuvwxyz0123456789\n", &f);
	assert_string_equal(df_find(&f, "dockerfile/hardcoded-credential", 0)->message,
			    "ENV 'X' holds a GitHub token ('ghp_...')");
	hd_findings_release(&f);
	df_lint(FROM_OK "ENV DB=postgres://app:s3cr3t@db:5432/app\n", &f);
	assert_null(strstr(df_find(&f, "dockerfile/hardcoded-credential", 0)->message, "s3cr3t"));
	hd_findings_release(&f);

	/*
	 * Each kind of trigger at every place of a RUN line (the scan takes 16
	 * bytes at a time, the pairs before '_' only in blocks that hold one),
	 * and look-alikes with '_' and '-' at every place.
	 */
	{
		static const char *const tokens[] = {
			"ghp_abcdefghijklmnopqrstuvwxyz0123456789", "npm_abcdefghijklmnopqrstuvwxyz0123456789",
			"sk_live_abcdefghijklmnop01234567", "glpat-abcdefghij0123456789", "xoxb-1234567890-abcdefghij",
			"AKIAZ7VRSQ2LMT5NQPWX", "github_pat_11ABCDEFG0123456789_abcdefghijklmnopqrstuvwxyz",
		};
		char text[256], pad[48];
		size_t t, n;

		for (n = 0; n < 40; n++) {
			memset(pad, 'x', n);
			pad[n] = '\0';
			for (t = 0; t < HD_ARRAY_SIZE(tokens); t++) {
				snprintf(text, sizeof(text), FROM_OK "RUN echo %s %s && true\n", pad, tokens[t]);
				df_fires(text, "dockerfile/hardcoded-credential", 2, (unsigned)(11 + n));
			}
			snprintf(text, sizeof(text), FROM_OK "RUN echo %s my_ghp_var at_tok hx-y pm_x --no-cache -- a:b\n", pad);
			df_quiet(text, "dockerfile/hardcoded-credential");
		}
	}

	/* Documentation keys, variables, placeholders, look-alikes. */
	df_quiet(FROM_OK "ENV AWS_ACCESS_KEY_ID=AKIAIOSFODNN7EXAMPLE\n", "dockerfile/hardcoded-credential");
	df_quiet(FROM_OK "ENV AWS_SECRET_ACCESS_KEY=wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY\n",
		 "dockerfile/hardcoded-credential");
	df_quiet(FROM_OK "RUN git clone https://${GH_USER}:${GH_TOKEN}@github.com/acme/app.git\n",
		 "dockerfile/hardcoded-credential");
	df_quiet(FROM_OK "RUN curl https://user:****@example.com/ https://user@example.com/\n",
		 "dockerfile/hardcoded-credential");
	df_quiet(FROM_OK "RUN curl -fsSL https://example.com:8443/path?a=b:c@d\n", "dockerfile/hardcoded-credential");
	df_quiet(FROM_OK "RUN echo AKIA && echo ghp_short && echo xoxb-1\n", "dockerfile/hardcoded-credential");
	df_quiet(FROM_OK "RUN apt-get install -y --no-install-recommends ca-certificates=20230311 git_tools\n",
		 "dockerfile/hardcoded-credential");
	df_quiet(FROM_OK "RUN sha256sum -c <<<'0a4eaa0eecf5f8c050e5bba433f58c052be7587ee8af3e8b3910ef9ab5fbe9f5  x'\n",
		 "dockerfile/hardcoded-credential");
	df_quiet(FROM_OK "RUN git clone git@github.com:acme/app.git\n", "dockerfile/hardcoded-credential");
	df_quiet(FROM_OK "ENV KEYRING=\"-----BEGIN PGP PUBLIC KEY BLOCK-----\"\n", "dockerfile/hardcoded-credential");
}

/* ---- CIS 4.10 secret-file-copied --------------------------------------- */

static void test_secret_file(void **state)
{
	(void)state;
	df_fires(FROM_OK "COPY .env /app/\n", "dockerfile/secret-file-copied", 2, 6);
	df_fires(FROM_OK "COPY .env.production /app/.env\n", "dockerfile/secret-file-copied", 2, 6);
	df_fires(FROM_OK "COPY id_rsa /root/.ssh/id_rsa\n", "dockerfile/secret-file-copied", 2, 6);
	df_fires(FROM_OK "COPY keys/id_ed25519 /k\n", "dockerfile/secret-file-copied", 2, 6);
	df_fires(FROM_OK "COPY server.key /etc/ssl/private/\n", "dockerfile/secret-file-copied", 2, 6);
	df_fires(FROM_OK "COPY tls/*.pem /etc/tls/\n", "dockerfile/secret-file-copied", 2, 6);
	df_fires(FROM_OK "COPY store.p12 /app/\n", "dockerfile/secret-file-copied", 2, 6);
	df_fires(FROM_OK "COPY .npmrc package.json /app/\n", "dockerfile/secret-file-copied", 2, 6);
	df_fires(FROM_OK "ADD .pypirc /root/\n", "dockerfile/secret-file-copied", 2, 5);
	df_fires(FROM_OK "COPY netrc /root/.netrc\n", "dockerfile/secret-file-copied", 2, 12);
	df_fires(FROM_OK "COPY .git-credentials /root/\n", "dockerfile/secret-file-copied", 2, 6);
	df_fires(FROM_OK "COPY aws/credentials /root/.aws/credentials\n", "dockerfile/secret-file-copied", 2, 22);
	df_fires(FROM_OK "COPY .aws/credentials /root/.aws/\n", "dockerfile/secret-file-copied", 2, 6);
	df_fires(FROM_OK "COPY .docker/config.json /root/.docker/\n", "dockerfile/secret-file-copied", 2, 6);
	df_fires(FROM_OK "COPY .ssh /root/.ssh\n", "dockerfile/secret-file-copied", 2, 6);
	df_fires(FROM_OK "COPY adc.json /root/.config/gcloud/application_default_credentials.json\n",
		 "dockerfile/secret-file-copied", 2, 15);
	df_fires(FROM_OK "COPY kubeconfig /root/\n", "dockerfile/secret-file-copied", 2, 6);
	df_fires(FROM_OK "COPY config /root/.kube/config\n", "dockerfile/secret-file-copied", 2, 13);
	df_fires(FROM_OK "COPY release.jks /app/\n", "dockerfile/secret-file-copied", 2, 6);
	df_fires(FROM_OK "COPY ssh/ /home/app/.ssh/\n", "dockerfile/secret-file-copied", 2, 11);
	df_fires("FROM " PINNED " AS build\n" FROM_OK "COPY --from=build /root/.npmrc /root/\n",
		 "dockerfile/secret-file-copied", 3, 19);
	df_fires(FROM_OK "COPY <<EOF /root/.npmrc\n//registry.npmjs.org/:_authToken=x\nEOF\n",
		 "dockerfile/secret-file-copied", 2, 12);

	df_quiet(FROM_OK "COPY .env.example /app/\n", "dockerfile/secret-file-copied");
	df_quiet(FROM_OK "COPY .env.sample .env.template /app/\n", "dockerfile/secret-file-copied");
	df_quiet(FROM_OK "COPY id_rsa.pub /root/.keys/\n", "dockerfile/secret-file-copied");
	df_quiet(FROM_OK "COPY ca-cert.pem cert.pem fullchain.pem ca.pem /etc/ssl/certs/\n", "dockerfile/secret-file-copied");
	df_quiet(FROM_OK "COPY ffdhe4096.pem /etc/postfix/dhparams.pem\n", "dockerfile/secret-file-copied");
	df_quiet(FROM_OK "COPY jenkins.io-2026.key /war/jenkins-key.pub\n", "dockerfile/secret-file-copied");
	df_quiet(FROM_OK "COPY nodesource.gpg.key /usr/share/keyrings/\n", "dockerfile/secret-file-copied");
	df_quiet(FROM_OK "COPY app.py keyboard.map /app/\n", "dockerfile/secret-file-copied");
	df_quiet(FROM_OK "COPY $SECRET_FILE /app/\n", "dockerfile/secret-file-copied");
	df_quiet(FROM_OK "RUN --mount=type=secret,id=npmrc,target=/root/.npmrc npm ci\n", "dockerfile/secret-file-copied");
}

/* ---- no-dockerignore ---------------------------------------------------- */

static void test_no_dockerignore(void **state)
{
	struct df_opts known = { .dockerignore_known = true };
	struct df_opts has = { .dockerignore_known = true, .has_dockerignore = true };
	struct hd_findings f;

	(void)state;
	/* Standard input and examples: the context is unknown. */
	df_quiet(FROM_OK "COPY . /app\n", "dockerfile/no-dockerignore");
	df_fires_opts(FROM_OK "COPY . /app\n", &known, "dockerfile/no-dockerignore", 2, 6);
	df_fires_opts(FROM_OK "COPY app.py /app/\nCOPY ./ /app/\n", &known, "dockerfile/no-dockerignore", 3, 6);
	df_lint_opts(FROM_OK "COPY app.py /app/\n", &known, &f);
	df_assert_at(&f, "dockerfile/no-dockerignore", 2, 6);
	assert_int_equal(df_find(&f, "dockerfile/no-dockerignore", 0)->severity, HD_SEV_LOW);
	hd_findings_release(&f);
	df_quiet_opts(FROM_OK "COPY . /app\n", &has, "dockerfile/no-dockerignore");
	/* Nothing read from the context: no .dockerignore needed. */
	df_quiet_opts(FROM_OK "RUN true\n", &known, "dockerfile/no-dockerignore");
	df_quiet_opts("FROM " PINNED " AS b\n" FROM_OK "COPY --from=b /a /a\n", &known, "dockerfile/no-dockerignore");
	df_quiet_opts(FROM_OK "ADD https://example.com/a.tgz /opt/\n", &known, "dockerfile/no-dockerignore");
}

/* ---- the rules only report what the model says: odd inputs ------------ */

static void test_robust(void **state)
{
	struct df_opts o = { .allow_errors = true, .dockerignore_known = true };
	static const char *const inputs[] = {
		"",
		"\n\n",
		"FROM\n",
		"COPY\n",
		"FROM alpine AS\n",
		"COPY --from= a b\n",
		"USER\nWORKDIR\nEXPOSE\nLABEL\nENV\nARG\nADD\nONBUILD\n",
		"FROM x\nEXPOSE /tcp - -/udp 1-\n",
		"FROM x\nLABEL =\n",
		"FROM x\nENV A=$\n",
		"FROM x\nRUN echo AKIA\nRUN :// ://@ a:@b\n",
		"FROM x\nRUN -----BEGIN \n",
		"FROM x\nRUN eyJ.eyJ.\n",
		"FROM x\nADD https://\n",
	};
	size_t i;

	(void)state;
	for (i = 0; i < HD_ARRAY_SIZE(inputs); i++) {
		struct hd_findings f;

		df_lint_opts(inputs[i], &o, &f);
		hd_findings_release(&f);
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_examples_clean),
		cmocka_unit_test(test_inline_ignore),
		cmocka_unit_test(test_workdir_relative),
		cmocka_unit_test(test_expose),
		cmocka_unit_test(test_repeated),
		cmocka_unit_test(test_add),
		cmocka_unit_test(test_copy_dest),
		cmocka_unit_test(test_copy_from),
		cmocka_unit_test(test_stage_names),
		cmocka_unit_test(test_shell_form),
		cmocka_unit_test(test_onbuild),
		cmocka_unit_test(test_env_self_reference),
		cmocka_unit_test(test_instruction_before_from),
		cmocka_unit_test(test_maintainer),
		cmocka_unit_test(test_root_user),
		cmocka_unit_test(test_no_user),
		cmocka_unit_test(test_user_not_numeric),
		cmocka_unit_test(test_no_healthcheck),
		cmocka_unit_test(test_base_tags),
		cmocka_unit_test(test_base_policy),
		cmocka_unit_test(test_platform),
		cmocka_unit_test(test_content_trust),
		cmocka_unit_test(test_label_key),
		cmocka_unit_test(test_label_schema),
		cmocka_unit_test(test_label_types_default),
		cmocka_unit_test(test_secret_variable),
		cmocka_unit_test(test_hardcoded_credential),
		cmocka_unit_test(test_secret_file),
		cmocka_unit_test(test_no_dockerignore),
		cmocka_unit_test(test_robust),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
