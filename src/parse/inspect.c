/*
 * Engine API JSON -> models (see inspect.h).  One small typed accessor per
 * JSON type checks every field it reads; the first mismatch becomes an
 * -HD_EPROTO with the object and the JSON path, so a daemon (or something
 * pretending to be one) that answers garbage is reported, not half-read.
 */
#include "core/common.h"
#include "core/buf.h"
#include "parse/inspect.h"

#include <jansson.h>
#include <openssl/pem.h>
#include <openssl/x509.h>
#include <time.h>

#define PATH_MAX_LEN 512

struct jctx {
	struct hd_diag *d;
	char what[200]; /* "container 'web'" */
};

static int bad(struct jctx *x, const char *path, const char *expect)
{
	int r;

	if (!x->d)
		return -HD_EPROTO;
	r = hd_diag_set(x->d, NULL, 0, 0, "%s: %s: expected %s", x->what, path, expect);
	return r == -HD_ENOMEM ? r : -HD_EPROTO;
}

static json_t *load(struct jctx *x, const char *json, size_t len, bool want_array)
{
	json_error_t je;
	json_t *j = json_loadb(json, len, JSON_REJECT_DUPLICATES, &je);

	if (!j) {
		if (x->d)
			hd_diag_set(x->d, NULL, (unsigned)je.line, (unsigned)je.column,
				    "%s: the engine's answer is not JSON: %s", x->what, je.text);
		return NULL;
	}
	if (want_array ? !json_is_array(j) : !json_is_object(j)) {
		bad(x, "(document)", want_array ? "a JSON array" : "a JSON object");
		json_decref(j);
		return NULL;
	}
	return j;
}

/* Typed getters: absent or null gives the zero value and *present false. */
static int get_str(struct jctx *x, json_t *o, const char *key, const char *path, const char **out)
{
	json_t *v = json_object_get(o, key);

	*out = NULL;
	if (!v || json_is_null(v))
		return 0;
	if (!json_is_string(v))
		return bad(x, path, "a string");
	*out = json_string_value(v);
	return 0;
}

static int get_bool(struct jctx *x, json_t *o, const char *key, const char *path, bool *out,
		    bool *present)
{
	json_t *v = json_object_get(o, key);

	*out = false;
	if (present)
		*present = false;
	if (!v || json_is_null(v))
		return 0;
	if (!json_is_boolean(v))
		return bad(x, path, "a boolean");
	*out = json_is_true(v);
	if (present)
		*present = true;
	return 0;
}

static int get_int(struct jctx *x, json_t *o, const char *key, const char *path, int64_t *out,
		   bool *present)
{
	json_t *v = json_object_get(o, key);

	*out = 0;
	if (present)
		*present = false;
	if (!v || json_is_null(v))
		return 0;
	if (!json_is_integer(v))
		return bad(x, path, "an integer");
	*out = (int64_t)json_integer_value(v);
	if (present)
		*present = true;
	return 0;
}

static int get_obj(struct jctx *x, json_t *o, const char *key, const char *path, json_t **out)
{
	json_t *v = json_object_get(o, key);

	*out = NULL;
	if (!v || json_is_null(v))
		return 0;
	if (!json_is_object(v))
		return bad(x, path, "an object");
	*out = v;
	return 0;
}

static int get_arr(struct jctx *x, json_t *o, const char *key, const char *path, json_t **out)
{
	json_t *v = json_object_get(o, key);

	*out = NULL;
	if (!v || json_is_null(v))
		return 0;
	if (!json_is_array(v))
		return bad(x, path, "an array");
	*out = v;
	return 0;
}

/* An origin with only a field (JSON path); the caller releases it. */
static int origin(struct hd_origin *o, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static int origin(struct hd_origin *o, const char *fmt, ...)
{
	char path[PATH_MAX_LEN];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(path, sizeof(path), fmt, ap);
	va_end(ap);
	return hd_origin_set(o, NULL, 0, 0, path);
}

static int dup_str(char **dst, const char *s)
{
	if (!s)
		return 0;
	hd_free(*dst);
	*dst = hd_strdup(s);
	return *dst ? 0 : -HD_ENOMEM;
}

/* Appends every string of array `arr` at `path` to items (through fn, if given). */
static int add_str_items(struct jctx *x, struct hd_items *items, json_t *arr, const char *path,
			 char *(*fn)(const char *))
{
	size_t i;
	json_t *v;
	int r;

	json_array_foreach(arr, i, v) {
		struct hd_origin at = { 0 };
		char p[PATH_MAX_LEN];
		char *val;

		snprintf(p, sizeof(p), "%s[%zu]", path, i);
		if (!json_is_string(v))
			return bad(x, p, "a string");
		val = fn ? fn(json_string_value(v)) : hd_strdup(json_string_value(v));
		r = val ? hd_origin_set(&at, NULL, 0, 0, p) : -HD_ENOMEM;
		if (r >= 0)
			r = hd_items_add(items, val, &at);
		hd_free(val);
		hd_origin_release(&at);
		if (r < 0)
			return r;
	}
	return 0;
}

/* Appends every "key": "string" of object obj to kvs. */
static int add_str_kvs(struct jctx *x, struct hd_kvs *kvs, json_t *obj, const char *path)
{
	const char *k;
	json_t *v;
	int r;

	json_object_foreach(obj, k, v) {
		struct hd_origin at = { 0 };
		char p[PATH_MAX_LEN];

		snprintf(p, sizeof(p), "%s.%s", path, k);
		if (!json_is_string(v))
			return bad(x, p, "a string");
		r = hd_origin_set(&at, NULL, 0, 0, p);
		if (r >= 0)
			r = hd_kvs_add(kvs, k, json_string_value(v), &at);
		hd_origin_release(&at);
		if (r < 0)
			return r;
	}
	return 0;
}

static int set_int(struct hd_int_setting *s, int64_t v, const char *path)
{
	struct hd_origin at = { 0 };
	int r;

	r = hd_origin_set(&at, NULL, 0, 0, path);
	if (r >= 0)
		r = hd_int_setting_set(s, v, &at);
	hd_origin_release(&at);
	return r;
}

static int set_flag(struct hd_flag_setting *s, bool v, const char *path)
{
	struct hd_origin at = { 0 };
	int r;

	r = hd_origin_set(&at, NULL, 0, 0, path);
	if (r >= 0)
		r = hd_flag_setting_set(s, v, &at);
	hd_origin_release(&at);
	return r;
}

static int set_str(struct hd_str_setting *s, const char *v, const char *path)
{
	struct hd_origin at = { 0 };
	int r;

	r = hd_origin_set(&at, NULL, 0, 0, path);
	if (r >= 0)
		r = hd_str_setting_set(s, v, &at);
	hd_origin_release(&at);
	return r;
}

static int set_ns(struct hd_ns_setting *s, const char *v, const char *path)
{
	struct hd_origin at = { 0 };
	int r;

	if (!v || !*v)
		return 0;
	r = hd_origin_set(&at, NULL, 0, 0, path);
	if (r >= 0)
		r = hd_ns_setting_set(s, v, &at);
	hd_origin_release(&at);
	return r;
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

/* ---- container inspect ---------------------------------------------------- */

static int read_security(struct jctx *x, struct hd_container_spec *c, json_t *hc)
{
	json_t *a;
	bool b, present;
	int r;

	r = get_bool(x, hc, "Privileged", "HostConfig.Privileged", &b, &present);
	if (r >= 0 && present)
		r = set_flag(&c->privileged, b, "HostConfig.Privileged");
	if (r >= 0)
		r = get_arr(x, hc, "CapAdd", "HostConfig.CapAdd", &a);
	if (r >= 0 && a)
		r = add_str_items(x, &c->cap_add, a, "HostConfig.CapAdd", hd_cap_normalise);
	if (r >= 0)
		r = get_arr(x, hc, "CapDrop", "HostConfig.CapDrop", &a);
	if (r >= 0 && a)
		r = add_str_items(x, &c->cap_drop, a, "HostConfig.CapDrop", hd_cap_normalise);
	if (r >= 0)
		r = get_arr(x, hc, "SecurityOpt", "HostConfig.SecurityOpt", &a);
	if (r >= 0 && a)
		r = add_str_items(x, &c->security_opt, a, "HostConfig.SecurityOpt",
				  hd_security_opt_normalise);
	if (r >= 0)
		r = get_bool(x, hc, "ReadonlyRootfs", "HostConfig.ReadonlyRootfs", &b, &present);
	if (r >= 0 && present)
		r = set_flag(&c->read_only, b, "HostConfig.ReadonlyRootfs");
	if (r >= 0)
		r = get_arr(x, hc, "GroupAdd", "HostConfig.GroupAdd", &a);
	if (r >= 0 && a)
		r = add_str_items(x, &c->group_add, a, "HostConfig.GroupAdd", NULL);
	return r;
}

static int read_resources(struct jctx *x, struct hd_container_spec *c, json_t *hc)
{
	static const struct {
		const char *key;
		size_t off;
		int64_t min; /* values below are "not set" (0 means unlimited/default) */
	} ints[] = {
		{ "Memory", offsetof(struct hd_container_spec, memory), 1 },
		{ "MemoryReservation", offsetof(struct hd_container_spec, memory_reservation), 1 },
		{ "NanoCpus", offsetof(struct hd_container_spec, nano_cpus), 1 },
		{ "CpuShares", offsetof(struct hd_container_spec, cpu_shares), 1 },
		{ "CpuQuota", offsetof(struct hd_container_spec, cpu_quota), 1 },
		{ "CpuPeriod", offsetof(struct hd_container_spec, cpu_period), 1 },
	};
	char path[PATH_MAX_LEN];
	const char *s;
	json_t *a, *v;
	int64_t iv;
	bool present, b;
	size_t i;
	int r = 0;

	for (i = 0; i < HD_ARRAY_SIZE(ints) && r >= 0; i++) {
		snprintf(path, sizeof(path), "HostConfig.%s", ints[i].key);
		r = get_int(x, hc, ints[i].key, path, &iv, &present);
		if (r >= 0 && present && iv >= ints[i].min)
			r = set_int((struct hd_int_setting *)(void *)((char *)c + ints[i].off), iv, path);
	}
	/* MemorySwap: -1 is unlimited swap, which is explicit; 0 is the default. */
	if (r >= 0)
		r = get_int(x, hc, "MemorySwap", "HostConfig.MemorySwap", &iv, &present);
	if (r >= 0 && present && iv != 0)
		r = set_int(&c->memory_swap, iv, "HostConfig.MemorySwap");
	/* PidsLimit: null or 0 is unlimited (not set); -1 is unlimited (set). */
	if (r >= 0)
		r = get_int(x, hc, "PidsLimit", "HostConfig.PidsLimit", &iv, &present);
	if (r >= 0 && present && iv != 0)
		r = set_int(&c->pids_limit, iv, "HostConfig.PidsLimit");
	if (r >= 0)
		r = get_bool(x, hc, "OomKillDisable", "HostConfig.OomKillDisable", &b, &present);
	if (r >= 0 && present)
		r = set_flag(&c->oom_kill_disable, b, "HostConfig.OomKillDisable");
	if (r >= 0)
		r = get_int(x, hc, "OomScoreAdj", "HostConfig.OomScoreAdj", &iv, &present);
	if (r >= 0 && present && iv != 0)
		r = set_int(&c->oom_score_adj, iv, "HostConfig.OomScoreAdj");
	if (r >= 0)
		r = get_str(x, hc, "CpusetCpus", "HostConfig.CpusetCpus", &s);
	if (r >= 0 && s && *s)
		r = set_str(&c->cpuset_cpus, s, "HostConfig.CpusetCpus");
	if (r >= 0)
		r = get_arr(x, hc, "Ulimits", "HostConfig.Ulimits", &a);
	if (r >= 0 && a) {
		json_array_foreach(a, i, v) {
			struct hd_origin at = { 0 };
			struct hd_ulimit *u;
			const char *name;

			snprintf(path, sizeof(path), "HostConfig.Ulimits[%zu]", i);
			if (!json_is_object(v))
				return bad(x, path, "an object");
			r = get_str(x, v, "Name", path, &name);
			if (r < 0)
				return r;
			r = hd_origin_set(&at, NULL, 0, 0, path);
			u = r >= 0 ? hd_container_add_ulimit(c, &at) : NULL;
			hd_origin_release(&at);
			if (!u)
				return -HD_ENOMEM;
			r = dup_str(&u->name, name ? name : "");
			if (r >= 0)
				r = get_int(x, v, "Soft", path, &u->soft, NULL);
			if (r >= 0)
				r = get_int(x, v, "Hard", path, &u->hard, NULL);
			if (r < 0)
				return r;
		}
	}
	return r;
}

static int read_namespaces(struct jctx *x, struct hd_container_spec *c, json_t *hc)
{
	static const struct {
		const char *key;
		size_t off;
	} ns[] = {
		{ "NetworkMode", offsetof(struct hd_container_spec, network) },
		{ "PidMode", offsetof(struct hd_container_spec, pid) },
		{ "IpcMode", offsetof(struct hd_container_spec, ipc) },
		{ "UTSMode", offsetof(struct hd_container_spec, uts) },
		{ "UsernsMode", offsetof(struct hd_container_spec, userns) },
		{ "CgroupnsMode", offsetof(struct hd_container_spec, cgroupns) },
	};
	char path[PATH_MAX_LEN];
	const char *s;
	size_t i;
	int r = 0;

	for (i = 0; i < HD_ARRAY_SIZE(ns) && r >= 0; i++) {
		snprintf(path, sizeof(path), "HostConfig.%s", ns[i].key);
		r = get_str(x, hc, ns[i].key, path, &s);
		if (r >= 0)
			r = set_ns((struct hd_ns_setting *)(void *)((char *)c + ns[i].off), s, path);
	}
	return r;
}

/* Where a mount of the effective list was asked for: a Binds entry or a Mounts entry. */
static void mount_origin(json_t *hc, const char *dst, char *path, size_t n, size_t idx)
{
	json_t *a = json_object_get(hc, "Binds"), *v;
	size_t i;

	json_array_foreach(a, i, v) {
		const char *b = json_string_value(v), *c1, *c2;

		if (!b)
			continue;
		/* "src:dst[:opts]"; a Binds entry names the destination second. */
		c1 = strchr(b, ':');
		if (!c1)
			continue;
		c2 = strchr(c1 + 1, ':');
		if ((c2 ? (size_t)(c2 - c1 - 1) : strlen(c1 + 1)) == strlen(dst) &&
		    strncmp(c1 + 1, dst, strlen(dst)) == 0) {
			snprintf(path, n, "HostConfig.Binds[%zu]", i);
			return;
		}
	}
	a = json_object_get(hc, "Mounts");
	json_array_foreach(a, i, v) {
		const char *t = json_string_value(json_object_get(v, "Target"));

		if (t && strcmp(t, dst) == 0) {
			snprintf(path, n, "HostConfig.Mounts[%zu]", i);
			return;
		}
	}
	snprintf(path, n, "Mounts[%zu]", idx);
}

static enum hd_mount_type mount_type(const char *t)
{
	if (!t || !strcmp(t, "bind"))
		return HD_MOUNT_BIND;
	if (!strcmp(t, "volume"))
		return HD_MOUNT_VOLUME;
	if (!strcmp(t, "tmpfs"))
		return HD_MOUNT_TMPFS;
	if (!strcmp(t, "npipe"))
		return HD_MOUNT_NPIPE;
	if (!strcmp(t, "cluster"))
		return HD_MOUNT_CLUSTER;
	return HD_MOUNT_IMAGE;
}

static int read_mounts(struct jctx *x, struct hd_container_spec *c, json_t *root, json_t *hc)
{
	char path[PATH_MAX_LEN], opath[PATH_MAX_LEN];
	json_t *a, *v, *tm;
	const char *k;
	size_t i;
	int r;

	r = get_arr(x, root, "Mounts", "Mounts", &a);
	if (r < 0)
		return r;
	json_array_foreach(a, i, v) {
		const char *type, *src, *name, *dst, *mode, *prop;
		struct hd_origin at = { 0 };
		struct hd_mount *m;
		bool rw, rw_present;

		snprintf(path, sizeof(path), "Mounts[%zu]", i);
		if (!json_is_object(v))
			return bad(x, path, "an object");
		if ((r = get_str(x, v, "Type", path, &type)) < 0 ||
		    (r = get_str(x, v, "Source", path, &src)) < 0 ||
		    (r = get_str(x, v, "Name", path, &name)) < 0 ||
		    (r = get_str(x, v, "Destination", path, &dst)) < 0 ||
		    (r = get_str(x, v, "Mode", path, &mode)) < 0 ||
		    (r = get_str(x, v, "Propagation", path, &prop)) < 0 ||
		    (r = get_bool(x, v, "RW", path, &rw, &rw_present)) < 0)
			return r;
		if (!dst)
			return bad(x, path, "a Destination");
		mount_origin(hc, dst, opath, sizeof(opath), i);
		r = hd_origin_set(&at, NULL, 0, 0, opath);
		m = r >= 0 ? hd_container_add_mount(c, &at) : NULL;
		hd_origin_release(&at);
		if (!m)
			return -HD_ENOMEM;
		m->type = mount_type(type);
		m->read_only = rw_present && !rw;
		if ((r = dup_str(&m->target, dst)) < 0)
			return r;
		if (m->type == HD_MOUNT_VOLUME && name)
			r = dup_str(&m->source, name);
		else if (src && *src)
			r = dup_str(&m->source, src);
		if (r >= 0 && prop && *prop)
			r = dup_str(&m->propagation, prop);
		if (r >= 0 && m->type == HD_MOUNT_BIND && mode && strchr(mode, 'Z'))
			r = dup_str(&m->selinux, "Z");
		else if (r >= 0 && m->type == HD_MOUNT_BIND && mode && strchr(mode, 'z'))
			r = dup_str(&m->selinux, "z");
		if (r < 0)
			return r;
	}
	/* --tmpfs mounts are not in the effective Mounts list. */
	r = get_obj(x, hc, "Tmpfs", "HostConfig.Tmpfs", &tm);
	if (r < 0)
		return r;
	json_object_foreach(tm, k, v) {
		struct hd_origin at = { 0 };
		char *item;

		snprintf(path, sizeof(path), "HostConfig.Tmpfs.%s", k);
		if (!json_is_string(v))
			return bad(x, path, "a string");
		item = *json_string_value(v) ? hd_asprintf("%s:%s", k, json_string_value(v))
					     : hd_strdup(k);
		r = item ? hd_origin_set(&at, NULL, 0, 0, path) : -HD_ENOMEM;
		if (r >= 0)
			r = hd_items_add(&c->tmpfs, item, &at);
		hd_free(item);
		hd_origin_release(&at);
		if (r < 0)
			return r;
	}
	return 0;
}

static int read_devices(struct jctx *x, struct hd_container_spec *c, json_t *hc)
{
	char path[PATH_MAX_LEN];
	json_t *a, *v;
	size_t i;
	int r;

	r = get_arr(x, hc, "Devices", "HostConfig.Devices", &a);
	if (r < 0)
		return r;
	json_array_foreach(a, i, v) {
		const char *hp, *cp, *perm;
		struct hd_origin at = { 0 };
		struct hd_device *dv;

		snprintf(path, sizeof(path), "HostConfig.Devices[%zu]", i);
		if (!json_is_object(v))
			return bad(x, path, "an object");
		if ((r = get_str(x, v, "PathOnHost", path, &hp)) < 0 ||
		    (r = get_str(x, v, "PathInContainer", path, &cp)) < 0 ||
		    (r = get_str(x, v, "CgroupPermissions", path, &perm)) < 0)
			return r;
		r = hd_origin_set(&at, NULL, 0, 0, path);
		dv = r >= 0 ? hd_container_add_device(c, &at) : NULL;
		hd_origin_release(&at);
		if (!dv)
			return -HD_ENOMEM;
		if ((r = dup_str(&dv->host_path, hp)) < 0 || (r = dup_str(&dv->container_path, cp)) < 0 ||
		    (r = dup_str(&dv->perms, perm && *perm ? perm : NULL)) < 0)
			return r;
	}
	r = get_arr(x, hc, "DeviceCgroupRules", "HostConfig.DeviceCgroupRules", &a);
	if (r >= 0 && a)
		r = add_str_items(x, &c->device_cgroup_rules, a, "HostConfig.DeviceCgroupRules", NULL);
	return r;
}

/* "80/tcp" -> port range and protocol; false when malformed. */
static bool parse_port_key(const char *k, uint32_t *lo, uint32_t *hi, enum hd_proto *proto)
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

static bool port_published(const struct hd_container_spec *c, uint32_t lo, enum hd_proto proto)
{
	size_t i;

	for (i = 0; i < c->n_ports; i++) {
		if (c->ports[i].published && c->ports[i].ctr_port_lo == lo && c->ports[i].proto == proto)
			return true;
	}
	return false;
}

static int read_ports(struct jctx *x, struct hd_container_spec *c, json_t *hc, json_t *cfg)
{
	char path[PATH_MAX_LEN];
	json_t *pb, *ex, *bindings, *v;
	const char *k;
	bool pall, present;
	size_t i;
	int r;

	r = get_obj(x, hc, "PortBindings", "HostConfig.PortBindings", &pb);
	if (r < 0)
		return r;
	json_object_foreach(pb, k, bindings) {
		uint32_t lo, hi;
		enum hd_proto proto;

		snprintf(path, sizeof(path), "HostConfig.PortBindings.%s", k);
		if (!parse_port_key(k, &lo, &hi, &proto))
			return bad(x, path, "a port such as \"80/tcp\"");
		if (json_is_null(bindings))
			continue;
		if (!json_is_array(bindings))
			return bad(x, path, "an array");
		json_array_foreach(bindings, i, v) {
			const char *ip, *hp;
			struct hd_origin at = { 0 };
			struct hd_port *p;
			char ipath[PATH_MAX_LEN + 32];
			uint32_t hlo = 0, hhi = 0;
			enum hd_proto dummy;

			snprintf(ipath, sizeof(ipath), "%s[%zu]", path, i);
			if (!json_is_object(v))
				return bad(x, ipath, "an object");
			if ((r = get_str(x, v, "HostIp", ipath, &ip)) < 0 ||
			    (r = get_str(x, v, "HostPort", ipath, &hp)) < 0)
				return r;
			if (hp && *hp && !parse_port_key(hp, &hlo, &hhi, &dummy))
				return bad(x, ipath, "a HostPort number or range");
			r = hd_origin_set(&at, NULL, 0, 0, ipath);
			p = r >= 0 ? hd_container_add_port(c, &at) : NULL;
			hd_origin_release(&at);
			if (!p)
				return -HD_ENOMEM;
			p->published = true;
			p->proto = proto;
			p->ctr_port_lo = lo;
			p->ctr_port_hi = hi;
			p->host_port_lo = hlo;
			p->host_port_hi = hhi;
			if (ip && *ip && (r = dup_str(&p->host_ip, ip)) < 0)
				return r;
		}
	}
	r = get_bool(x, hc, "PublishAllPorts", "HostConfig.PublishAllPorts", &pall, &present);
	if (r >= 0 && present)
		r = set_flag(&c->publish_all, pall, "HostConfig.PublishAllPorts");
	if (r >= 0)
		r = get_obj(x, cfg, "ExposedPorts", "Config.ExposedPorts", &ex);
	if (r < 0)
		return r;
	json_object_foreach(ex, k, v) {
		struct hd_origin at = { 0 };
		struct hd_port *p;
		uint32_t lo, hi;
		enum hd_proto proto;

		snprintf(path, sizeof(path), "Config.ExposedPorts.%s", k);
		if (!parse_port_key(k, &lo, &hi, &proto))
			return bad(x, path, "a port such as \"80/tcp\"");
		/* With -P every exposed port is published on all interfaces. */
		if (port_published(c, lo, proto))
			continue;
		if (pall)
			snprintf(path, sizeof(path), "HostConfig.PublishAllPorts");
		r = hd_origin_set(&at, NULL, 0, 0, path);
		p = r >= 0 ? hd_container_add_port(c, &at) : NULL;
		hd_origin_release(&at);
		if (!p)
			return -HD_ENOMEM;
		p->published = pall;
		p->proto = proto;
		p->ctr_port_lo = lo;
		p->ctr_port_hi = hi;
	}
	return 0;
}

static int read_env(struct jctx *x, struct hd_env *(*add)(void *, const struct hd_origin *),
		    void *obj, json_t *cfg)
{
	char path[PATH_MAX_LEN];
	json_t *a, *v;
	size_t i;
	int r;

	r = get_arr(x, cfg, "Env", "Config.Env", &a);
	if (r < 0)
		return r;
	json_array_foreach(a, i, v) {
		struct hd_origin at = { 0 };
		struct hd_env *e;
		const char *s, *eq;

		snprintf(path, sizeof(path), "Config.Env[%zu]", i);
		if (!json_is_string(v))
			return bad(x, path, "a string");
		s = json_string_value(v);
		eq = strchr(s, '=');
		r = hd_origin_set(&at, NULL, 0, 0, path);
		e = r >= 0 ? add(obj, &at) : NULL;
		hd_origin_release(&at);
		if (!e)
			return -HD_ENOMEM;
		e->name = eq ? hd_strndup(s, (size_t)(eq - s)) : hd_strdup(s);
		e->value = eq ? hd_strdup(eq + 1) : NULL;
		if (!e->name || (eq && !e->value))
			return -HD_ENOMEM;
	}
	return 0;
}

static struct hd_env *ctr_add_env(void *c, const struct hd_origin *at)
{
	return hd_container_add_env(c, at);
}

static struct hd_env *img_add_env(void *img, const struct hd_origin *at)
{
	return hd_image_add_env(img, at);
}

/* Config.Healthcheck into hc; NONE means disabled. */
static int read_healthcheck(struct jctx *x, struct hd_healthcheck *h, json_t *cfg)
{
	json_t *hcj, *test;
	int r;

	r = get_obj(x, cfg, "Healthcheck", "Config.Healthcheck", &hcj);
	if (r < 0 || !hcj)
		return r;
	r = get_arr(x, hcj, "Test", "Config.Healthcheck.Test", &test);
	if (r < 0)
		return r;
	if (test && json_array_size(test) > 0) {
		const char *t0 = json_string_value(json_array_get(test, 0));

		if (!t0)
			return bad(x, "Config.Healthcheck.Test[0]", "a string");
		h->set = true;
		h->disabled = strcmp(t0, "NONE") == 0;
	} else if (!test) {
		/* Only timing given: the image's test applies; count it as set. */
		h->set = json_object_size(hcj) > 0;
	}
	if ((r = get_int(x, hcj, "Interval", "Config.Healthcheck.Interval", &h->interval_ns, NULL)) < 0 ||
	    (r = get_int(x, hcj, "Timeout", "Config.Healthcheck.Timeout", &h->timeout_ns, NULL)) < 0 ||
	    (r = get_int(x, hcj, "StartPeriod", "Config.Healthcheck.StartPeriod", &h->start_period_ns,
			 NULL)) < 0 ||
	    (r = get_int(x, hcj, "Retries", "Config.Healthcheck.Retries", &h->retries, NULL)) < 0)
		return r;
	return hd_origin_set(&h->at, NULL, 0, 0, "Config.Healthcheck");
}

static int read_state(struct jctx *x, struct hd_container_spec *c, json_t *root)
{
	struct hd_live_state *l = c->live;
	json_t *st, *health, *log;
	const char *s;
	bool b;
	int r;

	r = get_obj(x, root, "State", "State", &st);
	if (r < 0)
		return r;
	if (!st)
		return bad(x, "State", "an object");
	if ((r = get_str(x, st, "Status", "State.Status", &s)) < 0 || (r = dup_str(&c->state, s)) < 0)
		return r;
	if ((r = get_bool(x, st, "Running", "State.Running", &b, NULL)) < 0)
		return r;
	c->running = b;
	if ((r = get_bool(x, st, "Restarting", "State.Restarting", &l->restarting, NULL)) < 0 ||
	    (r = get_bool(x, st, "OOMKilled", "State.OOMKilled", &l->oom_killed, NULL)) < 0 ||
	    (r = get_int(x, st, "ExitCode", "State.ExitCode", &l->exit_code, NULL)) < 0 ||
	    (r = get_int(x, st, "Pid", "State.Pid", &l->pid, NULL)) < 0 ||
	    (r = get_obj(x, st, "Health", "State.Health", &health)) < 0)
		return r;
	if (health) {
		if ((r = get_str(x, health, "Status", "State.Health.Status", &s)) < 0 ||
		    (r = dup_str(&l->health, s && *s ? s : NULL)) < 0 ||
		    (r = get_int(x, health, "FailingStreak", "State.Health.FailingStreak",
				 &l->failing_streak, NULL)) < 0 ||
		    (r = get_arr(x, health, "Log", "State.Health.Log", &log)) < 0)
			return r;
		if (log && json_array_size(log) > 0) {
			json_t *last = json_array_get(log, json_array_size(log) - 1);
			const char *out = json_string_value(json_object_get(last, "Output"));
			json_int_t code = json_integer_value(json_object_get(last, "ExitCode"));

			if (out && code != 0 && (r = dup_str(&l->health_output, out)) < 0)
				return r;
		}
	}
	return get_int(x, root, "RestartCount", "RestartCount", &l->restart_count, NULL);
}

static int read_networks(struct jctx *x, struct hd_container_spec *c, json_t *root)
{
	json_t *ns, *nets, *v;
	const char *k;
	char path[PATH_MAX_LEN];
	int r;

	r = get_obj(x, root, "NetworkSettings", "NetworkSettings", &ns);
	if (r >= 0 && ns)
		r = get_obj(x, ns, "Networks", "NetworkSettings.Networks", &nets);
	else
		nets = NULL;
	if (r < 0)
		return r;
	json_object_foreach(nets, k, v) {
		struct hd_origin at = { 0 };

		snprintf(path, sizeof(path), "NetworkSettings.Networks.%s", k);
		r = hd_origin_set(&at, NULL, 0, 0, path);
		if (r >= 0)
			r = hd_items_add(&c->networks, k, &at);
		if (r >= 0 && strcmp(k, "bridge") == 0) {
			c->live->on_default_bridge = true;
			r = hd_origin_copy(&c->live->bridge_at, &at);
		}
		hd_origin_release(&at);
		if (r < 0)
			return r;
	}
	return 0;
}

static int read_misc(struct jctx *x, struct hd_container_spec *c, json_t *root, json_t *hc,
		     json_t *cfg)
{
	json_t *rp, *lc, *o, *a;
	const char *s;
	int64_t iv;
	bool b, present;
	int r;

	if ((r = get_obj(x, hc, "RestartPolicy", "HostConfig.RestartPolicy", &rp)) < 0)
		return r;
	if (rp) {
		if ((r = get_str(x, rp, "Name", "HostConfig.RestartPolicy.Name", &s)) < 0)
			return r;
		if (s && *s && (r = set_str(&c->restart, s, "HostConfig.RestartPolicy.Name")) < 0)
			return r;
		if ((r = get_int(x, rp, "MaximumRetryCount", "HostConfig.RestartPolicy.MaximumRetryCount",
				 &iv, &present)) < 0)
			return r;
		if (present && s && !strcmp(s, "on-failure") &&
		    (r = set_int(&c->restart_max_retries, iv,
				 "HostConfig.RestartPolicy.MaximumRetryCount")) < 0)
			return r;
	}
	if ((r = get_obj(x, hc, "LogConfig", "HostConfig.LogConfig", &lc)) < 0)
		return r;
	if (lc) {
		if ((r = get_str(x, lc, "Type", "HostConfig.LogConfig.Type", &s)) < 0)
			return r;
		if (s && *s && (r = set_str(&c->log_driver, s, "HostConfig.LogConfig.Type")) < 0)
			return r;
		if ((r = get_obj(x, lc, "Config", "HostConfig.LogConfig.Config", &o)) < 0 ||
		    (o && (r = add_str_kvs(x, &c->log_opts, o, "HostConfig.LogConfig.Config")) < 0))
			return r;
	}
	if ((r = get_obj(x, hc, "Sysctls", "HostConfig.Sysctls", &o)) < 0 ||
	    (o && (r = add_str_kvs(x, &c->sysctls, o, "HostConfig.Sysctls")) < 0))
		return r;
	if ((r = get_str(x, hc, "CgroupParent", "HostConfig.CgroupParent", &s)) < 0 ||
	    (s && *s && (r = set_str(&c->cgroup_parent, s, "HostConfig.CgroupParent")) < 0))
		return r;
	if ((r = get_arr(x, hc, "ExtraHosts", "HostConfig.ExtraHosts", &a)) < 0 ||
	    (a && (r = add_str_items(x, &c->extra_hosts, a, "HostConfig.ExtraHosts", NULL)) < 0))
		return r;
	if ((r = get_obj(x, cfg, "Labels", "Config.Labels", &o)) < 0 ||
	    (o && (r = add_str_kvs(x, &c->labels, o, "Config.Labels")) < 0))
		return r;
	if ((r = get_str(x, hc, "Runtime", "HostConfig.Runtime", &s)) < 0 ||
	    (s && *s && (r = set_str(&c->runtime, s, "HostConfig.Runtime")) < 0))
		return r;
	if ((r = get_bool(x, hc, "Init", "HostConfig.Init", &b, &present)) < 0 ||
	    (present && (r = set_flag(&c->init, b, "HostConfig.Init")) < 0))
		return r;
	/* The command as run: Path then Args (entrypoint and cmd already merged). */
	if ((r = get_str(x, root, "Path", "Path", &s)) < 0)
		return r;
	if (s && *s) {
		struct hd_origin at = { 0 };

		r = hd_origin_set(&at, NULL, 0, 0, "Path");
		if (r >= 0)
			r = hd_items_add(&c->command, s, &at);
		hd_origin_release(&at);
		if (r < 0)
			return r;
		if ((r = get_arr(x, root, "Args", "Args", &a)) < 0 ||
		    (a && (r = add_str_items(x, &c->command, a, "Args", NULL)) < 0))
			return r;
	}
	return 0;
}

/* ExecIDs: one exec session per id, filled later from /exec/{id}/json. */
static int read_exec_ids(struct jctx *x, struct hd_container_spec *c, json_t *root)
{
	json_t *a, *v;
	size_t i;
	int r;

	r = get_arr(x, root, "ExecIDs", "ExecIDs", &a);
	if (r < 0)
		return r;
	json_array_foreach(a, i, v) {
		struct hd_exec_session *e;
		char path[64];

		snprintf(path, sizeof(path), "ExecIDs[%zu]", i);
		if (!json_is_string(v) || !*json_string_value(v))
			return bad(x, path, "an exec id");
		e = hd_live_add_exec(c->live);
		if (!e || (r = dup_str(&e->id, json_string_value(v))) < 0 ||
		    (r = origin(&e->at, "%s", path)) < 0)
			return -HD_ENOMEM;
	}
	return 0;
}

int hd_inspect_container(const char *json, size_t len, struct hd_container_spec **ret,
			 struct hd_diag *d)
{
	struct jctx x = { .d = d };
	struct hd_container_spec *c = NULL;
	json_t *root, *hc, *cfg;
	const char *id, *name, *image, *image_id, *user, *s;
	int r;

	snprintf(x.what, sizeof(x.what), "container inspect");
	root = load(&x, json, len, false);
	if (!root)
		return -HD_EPROTO;
	if ((r = get_str(&x, root, "Id", "Id", &id)) < 0 || (r = get_str(&x, root, "Name", "Name", &name)) < 0)
		goto out;
	if (!id || !*id) {
		r = bad(&x, "Id", "a container id");
		goto out;
	}
	if (name && *name == '/')
		name++;
	if (!name || !*name)
		name = id;
	snprintf(x.what, sizeof(x.what), "container '%.150s'", name);
	if ((r = get_obj(&x, root, "HostConfig", "HostConfig", &hc)) < 0 ||
	    (r = get_obj(&x, root, "Config", "Config", &cfg)) < 0)
		goto out;
	if (!hc || !cfg) {
		r = bad(&x, hc ? "Config" : "HostConfig", "an object");
		goto out;
	}
	c = hd_container_spec_new(HD_SRC_ENGINE, name, NULL);
	if (!c || !(c->live = hd_live_state_new()) || dup_str(&c->id, id) < 0) {
		r = -HD_ENOMEM;
		goto out;
	}
	if ((r = get_str(&x, root, "Image", "Image", &image_id)) < 0 ||
	    (r = dup_str(&c->live->image_id, image_id)) < 0 ||
	    (r = get_str(&x, cfg, "Image", "Config.Image", &image)) < 0)
		goto out;
	if (image && *image) {
		struct hd_origin at = { 0 };

		r = hd_origin_set(&at, NULL, 0, 0, "Config.Image");
		if (r >= 0)
			r = hd_container_set_image(c, image, &at);
		hd_origin_release(&at);
		if (r < 0)
			goto out;
	}
	if ((r = get_str(&x, root, "AppArmorProfile", "AppArmorProfile", &s)) < 0 ||
	    (r = dup_str(&c->live->apparmor_profile, s)) < 0 ||
	    (r = get_str(&x, root, "ProcessLabel", "ProcessLabel", &s)) < 0 ||
	    (r = dup_str(&c->live->process_label, s && *s ? s : NULL)) < 0)
		goto out;
	if ((r = get_str(&x, cfg, "User", "Config.User", &user)) < 0 ||
	    (user && *user && (r = set_str(&c->user, user, "Config.User")) < 0))
		goto out;
	if ((r = read_exec_ids(&x, c, root)) < 0 || (r = read_state(&x, c, root)) < 0 ||
	    (r = read_security(&x, c, hc)) < 0 ||
	    (r = read_resources(&x, c, hc)) < 0 || (r = read_namespaces(&x, c, hc)) < 0 ||
	    (r = read_mounts(&x, c, root, hc)) < 0 || (r = read_devices(&x, c, hc)) < 0 ||
	    (r = read_ports(&x, c, hc, cfg)) < 0 || (r = read_env(&x, ctr_add_env, c, cfg)) < 0 ||
	    (r = read_healthcheck(&x, &c->healthcheck, cfg)) < 0 ||
	    (r = read_networks(&x, c, root)) < 0 || (r = read_misc(&x, c, root, hc, cfg)) < 0)
		goto out;
	*ret = c;
	c = NULL;
	r = 0;
out:
	hd_container_spec_free(c);
	json_decref(root);
	return r;
}

/* ---- top and exec ------------------------------------------------------------ */

int hd_inspect_top(const char *json, size_t len, struct hd_container_spec *c, struct hd_diag *d)
{
	struct jctx x = { .d = d };
	json_t *root, *titles, *procs, *row, *t;
	long pid_col = -1, uid_col = -1, cmd_col = -1;
	size_t i, n_titles;
	int r;

	snprintf(x.what, sizeof(x.what), "top of container '%.150s'", c->name);
	root = load(&x, json, len, false);
	if (!root)
		return -HD_EPROTO;
	if ((r = get_arr(&x, root, "Titles", "Titles", &titles)) < 0 ||
	    (r = get_arr(&x, root, "Processes", "Processes", &procs)) < 0)
		goto out;
	if (!titles) {
		r = bad(&x, "Titles", "an array");
		goto out;
	}
	n_titles = json_array_size(titles);
	json_array_foreach(titles, i, t) {
		const char *s = json_string_value(t);

		if (!s) {
			r = bad(&x, "Titles", "strings");
			goto out;
		}
		if (!strcmp(s, "PID"))
			pid_col = (long)i;
		else if (!strcmp(s, "UID") || !strcmp(s, "USER"))
			uid_col = (long)i;
		else if (!strcmp(s, "CMD") || !strcmp(s, "COMMAND") || !strcmp(s, "ARGS"))
			cmd_col = (long)i;
	}
	if (cmd_col < 0) {
		r = bad(&x, "Titles", "a CMD or COMMAND column");
		goto out;
	}
	json_array_foreach(procs, i, row) {
		char path[PATH_MAX_LEN];
		struct hd_origin at = { 0 };
		struct hd_process *p;
		const char *cmd, *pid, *uid;

		snprintf(path, sizeof(path), "top.Processes[%zu]", i);
		if (!json_is_array(row) || json_array_size(row) != n_titles) {
			r = bad(&x, path, "one string per title");
			goto out;
		}
		cmd = json_string_value(json_array_get(row, (size_t)cmd_col));
		pid = pid_col >= 0 ? json_string_value(json_array_get(row, (size_t)pid_col)) : NULL;
		uid = uid_col >= 0 ? json_string_value(json_array_get(row, (size_t)uid_col)) : NULL;
		if (!cmd) {
			r = bad(&x, path, "strings");
			goto out;
		}
		p = hd_live_add_process(c->live);
		if (!p || !(p->args = hd_strdup(cmd))) {
			r = -HD_ENOMEM;
			goto out;
		}
		if (pid && hd_parse_i64(pid, 0, INT64_MAX, &p->pid) < 0)
			p->pid = 0;
		if (uid && hd_parse_i64(uid, 0, INT64_MAX, &p->uid) < 0)
			p->uid = !strcmp(uid, "root") ? 0 : -1;
		if (p->pid)
			r = origin(&at, "top: PID %" PRId64, p->pid);
		else
			r = origin(&at, "%s", path);
		if (r >= 0)
			r = hd_items_add(&c->processes, cmd, &at);
		hd_origin_release(&at);
		if (r < 0)
			goto out;
	}
	c->live->processes_known = true;
	r = 0;
out:
	json_decref(root);
	return r;
}

int hd_inspect_exec(const char *json, size_t len, size_t idx, struct hd_container_spec *c,
		    struct hd_diag *d)
{
	struct jctx x = { .d = d };
	struct hd_exec_session *e;
	json_t *root, *pc, *args, *v;
	const char *id, *user, *ep;
	struct hd_buf cmd = HD_BUF_INIT(64 * 1024);
	size_t i;
	int r;

	if (!c->live || idx >= c->live->n_execs)
		return -HD_EINVAL;
	e = &c->live->execs[idx];
	snprintf(x.what, sizeof(x.what), "exec session %.12s of container '%.150s'", e->id ? e->id : "?",
		 c->name);
	root = load(&x, json, len, false);
	if (!root)
		return -HD_EPROTO;
	if ((r = get_str(&x, root, "ID", "ID", &id)) < 0 ||
	    (r = get_obj(&x, root, "ProcessConfig", "ProcessConfig", &pc)) < 0)
		goto out;
	if (!pc) {
		r = bad(&x, "ProcessConfig", "an object");
		goto out;
	}
	if ((id && (r = dup_str(&e->id, id)) < 0) ||
	    (r = get_bool(&x, root, "Running", "Running", &e->running, NULL)) < 0 ||
	    (r = get_bool(&x, pc, "privileged", "ProcessConfig.privileged", &e->privileged, NULL)) < 0 ||
	    (r = get_str(&x, pc, "user", "ProcessConfig.user", &user)) < 0 ||
	    (r = dup_str(&e->user, user)) < 0 ||
	    (r = get_str(&x, pc, "entrypoint", "ProcessConfig.entrypoint", &ep)) < 0 ||
	    (r = get_arr(&x, pc, "arguments", "ProcessConfig.arguments", &args)) < 0)
		goto out;
	if (ep)
		r = hd_buf_addstr(&cmd, ep);
	json_array_foreach(args, i, v) {
		if (r >= 0 && json_is_string(v))
			r = hd_buf_addf(&cmd, " %s", json_string_value(v));
	}
	if (r == -HD_ETOOBIG)
		r = 0;
	if (r >= 0 && cmd.len) {
		hd_free(e->command);
		if (!(e->command = hd_buf_detach(&cmd, NULL)))
			r = -HD_ENOMEM;
	}
out:
	hd_buf_release(&cmd);
	json_decref(root);
	return r < 0 ? r : 0;
}

/* ---- lists --------------------------------------------------------------------- */

void hd_ctr_summaries_free(struct hd_ctr_summary *v, size_t n)
{
	size_t i;

	for (i = 0; v && i < n; i++) {
		hd_free(v[i].id);
		hd_free(v[i].name);
		hd_free(v[i].state);
		hd_free(v[i].image);
		hd_free(v[i].image_id);
	}
	hd_free(v);
}

int hd_inspect_container_list(const char *json, size_t len, struct hd_ctr_summary **ret,
			      size_t *ret_n, struct hd_diag *d)
{
	struct jctx x = { .d = d };
	struct hd_ctr_summary *v = NULL;
	json_t *root, *e;
	size_t i, n;
	int r = 0;

	snprintf(x.what, sizeof(x.what), "container list");
	root = load(&x, json, len, true);
	if (!root)
		return -HD_EPROTO;
	n = json_array_size(root);
	v = hd_calloc(n ? n : 1, sizeof(*v));
	if (!v) {
		json_decref(root);
		return -HD_ENOMEM;
	}
	json_array_foreach(root, i, e) {
		char path[64];
		const char *id, *state, *image, *image_id, *name = NULL;
		json_t *names;

		snprintf(path, sizeof(path), "[%zu]", i);
		if (!json_is_object(e)) {
			r = bad(&x, path, "an object");
			break;
		}
		if ((r = get_str(&x, e, "Id", path, &id)) < 0 ||
		    (r = get_str(&x, e, "State", path, &state)) < 0 ||
		    (r = get_str(&x, e, "Image", path, &image)) < 0 ||
		    (r = get_str(&x, e, "ImageID", path, &image_id)) < 0 ||
		    (r = get_arr(&x, e, "Names", path, &names)) < 0)
			break;
		if (!id || !*id) {
			r = bad(&x, path, "an Id");
			break;
		}
		if (names)
			name = json_string_value(json_array_get(names, 0));
		if (name && *name == '/')
			name++;
		if ((r = dup_str(&v[i].id, id)) < 0 || (r = dup_str(&v[i].name, name ? name : id)) < 0 ||
		    (r = dup_str(&v[i].state, state ? state : "unknown")) < 0 ||
		    (r = dup_str(&v[i].image, image)) < 0 || (r = dup_str(&v[i].image_id, image_id)) < 0)
			break;
	}
	json_decref(root);
	if (r < 0) {
		hd_ctr_summaries_free(v, n);
		return r;
	}
	*ret = v;
	*ret_n = n;
	return 0;
}

void hd_img_summaries_free(struct hd_img_summary *v, size_t n)
{
	size_t i;

	for (i = 0; v && i < n; i++) {
		hd_free(v[i].id);
		hd_free(v[i].first_tag);
		while (v[i].n_tags)
			hd_free(v[i].tags[--v[i].n_tags]);
		hd_free(v[i].tags);
	}
	hd_free(v);
}

int hd_inspect_image_list(const char *json, size_t len, struct hd_img_summary **ret,
			  size_t *ret_n, struct hd_diag *d)
{
	struct jctx x = { .d = d };
	struct hd_img_summary *v;
	json_t *root, *e;
	size_t i, n;
	int r = 0;

	snprintf(x.what, sizeof(x.what), "image list");
	root = load(&x, json, len, true);
	if (!root)
		return -HD_EPROTO;
	n = json_array_size(root);
	v = hd_calloc(n ? n : 1, sizeof(*v));
	if (!v) {
		json_decref(root);
		return -HD_ENOMEM;
	}
	json_array_foreach(root, i, e) {
		char path[64];
		const char *id, *tag = NULL;
		json_t *tags;

		snprintf(path, sizeof(path), "[%zu]", i);
		if (!json_is_object(e)) {
			r = bad(&x, path, "an object");
			break;
		}
		if ((r = get_str(&x, e, "Id", path, &id)) < 0 ||
		    (r = get_arr(&x, e, "RepoTags", path, &tags)) < 0)
			break;
		if (!id || !*id) {
			r = bad(&x, path, "an Id");
			break;
		}
		if ((r = dup_str(&v[i].id, id)) < 0)
			break;
		v[i].tags = hd_calloc(json_array_size(tags) + 1, sizeof(char *));
		if (!v[i].tags) {
			r = -HD_ENOMEM;
			break;
		}
		for (size_t k = 0; k < json_array_size(tags); k++) {
			tag = json_string_value(json_array_get(tags, k));
			if (!tag) {
				r = bad(&x, path, "RepoTags of strings");
				break;
			}
			if (!strcmp(tag, "<none>:<none>"))
				continue;
			if (!(v[i].tags[v[i].n_tags] = hd_strdup(tag))) {
				r = -HD_ENOMEM;
				break;
			}
			v[i].n_tags++;
		}
		if (r < 0 || (r = dup_str(&v[i].first_tag, v[i].n_tags ? v[i].tags[0] : NULL)) < 0)
			break;
	}
	json_decref(root);
	if (r < 0) {
		hd_img_summaries_free(v, n);
		return r;
	}
	*ret = v;
	*ret_n = n;
	return 0;
}

/* ---- image inspect ------------------------------------------------------------- */

int hd_inspect_image(const char *json, size_t len, int64_t now, struct hd_image_spec **ret,
		     struct hd_diag *d)
{
	struct jctx x = { .d = d };
	struct hd_image_spec *img = NULL;
	json_t *root, *cfg, *a, *o, *v;
	const char *id, *s, *k;
	char path[PATH_MAX_LEN];
	size_t i;
	int r;

	snprintf(x.what, sizeof(x.what), "image inspect");
	root = load(&x, json, len, false);
	if (!root)
		return -HD_EPROTO;
	if ((r = get_str(&x, root, "Id", "Id", &id)) < 0)
		goto out;
	if (!id || !*id) {
		r = bad(&x, "Id", "an image id");
		goto out;
	}
	snprintf(x.what, sizeof(x.what), "image '%.150s'", id);
	img = hd_image_spec_new();
	if (!img || dup_str(&img->id, id) < 0) {
		r = -HD_ENOMEM;
		goto out;
	}
	img->now = now;
	if ((r = get_arr(&x, root, "RepoTags", "RepoTags", &a)) < 0 ||
	    (a && (r = add_str_items(&x, &img->repo_tags, a, "RepoTags", NULL)) < 0) ||
	    (r = get_arr(&x, root, "RepoDigests", "RepoDigests", &a)) < 0 ||
	    (a && (r = add_str_items(&x, &img->repo_digests, a, "RepoDigests", NULL)) < 0))
		goto out;
	/* Docker lists an untagged image as "<none>:<none>" in some versions. */
	img->dangling = true;
	for (i = 0; i < img->repo_tags.n; i++) {
		if (strcmp(img->repo_tags.v[i].value, "<none>:<none>") != 0) {
			img->dangling = false;
			if (!img->name && !(img->name = hd_strdup(img->repo_tags.v[i].value))) {
				r = -HD_ENOMEM;
				goto out;
			}
		}
	}
	if (!img->name && img->repo_digests.n)
		img->name = hd_strdup(img->repo_digests.v[0].value);
	if (!img->name)
		img->name = hd_asprintf("%.19s", id);
	if (!img->name) {
		r = -HD_ENOMEM;
		goto out;
	}
	snprintf(x.what, sizeof(x.what), "image '%.150s'", img->name);
	if ((r = get_str(&x, root, "Created", "Created", &s)) < 0)
		goto out;
	if (s && hd_parse_rfc3339(s, &img->created) < 0) {
		r = bad(&x, "Created", "an RFC 3339 time");
		goto out;
	}
	if ((r = origin(&img->created_at, "Created")) < 0 ||
	    (r = get_int(&x, root, "Size", "Size", &img->size, NULL)) < 0 ||
	    (r = get_str(&x, root, "Os", "Os", &s)) < 0 || (r = dup_str(&img->os, s)) < 0 ||
	    (r = get_str(&x, root, "Architecture", "Architecture", &s)) < 0 ||
	    (r = dup_str(&img->arch, s)) < 0 ||
	    (r = get_str(&x, root, "DockerVersion", "DockerVersion", &s)) < 0 ||
	    (r = dup_str(&img->docker_version, s && *s ? s : NULL)) < 0 ||
	    (r = get_obj(&x, root, "Config", "Config", &cfg)) < 0)
		goto out;
	if (cfg) {
		if ((r = get_str(&x, cfg, "User", "Config.User", &s)) < 0 ||
		    (s && *s && (r = set_str(&img->user, s, "Config.User")) < 0) ||
		    (r = read_healthcheck(&x, &img->healthcheck, cfg)) < 0 ||
		    (r = read_env(&x, img_add_env, img, cfg)) < 0 ||
		    (r = get_obj(&x, cfg, "Labels", "Config.Labels", &o)) < 0 ||
		    (o && (r = add_str_kvs(&x, &img->labels, o, "Config.Labels")) < 0) ||
		    (r = get_arr(&x, cfg, "Entrypoint", "Config.Entrypoint", &a)) < 0 ||
		    (a && (r = add_str_items(&x, &img->entrypoint, a, "Config.Entrypoint", NULL)) < 0) ||
		    (r = get_arr(&x, cfg, "Cmd", "Config.Cmd", &a)) < 0 ||
		    (a && (r = add_str_items(&x, &img->cmd, a, "Config.Cmd", NULL)) < 0) ||
		    (r = get_obj(&x, cfg, "Volumes", "Config.Volumes", &o)) < 0)
			goto out;
		json_object_foreach(o, k, v) {
			struct hd_origin at = { 0 };

			r = origin(&at, "Config.Volumes.%s", k);
			if (r >= 0)
				r = hd_items_add(&img->volumes, k, &at);
			hd_origin_release(&at);
			if (r < 0)
				goto out;
		}
		if ((r = get_obj(&x, cfg, "ExposedPorts", "Config.ExposedPorts", &o)) < 0)
			goto out;
		json_object_foreach(o, k, v) {
			struct hd_origin at = { 0 };
			struct hd_port *p;
			uint32_t lo, hi;
			enum hd_proto proto;

			snprintf(path, sizeof(path), "Config.ExposedPorts.%s", k);
			if (!parse_port_key(k, &lo, &hi, &proto)) {
				r = bad(&x, path, "a port such as \"80/tcp\"");
				goto out;
			}
			r = hd_origin_set(&at, NULL, 0, 0, path);
			p = r >= 0 ? hd_image_add_exposed(img, &at) : NULL;
			hd_origin_release(&at);
			if (!p) {
				r = -HD_ENOMEM;
				goto out;
			}
			p->ctr_port_lo = lo;
			p->ctr_port_hi = hi;
			p->proto = proto;
		}
	}
	*ret = img;
	img = NULL;
	r = 0;
out:
	hd_image_spec_free(img);
	json_decref(root);
	return r;
}

/* ---- /version, /info and swarm ------------------------------------------------- */

static int str_field(struct jctx *x, json_t *o, const char *key, char **dst)
{
	const char *s;
	int r;

	r = get_str(x, o, key, key, &s);
	if (r < 0)
		return r;
	return dup_str(dst, s && *s ? s : NULL);
}

int hd_inspect_version(const char *json, size_t len, struct hd_engine_facts *f, struct hd_diag *d)
{
	struct jctx x = { .d = d };
	json_t *root, *comps, *c;
	const char *s;
	size_t i;
	int r;

	snprintf(x.what, sizeof(x.what), "engine version");
	root = load(&x, json, len, false);
	if (!root)
		return -HD_EPROTO;
	if ((r = str_field(&x, root, "Version", &f->version)) < 0 ||
	    (r = str_field(&x, root, "MinAPIVersion", &f->min_api_version)) < 0 ||
	    (r = str_field(&x, root, "GitCommit", &f->git_commit)) < 0 ||
	    (r = str_field(&x, root, "GoVersion", &f->go_version)) < 0 ||
	    (r = str_field(&x, root, "Os", &f->os)) < 0 ||
	    (r = str_field(&x, root, "Arch", &f->arch)) < 0 ||
	    (r = str_field(&x, root, "KernelVersion", &f->kernel_version)) < 0 ||
	    (r = get_str(&x, root, "Experimental", "Experimental", &s)) < 0)
		goto out;
	if (!f->version) {
		r = bad(&x, "Version", "the engine's version");
		goto out;
	}
	if ((r = get_arr(&x, root, "Components", "Components", &comps)) < 0)
		goto out;
	json_array_foreach(comps, i, c) {
		const char *name = json_string_value(json_object_get(c, "Name"));
		const char *ver = json_string_value(json_object_get(c, "Version"));

		if (!name || !ver)
			continue;
		if (!strcmp(name, "containerd"))
			r = dup_str(&f->containerd_version, ver);
		else if (!strcmp(name, "runc"))
			r = dup_str(&f->runc_version, ver);
		else if (!strcmp(name, "docker-init"))
			r = dup_str(&f->init_version, ver);
		if (r < 0)
			goto out;
	}
	f->version_known = true;
out:
	json_decref(root);
	return r;
}

/* "name=seccomp,profile=default" -> the flags of f. */
static int security_option(struct hd_engine_facts *f, const char *opt)
{
	const char *name = NULL;
	char buf[256];
	char *p, *save = NULL, *tok;

	snprintf(buf, sizeof(buf), "%s", opt);
	for (tok = strtok_r(buf, ",", &save); tok; tok = strtok_r(NULL, ",", &save)) {
		if (hd_starts_with(tok, "name="))
			name = tok + 5;
		else if (hd_starts_with(tok, "profile=") && name && !strcmp(name, "seccomp")) {
			p = tok + 8;
			if (dup_str(&f->seccomp_profile, p) < 0)
				return -HD_ENOMEM;
		}
		if (!name)
			continue;
		if (!strcmp(name, "apparmor"))
			f->apparmor = true;
		else if (!strcmp(name, "selinux"))
			f->selinux = true;
		else if (!strcmp(name, "seccomp"))
			f->seccomp = true;
		else if (!strcmp(name, "userns"))
			f->userns = true;
		else if (!strcmp(name, "rootless"))
			f->rootless = true;
		else if (!strcmp(name, "cgroupns"))
			f->cgroupns = true;
	}
	return 0;
}

static enum hd_swarm_state swarm_state(const char *s)
{
	if (!s || !*s)
		return HD_SWARM_INACTIVE;
	if (!strcmp(s, "inactive"))
		return HD_SWARM_INACTIVE;
	if (!strcmp(s, "pending"))
		return HD_SWARM_PENDING;
	if (!strcmp(s, "active"))
		return HD_SWARM_ACTIVE;
	if (!strcmp(s, "error"))
		return HD_SWARM_ERROR;
	if (!strcmp(s, "locked"))
		return HD_SWARM_LOCKED;
	return HD_SWARM_UNKNOWN;
}

/* The expiry of the first certificate of a PEM bundle, or 0. */
static int64_t pem_not_after(const char *pem)
{
	BIO *bio = BIO_new_mem_buf(pem, -1);
	X509 *cert = bio ? PEM_read_bio_X509(bio, NULL, NULL, NULL) : NULL;
	int64_t t = 0;

	if (cert) {
		const ASN1_TIME *na = X509_get0_notAfter(cert);
		struct tm tm;

		if (na && ASN1_TIME_to_tm(na, &tm) == 1)
			t = (int64_t)timegm(&tm);
		X509_free(cert);
	}
	BIO_free(bio);
	return t;
}

static int read_cluster(struct jctx *x, struct hd_engine_facts *f, json_t *cl)
{
	json_t *spec, *enc, *ca, *ext, *tls;
	const char *s;
	bool present;
	int r;

	if ((r = get_obj(x, cl, "Spec", "Swarm.Cluster.Spec", &spec)) < 0 ||
	    (r = get_bool(x, cl, "RootRotationInProgress", "Swarm.Cluster.RootRotationInProgress",
			  &f->ca_rotation_in_progress, NULL)) < 0)
		return r;
	if ((r = get_str(x, cl, "CreatedAt", "Swarm.Cluster.CreatedAt", &s)) < 0 ||
	    (s && hd_parse_rfc3339(s, &f->swarm_created) < 0) ||
	    (r = get_str(x, cl, "UpdatedAt", "Swarm.Cluster.UpdatedAt", &s)) < 0 ||
	    (s && hd_parse_rfc3339(s, &f->swarm_updated) < 0))
		return r < 0 ? r : bad(x, "Swarm.Cluster.CreatedAt", "an RFC 3339 time");
	if (spec) {
		f->swarm_spec_known = true;
		if ((r = get_obj(x, spec, "EncryptionConfig", "Swarm.Cluster.Spec.EncryptionConfig", &enc)) < 0 ||
		    (enc && (r = get_bool(x, enc, "AutoLockManagers",
					  "Swarm.Cluster.Spec.EncryptionConfig.AutoLockManagers",
					  &f->swarm_autolock, NULL)) < 0) ||
		    (r = get_obj(x, spec, "CAConfig", "Swarm.Cluster.Spec.CAConfig", &ca)) < 0)
			return r;
		if (ca) {
			if ((r = get_int(x, ca, "NodeCertExpiry", "Swarm.Cluster.Spec.CAConfig.NodeCertExpiry",
					 &f->node_cert_expiry_ns, &present)) < 0 ||
			    (r = get_arr(x, ca, "ExternalCAs", "Swarm.Cluster.Spec.CAConfig.ExternalCAs",
					 &ext)) < 0)
				return r;
			f->external_ca = ext && json_array_size(ext) > 0;
		}
	}
	if ((r = get_obj(x, cl, "TLSInfo", "Swarm.Cluster.TLSInfo", &tls)) < 0)
		return r;
	if (tls && (s = json_string_value(json_object_get(tls, "TrustRoot"))) && *s)
		f->ca_cert_not_after = pem_not_after(s);
	return 0;
}

static int read_swarm(struct jctx *x, struct hd_engine_facts *f, json_t *sw)
{
	json_t *cl, *rm, *v;
	size_t i;
	const char *s;
	bool present;
	int r;

	if ((r = get_str(x, sw, "LocalNodeState", "Swarm.LocalNodeState", &s)) < 0)
		return r;
	f->swarm = swarm_state(s);
	if ((r = get_bool(x, sw, "ControlAvailable", "Swarm.ControlAvailable", &f->swarm_manager,
			  NULL)) < 0 ||
	    (r = get_str(x, sw, "NodeID", "Swarm.NodeID", &s)) < 0 ||
	    (r = dup_str(&f->swarm_node_id, s && *s ? s : NULL)) < 0 ||
	    (r = get_str(x, sw, "NodeAddr", "Swarm.NodeAddr", &s)) < 0 ||
	    (r = dup_str(&f->swarm_node_addr, s && *s ? s : NULL)) < 0 ||
	    (r = get_int(x, sw, "Nodes", "Swarm.Nodes", &f->swarm_nodes, &present)) < 0 ||
	    (r = get_int(x, sw, "Managers", "Swarm.Managers", &f->swarm_managers, &present)) < 0 ||
	    (r = get_obj(x, sw, "Cluster", "Swarm.Cluster", &cl)) < 0 ||
	    (r = get_arr(x, sw, "RemoteManagers", "Swarm.RemoteManagers", &rm)) < 0)
		return r;
	/* This manager's own entry tells the port it serves the swarm on. */
	json_array_foreach(rm, i, v) {
		const char *id = json_string_value(json_object_get(v, "NodeID"));
		const char *addr = json_string_value(json_object_get(v, "Addr"));
		const char *colon = addr ? strrchr(addr, ':') : NULL;
		int64_t port;

		if (id && f->swarm_node_id && !strcmp(id, f->swarm_node_id) && colon &&
		    hd_parse_i64(colon + 1, 1, 65535, &port) == 0)
			f->swarm_port = (unsigned)port;
	}
	return cl ? read_cluster(x, f, cl) : 0;
}

static int add_origin_items(struct hd_items *l, const char *v, const char *path)
{
	struct hd_origin at = { 0 };
	int r;

	r = hd_origin_set(&at, NULL, 0, 0, path);
	if (r >= 0)
		r = hd_items_add(l, v, &at);
	hd_origin_release(&at);
	return r;
}

static int read_registry(struct jctx *x, struct hd_engine_facts *f, json_t *rc)
{
	json_t *a, *o, *v;
	const char *k;
	size_t i;
	int r;

	if ((r = get_arr(x, rc, "InsecureRegistryCIDRs", "RegistryConfig.InsecureRegistryCIDRs", &a)) < 0)
		return r;
	json_array_foreach(a, i, v) {
		char path[PATH_MAX_LEN];

		snprintf(path, sizeof(path), "RegistryConfig.InsecureRegistryCIDRs[%zu]", i);
		if (!json_is_string(v))
			return bad(x, path, "a string");
		/* Docker always lists the loopback range; it is not a setting. */
		if (!strcmp(json_string_value(v), "127.0.0.0/8") || !strcmp(json_string_value(v), "::1/128"))
			continue;
		if ((r = add_origin_items(&f->insecure_registries, json_string_value(v), path)) < 0)
			return r;
	}
	if ((r = get_obj(x, rc, "IndexConfigs", "RegistryConfig.IndexConfigs", &o)) < 0)
		return r;
	json_object_foreach(o, k, v) {
		char path[PATH_MAX_LEN];

		snprintf(path, sizeof(path), "RegistryConfig.IndexConfigs.%s.Secure", k);
		if (json_is_false(json_object_get(v, "Secure")) &&
		    (r = add_origin_items(&f->insecure_registries, k, path)) < 0)
			return r;
	}
	if ((r = get_arr(x, rc, "Mirrors", "RegistryConfig.Mirrors", &a)) < 0 ||
	    (a && (r = add_str_items(x, &f->registry_mirrors, a, "RegistryConfig.Mirrors", NULL)) < 0))
		return r;
	return 0;
}

int hd_inspect_info(const char *json, size_t len, struct hd_engine_facts *f, struct hd_diag *d)
{
	static const struct {
		const char *key;
		size_t off;
	} bools[] = {
		{ "LiveRestoreEnabled", offsetof(struct hd_engine_facts, live_restore) },
		{ "Debug", offsetof(struct hd_engine_facts, debug) },
		{ "IPv4Forwarding", offsetof(struct hd_engine_facts, ipv4_forwarding) },
		{ "BridgeNfIptables", offsetof(struct hd_engine_facts, bridge_nf_iptables) },
		{ "BridgeNfIp6tables", offsetof(struct hd_engine_facts, bridge_nf_ip6tables) },
		{ "MemoryLimit", offsetof(struct hd_engine_facts, memory_limit) },
		{ "SwapLimit", offsetof(struct hd_engine_facts, swap_limit) },
		{ "PidsLimit", offsetof(struct hd_engine_facts, pids_limit) },
		{ "OomKillDisable", offsetof(struct hd_engine_facts, oom_kill_disable) },
		{ "CpuCfsQuota", offsetof(struct hd_engine_facts, cpu_cfs_quota) },
		{ "CPUShares", offsetof(struct hd_engine_facts, cpu_shares) },
		{ "ExperimentalBuild", offsetof(struct hd_engine_facts, experimental) },
	};
	static const struct {
		const char *key;
		size_t off;
	} strs[] = {
		{ "ID", offsetof(struct hd_engine_facts, id) },
		{ "Name", offsetof(struct hd_engine_facts, name) },
		{ "DockerRootDir", offsetof(struct hd_engine_facts, root_dir) },
		{ "Driver", offsetof(struct hd_engine_facts, driver) },
		{ "LoggingDriver", offsetof(struct hd_engine_facts, logging_driver) },
		{ "CgroupDriver", offsetof(struct hd_engine_facts, cgroup_driver) },
		{ "CgroupVersion", offsetof(struct hd_engine_facts, cgroup_version) },
		{ "DefaultRuntime", offsetof(struct hd_engine_facts, default_runtime) },
		{ "InitBinary", offsetof(struct hd_engine_facts, init_binary) },
		{ "OperatingSystem", offsetof(struct hd_engine_facts, operating_system) },
		{ "Isolation", offsetof(struct hd_engine_facts, isolation) },
		{ "HttpProxy", offsetof(struct hd_engine_facts, http_proxy) },
		{ "HttpsProxy", offsetof(struct hd_engine_facts, https_proxy) },
		{ "NoProxy", offsetof(struct hd_engine_facts, no_proxy) },
		{ "KernelVersion", offsetof(struct hd_engine_facts, kernel_version) },
	};
	static const struct {
		const char *key;
		size_t off;
	} ints[] = {
		{ "Containers", offsetof(struct hd_engine_facts, n_containers) },
		{ "ContainersRunning", offsetof(struct hd_engine_facts, n_running) },
		{ "ContainersPaused", offsetof(struct hd_engine_facts, n_paused) },
		{ "ContainersStopped", offsetof(struct hd_engine_facts, n_stopped) },
		{ "Images", offsetof(struct hd_engine_facts, n_images) },
	};
	struct jctx x = { .d = d };
	json_t *root, *a, *o, *v;
	const char *k;
	size_t i;
	int r = 0;

	snprintf(x.what, sizeof(x.what), "engine info");
	root = load(&x, json, len, false);
	if (!root)
		return -HD_EPROTO;
	for (i = 0; i < HD_ARRAY_SIZE(bools) && r >= 0; i++)
		r = get_bool(&x, root, bools[i].key, bools[i].key,
			     (bool *)(void *)((char *)f + bools[i].off), NULL);
	for (i = 0; i < HD_ARRAY_SIZE(strs) && r >= 0; i++)
		r = str_field(&x, root, strs[i].key, (char **)(void *)((char *)f + strs[i].off));
	for (i = 0; i < HD_ARRAY_SIZE(ints) && r >= 0; i++)
		r = get_int(&x, root, ints[i].key, ints[i].key,
			    (int64_t *)(void *)((char *)f + ints[i].off), NULL);
	if (r < 0)
		goto out;
	if (!f->id && !f->name) {
		r = bad(&x, "ID", "the daemon's ID and Name");
		goto out;
	}
	if ((r = get_arr(&x, root, "SecurityOptions", "SecurityOptions", &a)) < 0 ||
	    (a && (r = add_str_items(&x, &f->security_options, a, "SecurityOptions", NULL)) < 0))
		goto out;
	for (i = 0; i < f->security_options.n; i++) {
		if ((r = security_option(f, f->security_options.v[i].value)) < 0)
			goto out;
	}
	if ((r = get_arr(&x, root, "Warnings", "Warnings", &a)) < 0 ||
	    (a && (r = add_str_items(&x, &f->warnings, a, "Warnings", NULL)) < 0) ||
	    (r = get_obj(&x, root, "RegistryConfig", "RegistryConfig", &o)) < 0 ||
	    (o && (r = read_registry(&x, f, o)) < 0) ||
	    (r = get_obj(&x, root, "Plugins", "Plugins", &o)) < 0)
		goto out;
	if (o) {
		if ((r = get_arr(&x, o, "Authorization", "Plugins.Authorization", &a)) < 0 ||
		    (a && (r = add_str_items(&x, &f->authz_plugins, a, "Plugins.Authorization", NULL)) < 0) ||
		    (r = get_arr(&x, o, "Log", "Plugins.Log", &a)) < 0 ||
		    (a && (r = add_str_items(&x, &f->log_plugins, a, "Plugins.Log", NULL)) < 0))
			goto out;
	}
	if ((r = get_obj(&x, root, "Runtimes", "Runtimes", &o)) < 0)
		goto out;
	json_object_foreach(o, k, v) {
		char path[PATH_MAX_LEN];

		snprintf(path, sizeof(path), "Runtimes.%s", k);
		if ((r = add_origin_items(&f->runtimes, k, path)) < 0)
			goto out;
	}
	if ((r = get_obj(&x, root, "Swarm", "Swarm", &o)) < 0)
		goto out;
	if (o)
		r = read_swarm(&x, f, o);
	else
		f->swarm = HD_SWARM_INACTIVE;
	if (r >= 0)
		f->info_known = true;
out:
	json_decref(root);
	return r;
}

int hd_inspect_nodes(const char *json, size_t len, struct hd_engine_facts *f, struct hd_diag *d)
{
	struct jctx x = { .d = d };
	json_t *root, *n;
	size_t i;
	int64_t managers = 0;

	snprintf(x.what, sizeof(x.what), "swarm node list");
	root = load(&x, json, len, true);
	if (!root)
		return -HD_EPROTO;
	json_array_foreach(root, i, n) {
		json_t *ms = json_object_get(n, "ManagerStatus");
		const char *id = json_string_value(json_object_get(n, "ID"));

		if (!json_is_object(n)) {
			json_decref(root);
			return bad(&x, "[]", "node objects");
		}
		if (json_is_object(ms))
			managers++;
		/* Data path: this node's Status.Addr against its manager address. */
		if (id && f->swarm_node_id && !strcmp(id, f->swarm_node_id) && json_is_object(ms)) {
			const char *st = json_string_value(json_object_get(json_object_get(n, "Status"), "Addr"));
			const char *ma = json_string_value(json_object_get(ms, "Addr"));

			if (st && ma) {
				size_t hl = strcspn(ma, ":");

				f->data_path_known = true;
				f->data_path_separate = !(strlen(st) == hl && strncmp(st, ma, hl) == 0);
			}
		}
	}
	f->swarm_managers = managers;
	f->swarm_nodes = (int64_t)json_array_size(root);
	json_decref(root);
	return 0;
}

int hd_inspect_networks(const char *json, size_t len, struct hd_engine_facts *f, struct hd_diag *d)
{
	struct jctx x = { .d = d };
	json_t *root, *n;
	size_t i;
	int r = 0;

	snprintf(x.what, sizeof(x.what), "network list");
	root = load(&x, json, len, true);
	if (!root)
		return -HD_EPROTO;
	json_array_foreach(root, i, n) {
		const char *name, *id, *driver, *scope;
		char path[PATH_MAX_LEN];
		struct hd_origin at = { 0 };
		struct hd_net *net;
		json_t *opts;

		snprintf(path, sizeof(path), "[%zu]", i);
		if (!json_is_object(n)) {
			r = bad(&x, path, "an object");
			break;
		}
		if ((r = get_str(&x, n, "Name", path, &name)) < 0 || (r = get_str(&x, n, "Id", path, &id)) < 0 ||
		    (r = get_str(&x, n, "Driver", path, &driver)) < 0 ||
		    (r = get_str(&x, n, "Scope", path, &scope)) < 0 ||
		    (r = get_obj(&x, n, "Options", path, &opts)) < 0)
			break;
		snprintf(path, sizeof(path), "Networks.%s.Options", name ? name : "?");
		r = hd_origin_set(&at, NULL, 0, 0, path);
		net = r >= 0 ? hd_engine_add_network(f, &at) : NULL;
		hd_origin_release(&at);
		if (!net) {
			r = -HD_ENOMEM;
			break;
		}
		if ((r = dup_str(&net->name, name ? name : "")) < 0 || (r = dup_str(&net->id, id)) < 0 ||
		    (r = dup_str(&net->driver, driver)) < 0 || (r = dup_str(&net->scope, scope)) < 0 ||
		    (r = get_bool(&x, n, "Ingress", path, &net->ingress, NULL)) < 0 ||
		    (r = get_bool(&x, n, "Internal", path, &net->internal, NULL)) < 0)
			break;
		net->encrypted = json_object_get(opts, "encrypted") != NULL;
	}
	json_decref(root);
	return r;
}

int hd_inspect_services(const char *json, size_t len, struct hd_engine_facts *f, struct hd_diag *d)
{
	struct jctx x = { .d = d };
	json_t *root, *s;
	size_t i;
	int r = 0;

	snprintf(x.what, sizeof(x.what), "service list");
	root = load(&x, json, len, true);
	if (!root)
		return -HD_EPROTO;
	f->n_services = (int64_t)json_array_size(root);
	json_array_foreach(root, i, s) {
		json_t *spec = json_object_get(s, "Spec");
		json_t *cs = json_object_get(json_object_get(spec, "TaskTemplate"), "ContainerSpec");
		json_t *secrets = json_object_get(cs, "Secrets");
		json_t *ports = json_object_get(json_object_get(s, "Endpoint"), "Ports");
		const char *name = json_string_value(json_object_get(spec, "Name"));
		json_t *p;
		size_t j;

		if (!json_is_object(s)) {
			r = bad(&x, "[]", "service objects");
			break;
		}
		if (json_is_array(secrets) && json_array_size(secrets) > 0)
			f->n_services_with_secrets++;
		json_array_foreach(ports, j, p) {
			char path[PATH_MAX_LEN];
			struct hd_origin at = { 0 };
			struct hd_service_port *sp;
			const char *proto = json_string_value(json_object_get(p, "Protocol"));
			const char *mode = json_string_value(json_object_get(p, "PublishMode"));
			json_int_t tp = json_integer_value(json_object_get(p, "TargetPort"));
			json_int_t pp = json_integer_value(json_object_get(p, "PublishedPort"));

			snprintf(path, sizeof(path), "Services.%s.Endpoint.Ports[%zu]", name ? name : "?", j);
			r = hd_origin_set(&at, NULL, 0, 0, path);
			sp = r >= 0 ? hd_engine_add_service_port(f, &at) : NULL;
			hd_origin_release(&at);
			if (!sp) {
				r = -HD_ENOMEM;
				break;
			}
			sp->target = tp > 0 && tp <= 65535 ? (uint32_t)tp : 0;
			sp->published = pp > 0 && pp <= 65535 ? (uint32_t)pp : 0;
			if ((r = dup_str(&sp->service, name ? name : "?")) < 0 ||
			    (r = dup_str(&sp->protocol, proto ? proto : "tcp")) < 0 ||
			    (r = dup_str(&sp->mode, mode ? mode : "ingress")) < 0)
				break;
		}
		if (r < 0)
			break;
	}
	json_decref(root);
	return r;
}

int hd_inspect_secrets(const char *json, size_t len, struct hd_engine_facts *f, struct hd_diag *d)
{
	struct jctx x = { .d = d };
	json_t *root;

	snprintf(x.what, sizeof(x.what), "secret list");
	root = load(&x, json, len, true);
	if (!root)
		return -HD_EPROTO;
	f->n_secrets = (int64_t)json_array_size(root);
	json_decref(root);
	return 0;
}

/* ---- create request bodies (authz) ------------------------------------------- */

/* Adds one mount of the create body with its origin path. */
static struct hd_mount *create_mount(struct hd_container_spec *c, const char *path)
{
	struct hd_origin at = { 0 };
	struct hd_mount *m;
	int r;

	r = hd_origin_set(&at, NULL, 0, 0, path);
	m = r >= 0 ? hd_container_add_mount(c, &at) : NULL;
	hd_origin_release(&at);
	return m;
}

/* Options of a Binds entry ("ro,Z,rshared"): read-only, SELinux label, propagation. */
static int bind_opts(struct hd_mount *m, const char *opts)
{
	const char *p = opts;
	int r = 0;

	while (p && *p && r >= 0) {
		const char *e = strchr(p, ',');
		size_t n = e ? (size_t)(e - p) : strlen(p);

		if (n == 2 && !strncmp(p, "ro", 2))
			m->read_only = true;
		else if (n == 1 && (*p == 'z' || *p == 'Z'))
			r = dup_str(&m->selinux, *p == 'Z' ? "Z" : "z");
		else if ((n == 6 && !strncmp(p, "shared", 6)) || (n == 7 && !strncmp(p, "rshared", 7)) ||
			 (n == 5 && !strncmp(p, "slave", 5)) || (n == 6 && !strncmp(p, "rslave", 6)) ||
			 (n == 7 && !strncmp(p, "private", 7)) || (n == 8 && !strncmp(p, "rprivate", 8))) {
			char *v = hd_malloc(n + 1);

			if (!v)
				return -HD_ENOMEM;
			memcpy(v, p, n);
			v[n] = '\0';
			hd_free(m->propagation);
			m->propagation = v;
		}
		p = e ? e + 1 : NULL;
	}
	return r;
}

static int read_create_binds(struct jctx *x, struct hd_container_spec *c, json_t *hc)
{
	char path[PATH_MAX_LEN];
	json_t *a, *v;
	size_t i;
	int r;

	r = get_arr(x, hc, "Binds", "HostConfig.Binds", &a);
	if (r < 0)
		return r;
	json_array_foreach(a, i, v) {
		const char *b = json_string_value(v), *c1, *c2;
		struct hd_mount *m;
		size_t n;

		snprintf(path, sizeof(path), "HostConfig.Binds[%zu]", i);
		if (!b)
			return bad(x, path, "a string");
		c1 = strchr(b, ':');
		if (!c1 || c1 == b || !c1[1])
			return bad(x, path, "\"source:destination[:options]\"");
		c2 = strchr(c1 + 1, ':');
		n = c2 ? (size_t)(c2 - c1 - 1) : strlen(c1 + 1);
		if (!n)
			return bad(x, path, "\"source:destination[:options]\"");
		m = create_mount(c, path);
		if (!m)
			return -HD_ENOMEM;
		m->type = *b == '/' ? HD_MOUNT_BIND : HD_MOUNT_VOLUME;
		m->source = hd_malloc((size_t)(c1 - b) + 1);
		m->target = hd_malloc(n + 1);
		if (!m->source || !m->target)
			return -HD_ENOMEM;
		memcpy(m->source, b, (size_t)(c1 - b));
		m->source[c1 - b] = '\0';
		memcpy(m->target, c1 + 1, n);
		m->target[n] = '\0';
		if (c2 && (r = bind_opts(m, c2 + 1)) < 0)
			return r;
	}
	return 0;
}

static int read_create_mounts(struct jctx *x, struct hd_container_spec *c, json_t *hc)
{
	char path[PATH_MAX_LEN];
	json_t *a, *v, *bo;
	size_t i;
	int r;

	r = get_arr(x, hc, "Mounts", "HostConfig.Mounts", &a);
	if (r < 0)
		return r;
	json_array_foreach(a, i, v) {
		const char *type, *src, *dst, *prop = NULL;
		struct hd_mount *m;
		bool ro, ro_present;

		snprintf(path, sizeof(path), "HostConfig.Mounts[%zu]", i);
		if (!json_is_object(v))
			return bad(x, path, "an object");
		if ((r = get_str(x, v, "Type", path, &type)) < 0 ||
		    (r = get_str(x, v, "Source", path, &src)) < 0 ||
		    (r = get_str(x, v, "Target", path, &dst)) < 0 ||
		    (r = get_bool(x, v, "ReadOnly", path, &ro, &ro_present)) < 0 ||
		    (r = get_obj(x, v, "BindOptions", path, &bo)) < 0 ||
		    (bo && (r = get_str(x, bo, "Propagation", path, &prop)) < 0))
			return r;
		if (!dst || !*dst)
			return bad(x, path, "a Target");
		m = create_mount(c, path);
		if (!m)
			return -HD_ENOMEM;
		m->type = mount_type(type);
		m->read_only = ro_present && ro;
		if ((r = dup_str(&m->target, dst)) < 0 ||
		    (src && *src && (r = dup_str(&m->source, src)) < 0) ||
		    (prop && *prop && (r = dup_str(&m->propagation, prop)) < 0))
			return r;
	}
	return 0;
}

/* Entrypoint and Cmd: arrays of strings, or one string (shell form). */
static int read_create_command(struct jctx *x, struct hd_container_spec *c, json_t *root)
{
	static const char *const keys[] = { "Entrypoint", "Cmd" };
	size_t i;
	int r;

	for (i = 0; i < HD_ARRAY_SIZE(keys); i++) {
		json_t *v = json_object_get(root, keys[i]);

		if (!v || json_is_null(v))
			continue;
		if (json_is_string(v)) {
			struct hd_origin at = { 0 };

			r = hd_origin_set(&at, NULL, 0, 0, keys[i]);
			if (r >= 0)
				r = hd_items_add(&c->command, json_string_value(v), &at);
			hd_origin_release(&at);
		} else if (json_is_array(v)) {
			r = add_str_items(x, &c->command, v, keys[i], NULL);
		} else {
			r = bad(x, keys[i], "an array of strings");
		}
		if (r < 0)
			return r;
	}
	return 0;
}

static int read_create_networks(struct jctx *x, struct hd_container_spec *c, json_t *root)
{
	char path[PATH_MAX_LEN];
	json_t *nc, *eps, *v;
	const char *k;
	int r;

	r = get_obj(x, root, "NetworkingConfig", "NetworkingConfig", &nc);
	if (r >= 0 && nc)
		r = get_obj(x, nc, "EndpointsConfig", "NetworkingConfig.EndpointsConfig", &eps);
	else
		eps = NULL;
	if (r < 0)
		return r;
	json_object_foreach(eps, k, v) {
		struct hd_origin at = { 0 };

		snprintf(path, sizeof(path), "NetworkingConfig.EndpointsConfig.%s", k);
		r = hd_origin_set(&at, NULL, 0, 0, path);
		if (r >= 0)
			r = hd_items_add(&c->networks, k, &at);
		hd_origin_release(&at);
		if (r < 0)
			return r;
	}
	return 0;
}

int hd_inspect_create_body(const char *json, size_t len, const char *name,
			   struct hd_container_spec **ret, struct hd_diag *d)
{
	struct jctx x = { .d = d };
	struct hd_container_spec *c = NULL;
	json_t *root, *hc, *empty = NULL;
	const char *image, *user;
	int r;

	if (!name || !*name)
		name = "request";
	snprintf(x.what, sizeof(x.what), "create request '%.150s'", name);
	root = load(&x, json, len, false);
	if (!root)
		return -HD_EPROTO;
	if ((r = get_obj(&x, root, "HostConfig", "HostConfig", &hc)) < 0)
		goto out;
	if (!hc) {
		/* No HostConfig means every host setting is the daemon's default. */
		hc = empty = json_object();
		if (!hc) {
			r = -HD_ENOMEM;
			goto out;
		}
	}
	c = hd_container_spec_new(HD_SRC_AUTHZ, name, NULL);
	if (!c) {
		r = -HD_ENOMEM;
		goto out;
	}
	if ((r = get_str(&x, root, "Image", "Image", &image)) < 0)
		goto out;
	if (image && *image) {
		struct hd_origin at = { 0 };

		r = hd_origin_set(&at, NULL, 0, 0, "Image");
		if (r >= 0)
			r = hd_container_set_image(c, image, &at);
		hd_origin_release(&at);
		if (r < 0)
			goto out;
	}
	if ((r = get_str(&x, root, "User", "User", &user)) < 0 ||
	    (user && *user && (r = set_str(&c->user, user, "User")) < 0))
		goto out;
	if ((r = read_security(&x, c, hc)) < 0 || (r = read_resources(&x, c, hc)) < 0 ||
	    (r = read_namespaces(&x, c, hc)) < 0 || (r = read_create_binds(&x, c, hc)) < 0 ||
	    (r = read_create_mounts(&x, c, hc)) < 0 || (r = read_devices(&x, c, hc)) < 0 ||
	    (r = read_ports(&x, c, hc, root)) < 0 || (r = read_env(&x, ctr_add_env, c, root)) < 0 ||
	    (r = read_healthcheck(&x, &c->healthcheck, root)) < 0 ||
	    (r = read_create_networks(&x, c, root)) < 0 ||
	    (r = read_misc(&x, c, root, hc, root)) < 0 || (r = read_create_command(&x, c, root)) < 0)
		goto out;
	*ret = c;
	c = NULL;
	r = 0;
out:
	hd_container_spec_free(c);
	json_decref(empty);
	json_decref(root);
	return r;
}
