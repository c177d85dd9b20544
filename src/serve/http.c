/*
 * The HTTP side of `hardock serve` (serve_int.h): libmicrohttpd on the
 * socket serve.c bound, with an epoll thread pool, answering GET and HEAD
 * of /metrics, / and /healthz from the current snapshot and nothing else.
 *
 * A scrape never audits: it takes a reference to the snapshot, writes the
 * families of the run (hardock_up, build_info, engine_up from the event
 * stream's state, the last audit's time) and copies the series rendered
 * when the snapshot was made.  Connections are bounded (count, memory per
 * connection, idle time); with TLS (GnuTLS through libmicrohttpd) and a
 * client CA, a request without a certificate that CA signed gets 403.
 */
#include "core/common.h"
#include "core/confine.h"
#include "core/limits.h"
#include "report/prometheus.h"
#include "serve/serve_int.h"

#include <gnutls/gnutls.h>
#include <gnutls/x509.h>
#include <microhttpd.h>

#define CONN_TIMEOUT_S 30
#define CONN_MEMORY (32u * 1024)
#define PEM_MAX (1u << 20)

struct sv_http {
	struct hd_server *s;
	struct MHD_Daemon *d;
	struct hd_buf cert, key, ca; /* PEM texts, kept for the daemon's life */
	bool client_ca;
};

static void mhd_log(void *ctx, const char *fmt, va_list ap)
{
	struct sv_http *h = ctx;
	char msg[512];

	vsnprintf(msg, sizeof(msg), fmt, ap);
	msg[strcspn(msg, "\n")] = '\0';
	sv_log(h->s, true, "http: %s", msg);
}

static void free_body(void *p)
{
	hd_free(p);
}

static enum MHD_Result reply(struct MHD_Connection *c, unsigned code, const char *type, char *body, size_t len,
			     bool owned)
{
	struct MHD_Response *rsp;
	enum MHD_Result ret;

	if (owned)
		rsp = MHD_create_response_from_buffer_with_free_callback(len, body, free_body);
	else
		rsp = MHD_create_response_from_buffer(len, body, MHD_RESPMEM_PERSISTENT);
	if (!rsp) {
		if (owned)
			hd_free(body);
		return MHD_NO;
	}
	MHD_add_response_header(rsp, MHD_HTTP_HEADER_CONTENT_TYPE, type);
	MHD_add_response_header(rsp, "Cache-Control", "no-store");
	MHD_add_response_header(rsp, "X-Content-Type-Options", "nosniff");
	ret = MHD_queue_response(c, code, rsp);
	MHD_destroy_response(rsp);
	return ret;
}

static enum MHD_Result reply_text(struct MHD_Connection *c, unsigned code, const char *text)
{
	return reply(c, code, "text/plain; charset=utf-8", (char *)text, strlen(text), false);
}

/*
 * The run's families as a scrape sees them now; the databases' ages are
 * counted to this second into dbs (room for sn->n_dbs).
 */
static void run_now(const struct hd_server *s, const struct sv_snap *sn, struct hd_report_run *run,
		    struct hd_report_db *dbs)
{
	int64_t now = (int64_t)time(NULL);
	size_t i;

	for (i = 0; dbs && i < sn->n_dbs; i++) {
		dbs[i].source = sn->dbs[i].source;
		dbs[i].age = now > sn->dbs[i].time ? now - sn->dbs[i].time : 0;
	}
	memset(run, 0, sizeof(*run));
	run->engine_checked = !s->o->audit->parts || (s->o->audit->parts & HD_AUDIT_ENGINE);
	run->engine_up = atomic_load(&s->engine_up) != 0;
	run->has_time = sn->has_audit;
	run->finished = sn->finished;
	run->duration = sn->duration;
	run->dbs = dbs;
	run->n_dbs = dbs ? sn->n_dbs : 0;
}

static enum MHD_Result serve_metrics(struct hd_server *s, struct MHD_Connection *c)
{
	const char *accept = MHD_lookup_connection_value(c, MHD_HEADER_KIND, MHD_HTTP_HEADER_ACCEPT);
	bool om = hd_prom_wants_openmetrics(accept);
	struct sv_snap *sn = sv_snap_get(s);
	struct hd_report_run run;
	struct hd_report_db *dbs;
	const struct hd_buf *series;
	struct hd_buf b;
	const char *tr;
	char *body;
	size_t len;
	int r;

	if (!sn)
		return reply_text(c, MHD_HTTP_SERVICE_UNAVAILABLE, "starting\n");
	atomic_fetch_add(&s->scrapes, 1);
	dbs = sn->n_dbs ? hd_calloc(sn->n_dbs, sizeof(*dbs)) : NULL;
	run_now(s, sn, &run, dbs);
	series = om ? &sn->om : &sn->text;
	tr = hd_prom_trailer(om);
	hd_buf_init(&b, SIZE_MAX / 2);
	r = hd_buf_reserve_exact(&b, 2048 + series->len + strlen(tr));
	if (r >= 0)
		r = hd_prom_write_run(&b, &run, om);
	if (r >= 0)
		r = hd_buf_add(&b, series->buf, series->len);
	if (r >= 0)
		r = hd_buf_addstr(&b, tr);
	hd_free(dbs);
	sv_snap_unref(sn);
	if (r < 0) {
		hd_buf_release(&b);
		return reply_text(c, MHD_HTTP_INTERNAL_SERVER_ERROR, "out of memory\n");
	}
	body = hd_buf_detach(&b, &len);
	return reply(c, MHD_HTTP_OK, om ? HD_PROM_CT_OPENMETRICS : HD_PROM_CT_TEXT, body, len, true);
}

static enum MHD_Result serve_html(struct hd_server *s, struct MHD_Connection *c)
{
	struct sv_snap *sn = sv_snap_get(s);
	const char *html;
	char *copy;
	size_t len = 0;

	if (!sn)
		return reply_text(c, MHD_HTTP_SERVICE_UNAVAILABLE, "starting\n");
	html = sv_snap_html(s, sn, &len);
	copy = html ? hd_malloc(len ? len : 1) : NULL;
	if (copy)
		memcpy(copy, html, len);
	sv_snap_unref(sn);
	if (!copy)
		return reply_text(c, MHD_HTTP_INTERNAL_SERVER_ERROR, "cannot render the report\n");
	return reply(c, MHD_HTTP_OK, "text/html; charset=utf-8", copy, len, true);
}

static enum MHD_Result serve_health(struct hd_server *s, struct MHD_Connection *c)
{
	struct sv_snap *sn = sv_snap_get(s);
	bool ready = sn && sn->has_audit;
	char *body, *vdb;

	sv_snap_unref(sn);
	/* A database that became unreadable: the last results stay, and this says so. */
	pthread_mutex_lock(&s->mu);
	vdb = !s->o->vulns ? NULL :
	      s->vdb_error ? hd_asprintf("vulnerability database: cannot be read (%s); the last results are kept\n",
					 s->vdb_error) :
			     hd_asprintf("vulnerability database: %s\n", s->n_dbs ? "ok" : "not read yet");
	pthread_mutex_unlock(&s->mu);
	body = hd_asprintf("%s\nengine: %s\n%s", ready ? "ok" : "starting: the first audit has not ended",
			   atomic_load(&s->engine_up) ? "up" : "down", vdb ? vdb : "");
	hd_free(vdb);
	if (!body)
		return MHD_NO;
	return reply(c, ready ? MHD_HTTP_OK : MHD_HTTP_SERVICE_UNAVAILABLE, "text/plain; charset=utf-8", body,
		     strlen(body), true);
}

/* With a client CA: the peer's certificate chain verified against it. */
static bool client_trusted(struct MHD_Connection *c)
{
	const union MHD_ConnectionInfo *ci = MHD_get_connection_info(c, MHD_CONNECTION_INFO_GNUTLS_SESSION);
	unsigned status = 0;

	if (!ci || !ci->tls_session)
		return false;
	if (gnutls_certificate_verify_peers2((gnutls_session_t)ci->tls_session, &status) < 0)
		return false;
	return status == 0;
}

static enum MHD_Result on_request(void *ctx, struct MHD_Connection *c, const char *url, const char *method,
				  const char *version, const char *upload, size_t *upload_size, void **state)
{
	struct sv_http *h = ctx;
	static int first, had_body;

	(void)version, (void)upload;
	/*
	 * The first call announces the request: anything but GET and HEAD is
	 * answered at once, before a body is read; a GET body is refused.
	 */
	if (!*state) {
		*state = &first;
		if (strcmp(method, "GET") != 0 && strcmp(method, "HEAD") != 0)
			return reply_text(c, MHD_HTTP_METHOD_NOT_ALLOWED, "only GET and HEAD\n");
		return MHD_YES;
	}
	/* A body is read and dropped (the idle timeout bounds it), then refused. */
	if (*upload_size) {
		*upload_size = 0;
		*state = &had_body;
		return MHD_YES;
	}
	if (*state == &had_body)
		return reply_text(c, MHD_HTTP_CONTENT_TOO_LARGE, "no request body is accepted\n");
	if (h->client_ca && !client_trusted(c))
		return reply_text(c, MHD_HTTP_FORBIDDEN, "a client certificate signed by the configured CA "
				  "is required\n");
	if (strcmp(method, "GET") != 0 && strcmp(method, "HEAD") != 0)
		return reply_text(c, MHD_HTTP_METHOD_NOT_ALLOWED, "only GET and HEAD\n");
	if (!strcmp(url, "/metrics"))
		return serve_metrics(h->s, c);
	if (!strcmp(url, "/"))
		return serve_html(h->s, c);
	if (!strcmp(url, "/healthz"))
		return serve_health(h->s, c);
	return reply_text(c, MHD_HTTP_NOT_FOUND, "not found: try /metrics, / or /healthz\n");
}

static int read_pem(struct hd_server *s, const char *what, const char *path, struct hd_buf *b)
{
	int r;

	hd_buf_init(b, PEM_MAX);
	r = hd_read_regular(path, b);
	if (r < 0) {
		sv_log(s, true, "cannot read the %s '%s': %s", what, path, hd_strerror(r));
		return -HD_EINVAL;
	}
	return 0;
}

void sv_http_stop(struct sv_http *h)
{
	if (!h)
		return;
	if (h->d)
		MHD_stop_daemon(h->d);
	hd_buf_release(&h->cert);
	hd_buf_release(&h->key);
	hd_buf_release(&h->ca);
	hd_free(h);
}

int sv_http_start(struct hd_server *s, int lfd, struct sv_http **ret)
{
	const struct hd_serve_opts *o = s->o;
	struct sv_http *h = hd_calloc(1, sizeof(*h));
	struct MHD_OptionItem opts[16];
	unsigned flags = MHD_USE_INTERNAL_POLLING_THREAD | MHD_USE_EPOLL | MHD_USE_ERROR_LOG;
	size_t n = 0;
	int r = 0;

	if (!h)
		return -HD_ENOMEM;
	h->s = s;
	hd_buf_init(&h->cert, PEM_MAX);
	hd_buf_init(&h->key, PEM_MAX);
	hd_buf_init(&h->ca, PEM_MAX);
	if (o->tls_cert) {
		r = read_pem(s, "certificate", o->tls_cert, &h->cert);
		if (r >= 0)
			r = read_pem(s, "key", o->tls_key, &h->key);
		if (r >= 0 && o->tls_client_ca)
			r = read_pem(s, "client CA", o->tls_client_ca, &h->ca);
		if (r < 0) {
			sv_http_stop(h);
			return r;
		}
		if (!MHD_is_feature_supported(MHD_FEATURE_TLS)) {
			sv_log(s, true, "this libmicrohttpd has no TLS support");
			sv_http_stop(h);
			return -HD_EINVAL;
		}
		flags |= MHD_USE_TLS;
		opts[n++] = (struct MHD_OptionItem){ MHD_OPTION_HTTPS_MEM_CERT, 0, h->cert.buf };
		opts[n++] = (struct MHD_OptionItem){ MHD_OPTION_HTTPS_MEM_KEY, 0, h->key.buf };
		if (o->tls_client_ca) {
			h->client_ca = true;
			opts[n++] = (struct MHD_OptionItem){ MHD_OPTION_HTTPS_MEM_TRUST, 0, h->ca.buf };
		}
	}
	opts[n++] = (struct MHD_OptionItem){ MHD_OPTION_LISTEN_SOCKET, lfd, NULL };
	opts[n++] = (struct MHD_OptionItem){ MHD_OPTION_THREAD_POOL_SIZE, o->threads ? o->threads : 2, NULL };
	opts[n++] = (struct MHD_OptionItem){ MHD_OPTION_CONNECTION_LIMIT, o->max_conns, NULL };
	opts[n++] = (struct MHD_OptionItem){ MHD_OPTION_CONNECTION_TIMEOUT, CONN_TIMEOUT_S, NULL };
	opts[n++] = (struct MHD_OptionItem){ MHD_OPTION_CONNECTION_MEMORY_LIMIT, CONN_MEMORY, NULL };
	opts[n++] = (struct MHD_OptionItem){ MHD_OPTION_END, 0, NULL };
	HD_ASSERT(n <= HD_ARRAY_SIZE(opts));
	h->d = MHD_start_daemon(flags, 0, NULL, NULL, on_request, h, MHD_OPTION_EXTERNAL_LOGGER, mhd_log, h,
				MHD_OPTION_ARRAY, opts, MHD_OPTION_END);
	if (!h->d) {
		sv_log(s, true, "cannot start the HTTP server%s", o->tls_cert ? " (are the certificate and key "
		       "PEM files that belong together?)" : "");
		sv_http_stop(h);
		return -HD_EINVAL;
	}
	*ret = h;
	return 0;
}
