/*
 * `hardock harden audit-rules`: an auditd rules file watching every path of
 * CIS 1.1.3-1.1.18 that exists on the host, with write and attribute changes
 * recorded under the key "docker".
 */
#include "core/common.h"
#include "core/buf.h"
#include "harden/harden.h"

char *hd_harden_audit_rules(const struct hd_host_facts *h)
{
	struct hd_buf b = HD_BUF_INIT(1u << 20);
	struct hd_strlist seen = { 0 };
	size_t k, i;
	int r;

	r = hd_buf_addstr(&b,
			  "## Docker's files and directories, audited as the CIS Docker Benchmark\n"
			  "## (1.1.3 to 1.1.18) recommends: writes and attribute changes, key \"docker\".\n"
			  "## Written by `hardock harden audit-rules`; load with `augenrules --load`.\n"
			  "## The watch on dockerd's data-root records container file changes too;\n"
			  "## size the audit log accordingly.\n");
	for (k = 0; r >= 0 && k < HD_AP_MAX; k++) {
		for (i = 0; r >= 0 && i < h->apaths[k].n; i++) {
			const struct hd_file_fact *f = &h->apaths[k].v[i];
			const char *p = f->canon ? f->canon : f->path;

			if (f->type == HD_FT_MISSING || hd_strlist_has(&seen, p))
				continue;
			r = hd_strlist_add(&seen, p);
			if (r >= 0)
				r = hd_buf_addf(&b, "-w %s -p wa -k docker\n", p);
		}
	}
	hd_strlist_release(&seen);
	if (r < 0) {
		hd_buf_release(&b);
		return NULL;
	}
	return hd_buf_detach(&b, NULL);
}
