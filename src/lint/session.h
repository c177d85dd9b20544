/*
 * A lint session: a whole `hardock lint` run, owned by the library so that
 * every front end (the CLI, a server, a test) runs the same thing with a few
 * calls.  It takes the options and the inputs, walks directories, lints on
 * several threads, and hands each input's findings, sorted, to a callback as
 * soon as that input and every input before it are done, so a caller can
 * stream them out; it fills a struct hd_run_status.  It never prints and
 * never exits.
 *
 *   struct hd_lint_opts o = { .cfg = &cfg };
 *   struct hd_lint_sink sink = { on_findings, ctx };
 *   struct hd_run_status st = { 0 };
 *   struct hd_lint_session *s;
 *   char *err = NULL;
 *   r = hd_lint_session_open(&o, paths, n, &s, &err);     (the inputs exist)
 *   r = hd_lint_session_run(s, &sink, &st, &err);         (findings to sink)
 *   hd_lint_session_free(s);
 *
 * What a group of findings goes through before the sink: the same rule at
 * the same place merged into one, places already reported dropped, sorted,
 * fingerprinted, recorded (o->record), filtered by severity and by the
 * baseline (o->known), counted.
 */
#ifndef HD_LINT_SESSION_H
#define HD_LINT_SESSION_H

#include <stdbool.h>
#include <stddef.h>

#include "core/config.h"
#include "core/finding.h"
#include "core/status.h"
#include "lint/baseline.h"
#include "lint/lint.h"

struct hd_lint_opts {
	const struct hd_config *cfg;      /* prepared (hd_config_prepare); never NULL */
	const struct hd_lint_kind *kind;  /* files named and standard input are of this kind, or NULL:
					   * told from their names and content */
	const char *stdin_name;           /* the name standard input ("-") is reported and detected as,
					   * or NULL */
	bool merge;                       /* the compose files named form one project, merged in order as
					   * `docker compose -f a.yml -f b.yml` does */
	unsigned jobs;                    /* threads; 0 = one per core */
	/*
	 * When not NULL, each file's configuration is found from its directory
	 * upward in this tree (core/config.h), and what the configurations
	 * and cli's --exclude exclude is not linted; else cfg is every file's.
	 */
	struct hd_config_tree *tree;
	const struct hd_config *cli;
	bool snippets;                    /* attach each finding's source line (for formats showing it) */
	/*
	 * Give every finding its fingerprint (hd_findings_fingerprint; set
	 * by itself with record or known, which also need the lines).
	 */
	bool fingerprints;
	enum hd_severity min_severity;    /* hand on only findings at or above it (HD_SEV_NONE: all) */
	struct hd_baseline *record;       /* every finding is recorded here (--write-baseline), or NULL */
	struct hd_baseline *known;        /* findings it holds are not handed on (--baseline), or NULL;
					   * its entries are marked used */
};

struct hd_lint_sink {
	/*
	 * Called with the findings of one input (a file, or the merged compose
	 * project, or the directories that could not be read), sorted, in the
	 * order of the inputs, never concurrently.  It may move them away
	 * (hd_findings_move).  Returns 0, or a negative HD_E* to stop the run.
	 */
	int (*findings)(void *ctx, struct hd_findings *f);
	void *ctx;
};

struct hd_lint_session;

/*
 * Opens a session on paths[0..n) (files, directories, "-" for standard
 * input; none means "."): checks they exist and walks the directories.
 * Nothing is linted yet.  The session borrows o (and o->cfg) until freed.
 * Returns 0 and *ret, or a negative HD_E* with *reterr, a message naming
 * what failed and owned by the caller: -HD_ENOENT for a path that does not
 * exist, -HD_ENOMEM.
 */
int hd_lint_session_open(const struct hd_lint_opts *o, const char *const *paths, size_t n,
			 struct hd_lint_session **ret, char **reterr);
/*
 * Lints everything, handing the findings to sink and adding to st: counts
 * per severity, files linted, and failed when it returns an error.  Returns
 * 0, or a negative HD_E* (the sink's, or -HD_ENOMEM) with *reterr as above.
 * Input that cannot be read or parsed is a finding, not an error.
 */
int hd_lint_session_run(struct hd_lint_session *s, const struct hd_lint_sink *sink,
			struct hd_run_status *st, char **reterr);
void hd_lint_session_free(struct hd_lint_session *s);

#endif
