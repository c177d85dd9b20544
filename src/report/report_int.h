/*
 * Internal to the reporters: their entry points and shared helpers.
 */
#ifndef HD_REPORT_INT_H
#define HD_REPORT_INT_H

#include "report/report.h"

int hd_report_text(FILE *out, const struct hd_report *rep);
int hd_report_json(FILE *out, const struct hd_report *rep);
int hd_report_sarif(FILE *out, const struct hd_report *rep);
int hd_report_junit(FILE *out, const struct hd_report *rep);
int hd_report_github(FILE *out, const struct hd_report *rep);
int hd_report_gnu(FILE *out, const struct hd_report *rep);

/* Copies the next id of a comma/space separated list into out; 0 at the end. */
size_t hd_ref_next(const char **p, char *out, size_t outsz);
/* Counts findings per severity. */
void hd_report_counts(const struct hd_findings *f, size_t counts[HD_SEV_MAX]);

#endif
