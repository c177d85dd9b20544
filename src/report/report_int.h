/*
 * Internal to the reporters: the report being written, the formats' entry
 * points and what several formats share.
 */
#ifndef HD_REPORT_INT_H
#define HD_REPORT_INT_H

#include "report/report.h"

struct hd_output {
	const struct hd_reporter *rep;
	FILE *out;
	struct hd_output_opts opts;
	size_t counts[HD_SEV_MAX];  /* findings written so far, per severity */
	size_t n_findings;
	size_t files;               /* files scanned: set by hd_output_end before rep->end */
	bool checks_done;
	int err;                    /* the first error met, or 0 */
	void *state;                /* rep->state_size bytes, zeroed; the format's own */
};

extern const struct hd_reporter hd_reporter_text, hd_reporter_json, hd_reporter_sarif,
	hd_reporter_junit, hd_reporter_github, hd_reporter_gnu, hd_reporter_html, hd_reporter_prometheus;
/* The docker-bench style audit list: what "text" becomes for a report with checks. */
extern const struct hd_reporter hd_reporter_audit_text;

/* The titles of the CIS Docker Benchmark's sections; [0] is for checks without a CIS id. */
extern const char *const hd_cis_section_titles[];
extern const size_t hd_cis_section_count;

/* Copies the next id of a comma/space separated list into out; 0 at the end. */
size_t hd_ref_next(const char **p, char *out, size_t outsz);
/* Writes s with the five XML entities escaped and forbidden control bytes as '?'. */
void hd_xml_put(FILE *out, const char *s);

#endif
