/*
 * Container documents of the Engine API (see inspect.h): container inspect,
 * the body of a container create request, top, exec inspect, the body of an
 * exec create request, and the container list.
 *
 * Container settings are read through the table of model/container_opts.def:
 * each setting names its JSON path in container inspect and in a create
 * body; settings of a generic kind are read, checked and stored by one
 * function per kind here, settings with a syntax of their own by one reader
 * each.  Both documents are read as dockerd decodes them (parse/json.h), so
 * "hostconfig":{"privileged":true} is privileged here as it is there.
 */
#include "core/common.h"
#include "core/buf.h"
#include "parse/inspect_int.h"

/* One container document being read. */
struct cr {
	struct hd_jr *r;
	struct hd_container_spec *c;
	bool body;         /* a create body: the table's create paths; else container inspect */
	struct hd_jv root;
	struct hd_jv host; /* HostConfig (a body's own, or its top level: see read_body) */
	struct hd_jv top;  /* a body's top level when host is its HostConfig, else n == 0 */
	struct hd_jv cfg;  /* Config: inspect's, or a body's top level */
};

/* Structs that dockerd holds by pointer: null resets them. */
static bool is_ptr_struct(const char *name)
{
	static const char *const ptrs[] = { "HostConfig", "Config", "NetworkSettings", "NetworkingConfig",
					    "Healthcheck", "DriverConfig", "VolumeOptions", "BindOptions" };
	size_t i;

	for (i = 0; i < HD_ARRAY_SIZE(ptrs); i++) {
		if (!strcmp(ptrs[i], name))
			return true;
	}
	return false;
}

/*
 * The parent view and last field name of a table path ("HostConfig.LogConfig.Type"
 * -> the LogConfig view and "Type").  The first segment HostConfig or
 * Config is the document's (see struct cr); others are walked.
 */
static int resolve(struct cr *x, const char *path, size_t len, struct hd_jv *parent, char *name, size_t nsize)
{
	const char *p = path, *end = path + len, *dot;
	struct hd_jv cur = x->root;
	bool first = true;
	int rc;

	while ((dot = memchr(p, '.', (size_t)(end - p)))) {
		char seg[64];
		size_t n = (size_t)(dot - p);

		HD_ASSERT(n < sizeof(seg));
		memcpy(seg, p, n);
		seg[n] = '\0';
		if (first && !strcmp(seg, "HostConfig")) {
			cur = x->host;
		} else if (first && !x->body && !strcmp(seg, "Config")) {
			cur = x->cfg;
		} else {
			struct hd_jv next;

			rc = hd_jv_obj(x->r, &cur, seg, is_ptr_struct(seg) ? HD_JF_NULLABLE : 0, &next);
			if (rc < 0)
				return rc;
			cur = next;
		}
		first = false;
		p = dot + 1;
	}
	HD_ASSERT((size_t)(end - p) < nsize);
	memcpy(name, p, (size_t)(end - p));
	name[end - p] = '\0';
	*parent = cur;
	return 0;
}

/* The k-th space-separated path of a table column, or NULL. */
static const char *nth_path(const char *paths, unsigned k, size_t *len)
{
	const char *p = paths;

	while (*p) {
		size_t n = strcspn(p, " ");

		if (k-- == 0) {
			*len = n;
			return p;
		}
		p += n;
		while (*p == ' ')
			p++;
	}
	return NULL;
}

static const char *col(const struct cr *x, const struct hd_cset *s)
{
	return x->body ? s->create : s->inspect;
}

/* Resolves path k of setting s's column: 0, 1 (not in the table) or an error. */
static int locate(struct cr *x, const struct hd_cset *s, unsigned k, struct hd_jv *parent, char *name,
		  size_t nsize)
{
	size_t len;
	const char *p = nth_path(col(x, s), k, &len);
	int rc;

	if (!p)
		return 1;
	rc = resolve(x, p, len, parent, name, nsize);
	return rc < 0 ? rc : 0;
}

/* A borrowed origin for the builders of model/container.h, which copy it. */
static struct hd_origin jat(const char *path)
{
	struct hd_origin o = { .field = (char *)path };

	return o;
}

/* The slice at path k of s's column (n == 0 when absent, or when the table has no path k). */
static int slice_at(struct cr *x, const struct hd_cset *s, unsigned k, struct hd_jv *ret)
{
	struct hd_jv parent;
	char name[64];
	int rc;

	ret->n = 0;
	rc = locate(x, s, k, &parent, name, sizeof(name));
	if (rc != 0)
		return rc < 0 ? rc : 0;
	return hd_jv_arr(x->r, &parent, name, 0, ret);
}

/* The entries of the map at path k of s's column (none when absent or not in the table). */
static int entries_at(struct cr *x, const struct hd_cset *s, unsigned k, struct hd_jentry **e, size_t *n)
{
	struct hd_jv parent, map;
	char name[64];
	int rc;

	*n = 0;
	rc = locate(x, s, k, &parent, name, sizeof(name));
	if (rc != 0)
		return rc < 0 ? rc : 0;
	rc = hd_jv_map(x->r, &parent, name, 0, &map);
	return rc < 0 ? rc : hd_jv_entries(x->r, &map, e, n);
}

static int invalid(struct cr *x, const char *path, const char *value, const char *expect)
{
	struct hd_origin at = jat(path);
	char *s = hd_asprintf("%s=%s (expected %s)", path, value, expect);
	int rc;

	rc = s ? hd_items_add(&x->c->invalid_options, s, &at) : -HD_ENOMEM;
	hd_free(s);
	return rc;
}

/* ---- generic kinds ------------------------------------------------------------------ */

struct list_ctx {
	struct cr *x;
	const struct hd_cset *s;
	struct hd_items *l;
};

static int list_item(void *vctx, const char *v, const char *path)
{
	struct list_ctx *lc = vctx;
	struct hd_origin at = jat(path);
	const char *expect;
	char *norm;
	int rc;

	if (!*v)
		return 0;
	norm = lc->s->kind == HD_CK_CAPS ? hd_cap_normalise(v) :
	       lc->s->kind == HD_CK_SECOPT ? hd_security_opt_normalise(v) : hd_strdup(v);
	if (!norm)
		return -HD_ENOMEM;
	if (hd_cset_check_item(lc->s, norm, &expect) < 0) {
		rc = invalid(lc->x, path, v, expect);
		hd_free(norm);
		return rc;
	}
	rc = hd_items_add(lc->l, norm, &at);
	hd_free(norm);
	return rc;
}

/* Reads an integer setting at (parent, name); *done tells whether a value was taken. */
static int read_int(struct cr *x, const struct hd_cset *s, const struct hd_jv *parent, const char *name,
		    bool *done)
{
	struct hd_int_setting *f = hd_cset_field(x->c, s);
	struct hd_origin at;
	const char *path, *expect;
	char buf[96], num[32];
	bool present;
	int64_t v;
	int rc;

	*done = false;
	rc = hd_jv_int(x->r, parent, name, s->flags & HD_CSF_JSON_PTR ? HD_JF_NULLABLE : 0, &v, &present, &path);
	if (rc < 0 || !present)
		return rc;
	/* The engine writes its default as 0 (or as any value up to 0). */
	if (((s->flags & HD_CSF_JSON_POSITIVE) && v <= 0) || ((s->flags & HD_CSF_JSON_NONZERO) && v == 0))
		return 0;
	*done = true;
	if (hd_cset_check_int(s, v, buf, sizeof(buf), &expect) < 0) {
		snprintf(num, sizeof(num), "%" PRId64, v);
		return invalid(x, path, num, expect);
	}
	at = jat(path);
	return hd_int_setting_set(f, v, &at);
}

static int read_str(struct cr *x, const struct hd_cset *s, const struct hd_jv *parent, const char *name,
		    bool *done)
{
	struct hd_origin at;
	const char *v, *path;
	int rc;

	*done = false;
	rc = hd_jv_str(x->r, parent, name, 0, &v, &path);
	if (rc < 0 || !v || !*v)
		return rc;
	*done = true;
	at = jat(path);
	if (s->kind == HD_CK_NS || s->kind == HD_CK_NETWORK)
		return hd_ns_setting_set(hd_cset_field(x->c, s), v, &at);
	return hd_str_setting_set(hd_cset_field(x->c, s), v, &at);
}

static int json_generic(struct cr *x, const struct hd_cset *s)
{
	char name[64];
	struct hd_jv parent;
	bool done = false;
	int rc;

	rc = locate(x, s, 0, &parent, name, sizeof(name));
	if (rc != 0)
		return rc < 0 ? rc : 0;
	switch (s->kind) {
	case HD_CK_BOOL: {
		struct hd_origin at;
		const char *path;
		bool b, present;

		rc = hd_jv_bool(x->r, &parent, name, s->flags & HD_CSF_JSON_PTR ? HD_JF_NULLABLE : 0, &b,
				&present, &path);
		if (rc < 0 || !present)
			return rc;
		at = jat(path);
		return hd_flag_setting_set(hd_cset_field(x->c, s), b, &at);
	}
	case HD_CK_INT:
	case HD_CK_BYTES:
	case HD_CK_CPUS:
		rc = read_int(x, s, &parent, name, &done);
		/* dockerd takes these from a body's top level when its HostConfig leaves them 0. */
		if (rc >= 0 && !done && (s->flags & HD_CSF_BODY_TOP) && x->top.n)
			rc = read_int(x, s, &x->top, name, &done);
		return rc;
	case HD_CK_STR:
	case HD_CK_NS:
		rc = read_str(x, s, &parent, name, &done);
		if (rc >= 0 && !done && (s->flags & HD_CSF_BODY_TOP) && x->top.n)
			rc = read_str(x, s, &x->top, name, &done);
		/* The deprecated "Cpuset" of the body's top level fills CpusetCpus last. */
		if (rc >= 0 && !done && x->body && s == &hd_csets[HD_CS_CPUSET_CPUS])
			rc = read_str(x, s, &x->root, "Cpuset", &done);
		return rc;
	case HD_CK_LIST:
	case HD_CK_CAPS:
	case HD_CK_SECOPT: {
		struct list_ctx lc = { x, s, hd_cset_field(x->c, s) };

		return hd_jv_strings(x->r, &parent, name, s->flags & HD_CSF_JSON_REPLACE ? HD_JF_REPLACE : 0,
				     list_item, &lc);
	}
	case HD_CK_KVS:
		return hd_ij_add_kvs(x->r, hd_cset_field(x->c, s), &parent, name);
	default:
		HD_BUG("not a generic kind");
	}
	return 0;
}

/* ---- settings with a syntax of their own --------------------------------------------- */

static int json_image(struct cr *x, const struct hd_cset *s)
{
	struct hd_origin at;
	struct hd_jv parent;
	const char *v, *path;
	char name[64];
	int rc;

	rc = locate(x, s, 0, &parent, name, sizeof(name));
	if (rc != 0)
		return rc < 0 ? rc : 0;
	rc = hd_jv_str(x->r, &parent, name, 0, &v, &path);
	if (rc < 0 || !v || !*v)
		return rc;
	at = jat(path);
	return hd_container_set_image(x->c, v, &at);
}

static int json_tmpfs(struct cr *x, const struct hd_cset *s)
{
	struct hd_jentry *e;
	size_t n, i;
	int rc;

	if ((rc = entries_at(x, s, 0, &e, &n)) < 0)
		return rc;
	for (i = 0; i < n; i++) {
		struct hd_origin at = jat(e[i].val.path);
		const char *v;
		char *item;

		if ((rc = hd_jv_as_str(x->r, &e[i].val, &v)) < 0)
			return rc;
		item = v && *v ? hd_asprintf("%s:%s", e[i].key, v) : hd_strdup(e[i].key);
		rc = item ? hd_items_add(hd_cset_field(x->c, s), item, &at) : -HD_ENOMEM;
		hd_free(item);
		if (rc < 0)
			return rc;
	}
	return 0;
}

static int json_ulimits(struct cr *x, const struct hd_cset *s)
{
	struct hd_jv arr;
	size_t i, n;
	int rc;

	if ((rc = slice_at(x, s, 0, &arr)) < 0)
		return rc;
	n = hd_jv_len(&arr);
	for (i = 0; i < n; i++) {
		struct hd_origin at;
		struct hd_ulimit *u;
		struct hd_jv e;
		const char *uname;

		/* []*units.Ulimit: a null element is no limit at all. */
		if ((rc = hd_jv_at(x->r, &arr, i, HD_JF_NULLABLE, &e)) < 0 || (rc = hd_jv_as_obj(x->r, &e)) < 0)
			return rc;
		if (!e.n)
			continue;
		if ((rc = hd_jv_str(x->r, &e, "Name", 0, &uname, NULL)) < 0)
			return rc;
		at = jat(e.path);
		u = hd_container_add_ulimit(x->c, &at);
		if (!u)
			return -HD_ENOMEM;
		if ((rc = hd_ij_dup(&u->name, uname ? uname : "")) < 0 ||
		    (rc = hd_jv_int(x->r, &e, "Soft", 0, &u->soft, NULL, NULL)) < 0 ||
		    (rc = hd_jv_int(x->r, &e, "Hard", 0, &u->hard, NULL, NULL)) < 0)
			return rc;
	}
	return 0;
}

/* Network mode (path 0), then the networks joined (path 1, a map keyed by network name). */
static int json_network(struct cr *x, const struct hd_cset *s)
{
	struct hd_jentry *e;
	struct hd_jv parent;
	char name[64];
	bool done;
	size_t n, i;
	int rc;

	rc = locate(x, s, 0, &parent, name, sizeof(name));
	if (rc < 0 || (rc == 0 && (rc = read_str(x, s, &parent, name, &done)) < 0) ||
	    (rc = entries_at(x, s, 1, &e, &n)) < 0)
		return rc;
	for (i = 0; i < n; i++) {
		struct hd_origin at = jat(e[i].val.path);

		rc = hd_items_add(&x->c->networks, e[i].key, &at);
		if (rc >= 0 && x->c->live && strcmp(e[i].key, "bridge") == 0) {
			x->c->live->on_default_bridge = true;
			rc = hd_origin_copy(&x->c->live->bridge_at, &at);
		}
		if (rc < 0)
			return rc;
	}
	return 0;
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

int hd_ij_volume_driver(struct hd_jr *r, const struct hd_jv *mnt, struct hd_mount *m)
{
	struct hd_jv vo, dc;
	struct hd_kvs opts = { 0 };
	const char *driver;
	int rc;

	if ((rc = hd_jv_obj(r, mnt, "VolumeOptions", HD_JF_NULLABLE, &vo)) < 0 || !vo.n ||
	    (rc = hd_jv_obj(r, &vo, "DriverConfig", HD_JF_NULLABLE, &dc)) < 0 || !dc.n)
		return rc;
	rc = hd_jv_str(r, &dc, "Name", 0, &driver, NULL);
	if (rc >= 0)
		rc = hd_ij_add_kvs(r, &opts, &dc, "Options");
	if (rc >= 0)
		rc = hd_mount_resolve_volume(m, driver, &opts);
	hd_kvs_release(&opts);
	return rc;
}

/* Options of a Binds entry ("ro,Z,rshared"): read-only, SELinux label, propagation. */
static int bind_opts(struct hd_mount *m, const char *opts)
{
	const char *p = opts;

	while (p && *p) {
		const char *e = strchr(p, ',');
		size_t n = e ? (size_t)(e - p) : strlen(p);

		if (n == 2 && !strncmp(p, "ro", 2)) {
			m->read_only = true;
		} else if (n == 1 && (*p == 'z' || *p == 'Z')) {
			hd_free(m->selinux);
			if (!(m->selinux = hd_strdup(*p == 'Z' ? "Z" : "z")))
				return -HD_ENOMEM;
		} else if ((n == 6 && !strncmp(p, "shared", 6)) || (n == 7 && !strncmp(p, "rshared", 7)) ||
			   (n == 5 && !strncmp(p, "slave", 5)) || (n == 6 && !strncmp(p, "rslave", 6)) ||
			   (n == 7 && !strncmp(p, "private", 7)) || (n == 8 && !strncmp(p, "rprivate", 8))) {
			hd_free(m->propagation);
			if (!(m->propagation = hd_strndup(p, n)))
				return -HD_ENOMEM;
		}
		p = e ? e + 1 : NULL;
	}
	return 0;
}

static struct hd_mount *add_mount(struct cr *x, const char *path)
{
	struct hd_origin at = jat(path);

	return hd_container_add_mount(x->c, &at);
}

struct binds_ctx {
	struct cr *x;
	bool check;        /* a body: every entry must be well formed */
	bool add;          /* add each entry as a mount (a body) */
	const char *dst;   /* inspect: the destination looked for */
	const char *found; /* its path */
};

static int bind_entry(void *vctx, const char *b, const char *path)
{
	struct binds_ctx *bc = vctx;
	const char *c1 = strchr(b, ':'), *c2;
	struct hd_mount *m;
	size_t n;

	if (!c1 || c1 == b || !c1[1])
		return bc->check ? hd_jr_bad(bc->x->r, path, "\"source:destination[:options]\"") : 0;
	c2 = strchr(c1 + 1, ':');
	n = c2 ? (size_t)(c2 - c1 - 1) : strlen(c1 + 1);
	if (!n)
		return bc->check ? hd_jr_bad(bc->x->r, path, "\"source:destination[:options]\"") : 0;
	if (!bc->add) {
		if (!bc->found && strlen(bc->dst) == n && !strncmp(c1 + 1, bc->dst, n))
			bc->found = path;
		return 0;
	}
	m = add_mount(bc->x, path);
	if (!m)
		return -HD_ENOMEM;
	m->type = *b == '/' ? HD_MOUNT_BIND : HD_MOUNT_VOLUME;
	m->source = hd_strndup(b, (size_t)(c1 - b));
	m->target = hd_strndup(c1 + 1, n);
	if (!m->source || !m->target)
		return -HD_ENOMEM;
	return c2 ? bind_opts(m, c2 + 1) : 0;
}

int hd_ij_mount_list(struct hd_jr *r, struct hd_container_spec *c, const struct hd_jv *parent,
		     const char *name)
{
	struct hd_jv arr;
	size_t i, n;
	int rc;

	if ((rc = hd_jv_arr(r, parent, name, 0, &arr)) < 0)
		return rc;
	n = hd_jv_len(&arr);
	for (i = 0; i < n; i++) {
		const char *type, *src, *dst, *prop = NULL;
		struct hd_jv e, bo;
		struct hd_origin at;
		struct hd_mount *m;
		bool ro, ro_present;

		if ((rc = hd_jv_at(r, &arr, i, 0, &e)) < 0 || (rc = hd_jv_as_obj(r, &e)) < 0 ||
		    (rc = hd_jv_str(r, &e, "Type", 0, &type, NULL)) < 0 ||
		    (rc = hd_jv_str(r, &e, "Source", 0, &src, NULL)) < 0 ||
		    (rc = hd_jv_str(r, &e, "Target", 0, &dst, NULL)) < 0 ||
		    (rc = hd_jv_bool(r, &e, "ReadOnly", 0, &ro, &ro_present, NULL)) < 0 ||
		    (rc = hd_jv_obj(r, &e, "BindOptions", HD_JF_NULLABLE, &bo)) < 0 ||
		    (bo.n && (rc = hd_jv_str(r, &bo, "Propagation", 0, &prop, NULL)) < 0))
			return rc;
		if (!dst || !*dst)
			return hd_jr_bad(r, e.path, "a Target");
		at = jat(e.path);
		m = hd_container_add_mount(c, &at);
		if (!m)
			return -HD_ENOMEM;
		m->type = mount_type(type);
		m->read_only = ro_present && ro;
		if ((rc = hd_ij_dup(&m->target, dst)) < 0 || (src && *src && (rc = hd_ij_dup(&m->source, src)) < 0) ||
		    (prop && *prop && (rc = hd_ij_dup(&m->propagation, prop)) < 0) ||
		    (rc = hd_ij_volume_driver(r, &e, m)) < 0)
			return rc;
	}
	return 0;
}

/*
 * Where a mount of inspect's effective list was asked for: its Binds entry,
 * or its HostConfig.Mounts entry (returned in *spec for its volume
 * options), else the effective list's own path.
 */
static int mount_origin(struct cr *x, const char *dst, const char *own, const char **path, struct hd_jv *spec)
{
	struct binds_ctx bc = { x, false, false, dst, NULL };
	struct hd_jv arr;
	size_t i, n;
	int rc;

	spec->n = 0;
	*path = own;
	rc = hd_jv_strings(x->r, &x->host, "Binds", 0, bind_entry, &bc);
	if (rc < 0)
		return rc;
	if (bc.found) {
		*path = bc.found;
		return 0;
	}
	if ((rc = hd_jv_arr(x->r, &x->host, "Mounts", 0, &arr)) < 0)
		return rc;
	n = hd_jv_len(&arr);
	for (i = 0; i < n; i++) {
		struct hd_jv e, t;

		if ((rc = hd_jv_at(x->r, &arr, i, 0, &e)) < 0 || (rc = hd_jv_as_obj(x->r, &e)) < 0 ||
		    (rc = hd_jv_field(x->r, &e, "Target", 0, &t)) < 0)
			return rc;
		if (t.n && t.occ[t.n - 1]->type == HD_JSTR && !strcmp(t.occ[t.n - 1]->u.s.p, dst)) {
			*path = e.path;
			*spec = e;
			return 0;
		}
	}
	return 0;
}

/* Container inspect's effective Mounts list (path 0 of the column). */
static int inspect_mounts(struct cr *x, const struct hd_jv *parent, const char *name)
{
	struct hd_jv arr;
	size_t i, n;
	int rc;

	if ((rc = hd_jv_arr(x->r, parent, name, 0, &arr)) < 0)
		return rc;
	n = hd_jv_len(&arr);
	for (i = 0; i < n; i++) {
		const char *type, *src, *vname, *dst, *mode, *prop, *path;
		struct hd_jv e, spec;
		struct hd_mount *m;
		bool rw, rw_present;

		if ((rc = hd_jv_at(x->r, &arr, i, 0, &e)) < 0 || (rc = hd_jv_as_obj(x->r, &e)) < 0 ||
		    (rc = hd_jv_str(x->r, &e, "Type", 0, &type, NULL)) < 0 ||
		    (rc = hd_jv_str(x->r, &e, "Source", 0, &src, NULL)) < 0 ||
		    (rc = hd_jv_str(x->r, &e, "Name", 0, &vname, NULL)) < 0 ||
		    (rc = hd_jv_str(x->r, &e, "Destination", 0, &dst, NULL)) < 0 ||
		    (rc = hd_jv_str(x->r, &e, "Mode", 0, &mode, NULL)) < 0 ||
		    (rc = hd_jv_str(x->r, &e, "Propagation", 0, &prop, NULL)) < 0 ||
		    (rc = hd_jv_bool(x->r, &e, "RW", 0, &rw, &rw_present, NULL)) < 0)
			return rc;
		if (!dst)
			return hd_jr_bad(x->r, e.path, "a Destination");
		if ((rc = mount_origin(x, dst, e.path, &path, &spec)) < 0)
			return rc;
		m = add_mount(x, path);
		if (!m)
			return -HD_ENOMEM;
		m->type = mount_type(type);
		m->read_only = rw_present && !rw;
		if ((rc = hd_ij_dup(&m->target, dst)) < 0)
			return rc;
		if (m->type == HD_MOUNT_VOLUME && vname)
			rc = hd_ij_dup(&m->source, vname);
		else if (src && *src)
			rc = hd_ij_dup(&m->source, src);
		if (rc >= 0 && prop && *prop)
			rc = hd_ij_dup(&m->propagation, prop);
		if (rc >= 0 && m->type == HD_MOUNT_BIND && mode && strchr(mode, 'Z'))
			rc = hd_ij_dup(&m->selinux, "Z");
		else if (rc >= 0 && m->type == HD_MOUNT_BIND && mode && strchr(mode, 'z'))
			rc = hd_ij_dup(&m->selinux, "z");
		/* A volume asked for with bind options (--mount ...,volume-opt=o=bind) binds its device. */
		if (rc >= 0 && spec.n)
			rc = hd_ij_volume_driver(x->r, &spec, m);
		if (rc < 0)
			return rc;
	}
	return 0;
}

static int json_mounts(struct cr *x, const struct hd_cset *s)
{
	struct hd_jv parent;
	char name[64];
	unsigned k;
	int rc;

	for (k = 0; (rc = locate(x, s, k, &parent, name, sizeof(name))) == 0; k++) {
		if (!x->body) {
			rc = inspect_mounts(x, &parent, name);
		} else if (!strcmp(name, "Binds")) {
			struct binds_ctx bc = { x, true, true, NULL, NULL };

			rc = hd_jv_strings(x->r, &parent, name, 0, bind_entry, &bc);
		} else {
			rc = hd_ij_mount_list(x->r, x->c, &parent, name);
		}
		if (rc < 0)
			return rc;
	}
	return rc < 0 ? rc : 0;
}

static int json_devices(struct cr *x, const struct hd_cset *s)
{
	struct hd_jv arr;
	size_t i, n;
	int rc;

	if ((rc = slice_at(x, s, 0, &arr)) < 0)
		return rc;
	n = hd_jv_len(&arr);
	for (i = 0; i < n; i++) {
		const char *hp, *cp, *perm;
		struct hd_origin at;
		struct hd_device *dv;
		struct hd_jv e;

		if ((rc = hd_jv_at(x->r, &arr, i, 0, &e)) < 0 || (rc = hd_jv_as_obj(x->r, &e)) < 0 ||
		    (rc = hd_jv_str(x->r, &e, "PathOnHost", 0, &hp, NULL)) < 0 ||
		    (rc = hd_jv_str(x->r, &e, "PathInContainer", 0, &cp, NULL)) < 0 ||
		    (rc = hd_jv_str(x->r, &e, "CgroupPermissions", 0, &perm, NULL)) < 0)
			return rc;
		at = jat(e.path);
		dv = hd_container_add_device(x->c, &at);
		if (!dv)
			return -HD_ENOMEM;
		if ((rc = hd_ij_dup(&dv->host_path, hp)) < 0 || (rc = hd_ij_dup(&dv->container_path, cp)) < 0 ||
		    (rc = hd_ij_dup(&dv->perms, perm && *perm ? perm : NULL)) < 0)
			return rc;
	}
	return 0;
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

static int port_bindings(struct cr *x, const struct hd_cset *s)
{
	struct hd_jentry *e;
	size_t n, i, j;
	int rc;

	if ((rc = entries_at(x, s, 0, &e, &n)) < 0)
		return rc;
	for (i = 0; i < n; i++) {
		struct hd_jv arr;
		uint32_t lo, hi;
		enum hd_proto proto;
		size_t len;

		if (!hd_ij_port_key(e[i].key, &lo, &hi, &proto))
			return hd_jr_bad(x->r, e[i].val.path, "a port such as \"80/tcp\"");
		if (e[i].val.occ[0]->type == HD_JNULL)
			continue;
		if (e[i].val.occ[0]->type != HD_JARR)
			return hd_jr_bad(x->r, e[i].val.path, "an array");
		arr = e[i].val;
		len = hd_jv_len(&arr);
		for (j = 0; j < len; j++) {
			const char *ip, *hp;
			struct hd_origin at;
			struct hd_port *p;
			struct hd_jv b;
			uint32_t hlo = 0, hhi = 0;
			enum hd_proto dummy;

			if ((rc = hd_jv_at(x->r, &arr, j, 0, &b)) < 0 || (rc = hd_jv_as_obj(x->r, &b)) < 0 ||
			    (rc = hd_jv_str(x->r, &b, "HostIp", 0, &ip, NULL)) < 0 ||
			    (rc = hd_jv_str(x->r, &b, "HostPort", 0, &hp, NULL)) < 0)
				return rc;
			if (hp && *hp && !hd_ij_port_key(hp, &hlo, &hhi, &dummy))
				return hd_jr_bad(x->r, b.path, "a HostPort number or range");
			at = jat(b.path);
			p = hd_container_add_port(x->c, &at);
			if (!p)
				return -HD_ENOMEM;
			p->published = true;
			p->proto = proto;
			p->ctr_port_lo = lo;
			p->ctr_port_hi = hi;
			p->host_port_lo = hlo;
			p->host_port_hi = hhi;
			if (ip && *ip && (rc = hd_ij_dup(&p->host_ip, ip)) < 0)
				return rc;
		}
	}
	return 0;
}

/* Exposed ports; with PublishAllPorts (read before, see the .def) every one is published. */
static int exposed_ports(struct cr *x, const struct hd_cset *s)
{
	bool pall = x->c->publish_all.set && x->c->publish_all.value;
	struct hd_jentry *e;
	size_t n, i;
	int rc;

	if ((rc = entries_at(x, s, 1, &e, &n)) < 0)
		return rc;
	for (i = 0; i < n; i++) {
		struct hd_origin at;
		struct hd_port *p;
		uint32_t lo, hi;
		enum hd_proto proto;

		if (!hd_ij_port_key(e[i].key, &lo, &hi, &proto))
			return hd_jr_bad(x->r, e[i].val.path, "a port such as \"80/tcp\"");
		if (port_published(x->c, lo, proto))
			continue;
		at = jat(pall ? x->c->publish_all.at.field : e[i].val.path);
		p = hd_container_add_port(x->c, &at);
		if (!p)
			return -HD_ENOMEM;
		p->published = pall;
		p->proto = proto;
		p->ctr_port_lo = lo;
		p->ctr_port_hi = hi;
	}
	return 0;
}

/* Published ports (path 0), then exposed ones (path 1). */
static int json_ports(struct cr *x, const struct hd_cset *s)
{
	int rc = port_bindings(x, s);

	return rc < 0 ? rc : exposed_ports(x, s);
}

static int json_list(struct cr *x, const struct hd_cset *s)
{
	struct list_ctx lc = { x, s, hd_cset_field(x->c, s) };
	struct hd_jv parent;
	char name[64];
	int rc;

	rc = locate(x, s, 0, &parent, name, sizeof(name));
	if (rc != 0)
		return rc < 0 ? rc : 0;
	return hd_jv_strings(x->r, &parent, name, 0, list_item, &lc);
}

static struct hd_env *ctr_add_env(void *c, const struct hd_origin *at)
{
	return hd_container_add_env(c, at);
}

static int json_env(struct cr *x, const struct hd_cset *s)
{
	struct hd_jv parent;
	char name[64];
	int rc;

	rc = locate(x, s, 0, &parent, name, sizeof(name));
	if (rc != 0)
		return rc < 0 ? rc : 0;
	return hd_ij_env(x->r, ctr_add_env, x->c, &parent, name);
}

static int json_health(struct cr *x, const struct hd_cset *s)
{
	struct hd_jv parent;
	char name[64];
	int rc;

	rc = locate(x, s, 0, &parent, name, sizeof(name));
	if (rc != 0)
		return rc < 0 ? rc : 0;
	return hd_ij_healthcheck(x->r, &x->c->healthcheck, &parent, name);
}

static int json_restart(struct cr *x, const struct hd_cset *s)
{
	struct hd_jv parent, rp;
	struct hd_origin at;
	const char *v, *path, *expect;
	char name[64], buf[96], num[32];
	bool present;
	int64_t n;
	int rc;

	rc = locate(x, s, 0, &parent, name, sizeof(name));
	if (rc != 0)
		return rc < 0 ? rc : 0;
	if ((rc = hd_jv_obj(x->r, &parent, name, 0, &rp)) < 0 || !rp.n ||
	    (rc = hd_jv_str(x->r, &rp, "Name", 0, &v, &path)) < 0)
		return rc;
	if (v && *v) {
		at = jat(path);
		if ((rc = hd_str_setting_set(&x->c->restart, v, &at)) < 0)
			return rc;
	}
	if ((rc = hd_jv_int(x->r, &rp, "MaximumRetryCount", 0, &n, &present, &path)) < 0)
		return rc;
	if (!present || !v || strcmp(v, "on-failure") != 0)
		return 0;
	if (hd_cset_check_int(s, n, buf, sizeof(buf), &expect) < 0) {
		snprintf(num, sizeof(num), "%" PRId64, n);
		return invalid(x, path, num, expect);
	}
	at = jat(path);
	return hd_int_setting_set(&x->c->restart_max_retries, n, &at);
}

static int add_word(void *vctx, const char *w, const char *path)
{
	struct cr *x = vctx;
	struct hd_origin at = jat(path);

	return hd_items_add(&x->c->command, w, &at);
}

/*
 * The command: inspect's Path then Args (entrypoint and cmd as run), or a
 * body's Entrypoint then Cmd (each a list, or one string).
 */
static int json_command(struct cr *x, const struct hd_cset *s)
{
	struct hd_jv parent;
	char name[64];
	int rc;

	if (x->body) {
		unsigned k;

		for (k = 0; (rc = locate(x, s, k, &parent, name, sizeof(name))) == 0; k++) {
			rc = hd_jv_strings(x->r, &parent, name, HD_JF_REPLACE, add_word, x);
			if (rc < 0)
				return rc;
		}
		return rc < 0 ? rc : 0;
	}
	{
		const char *p, *path;

		rc = locate(x, s, 0, &parent, name, sizeof(name));
		if (rc != 0)
			return rc < 0 ? rc : 0;
		if ((rc = hd_jv_str(x->r, &parent, name, 0, &p, &path)) < 0 || !p || !*p)
			return rc;
		if ((rc = add_word(x, p, path)) < 0)
			return rc;
		rc = locate(x, s, 1, &parent, name, sizeof(name));
		if (rc != 0)
			return rc < 0 ? rc : 0;
		return hd_jv_strings(x->r, &parent, name, 0, add_word, x);
	}
}

/* The reader of each kind; NULL for kinds no JSON document holds. */
static int (*const json_kind[HD_CK_MAX])(struct cr *, const struct hd_cset *) = {
	[HD_CK_BOOL] = json_generic,	[HD_CK_INT] = json_generic,	 [HD_CK_BYTES] = json_generic,
	[HD_CK_CPUS] = json_generic,	[HD_CK_STR] = json_generic,	 [HD_CK_NS] = json_generic,
	[HD_CK_LIST] = json_generic,	[HD_CK_CAPS] = json_generic,	 [HD_CK_SECOPT] = json_generic,
	[HD_CK_KVS] = json_generic,	[HD_CK_IMAGE] = json_image,	 [HD_CK_TMPFS] = json_tmpfs,
	[HD_CK_ULIMITS] = json_ulimits, [HD_CK_NETWORK] = json_network, [HD_CK_MOUNTS] = json_mounts,
	[HD_CK_DEVICES] = json_devices, [HD_CK_PORTS] = json_ports,	 [HD_CK_HOSTS] = json_list,
	[HD_CK_ENV] = json_env,		[HD_CK_HEALTH] = json_health,	 [HD_CK_RESTART] = json_restart,
	[HD_CK_COMMAND] = json_command,
};

bool hd_inspect_reads_kind(enum hd_cset_kind k)
{
	return k < HD_CK_MAX && json_kind[k] != NULL;
}

/*
 * HostConfig.MaskedPaths and ReadonlyPaths.  The docker CLI sends
 * `--security-opt systempaths=unconfined` as both set to [] (and drops the
 * option), and dockerd uses a list that is given instead of its defaults:
 * a list without one of the defaults unmasks it.  Either is read as the
 * security option the rules judge.
 */
static int system_paths(struct cr *x)
{
	static const char *const masked[] = { "/proc/asound", "/proc/acpi", "/proc/kcore", "/proc/keys",
					      "/proc/latency_stats", "/proc/timer_list", "/proc/timer_stats",
					      "/proc/sched_debug", "/proc/scsi", "/sys/firmware", NULL };
	static const char *const readonly[] = { "/proc/bus", "/proc/fs", "/proc/irq", "/proc/sys",
						"/proc/sysrq-trigger", NULL };
	static const struct { const char *name; const char *const *defaults; } lists[] = {
		{ "MaskedPaths", masked }, { "ReadonlyPaths", readonly },
	};
	size_t k, i, j;

	if (!x->host.n)
		return 0;
	for (k = 0; k < HD_ARRAY_SIZE(lists); k++) {
		const struct hd_jnode *last;
		struct hd_origin at;
		struct hd_jv f;
		int rc;

		/* A slice takes the last array written; null leaves it nil (the defaults). */
		if ((rc = hd_jv_field(x->r, &x->host, lists[k].name, HD_JF_NULLABLE, &f)) < 0)
			return rc;
		if (!f.n || (last = f.occ[f.n - 1])->type == HD_JNULL)
			continue;
		if (last->type != HD_JARR)
			return hd_jr_bad(x->r, f.path, "an array of strings");
		for (j = 0; j < last->n; j++) {
			if (last->u.items[j]->type != HD_JSTR && last->u.items[j]->type != HD_JNULL)
				return hd_jr_bad(x->r, f.path, "an array of strings");
		}
		for (i = 0; lists[k].defaults[i]; i++) {
			for (j = 0; j < last->n; j++) {
				const struct hd_jnode *it = last->u.items[j];

				if (it->type == HD_JSTR && !strcmp(it->u.s.p, lists[k].defaults[i]))
					break;
			}
			if (j == last->n)
				break;
		}
		if (!lists[k].defaults[i] || hd_security_opt_find(x->c, "systempaths", "unconfined", NULL))
			continue;
		at = jat(f.paths[f.n - 1]);
		return hd_items_add(&x->c->security_opt, "systempaths=unconfined", &at);
	}
	return 0;
}

static int read_settings(struct cr *x)
{
	size_t i;
	int rc;

	for (i = 0; i < HD_CS_MAX; i++) {
		const struct hd_cset *s = &hd_csets[i];

		if (!*col(x, s))
			continue;
		HD_ASSERT(json_kind[s->kind]);
		rc = json_kind[s->kind](x, s);
		if (rc < 0)
			return rc;
	}
	return system_paths(x);
}

/* ---- container inspect ------------------------------------------------------------------ */

static int read_state(struct hd_jr *r, struct hd_container_spec *c, const struct hd_jv *root)
{
	struct hd_live_state *l = c->live;
	struct hd_jv st, health, log;
	const char *s;
	bool b;
	int rc;

	if ((rc = hd_jv_obj(r, root, "State", HD_IJ_PTR, &st)) < 0)
		return rc;
	if (!st.n)
		return hd_jr_bad(r, "State", "an object");
	if ((rc = hd_jv_str(r, &st, "Status", 0, &s, NULL)) < 0 || (rc = hd_ij_dup(&c->state, s)) < 0)
		return rc;
	if ((rc = hd_jv_bool(r, &st, "Running", 0, &b, NULL, NULL)) < 0)
		return rc;
	c->running = b;
	if ((rc = hd_jv_bool(r, &st, "Restarting", 0, &l->restarting, NULL, NULL)) < 0 ||
	    (rc = hd_jv_bool(r, &st, "OOMKilled", 0, &l->oom_killed, NULL, NULL)) < 0 ||
	    (rc = hd_jv_int(r, &st, "ExitCode", 0, &l->exit_code, NULL, NULL)) < 0 ||
	    (rc = hd_jv_int(r, &st, "Pid", 0, &l->pid, NULL, NULL)) < 0 ||
	    (rc = hd_jv_obj(r, &st, "Health", HD_IJ_PTR, &health)) < 0)
		return rc;
	if (health.n) {
		size_t n;

		if ((rc = hd_jv_str(r, &health, "Status", 0, &s, NULL)) < 0 ||
		    (rc = hd_ij_dup(&l->health, s && *s ? s : NULL)) < 0 ||
		    (rc = hd_jv_int(r, &health, "FailingStreak", 0, &l->failing_streak, NULL, NULL)) < 0 ||
		    (rc = hd_jv_arr(r, &health, "Log", 0, &log)) < 0)
			return rc;
		n = hd_jv_len(&log);
		if (n > 0) {
			const struct hd_jnode *last = log.occ[log.n - 1]->u.items[n - 1];
			const char *out = NULL;
			int64_t code = 0;

			if (last->type == HD_JOBJ) {
				for (uint32_t k = 0; k < last->n; k++) {
					const struct hd_jmember *m = &last->u.members[k];

					if (m->val->type == HD_JSTR && hd_json_key_matches(m->key, m->key_len, "Output"))
						out = m->val->u.s.p;
					if (m->val->type == HD_JINT && hd_json_key_matches(m->key, m->key_len, "ExitCode"))
						code = m->val->u.i;
				}
			}
			if (out && code != 0 && (rc = hd_ij_dup(&l->health_output, out)) < 0)
				return rc;
		}
	}
	return hd_jv_int(r, root, "RestartCount", 0, &l->restart_count, NULL, NULL);
}

struct exec_ids_ctx {
	struct hd_jr *r;
	struct hd_container_spec *c;
};

static int add_exec_id(void *vctx, const char *id, const char *path)
{
	struct exec_ids_ctx *x = vctx;
	struct hd_exec_session *e;

	if (!*id)
		return hd_jr_bad(x->r, path, "an exec id");
	e = hd_live_add_exec(x->c->live);
	if (!e || hd_ij_dup(&e->id, id) < 0 || hd_ij_origin(&e->at, path) < 0)
		return -HD_ENOMEM;
	return 0;
}

int hd_inspect_container(const char *json, size_t len, struct hd_container_spec **ret, struct hd_diag *d)
{
	struct hd_jr r = { .d = d };
	struct cr x = { .r = &r };
	struct hd_container_spec *c = NULL;
	struct exec_ids_ctx ec;
	const char *id, *name, *image_id, *s;
	int rc;

	snprintf(r.what, sizeof(r.what), "container inspect");
	rc = hd_ij_open(&r, json, len, false, &x.root);
	if (rc < 0)
		goto out;
	if ((rc = hd_jv_str(&r, &x.root, "Id", 0, &id, NULL)) < 0 ||
	    (rc = hd_jv_str(&r, &x.root, "Name", 0, &name, NULL)) < 0)
		goto out;
	if (!id || !*id) {
		rc = hd_jr_bad(&r, "Id", "a container id");
		goto out;
	}
	if (name && *name == '/')
		name++;
	if (!name || !*name)
		name = id;
	snprintf(r.what, sizeof(r.what), "container '%.150s'", name);
	if ((rc = hd_jv_obj(&r, &x.root, "HostConfig", HD_IJ_PTR, &x.host)) < 0 ||
	    (rc = hd_jv_obj(&r, &x.root, "Config", HD_IJ_PTR, &x.cfg)) < 0)
		goto out;
	if (!x.host.n || !x.cfg.n) {
		rc = hd_jr_bad(&r, x.host.n ? "Config" : "HostConfig", "an object");
		goto out;
	}
	c = hd_container_spec_new(HD_SRC_ENGINE, name, NULL);
	if (!c || !(c->live = hd_live_state_new()) || hd_ij_dup(&c->id, id) < 0) {
		rc = -HD_ENOMEM;
		goto out;
	}
	x.c = c;
	ec.r = &r;
	ec.c = c;
	if ((rc = hd_jv_str(&r, &x.root, "Image", 0, &image_id, NULL)) < 0 ||
	    (rc = hd_ij_dup(&c->live->image_id, image_id)) < 0 ||
	    (rc = hd_jv_str(&r, &x.root, "AppArmorProfile", 0, &s, NULL)) < 0 ||
	    (rc = hd_ij_dup(&c->live->apparmor_profile, s)) < 0 ||
	    (rc = hd_jv_str(&r, &x.root, "ProcessLabel", 0, &s, NULL)) < 0 ||
	    (rc = hd_ij_dup(&c->live->process_label, s && *s ? s : NULL)) < 0 ||
	    (rc = hd_jv_strings(&r, &x.root, "ExecIDs", 0, add_exec_id, &ec)) < 0 ||
	    (rc = read_state(&r, c, &x.root)) < 0 || (rc = read_settings(&x)) < 0)
		goto out;
	*ret = c;
	c = NULL;
	rc = 0;
out:
	hd_container_spec_free(c);
	hd_jr_release(&r);
	return rc;
}

/* ---- create request bodies (authz) -------------------------------------------------------- */

/*
 * dockerd decodes a create body into runconfig.ContainerConfigWrapper: the
 * container.Config fields at the top level, HostConfig, NetworkingConfig,
 * and (for old clients) a second container.HostConfig embedded at the top
 * level.  When the body has no HostConfig (or a null one) the top-level one
 * is used whole; when it has both, the top level still fills Memory,
 * MemorySwap, CpuShares and CpusetCpus where HostConfig leaves them 0
 * (HD_CSF_BODY_TOP), and "Cpuset" fills CpusetCpus.
 */
int hd_inspect_create_body(const char *json, size_t len, const char *name, struct hd_container_spec **ret,
			   struct hd_diag *d)
{
	struct hd_jr r = { .d = d };
	struct cr x = { .r = &r, .body = true };
	struct hd_container_spec *c = NULL;
	struct hd_jv inner;
	int rc;

	if (!name || !*name)
		name = "request";
	snprintf(r.what, sizeof(r.what), "create request '%.150s'", name);
	rc = hd_jr_parse(&r, json, len, 0, "the body");
	if (rc >= 0)
		rc = hd_jr_root(&r, &x.root);
	if (rc >= 0)
		rc = hd_jv_obj(&r, &x.root, "HostConfig", HD_JF_NULLABLE, &inner);
	if (rc < 0)
		goto out;
	x.cfg = x.root;
	if (inner.n) {
		x.host = inner;
		x.top = x.root;
	} else {
		x.host = x.root;
		x.top.n = 0;
	}
	c = hd_container_spec_new(HD_SRC_AUTHZ, name, NULL);
	if (!c) {
		rc = -HD_ENOMEM;
		goto out;
	}
	x.c = c;
	if ((rc = read_settings(&x)) < 0)
		goto out;
	*ret = c;
	c = NULL;
	rc = 0;
out:
	hd_container_spec_free(c);
	hd_jr_release(&r);
	return rc;
}

void hd_exec_body_release(struct hd_exec_body *e)
{
	if (!e)
		return;
	hd_free(e->user);
	hd_origin_release(&e->privileged_at);
	for (size_t i = 0; i < e->command.n; i++) {
		hd_free(e->command.v[i].value);
		hd_origin_release(&e->command.v[i].at);
	}
	hd_free(e->command.v);
	memset(e, 0, sizeof(*e));
}

static int exec_word(void *vctx, const char *w, const char *path)
{
	struct hd_exec_body *e = vctx;
	struct hd_origin at = jat(path);

	return hd_items_add(&e->command, w, &at);
}

int hd_inspect_exec_body(const char *json, size_t len, struct hd_exec_body *ret, struct hd_diag *d)
{
	struct hd_jr r = { .d = d };
	struct hd_exec_body e = { 0 };
	struct hd_jv root;
	const char *user, *path;
	int rc;

	snprintf(r.what, sizeof(r.what), "exec request");
	rc = hd_jr_parse(&r, json, len, 0, "the body");
	if (rc >= 0)
		rc = hd_jr_root(&r, &root);
	if (rc >= 0)
		rc = hd_jv_bool(&r, &root, "Privileged", 0, &e.privileged, NULL, &path);
	if (rc >= 0)
		rc = hd_ij_origin(&e.privileged_at, path);
	if (rc >= 0)
		rc = hd_jv_str(&r, &root, "User", 0, &user, NULL);
	if (rc >= 0 && user && *user && !(e.user = hd_strdup(user)))
		rc = -HD_ENOMEM;
	if (rc >= 0)
		rc = hd_jv_strings(&r, &root, "Cmd", 0, exec_word, &e);
	hd_jr_release(&r);
	if (rc < 0) {
		hd_exec_body_release(&e);
		return rc;
	}
	*ret = e;
	return 0;
}

/* ---- top and exec ------------------------------------------------------------------------ */

int hd_inspect_top(const char *json, size_t len, struct hd_container_spec *c, struct hd_diag *d)
{
	struct hd_jr r = { .d = d };
	struct hd_jv root, titles, procs;
	long pid_col = -1, uid_col = -1, cmd_col = -1;
	size_t i, n_titles, n;
	int rc;

	snprintf(r.what, sizeof(r.what), "top of container '%.150s'", c->name);
	rc = hd_ij_open(&r, json, len, false, &root);
	if (rc < 0)
		goto out;
	if ((rc = hd_jv_arr(&r, &root, "Titles", 0, &titles)) < 0 ||
	    (rc = hd_jv_arr(&r, &root, "Processes", 0, &procs)) < 0)
		goto out;
	if (!titles.n) {
		rc = hd_jr_bad(&r, "Titles", "an array");
		goto out;
	}
	n_titles = hd_jv_len(&titles);
	for (i = 0; i < n_titles; i++) {
		const struct hd_jnode *t = titles.occ[titles.n - 1]->u.items[i];
		const char *s;

		if (t->type != HD_JSTR) {
			rc = hd_jr_bad(&r, "Titles", "strings");
			goto out;
		}
		s = t->u.s.p;
		if (!strcmp(s, "PID"))
			pid_col = (long)i;
		else if (!strcmp(s, "UID") || !strcmp(s, "USER"))
			uid_col = (long)i;
		else if (!strcmp(s, "CMD") || !strcmp(s, "COMMAND") || !strcmp(s, "ARGS"))
			cmd_col = (long)i;
	}
	if (cmd_col < 0) {
		rc = hd_jr_bad(&r, "Titles", "a CMD or COMMAND column");
		goto out;
	}
	n = hd_jv_len(&procs);
	for (i = 0; i < n; i++) {
		const struct hd_jnode *row = procs.occ[procs.n - 1]->u.items[i], *cell;
		char path[64];
		struct hd_origin at = { 0 };
		struct hd_process *p;
		const char *cmd, *pid = NULL, *uid = NULL;

		snprintf(path, sizeof(path), "top.Processes[%zu]", i);
		if (row->type != HD_JARR || row->n != n_titles) {
			rc = hd_jr_bad(&r, path, "one string per title");
			goto out;
		}
		cell = row->u.items[cmd_col];
		cmd = cell->type == HD_JSTR ? cell->u.s.p : NULL;
		if (pid_col >= 0 && row->u.items[pid_col]->type == HD_JSTR)
			pid = row->u.items[pid_col]->u.s.p;
		if (uid_col >= 0 && row->u.items[uid_col]->type == HD_JSTR)
			uid = row->u.items[uid_col]->u.s.p;
		if (!cmd) {
			rc = hd_jr_bad(&r, path, "strings");
			goto out;
		}
		p = hd_live_add_process(c->live);
		if (!p || !(p->args = hd_strdup(cmd))) {
			rc = -HD_ENOMEM;
			goto out;
		}
		if (pid && hd_parse_i64(pid, 0, INT64_MAX, &p->pid) < 0)
			p->pid = 0;
		if (uid && hd_parse_i64(uid, 0, INT64_MAX, &p->uid) < 0)
			p->uid = !strcmp(uid, "root") ? 0 : -1;
		if (p->pid) {
			char o[64];

			snprintf(o, sizeof(o), "top: PID %" PRId64, p->pid);
			rc = hd_ij_origin(&at, o);
		} else {
			rc = hd_ij_origin(&at, path);
		}
		if (rc >= 0)
			rc = hd_items_add(&c->processes, cmd, &at);
		hd_origin_release(&at);
		if (rc < 0)
			goto out;
	}
	c->live->processes_known = true;
	rc = 0;
out:
	hd_jr_release(&r);
	return rc;
}

struct cmd_ctx {
	struct hd_buf *b;
	int rc;
};

static int cmd_arg(void *vctx, const char *a, const char *path)
{
	struct cmd_ctx *x = vctx;

	(void)path;
	if (x->rc >= 0)
		x->rc = hd_buf_addf(x->b, " %s", a);
	return 0;
}

int hd_inspect_exec(const char *json, size_t len, size_t idx, struct hd_container_spec *c, struct hd_diag *d)
{
	struct hd_jr r = { .d = d };
	struct hd_exec_session *e;
	struct hd_jv root, pc, args;
	const char *id, *user, *ep;
	struct hd_buf cmd = HD_BUF_INIT(64 * 1024);
	struct cmd_ctx cx = { &cmd, 0 };
	size_t i, n;
	int rc;

	if (!c->live || idx >= c->live->n_execs)
		return -HD_EINVAL;
	e = &c->live->execs[idx];
	snprintf(r.what, sizeof(r.what), "exec session %.12s of container '%.150s'", e->id ? e->id : "?",
		 c->name);
	rc = hd_ij_open(&r, json, len, false, &root);
	if (rc < 0)
		goto out;
	if ((rc = hd_jv_str(&r, &root, "ID", 0, &id, NULL)) < 0 ||
	    (rc = hd_jv_obj(&r, &root, "ProcessConfig", HD_IJ_PTR, &pc)) < 0)
		goto out;
	if (!pc.n) {
		rc = hd_jr_bad(&r, "ProcessConfig", "an object");
		goto out;
	}
	if ((id && (rc = hd_ij_dup(&e->id, id)) < 0) ||
	    (rc = hd_jv_bool(&r, &root, "Running", 0, &e->running, NULL, NULL)) < 0 ||
	    (rc = hd_jv_bool(&r, &pc, "privileged", HD_IJ_PTR, &e->privileged, NULL, NULL)) < 0 ||
	    (rc = hd_jv_str(&r, &pc, "user", 0, &user, NULL)) < 0 || (rc = hd_ij_dup(&e->user, user)) < 0 ||
	    (rc = hd_jv_str(&r, &pc, "entrypoint", 0, &ep, NULL)) < 0 ||
	    (rc = hd_jv_arr(&r, &pc, "arguments", 0, &args)) < 0)
		goto out;
	if (ep)
		cx.rc = hd_buf_addstr(&cmd, ep);
	n = hd_jv_len(&args);
	for (i = 0; i < n; i++) {
		const struct hd_jnode *a = args.occ[args.n - 1]->u.items[i];

		if (a->type == HD_JSTR)
			cmd_arg(&cx, a->u.s.p, NULL);
	}
	rc = cx.rc == -HD_ETOOBIG ? 0 : cx.rc;
	if (rc >= 0 && cmd.len) {
		hd_free(e->command);
		if (!(e->command = hd_buf_detach(&cmd, NULL)))
			rc = -HD_ENOMEM;
	}
out:
	hd_buf_release(&cmd);
	hd_jr_release(&r);
	return rc < 0 ? rc : 0;
}

/* ---- the container list --------------------------------------------------------------------- */

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

int hd_inspect_container_list(const char *json, size_t len, struct hd_ctr_summary **ret, size_t *ret_n,
			      struct hd_diag *d)
{
	struct hd_jr r = { .d = d };
	struct hd_ctr_summary *v = NULL;
	struct hd_jv root;
	size_t i, n = 0;
	int rc;

	snprintf(r.what, sizeof(r.what), "container list");
	rc = hd_ij_open_list(&r, json, len, sizeof(*v), &root, (void **)&v, &n);
	if (rc < 0)
		goto out;
	for (i = 0; i < n; i++) {
		const char *id, *state, *image, *image_id, *name = NULL;
		struct hd_jv e, names;

		if ((rc = hd_jv_at(&r, &root, i, 0, &e)) < 0 || (rc = hd_jv_as_obj(&r, &e)) < 0 ||
		    (rc = hd_jv_str(&r, &e, "Id", 0, &id, NULL)) < 0 ||
		    (rc = hd_jv_str(&r, &e, "State", 0, &state, NULL)) < 0 ||
		    (rc = hd_jv_str(&r, &e, "Image", 0, &image, NULL)) < 0 ||
		    (rc = hd_jv_str(&r, &e, "ImageID", 0, &image_id, NULL)) < 0 ||
		    (rc = hd_jv_arr(&r, &e, "Names", 0, &names)) < 0)
			goto out;
		if (!id || !*id) {
			rc = hd_jr_bad(&r, e.path, "an Id");
			goto out;
		}
		if (hd_jv_len(&names) && names.occ[names.n - 1]->u.items[0]->type == HD_JSTR)
			name = names.occ[names.n - 1]->u.items[0]->u.s.p;
		if (name && *name == '/')
			name++;
		if ((rc = hd_ij_dup(&v[i].id, id)) < 0 || (rc = hd_ij_dup(&v[i].name, name ? name : id)) < 0 ||
		    (rc = hd_ij_dup(&v[i].state, state ? state : "unknown")) < 0 ||
		    (rc = hd_ij_dup(&v[i].image, image)) < 0 || (rc = hd_ij_dup(&v[i].image_id, image_id)) < 0)
			goto out;
	}
	*ret = v;
	*ret_n = n;
	v = NULL;
	rc = 0;
out:
	hd_ctr_summaries_free(v, n);
	hd_jr_release(&r);
	return rc;
}
