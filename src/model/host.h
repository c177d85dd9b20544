/*
 * host_facts: what the host audit knows about the machine dockerd runs on
 * (CIS section 1, and DOCKER_CONTENT_TRUST for users): the mount table, who
 * is in the group that owns the Docker socket, the auditd rules (files and,
 * on a live system, the loaded list), the paths auditd should watch, and the
 * kernel, engine, containerd and runc versions.  Host rules read only this.
 *
 * Facts are read by audit/host_read.c from the live system or from a copy of
 * a host's filesystem (--root DIR).  A fact that could not be gathered is
 * absent (have_* false, NULL) and `notes` says why; rules then answer NOTE,
 * never PASS.
 *
 * Ownership: the facts own all their strings and lists;
 * hd_host_facts_release() frees them.
 */
#ifndef HD_MODEL_HOST_H
#define HD_MODEL_HOST_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "core/config.h"
#include "model/fileinfo.h"

/* The paths CIS 1.1.3-1.1.18 want audited, in CIS order. */
enum hd_apath {
	HD_AP_DOCKERD,            /* 1.1.3  the dockerd binary */
	HD_AP_RUN_CONTAINERD,     /* 1.1.4  /run/containerd */
	HD_AP_DATA_ROOT,          /* 1.1.5  /var/lib/docker (data-root) */
	HD_AP_ETC_DOCKER,         /* 1.1.6  /etc/docker */
	HD_AP_DOCKER_SERVICE,     /* 1.1.7  docker.service */
	HD_AP_CONTAINERD_SOCK,    /* 1.1.8  containerd.sock */
	HD_AP_DOCKER_SOCKET,      /* 1.1.9  docker.socket */
	HD_AP_ETC_DEFAULT,        /* 1.1.10 /etc/default/docker */
	HD_AP_DAEMON_JSON,        /* 1.1.11 /etc/docker/daemon.json */
	HD_AP_CONTAINERD_CONFIG,  /* 1.1.12 /etc/containerd/config.toml */
	HD_AP_SYSCONFIG,          /* 1.1.13 /etc/sysconfig/docker */
	HD_AP_CONTAINERD,         /* 1.1.14 the containerd binary */
	HD_AP_CONTAINERD_SHIM,    /* 1.1.15 containerd-shim */
	HD_AP_SHIM_RUNC_V1,       /* 1.1.16 containerd-shim-runc-v1 */
	HD_AP_SHIM_RUNC_V2,       /* 1.1.17 containerd-shim-runc-v2 */
	HD_AP_RUNC,               /* 1.1.18 runc */
	HD_AP_MAX
};

/* One auditd watch, from a rules file or from `auditctl -l`. */
struct hd_audit_rule {
	char *path;     /* the watched path (-w PATH, -F path=, -F dir=) */
	char *canon;    /* the same with symlinks resolved inside the root, or NULL */
	bool dir;       /* covers everything below path (-F dir=, or -w on a directory) */
	char perms[5];  /* subset of "rwxa" in that order; all four when not given */
	char *key;      /* -k KEY, or NULL */
	char *file;     /* the rules file, or "auditctl -l" */
	uint32_t line;
	bool live;      /* from the kernel's loaded list */
};

struct hd_audit_rules {
	struct hd_audit_rule *v;
	size_t n, alloc;
};

struct hd_mount_entry {
	char *mount_point; /* unescaped */
	char *fstype;
	char *source;
};

/* A version of a component with where it was learnt. */
struct hd_version_fact {
	char *version;  /* upstream part: "20.10.24", "1.1.5", "6.1.0" */
	char *raw;      /* as found: "20.10.24+dfsg1-1+deb12u1" */
	char *source;   /* "/var/lib/dpkg/status (docker.io)", "runc --version" */
	char *package;  /* the distribution package it belongs to, or NULL */
	bool exact;     /* version names the upstream patch level (not "5.15.0-91-generic") */
	struct hd_strlist fixed_cves; /* CVE ids the package's changelog names (backported fixes) */
};

enum hd_tristate { HD_TRI_UNSET = 0, HD_TRI_ON, HD_TRI_OFF };

struct hd_host_facts {
	char *root;            /* "/" or the --root directory, for messages */
	bool live;
	int64_t now;

	/* Mounts. */
	bool have_mounts;
	char *mounts_from;     /* "/proc/self/mountinfo" */
	struct hd_mount_entry *mounts;
	size_t n_mounts, alloc_mounts;
	char *data_root;       /* dockerd's data-root as configured (default /var/lib/docker) */
	char *data_root_canon; /* the same with symlinks resolved, or NULL */

	/* Who can use the Docker socket. */
	bool have_group_file;
	char *socket_group;    /* "docker", or dockerd's --group */
	bool socket_group_exists;
	struct hd_strlist socket_group_members; /* "alice", "build (primary group)" */

	/* auditd. */
	struct hd_audit_rules audit_rules;
	struct hd_strlist audit_files;  /* rules files read */
	bool have_live_audit;           /* `auditctl -l` answered */
	struct hd_file_list apaths[HD_AP_MAX]; /* candidate paths per CIS item; type tells which exist */

	/* Versions. */
	struct hd_version_fact kernel, engine, containerd, runc;

	/* DOCKER_CONTENT_TRUST for users. */
	enum hd_tristate content_trust;
	char *content_trust_value;
	char *content_trust_file;
	uint32_t content_trust_line;

	struct hd_strlist notes; /* facts that could not be gathered and why */
};

void hd_host_facts_init(struct hd_host_facts *h);
void hd_host_facts_release(struct hd_host_facts *h);
void hd_audit_rules_release(struct hd_audit_rules *r);
/* Appends a rule; strings copied.  Returns the rule or NULL on OOM. */
struct hd_audit_rule *hd_audit_rules_add(struct hd_audit_rules *r, const char *path, bool dir,
					 const char *perms, const char *key, const char *file,
					 uint32_t line, bool live);
void hd_version_fact_release(struct hd_version_fact *v);

/*
 * Compares dotted versions numerically ("1.1.12" > "1.1.5"); a pre-release
 * suffix ("1.0.0-rc6", "1.0-rc95") sorts before the release.  Returns <0, 0
 * or >0.
 */
int hd_version_cmp(const char *a, const char *b);

#endif
