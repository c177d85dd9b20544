/*
 * image_files: what an image's layers hold, as the file checks need it.  Built
 * by src/image/ from one streaming pass over the layers: the final tree
 * (whiteouts and opaque folders applied) for the notable files, and what
 * lower layers still hold for secrets and left-over files, which stay in the
 * image's bytes even when a later layer deletes them.
 *
 * Every record names its layer (index into layers[]); a layer names the
 * history step that created it where the config tells.  Paths are absolute
 * ("/usr/bin/su") and safe to print: bytes that are not printable UTF-8 are
 * written as \xNN.  No secret value is stored: a secret is a pattern id and
 * an offset.
 *
 * Ownership: every string lives in the model's arena; hd_image_files_free()
 * releases all.
 */
#ifndef HD_MODEL_IMAGE_FILES_H
#define HD_MODEL_IMAGE_FILES_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "core/arena.h"

struct hd_image_layer {
	const char *digest;     /* the blob as stored: "sha256:..." */
	const char *diff_id;    /* of the uncompressed tar, or NULL */
	const char *comp;       /* "tar", "gzip", "zstd" */
	int step;               /* index into steps[], or -1 */
	uint64_t size;          /* bytes stored */
	uint64_t entries;
};

struct hd_image_step {
	const char *created_by; /* for messages: shortened, build-arg values and secrets masked */
	const char *instruction;/* the Dockerfile instruction it came from ("RUN apt-get update"), or NULL */
	bool empty_layer;
	int layer;              /* the layer it created, or -1 */
};

enum hd_image_file_flags {
	HD_IFILE_SETID = 1u << 0,
	HD_IFILE_WW_FILE = 1u << 1,
	HD_IFILE_WW_DIR = 1u << 2,
	HD_IFILE_CAPS = 1u << 3,
	HD_IFILE_DEVICE = 1u << 4,
	HD_IFILE_SYMLINK = 1u << 5,
	HD_IFILE_UNNEEDED = 1u << 6,
	HD_IFILE_HARDLINK = 1u << 7,
};

struct hd_image_file {
	const char *path;       /* "/usr/bin/su" */
	unsigned layer;
	uint32_t flags;         /* enum hd_image_file_flags */
	uint32_t mode;          /* type and permission bits */
	int64_t uid, gid;
	uint64_t size;
	const char *link;       /* symlink or hard link target, or NULL */
	uint32_t dev_major, dev_minor;
	uint64_t cap_permitted, cap_inheritable;  /* bit n = capability n */
	bool cap_effective;
	unsigned cap_version;   /* 0: the xattr could not be decoded */
	int64_t cap_rootid;     /* -1 unless a v3 (namespaced) capability */
	const char *what;       /* HD_IFILE_UNNEEDED: "a git repository" */
	const char *owner;      /* the OS package that installed it, or NULL */
	bool visible;           /* in the final tree */
	int removed_by;         /* when not visible: the layer that deleted or replaced it */
};

enum hd_secret_kind_m {
	HD_ISECRET_PRIVATE_KEY,
	HD_ISECRET_SSH_HOST_KEY,
	HD_ISECRET_CREDENTIAL,
	HD_ISECRET_TOKEN,
};

struct hd_image_secret {
	const char *path;
	unsigned layer;
	enum hd_secret_kind_m kind;
	const char *what;       /* "a PEM private key" */
	uint64_t offset;        /* of the match's end in the file; 0 when found by name */
	bool by_name;
	bool visible;
	int removed_by;
};

enum hd_pw_state { HD_PW_UNKNOWN, HD_PW_EMPTY, HD_PW_LOCKED, HD_PW_SET };

struct hd_image_account {
	const char *name;
	int64_t uid, gid;
	unsigned line;          /* in /etc/passwd */
	enum hd_pw_state pw;    /* from /etc/shadow, else the passwd field */
	unsigned shadow_line;   /* 0 when no shadow entry */
};

struct hd_image_group {
	const char *name;
	int64_t gid;
	unsigned line;
};

/* A text file of the final tree the account checks read. */
struct hd_image_textfile {
	bool present;
	const char *path;       /* "/etc/shadow" */
	unsigned layer;
	uint32_t mode;
	int64_t uid, gid;
	bool truncated;
};

enum hd_image_anomaly_kind {
	HD_IANOM_ABSOLUTE,
	HD_IANOM_DOTDOT,
	HD_IANOM_ESCAPES,
	HD_IANOM_DUPLICATE,
	HD_IANOM_HARDLINK_MISSING,
	HD_IANOM_SYMLINK_LOOP,
};

struct hd_image_anomaly {
	enum hd_image_anomaly_kind kind;
	const char *path;
	const char *detail;     /* hard link or symlink target, or NULL */
	unsigned layer;
};

enum hd_pkgdb { HD_PKGDB_NONE, HD_PKGDB_DPKG, HD_PKGDB_APK, HD_PKGDB_RPM };

struct hd_image_files {
	const char *image;      /* the image's name for messages */
	const char *source;     /* the archive or layout it came from, or NULL (engine) */
	struct hd_image_layer *layers;
	size_t n_layers;
	struct hd_image_step *steps;
	size_t n_steps;
	struct hd_image_file *files;
	size_t n_files, alloc_files;
	struct hd_image_secret *secrets;
	size_t n_secrets, alloc_secrets;
	struct hd_image_anomaly *anomalies;
	size_t n_anomalies, alloc_anomalies;
	size_t anomalies_dropped;
	struct hd_image_account *accounts;
	size_t n_accounts, alloc_accounts;
	struct hd_image_group *groups;
	size_t n_groups, alloc_groups;
	struct hd_image_textfile passwd, shadow, group;
	enum hd_pkgdb pkgdb;    /* the package database that says who owns files */
	const char *os_name;    /* PRETTY_NAME of os-release, or NULL */
	bool complete;          /* every layer was read to its end */
	uint64_t n_entries;
	struct hd_arena arena;
};

struct hd_image_files *hd_image_files_new(void);
void hd_image_files_free(struct hd_image_files *f);
/* "layer 3 (sha256:1234abcd5678)" for messages, into buf. */
const char *hd_image_layer_label(const struct hd_image_files *f, unsigned layer, char *buf, size_t n);

#endif
