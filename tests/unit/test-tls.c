/*
 * Unit tests for harden/tls.c and audit/tls_read.c: generated certificates
 * read back with the facts the TLS rules need, keys matched to
 * certificates, encrypted keys recognised, files refused when they exist,
 * and nothing left behind on errors.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <cmocka.h>

#include "core/common.h"
#include "core/buf.h"
#include "audit/tls_read.h"
#include "harden/harden.h"

#include <openssl/evp.h>
#include <openssl/pem.h>
#include <sys/stat.h>
#include <unistd.h>

static char dir[256];

static int setup(void **state)
{
	(void)state;
	snprintf(dir, sizeof(dir), "/tmp/hd-tls.XXXXXX");
	return mkdtemp(dir) ? 0 : -1;
}

static int teardown(void **state)
{
	char cmd[512];

	(void)state;
	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", dir);
	return system(cmd) == 0 ? 0 : -1;
}

static void slurp(const char *sub, const char *name, struct hd_buf *b)
{
	char p[512];

	snprintf(p, sizeof(p), "%s/%s/%s", dir, sub, name);
	hd_buf_reset(b);
	assert_int_equal(hd_buf_read_file(b, p), 0);
}

static unsigned mode_of(const char *sub, const char *name)
{
	char p[512];
	struct stat st;

	snprintf(p, sizeof(p), "%s/%s/%s", dir, sub, name);
	assert_int_equal(stat(p, &st), 0);
	return st.st_mode & 07777;
}

static void release_cert(struct hd_cert_fact *c)
{
	hd_free(c->error);
	hd_free(c->subject);
	hd_free(c->sig_alg);
	hd_strlist_release(&c->sans);
	memset(c, 0, sizeof(*c));
}

static void test_init_and_read(void **state)
{
	const char *ips[] = { "192.0.2.10", "2001:db8::1" };
	const char *dns[] = { "alt.example" };
	struct hd_tls_init_opts o = { "build.example", ips, 2, dns, 1, NULL, 30, 0, HD_TLS_P256, 0 };
	struct hd_tls_init_result res;
	struct hd_buf b = HD_BUF_INIT(1 << 20), ca = HD_BUF_INIT(1 << 20);
	struct hd_cert_fact c;
	struct hd_key_fact k;
	char out[512], *err = NULL;
	unsigned char ca_spki[32];

	(void)state;
	snprintf(out, sizeof(out), "%s/a", dir);
	o.out_dir = out;
	o.now = 1700000000;
	assert_int_equal(hd_tls_init(&o, &res, &err), 0);
	assert_null(err);
	assert_int_equal(res.n_files, 8);
	assert_int_equal(mode_of("a/ca", "ca-key.pem"), 0400);
	assert_int_equal(mode_of("a/server", "server-key.pem"), 0400);
	assert_int_equal(mode_of("a/server", "server-cert.pem"), 0444);
	assert_int_equal(mode_of("a/client", "key.pem"), 0400);
	assert_int_equal(mode_of("a", "ca"), 0700);

	memset(&c, 0, sizeof(c));
	slurp("a/ca", "ca.pem", &ca);
	assert_int_equal(hd_tls_cert_read(ca.buf, ca.len, &c), 0);
	assert_true(c.present);
	assert_true(c.is_ca);
	assert_string_equal(c.key_type, "EC");
	assert_int_equal(c.key_bits, 256);
	assert_int_equal(c.not_after - c.not_before, 30 * 86400 + 60);
	memcpy(ca_spki, c.spki_sha256, sizeof(ca_spki));
	release_cert(&c);

	slurp("a/server", "server-cert.pem", &b);
	assert_int_equal(hd_tls_cert_read(b.buf, b.len, &c), 0);
	assert_false(c.is_ca);
	assert_true(c.has_eku && c.eku_server && !c.eku_client);
	assert_int_equal(c.sans.n, 4);
	assert_string_equal(c.sans.v[0], "DNS:build.example");
	assert_string_equal(c.sans.v[1], "DNS:alt.example");
	assert_string_equal(c.sans.v[2], "IP:192.0.2.10");
	assert_string_equal(c.sans.v[3], "IP:2001:db8::1");
	assert_string_equal(c.sig_alg, "ecdsa-with-SHA256");
	assert_non_null(strstr(c.subject, "build.example"));
	assert_int_equal(c.not_before, 1700000000 - 60);
	assert_int_equal(hd_tls_signed_by(b.buf, b.len, ca.buf, ca.len), 1);
	memset(&k, 0, sizeof(k));
	slurp("a/server", "server-key.pem", &b);
	assert_true(hd_tls_looks_like_key(b.buf, b.len));
	assert_int_equal(hd_tls_key_read(b.buf, b.len, &k), 0);
	assert_true(k.present && !k.encrypted);
	assert_memory_equal(k.spki_sha256, c.spki_sha256, 32);
	release_cert(&c);
	hd_free(k.error);

	slurp("a/client", "cert.pem", &b);
	memset(&c, 0, sizeof(c));
	assert_int_equal(hd_tls_cert_read(b.buf, b.len, &c), 0);
	assert_true(c.eku_client && !c.eku_server);
	release_cert(&c);

	memset(&k, 0, sizeof(k));
	slurp("a/ca", "ca-key.pem", &b);
	assert_int_equal(hd_tls_key_read(b.buf, b.len, &k), 0);
	assert_memory_equal(k.spki_sha256, ca_spki, 32);

	/* Files exist now: refused, and the existing ones untouched. */
	hd_tls_init_result_release(&res);
	assert_int_equal(hd_tls_init(&o, &res, &err), -HD_EINVAL);
	assert_non_null(strstr(err, "File exists"));
	hd_free(err);
	assert_int_equal(mode_of("a/ca", "ca.pem"), 0444);
	hd_buf_release(&b);
	hd_buf_release(&ca);
}

static void test_rsa_and_errors(void **state)
{
	struct hd_tls_init_opts o = { "10.0.0.1", NULL, 0, NULL, 0, NULL, 1, 3650, HD_TLS_RSA2048, 0 };
	const char *bad_ip[] = { "10.0.0.300" };
	const char *bad_dns[] = { "bad name" };
	struct hd_tls_init_result res;
	struct hd_buf b = HD_BUF_INIT(1 << 20);
	struct hd_cert_fact c;
	char out[512], p[600], *err = NULL;

	(void)state;
	snprintf(out, sizeof(out), "%s/rsa", dir);
	o.out_dir = out;
	assert_int_equal(hd_tls_init(&o, &res, &err), 0);
	slurp("rsa/server", "server-cert.pem", &b);
	memset(&c, 0, sizeof(c));
	assert_int_equal(hd_tls_cert_read(b.buf, b.len, &c), 0);
	assert_string_equal(c.key_type, "RSA");
	assert_int_equal(c.key_bits, 2048);
	assert_string_equal(c.sans.v[0], "IP:10.0.0.1");
	release_cert(&c);
	hd_tls_init_result_release(&res);

	snprintf(out, sizeof(out), "%s/bad", dir);
	o.ips = bad_ip;
	o.n_ips = 1;
	assert_int_equal(hd_tls_init(&o, &res, &err), -HD_EINVAL);
	assert_non_null(strstr(err, "'10.0.0.300' is not an IP address"));
	hd_free(err);
	snprintf(p, sizeof(p), "%s/ca", out);
	assert_int_not_equal(access(p, F_OK), 0);
	o.ips = NULL;
	o.n_ips = 0;
	o.dns = bad_dns;
	o.n_dns = 1;
	assert_int_equal(hd_tls_init(&o, &res, &err), -HD_EINVAL);
	hd_free(err);
	o.dns = NULL;
	o.n_dns = 0;
	o.days = 0;
	assert_int_equal(hd_tls_init(&o, &res, &err), -HD_EINVAL);
	hd_free(err);
	o.days = 1;
	o.host = "";
	assert_int_equal(hd_tls_init(&o, &res, &err), -HD_EINVAL);
	hd_free(err);
	hd_buf_release(&b);
}

static void test_read_garbage_and_encrypted(void **state)
{
	struct hd_cert_fact c;
	struct hd_key_fact k;
	EVP_PKEY *pk = EVP_EC_gen("P-256");
	BIO *mem = BIO_new(BIO_s_mem());
	char *data = NULL;
	long n;

	(void)state;
	memset(&c, 0, sizeof(c));
	assert_int_equal(hd_tls_cert_read("garbage", 7, &c), 0);
	assert_false(c.present);
	assert_string_equal(c.error, "no X.509 certificate in the file");
	release_cert(&c);
	memset(&k, 0, sizeof(k));
	assert_int_equal(hd_tls_key_read("-----BEGIN PRIVATE KEY-----\nxx\n-----END PRIVATE KEY-----\n", 58, &k), 0);
	assert_false(k.present);
	assert_non_null(k.error);
	hd_free(k.error);
	assert_non_null(pk);
	assert_non_null(mem);
	assert_int_equal(PEM_write_bio_PrivateKey(mem, pk, EVP_aes_256_cbc(), NULL, 0, NULL, (void *)"pw"), 1);
	n = BIO_get_mem_data(mem, &data);
	memset(&k, 0, sizeof(k));
	assert_int_equal(hd_tls_key_read(data, (size_t)n, &k), 0);
	assert_true(k.present && k.encrypted);
	assert_int_equal(hd_tls_signed_by("x", 1, "y", 1), -HD_EINVAL);
	BIO_free(mem);
	EVP_PKEY_free(pk);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_init_and_read),
		cmocka_unit_test(test_rsa_and_errors),
		cmocka_unit_test(test_read_garbage_and_encrypted),
	};

	return cmocka_run_group_tests(tests, setup, teardown);
}
