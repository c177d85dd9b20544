/*
 * image/vulnerable-package: one finding per vulnerability per installed
 * package, from the matcher's result (src/vuln/match.h) that the image
 * session hangs on the image spec.  Severity, fixed version, status and
 * every id come from the feed; the rule only reports them.
 */
#include "core/common.h"
#include "core/finding.h"
#include "core/rule.h"
#include "model/image.h"
#include "vuln/match.h"

static hd_check_fn check_vulnerable_package;
const struct hd_rule hd_rule_image_vulnerable_package = {
	.id = "image/vulnerable-package",
	.title = "Image contains a package with a known vulnerability",
	.severity = HD_SEV_MEDIUM,
	.target = HD_TARGET_IMAGE,
	.cis = "4.4",
	.owasp = "D02",
	.other = "trivy:vulnerability grype:vulnerability",
	.rationale = "A package the image installs is affected by a published vulnerability, according to the "
		     "local vulnerability database (Debian Security Tracker, Alpine secdb, OSV). The finding's "
		     "severity is the feed's own (Debian urgency, CVSS or the advisory's rating). OS packages are "
		     "matched by their source package and the distribution's own judgement is kept: Debian's "
		     "'unimportant' and 'ignored'/'postponed' issues are hidden unless asked for, and language "
		     "packages that an OS package installed are not matched again against upstream advisories, "
		     "whose fixes the distribution may have backported.",
	.remediation = "Rebuild the image on an updated base and upgrade the package to the fixed version named "
		       "in the finding (`apt-get upgrade`, `apk upgrade`, a newer dependency in the lock file). "
		       "When a fix does not exist yet or the issue does not apply, record why in .hardock.yaml "
		       "under `ignore-vulnerabilities` with an expiry date.",
	.check = check_vulnerable_package,
};

static int check_vulnerable_package(const struct hd_model *m, const struct hd_rule *r, struct hd_check *ck)
{
	const struct hd_image_spec *img = m->img;
	const struct hd_vuln_result *res = img->vulns;
	size_t i;
	int rc = 0;

	(void)r;
	if (!res)
		return hd_not_applicable(ck, "the image's packages were not matched against a vulnerability database");
	for (i = 0; i < res->n && rc == 0; i++) {
		const struct hd_vuln_finding *f = &res->v[i];
		const struct hd_package *p = f->pkg;
		struct hd_loc loc = { 0 };
		bool src = hd_eco_is_os(p->eco) && p->source_name && strcmp(p->source_name, p->name);

		loc.object = img->name;
		loc.field = p->path;
		rc = hd_report_sev(ck, f->severity, &loc, "%s %s %s%s%s%s is affected by %s%s%s: %s (%s)%s%s",
				   hd_eco_name(p->eco), p->name, p->version, src ? " (source " : "",
				   src ? p->source_name : "", src ? ")" : "", f->id,
				   strcmp(f->ids, f->id) ? ", also " : "", strcmp(f->ids, f->id) ? f->ids : "",
				   f->status, f->severity_from ? f->severity_from : "no rating",
				   f->summary ? " - " : "", f->summary ? f->summary : "");
	}
	return rc;
}
