/*
 * Reading the facts of the host and daemon audits: the effective dockerd
 * configuration with its files and TLS material (daemon_spec), and the host
 * facts (host_facts), from the live system or from a copy of a host's
 * filesystem under --root.  Facts that cannot be gathered become notes;
 * input that dockerd or systemd would refuse becomes problems in the spec.
 * Nothing here writes to the audited system.
 *
 * On the live system (root NULL) the running dockerd's command line is read
 * from /proc and the kernel's loaded audit rules over netlink.  No program
 * of the audited host is ever run: the versions of dockerd, containerd and
 * runc come from their binaries' Go build information, then from the
 * package database.  With --root nothing live is read: the notes say so.
 */
#ifndef HD_AUDIT_HOST_READ_H
#define HD_AUDIT_HOST_READ_H

#include <stdbool.h>
#include <stdint.h>

#include "model/daemon.h"
#include "model/host.h"

struct hd_procs;

struct hd_read_opts {
	const char *root;  /* NULL or "/" for the live system */
	int64_t now;       /* 0: the current time */
	bool files_only;   /* configuration files only: no binaries, no kernel audit
			      list (for `harden`, which needs neither) */
	const struct hd_procs *procs; /* live: this run's pass over /proc (audit/procs.h),
					 or NULL to walk /proc for dockerd */
};

/*
 * Builds the effective daemon configuration.  Returns 0, -HD_ENOENT or
 * -HD_EINVAL when the root is not a directory, or -HD_ENOMEM.  d must be
 * initialised; release it with hd_daemon_spec_release() in any case.
 */
int hd_daemon_read(const struct hd_read_opts *o, struct hd_daemon_spec *d);

/*
 * Reads the host facts; d (already read) gives data-root, the socket group
 * and the paths of the daemon's files.  Same returns as hd_daemon_read().
 */
int hd_host_read(const struct hd_read_opts *o, const struct hd_daemon_spec *d,
		 struct hd_host_facts *h);

struct hd_engine_facts;

/*
 * Adds what a running engine on this machine reports (/version, /info) to
 * the facts read from files: the swarm state, the storage driver in use, and
 * the engine, containerd and runc versions when the files did not give them.
 * d or h may be NULL.  Returns 0 or -HD_ENOMEM.
 */
int hd_facts_apply_engine(struct hd_daemon_spec *d, struct hd_host_facts *h,
			  const struct hd_engine_facts *f);

/*
 * Lists the audit rules loaded in the kernel over netlink (AUDIT_LIST_RULES)
 * and appends its watches to rules (live set).  Needs CAP_AUDIT_CONTROL in
 * the initial user and PID namespaces.  Returns 0; -HD_EUNSUPPORTED (no
 * audit netlink), -HD_EACCES (refused), -HD_ETIMEOUT, -HD_EPROTO or -HD_EIO
 * with reason (a sentence for a note) filled; or -HD_ENOMEM.
 */
int hd_auditrules_read_kernel(struct hd_audit_rules *rules, char *reason, size_t reason_size);

/* The upstream part of a package version: "20.10.24+dfsg1-1+deb12u1" -> "20.10.24". */
char *hd_upstream_version(const char *raw);

#endif
