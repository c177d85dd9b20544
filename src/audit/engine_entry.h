/*
 * The entry point of the engine audit, called by `hardock audit engine` and by
 * a bare `hardock audit` (src/cli/cmd_audit.c).  The host and daemon audits
 * read files; the engine audit talks to a running dockerd (containers,
 * images, swarm, /info) and is written in src/engine/ and src/audit/ by its
 * own owner.  Until it lands, src/audit/engine_stub.c provides a definition
 * that returns -HD_EUNSUPPORTED, which the command reports as "engine audit
 * not built yet".  The real implementation replaces that file: delete
 * engine_stub.c and its line in src/audit/meson.build in the same commit.
 *
 * Ownership: the options are borrowed for the call; findings and checks are
 * appended to the caller's lists, which own them.
 */
#ifndef HD_AUDIT_ENGINE_ENTRY_H
#define HD_AUDIT_ENGINE_ENTRY_H

#include <stdbool.h>

#include "audit/audit.h"
#include "core/config.h"

struct hd_audit_opts {
	const struct hd_config *cfg; /* never NULL */
	const char *root;            /* --root DIR, or NULL for the live system */
	const char *engine_host;     /* -H/--host value, or NULL: DOCKER_HOST, then the default socket */
	bool offline;                /* true with --root: live-only checks are SKIP */
};

/*
 * Audits the engine reachable through o->engine_host (containers, images,
 * swarm settings, /info).  Appends findings to f and one check result per
 * rule and subject to c.  Returns 0, -HD_ECONNECT when the engine cannot be
 * reached, -HD_EUNSUPPORTED when the engine audit is not part of this build,
 * or another negative HD_E*.
 */
int hd_audit_engine(const struct hd_audit_opts *o, struct hd_findings *f, struct hd_checks *c);

#endif
