/*
 * The entry point of the engine audit, called by `hardock audit engine` and by
 * a bare `hardock audit` (src/cli/cmd_audit.c).  The host and daemon audits
 * read files; the engine audit talks to a running dockerd (containers,
 * images, swarm, /info) and is written in src/engine/ and src/audit/ by its
 * own owner (src/audit/engine.c).
 *
 * Ownership: the options are borrowed for the call; findings and checks are
 * appended to the caller's lists, which own them.
 */
#ifndef HD_AUDIT_ENGINE_ENTRY_H
#define HD_AUDIT_ENGINE_ENTRY_H

#include <stdbool.h>

#include "audit/audit.h"
#include "core/config.h"

struct hd_engine_opts;         /* engine/endpoint.h */
struct hd_engine_facts;        /* model/engine.h */
struct hd_engine_audit_status;
struct hd_engine_link;          /* an open connection (hd_engine_link_open) */
struct hd_procs;                /* audit/procs.h */
struct hd_layers_cache;         /* audit/layers_cache.h */

struct hd_audit_opts {
	const struct hd_config *cfg; /* never NULL */
	const char *root;            /* --root DIR, or NULL for the live system */
	const char *engine_host;     /* -H/--host value, or NULL: DOCKER_HOST, then the default socket */
	bool offline;                /* true with --root: live-only checks are SKIP */

	/* Engine audit only; every field optional (NULL / 0 = default). */
	const struct hd_engine_opts *engine; /* --host/--context/--tls* options, chosen like the
						docker CLI; when set, engine_host is not used */
	const struct hd_strlist *containers; /* --container ID/NAME: audit only these */
	const struct hd_strlist *images;     /* --image REF: audit only these */
	unsigned parallel;                   /* concurrent requests; 0 = 8 */
	long timeout_ms;                     /* per request; 0 = 30000 */
	bool processes_from_engine;          /* always ask the top endpoint, even when the
						engine is this machine (else /proc is read) */
	bool image_layers;                   /* also stream each audited image from the engine
						and judge its files (image-files rules) and its
						history (Dockerfile rules) */
	struct hd_layers_cache *layers_cache; /* with image_layers: readings kept by image id
						(audit/layers_cache.h), or NULL */
	struct hd_engine_audit_status *status; /* out: errors, notes, facts; NULL to ignore */
	const struct hd_procs *procs;        /* this run's pass over /proc with cgroups
						(audit/procs.h), or NULL to walk it here */
	struct hd_engine_link *link;         /* hd_audit_engine only: audit through this open
						connection and the /info it read (the facts
						are taken); NULL: connect */

	/* hd_engine_facts_fetch only: what not to ask. */
	bool facts_without_version;          /* no /version: dockerd runs runc, containerd and
						docker-init to answer it */
	bool facts_without_swarm_lists;      /* no /nodes, /networks, /services, /secrets */
};

/*
 * What the engine audit tells the command besides findings and checks.  A
 * non-empty `errors` means the audit is incomplete (the daemon went away or
 * answered garbage for some objects): print them and exit 2.  `notes` are for
 * the user (stopped containers audited too, a remote engine, ...).  `facts`
 * holds /version, /info and the swarm state for the daemon checks; its
 * `same_host` is false when the engine is not this machine, and then the host
 * and daemon checks of this machine must not be reported as the engine's.
 */
struct hd_engine_audit_status {
	struct hd_strlist errors;
	struct hd_strlist notes;
	struct hd_engine_facts *facts; /* owned; NULL when /info could not be read */
	size_t containers, images;     /* how many were audited */
	size_t missing;                /* objects asked for (--container, --image) or listed that the
					  engine does not have (any more) */
	struct hd_report_object *objects; /* what each container and image judged is (labels) */
	size_t n_objects, alloc_objects;
};
void hd_engine_audit_status_init(struct hd_engine_audit_status *s);
void hd_engine_audit_status_release(struct hd_engine_audit_status *s);

/*
 * Connects to the engine of o (o->engine, else o->engine_host) and reads
 * /version, /info and the swarm state, for `hardock audit daemon`.  Returns 0
 * with *ret set (free with hd_engine_facts_free()), or a negative HD_E* with
 * *errmsg (owned by the caller) saying why: no socket, permission denied
 * (root-equivalent access), not a Docker engine, ...
 */
int hd_engine_facts_fetch(const struct hd_audit_opts *o, struct hd_engine_facts **ret, char **errmsg);

/*
 * The same, keeping the connection: a full audit reads /info once and
 * audits the engine through the same client (o->link of hd_audit_engine).
 * Same returns; *ret is freed with hd_engine_link_free().
 * hd_engine_link_facts() gives the facts read, or NULL once an audit took
 * them.
 */
int hd_engine_link_open(const struct hd_audit_opts *o, struct hd_engine_link **ret, char **errmsg);
const struct hd_engine_facts *hd_engine_link_facts(const struct hd_engine_link *l);
/*
 * Asks the engine of l for /version (the component versions, which dockerd
 * finds by running runc and containerd) into new facts *ret (free with
 * hd_engine_facts_free()).  Returns 0, -HD_ENOMEM, or another negative
 * HD_E* when the engine did not answer it.
 */
int hd_engine_link_version(struct hd_engine_link *l, struct hd_engine_facts **ret);
void hd_engine_link_free(struct hd_engine_link *l);

/*
 * Audits the engine reachable through o->engine (or o->engine_host):
 * containers in every state, images, swarm settings, /info.  Appends findings
 * to f and one check result per rule and subject to c (subjects "container
 * NAME", "image REF", "engine").  Returns 0 (check o->status->errors for what
 * could not be read), -HD_ECONNECT / -HD_ENOENT / -HD_EACCES / -HD_EPROTO when
 * the engine cannot be used at all (the reason is in o->status->errors),
 * -HD_EUNSUPPORTED when the engine audit is not part of this build, or
 * another negative HD_E*.
 */
int hd_audit_engine(const struct hd_audit_opts *o, struct hd_findings *f, struct hd_checks *c);

#endif
