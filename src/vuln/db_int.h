/*
 * Between the database (db.c) and the feed readers (feeds.c): the record
 * functions an importer calls inside an import transaction.  vdb_source()
 * makes a source current (replace: its earlier records are deleted first,
 * once per import); vdb_vuln() adds a vulnerability of the current source
 * and gives its row id; vdb_affected() adds what it affects; vdb_forget()
 * removes one id of the current source (a record imported again).
 */
#ifndef HD_VULN_DB_INT_H
#define HD_VULN_DB_INT_H

#include "vuln/db.h"

int vdb_source(struct hd_vdb_import *im, const char *name, const char *format, const char *origin,
	       int64_t feed_time, bool replace);
/* Records a file of a directory import that is no feed (skipped). */
int vdb_skipped(struct hd_vdb_import *im, const char *path);
int vdb_forget(struct hd_vdb_import *im, const char *id);
int vdb_vuln(struct hd_vdb_import *im, const char *id, const char *aliases, const char *summary,
	     const char *severity, double score, int64_t *rid);
int vdb_affected(struct hd_vdb_import *im, const char *eco, const char *name, int64_t rid, enum hd_vdb_kind kind,
		 const char *a, const char *b, const char *c, const char *d);

/* CVSS v3.x base score of a vector ("CVSS:3.1/AV:N/..."), or -1 when it is not one. */
double hd_cvss3_score(const char *vector);
/* "critical", "high", "medium", "low" or "none" for a CVSS score. */
const char *hd_cvss_severity(double score);

#endif
