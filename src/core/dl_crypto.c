/*
 * libcrypto (OpenSSL 3), loaded when first used (core/dl.h): SHA-256 (image
 * digests, SBOM serials, the HTML report's content policy, engine endpoint
 * ids), certificates (TLS checks, `hardock tls`).  Its 4.7 MB and twenty
 * thousand relocations were the largest part of what every start paid after
 * the others went lazy.  libcurl's libssl links it: dlopen gives the same
 * instance.  The variadic EVP_PKEY_Q_keygen (behind EVP_RSA_gen and
 * EVP_EC_gen) forwards its one extra argument by the key type, as OpenSSL
 * reads it.
 */
#include "core/common.h"

#include <openssl/asn1.h>
#include <openssl/bio.h>
#include <openssl/bn.h>
#include <openssl/crypto.h>
#include <openssl/err.h>
#include <openssl/evp.h>
#include <openssl/objects.h>
#include <openssl/pem.h>
#include <openssl/stack.h>
#include <openssl/x509.h>
#include <openssl/x509v3.h>
#include <strings.h>

#define HD_DL_NAME crypto
#define HD_DL_SONAME "libcrypto.so.3"
#define HD_DL_PACKAGE "libssl3"
#define HD_DL_WHAT "hashing and certificates"
#define HD_DL_FUNCS(F, V, S) \
	F(const unsigned char *, ASN1_STRING_get0_data, (const ASN1_STRING *x), (x)) \
	F(int, ASN1_STRING_length, (const ASN1_STRING *x), (x)) \
	F(ASN1_TIME *, ASN1_TIME_set, (ASN1_TIME *s, time_t t), (s, t)) \
	F(int, ASN1_TIME_to_tm, (const ASN1_TIME *s, struct tm *tm), (s, tm)) \
	F(long, BIO_ctrl, (BIO *bp, int cmd, long larg, void *parg), (bp, cmd, larg, parg)) \
	F(int, BIO_free, (BIO *a), (a)) \
	F(BIO *, BIO_new, (const BIO_METHOD *type), (type)) \
	F(BIO *, BIO_new_mem_buf, (const void *buf, int len), (buf, len)) \
	F(const BIO_METHOD *, BIO_s_mem, (void), ()) \
	V(BN_free, (BIGNUM *a), (a)) \
	F(BIGNUM *, BN_new, (void), ()) \
	F(int, BN_rand, (BIGNUM *rnd, int bits, int top, int bottom), (rnd, bits, top, bottom)) \
	F(ASN1_INTEGER *, BN_to_ASN1_INTEGER, (const BIGNUM *bn, ASN1_INTEGER *ai), (bn, ai)) \
	V(CRYPTO_free, (void *ptr, const char *file, int line), (ptr, file, line)) \
	V(ERR_clear_error, (void), ()) \
	V(ERR_error_string_n, (unsigned long e, char *buf, size_t len), (e, buf, len)) \
	F(unsigned long, ERR_peek_last_error, (void), ()) \
	F(int, EVP_Digest, (const void *data, size_t count, unsigned char *md, unsigned int *size, const EVP_MD *type, ENGINE *impl), (data, count, md, size, type, impl)) \
	F(int, EVP_DigestFinal_ex, (EVP_MD_CTX *ctx, unsigned char *md, unsigned int *s), (ctx, md, s)) \
	F(int, EVP_DigestInit_ex, (EVP_MD_CTX *ctx, const EVP_MD *type, ENGINE *impl), (ctx, type, impl)) \
	F(int, EVP_DigestUpdate, (EVP_MD_CTX *ctx, const void *d, size_t cnt), (ctx, d, cnt)) \
	F(int, EVP_EncodeBlock, (unsigned char *t, const unsigned char *f, int n), (t, f, n)) \
	V(EVP_MD_CTX_free, (EVP_MD_CTX *ctx), (ctx)) \
	F(EVP_MD_CTX *, EVP_MD_CTX_new, (void), ()) \
	S(EVP_PKEY_Q_keygen) \
	V(EVP_PKEY_free, (EVP_PKEY *pkey), (pkey)) \
	F(int, EVP_PKEY_get_base_id, (const EVP_PKEY *pkey), (pkey)) \
	F(int, EVP_PKEY_get_bits, (const EVP_PKEY *pkey), (pkey)) \
	F(const EVP_MD *, EVP_sha256, (void), ()) \
	V(GENERAL_NAMES_free, (GENERAL_NAMES *a), (a)) \
	F(const char *, OBJ_nid2ln, (int n), (n)) \
	F(int, OBJ_sn2nid, (const char *s), (s)) \
	F(int, OPENSSL_sk_num, (const OPENSSL_STACK *st), (st)) \
	F(void *, OPENSSL_sk_value, (const OPENSSL_STACK *st, int i), (st, i)) \
	F(EVP_PKEY *, PEM_read_bio_PrivateKey, (BIO *out, EVP_PKEY **x, pem_password_cb *cb, void *u), (out, x, cb, u)) \
	F(X509 *, PEM_read_bio_X509, (BIO *out, X509 **x, pem_password_cb *cb, void *u), (out, x, cb, u)) \
	F(int, PEM_write_bio_PrivateKey, (BIO *out, const EVP_PKEY *x, const EVP_CIPHER *enc, const unsigned char *kstr, int klen, pem_password_cb *cb, void *u), (out, x, enc, kstr, klen, cb, u)) \
	F(int, PEM_write_bio_X509, (BIO *out, const X509 *x), (out, x)) \
	F(X509_EXTENSION *, X509V3_EXT_conf_nid, (LHASH_OF(CONF_VALUE) *conf, X509V3_CTX *ctx, int ext_nid, const char *value), (conf, ctx, ext_nid, value)) \
	V(X509V3_set_ctx, (X509V3_CTX *ctx, X509 *issuer, X509 *subject, X509_REQ *req, X509_CRL *crl, int flags), (ctx, issuer, subject, req, crl, flags)) \
	V(X509_EXTENSION_free, (X509_EXTENSION *a), (a)) \
	F(int, X509_NAME_add_entry_by_txt, (X509_NAME *name, const char *field, int type, const unsigned char *bytes, int len, int loc, int set), (name, field, type, bytes, len, loc, set)) \
	F(int, X509_NAME_print_ex, (BIO *out, const X509_NAME *nm, int indent, unsigned long flags), (out, nm, indent, flags)) \
	F(int, X509_add_ext, (X509 *x, X509_EXTENSION *ex, int loc), (x, ex, loc)) \
	V(X509_free, (X509 *a), (a)) \
	F(const ASN1_TIME *, X509_get0_notAfter, (const X509 *x), (x)) \
	F(const ASN1_TIME *, X509_get0_notBefore, (const X509 *x), (x)) \
	F(EVP_PKEY *, X509_get0_pubkey, (const X509 *x), (x)) \
	F(void *, X509_get_ext_d2i, (const X509 *x, int nid, int *crit, int *idx), (x, nid, crit, idx)) \
	F(uint32_t, X509_get_extended_key_usage, (X509 *x), (x)) \
	F(uint32_t, X509_get_extension_flags, (X509 *x), (x)) \
	F(ASN1_INTEGER *, X509_get_serialNumber, (X509 *x), (x)) \
	F(int, X509_get_signature_nid, (const X509 *x), (x)) \
	F(X509_NAME *, X509_get_subject_name, (const X509 *a), (a)) \
	F(ASN1_TIME *, X509_getm_notAfter, (const X509 *x), (x)) \
	F(ASN1_TIME *, X509_getm_notBefore, (const X509 *x), (x)) \
	F(X509 *, X509_new, (void), ()) \
	F(int, X509_set_issuer_name, (X509 *x, const X509_NAME *name), (x, name)) \
	F(int, X509_set_pubkey, (X509 *x, EVP_PKEY *pkey), (x, pkey)) \
	F(int, X509_set_version, (X509 *x, long version), (x, version)) \
	F(int, X509_sign, (X509 *x, EVP_PKEY *pkey, const EVP_MD *md), (x, pkey, md)) \
	F(int, X509_verify, (X509 *a, EVP_PKEY *r), (a, r)) \
	F(X509 *, d2i_X509, (X509 **a, const unsigned char **in, long len), (a, in, len)) \
	F(int, i2d_PUBKEY, (const EVP_PKEY *a, unsigned char **out), (a, out))
#include "core/dl_impl.h"

EVP_PKEY *EVP_PKEY_Q_keygen(OSSL_LIB_CTX *libctx, const char *propq, const char *type, ...)
{
	EVP_PKEY *k;
	va_list ap;

	/* RSA takes the bits (size_t), EC the curve's name; other types nothing. */
	va_start(ap, type);
	if (strcasecmp(type, "RSA") == 0)
		k = HD_DL_REAL(EVP_PKEY_Q_keygen)(libctx, propq, type, va_arg(ap, size_t));
	else if (strcasecmp(type, "EC") == 0)
		k = HD_DL_REAL(EVP_PKEY_Q_keygen)(libctx, propq, type, va_arg(ap, char *));
	else
		k = HD_DL_REAL(EVP_PKEY_Q_keygen)(libctx, propq, type);
	va_end(ap);
	return k;
}
