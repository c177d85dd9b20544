/*
 * Java archives (jar, war, ear): every META-INF/maven/GROUP/ARTIFACT/
 * pom.properties names a Maven artifact (a shaded jar holds several); a jar
 * without one is named by its manifest.  Jars nested in jars (Spring Boot's
 * BOOT-INF/lib, a war's WEB-INF/lib) are read too, HD_MAX_JAR_DEPTH deep.
 * The zip is read by its local headers, as a stream (libarchive's
 * streamable zip reader), with every inflated byte counted against
 * HD_MAX_JAR_INFLATED so that a zip bomb ends in a note, not in memory.
 */
#include "core/common.h"
#include "core/buf.h"
#include "vuln/cat_int.h"

#include <archive.h>
#include <archive_entry.h>

#define MAX_SMALL_ENTRY (64u * 1024) /* pom.properties, MANIFEST.MF */

struct jar_ctx {
	struct hd_catalog *c;
	const char *path;   /* the file on disk */
	uint64_t inflated;  /* bytes read out of entries, nested ones included */
	bool stopped;       /* a limit was reached and noted */
};

/* "key=value" (or "key: value" with colon) lines; value copied into out. */
static bool prop(const char *d, size_t n, const char *key, char sep, char *out, size_t outsz)
{
	struct cat_lines l = { d, d + n, 0 };
	size_t kl = strlen(key), len;
	const char *line;

	while (cat_line(&l, &line, &len)) {
		const char *v;
		size_t vn;

		if (len <= kl || strncmp(line, key, kl) != 0)
			continue;
		v = line + kl;
		vn = len - kl;
		while (vn && (*v == ' ' || *v == '\t')) {
			v++;
			vn--;
		}
		if (!vn || *v != sep)
			continue;
		v++;
		vn--;
		while (vn && (*v == ' ' || *v == '\t')) {
			v++;
			vn--;
		}
		while (vn && (v[vn - 1] == ' ' || v[vn - 1] == '\t'))
			vn--;
		if (vn == 0 || vn >= outsz)
			return false;
		memcpy(out, v, vn);
		out[vn] = '\0';
		return true;
	}
	return false;
}

static int add_artifact(struct hd_catalog *c, const char *group, const char *artifact, const char *version)
{
	char name[1024];
	struct hd_package p = { .eco = HD_ECO_MAVEN, .name = name, .version = version };
	int k = snprintf(name, sizeof(name), "%s:%s", group, artifact);

	if (k < 0 || (size_t)k >= sizeof(name) || !*version)
		return 0;
	return cat_add_pkg(c, &p);
}

static int pom_properties(struct hd_catalog *c, const char *d, size_t n)
{
	char g[512], a[512], v[HD_MAX_VERSION_LEN + 1];

	if (!prop(d, n, "groupId", '=', g, sizeof(g)) || !prop(d, n, "artifactId", '=', a, sizeof(a)) ||
	    !prop(d, n, "version", '=', v, sizeof(v)))
		return 0;
	return add_artifact(c, g, a, v);
}

/* A jar without pom.properties: Implementation-* or Bundle-* headers of its manifest. */
static int manifest(struct hd_catalog *c, const char *d, size_t n, const char *jar_name)
{
	char g[512], a[512], v[HD_MAX_VERSION_LEN + 1];
	const char *b = strrchr(jar_name, '/');
	char *dash;

	if (!prop(d, n, "Implementation-Version", ':', v, sizeof(v)) && !prop(d, n, "Bundle-Version", ':', v, sizeof(v)))
		return 0;
	if (!prop(d, n, "Implementation-Vendor-Id", ':', g, sizeof(g))) {
		if (!prop(d, n, "Bundle-SymbolicName", ':', g, sizeof(g)))
			return 0;
		/* "org.example.lib;singleton:=true" -> group "org.example", artifact "lib" */
		g[strcspn(g, ";")] = '\0';
		dash = strrchr(g, '.');
		if (!dash)
			return 0;
		*dash = '\0';
		snprintf(a, sizeof(a), "%s", dash + 1);
		return add_artifact(c, g, a, v);
	}
	/* The artifact from the file name: "lib-1.2.3.jar" -> "lib". */
	snprintf(a, sizeof(a), "%s", b ? b + 1 : jar_name);
	a[strcspn(a, ".")] = '\0';
	dash = strstr(a, "-");
	while (dash && !isdigit((unsigned char)dash[1]))
		dash = strstr(dash + 1, "-");
	if (dash)
		*dash = '\0';
	if (!prop(d, n, "Implementation-Title", ':', a, sizeof(a)) && !a[0])
		return 0;
	return add_artifact(c, g, a, v);
}

static bool is_pom_properties(const char *name)
{
	return hd_starts_with(name, "META-INF/maven/") && hd_ends_with(name, "/pom.properties");
}

static bool is_jar_name(const char *name)
{
	return hd_ends_with(name, ".jar") || hd_ends_with(name, ".war") || hd_ends_with(name, ".ear");
}

/* Reads the current entry into b, counting it; false when a limit stops it. */
static bool read_entry(struct jar_ctx *x, struct archive *ar, struct hd_buf *b)
{
	char chunk[16 * 1024];
	la_ssize_t got;

	while ((got = archive_read_data(ar, chunk, sizeof(chunk))) > 0) {
		x->inflated += (uint64_t)got;
		if (x->inflated > HD_MAX_JAR_INFLATED) {
			cat_note(x->c, "'%s' inflates to more than %u MiB: the rest of it is not read", x->path,
				 HD_MAX_JAR_INFLATED >> 20);
			x->stopped = true;
			return false;
		}
		if (hd_buf_add(b, chunk, (size_t)got) < 0)
			return false; /* over the entry's cap: skipped */
	}
	if (got < 0) {
		cat_note(x->c, "cannot read an entry of '%s': %s", x->path, archive_error_string(ar));
		return false;
	}
	return true;
}

static int read_jar(struct jar_ctx *x, const char *name, const unsigned char *d, size_t n, unsigned depth)
{
	struct archive *ar = archive_read_new();
	struct archive_entry *e;
	struct hd_buf mf = HD_BUF_INIT(MAX_SMALL_ENTRY);
	size_t entries = 0, poms = 0;
	int r = 0, rc = ARCHIVE_EOF;

	if (!ar)
		return -HD_ENOMEM;
	archive_read_support_format_zip_streamable(ar);
	if (archive_read_open_memory(ar, d, n) != ARCHIVE_OK) {
		r = cat_note(x->c, "cannot read '%s'%s%s: %s", x->path, depth ? " entry " : "", depth ? name : "",
			     archive_error_string(ar));
		archive_read_free(ar);
		return r;
	}
	while (r == 0 && !x->stopped && (rc = archive_read_next_header(ar, &e)) == ARCHIVE_OK) {
		const char *en = archive_entry_pathname(e);

		if (++entries > HD_MAX_JAR_ENTRIES) {
			r = cat_note(x->c, "'%s' has more than %u entries: the rest are not read", x->path,
				     HD_MAX_JAR_ENTRIES);
			break;
		}
		if (!en)
			continue;
		if (is_pom_properties(en)) {
			struct hd_buf b = HD_BUF_INIT(MAX_SMALL_ENTRY);

			if (read_entry(x, ar, &b)) {
				r = pom_properties(x->c, b.buf, b.len);
				poms++;
			}
			hd_buf_release(&b);
		} else if (!strcmp(en, "META-INF/MANIFEST.MF")) {
			hd_buf_reset(&mf);
			if (!read_entry(x, ar, &mf))
				hd_buf_reset(&mf);
		} else if (is_jar_name(en)) {
			struct hd_buf b = HD_BUF_INIT(HD_MAX_JAR_SIZE);

			if (depth + 1 >= HD_MAX_JAR_DEPTH)
				r = cat_note(x->c, "'%s' nests jars deeper than %u: '%s' is not read", x->path,
					     HD_MAX_JAR_DEPTH, en);
			else if (read_entry(x, ar, &b))
				r = read_jar(x, en, (const unsigned char *)b.buf, b.len, depth + 1);
			hd_buf_release(&b);
		}
	}
	if (r == 0 && rc != ARCHIVE_EOF && rc != ARCHIVE_OK && !x->stopped)
		r = cat_note(x->c, "cannot read '%s'%s%s: %s", x->path, depth ? " entry " : "", depth ? name : "",
			     archive_error_string(ar));
	if (r == 0 && poms == 0 && mf.len)
		r = manifest(x->c, mf.buf, mf.len, name);
	hd_buf_release(&mf);
	archive_read_free(ar);
	return r;
}

int cat_read_jar(struct hd_catalog *c, const char *path, const unsigned char *d, size_t n)
{
	struct jar_ctx x = { c, path, 0, false };

	return read_jar(&x, path, d, n, 0);
}
