/*
 * Per-rule verdicts for audit reports; see audit.h.
 */
#include "core/common.h"
#include "core/config.h"
#include "audit/audit.h"

void hd_checks_init(struct hd_checks *c)
{
	c->v = NULL;
	c->n = c->alloc = 0;
}

void hd_checks_release(struct hd_checks *c)
{
	size_t i;

	if (!c)
		return;
	for (i = 0; i < c->n; i++) {
		hd_free((char *)c->v[i].subject);
		hd_free((char *)c->v[i].note);
	}
	hd_free(c->v);
	hd_checks_init(c);
}

int hd_checks_add(struct hd_checks *c, const struct hd_rule *r, const char *subject,
		  enum hd_check_status st, const char *note)
{
	struct hd_check_result *x;

	if (HD_GROW(c->v, c->alloc, c->n + 1) < 0)
		return -HD_ENOMEM;
	x = &c->v[c->n];
	x->rule = r;
	x->status = st;
	x->subject = subject ? hd_strdup(subject) : NULL;
	x->note = note ? hd_strdup(note) : NULL;
	if ((subject && !x->subject) || (note && !x->note)) {
		hd_free((char *)x->subject);
		hd_free((char *)x->note);
		return -HD_ENOMEM;
	}
	c->n++;
	return 0;
}

int hd_audit_run(const struct hd_model *m, const char *subject, bool offline,
		 struct hd_findings *out, struct hd_checks *checks)
{
	struct hd_check ck;
	size_t i;
	int r;

	for (i = 0; i < hd_rule_count; i++) {
		const struct hd_rule *rule = hd_rules[i];
		enum hd_check_status st = HD_CHECK_PASS;

		if (!hd_rule_runs_on(m, i))
			continue;
		if (offline && (rule->flags & HD_RULE_LIVE_ONLY)) {
			r = hd_checks_add(checks, rule, subject, HD_CHECK_SKIP,
					  "needs the live system; not checked with --root");
			if (r < 0)
				return r;
			continue;
		}
		r = hd_run_rule(m, i, out, &ck);
		if (r < 0)
			return r;
		if (r == HD_RULE_NOT_APPLICABLE) {
			r = hd_checks_add(checks, rule, subject, HD_CHECK_NOTE,
					  ck.note[0] ? ck.note : "not applicable here");
			if (r < 0)
				return r;
			continue;
		}
		if (ck.max_sev >= HD_SEV_LOW)
			st = HD_CHECK_WARN;
		else if (ck.reported)
			st = HD_CHECK_INFO;
		r = hd_checks_add(checks, rule, subject, st, NULL);
		if (r < 0)
			return r;
	}
	return 0;
}
