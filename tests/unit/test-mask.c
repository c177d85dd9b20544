/*
 * Unit tests for lint/mask.c: what is masked (assignments by name, tokens
 * by shape, known values), what is not (references, prose, ordinary
 * values), and findings masked in place.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <cmocka.h>

#include "core/common.h"
#include "lint/mask.h"

static const struct hd_rule rule = { .id = "test/rule", .severity = HD_SEV_LOW };

/* The masked text, or the text itself when nothing was masked. */
static const char *masked(const char *s, const struct hd_strlist *known)
{
	static char out[1024];
	int err;
	char *m = hd_mask_text(s, known, &err);

	assert_int_equal(err, 0);
	snprintf(out, sizeof(out), "%s", m ? m : s);
	hd_free(m);
	return out;
}

static void test_by_name(void **state)
{
	(void)state;
	assert_string_equal(masked("ENV DB_PASSWORD=hunter2 MODE=dev", NULL), "ENV DB_PASSWORD=**** MODE=dev");
	assert_string_equal(masked("ENV API_TOKEN=\"two words\"", NULL), "ENV API_TOKEN=\"****\"");
	assert_string_equal(masked("ENV SECRET_KEY legacy form value", NULL), "ENV SECRET_KEY ****");
	assert_string_equal(masked("      GITHUB_TOKEN: abc123def", NULL), "      GITHUB_TOKEN: ****");
	assert_string_equal(masked("  - DB_PASSWORD=x1", NULL), "  - DB_PASSWORD=****");
	assert_string_equal(masked("{\"api_key\": \"k-123\", \"user\": \"bob\"}", NULL),
			    "{\"api_key\": \"****\", \"user\": \"bob\"}");
	assert_string_equal(masked("docker run -e NPM_TOKEN=abc -e MODE=dev x", NULL),
			    "docker run -e NPM_TOKEN=**** -e MODE=dev x");
	assert_string_equal(masked("docker login -u me --password hunter3 reg", NULL),
			    "docker login -u me --password **** reg");
	assert_string_equal(masked("DB_PASSWORD=hunter2", NULL), "DB_PASSWORD=****");
}

static void test_not_masked(void **state)
{
	(void)state;
	/* References to a secret are not one. */
	assert_string_equal(masked("DB_PASSWORD=${DB_PASSWORD}", NULL), "DB_PASSWORD=${DB_PASSWORD}");
	assert_string_equal(masked("DB_PASSWORD_FILE=/run/secrets/db", NULL), "DB_PASSWORD_FILE=/run/secrets/db");
	assert_string_equal(masked("  password: /run/secrets/pw", NULL), "  password: /run/secrets/pw");
	/* Prose in a message: a word followed by a colon is no key. */
	assert_string_equal(masked("ENV 'DB_PASSWORD' holds a secret: it stays in the image config", NULL),
			    "ENV 'DB_PASSWORD' holds a secret: it stays in the image config");
	assert_string_equal(masked("image 'nginx:1.27' runs as root", NULL), "image 'nginx:1.27' runs as root");
	assert_string_equal(masked("if [ \"$a\" == \"$b\" ]; then token==x; fi", NULL),
			    "if [ \"$a\" == \"$b\" ]; then token==x; fi");
}

static void test_by_shape(void **state)
{
	(void)state;
	assert_string_equal(masked("aws configure set key AKIAABCDEFGHIJKLMNOP", NULL), "aws configure set key ****");
	assert_string_equal(masked("X=ghp_abcdefghijklmnopqrstuvwxyz0123456789 y", NULL), "X=**** y");
	assert_string_equal(masked("curl https://user:pw123456@example.com/x", NULL),
			    "curl https://user:****@example.com/x");
}

static void test_known(void **state)
{
	struct hd_strlist known = { 0 };

	(void)state;
	assert_int_equal(hd_mask_note(&known, "TOKEN", "tok-123456"), 0);
	assert_int_equal(hd_mask_note(&known, "MODE", "production"), 0); /* not a secret */
	assert_int_equal(hd_mask_note(&known, "PASSWORD", "abc"), 0);    /* too short to hunt */
	assert_int_equal(hd_mask_note(&known, "ANY", "AKIAABCDEFGHIJKLMNOP"), 0); /* by shape */
	assert_int_equal(known.n, 2);
	assert_string_equal(masked("image 'registry/app:tok-123456' and tok-123456", &known),
			    "image 'registry/app:****' and ****");
	assert_string_equal(masked("mode production", &known), "mode production");
	hd_strlist_release(&known);
}

static void test_findings(void **state)
{
	struct hd_findings f;
	struct hd_check ck;
	struct hd_loc loc = { .file = "compose.yml", .line = 3, .col = 5 };

	(void)state;
	hd_findings_init(&f);
	hd_check_init(&ck, &rule, NULL, &f);
	assert_int_equal(hd_report(&ck, &loc, "value 'DB_PASSWORD=%s' found", "hunter2"), 0);
	assert_int_equal(hd_report(&ck, &loc, "nothing to hide"), 0);
	f.v[0].snippet = hd_findings_strndup(&f, "  DB_PASSWORD: hunter2", 22);
	assert_int_equal(hd_mask_findings(&f, 0, NULL, NULL), 0);
	assert_string_equal(f.v[0].message, "value 'DB_PASSWORD=****' found");
	assert_string_equal(f.v[0].snippet, "  DB_PASSWORD: ****");
	assert_string_equal(f.v[1].message, "nothing to hide");
	hd_findings_release(&f);
}

/* Masks a finding's message through cache; the result, in a static buffer. */
static const char *masked_cached(const char *msg, const struct hd_strlist *known, struct hd_mask_cache *cache)
{
	static char out[2048];
	struct hd_findings f;
	struct hd_check ck;
	struct hd_loc loc = { .file = "Dockerfile", .line = 1 };

	hd_findings_init(&f);
	hd_check_init(&ck, &rule, NULL, &f);
	assert_int_equal(hd_report(&ck, &loc, "%s", msg), 0);
	assert_int_equal(hd_mask_findings(&f, 0, known, cache), 0);
	snprintf(out, sizeof(out), "%s", f.v[0].message);
	hd_findings_release(&f);
	return out;
}

/* A text found clean is not scanned again, but the values known from another file still are masked in it. */
static void test_cache(void **state)
{
	struct hd_mask_cache *c = hd_mask_cache_new();
	struct hd_strlist known = { 0 };
	char long_text[1500];
	int i;

	(void)state;
	assert_non_null(c);
	assert_string_equal(masked_cached("pin the version of curl", NULL, c), "pin the version of curl");
	assert_string_equal(masked_cached("pin the version of curl", NULL, c), "pin the version of curl");
	assert_string_equal(masked_cached("ENV DB_PASSWORD=hunter2", NULL, c), "ENV DB_PASSWORD=****");
	assert_string_equal(masked_cached("ENV DB_PASSWORD=hunter2", NULL, c), "ENV DB_PASSWORD=****");
	assert_int_equal(hd_strlist_add(&known, "curl"), 0);
	assert_string_equal(masked_cached("pin the version of curl", &known, c), "pin the version of ****");
	/* Prefixes of a cached text are other texts. */
	assert_string_equal(masked_cached("pin the version of", NULL, c), "pin the version of");
	assert_string_equal(masked_cached("token ghp_0123456789abcdefghijklmnopqrstuvwxyzAB", NULL, c),
			    "token ****");
	/* Many texts: the cache starts again when full, and long texts are not kept; results stay right. */
	for (i = 0; i < 9000; i++) {
		char msg[64];

		snprintf(msg, sizeof(msg), "message number %d", i);
		assert_string_equal(masked_cached(msg, NULL, c), msg);
	}
	memset(long_text, 'a', sizeof(long_text) - 1);
	long_text[sizeof(long_text) - 1] = '\0';
	memcpy(long_text + 1400, " PASSWORD=x9", 12);
	assert_non_null(strstr(masked_cached(long_text, NULL, c), "PASSWORD=****"));
	hd_strlist_release(&known);
	hd_mask_cache_free(c);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_by_name),  cmocka_unit_test(test_not_masked), cmocka_unit_test(test_by_shape),
		cmocka_unit_test(test_known),    cmocka_unit_test(test_findings), cmocka_unit_test(test_cache),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
