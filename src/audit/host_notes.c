/*
 * Why a host or daemon check did not apply, said precisely: the paths that
 * were looked for, the missing mount table, the daemon not listening on
 * TCP.  The rules only answer "not applicable"; the facts here say why.
 */
#include "core/common.h"
#include "core/buf.h"
#include "audit/audit.h"
#include "audit/host_read.h"

static const struct { const char *prefix; enum hd_apath path; } audit_paths[] = {
	{ "host/audit-dockerd", HD_AP_DOCKERD },
	{ "host/audit-run-containerd", HD_AP_RUN_CONTAINERD },
	{ "host/audit-var-lib-docker", HD_AP_DATA_ROOT },
	{ "host/audit-etc-docker", HD_AP_ETC_DOCKER },
	{ "host/audit-docker-service", HD_AP_DOCKER_SERVICE },
	{ "host/audit-containerd-sock", HD_AP_CONTAINERD_SOCK },
	{ "host/audit-docker-socket", HD_AP_DOCKER_SOCKET },
	{ "host/audit-etc-default-docker", HD_AP_ETC_DEFAULT },
	{ "host/audit-daemon-json", HD_AP_DAEMON_JSON },
	{ "host/audit-containerd-config", HD_AP_CONTAINERD_CONFIG },
	{ "host/audit-etc-sysconfig-docker", HD_AP_SYSCONFIG },
	{ "host/audit-containerd", HD_AP_CONTAINERD },
	{ "host/audit-containerd-shim", HD_AP_CONTAINERD_SHIM },
	{ "host/audit-containerd-shim-runc-v1", HD_AP_SHIM_RUNC_V1 },
	{ "host/audit-containerd-shim-runc-v2", HD_AP_SHIM_RUNC_V2 },
	{ "host/audit-runc", HD_AP_RUNC },
};

static const struct { const char *id; enum hd_dfile file; } daemon_files[] = {
	{ "daemon/file-docker-service-", HD_DF_DOCKER_SERVICE },
	{ "daemon/file-docker-socket-", HD_DF_DOCKER_SOCKET },
	{ "daemon/file-etc-docker-", HD_DF_ETC_DOCKER },
	{ "daemon/file-certs-d-", HD_DF_CERTS_D },
	{ "daemon/file-ca-cert-", HD_DF_TLS_CA },
	{ "daemon/file-server-cert-", HD_DF_TLS_CERT },
	{ "daemon/file-server-key-", HD_DF_TLS_KEY },
	{ "daemon/file-docker-sock-", HD_DF_DOCKER_SOCK },
	{ "daemon/file-daemon-json-", HD_DF_DAEMON_JSON },
	{ "daemon/file-etc-default-", HD_DF_ETC_DEFAULT },
	{ "daemon/file-sysconfig-", HD_DF_SYSCONFIG },
	{ "daemon/file-containerd-sock-", HD_DF_CONTAINERD_SOCK },
};

/* "no such file: /a, /b" for a list of paths looked for. */
static char *absent(const char *what, const struct hd_file_list *l)
{
	struct hd_buf b = HD_BUF_INIT(4096);
	size_t i;

	if (hd_buf_addstr(&b, what) < 0)
		return NULL;
	for (i = 0; i < l->n; i++) {
		if (hd_buf_addf(&b, "%s%s", i ? ", " : ": ", l->v[i].path) < 0)
			break;
	}
	return hd_buf_detach(&b, NULL);
}

static char *reason(const struct hd_rule *r, const struct hd_daemon_spec *d, const struct hd_host_facts *h)
{
	const char *id = r->id;
	size_t i;

	if (h) {
		for (i = 0; i < HD_ARRAY_SIZE(audit_paths); i++) {
			if (!strcmp(id, audit_paths[i].prefix))
				return absent("not present on this host", &h->apaths[audit_paths[i].path]);
		}
		if (!strcmp(id, "host/separate-partition"))
			return hd_asprintf("no mount table under %s (give a copy of /proc/self/mountinfo as "
					   "%s/proc/self/mountinfo)", h->root, h->live ? "" : h->root);
		if (!strcmp(id, "host/docker-group"))
			return hd_asprintf("no /etc/group under %s", h->root);
		if (!strcmp(id, "host/kernel-version"))
			return hd_strdup("the kernel version is unknown (no proc/sys/kernel/osrelease or "
					 "proc/version)");
		if (!strcmp(id, "host/runtime-cves"))
			return hd_strdup("no engine, containerd or runc version is known (no dpkg status, "
					 "binaries not run)");
	}
	if (d) {
		for (i = 0; i < HD_ARRAY_SIZE(daemon_files); i++) {
			if (hd_starts_with(id, daemon_files[i].id)) {
				if (!d->files[daemon_files[i].file].n)
					return hd_strdup("the configuration names no such file (TLS is off)");
				return absent("no such file", &d->files[daemon_files[i].file]);
			}
		}
		if (hd_starts_with(id, "daemon/tls-")) {
			if (!hd_daemon_listens_tcp(d))
				return hd_strdup("dockerd does not listen on TCP");
			if (!hd_daemon_bool(d, HD_DOPT_TLS, false) && !hd_daemon_bool(d, HD_DOPT_TLSVERIFY, false))
				return hd_strdup("TLS is off, so there are no certificates to judge (see "
						 "daemon/tls-auth)");
			return hd_strdup("no certificate of the daemon could be read");
		}
		if (!strcmp(id, "daemon/icc"))
			return hd_strdup("the default bridge is disabled (bridge: none)");
		if (!strcmp(id, "daemon/live-restore"))
			return hd_asprintf("this node is in a swarm (%s), where live-restore does not apply",
					   d->swarm_evidence ? d->swarm_evidence : "swarm state");
	}
	return NULL;
}

int hd_host_refine_notes(struct hd_checks *checks, size_t from, const struct hd_daemon_spec *d,
			 const struct hd_host_facts *h)
{
	size_t i;

	for (i = from; i < checks->n; i++) {
		struct hd_check_result *x = &checks->v[i];
		char *why;

		if (x->status != HD_CHECK_NOTE)
			continue;
		if (!hd_starts_with(x->rule->id, "host/") && !hd_starts_with(x->rule->id, "daemon/"))
			continue;
		why = reason(x->rule, d, h);
		if (!why)
			continue;
		hd_free((char *)x->note);
		x->note = why;
	}
	return 0;
}
