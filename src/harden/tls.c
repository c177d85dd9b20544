/*
 * `hardock tls init`: what seed 001 does by hand with the openssl command
 * (genrsa, req, x509 -extfile), done with OpenSSL's library: a CA, a server
 * certificate for dockerd (serverAuth, subjectAltName for the host name and
 * addresses) and a client certificate (clientAuth), each with its key,
 * certificates 0444 and keys 0400, in three directories so that the CA key
 * never has to sit beside the daemon's files.
 */
#include "core/common.h"
#include "core/buf.h"
#include "harden/harden.h"

#include <arpa/inet.h>
#include <fcntl.h>
#include <openssl/bn.h>
#include <openssl/err.h>
#include <openssl/evp.h>
#include <openssl/pem.h>
#include <openssl/rand.h>
#include <openssl/x509.h>
#include <openssl/x509v3.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

int hd_tls_key_from_name(const char *name)
{
	if (!strcmp(name, "rsa4096") || !strcmp(name, "rsa"))
		return HD_TLS_RSA4096;
	if (!strcmp(name, "rsa2048"))
		return HD_TLS_RSA2048;
	if (!strcmp(name, "p256") || !strcmp(name, "ecdsa"))
		return HD_TLS_P256;
	if (!strcmp(name, "p384"))
		return HD_TLS_P384;
	return -1;
}

void hd_tls_init_result_release(struct hd_tls_init_result *res)
{
	size_t i;

	if (!res)
		return;
	for (i = 0; i < res->n_files; i++)
		hd_free(res->files[i].path);
	hd_free(res->ca_dir);
	hd_free(res->server_dir);
	hd_free(res->client_dir);
	memset(res, 0, sizeof(*res));
}

static int fail(char **errmsg, int code, const char *fmt, ...) __attribute__((format(printf, 3, 4)));

static int fail(char **errmsg, int code, const char *fmt, ...)
{
	char msg[1024], ossl[256] = "";
	unsigned long e = ERR_peek_last_error();
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	if (e)
		ERR_error_string_n(e, ossl, sizeof(ossl));
	ERR_clear_error();
	if (errmsg && !*errmsg)
		*errmsg = hd_asprintf("%s%s%s", msg, ossl[0] ? ": " : "", ossl);
	return code;
}

static EVP_PKEY *gen_key(enum hd_tls_key k)
{
	switch (k) {
	case HD_TLS_RSA2048: return EVP_RSA_gen(2048);
	case HD_TLS_P256: return EVP_EC_gen("P-256");
	case HD_TLS_P384: return EVP_EC_gen("P-384");
	case HD_TLS_RSA4096:
	default: return EVP_RSA_gen(4096);
	}
}

static int add_ext(X509 *cert, X509 *issuer, int nid, const char *value)
{
	X509V3_CTX ctx;
	X509_EXTENSION *ext;
	int ok;

	X509V3_set_ctx_nodb(&ctx);
	X509V3_set_ctx(&ctx, issuer, cert, NULL, NULL, 0);
	ext = X509V3_EXT_conf_nid(NULL, &ctx, nid, value);
	if (!ext)
		return -1;
	ok = X509_add_ext(cert, ext, -1);
	X509_EXTENSION_free(ext);
	return ok ? 0 : -1;
}

static int set_serial(X509 *x)
{
	BIGNUM *bn = BN_new();
	int ok = 0;

	/* 127 random bits: positive, unique enough, within RFC 5280's 20 octets. */
	if (bn && BN_rand(bn, 127, BN_RAND_TOP_ANY, BN_RAND_BOTTOM_ANY) &&
	    BN_to_ASN1_INTEGER(bn, X509_get_serialNumber(x)))
		ok = 1;
	BN_free(bn);
	return ok ? 0 : -1;
}

/* Builds and signs one certificate; issuer NULL means self-signed. */
static X509 *make_cert(EVP_PKEY *key, const char *cn, X509 *issuer, EVP_PKEY *issuer_key,
		       int64_t now, int days, const char *const *exts)
{
	X509 *x = X509_new();
	X509_NAME *name;
	size_t i;

	if (!x)
		return NULL;
	if (!X509_set_version(x, 2) || set_serial(x) < 0)
		goto bad;
	/* A minute back, so a client with a slightly late clock accepts it at once. */
	if (!ASN1_TIME_set(X509_getm_notBefore(x), (time_t)(now - 60)) ||
	    !ASN1_TIME_set(X509_getm_notAfter(x), (time_t)(now + (int64_t)days * 86400)))
		goto bad;
	name = X509_get_subject_name(x);
	if (!X509_NAME_add_entry_by_txt(name, "CN", MBSTRING_UTF8, (const unsigned char *)cn, -1, -1, 0))
		goto bad;
	if (!X509_set_issuer_name(x, issuer ? X509_get_subject_name(issuer) : name) ||
	    !X509_set_pubkey(x, key))
		goto bad;
	for (i = 0; exts[i]; i += 2) {
		int nid = OBJ_sn2nid(exts[i]);

		if (nid == NID_undef || add_ext(x, issuer ? issuer : x, nid, exts[i + 1]) < 0)
			goto bad;
	}
	if (!X509_sign(x, issuer_key ? issuer_key : key, EVP_sha256()))
		goto bad;
	return x;
bad:
	X509_free(x);
	return NULL;
}

static int make_dir(const char *path, mode_t mode, char **errmsg)
{
	struct stat st;

	if (mkdir(path, mode) == 0)
		return chmod(path, mode) == 0 ? 0 : fail(errmsg, -HD_EIO, "cannot chmod '%s': %s", path,
							 strerror(errno));
	if (errno == EEXIST && stat(path, &st) == 0 && S_ISDIR(st.st_mode))
		return 0;
	return fail(errmsg, errno == EACCES ? -HD_EACCES : -HD_EIO, "cannot create '%s': %s", path,
		    strerror(errno));
}

/* Writes a PEM object to a new file with an exact mode. */
static int write_pem(struct hd_tls_init_result *res, const char *dir, const char *name, unsigned mode,
		     const char *what, X509 *cert, EVP_PKEY *key, char **errmsg)
{
	BIO *mem = BIO_new(BIO_s_mem());
	char *path = hd_path_join_abs(dir, name), *data = NULL;
	long n;
	int fd = -1, r = 0;

	if (!mem || !path) {
		r = -HD_ENOMEM;
		goto out;
	}
	if (cert ? !PEM_write_bio_X509(mem, cert) : !PEM_write_bio_PrivateKey(mem, key, NULL, NULL, 0, NULL, NULL)) {
		r = fail(errmsg, -HD_EIO, "cannot encode '%s'", path);
		goto out;
	}
	n = BIO_get_mem_data(mem, &data);
	fd = open(path, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0600);
	if (fd < 0) {
		r = fail(errmsg, errno == EEXIST ? -HD_EINVAL : -HD_EIO, "cannot create '%s': %s%s", path,
			 strerror(errno), errno == EEXIST ? " (remove it or use another --out)" : "");
		goto out;
	}
	res->files[res->n_files].path = path;
	res->files[res->n_files].mode = mode;
	res->files[res->n_files].what = what;
	res->n_files++;
	path = NULL;
	if (n < 0 || write(fd, data, (size_t)n) != n || fchmod(fd, (mode_t)mode) < 0 || fsync(fd) < 0) {
		r = fail(errmsg, -HD_EIO, "cannot write '%s': %s", res->files[res->n_files - 1].path,
			 strerror(errno));
		goto out;
	}
out:
	if (fd >= 0)
		close(fd);
	BIO_free(mem);
	hd_free(path);
	return r;
}

static bool is_ip(const char *s)
{
	unsigned char buf[16];

	return inet_pton(AF_INET, s, buf) == 1 || inet_pton(AF_INET6, s, buf) == 1;
}

/* "DNS:name,IP:1.2.3.4,..." for the server certificate. */
static char *san_list(const struct hd_tls_init_opts *o, char **errmsg)
{
	struct hd_buf b = HD_BUF_INIT(65536);
	size_t i;
	int r = 0;

	if (is_ip(o->host))
		r = hd_buf_addf(&b, "IP:%s", o->host);
	else
		r = hd_buf_addf(&b, "DNS:%s", o->host);
	for (i = 0; r >= 0 && i < o->n_dns; i++)
		r = hd_buf_addf(&b, ",DNS:%s", o->dns[i]);
	for (i = 0; r >= 0 && i < o->n_ips; i++) {
		if (!is_ip(o->ips[i])) {
			hd_buf_release(&b);
			fail(errmsg, -HD_EINVAL, "'%s' is not an IP address (--ip)", o->ips[i]);
			return NULL;
		}
		r = hd_buf_addf(&b, ",IP:%s", o->ips[i]);
	}
	if (r < 0) {
		hd_buf_release(&b);
		return NULL;
	}
	return hd_buf_detach(&b, NULL);
}

static bool name_ok(const char *s)
{
	if (!*s || strlen(s) > 253)
		return false;
	for (; *s; s++) {
		if (!isalnum((unsigned char)*s) && !strchr(".-_:*", *s))
			return false;
	}
	return true;
}

int hd_tls_init(const struct hd_tls_init_opts *o, struct hd_tls_init_result *res, char **errmsg)
{
	EVP_PKEY *ca_key = NULL, *srv_key = NULL, *cli_key = NULL;
	X509 *ca = NULL, *srv = NULL, *cli = NULL;
	char *sans = NULL, *ca_cn = NULL, *out_abs = NULL;
	int64_t now = o->now ? o->now : (int64_t)time(NULL);
	bool rsa = o->key == HD_TLS_RSA4096 || o->key == HD_TLS_RSA2048;
	const char *leaf_usage = rsa ? "critical,digitalSignature,keyEncipherment" : "critical,digitalSignature";
	size_t i;
	int r = 0;

	memset(res, 0, sizeof(*res));
	if (errmsg)
		*errmsg = NULL;
	if (!o->host || !name_ok(o->host))
		return fail(errmsg, -HD_EINVAL, "--host must be a host name or address, got '%s'",
			    o->host ? o->host : "");
	for (i = 0; i < o->n_dns; i++) {
		if (!name_ok(o->dns[i]))
			return fail(errmsg, -HD_EINVAL, "'%s' is not a DNS name (--dns)", o->dns[i]);
	}
	if (o->days < 1 || o->days > 36500 || o->ca_days < 0 || o->ca_days > 36500)
		return fail(errmsg, -HD_EINVAL, "--days must be between 1 and 36500");
	out_abs = hd_path_make_absolute(o->out_dir);
	sans = san_list(o, errmsg);
	ca_cn = hd_asprintf("hardock Docker CA for %s", o->host);
	if (!out_abs || !sans || !ca_cn) {
		r = errmsg && *errmsg ? -HD_EINVAL : -HD_ENOMEM;
		goto out;
	}
	res->ca_dir = hd_path_join_abs(out_abs, "ca");
	res->server_dir = hd_path_join_abs(out_abs, "server");
	res->client_dir = hd_path_join_abs(out_abs, "client");
	if (!res->ca_dir || !res->server_dir || !res->client_dir) {
		r = -HD_ENOMEM;
		goto out;
	}
	if ((r = make_dir(out_abs, 0755, errmsg)) < 0 || (r = make_dir(res->ca_dir, 0700, errmsg)) < 0 ||
	    (r = make_dir(res->server_dir, 0755, errmsg)) < 0 ||
	    (r = make_dir(res->client_dir, 0700, errmsg)) < 0)
		goto out;

	ca_key = gen_key(o->key);
	srv_key = gen_key(o->key);
	cli_key = gen_key(o->key);
	if (!ca_key || !srv_key || !cli_key) {
		r = fail(errmsg, -HD_EIO, "cannot generate keys");
		goto out;
	}
	{
		const char *ca_ext[] = {
			"basicConstraints", "critical,CA:TRUE,pathlen:0",
			"keyUsage", "critical,keyCertSign,cRLSign",
			"subjectKeyIdentifier", "hash",
			NULL,
		};
		const char *srv_ext[] = {
			"basicConstraints", "critical,CA:FALSE",
			"keyUsage", leaf_usage,
			"extendedKeyUsage", "serverAuth",
			"subjectAltName", sans,
			"subjectKeyIdentifier", "hash",
			"authorityKeyIdentifier", "keyid:always",
			NULL,
		};
		const char *cli_ext[] = {
			"basicConstraints", "critical,CA:FALSE",
			"keyUsage", leaf_usage,
			"extendedKeyUsage", "clientAuth",
			"subjectKeyIdentifier", "hash",
			"authorityKeyIdentifier", "keyid:always",
			NULL,
		};

		ca = make_cert(ca_key, ca_cn, NULL, NULL, now, o->ca_days ? o->ca_days : o->days, ca_ext);
		srv = ca ? make_cert(srv_key, o->host, ca, ca_key, now, o->days, srv_ext) : NULL;
		cli = ca ? make_cert(cli_key, "client", ca, ca_key, now, o->days, cli_ext) : NULL;
	}
	if (!ca || !srv || !cli) {
		r = fail(errmsg, -HD_EIO, "cannot build the certificates");
		goto out;
	}
	if ((r = write_pem(res, res->ca_dir, "ca.pem", 0444, "CA certificate", ca, NULL, errmsg)) < 0 ||
	    (r = write_pem(res, res->ca_dir, "ca-key.pem", 0400,
			   "CA private key: keep it off the daemon's host, it signs client access",
			   NULL, ca_key, errmsg)) < 0 ||
	    (r = write_pem(res, res->server_dir, "ca.pem", 0444, "CA certificate (tlscacert)", ca, NULL,
			   errmsg)) < 0 ||
	    (r = write_pem(res, res->server_dir, "server-cert.pem", 0444,
			   "server certificate (tlscert)", srv, NULL, errmsg)) < 0 ||
	    (r = write_pem(res, res->server_dir, "server-key.pem", 0400, "server key (tlskey)", NULL,
			   srv_key, errmsg)) < 0 ||
	    (r = write_pem(res, res->client_dir, "ca.pem", 0444, "CA certificate for the client", ca,
			   NULL, errmsg)) < 0 ||
	    (r = write_pem(res, res->client_dir, "cert.pem", 0444, "client certificate", cli, NULL,
			   errmsg)) < 0 ||
	    (r = write_pem(res, res->client_dir, "key.pem", 0400, "client key", NULL, cli_key,
			   errmsg)) < 0)
		goto out;
out:
	if (r < 0) {
		/* Leave nothing half made behind. */
		for (i = 0; i < res->n_files; i++)
			unlink(res->files[i].path);
		if (res->ca_dir)
			rmdir(res->ca_dir);
		if (res->server_dir)
			rmdir(res->server_dir);
		if (res->client_dir)
			rmdir(res->client_dir);
		hd_tls_init_result_release(res);
	}
	EVP_PKEY_free(ca_key);
	EVP_PKEY_free(srv_key);
	EVP_PKEY_free(cli_key);
	X509_free(ca);
	X509_free(srv);
	X509_free(cli);
	hd_free(sans);
	hd_free(ca_cn);
	hd_free(out_abs);
	ERR_clear_error();
	return r;
}
