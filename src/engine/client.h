/*
 * The Docker Engine API client: libcurl over a unix socket or TCP (+TLS),
 * read-only GET requests from the one table in engine/endpoints.def.
 *
 * One curl multi handle holds the connection cache, so sequential requests
 * reuse one keep-alive connection and a batch of requests (hd_engine_run) is
 * spread over at most `parallel` connections.  Every response lands in a
 * bounded hd_buf (HD_MAX_ENGINE_RESPONSE, or the smaller cap of the options)
 * and every request has a timeout.  The API version is negotiated like the
 * docker CLI does: the lower of ours (HD_ENGINE_API_VERSION) and the daemon's
 * (API-Version header of /_ping, else ApiVersion of /version).
 *
 * The client never prints: failures are an HD_E* code plus a message in the
 * request (req->errmsg), worded for the user.
 *
 * Ownership: hd_engine borrows its endpoint, which must outlive it.  A
 * request owns its body and errmsg; release with hd_engine_req_release().
 */
#ifndef HD_ENGINE_CLIENT_H
#define HD_ENGINE_CLIENT_H

#include <stdbool.h>
#include <stddef.h>

#include "core/buf.h"
#include "engine/endpoint.h"

/* The newest API version this client speaks, and the oldest it accepts. */
#define HD_ENGINE_API_VERSION "1.41"
#define HD_ENGINE_API_MIN "1.24"

enum hd_api {
#define HD_API(name, path, versioned, why) HD_API_##name,
#include "engine/endpoints.def"
#undef HD_API
	HD_API_MAX
};

struct hd_api_endpoint {
	const char *name;    /* "CONTAINER_INSPECT" */
	const char *path;    /* "/containers/{}/json" */
	bool versioned;      /* prefixed with /vX.Y */
	const char *purpose;
};
extern const struct hd_api_endpoint hd_api_endpoints[HD_API_MAX];

struct hd_engine_client_opts {
	long connect_timeout_ms; /* 0 = 5000 */
	long timeout_ms;         /* per request; 0 = 30000 */
	unsigned parallel;       /* connections for batches; 0 = 8 */
	size_t max_response;     /* 0 = HD_MAX_ENGINE_RESPONSE */
};

struct hd_engine;

struct hd_engine_req {
	enum hd_api api;
	char *arg;            /* owned copy of the {} argument (id or name), or NULL */
	struct hd_buf body;   /* the response body, bounded */
	struct hd_buf headers;/* response headers, when want_headers */
	bool want_headers;
	long status;          /* HTTP status; 0 when no answer came */
	int err;              /* 0, or -HD_E* (see hd_engine_run) */
	char *errmsg;         /* owned: why it failed, for the user; NULL on success */
	void *user;           /* for the caller */
};

/* Prepares a request; returns 0 or -HD_ENOMEM.  arg is copied. */
int hd_engine_req_init(struct hd_engine_req *q, enum hd_api api, const char *arg);
void hd_engine_req_release(struct hd_engine_req *q);

/*
 * Initialises libcurl once for the process (hd_engine_open() does it too).
 * A program that starts threads before its first client calls it first:
 * libcurl's global set-up must not run beside other threads' work.
 * Returns 0 or -HD_EUNSUPPORTED.
 */
int hd_engine_global_init(void);

/*
 * Creates a client for ep (nothing is connected yet).  Returns 0 or
 * -HD_ENOMEM / -HD_EUNSUPPORTED (libcurl without unix socket or TLS support).
 */
int hd_engine_open(const struct hd_engine_endpoint *ep, const struct hd_engine_client_opts *o,
		   struct hd_engine **ret);
void hd_engine_close(struct hd_engine *e);
const struct hd_engine_endpoint *hd_engine_endpoint(const struct hd_engine *e);

/*
 * Runs n requests, at most `parallel` at a time.  Each request gets its own
 * status, err and errmsg:
 *   -HD_ENOENT    socket missing, or 404 (no such container/image)
 *   -HD_EACCES    permission denied on the socket (root-equivalent access
 *                 needed), or 401/403 (an authorization plugin refused)
 *   -HD_ECONNECT  nothing listens, connection closed or reset
 *   -HD_ETIMEOUT  no answer within the timeout
 *   -HD_ETOOBIG   body beyond the cap
 *   -HD_EPROTO    not HTTP, or another HTTP error status
 * Returns 0 when every request succeeded, else the error of the first that
 * failed (the others still ran).  -HD_ENOMEM is returned as such.
 */
int hd_engine_run(struct hd_engine *e, struct hd_engine_req *reqs, size_t n);

/*
 * Negotiates the API version: GET /_ping (its API-Version header), and
 * /version when the header is missing.  Records the daemon's version and
 * headers (OSType, Docker-Experimental, Swarm).  Returns 0 or the request's
 * error; *errmsg (owned by the caller) says why.  -HD_EUNSUPPORTED when the
 * daemon's API is older than HD_ENGINE_API_MIN.
 */
int hd_engine_negotiate(struct hd_engine *e, char **errmsg);
/* The negotiated version ("1.41"), or HD_ENGINE_API_VERSION before negotiation. */
const char *hd_engine_api_version(const struct hd_engine *e);
/* The daemon's own API version from /_ping or /version ("" if unknown). */
const char *hd_engine_server_api_version(const struct hd_engine *e);

/*
 * Compares API versions "1.41" and "1.24": <0, 0, >0.  Malformed parts count
 * as 0.
 */
int hd_api_version_cmp(const char *a, const char *b);
/*
 * The version to use given ours and the daemon's (may be NULL or ""):
 * min(ours, theirs); theirs missing means HD_ENGINE_API_MIN, as the docker
 * CLI falls back to its oldest.  Writes at most n bytes into out.
 */
void hd_api_version_pick(const char *ours, const char *theirs, char *out, size_t n);

/* The URL a request goes to (for messages and the fake-engine tests); owned by the caller. */
char *hd_engine_url(const struct hd_engine *e, enum hd_api api, const char *arg);

/*
 * Streams the body of one GET to sink as it arrives, for answers too large
 * to hold (an image export).  sink returns 0, or nonzero to abort the
 * transfer.  There is no size cap and no overall timeout: the transfer fails
 * when nothing arrives for the client's timeout.  Error answers (HTTP status
 * not 2xx) are not streamed: their message lands in ret->errmsg.  Returns 0,
 * the errors of hd_engine_run, or -HD_EIO when the sink aborted.  ret is
 * initialised here; the caller releases it.
 */
typedef int hd_engine_sink_fn(void *ctx, const void *p, size_t n);
int hd_engine_stream(struct hd_engine *e, enum hd_api api, const char *arg, hd_engine_sink_fn *sink, void *ctx,
		     struct hd_engine_req *ret);

/*
 * Follows a stream that may stay silent for long (GET /events): as
 * hd_engine_stream, without the idle limit (TCP keep-alive probes find a
 * dead peer instead), and with tick(ctx, status) called about once a second
 * (more often while data flows); status is the HTTP status once the
 * headers came, else 0.  A nonzero tick ends the transfer with
 * -HD_ECANCELED.  Other returns as hd_engine_stream; a stream the engine
 * ends is -HD_ECONNECT or 0.
 */
typedef int hd_engine_tick_fn(void *ctx, long status);
int hd_engine_follow(struct hd_engine *e, enum hd_api api, const char *arg, hd_engine_sink_fn *sink,
		     hd_engine_tick_fn *tick, void *ctx, struct hd_engine_req *ret);

/* Convenience: one request; on success *ret holds the body (caller releases). */
int hd_engine_get(struct hd_engine *e, enum hd_api api, const char *arg, struct hd_engine_req *ret);

#endif
