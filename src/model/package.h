/*
 * The package catalogue of one filesystem (an image or an unpacked root):
 * OS packages (dpkg, apk, rpm) with their source package, and language
 * packages (npm, PyPI, Go modules, Maven artifacts), each with the place it
 * was found.  SBOM writers and the vulnerability matcher read this list;
 * the catalogue readers in src/vuln/catalog.h fill it.
 *
 * Ownership: an hd_packages owns every string of its packages, its OS
 * release and its notes, in one arena freed by hd_packages_release().
 */
#ifndef HD_MODEL_PACKAGE_H
#define HD_MODEL_PACKAGE_H

#include <stdbool.h>
#include <stddef.h>

#include "core/arena.h"

/* Ecosystems, named as purl types ("deb", "apk", "rpm", "npm", "pypi", "golang", "maven"). */
enum hd_pkg_eco {
	HD_ECO_DEB,
	HD_ECO_APK,
	HD_ECO_RPM,
	HD_ECO_NPM,
	HD_ECO_PYPI,
	HD_ECO_GO,
	HD_ECO_MAVEN,
	HD_ECO_MAX
};

const char *hd_eco_name(enum hd_pkg_eco e);
/* The OSV ecosystem name ("Debian", "Alpine", "npm", "PyPI", "Go", "Maven"), or NULL for rpm. */
const char *hd_eco_osv_name(enum hd_pkg_eco e);
static inline bool hd_eco_is_os(enum hd_pkg_eco e) { return e <= HD_ECO_RPM; }

enum hd_pkg_flags {
	HD_PKG_DEV = 1u << 0,      /* a development dependency (npm "dev": true) */
	HD_PKG_LOCKFILE = 1u << 1, /* from a lock file, not an installed copy */
};

struct hd_package {
	enum hd_pkg_eco eco;
	const char *name;           /* dpkg/apk/rpm name; npm "@scope/name"; PyPI PEP 503 name;
				       Go module path; Maven "group:artifact" */
	const char *version;        /* as the ecosystem writes it (dpkg with its epoch) */
	const char *source_name;    /* OS packages: Debian Source, apk origin, rpm source name
				       (the package's own name when it has none); else NULL */
	const char *source_version; /* Debian "src (version)", else the package version; NULL for others */
	const char *arch;           /* NULL when unknown */
	const char *license;        /* as declared, or NULL */
	const char *purl;           /* package URL */
	const char *path;           /* file it was read from, relative to the root ("var/lib/dpkg/status") */
	const char *layer;          /* layer digest or NULL */
	unsigned flags;             /* enum hd_pkg_flags */
};

/* /etc/os-release (or /usr/lib/os-release), with Debian's codename filled in when missing. */
struct hd_os_release {
	const char *id;         /* "debian", "alpine", "ubuntu", "rhel", ... or NULL */
	const char *version_id; /* "12", "3.19.1", or NULL */
	const char *codename;   /* "bookworm", or NULL */
	const char *pretty;     /* PRETTY_NAME, or NULL */
};

struct hd_packages {
	struct hd_package *v;
	size_t n, alloc;
	struct hd_os_release os;
	const char **notes;     /* what could not be catalogued and why, one sentence each */
	size_t n_notes, alloc_notes;
	size_t owned_skipped;   /* language packages left out because an OS package owns their files */
	struct hd_arena arena;
};

void hd_packages_init(struct hd_packages *l);
void hd_packages_release(struct hd_packages *l);
/* Copies s into the list's arena (NULL stays NULL); NULL on OOM. */
const char *hd_packages_strdup(struct hd_packages *l, const char *s);
const char *hd_packages_strndup(struct hd_packages *l, const char *s, size_t n);
/*
 * Appends a copy of p (its strings copied) and fills its purl when p->purl
 * is NULL.  Returns 0, -HD_ENOMEM or -HD_ETOOBIG (HD_MAX_PACKAGES).
 */
int hd_packages_add(struct hd_packages *l, const struct hd_package *p);
int hd_packages_note(struct hd_packages *l, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
/* Sorts by ecosystem, name, version, path (deterministic output). */
void hd_packages_sort(struct hd_packages *l);

/*
 * The package URL of p (https://github.com/package-url/purl-spec) in a new
 * string, e.g. "pkg:deb/debian/libc6@2.36-9%2Bdeb12u4?arch=amd64&distro=debian-12";
 * os gives the distro qualifier of OS packages (may be NULL).  NULL on OOM.
 */
char *hd_purl(const struct hd_package *p, const struct hd_os_release *os);

/* PEP 503 normalisation of a Python project name, in place: lower case, runs of "-_." as "-". */
void hd_pep503_normalize(char *name);

#endif
