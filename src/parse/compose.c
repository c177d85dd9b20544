/*
 * The compose loader's driver: reads the files of a project (the given ones,
 * the override file compose applies by default, `include`d files, files
 * named by `extends`), reads `.env` for interpolation, merges files with
 * compose's override rules, resolves `extends` (with cycle detection) and
 * hands each resolved service to compose_service.c.  Top-level networks,
 * secrets and configs go to the project for the project-level rules.
 */
#include "core/common.h"
#include "core/confine.h"
#include "parse/compose_loader.h"
#include "parse/compose_schema.h"

/* ---- issues ------------------------------------------------------------------ */

void hd_compose_issues_init(struct hd_compose_issues *l)
{
	memset(l, 0, sizeof(*l));
}

void hd_compose_issues_release(struct hd_compose_issues *l)
{
	size_t i;

	if (!l)
		return;
	for (i = 0; i < l->n; i++) {
		hd_free(l->v[i].file);
		hd_free(l->v[i].msg);
	}
	hd_free(l->v);
	hd_compose_issues_init(l);
}

int hd_compose_issue_add(struct hd_compose_issues *l, enum hd_compose_issue_kind kind, const char *file,
			 uint32_t line, uint32_t col, const char *fmt, ...)
{
	struct hd_compose_issue *x;
	char msg[HD_MAX_MESSAGE];
	va_list ap;

	if (l->n >= HD_MAX_FINDINGS)
		return 0;
	if (HD_GROW(l->v, l->alloc, l->n + 1) < 0)
		return -HD_ENOMEM;
	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	x = &l->v[l->n];
	x->kind = kind;
	x->line = line;
	x->col = col;
	x->msg = hd_strdup(msg);
	x->file = file ? hd_strdup(file) : NULL;
	if (!x->msg || (file && !x->file)) {
		hd_free(x->msg);
		hd_free(x->file);
		return -HD_ENOMEM;
	}
	l->n++;
	return 0;
}

/* ---- names, paths, files ---------------------------------------------------------- */

bool hd_compose_is_compose_name(const char *base)
{
	static const char *const exact[] = {
		"compose.yaml", "compose.yml", "docker-compose.yaml", "docker-compose.yml",
	};
	size_t i;

	for (i = 0; i < HD_ARRAY_SIZE(exact); i++) {
		if (strcmp(base, exact[i]) == 0)
			return true;
	}
	/* docker-compose.prod.yml, compose.override.yaml, docker-compose-dev.yml, ... */
	if ((hd_starts_with(base, "docker-compose.") || hd_starts_with(base, "docker-compose-") ||
	     hd_starts_with(base, "compose.") || hd_starts_with(base, "compose-")) &&
	    (hd_ends_with(base, ".yml") || hd_ends_with(base, ".yaml")))
		return true;
	return false;
}

const char *hd_cl_join(struct hd_compose_loader *ld, const char *dir, const char *rel)
{
	char *out, *w;
	const char *p;
	size_t n, root;

	if (!rel)
		return NULL;
	if (rel[0] == '/' || !dir || !*dir || strcmp(dir, ".") == 0)
		n = strlen(rel);
	else if (!hd_size_add(strlen(dir), strlen(rel) + 2, &n))
		return NULL;
	out = hd_cn_alloc(&ld->cx, n + 2);
	if (!out)
		return NULL;
	if (rel[0] == '/' || !dir || !*dir || strcmp(dir, ".") == 0)
		snprintf(out, n + 2, "%s", rel);
	else
		snprintf(out, n + 2, "%s/%s", dir, rel);
	/* Fold "//", "/./" and "x/../" lexically, as compose does with filepath.Clean. */
	root = out[0] == '/' ? 1 : 0;
	w = out + root;
	p = out + root;
	while (*p) {
		const char *e = strchr(p, '/');
		size_t len = e ? (size_t)(e - p) : strlen(p);

		/* w never passes p, but writing the separator could overwrite the
		 * terminator at p + len: the separator is written only when one
		 * follows in the input. */
		if (len == 0 || (len == 1 && p[0] == '.')) {
			/* skip */
		} else if (len == 2 && p[0] == '.' && p[1] == '.' && w > out + root &&
			   !(w - (out + root) >= 3 && memcmp(w - 3, "../", 3) == 0) &&
			   !(w - (out + root) == 2 && memcmp(w - 2, "..", 2) == 0)) {
			char *q = w[-1] == '/' ? w - 1 : w;

			while (q > out + root && q[-1] != '/')
				q--;
			w = q;
		} else {
			memmove(w, p, len);
			w += len;
			if (e)
				*w++ = '/';
		}
		if (!e)
			break;
		p = e + 1;
	}
	if (w > out + root && w[-1] == '/')
		w--;
	if (w == out + root && !root)
		*w++ = '.';
	*w = '\0';
	return out;
}

static const char *dir_of(struct hd_compose_loader *ld, const char *path)
{
	const char *slash = strrchr(path, '/');

	if (!slash)
		return ".";
	if (slash == path)
		return "/";
	return hd_cn_strdup(&ld->cx, path, (size_t)(slash - path));
}

int hd_cl_read(struct hd_compose_loader *ld, const char *path, struct hd_buf *b)
{
	if (ld->opts->no_disk)
		return -HD_ENOENT;
	return hd_confine_read(ld->root, path, b);
}

static bool file_exists(struct hd_compose_loader *ld, const char *path)
{
	return !ld->opts->no_disk && hd_confine_exists(ld->root, path);
}

/* Absolute on any system compose runs on: "/x", "~/x", "C:\x", "\\server\x". */
static bool is_absolute(const char *p)
{
	return p[0] == '/' || p[0] == '~' || p[0] == '\\' ||
	       (isalpha((unsigned char)p[0]) && p[1] == ':' && (p[2] == '\\' || p[2] == '/'));
}

int hd_cl_read_at(struct hd_compose_loader *ld, const char *path, const char *written,
		  const struct hd_cn *at, const char *what, struct hd_buf *b)
{
	struct hd_buf probe = HD_BUF_INIT(1);
	int r;

	if (ld->opts->no_disk)
		return -HD_ENOENT;
	if (is_absolute(written) || hd_confine_check(ld->root, path) == -HD_EOUTSIDE) {
		r = hd_compose_issue_add(ld->issues, HD_CI_OUTSIDE, at->file, at->line, at->col,
					 "%s '%s' is outside the project; it was not read", what, written);
		return r < 0 ? r : 1;
	}
	if (b) {
		r = hd_confine_read(ld->root, path, b);
	} else {
		r = hd_confine_read(ld->root, path, &probe);
		/* Existence only: a file too big for the probe is there. */
		if (r == -HD_ETOOBIG)
			r = 0;
		hd_buf_release(&probe);
	}
	if (r == -HD_EOUTSIDE) {
		r = hd_compose_issue_add(ld->issues, HD_CI_OUTSIDE, at->file, at->line, at->col,
					 "%s '%s' leads outside the project through a symbolic link; it was not read",
					 what, written);
		return r < 0 ? r : 1;
	}
	return r;
}

const struct hd_cl_file *hd_cl_file_of(const struct hd_compose_loader *ld, const char *file)
{
	size_t i;

	for (i = 0; i < ld->n_files; i++) {
		if (ld->files[i].path == file)
			return &ld->files[i];
	}
	for (i = 0; i < ld->n_files; i++) {
		if (file && strcmp(ld->files[i].path, file) == 0)
			return &ld->files[i];
	}
	return NULL;
}

/* ---- environment ------------------------------------------------------------------- */

const char *hd_cl_lookup(void *ctx, const char *name, size_t len)
{
	struct hd_compose_loader *ld = ctx;
	const char *const *env = ld->opts->env;
	const char *found = NULL;
	size_t i;

	/* Given explicitly (--env, --env-file): later entries win. */
	for (i = 0; env && env[i]; i++) {
		if (strncmp(env[i], name, len) == 0 && env[i][len] == '=')
			found = env[i] + len + 1;
	}
	if (found)
		return found;
	for (i = ld->n_vars; i-- > 0;) {
		if (strncmp(ld->vars[i].name, name, len) == 0 && ld->vars[i].name[len] == '\0')
			return ld->vars[i].value;
	}
	return NULL;
}

static int add_var(void *ctx, const char *name, const char *value, uint32_t line, uint32_t col)
{
	(void)line;
	(void)col;
	return hd_cl_add_var(ctx, name, value);
}

int hd_cl_add_var(struct hd_compose_loader *ld, const char *name, const char *value)
{
	struct hd_cl_var *v;

	if (!value)
		return 0;
	if (HD_GROW(ld->vars, ld->alloc_vars, ld->n_vars + 1) < 0)
		return -HD_ENOMEM;
	v = &ld->vars[ld->n_vars];
	v->name = hd_cn_strdup(&ld->cx, name, strlen(name));
	v->value = hd_cn_strdup(&ld->cx, value, strlen(value));
	if (!v->name || !v->value)
		return -HD_ENOMEM;
	ld->n_vars++;
	return 0;
}

static int read_dotenv(struct hd_compose_loader *ld)
{
	struct hd_buf b = HD_BUF_INIT(HD_MAX_FILE_SIZE);
	const char *path = hd_cl_join(ld, ld->dir, ".env");
	int r;

	if (!path)
		return -HD_ENOMEM;
	r = hd_cl_read(ld, path, &b);
	if (r == -HD_ENOMEM)
		return r;
	if (r == -HD_EOUTSIDE || r == -HD_ENOTREG) {
		/* A link out of the tree, a FIFO or a device: never read. */
		hd_buf_release(&b);
		return hd_compose_issue_add(ld->issues, r == -HD_EOUTSIDE ? HD_CI_OUTSIDE : HD_CI_MISSING_FILE,
					    path, 0, 0, r == -HD_EOUTSIDE ?
					    "'%s' leads outside the project through a symbolic link; it was not read" :
					    "'%s' is not a regular file; it was not read", path);
	}
	if (r < 0) {
		/* A missing .env is fine; compose reads it only when present. */
		hd_buf_release(&b);
		return 0;
	}
	r = hd_cl_dotenv(ld, path, b.buf, b.len, add_var, ld);
	hd_buf_release(&b);
	return r;
}

/* ---- suppressions -------------------------------------------------------------------- */

static size_t indent_of(const char *p, const char *e)
{
	size_t n = 0;

	while (p + n < e && (p[n] == ' ' || p[n] == '\t'))
		n++;
	return n;
}

/*
 * Finds `# hardock ignore=ID` comments: a comment line covers the next
 * non-comment line and the block under it (deeper-indented lines), so a
 * comment above a service or key silences findings inside it.
 */
static int scan_suppressions(struct hd_project_file *pf, const char *data, size_t len)
{
	const char *p = data, *e = data + len;
	uint32_t line = 1;
	int r;

	if (!memchr(data, '#', len))
		return 0;
	while (p < e) {
		const char *eol = memchr(p, '\n', (size_t)(e - p));
		const char *le = eol ? eol : e;
		size_t ind = indent_of(p, le);
		const char *ids;
		size_t ids_len;
		int global;

		if (p + ind < le && p[ind] == '#' &&
		    hd_suppress_parse_comment(p + ind, (size_t)(le - p - ind), &ids, &ids_len, &global)) {
			uint32_t from = 0, to = 0, l = line + 1;
			const char *q = eol ? eol + 1 : e;
			size_t base = 0;
			bool found = false;

			while (!global && q < e) {
				const char *qe = memchr(q, '\n', (size_t)(e - q));
				const char *qle = qe ? qe : e;
				size_t qi = indent_of(q, qle);
				bool blank = q + qi >= qle || q[qi] == '#' || (q[qi] == '\r' && q + qi + 1 == qle);

				if (!blank) {
					if (!found) {
						found = true;
						base = qi;
						from = to = l;
						/* A list item's block includes what lies under its dash. */
						if (q[qi] == '-')
							base = qi;
					} else if (qi <= base && !(q[qi] == '-' && qi == base && false)) {
						break;
					} else {
						to = l;
					}
				}
				q = qe ? qe + 1 : e;
				l++;
			}
			if (global || found) {
				r = hd_suppressions_add(&pf->suppress, from, to, line, ids, ids_len);
				if (r < 0)
					return r;
			}
		}
		p = eol ? eol + 1 : e;
		line++;
	}
	return 0;
}

/* ---- merging ---------------------------------------------------------------------------- */

enum merge_how {
	M_DEEP,         /* mappings merged key by key; sequences replaced */
	M_SERVICES,     /* the services: mapping */
	M_SERVICE,      /* one service: per-key rules */
	M_REPLACE,      /* the later value replaces */
	M_MAPPINGISH,   /* list of KEY=VALUE or mapping, merged by key */
	M_NAMES,        /* list of names or mapping keyed by name (networks) */
	M_APPEND,       /* sequences appended, duplicates dropped */
	M_BY_TARGET,    /* volumes, devices: keyed by container path */
	M_BY_SOURCE,    /* secrets, configs: keyed by source */
	M_PORTS,        /* ports: keyed by the whole entry */
};

static const struct {
	const char *key;
	enum merge_how how;
} service_merge[] = {
	{ "annotations", M_MAPPINGISH }, { "build", M_DEEP },           { "cap_add", M_APPEND },
	{ "cap_drop", M_APPEND },        { "command", M_REPLACE },      { "configs", M_BY_SOURCE },
	{ "depends_on", M_NAMES },       { "deploy", M_DEEP },          { "devices", M_BY_TARGET },
	{ "entrypoint", M_REPLACE },     { "environment", M_MAPPINGISH }, { "extra_hosts", M_MAPPINGISH },
	{ "healthcheck", M_DEEP },       { "labels", M_MAPPINGISH },    { "logging", M_DEEP },
	{ "networks", M_NAMES },         { "ports", M_PORTS },          { "secrets", M_BY_SOURCE },
	{ "sysctls", M_MAPPINGISH },     { "ulimits", M_DEEP },         { "volumes", M_BY_TARGET },
};

static enum merge_how service_key_how(const char *key)
{
	size_t i;

	for (i = 0; i < HD_ARRAY_SIZE(service_merge); i++) {
		if (strcmp(service_merge[i].key, key) == 0)
			return service_merge[i].how;
	}
	return M_APPEND; /* other sequences append; scalars and mappings follow their kind */
}

static struct hd_cn *merge(struct hd_compose_loader *ld, struct hd_cn *a, struct hd_cn *b, enum merge_how how,
			   unsigned depth);

static struct hd_cn *merge_maps(struct hd_compose_loader *ld, struct hd_cn *a, struct hd_cn *b, enum merge_how how,
				unsigned depth)
{
	struct hd_cn *n = hd_cn_new(&ld->cx, HD_CN_MAP, b->file, b->line, b->col);
	uint32_t i, k = 0;

	if (!n)
		return NULL;
	n->pairs = hd_cn_alloc(&ld->cx, ((size_t)a->n + b->n) * sizeof(*n->pairs) + 1);
	if (!n->pairs)
		return NULL;
	for (i = 0; i < a->n; i++) {
		const struct hd_cn_pair *over = hd_cn_pair_get(b, a->pairs[i].key);

		if (!over) {
			n->pairs[k++] = a->pairs[i];
			continue;
		}
		if (over->val->flags & HD_CN_RESET)
			continue;
		n->pairs[k] = *over;
		if (!(over->val->flags & HD_CN_OVERRIDE)) {
			enum merge_how child = how == M_SERVICES ? M_SERVICE :
					       how == M_SERVICE ? service_key_how(over->key) : M_DEEP;

			if (how == M_DEEP && depth == 0 && strcmp(over->key, "services") == 0)
				child = M_SERVICES;
			if (how == M_DEEP && (strcmp(over->key, "args") == 0 || strcmp(over->key, "labels") == 0 ||
					      strcmp(over->key, "options") == 0))
				child = M_MAPPINGISH;
			n->pairs[k].val = merge(ld, a->pairs[i].val, over->val, child, depth + 1);
			if (!n->pairs[k].val)
				return NULL;
		}
		k++;
	}
	for (i = 0; i < b->n; i++) {
		if (!hd_cn_pair_get(a, b->pairs[i].key) && !(b->pairs[i].val->flags & HD_CN_RESET))
			n->pairs[k++] = b->pairs[i];
	}
	n->n = k;
	hd_cn_fix_size(n);
	return n;
}

/* The merge key of a sequence entry (a slice into the arena), or NULL to always keep it. */
static const char *entry_key(struct hd_compose_loader *ld, const struct hd_cn *e, enum merge_how how)
{
	const char *s = hd_cn_str(e);

	if (e->kind == HD_CN_MAP) {
		const char *k = NULL;

		if (how == M_BY_TARGET)
			k = hd_cn_str(hd_cn_get(e, "target"));
		else if (how == M_BY_SOURCE)
			k = hd_cn_str(hd_cn_get(e, "source"));
		else if (how == M_PORTS) {
			const char *t = hd_cn_str(hd_cn_get(e, "target")), *p = hd_cn_str(hd_cn_get(e, "published"));
			const char *ip = hd_cn_str(hd_cn_get(e, "host_ip")), *pr = hd_cn_str(hd_cn_get(e, "protocol"));
			char buf[512];

			snprintf(buf, sizeof(buf), "%s:%s:%s/%s", ip ? ip : "", p ? p : "", t ? t : "", pr ? pr : "tcp");
			return hd_cn_strdup(&ld->cx, buf, strlen(buf));
		}
		return k;
	}
	if (!s)
		return NULL;
	if (how == M_BY_TARGET) {
		/* "src:target[:mode]" or "target". */
		const char *c1 = strchr(s, ':'), *c2;

		if (!c1)
			return s;
		c2 = strchr(c1 + 1, ':');
		return hd_cn_strdup(&ld->cx, c1 + 1, c2 ? (size_t)(c2 - c1 - 1) : strlen(c1 + 1));
	}
	return s;
}

static struct hd_cn *merge_seqs(struct hd_compose_loader *ld, struct hd_cn *a, struct hd_cn *b, enum merge_how how)
{
	struct hd_cn *n = hd_cn_new(&ld->cx, HD_CN_SEQ, b->file, b->line, b->col);
	const char **akeys;
	uint32_t i, j, k = 0;

	if (!n)
		return NULL;
	n->items = hd_cn_alloc(&ld->cx, ((size_t)a->n + b->n) * sizeof(*n->items) + 1);
	akeys = hd_cn_alloc(&ld->cx, ((size_t)a->n + 1) * sizeof(*akeys));
	if (!n->items || !akeys)
		return NULL;
	for (i = 0; i < a->n; i++)
		akeys[i] = entry_key(ld, a->items[i], how);
	/* Earlier entries whose key the later file repeats are replaced by it. */
	for (i = 0; i < a->n; i++) {
		bool replaced = false;

		for (j = 0; akeys[i] && j < b->n && !replaced; j++) {
			const char *bk = entry_key(ld, b->items[j], how);

			replaced = bk && strcmp(bk, akeys[i]) == 0;
		}
		if (!replaced)
			n->items[k++] = a->items[i];
	}
	for (j = 0; j < b->n; j++)
		n->items[k++] = b->items[j];
	n->n = k;
	hd_cn_fix_size(n);
	return n;
}

/* A list of KEY=VALUE (or names) as a mapping, keeping positions. */
static struct hd_cn *as_map(struct hd_compose_loader *ld, struct hd_cn *l, bool names)
{
	struct hd_cn *n;
	uint32_t i, k = 0;

	if (l->kind != HD_CN_SEQ)
		return l;
	n = hd_cn_new(&ld->cx, HD_CN_MAP, l->file, l->line, l->col);
	if (!n)
		return NULL;
	n->pairs = hd_cn_alloc(&ld->cx, (size_t)l->n * sizeof(*n->pairs) + 1);
	if (!n->pairs)
		return NULL;
	for (i = 0; i < l->n; i++) {
		struct hd_cn *e = l->items[i];
		const char *s = hd_cn_str(e), *eq = s && !names ? strchr(s, '=') : NULL;
		struct hd_cn_pair *p = &n->pairs[k];
		uint32_t z;

		if (!s)
			continue;
		p->key = eq ? hd_cn_strdup(&ld->cx, s, (size_t)(eq - s)) : s;
		p->line = e->line;
		p->col = e->col;
		p->val = hd_cn_new(&ld->cx, eq ? HD_CN_STR : HD_CN_NULL, e->file, e->line, e->col);
		if (!p->key || !p->val)
			return NULL;
		if (eq) {
			p->val->s = eq + 1;
			p->val->n = (uint32_t)strlen(eq + 1);
			p->val->flags = HD_CN_QUOTED;
		}
		for (z = 0; z < k && strcmp(n->pairs[z].key, p->key) != 0; z++)
			;
		if (z < k)
			n->pairs[z] = *p; /* a repeated key: the later entry wins */
		else
			k++;
	}
	n->n = k;
	hd_cn_fix_size(n);
	return n;
}

static struct hd_cn *merge(struct hd_compose_loader *ld, struct hd_cn *a, struct hd_cn *b, enum merge_how how,
			   unsigned depth)
{
	if (!a)
		return b;
	if (!b)
		return a;
	if (b->flags & HD_CN_OVERRIDE || depth > HD_MAX_YAML_DEPTH)
		return b;
	if (how == M_MAPPINGISH || how == M_NAMES) {
		struct hd_cn *ma, *mb;

		if (a->kind == HD_CN_SEQ && b->kind == HD_CN_SEQ && how == M_NAMES)
			return merge_seqs(ld, a, b, M_APPEND);
		ma = as_map(ld, a, how == M_NAMES);
		mb = as_map(ld, b, how == M_NAMES);
		if (!ma || !mb)
			return NULL;
		if (ma->kind == HD_CN_MAP && mb->kind == HD_CN_MAP)
			return merge_maps(ld, ma, mb, M_DEEP, depth);
		return b;
	}
	if (how == M_REPLACE)
		return b;
	if (a->kind == HD_CN_MAP && b->kind == HD_CN_MAP)
		return merge_maps(ld, a, b, how, depth);
	if (a->kind == HD_CN_SEQ && b->kind == HD_CN_SEQ && how != M_DEEP)
		return merge_seqs(ld, a, b, how);
	return b;
}

/* ---- loading files ------------------------------------------------------------------------ */

static int load_file(struct hd_compose_loader *ld, const char *path, const char *data, size_t len,
		     const char *base_dir, struct hd_cn **ret);

/* Merges the files named by a top-level include: under the including file. */
static int apply_includes(struct hd_compose_loader *ld, struct hd_cl_file *f, struct hd_cn **root)
{
	const struct hd_cn_pair *inc = hd_cn_pair_get(*root, "include");
	const char *fpath = f->path, *dir = dir_of(ld, fpath);
	struct hd_cn *acc = NULL, *rest;
	uint32_t i, j;
	int r;

	if (!inc || inc->val->kind != HD_CN_SEQ)
		return 0;
	if (!dir)
		return -HD_ENOMEM;
	for (i = 0; i < inc->val->n; i++) {
		struct hd_cn *e = inc->val->items[i], *paths = e, *one;

		if (e->kind == HD_CN_MAP)
			paths = hd_cn_get(e, "path");
		if (!paths)
			continue;
		for (j = 0; j < (paths->kind == HD_CN_SEQ ? paths->n : 1); j++) {
			const char *rel = hd_cn_str(paths->kind == HD_CN_SEQ ? paths->items[j] : paths);
			const struct hd_cn *at = paths->kind == HD_CN_SEQ ? paths->items[j] : paths;
			const char *full, *idir;

			if (!rel)
				continue;
			full = hd_cl_join(ld, dir, rel);
			idir = full ? dir_of(ld, full) : NULL;
			if (!full || !idir)
				return -HD_ENOMEM;
			r = hd_cl_read_at(ld, full, rel, at, "included file", NULL);
			if (r == -HD_ENOMEM)
				return r;
			if (r == 1)
				continue;
			if (r < 0) {
				r = hd_compose_issue_add(ld->issues, HD_CI_MISSING_FILE, fpath, at->line, at->col,
							 "included file '%s' cannot be read: %s", full, hd_strerror(r));
				if (r < 0)
					return r;
				continue;
			}
			one = NULL;
			r = load_file(ld, full, NULL, 0, idir, &one);
			if (r == -HD_ENOMEM)
				return r;
			if (r == -HD_ELOOP) {
				r = hd_compose_issue_add(ld->issues, HD_CI_INVALID, fpath, at->line, at->col,
							 "circular include of '%s'", full);
				if (r < 0)
					return r;
				continue;
			}
			acc = merge(ld, acc, one, M_DEEP, 0);
			if (one && !acc)
				return -HD_ENOMEM;
		}
	}
	/* The including file without its include: key, over what it includes. */
	rest = hd_cn_new(&ld->cx, HD_CN_MAP, (*root)->file, (*root)->line, (*root)->col);
	if (!rest)
		return -HD_ENOMEM;
	rest->pairs = hd_cn_alloc(&ld->cx, (size_t)(*root)->n * sizeof(*rest->pairs) + 1);
	if (!rest->pairs)
		return -HD_ENOMEM;
	for (i = 0; i < (*root)->n; i++) {
		if (strcmp((*root)->pairs[i].key, "include") != 0)
			rest->pairs[rest->n++] = (*root)->pairs[i];
	}
	hd_cn_fix_size(rest);
	*root = acc ? merge(ld, acc, rest, M_DEEP, 0) : rest;
	return *root ? 0 : -HD_ENOMEM;
}

/*
 * Reads (unless data is given), parses, validates and resolves includes of
 * one file; files are cached by path so extends can look at them again.
 * Returns 0 with *ret the root (NULL when empty or unreadable: an issue says
 * why), -HD_ELOOP while the file is being loaded, or -HD_ENOMEM.
 */
static int load_file(struct hd_compose_loader *ld, const char *path, const char *data, size_t len,
		     const char *base_dir, struct hd_cn **ret)
{
	struct hd_buf b = HD_BUF_INIT(HD_MAX_FILE_SIZE);
	struct hd_project_file *pf;
	struct hd_cl_file *f;
	size_t idx, i;
	int r;

	*ret = NULL;
	for (i = 0; i < ld->n_files; i++) {
		if (strcmp(ld->files[i].path, path) == 0) {
			if (ld->files[i].loading)
				return -HD_ELOOP;
			*ret = ld->files[i].root;
			return 0;
		}
	}
	if (HD_GROW(ld->files, ld->alloc_files, ld->n_files + 1) < 0)
		return -HD_ENOMEM;
	idx = ld->n_files++;
	f = &ld->files[idx];
	memset(f, 0, sizeof(*f));
	f->path = hd_cn_strdup(&ld->cx, path, strlen(path));
	f->base_dir = base_dir;
	pf = hd_project_add_file(ld->proj, path);
	if (!f->path || !pf)
		return -HD_ENOMEM;
	f->pfile = pf->path;
	if (!data) {
		r = hd_cl_read(ld, path, &b);
		if (r == -HD_ENOMEM)
			return r;
		if (r < 0) {
			ld->files[idx].bad = true;
			r = hd_compose_issue_add(ld->issues, HD_CI_MISSING_FILE, path, 0, 0, "cannot read '%s': %s",
						 path, hd_strerror(-r));
			hd_buf_release(&b);
			return r < 0 ? r : 0;
		}
		data = b.buf;
		len = b.len;
	}
	r = scan_suppressions(pf, data, len);
	if (r < 0)
		goto out;
	ld->files[idx].loading = true;
	r = hd_cn_parse(&ld->cx, ld->files[idx].path, data, len, ret);
	f = &ld->files[idx];
	if (r == -HD_EPARSE) {
		f->bad = true;
		f->loading = false;
		r = 0;
		goto out;
	}
	if (r < 0)
		goto out;
	if (*ret && (*ret)->kind != HD_CN_MAP) {
		r = hd_compose_issue_add(ld->issues, HD_CI_INVALID, path, (*ret)->line, (*ret)->col,
					 "a compose file must be a mapping of top-level keys (services:, networks:, ...)");
		*ret = NULL;
		f->bad = true;
		f->loading = false;
		goto out;
	}
	r = hd_compose_validate(*ret, ld->issues);
	if (r < 0)
		goto out;
	if (*ret) {
		struct hd_cn *root = *ret;

		r = apply_includes(ld, &ld->files[idx], &root);
		if (r < 0)
			goto out;
		*ret = root;
	}
	f = &ld->files[idx];
	f->root = *ret;
	f->loading = false;
out:
	hd_buf_release(&b);
	return r;
}

/* ---- extends -------------------------------------------------------------------------------- */

struct ext_link {
	const char *file, *name;
};

static int resolve_service(struct hd_compose_loader *ld, const char *file, struct hd_cn *services,
			   const char *name, struct hd_cn *svc, struct ext_link *chain, unsigned depth,
			   struct hd_cn **ret);

static int extends_base(struct hd_compose_loader *ld, const char *file, struct hd_cn *services,
			const struct hd_cn_pair *ext, struct ext_link *chain, unsigned depth, struct hd_cn **ret)
{
	const char *bname = NULL, *bfile_rel = NULL, *bfile = file;
	struct hd_cn *bservices = services, *base;
	unsigned i;
	int r;

	*ret = NULL;
	if (ext->val->kind == HD_CN_STR) {
		bname = ext->val->s;
	} else if (ext->val->kind == HD_CN_MAP) {
		bname = hd_cn_str(hd_cn_get(ext->val, "service"));
		bfile_rel = hd_cn_str(hd_cn_get(ext->val, "file"));
	}
	if (!bname)
		return hd_compose_issue_add(ld->issues, HD_CI_INVALID, ext->val->file, ext->line, ext->col,
					    "extends needs a service name");
	if (bfile_rel) {
		const struct hd_cl_file *cf = hd_cl_file_of(ld, file);
		const char *dir = dir_of(ld, file), *full, *fdir;
		struct hd_cn *root = NULL;

		(void)cf;
		full = dir ? hd_cl_join(ld, dir, bfile_rel) : NULL;
		fdir = full ? dir_of(ld, full) : NULL;
		if (!full || !fdir)
			return -HD_ENOMEM;
		r = hd_cl_read_at(ld, full, bfile_rel, ext->val, "extends file", NULL);
		if (r == -HD_ENOMEM || r == 1)
			return r < 0 ? r : 0;
		if (r < 0)
			return hd_compose_issue_add(ld->issues, HD_CI_MISSING_FILE, ext->val->file, ext->line,
						    ext->col, "extends: file '%s' cannot be read: %s", full,
						    hd_strerror(r));
		r = load_file(ld, full, NULL, 0, fdir, &root);
		if (r == -HD_ELOOP)
			r = 0; /* the file extends itself through another: the chain check below sees it */
		if (r < 0)
			return r;
		if (!root) {
			const struct hd_cl_file *lf = hd_cl_file_of(ld, full);

			/* Still loading (cycle through include) or bad: nothing to extend. */
			if (!lf || !lf->root)
				return 0;
			root = lf->root;
		}
		bservices = hd_cn_get(root, "services");
		bfile = hd_cl_file_of(ld, full) ? hd_cl_file_of(ld, full)->path : full;
	}
	base = hd_cn_get(bservices, bname);
	if (!base || base->kind != HD_CN_MAP)
		return hd_compose_issue_add(ld->issues, HD_CI_INVALID, ext->val->file, ext->line, ext->col,
					    "extends: service '%s' not found%s%s", bname, bfile_rel ? " in " : "",
					    bfile_rel ? bfile_rel : "");
	for (i = 0; i < depth; i++) {
		if (strcmp(chain[i].name, bname) == 0 && strcmp(chain[i].file, bfile) == 0) {
			char msg[HD_MAX_MESSAGE];
			size_t len = 0;
			unsigned j;

			msg[0] = '\0';
			for (j = i; j < depth && len < sizeof(msg) - 64; j++) {
				int w = snprintf(msg + len, sizeof(msg) - len, "%s -> ", chain[j].name);

				if (w > 0)
					len += (size_t)w;
			}
			return hd_compose_issue_add(ld->issues, HD_CI_INVALID, ext->val->file, ext->line, ext->col,
						    "circular extends: %s%s", msg, bname);
		}
	}
	if (depth >= HD_MAX_EXTENDS_DEPTH)
		return hd_compose_issue_add(ld->issues, HD_CI_INVALID, ext->val->file, ext->line, ext->col,
					    "extends chain longer than %u services", HD_MAX_EXTENDS_DEPTH);
	return resolve_service(ld, bfile, bservices, bname, base, chain, depth, ret);
}

/* The service node with `extends` applied (its base merged under it). */
static int resolve_service(struct hd_compose_loader *ld, const char *file, struct hd_cn *services,
			   const char *name, struct hd_cn *svc, struct ext_link *chain, unsigned depth,
			   struct hd_cn **ret)
{
	const struct hd_cn_pair *ext = hd_cn_pair_get(svc, "extends");
	struct hd_cn *base = NULL, *own;
	uint32_t i;
	int r;

	*ret = svc;
	if (!ext)
		return 0;
	chain[depth].file = file;
	chain[depth].name = name;
	r = extends_base(ld, file, services, ext, chain, depth + 1, &base);
	if (r < 0)
		return r;
	own = hd_cn_new(&ld->cx, HD_CN_MAP, svc->file, svc->line, svc->col);
	if (!own)
		return -HD_ENOMEM;
	own->pairs = hd_cn_alloc(&ld->cx, (size_t)svc->n * sizeof(*own->pairs) + 1);
	if (!own->pairs)
		return -HD_ENOMEM;
	for (i = 0; i < svc->n; i++) {
		if (strcmp(svc->pairs[i].key, "extends") != 0)
			own->pairs[own->n++] = svc->pairs[i];
	}
	hd_cn_fix_size(own);
	if (!base) {
		*ret = own;
		return 0;
	}
	/* What compose never inherits through extends. */
	if (hd_cn_get(base, "depends_on") || hd_cn_get(base, "links") || hd_cn_get(base, "volumes_from")) {
		struct hd_cn *nb = hd_cn_new(&ld->cx, HD_CN_MAP, base->file, base->line, base->col);

		if (!nb || !(nb->pairs = hd_cn_alloc(&ld->cx, (size_t)base->n * sizeof(*nb->pairs) + 1)))
			return -HD_ENOMEM;
		for (i = 0; i < base->n; i++) {
			const char *k = base->pairs[i].key;

			if (strcmp(k, "depends_on") && strcmp(k, "links") && strcmp(k, "volumes_from"))
				nb->pairs[nb->n++] = base->pairs[i];
		}
		hd_cn_fix_size(nb);
		base = nb;
	}
	*ret = merge(ld, base, own, M_SERVICE, 1);
	return *ret ? 0 : -HD_ENOMEM;
}

/* ---- the project ----------------------------------------------------------------------------- */

static const char *pfile_of(struct hd_compose_loader *ld, const char *file)
{
	const struct hd_cl_file *f = hd_cl_file_of(ld, file);

	return f ? f->pfile : NULL;
}

static int add_networks(struct hd_compose_loader *ld, const struct hd_cn *nets)
{
	uint32_t i;
	int r;

	if (!nets || nets->kind != HD_CN_MAP)
		return 0;
	for (i = 0; i < nets->n; i++) {
		const struct hd_cn_pair *p = &nets->pairs[i];
		struct hd_project_network *nw;
		char field[300];
		bool b;

		if (hd_starts_with(p->key, "x-"))
			continue;
		if (HD_GROW(ld->proj->networks, ld->proj->alloc_networks, ld->proj->n_networks + 1) < 0)
			return -HD_ENOMEM;
		nw = &ld->proj->networks[ld->proj->n_networks];
		memset(nw, 0, sizeof(*nw));
		ld->proj->n_networks++;
		nw->name = hd_strdup(p->key);
		if (!nw->name)
			return -HD_ENOMEM;
		if (hd_cn_str(hd_cn_get(p->val, "driver")) && !(nw->driver = hd_strdup(hd_cn_str(hd_cn_get(p->val, "driver")))))
			return -HD_ENOMEM;
		b = false;
		nw->external = hd_cn_get(p->val, "external") &&
			       (hd_cn_get(p->val, "external")->kind == HD_CN_MAP ||
				(hd_cn_is_bool(hd_cn_get(p->val, "external"), &b) && b));
		b = false;
		nw->internal = hd_cn_is_bool(hd_cn_get(p->val, "internal"), &b) && b;
		snprintf(field, sizeof(field), "networks.%s", p->key);
		r = hd_origin_set(&nw->at, pfile_of(ld, p->val->file), p->line, p->col, field);
		if (r < 0)
			return r;
	}
	return 0;
}

static int add_secrets(struct hd_compose_loader *ld, const struct hd_cn *defs, bool is_config)
{
	static const struct { const char *key; enum hd_secret_source src; } srcs[] = {
		{ "file", HD_SECRET_FILE }, { "environment", HD_SECRET_ENVIRONMENT },
		{ "content", HD_SECRET_CONTENT }, { "external", HD_SECRET_EXTERNAL },
	};
	uint32_t i;
	size_t j;
	int r;

	if (!defs || defs->kind != HD_CN_MAP)
		return 0;
	for (i = 0; i < defs->n; i++) {
		const struct hd_cn_pair *p = &defs->pairs[i], *sp = NULL;
		struct hd_project_secret *s;
		char field[300];

		if (hd_starts_with(p->key, "x-"))
			continue;
		if (HD_GROW(ld->proj->secrets, ld->proj->alloc_secrets, ld->proj->n_secrets + 1) < 0)
			return -HD_ENOMEM;
		s = &ld->proj->secrets[ld->proj->n_secrets];
		memset(s, 0, sizeof(*s));
		ld->proj->n_secrets++;
		s->is_config = is_config;
		s->source = HD_SECRET_OTHER;
		s->name = hd_strdup(p->key);
		if (!s->name)
			return -HD_ENOMEM;
		for (j = 0; j < HD_ARRAY_SIZE(srcs) && !sp; j++) {
			sp = hd_cn_pair_get(p->val, srcs[j].key);
			if (sp)
				s->source = srcs[j].src;
		}
		if (sp && s->source != HD_SECRET_CONTENT && s->source != HD_SECRET_EXTERNAL && hd_cn_str(sp->val) &&
		    !(s->value = hd_strdup(hd_cn_str(sp->val))))
			return -HD_ENOMEM;
		snprintf(field, sizeof(field), "%s.%s%s%s", is_config ? "configs" : "secrets", p->key,
			 sp ? "." : "", sp ? sp->key : "");
		r = hd_origin_set(&s->at, pfile_of(ld, sp ? sp->val->file : p->val->file), sp ? sp->line : p->line, sp ? sp->col : p->col,
				  field);
		if (r < 0)
			return r;
	}
	return 0;
}

static int build_project(struct hd_compose_loader *ld, struct hd_cn *root, const char *first_file)
{
	const struct hd_cn_pair *sp = hd_cn_pair_get(root, "services");
	struct hd_cn *services = sp ? sp->val : NULL;
	const char *name = hd_cn_str(hd_cn_get(root, "name"));
	struct ext_link chain[HD_MAX_EXTENDS_DEPTH + 1];
	uint32_t i;
	int r;

	if (name) {
		ld->proj->name = hd_strdup(name);
	} else {
		const char *slash = strrchr(ld->dir, '/');

		ld->proj->name = hd_strdup(slash && slash[1] ? slash + 1 : ld->dir);
	}
	if (!ld->proj->name)
		return -HD_ENOMEM;
	if (sp) {
		r = hd_origin_set(&ld->proj->at, pfile_of(ld, root->file), sp->line, sp->col, "services");
		if (r < 0)
			return r;
	} else if (first_file) {
		r = hd_origin_set(&ld->proj->at, pfile_of(ld, first_file), 1, 1, NULL);
		if (r < 0)
			return r;
	}
	r = add_networks(ld, hd_cn_get(root, "networks"));
	if (r < 0)
		return r;
	ld->volumes = hd_cn_get(root, "volumes");
	r = add_secrets(ld, hd_cn_get(root, "secrets"), false);
	if (r < 0)
		return r;
	r = add_secrets(ld, hd_cn_get(root, "configs"), true);
	if (r < 0)
		return r;
	if (!services || services->kind != HD_CN_MAP)
		return 0;
	for (i = 0; i < services->n; i++) {
		const struct hd_cn_pair *p = &services->pairs[i];
		struct hd_cn *svc = p->val;

		if (hd_starts_with(p->key, "x-"))
			continue;
		if (svc->kind == HD_CN_NULL) {
			/* `web:` with nothing under it: a service with every default. */
		} else if (svc->kind != HD_CN_MAP) {
			continue; /* reported by the validator */
		} else {
			r = resolve_service(ld, hd_cl_file_of(ld, svc->file) ? hd_cl_file_of(ld, svc->file)->path : svc->file,
					    services, p->key, svc, chain, 0, &svc);
			if (r < 0)
				return r;
		}
		r = hd_cl_service(ld, p, svc);
		if (r < 0)
			return r;
	}
	return 0;
}

/* The override files compose applies beside a canonically named file. */
static int find_override(struct hd_compose_loader *ld, const char *path, const char **ret)
{
	static const struct { const char *base, *over[2]; } pairs[] = {
		{ "compose.yaml", { "compose.override.yaml", "compose.override.yml" } },
		{ "compose.yml", { "compose.override.yml", "compose.override.yaml" } },
		{ "docker-compose.yaml", { "docker-compose.override.yaml", "docker-compose.override.yml" } },
		{ "docker-compose.yml", { "docker-compose.override.yml", "docker-compose.override.yaml" } },
	};
	const char *slash = strrchr(path, '/'), *base = slash ? slash + 1 : path;
	const char *dir = dir_of(ld, path);
	size_t i, j;

	*ret = NULL;
	if (!dir)
		return -HD_ENOMEM;
	for (i = 0; i < HD_ARRAY_SIZE(pairs); i++) {
		if (strcmp(base, pairs[i].base) != 0)
			continue;
		for (j = 0; j < 2; j++) {
			const char *o = slash ? hd_cl_join(ld, dir, pairs[i].over[j]) : pairs[i].over[j];

			if (!o)
				return -HD_ENOMEM;
			if (file_exists(ld, o)) {
				*ret = o;
				return 0;
			}
		}
	}
	return 0;
}

int hd_compose_load(const struct hd_compose_file *files, size_t n, const struct hd_compose_opts *opts,
		    struct hd_project **ret, struct hd_compose_issues *issues)
{
	static const struct hd_compose_opts defaults;
	struct hd_compose_loader ld;
	struct hd_cn *root = NULL;
	const char *override = NULL;
	size_t i;
	int r;

	*ret = NULL;
	memset(&ld, 0, sizeof(ld));
	hd_cn_ctx_init(&ld.cx, issues);
	ld.cx.lookup = hd_cl_lookup;
	ld.cx.lookup_ctx = &ld;
	ld.issues = issues;
	ld.opts = opts ? opts : &defaults;
	ld.proj = hd_project_new();
	if (!ld.proj)
		return -HD_ENOMEM;
	if (ld.opts->project_dir)
		ld.dir = hd_cn_strdup(&ld.cx, ld.opts->project_dir, strlen(ld.opts->project_dir));
	else
		ld.dir = n ? dir_of(&ld, files[0].path) : ".";
	if (!ld.dir || !(ld.proj->dir = hd_strdup(ld.dir))) {
		r = -HD_ENOMEM;
		goto out;
	}
	ld.root = ld.opts->root ? hd_cn_strdup(&ld.cx, ld.opts->root, strlen(ld.opts->root)) : ld.dir;
	if (!ld.root) {
		r = -HD_ENOMEM;
		goto out;
	}
	r = read_dotenv(&ld);
	if (r < 0)
		goto out;
	if (n == 1 && !ld.opts->no_override) {
		r = find_override(&ld, files[0].path, &override);
		if (r < 0)
			goto out;
	}
	for (i = 0; i < n + (override ? 1 : 0); i++) {
		struct hd_cn *one = NULL;

		if (i < n)
			r = load_file(&ld, files[i].path, files[i].data, files[i].len, ld.dir, &one);
		else
			r = load_file(&ld, override, NULL, 0, ld.dir, &one);
		if (r == -HD_ELOOP)
			r = 0;
		if (r < 0)
			goto out;
		root = merge(&ld, root, one, M_DEEP, 0);
		if (one && !root) {
			r = -HD_ENOMEM;
			goto out;
		}
	}
	if (root)
		r = build_project(&ld, root, n ? ld.files[0].path : NULL);
	else if (n && ld.n_files)
		r = hd_origin_set(&ld.proj->at, ld.files[0].pfile, 1, 1, NULL);
	/* The variables interpolation could use, for whoever masks secret values. */
	for (i = 0; r >= 0 && ld.opts->env && ld.opts->env[i]; i++) {
		const char *eq = strchr(ld.opts->env[i], '=');
		char name[256];

		if (!eq || (size_t)(eq - ld.opts->env[i]) >= sizeof(name))
			continue;
		snprintf(name, sizeof(name), "%.*s", (int)(eq - ld.opts->env[i]), ld.opts->env[i]);
		r = hd_kvs_add(&ld.proj->variables, name, eq + 1, NULL);
	}
	for (i = 0; r >= 0 && i < ld.n_vars; i++)
		r = hd_kvs_add(&ld.proj->variables, ld.vars[i].name, ld.vars[i].value, NULL);
out:
	hd_free(ld.vars);
	hd_free(ld.files);
	hd_cn_ctx_release(&ld.cx);
	if (r < 0) {
		hd_project_free(ld.proj);
		return r;
	}
	*ret = ld.proj;
	return 0;
}
