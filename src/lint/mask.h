/*
 * No secret value leaves the lint driver.
 *
 * Every finding lint reports goes through hd_mask_findings() before any
 * reporter sees it, so what holds for its message and source line holds for
 * every format (text, json, sarif regions, junit, github, gnu, html): a
 * value judged secret is replaced by "****".  A value is judged secret by
 * the one classifier of rules/secrets.h, in three ways:
 *
 *   - by name: the value of an assignment whose name says secret
 *     (DB_PASSWORD=..., "api_token": "...", ENV GITHUB_TOKEN ..., -e
 *     NPM_TOKEN=..., --password ...), unless it is a reference (a path, a
 *     variable);
 *   - by shape: a token that looks like a credential whatever its name
 *     (AKIA..., ghp_..., a JWT, the password of scheme://user:pass@host);
 *   - by value: the values the linted file's sources set for secret-named
 *     variables (.env, --env, env_file, environment:), wherever they show up
 *     again (an image interpolated from ${TOKEN}, a message quoting one).
 */
#ifndef HD_LINT_MASK_H
#define HD_LINT_MASK_H

#include <stdbool.h>

#include "core/config.h"
#include "core/finding.h"

/* What replaces a secret value. */
#define HD_MASK "****"

/*
 * Adds value to known when the variable name=value is judged a secret (by
 * its name, or by the value's shape).  Values shorter than 4 bytes are not
 * kept (masking them everywhere would mangle the text; the assignment rule
 * still masks them where they are assigned).  0 or -HD_ENOMEM.
 */
int hd_mask_note(struct hd_strlist *known, const char *name, const char *value);
/*
 * Masks the secrets in s: returns a new string, or NULL when there is
 * nothing to mask (*err 0) or memory ran out (*err -HD_ENOMEM).
 */
char *hd_mask_text(const char *s, const struct hd_strlist *known, int *err);
/*
 * What one thread of a run has found holds nothing to mask by name or by
 * shape (the known values are looked for each time): at most 4,096 texts of
 * at most 1 KiB, forgotten all at once when full.  Not shared between threads.
 */
struct hd_mask_cache;
struct hd_mask_cache *hd_mask_cache_new(void); /* NULL when memory runs out */
void hd_mask_cache_free(struct hd_mask_cache *c);
/*
 * Masks the message and the source line of findings f->v[from..); known and
 * cache may be NULL; 0 or -HD_ENOMEM.
 */
int hd_mask_findings(struct hd_findings *f, size_t from, const struct hd_strlist *known,
		     struct hd_mask_cache *cache);

#endif
