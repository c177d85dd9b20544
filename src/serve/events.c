/*
 * Following the engine's events (serve_int.h): GET /events filtered to
 * containers and images, read line by line (one JSON object per line, each
 * at most HD_MAX_EVENT_LINE bytes), each event worth it queued for a
 * re-judgement.
 *
 * The engine going away ends the stream: hardock_engine_up drops to 0 at
 * once and the thread reconnects with exponential backoff (0.5 s doubling
 * to 30 s; reset once a connection has lasted 30 s).  Once the stream is
 * back, a full audit catches up with what happened meanwhile.  A line that
 * is not an event is skipped (and a full audit asked for, since an event
 * may have been lost); a stream of nothing but garbage is dropped and
 * reconnected.
 */
#include "core/common.h"
#include "core/limits.h"
#include "engine/client.h"
#include "parse/json.h"
#include "serve/serve_int.h"

#include <poll.h>

#define BACKOFF_MIN_MS 500
#define BACKOFF_MAX_MS 30000
#define STABLE_MS 30000
#define MALFORMED_MAX 1000u   /* per connection, before it is dropped */

/* What an action means for its object: judge it again, or it is gone. */
static const struct {
	enum hd_target kind;
	const char *action;
	bool gone;
} actions[] = {
	{ HD_TARGET_CONTAINER, "create", false },  { HD_TARGET_CONTAINER, "start", false },
	{ HD_TARGET_CONTAINER, "restart", false }, { HD_TARGET_CONTAINER, "die", false },
	{ HD_TARGET_CONTAINER, "update", false },  { HD_TARGET_CONTAINER, "rename", false },
	{ HD_TARGET_CONTAINER, "pause", false },   { HD_TARGET_CONTAINER, "unpause", false },
	{ HD_TARGET_CONTAINER, "destroy", true },  { HD_TARGET_IMAGE, "pull", false },
	{ HD_TARGET_IMAGE, "tag", false },         { HD_TARGET_IMAGE, "untag", false },
	{ HD_TARGET_IMAGE, "load", false },        { HD_TARGET_IMAGE, "import", false },
	{ HD_TARGET_IMAGE, "delete", true },
};

int sv_event_parse(const char *line, size_t len, struct sv_event *ev)
{
	struct hd_jr r = { 0 };
	struct hd_jv root, actor;
	const char *type = NULL, *action = NULL, *id = NULL;
	size_t i, alen;
	int rc;

	memset(ev, 0, sizeof(*ev));
	snprintf(r.what, sizeof(r.what), "engine event");
	rc = hd_jr_parse(&r, line, len, HD_JSON_REJECT_DUPLICATES, "the event stream");
	if (rc >= 0)
		rc = hd_jr_root(&r, &root);
	if (rc >= 0)
		rc = hd_jv_str(&r, &root, "Type", 0, &type, NULL);
	if (rc >= 0)
		rc = hd_jv_str(&r, &root, "Action", 0, &action, NULL);
	if (rc >= 0)
		rc = hd_jv_obj(&r, &root, "Actor", HD_JF_NULLABLE, &actor);
	if (rc >= 0 && actor.n)
		rc = hd_jv_str(&r, &actor, "ID", 0, &id, NULL);
	if (rc >= 0 && (!type || !action))
		rc = -HD_EPROTO;
	if (rc < 0)
		goto out;
	rc = 0;
	/* "exec_start: sh", "health_status: healthy": the action is the word before the colon. */
	alen = strcspn(action, ":");
	for (i = 0; i < HD_ARRAY_SIZE(actions); i++) {
		enum hd_target k = actions[i].kind;

		if (strcmp(type, k == HD_TARGET_CONTAINER ? "container" : "image") != 0 ||
		    strlen(actions[i].action) != alen || strncmp(action, actions[i].action, alen) != 0)
			continue;
		if (!id || !*id || strlen(id) >= sizeof(ev->id)) {
			rc = -HD_EPROTO;
			break;
		}
		ev->kind = k;
		ev->gone = actions[i].gone;
		memcpy(ev->id, id, strlen(id) + 1);
		rc = 1;
		break;
	}
out:
	hd_jr_release(&r);
	return rc == -HD_ENOMEM ? rc : rc < 0 ? -HD_EPROTO : rc;
}

struct follow {
	struct hd_server *s;
	struct sv_lines lines;
	bool connected;
	int64_t connected_at;
};

static void malformed(struct follow *f)
{
	if (!f->lines.malformed)
		sv_log(f->s, true, "the engine's event stream holds something that is not an event; "
		       "skipped, and a full audit will catch up");
	f->lines.malformed++;
	sv_want_audit(f->s);
}

static void on_line(struct follow *f, const char *p, size_t n)
{
	struct sv_event ev;
	int r;

	while (n && (p[n - 1] == '\r' || p[n - 1] == ' '))
		n--;
	if (!n)
		return;
	r = sv_event_parse(p, n, &ev);
	if (r > 0) {
		f->lines.events++;
		sv_queue_event(f->s, &ev);
	} else if (r == 0) {
		f->lines.events++;
	} else {
		malformed(f);
	}
}

static int on_data(void *ctx, const void *data, size_t n)
{
	struct follow *f = ctx;
	const char *p = data, *end = p + n;

	while (p < end) {
		const char *nl = memchr(p, '\n', (size_t)(end - p));
		size_t k = nl ? (size_t)(nl - p) : (size_t)(end - p);

		if (f->lines.skipping) {
			/* The rest of a line that went over the cap. */
			if (nl)
				f->lines.skipping = false;
		} else if (f->lines.line.len + k > HD_MAX_EVENT_LINE) {
			hd_buf_reset(&f->lines.line);
			f->lines.skipping = !nl;
			malformed(f);
		} else if (hd_buf_add(&f->lines.line, p, k) < 0) {
			return 1;
		} else if (nl) {
			on_line(f, f->lines.line.buf, f->lines.line.len);
			hd_buf_reset(&f->lines.line);
		}
		p += k + (nl ? 1 : 0);
	}
	/* Nothing but garbage: not an engine worth listening to on this connection. */
	return f->lines.malformed > MALFORMED_MAX && f->lines.malformed > f->lines.events ? 1 : 0;
}

static int on_tick(void *ctx, long status)
{
	struct follow *f = ctx;

	if (!f->connected && status >= 200 && status < 300) {
		f->connected = true;
		f->connected_at = sv_now_ms();
		atomic_store(&f->s->engine_up, 1);
		sv_want_audit(f->s);
	}
	return *f->s->stop ? 1 : 0;
}

/* Sleeps ms, or less when stopping. */
static void pause_ms(struct hd_server *s, int64_t ms)
{
	int64_t until = sv_now_ms() + ms, left;

	while (!*s->stop && (left = until - sv_now_ms()) > 0)
		poll(NULL, 0, left < 100 ? (int)left : 100);
}

void *sv_events_main(void *arg)
{
	static const char filters[] = "{\"type\":[\"container\",\"image\"]}";
	struct hd_server *s = arg;
	struct hd_engine_client_opts co = { .connect_timeout_ms = 5000, .timeout_ms = 10000, .parallel = 1 };
	int64_t backoff = BACKOFF_MIN_MS;
	bool said_down = false;

	while (!*s->stop) {
		struct follow f = { .s = s };
		struct hd_engine *e = NULL;
		struct hd_engine_req q = { 0 };
		char *err = NULL;
		int r;

		hd_buf_init(&f.lines.line, HD_MAX_EVENT_LINE + 1);
		r = hd_engine_open(&s->ep, &co, &e);
		if (r >= 0)
			r = hd_engine_negotiate(e, &err);
		if (r >= 0) {
			r = hd_engine_follow(e, HD_API_EVENTS, filters, on_data, on_tick, &f, &q);
			if (r < 0 && q.errmsg)
				err = hd_strdup(q.errmsg);
		}
		atomic_store(&s->engine_up, 0);
		atomic_store(&s->engine_known, true);
		if (*s->stop || r == -HD_ECANCELED) {
			/* Stopping. */
		} else if (f.connected) {
			sv_log(s, true, "lost the engine's event stream (%s); the last results stay, "
			       "reconnecting", err ? err : r < 0 ? hd_strerror(r) : "the engine ended it");
			said_down = false;
		} else if (!said_down) {
			sv_log(s, true, "cannot follow the engine's events: %s; retrying with backoff",
			       err ? err : hd_strerror(r));
			said_down = true;
		}
		if (f.connected && sv_now_ms() - f.connected_at >= STABLE_MS)
			backoff = BACKOFF_MIN_MS;
		hd_free(err);
		hd_engine_req_release(&q);
		hd_engine_close(e);
		hd_buf_release(&f.lines.line);
		if (*s->stop)
			break;
		pause_ms(s, backoff);
		backoff = backoff * 2 > BACKOFF_MAX_MS ? BACKOFF_MAX_MS : backoff * 2;
	}
	return NULL;
}
