/*
 * State shared by the parts of the compose loader (internal): compose.c
 * reads, merges and resolves files; compose_service.c turns one resolved
 * service into an hd_container_spec; compose_env.c reads .env and env_file
 * files.
 */
#ifndef HD_PARSE_COMPOSE_LOADER_H
#define HD_PARSE_COMPOSE_LOADER_H

#include "core/buf.h"
#include "parse/compose_node.h"

/* A compose file read by this load. */
struct hd_cl_file {
	const char *path;      /* arena copy, == the nodes' file pointer */
	const char *pfile;     /* the project's copy, for origins */
	const char *base_dir;  /* where its relative paths resolve (arena) */
	struct hd_cn *root;    /* parsed, with its includes merged in; NULL when empty or bad */
	bool loading;          /* being loaded (include cycles) */
	bool bad;              /* could not be read or parsed */
};

struct hd_cl_var {
	const char *name, *value; /* arena */
};

struct hd_compose_loader {
	struct hd_cn_ctx cx;
	struct hd_compose_issues *issues;
	const struct hd_compose_opts *opts;
	struct hd_project *proj;
	const char *dir;             /* project directory (arena) */
	const char *root;            /* the linted tree: nothing outside is read (arena) */
	struct hd_cl_var *vars;      /* from .env, in file order (later wins) */
	size_t n_vars, alloc_vars;
	struct hd_cl_file *files;
	size_t n_files, alloc_files;
	unsigned include_depth;
	const struct hd_cn *volumes; /* the project's top-level volumes (merged), or NULL */
};

/* ---- compose.c ---- */
/* The file record whose nodes carry `file` (arena pointer), or NULL. */
const struct hd_cl_file *hd_cl_file_of(const struct hd_compose_loader *ld, const char *file);
/* Resolves rel against dir: absolute paths kept, "." and ".." folded.  Arena string or NULL. */
const char *hd_cl_join(struct hd_compose_loader *ld, const char *dir, const char *rel);
/*
 * Reads a file inside the linted tree into b (unless opts->no_disk): 0 or
 * -HD_ENOENT, -HD_EOUTSIDE, -HD_ENOTREG, -HD_EIO, ...
 */
int hd_cl_read(struct hd_compose_loader *ld, const char *path, struct hd_buf *b);
/*
 * Reads `path`, joined from `written`, the value at node `at` of key `what`
 * ("env_file", "include", "extends file", ...), when it lies inside the
 * linted tree; with b NULL only tells whether it is there.  Returns 0 when
 * read (or there); 1 when it lies outside the tree (absolute, a ".." escape,
 * or a symbolic link leading out): a compose/path-outside-project issue
 * naming `written` was added and nothing was read; else a negative HD_E*
 * (-HD_ENOENT, -HD_ENOTREG, ...) for the caller to report, or -HD_ENOMEM.
 */
int hd_cl_read_at(struct hd_compose_loader *ld, const char *path, const char *written,
		  const struct hd_cn *at, const char *what, struct hd_buf *b);
/* Adds a variable from .env (value NULL: ignored); 0 or -HD_ENOMEM. */
int hd_cl_add_var(struct hd_compose_loader *ld, const char *name, const char *value);
/* Variable look-up (variables given explicitly, then .env), an hd_compose_lookup_fn. */
const char *hd_cl_lookup(void *ctx, const char *name, size_t len);

/* ---- compose_env.c ---- */
typedef int hd_cl_env_fn(void *ctx, const char *name, const char *value, uint32_t line, uint32_t col);
/*
 * Parses a dotenv file (KEY=VALUE, export KEY=VALUE, # comments, '...' and
 * "..." values, values interpolated except in single quotes) and calls fn
 * for each variable.  value is NULL for a bare KEY.  Malformed lines are
 * HD_CI_INVALID issues.  Returns 0, or what fn returned when negative.
 */
int hd_cl_dotenv(struct hd_compose_loader *ld, const char *path, const char *data, size_t len,
		 hd_cl_env_fn *fn, void *fnctx);

/* ---- compose_service.c ---- */
/*
 * Builds the spec of service `name` (key at kp) from its resolved node; the
 * spec is added to ld->proj.  Unconvertible values are HD_CI_INVALID issues.
 */
int hd_cl_service(struct hd_compose_loader *ld, const struct hd_cn_pair *kp, const struct hd_cn *svc);

/* ---- compose_image.c ---- */
/*
 * Fills c->image_facts: for a service with `build:`, from its Dockerfile's
 * final (or `target:`) stage; for an image from a registry, known = false.
 */
int hd_cl_image_facts(struct hd_compose_loader *ld, struct hd_container_spec *c, const struct hd_cn *svc);

#endif
