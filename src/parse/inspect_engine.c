/*
 * Daemon-wide answers of the Engine API (see inspect.h): /version, /info
 * with its swarm section, and the swarm lists (/nodes, /networks, /services,
 * /secrets) into engine_facts.
 */
#include "core/common.h"
#include "parse/inspect_int.h"

#include <openssl/pem.h>
#include <openssl/x509.h>
#include <time.h>

/*
 * Lenient reads for facts that only inform (component versions, swarm
 * details): a value of another type reads as absent instead of failing the
 * whole answer.
 */
static const struct hd_jnode *last_of(struct hd_jr *r, const struct hd_jv *obj, const char *name,
				      enum hd_jtype t)
{
	struct hd_jv v;

	if (hd_jv_field(r, obj, name, 0, &v) < 0 || v.n == 0 || v.occ[v.n - 1]->type != t)
		return NULL;
	return v.occ[v.n - 1];
}

static const char *lenient_str(struct hd_jr *r, const struct hd_jv *obj, const char *name)
{
	const struct hd_jnode *n = last_of(r, obj, name, HD_JSTR);

	return n ? n->u.s.p : NULL;
}

static int64_t lenient_int(struct hd_jr *r, const struct hd_jv *obj, const char *name)
{
	const struct hd_jnode *n = last_of(r, obj, name, HD_JINT);

	return n ? n->u.i : 0;
}

/* Are all values of v objects?  (Checked without reporting: these reads are lenient.) */
static bool all_obj(const struct hd_jv *v)
{
	size_t k;

	for (k = 0; k < v->n; k++) {
		if (v->occ[k]->type != HD_JOBJ)
			return false;
	}
	return true;
}

/* A view of obj.name when it is an object (else n == 0). */
static void lenient_obj(struct hd_jr *r, const struct hd_jv *obj, const char *name, struct hd_jv *ret)
{
	if (hd_jv_field(r, obj, name, HD_IJ_PTR, ret) < 0 || !all_obj(ret))
		ret->n = 0;
}

static int str_field(struct hd_jr *r, const struct hd_jv *o, const char *key, char **dst)
{
	const char *s;
	int rc;

	rc = hd_jv_str(r, o, key, 0, &s, NULL);
	if (rc < 0)
		return rc;
	return hd_ij_dup(dst, s && *s ? s : NULL);
}

int hd_inspect_version(const char *json, size_t len, struct hd_engine_facts *f, struct hd_diag *d)
{
	struct hd_jr r = { .d = d };
	struct hd_jv root, comps;
	const char *s;
	size_t i, n;
	int rc;

	snprintf(r.what, sizeof(r.what), "engine version");
	rc = hd_ij_open(&r, json, len, false, &root);
	if (rc < 0)
		goto out;
	if ((rc = str_field(&r, &root, "Version", &f->version)) < 0 ||
	    (rc = str_field(&r, &root, "MinAPIVersion", &f->min_api_version)) < 0 ||
	    (rc = str_field(&r, &root, "GitCommit", &f->git_commit)) < 0 ||
	    (rc = str_field(&r, &root, "GoVersion", &f->go_version)) < 0 ||
	    (rc = str_field(&r, &root, "Os", &f->os)) < 0 ||
	    (rc = str_field(&r, &root, "Arch", &f->arch)) < 0 ||
	    (rc = str_field(&r, &root, "KernelVersion", &f->kernel_version)) < 0 ||
	    (rc = hd_jv_str(&r, &root, "Experimental", 0, &s, NULL)) < 0)
		goto out;
	if (!f->version) {
		rc = hd_jr_bad(&r, "Version", "the engine's version");
		goto out;
	}
	if ((rc = hd_jv_arr(&r, &root, "Components", 0, &comps)) < 0)
		goto out;
	n = hd_jv_len(&comps);
	for (i = 0; i < n; i++) {
		struct hd_jv c;
		const char *name, *ver;

		if (hd_jv_at(&r, &comps, i, 0, &c) < 0 || !all_obj(&c))
			continue;
		name = lenient_str(&r, &c, "Name");
		ver = lenient_str(&r, &c, "Version");
		if (!name || !ver)
			continue;
		if (!strcmp(name, "containerd"))
			rc = hd_ij_dup(&f->containerd_version, ver);
		else if (!strcmp(name, "runc"))
			rc = hd_ij_dup(&f->runc_version, ver);
		else if (!strcmp(name, "docker-init"))
			rc = hd_ij_dup(&f->init_version, ver);
		if (rc < 0)
			goto out;
	}
	f->version_known = true;
	rc = 0;
out:
	hd_jr_release(&r);
	return rc;
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
			if (hd_ij_dup(&f->seccomp_profile, p) < 0)
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

static int read_cluster(struct hd_jr *r, struct hd_engine_facts *f, const struct hd_jv *cl)
{
	struct hd_jv spec, enc, ca, ext, tls;
	const char *s;
	bool present;
	int rc;

	if ((rc = hd_jv_obj(r, cl, "Spec", 0, &spec)) < 0 ||
	    (rc = hd_jv_bool(r, cl, "RootRotationInProgress", 0, &f->ca_rotation_in_progress, NULL, NULL)) < 0)
		return rc;
	if ((rc = hd_jv_str(r, cl, "CreatedAt", 0, &s, NULL)) < 0 ||
	    (s && hd_parse_rfc3339(s, &f->swarm_created) < 0) ||
	    (rc = hd_jv_str(r, cl, "UpdatedAt", 0, &s, NULL)) < 0 ||
	    (s && hd_parse_rfc3339(s, &f->swarm_updated) < 0))
		return rc < 0 ? rc : hd_jr_bad(r, "Swarm.Cluster.CreatedAt", "an RFC 3339 time");
	if (spec.n) {
		f->swarm_spec_known = true;
		if ((rc = hd_jv_obj(r, &spec, "EncryptionConfig", 0, &enc)) < 0 ||
		    (enc.n && (rc = hd_jv_bool(r, &enc, "AutoLockManagers", 0, &f->swarm_autolock, NULL,
					       NULL)) < 0) ||
		    (rc = hd_jv_obj(r, &spec, "CAConfig", 0, &ca)) < 0)
			return rc;
		if (ca.n) {
			if ((rc = hd_jv_int(r, &ca, "NodeCertExpiry", 0, &f->node_cert_expiry_ns, &present,
					    NULL)) < 0 ||
			    (rc = hd_jv_arr(r, &ca, "ExternalCAs", 0, &ext)) < 0)
				return rc;
			f->external_ca = hd_jv_len(&ext) > 0;
		}
	}
	if ((rc = hd_jv_obj(r, cl, "TLSInfo", 0, &tls)) < 0)
		return rc;
	if (tls.n && (s = lenient_str(r, &tls, "TrustRoot")) && *s)
		f->ca_cert_not_after = pem_not_after(s);
	return 0;
}

static int read_swarm(struct hd_jr *r, struct hd_engine_facts *f, const struct hd_jv *sw)
{
	struct hd_jv cl, rm;
	size_t i, n;
	const char *s;
	bool present;
	int rc;

	if ((rc = hd_jv_str(r, sw, "LocalNodeState", 0, &s, NULL)) < 0)
		return rc;
	f->swarm = swarm_state(s);
	if ((rc = hd_jv_bool(r, sw, "ControlAvailable", 0, &f->swarm_manager, NULL, NULL)) < 0 ||
	    (rc = hd_jv_str(r, sw, "NodeID", 0, &s, NULL)) < 0 ||
	    (rc = hd_ij_dup(&f->swarm_node_id, s && *s ? s : NULL)) < 0 ||
	    (rc = hd_jv_str(r, sw, "NodeAddr", 0, &s, NULL)) < 0 ||
	    (rc = hd_ij_dup(&f->swarm_node_addr, s && *s ? s : NULL)) < 0 ||
	    (rc = hd_jv_int(r, sw, "Nodes", 0, &f->swarm_nodes, &present, NULL)) < 0 ||
	    (rc = hd_jv_int(r, sw, "Managers", 0, &f->swarm_managers, &present, NULL)) < 0 ||
	    (rc = hd_jv_obj(r, sw, "Cluster", HD_IJ_PTR, &cl)) < 0 ||
	    (rc = hd_jv_arr(r, sw, "RemoteManagers", 0, &rm)) < 0)
		return rc;
	/* This manager's own entry tells the port it serves the swarm on. */
	n = hd_jv_len(&rm);
	for (i = 0; i < n; i++) {
		struct hd_jv v;
		const char *id, *addr, *colon;
		int64_t port;

		if (hd_jv_at(r, &rm, i, 0, &v) < 0 || !all_obj(&v))
			continue;
		id = lenient_str(r, &v, "NodeID");
		addr = lenient_str(r, &v, "Addr");
		colon = addr ? strrchr(addr, ':') : NULL;
		if (id && f->swarm_node_id && !strcmp(id, f->swarm_node_id) && colon &&
		    hd_parse_i64(colon + 1, 1, 65535, &port) == 0)
			f->swarm_port = (unsigned)port;
	}
	return cl.n ? read_cluster(r, f, &cl) : 0;
}

static int add_origin_items(struct hd_items *l, const char *v, const char *path)
{
	struct hd_origin at = { 0 };
	int r;

	r = hd_ij_origin(&at, path);
	if (r >= 0)
		r = hd_items_add(l, v, &at);
	hd_origin_release(&at);
	return r;
}

struct cidr_ctx {
	struct hd_engine_facts *f;
};

static int add_cidr(void *vctx, const char *s, const char *path)
{
	struct cidr_ctx *x = vctx;

	/* Docker always lists the loopback range; it is not a setting. */
	if (!strcmp(s, "127.0.0.0/8") || !strcmp(s, "::1/128"))
		return 0;
	return add_origin_items(&x->f->insecure_registries, s, path);
}

static int read_registry(struct hd_jr *r, struct hd_engine_facts *f, const struct hd_jv *rc)
{
	struct cidr_ctx cx = { f };
	struct hd_jentry *e;
	struct hd_jv o;
	size_t n, i;
	int ret;

	if ((ret = hd_jv_strings(r, rc, "InsecureRegistryCIDRs", 0, add_cidr, &cx)) < 0 ||
	    (ret = hd_jv_map(r, rc, "IndexConfigs", 0, &o)) < 0 || (ret = hd_jv_entries(r, &o, &e, &n)) < 0)
		return ret;
	for (i = 0; i < n; i++) {
		struct hd_jv secure;
		char path[HD_JSON_PATH_MAX + 8];

		if (!all_obj(&e[i].val) || hd_jv_field(r, &e[i].val, "Secure", 0, &secure) < 0)
			continue;
		if (secure.n && secure.occ[secure.n - 1]->type == HD_JBOOL && !secure.occ[secure.n - 1]->b) {
			snprintf(path, sizeof(path), "%s", secure.path);
			if ((ret = add_origin_items(&f->insecure_registries, e[i].key, path)) < 0)
				return ret;
		}
	}
	return hd_ij_add_items(r, &f->registry_mirrors, rc, "Mirrors", 0, NULL);
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
	struct hd_jr r = { .d = d };
	struct hd_jv root, o;
	struct hd_jentry *e;
	size_t i, n;
	int rc = 0;

	snprintf(r.what, sizeof(r.what), "engine info");
	rc = hd_ij_open(&r, json, len, false, &root);
	if (rc < 0)
		goto out;
	for (i = 0; i < HD_ARRAY_SIZE(bools) && rc >= 0; i++)
		rc = hd_jv_bool(&r, &root, bools[i].key, 0, (bool *)(void *)((char *)f + bools[i].off), NULL,
				NULL);
	for (i = 0; i < HD_ARRAY_SIZE(strs) && rc >= 0; i++)
		rc = str_field(&r, &root, strs[i].key, (char **)(void *)((char *)f + strs[i].off));
	for (i = 0; i < HD_ARRAY_SIZE(ints) && rc >= 0; i++)
		rc = hd_jv_int(&r, &root, ints[i].key, 0, (int64_t *)(void *)((char *)f + ints[i].off), NULL,
			       NULL);
	if (rc < 0)
		goto out;
	if (!f->id && !f->name) {
		rc = hd_jr_bad(&r, "ID", "the daemon's ID and Name");
		goto out;
	}
	if ((rc = hd_ij_add_items(&r, &f->security_options, &root, "SecurityOptions", 0, NULL)) < 0)
		goto out;
	for (i = 0; i < f->security_options.n; i++) {
		if ((rc = security_option(f, f->security_options.v[i].value)) < 0)
			goto out;
	}
	if ((rc = hd_ij_add_items(&r, &f->warnings, &root, "Warnings", 0, NULL)) < 0 ||
	    (rc = hd_jv_obj(&r, &root, "RegistryConfig", HD_IJ_PTR, &o)) < 0 ||
	    (o.n && (rc = read_registry(&r, f, &o)) < 0) || (rc = hd_jv_obj(&r, &root, "Plugins", 0, &o)) < 0)
		goto out;
	if (o.n && ((rc = hd_ij_add_items(&r, &f->authz_plugins, &o, "Authorization", 0, NULL)) < 0 ||
		    (rc = hd_ij_add_items(&r, &f->log_plugins, &o, "Log", 0, NULL)) < 0))
		goto out;
	if ((rc = hd_jv_map(&r, &root, "Runtimes", 0, &o)) < 0 || (rc = hd_jv_entries(&r, &o, &e, &n)) < 0)
		goto out;
	for (i = 0; i < n; i++) {
		if ((rc = add_origin_items(&f->runtimes, e[i].key, e[i].val.path)) < 0)
			goto out;
	}
	if ((rc = hd_jv_obj(&r, &root, "Swarm", 0, &o)) < 0)
		goto out;
	if (o.n)
		rc = read_swarm(&r, f, &o);
	else
		f->swarm = HD_SWARM_INACTIVE;
	if (rc >= 0)
		f->info_known = true;
out:
	hd_jr_release(&r);
	return rc;
}

int hd_inspect_nodes(const char *json, size_t len, struct hd_engine_facts *f, struct hd_diag *d)
{
	struct hd_jr r = { .d = d };
	struct hd_jv root;
	size_t i, n;
	int64_t managers = 0;
	int rc;

	snprintf(r.what, sizeof(r.what), "swarm node list");
	rc = hd_ij_open(&r, json, len, true, &root);
	if (rc < 0)
		goto out;
	n = hd_jv_len(&root);
	for (i = 0; i < n; i++) {
		struct hd_jv node, ms, st;
		const char *id;

		if ((rc = hd_jv_at(&r, &root, i, 0, &node)) < 0)
			goto out;
		if (!all_obj(&node)) {
			rc = hd_jr_bad(&r, "[]", "node objects");
			goto out;
		}
		lenient_obj(&r, &node, "ManagerStatus", &ms);
		id = lenient_str(&r, &node, "ID");
		if (ms.n)
			managers++;
		/* Data path: this node's Status.Addr against its manager address. */
		if (id && f->swarm_node_id && !strcmp(id, f->swarm_node_id) && ms.n) {
			const char *sa, *ma;

			lenient_obj(&r, &node, "Status", &st);
			sa = st.n ? lenient_str(&r, &st, "Addr") : NULL;
			ma = lenient_str(&r, &ms, "Addr");
			if (sa && ma) {
				size_t hl = strcspn(ma, ":");

				f->data_path_known = true;
				f->data_path_separate = !(strlen(sa) == hl && strncmp(sa, ma, hl) == 0);
			}
		}
	}
	f->swarm_managers = managers;
	f->swarm_nodes = (int64_t)n;
	rc = 0;
out:
	hd_jr_release(&r);
	return rc;
}

int hd_inspect_networks(const char *json, size_t len, struct hd_engine_facts *f, struct hd_diag *d)
{
	struct hd_jr r = { .d = d };
	struct hd_jv root;
	size_t i, n;
	int rc;

	snprintf(r.what, sizeof(r.what), "network list");
	rc = hd_ij_open(&r, json, len, true, &root);
	if (rc < 0)
		goto out;
	n = hd_jv_len(&root);
	for (i = 0; i < n; i++) {
		const char *name, *id, *driver, *scope;
		char path[HD_JSON_PATH_MAX];
		struct hd_origin at = { 0 };
		struct hd_net *net;
		struct hd_jv nv, opts;

		if ((rc = hd_jv_at(&r, &root, i, 0, &nv)) < 0 || (rc = hd_jv_as_obj(&r, &nv)) < 0 ||
		    (rc = hd_jv_str(&r, &nv, "Name", 0, &name, NULL)) < 0 ||
		    (rc = hd_jv_str(&r, &nv, "Id", 0, &id, NULL)) < 0 ||
		    (rc = hd_jv_str(&r, &nv, "Driver", 0, &driver, NULL)) < 0 ||
		    (rc = hd_jv_str(&r, &nv, "Scope", 0, &scope, NULL)) < 0 ||
		    (rc = hd_jv_map(&r, &nv, "Options", 0, &opts)) < 0)
			goto out;
		snprintf(path, sizeof(path), "Networks.%s.Options", name ? name : "?");
		rc = hd_ij_origin(&at, path);
		net = rc >= 0 ? hd_engine_add_network(f, &at) : NULL;
		hd_origin_release(&at);
		if (!net) {
			rc = -HD_ENOMEM;
			goto out;
		}
		if ((rc = hd_ij_dup(&net->name, name ? name : "")) < 0 || (rc = hd_ij_dup(&net->id, id)) < 0 ||
		    (rc = hd_ij_dup(&net->driver, driver)) < 0 || (rc = hd_ij_dup(&net->scope, scope)) < 0 ||
		    (rc = hd_jv_bool(&r, &nv, "Ingress", 0, &net->ingress, NULL, NULL)) < 0 ||
		    (rc = hd_jv_bool(&r, &nv, "Internal", 0, &net->internal, NULL, NULL)) < 0)
			goto out;
		/* Options is a map: its keys are exact. */
		net->encrypted = false;
		for (size_t k = 0; k < opts.n; k++) {
			for (uint32_t m = 0; m < opts.occ[k]->n; m++) {
				if (!strcmp(opts.occ[k]->u.members[m].key, "encrypted"))
					net->encrypted = true;
			}
		}
	}
	rc = 0;
out:
	hd_jr_release(&r);
	return rc;
}

int hd_inspect_services(const char *json, size_t len, struct hd_engine_facts *f, struct hd_diag *d)
{
	struct hd_jr r = { .d = d };
	struct hd_jv root;
	size_t i, n;
	int rc;

	snprintf(r.what, sizeof(r.what), "service list");
	rc = hd_ij_open(&r, json, len, true, &root);
	if (rc < 0)
		goto out;
	n = hd_jv_len(&root);
	f->n_services = (int64_t)n;
	for (i = 0; i < n; i++) {
		struct hd_jv s, spec, tt, cs, secrets, ep, ports;
		const char *name;
		size_t j, np;

		if ((rc = hd_jv_at(&r, &root, i, 0, &s)) < 0)
			goto out;
		if (!all_obj(&s)) {
			rc = hd_jr_bad(&r, "[]", "service objects");
			goto out;
		}
		lenient_obj(&r, &s, "Spec", &spec);
		lenient_obj(&r, &spec, "TaskTemplate", &tt);
		lenient_obj(&r, &tt, "ContainerSpec", &cs);
		lenient_obj(&r, &s, "Endpoint", &ep);
		name = lenient_str(&r, &spec, "Name");
		if (hd_jv_field(&r, &cs, "Secrets", HD_IJ_PTR, &secrets) >= 0 && secrets.n &&
		    secrets.occ[secrets.n - 1]->type == HD_JARR && secrets.occ[secrets.n - 1]->n > 0)
			f->n_services_with_secrets++;
		if (hd_jv_field(&r, &ep, "Ports", HD_IJ_PTR, &ports) < 0 || !ports.n ||
		    ports.occ[ports.n - 1]->type != HD_JARR) {
			ports.n = 0;
		} else {
			/* Only the last array counts here; lenient, so no merging. */
			ports.occ += ports.n - 1;
			ports.paths += ports.n - 1;
			ports.n = 1;
		}
		np = hd_jv_len(&ports);
		for (j = 0; j < np; j++) {
			char path[HD_JSON_PATH_MAX];
			struct hd_origin at = { 0 };
			struct hd_service_port *sp;
			struct hd_jv p;
			const char *proto = NULL, *mode = NULL;
			int64_t tp = 0, pp = 0;

			if (hd_jv_at(&r, &ports, j, 0, &p) >= 0 && all_obj(&p)) {
				proto = lenient_str(&r, &p, "Protocol");
				mode = lenient_str(&r, &p, "PublishMode");
				tp = lenient_int(&r, &p, "TargetPort");
				pp = lenient_int(&r, &p, "PublishedPort");
			}
			snprintf(path, sizeof(path), "Services.%s.Endpoint.Ports[%zu]", name ? name : "?", j);
			rc = hd_ij_origin(&at, path);
			sp = rc >= 0 ? hd_engine_add_service_port(f, &at) : NULL;
			hd_origin_release(&at);
			if (!sp) {
				rc = -HD_ENOMEM;
				goto out;
			}
			sp->target = tp > 0 && tp <= 65535 ? (uint32_t)tp : 0;
			sp->published = pp > 0 && pp <= 65535 ? (uint32_t)pp : 0;
			if ((rc = hd_ij_dup(&sp->service, name ? name : "?")) < 0 ||
			    (rc = hd_ij_dup(&sp->protocol, proto ? proto : "tcp")) < 0 ||
			    (rc = hd_ij_dup(&sp->mode, mode ? mode : "ingress")) < 0)
				goto out;
		}
	}
	rc = 0;
out:
	hd_jr_release(&r);
	return rc;
}

int hd_inspect_secrets(const char *json, size_t len, struct hd_engine_facts *f, struct hd_diag *d)
{
	struct hd_jr r = { .d = d };
	struct hd_jv root;
	int rc;

	snprintf(r.what, sizeof(r.what), "secret list");
	rc = hd_ij_open(&r, json, len, true, &root);
	if (rc >= 0)
		f->n_secrets = (int64_t)hd_jv_len(&root);
	hd_jr_release(&r);
	return rc < 0 ? rc : 0;
}
