/*
 * Feed readers: the upstream formats as the feeds publish them, told apart
 * by their content.
 *
 *   Debian Security Tracker JSON  {package: {CVE: {releases: {codename:
 *                                 {status, fixed_version, urgency, nodsa_reason}}}}}
 *                                 read one package member at a time, so a
 *                                 feed of any size costs one package's memory
 *   Alpine secdb (JSON or YAML)   {distroversion, reponame, packages:
 *                                 [{pkg: {name, secfixes: {version: [ids]}}}]}
 *   OSV records                   one JSON record, an array of them, a
 *                                 {"vulns": [...]} answer, or a zip of
 *                                 records (the per-ecosystem all.zip)
 *
 * Every record is checked before anything is stored (the OSV ones against
 * the rules of the OSV schema); the first bad one stops the import with a
 * diag naming the file, the line or zip entry, the record and the field.
 */
#include "core/common.h"
#include "core/buf.h"
#include "model/package.h"
#include "vuln/db_int.h"

#include <archive.h>
#include <archive_entry.h>
#include <dirent.h>
#include <fcntl.h>
#include <jansson.h>
#include <libfyaml.h>
#include <math.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

struct feed {
	struct hd_vdb_import *im;
	bool unknown_ok;    /* a file of a directory: not a feed is no error */
	const char *name;   /* the file, for messages and sources' origin */
	const char *entry;  /* the zip entry being read, or NULL */
	int64_t feed_time;
	struct hd_diag *diag;
	int64_t newest;     /* newest OSV "modified" seen */
};

static int bad(struct feed *f, unsigned line, const char *fmt, ...) __attribute__((format(printf, 3, 4)));
static int bad(struct feed *f, unsigned line, const char *fmt, ...)
{
	char msg[HD_MAX_MESSAGE];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	if (f->entry)
		return hd_diag_set(f->diag, f->name, line, 0, "zip entry '%s': %s", f->entry, msg);
	return hd_diag_set(f->diag, f->name, line, 0, "%s", msg);
}

/* ---- CVSS -------------------------------------------------------------- */

static double roundup1(double x)
{
	long long i = llround(x * 100000.0);

	if (i % 10000 == 0)
		return (double)i / 100000.0;
	return (floor((double)i / 10000.0) + 1.0) / 10.0;
}

double hd_cvss3_score(const char *v)
{
	double av = -1, ac = -1, pr = -1, ui = -1, c = -1, i = -1, a = -1, iss, imp, expl;
	int scope = -1;
	const char *p;

	if (!v || (!hd_starts_with(v, "CVSS:3.0/") && !hd_starts_with(v, "CVSS:3.1/")))
		return -1;
	for (p = v + 9; *p;) {
		const char *e = strchr(p, '/');
		size_t n = e ? (size_t)(e - p) : strlen(p);
		char m[8] = "", val = 0;

		if (n >= 3 && n < sizeof(m) + 2 && p[n - 2] == ':') {
			memcpy(m, p, n - 2);
			m[n - 2] = '\0';
			val = p[n - 1];
		}
		if (!strcmp(m, "AV"))
			av = val == 'N' ? 0.85 : val == 'A' ? 0.62 : val == 'L' ? 0.55 : val == 'P' ? 0.2 : -1;
		else if (!strcmp(m, "AC"))
			ac = val == 'L' ? 0.77 : val == 'H' ? 0.44 : -1;
		else if (!strcmp(m, "PR"))
			pr = val == 'N' ? 0 : val == 'L' ? 1 : val == 'H' ? 2 : -1;
		else if (!strcmp(m, "UI"))
			ui = val == 'N' ? 0.85 : val == 'R' ? 0.62 : -1;
		else if (!strcmp(m, "S"))
			scope = val == 'U' ? 0 : val == 'C' ? 1 : -1;
		else if (!strcmp(m, "C") || !strcmp(m, "I") || !strcmp(m, "A")) {
			double x = val == 'H' ? 0.56 : val == 'L' ? 0.22 : val == 'N' ? 0 : -1;

			if (m[0] == 'C')
				c = x;
			else if (m[0] == 'I')
				i = x;
			else
				a = x;
		}
		p += n + (e ? 1 : 0);
	}
	if (av < 0 || ac < 0 || pr < 0 || ui < 0 || c < 0 || i < 0 || a < 0 || scope < 0)
		return -1;
	pr = pr == 0 ? 0.85 : pr == 1 ? (scope ? 0.68 : 0.62) : (scope ? 0.5 : 0.27);
	iss = 1 - (1 - c) * (1 - i) * (1 - a);
	imp = scope ? 7.52 * (iss - 0.029) - 3.25 * pow(iss - 0.02, 15) : 6.42 * iss;
	expl = 8.22 * av * ac * pr * ui;
	if (imp <= 0)
		return 0;
	return roundup1(fmin(scope ? 1.08 * (imp + expl) : imp + expl, 10));
}

const char *hd_cvss_severity(double s)
{
	if (s >= 9.0)
		return "critical";
	if (s >= 7.0)
		return "high";
	if (s >= 4.0)
		return "medium";
	if (s > 0)
		return "low";
	return "none";
}

/* ---- helpers ----------------------------------------------------------- */

/* Days since 1970-01-01 of a civil date (Howard Hinnant's algorithm); no time zone files read. */
static int64_t days_from_civil(int64_t y, unsigned m, unsigned d)
{
	int64_t era;
	unsigned yoe, doy, doe;

	y -= m <= 2;
	era = (y >= 0 ? y : y - 399) / 400;
	yoe = (unsigned)(y - era * 400);
	doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
	doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
	return era * 146097 + (int64_t)doe - 719468;
}

/* "2024-05-01T10:00:00Z" (fractions ignored) to unix seconds; 0 when it is not one. */
static int64_t parse_time(const char *s)
{
	unsigned y, mo, d, h, mi, sec;

	if (!s || sscanf(s, "%4u-%2u-%2uT%2u:%2u:%2u", &y, &mo, &d, &h, &mi, &sec) != 6 || mo < 1 || mo > 12 ||
	    d < 1 || d > 31 || h > 23 || mi > 59 || sec > 60)
		return 0;
	return days_from_civil(y, mo, d) * 86400 + h * 3600 + mi * 60 + sec;
}

/* A string member, checked against a length limit; NULL when absent. */
static int get_str(struct feed *f, unsigned line, json_t *o, const char *key, size_t max, const char *what,
		   const char **ret)
{
	json_t *v = json_object_get(o, key);

	*ret = NULL;
	if (!v || json_is_null(v))
		return 0;
	if (!json_is_string(v))
		return bad(f, line, "%s: '%s' must be a string", what, key);
	if (json_string_length(v) > max)
		return bad(f, line, "%s: '%s' is %zu bytes, more than the limit of %zu", what, key,
			   json_string_length(v), max);
	*ret = json_string_value(v);
	return 0;
}

/* The first line of s, at most n bytes, in a new string. */
static char *first_line(const char *s, size_t n)
{
	size_t k = strcspn(s, "\n");

	return hd_strndup(s, k < n ? k : n);
}

/* ---- Debian Security Tracker ------------------------------------------- */

static int debian_cve(struct feed *f, unsigned line, const char *pkg, const char *cve, json_t *o)
{
	json_t *rels, *rel;
	const char *codename, *desc = NULL;
	char what[512], *summary = NULL;
	int64_t rid = 0;
	bool stored = false;
	int r;

	snprintf(what, sizeof(what), "package '%s', %s", pkg, cve);
	if (!json_is_object(o))
		return bad(f, line, "%s: expected an object", what);
	if (strlen(cve) > HD_MAX_FEED_ID)
		return bad(f, line, "package '%s': an id of %zu bytes, more than %u", pkg, strlen(cve), HD_MAX_FEED_ID);
	if ((r = get_str(f, line, o, "description", HD_MAX_FEED_STRING, what, &desc)) < 0)
		return r;
	rels = json_object_get(o, "releases");
	/* The tracker writes an empty mapping as [] (chromium-browser in the excerpt). */
	if (!rels || (json_is_array(rels) && json_array_size(rels) == 0))
		return 0;
	if (!json_is_object(rels))
		return bad(f, line, "%s: 'releases' must be an object", what);
	json_object_foreach(rels, codename, rel) {
		const char *status, *fixed, *urgency, *reason;
		char eco[128];

		if (!json_is_object(rel))
			return bad(f, line, "%s: releases.%s must be an object", what, codename);
		if ((r = get_str(f, line, rel, "status", 64, what, &status)) < 0 ||
		    (r = get_str(f, line, rel, "fixed_version", HD_MAX_VERSION_LEN, what, &fixed)) < 0 ||
		    (r = get_str(f, line, rel, "urgency", 64, what, &urgency)) < 0 ||
		    (r = get_str(f, line, rel, "nodsa_reason", 256, what, &reason)) < 0)
			return r;
		if (!status)
			return bad(f, line, "%s: releases.%s has no 'status'", what, codename);
		if (json_object_get(rel, "nodsa") && !json_is_string(json_object_get(rel, "nodsa")))
			return bad(f, line, "%s: releases.%s: 'nodsa' must be a string", what, codename);
		/* Resolved with fixed_version "0": the release never had the bug. */
		if (!strcmp(status, "resolved") && (!fixed || !strcmp(fixed, "0")))
			continue;
		if (strlen(codename) > 64)
			return bad(f, line, "%s: a release name of %zu bytes", what, strlen(codename));
		if (!stored) {
			summary = desc ? first_line(desc, 300) : NULL;
			r = vdb_vuln(f->im, cve, NULL, summary, NULL, 0, &rid);
			hd_free(summary);
			if (r < 0)
				return r;
			stored = true;
		}
		snprintf(eco, sizeof(eco), "debian:%s", codename);
		r = vdb_affected(f->im, eco, pkg, rid, HD_VDB_DEBIAN, status,
				 !strcmp(status, "resolved") ? fixed : NULL, urgency ? urgency : "not yet assigned", reason);
		if (r < 0)
			return r;
	}
	return 0;
}

static int debian_package(struct feed *f, unsigned line, const char *pkg, json_t *cves)
{
	const char *cve;
	json_t *o;
	int r;

	if (!json_is_object(cves))
		return bad(f, line, "package '%s': expected an object of CVE ids", pkg);
	if (strlen(pkg) > HD_MAX_FEED_ID)
		return bad(f, line, "a package name of %zu bytes, more than %u", strlen(pkg), HD_MAX_FEED_ID);
	json_object_foreach(cves, cve, o) {
		if ((r = debian_cve(f, line, pkg, cve, o)) < 0)
			return r;
	}
	return 0;
}

/*
 * The members of a top-level JSON object, one at a time: the scanner finds
 * each member's extent (strings, escapes, nesting), jansson decodes it.
 */
static int json_members(struct feed *f, const char *d, size_t n,
			int (*cb)(struct feed *, unsigned, const char *, json_t *))
{
	size_t i = 0;
	unsigned line = 1;
	int r;

#define WS() do { while (i < n && (d[i] == ' ' || d[i] == '\t' || d[i] == '\r' || d[i] == '\n')) \
		{ if (d[i] == '\n') line++; i++; } } while (0)
	if (n >= 3 && !memcmp(d, "\xef\xbb\xbf", 3))
		i = 3;
	WS();
	if (i >= n || d[i] != '{')
		return bad(f, line, "expected a JSON object");
	i++;
	for (;;) {
		size_t ks, ve, depth = 0;
		unsigned kline;
		bool in_str = false;
		json_t *key, *val;
		json_error_t err;

		WS();
		if (i < n && d[i] == '}')
			break;
		if (i >= n || d[i] != '"')
			return bad(f, line, "expected a member name in quotes (the feed is cut short or not JSON)");
		ks = i++;
		kline = line;
		while (i < n && d[i] != '"') {
			if (d[i] == '\\')
				i++;
			else if (d[i] == '\n')
				return bad(f, line, "a member name runs past the end of the line");
			i++;
		}
		if (i >= n)
			return bad(f, line, "unterminated member name (the feed is cut short)");
		key = json_loadb(d + ks, i + 1 - ks, JSON_DECODE_ANY, &err);
		if (!key || !json_is_string(key)) {
			json_decref(key);
			return bad(f, line, "bad member name: %s", err.text);
		}
		i++;
		WS();
		if (i >= n || d[i] != ':') {
			json_decref(key);
			return bad(f, line, "expected ':' after \"%s\"", json_string_value(key));
		}
		i++;
		WS();
		for (ve = i; ve < n; ve++) {
			char c = d[ve];

			if (c == '\n')
				line++;
			if (in_str) {
				if (c == '\\')
					ve++;
				else if (c == '"')
					in_str = false;
				continue;
			}
			if (c == '"') {
				in_str = true;
			} else if (c == '{' || c == '[') {
				depth++;
			} else if (c == '}' || c == ']') {
				if (depth == 0)
					break;
				if (--depth == 0) {
					ve++;
					break;
				}
			} else if (c == ',' && depth == 0) {
				break;
			}
		}
		if (ve > n || (depth && ve >= n) || in_str) {
			json_decref(key);
			return bad(f, kline, "the value of \"%s\" is cut short", json_string_value(key));
		}
		if (ve - i > HD_MAX_FEED_ENTRY) {
			json_decref(key);
			return bad(f, kline, "the value of \"%s\" is %zu bytes, more than the limit of %u",
				   json_string_value(key), ve - i, HD_MAX_FEED_ENTRY);
		}
		val = json_loadb(d + i, ve - i, JSON_DECODE_ANY, &err);
		if (!val) {
			r = bad(f, kline + (unsigned)(err.line > 0 ? err.line - 1 : 0), "\"%s\": %s",
				json_string_value(key), err.text);
			json_decref(key);
			return r;
		}
		r = cb(f, kline, json_string_value(key), val);
		json_decref(val);
		json_decref(key);
		if (r < 0)
			return r;
		i = ve;
		WS();
		if (i < n && d[i] == ',') {
			i++;
			continue;
		}
		if (i < n && d[i] == '}')
			break;
		return bad(f, line, "expected ',' or '}' (the feed is cut short or not JSON)");
	}
	i++;
	WS();
	if (i != n)
		return bad(f, line, "unexpected text after the end of the JSON object");
#undef WS
	return 0;
}

static int import_debian(struct feed *f, const char *d, size_t n)
{
	int r = vdb_source(f->im, "debian-tracker", "debian-tracker-json", f->name, f->feed_time, true);

	return r < 0 ? r : json_members(f, d, n, debian_package);
}

/* ---- Alpine secdb ------------------------------------------------------ */

static int import_alpine(struct feed *f, json_t *j)
{
	const char *branch = NULL, *repo = NULL;
	json_t *pkgs, *e;
	size_t i;
	char src[256], eco[128];
	int r;

	if ((r = get_str(f, 0, j, "distroversion", 64, "secdb", &branch)) < 0 ||
	    (r = get_str(f, 0, j, "reponame", 64, "secdb", &repo)) < 0)
		return r;
	pkgs = json_object_get(j, "packages");
	if (!branch || !json_is_array(pkgs))
		return bad(f, 0, "an Alpine secdb needs 'distroversion' and a 'packages' list");
	snprintf(src, sizeof(src), "alpine-secdb %s/%s", branch, repo ? repo : "main");
	snprintf(eco, sizeof(eco), "alpine:%s", branch);
	if ((r = vdb_source(f->im, src, "alpine-secdb", f->name, f->feed_time, true)) < 0)
		return r;
	json_array_foreach(pkgs, i, e) {
		json_t *pkg = json_object_get(e, "pkg"), *fixes, *ids;
		const char *name, *ver;
		char what[128];

		snprintf(what, sizeof(what), "packages[%zu]", i);
		if (!json_is_object(pkg))
			return bad(f, 0, "%s: expected {\"pkg\": {...}}", what);
		if ((r = get_str(f, 0, pkg, "name", HD_MAX_FEED_ID, what, &name)) < 0)
			return r;
		if (!name)
			return bad(f, 0, "%s: no package name", what);
		fixes = json_object_get(pkg, "secfixes");
		if (!fixes || json_is_null(fixes))
			continue;
		if (!json_is_object(fixes))
			return bad(f, 0, "package '%s': 'secfixes' must be a mapping of version to ids", name);
		json_object_foreach(fixes, ver, ids) {
			size_t k;
			json_t *id;

			if (strlen(ver) > HD_MAX_VERSION_LEN)
				return bad(f, 0, "package '%s': a version of %zu bytes", name, strlen(ver));
			if (!json_is_array(ids))
				return bad(f, 0, "package '%s' %s: expected a list of ids", name, ver);
			json_array_foreach(ids, k, id) {
				const char *s = json_string_value(id);
				char first[HD_MAX_FEED_ID + 1];
				size_t fl;
				int64_t rid;

				if (!s)
					return bad(f, 0, "package '%s' %s: ids must be strings", name, ver);
				if (strlen(s) > HD_MAX_FEED_ID)
					return bad(f, 0, "package '%s' %s: an id of %zu bytes", name, ver, strlen(s));
				/* "0": the package was never affected. */
				if (!strcmp(ver, "0"))
					continue;
				fl = strcspn(s, " \t");
				memcpy(first, s, fl);
				first[fl] = '\0';
				if (!fl)
					continue;
				r = vdb_vuln(f->im, first, s[fl] ? s + fl + strspn(s + fl, " \t") : NULL, NULL, NULL, 0, &rid);
				if (r == 0)
					r = vdb_affected(f->im, eco, name, rid, HD_VDB_ALPINE, NULL, ver, NULL, NULL);
				if (r < 0)
					return r;
			}
		}
	}
	return 0;
}

/* YAML secdb: libfyaml turns it into JSON text for the same reader. */
static int import_alpine_yaml(struct feed *f, const char *d, size_t n)
{
	struct fy_parse_cfg cfg = { .flags = FYPCF_QUIET };
	struct fy_document *doc = fy_document_build_from_string(&cfg, d, n);
	char *text;
	json_t *j;
	json_error_t err;
	int r;

	if (!doc)
		return bad(f, 0, "cannot parse the YAML of an Alpine secdb");
	text = fy_emit_document_to_string(doc, FYECF_MODE_JSON_ONELINE);
	fy_document_destroy(doc);
	if (!text)
		return -HD_ENOMEM;
	j = json_loads(text, 0, &err);
	free(text); /* libfyaml's malloc */
	if (!j || !json_is_object(j)) {
		json_decref(j);
		return bad(f, 0, "an Alpine secdb must be a mapping");
	}
	r = import_alpine(f, j);
	json_decref(j);
	return r;
}

/* ---- OSV --------------------------------------------------------------- */

static bool osv_id_ok(const char *id)
{
	static const char *const prefixes[] = {
		"ASB-A", "PUB-A", "ALPINE", "ALSA", "ALBA", "ALEA", "AZL", "BELL", "BIT", "CGA", "CLEANSTART",
		"CLSA", "CURL", "CVE", "DEBIAN", "DHI", "DRUPAL", "DSA", "DLA", "ELA", "DTSA", "ECHO", "EEF",
		"FreeBSD", "GHSA", "GO", "GSD", "HSEC", "JLSEC", "KUBE", "LBSEC", "LSN", "MAL", "MINI", "MGASA",
		"OESA", "OSEC", "OSV", "openSUSE-SU", "PHSA", "PSF", "PYSEC", "RHBA", "RHEA", "RHSA", "RLSA",
		"RXSA", "RSEC", "ROOT", "RUSTSEC", "USN", "UBUNTU", "V8",
	};
	size_t i, n;

	if (hd_starts_with(id, "x_"))
		return true;
	if (hd_starts_with(id, "SUSE-") && strchr("SRFO", id[5]) && id[5] && id[6] == 'U' && id[7] == '-')
		return true;
	for (i = 0; i < HD_ARRAY_SIZE(prefixes); i++) {
		n = strlen(prefixes[i]);
		if (!strncmp(id, prefixes[i], n) && id[n] == '-')
			return true;
	}
	return false;
}

static bool timestamp_ok(const char *s)
{
	/* [0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}:[0-9]{2}(\.[0-9]+)?Z somewhere in it */
	static const char shape[] = "dddd-dd-ddTdd:dd:dd";
	size_t i, k;

	for (i = 0; s[i]; i++) {
		for (k = 0; shape[k] && s[i + k]; k++) {
			if (shape[k] == 'd' ? !isdigit((unsigned char)s[i + k]) : s[i + k] != shape[k])
				break;
		}
		if (!shape[k]) {
			k += i;
			if (s[k] == '.') {
				k++;
				if (!isdigit((unsigned char)s[k]))
					continue;
				while (isdigit((unsigned char)s[k]))
					k++;
			}
			if (s[k] == 'Z')
				return true;
		}
	}
	return false;
}

static bool ecosystem_ok(const char *e)
{
	static const char *const names[] = {
		"AlmaLinux", "Alpaquita", "Alpine", "Android", "Azure Linux", "BellSoft Hardened Containers",
		"Bioconductor", "Bitnami", "Chainguard", "CleanStart", "ConanCenter", "CRAN", "crates.io",
		"Debian", "Docker Hardened Images", "Echo", "FreeBSD", "GHC", "GitHub Actions", "Go", "Hackage",
		"Hex", "Julia", "Kubernetes", "Linux", "Mageia", "Maven", "MinimOS", "npm", "NuGet", "opam",
		"openEuler", "openSUSE", "OSS-Fuzz", "Packagist", "Photon OS", "Pub", "PyPI", "Red Hat",
		"Rocky Linux", "Root", "RubyGems", "SUSE", "SwiftURL", "TuxCare", "Ubuntu", "VSCode", "Wolfi", "GIT",
	};
	size_t i, n;

	for (i = 0; i < HD_ARRAY_SIZE(names); i++) {
		n = strlen(names[i]);
		if (!strncmp(e, names[i], n) && (e[n] == '\0' || (e[n] == ':' && e[n + 1])))
			return true;
	}
	return false;
}

static bool str_array(json_t *a, bool nullable)
{
	size_t i;
	json_t *v;

	if (nullable && json_is_null(a))
		return true;
	if (!json_is_array(a))
		return false;
	json_array_foreach(a, i, v) {
		if (!json_is_string(v))
			return false;
	}
	return true;
}

static bool hash_or_zero(const char *s)
{
	size_t n = strlen(s), i;

	if (!strcmp(s, "0"))
		return true;
	if (n != 40 && n != 64)
		return false;
	for (i = 0; i < n; i++) {
		if (!isdigit((unsigned char)s[i]) && !(s[i] >= 'a' && s[i] <= 'f'))
			return false;
	}
	return true;
}

static int check_severity(struct feed *f, const char *id, const char *where, json_t *sev)
{
	static const char *const types[] = { "CVSS_V2", "CVSS_V3", "CVSS_V4", "Ubuntu" };
	size_t i, k;
	json_t *s;

	if (!sev || json_is_null(sev))
		return 0;
	if (!json_is_array(sev))
		return bad(f, 0, "record '%s': %sseverity must be a list", id, where);
	json_array_foreach(sev, i, s) {
		const char *t = json_string_value(json_object_get(s, "type"));
		json_t *score = json_object_get(s, "score");

		if (!json_is_object(s))
			return bad(f, 0, "record '%s': %sseverity[%zu] must be an object", id, where, i);
		for (k = 0; t && k < HD_ARRAY_SIZE(types) && strcmp(t, types[k]); k++)
			;
		if (json_object_get(s, "type") && (!t || k == HD_ARRAY_SIZE(types)))
			return bad(f, 0, "record '%s': %sseverity[%zu].type must be CVSS_V2, CVSS_V3, CVSS_V4 or Ubuntu",
				   id, where, i);
		if (score && !json_is_string(score))
			return bad(f, 0, "record '%s': %sseverity[%zu].score must be a string", id, where, i);
		if (t && score && !strcmp(t, "CVSS_V3") && !hd_starts_with(json_string_value(score), "CVSS:3.0/") &&
		    !hd_starts_with(json_string_value(score), "CVSS:3.1/"))
			return bad(f, 0, "record '%s': %sseverity[%zu].score is not a CVSS v3 vector", id, where, i);
		if (t && score && !strcmp(t, "CVSS_V4") && !hd_starts_with(json_string_value(score), "CVSS:4.0/"))
			return bad(f, 0, "record '%s': %sseverity[%zu].score is not a CVSS v4 vector", id, where, i);
	}
	return 0;
}

static int check_range(struct feed *f, const char *id, size_t ai, size_t ri, json_t *rg)
{
	static const char *const evs[] = { "introduced", "fixed", "last_affected", "limit" };
	const char *type = json_string_value(json_object_get(rg, "type"));
	json_t *events = json_object_get(rg, "events"), *ev;
	bool introduced = false, fixed = false, last = false, git;
	size_t i, k;

	if (!json_is_object(rg))
		return bad(f, 0, "record '%s': affected[%zu].ranges[%zu] must be an object", id, ai, ri);
	if (!type || (strcmp(type, "GIT") && strcmp(type, "SEMVER") && strcmp(type, "ECOSYSTEM")))
		return bad(f, 0, "record '%s': affected[%zu].ranges[%zu].type must be GIT, SEMVER or ECOSYSTEM",
			   id, ai, ri);
	git = !strcmp(type, "GIT");
	if (git && !json_is_string(json_object_get(rg, "repo")))
		return bad(f, 0, "record '%s': affected[%zu].ranges[%zu]: a GIT range needs a repo", id, ai, ri);
	if (json_object_get(rg, "repo") && !json_is_string(json_object_get(rg, "repo")))
		return bad(f, 0, "record '%s': affected[%zu].ranges[%zu].repo must be a string", id, ai, ri);
	if (!json_is_array(events) || json_array_size(events) == 0)
		return bad(f, 0, "record '%s': affected[%zu].ranges[%zu].events must be a non-empty list", id, ai, ri);
	json_array_foreach(events, i, ev) {
		size_t found = 0, which = 0;

		if (!json_is_object(ev))
			return bad(f, 0, "record '%s': affected[%zu].ranges[%zu].events[%zu] must be an object",
				   id, ai, ri, i);
		for (k = 0; k < HD_ARRAY_SIZE(evs); k++) {
			json_t *v = json_object_get(ev, evs[k]);

			if (!v)
				continue;
			if (!json_is_string(v))
				return bad(f, 0, "record '%s': affected[%zu].ranges[%zu].events[%zu].%s must be a string",
					   id, ai, ri, i, evs[k]);
			if (git && !hash_or_zero(json_string_value(v)))
				return bad(f, 0, "record '%s': affected[%zu].ranges[%zu].events[%zu].%s must be a full "
					   "commit hash or 0", id, ai, ri, i, evs[k]);
			if (json_string_length(v) > HD_MAX_VERSION_LEN)
				return bad(f, 0, "record '%s': affected[%zu].ranges[%zu].events[%zu].%s is %zu bytes, "
					   "more than %u", id, ai, ri, i, evs[k], json_string_length(v), HD_MAX_VERSION_LEN);
			found++;
			which = k;
		}
		if (found != 1)
			return bad(f, 0, "record '%s': affected[%zu].ranges[%zu].events[%zu] must have exactly one of "
				   "introduced, fixed, last_affected or limit", id, ai, ri, i);
		introduced |= which == 0;
		fixed |= which == 1;
		last |= which == 2;
	}
	if (!introduced)
		return bad(f, 0, "record '%s': affected[%zu].ranges[%zu].events has no 'introduced'", id, ai, ri);
	if (fixed && last)
		return bad(f, 0, "record '%s': affected[%zu].ranges[%zu]: 'fixed' and 'last_affected' exclude each other",
			   id, ai, ri);
	return 0;
}

/* The checks of the OSV schema (../shared/schemas/osv-schema.json). */
static int osv_check(struct feed *f, json_t *j)
{
	static const char *const keys[] = {
		"schema_version", "id", "modified", "published", "withdrawn", "aliases", "related", "upstream",
		"summary", "details", "severity", "affected", "references", "credits", "database_specific",
	};
	static const char *const akeys[] = { "package", "severity", "ranges", "versions", "ecosystem_specific",
					     "database_specific" };
	const char *key, *id;
	json_t *v, *aff, *a;
	size_t i, k;
	int r;

	if (!json_is_object(j))
		return bad(f, 0, "an OSV record must be a JSON object");
	id = json_string_value(json_object_get(j, "id"));
	if (!id)
		return bad(f, 0, "an OSV record needs an 'id' string");
	if (strlen(id) > HD_MAX_FEED_ID)
		return bad(f, 0, "an OSV id of %zu bytes, more than %u", strlen(id), HD_MAX_FEED_ID);
	if (!osv_id_ok(id))
		return bad(f, 0, "record '%s': the id does not start with a known database prefix", id);
	json_object_foreach(j, key, v) {
		for (k = 0; k < HD_ARRAY_SIZE(keys) && strcmp(key, keys[k]); k++)
			;
		if (k == HD_ARRAY_SIZE(keys))
			return bad(f, 0, "record '%s': unknown field '%s'", id, key);
	}
	if (!json_is_string(json_object_get(j, "modified")) ||
	    !timestamp_ok(json_string_value(json_object_get(j, "modified"))))
		return bad(f, 0, "record '%s': 'modified' must be an RFC 3339 UTC time", id);
	if ((v = json_object_get(j, "published")) && (!json_is_string(v) || !timestamp_ok(json_string_value(v))))
		return bad(f, 0, "record '%s': 'published' must be an RFC 3339 UTC time", id);
	if ((v = json_object_get(j, "withdrawn")) && (!json_is_string(v) || !timestamp_ok(json_string_value(v))))
		return bad(f, 0, "record '%s': 'withdrawn' must be an RFC 3339 UTC time", id);
	if ((v = json_object_get(j, "schema_version")) && !json_is_string(v))
		return bad(f, 0, "record '%s': 'schema_version' must be a string", id);
	if ((v = json_object_get(j, "aliases")) && !str_array(v, true))
		return bad(f, 0, "record '%s': 'aliases' must be a list of strings", id);
	if ((v = json_object_get(j, "related")) && !str_array(v, false))
		return bad(f, 0, "record '%s': 'related' must be a list of strings", id);
	if ((v = json_object_get(j, "upstream")) && !str_array(v, false))
		return bad(f, 0, "record '%s': 'upstream' must be a list of strings", id);
	if ((v = json_object_get(j, "summary")) && !json_is_string(v))
		return bad(f, 0, "record '%s': 'summary' must be a string", id);
	if ((v = json_object_get(j, "details")) && !json_is_string(v))
		return bad(f, 0, "record '%s': 'details' must be a string", id);
	if ((v = json_object_get(j, "database_specific")) && !json_is_object(v))
		return bad(f, 0, "record '%s': 'database_specific' must be an object", id);
	if ((v = json_object_get(j, "credits")) && !json_is_array(v))
		return bad(f, 0, "record '%s': 'credits' must be a list", id);
	if ((v = json_object_get(j, "references")) && !json_is_null(v)) {
		static const char *const rtypes[] = { "ADVISORY", "ARTICLE", "DETECTION", "DISCUSSION", "REPORT",
						      "FIX", "INTRODUCED", "GIT", "PACKAGE", "EVIDENCE", "WEB" };
		json_t *ref;

		if (!json_is_array(v))
			return bad(f, 0, "record '%s': 'references' must be a list", id);
		json_array_foreach(v, i, ref) {
			const char *t = json_string_value(json_object_get(ref, "type"));

			for (k = 0; t && k < HD_ARRAY_SIZE(rtypes) && strcmp(t, rtypes[k]); k++)
				;
			if (!t || k == HD_ARRAY_SIZE(rtypes) || !json_is_string(json_object_get(ref, "url")))
				return bad(f, 0, "record '%s': references[%zu] needs a known type and a url", id, i);
		}
	}
	if ((r = check_severity(f, id, "", json_object_get(j, "severity"))) < 0)
		return r;
	aff = json_object_get(j, "affected");
	if (!aff || json_is_null(aff))
		return 0;
	if (!json_is_array(aff))
		return bad(f, 0, "record '%s': 'affected' must be a list", id);
	json_array_foreach(aff, i, a) {
		json_t *pkg = json_object_get(a, "package"), *ranges, *rg;
		const char *eco, *name;
		size_t ri;

		if (!json_is_object(a))
			return bad(f, 0, "record '%s': affected[%zu] must be an object", id, i);
		json_object_foreach(a, key, v) {
			for (k = 0; k < HD_ARRAY_SIZE(akeys) && strcmp(key, akeys[k]); k++)
				;
			(void)k; /* other members of affected[] are allowed by the schema */
		}
		if (pkg) {
			if (!json_is_object(pkg))
				return bad(f, 0, "record '%s': affected[%zu].package must be an object", id, i);
			eco = json_string_value(json_object_get(pkg, "ecosystem"));
			name = json_string_value(json_object_get(pkg, "name"));
			if (!eco || !name)
				return bad(f, 0, "record '%s': affected[%zu].package needs 'ecosystem' and 'name' strings",
					   id, i);
			if (!ecosystem_ok(eco))
				return bad(f, 0, "record '%s': affected[%zu].package.ecosystem '%.64s' is not an OSV "
					   "ecosystem", id, i, eco);
			if (strlen(name) > HD_MAX_FEED_ID * 4 || strlen(eco) > HD_MAX_FEED_ID)
				return bad(f, 0, "record '%s': affected[%zu].package: a name of %zu bytes", id, i,
					   strlen(name));
			if ((v = json_object_get(pkg, "purl")) && !json_is_string(v))
				return bad(f, 0, "record '%s': affected[%zu].package.purl must be a string", id, i);
		}
		if (json_object_get(a, "severity") && !json_is_null(json_object_get(a, "severity")) &&
		    json_object_get(j, "severity"))
			return bad(f, 0, "record '%s': affected[%zu].severity is not allowed beside a top-level "
				   "severity", id, i);
		if ((r = check_severity(f, id, "affected[].", json_object_get(a, "severity"))) < 0)
			return r;
		if ((v = json_object_get(a, "versions")) && !str_array(v, false))
			return bad(f, 0, "record '%s': affected[%zu].versions must be a list of strings", id, i);
		if ((v = json_object_get(a, "ecosystem_specific")) && !json_is_object(v))
			return bad(f, 0, "record '%s': affected[%zu].ecosystem_specific must be an object", id, i);
		if ((v = json_object_get(a, "database_specific")) && !json_is_object(v))
			return bad(f, 0, "record '%s': affected[%zu].database_specific must be an object", id, i);
		ranges = json_object_get(a, "ranges");
		if (!ranges)
			continue;
		if (!json_is_array(ranges))
			return bad(f, 0, "record '%s': affected[%zu].ranges must be a list", id, i);
		json_array_foreach(ranges, ri, rg) {
			if ((r = check_range(f, id, i, ri, rg)) < 0)
				return r;
		}
	}
	return 0;
}

/* The record's severity: a CVSS v3 vector's score, else a database's own label. */
static void osv_severity(json_t *j, const char **sev, double *score)
{
	json_t *lists[2], *s, *a;
	size_t i, k;
	const char *label;

	*sev = NULL;
	*score = 0;
	lists[0] = json_object_get(j, "severity");
	a = json_array_get(json_object_get(j, "affected"), 0);
	lists[1] = a ? json_object_get(a, "severity") : NULL;
	for (k = 0; k < 2; k++) {
		json_array_foreach(lists[k], i, s) {
			double x = hd_cvss3_score(json_string_value(json_object_get(s, "score")));

			if (x >= 0 && x > *score) {
				*score = x;
				*sev = hd_cvss_severity(x);
			}
		}
	}
	if (*sev)
		return;
	/* GitHub's "CRITICAL", "HIGH", "MODERATE", "LOW"; Debian/Ubuntu urgencies. */
	label = json_string_value(json_object_get(json_object_get(j, "database_specific"), "severity"));
	if (!label && a)
		label = json_string_value(json_object_get(json_object_get(a, "ecosystem_specific"), "severity"));
	if (!label)
		return;
	if (!strcasecmp(label, "critical"))
		*sev = "critical";
	else if (!strcasecmp(label, "high"))
		*sev = "high";
	else if (!strcasecmp(label, "moderate") || !strcasecmp(label, "medium"))
		*sev = "medium";
	else if (!strcasecmp(label, "low") || !strcasecmp(label, "negligible"))
		*sev = "low";
}

/* The usable ranges (SEMVER and ECOSYSTEM) as compact JSON, or NULL when none. */
static char *osv_ranges(json_t *a)
{
	json_t *out = json_array(), *rg;
	size_t i;
	char *s = NULL;

	if (!out)
		return NULL;
	json_array_foreach(json_object_get(a, "ranges"), i, rg) {
		const char *t = json_string_value(json_object_get(rg, "type"));

		if (t && strcmp(t, "GIT"))
			json_array_append_new(out, json_pack("{s:s, s:O}", "t", t, "e", json_object_get(rg, "events")));
	}
	if (json_array_size(out))
		s = json_dumps(out, JSON_COMPACT);
	json_decref(out);
	return s;
}

/* The OSV source of a record: "osv PyPI", "osv Debian" (the ecosystem without its suffix). */
static void osv_source_name(json_t *j, char *buf, size_t n)
{
	const char *eco = json_string_value(json_object_get(json_object_get(json_array_get(
		json_object_get(j, "affected"), 0), "package"), "ecosystem"));
	size_t k = eco ? strcspn(eco, ":") : 0;

	snprintf(buf, n, "osv %.*s", (int)(k ? k : 7), k ? eco : "unknown");
}

static int osv_store(struct feed *f, json_t *j, bool replace_source)
{
	const char *id = json_string_value(json_object_get(j, "id")), *sev, *summary_src;
	char src[128], *aliases = NULL, *summary = NULL;
	struct hd_buf al = HD_BUF_INIT(64 * 1024);
	json_t *v, *a;
	double score;
	int64_t rid, t;
	size_t i;
	int r;

	osv_source_name(j, src, sizeof(src));
	t = parse_time(json_string_value(json_object_get(j, "modified")));
	if (t > f->newest)
		f->newest = t;
	/* The data's time: the file's (its mtime, the server's Last-Modified), else its newest record. */
	if ((r = vdb_source(f->im, src, replace_source ? "osv-zip" : "osv-json", f->name,
			    f->feed_time ? f->feed_time : f->newest, replace_source)) < 0)
		return r;
	if (!replace_source && (r = vdb_forget(f->im, id)) < 0)
		return r;
	if (json_object_get(j, "withdrawn"))
		return 0; /* withdrawn: not a vulnerability any more */
	json_array_foreach(json_object_get(j, "aliases"), i, v) {
		if (json_string_length(v) > HD_MAX_FEED_ID)
			return bad(f, 0, "record '%s': an alias of %zu bytes, more than %u", id, json_string_length(v),
				   HD_MAX_FEED_ID);
		if ((al.len && hd_buf_addch(&al, ' ') < 0) || hd_buf_addstr(&al, json_string_value(v)) < 0) {
			hd_buf_release(&al);
			return bad(f, 0, "record '%s': too many aliases", id);
		}
	}
	summary_src = json_string_value(json_object_get(j, "summary"));
	if (!summary_src)
		summary_src = json_string_value(json_object_get(j, "details"));
	if (summary_src && strlen(summary_src) > HD_MAX_FEED_STRING) {
		hd_buf_release(&al);
		return bad(f, 0, "record '%s': a summary of %zu bytes, more than the limit of %u", id,
			   strlen(summary_src), HD_MAX_FEED_STRING);
	}
	if (json_string_length(json_object_get(j, "details")) > HD_MAX_FEED_STRING) {
		hd_buf_release(&al);
		return bad(f, 0, "record '%s': details of %zu bytes, more than the limit of %u", id,
			   json_string_length(json_object_get(j, "details")), HD_MAX_FEED_STRING);
	}
	summary = summary_src ? first_line(summary_src, 300) : NULL;
	aliases = al.len ? hd_buf_detach(&al, NULL) : NULL;
	hd_buf_release(&al);
	osv_severity(j, &sev, &score);
	r = vdb_vuln(f->im, id, aliases, summary, sev, score, &rid);
	hd_free(aliases);
	hd_free(summary);
	json_array_foreach(json_object_get(j, "affected"), i, a) {
		json_t *pkg = json_object_get(a, "package"), *vers = json_object_get(a, "versions");
		const char *eco = json_string_value(json_object_get(pkg, "ecosystem"));
		char *name, *ranges, *vs = NULL;

		if (r < 0)
			break;
		if (!eco)
			continue;
		name = hd_strdup(json_string_value(json_object_get(pkg, "name")));
		if (!name)
			return -HD_ENOMEM;
		if (!strcmp(eco, "PyPI"))
			hd_pep503_normalize(name);
		ranges = osv_ranges(a);
		if (json_array_size(vers))
			vs = json_dumps(vers, JSON_COMPACT);
		if (ranges || vs)
			r = vdb_affected(f->im, eco, name, rid, HD_VDB_OSV, ranges, vs, NULL, NULL);
		hd_free(name);
		free(ranges); /* jansson's malloc */
		free(vs);
	}
	return r;
}

static int osv_record(struct feed *f, json_t *j, bool replace_source)
{
	int r = osv_check(f, j);

	return r < 0 ? r : osv_store(f, j, replace_source);
}

/* A zip of OSV records (all.zip): each *.json entry one record. */
static int import_osv_zip(struct feed *f, const void *d, size_t n)
{
	struct archive *ar = archive_read_new();
	struct archive_entry *e;
	struct hd_buf b = HD_BUF_INIT(HD_MAX_FEED_ENTRY);
	uint64_t total = 0;
	size_t entries = 0;
	int rc, r = 0;

	if (!ar)
		return -HD_ENOMEM;
	archive_read_support_format_zip(ar);
	if (archive_read_open_memory(ar, d, n) != ARCHIVE_OK) {
		r = bad(f, 0, "cannot read the zip: %s", archive_error_string(ar));
		archive_read_free(ar);
		return r;
	}
	while (r == 0 && (rc = archive_read_next_header(ar, &e)) == ARCHIVE_OK) {
		const char *en = archive_entry_pathname(e);
		json_t *j;
		json_error_t err;
		char buf[64 * 1024];
		la_ssize_t got;

		if (!en || !hd_ends_with(en, ".json"))
			continue;
		if (++entries > HD_MAX_FEED_RECORDS) {
			r = bad(f, 0, "more than %u records", HD_MAX_FEED_RECORDS);
			break;
		}
		f->entry = en;
		if (archive_entry_size_is_set(e) && archive_entry_size(e) > (la_int64_t)HD_MAX_FEED_ENTRY) {
			r = bad(f, 0, "declares %lld bytes, more than the limit of %u for one record (a zip bomb?)",
				(long long)archive_entry_size(e), HD_MAX_FEED_ENTRY);
			break;
		}
		hd_buf_reset(&b);
		while ((got = archive_read_data(ar, buf, sizeof(buf))) > 0) {
			total += (uint64_t)got;
			if (total > HD_MAX_FEED_TOTAL) {
				r = bad(f, 0, "the zip inflates to more than %llu bytes (a zip bomb?)",
					(unsigned long long)HD_MAX_FEED_TOTAL);
				break;
			}
			if (hd_buf_add(&b, buf, (size_t)got) < 0) {
				r = bad(f, 0, "inflates to more than %u bytes (a zip bomb?)", HD_MAX_FEED_ENTRY);
				break;
			}
		}
		if (r == 0 && got < 0)
			r = bad(f, 0, "cannot inflate: %s", archive_error_string(ar));
		if (r < 0)
			break;
		j = json_loadb(b.buf, b.len, 0, &err);
		if (!j) {
			r = bad(f, (unsigned)(err.line > 0 ? err.line : 0), "not JSON: %s", err.text);
			break;
		}
		r = osv_record(f, j, true);
		json_decref(j);
		if (r == 0)
			f->entry = NULL; /* libarchive reuses the name's memory for the next header */
	}
	if (r == 0 && rc != ARCHIVE_EOF)
		r = bad(f, 0, "cannot read the zip: %s", archive_error_string(ar));
	if (r == 0 && entries == 0)
		r = bad(f, 0, "the zip holds no OSV record (*.json)");
	f->entry = NULL;
	hd_buf_release(&b);
	archive_read_free(ar);
	return r;
}

/* ---- detection --------------------------------------------------------- */

static bool is_osv_key(const char *k)
{
	static const char *const keys[] = { "schema_version", "id", "modified", "published", "withdrawn",
					    "aliases", "summary", "details", "affected", "severity", "references" };
	size_t i;

	for (i = 0; i < HD_ARRAY_SIZE(keys); i++) {
		if (!strcmp(k, keys[i]))
			return true;
	}
	return false;
}

/* The first member name of a JSON object text, into buf ("" when there is none). */
static void first_key(const char *d, size_t n, char *buf, size_t bn)
{
	size_t i = 0, k = 0;

	buf[0] = '\0';
	while (i < n && d[i] != '{')
		i++;
	for (i++; i < n && isspace((unsigned char)d[i]); i++)
		;
	if (i >= n || d[i] != '"')
		return;
	for (i++; i < n && d[i] != '"' && k + 1 < bn; i++)
		buf[k++] = d[i];
	buf[k] = '\0';
}

static int import_json(struct feed *f, const char *d, size_t n, size_t start)
{
	char key[64];
	json_t *j = NULL, *v;
	json_error_t err;
	size_t i;
	int r;

	if (d[start] == '{') {
		first_key(d + start, n - start, key, sizeof(key));
		if (!is_osv_key(key) && strcmp(key, "vulns") && strcmp(key, "apkurl") && strcmp(key, "archs") &&
		    strcmp(key, "distroversion") && strcmp(key, "packages") && strcmp(key, "reponame") &&
		    strcmp(key, "urlprefix"))
			return import_debian(f, d, n);
	}
	if (n > HD_MAX_FEED_ENTRY * 4ull)
		return bad(f, 0, "%zu bytes of JSON, more than the limit for one document", n);
	j = json_loadb(d, n, 0, &err);
	if (!j)
		return bad(f, (unsigned)(err.line > 0 ? err.line : 0), "not JSON (%s)", err.text);
	if (json_is_array(j) || json_is_array(json_object_get(j, "vulns"))) {
		json_t *list = json_is_array(j) ? j : json_object_get(j, "vulns");

		r = 0;
		json_array_foreach(list, i, v) {
			if ((r = osv_record(f, v, false)) < 0)
				break;
		}
	} else if (json_object_get(j, "distroversion")) {
		r = import_alpine(f, j);
	} else if (json_object_get(j, "id") || json_object_get(j, "modified")) {
		r = osv_record(f, j, false);
	} else {
		r = bad(f, 0, "cannot tell the feed format: expected a Debian Security Tracker JSON, an Alpine "
			"secdb or OSV records");
	}
	json_decref(j);
	return r;
}

static int import_bytes(struct hd_vdb_import *im, const char *name, const void *data, size_t n,
			int64_t feed_time, struct hd_diag *diag, bool unknown_ok)
{
	struct feed f = { im, unknown_ok, name, NULL, feed_time, diag, 0 };
	const char *d = data;
	size_t i = 0;

	if (n >= 4 && !memcmp(d, "PK\x03\x04", 4))
		return import_osv_zip(&f, d, n);
	if (n >= 3 && !memcmp(d, "\xef\xbb\xbf", 3))
		i = 3;
	while (i < n && isspace((unsigned char)d[i]))
		i++;
	if (i >= n)
		return bad(&f, 0, "the file is empty");
	if (d[i] == '[') {
		/* A JSON array of records: '[' then '{' or ']' (the DSA list starts "[01 Aug 2002]"). */
		size_t k = i + 1;

		while (k < n && isspace((unsigned char)d[k]))
			k++;
		if (k >= n || d[k] == '{' || d[k] == ']')
			return import_json(&f, d, n, i);
	} else if (d[i] == '{') {
		return import_json(&f, d, n, i);
	}
	if (memmem(d, n, "distroversion:", 14) && memmem(d, n, "packages:", 9))
		return import_alpine_yaml(&f, d, n);
	if (f.unknown_ok)
		return -HD_EUNSUPPORTED;
	return bad(&f, 0, "cannot tell the feed format: expected a Debian Security Tracker JSON, an Alpine secdb "
		   "(JSON or YAML), OSV records (JSON) or an OSV all.zip");
}

int hd_vdb_import_bytes(struct hd_vdb_import *im, const char *name, const void *data, size_t n,
			int64_t feed_time, struct hd_diag *diag)
{
	return import_bytes(im, name, data, n, feed_time, diag, false);
}

static int import_file(struct hd_vdb_import *im, const char *path, struct hd_diag *diag, bool in_dir)
{
	struct stat st;
	void *map;
	int fd = open(path, O_RDONLY | O_CLOEXEC), r;

	if (fd < 0) {
		hd_diag_set(diag, path, 0, 0, "cannot read it: %s", strerror(errno));
		return errno == ENOENT ? -HD_ENOENT : errno == EACCES ? -HD_EACCES : -HD_EIO;
	}
	if (fstat(fd, &st) != 0 || !S_ISREG(st.st_mode)) {
		close(fd);
		hd_diag_set(diag, path, 0, 0, "not a regular file");
		return -HD_EINVAL;
	}
	if ((uint64_t)st.st_size > HD_MAX_FEED_FILE) {
		close(fd);
		hd_diag_set(diag, path, 0, 0, "%lld bytes, more than the limit of %llu for a feed file",
			    (long long)st.st_size, (unsigned long long)HD_MAX_FEED_FILE);
		return -HD_ETOOBIG;
	}
	if (st.st_size == 0) {
		close(fd);
		hd_diag_set(diag, path, 0, 0, "the file is empty");
		return -HD_EPARSE;
	}
	map = mmap(NULL, (size_t)st.st_size, PROT_READ, MAP_PRIVATE, fd, 0);
	close(fd);
	if (map == MAP_FAILED) {
		hd_diag_set(diag, path, 0, 0, "cannot read it: %s", strerror(errno));
		return -HD_EIO;
	}
	r = import_bytes(im, path, map, (size_t)st.st_size, (int64_t)st.st_mtime, diag, in_dir);
	munmap(map, (size_t)st.st_size);
	if (r == -HD_EUNSUPPORTED)
		r = vdb_skipped(im, path);
	return r;
}

static int cmp_names(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

static int import_dir(struct hd_vdb_import *im, const char *dir, struct hd_diag *diag, unsigned depth)
{
	DIR *d;
	struct dirent *e;
	char **names = NULL;
	size_t n = 0, alloc = 0, i;
	int r = 0;

	if (depth > HD_MAX_WALK_DEPTH) {
		hd_diag_set(diag, dir, 0, 0, "nested deeper than %u directories", HD_MAX_WALK_DEPTH);
		return -HD_ELOOP;
	}
	d = opendir(dir);
	if (!d) {
		hd_diag_set(diag, dir, 0, 0, "cannot read it: %s", strerror(errno));
		return -HD_EIO;
	}
	/* Sorted, so that the same directory always imports the same way. */
	while ((e = readdir(d)) != NULL) {
		if (e->d_name[0] == '.')
			continue;
		if (HD_GROW(names, alloc, n + 1) < 0 || !(names[n] = hd_asprintf("%s/%s", dir, e->d_name))) {
			r = -HD_ENOMEM;
			break;
		}
		n++;
	}
	closedir(d);
	if (n > 1)
		qsort(names, n, sizeof(*names), cmp_names);
	for (i = 0; i < n && r == 0; i++) {
		struct stat st;

		if (lstat(names[i], &st) != 0)
			continue;
		if (S_ISDIR(st.st_mode))
			r = import_dir(im, names[i], diag, depth + 1);
		else if (S_ISREG(st.st_mode) && st.st_size > 0)
			r = import_file(im, names[i], diag, true);
	}
	for (i = 0; i < n; i++)
		hd_free(names[i]);
	hd_free(names);
	return r;
}

int hd_vdb_import_path(struct hd_vdb_import *im, const char *path, struct hd_diag *diag)
{
	struct stat st;

	if (stat(path, &st) != 0) {
		hd_diag_set(diag, path, 0, 0, "cannot read it: %s", strerror(errno));
		return errno == ENOENT ? -HD_ENOENT : -HD_EIO;
	}
	if (S_ISDIR(st.st_mode))
		return import_dir(im, path, diag, 0);
	return import_file(im, path, diag, false);
}
