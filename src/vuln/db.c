/*
 * The vulnerability database in SQLite (see db.h): schema, import
 * transactions with per-source replacement, status and lookups.  The feed
 * formats are read in feeds.c, which calls the vdb_* record functions of
 * db_int.h.
 */
#include "core/common.h"
#include "vuln/db.h"
#include "vuln/db_int.h"

#include <sqlite3.h>
#include <sys/stat.h>
#include <time.h>

struct hd_vdb {
	sqlite3 *db;
	int64_t now;         /* 0 = the clock */
	sqlite3_stmt *lookup; /* prepared once, reset after each lookup */
};

/* Creates dir and its parents (mode 0755 each); 0 or -1 with errno. */
static int mkdir_p(const char *dir)
{
	char *p = hd_strdup(dir), *s;
	int r = 0;

	if (!p) {
		errno = ENOMEM;
		return -1;
	}
	for (s = p + 1; r == 0; s++) {
		if (*s == '/' || *s == '\0') {
			char c = *s;

			*s = '\0';
			if (mkdir(p, 0755) != 0 && errno != EEXIST)
				r = -1;
			*s = c;
			if (!c)
				break;
		}
	}
	hd_free(p);
	return r;
}

static const char schema[] =
	"CREATE TABLE IF NOT EXISTS meta(key TEXT PRIMARY KEY, value TEXT) WITHOUT ROWID;"
	"CREATE TABLE IF NOT EXISTS sources(name TEXT PRIMARY KEY, format TEXT NOT NULL, origin TEXT,"
	" imported_at INTEGER NOT NULL, feed_time INTEGER NOT NULL, records INTEGER NOT NULL);"
	"CREATE TABLE IF NOT EXISTS vulns(rid INTEGER PRIMARY KEY, source TEXT NOT NULL, id TEXT NOT NULL,"
	" aliases TEXT, summary TEXT, severity TEXT, score REAL NOT NULL DEFAULT 0);"
	"CREATE INDEX IF NOT EXISTS vulns_source ON vulns(source, id);"
	"CREATE TABLE IF NOT EXISTS affected(eco TEXT NOT NULL, name TEXT NOT NULL, rid INTEGER NOT NULL,"
	" kind INTEGER NOT NULL, a TEXT, b TEXT, c TEXT, d TEXT);"
	"CREATE INDEX IF NOT EXISTS affected_key ON affected(eco, name);"
	"CREATE INDEX IF NOT EXISTS affected_rid ON affected(rid);";

static int64_t now_of(const struct hd_vdb *db)
{
	return db->now ? db->now : (int64_t)time(NULL);
}

void hd_vdb_set_now(struct hd_vdb *db, int64_t now)
{
	db->now = now;
}

static int sql_err(sqlite3 *db, int rc)
{
	(void)db;
	if (rc == SQLITE_NOMEM)
		return -HD_ENOMEM;
	if (rc == SQLITE_PERM || rc == SQLITE_READONLY || rc == SQLITE_CANTOPEN)
		return -HD_EACCES;
	return -HD_EIO;
}

int hd_vdb_open(const char *dir, bool create, struct hd_vdb **ret, struct hd_diag *diag)
{
	struct hd_vdb *v;
	char *path;
	struct stat st;
	sqlite3_stmt *q = NULL;
	int rc, r = 0;

	*ret = NULL;
	path = hd_asprintf("%s/%s", dir, HD_VDB_FILE);
	if (!path)
		return -HD_ENOMEM;
	if (stat(path, &st) != 0) {
		if (!create) {
			hd_free(path);
			return -HD_ENOENT;
		}
		if (mkdir_p(dir) < 0) {
			hd_free(path);
			return errno == EACCES ? -HD_EACCES : -HD_EIO;
		}
	}
	v = hd_calloc(1, sizeof(*v));
	if (!v) {
		hd_free(path);
		return -HD_ENOMEM;
	}
	rc = sqlite3_open_v2(path, &v->db, SQLITE_OPEN_READWRITE | (create ? SQLITE_OPEN_CREATE : 0), NULL);
	hd_free(path);
	if (rc != SQLITE_OK) {
		r = sql_err(v->db, rc);
		goto fail;
	}
	sqlite3_busy_timeout(v->db, 10000);
	/* A file that is not SQLite, or a database of something else, is said so. */
	rc = sqlite3_exec(v->db, "PRAGMA foreign_keys=OFF; PRAGMA synchronous=NORMAL; PRAGMA temp_store=MEMORY;"
			  "PRAGMA cache_size=-65536;", NULL, NULL, NULL);
	if (rc == SQLITE_OK && create)
		rc = sqlite3_exec(v->db, schema, NULL, NULL, NULL);
	if (rc == SQLITE_OK && create)
		rc = sqlite3_exec(v->db, "INSERT OR IGNORE INTO meta VALUES('schema','1')", NULL, NULL, NULL);
	if (rc == SQLITE_OK)
		rc = sqlite3_prepare_v2(v->db, "SELECT value FROM meta WHERE key='schema'", -1, &q, NULL);
	if (rc == SQLITE_OK && sqlite3_step(q) == SQLITE_ROW) {
		if (sqlite3_column_int(q, 0) != HD_VDB_SCHEMA) {
			hd_diag_set(diag, dir, 0, 0, "the database has schema %d, this hardock reads schema %d: "
				    "import the feeds again into a new directory", sqlite3_column_int(q, 0),
				    HD_VDB_SCHEMA);
			r = -HD_EPROTO;
		}
	} else {
		hd_diag_set(diag, dir, 0, 0, "'%s/%s' is not a hardock vulnerability database (%s)", dir, HD_VDB_FILE,
			    sqlite3_errmsg(v->db));
		r = -HD_EPROTO;
	}
	sqlite3_finalize(q);
	if (r < 0)
		goto fail;
	*ret = v;
	return 0;
fail:
	sqlite3_close(v->db);
	hd_free(v);
	return r;
}

void hd_vdb_close(struct hd_vdb *db)
{
	if (!db)
		return;
	sqlite3_finalize(db->lookup);
	sqlite3_close(db->db);
	hd_free(db);
}

/* ---- import ------------------------------------------------------------ */

struct vdb_src {
	char *name;
	bool replace;     /* the whole source was deleted before this import */
	int64_t records;  /* added in this import */
	int64_t feed_time;
};

struct hd_vdb_import {
	struct hd_vdb *db;
	sqlite3_stmt *ins_vuln, *ins_aff, *del_src_aff, *del_src_vulns, *put_src, *del_id_aff, *del_id_vuln;
	struct vdb_src *srcs;
	size_t n_srcs, alloc_srcs;
	struct vdb_src *cur;
	size_t records;
	char **skipped;
	size_t n_skipped, alloc_skipped;
};

int vdb_skipped(struct hd_vdb_import *im, const char *path)
{
	if (HD_GROW(im->skipped, im->alloc_skipped, im->n_skipped + 1) < 0 ||
	    !(im->skipped[im->n_skipped] = hd_strdup(path)))
		return -HD_ENOMEM;
	im->n_skipped++;
	return 0;
}

void hd_vdb_import_skipped(const struct hd_vdb_import *im, char *const **names, size_t *n)
{
	*names = im->skipped;
	*n = im->n_skipped;
}

int hd_vdb_import_begin(struct hd_vdb *db, struct hd_vdb_import **ret)
{
	struct hd_vdb_import *im = hd_calloc(1, sizeof(*im));
	int rc;

	*ret = NULL;
	if (!im)
		return -HD_ENOMEM;
	im->db = db;
	rc = sqlite3_exec(db->db, "BEGIN IMMEDIATE", NULL, NULL, NULL);
#define PREP(st, sql) if (rc == SQLITE_OK) rc = sqlite3_prepare_v2(db->db, sql, -1, &im->st, NULL)
	PREP(ins_vuln, "INSERT INTO vulns(source, id, aliases, summary, severity, score) VALUES(?,?,?,?,?,?)");
	PREP(ins_aff, "INSERT INTO affected(eco, name, rid, kind, a, b, c, d) VALUES(?,?,?,?,?,?,?,?)");
	PREP(del_src_aff, "DELETE FROM affected WHERE rid IN (SELECT rid FROM vulns WHERE source=?)");
	PREP(del_src_vulns, "DELETE FROM vulns WHERE source=?");
	PREP(put_src, "INSERT OR REPLACE INTO sources(name, format, origin, imported_at, feed_time, records) "
		      "VALUES(?,?,?,?,?,0)");
	PREP(del_id_aff, "DELETE FROM affected WHERE rid IN (SELECT rid FROM vulns WHERE source=? AND id=?)");
	PREP(del_id_vuln, "DELETE FROM vulns WHERE source=? AND id=?");
#undef PREP
	if (rc != SQLITE_OK) {
		int r = sql_err(db->db, rc);

		hd_vdb_import_abort(im);
		return r;
	}
	*ret = im;
	return 0;
}

static void finalize_all(struct hd_vdb_import *im)
{
	sqlite3_finalize(im->ins_vuln);
	sqlite3_finalize(im->ins_aff);
	sqlite3_finalize(im->del_src_aff);
	sqlite3_finalize(im->del_src_vulns);
	sqlite3_finalize(im->put_src);
	sqlite3_finalize(im->del_id_aff);
	sqlite3_finalize(im->del_id_vuln);
}

static void free_import(struct hd_vdb_import *im)
{
	size_t i;

	finalize_all(im);
	for (i = 0; i < im->n_srcs; i++)
		hd_free(im->srcs[i].name);
	hd_free(im->srcs);
	for (i = 0; i < im->n_skipped; i++)
		hd_free(im->skipped[i]);
	hd_free(im->skipped);
	hd_free(im);
}

void hd_vdb_import_abort(struct hd_vdb_import *im)
{
	if (!im)
		return;
	finalize_all(im);
	im->ins_vuln = im->ins_aff = im->del_src_aff = im->del_src_vulns = im->put_src = NULL;
	im->del_id_aff = im->del_id_vuln = NULL;
	sqlite3_exec(im->db->db, "ROLLBACK", NULL, NULL, NULL);
	free_import(im);
}

void hd_vdb_import_counts(const struct hd_vdb_import *im, size_t *sources, size_t *records)
{
	*sources = im->n_srcs;
	*records = im->records;
}

static int step(struct hd_vdb_import *im, sqlite3_stmt *st)
{
	int rc = sqlite3_step(st);

	sqlite3_reset(st);
	sqlite3_clear_bindings(st);
	return rc == SQLITE_DONE || rc == SQLITE_ROW ? 0 : sql_err(im->db->db, rc);
}

static void bind_text(sqlite3_stmt *st, int i, const char *s)
{
	if (s)
		sqlite3_bind_text(st, i, s, -1, SQLITE_STATIC);
	else
		sqlite3_bind_null(st, i);
}

int vdb_source(struct hd_vdb_import *im, const char *name, const char *format, const char *origin,
	       int64_t feed_time, bool replace)
{
	struct vdb_src *s = NULL;
	size_t i;
	int r;

	for (i = 0; i < im->n_srcs; i++) {
		if (!strcmp(im->srcs[i].name, name))
			s = &im->srcs[i];
	}
	if (!s) {
		if (HD_GROW(im->srcs, im->alloc_srcs, im->n_srcs + 1) < 0)
			return -HD_ENOMEM;
		s = &im->srcs[im->n_srcs];
		memset(s, 0, sizeof(*s));
		if (!(s->name = hd_strdup(name)))
			return -HD_ENOMEM;
		im->n_srcs++;
	}
	/* The current source again (one record after another of a feed): nothing to do. */
	if (s == im->cur && s->feed_time == feed_time && (!replace || s->replace))
		return 0;
	if (replace && !s->replace) {
		s->replace = true;
		bind_text(im->del_src_aff, 1, name);
		if ((r = step(im, im->del_src_aff)) < 0)
			return r;
		bind_text(im->del_src_vulns, 1, name);
		if ((r = step(im, im->del_src_vulns)) < 0)
			return r;
	}
	bind_text(im->put_src, 1, name);
	bind_text(im->put_src, 2, format);
	bind_text(im->put_src, 3, origin);
	sqlite3_bind_int64(im->put_src, 4, now_of(im->db));
	sqlite3_bind_int64(im->put_src, 5, feed_time);
	if ((r = step(im, im->put_src)) < 0)
		return r;
	s->feed_time = feed_time;
	im->cur = s;
	return 0;
}

int vdb_forget(struct hd_vdb_import *im, const char *id)
{
	int r;

	bind_text(im->del_id_aff, 1, im->cur->name);
	bind_text(im->del_id_aff, 2, id);
	if ((r = step(im, im->del_id_aff)) < 0)
		return r;
	bind_text(im->del_id_vuln, 1, im->cur->name);
	bind_text(im->del_id_vuln, 2, id);
	return step(im, im->del_id_vuln);
}

int vdb_vuln(struct hd_vdb_import *im, const char *id, const char *aliases, const char *summary,
	     const char *severity, double score, int64_t *rid)
{
	int r;

	bind_text(im->ins_vuln, 1, im->cur->name);
	bind_text(im->ins_vuln, 2, id);
	bind_text(im->ins_vuln, 3, aliases);
	bind_text(im->ins_vuln, 4, summary);
	bind_text(im->ins_vuln, 5, severity);
	sqlite3_bind_double(im->ins_vuln, 6, score);
	if ((r = step(im, im->ins_vuln)) < 0)
		return r;
	*rid = sqlite3_last_insert_rowid(im->db->db);
	im->cur->records++;
	im->records++;
	return 0;
}

int vdb_affected(struct hd_vdb_import *im, const char *eco, const char *name, int64_t rid, enum hd_vdb_kind kind,
		 const char *a, const char *b, const char *c, const char *d)
{
	bind_text(im->ins_aff, 1, eco);
	bind_text(im->ins_aff, 2, name);
	sqlite3_bind_int64(im->ins_aff, 3, rid);
	sqlite3_bind_int(im->ins_aff, 4, (int)kind);
	bind_text(im->ins_aff, 5, a);
	bind_text(im->ins_aff, 6, b);
	bind_text(im->ins_aff, 7, c);
	bind_text(im->ins_aff, 8, d);
	return step(im, im->ins_aff);
}

int hd_vdb_import_commit(struct hd_vdb_import *im, struct hd_diag *diag)
{
	sqlite3 *db = im->db->db;
	sqlite3_stmt *st = NULL;
	size_t i;
	int rc;

	rc = sqlite3_prepare_v2(db, "UPDATE sources SET records=(SELECT COUNT(*) FROM vulns WHERE source=?1) "
				"WHERE name=?1", -1, &st, NULL);
	for (i = 0; rc == SQLITE_OK && i < im->n_srcs; i++) {
		sqlite3_bind_text(st, 1, im->srcs[i].name, -1, SQLITE_STATIC);
		rc = sqlite3_step(st) == SQLITE_DONE ? SQLITE_OK : sqlite3_errcode(db);
		sqlite3_reset(st);
	}
	sqlite3_finalize(st);
	finalize_all(im);
	im->ins_vuln = im->ins_aff = im->del_src_aff = im->del_src_vulns = im->put_src = NULL;
	im->del_id_aff = im->del_id_vuln = NULL;
	if (rc == SQLITE_OK)
		rc = sqlite3_exec(db, "COMMIT", NULL, NULL, NULL);
	if (rc != SQLITE_OK) {
		int r = sql_err(db, rc);

		hd_diag_set(diag, NULL, 0, 0, "cannot store the import: %s", sqlite3_errmsg(db));
		sqlite3_exec(db, "ROLLBACK", NULL, NULL, NULL);
		free_import(im);
		return r;
	}
	free_import(im);
	return 0;
}

/* ---- status ------------------------------------------------------------ */

static char *col_dup(sqlite3_stmt *st, int i)
{
	const unsigned char *s = sqlite3_column_text(st, i);

	return s ? hd_strdup((const char *)s) : NULL;
}

int hd_vdb_sources(struct hd_vdb *db, struct hd_vdb_source **ret, size_t *n)
{
	sqlite3_stmt *st = NULL;
	struct hd_vdb_source *v = NULL;
	size_t alloc = 0, k = 0;
	int rc;

	*ret = NULL;
	*n = 0;
	rc = sqlite3_prepare_v2(db->db, "SELECT name, format, origin, imported_at, feed_time, records FROM sources "
				"ORDER BY name", -1, &st, NULL);
	while (rc == SQLITE_OK && (rc = sqlite3_step(st)) == SQLITE_ROW) {
		if (HD_GROW(v, alloc, k + 1) < 0) {
			rc = SQLITE_NOMEM;
			break;
		}
		v[k].name = col_dup(st, 0);
		v[k].format = col_dup(st, 1);
		v[k].origin = col_dup(st, 2);
		v[k].imported_at = sqlite3_column_int64(st, 3);
		v[k].feed_time = sqlite3_column_int64(st, 4);
		v[k].records = sqlite3_column_int64(st, 5);
		k++;
		rc = SQLITE_OK;
	}
	sqlite3_finalize(st);
	if (rc != SQLITE_DONE && rc != SQLITE_OK) {
		hd_vdb_sources_free(v, k);
		return sql_err(db->db, rc);
	}
	*ret = v;
	*n = k;
	return 0;
}

void hd_vdb_sources_free(struct hd_vdb_source *v, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++) {
		hd_free(v[i].name);
		hd_free(v[i].format);
		hd_free(v[i].origin);
	}
	hd_free(v);
}

int64_t hd_vdb_age(struct hd_vdb *db, int64_t now)
{
	struct hd_vdb_source *v;
	size_t n, i;
	int64_t oldest = -1;

	if (hd_vdb_sources(db, &v, &n) < 0)
		return -1;
	for (i = 0; i < n; i++) {
		int64_t t = v[i].feed_time ? v[i].feed_time : v[i].imported_at;

		if (oldest < 0 || t < oldest)
			oldest = t;
	}
	hd_vdb_sources_free(v, n);
	return oldest < 0 ? -1 : (now > oldest ? now - oldest : 0);
}

/* ---- lookup ------------------------------------------------------------ */

int hd_vdb_lookup(struct hd_vdb *db, const char *eco, const char *name, struct hd_vdb_hits *hits)
{
	static const char sql[] = "SELECT a.kind, v.source, v.id, v.aliases, v.summary, v.severity, v.score, "
				  "a.a, a.b, a.c, a.d FROM affected a JOIN vulns v ON v.rid = a.rid "
				  "WHERE a.eco = ? AND a.name = ? ORDER BY v.id, v.source";
	sqlite3_stmt *st;
	int rc = SQLITE_OK;

	if (!db->lookup)
		rc = sqlite3_prepare_v2(db->db, sql, -1, &db->lookup, NULL);
	st = db->lookup;
	if (rc == SQLITE_OK) {
		sqlite3_bind_text(st, 1, eco, -1, SQLITE_STATIC);
		sqlite3_bind_text(st, 2, name, -1, SQLITE_STATIC);
	}
	while (rc == SQLITE_OK && (rc = sqlite3_step(st)) == SQLITE_ROW) {
		struct hd_vdb_hit *h;

		if (hits->n >= HD_MAX_VULN_HITS || HD_GROW(hits->v, hits->alloc, hits->n + 1) < 0) {
			rc = SQLITE_NOMEM;
			break;
		}
		h = &hits->v[hits->n++];
		memset(h, 0, sizeof(*h));
		h->kind = (enum hd_vdb_kind)sqlite3_column_int(st, 0);
		h->source = col_dup(st, 1);
		h->id = col_dup(st, 2);
		h->aliases = col_dup(st, 3);
		h->summary = col_dup(st, 4);
		h->severity = col_dup(st, 5);
		h->score = sqlite3_column_double(st, 6);
		h->a = col_dup(st, 7);
		h->b = col_dup(st, 8);
		h->c = col_dup(st, 9);
		h->d = col_dup(st, 10);
		if (!h->source || !h->id) {
			rc = SQLITE_NOMEM;
			break;
		}
		rc = SQLITE_OK;
	}
	if (st) {
		sqlite3_reset(st);
		sqlite3_clear_bindings(st);
	}
	if (rc != SQLITE_DONE && rc != SQLITE_OK)
		return sql_err(db->db, rc);
	return 0;
}

bool hd_vdb_has_eco(struct hd_vdb *db, const char *eco)
{
	sqlite3_stmt *st = NULL;
	bool has = false;

	if (sqlite3_prepare_v2(db->db, "SELECT 1 FROM affected WHERE eco = ? LIMIT 1", -1, &st, NULL) == SQLITE_OK) {
		sqlite3_bind_text(st, 1, eco, -1, SQLITE_STATIC);
		has = sqlite3_step(st) == SQLITE_ROW;
	}
	sqlite3_finalize(st);
	return has;
}

void hd_vdb_hits_release(struct hd_vdb_hits *h)
{
	size_t i;

	for (i = 0; i < h->n; i++) {
		struct hd_vdb_hit *x = &h->v[i];

		hd_free(x->source);
		hd_free(x->id);
		hd_free(x->aliases);
		hd_free(x->summary);
		hd_free(x->severity);
		hd_free(x->a);
		hd_free(x->b);
		hd_free(x->c);
		hd_free(x->d);
	}
	hd_free(h->v);
	memset(h, 0, sizeof(*h));
}
