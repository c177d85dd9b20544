/*
 * Reporters turn a sorted findings list into one output format.  They know
 * formats, nothing else: no rule logic, no parsing.  hd_reporters[] is the one
 * table; `--format NAME` picks an entry.
 */
#ifndef HD_REPORT_H
#define HD_REPORT_H

#include <stdbool.h>
#include <stdio.h>

#include "core/finding.h"

/* The verdict of one check on one subject, for audit-style reports. */
enum hd_check_status {
	HD_CHECK_PASS,
	HD_CHECK_WARN,
	HD_CHECK_INFO,
	HD_CHECK_NOTE,
	HD_CHECK_SKIP,   /* could not be evaluated (say why in note) */
	HD_CHECK_STATUS_MAX
};

struct hd_check_result {
	const struct hd_rule *rule;
	const char *subject;  /* "host", "daemon", a container name, ... (borrowed) */
	enum hd_check_status status;
	const char *note;     /* borrowed; why SKIP/INFO, or NULL */
};

struct hd_report {
	const struct hd_findings *findings;  /* sorted */
	const struct hd_check_result *checks;/* optional (audit): every check run, or NULL */
	size_t n_checks;
	const char *command;                 /* "lint", "audit", ... */
	size_t files_scanned;
	bool color;
	bool quiet;                          /* text: findings only, no summary */
	/*
	 * Streaming (line formats only): `part` prints the findings without the
	 * summary, for one file at a time; `counts`, when set, gives the summary
	 * per severity of everything streamed before (findings is then empty).
	 */
	bool part;
	const size_t *counts;
	enum hd_severity fail_on;
};

struct hd_reporter {
	const char *name;
	/* Writes the report to out; returns 0 or a negative HD_E*. */
	int (*emit)(FILE *out, const struct hd_report *rep);
	bool streams; /* can print file by file (struct hd_report.part) */
};

extern const struct hd_reporter hd_reporters[];
extern const size_t hd_reporter_count;
const struct hd_reporter *hd_reporter_find(const char *name);

#endif
