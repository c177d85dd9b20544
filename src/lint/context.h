/*
 * Build contexts of Dockerfiles, for the .dockerignore that applies to them:
 * `docker build` reads .dockerignore from the root of the build context (or
 * <Dockerfile>.dockerignore beside the Dockerfile), and the context is
 * rarely the Dockerfile's own directory in a larger repository.
 *
 * The context of a Dockerfile is found, in this order:
 *   1. a compose file's `build:` (context, dockerfile) in the lint run;
 *   2. a `docker build` / `docker buildx build` / `podman build` line (-f FILE
 *      and the context operand) in the run's shell scripts, Makefiles and
 *      CI files;
 *   3. else the Dockerfile's directory and each ancestor up to the
 *      repository root (the directory holding .git): a .dockerignore in any
 *      of them is taken to be the context's.
 *
 * Only the linted tree is looked at (core/confine.h): the files scanned are
 * read inside their root, a context named outside it is ignored, and the
 * ancestors stop at the root.  `root` below is the linted tree of the file.
 *
 * The lint driver scans the walk once it is over (hd_build_contexts_scan)
 * and makes the index current for the run; the Dockerfile lint asks it.
 * Files linted while the walk goes on see an index with no hints, and are
 * linted again if the walk holds a source of hints (lint.h).
 * Directory look-ups are cached for the run (many Dockerfiles share
 * directories).  Thread-safe once built.
 */
#ifndef HD_LINT_CONTEXT_H
#define HD_LINT_CONTEXT_H

#include <stdbool.h>
#include <stddef.h>

struct hd_walk;
struct hd_walk_item;
struct hd_build_contexts;

/* Scans the compose files, scripts, Makefiles and CI files of w for build contexts; NULL on OOM. */
struct hd_build_contexts *hd_build_contexts_scan(const struct hd_walk *w);
/* Whether the scan would read walk item it (a compose file, a script, a CI file, a Makefile). */
bool hd_build_contexts_source(const struct hd_walk_item *it);
/* Adds the contexts named in one file's text (kind "compose" or a script kind), for tests. */
int hd_build_contexts_add_text(struct hd_build_contexts *bc, const char *root, const char *path, const char *kind,
			       const char *text, size_t len);
struct hd_build_contexts *hd_build_contexts_new(void);
void hd_build_contexts_free(struct hd_build_contexts *bc);

/* The index the running lint uses (NULL: none; look-ups then cache nothing). */
void hd_build_contexts_set_current(struct hd_build_contexts *bc);
struct hd_build_contexts *hd_build_contexts_current(void);

enum hd_context_ignore {
	HD_CTX_HAS_IGNORE,  /* a .dockerignore applies */
	HD_CTX_NO_IGNORE,   /* the context is known (or assumed) and has none */
};

/*
 * Whether a .dockerignore applies to the Dockerfile at path.  With
 * beside_checked the caller already knows there is none beside it (neither
 * .dockerignore in its directory nor <path>.dockerignore).  The context
 * directory judged is written to ctx_buf (size bytes; may be NULL) for
 * messages; *from_hint (may be NULL) says whether a compose file or build
 * line named it.  bc may be NULL (nothing cached, no hints).
 */
/*
 * Whether a .dockerignore lies beside the Dockerfile at path: .dockerignore
 * in its directory (looked up once per directory through bc, which may be
 * NULL) or <path>.dockerignore.
 */
bool hd_build_context_beside_ignore(struct hd_build_contexts *bc, const char *path);

enum hd_context_ignore hd_build_context_dockerignore(struct hd_build_contexts *bc, const char *root,
						     const char *path, bool beside_checked, char *ctx_buf, size_t size,
						     bool *from_hint);

#endif
