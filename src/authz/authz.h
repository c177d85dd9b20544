/*
 * The Docker authorization plugin: a router that classifies every request
 * the way dockerd routes it, a policy that judges the requests able to
 * create or raise privilege through the same specs and catalogue rules as
 * lint and audit, and a server that answers dockerd over a unix socket.
 *
 * Decision order (hd_authz_decide):
 *   1. The AuthZReq document is read; anything unreadable denies.
 *   2. The request URI is routed as dockerd's router does (percent-decoding,
 *      optional /vX.Y prefix, query stripped, routes tried in dockerd's
 *      registration order, endpoints.def).  A request matching no route is
 *      denied: dockerd never asks about those.
 *   3. The route's category decides: READ and ORDINARY endpoints are
 *      allowed; PLUGIN_CREATE, SWARM_JOIN and UNROUTED are denied unless
 *      the policy (or an exception for the requesting user) allows the
 *      category; every other category is judged from its body and query.
 *   4. A judged request becomes a container spec (a create body, a start
 *      HostConfig, a service's task template, a volume, a plugin's
 *      privileges, an exec, a pull) and the catalogue's container rules run
 *      on it under the policy's configuration.  A request that names a
 *      local image (tag, commit, import, build, load) is judged by the
 *      same rules in reverse when the policy restricts images: a name
 *      under which a container would be allowed to run is refused, since
 *      the content behind it did not come from where the name says.  A finding denies when its
 *      severity is at or above deny_at or its rule is one the policy
 *      enforces (deny_rules), unless an exception of the requesting user
 *      names the rule.  For a request that sets only some settings (update,
 *      volume, pull, plugin privileges) only findings at the settings it
 *      sets count.
 * Fail closed: every error, including memory exhaustion, is a deny.
 *
 * Ownership: the policy owns its strings (hd_authz_policy_release()); a
 * decision owns its strings (hd_authz_decision_release()).
 */
#ifndef HD_AUTHZ_H
#define HD_AUTHZ_H

#include <signal.h>
#include <stdbool.h>
#include <stddef.h>

#include "core/buf.h"
#include "core/config.h"
#include "core/severity.h"

/* What a category does by default. */
enum hd_authz_action {
	HD_AUTHZ_ALLOW, /* read-only or ordinary work */
	HD_AUTHZ_JUDGE, /* the body or query is judged */
	HD_AUTHZ_DENY,  /* cannot be judged and can raise privilege; the policy may allow it */
};

/* X(enum suffix, name in policies and logs, default action). */
#define HD_AUTHZ_CATEGORIES(X)                                \
	X(READ, "read", HD_AUTHZ_ALLOW)                       \
	X(ORDINARY, "ordinary", HD_AUTHZ_ALLOW)               \
	X(CONTAINER_CREATE, "container-create", HD_AUTHZ_JUDGE) \
	X(CONTAINER_START, "container-start", HD_AUTHZ_JUDGE) \
	X(CONTAINER_UPDATE, "container-update", HD_AUTHZ_JUDGE) \
	X(EXEC_CREATE, "exec-create", HD_AUTHZ_JUDGE)         \
	X(SERVICE_CREATE, "service-create", HD_AUTHZ_JUDGE)   \
	X(SERVICE_UPDATE, "service-update", HD_AUTHZ_JUDGE)   \
	X(VOLUME_CREATE, "volume-create", HD_AUTHZ_JUDGE)     \
	X(PLUGIN_PULL, "plugin-pull", HD_AUTHZ_JUDGE)         \
	X(PLUGIN_UPGRADE, "plugin-upgrade", HD_AUTHZ_JUDGE)   \
	X(PLUGIN_SET, "plugin-set", HD_AUTHZ_JUDGE)           \
	X(IMAGE_CREATE, "image-create", HD_AUTHZ_JUDGE)       \
	X(BUILD, "build", HD_AUTHZ_JUDGE)                     \
	X(IMAGE_NAME, "image-name", HD_AUTHZ_JUDGE)           \
	X(PLUGIN_CREATE, "plugin-create", HD_AUTHZ_DENY)      \
	X(SWARM_JOIN, "swarm-join", HD_AUTHZ_DENY)            \
	X(UNROUTED, "unrouted", HD_AUTHZ_DENY)

enum hd_authz_category {
#define HD_AUTHZ_X(e, name, act) HD_AUTHZ_##e,
	HD_AUTHZ_CATEGORIES(HD_AUTHZ_X)
#undef HD_AUTHZ_X
	HD_AUTHZ_CATEGORY_MAX
};

const char *hd_authz_category_name(enum hd_authz_category c);
enum hd_authz_action hd_authz_category_action(enum hd_authz_category c);
/* The category named `name` ("plugin-create"), or -1. */
int hd_authz_category_from_name(const char *name);

/* ---- routing ------------------------------------------------------------------ */

/*
 * A routed request.  path is the percent-decoded path, query the raw query
 * string after the first '?' ("" when none), version the /vX.Y prefix's X.Y
 * ("" when the request had none: the daemon's default version applies), var
 * the first path variable of the route (container, image, plugin or
 * service name), NULL when the route has none.  All owned.
 */
struct hd_authz_route {
	enum hd_authz_category cat;
	const char *pattern; /* the matched route's pattern (static), NULL when unrouted */
	char *path;
	char *query;
	char *version;
	char *var;
};

/*
 * Routes (method, uri) as dockerd would: uri is the RequestUri as the daemon
 * received it (origin form "/v1.41/containers/create?name=x", or absolute
 * form "http://host/..."), method is case-sensitive.  A URI dockerd would
 * refuse or redirect, or that matches no route, gives UNROUTED with *why
 * saying which (when why is not NULL).  Returns 0, or -HD_ENOMEM.
 */
int hd_authz_route(const char *method, const char *uri, struct hd_authz_route *ret, const char **why);
void hd_authz_route_release(struct hd_authz_route *r);

/*
 * docker's API version comparison (api/types/versions): dot-separated
 * numbers compared one by one, a missing or non-numeric part counting as 0.
 * Returns -1, 0 or 1.
 */
int hd_authz_version_cmp(const char *a, const char *b);

/*
 * The first value of `key` in a raw query string as Go's url.ParseQuery
 * reads it ('&'-separated, '+' is a space, percent-decoding).  *ret is an
 * owned string or NULL when the key is absent.  A query Go refuses (a ';',
 * a bad escape) is -HD_EINVAL: dockerd fails such a request when its handler
 * parses the form.  0, -HD_EINVAL or -HD_ENOMEM.
 */
int hd_authz_query_get(const char *query, const char *key, char **ret);
/* The same for the nth value (from 0) of a repeated key ("t=a&t=b"). */
int hd_authz_query_get_nth(const char *query, const char *key, unsigned nth, char **ret);

/* ---- the policy --------------------------------------------------------------- */

/* Per requesting user: what does not deny for them. */
struct hd_authz_exception {
	char *user;              /* the AuthZReq User it applies to; "" for unauthenticated requests */
	struct hd_strlist rules; /* rule ids whose findings do not deny; "*" for every rule */
	unsigned allow;          /* bit (1u << category): categories allowed although denied by default */
};

struct hd_authz_policy {
	/*
	 * Disabled rules, severity overrides, trusted registries, allowed
	 * images and mount prefixes, and the engine sockets of the protected
	 * daemon (cfg.engine_sockets), as the rules read them.  Prepared
	 * (hd_config_prepare) before the first decision.
	 */
	struct hd_config cfg;
	enum hd_severity deny_at;     /* lowest severity that denies; HD_SEV_NONE: only deny_rules */
	struct hd_strlist deny_rules; /* rule ids that deny whatever their severity */
	unsigned allow;               /* bit (1u << category): denied-by-default categories allowed */
	struct hd_authz_exception *exceptions;
	size_t n_exceptions, alloc_exceptions;
	bool no_host_facts;           /* do not stat bind sources (dry runs on another host, tests) */
	char *loaded_from;            /* the policy file read, or NULL */
};

/* Defaults: deny at high, nothing enforced beyond that, host facts read. */
void hd_authz_policy_init(struct hd_authz_policy *p);
void hd_authz_policy_release(struct hd_authz_policy *p);

/*
 * Reads a policy file (YAML).  The file must be a regular file owned by root
 * and writable by nobody else (as doas requires of doas.conf); anything
 * else is refused before it is read.  Settings (every one optional):
 *   deny-at: high                      lowest severity that denies (or none)
 *   ignored: [rule ids]                rules that never run
 *   severity-overrides: {id: sev}      re-graded rules
 *   deny-rules: [rule ids]             rules that deny whatever their severity
 *   trusted-registries: [registries]   images only from these (enforced)
 *   require-digest: true               images pinned by digest (enforced)
 *   allowed-images: [refs or prefix*]  only these images (enforced)
 *   allowed-mount-prefixes: [paths]    bind mounts only under these (enforced)
 *   engine-sockets: [paths]            more sockets of the protected daemon
 *   allow: [categories]                plugin-create, swarm-join, unrouted
 *   exceptions: [{user: NAME, rules: [ids or "*"], allow: [categories]}]
 * Unknown keys and wrong types are errors naming file, line and column in
 * diag.  0, -HD_EACCES (ownership or mode), -HD_EINVAL/-HD_EPROTO (content),
 * -HD_ENOENT, -HD_EIO or -HD_ENOMEM.
 */
int hd_authz_policy_load(struct hd_authz_policy *p, const char *path, struct hd_diag *diag);

/*
 * Adds the unix sockets the protected daemon listens on, read from its
 * configuration as the audit reads it (command line of the running dockerd
 * or its unit, daemon.json; fd:// through docker.socket) under `root` (NULL
 * for this host), to p->cfg.engine_sockets.  0 or -HD_ENOMEM.
 */
int hd_authz_policy_add_daemon_sockets(struct hd_authz_policy *p, const char *root);

/* Prepares the policy for deciding (after the last change); 0 or -HD_ENOMEM. */
int hd_authz_policy_prepare(struct hd_authz_policy *p);

/* ---- decisions ---------------------------------------------------------------- */

struct hd_authz_decision {
	bool allow;
	enum hd_authz_category category;
	char *msg;      /* for the daemon's user: why it was denied; "" when allowed */
	char *rule_ids; /* "container/privileged,container/docker-socket-mount" or "" */
	char *method;   /* the request's method, URI and User ("?" when unknown) */
	char *uri;
	char *user;
};

void hd_authz_decision_release(struct hd_authz_decision *d);

/*
 * Decides one AuthZReq (req_json[0..len)) under policy p (prepared).
 * Always fills *out (a deny on any error) when it returns 0; returns
 * -HD_ENOMEM only when not even the deny could be built (the caller must
 * then deny too).
 */
int hd_authz_decide(const struct hd_authz_policy *p, const char *req_json, size_t len,
		    struct hd_authz_decision *out);

/*
 * Appends the decision's log record to out: one JSON object on one line
 * ending in '\n' with time (RFC 3339, UTC, from `now`), user, method, uri,
 * endpoint (the category), decision ("allow"/"deny"), rules (array of ids)
 * and, for a deny, reason.  0, -HD_ETOOBIG or -HD_ENOMEM.
 */
int hd_authz_log_line(const struct hd_authz_decision *d, long long now, struct hd_buf *out);

/* Decodes standard base64 (padding optional, no whitespace); 0 or -HD_EINVAL/-HD_ENOMEM. */
int hd_base64_decode(const char *s, size_t n, char **ret, size_t *ret_len);

/* ---- the server --------------------------------------------------------------- */

struct hd_authz_serve_opts {
	const char *socket;  /* unix socket path to listen on (mode 0660) */
	unsigned workers;    /* decision threads; 0: one per CPU, at least 2, at most 16 */
	unsigned max_conns;  /* concurrent connections; 0: 16384 */
	int log_fd;          /* decision log (one JSON line per decision); -1: none */
	unsigned request_ms; /* a request must arrive whole this long after its first byte; 0: 10 s */
	unsigned idle_ms;    /* an idle kept-alive connection is closed after this; 0: 120 s */
	size_t max_held_bytes; /* request bodies held at once (read or waiting for a decision);
				  beyond, requests are denied as busy; 0: 256 MiB */
	bool no_sandbox;     /* skip no_new_privs, capability dropping and seccomp */
	/* Called once the socket is bound and listening (may be NULL). */
	void (*on_listening)(void *ctx, const char *path);
	void *ctx;
};

/*
 * Serves the plugin protocol (/Plugin.Activate, /AuthZPlugin.AuthZReq,
 * /AuthZPlugin.AuthZRes) on o->socket until *stop becomes nonzero.
 *
 * Refuses (-HD_EEXIST) when a live server answers on the path; a stale
 * socket is replaced.  After binding, the serving process is a child that
 * drops what it does not need (no_new_privs, every capability but
 * CAP_DAC_READ_SEARCH, a seccomp filter without file writes, exec or
 * fork); the parent only waits for it, restarts it if it dies, and removes
 * the socket at the end.  Returns 0, or a negative HD_E* (bind, listen,
 * sandbox errors, a child that keeps dying).
 */
int hd_authz_serve(const struct hd_authz_policy *p, const struct hd_authz_serve_opts *o,
		   volatile sig_atomic_t *stop);

#endif
