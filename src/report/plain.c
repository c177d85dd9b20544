/*
 * The line-oriented and CI formats: GNU error format (editors jump to it),
 * GitHub Actions workflow commands (annotations on the pull request), and
 * JUnit XML (test dashboards): a suite per file with one test case per
 * finding, or a test case per audit check when the report carries verdicts.
 */
#include "core/common.h"
#include "report/report_int.h"

/* " level: " of a gnu line, with its length. */
static const char *gnu_level_sep(enum hd_severity s, size_t *len)
{
	*len = s >= HD_SEV_HIGH ? 8 : s == HD_SEV_MEDIUM ? 10 : 7;
	return s >= HD_SEV_HIGH ? " error: " : s == HD_SEV_MEDIUM ? " warning: " : " note: ";
}

/* A line being put together: written out with one call when done. */
struct line {
	char *p;
	size_t n, cap;
	char small[1024];
};

static bool line_grow(struct line *l, size_t more)
{
	char *np;
	size_t cap;

	cap = l->cap * 2 > l->n + more ? l->cap * 2 : l->n + more;
	np = l->p == l->small ? hd_malloc(cap) : hd_realloc(l->p, cap);
	if (!np)
		return false;
	if (l->p == l->small)
		memcpy(np, l->small, l->n);
	l->p = np;
	l->cap = cap;
	return true;
}

static inline bool line_room(struct line *l, size_t more)
{
	return l->n + more <= l->cap || line_grow(l, more);
}

static inline bool line_add(struct line *l, const char *s, size_t n)
{
	if (!line_room(l, n))
		return false;
	memcpy(l->p + l->n, s, n);
	l->n += n;
	return true;
}

/* Whether one of the 8 bytes of w is below 0x20 (a control byte; tab included, told apart later). */
static inline bool has_control(uint64_t w)
{
	return ((w - 0x2020202020202020u) & ~w & 0x8080808080808080u) != 0;
}

/*
 * One line per finding, whatever the message or path holds: a newline or
 * carriage return is written as \n or \r and other control characters as
 * \xHH, so each line is one finding for editors and grep.  Eight bytes are
 * looked at a time; a word with a control byte (or a tab) is done bytewise.
 */
static bool gnu_put(struct line *l, const char *s)
{
	static const char hex[] = "0123456789abcdef";
	size_t n = strlen(s), i = 0;

	if (!line_room(l, n))
		return false;
	while (i < n) {
		uint64_t w;

		if (i + 8 <= n) {
			memcpy(&w, s + i, 8);
			if (!has_control(w)) {
				memcpy(l->p + l->n, s + i, 8);
				l->n += 8;
				i += 8;
				continue;
			}
		}
		for (size_t e = i + 8 < n ? i + 8 : n; i < e; i++) {
			unsigned char c = (unsigned char)s[i];
			char esc[4];

			if (c >= 0x20 || c == '\t') {
				if (!line_room(l, 1))
					return false;
				l->p[l->n++] = (char)c;
				continue;
			}
			esc[0] = '\\';
			esc[1] = c == '\n' ? 'n' : c == '\r' ? 'r' : 'x';
			esc[2] = hex[c >> 4];
			esc[3] = hex[c & 15];
			if (!line_add(l, esc, c == '\n' || c == '\r' ? 2 : 4))
				return false;
		}
	}
	return true;
}

/* v in decimal and a colon. */
static bool line_num(struct line *l, uint32_t v)
{
	char num[16], *p = num + sizeof(num);

	*--p = ':';
	do {
		*--p = (char)('0' + v % 10);
		v /= 10;
	} while (v);
	return line_add(l, p, (size_t)(num + sizeof(num) - p));
}

/* The last place name written and its escaped form: findings of one file come together. */
struct gnu_state {
	char *name, *escaped;
	size_t escaped_len;
};

/* The place name of a finding, escaped, through the state's copy of the last one. */
static bool gnu_name(struct gnu_state *s, struct line *l, const char *name)
{
	size_t start = l->n;

	if (s->name && strcmp(s->name, name) == 0)
		return line_add(l, s->escaped, s->escaped_len);
	if (!gnu_put(l, name))
		return false;
	hd_free(s->name);
	hd_free(s->escaped);
	s->name = hd_strdup(name);
	s->escaped = hd_strndup(l->p + start, l->n - start);
	s->escaped_len = l->n - start;
	if (!s->name || !s->escaped) {
		hd_free(s->name);
		hd_free(s->escaped);
		s->name = s->escaped = NULL;
	}
	return true;
}

static void gnu_release(struct hd_output *r)
{
	struct gnu_state *s = r->state;

	if (!s)
		return;
	hd_free(s->name);
	hd_free(s->escaped);
	s->name = s->escaped = NULL;
}

/* The hot path of a corpus-sized run: the line is put together in memory and written at once. */
static int gnu_finding(struct hd_output *r, const struct hd_finding *f)
{
	struct line l = { .cap = sizeof(l.small) };
	size_t level_len;
	const char *level = gnu_level_sep(f->severity, &level_len);
	bool ok;

	l.p = l.small;
	ok = gnu_name(r->state, &l, f->file ? f->file : f->object ? f->object : "hardock") && line_add(&l, ":", 1);
	if (ok && f->line)
		ok = line_num(&l, f->line);
	if (ok && f->line && f->col)
		ok = line_num(&l, f->col);
	ok = ok && line_add(&l, level, level_len) && gnu_put(&l, f->message) && line_add(&l, " [", 2) &&
	     line_add(&l, f->rule->id, strlen(f->rule->id)) && line_add(&l, "]\n", 2);
	/* One thread writes a report at a time (the lint pool's emitter): no stream lock needed. */
	if (ok)
		fwrite_unlocked(l.p, 1, l.n, r->out);
	if (l.p != l.small)
		hd_free(l.p);
	return ok ? 0 : -HD_ENOMEM;
}

const struct hd_reporter hd_reporter_gnu = {
	.name = "gnu",
	.help = "FILE:LINE:COL: level: message [rule], for editors",
	.state_size = sizeof(struct gnu_state),
	.finding = gnu_finding,
	.release = gnu_release,
};

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

static int github_finding(struct hd_output *r, const struct hd_finding *f)
{
	FILE *out = r->out;
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
	return 0;
}

const struct hd_reporter hd_reporter_github = {
	.name = "github",
	.help = "GitHub Actions workflow commands (annotations)",
	.finding = github_finding,
};

static void junit_finding_case(FILE *out, const struct hd_finding *f)
{
	char loc[64] = "";

	if (f->line)
		snprintf(loc, sizeof(loc), ":%u:%u", f->line, f->col);
	fputs("    <testcase classname=\"", out);
	hd_xml_put(out, f->file ? f->file : f->object ? f->object : "hardock");
	fputs("\" name=\"", out);
	hd_xml_put(out, f->rule->id);
	hd_xml_put(out, loc);
	fputs("\">\n      <failure type=\"", out);
	hd_xml_put(out, hd_severity_name(f->severity));
	fputs("\" message=\"", out);
	hd_xml_put(out, f->message);
	fputs("\">", out);
	hd_xml_put(out, f->rule->title ? f->rule->title : "");
	if (f->rule->remediation) {
		fputs("\n", out);
		hd_xml_put(out, f->rule->remediation);
	}
	fputs("</failure>\n    </testcase>\n", out);
}

/*
 * JUnit: a test suite per file (or live object), each finding a failed test
 * case, so the suite's counts are known when it opens and the report is
 * written as findings arrive.  A report without findings is one passing
 * test case.  Audits: a test case per check, its findings the failure text.
 */
struct junit_state {
	bool in_suite;
};

static int junit_begin(struct hd_output *r)
{
	fputs("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<testsuites>\n", r->out);
	return 0;
}

static void close_suite(struct hd_output *r)
{
	struct junit_state *s = r->state;

	if (s->in_suite)
		fputs("  </testsuite>\n", r->out);
	s->in_suite = false;
}

static int junit_file(struct hd_output *r, const char *name, size_t n)
{
	struct junit_state *s = r->state;

	if (r->opts.checks)
		return 0;
	close_suite(r);
	fputs("  <testsuite name=\"", r->out);
	if (name) {
		hd_xml_put(r->out, name);
	} else {
		fputs("hardock ", r->out);
		hd_xml_put(r->out, r->opts.command ? r->opts.command : "");
	}
	fprintf(r->out, "\" tests=\"%zu\" failures=\"%zu\">\n", n, n);
	s->in_suite = true;
	return 0;
}

static int junit_finding(struct hd_output *r, const struct hd_finding *f)
{
	if (!r->opts.checks)
		junit_finding_case(r->out, f);
	return 0;
}

/*
 * Whether a check's subject is the object a finding names: the same text, or
 * the object after the subject's kind ("image app:1", "container web
 * (running)").
 */
static bool subject_of(const char *subject, const char *object)
{
	const char *p = strchr(subject, ' ');
	size_t n = strlen(object);

	if (!strcmp(subject, object))
		return true;
	return p && !strncmp(p + 1, object, n) && (p[1 + n] == '\0' || p[1 + n] == ' ');
}

static int junit_checks(struct hd_output *r, const struct hd_check_result *checks, size_t n,
			const struct hd_findings *fs)
{
	FILE *out = r->out;
	size_t i, j, failures = 0, skipped = 0;

	for (i = 0; i < n; i++) {
		failures += checks[i].status == HD_CHECK_WARN;
		skipped += checks[i].status == HD_CHECK_SKIP || checks[i].status == HD_CHECK_NOTE;
	}
	fputs("  <testsuite name=\"hardock ", out);
	hd_xml_put(out, r->opts.command ? r->opts.command : "");
	fprintf(out, "\" tests=\"%zu\" failures=\"%zu\" skipped=\"%zu\">\n", n, failures, skipped);
	for (i = 0; i < n; i++) {
		const struct hd_check_result *c = &checks[i];

		fputs("    <testcase classname=\"", out);
		hd_xml_put(out, c->subject ? c->subject : "hardock");
		fputs("\" name=\"", out);
		if (c->rule->cis) {
			hd_xml_put(out, c->rule->cis);
			fputc(' ', out);
		}
		hd_xml_put(out, c->rule->id);
		fputs("\">", out);
		if (c->status == HD_CHECK_WARN) {
			fputs("\n      <failure type=\"WARN\" message=\"", out);
			hd_xml_put(out, c->rule->title ? c->rule->title : c->rule->id);
			fputs("\">", out);
			for (j = 0; j < fs->n; j++) {
				const struct hd_finding *f = &fs->v[j];

				if (f->rule != c->rule)
					continue;
				if (c->subject && f->object && !subject_of(c->subject, f->object))
					continue;
				hd_xml_put(out, f->message);
				fputc('\n', out);
			}
			fputs("</failure>\n    ", out);
		} else if (c->status == HD_CHECK_SKIP || c->status == HD_CHECK_NOTE) {
			fputs("\n      <skipped message=\"", out);
			hd_xml_put(out, c->note ? c->note : "not applicable");
			fputs("\"/>\n    ", out);
		}
		fputs("</testcase>\n", out);
	}
	fputs("  </testsuite>\n", out);
	return 0;
}

static int junit_end(struct hd_output *r)
{
	close_suite(r);
	if (!r->opts.checks && !r->n_findings) {
		fputs("  <testsuite name=\"hardock ", r->out);
		hd_xml_put(r->out, r->opts.command ? r->opts.command : "");
		fputs("\" tests=\"1\" failures=\"0\">\n"
		      "    <testcase classname=\"hardock\" name=\"no findings\"/>\n"
		      "  </testsuite>\n", r->out);
	}
	fputs("</testsuites>\n", r->out);
	return 0;
}

const struct hd_reporter hd_reporter_junit = {
	.name = "junit",
	.help = "JUnit XML, for test dashboards",
	.state_size = sizeof(struct junit_state),
	.begin = junit_begin,
	.file = junit_file,
	.finding = junit_finding,
	.checks = junit_checks,
	.end = junit_end,
};
