/*
 * Version comparison for the package ecosystems hardock matches against
 * vulnerability data: dpkg (Debian), apk (Alpine), rpm, PEP 440 (PyPI),
 * SemVer 2.0 (npm, Go, OSV "SEMVER" ranges) and Maven's ComparableVersion.
 *
 * Each comparator returns <0, 0 or >0 and never fails: it allocates nothing
 * (Maven keeps its items on the stack up to HD_MAX_VERSION_LEN bytes and
 * compares longer versions bytewise) and orders invalid versions in a fixed,
 * documented way so that sorting stays total.  The tests prove every
 * comparator against the ecosystem's own tool (tests/vuln/).
 *
 *   dpkg   epoch:upstream-revision, dpkg's verrevcmp ('~' before the end,
 *          letters before other characters); as dpkg --compare-versions.
 *   apk    apk-tools' version.c (Gentoo-style tokens, _alpha.._rc, _p, -rN);
 *          an invalid version compares as apk does: up to its first bad token.
 *   rpm    [epoch:]version[-release] as rpm.vercmp() in rpm 4.18: rpmvercmp
 *          on epoch, version, then release when both have one; '~' sorts
 *          before everything, '^' after the base version.
 *   pep440 packaging.version.Version (packaging 23): epoch, release without
 *          trailing zeros, pre/post/dev, local; invalid versions sort before
 *          valid ones and among themselves bytewise.
 *   semver node-semver's compare() for valid versions (build metadata
 *          ignored); numbers of any length compare exactly; lenient for
 *          "v1", "1.2" and extra components as OSV data needs.
 *   maven  org.apache.maven.artifact.versioning.ComparableVersion.
 */
#ifndef HD_VULN_VERSION_H
#define HD_VULN_VERSION_H

#include <stdbool.h>
#include <stddef.h>

enum hd_vscheme {
	HD_VS_DPKG,
	HD_VS_APK,
	HD_VS_RPM,
	HD_VS_PEP440,
	HD_VS_SEMVER,
	HD_VS_MAVEN,
	HD_VS_MAX
};

/* "dpkg", "apk", ...; NULL for an out-of-range value. */
const char *hd_vscheme_name(enum hd_vscheme s);
/* The scheme for a name, or -1. */
int hd_vscheme_from_name(const char *name);

int hd_vercmp(enum hd_vscheme s, const char *a, const char *b);
/* Whether v is a version the ecosystem's tool accepts. */
bool hd_version_valid(enum hd_vscheme s, const char *v);

int hd_vercmp_dpkg(const char *a, const char *b);
int hd_vercmp_apk(const char *a, const char *b);
int hd_vercmp_rpm(const char *a, const char *b);
int hd_vercmp_pep440(const char *a, const char *b);
int hd_vercmp_semver(const char *a, const char *b);
int hd_vercmp_maven(const char *a, const char *b);

bool hd_version_valid_dpkg(const char *v);
/* 0 valid, 1 dpkg warns but compares it, 2 dpkg refuses it. */
int hd_version_check_dpkg(const char *v);
bool hd_version_valid_apk(const char *v);
bool hd_version_valid_pep440(const char *v);
bool hd_version_valid_semver(const char *v);

#endif
