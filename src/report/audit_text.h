/*
 * The text report of `hardock audit`: every check in CIS order with its
 * verdict (PASS, WARN, INFO, NOTE, SKIP), the findings under the checks that
 * have them, and a count and score per CIS section, in the layout
 * docker-bench-security users know.  Used for format "text" when the report
 * carries checks (hd_cli_report() picks it); findings-only reports keep the
 * plain text reporter.
 */
#ifndef HD_REPORT_AUDIT_TEXT_H
#define HD_REPORT_AUDIT_TEXT_H

#include <stdio.h>

#include "report/report.h"

int hd_report_audit_text(FILE *out, const struct hd_report *rep);

#endif
