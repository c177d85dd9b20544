/*
 * Host rules (CIS section 1, and DOCKER_CONTENT_TRUST for users): a partition
 * for the daemon's data, who can use its socket, auditd watches on Docker's
 * files, and kernel and runtime versions against a small table of known
 * container-escape vulnerabilities.  Each check reads only host_facts.
 */
#include "core/common.h"
#include "core/finding.h"
#include "model/host.h"

/* ------------------------------------------------------------------ */
/* 1.1.1 A separate partition for data-root. */

static int check_partition(const struct hd_model *m, const struct hd_rule *r, struct hd_check *out)
{
	const struct hd_host_facts *h = m->host;
	const char *dr = h->data_root_canon ? h->data_root_canon : h->data_root;
	const struct hd_mount_entry *best = NULL;
	struct hd_loc loc = { 0 };
	size_t i, best_len = 0;

	if (!h->have_mounts || !dr)
		return hd_not_applicable(out, "no mount table under %s (give a copy of "
					 "/proc/self/mountinfo as %s/proc/self/mountinfo)", h->root,
					 h->live ? "" : h->root);
	for (i = 0; i < h->n_mounts; i++) {
		const char *mp = h->mounts[i].mount_point;
		size_t n = strlen(mp);

		/* The mount that holds data-root: the longest prefix on a path boundary; a
		 * later entry on the same point hides an earlier one. */
		if (strncmp(dr, mp, n) != 0 || (dr[n] != '/' && dr[n] != '\0' && strcmp(mp, "/") != 0))
			continue;
		if (n >= best_len) {
			best = &h->mounts[i];
			best_len = n;
		}
	}
	loc.file = h->mounts_from;
	loc.field = h->data_root;
	if (best && strcmp(best->mount_point, dr) == 0)
		return 0;
	if (!best || strcmp(best->mount_point, "/") == 0)
		return hd_report(out, &loc,
				       "%s is on the root filesystem: containers filling it fill / and "
				       "can stop the host", h->data_root);
	return hd_report(out, &loc,
			       "%s is on the filesystem mounted at %s, shared with other data, not "
			       "on a partition of its own", h->data_root, best->mount_point);
}

const struct hd_rule hd_rule_host_separate_partition = {
	.id = "host/separate-partition",
	.title = "Use a separate partition for containers",
	.severity = HD_SEV_MEDIUM,
	.target = HD_TARGET_HOST,
	.cis = "1.1.1",
	.owasp = "D07",
	.other = "docker-bench:1.1.1",
	.rationale = "Images, container layers, volumes and json-file logs all live under dockerd's "
		"data-root. On the root filesystem, one container writing without limit fills / and "
		"takes the host down (no logins, no logs). A partition of its own confines that.",
	.remediation = "Create a filesystem for /var/lib/docker (or the configured data-root), stop "
		"dockerd, move the data, add it to /etc/fstab (`UUID=... /var/lib/docker ext4 "
		"defaults 0 2`), mount it and start dockerd.",
	.bad_example = "/var/lib/docker on the / filesystem",
	.good_example = "/var/lib/docker mounted from its own logical volume",
	.check = check_partition,
};

/* ------------------------------------------------------------------ */
/* 1.1.2 Who can use the socket. */

static int check_group(const struct hd_model *m, const struct hd_rule *r, struct hd_check *out)
{
	const struct hd_host_facts *h = m->host;
	struct hd_loc loc = { 0 };
	char list[2048];
	size_t i, len = 0;

	if (!h->have_group_file)
		return hd_not_applicable(out, "no /etc/group under %s", h->root);
	if (!h->socket_group_exists || !h->socket_group_members.n)
		return 0;
	list[0] = '\0';
	for (i = 0; i < h->socket_group_members.n && len < sizeof(list) - 1; i++) {
		int n = snprintf(list + len, sizeof(list) - len, "%s%s", i ? ", " : "",
				 h->socket_group_members.v[i]);

		if (n < 0)
			break;
		len += (size_t)n;
	}
	loc.file = "/etc/group";
	loc.field = h->socket_group;
	return hd_report(out, &loc,
			       "members of group '%s' can use the Docker socket, which is equivalent "
			       "to root on this host: %s; confirm each is trusted as root",
			       h->socket_group, list);
}

const struct hd_rule hd_rule_host_docker_group = {
	.id = "host/docker-group",
	.title = "Only trusted users are allowed to control the Docker daemon",
	.severity = HD_SEV_INFO,
	.target = HD_TARGET_HOST,
	.cis = "1.1.2",
	.owasp = "D04",
	.other = "docker-bench:1.1.2",
	.rationale = "Membership of the socket's group (docker, or dockerd's --group) is root "
		"without a password: `docker run -v /:/host --privileged ...` gives full control of "
		"the host, and nothing is logged by sudo. Only the administrator can tell whether "
		"each member is trusted, so the members are listed as information.",
	.remediation = "Remove users who must not be root: `gpasswd -d USER docker`. Give others "
		"sudo rights for specific docker commands, or rootless Docker.",
	.bad_example = "docker:x:998:alice,ci-runner,intern",
	.good_example = "docker:x:998:",
	.check = check_group,
};

/* ------------------------------------------------------------------ */
/* 1.1.3 - 1.1.18 auditd watches. */

static hd_check_fn check_audit;

#define AUDIT_RULE(cname, slug, cis_id, kind_text, path_text) \
	const struct hd_rule hd_rule_host_audit_##cname = { \
		.id = "host/audit-" slug, \
		.title = "Audit " kind_text, \
		.severity = HD_SEV_LOW, \
		.target = HD_TARGET_HOST, \
		.cis = cis_id, \
		.owasp = "D10", \
		.other = "docker-bench:" cis_id, \
		.rationale = "Changes to " kind_text " change what runs as root on this host. An auditd " \
			"watch records who changed or replaced it and when, which an investigation " \
			"needs and an attacker cannot erase from a remote log. hardock accepts a watch " \
			"on the path or on a directory above it, with at least write and attribute " \
			"changes (-p wa), loaded in the kernel when the live list is known.", \
		.remediation = "Add `-w " path_text " -p wa -k docker` to /etc/audit/rules.d/docker.rules " \
			"and load it with `augenrules --load` (`hardock harden audit-rules --write` " \
			"writes the rules for every path present).", \
		.bad_example = "no watch on " path_text, \
		.good_example = "-w " path_text " -p wa -k docker", \
		.check = check_audit, \
	};

AUDIT_RULE(dockerd, "dockerd", "1.1.3", "the Docker daemon binary", "/usr/bin/dockerd")
AUDIT_RULE(run_containerd, "run-containerd", "1.1.4", "/run/containerd", "/run/containerd")
AUDIT_RULE(var_lib_docker, "var-lib-docker", "1.1.5", "dockerd's data-root", "/var/lib/docker")
AUDIT_RULE(etc_docker, "etc-docker", "1.1.6", "/etc/docker", "/etc/docker")
AUDIT_RULE(docker_service, "docker-service", "1.1.7", "docker.service",
	   "/lib/systemd/system/docker.service")
AUDIT_RULE(containerd_sock, "containerd-sock", "1.1.8", "containerd's socket",
	   "/run/containerd/containerd.sock")
AUDIT_RULE(docker_socket, "docker-socket", "1.1.9", "docker.socket",
	   "/lib/systemd/system/docker.socket")
AUDIT_RULE(etc_default_docker, "etc-default-docker", "1.1.10", "/etc/default/docker",
	   "/etc/default/docker")
AUDIT_RULE(daemon_json, "daemon-json", "1.1.11", "daemon.json", "/etc/docker/daemon.json")
AUDIT_RULE(containerd_config, "containerd-config", "1.1.12", "containerd's configuration",
	   "/etc/containerd/config.toml")
AUDIT_RULE(etc_sysconfig_docker, "etc-sysconfig-docker", "1.1.13", "/etc/sysconfig/docker",
	   "/etc/sysconfig/docker")
AUDIT_RULE(containerd, "containerd", "1.1.14", "the containerd binary", "/usr/bin/containerd")
AUDIT_RULE(containerd_shim, "containerd-shim", "1.1.15", "containerd-shim",
	   "/usr/bin/containerd-shim")
AUDIT_RULE(shim_runc_v1, "containerd-shim-runc-v1", "1.1.16", "containerd-shim-runc-v1",
	   "/usr/bin/containerd-shim-runc-v1")
AUDIT_RULE(shim_runc_v2, "containerd-shim-runc-v2", "1.1.17", "containerd-shim-runc-v2",
	   "/usr/bin/containerd-shim-runc-v2")
AUDIT_RULE(runc, "runc", "1.1.18", "the runc binary", "/usr/bin/runc")

static const struct { const struct hd_rule *rule; enum hd_apath path; } audit_checks[] = {
	{ &hd_rule_host_audit_dockerd, HD_AP_DOCKERD },
	{ &hd_rule_host_audit_run_containerd, HD_AP_RUN_CONTAINERD },
	{ &hd_rule_host_audit_var_lib_docker, HD_AP_DATA_ROOT },
	{ &hd_rule_host_audit_etc_docker, HD_AP_ETC_DOCKER },
	{ &hd_rule_host_audit_docker_service, HD_AP_DOCKER_SERVICE },
	{ &hd_rule_host_audit_containerd_sock, HD_AP_CONTAINERD_SOCK },
	{ &hd_rule_host_audit_docker_socket, HD_AP_DOCKER_SOCKET },
	{ &hd_rule_host_audit_etc_default_docker, HD_AP_ETC_DEFAULT },
	{ &hd_rule_host_audit_daemon_json, HD_AP_DAEMON_JSON },
	{ &hd_rule_host_audit_containerd_config, HD_AP_CONTAINERD_CONFIG },
	{ &hd_rule_host_audit_etc_sysconfig_docker, HD_AP_SYSCONFIG },
	{ &hd_rule_host_audit_containerd, HD_AP_CONTAINERD },
	{ &hd_rule_host_audit_containerd_shim, HD_AP_CONTAINERD_SHIM },
	{ &hd_rule_host_audit_shim_runc_v1, HD_AP_SHIM_RUNC_V1 },
	{ &hd_rule_host_audit_shim_runc_v2, HD_AP_SHIM_RUNC_V2 },
	{ &hd_rule_host_audit_runc, HD_AP_RUNC },
};

static bool rule_covers(const struct hd_audit_rule *a, const char *path, const char *canon)
{
	const char *rp = a->canon ? a->canon : a->path;
	size_t n = strlen(rp);

	if (!strcmp(rp, canon) || !strcmp(a->path, path) || !strcmp(rp, path))
		return true;
	if (!a->dir)
		return false;
	if (n == 1 && rp[0] == '/')
		return true;
	return (!strncmp(canon, rp, n) && canon[n] == '/') || (!strncmp(path, a->path, strlen(a->path)) &&
							       path[strlen(a->path)] == '/');
}

static bool perms_ok(const struct hd_audit_rule *a)
{
	return strchr(a->perms, 'w') && strchr(a->perms, 'a');
}

static int audit_one(const struct hd_host_facts *h, const struct hd_rule *r, const struct hd_file_fact *f,
		     struct hd_check *out)
{
	const char *canon = f->canon ? f->canon : f->path;
	const struct hd_audit_rule *in_file = NULL, *live = NULL, *weak = NULL;
	struct hd_loc loc = { 0 };
	size_t i;

	for (i = 0; i < h->audit_rules.n; i++) {
		const struct hd_audit_rule *a = &h->audit_rules.v[i];

		if (!rule_covers(a, f->path, canon))
			continue;
		if (!perms_ok(a)) {
			if (!weak)
				weak = a;
			continue;
		}
		if (a->live && !live)
			live = a;
		if (!a->live && !in_file)
			in_file = a;
	}
	if (h->have_live_audit ? live != NULL : in_file != NULL)
		return 0;
	if (h->have_live_audit && in_file) {
		loc.file = in_file->file;
		loc.line = in_file->line;
		return hd_report(out, &loc,
				       "the watch on %s is in %s but not loaded in the kernel (auditctl "
				       "-l does not list it); run `augenrules --load`", f->path, in_file->file);
	}
	if (weak) {
		loc.file = weak->file;
		loc.line = weak->line;
		return hd_report(out, &loc,
				       "the watch covering %s only records '-p %s': writes and attribute "
				       "changes need '-p wa'", f->path, weak->perms);
	}
	loc.file = f->path;
	return hd_report(out, &loc, "%s is not watched by auditd%s; add `-w %s -p wa -k "
			       "docker`", f->path,
			       h->audit_files.n || h->have_live_audit ? "" : " (no audit rules found)",
			       f->path);
}

static int check_audit(const struct hd_model *m, const struct hd_rule *r, struct hd_check *out)
{
	const struct hd_host_facts *h = m->host;
	const struct hd_file_list *l = NULL;
	bool any = false;
	size_t i;
	int rc;

	for (i = 0; i < HD_ARRAY_SIZE(audit_checks); i++) {
		if (audit_checks[i].rule == r)
			l = &h->apaths[audit_checks[i].path];
	}
	if (!l)
		return hd_not_applicable(out, "no path is known for this check");
	for (i = 0; i < l->n; i++) {
		if (l->v[i].type == HD_FT_MISSING)
			continue;
		any = true;
		rc = audit_one(h, r, &l->v[i], out);
		if (rc < 0)
			return rc;
	}
	return any ? 0 : hd_not_applicable_files(out, "not present on this host", l);
}

/* ------------------------------------------------------------------ */
/* 1.2.1 / 1.2.2 Known container escapes by version. */

struct range {
	const char *from; /* first affected, inclusive ("0" = any) */
	const char *to;   /* first fixed, exclusive */
};

struct cve {
	const char *id;
	const char *what;
	const char *source;
	enum hd_severity sev;
	struct range ranges[8];
};

/*
 * Kernel vulnerabilities used to escape containers, with the first fixed
 * version of each stable branch.  Sources: the NVD entries and the kernel's
 * stable release notes.
 */
static const struct cve kernel_cves[] = {
	{ "CVE-2016-5195", "Dirty COW: write to read-only memory mappings, container escape",
	  "https://nvd.nist.gov/vuln/detail/CVE-2016-5195", HD_SEV_HIGH,
	  { { "2.6.22", "4.4.26" }, { "4.5", "4.7.9" }, { "4.8", "4.8.3" } } },
	{ "CVE-2022-0185", "fsconfig heap overflow, container escape from an unprivileged user namespace",
	  "https://nvd.nist.gov/vuln/detail/CVE-2022-0185", HD_SEV_HIGH,
	  { { "5.1", "5.4.173" }, { "5.5", "5.10.93" }, { "5.11", "5.15.16" }, { "5.16", "5.16.2" } } },
	{ "CVE-2022-0847", "Dirty Pipe: overwrite of read-only files, including the host's through "
	  "image layers", "https://nvd.nist.gov/vuln/detail/CVE-2022-0847", HD_SEV_HIGH,
	  { { "5.8", "5.10.102" }, { "5.11", "5.15.25" }, { "5.16", "5.16.11" } } },
	{ "CVE-2024-1086", "nf_tables use-after-free, local root and container escape",
	  "https://nvd.nist.gov/vuln/detail/CVE-2024-1086", HD_SEV_HIGH,
	  { { "5.10", "5.10.209" }, { "5.11", "5.15.149" }, { "5.16", "6.1.76" }, { "6.2", "6.6.15" },
	    { "6.7", "6.7.3" } } },
};

/* Engine, containerd and runc; component 0, 1, 2. */
struct ccve {
	int component;
	struct cve c;
};

static const struct ccve component_cves[] = {
	{ 0, { "CVE-2019-14271", "docker cp loads libraries from the container: root on the host",
	       "https://nvd.nist.gov/vuln/detail/CVE-2019-14271", HD_SEV_CRITICAL,
	       { { "19.03.0", "19.03.1" } } } },
	{ 0, { "CVE-2021-41091", "data-root directories traversable by local users, who can run "
	       "setuid programs of containers", "https://github.com/moby/moby/security/advisories/"
	       "GHSA-3fwx-pjgw-3558", HD_SEV_MEDIUM, { { "0", "20.10.9" } } } },
	{ 0, { "CVE-2024-41110", "authorization plugins bypassed with an empty-body request (matters "
	       "when authorization-plugins are used)", "https://github.com/moby/moby/security/"
	       "advisories/GHSA-v23v-6jw2-98fq", HD_SEV_HIGH,
	       { { "0", "23.0.15" }, { "24.0.0", "25.0.6" }, { "26.0.0", "26.1.5" },
		 { "27.0.0", "27.1.1" } } } },
	{ 1, { "CVE-2020-15257", "containerd-shim API reachable from host-network containers: "
	       "root on the host", "https://github.com/containerd/containerd/security/advisories/"
	       "GHSA-36xw-fx78-c5r4", HD_SEV_HIGH, { { "0", "1.3.9" }, { "1.4.0", "1.4.3" } } } },
	{ 1, { "CVE-2021-41103", "container root directories traversable by local users",
	       "https://github.com/containerd/containerd/security/advisories/GHSA-c2h3-6mxw-7mvq",
	       HD_SEV_MEDIUM, { { "0", "1.4.11" }, { "1.5.0", "1.5.7" } } } },
	{ 2, { "CVE-2019-5736", "a container overwrites the host's runc binary: root on the host",
	       "https://nvd.nist.gov/vuln/detail/CVE-2019-5736", HD_SEV_CRITICAL,
	       { { "0", "1.0.0-rc7" } } } },
	{ 2, { "CVE-2021-30465", "symlink-exchange race in mounts: container escape",
	       "https://github.com/opencontainers/runc/security/advisories/GHSA-c3xm-pvg7-gh7r",
	       HD_SEV_HIGH, { { "0", "1.0.0-rc95" } } } },
	{ 2, { "CVE-2024-21626", "leaked host file descriptor (\"Leaky Vessels\"): container escape",
	       "https://github.com/opencontainers/runc/security/advisories/GHSA-xr7r-f8xq-vfvv",
	       HD_SEV_HIGH, { { "1.0.0-rc93", "1.1.12" } } } },
	{ 2, { "CVE-2025-31133", "masked-path race (with CVE-2025-52565 and CVE-2025-52881): "
	       "container escape", "https://github.com/opencontainers/runc/security/advisories",
	       HD_SEV_HIGH, { { "0", "1.2.8" }, { "1.3.0", "1.3.3" }, { "1.4.0-rc1", "1.4.0-rc3" } } } },
};

static bool affected(const struct cve *c, const char *v)
{
	size_t i;

	for (i = 0; i < HD_ARRAY_SIZE(c->ranges) && c->ranges[i].to; i++) {
		if (hd_version_cmp(v, c->ranges[i].from) >= 0 && hd_version_cmp(v, c->ranges[i].to) < 0)
			return true;
	}
	return false;
}

static const char *fixed_in(const struct cve *c, const char *v)
{
	size_t i;

	for (i = 0; i < HD_ARRAY_SIZE(c->ranges) && c->ranges[i].to; i++) {
		if (hd_version_cmp(v, c->ranges[i].from) >= 0 && hd_version_cmp(v, c->ranges[i].to) < 0)
			return c->ranges[i].to;
	}
	return "?";
}

static int cve_finding(struct hd_check *out, const struct hd_rule *r, const char *name,
		       const struct hd_version_fact *v, const struct cve *c)
{
	struct hd_loc loc = { 0 };
	int rc;

	if (hd_strlist_has(&v->fixed_cves, c->id))
		return 0; /* the package's changelog names the fix */
	loc.file = v->source;
	loc.field = name;
	rc = hd_report_sev(out, c->sev, &loc, "%s %s (%s) is affected by %s, %s; fixed in %s [%s]%s",
			     name, v->version, v->raw, c->id, c->what, fixed_in(c, v->version),
			     c->source, v->package ? "; the package's changelog does not name "
			     "this CVE as fixed" : "");
	return rc;
}

static int check_kernel(const struct hd_model *m, const struct hd_rule *r, struct hd_check *out)
{
	const struct hd_host_facts *h = m->host;
	const struct hd_version_fact *k = &h->kernel;
	struct hd_loc loc = { 0 };
	size_t i;
	int rc;

	if (!k->version)
		return hd_not_applicable(out, "the kernel version is unknown (no proc/sys/kernel/osrelease "
					 "or proc/version)");
	loc.file = k->source;
	loc.field = "kernel";
	if (hd_version_cmp(k->version, "3.10") < 0)
		return hd_report(out, &loc, "kernel %s is older than 3.10, the oldest Docker "
				       "supports", k->raw);
	if (!k->exact)
		return hd_report(out, &loc,
				       "kernel %s is a distribution kernel whose release name does not "
				       "show its patch level; check it against your distribution's "
				       "advisories for container escapes (CVE-2022-0847, CVE-2024-1086)",
				       k->raw);
	for (i = 0; i < HD_ARRAY_SIZE(kernel_cves); i++) {
		if (!affected(&kernel_cves[i], k->version))
			continue;
		rc = cve_finding(out, r, "kernel", k, &kernel_cves[i]);
		if (rc < 0)
			return rc;
	}
	return 0;
}

const struct hd_rule hd_rule_host_kernel_version = {
	.id = "host/kernel-version",
	.title = "The kernel is supported and has no known container escape",
	.severity = HD_SEV_INFO,
	.target = HD_TARGET_HOST,
	.cis = "1.2.1",
	.owasp = "D02",
	.rationale = "Containers share the host's kernel: a kernel bug reachable through system "
		"calls is a way out of every container. hardock compares the kernel's upstream "
		"version (from the Debian package or /proc/version when the release name hides it) "
		"with a small table of escapes (Dirty COW, Dirty Pipe, CVE-2022-0185, CVE-2024-1086) "
		"and skips CVEs the package's changelog names as fixed. A distribution kernel whose "
		"patch level cannot be known is reported as information.",
	.remediation = "Install the distribution's current kernel and reboot into it.",
	.bad_example = "kernel 5.10.90",
	.good_example = "kernel 6.1.76",
	.check = check_kernel,
};

static int check_runtime_cves(const struct hd_model *m, const struct hd_rule *r,
			      struct hd_check *out)
{
	const struct hd_host_facts *h = m->host;
	const struct hd_version_fact *v[3] = { &h->engine, &h->containerd, &h->runc };
	static const char *const names[3] = { "Docker Engine", "containerd", "runc" };
	size_t i;
	int rc;

	if (!h->engine.version && !h->containerd.version && !h->runc.version)
		return hd_not_applicable(out, "no engine, containerd or runc version is known: %s",
					 h->live ? "their binaries record none in their Go build information "
					 "and no installed package names one" : "no Go build information in the "
					 "binaries under the root and no dpkg status names one");
	for (i = 0; i < HD_ARRAY_SIZE(component_cves); i++) {
		const struct ccve *c = &component_cves[i];
		const struct hd_version_fact *f = v[c->component];

		if (!f->version || !affected(&c->c, f->version))
			continue;
		rc = cve_finding(out, r, names[c->component], f, &c->c);
		if (rc < 0)
			return rc;
	}
	return 0;
}

const struct hd_rule hd_rule_host_runtime_cves = {
	.id = "host/runtime-cves",
	.title = "Docker Engine, containerd and runc have no known container escape",
	.severity = HD_SEV_HIGH,
	.target = HD_TARGET_HOST,
	.cis = "1.2.2",
	.owasp = "D02",
	.other = "docker-bench:1.2.2",
	.rationale = "Escapes through the runtime itself (runc CVE-2019-5736 and CVE-2024-21626, "
		"containerd CVE-2020-15257, docker cp CVE-2019-14271) defeat every other control. "
		"hardock compares the installed versions (from the binaries when live, from dpkg "
		"offline) with a small shipped table, each entry with its advisory; a Debian "
		"package whose changelog names the CVE carries the fix and is not reported.",
	.remediation = "Upgrade docker, containerd and runc to the fixed versions named (or the "
		"distribution's update carrying the fix), then restart dockerd and containerd.",
	.bad_example = "runc 1.1.5 without the fix for CVE-2024-21626",
	.good_example = "runc 1.1.12",
	.check = check_runtime_cves,
};

/* ------------------------------------------------------------------ */
/* 4.5 DOCKER_CONTENT_TRUST. */

static int check_content_trust(const struct hd_model *m, const struct hd_rule *r,
			       struct hd_check *out)
{
	const struct hd_host_facts *h = m->host;
	struct hd_loc loc = { 0 };

	if (h->content_trust == HD_TRI_ON)
		return 0;
	if (h->content_trust == HD_TRI_OFF) {
		loc.file = h->content_trust_file;
		loc.line = h->content_trust_line;
		loc.field = "DOCKER_CONTENT_TRUST";
		return hd_report(out, &loc,
				       "DOCKER_CONTENT_TRUST=%s turns content trust off for users' "
				       "docker commands", h->content_trust_value);
	}
	loc.file = "/etc/environment";
	loc.field = "DOCKER_CONTENT_TRUST";
	return hd_report(out, &loc,
			       "DOCKER_CONTENT_TRUST is not set in /etc/environment or /etc/profile.d: "
			       "docker pull, build and run accept unsigned images");
}

const struct hd_rule hd_rule_host_content_trust = {
	.id = "host/content-trust",
	.title = "Enable content trust for Docker",
	.severity = HD_SEV_LOW,
	.target = HD_TARGET_HOST,
	.cis = "4.5",
	.owasp = "D08",
	.other = "docker-bench:4.5",
	.rationale = "With DOCKER_CONTENT_TRUST=1 the docker client only pulls, builds from and runs "
		"signed image tags, so a tampered registry or tag cannot slip an image in. Set for "
		"everyone in /etc/environment or /etc/profile.d, it does not depend on each shell.",
	.remediation = "Add `DOCKER_CONTENT_TRUST=1` to /etc/environment (or `export "
		"DOCKER_CONTENT_TRUST=1` in /etc/profile.d/docker.sh). Pull unsigned images "
		"deliberately with --disable-content-trust.",
	.bad_example = "DOCKER_CONTENT_TRUST=0",
	.good_example = "DOCKER_CONTENT_TRUST=1",
	.check = check_content_trust,
};
