/*
 * SBOM writers: CycloneDX 1.6 JSON and SPDX 2.3 JSON of a package list,
 * every package with its purl.  Output is deterministic: packages in the
 * list's order (hd_packages_sort), identifiers derived from the content,
 * and the one timestamp given by the caller (SOURCE_DATE_EPOCH in the CLI).
 */
#ifndef HD_VULN_SBOM_H
#define HD_VULN_SBOM_H

#include <stdint.h>
#include <stdio.h>

#include "model/package.h"

enum hd_sbom_format { HD_SBOM_CYCLONEDX, HD_SBOM_SPDX, HD_SBOM_MAX };

/* "cyclonedx" or "spdx" -> format, or -1. */
int hd_sbom_format_from_name(const char *name);

struct hd_sbom_meta {
	const char *subject;     /* what was catalogued: an image name or a directory */
	int64_t created;         /* unix seconds for the document's timestamp */
	const char *tool_version;
};

/* Writes the SBOM to out.  Returns 0, -HD_ENOMEM or -HD_EIO. */
int hd_sbom_write(FILE *out, enum hd_sbom_format f, const struct hd_packages *pk, const struct hd_sbom_meta *meta);

#endif
