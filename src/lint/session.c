/*
 * The lint session (see session.h): inputs to walk items, standard input's
 * name and kind, the merged compose project, unreadable directories, then
 * the lint pool, with every input's findings sorted and counted on their
 * way to the caller.
 */
#include "core/common.h"
#include "lint/lint_compose.h"
#include "lint/session.h"
#include "lint/walk.h"

#include <limits.h>
#include <unistd.h>

/* A reported place of a file: rule, line and column. */
struct place {
	const struct hd_rule *rule;
	uint32_t line, col;
};

/* A file named by reported places, with those places in the order they were reported. */
struct file_places {
	char *name;
	struct place *v;
	size_t n, alloc;
	size_t sorted;   /* v[0..sorted) is sorted (place_cmp) */
	size_t before;   /* how many there were when the group being delivered began */
	uint64_t group;  /* the group `before` was taken in */
};

struct run {
	const struct hd_lint_opts *o;
	const struct hd_lint_sink *sink;
	struct hd_run_status *st;
	const struct hd_walk *w;
	/*
	 * Findings located in another file than the one linted (an env_file, an
	 * included compose file): several files may name that one, so they are
	 * kept until the end and reported once per place.
	 */
	struct hd_findings elsewhere;
	/*
	 * The places already reported, by file.  A file is mostly reported
	 * once, in one group: its places are then only appended; they are
	 * sorted and searched when a later group names the file again.
	 */
	struct file_places *files;
	size_t n_files, alloc_files;
	uint32_t *file_slots; /* open addressing of indexes + 1; 0 = free */
	size_t cap_file_slots;
	uint32_t last_file;   /* the previous finding's file, the likely next one */
	uint64_t group;       /* groups delivered so far */
};

static uint64_t hash_str(const char *s)
{
	uint64_t h = 1469598103934665603u;

	while (*s)
		h = (h ^ (unsigned char)*s++) * 1099511628211u;
	return h;
}

/* The index of file among the reported files (added when new), or -HD_ENOMEM. */
static int64_t file_id(struct run *run, const char *file)
{
	uint64_t h;
	size_t i, mask;
	char *copy;

	if (run->n_files && strcmp(run->files[run->last_file].name, file) == 0)
		return run->last_file;
	if ((run->n_files + 1) * 2 > run->cap_file_slots) {
		size_t cap = run->cap_file_slots ? run->cap_file_slots * 2 : 64, k;
		uint32_t *slots = hd_calloc(cap, sizeof(*slots));

		if (!slots)
			return -HD_ENOMEM;
		for (k = 0; k < run->n_files; k++) {
			for (i = hash_str(run->files[k].name) & (cap - 1); slots[i]; i = (i + 1) & (cap - 1))
				;
			slots[i] = (uint32_t)k + 1;
		}
		hd_free(run->file_slots);
		run->file_slots = slots;
		run->cap_file_slots = cap;
	}
	h = hash_str(file);
	mask = run->cap_file_slots - 1;
	for (i = h & mask; run->file_slots[i]; i = (i + 1) & mask) {
		uint32_t k = run->file_slots[i] - 1;

		if (strcmp(run->files[k].name, file) == 0)
			return run->last_file = k;
	}
	if (run->n_files >= UINT32_MAX - 1 || HD_GROW(run->files, run->alloc_files, run->n_files + 1) < 0 ||
	    !(copy = hd_strdup(file)))
		return -HD_ENOMEM;
	memset(&run->files[run->n_files], 0, sizeof(run->files[run->n_files]));
	run->files[run->n_files].name = copy;
	run->files[run->n_files].group = UINT64_MAX;
	run->file_slots[i] = (uint32_t)run->n_files + 1;
	return run->last_file = (uint32_t)run->n_files++;
}

static int place_cmp(const void *pa, const void *pb)
{
	const struct place *a = pa, *b = pb;

	if (a->rule != b->rule)
		return (uintptr_t)a->rule < (uintptr_t)b->rule ? -1 : 1;
	if (a->line != b->line)
		return a->line < b->line ? -1 : 1;
	return a->col < b->col ? -1 : a->col > b->col;
}

/* Records a finding's place; 1 when it was reported already (by an earlier group), 0 when new, or -HD_ENOMEM. */
static int seen_place(struct run *run, const struct hd_finding *x)
{
	struct file_places *fp;
	struct place p;
	int64_t id;

	if (!x->file || !x->line)
		return 0;
	id = file_id(run, x->file);
	if (id < 0)
		return (int)id;
	fp = &run->files[id];
	p.rule = x->rule;
	p.line = x->line;
	p.col = x->col;
	if (fp->group != run->group) {
		fp->group = run->group;
		fp->before = fp->n;
	}
	/* Named by an earlier group: looked for among that group's places (a group has no place twice). */
	if (fp->before) {
		if (fp->sorted < fp->before) {
			qsort(fp->v, fp->before, sizeof(*fp->v), place_cmp);
			fp->sorted = fp->before;
		}
		if (bsearch(&p, fp->v, fp->before, sizeof(*fp->v), place_cmp))
			return 1;
	}
	if (HD_GROW(fp->v, fp->alloc, fp->n + 1) < 0)
		return -HD_ENOMEM;
	fp->v[fp->n++] = p;
	return 0;
}

static void run_release(struct run *run)
{
	size_t i;

	for (i = 0; i < run->n_files; i++) {
		hd_free(run->files[i].name);
		hd_free(run->files[i].v);
	}
	hd_free(run->files);
	hd_free(run->file_slots);
	hd_findings_release(&run->elsewhere);
}

static int below_min(const struct hd_finding *x, void *ctx)
{
	const struct hd_lint_opts *o = ctx;

	return x->severity < o->min_severity;
}

/*
 * Every group of findings goes out through here: the same rule at the same
 * place merged into one (listing every object), sorted, counted, handed on.
 */
static int deliver(struct run *run, struct hd_findings *f)
{
	size_t i, k = 0;
	int r;

	if (!f->n)
		return 0;
	r = hd_findings_merge_same_place(f);
	if (r < 0)
		return r;
	/* A place reported before (a file linted on its own and included by another) is not again. */
	run->group++;
	for (i = 0; i < f->n; i++) {
		r = seen_place(run, &f->v[i]);
		if (r < 0)
			return r;
		if (!r)
			f->v[k++] = f->v[i];
	}
	f->n = k;
	if (!f->n)
		return 0;
	hd_findings_sort(f);
	/* Fingerprints and the baseline see every finding, whatever is shown. */
	if (run->o->fingerprints || run->o->record || run->o->known) {
		r = hd_findings_fingerprint(f);
		if (r < 0)
			return r;
	}
	if (run->o->record) {
		r = hd_baseline_record(run->o->record, f);
		if (r < 0)
			return r;
	}
	if (run->o->min_severity > HD_SEV_NONE)
		hd_findings_remove_if(f, below_min, (void *)run->o);
	if (run->o->known)
		hd_baseline_filter(run->o->known, f);
	if (!f->n)
		return 0;
	hd_run_status_count(run->st, f);
	return run->sink->findings(run->sink->ctx, f);
}

static int pool_file(void *ctx, size_t index, struct hd_findings *f)
{
	struct run *run = ctx;
	const struct hd_walk_item *it = &run->w->v[index];
	const char *own = it->display ? it->display : it->path;
	size_t i, k = 0;
	int r;

	/* What lies in other files waits for the end, to be merged with what other files say of it. */
	for (i = 0; i < f->n; i++) {
		if (f->v[i].file && strcmp(f->v[i].file, own) != 0) {
			r = hd_findings_add_copy(&run->elsewhere, &f->v[i]);
			if (r < 0)
				return r;
			continue;
		}
		f->v[k++] = f->v[i];
	}
	f->n = k;
	return deliver(run, f);
}

/*
 * --merge: the compose files named on the command line are linted as one
 * project, into out, and taken off the walk.  *n_merged: how many.
 */
static int lint_merged(struct hd_walk *w, const struct hd_config *cfg, struct hd_findings *out,
		       size_t *n_merged)
{
	const char **files = hd_calloc(w->n + 1, sizeof(*files));
	const char *root = NULL;
	size_t n = 0, k = 0, i;
	int r;

	if (!files)
		return -HD_ENOMEM;
	for (i = 0; i < w->n; i++) {
		struct hd_walk_item *it = &w->v[i];

		if (it->is_explicit && !it->kind && strcmp(it->path, "-") != 0) {
			it->kind = hd_lint_detect_path(it->path);
			it->forced = it->kind != NULL; /* told from its content already */
		}
		if (it->is_explicit && it->kind && !strcmp(it->kind->name, "compose")) {
			if (!n) {
				/* The project's tree and configuration are the first file's. */
				root = it->root;
				if (it->cfg)
					cfg = it->cfg;
			}
			files[n++] = it->path;
		}
	}
	r = n ? hd_lint_compose_files(files, n, root, cfg, out) : 0;
	hd_free(files);
	if (r < 0)
		return r;
	*n_merged = n;
	/* The merged files are done; the rest is linted as usual. */
	for (i = 0; i < w->n; i++) {
		struct hd_walk_item *it = &w->v[i];

		if (it->is_explicit && it->kind && !strcmp(it->kind->name, "compose")) {
			hd_free(it->path);
			hd_free(it->display);
			continue;
		}
		w->v[k++] = *it;
	}
	w->n = k;
	return 0;
}

/* Whether findings get their source line: a fingerprint is of the flagged line, so it needs the lines. */
#define SNIPPETS(o) ((o)->snippets || (o)->fingerprints || (o)->record || (o)->known)

struct hd_lint_session {
	const struct hd_lint_opts *o;
	struct hd_walk w;
	struct hd_lint_pool *pool; /* started before the walk: files are linted while it goes on */
};

int hd_lint_session_open(const struct hd_lint_opts *o, const char *const *paths, size_t n,
			 struct hd_lint_session **ret, char **reterr)
{
	static const char *const here[] = { "." };
	struct hd_lint_session *s;
	size_t i;
	int r = 0;

	*reterr = NULL;
	s = hd_calloc(1, sizeof(*s));
	if (!s)
		return -HD_ENOMEM;
	s->o = o;
	hd_walk_init(&s->w);
	if (o->tree)
		hd_walk_set_config(&s->w, o->tree, o->cli);
	if (!n) {
		paths = here;
		n = 1;
	}
	/*
	 * Files are linted while the walk goes on, on the other cores, unless
	 * the walk is changed after it (--merge takes compose files off it,
	 * standard input gets its name) or there is one core to lint on.
	 */
	{
		bool early = !o->merge && o->jobs != 1;

		for (i = 0; i < n && early; i++)
			early = strcmp(paths[i], "-") != 0;
		if (early) {
			r = hd_lint_pool_start(&s->w, o->cfg, o->jobs, SNIPPETS(o), true, &s->pool);
			if (r < 0)
				goto out;
		}
	}
	for (i = 0; i < n; i++) {
		struct hd_walk *w = &s->w;

		r = hd_walk_add(w, paths[i], o->kind);
		if (r >= 0)
			hd_walk_publish(w);
		if (r == -HD_EPARSE && w->diag.msg) {
			/* A configuration file found on the way is wrong: named as from here. */
			const char *file = w->diag.file ? w->diag.file : paths[i];
			char cwd[PATH_MAX];
			size_t cl;

			if (getcwd(cwd, sizeof(cwd)) && (cl = strlen(cwd)) > 1 && strncmp(file, cwd, cl) == 0 &&
			    file[cl] == '/')
				file += cl + 1;
			*reterr = hd_asprintf("%s:%u:%u: %s", file, w->diag.line, w->diag.col, w->diag.msg);
			goto out;
		}
		if (r < 0) {
			*reterr = hd_asprintf("cannot lint '%s': %s", paths[i], hd_strerror(r));
			goto out;
		}
		if (o->stdin_name && !strcmp(paths[i], "-")) {
			/* Standard input is reported, and its kind told (with its content), by the given name. */
			w->v[w->n - 1].display = hd_strdup(o->stdin_name);
			if (!w->v[w->n - 1].display) {
				r = -HD_ENOMEM;
				goto out;
			}
		}
	}
out:
	if (r < 0) {
		if (!*reterr)
			*reterr = hd_asprintf("cannot lint: %s", hd_strerror(r));
		hd_lint_session_free(s);
		return r;
	}
	*ret = s;
	return 0;
}

void hd_lint_session_free(struct hd_lint_session *s)
{
	if (!s)
		return;
	hd_lint_pool_abort(s->pool);
	hd_walk_release(&s->w);
	hd_free(s);
}

int hd_lint_session_run(struct hd_lint_session *s, const struct hd_lint_sink *sink,
			struct hd_run_status *st, char **reterr)
{
	const struct hd_lint_opts *o = s->o;
	struct run run = { .o = o, .sink = sink, .st = st, .w = &s->w };
	struct hd_walk *w = &s->w;
	struct hd_findings f;
	size_t i, merged = 0;
	int r = 0;

	*reterr = NULL;
	hd_findings_init(&f);
	if (o->merge) {
		r = lint_merged(w, o->cfg, &f, &merged);
		if (r < 0)
			goto out;
	}
	for (i = 0; i < w->n_errors; i++) {
		struct hd_loc loc = { .file = w->errors[i].path };

		r = hd_report_rule(&f, &hd_rule_lint_read_error, o->cfg, &loc, "cannot read directory '%s': %s",
				   w->errors[i].path, w->errors[i].reason);
		if (r < 0)
			goto out;
	}
	r = deliver(&run, &f);
	if (r < 0)
		goto out;
	if (s->pool) {
		r = hd_lint_pool_finish(s->pool, pool_file, &run);
		s->pool = NULL;
	} else {
		r = hd_lint_run_each(w, o->cfg, o->jobs, SNIPPETS(o), pool_file, &run);
	}
	if (r >= 0)
		r = deliver(&run, &run.elsewhere);
	/* Files picked by name whose content showed otherwise were not linted. */
	st->files += hd_walk_linted(w) + merged;
out:
	if (r < 0) {
		st->failed = true;
		*reterr = hd_asprintf("lint failed: %s", hd_strerror(r));
	}
	hd_findings_release(&f);
	run_release(&run);
	return r;
}
