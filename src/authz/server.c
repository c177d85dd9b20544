/*
 * The authorization plugin's HTTP server: libmicrohttpd on a unix socket we
 * bind ourselves (mode 0660), speaking the Docker plugin protocol:
 * /Plugin.Activate, /AuthZPlugin.AuthZReq and /AuthZPlugin.AuthZRes.  Each
 * request body is collected into a bounded buffer (HD_MAX_AUTHZ_BODY) and
 * handed to the pure policy in policy.c.  Anything unexpected on the AuthZReq
 * path (too large, OOM) is answered with a deny, and every deny is logged to
 * stderr with its rule ids.
 */
#include "core/common.h"
#include "core/buf.h"
#include "core/limits.h"
#include "authz/authz.h"

#include <errno.h>
#include <jansson.h>
#include <microhttpd.h>
#include <poll.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <unistd.h>

struct server {
	const struct hd_config *cfg;
	enum hd_severity deny_at;
};

/* Per-connection state: the request body read so far. */
struct conn {
	struct hd_buf body;
	bool too_big;
	bool oom;
};

static void log_deny(const struct hd_authz_decision *d)
{
	fprintf(stderr, "hardock authz: deny %s %s rules=[%s]: %s\n", d->method ? d->method : "?",
		d->uri ? d->uri : "?", d->rule_ids ? d->rule_ids : "", d->msg ? d->msg : "");
	fflush(stderr);
}

static enum MHD_Result send_json(struct MHD_Connection *c, unsigned status, const char *text)
{
	struct MHD_Response *resp;
	enum MHD_Result ret;

	resp = MHD_create_response_from_buffer(strlen(text), (void *)(uintptr_t)text,
					       MHD_RESPMEM_MUST_COPY);
	if (!resp)
		return MHD_NO;
	MHD_add_response_header(resp, "Content-Type", "application/vnd.docker.plugins.v1+json");
	ret = MHD_queue_response(c, status, resp);
	MHD_destroy_response(resp);
	return ret;
}

/* {"Allow":..,"Msg":..,"Err":""} for d; a fixed deny when even that fails. */
static enum MHD_Result send_decision(struct MHD_Connection *c, bool allow, const char *msg)
{
	static const char fallback[] =
		"{\"Allow\":false,\"Msg\":\"hardock: request denied: internal error\",\"Err\":\"\"}";
	json_t *j = json_pack("{s:b,s:s,s:s}", "Allow", allow, "Msg", msg ? msg : "", "Err", "");
	char *text = j ? json_dumps(j, JSON_COMPACT) : NULL;
	enum MHD_Result ret;

	json_decref(j);
	ret = send_json(c, MHD_HTTP_OK, text ? text : fallback);
	free(text); /* jansson allocates with malloc */
	return ret;
}

static enum MHD_Result handle_authz_req(struct server *s, struct MHD_Connection *mc, struct conn *cs)
{
	struct hd_authz_decision d;
	enum MHD_Result ret;
	int r;

	if (cs->too_big || cs->oom) {
		const char *why = cs->too_big ? "hardock: request denied: authorization request too large"
					      : "hardock: request denied: internal error (out of memory)";

		fprintf(stderr, "hardock authz: deny rules=[]: %s\n", why);
		return send_decision(mc, false, why);
	}
	r = hd_authz_decide(s->cfg, s->deny_at, cs->body.buf, cs->body.len, &d);
	if (r < 0) {
		fprintf(stderr, "hardock authz: deny rules=[]: internal error: %s\n", hd_strerror(r));
		return send_decision(mc, false, "hardock: request denied: internal error");
	}
	if (!d.allow)
		log_deny(&d);
	ret = send_decision(mc, d.allow, d.msg);
	hd_authz_decision_release(&d);
	return ret;
}

static enum MHD_Result on_request(void *cls, struct MHD_Connection *mc, const char *url,
				  const char *method, const char *version, const char *upload_data,
				  size_t *upload_size, void **req_cls)
{
	struct server *s = cls;
	struct conn *cs = *req_cls;

	if (!cs) {
		cs = hd_calloc(1, sizeof(*cs));
		if (!cs)
			return MHD_NO;
		hd_buf_init(&cs->body, HD_MAX_AUTHZ_BODY);
		*req_cls = cs;
		return MHD_YES;
	}
	if (*upload_size) {
		if (!cs->too_big && !cs->oom) {
			int r = hd_buf_add(&cs->body, upload_data, *upload_size);

			if (r == -HD_ETOOBIG) {
				cs->too_big = true;
				hd_buf_release(&cs->body);
				hd_buf_init(&cs->body, HD_MAX_AUTHZ_BODY);
			} else if (r < 0) {
				cs->oom = true;
			}
		}
		*upload_size = 0;
		return MHD_YES;
	}
	if (strcmp(method, "POST") != 0)
		return send_json(mc, MHD_HTTP_METHOD_NOT_ALLOWED, "{\"Err\":\"method not allowed\"}");
	if (strcmp(url, "/Plugin.Activate") == 0)
		return send_json(mc, MHD_HTTP_OK, "{\"Implements\":[\"authz\"]}");
	if (strcmp(url, "/AuthZPlugin.AuthZReq") == 0)
		return handle_authz_req(s, mc, cs);
	if (strcmp(url, "/AuthZPlugin.AuthZRes") == 0)
		return send_decision(mc, true, "");
	return send_json(mc, MHD_HTTP_NOT_FOUND, "{\"Err\":\"unknown plugin endpoint\"}");
}

static void on_completed(void *cls, struct MHD_Connection *mc, void **req_cls,
			 enum MHD_RequestTerminationCode toe)
{
	struct conn *cs = *req_cls;

	if (!cs)
		return;
	hd_buf_release(&cs->body);
	hd_free(cs);
	*req_cls = NULL;
}

/* Binds and listens on path with mode 0660; an old socket file is replaced. */
static int listen_unix(const char *path, int *ret_fd)
{
	struct sockaddr_un sa = { .sun_family = AF_UNIX };
	struct stat st;
	mode_t old;
	int fd, r;

	if (strlen(path) >= sizeof(sa.sun_path))
		return -HD_EINVAL;
	memcpy(sa.sun_path, path, strlen(path) + 1);
	if (lstat(path, &st) == 0) {
		if (!S_ISSOCK(st.st_mode))
			return -HD_EINVAL;
		if (unlink(path) < 0)
			return -HD_EIO;
	}
	fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
	if (fd < 0)
		return -HD_EIO;
	old = umask(0117);
	r = bind(fd, (struct sockaddr *)&sa, sizeof(sa));
	umask(old);
	if (r < 0 || chmod(path, 0660) < 0 || listen(fd, 64) < 0) {
		close(fd);
		return -HD_EIO;
	}
	*ret_fd = fd;
	return 0;
}

int hd_authz_serve(const struct hd_config *cfg, enum hd_severity deny_at, const char *path,
		   volatile sig_atomic_t *stop)
{
	struct server s = { .cfg = cfg, .deny_at = deny_at };
	struct MHD_Daemon *d;
	int fd, r;

	r = listen_unix(path, &fd);
	if (r < 0)
		return r;
	d = MHD_start_daemon(MHD_USE_INTERNAL_POLLING_THREAD, 0, NULL, NULL, on_request, &s,
			     MHD_OPTION_LISTEN_SOCKET, (MHD_socket)fd,
			     MHD_OPTION_NOTIFY_COMPLETED, on_completed, NULL,
			     MHD_OPTION_CONNECTION_TIMEOUT, (unsigned int)30,
			     MHD_OPTION_END);
	if (!d) {
		close(fd);
		unlink(path);
		return -HD_EIO;
	}
	while (!*stop)
		poll(NULL, 0, 100);
	MHD_stop_daemon(d);
	unlink(path);
	return 0;
}
