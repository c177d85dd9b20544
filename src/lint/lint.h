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

struct hd_lint_kind {
	const char *name; /* "dockerfile", "compose", "script", ... */
	/*
	 * Recognises the kind from the path, its base name and the first bytes
	 * of the file (head may be NULL when the content was not read).
	 * `explicit` is true when the user named the file on the command line.
	 */
	bool (*detect)(const char *path, const char *base, const char *head, size_t head_len,
		       bool is_explicit);
	/*
	 * Lints one file whose content is data[0..len) (NUL-terminated).
	 * Parse errors become findings of the kind's parse-error rule.
	 * Returns 0, or a negative HD_E* for failures that are not the input's
	 * fault (OOM).
	 */
	int (*lint)(const char *path, const char *data, size_t len, const struct hd_config *cfg,
		    struct hd_findings *out);
};

extern const struct hd_lint_kind hd_lint_kinds[];
extern const size_t hd_lint_kind_count;

const struct hd_lint_kind *hd_lint_kind_find(const char *name);
/* Detects the kind of a path; NULL when not lintable. */
const struct hd_lint_kind *hd_lint_detect(const char *path, const char *head, size_t head_len,
					  bool is_explicit);

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
 * before it are done.  Returns 0, fn's error or -HD_ENOMEM.  Whole runs go
 * through the lint session (lint/session.h).
 */
int hd_lint_run_each(const struct hd_walk *w, const struct hd_config *cfg, unsigned jobs,
		     bool snippets, hd_lint_file_fn *fn, void *ctx);

/* The kinds' entry points (one pair per kind). */
bool hd_lint_detect_dockerfile(const char *path, const char *base, const char *head,
			       size_t head_len, bool is_explicit);
int hd_lint_dockerfile(const char *path, const char *data, size_t len, const struct hd_config *cfg,
		       struct hd_findings *out);

/* Rules the driver itself reports. */
extern const struct hd_rule hd_rule_lint_read_error;
extern const struct hd_rule hd_rule_df_parse_error;

#endif
