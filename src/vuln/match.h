/*
 * Matching a package list against the local vulnerability database.
 *
 *   dpkg   by source package and release codename (Debian Security Tracker,
 *          else OSV "Debian:N"), with dpkg order: fixed_version "0" is not
 *          affected, "open"/"undetermined" is unfixed, urgency "unimportant"
 *          and nodsa_reason "ignored"/"postponed" are minor (hidden unless
 *          asked for).
 *   apk    by origin and branch (secdb "vX.Y", else OSV "Alpine:vX.Y"),
 *          with apk order.
 *   npm, PyPI, Go, Maven   OSV SEMVER and ECOSYSTEM ranges (introduced,
 *          fixed, last_affected, limit) and versions[], each ecosystem's
 *          order; withdrawn records were dropped at import.
 * Records of one package that name the same vulnerability (by id or alias)
 * make one finding listing every id.
 *
 * Ownership: a result owns its strings; packages are borrowed from the list
 * given to hd_vuln_match(), which must outlive the result.
 */
#ifndef HD_VULN_MATCH_H
#define HD_VULN_MATCH_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "core/config.h"
#include "core/severity.h"
#include "model/package.h"

struct hd_vdb;

enum hd_vuln_flags {
	HD_VF_UNFIXED = 1u << 0, /* no fixed version yet */
	HD_VF_MINOR = 1u << 1,   /* the distribution judges it unimportant, ignored or postponed */
	HD_VF_IGNORED = 1u << 2, /* listed in the ignore list (ignore_reason says why) */
};

struct hd_vuln_finding {
	const struct hd_package *pkg;
	char *id;           /* the primary id: a CVE when one is known */
	char *ids;          /* every id and alias, space-separated, sorted */
	char *summary;      /* or NULL */
	enum hd_severity severity;
	char *severity_from;/* "Debian urgency high", "CVSS 9.8", "GitHub: HIGH" */
	char *fixed;        /* the first fixed version above the installed one, or NULL */
	char *status;       /* "fixed in X", "no fix yet", "no fix yet (undetermined)", "unimportant",
			       "ignored by Debian: minor issue", "postponed by Debian: ..." */
	char *source;       /* the database source that matched */
	unsigned flags;     /* enum hd_vuln_flags */
	const char *ignore_reason; /* borrowed from the config */
};

struct hd_vuln_result {
	struct hd_vuln_finding *v;
	size_t n, alloc;
	size_t packages_checked;
	size_t hidden_unfixed, hidden_minor, hidden_ignored;
	char **notes;          /* one sentence each: ecosystems without data, expired ignores */
	size_t n_notes, alloc_notes;
};

struct hd_vuln_opts {
	bool ignore_unfixed;   /* hide findings without a fix */
	bool show_minor;       /* show what the distribution judges minor */
	const struct hd_config *cfg; /* the ignore list (may be NULL) */
	int64_t now;           /* to judge ignore-list expiry */
};

void hd_vuln_result_release(struct hd_vuln_result *r);

/* Matches every package of pk.  Returns 0 or -HD_E* (database errors, OOM). */
int hd_vuln_match(struct hd_vdb *db, const struct hd_packages *pk, const struct hd_vuln_opts *o,
		  struct hd_vuln_result *out);

/*
 * Whether version v of scheme s falls in the OSV ranges (compact JSON as
 * stored: [{"t": "SEMVER", "e": [{"introduced": "0"}, {"fixed": "1.2"}]}])
 * or the versions list (JSON array).  *fixed receives the fixed version
 * that ends v's range (a new string, or NULL).  Exposed for the tests.
 */
bool hd_osv_affected(int scheme, const char *v, const char *ranges, const char *versions, char **fixed,
		     bool *last_affected);

#endif
