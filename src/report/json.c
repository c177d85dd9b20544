/*
 * The JSON report: every finding with its rule's references (CIS, OWASP,
 * hadolint, other tools), so results can be grouped by any of them; the
 * audit's per-check verdicts when present; a summary.  Key order is fixed and
 * no timestamp is written, so output is deterministic.  Written as findings
 * arrive (report/jsonw.c), in the layout jansson gives the same document.
 *
 *   { "tool": {name, version}, "command", "findings": [...],
 *     "checks": [...] (audits), "summary": {files, findings, by_severity} }
 */
#include "core/common.h"
#include "report/jsonw.h"
#include "report/report_int.h"

static void ref_array(struct hd_jw *jw, const char *key, const char *list)
{
	char id[128];
	const char *p = list;

	hd_jw_key(jw, key);
	hd_jw_array(jw);
	while (list && hd_ref_next(&p, id, sizeof(id)))
		hd_jw_str(jw, id);
	hd_jw_end(jw);
}

/* A member with a literal key (OPT_STR, OPT_UINT), when it has a value. */
static void opt_str(struct hd_jw *jw, const char *k, size_t kl, const char *v)
{
	if (v)
		hd_jw_kstr_lit(jw, k, kl, v);
}

static void opt_uint(struct hd_jw *jw, const char *k, size_t kl, uint32_t v)
{
	if (v)
		hd_jw_kint_lit(jw, k, kl, v);
}

#define OPT_STR(jw, lit, v)  opt_str((jw), "" lit, sizeof(lit) - 1, (v))
#define OPT_UINT(jw, lit, v) opt_uint((jw), "" lit, sizeof(lit) - 1, (v))

static const char *const status_names[HD_CHECK_STATUS_MAX] = {
	[HD_CHECK_PASS] = "PASS", [HD_CHECK_WARN] = "WARN", [HD_CHECK_INFO] = "INFO",
	[HD_CHECK_NOTE] = "NOTE", [HD_CHECK_SKIP] = "SKIP",
};

/* A rule's members that every finding of it repeats, as written at a finding's level. */
struct rule_piece {
	const struct hd_rule *rule; /* NULL: free slot */
	char *title, *refs;         /* the "title" and "references" members, with their separators */
	size_t title_len, refs_len;
};

#define RULE_PIECES 1024 /* slots, a power of two; more rules than half of it are written as they come */

struct json_state {
	struct hd_jw jw;
	bool in_findings; /* the findings array is open */
	struct rule_piece *pieces;
	size_t n_pieces;
};

static int json_begin(struct hd_output *r)
{
	struct json_state *s = r->state;
	struct hd_jw *jw = &s->jw;

	hd_jw_init(jw, r->out);
	hd_jw_object(jw);
	HD_JW_KEY(jw, "tool");
	hd_jw_object(jw);
	HD_JW_KSTR(jw, "name", "hardock");
	HD_JW_KSTR(jw, "version", HD_VERSION);
	hd_jw_end(jw);
	OPT_STR(jw, "command", r->opts.command);
	HD_JW_KEY(jw, "findings");
	hd_jw_array(jw);
	s->in_findings = true;
	return jw->err;
}

static void title_member(struct hd_jw *jw, const struct hd_rule *rule)
{
	HD_JW_KSTR(jw, "title", rule->title ? rule->title : "");
}

static void refs_member(struct hd_jw *jw, const struct hd_rule *rule)
{
	HD_JW_KEY(jw, "references");
	hd_jw_object(jw);
	ref_array(jw, "cis", rule->cis);
	ref_array(jw, "owasp", rule->owasp);
	ref_array(jw, "hadolint", rule->hadolint);
	ref_array(jw, "other", rule->other);
	hd_jw_end(jw);
}

/* piece's text, copied, or NULL when it could not be rendered or copied. */
static char *piece_text(const struct hd_jw *piece, size_t *len)
{
	char *t;

	if (piece->err || !(t = hd_malloc(piece->n ? piece->n : 1)))
		return NULL;
	memcpy(t, piece->buf, piece->n);
	*len = piece->n;
	return t;
}

/*
 * The pieces of rule, rendered at jw's place the first time (every finding
 * is an object at the same level, whose first member is "rule"), or NULL.
 */
static const struct rule_piece *rule_pieces(struct json_state *s, const struct hd_rule *rule)
{
	struct rule_piece *p;
	struct hd_jw piece;
	size_t i;

	if (!s->pieces && !(s->pieces = hd_calloc(RULE_PIECES, sizeof(*s->pieces))))
		return NULL;
	for (i = ((uintptr_t)rule >> 4) & (RULE_PIECES - 1); s->pieces[i].rule; i = (i + 1) & (RULE_PIECES - 1)) {
		if (s->pieces[i].rule == rule)
			return &s->pieces[i];
	}
	if (s->n_pieces * 2 >= RULE_PIECES)
		return NULL;
	p = &s->pieces[i];
	hd_jw_piece_begin(&piece, &s->jw);
	title_member(&piece, rule);
	p->title = piece_text(&piece, &p->title_len);
	hd_jw_piece_begin(&piece, &s->jw);
	refs_member(&piece, rule);
	p->refs = piece_text(&piece, &p->refs_len);
	if (!p->title || !p->refs) {
		hd_free(p->title);
		hd_free(p->refs);
		p->title = p->refs = NULL;
		return NULL;
	}
	p->rule = rule;
	s->n_pieces++;
	return p;
}

static int json_finding(struct hd_output *r, const struct hd_finding *f)
{
	struct json_state *s = r->state;
	struct hd_jw *jw = &s->jw;
	const struct rule_piece *p;

	hd_jw_object(jw);
	HD_JW_KSTR(jw, "rule", f->rule->id);
	HD_JW_KSTR(jw, "severity", hd_severity_name(f->severity));
	p = rule_pieces(s, f->rule);
	if (p)
		hd_jw_piece_put(jw, p->title, p->title_len);
	else
		title_member(jw, f->rule);
	HD_JW_KSTR(jw, "message", f->message);
	OPT_STR(jw, "file", f->file);
	OPT_UINT(jw, "line", f->line);
	OPT_UINT(jw, "column", f->col);
	OPT_UINT(jw, "end_line", f->end_line);
	OPT_UINT(jw, "end_column", f->end_col);
	OPT_STR(jw, "object", f->object);
	OPT_STR(jw, "field", f->field);
	OPT_STR(jw, "layer", f->layer);
	OPT_STR(jw, "fingerprint", f->fingerprint);
	if (p)
		hd_jw_piece_put(jw, p->refs, p->refs_len);
	else
		refs_member(jw, f->rule);
	hd_jw_end(jw);
	return jw->err;
}

static void json_release(struct hd_output *r)
{
	struct json_state *s = r->state;

	for (size_t i = 0; s->pieces && i < RULE_PIECES; i++) {
		hd_free(s->pieces[i].title);
		hd_free(s->pieces[i].refs);
	}
	hd_free(s->pieces);
	s->pieces = NULL;
}

static int json_checks(struct hd_output *r, const struct hd_check_result *c, size_t n,
		       const struct hd_findings *all)
{
	struct json_state *s = r->state;
	struct hd_jw *jw = &s->jw;
	size_t i;

	(void)all;
	hd_jw_end(jw);
	s->in_findings = false;
	HD_JW_KEY(jw, "checks");
	hd_jw_array(jw);
	for (i = 0; i < n; i++) {
		hd_jw_object(jw);
		HD_JW_KSTR(jw, "rule", c[i].rule->id);
		OPT_STR(jw, "cis", c[i].rule->cis);
		HD_JW_KSTR(jw, "title", c[i].rule->title ? c[i].rule->title : "");
		OPT_STR(jw, "subject", c[i].subject);
		HD_JW_KSTR(jw, "status", status_names[c[i].status]);
		OPT_STR(jw, "note", c[i].note);
		hd_jw_end(jw);
	}
	hd_jw_end(jw);
	return jw->err;
}

static int json_end(struct hd_output *r)
{
	struct json_state *s = r->state;
	struct hd_jw *jw = &s->jw;
	size_t i;

	if (s->in_findings)
		hd_jw_end(jw);
	HD_JW_KEY(jw, "summary");
	hd_jw_object(jw);
	if (r->files)
		HD_JW_KINT(jw, "files", (int64_t)r->files);
	HD_JW_KINT(jw, "findings", (int64_t)r->n_findings);
	HD_JW_KEY(jw, "by_severity");
	hd_jw_object(jw);
	for (i = HD_SEV_MAX; i-- > HD_SEV_INFO;)
		hd_jw_kint(jw, hd_severity_name((enum hd_severity)i), (int64_t)r->counts[i]);
	hd_jw_end(jw);
	hd_jw_end(jw);
	hd_jw_end(jw);
	hd_jw_raw(jw, "\n", 1);
	hd_jw_flush(jw);
	return jw->err;
}

const struct hd_reporter hd_reporter_json = {
	.name = "json",
	.help = "one JSON document: findings with their references, a summary",
	.state_size = sizeof(struct json_state),
	.begin = json_begin,
	.finding = json_finding,
	.checks = json_checks,
	.end = json_end,
	.release = json_release,
};
