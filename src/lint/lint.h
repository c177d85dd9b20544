/*
 * The lint driver: which files are lintable and how each kind is linted.
 *
 * hd_lint_kinds[] is the one table of file kinds (Dockerfile now; compose,
 * shell scripts, Makefiles, CI YAML, Markdown later).  A directory walk asks
 * each kind's detect() in order; the first match wins.  lint() parses the file
 * into the model, runs the rules of the matching targets and applies the
 * file's inline suppressions.  It never prints.
 */
#ifndef HD_LINT_H
#define HD_LINT_H

#include <stdbool.h>
#include <stddef.h>

#include "core/config.h"
#include "core/finding.h"

/* One file to lint, as a kind's lint() sees it. */
struct hd_lint_input {
	const char *path;            /* the name findings carry ("-" or --stdin-filename for stdin) */
	const char *data;            /* the content, NUL-terminated */
	size_t len;
	/*
	 * The linted tree (core/confine.h): the files this one names (env_file,
	 * include, .env, ...) are read only inside it.  NULL: no other file is
	 * read at all (standard input).
	 */
	const char *root;
	const struct hd_config *cfg; /* the configuration that applies to this file */
	/* A .dockerignore beside the file, known from the walk: 1 yes, -1 no, 0 not known (look). */
	signed char beside_ignore;
	/*
	 * Where a kind adds the values it saw set for secret variables (.env,
	 * environment:, env files, -e NAME=...; lint/mask.h), which the driver
	 * masks wherever they appear in the findings; may be NULL.
	 */
	struct hd_strlist *secrets;
};

struct hd_lint_kind {
	const char *name; /* "dockerfile", "compose", "script", ... */
	/*
	 * Recognises the kind from the path, its base name and the content
	 * (head[0..head_len), NUL-terminated; NULL when the content was not read
	 * yet: the walk selects candidates by name, and each candidate is asked
	 * again with its content once read).  `is_explicit` is true when the
	 * user named the file on the command line.  path "-" is standard input,
	 * which has no name: its content alone decides.
	 */
	bool (*detect)(const char *path, const char *base, const char *head, size_t head_len,
		       bool is_explicit);
	/*
	 * Lints one file.  Parse errors become findings of the kind's
	 * parse-error rule.  Returns 0, or a negative HD_E* for failures that
	 * are not the input's fault (OOM).
	 */
	int (*lint)(const struct hd_lint_input *in, struct hd_findings *out);
};

extern const struct hd_lint_kind hd_lint_kinds[];
extern const size_t hd_lint_kind_count;

const struct hd_lint_kind *hd_lint_kind_find(const char *name);
/* Detects the kind of a path (and its content, when head is not NULL); NULL when not lintable. */
const struct hd_lint_kind *hd_lint_detect(const char *path, const char *head, size_t head_len,
					  bool is_explicit);

/*
 * True when text[0..len) opens like a Dockerfile: its first line that is not
 * blank, a comment or a parser directive starts with an instruction (FROM,
 * ARG, RUN, ...; any case).
 */
bool hd_lint_looks_like_dockerfile(const char *text, size_t len);
/* True when base is a Dockerfile-like name (Dockerfile, Containerfile, *.Dockerfile, Dockerfile.x) that is not a source file, image, document or template. */
bool hd_lint_dockerfile_name(const char *base);

struct hd_walk;


/*
 * Called with each file's findings, in walk order, never concurrently; may
 * move them away (hd_findings_move).  Returns 0 or a negative HD_E*.
 */
typedef int hd_lint_file_fn(void *ctx, size_t index, struct hd_findings *f);
/*
 * Lints every file of a walk on `jobs` threads (0 = one per core), with the
 * source line of each finding attached when `snippets` (for reports that
 * show it), and streams each file's findings to fn as soon as it and all
 * before it are done.  A file the walk picked by its name whose content
 * shows it is not of that kind is skipped (its item's `skipped` is set).
 * Returns 0, fn's error or -HD_ENOMEM.  Whole runs go through the lint
 * session (lint/session.h).
 */
int hd_lint_run_each(struct hd_walk *w, const struct hd_config *cfg, unsigned jobs,
		     bool snippets, hd_lint_file_fn *fn, void *ctx);
/*
 * The same in steps, so that files are linted while the walk goes on:
 * hd_lint_pool_start() before the walk (with `early`, jobs - 1 threads
 * start linting what the walk publishes, at most a few thousand files
 * ahead), hd_lint_pool_finish() once the walk is over: it lints the rest on
 * the calling thread too and hands every file's findings to fn, in walk
 * order; nothing reaches fn before.  When the walk holds a file that may
 * name build contexts (a compose file, a script), what was linted early is
 * linted again once they are known.  hd_lint_pool_abort() stops and frees a
 * pool whose walk failed.  The walk must not be changed otherwise meanwhile.
 */
struct hd_lint_pool;
int hd_lint_pool_start(struct hd_walk *w, const struct hd_config *cfg, unsigned jobs, bool snippets, bool early,
		       struct hd_lint_pool **ret);
int hd_lint_pool_finish(struct hd_lint_pool *p, hd_lint_file_fn *fn, void *ctx);
void hd_lint_pool_abort(struct hd_lint_pool *p);
/* How many files are linted and waiting to be handed out (for tests). */
size_t hd_lint_pool_linted(struct hd_lint_pool *p);

/* The kinds' entry points (one pair per kind). */
bool hd_lint_detect_dockerfile(const char *path, const char *base, const char *head,
			       size_t head_len, bool is_explicit);
int hd_lint_dockerfile(const struct hd_lint_input *in, struct hd_findings *out);

/* Rules the driver itself reports. */
extern const struct hd_rule hd_rule_lint_read_error;
extern const struct hd_rule hd_rule_lint_unknown_kind;
extern const struct hd_rule hd_rule_df_parse_error;

#endif
