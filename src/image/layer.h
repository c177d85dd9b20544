/*
 * One layer, read once as a tar stream and kept as a compact index: the
 * keyed hashes of every path (8 bytes an entry; the low bit says directory),
 * its whiteouts and opaque directories, and full records only for what the
 * checks need: notable entries (setuid/setgid, world-writable, file
 * capabilities, devices, symlinks, unnecessary files), secrets found in file
 * contents or names, captured small files (/etc/passwd, /etc/shadow,
 * /etc/group, os-release), package-database ownership (dpkg .list files, the
 * apk installed database) and anomalies of the archive itself (absolute or
 * '..' paths, duplicate entries, hard links to missing targets).
 *
 * The final tree is resolved later (resolve.c), when the image's layer order
 * is known: in a docker save archive the manifest may come after the layers.
 *
 * Ownership: the index owns everything it points to; strings live in its
 * arena.  hd_layer_index_free() releases all.
 */
#ifndef HD_IMAGE_LAYER_H
#define HD_IMAGE_LAYER_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "core/arena.h"
#include "image/decode.h"

struct hd_catalog;

/* Limits of one analysis (a target: an archive, a layout or an engine image). */
struct hd_image_limits {
	uint64_t max_bytes;       /* uncompressed bytes of all layers read */
	uint64_t max_entries;     /* tar entries of all layers read */
	uint32_t max_path;        /* bytes of one entry name */
	uint64_t max_json;        /* one manifest, index or config */
	uint64_t max_ratio;       /* decompressed:compressed bytes of one layer, beyond 64 MiB */
	uint64_t max_secret_file; /* files scanned for secrets up to this size */
	uint64_t max_capture;     /* captured files (/etc/passwd, ...) up to this size */
	uint64_t max_blobs;       /* entries of the archive itself */
};
void hd_image_limits_default(struct hd_image_limits *l);

enum hd_ient_flags {
	HD_IENT_SETID = 1u << 0,     /* setuid or setgid regular file */
	HD_IENT_WW_FILE = 1u << 1,   /* world-writable regular file */
	HD_IENT_WW_DIR = 1u << 2,    /* world-writable directory without the sticky bit */
	HD_IENT_CAPS = 1u << 3,      /* security.capability xattr */
	HD_IENT_DEVICE = 1u << 4,    /* character or block device */
	HD_IENT_SYMLINK = 1u << 5,
	HD_IENT_UNNEEDED = 1u << 6,  /* .git, IDE folders, Dockerfiles, ... (path is the folder) */
	HD_IENT_HARDLINK = 1u << 7,  /* a hard link (link holds its target) */
};

/* A notable entry. */
struct hd_ient {
	const char *path;   /* normalised: "usr/bin/su" ("" is the root) */
	const char *link;   /* symlink or hard link target, or NULL */
	uint64_t hash;      /* hd_path_hash(path) */
	uint64_t size;
	uint32_t flags;     /* enum hd_ient_flags */
	uint32_t mode;      /* type and permission bits */
	int64_t uid, gid;
	uint32_t dev_major, dev_minor;
	uint32_t cap_permitted, cap_inheritable, cap_permitted_hi, cap_inheritable_hi;
	uint32_t cap_version;  /* 1, 2 or 3; 0: the xattr could not be decoded */
	int64_t cap_rootid;    /* v3 namespaced capabilities; -1 otherwise */
	bool cap_effective;
	const char *what;      /* HD_IENT_UNNEEDED: what it is ("a git repository") */
};

struct hd_isecret {
	const char *path;
	uint64_t hash;
	unsigned pattern;   /* hd_secret_pattern(id) */
	uint64_t offset;    /* end of the match, bytes into the file; 0 for names */
	bool by_name;
};

enum hd_capture_kind { HD_CAP_PASSWD, HD_CAP_SHADOW, HD_CAP_GROUP, HD_CAP_GSHADOW, HD_CAP_OS_RELEASE,
		       HD_CAP_MAX };

struct hd_icapture {
	enum hd_capture_kind kind;
	const char *path;
	uint64_t hash;
	uint32_t mode;
	int64_t uid, gid;
	char *data;         /* NUL-terminated, arena */
	size_t len;
	bool truncated;     /* larger than max_capture: data holds the beginning */
};

enum hd_owner_kind { HD_OWNER_DPKG, HD_OWNER_APK, HD_OWNER_RPM };

struct hd_owned {
	uint64_t hash;      /* hd_path_hash of the owned path */
	uint32_t pkg;       /* index into the owner's pkgs */
};

/* Files owned by OS packages, from one package-database file. */
struct hd_iowner {
	enum hd_owner_kind kind;
	const char *path;   /* the .list file, the apk database or rpmdb.sqlite */
	uint64_t hash;
	const char **pkgs;  /* package names (arena) */
	size_t n_pkgs, alloc_pkgs;
	struct hd_owned *files; /* hd_malloc'd, sorted by hash */
	size_t n_files, alloc_files;
};

enum hd_anomaly_kind {
	HD_ANOM_ABSOLUTE,        /* "/etc/passwd": extracted relative to the root */
	HD_ANOM_DOTDOT,          /* a '..' component */
	HD_ANOM_ESCAPES,         /* '..' leads out of the root: the entry is not applied */
	HD_ANOM_DUPLICATE,       /* the same path twice in one layer */
	HD_ANOM_HARDLINK_MISSING,/* hard link to a path not earlier in the layer */
	HD_ANOM_MAX
};

struct hd_ianomaly {
	enum hd_anomaly_kind kind;
	const char *path;        /* as written in the tar (for ESCAPES/ABSOLUTE) or normalised */
	const char *detail;      /* the hard link target, or NULL */
};

struct hd_layer_index {
	uint64_t *paths;         /* sorted hashes of every path; low bit set for directories */
	size_t n_paths;
	uint64_t *whiteouts;     /* sorted hashes of paths this layer deletes */
	size_t n_whiteouts;
	uint64_t *opaques;       /* sorted hashes of directories whose lower content this layer hides */
	size_t n_opaques;
	struct hd_ient *ents;
	size_t n_ents, alloc_ents;
	struct hd_isecret *secrets;
	size_t n_secrets, alloc_secrets;
	struct hd_icapture *captures;
	size_t n_captures, alloc_captures;
	struct hd_iowner *owners;
	size_t n_owners, alloc_owners;
	struct hd_ianomaly *anoms;
	size_t n_anoms, alloc_anoms;
	size_t anoms_dropped;    /* beyond the per-layer cap */
	size_t secrets_dropped;
	struct hd_arena arena;

	enum hd_comp comp;
	uint64_t entries;        /* tar entries */
	uint64_t files;          /* regular files */
	uint64_t file_bytes;     /* their sizes */
	uint64_t tar_bytes;      /* uncompressed stream size */
	char diff_id[72];        /* sha256 of the uncompressed stream ("" if not read to the end) */
	struct hd_catalog *catalog; /* the packages this layer's files give (when the reader catalogues), or NULL */
	bool catalog_cut;        /* a catalogue limit was reached: some of them are missing */
	char *error;             /* hd_malloc'd: why the layer could not be read to its end */
	int err;                 /* -HD_E* matching error */
};

struct hd_layer_index *hd_layer_index_new(void);
void hd_layer_index_free(struct hd_layer_index *ix);

/*
 * What the layer reader shares across the layers of one target: limits, the
 * running counters they are checked against, and the scanner (one thread
 * reads layers, so none of this is locked).
 */
struct hd_layer_reader {
	const struct hd_image_limits *lim;
	uint64_t entries_seen;
	struct hd_scanner *scanner;  /* NULL: no secret scanning */
	bool catalog;                /* feed the package catalogue (vuln/catalog.h) of each layer */
};

/*
 * The decompressed bytes of a layer, pulled: same contract as hd_raw_read_fn.
 */
typedef int hd_chunk_fn(void *ctx, const void **p, size_t *n, char *errbuf, size_t errlen);

/*
 * Reads one layer tar from src into ix; the stream is read to its end (so
 * the diff id covers all of it) unless it fails.  Returns 0 when the layer
 * was read (ix->error may still say the tar was broken: then -HD_EPARSE etc.
 * is in ix->err), or -HD_ENOMEM.
 */
int hd_layer_read(struct hd_layer_reader *lr, hd_chunk_fn *src, void *src_ctx, struct hd_layer_index *ix);

/*
 * Normalises a path of an archive into out (cap bytes): no leading "/" or
 * "./", no "." or empty components, no trailing "/", ".." resolved.  Sets
 * *abs when it was absolute and *dotdot when it had a ".." component.
 * Returns the length, -HD_ELOOP when ".." leaves the root, -HD_ETOOBIG.
 */
int hd_path_normalise(const char *in, char *out, size_t cap, bool *abs, bool *dotdot);

#endif
