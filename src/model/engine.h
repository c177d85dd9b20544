/*
 * engine_facts: what a live engine says about itself and its swarm, for the
 * engine-wide rules (rules/engine.c: swarm, sprawl) and for the daemon checks
 * of `hardock audit daemon`, which use /info instead of guessing default
 * paths (data root, security options, live restore, ...).
 *
 * Filled by parse/inspect.c from /version, /info, /swarm, /nodes, /networks,
 * /services, /secrets and the container list; the audit (audit/engine.c)
 * adds what it learns while walking containers and images.
 *
 * Where: `local` says the endpoint is on this machine (unix socket or
 * loopback TCP); `same_host` says, in addition, that the engine's host name
 * is this machine's.  Host and daemon checks of this machine are about the
 * engine only when same_host is true.
 *
 * Ownership: the facts own every string and array; hd_engine_facts_free()
 * releases all.
 */
#ifndef HD_MODEL_ENGINE_H
#define HD_MODEL_ENGINE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "model/container.h"

enum hd_swarm_state {
	HD_SWARM_UNKNOWN = 0, /* /info could not be read */
	HD_SWARM_INACTIVE,
	HD_SWARM_PENDING,
	HD_SWARM_ACTIVE,
	HD_SWARM_ERROR,
	HD_SWARM_LOCKED,
	HD_SWARM_STATE_MAX
};
const char *hd_swarm_state_name(enum hd_swarm_state s);

/* A network as the engine lists it (overlay encryption for CIS 7.3). */
struct hd_net {
	char *name, *id, *driver, *scope;
	bool encrypted;      /* Options["encrypted"] present */
	bool ingress;        /* the swarm routing-mesh network */
	bool internal;
	struct hd_origin at; /* "Networks[name].Options.encrypted" */
};

/* A port published by a swarm service. */
struct hd_service_port {
	char *service;
	uint32_t target, published;
	char *protocol;      /* "tcp" */
	char *mode;          /* "ingress" (every node, every interface) or "host" */
	struct hd_origin at; /* "Services[web].Endpoint.Ports[0]" */
};

struct hd_engine_facts {
	/* how it was reached */
	char *endpoint;            /* "unix:///var/run/docker.sock", "tcp://h:2376" */
	char *endpoint_source;     /* "--host", "DOCKER_HOST", "context 'x'", "default" */
	char *socket_path;         /* the unix socket used, or NULL for TCP */
	bool tls;                  /* TCP with TLS */
	bool local;                /* the endpoint is on this machine */
	bool same_host;            /* local, and /info's Name is this machine's host name */
	char *api_version;         /* negotiated, "1.41" */
	int64_t now;               /* the audit's time (unix seconds) */

	/* /version */
	bool version_known;
	char *version;             /* "20.10.24+dfsg1" */
	char *min_api_version;
	char *git_commit, *go_version, *os, *arch, *kernel_version;
	char *containerd_version, *runc_version, *init_version; /* Components[] */
	bool experimental;

	/* /info */
	bool info_known;
	char *id;                  /* daemon ID */
	char *name;                /* the engine host's host name */
	char *root_dir;            /* DockerRootDir: the data root actually used */
	char *driver;              /* storage driver: "overlay2", "aufs" */
	char *logging_driver;
	char *cgroup_driver, *cgroup_version;
	char *default_runtime;
	char *init_binary;
	char *operating_system;
	char *isolation;
	struct hd_items security_options; /* as reported: "name=seccomp,profile=default" */
	bool apparmor, selinux, seccomp, userns, rootless, cgroupns;
	char *seccomp_profile;     /* "default", "builtin", a path, or NULL */
	bool live_restore;
	bool debug;
	bool ipv4_forwarding, bridge_nf_iptables, bridge_nf_ip6tables;
	bool memory_limit, swap_limit, pids_limit, oom_kill_disable, cpu_cfs_quota, cpu_shares;
	struct hd_items insecure_registries; /* CIDRs and index names with Secure=false */
	struct hd_items registry_mirrors;
	struct hd_items authz_plugins;       /* Plugins.Authorization */
	struct hd_items log_plugins;         /* Plugins.Log */
	struct hd_items runtimes;            /* names of Runtimes */
	struct hd_items warnings;            /* Warnings[] the daemon itself reports */
	char *http_proxy, *https_proxy, *no_proxy;
	int64_t n_containers, n_running, n_paused, n_stopped, n_images;

	/* swarm (from /info, then /swarm, /nodes, /networks, /services, /secrets when active) */
	enum hd_swarm_state swarm;
	bool swarm_manager;        /* ControlAvailable: this node is a manager */
	char *swarm_node_id;
	char *swarm_node_addr;
	int64_t swarm_nodes, swarm_managers; /* from /info (Swarm.Nodes, Swarm.Managers) */
	bool swarm_spec_known;     /* /swarm was read (managers only) */
	bool swarm_autolock;       /* Spec.EncryptionConfig.AutoLockManagers */
	int64_t node_cert_expiry_ns;         /* Spec.CAConfig.NodeCertExpiry; 0 unknown */
	bool external_ca;          /* Spec.CAConfig.ExternalCAs non-empty */
	bool ca_rotation_in_progress;        /* RootRotationInProgress */
	int64_t swarm_created, swarm_updated;/* unix seconds */
	int64_t ca_cert_not_after;           /* TLSInfo.TrustRoot expiry, unix seconds; 0 unknown */
	bool swarm_details_known;  /* /networks, /services, /secrets were read */
	struct hd_net *networks;
	size_t n_networks, alloc_networks;
	struct hd_service_port *service_ports;
	size_t n_service_ports, alloc_service_ports;
	int64_t n_services, n_secrets, n_services_with_secrets;
	unsigned swarm_port;       /* this manager's swarm port (RemoteManagers), 0 = unknown (2377) */
	int swarm_listen_all;      /* the swarm port listens on every interface: 1, 0, -1 unknown */
	bool data_path_separate;   /* DataPathAddr differs from the advertise address */
	bool data_path_known;

	/* what the audit saw while walking containers and images */
	size_t containers_total, containers_running, containers_paused, containers_created,
	       containers_exited, containers_restarting, containers_dead;
	size_t images_total, images_dangling, images_unused;
	struct hd_items cgroupns_host; /* containers in the host's cgroup namespace by this engine's
					  default (names, with where it shows) */
};

struct hd_engine_facts *hd_engine_facts_new(void);
void hd_engine_facts_free(struct hd_engine_facts *f);
struct hd_net *hd_engine_add_network(struct hd_engine_facts *f, const struct hd_origin *at);
struct hd_service_port *hd_engine_add_service_port(struct hd_engine_facts *f, const struct hd_origin *at);
/* A finding location: object "engine <endpoint>", field as given. */
void hd_engine_loc(const struct hd_engine_facts *f, const char *field, struct hd_loc *loc);

#endif
