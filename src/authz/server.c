/*
 * The authorization plugin's server: the Docker plugin protocol
 * (/Plugin.Activate, /AuthZPlugin.AuthZReq, /AuthZPlugin.AuthZRes) over
 * HTTP/1.1 on a unix socket.
 *
 * Processes.  hd_authz_serve() binds the socket, then forks the serving
 * process and only supervises it: it restarts a child that dies (a request
 * in flight then fails, and dockerd denies it), and at the end removes the
 * socket if it is still the one it bound.  The child sandboxes itself
 * (sandbox.c) and serves.
 *
 * Serving.  One thread owns every connection and does all I/O with epoll
 * (level-triggered, non-blocking sockets); decisions run on a pool of
 * worker threads, so a large body being judged never holds up the answers
 * to other connections.  The I/O thread parses requests itself (request
 * line, Content-Length or chunked bodies, keep-alive, pipelining, Expect:
 * 100-continue) and answers Activate and AuthZRes at once.  AuthZReq bodies
 * are kept up to HD_MAX_AUTHZ_BODY (what dockerd forwards, 1 MiB base64
 * encoded, plus headers); a larger one is read to its end without being
 * kept and denied.  AuthZRes bodies are never kept.  The bodies held at
 * once (being read or waiting for a worker) have a budget (256 MiB): a
 * request that would pass it is denied as busy instead of held.
 *
 * Time limits.  A request must arrive whole within request_ms (10 s) of its
 * first byte (a client trickling bytes is closed), an idle kept-alive
 * connection is closed after idle_ms (120 s), an answer must be taken
 * within WRITE_MS.  A
 * sweep every SWEEP_MS closes what is overdue.  Shutdown is seen within
 * one epoll wait (TICK_MS).
 *
 * Fail closed.  An AuthZReq that cannot be read, kept or decided (memory
 * exhaustion included) is answered with a fixed deny that needs no memory;
 * when even a connection cannot be served it is closed, which dockerd
 * treats as a deny.
 */
#include "core/common.h"
#include "core/buf.h"
#include "core/limits.h"
#include "core/listen.h"
#include "authz/authz.h"
#include "authz/sandbox.h"

#include <fcntl.h>
#include <malloc.h>
#include <poll.h>
#include <pthread.h>
#include <sys/epoll.h>
#include <sys/eventfd.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#define HEAD_MAX    (16u * 1024)       /* request line and headers */
#define DISCARD_MAX (256ull << 20)     /* bodies read without keeping them */
#define HELD_MAX_DEFAULT (256u << 20)  /* AuthZReq bodies held at once, read or waiting */
#define REQUEST_MS_DEFAULT 10000
#define IDLE_MS_DEFAULT    120000
#define WRITE_MS    10000
#define SWEEP_MS    100
#define TICK_MS     25
#define MAX_CONNS_DEFAULT 16384u
#define BACKLOG     4096

static const char ct_plugin[] = "application/vnd.docker.plugins.v1+json";

/* ---- time ------------------------------------------------------------------------------ */

static int64_t now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

/* ---- connections ----------------------------------------------------------------------- */

enum cstate {
	C_IDLE,        /* between requests */
	C_HEAD,        /* reading the request line and headers */
	C_BODY,        /* Content-Length body */
	C_CHUNK_SIZE,  /* chunked: size line */
	C_CHUNK_DATA,
	C_CHUNK_END,   /* the CRLF after a chunk */
	C_TRAILER,     /* trailer lines up to the empty one */
	C_WAIT,        /* a worker decides */
	C_WRITE,       /* the answer is being written */
};

enum endpoint { EP_NONE, EP_ACTIVATE, EP_REQ, EP_RES, EP_NOT_FOUND, EP_BAD_METHOD };

struct conn {
	int fd;
	uint32_t gen;          /* bumped when the slot is reused: late results are dropped */
	enum cstate st;
	int64_t deadline;
	struct hd_buf head;    /* request line and headers being read */
	struct hd_buf body;    /* AuthZReq body */
	struct hd_buf pending; /* bytes after the current request (pipelining) */
	char line[64];         /* chunk size line */
	size_t line_len;
	enum endpoint ep;
	bool keep_alive;
	bool keep_body;        /* keep the body (AuthZReq within the cap) */
	bool too_big;          /* the body went over the cap: deny */
	bool oom;              /* the body could not be kept: deny */
	bool busy;             /* keeping it would pass the server's budget: deny */
	size_t held;           /* bytes of body this connection holds (counted in server.held) */
	bool reading_paused;
	uint64_t left;         /* bytes of the body or chunk still to read */
	uint64_t discarded;
	char *out;             /* the answer */
	size_t out_len, out_off;
	bool out_static;       /* out points to a constant */
	bool close_after;
};

struct job {
	struct job *next;
	uint32_t slot, gen;
	char *body;            /* owned; NULL with fixed_deny */
	size_t len;
	const char *fixed_deny; /* reason of a deny decided without the policy */
	size_t held;           /* bytes of the server's budget this job holds */
	char *out;             /* the answer */
	size_t out_len;
};

struct server {
	int64_t request_ms, idle_ms;
	size_t held, held_max;  /* bytes of AuthZReq bodies held (I/O thread only), and the budget */
	const struct hd_authz_policy *p;
	const struct hd_authz_serve_opts *o;
	volatile sig_atomic_t *stop;
	int lfd, ep, evfd;
	bool accepting;
	struct conn **conns;
	uint32_t *free_slots;
	size_t n_free, max_conns, n_open;
	/* work queue and results */
	pthread_mutex_t mu;
	pthread_cond_t cv;
	struct job *q_head, *q_tail;
	struct job *done;
	bool quit;
	pthread_t *workers;
	unsigned n_workers;
	pthread_mutex_t log_mu;
};

/* epoll data: slot + 1 (0 is the listening socket, ~0 the eventfd). */
#define EV_LISTEN 0u
#define EV_WAKE   0xffffffffu

/* ---- fixed answers ----------------------------------------------------------------------- */

static const char resp_continue[] = "HTTP/1.1 100 Continue\r\n\r\n";

/* Builds a response in c->out; false on OOM (the caller falls back to a fixed one). */
static bool make_response(char **out, size_t *out_len, unsigned status, const char *reason,
			  const char *json, bool close_after)
{
	char *s = hd_asprintf("HTTP/1.1 %u %s\r\nContent-Type: %s\r\nContent-Length: %zu\r\n%s\r\n%s",
			      status, reason, ct_plugin, strlen(json),
			      close_after ? "Connection: close\r\n" : "", json);

	if (!s)
		return false;
	*out = s;
	*out_len = strlen(s);
	return true;
}

/*
 * Answers that need no memory, built once when serving starts: a deny (an
 * AuthZReq that could not be kept or read) and a plain 503.  Both close the
 * connection.
 */
static char resp_deny_oom[512], resp_deny_bad[512], resp_oom_close[128];

static void fixed_deny(char *dst, size_t size, const char *why)
{
	char json[256];

	snprintf(json, sizeof(json), "{\"Allow\":false,\"Msg\":\"hardock: request denied: %s\",\"Err\":\"\"}",
		 why);
	snprintf(dst, size, "HTTP/1.1 200 OK\r\nContent-Type: %s\r\nContent-Length: %zu\r\n"
		 "Connection: close\r\n\r\n%s", ct_plugin, strlen(json), json);
}

static void fixed_init(void)
{
	fixed_deny(resp_deny_oom, sizeof(resp_deny_oom), "internal error (out of memory)");
	fixed_deny(resp_deny_bad, sizeof(resp_deny_bad), "the authorization request is malformed");
	snprintf(resp_oom_close, sizeof(resp_oom_close),
		 "HTTP/1.1 503 Service Unavailable\r\nContent-Length: 0\r\nConnection: close\r\n\r\n");
}

/* ---- the decision log --------------------------------------------------------------------- */

static void log_write(struct server *s, const char *line, size_t n)
{
	size_t off = 0;

	if (s->o->log_fd < 0)
		return;
	pthread_mutex_lock(&s->log_mu);
	while (off < n) {
		ssize_t w = write(s->o->log_fd, line + off, n - off);

		if (w < 0 && errno == EINTR)
			continue;
		if (w <= 0)
			break;
		off += (size_t)w;
	}
	pthread_mutex_unlock(&s->log_mu);
}

static void log_decision(struct server *s, const struct hd_authz_decision *d)
{
	struct hd_buf b = HD_BUF_INIT(16 * 1024);

	if (s->o->log_fd < 0)
		return;
	if (hd_authz_log_line(d, (long long)time(NULL), &b) >= 0)
		log_write(s, b.buf, b.len);
	else
		log_write(s, "{\"decision\":\"deny\",\"reason\":\"log record lost (out of memory)\"}\n", 64);
	hd_buf_release(&b);
}

/* ---- workers -------------------------------------------------------------------------------- */

/* The AuthZ answer for a decision; NULL on OOM. */
static char *decision_response(bool allow, const char *msg, size_t *len)
{
	struct hd_buf j = HD_BUF_INIT(HD_MAX_MESSAGE * 8);
	char *out = NULL;
	int r;

	r = hd_buf_addf(&j, "{\"Allow\":%s,\"Msg\":\"", allow ? "true" : "false");
	if (r >= 0)
		r = hd_buf_add_json_escaped(&j, msg ? msg : "", msg ? strlen(msg) : 0);
	if (r >= 0)
		r = hd_buf_addstr(&j, "\",\"Err\":\"\"}");
	if (r >= 0 && !make_response(&out, len, 200, "OK", j.buf, false))
		out = NULL;
	hd_buf_release(&j);
	return out;
}

static void work(struct server *s, struct job *jb)
{
	struct hd_authz_decision d;

	if (jb->fixed_deny) {
		memset(&d, 0, sizeof(d));
		d.allow = false;
		d.category = HD_AUTHZ_UNROUTED;
		d.msg = (char *)jb->fixed_deny;
		d.rule_ids = (char *)"";
		d.method = (char *)"?";
		d.uri = (char *)"?";
		d.user = (char *)"";
		log_decision(s, &d);
		jb->out = decision_response(false, jb->fixed_deny, &jb->out_len);
		return;
	}
	if (hd_authz_decide(s->p, jb->body, jb->len, &d) < 0) {
		log_write(s, "{\"decision\":\"deny\",\"reason\":\"internal error (out of memory)\"}\n", 63);
		jb->out = NULL;
		return;
	}
	log_decision(s, &d);
	jb->out = decision_response(d.allow, d.msg, &jb->out_len);
	hd_authz_decision_release(&d);
}

static void *worker_main(void *arg)
{
	struct server *s = arg;

	for (;;) {
		struct job *jb;
		uint64_t one = 1;

		pthread_mutex_lock(&s->mu);
		while (!s->q_head && !s->quit)
			pthread_cond_wait(&s->cv, &s->mu);
		if (s->quit) {
			pthread_mutex_unlock(&s->mu);
			return NULL;
		}
		jb = s->q_head;
		s->q_head = jb->next;
		if (!s->q_head)
			s->q_tail = NULL;
		pthread_mutex_unlock(&s->mu);

		work(s, jb);
		hd_free(jb->body);
		jb->body = NULL;
		/* Give large freed buffers back to the system now, not at some later peak. */
		if (jb->len > 256 * 1024)
			malloc_trim(0);

		pthread_mutex_lock(&s->mu);
		jb->next = s->done;
		s->done = jb;
		pthread_mutex_unlock(&s->mu);
		if (write(s->evfd, &one, sizeof(one)) < 0) {
			/* The counter cannot overflow in practice; the sweep picks results up anyway. */
		}
	}
}

/* ---- connection lifecycle ----------------------------------------------------------------- */

/* Keeps server.held equal to what the connections' body buffers hold. */
static void account(struct server *s, struct conn *c)
{
	s->held = s->held - c->held + c->body.alloc;
	c->held = c->body.alloc;
}

static void conn_reset_request(struct server *s, struct conn *c)
{
	hd_buf_release(&c->head);
	hd_buf_init(&c->head, HEAD_MAX);
	hd_buf_release(&c->body);
	hd_buf_init(&c->body, HD_MAX_AUTHZ_BODY);
	account(s, c);
	c->line_len = 0;
	c->ep = EP_NONE;
	c->keep_alive = true;
	c->keep_body = false;
	c->too_big = c->oom = c->busy = false;
	c->left = 0;
	c->discarded = 0;
	if (!c->out_static)
		hd_free(c->out);
	c->out = NULL;
	c->out_len = c->out_off = 0;
	c->out_static = false;
	c->close_after = false;
}

static void conn_close(struct server *s, uint32_t slot)
{
	struct conn *c = s->conns[slot];

	if (!c || c->fd < 0)
		return;
	epoll_ctl(s->ep, EPOLL_CTL_DEL, c->fd, NULL);
	close(c->fd);
	c->fd = -1;
	c->gen++;
	conn_reset_request(s, c);
	hd_buf_release(&c->head);
	hd_buf_release(&c->body);
	hd_buf_release(&c->pending);
	s->free_slots[s->n_free++] = slot;
	s->n_open--;
	if (!s->accepting && s->lfd >= 0) {
		struct epoll_event ev = { .events = EPOLLIN, .data.u32 = EV_LISTEN };

		if (epoll_ctl(s->ep, EPOLL_CTL_ADD, s->lfd, &ev) == 0)
			s->accepting = true;
	}
}

static void conn_events(struct server *s, uint32_t slot, uint32_t events)
{
	struct conn *c = s->conns[slot];
	struct epoll_event ev = { .events = events, .data.u32 = slot + 1 };

	epoll_ctl(s->ep, EPOLL_CTL_MOD, c->fd, &ev);
}

/* Starts writing out[0..len); the connection reads again once it is written. */
static void conn_send(struct server *s, uint32_t slot, char *out, size_t len, bool is_static)
{
	struct conn *c = s->conns[slot];

	c->out = out;
	c->out_len = len;
	c->out_off = 0;
	c->out_static = is_static;
	c->st = C_WRITE;
	c->deadline = now_ms() + WRITE_MS;
	conn_events(s, slot, EPOLLOUT);
}

static void send_fixed(struct server *s, uint32_t slot, const char *resp)
{
	s->conns[slot]->close_after = true;
	conn_send(s, slot, (char *)resp, strlen(resp), true);
}

/* Answers a request that needs no worker. */
static void answer_now(struct server *s, uint32_t slot, unsigned status, const char *reason,
		       const char *json)
{
	struct conn *c = s->conns[slot];
	char *out;
	size_t len;

	if (!make_response(&out, &len, status, reason, json, !c->keep_alive)) {
		send_fixed(s, slot, resp_oom_close);
		return;
	}
	c->close_after = !c->keep_alive;
	conn_send(s, slot, out, len, false);
}

/* Hands an AuthZReq to the workers. */
static void dispatch(struct server *s, uint32_t slot)
{
	struct conn *c = s->conns[slot];
	struct job *jb = hd_calloc(1, sizeof(*jb));

	if (!jb) {
		send_fixed(s, slot, resp_deny_oom);
		return;
	}
	jb->slot = slot;
	jb->gen = c->gen;
	if (c->too_big)
		jb->fixed_deny = "hardock: request denied: the authorization request is larger than "
				 "the plugin accepts";
	else if (c->busy)
		jb->fixed_deny = "hardock: request denied: the plugin holds too many large requests at "
				 "once; try again";
	else if (c->oom)
		jb->fixed_deny = "hardock: request denied: internal error (out of memory)";
	else
		jb->body = hd_buf_detach(&c->body, &jb->len);
	if (!jb->fixed_deny && !jb->body) {
		hd_free(jb);
		send_fixed(s, slot, resp_deny_oom);
		return;
	}
	/* The job holds the body's share of the budget until it is decided. */
	jb->held = c->held;
	c->held = 0;
	account(s, c);
	c->st = C_WAIT;
	c->deadline = INT64_MAX;
	conn_events(s, slot, 0);
	pthread_mutex_lock(&s->mu);
	if (s->q_tail)
		s->q_tail->next = jb;
	else
		s->q_head = jb;
	s->q_tail = jb;
	pthread_cond_signal(&s->cv);
	pthread_mutex_unlock(&s->mu);
}

/* The request is complete: answer it or hand it over. */
static void request_done(struct server *s, uint32_t slot)
{
	struct conn *c = s->conns[slot];

	switch (c->ep) {
	case EP_ACTIVATE:
		answer_now(s, slot, 200, "OK", "{\"Implements\":[\"authz\"]}");
		break;
	case EP_RES:
		/* The response phase is not where this plugin decides. */
		answer_now(s, slot, 200, "OK", "{\"Allow\":true,\"Msg\":\"\",\"Err\":\"\"}");
		break;
	case EP_REQ:
		dispatch(s, slot);
		break;
	case EP_BAD_METHOD:
		answer_now(s, slot, 405, "Method Not Allowed", "{\"Err\":\"method not allowed\"}");
		break;
	default:
		answer_now(s, slot, 404, "Not Found", "{\"Err\":\"unknown plugin endpoint\"}");
		break;
	}
}

/* A protocol error: answer 400 and close. */
static void bad_request(struct server *s, uint32_t slot, unsigned status, const char *reason)
{
	struct conn *c = s->conns[slot];

	c->keep_alive = false;
	if (c->ep == EP_REQ) {
		/* An AuthZReq that cannot be read is denied like any other. */
		send_fixed(s, slot, resp_deny_bad);
		return;
	}
	answer_now(s, slot, status, reason, "{\"Err\":\"bad request\"}");
}

/* ---- request parsing ---------------------------------------------------------------------- */

static bool header_is(const char *line, size_t n, const char *name, const char **val, size_t *vn)
{
	size_t k = strlen(name);

	if (n <= k || line[k] != ':' || strncasecmp(line, name, k) != 0)
		return false;
	line += k + 1;
	n -= k + 1;
	while (n && (*line == ' ' || *line == '\t')) {
		line++;
		n--;
	}
	while (n && (line[n - 1] == ' ' || line[n - 1] == '\t'))
		n--;
	*val = line;
	*vn = n;
	return true;
}

static bool token_in(const char *v, size_t n, const char *tok)
{
	size_t k = strlen(tok), i = 0;

	while (i < n) {
		size_t j = i;

		while (j < n && v[j] != ',')
			j++;
		while (i < j && (v[i] == ' ' || v[i] == '\t'))
			i++;
		{
			size_t e = j;

			while (e > i && (v[e - 1] == ' ' || v[e - 1] == '\t'))
				e--;
			if (e - i == k && !strncasecmp(v + i, tok, k))
				return true;
		}
		i = j + 1;
	}
	return false;
}

/*
 * Parses the head in c->head (ending with an empty line).  Returns 0 and
 * sets the body state, or answers the error itself and returns -1.
 */
static int parse_head(struct server *s, uint32_t slot)
{
	struct conn *c = s->conns[slot];
	char *p = c->head.buf, *end = p + c->head.len;
	char *eol = memchr(p, '\n', (size_t)(end - p));
	char *sp1, *sp2;
	size_t ln;
	bool http10, have_cl = false, chunked = false, expect = false, conn_close = false,
	     conn_keep = false;
	uint64_t cl = 0;

	if (!eol)
		return bad_request(s, slot, 400, "Bad Request"), -1;
	ln = (size_t)(eol - p);
	if (ln && p[ln - 1] == '\r')
		ln--;
	sp1 = memchr(p, ' ', ln);
	sp2 = sp1 ? memchr(sp1 + 1, ' ', ln - (size_t)(sp1 + 1 - p)) : NULL;
	if (!sp1 || !sp2 || ln - (size_t)(sp2 + 1 - p) != 8 || strncmp(sp2 + 1, "HTTP/1.", 7) != 0 ||
	    (sp2[8] != '0' && sp2[8] != '1'))
		return bad_request(s, slot, 400, "Bad Request"), -1;
	http10 = sp2[8] == '0';
	{
		size_t mlen = (size_t)(sp1 - p), ulen = (size_t)(sp2 - sp1 - 1);
		const char *u = sp1 + 1;
		bool post = mlen == 4 && !memcmp(p, "POST", 4);

		/* Clients may send the target with a query; the protocol paths have none. */
		for (size_t k = 0; k < ulen; k++) {
			if (u[k] == '?') {
				ulen = k;
				break;
			}
		}
#define IS_URL(lit) (ulen == sizeof(lit) - 1 && !memcmp(u, lit, ulen))
		if (IS_URL("/AuthZPlugin.AuthZReq"))
			c->ep = post ? EP_REQ : EP_BAD_METHOD;
		else if (IS_URL("/AuthZPlugin.AuthZRes"))
			c->ep = post ? EP_RES : EP_BAD_METHOD;
		else if (IS_URL("/Plugin.Activate"))
			c->ep = post ? EP_ACTIVATE : EP_BAD_METHOD;
		else
			c->ep = EP_NOT_FOUND;
#undef IS_URL
	}
	p = eol + 1;
	while (p < end) {
		const char *v;
		size_t vn;

		eol = memchr(p, '\n', (size_t)(end - p));
		if (!eol)
			break;
		ln = (size_t)(eol - p);
		if (ln && p[ln - 1] == '\r')
			ln--;
		if (ln == 0)
			break;
		if (*p == ' ' || *p == '\t')
			return bad_request(s, slot, 400, "Bad Request"), -1; /* obsolete line folding */
		if (header_is(p, ln, "Content-Length", &v, &vn)) {
			uint64_t n = 0;
			size_t k;

			if (vn == 0 || vn > 19)
				return bad_request(s, slot, 400, "Bad Request"), -1;
			for (k = 0; k < vn; k++) {
				if (!isdigit((unsigned char)v[k]))
					return bad_request(s, slot, 400, "Bad Request"), -1;
				n = n * 10 + (uint64_t)(v[k] - '0');
			}
			if (have_cl && n != cl)
				return bad_request(s, slot, 400, "Bad Request"), -1;
			have_cl = true;
			cl = n;
		} else if (header_is(p, ln, "Transfer-Encoding", &v, &vn)) {
			if (!(vn == 7 && !strncasecmp(v, "chunked", 7)))
				return bad_request(s, slot, 501, "Not Implemented"), -1;
			chunked = true;
		} else if (header_is(p, ln, "Connection", &v, &vn)) {
			conn_close |= token_in(v, vn, "close");
			conn_keep |= token_in(v, vn, "keep-alive");
		} else if (header_is(p, ln, "Expect", &v, &vn)) {
			if (!(vn == 12 && !strncasecmp(v, "100-continue", 12)))
				return bad_request(s, slot, 417, "Expectation Failed"), -1;
			expect = true;
		}
		p = eol + 1;
	}
	if (chunked && have_cl)
		return bad_request(s, slot, 400, "Bad Request"), -1;
	c->keep_alive = http10 ? conn_keep && !conn_close : !conn_close;
	c->keep_body = c->ep == EP_REQ;
	if (c->ep == EP_REQ && have_cl && cl > HD_MAX_AUTHZ_BODY) {
		/* Too large to keep: deny without waiting for a body a 100-continue client holds back. */
		c->too_big = true;
		c->keep_body = false;
		if (expect) {
			c->keep_alive = false;
			dispatch(s, slot);
			return -1;
		}
	}
	if (have_cl && cl > DISCARD_MAX)
		return bad_request(s, slot, 413, "Payload Too Large"), -1;
	if (c->keep_body && have_cl && !c->too_big && s->held + (size_t)cl > s->held_max) {
		c->busy = true;
		c->keep_body = false;
	}
	/* Reserve the whole body once instead of growing it by doubling. */
	if (c->keep_body && have_cl && !c->too_big && hd_buf_reserve_exact(&c->body, (size_t)cl) < 0)
		c->oom = true;
	account(s, c);
	if (expect) {
		ssize_t w = send(c->fd, resp_continue, sizeof(resp_continue) - 1, MSG_NOSIGNAL);

		(void)w; /* a client that cannot take it will see the answer fail */
	}
	if (chunked) {
		c->st = C_CHUNK_SIZE;
		c->line_len = 0;
	} else {
		c->st = C_BODY;
		c->left = cl;
	}
	return 0;
}

/* Takes body bytes: kept for an AuthZReq within the caps, else counted and dropped. */
static int take_body(struct server *s, struct conn *c, const char *p, size_t n)
{
	if (c->keep_body && !c->too_big && !c->oom && !c->busy) {
		int r = s->held + n > s->held_max ? -HD_EBUSY : hd_buf_add(&c->body, p, n);

		if (r < 0) {
			c->too_big = r == -HD_ETOOBIG;
			c->busy = r == -HD_EBUSY;
			c->oom = !c->too_big && !c->busy;
			hd_buf_release(&c->body);
			hd_buf_init(&c->body, HD_MAX_AUTHZ_BODY);
		}
		account(s, c);
		return 0;
	}
	c->discarded += n;
	return c->discarded > DISCARD_MAX ? -1 : 0;
}

/*
 * Feeds bytes to the request parser.  Returns how many were consumed; the
 * parser stops at the end of a request (the rest is the next request) or
 * when it has answered an error (the connection is then closing).
 */
static size_t feed(struct server *s, uint32_t slot, const char *p, size_t n)
{
	struct conn *c = s->conns[slot];
	size_t used = 0;

	while (used < n) {
		const char *q = p + used;
		size_t avail = n - used;

		switch (c->st) {
		case C_IDLE:
			c->st = C_HEAD;
			c->deadline = now_ms() + s->request_ms;
			/* FALLTHROUGH */
		case C_HEAD: {
			/* Blank lines before a request are allowed (RFC 9112 2.2). */
			if (c->head.len == 0 && (*q == '\r' || *q == '\n')) {
				used++;
				continue;
			}
			size_t k, take = avail;
			const char *e = NULL;

			/* Look for the empty line across what is kept and what is new. */
			for (k = 0; k < avail; k++) {
				if (q[k] != '\n')
					continue;
				{
					size_t before = c->head.len + k;
					const char *h = c->head.buf;
					char b1 = k >= 1 ? q[k - 1] : (before >= 1 ? h[before - 1] : 0);
					char b2 = k >= 2 ? q[k - 2] : (before >= 2 ? h[before - 2] : 0);

					if (b1 == '\n' || (b1 == '\r' && b2 == '\n')) {
						e = q + k;
						break;
					}
				}
			}
			if (e)
				take = (size_t)(e - q) + 1;
			if (hd_buf_add(&c->head, q, take) < 0) {
				bad_request(s, slot, 431, "Request Header Fields Too Large");
				return n;
			}
			used += take;
			if (!e)
				continue;
			if (parse_head(s, slot) < 0)
				return n;
			if (c->st == C_BODY && c->left == 0) {
				request_done(s, slot);
				return used;
			}
			continue;
		}
		case C_BODY:
		case C_CHUNK_DATA: {
			size_t take = avail < c->left ? avail : (size_t)c->left;

			if (take_body(s, c, q, take) < 0) {
				bad_request(s, slot, 413, "Payload Too Large");
				return n;
			}
			used += take;
			c->left -= take;
			if (c->left)
				continue;
			if (c->st == C_CHUNK_DATA) {
				c->st = C_CHUNK_END;
				c->line_len = 0;
				continue;
			}
			request_done(s, slot);
			return used;
		}
		case C_CHUNK_SIZE:
		case C_TRAILER: {
			char ch = *q;

			used++;
			if (ch != '\n') {
				if (c->line_len + 1 >= sizeof(c->line)) {
					bad_request(s, slot, 400, "Bad Request");
					return n;
				}
				c->line[c->line_len++] = ch;
				continue;
			}
			if (c->line_len && c->line[c->line_len - 1] == '\r')
				c->line_len--;
			c->line[c->line_len] = '\0';
			if (c->st == C_TRAILER) {
				bool last = c->line_len == 0;

				c->line_len = 0;
				if (last) {
					request_done(s, slot);
					return used;
				}
				continue;
			}
			{
				uint64_t v = 0;
				size_t k, digits = 0;

				for (k = 0; k < c->line_len && isxdigit((unsigned char)c->line[k]); k++) {
					if (++digits > 15) {
						bad_request(s, slot, 400, "Bad Request");
						return n;
					}
					v = v * 16 + (uint64_t)(isdigit((unsigned char)c->line[k]) ?
						c->line[k] - '0' : (tolower((unsigned char)c->line[k]) - 'a' + 10));
				}
				if (digits == 0 || (k < c->line_len && c->line[k] != ';' && c->line[k] != ' ' &&
						    c->line[k] != '\t')) {
					bad_request(s, slot, 400, "Bad Request");
					return n;
				}
				c->line_len = 0;
				c->left = v;
				c->st = v ? C_CHUNK_DATA : C_TRAILER;
			}
			continue;
		}
		case C_CHUNK_END:
			used++;
			if (*q == '\r' && c->line_len == 0) {
				c->line_len = 1;
				continue;
			}
			if (*q != '\n') {
				bad_request(s, slot, 400, "Bad Request");
				return n;
			}
			c->line_len = 0;
			c->st = C_CHUNK_SIZE;
			continue;
		case C_WAIT:
		case C_WRITE:
			/* The next request waits until this one is answered. */
			return used;
		}
	}
	return used;
}

/* Feeds p[0..n); what is not consumed now is kept for after the answer. */
static void feed_all(struct server *s, uint32_t slot, const char *p, size_t n)
{
	struct conn *c = s->conns[slot];
	size_t used = feed(s, slot, p, n);

	if (c->fd < 0 || used >= n)
		return;
	if (c->st != C_WAIT && c->st != C_WRITE)
		return; /* an error answer is on its way and the connection closes */
	if (c->close_after)
		return;
	if (hd_buf_add(&c->pending, p + used, n - used) < 0)
		c->close_after = true; /* too much pipelined: finish this answer, then close */
}

/* ---- I/O ------------------------------------------------------------------------------------ */

static void on_readable(struct server *s, uint32_t slot)
{
	char chunk[64 * 1024];
	int rounds;

	/* A bounded number of reads per event keeps one busy client from starving the rest. */
	for (rounds = 0; rounds < 16; rounds++) {
		struct conn *c = s->conns[slot];
		ssize_t n;

		if (c->fd < 0 || c->st == C_WAIT || c->st == C_WRITE)
			return;
		n = recv(c->fd, chunk, sizeof(chunk), 0);
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK))
			return;
		if (n <= 0) {
			conn_close(s, slot);
			return;
		}
		feed_all(s, slot, chunk, (size_t)n);
	}
}

static void on_writable(struct server *s, uint32_t slot)
{
	struct conn *c = s->conns[slot];

	while (c->out_off < c->out_len) {
		ssize_t n = send(c->fd, c->out + c->out_off, c->out_len - c->out_off, MSG_NOSIGNAL);

		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK))
			return;
		if (n <= 0) {
			conn_close(s, slot);
			return;
		}
		c->out_off += (size_t)n;
	}
	if (c->close_after || !c->keep_alive) {
		conn_close(s, slot);
		return;
	}
	conn_reset_request(s, c);
	c->st = C_IDLE;
	c->deadline = now_ms() + s->idle_ms;
	conn_events(s, slot, EPOLLIN | EPOLLRDHUP);
	if (c->pending.len) {
		struct hd_buf pend = c->pending;

		hd_buf_init(&c->pending, HD_MAX_AUTHZ_BODY + HEAD_MAX);
		feed_all(s, slot, pend.buf, pend.len);
		hd_buf_release(&pend);
	}
}

static void on_accept(struct server *s)
{
	for (;;) {
		struct epoll_event ev = { .events = EPOLLIN | EPOLLRDHUP };
		struct conn *c;
		uint32_t slot;
		int fd;

		if (s->n_free == 0) {
			/* Full: leave the rest in the backlog until a connection closes. */
			epoll_ctl(s->ep, EPOLL_CTL_DEL, s->lfd, NULL);
			s->accepting = false;
			return;
		}
		fd = accept4(s->lfd, NULL, NULL, SOCK_NONBLOCK | SOCK_CLOEXEC);
		if (fd < 0) {
			if (errno == EINTR || errno == ECONNABORTED)
				continue;
			return; /* EAGAIN, or EMFILE and the like: try again on the next event */
		}
		slot = s->free_slots[--s->n_free];
		c = s->conns[slot];
		if (!c) {
			c = hd_calloc(1, sizeof(*c));
			if (!c) {
				s->n_free++;
				close(fd);
				return;
			}
			s->conns[slot] = c;
		}
		c->fd = fd;
		hd_buf_init(&c->head, HEAD_MAX);
		hd_buf_init(&c->body, HD_MAX_AUTHZ_BODY);
		hd_buf_init(&c->pending, HD_MAX_AUTHZ_BODY + HEAD_MAX);
		c->out = NULL;
		c->out_static = false;
		conn_reset_request(s, c);
		c->st = C_IDLE;
		c->deadline = now_ms() + s->request_ms;
		ev.data.u32 = slot + 1;
		if (epoll_ctl(s->ep, EPOLL_CTL_ADD, fd, &ev) < 0) {
			close(fd);
			c->fd = -1;
			s->free_slots[s->n_free++] = slot;
			continue;
		}
		s->n_open++;
	}
}

/* Results of the workers: each answer goes to its connection if that is still the same one. */
static void collect(struct server *s)
{
	struct job *list, *next;
	uint64_t v;

	if (read(s->evfd, &v, sizeof(v)) < 0) {
		/* EAGAIN: nothing was signalled; the list is checked anyway. */
	}
	pthread_mutex_lock(&s->mu);
	list = s->done;
	s->done = NULL;
	pthread_mutex_unlock(&s->mu);
	for (; list; list = next) {
		struct conn *c = s->conns[list->slot];

		next = list->next;
		s->held -= list->held;
		if (c && c->fd >= 0 && c->gen == list->gen && c->st == C_WAIT) {
			if (list->out)
				conn_send(s, list->slot, list->out, list->out_len, false);
			else
				send_fixed(s, list->slot, resp_deny_oom);
			list->out = NULL;
			if (c->fd >= 0)
				on_writable(s, list->slot);
		}
		hd_free(list->out);
		hd_free(list);
	}
}

static void sweep(struct server *s)
{
	int64_t t = now_ms();
	size_t i;

	for (i = 0; i < s->max_conns; i++) {
		struct conn *c = s->conns[i];

		if (c && c->fd >= 0 && c->st != C_WAIT && c->deadline <= t)
			conn_close(s, (uint32_t)i);
	}
}

/* ---- the serving process -------------------------------------------------------------------- */

static void server_free(struct server *s)
{
	size_t i;
	struct job *jb, *next;

	if (s->workers) {
		pthread_mutex_lock(&s->mu);
		s->quit = true;
		pthread_cond_broadcast(&s->cv);
		pthread_mutex_unlock(&s->mu);
		for (i = 0; i < s->n_workers; i++)
			pthread_join(s->workers[i], NULL);
		hd_free(s->workers);
	}
	for (jb = s->q_head; jb; jb = next) {
		next = jb->next;
		hd_free(jb->body);
		hd_free(jb);
	}
	for (jb = s->done; jb; jb = next) {
		next = jb->next;
		hd_free(jb->out);
		hd_free(jb);
	}
	for (i = 0; s->conns && i < s->max_conns; i++) {
		if (s->conns[i]) {
			conn_close(s, (uint32_t)i);
			hd_free(s->conns[i]);
		}
	}
	hd_free(s->conns);
	hd_free(s->free_slots);
	if (s->ep >= 0)
		close(s->ep);
	if (s->evfd >= 0)
		close(s->evfd);
	pthread_mutex_destroy(&s->mu);
	pthread_cond_destroy(&s->cv);
	pthread_mutex_destroy(&s->log_mu);
}

static unsigned default_workers(void)
{
	long n = sysconf(_SC_NPROCESSORS_ONLN);

	if (n < 2)
		return 2;
	return n > 16 ? 16 : (unsigned)n;
}

/* The child: sandbox, then serve until stopped.  Returns the exit status. */
static int child_main(const struct hd_authz_policy *p, const struct hd_authz_serve_opts *o, int lfd,
		      volatile sig_atomic_t *stop)
{
	struct server s;
	struct epoll_event ev;
	struct rlimit rl;
	int64_t next_sweep;
	size_t i;
	int r = 0;

	memset(&s, 0, sizeof(s));
	s.p = p;
	s.o = o;
	s.stop = stop;
	s.lfd = lfd;
	s.ep = s.evfd = -1;
	pthread_mutex_init(&s.mu, NULL);
	pthread_cond_init(&s.cv, NULL);
	pthread_mutex_init(&s.log_mu, NULL);
	/* Large buffers straight from and back to the system: RSS follows the load. */
	mallopt(M_MMAP_THRESHOLD, 256 * 1024);
	s.max_conns = o->max_conns ? o->max_conns : MAX_CONNS_DEFAULT;
	s.request_ms = o->request_ms ? o->request_ms : REQUEST_MS_DEFAULT;
	s.idle_ms = o->idle_ms ? o->idle_ms : IDLE_MS_DEFAULT;
	s.held_max = o->max_held_bytes ? o->max_held_bytes : HELD_MAX_DEFAULT;
	if (getrlimit(RLIMIT_NOFILE, &rl) == 0 && rl.rlim_cur < rl.rlim_max) {
		rl.rlim_cur = rl.rlim_max;
		setrlimit(RLIMIT_NOFILE, &rl);
	}
	if (getrlimit(RLIMIT_NOFILE, &rl) == 0 && rl.rlim_cur != RLIM_INFINITY &&
	    rl.rlim_cur < s.max_conns + 64)
		s.max_conns = rl.rlim_cur > 128 ? (size_t)rl.rlim_cur - 64 : 64;
	s.conns = hd_calloc(s.max_conns, sizeof(*s.conns));
	s.free_slots = hd_calloc(s.max_conns, sizeof(*s.free_slots));
	if (!s.conns || !s.free_slots) {
		r = -HD_ENOMEM;
		goto out;
	}
	for (i = 0; i < s.max_conns; i++)
		s.free_slots[i] = (uint32_t)(s.max_conns - 1 - i);
	s.n_free = s.max_conns;
	/* Libraries, loaded before the sandbox forbids opening them (core/dl.h). */
	if (!o->no_sandbox && (r = hd_dl_require(HD_AUTHZ_DL_LIBS, NULL)) < 0)
		goto out;
	if (!o->no_sandbox && (r = hd_authz_sandbox_privileges()) < 0)
		goto out;
	s.ep = epoll_create1(EPOLL_CLOEXEC);
	s.evfd = eventfd(0, EFD_NONBLOCK | EFD_CLOEXEC);
	if (s.ep < 0 || s.evfd < 0 || fcntl(lfd, F_SETFL, fcntl(lfd, F_GETFL) | O_NONBLOCK) < 0) {
		r = -HD_EIO;
		goto out;
	}
	ev.events = EPOLLIN;
	ev.data.u32 = EV_WAKE;
	if (epoll_ctl(s.ep, EPOLL_CTL_ADD, s.evfd, &ev) < 0) {
		r = -HD_EIO;
		goto out;
	}
	ev.data.u32 = EV_LISTEN;
	if (epoll_ctl(s.ep, EPOLL_CTL_ADD, lfd, &ev) < 0) {
		r = -HD_EIO;
		goto out;
	}
	s.accepting = true;
	s.n_workers = o->workers ? o->workers : default_workers();
	s.workers = hd_calloc(s.n_workers, sizeof(*s.workers));
	if (!s.workers) {
		r = -HD_ENOMEM;
		goto out;
	}
	for (i = 0; i < s.n_workers; i++) {
		if (pthread_create(&s.workers[i], NULL, worker_main, &s) != 0) {
			s.n_workers = (unsigned)i;
			r = -HD_EIO;
			goto out;
		}
	}
	if (!o->no_sandbox && (r = hd_authz_sandbox_filter()) < 0 && r != -HD_EUNSUPPORTED)
		goto out;
	r = 0;
	next_sweep = now_ms() + SWEEP_MS;
	while (!*stop) {
		struct epoll_event evs[256];
		int n, k;

		n = epoll_wait(s.ep, evs, (int)HD_ARRAY_SIZE(evs), TICK_MS);
		if (n < 0 && errno != EINTR) {
			r = -HD_EIO;
			break;
		}
		for (k = 0; k < n; k++) {
			uint32_t id = evs[k].data.u32, e = evs[k].events;
			struct conn *c;

			if (id == EV_LISTEN) {
				on_accept(&s);
				continue;
			}
			if (id == EV_WAKE) {
				collect(&s);
				continue;
			}
			c = s.conns[id - 1];
			if (!c || c->fd < 0)
				continue;
			if ((e & EPOLLOUT) && c->st == C_WRITE)
				on_writable(&s, id - 1);
			else if (e & (EPOLLIN | EPOLLRDHUP | EPOLLHUP | EPOLLERR))
				on_readable(&s, id - 1);
			/* A peer gone while its request is decided: the answer is dropped. */
			if (c->fd >= 0 && (e & (EPOLLHUP | EPOLLERR)))
				conn_close(&s, id - 1);
		}
		if (now_ms() >= next_sweep) {
			collect(&s);
			sweep(&s);
			next_sweep = now_ms() + SWEEP_MS;
		}
	}
out:
	server_free(&s);
	return r;
}

/* ---- the socket and the supervisor ----------------------------------------------------------- */

static void log_event(const struct hd_authz_serve_opts *o, const char *what)
{
	char line[512], ts[32];
	time_t t = time(NULL);
	struct tm tm;
	int n;

	if (o->log_fd < 0)
		return;
	if (!gmtime_r(&t, &tm) || !strftime(ts, sizeof(ts), "%Y-%m-%dT%H:%M:%SZ", &tm))
		ts[0] = '\0';
	n = snprintf(line, sizeof(line), "{\"time\":\"%s\",\"event\":\"%s\"}\n", ts, what);
	if (n > 0 && (size_t)n < sizeof(line) && write(o->log_fd, line, (size_t)n) < 0) {
		/* The log is best effort here; decisions are what matters. */
	}
}

int hd_authz_serve(const struct hd_authz_policy *p, const struct hd_authz_serve_opts *o,
		   volatile sig_atomic_t *stop)
{
	struct stat own;
	int64_t window_start = 0;
	unsigned restarts = 0;
	int lfd, r;

	r = hd_listen_unix(o->socket, BACKLOG, &lfd, &own);
	if (r < 0)
		return r;
	if (o->on_listening)
		o->on_listening(o->ctx, o->socket);
	r = 0;
	fixed_init();
	while (!*stop) {
		pid_t parent = getpid(), pid;
		int status = 0;

		fflush(NULL);
		pid = fork();
		if (pid < 0) {
			r = -HD_EIO;
			break;
		}
		if (pid == 0) {
			int cr;

			/* The child goes with its supervisor. */
			prctl(PR_SET_PDEATHSIG, SIGKILL);
			if (getppid() != parent)
				_exit(3);
			cr = child_main(p, o, lfd, stop);
			/* Under the sandbox nothing may run at exit (sanitizers would try to). */
			if (!o->no_sandbox)
				_exit(cr < 0 ? 2 : 0);
			exit(cr < 0 ? 2 : 0);
		}
		for (;;) {
			pid_t w = waitpid(pid, &status, WNOHANG);

			if (w == pid)
				break;
			if (w < 0 && errno != EINTR) {
				status = 0;
				break;
			}
			if (*stop) {
				int64_t t0 = now_ms();

				kill(pid, SIGTERM);
				while (waitpid(pid, &status, WNOHANG) == 0) {
					if (now_ms() - t0 > 2000) {
						kill(pid, SIGKILL);
						waitpid(pid, &status, 0);
						break;
					}
					poll(NULL, 0, 2);
				}
				break;
			}
			poll(NULL, 0, 20);
		}
		if (*stop)
			break;
		if (WIFEXITED(status) && WEXITSTATUS(status) == 0)
			break;
		if (WIFEXITED(status) && WEXITSTATUS(status) == 2) {
			/* It could not set itself up (sandbox, memory): restarting will not help. */
			r = -HD_EIO;
			break;
		}
		/* It died while serving: restart, unless it keeps dying. */
		if (now_ms() - window_start > 60000) {
			window_start = now_ms();
			restarts = 0;
		}
		if (++restarts > 5) {
			log_event(o, "serving process keeps dying; giving up");
			r = -HD_EIO;
			break;
		}
		log_event(o, "serving process died; restarted");
	}
	close(lfd);
	hd_listen_unlink_own(o->socket, &own);
	return r;
}
