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
