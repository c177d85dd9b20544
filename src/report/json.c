/*
 * The JSON report: every finding with its rule's references (CIS, OWASP,
 * hadolint, other tools), so results can be grouped by any of them; the
 * audit's per-check verdicts when present; a summary.  Key order is fixed and
 * no timestamp is written, so output is deterministic.
 */
#include "core/common.h"
#include "report/report_int.h"

#include <jansson.h>

static json_t *ref_array(const char *list)
{
	json_t *a = json_array();
	char id[128];
	const char *p = list;

	if (!a || !list)
		return a;
	while (hd_ref_next(&p, id, sizeof(id)))
		json_array_append_new(a, json_string(id));
	return a;
}

json_t *hd_json_rule_refs(const struct hd_rule *r);
json_t *hd_json_rule_refs(const struct hd_rule *r)
{
	json_t *o = json_object();

	if (!o)
		return NULL;
	json_object_set_new(o, "cis", ref_array(r->cis));
	json_object_set_new(o, "owasp", ref_array(r->owasp));
	json_object_set_new(o, "hadolint", ref_array(r->hadolint));
	json_object_set_new(o, "other", ref_array(r->other));
	return o;
}

static void set_str(json_t *o, const char *k, const char *v)
{
	if (v)
		json_object_set_new(o, k, json_string(v));
}

static void set_uint(json_t *o, const char *k, uint32_t v)
{
	if (v)
		json_object_set_new(o, k, json_integer(v));
}

static const char *const status_names[HD_CHECK_STATUS_MAX] = {
	[HD_CHECK_PASS] = "PASS", [HD_CHECK_WARN] = "WARN", [HD_CHECK_INFO] = "INFO",
	[HD_CHECK_NOTE] = "NOTE", [HD_CHECK_SKIP] = "SKIP",
};

int hd_report_json(FILE *out, const struct hd_report *rep)
{
	json_t *root = json_object(), *tool = json_object(), *arr = json_array(), *sum = json_object(),
	       *by = json_object();
	size_t counts[HD_SEV_MAX], i;
	int r = 0;

	if (!root || !tool || !arr || !sum || !by) {
		r = -HD_ENOMEM;
		goto out;
	}
	json_object_set_new(tool, "name", json_string("hardock"));
	json_object_set_new(tool, "version", json_string(HD_VERSION));
	json_object_set_new(root, "tool", tool);
	tool = NULL;
	set_str(root, "command", rep->command);
	for (i = 0; i < rep->findings->n; i++) {
		const struct hd_finding *f = &rep->findings->v[i];
		json_t *o = json_object();

		if (!o) {
			r = -HD_ENOMEM;
			goto out;
		}
		json_object_set_new(o, "rule", json_string(f->rule->id));
		json_object_set_new(o, "severity", json_string(hd_severity_name(f->severity)));
		json_object_set_new(o, "title", json_string(f->rule->title ? f->rule->title : ""));
		json_object_set_new(o, "message", json_string(f->message));
		set_str(o, "file", f->file);
		set_uint(o, "line", f->line);
		set_uint(o, "column", f->col);
		set_uint(o, "end_line", f->end_line);
		set_uint(o, "end_column", f->end_col);
		set_str(o, "object", f->object);
		set_str(o, "field", f->field);
		json_object_set_new(o, "references", hd_json_rule_refs(f->rule));
		json_array_append_new(arr, o);
	}
	json_object_set_new(root, "findings", arr);
	arr = NULL;
	if (rep->checks) {
		json_t *ca = json_array();

		for (i = 0; ca && i < rep->n_checks; i++) {
			const struct hd_check_result *c = &rep->checks[i];
			json_t *o = json_object();

			json_object_set_new(o, "rule", json_string(c->rule->id));
			set_str(o, "cis", c->rule->cis);
			json_object_set_new(o, "title", json_string(c->rule->title ? c->rule->title : ""));
			set_str(o, "subject", c->subject);
			json_object_set_new(o, "status", json_string(status_names[c->status]));
			set_str(o, "note", c->note);
			json_array_append_new(ca, o);
		}
		json_object_set_new(root, "checks", ca);
	}
	hd_report_counts(rep->findings, counts);
	if (rep->files_scanned)
		json_object_set_new(sum, "files", json_integer((json_int_t)rep->files_scanned));
	json_object_set_new(sum, "findings", json_integer((json_int_t)rep->findings->n));
	for (i = HD_SEV_MAX; i-- > HD_SEV_INFO;)
		json_object_set_new(by, hd_severity_name((enum hd_severity)i), json_integer((json_int_t)counts[i]));
	json_object_set_new(sum, "by_severity", by);
	by = NULL;
	json_object_set_new(root, "summary", sum);
	sum = NULL;
	if (json_dumpf(root, out, JSON_INDENT(2) | JSON_PRESERVE_ORDER) < 0)
		r = -HD_EIO;
	fputc('\n', out);
out:
	json_decref(root);
	json_decref(tool);
	json_decref(arr);
	json_decref(sum);
	json_decref(by);
	return r;
}
