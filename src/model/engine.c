/*
 * Constructors and destructor of engine_facts (see engine.h).
 */
#include "core/common.h"
#include "model/engine.h"

static const char *const swarm_names[HD_SWARM_STATE_MAX] = {
	[HD_SWARM_UNKNOWN] = "unknown",
	[HD_SWARM_INACTIVE] = "inactive",
	[HD_SWARM_PENDING] = "pending",
	[HD_SWARM_ACTIVE] = "active",
	[HD_SWARM_ERROR] = "error",
	[HD_SWARM_LOCKED] = "locked",
};

const char *hd_swarm_state_name(enum hd_swarm_state s)
{
	return (unsigned)s < HD_SWARM_STATE_MAX ? swarm_names[s] : "unknown";
}

struct hd_engine_facts *hd_engine_facts_new(void)
{
	struct hd_engine_facts *f = hd_calloc(1, sizeof(*f));

	if (f)
		f->swarm_listen_all = -1;
	return f;
}

static void items_free(struct hd_items *l)
{
	size_t i;

	for (i = 0; i < l->n; i++) {
		hd_free(l->v[i].value);
		hd_origin_release(&l->v[i].at);
	}
	hd_free(l->v);
	memset(l, 0, sizeof(*l));
}

void hd_engine_facts_free(struct hd_engine_facts *f)
{
	size_t i;

	if (!f)
		return;
	char **strs[] = {
		&f->endpoint, &f->endpoint_source, &f->socket_path, &f->api_version, &f->version,
		&f->min_api_version, &f->git_commit, &f->go_version, &f->os, &f->arch,
		&f->kernel_version, &f->containerd_version, &f->runc_version, &f->init_version,
		&f->id, &f->name, &f->root_dir, &f->driver, &f->logging_driver, &f->cgroup_driver,
		&f->cgroup_version, &f->default_runtime, &f->init_binary, &f->operating_system,
		&f->isolation, &f->seccomp_profile, &f->http_proxy, &f->https_proxy, &f->no_proxy,
		&f->swarm_node_id, &f->swarm_node_addr,
	};

	for (i = 0; i < HD_ARRAY_SIZE(strs); i++)
		hd_free(*strs[i]);
	items_free(&f->security_options);
	items_free(&f->insecure_registries);
	items_free(&f->registry_mirrors);
	items_free(&f->authz_plugins);
	items_free(&f->log_plugins);
	items_free(&f->runtimes);
	items_free(&f->warnings);
	items_free(&f->cgroupns_host);
	for (i = 0; i < f->n_networks; i++) {
		hd_free(f->networks[i].name);
		hd_free(f->networks[i].id);
		hd_free(f->networks[i].driver);
		hd_free(f->networks[i].scope);
		hd_origin_release(&f->networks[i].at);
	}
	hd_free(f->networks);
	for (i = 0; i < f->n_service_ports; i++) {
		hd_free(f->service_ports[i].service);
		hd_free(f->service_ports[i].protocol);
		hd_free(f->service_ports[i].mode);
		hd_origin_release(&f->service_ports[i].at);
	}
	hd_free(f->service_ports);
	hd_free(f);
}

struct hd_net *hd_engine_add_network(struct hd_engine_facts *f, const struct hd_origin *at)
{
	struct hd_net *n;

	if (HD_GROW(f->networks, f->alloc_networks, f->n_networks + 1) < 0)
		return NULL;
	n = &f->networks[f->n_networks];
	memset(n, 0, sizeof(*n));
	if (at && hd_origin_copy(&n->at, at) < 0)
		return NULL;
	f->n_networks++;
	return n;
}

struct hd_service_port *hd_engine_add_service_port(struct hd_engine_facts *f, const struct hd_origin *at)
{
	struct hd_service_port *p;

	if (HD_GROW(f->service_ports, f->alloc_service_ports, f->n_service_ports + 1) < 0)
		return NULL;
	p = &f->service_ports[f->n_service_ports];
	memset(p, 0, sizeof(*p));
	if (at && hd_origin_copy(&p->at, at) < 0)
		return NULL;
	f->n_service_ports++;
	return p;
}

void hd_engine_loc(const struct hd_engine_facts *f, const char *field, struct hd_loc *loc)
{
	memset(loc, 0, sizeof(*loc));
	loc->object = f->endpoint ? f->endpoint : "engine";
	loc->field = field;
}
