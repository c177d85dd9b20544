/*
 * The table of reporters, the one-pass report driver (begin, add, checks,
 * end; see report.h) and what several formats share.
 */
#include "core/common.h"
#include "core/buf.h"
#include "report/report.h"
#include "report/report_int.h"

/* --format NAME picks one; a new format is one file and one line here. */
const struct hd_reporter *const hd_reporters[] = {
	&hd_reporter_text,
	&hd_reporter_json,
	&hd_reporter_sarif,
	&hd_reporter_junit,
	&hd_reporter_github,
	&hd_reporter_gnu,
	&hd_reporter_html,
	&hd_reporter_prometheus,
};
const size_t hd_reporter_count = HD_ARRAY_SIZE(hd_reporters);

const struct hd_reporter *hd_reporter_find(const char *name)
{
	size_t i;

	for (i = 0; i < hd_reporter_count; i++) {
		if (strcmp(hd_reporters[i]->name, name) == 0)
			return hd_reporters[i];
	}
	return NULL;
}

bool hd_reporter_wants_snippets(const struct hd_reporter *rep, bool quiet)
{
	return rep->snippets == HD_SNIPPETS_YES || (rep->snippets == HD_SNIPPETS_UNLESS_QUIET && !quiet);
}

static void keep_err(struct hd_output *r, int e)
{
	if (e < 0 && !r->err)
		r->err = e;
}

int hd_output_begin(const struct hd_reporter *rep, FILE *out, const struct hd_output_opts *opts,
		    struct hd_output **ret)
{
	struct hd_output *r;

	/* Audits in text: the docker-bench style list of checks. */
	if (opts->checks && strcmp(rep->name, "text") == 0)
		rep = &hd_reporter_audit_text;
	r = hd_calloc(1, sizeof(*r));
	if (!r)
		return -HD_ENOMEM;
	r->rep = rep;
	r->out = out;
	r->opts = *opts;
	if (rep->state_size) {
		r->state = hd_calloc(1, rep->state_size);
		if (!r->state) {
			hd_free(r);
			return -HD_ENOMEM;
		}
	}
	if (rep->begin)
		keep_err(r, rep->begin(r));
	*ret = r;
	return 0;
}

static const char *group_of(const struct hd_finding *f)
{
	return f->file ? f->file : f->object;
}

static bool same_group(const char *a, const char *b)
{
	return a == b || (a && b && strcmp(a, b) == 0);
}

int hd_output_add(struct hd_output *r, const struct hd_findings *f)
{
	size_t i, j;

	for (i = 0; i < f->n && !r->err; i = j) {
		const char *g = group_of(&f->v[i]);

		for (j = i + 1; j < f->n && same_group(g, group_of(&f->v[j])); j++)
			;
		if (r->rep->file)
			keep_err(r, r->rep->file(r, g, j - i));
		for (; i < j && !r->err; i++) {
			r->counts[f->v[i].severity]++;
			r->n_findings++;
			if (r->rep->finding)
				keep_err(r, r->rep->finding(r, &f->v[i]));
		}
	}
	/* A write error shows on the stream; stop early rather than at the end. */
	if (ferror(r->out))
		keep_err(r, -HD_EIO);
	return r->err;
}

int hd_output_checks(struct hd_output *r, const struct hd_check_result *c, size_t n,
		     const struct hd_findings *all)
{
	if (r->checks_done)
		HD_BUG("hd_output_checks called twice");
	r->checks_done = true;
	if (!r->err && r->rep->checks)
		keep_err(r, r->rep->checks(r, c, n, all));
	return r->err;
}

int hd_output_end(struct hd_output *r, size_t files_scanned)
{
	int e;

	if (!r)
		return 0;
	r->files = files_scanned;
	if (!r->err && r->rep->end)
		keep_err(r, r->rep->end(r));
	if (fflush(r->out) != 0 || ferror(r->out))
		keep_err(r, -HD_EIO);
	e = r->err;
	if (r->rep->release)
		r->rep->release(r);
	hd_free(r->state);
	hd_free(r);
	return e;
}

int hd_report_object_add(struct hd_report_object **v, size_t *n, size_t *alloc, enum hd_target target,
			 const char *subject, const char *object, const char *id, const char *name,
			 const char *image)
{
	struct hd_report_object *o;

	if (hd_grow((void **)v, alloc, *n + 1, sizeof(**v)) < 0)
		return -HD_ENOMEM;
	o = &(*v)[*n];
	o->target = target;
	o->subject = hd_strdup(subject ? subject : "");
	o->object = hd_strdup(object ? object : "");
	o->id = hd_strdup(id ? id : "");
	o->name = hd_strdup(name ? name : "");
	o->image = hd_strdup(image ? image : "");
	(*n)++;
	if (!o->subject || !o->object || !o->id || !o->name || !o->image)
		return -HD_ENOMEM;
	return 0;
}

void hd_report_objects_free(struct hd_report_object *v, size_t n)
{
	size_t i;

	for (i = 0; v && i < n; i++) {
		hd_free(v[i].subject);
		hd_free(v[i].object);
		hd_free(v[i].id);
		hd_free(v[i].name);
		hd_free(v[i].image);
	}
	hd_free(v);
}

const char *const hd_cis_section_titles[] = {
	"Other checks (no CIS id)", "Host Configuration", "Docker daemon configuration",
	"Docker daemon configuration files", "Container Images and Build File", "Container Runtime",
	"Docker Security Operations", "Docker Swarm Configuration", "Docker Enterprise Configuration",
};
const size_t hd_cis_section_count = HD_ARRAY_SIZE(hd_cis_section_titles);

size_t hd_ref_next(const char **p, char *out, size_t outsz)
{
	const char *s = *p, *e;
	size_t n;

	while (*s == ' ' || *s == ',')
		s++;
	e = s;
	while (*e && *e != ',' && *e != ' ')
		e++;
	n = (size_t)(e - s);
	if (n >= outsz)
		n = outsz - 1;
	memcpy(out, s, n);
	out[n] = '\0';
	*p = e;
	return n;
}

void hd_xml_put(FILE *out, const char *s)
{
	const char *start = s;

	for (; *s; s++) {
		const char *rep = hd_xml_entity((unsigned char)*s);

		if (!rep)
			continue;
		if (s > start)
			fwrite(start, 1, (size_t)(s - start), out);
		fputs(rep, out);
		start = s + 1;
	}
	if (s > start)
		fwrite(start, 1, (size_t)(s - start), out);
}
