/*
 * The authz policy (see authz.h): classify the request by endpoints.def,
 * then judge the body of the few endpoints that can start something
 * insecure.  Every path out of hd_authz_decide() that is not a clean allow
 * is a deny, so an error anywhere fails closed.
 */
#include "core/common.h"
#include "core/buf.h"
#include "core/finding.h"
#include "core/limits.h"
#include "core/rule.h"
#include "authz/authz.h"
#include "parse/inspect.h"

#include <jansson.h>

static const struct {
	const char *method;
	const char *pattern;
	enum hd_authz_category cat;
	const char *name;
} endpoints[] = {
#define HD_AUTHZ_EP(m, p, c) { m, p, HD_AUTHZ_##c, #c },
#include "authz/endpoints.def"
#undef HD_AUTHZ_EP
};

const char *hd_authz_category_name(enum hd_authz_category c)
{
	size_t i;

	for (i = 0; i < HD_ARRAY_SIZE(endpoints); i++) {
		if (endpoints[i].cat == c)
			return endpoints[i].name;
	}
	return "OTHER";
}

/* Does path[0..n) match pattern, "*" standing for one non-empty segment? */
static bool path_match(const char *pat, const char *p, size_t n)
{
	const char *end = p + n;

	while (*pat) {
		if (*pat == '*') {
			const char *s = p;

			while (p < end && *p != '/')
				p++;
			if (p == s)
				return false;
			pat++;
			continue;
		}
		if (p == end || *p != *pat)
			return false;
		p++;
		pat++;
	}
	/* A trailing slash is the same endpoint to the daemon's router. */
	if (p < end && *p == '/' && p + 1 == end)
		p++;
	return p == end;
}

/* The path of uri without the query and the "/vX.Y" prefix. */
static void uri_path(const char *uri, const char **p, size_t *n)
{
	const char *q = uri + strcspn(uri, "?#");
	const char *s = uri;

	if (s[0] == '/' && s[1] == 'v' && isdigit((unsigned char)s[2])) {
		const char *t = s + 2;

		while (isdigit((unsigned char)*t) || *t == '.')
			t++;
		if (*t == '/' || t == q)
			s = t;
	}
	*p = s;
	*n = (size_t)(q - s);
}

enum hd_authz_category hd_authz_classify(const char *method, const char *uri)
{
	const char *p;
	size_t i, n;

	if (!method || !uri)
		return HD_AUTHZ_OTHER;
	uri_path(uri, &p, &n);
	for (i = 0; i < HD_ARRAY_SIZE(endpoints); i++) {
		if (strcmp(endpoints[i].method, method) == 0 && path_match(endpoints[i].pattern, p, n))
			return endpoints[i].cat;
	}
	return HD_AUTHZ_OTHER;
}

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

void hd_authz_decision_release(struct hd_authz_decision *d)
{
	if (!d)
		return;
	hd_free(d->msg);
	hd_free(d->rule_ids);
	hd_free(d->method);
	hd_free(d->uri);
	memset(d, 0, sizeof(*d));
}

/* Sets the verdict; msg and ids are taken over (NULL means ""). */
static int verdict(struct hd_authz_decision *d, bool allow, char *msg, char *ids)
{
	d->allow = allow;
	d->msg = msg ? msg : hd_strdup("");
	d->rule_ids = ids ? ids : hd_strdup("");
	if (!d->msg || !d->rule_ids)
		return -HD_ENOMEM;
	return 0;
}

static int deny_reason(struct hd_authz_decision *d, const char *what, const char *why)
{
	char *m = hd_asprintf("hardock: request denied: %s%s%s", what, why ? ": " : "", why ? why : "");

	if (!m)
		return -HD_ENOMEM;
	return verdict(d, false, m, NULL);
}

/* The ?name= of a create request, decoded enough for a message (NULL when absent). */
static char *query_name(const char *uri)
{
	const char *q = strchr(uri, '?'), *p;

	for (p = q; p; p = strchr(p + 1, '&')) {
		if (strncmp(p + 1, "name=", 5) == 0) {
			size_t n = strcspn(p + 6, "&#");

			return n ? hd_strndup(p + 6, n < 128 ? n : 128) : NULL;
		}
	}
	return NULL;
}

/* The decoded body of the request, or NULL with *err set when absent/undecodable. */
static int request_body(json_t *req, char **ret, size_t *ret_len, const char **err)
{
	json_t *b = json_object_get(req, "RequestBody");
	const char *s;
	size_t n;
	int r;

	*ret = NULL;
	*ret_len = 0;
	if (!b || json_is_null(b))
		return 0;
	if (!json_is_string(b)) {
		*err = "RequestBody is not a base64 string";
		return -HD_EPROTO;
	}
	s = json_string_value(b);
	n = json_string_length(b);
	r = hd_base64_decode(s, n, ret, ret_len);
	if (r == -HD_EINVAL)
		*err = "RequestBody is not valid base64";
	return r;
}

static int decide_create(const struct hd_config *cfg, enum hd_severity deny_at, const char *uri,
			 const char *body, size_t blen, struct hd_authz_decision *d)
{
	struct hd_container_spec *c = NULL;
	struct hd_diag diag = { 0 };
	struct hd_findings f;
	struct hd_model m = { .kind = HD_TARGET_CONTAINER, .cfg = cfg };
	struct hd_buf msg, ids;
	char *name = query_name(uri);
	size_t i, n_deny = 0;
	int r;

	hd_findings_init(&f);
	hd_buf_init(&msg, HD_MAX_MESSAGE * 4);
	hd_buf_init(&ids, HD_MAX_MESSAGE);
	if (!body) {
		r = deny_reason(d, "container create without a body", NULL);
		goto out;
	}
	r = hd_inspect_create_body(body, blen, name, &c, &diag);
	if (r == -HD_ENOMEM)
		goto out;
	if (r < 0) {
		r = deny_reason(d, "cannot read the container create body",
				diag.msg ? diag.msg : hd_strerror(r));
		goto out;
	}
	m.ctr = c;
	r = hd_run_rules(&m, &f);
	if (r < 0) {
		r = r == -HD_ENOMEM ? r : deny_reason(d, "rules failed", hd_strerror(r));
		goto out;
	}
	hd_findings_sort(&f);
	for (i = 0; i < f.n; i++) {
		const struct hd_finding *x = &f.v[i];

		if (deny_at == HD_SEV_NONE || x->severity < deny_at)
			continue;
		r = hd_buf_addf(&msg, "%s%s (%s): %s", n_deny ? "; " : "", x->rule->id,
				hd_severity_name(x->severity), x->message ? x->message : x->rule->title);
		if (r >= 0)
			r = hd_buf_addf(&ids, "%s%s", n_deny ? "," : "", x->rule->id);
		if (r == -HD_ETOOBIG) {
			/* The message is long enough to act on; the ids are the log's. */
			r = 0;
		}
		if (r < 0)
			goto out;
		n_deny++;
	}
	if (n_deny == 0) {
		r = verdict(d, true, NULL, NULL);
		goto out;
	}
	{
		char *m2 = hd_asprintf("hardock: container create denied (%zu finding%s at or above %s): %s",
				       n_deny, n_deny == 1 ? "" : "s", hd_severity_name(deny_at),
				       msg.buf);
		char *id = hd_strdup(ids.buf);

		if (!m2 || !id) {
			hd_free(m2);
			hd_free(id);
			r = -HD_ENOMEM;
			goto out;
		}
		r = verdict(d, false, m2, id);
	}
out:
	hd_buf_release(&msg);
	hd_buf_release(&ids);
	hd_findings_release(&f);
	hd_container_spec_free(c);
	hd_diag_release(&diag);
	hd_free(name);
	return r;
}

static int decide_exec(const char *body, size_t blen, struct hd_authz_decision *d)
{
	json_error_t je;
	json_t *j, *p;
	int r;

	if (!body || blen == 0)
		return verdict(d, true, NULL, NULL);
	j = json_loadb(body, blen, JSON_REJECT_DUPLICATES, &je);
	if (!j || !json_is_object(j)) {
		json_decref(j);
		return deny_reason(d, "exec body is not a JSON object", j ? NULL : je.text);
	}
	p = json_object_get(j, "Privileged");
	if (p && !json_is_boolean(p) && !json_is_null(p))
		r = deny_reason(d, "exec body: Privileged: expected a boolean", NULL);
	else if (json_is_true(p))
		r = verdict(d, false,
			    hd_strdup("hardock: privileged exec denied (CIS 5.23): run the command "
				      "without --privileged"),
			    hd_strdup("exec/privileged"));
	else
		r = verdict(d, true, NULL, NULL);
	json_decref(j);
	return r;
}

int hd_authz_decide(const struct hd_config *cfg, enum hd_severity deny_at, const char *req_json,
		    size_t len, struct hd_authz_decision *out)
{
	json_error_t je;
	json_t *req = NULL;
	const char *method, *uri, *err = NULL;
	char *body = NULL;
	size_t blen = 0;
	int r;

	memset(out, 0, sizeof(*out));
	out->category = HD_AUTHZ_OTHER;
	if (len > HD_MAX_AUTHZ_BODY) {
		r = deny_reason(out, "authorization request too large", NULL);
		goto out;
	}
	req = json_loadb(req_json, len, JSON_REJECT_DUPLICATES, &je);
	if (!req || !json_is_object(req)) {
		r = deny_reason(out, "authorization request is not a JSON object", req ? NULL : je.text);
		goto out;
	}
	method = json_string_value(json_object_get(req, "RequestMethod"));
	uri = json_string_value(json_object_get(req, "RequestUri"));
	out->method = hd_strdup(method ? method : "?");
	out->uri = hd_strdup(uri ? uri : "?");
	if (!out->method || !out->uri) {
		r = -HD_ENOMEM;
		goto out;
	}
	if (!method || !uri || !*method || *uri != '/') {
		r = deny_reason(out, "authorization request without RequestMethod or RequestUri", NULL);
		goto out;
	}
	out->category = hd_authz_classify(method, uri);
	if (out->category == HD_AUTHZ_OTHER) {
		r = verdict(out, true, NULL, NULL);
		goto out;
	}
	r = request_body(req, &body, &blen, &err);
	if (r == -HD_ENOMEM)
		goto out;
	if (r < 0) {
		r = deny_reason(out, err ? err : "cannot read RequestBody", NULL);
		goto out;
	}
	switch (out->category) {
	case HD_AUTHZ_CONTAINER_CREATE:
		r = decide_create(cfg, deny_at, uri, body, blen, out);
		break;
	case HD_AUTHZ_EXEC_CREATE:
	case HD_AUTHZ_EXEC_START:
		r = decide_exec(body, blen, out);
		break;
	default:
		r = deny_reason(out, "unknown endpoint category", NULL);
		break;
	}
out:
	hd_free(body);
	json_decref(req);
	if (r < 0) {
		/* Fail closed: whatever was half-built becomes a plain deny. */
		hd_free(out->msg);
		hd_free(out->rule_ids);
		out->allow = false;
		out->msg = hd_strdup("hardock: request denied: internal error (out of memory)");
		out->rule_ids = hd_strdup("");
		if (!out->msg || !out->rule_ids)
			return -HD_ENOMEM;
		return 0;
	}
	return 0;
}
