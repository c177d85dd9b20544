/*
 * X.509 and private key facts through OpenSSL; see tls_read.h.
 */
#include "core/common.h"
#include "audit/tls_read.h"

#include <arpa/inet.h>
#include <openssl/bio.h>
#include <openssl/err.h>
#include <openssl/evp.h>
#include <openssl/pem.h>
#include <openssl/x509.h>
#include <openssl/x509v3.h>
#include <time.h>

static void key_info(EVP_PKEY *pk, char *type, size_t tsize, int *bits, unsigned char *spki)
{
	unsigned char *der = NULL;
	unsigned int mdlen = 0;
	const char *name;
	int n;

	switch (EVP_PKEY_get_base_id(pk)) {
	case EVP_PKEY_RSA: name = "RSA"; break;
	case EVP_PKEY_RSA_PSS: name = "RSA-PSS"; break;
	case EVP_PKEY_EC: name = "EC"; break;
	case EVP_PKEY_DSA: name = "DSA"; break;
	case EVP_PKEY_ED25519: name = "ED25519"; break;
	case EVP_PKEY_ED448: name = "ED448"; break;
	default: name = "unknown"; break;
	}
	snprintf(type, tsize, "%s", name);
	*bits = EVP_PKEY_get_bits(pk);
	n = i2d_PUBKEY(pk, &der);
	if (n > 0)
		EVP_Digest(der, (size_t)n, spki, &mdlen, EVP_sha256(), NULL);
	OPENSSL_free(der);
}

static int64_t asn1_time(const ASN1_TIME *t)
{
	struct tm tm;

	memset(&tm, 0, sizeof(tm));
	if (!t || ASN1_TIME_to_tm(t, &tm) != 1)
		return 0;
	return (int64_t)timegm(&tm);
}

static int set_error(char **err, const char *msg)
{
	*err = hd_strdup(msg);
	return *err ? 0 : -HD_ENOMEM;
}

static int add_sans(X509 *x, struct hd_strlist *sans)
{
	GENERAL_NAMES *gens = X509_get_ext_d2i(x, NID_subject_alt_name, NULL, NULL);
	int i, r = 0;

	if (!gens)
		return 0;
	for (i = 0; i < sk_GENERAL_NAME_num(gens) && r >= 0; i++) {
		const GENERAL_NAME *g = sk_GENERAL_NAME_value(gens, i);
		char buf[INET6_ADDRSTRLEN + 8], *s;

		if (g->type == GEN_DNS) {
			const ASN1_IA5STRING *d = g->d.dNSName;

			s = hd_asprintf("DNS:%.*s", ASN1_STRING_length(d),
					(const char *)ASN1_STRING_get0_data(d));
			if (!s) {
				r = -HD_ENOMEM;
				break;
			}
			r = hd_strlist_add(sans, s);
			hd_free(s);
		} else if (g->type == GEN_IPADD) {
			const ASN1_OCTET_STRING *ip = g->d.iPAddress;
			int len = ASN1_STRING_length(ip);
			char addr[INET6_ADDRSTRLEN];

			if ((len != 4 && len != 16) ||
			    !inet_ntop(len == 4 ? AF_INET : AF_INET6, ASN1_STRING_get0_data(ip), addr,
				       sizeof(addr)))
				continue;
			snprintf(buf, sizeof(buf), "IP:%s", addr);
			r = hd_strlist_add(sans, buf);
		}
	}
	GENERAL_NAMES_free(gens);
	return r;
}

int hd_tls_cert_read(const char *data, size_t len, struct hd_cert_fact *f)
{
	BIO *bio = NULL, *out = NULL;
	X509 *x = NULL, *extra;
	EVP_PKEY *pk;
	uint32_t xflags;
	char *name = NULL;
	int r = 0, nid;
	long n;

	if (len > INT32_MAX)
		return set_error(&f->error, "file too large for a certificate");
	bio = BIO_new_mem_buf(data, (int)len);
	if (!bio)
		return -HD_ENOMEM;
	x = PEM_read_bio_X509(bio, NULL, NULL, NULL);
	if (x) {
		f->n_certs = 1;
		while ((extra = PEM_read_bio_X509(bio, NULL, NULL, NULL))) {
			f->n_certs++;
			X509_free(extra);
		}
	} else {
		const unsigned char *p = (const unsigned char *)data;

		x = d2i_X509(NULL, &p, (long)len);
		if (x)
			f->n_certs = 1;
	}
	ERR_clear_error();
	if (!x) {
		r = set_error(&f->error, "no X.509 certificate in the file");
		goto out;
	}
	f->present = true;
	out = BIO_new(BIO_s_mem());
	if (!out) {
		r = -HD_ENOMEM;
		goto out;
	}
	X509_NAME_print_ex(out, X509_get_subject_name(x), 0, XN_FLAG_ONELINE & ~ASN1_STRFLGS_ESC_MSB);
	n = BIO_get_mem_data(out, &name);
	f->subject = hd_strndup(name ? name : "", n > 0 ? (size_t)n : 0);
	if (!f->subject) {
		r = -HD_ENOMEM;
		goto out;
	}
	f->not_before = asn1_time(X509_get0_notBefore(x));
	f->not_after = asn1_time(X509_get0_notAfter(x));
	pk = X509_get0_pubkey(x);
	if (pk)
		key_info(pk, f->key_type, sizeof(f->key_type), &f->key_bits, f->spki_sha256);
	xflags = X509_get_extension_flags(x);
	f->is_ca = (xflags & EXFLAG_CA) != 0;
	if (xflags & EXFLAG_XKUSAGE) {
		uint32_t xku = X509_get_extended_key_usage(x);

		f->has_eku = true;
		f->eku_server = (xku & XKU_SSL_SERVER) != 0;
		f->eku_client = (xku & XKU_SSL_CLIENT) != 0;
	}
	nid = X509_get_signature_nid(x);
	f->sig_alg = hd_strdup(nid != NID_undef ? OBJ_nid2ln(nid) : "unknown");
	if (!f->sig_alg) {
		r = -HD_ENOMEM;
		goto out;
	}
	r = add_sans(x, &f->sans);
out:
	ERR_clear_error();
	BIO_free(out);
	BIO_free(bio);
	X509_free(x);
	return r;
}

bool hd_tls_looks_like_key(const char *data, size_t len)
{
	size_t i;
	static const char needle[] = "PRIVATE KEY-----";

	if (len < sizeof(needle))
		return false;
	for (i = 0; i + sizeof(needle) - 1 <= len; i++) {
		if (data[i] == 'P' && memcmp(data + i, needle, sizeof(needle) - 1) == 0)
			return true;
	}
	return false;
}

static bool contains(const char *data, size_t len, const char *needle)
{
	size_t n = strlen(needle), i;

	for (i = 0; i + n <= len; i++) {
		if (memcmp(data + i, needle, n) == 0)
			return true;
	}
	return false;
}

/* Refuses to prompt: an encrypted key stays encrypted. */
static int no_password(char *buf, int size, int rwflag, void *u)
{
	(void)buf;
	(void)size;
	(void)rwflag;
	(void)u;
	return 0;
}

int hd_tls_key_read(const char *data, size_t len, struct hd_key_fact *f)
{
	BIO *bio;
	EVP_PKEY *pk;

	if (len > INT32_MAX)
		return set_error(&f->error, "file too large for a key");
	if (contains(data, len, "ENCRYPTED PRIVATE KEY") || contains(data, len, "Proc-Type: 4,ENCRYPTED")) {
		f->present = true;
		f->encrypted = true;
		return 0;
	}
	bio = BIO_new_mem_buf(data, (int)len);
	if (!bio)
		return -HD_ENOMEM;
	pk = PEM_read_bio_PrivateKey(bio, NULL, no_password, NULL);
	BIO_free(bio);
	ERR_clear_error();
	if (!pk)
		return set_error(&f->error, "no PEM private key in the file");
	f->present = true;
	key_info(pk, f->key_type, sizeof(f->key_type), &f->key_bits, f->spki_sha256);
	EVP_PKEY_free(pk);
	return 0;
}

static X509 *first_cert(const char *data, size_t len)
{
	BIO *bio;
	X509 *x;

	if (len > INT32_MAX)
		return NULL;
	bio = BIO_new_mem_buf(data, (int)len);
	if (!bio)
		return NULL;
	x = PEM_read_bio_X509(bio, NULL, NULL, NULL);
	BIO_free(bio);
	if (!x) {
		const unsigned char *p = (const unsigned char *)data;

		x = d2i_X509(NULL, &p, (long)len);
	}
	ERR_clear_error();
	return x;
}

int hd_tls_signed_by(const char *cert, size_t cert_len, const char *ca, size_t ca_len)
{
	X509 *c = first_cert(cert, cert_len), *a = first_cert(ca, ca_len);
	EVP_PKEY *pk;
	int r = -HD_EINVAL;

	if (c && a) {
		pk = X509_get0_pubkey(a);
		r = pk && X509_verify(c, pk) == 1 ? 1 : 0;
	}
	ERR_clear_error();
	X509_free(c);
	X509_free(a);
	return r;
}
