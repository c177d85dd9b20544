/*
 * The authz decision (see authz.h for the order): read the AuthZReq, route
 * it, and for the categories that can create or raise privilege turn the
 * request into a container spec and run the catalogue's container rules on
 * it.  Every path out of hd_authz_decide() that is not a clean allow is a
 * deny, so an error anywhere fails closed.
 *
 * What the daemon decodes and what the plugin sees differ in two ways this
 * file accounts for.  dockerd forwards a body only when it is JSON and under
 * 1 MiB, so a judged request without a body is denied unless its
 * Content-Length says the daemon has nothing to decode either.  And a
 * handler's form values come from a urlencoded or multipart body before the
 * query, so a request whose parameters are judged is denied when its body
 * is such a form.
 */
#include "core/common.h"
#include "core/buf.h"
#include "core/finding.h"
#include "core/limits.h"
#include "core/rule.h"
#include "authz/authz.h"
#include "authz/authz_int.h"
#include "model/container.h"

#include <jansson.h>
#include <sys/stat.h>
#include <time.h>

/* ---- base64 ------------------------------------------------------------------------ */

static int b64_value(unsigned char c)
{
	if (c >= 'A' && c <= 'Z')
		return c - 'A';
	if (c >= 'a' && c <= 'z')
		return c - 'a' + 26;
	if (c >= '0' && c <= '9')
		return c - '0' + 52;
	if (c == '+')
		return 62;
	if (c == '/')
		return 63;
	return -1;
}

int hd_base64_decode(const char *s, size_t n, char **ret, size_t *ret_len)
{
	unsigned acc = 0, bits = 0;
	size_t i, o = 0, cap;
	char *out;

	while (n > 0 && s[n - 1] == '=')
		n--;
	if (n % 4 == 1)
		return -HD_EINVAL;
	cap = n / 4 * 3 + 3;
	out = hd_malloc(cap + 1);
	if (!out)
		return -HD_ENOMEM;
	for (i = 0; i < n; i++) {
		int v = b64_value((unsigned char)s[i]);

		if (v < 0) {
			hd_free(out);
			return -HD_EINVAL;
		}
		acc = (acc << 6) | (unsigned)v;
		bits += 6;
		if (bits >= 8) {
			bits -= 8;
			out[o++] = (char)((acc >> bits) & 0xff);
		}
	}
	out[o] = '\0';
	*ret = out;
	*ret_len = o;
	return 0;
}

/* ---- decisions ------------------------------------------------------------------------ */

void hd_authz_decision_release(struct hd_authz_decision *d)
{
	if (!d)
		return;
	hd_free(d->msg);
	hd_free(d->rule_ids);
	hd_free(d->method);
	hd_free(d->uri);
	hd_free(d->user);
	memset(d, 0, sizeof(*d));
}

/* Sets the verdict; msg and ids are taken over (NULL means ""). */
static int verdict(struct hd_authz_decision *d, bool allow, char *msg, char *ids)
{
	hd_free(d->msg);
	hd_free(d->rule_ids);
	d->allow = allow;
	d->msg = msg ? msg : hd_strdup("");
	d->rule_ids = ids ? ids : hd_strdup("");
	if (!d->msg || !d->rule_ids)
		return -HD_ENOMEM;
	return 0;
}

static int allow(struct hd_authz_decision *d)
{
	return verdict(d, true, NULL, NULL);
}

static int deny(struct hd_authz_decision *d, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static int deny(struct hd_authz_decision *d, const char *fmt, ...)
{
	char why[HD_MAX_MESSAGE];
	va_list ap;
	char *m;

	va_start(ap, fmt);
	vsnprintf(why, sizeof(why), fmt, ap);
	va_end(ap);
	m = hd_asprintf("hardock: %s denied: %s", hd_authz_category_name(d->category), why);
	if (!m)
		return -HD_ENOMEM;
	return verdict(d, false, m, NULL);
}

/* ---- the request ------------------------------------------------------------------------ */

/* A header of the request (Go canonicalises names; compare without case). */
static const char *header(const struct hd_authz_judge *j, const char *name)
{
	const char *k;
	json_t *v;

	if (!j->headers)
		return NULL;
	json_object_foreach(j->headers, k, v) {
		if (hd_streq_nocase(k, name))
			return json_string_value(v);
	}
	return NULL;
}

bool hd_authz_body_surely_empty(const struct hd_authz_judge *j, int64_t max_len)
{
	const char *cl = header(j, "Content-Length");
	int64_t n;

	if (j->body && j->blen > 0)
		return false;
	return cl && hd_parse_i64(cl, 0, INT64_MAX, &n) == 0 && n <= max_len;
}

/* Is the request body a form whose fields Go's handlers read before the query? */
static bool form_body(const struct hd_authz_judge *j)
{
	const char *ct = header(j, "Content-Type");
	size_t n;

	if (!ct)
		return false;
	while (*ct == ' ' || *ct == '\t')
		ct++;
	n = strcspn(ct, "; \t");
	return (n == 33 && !strncasecmp(ct, "application/x-www-form-urlencoded", n)) ||
	       (n == 19 && !strncasecmp(ct, "multipart/form-data", n));
}

int hd_authz_query(struct hd_authz_judge *j, const char *key, char **ret)
{
	return hd_authz_query_nth(j, key, 0, ret);
}

int hd_authz_query_nth(struct hd_authz_judge *j, const char *key, unsigned nth, char **ret)
{
	int r;

	if (form_body(j)) {
		*ret = NULL;
		return deny(j->d, "its parameters may come from a form body the daemon reads but does "
			    "not forward to the plugin; send them in the query");
	}
	r = hd_authz_query_get_nth(j->rt->query, key, nth, ret);
	if (r == -HD_EINVAL)
		return deny(j->d, "the query string cannot be parsed (a ';' or a bad escape; dockerd "
			    "refuses it too)");
	return r < 0 ? r : 1;
}

/* ---- judging a spec ------------------------------------------------------------------------ */

/* Facts of this host the rules take as input: which bind sources are unix sockets. */
static void host_facts(const struct hd_authz_policy *p, struct hd_container_spec *c)
{
	size_t i;

	if (p->no_host_facts)
		return;
	for (i = 0; i < c->n_mounts; i++) {
		struct hd_mount *m = &c->mounts[i];
		struct stat st;

		if (m->type != HD_MOUNT_BIND || !m->source || m->source[0] != '/')
			continue;
		/* Follow links as the bind mount will. */
		if (stat(m->source, &st) == 0 && S_ISSOCK(st.st_mode))
			m->source_is_socket = true;
	}
}

static bool exception_covers(const struct hd_authz_policy *p, const char *user, const char *rule)
{
	size_t i;

	for (i = 0; i < p->n_exceptions; i++) {
		const struct hd_authz_exception *e = &p->exceptions[i];

		if (strcmp(e->user, user) != 0)
			continue;
		if (hd_strlist_has(&e->rules, "*") || hd_strlist_has(&e->rules, rule))
			return true;
	}
	return false;
}

bool hd_authz_category_allowed(const struct hd_authz_policy *p, const char *user,
			       enum hd_authz_category c)
{
	size_t i;

	if (p->allow & (1u << c))
		return true;
	for (i = 0; i < p->n_exceptions; i++) {
		if (!strcmp(p->exceptions[i].user, user) && (p->exceptions[i].allow & (1u << c)))
			return true;
	}
	return false;
}

int hd_authz_judge_spec(struct hd_authz_judge *j, struct hd_container_spec *c, bool partial)
{
	const struct hd_authz_policy *p = j->p;
	struct hd_model m = { .kind = HD_TARGET_CONTAINER, .cfg = &p->cfg };
	struct hd_findings f;
	struct hd_buf msg, ids;
	size_t i, n_deny = 0;
	int r;

	host_facts(p, c);
	m.ctr = c;
	hd_findings_init(&f);
	hd_buf_init(&msg, HD_MAX_MESSAGE * 4);
	hd_buf_init(&ids, HD_MAX_MESSAGE);
	r = hd_run_rules(&m, &f);
	if (r < 0)
		goto out;
	hd_findings_sort(&f);
	for (i = 0; i < f.n; i++) {
		const struct hd_finding *x = &f.v[i];
		bool enforced = hd_strlist_has(&p->deny_rules, x->rule->id);

		/* A partial request answers only for the settings it sets. */
		if (partial && !x->field)
			continue;
		if (!enforced && (p->deny_at == HD_SEV_NONE || x->severity < p->deny_at))
			continue;
		if (exception_covers(p, j->user, x->rule->id))
			continue;
		r = hd_buf_addf(&msg, "%s%s (%s): %s", n_deny ? "; " : "", x->rule->id,
				hd_severity_name(x->severity), x->message ? x->message : x->rule->title);
		if (r >= 0 && !strstr(ids.buf, x->rule->id))
			r = hd_buf_addf(&ids, "%s%s", ids.len ? "," : "", x->rule->id);
		/* A message this long is enough to act on; the ids are the log's. */
		if (r == -HD_ETOOBIG)
			r = 0;
		if (r < 0)
			goto out;
		n_deny++;
	}
	if (n_deny == 0) {
		r = allow(j->d);
		goto out;
	}
	{
		char *m2 = hd_asprintf("hardock: %s denied (%zu finding%s): %s",
				       hd_authz_category_name(j->d->category), n_deny,
				       n_deny == 1 ? "" : "s", msg.buf);
		char *id = hd_strdup(ids.buf);

		if (!m2 || !id) {
			hd_free(m2);
			hd_free(id);
			r = -HD_ENOMEM;
			goto out;
		}
		r = verdict(j->d, false, m2, id);
	}
out:
	hd_buf_release(&msg);
	hd_buf_release(&ids);
	hd_findings_release(&f);
	return r;
}

int hd_authz_deny(struct hd_authz_judge *j, const char *fmt, ...)
{
	char why[HD_MAX_MESSAGE];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(why, sizeof(why), fmt, ap);
	va_end(ap);
	return deny(j->d, "%s", why);
}

int hd_authz_allow(struct hd_authz_judge *j)
{
	return allow(j->d);
}

/* ---- the decision ------------------------------------------------------------------------ */

static int (*const judges[HD_AUTHZ_CATEGORY_MAX])(struct hd_authz_judge *) = {
	[HD_AUTHZ_CONTAINER_CREATE] = hd_authz_judge_create,
	[HD_AUTHZ_CONTAINER_START] = hd_authz_judge_start,
	[HD_AUTHZ_CONTAINER_UPDATE] = hd_authz_judge_update,
	[HD_AUTHZ_EXEC_CREATE] = hd_authz_judge_exec,
	[HD_AUTHZ_SERVICE_CREATE] = hd_authz_judge_service,
	[HD_AUTHZ_SERVICE_UPDATE] = hd_authz_judge_service,
	[HD_AUTHZ_VOLUME_CREATE] = hd_authz_judge_volume,
	[HD_AUTHZ_PLUGIN_PULL] = hd_authz_judge_plugin_pull,
	[HD_AUTHZ_PLUGIN_UPGRADE] = hd_authz_judge_plugin_pull,
	[HD_AUTHZ_PLUGIN_SET] = hd_authz_judge_plugin_set,
	[HD_AUTHZ_IMAGE_CREATE] = hd_authz_judge_image_create,
	[HD_AUTHZ_BUILD] = hd_authz_judge_build,
	[HD_AUTHZ_IMAGE_NAME] = hd_authz_judge_image_name,
};

/* A string member of the AuthZReq; -HD_EPROTO when it is there but not a string. */
static int req_str(json_t *req, const char *key, const char **ret)
{
	json_t *v = json_object_get(req, key);

	*ret = NULL;
	if (!v || json_is_null(v))
		return 0;
	if (!json_is_string(v))
		return -HD_EPROTO;
	*ret = json_string_value(v);
	return 0;
}

static int decide(const struct hd_authz_policy *p, const char *req_json, size_t len,
		  struct hd_authz_decision *out)
{
	struct hd_authz_route rt;
	struct hd_authz_judge j = { .p = p, .rt = &rt, .d = out };
	json_error_t je;
	json_t *req = NULL, *hdrs, *b;
	const char *method, *uri, *user, *why = NULL;
	char *body = NULL;
	int r;

	memset(&rt, 0, sizeof(rt));
	if (len > HD_MAX_AUTHZ_BODY)
		return deny(out, "the authorization request is larger than %u bytes",
			    (unsigned)HD_MAX_AUTHZ_BODY);
	req = json_loadb(req_json, len, JSON_REJECT_DUPLICATES, &je);
	if (!req || !json_is_object(req)) {
		r = deny(out, "the authorization request is not a JSON object%s%s", req ? "" : ": ",
			 req ? "" : je.text);
		goto out;
	}
	if (req_str(req, "RequestMethod", &method) < 0 || req_str(req, "RequestUri", &uri) < 0 ||
	    req_str(req, "User", &user) < 0) {
		r = deny(out, "the authorization request has a member of the wrong type");
		goto out;
	}
	out->method = hd_strdup(method ? method : "?");
	out->uri = hd_strdup(uri ? uri : "?");
	out->user = hd_strdup(user ? user : "");
	if (!out->method || !out->uri || !out->user) {
		r = -HD_ENOMEM;
		goto out;
	}
	j.user = out->user;
	if (!method || !uri || !*method) {
		r = deny(out, "the authorization request has no RequestMethod or RequestUri");
		goto out;
	}
	r = hd_authz_route(method, uri, &rt, &why);
	if (r < 0)
		goto out;
	out->category = rt.cat;
	switch (hd_authz_category_action(rt.cat)) {
	case HD_AUTHZ_ALLOW:
		r = allow(out);
		goto out;
	case HD_AUTHZ_DENY:
		if (hd_authz_category_allowed(p, j.user, rt.cat))
			r = allow(out);
		else if (why)
			r = deny(out, "%s", why);
		else
			r = deny(out, "%s requests cannot be judged and are denied unless the policy "
				 "allows them ('allow: [%s]')", hd_authz_category_name(rt.cat),
				 hd_authz_category_name(rt.cat));
		goto out;
	case HD_AUTHZ_JUDGE:
		break;
	}
	hdrs = json_object_get(req, "RequestHeaders");
	j.headers = json_is_object(hdrs) ? hdrs : NULL;
	b = json_object_get(req, "RequestBody");
	if (b && !json_is_null(b)) {
		if (!json_is_string(b)) {
			r = deny(out, "RequestBody is not a base64 string");
			goto out;
		}
		r = hd_base64_decode(json_string_value(b), json_string_length(b), &body, &j.blen);
		if (r == -HD_EINVAL) {
			r = deny(out, "RequestBody is not valid base64");
			goto out;
		}
		if (r < 0)
			goto out;
		j.body = body;
	}
	if (hd_authz_category_allowed(p, j.user, rt.cat)) {
		r = allow(out);
		goto out;
	}
	r = judges[rt.cat] ? judges[rt.cat](&j) : deny(out, "no judge for this category");
out:
	hd_free(body);
	hd_authz_route_release(&rt);
	json_decref(req);
	return r;
}

int hd_authz_decide(const struct hd_authz_policy *p, const char *req_json, size_t len,
		    struct hd_authz_decision *out)
{
	int r;

	memset(out, 0, sizeof(*out));
	out->category = HD_AUTHZ_UNROUTED;
	r = decide(p, req_json, len, out);
	if (r >= 0 && out->msg && out->rule_ids) {
		if (!out->method)
			out->method = hd_strdup("?");
		if (!out->uri)
			out->uri = hd_strdup("?");
		if (!out->user)
			out->user = hd_strdup("");
		if (out->method && out->uri && out->user)
			return 0;
		r = -HD_ENOMEM;
	}
	/* Fail closed: whatever was half-built becomes a plain deny. */
	hd_free(out->msg);
	hd_free(out->rule_ids);
	out->allow = false;
	out->msg = hd_asprintf("hardock: request denied: internal error (%s)",
			       hd_strerror(r < 0 ? r : -HD_ENOMEM));
	out->rule_ids = hd_strdup("");
	if (!out->method)
		out->method = hd_strdup("?");
	if (!out->uri)
		out->uri = hd_strdup("?");
	if (!out->user)
		out->user = hd_strdup("");
	if (!out->msg || !out->rule_ids || !out->method || !out->uri || !out->user) {
		hd_authz_decision_release(out);
		return -HD_ENOMEM;
	}
	return 0;
}

/* ---- the decision log ------------------------------------------------------------------------ */

static int add_json_str(struct hd_buf *b, const char *key, const char *s, size_t max)
{
	size_t n = s ? strlen(s) : 0;
	int r;

	r = hd_buf_addf(b, ",\"%s\":\"", key);
	if (r >= 0)
		r = hd_buf_add_json_escaped(b, s ? s : "", n < max ? n : max);
	if (r >= 0)
		r = hd_buf_addch(b, '"');
	return r;
}

int hd_authz_log_line(const struct hd_authz_decision *d, long long now, struct hd_buf *out)
{
	char ts[32];
	struct tm tm;
	time_t t = (time_t)now;
	const char *p;
	int r;

	if (!gmtime_r(&t, &tm) || !strftime(ts, sizeof(ts), "%Y-%m-%dT%H:%M:%SZ", &tm))
		snprintf(ts, sizeof(ts), "%lld", now);
	r = hd_buf_addf(out, "{\"time\":\"%s\"", ts);
	if (r >= 0)
		r = add_json_str(out, "user", d->user, 256);
	if (r >= 0)
		r = add_json_str(out, "method", d->method, 32);
	if (r >= 0)
		r = add_json_str(out, "uri", d->uri, 1024);
	if (r >= 0)
		r = hd_buf_addf(out, ",\"endpoint\":\"%s\",\"decision\":\"%s\",\"rules\":[",
				hd_authz_category_name(d->category), d->allow ? "allow" : "deny");
	for (p = d->rule_ids; r >= 0 && p && *p;) {
		size_t n = strcspn(p, ",");

		r = hd_buf_addf(out, "%s\"%.*s\"", p == d->rule_ids ? "" : ",", (int)n, p);
		p += n;
		if (*p == ',')
			p++;
	}
	if (r >= 0)
		r = hd_buf_addch(out, ']');
	if (r >= 0 && !d->allow)
		r = add_json_str(out, "reason", d->msg, 2048);
	if (r >= 0)
		r = hd_buf_addstr(out, "}\n");
	return r;
}
