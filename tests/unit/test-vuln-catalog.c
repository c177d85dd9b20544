/*
 * Unit tests for the package catalogue (src/vuln/catalog.h): which files it
 * asks for, each reader on files written here in the upstream formats
 * (dpkg status and status.d, info/NAME.list ownership, apk installed, an
 * rpmdb.sqlite with RPM header blobs, npm lock files v1-v3 and installed
 * package.json, Python METADATA and PKG-INFO, a Go build info section fed
 * in chunks of every size, jars with pom.properties, a manifest and a
 * nested jar), os-release, layer replacement and whiteouts, and purls.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <cmocka.h>

#include "core/common.h"
#include "core/buf.h"
#include "parse/gobuildinfo.h"
#include "vuln/catalog.h"

#include <archive.h>
#include <archive_entry.h>
#include <sqlite3.h>
#include <unistd.h>

static int feed(struct hd_catalog *c, const char *path, const char *text)
{
	return hd_catalog_file(c, path, text, strlen(text), NULL);
}

static const struct hd_package *find(const struct hd_packages *l, enum hd_pkg_eco eco, const char *name)
{
	size_t i;

	for (i = 0; i < l->n; i++) {
		if (l->v[i].eco == eco && !strcmp(l->v[i].name, name))
			return &l->v[i];
	}
	return NULL;
}

static bool has_note(const struct hd_packages *l, const char *part)
{
	size_t i;

	for (i = 0; i < l->n_notes; i++) {
		if (strstr(l->notes[i], part))
			return true;
	}
	return false;
}

static void finish(struct hd_catalog *c, struct hd_packages *l)
{
	hd_packages_init(l);
	assert_int_equal(hd_catalog_finish(c, l), 0);
}

static void test_wants(void **state)
{
	(void)state;
	assert_int_equal(hd_catalog_wants("var/lib/dpkg/status", 1000, 0100644), HD_CATALOG_WHOLE);
	assert_int_equal(hd_catalog_wants("/var/lib/dpkg/status", 1000, 0100644), HD_CATALOG_WHOLE);
	assert_int_equal(hd_catalog_wants("./var/lib/dpkg/status.d/libc6", 1000, 0100644), HD_CATALOG_WHOLE);
	assert_int_equal(hd_catalog_wants("var/lib/dpkg/status.d/libc6.md5sums", 1000, 0100644), 0);
	assert_int_equal(hd_catalog_wants("var/lib/dpkg/info/libc6:amd64.list", 1000, 0100644), HD_CATALOG_WHOLE);
	assert_int_equal(hd_catalog_wants("lib/apk/db/installed", 1000, 0100644), HD_CATALOG_WHOLE);
	assert_int_equal(hd_catalog_wants("usr/lib/python3/dist-packages/six-1.16.0.dist-info/METADATA", 100,
					  0100644), HD_CATALOG_WHOLE);
	assert_int_equal(hd_catalog_wants("app/node_modules/@types/node/package.json", 100, 0100644), HD_CATALOG_WHOLE);
	assert_int_equal(hd_catalog_wants("app/node_modules/left-pad/package.json", 100, 0100644), HD_CATALOG_WHOLE);
	assert_int_equal(hd_catalog_wants("app/node_modules/left-pad/lib/package.json", 100, 0100644), 0);
	assert_int_equal(hd_catalog_wants("app/package.json", 100, 0100644), 0);
	assert_int_equal(hd_catalog_wants("app/package-lock.json", 100, 0100644), HD_CATALOG_WHOLE);
	assert_int_equal(hd_catalog_wants("opt/app.jar", 100000, 0100644), HD_CATALOG_STREAM);
	assert_int_equal(hd_catalog_wants("usr/local/bin/tool", 5000000, 0100755), HD_CATALOG_STREAM);
	assert_int_equal(hd_catalog_wants("usr/local/bin/tool", 5000000, 0100644), 0);
	assert_int_equal(hd_catalog_wants("usr/local/bin/tool", 5000000, 0120777), 0); /* a symlink */
	assert_int_equal(hd_catalog_wants("var/lib/dpkg/status", (uint64_t)HD_MAX_CATALOG_FILE + 1, 0100644), 0);
	assert_int_equal(hd_catalog_wants("etc/passwd", 100, 0100644), 0);
}

static const char dpkg_status[] =
	"Package: libc6\n"
	"Status: install ok installed\n"
	"Architecture: amd64\n"
	"Source: glibc\n"
	"Version: 2.36-9+deb12u4\n"
	"Description: GNU C Library\n"
	" continuation: not a field\n"
	"\n"
	"Package: libgcc-s1\n"
	"Status: install ok installed\n"
	"Architecture: amd64\n"
	"Source: gcc-12 (12.2.0-14)\n"
	"Version: 12.2.0-14+b1\n"
	"\n"
	"Package: oldconf\n"
	"Status: deinstall ok config-files\n"
	"Version: 1.0-1\n"
	"\n"
	"Package: held\n"
	"Status: hold ok installed\n"
	"Version: 1:2.0-1\n"
	"\n"
	"Package: python3-six\n"
	"Status: install ok installed\n"
	"Version: 1.16.0-4\n"
	"Source: six\n";

static void test_dpkg(void **state)
{
	struct hd_catalog *c = hd_catalog_new();
	struct hd_packages l;
	const struct hd_package *p;

	(void)state;
	assert_int_equal(feed(c, "var/lib/dpkg/status", dpkg_status), 0);
	assert_int_equal(feed(c, "etc/os-release", "PRETTY_NAME=\"Debian GNU/Linux 12 (bookworm)\"\nNAME=\"Debian GNU/Linux\"\n"
			      "VERSION_ID=\"12\"\nVERSION_CODENAME=bookworm\nID=debian\n"), 0);
	/* python3-six owns its dist-info: the Python package is not catalogued again. */
	assert_int_equal(feed(c, "var/lib/dpkg/info/python3-six.list",
			      "/.\n/usr\n/usr/lib/python3/dist-packages/six-1.16.0.dist-info\n"
			      "/usr/lib/python3/dist-packages/six-1.16.0.dist-info/METADATA\n"), 0);
	assert_int_equal(feed(c, "usr/lib/python3/dist-packages/six-1.16.0.dist-info/METADATA",
			      "Metadata-Version: 2.1\nName: six\nVersion: 1.16.0\n"), 0);
	assert_int_equal(feed(c, "usr/local/lib/python3.11/dist-packages/Flask_Cors-4.0.0.dist-info/METADATA",
			      "Metadata-Version: 2.1\nName: Flask_Cors\nVersion: 4.0.0\nLicense: MIT\n\nName: body\n"), 0);
	finish(c, &l);
	assert_string_equal(l.os.id, "debian");
	assert_string_equal(l.os.codename, "bookworm");
	assert_int_equal(l.n, 5);
	p = find(&l, HD_ECO_DEB, "libc6");
	assert_non_null(p);
	assert_string_equal(p->version, "2.36-9+deb12u4");
	assert_string_equal(p->source_name, "glibc");
	assert_string_equal(p->source_version, "2.36-9+deb12u4");
	assert_string_equal(p->path, "var/lib/dpkg/status");
	assert_string_equal(p->purl, "pkg:deb/debian/libc6@2.36-9%2Bdeb12u4?arch=amd64&distro=debian-12&upstream=glibc");
	p = find(&l, HD_ECO_DEB, "libgcc-s1");
	assert_string_equal(p->source_name, "gcc-12");
	assert_string_equal(p->source_version, "12.2.0-14");
	assert_null(find(&l, HD_ECO_DEB, "oldconf"));
	assert_non_null(find(&l, HD_ECO_DEB, "held"));
	assert_string_equal(find(&l, HD_ECO_DEB, "held")->purl, "pkg:deb/debian/held@1%3A2.0-1?distro=debian-12");
	assert_null(find(&l, HD_ECO_PYPI, "six"));
	assert_int_equal(l.owned_skipped, 1);
	p = find(&l, HD_ECO_PYPI, "flask-cors");
	assert_non_null(p);
	assert_string_equal(p->version, "4.0.0");
	assert_string_equal(p->license, "MIT");
	assert_string_equal(p->purl, "pkg:pypi/flask-cors@4.0.0");
	hd_packages_release(&l);
	hd_catalog_free(c);
}

static void test_distroless(void **state)
{
	struct hd_catalog *c = hd_catalog_new();
	struct hd_packages l;

	(void)state;
	assert_int_equal(feed(c, "var/lib/dpkg/status.d/base-files",
			      "Package: base-files\nVersion: 12.4+deb12u5\nArchitecture: amd64\n"), 0);
	assert_int_equal(feed(c, "var/lib/dpkg/status.d/libssl3",
			      "Package: libssl3\nSource: openssl\nVersion: 3.0.11-1~deb12u2\n"), 0);
	assert_int_equal(feed(c, "var/lib/dpkg/status.d/libssl3.md5sums", "abc  usr/lib/x\n"), 0);
	/* Old images: no VERSION_CODENAME, the codename comes from the version. */
	assert_int_equal(feed(c, "usr/lib/os-release", "ID=debian\nVERSION_ID=\"11\"\n"), 0);
	finish(c, &l);
	assert_int_equal(l.n, 2);
	assert_string_equal(find(&l, HD_ECO_DEB, "libssl3")->source_name, "openssl");
	assert_string_equal(l.os.codename, "bullseye");
	hd_packages_release(&l);
	hd_catalog_free(c);
}

static void test_apk(void **state)
{
	struct hd_catalog *c = hd_catalog_new();
	struct hd_packages l;
	const struct hd_package *p;

	(void)state;
	assert_int_equal(feed(c, "lib/apk/db/installed",
			      "C:Q1abc=\nP:libcrypto3\nV:3.1.4-r1\nA:x86_64\nL:Apache-2.0\no:openssl\n"
			      "F:usr/lib\nR:libcrypto.so.3\n\n"
			      "P:musl\nV:1.2.4-r2\nA:x86_64\no:musl\nF:lib\nR:ld-musl-x86_64.so.1\n"
			      "F:usr/lib/python3.11/site-packages/pip-23.1.dist-info\nR:METADATA\n\n"
			      "P:broken\nA:x86_64\n\n"), 0);
	assert_int_equal(feed(c, "usr/lib/python3.11/site-packages/pip-23.1.dist-info/METADATA",
			      "Name: pip\nVersion: 23.1\n"), 0);
	assert_int_equal(feed(c, "etc/os-release", "ID=alpine\nVERSION_ID=3.19.1\n"), 0);
	finish(c, &l);
	assert_int_equal(l.n, 2);
	p = find(&l, HD_ECO_APK, "libcrypto3");
	assert_string_equal(p->source_name, "openssl");
	assert_string_equal(p->version, "3.1.4-r1");
	assert_string_equal(p->license, "Apache-2.0");
	assert_string_equal(p->purl, "pkg:apk/alpine/libcrypto3@3.1.4-r1?arch=x86_64&distro=alpine-3.19.1");
	assert_null(find(&l, HD_ECO_PYPI, "pip"));
	assert_true(has_note(&l, "package 'broken' has no 'V:'"));
	hd_packages_release(&l);
	hd_catalog_free(c);
}

static void test_npm(void **state)
{
	struct hd_catalog *c = hd_catalog_new();
	struct hd_packages l;
	const struct hd_package *p;

	(void)state;
	assert_int_equal(feed(c, "srv/v1/package-lock.json",
			      "{\"lockfileVersion\":1,\"dependencies\":{\"lodash\":{\"version\":\"4.17.20\"},"
			      "\"a\":{\"version\":\"1.0.0\",\"dev\":true,\"dependencies\":{\"b\":{\"version\":\"2.0.0\"}}}}}"), 0);
	assert_int_equal(feed(c, "srv/v3/package-lock.json",
			      "{\"lockfileVersion\":3,\"packages\":{\"\":{\"name\":\"app\",\"version\":\"0.1.0\"},"
			      "\"node_modules/@scope/x\":{\"version\":\"3.0.0\"},"
			      "\"node_modules/a/node_modules/c\":{\"version\":\"5.0.0\"},"
			      "\"node_modules/linked\":{\"link\":true},"
			      "\"packages/workspace\":{\"name\":\"ws\",\"version\":\"1.0.0\"}}}"), 0);
	assert_int_equal(feed(c, "srv/v3/node_modules/@scope/x/package.json",
			      "{\"name\":\"@scope/x\",\"version\":\"3.0.0\",\"license\":{\"type\":\"MIT\"}}"), 0);
	assert_int_equal(feed(c, "srv/bad/package-lock.json", "{\"lockfileVersion\": 2, \"packages\": {"), 0);
	finish(c, &l);
	assert_non_null(find(&l, HD_ECO_NPM, "lodash"));
	assert_non_null(find(&l, HD_ECO_NPM, "b"));
	assert_true(find(&l, HD_ECO_NPM, "a")->flags & HD_PKG_DEV);
	assert_non_null(find(&l, HD_ECO_NPM, "c"));
	assert_null(find(&l, HD_ECO_NPM, "linked"));
	assert_null(find(&l, HD_ECO_NPM, "ws"));
	assert_null(find(&l, HD_ECO_NPM, "app"));
	/* The lock file and the installed copy are one package: the installed one is kept. */
	p = find(&l, HD_ECO_NPM, "@scope/x");
	assert_string_equal(p->path, "srv/v3/node_modules/@scope/x/package.json");
	assert_string_equal(p->license, "MIT");
	assert_string_equal(p->purl, "pkg:npm/%40scope/x@3.0.0");
	assert_int_equal(l.n, 5);
	assert_true(has_note(&l, "cannot read 'srv/bad/package-lock.json' line 1"));
	hd_packages_release(&l);
	hd_catalog_free(c);
}

/* A fake Go binary: padding, the build info header at a 16-byte boundary, more padding. */
static size_t go_binary(unsigned char *buf, size_t size, size_t at, bool inline_strings)
{
	static const char start[16] = "0w\xaf\x0c\x92t\x08\x02\x41\xe1\xc1\x07\xe6\xd6\x18\xe6";
	static const char end[16] = "\xf9\x32\x43\x31\x86\x18\x20\x72\x00\x82\x42\x10\x41\x16\xd8\xf2";
	static const char mods[] = "path\texample.com/cmd/tool\n"
		"mod\texample.com\tv1.4.0\th1:abc=\n"
		"dep\tgolang.org/x/net\tv0.7.0\th1:x=\n"
		"dep\tgithub.com/old/dep\tv1.0.0\th1:y=\n"
		"=>\tgithub.com/new/dep\tv1.1.0\th1:z=\n"
		"build\t-compiler=gc\n";
	struct hd_buf info = HD_BUF_INIT(4096);
	size_t i, n = 0;

	for (i = 0; i < size; i++)
		buf[i] = (unsigned char)(i * 7);
	/* A decoy magic at an unaligned offset must be ignored. */
	memcpy(buf + 5, "\xff Go buildinf:", 14);
	hd_buf_add(&info, start, 16);
	hd_buf_addstr(&info, mods);
	hd_buf_add(&info, end, 16);
	memcpy(buf + at, "\xff Go buildinf:", 14);
	buf[at + 14] = 8;
	buf[at + 15] = inline_strings ? 2 : 0;
	n = at + 32;
	buf[n++] = 8;
	memcpy(buf + n, "go1.21.5", 8);
	n += 8;
	buf[n++] = (unsigned char)(0x80 | (info.len & 0x7f));
	buf[n++] = (unsigned char)(info.len >> 7);
	memcpy(buf + n, info.buf, info.len);
	n += info.len;
	hd_buf_release(&info);
	return n;
}

static void test_go(void **state)
{
	static unsigned char bin[16384];
	struct hd_gobuildinfo bi;
	size_t chunk;

	(void)state;
	go_binary(bin, sizeof(bin), 4096 + 48, true);
	assert_int_equal(hd_gobuildinfo_parse(bin, sizeof(bin), &bi), 0);
	assert_string_equal(bi.go_version, "go1.21.5");
	assert_string_equal(bi.path, "example.com/cmd/tool");
	assert_string_equal(bi.main.path, "example.com");
	assert_string_equal(bi.main.version, "v1.4.0");
	assert_int_equal(bi.n_deps, 2);
	assert_string_equal(bi.deps[1].path, "github.com/new/dep");
	hd_gobuildinfo_release(&bi);
	/* Every chunk size finds it across chunk boundaries. */
	for (chunk = 1; chunk <= 64; chunk++) {
		struct hd_catalog *c = hd_catalog_new();
		struct hd_catalog_stream *s;
		struct hd_packages l;
		size_t off;

		assert_int_equal(hd_catalog_begin(c, "usr/local/bin/tool", sizeof(bin), "sha256:1", &s), 0);
		for (off = 0; off < sizeof(bin); off += chunk)
			assert_int_equal(hd_catalog_chunk(s, bin + off, off + chunk <= sizeof(bin) ? chunk : sizeof(bin) - off), 0);
		assert_int_equal(hd_catalog_end(s), 0);
		finish(c, &l);
		assert_int_equal(l.n, 4);
		assert_string_equal(find(&l, HD_ECO_GO, "stdlib")->version, "v1.21.5");
		assert_string_equal(find(&l, HD_ECO_GO, "github.com/new/dep")->purl, "pkg:golang/github.com/new/dep@v1.1.0");
		assert_string_equal(find(&l, HD_ECO_GO, "example.com")->layer, "sha256:1");
		assert_null(find(&l, HD_ECO_GO, "github.com/old/dep"));
		hd_packages_release(&l);
		hd_catalog_free(c);
	}
	/* The pre-1.18 layout is named, a binary without build info gives nothing. */
	go_binary(bin, sizeof(bin), 4096, false);
	assert_int_equal(hd_gobuildinfo_parse(bin, sizeof(bin), &bi), -HD_EUNSUPPORTED);
	memset(bin, 0, sizeof(bin));
	assert_int_equal(hd_gobuildinfo_parse(bin, sizeof(bin), &bi), -HD_ENOENT);
	/* Cut short right after the header. */
	go_binary(bin, sizeof(bin), 4096, true);
	assert_int_equal(hd_gobuildinfo_parse(bin, 4096 + 40, &bi), -HD_EPARSE);
}

/* A zip in memory with the given (name, content) entries. */
static void zip(struct hd_buf *out, const char *const *names, const char *const *data, const size_t *sizes, size_t n)
{
	struct archive *a = archive_write_new();
	size_t used = 0, i;
	static char mem[1 << 20];

	archive_write_set_format_zip(a);
	assert_int_equal(archive_write_open_memory(a, mem, sizeof(mem), &used), ARCHIVE_OK);
	for (i = 0; i < n; i++) {
		struct archive_entry *e = archive_entry_new();

		archive_entry_set_pathname(e, names[i]);
		archive_entry_set_filetype(e, AE_IFREG);
		archive_entry_set_perm(e, 0644);
		archive_entry_set_size(e, (la_int64_t)sizes[i]);
		assert_int_equal(archive_write_header(a, e), ARCHIVE_OK);
		assert_int_equal(archive_write_data(a, data[i], sizes[i]), (la_ssize_t)sizes[i]);
		archive_entry_free(e);
	}
	archive_write_close(a);
	archive_write_free(a);
	hd_buf_reset(out);
	hd_buf_add(out, mem, used);
}

static void test_jar(void **state)
{
	struct hd_buf inner = HD_BUF_INIT(1 << 20), outer = HD_BUF_INIT(1 << 20);
	struct hd_catalog *c = hd_catalog_new();
	struct hd_catalog_stream *s;
	struct hd_packages l;
	const char *in_names[] = { "META-INF/MANIFEST.MF", "org/x/A.class" };
	const char *in_data[] = { "Manifest-Version: 1.0\r\nImplementation-Vendor-Id: org.yaml\r\n"
				  "Implementation-Version: 1.33\r\n", "\xca\xfe\xba\xbe" };
	size_t in_sizes[] = { strlen(in_data[0]), 4 };
	const char *out_names[] = { "META-INF/maven/org.apache.logging.log4j/log4j-core/pom.properties",
				    "BOOT-INF/lib/snakeyaml-1.33.jar" };
	const char *out_data[2];
	size_t out_sizes[2], off;

	(void)state;
	zip(&inner, in_names, in_data, in_sizes, 2);
	out_data[0] = "#Generated by Maven\ngroupId=org.apache.logging.log4j\nartifactId=log4j-core\nversion=2.14.1\n";
	out_sizes[0] = strlen(out_data[0]);
	out_data[1] = inner.buf;
	out_sizes[1] = inner.len;
	zip(&outer, out_names, out_data, out_sizes, 2);
	assert_int_equal(hd_catalog_begin(c, "app/app.jar", outer.len, NULL, &s), 0);
	for (off = 0; off < outer.len; off += 1000)
		assert_int_equal(hd_catalog_chunk(s, outer.buf + off, off + 1000 <= outer.len ? 1000 : outer.len - off), 0);
	assert_int_equal(hd_catalog_end(s), 0);
	/* A truncated jar is a note, not an error. */
	assert_int_equal(hd_catalog_begin(c, "app/broken.jar", 100, NULL, &s), 0);
	assert_int_equal(hd_catalog_chunk(s, outer.buf, 100), 0);
	assert_int_equal(hd_catalog_end(s), 0);
	finish(c, &l);
	assert_int_equal(l.n, 2);
	assert_string_equal(find(&l, HD_ECO_MAVEN, "org.apache.logging.log4j:log4j-core")->purl,
			    "pkg:maven/org.apache.logging.log4j/log4j-core@2.14.1");
	assert_string_equal(find(&l, HD_ECO_MAVEN, "org.yaml:snakeyaml")->version, "1.33");
	assert_true(has_note(&l, "app/broken.jar"));
	hd_packages_release(&l);
	hd_catalog_free(c);
	hd_buf_release(&inner);
	hd_buf_release(&outer);
}

static void put32(unsigned char *p, uint32_t v)
{
	p[0] = (unsigned char)(v >> 24);
	p[1] = (unsigned char)(v >> 16);
	p[2] = (unsigned char)(v >> 8);
	p[3] = (unsigned char)v;
}

/* An RPM header blob with string tags, an epoch and one file. */
static size_t rpm_blob(unsigned char *b, const char *name, const char *ver, const char *rel, const char *srpm)
{
	struct { uint32_t tag, type; const char *s; } strs[] = {
		{ 1000, 6, name }, { 1001, 6, ver }, { 1002, 6, rel }, { 1022, 6, "x86_64" }, { 1044, 6, srpm },
	};
	uint32_t il = 9, off = 0, i;
	unsigned char *idx = b + 8, *data = b + 8 + 16 * il;

	for (i = 0; i < 5; i++) {
		put32(idx + 16 * i, strs[i].tag);
		put32(idx + 16 * i + 4, strs[i].type);
		put32(idx + 16 * i + 8, off);
		put32(idx + 16 * i + 12, 1);
		memcpy(data + off, strs[i].s, strlen(strs[i].s) + 1);
		off += (uint32_t)strlen(strs[i].s) + 1;
	}
	off = (off + 3) & ~3u;
	put32(idx + 16 * 5, 1003); put32(idx + 16 * 5 + 4, 4); put32(idx + 16 * 5 + 8, off); put32(idx + 16 * 5 + 12, 1);
	put32(data + off, 1);
	off += 4;
	put32(idx + 16 * 6, 1116); put32(idx + 16 * 6 + 4, 4); put32(idx + 16 * 6 + 8, off); put32(idx + 16 * 6 + 12, 1);
	put32(data + off, 0);
	off += 4;
	put32(idx + 16 * 7, 1117); put32(idx + 16 * 7 + 4, 8); put32(idx + 16 * 7 + 8, off); put32(idx + 16 * 7 + 12, 1);
	memcpy(data + off, "x.dist-info", 12);
	off += 12;
	put32(idx + 16 * 8, 1118); put32(idx + 16 * 8 + 4, 8); put32(idx + 16 * 8 + 8, off); put32(idx + 16 * 8 + 12, 1);
	memcpy(data + off, "/usr/lib/python3.9/site-packages/", 34);
	off += 34;
	put32(b, il);
	put32(b + 4, off);
	return 8 + 16 * il + off;
}

static void test_rpm(void **state)
{
	char path[] = "/tmp/hd-rpmdb-XXXXXX";
	int fd = mkstemp(path);
	sqlite3 *db;
	sqlite3_stmt *st;
	unsigned char blob[2048];
	size_t n;
	struct hd_buf file = HD_BUF_INIT(1 << 24);
	struct hd_catalog *c = hd_catalog_new();
	struct hd_packages l;
	const struct hd_package *p;

	(void)state;
	assert_true(fd >= 0);
	close(fd);
	assert_int_equal(sqlite3_open(path, &db), SQLITE_OK);
	assert_int_equal(sqlite3_exec(db, "CREATE TABLE Packages (hnum INTEGER PRIMARY KEY AUTOINCREMENT, blob BLOB NOT NULL)",
				      NULL, NULL, NULL), SQLITE_OK);
	assert_int_equal(sqlite3_prepare_v2(db, "INSERT INTO Packages (blob) VALUES (?)", -1, &st, NULL), SQLITE_OK);
	n = rpm_blob(blob, "openssl-libs", "3.0.7", "25.el9_3", "openssl-3.0.7-25.el9_3.src.rpm");
	sqlite3_bind_blob(st, 1, blob, (int)n, SQLITE_TRANSIENT);
	assert_int_equal(sqlite3_step(st), SQLITE_DONE);
	sqlite3_reset(st);
	sqlite3_bind_blob(st, 1, "\0\0\0\xff\0\0\0\x10", 8, SQLITE_TRANSIENT); /* a header claiming too much */
	assert_int_equal(sqlite3_step(st), SQLITE_DONE);
	sqlite3_finalize(st);
	sqlite3_close(db);
	assert_int_equal(hd_buf_read_file(&file, path), 0);
	unlink(path);
	assert_int_equal(hd_catalog_file(c, "var/lib/rpm/rpmdb.sqlite", file.buf, file.len, NULL), 0);
	assert_int_equal(feed(c, "usr/lib/python3.9/site-packages/x.dist-info/METADATA", "Name: x\nVersion: 1\n"), 0);
	assert_int_equal(feed(c, "etc/os-release", "ID=\"rhel\"\nVERSION_ID=\"9.3\"\n"), 0);
	finish(c, &l);
	assert_int_equal(l.n, 1);
	p = find(&l, HD_ECO_RPM, "openssl-libs");
	assert_string_equal(p->version, "1:3.0.7-25.el9_3");
	assert_string_equal(p->source_name, "openssl");
	assert_string_equal(p->purl, "pkg:rpm/rhel/openssl-libs@1%3A3.0.7-25.el9_3?arch=x86_64&distro=rhel-9.3");
	assert_int_equal(l.owned_skipped, 1);
	assert_true(has_note(&l, "row 2: header sizes"));
	hd_packages_release(&l);
	hd_buf_release(&file);
	/* Only the BerkeleyDB database: said so. */
	assert_int_equal(feed(c, "var/lib/rpm/Packages", "\0\0\0\0"), 0);
	finish(c, &l);
	assert_int_equal(l.n, 0);
	assert_true(has_note(&l, "BerkeleyDB"));
	hd_packages_release(&l);
	hd_catalog_free(c);
}

static void test_layers(void **state)
{
	struct hd_catalog *c = hd_catalog_new();
	struct hd_packages l;

	(void)state;
	assert_int_equal(hd_catalog_file(c, "var/lib/dpkg/status", dpkg_status, strlen(dpkg_status), "sha256:a"), 0);
	/* A later layer rewrites the status file: only its packages count. */
	static const char later[] = "Package: only\nStatus: install ok installed\nVersion: 1\n";

	assert_int_equal(hd_catalog_file(c, "var/lib/dpkg/status", later, strlen(later), "sha256:b"), 0);
	assert_int_equal(feed(c, "app/node_modules/x/package.json", "{\"name\":\"x\",\"version\":\"1.0.0\"}"), 0);
	assert_int_equal(hd_catalog_remove(c, "/app/node_modules/x/package.json"), 0);
	finish(c, &l);
	assert_int_equal(l.n, 1);
	assert_string_equal(l.v[0].name, "only");
	assert_string_equal(l.v[0].layer, "sha256:b");
	hd_packages_release(&l);
	hd_catalog_free(c);
}

static void test_purl(void **state)
{
	struct hd_package p = { .eco = HD_ECO_GO, .name = "github.com/a/b", .version = "v0.0.0-2023+incompatible" };
	char *s;

	(void)state;
	s = hd_purl(&p, NULL);
	assert_string_equal(s, "pkg:golang/github.com/a/b@v0.0.0-2023%2Bincompatible");
	hd_free(s);
	p = (struct hd_package){ .eco = HD_ECO_PYPI, .name = "zope-interface", .version = "6.0" };
	s = hd_purl(&p, NULL);
	assert_string_equal(s, "pkg:pypi/zope-interface@6.0");
	hd_free(s);
	{
		char n[] = "Zope.Interface__x";

		hd_pep503_normalize(n);
		assert_string_equal(n, "zope-interface-x");
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_wants),
		cmocka_unit_test(test_dpkg),
		cmocka_unit_test(test_distroless),
		cmocka_unit_test(test_apk),
		cmocka_unit_test(test_npm),
		cmocka_unit_test(test_go),
		cmocka_unit_test(test_jar),
		cmocka_unit_test(test_rpm),
		cmocka_unit_test(test_layers),
		cmocka_unit_test(test_purl),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
