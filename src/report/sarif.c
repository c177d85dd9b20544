/*
 * SARIF 2.1.0 for code-scanning services: one result per finding with a
 * physical location (file, region) or a logical one (container, field), and
 * the rules used (with their references as tags, a security-severity and
 * the helpUri of their page), and partialFingerprints when the driver gave
 * fingerprints (lint: the baseline's).
 * Validated against the official schema in the tests.
 *
 * Results are written as they arrive; the run's tool.driver, whose rules
 * array lists the rules in the order results first used them (ruleIndex
 * points into it), follows the results, so nothing but the set of rules used
 * is kept.  SARIF does not order an object's properties.
 */
#include "core/common.h"
#include "core/buf.h"
#include "report/jsonw.h"
#include "report/report_int.h"

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

struct sarif_state {
	struct hd_jw jw;
	const struct hd_rule **used; /* rules in order of first use: ruleIndex */
	size_t n_used, alloc_used;
	/* Per used rule: its "ruleId" and "ruleIndex" members as a result writes them, or NULL. */
	char **head;
	size_t *head_len;
	size_t alloc_head, alloc_head_len;
	struct hd_buf tmp;           /* scratch for URIs and qualified names */
	/* The last file's URI: findings of one file come one after another. */
	char *uri_of;                /* the path it was made from, or NULL */
	struct hd_buf uri;
};

/* A relative file path as a URI reference: unreserved characters and '/' kept. */
static void put_uri(struct sarif_state *s, const char *path)
{
	static const char hex[] = "0123456789ABCDEF";
	/* Unreserved characters (RFC 3986) and '/': kept as they are. */
	static const bool keep[256] = {
		['0' ... '9'] = true, ['A' ... 'Z'] = true, ['a' ... 'z'] = true,
		['-'] = true, ['.'] = true, ['_'] = true, ['~'] = true, ['/'] = true,
	};
	const unsigned char *p;
	int r = 0;

	if (s->uri_of && strcmp(s->uri_of, path) == 0) {
		hd_jw_strn(&s->jw, s->uri.buf, s->uri.len);
		return;
	}
	hd_free(s->uri_of);
	s->uri_of = NULL;
	hd_buf_reset(&s->uri);
	for (p = (const unsigned char *)path; *p;) {
		const unsigned char *q = p;
		char esc[3];

		while (keep[*q])
			q++;
		if (q > p) {
			if (hd_buf_add(&s->uri, p, (size_t)(q - p)) < 0)
				r = -1;
			p = q;
			continue;
		}
		esc[0] = '%';
		esc[1] = hex[*p >> 4];
		esc[2] = hex[*p & 15];
		if (hd_buf_add(&s->uri, esc, 3) < 0)
			r = -1;
		p++;
	}
	/* Not kept when memory ran short: made again next time. */
	if (r == 0)
		s->uri_of = hd_strdup(path);
	hd_jw_strn(&s->jw, s->uri.buf, s->uri.len);
}

static void tags(struct hd_jw *jw, const char *prefix, const char *list)
{
	char id[128], tag[160];
	const char *p = list;

	if (!list)
		return;
	while (hd_ref_next(&p, id, sizeof(id))) {
		snprintf(tag, sizeof(tag), "%s%s", prefix, id);
		hd_jw_str(jw, tag);
	}
}

/* key (a literal: TEXT_OBJ) : { "text": text }. */
static void text_obj(struct hd_jw *jw, const char *key, size_t klen, const char *text)
{
	hd_jw_key_lit(jw, key, klen);
	hd_jw_object(jw);
	HD_JW_KSTR(jw, "text", text);
	hd_jw_end(jw);
}

#define TEXT_OBJ(jw, lit, text) text_obj((jw), "" lit, sizeof(lit) - 1, (text))

static void rule_descriptor(struct sarif_state *s, const struct hd_rule *r, const char *docs_base)
{
	struct hd_jw *jw = &s->jw;

	hd_jw_object(jw);
	HD_JW_KSTR(jw, "id", r->id);
	/* The rule's page: docs/rules/<domain>/<slug>.md under the configured base (--docs-url). */
	hd_buf_reset(&s->tmp);
	hd_buf_addf(&s->tmp, "%s%s.md", docs_base, r->id);
	HD_JW_KSTR(jw, "helpUri", s->tmp.buf);
	TEXT_OBJ(jw, "shortDescription", r->title ? r->title : r->id);
	if (r->rationale)
		TEXT_OBJ(jw, "fullDescription", r->rationale);
	HD_JW_KEY(jw, "help");
	hd_jw_object(jw);
	HD_JW_KSTR(jw, "text", r->remediation ? r->remediation : "");
	hd_buf_reset(&s->tmp);
	hd_buf_addf(&s->tmp, "%s\n\n**Remediation:** %s", r->rationale ? r->rationale : "",
		    r->remediation ? r->remediation : "");
	if (r->good_example)
		hd_buf_addf(&s->tmp, "\n\n```\n%s\n```", r->good_example);
	HD_JW_KSTR(jw, "markdown", s->tmp.buf);
	hd_jw_end(jw);
	HD_JW_KEY(jw, "defaultConfiguration");
	hd_jw_object(jw);
	HD_JW_KSTR(jw, "level", sarif_level(r->severity));
	hd_jw_end(jw);
	HD_JW_KEY(jw, "properties");
	hd_jw_object(jw);
	HD_JW_KEY(jw, "tags");
	hd_jw_array(jw);
	hd_jw_str(jw, "security");
	tags(jw, "CIS-", r->cis);
	tags(jw, "OWASP-", r->owasp);
	tags(jw, "", r->hadolint);
	hd_jw_end(jw);
	HD_JW_KSTR(jw, "security-severity", security_severity(r->severity));
	hd_jw_end(jw);
	hd_jw_end(jw);
}

static int sarif_begin(struct hd_output *r)
{
	struct sarif_state *s = r->state;
	struct hd_jw *jw = &s->jw;

	hd_buf_init(&s->tmp, 1u << 20);
	hd_buf_init(&s->uri, 1u << 20);
	hd_jw_init(jw, r->out);
	hd_jw_object(jw);
	HD_JW_KSTR(jw, "$schema", "https://json.schemastore.org/sarif-2.1.0.json");
	HD_JW_KSTR(jw, "version", "2.1.0");
	HD_JW_KEY(jw, "runs");
	hd_jw_array(jw);
	hd_jw_object(jw);
	HD_JW_KEY(jw, "results");
	hd_jw_array(jw);
	return jw->err;
}

/* The index of rule r in the rules array, adding it on first use; -1 on OOM. */
static ptrdiff_t rule_index(struct sarif_state *s, const struct hd_rule *r)
{
	size_t j;

	for (j = s->n_used; j-- > 0;) {
		if (s->used[j] == r)
			return (ptrdiff_t)j;
	}
	if (HD_GROW(s->used, s->alloc_used, s->n_used + 1) < 0)
		return -1;
	s->used[s->n_used] = r;
	return (ptrdiff_t)s->n_used++;
}

static int sarif_finding(struct hd_output *r, const struct hd_finding *f)
{
	struct sarif_state *s = r->state;
	struct hd_jw *jw = &s->jw;
	ptrdiff_t idx = rule_index(s, f->rule);

	if (idx < 0)
		return -HD_ENOMEM;
	hd_jw_object(jw);
	/* A result's first members, the same for every result of the rule: rendered once. */
	if ((size_t)idx >= s->alloc_head) {
		size_t old = s->alloc_head;

		if (HD_GROW(s->head, s->alloc_head, (size_t)idx + 1) < 0)
			return -HD_ENOMEM;
		memset(s->head + old, 0, (s->alloc_head - old) * sizeof(*s->head));
		if (HD_GROW(s->head_len, s->alloc_head_len, s->alloc_head) < 0)
			return -HD_ENOMEM;
	}
	if (!s->head[idx]) {
		struct hd_jw piece;

		hd_jw_piece_begin(&piece, jw);
		HD_JW_KSTR(&piece, "ruleId", f->rule->id);
		HD_JW_KINT(&piece, "ruleIndex", idx);
		if (!piece.err && (s->head[idx] = hd_malloc(piece.n ? piece.n : 1))) {
			memcpy(s->head[idx], piece.buf, piece.n);
			s->head_len[idx] = piece.n;
		}
	}
	if (s->head[idx]) {
		hd_jw_piece_put(jw, s->head[idx], s->head_len[idx]);
	} else {
		HD_JW_KSTR(jw, "ruleId", f->rule->id);
		HD_JW_KINT(jw, "ruleIndex", idx);
	}
	HD_JW_KSTR(jw, "level", sarif_level(f->severity));
	TEXT_OBJ(jw, "message", f->message);
	HD_JW_KEY(jw, "locations");
	hd_jw_array(jw);
	hd_jw_object(jw);
	if (f->file) {
		HD_JW_KEY(jw, "physicalLocation");
		hd_jw_object(jw);
		HD_JW_KEY(jw, "artifactLocation");
		hd_jw_object(jw);
		HD_JW_KEY(jw, "uri");
		put_uri(s, f->file);
		hd_jw_end(jw);
		if (f->line) {
			HD_JW_KEY(jw, "region");
			hd_jw_object(jw);
			HD_JW_KINT(jw, "startLine", f->line);
			if (f->col)
				HD_JW_KINT(jw, "startColumn", f->col);
			if (f->end_line >= f->line && f->end_line)
				HD_JW_KINT(jw, "endLine", f->end_line);
			if (f->end_col && f->end_line == f->line && f->end_col > f->col)
				HD_JW_KINT(jw, "endColumn", f->end_col);
			if (f->snippet)
				TEXT_OBJ(jw, "snippet", f->snippet);
			hd_jw_end(jw);
		}
		hd_jw_end(jw);
	}
	if (f->object || f->field) {
		HD_JW_KEY(jw, "logicalLocations");
		hd_jw_array(jw);
		hd_jw_object(jw);
		HD_JW_KSTR(jw, "name", f->field ? f->field : f->object);
		hd_buf_reset(&s->tmp);
		hd_buf_addf(&s->tmp, "%s%s%s", f->object ? f->object : "", f->object && f->field ? "/" : "",
			    f->field ? f->field : "");
		HD_JW_KSTR(jw, "fullyQualifiedName", s->tmp.buf);
		HD_JW_KSTR(jw, "kind", "resource");
		hd_jw_end(jw);
		hd_jw_end(jw);
	}
	hd_jw_end(jw);
	hd_jw_end(jw);
	/* The baseline's fingerprint (lint), which survives lines moving. */
	if (f->fingerprint) {
		HD_JW_KEY(jw, "partialFingerprints");
		hd_jw_object(jw);
		HD_JW_KSTR(jw, "hardock/v1", f->fingerprint);
		hd_jw_end(jw);
	}
	HD_JW_KEY(jw, "properties");
	hd_jw_object(jw);
	HD_JW_KSTR(jw, "severity", hd_severity_name(f->severity));
	if (f->layer)
		HD_JW_KSTR(jw, "layer", f->layer);
	hd_jw_end(jw);
	hd_jw_end(jw);
	return jw->err;
}

static int sarif_end(struct hd_output *r)
{
	struct sarif_state *s = r->state;
	struct hd_jw *jw = &s->jw;
	size_t i;

	hd_jw_end(jw); /* results */
	HD_JW_KEY(jw, "tool");
	hd_jw_object(jw);
	HD_JW_KEY(jw, "driver");
	hd_jw_object(jw);
	HD_JW_KSTR(jw, "name", "hardock");
	HD_JW_KSTR(jw, "version", HD_VERSION);
	HD_JW_KSTR(jw, "informationUri", "https://hardock.dev/");
	HD_JW_KEY(jw, "rules");
	hd_jw_array(jw);
	for (i = 0; i < s->n_used; i++)
		rule_descriptor(s, s->used[i], r->opts.docs_base ? r->opts.docs_base : HD_DOCS_BASE);
	hd_jw_end(jw);
	hd_jw_end(jw);
	hd_jw_end(jw);
	hd_jw_end(jw); /* the run */
	hd_jw_end(jw); /* runs */
	hd_jw_end(jw);
	hd_jw_raw(jw, "\n", 1);
	hd_jw_flush(jw);
	return jw->err;
}

static void sarif_release(struct hd_output *r)
{
	struct sarif_state *s = r->state;

	for (size_t i = 0; s->head && i < s->alloc_head; i++)
		hd_free(s->head[i]);
	hd_free(s->head);
	hd_free(s->head_len);
	hd_free(s->used);
	hd_buf_release(&s->tmp);
	hd_buf_release(&s->uri);
	hd_free(s->uri_of);
	s->uri_of = NULL;
}

const struct hd_reporter hd_reporter_sarif = {
	.name = "sarif",
	.help = "SARIF 2.1.0, for code-scanning services",
	.snippets = HD_SNIPPETS_YES,
	.state_size = sizeof(struct sarif_state),
	.begin = sarif_begin,
	.finding = sarif_finding,
	.end = sarif_end,
	.release = sarif_release,
};
