/*
 * `hardock serve`: a Prometheus exporter and report server that follows
 * the engine live.
 *
 * It audits the host, the daemon and the engine through the audit session
 * (session/audit.h) every interval, follows the engine's /events, and when
 * a container is created, started, stopped, updated, renamed or removed, or
 * an image is pulled, tagged, loaded or removed, judges that one object
 * again (within a second) and replaces only its results.  Over HTTP it
 * serves, from the latest results and without ever starting an audit:
 *
 *   /metrics   the Prometheus exposition (report/prometheus.h): text 0.0.4,
 *              or OpenMetrics when the Accept header prefers it
 *   /          the HTML report (report/html.c) of the same results
 *   /healthz   "ok" once the first audit is done (503 before), with the
 *              engine's state
 *
 * Security: it binds where it is told (loopback by default; report what is
 * beyond loopback only with TLS or when the caller says insecure_listen),
 * serves GET and HEAD only, bounds connections and their time, and once
 * bound drops what it does not need (sandbox.h).  When the engine goes away
 * the last results stay, hardock_engine_up says 0, and it reconnects with
 * backoff; a malformed event stream is skipped line by line and answered
 * with a full audit.
 *
 * The library never prints: what is worth saying goes to o->log.
 */
#ifndef HD_SERVE_H
#define HD_SERVE_H

#include <signal.h>
#include <stdbool.h>

#include "session/audit.h"

struct hd_engine_opts;

#define HD_SERVE_DEFAULT_LISTEN "127.0.0.1:9701"

struct hd_serve_opts {
	const char *listen;            /* "ADDR:PORT", "[V6]:PORT", "unix:PATH"; NULL: the default */
	bool insecure_listen;          /* allow beyond loopback without TLS */
	const char *tls_cert, *tls_key;/* PEM files: serve HTTPS */
	const char *tls_client_ca;     /* PEM file: require client certificates it signed */
	long interval_ms;              /* between full audits; 0: 300000 */
	/* The audit (parts are all three); borrowed.  Its engine is the one followed. */
	const struct hd_audit_session_opts *audit;
	bool image_layers;             /* also stream every image through the engine and judge its
					  files and history, as `audit --image-layers` (the same
					  session code), once per image id: later audits judge the
					  kept reading (audit/layers_cache.h) */
	bool vulns;                    /* also match every image's packages against the database
					  in vuln_db (after each full audit; one image after an
					  event about it); its catalogues are cached in
					  vuln_db/images/ (session/vulnscan.h) */
	const char *vuln_db;           /* the database's folder; reopened for every scan */
	bool vuln_ignore_unfixed, vuln_show_minor;
	bool no_sandbox;               /* skip no_new_privs, capability dropping and seccomp */
	unsigned threads;              /* HTTP threads; 0: 2 */
	unsigned max_conns;            /* concurrent connections; 0: as many as descriptors allow,
					  at most 16384 */
	/* Called from any thread with a line for the operator (may be NULL). */
	void (*log)(void *ctx, bool error, const char *msg);
	void *log_ctx;
};

/*
 * Binds, serves and audits until *stop becomes nonzero.  Returns 0 after a
 * clean stop, or a negative HD_E* when it could not start (the reason went
 * to o->log): -HD_EINVAL (a bad address, TLS files, beyond loopback without
 * TLS), -HD_EBUSY (a live server holds the unix socket), -HD_EIO.
 */
int hd_serve(const struct hd_serve_opts *o, volatile sig_atomic_t *stop);

#endif
