/*
 * The package catalogue readers, written as functions of a file's path and
 * bytes so that any tree can feed them: the image reader (one streaming
 * pass over the layers), the root filesystem walker below, or a test.
 *
 * For every regular file, the feeder asks hd_catalog_wants() with the path
 * relative to the root ("var/lib/dpkg/status"; a leading "/" or "./" is
 * accepted), its size and st_mode.  The answer says how to hand it over:
 *
 *   0                  not needed;
 *   HD_CATALOG_WHOLE   the whole file in one call to hd_catalog_file()
 *                      (small files: dpkg status, METADATA, package.json,
 *                      rpmdb.sqlite, os-release; at most HD_MAX_CATALOG_FILE);
 *   HD_CATALOG_STREAM  the bytes in order through hd_catalog_begin(),
 *                      hd_catalog_chunk() (any chunk sizes) and
 *                      hd_catalog_end() (Go binaries are scanned for their
 *                      build info, jars read entry by entry; bounded).
 *
 * Files may come in any order and a path may come again (a later layer
 * replaces an earlier one: the catalogue keeps the last).  Whiteouts are the
 * feeder's business: call hd_catalog_remove() for a deleted path.  After the
 * last file, hd_catalog_finish() resolves ownership (files that an OS
 * package owns are not catalogued again as language packages) and the OS
 * release, and moves the packages into an hd_packages list.
 *
 * Errors: input the readers cannot understand is not an error; it becomes a
 * note in the result ("cannot read 'var/lib/dpkg/status' line 12: ...").
 * Functions return 0, -HD_ENOMEM, or -HD_ETOOBIG when a count limit of
 * core/limits.h is reached.  Not thread-safe: one catalogue per thread.
 */
#ifndef HD_VULN_CATALOG_H
#define HD_VULN_CATALOG_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "model/package.h"

#define HD_CATALOG_WHOLE  1u
#define HD_CATALOG_STREAM 2u

struct hd_catalog;
struct hd_catalog_stream;

/* What the catalogue needs of the file at path (size bytes, st_mode mode). */
unsigned hd_catalog_wants(const char *path, uint64_t size, unsigned mode);

/* A new, empty catalogue; NULL on OOM.  hd_catalog_free() accepts NULL. */
struct hd_catalog *hd_catalog_new(void);
void hd_catalog_free(struct hd_catalog *c);

/* One whole file; layer (a digest) may be NULL.  Data need not be NUL-terminated. */
int hd_catalog_file(struct hd_catalog *c, const char *path, const void *data, size_t n, const char *layer);

/*
 * A streamed file: begin returns the stream in *ret (size is the file's
 * size, or 0 when unknown); chunk hands over the next bytes; end finishes
 * and frees the stream, abort frees it without cataloguing.
 */
int hd_catalog_begin(struct hd_catalog *c, const char *path, uint64_t size, const char *layer,
		     struct hd_catalog_stream **ret);
int hd_catalog_chunk(struct hd_catalog_stream *s, const void *data, size_t n);
int hd_catalog_end(struct hd_catalog_stream *s);
void hd_catalog_abort(struct hd_catalog_stream *s);

/*
 * Each file owned by a package read from the same database (rpmdb.sqlite,
 * the apk database): fn(ctx, package name, path relative to the root), in
 * the order read, until fn returns a negative value, which is returned.
 * For the image reader, which asks who installed a setuid file; call it
 * before hd_catalog_finish().
 */
typedef int hd_catalog_owned_fn(void *ctx, const char *pkg, const char *path);
int hd_catalog_each_owned(const struct hd_catalog *c, hd_catalog_owned_fn *fn, void *ctx);

/* Forgets what a path gave (a whiteout in a later layer). */
int hd_catalog_remove(struct hd_catalog *c, const char *path);

/*
 * Moves what src gave into c, as if src's files came after c's (an image
 * layer above the ones merged before): every file of src for which keep()
 * says true (keep NULL: all), with its packages, owned paths and the OS
 * release files, replaces what the same path gave in c; layer (may be NULL)
 * names src in the records.  src's notes are copied.  src is left as it
 * was, so one layer's catalogue can be merged into several images.
 * Returns 0, -HD_ENOMEM or -HD_ETOOBIG.
 */
int hd_catalog_merge(struct hd_catalog *c, const struct hd_catalog *src, const char *layer,
		     bool (*keep)(void *ctx, const char *path), void *ctx);

/*
 * Resolves ownership and the OS release, sorts, and moves everything into
 * out (initialised by the caller with hd_packages_init()).  The catalogue
 * is empty afterwards.
 */
int hd_catalog_finish(struct hd_catalog *c, struct hd_packages *out);

/*
 * Catalogues the unpacked root filesystem at dir: every regular file under
 * it, without following symbolic links (a link never leads out of dir).
 * Unreadable files become notes.  Returns 0, -HD_ENOENT/-HD_EACCES when dir
 * itself cannot be read, -HD_ENOMEM or -HD_ETOOBIG.
 */
int hd_catalog_rootfs(struct hd_catalog *c, const char *dir);

#endif
