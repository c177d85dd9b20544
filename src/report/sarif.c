/*
 * SARIF 2.1.0 for code-scanning services: the rules used (with their
 * references as tags and a security-severity), and one result per finding
 * with a physical location (file, region) or a logical one (container,
 * field).  Validated against the official schema in the tests.
 */
#include "core/common.h"
#include "core/buf.h"
#include "report/report_int.h"

#include <jansson.h>

static const char *sarif_level(enum hd_severity s)
{
	switch (s) {
	case HD_SEV_ERROR:
	case HD_SEV_CRITICAL:
	case HD_SEV_HIGH: return "error";
	case HD_SEV_MEDIUM: return "warning";
	default: return "note";
	}
}

static const char *security_severity(enum hd_severity s)
{
	switch (s) {
	case HD_SEV_ERROR:
	case HD_SEV_CRITICAL: return "9.5";
	case HD_SEV_HIGH: return "8.0";
	case HD_SEV_MEDIUM: return "5.5";
	case HD_SEV_LOW: return "3.0";
	default: return "1.0";
	}
}

/* A relative file path as a URI reference: unreserved characters and '/' kept. */
static json_t *path_uri(const char *path)
{
	struct hd_buf b = HD_BUF_INIT(1u << 16);
	const unsigned char *p;
	json_t *s;

	for (p = (const unsigned char *)path; *p; p++) {
		if (isalnum(*p) || strchr("-._~/", *p))
			hd_buf_addch(&b, (char)*p);
		else
			hd_buf_addf(&b, "%%%02X", *p);
	}
	s = json_string(b.buf);
	hd_buf_release(&b);
	return s;
}

static void add_tags(json_t *tags, const char *prefix, const char *list)
{
	char id[128], tag[160];
	const char *p = list;

	if (!list)
		return;
	while (hd_ref_next(&p, id, sizeof(id))) {
		snprintf(tag, sizeof(tag), "%s%s", prefix, id);
		json_array_append_new(tags, json_string(tag));
	}
}

static json_t *rule_descriptor(const struct hd_rule *r)
{
	json_t *o = json_object(), *props = json_object(), *tags = json_array(), *cfg = json_object();
	char *md;

	json_object_set_new(o, "id", json_string(r->id));
	json_object_set_new(o, "shortDescription", json_pack("{s:s}", "text", r->title ? r->title : r->id));
	if (r->rationale)
		json_object_set_new(o, "fullDescription", json_pack("{s:s}", "text", r->rationale));
	md = hd_asprintf("%s\n\n**Remediation:** %s%s%s%s", r->rationale ? r->rationale : "",
			 r->remediation ? r->remediation : "",
			 r->good_example ? "\n\n```\n" : "", r->good_example ? r->good_example : "",
			 r->good_example ? "\n```" : "");
	json_object_set_new(o, "help", json_pack("{s:s,s:s}", "text", r->remediation ? r->remediation : "",
						 "markdown", md ? md : ""));
	hd_free(md);
	json_object_set_new(cfg, "level", json_string(sarif_level(r->severity)));
	json_object_set_new(o, "defaultConfiguration", cfg);
	json_array_append_new(tags, json_string("security"));
	add_tags(tags, "CIS-", r->cis);
	add_tags(tags, "OWASP-", r->owasp);
	add_tags(tags, "", r->hadolint);
	json_object_set_new(props, "tags", tags);
	json_object_set_new(props, "security-severity", json_string(security_severity(r->severity)));
	json_object_set_new(o, "properties", props);
	return o;
}

int hd_report_sarif(FILE *out, const struct hd_report *rep)
{
	const struct hd_findings *fs = rep->findings;
	const struct hd_rule **used = NULL;
	size_t n_used = 0, alloc_used = 0, i, j;
	json_t *root, *run, *rules, *results;
	int r = 0;

	root = json_object();
	run = json_object();
	rules = json_array();
	results = json_array();
	if (!root || !run || !rules || !results) {
		json_decref(root);
		json_decref(run);
		json_decref(rules);
		json_decref(results);
		return -HD_ENOMEM;
	}
	json_object_set_new(root, "$schema", json_string("https://json.schemastore.org/sarif-2.1.0.json"));
	json_object_set_new(root, "version", json_string("2.1.0"));
	for (i = 0; i < fs->n; i++) {
		const struct hd_finding *f = &fs->v[i];
		json_t *res = json_object(), *locs = json_array(), *loc = json_object();

		for (j = 0; j < n_used && used[j] != f->rule; j++)
			;
		if (j == n_used) {
			if (HD_GROW(used, alloc_used, n_used + 1) < 0) {
				r = -HD_ENOMEM;
				json_decref(res);
				json_decref(locs);
				json_decref(loc);
				break;
			}
			used[n_used++] = f->rule;
			json_array_append_new(rules, rule_descriptor(f->rule));
		}
		json_object_set_new(res, "ruleId", json_string(f->rule->id));
		json_object_set_new(res, "ruleIndex", json_integer((json_int_t)j));
		json_object_set_new(res, "level", json_string(sarif_level(f->severity)));
		json_object_set_new(res, "message", json_pack("{s:s}", "text", f->message));
		if (f->file) {
			json_t *phys = json_object();

			json_object_set_new(phys, "artifactLocation", json_pack("{s:o}", "uri", path_uri(f->file)));
			if (f->line) {
				json_t *region = json_object();

				json_object_set_new(region, "startLine", json_integer(f->line));
				if (f->col)
					json_object_set_new(region, "startColumn", json_integer(f->col));
				if (f->end_line >= f->line && f->end_line)
					json_object_set_new(region, "endLine", json_integer(f->end_line));
				if (f->end_col && f->end_line == f->line && f->end_col > f->col)
					json_object_set_new(region, "endColumn", json_integer(f->end_col));
				if (f->snippet)
					json_object_set_new(region, "snippet", json_pack("{s:s}", "text", f->snippet));
				json_object_set_new(phys, "region", region);
			}
			json_object_set_new(loc, "physicalLocation", phys);
		}
		if (f->object || f->field) {
			json_t *ll = json_array(), *l = json_object();
			char *fq = hd_asprintf("%s%s%s", f->object ? f->object : "", f->object && f->field ? "/" : "",
					       f->field ? f->field : "");

			json_object_set_new(l, "name", json_string(f->field ? f->field : f->object));
			json_object_set_new(l, "fullyQualifiedName", json_string(fq ? fq : ""));
			json_object_set_new(l, "kind", json_string("resource"));
			hd_free(fq);
			json_array_append_new(ll, l);
			json_object_set_new(loc, "logicalLocations", ll);
		}
		json_array_append_new(locs, loc);
		json_object_set_new(res, "locations", locs);
		json_object_set_new(res, "properties",
				    json_pack("{s:s}", "severity", hd_severity_name(f->severity)));
		json_array_append_new(results, res);
	}
	hd_free(used);
	json_object_set_new(run, "tool",
			    json_pack("{s:{s:s,s:s,s:s,s:o}}", "driver", "name", "hardock", "version", HD_VERSION,
				      "informationUri", "https://hardock.dev/", "rules", rules));
	json_object_set_new(run, "results", results);
	json_object_set_new(root, "runs", json_pack("[o]", run));
	if (r == 0 && json_dumpf(root, out, JSON_INDENT(2) | JSON_PRESERVE_ORDER) < 0)
		r = -HD_EIO;
	fputc('\n', out);
	json_decref(root);
	return r;
}
