/*
 * The catalogue array, built from the per-domain .def lists by X-macros, and
 * look-ups by id and by reference.
 */
#include "core/common.h"
#include "core/rule.h"

#define HD_RULE(name, id) extern const struct hd_rule hd_rule_##name;
#include "rules/registry.def"
#undef HD_RULE

#define HD_RULE(name, id) &hd_rule_##name,
const struct hd_rule *const hd_rules[] = {
#include "rules/registry.def"
	NULL
};
#undef HD_RULE

/* The ids as the .def lines state them, in catalogue order; the catalogue test
 * checks each equals the id of the rule the line registers. */
#define HD_RULE(name, id) id,
const char *const hd_rule_def_ids[] = {
#include "rules/registry.def"
	NULL
};
#undef HD_RULE

const size_t hd_rule_count = HD_ARRAY_SIZE(hd_rules) - 1;

int hd_rule_has_ref(const char *list, const char *ref)
{
	size_t n = strlen(ref);
	const char *p = list;

	if (!list || !n)
		return 0;
	while (*p) {
		const char *e;

		while (*p == ' ' || *p == ',')
			p++;
		e = p;
		while (*e && *e != ',' && *e != ' ')
			e++;
		if ((size_t)(e - p) == n && strncasecmp(p, ref, n) == 0)
			return 1;
		p = e;
	}
	return 0;
}

const struct hd_rule *hd_rule_find(const char *id)
{
	size_t i;

	for (i = 0; i < hd_rule_count; i++) {
		if (strcmp(hd_rules[i]->id, id) == 0)
			return hd_rules[i];
	}
	for (i = 0; i < hd_rule_count; i++) {
		if (hd_rule_has_ref(hd_rules[i]->hadolint, id))
			return hd_rules[i];
	}
	return NULL;
}

bool hd_rule_named(const struct hd_rule *r, const char *name)
{
	if (strcmp(name, r->id) == 0 || hd_rule_has_ref(r->hadolint, name))
		return true;
	/* "CIS-5.5", any case, names every rule with CIS Docker Benchmark check 5.5. */
	return r->cis && strncasecmp(name, "CIS-", 4) == 0 && name[4] && hd_rule_has_ref(r->cis, name + 4);
}

bool hd_rule_name_known(const char *name)
{
	size_t i;

	for (i = 0; i < hd_rule_count; i++) {
		if (hd_rule_named(hd_rules[i], name))
			return true;
	}
	return false;
}
