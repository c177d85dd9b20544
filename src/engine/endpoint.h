/*
 * Which Docker engine to talk to, chosen the way the docker CLI chooses it.
 *
 * Order (docker/cli resolveContextName and the default context):
 *   1. --host/-H (conflicts with --context);
 *   2. --context NAME;
 *   3. DOCKER_HOST (wins over DOCKER_CONTEXT, as in the docker CLI);
 *   4. DOCKER_CONTEXT;
 *   5. "currentContext" in <config dir>/config.json;
 *   6. the default: unix:///var/run/docker.sock.
 * The config dir is --docker-config, else DOCKER_CONFIG, else ~/.docker.  A
 * named context is read from <config dir>/contexts/meta/<sha256(name)>/meta.json
 * and its TLS material from <config dir>/contexts/tls/<sha256(name)>/docker/.
 * For the default context, TLS is on with --tls, --tlsverify or a non-empty
 * DOCKER_TLS_VERIFY; the files are ca.pem, cert.pem and key.pem in
 * DOCKER_CERT_PATH, else the config dir, unless --tlscacert/--tlscert/--tlskey
 * name them.
 *
 * Ownership: an hd_engine_endpoint owns its strings; release with
 * hd_engine_endpoint_release().  The options only borrow.
 */
#ifndef HD_ENGINE_ENDPOINT_H
#define HD_ENGINE_ENDPOINT_H

#include <stdbool.h>

#include "core/err.h"

/* Looks up an environment variable; NULL when unset.  NULL fn means getenv(). */
typedef const char *hd_getenv_fn(const char *name, void *ctx);

/* The connection options of the command line; NULL/-1 when not given. */
struct hd_engine_opts {
	const char *host;        /* --host/-H: "unix:///path", "tcp://host:port" */
	const char *context;     /* --context */
	const char *config_dir;  /* --docker-config: the docker CLI's config dir */
	int tls;                 /* --tls: -1 not given, 0 or 1 */
	int tlsverify;           /* --tlsverify[=bool]: -1 not given */
	const char *tlscacert;   /* --tlscacert FILE */
	const char *tlscert;     /* --tlscert FILE */
	const char *tlskey;      /* --tlskey FILE */
	hd_getenv_fn *getenv;    /* for tests; NULL = the process environment */
	void *getenv_ctx;
};

void hd_engine_opts_init(struct hd_engine_opts *o);

enum hd_engine_transport {
	HD_TRANSPORT_UNIX,
	HD_TRANSPORT_TCP,
};

struct hd_engine_endpoint {
	char *host;              /* normalised: "unix:///var/run/docker.sock", "tcp://h:2376" */
	enum hd_engine_transport transport;
	char *socket_path;       /* unix socket path, or NULL */
	char *base_url;          /* "http://localhost", "https://h:2376", "http://h:2375/prefix" */
	char *hostname;          /* tcp host name or address (without brackets), or NULL */
	bool tls;                /* https */
	bool tls_verify;         /* verify the server against ca */
	char *ca, *cert, *key;   /* files, or NULL */
	char *context;           /* context name used, NULL for the default context */
	char *source;            /* how it was chosen: "--host", "DOCKER_HOST", "context 'x'", "default" */
	bool local;              /* unix socket or loopback TCP: this machine (see hd_engine_facts.same_host) */
};

/*
 * Resolves the endpoint from options, environment and the context store.
 * Returns 0, -HD_EINVAL (conflicting or malformed options, unknown context,
 * unsupported scheme such as ssh://), -HD_EPARSE (unreadable meta.json or
 * config.json) or -HD_ENOMEM; on error *reterr_diag says what and where.
 */
int hd_engine_endpoint_resolve(const struct hd_engine_opts *o, struct hd_engine_endpoint *ret,
			       struct hd_diag *reterr_diag);
void hd_engine_endpoint_release(struct hd_engine_endpoint *ep);

/*
 * Parses a host string ("unix:///p", "tcp://h[:port][/path]", "http://",
 * "https://") into ep's transport fields; tls decides the default TCP port
 * (2376 with TLS, 2375 without).  Returns 0, -HD_EINVAL or -HD_ENOMEM.
 */
int hd_engine_parse_host(const char *host, bool tls, struct hd_engine_endpoint *ep);

#endif
