/*
 * Audit runs: the rules of a subject evaluated one by one with a verdict per
 * rule (PASS, WARN, INFO, NOTE, SKIP), for the docker-bench style report and
 * for json/sarif/junit.  Used by `hardock audit host|daemon|engine`.
 *
 * Ownership: hd_checks owns the subject and note strings of its results.
 */
#ifndef HD_AUDIT_H
#define HD_AUDIT_H

#include "core/finding.h"
#include "report/report.h"

struct hd_checks {
	struct hd_check_result *v;
	size_t n, alloc;
};

void hd_checks_init(struct hd_checks *c);
void hd_checks_release(struct hd_checks *c);
int hd_checks_add(struct hd_checks *c, const struct hd_rule *r, const char *subject,
		  enum hd_check_status st, const char *note);

/*
 * Runs every enabled rule of m->kind on m, appends findings to out and one
 * check result per rule to checks: WARN when it reported a finding at or
 * above low, INFO when only info findings, NOTE when not applicable (with the
 * note `na_note` if given), PASS otherwise.  Rules flagged LIVE_ONLY are
 * recorded as SKIP with `offline_note` when `offline` is true.
 */
int hd_audit_run(const struct hd_model *m, const char *subject, bool offline,
		 struct hd_findings *out, struct hd_checks *checks);

#endif
