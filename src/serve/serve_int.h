/*
 * Internal to `hardock serve` (serve.h): the server's state and what its
 * parts share.
 *
 * Threads.  The main thread runs full audits on schedule (serve.c); the
 * event thread follows the engine's /events (events.c) and queues what
 * changed; the re-judge thread judges those objects again (serve.c); the
 * HTTP threads (libmicrohttpd, http.c) answer from the current snapshot.
 *
 * Results.  The store holds the results object by object: one object for
 * the host, the daemon and what is engine-wide, one per container and per
 * image.  An object is immutable once made and reference-counted; a change
 * replaces it.  After every change a snapshot is published: the objects at
 * that moment and their exposition, rendered once; the HTML report of a
 * snapshot is rendered when first asked for.  A scrape only takes a
 * reference to the current snapshot and writes it out.
 *
 * Ordering.  An event's re-judgement is newer than any full audit that
 * began before it: when a full audit ends, objects touched by events after
 * it began (re-judged or removed) keep what the events said.
 *
 * Locks: mu guards the store, the queue and the flags; snap_mu guards the
 * snapshot pointer only (held for a reference count); a snapshot's html_mu
 * its HTML.  mu may be held while taking snap_mu, never the reverse.
 */
#ifndef HD_SERVE_INT_H
#define HD_SERVE_INT_H

#include <pthread.h>
#include <stdatomic.h>
#include <stdint.h>

#include "core/buf.h"
#include "core/finding.h"
#include "core/listen.h"
#include "core/severity.h"
#include "engine/endpoint.h"
#include "serve/serve.h"

/* One judged object and its results (immutable once published). */
struct sv_obj {
	atomic_uint refs;
	enum hd_target kind;              /* CONTAINER, IMAGE, or HOST for the rest */
	struct hd_report_object *label;   /* containers and images: their labels; else NULL */
	size_t n_label, alloc_label;
	struct hd_findings findings;
	struct hd_checks checks;
	int64_t touched_ms;               /* when an event judged or removed it; 0: a full audit */
	bool gone;                        /* removed by an event: a tombstone until the next audit */
};

/*
 * What the vulnerability scan (--vulns) found in one image id: immutable
 * once made, reference-counted.  Replaced when the image is scanned again
 * (every full audit, and after an event about it).
 */
struct sv_vulns {
	atomic_uint refs;
	char *id;                         /* the engine's image id */
	struct hd_findings findings;      /* image/vulnerable-package */
	size_t counts[HD_SEV_MAX][2];     /* [severity][fixable] */
	bool failed;                      /* could not be catalogued: no counts */
	uint64_t gen;                     /* the last scan cycle that saw the image (under mu: the
					     one field that changes) */
};

/* A source of the vulnerability database and the time of its data. */
struct sv_db {
	char *source;
	int64_t time;                     /* unix seconds: feed time, else import time */
};

/* What a scrape serves: the results at one moment. */
struct sv_snap {
	atomic_uint refs;
	struct sv_obj **objs;             /* references held */
	struct sv_vulns **vulns;          /* parallel to objs: an image's vulnerabilities, or NULL */
	size_t n_objs;
	struct hd_buf text, om;           /* the series, in each format */
	size_t n_series;
	bool has_audit;                   /* a full audit has ended */
	double finished, duration;        /* of the last full audit */
	int64_t made_at;                  /* unix seconds */
	struct sv_db *dbs;                /* --vulns: the database's sources (owned), or NULL */
	size_t n_dbs;
	pthread_mutex_t html_mu;
	char *html;                       /* rendered on first use */
	size_t html_len;
	bool html_tried;
};

/* An engine event worth a re-judgement. */
struct sv_event {
	enum hd_target kind;              /* CONTAINER or IMAGE */
	bool gone;                        /* destroyed / deleted */
	char id[256];                     /* container id, image id or reference */
};

struct hd_server {
	const struct hd_serve_opts *o;
	volatile sig_atomic_t *stop;
	struct hd_engine_endpoint ep;     /* the engine followed */
	bool ep_ok;

	pthread_mutex_t mu;
	pthread_cond_t cv_events;         /* the queue got something, or stop */
	pthread_cond_t cv_audit;          /* a full audit is wanted now, or stop */
	struct sv_obj *base;              /* host, daemon, engine-wide */
	struct sv_obj **objs;             /* containers, images, tombstones */
	size_t n_objs, alloc_objs;
	struct sv_event *queue;
	size_t n_queue, alloc_queue;
	/* --vulns (the vulnerability thread, serve_vulns.c) */
	pthread_cond_t cv_vulns;          /* a scan is wanted, or stop */
	struct sv_vulns **vulns;          /* per image id */
	size_t n_vulns, alloc_vulns;
	struct sv_event *vqueue;          /* images to scan again after events */
	size_t n_vqueue, alloc_vqueue;
	bool vcycle;                      /* a whole scan is wanted (a full audit ended) */
	uint64_t vgen;                    /* the current scan cycle */
	struct sv_db *dbs;                /* the database's sources at the last scan */
	size_t n_dbs;
	char *vdb_error;                  /* why the database could not be read at the last scan, or NULL */
	bool audit_wanted;
	bool has_audit;
	double finished, duration;

	pthread_mutex_t snap_mu;
	struct sv_snap *snap;

	atomic_int engine_up;             /* the event stream is connected */
	atomic_bool engine_known;         /* the event stream was tried */
	atomic_uint scrapes;
};

/* ---- serve.c ---- */
void sv_log(struct hd_server *s, bool error, const char *fmt, ...) __attribute__((format(printf, 3, 4)));
int64_t sv_now_ms(void);
/* Waits on cv for at most ms, or until *stop; returns with mu held. */
void sv_wait(struct hd_server *s, pthread_cond_t *cv, int64_t ms);
/* Queues an event (from the event thread); drops it when the queue is full. */
void sv_queue_event(struct hd_server *s, const struct sv_event *ev);
/* Asks for a full audit as soon as possible (reconnection, a lost event). */
void sv_want_audit(struct hd_server *s);
/* The current snapshot, referenced (release with sv_snap_unref), or NULL before the first. */
struct sv_snap *sv_snap_get(struct hd_server *s);
void sv_snap_unref(struct sv_snap *sn);
/* The snapshot's HTML report (rendered once); NULL on failure. */
const char *sv_snap_html(struct hd_server *s, struct sv_snap *sn, size_t *len);

/* ---- serve.c, for serve_vulns.c ---- */
/* Publishes a snapshot of the store (mu held). */
int sv_publish(struct hd_server *s);

/* ---- serve_vulns.c ---- */
/* The vulnerability thread: a whole scan after each full audit, one image after an event. */
void *sv_vulns_main(void *arg);
/* Queues an image to scan again (mu held); a full queue asks for a whole scan. */
void sv_vulns_queue(struct hd_server *s, const struct sv_event *ev);
void sv_vulns_unref(struct sv_vulns *v);
/* The entry of an image id, or NULL (mu held). */
struct sv_vulns *sv_vulns_find(const struct hd_server *s, const char *id);
void sv_dbs_free(struct sv_db *v, size_t n);
/* Copies the database sources (mu held); 0 or -HD_ENOMEM. */
int sv_dbs_copy(const struct sv_db *v, size_t n, struct sv_db **ret);

/* ---- events.c ---- */
/* The event thread: follows /events until *stop, reconnecting with backoff. */
void *sv_events_main(void *arg);
/*
 * Feeds bytes of the event stream to the line reader; complete lines are
 * judged by sv_event_parse.  Exposed for the tests.
 */
struct sv_lines {
	struct hd_buf line;               /* the line being read */
	bool skipping;                    /* the current line went over the cap: skip to its end */
	size_t malformed;                 /* lines that were not events, this connection */
	size_t events;                    /* events read, this connection */
};
/*
 * Parses one line of the stream into ev.  Returns 1 for an event worth a
 * re-judgement, 0 for an event of no interest, -HD_EPROTO for a line that
 * is not an event, -HD_ENOMEM.
 */
int sv_event_parse(const char *line, size_t len, struct sv_event *ev);

/* ---- http.c ---- */
struct sv_http;
int sv_http_start(struct hd_server *s, int lfd, struct sv_http **ret);
void sv_http_stop(struct sv_http *h);

#endif
