/*
 * Baselines: the findings a project has accepted for now, by fingerprint
 * (core/finding.h, hd_findings_fingerprint), so that a run reports only
 * what is new.  `lint --write-baseline FILE` records every finding of a
 * run; `lint --baseline FILE` drops the findings whose fingerprint it holds
 * and counts the entries no finding matched (stale: fixed, or moved to
 * another file).
 *
 * The file is text, one entry a line: 32 hex digits, the rule id and the
 * place it was found (for people reading a diff of it; only the
 * fingerprint is matched).  Lines starting with '#' and blank lines are
 * comments.  A baseline holds at most HD_MAX_FINDINGS entries.
 *
 * Ownership: a struct hd_baseline owns its entries' strings.
 */
#ifndef HD_LINT_BASELINE_H
#define HD_LINT_BASELINE_H

#include <stdbool.h>
#include <stddef.h>

#include "core/buf.h"
#include "core/err.h"
#include "core/finding.h"

struct hd_baseline_entry {
	char fp[33];
	char *text; /* "rule place", as written (NULL when read) */
	bool used;  /* a finding of this run matched it */
};

struct hd_baseline {
	struct hd_baseline_entry *v;
	size_t n, alloc;
	bool sorted; /* v is in fingerprint order (lookups) */
};

void hd_baseline_init(struct hd_baseline *b);
void hd_baseline_release(struct hd_baseline *b);
/*
 * Reads a baseline file's content (name for messages).  0, or -HD_EPARSE
 * with *reterr_diag naming the line and column of the first bad entry,
 * -HD_ETOOBIG, -HD_ENOMEM.
 */
int hd_baseline_parse(struct hd_baseline *b, const char *name, const char *data, size_t len,
		      struct hd_diag *reterr_diag);
/* Records every finding of f that has a fingerprint.  0 or -HD_ENOMEM, -HD_ETOOBIG. */
int hd_baseline_record(struct hd_baseline *b, const struct hd_findings *f);
/*
 * Removes from f the findings b holds (each entry matches once) and marks
 * those entries used.  Returns how many were removed.
 */
size_t hd_baseline_filter(struct hd_baseline *b, struct hd_findings *f);
/* Entries no finding matched. */
size_t hd_baseline_stale(const struct hd_baseline *b);
/* Writes the recorded entries as the file's text.  0 or -HD_ETOOBIG / -HD_ENOMEM. */
int hd_baseline_write(const struct hd_baseline *b, struct hd_buf *out);

#endif
