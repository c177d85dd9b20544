/*
 * The outcome of a whole run (a lint, an audit, an image scan): what it
 * found per severity and whether it failed.  Sessions fill it; the CLI's one
 * exit-code policy (hd_cli_exit_code) reads it.
 */
#ifndef HD_STATUS_H
#define HD_STATUS_H

#include <stdbool.h>
#include <stddef.h>

#include "core/finding.h"

struct hd_run_status {
	size_t counts[HD_SEV_MAX]; /* findings reported, per severity (after filters) */
	size_t files;              /* inputs scanned (files, images, ...) */
	bool failed;               /* the run could not do its job: an explicit input could not be
				    * read, the engine could not be reached, an internal error */
};

/* Adds the findings of f to st->counts. */
void hd_run_status_count(struct hd_run_status *st, const struct hd_findings *f);

#endif
