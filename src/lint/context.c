/*
 * Build contexts of Dockerfiles (see context.h): hints read from compose
 * `build:` sections and `docker build` lines, and the directory facts
 * (.dockerignore, .git) cached for the run.  Paths are compared after being
 * made absolute and lexically normalised; symbolic links are not resolved.
 */
#include "core/common.h"
#include "core/buf.h"
#include "core/confine.h"
#include "core/limits.h"
#include "lint/context.h"
#include "lint/lint.h"
#include "lint/walk.h"
#include "model/shell.h"

#include <pthread.h>
#include <unistd.h>

#define MAX_PATH 4096
#define MAX_HINTS 4096
#define MAX_UP 64 /* ancestors looked at, at most */

struct hint {
	char *dockerfile; /* absolute, normalised */
	char *context;
};

struct dir_fact {
	char *dir;
	signed char ignore; /* has .dockerignore: -1 unknown */
	signed char git;    /* has .git: -1 unknown */
	/*
	 * Step 3's answer for a Dockerfile in dir (a .dockerignore in an
	 * ancestor up to the repository root: enum hd_context_ignore) for
	 * the tree above_top; -1 unknown.
	 */
	signed char above;
	char *above_top;
};

struct hd_build_contexts {
	struct hint *hints;
	size_t n_hints, alloc_hints;
	pthread_mutex_t lock;
	struct dir_fact *dirs; /* open addressing, cap a power of two */
	size_t n_dirs, cap_dirs;
};

static struct hd_build_contexts *current;

void hd_build_contexts_set_current(struct hd_build_contexts *bc)
{
	current = bc;
}

struct hd_build_contexts *hd_build_contexts_current(void)
{
	return current;
}

struct hd_build_contexts *hd_build_contexts_new(void)
{
	struct hd_build_contexts *bc = hd_calloc(1, sizeof(*bc));

	if (bc)
		pthread_mutex_init(&bc->lock, NULL);
	return bc;
}

void hd_build_contexts_free(struct hd_build_contexts *bc)
{
	size_t i;

	if (!bc)
		return;
	if (current == bc)
		current = NULL;
	for (i = 0; i < bc->n_hints; i++) {
		hd_free(bc->hints[i].dockerfile);
		hd_free(bc->hints[i].context);
	}
	hd_free(bc->hints);
	for (i = 0; i < bc->cap_dirs; i++) {
		hd_free(bc->dirs[i].dir);
		hd_free(bc->dirs[i].above_top);
	}
	hd_free(bc->dirs);
	pthread_mutex_destroy(&bc->lock);
	hd_free(bc);
}

/* ---- paths ---------------------------------------------------------------- */

/*
 * Writes base/rel (rel alone when absolute), made absolute against the
 * working directory and normalised (no ".", "..", "//"), into out.  False
 * when it does not fit or holds a variable.
 */
static bool join_path(const char *base, const char *rel, char *out, size_t size)
{
	const char *seg[3];
	size_t o = 0, n, ns = 0, k;

	if (strchr(rel, '$') || (base && strchr(base, '$')) || size < 2)
		return false;
	/* The pieces, absolute first: rel, or base/rel, or cwd/base/rel. */
	if (rel[0] != '/') {
		if (!base || base[0] != '/') {
			const char *cwd = hd_cwd();

			if (!cwd)
				return false;
			seg[ns++] = cwd;
		}
		if (base)
			seg[ns++] = base;
	}
	seg[ns++] = rel;
	/* Normalised component by component, straight into out. */
	out[o++] = '/';
	for (k = 0; k < ns; k++) {
		const char *p = seg[k];

		while (*p) {
			while (*p == '/')
				p++;
			n = strcspn(p, "/");
			if (!n)
				break;
			if (n == 1 && p[0] == '.') {
				/* skip */
			} else if (n == 2 && p[0] == '.' && p[1] == '.') {
				while (o > 1 && out[o - 1] != '/')
					o--;
				if (o > 1)
					o--;
			} else {
				if (o > 1)
					out[o++] = '/';
				if (o + n + 1 >= size)
					return false;
				memcpy(out + o, p, n);
				o += n;
			}
			p += n;
		}
	}
	out[o] = '\0';
	return true;
}

/* The directory of an absolute normalised path, in place ("/a/b" -> "/a", "/a" -> "/"). */
static void parent_dir(char *p)
{
	char *s = strrchr(p, '/');

	if (!s || s == p)
		p[1] = '\0';
	else
		*s = '\0';
}

/* ---- directory facts ------------------------------------------------------- */

static uint64_t hash_str(const char *s)
{
	uint64_t h = 1469598103934665603ull;

	for (; *s; s++)
		h = (h ^ (unsigned char)*s) * 1099511628211ull;
	return h;
}

static bool file_exists(const char *dir, const char *name)
{
	char p[MAX_PATH];
	int k = snprintf(p, sizeof(p), "%s%s%s", dir, dir[1] ? "/" : "", name);

	return k > 0 && (size_t)k < sizeof(p) && access(p, F_OK) == 0;
}

/*
 * The entry of dir in the table, added when absent (bc->lock held); NULL when
 * the table cannot grow.  Entries move when the table grows: a pointer is
 * good only while the lock is held.
 */
static struct dir_fact *fact_of(struct hd_build_contexts *bc, const char *dir)
{
	size_t i, mask;

	if (bc->n_dirs * 2 >= bc->cap_dirs) {
		size_t cap = bc->cap_dirs ? bc->cap_dirs * 2 : 256;
		struct dir_fact *nd = hd_calloc(cap, sizeof(*nd));

		if (nd) {
			for (i = 0; i < bc->cap_dirs; i++) {
				size_t j;

				if (!bc->dirs[i].dir)
					continue;
				for (j = hash_str(bc->dirs[i].dir) & (cap - 1); nd[j].dir; j = (j + 1) & (cap - 1))
					;
				nd[j] = bc->dirs[i];
			}
			hd_free(bc->dirs);
			bc->dirs = nd;
			bc->cap_dirs = cap;
		}
	}
	if (!bc->cap_dirs || bc->n_dirs * 2 >= bc->cap_dirs)
		return NULL;
	mask = bc->cap_dirs - 1;
	for (i = hash_str(dir) & mask; bc->dirs[i].dir; i = (i + 1) & mask) {
		if (!strcmp(bc->dirs[i].dir, dir))
			return &bc->dirs[i];
	}
	bc->dirs[i].dir = hd_strdup(dir);
	if (!bc->dirs[i].dir)
		return NULL;
	bc->dirs[i].ignore = bc->dirs[i].git = bc->dirs[i].above = -1;
	bc->n_dirs++;
	return &bc->dirs[i];
}

static signed char *fact_slot(struct dir_fact *f, char which)
{
	return which == 'i' ? &f->ignore : &f->git;
}

/* A cached fact of dir (which: 'i' .dockerignore, 'g' .git), -1 when not known. */
static int fact_get(struct hd_build_contexts *bc, const char *dir, char which)
{
	struct dir_fact *f;
	int v = -1;

	pthread_mutex_lock(&bc->lock);
	f = fact_of(bc, dir);
	if (f)
		v = *fact_slot(f, which);
	pthread_mutex_unlock(&bc->lock);
	return v;
}

static void fact_set(struct hd_build_contexts *bc, const char *dir, char which, int v)
{
	struct dir_fact *f;

	pthread_mutex_lock(&bc->lock);
	f = fact_of(bc, dir);
	if (f)
		*fact_slot(f, which) = (signed char)v;
	pthread_mutex_unlock(&bc->lock);
}

/*
 * The cached fact of dir (which: 'i' .dockerignore, 'g' .git), looked up once
 * per run.  The file system is asked without the lock held, so that threads
 * do not wait on each other's system calls; two may ask at once, and agree.
 */
static bool dir_has(struct hd_build_contexts *bc, const char *dir, char which)
{
	const char *name = which == 'i' ? ".dockerignore" : ".git";
	int v;

	if (!bc)
		return file_exists(dir, name);
	v = fact_get(bc, dir, which);
	if (v < 0) {
		v = file_exists(dir, name);
		fact_set(bc, dir, which, v);
	}
	return v;
}

/* ---- hints ------------------------------------------------------------------- */

static int add_hint(struct hd_build_contexts *bc, const char *base, const char *context, const char *dockerfile)
{
	char ctx[MAX_PATH], df[MAX_PATH];
	struct hint *h;

	if (bc->n_hints >= MAX_HINTS || !join_path(base, context, ctx, sizeof(ctx)) ||
	    !join_path(ctx, dockerfile && *dockerfile ? dockerfile : "Dockerfile", df, sizeof(df)))
		return 0;
	if (HD_GROW(bc->hints, bc->alloc_hints, bc->n_hints + 1) < 0)
		return -HD_ENOMEM;
	h = &bc->hints[bc->n_hints];
	h->dockerfile = hd_strdup(df);
	h->context = hd_strdup(ctx);
	if (!h->dockerfile || !h->context) {
		hd_free(h->dockerfile);
		hd_free(h->context);
		return -HD_ENOMEM;
	}
	bc->n_hints++;
	return 0;
}

/* A YAML scalar without quotes and trailing comment: [*v, *v + return). */
static size_t yaml_scalar(const char *p, const char *e, const char **v)
{
	const char *q;

	while (p < e && (*p == ' ' || *p == '\t'))
		p++;
	if (p < e && (*p == '"' || *p == '\'')) {
		q = memchr(p + 1, *p, (size_t)(e - p - 1));
		*v = p + 1;
		return q ? (size_t)(q - p - 1) : 0;
	}
	*v = p;
	for (q = p; q < e && *q != '#' && *q != '\r'; q++)
		;
	while (q > p && (q[-1] == ' ' || q[-1] == '\t'))
		q--;
	return (size_t)(q - p);
}

/* compose: `build: DIR`, or `build:` with `context:` and `dockerfile:` below it. */
static int scan_compose(struct hd_build_contexts *bc, const char *dir, const char *text, size_t len)
{
	const char *p = text, *e = text + len;
	char ctx[MAX_PATH] = "", df[MAX_PATH] = "";
	int build_indent = -1, r;

	while (p < e) {
		const char *le = memchr(p, '\n', (size_t)(e - p)), *q = p, *v;
		int indent = 0;
		size_t n;

		le = le ? le : e;
		while (q < le && *q == ' ') {
			q++;
			indent++;
		}
		if (q < le && *q == '-' && q + 1 < le && q[1] == ' ') {
			q += 2;
			indent += 2;
		}
		if (build_indent >= 0 && q < le && *q != '#' && indent <= build_indent) {
			r = add_hint(bc, dir, ctx[0] ? ctx : ".", df);
			if (r < 0)
				return r;
			build_indent = -1;
		}
		if (build_indent >= 0) {
			if ((size_t)(le - q) > 8 && !memcmp(q, "context:", 8)) {
				n = yaml_scalar(q + 8, le, &v);
				snprintf(ctx, sizeof(ctx), "%.*s", (int)n, v);
			} else if ((size_t)(le - q) > 11 && !memcmp(q, "dockerfile:", 11)) {
				n = yaml_scalar(q + 11, le, &v);
				snprintf(df, sizeof(df), "%.*s", (int)n, v);
			}
		} else if ((size_t)(le - q) >= 6 && !memcmp(q, "build:", 6)) {
			n = yaml_scalar(q + 6, le, &v);
			ctx[0] = df[0] = '\0';
			if (n && v[0] != '{' && v[0] != '&' && v[0] != '*') {
				snprintf(ctx, sizeof(ctx), "%.*s", (int)n, v);
				r = add_hint(bc, dir, ctx, NULL);
				if (r < 0)
					return r;
			} else if (!n) {
				build_indent = indent;
			}
		}
		p = le < e ? le + 1 : e;
	}
	if (build_indent >= 0)
		return add_hint(bc, dir, ctx[0] ? ctx : ".", df);
	return 0;
}

/* docker/podman build options that take no value; every other option takes the next word. */
static bool build_flag(const char *a)
{
	static const char *const flags[] = { "--pull", "--no-cache", "-q", "--quiet", "--load", "--push", "--rm",
					     "--force-rm", "--squash", "--compress", "--disable-content-trust",
					     "--debug", "--no-cache-filter", "--provenance", "--sbom", NULL };

	if (strchr(a, '='))
		return true;
	for (const char *const *f = flags; *f; f++) {
		if (!strcmp(a, *f))
			return true;
	}
	return false;
}

/*
 * The directory holding .git at or above path's directory, into out, looked
 * for up to the linted tree's root (absolute) and not above it: the root
 * itself when none is found below it.
 */
static void repo_root_of(struct hd_build_contexts *bc, const char *root, const char *path, char *out, size_t size)
{
	char d[MAX_PATH];
	int up;

	snprintf(out, size, "%s", root);
	if (path[0] == '/') {
		size_t n = strlen(path);

		if (n >= sizeof(d))
			return;
		memcpy(d, path, n + 1);
	} else if (!join_path(NULL, path, d, sizeof(d))) {
		return;
	}
	parent_dir(d);
	for (up = 0; up < MAX_UP; up++) {
		if (dir_has(bc, d, 'g')) {
			snprintf(out, size, "%s", d);
			return;
		}
		if (!strcmp(d, root) || !strcmp(d, "/"))
			return;
		parent_dir(d);
	}
}

/* One shell command: docker|podman|buildah|nerdctl [...] build|buildx build|image build|bud ... */
static int scan_build_cmd(struct hd_build_contexts *bc, const char *root, const char *dir, const struct hd_cmd *c)
{
	const char *file = NULL, *context = NULL;
	size_t i;
	int r;

	if (c->a0 >= c->argc || (strcmp(c->name, "docker") != 0 && strcmp(c->name, "podman") != 0 &&
				 strcmp(c->name, "buildah") != 0 && strcmp(c->name, "nerdctl") != 0))
		return 0;
	for (i = c->a0 + 1; i < c->argc; i++) {
		const char *a = c->argv[i].text;

		if (!strcmp(a, "build") || !strcmp(a, "bud"))
			break;
		if (!strcmp(a, "buildx") || !strcmp(a, "image") || !strcmp(a, "builder"))
			continue;
		if (a[0] != '-')
			return 0; /* another subcommand */
	}
	for (i++; i < c->argc; i++) {
		const char *a = c->argv[i].text;

		if (!strcmp(a, "-f") || !strcmp(a, "--file")) {
			if (i + 1 < c->argc)
				file = c->argv[++i].text;
		} else if (hd_starts_with(a, "--file=")) {
			file = a + 7;
		} else if (a[0] == '-' && a[1] == 'f' && a[2]) {
			file = a + 2;
		} else if (a[0] == '-' && a[1]) {
			if (!build_flag(a))
				i++;
		} else {
			context = a;
		}
	}
	if (!context || !strcmp(context, "-") || strstr(context, "://"))
		return 0;
	/* A relative -f is relative to the working directory, not the context. */
	if (file) {
		char df[MAX_PATH], ctx[MAX_PATH];

		r = 0;
		if (root && join_path(root, context, ctx, sizeof(ctx)) && join_path(root, file, df, sizeof(df)))
			r = add_hint(bc, NULL, ctx, df);
		if (r >= 0 && join_path(dir, context, ctx, sizeof(ctx)) && join_path(dir, file, df, sizeof(df)))
			r = add_hint(bc, NULL, ctx, df);
		return r;
	}
	r = root ? add_hint(bc, root, context, NULL) : 0;
	if (r >= 0)
		r = add_hint(bc, dir, context, NULL);
	return r;
}

/* Scripts, Makefiles and CI files: every line that may hold a build command, split as shell. */
static int scan_script(struct hd_build_contexts *bc, const char *root, const char *path, const char *text,
		       size_t len)
{
	const char *p = text, *e = text + len;
	char dir[MAX_PATH], repo[MAX_PATH];
	int r = 0;

	if (!join_path(NULL, path, dir, sizeof(dir)))
		return 0;
	parent_dir(dir);
	/* CI files and Makefiles usually run from the top of the repository. */
	repo_root_of(bc, root, path, repo, sizeof(repo));
	while (p < e && r >= 0) {
		const char *le = memchr(p, '\n', (size_t)(e - p)), *q;
		struct hd_shell sh;
		size_t k;

		le = le ? le : e;
		/* Join backslash continuations. */
		while (le < e && le > p && le[-1] == '\\') {
			const char *n = memchr(le + 1, '\n', (size_t)(e - le - 1));

			le = n ? n : e;
		}
		if (!memmem(p, (size_t)(le - p), "build", 5) || (size_t)(le - p) > 65536) {
			p = le < e ? le + 1 : e;
			continue;
		}
		q = p;
		while (q < le && (*q == ' ' || *q == '\t' || *q == '@' || *q == '-' || *q == '+'))
			q++;
		/* A YAML key before the command: `run: docker build ...`, `script: ...`. */
		if ((le - q > 4 && !memcmp(q, "run:", 4)) || (le - q > 7 && !memcmp(q, "script:", 7))) {
			q = memchr(q, ':', (size_t)(le - q)) + 1;
		}
		if (hd_shell_split(q, (size_t)(le - q), &sh) == 0) {
			for (k = 0; k < sh.n_cmds && r >= 0; k++)
				r = scan_build_cmd(bc, repo, dir, &sh.cmds[k]);
			hd_shell_release(&sh);
		}
		p = le < e ? le + 1 : e;
	}
	return r;
}

int hd_build_contexts_add_text(struct hd_build_contexts *bc, const char *root, const char *path, const char *kind,
			       const char *text, size_t len)
{
	char dir[MAX_PATH], top[MAX_PATH];

	if (!strcmp(kind, "compose")) {
		if (!join_path(NULL, path, dir, sizeof(dir)))
			return 0;
		parent_dir(dir);
		return scan_compose(bc, dir, text, len);
	}
	if (!strcmp(kind, "dockerfile") || !strcmp(kind, "markdown") || !strcmp(kind, "systemd"))
		return 0;
	if (!join_path(NULL, root, top, sizeof(top)))
		return 0;
	return scan_script(bc, top, path, text, len);
}

/* The kind a walk item would be read as to find build contexts, or NULL when it names none. */
static const struct hd_lint_kind *source_kind(const struct hd_walk_item *it)
{
	const struct hd_lint_kind *k = it->kind;

	/* Standard input has no directory; only the linted tree is read (core/confine.h). */
	if (!it->root || !strcmp(it->path, "-"))
		return NULL;
	if (!k)
		k = hd_lint_detect(it->path, NULL, 0, it->is_explicit);
	if (!k || !strcmp(k->name, "dockerfile") || !strcmp(k->name, "markdown") || !strcmp(k->name, "systemd"))
		return NULL;
	return k;
}

bool hd_build_contexts_source(const struct hd_walk_item *it)
{
	return source_kind(it) != NULL;
}

struct hd_build_contexts *hd_build_contexts_scan(const struct hd_walk *w)
{
	struct hd_build_contexts *bc = hd_build_contexts_new();
	size_t i;

	if (!bc)
		return NULL;
	for (i = 0; i < w->n; i++) {
		const struct hd_walk_item *it = &w->v[i];
		const struct hd_lint_kind *k = source_kind(it);
		struct hd_buf b;

		if (!k)
			continue;
		hd_buf_init(&b, HD_MAX_FILE_SIZE);
		if (hd_confine_read(it->root, it->path, &b) == 0 &&
		    (it->kind || hd_lint_detect(it->path, b.buf, b.len, it->is_explicit) == k) &&
		    hd_build_contexts_add_text(bc, it->root, it->path, k->name, b.buf, b.len) == -HD_ENOMEM) {
			hd_buf_release(&b);
			hd_build_contexts_free(bc);
			return NULL;
		}
		hd_buf_release(&b);
	}
	return bc;
}

bool hd_build_context_beside_ignore(struct hd_build_contexts *bc, const char *path)
{
	char df[MAX_PATH], p[MAX_PATH];
	int k;

	if (!join_path(NULL, path, df, sizeof(df)))
		return false;
	k = snprintf(p, sizeof(p), "%s.dockerignore", df);
	if (k > 0 && (size_t)k < sizeof(p) && access(p, F_OK) == 0)
		return true;
	parent_dir(df);
	return dir_has(bc, df, 'i');
}

enum hd_context_ignore hd_build_context_dockerignore(struct hd_build_contexts *bc, const char *root,
						     const char *path, bool beside_checked, char *ctx_buf, size_t size,
						     bool *from_hint)
{
	char df[MAX_PATH], d[MAX_PATH], top[MAX_PATH], repo[MAX_PATH];
	bool hinted = false;
	size_t i;
	int up;

	if (from_hint)
		*from_hint = false;
	if (ctx_buf && size)
		ctx_buf[0] = '\0';
	if (!join_path(NULL, path, df, sizeof(df)) || !join_path(NULL, root, top, sizeof(top)))
		return HD_CTX_NO_IGNORE;
	/* <Dockerfile>.dockerignore beside it applies whatever the context. */
	if (!beside_checked) {
		char p[MAX_PATH];
		int k = snprintf(p, sizeof(p), "%s.dockerignore", df);

		if (k > 0 && (size_t)k < sizeof(p) && access(p, F_OK) == 0)
			return HD_CTX_HAS_IGNORE;
	}
	/* 1, 2: a compose file or a build line names the context. */
	for (i = 0; bc && i < bc->n_hints; i++) {
		/* A context outside the linted tree is not looked at. */
		if (strcmp(bc->hints[i].dockerfile, df) != 0 || hd_confine_check(top, bc->hints[i].context) != 0)
			continue;
		if (!hinted && ctx_buf)
			snprintf(ctx_buf, size, "%s", bc->hints[i].context);
		hinted = true;
		if (dir_has(bc, bc->hints[i].context, 'i'))
			return HD_CTX_HAS_IGNORE;
	}
	if (hinted) {
		if (from_hint)
			*from_hint = true;
		return HD_CTX_NO_IGNORE;
	}
	/* 3: the Dockerfile's directory, then each ancestor up to the repository root. */
	snprintf(d, sizeof(d), "%s", df);
	parent_dir(d);
	if (ctx_buf)
		snprintf(ctx_buf, size, "%s", d);
	if (!beside_checked && dir_has(bc, d, 'i'))
		return HD_CTX_HAS_IGNORE;
	/* The ancestors' answer depends on the directory and the tree only: asked once per directory. */
	if (bc) {
		struct dir_fact *f;
		int v = -1;

		pthread_mutex_lock(&bc->lock);
		f = fact_of(bc, d);
		if (f && f->above >= 0 && f->above_top && !strcmp(f->above_top, top))
			v = f->above;
		pthread_mutex_unlock(&bc->lock);
		if (v >= 0)
			return (enum hd_context_ignore)v;
	}
	{
		char start[MAX_PATH];
		enum hd_context_ignore v = HD_CTX_NO_IGNORE;

		memcpy(start, d, strlen(d) + 1);
		repo_root_of(bc, top, df, repo, sizeof(repo));
		for (up = 0; up < MAX_UP && strcmp(d, repo) != 0 && strcmp(d, top) != 0 && strcmp(d, "/") != 0; up++) {
			parent_dir(d);
			if (dir_has(bc, d, 'i')) {
				v = HD_CTX_HAS_IGNORE;
				break;
			}
		}
		if (bc) {
			char *nt = hd_strdup(top);
			struct dir_fact *f;

			pthread_mutex_lock(&bc->lock);
			f = fact_of(bc, start);
			if (f && nt) {
				hd_free(f->above_top);
				f->above_top = nt;
				f->above = (signed char)v;
				nt = NULL;
			}
			pthread_mutex_unlock(&bc->lock);
			hd_free(nt);
		}
		return v;
	}
}
