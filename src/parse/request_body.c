/*
 * Request bodies the authorization plugin judges besides container and
 * exec create (see request_body.h), read through the one JSON layer
 * (parse/json.h) with the helpers the Engine API readers share
 * (inspect_int.h), so that a service's ContainerSpec.Mounts is read exactly
 * as a create body's HostConfig.Mounts.  Go field names are those of the
 * Engine API's types; pointer fields are read with HD_JF_NULLABLE (null
 * resets them, as it does in Go).
 */
#include "core/common.h"
#include "core/buf.h"
#include "parse/inspect_int.h"
#include "parse/request_body.h"

#define P HD_JF_NULLABLE

/* One body being read into one spec. */
struct rb {
	struct hd_jr r;
	struct hd_container_spec *c;
};

static int open_body(struct rb *x, const char *json, size_t len, const char *what, bool array,
		     struct hd_jv *root, struct hd_diag *d)
{
	int rc;

	memset(x, 0, sizeof(*x));
	x->r.d = d;
	snprintf(x->r.what, sizeof(x->r.what), "%s", what);
	rc = hd_jr_parse(&x->r, json, len, 0, "the body");
	if (rc < 0)
		return rc;
	return array ? hd_jr_root_array(&x->r, root) : hd_jr_root(&x->r, root);
}

/* A new spec named "<kind> <name>" as x->c; NULL on OOM. */
static struct hd_container_spec *new_spec(struct rb *x, const char *kind, const char *name)
{
	char *n = hd_asprintf("%s %s", kind, name && *name ? name : "?");

	x->c = n ? hd_container_spec_new(HD_SRC_AUTHZ, n, NULL) : NULL;
	hd_free(n);
	return x->c;
}

/* A borrowed origin for the builders, which copy it. */
static struct hd_origin at(const char *path)
{
	struct hd_origin o = { .field = (char *)path };

	return o;
}

static int set_str(struct rb *x, struct hd_str_setting *s, const struct hd_jv *obj, const char *name)
{
	const char *v, *path;
	struct hd_origin o;
	int rc;

	rc = hd_jv_str(&x->r, obj, name, 0, &v, &path);
	if (rc < 0 || !v || !*v)
		return rc;
	o = at(path);
	return hd_str_setting_set(s, v, &o);
}

/* An integer field set when positive (swarm writes 0 for "not set"). */
static int set_positive(struct rb *x, struct hd_int_setting *s, const struct hd_jv *obj, const char *name)
{
	const char *path;
	struct hd_origin o;
	bool present;
	int64_t v;
	int rc;

	rc = hd_jv_int(&x->r, obj, name, 0, &v, &present, &path);
	if (rc < 0 || !present || v <= 0)
		return rc;
	o = at(path);
	return hd_int_setting_set(s, v, &o);
}

static int add_item(struct hd_items *l, const char *value, const char *path)
{
	struct hd_origin o = at(path);

	return hd_items_add(l, value, &o);
}

static struct hd_env *add_env(void *c, const struct hd_origin *o)
{
	return hd_container_add_env(c, o);
}

/* ---- services ------------------------------------------------------------------------- */

struct words {
	struct hd_items *l;
};

static int add_word(void *vctx, const char *w, const char *path)
{
	struct words *wc = vctx;

	return add_item(wc->l, w, path);
}

/* ContainerSpec.Privileges: what it turns off, as the security options docker run writes. */
static int read_privileges(struct rb *x, const struct hd_jv *cs)
{
	struct hd_jv pv, se, sc, aa;
	const char *mode, *path;
	bool b, present;
	int rc;

	if ((rc = hd_jv_obj(&x->r, cs, "Privileges", P, &pv)) < 0 || !pv.n)
		return rc;
	if ((rc = hd_jv_obj(&x->r, &pv, "SELinuxContext", P, &se)) < 0)
		return rc;
	if (se.n && (rc = hd_jv_bool(&x->r, &se, "Disable", 0, &b, &present, &path)) >= 0 && b)
		rc = add_item(&x->c->security_opt, "label=disable", path);
	if (rc < 0 || (rc = hd_jv_obj(&x->r, &pv, "Seccomp", P, &sc)) < 0)
		return rc;
	if (sc.n && (rc = hd_jv_str(&x->r, &sc, "Mode", 0, &mode, &path)) >= 0 && mode) {
		if (!strcmp(mode, "unconfined"))
			rc = add_item(&x->c->security_opt, "seccomp=unconfined", path);
		else if (!strcmp(mode, "custom"))
			rc = add_item(&x->c->security_opt, "seccomp=custom", path);
	}
	if (rc < 0 || (rc = hd_jv_obj(&x->r, &pv, "AppArmor", P, &aa)) < 0)
		return rc;
	if (aa.n && (rc = hd_jv_str(&x->r, &aa, "Mode", 0, &mode, &path)) >= 0 && mode &&
	    !strcmp(mode, "disabled"))
		rc = add_item(&x->c->security_opt, "apparmor=unconfined", path);
	if (rc >= 0 && (rc = hd_jv_bool(&x->r, &pv, "NoNewPrivileges", 0, &b, &present, &path)) >= 0 && b)
		rc = add_item(&x->c->security_opt, "no-new-privileges=true", path);
	return rc;
}

static int read_ulimits(struct rb *x, const struct hd_jv *cs)
{
	struct hd_jv arr;
	size_t i, n;
	int rc;

	if ((rc = hd_jv_arr(&x->r, cs, "Ulimits", 0, &arr)) < 0)
		return rc;
	n = hd_jv_len(&arr);
	for (i = 0; i < n; i++) {
		struct hd_jv e;
		struct hd_origin o;
		struct hd_ulimit *u;
		const char *name;
		bool hp, sp;

		if ((rc = hd_jv_at(&x->r, &arr, i, P, &e)) < 0)
			return rc;
		if (!e.n)
			continue; /* a null *Ulimit */
		if ((rc = hd_jv_as_obj(&x->r, &e)) < 0 || (rc = hd_jv_str(&x->r, &e, "Name", 0, &name, NULL)) < 0)
			return rc;
		o = at(e.path);
		u = hd_container_add_ulimit(x->c, &o);
		if (!u)
			return -HD_ENOMEM;
		if ((rc = hd_ij_dup(&u->name, name ? name : "")) < 0 ||
		    (rc = hd_jv_int(&x->r, &e, "Soft", 0, &u->soft, &sp, NULL)) < 0 ||
		    (rc = hd_jv_int(&x->r, &e, "Hard", 0, &u->hard, &hp, NULL)) < 0)
			return rc;
	}
	return 0;
}

/* TaskTemplate.Networks and the spec's own (deprecated) Networks: "host" is the host's network. */
static int read_networks(struct rb *x, const struct hd_jv *obj)
{
	struct hd_jv arr;
	size_t i, n;
	int rc;

	if ((rc = hd_jv_arr(&x->r, obj, "Networks", 0, &arr)) < 0)
		return rc;
	n = hd_jv_len(&arr);
	for (i = 0; i < n; i++) {
		const char *target, *path;
		struct hd_origin o;
		struct hd_jv e;

		if ((rc = hd_jv_at(&x->r, &arr, i, 0, &e)) < 0 || (rc = hd_jv_as_obj(&x->r, &e)) < 0 ||
		    (rc = hd_jv_str(&x->r, &e, "Target", 0, &target, &path)) < 0)
			return rc;
		if (!target || !*target)
			continue;
		o = at(path);
		if (!strcmp(target, "host") || !strcmp(target, "none"))
			rc = hd_ns_setting_set(&x->c->network, target, &o);
		else
			rc = hd_items_add(&x->c->networks, target, &o);
		if (rc < 0)
			return rc;
	}
	return 0;
}

static int read_resources(struct rb *x, const struct hd_jv *task)
{
	struct hd_jv res, lim, resv;
	int rc;

	if ((rc = hd_jv_obj(&x->r, task, "Resources", P, &res)) < 0 || !res.n)
		return rc;
	if ((rc = hd_jv_obj(&x->r, &res, "Limits", P, &lim)) < 0 ||
	    (rc = hd_jv_obj(&x->r, &res, "Reservations", P, &resv)) < 0)
		return rc;
	if (lim.n && ((rc = set_positive(x, &x->c->nano_cpus, &lim, "NanoCPUs")) < 0 ||
		      (rc = set_positive(x, &x->c->memory, &lim, "MemoryBytes")) < 0 ||
		      (rc = set_positive(x, &x->c->pids_limit, &lim, "Pids")) < 0))
		return rc;
	if (resv.n && (rc = set_positive(x, &x->c->memory_reservation, &resv, "MemoryBytes")) < 0)
		return rc;
	return 0;
}

/* TaskTemplate.RestartPolicy: swarm's conditions as docker run's policies. */
static int read_restart(struct rb *x, const struct hd_jv *task)
{
	static const struct { const char *swarm, *run; } cond[] = {
		{ "none", "no" }, { "on-failure", "on-failure" }, { "any", "always" },
	};
	struct hd_jv rp;
	const char *c, *path;
	bool present;
	int64_t max;
	size_t i;
	int rc;

	if ((rc = hd_jv_obj(&x->r, task, "RestartPolicy", P, &rp)) < 0 || !rp.n)
		return rc;
	if ((rc = hd_jv_str(&x->r, &rp, "Condition", 0, &c, &path)) < 0)
		return rc;
	for (i = 0; c && i < HD_ARRAY_SIZE(cond); i++) {
		struct hd_origin o = at(path);

		if (!strcmp(c, cond[i].swarm) && (rc = hd_str_setting_set(&x->c->restart, cond[i].run, &o)) < 0)
			return rc;
	}
	rc = hd_jv_int(&x->r, &rp, "MaxAttempts", P, &max, &present, &path);
	if (rc >= 0 && present) {
		struct hd_origin o = at(path);

		rc = hd_int_setting_set(&x->c->restart_max_retries, max, &o);
	}
	return rc;
}

static int read_log_driver(struct rb *x, const struct hd_jv *task)
{
	struct hd_jv ld;
	int rc;

	if ((rc = hd_jv_obj(&x->r, task, "LogDriver", P, &ld)) < 0 || !ld.n)
		return rc;
	rc = set_str(x, &x->c->log_driver, &ld, "Name");
	return rc < 0 ? rc : hd_ij_add_kvs(&x->r, &x->c->log_opts, &ld, "Options");
}

/* EndpointSpec.Ports: published on every node (ingress) or on the node itself (host). */
static int read_ports(struct rb *x, const struct hd_jv *spec)
{
	struct hd_jv ep, arr;
	size_t i, n;
	int rc;

	if ((rc = hd_jv_obj(&x->r, spec, "EndpointSpec", P, &ep)) < 0 || !ep.n ||
	    (rc = hd_jv_arr(&x->r, &ep, "Ports", 0, &arr)) < 0)
		return rc;
	n = hd_jv_len(&arr);
	for (i = 0; i < n; i++) {
		const char *proto;
		int64_t target, published;
		bool tp, pp;
		struct hd_origin o;
		struct hd_port *p;
		struct hd_jv e;

		if ((rc = hd_jv_at(&x->r, &arr, i, 0, &e)) < 0 || (rc = hd_jv_as_obj(&x->r, &e)) < 0 ||
		    (rc = hd_jv_str(&x->r, &e, "Protocol", 0, &proto, NULL)) < 0 ||
		    (rc = hd_jv_int(&x->r, &e, "TargetPort", 0, &target, &tp, NULL)) < 0 ||
		    (rc = hd_jv_int(&x->r, &e, "PublishedPort", 0, &published, &pp, NULL)) < 0)
			return rc;
		if (target < 0 || target > 65535 || published < 0 || published > 65535)
			return hd_jr_bad(&x->r, e.path, "port numbers from 0 to 65535");
		o = at(e.path);
		p = hd_container_add_port(x->c, &o);
		if (!p)
			return -HD_ENOMEM;
		p->ctr_port_lo = p->ctr_port_hi = (uint32_t)target;
		p->host_port_lo = p->host_port_hi = (uint32_t)published;
		p->proto = proto && !strcmp(proto, "udp") ? HD_PROTO_UDP :
			   proto && !strcmp(proto, "sctp") ? HD_PROTO_SCTP : HD_PROTO_TCP;
		p->published = true;
	}
	return 0;
}

static int read_container_spec(struct rb *x, const struct hd_jv *cs)
{
	struct words cmd = { &x->c->command };
	const char *image, *path;
	bool b, present;
	int64_t v;
	int rc;

	if ((rc = hd_jv_str(&x->r, cs, "Image", 0, &image, &path)) < 0)
		return rc;
	if (image && *image) {
		struct hd_origin o = at(path);

		if ((rc = hd_container_set_image(x->c, image, &o)) < 0)
			return rc;
	}
	if ((rc = set_str(x, &x->c->user, cs, "User")) < 0 ||
	    (rc = hd_ij_add_items(&x->r, &x->c->group_add, cs, "Groups", 0, NULL)) < 0 ||
	    (rc = read_privileges(x, cs)) < 0 ||
	    (rc = hd_ij_mount_list(&x->r, x->c, cs, "Mounts")) < 0 ||
	    (rc = hd_ij_healthcheck(&x->r, &x->c->healthcheck, cs, "Healthcheck")) < 0 ||
	    (rc = hd_ij_add_items(&x->r, &x->c->extra_hosts, cs, "Hosts", 0, NULL)) < 0 ||
	    (rc = hd_ij_add_kvs(&x->r, &x->c->sysctls, cs, "Sysctls")) < 0 ||
	    (rc = hd_ij_add_items(&x->r, &x->c->cap_add, cs, "CapabilityAdd", 0, hd_cap_normalise)) < 0 ||
	    (rc = hd_ij_add_items(&x->r, &x->c->cap_drop, cs, "CapabilityDrop", 0, hd_cap_normalise)) < 0 ||
	    (rc = read_ulimits(x, cs)) < 0 || (rc = hd_ij_env(&x->r, add_env, x->c, cs, "Env")) < 0 ||
	    (rc = hd_jv_strings(&x->r, cs, "Command", 0, add_word, &cmd)) < 0 ||
	    (rc = hd_jv_strings(&x->r, cs, "Args", 0, add_word, &cmd)) < 0 ||
	    (rc = hd_ij_add_kvs(&x->r, &x->c->labels, cs, "Labels")) < 0)
		return rc;
	if ((rc = hd_jv_bool(&x->r, cs, "ReadOnly", 0, &b, &present, &path)) < 0)
		return rc;
	if (present && b) {
		struct hd_origin o = at(path);

		if ((rc = hd_flag_setting_set(&x->c->read_only, true, &o)) < 0)
			return rc;
	}
	if ((rc = hd_jv_bool(&x->r, cs, "Init", P, &b, &present, &path)) < 0)
		return rc;
	if (present) {
		struct hd_origin o = at(path);

		if ((rc = hd_flag_setting_set(&x->c->init, b, &o)) < 0)
			return rc;
	}
	if ((rc = hd_jv_int(&x->r, cs, "OomScoreAdj", 0, &v, &present, &path)) < 0)
		return rc;
	if (present && v != 0) {
		struct hd_origin o = at(path);

		if (v < -1000 || v > 1000)
			return hd_jr_bad(&x->r, path, "an OomScoreAdj from -1000 to 1000");
		if ((rc = hd_int_setting_set(&x->c->oom_score_adj, v, &o)) < 0)
			return rc;
	}
	return 0;
}

/* The privileges of a plugin into spec x->c (shared by plugin pulls and services running plugins). */
static int read_privilege_list(struct rb *x, const struct hd_jv *arr)
{
	size_t i, n = hd_jv_len(arr);
	int rc;

	for (i = 0; i < n; i++) {
		const char *name, *vpath;
		struct hd_jv e, vals;
		size_t k, nv;

		if ((rc = hd_jv_at(&x->r, arr, i, P, &e)) < 0)
			return rc;
		if (!e.n)
			continue;
		if ((rc = hd_jv_as_obj(&x->r, &e)) < 0 || (rc = hd_jv_str(&x->r, &e, "Name", 0, &name, NULL)) < 0 ||
		    (rc = hd_jv_arr(&x->r, &e, "Value", 0, &vals)) < 0)
			return rc;
		if (!name)
			continue;
		nv = hd_jv_len(&vals);
		for (k = 0; k < nv; k++) {
			struct hd_origin o;
			struct hd_jv v;
			const char *s;

			if ((rc = hd_jv_at(&x->r, &vals, k, 0, &v)) < 0 || (rc = hd_jv_as_str(&x->r, &v, &s)) < 0)
				return rc;
			if (!s)
				continue;
			vpath = v.path;
			o = at(vpath);
			if (!strcmp(name, "network")) {
				rc = !strcmp(s, "host") ? hd_ns_setting_set(&x->c->network, s, &o) : 0;
			} else if (!strcmp(name, "host pid namespace")) {
				rc = !strcmp(s, "true") ? hd_ns_setting_set(&x->c->pid, "host", &o) : 0;
			} else if (!strcmp(name, "host ipc namespace")) {
				rc = !strcmp(s, "true") ? hd_ns_setting_set(&x->c->ipc, "host", &o) : 0;
			} else if (!strcmp(name, "mount")) {
				struct hd_mount *m = hd_container_add_mount(x->c, &o);

				if (!m)
					return -HD_ENOMEM;
				m->type = HD_MOUNT_BIND;
				if ((rc = hd_ij_dup(&m->source, s)) >= 0)
					rc = hd_ij_dup(&m->target, s);
			} else if (!strcmp(name, "device")) {
				struct hd_device *d = hd_container_add_device(x->c, &o);

				if (!d)
					return -HD_ENOMEM;
				if ((rc = hd_ij_dup(&d->host_path, s)) >= 0)
					rc = hd_ij_dup(&d->container_path, s);
			} else if (!strcmp(name, "allow-all-devices")) {
				rc = !strcmp(s, "true") ? hd_items_add(&x->c->device_cgroup_rules, "a *:* rwm", &o) : 0;
			} else if (!strcmp(name, "capabilities")) {
				char *cap = hd_cap_normalise(s);

				rc = cap ? hd_items_add(&x->c->cap_add, cap, &o) : -HD_ENOMEM;
				hd_free(cap);
			}
			if (rc < 0)
				return rc;
		}
	}
	return 0;
}

int hd_request_service(const char *json, size_t len, struct hd_container_spec **ret_ctr,
		       struct hd_container_spec **ret_plugin, struct hd_diag *d)
{
	struct hd_container_spec *ctr = NULL, *plugin = NULL;
	struct hd_jv root, task, cs, ps, privs;
	const char *name, *remote, *rpath;
	struct rb x;
	int rc;

	*ret_ctr = *ret_plugin = NULL;
	rc = open_body(&x, json, len, "service spec", false, &root, d);
	if (rc < 0)
		goto out;
	if ((rc = hd_jv_str(&x.r, &root, "Name", 0, &name, NULL)) < 0)
		goto out;
	snprintf(x.r.what, sizeof(x.r.what), "service '%.150s'", name && *name ? name : "?");
	if (!(ctr = new_spec(&x, "service", name))) {
		rc = -HD_ENOMEM;
		goto out;
	}
	if ((rc = hd_jv_obj(&x.r, &root, "TaskTemplate", 0, &task)) < 0 ||
	    (rc = hd_jv_obj(&x.r, &task, "ContainerSpec", P, &cs)) < 0 ||
	    (cs.n && (rc = read_container_spec(&x, &cs)) < 0) || (rc = read_resources(&x, &task)) < 0 ||
	    (rc = read_restart(&x, &task)) < 0 || (rc = read_networks(&x, &task)) < 0 ||
	    (rc = read_networks(&x, &root)) < 0 || (rc = read_log_driver(&x, &task)) < 0 ||
	    (rc = read_ports(&x, &root)) < 0)
		goto out;
	/* A plugin run by the service: its privileges, judged like a plugin pull's. */
	if ((rc = hd_jv_obj(&x.r, &task, "PluginSpec", P, &ps)) < 0 || !ps.n)
		goto out;
	if ((rc = hd_jv_str(&x.r, &ps, "Remote", 0, &remote, &rpath)) < 0 ||
	    (rc = hd_jv_arr(&x.r, &ps, "Privileges", 0, &privs)) < 0)
		goto out;
	if (!(plugin = new_spec(&x, "plugin", remote))) {
		rc = -HD_ENOMEM;
		goto out;
	}
	if (remote && *remote) {
		struct hd_origin o = at(rpath);

		if ((rc = hd_container_set_image(plugin, remote, &o)) < 0)
			goto out;
	}
	rc = read_privilege_list(&x, &privs);
out:
	if (rc < 0) {
		hd_container_spec_free(ctr);
		hd_container_spec_free(plugin);
	} else {
		*ret_ctr = ctr;
		*ret_plugin = plugin;
	}
	hd_jr_release(&x.r);
	return rc;
}

/* ---- volumes ---------------------------------------------------------------------------- */

int hd_request_volume(const char *json, size_t len, struct hd_container_spec **ret, struct hd_diag *d)
{
	struct hd_kvs opts = { 0 };
	struct rb x;
	struct hd_jv root, dopts;
	struct hd_origin o;
	struct hd_mount *m;
	const char *name, *driver;
	size_t i;
	int rc;

	*ret = NULL;
	rc = open_body(&x, json, len, "volume", false, &root, d);
	if (rc < 0)
		goto out;
	if ((rc = hd_jv_str(&x.r, &root, "Name", 0, &name, NULL)) < 0 ||
	    (rc = hd_jv_str(&x.r, &root, "Driver", 0, &driver, NULL)) < 0 ||
	    (rc = hd_jv_map(&x.r, &root, "DriverOpts", 0, &dopts)) < 0 ||
	    (rc = hd_ij_add_kvs(&x.r, &opts, &root, "DriverOpts")) < 0)
		goto out;
	if (!new_spec(&x, "volume", name)) {
		rc = -HD_ENOMEM;
		goto out;
	}
	/* The volume as a container would mount it; a bind volume becomes the bind it is. */
	o = at(dopts.path);
	m = hd_container_add_mount(x.c, &o);
	if (!m || (name && *name && !(m->source = hd_strdup(name))) || !(m->target = hd_strdup("/volume"))) {
		rc = -HD_ENOMEM;
		goto out;
	}
	m->type = HD_MOUNT_VOLUME;
	rc = hd_mount_resolve_volume(m, driver, &opts);
	if (rc >= 0) {
		*ret = x.c;
		x.c = NULL;
	}
out:
	for (i = 0; i < opts.n; i++) {
		hd_free(opts.v[i].key);
		hd_free(opts.v[i].value);
		hd_origin_release(&opts.v[i].at);
	}
	hd_free(opts.v);
	hd_container_spec_free(x.c);
	hd_jr_release(&x.r);
	return rc;
}

/* ---- plugins ---------------------------------------------------------------------------- */

int hd_request_plugin_privileges(const char *json, size_t len, const char *name,
				 struct hd_container_spec **ret, struct hd_diag *d)
{
	struct hd_jv root;
	struct rb x;
	int rc;

	*ret = NULL;
	rc = open_body(&x, json, len, "plugin privileges", true, &root, d);
	if (rc >= 0 && !new_spec(&x, "plugin", name))
		rc = -HD_ENOMEM;
	if (rc >= 0)
		rc = read_privilege_list(&x, &root);
	if (rc >= 0) {
		*ret = x.c;
		x.c = NULL;
	}
	hd_container_spec_free(x.c);
	hd_jr_release(&x.r);
	return rc;
}

/* One "name.source=/path", "name.path=/dev/x", "args=...", "VAR=value" setting. */
static int plugin_setting(void *vctx, const char *s, const char *path)
{
	struct rb *x = vctx;
	const char *eq = strchr(s, '='), *dot;
	struct hd_origin o = at(path);
	size_t kn;

	if (!eq)
		return 0; /* dockerd refuses a setting without a value */
	kn = (size_t)(eq - s);
	dot = memchr(s, '.', kn);
	if (dot && (size_t)(eq - dot - 1) == 6 && !strncmp(dot + 1, "source", 6)) {
		struct hd_mount *m = hd_container_add_mount(x->c, &o);

		if (!m)
			return -HD_ENOMEM;
		m->type = HD_MOUNT_BIND;
		m->source = hd_strdup(eq + 1);
		m->target = hd_strndup(s, (size_t)(dot - s));
		return m->source && m->target ? 0 : -HD_ENOMEM;
	}
	if (dot && (size_t)(eq - dot - 1) == 4 && !strncmp(dot + 1, "path", 4)) {
		struct hd_device *d = hd_container_add_device(x->c, &o);

		if (!d)
			return -HD_ENOMEM;
		d->host_path = hd_strdup(eq + 1);
		d->container_path = hd_strndup(s, (size_t)(dot - s));
		return d->host_path && d->container_path ? 0 : -HD_ENOMEM;
	}
	if (dot)
		return 0;
	if (kn == 4 && !strncmp(s, "args", 4))
		return hd_items_add(&x->c->command, eq + 1, &o);
	{
		struct hd_env *e = hd_container_add_env(x->c, &o);

		if (!e)
			return -HD_ENOMEM;
		e->name = hd_strndup(s, kn);
		e->value = hd_strdup(eq + 1);
		return e->name && e->value ? 0 : -HD_ENOMEM;
	}
}

int hd_request_plugin_settings(const char *json, size_t len, const char *name,
			       struct hd_container_spec **ret, struct hd_diag *d)
{
	struct hd_jv root;
	size_t i, n;
	struct rb x;
	int rc;

	*ret = NULL;
	rc = open_body(&x, json, len, "plugin settings", true, &root, d);
	if (rc >= 0 && !new_spec(&x, "plugin", name))
		rc = -HD_ENOMEM;
	n = rc >= 0 ? hd_jv_len(&root) : 0;
	for (i = 0; rc >= 0 && i < n; i++) {
		struct hd_jv v;
		const char *s;

		if ((rc = hd_jv_at(&x.r, &root, i, 0, &v)) >= 0 && (rc = hd_jv_as_str(&x.r, &v, &s)) >= 0 && s)
			rc = plugin_setting(&x, s, v.path);
	}
	if (rc >= 0) {
		*ret = x.c;
		x.c = NULL;
	}
	hd_container_spec_free(x.c);
	hd_jr_release(&x.r);
	return rc;
}
