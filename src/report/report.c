/*
 * The table of reporters.
 */
#include "core/common.h"
#include "report/report.h"

int hd_report_text(FILE *out, const struct hd_report *rep);

const struct hd_reporter hd_reporters[] = {
	{ "text", hd_report_text },
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

int hd_report_text(FILE *out, const struct hd_report *rep)
{
	size_t i;

	for (i = 0; i < rep->findings->n; i++) {
		const struct hd_finding *f = &rep->findings->v[i];
		fprintf(out, "%s:%u:%u: %s [%s] %s\n", f->file ? f->file : "-", f->line, f->col,
			hd_severity_name(f->severity), f->rule->id, f->message);
	}
	return 0;
}
