/*
 * Severities, from "info" to "critical", plus "error" for input that could not
 * be read or parsed (it always makes the run exit 2).  Conversion to and from
 * names goes through one table in finding.c.
 */
#ifndef HD_SEVERITY_H
#define HD_SEVERITY_H

enum hd_severity {
	HD_SEV_NONE = 0, /* "none": used as a threshold that never fails */
	HD_SEV_INFO,
	HD_SEV_LOW,
	HD_SEV_MEDIUM,
	HD_SEV_HIGH,
	HD_SEV_CRITICAL,
	HD_SEV_ERROR,    /* parse or read error of an input */
	HD_SEV_MAX
};

const char *hd_severity_name(enum hd_severity s);
/*
 * The severity a user means by a name on the command line or in
 * .hardock.yaml: hardock's names (info, low, medium, high, critical, none),
 * and other tools' where they differ: hadolint's error (high), warning
 * (medium) and style (info).  Never HD_SEV_ERROR.  -1 when unknown.
 */
int hd_severity_from_name(const char *name);
/*
 * The same in a .hadolint.yaml, where the names are hadolint's levels:
 * error = high, warning = medium, info = low, style = info, ignore/none =
 * none; hardock's other names are accepted too.  -1 when unknown.
 */
int hd_severity_from_hadolint(const char *name);

#endif
