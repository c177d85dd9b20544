/*
 * Unit tests for model/image_ref.c: normalisation like the docker CLI
 * (docker.io and library/ defaults, registry detection, tag versus port,
 * digests, scratch), unresolved variables, malformed references and
 * allocation failures.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <cmocka.h>

#include "core/common.h"
#include "model/image_ref.h"

static void expect(const char *s, const char *registry, const char *repository, const char *tag,
		   const char *digest)
{
	struct hd_image_ref r;

	assert_int_equal(hd_image_ref_parse(s, &r), 0);
	assert_string_equal(r.raw, s);
	assert_string_equal(r.registry, registry);
	assert_string_equal(r.repository, repository);
	if (tag)
		assert_string_equal(r.tag, tag);
	else
		assert_null(r.tag);
	if (digest)
		assert_string_equal(r.digest, digest);
	else
		assert_null(r.digest);
	assert_false(r.has_unresolved_var);
	hd_image_ref_release(&r);
}

static void test_normalise(void **state)
{
	(void)state;
	expect("ubuntu", "docker.io", "library/ubuntu", NULL, NULL);
	expect("ubuntu:22.04", "docker.io", "library/ubuntu", "22.04", NULL);
	expect("bitnami/redis:7", "docker.io", "bitnami/redis", "7", NULL);
	expect("docker.io/library/alpine:3", "docker.io", "library/alpine", "3", NULL);
	expect("docker.io/alpine", "docker.io", "library/alpine", NULL, NULL);
	expect("index.docker.io/alpine", "docker.io", "library/alpine", NULL, NULL);
	expect("gcr.io/distroless/static:nonroot", "gcr.io", "distroless/static", "nonroot", NULL);
	expect("localhost/app", "localhost", "app", NULL, NULL);
	expect("localhost:5000/app:1", "localhost:5000", "app", "1", NULL);
	expect("registry:5000/team/app", "registry:5000", "team/app", NULL, NULL);
	expect("mcr.microsoft.com/dotnet/sdk:8.0", "mcr.microsoft.com", "dotnet/sdk", "8.0", NULL);
	expect("a/b/c/d:e", "docker.io", "a/b/c/d", "e", NULL);
	expect("my_org/my-app__x.y:v1_2-3", "docker.io", "my_org/my-app__x.y", "v1_2-3", NULL);
	expect("alpine@sha256:0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef",
	       "docker.io", "library/alpine", NULL,
	       "sha256:0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef");
	expect("quay.io/x/y:1.0@sha256:0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef",
	       "quay.io", "x/y", "1.0", "sha256:0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef");
	expect("Registry/app", "Registry", "app", NULL, NULL);
}

static void test_scratch(void **state)
{
	struct hd_image_ref r;

	(void)state;
	assert_int_equal(hd_image_ref_parse("scratch", &r), 0);
	assert_true(r.is_scratch);
	hd_image_ref_release(&r);
	assert_int_equal(hd_image_ref_parse("scratchy", &r), 0);
	assert_false(r.is_scratch);
	hd_image_ref_release(&r);
}

static void test_unresolved(void **state)
{
	struct hd_image_ref r;

	(void)state;
	assert_int_equal(hd_image_ref_parse("${REGISTRY}/app:$TAG", &r), 0);
	assert_true(r.has_unresolved_var);
	assert_string_equal(r.raw, "${REGISTRY}/app:$TAG");
	assert_non_null(r.registry);
	assert_non_null(r.repository);
	hd_image_ref_release(&r);
	assert_int_equal(hd_image_ref_parse("$BASE", &r), 0);
	assert_true(r.has_unresolved_var);
	hd_image_ref_release(&r);
}

static void test_invalid(void **state)
{
	static const char *const bad[] = {
		"", "UPPER", "ubuntu:", "ubuntu:bad tag", ":tag", "a//b", "-a", "a-", "ubuntu@sha256:short",
		"ubuntu@nocolon", "x:a/b", "ubuntu:" "0123456789012345678901234567890123456789012345678901234567890123"
		"01234567890123456789012345678901234567890123456789012345678901234567",
		"a b", "a\tb",
	};
	size_t i;

	(void)state;
	for (i = 0; i < HD_ARRAY_SIZE(bad); i++) {
		struct hd_image_ref r;

		assert_int_equal(hd_image_ref_parse(bad[i], &r), -HD_EINVAL);
		assert_null(r.raw);
		hd_image_ref_release(&r);
	}
	{
		struct hd_image_ref r;

		assert_int_equal(hd_image_ref_parse(NULL, &r), -HD_EINVAL);
	}
	hd_image_ref_release(NULL);
}

static void test_alloc_failures(void **state)
{
	unsigned long n;

	(void)state;
	for (n = 1; n < 20; n++) {
		struct hd_image_ref r;
		int ret;

		hd_alloc_fail_at(n);
		ret = hd_image_ref_parse("gcr.io/a/b:1@sha256:0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef", &r);
		hd_alloc_fail_at(0);
		assert_true(ret == 0 || ret == -HD_ENOMEM);
		hd_image_ref_release(&r);
		if (ret == 0)
			break;
	}
	assert_true(n < 20);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_normalise),
		cmocka_unit_test(test_scratch),
		cmocka_unit_test(test_unresolved),
		cmocka_unit_test(test_invalid),
		cmocka_unit_test(test_alloc_failures),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
