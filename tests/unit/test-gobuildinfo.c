/*
 * Unit tests for parse/gobuildinfo.c: the module text (mod, dep, =>,
 * quoted build settings), -ldflags -X values, crafted ELF files of both
 * layouts (inline Go 1.18+, pointer layout little- and big-endian, 64 and
 * 32 bits, without a section table), damaged and truncated blobs, the
 * streaming scan over chunks of any size, and the real Go binaries Debian's
 * docker.io, containerd and runc packages install (tools/test-deps.txt).
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <cmocka.h>

#include "core/common.h"
#include "core/buf.h"
#include "parse/gobuildinfo.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

static const unsigned char start16[16] = { 0x30, 0x77, 0xaf, 0x0c, 0x92, 0x74, 0x08, 0x02,
					   0x41, 0xe1, 0xc1, 0x07, 0xe6, 0xd6, 0x18, 0xe6 };
static const unsigned char end16[16] = { 0xf9, 0x32, 0x43, 0x31, 0x86, 0x18, 0x20, 0x72,
					 0x00, 0x82, 0x42, 0x10, 0x41, 0x16, 0xd8, 0xf2 };

static const char modtext[] =
	"path\texample.com/tool/cmd/tool\n"
	"mod\texample.com/tool\tv1.4.2\th1:abc=\n"
	"dep\tgithub.com/a/b\tv0.3.1\th1:x=\n"
	"dep\tgolang.org/x/net\tv0.7.0\th1:y=\n"
	"=>\tgolang.org/x/net\tv0.17.0\th1:z=\n"
	"build\t-compiler=gc\n"
	"build\t-ldflags=\"-s -w -X main.version=1.4.2 -X 'main.commit=abc def'\"\n"
	"build\t\"odd=key\"=\"tab\\there \\\"q\\\" \\u00e9\"\n"
	"build\tGOOS=linux\n";

/* The module text with its sentinels, as the toolchain stores it. */
static size_t framed(char *out, const char *text)
{
	size_t n = strlen(text);

	memcpy(out, start16, 16);
	memcpy(out + 16, text, n);
	memcpy(out + 16 + n, end16, 16);
	return n + 32;
}

static void check_modinfo(const struct hd_gobuildinfo *bi)
{
	const struct hd_gomod *net;
	bool oom;
	char *v;

	assert_string_equal(bi->path, "example.com/tool/cmd/tool");
	assert_string_equal(bi->main.path, "example.com/tool");
	assert_string_equal(bi->main.version, "v1.4.2");
	assert_string_equal(bi->main.sum, "h1:abc=");
	assert_int_equal(bi->n_deps, 2);
	/* The replaced dependency is listed as what was built: the replacement. */
	net = hd_gobuildinfo_module(bi, "golang.org/x/net");
	assert_non_null(net);
	assert_string_equal(net->version, "v0.17.0");
	assert_string_equal(net->replaces, "golang.org/x/net");
	assert_string_equal(net->sum, "h1:z=");
	assert_null(bi->deps[0].replaces);
	assert_string_equal(hd_gobuildinfo_setting(bi, "GOOS"), "linux");
	assert_string_equal(hd_gobuildinfo_setting(bi, "odd=key"), "tab\there \"q\" \xc3\xa9");
	v = hd_gobuildinfo_ldflag_x(bi, "main.version", &oom);
	assert_string_equal(v, "1.4.2");
	hd_free(v);
	v = hd_gobuildinfo_ldflag_x(bi, "main.commit", &oom);
	assert_string_equal(v, "abc def");
	hd_free(v);
	assert_null(hd_gobuildinfo_ldflag_x(bi, "main.other", &oom));
	assert_false(oom);
}

static void test_modinfo(void **state)
{
	struct hd_gobuildinfo bi;
	char buf[2048];
	size_t n = framed(buf, modtext);

	(void)state;
	memset(&bi, 0, sizeof(bi));
	assert_int_equal(hd_gobuildinfo_parse_modinfo(buf, n, &bi), 0);
	check_modinfo(&bi);
	hd_gobuildinfo_release(&bi);
	/* Unframed text reads the same. */
	memset(&bi, 0, sizeof(bi));
	assert_int_equal(hd_gobuildinfo_parse_modinfo(modtext, strlen(modtext), &bi), 0);
	check_modinfo(&bi);
	hd_gobuildinfo_release(&bi);
}

static void test_modinfo_bad(void **state)
{
	static const char *const bad[] = {
		"build\tnoequals\n",
		"build\t\"unterminated=x\n",
		"build\tk=\"bad \\q escape\"\n",
		"=>\tx\tv1\n",                       /* a replacement of nothing */
		"mod\ta\tv1\n=>\tb\tv2\n",             /* of the main module */
		"dep\t\tv1\n",                       /* no path */
		"dep\ta\tv1\n=>\tb\tv2\n=>\tc\tv3\n", /* two replacements */
	};
	size_t i;

	(void)state;
	for (i = 0; i < HD_ARRAY_SIZE(bad); i++) {
		struct hd_gobuildinfo bi;

		memset(&bi, 0, sizeof(bi));
		assert_int_equal(hd_gobuildinfo_parse_modinfo(bad[i], strlen(bad[i]), &bi), -HD_EPARSE);
		hd_gobuildinfo_release(&bi);
	}
}

static void test_ldflags_forms(void **state)
{
	struct hd_gobuildinfo bi;
	const char *text = "build\t-ldflags=\"-X=main.version=1 --X main.version=2 -X \\\"main.version=3\\\" "
			   "-X main.versionx=9\"\n";
	bool oom;
	char *v;

	(void)state;
	memset(&bi, 0, sizeof(bi));
	assert_int_equal(hd_gobuildinfo_parse_modinfo(text, strlen(text), &bi), 0);
	v = hd_gobuildinfo_ldflag_x(&bi, "main.version", &oom);
	assert_string_equal(v, "3"); /* the last one wins, quotes removed */
	hd_free(v);
	hd_gobuildinfo_release(&bi);
}

/* ------------------------------------------------------------------ */
/* Crafted ELF files. */

struct img {
	unsigned char b[16384];
	size_t len;
	bool be, is64;
};

static void put(struct img *m, size_t off, uint64_t v, unsigned size)
{
	unsigned i;

	for (i = 0; i < size; i++)
		m->b[off + (m->be ? size - 1 - i : i)] = (unsigned char)(v >> (8 * i));
	if (off + size > m->len)
		m->len = off + size;
}

static void put_bytes(struct img *m, size_t off, const void *p, size_t n)
{
	memcpy(m->b + off, p, n);
	if (off + n > m->len)
		m->len = off + n;
}

#define VBASE 0x400000u
#define SEG_OFF 0x1000u  /* the data segment: file offset 0x1000 at VBASE + 0x1000 */
#define BI_OFF 0x1100u   /* the blob */

/*
 * An ELF file with one writable PT_LOAD segment over [SEG_OFF, len) and,
 * when sections is set, a section table naming .go.buildinfo at BI_OFF.
 */
static void elf_frame(struct img *m, bool sections, size_t bi_size)
{
	size_t ph, sh, str;
	static const char names[] = "\0.shstrtab\0.go.buildinfo\0";

	memcpy(m->b, "\177ELF", 4);
	m->b[4] = m->is64 ? 2 : 1;
	m->b[5] = m->be ? 2 : 1;
	m->b[6] = 1;
	ph = m->is64 ? 64 : 52;
	put(m, 16, 2, 2); /* ET_EXEC */
	if (m->is64) {
		put(m, 32, ph, 8);
		put(m, 54, 56, 2);
		put(m, 56, 1, 2);
		put(m, 58, 64, 2);
	} else {
		put(m, 28, ph, 4);
		put(m, 42, 32, 2);
		put(m, 44, 1, 2);
		put(m, 46, 40, 2);
	}
	/* PT_LOAD, PF_R|PF_W, covering the data. */
	if (m->is64) {
		put(m, ph, 1, 4);
		put(m, ph + 4, 6, 4);
		put(m, ph + 8, SEG_OFF, 8);
		put(m, ph + 16, VBASE + SEG_OFF, 8);
		put(m, ph + 32, m->len - SEG_OFF, 8);
	} else {
		put(m, ph, 1, 4);
		put(m, ph + 4, SEG_OFF, 4);
		put(m, ph + 8, VBASE + SEG_OFF, 4);
		put(m, ph + 16, m->len - SEG_OFF, 4);
		put(m, ph + 24, 6, 4);
	}
	if (!sections)
		return;
	str = m->len;
	put_bytes(m, str, names, sizeof(names));
	sh = (m->len + 15) & ~(size_t)15;
	if (m->is64) {
		put(m, 40, sh, 8);
		put(m, 60, 3, 2);
		put(m, 62, 1, 2);
		memset(m->b + sh, 0, 3 * 64);
		m->len = sh + 3 * 64;
		put(m, sh + 64, 1, 4);
		put(m, sh + 64 + 24, str, 8);
		put(m, sh + 64 + 32, sizeof(names), 8);
		put(m, sh + 128, 11, 4);
		put(m, sh + 128 + 24, BI_OFF, 8);
		put(m, sh + 128 + 32, bi_size, 8);
	} else {
		put(m, 32, sh, 4);
		put(m, 48, 3, 2);
		put(m, 50, 1, 2);
		memset(m->b + sh, 0, 3 * 40);
		m->len = sh + 3 * 40;
		put(m, sh + 40, 1, 4);
		put(m, sh + 40 + 16, str, 4);
		put(m, sh + 40 + 20, sizeof(names), 4);
		put(m, sh + 80, 11, 4);
		put(m, sh + 80 + 16, BI_OFF, 4);
		put(m, sh + 80 + 20, bi_size, 4);
	}
}

static size_t put_varint(struct img *m, size_t off, uint64_t v)
{
	size_t n = 0;

	do {
		unsigned char c = (unsigned char)(v & 0x7f);

		v >>= 7;
		if (v)
			c |= 0x80;
		put_bytes(m, off + n++, &c, 1);
	} while (v);
	return n;
}

static const char go_magic[] = "\xff Go buildinf:";

/* The Go 1.18+ layout: header, then the two strings inline. */
static size_t inline_blob(struct img *m, size_t off, const char *ver, const char *mod)
{
	char fr[2048];
	size_t n = framed(fr, mod), p = off + 32;

	put_bytes(m, off, go_magic, 14);
	m->b[off + 14] = 8;
	m->b[off + 15] = 2;
	p += put_varint(m, p, strlen(ver));
	put_bytes(m, p, ver, strlen(ver));
	p += strlen(ver);
	p += put_varint(m, p, n);
	put_bytes(m, p, fr, n);
	return p + n - off;
}

/* The pointer layout: the header points at two Go string headers further in the segment. */
static size_t pointer_blob(struct img *m, size_t off, const char *ver, const char *mod)
{
	unsigned ptr = m->is64 ? 8 : 4;
	size_t hdrs = off + 64, data = off + 128, n;
	char fr[2048];

	n = framed(fr, mod);
	put_bytes(m, off, go_magic, 14);
	m->b[off + 14] = (unsigned char)ptr;
	m->b[off + 15] = m->be ? 1 : 0;
	put(m, off + 16, VBASE + hdrs, ptr);
	put(m, off + 16 + ptr, VBASE + hdrs + 2 * ptr, ptr);
	put(m, hdrs, VBASE + data, ptr);
	put(m, hdrs + ptr, strlen(ver), ptr);
	put_bytes(m, data, ver, strlen(ver));
	put(m, hdrs + 2 * ptr, VBASE + data + 32, ptr);
	put(m, hdrs + 3 * ptr, n, ptr);
	put_bytes(m, data + 32, fr, n);
	return data + 32 + n - off;
}

static void build(struct img *m, bool be, bool is64, bool pointer, bool sections)
{
	size_t size;

	memset(m, 0, sizeof(*m));
	m->be = be;
	m->is64 = is64;
	m->len = SEG_OFF + 0x100;
	size = pointer ? pointer_blob(m, BI_OFF, "go1.16.15", modtext)
		       : inline_blob(m, BI_OFF, "go1.21.6", modtext);
	elf_frame(m, sections, pointer ? 32 : size);
}

static void test_elf_layouts(void **state)
{
	static const struct { bool be, is64, pointer, sections; const char *go; } v[] = {
		{ false, true, false, true, "go1.21.6" },
		{ false, true, false, false, "go1.21.6" }, /* no section table: data segment scanned */
		{ false, true, true, true, "go1.16.15" },
		{ true, false, true, true, "go1.16.15" },  /* 32-bit big-endian pointers */
		{ true, true, true, false, "go1.16.15" },
	};
	size_t i;

	(void)state;
	for (i = 0; i < HD_ARRAY_SIZE(v); i++) {
		struct img m;
		struct hd_gobuildinfo bi;

		build(&m, v[i].be, v[i].is64, v[i].pointer, v[i].sections);
		memset(&bi, 0, sizeof(bi));
		assert_int_equal(hd_gobuildinfo_read_mem(m.b, m.len, &bi), 0);
		assert_string_equal(bi.go_version, v[i].go);
		assert_int_equal(bi.inline_layout, !v[i].pointer);
		check_modinfo(&bi);
		hd_gobuildinfo_release(&bi);
	}
}

static void test_elf_damaged(void **state)
{
	struct img m;
	struct hd_gobuildinfo bi;
	size_t cut;
	static const char text[] = "#!/bin/sh\necho 1.0\n";

	(void)state;
	memset(&bi, 0, sizeof(bi));
	/* Not ELF, not Go. */
	assert_int_equal(hd_gobuildinfo_read_mem(text, sizeof(text) - 1, &bi), -HD_ENOENT);
	build(&m, false, true, false, true);
	memcpy(m.b + BI_OFF, "\xff Go buildinX:", 14);
	assert_int_equal(hd_gobuildinfo_read_mem(m.b, m.len, &bi), -HD_EPARSE);
	/* Every truncation of a valid file is an error, never a crash or a partial result. */
	build(&m, false, true, false, true);
	for (cut = 0; cut < BI_OFF + 100; cut += 7) {
		int r = hd_gobuildinfo_read_mem(m.b, cut, &bi);

		assert_true(r == -HD_ENOENT || r == -HD_EPARSE);
		assert_null(bi.go_version);
	}
	/* A pointer outside every segment. */
	build(&m, false, true, true, true);
	put(&m, BI_OFF + 16, 0x7777777, 8);
	assert_int_equal(hd_gobuildinfo_read_mem(m.b, m.len, &bi), -HD_EPARSE);
	/* A string length beyond the limit. */
	build(&m, false, true, true, true);
	put(&m, BI_OFF + 64 + 8, (uint64_t)HD_MAX_GOBUILDINFO + 1, 8);
	assert_int_equal(hd_gobuildinfo_read_mem(m.b, m.len, &bi), -HD_EPARSE);
	/* A pointer size that is neither 4 nor 8. */
	build(&m, false, true, false, true);
	m.b[BI_OFF + 14] = 3;
	assert_int_equal(hd_gobuildinfo_read_mem(m.b, m.len, &bi), -HD_EPARSE);
	hd_gobuildinfo_release(&bi);
}

/* ------------------------------------------------------------------ */
/* Streaming. */

static int scan_in_chunks(const unsigned char *p, size_t n, size_t chunk, struct hd_gobuildinfo *bi)
{
	struct hd_gobi_scanner *s = hd_gobi_scanner_new();
	size_t off = 0;
	int r = 0;

	assert_non_null(s);
	while (off < n && r == 0) {
		size_t k = n - off < chunk ? n - off : chunk;

		r = hd_gobi_scanner_feed(s, p + off, k);
		off += k;
	}
	if (r == 0)
		r = hd_gobi_scanner_finish(s, bi);
	hd_gobi_scanner_free(s);
	return r;
}

static void test_scan(void **state)
{
	static const size_t chunks[] = { 1, 7, 15, 16, 17, 4096, 100000 };
	struct img m;
	struct hd_gobuildinfo s;
	size_t i;

	(void)state;
	build(&m, false, true, false, true);
	for (i = 0; i < HD_ARRAY_SIZE(chunks); i++) {
		assert_int_equal(scan_in_chunks(m.b, m.len, chunks[i], &s), 0);
		assert_string_equal(s.go_version, "go1.21.6");
		check_modinfo(&s);
		hd_gobuildinfo_release(&s);
	}
	/* A false magic (bad header) 32 bytes before the real blob, and one right before it. */
	memset(&m, 0, sizeof(m));
	m.len = 4096;
	put_bytes(&m, 1024 - 32, go_magic, 14);
	m.b[1024 - 32 + 14] = 9;
	put_bytes(&m, 1024 - 16, go_magic, 14);
	inline_blob(&m, 1024, "go1.22.0", modtext);
	for (i = 0; i < HD_ARRAY_SIZE(chunks); i++) {
		assert_int_equal(scan_in_chunks(m.b, m.len, chunks[i], &s), 0);
		assert_string_equal(s.go_version, "go1.22.0");
		hd_gobuildinfo_release(&s);
	}
	/* Not on a 16-byte boundary: not a blob. */
	memset(&m, 0, sizeof(m));
	m.len = 4096;
	inline_blob(&m, 1032, "go1.22.0", modtext);
	assert_int_equal(scan_in_chunks(m.b, m.len, 100, &s), -HD_ENOENT);
	/* The pointer layout needs random access. */
	build(&m, false, true, true, true);
	assert_int_equal(scan_in_chunks(m.b, m.len, 333, &s), -HD_EUNSUPPORTED);
	/* Cut inside the blob. */
	build(&m, false, true, false, true);
	assert_int_equal(scan_in_chunks(m.b, BI_OFF + 60, 64, &s), -HD_EPARSE);
}

/* ------------------------------------------------------------------ */
/* Real binaries. */

/* The Version: of an installed package from dpkg's database, or "" . */
static void dpkg_version(const char *pkg, char *out, size_t size)
{
	struct hd_buf b = HD_BUF_INIT(64u << 20);
	char want[128];
	const char *p;

	out[0] = '\0';
	snprintf(want, sizeof(want), "Package: %s\n", pkg);
	if (hd_buf_read_file(&b, "/var/lib/dpkg/status") < 0)
		return;
	for (p = b.buf; (p = strstr(p, want)); p++) {
		const char *para = strstr(p, "\n\n"), *v = strstr(p, "\nVersion: ");

		if (v && (!para || v < para)) {
			snprintf(out, size, "%.*s", (int)strcspn(v + 10, "\n"), v + 10);
			break;
		}
	}
	hd_buf_release(&b);
}

static void read_file_bi(const char *path, struct hd_gobuildinfo *bi)
{
	int fd = open(path, O_RDONLY | O_CLOEXEC);

	if (fd < 0)
		fail_msg("%s is missing: install the test dependencies (tools/test-deps.txt: docker.io)", path);
	assert_int_equal(hd_gobuildinfo_read_fd(fd, bi), 0);
	close(fd);
	assert_true(hd_starts_with(bi->go_version, "go1."));
	assert_string_equal(hd_gobuildinfo_setting(bi, "GOOS"), "linux");
}

static void test_real_binaries(void **state)
{
	struct hd_gobuildinfo bi;
	char ver[128];
	bool oom;
	char *v;
	int fd;

	(void)state;
	/* dockerd: Debian's build records -ldflags with the version. */
	read_file_bi("/usr/sbin/dockerd", &bi);
	assert_string_equal(bi.path, "github.com/docker/docker/cmd/dockerd");
	v = hd_gobuildinfo_ldflag_x(&bi, "github.com/docker/docker/dockerversion.Version", &oom);
	assert_non_null(v);
	dpkg_version("docker.io", ver, sizeof(ver));
	assert_true(ver[0]);
	assert_true(hd_starts_with(ver, v)); /* "20.10.24+dfsg1" of "20.10.24+dfsg1-1+deb12u1" */
	hd_free(v);
	hd_gobuildinfo_release(&bi);
	/* containerd and runc: -trimpath builds, so no -ldflags; the package gives their version. */
	read_file_bi("/usr/bin/containerd", &bi);
	assert_string_equal(bi.path, "github.com/containerd/containerd/cmd/containerd");
	assert_string_equal(hd_gobuildinfo_setting(&bi, "-trimpath"), "true");
	hd_gobuildinfo_release(&bi);
	read_file_bi("/usr/sbin/runc", &bi);
	assert_string_equal(bi.path, "github.com/opencontainers/runc");
	hd_gobuildinfo_release(&bi);
	/* The streaming scan finds the same in the whole 70 MiB file, read in odd chunks. */
	fd = open("/usr/sbin/dockerd", O_RDONLY | O_CLOEXEC);
	assert_true(fd >= 0);
	{
		struct hd_gobi_scanner *s = hd_gobi_scanner_new();
		static unsigned char chunk[65521];
		ssize_t n;
		int r = 0;

		while (r == 0 && !hd_gobi_scanner_done(s) && (n = read(fd, chunk, sizeof(chunk))) > 0)
			r = hd_gobi_scanner_feed(s, chunk, (size_t)n);
		assert_int_equal(r, 0);
		assert_int_equal(hd_gobi_scanner_finish(s, &bi), 0);
		assert_string_equal(bi.path, "github.com/docker/docker/cmd/dockerd");
		assert_non_null(hd_gobuildinfo_setting(&bi, "-ldflags"));
		hd_gobuildinfo_release(&bi);
		hd_gobi_scanner_free(s);
	}
	close(fd);
	/* A C binary is no Go binary. */
	fd = open("/bin/sh", O_RDONLY | O_CLOEXEC);
	assert_true(fd >= 0);
	assert_int_equal(hd_gobuildinfo_read_fd(fd, &bi), -HD_ENOENT);
	close(fd);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_modinfo),
		cmocka_unit_test(test_modinfo_bad),
		cmocka_unit_test(test_ldflags_forms),
		cmocka_unit_test(test_elf_layouts),
		cmocka_unit_test(test_elf_damaged),
		cmocka_unit_test(test_scan),
		cmocka_unit_test(test_real_binaries),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
