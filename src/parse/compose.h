/*
 * The compose loader: one or more compose files (with `.env`, override files,
 * `include`, `extends`, `env_file`, interpolation and YAML anchors) become one
 * hd_project holding a normalised hd_container_spec per service.
 *
 * The loader knows compose syntax only.  What it could not accept (YAML
 * syntax errors, structural errors against the compose specification, a
 * required variable left unset, a missing file) is returned as a list of
 * hd_compose_issue, each with a position; the lint layer turns them into
 * findings of the compose/parse-error, compose/invalid, ... rules.
 *
 * Ownership: the project owns its specs and every string they hold,
 * including the file names their origins point to; hd_project_free()
 * releases all.  Issues own their strings; hd_compose_issues_release()
 * releases them.
 */
#ifndef HD_PARSE_COMPOSE_H
#define HD_PARSE_COMPOSE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "model/project.h"

enum hd_compose_issue_kind {
	HD_CI_SYNTAX,       /* not YAML, or YAML beyond our limits (alias bombs, depth) */
	HD_CI_INVALID,      /* valid YAML, but not a valid compose file */
	HD_CI_VARIABLE,     /* ${V:?err} / ${V?err} with V unset, or a malformed ${...} */
	HD_CI_MISSING_FILE, /* env_file, extends file or include that cannot be read */
	HD_CI_OUTSIDE,      /* a file named outside the linted tree (not read) */
	HD_CI_MAX
};

struct hd_compose_issue {
	enum hd_compose_issue_kind kind;
	char *file;
	uint32_t line, col; /* 1-based; 0 when unknown */
	char *msg;
};

struct hd_compose_issues {
	struct hd_compose_issue *v;
	size_t n, alloc;
};

void hd_compose_issues_init(struct hd_compose_issues *l);
void hd_compose_issues_release(struct hd_compose_issues *l);
int hd_compose_issue_add(struct hd_compose_issues *l, enum hd_compose_issue_kind kind,
			 const char *file, uint32_t line, uint32_t col, const char *fmt, ...)
	__attribute__((format(printf, 6, 7)));

/* One input file: data NULL means "read path from disk". */
struct hd_compose_file {
	const char *path;
	const char *data;
	size_t len;
};

struct hd_compose_opts {
	/* Directory relative paths resolve against; NULL = the first file's directory. */
	const char *project_dir;
	/*
	 * The linted tree (core/confine.h): files the project names are read
	 * only inside it; NULL = the project directory.
	 */
	const char *root;
	/*
	 * Variables given explicitly for interpolation, "NAME=value" strings,
	 * NULL-terminated, later entries winning; they take precedence over the
	 * project's .env as the shell's environment does for compose.  NULL =
	 * none: the process environment is never read, so a variable neither
	 * given nor in .env is unset (its value unknown to the rules).
	 */
	const char *const *env;
	/* Read no other file than those given (no .env, override, extends, include,
	 * env_file or Dockerfile): for fuzzing and for content from standard input. */
	bool no_disk;
	/* Do not apply compose.override.yml / docker-compose.override.yml. */
	bool no_override;
};

/*
 * Loads files[0..n) as one project, later files overriding earlier ones.
 * With n == 1 and no opts->no_override, an override file beside a
 * canonically named file (compose.yaml, docker-compose.yml, ...) is applied
 * too.  Always sets *ret to a project (possibly without services, when the
 * input could not be parsed) unless memory runs out: returns 0 or
 * -HD_ENOMEM.  Problems with the input go to issues.
 */
int hd_compose_load(const struct hd_compose_file *files, size_t n, const struct hd_compose_opts *opts,
		    struct hd_project **ret, struct hd_compose_issues *issues);

/*
 * Variable look-up for interpolation: returns the value of name[0..len) or
 * NULL when the variable is unset.
 */
typedef const char *hd_compose_lookup_fn(void *ctx, const char *name, size_t len);

/*
 * Interpolates s[0..len) the way compose does: $$, $V, ${V}, ${V:-d},
 * ${V-d}, ${V:?e}, ${V?e}, ${V:+a}, ${V+a}, with defaults, alternatives and
 * messages interpolated in turn (nesting).  An unset variable without a
 * default stays as written ("${TAG}", "$TAG"; compose would make it empty,
 * but its value where the project is deployed is not known here, and a
 * guess would be judged as if it were), and sets *unset (when unset is not
 * NULL) so callers know the value is not what the deployment will see.  Returns 0
 * with *ret a new string, -HD_EINVAL
 * with *reterr a new message (required variable unset, malformed ${...}),
 * -HD_ETOOBIG past HD_MAX_VAR_EXPANSION, or -HD_ENOMEM.
 */
int hd_compose_interpolate(const char *s, size_t len, hd_compose_lookup_fn *lookup, void *ctx,
			   char **ret, char **reterr, bool *unset);

/*
 * Parses a dotenv text (the format of .env and env_file, see compose_env.c)
 * on its own, for values given with --env-file: appends "NAME=value" strings
 * to out; values interpolate only the variables set before them in the same
 * text.  Returns 0, -HD_EPARSE with *diag set at the first malformed line
 * (its content is not quoted: it may hold a secret), or -HD_ENOMEM.
 */
struct hd_strlist;
struct hd_diag;
int hd_compose_dotenv_parse(const char *path, const char *data, size_t len, struct hd_strlist *out,
			    struct hd_diag *diag);

/* True for the file names compose looks for by default and their variants. */
bool hd_compose_is_compose_name(const char *base);

#endif
