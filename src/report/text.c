/*
 * The human report: one block per finding with the source line and a caret
 * under the column, then a summary: a line per rule and severity (count, id),
 * the most severe and most frequent first, and the totals.  Only the rules
 * used are counted (bounded by the catalogue).  Colours only when asked (the CLI decides:
 * a TTY without NO_COLOR, or --color).
 */
#include "core/common.h"
#include "report/report_int.h"

#define C_RESET "\033[0m"
#define C_BOLD "\033[1m"
#define C_DIM "\033[2m"

static const char *sev_color(enum hd_severity s)
{
	switch (s) {
	case HD_SEV_ERROR:
	case HD_SEV_CRITICAL: return "\033[1;31m";
	case HD_SEV_HIGH: return "\033[31m";
	case HD_SEV_MEDIUM: return "\033[33m";
	case HD_SEV_LOW: return "\033[36m";
	default: return "\033[2m";
	}
}

static void print_location(FILE *out, const struct hd_finding *f)
{
	if (f->file) {
		fputs(f->file, out);
		if (f->line) {
			fprintf(out, ":%u", f->line);
			if (f->col)
				fprintf(out, ":%u", f->col);
		}
	}
	/* A file position says it all; live objects are named with their field. */
	if (!f->file && f->object)
		fputs(f->object, out);
	if (!f->file && f->field)
		fprintf(out, "%s%s", f->object ? " " : "", f->field);
	if (!f->file && !f->object && !f->field)
		fputs("-", out);
}

static void print_snippet(FILE *out, const struct hd_finding *f, bool color)
{
	uint32_t i, width, col = f->col ? f->col : 1;
	size_t len = strlen(f->snippet);

	fprintf(out, "  %s%5u |%s ", color ? C_DIM : "", f->line, color ? C_RESET : "");
	for (i = 0; i < len; i++)
		fputc(f->snippet[i] == '\t' ? ' ' : (unsigned char)f->snippet[i] < 0x20 ? '?' : f->snippet[i], out);
	fputc('\n', out);
	if (col > len + 1)
		return;
	width = 1;
	if (f->end_line == f->line && f->end_col > col)
		width = f->end_col - col;
	if (col - 1 + width > len && len >= col)
		width = (uint32_t)(len - (col - 1));
	fprintf(out, "  %s      |%s ", color ? C_DIM : "", color ? C_RESET : "");
	for (i = 1; i < col; i++)
		fputc(' ', out);
	if (color)
		fputs(sev_color(f->severity), out);
	fputc('^', out);
	for (i = 1; i < width && i < 240; i++)
		fputc('~', out);
	if (color)
		fputs(C_RESET, out);
	fputc('\n', out);
}

/* Findings of one rule at one severity (a rule may report several: hd_report_sev). */
struct rule_count {
	const struct hd_rule *rule;
	enum hd_severity sev;
	size_t n;
};

struct text_state {
	struct rule_count *v;
	size_t n, alloc;
};

static int count_rule(struct text_state *s, const struct hd_finding *f)
{
	size_t i;

	/* Findings of one rule tend to follow each other: look from the last one used. */
	for (i = s->n; i-- > 0;) {
		if (s->v[i].rule == f->rule && s->v[i].sev == f->severity)
			break;
	}
	if (i == (size_t)-1) {
		if (HD_GROW(s->v, s->alloc, s->n + 1) < 0)
			return -HD_ENOMEM;
		i = s->n++;
		s->v[i].rule = f->rule;
		s->v[i].sev = f->severity;
		s->v[i].n = 0;
	}
	s->v[i].n++;
	return 0;
}

static int text_finding(struct hd_output *r, const struct hd_finding *f)
{
	bool color = r->opts.color;
	int e;

	if (!r->opts.quiet) {
		e = count_rule(r->state, f);
		if (e < 0)
			return e;
	}

	print_location(r->out, f);
	fprintf(r->out, ": %s%s%s %s[%s]%s %s\n", color ? sev_color(f->severity) : "",
		hd_severity_name(f->severity), color ? C_RESET : "", color ? C_BOLD : "", f->rule->id,
		color ? C_RESET : "", f->message);
	if (!r->opts.quiet && f->snippet && f->line)
		print_snippet(r->out, f, color);
	return 0;
}

static int by_weight(const void *pa, const void *pb)
{
	const struct rule_count *a = pa, *b = pb;

	if (a->sev != b->sev)
		return a->sev > b->sev ? -1 : 1;
	if (a->n != b->n)
		return a->n > b->n ? -1 : 1;
	return strcmp(a->rule->id, b->rule->id);
}

static void print_rules(struct hd_output *r)
{
	struct text_state *s = r->state;
	bool color = r->opts.color;
	size_t i;

	if (!s->n)
		return;
	qsort(s->v, s->n, sizeof(*s->v), by_weight);
	fputs("\nfindings by rule:\n", r->out);
	for (i = 0; i < s->n; i++)
		fprintf(r->out, "  %s%-8s%s %6zu  %s\n", color ? sev_color(s->v[i].sev) : "",
			hd_severity_name(s->v[i].sev), color ? C_RESET : "", s->v[i].n, s->v[i].rule->id);
}

static int text_end(struct hd_output *r)
{
	FILE *out = r->out;
	size_t i;
	bool first = true;

	if (r->opts.quiet)
		return 0;
	print_rules(r);
	if (r->n_findings)
		fputc('\n', out);
	if (r->files)
		fprintf(out, "%zu file%s checked, ", r->files, r->files == 1 ? "" : "s");
	if (!r->n_findings) {
		fputs("no findings\n", out);
		return 0;
	}
	fprintf(out, "%zu finding%s (", r->n_findings, r->n_findings == 1 ? "" : "s");
	for (i = HD_SEV_MAX; i-- > HD_SEV_INFO;) {
		if (!r->counts[i])
			continue;
		fprintf(out, "%s%zu %s", first ? "" : ", ", r->counts[i], hd_severity_name((enum hd_severity)i));
		first = false;
	}
	fputs(")\n", out);
	return 0;
}

static void text_release(struct hd_output *r)
{
	struct text_state *s = r->state;

	hd_free(s->v);
}

const struct hd_reporter hd_reporter_text = {
	.name = "text",
	.help = "for people: each finding with its source line, then a summary by rule (default)",
	.snippets = HD_SNIPPETS_UNLESS_QUIET,
	.state_size = sizeof(struct text_state),
	.finding = text_finding,
	.end = text_end,
	.release = text_release,
};
