/*
 * One resolved compose service -> hd_container_spec: every security-relevant
 * key in its short and long syntax, units converted once, each setting with
 * the file, line and column it was written at (the override file or the
 * extended file when it came from there).  Values that cannot be understood
 * are HD_CI_INVALID issues, never guesses.
 */
#include "core/common.h"
#include "core/buf.h"
#include "parse/compose_loader.h"

struct sctx {
	struct hd_compose_loader *ld;
	struct hd_container_spec *c;
	const char *name;
	char field[512];
};

/* ---- origins, issues, scalars ---------------------------------------------------- */

static const char *pfile(struct sctx *s, const char *file)
{
	const struct hd_cl_file *f = hd_cl_file_of(s->ld, file);

	return f ? f->pfile : NULL;
}

static const char *base_dir(struct sctx *s, const struct hd_cn *n)
{
	const struct hd_cl_file *f = hd_cl_file_of(s->ld, n->file);

	return f && f->base_dir ? f->base_dir : s->ld->dir;
}

/* A temporary origin (its field points into s->field; builders copy it). */
static struct hd_origin at(struct sctx *s, const struct hd_cn *n, uint32_t line, uint32_t col, const char *key)
{
	struct hd_origin o;

	snprintf(s->field, sizeof(s->field), "services.%s%s%s", s->name, key ? "." : "", key ? key : "");
	o.file = pfile(s, n->file);
	o.line = line ? line : n->line;
	o.col = line ? col : n->col;
	o.field = s->field;
	return o;
}

static struct hd_origin at_pair(struct sctx *s, const struct hd_cn_pair *p, const struct hd_cn *container)
{
	(void)container;
	return at(s, p->val, p->line, p->col, p->key);
}

static int invalid(struct sctx *s, const struct hd_cn *n, const char *fmt, ...) __attribute__((format(printf, 3, 4)));
static int invalid(struct sctx *s, const struct hd_cn *n, const char *fmt, ...)
{
	char msg[HD_MAX_MESSAGE];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	return hd_compose_issue_add(s->ld->issues, HD_CI_INVALID, n->file, n->line, n->col,
				    "service '%s': %s", s->name, msg);
}

/* The text of a scalar (strings, numbers, booleans), or NULL for other nodes. */
static const char *text(const struct hd_cn *n)
{
	if (!n)
		return NULL;
	if (n->kind == HD_CN_NULL)
		return "";
	return n->kind == HD_CN_STR ? n->s : NULL;
}

static bool truthy(const struct hd_cn *n, bool *v)
{
	const char *t = text(n);

	if (!t)
		return false;
	if (!strcasecmp(t, "true") || !strcasecmp(t, "yes") || !strcasecmp(t, "on") || !strcmp(t, "1") ||
	    !strcasecmp(t, "y")) {
		*v = true;
		return true;
	}
	if (!strcasecmp(t, "false") || !strcasecmp(t, "no") || !strcasecmp(t, "off") || !strcmp(t, "0") ||
	    !strcasecmp(t, "n") || !*t) {
		*v = false;
		return true;
	}
	return false;
}

/* True when n or a scalar right under it holds an unset variable. */
static bool unset_in(const struct hd_cn *n)
{
	uint32_t i;

	if (!n)
		return false;
	if (n->flags & HD_CN_UNSET)
		return true;
	if (n->kind == HD_CN_MAP) {
		for (i = 0; i < n->n; i++) {
			if (n->pairs[i].val->flags & HD_CN_UNSET)
				return true;
		}
	}
	return false;
}

/* ---- settings of a generic kind ------------------------------------------------------ */

/*
 * The pair a dotted compose key names under the service ("deploy.resources.
 * limits.memory"), or NULL when any part is absent.
 */
static const struct hd_cn_pair *key_pair(const struct hd_cn *svc, const char *key, size_t len)
{
	const struct hd_cn *n = svc;
	const struct hd_cn_pair *p = NULL;
	const char *k = key, *end = key + len;

	while (k < end) {
		const char *dot = memchr(k, '.', (size_t)(end - k));
		size_t kl = dot ? (size_t)(dot - k) : (size_t)(end - k);
		char seg[64];

		HD_ASSERT(kl < sizeof(seg));
		memcpy(seg, k, kl);
		seg[kl] = '\0';
		p = hd_cn_pair_get(n, seg);
		if (!p)
			return NULL;
		n = p->val;
		k = dot ? dot + 1 : end;
	}
	return p;
}

/* The k-th key of a setting's compose column, NUL-terminated in buf; NULL when there is none. */
static const char *nth_key(const struct hd_cset *cs, unsigned k, char *buf, size_t n)
{
	const char *p = cs->compose;

	while (*p) {
		size_t len = strcspn(p, " ");

		if (k-- == 0) {
			HD_ASSERT(len < n);
			memcpy(buf, p, len);
			buf[len] = '\0';
			return buf;
		}
		p += len;
		while (*p == ' ')
			p++;
	}
	return NULL;
}

static int set_flag(struct sctx *s, const struct hd_cn_pair *p, const char *key, struct hd_flag_setting *f)
{
	struct hd_origin o;
	bool v;

	/* Values of the wrong YAML type were reported by the validator. */
	if (!text(p->val))
		return 0;
	o = at(s, p->val, p->line, p->col, key);
	if (!truthy(p->val, &v)) {
		int r;

		if (!(p->val->flags & HD_CN_UNSET))
			return invalid(s, p->val, "'%s' must be true or false", key);
		r = hd_flag_setting_set(f, false, &o);
		f->unknown = true;
		return r;
	}
	return hd_flag_setting_set(f, v, &o);
}

/* An INT, BYTES or CPUS setting, parsed and checked as every source does (hd_cset_parse_value). */
static int set_int(struct sctx *s, const struct hd_cset *cs, const struct hd_cn_pair *p, const char *key,
		   struct hd_int_setting *f)
{
	struct hd_origin o;
	const char *t = text(p->val), *expect;
	char buf[96];
	int64_t v;

	if (!t)
		return 0;
	o = at(s, p->val, p->line, p->col, key);
	if (!*t || hd_cset_parse_value(cs, t, &v, &expect) < 0) {
		int r;

		if (!(p->val->flags & HD_CN_UNSET))
			return invalid(s, p->val, "cannot understand %s '%s' as %s", key, t,
				       cs->kind == HD_CK_BYTES ? "a size" :
				       cs->kind == HD_CK_CPUS  ? "a number of CPUs" : "an integer");
		/* Set from a variable this run does not know: given, value unknown. */
		r = hd_int_setting_set(f, 0, &o);
		f->unknown = true;
		return r;
	}
	if (hd_cset_check_int(cs, v, buf, sizeof(buf), &expect) < 0)
		return invalid(s, p->val, "%s '%s' is out of range: expected %s", key, t, expect);
	return hd_int_setting_set(f, v, &o);
}

/* Adds the scalars of a string-or-list value to items, normalised for the setting's kind. */
static int add_items(struct sctx *s, const struct hd_cset *cs, const struct hd_cn_pair *p, const char *key,
		     struct hd_items *l)
{
	uint32_t i, n;
	int r;

	if (p->val->kind == HD_CN_NULL)
		return 0;
	n = p->val->kind == HD_CN_SEQ ? p->val->n : 1;
	for (i = 0; i < n; i++) {
		const struct hd_cn *e = p->val->kind == HD_CN_SEQ ? p->val->items[i] : p->val;
		const char *t = text(e), *expect;
		struct hd_origin o;
		char *v;

		if (!t || !*t)
			continue;
		v = cs && cs->kind == HD_CK_CAPS ? hd_cap_normalise(t) :
		    cs && cs->kind == HD_CK_SECOPT ? hd_security_opt_normalise(t) : hd_strdup(t);
		if (!v)
			return -HD_ENOMEM;
		if (cs && hd_cset_check_item(cs, v, &expect) < 0 && !(e->flags & HD_CN_UNSET)) {
			hd_free(v);
			r = invalid(s, e, "cannot understand %s '%s': expected %s", key, t, expect);
			if (r < 0)
				return r;
			continue;
		}
		o = at(s, e, e->line, e->col, key);
		r = hd_items_add(l, v, &o);
		hd_free(v);
		if (r < 0)
			return r;
	}
	return 0;
}

/* KEY=VALUE list or mapping into kvs (sysctls, labels, log options). */
static int add_kvs(struct sctx *s, const struct hd_cset *cs, const struct hd_cn *v, const char *field,
		   struct hd_kvs *l)
{
	uint32_t i;
	int r;

	if (v->kind == HD_CN_MAP) {
		for (i = 0; i < v->n; i++) {
			struct hd_origin o = at(s, v->pairs[i].val, v->pairs[i].line, v->pairs[i].col, field);
			const char *t = text(v->pairs[i].val);

			r = hd_kvs_add(l, v->pairs[i].key, t ? t : "", &o);
			if (r < 0)
				return r;
		}
	} else if (v->kind == HD_CN_SEQ) {
		for (i = 0; i < v->n; i++) {
			const struct hd_cn *e = v->items[i];
			const char *t = text(e), *eq = t ? strchr(t, '=') : NULL, *expect;
			struct hd_origin o = at(s, e, e->line, e->col, field);
			char *k;

			if (!t)
				continue;
			if (hd_cset_check_item(cs, t, &expect) < 0 && !(e->flags & HD_CN_UNSET)) {
				r = invalid(s, e, "cannot understand %s '%s': expected %s", field, t, expect);
				if (r < 0)
					return r;
				continue;
			}
			k = hd_strndup(t, eq ? (size_t)(eq - t) : strlen(t));
			if (!k)
				return -HD_ENOMEM;
			r = hd_kvs_add(l, k, eq ? eq + 1 : "", &o);
			hd_free(k);
			if (r < 0)
				return r;
		}
	}
	return 0;
}

/*
 * A setting of a generic kind: its first compose key that is given sets it
 * (mem_limit before deploy.resources.limits.memory).
 */
static int compose_generic(struct sctx *s, const struct hd_cn *svc, const struct hd_cset *cs)
{
	void *f = hd_cset_field(s->c, cs);
	char key[96];
	unsigned k;

	for (k = 0; nth_key(cs, k, key, sizeof(key)); k++) {
		const struct hd_cn_pair *p = key_pair(svc, key, strlen(key));
		const char *t;
		struct hd_origin o;

		if (!p)
			continue;
		switch (cs->kind) {
		case HD_CK_BOOL:
			return set_flag(s, p, key, f);
		case HD_CK_INT:
		case HD_CK_BYTES:
		case HD_CK_CPUS:
			if (p->val->kind == HD_CN_NULL)
				continue;
			return set_int(s, cs, p, key, f);
		case HD_CK_STR:
			if (!(t = text(p->val)) || p->val->kind == HD_CN_NULL)
				continue;
			o = at(s, p->val, p->line, p->col, key);
			return hd_str_setting_set(f, t, &o);
		case HD_CK_NS:
			if (!(t = text(p->val)) || !*t)
				continue;
			o = at(s, p->val, p->line, p->col, key);
			return hd_ns_setting_set(f, t, &o);
		case HD_CK_LIST:
		case HD_CK_CAPS:
		case HD_CK_SECOPT:
			return add_items(s, cs, p, key, f);
		case HD_CK_KVS:
			return add_kvs(s, cs, p->val, key, f);
		default:
			HD_BUG("not a generic kind");
		}
	}
	return 0;
}

/* ---- ports -------------------------------------------------------------------------- */

static int parse_range(const char *s, size_t n, uint32_t *lo, uint32_t *hi)
{
	const char *dash = memchr(s, '-', n);
	uint64_t a, b;

	if (n == 0) {
		*lo = *hi = 0;
		return 0;
	}
	if (dash) {
		if (hd_parse_u64_n(s, (size_t)(dash - s), 65535, &a) < 0 ||
		    hd_parse_u64_n(dash + 1, n - (size_t)(dash - s) - 1, 65535, &b) < 0 || b < a)
			return -HD_EINVAL;
	} else {
		if (hd_parse_u64_n(s, n, 65535, &a) < 0)
			return -HD_EINVAL;
		b = a;
	}
	*lo = (uint32_t)a;
	*hi = (uint32_t)b;
	return 0;
}

static int parse_proto(const char *p, enum hd_proto *proto)
{
	if (!p || !*p || !strcasecmp(p, "tcp"))
		*proto = HD_PROTO_TCP;
	else if (!strcasecmp(p, "udp"))
		*proto = HD_PROTO_UDP;
	else if (!strcasecmp(p, "sctp"))
		*proto = HD_PROTO_SCTP;
	else
		return -HD_EINVAL;
	return 0;
}

/* "[[ip:]host:]ctr[/proto]", with "[v6]" addresses and ranges. */
static int parse_short_port(const char *s, struct hd_port *pt)
{
	const char *slash = strrchr(s, '/'), *end = slash ? slash : s + strlen(s);
	const char *c_last, *c_prev = NULL, *p;
	int r;

	r = parse_proto(slash ? slash + 1 : NULL, &pt->proto);
	if (r < 0)
		return r;
	c_last = NULL;
	for (p = s; p < end; p++) {
		if (*p == ':') {
			c_prev = c_last;
			c_last = p;
		}
	}
	if (!c_last)
		return parse_range(s, (size_t)(end - s), &pt->ctr_port_lo, &pt->ctr_port_hi);
	r = parse_range(c_last + 1, (size_t)(end - c_last - 1), &pt->ctr_port_lo, &pt->ctr_port_hi);
	if (r < 0)
		return r;
	if (s[0] == '[') {
		const char *rb = memchr(s, ']', (size_t)(end - s));

		if (!rb || rb[1] != ':')
			return -HD_EINVAL;
		if (!(pt->host_ip = hd_strndup(s + 1, (size_t)(rb - s - 1))))
			return -HD_ENOMEM;
		if (rb + 1 == c_last)
			return 0;
		return parse_range(rb + 2, (size_t)(c_last - rb - 2), &pt->host_port_lo, &pt->host_port_hi);
	}
	if (!c_prev)
		return parse_range(s, (size_t)(c_last - s), &pt->host_port_lo, &pt->host_port_hi);
	if (!(pt->host_ip = hd_strndup(s, (size_t)(c_prev - s))))
		return -HD_ENOMEM;
	return parse_range(c_prev + 1, (size_t)(c_last - c_prev - 1), &pt->host_port_lo, &pt->host_port_hi);
}

static int add_ports(struct sctx *s, const struct hd_cn *svc, const char *key, bool published)
{
	const struct hd_cn *v = hd_cn_get(svc, key);
	uint32_t i;
	int r;

	if (!v || v->kind != HD_CN_SEQ)
		return 0;
	for (i = 0; i < v->n; i++) {
		const struct hd_cn *e = v->items[i];
		struct hd_origin o = at(s, e, e->line, e->col, key);
		struct hd_port *pt = hd_container_add_port(s->c, &o);
		const char *t;

		if (!pt)
			return -HD_ENOMEM;
		pt->published = published;
		if (e->kind == HD_CN_MAP) {
			const char *tg = text(hd_cn_get(e, "target")), *pb = text(hd_cn_get(e, "published"));
			const char *ip = text(hd_cn_get(e, "host_ip")), *pr = text(hd_cn_get(e, "protocol"));
			const char *bad = NULL, *expect = "a port or range such as 80";

			if (!tg || parse_range(tg, strlen(tg), &pt->ctr_port_lo, &pt->ctr_port_hi) < 0) {
				bad = "target";
			} else if (pb && parse_range(pb, strlen(pb), &pt->host_port_lo, &pt->host_port_hi) < 0) {
				bad = "published";
				expect = "a port or range such as 8080 or 8000-8010 (an address goes in host_ip)";
			} else if (parse_proto(pr, &pt->proto) < 0) {
				bad = "protocol";
				expect = "tcp, udp or sctp";
			}
			if (bad) {
				/* Not understood, so not judged: never asserted as published anywhere. */
				const char *val = text(hd_cn_get(e, bad));

				pt->unknown = true;
				if (unset_in(e))
					continue;
				r = invalid(s, e, "cannot understand this port mapping: %s '%s', expected %s", bad,
					    val ? val : "(missing)", expect);
				if (r < 0)
					return r;
				continue;
			}
			if (ip && *ip && !(pt->host_ip = hd_strdup(ip)))
				return -HD_ENOMEM;
			continue;
		}
		t = text(e);
		if (!t)
			continue;
		r = published ? parse_short_port(t, pt) : 0;
		if (!published) {
			const char *slash = strrchr(t, '/');

			r = parse_proto(slash ? slash + 1 : NULL, &pt->proto);
			if (r == 0)
				r = parse_range(t, slash ? (size_t)(slash - t) : strlen(t), &pt->ctr_port_lo,
						&pt->ctr_port_hi);
		}
		if (r == -HD_ENOMEM)
			return r;
		if (r < 0 && (e->flags & HD_CN_UNSET)) {
			pt->unknown = true;
		} else if (r < 0) {
			pt->unknown = true; /* not understood: not judged as published */
			r = invalid(s, e, "cannot understand port '%s'", t);
			if (r < 0)
				return r;
		}
	}
	return 0;
}

/* ---- mounts and devices --------------------------------------------------------------- */

static bool is_host_path(const char *src)
{
	return src[0] == '/' || src[0] == '.' || src[0] == '~' ||
	       (isalpha((unsigned char)src[0]) && src[1] == ':' && (src[2] == '\\' || src[2] == '/'));
}

static char *host_path(struct sctx *s, const struct hd_cn *n, const char *src)
{
	const char *full;

	if (src[0] == '/' || src[0] == '~' || src[1] == ':')
		return hd_strdup(src);
	full = hd_cl_join(s->ld, base_dir(s, n), src);
	return full ? hd_strdup(full) : NULL;
}

static bool word_is(const char *s, size_t len, const char *w)
{
	return strlen(w) == len && memcmp(s, w, len) == 0;
}

static int mount_mode(struct hd_mount *m, const char *mode, size_t n)
{
	while (n) {
		const char *comma = memchr(mode, ',', n);
		size_t len = comma ? (size_t)(comma - mode) : n;

		if (len == 2 && !memcmp(mode, "ro", 2))
			m->read_only = true;
		else if (len == 2 && !memcmp(mode, "rw", 2))
			m->read_only = false;
		else if (len == 1 && (mode[0] == 'z' || mode[0] == 'Z')) {
			hd_free(m->selinux);
			if (!(m->selinux = hd_strndup(mode, 1)))
				return -HD_ENOMEM;
		} else if (word_is(mode, len, "shared") || word_is(mode, len, "rshared") ||
			   word_is(mode, len, "slave") || word_is(mode, len, "rslave") ||
			   word_is(mode, len, "private") || word_is(mode, len, "rprivate")) {
			hd_free(m->propagation);
			if (!(m->propagation = hd_strndup(mode, len)))
				return -HD_ENOMEM;
		}
		if (!comma)
			break;
		n -= len + 1;
		mode = comma + 1;
	}
	return 0;
}

static int add_mount_short(struct sctx *s, const struct hd_cn *e, struct hd_mount *m)
{
	const char *t = text(e), *c1, *c2;
	size_t off = 0;

	/* A Windows drive letter is part of the source, not a separator. */
	if (isalpha((unsigned char)t[0]) && t[1] == ':' && (t[2] == '\\' || t[2] == '/'))
		off = 2;
	c1 = strchr(t + off, ':');
	if (!c1) {
		m->type = HD_MOUNT_VOLUME; /* an anonymous volume */
		m->target = hd_strdup(t);
		return m->target ? 0 : -HD_ENOMEM;
	}
	c2 = strchr(c1 + 1, ':');
	m->target = hd_strndup(c1 + 1, c2 ? (size_t)(c2 - c1 - 1) : strlen(c1 + 1));
	if (!m->target)
		return -HD_ENOMEM;
	{
		char *src = hd_strndup(t, (size_t)(c1 - t));

		if (!src)
			return -HD_ENOMEM;
		if (is_host_path(src)) {
			m->type = HD_MOUNT_BIND;
			m->source = host_path(s, e, src);
			hd_free(src);
			if (!m->source)
				return -HD_ENOMEM;
		} else {
			m->type = HD_MOUNT_VOLUME;
			m->source = src;
		}
	}
	return c2 ? mount_mode(m, c2 + 1, strlen(c2 + 1)) : 0;
}

static int add_mount_long(struct sctx *s, const struct hd_cn *e, struct hd_mount *m)
{
	static const struct { const char *name; enum hd_mount_type t; } types[] = {
		{ "bind", HD_MOUNT_BIND },   { "volume", HD_MOUNT_VOLUME },   { "tmpfs", HD_MOUNT_TMPFS },
		{ "npipe", HD_MOUNT_NPIPE }, { "cluster", HD_MOUNT_CLUSTER }, { "image", HD_MOUNT_IMAGE },
	};
	const char *type = text(hd_cn_get(e, "type")), *src = text(hd_cn_get(e, "source"));
	const char *tgt = text(hd_cn_get(e, "target"));
	const char *prop = text(hd_cn_get(hd_cn_get(e, "bind"), "propagation"));
	const char *sel = text(hd_cn_get(hd_cn_get(e, "bind"), "selinux"));
	size_t i;
	bool ro = false;

	m->type = HD_MOUNT_VOLUME;
	for (i = 0; type && i < HD_ARRAY_SIZE(types); i++) {
		if (strcmp(type, types[i].name) == 0)
			m->type = types[i].t;
	}
	if (!tgt || !*tgt)
		return invalid(s, e, "a volume needs a target");
	if (!(m->target = hd_strdup(tgt)))
		return -HD_ENOMEM;
	if (src && *src) {
		m->source = m->type == HD_MOUNT_BIND ? host_path(s, e, src) : hd_strdup(src);
		if (!m->source)
			return -HD_ENOMEM;
	}
	if (truthy(hd_cn_get(e, "read_only"), &ro))
		m->read_only = ro;
	if (prop && *prop && !(m->propagation = hd_strdup(prop)))
		return -HD_ENOMEM;
	if (sel && *sel && !(m->selinux = hd_strdup(sel)))
		return -HD_ENOMEM;
	return 0;
}

/*
 * A named volume of the project whose top-level entry gives the local
 * driver bind options (driver_opts type/o/device) is a bind of its device.
 */
static int resolve_volume(struct sctx *s, struct hd_mount *m)
{
	const struct hd_cn *def, *opts;
	struct hd_kvs kv = { 0 };
	uint32_t i;
	int r = 0;

	if (m->type != HD_MOUNT_VOLUME || !m->source || !s->ld->volumes)
		return 0;
	def = hd_cn_get(s->ld->volumes, m->source);
	opts = hd_cn_get(def, "driver_opts");
	if (!opts || opts->kind != HD_CN_MAP)
		return 0;
	for (i = 0; i < opts->n && r >= 0; i++) {
		const char *t = text(opts->pairs[i].val);

		/* A variable this run does not know leaves the option unknown: not a bind we can name. */
		if (t && !(opts->pairs[i].val->flags & HD_CN_UNSET))
			r = hd_kvs_add(&kv, opts->pairs[i].key, t, NULL);
	}
	if (r >= 0)
		r = hd_mount_resolve_volume(m, text(hd_cn_get(def, "driver")), &kv);
	hd_kvs_release(&kv);
	return r;
}

static int add_mounts(struct sctx *s, const struct hd_cn *svc)
{
	const struct hd_cn *v = hd_cn_get(svc, "volumes");
	uint32_t i;
	int r;

	if (!v || v->kind != HD_CN_SEQ)
		return 0;
	for (i = 0; i < v->n; i++) {
		const struct hd_cn *e = v->items[i];
		struct hd_origin o = at(s, e, e->line, e->col, "volumes");
		struct hd_mount *m;

		if (e->kind != HD_CN_MAP && (!text(e) || !*text(e)))
			continue;
		m = hd_container_add_mount(s->c, &o);
		if (!m)
			return -HD_ENOMEM;
		r = e->kind == HD_CN_MAP ? add_mount_long(s, e, m) : add_mount_short(s, e, m);
		if (r >= 0)
			r = resolve_volume(s, m);
		if (r < 0)
			return r;
	}
	return 0;
}

static int add_devices(struct sctx *s, const struct hd_cn *svc)
{
	const struct hd_cn *v = hd_cn_get(svc, "devices");
	uint32_t i;

	if (!v || v->kind != HD_CN_SEQ)
		return 0;
	for (i = 0; i < v->n; i++) {
		const struct hd_cn *e = v->items[i];
		struct hd_origin o = at(s, e, e->line, e->col, "devices");
		struct hd_device *d;
		const char *src, *tgt = NULL, *perm = NULL;
		size_t ns, nt = 0;

		if (e->kind == HD_CN_MAP) {
			src = text(hd_cn_get(e, "source"));
			tgt = text(hd_cn_get(e, "target"));
			perm = text(hd_cn_get(e, "permissions"));
			ns = src ? strlen(src) : 0;
			nt = tgt ? strlen(tgt) : 0;
		} else {
			const char *c1, *c2;

			src = text(e);
			if (!src)
				continue;
			c1 = strchr(src, ':');
			c2 = c1 ? strchr(c1 + 1, ':') : NULL;
			ns = c1 ? (size_t)(c1 - src) : strlen(src);
			if (c1) {
				tgt = c1 + 1;
				nt = c2 ? (size_t)(c2 - tgt) : strlen(tgt);
				perm = c2 ? c2 + 1 : NULL;
			}
		}
		if (!src || !ns)
			continue;
		d = hd_container_add_device(s->c, &o);
		if (!d)
			return -HD_ENOMEM;
		d->host_path = hd_strndup(src, ns);
		d->container_path = tgt && nt ? hd_strndup(tgt, nt) : hd_strndup(src, ns);
		if (!d->host_path || !d->container_path || (perm && *perm && !(d->perms = hd_strdup(perm))))
			return -HD_ENOMEM;
	}
	return 0;
}

/* ---- environment -------------------------------------------------------------------- */

static int add_env(struct sctx *s, const struct hd_origin *o, const char *name, size_t nlen, const char *value,
		   bool from_file)
{
	struct hd_env *e = hd_container_add_env(s->c, o);

	if (!e)
		return -HD_ENOMEM;
	e->from_file = from_file;
	e->name = hd_strndup(name, nlen);
	if (!e->name || (value && !(e->value = hd_strdup(value))))
		return -HD_ENOMEM;
	return 0;
}

struct envfile_ctx {
	struct sctx *s;
	const char *pfile;
};

static int envfile_var(void *vctx, const char *name, const char *value, uint32_t line, uint32_t col)
{
	struct envfile_ctx *ec = vctx;
	struct hd_origin o;

	snprintf(ec->s->field, sizeof(ec->s->field), "services.%s.env_file", ec->s->name);
	o.file = ec->pfile;
	o.line = line;
	o.col = col;
	o.field = ec->s->field;
	return add_env(ec->s, &o, name, strlen(name), value, true);
}

static int add_env_files(struct sctx *s, const struct hd_cn *svc)
{
	const struct hd_cn *v = hd_cn_get(svc, "env_file");
	uint32_t i, n;
	int r;

	if (!v || v->kind == HD_CN_NULL)
		return 0;
	n = v->kind == HD_CN_SEQ ? v->n : 1;
	for (i = 0; i < n; i++) {
		const struct hd_cn *e = v->kind == HD_CN_SEQ ? v->items[i] : v;
		const char *rel = e->kind == HD_CN_MAP ? text(hd_cn_get(e, "path")) : text(e);
		struct hd_buf b = HD_BUF_INIT(HD_MAX_FILE_SIZE);
		struct hd_origin o = at(s, e, e->line, e->col, "env_file");
		struct hd_project_file *pf;
		struct envfile_ctx ec;
		const char *full;
		bool required = true;

		if (!rel || !*rel)
			continue;
		if (e->kind == HD_CN_MAP)
			truthy(hd_cn_get(e, "required"), &required) || (required = true);
		full = hd_cl_join(s->ld, base_dir(s, e), rel);
		if (!full)
			return -HD_ENOMEM;
		r = hd_items_add(&s->c->env_files, full, &o);
		if (r < 0)
			return r;
		if (s->ld->opts->no_disk)
			continue;
		r = hd_cl_read_at(s->ld, full, rel, e, "env_file", &b);
		if (r == -HD_ENOMEM)
			return r;
		if (r == 1) {
			/* Outside the linted tree: reported, not read. */
			hd_buf_release(&b);
			continue;
		}
		if (r < 0) {
			hd_buf_release(&b);
			if (!required)
				continue;
			r = hd_compose_issue_add(s->ld->issues, HD_CI_MISSING_FILE, e->file, e->line, e->col,
						 "service '%s': env_file '%s' cannot be read: %s", s->name, full,
						 hd_strerror(-r));
			if (r < 0)
				return r;
			continue;
		}
		pf = hd_project_add_file(s->ld->proj, full);
		if (!pf) {
			hd_buf_release(&b);
			return -HD_ENOMEM;
		}
		ec.s = s;
		ec.pfile = pf->path;
		r = hd_cl_dotenv(s->ld, pf->path, b.buf, b.len, envfile_var, &ec);
		hd_buf_release(&b);
		if (r < 0)
			return r;
	}
	return 0;
}

static int add_environment(struct sctx *s, const struct hd_cn *svc)
{
	const struct hd_cn *v = hd_cn_get(svc, "environment");
	uint32_t i;
	int r;

	if (!v)
		return 0;
	if (v->kind == HD_CN_MAP) {
		for (i = 0; i < v->n; i++) {
			const struct hd_cn_pair *p = &v->pairs[i];
			struct hd_origin o = at(s, p->val, p->line, p->col, "environment");
			const char *t = p->val->kind == HD_CN_NULL ? NULL : text(p->val);

			r = add_env(s, &o, p->key, strlen(p->key), t, false);
			if (r < 0)
				return r;
		}
	} else if (v->kind == HD_CN_SEQ) {
		for (i = 0; i < v->n; i++) {
			const struct hd_cn *e = v->items[i];
			const char *t = text(e), *eq;
			struct hd_origin o = at(s, e, e->line, e->col, "environment");

			if (!t || !*t)
				continue;
			eq = strchr(t, '=');
			r = add_env(s, &o, t, eq ? (size_t)(eq - t) : strlen(t), eq ? eq + 1 : NULL, false);
			if (r < 0)
				return r;
		}
	}
	return 0;
}

/* ---- secrets, ulimits, healthcheck, restart, logging, commands --------------------------- */

static int add_secret_refs(struct sctx *s, const struct hd_cn *svc, const char *key, bool is_config)
{
	const struct hd_cn *v = hd_cn_get(svc, key);
	uint32_t i;

	if (!v || v->kind != HD_CN_SEQ)
		return 0;
	for (i = 0; i < v->n; i++) {
		const struct hd_cn *e = v->items[i];
		const char *name = e->kind == HD_CN_MAP ? text(hd_cn_get(e, "source")) : text(e);
		const char *tgt = e->kind == HD_CN_MAP ? text(hd_cn_get(e, "target")) : NULL;
		struct hd_origin o = at(s, e, e->line, e->col, key);
		struct hd_secret_ref *x;

		if (!name || !*name)
			continue;
		x = hd_container_add_secret(s->c, &o);
		if (!x)
			return -HD_ENOMEM;
		x->is_config = is_config;
		x->name = hd_strdup(name);
		if (!x->name || (tgt && !(x->target = hd_strdup(tgt))))
			return -HD_ENOMEM;
	}
	return 0;
}

/* An integer scalar (a count); -HD_EINVAL when n is not one. */
static int count(const struct hd_cn *n, int64_t *v)
{
	const char *t = text(n);

	return t && *t ? hd_parse_i64(t, INT64_MIN, INT64_MAX, v) : -HD_EINVAL;
}

static int add_ulimits(struct sctx *s, const struct hd_cn *svc)
{
	const struct hd_cn *v = hd_cn_get(svc, "ulimits");
	uint32_t i;

	if (!v || v->kind != HD_CN_MAP)
		return 0;
	for (i = 0; i < v->n; i++) {
		const struct hd_cn_pair *p = &v->pairs[i];
		struct hd_origin o = at(s, p->val, p->line, p->col, "ulimits");
		int64_t soft, hard;
		struct hd_ulimit *u;

		if (unset_in(p->val)) {
			continue;
		} else if (p->val->kind == HD_CN_MAP) {
			if (count(hd_cn_get(p->val, "soft"), &soft) < 0 || count(hd_cn_get(p->val, "hard"), &hard) < 0) {
				int r = invalid(s, p->val, "ulimit '%s' needs integer soft and hard values", p->key);

				if (r < 0)
					return r;
				continue;
			}
		} else if (count(p->val, &soft) == 0) {
			hard = soft;
		} else {
			int r = invalid(s, p->val, "ulimit '%s' must be an integer", p->key);

			if (r < 0)
				return r;
			continue;
		}
		u = hd_container_add_ulimit(s->c, &o);
		if (!u || !(u->name = hd_strdup(p->key)))
			return -HD_ENOMEM;
		u->soft = soft;
		u->hard = hard;
	}
	return 0;
}

static int duration(struct sctx *s, const struct hd_cn *hc, const char *key, int64_t *v)
{
	const struct hd_cn *n = hd_cn_get(hc, key);
	const char *t = text(n);

	if (!t || !*t)
		return 0;
	if (hd_parse_duration_ns(t, v) < 0 && !(n->flags & HD_CN_UNSET))
		return invalid(s, n, "cannot understand healthcheck %s '%s' as a duration", key, t);
	return 0;
}

static int add_healthcheck(struct sctx *s, const struct hd_cn *svc)
{
	const struct hd_cn_pair *p = hd_cn_pair_get(svc, "healthcheck");
	struct hd_healthcheck *h = &s->c->healthcheck;
	const struct hd_cn *hc, *test;
	struct hd_origin o;
	bool dis = false;
	int64_t retries;
	int r;

	if (!p || p->val->kind != HD_CN_MAP)
		return 0;
	hc = p->val;
	o = at_pair(s, p, svc);
	r = hd_origin_copy(&h->at, &o);
	if (r < 0)
		return r;
	h->set = true;
	if (truthy(hd_cn_get(hc, "disable"), &dis) && dis)
		h->disabled = true;
	test = hd_cn_get(hc, "test");
	if (test && test->kind == HD_CN_SEQ && test->n > 0 && text(test->items[0]) &&
	    strcmp(text(test->items[0]), "NONE") == 0)
		h->disabled = true;
	if (test && test->kind == HD_CN_STR && strcmp(test->s, "NONE") == 0)
		h->disabled = true;
	r = duration(s, hc, "interval", &h->interval_ns);
	if (r == 0)
		r = duration(s, hc, "timeout", &h->timeout_ns);
	if (r == 0)
		r = duration(s, hc, "start_period", &h->start_period_ns);
	if (r < 0)
		return r;
	if (hd_cn_get(hc, "retries")) {
		if (count(hd_cn_get(hc, "retries"), &retries) == 0)
			h->retries = retries;
		else if (!(hd_cn_get(hc, "retries")->flags & HD_CN_UNSET))
			return invalid(s, hd_cn_get(hc, "retries"), "healthcheck retries must be an integer");
	}
	return 0;
}

static int set_restart(struct sctx *s, const struct hd_cn *svc, const struct hd_cset *cs)
{
	const struct hd_cn_pair *p = hd_cn_pair_get(svc, "restart");
	const struct hd_cn *deploy = hd_cn_get(svc, "deploy");
	const struct hd_cn_pair *rp = hd_cn_pair_get(deploy, "restart_policy");
	struct hd_origin o;
	int r;

	if (p && text(p->val) && *text(p->val)) {
		const char *t = text(p->val), *colon = strchr(t, ':'), *expect;
		char *v = hd_strndup(t, colon ? (size_t)(colon - t) : strlen(t)), buf[96];
		int64_t n;

		if (!v)
			return -HD_ENOMEM;
		o = at_pair(s, p, svc);
		r = hd_str_setting_set(&s->c->restart, v, &o);
		hd_free(v);
		if (r < 0 || !colon)
			return r;
		if (hd_parse_i64(colon + 1, INT64_MIN, INT64_MAX, &n) < 0) {
			if (!(p->val->flags & HD_CN_UNSET))
				return invalid(s, p->val, "cannot understand restart policy '%s'", t);
			r = hd_int_setting_set(&s->c->restart_max_retries, 0, &o);
			s->c->restart_max_retries.unknown = true;
			return r;
		}
		if (hd_cset_check_int(cs, n, buf, sizeof(buf), &expect) < 0)
			return invalid(s, p->val, "restart policy '%s': expected a retry count that is %s", t, expect);
		return hd_int_setting_set(&s->c->restart_max_retries, n, &o);
	}
	if (rp && rp->val->kind == HD_CN_MAP) {
		const struct hd_cn_pair *cond = hd_cn_pair_get(rp->val, "condition");
		const struct hd_cn_pair *max = hd_cn_pair_get(rp->val, "max_attempts");
		const char *c = cond ? text(cond->val) : "any";
		const char *v = !c ? NULL : !strcmp(c, "none") ? "no" : !strcmp(c, "on-failure") ? "on-failure" : "always";

		o = cond ? at(s, cond->val, cond->line, cond->col, "deploy.restart_policy.condition") :
			   at(s, rp->val, rp->line, rp->col, "deploy.restart_policy");
		if (v) {
			r = hd_str_setting_set(&s->c->restart, v, &o);
			if (r < 0)
				return r;
		}
		if (max && max->val->kind != HD_CN_NULL)
			return set_int(s, cs, max, "deploy.restart_policy.max_attempts", &s->c->restart_max_retries);
	}
	return 0;
}

/* Splits a command string into words (shell-like quotes, no expansion). */
static int add_words(struct sctx *s, const struct hd_cn *e, const char *t, const char *key)
{
	struct hd_buf w = HD_BUF_INIT(HD_MAX_VAR_EXPANSION);
	struct hd_origin o = at(s, e, e->line, e->col, key);
	const char *p = t;
	int r = 0;

	while (*p && r >= 0) {
		char q = 0;
		bool any = false;

		while (isspace((unsigned char)*p))
			p++;
		if (!*p)
			break;
		hd_buf_reset(&w);
		while (*p && (q || !isspace((unsigned char)*p)) && r >= 0) {
			if (!q && (*p == '"' || *p == '\'')) {
				q = *p++;
				any = true;
				continue;
			}
			if (q && *p == q) {
				q = 0;
				p++;
				continue;
			}
			if (*p == '\\' && q != '\'' && p[1])
				p++;
			r = hd_buf_addch(&w, *p++);
			any = true;
		}
		if (r >= 0 && any)
			r = hd_items_add(&s->c->command, w.buf, &o);
	}
	hd_buf_release(&w);
	return r;
}

static int add_command(struct sctx *s, const struct hd_cn *svc, const char *key)
{
	const struct hd_cn *v = hd_cn_get(svc, key);
	uint32_t i;
	int r;

	if (!v)
		return 0;
	if (v->kind == HD_CN_STR)
		return add_words(s, v, v->s, key);
	if (v->kind != HD_CN_SEQ)
		return 0;
	for (i = 0; i < v->n; i++) {
		const char *t = text(v->items[i]);
		struct hd_origin o = at(s, v->items[i], v->items[i]->line, v->items[i]->col, key);

		if (!t)
			continue;
		r = hd_items_add(&s->c->command, t, &o);
		if (r < 0)
			return r;
	}
	return 0;
}

static int add_extra_hosts(struct sctx *s, const struct hd_cn *svc)
{
	const struct hd_cn *v = hd_cn_get(svc, "extra_hosts");
	uint32_t i;
	int r;

	if (v && v->kind == HD_CN_MAP) {
		for (i = 0; i < v->n; i++) {
			struct hd_origin o = at(s, v->pairs[i].val, v->pairs[i].line, v->pairs[i].col, "extra_hosts");
			const char *t = text(v->pairs[i].val);
			char *e = hd_asprintf("%s:%s", v->pairs[i].key, t ? t : "");

			if (!e)
				return -HD_ENOMEM;
			r = hd_items_add(&s->c->extra_hosts, e, &o);
			hd_free(e);
			if (r < 0)
				return r;
		}
		return 0;
	}
	{
		const struct hd_cn_pair *p = hd_cn_pair_get(svc, "extra_hosts");

		return p ? add_items(s, NULL, p, "extra_hosts", &s->c->extra_hosts) : 0;
	}
}

static int add_networks(struct sctx *s, const struct hd_cn *svc)
{
	const struct hd_cn_pair *p = hd_cn_pair_get(svc, "networks");
	const struct hd_cn *v = p ? p->val : NULL;
	uint32_t i;
	int r;

	if (v && v->kind == HD_CN_MAP) {
		for (i = 0; i < v->n; i++) {
			struct hd_origin o = at(s, v->pairs[i].val, v->pairs[i].line, v->pairs[i].col, "networks");

			r = hd_items_add(&s->c->networks, v->pairs[i].key, &o);
			if (r < 0)
				return r;
		}
	} else {
		r = p ? add_items(s, NULL, p, "networks", &s->c->networks) : 0;
		if (r < 0)
			return r;
	}
	if (!s->c->network.set) {
		/* Without network_mode a service joins its networks, or the project's default one. */
		struct hd_origin o = p ? at_pair(s, p, svc) : s->c->at;
		const char *first = s->c->networks.n ? s->c->networks.v[0].value : "default";

		r = hd_ns_setting_set(&s->c->network, first, &o);
		if (r < 0)
			return r;
		s->c->network.mode = HD_NS_NAMED;
		s->c->network.set = p != NULL;
	}
	return 0;
}

/* ---- the service ---------------------------------------------------------------------------- */

/* The image: the key itself, or a variable this run does not know. */
static int set_image(struct sctx *s, const struct hd_cn *svc)
{
	const struct hd_cn_pair *img = hd_cn_pair_get(svc, "image");
	struct hd_origin o;

	if (!img || !text(img->val) || !*text(img->val))
		return 0;
	o = at_pair(s, img, svc);
	return hd_container_set_image(s->c, text(img->val), &o);
}

/* Network mode, then the networks the service joins (which also give the mode when it is not set). */
static int set_network(struct sctx *s, const struct hd_cn *svc)
{
	const struct hd_cn_pair *p = hd_cn_pair_get(svc, "network_mode");
	const char *t;

	if (p && (t = text(p->val)) && *t) {
		struct hd_origin o = at_pair(s, p, svc);
		int r = hd_ns_setting_set(&s->c->network, t, &o);

		if (r < 0)
			return r;
	}
	return add_networks(s, svc);
}

/* Applies one setting of the table by its kind (model/container_opts.def). */
static int compose_setting(struct sctx *s, const struct hd_cn *svc, const struct hd_cset *cs)
{
	const struct hd_cn_pair *p;

	switch (cs->kind) {
	case HD_CK_BOOL:
	case HD_CK_INT:
	case HD_CK_BYTES:
	case HD_CK_CPUS:
	case HD_CK_STR:
	case HD_CK_NS:
	case HD_CK_LIST:
	case HD_CK_CAPS:
	case HD_CK_SECOPT:
	case HD_CK_KVS:
		return compose_generic(s, svc, cs);
	case HD_CK_IMAGE:
		return set_image(s, svc);
	case HD_CK_TMPFS:
		p = hd_cn_pair_get(svc, "tmpfs");
		return p ? add_items(s, NULL, p, "tmpfs", &s->c->tmpfs) : 0;
	case HD_CK_ULIMITS:
		return add_ulimits(s, svc);
	case HD_CK_NETWORK:
		return set_network(s, svc);
	case HD_CK_MOUNTS:
		return add_mounts(s, svc);
	case HD_CK_DEVICES:
		return add_devices(s, svc);
	case HD_CK_PORTS: {
		int r = add_ports(s, svc, "ports", true);

		return r < 0 ? r : add_ports(s, svc, "expose", false);
	}
	case HD_CK_HOSTS:
		return add_extra_hosts(s, svc);
	case HD_CK_ENV:
		return add_environment(s, svc);
	case HD_CK_ENV_FILES:
		return add_env_files(s, svc);
	case HD_CK_SECRETS: {
		int r = add_secret_refs(s, svc, "secrets", false);

		return r < 0 ? r : add_secret_refs(s, svc, "configs", true);
	}
	case HD_CK_HEALTH:
		return add_healthcheck(s, svc);
	case HD_CK_RESTART:
		return set_restart(s, svc, cs);
	case HD_CK_COMMAND: {
		int r = add_command(s, svc, "entrypoint");

		return r < 0 ? r : add_command(s, svc, "command");
	}
	case HD_CK_MAX:
		break;
	}
	HD_BUG("a compose setting of a kind without a reader");
	return 0;
}

static int convert(struct sctx *s, const struct hd_cn *svc)
{
	size_t i;
	int r;

	for (i = 0; i < HD_CS_MAX; i++) {
		if (!*hd_csets[i].compose)
			continue;
		r = compose_setting(s, svc, &hd_csets[i]);
		if (r < 0)
			return r;
	}
	return hd_cl_image_facts(s->ld, s->c, svc);
}

int hd_cl_service(struct hd_compose_loader *ld, const struct hd_cn_pair *kp, const struct hd_cn *svc)
{
	struct hd_project *p = ld->proj;
	const char *main_file = p->n_files ? p->files[0].path : NULL;
	const struct hd_cl_file *kf = hd_cl_file_of(ld, svc->file);
	struct hd_container_spec *c;
	struct sctx s;
	char field[300];
	int r;

	c = hd_container_spec_new(HD_SRC_COMPOSE, kp->key, main_file);
	if (!c)
		return -HD_ENOMEM;
	if (HD_GROW(p->services, p->alloc_services, p->n_services + 1) < 0) {
		hd_container_spec_free(c);
		return -HD_ENOMEM;
	}
	p->services[p->n_services++] = c;
	snprintf(field, sizeof(field), "services.%s", kp->key);
	/* The service key: where the first file that names it names it. */
	r = hd_origin_set(&c->at, kf ? kf->pfile : main_file, kp->line, kp->col, field);
	if (r < 0)
		return r;
	if (svc->kind != HD_CN_MAP) {
		/* An empty service still joins the default network. */
		return hd_ns_setting_set(&c->network, "default", &c->at) < 0 ? -HD_ENOMEM :
		       (c->network.mode = HD_NS_NAMED, c->network.set = false, 0);
	}
	s.ld = ld;
	s.c = c;
	s.name = kp->key;
	return convert(&s, svc);
}
