/*
 * The table of reporters and what several reporters share.
 */
#include "core/common.h"
#include "report/report.h"
#include "report/report_int.h"

const struct hd_reporter hd_reporters[] = {
	{ "text", hd_report_text, true },
	{ "json", hd_report_json, false },
	{ "sarif", hd_report_sarif, false },
	{ "junit", hd_report_junit, false },
	{ "github", hd_report_github, true },
	{ "gnu", hd_report_gnu, true },
};
const size_t hd_reporter_count = HD_ARRAY_SIZE(hd_reporters);

const struct hd_reporter *hd_reporter_find(const char *name)
{
	size_t i;

	for (i = 0; i < hd_reporter_count; i++) {
		if (strcmp(hd_reporters[i].name, name) == 0)
			return &hd_reporters[i];
	}
	return NULL;
}

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

void hd_report_counts(const struct hd_findings *f, size_t counts[HD_SEV_MAX])
{
	size_t i;

	memset(counts, 0, sizeof(size_t) * HD_SEV_MAX);
	for (i = 0; i < f->n; i++)
		counts[f->v[i].severity]++;
}
