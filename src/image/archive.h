/*
 * Reading a target in one pass: a tar (docker save in both layouts, an OCI
 * layout's tar, possibly compressed as a whole), a tar streamed from a file
 * descriptor (standard input, the engine's export), or an OCI layout
 * directory.  Every blob is classified by its first bytes as it comes: a
 * layer (tar, gzip, zstd) goes through the layer pipeline and is kept as an
 * index, a JSON document (manifest, index, config) is kept in memory within
 * its limit, anything else is only hashed.  Which blob is what for which
 * image is decided afterwards (resolve.c), because in a docker save archive
 * the manifest may come last and layers in any order.
 *
 * Ownership: an hd_archive owns its blobs, their JSON and their layer
 * indexes; hd_archive_release() frees them.
 */
#ifndef HD_IMAGE_ARCHIVE_H
#define HD_IMAGE_ARCHIVE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "image/layer.h"

enum hd_blob_kind {
	HD_BLOB_UNREAD,  /* named (a link) but no content of its own */
	HD_BLOB_JSON,
	HD_BLOB_LAYER,
	HD_BLOB_OTHER,   /* neither: only hashed */
	HD_BLOB_SKIPPED, /* not needed by the images asked for */
};

struct hd_blob {
	char *name;          /* normalised entry name: "blobs/sha256/ab..", "x/layer.tar", "manifest.json" */
	char *link;          /* symlink or hard link target in the archive, normalised; or NULL */
	char digest[72];     /* "sha256:<hex>" of the content; "" when not read */
	uint64_t size;
	enum hd_blob_kind kind;
	char *json;          /* HD_BLOB_JSON: the document, NUL-terminated */
	size_t json_len;
	struct hd_layer_index *layer; /* HD_BLOB_LAYER */
	char *error;         /* why the blob could not be read, or its digest does not match its name */
};

struct hd_archive_opts {
	struct hd_image_limits lim;
	unsigned threads;    /* 1: decompress and analyse in one thread; else two */
	bool scan_secrets;
	bool catalog;        /* give every layer its package catalogue */
};

struct hd_reader;

struct hd_archive {
	char *display;       /* the target, for messages */
	char *dir;           /* an OCI layout directory: blobs are read from it on demand */
	struct hd_blob **blobs; /* each allocated on its own: pointers stay valid */
	size_t n_blobs, alloc_blobs;
	uint64_t json_bytes; /* kept in memory */
	uint64_t layer_bytes;/* decompressed bytes of all layers (the --max-bytes budget) */
	char *error;         /* the target as a whole could not be read: why */
	int err;
	struct hd_reader *rd;/* the pipeline, the scanner and the options while reading */
};

/* Prepares reading a target named display; 0 or -HD_ENOMEM / -HD_EIO (no thread) / -HD_EINVAL (patterns). */
int hd_archive_open(struct hd_archive *ar, const char *display, const struct hd_archive_opts *o);
/* Frees everything (accepts a zeroed or half-opened archive). */
void hd_archive_release(struct hd_archive *ar);

/*
 * Reads a tar from fd (not closed) in one pass.  Returns 0 when it could be
 * read (ar->error says when it could not be read to its end: truncated, not
 * a tar), or -HD_ENOMEM.
 */
int hd_archive_read_fd(struct hd_archive *ar, int fd);
/* Makes ar an OCI layout directory whose blobs hd_archive_fetch() reads. */
int hd_archive_set_dir(struct hd_archive *ar, const char *dir);
/*
 * The blob of an entry name ("index.json", "blobs/sha256/<hex>"), following
 * links (at most 8).  From a directory it is read now (a layer is queued to
 * the pipeline: its index is complete after hd_archive_finish()).  NULL when
 * absent; *err is -HD_ENOMEM on allocation failure.
 */
struct hd_blob *hd_archive_fetch(struct hd_archive *ar, const char *name, int *err);
/* Waits for the queued layers; 0 or -HD_ENOMEM. */
int hd_archive_finish(struct hd_archive *ar);

/* The blob name of a digest: "blobs/sha256/<hex>" into out; false if it is not a digest. */
bool hd_digest_blob_name(const char *digest, char *out, size_t n);
/* True for "sha256:" and 64 lowercase hex digits. */
bool hd_digest_valid(const char *digest);

#endif
