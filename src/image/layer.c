/*
 * The layer reader (see layer.h): libarchive's tar reader over the
 * decompressed stream, one pass, every entry classified as it comes and every
 * file's content scanned while it streams.  Nothing is written anywhere.
 */
#include "core/common.h"
#include "core/buf.h"
#include "image/hash.h"
#include "image/layer.h"
#include "image/scan.h"
#include "vuln/catalog.h"

#include <archive.h>
#include <archive_entry.h>
#include <sys/stat.h>

#define MAX_ANOMS_PER_LAYER 1000u
#define MAX_SECRETS_PER_LAYER 10000u
#define MAX_HITS_PER_FILE 16u

void hd_image_limits_default(struct hd_image_limits *l)
{
	l->max_bytes = 64ull << 30;
	l->max_entries = 2000000;
	l->max_path = 4096;
	l->max_json = 16u << 20;
	l->max_ratio = 1000;
	l->max_secret_file = 8u << 20;
	l->max_capture = 4u << 20;
	l->max_blobs = 100000;
}

struct hd_layer_index *hd_layer_index_new(void)
{
	struct hd_layer_index *ix = hd_calloc(1, sizeof(*ix));

	if (ix)
		hd_arena_init(&ix->arena, 16 * 1024);
	return ix;
}

void hd_layer_index_free(struct hd_layer_index *ix)
{
	size_t i;

	if (!ix)
		return;
	hd_free(ix->paths);
	hd_free(ix->whiteouts);
	hd_free(ix->opaques);
	hd_free(ix->ents);
	hd_free(ix->secrets);
	hd_free(ix->captures);
	for (i = 0; i < ix->n_owners; i++) {
		hd_free(ix->owners[i].pkgs);
		hd_free(ix->owners[i].files);
	}
	hd_free(ix->owners);
	hd_free(ix->anoms);
	hd_free(ix->error);
	hd_catalog_free(ix->catalog);
	hd_arena_release(&ix->arena);
	hd_free(ix);
}

int hd_path_normalise(const char *in, char *out, size_t cap, bool *abs, bool *dotdot)
{
	size_t o = 0;
	const char *p = in;

	*abs = *in == '/';
	*dotdot = false;
	while (*p) {
		const char *c = p;
		size_t n;

		while (*p && *p != '/')
			p++;
		n = (size_t)(p - c);
		if (*p)
			p++;
		if (n == 0 || (n == 1 && c[0] == '.'))
			continue;
		if (n == 2 && c[0] == '.' && c[1] == '.') {
			*dotdot = true;
			if (o == 0)
				return -HD_ELOOP;
			while (o > 0 && out[o - 1] != '/')
				o--;
			if (o > 0)
				o--; /* the slash */
			continue;
		}
		if (o + (o ? 1 : 0) + n + 1 > cap)
			return -HD_ETOOBIG;
		if (o)
			out[o++] = '/';
		memcpy(out + o, c, n);
		o += n;
	}
	out[o] = '\0';
	return (int)o;
}

/* ---- per-layer read state ---------------------------------------------------------- */

struct hit {
	unsigned pattern;
	uint64_t offset;
};

struct lrd {
	struct hd_layer_reader *lr;
	struct hd_layer_index *ix;
	hd_chunk_fn *src;
	void *src_ctx;
	struct hd_sha256 *sha;
	bool src_eof;
	int src_err;
	char src_msg[512];
	struct hd_u64set set, wh, opq, unneeded;
	size_t path_cap;       /* each buffer below holds a path of max_path bytes and a NUL */
	char *path;            /* normalised path of the current entry */
	char *lnk;             /* its hard link target, normalised */
	char *own_in, *own_norm; /* a path read from a package database, and normalised */
	char *apk_dir;         /* the folder of the apk record being read (F:) */
	char *apk_full;        /* folder + file (R:) */
	char *line;            /* the current line of a package database */
	unsigned char *rpmdb;  /* rpmdb.sqlite read whole (sqlite needs all of it), while it is read */
	size_t rpmdb_len, rpmdb_cap;
	struct hd_buf cat;     /* a file the package catalogue takes whole */
	/* The current file. */
	struct hit hits[MAX_HITS_PER_FILE];
	size_t n_hits;
};

static la_ssize_t rd_cb(struct archive *a, void *ctx, const void **buf)
{
	struct lrd *s = ctx;
	const void *p;
	size_t n;
	int r;

	if (s->src_eof || s->src_err)
		return 0;
	r = s->src(s->src_ctx, &p, &n, s->src_msg, sizeof(s->src_msg));
	if (r < 0) {
		s->src_err = r;
		archive_set_error(a, EINVAL, "%s", s->src_msg);
		return -1;
	}
	if (n == 0) {
		s->src_eof = true;
		return 0;
	}
	hd_sha256_update(s->sha, p, n);
	s->ix->tar_bytes += n;
	*buf = p;
	return (la_ssize_t)n;
}

static int set_error(struct hd_layer_index *ix, int err, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
static int set_error(struct hd_layer_index *ix, int err, const char *fmt, ...)
{
	char msg[1024];
	va_list ap;

	if (ix->error)
		return ix->err;
	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	ix->error = hd_strdup(msg);
	ix->err = err;
	return ix->error ? err : -HD_ENOMEM;
}

static int add_anomaly(struct lrd *s, enum hd_anomaly_kind k, const char *path, const char *detail)
{
	struct hd_layer_index *ix = s->ix;
	struct hd_ianomaly *a;

	if (ix->n_anoms >= MAX_ANOMS_PER_LAYER) {
		ix->anoms_dropped++;
		return 0;
	}
	if (HD_GROW(ix->anoms, ix->alloc_anoms, ix->n_anoms + 1) < 0)
		return -HD_ENOMEM;
	a = &ix->anoms[ix->n_anoms];
	a->kind = k;
	a->path = hd_arena_strdup(&ix->arena, path);
	a->detail = detail ? hd_arena_strdup(&ix->arena, detail) : NULL;
	if (!a->path || (detail && !a->detail))
		return -HD_ENOMEM;
	ix->n_anoms++;
	return 0;
}

static struct hd_ient *add_ent(struct lrd *s, const char *path, size_t n, uint64_t h)
{
	struct hd_layer_index *ix = s->ix;
	struct hd_ient *e;

	if (HD_GROW(ix->ents, ix->alloc_ents, ix->n_ents + 1) < 0)
		return NULL;
	e = &ix->ents[ix->n_ents];
	memset(e, 0, sizeof(*e));
	e->path = hd_arena_strndup(&ix->arena, path, n);
	if (!e->path)
		return NULL;
	e->hash = h;
	e->cap_rootid = -1;
	ix->n_ents++;
	return e;
}

static int add_secret(struct lrd *s, const char *path, uint64_t h, unsigned pattern, uint64_t off, bool by_name)
{
	struct hd_layer_index *ix = s->ix;
	struct hd_isecret *x;

	if (ix->n_secrets >= MAX_SECRETS_PER_LAYER) {
		ix->secrets_dropped++;
		return 0;
	}
	if (HD_GROW(ix->secrets, ix->alloc_secrets, ix->n_secrets + 1) < 0)
		return -HD_ENOMEM;
	x = &ix->secrets[ix->n_secrets];
	x->path = hd_arena_strdup(&ix->arena, path);
	if (!x->path)
		return -HD_ENOMEM;
	x->hash = h;
	x->pattern = pattern;
	x->offset = off;
	x->by_name = by_name;
	ix->n_secrets++;
	return 0;
}

/* ---- classification ---------------------------------------------------------------- */

/* Trees of OS packages and language package managers: not "left behind" by the image's author. */
static bool package_tree(const char *p, size_t n)
{
	static const char *const pre[] = { "usr/share/", "usr/lib/", "usr/lib64/", "usr/local/lib/",
					   "usr/src/", "usr/include/", "usr/libexec/", "lib/", "lib64/",
					   "var/lib/dpkg/", "var/lib/apt/", "var/lib/rpm/" };
	static const char *const comps[] = { "/node_modules/", "/vendor/", "/site-packages/",
					     "/dist-packages/", "/gems/" };
	size_t i;

	for (i = 0; i < HD_ARRAY_SIZE(pre); i++) {
		if (hd_starts_with(p, pre[i]))
			return true;
	}
	for (i = 0; i < HD_ARRAY_SIZE(comps); i++) {
		const char *c = comps[i];

		if (strstr(p, c) || hd_starts_with(p, c + 1))
			return true;
	}
	(void)n;
	return false;
}

/*
 * Unnecessary files (dockle DKL-LI-0003 and more): the length of the path
 * prefix that names it (a folder or the file), with what it is; 0 if none.
 */
static size_t unneeded(const char *p, size_t n, bool is_dir, const char **what)
{
	static const struct {
		const char *name;
		const char *what;
	} dirs[] = {
		{ ".git", "a git repository" }, { ".svn", "a Subversion working copy" },
		{ ".hg", "a Mercurial repository" }, { ".bzr", "a Bazaar branch" },
		{ ".idea", "JetBrains IDE settings" }, { ".vscode", "VS Code settings" },
		{ ".cache", "a cache folder" }, { ".npm", "the npm cache" },
		{ ".aws", "AWS CLI settings" }, { ".azure", "Azure CLI settings" },
		{ ".gcp", "Google Cloud settings" },
	}, files[] = {
		{ "Dockerfile", "a Dockerfile" }, { "Containerfile", "a Containerfile" },
		{ "docker-compose.yml", "a compose file" }, { "docker-compose.yaml", "a compose file" },
		{ "compose.yml", "a compose file" }, { "compose.yaml", "a compose file" },
		{ ".DS_Store", "macOS Finder metadata" }, { ".vimrc", "an editor configuration" },
	};
	size_t i = 0, k;

	if (package_tree(p, n))
		return 0;
	while (i < n) {
		size_t j = i, len;

		while (j < n && p[j] != '/')
			j++;
		len = j - i;
		/* Folders: any component; the entry is the folder or below it. */
		if (j < n || is_dir) {
			for (k = 0; k < HD_ARRAY_SIZE(dirs); k++) {
				if (len == strlen(dirs[k].name) && !memcmp(p + i, dirs[k].name, len)) {
					*what = dirs[k].what;
					return j;
				}
			}
		}
		if (j == n && !is_dir) {
			for (k = 0; k < HD_ARRAY_SIZE(files); k++) {
				if (len == strlen(files[k].name) && !memcmp(p + i, files[k].name, len)) {
					*what = files[k].what;
					return j;
				}
			}
		}
		i = j + 1;
	}
	return 0;
}

static int capture_kind(const char *p)
{
	if (!strcmp(p, "etc/passwd"))
		return HD_CAP_PASSWD;
	if (!strcmp(p, "etc/shadow"))
		return HD_CAP_SHADOW;
	if (!strcmp(p, "etc/group"))
		return HD_CAP_GROUP;
	if (!strcmp(p, "etc/gshadow"))
		return HD_CAP_GSHADOW;
	if (!strcmp(p, "etc/os-release") || !strcmp(p, "usr/lib/os-release"))
		return HD_CAP_OS_RELEASE;
	return -1;
}

/* The package of a dpkg .list file ("libc6:amd64"), or NULL. */
static bool dpkg_list(const char *p, size_t n, const char **pkg, size_t *pn)
{
	static const char dir[] = "var/lib/dpkg/info/";

	if (n <= sizeof(dir) - 1 + 5 || memcmp(p, dir, sizeof(dir) - 1) != 0 || strcmp(p + n - 5, ".list") != 0 ||
	    memchr(p + sizeof(dir) - 1, '/', n - (sizeof(dir) - 1)))
		return false;
	*pkg = p + sizeof(dir) - 1;
	*pn = n - (sizeof(dir) - 1) - 5;
	return *pn > 0;
}

static bool apk_db(const char *p)
{
	return !strcmp(p, "lib/apk/db/installed") || !strcmp(p, "usr/lib/apk/db/installed");
}

/* The rpm database in its sqlite form (rpm 4.16 and later: Fedora 33+, RHEL 9, UBI 9). */
static bool rpm_db(const char *p)
{
	return !strcmp(p, "var/lib/rpm/rpmdb.sqlite") || !strcmp(p, "usr/lib/sysimage/rpm/rpmdb.sqlite");
}

/* ---- file content consumers ---------------------------------------------------------- */

struct fctx {
	struct lrd *s;
	const char *path;
	uint64_t hash;
	bool scan;
	struct hd_icapture *cap;
	size_t cap_room;
	struct hd_iowner *own;
	size_t line_len;
	bool line_long;          /* the current line is beyond the buffer: ignored */
	size_t dir_len;          /* apk: length of the current F: folder in s->apk_dir */
	bool have_pkg;
	unsigned cat;            /* HD_CATALOG_WHOLE or _STREAM: the package catalogue reads it */
	struct hd_catalog_stream *cs;
};

static void on_hit(void *ctx, unsigned pattern, uint64_t end)
{
	struct lrd *s = ctx;

	if (s->n_hits < MAX_HITS_PER_FILE) {
		s->hits[s->n_hits].pattern = pattern;
		s->hits[s->n_hits].offset = end;
		s->n_hits++;
	}
}

static int owner_add(struct lrd *s, struct hd_iowner *o, const char *path, size_t n)
{
	char *norm = s->own_norm;
	bool abs, dd;
	int len;

	if (n >= s->path_cap)
		return 0;
	memcpy(s->own_in, path, n);
	s->own_in[n] = '\0';
	len = hd_path_normalise(s->own_in, norm, s->path_cap, &abs, &dd);
	if (len < 0 || o->n_pkgs == 0)
		return 0;
	if (HD_GROW(o->files, o->alloc_files, o->n_files + 1) < 0)
		return -HD_ENOMEM;
	o->files[o->n_files].hash = hd_path_hash(norm, (size_t)len);
	o->files[o->n_files].pkg = (uint32_t)(o->n_pkgs - 1);
	o->n_files++;
	return 0;
}

static int owner_pkg(struct lrd *s, struct hd_iowner *o, const char *name, size_t n)
{
	const char *colon = memchr(name, ':', n);
	char *v;

	if (colon)
		n = (size_t)(colon - name); /* "libc6:amd64" -> "libc6" */
	if (HD_GROW(o->pkgs, o->alloc_pkgs, o->n_pkgs + 1) < 0)
		return -HD_ENOMEM;
	v = hd_arena_strndup(&s->ix->arena, name, n);
	if (!v)
		return -HD_ENOMEM;
	o->pkgs[o->n_pkgs++] = v;
	return 0;
}

/* One complete line of a package database. */
static int owner_line(struct fctx *f, const char *l, size_t n)
{
	struct hd_iowner *o = f->own;
	struct lrd *s = f->s;

	if (o->kind == HD_OWNER_DPKG)
		return n ? owner_add(s, o, l, n) : 0;
	/* apk: P:name starts a package, F:dir a folder, R:file a file of that folder. */
	if (n >= 2 && l[1] == ':') {
		char *dir = s->apk_dir;

		switch (l[0]) {
		case 'P':
			f->dir_len = 0;
			return owner_pkg(s, o, l + 2, n - 2);
		case 'F':
			if (n - 2 >= s->path_cap)
				return 0;
			memcpy(dir, l + 2, n - 2);
			f->dir_len = n - 2;
			return 0;
		case 'R': {
			char *full = s->apk_full;

			if (f->dir_len + 1 + (n - 2) >= s->path_cap)
				return 0;
			memcpy(full, dir, f->dir_len);
			full[f->dir_len] = '/';
			memcpy(full + f->dir_len + 1, l + 2, n - 2);
			return owner_add(s, o, full, f->dir_len + 1 + (n - 2));
		}
		default:
			return 0;
		}
	}
	return 0;
}

static int owner_feed(struct fctx *f, const char *p, size_t n)
{
	struct lrd *s = f->s;
	char *line = s->line;
	int r;

	while (n) {
		const char *nl = memchr(p, '\n', n);
		size_t k = nl ? (size_t)(nl - p) : n;

		if (!f->line_long && f->line_len + k < s->path_cap) {
			memcpy(line + f->line_len, p, k);
			f->line_len += k;
		} else
			f->line_long = true;
		if (!nl)
			return 0;
		if (!f->line_long) {
			r = owner_line(f, line, f->line_len);
			if (r < 0)
				return r;
		}
		f->line_len = 0;
		f->line_long = false;
		p = nl + 1;
		n -= k + 1;
	}
	return 0;
}

static int cmp_owned(const void *a, const void *b)
{
	uint64_t x = ((const struct hd_owned *)a)->hash, y = ((const struct hd_owned *)b)->hash;

	return x < y ? -1 : x > y;
}

/* A limit of the catalogue cuts it short (said later), it does not stop the layer. */
static int cat_result(struct hd_layer_index *ix, int r)
{
	if (r == -HD_ETOOBIG) {
		ix->catalog_cut = true;
		return 0;
	}
	return r;
}

static int feed(struct fctx *f, const void *p, size_t n)
{
	int r;

	if (f->scan) {
		r = hd_scanner_feed(f->s->lr->scanner, p, n);
		if (r < 0)
			return r;
	}
	if (f->cap && f->cap_room) {
		size_t k = n < f->cap_room ? n : f->cap_room;

		memcpy(f->cap->data + f->cap->len, p, k);
		f->cap->len += k;
		f->cap_room -= k;
		if (k < n)
			f->cap->truncated = true;
	} else if (f->cap && n)
		f->cap->truncated = true;
	if (f->own && f->own->kind == HD_OWNER_RPM) {
		struct lrd *s = f->s;
		size_t k = n < s->rpmdb_cap - s->rpmdb_len ? n : s->rpmdb_cap - s->rpmdb_len;

		memcpy(s->rpmdb + s->rpmdb_len, p, k);
		s->rpmdb_len += k;
	} else if (f->own) {
		r = owner_feed(f, p, n);
		if (r < 0)
			return r;
	}
	if (f->cat == HD_CATALOG_STREAM)
		return cat_result(f->s->ix, hd_catalog_chunk(f->cs, p, n));
	if (f->cat == HD_CATALOG_WHOLE)
		return cat_result(f->s->ix, hd_buf_add(&f->s->cat, p, n));
	return 0;
}

static int rpm_owned(void *ctx, const char *pkg, const char *path)
{
	struct fctx *f = ctx;
	struct hd_iowner *o = f->own;

	if (!o->n_pkgs || strcmp(o->pkgs[o->n_pkgs - 1], pkg) != 0) {
		int r = owner_pkg(f->s, o, pkg, strlen(pkg));

		if (r < 0)
			return r;
	}
	return owner_add(f->s, o, path, strlen(path));
}

/*
 * rpmdb.sqlite, read whole: its packages and their files through the
 * package catalogue's rpm reader (vuln/catalog.h).  A database it cannot
 * read owns nothing; the buffer is given back at once.
 */
static int rpm_end(struct fctx *f)
{
	struct lrd *s = f->s;
	struct hd_catalog *c = hd_catalog_new();
	int r;

	if (!c)
		return -HD_ENOMEM;
	r = hd_catalog_file(c, f->path, s->rpmdb, s->rpmdb_len, NULL);
	if (r >= 0)
		r = hd_catalog_each_owned(c, rpm_owned, f);
	hd_catalog_free(c);
	hd_free(s->rpmdb);
	s->rpmdb = NULL;
	s->rpmdb_len = s->rpmdb_cap = 0;
	return r == -HD_ENOMEM ? r : 0;
}

static int file_end(struct fctx *f, int name_only)
{
	struct lrd *s = f->s;
	bool host_key = name_only >= 0 && hd_scan_is_ssh_host_key(f->path, strlen(f->path)) == name_only;
	bool key_hit = false;
	size_t i;
	int r;

	if (f->scan) {
		r = hd_scanner_end(s->lr->scanner);
		if (r < 0) {
			hd_catalog_abort(f->cs);
			return r;
		}
	}
	if (f->cap)
		f->cap->data[f->cap->len] = '\0';
	if (f->own && f->own->kind == HD_OWNER_RPM) {
		r = rpm_end(f);
		if (r < 0) {
			hd_catalog_abort(f->cs);
			return r;
		}
	}
	if (f->cat == HD_CATALOG_STREAM) {
		r = cat_result(s->ix, hd_catalog_end(f->cs));
		f->cs = NULL;
		if (r < 0)
			return r;
	} else if (f->cat == HD_CATALOG_WHOLE) {
		r = cat_result(s->ix, hd_catalog_file(s->ix->catalog, f->path, s->cat.buf, s->cat.len, NULL));
		if (r < 0)
			return r;
	}
	if (f->own) {
		struct hd_iowner *o = f->own;

		if (f->line_len && !f->line_long) {
			r = owner_line(f, s->line, f->line_len);
			if (r < 0)
				return r;
		}
		if (o->n_files)
			qsort(o->files, o->n_files, sizeof(*o->files), cmp_owned);
	}
	for (i = 0; i < s->n_hits; i++) {
		const struct hd_secret_pattern *sp = hd_secret_pattern(s->hits[i].pattern);

		if (sp && sp->kind == HD_SECRET_PRIVATE_KEY) {
			key_hit = true;
			if (host_key)
				continue; /* reported once, as the host key */
		}
		r = add_secret(s, f->path, f->hash, s->hits[i].pattern, s->hits[i].offset, false);
		if (r < 0)
			return r;
	}
	if (name_only >= 0 && !(key_hit && !host_key && hd_secret_pattern((unsigned)name_only)->kind ==
						      HD_SECRET_PRIVATE_KEY)) {
		r = add_secret(s, f->path, f->hash, (unsigned)name_only, 0, true);
		if (r < 0)
			return r;
	}
	return 0;
}

/* Reads the data of a regular file into the consumers that want it. */
static int read_file(struct lrd *s, struct archive *a, const char *path, uint64_t h, int64_t size,
		     int64_t uid, int64_t gid, uint32_t mode)
{
	const struct hd_image_limits *lim = s->lr->lim;
	struct hd_layer_index *ix = s->ix;
	size_t n = strlen(path);
	struct fctx f = { .s = s, .path = path, .hash = h };
	int ck = capture_kind(path), name_only = size > 0 ? hd_scan_name_only(path, n) : -1;
	const char *pkg = NULL;
	size_t pn = 0;
	int r;

	f.scan = size > 0 && (uint64_t)size <= lim->max_secret_file && s->lr->scanner &&
		 !hd_scan_allowlisted(path, n);
	if (ck >= 0) {
		struct hd_icapture *c;
		size_t room = (uint64_t)size < lim->max_capture ? (size_t)size : (size_t)lim->max_capture;

		if (HD_GROW(ix->captures, ix->alloc_captures, ix->n_captures + 1) < 0)
			return -HD_ENOMEM;
		c = &ix->captures[ix->n_captures];
		memset(c, 0, sizeof(*c));
		c->kind = (enum hd_capture_kind)ck;
		c->path = hd_arena_strdup(&ix->arena, path);
		c->data = hd_arena_alloc(&ix->arena, room + 1);
		if (!c->path || !c->data)
			return -HD_ENOMEM;
		c->hash = h;
		c->mode = mode;
		c->uid = uid;
		c->gid = gid;
		ix->n_captures++;
		f.cap = c;
		f.cap_room = room;
	}
	/* rpmdb.sqlite is read whole (sqlite needs it all): one beyond the limit owns nothing. */
	if (dpkg_list(path, n, &pkg, &pn) || apk_db(path) ||
	    (rpm_db(path) && size > 0 && (uint64_t)size <= HD_MAX_IMAGE_RPMDB)) {
		struct hd_iowner *o;

		if (HD_GROW(ix->owners, ix->alloc_owners, ix->n_owners + 1) < 0)
			return -HD_ENOMEM;
		o = &ix->owners[ix->n_owners];
		memset(o, 0, sizeof(*o));
		o->kind = apk_db(path) ? HD_OWNER_APK : rpm_db(path) ? HD_OWNER_RPM : HD_OWNER_DPKG;
		if (o->kind == HD_OWNER_RPM) {
			if ((size_t)size > s->rpmdb_cap) {
				hd_free(s->rpmdb);
				s->rpmdb_cap = 0;
				if (!(s->rpmdb = hd_malloc((size_t)size)))
					return -HD_ENOMEM;
				s->rpmdb_cap = (size_t)size;
			}
			s->rpmdb_len = 0;
		}
		o->path = hd_arena_strdup(&ix->arena, path);
		if (!o->path)
			return -HD_ENOMEM;
		o->hash = h;
		ix->n_owners++;
		if (o->kind == HD_OWNER_DPKG && owner_pkg(s, o, pkg, pn) < 0)
			return -HD_ENOMEM;
		f.own = o;
	}
	f.cat = s->lr->catalog ? hd_catalog_wants(path, (uint64_t)size, mode) : 0;
	if (f.cat) {
		if (!ix->catalog && !(ix->catalog = hd_catalog_new()))
			return -HD_ENOMEM;
		if (f.cat == HD_CATALOG_STREAM && (r = hd_catalog_begin(ix->catalog, path, (uint64_t)size, NULL, &f.cs)) < 0)
			return r;
		hd_buf_reset(&s->cat);
	}
	if (!f.scan && !f.cap && !f.own && !f.cat && name_only < 0)
		return 0;
	s->n_hits = 0;
	if (f.scan)
		hd_scanner_begin(s->lr->scanner, hd_scan_name_class(path, n), on_hit, s);
	if (f.scan || f.cap || f.own || f.cat) {
		for (;;) {
			const void *buf;
			size_t len;
			la_int64_t off;

			r = archive_read_data_block(a, &buf, &len, &off);
			if (r == ARCHIVE_EOF)
				break;
			if (r < ARCHIVE_WARN) {
				hd_catalog_abort(f.cs);
				return set_error(ix, s->src_err ? s->src_err : -HD_EPARSE, "%s",
						 s->src_err ? s->src_msg : archive_error_string(a));
			}
			r = feed(&f, buf, len);
			if (r < 0) {
				hd_catalog_abort(f.cs);
				return r == -HD_EINVAL ? set_error(ix, r, "the secret scanner failed on '%s'", path) : r;
			}
		}
	}
	return file_end(&f, name_only);
}

/* Decodes a security.capability xattr (struct vfs_cap_data, little endian). */
static void decode_caps(struct hd_ient *e, const unsigned char *v, size_t n)
{
	uint32_t w[6] = { 0 };
	size_t i;

	for (i = 0; i < 6 && (i + 1) * 4 <= n; i++)
		w[i] = (uint32_t)v[4 * i] | (uint32_t)v[4 * i + 1] << 8 | (uint32_t)v[4 * i + 2] << 16 |
		       (uint32_t)v[4 * i + 3] << 24;
	e->cap_effective = w[0] & 1;
	switch (w[0] & 0xff000000u) {
	case 0x01000000u:
		if (n < 12)
			return;
		e->cap_version = 1;
		break;
	case 0x02000000u:
		if (n < 20)
			return;
		e->cap_version = 2;
		break;
	case 0x03000000u:
		if (n < 24)
			return;
		e->cap_version = 3;
		e->cap_rootid = w[5];
		break;
	default:
		return;
	}
	e->cap_permitted = w[1];
	e->cap_inheritable = w[2];
	if (e->cap_version >= 2) {
		e->cap_permitted_hi = w[3];
		e->cap_inheritable_hi = w[4];
	}
}

static int read_entry(struct lrd *s, struct archive *a, struct archive_entry *ae)
{
	const struct hd_image_limits *lim = s->lr->lim;
	struct hd_layer_index *ix = s->ix;
	const char *raw = archive_entry_pathname(ae), *hl = archive_entry_hardlink(ae);
	const char *base, *sl = archive_entry_symlink(ae);
	unsigned ft = archive_entry_filetype(ae);
	uint32_t mode = (uint32_t)archive_entry_mode(ae);
	int64_t size = archive_entry_size(ae);
	bool abs, dotdot, is_dir = ft == AE_IFDIR, is_reg = ft == AE_IFREG || (hl && !ft);
	struct hd_ient *e = NULL;
	uint32_t flags = 0;
	const char *what = NULL;
	size_t ulen;
	uint64_t h;
	int n, r;

	if (++s->lr->entries_seen > lim->max_entries)
		return set_error(ix, -HD_ETOOBIG, "more than %" PRIu64 " entries in the image's layers "
				 "(the limit, --max-files)", lim->max_entries);
	ix->entries++;
	if (!raw)
		return set_error(ix, -HD_EPARSE, "entry %" PRIu64 " has no readable name", ix->entries);
	if (strlen(raw) > lim->max_path)
		return set_error(ix, -HD_ETOOBIG, "entry %" PRIu64 " has a name of %zu bytes, beyond the "
				 "limit of %" PRIu32 " (--max-path)", ix->entries, strlen(raw), lim->max_path);
	if (size < 0 || (uint64_t)size > lim->max_bytes)
		return set_error(ix, -HD_ETOOBIG, "entry '%.200s' claims %" PRId64 " bytes, beyond the "
				 "limit of %" PRIu64 " (--max-bytes)", raw, size, lim->max_bytes);
	n = hd_path_normalise(raw, s->path, s->path_cap, &abs, &dotdot);
	if (n == -HD_ELOOP)
		return add_anomaly(s, HD_ANOM_ESCAPES, raw, NULL);
	if (n < 0)
		return set_error(ix, -HD_ETOOBIG, "entry '%.200s' has too long a name", raw);
	if (abs && (r = add_anomaly(s, HD_ANOM_ABSOLUTE, raw, NULL)) < 0)
		return r;
	if (dotdot && (r = add_anomaly(s, HD_ANOM_DOTDOT, raw, NULL)) < 0)
		return r;
	base = strrchr(s->path, '/');
	base = base ? base + 1 : s->path;
	if (hd_starts_with(base, ".wh.")) {
		size_t dirlen = (size_t)(base - s->path);
		uint64_t wh;

		if (dirlen)
			dirlen--; /* the slash */
		if (!strcmp(base, ".wh..wh..opq"))
			return hd_u64set_put(&s->opq, hd_path_hash(s->path, dirlen), ~(uint64_t)0) < 0 ? -HD_ENOMEM : 0;
		if (hd_starts_with(base, ".wh..wh.") || !base[4])
			return 0; /* aufs metadata */
		/* The deleted path: the folder plus the name without ".wh.". */
		memmove(s->path + (base - s->path), base + 4, strlen(base + 4) + 1);
		wh = hd_path_hash(s->path, strlen(s->path));
		return hd_u64set_put(&s->wh, wh, ~(uint64_t)0) < 0 ? -HD_ENOMEM : 0;
	}
	h = hd_path_hash(s->path, (size_t)n);
	r = hd_u64set_put(&s->set, h | (is_dir ? 1 : 0), ~(uint64_t)1);
	if (r < 0)
		return r;
	if (r == 0 && (r = add_anomaly(s, HD_ANOM_DUPLICATE, s->path, NULL)) < 0)
		return r;
	if (hl) {
		bool a2, d2;
		int tn = hd_path_normalise(hl, s->lnk, s->path_cap, &a2, &d2);

		if (tn < 0 || !hd_u64set_get(&s->set, hd_path_hash(s->lnk, (size_t)tn), ~(uint64_t)1) ||
		    (tn == n && !memcmp(s->lnk, s->path, (size_t)n))) {
			r = add_anomaly(s, HD_ANOM_HARDLINK_MISSING, s->path, hl);
			if (r < 0)
				return r;
		}
		flags |= HD_IENT_HARDLINK;
		if (!ft)
			mode |= AE_IFREG;
	}
	if (is_reg && (mode & (S_ISUID | S_ISGID)))
		flags |= HD_IENT_SETID;
	if (is_reg && (mode & S_IWOTH))
		flags |= HD_IENT_WW_FILE;
	if (is_dir && (mode & S_IWOTH) && !(mode & S_ISVTX))
		flags |= HD_IENT_WW_DIR;
	if (ft == AE_IFCHR || ft == AE_IFBLK)
		flags |= HD_IENT_DEVICE;
	if (ft == AE_IFLNK)
		flags |= HD_IENT_SYMLINK;
	if (archive_entry_xattr_reset(ae) > 0) {
		const char *xn;
		const void *xv;
		size_t xs;

		while (archive_entry_xattr_next(ae, &xn, &xv, &xs) == ARCHIVE_OK) {
			if (xn && !strcmp(xn, "security.capability")) {
				flags |= HD_IENT_CAPS;
				e = add_ent(s, s->path, (size_t)n, h);
				if (!e)
					return -HD_ENOMEM;
				decode_caps(e, xv, xs);
			}
		}
	}
	if (flags) {
		if (!e && !(e = add_ent(s, s->path, (size_t)n, h)))
			return -HD_ENOMEM;
		e->flags |= flags;
		e->mode = mode;
		e->uid = archive_entry_uid(ae);
		e->gid = archive_entry_gid(ae);
		e->size = (uint64_t)size;
		if (flags & HD_IENT_DEVICE) {
			e->dev_major = (uint32_t)archive_entry_rdevmajor(ae);
			e->dev_minor = (uint32_t)archive_entry_rdevminor(ae);
		}
		if (sl || hl) {
			e->link = hd_arena_strdup(&ix->arena, sl ? sl : hl);
			if (!e->link)
				return -HD_ENOMEM;
		}
	}
	/* Last: add_ent may move the entries e points into. */
	ulen = unneeded(s->path, (size_t)n, is_dir, &what);
	if (ulen && hd_u64set_put(&s->unneeded, hd_path_hash(s->path, ulen), ~(uint64_t)0) == 1) {
		struct hd_ient *u = add_ent(s, s->path, ulen, hd_path_hash(s->path, ulen));

		if (!u)
			return -HD_ENOMEM;
		u->flags = HD_IENT_UNNEEDED;
		u->what = what;
		u->mode = ulen == (size_t)n ? mode : (uint32_t)(AE_IFDIR | 0755);
		if (ulen == (size_t)n)
			u->size = (uint64_t)size;
	}
	if (is_reg && !hl) {
		ix->files++;
		ix->file_bytes += (uint64_t)size;
		return read_file(s, a, s->path, h, size, archive_entry_uid(ae), archive_entry_gid(ae), mode);
	}
	return 0;
}

static int finish_sets(struct lrd *s)
{
	struct hd_layer_index *ix = s->ix;
	int e1, e2, e3;

	ix->paths = hd_u64set_sorted(&s->set, &ix->n_paths, &e1);
	ix->whiteouts = hd_u64set_sorted(&s->wh, &ix->n_whiteouts, &e2);
	ix->opaques = hd_u64set_sorted(&s->opq, &ix->n_opaques, &e3);
	return e1 < 0 ? e1 : e2 < 0 ? e2 : e3;
}

int hd_layer_read(struct hd_layer_reader *lr, hd_chunk_fn *src, void *src_ctx, struct hd_layer_index *ix)
{
	struct lrd s = { .lr = lr, .ix = ix, .src = src, .src_ctx = src_ctx };
	struct archive *a = NULL;
	struct archive_entry *ae;
	int r = 0, ar;

	hd_buf_init(&s.cat, HD_MAX_CATALOG_FILE);
	s.path_cap = (size_t)lr->lim->max_path + 2;
	s.path = hd_malloc(7 * s.path_cap);
	s.sha = hd_sha256_new();
	a = archive_read_new();
	if (!s.path || !s.sha || !a) {
		r = -HD_ENOMEM;
		goto out;
	}
	s.lnk = s.path + s.path_cap;
	s.own_in = s.lnk + s.path_cap;
	s.own_norm = s.own_in + s.path_cap;
	s.apk_dir = s.own_norm + s.path_cap;
	s.apk_full = s.apk_dir + s.path_cap;
	s.line = s.apk_full + s.path_cap;
	if (archive_read_support_format_tar(a) != ARCHIVE_OK ||
	    archive_read_open(a, &s, NULL, rd_cb, NULL) != ARCHIVE_OK) {
		r = set_error(ix, s.src_err ? s.src_err : -HD_EPARSE, "%s",
			      s.src_err ? s.src_msg : archive_error_string(a));
		goto drain;
	}
	for (;;) {
		ar = archive_read_next_header(a, &ae);
		if (ar == ARCHIVE_EOF)
			break;
		if (ar < ARCHIVE_WARN) {
			const char *m = archive_error_string(a);

			if (s.src_err)
				r = set_error(ix, s.src_err, "%s", s.src_msg);
			else if (ix->entries == 0 && m && strstr(m, "Unrecognized"))
				r = set_error(ix, -HD_EPARSE, "not a tar archive");
			else
				r = set_error(ix, -HD_EPARSE, "broken tar after %" PRIu64 " entries: %s",
					      ix->entries, m ? m : "read error");
			break;
		}
		r = read_entry(&s, a, ae);
		if (r < 0 || ix->error)
			break;
	}
drain:
	/* The rest of the stream (padding after the end marker) belongs to the digest. */
	while (r != -HD_ENOMEM && !s.src_eof && !s.src_err) {
		const void *p;
		size_t n;
		int rr = src(src_ctx, &p, &n, s.src_msg, sizeof(s.src_msg));

		if (rr < 0) {
			s.src_err = rr;
			if (!ix->error)
				r = set_error(ix, rr, "%s", s.src_msg);
			break;
		}
		if (n == 0)
			break;
		hd_sha256_update(s.sha, p, n);
		ix->tar_bytes += n;
	}
	if (!ix->error && !s.src_err)
		hd_sha256_final(s.sha, ix->diff_id);
out:
	if (r != -HD_ENOMEM) {
		int fr = finish_sets(&s);

		r = fr < 0 ? fr : 0;
	}
	if (a)
		archive_read_free(a);
	hd_u64set_release(&s.set);
	hd_u64set_release(&s.wh);
	hd_u64set_release(&s.opq);
	hd_u64set_release(&s.unneeded);
	hd_sha256_free(s.sha);
	hd_buf_release(&s.cat);
	hd_free(s.path);
	hd_free(s.rpmdb);
	return r == -HD_ENOMEM ? r : 0;
}
