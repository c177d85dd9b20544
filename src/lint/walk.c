/*
 * The directory walk and a gitignore matcher.
 *
 * gitignore semantics implemented: blank lines and # comments, trailing
 * spaces, "!" negation (last match wins), a trailing "/" matching only
 * directories, a "/" at the start or in the middle anchoring the pattern to
 * the .gitignore's directory (otherwise it matches a name at any depth),
 * "*", "?", "[...]" not crossing "/", and "**" spanning directories.  A file
 * under an ignored directory is ignored (the walk does not descend).
 */
#include "core/common.h"
#include "core/buf.h"
#include "core/confine.h"
#include "lint/walk.h"

#include <limits.h>
#include <dirent.h>
#include <fcntl.h>
#include <unistd.h>
#include <sys/stat.h>

struct ignore_pat {
	char *base;    /* directory of the .gitignore, "" for the root, no trailing slash */
	char *pat;     /* without leading "/" and trailing "/" */
	bool negate;
	bool dir_only;
	bool anchored; /* contains a slash: match against the path from base */
};

struct hd_ignore {
	struct ignore_pat *v;
	size_t n, alloc;
};

struct hd_ignore *hd_ignore_new(void)
{
	return hd_calloc(1, sizeof(struct hd_ignore));
}

void hd_ignore_free(struct hd_ignore *ig)
{
	size_t i;

	if (!ig)
		return;
	for (i = 0; i < ig->n; i++) {
		hd_free(ig->v[i].base);
		hd_free(ig->v[i].pat);
	}
	hd_free(ig->v);
	hd_free(ig);
}

int hd_ignore_add(struct hd_ignore *ig, const char *base, const char *text, size_t len)
{
	const char *p = text, *e = text + len;

	while (p < e) {
		const char *nl = memchr(p, '\n', (size_t)(e - p));
		const char *le = nl ? nl : e, *s = p;
		struct ignore_pat *x;
		size_t n;

		p = nl ? nl + 1 : e;
		if (le > s && le[-1] == '\r')
			le--;
		/* Trailing spaces are ignored unless escaped. */
		while (le > s && le[-1] == ' ' && !(le - 1 > s && le[-2] == '\\'))
			le--;
		if (le == s || *s == '#')
			continue;
		if (HD_GROW(ig->v, ig->alloc, ig->n + 1) < 0)
			return -HD_ENOMEM;
		x = &ig->v[ig->n];
		memset(x, 0, sizeof(*x));
		if (*s == '!') {
			x->negate = true;
			s++;
		} else if (*s == '\\' && s + 1 < le && (s[1] == '!' || s[1] == '#')) {
			s++;
		}
		if (le > s && le[-1] == '/') {
			x->dir_only = true;
			le--;
		}
		if (le > s && *s == '/') {
			x->anchored = true;
			s++;
		}
		if (le == s)
			continue;
		n = (size_t)(le - s);
		if (memchr(s, '/', n))
			x->anchored = true;
		x->pat = hd_strndup(s, n);
		x->base = hd_strdup(base);
		if (!x->pat || !x->base) {
			hd_free(x->pat);
			hd_free(x->base);
			return -HD_ENOMEM;
		}
		ig->n++;
	}
	return 0;
}

static bool class_match(const char **pp, char c)
{
	const char *p = *pp + 1;
	bool neg = false, ok = false;

	if (*p == '!' || *p == '^') {
		neg = true;
		p++;
	}
	if (*p == ']') {
		ok = c == ']';
		p++;
	}
	while (*p && *p != ']') {
		if (p[1] == '-' && p[2] && p[2] != ']') {
			if (c >= p[0] && c <= p[2])
				ok = true;
			p += 3;
		} else {
			if (c == *p)
				ok = true;
			p++;
		}
	}
	if (*p != ']')
		return false;
	*pp = p + 1;
	return ok != neg;
}

/* Iterative glob with backtracking for * and **; linear-ish in practice. */
static bool glob(const char *p, const char *s, unsigned depth)
{
	if (depth > 32)
		return false;
	while (*p) {
		if (p[0] == '*' && p[1] == '*') {
			const char *rest = p + 2;

			/* "**" followed by "/" matches zero or more directories. */
			if (*rest == '/') {
				rest++;
				for (const char *t = s;; t++) {
					if ((t == s || t[-1] == '/') && glob(rest, t, depth + 1))
						return true;
					if (!*t)
						return false;
				}
			}
			for (const char *t = s;; t++) {
				if (glob(rest, t, depth + 1))
					return true;
				if (!*t)
					return false;
			}
		}
		if (*p == '*') {
			p++;
			for (const char *t = s;; t++) {
				if (glob(p, t, depth + 1))
					return true;
				if (!*t || *t == '/')
					return false;
			}
		}
		if (!*s)
			return false;
		if (*p == '?') {
			if (*s == '/')
				return false;
		} else if (*p == '[') {
			const char *q = p;

			if (*s == '/' || !class_match(&q, *s))
				return false;
			p = q;
			s++;
			continue;
		} else if (*p == '\\' && p[1]) {
			p++;
			if (*p != *s)
				return false;
		} else if (*p != *s) {
			return false;
		}
		p++;
		s++;
	}
	return *s == '\0';
}

bool hd_glob_match(const char *pat, const char *s) { return glob(pat, s, 0); }

int hd_ignore_match(const struct hd_ignore *ig, const char *relpath, bool is_dir)
{
	size_t i;
	int ignored = 0;

	if (!ig)
		return 0;
	for (i = 0; i < ig->n; i++) {
		const struct ignore_pat *x = &ig->v[i];
		const char *rel = relpath;
		size_t bl = strlen(x->base);
		bool m;

		if (x->dir_only && !is_dir)
			continue;
		if (bl) {
			if (strncmp(relpath, x->base, bl) != 0 || relpath[bl] != '/')
				continue;
			rel = relpath + bl + 1;
		}
		if (x->anchored) {
			m = glob(x->pat, rel, 0);
		} else {
			const char *name = strrchr(rel, '/');
			m = glob(x->pat, name ? name + 1 : rel, 0);
		}
		if (m)
			ignored = !x->negate;
	}
	return ignored;
}

void hd_walk_init(struct hd_walk *w) { memset(w, 0, sizeof(*w)); }

static void listing_release(struct hd_walk_listing *l);

void hd_walk_release(struct hd_walk *w)
{
	size_t i;

	if (!w)
		return;
	for (i = 0; i < w->n; i++) {
		hd_free(w->v[i].path);
		hd_free(w->v[i].display);
	}
	for (i = 0; i < w->n_errors; i++) {
		hd_free(w->errors[i].path);
		hd_free(w->errors[i].reason);
	}
	for (i = 0; i < w->n_roots; i++)
		hd_free(w->roots[i]);
	hd_free(w->roots);
	for (i = 0; i < w->n_excl; i++)
		hd_ignore_free(w->excl[i].ig);
	hd_free(w->excl);
	hd_free(w->last_dir);
	listing_release(&w->listing);
	hd_root_cache_release(&w->roots_above);
	hd_diag_release(&w->diag);
	hd_free(w->v);
	hd_free(w->errors);
	hd_walk_init(w);
}

static int walk_error(struct hd_walk *w, const char *path, const char *why)
{
	struct hd_walk_error *e;

	if (HD_GROW(w->errors, w->alloc_errors, w->n_errors + 1) < 0)
		return -HD_ENOMEM;
	e = &w->errors[w->n_errors];
	e->path = hd_strdup(path);
	e->reason = hd_strdup(why);
	if (!e->path || !e->reason) {
		hd_free(e->path);
		hd_free(e->reason);
		return -HD_ENOMEM;
	}
	w->n_errors++;
	return 0;
}

size_t hd_walk_linted(const struct hd_walk *w)
{
	size_t i, n = 0;

	for (i = 0; i < w->n; i++)
		n += !w->v[i].skipped;
	return n;
}

/* Adds a root to the walk; it stays until hd_walk_release().  NULL root is kept as NULL. */
static int add_root(struct hd_walk *w, char *root, const char **ret)
{
	*ret = NULL;
	if (!root)
		return 0;
	if (HD_GROW(w->roots, w->alloc_roots, w->n_roots + 1) < 0) {
		hd_free(root);
		return -HD_ENOMEM;
	}
	w->roots[w->n_roots++] = root;
	*ret = root;
	return 0;
}

void hd_walk_set_config(struct hd_walk *w, struct hd_config_tree *tree, const struct hd_config *cli)
{
	w->tree = tree;
	w->cli = cli;
}

/* The exclude patterns of cfg as one matcher over absolute paths (built once per configuration). */
static int excl_of(struct hd_walk *w, const struct hd_config *cfg, const struct hd_ignore **ret)
{
	struct hd_ignore *ig;
	size_t i;
	int r = 0;

	*ret = NULL;
	if (!cfg || !cfg->exclude_pat.n)
		return 0;
	for (i = 0; i < w->n_excl; i++) {
		if (w->excl[i].cfg == cfg) {
			*ret = w->excl[i].ig;
			return 0;
		}
	}
	if (HD_GROW(w->excl, w->alloc_excl, w->n_excl + 1) < 0 || !(ig = hd_ignore_new()))
		return -HD_ENOMEM;
	/* Bases are absolute directories; matched paths are absolute too, without the leading "/". */
	for (i = 0; r >= 0 && i < cfg->exclude_pat.n; i++) {
		const char *b = cfg->exclude_base.v[i];

		while (*b == '/')
			b++;
		r = hd_ignore_add(ig, b, cfg->exclude_pat.v[i], strlen(cfg->exclude_pat.v[i]));
	}
	if (r < 0) {
		hd_ignore_free(ig);
		return r;
	}
	w->excl[w->n_excl].cfg = cfg;
	w->excl[w->n_excl].ig = ig;
	w->n_excl++;
	*ret = ig;
	return 0;
}

/* Whether the configuration cfg excludes the absolute path abs. */
static int excluded(struct hd_walk *w, const struct hd_config *cfg, const char *abs, bool is_dir)
{
	const struct hd_ignore *ig;
	int r = excl_of(w, cfg, &ig);

	if (r < 0)
		return r;
	while (*abs == '/')
		abs++;
	return ig ? hd_ignore_match(ig, abs, is_dir) : 0;
}

/* The configuration of directory dir, or NULL without a tree; -HD_EPARSE with w->diag. */
static int config_of(struct hd_walk *w, const char *dir, const struct hd_config **ret)
{
	*ret = NULL;
	if (!w->tree)
		return 0;
	return hd_config_tree_get(w->tree, dir, ret, &w->diag);
}

static int add_item(struct hd_walk *w, const char *path, const struct hd_lint_kind *k, bool is_explicit,
		    const char *root)
{
	char *p;
	int r;

	/* Other threads may be copying published items: v moves only under their lock. */
	if (w->lock)
		pthread_mutex_lock(w->lock);
	r = HD_GROW(w->v, w->alloc, w->n + 1);
	if (w->lock)
		pthread_mutex_unlock(w->lock);
	if (r < 0)
		return -HD_ENOMEM;
	/* Paths below "./" are shown without the prefix, as linters do. */
	while (path[0] == '.' && path[1] == '/' && path[2])
		path += 2;
	p = hd_strdup(path);
	if (!p)
		return -HD_ENOMEM;
	w->v[w->n].path = p;
	w->v[w->n].display = NULL;
	w->v[w->n].kind = k;
	w->v[w->n].root = root;
	w->v[w->n].cfg = NULL;
	w->v[w->n].is_explicit = is_explicit;
	w->v[w->n].forced = is_explicit && k;
	w->v[w->n].skipped = false;
	w->v[w->n].beside_ignore = 0;
	w->n++;
	return 0;
}

/* ---- directory listings ------------------------------------------------------------------ */

#define MAX_LISTING 8192 /* entries; a bigger directory is asked name by name */

static void listing_release(struct hd_walk_listing *l)
{
	for (size_t i = 0; i < l->n; i++)
		hd_free(l->v[i].name);
	hd_free(l->v);
	hd_free(l->dir);
	memset(l, 0, sizeof(*l));
}

static int entry_cmp(const void *a, const void *b)
{
	return strcmp(((const struct hd_walk_entry *)a)->name, ((const struct hd_walk_entry *)b)->name);
}

/* The type of entry name in the listing: DT_* (DT_UNKNOWN when the listing does not say), or -1 when absent. */
static int listing_type(const struct hd_walk_listing *l, const char *name)
{
	struct hd_walk_entry key = { .name = (char *)name }, *e;

	if (!l->n)
		return -1;
	e = bsearch(&key, l->v, l->n, sizeof(*l->v), entry_cmp);
	return e ? e->type : -1;
}

/* Whether an entry name exists: 1, 0, or -1 when the listing cannot tell (a link, an unknown type). */
static int listing_has(const struct hd_walk_listing *l, const char *name)
{
	int t = listing_type(l, name);

	return t < 0 ? 0 : t == DT_REG || t == DT_DIR ? 1 : -1;
}

static const char dockerignore[] = ".dockerignore";

/* Tells l's own .dockerignore and whether <name>.dockerignore may be in it (once per listing). */
static void listing_facts(struct hd_walk_listing *l)
{
	const size_t sl = sizeof(dockerignore) - 1;

	l->own_ignore = 0;
	l->suffixed = false;
	if (!l->ok)
		return;
	l->own_ignore = (signed char)(listing_has(l, dockerignore) > 0 ? 1 : listing_has(l, dockerignore) < 0 ? 0 : -1);
	for (size_t i = 0; i < l->n && !l->suffixed; i++) {
		size_t n = strlen(l->v[i].name);

		l->suffixed = (n > sl && !memcmp(l->v[i].name + n - sl, dockerignore, sl)) ||
			      (l->v[i].type != DT_REG && l->v[i].type != DT_DIR);
	}
}

/* A .dockerignore beside file base, by the listing of its directory: 1 yes, -1 no, 0 not known. */
static signed char listing_beside_ignore(const struct hd_walk_listing *l, const char *base)
{
	char own[NAME_MAX + sizeof(dockerignore)];
	size_t bl = strlen(base);
	int b;

	if (!l->ok)
		return 0;
	if (l->own_ignore > 0)
		return 1;
	if (!l->suffixed)
		return l->own_ignore; /* no <name>.dockerignore, no entry of unknown type */
	if (bl > NAME_MAX)
		return 0;
	memcpy(own, base, bl);
	memcpy(own + bl, dockerignore, sizeof(dockerignore));
	b = listing_has(l, own);
	if (b > 0)
		return 1;
	return l->own_ignore == 0 || b < 0 ? 0 : -1;
}

/*
 * Reads directory dir's entries into l, sorted (at most MAX_LISTING; l->ok
 * false when it cannot be read whole); 0 or -HD_ENOMEM.
 */
static int listing_read(struct hd_walk_listing *l, const char *dir)
{
	DIR *d;
	struct dirent *de;
	int r = 0;

	listing_release(l);
	l->dir = hd_strdup(dir);
	if (!l->dir)
		return -HD_ENOMEM;
	d = opendir(dir);
	if (!d)
		return 0;
	l->ok = true;
	while ((de = readdir(d))) {
		if (l->n >= MAX_LISTING) {
			l->ok = false;
			break;
		}
		if (HD_GROW(l->v, l->alloc, l->n + 1) < 0 || !(l->v[l->n].name = hd_strdup(de->d_name))) {
			r = -HD_ENOMEM;
			l->ok = false;
			break;
		}
		l->v[l->n++].type = de->d_type;
	}
	closedir(d);
	if (l->ok && l->n > 1)
		qsort(l->v, l->n, sizeof(*l->v), entry_cmp);
	listing_facts(l);
	return r;
}

static bool skip_dir_name(const char *name)
{
	static const char *const skip[] = {
		".git", ".hg", ".svn", "node_modules", "vendor", "third_party", "bower_components",
		".venv", "venv", "__pycache__", ".tox", ".terraform", ".cache", ".idea",
	};
	size_t i;

	for (i = 0; i < HD_ARRAY_SIZE(skip); i++) {
		if (strcmp(name, skip[i]) == 0)
			return true;
	}
	return false;
}

static int load_ignore_file(struct hd_ignore *ig, const char *root, const char *file, const char *base)
{
	struct hd_buf b = HD_BUF_INIT(1024 * 1024);
	int r;

	/* Inside the walked tree only: a .gitignore may be a link anywhere. */
	r = hd_confine_read(root, file, &b);
	if (r == 0)
		r = hd_ignore_add(ig, base, b.buf, b.len);
	else if (r != -HD_ENOMEM)
		r = 0; /* absent or unreadable ignore files are simply not used */
	hd_buf_release(&b);
	return r;
}

struct walk_state {
	struct hd_walk *w;
	struct hd_ignore *ig;
	const char *root;   /* as given (the walk's copy) */
	size_t root_len;
	char real_root[PATH_MAX]; /* resolved, for links and exclude patterns */
};

/* A link is followed only when it resolves to a path inside the walked directory. */
static bool link_inside(const struct walk_state *st, const char *path)
{
	char real[PATH_MAX];

	if (!realpath(path, real))
		return false;
	return hd_confine_check(st->real_root, real) == 0;
}

static int walk_dir(struct walk_state *st, struct hd_buf *path, size_t rel_off, unsigned depth)
{
	DIR *d;
	struct dirent *de;
	struct hd_walk_listing ls = { .ok = true };
	size_t i, len = path->len;
	const struct hd_config *cfg;
	struct hd_buf abs = HD_BUF_INIT(PATH_MAX * 2);
	int r = 0;

	if (depth > HD_MAX_WALK_DEPTH)
		return walk_error(st->w, path->buf, "directory tree too deep; not descending");
	/* This directory's configuration: for its files, and what it excludes. */
	r = config_of(st->w, path->buf, &cfg);
	if (r < 0)
		return r;
	/* This directory's .gitignore applies to everything below it. */
	{
		char *base = hd_strdup(rel_off < len ? path->buf + rel_off : "");

		if (!base)
			return -HD_ENOMEM;
		r = hd_buf_addstr(path, "/.gitignore");
		if (r >= 0)
			r = load_ignore_file(st->ig, st->root, path->buf, base);
		hd_free(base);
	}
	path->len = len;
	path->buf[len] = '\0';
	if (r < 0)
		return r;
	d = opendir(path->buf);
	if (!d)
		return walk_error(st->w, path->buf, strerror(errno));
	while ((de = readdir(d))) {
		if (!strcmp(de->d_name, ".") || !strcmp(de->d_name, ".."))
			continue;
		if (HD_GROW(ls.v, ls.alloc, ls.n + 1) < 0 || !(ls.v[ls.n].name = hd_strdup(de->d_name))) {
			r = -HD_ENOMEM;
			break;
		}
		ls.v[ls.n++].type = de->d_type;
	}
	closedir(d);
	/* Sorted, so the output order does not depend on the file system. */
	if (ls.n > 1)
		qsort(ls.v, ls.n, sizeof(*ls.v), entry_cmp);
	listing_facts(&ls);
	for (i = 0; r >= 0 && i < ls.n; i++) {
		struct stat sb;
		bool is_dir;
		const char *rel;

		path->len = len;
		path->buf[len] = '\0';
		r = hd_buf_addch(path, '/');
		if (r >= 0)
			r = hd_buf_addstr(path, ls.v[i].name);
		if (r < 0)
			break;
		/* The listing's type saves a system call per entry; links and unknown types are asked. */
		if (ls.v[i].type == DT_REG)
			sb.st_mode = S_IFREG;
		else if (ls.v[i].type == DT_DIR)
			sb.st_mode = S_IFDIR;
		else if (lstat(path->buf, &sb) != 0)
			continue;
		if (S_ISLNK(sb.st_mode)) {
			/*
			 * Links to files inside the walked directory are followed;
			 * links to directories, and links leading out of it
			 * (`Dockerfile -> /etc/shadow`), are not.
			 */
			if (stat(path->buf, &sb) != 0 || S_ISDIR(sb.st_mode) || !link_inside(st, path->buf))
				continue;
		}
		is_dir = S_ISDIR(sb.st_mode);
		rel = path->buf + (rel_off < path->len ? rel_off : path->len);
		if (hd_ignore_match(st->ig, rel, is_dir))
			continue;
		if (cfg && cfg->exclude_pat.n) {
			hd_buf_reset(&abs);
			r = hd_buf_addf(&abs, "%s/%s", strcmp(st->real_root, "/") ? st->real_root : "", rel);
			if (r >= 0)
				r = excluded(st->w, cfg, abs.buf, is_dir);
			if (r < 0)
				break;
			if (r > 0) {
				r = 0;
				continue;
			}
		}
		if (is_dir) {
			if (skip_dir_name(ls.v[i].name))
				continue;
			r = walk_dir(st, path, rel_off, depth + 1);
		} else if (S_ISREG(sb.st_mode)) {
			const struct hd_lint_kind *k = hd_lint_detect(path->buf, NULL, 0, false);

			if (k) {
				r = add_item(st->w, path->buf, k, false, st->root);
				if (r >= 0) {
					st->w->v[st->w->n - 1].cfg = cfg;
					st->w->v[st->w->n - 1].beside_ignore = listing_beside_ignore(&ls, ls.v[i].name);
					hd_walk_publish(st->w);
				}
			}
		}
	}
	hd_buf_release(&abs);
	listing_release(&ls);
	path->len = len;
	path->buf[len] = '\0';
	return r;
}

const struct hd_lint_kind *hd_lint_detect_path(const char *path)
{
	/* A named file's content tells its kind (a compose file named app.yml,
	 * a script without an extension, a Dockerfile's first instruction). */
	struct hd_buf b = HD_BUF_INIT(HD_MAX_FILE_SIZE);
	const struct hd_lint_kind *k = NULL;

	if (hd_read_regular(path, &b) == 0)
		k = hd_lint_detect(path, b.buf, b.len, true);
	hd_buf_release(&b);
	return k;
}

void hd_walk_publish(struct hd_walk *w)
{
	if (w->published)
		w->published(w->published_ctx, w->n);
}

int hd_walk_add(struct hd_walk *w, const char *path, const struct hd_lint_kind *forced)
{
	struct stat sb;
	struct hd_buf b = HD_BUF_INIT(65536);
	struct walk_state st;
	const char *root;
	const char *slash = strrchr(path, '/'), *base = slash ? slash + 1 : path;
	bool listed = false;
	int r;

	/*
	 * A file named on the command line is linted as `forced` when given,
	 * else its kind is told once it is read (kind NULL here), so that it is
	 * opened once, not twice.
	 */
	if (strcmp(path, "-") == 0)
		return add_item(w, path, forced, true, NULL);
	/*
	 * Files named one after another from one directory (a shell glob, a
	 * list from find): the second on reads the directory's listing once,
	 * and its entries' types stand for a stat each.  Links, unknown types
	 * and names not listed are asked of the file system.
	 */
	if (slash && *base && strcmp(base, ".") && strcmp(base, "..") && w->last_dir &&
	    strlen(w->last_dir) == (size_t)(slash - path) && !strncmp(w->last_dir, path, (size_t)(slash - path))) {
		if (!w->listing.dir || strcmp(w->listing.dir, w->last_dir) != 0) {
			r = listing_read(&w->listing, w->last_dir);
			if (r < 0)
				return r;
		}
		listed = w->listing.ok && listing_type(&w->listing, base) == DT_REG;
	}
	if (listed) {
		sb.st_mode = S_IFREG;
	} else if (stat(path, &sb) != 0) {
		return errno == ENOENT ? -HD_ENOENT : errno == EACCES ? -HD_EACCES : -HD_EIO;
	}
	if (!S_ISDIR(sb.st_mode)) {
		/* A file named on the command line: the git work tree holding it is its tree. */
		const struct hd_config *cfg;
		const struct hd_ignore *ig;
		char dir[PATH_MAX], real[PATH_MAX];

		size_t dl = slash ? (slash == path ? 1 : (size_t)(slash - path)) : 1;

		if (dl >= sizeof(dir))
			return -HD_ETOOBIG;
		memcpy(dir, slash ? path : ".", dl);
		dir[dl] = '\0';
		r = config_of(w, dir, &cfg);
		if (r < 0)
			return r;
		r = excl_of(w, cfg, &ig);
		if (r < 0)
			return r;
		if (ig && realpath(path, real)) {
			r = excluded(w, cfg, real, false);
			if (r != 0)
				return r < 0 ? r : 0; /* excluded: not linted */
		}
		/* Files named one after another are mostly of one directory: its tree is found once. */
		if (w->last_dir && strcmp(w->last_dir, dir) == 0) {
			root = w->last_root;
		} else {
			const char *known = hd_config_tree_real(w->tree, dir);
			char *top = NULL;

			/* The directory resolved once (the configuration's look-up made it), siblings' tops cached. */
			if (known)
				top = hd_confine_root_of_dir(known, &w->roots_above);
			else if (realpath(dir, real))
				top = hd_confine_root_of_dir(real, &w->roots_above);
			r = add_root(w, top, &root);
			if (r < 0)
				return r;
			hd_free(w->last_dir);
			w->last_dir = root ? hd_strdup(dir) : NULL;
			w->last_root = w->last_dir ? root : NULL;
		}
		r = add_item(w, path, forced, true, root);
		if (r >= 0) {
			w->v[w->n - 1].cfg = cfg;
			if (w->listing.dir && !strcmp(w->listing.dir, dir))
				w->v[w->n - 1].beside_ignore = listing_beside_ignore(&w->listing, base);
		}
		return r;
	}
	r = add_root(w, hd_strdup(path), &root);
	if (r < 0)
		return r;
	if (!root)
		return -HD_ENOMEM;
	st.w = w;
	st.root = root;
	st.root_len = strlen(path);
	if (!realpath(path, st.real_root))
		return errno == ENOENT ? -HD_ENOENT : errno == EACCES ? -HD_EACCES : -HD_EIO;
	st.ig = hd_ignore_new();
	if (!st.ig)
		return -HD_ENOMEM;
	r = hd_buf_addstr(&b, path);
	while (r >= 0 && b.len > 1 && b.buf[b.len - 1] == '/')
		b.buf[--b.len] = '\0';
	if (r >= 0) {
		struct hd_buf ex = HD_BUF_INIT(4096);

		/* A repository root's own excludes apply like a .gitignore. */
		r = hd_buf_addf(&ex, "%s/.git/info/exclude", b.buf);
		if (r >= 0)
			r = load_ignore_file(st.ig, root, ex.buf, "");
		hd_buf_release(&ex);
	}
	/* --exclude with a slash is a path from the current directory, or from the directory walked. */
	for (size_t i = 0; r >= 0 && w->cli && i < w->cli->exclude_pat.n; i++) {
		const char *pat = w->cli->exclude_pat.v[i];

		r = hd_ignore_add(st.ig, "", pat, strlen(pat));
	}
	if (r >= 0)
		r = walk_dir(&st, &b, b.len + 1, 0);
	hd_ignore_free(st.ig);
	hd_buf_release(&b);
	return r;
}
