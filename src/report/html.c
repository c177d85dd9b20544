/*
 * The HTML report: one self-contained file a person reads in a browser, for
 * lint, audit and image runs.
 *
 * Self-contained: the style sheet, the script and the chart (inline SVG) are
 * in the file, and a Content-Security-Policy meta tag allows nothing else
 * (`default-src 'none'`, the style and the script admitted by their SHA-256
 * hashes), so a report opened from a mail or a CI artifact loads nothing from
 * anywhere.  Every table is rendered here: without JavaScript the report is
 * complete; the script only adds filtering by severity, search and sorting.
 *
 * The summary (findings by severity and by rule, CIS sections pass against
 * warn, groups per file, container or image) comes before the findings in
 * the page, but is only known at the end: findings are rendered as they
 * arrive (about 1 KiB each) into a small buffer that is spooled to an
 * unnamed temporary file whenever it fills, and the page is written at
 * hd_output_end, so memory does not grow with the number of findings (with
 * no temporary file to be had, the rows stay in memory, bounded as before).  Output is deterministic: the same input gives the same
 * bytes; the only time shown is the caller's (SOURCE_DATE_EPOCH when set).
 * Messages and snippets are escaped here and were masked by the rules and
 * the lint driver, so no secret value reaches the page.
 */
#include "core/common.h"
#include "core/buf.h"
#include "report/report_int.h"

#include <openssl/evp.h>
#include <time.h>

/* The page's findings section may not grow beyond this (about 64,000 findings). */
#define HTML_MAX_BODY (64u << 20)
/* Rows are spooled to the temporary file in pieces of about this size. */
#define HTML_SPOOL_AT (256u << 10)
#define HTML_MAX_GROUPS 4096u

struct rule_count {
	const struct hd_rule *rule;
	size_t n;
	enum hd_severity max;
};

struct group {
	char *name;
	size_t n;
	size_t by_sev[HD_SEV_MAX];
};

struct cis_section {
	unsigned pass, warn, other;
};

struct html_state {
	struct hd_buf body;       /* the rows of the findings table not spooled yet */
	FILE *spool;              /* the rows written so far (tmpfile()), or NULL */
	size_t spooled;           /* bytes in spool */
	bool no_spool;            /* no temporary file could be made: rows stay in body */
	struct rule_count *rules; /* one per rule seen, in order of first appearance */
	size_t n_rules, alloc_rules;
	struct group *groups;
	size_t n_groups, alloc_groups;
	bool groups_truncated;
	const char *cur_group;    /* borrowed from the findings being added */
	size_t cur_index;         /* index in groups of cur_group */
	struct hd_buf checks;     /* the audit's verdict rows */
	size_t n_checks;
	size_t by_status[HD_CHECK_STATUS_MAX];
	struct cis_section cis[10]; /* CIS Docker Benchmark sections 1..9 */
	bool has_cis;
};

/* ---- escaping ------------------------------------------------------------------ */

static int esc(struct hd_buf *b, const char *s)
{
	const char *start = s;
	int r = 0;

	if (!s)
		return 0;
	for (; *s && r >= 0; s++) {
		const char *rep;
		unsigned char c = (unsigned char)*s;

		switch (c) {
		case '&': rep = "&amp;"; break;
		case '<': rep = "&lt;"; break;
		case '>': rep = "&gt;"; break;
		case '"': rep = "&quot;"; break;
		case '\'': rep = "&#39;"; break;
		default:
			/* Control bytes other than tab and newline cannot appear in HTML text. */
			rep = (c < 0x20 && c != '\t' && c != '\n') || c == 0x7f ? "\xEF\xBF\xBD" : NULL;
		}
		if (!rep)
			continue;
		if (s > start)
			r = hd_buf_add(b, start, (size_t)(s - start));
		if (r >= 0)
			r = hd_buf_addstr(b, rep);
		start = s + 1;
	}
	if (r >= 0 && s > start)
		r = hd_buf_add(b, start, (size_t)(s - start));
	return r;
}

/* A rule id as an HTML id and CSS-safe token: "container/privileged" -> "container-privileged". */
static int add_anchor(struct hd_buf *b, const char *id)
{
	char tmp[256];
	size_t i;

	for (i = 0; id[i] && i + 1 < sizeof(tmp); i++)
		tmp[i] = isalnum((unsigned char)id[i]) ? id[i] : '-';
	tmp[i] = '\0';
	return hd_buf_addstr(b, tmp);
}

/* The rule's docs page: "<base><domain>/<slug>.md". */
static int add_doc_url(struct hd_buf *b, const struct hd_output *r, const char *id)
{
	int e = esc(b, r->opts.docs_base ? r->opts.docs_base : HD_DOCS_BASE);

	if (e >= 0)
		e = esc(b, id);
	if (e >= 0)
		e = hd_buf_addstr(b, ".md");
	return e;
}

static const char *sev_class(enum hd_severity s)
{
	return hd_severity_name(s);
}

/* ---- bookkeeping --------------------------------------------------------------- */

static int count_rule(struct html_state *s, const struct hd_finding *f)
{
	size_t i;

	for (i = 0; i < s->n_rules; i++) {
		if (s->rules[i].rule == f->rule)
			break;
	}
	if (i == s->n_rules) {
		if (HD_GROW(s->rules, s->alloc_rules, s->n_rules + 1) < 0)
			return -HD_ENOMEM;
		s->rules[i] = (struct rule_count){ .rule = f->rule, .max = HD_SEV_NONE };
		s->n_rules++;
	}
	s->rules[i].n++;
	if (f->severity > s->rules[i].max)
		s->rules[i].max = f->severity;
	return 0;
}

static int html_file(struct hd_output *r, const char *name, size_t n)
{
	struct html_state *s = r->state;
	size_t i;

	(void)n;
	s->cur_group = name;
	for (i = 0; i < s->n_groups; i++) {
		if (strcmp(s->groups[i].name, name ? name : "") == 0)
			break;
	}
	if (i == s->n_groups) {
		if (s->n_groups >= HTML_MAX_GROUPS) {
			s->groups_truncated = true;
			s->cur_index = SIZE_MAX;
			return 0;
		}
		if (HD_GROW(s->groups, s->alloc_groups, s->n_groups + 1) < 0)
			return -HD_ENOMEM;
		memset(&s->groups[i], 0, sizeof(s->groups[i]));
		s->groups[i].name = hd_strdup(name ? name : "");
		if (!s->groups[i].name)
			return -HD_ENOMEM;
		s->n_groups++;
	}
	s->cur_index = i;
	return 0;
}

/* ---- findings -------------------------------------------------------------------- */

static int add_location(struct hd_buf *b, const struct hd_finding *f)
{
	int e = 0;

	if (f->file) {
		e = esc(b, f->file);
		if (e >= 0 && f->line)
			e = hd_buf_addf(b, ":%u", f->line);
		if (e >= 0 && f->line && f->col)
			e = hd_buf_addf(b, ":%u", f->col);
	}
	if (e >= 0 && f->object) {
		if (f->file)
			e = hd_buf_addstr(b, " ");
		if (e >= 0)
			e = esc(b, f->object);
	}
	if (e >= 0 && f->field) {
		e = hd_buf_addstr(b, " <code>");
		if (e >= 0)
			e = esc(b, f->field);
		if (e >= 0)
			e = hd_buf_addstr(b, "</code>");
	}
	/* Images: the layer that holds it, whole (the message shortens it). */
	if (e >= 0 && f->layer) {
		e = hd_buf_addstr(b, " layer <code>");
		if (e >= 0)
			e = esc(b, f->layer);
		if (e >= 0)
			e = hd_buf_addstr(b, "</code>");
	}
	return e;
}

/* Moves the rows rendered so far to the temporary file once they fill a piece. */
static int spool_rows(struct html_state *s)
{
	if (s->body.len < HTML_SPOOL_AT || s->no_spool)
		return 0;
	if (s->spooled + s->body.len > HTML_MAX_BODY)
		return -HD_ETOOBIG;
	if (!s->spool && !(s->spool = tmpfile())) {
		s->no_spool = true;
		return 0;
	}
	if (fwrite(s->body.buf, 1, s->body.len, s->spool) != s->body.len)
		return -HD_EIO;
	s->spooled += s->body.len;
	hd_buf_reset(&s->body);
	return 0;
}

/* Writes the spooled rows, then the rest, to o. */
static int write_rows(struct html_state *s, FILE *o)
{
	char chunk[16384];
	size_t n;

	if (s->spool) {
		if (fflush(s->spool) != 0 || fseek(s->spool, 0, SEEK_SET) != 0)
			return -HD_EIO;
		while ((n = fread(chunk, 1, sizeof(chunk), s->spool)) > 0)
			fwrite(chunk, 1, n, o);
		if (ferror(s->spool))
			return -HD_EIO;
	}
	fwrite(s->body.buf, 1, s->body.len, o);
	return 0;
}

static int html_finding(struct hd_output *r, const struct hd_finding *f)
{
	struct html_state *s = r->state;
	struct hd_buf *b = &s->body;
	const char *sev = sev_class(f->severity);
	int e;

	e = count_rule(s, f);
	if (e < 0)
		return e;
	if (s->cur_index != SIZE_MAX && s->cur_index < s->n_groups) {
		s->groups[s->cur_index].n++;
		s->groups[s->cur_index].by_sev[f->severity]++;
	}
	e = hd_buf_addf(b, "<tr class=\"f sev-%s\" data-sev=\"%d\"><td><span class=\"badge %s\">%s</span></td><td>",
			sev, (int)f->severity, sev, sev);
	if (e >= 0)
		e = hd_buf_addstr(b, "<a href=\"");
	if (e >= 0)
		e = add_doc_url(b, r, f->rule->id);
	if (e >= 0)
		e = hd_buf_addstr(b, "\">");
	if (e >= 0)
		e = esc(b, f->rule->id);
	if (e >= 0)
		e = hd_buf_addstr(b, "</a></td><td class=\"loc\">");
	if (e >= 0)
		e = add_location(b, f);
	if (e >= 0)
		e = hd_buf_addstr(b, "</td><td><p class=\"msg\">");
	if (e >= 0)
		e = esc(b, f->message);
	if (e >= 0)
		e = hd_buf_addstr(b, "</p>");
	if (e >= 0 && f->snippet && *f->snippet) {
		e = hd_buf_addstr(b, "<pre class=\"snip\">");
		if (e >= 0 && f->line)
			e = hd_buf_addf(b, "<span class=\"ln\">%u</span>", f->line);
		if (e >= 0)
			e = esc(b, f->snippet);
		if (e >= 0)
			e = hd_buf_addstr(b, "</pre>");
	}
	if (e >= 0 && f->rule->remediation) {
		e = hd_buf_addstr(b, "<details><summary>How to fix</summary><p>");
		if (e >= 0)
			e = esc(b, f->rule->remediation);
		if (e >= 0)
			e = hd_buf_addstr(b, "</p></details>");
	}
	if (e >= 0)
		e = hd_buf_addstr(b, "</td></tr>\n");
	if (e >= 0)
		e = spool_rows(s);
	return e;
}

/* ---- audit verdicts ------------------------------------------------------------- */

static const char *const status_names[HD_CHECK_STATUS_MAX] = {
	[HD_CHECK_PASS] = "PASS", [HD_CHECK_WARN] = "WARN", [HD_CHECK_INFO] = "INFO",
	[HD_CHECK_NOTE] = "NOTE", [HD_CHECK_SKIP] = "SKIP",
};

/* The CIS section (1..9) of a rule's first CIS id, or 0. */
static unsigned cis_section(const struct hd_rule *rule)
{
	const char *c = rule->cis;

	if (!c)
		return 0;
	while (*c == ' ' || *c == ',')
		c++;
	if (*c >= '1' && *c <= '9' && (c[1] == '.' || c[1] == '\0' || c[1] == ','))
		return (unsigned)(*c - '0');
	return 0;
}

static int html_checks(struct hd_output *r, const struct hd_check_result *c, size_t n,
		       const struct hd_findings *all)
{
	struct html_state *s = r->state;
	struct hd_buf *b = &s->checks;
	size_t i;
	int e = 0;

	(void)all;
	for (i = 0; i < n && e >= 0; i++) {
		unsigned sec = cis_section(c[i].rule);
		const char *st = status_names[c[i].status];

		s->n_checks++;
		s->by_status[c[i].status]++;
		if (sec) {
			s->has_cis = true;
			if (c[i].status == HD_CHECK_PASS)
				s->cis[sec].pass++;
			else if (c[i].status == HD_CHECK_WARN)
				s->cis[sec].warn++;
			else
				s->cis[sec].other++;
		}
		e = hd_buf_addf(b, "<tr class=\"c st-%s\"><td><span class=\"badge st-%s\">%s</span></td><td>", st,
				st, st);
		if (e >= 0)
			e = esc(b, c[i].rule->cis ? c[i].rule->cis : "");
		if (e >= 0)
			e = hd_buf_addstr(b, "</td><td><a href=\"");
		if (e >= 0)
			e = add_doc_url(b, r, c[i].rule->id);
		if (e >= 0)
			e = hd_buf_addstr(b, "\">");
		if (e >= 0)
			e = esc(b, c[i].rule->title ? c[i].rule->title : c[i].rule->id);
		if (e >= 0)
			e = hd_buf_addstr(b, "</a></td><td>");
		if (e >= 0)
			e = esc(b, c[i].subject);
		if (e >= 0)
			e = hd_buf_addstr(b, "</td><td>");
		if (e >= 0)
			e = esc(b, c[i].note);
		if (e >= 0)
			e = hd_buf_addstr(b, "</td></tr>\n");
	}
	return e;
}

/* ---- the page -------------------------------------------------------------------- */

static const char style_css[] =
	":root{color-scheme:light dark;--bg:#fff;--fg:#1b1f24;--mute:#57606a;--line:#d0d7de;"
	"--card:#f6f8fa;--critical:#8b0000;--high:#c62828;--medium:#b25e00;--low:#1f6feb;"
	"--info:#57606a;--pass:#1a7f37;--warn:#c62828}"
	"@media (prefers-color-scheme:dark){:root{--bg:#0d1117;--fg:#e6edf3;--mute:#8d96a0;"
	"--line:#30363d;--card:#161b22;--critical:#ff7b72;--high:#f85149;--medium:#d29922;"
	"--low:#58a6ff;--info:#8d96a0;--pass:#3fb950;--warn:#f85149}}"
	"*{box-sizing:border-box}"
	"body{margin:0 auto;max-width:1200px;padding:1.5rem;background:var(--bg);color:var(--fg);"
	"font:15px/1.45 system-ui,-apple-system,'Segoe UI',sans-serif}"
	"h1{font-size:1.6rem;margin:0 0 .3rem}h2{font-size:1.2rem;margin:2rem 0 .6rem;"
	"border-bottom:1px solid var(--line);padding-bottom:.3rem}"
	"a{color:var(--low)}code,pre{font:13px/1.4 ui-monospace,'DejaVu Sans Mono',monospace}"
	"dl.prov{display:grid;grid-template-columns:max-content 1fr;gap:.15rem 1rem;color:var(--mute);margin:0}"
	"dl.prov dt{font-weight:600}dl.prov dd{margin:0;overflow-wrap:anywhere}"
	".cards{display:flex;flex-wrap:wrap;gap:.6rem;margin:.6rem 0}"
	".card{background:var(--card);border:1px solid var(--line);border-radius:6px;padding:.5rem .9rem;min-width:7rem}"
	".card b{display:block;font-size:1.5rem}"
	"table{border-collapse:collapse;width:100%}th,td{border-bottom:1px solid var(--line);"
	"padding:.35rem .5rem;text-align:left;vertical-align:top}"
	"th{background:var(--card);position:sticky;top:0}th.sort{cursor:pointer}"
	"td.loc{overflow-wrap:anywhere;max-width:22rem}td.num,th.num{text-align:right}"
	".badge{display:inline-block;border-radius:4px;padding:0 .4rem;font-size:.8rem;font-weight:700;"
	"color:#fff;text-transform:uppercase}"
	".critical{background:var(--critical)}.high{background:var(--high)}.medium{background:var(--medium)}"
	".low{background:var(--low)}.info{background:var(--info)}.error{background:var(--critical)}"
	".badge.st-PASS{background:var(--pass)}.badge.st-WARN{background:var(--warn)}"
	".badge.st-INFO,.badge.st-NOTE,.badge.st-SKIP{background:var(--info)}"
	"p.msg{margin:0}pre.snip{margin:.35rem 0 0;padding:.35rem .5rem;background:var(--card);"
	"border-radius:4px;overflow-x:auto;white-space:pre-wrap}"
	"pre.snip .ln{color:var(--mute);padding-right:.8rem;user-select:none}"
	"details{margin-top:.3rem;color:var(--mute)}details p{margin:.2rem 0 0}"
	"svg text{fill:var(--fg);font-size:12px}svg .pass{fill:var(--pass)}svg .warn{fill:var(--warn)}"
	"svg .other{fill:var(--info)}"
	"#controls{display:none;gap:.8rem;align-items:center;flex-wrap:wrap;margin:.6rem 0}"
	".js #controls{display:flex}#controls input[type=search]{padding:.25rem .4rem;min-width:16rem}"
	"tr.hidden{display:none}"
	/* Dark text on the lighter badge colours of the dark scheme. */
	"@media (prefers-color-scheme:dark){.badge{color:#0d1117}}"
	"@media print{#controls{display:none!important}details{display:block}details>summary{display:none}"
	"body{max-width:none;padding:0;font-size:11px}th{position:static}a{color:inherit;text-decoration:none}}";

static const char script_js[] =
	"(function(){'use strict';"
	"document.documentElement.classList.add('js');"
	"var rows=Array.prototype.slice.call(document.querySelectorAll('#findings tbody tr'));"
	"var q=document.getElementById('q');"
	"var boxes=Array.prototype.slice.call(document.querySelectorAll('#controls input[type=checkbox]'));"
	"function apply(){var t=(q&&q.value||'').toLowerCase();var on={};"
	"boxes.forEach(function(b){on[b.value]=b.checked;});"
	"var shown=0;rows.forEach(function(r){var ok=on[r.getAttribute('data-sev')]!==false&&"
	"(!t||r.textContent.toLowerCase().indexOf(t)>=0);r.classList.toggle('hidden',!ok);if(ok)shown++;});"
	"var c=document.getElementById('shown');if(c)c.textContent=String(shown);}"
	"if(q)q.addEventListener('input',apply);"
	"boxes.forEach(function(b){b.addEventListener('change',apply);});"
	"Array.prototype.slice.call(document.querySelectorAll('th.sort')).forEach(function(th){"
	"th.addEventListener('click',function(){var table=th.closest('table');var body=table.tBodies[0];"
	"var i=Array.prototype.indexOf.call(th.parentNode.children,th);var asc=th.getAttribute('data-dir')!=='asc';"
	"th.setAttribute('data-dir',asc?'asc':'desc');"
	"var list=Array.prototype.slice.call(body.rows);"
	"list.sort(function(a,b){var x=a.cells[i].getAttribute('data-key')||a.cells[i].textContent;"
	"var y=b.cells[i].getAttribute('data-key')||b.cells[i].textContent;"
	"var nx=parseFloat(x),ny=parseFloat(y);var c=(!isNaN(nx)&&!isNaN(ny))?nx-ny:x.localeCompare(y);"
	"return asc?c:-c;});list.forEach(function(r){body.appendChild(r);});});});"
	"apply();})();";

/* base64(SHA-256(s)) into out (at least 45 bytes). */
static int sha256_b64(const char *s, size_t n, char *out)
{
	unsigned char md[32];
	unsigned int mdlen = 0;

	if (!EVP_Digest(s, n, md, &mdlen, EVP_sha256(), NULL) || mdlen != 32)
		return -HD_EINVAL;
	EVP_EncodeBlock((unsigned char *)out, md, 32);
	return 0;
}

static void put_esc(FILE *out, const char *s)
{
	struct hd_buf b = HD_BUF_INIT(HD_MAX_MESSAGE * 4);

	if (esc(&b, s) >= 0)
		fwrite(b.buf, 1, b.len, out);
	hd_buf_release(&b);
}

static void write_head(struct hd_output *r)
{
	char hs[64], hj[64];
	FILE *o = r->out;

	if (sha256_b64(style_css, sizeof(style_css) - 1, hs) < 0 ||
	    sha256_b64(script_js, sizeof(script_js) - 1, hj) < 0) {
		hs[0] = hj[0] = '\0';
	}
	fputs("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n", o);
	fprintf(o,
		"<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; "
		"style-src 'sha256-%s'; script-src 'sha256-%s'; img-src data:; base-uri 'none'; "
		"form-action 'none'\">\n",
		hs, hj);
	fputs("<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n"
	      "<meta name=\"referrer\" content=\"no-referrer\">\n<title>hardock report", o);
	if (r->opts.command) {
		fputs(": ", o);
		put_esc(o, r->opts.command);
	}
	fprintf(o, "</title>\n<style>%s</style>\n</head>\n<body>\n", style_css);
}

static void write_provenance(struct hd_output *r)
{
	FILE *o = r->out;
	size_t i;

	fputs("<header>\n<h1>hardock report</h1>\n<dl class=\"prov\">\n", o);
	fprintf(o, "<dt>Tool</dt><dd>hardock %s</dd>\n", HD_VERSION);
	if (r->opts.command) {
		fputs("<dt>Command</dt><dd>", o);
		put_esc(o, r->opts.command);
		fputs("</dd>\n", o);
	}
	if (r->opts.n_inputs) {
		fputs("<dt>Inputs</dt><dd>", o);
		for (i = 0; i < r->opts.n_inputs; i++) {
			if (i)
				fputs(", ", o);
			fputs("<code>", o);
			put_esc(o, r->opts.inputs[i]);
			fputs("</code>", o);
		}
		fputs("</dd>\n", o);
	}
	if (r->opts.has_time) {
		time_t t = (time_t)r->opts.generated_at;
		struct tm tm;
		char when[64];

		if (gmtime_r(&t, &tm) && strftime(when, sizeof(when), "%Y-%m-%d %H:%M:%S UTC", &tm))
			fprintf(o, "<dt>Generated</dt><dd><time datetime=\"%lld\">%s</time></dd>\n",
				(long long)r->opts.generated_at, when);
	}
	if (r->opts.has_db_age)
		fprintf(o, "<dt>Vulnerability database</dt><dd>%lld days old</dd>\n",
			(long long)(r->opts.db_age / 86400));
	if (r->files)
		fprintf(o, "<dt>Files scanned</dt><dd>%zu</dd>\n", r->files);
	fputs("</dl>\n</header>\n", o);
}

static void write_severity_cards(struct hd_output *r)
{
	FILE *o = r->out;
	size_t i;

	fprintf(o, "<section id=\"summary\">\n<h2>Summary</h2>\n<div class=\"cards\">\n"
		   "<div class=\"card\"><b>%zu</b>findings</div>\n", r->n_findings);
	for (i = HD_SEV_MAX; i-- > HD_SEV_INFO;) {
		const char *n = hd_severity_name((enum hd_severity)i);

		if (i == HD_SEV_ERROR && !r->counts[i])
			continue;
		fprintf(o, "<div class=\"card\"><b>%zu</b><span class=\"badge %s\">%s</span></div>\n",
			r->counts[i], n, n);
	}
	fputs("</div>\n", o);
}

static int rule_cmp(const void *pa, const void *pb)
{
	const struct rule_count *a = pa, *b = pb;

	if (a->max != b->max)
		return a->max > b->max ? -1 : 1;
	if (a->n != b->n)
		return a->n > b->n ? -1 : 1;
	return strcmp(a->rule->id, b->rule->id);
}

static void write_rules_table(struct hd_output *r)
{
	struct html_state *s = r->state;
	FILE *o = r->out;
	struct hd_buf b = HD_BUF_INIT(1 << 16);
	size_t i;

	if (!s->n_rules)
		return;
	qsort(s->rules, s->n_rules, sizeof(*s->rules), rule_cmp);
	fputs("<h3>By rule</h3>\n<table id=\"by-rule\"><thead><tr><th class=\"sort\">Rule</th>"
	      "<th class=\"sort\">Severity</th><th class=\"sort num\">Findings</th><th>Title</th>"
	      "<th>References</th></tr></thead>\n<tbody>\n", o);
	for (i = 0; i < s->n_rules; i++) {
		const struct hd_rule *ru = s->rules[i].rule;
		const char *sev = hd_severity_name(s->rules[i].max);

		hd_buf_reset(&b);
		hd_buf_addstr(&b, "<tr id=\"rule-");
		add_anchor(&b, ru->id);
		hd_buf_addstr(&b, "\"><td><a href=\"");
		add_doc_url(&b, r, ru->id);
		hd_buf_addstr(&b, "\">");
		esc(&b, ru->id);
		hd_buf_addf(&b, "</a></td><td data-key=\"%d\"><span class=\"badge %s\">%s</span></td>"
				"<td class=\"num\">%zu</td><td>",
			    (int)s->rules[i].max, sev, sev, s->rules[i].n);
		esc(&b, ru->title);
		hd_buf_addstr(&b, "</td><td>");
		if (ru->cis) {
			hd_buf_addstr(&b, "CIS ");
			esc(&b, ru->cis);
			hd_buf_addstr(&b, " ");
		}
		if (ru->owasp) {
			hd_buf_addstr(&b, "OWASP ");
			esc(&b, ru->owasp);
			hd_buf_addstr(&b, " ");
		}
		if (ru->hadolint)
			esc(&b, ru->hadolint);
		hd_buf_addstr(&b, "</td></tr>\n");
		fwrite(b.buf, 1, b.len, o);
	}
	fputs("</tbody></table>\n", o);
	hd_buf_release(&b);
}

/* Pass against warn per CIS section, as horizontal stacked bars. */
static void write_cis_chart(struct hd_output *r)
{
	static const char *const titles[10] = {
		"", "1 Host configuration", "2 Docker daemon configuration",
		"3 Docker daemon configuration files", "4 Container images and build files",
		"5 Container runtime", "6 Docker security operations", "7 Docker Swarm configuration",
		"8 Docker Enterprise", "9 Docker Enterprise",
	};
	struct html_state *s = r->state;
	FILE *o = r->out;
	unsigned i, rows = 0, y = 0, max = 1;
	const unsigned bar = 420, left = 250, h = 24;

	if (!s->has_cis)
		return;
	for (i = 1; i < 10; i++) {
		unsigned t = s->cis[i].pass + s->cis[i].warn + s->cis[i].other;

		if (t) {
			rows++;
			if (t > max)
				max = t;
		}
	}
	fprintf(o, "<h3>CIS Docker Benchmark sections</h3>\n"
		   "<svg role=\"img\" aria-label=\"CIS sections: passed and warned checks\" "
		   "viewBox=\"0 0 %u %u\" width=\"%u\" height=\"%u\">\n",
		left + bar + 170, rows * h + 24, left + bar + 170, rows * h + 24);
	for (i = 1; i < 10; i++) {
		const struct cis_section *c = &s->cis[i];
		unsigned t = c->pass + c->warn + c->other, wp, ww, wo;

		if (!t)
			continue;
		wp = c->pass * bar / max;
		ww = c->warn * bar / max;
		wo = c->other * bar / max;
		fprintf(o, "<g><title>Section %u: %u pass, %u warn, %u other</title>"
			   "<text x=\"0\" y=\"%u\">%s</text>"
			   "<rect class=\"pass\" x=\"%u\" y=\"%u\" width=\"%u\" height=\"16\"/>"
			   "<rect class=\"warn\" x=\"%u\" y=\"%u\" width=\"%u\" height=\"16\"/>"
			   "<rect class=\"other\" x=\"%u\" y=\"%u\" width=\"%u\" height=\"16\"/>"
			   "<text x=\"%u\" y=\"%u\">%u pass / %u warn</text></g>\n",
			i, c->pass, c->warn, c->other, y + 13, titles[i], left, y, wp, left + wp, y, ww,
			left + wp + ww, y, wo, left + wp + ww + wo + 6, y + 13, c->pass, c->warn);
		y += h;
	}
	fprintf(o, "<g><rect class=\"pass\" x=\"%u\" y=\"%u\" width=\"12\" height=\"12\"/>"
		   "<text x=\"%u\" y=\"%u\">pass</text><rect class=\"warn\" x=\"%u\" y=\"%u\" width=\"12\" "
		   "height=\"12\"/><text x=\"%u\" y=\"%u\">warn</text><rect class=\"other\" x=\"%u\" y=\"%u\" "
		   "width=\"12\" height=\"12\"/><text x=\"%u\" y=\"%u\">info, note or skipped</text></g>\n",
		left, y + 6, left + 16, y + 17, left + 70, y + 6, left + 86, y + 17, left + 140, y + 6,
		left + 156, y + 17);
	fputs("</svg>\n", o);
}

static void write_groups(struct hd_output *r)
{
	struct html_state *s = r->state;
	FILE *o = r->out;
	size_t i, k;

	if (!s->n_groups)
		return;
	fputs("<h3>By file, container or image</h3>\n<table id=\"by-group\"><thead><tr>"
	      "<th class=\"sort\">Where</th><th class=\"sort num\">Findings</th>", o);
	/* An error column only when there are errors (a file that does not parse). */
	for (k = HD_SEV_MAX; k-- > HD_SEV_INFO;) {
		if (k != HD_SEV_ERROR || r->counts[k])
			fprintf(o, "<th class=\"sort num\">%s</th>", hd_severity_name((enum hd_severity)k));
	}
	fputs("</tr></thead>\n<tbody>\n", o);
	for (i = 0; i < s->n_groups; i++) {
		fputs("<tr><td class=\"loc\">", o);
		put_esc(o, s->groups[i].name[0] ? s->groups[i].name : "(no file)");
		fprintf(o, "</td><td class=\"num\">%zu</td>", s->groups[i].n);
		for (k = HD_SEV_MAX; k-- > HD_SEV_INFO;) {
			if (k != HD_SEV_ERROR || r->counts[k])
				fprintf(o, "<td class=\"num\">%zu</td>", s->groups[i].by_sev[k]);
		}
		fputs("</tr>\n", o);
	}
	fputs("</tbody></table>\n", o);
	if (s->groups_truncated)
		fprintf(o, "<p>Only the first %u places are listed.</p>\n", HTML_MAX_GROUPS);
}

static void write_checks(struct hd_output *r)
{
	struct html_state *s = r->state;
	FILE *o = r->out;
	size_t i;

	if (!s->n_checks)
		return;
	fputs("<section id=\"checks\">\n<h2>Checks</h2>\n<div class=\"cards\">\n", o);
	for (i = 0; i < HD_CHECK_STATUS_MAX; i++)
		fprintf(o, "<div class=\"card\"><b>%zu</b><span class=\"badge st-%s\">%s</span></div>\n",
			s->by_status[i], status_names[i], status_names[i]);
	fputs("</div>\n<table><thead><tr><th class=\"sort\">Result</th><th class=\"sort\">CIS</th>"
	      "<th class=\"sort\">Check</th><th class=\"sort\">Subject</th><th>Note</th></tr></thead>\n"
	      "<tbody>\n", o);
	fwrite(s->checks.buf, 1, s->checks.len, o);
	fputs("</tbody></table>\n</section>\n", o);
}

static int html_begin(struct hd_output *r)
{
	struct html_state *s = r->state;

	hd_buf_init(&s->body, HTML_MAX_BODY);
	hd_buf_init(&s->checks, HTML_MAX_BODY);
	s->cur_index = SIZE_MAX;
	return 0;
}

static int html_end(struct hd_output *r)
{
	struct html_state *s = r->state;
	FILE *o = r->out;
	size_t k;

	write_head(r);
	write_provenance(r);
	write_severity_cards(r);
	write_cis_chart(r);
	write_rules_table(r);
	write_groups(r);
	fputs("</section>\n", o);
	write_checks(r);
	fputs("<section id=\"findings\">\n<h2>Findings</h2>\n", o);
	if (!r->n_findings) {
		fputs("<p>No findings.</p>\n", o);
	} else {
		fputs("<div id=\"controls\" role=\"search\"><input id=\"q\" type=\"search\" "
		      "placeholder=\"Search findings\" aria-label=\"Search findings\">", o);
		for (k = HD_SEV_MAX; k-- > HD_SEV_INFO;) {
			if (r->counts[k])
				fprintf(o, "<label><input type=\"checkbox\" value=\"%zu\" checked> %s</label>", k,
					hd_severity_name((enum hd_severity)k));
		}
		fprintf(o, "<span><span id=\"shown\">%zu</span> shown</span></div>\n", r->n_findings);
		fputs("<table><thead><tr><th class=\"sort\">Severity</th><th class=\"sort\">Rule</th>"
		      "<th class=\"sort\">Where</th><th>Finding</th></tr></thead>\n<tbody>\n", o);
		if (write_rows(s, o) < 0)
			return -HD_EIO;
		fputs("</tbody></table>\n", o);
	}
	fputs("</section>\n<footer><p>Rules and remediations: <a href=\"", o);
	put_esc(o, r->opts.docs_base ? r->opts.docs_base : HD_DOCS_BASE);
	fprintf(o, "\">hardock rule catalogue</a>.</p></footer>\n<script>%s</script>\n</body>\n</html>\n",
		script_js);
	return 0;
}

static void html_release(struct hd_output *r)
{
	struct html_state *s = r->state;
	size_t i;

	hd_buf_release(&s->body);
	if (s->spool)
		fclose(s->spool);
	hd_buf_release(&s->checks);
	for (i = 0; i < s->n_groups; i++)
		hd_free(s->groups[i].name);
	hd_free(s->groups);
	hd_free(s->rules);
}

const struct hd_reporter hd_reporter_html = {
	.name = "html",
	.help = "one self-contained HTML page: summary, CIS chart, findings with fixes",
	.snippets = HD_SNIPPETS_YES,
	.state_size = sizeof(struct html_state),
	.begin = html_begin,
	.file = html_file,
	.finding = html_finding,
	.checks = html_checks,
	.end = html_end,
	.release = html_release,
};
