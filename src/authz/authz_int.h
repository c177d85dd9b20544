/*
 * Inside the authz policy: one judge per category of request that can
 * create or raise privilege (judge.c), and the helpers they share
 * (policy.c).  A judge reads the request's body and query, builds a
 * container spec with the settings the request asks for, and hands it to
 * hd_authz_judge_spec(), which runs the catalogue rules; or it decides
 * directly with hd_authz_allow()/hd_authz_deny().  Judges return 0 with the
 * verdict set in j->d, or a negative HD_E* (the caller then denies).
 */
#ifndef HD_AUTHZ_INT_H
#define HD_AUTHZ_INT_H

#include <stdbool.h>
#include <stdint.h>

#include <jansson.h>

#include "authz/authz.h"
#include "model/container.h"

struct hd_authz_judge {
	const struct hd_authz_policy *p;
	const struct hd_authz_route *rt;
	struct hd_authz_decision *d;
	const char *user;  /* the AuthZReq User ("" when none) */
	json_t *headers;   /* RequestHeaders (borrowed), or NULL */
	const char *body;  /* the decoded RequestBody, NULL when the daemon forwarded none */
	size_t blen;
};

/*
 * Runs the container rules on c (host facts added first unless the policy
 * says not to) and sets the verdict.  partial: the request sets only some
 * settings (an update, a volume, a pull), so findings about settings it
 * does not set (those located at the container itself) do not count.
 */
int hd_authz_judge_spec(struct hd_authz_judge *j, struct hd_container_spec *c, bool partial);

int hd_authz_allow(struct hd_authz_judge *j);
int hd_authz_deny(struct hd_authz_judge *j, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

/*
 * True when the daemon surely decodes no body either: the plugin saw none
 * and the request's Content-Length is at most max_len.
 */
bool hd_authz_body_surely_empty(const struct hd_authz_judge *j, int64_t max_len);

/*
 * A query parameter the daemon's handler reads (*ret owned, NULL when
 * absent).  Returns 1 when read, 0 when the request was denied instead (a
 * form body that may carry the parameter, an unparseable query), or a
 * negative HD_E*.
 */
int hd_authz_query(struct hd_authz_judge *j, const char *key, char **ret);

/* Whether the policy, or an exception for user, allows category c outright. */
bool hd_authz_category_allowed(const struct hd_authz_policy *p, const char *user,
			       enum hd_authz_category c);

/*
 * Reads the nth value of a query parameter as hd_authz_query() does (1 when
 * read, *ret NULL when there are fewer values; 0 when denied instead).
 */
int hd_authz_query_nth(struct hd_authz_judge *j, const char *key, unsigned nth, char **ret);

/* The judges (judge.c). */
int hd_authz_judge_create(struct hd_authz_judge *j);
int hd_authz_judge_start(struct hd_authz_judge *j);
int hd_authz_judge_update(struct hd_authz_judge *j);
int hd_authz_judge_exec(struct hd_authz_judge *j);
int hd_authz_judge_service(struct hd_authz_judge *j);
int hd_authz_judge_volume(struct hd_authz_judge *j);
int hd_authz_judge_plugin_pull(struct hd_authz_judge *j);
int hd_authz_judge_plugin_set(struct hd_authz_judge *j);
int hd_authz_judge_image_create(struct hd_authz_judge *j);
int hd_authz_judge_build(struct hd_authz_judge *j);
int hd_authz_judge_image_name(struct hd_authz_judge *j);

#endif
