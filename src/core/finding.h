/*
 * Findings: what a rule reports about one subject.
 *
 * Ownership: an hd_findings list owns every string of its findings (message,
 * file, object, field, snippet) in a string arena of its own, freed all at
 * once by hd_findings_release(); hd_findings_vadd() copies what it is given,
 * and findings of one file share one copy of its path.  A large run holds
 * tens of thousands of findings, so this keeps memory to the bytes of the
 * strings themselves.  Rules only report, through the struct hd_check of
 * core/rule.h, which applies the config's severity override; suppressions
 * and the failure threshold are applied afterwards (suppress.c, the exit-code
 * policy).
 */
#ifndef HD_FINDING_H
#define HD_FINDING_H

#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "core/rule.h"
#include "core/severity.h"

/*
 * Where a finding points.  For files: file + line/col (1-based; col counts
 * bytes) and optionally the end.  For live objects: object (container or image
 * name/id) and field (a JSON path like "HostConfig.Privileged").  Unused
 * fields are 0/NULL.
 */
struct hd_loc {
	const char *file;
	uint32_t line, col, end_line, end_col;
	const char *object;
	const char *field;
	const char *layer;  /* images: the digest of the layer that holds what is reported, or NULL */
};

struct hd_finding {
	const struct hd_rule *rule;
	enum hd_severity severity; /* after overrides */
	char *message;             /* specific to the case: names the package, image, ... */
	char *file;
	uint32_t line, col, end_line, end_col;
	char *object;
	char *field;
	char *layer;               /* image layer digest, or NULL */
	char *snippet;             /* the source line at `line`, filled by the lint driver, or NULL */
	char *fingerprint;         /* 32 hex digits (hd_findings_fingerprint), or NULL */
};

struct hd_strchunk;

struct hd_findings {
	struct hd_finding *v;
	size_t n, alloc;
	struct hd_strchunk *chunks; /* the string arena; newest first */
};

/* Copies s[0..n) into the list's arena; NULL on OOM. */
char *hd_findings_strndup(struct hd_findings *f, const char *s, size_t n);

void hd_findings_init(struct hd_findings *f);
void hd_findings_release(struct hd_findings *f);
/*
 * Appends a finding of rule r with severity sev at loc with a message.  Only
 * the reporting context (hd_report() in core/finding.c) and tests call this:
 * rules and drivers report through a struct hd_check, so that severity
 * overrides are applied in one place.
 */
int hd_findings_vadd(struct hd_findings *f, const struct hd_rule *r, enum hd_severity sev,
		     const struct hd_loc *loc, const char *fmt, va_list ap) __attribute__((format(printf, 5, 0)));
/*
 * For drivers reporting a loader rule (a parse error, an unreadable file):
 * one finding of rule r at loc through a reporting context under cfg (may be
 * NULL), so the config's severity override applies as for every rule.
 */
int hd_report_rule(struct hd_findings *out, const struct hd_rule *r, const struct hd_config *cfg,
		   const struct hd_loc *loc, const char *fmt, ...) __attribute__((format(printf, 5, 6)));
/* Moves all findings of src to the end of dst; src is left empty. */
int hd_findings_move(struct hd_findings *dst, struct hd_findings *src);
/* Sorts by file, line, col, object, rule id, message (deterministic output). */
void hd_findings_sort(struct hd_findings *f);
/* Appends a copy of finding x (its strings copied into dst's arena); 0 or -HD_ENOMEM. */
int hd_findings_add_copy(struct hd_findings *dst, const struct hd_finding *x);
/*
 * Merges findings of one rule at one place (file, line, column): the same
 * problem seen through several objects (one env_file line for every service
 * and project that includes it, one CI variable for every container of a
 * job).  The first stays, its object becomes the list of every object, and
 * its message says which others it applies to; the highest severity wins.
 * Order of the rest kept.  0 or -HD_ENOMEM.
 */
int hd_findings_merge_same_place(struct hd_findings *f);
/*
 * Gives each finding of f (sorted, one group of files) its fingerprint, for
 * baselines and SARIF's partialFingerprints: a hash of the rule id, the
 * file, the flagged line with its blanks squeezed (the message with its
 * digits dropped when there is no line), and the occurrence of that triple
 * in f.  It survives lines added or removed elsewhere in the file and a
 * change of indentation.  0 or -HD_ENOMEM.
 */
int hd_findings_fingerprint(struct hd_findings *f);
/* Removes the findings pred accepts (order of the rest kept). */
void hd_findings_remove_if(struct hd_findings *f, int (*pred)(const struct hd_finding *, void *), void *ctx);

/*
 * Runs every enabled rule of m->kind on the subject m.  Rules disabled by the
 * config are skipped; severity overrides are applied to what they report.
 */
int hd_run_rules(const struct hd_model *m, struct hd_findings *out);
/* Whether catalogue rule i judges subjects of m's kind and is enabled under m->cfg. */
bool hd_rule_runs_on(const struct hd_model *m, size_t i);
/*
 * Runs catalogue rule i on m, reporting into out through ck (which tells,
 * afterwards, how many findings it reported, their highest severity, and
 * the reason when it did not apply).  Returns 0, HD_RULE_NOT_APPLICABLE or a
 * negative HD_E*.
 */
int hd_run_rule(const struct hd_model *m, size_t i, struct hd_findings *out, struct hd_check *ck);

#endif
