/*
 * Helpers the Engine API readers share (see inspect_int.h), and the RFC 3339
 * time parser of inspect.h.
 */
#include "core/common.h"
#include "parse/inspect_int.h"

int hd_ij_open(struct hd_jr *r, const char *json, size_t len, bool want_array, struct hd_jv *root)
{
	int rc = hd_jr_parse(r, json, len, HD_JSON_REJECT_DUPLICATES, "the engine's answer");

	if (rc < 0)
		return rc;
	return want_array ? hd_jr_root_array(r, root) : hd_jr_root(r, root);
}

int hd_ij_open_list(struct hd_jr *r, const char *json, size_t len, size_t elem, struct hd_jv *root, void **ret,
		    size_t *ret_n)
{
	int rc = hd_ij_open(r, json, len, true, root);

	*ret = NULL;
	*ret_n = 0;
	if (rc < 0)
		return rc;
	*ret_n = hd_jv_len(root);
	*ret = hd_calloc(*ret_n ? *ret_n : 1, elem);
	return *ret ? 0 : -HD_ENOMEM;
}

int hd_ij_origin(struct hd_origin *o, const char *path)
{
	return hd_origin_set(o, NULL, 0, 0, path);
}

int hd_ij_dup(char **dst, const char *s)
{
	if (!s)
		return 0;
	hd_free(*dst);
	*dst = hd_strdup(s);
	return *dst ? 0 : -HD_ENOMEM;
}

struct items_ctx {
	struct hd_items *l;
	char *(*norm)(const char *);
};

static int add_item(void *vctx, const char *s, const char *path)
{
	struct items_ctx *x = vctx;
	struct hd_origin at = { 0 };
	char *v;
	int r;

	if (!*s)
		return 0;
	v = x->norm ? x->norm(s) : hd_strdup(s);
	r = v ? hd_ij_origin(&at, path) : -HD_ENOMEM;
	if (r >= 0)
		r = hd_items_add(x->l, v, &at);
	hd_free(v);
	hd_origin_release(&at);
	return r;
}

int hd_ij_add_items(struct hd_jr *r, struct hd_items *l, const struct hd_jv *obj, const char *name,
		    unsigned flags, char *(*norm)(const char *))
{
	struct items_ctx x = { l, norm };

	return hd_jv_strings(r, obj, name, flags, add_item, &x);
}

int hd_ij_add_kvs(struct hd_jr *r, struct hd_kvs *l, const struct hd_jv *obj, const char *name)
{
	struct hd_jentry *e;
	struct hd_jv map;
	size_t n, i;
	int rc;

	rc = hd_jv_map(r, obj, name, 0, &map);
	if (rc >= 0)
		rc = hd_jv_entries(r, &map, &e, &n);
	for (i = 0; rc >= 0 && i < n; i++) {
		struct hd_origin at = { 0 };
		const char *v;

		rc = hd_jv_as_str(r, &e[i].val, &v);
		if (rc >= 0)
			rc = hd_ij_origin(&at, e[i].val.path);
		if (rc >= 0)
			rc = hd_kvs_add(l, e[i].key, v ? v : "", &at);
		hd_origin_release(&at);
	}
	return rc;
}

struct env_ctx {
	struct hd_env *(*add)(void *, const struct hd_origin *);
	void *obj;
};

static int add_env(void *vctx, const char *s, const char *path)
{
	struct env_ctx *x = vctx;
	struct hd_origin at = { 0 };
	const char *eq = strchr(s, '=');
	struct hd_env *e;
	int r;

	r = hd_ij_origin(&at, path);
	e = r >= 0 ? x->add(x->obj, &at) : NULL;
	hd_origin_release(&at);
	if (!e)
		return -HD_ENOMEM;
	e->name = eq ? hd_strndup(s, (size_t)(eq - s)) : hd_strdup(s);
	e->value = eq ? hd_strdup(eq + 1) : NULL;
	if (!e->name || (eq && !e->value))
		return -HD_ENOMEM;
	return 0;
}

int hd_ij_env(struct hd_jr *r, struct hd_env *(*add)(void *, const struct hd_origin *), void *obj,
	      const struct hd_jv *cfg, const char *name)
{
	struct env_ctx x = { add, obj };

	return hd_jv_strings(r, cfg, name, 0, add_env, &x);
}

int hd_ij_healthcheck(struct hd_jr *r, struct hd_healthcheck *h, const struct hd_jv *cfg, const char *name)
{
	struct hd_jv hc, test;
	size_t k, members = 0;
	int rc;

	rc = hd_jv_obj(r, cfg, name, HD_IJ_PTR, &hc);
	if (rc < 0 || hc.n == 0)
		return rc;
	rc = hd_jv_arr(r, &hc, "Test", 0, &test);
	if (rc < 0)
		return rc;
	for (k = 0; k < hc.n; k++)
		members += hc.occ[k]->n;
	if (hd_jv_len(&test) > 0) {
		struct hd_jv t0;
		const char *s;

		rc = hd_jv_at(r, &test, 0, 0, &t0);
		if (rc >= 0)
			rc = hd_jv_as_str(r, &t0, &s);
		if (rc < 0)
			return rc;
		h->set = true;
		h->disabled = s && strcmp(s, "NONE") == 0;
	} else if (test.n == 0) {
		/* Only timing given: the image's test applies; count it as set. */
		h->set = members > 0;
	}
	if ((rc = hd_jv_int(r, &hc, "Interval", 0, &h->interval_ns, NULL, NULL)) < 0 ||
	    (rc = hd_jv_int(r, &hc, "Timeout", 0, &h->timeout_ns, NULL, NULL)) < 0 ||
	    (rc = hd_jv_int(r, &hc, "StartPeriod", 0, &h->start_period_ns, NULL, NULL)) < 0 ||
	    (rc = hd_jv_int(r, &hc, "Retries", 0, &h->retries, NULL, NULL)) < 0)
		return rc;
	return hd_ij_origin(&h->at, hc.path);
}

bool hd_ij_port_key(const char *k, uint32_t *lo, uint32_t *hi, enum hd_proto *proto)
{
	const char *slash = strchr(k, '/'), *dash;
	size_t n = slash ? (size_t)(slash - k) : strlen(k);
	uint64_t a, b;

	*proto = HD_PROTO_TCP;
	if (slash) {
		if (!strcmp(slash + 1, "udp"))
			*proto = HD_PROTO_UDP;
		else if (!strcmp(slash + 1, "sctp"))
			*proto = HD_PROTO_SCTP;
		else if (strcmp(slash + 1, "tcp") != 0)
			return false;
	}
	dash = memchr(k, '-', n);
	if (dash) {
		if (hd_parse_u64_n(k, (size_t)(dash - k), 65535, &a) < 0 ||
		    hd_parse_u64_n(dash + 1, n - (size_t)(dash - k) - 1, 65535, &b) < 0 || b < a)
			return false;
	} else {
		if (hd_parse_u64_n(k, n, 65535, &a) < 0)
			return false;
		b = a;
	}
	*lo = (uint32_t)a;
	*hi = (uint32_t)b;
	return true;
}

/* ---- times -------------------------------------------------------------- */

static int digits(const char **p, int n, int *out)
{
	int v = 0, i;

	for (i = 0; i < n; i++) {
		if (!isdigit((unsigned char)(*p)[i]))
			return -HD_EINVAL;
		v = v * 10 + ((*p)[i] - '0');
	}
	*p += n;
	*out = v;
	return 0;
}

int hd_parse_rfc3339(const char *s, int64_t *ret)
{
	int y, mo, d, h, mi, se, oh = 0, om = 0, sign = 0;
	int64_t days, t;
	const char *p = s;

	if (digits(&p, 4, &y) < 0 || *p++ != '-' || digits(&p, 2, &mo) < 0 || *p++ != '-' ||
	    digits(&p, 2, &d) < 0 || (*p != 'T' && *p != 't' && *p != ' '))
		return -HD_EINVAL;
	p++;
	if (digits(&p, 2, &h) < 0 || *p++ != ':' || digits(&p, 2, &mi) < 0 || *p++ != ':' ||
	    digits(&p, 2, &se) < 0)
		return -HD_EINVAL;
	if (*p == '.') {
		p++;
		if (!isdigit((unsigned char)*p))
			return -HD_EINVAL;
		while (isdigit((unsigned char)*p))
			p++;
	}
	if (*p == 'Z' || *p == 'z')
		p++;
	else if (*p == '+' || *p == '-') {
		sign = *p++ == '-' ? -1 : 1;
		if (digits(&p, 2, &oh) < 0 || *p++ != ':' || digits(&p, 2, &om) < 0)
			return -HD_EINVAL;
	} else
		return -HD_EINVAL;
	if (*p || mo < 1 || mo > 12 || d < 1 || d > 31 || h > 23 || mi > 59 || se > 60 || oh > 23 ||
	    om > 59)
		return -HD_EINVAL;
	/* Days from civil (Howard Hinnant's algorithm), proleptic Gregorian. */
	{
		int64_t yy = y - (mo <= 2), era = (yy >= 0 ? yy : yy - 399) / 400;
		int64_t yoe = yy - era * 400;
		int64_t doy = (153 * (mo + (mo > 2 ? -3 : 9)) + 2) / 5 + d - 1;
		int64_t doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;

		days = era * 146097 + doe - 719468;
	}
	t = days * 86400 + h * 3600 + mi * 60 + se;
	t -= sign * (oh * 3600 + om * 60);
	*ret = t;
	return 0;
}
