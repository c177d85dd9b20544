/*
 * Certificates and private keys read with OpenSSL into the facts the TLS
 * rules judge (model/daemon.h: struct hd_cert_fact, struct hd_key_fact).
 * Pure functions of the bytes given; the caller reads the files.  An
 * encrypted key is recognised and reported as such, never decrypted.
 */
#ifndef HD_AUDIT_TLS_READ_H
#define HD_AUDIT_TLS_READ_H

#include <stddef.h>

#include "model/daemon.h"

/* Fills f from PEM (or DER) certificate data.  Returns 0 (f->error set when
 * the data holds no certificate) or -HD_ENOMEM. */
int hd_tls_cert_read(const char *data, size_t len, struct hd_cert_fact *f);
/* Fills f from PEM private key data.  Returns 0 (f->error set when it is not
 * a key) or -HD_ENOMEM. */
int hd_tls_key_read(const char *data, size_t len, struct hd_key_fact *f);
/* 1 when the first certificate of cert is signed by the first of ca, 0 when
 * not, -HD_EINVAL when either cannot be read, -HD_ENOMEM. */
int hd_tls_signed_by(const char *cert, size_t cert_len, const char *ca, size_t ca_len);
/* True when data looks like it holds a private key (PEM header). */
bool hd_tls_looks_like_key(const char *data, size_t len);

#endif
