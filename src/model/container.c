/*
 * container_spec: construction, destruction and the small builders every
 * source (compose loader, run-line parser, engine inspect, authz request)
 * uses to fill it, plus the unit parsers that turn "0.1G", "1.5" and "1m30s"
 * into exact integers.  Nothing here judges a setting: that is the rules'
 * job.
 */
#include "core/common.h"
#include "model/container.h"
#include "model/live.h"

/* ---- origins and settings ---------------------------------------------- */

int hd_origin_set(struct hd_origin *o, const char *file, uint32_t line, uint32_t col, const char *field)
{
	char *f = NULL;

	if (field && !(f = hd_strdup(field)))
		return -HD_ENOMEM;
	hd_free(o->field);
	o->file = file;
	o->line = line;
	o->col = col;
	o->field = f;
	return 0;
}

int hd_origin_copy(struct hd_origin *dst, const struct hd_origin *src)
{
	if (!src) {
		hd_origin_release(dst);
		return 0;
	}
	if (dst == src)
		return 0;
	return hd_origin_set(dst, src->file, src->line, src->col, src->field);
}

void hd_origin_release(struct hd_origin *o)
{
	if (!o)
		return;
	hd_free(o->field);
	memset(o, 0, sizeof(*o));
}

int hd_flag_setting_set(struct hd_flag_setting *s, bool value, const struct hd_origin *at)
{
	int r;

	r = hd_origin_copy(&s->at, at);
	if (r < 0)
		return r;
	s->set = true;
	s->value = value;
	s->unknown = false;
	return 0;
}

int hd_int_setting_set(struct hd_int_setting *s, int64_t value, const struct hd_origin *at)
{
	int r;

	r = hd_origin_copy(&s->at, at);
	if (r < 0)
		return r;
	s->set = true;
	s->value = value;
	s->unknown = false;
	return 0;
}

int hd_str_setting_set(struct hd_str_setting *s, const char *value, const struct hd_origin *at)
{
	char *v = NULL;
	int r;

	if (value && !(v = hd_strdup(value)))
		return -HD_ENOMEM;
	r = hd_origin_copy(&s->at, at);
	if (r < 0) {
		hd_free(v);
		return r;
	}
	hd_free(s->value);
	s->value = v;
	s->set = value != NULL;
	s->unknown = false;
	return 0;
}

enum hd_ns_mode hd_ns_mode_of(const char *v)
{
	if (!v || !*v)
		return HD_NS_DEFAULT;
	if (strcasecmp(v, "host") == 0)
		return HD_NS_HOST;
	if (strncasecmp(v, "container:", 10) == 0 || strncasecmp(v, "service:", 8) == 0)
		return HD_NS_CONTAINER;
	if (strcasecmp(v, "none") == 0)
		return HD_NS_NONE;
	if (strcasecmp(v, "bridge") == 0 || strcasecmp(v, "default") == 0)
		return HD_NS_BRIDGE;
	if (strcasecmp(v, "private") == 0)
		return HD_NS_PRIVATE;
	return HD_NS_NAMED;
}

int hd_ns_setting_set(struct hd_ns_setting *s, const char *value, const struct hd_origin *at)
{
	char *v = NULL;
	int r;

	if (value && !(v = hd_strdup(value)))
		return -HD_ENOMEM;
	r = hd_origin_copy(&s->at, at);
	if (r < 0) {
		hd_free(v);
		return r;
	}
	hd_free(s->value);
	s->value = v;
	s->set = value != NULL;
	s->mode = hd_ns_mode_of(value);
	s->unknown = false;
	return 0;
}

/* ---- lists ---------------------------------------------------------------- */

int hd_items_add(struct hd_items *l, const char *value, const struct hd_origin *at)
{
	struct hd_item *x;

	if (HD_GROW(l->v, l->alloc, l->n + 1) < 0)
		return -HD_ENOMEM;
	x = &l->v[l->n];
	memset(x, 0, sizeof(*x));
	if (!(x->value = hd_strdup(value ? value : "")))
		return -HD_ENOMEM;
	if (hd_origin_copy(&x->at, at) < 0) {
		hd_free(x->value);
		x->value = NULL;
		return -HD_ENOMEM;
	}
	l->n++;
	return 0;
}

bool hd_items_has(const struct hd_items *l, const char *value)
{
	size_t i;

	for (i = 0; i < l->n; i++) {
		if (strcasecmp(l->v[i].value, value) == 0)
			return true;
	}
	return false;
}

static void items_release(struct hd_items *l)
{
	size_t i;

	for (i = 0; i < l->n; i++) {
		hd_free(l->v[i].value);
		hd_origin_release(&l->v[i].at);
	}
	hd_free(l->v);
	memset(l, 0, sizeof(*l));
}

int hd_kvs_add(struct hd_kvs *l, const char *key, const char *value, const struct hd_origin *at)
{
	struct hd_kv_setting *x;

	if (HD_GROW(l->v, l->alloc, l->n + 1) < 0)
		return -HD_ENOMEM;
	x = &l->v[l->n];
	memset(x, 0, sizeof(*x));
	x->key = hd_strdup(key ? key : "");
	x->value = value ? hd_strdup(value) : NULL;
	if (!x->key || (value && !x->value) || hd_origin_copy(&x->at, at) < 0) {
		hd_free(x->key);
		hd_free(x->value);
		memset(x, 0, sizeof(*x));
		return -HD_ENOMEM;
	}
	l->n++;
	return 0;
}

static void kvs_release(struct hd_kvs *l)
{
	size_t i;

	for (i = 0; i < l->n; i++) {
		hd_free(l->v[i].key);
		hd_free(l->v[i].value);
		hd_origin_release(&l->v[i].at);
	}
	hd_free(l->v);
	memset(l, 0, sizeof(*l));
}

/*
 * One appender for every array of the spec: grow, zero the new element,
 * copy the origin into its `at` member (found by offset), count it.
 */
static void *array_add(void **v, size_t *n, size_t *alloc, size_t elem, size_t at_off,
		       const struct hd_origin *at)
{
	char *x;

	if (hd_grow(v, alloc, *n + 1, elem) < 0)
		return NULL;
	x = (char *)*v + *n * elem;
	memset(x, 0, elem);
	if (at && hd_origin_copy((struct hd_origin *)(void *)(x + at_off), at) < 0)
		return NULL;
	(*n)++;
	return x;
}

#define ARRAY_ADD(c, arr, cnt, cap, type, at) \
	((type *)array_add((void **)&(c)->arr, &(c)->cnt, &(c)->cap, sizeof(type), \
			   offsetof(type, at), (at)))

struct hd_mount *hd_container_add_mount(struct hd_container_spec *c, const struct hd_origin *at)
{
	return ARRAY_ADD(c, mounts, n_mounts, alloc_mounts, struct hd_mount, at);
}

struct hd_device *hd_container_add_device(struct hd_container_spec *c, const struct hd_origin *at)
{
	return ARRAY_ADD(c, devices, n_devices, alloc_devices, struct hd_device, at);
}

struct hd_port *hd_container_add_port(struct hd_container_spec *c, const struct hd_origin *at)
{
	return ARRAY_ADD(c, ports, n_ports, alloc_ports, struct hd_port, at);
}

struct hd_ulimit *hd_container_add_ulimit(struct hd_container_spec *c, const struct hd_origin *at)
{
	return ARRAY_ADD(c, ulimits, n_ulimits, alloc_ulimits, struct hd_ulimit, at);
}

struct hd_env *hd_container_add_env(struct hd_container_spec *c, const struct hd_origin *at)
{
	return ARRAY_ADD(c, env, n_env, alloc_env, struct hd_env, at);
}

struct hd_secret_ref *hd_container_add_secret(struct hd_container_spec *c, const struct hd_origin *at)
{
	return ARRAY_ADD(c, secrets, n_secrets, alloc_secrets, struct hd_secret_ref, at);
}

/* ---- the spec ------------------------------------------------------------- */

struct hd_container_spec *hd_container_spec_new(enum hd_spec_source src, const char *name,
						const char *file)
{
	struct hd_container_spec *c = hd_calloc(1, sizeof(*c));

	if (!c)
		return NULL;
	c->source = src;
	c->running = true;
	c->name = hd_strdup(name ? name : "");
	c->file = file ? hd_strdup(file) : NULL;
	if (!c->name || (file && !c->file)) {
		hd_container_spec_free(c);
		return NULL;
	}
	c->at.file = c->file;
	return c;
}

static void str_release(struct hd_str_setting *s)
{
	hd_free(s->value);
	hd_origin_release(&s->at);
}

void hd_container_spec_free(struct hd_container_spec *c)
{
	size_t i;

	if (!c)
		return;
	hd_origin_release(&c->at);
	hd_free(c->id);
	hd_free(c->state);
	str_release(&c->image);
	hd_image_ref_release(&c->image_ref);
	hd_free(c->image_facts.user);
	hd_free(c->image_facts.source);
	str_release(&c->user);
	items_release(&c->group_add);
	hd_origin_release(&c->privileged.at);
	items_release(&c->cap_add);
	items_release(&c->cap_drop);
	items_release(&c->security_opt);
	hd_origin_release(&c->read_only.at);
	items_release(&c->tmpfs);
	hd_origin_release(&c->memory.at);
	hd_origin_release(&c->memory_reservation.at);
	hd_origin_release(&c->memory_swap.at);
	hd_origin_release(&c->nano_cpus.at);
	hd_origin_release(&c->cpu_shares.at);
	hd_origin_release(&c->cpu_quota.at);
	hd_origin_release(&c->cpu_period.at);
	str_release(&c->cpuset_cpus);
	hd_origin_release(&c->pids_limit.at);
	hd_origin_release(&c->oom_kill_disable.at);
	hd_origin_release(&c->oom_score_adj.at);
	for (i = 0; i < c->n_ulimits; i++) {
		hd_free(c->ulimits[i].name);
		hd_origin_release(&c->ulimits[i].at);
	}
	hd_free(c->ulimits);
	{
		struct hd_ns_setting *ns[] = { &c->network, &c->pid, &c->ipc, &c->uts, &c->userns,
					       &c->cgroupns };
		for (i = 0; i < HD_ARRAY_SIZE(ns); i++) {
			hd_free(ns[i]->value);
			hd_origin_release(&ns[i]->at);
		}
	}
	items_release(&c->networks);
	for (i = 0; i < c->n_mounts; i++) {
		struct hd_mount *m = &c->mounts[i];
		hd_free(m->source);
		hd_free(m->target);
		hd_free(m->propagation);
		hd_free(m->selinux);
		hd_origin_release(&m->at);
	}
	hd_free(c->mounts);
	for (i = 0; i < c->n_devices; i++) {
		hd_free(c->devices[i].host_path);
		hd_free(c->devices[i].container_path);
		hd_free(c->devices[i].perms);
		hd_origin_release(&c->devices[i].at);
	}
	hd_free(c->devices);
	items_release(&c->device_cgroup_rules);
	for (i = 0; i < c->n_ports; i++) {
		hd_free(c->ports[i].host_ip);
		hd_origin_release(&c->ports[i].at);
	}
	hd_free(c->ports);
	hd_origin_release(&c->publish_all.at);
	for (i = 0; i < c->n_env; i++) {
		hd_free(c->env[i].name);
		hd_free(c->env[i].value);
		hd_origin_release(&c->env[i].at);
	}
	hd_free(c->env);
	items_release(&c->env_files);
	for (i = 0; i < c->n_secrets; i++) {
		hd_free(c->secrets[i].name);
		hd_free(c->secrets[i].target);
		hd_origin_release(&c->secrets[i].at);
	}
	hd_free(c->secrets);
	hd_origin_release(&c->healthcheck.at);
	str_release(&c->restart);
	hd_origin_release(&c->restart_max_retries.at);
	str_release(&c->log_driver);
	kvs_release(&c->log_opts);
	kvs_release(&c->sysctls);
	str_release(&c->cgroup_parent);
	items_release(&c->extra_hosts);
	kvs_release(&c->labels);
	items_release(&c->command);
	items_release(&c->processes);
	hd_live_state_free(c->live);
	str_release(&c->runtime);
	hd_origin_release(&c->init.at);
	items_release(&c->unknown_options);
	items_release(&c->invalid_options);
	items_release(&c->opaque_args);
	str_release(&c->container_name);
	hd_free(c->name);
	hd_free(c->file);
	hd_free(c);
}

/* ---- image ------------------------------------------------------------------ */

int hd_container_set_image(struct hd_container_spec *c, const char *image, const struct hd_origin *at)
{
	int r;

	r = hd_str_setting_set(&c->image, image, at);
	if (r < 0)
		return r;
	hd_image_ref_release(&c->image_ref);
	if (!image)
		return 0;
	/* A malformed reference stays in c->image for messages; image_ref stays empty. */
	r = hd_image_ref_parse(image, &c->image_ref);
	if (r == -HD_ENOMEM)
		return r;
	return 0;
}

/* ---- normalisation ------------------------------------------------------------ */

char *hd_cap_normalise(const char *cap)
{
	char *s, *p;

	while (*cap == ' ')
		cap++;
	if (strncasecmp(cap, "CAP_", 4) == 0)
		cap += 4;
	if (!(s = hd_strdup(cap)))
		return NULL;
	for (p = s; *p; p++)
		*p = (char)toupper((unsigned char)*p);
	while (p > s && p[-1] == ' ')
		*--p = '\0';
	return s;
}

char *hd_security_opt_normalise(const char *opt)
{
	const char *eq = strchr(opt, '='), *colon;

	if (strcasecmp(opt, "no-new-privileges") == 0)
		return hd_strdup("no-new-privileges=true");
	if (eq)
		return hd_strdup(opt);
	/* The CLI splits on ':' only when there is no '=' at all. */
	colon = strchr(opt, ':');
	if (!colon)
		return hd_strdup(opt);
	return hd_asprintf("%.*s=%s", (int)(colon - opt), opt, colon + 1);
}

const struct hd_item *hd_security_opt_find(const struct hd_container_spec *c, const char *key,
					   const char *want, const char **value)
{
	size_t n = strlen(key), i = c->security_opt.n;

	while (i-- > 0) {
		const struct hd_item *x = &c->security_opt.v[i];
		const char *v;

		if (strncasecmp(x->value, key, n) != 0 || (x->value[n] != '=' && x->value[n] != '\0'))
			continue;
		v = x->value[n] == '=' ? x->value + n + 1 : "";
		if (want && strcasecmp(v, want) != 0)
			continue;
		if (value)
			*value = v;
		return x;
	}
	return NULL;
}

void hd_origin_loc(const struct hd_container_spec *c, const struct hd_origin *o, struct hd_loc *loc)
{
	memset(loc, 0, sizeof(*loc));
	if (!o || (!o->line && !o->field))
		o = &c->at;
	loc->file = o->file ? o->file : c->file;
	if (o->line) {
		loc->line = o->line;
		loc->col = o->col;
	} else {
		loc->line = c->at.line;
		loc->col = c->at.col;
	}
	loc->object = c->name;
	loc->field = o->field ? o->field : c->at.field;
}

/* ---- units ---------------------------------------------------------------------- */

/*
 * Parses "I[.F]" at *p into an exact scaled value: I * mult + F * mult /
 * 10^len(F), truncated.  Digits before or after the dot may be missing when
 * allow_empty is set (Go's ".5s", "1.s"), never both.  Fails on overflow.
 */
static int scaled_decimal(const char **pp, uint64_t mult, bool allow_empty, uint64_t max, uint64_t *ret)
{
	const char *p = *pp;
	uint64_t ip = 0, v, num = 0, den = 1;
	bool any_int = false, any_frac = false;
	unsigned __int128 frac;

	while (*p >= '0' && *p <= '9') {
		if (__builtin_mul_overflow(ip, 10, &ip) || __builtin_add_overflow(ip, (uint64_t)(*p - '0'), &ip))
			return -HD_EINVAL;
		any_int = true;
		p++;
	}
	if (*p == '.') {
		p++;
		while (*p >= '0' && *p <= '9') {
			/* Digits past 10^19 cannot change a 64-bit result's integer part. */
			if (den <= UINT64_MAX / 10) {
				num = num * 10 + (uint64_t)(*p - '0');
				den *= 10;
			}
			any_frac = true;
			p++;
		}
		if (!any_frac && !allow_empty)
			return -HD_EINVAL;
	}
	if (!any_int && (!allow_empty || !any_frac))
		return -HD_EINVAL;
	if (__builtin_mul_overflow(ip, mult, &v))
		return -HD_EINVAL;
	frac = (unsigned __int128)num * mult / den;
	if (frac > max || __builtin_add_overflow(v, (uint64_t)frac, &v) || v > max)
		return -HD_EINVAL;
	*pp = p;
	*ret = v;
	return 0;
}

int hd_parse_bytes(const char *s, int64_t *ret)
{
	const char *p = s, *num_end;
	uint64_t mult = 1, v;
	int r;

	if (!s || !(*p >= '0' && *p <= '9'))
		return -HD_EINVAL;
	/* Find the unit first: the multiplier applies before truncation. */
	num_end = p;
	while ((*num_end >= '0' && *num_end <= '9') || *num_end == '.')
		num_end++;
	{
		const char *u = num_end;

		if (*u == ' ')
			u++;
		switch (tolower((unsigned char)*u)) {
		case 'k': mult = 1ull << 10; u++; break;
		case 'm': mult = 1ull << 20; u++; break;
		case 'g': mult = 1ull << 30; u++; break;
		case 't': mult = 1ull << 40; u++; break;
		case 'p': mult = 1ull << 50; u++; break;
		default: break;
		}
		if (*u == 'i' || *u == 'I')
			u++;
		if (*u == 'b' || *u == 'B')
			u++;
		if (*u)
			return -HD_EINVAL;
	}
	r = scaled_decimal(&p, mult, false, INT64_MAX, &v);
	if (r < 0)
		return r;
	if (p != num_end)
		return -HD_EINVAL;
	*ret = (int64_t)v;
	return 0;
}

int hd_parse_nano_cpus(const char *s, int64_t *ret)
{
	const char *p = s, *dot;
	uint64_t v;
	int r;

	if (!s || !*s)
		return -HD_EINVAL;
	if (*p == '+')
		p++;
	/* More than nine significant fractional digits is "too precise". */
	dot = strchr(p, '.');
	if (dot) {
		const char *q = dot + 1, *last = dot;

		for (; *q >= '0' && *q <= '9'; q++) {
			if (*q != '0')
				last = q;
		}
		if (last - dot > 9)
			return -HD_EINVAL;
	}
	r = scaled_decimal(&p, 1000000000ull, false, INT64_MAX, &v);
	if (r < 0)
		return r;
	if (*p)
		return -HD_EINVAL;
	*ret = (int64_t)v;
	return 0;
}

int hd_parse_duration_ns(const char *s, int64_t *ret)
{
	static const struct { const char *name; uint64_t ns; } units[] = {
		{ "ns", 1 },
		{ "us", 1000 },
		{ "\xc2\xb5s", 1000 }, /* U+00B5 micro sign */
		{ "\xce\xbcs", 1000 }, /* U+03BC Greek mu */
		{ "ms", 1000000 },
		{ "s", 1000000000ull },
		{ "m", 60000000000ull },
		{ "h", 3600000000000ull },
	};
	const char *p = s;
	uint64_t total = 0;

	if (!s || !*s)
		return -HD_EINVAL;
	if (*p == '+')
		p++;
	if (strcmp(p, "0") == 0) {
		*ret = 0;
		return 0;
	}
	if (!*p)
		return -HD_EINVAL;
	while (*p) {
		const char *num = p, *u;
		uint64_t v, mult = 0;
		size_t ulen = 0, i;
		int r;

		while ((*p >= '0' && *p <= '9') || *p == '.')
			p++;
		u = p;
		while (*p && !((*p >= '0' && *p <= '9') || *p == '.'))
			p++;
		for (i = 0; i < HD_ARRAY_SIZE(units); i++) {
			size_t n = strlen(units[i].name);

			if ((size_t)(p - u) == n && memcmp(u, units[i].name, n) == 0) {
				mult = units[i].ns;
				ulen = n;
				break;
			}
		}
		if (!ulen)
			return -HD_EINVAL;
		r = scaled_decimal(&num, mult, true, INT64_MAX, &v);
		if (r < 0 || num != u)
			return -HD_EINVAL;
		if (__builtin_add_overflow(total, v, &total) || total > INT64_MAX)
			return -HD_EINVAL;
	}
	*ret = (int64_t)total;
	return 0;
}
