/*
 * Inside the package catalogue: what catalog.c shares with its readers
 * (cat_os.c, cat_lang.c, cat_go.c, cat_jar.c).  Readers parse one file and
 * call cat_add_pkg(), cat_add_owned() or cat_note(); catalog.c remembers
 * which file every record came from, so that a file given again (a later
 * layer) or removed (a whiteout) replaces what it gave.
 */
#ifndef HD_VULN_CAT_INT_H
#define HD_VULN_CAT_INT_H

#include "core/arena.h"
#include "vuln/catalog.h"

/* A string set/map with arena-owned keys: open addressing, FNV-1a. */
struct cat_map_ent {
	const char *key;
	uint32_t val;
};

struct cat_map {
	struct cat_map_ent *v;
	size_t n, cap;
};

int cat_map_put(struct cat_map *m, struct hd_arena *a, const char *key, size_t klen, uint32_t val,
		uint32_t **ret_val);
struct cat_map_ent *cat_map_get(const struct cat_map *m, const char *key, size_t klen);
void cat_map_release(struct cat_map *m);

/* A package as read, before ownership and the OS release are known. */
struct cat_pkg {
	struct hd_package p;
	uint32_t file;  /* index into files[] */
	uint32_t gen;   /* the file's generation when read */
};

struct cat_owned {
	const char *path; /* relative, no leading '/' */
	uint32_t file, gen;
	uint32_t pkg;     /* the package of the same file that owns it (rpm, apk), or UINT32_MAX */
};

struct cat_file {
	const char *path;
	uint32_t gen;     /* bumped each time the path is given again */
	bool removed;
	const char *layer;
};

struct hd_catalog {
	struct hd_arena arena;
	struct cat_map paths;        /* path -> index into files */
	struct cat_file *files;
	size_t n_files, alloc_files;
	struct cat_pkg *pkgs;
	size_t n_pkgs, alloc_pkgs;
	struct cat_owned *owned;
	size_t n_owned, alloc_owned;
	const char **notes;
	size_t n_notes, alloc_notes;
	uint32_t cur;                /* the file being read */
	const char *os_release;      /* text of etc/os-release */
	const char *os_release_lib;  /* text of usr/lib/os-release */
	const char *debian_version;  /* text of etc/debian_version */
	bool rpm_sqlite, rpm_bdb, rpm_ndb;
};

/* Records for the current file.  Strings are copied. */
int cat_add_pkg(struct hd_catalog *c, const struct hd_package *p);
int cat_add_owned(struct hd_catalog *c, const char *path, size_t n);
int cat_note(struct hd_catalog *c, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
const char *cat_strndup(struct hd_catalog *c, const char *s, size_t n);

/*
 * A cursor over lines of a byte buffer (not NUL-terminated).  cat_line()
 * returns false at the end; *line and *len exclude the newline (and a '\r').
 */
struct cat_lines {
	const char *p, *end;
	unsigned lineno;
};
bool cat_line(struct cat_lines *l, const char **line, size_t *len);

/* The readers, each given one whole file. */
int cat_read_dpkg_status(struct hd_catalog *c, const char *path, const char *d, size_t n, bool status_d);
int cat_read_dpkg_list(struct hd_catalog *c, const char *d, size_t n);
int cat_read_apk_installed(struct hd_catalog *c, const char *path, const char *d, size_t n);
int cat_read_rpmdb_sqlite(struct hd_catalog *c, const char *path, const void *d, size_t n);
int cat_read_npm_lock(struct hd_catalog *c, const char *path, const char *d, size_t n);
int cat_read_npm_package(struct hd_catalog *c, const char *path, const char *d, size_t n);
int cat_read_python_metadata(struct hd_catalog *c, const char *path, const char *d, size_t n);

/* Streams: Go binaries and jars. */
struct cat_go;
struct cat_go *cat_go_new(struct hd_catalog *c, const char *path);
int cat_go_chunk(struct cat_go *g, const unsigned char *d, size_t n);
int cat_go_end(struct cat_go *g);
void cat_go_free(struct cat_go *g);

int cat_read_jar(struct hd_catalog *c, const char *path, const unsigned char *d, size_t n);

#endif
