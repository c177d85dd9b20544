/*
 * The compose lint kind: recognising compose files, and linting a project
 * (one file with the override file compose applies beside it, or several
 * files merged as `docker compose -f a.yml -f b.yml` does).  Container rules
 * run on every service, project rules on the project; loader issues become
 * compose/parse-error, compose/invalid, compose/missing-variable and
 * compose/missing-file findings; `# hardock ignore=ID` comments of every file
 * loaded apply to the findings in that file.
 */
#ifndef HD_LINT_COMPOSE_H
#define HD_LINT_COMPOSE_H

#include <stdbool.h>
#include <stddef.h>

#include "core/config.h"
#include "core/finding.h"
#include "lint/lint.h"

/*
 * compose.yaml, compose.yml, docker-compose.yaml, docker-compose.yml and
 * their variants (docker-compose.prod.yml, compose.db.yaml, ...) holding a
 * YAML mapping with a top-level services:, include: or version: key.  An
 * override file beside its base file is not detected on its own: it is
 * linted with the base.  Explicit .yml/.yaml files, and standard input, with
 * such a key are compose files too.
 */
bool hd_lint_detect_compose(const char *path, const char *base, const char *head, size_t head_len,
			    bool is_explicit);
/* Lints one compose file; 0 or -HD_ENOMEM. */
int hd_lint_compose(const struct hd_lint_input *in, struct hd_findings *out);
/*
 * Lints the files paths[0..n), named on the command line, merged in order as
 * `docker compose -f ... -f ...` does, reading what they name inside root;
 * a file that cannot be read is a lint/read-error finding.  0 or -HD_ENOMEM.
 */
int hd_lint_compose_files(const char *const *paths, size_t n, const char *root,
			  const struct hd_config *cfg, struct hd_findings *out);

#endif
