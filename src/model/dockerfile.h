/*
 * The Dockerfile model: instructions with exact positions, build stages, and
 * the facts rules need (effective ARG/ENV values, the final stage, the user
 * of each stage, RUN bodies split into shell commands).
 *
 * Positions are 1-based lines and columns (bytes) in the original file, with
 * line continuations and heredocs accounted for.  Every string is owned by the
 * hd_dockerfile and freed by hd_dockerfile_free().
 */
#ifndef HD_MODEL_DOCKERFILE_H
#define HD_MODEL_DOCKERFILE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

#include "core/err.h"
#include "core/suppress.h"
#include "model/image_ref.h"
#include "model/shell.h"

struct hd_pm_call;

/* A range in the file: 1-based lines and byte columns; end_col is one past the last byte. */
struct hd_span {
	uint32_t line, col, end_line, end_col;
};

enum hd_instr_kind {
	HD_I_FROM,
	HD_I_RUN,
	HD_I_CMD,
	HD_I_LABEL,
	HD_I_MAINTAINER,
	HD_I_EXPOSE,
	HD_I_ENV,
	HD_I_ADD,
	HD_I_COPY,
	HD_I_ENTRYPOINT,
	HD_I_VOLUME,
	HD_I_USER,
	HD_I_WORKDIR,
	HD_I_ARG,
	HD_I_ONBUILD,
	HD_I_STOPSIGNAL,
	HD_I_HEALTHCHECK,
	HD_I_SHELL,
	HD_I_UNKNOWN, /* not an instruction BuildKit knows: a parse error is reported too */
	HD_I_MAX
};
const char *hd_instr_name(enum hd_instr_kind k); /* "FROM", ... */

/* A --flag of an instruction: --from=build, --chown=1000:1000, --mount=type=cache,... */
struct hd_flag {
	char *name;         /* without dashes: "from", "chown", "mount" */
	char *value;        /* as written (NULL for a bare --flag); */
	char *expanded;     /* value with ARG/ENV substituted (== value's text when none); NULL when value is */
	struct hd_span span;
	bool unresolved;    /* a variable in it has no known value: expanded keeps it as written */
};

/* One argument of an instruction (a word of the shell form, or a JSON element). */
struct hd_arg {
	char *raw;          /* as written, quotes removed for JSON form */
	char *value;        /* with ARG/ENV substituted where BuildKit substitutes (quotes
	                       removed there too); the same text as raw elsewhere */
	struct hd_span span;
	bool unresolved;    /* a variable in it has no known value: value keeps it as written */
};

/* KEY=VALUE pairs of ENV, LABEL, ARG (value NULL for `ARG NAME` without default). */
struct hd_kv {
	char *key;
	char *value;        /* unquoted; NULL when absent */
	char *expanded;     /* value after substitution; NULL when value is NULL */
	struct hd_span span;       /* the whole pair */
	struct hd_span value_span; /* the value alone (the key's when no value) */
	bool unresolved;           /* a variable in the value has no known value */
};

struct hd_heredoc {
	char *delim;        /* the word after << */
	bool quoted;        /* <<'EOF' or <<"EOF": no expansion in the body */
	bool strip_tabs;    /* <<-EOF */
	char *body;         /* the lines between the marker and the delimiter, each ending in '\n' */
	uint32_t body_line; /* line of the first body line */
	uint32_t end_line;  /* line of the delimiter (the last line read when unterminated) */
	bool terminated;    /* false when the file ended before the delimiter */
};

enum hd_cmd_form {
	HD_FORM_NONE,  /* instruction without a command */
	HD_FORM_SHELL, /* RUN apt-get ... */
	HD_FORM_EXEC,  /* RUN ["apt-get", ...] */
};

struct hd_instr {
	enum hd_instr_kind kind;
	char *keyword;            /* as written ("run", "Run", ...) */
	struct hd_span span;      /* from the keyword to the end of the last continuation/heredoc */
	uint32_t stage;           /* index of the stage it belongs to; (uint32_t)-1 before the first FROM */

	struct hd_flag *flags;
	size_t n_flags;

	/*
	 * Arguments after the flags.  For shell-form RUN/CMD/ENTRYPOINT/HEALTHCHECK
	 * CMD the single arg holds the whole command text (continuations joined);
	 * for exec form one arg per JSON element; for COPY/ADD sources then the
	 * destination; for EXPOSE/VOLUME one per word/element; for FROM the image,
	 * then "AS", then the name (see the stage for the parsed form); for
	 * `RUN <<EOF ...` the command line as written (the script is in text);
	 * for USER/WORKDIR/MAINTAINER/STOPSIGNAL the whole rest of the line;
	 * for HEALTHCHECK the type ("CMD"/"NONE") then the command.
	 */
	struct hd_arg *args;
	size_t n_args;
	enum hd_cmd_form form;

	struct hd_kv *kvs;        /* ENV, LABEL, ARG pairs */
	size_t n_kvs;

	struct hd_heredoc *heredocs;
	size_t n_heredocs;

	/*
	 * The command of RUN (shell form, including heredoc bodies run as scripts),
	 * CMD/ENTRYPOINT in shell form and HEALTHCHECK CMD: split into shell
	 * commands.  Word offsets are into `text`; hd_instr_offset_pos() maps them
	 * back to the file.  Exec-form RUN has one too, which no SHELL affects:
	 * RUN ["sh", "-c", "script"] is the script split as shell; any other
	 * array is one command of its elements as they are ("|" is an argument),
	 * and `text` is the elements joined by spaces.  NULL for exec-form
	 * CMD/ENTRYPOINT, when there is no command, when the SHELL in effect is
	 * not a POSIX shell (powershell, cmd), or when a heredoc script starts
	 * with a non-shell #! line.
	 *
	 * `text` is what BuildKit hands to the shell: the command after the
	 * flags with continuations joined; for `RUN <<EOF` alone, the heredoc
	 * body; for other commands with heredocs, the command, a newline, then
	 * each body followed by its delimiter.  It is set (and mapped) for
	 * shell-form CMD/ENTRYPOINT/HEALTHCHECK too.
	 */
	struct hd_shell *shell;
	char *text;               /* the joined command text that was split */
	size_t text_len;          /* strlen(text) */
	/* Maps text offsets to file positions: segment i starts at text offset seg_off[i] at seg_line[i]:seg_col[i]. */
	size_t *seg_off;
	uint32_t *seg_line, *seg_col;
	size_t n_segs;

	/*
	 * Derived facts of the command (model/dockerfile_pm.h), computed once
	 * when the shell model is built: the package manager calls in order,
	 * a mask of the managers called (HD_PM_BIT()) and of the tools called
	 * (HD_TOOL_BIT()).  Empty without a shell model.
	 */
	struct hd_pm_call *pms;
	size_t n_pms;
	uint32_t pm_mask;
	uint64_t tools;

	/*
	 * ONBUILD's inner instruction, else NULL.  Its arguments are not
	 * expanded and its ARG/ENV define nothing here (it runs in a child
	 * build); its RUN is shell-split like any other.
	 */
	struct hd_instr *onbuild;

	/* HEALTHCHECK: true for HEALTHCHECK NONE. */
	bool healthcheck_none;
};

/* Maps an offset in instr->text to a file position (offsets past the end map to the end). */
void hd_instr_offset_pos(const struct hd_instr *in, size_t off, uint32_t *line, uint32_t *col);
/* The span of shell word w of instr (start and end mapped through the segments). */
struct hd_span hd_instr_word_span(const struct hd_instr *in, const struct hd_word *w);
/* Finds a flag by name; NULL if absent. */
const struct hd_flag *hd_instr_flag(const struct hd_instr *in, const char *name);

struct hd_stage {
	uint32_t index;
	size_t from;              /* index of the FROM instruction in df->instrs */
	size_t first, last;       /* instruction index range [first, last] of the stage */
	char *name;               /* AS name (lowercased as BuildKit does), or NULL */
	struct hd_span name_span;
	/*
	 * The FROM image after substitution with the global ARGs.  base.raw is
	 * set when FROM names an image; the other parts are NULL when the
	 * reference is malformed, and a best guess when has_unresolved_var.
	 */
	struct hd_image_ref base;
	int32_t base_stage;       /* index of an earlier stage used as base, else -1 */
	char *platform;           /* --platform value (expanded) or NULL */
	bool is_final;            /* the last stage: what `docker build` produces by default */
	bool used_by_later;       /* a later stage builds FROM it, copies --from it (name or index) or mounts from= it */

	/* Derived facts, for the final-stage rules. */
	ssize_t last_user;        /* index of the last USER instruction of this stage, -1 if none */
	char *user;               /* effective user (inherited through base_stage), NULL = default root */
	ssize_t healthcheck;      /* last HEALTHCHECK instruction of the stage (or inherited), -1 */
	ssize_t shell_instr;      /* last SHELL instruction in effect (or inherited), -1 */
};

/* An ARG or ENV definition, in file order (df->vars). */
struct hd_var {
	char *name;
	char *value;              /* expanded value; NULL when unknown (ARG without default, or built from an unknown) */
	bool is_env;              /* ENV (else ARG) */
	size_t instr;             /* index of the defining instruction */
	uint32_t stage;           /* its stage; (uint32_t)-1 for global ARGs */
};

struct hd_arena;

struct hd_dockerfile {
	char *path;
	struct hd_instr *instrs;
	size_t n_instrs;
	struct hd_stage *stages;
	size_t n_stages;

	/* Parser directives. */
	char escape;              /* '\\' or '`' */
	char *syntax;             /* # syntax= value or NULL */
	char *check;              /* # check= value or NULL */
	char *shell_pragma;       /* `# hadolint shell=NAME`: the shell RUN is meant for, or NULL */

	struct hd_suppressions suppress;

	/*
	 * Context: a .dockerignore applies (beside the Dockerfile, <name>.dockerignore,
	 * or, as the lint driver finds it, at the root of the build context).
	 */
	bool has_dockerignore;
	bool dockerignore_known;  /* set by the lint driver; false when read from stdin */
	char *build_context;      /* the build context judged by the lint driver, or NULL */
	bool build_context_named; /* a compose file or a `docker build` line named it */

	/* Parse errors (the file may still be partly modelled). */
	struct hd_diag *errors;
	size_t n_errors;

	/* Every ARG and ENV definition, in order (ENV a=b c=d gives two). */
	struct hd_var *vars;
	size_t n_vars;

	/* Number of lines in the file. */
	uint32_t n_lines;

	/*
	 * The indexes in instrs of the RUNs with a shell model (ONBUILD RUN
	 * included: the index is the ONBUILD's), in order, and the union of
	 * their pm_mask and tools: rules on RUN commands visit only these.
	 */
	size_t *runs;
	size_t n_runs;
	uint32_t pm_mask;
	uint64_t tools;

	/* Where all of the above lives (private). */
	struct hd_arena *arena;
};

/*
 * Parses a Dockerfile.  Always returns a model (possibly with errors) unless
 * memory runs out: 0 or -HD_ENOMEM.  path is used for messages only: the
 * parser reads no file (the lint driver fills in the .dockerignore facts).
 */
int hd_dockerfile_parse(const char *path, const char *data, size_t len, struct hd_dockerfile **ret);
void hd_dockerfile_free(struct hd_dockerfile *df);

/* The stage instruction i belongs to; NULL before the first FROM or out of range. */
const struct hd_stage *hd_dockerfile_stage_of(const struct hd_dockerfile *df, size_t i);
/* The last stage (what `docker build` produces by default); NULL without stages. */
const struct hd_stage *hd_dockerfile_final_stage(const struct hd_dockerfile *df);

/*
 * The value of ARG/ENV `name` in effect at instruction i (NULL if unset or
 * unknown), with BuildKit's scoping: ENV (also inherited from a stage used as
 * base) wins over ARG; global ARGs count only before the first FROM and in
 * stages that re-declare them.
 */
const char *hd_dockerfile_var_at(const struct hd_dockerfile *df, size_t i, const char *name);

#endif
