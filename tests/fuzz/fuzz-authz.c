/*
 * libFuzzer target for what the authorization plugin reads from the daemon:
 * the first byte picks the entry point.  Even: the rest is a whole AuthZReq
 * (hd_authz_decide, which must always give a decision, and a deny whenever
 * it cannot read the request).  Odd: the rest is a container create body
 * (hd_inspect_create_body), judged by the container rules as the plugin
 * would.  Only success or a clean error is acceptable.
 */
#include "core/common.h"
#include "core/config.h"
#include "core/finding.h"
#include "authz/authz.h"
#include "model/container.h"
#include "parse/inspect.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct hd_config cfg;
	struct hd_authz_policy p;

	if (size < 1)
		return 0;
	hd_config_init(&cfg);
	hd_authz_policy_init(&p);
	p.no_host_facts = true;
	if ((data[0] & 1) == 0) {
		struct hd_authz_decision d;

		memset(&d, 0, sizeof(d));
		if (hd_authz_decide(&p, (const char *)data + 1, size - 1, &d) == 0) {
			/* A decision always says why it denies. */
			if (!d.allow && (!d.msg || !*d.msg))
				abort();
			hd_authz_decision_release(&d);
		}
	} else {
		struct hd_container_spec *c = NULL;
		struct hd_diag diag = { 0 };
		struct hd_findings out;
		struct hd_model m = { .kind = HD_TARGET_CONTAINER, .cfg = &cfg };

		hd_findings_init(&out);
		if (hd_inspect_create_body((const char *)data + 1, size - 1, NULL, &c, &diag) == 0) {
			m.ctr = c;
			hd_run_rules(&m, &out);
			hd_container_spec_free(c);
		}
		hd_diag_release(&diag);
		hd_findings_release(&out);
	}
	hd_config_release(&cfg);
	hd_authz_policy_release(&p);
	return 0;
}
