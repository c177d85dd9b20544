/*
 * The line-oriented and CI formats: GNU error format (editors jump to it),
 * GitHub Actions workflow commands (annotations on the pull request), and
 * JUnit XML (test dashboards): one test case per finding, or per audit check
 * when the report carries check verdicts.
 */
#include "core/common.h"
#include "core/buf.h"
#include "report/report_int.h"

/* Decimal digits of v into buf (at least 11 bytes); returns the start. */
static const char *utoa(uint32_t v, char buf[32])
{
	char *p = buf + 31;

	*p = '\0';
	do {
		*--p = (char)('0' + v % 10);
		v /= 10;
	} while (v);
	return p;
}

static const char *gnu_level(enum hd_severity s)
{
	return s >= HD_SEV_HIGH ? "error" : s == HD_SEV_MEDIUM ? "warning" : "note";
}

int hd_report_gnu(FILE *out, const struct hd_report *rep)
{
	size_t i;

	/* The hot path of a corpus-sized run: plain puts, no format parsing. */
	for (i = 0; i < rep->findings->n; i++) {
		const struct hd_finding *f = &rep->findings->v[i];
		char num[32];

		fputs(f->file ? f->file : f->object ? f->object : "hardock", out);
		fputc(':', out);
		if (f->line) {
			fputs(utoa(f->line, num), out);
			fputc(':', out);
		}
		if (f->line && f->col) {
			fputs(utoa(f->col, num), out);
			fputc(':', out);
		}
		fputc(' ', out);
		fputs(gnu_level(f->severity), out);
		fputs(": ", out);
		fputs(f->message, out);
		fputs(" [", out);
		fputs(f->rule->id, out);
		fputs("]\n", out);
	}
	return 0;
}

/* Workflow command values escape %, CR and LF; properties also ':' and ','. */
static void gh_escape(FILE *out, const char *s, bool property)
{
	for (; *s; s++) {
		if (*s == '%')
			fputs("%25", out);
		else if (*s == '\r')
			fputs("%0D", out);
		else if (*s == '\n')
			fputs("%0A", out);
		else if (property && *s == ':')
			fputs("%3A", out);
		else if (property && *s == ',')
			fputs("%2C", out);
		else
			fputc(*s, out);
	}
}

int hd_report_github(FILE *out, const struct hd_report *rep)
{
	size_t i;

	for (i = 0; i < rep->findings->n; i++) {
		const struct hd_finding *f = &rep->findings->v[i];
		const char *lvl = f->severity >= HD_SEV_HIGH ? "error" :
				  f->severity == HD_SEV_MEDIUM ? "warning" : "notice";

		fprintf(out, "::%s ", lvl);
		if (f->file) {
			fputs("file=", out);
			gh_escape(out, f->file, true);
			if (f->line)
				fprintf(out, ",line=%u", f->line);
			if (f->col)
				fprintf(out, ",col=%u", f->col);
			if (f->end_line)
				fprintf(out, ",endLine=%u", f->end_line);
			if (f->end_col && f->end_line == f->line)
				fprintf(out, ",endColumn=%u", f->end_col);
			fputc(',', out);
		}
		fputs("title=", out);
		gh_escape(out, f->rule->id, true);
		fputs("::", out);
		if (f->object && !f->file) {
			gh_escape(out, f->object, false);
			fputs(": ", out);
		}
		gh_escape(out, f->message, false);
		fputc('\n', out);
	}
	return 0;
}

static void xml(FILE *out, const char *s)
{
	struct hd_buf b = HD_BUF_INIT(1u << 20);

	hd_buf_add_xml_escaped(&b, s, strlen(s));
	fputs(b.buf, out);
	hd_buf_release(&b);
}

static void junit_finding(FILE *out, const struct hd_finding *f)
{
	char loc[64] = "";

	if (f->line)
		snprintf(loc, sizeof(loc), ":%u:%u", f->line, f->col);
	fputs("    <testcase classname=\"", out);
	xml(out, f->file ? f->file : f->object ? f->object : "hardock");
	fputs("\" name=\"", out);
	xml(out, f->rule->id);
	xml(out, loc);
	fputs("\">\n      <failure type=\"", out);
	xml(out, hd_severity_name(f->severity));
	fputs("\" message=\"", out);
	xml(out, f->message);
	fputs("\">", out);
	xml(out, f->rule->title ? f->rule->title : "");
	if (f->rule->remediation) {
		fputs("\n", out);
		xml(out, f->rule->remediation);
	}
	fputs("</failure>\n    </testcase>\n", out);
}

int hd_report_junit(FILE *out, const struct hd_report *rep)
{
	const struct hd_findings *fs = rep->findings;
	size_t i, j, tests, failures = 0, skipped = 0;

	fputs("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<testsuites>\n", out);
	if (rep->checks) {
		/* Audit: a test case per check; its findings are the failure text. */
		for (i = 0; i < rep->n_checks; i++) {
			failures += rep->checks[i].status == HD_CHECK_WARN;
			skipped += rep->checks[i].status == HD_CHECK_SKIP || rep->checks[i].status == HD_CHECK_NOTE;
		}
		fprintf(out, "  <testsuite name=\"hardock %s\" tests=\"%zu\" failures=\"%zu\" skipped=\"%zu\">\n",
			rep->command ? rep->command : "", rep->n_checks, failures, skipped);
		for (i = 0; i < rep->n_checks; i++) {
			const struct hd_check_result *c = &rep->checks[i];

			fputs("    <testcase classname=\"", out);
			xml(out, c->subject ? c->subject : "hardock");
			fputs("\" name=\"", out);
			if (c->rule->cis) {
				xml(out, c->rule->cis);
				fputc(' ', out);
			}
			xml(out, c->rule->id);
			fputs("\">", out);
			if (c->status == HD_CHECK_WARN) {
				fputs("\n      <failure type=\"WARN\" message=\"", out);
				xml(out, c->rule->title ? c->rule->title : c->rule->id);
				fputs("\">", out);
				for (j = 0; j < fs->n; j++) {
					const struct hd_finding *f = &fs->v[j];

					if (f->rule != c->rule)
						continue;
					if (c->subject && f->object && strcmp(c->subject, f->object) != 0)
						continue;
					xml(out, f->message);
					fputc('\n', out);
				}
				fputs("</failure>\n    ", out);
			} else if (c->status == HD_CHECK_SKIP || c->status == HD_CHECK_NOTE) {
				fputs("\n      <skipped message=\"", out);
				xml(out, c->note ? c->note : "not applicable");
				fputs("\"/>\n    ", out);
			}
			fputs("</testcase>\n", out);
		}
		fputs("  </testsuite>\n</testsuites>\n", out);
		return 0;
	}
	tests = fs->n ? fs->n : 1;
	fprintf(out, "  <testsuite name=\"hardock %s\" tests=\"%zu\" failures=\"%zu\">\n",
		rep->command ? rep->command : "", tests, fs->n);
	for (i = 0; i < fs->n; i++)
		junit_finding(out, &fs->v[i]);
	if (!fs->n)
		fputs("    <testcase classname=\"hardock\" name=\"no findings\"/>\n", out);
	fputs("  </testsuite>\n</testsuites>\n", out);
	return 0;
}
