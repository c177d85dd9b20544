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

#include <pthread.h>

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

void hd_kvs_release(struct hd_kvs *l)
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

static void ns_release(struct hd_ns_setting *s)
{
	hd_free(s->value);
	hd_origin_release(&s->at);
}

/* Releases the value of one setting of the table, by its kind. */
static void cset_release(struct hd_container_spec *c, const struct hd_cset *s)
{
	void *f = hd_cset_field(c, s);
	size_t i;

	switch (s->kind) {
	case HD_CK_BOOL:
		hd_origin_release(&((struct hd_flag_setting *)f)->at);
		break;
	case HD_CK_INT:
	case HD_CK_BYTES:
	case HD_CK_CPUS:
		hd_origin_release(&((struct hd_int_setting *)f)->at);
		break;
	case HD_CK_STR:
		str_release(f);
		break;
	case HD_CK_NS:
		ns_release(f);
		break;
	case HD_CK_LIST:
	case HD_CK_CAPS:
	case HD_CK_SECOPT:
	case HD_CK_TMPFS:
	case HD_CK_HOSTS:
	case HD_CK_ENV_FILES:
	case HD_CK_COMMAND:
		items_release(f);
		break;
	case HD_CK_KVS:
		hd_kvs_release(f);
		break;
	case HD_CK_IMAGE:
		str_release(&c->image);
		hd_image_ref_release(&c->image_ref);
		break;
	case HD_CK_ULIMITS:
		for (i = 0; i < c->n_ulimits; i++) {
			hd_free(c->ulimits[i].name);
			hd_origin_release(&c->ulimits[i].at);
		}
		hd_free(c->ulimits);
		break;
	case HD_CK_NETWORK:
		ns_release(&c->network);
		items_release(&c->networks);
		break;
	case HD_CK_MOUNTS:
		for (i = 0; i < c->n_mounts; i++) {
			struct hd_mount *m = &c->mounts[i];

			hd_free(m->source);
			hd_free(m->target);
			hd_free(m->propagation);
			hd_free(m->selinux);
			hd_free(m->volume);
			hd_origin_release(&m->at);
		}
		hd_free(c->mounts);
		break;
	case HD_CK_DEVICES:
		for (i = 0; i < c->n_devices; i++) {
			hd_free(c->devices[i].host_path);
			hd_free(c->devices[i].container_path);
			hd_free(c->devices[i].perms);
			hd_origin_release(&c->devices[i].at);
		}
		hd_free(c->devices);
		break;
	case HD_CK_PORTS:
		for (i = 0; i < c->n_ports; i++) {
			hd_free(c->ports[i].host_ip);
			hd_origin_release(&c->ports[i].at);
		}
		hd_free(c->ports);
		break;
	case HD_CK_ENV:
		for (i = 0; i < c->n_env; i++) {
			hd_free(c->env[i].name);
			hd_free(c->env[i].value);
			hd_origin_release(&c->env[i].at);
		}
		hd_free(c->env);
		break;
	case HD_CK_SECRETS:
		for (i = 0; i < c->n_secrets; i++) {
			hd_free(c->secrets[i].name);
			hd_free(c->secrets[i].target);
			hd_origin_release(&c->secrets[i].at);
		}
		hd_free(c->secrets);
		break;
	case HD_CK_HEALTH:
		hd_origin_release(&c->healthcheck.at);
		break;
	case HD_CK_RESTART:
		str_release(&c->restart);
		hd_origin_release(&c->restart_max_retries.at);
		break;
	case HD_CK_MAX:
		HD_BUG("bad setting kind");
	}
}

void hd_container_spec_free(struct hd_container_spec *c)
{
	size_t i;

	if (!c)
		return;
	for (i = 0; i < HD_CS_MAX; i++)
		cset_release(c, &hd_csets[i]);
	/* What is not a setting: identity, image facts, live state, what the source could not read. */
	hd_origin_release(&c->at);
	hd_free(c->id);
	hd_free(c->state);
	hd_free(c->image_facts.user);
	hd_free(c->image_facts.source);
	items_release(&c->processes);
	hd_live_state_free(c->live);
	items_release(&c->unknown_options);
	items_release(&c->invalid_options);
	items_release(&c->opaque_args);
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

/* ---- local-driver bind volumes ---------------------------------------------------- */

static const char *kvs_get(const struct hd_kvs *l, const char *key)
{
	const char *v = NULL;
	size_t i;

	/* The last one wins, as a map keeps it. */
	for (i = 0; l && i < l->n; i++) {
		if (strcmp(l->v[i].key, key) == 0)
			v = l->v[i].value;
	}
	return v;
}

/* Does the comma-separated option list o hold word w? */
static bool opt_has(const char *o, const char *w)
{
	size_t n = strlen(w);

	while (o && *o) {
		size_t len = strcspn(o, ",");

		if (len == n && strncmp(o, w, n) == 0)
			return true;
		o += len;
		if (*o == ',')
			o++;
	}
	return false;
}

int hd_mount_resolve_volume(struct hd_mount *m, const char *driver, const struct hd_kvs *opts)
{
	const char *o = kvs_get(opts, "o"), *device = kvs_get(opts, "device");
	char *src, *vol = NULL;

	if (m->type != HD_MOUNT_VOLUME || (driver && *driver && strcmp(driver, "local") != 0))
		return 0;
	/*
	 * The local driver mounts `device` with the options of `o`; "bind" or
	 * "rbind" there makes it a bind whatever `type` says.
	 */
	if (!device || device[0] != '/' || !(opt_has(o, "bind") || opt_has(o, "rbind")))
		return 0;
	src = hd_strdup(device);
	if (!src || (m->source && !(vol = hd_strdup(m->source)))) {
		hd_free(src);
		return -HD_ENOMEM;
	}
	hd_free(m->source);
	hd_free(m->volume);
	m->source = src;
	m->volume = vol;
	m->type = HD_MOUNT_BIND;
	if (opt_has(o, "ro"))
		m->read_only = true;
	return 0;
}

/* ---- the table of settings --------------------------------------------------------- */

#define HD_CSET(id, field, kind, lo, hi, fl, run, compose, inspect, create) \
	[HD_CS_##id] = { #field, HD_CK_##kind, offsetof(struct hd_container_spec, field), lo, hi, fl, \
			 run, compose, inspect, create },
const struct hd_cset hd_csets[HD_CS_MAX] = {
#include "model/container_opts.def"
};
#undef HD_CSET

/* Each generic kind's field has the type the kind says. */
#define CK_TYPE_BOOL struct hd_flag_setting
#define CK_TYPE_INT struct hd_int_setting
#define CK_TYPE_BYTES struct hd_int_setting
#define CK_TYPE_CPUS struct hd_int_setting
#define CK_TYPE_STR struct hd_str_setting
#define CK_TYPE_NS struct hd_ns_setting
#define CK_TYPE_LIST struct hd_items
#define CK_TYPE_CAPS struct hd_items
#define CK_TYPE_SECOPT struct hd_items
#define CK_TYPE_KVS struct hd_kvs
#define CK_TYPE_IMAGE struct hd_str_setting
#define CK_TYPE_TMPFS struct hd_items
#define CK_TYPE_ULIMITS struct hd_ulimit *
#define CK_TYPE_NETWORK struct hd_ns_setting
#define CK_TYPE_MOUNTS struct hd_mount *
#define CK_TYPE_DEVICES struct hd_device *
#define CK_TYPE_PORTS struct hd_port *
#define CK_TYPE_HOSTS struct hd_items
#define CK_TYPE_ENV struct hd_env *
#define CK_TYPE_ENV_FILES struct hd_items
#define CK_TYPE_SECRETS struct hd_secret_ref *
#define CK_TYPE_HEALTH struct hd_healthcheck
#define CK_TYPE_RESTART struct hd_str_setting
#define CK_TYPE_COMMAND struct hd_items
#define HD_CSET(id, field, kind, lo, hi, fl, run, compose, inspect, create) \
	_Static_assert(__builtin_types_compatible_p(__typeof__(((struct hd_container_spec *)0)->field), \
						    CK_TYPE_##kind), \
		       "container_opts.def: '" #field "' does not have the type of kind " #kind);
#include "model/container_opts.def"
#undef HD_CSET

int hd_cset_check_int(const struct hd_cset *s, int64_t v, char *buf, size_t n, const char **expect)
{
	const char *what = s->kind == HD_CK_BYTES ? "a size" : s->kind == HD_CK_CPUS ? "a number of CPUs" :
			   "an integer";

	if (v >= s->min && v <= s->max)
		return 0;
	if (s->kind == HD_CK_BYTES && s->min == -1)
		snprintf(buf, n, "%s, or -1 for unlimited", what);
	else if (s->max == INT64_MAX)
		snprintf(buf, n, "%s of at least %" PRId64, what, s->min);
	else
		snprintf(buf, n, "%s from %" PRId64 " to %" PRId64, what, s->min, s->max);
	*expect = buf;
	return -HD_EINVAL;
}

int hd_cset_parse_value(const struct hd_cset *s, const char *text, int64_t *v, const char **expect)
{
	/* "-1" (unlimited) is written so only where the range takes it. */
	bool minus1 = strcmp(text, "-1") == 0 && s->min <= -1;
	int r;

	switch (s->kind) {
	case HD_CK_BYTES:
		*expect = "a size such as 512m";
		r = minus1 ? (*v = -1, 0) : hd_parse_bytes(text, v);
		break;
	case HD_CK_CPUS:
		*expect = "a number of CPUs such as 0.5";
		r = minus1 ? (*v = -1, 0) : hd_parse_nano_cpus(text, v);
		break;
	default:
		*expect = "an integer";
		r = hd_parse_i64(text, INT64_MIN, INT64_MAX, v);
		break;
	}
	return r < 0 ? -HD_EINVAL : 0;
}

int hd_cset_parse_int(const struct hd_cset *s, const char *text, int64_t *v, char *buf, size_t n,
		      const char **expect)
{
	int64_t x;
	int r;

	r = hd_cset_parse_value(s, text, &x, expect);
	if (r >= 0)
		r = hd_cset_check_int(s, x, buf, n, expect);
	if (r < 0)
		return r;
	*v = x;
	return 0;
}

int hd_cset_check_item(const struct hd_cset *s, const char *item, const char **expect)
{
	/* A security option docker accepts is key=value (or one of the few bare words normalised so). */
	if (s->kind == HD_CK_SECOPT && !strchr(item, '=')) {
		*expect = "key=value";
		return -HD_EINVAL;
	}
	/* A key=value list: a key is required, and a value unless the setting takes bare keys (labels). */
	if (s->kind == HD_CK_KVS && (item[0] == '=' || (!strchr(item, '=') && !(s->flags & HD_CSF_KV_BARE)))) {
		*expect = s->flags & HD_CSF_KV_BARE ? "key[=value]" : "key=value";
		return -HD_EINVAL;
	}
	return 0;
}

/* ---- run-line flags of the table ---------------------------------------------------- */

#define MAX_FLAGS 96
static struct hd_cset_flag flag_table[MAX_FLAGS + 1];
static char flag_names[MAX_FLAGS * 24];
static pthread_once_t flag_once = PTHREAD_ONCE_INIT;

static void build_flags(void)
{
	size_t nf = 0, nb = 0, i;

	for (i = 0; i < HD_CS_MAX; i++) {
		const struct hd_cset *s = &hd_csets[i];
		const char *p = s->run;

		while (*p) {
			struct hd_cset_flag *f = &flag_table[nf];
			size_t len = strcspn(p, " ");
			const char *end = p + len, *q = p;

			HD_ASSERT(nf < MAX_FLAGS);
			f->set = s;
			f->value = s->kind != HD_CK_BOOL;
			f->cmds = HD_CSR_RUN | HD_CSR_CREATE | HD_CSR_PODMAN;
			f->name = flag_names + nb;
			while (q < end && *q != '|' && *q != '!' && *q != '@') {
				HD_ASSERT(nb + 2 < sizeof(flag_names));
				flag_names[nb++] = *q++;
			}
			flag_names[nb++] = '\0';
			if (q < end && *q == '|') {
				f->shorthand = q[1];
				q += 2;
			}
			if (q < end && *q == '!') {
				f->value = false;
				q++;
			}
			if (q < end && *q == '@') {
				f->cmds = 0;
				for (q++; q < end; q++) {
					f->cmds |= *q == 'r' ? HD_CSR_RUN : *q == 'c' ? HD_CSR_CREATE :
						   *q == 's' ? HD_CSR_SERVICE : *q == 'p' ? HD_CSR_PODMAN : 0;
				}
			}
			HD_ASSERT(q == end && f->cmds);
			nf++;
			p = *end ? end + 1 : end;
		}
	}
	flag_table[nf].name = NULL;
}

const struct hd_cset_flag *hd_cset_flags(void)
{
	pthread_once(&flag_once, build_flags);
	return flag_table;
}
