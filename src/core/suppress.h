/*
 * Inline suppressions, gathered by parsers from comments and applied to the
 * findings of one file in one place.
 *
 *   # hardock ignore=dockerfile/root-user,DL3008    the next instruction/entry
 *   # hardock global ignore=ID[,ID]                 the whole file
 *   # hadolint ignore=DL3008                        same, through hadolint ids
 *   # hadolint global ignore=DL3008
 *
 * An id matches a rule by its own id, a hadolint id it references, or "all".
 */
#ifndef HD_SUPPRESS_H
#define HD_SUPPRESS_H

#include <stdint.h>

#include "core/config.h"
#include "core/finding.h"

struct hd_suppression {
	uint32_t from_line, to_line; /* lines covered; 0,0 = whole file */
	uint32_t comment_line;       /* where the comment is */
	char *ids;                   /* comma-separated, as written */
};

struct hd_suppressions {
	struct hd_suppression *v;
	size_t n, alloc;
};

void hd_suppressions_init(struct hd_suppressions *s);
void hd_suppressions_release(struct hd_suppressions *s);
int hd_suppressions_add(struct hd_suppressions *s, uint32_t from, uint32_t to,
			uint32_t comment_line, const char *ids, size_t ids_len);
/*
 * Parses a comment body (after the hash) for a suppression pragma.  Returns 1
 * and fills ids, ids_len and global when it is one, 0 when it is not.
 */
int hd_suppress_parse_comment(const char *text, size_t len, const char **ids,
			      size_t *ids_len, int *global);
/*
 * The one suppression filter, for every source: drops the findings of f
 * that a suppression of their file covers (by line, or the whole file) and
 * names (hd_ids_match_rule), except rules flagged HD_RULE_NO_IGNORE, and
 * nothing at all under cfg->no_inline_ignore.  lookup(ctx, file) gives the
 * suppressions of a finding's file (file may be NULL: a finding in no file),
 * or NULL when it has none.
 */
typedef const struct hd_suppressions *hd_suppress_lookup_fn(void *ctx, const char *file);
void hd_suppress_filter(struct hd_findings *f, const struct hd_config *cfg, hd_suppress_lookup_fn *lookup,
			void *ctx);
/* The filter for a source of one file: s covers every finding of f. */
void hd_suppressions_apply(const struct hd_suppressions *s, const struct hd_config *cfg,
			   struct hd_findings *f);
/* True if the comma-separated id list names rule r. */
bool hd_ids_match_rule(const char *ids, size_t len, const struct hd_rule *r);

#endif
