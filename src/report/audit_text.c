/*
 * The text report of `hardock audit`: every check in CIS order with its
 * verdict (PASS, WARN, INFO, NOTE, SKIP), the findings under the checks that
 * have them, and a count and score per CIS section, in the layout
 * docker-bench-security users know.  hd_output_begin() picks it for format
 * "text" when the report carries checks; findings-only reports keep the
 * plain text reporter.  It writes everything when the checks arrive: the
 * findings come with them.  A rule checked on
 * several subjects (containers, images) is one line whose verdict is the worst
 * of its subjects, with the findings listed under it.  The score of a section
 * is docker-bench's: one point per PASS, minus one per WARN.
 */
#include "core/common.h"
#include "report/report_int.h"

#define C_RESET "\033[0m"
#define C_DIM "\033[2m"

static const char *const status_name[HD_CHECK_STATUS_MAX] = {
	[HD_CHECK_PASS] = "PASS", [HD_CHECK_WARN] = "WARN", [HD_CHECK_INFO] = "INFO",
	[HD_CHECK_NOTE] = "NOTE", [HD_CHECK_SKIP] = "SKIP",
};

static const char *const status_color[HD_CHECK_STATUS_MAX] = {
	[HD_CHECK_PASS] = "\033[1;32m", [HD_CHECK_WARN] = "\033[1;31m", [HD_CHECK_INFO] = "\033[1;34m",
	[HD_CHECK_NOTE] = "\033[1;33m", [HD_CHECK_SKIP] = "\033[2m",
};


/* Numeric parts of a CIS id ("1.1.10" -> 1,1,10); section 0 when none. */
static void cis_key(const struct hd_rule *r, unsigned key[4])
{
	const char *p = r->cis;
	size_t i;

	memset(key, 0, 4 * sizeof(*key));
	if (!p || !isdigit((unsigned char)*p))
		return;
	for (i = 0; i < 4 && isdigit((unsigned char)*p); i++) {
		unsigned v = 0;

		while (isdigit((unsigned char)*p)) {
			v = v * 10 + (unsigned)(*p - '0');
			p++;
		}
		key[i] = v;
		if (*p != '.')
			break;
		p++;
	}
}

static int check_cmp(const void *pa, const void *pb)
{
	const struct hd_check_result *a = *(const struct hd_check_result *const *)pa;
	const struct hd_check_result *b = *(const struct hd_check_result *const *)pb;
	unsigned ka[4], kb[4];
	size_t i;
	int c;

	cis_key(a->rule, ka);
	cis_key(b->rule, kb);
	for (i = 0; i < 4; i++) {
		if (ka[i] != kb[i])
			return ka[i] < kb[i] ? -1 : 1;
	}
	c = strcmp(a->rule->id, b->rule->id);
	if (c)
		return c;
	if (!a->subject || !b->subject)
		return (a->subject != NULL) - (b->subject != NULL);
	return strcmp(a->subject, b->subject);
}

/* The worst verdict of a rule over its subjects. */
static enum hd_check_status combine(enum hd_check_status a, enum hd_check_status b)
{
	static const int rank[HD_CHECK_STATUS_MAX] = {
		[HD_CHECK_WARN] = 4, [HD_CHECK_INFO] = 3, [HD_CHECK_PASS] = 2,
		[HD_CHECK_NOTE] = 1, [HD_CHECK_SKIP] = 0,
	};

	return rank[a] >= rank[b] ? a : b;
}

static void tag(FILE *out, enum hd_check_status s, bool color)
{
	if (color)
		fprintf(out, "%s[%s]%s ", status_color[s], status_name[s], C_RESET);
	else
		fprintf(out, "[%s] ", status_name[s]);
}

static void print_finding(FILE *out, const struct hd_finding *f, enum hd_check_status s, bool color,
			  bool show_subject)
{
	tag(out, s, color);
	fprintf(out, "     * %s", f->message);
	/* A path the message already names is not repeated, unless a line points into it. */
	if ((f->file && (f->line || !strstr(f->message, f->file))) || (!f->file && (f->object || f->field))) {
		fputs(color ? C_DIM " (" : " (", out);
		if (f->file) {
			fputs(f->file, out);
			if (f->line)
				fprintf(out, ":%" PRIu32, f->line);
			if (f->line && f->col)
				fprintf(out, ":%" PRIu32, f->col);
		} else if (f->object && show_subject) {
			fputs(f->object, out);
			if (f->field)
				fprintf(out, " %s", f->field);
		} else if (f->field) {
			fputs(f->field, out);
		} else if (f->object) {
			fputs(f->object, out);
		}
		fputs(color ? ")" C_RESET : ")", out);
	}
	fputc('\n', out);
}

struct section_count {
	size_t n[HD_CHECK_STATUS_MAX];
	size_t checks;
	long score;
};

static void print_section_summary(FILE *out, unsigned sec, const struct section_count *c, bool color)
{
	tag(out, HD_CHECK_INFO, color);
	fprintf(out, "Section %u - %s: %zu checks, %zu PASS, %zu WARN, %zu INFO, %zu NOTE, %zu SKIP; "
		"score %ld\n\n", sec, sec < hd_cis_section_count ? hd_cis_section_titles[sec] : "",
		c->checks, c->n[HD_CHECK_PASS], c->n[HD_CHECK_WARN], c->n[HD_CHECK_INFO],
		c->n[HD_CHECK_NOTE], c->n[HD_CHECK_SKIP], c->score);
}

static int audit_text_checks(struct hd_output *rep, const struct hd_check_result *checks,
			     size_t n_checks, const struct hd_findings *all)
{
	const struct hd_check_result **v;
	struct section_count sec = { { 0 }, 0, 0 }, total = { { 0 }, 0, 0 };
	unsigned cur_sec = UINT32_MAX;
	size_t i, j;
	FILE *out = rep->out;
	bool color = rep->opts.color, quiet = rep->opts.quiet;

	if (!n_checks)
		return 0;
	v = hd_calloc(n_checks, sizeof(*v));
	if (!v)
		return -HD_ENOMEM;
	for (i = 0; i < n_checks; i++)
		v[i] = &checks[i];
	qsort(v, n_checks, sizeof(*v), check_cmp);
	if (!quiet)
		fprintf(out, "hardock %s: CIS Docker Benchmark v1.6.0 checks\n\n",
			rep->opts.command ? rep->opts.command : "audit");
	for (i = 0; i < n_checks; i = j) {
		const struct hd_rule *r = v[i]->rule;
		enum hd_check_status st = v[i]->status;
		bool multi = false;
		unsigned key[4];

		/* The run of checks of this rule (one per subject). */
		for (j = i + 1; j < n_checks && v[j]->rule == r; j++) {
			st = combine(st, v[j]->status);
			multi = true;
		}
		cis_key(r, key);
		if (key[0] != cur_sec) {
			if (cur_sec != UINT32_MAX && !quiet)
				print_section_summary(out, cur_sec, &sec, color);
			memset(&sec, 0, sizeof(sec));
			cur_sec = key[0];
			if (!quiet) {
				tag(out, HD_CHECK_INFO, color);
				fprintf(out, "%u - %s\n", cur_sec,
					cur_sec < hd_cis_section_count ? hd_cis_section_titles[cur_sec] : "");
			}
		}
		sec.checks++;
		total.checks++;
		sec.n[st]++;
		total.n[st]++;
		if (st == HD_CHECK_PASS) {
			sec.score++;
			total.score++;
		} else if (st == HD_CHECK_WARN) {
			sec.score--;
			total.score--;
		}
		/* --quiet: only the checks that report something. */
		if (quiet && st != HD_CHECK_WARN && st != HD_CHECK_INFO)
			continue;
		tag(out, st, color);
		if (r->cis)
			fprintf(out, "%-6s - %s [%s]", r->cis, r->title, r->id);
		else
			fprintf(out, "%s [%s]", r->title, r->id);
		if (!multi && v[i]->subject && strcmp(v[i]->subject, "host") != 0 &&
		    strcmp(v[i]->subject, "daemon") != 0)
			fprintf(out, " (%s)", v[i]->subject);
		fputc('\n', out);
		if (st == HD_CHECK_WARN || st == HD_CHECK_INFO) {
			size_t k;

			for (k = 0; k < all->n; k++) {
				const struct hd_finding *f = &all->v[k];

				if (f->rule == r)
					print_finding(out, f, f->severity >= HD_SEV_LOW ? HD_CHECK_WARN :
						      HD_CHECK_INFO, color, multi);
			}
		}
		if (st == HD_CHECK_NOTE || st == HD_CHECK_SKIP) {
			size_t k;

			for (k = i; k < j; k++) {
				if (!v[k]->note || (k > i && v[k - 1]->note &&
						    !strcmp(v[k - 1]->note, v[k]->note)))
					continue;
				tag(out, st, color);
				fprintf(out, "     * %s\n", v[k]->note);
			}
		}
	}
	if (quiet) {
		hd_free(v);
		return 0;
	}
	if (cur_sec != UINT32_MAX)
		print_section_summary(out, cur_sec, &sec, color);
	tag(out, HD_CHECK_INFO, color);
	fprintf(out, "Checks: %zu (%zu PASS, %zu WARN, %zu INFO, %zu NOTE, %zu SKIP)\n", total.checks,
		total.n[HD_CHECK_PASS], total.n[HD_CHECK_WARN], total.n[HD_CHECK_INFO],
		total.n[HD_CHECK_NOTE], total.n[HD_CHECK_SKIP]);
	tag(out, HD_CHECK_INFO, color);
	fprintf(out, "Score: %ld\n", total.score);
	hd_free(v);
	return 0;
}

const struct hd_reporter hd_reporter_audit_text = {
	.name = "text",
	.help = "the CIS checks with their verdicts, docker-bench style",
	.checks = audit_text_checks,
};
