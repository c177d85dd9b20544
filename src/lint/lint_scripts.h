/*
 * The lint kinds that hold `docker run` lines rather than container
 * definitions: shell scripts, Makefiles, systemd units, GitHub Actions
 * workflows, GitLab CI files and shell blocks in Markdown.  Each kind pulls
 * the shell text out of its file with a map from every byte back to the
 * file's line and column, splits it with the shell splitter, finds every
 * docker/podman run/create invocation (across continuations, behind sudo or
 * env, inside $(...) and sh -c '...'), parses it into a container_spec named
 * "docker run (deploy.sh:12)" and runs the container rules on it.  A
 * `# hardock ignore=ID` comment on the line before an invocation (or
 * `<!-- hardock ignore=ID -->` in Markdown) suppresses those rules for it;
 * `# hardock global ignore=ID` for the whole file.
 *
 * Each kind has a detect function with the signature of hd_lint_kind.detect
 * and a lint function with that of hd_lint_kind.lint.  They never print.
 */
#ifndef HD_LINT_SCRIPTS_H
#define HD_LINT_SCRIPTS_H

#include <stdbool.h>
#include <stddef.h>

#include "core/config.h"
#include "core/finding.h"
#include "lint/lint.h"
#include "model/container.h"

/*
 * Shell scripts: *.sh, *.bash, *.zsh, *.ksh, *.dash, or a shebang naming sh,
 * bash, dash, zsh, ksh, ash or busybox (directly or through env).  When the
 * walk gives no head, an extension-less file's first bytes are read here.
 */
bool hd_lint_kind_script_shell_detect(const char *path, const char *base, const char *head,
				      size_t head_len, bool is_explicit);
int hd_lint_kind_script_shell_lint(const struct hd_lint_input *in, struct hd_findings *out);

/* Makefile, makefile, GNUmakefile, *.mk, *.make: recipe lines and variable values. */
bool hd_lint_kind_script_make_detect(const char *path, const char *base, const char *head,
				     size_t head_len, bool is_explicit);
int hd_lint_kind_script_make_lint(const struct hd_lint_input *in, struct hd_findings *out);

/* systemd units (*.service): ExecStart=, ExecStartPre=, ExecStartPost=, ExecStop=, ... */
bool hd_lint_kind_script_systemd_detect(const char *path, const char *base, const char *head,
					size_t head_len, bool is_explicit);
int hd_lint_kind_script_systemd_lint(const struct hd_lint_input *in, struct hd_findings *out);

/* GitHub Actions: YAML files under .github/workflows, and action.yml: `run:` steps in a POSIX shell. */
bool hd_lint_kind_script_github_detect(const char *path, const char *base, const char *head,
				       size_t head_len, bool is_explicit);
int hd_lint_kind_script_github_lint(const struct hd_lint_input *in, struct hd_findings *out);

/* GitLab CI: .gitlab-ci.yml and *.gitlab-ci.yml: script:, before_script:, after_script:. */
bool hd_lint_kind_script_gitlab_detect(const char *path, const char *base, const char *head,
				       size_t head_len, bool is_explicit);
int hd_lint_kind_script_gitlab_lint(const struct hd_lint_input *in, struct hd_findings *out);

/*
 * Markdown (*.md, *.markdown): fenced ```sh, ```bash, ```shell, ```zsh and
 * ```console blocks; `$ ` prompts are stripped, and in console blocks only
 * prompt lines (and their continuations) are commands, the rest is output.
 */
bool hd_lint_kind_script_markdown_detect(const char *path, const char *base, const char *head,
					 size_t head_len, bool is_explicit);
int hd_lint_kind_script_markdown_lint(const struct hd_lint_input *in, struct hd_findings *out);

/*
 * Finds every run/create invocation in shell text (one line per line of
 * `path`, starting at line 1) and calls fn on each parsed spec, which fn
 * borrows.  For tests and the rule-example checks.  Returns 0, fn's
 * negative return, or -HD_ENOMEM.
 */
int hd_lint_script_specs(const char *path, const char *text, size_t len,
			 int (*fn)(struct hd_container_spec *c, void *ctx), void *ctx);

#endif
