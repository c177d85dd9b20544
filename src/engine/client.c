/*
 * The Engine API client over libcurl (see client.h): a pool of easy handles
 * driven by one multi handle, whose connection cache keeps the keep-alive
 * connections to the daemon between requests and batches.
 */
#include "core/common.h"
#include "engine/client.h"

#include <curl/curl.h>
#include <jansson.h>
#include <pthread.h>

#ifndef HD_VERSION
#define HD_VERSION "0"
#endif

#define HEADERS_MAX (64u * 1024)

const struct hd_api_endpoint hd_api_endpoints[HD_API_MAX] = {
#define HD_API(name, path, versioned, why) [HD_API_##name] = { #name, path, versioned, why },
#include "engine/endpoints.def"
#undef HD_API
};

struct hd_engine {
	const struct hd_engine_endpoint *ep;
	struct hd_engine_client_opts o;
	CURLM *multi;
	CURL **idle;          /* easy handles ready for reuse */
	size_t n_idle, alloc_idle;
	struct curl_slist *hdrs;
	char api[16];         /* negotiated; "" before negotiation (unversioned paths) */
	char server_api[32];  /* the daemon's own */
};

/* One transfer in flight. */
struct xfer {
	struct hd_engine_req *q;
	CURL *h;
	bool too_big;
	char errbuf[CURL_ERROR_SIZE];
};

static pthread_once_t curl_once = PTHREAD_ONCE_INIT;
static CURLcode curl_init_rc = CURLE_FAILED_INIT;

static void curl_init(void)
{
	curl_init_rc = curl_global_init(CURL_GLOBAL_DEFAULT);
}

int hd_engine_global_init(void)
{
	pthread_once(&curl_once, curl_init);
	return curl_init_rc == CURLE_OK ? 0 : -HD_EUNSUPPORTED;
}

int hd_engine_req_init(struct hd_engine_req *q, enum hd_api api, const char *arg)
{
	memset(q, 0, sizeof(*q));
	q->api = api;
	hd_buf_init(&q->body, HD_MAX_ENGINE_RESPONSE);
	hd_buf_init(&q->headers, HEADERS_MAX);
	if (arg) {
		q->arg = hd_strdup(arg);
		if (!q->arg)
			return -HD_ENOMEM;
	}
	return 0;
}

void hd_engine_req_release(struct hd_engine_req *q)
{
	if (!q)
		return;
	hd_free(q->arg);
	hd_free(q->errmsg);
	hd_buf_release(&q->body);
	hd_buf_release(&q->headers);
	q->arg = q->errmsg = NULL;
}

int hd_api_version_cmp(const char *a, const char *b)
{
	for (;;) {
		unsigned long x = 0, y = 0;

		while (*a >= '0' && *a <= '9' && x < 100000)
			x = x * 10 + (unsigned long)(*a++ - '0');
		while (*b >= '0' && *b <= '9' && y < 100000)
			y = y * 10 + (unsigned long)(*b++ - '0');
		if (x != y)
			return x < y ? -1 : 1;
		if (*a == '.')
			a++;
		else
			a = "";
		if (*b == '.')
			b++;
		else
			b = "";
		if (!*a && !*b)
			return 0;
	}
}

void hd_api_version_pick(const char *ours, const char *theirs, char *out, size_t n)
{
	const char *v = theirs && *theirs ? theirs : HD_ENGINE_API_MIN;

	if (hd_api_version_cmp(v, ours) > 0)
		v = ours;
	snprintf(out, n, "%s", v);
}

int hd_engine_open(const struct hd_engine_endpoint *ep, const struct hd_engine_client_opts *o,
		   struct hd_engine **ret)
{
	struct hd_engine *e;
	curl_version_info_data *vi;
	char *ua;

	if (hd_engine_global_init() < 0)
		return -HD_EUNSUPPORTED;
	vi = curl_version_info(CURLVERSION_NOW);
	if (ep->transport == HD_TRANSPORT_UNIX && !(vi->features & CURL_VERSION_UNIX_SOCKETS))
		return -HD_EUNSUPPORTED;
	if (ep->tls && !(vi->features & CURL_VERSION_SSL))
		return -HD_EUNSUPPORTED;
	e = hd_calloc(1, sizeof(*e));
	if (!e)
		return -HD_ENOMEM;
	e->ep = ep;
	if (o)
		e->o = *o;
	if (e->o.connect_timeout_ms <= 0)
		e->o.connect_timeout_ms = 5000;
	if (e->o.timeout_ms <= 0)
		e->o.timeout_ms = 30000;
	if (e->o.parallel == 0)
		e->o.parallel = 8;
	if (e->o.parallel > 64)
		e->o.parallel = 64;
	if (e->o.max_response == 0 || e->o.max_response > HD_MAX_ENGINE_RESPONSE)
		e->o.max_response = HD_MAX_ENGINE_RESPONSE;
	e->multi = curl_multi_init();
	ua = hd_asprintf("User-Agent: hardock/%s", HD_VERSION);
	if (ua) {
		struct curl_slist *h = curl_slist_append(NULL, ua);

		e->hdrs = h ? curl_slist_append(h, "Accept: application/json") : NULL;
		if (!e->hdrs)
			curl_slist_free_all(h);
		hd_free(ua);
	}
	if (!e->multi || !e->hdrs) {
		hd_engine_close(e);
		return -HD_ENOMEM;
	}
	curl_multi_setopt(e->multi, CURLMOPT_MAX_TOTAL_CONNECTIONS, (long)e->o.parallel);
	curl_multi_setopt(e->multi, CURLMOPT_MAXCONNECTS, (long)e->o.parallel);
	*ret = e;
	return 0;
}

void hd_engine_close(struct hd_engine *e)
{
	size_t i;

	if (!e)
		return;
	for (i = 0; i < e->n_idle; i++)
		curl_easy_cleanup(e->idle[i]);
	hd_free(e->idle);
	if (e->multi)
		curl_multi_cleanup(e->multi);
	curl_slist_free_all(e->hdrs);
	hd_free(e);
}

const struct hd_engine_endpoint *hd_engine_endpoint(const struct hd_engine *e)
{
	return e->ep;
}

const char *hd_engine_api_version(const struct hd_engine *e)
{
	return e->api[0] ? e->api : HD_ENGINE_API_VERSION;
}

const char *hd_engine_server_api_version(const struct hd_engine *e)
{
	return e->server_api;
}

/* Percent-encodes what is not safe in a path segment; '/' stays (image names). */
static int add_escaped(struct hd_buf *b, const char *s)
{
	static const char hex[] = "0123456789ABCDEF";
	int r = 0;

	for (; *s && r >= 0; s++) {
		unsigned char c = (unsigned char)*s;

		if (isalnum(c) || strchr("-._~:@/", c))
			r = hd_buf_addch(b, (char)c);
		else {
			char esc[3] = { '%', hex[c >> 4], hex[c & 15] };

			r = hd_buf_add(b, esc, 3);
		}
	}
	return r;
}

char *hd_engine_url(const struct hd_engine *e, enum hd_api api, const char *arg)
{
	const struct hd_api_endpoint *a = &hd_api_endpoints[api];
	struct hd_buf b = HD_BUF_INIT(64 * 1024);
	const char *hole = strstr(a->path, "{}");
	int r;

	r = hd_buf_addstr(&b, e->ep->base_url);
	if (r >= 0 && a->versioned && e->api[0])
		r = hd_buf_addf(&b, "/v%s", e->api);
	if (r >= 0 && hole) {
		r = hd_buf_add(&b, a->path, (size_t)(hole - a->path));
		if (r >= 0)
			r = add_escaped(&b, arg ? arg : "");
		if (r >= 0)
			r = hd_buf_addstr(&b, hole + 2);
	} else if (r >= 0)
		r = hd_buf_addstr(&b, a->path);
	if (r < 0) {
		hd_buf_release(&b);
		return NULL;
	}
	return hd_buf_detach(&b, NULL);
}

static size_t on_body(char *p, size_t sz, size_t n, void *ctx)
{
	struct xfer *x = ctx;
	size_t len = sz * n;

	if (x->q->body.len + len > x->q->body.max || hd_buf_add(&x->q->body, p, len) < 0) {
		x->too_big = x->q->body.len + len > x->q->body.max;
		return 0;
	}
	return len;
}

static size_t on_header(char *p, size_t sz, size_t n, void *ctx)
{
	struct xfer *x = ctx;
	size_t len = sz * n;

	/* A new status line (after 100 Continue) starts the headers afresh. */
	if (len > 5 && memcmp(p, "HTTP/", 5) == 0)
		hd_buf_reset(&x->q->headers);
	if (hd_buf_add(&x->q->headers, p, len) < 0)
		return 0;
	return len;
}

static CURL *new_handle(struct hd_engine *e)
{
	const struct hd_engine_endpoint *ep = e->ep;
	CURL *h = curl_easy_init();
	CURLcode c = CURLE_OK;

	if (!h)
		return NULL;
#define SET(opt, val) do { if (c == CURLE_OK) c = curl_easy_setopt(h, opt, val); } while (0)
	SET(CURLOPT_NOSIGNAL, 1L);
	SET(CURLOPT_HTTPHEADER, e->hdrs);
	SET(CURLOPT_CONNECTTIMEOUT_MS, e->o.connect_timeout_ms);
	SET(CURLOPT_TIMEOUT_MS, e->o.timeout_ms);
	SET(CURLOPT_HTTP_VERSION, (long)CURL_HTTP_VERSION_1_1);
	SET(CURLOPT_PROTOCOLS_STR, "http,https");
	SET(CURLOPT_FOLLOWLOCATION, 0L);
	SET(CURLOPT_MAXFILESIZE_LARGE, (curl_off_t)e->o.max_response);
	SET(CURLOPT_WRITEFUNCTION, on_body);
	if (ep->transport == HD_TRANSPORT_UNIX)
		SET(CURLOPT_UNIX_SOCKET_PATH, ep->socket_path);
	else
		SET(CURLOPT_TCP_KEEPALIVE, 1L);
	if (ep->tls) {
		SET(CURLOPT_SSL_VERIFYPEER, ep->tls_verify ? 1L : 0L);
		SET(CURLOPT_SSL_VERIFYHOST, ep->tls_verify ? 2L : 0L);
		if (ep->ca)
			SET(CURLOPT_CAINFO, ep->ca);
		if (ep->cert)
			SET(CURLOPT_SSLCERT, ep->cert);
		if (ep->key)
			SET(CURLOPT_SSLKEY, ep->key);
		SET(CURLOPT_SSLVERSION, (long)CURL_SSLVERSION_TLSv1_2);
	}
#undef SET
	if (c != CURLE_OK) {
		curl_easy_cleanup(h);
		return NULL;
	}
	return h;
}

static CURL *get_handle(struct hd_engine *e)
{
	if (e->n_idle)
		return e->idle[--e->n_idle];
	return new_handle(e);
}

static void put_handle(struct hd_engine *e, CURL *h)
{
	if (HD_GROW(e->idle, e->alloc_idle, e->n_idle + 1) < 0) {
		curl_easy_cleanup(h);
		return;
	}
	e->idle[e->n_idle++] = h;
}

static const char root_note[] =
	"; access to the Docker socket is root-equivalent (whoever can use it can start a "
	"privileged container with the host's / mounted), so audit as root or as a member of "
	"the docker group only on purpose";

/* The "message" of a JSON error body, or NULL. */
static char *api_message(const struct hd_buf *body)
{
	json_t *j = json_loadb(body->buf, body->len, 0, NULL);
	const char *m = json_string_value(json_object_get(j, "message"));
	char *s = m ? hd_strndup(m, strnlen(m, 512)) : NULL;

	json_decref(j);
	return s;
}

static int set_err(struct hd_engine_req *q, int err, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
static int set_err(struct hd_engine_req *q, int err, const char *fmt, ...)
{
	char msg[HD_MAX_MESSAGE];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	hd_free(q->errmsg);
	q->errmsg = hd_strdup(msg);
	q->err = q->errmsg ? err : -HD_ENOMEM;
	return q->err;
}

/* Classifies the end of a transfer into q->err and q->errmsg. */
static void finish(struct hd_engine *e, struct xfer *x, CURLcode rc)
{
	struct hd_engine_req *q = x->q;
	const struct hd_engine_endpoint *ep = e->ep;
	const char *what = hd_api_endpoints[q->api].path;
	long oserr = 0, status = 0;

	curl_easy_getinfo(x->h, CURLINFO_RESPONSE_CODE, &status);
	curl_easy_getinfo(x->h, CURLINFO_OS_ERRNO, &oserr);
	q->status = status;
	if (rc == CURLE_OK && status >= 200 && status < 300) {
		q->err = 0;
		return;
	}
	if (rc == CURLE_OK) {
		hd_autofree char *m = api_message(&q->body);

		if (status == 404)
			set_err(q, -HD_ENOENT, "%s%s%s: not found (HTTP 404)%s%s", what,
				q->arg ? " for " : "", q->arg ? q->arg : "", m ? ": " : "", m ? m : "");
		else if (status == 401 || status == 403)
			set_err(q, -HD_EACCES, "%s: refused by the engine (HTTP %ld, an authorization "
				"plugin or TLS client policy)%s%s", what, status, m ? ": " : "",
				m ? m : "");
		else
			set_err(q, -HD_EPROTO, "%s%s%s: the engine answered HTTP %ld%s%s", what,
				q->arg ? " for " : "", q->arg ? q->arg : "", status, m ? ": " : "",
				m ? m : "");
		return;
	}
	switch (rc) {
	case CURLE_COULDNT_CONNECT:
	case CURLE_COULDNT_RESOLVE_HOST:
		if (ep->transport == HD_TRANSPORT_UNIX && oserr == ENOENT)
			set_err(q, -HD_ENOENT, "cannot connect to the engine: no socket at '%s' (is dockerd "
				"running? the endpoint came from %s)", ep->socket_path, ep->source);
		else if (oserr == EACCES || oserr == EPERM)
			set_err(q, -HD_EACCES, "cannot connect to the engine at %s: permission denied%s",
				ep->host, root_note);
		else if (oserr == ECONNREFUSED)
			set_err(q, -HD_ECONNECT, "cannot connect to the engine at %s: connection refused "
				"(nothing listens there; the endpoint came from %s)", ep->host, ep->source);
		else
			set_err(q, -HD_ECONNECT, "cannot connect to the engine at %s: %s", ep->host,
				x->errbuf[0] ? x->errbuf : curl_easy_strerror(rc));
		break;
	case CURLE_OPERATION_TIMEDOUT:
		set_err(q, -HD_ETIMEOUT, "%s: no answer from the engine at %s within %ld ms", what,
			ep->host, e->o.timeout_ms);
		break;
	case CURLE_WRITE_ERROR:
	case CURLE_FILESIZE_EXCEEDED:
		if (x->too_big || rc == CURLE_FILESIZE_EXCEEDED)
			set_err(q, -HD_ETOOBIG, "%s: the engine's answer is larger than %zu bytes",
				what, (size_t)e->o.max_response);
		else
			set_err(q, -HD_ENOMEM, "%s: out of memory", what);
		break;
	case CURLE_GOT_NOTHING:
	case CURLE_RECV_ERROR:
	case CURLE_SEND_ERROR:
	case CURLE_PARTIAL_FILE:
		/* With TLS 1.3 a refused client certificate shows at the first read. */
		if (ep->tls && (strstr(x->errbuf, "bad certificate") || strstr(x->errbuf, "certificate required") ||
				strstr(x->errbuf, "unknown ca"))) {
			set_err(q, -HD_EACCES, "TLS with the engine at %s failed: the engine refused the client "
				"certificate %s (%s); give the one its CA signed with --tlscert/--tlskey or "
				"DOCKER_CERT_PATH", ep->host, ep->cert ? ep->cert : "(none given)", x->errbuf);
			break;
		}
		set_err(q, -HD_ECONNECT, "%s: the engine at %s closed the connection (%s)", what,
			ep->host, x->errbuf[0] ? x->errbuf : curl_easy_strerror(rc));
		break;
	case CURLE_UNSUPPORTED_PROTOCOL:
	case CURLE_WEIRD_SERVER_REPLY:
	case CURLE_BAD_CONTENT_ENCODING:
	case CURLE_HTTP2:
		set_err(q, -HD_EPROTO, "%s: the engine at %s answered something that is not HTTP (%s)",
			what, ep->host, x->errbuf[0] ? x->errbuf : curl_easy_strerror(rc));
		break;
	case CURLE_SSL_CONNECT_ERROR:
	case CURLE_PEER_FAILED_VERIFICATION:
	case CURLE_SSL_CERTPROBLEM:
	case CURLE_SSL_CIPHER:
	case CURLE_SSL_CACERT_BADFILE:
	case CURLE_SSL_ISSUER_ERROR:
		set_err(q, -HD_ECONNECT, "TLS with the engine at %s failed: %s (CA %s, client "
			"certificate %s)", ep->host, x->errbuf[0] ? x->errbuf : curl_easy_strerror(rc),
			ep->ca ? ep->ca : "none", ep->cert ? ep->cert : "none");
		break;
	default:
		set_err(q, -HD_ECONNECT, "%s: request to the engine at %s failed: %s", what, ep->host,
			x->errbuf[0] ? x->errbuf : curl_easy_strerror(rc));
		break;
	}
}

static int start(struct hd_engine *e, struct xfer *x)
{
	struct hd_engine_req *q = x->q;
	hd_autofree char *url = hd_engine_url(e, q->api, q->arg);
	CURLcode c = CURLE_OK;

	hd_buf_reset(&q->body);
	hd_buf_reset(&q->headers);
	q->body.max = e->o.max_response;
	q->status = 0;
	q->err = 0;
	hd_free(q->errmsg);
	q->errmsg = NULL;
	x->h = get_handle(e);
	if (!url || !x->h)
		return -HD_ENOMEM;
	x->errbuf[0] = '\0';
	x->too_big = false;
#define SET(opt, val) do { if (c == CURLE_OK) c = curl_easy_setopt(x->h, opt, val); } while (0)
	SET(CURLOPT_URL, url);
	SET(CURLOPT_WRITEDATA, x);
	SET(CURLOPT_PRIVATE, x);
	SET(CURLOPT_ERRORBUFFER, x->errbuf);
	SET(CURLOPT_HEADERFUNCTION, q->want_headers ? on_header : NULL);
	SET(CURLOPT_HEADERDATA, q->want_headers ? x : NULL);
#undef SET
	if (c != CURLE_OK || curl_multi_add_handle(e->multi, x->h) != CURLM_OK) {
		put_handle(e, x->h);
		x->h = NULL;
		return -HD_ENOMEM;
	}
	return 0;
}

int hd_engine_run(struct hd_engine *e, struct hd_engine_req *reqs, size_t n)
{
	struct xfer *xs;
	size_t next = 0, active = 0, i;
	int r = 0, running = 0;

	if (n == 0)
		return 0;
	xs = hd_calloc(n, sizeof(*xs));
	if (!xs)
		return -HD_ENOMEM;
	for (i = 0; i < n; i++)
		xs[i].q = &reqs[i];
	while (next < n || active) {
		CURLMsg *msg;
		int left;

		while (next < n && active < e->o.parallel) {
			r = start(e, &xs[next]);
			if (r < 0)
				goto out;
			next++;
			active++;
		}
		if (curl_multi_perform(e->multi, &running) != CURLM_OK) {
			r = -HD_ENOMEM;
			goto out;
		}
		while ((msg = curl_multi_info_read(e->multi, &left))) {
			struct xfer *x = NULL;

			if (msg->msg != CURLMSG_DONE)
				continue;
			curl_easy_getinfo(msg->easy_handle, CURLINFO_PRIVATE, (char **)&x);
			finish(e, x, msg->data.result);
			curl_multi_remove_handle(e->multi, x->h);
			put_handle(e, x->h);
			x->h = NULL;
			active--;
		}
		if (running && curl_multi_poll(e->multi, NULL, 0, 1000, NULL) != CURLM_OK) {
			r = -HD_ENOMEM;
			goto out;
		}
	}
out:
	for (i = 0; i < n; i++) {
		if (xs[i].h) {
			curl_multi_remove_handle(e->multi, xs[i].h);
			put_handle(e, xs[i].h);
		}
	}
	hd_free(xs);
	if (r < 0)
		return r;
	for (i = 0; i < n; i++) {
		if (reqs[i].err == -HD_ENOMEM)
			return -HD_ENOMEM;
	}
	for (i = 0; i < n; i++) {
		if (reqs[i].err < 0)
			return reqs[i].err;
	}
	return 0;
}

int hd_engine_get(struct hd_engine *e, enum hd_api api, const char *arg, struct hd_engine_req *ret)
{
	int r;

	r = hd_engine_req_init(ret, api, arg);
	if (r < 0)
		return r;
	return hd_engine_run(e, ret, 1);
}

struct stream_xfer {
	struct xfer x;
	hd_engine_sink_fn *sink;
	hd_engine_tick_fn *tick; /* following: polled while the stream lasts */
	void *ctx;
	bool aborted;
	bool stopped;            /* tick asked to stop */
};

/* libcurl's progress callback while following: about once a second when idle. */
static int on_tick(void *ctx, curl_off_t dltotal, curl_off_t dlnow, curl_off_t ultotal, curl_off_t ulnow)
{
	struct stream_xfer *s = ctx;
	long status = 0;

	(void)dltotal, (void)dlnow, (void)ultotal, (void)ulnow;
	curl_easy_getinfo(s->x.h, CURLINFO_RESPONSE_CODE, &status);
	if (s->tick(s->ctx, status) != 0) {
		s->stopped = true;
		return 1;
	}
	return 0;
}

static size_t on_stream(char *p, size_t sz, size_t n, void *ctx)
{
	struct stream_xfer *s = ctx;
	size_t len = sz * n;
	long status = 0;

	curl_easy_getinfo(s->x.h, CURLINFO_RESPONSE_CODE, &status);
	if (status < 200 || status >= 300) {
		/* An error answer: keep (the start of) it for its message. */
		if (s->x.q->body.len + len <= s->x.q->body.max)
			hd_buf_add(&s->x.q->body, p, len);
		return len;
	}
	if (s->sink(s->ctx, p, len) != 0) {
		s->aborted = true;
		return 0;
	}
	return len;
}

static int stream(struct hd_engine *e, enum hd_api api, const char *arg, hd_engine_sink_fn *sink,
		  hd_engine_tick_fn *tick, void *ctx, struct hd_engine_req *ret)
{
	struct stream_xfer s = { .sink = sink, .tick = tick, .ctx = ctx };
	hd_autofree char *url = NULL;
	CURLcode c = CURLE_OK, rc;
	int r;

	r = hd_engine_req_init(ret, api, arg);
	if (r < 0)
		return r;
	ret->body.max = 64 * 1024;
	url = hd_engine_url(e, api, arg);
	s.x.q = ret;
	s.x.h = new_handle(e);
	if (!url || !s.x.h) {
		if (s.x.h)
			curl_easy_cleanup(s.x.h);
		return -HD_ENOMEM;
	}
#define SET(opt, val) do { if (c == CURLE_OK) c = curl_easy_setopt(s.x.h, opt, val); } while (0)
	SET(CURLOPT_URL, url);
	SET(CURLOPT_WRITEFUNCTION, on_stream);
	SET(CURLOPT_WRITEDATA, &s);
	SET(CURLOPT_ERRORBUFFER, s.x.errbuf);
	SET(CURLOPT_MAXFILESIZE_LARGE, (curl_off_t)0);
	SET(CURLOPT_TIMEOUT_MS, 0L);
	if (tick) {
		/* A stream that may stay silent for hours: no idle limit, keep-alive probes on TCP. */
		SET(CURLOPT_NOPROGRESS, 0L);
		SET(CURLOPT_XFERINFOFUNCTION, on_tick);
		SET(CURLOPT_XFERINFODATA, &s);
		if (e->ep->transport != HD_TRANSPORT_UNIX) {
			SET(CURLOPT_TCP_KEEPIDLE, 30L);
			SET(CURLOPT_TCP_KEEPINTVL, 10L);
		}
	} else {
		SET(CURLOPT_LOW_SPEED_LIMIT, 1L);
		SET(CURLOPT_LOW_SPEED_TIME, (long)(e->o.timeout_ms + 999) / 1000);
	}
#undef SET
	if (c != CURLE_OK) {
		curl_easy_cleanup(s.x.h);
		return -HD_ENOMEM;
	}
	rc = curl_easy_perform(s.x.h);
	if (s.stopped) {
		r = set_err(ret, -HD_ECANCELED, "%s: stopped", hd_api_endpoints[api].path);
	} else if (s.aborted) {
		r = set_err(ret, -HD_EIO, "%s: the reader stopped reading", hd_api_endpoints[api].path);
	} else {
		finish(e, &s.x, rc);
		r = ret->err;
	}
	curl_easy_cleanup(s.x.h);
	return r;
}

int hd_engine_stream(struct hd_engine *e, enum hd_api api, const char *arg, hd_engine_sink_fn *sink, void *ctx,
		     struct hd_engine_req *ret)
{
	return stream(e, api, arg, sink, NULL, ctx, ret);
}

int hd_engine_follow(struct hd_engine *e, enum hd_api api, const char *arg, hd_engine_sink_fn *sink,
		     hd_engine_tick_fn *tick, void *ctx, struct hd_engine_req *ret)
{
	return stream(e, api, arg, sink, tick, ctx, ret);
}

/* The value of header `name` in raw headers, copied into out; false if absent. */
static bool header_value(const struct hd_buf *h, const char *name, char *out, size_t n)
{
	const char *p = h->buf;
	size_t nl = strlen(name);

	while (*p) {
		const char *eol = strchr(p, '\n');
		size_t ll = eol ? (size_t)(eol - p) : strlen(p);

		if (ll > nl && p[nl] == ':' && strncasecmp(p, name, nl) == 0) {
			const char *v = p + nl + 1, *ve = p + ll;

			while (v < ve && (*v == ' ' || *v == '\t'))
				v++;
			while (ve > v && (ve[-1] == '\r' || ve[-1] == ' '))
				ve--;
			snprintf(out, n, "%.*s", (int)(ve - v), v);
			return true;
		}
		p += ll;
		if (*p)
			p++;
	}
	return false;
}

/* True for "1.41" shapes: digits, one dot, digits. */
static bool version_shaped(const char *v)
{
	size_t a = strspn(v, "0123456789"), b;

	if (a == 0 || a > 4 || v[a] != '.')
		return false;
	b = strspn(v + a + 1, "0123456789");
	return b > 0 && b <= 4 && v[a + 1 + b] == '\0';
}

int hd_engine_negotiate(struct hd_engine *e, char **errmsg)
{
	struct hd_engine_req q;
	char theirs[32] = "";
	int r;

	*errmsg = NULL;
	e->api[0] = '\0';
	r = hd_engine_req_init(&q, HD_API_PING, NULL);
	if (r < 0)
		return r;
	q.want_headers = true;
	r = hd_engine_run(e, &q, 1);
	if (r == -HD_ENOMEM)
		goto out;
	/*
	 * A daemon answers /_ping with the header even on errors; an answer
	 * without it and without "OK" is not a Docker engine.
	 */
	if (!header_value(&q.headers, "API-Version", theirs, sizeof(theirs))) {
		if (r < 0)
			goto out;
		if (!(q.body.len == 2 && memcmp(q.body.buf, "OK", 2) == 0)) {
			r = set_err(&q, -HD_EPROTO, "the engine at %s does not answer like a Docker engine: "
				    "/_ping gave neither an API-Version header nor \"OK\"", e->ep->host);
			goto out;
		}
		hd_engine_req_release(&q);
		r = hd_engine_get(e, HD_API_VERSION, NULL, &q);
		if (r < 0)
			goto out;
		{
			json_t *j = json_loadb(q.body.buf, q.body.len, 0, NULL);
			const char *v = json_string_value(json_object_get(j, "ApiVersion"));

			snprintf(theirs, sizeof(theirs), "%s", v ? v : "");
			json_decref(j);
		}
	} else
		r = 0;
	if (theirs[0] && !version_shaped(theirs)) {
		r = set_err(&q, -HD_EPROTO, "the engine at %s gave a malformed API version '%s'",
			    e->ep->host, theirs);
		goto out;
	}
	snprintf(e->server_api, sizeof(e->server_api), "%s", theirs);
	if (theirs[0] && hd_api_version_cmp(theirs, HD_ENGINE_API_MIN) < 0) {
		r = set_err(&q, -HD_EUNSUPPORTED, "the engine at %s speaks API %s; hardock needs %s or "
			    "newer", e->ep->host, theirs, HD_ENGINE_API_MIN);
		goto out;
	}
	hd_api_version_pick(HD_ENGINE_API_VERSION, theirs, e->api, sizeof(e->api));
out:
	if (r < 0 && r != -HD_ENOMEM) {
		*errmsg = q.errmsg;
		q.errmsg = NULL;
	}
	hd_engine_req_release(&q);
	return r;
}
