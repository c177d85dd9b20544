/*
 * Placeholder for the engine audit until its implementation lands; see
 * audit/engine_entry.h.  Delete this file (and its meson line) when
 * hd_audit_engine() is defined for real.
 */
#include "core/common.h"
#include "audit/engine_entry.h"

int hd_audit_engine(const struct hd_audit_opts *o, struct hd_findings *f, struct hd_checks *c)
{
	(void)o;
	(void)f;
	(void)c;
	return -HD_EUNSUPPORTED;
}

void hd_engine_audit_status_init(struct hd_engine_audit_status *s)
{
	memset(s, 0, sizeof(*s));
}

void hd_engine_audit_status_release(struct hd_engine_audit_status *s)
{
	if (!s)
		return;
	hd_strlist_release(&s->errors);
	hd_strlist_release(&s->notes);
	memset(s, 0, sizeof(*s));
}

int hd_engine_facts_fetch(const struct hd_audit_opts *o, struct hd_engine_facts **ret, char **errmsg)
{
	(void)o;
	*ret = NULL;
	*errmsg = NULL;
	return -HD_EUNSUPPORTED;
}
