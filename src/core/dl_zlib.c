/*
 * zlib, loaded when first used (core/dl.h): gzip-compressed image layers.
 */
#include "core/common.h"

#include <zlib.h>

#define HD_DL_NAME zlib
#define HD_DL_SONAME "libz.so.1"
#define HD_DL_PACKAGE "zlib1g"
#define HD_DL_WHAT "reading gzip-compressed layers"
#define HD_DL_FUNCS(F, V, S)                                                                          \
	F(int, inflateInit2_, (z_streamp strm, int window_bits, const char *version, int stream_size), \
	  (strm, window_bits, version, stream_size))                                                  \
	F(int, inflate, (z_streamp strm, int flush), (strm, flush))                                    \
	F(int, inflateReset, (z_streamp strm), (strm))                                                 \
	F(int, inflateEnd, (z_streamp strm), (strm))                                                   \
	F(const char *, zError, (int err), (err))
#include "core/dl_impl.h"
