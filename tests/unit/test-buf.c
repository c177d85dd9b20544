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

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_add_and_cap),   cmocka_unit_test(test_json_escape),
		cmocka_unit_test(test_xml_escape),    cmocka_unit_test(test_read_file),
		cmocka_unit_test(test_alloc_failure), cmocka_unit_test(test_detach),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
