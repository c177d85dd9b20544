/*
 * libarchive, loaded when first used (core/dl.h): image archives and layers,
 * compressed feeds and jar files, dpkg's gzipped changelogs.  The variadic
 * archive_set_error has no va_list twin: the message is formatted here and
 * handed over as "%s".
 */
#include "core/common.h"

#include <archive.h>
#include <archive_entry.h>

#define HD_DL_NAME archive
#define HD_DL_SONAME "libarchive.so.13"
#define HD_DL_PACKAGE "libarchive13"
#define HD_DL_WHAT "reading images and archives"
#define HD_DL_FUNCS(F, V, S)                                                                                   \
	F(struct archive *, archive_read_new, (void), ())                                                      \
	F(int, archive_read_support_filter_bzip2, (struct archive * a), (a))                                   \
	F(int, archive_read_support_filter_gzip, (struct archive * a), (a))                                    \
	F(int, archive_read_support_filter_xz, (struct archive * a), (a))                                      \
	F(int, archive_read_support_filter_zstd, (struct archive * a), (a))                                    \
	F(int, archive_read_support_format_raw, (struct archive * a), (a))                                     \
	F(int, archive_read_support_format_tar, (struct archive * a), (a))                                     \
	F(int, archive_read_support_format_zip, (struct archive * a), (a))                                     \
	F(int, archive_read_support_format_zip_streamable, (struct archive * a), (a))                          \
	F(int, archive_read_open,                                                                              \
	  (struct archive * a, void *data, archive_open_callback *o, archive_read_callback *r,                 \
	   archive_close_callback *c),                                                                         \
	  (a, data, o, r, c))                                                                                  \
	F(int, archive_read_open_fd, (struct archive * a, int fd, size_t block), (a, fd, block))               \
	F(int, archive_read_open_filename, (struct archive * a, const char *name, size_t block),               \
	  (a, name, block))                                                                                    \
	F(int, archive_read_open_memory, (struct archive * a, const void *buf, size_t size), (a, buf, size))   \
	F(int, archive_read_next_header, (struct archive * a, struct archive_entry * *e), (a, e))              \
	F(la_ssize_t, archive_read_data, (struct archive * a, void *buf, size_t size), (a, buf, size))         \
	F(int, archive_read_data_block,                                                                        \
	  (struct archive * a, const void **buf, size_t *size, la_int64_t *offset), (a, buf, size, offset))    \
	F(int, archive_read_free, (struct archive * a), (a))                                                   \
	F(const char *, archive_error_string, (struct archive * a), (a))                                       \
	S(archive_set_error)                                                                                   \
	F(__LA_MODE_T, archive_entry_filetype, (struct archive_entry * e), (e))                                \
	F(__LA_MODE_T, archive_entry_mode, (struct archive_entry * e), (e))                                    \
	F(la_int64_t, archive_entry_uid, (struct archive_entry * e), (e))                                      \
	F(la_int64_t, archive_entry_gid, (struct archive_entry * e), (e))                                      \
	F(la_int64_t, archive_entry_size, (struct archive_entry * e), (e))                                     \
	F(int, archive_entry_size_is_set, (struct archive_entry * e), (e))                                     \
	F(dev_t, archive_entry_rdevmajor, (struct archive_entry * e), (e))                                     \
	F(dev_t, archive_entry_rdevminor, (struct archive_entry * e), (e))                                     \
	F(const char *, archive_entry_pathname, (struct archive_entry * e), (e))                               \
	F(const char *, archive_entry_hardlink, (struct archive_entry * e), (e))                               \
	F(const char *, archive_entry_symlink, (struct archive_entry * e), (e))                                \
	F(int, archive_entry_xattr_reset, (struct archive_entry * e), (e))                                     \
	F(int, archive_entry_xattr_next,                                                                       \
	  (struct archive_entry * e, const char **name, const void **value, size_t *size),                     \
	  (e, name, value, size))
#include "core/dl_impl.h"

void archive_set_error(struct archive *a, int err, const char *fmt, ...)
{
	char msg[1024];
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	/* A longer message is cut: libarchive keeps its own copy of what it gets. */
	if (n < 0)
		msg[0] = '\0';
	HD_DL_REAL(archive_set_error)(a, err, "%s", msg);
}
