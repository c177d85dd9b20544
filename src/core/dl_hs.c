/*
 * libhs (vectorscan), loaded when first used (core/dl.h): the secret scan of
 * image files.  It is C++ and brings libstdc++, which nothing else needs.
 */
#include "core/common.h"

#include <hs/hs.h>

#define HD_DL_NAME hs
#define HD_DL_SONAME "libhs.so.5"
#define HD_DL_PACKAGE "libvectorscan5"
#define HD_DL_WHAT "scanning files for secrets"
#define HD_DL_FUNCS(F, V, S)                                                                              \
	F(hs_error_t, hs_compile_multi,                                                                   \
	  (const char *const *expressions, const unsigned int *flags, const unsigned int *ids,            \
	   unsigned int elements, unsigned int mode, const hs_platform_info_t *platform,                  \
	   hs_database_t **db, hs_compile_error_t **error),                                               \
	  (expressions, flags, ids, elements, mode, platform, db, error))                                 \
	F(hs_error_t, hs_free_compile_error, (hs_compile_error_t * error), (error))                       \
	F(hs_error_t, hs_alloc_scratch, (const hs_database_t *db, hs_scratch_t **scratch), (db, scratch)) \
	F(hs_error_t, hs_free_scratch, (hs_scratch_t * scratch), (scratch))                               \
	F(hs_error_t, hs_open_stream, (const hs_database_t *db, unsigned int flags, hs_stream_t **stream), \
	  (db, flags, stream))                                                                            \
	F(hs_error_t, hs_scan_stream,                                                                     \
	  (hs_stream_t * id, const char *data, unsigned int length, unsigned int flags,                   \
	   hs_scratch_t *scratch, match_event_handler on_event, void *ctx),                               \
	  (id, data, length, flags, scratch, on_event, ctx))                                              \
	F(hs_error_t, hs_reset_stream,                                                                    \
	  (hs_stream_t * id, unsigned int flags, hs_scratch_t *scratch, match_event_handler on_event,     \
	   void *ctx),                                                                                    \
	  (id, flags, scratch, on_event, ctx))                                                            \
	F(hs_error_t, hs_close_stream,                                                                    \
	  (hs_stream_t * id, hs_scratch_t *scratch, match_event_handler on_event, void *ctx),             \
	  (id, scratch, on_event, ctx))
#include "core/dl_impl.h"
