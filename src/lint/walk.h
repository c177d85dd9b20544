/*
 * Directory walk for `hardock lint`: finds lintable files below the given
 * paths, honouring .gitignore files (and .git/info/exclude at a repository
 * root), skipping .git, node_modules and other vendored folders, and never
 * following symbolic links to directories (so link loops cannot hang it) nor
 * links to files outside the directory walked (core/confine.h).
 *
 * Each item records its root, the tree the files it names may be read
 * from: the directory given for walked files, the git work tree holding a
 * file named on the command line (else its directory), none for standard
 * input.
 */
#ifndef HD_LINT_WALK_H
#define HD_LINT_WALK_H

#include <pthread.h>
#include <stdbool.h>
#include <stddef.h>

#include "core/config.h"
#include "core/confine.h"
#include "core/err.h"
#include "lint/lint.h"

struct hd_walk_item {
	char *path;                       /* owned; "-" is standard input */
	char *display;                    /* owned name to report instead of path, or NULL */
	const struct hd_lint_kind *kind;  /* NULL: tell from the content when read */
	const char *root;                 /* the linted tree (owned by the walk's roots), NULL for stdin */
	const struct hd_config *cfg;      /* its configuration (owned by the walk's config tree), or NULL:
					   * the run's */
	bool is_explicit;                 /* named on the command line */
	bool forced;                      /* kind given with --kind: not checked against the content */
	bool skipped;                     /* set by the lint run: its content showed it is not of kind */
	/*
	 * A .dockerignore beside it (.dockerignore in its directory or
	 * <name>.dockerignore), as the directory's listing showed: 1 yes, -1
	 * no, 0 not known (looked for when needed).
	 */
	signed char beside_ignore;
};

/* A directory's entries, sorted by name, with their types from the listing (DT_*). */
struct hd_walk_listing {
	char *dir;                        /* as given, NULL: none */
	struct hd_walk_entry {
		char *name;
		unsigned char type;
	} *v;
	size_t n, alloc;
	bool ok;                          /* false: could not be read, or too big */
	/* Told when the listing is read: .dockerignore (1, -1 or 0 as beside_ignore), and whether
	 * any name ends in ".dockerignore" or is of a type the listing does not tell. */
	signed char own_ignore;
	bool suffixed;
};

struct hd_walk {
	struct hd_walk_item *v;
	size_t n, alloc;
	char **roots;                     /* owned, one per path added */
	size_t n_roots, alloc_roots;
	/* Set by hd_walk_set_config (borrowed): the configuration by directory and --exclude. */
	struct hd_config_tree *tree;
	const struct hd_config *cli;
	struct hd_walk_excl {
		const struct hd_config *cfg;
		struct hd_ignore *ig;     /* its exclude patterns, over absolute paths */
	} *excl;
	size_t n_excl, alloc_excl;
	struct hd_diag diag;              /* why hd_walk_add failed with -HD_EPARSE (a config file) */
	/* Problems met while walking (unreadable directories). */
	struct hd_walk_error {
		char *path;
		char *reason;
	} *errors;
	size_t n_errors, alloc_errors;
	/* The tree of the last file named on the command line, by its directory as given. */
	char *last_dir;
	const char *last_root;
	/* The listing of the directory of the files named on the command line one after another. */
	struct hd_walk_listing listing;
	/* What lies above the last parent directory of named files, for their trees. */
	struct hd_root_cache roots_above;
	/*
	 * Set by a lint pool that lints while the walk goes on (lint.h): the
	 * walk holds *lock while it grows v, and calls published(ctx, n) once
	 * v[0..n) are complete; items from there on are read by other threads
	 * and never changed again.  NULL: nobody reads the walk meanwhile.
	 */
	pthread_mutex_t *lock;
	void (*published)(void *ctx, size_t n);
	void *published_ctx;
};

void hd_walk_init(struct hd_walk *w);
void hd_walk_release(struct hd_walk *w);
/*
 * Makes the walk find each file's configuration in tree (from the file's
 * directory upward) and leave out what the configurations' exclude: and
 * the command line's --exclude patterns (in cli) match, the files named on
 * the command line included.  Both are borrowed until the walk is released.
 */
void hd_walk_set_config(struct hd_walk *w, struct hd_config_tree *tree, const struct hd_config *cli);
/*
 * Adds `path`: a file named directly (or "-") is always added, as `forced`
 * when not NULL, else with its kind left to be told from its content when it
 * is read; a directory is walked and its lintable files added by name.
 * Returns 0, -HD_ENOENT when the path does not exist, -HD_EPARSE when a
 * configuration file is wrong (w->diag says where), or -HD_ENOMEM.
 */
int hd_walk_add(struct hd_walk *w, const char *path, const struct hd_lint_kind *forced);
/* Hands the items added so far to w->published, if set (the walk does it as it goes). */
void hd_walk_publish(struct hd_walk *w);
/* Tells a named file's kind from its name and first bytes (NULL: none). */
const struct hd_lint_kind *hd_lint_detect_path(const char *path);
/* The number of items the lint run did not skip. */
size_t hd_walk_linted(const struct hd_walk *w);

/* gitignore pattern matching, exposed for tests. */
struct hd_ignore;
struct hd_ignore *hd_ignore_new(void);
void hd_ignore_free(struct hd_ignore *ig);
/* Adds the patterns of one .gitignore text; base is the directory they apply to ("" = root). */
int hd_ignore_add(struct hd_ignore *ig, const char *base, const char *text, size_t len);
/* 1 ignored, 0 not; path relative to the walk root, without leading "./". */
int hd_ignore_match(const struct hd_ignore *ig, const char *relpath, bool is_dir);
/* Shell-style glob with ** as in gitignore; FNM_PATHNAME semantics. */
bool hd_glob_match(const char *pat, const char *s);

#endif
