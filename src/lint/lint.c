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

/* A file's place in the pool: its findings once linted. */
struct slot {
	struct hd_findings f;
	bool done;
	bool skipped;
};

/*
 * Items linted ahead while the walk goes on, at most: their findings wait
 * for the walk's end (nothing is written before it, so that a walk that
 * fails writes nothing), and must not pile up without bound.
 */
#define LINT_AHEAD 4096
#define MAX_THREADS 64

struct hd_lint_pool {
	struct hd_walk *w;
	const struct hd_config *cfg;
	bool snippets;
	bool early;           /* threads start as the walk publishes files */
	unsigned jobs;
	pthread_t tids[MAX_THREADS];
	unsigned started;     /* threads running worker() (the pool's owner starts them) */
	struct hd_build_contexts *contexts;

	/* lock: what follows, and the walk's array while the walk goes on (walk.h). */
	pthread_mutex_t lock;
	pthread_cond_t cond;  /* items published, the walk's end, a pause lifted, an item done */
	struct slot *slots;   /* one per published item */
	size_t n_slots, alloc_slots;
	size_t next;          /* the next item to lint */
	size_t inflight;      /* items being linted */
	bool walking;         /* more items may be published */
	bool sources;         /* a published item may name build contexts (lint/context.h) */
	bool hold;            /* take no item for now */
	bool stop;            /* take no item any more */
	int err;

	/* emit_lock: calls of fn, in walk order, once the walk is over. */
	pthread_mutex_t emit_lock;
	size_t next_emit;
	hd_lint_file_fn *fn;
	void *ctx;
};

static void set_err(struct hd_lint_pool *p, int r)
{
	if (r < 0 && !p->err)
		p->err = r;
}

/*
 * Hands every finished file from next_emit on to fn, in walk order, and frees
 * its findings.  Whoever holds emit_lock does it; a thread that finds it held
 * leaves the work to the holder or to the final flush, so workers never wait
 * on each other.  Nothing is handed out before fn is set (the walk is over).
 */
static void flush(struct hd_lint_pool *p, bool wait)
{
	if (wait)
		pthread_mutex_lock(&p->emit_lock);
	else if (pthread_mutex_trylock(&p->emit_lock) != 0)
		return;
	while (p->fn) {
		struct hd_findings f;
		size_t i;
		int err;

		pthread_mutex_lock(&p->lock);
		i = p->next_emit;
		if (i >= p->n_slots || !p->slots[i].done) {
			pthread_mutex_unlock(&p->lock);
			break;
		}
		f = p->slots[i].f;
		hd_findings_init(&p->slots[i].f);
		p->next_emit++;
		err = p->err;
		pthread_mutex_unlock(&p->lock);
		if (err == 0) {
			int r = p->fn(p->ctx, i, &f);

			if (r < 0) {
				pthread_mutex_lock(&p->lock);
				set_err(p, r);
				pthread_mutex_unlock(&p->lock);
			}
		}
		hd_findings_release(&f);
	}
	pthread_mutex_unlock(&p->emit_lock);
}

/* Whether a worker may take item p->next now (p->lock held). */
static bool can_take(const struct hd_lint_pool *p)
{
	if (p->hold)
		return false;
	if (p->walking)
		return p->next < p->n_slots && p->next < LINT_AHEAD;
	return true;
}

static void *worker(void *arg)
{
	struct hd_lint_pool *p = arg;
	struct hd_buf b = HD_BUF_INIT(HD_MAX_FILE_SIZE);
	/* The thread's own: messages repeat from file to file (lint/mask.h). */
	struct hd_mask_cache *cache = hd_mask_cache_new();

	pthread_mutex_lock(&p->lock);
	for (;;) {
		struct hd_walk_item it;
		struct hd_findings f;
		size_t i;
		int r;

		while (!p->stop && !can_take(p))
			pthread_cond_wait(&p->cond, &p->lock);
		if (p->stop || p->next >= p->n_slots)
			break;
		i = p->next++;
		/* A copy: the walk may move its array meanwhile. */
		it = p->w->v[i];
		p->inflight++;
		pthread_mutex_unlock(&p->lock);

		hd_findings_init(&f);
		r = lint_item(&it, &b, it.cfg ? it.cfg : p->cfg, p->snippets, cache, &f);
		/* Keep a large buffer from one big file from pinning memory. */
		if (b.alloc > 4u * 1024 * 1024)
			hd_buf_release(&b);
		else
			hd_buf_reset(&b);

		pthread_mutex_lock(&p->lock);
		set_err(p, r);
		p->slots[i].f = f;
		p->slots[i].done = true;
		p->slots[i].skipped = it.skipped;
		if (--p->inflight == 0)
			pthread_cond_broadcast(&p->cond);
		pthread_mutex_unlock(&p->lock);
		flush(p, false);
		pthread_mutex_lock(&p->lock);
	}
	pthread_mutex_unlock(&p->lock);
	hd_mask_cache_free(cache);
	hd_buf_release(&b);
	return NULL;
}

/* Starts threads until jobs - 1 run (the thread that finishes the pool works too). */
static void start_threads(struct hd_lint_pool *p, unsigned want)
{
	while (p->started + 1 < want) {
		if (pthread_create(&p->tids[p->started], NULL, worker, p) != 0)
			break;
		p->started++;
	}
}

/* The walk's hook (walk.h): items [n_slots, n) are complete. */
static void pool_published(void *ctx, size_t n)
{
	struct hd_lint_pool *p = ctx;

	pthread_mutex_lock(&p->lock);
	if (n > p->n_slots) {
		if (HD_GROW(p->slots, p->alloc_slots, n) < 0) {
			set_err(p, -HD_ENOMEM);
			p->stop = true;
		} else {
			for (size_t k = p->n_slots; k < n; k++) {
				memset(&p->slots[k], 0, sizeof(p->slots[k]));
				hd_findings_init(&p->slots[k].f);
				if (!p->sources && hd_build_contexts_source(&p->w->v[k]))
					p->sources = true;
			}
			p->n_slots = n;
		}
	}
	/*
	 * A compose file or script may name the build context of a Dockerfile
	 * linted already: linting waits for the walk's end, then starts over
	 * with the contexts known.
	 */
	if (p->sources && p->walking)
		p->hold = true;
	pthread_cond_broadcast(&p->cond);
	n = p->n_slots;
	pthread_mutex_unlock(&p->lock);
	/* Linting early: a thread per published file, up to jobs - 1 (a walk of one file starts one). */
	if (p->early)
		start_threads(p, n < p->jobs ? (unsigned)n + 1 : p->jobs);
}

static unsigned resolve_jobs(unsigned jobs)
{
	if (jobs == 0) {
		long n = sysconf(_SC_NPROCESSORS_ONLN);

		jobs = n > 0 ? (unsigned)n : 1;
	}
	return jobs > MAX_THREADS ? MAX_THREADS : jobs;
}

int hd_lint_pool_start(struct hd_walk *w, const struct hd_config *cfg, unsigned jobs, bool snippets, bool early,
		       struct hd_lint_pool **ret)
{
	struct hd_lint_pool *p = hd_calloc(1, sizeof(*p));

	*ret = NULL;
	if (!p)
		return -HD_ENOMEM;
	p->contexts = hd_build_contexts_new();
	if (!p->contexts) {
		hd_free(p);
		return -HD_ENOMEM;
	}
	p->w = w;
	p->cfg = cfg;
	p->snippets = snippets;
	p->jobs = resolve_jobs(jobs);
	p->walking = true;
	pthread_mutex_init(&p->lock, NULL);
	pthread_cond_init(&p->cond, NULL);
	pthread_mutex_init(&p->emit_lock, NULL);
	/* Build contexts for .dockerignore: none known until the walk is over (lint/context.h). */
	hd_build_contexts_set_current(p->contexts);
	w->lock = &p->lock;
	w->published = pool_published;
	w->published_ctx = p;
	p->early = early;
	pool_published(p, w->n);
	*ret = p;
	return 0;
}

/* Stops and frees the pool; the walk is left as it is. */
static void pool_free(struct hd_lint_pool *p)
{
	pthread_mutex_lock(&p->lock);
	p->stop = true;
	pthread_cond_broadcast(&p->cond);
	pthread_mutex_unlock(&p->lock);
	for (unsigned i = 0; i < p->started; i++)
		pthread_join(p->tids[i], NULL);
	for (size_t k = 0; k < p->n_slots; k++)
		hd_findings_release(&p->slots[k].f);
	hd_free(p->slots);
	p->w->lock = NULL;
	p->w->published = NULL;
	p->w->published_ctx = NULL;
	pthread_mutex_destroy(&p->lock);
	pthread_cond_destroy(&p->cond);
	pthread_mutex_destroy(&p->emit_lock);
	hd_build_contexts_set_current(NULL);
	hd_build_contexts_free(p->contexts);
	hd_free(p);
}

size_t hd_lint_pool_linted(struct hd_lint_pool *p)
{
	size_t n = 0;

	pthread_mutex_lock(&p->lock);
	for (size_t k = 0; k < p->n_slots; k++)
		n += p->slots[k].done;
	pthread_mutex_unlock(&p->lock);
	return n;
}

void hd_lint_pool_abort(struct hd_lint_pool *p)
{
	if (p)
		pool_free(p);
}

int hd_lint_pool_finish(struct hd_lint_pool *p, hd_lint_file_fn *fn, void *ctx)
{
	int r;

	p->early = false;
	pool_published(p, p->w->n);
	pthread_mutex_lock(&p->lock);
	p->walking = false;
	if (p->sources) {
		/* Start over with the build contexts the walk's compose files and scripts name. */
		struct hd_build_contexts *bc;

		p->hold = true;
		while (p->inflight)
			pthread_cond_wait(&p->cond, &p->lock);
		for (size_t k = 0; k < p->next; k++) {
			hd_findings_release(&p->slots[k].f);
			hd_findings_init(&p->slots[k].f);
			p->slots[k].done = p->slots[k].skipped = false;
		}
		p->next = 0;
		pthread_mutex_unlock(&p->lock);
		bc = hd_build_contexts_scan(p->w);
		pthread_mutex_lock(&p->lock);
		if (bc) {
			hd_build_contexts_set_current(bc);
			hd_build_contexts_free(p->contexts);
			p->contexts = bc;
		} else {
			set_err(p, -HD_ENOMEM);
			p->stop = true;
		}
	}
	p->hold = false;
	pthread_cond_broadcast(&p->cond);
	pthread_mutex_unlock(&p->lock);
	pthread_mutex_lock(&p->emit_lock);
	p->fn = fn;
	p->ctx = ctx;
	pthread_mutex_unlock(&p->emit_lock);
	start_threads(p, p->n_slots < p->jobs ? (unsigned)p->n_slots : p->jobs);
	flush(p, true);
	worker(p);
	for (unsigned i = 0; i < p->started; i++)
		pthread_join(p->tids[i], NULL);
	p->started = 0;
	flush(p, true);
	/* What the lint told of files picked by their name (hd_walk_linted). */
	for (size_t k = 0; k < p->n_slots; k++)
		p->w->v[k].skipped = p->slots[k].skipped;
	r = p->err;
	pool_free(p);
	return r;
}

int hd_lint_run_each(struct hd_walk *w, const struct hd_config *cfg, unsigned jobs,
		     bool snippets, hd_lint_file_fn *fn, void *ctx)
{
	struct hd_lint_pool *p;
	int r;

	if (!w->n)
		return 0;
	r = hd_lint_pool_start(w, cfg, jobs, snippets, false, &p);
	return r < 0 ? r : hd_lint_pool_finish(p, fn, ctx);
}
