/*
 * libgnutls, loaded when first used (core/dl.h): serve checks the client
 * certificate of a TLS connection libmicrohttpd (which links it) accepted;
 * dlopen gives the instance libmicrohttpd already loaded.
 */
#include "core/common.h"

#include <gnutls/gnutls.h>

#define HD_DL_NAME gnutls
#define HD_DL_SONAME "libgnutls.so.30"
#define HD_DL_PACKAGE "libgnutls30"
#define HD_DL_WHAT "checking TLS client certificates"
#define HD_DL_FUNCS(F, V, S)                                                                        \
	F(int, gnutls_certificate_verify_peers2, (gnutls_session_t session, unsigned int *status), \
	  (session, status))
#include "core/dl_impl.h"
