/*
 * libmicrohttpd, loaded when first used (core/dl.h): serve's HTTP server.
 * MHD_start_daemon's options go to MHD_start_daemon_va as they are.
 */
#include "core/common.h"

#include <microhttpd.h>

#define HD_DL_NAME mhd
#define HD_DL_SONAME "libmicrohttpd.so.12"
#define HD_DL_PACKAGE "libmicrohttpd12"
#define HD_DL_WHAT "serving HTTP"
#define HD_DL_FUNCS(F, V, S)                                                                                   \
	F(enum MHD_Result, MHD_is_feature_supported, (enum MHD_FEATURE f), (f))                                \
	F(struct MHD_Daemon *, MHD_start_daemon_va,                                                            \
	  (unsigned int flags, uint16_t port, MHD_AcceptPolicyCallback apc, void *apc_cls,                     \
	   MHD_AccessHandlerCallback dh, void *dh_cls, va_list ap),                                            \
	  (flags, port, apc, apc_cls, dh, dh_cls, ap))                                                         \
	V(MHD_stop_daemon, (struct MHD_Daemon * d), (d))                                                       \
	S(MHD_get_connection_info)                                                                             \
	F(const char *, MHD_lookup_connection_value,                                                           \
	  (struct MHD_Connection * c, enum MHD_ValueKind kind, const char *key), (c, kind, key))               \
	F(struct MHD_Response *, MHD_create_response_from_buffer,                                              \
	  (size_t size, void *buf, enum MHD_ResponseMemoryMode mode), (size, buf, mode))                       \
	F(struct MHD_Response *, MHD_create_response_from_buffer_with_free_callback,                           \
	  (size_t size, void *buf, MHD_ContentReaderFreeCallback crfc), (size, buf, crfc))                     \
	F(enum MHD_Result, MHD_add_response_header, (struct MHD_Response * r, const char *h, const char *v),   \
	  (r, h, v))                                                                                           \
	F(enum MHD_Result, MHD_queue_response, (struct MHD_Connection * c, unsigned int code,                  \
						struct MHD_Response * r),                                      \
	  (c, code, r))                                                                                        \
	V(MHD_destroy_response, (struct MHD_Response * r), (r))
#include "core/dl_impl.h"

struct MHD_Daemon *MHD_start_daemon(unsigned int flags, uint16_t port, MHD_AcceptPolicyCallback apc,
				    void *apc_cls, MHD_AccessHandlerCallback dh, void *dh_cls, ...)
{
	struct MHD_Daemon *d;
	va_list ap;

	va_start(ap, dh_cls);
	d = MHD_start_daemon_va(flags, port, apc, apc_cls, dh, dh_cls, ap);
	va_end(ap);
	return d;
}

/*
 * The "..." of MHD_get_connection_info is a remnant: no MHD_CONNECTION_INFO_*
 * type reads an argument after info_type (libmicrohttpd 0.9.x never calls
 * va_start there), so there is nothing to forward.
 */
const union MHD_ConnectionInfo *MHD_get_connection_info(struct MHD_Connection *c,
							  enum MHD_ConnectionInfoType info_type, ...)
{
	return HD_DL_REAL(MHD_get_connection_info)(c, info_type);
}
