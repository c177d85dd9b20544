/*
 * libFuzzer target for the auditd rules and mount table readers, and the
 * decoder of the kernel's binary rules (struct audit_rule_data).
 */
#include "core/common.h"
#include "model/host.h"
#include "parse/auditrules.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct hd_audit_rules rules = { 0 };
	struct hd_uproblems probs = { 0 };
	struct hd_host_facts h;

	hd_host_facts_init(&h);
	hd_auditrules_parse(&rules, "/etc/audit/rules.d/docker.rules", (const char *)data, size, false,
			    &probs);
	hd_auditrules_parse(&rules, "auditctl -l", (const char *)data, size, true, NULL);
	hd_mountinfo_parse(&h, (const char *)data, size);
	hd_auditrules_decode(&rules, data, size, "kernel", 1);
	hd_audit_rules_release(&rules);
	hd_uproblems_release(&probs);
	hd_host_facts_release(&h);
	return 0;
}
