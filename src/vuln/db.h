/*
 * The local vulnerability database: one SQLite file (DIR/vuln.db) holding
 * the feeds in a form indexed for per-package lookup.  Feeds are imported
 * from their upstream formats (src/vuln/feeds.c detects which) inside one
 * transaction: an import either stores every file given or, on the first
 * bad one, nothing at all.  A scan never touches the network; only
 * `hardock db update` fetches feeds (src/vuln/fetch.c).
 *
 * Layout:
 *   sources(name, format, origin, imported_at, feed_time, records)
 *   vulns(rid, source, id, aliases, summary, severity, score)
 *   affected(eco, name, rid, kind, a, b, c, d)   index (eco, name)
 * where eco is "debian:<codename>" and "alpine:v3.19" for the distribution
 * feeds (name = source package / origin), or the OSV ecosystem ("npm",
 * "PyPI", "Go", "Maven", "Debian:12", "Alpine:v3.19").  kind tells how to
 * read a..d (struct hd_vdb_affected).
 *
 * Ownership: strings returned by lookups belong to the caller's
 * struct hd_vdb_hits and are freed by hd_vdb_hits_release().
 */
#ifndef HD_VULN_DB_H
#define HD_VULN_DB_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "core/err.h"

#define HD_VDB_FILE "vuln.db"
#define HD_VDB_SCHEMA 1

struct hd_vdb;

/*
 * Opens DIR/vuln.db; with create, makes DIR and an empty database when
 * missing.  Returns 0, -HD_ENOENT (no database and !create), -HD_EPROTO (not
 * a hardock database, or another schema version: diag says which),
 * -HD_EIO, -HD_EACCES or -HD_ENOMEM.
 */
int hd_vdb_open(const char *dir, bool create, struct hd_vdb **ret, struct hd_diag *diag);
void hd_vdb_close(struct hd_vdb *db);

/* ---- import ---------------------------------------------------------- */

struct hd_vdb_import;

/* Starts an import transaction. */
int hd_vdb_import_begin(struct hd_vdb *db, struct hd_vdb_import **ret);
/*
 * Imports a file or every file under a directory (format detected from the
 * content).  On a bad file returns -HD_EPARSE (or -HD_ETOOBIG) with diag
 * naming the file, the record or line, and what was expected; the caller
 * then aborts.
 */
int hd_vdb_import_path(struct hd_vdb_import *im, const char *path, struct hd_diag *diag);
/* The same on bytes (name for messages; feed_time: unix seconds of the data, 0 unknown). */
int hd_vdb_import_bytes(struct hd_vdb_import *im, const char *name, const void *data, size_t n,
			int64_t feed_time, struct hd_diag *diag);
/* Commits: the database now holds what was imported.  Frees im. */
int hd_vdb_import_commit(struct hd_vdb_import *im, struct hd_diag *diag);
/* Rolls back: the database is as before.  Frees im; accepts NULL. */
void hd_vdb_import_abort(struct hd_vdb_import *im);
/* Sources and records imported so far in this transaction. */
void hd_vdb_import_counts(const struct hd_vdb_import *im, size_t *sources, size_t *records);

/* Files of imported directories that hold no feed (skipped, not an error); borrowed. */
void hd_vdb_import_skipped(const struct hd_vdb_import *im, char *const **names, size_t *n);

/* Sets the time recorded as imported_at (tests); 0 = now. */
void hd_vdb_set_now(struct hd_vdb *db, int64_t now);

/* ---- status ---------------------------------------------------------- */

struct hd_vdb_source {
	char *name;        /* "debian-tracker", "alpine-secdb v3.19/main", "osv PyPI" */
	char *format;      /* "debian-tracker-json", "alpine-secdb", "osv-zip", "osv-json" */
	char *origin;      /* file or URL it came from */
	int64_t imported_at;
	int64_t feed_time; /* the data's own time (newest record, or the file's mtime); 0 unknown */
	int64_t records;
};

int hd_vdb_sources(struct hd_vdb *db, struct hd_vdb_source **ret, size_t *n);
void hd_vdb_sources_free(struct hd_vdb_source *v, size_t n);
/*
 * The database's age in seconds at now: of its oldest source (by feed time,
 * else import time).  -1 when it holds no source.
 */
int64_t hd_vdb_age(struct hd_vdb *db, int64_t now);

/* ---- lookup ---------------------------------------------------------- */

enum hd_vdb_kind {
	HD_VDB_DEBIAN = 1, /* a = status ("resolved", "open", "undetermined"), b = fixed version or NULL,
			      c = urgency, d = nodsa_reason or NULL */
	HD_VDB_ALPINE = 2, /* b = fixed version */
	HD_VDB_OSV = 3,    /* a = range type list and events as compact text (see feeds.c), b = versions */
};

struct hd_vdb_hit {
	enum hd_vdb_kind kind;
	char *source;   /* the source's name */
	char *id;       /* "CVE-2023-1234", "GHSA-xxxx" */
	char *aliases;  /* space-separated, or NULL */
	char *summary;  /* or NULL */
	char *severity; /* "critical".."low", "unimportant", or NULL */
	double score;   /* CVSS base score, 0 unknown */
	char *a, *b, *c, *d;
};

struct hd_vdb_hits {
	struct hd_vdb_hit *v;
	size_t n, alloc;
};

/* Appends every record for (eco, name) to hits.  Returns 0 or -HD_E*. */
int hd_vdb_lookup(struct hd_vdb *db, const char *eco, const char *name, struct hd_vdb_hits *hits);
void hd_vdb_hits_release(struct hd_vdb_hits *h);
/* Whether the database has any record for eco (to pick a primary source). */
bool hd_vdb_has_eco(struct hd_vdb *db, const char *eco);

#endif
