/*
 * The Docker authorization plugin's policy: one pure function that reads an
 * AuthZReq (the JSON the daemon sends to /AuthZPlugin.AuthZReq, see
 * pkg/authorization/api.go) and decides allow or deny.
 *
 * Match order: the request's (method, path) is looked up in endpoints.def
 * (first match wins).  CONTAINER_CREATE: the base64 body is decoded into a
 * container_spec and the container rules run under the config; any finding
 * at or above deny_at denies.  EXEC_CREATE and EXEC_START: "Privileged":
 * true denies (CIS 5.23).  Anything else is allowed.  Fail closed: a request
 * or body that cannot be read, decoded or parsed, and any internal error
 * (OOM included), denies with the reason.
 *
 * Ownership: the decision owns its strings; release it with
 * hd_authz_decision_release().
 */
#ifndef HD_AUTHZ_H
#define HD_AUTHZ_H

#include <stdbool.h>
#include <signal.h>
#include <stddef.h>

#include "core/config.h"
#include "core/severity.h"

enum hd_authz_category {
#define HD_AUTHZ_EP(method, pattern, cat) HD_AUTHZ_##cat,
#include "authz/endpoints.def"
#undef HD_AUTHZ_EP
	HD_AUTHZ_OTHER,
	HD_AUTHZ_CATEGORY_MAX
};

struct hd_authz_decision {
	bool allow;
	enum hd_authz_category category;
	char *msg;      /* for the daemon's user: reasons of a deny, "" when allowed */
	char *rule_ids; /* "container/privileged,container/docker-socket-mount" or "" */
	char *method;   /* the request's method and URI, for the log ("?" when unknown) */
	char *uri;
};

void hd_authz_decision_release(struct hd_authz_decision *d);

/*
 * Decides one AuthZReq (req_json[0..len)).  Always fills *out (a deny on any
 * error) when it returns 0; returns -HD_ENOMEM only when not even the deny
 * could be built (the caller must then deny too).
 */
int hd_authz_decide(const struct hd_config *cfg, enum hd_severity deny_at, const char *req_json,
		    size_t len, struct hd_authz_decision *out);

/* The category of (method, uri) per endpoints.def; HD_AUTHZ_OTHER when none. */
enum hd_authz_category hd_authz_classify(const char *method, const char *uri);
const char *hd_authz_category_name(enum hd_authz_category c);

/* Decodes standard base64 (padding optional, no whitespace); 0 or -HD_EINVAL/-HD_ENOMEM. */
int hd_base64_decode(const char *s, size_t n, char **ret, size_t *ret_len);

/*
 * The plugin server: listens on the unix socket `path` (created with mode
 * 0660; an existing socket file is replaced) and answers the daemon until
 * *stop becomes nonzero.  Denies are logged to stderr.  0 or negative HD_E*.
 */
int hd_authz_serve(const struct hd_config *cfg, enum hd_severity deny_at, const char *path,
		   volatile sig_atomic_t *stop);

#endif
