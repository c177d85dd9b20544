/*
 * Unit tests for the Dockerfile rules on RUN commands and package managers
 * (rules/dockerfile_run.c, rules/dockerfile_pkg.c, rules/df_util.c).  Each
 * rule gets snippets that fire it (rule id, line and column of the word to
 * fix) and snippets that keep it quiet, among them the cases where hadolint
 * reports and should not.  Snippets start with a FROM on line 1, so the RUN
 * under test is on line 2 unless said otherwise.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <cmocka.h>

#include "core/common.h"
#include "core/config.h"
#include "core/finding.h"
#include "model/dockerfile.h"

#include "df_helper.h"

#define FROM "FROM debian:12\n"

/* Fires dockerfile/<id> exactly once, at line:col. */
static void F(const char *text, const char *id, unsigned line, unsigned col)
{
	char full[128];

	snprintf(full, sizeof(full), "dockerfile/%s", id);
	df_fires(text, full, line, col);
}

/* Stays quiet for dockerfile/<id>. */
static void Q(const char *text, const char *id)
{
	char full[128];

	snprintf(full, sizeof(full), "dockerfile/%s", id);
	df_quiet(text, full);
}

/* The number of findings of id for text. */
static size_t count(const char *text, const char *id)
{
	struct hd_findings f;
	char full[128];
	size_t n;

	snprintf(full, sizeof(full), "dockerfile/%s", id);
	df_lint(text, &f);
	n = df_count(&f, full);
	hd_findings_release(&f);
	return n;
}

/* The message of the first finding of id for text contains needle. */
static void message_has(const char *text, const char *id, const char *needle)
{
	struct hd_findings f;
	const struct hd_finding *x;
	char full[128];

	snprintf(full, sizeof(full), "dockerfile/%s", id);
	df_lint(text, &f);
	x = df_find(&f, full, 0);
	if (!x || !strstr(x->message, needle)) {
		print_error("expected a %s message with '%s'; findings:\n", full, needle);
		df_print(&f);
		fail();
	}
	hd_findings_release(&f);
}

/* ---- apt-get ---------------------------------------------------------------- */

static void test_apt_get_unpinned(void **state)
{
	(void)state;
	F(FROM "RUN apt-get install -y curl\n", "apt-get-unpinned", 2, 24);
	F(FROM "RUN sudo apt-get -q install --no-install-recommends -y curl=7.88 wget\n", "apt-get-unpinned", 2, 66);
	F(FROM "RUN apt-get -o Dpkg::Options::=--force-confold install -y nginx\n", "apt-get-unpinned", 2, 59);
	F(FROM "RUN apt install -y curl=1 jq\n", "apt-get-unpinned", 2, 27);
	F(FROM "RUN DEBIAN_FRONTEND=noninteractive apt-get install -y tzdata\n", "apt-get-unpinned", 2, 55);
	/* A list from an ARG is judged by its value, at the word that names it. */
	F(FROM "ARG PKGS=\"curl git=1:2.39\"\nRUN apt-get install -y $PKGS\n", "apt-get-unpinned", 3, 24);
	message_has(FROM "ARG PKGS=\"curl git=1:2.39\"\nRUN apt-get install -y $PKGS\n", "apt-get-unpinned",
		    "'curl' (from $PKGS)");
	/* Heredoc scripts are part of the RUN. */
	F(FROM "RUN <<EOF\nset -e\napt-get install -y curl\nEOF\n", "apt-get-unpinned", 4, 20);
	/* ONBUILD RUN is checked too. */
	F(FROM "ONBUILD RUN apt-get install -y curl\n", "apt-get-unpinned", 2, 32);
	assert_int_equal(count(FROM "RUN apt-get install -y a b c=1 d\n", "apt-get-unpinned"), 3);
	message_has(FROM "RUN apt-get install -y curl\n", "apt-get-unpinned",
		    "apt-get install 'curl' without a version pin: use curl=<version>");

	Q(FROM "RUN apt-get install -y curl=7.88.1-10+deb12u5\n", "apt-get-unpinned");
	Q(FROM "RUN apt-get install -y ./foo.deb /tmp/bar.deb\n", "apt-get-unpinned");
	Q(FROM "RUN apt-get install -y -t bookworm-backports curl=8.1\n", "apt-get-unpinned");
	Q(FROM "RUN apt-get install -y curl/bookworm-backports\n", "apt-get-unpinned");
	Q(FROM "ARG V=1.2\nRUN apt-get install -y curl=$V\n", "apt-get-unpinned");
	Q(FROM "RUN apt-get install -y $UNKNOWN_PACKAGES\n", "apt-get-unpinned");
	Q(FROM "RUN apt-get update\n", "apt-get-unpinned");
	Q(FROM "RUN echo apt-get install curl\n", "apt-get-unpinned");
	Q(FROM "RUN apt-get remove -y curl\n", "apt-get-unpinned");
	Q(FROM "RUN [\"apt-get\", \"install\", \"-y\", \"curl=1\"]\n", "apt-get-unpinned");
}

static void test_apt_lists_not_removed(void **state)
{
	(void)state;
	F(FROM "RUN apt-get update && apt-get install -y curl=1\n", "apt-lists-not-removed", 2, 13);
	/* Removing the lists before the update does not help. */
	F(FROM "RUN rm -rf /var/lib/apt/lists/* && apt-get update && apt-get install -y x=1\n",
	  "apt-lists-not-removed", 2, 44);
	F(FROM "RUN apt update\n", "apt-lists-not-removed", 2, 9);
	/* A base stage of the final one ships its layers. */
	F("FROM debian:12 AS base\nRUN apt-get update && apt-get install -y gcc=1\nFROM base\nCMD [\"x\"]\n",
	  "apt-lists-not-removed", 2, 13);

	Q(FROM "RUN apt-get update && apt-get install -y curl=1 && rm -rf /var/lib/apt/lists/*\n",
	  "apt-lists-not-removed");
	Q(FROM "RUN apt-get update && apt-get install -y curl=1 && rm -rf /var/lib/apt/lists\n",
	  "apt-lists-not-removed");
	Q(FROM "RUN apt-get update && apt-get install -y curl=1 && apt-get clean && rm -rf /var/lib/apt/*\n",
	  "apt-lists-not-removed");
	Q(FROM "RUN --mount=type=cache,target=/var/lib/apt/lists apt-get update && apt-get install -y x=1\n",
	  "apt-lists-not-removed");
	Q(FROM "RUN --mount=type=cache,target=/var/lib/apt,sharing=locked apt-get update\n",
	  "apt-lists-not-removed");
	Q(FROM "RUN apt-get update && apt-get install -y x=1 && apt-get distclean\n", "apt-lists-not-removed");
	Q(FROM "RUN apt-get install -y x=1\n", "apt-lists-not-removed");
	/* hadolint reports builder stages whose layers never reach the image. */
	Q("FROM debian:12 AS build\nRUN apt-get update && apt-get install -y gcc=1\n"
	  "FROM debian:12\nCOPY --from=build /x /x\n",
	  "apt-lists-not-removed");
}

static void test_apt_get_missing_yes(void **state)
{
	(void)state;
	F(FROM "RUN apt-get install curl=1\n", "apt-get-missing-yes", 2, 13);
	F(FROM "RUN apt-get remove curl\n", "apt-get-missing-yes", 2, 13);
	F(FROM "RUN apt-get -q dist-upgrade\n", "apt-get-missing-yes", 2, 16);
	message_has(FROM "RUN apt-get install curl=1\n", "apt-get-missing-yes", "use apt-get install -y");

	Q(FROM "RUN apt-get install -y curl=1\n", "apt-get-missing-yes");
	Q(FROM "RUN apt-get -y install curl=1\n", "apt-get-missing-yes");
	Q(FROM "RUN apt-get install --yes curl=1\n", "apt-get-missing-yes");
	Q(FROM "RUN apt-get install --assume-yes curl=1\n", "apt-get-missing-yes");
	Q(FROM "RUN apt-get install -qy curl=1\n", "apt-get-missing-yes");
	Q(FROM "RUN apt-get -qq install curl=1\n", "apt-get-missing-yes");
	Q(FROM "RUN apt-get -q=2 install curl=1\n", "apt-get-missing-yes");
	Q(FROM "RUN apt-get -o APT::Get::Assume-Yes=true install curl=1\n", "apt-get-missing-yes");
	Q(FROM "RUN yes | apt-get install curl=1\n", "apt-get-missing-yes");
	Q(FROM "RUN apt-get update\n", "apt-get-missing-yes");
	Q(FROM "RUN apt-get clean\n", "apt-get-missing-yes");
}

static void test_apt_get_install_recommends(void **state)
{
	(void)state;
	F(FROM "RUN apt-get install -y curl=1\n", "apt-get-install-recommends", 2, 13);
	F(FROM "RUN apt install -y curl=1\n", "apt-get-install-recommends", 2, 9);

	Q(FROM "RUN apt-get install -y --no-install-recommends curl=1\n", "apt-get-install-recommends");
	Q(FROM "RUN apt-get install -y -o APT::Install-Recommends=false curl=1\n", "apt-get-install-recommends");
	Q(FROM "RUN echo 'APT::Install-Recommends \"false\";' > /etc/apt/apt.conf.d/99norec\n"
	       "ENV A=1\nRUN apt-get install -y curl=1\n",
	  "apt-get-install-recommends");
	Q(FROM "RUN apt-get update\n", "apt-get-install-recommends");
}

static void test_apt_instead_of_apt_get(void **state)
{
	(void)state;
	F(FROM "RUN apt install -y curl=1\n", "apt-instead-of-apt-get", 2, 5);
	F(FROM "RUN apt-get update && apt upgrade -y\n", "apt-instead-of-apt-get", 2, 23);

	Q(FROM "RUN apt-get install -y curl=1\n", "apt-instead-of-apt-get");
	Q(FROM "RUN apt-cache policy curl\n", "apt-instead-of-apt-get");
	Q(FROM "RUN apt --version\n", "apt-instead-of-apt-get");
}

static void test_apt_get_update_alone(void **state)
{
	(void)state;
	F(FROM "RUN apt-get update\n", "apt-get-update-alone", 2, 13);
	F(FROM "RUN apk update\n", "apt-get-update-alone", 2, 9);
	F(FROM "RUN apt-get update && apt-get clean\n", "apt-get-update-alone", 2, 13);
	F(FROM "RUN apt-get -q update\n", "apt-get-update-alone", 2, 16);

	Q(FROM "RUN apt-get update && apt-get install -y curl=1\n", "apt-get-update-alone");
	Q(FROM "RUN apt-get update && apt-get upgrade -y\n", "apt-get-update-alone");
	Q(FROM "RUN apt-get update\\\n && xargs apt-get install -y < /pkgs\n", "apt-get-update-alone");
	Q(FROM "RUN apk update && apk add curl=1\n", "apt-get-update-alone");
	Q(FROM "RUN apt-get install -y curl=1\n", "apt-get-update-alone");
}

static void test_debian_frontend_env(void **state)
{
	(void)state;
	F(FROM "ENV DEBIAN_FRONTEND=noninteractive\n", "debian-frontend-env", 2, 5);
	F(FROM "ENV A=1 DEBIAN_FRONTEND=noninteractive\n", "debian-frontend-env", 2, 9);

	Q(FROM "ARG DEBIAN_FRONTEND=noninteractive\n", "debian-frontend-env");
	Q(FROM "RUN DEBIAN_FRONTEND=noninteractive apt-get install -y x=1\n", "debian-frontend-env");
	Q("FROM debian:12 AS build\nENV DEBIAN_FRONTEND=noninteractive\nFROM alpine:3.20\nCOPY --from=build /x /x\n",
	  "debian-frontend-env");
}

/* ---- apk ------------------------------------------------------------------ */

static void test_apk(void **state)
{
	(void)state;
	F(FROM "RUN apk add --no-cache curl\n", "apk-unpinned", 2, 24);
	/* The --virtual name is not a package. */
	F(FROM "RUN apk add --no-cache --virtual .deps gcc\n", "apk-unpinned", 2, 40);
	F(FROM "RUN apk add --no-cache -t .deps gcc=1 musl-dev\n", "apk-unpinned", 2, 39);

	Q(FROM "RUN apk add --no-cache curl=8.9.1-r0\n", "apk-unpinned");
	Q(FROM "RUN apk add --no-cache curl~8.9\n", "apk-unpinned");
	Q(FROM "RUN apk add --no-cache 'curl>8'\n", "apk-unpinned");
	Q(FROM "RUN apk add --no-cache /tmp/x.apk\n", "apk-unpinned");
	Q(FROM "RUN apk del curl\n", "apk-unpinned");
	Q(FROM "RUN apk add --no-cache --virtual=.deps gcc=1\n", "apk-unpinned");

	F(FROM "RUN apk add curl=1\n", "apk-cache-not-cleaned", 2, 9);
	/* apk update writes the index into the cache as well. */
	F(FROM "RUN apk update && apk add --no-cache curl=1\n", "apk-cache-not-cleaned", 2, 9);
	F(FROM "RUN apk upgrade\n", "apk-cache-not-cleaned", 2, 9);

	Q(FROM "RUN apk add --no-cache curl=1\n", "apk-cache-not-cleaned");
	Q(FROM "RUN apk add curl=1 && rm -rf /var/cache/apk/*\n", "apk-cache-not-cleaned");
	Q(FROM "RUN --mount=type=cache,target=/var/cache/apk apk add curl=1\n", "apk-cache-not-cleaned");
	Q(FROM "RUN --mount=type=cache,target=/etc/apk/cache apk add curl=1\n", "apk-cache-not-cleaned");
	Q("FROM alpine:3.20 AS build\nRUN apk add gcc=1\nFROM alpine:3.20\nCOPY --from=build /x /x\n",
	  "apk-cache-not-cleaned");
}

/* ---- yum, dnf, microdnf ------------------------------------------------------ */

static void test_yum_dnf_unpinned(void **state)
{
	(void)state;
	F(FROM "RUN yum install -y httpd\n", "yum-unpinned", 2, 20);
	/* hadolint takes any '-' for a version and passes these. */
	F(FROM "RUN yum install -y python3-devel\n", "yum-unpinned", 2, 20);
	F(FROM "RUN dnf install -y java-17-openjdk\n", "dnf-unpinned", 2, 20);
	F(FROM "RUN microdnf install httpd\n", "dnf-unpinned", 2, 22);
	F(FROM "RUN dnf --setopt=install_weak_deps=False install -y --enablerepo crb httpd\n", "dnf-unpinned", 2, 70);

	Q(FROM "RUN yum install -y httpd-2.4.6\n", "yum-unpinned");
	Q(FROM "RUN yum install -y httpd-2.4.6-99.el7 java-11-openjdk-11.0.20.0.8\n", "yum-unpinned");
	Q(FROM "RUN yum install -y nginx-1:1.20.1\n", "yum-unpinned");
	Q(FROM "RUN yum install -y /tmp/x.rpm https://x/y.rpm\n", "yum-unpinned");
	Q(FROM "RUN yum groupinstall -y 'Development Tools'\n", "yum-unpinned");
	Q(FROM "RUN dnf install -y @development-tools\n", "dnf-unpinned");
	Q(FROM "ARG HTTPD_VERSION=2.4.57\nRUN dnf install -y httpd-$HTTPD_VERSION\n", "dnf-unpinned");
	Q(FROM "ARG PKGS=\"httpd-2.4.57 mod_ssl-2.4.57\"\nRUN dnf install -y $PKGS\n", "dnf-unpinned");
	Q(FROM "RUN dnf install -y 'perl(DBI)'\n", "dnf-unpinned");
	Q(FROM "RUN yum install -y httpd\n", "dnf-unpinned");
	Q(FROM "RUN dnf install -y httpd\n", "yum-unpinned");
}

static void test_yum_dnf_missing_yes(void **state)
{
	(void)state;
	F(FROM "RUN yum install httpd-2.4.6\n", "yum-missing-yes", 2, 9);
	F(FROM "RUN yum groupinstall 'Development Tools'\n", "yum-missing-yes", 2, 9);
	F(FROM "RUN yum -q localinstall /tmp/x.rpm\n", "yum-missing-yes", 2, 12);
	F(FROM "RUN dnf group install 'Development Tools'\n", "dnf-missing-yes", 2, 9);

	Q(FROM "RUN yum install -y httpd-2.4.6\n", "yum-missing-yes");
	Q(FROM "RUN yum -y install httpd-2.4.6\n", "yum-missing-yes");
	Q(FROM "RUN yum install --assumeyes httpd-2.4.6\n", "yum-missing-yes");
	Q(FROM "RUN yes | yum install httpd-2.4.6\n", "yum-missing-yes");
	Q(FROM "RUN yum clean all\n", "yum-missing-yes");
	Q(FROM "RUN dnf makecache\n", "dnf-missing-yes");
	Q(FROM "RUN dnf group list\n", "dnf-missing-yes");
	/* microdnf is covered too; as hadolint's DL3030/DL3038 read them, only install, groupinstall
	 * and localinstall (also as `group install`, `module install`) are judged, not the aliases. */
	F(FROM "RUN microdnf install httpd-2.4.57\n", "dnf-missing-yes", 2, 14);
	F(FROM "RUN dnf module install nodejs:18\n", "dnf-missing-yes", 2, 9);
	Q(FROM "RUN microdnf install -y httpd-2.4.57\n", "dnf-missing-yes");
	Q(FROM "RUN dnf in httpd-2.4.57\n", "dnf-missing-yes");
	Q(FROM "RUN dnf up-min\n", "dnf-missing-yes");
	Q(FROM "RUN dnf upgrade-minimal --security\n", "dnf-missing-yes");
	Q(FROM "RUN dnf upgrade\n", "dnf-missing-yes");
	Q(FROM "RUN yum -q update\n", "yum-missing-yes");
	Q(FROM "RUN dnf makecache\n", "dnf-missing-yes");
}

static void test_yum_dnf_cache(void **state)
{
	(void)state;
	F(FROM "RUN yum install -y httpd-2.4.6\n", "yum-cache-not-cleaned", 2, 9);
	F(FROM "RUN yum clean all && yum install -y httpd-2.4.6\n", "yum-cache-not-cleaned", 2, 26);
	F(FROM "RUN dnf install -y x-1.0\n", "dnf-cache-not-cleaned", 2, 9);
	F(FROM "RUN microdnf install x-1.0\n", "dnf-cache-not-cleaned", 2, 14);

	message_has(FROM "RUN microdnf install x-1.0\n", "dnf-cache-not-cleaned", "'microdnf clean all'");
	Q(FROM "RUN yum install -y httpd-2.4.6 && yum clean all\n", "yum-cache-not-cleaned");
	Q(FROM "RUN yum install -y httpd-2.4.6 && rm -rf /var/cache/yum\n", "yum-cache-not-cleaned");
	Q(FROM "RUN --mount=type=cache,target=/var/cache/yum yum install -y httpd-2.4.6\n",
	  "yum-cache-not-cleaned");
	Q(FROM "RUN dnf install -y x-1.0 && dnf clean all\n", "dnf-cache-not-cleaned");
	Q(FROM "RUN microdnf install x-1.0 && microdnf clean all\n", "dnf-cache-not-cleaned");
	Q(FROM "RUN dnf install -y x-1.0 && rm -rf /var/cache/dnf/*\n", "dnf-cache-not-cleaned");
	Q(FROM "RUN --mount=type=cache,target=/var/cache/dnf dnf install -y x-1.0\n", "dnf-cache-not-cleaned");
	Q("FROM fedora:40 AS build\nRUN dnf install -y gcc-14.1\nFROM fedora:40\nCOPY --from=build /x /x\n",
	  "dnf-cache-not-cleaned");
	Q(FROM "RUN dnf clean all\n", "dnf-cache-not-cleaned");
}

/* ---- zypper --------------------------------------------------------------- */

static void test_zypper(void **state)
{
	(void)state;
	F(FROM "RUN zypper install curl=8\n", "zypper-missing-non-interactive", 2, 12);
	/* hadolint's DL3034 takes -n anywhere for the switch (after `in` it is zypper's --name). */
	Q(FROM "RUN zypper in -n curl=8\n", "zypper-missing-non-interactive");
	F(FROM "RUN zypper rm curl\n", "zypper-missing-non-interactive", 2, 12);
	Q(FROM "RUN zypper update\n", "zypper-missing-non-interactive");
	Q(FROM "RUN zypper -n in curl=8\n", "zypper-missing-non-interactive");
	Q(FROM "RUN zypper --non-interactive install curl=8\n", "zypper-missing-non-interactive");
	Q(FROM "RUN zypper install -y curl=8\n", "zypper-missing-non-interactive");
	Q(FROM "RUN zypper refresh\n", "zypper-missing-non-interactive");

	F(FROM "RUN zypper -n dup\n", "zypper-dist-upgrade", 2, 15);
	F(FROM "RUN zypper --non-interactive dist-upgrade\n", "zypper-dist-upgrade", 2, 30);
	Q(FROM "RUN zypper -n patch\n", "zypper-dist-upgrade");

	F(FROM "RUN zypper -n in curl=8\n", "zypper-cache-not-cleaned", 2, 15);
	Q(FROM "RUN zypper -n in curl=8 && zypper clean -a\n", "zypper-cache-not-cleaned");
	Q(FROM "RUN zypper -n in curl=8 && zypper cc\n", "zypper-cache-not-cleaned");
	Q(FROM "RUN zypper -n in curl=8 && rm -rf /var/cache/zypp/*\n", "zypper-cache-not-cleaned");

	F(FROM "RUN zypper -n in curl\n", "zypper-unpinned", 2, 18);
	Q(FROM "RUN zypper -n in curl=8.6.0\n", "zypper-unpinned");
	Q(FROM "RUN zypper -n in 'curl>=8'\n", "zypper-unpinned");
	Q(FROM "RUN zypper -n in -t pattern devel_basis\n", "zypper-unpinned");
	Q(FROM "RUN zypper -n in pattern:devel_basis\n", "zypper-unpinned");
	Q(FROM "RUN zypper -n in curl-8.6.0\n", "zypper-unpinned");
}

/* ---- pip ----------------------------------------------------------------- */

static void test_pip_unpinned(void **state)
{
	(void)state;
	F(FROM "RUN pip install flask\n", "pip-unpinned", 2, 17);
	F(FROM "RUN python3 -m pip install --no-cache-dir flask\n", "pip-unpinned", 2, 43);
	/* Named next to a requirements file, a package is still judged. */
	F(FROM "RUN pip3 install -r requirements.txt gunicorn\n", "pip-unpinned", 2, 38);
	F(FROM "RUN pip install 'uvicorn[standard]'\n", "pip-unpinned", 2, 17);
	F(FROM "RUN pip install --index-url https://pypi.example/simple flask\n", "pip-unpinned", 2, 57);
	message_has(FROM "RUN pip install flask\n", "pip-unpinned", "use flask==<version>");

	Q(FROM "RUN pip install flask==3.0.3\n", "pip-unpinned");
	Q(FROM "RUN pip install 'flask>=3,<4' 'django~=4.2'\n", "pip-unpinned");
	Q(FROM "RUN pip install -r requirements.txt\n", "pip-unpinned");
	Q(FROM "RUN pip install -c constraints.txt -r requirements.txt\n", "pip-unpinned");
	Q(FROM "RUN pip install .\n", "pip-unpinned");
	Q(FROM "RUN pip install -e .\n", "pip-unpinned");
	Q(FROM "RUN pip install ./pkg /wheels/x-1.0-py3-none-any.whl\n", "pip-unpinned");
	Q(FROM "RUN pip install git+https://github.com/x/y@v1.0\n", "pip-unpinned");
	Q(FROM "RUN pip install 'pkg @ https://x/pkg.tar.gz'\n", "pip-unpinned");
	Q(FROM "RUN pip download flask\n", "pip-unpinned");
	Q(FROM "RUN pip install $PACKAGES\n", "pip-unpinned");
}

static void test_pip_cache(void **state)
{
	(void)state;
	F(FROM "RUN pip install flask==3\n", "pip-cache-not-cleaned", 2, 9);
	F(FROM "RUN python -m pip install flask==3\n", "pip-cache-not-cleaned", 2, 19);

	Q(FROM "RUN pip install --no-cache-dir flask==3\n", "pip-cache-not-cleaned");
	Q(FROM "ENV PIP_NO_CACHE_DIR=1\nRUN pip install flask==3\n", "pip-cache-not-cleaned");
	Q(FROM "ARG PIP_NO_CACHE_DIR=off\nRUN pip install flask==3\n", "pip-cache-not-cleaned");
	Q(FROM "RUN PIP_NO_CACHE_DIR=1 pip install flask==3\n", "pip-cache-not-cleaned");
	Q(FROM "RUN export PIP_NO_CACHE_DIR=1 && pip install flask==3\n", "pip-cache-not-cleaned");
	Q(FROM "RUN --mount=type=cache,target=/root/.cache/pip pip install flask==3\n", "pip-cache-not-cleaned");
	Q(FROM "RUN --mount=type=cache,target=/home/app/.cache/pip pip install flask==3\n",
	  "pip-cache-not-cleaned");
	Q(FROM "RUN pip install flask==3 && rm -rf /root/.cache/pip\n", "pip-cache-not-cleaned");
	Q(FROM "RUN pip install flask==3 && pip cache purge\n", "pip-cache-not-cleaned");
	/* A builder stage whose venv is copied out ships no cache (hadolint reports it). */
	Q("FROM python:3.12 AS build\nRUN pip install --prefix=/install flask==3\n"
	  "FROM python:3.12-slim\nCOPY --from=build /install /usr/local\n",
	  "pip-cache-not-cleaned");
}

/* ---- npm, yarn, pnpm, gem, go ------------------------------------------------- */

static void test_npm_unpinned(void **state)
{
	(void)state;
	F(FROM "RUN npm install -g typescript\n", "npm-unpinned", 2, 20);
	/* A dist-tag moves: @latest is not a pin (hadolint accepts it). */
	F(FROM "RUN npm install express@latest\n", "npm-unpinned", 2, 17);
	F(FROM "RUN npm install @types/node\n", "npm-unpinned", 2, 17);
	/* GitHub shorthand: the default branch, unless a #ref pins it. */
	F(FROM "RUN npm install user/repo\n", "npm-unpinned", 2, 17);
	message_has(FROM "RUN npm install express@latest\n", "npm-unpinned", "use express@<version>");

	Q(FROM "RUN npm install\n", "npm-unpinned");
	Q(FROM "RUN npm ci --omit=dev\n", "npm-unpinned");
	Q(FROM "RUN npm install typescript@5.5.3 @types/node@20.14.10\n", "npm-unpinned");
	Q(FROM "RUN npm install ./local-pkg /tmp/x.tgz\n", "npm-unpinned");
	Q(FROM "RUN npm install git+https://github.com/x/y.git#v1\n", "npm-unpinned");
	Q(FROM "RUN npm install user/repo#v1.2.0\n", "npm-unpinned");
	Q(FROM "RUN npm install --prefix /app\n", "npm-unpinned");
	/* hadolint's DL3016 is `npm install` only: the aliases, yarn and pnpm are js-package-unpinned. */
	Q(FROM "RUN npm i express\n", "npm-unpinned");
	Q(FROM "RUN yarn add lodash\n", "npm-unpinned");
	Q(FROM "RUN pnpm add zod\n", "npm-unpinned");
}

static void test_js_package_unpinned(void **state)
{
	(void)state;
	F(FROM "RUN npm i express@latest\n", "js-package-unpinned", 2, 11);
	F(FROM "RUN npm add sax\n", "js-package-unpinned", 2, 13);
	F(FROM "RUN yarn add lodash\n", "js-package-unpinned", 2, 14);
	F(FROM "RUN yarn global add pm2\n", "js-package-unpinned", 2, 21);
	F(FROM "RUN pnpm add zod\n", "js-package-unpinned", 2, 14);
	message_has(FROM "RUN yarn add lodash\n", "js-package-unpinned", "use lodash@<version>");

	Q(FROM "RUN npm install express\n", "js-package-unpinned");
	Q(FROM "RUN yarn install --frozen-lockfile\n", "js-package-unpinned");
	Q(FROM "RUN yarn add lodash@4.17.21\n", "js-package-unpinned");
	Q(FROM "RUN pnpm install --frozen-lockfile\n", "js-package-unpinned");
	Q(FROM "RUN yarn add left-pad@1.3.0 -- --frozen\n", "js-package-unpinned");
}

static void test_node_cache(void **state)
{
	(void)state;
	F(FROM "RUN npm ci\n", "npm-cache-not-cleaned", 2, 9);
	F(FROM "RUN npm install && npm run build\n", "npm-cache-not-cleaned", 2, 9);
	Q(FROM "RUN npm ci && npm cache clean --force\n", "npm-cache-not-cleaned");
	Q(FROM "RUN --mount=type=cache,target=/root/.npm npm ci\n", "npm-cache-not-cleaned");
	Q(FROM "RUN npm ci && rm -rf /root/.npm\n", "npm-cache-not-cleaned");
	Q("FROM node:20 AS build\nRUN npm ci\nFROM node:20-slim\nCOPY --from=build /app /app\n",
	  "npm-cache-not-cleaned");

	F(FROM "RUN yarn install --frozen-lockfile\n", "yarn-cache-not-cleaned", 2, 10);
	F(FROM "RUN yarn\n", "yarn-cache-not-cleaned", 2, 5);
	Q(FROM "RUN yarn install --frozen-lockfile && yarn cache clean\n", "yarn-cache-not-cleaned");
	Q(FROM "RUN --mount=type=cache,target=/usr/local/share/.cache/yarn yarn install\n",
	  "yarn-cache-not-cleaned");
	Q("FROM node:20 AS build\nRUN yarn install\nFROM node:20-slim\nCOPY --from=build /app /app\n",
	  "yarn-cache-not-cleaned");
	Q(FROM "RUN yarn build\n", "yarn-cache-not-cleaned");
	Q(FROM "RUN yarn --version\n", "yarn-cache-not-cleaned");
	Q(FROM "RUN yarn global list\n", "yarn-cache-not-cleaned");
	message_has(FROM "RUN yarn\n", "yarn-cache-not-cleaned", "'yarn' leaves its cache");
}

static void test_gem_go(void **state)
{
	(void)state;
	F(FROM "RUN gem install bundler\n", "gem-unpinned", 2, 17);
	F(FROM "RUN gem install --no-document rails\n", "gem-unpinned", 2, 31);
	Q(FROM "RUN gem install bundler -v 2.5.16\n", "gem-unpinned");
	Q(FROM "RUN gem install bundler --version=2.5.16\n", "gem-unpinned");
	Q(FROM "RUN gem install bundler:2.5.16\n", "gem-unpinned");
	Q(FROM "RUN gem install ./x-1.0.gem\n", "gem-unpinned");
	Q(FROM "RUN bundle install\n", "gem-unpinned");

	F(FROM "RUN go install golang.org/x/tools/gopls\n", "go-install-unpinned", 2, 16);
	F(FROM "RUN go install golang.org/x/tools/gopls@latest\n", "go-install-unpinned", 2, 16);
	F(FROM "RUN go install -ldflags '-s -w' github.com/x/y/cmd/z\n", "go-install-unpinned", 2, 33);
	Q(FROM "RUN go install golang.org/x/tools/gopls@v0.16.1\n", "go-install-unpinned");
	Q(FROM "RUN go install ./cmd/app\n", "go-install-unpinned");
	Q(FROM "RUN go install\n", "go-install-unpinned");
	Q(FROM "RUN go install -ldflags '-s -w' ./...\n", "go-install-unpinned");
	Q(FROM "RUN go build ./...\n", "go-install-unpinned");
	/* hadolint's DL3062: any name without @version, domain or not; go get and go run too. */
	F(FROM "RUN go install tool foobar\n", "go-install-unpinned", 2, 21);
	F(FROM "RUN go get -tool foobar\n", "go-install-unpinned", 2, 18);
	F(FROM "RUN go run example.com/pkg\n", "go-install-unpinned", 2, 12);
	Q(FROM "RUN go run example.com/pkg@v1.2.3 foobar --foo bar\n", "go-install-unpinned");
	Q(FROM "RUN go run main.go\n", "go-install-unpinned");
	Q(FROM "RUN go install std cmd/vet\n", "go-install-unpinned");
}

/* ---- signatures and SSH --------------------------------------------------------- */

static void test_package_verification(void **state)
{
	const char *id = "package-verification-disabled";

	(void)state;
	F(FROM "RUN apk add --no-cache --allow-untrusted /tmp/x.apk\n", id, 2, 24);
	F(FROM "RUN apt-get install -y --allow-unauthenticated x=1\n", id, 2, 24);
	F(FROM "RUN apt-get install -y --force-yes x=1\n", id, 2, 24);
	F(FROM "RUN apt-get -o APT::Get::AllowUnauthenticated=true install -y x=1\n", id, 2, 16);
	F(FROM "RUN dnf install -y --nogpgcheck x-1.0\n", id, 2, 20);
	F(FROM "RUN yum --setopt=gpgcheck=0 install -y x-1.0\n", id, 2, 9);
	F(FROM "RUN zypper --no-gpg-checks -n in x=1\n", id, 2, 12);
	F(FROM "RUN rpm -i --nosignature /tmp/x.rpm\n", id, 2, 12);
	F(FROM "RUN echo 'deb [trusted=yes] http://repo.example stable main' > /etc/apt/sources.list.d/x.list\n",
	  id, 2, 10);

	Q(FROM "RUN apk add --no-cache x=1\n", id);
	Q(FROM "RUN dnf --setopt=gpgcheck=1 install -y x-1.0\n", id);
	Q(FROM "RUN rpm --import /tmp/key.asc && rpm -i /tmp/x.rpm\n", id);
	/* A local repository built in the same RUN (the official nginx image does this). */
	Q(FROM "RUN echo \"deb [ trusted=yes ] file://$tempDir ./\" > /etc/apt/sources.list.d/temp.list\n", id);
	Q(FROM "RUN echo 'deb [signed-by=/k.gpg] https://repo.example stable main' > /etc/apt/sources.list.d/x.list\n",
	  id);
}

static void test_ssh_server(void **state)
{
	const char *id = "ssh-server-installed";

	(void)state;
	F(FROM "RUN apt-get install -y openssh-server\n", id, 2, 24);
	F(FROM "RUN apt-get install -y curl=1 openssh-server=1:9.2p1-2\n", id, 2, 31);
	F(FROM "RUN apk add --no-cache openssh\n", id, 2, 24);
	F(FROM "RUN dnf install -y openssh-server-8.7p1\n", id, 2, 20);
	F(FROM "RUN apt-get install -y ssh\n", id, 2, 24);
	F(FROM "RUN apk add --no-cache dropbear\n", id, 2, 24);

	Q(FROM "RUN apt-get install -y openssh-client\n", id);
	Q(FROM "RUN apk add --no-cache openssh-client\n", id);
	Q(FROM "RUN yum install -y openssh\n", id);
	Q(FROM "RUN apt-get remove -y openssh-server\n", id);
}

/* ---- remote scripts and TLS ------------------------------------------------------ */

static void test_curl_pipe_shell(void **state)
{
	const char *id = "curl-pipe-shell";

	(void)state;
	F(FROM "RUN curl -fsSL https://x.example/i.sh | sh\n", id, 2, 41);
	F(FROM "RUN wget -qO- https://x.example/i.sh | sudo -E bash -\n", id, 2, 48);
	F(FROM "RUN curl -fsSL https://x.example/i.sh | tee /tmp/log | bash -s -- --yes\n", id, 2, 56);
	F(FROM "RUN bash <(curl -s https://x.example/i.sh)\n", id, 2, 5);
	F(FROM "RUN sh -c \"$(curl -fsSL https://x.example/i.sh)\"\n", id, 2, 5);
	F(FROM "RUN eval \"$(wget -qO- https://x.example/env)\"\n", id, 2, 5);
	F(FROM "RUN curl -s https://x.example/get-pip.py | python3 -\n", id, 2, 44);
	message_has(FROM "RUN curl -fsSL https://x.example/i.sh | sh\n", id, "'curl https://x.example/i.sh'");

	Q(FROM "RUN curl -fsSL https://x.example/a.tgz | tar -xz -C /opt\n", id);
	Q(FROM "RUN curl -s https://x.example/v.json | python3 -c 'import json,sys; print(json.load(sys.stdin))'\n",
	  id);
	Q(FROM "RUN curl -fsSLo /tmp/i.sh https://x.example/i.sh && sh /tmp/i.sh\n", id);
	Q(FROM "RUN echo \"$(curl -s https://x.example/version)\"\n", id);
	Q(FROM "RUN curl -s https://x.example/v.json | jq -r .version\n", id);
	Q(FROM "RUN curl -fsSL https://x.example/key | gpg --dearmor -o /usr/share/keyrings/x.gpg\n", id);
	Q(FROM "RUN bash -c 'echo hi' | cat\n", id);
}

static void test_tls_verify_disabled(void **state)
{
	const char *id = "tls-verify-disabled";

	(void)state;
	F(FROM "RUN curl -k https://x.example\n", id, 2, 10);
	F(FROM "RUN curl -fsSLk https://x.example\n", id, 2, 10);
	F(FROM "RUN curl --insecure https://x.example\n", id, 2, 10);
	F(FROM "RUN wget --no-check-certificate https://x.example\n", id, 2, 10);
	F(FROM "RUN pip install --trusted-host pypi.org flask==3\n", id, 2, 17);
	F(FROM "RUN npm config set strict-ssl false\n", id, 2, 20);
	F(FROM "RUN yarn config set strict-ssl false\n", id, 2, 21);
	F(FROM "RUN git -c http.sslVerify=false clone https://x.example/r.git\n", id, 2, 12);
	F(FROM "RUN git config --global http.sslverify false\n", id, 2, 25);
	F(FROM "RUN GIT_SSL_NO_VERIFY=1 git clone https://x.example/r.git\n", id, 2, 5);
	F(FROM "RUN export NODE_TLS_REJECT_UNAUTHORIZED=0 && node x.js\n", id, 2, 12);
	F(FROM "RUN dnf --setopt=sslverify=false install -y x-1.0\n", id, 2, 9);
	F(FROM "RUN echo insecure >> ~/.curlrc\n", id, 2, 10);
	/* Set with ENV or ARG: tls-verify-disabled-env's, with the same classifier. */
	Q(FROM "ENV PYTHONHTTPSVERIFY=0\n", id);
	F(FROM "ENV PYTHONHTTPSVERIFY=0\n", "tls-verify-disabled-env", 2, 5);
	F(FROM "ARG GIT_SSL_NO_VERIFY=true\n", "tls-verify-disabled-env", 2, 5);
	F(FROM "ENV npm_config_strict_ssl=false\n", "tls-verify-disabled-env", 2, 5);
	F(FROM "ENV KAFKA_DISABLE_HOSTNAME_VERIFICATION=true\n", "tls-verify-disabled-env", 2, 5);
	F(FROM "ONBUILD ENV NODE_TLS_REJECT_UNAUTHORIZED=0\n", "tls-verify-disabled-env", 2, 13);
	Q(FROM "ENV KAFKA_DISABLE_HOSTNAME_VERIFICATION=false\n", "tls-verify-disabled-env");
	F(FROM "RUN CURL_INSECURE=1 curl https://x.example\n", id, 2, 5);

	Q(FROM "RUN curl -fsSL https://x.example\n", id);
	Q(FROM "RUN curl -K /etc/curl.conf https://x.example\n", id);
	Q(FROM "RUN curl -o /tmp/k https://x.example\n", id);
	Q(FROM "RUN git config --global http.sslVerify true\n", id);
	Q(FROM "RUN NODE_TLS_REJECT_UNAUTHORIZED=1 node x.js\n", id);
	Q(FROM "ENV PYTHONHTTPSVERIFY=1\n", "tls-verify-disabled-env");
	Q(FROM "RUN npm config set registry https://r.example\n", id);
	Q(FROM "RUN pip install --index-url https://pypi.example/simple flask==3\n", id);
}

/* ---- file modes --------------------------------------------------------------- */

static void test_world_writable(void **state)
{
	const char *id = "chmod-world-writable";

	(void)state;
	F(FROM "RUN chmod 777 /app\n", id, 2, 11);
	F(FROM "RUN chmod -R a+rwx /data\n", id, 2, 14);
	F(FROM "RUN chmod o+w /etc/app.conf\n", id, 2, 11);
	F(FROM "RUN chmod 666 /app/db\n", id, 2, 11);
	F(FROM "RUN chmod 0002 /app/x\n", id, 2, 11);
	F(FROM "RUN chmod u=rwx,go=rwx /app\n", id, 2, 11);
	F(FROM "RUN mkdir -p -m 777 /x\n", id, 2, 17);
	F(FROM "RUN install -m 0777 -d /x\n", id, 2, 16);
	F(FROM "COPY --chmod=777 app /app\n", id, 2, 6);
	message_has(FROM "RUN chmod -R 777 /app\n", id, "'/app' and everything below it");

	Q(FROM "RUN chmod 755 /app\n", id);
	Q(FROM "RUN chmod 1777 /tmp/shared\n", id);
	Q(FROM "RUN chmod a+rwxt /tmp/shared\n", id);
	Q(FROM "RUN chmod +w /app/x\n", id);
	Q(FROM "RUN chmod o-w /app/x\n", id);
	Q(FROM "RUN chmod g+w /app/x\n", id);
	Q(FROM "RUN chmod -R g=u /app\n", id);
	Q(FROM "RUN chmod $MODE /app\n", id);
	/* A scratch directory the RUN deletes does not ship. */
	Q(FROM "RUN tempDir=\"$(mktemp -d)\" && chmod 777 \"$tempDir\" && make -C \"$tempDir\" && rm -rf \"$tempDir\"\n", id);
	Q(FROM "COPY --chmod=644 app /app\n", id);
}

static void test_setuid(void **state)
{
	const char *id = "setuid-setgid";

	(void)state;
	F(FROM "RUN chmod u+s /usr/local/bin/x\n", id, 2, 11);
	F(FROM "RUN chmod 4755 /usr/local/bin/x\n", id, 2, 11);
	F(FROM "RUN chmod 2755 /usr/local/bin/x\n", id, 2, 11);
	F(FROM "RUN chmod +s /usr/local/bin/x\n", id, 2, 11);
	F(FROM "RUN chmod g+s /srv/shared\n", id, 2, 11);
	F(FROM "COPY --chmod=6755 x /usr/local/bin/x\n", id, 2, 6);
	F(FROM "RUN install -m 4755 x /usr/local/bin/x\n", id, 2, 16);
	message_has(FROM "RUN chmod 6755 /x\n", id, "setuid and setgid");

	F(FROM "RUN find /x -type d | xargs -n 1 chmod g+s\n", id, 2, 40);
	message_has(FROM "RUN find /x -type d | xargs -n 1 chmod g+s\n", id, "the files it is given");
	/* Directories: setgid only sets group inheritance (3777 is postgres' socket directory). */
	Q(FROM "RUN install -d -m 3777 /var/run/postgresql\n", id);
	Q(FROM "RUN mkdir -p -m 2775 /srv/shared\n", id);
	Q(FROM "RUN chmod g+s /srv/shared/\n", id);
	Q(FROM "RUN chmod u-s /usr/bin/passwd\n", id);
	Q(FROM "RUN chmod a-s /usr/bin/*\n", id);
	Q(FROM "RUN chmod 0755 /usr/local/bin/x\n", id);
	Q(FROM "RUN find / -xdev -perm /6000 -type f -exec chmod a-s {} +\n", id);
}

/* ---- sudo, cd, tools -------------------------------------------------------------- */

static void test_sudo(void **state)
{
	(void)state;
	F(FROM "RUN sudo apt-get install -y x=1\n", "sudo", 2, 5);
	F(FROM "RUN make && sudo make install\n", "sudo", 2, 13);
	F(FROM "RUN doas apk add x=1\n", "sudo", 2, 5);
	F(FROM "ONBUILD RUN sudo make install\n", "sudo", 2, 13);
	Q(FROM "RUN apt-get install -y sudo=1\n", "sudo");
	Q(FROM "RUN echo sudo\n", "sudo");
}

static void test_cd(void **state)
{
	const char *id = "cd-instead-of-workdir";

	(void)state;
	F(FROM "RUN cd /app && make\n", id, 2, 5);
	F(FROM "RUN make && cd /usr/src/app && make install\n", id, 2, 13);
	message_has(FROM "RUN cd /app && make\n", id, "WORKDIR /app");

	Q(FROM "RUN (cd /app && make)\n", id);
	Q(FROM "RUN cd /tmp/build && make && cd / && rm -rf /tmp/build\n", id);
	Q(FROM "RUN cd /src/build && make install && rm -rf /src\n", id);
	Q(FROM "RUN make -C /app\n", id);
	/* Only the first cd decides: later ones move around within a scratch build. */
	Q(FROM "RUN cd /usr/src/perl && make install && cd /usr/src && make && rm -rf /usr/src/perl\n", id);
	assert_int_equal(count(FROM "RUN cd /a && make && cd /b && make\n", id), 1);
	Q(FROM "RUN echo cd /app\n", id);
}

static void test_pointless(void **state)
{
	const char *id = "pointless-command";

	(void)state;
	F(FROM "RUN service nginx start\n", id, 2, 5);
	F(FROM "RUN vim -c ':wq' /x\n", id, 2, 5);
	F(FROM "RUN ps aux\n", id, 2, 5);
	F(FROM "RUN sudo shutdown -h now\n", id, 2, 10);
	F(FROM "RUN ifconfig\n", id, 2, 5);

	Q(FROM "RUN service mysql start && mysql < /schema.sql\n", id);
	Q(FROM "RUN mysqld & sleep 5 && mysql -e 'select 1' && kill %1\n", id);
	Q(FROM "RUN --mount=type=ssh ssh -T git@github.com\n", id);
	Q(FROM "RUN apt-get install -y vim=2:9.0\n", id);
	Q(FROM "RUN command -v ps\n", id);
}

static void test_pipefail(void **state)
{
	const char *id = "pipe-without-pipefail";

	(void)state;
	F(FROM "RUN curl -fsSL https://x.example/a.tgz | tar -xz\n", id, 2, 5);
	F(FROM "RUN make && wget -qO- https://x.example | sh\n", id, 2, 13);
	/* A SHELL after the RUN does not count. */
	F(FROM "RUN curl https://x.example | tar -xz\nSHELL [\"/bin/bash\", \"-o\", \"pipefail\", \"-c\"]\n", id, 2, 5);
	assert_int_equal(count(FROM "RUN a | b && c | d\n", id), 1);
	message_has(FROM "RUN curl https://x.example | tar -xz\n", id, "'curl' is piped into 'tar'");

	Q(FROM "SHELL [\"/bin/bash\", \"-o\", \"pipefail\", \"-c\"]\nRUN curl https://x.example | tar -xz\n", id);
	Q(FROM "SHELL [\"/bin/ash\", \"-eo\", \"pipefail\", \"-c\"]\nRUN curl https://x.example | tar -xz\n", id);
	Q(FROM "SHELL [\"/usr/bin/zsh\", \"-euo\", \"pipefail\", \"-c\"]\nRUN curl https://x.example | tar -xz\n",
	  id);
	Q(FROM "SHELL [\"pwsh\", \"-Command\"]\nRUN Get-Item x | Remove-Item\n", id);
	Q(FROM "RUN set -o pipefail && curl https://x.example | tar -xz\n", id);
	Q(FROM "RUN set -euxo pipefail; curl https://x.example | tar -xz\n", id);
	/* hadolint reports pipes fed by echo, which cannot fail in a way that matters. */
	Q(FROM "RUN echo \"abc  /tmp/x\" | sha256sum -c -\n", id);
	Q(FROM "RUN curl https://x.example || true\n", id);
	/* The SHELL of a base stage is inherited. */
	Q("FROM debian:12 AS base\nSHELL [\"/bin/bash\", \"-o\", \"pipefail\", \"-c\"]\n"
	  "FROM base\nRUN curl https://x.example | tar -xz\n",
	  id);
}

static void test_ln_bin_sh(void **state)
{
	(void)state;
	F(FROM "RUN ln -sf /bin/bash /bin/sh\n", "ln-bin-sh", 2, 22);
	F(FROM "RUN ln -s -f bash /usr/bin/sh\n", "ln-bin-sh", 2, 19);
	Q(FROM "RUN ln -s /bin/sh /usr/local/bin/sh\n", "ln-bin-sh");
	Q(FROM "RUN ln -s /usr/bin/python3 /usr/bin/python\n", "ln-bin-sh");
}

static void test_wget(void **state)
{
	(void)state;
	F(FROM "RUN wget https://x.example/a.tgz\n", "wget-without-progress", 2, 5);
	F(FROM "RUN wget -O /tmp/a https://x.example/a\n", "wget-without-progress", 2, 5);
	Q(FROM "RUN wget -q https://x.example/a.tgz\n", "wget-without-progress");
	Q(FROM "RUN wget -nv https://x.example/a.tgz\n", "wget-without-progress");
	Q(FROM "RUN wget --progress=dot:giga https://x.example/a.tgz\n", "wget-without-progress");
	Q(FROM "RUN wget -qO- https://x.example/a | tar -xz\n", "wget-without-progress");
	Q(FROM "RUN wget https://x.example/a 2>/dev/null\n", "wget-without-progress");
	Q(FROM "RUN wget -o /tmp/log https://x.example/a\n", "wget-without-progress");

	F(FROM "RUN curl -o /a https://x.example/a && wget -q https://x.example/b\n", "wget-and-curl", 2, 39);
	F(FROM "RUN wget -q https://x.example/b\nENV A=1\nRUN curl -O https://x.example/a && curl -O https://x.example/c\n",
	  "wget-and-curl", 4, 5);
	Q(FROM "RUN curl -O https://x.example/a && curl -O https://x.example/b\n", "wget-and-curl");
	Q("FROM debian:12 AS build\nRUN curl -O https://x.example/a\nFROM debian:12\nRUN wget -q https://x.example/b\n",
	  "wget-and-curl");
	Q(FROM "RUN apt-get install -y curl=1 wget=1\n", "wget-and-curl");
}

static void test_useradd(void **state)
{
	const char *id = "useradd-high-uid";

	(void)state;
	F(FROM "RUN useradd -u 100000 app\n", id, 2, 16);
	F(FROM "RUN useradd --uid=65532 -m nonroot\n", id, 2, 13);
	F(FROM "ARG UID=70000\nRUN useradd -m -u $UID app\n", id, 3, 19);
	message_has(FROM "RUN useradd -u 100000 app\n", id, "add -l");

	Q(FROM "RUN useradd -l -u 100000 app\n", id);
	Q(FROM "RUN useradd --no-log-init -u 100000 app\n", id);
	Q(FROM "RUN useradd -lu 100000 app\n", id);
	Q(FROM "RUN useradd -u 10001 app\n", id);
	Q(FROM "RUN useradd -u $UNKNOWN app\n", id);
	Q(FROM "RUN adduser -D -u 100000 app\n", id);
}

static void test_archive(void **state)
{
	const char *id = "archive-copied-then-extracted";

	(void)state;
	F(FROM "COPY app.tar.gz /tmp/\nRUN tar -xzf /tmp/app.tar.gz -C /opt\n", id, 2, 6);
	F(FROM "COPY x.txt dist/app.tgz /tmp/\nRUN cd /tmp && tar xzf app.tgz\n", id, 2, 12);
	message_has(FROM "COPY app.tar.gz /tmp/\nRUN tar -xzf /tmp/app.tar.gz -C /opt\n", id, "line 3");

	Q(FROM "COPY app.tar.gz /tmp/\nRUN sha256sum /tmp/app.tar.gz\n", id);
	Q(FROM "COPY --from=build /out/app.tgz /tmp/\nRUN tar -xzf /tmp/app.tgz\n", id);
	Q(FROM "COPY app.tgz /tmp/\nFROM debian:12\nRUN tar -xzf /tmp/app.tgz\n", id);
	Q(FROM "COPY app /app\nRUN tar -czf /tmp/app.tgz /app\n", id);
	Q(FROM "RUN --mount=type=bind,source=app.tgz,target=/tmp/app.tgz tar -xzf /tmp/app.tgz\n", id);
}

/* ---- instruction shape -------------------------------------------------------------- */

static void test_consecutive_run(void **state)
{
	const char *id = "consecutive-run";

	(void)state;
	F(FROM "RUN a\nRUN b\n", id, 3, 1);
	F(FROM "RUN a\n# a comment\nrun b\n", id, 4, 1);
	assert_int_equal(count(FROM "RUN a\nRUN b\nRUN c\n", id), 2);

	Q(FROM "RUN a\nENV X=1\nRUN b\n", id);
	Q(FROM "RUN a && b && c\nRUN d\n", id);
	Q(FROM "RUN a\nRUN --mount=type=cache,target=/root/.cache b\n", id);
	/* Exec form counts like shell form (as in hadolint). */
	F(FROM "RUN a\nRUN [\"b\"]\n", id, 3, 1);
	/* Layers of a builder stage are thrown away (hadolint reports them). */
	Q("FROM debian:12 AS build\nRUN a\nRUN b\nFROM debian:12\nCOPY --from=build /x /x\n", id);
}

static void test_security_insecure(void **state)
{
	(void)state;
	F(FROM "RUN --security=insecure make\n", "run-security-insecure", 2, 5);
	F(FROM "RUN --network=host --security=insecure make\n", "run-security-insecure", 2, 20);
	Q(FROM "RUN --security=sandbox make\n", "run-security-insecure");
	Q(FROM "RUN --network=none make\n", "run-security-insecure");
}

/* ---- helpers ---------------------------------------------------------------------- */

static void test_wrappers(void **state)
{
	(void)state;
	/* env, nice, timeout, xargs, eatmydata prefixes are skipped to find the real command. */
	F(FROM "RUN env -i PATH=/usr/bin apt-get install -y curl\n", "apt-get-unpinned", 2, 45);
	F(FROM "RUN nice -n 10 apt-get install -y curl\n", "apt-get-unpinned", 2, 35);
	F(FROM "RUN timeout 600 apt-get install -y curl\n", "apt-get-unpinned", 2, 36);
	F(FROM "RUN eatmydata apt-get install -y curl\n", "apt-get-unpinned", 2, 34);
	F(FROM "RUN xargs -r apt-get install -y curl < /pkgs\n", "apt-get-unpinned", 2, 33);
	F(FROM "RUN if true; then apt-get install -y curl; fi\n", "apt-get-unpinned", 2, 38);
	Q(FROM "RUN command -v apt-get && echo yes\n", "apt-get-missing-yes");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_apt_get_unpinned),
		cmocka_unit_test(test_apt_lists_not_removed),
		cmocka_unit_test(test_apt_get_missing_yes),
		cmocka_unit_test(test_apt_get_install_recommends),
		cmocka_unit_test(test_apt_instead_of_apt_get),
		cmocka_unit_test(test_apt_get_update_alone),
		cmocka_unit_test(test_debian_frontend_env),
		cmocka_unit_test(test_apk),
		cmocka_unit_test(test_yum_dnf_unpinned),
		cmocka_unit_test(test_yum_dnf_missing_yes),
		cmocka_unit_test(test_yum_dnf_cache),
		cmocka_unit_test(test_zypper),
		cmocka_unit_test(test_pip_unpinned),
		cmocka_unit_test(test_pip_cache),
		cmocka_unit_test(test_npm_unpinned),
		cmocka_unit_test(test_js_package_unpinned),
		cmocka_unit_test(test_node_cache),
		cmocka_unit_test(test_gem_go),
		cmocka_unit_test(test_package_verification),
		cmocka_unit_test(test_ssh_server),
		cmocka_unit_test(test_curl_pipe_shell),
		cmocka_unit_test(test_tls_verify_disabled),
		cmocka_unit_test(test_world_writable),
		cmocka_unit_test(test_setuid),
		cmocka_unit_test(test_sudo),
		cmocka_unit_test(test_cd),
		cmocka_unit_test(test_pointless),
		cmocka_unit_test(test_pipefail),
		cmocka_unit_test(test_ln_bin_sh),
		cmocka_unit_test(test_wget),
		cmocka_unit_test(test_useradd),
		cmocka_unit_test(test_archive),
		cmocka_unit_test(test_consecutive_run),
		cmocka_unit_test(test_security_insecure),
		cmocka_unit_test(test_wrappers),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
