/*
 * The package catalogue: which files it wants, the bookkeeping of records
 * per file (so that a later layer or a whiteout replaces what a path gave),
 * ownership resolution, the OS release, and the root filesystem walker.
 * The file formats themselves are read in cat_os.c, cat_lang.c, cat_go.c
 * and cat_jar.c.
 */
#include "core/common.h"
#include "core/buf.h"
#include "vuln/cat_int.h"

#include <dirent.h>
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

/* ---- the string map ---------------------------------------------------- */

static uint64_t fnv1a(const char *s, size_t n)
{
	uint64_t h = 1469598103934665603ull;
	size_t i;

	for (i = 0; i < n; i++) {
		h ^= (unsigned char)s[i];
		h *= 1099511628211ull;
	}
	return h;
}

static bool key_eq(const char *k, const char *s, size_t n)
{
	return strncmp(k, s, n) == 0 && k[n] == '\0';
}

struct cat_map_ent *cat_map_get(const struct cat_map *m, const char *key, size_t klen)
{
	size_t i;

	if (!m->cap)
		return NULL;
	for (i = fnv1a(key, klen) & (m->cap - 1); m->v[i].key; i = (i + 1) & (m->cap - 1)) {
		if (key_eq(m->v[i].key, key, klen))
			return &m->v[i];
	}
	return NULL;
}

static int map_grow(struct cat_map *m)
{
	size_t cap = m->cap ? m->cap * 2 : 1024, i, j;
	struct cat_map_ent *v = hd_calloc(cap, sizeof(*v));

	if (!v)
		return -HD_ENOMEM;
	for (i = 0; i < m->cap; i++) {
		if (!m->v[i].key)
			continue;
		for (j = fnv1a(m->v[i].key, strlen(m->v[i].key)) & (cap - 1); v[j].key; j = (j + 1) & (cap - 1))
			;
		v[j] = m->v[i];
	}
	hd_free(m->v);
	m->v = v;
	m->cap = cap;
	return 0;
}

int cat_map_put(struct cat_map *m, struct hd_arena *a, const char *key, size_t klen, uint32_t val,
		uint32_t **ret_val)
{
	struct cat_map_ent *e = cat_map_get(m, key, klen);
	size_t i;

	if (!e) {
		if ((m->n + 1) * 2 > m->cap && map_grow(m) < 0)
			return -HD_ENOMEM;
		for (i = fnv1a(key, klen) & (m->cap - 1); m->v[i].key; i = (i + 1) & (m->cap - 1))
			;
		e = &m->v[i];
		e->key = hd_arena_strndup(a, key, klen);
		if (!e->key)
			return -HD_ENOMEM;
		e->val = val;
		m->n++;
	}
	if (ret_val)
		*ret_val = &e->val;
	return 0;
}

void cat_map_release(struct cat_map *m)
{
	hd_free(m->v);
	memset(m, 0, sizeof(*m));
}

/* ---- records ----------------------------------------------------------- */

const char *cat_strndup(struct hd_catalog *c, const char *s, size_t n)
{
	return hd_arena_strndup(&c->arena, s, n);
}

static const char *adup(struct hd_catalog *c, const char *s)
{
	return s ? hd_arena_strdup(&c->arena, s) : NULL;
}

int cat_add_pkg(struct hd_catalog *c, const struct hd_package *p)
{
	struct cat_pkg *d;

	if (c->n_pkgs >= HD_MAX_PACKAGES)
		return -HD_ETOOBIG;
	if (!p->name || !*p->name)
		return 0;
	if (HD_GROW(c->pkgs, c->alloc_pkgs, c->n_pkgs + 1) < 0)
		return -HD_ENOMEM;
	d = &c->pkgs[c->n_pkgs];
	d->p = *p;
	d->p.name = adup(c, p->name);
	d->p.version = adup(c, p->version ? p->version : "");
	d->p.source_name = adup(c, p->source_name);
	d->p.source_version = adup(c, p->source_version);
	d->p.arch = adup(c, p->arch);
	d->p.license = adup(c, p->license);
	d->p.purl = NULL;
	d->p.path = c->files[c->cur].path;
	d->p.layer = c->files[c->cur].layer;
	if (!d->p.name || !d->p.version)
		return -HD_ENOMEM;
	d->file = c->cur;
	d->gen = c->files[c->cur].gen;
	c->n_pkgs++;
	return 0;
}

int cat_add_owned(struct hd_catalog *c, const char *path, size_t n)
{
	struct cat_owned *o;

	while (n > 0 && *path == '/') {
		path++;
		n--;
	}
	while (n > 1 && path[n - 1] == '/')
		n--;
	if (n == 0 || (n == 1 && *path == '.'))
		return 0;
	if (c->n_owned >= HD_MAX_OWNED_FILES)
		return -HD_ETOOBIG;
	if (HD_GROW(c->owned, c->alloc_owned, c->n_owned + 1) < 0)
		return -HD_ENOMEM;
	o = &c->owned[c->n_owned];
	o->path = cat_strndup(c, path, n);
	if (!o->path)
		return -HD_ENOMEM;
	o->file = c->cur;
	o->gen = c->files[c->cur].gen;
	o->pkg = c->n_pkgs && c->pkgs[c->n_pkgs - 1].file == c->cur && c->pkgs[c->n_pkgs - 1].gen == o->gen
			 ? (uint32_t)(c->n_pkgs - 1) : UINT32_MAX;
	c->n_owned++;
	return 0;
}

int hd_catalog_each_owned(const struct hd_catalog *c, hd_catalog_owned_fn *fn, void *ctx)
{
	size_t i;
	int r;

	for (i = 0; i < c->n_owned; i++) {
		const struct cat_owned *o = &c->owned[i];

		if (o->pkg == UINT32_MAX || c->files[o->file].removed || c->files[o->file].gen != o->gen)
			continue;
		r = fn(ctx, c->pkgs[o->pkg].p.name, o->path);
		if (r < 0)
			return r;
	}
	return 0;
}

int cat_note(struct hd_catalog *c, const char *fmt, ...)
{
	char buf[HD_MAX_MESSAGE];
	const char *s;
	va_list ap;

	if (c->n_notes >= HD_MAX_CATALOG_NOTES)
		return 0;
	va_start(ap, fmt);
	vsnprintf(buf, sizeof(buf), fmt, ap);
	va_end(ap);
	s = hd_arena_strdup(&c->arena, buf);
	if (!s || HD_GROW(c->notes, c->alloc_notes, c->n_notes + 1) < 0)
		return -HD_ENOMEM;
	c->notes[c->n_notes++] = s;
	return 0;
}

bool cat_line(struct cat_lines *l, const char **line, size_t *len)
{
	const char *nl;
	size_t n;

	if (l->p >= l->end)
		return false;
	nl = memchr(l->p, '\n', (size_t)(l->end - l->p));
	n = nl ? (size_t)(nl - l->p) : (size_t)(l->end - l->p);
	*line = l->p;
	l->p += n + (nl ? 1 : 0);
	if (n > 0 && (*line)[n - 1] == '\r')
		n--;
	*len = n;
	l->lineno++;
	return true;
}

/* ---- which files ------------------------------------------------------- */

enum kind {
	K_NONE,
	K_OS_RELEASE,
	K_OS_RELEASE_LIB,
	K_DEBIAN_VERSION,
	K_DPKG_STATUS,
	K_DPKG_STATUS_D,
	K_DPKG_LIST,
	K_APK_INSTALLED,
	K_RPM_SQLITE,
	K_RPM_BDB,
	K_RPM_NDB,
	K_NPM_LOCK,
	K_NPM_PACKAGE,
	K_PY_METADATA,
	K_JAR,
	K_GO,
};

static const char *strip_root(const char *p)
{
	for (;;) {
		if (p[0] == '/')
			p++;
		else if (p[0] == '.' && p[1] == '/')
			p += 2;
		else
			return p;
	}
}

static const char *base_name(const char *p)
{
	const char *s = strrchr(p, '/');

	return s ? s + 1 : p;
}

/* Whether the directory holding p ends with suffix (".dist-info"). */
static bool parent_ends_with(const char *p, const char *suffix)
{
	const char *s = strrchr(p, '/');
	size_t n = strlen(suffix);

	return s && (size_t)(s - p) >= n && memcmp(s - n, suffix, n) == 0;
}

/* ".../node_modules/NAME/package.json" or ".../node_modules/@scope/NAME/package.json". */
static bool is_node_package_json(const char *p)
{
	const char *nm, *last = NULL, *q = p;
	size_t slashes = 0;

	if (strcmp(base_name(p), "package.json") != 0)
		return false;
	while ((nm = strstr(q, "node_modules/")) != NULL) {
		if (nm == p || nm[-1] == '/')
			last = nm;
		q = nm + 1;
	}
	if (!last)
		return false;
	for (q = last + strlen("node_modules/"); *q; q++) {
		if (*q == '/')
			slashes++;
	}
	if (last[13] == '@')
		return slashes == 2;
	return slashes == 1;
}

static enum kind classify(const char *path, uint64_t size, unsigned mode)
{
	const char *b = base_name(path);

	if (!strcmp(path, "etc/os-release"))
		return K_OS_RELEASE;
	if (!strcmp(path, "usr/lib/os-release"))
		return K_OS_RELEASE_LIB;
	if (!strcmp(path, "etc/debian_version"))
		return K_DEBIAN_VERSION;
	if (!strcmp(path, "var/lib/dpkg/status"))
		return K_DPKG_STATUS;
	if (hd_starts_with(path, "var/lib/dpkg/status.d/") && !strchr(path + 22, '/') && !hd_ends_with(b, ".md5sums"))
		return K_DPKG_STATUS_D;
	if (hd_starts_with(path, "var/lib/dpkg/info/") && hd_ends_with(b, ".list") && !strchr(path + 18, '/'))
		return K_DPKG_LIST;
	if (!strcmp(path, "lib/apk/db/installed") || !strcmp(path, "usr/lib/apk/db/installed"))
		return K_APK_INSTALLED;
	if (!strcmp(path, "var/lib/rpm/rpmdb.sqlite") || !strcmp(path, "usr/lib/sysimage/rpm/rpmdb.sqlite"))
		return K_RPM_SQLITE;
	if (!strcmp(path, "var/lib/rpm/Packages") || !strcmp(path, "usr/lib/sysimage/rpm/Packages"))
		return K_RPM_BDB;
	if (!strcmp(path, "var/lib/rpm/Packages.db") || !strcmp(path, "usr/lib/sysimage/rpm/Packages.db"))
		return K_RPM_NDB;
	if (!strcmp(b, "package-lock.json") || !strcmp(b, ".package-lock.json"))
		return K_NPM_LOCK;
	if (is_node_package_json(path))
		return K_NPM_PACKAGE;
	if ((!strcmp(b, "METADATA") && parent_ends_with(path, ".dist-info")) ||
	    (!strcmp(b, "PKG-INFO") && parent_ends_with(path, ".egg-info")) ||
	    (hd_ends_with(b, ".egg-info") && size < 1024 * 1024))
		return K_PY_METADATA;
	if (hd_ends_with(b, ".jar") || hd_ends_with(b, ".war") || hd_ends_with(b, ".ear") ||
	    hd_ends_with(b, ".jpi") || hd_ends_with(b, ".hpi"))
		return K_JAR;
	/* Executables big enough to be a Go program (the smallest are about 1 MiB). */
	if ((mode & 0111) && size >= 64 * 1024 && size <= HD_MAX_GO_BINARY)
		return K_GO;
	return K_NONE;
}

unsigned hd_catalog_wants(const char *path, uint64_t size, unsigned mode)
{
	if ((mode & 0170000) && (mode & 0170000) != 0100000)
		return 0; /* not a regular file */
	path = strip_root(path);
	switch (classify(path, size, mode)) {
	case K_NONE:
		return 0;
	case K_RPM_BDB:
	case K_RPM_NDB:
		return HD_CATALOG_WHOLE; /* read only to say it is there: the bytes are not parsed */
	case K_JAR:
		return size <= HD_MAX_JAR_SIZE ? HD_CATALOG_STREAM : 0;
	case K_GO:
		return HD_CATALOG_STREAM;
	default:
		return size <= HD_MAX_CATALOG_FILE ? HD_CATALOG_WHOLE : 0;
	}
}

/* ---- the catalogue ----------------------------------------------------- */

struct hd_catalog *hd_catalog_new(void)
{
	struct hd_catalog *c = hd_calloc(1, sizeof(*c));

	if (c)
		hd_arena_init(&c->arena, 256 * 1024);
	return c;
}

static void catalog_clear(struct hd_catalog *c)
{
	cat_map_release(&c->paths);
	hd_free(c->files);
	hd_free(c->pkgs);
	hd_free(c->owned);
	hd_free(c->notes);
	hd_arena_release(&c->arena);
	memset(c, 0, sizeof(*c));
	hd_arena_init(&c->arena, 256 * 1024);
}

void hd_catalog_free(struct hd_catalog *c)
{
	if (!c)
		return;
	catalog_clear(c);
	hd_arena_release(&c->arena);
	hd_free(c);
}

/* Makes path the current file: a new generation of it, replacing what it gave before. */
static int begin_file(struct hd_catalog *c, const char *path, const char *layer)
{
	uint32_t *idx;
	struct cat_file *f;
	int r;

	r = cat_map_put(&c->paths, &c->arena, path, strlen(path), (uint32_t)c->n_files, &idx);
	if (r < 0)
		return r;
	if (*idx == c->n_files) {
		if (c->n_files >= UINT32_MAX - 1)
			return -HD_ETOOBIG;
		if (HD_GROW(c->files, c->alloc_files, c->n_files + 1) < 0)
			return -HD_ENOMEM;
		f = &c->files[c->n_files++];
		memset(f, 0, sizeof(*f));
		f->path = cat_map_get(&c->paths, path, strlen(path))->key;
	} else {
		f = &c->files[*idx];
		f->gen++;
	}
	f->removed = false;
	f->layer = layer ? hd_arena_strdup(&c->arena, layer) : NULL;
	if (layer && !f->layer)
		return -HD_ENOMEM;
	c->cur = *idx;
	return 0;
}

int hd_catalog_remove(struct hd_catalog *c, const char *path)
{
	struct cat_map_ent *e = cat_map_get(&c->paths, strip_root(path), strlen(strip_root(path)));

	if (e) {
		c->files[e->val].gen++;
		c->files[e->val].removed = true;
	}
	return 0;
}

static bool live(const struct hd_catalog *c, uint32_t file, uint32_t gen)
{
	return !c->files[file].removed && c->files[file].gen == gen;
}

int hd_catalog_file(struct hd_catalog *c, const char *path, const void *data, size_t n, const char *layer)
{
	const char *d = data;
	enum kind k;
	int r;

	path = strip_root(path);
	k = classify(path, n, 0100755);
	if (k == K_NONE || k == K_GO)
		return 0;
	r = begin_file(c, path, layer);
	if (r < 0)
		return r;
	path = c->files[c->cur].path;
	switch (k) {
	case K_OS_RELEASE:
		c->os_release = cat_strndup(c, d, n);
		return c->os_release ? 0 : -HD_ENOMEM;
	case K_OS_RELEASE_LIB:
		c->os_release_lib = cat_strndup(c, d, n);
		return c->os_release_lib ? 0 : -HD_ENOMEM;
	case K_DEBIAN_VERSION:
		c->debian_version = cat_strndup(c, d, n);
		return c->debian_version ? 0 : -HD_ENOMEM;
	case K_DPKG_STATUS:
		return cat_read_dpkg_status(c, path, d, n, false);
	case K_DPKG_STATUS_D:
		return cat_read_dpkg_status(c, path, d, n, true);
	case K_DPKG_LIST:
		return cat_read_dpkg_list(c, d, n);
	case K_APK_INSTALLED:
		return cat_read_apk_installed(c, path, d, n);
	case K_RPM_SQLITE:
		c->rpm_sqlite = true;
		return cat_read_rpmdb_sqlite(c, path, data, n);
	case K_RPM_BDB:
		c->rpm_bdb = true;
		return 0;
	case K_RPM_NDB:
		c->rpm_ndb = true;
		return 0;
	case K_NPM_LOCK:
		return cat_read_npm_lock(c, path, d, n);
	case K_NPM_PACKAGE:
		return cat_read_npm_package(c, path, d, n);
	case K_PY_METADATA:
		return cat_read_python_metadata(c, path, d, n);
	case K_JAR:
		return cat_read_jar(c, path, data, n);
	default:
		return 0;
	}
}

/* ---- merging layers ---------------------------------------------------- */

int hd_catalog_merge(struct hd_catalog *c, const struct hd_catalog *src, const char *layer,
		     bool (*keep)(void *ctx, const char *path), void *ctx)
{
	uint32_t *map = NULL; /* src file -> c file, UINT32_MAX when dropped */
	size_t i;
	int r = 0;

	if (!src->n_files)
		goto notes;
	map = hd_calloc(src->n_files, sizeof(*map));
	if (!map)
		return -HD_ENOMEM;
	for (i = 0; i < src->n_files && r == 0; i++) {
		const struct cat_file *f = &src->files[i];
		const char **text = NULL;

		map[i] = UINT32_MAX;
		if (f->removed || (keep && !keep(ctx, f->path)))
			continue;
		r = begin_file(c, f->path, layer);
		if (r < 0)
			break;
		map[i] = c->cur;
		switch (classify(f->path, 0, 0)) {
		case K_OS_RELEASE:
			text = &c->os_release;
			break;
		case K_OS_RELEASE_LIB:
			text = &c->os_release_lib;
			break;
		case K_DEBIAN_VERSION:
			text = &c->debian_version;
			break;
		case K_RPM_SQLITE:
			c->rpm_sqlite = true;
			break;
		case K_RPM_BDB:
			c->rpm_bdb = true;
			break;
		case K_RPM_NDB:
			c->rpm_ndb = true;
			break;
		default:
			break;
		}
		if (text) {
			const char *t = !strcmp(f->path, "etc/os-release") ? src->os_release :
					!strcmp(f->path, "usr/lib/os-release") ? src->os_release_lib : src->debian_version;

			*text = t ? hd_arena_strdup(&c->arena, t) : NULL;
			if (t && !*text)
				r = -HD_ENOMEM;
		}
	}
	for (i = 0; i < src->n_pkgs && r == 0; i++) {
		const struct cat_pkg *p = &src->pkgs[i];

		if (map[p->file] == UINT32_MAX || !live(src, p->file, p->gen))
			continue;
		c->cur = map[p->file];
		r = cat_add_pkg(c, &p->p);
	}
	for (i = 0; i < src->n_owned && r == 0; i++) {
		const struct cat_owned *o = &src->owned[i];

		if (map[o->file] == UINT32_MAX || !live(src, o->file, o->gen))
			continue;
		c->cur = map[o->file];
		r = cat_add_owned(c, o->path, strlen(o->path));
	}
	hd_free(map);
	if (r < 0)
		return r;
notes:
	for (i = 0; i < src->n_notes && r == 0; i++)
		r = cat_note(c, "%s", src->notes[i]);
	return r;
}

/* ---- streams ----------------------------------------------------------- */

struct hd_catalog_stream {
	struct hd_catalog *c;
	uint32_t file, gen;
	enum kind kind;
	struct cat_go *go;
	struct hd_buf jar;  /* a jar is gathered, then read from memory */
	bool too_big;
};

int hd_catalog_begin(struct hd_catalog *c, const char *path, uint64_t size, const char *layer,
		     struct hd_catalog_stream **ret)
{
	struct hd_catalog_stream *s;
	enum kind k;
	int r;

	*ret = NULL;
	path = strip_root(path);
	/* The feeder asked hd_catalog_wants(): whatever is not a jar is scanned as a program. */
	k = classify(path, size, 0100755) == K_JAR ? K_JAR : K_GO;
	s = hd_calloc(1, sizeof(*s));
	if (!s)
		return -HD_ENOMEM;
	r = begin_file(c, path, layer);
	if (r < 0) {
		hd_free(s);
		return r;
	}
	s->c = c;
	s->file = c->cur;
	s->gen = c->files[c->cur].gen;
	s->kind = k;
	hd_buf_init(&s->jar, HD_MAX_JAR_SIZE);
	if (k == K_GO) {
		s->go = cat_go_new(c, c->files[c->cur].path);
		if (!s->go) {
			hd_free(s);
			return -HD_ENOMEM;
		}
	}
	*ret = s;
	return 0;
}

int hd_catalog_chunk(struct hd_catalog_stream *s, const void *data, size_t n)
{
	if (!s || n == 0)
		return 0;
	if (s->kind == K_GO && s->go)
		return cat_go_chunk(s->go, data, n);
	if (s->kind == K_JAR && !s->too_big) {
		int r = hd_buf_add(&s->jar, data, n);

		if (r == -HD_ETOOBIG) {
			s->too_big = true;
			hd_buf_release(&s->jar);
			return 0;
		}
		return r;
	}
	return 0;
}

void hd_catalog_abort(struct hd_catalog_stream *s)
{
	if (!s)
		return;
	cat_go_free(s->go);
	hd_buf_release(&s->jar);
	hd_free(s);
}

int hd_catalog_end(struct hd_catalog_stream *s)
{
	struct hd_catalog *c;
	int r = 0;

	if (!s)
		return 0;
	c = s->c;
	/* Another file may have been read meanwhile: records go to this stream's file. */
	if (live(c, s->file, s->gen)) {
		c->cur = s->file;
		if (s->kind == K_GO && s->go)
			r = cat_go_end(s->go);
		else if (s->kind == K_JAR && s->too_big)
			r = cat_note(c, "'%s' is larger than %u MiB: not read for Maven metadata",
				     c->files[s->file].path, HD_MAX_JAR_SIZE >> 20);
		else if (s->kind == K_JAR)
			r = cat_read_jar(c, c->files[s->file].path, (const unsigned char *)s->jar.buf, s->jar.len);
	}
	hd_catalog_abort(s);
	return r;
}

/* ---- finishing --------------------------------------------------------- */

/* KEY=value of os-release, unquoted, into the list's arena; NULL when absent. */
static const char *os_field(struct hd_packages *out, const char *text, const char *key)
{
	struct cat_lines l = { text, text + strlen(text), 0 };
	size_t klen = strlen(key), n;
	const char *line;

	while (cat_line(&l, &line, &n)) {
		if (n > klen && memcmp(line, key, klen) == 0 && line[klen] == '=') {
			const char *v = line + klen + 1;
			size_t vn = n - klen - 1;

			if (vn >= 2 && (v[0] == '"' || v[0] == '\'') && v[vn - 1] == v[0]) {
				v++;
				vn -= 2;
			}
			return vn ? hd_packages_strndup(out, v, vn) : NULL;
		}
	}
	return NULL;
}

/* Debian's codename from its major version when os-release has none (old images). */
static const char *debian_codename(const char *version)
{
	static const struct { const char *v, *name; } names[] = {
		{ "7", "wheezy" }, { "8", "jessie" }, { "9", "stretch" }, { "10", "buster" },
		{ "11", "bullseye" }, { "12", "bookworm" }, { "13", "trixie" }, { "14", "forky" },
	};
	size_t i, n;

	if (!version)
		return NULL;
	n = strcspn(version, ".\n");
	for (i = 0; i < HD_ARRAY_SIZE(names); i++) {
		if (strlen(names[i].v) == n && memcmp(names[i].v, version, n) == 0)
			return names[i].name;
	}
	return NULL;
}

static int resolve_os(struct hd_catalog *c, struct hd_packages *out)
{
	const char *text = c->os_release ? c->os_release : c->os_release_lib;
	struct hd_os_release *os = &out->os;

	if (!text)
		return 0;
	os->id = os_field(out, text, "ID");
	os->version_id = os_field(out, text, "VERSION_ID");
	os->codename = os_field(out, text, "VERSION_CODENAME");
	os->pretty = os_field(out, text, "PRETTY_NAME");
	if (os->id && !strcmp(os->id, "debian") && !os->codename) {
		const char *cn = debian_codename(os->version_id);

		/* Testing and unstable say "trixie/sid" in debian_version and have no VERSION_ID. */
		if (!cn && !os->version_id && c->debian_version && strchr(c->debian_version, '/')) {
			const char *dv = c->debian_version;

			os->codename = hd_packages_strndup(out, dv, strcspn(dv, "/"));
		} else {
			os->codename = cn;
		}
	}
	return 0;
}

/* Whether path, or a directory above it, is owned by an OS package. */
static bool owned(const struct cat_map *set, const char *path, const char *stop_at)
{
	size_t n = strlen(path);

	while (n > 0) {
		if (cat_map_get(set, path, n))
			return true;
		/* Only the directories up to the package's own (a dist-info, a node_modules/x). */
		if (stop_at && (size_t)(stop_at - path) >= n)
			break;
		while (n > 0 && path[n - 1] != '/')
			n--;
		if (n > 0)
			n--;
	}
	return false;
}

/* The directory that holds a language package's own files (its metadata dir or the binary). */
static const char *package_root(const struct hd_package *p)
{
	const char *s;

	switch (p->eco) {
	case HD_ECO_PYPI:
	case HD_ECO_NPM:
		/* site-packages/x.dist-info/METADATA -> site-packages/x.dist-info */
		s = strrchr(p->path, '/');
		return s ? s : p->path + strlen(p->path);
	default:
		return p->path + strlen(p->path);
	}
}

static int cmp_lang_dup(const void *x, const void *y)
{
	const struct cat_pkg *a = *(const struct cat_pkg *const *)x, *b = *(const struct cat_pkg *const *)y;
	int r;

	if (a->p.eco != b->p.eco)
		return a->p.eco < b->p.eco ? -1 : 1;
	if ((r = strcmp(a->p.name, b->p.name)) != 0)
		return r;
	if ((r = strcmp(a->p.version, b->p.version)) != 0)
		return r;
	/* Installed copies before lock file entries, then by path. */
	if ((a->p.flags & HD_PKG_LOCKFILE) != (b->p.flags & HD_PKG_LOCKFILE))
		return (a->p.flags & HD_PKG_LOCKFILE) ? 1 : -1;
	return strcmp(a->p.path, b->p.path);
}

int hd_catalog_finish(struct hd_catalog *c, struct hd_packages *out)
{
	struct cat_map set = { 0 };
	struct cat_pkg **lang = NULL;
	size_t i, n_lang = 0;
	int r = 0;

	resolve_os(c, out);
	for (i = 0; i < c->n_owned && r == 0; i++) {
		if (live(c, c->owned[i].file, c->owned[i].gen))
			r = cat_map_put(&set, &c->arena, c->owned[i].path, strlen(c->owned[i].path), 0, NULL);
	}
	if (r == 0 && c->n_pkgs && !(lang = hd_calloc(c->n_pkgs, sizeof(*lang))))
		r = -HD_ENOMEM;
	for (i = 0; i < c->n_pkgs && r == 0; i++) {
		struct cat_pkg *p = &c->pkgs[i];

		if (!live(c, p->file, p->gen))
			continue;
		if (hd_eco_is_os(p->p.eco)) {
			r = hd_packages_add(out, &p->p);
			continue;
		}
		if (set.n && owned(&set, p->p.path, package_root(&p->p))) {
			out->owned_skipped++;
			continue;
		}
		lang[n_lang++] = p;
	}
	/* One entry per language package and version: the installed copy wins over a lock file. */
	if (n_lang > 1)
		qsort(lang, n_lang, sizeof(*lang), cmp_lang_dup);
	for (i = 0; i < n_lang && r == 0; i++) {
		if (i > 0 && lang[i]->p.eco == lang[i - 1]->p.eco && !strcmp(lang[i]->p.name, lang[i - 1]->p.name) &&
		    !strcmp(lang[i]->p.version, lang[i - 1]->p.version))
			continue;
		r = hd_packages_add(out, &lang[i]->p);
	}
	if (r == 0 && (c->rpm_bdb || c->rpm_ndb) && !c->rpm_sqlite)
		r = hd_packages_note(out, "only an older rpm database (%s) is present, not rpmdb.sqlite: rpm "
				     "packages are not catalogued", c->rpm_bdb ? "BerkeleyDB 'var/lib/rpm/Packages'"
				     : "ndb 'Packages.db'");
	for (i = 0; i < c->n_notes && r == 0; i++)
		r = hd_packages_note(out, "%s", c->notes[i]);
	hd_packages_sort(out);
	hd_free(lang);
	cat_map_release(&set);
	catalog_clear(c);
	return r;
}

/* ---- the root filesystem walker ---------------------------------------- */

struct walk {
	struct hd_catalog *c;
	struct hd_buf rel;   /* path relative to the root */
	int err;
};

static int feed_file(struct walk *w, int dirfd, const char *name, const struct stat *st)
{
	unsigned want = hd_catalog_wants(w->rel.buf, (uint64_t)st->st_size, (unsigned)st->st_mode);
	struct hd_catalog_stream *s = NULL;
	unsigned char *buf;
	size_t cap, n = 0;
	ssize_t got;
	int fd, r = 0;

	if (!want)
		return 0;
	fd = openat(dirfd, name, O_RDONLY | O_NOFOLLOW | O_CLOEXEC | O_NOCTTY | O_NONBLOCK);
	if (fd < 0)
		return cat_note(w->c, "cannot read '%s': %s", w->rel.buf, strerror(errno));
	if (want == HD_CATALOG_WHOLE) {
		cap = (size_t)st->st_size + 1;
		buf = hd_malloc(cap);
		if (!buf) {
			close(fd);
			return -HD_ENOMEM;
		}
		while (n < cap && (got = read(fd, buf + n, cap - n)) > 0)
			n += (size_t)got;
		if (n >= cap)
			r = cat_note(w->c, "'%s' grew while read: skipped", w->rel.buf);
		else
			r = hd_catalog_file(w->c, w->rel.buf, buf, n, NULL);
		hd_free(buf);
		close(fd);
		return r;
	}
	buf = hd_malloc(256 * 1024);
	if (!buf) {
		close(fd);
		return -HD_ENOMEM;
	}
	r = hd_catalog_begin(w->c, w->rel.buf, (uint64_t)st->st_size, NULL, &s);
	while (r == 0 && (got = read(fd, buf, 256 * 1024)) > 0)
		r = hd_catalog_chunk(s, buf, (size_t)got);
	if (r == 0)
		r = hd_catalog_end(s);
	else
		hd_catalog_abort(s);
	hd_free(buf);
	close(fd);
	return r;
}

static int walk_dir(struct walk *w, int dfd, unsigned depth)
{
	DIR *d;
	struct dirent *e;
	size_t base = w->rel.len;
	int r = 0;

	if (depth > HD_MAX_WALK_DEPTH)
		return cat_note(w->c, "'%s' is nested deeper than %u directories: not catalogued", w->rel.buf,
				HD_MAX_WALK_DEPTH);
	d = fdopendir(dfd);
	if (!d) {
		close(dfd);
		return cat_note(w->c, "cannot read '%s': %s", w->rel.len ? w->rel.buf : ".", strerror(errno));
	}
	while (r == 0 && (e = readdir(d)) != NULL) {
		struct stat st;

		if (!strcmp(e->d_name, ".") || !strcmp(e->d_name, ".."))
			continue;
		w->rel.len = base;
		w->rel.buf[base] = '\0';
		if ((base && (r = hd_buf_addch(&w->rel, '/')) < 0) || (r = hd_buf_addstr(&w->rel, e->d_name)) < 0)
			break;
		if (fstatat(dirfd(d), e->d_name, &st, AT_SYMLINK_NOFOLLOW) != 0) {
			r = cat_note(w->c, "cannot read '%s': %s", w->rel.buf, strerror(errno));
			continue;
		}
		if (S_ISDIR(st.st_mode)) {
			int fd = openat(dirfd(d), e->d_name, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);

			if (fd < 0)
				r = cat_note(w->c, "cannot read '%s': %s", w->rel.buf, strerror(errno));
			else
				r = walk_dir(w, fd, depth + 1);
		} else if (S_ISREG(st.st_mode)) {
			r = feed_file(w, dirfd(d), e->d_name, &st);
		}
		/* Symbolic links and special files are not followed. */
	}
	closedir(d);
	w->rel.len = base;
	w->rel.buf[base] = '\0';
	return r;
}

int hd_catalog_rootfs(struct hd_catalog *c, const char *dir)
{
	struct walk w = { c, HD_BUF_INIT(4096 + 256), 0 };
	int fd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	int r;

	if (fd < 0)
		return errno == ENOENT || errno == ENOTDIR ? -HD_ENOENT : errno == EACCES ? -HD_EACCES : -HD_EIO;
	r = walk_dir(&w, fd, 0);
	hd_buf_release(&w.rel);
	return r;
}
