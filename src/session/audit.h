/*
 * An audit session: a whole `hardock audit` run owned by the library, so
 * that the CLI, a server and the HTML report all run the same audit.
 *
 * A run reads the facts (the files of this machine or of a copy of a host
 * under `root`, the running dockerd, the engine's /version and /info), lets
 * what a local engine says complete the host and daemon facts, and judges
 * every subject: the host (CIS 1), the daemon (CIS 2 and 3), then the
 * engine, each container and each image.  When the engine is another
 * machine, the host and daemon checks of this machine are SKIP with the
 * reason rather than attributed to it.  A run never prints and never exits:
 * it returns findings, one verdict per rule and subject, messages (notes and
 * errors, in the order they arose) and a status.  The caller reports them
 * and picks the exit code (src/cli/cmd_audit.c).
 *
 * For a server that audits periodically and re-judges one object when the
 * engine reports an event:
 *
 *     hd_audit_session_new(&opts, &s);            once
 *     hd_audit_session_run(s, &res);              each period: the whole audit
 *     hd_audit_session_container(s, id, &res);    on a container event
 *     hd_audit_session_image(s, ref, &res);       on an image event
 *     hd_audit_session_free(s);
 *
 * Each call fills a result the caller initialised (hd_audit_result_init) and
 * releases (hd_audit_result_release); results are independent of each other
 * and of the session, so a server may keep the last one while the next runs.
 *
 * Ownership: the session borrows opts and what it points to (config, engine
 * options, filters) for its whole life; a result owns everything in it.
 */
#ifndef HD_SESSION_AUDIT_H
#define HD_SESSION_AUDIT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "audit/audit.h"
#include "core/config.h"
#include "core/finding.h"
#include "core/status.h"
#include "model/daemon.h"
#include "model/host.h"

struct hd_engine_opts;
struct hd_engine_facts;
struct hd_layers_cache;

enum hd_audit_part {
	HD_AUDIT_HOST = 1u << 0,   /* CIS 1: partition, socket group, auditd, versions */
	HD_AUDIT_DAEMON = 1u << 1, /* CIS 2 and 3: effective dockerd configuration, its files */
	HD_AUDIT_ENGINE = 1u << 2, /* the running engine: containers, images, swarm */
	HD_AUDIT_ALL = 7u,
};

struct hd_audit_session_opts {
	unsigned parts;                      /* enum hd_audit_part bits; 0 = all */
	const struct hd_config *cfg;         /* never NULL */
	const char *root;                    /* a copy of a host's filesystem; NULL = this machine */
	int64_t now;                         /* 0 = the current time */
	bool facts_only;                     /* read the facts, judge nothing (--show-config) */

	/* The engine: every field optional (NULL / 0 = default). */
	const struct hd_engine_opts *engine; /* -H, --context, --tls* as the docker CLI takes them */
	bool engine_explicit;                /* the user chose the engine (options, DOCKER_HOST,
						DOCKER_CONTEXT): do not default to the audited
						daemon's own socket */
	const struct hd_strlist *containers; /* audit only these containers (id, name) */
	const struct hd_strlist *images;     /* audit only these images */
	unsigned parallel;                   /* concurrent requests; 0 = 8 */
	long timeout_ms;                     /* per request; 0 = 30000 */
	bool processes_from_engine;          /* ask top even when the engine is this machine */
	bool image_layers;                   /* stream each audited image from the engine and
						judge its files too (CIS 4.8 and the other
						image-files rules) and its history */
	struct hd_layers_cache *layers_cache; /* with image_layers: readings kept by image id
						across runs and sessions (audit/layers_cache.h;
						a server's), or NULL: stream every time */
};

/* A message of a run, for the user: a note, or an error that made the run incomplete. */
struct hd_audit_msg {
	bool error;
	char *text;
};

struct hd_audit_result {
	struct hd_findings findings;
	struct hd_checks checks;         /* one verdict per rule and subject, in the order judged */
	struct hd_audit_msg *msgs;       /* in the order they arose */
	size_t n_msgs, alloc_msgs;
	/*
	 * status.failed: the audit is incomplete (the engine could not be used,
	 * or some of its objects could not be read; errors in msgs).  The
	 * counts are left to whoever reports the findings.
	 */
	struct hd_run_status status;
	bool engine_unusable;            /* the engine could not be used at all: nothing of it judged */
	size_t containers, images;       /* how many were judged */
	size_t missing;                  /* objects asked for or listed that the engine no longer has
					    (a re-judged container that is gone) */
	struct hd_daemon_spec daemon;    /* the daemon facts read (with --show-config) */
	struct hd_host_facts host;       /* the host facts read */
	struct hd_engine_facts *engine;  /* the engine facts, or NULL when not read */
	struct hd_report_object *objects;/* the containers and images judged, with their labels */
	size_t n_objects, alloc_objects;
};

void hd_audit_result_init(struct hd_audit_result *res);
void hd_audit_result_release(struct hd_audit_result *res);

struct hd_audit_session;

/* A session for opts (borrowed).  Returns 0 or -HD_ENOMEM. */
int hd_audit_session_new(const struct hd_audit_session_opts *opts, struct hd_audit_session **ret);
void hd_audit_session_free(struct hd_audit_session *s);

/*
 * The whole audit of opts->parts into res (initialised).  Returns 0 when the
 * audit ran (res->status.failed tells whether it is complete), or a negative
 * HD_E* when it could not run at all (the root is not a directory, OOM),
 * with the reason as an error in res->msgs.
 */
int hd_audit_session_run(struct hd_audit_session *s, struct hd_audit_result *res);

/*
 * One container (id, name or id prefix) or one image (reference or id) of
 * the engine judged again, as after an engine event: its verdicts and
 * findings only (no host, daemon or engine-wide checks).  Same returns; a
 * container or image that is gone is an error in res->msgs.
 */
int hd_audit_session_container(struct hd_audit_session *s, const char *id, struct hd_audit_result *res);
int hd_audit_session_image(struct hd_audit_session *s, const char *ref, struct hd_audit_result *res);

#endif
