/*
 * Run status: counting what a run reported.
 */
#include "core/common.h"
#include "core/status.h"

void hd_run_status_count(struct hd_run_status *st, const struct hd_findings *f)
{
	size_t i;

	for (i = 0; i < f->n; i++)
		st->counts[f->v[i].severity]++;
}
