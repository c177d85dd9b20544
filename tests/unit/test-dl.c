/*
 * Unit tests for core/dl.c and the trampolines of core/dl_*.c: libraries
 * loaded by many threads at once, hd_dl_require() of every library, and the
 * variadic functions, whose arguments must arrive as the caller gave them
 * (each curl option type, getinfo's pointer, archive_set_error's format,
 * seccomp_rule_add's comparisons, MHD_start_daemon's options,
 * EVP_PKEY_Q_keygen's key size or curve).  Failures to
 * load are tested on the binary (tests/build/dl.sh).
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <cmocka.h>

#include "core/common.h"
#include "core/dl.h"

#define CURL_DISABLE_TYPECHECK 1
#include <archive.h>
#include <curl/curl.h>
#include <hs/hs.h>
#include <microhttpd.h>
#include <openssl/ec.h>
#include <openssl/evp.h>
#include <openssl/rsa.h>
#include <pthread.h>
#include <sqlite3.h>
#include <zlib.h>
#include <zstd.h>
#ifdef HD_HAVE_SECCOMP
#include <seccomp.h>
#endif

#define THREADS 8

static pthread_barrier_t barrier;

/* Every thread calls one function of each library first, at the same moment. */
static void *first_use(void *arg)
{
	uintptr_t k = (uintptr_t)arg, bad = 0;
	unsigned i;

	pthread_barrier_wait(&barrier);
	for (i = 0; i < 7; i++) {
		switch ((k + i) % 7) {
		case 0:
			bad |= !curl_version_info(CURLVERSION_NOW);
			break;
		case 1:
			bad |= ZSTD_isError(0) != 0 || !ZSTD_isError((size_t)-1);
			break;
		case 2: {
			void *p = sqlite3_malloc64(16);

			bad |= !p;
			sqlite3_free(p);
			break;
		}
		case 3: {
			struct archive *a = archive_read_new();

			bad |= !a;
			archive_read_free(a);
			break;
		}
		case 4:
			bad |= !EVP_sha256();
			break;
		case 5:
			bad |= strcmp(zError(Z_DATA_ERROR), "data error") != 0;
			break;
		default:
			bad |= MHD_is_feature_supported(MHD_FEATURE_THREADS) != MHD_YES;
			break;
		}
	}
	return (void *)bad;
}

static void test_concurrent_first_use(void **state)
{
	pthread_t t[THREADS];
	uintptr_t i;

	(void)state;
	assert_int_equal(pthread_barrier_init(&barrier, NULL, THREADS), 0);
	for (i = 0; i < THREADS; i++)
		assert_int_equal(pthread_create(&t[i], NULL, first_use, (void *)i), 0);
	for (i = 0; i < THREADS; i++) {
		void *bad = (void *)1;

		assert_int_equal(pthread_join(t[i], &bad), 0);
		assert_null(bad);
	}
	pthread_barrier_destroy(&barrier);
}

static void test_require_all(void **state)
{
	const char *msg = "untouched";

	(void)state;
	assert_int_equal(hd_dl_require((1u << HD_DL_MAX) - 1, &msg), 0);
	assert_string_equal(msg, "untouched");
	assert_int_equal(hd_dl_require(0, NULL), 0);
}

static size_t sink(char *p, size_t size, size_t n, void *data)
{
	(void)p;
	(void)data;
	return size * n;
}

/* Each CURLOPTTYPE range: a wrong decoding would pass another value or crash. */
static void test_curl_variadic(void **state)
{
	CURL *h = curl_easy_init();
	CURLM *m = curl_multi_init();
	static char priv[] = "mine";
	char *back = NULL, *url = NULL;
	long code = -1;

	(void)state;
	assert_non_null(h);
	assert_non_null(m);
	/* long: accepted, and a negative one refused by curl itself */
	assert_int_equal(curl_easy_setopt(h, CURLOPT_TIMEOUT, 5L), CURLE_OK);
	assert_int_equal(curl_easy_setopt(h, CURLOPT_TIMEOUT, -1L), CURLE_BAD_FUNCTION_ARGUMENT);
	/* object pointers: a string, and a private pointer read back by getinfo */
	assert_int_equal(curl_easy_setopt(h, CURLOPT_URL, "http://localhost/x"), CURLE_OK);
	assert_int_equal(curl_easy_setopt(h, CURLOPT_PRIVATE, priv), CURLE_OK);
	assert_int_equal(curl_easy_getinfo(h, CURLINFO_PRIVATE, &back), CURLE_OK);
	assert_ptr_equal(back, priv);
	assert_int_equal(curl_easy_getinfo(h, CURLINFO_EFFECTIVE_URL, &url), CURLE_OK);
	assert_string_equal(url, "http://localhost/x");
	assert_int_equal(curl_easy_getinfo(h, CURLINFO_RESPONSE_CODE, &code), CURLE_OK);
	assert_int_equal(code, 0);
	/* function pointer */
	assert_int_equal(curl_easy_setopt(h, CURLOPT_WRITEFUNCTION, sink), CURLE_OK);
	/* curl_off_t: accepted, and a negative one refused */
	assert_int_equal(curl_easy_setopt(h, CURLOPT_MAXFILESIZE_LARGE, (curl_off_t)1 << 40), CURLE_OK);
	assert_int_equal(curl_easy_setopt(h, CURLOPT_MAXFILESIZE_LARGE, (curl_off_t)-1),
			 CURLE_BAD_FUNCTION_ARGUMENT);
	/* the multi handle's long options */
	assert_int_equal(curl_multi_setopt(m, CURLMOPT_MAXCONNECTS, 4L), CURLM_OK);
	assert_int_equal(curl_multi_setopt(m, CURLMOPT_MAX_TOTAL_CONNECTIONS, 4L), CURLM_OK);
	curl_multi_cleanup(m);
	curl_easy_cleanup(h);
}

static void test_archive_set_error(void **state)
{
	struct archive *a = archive_read_new();

	(void)state;
	assert_non_null(a);
	archive_set_error(a, EINVAL, "layer %d: %s %%", 42, "cut short");
	assert_string_equal(archive_error_string(a), "layer 42: cut short %");
	archive_read_free(a);
}

static void test_seccomp_rule_add(void **state)
{
	(void)state;
#ifdef HD_HAVE_SECCOMP
	scmp_filter_ctx ctx = seccomp_init(SCMP_ACT_ALLOW);

	assert_non_null(ctx);
	assert_int_equal(seccomp_rule_add(ctx, SCMP_ACT_ERRNO(EPERM), SCMP_SYS(kill), 0), 0);
	/* Comparisons on arguments arrive as an array; more than six are refused here, as libseccomp does. */
	assert_int_equal(seccomp_rule_add(ctx, SCMP_ACT_ERRNO(EPERM), SCMP_SYS(write), 2,
					  SCMP_A0(SCMP_CMP_EQ, 1000), SCMP_A1(SCMP_CMP_EQ, 0)),
			 0);
	assert_true(seccomp_rule_add(ctx, SCMP_ACT_ERRNO(EPERM), SCMP_SYS(read), 7, SCMP_A0(SCMP_CMP_EQ, 1),
				     SCMP_A1(SCMP_CMP_EQ, 1), SCMP_A2(SCMP_CMP_EQ, 1), SCMP_A3(SCMP_CMP_EQ, 1),
				     SCMP_A4(SCMP_CMP_EQ, 1), SCMP_A5(SCMP_CMP_EQ, 1), SCMP_A0(SCMP_CMP_EQ, 1)) < 0);
	seccomp_release(ctx);
#else
	skip();
#endif
}

/* EVP_RSA_gen and EVP_EC_gen: the size (size_t) and the curve (char *) arrive. */
static void test_keygen(void **state)
{
	EVP_PKEY *k;

	(void)state;
	k = EVP_RSA_gen(1024);
	assert_non_null(k);
	assert_int_equal(EVP_PKEY_get_base_id(k), EVP_PKEY_RSA);
	assert_int_equal(EVP_PKEY_get_bits(k), 1024);
	EVP_PKEY_free(k);
	k = EVP_EC_gen("P-384");
	assert_non_null(k);
	assert_int_equal(EVP_PKEY_get_base_id(k), EVP_PKEY_EC);
	assert_int_equal(EVP_PKEY_get_bits(k), 384);
	EVP_PKEY_free(k);
}

static enum MHD_Result answer(void *cls, struct MHD_Connection *c, const char *url, const char *method,
			      const char *version, const char *data, size_t *size, void **con_cls)
{
	(void)cls, (void)c, (void)url, (void)method, (void)version, (void)data, (void)size, (void)con_cls;
	return MHD_NO;
}

static void test_mhd_start_daemon(void **state)
{
	struct MHD_Daemon *d;

	(void)state;
	/* The options after dh_cls reach MHD: a thread pool of two on a port of the system's choice. */
	d = MHD_start_daemon(MHD_USE_INTERNAL_POLLING_THREAD, 0, NULL, NULL, answer, NULL,
			     MHD_OPTION_THREAD_POOL_SIZE, 2u, MHD_OPTION_CONNECTION_LIMIT, 4u, MHD_OPTION_END);
	assert_non_null(d);
	MHD_stop_daemon(d);
	/* An option list MHD rejects (a pool without a polling thread) is rejected through the trampoline. */
	d = MHD_start_daemon(0, 0, NULL, NULL, answer, NULL, MHD_OPTION_THREAD_POOL_SIZE, 2u, MHD_OPTION_END);
	assert_null(d);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_concurrent_first_use),
		cmocka_unit_test(test_require_all),
		cmocka_unit_test(test_curl_variadic),
		cmocka_unit_test(test_archive_set_error),
		cmocka_unit_test(test_seccomp_rule_add),
		cmocka_unit_test(test_mhd_start_daemon),
		cmocka_unit_test(test_keygen),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
