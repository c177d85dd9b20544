/*
 * The Prometheus exposition of hardock's results, written by one piece of
 * code for both consumers: `hardock audit --format prometheus` (a file for
 * node_exporter's textfile collector) and `hardock serve`'s /metrics.
 *
 * Series are gathered into a struct hd_prom (findings counted, verdicts
 * merged), then written in the text format 0.0.4 or OpenMetrics 1.0.0:
 *
 *   hardock_check_status{benchmark="cis-docker-1.6.0",id,section,target,name,image,result} 1
 *       one series per CIS control and object: the verdicts of every rule
 *       that implements the control on that object merge into the worst
 *       (WARN, INFO, PASS, NOTE, SKIP), so that no series is written twice;
 *       host, daemon and engine controls have empty name and image
 *   hardock_findings{severity,target,name,image}   findings counted
 *   hardock_image_vulnerabilities{image,severity,fixable}
 *
 * and, from the run (struct hd_report_run), written first because they
 * change without an audit:
 *
 *   hardock_up, hardock_build_info{version}, hardock_engine_up,
 *   hardock_vulndb_age_seconds{source}, hardock_last_audit_timestamp_seconds,
 *   hardock_audit_duration_seconds
 *
 * `name` and `image` are cAdvisor's labels: the container name without its
 * leading slash and the image reference the container was created with.
 * Series are written sorted (by target, name, image, then CIS order), so the
 * same results give the same bytes.  Label values are escaped as the format
 * asks (backslash, double quote, newline) and bytes that are not UTF-8
 * become U+FFFD.
 *
 * Ownership: a struct hd_prom copies every string it keeps; the objects and
 * runs given are borrowed for the call.
 */
#ifndef HD_REPORT_PROMETHEUS_H
#define HD_REPORT_PROMETHEUS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "core/buf.h"
#include "core/finding.h"
#include "report/report.h"

#define HD_PROM_BENCHMARK "cis-docker-1.6.0"
#define HD_PROM_CT_TEXT "text/plain; version=0.0.4; charset=utf-8"
#define HD_PROM_CT_OPENMETRICS "application/openmetrics-text; version=1.0.0; charset=utf-8"

struct hd_prom;

/* An empty set of series; NULL on OOM. */
struct hd_prom *hd_prom_new(void);
void hd_prom_free(struct hd_prom *p);

/*
 * Counts the findings of f into hardock_findings, labelled through objs (a
 * container's finding is found by its object; may be NULL).  0, -HD_ENOMEM or
 * -HD_ETOOBIG (more than HD_MAX_METRIC_SERIES series).
 */
int hd_prom_add_findings(struct hd_prom *p, const struct hd_findings *f, const struct hd_report_object *objs,
			 size_t n_objs);
/* Counts the findings of f as findings of obj (a container or an image, whatever their file).  Same returns. */
int hd_prom_add_findings_of(struct hd_prom *p, const struct hd_findings *f, const struct hd_report_object *obj);
/* Merges n verdicts into hardock_check_status (rules with a CIS id only).  Same returns. */
int hd_prom_add_checks(struct hd_prom *p, const struct hd_check_result *c, size_t n,
		       const struct hd_report_object *objs, size_t n_objs);
/*
 * The hardock_image_vulnerabilities entries of one scanned image: every
 * severity a feed gives (info to critical), fixable or not, 0 included, so
 * that an image without vulnerabilities is told from one not scanned.
 * Writes HD_PROM_IMAGE_VULNS entries to c (image borrowed); counts is
 * indexed [severity][fixable].
 */
#define HD_PROM_IMAGE_VULNS (2 * (HD_SEV_CRITICAL - HD_SEV_INFO + 1))
void hd_prom_image_vulns(const char *image, const size_t counts[HD_SEV_MAX][2], struct hd_report_vulns *c);
/* Adds vulnerability counts.  Same returns. */
int hd_prom_add_vulns(struct hd_prom *p, const struct hd_report_vulns *v, size_t n);
/* How many series p holds. */
size_t hd_prom_series(const struct hd_prom *p);

/*
 * Writes the families of the run: hardock_up (always 1), build_info, and,
 * when known, engine_up, the vulnerability databases' ages and the last
 * audit's time and duration.  run may be NULL.  0 or the buffer's error.
 */
int hd_prom_write_run(struct hd_buf *out, const struct hd_report_run *run, bool openmetrics);
/* Writes the series of p, sorted.  0 or the buffer's error. */
int hd_prom_write_series(const struct hd_prom *p, struct hd_buf *out, bool openmetrics);
/* What ends an exposition: "# EOF\n" in OpenMetrics, nothing in text. */
const char *hd_prom_trailer(bool openmetrics);

/*
 * Whether an HTTP Accept header asks for OpenMetrics rather than the text
 * format: the media range of higher quality wins, OpenMetrics on a tie; no
 * header means text.
 */
bool hd_prom_wants_openmetrics(const char *accept);

#endif
