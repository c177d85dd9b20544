/*
 * Unit tests for the shared secret classifier (rules/secrets.c): variables
 * judged by name and value (URLs, booleans, paths, *_FILE, module names and
 * settings about secrets are not secrets; a pass-through has no value),
 * secrets on command lines, and environment variables that turn TLS
 * verification off.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <cmocka.h>

#include "core/common.h"
#include "rules/secrets.h"

static void test_classify(void **state)
{
	static const struct {
		const char *name, *value;
		enum hd_secret_class cls;
	} cases[] = {
		{ "DB_PASSWORD", "hunter2", HD_SECRET_LITERAL },
		{ "dbPassword", "hunter2", HD_SECRET_LITERAL },
		{ "GITHUB_TOKEN", "abc123", HD_SECRET_LITERAL },
		{ "API_KEY", "3f9d2c1e", HD_SECRET_LITERAL },
		{ "DB_PASSWORD", "$DB_PASSWORD", HD_SECRET_REFERENCE },
		{ "DB_PASSWORD", "${DB_PASSWORD:-x}", HD_SECRET_REFERENCE },
		{ "DB_PASSWORD", "pre${X}", HD_SECRET_REFERENCE },
		{ "DB_PASSWORD", NULL, HD_SECRET_PASSTHROUGH },
		{ "TOKEN_AUTH_URL", "https://auth.example.com/token", HD_SECRET_NONE },
		{ "JWT_TOKEN_AUTH_MODULE", "org.example.JwtModule", HD_SECRET_NONE },
		{ "SE_VNC_NO_PASSWORD", "true", HD_SECRET_NONE },
		{ "SE_VNC_NO_PASSWORD", "1", HD_SECRET_NONE },
		{ "MYSQL_ALLOW_EMPTY_PASSWORD", "yes", HD_SECRET_NONE },
		{ "MYSQL_RANDOM_ROOT_PASSWORD", "yes", HD_SECRET_NONE },
		{ "DB_PASSWORD_FILE", "/run/secrets/db", HD_SECRET_NONE },
		{ "PASSWORD_FILE", "db.txt", HD_SECRET_NONE },
		{ "SECRET_PATH", "/etc/secret", HD_SECRET_NONE },
		{ "DB_PASSWORD", "/run/secrets/db", HD_SECRET_NONE },
		{ "DB_PASSWORD", "", HD_SECRET_NONE },
		{ "DB_PASSWORD", "<your password>", HD_SECRET_NONE },
		{ "DB_PASSWORD", "*****", HD_SECRET_NONE },
		{ "PASSWORD_LENGTH", "12", HD_SECRET_NONE },
		{ "NODE_VERSION", "20", HD_SECRET_NONE },
		{ "PATH", "/usr/bin", HD_SECRET_NONE },
		{ "ANYTHING", "AKIAZ7VRSQ2LMT5NQPWX", HD_SECRET_SHAPED },
		{ "DATABASE_URL", "postgres://app:s3cret@db/app", HD_SECRET_SHAPED },
		{ "DATABASE_URL", "postgres://db/app", HD_SECRET_NONE },
	};
	struct hd_secret_verdict v;
	size_t i;

	(void)state;
	for (i = 0; i < HD_ARRAY_SIZE(cases); i++) {
		hd_secret_classify(cases[i].name, cases[i].value, &v);
		if (v.cls != cases[i].cls)
			fail_msg("%s=%s: class %d, expected %d", cases[i].name, cases[i].value ? cases[i].value : "(none)",
				 v.cls, cases[i].cls);
	}
	hd_secret_classify("ANYTHING", "AKIAZ7VRSQ2LMT5NQPWX", &v);
	assert_string_equal(v.kind, "an AWS access key id");
	hd_secret_classify("STRIPE_API_KEY", "x9", &v);
	assert_int_equal(v.word_len, 7);
	assert_memory_equal(v.word, "API_KEY", 7);
}

/* Finds a secret in a blank-separated command line; the index of the word, or -1. */
static long cmdline(const char *line)
{
	char buf[512], *words[32], *save = NULL, *p;
	struct hd_cmdline_secret hit;
	size_t n = 0;

	snprintf(buf, sizeof(buf), "%s", line);
	for (p = strtok_r(buf, " ", &save); p && n < 32; p = strtok_r(NULL, " ", &save))
		words[n++] = p;
	return hd_cmdline_secret(words, sizeof(words[0]), n, 0, NULL, &hit) ? (long)hit.at : -1;
}

static void test_cmdline(void **state)
{
	(void)state;
	assert_int_equal(cmdline("redis-server --daemonize yes --requirepass s3cretPass"), 4);
	assert_int_equal(cmdline("tool --password=letmein99"), 1);
	assert_int_equal(cmdline("tool --token abc123def"), 2);
	assert_int_equal(cmdline("mysql -uroot -pHunter22 db"), 2);
	assert_int_equal(cmdline("mysql -uroot -p db"), -1);
	assert_int_equal(cmdline("redis-cli -a s3cret ping"), 2);
	assert_int_equal(cmdline("curl -u deploy:Tr0ub4dor https://x/"), 2);
	assert_int_equal(cmdline("curl -u deploy https://x/"), -1);
	assert_int_equal(cmdline("docker login -u ci -p s3cret reg"), 5);
	assert_int_equal(cmdline("sshpass -p s3cret ssh host"), 2);
	assert_int_equal(cmdline("htpasswd -b -c /etc/htpasswd admin s3cret"), 5);
	assert_int_equal(cmdline("java -Djavax.net.ssl.keyStorePassword=s3cret -jar a.jar"), 1);
	assert_int_equal(cmdline("git clone https://u:t0ken@git.example.com/r.git"), 2);
	assert_int_equal(cmdline("openssl pkcs12 -passout pass:s3cret"), 3);
	assert_int_equal(cmdline("openssl pkcs12 -passout env:P12"), -1);
	assert_int_equal(cmdline("tool --password -"), -1);
	assert_int_equal(cmdline("tool --password <password>"), -1);
	assert_int_equal(cmdline("echo --password"), -1);
	assert_int_equal(cmdline("tool --passwordless x"), -1);
	/* Every command with its own secret options (the first two letters select them). */
	{
		static const char *const attached[] = { "mysql", "mysqldump", "mysqladmin", "mysqlimport", "mysqlcheck",
							"mariadb", "mariadb-dump", "mariadb-admin", "/usr/bin/mysql" };
		static const char *const spaced[] = { "redis-cli -a", "sshpass -p", "docker -p", "podman -p", "mongo -p",
						      "mongosh -p", "keytool -storepass", "keytool -keypass",
						      "keytool -srcstorepass", "keytool -deststorepass", "openssl -passin",
						      "openssl -passout", "openssl -pass", "openssl -k" };
		char line[128];
		size_t i;

		for (i = 0; i < HD_ARRAY_SIZE(attached); i++) {
			snprintf(line, sizeof(line), "%s -pS3cretPw db", attached[i]);
			if (cmdline(line) != 1)
				fail_msg("'%s': %ld", line, cmdline(line));
		}
		for (i = 0; i < HD_ARRAY_SIZE(spaced); i++) {
			snprintf(line, sizeof(line), "%s S3cretPw x", spaced[i]);
			if (cmdline(line) != 2)
				fail_msg("'%s': %ld", line, cmdline(line));
		}
		assert_int_equal(cmdline("smbclient -U user%S3cretPw //h/s"), 2);
		assert_int_equal(cmdline("smbclient -U user //h/s"), -1);
		assert_int_equal(cmdline("mysqlx -pS3cretPw db"), -1);
		assert_int_equal(cmdline("rm -pS3cretPw db"), -1);
		assert_int_equal(cmdline("mkdir -p S3cretPw"), -1);
	}
}

static void test_tls_env(void **state)
{
	static const struct {
		const char *name, *value;
		bool off;
	} cases[] = {
		{ "NODE_TLS_REJECT_UNAUTHORIZED", "0", true },
		{ "NODE_TLS_REJECT_UNAUTHORIZED", "1", false },
		{ "PYTHONHTTPSVERIFY", "0", true },
		{ "GIT_SSL_NO_VERIFY", "true", true },
		{ "GIT_SSL_NO_VERIFY", "", false },
		{ "KAFKA_SSL_ENDPOINT_IDENTIFICATION_DISABLE_HOSTNAME_VERIFICATION", "true", true },
		{ "ES_DISABLE_HOSTNAME_VERIFICATION", "false", false },
		{ "ELASTICSEARCH_SSL_VERIFY", "false", true },
		{ "SSL_VERIFY", "true", false },
		{ "VAULT_SKIP_VERIFY", "1", true },
		{ "APP_INSECURE_SKIP_VERIFY", "true", true },
		{ "NPM_CONFIG_STRICT_SSL", "false", true },
		{ "NODE_EXTRA_CA_CERTS", "/ca.pem", false },
		{ "VERIFY", "false", false },
		{ "PASSWORD_VERIFY", "false", false },
		/* Every name of the exact table (their first letters select it), in any case. */
		{ "node_tls_reject_unauthorized", "FALSE", true },
		{ "PYTHONHTTPSVERIFY", "no", true },
		{ "PIP_TRUSTED_HOST", "pypi.org", true },
		{ "PIP_TRUSTED_HOST", "", false },
		{ "YARN_ENABLE_STRICT_SSL", "false", true },
		{ "YARN_STRICT_SSL", "0", true },
		{ "YARN_STRICT_SSL", "1", false },
		{ "CONDA_SSL_VERIFY", "False", true },
		{ "GOINSECURE", "example.com/*", true },
		{ "HELM_INSECURE_SKIP_TLS_VERIFY", "true", true },
		{ "HELM_INSECURE_SKIP_TLS_VERIFY", "false", false },
		{ "VAULT_SKIP_VERIFY", "example", false },
		{ "CURL_INSECURE", "Y", true },
		{ "curl_insecure", "On", true },
		{ "CURL_INSECURE", "maybe", false },
	};
	size_t i;

	(void)state;
	for (i = 0; i < HD_ARRAY_SIZE(cases); i++) {
		if (hd_env_disables_tls(cases[i].name, cases[i].value, NULL) != cases[i].off)
			fail_msg("%s=%s: expected %s", cases[i].name, cases[i].value, cases[i].off ? "off" : "not off");
	}
	assert_false(hd_env_disables_tls("NODE_TLS_REJECT_UNAUTHORIZED", NULL, NULL));
}

/* The quick test finds each word at every place of a long text (the 16-byte blocks and the tail), in any case. */
static void test_name_possible(void **state)
{
	static const char *const words[] = { "pass", "SECRET", "Token", "kEY", "cred", "BeArEr" };
	static const char *const near[] = { "pas", "secre", "toke", "ke", "cre", "beare", "pa", "se", "to", "be" };
	char buf[80];
	size_t w, at, len;

	(void)state;
	for (len = 0; len < 60; len++) {
		memset(buf, 'x', len);
		for (at = 0; at < len; at += 3)
			buf[at] = at % 2 ? '_' : 'e'; /* no word, and every "e" a second letter with nothing before */
		assert_false(hd_secret_name_possible(buf, len));
	}
	for (w = 0; w < HD_ARRAY_SIZE(words); w++) {
		size_t wl = strlen(words[w]);

		for (len = wl; len < 60; len++) {
			for (at = 0; at + wl <= len; at++) {
				memset(buf, 'x', len);
				memcpy(buf + at, words[w], wl);
				if (!hd_secret_name_possible(buf, len))
					fail_msg("'%s' at %zu of %zu not found", words[w], at, len);
				/* The word cut by the end of the text is no word. */
				if (at + wl == len && hd_secret_name_possible(buf, len - 1))
					fail_msg("'%s' cut at %zu of %zu found", words[w], at, len - 1);
			}
		}
	}
	for (w = 0; w < HD_ARRAY_SIZE(near); w++) {
		size_t wl = strlen(near[w]);

		for (len = wl; len < 60; len++) {
			for (at = 0; at + wl <= len; at++) {
				memset(buf, 'x', len);
				memcpy(buf + at, near[w], wl);
				if (hd_secret_name_possible(buf, len))
					fail_msg("'%s' at %zu of %zu found", near[w], at, len);
			}
		}
	}
	/* Bytes that "| 0x20" maps onto a letter's case only: '0' is no 'P'. */
	{
		static const char odd[] = "\x10" "ASS \x10" "\x01" "SS 0ass_0123456789abcdefxyz\x10" "ASS";

		assert_false(hd_secret_name_possible(odd, sizeof(odd) - 1));
		assert_true(hd_secret_name_possible("0123456789abcdefPASSWORD", 24));
	}
}

static void test_auth_env(void **state)
{
	static const struct {
		const char *name, *value;
		bool off, odd;
	} cases[] = {
		{ "POSTGRES_HOST_AUTH_METHOD", "trust", true, false },
		{ "postgres_host_auth_method", "TRUST", true, false },
		{ "POSTGRES_HOST_AUTH_METHOD", "md5", false, false },
		{ "MYSQL_ALLOW_EMPTY_PASSWORD", "yes", true, false },
		{ "MYSQL_ALLOW_EMPTY_PASSWORD", "Y", true, false },
		{ "MYSQL_ALLOW_EMPTY_PASSWORD", "1", true, false },
		{ "MARIADB_ALLOW_EMPTY_ROOT_PASSWORD", "no", true, true },
		{ "mariadb_allow_empty_password", "10", true, true },
		{ "xpack.security.enabled", "false", true, false },
		{ "XPACK_SECURITY_ENABLED", "N", true, false },
		{ "XPACK_SECURITY_ENABLED", "0", true, false },
		{ "XPACK_SECURITY_ENABLED", "00", false, false },
		{ "XPACK_SECURITY_ENABLED", "of", false, false },
		{ "XPACK_SECURITY_ENABLED", "OFF", true, false },
		{ "ME_CONFIG_BASICAUTH", "No", true, false },
		{ "ME_CONFIG_BASICAUTH", "yes", false, false },
		{ "APP_DISABLE_AUTH", "TRUE", true, false },
		{ "APP_DISABLE_AUTH", "On", true, false },
		{ "APP_DISABLE_AUTH", "onx", false, false },
		{ "APP_DISABLE_AUTH", "y", true, false },
		{ "APP_DISABLE_AUTH", "yes!", false, false },
		{ "APP_DISABLE_AUTH", "false", false, false },
		{ "REDIS_NO_PASSWORD", "yes", true, false },
		{ "ALLOW_ANONYMOUS_LOGIN", "true", true, false },
		{ "GF_AUTH_ANONYMOUS_ENABLED", "true", true, false },
		{ "MYSQL_DATABASE", "yes", false, false },
		{ "MYSQL_DATABASE", "", false, false },
	};
	size_t i;

	(void)state;
	for (i = 0; i < HD_ARRAY_SIZE(cases); i++) {
		const char *what = NULL;
		bool odd = false;

		if (hd_env_disables_auth(cases[i].name, cases[i].value, &what, &odd) != cases[i].off)
			fail_msg("%s=%s: expected %s", cases[i].name, cases[i].value, cases[i].off ? "off" : "not off");
		if (cases[i].off && (odd != cases[i].odd || !what))
			fail_msg("%s=%s: odd %d, expected %d", cases[i].name, cases[i].value, odd, cases[i].odd);
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_classify),
		cmocka_unit_test(test_cmdline),
		cmocka_unit_test(test_tls_env),
		cmocka_unit_test(test_name_possible),
		cmocka_unit_test(test_auth_env),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
