/*
 * The lint driver: the table of lintable file kinds, detection by name and
 * content, linting one path (reading errors become findings, source lines are
 * attached for the text report), and linting many files on all cores.
 */
#include "core/common.h"
#include "core/buf.h"
#include "core/confine.h"
#include "lint/context.h"
#include "lint/lint.h"
#include "lint/lint_compose.h"
#include "lint/lint_scripts.h"
#include "lint/mask.h"
#include "lint/walk.h"

#include <pthread.h>
#include <stdatomic.h>
#include <unistd.h>

/*
 * The kinds, most specific first: CI files before compose (a .gitlab-ci.yml
 * has a top-level services: key too), a file named like a compose file is
 * never taken for a Dockerfile.  A file no kind claims is not linted: the
 * walk leaves it out, and one named on the command line is reported as
 * lint/unknown-kind.
 */
const struct hd_lint_kind hd_lint_kinds[] = {
	{ "github-actions", hd_lint_kind_script_github_detect, hd_lint_kind_script_github_lint },
	{ "gitlab-ci", hd_lint_kind_script_gitlab_detect, hd_lint_kind_script_gitlab_lint },
	{ "compose", hd_lint_detect_compose, hd_lint_compose },
	{ "systemd", hd_lint_kind_script_systemd_detect, hd_lint_kind_script_systemd_lint },
	{ "makefile", hd_lint_kind_script_make_detect, hd_lint_kind_script_make_lint },
	{ "markdown", hd_lint_kind_script_markdown_detect, hd_lint_kind_script_markdown_lint },
	{ "shell", hd_lint_kind_script_shell_detect, hd_lint_kind_script_shell_lint },
	{ "dockerfile", hd_lint_detect_dockerfile, hd_lint_dockerfile },
};
const size_t hd_lint_kind_count = HD_ARRAY_SIZE(hd_lint_kinds);

const struct hd_lint_kind *hd_lint_kind_find(const char *name)
{
	size_t i;

	for (i = 0; i < hd_lint_kind_count; i++) {
		if (strcmp(hd_lint_kinds[i].name, name) == 0)
			return &hd_lint_kinds[i];
	}
	return NULL;
}

const struct hd_lint_kind *hd_lint_detect(const char *path, const char *head, size_t head_len,
					  bool is_explicit)
{
	const char *base = strrchr(path, '/');
	size_t i;

	base = base ? base + 1 : path;
	for (i = 0; i < hd_lint_kind_count; i++) {
		if (hd_lint_kinds[i].detect(path, base, head, head_len, is_explicit))
			return &hd_lint_kinds[i];
	}
	return NULL;
}

/* Copies line `line` of data (1-based) into a new string, capped at 240 bytes. */
static char *line_snippet(struct hd_findings *f, const char *data, size_t len, const size_t *starts,
			  size_t n_lines, uint32_t line)
{
	size_t s, e;

	if (line == 0 || line > n_lines)
		return NULL;
	s = starts[line - 1];
	e = s;
	while (e < len && data[e] != '\n' && e - s < 240)
		e++;
	if (e > s && data[e - 1] == '\r')
		e--;
	return hd_findings_strndup(f, data + s, e - s);
}

/* Attaches the lines of data to the findings f->v[from..) located in `file`. */
static int attach_lines(const char *file, const char *data, size_t len, struct hd_findings *f, size_t from)
{
	size_t *starts = NULL, n = 0, alloc = 0, i;
	uint32_t maxline = 0;

	for (i = from; i < f->n; i++) {
		if (f->v[i].line > maxline && f->v[i].file && strcmp(f->v[i].file, file) == 0)
			maxline = f->v[i].line;
	}
	if (!maxline)
		return 0;
	/* Line starts up to the last line any finding needs. */
	if (HD_GROW(starts, alloc, 1) < 0)
		return -HD_ENOMEM;
	starts[n++] = 0;
	for (i = 0; i < len && n < maxline;) {
		const char *nl = memchr(data + i, '\n', len - i);

		if (!nl)
			break;
		if (HD_GROW(starts, alloc, n + 1) < 0) {
			hd_free(starts);
			return -HD_ENOMEM;
		}
		i = (size_t)(nl - data) + 1;
		starts[n++] = i;
	}
	for (i = from; i < f->n; i++) {
		if (!f->v[i].snippet && f->v[i].line && f->v[i].file && strcmp(f->v[i].file, file) == 0)
			f->v[i].snippet = line_snippet(f, data, len, starts, n, f->v[i].line);
	}
	hd_free(starts);
	return 0;
}

/*
 * Attaches to each finding of f->v[from..) the line it points at, from the
 * file it is in: the linted file's own data, or another file of the project
 * (an env_file, an included compose file), read again inside root.
 */
static int attach_snippets(const char *name, const char *data, size_t len, const char *root,
			   struct hd_findings *f, size_t from)
{
	size_t i, j;
	int r;

	r = attach_lines(name, data, len, f, from);
	for (i = from; r >= 0 && i < f->n; i++) {
		struct hd_buf other = HD_BUF_INIT(HD_MAX_FILE_SIZE);
		const char *file = f->v[i].file;
		bool done = false;

		if (f->v[i].snippet || !f->v[i].line || !file || !root || strcmp(file, name) == 0)
			continue;
		for (j = from; j < i && !done; j++)
			done = f->v[j].file && strcmp(f->v[j].file, file) == 0;
		if (done)
			continue; /* that file's lines were attached with the first of its findings */
		if (hd_confine_read(root, file, &other) == 0)
			r = attach_lines(file, other.buf, other.len, f, i);
		hd_buf_release(&other);
	}
	return r;
}

/* Reads item `it` into b, tells its kind and lints it. */
static int lint_item(struct hd_walk_item *it, struct hd_buf *b, const struct hd_config *cfg, bool snippets,
		     struct hd_mask_cache *cache, struct hd_findings *out)
{
	const char *name = it->display ? it->display : it->path, *base;
	const struct hd_lint_kind *k = it->kind;
	struct hd_loc loc = { .file = name };
	struct hd_lint_input in;
	struct hd_strlist secrets = { 0 };
	size_t before = out->n;
	int r;

	/*
	 * Standard input as it comes; a file named on the command line as
	 * given, if it is a regular file; a walked file only inside its tree.
	 */
	if (strcmp(it->path, "-") == 0)
		r = hd_buf_read_file(b, "-");
	else if (it->is_explicit)
		r = hd_read_regular(it->path, b);
	else
		r = hd_confine_read(it->root, it->path, b);
	if (r < 0) {
		if (r == -HD_ENOMEM)
			return r;
		return hd_report_rule(out, &hd_rule_lint_read_error, cfg, &loc, "cannot read '%s': %s",
				       name, r == -HD_EINVAL ? "is a directory" : hd_strerror(r));
	}
	base = strrchr(name, '/');
	base = base ? base + 1 : name;
	if (it->forced) {
		/* --kind: no question asked. */
	} else if (!it->is_explicit) {
		/* Picked by its name: its content must agree (dockerfile.js is not a Dockerfile). */
		if (!k->detect(name, base, b->buf, b->len, false)) {
			it->skipped = true;
			return 0;
		}
	} else {
		k = hd_lint_detect(name, b->buf, b->len, true);
		if (!k)
			return hd_report_rule(out, &hd_rule_lint_unknown_kind, cfg, &loc,
					      "'%s' is neither a Dockerfile nor a compose file (nor a script, Makefile, "
					      "workflow or Markdown file): not linted; use --kind to lint it as one",
					      name);
	}
	in.path = name;
	in.data = b->buf;
	in.len = b->len;
	in.root = it->root;
	in.cfg = cfg;
	in.beside_ignore = it->beside_ignore;
	in.secrets = &secrets;
	r = k->lint(&in, out);
	if (r >= 0 && snippets)
		r = attach_snippets(name, b->buf, b->len, it->root, out, before);
	/* Nothing leaves here with a secret value in it (lint/mask.h). */
	if (r >= 0)
		r = hd_mask_findings(out, before, &secrets, cache);
	hd_strlist_release(&secrets);
	return r;
}

struct pool {
	struct hd_walk *w;
	const struct hd_config *cfg;
	bool snippets;
	struct hd_findings *per_file;
	atomic_bool *done;       /* per file: linted, findings ready */
	atomic_size_t next;      /* next file to lint */
	size_t next_emit;        /* next file to hand to fn, in walk order (emit_lock) */
	atomic_int err;
	hd_lint_file_fn *fn;
	void *ctx;
	pthread_mutex_t emit_lock; /* next_emit and calls of fn */
};

static void set_err(struct pool *p, int r)
{
	int zero = 0;

	if (r < 0)
		atomic_compare_exchange_strong(&p->err, &zero, r);
}

/*
 * Hands every finished file from next_emit on to fn, in walk order, and frees
 * its findings.  Whoever holds emit_lock does it; a thread that finds it held
 * leaves the work to the holder or to the final flush, so workers never wait
 * on each other.
 */
static void flush(struct pool *p, bool wait)
{
	if (wait)
		pthread_mutex_lock(&p->emit_lock);
	else if (pthread_mutex_trylock(&p->emit_lock) != 0)
		return;
	while (p->next_emit < p->w->n && atomic_load(&p->done[p->next_emit])) {
		size_t i = p->next_emit++;

		if (atomic_load(&p->err) == 0)
			set_err(p, p->fn(p->ctx, i, &p->per_file[i]));
		hd_findings_release(&p->per_file[i]);
	}
	pthread_mutex_unlock(&p->emit_lock);
}

static void *worker(void *arg)
{
	struct pool *p = arg;
	struct hd_buf b = HD_BUF_INIT(HD_MAX_FILE_SIZE);
	/* The thread's own: messages repeat from file to file (lint/mask.h). */
	struct hd_mask_cache *cache = hd_mask_cache_new();
	size_t i;

	while ((i = atomic_fetch_add(&p->next, 1)) < p->w->n) {
		const struct hd_config *cfg = p->w->v[i].cfg ? p->w->v[i].cfg : p->cfg;

		set_err(p, lint_item(&p->w->v[i], &b, cfg, p->snippets, cache, &p->per_file[i]));
		/* Keep a large buffer from one big file from pinning memory. */
		if (b.alloc > 4u * 1024 * 1024)
			hd_buf_release(&b);
		else
			hd_buf_reset(&b);
		atomic_store(&p->done[i], true);
		flush(p, false);
	}
	hd_mask_cache_free(cache);
	hd_buf_release(&b);
	return NULL;
}

int hd_lint_run_each(struct hd_walk *w, const struct hd_config *cfg, unsigned jobs,
		     bool snippets, hd_lint_file_fn *fn, void *ctx)
{
	struct pool p = { .w = w, .cfg = cfg, .snippets = snippets, .fn = fn, .ctx = ctx };
	pthread_t tids[64];
	unsigned i, started = 0;
	struct hd_build_contexts *contexts;
	size_t k;

	if (!w->n)
		return 0;
	/* Build contexts for .dockerignore, from the run's compose files and build lines (lint/context.h). */
	contexts = hd_build_contexts_scan(w);
	hd_build_contexts_set_current(contexts);
	atomic_init(&p.next, 0);
	atomic_init(&p.err, 0);
	p.per_file = hd_calloc(w->n, sizeof(*p.per_file));
	p.done = hd_calloc(w->n, sizeof(*p.done));
	if (!p.per_file || !p.done) {
		hd_free(p.per_file);
		hd_free(p.done);
		hd_build_contexts_set_current(NULL);
		hd_build_contexts_free(contexts);
		return -HD_ENOMEM;
	}
	for (k = 0; k < w->n; k++)
		atomic_init(&p.done[k], false);
	pthread_mutex_init(&p.emit_lock, NULL);
	if (jobs == 0) {
		long n = sysconf(_SC_NPROCESSORS_ONLN);
		jobs = n > 0 ? (unsigned)n : 1;
	}
	if (jobs > HD_ARRAY_SIZE(tids))
		jobs = HD_ARRAY_SIZE(tids);
	if (jobs > w->n)
		jobs = (unsigned)w->n;
	/* The calling thread works too, so one job means no thread at all. */
	for (i = 1; i < jobs; i++) {
		if (pthread_create(&tids[started], NULL, worker, &p) == 0)
			started++;
	}
	worker(&p);
	for (i = 0; i < started; i++)
		pthread_join(tids[i], NULL);
	flush(&p, true);
	pthread_mutex_destroy(&p.emit_lock);
	for (k = 0; k < w->n; k++)
		hd_findings_release(&p.per_file[k]);
	hd_free(p.per_file);
	hd_free(p.done);
	hd_build_contexts_set_current(NULL);
	hd_build_contexts_free(contexts);
	return atomic_load(&p.err);
}
