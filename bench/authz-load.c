/*
 * Load generator for `hardock authz serve` (bench/authz.sh builds and runs
 * it): N keep-alive clients on the plugin's unix socket, each sending
 * AuthZReq documents in turn and checking every answer's Allow against the
 * decision expected for that document (what `hardock authz check` says of
 * it), while M slow clients trickle one byte of a request at a time.  One
 * thread, epoll, non-blocking sockets.  Prints one line:
 *
 *   requests=R seconds=S rps=X p50_us=A p99_us=B p999_us=C max_us=D wrong=W errors=E slow_held=H
 *
 * usage: authz-load --socket PATH [--conns N] [--seconds S] [--slow M]
 *                   [--once] FILE=allow|deny ...
 * --once: every client sends one request (the first file for client 0, the
 * next for client 1, ...) and the run ends when all are answered (the
 * concurrent big bodies of the memory figure).
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <time.h>
#include <unistd.h>

struct doc {
	char *req;       /* the whole HTTP request */
	size_t len;
	bool allow;      /* expected */
};

struct client {
	int fd;
	bool slow;
	size_t doc;      /* index of the document in flight */
	size_t off;      /* bytes of it sent */
	char *in;
	size_t in_len, in_cap;
	int64_t t0;      /* when the request was sent whole */
	int64_t next_byte; /* slow clients: when to send the next byte */
	bool done;
};

static const char *sock_path;
static struct doc *docs;
static size_t n_docs;
static uint32_t *hist;        /* latency histogram, 1 us buckets */
static const size_t hist_max = 10u * 1000 * 1000;
static uint64_t n_req, n_wrong, n_err;

static int64_t now_us(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (int64_t)ts.tv_sec * 1000000 + ts.tv_nsec / 1000;
}

static void die(const char *what)
{
	perror(what);
	exit(2);
}

static int connect_unix(void)
{
	struct sockaddr_un sa = { .sun_family = AF_UNIX };
	int fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);

	if (fd < 0)
		die("socket");
	snprintf(sa.sun_path, sizeof(sa.sun_path), "%s", sock_path);
	if (connect(fd, (struct sockaddr *)&sa, sizeof(sa)) < 0)
		die("connect");
	fcntl(fd, F_SETFL, fcntl(fd, F_GETFL) | O_NONBLOCK);
	return fd;
}

static void load_doc(const char *arg)
{
	const char *eq = strrchr(arg, '=');
	char path[4096], head[256];
	struct stat st;
	FILE *f;
	char *body;
	int hn;

	if (!eq || (strcmp(eq + 1, "allow") && strcmp(eq + 1, "deny"))) {
		fprintf(stderr, "expected FILE=allow or FILE=deny, not '%s'\n", arg);
		exit(2);
	}
	snprintf(path, sizeof(path), "%.*s", (int)(eq - arg), arg);
	f = fopen(path, "rb");
	if (!f || fstat(fileno(f), &st) < 0)
		die(path);
	body = malloc((size_t)st.st_size);
	if (!body || fread(body, 1, (size_t)st.st_size, f) != (size_t)st.st_size)
		die(path);
	fclose(f);
	hn = snprintf(head, sizeof(head),
		      "POST /AuthZPlugin.AuthZReq HTTP/1.1\r\nHost: plugin\r\n"
		      "Content-Type: application/json\r\nContent-Length: %lld\r\n\r\n",
		      (long long)st.st_size);
	docs = realloc(docs, (n_docs + 1) * sizeof(*docs));
	if (!docs)
		die("realloc");
	docs[n_docs].len = (size_t)hn + (size_t)st.st_size;
	docs[n_docs].req = malloc(docs[n_docs].len);
	if (!docs[n_docs].req)
		die("malloc");
	memcpy(docs[n_docs].req, head, (size_t)hn);
	memcpy(docs[n_docs].req + hn, body, (size_t)st.st_size);
	docs[n_docs].allow = !strcmp(eq + 1, "allow");
	free(body);
	n_docs++;
}

/* A whole answer in c->in?  Returns its total length, 0 if incomplete, -1 if malformed. */
static long answer_len(struct client *c, const char **body, size_t *blen)
{
	char *end = memmem(c->in, c->in_len, "\r\n\r\n", 4);
	char *cl;
	long n;

	if (!end)
		return 0;
	cl = memmem(c->in, (size_t)(end - c->in), "Content-Length: ", 16);
	if (!cl)
		return -1;
	n = strtol(cl + 16, NULL, 10);
	if ((size_t)(end + 4 - c->in) + (size_t)n > c->in_len)
		return 0;
	*body = end + 4;
	*blen = (size_t)n;
	return (long)(end + 4 - c->in) + n;
}

/* Sends what it can of the current request; asks for EPOLLOUT only while some is left. */
static int pump(int ep, struct client *c, size_t idx)
{
	struct doc *d = &docs[c->doc];
	struct epoll_event ev = { .events = EPOLLIN, .data.u64 = idx };

	while (!c->slow && c->off < d->len) {
		ssize_t w = send(c->fd, d->req + c->off, d->len - c->off, MSG_NOSIGNAL);

		if (w < 0 && errno == EAGAIN) {
			ev.events |= EPOLLOUT;
			break;
		}
		if (w <= 0)
			return -1;
		c->off += (size_t)w;
		if (c->off == d->len)
			c->t0 = now_us();
	}
	return epoll_ctl(ep, EPOLL_CTL_MOD, c->fd, &ev) < 0 ? -1 : 0;
}

static void reconnect(int ep, struct client *c, size_t idx)
{
	struct epoll_event ev = { .events = EPOLLIN, .data.u64 = idx };

	if (c->fd >= 0)
		close(c->fd);
	c->fd = connect_unix();
	c->off = 0;
	c->in_len = 0;
	c->next_byte = now_us();
	if (epoll_ctl(ep, EPOLL_CTL_ADD, c->fd, &ev) < 0 || pump(ep, c, idx) < 0)
		die("epoll_ctl");
}

int main(int argc, char **argv)
{
	int conns = 200, seconds = 10, slow = 0, i, ep;
	bool once = false;
	struct client *cl;
	int64_t start, stop_at, slow_step = 500000;
	struct rlimit rl;
	size_t answered = 0;

	for (i = 1; i < argc; i++) {
		if (!strcmp(argv[i], "--socket") && i + 1 < argc)
			sock_path = argv[++i];
		else if (!strcmp(argv[i], "--conns") && i + 1 < argc)
			conns = atoi(argv[++i]);
		else if (!strcmp(argv[i], "--seconds") && i + 1 < argc)
			seconds = atoi(argv[++i]);
		else if (!strcmp(argv[i], "--slow") && i + 1 < argc)
			slow = atoi(argv[++i]);
		else if (!strcmp(argv[i], "--once"))
			once = true;
		else
			load_doc(argv[i]);
	}
	if (!sock_path || !n_docs || conns < 1) {
		fprintf(stderr, "usage: authz-load --socket PATH [--conns N] [--seconds S] [--slow M] [--once] FILE=allow|deny ...\n");
		return 2;
	}
	if (getrlimit(RLIMIT_NOFILE, &rl) == 0) {
		rl.rlim_cur = rl.rlim_max;
		setrlimit(RLIMIT_NOFILE, &rl);
	}
	hist = calloc(hist_max + 1, sizeof(*hist));
	cl = calloc((size_t)(conns + slow), sizeof(*cl));
	ep = epoll_create1(0);
	if (!hist || !cl || ep < 0)
		die("setup");
	for (i = 0; i < conns + slow; i++) {
		cl[i].fd = -1;
		cl[i].slow = i >= conns;
		cl[i].doc = once ? (size_t)i % n_docs : (size_t)i % n_docs;
		reconnect(ep, &cl[i], (size_t)i);
	}
	start = now_us();
	stop_at = start + (int64_t)seconds * 1000000;
	while (once ? answered < (size_t)conns : now_us() < stop_at) {
		struct epoll_event evs[512];
		int n = epoll_wait(ep, evs, 512, 10), k;
		int64_t t = now_us();

		for (k = 0; k < n; k++) {
			struct client *c = &cl[evs[k].data.u64];
			struct doc *d = &docs[c->doc];

			if (c->done)
				continue;
			if ((evs[k].events & EPOLLOUT) && pump(ep, c, evs[k].data.u64) < 0) {
				n_err++;
				reconnect(ep, c, evs[k].data.u64);
				continue;
			}
			if (evs[k].events & (EPOLLIN | EPOLLHUP | EPOLLERR)) {
				char buf[65536];
				ssize_t r = recv(c->fd, buf, sizeof(buf), 0);
				const char *body;
				size_t blen;
				long total;

				if (r <= 0) {
					if (r < 0 && errno == EAGAIN)
						continue;
					/* A slow client closed by the server's timeout comes back. */
					if (!c->slow)
						n_err++;
					reconnect(ep, c, evs[k].data.u64);
					continue;
				}
				if (c->in_len + (size_t)r > c->in_cap) {
					c->in_cap = (c->in_len + (size_t)r) * 2;
					c->in = realloc(c->in, c->in_cap);
					if (!c->in)
						die("realloc");
				}
				memcpy(c->in + c->in_len, buf, (size_t)r);
				c->in_len += (size_t)r;
				total = answer_len(c, &body, &blen);
				if (total < 0) {
					n_err++;
					reconnect(ep, c, evs[k].data.u64);
					continue;
				}
				if (total == 0)
					continue;
				{
					bool allow = memmem(body, blen, "\"Allow\":true", 12) != NULL;
					int64_t us = now_us() - c->t0;

					n_req++;
					if (allow != d->allow)
						n_wrong++;
					hist[us < 0 ? 0 : (size_t)us > hist_max ? hist_max : (size_t)us]++;
				}
				memmove(c->in, c->in + total, c->in_len - (size_t)total);
				c->in_len -= (size_t)total;
				answered++;
				if (once) {
					c->done = true;
					continue;
				}
				c->doc = (c->doc + 1) % n_docs;
				c->off = 0;
				if (pump(ep, c, evs[k].data.u64) < 0) {
					n_err++;
					reconnect(ep, c, evs[k].data.u64);
				}
			}
		}
		/* Slow clients: one byte each per step, never a whole request. */
		for (i = conns; i < conns + slow; i++) {
			struct client *c = &cl[i];

			if (t >= c->next_byte && c->off + 1 < docs[c->doc].len) {
				if (send(c->fd, docs[c->doc].req + c->off, 1, MSG_NOSIGNAL) == 1)
					c->off++;
				c->next_byte = t + slow_step;
			}
		}
	}
	{
		double secs = (double)(now_us() - start) / 1e6;
		uint64_t seen = 0, p50 = 0, p99 = 0, p999 = 0, max = 0;
		size_t b;
		int held = 0;

		for (b = 0; b <= hist_max; b++) {
			if (!hist[b])
				continue;
			seen += hist[b];
			if (!p50 && seen * 2 >= n_req)
				p50 = b;
			if (!p99 && seen * 100 >= n_req * 99)
				p99 = b;
			if (!p999 && seen * 1000 >= n_req * 999)
				p999 = b;
			max = b;
		}
		for (i = conns; i < conns + slow; i++) {
			char c;

			if (recv(cl[i].fd, &c, 1, MSG_PEEK | MSG_DONTWAIT) < 0 && errno == EAGAIN)
				held++;
		}
		printf("requests=%llu seconds=%.2f rps=%.0f p50_us=%llu p99_us=%llu p999_us=%llu max_us=%llu "
		       "wrong=%llu errors=%llu slow_held=%d\n",
		       (unsigned long long)n_req, secs, (double)n_req / secs, (unsigned long long)p50,
		       (unsigned long long)p99, (unsigned long long)p999, (unsigned long long)max,
		       (unsigned long long)n_wrong, (unsigned long long)n_err, held);
	}
	return n_wrong || n_err ? 1 : 0;
}
