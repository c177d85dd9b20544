/*
 * Unit tests for core/buf.c: invariants after every operation, the size cap,
 * escaping, file reading, and allocation failures turned into errors.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <cmocka.h>

#include "core/common.h"
#include "core/buf.h"

#include <inttypes.h>
#include <stdio.h>
#include <sys/types.h>
#include <unistd.h>

static void check_sane(const struct hd_buf *b)
{
	assert_non_null(b->buf);
	assert_int_equal(b->buf[b->len], '\0');
	assert_true(b->len <= b->max);
	if (b->alloc)
		assert_true(b->len < b->alloc);
}

static void test_add_and_cap(void **state)
{
	struct hd_buf b = HD_BUF_INIT(10);

	(void)state;
	check_sane(&b);
	assert_int_equal(hd_buf_addstr(&b, "hello"), 0);
	check_sane(&b);
	assert_int_equal(hd_buf_addf(&b, "%d", 1234), 0);
	assert_string_equal(b.buf, "hello1234");
	assert_int_equal(hd_buf_addstr(&b, "xx"), -HD_ETOOBIG);
	check_sane(&b);
	assert_string_equal(b.buf, "hello1234");
	assert_int_equal(hd_buf_addch(&b, '!'), 0);
	assert_int_equal(b.len, 10);
	hd_buf_release(&b);
	check_sane(&b);
	assert_int_equal(b.len, 0);
}

static void test_json_escape(void **state)
{
	struct hd_buf b = HD_BUF_INIT(1024);
	const char in[] = "a\"b\\c\n\x01\t";

	(void)state;
	assert_int_equal(hd_buf_add_json_escaped(&b, in, sizeof(in) - 1), 0);
	assert_string_equal(b.buf, "a\\\"b\\\\c\\n\\u0001\\t");
	hd_buf_release(&b);
}

static void test_xml_escape(void **state)
{
	struct hd_buf b = HD_BUF_INIT(1024);

	(void)state;
	assert_int_equal(hd_buf_add_xml_escaped(&b, "<a&'\">", 6), 0);
	assert_string_equal(b.buf, "&lt;a&amp;&apos;&quot;&gt;");
	hd_buf_release(&b);
}

static void test_read_file(void **state)
{
	struct hd_buf b = HD_BUF_INIT(1 << 20);
	char path[] = "/tmp/hd-test-buf-XXXXXX";
	int fd = mkstemp(path);
	FILE *fp;

	(void)state;
	assert_true(fd >= 0);
	fp = fdopen(fd, "w");
	for (int i = 0; i < 10000; i++)
		fprintf(fp, "line %d\n", i);
	fclose(fp);
	assert_int_equal(hd_buf_read_file(&b, path), 0);
	check_sane(&b);
	assert_true(hd_starts_with(b.buf, "line 0\nline 1\n"));
	assert_true(hd_ends_with(b.buf, "line 9999\n"));
	hd_buf_release(&b);

	/* The cap is enforced while reading, not after. */
	b.max = 100;
	assert_int_equal(hd_buf_read_file(&b, path), -HD_ETOOBIG);
	hd_buf_release(&b);
	unlink(path);
	assert_int_equal(hd_buf_read_file(&b, path), -HD_ENOENT);
	assert_int_equal(hd_buf_read_file(&b, "/tmp"), -HD_EINVAL);
	hd_buf_release(&b);
}

static void test_alloc_failure(void **state)
{
	(void)state;
	/* Fail each allocation in turn: the buffer stays sane and reports OOM. */
	for (unsigned long n = 1; n < 6; n++) {
		struct hd_buf b = HD_BUF_INIT(1 << 20);
		int r = 0;

		hd_alloc_fail_at(n);
		for (int i = 0; i < 200 && r == 0; i++)
			r = hd_buf_addstr(&b, "0123456789");
		hd_alloc_fail_at(0);
		assert_true(r == 0 || r == -HD_ENOMEM);
		check_sane(&b);
		hd_buf_release(&b);
	}
}

static void test_detach(void **state)
{
	struct hd_buf b = HD_BUF_INIT(64);
	size_t len;
	char *s;

	(void)state;
	s = hd_buf_detach(&b, &len);
	assert_string_equal(s, "");
	hd_free(s);
	hd_buf_addstr(&b, "abc");
	s = hd_buf_detach(&b, &len);
	assert_int_equal(len, 3);
	assert_string_equal(s, "abc");
	check_sane(&b);
	hd_free(s);
}

/* hd_vformat must write what vsnprintf writes, at every buffer size. */
static void check_format(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
static void check_format(const char *fmt, ...)
{
	char want[256], got[256];
	size_t size;

	for (size = 0; size <= sizeof(want); size += size < 40 ? 1 : 37) {
		va_list a, b;
		int nw, ng;

		memset(want, 'Z', sizeof(want));
		memset(got, 'Z', sizeof(got));
		va_start(a, fmt);
		nw = vsnprintf(want, size, fmt, a);
		va_end(a);
		va_start(b, fmt);
		ng = hd_vformat(got, size, fmt, b);
		va_end(b);
		assert_int_equal(ng, nw);
		assert_memory_equal(got, want, sizeof(want));
	}
}

static void test_vformat(void **state)
{
	const char *null = NULL;

	(void)state;
	check_format("plain text, no conversion");
	check_format("%s and %s", "one", "two");
	check_format("'%.*s' (%.*s)", 3, "abcdef", 10, "xy");
	check_format("%d %i %u %x %c %%", -2147483647 - 1, 42, 4294967295u, 0xbeefu, 'q');
	check_format("%ld %lu %lld %llu %zu %zd %lx", -9223372036854775807L - 1, 18446744073709551615UL,
		     -5LL, 7ULL, (size_t)12345, (ssize_t)-3, 0xffUL);
	check_format("%" PRIu32 " of %" PRIu64 ", %" PRId64, (uint32_t)7, (uint64_t)1 << 63, (int64_t)-1);
	/* What the quick path leaves to the C library: flags, widths, other conversions. */
	check_format("%5s|%-4d|%05u|%.2f|%p|%+d|%#x|%.3d", "ab", 3, 7u, 1.5, (void *)&state, 4, 255u, 9);
	check_format("%s then %8.3s", "mixed", "abcdef");
	check_format("%.*s %s", 2, "x", "y");
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wformat-overflow"
#pragma GCC diagnostic ignored "-Wformat-truncation"
#pragma GCC diagnostic ignored "-Wformat"
	check_format("[%s] [%.3s] [%.6s] [%.*s]", null, null, null, -1, null);
	check_format("trailing percent at the end %");
#pragma GCC diagnostic pop
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_add_and_cap),   cmocka_unit_test(test_json_escape),
		cmocka_unit_test(test_xml_escape),    cmocka_unit_test(test_read_file),
		cmocka_unit_test(test_alloc_failure), cmocka_unit_test(test_detach),
		cmocka_unit_test(test_vformat),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
