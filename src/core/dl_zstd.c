/*
 * libzstd, loaded when first used (core/dl.h): zstd-compressed image layers.
 */
#include "core/common.h"

#include <zstd.h>
#include <zstd_errors.h>

#define HD_DL_NAME zstd
#define HD_DL_SONAME "libzstd.so.1"
#define HD_DL_PACKAGE "libzstd1"
#define HD_DL_WHAT "reading zstd-compressed layers"
#define HD_DL_FUNCS(F, V, S)                                                                              \
	F(ZSTD_DStream *, ZSTD_createDStream, (void), ())                                                 \
	F(size_t, ZSTD_freeDStream, (ZSTD_DStream * zds), (zds))                                          \
	F(size_t, ZSTD_DCtx_setParameter, (ZSTD_DCtx * dctx, ZSTD_dParameter param, int value),          \
	  (dctx, param, value))                                                                           \
	F(size_t, ZSTD_decompressStream, (ZSTD_DStream * zds, ZSTD_outBuffer * out, ZSTD_inBuffer * in),  \
	  (zds, out, in))                                                                                 \
	F(unsigned, ZSTD_isError, (size_t code), (code))                                                  \
	F(const char *, ZSTD_getErrorName, (size_t code), (code))                                         \
	F(ZSTD_ErrorCode, ZSTD_getErrorCode, (size_t code), (code))
#include "core/dl_impl.h"
