/*
 * Internal to the readers of the host and daemon audits (daemon_read.c,
 * host_read.c, pkgdb.c, binver.c, kernel_audit.c): the users and groups of the audited
 * host, file facts, notes, version facts, and the context the host readers
 * share.  The public entry points are in host_read.h.
 *
 * Ownership: facts and notes are appended to the caller's lists, which own
 * them; hd_idnames owns its strings (hd_idnames_release()).
 */
#ifndef HD_AUDIT_READ_INT_H
#define HD_AUDIT_READ_INT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "audit/host_read.h"
#include "audit/rootfs.h"

/* Size limits of the files the readers take in. */
#define HD_READ_CONFIG_MAX (16u * 1024 * 1024) /* unit files, daemon.json, rules, /etc/group */
#define HD_READ_SMALL_MAX  (1u * 1024 * 1024)  /* certificates, /proc files */
#define HD_READ_DPKG_MAX   (64u * 1024 * 1024) /* /var/lib/dpkg/status */
#define HD_READ_WALK_MAX_ENTRIES 10000u
#define HD_READ_WALK_MAX_DEPTH   16u

/* Users and groups of the audited host, for owner names. */
struct hd_idname {
	char *name;
	uint32_t id;
	uint32_t gid;   /* passwd: primary group */
	char *members;  /* group: comma-separated */
};

struct hd_idnames {
	struct hd_idname *users, *groups;
	size_t n_users, a_users, n_groups, a_groups;
	bool have_group; /* /etc/group was read */
};

void hd_idnames_release(struct hd_idnames *n);
/* Reads /etc/passwd and /etc/group of the root; missing files leave n empty.  0 or -HD_ENOMEM. */
int hd_idnames_load(const struct hd_rootfs *fs, struct hd_idnames *n);
/* The name of id in v[0..n), or NULL. */
const char *hd_idnames_find(const struct hd_idname *v, size_t n, uint32_t id);

/* Appends a formatted note unless the same text is there already.  0 or -HD_ENOMEM. */
int hd_read_note(struct hd_strlist *notes, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
/* Adds a fact for a host path to l (once) and examines it, following links inside the root. */
int hd_read_add_fact(const struct hd_rootfs *fs, const struct hd_idnames *ids, struct hd_file_list *l,
		     const char *path);
/* Adds dir (when include_dir) and everything below it, without following links. */
int hd_read_add_tree(const struct hd_rootfs *fs, const struct hd_idnames *ids, struct hd_file_list *l,
		     const char *dir, bool include_dir);
/* A short text for a hd_rootfs_read() error: "not a regular file", "symlink loop", ... */
const char *hd_read_err_text(int r);
/* Replaces v with raw (its upstream part as version) learnt from source.  0 or -HD_ENOMEM. */
int hd_version_fact_set(struct hd_version_fact *v, const char *raw, const char *source);
/* dockerd's data-root as configured: data-root, else graph, else /var/lib/docker. */
const char *hd_daemon_data_root(const struct hd_daemon_spec *d);

/* What the host readers share while hd_host_read() runs. */
struct hd_host_ctx {
	const struct hd_read_opts *o;
	struct hd_rootfs fs;
	struct hd_idnames ids;
	struct hd_host_facts *h;
	const struct hd_daemon_spec *d;
};

/*
 * The package database (pkgdb.c): the versions of the engine, containerd and
 * runc packages in /var/lib/dpkg/status, and of the running kernel's package,
 * with the CVE ids their Debian changelogs name.  A version already learnt
 * from a binary is kept; its package is linked when the versions agree.
 * Returns 0 (a missing database is no error) or -HD_ENOMEM.
 */
int hd_pkgdb_read(struct hd_host_ctx *c);

/*
 * The versions of dockerd, containerd and runc read from their binaries'
 * Go build information (binver.c), never by running them.  Returns 0 (an
 * unreadable binary leaves its version unknown, with a note) or -HD_ENOMEM.
 */
int hd_binver_read(struct hd_host_ctx *c);

/*
 * The audit rules loaded in the kernel, read over netlink (kernel_audit.c;
 * live only).  Appends them to c->h->audit_rules with live set and sets
 * c->h->have_live_audit; when the kernel cannot be asked (no
 * CAP_AUDIT_CONTROL, no audit support) a note says why.  Returns 0 or
 * -HD_ENOMEM.
 */
int hd_kernel_audit_read(struct hd_host_ctx *c);

#endif
