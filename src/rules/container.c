/*
 * Container rules: what the CIS Docker Benchmark (section 5), the OWASP
 * Docker Top 10 and the peers (checkov, kube-linter, dockle) say about how a
 * container is run, written once against container_spec.  The same checks
 * judge a compose service, a `docker run` line in a script, a live container
 * and a create request at the authorization plugin.
 *
 * Each rule is a pure function of the spec and the run's config.  A setting
 * that holds a variable (spec `unknown`) is never judged; a setting that is
 * absent while opaque arguments ("$DOCKER_OPTS") might set it is reported
 * with that doubt in the message.  Findings point at the origin of the
 * setting, or at the container itself when the setting is missing.
 */
#include "core/common.h"
#include "core/config.h"
#include "core/finding.h"
#include "core/rule.h"
#include "model/container.h"
#include "model/live.h"
#include "model/user.h"
#include "rules/container_int.h"
#include "rules/secrets.h"

/* ---- helpers ------------------------------------------------------------------ */

int hd_ctr_vemit(struct hd_check *out, const struct hd_container_spec *c, const struct hd_origin *o,
		 enum hd_severity sev, const char *fmt, va_list ap)
{
	char msg[HD_MAX_MESSAGE];
	struct hd_loc loc;

	if (vsnprintf(msg, sizeof(msg), fmt, ap) < 0)
		msg[0] = '\0';
	hd_origin_loc(c, o, &loc);
	return hd_report_sev(out, sev, &loc, "%s", msg);
}

int hd_ctr_emit(struct hd_check *out, const struct hd_container_spec *c, const struct hd_origin *o,
		enum hd_severity sev, const char *fmt, ...)
{
	va_list ap;
	int r;

	va_start(ap, fmt);
	r = hd_ctr_vemit(out, c, o, sev, fmt, ap);
	va_end(ap);
	return r;
}

/* hd_ctr_emit() for the checks of this file, which all have their rule at hand. */
#define emit(out, r, ...) ((void)(r), hd_ctr_emit((out), __VA_ARGS__))

/*
 * The doubt to add to a "not set" message when variables in option position
 * might set it: " (unless '$DOCKER_OPTS' sets it)".
 */
static const char *doubt(const struct hd_container_spec *c, char *buf, size_t n)
{
	int k;

	if (!c->opaque_args.n)
		return "";
	k = snprintf(buf, n, " (unless '%s' sets it)", c->opaque_args.v[0].value);
	if (k < 0 || (size_t)k >= n)
		return " (unless the variables in its options set it)";
	return buf;
}

/* "image 'nginx:1.27'", or "its image" when the container names none: for messages. */
static const char *image_said(const struct hd_container_spec *c, char *buf, size_t n)
{
	int k;

	if (!c->image.value)
		return "its image";
	k = snprintf(buf, n, "image '%s'", c->image.value);
	return k < 0 || (size_t)k >= n ? "its image" : buf;
}

/* "image 'nginx:1.27'", "the image (the variable '$IMAGE')", "the image (not named here)". */
static const char *image_phrase(const struct hd_container_spec *c, char *buf, size_t n)
{
	int k;

	if (!c->image.value)
		return "the image (not named here)";
	if (c->image.unknown)
		k = snprintf(buf, n, "the image (the variable '%s')", c->image.value);
	else
		k = snprintf(buf, n, "image '%s'", c->image.value);
	return k < 0 ? "the image" : buf;
}

/*
 * True when user names root as dockerd reads it (model/user.h: "root", "0",
 * "-0", "+0:wheel", "root:x"); "", ":grp" and NULL leave the user part empty,
 * which is root too.
 */
static bool user_is_root(const char *u)
{
	if (!u || !u[strspn(u, " \t")] || u[strspn(u, " \t")] == ':')
		return true;
	return hd_user_kind(u) == HD_USER_ROOT;
}

static bool is_host_ip_all(const char *ip)
{
	return !ip || !*ip || strcmp(ip, "0.0.0.0") == 0 || strcmp(ip, "::") == 0 ||
	       strcmp(ip, "[::]") == 0;
}

static bool range_has(uint32_t lo, uint32_t hi, uint32_t port)
{
	return lo && port >= lo && port <= (hi ? hi : lo);
}

static const char *proto_name(enum hd_proto p)
{
	return p == HD_PROTO_UDP ? "udp" : p == HD_PROTO_SCTP ? "sctp" : "tcp";
}

/* "8080" or "8000-8010"; "a random port" for 0. */
static const char *port_text(uint32_t lo, uint32_t hi, char *buf, size_t n)
{
	int k;

	if (!lo)
		return "a random port";
	if (hi && hi != lo)
		k = snprintf(buf, n, "%" PRIu32 "-%" PRIu32, lo, hi);
	else
		k = snprintf(buf, n, "%" PRIu32, lo);
	return k < 0 ? "?" : buf;
}

#define GOOD_RUN(extra) HD_CTR_GOOD_RUN(extra)

/* ---- privileges ------------------------------------------------------------------ */

static int check_privileged(const struct hd_model *m, const struct hd_rule *r, struct hd_check *out)
{
	const struct hd_container_spec *c = m->ctr;

	if (!c->privileged.set || !c->privileged.value || c->privileged.unknown)
		return 0;
	return emit(out, r, c, &c->privileged.at, HD_SEV_NONE,
		    "container '%s' runs privileged: every capability, every host device and no "
		    "seccomp, AppArmor or SELinux confinement, which is root on the host",
		    c->name);
}

const struct hd_rule hd_rule_container_privileged = {
	.id = "container/privileged",
	.title = "Do not run privileged containers",
	.severity = HD_SEV_CRITICAL,
	.target = HD_TARGET_CONTAINER,
	.cis = "5.5",
	.owasp = "D04",
	.other = "checkov:CKV_K8S_16 kube-linter:privileged-container",
	.rationale = "A privileged container gets all capabilities, all host devices and no seccomp, "
		     "AppArmor or SELinux confinement. Its root can mount the host's disks, load kernel "
		     "modules and escape in one command, so it is root on the host.",
	.remediation = "Remove --privileged (compose: `privileged: true`) and grant only what the "
		       "workload needs: a single capability with `--cap-add NET_BIND_SERVICE`, a single "
		       "device with `--device /dev/ttyUSB0`.",
	.bad_example = "docker run --privileged nginx",
	.good_example = GOOD_RUN(""),
	.check = check_privileged,
};


/* Capabilities worth a finding when added, with what they allow. */
static const struct {
	const char *name;
	enum hd_severity sev;
	const char *why;
} dangerous_caps[] = {
	{ "ALL", HD_SEV_CRITICAL, "gets every capability, as good as --privileged" },
	{ "AUDIT_CONTROL", HD_SEV_MEDIUM, "changes the host's audit rules" },
	{ "BPF", HD_SEV_HIGH, "loads eBPF programs into the host kernel" },
	{ "CHECKPOINT_RESTORE", HD_SEV_MEDIUM, "checkpoints and restores other processes" },
	{ "DAC_READ_SEARCH", HD_SEV_CRITICAL, "opens host files by handle (the 'shocker' escape)" },
	{ "IPC_OWNER", HD_SEV_MEDIUM, "bypasses permission checks on IPC objects" },
	{ "LINUX_IMMUTABLE", HD_SEV_MEDIUM, "changes immutable and append-only file flags" },
	{ "MAC_ADMIN", HD_SEV_HIGH, "reconfigures the host's AppArmor or SELinux policy" },
	{ "MAC_OVERRIDE", HD_SEV_HIGH, "overrides mandatory access control" },
	{ "NET_ADMIN", HD_SEV_HIGH, "reconfigures interfaces, routes and firewall rules" },
	{ "PERFMON", HD_SEV_MEDIUM, "uses perf events to observe the host kernel" },
	{ "SYSLOG", HD_SEV_MEDIUM, "reads kernel addresses from the kernel log" },
	{ "SYS_ADMIN", HD_SEV_CRITICAL, "mounts filesystems and much more (the usual escape path)" },
	{ "SYS_BOOT", HD_SEV_HIGH, "reboots the host" },
	{ "SYS_MODULE", HD_SEV_CRITICAL, "loads kernel modules into the host kernel" },
	{ "SYS_PTRACE", HD_SEV_HIGH, "traces processes and reads their memory" },
	{ "SYS_RAWIO", HD_SEV_CRITICAL, "raw I/O on ports and memory of the host" },
	{ "SYS_RESOURCE", HD_SEV_MEDIUM, "overrides resource limits" },
	{ "SYS_TIME", HD_SEV_MEDIUM, "sets the host's clock" },
	{ "WAKE_ALARM", HD_SEV_LOW, "sets wake-up alarms on the host" },
};

static int check_dangerous_capability(const struct hd_model *m, const struct hd_rule *r,
				      struct hd_check *out)
{
	const struct hd_container_spec *c = m->ctr;
	size_t i, k;
	int ret;

	for (i = 0; i < c->cap_add.n; i++) {
		const struct hd_item *x = &c->cap_add.v[i];

		for (k = 0; k < HD_ARRAY_SIZE(dangerous_caps); k++) {
			if (strcasecmp(x->value, dangerous_caps[k].name) != 0)
				continue;
			ret = emit(out, r, c, &x->at, dangerous_caps[k].sev,
				   "capability %s is added to container '%s': it %s", dangerous_caps[k].name,
				   c->name, dangerous_caps[k].why);
			if (ret < 0)
				return ret;
		}
	}
	return 0;
}

const struct hd_rule hd_rule_container_dangerous_capability = {
	.id = "container/dangerous-capability",
	.title = "Do not add dangerous Linux capabilities",
	.severity = HD_SEV_HIGH,
	.target = HD_TARGET_CONTAINER,
	.cis = "5.4",
	.owasp = "D04",
	.other = "checkov:CKV_K8S_25 checkov:CKV_K8S_39",
	.rationale = "Capabilities split root's power. SYS_ADMIN, SYS_MODULE, SYS_RAWIO, "
		     "DAC_READ_SEARCH and ALL each give a known path out of the container; NET_ADMIN, "
		     "SYS_PTRACE, BPF and the MAC ones weaken the host's isolation. The finding's "
		     "severity follows the capability.",
	.remediation = "Remove the capability, or replace it by the narrow one the program needs "
		       "(NET_BIND_SERVICE to bind port 80, not NET_ADMIN); start from "
		       "`--cap-drop ALL` (compose: `cap_drop: [ALL]`).",
	.bad_example = "docker run --cap-add SYS_ADMIN nginx",
	.good_example = GOOD_RUN(""),
	.check = check_dangerous_capability,
};

static int check_cap_drop_all(const struct hd_model *m, const struct hd_rule *r, struct hd_check *out)
{
	const struct hd_container_spec *c = m->ctr;
	char buf[160];

	if (hd_items_has(&c->cap_drop, "ALL") || (c->privileged.set && c->privileged.value))
		return 0;
	return emit(out, r, c, NULL, HD_SEV_NONE,
		    "container '%s' keeps Docker's default capabilities (CHOWN, DAC_OVERRIDE, FOWNER, "
		    "NET_RAW, SETUID, SETGID, ...): drop all and add back only what it needs%s",
		    c->name, doubt(c, buf, sizeof(buf)));
}

const struct hd_rule hd_rule_container_cap_drop_all = {
	.id = "container/cap-drop-all",
	.title = "Drop all capabilities, then add back only the needed ones",
	.severity = HD_SEV_MEDIUM,
	.target = HD_TARGET_CONTAINER,
	.cis = "5.4",
	.owasp = "D04",
	.other = "checkov:CKV_K8S_37 checkov:CKV_K8S_28 kube-linter:drop-net-raw-capability",
	.rationale = "Docker's default set still holds 14 capabilities, among them NET_RAW (packet "
		     "spoofing on the bridge), DAC_OVERRIDE and SETUID. Most services need none or one.",
	.remediation = "`docker run --cap-drop ALL --cap-add NET_BIND_SERVICE ...`; compose: "
		       "`cap_drop: [ALL]` and `cap_add: [NET_BIND_SERVICE]`.",
	.bad_example = "docker run --read-only nginx",
	.good_example = GOOD_RUN(""),
	.check = check_cap_drop_all,
};

static int check_no_new_privileges(const struct hd_model *m, const struct hd_rule *r,
				   struct hd_check *out)
{
	const struct hd_container_spec *c = m->ctr;
	const struct hd_item *x;
	const char *v = NULL;
	bool on;
	char buf[160];

	x = hd_security_opt_find(c, "no-new-privileges", NULL, &v);
	if (x) {
		if (strchr(v, '$'))
			return 0;
		on = strcasecmp(v, "true") == 0 || strcmp(v, "1") == 0 || *v == '\0';
		if (on)
			return 0;
		return emit(out, r, c, &x->at, HD_SEV_NONE,
			    "no-new-privileges is explicitly off for container '%s': setuid binaries "
			    "in it can still raise privileges", c->name);
	}
	if (c->privileged.set && c->privileged.value)
		return 0;
	return emit(out, r, c, NULL, HD_SEV_NONE,
		    "container '%s' does not set no-new-privileges: setuid and setcap binaries in it "
		    "can raise privileges%s", c->name, doubt(c, buf, sizeof(buf)));
}

const struct hd_rule hd_rule_container_no_new_privileges = {
	.id = "container/no-new-privileges",
	.title = "Stop the container from gaining new privileges",
	.severity = HD_SEV_MEDIUM,
	.target = HD_TARGET_CONTAINER,
	.cis = "5.26",
	.owasp = "D04",
	.other = "checkov:CKV_K8S_20 kube-linter:privilege-escalation-container",
	.rationale = "With no_new_privs set, execve() cannot grant more privileges than the caller "
		     "had: setuid-root binaries such as su, sudo or a planted one stop working as an "
		     "escalation path. It costs nothing for a service. Setting it daemon-wide "
		     "(`\"no-new-privileges\": true` in daemon.json) also covers this container.",
	.remediation = "`docker run --security-opt no-new-privileges ...`; compose: `security_opt: "
		       "[\"no-new-privileges:true\"]`.",
	.bad_example = "docker run --cap-drop ALL nginx",
	.good_example = GOOD_RUN(""),
	.check = check_no_new_privileges,
};

static int check_seccomp_unconfined(const struct hd_model *m, const struct hd_rule *r,
				    struct hd_check *out)
{
	const struct hd_container_spec *c = m->ctr;
	const char *v = NULL;
	const struct hd_item *x = hd_security_opt_find(c, "seccomp", NULL, &v);

	/* The last seccomp option is the one the engine applies. */
	if (!x || strcasecmp(v, "unconfined") != 0)
		return 0;
	return emit(out, r, c, &x->at, HD_SEV_NONE,
		    "container '%s' runs without a seccomp profile (seccomp=unconfined): all ~300 "
		    "syscalls, including keyctl, bpf and unshare, reach the host kernel", c->name);
}

const struct hd_rule hd_rule_container_seccomp_unconfined = {
	.id = "container/seccomp-unconfined",
	.title = "Keep the default seccomp profile",
	.severity = HD_SEV_HIGH,
	.target = HD_TARGET_CONTAINER,
	.cis = "5.22",
	.owasp = "D04",
	.other = "checkov:CKV_K8S_31",
	.rationale = "Docker's default seccomp profile blocks about 44 syscalls that containers do "
		     "not need and that many kernel exploits use. Unconfined removes that layer.",
	.remediation = "Remove `--security-opt seccomp=unconfined`; if one syscall is missing, copy "
		       "the default profile, allow just that syscall and pass it with "
		       "`--security-opt seccomp=/etc/docker/seccomp/app.json`.",
	.bad_example = "docker run --security-opt seccomp=unconfined nginx",
	.good_example = GOOD_RUN(""),
	.check = check_seccomp_unconfined,
};

static int check_apparmor_unconfined(const struct hd_model *m, const struct hd_rule *r,
				     struct hd_check *out)
{
	const struct hd_container_spec *c = m->ctr;
	const char *v = NULL;
	const struct hd_item *x = hd_security_opt_find(c, "apparmor", NULL, &v);

	bool no_host = c->live && c->live->host_known && !c->live->host_apparmor;

	/*
	 * An explicit apparmor=unconfined is what the user asked for: reported
	 * whatever the host.  Only the absence of a profile depends on the host.
	 */
	if (x && strcasecmp(v, "unconfined") == 0)
		return emit(out, r, c, &x->at, HD_SEV_NONE,
			    "container '%s' asks to run without AppArmor (apparmor=unconfined): the "
			    "docker-default profile's limits on mount, /proc and /sys writes are gone%s",
			    c->name, no_host ? " (this engine's host does not use AppArmor today; the "
					       "setting takes effect on any host that does)" : "");
	if (no_host)
		return hd_not_applicable(out, "the engine's host does not use AppArmor");
	return 0;
}

const struct hd_rule hd_rule_container_apparmor_unconfined = {
	.id = "container/apparmor-unconfined",
	.title = "Keep an AppArmor profile on the container",
	.severity = HD_SEV_HIGH,
	.target = HD_TARGET_CONTAINER,
	.cis = "5.2",
	.owasp = "D04",
	.rationale = "On AppArmor hosts (Debian, Ubuntu, SUSE) docker-default denies mounts, writes "
		     "to most of /proc and /sys and other escape steps. Unconfined removes it.",
	.remediation = "Remove `--security-opt apparmor=unconfined`, or give a tailored profile: "
		       "`--security-opt apparmor=docker-app` after `apparmor_parser -r -W app.profile`.",
	.bad_example = "docker run --security-opt apparmor=unconfined nginx",
	.good_example = GOOD_RUN(""),
	.check = check_apparmor_unconfined,
};

static int check_selinux_disabled(const struct hd_model *m, const struct hd_rule *r,
				  struct hd_check *out)
{
	const struct hd_container_spec *c = m->ctr;
	const struct hd_item *x = hd_security_opt_find(c, "label", "disable", NULL);

	/*
	 * Unlike apparmor=unconfined, label=disable is in a live container's
	 * options whenever dockerd adds it itself (--privileged, --pid host,
	 * --ipc host), so on a host without SELinux it says nothing the user
	 * asked for: not judged there.
	 */
	/* A live container on an engine without SELinux support: nothing to judge. */
	if (c->live && c->live->host_known && !c->live->host_selinux)
		return hd_not_applicable(out, "the engine runs without SELinux support");
	if (!x)
		return 0;
	return emit(out, r, c, &x->at, HD_SEV_NONE,
		    "container '%s' runs with SELinux labelling disabled (label=disable): on SELinux "
		    "hosts its processes are unconfined (spc_t)", c->name);
}

const struct hd_rule hd_rule_container_selinux_disabled = {
	.id = "container/selinux-disabled",
	.title = "Do not disable SELinux separation",
	.severity = HD_SEV_HIGH,
	.target = HD_TARGET_CONTAINER,
	.cis = "5.3",
	.owasp = "D04",
	.rationale = "On SELinux hosts (RHEL, Fedora) each container gets its own MCS label, which "
		     "keeps it from host files and other containers even as root. label=disable runs it "
		     "as spc_t, unconfined.",
	.remediation = "Remove `--security-opt label=disable`; relabel what the container must read "
		       "with `:z` or `:Z` on its volume instead: `-v /srv/data:/data:Z`.",
	.bad_example = "docker run --security-opt label=disable nginx",
	.good_example = GOOD_RUN(""),
	.check = check_selinux_disabled,
};

static int check_systempaths_unconfined(const struct hd_model *m, const struct hd_rule *r,
					struct hd_check *out)
{
	const struct hd_container_spec *c = m->ctr;
	const struct hd_item *x = hd_security_opt_find(c, "systempaths", "unconfined", NULL);

	if (!x)
		x = hd_security_opt_find(c, "unmask", "ALL", NULL);
	if (!x)
		return 0;
	return emit(out, r, c, &x->at, HD_SEV_NONE,
		    "container '%s' unmasks the kernel's /proc and /sys paths (%s): /proc/kcore, "
		    "/proc/sysrq-trigger and friends become reachable", c->name, x->value);
}

const struct hd_rule hd_rule_container_systempaths_unconfined = {
	.id = "container/systempaths-unconfined",
	.title = "Keep /proc and /sys system paths masked",
	.severity = HD_SEV_HIGH,
	.target = HD_TARGET_CONTAINER,
	.owasp = "D04",
	.other = "kube-linter:unsafe-proc-mount",
	.rationale = "The runtime masks /proc/kcore, /proc/keys, /proc/sysrq-trigger, /sys/firmware "
		     "and makes /proc/sys read-only. systempaths=unconfined (podman: unmask=ALL) "
		     "removes that, exposing kernel memory and host controls.",
	.remediation = "Remove `--security-opt systempaths=unconfined`; if one path is needed, "
		       "mount exactly that path read-only.",
	.bad_example = "docker run --security-opt systempaths=unconfined nginx",
	.good_example = GOOD_RUN(""),
	.check = check_systempaths_unconfined,
};

static int check_runs_as_root(const struct hd_model *m, const struct hd_rule *r, struct hd_check *out)
{
	const struct hd_container_spec *c = m->ctr;
	const struct hd_image_facts *f = &c->image_facts;
	const char *what = NULL;
	char buf[160], img[512];

	if (c->user.set && c->user.value && *c->user.value) {
		if (c->user.unknown || strchr(c->user.value, '$'))
			return 0;
		if (!user_is_root(c->user.value))
			return 0;
		return emit(out, r, c, &c->user.at, HD_SEV_HIGH,
			    "container '%s' runs as root (user '%s'): a process that breaks out of the "
			    "application is root in the container and uid 0 on the host unless user "
			    "namespaces remap it", c->name, c->user.value);
	}
	if (c->userns.set && c->userns.mode != HD_NS_HOST && c->userns.mode != HD_NS_DEFAULT)
		return 0; /* podman keep-id/auto: root inside maps to an unprivileged uid */
	if (f->known && f->user_known) {
		if (!user_is_root(f->user))
			return 0;
		return emit(out, r, c, NULL, HD_SEV_NONE,
			    "container '%s' sets no user and %s runs as root by default (%s)%s",
			    c->name, image_said(c, img, sizeof(img)), f->source ? f->source : "image config",
			    doubt(c, buf, sizeof(buf)));
	}
	/* Not inspected: a well-known image's default user (model/user.h), else the doubt, lower. */
	switch (c->image.value && !c->image.unknown ? hd_image_default_user(&c->image_ref, &what)
						    : HD_USER_UNKNOWN) {
	case HD_USER_NOT_ROOT:
		return 0;
	case HD_USER_ROOT:
		return emit(out, r, c, NULL, HD_SEV_NONE,
			    "container '%s' sets no user and %s runs as root by default (%s)%s", c->name,
			    image_said(c, img, sizeof(img)), what ? what : "a well-known image that starts as root",
			    doubt(c, buf, sizeof(buf)));
	default:
		break;
	}
	return emit(out, r, c, NULL, HD_SEV_LOW,
		    "container '%s' sets no user, and the default user of %s could not be known "
		    "(the image was not inspected): unless its USER is non-root, it runs as root%s",
		    c->name, image_phrase(c, img, sizeof(img)), doubt(c, buf, sizeof(buf)));
}

const struct hd_rule hd_rule_container_runs_as_root = {
	.id = "container/runs-as-root",
	.title = "Run the container as a non-root user",
	.severity = HD_SEV_MEDIUM,
	.target = HD_TARGET_CONTAINER,
	.cis = "4.1",
	.owasp = "D01",
	.other = "dockle:CIS-DI-0001 checkov:CKV_K8S_23 kube-linter:run-as-non-root",
	.rationale = "Processes in a container run as root unless the image's USER or the run's "
		     "user says otherwise, and without user namespaces that root is uid 0 on the host: "
		     "a kernel bug, a writable host mount or a capability becomes host root. An "
		     "explicit root user is high severity; a missing user on an image whose default "
		     "could not be checked is reported with that doubt in the message.",
	.remediation = "Give a numeric user: `docker run --user 1000:1000 ...`; compose: "
		       "`user: \"1000:1000\"`; or set `USER 1000` in the image's Dockerfile.",
	.bad_example = "docker run --user root nginx",
	.good_example = GOOD_RUN(""),
	.check = check_runs_as_root,
};

static int check_read_only(const struct hd_model *m, const struct hd_rule *r, struct hd_check *out)
{
	const struct hd_container_spec *c = m->ctr;
	char buf[160];

	if (c->read_only.unknown || (c->read_only.set && c->read_only.value))
		return 0;
	/* Only a compose file or a run line can say so explicitly; the engine always has a value. */
	if (c->read_only.set && (c->source == HD_SRC_COMPOSE || c->source == HD_SRC_RUN))
		return emit(out, r, c, &c->read_only.at, HD_SEV_NONE,
			    "container '%s' sets a writable root filesystem (read_only: false): an "
			    "attacker can change its binaries and drop tools in it", c->name);
	if (c->read_only.set)
		return emit(out, r, c, &c->read_only.at, HD_SEV_NONE,
			    "container '%s' has a writable root filesystem (the default): an attacker "
			    "can change its binaries and drop tools in it", c->name);
	return emit(out, r, c, NULL, HD_SEV_NONE,
		    "container '%s' has a writable root filesystem: an attacker can change its "
		    "binaries and drop tools in it%s", c->name, doubt(c, buf, sizeof(buf)));
}

const struct hd_rule hd_rule_container_read_only = {
	.id = "container/read-only-rootfs",
	.title = "Mount the container's root filesystem read-only",
	.severity = HD_SEV_LOW,
	.target = HD_TARGET_CONTAINER,
	.flags = HD_RULE_SERVICE,
	.cis = "5.13",
	.owasp = "D04,D09",
	.other = "checkov:CKV_K8S_22 kube-linter:no-read-only-root-fs",
	.rationale = "A read-only root filesystem keeps the container immutable: an intruder cannot "
		     "replace binaries or persist, and writes go only where a volume or tmpfs says so.",
	.remediation = "`docker run --read-only --tmpfs /tmp ...`; compose: `read_only: true` with "
		       "`tmpfs: [/tmp]` for the paths the program writes.",
	.bad_example = "docker run --cap-drop ALL nginx",
	.good_example = GOOD_RUN(""),
	.check = check_read_only,
};

/* ---- resources -------------------------------------------------------------------- */

static int check_memory_limit(const struct hd_model *m, const struct hd_rule *r, struct hd_check *out)
{
	const struct hd_container_spec *c = m->ctr;
	char buf[160];

	if (c->memory.unknown || (c->memory.set && c->memory.value > 0))
		return 0;
	if (c->memory.set)
		return emit(out, r, c, &c->memory.at, HD_SEV_NONE,
			    "container '%s' has a memory limit of 0, which means unlimited", c->name);
	return emit(out, r, c, NULL, HD_SEV_NONE,
		    "container '%s' has no memory limit: one leak or attack can exhaust the host's "
		    "memory and get other processes OOM-killed%s", c->name, doubt(c, buf, sizeof(buf)));
}

const struct hd_rule hd_rule_container_memory_limit = {
	.id = "container/no-memory-limit",
	.title = "Limit the container's memory",
	.severity = HD_SEV_MEDIUM,
	.target = HD_TARGET_CONTAINER,
	.flags = HD_RULE_SERVICE,
	.cis = "5.11",
	.owasp = "D07",
	.other = "checkov:CKV_K8S_13 kube-linter:unset-memory-requirements",
	.rationale = "Without a limit a container may use all of the host's memory; the kernel's OOM "
		     "killer then picks victims among every process on the host.",
	.remediation = "`docker run --memory 512m ...`; compose: `mem_limit: 512m` or "
		       "`deploy.resources.limits.memory: 512M`.",
	.bad_example = "docker run --cpus 1 nginx",
	.good_example = GOOD_RUN(""),
	.check = check_memory_limit,
};

static int check_cpu_limit(const struct hd_model *m, const struct hd_rule *r, struct hd_check *out)
{
	const struct hd_container_spec *c = m->ctr;
	char buf[160];

	if (c->nano_cpus.unknown || c->cpu_quota.unknown || c->cpu_shares.unknown || c->cpuset_cpus.unknown)
		return 0;
	if ((c->nano_cpus.set && c->nano_cpus.value > 0) || (c->cpu_quota.set && c->cpu_quota.value > 0) ||
	    (c->cpu_shares.set && c->cpu_shares.value > 0 && c->cpu_shares.value != 1024) ||
	    (c->cpuset_cpus.set && c->cpuset_cpus.value && *c->cpuset_cpus.value))
		return 0;
	return emit(out, r, c, c->cpu_shares.set ? &c->cpu_shares.at : NULL, HD_SEV_NONE,
		    "container '%s' has no CPU limit (cpus, cpu quota, cpuset) and default CPU shares: "
		    "it can starve the host and other containers%s", c->name, doubt(c, buf, sizeof(buf)));
}

const struct hd_rule hd_rule_container_cpu_limit = {
	.id = "container/no-cpu-limit",
	.title = "Limit the container's CPU or set its CPU shares",
	.severity = HD_SEV_LOW,
	.target = HD_TARGET_CONTAINER,
	.flags = HD_RULE_SERVICE,
	.cis = "5.12",
	.owasp = "D07",
	.other = "checkov:CKV_K8S_11 kube-linter:unset-cpu-requirements",
	.rationale = "A busy loop or a crypto miner in one container otherwise takes every core. A "
		     "limit (--cpus) caps it; shares other than the default 1024 at least weight it.",
	.remediation = "`docker run --cpus 1.5 ...`; compose: `cpus: 1.5` or "
		       "`deploy.resources.limits.cpus: \"1.5\"`.",
	.bad_example = "docker run --memory 256m nginx",
	.good_example = GOOD_RUN(""),
	.check = check_cpu_limit,
};

static int check_pids_limit(const struct hd_model *m, const struct hd_rule *r, struct hd_check *out)
{
	const struct hd_container_spec *c = m->ctr;
	char buf[160];

	if (c->pids_limit.unknown || (c->pids_limit.set && c->pids_limit.value > 0))
		return 0;
	if (c->pids_limit.set)
		return emit(out, r, c, &c->pids_limit.at, HD_SEV_NONE,
			    "container '%s' has an unlimited pids limit (%" PRId64 "): a fork bomb takes "
			    "the host's process table", c->name, c->pids_limit.value);
	return emit(out, r, c, NULL, HD_SEV_NONE,
		    "container '%s' has no pids limit: a fork bomb in it can exhaust the host's "
		    "process table%s", c->name, doubt(c, buf, sizeof(buf)));
}

const struct hd_rule hd_rule_container_pids_limit = {
	.id = "container/no-pids-limit",
	.title = "Limit the number of processes in the container",
	.severity = HD_SEV_MEDIUM,
	.target = HD_TARGET_CONTAINER,
	.flags = HD_RULE_SERVICE,
	.cis = "5.29",
	.owasp = "D07",
	.rationale = "The pids cgroup is the only defence against a fork bomb: without it one "
		     "container can fill the host's process table and stop every other service.",
	.remediation = "`docker run --pids-limit 200 ...`; compose: `pids_limit: 200` or "
		       "`deploy.resources.limits.pids: 200`.",
	.bad_example = "docker run --memory 256m nginx",
	.good_example = GOOD_RUN(""),
	.check = check_pids_limit,
};

static int check_oom_kill_disabled(const struct hd_model *m, const struct hd_rule *r,
				   struct hd_check *out)
{
	const struct hd_container_spec *c = m->ctr;

	if (!c->oom_kill_disable.set || !c->oom_kill_disable.value || c->oom_kill_disable.unknown)
		return 0;
	if (c->memory.unknown || (c->memory.set && c->memory.value > 0))
		return 0;
	return emit(out, r, c, &c->oom_kill_disable.at, HD_SEV_NONE,
		    "container '%s' disables the OOM killer without a memory limit: when the host runs "
		    "out of memory the kernel kills other processes instead, or the host hangs", c->name);
}

const struct hd_rule hd_rule_container_oom_kill_disabled = {
	.id = "container/oom-kill-disabled",
	.title = "Do not disable the OOM killer without a memory limit",
	.severity = HD_SEV_HIGH,
	.target = HD_TARGET_CONTAINER,
	.owasp = "D07",
	.rationale = "--oom-kill-disable is only safe with --memory: then the container waits at its "
		     "own limit. Without one its processes are never chosen and the host's other "
		     "processes die or the machine stalls.",
	.remediation = "Remove --oom-kill-disable, or add a limit: `docker run --memory 512m "
		       "--oom-kill-disable ...`.",
	.bad_example = "docker run --oom-kill-disable nginx",
	.good_example = GOOD_RUN(""),
	.check = check_oom_kill_disabled,
};

/* ---- namespaces -------------------------------------------------------------------- */

static int ns_host(const struct hd_container_spec *c, const struct hd_ns_setting *ns,
		   const struct hd_rule *r, struct hd_check *out, const char *what, const char *effect)
{
	if (!ns->set || ns->unknown || ns->mode != HD_NS_HOST)
		return 0;
	return emit(out, r, c, &ns->at, HD_SEV_NONE, "container '%s' shares the host's %s namespace: %s",
		    c->name, what, effect);
}

static int check_host_network(const struct hd_model *m, const struct hd_rule *r, struct hd_check *out)
{
	return ns_host(m->ctr, &m->ctr->network, r, out, "network",
		       "it sees every host interface, can bind any host port and reach services "
		       "listening on localhost, and no port mapping or firewall rule of Docker applies");
}

const struct hd_rule hd_rule_container_host_network = {
	.id = "container/host-network",
	.title = "Do not share the host's network namespace",
	.severity = HD_SEV_HIGH,
	.target = HD_TARGET_CONTAINER,
	.cis = "5.10",
	.owasp = "D03,D05",
	.other = "checkov:CKV_K8S_19 kube-linter:host-network",
	.rationale = "With network=host the container is on the host's stack: it reaches services "
		     "bound to 127.0.0.1 (the Docker API on tcp, databases, metadata endpoints), can "
		     "sniff with NET_RAW and bypasses network segmentation.",
	.remediation = "Remove `--network host` and publish the needed port on one interface: "
		       "`-p 127.0.0.1:8080:8080`; compose: drop `network_mode: host`.",
	.bad_example = "docker run --network host nginx",
	.good_example = GOOD_RUN(""),
	.check = check_host_network,
};

static int check_host_pid(const struct hd_model *m, const struct hd_rule *r, struct hd_check *out)
{
	return ns_host(m->ctr, &m->ctr->pid, r, out, "PID",
		       "it sees every host process with its arguments and environment and can signal "
		       "or, with SYS_PTRACE, trace them");
}

const struct hd_rule hd_rule_container_host_pid = {
	.id = "container/host-pid",
	.title = "Do not share the host's process namespace",
	.severity = HD_SEV_HIGH,
	.target = HD_TARGET_CONTAINER,
	.cis = "5.16",
	.owasp = "D05",
	.other = "checkov:CKV_K8S_17 kube-linter:host-pid",
	.rationale = "pid=host lets the container list and signal the host's processes and read "
		     "/proc/<pid>/environ of those it can access: secrets of other services leak, and "
		     "nsenter --target 1 is one step away with enough privileges.",
	.remediation = "Remove `--pid host` (compose: `pid: host`); to debug another container use "
		       "`--pid container:<name>` on a throwaway debug container.",
	.bad_example = "docker run --pid host nginx",
	.good_example = GOOD_RUN(""),
	.check = check_host_pid,
};

static int check_host_ipc(const struct hd_model *m, const struct hd_rule *r, struct hd_check *out)
{
	return ns_host(m->ctr, &m->ctr->ipc, r, out, "IPC",
		       "it can read and write the host's shared memory segments and semaphores");
}

const struct hd_rule hd_rule_container_host_ipc = {
	.id = "container/host-ipc",
	.title = "Do not share the host's IPC namespace",
	.severity = HD_SEV_HIGH,
	.target = HD_TARGET_CONTAINER,
	.cis = "5.17",
	.owasp = "D05",
	.other = "checkov:CKV_K8S_18 kube-linter:host-ipc",
	.rationale = "ipc=host exposes System V shared memory and POSIX message queues of host "
		     "processes (databases keep data there) to the container.",
	.remediation = "Remove `--ipc host`; to share memory between two containers use "
		       "`--ipc shareable` on one and `--ipc container:<name>` on the other.",
	.bad_example = "docker run --ipc host nginx",
	.good_example = GOOD_RUN(""),
	.check = check_host_ipc,
};

static int check_host_uts(const struct hd_model *m, const struct hd_rule *r, struct hd_check *out)
{
	return ns_host(m->ctr, &m->ctr->uts, r, out, "UTS",
		       "it can change the host's hostname and domain name");
}

const struct hd_rule hd_rule_container_host_uts = {
	.id = "container/host-uts",
	.title = "Do not share the host's UTS namespace",
	.severity = HD_SEV_MEDIUM,
	.target = HD_TARGET_CONTAINER,
	.cis = "5.21",
	.owasp = "D05",
	.rationale = "uts=host lets the container change the host's hostname, which other software "
		     "(logging, clustering, TLS) trusts.",
	.remediation = "Remove `--uts host`; set a name with `--hostname app` instead.",
	.bad_example = "docker run --uts host nginx",
	.good_example = GOOD_RUN(""),
	.check = check_host_uts,
};

static int check_host_userns(const struct hd_model *m, const struct hd_rule *r, struct hd_check *out)
{
	return ns_host(m->ctr, &m->ctr->userns, r, out, "user",
		       "the daemon's user-namespace remapping is switched off for it, so its root is "
		       "the host's uid 0");
}

const struct hd_rule hd_rule_container_host_userns = {
	.id = "container/host-userns",
	.title = "Do not opt out of user-namespace remapping",
	.severity = HD_SEV_MEDIUM,
	.target = HD_TARGET_CONTAINER,
	.cis = "5.31",
	.owasp = "D01,D05",
	.rationale = "When the daemon remaps users (userns-remap), root in a container is an "
		     "unprivileged uid on the host. --userns host turns that off for one container.",
	.remediation = "Remove `--userns host` (compose: `userns_mode: host`); fix the volume "
		       "ownership that made it necessary instead.",
	.bad_example = "docker run --userns host nginx",
	.good_example = GOOD_RUN(""),
	.check = check_host_userns,
};

static int check_host_cgroupns(const struct hd_model *m, const struct hd_rule *r, struct hd_check *out)
{
	const struct hd_container_spec *c = m->ctr;

	/* The engine's default, not this container's choice: one daemon-level fact, judged once. */
	if (c->live && c->live->host_known && !c->live->host_cgroupns_private && c->cgroupns.set &&
	    !c->cgroupns.unknown && c->cgroupns.mode == HD_NS_HOST)
		return hd_not_applicable(out, "the host's cgroup namespace is this engine's default for "
					 "every container: judged once, for the engine, by "
					 "engine/cgroupns-host-default");
	return ns_host(m->ctr, &m->ctr->cgroupns, r, out, "cgroup",
		       "it sees the host's whole cgroup tree, which helps the known cgroup escapes");
}

const struct hd_rule hd_rule_container_host_cgroupns = {
	.id = "container/host-cgroupns",
	.title = "Do not share the host's cgroup namespace",
	.severity = HD_SEV_MEDIUM,
	.target = HD_TARGET_CONTAINER,
	.owasp = "D05",
	.rationale = "cgroupns=host shows the host's cgroup hierarchy in /sys/fs/cgroup; with write "
		     "access (release_agent, cgroup v1) it has been an escape path.",
	.remediation = "Remove `--cgroupns host` (compose: `cgroup: host`); private is the default "
		       "on cgroup v2.",
	.bad_example = "docker run --cgroupns host nginx",
	.good_example = GOOD_RUN(""),
	.check = check_host_cgroupns,
};

static int check_cgroup_parent(const struct hd_model *m, const struct hd_rule *r, struct hd_check *out)
{
	const struct hd_container_spec *c = m->ctr;

	if (!c->cgroup_parent.set || c->cgroup_parent.unknown || !c->cgroup_parent.value ||
	    !*c->cgroup_parent.value)
		return 0;
	return emit(out, r, c, &c->cgroup_parent.at, HD_SEV_NONE,
		    "container '%s' runs under cgroup parent '%s' instead of Docker's own: check that "
		    "this cgroup has the limits you expect", c->name, c->cgroup_parent.value);
}

const struct hd_rule hd_rule_container_cgroup_parent = {
	.id = "container/cgroup-parent",
	.title = "Confirm the cgroup a container runs under",
	.severity = HD_SEV_INFO,
	.target = HD_TARGET_CONTAINER,
	.cis = "5.25",
	.owasp = "D07",
	.rationale = "Docker puts containers in its own cgroup with the limits it sets. A custom "
		     "cgroup parent may carry other limits, or none; CIS asks to confirm it.",
	.remediation = "Remove --cgroup-parent (compose: `cgroup_parent`) unless the parent cgroup "
		       "is managed on purpose, e.g. a systemd slice with `MemoryMax=`.",
	.bad_example = "docker run --cgroup-parent /custom nginx",
	.good_example = GOOD_RUN(""),
	.check = check_cgroup_parent,
};

/* ---- mounts and devices ------------------------------------------------------------ */

/*
 * Normalises a host path: "~", "$HOME" and "${HOME}" become "~", repeated
 * and trailing slashes and "/./" go.  Returns false for paths that cannot be
 * judged (relative, other variables).
 */
static bool norm_path(const char *s, char *buf, size_t n)
{
	size_t k = 0;

	if (!s || !*s)
		return false;
	if (s[0] == '~' && (s[1] == '/' || !s[1])) {
		s++;
		buf[k++] = '~';
	} else if (strncmp(s, "$HOME", 5) == 0 && (s[5] == '/' || !s[5])) {
		s += 5;
		buf[k++] = '~';
	} else if (strncmp(s, "${HOME}", 7) == 0 && (s[7] == '/' || !s[7])) {
		s += 7;
		buf[k++] = '~';
	} else if (s[0] != '/') {
		return false;
	}
	while (*s && k + 2 < n) {
		if (s[0] == '/' && (s[1] == '/' || (s[1] == '.' && (s[2] == '/' || !s[2])))) {
			s += s[1] == '/' ? 1 : 2;
			continue;
		}
		buf[k++] = *s++;
	}
	if (*s)
		return false;
	while (k > 1 && buf[k - 1] == '/')
		k--;
	buf[k] = '\0';
	return true;
}

/* True when path is p or below it. */
static bool path_under(const char *path, const char *p)
{
	size_t n = strlen(p);

	if (strcmp(p, "/") == 0)
		return path[0] == '/';
	return strncmp(path, p, n) == 0 && (path[n] == '\0' || path[n] == '/');
}

/* True when path has a component equal to comp ("/home/u/.ssh" has ".ssh"). */
static bool path_has_component(const char *path, const char *comp)
{
	size_t n = strlen(comp);
	const char *p = path;

	while ((p = strstr(p, comp))) {
		if ((p == path || p[-1] == '/' || p[-1] == '~') && (p[n] == '\0' || p[n] == '/'))
			return true;
		p += n;
	}
	return false;
}

enum { MATCH_UNDER, MATCH_EXACT, MATCH_COMPONENT };

/*
 * Sensitive host paths.  A mount is judged by the most specific entry that
 * covers it (a component such as .ssh, else the longest path: /dev/shm
 * before /dev, /etc/ssl/private before /etc/ssl), in its mode; an entry
 * whose severity in that mode is NONE says the mount is harmless that way
 * (/dev/null, /etc/ssl read-only).  A mount of a parent of an entry exposes
 * it too (/var holds /var/lib/docker) and counts when that is more severe.
 */
static const struct sensitive {
	const char *path;
	uint8_t how;
	enum hd_severity ro, rw; /* HD_SEV_NONE: not reported in that mode */
	const char *what;        /* what a read-only mount (or any mount) exposes */
	const char *what_rw;     /* what a writable one gives, when it says more; else NULL */
} sensitive[] = {
	{ "/", MATCH_EXACT, HD_SEV_HIGH, HD_SEV_CRITICAL, "the host's whole filesystem", NULL },
	{ "/boot", MATCH_UNDER, HD_SEV_MEDIUM, HD_SEV_CRITICAL, "the host's kernels and boot loader", NULL },
	{ "/dev", MATCH_UNDER, HD_SEV_MEDIUM, HD_SEV_CRITICAL, "the host's device nodes", NULL },
	{ "/dev/full", MATCH_EXACT, HD_SEV_NONE, HD_SEV_NONE, NULL, NULL },
	{ "/dev/log", MATCH_EXACT, HD_SEV_NONE, HD_SEV_LOW, "the host's syslog socket (forged log lines)", NULL },
	{ "/dev/null", MATCH_EXACT, HD_SEV_NONE, HD_SEV_NONE, NULL, NULL },
	{ "/dev/random", MATCH_EXACT, HD_SEV_NONE, HD_SEV_NONE, NULL, NULL },
	{ "/dev/shm", MATCH_UNDER, HD_SEV_LOW, HD_SEV_MEDIUM,
	  "the host's shared memory: POSIX shared-memory segments and semaphores of host processes",
	  "the host's shared memory: it can read and change the POSIX shared-memory segments of host "
	  "processes and fill the host's /dev/shm" },
	{ "/dev/urandom", MATCH_EXACT, HD_SEV_NONE, HD_SEV_NONE, NULL, NULL },
	{ "/dev/zero", MATCH_EXACT, HD_SEV_NONE, HD_SEV_NONE, NULL, NULL },
	{ "/etc", MATCH_EXACT, HD_SEV_HIGH, HD_SEV_CRITICAL,
	  "the host's configuration, readable: password hashes (/etc/shadow), TLS and SSH host keys",
	  "the host's configuration, writable: it can add users, sudo rules, cron jobs and systemd "
	  "units, which is root on the host" },
	{ "/etc/cron.d", MATCH_UNDER, HD_SEV_NONE, HD_SEV_CRITICAL, "host cron jobs (code run as root)", NULL },
	{ "/etc/crontab", MATCH_UNDER, HD_SEV_NONE, HD_SEV_CRITICAL, "the host's crontab (code run as root)", NULL },
	{ "/etc/docker", MATCH_UNDER, HD_SEV_MEDIUM, HD_SEV_CRITICAL, "the Docker daemon's configuration and TLS keys", NULL },
	{ "/etc/group", MATCH_UNDER, HD_SEV_NONE, HD_SEV_CRITICAL, "the host's groups", NULL },
	{ "/etc/gshadow", MATCH_UNDER, HD_SEV_HIGH, HD_SEV_CRITICAL, "the host's group password hashes", NULL },
	{ "/etc/init.d", MATCH_UNDER, HD_SEV_NONE, HD_SEV_CRITICAL, "host init scripts (code run as root)", NULL },
	{ "/etc/kubernetes", MATCH_UNDER, HD_SEV_HIGH, HD_SEV_CRITICAL, "Kubernetes credentials and manifests", NULL },
	{ "/etc/ld.so.preload", MATCH_UNDER, HD_SEV_NONE, HD_SEV_CRITICAL, "the host's preloaded libraries", NULL },
	{ "/etc/letsencrypt", MATCH_UNDER, HD_SEV_HIGH, HD_SEV_CRITICAL, "the host's Let's Encrypt certificates and private keys", NULL },
	{ "/etc/pam.d", MATCH_UNDER, HD_SEV_NONE, HD_SEV_CRITICAL, "the host's login configuration", NULL },
	{ "/etc/passwd", MATCH_UNDER, HD_SEV_NONE, HD_SEV_CRITICAL, "the host's users", NULL },
	{ "/etc/pki", MATCH_UNDER, HD_SEV_NONE, HD_SEV_HIGH, "the host's trusted certificates (a CA added here is trusted)", NULL },
	{ "/etc/pki/tls/private", MATCH_UNDER, HD_SEV_HIGH, HD_SEV_CRITICAL, "the host's TLS private keys", NULL },
	{ "/etc/profile.d", MATCH_UNDER, HD_SEV_NONE, HD_SEV_CRITICAL, "host login scripts", NULL },
	{ "/etc/security", MATCH_UNDER, HD_SEV_NONE, HD_SEV_CRITICAL, "the host's PAM security settings", NULL },
	{ "/etc/shadow", MATCH_UNDER, HD_SEV_HIGH, HD_SEV_CRITICAL, "the host's password hashes", NULL },
	{ "/etc/ssh", MATCH_UNDER, HD_SEV_HIGH, HD_SEV_CRITICAL, "the host's SSH keys and server configuration", NULL },
	{ "/etc/ssl", MATCH_UNDER, HD_SEV_NONE, HD_SEV_HIGH, "the host's trusted certificates (a CA added here is trusted)", NULL },
	{ "/etc/ssl/private", MATCH_UNDER, HD_SEV_HIGH, HD_SEV_CRITICAL, "the host's TLS private keys", NULL },
	{ "/etc/sudoers", MATCH_UNDER, HD_SEV_MEDIUM, HD_SEV_CRITICAL, "the host's sudo rules", NULL },
	{ "/etc/sudoers.d", MATCH_UNDER, HD_SEV_MEDIUM, HD_SEV_CRITICAL, "the host's sudo rules", NULL },
	{ "/etc/systemd", MATCH_UNDER, HD_SEV_NONE, HD_SEV_CRITICAL, "host systemd units (code run as root)", NULL },
	{ "/bin", MATCH_UNDER, HD_SEV_MEDIUM, HD_SEV_CRITICAL, "host binaries", NULL },
	{ "/home", MATCH_EXACT, HD_SEV_HIGH, HD_SEV_CRITICAL, "every user's home directory", NULL },
	{ "/lib", MATCH_UNDER, HD_SEV_NONE, HD_SEV_CRITICAL, "host libraries and kernel modules", NULL },
	{ "/lib32", MATCH_UNDER, HD_SEV_NONE, HD_SEV_CRITICAL, "host libraries", NULL },
	{ "/lib64", MATCH_UNDER, HD_SEV_NONE, HD_SEV_CRITICAL, "host libraries", NULL },
	{ "/proc", MATCH_UNDER, HD_SEV_MEDIUM, HD_SEV_CRITICAL, "the host's /proc (kernel settings, every process)", NULL },
	{ "/root", MATCH_UNDER, HD_SEV_HIGH, HD_SEV_CRITICAL, "root's home directory", NULL },
	{ "/sbin", MATCH_UNDER, HD_SEV_MEDIUM, HD_SEV_CRITICAL, "host system binaries", NULL },
	{ "/sys", MATCH_UNDER, HD_SEV_MEDIUM, HD_SEV_CRITICAL, "the host's /sys (cgroups, devices, firmware)", NULL },
	{ "/usr", MATCH_EXACT, HD_SEV_MEDIUM, HD_SEV_CRITICAL, "host programs and libraries", NULL },
	{ "/usr/bin", MATCH_UNDER, HD_SEV_NONE, HD_SEV_CRITICAL, "host programs", NULL },
	{ "/usr/lib", MATCH_UNDER, HD_SEV_NONE, HD_SEV_CRITICAL, "host libraries", NULL },
	{ "/usr/local", MATCH_UNDER, HD_SEV_NONE, HD_SEV_HIGH, "locally installed host programs", NULL },
	{ "/usr/sbin", MATCH_UNDER, HD_SEV_NONE, HD_SEV_CRITICAL, "host system programs", NULL },
	{ "/var", MATCH_EXACT, HD_SEV_MEDIUM, HD_SEV_CRITICAL, "the host's /var, Docker's data included", NULL },
	{ "/var/lib", MATCH_EXACT, HD_SEV_HIGH, HD_SEV_CRITICAL, "the host's service data, Docker's included", NULL },
	{ "/var/lib/containerd", MATCH_UNDER, HD_SEV_HIGH, HD_SEV_CRITICAL, "containerd's data (every image and container)", NULL },
	{ "/var/lib/docker", MATCH_UNDER, HD_SEV_HIGH, HD_SEV_CRITICAL, "Docker's data (every image, container and volume)", NULL },
	{ "/var/lib/kubelet", MATCH_UNDER, HD_SEV_HIGH, HD_SEV_CRITICAL, "the kubelet's data and pod secrets", NULL },
	{ "/var/log", MATCH_UNDER, HD_SEV_NONE, HD_SEV_MEDIUM, "the host's logs (an intruder can erase traces)", NULL },
	{ "~", MATCH_EXACT, HD_SEV_HIGH, HD_SEV_HIGH, "a whole home directory with its keys and credentials", NULL },
	{ ".aws", MATCH_COMPONENT, HD_SEV_HIGH, HD_SEV_HIGH, "AWS credentials", NULL },
	{ ".azure", MATCH_COMPONENT, HD_SEV_HIGH, HD_SEV_HIGH, "Azure credentials", NULL },
	{ ".docker", MATCH_COMPONENT, HD_SEV_HIGH, HD_SEV_HIGH, "Docker registry credentials", NULL },
	{ ".gnupg", MATCH_COMPONENT, HD_SEV_HIGH, HD_SEV_HIGH, "GnuPG private keys", NULL },
	{ ".kube", MATCH_COMPONENT, HD_SEV_HIGH, HD_SEV_HIGH, "Kubernetes credentials", NULL },
	{ ".ssh", MATCH_COMPONENT, HD_SEV_HIGH, HD_SEV_CRITICAL, "SSH keys (and authorized_keys: a way in)", NULL },
	{ "gcloud", MATCH_COMPONENT, HD_SEV_HIGH, HD_SEV_HIGH, "Google Cloud credentials", NULL },
};

/* How specific a direct hit of entry s is: components first, then the longer path. */
static size_t specificity(const struct sensitive *s)
{
	return s->how == MATCH_COMPONENT ? SIZE_MAX : strlen(s->path);
}

/*
 * The entry that judges a mount of `path` in the given mode, with its
 * severity in *sev (see the table), and in *parent whether the mount only
 * holds it (a parent of the entry).  NULL when the mount is not sensitive.
 */
static const struct sensitive *sensitive_match(const char *path, bool ro, enum hd_severity *sev,
					       bool *parent)
{
	const struct sensitive *direct = NULL, *held = NULL;
	enum hd_severity ds = HD_SEV_NONE, hs = HD_SEV_NONE;
	size_t i;

	for (i = 0; i < HD_ARRAY_SIZE(sensitive); i++) {
		const struct sensitive *s = &sensitive[i];
		enum hd_severity v = ro ? s->ro : s->rw;
		bool hit;

		switch (s->how) {
		case MATCH_COMPONENT:
			hit = path_has_component(path, s->path);
			break;
		case MATCH_EXACT:
			hit = strcmp(path, s->path) == 0;
			break;
		default:
			hit = path_under(path, s->path);
			break;
		}
		if (hit) {
			if (!direct || specificity(s) > specificity(direct) ||
			    (specificity(s) == specificity(direct) && v > ds)) {
				direct = s;
				ds = v;
			}
			continue;
		}
		/* A parent of the entry exposes it too ("/" is its own entry). */
		if (v != HD_SEV_NONE && s->path[0] == '/' && strcmp(path, "/") != 0 &&
		    path_under(s->path, path) && v > hs) {
			held = s;
			hs = v;
		}
	}
	*parent = false;
	*sev = ds;
	if (held && hs > ds) {
		*parent = true;
		*sev = hs;
		return held;
	}
	return ds == HD_SEV_NONE ? NULL : direct;
}

static bool is_bind(const struct hd_mount *mt)
{
	return mt->type == HD_MOUNT_BIND || (mt->source && (mt->source[0] == '/' || mt->source[0] == '~'));
}

static int check_sensitive_mount(const struct hd_model *m, const struct hd_rule *r, struct hd_check *out)
{
	const struct hd_container_spec *c = m->ctr;
	size_t i;
	int ret;

	for (i = 0; i < c->n_mounts; i++) {
		const struct hd_mount *mt = &c->mounts[i];
		const struct sensitive *s;
		enum hd_severity sev;
		bool parent;
		char path[4096];

		if (!is_bind(mt) || !norm_path(mt->source, path, sizeof(path)))
			continue;
		s = sensitive_match(path, mt->read_only, &sev, &parent);
		/* The data root this engine really uses, wherever it is (live containers). */
		if (!s && c->live && c->live->data_root && path[0] == '/' &&
		    (path_under(path, c->live->data_root) || path_under(c->live->data_root, path))) {
			ret = emit(out, r, c, &mt->at, mt->read_only ? HD_SEV_HIGH : HD_SEV_CRITICAL,
				   "container '%s' mounts host path '%s' %s at '%s': the engine's data root "
				   "'%s' (every container's files and volumes)", c->name, mt->source,
				   mt->read_only ? "read-only" : "writable", mt->target ? mt->target : "?",
				   c->live->data_root);
			if (ret < 0)
				return ret;
			continue;
		}
		if (!s)
			continue;
		ret = emit(out, r, c, &mt->at, sev, "container '%s' mounts host path '%s' %s at '%s': %s%s%s%s",
			   c->name, mt->source, mt->read_only ? "read-only" : "writable",
			   mt->target ? mt->target : "?", parent ? "it holds " : "",
			   !mt->read_only && s->what_rw ? s->what_rw : s->what, parent ? " in " : "",
			   parent ? s->path : "");
		if (ret < 0)
			return ret;
	}
	return 0;
}

const struct hd_rule hd_rule_container_sensitive_mount = {
	.id = "container/sensitive-host-mount",
	.title = "Do not mount sensitive host directories",
	.severity = HD_SEV_HIGH,
	.target = HD_TARGET_CONTAINER,
	.cis = "5.6",
	.owasp = "D04,D05",
	.other = "kube-linter:sensitive-host-mounts kube-linter:writable-host-mount",
	.rationale = "A bind mount of /, /etc, /root, /proc, /sys, /dev, /boot, /usr, /var/lib/docker "
		     "or a home's .ssh hands the container the host's secrets, or, when writable, a way "
		     "to run code as root on the host (cron, systemd units, authorized_keys, binaries). "
		     "Each mount is judged on its own, so the result does not depend on their order, "
		     "by the most specific sensitive path that covers it (/etc/ssl/private, "
		     "/etc/letsencrypt, /root/.ssh, /var/lib/docker, a home's .aws: a subtree counts "
		     "like its root, in short and long syntax alike); writable mounts are mostly "
		     "critical, read-only ones high or medium, and a parent directory counts as what "
		     "it contains. Harmless device nodes (/dev/null, /dev/urandom) are not reported; "
		     "the host's /dev/shm is shared memory, not device nodes, and is rated medium "
		     "writable, low read-only.",
	.remediation = "Mount only the directory the application needs, read-only: "
		       "`-v /srv/app/config:/config:ro`; compose: `- /srv/app/config:/config:ro`; for "
		       "credentials use secrets instead of ~/.aws or ~/.docker.",
	.bad_example = "docker run -v /etc:/host/etc nginx",
	.good_example = GOOD_RUN("-v /srv/app/config:/config:ro "),
	.check = check_sensitive_mount,
};

/* Basenames of container engine API sockets, and directories that hold them. */
static const char *const socket_names[] = {
	"docker.sock", "docker.raw.sock", "containerd.sock", "containerd.sock.ttrpc", "podman.sock",
	"crio.sock", "cri-dockerd.sock", "dockershim.sock", "buildkitd.sock", "containerd-shim.sock",
};
static const char *const socket_dirs[] = {
	"/run", "/var/run", "/run/docker", "/var/run/docker", "/run/containerd", "/var/run/containerd",
	"/run/podman", "/var/run/podman", "/run/crio", "/var/run/crio", "/run/user", "/var/run/user",
	"/run/buildkit", "/run/k3s/containerd", "/",
};

static int check_socket_mount(const struct hd_model *m, const struct hd_rule *r, struct hd_check *out)
{
	const struct hd_container_spec *c = m->ctr;
	size_t i, k;
	int ret;

	for (i = 0; i < c->n_mounts; i++) {
		const struct hd_mount *mt = &c->mounts[i];
		const char *base, *how = NULL;
		char path[4096];

		if (!is_bind(mt) || !mt->source)
			continue;
		base = strrchr(mt->source, '/');
		base = base ? base + 1 : mt->source;
		for (k = 0; k < HD_ARRAY_SIZE(socket_names) && !how; k++) {
			if (strcmp(base, socket_names[k]) == 0)
				how = "the engine's API socket";
		}
		if (!how && norm_path(mt->source, path, sizeof(path))) {
			for (k = 0; k < HD_ARRAY_SIZE(socket_dirs) && !how; k++) {
				if (strcmp(path, socket_dirs[k]) == 0)
					how = "a directory holding the engine's API socket";
			}
			if (!how && strncmp(path, "/run/user/", 10) == 0 && !strchr(path + 10, '/'))
				how = "a user's runtime directory holding a rootless engine's socket";
			/* The socket this engine really listens on, wherever it is (live containers). */
			if (!how && c->live && c->live->engine_socket) {
				if (strcmp(path, c->live->engine_socket) == 0)
					how = "the engine's API socket";
				else if (path[0] == '/' && path_under(c->live->engine_socket, path))
					how = "a directory holding the engine's API socket";
			}
			/* The sockets the configured daemon listens on (its -H, the policy's list). */
			for (k = 0; m->cfg && !how && k < m->cfg->engine_sockets.n; k++) {
				const char *s = m->cfg->engine_sockets.v[k];

				if (strcmp(path, s) == 0)
					how = "the protected daemon's API socket";
				else if (path[0] == '/' && path_under(s, path))
					how = "a directory holding the protected daemon's API socket";
			}
		}
		/* Any unix socket on the host may be some daemon's API. */
		if (!how && mt->source_is_socket)
			how = "a unix socket on the host (an API socket under another name)";
		if (!how)
			continue;
		ret = emit(out, r, c, &mt->at, HD_SEV_NONE,
			   "container '%s' mounts '%s', %s: whoever controls the container can start a "
			   "privileged container and own the host%s", c->name, mt->source, how,
			   mt->read_only ? " (read-only does not help: the API is reached by connecting, "
					   "not by writing the file)" : "");
		if (ret < 0)
			return ret;
	}
	return 0;
}

const struct hd_rule hd_rule_container_socket_mount = {
	.id = "container/docker-socket-mount",
	.title = "Do not mount the Docker, containerd, podman or CRI-O socket",
	.severity = HD_SEV_CRITICAL,
	.target = HD_TARGET_CONTAINER,
	.cis = "5.32",
	.owasp = "D04,D05",
	.other = "checkov:CKV_K8S_27 kube-linter:docker-sock",
	.rationale = "The engine's socket is its full API: a process that can connect runs "
		     "`docker run --privileged -v /:/host` and is root on the host. Mounting /run or "
		     "/var/run exposes the socket just the same (docker-bench only looks for the "
		     "socket file), and :ro does not help because connecting is not writing. The "
		     "sockets of docker, containerd, podman, CRI-O and BuildKit are known by name, the "
		     "configured daemon's own sockets (`engine-sockets`, or its -H read by the authz "
		     "plugin) by path, and where the host can be looked at (the authz plugin, at "
		     "decision time) any bind of a path that is a unix socket counts.",
	.remediation = "Remove the mount. Tools that need the API should talk to a filtering proxy "
		       "that allows only the calls they need (for example read-only container listing), "
		       "over a private network, never to the raw socket.",
	.bad_example = "docker run -v /var/run/docker.sock:/var/run/docker.sock nginx",
	.good_example = GOOD_RUN(""),
	.check = check_socket_mount,
};

static int check_propagation(const struct hd_model *m, const struct hd_rule *r, struct hd_check *out)
{
	const struct hd_container_spec *c = m->ctr;
	size_t i;
	int ret;

	for (i = 0; i < c->n_mounts; i++) {
		const struct hd_mount *mt = &c->mounts[i];

		if (!mt->propagation ||
		    (strcmp(mt->propagation, "shared") != 0 && strcmp(mt->propagation, "rshared") != 0))
			continue;
		ret = emit(out, r, c, &mt->at, HD_SEV_NONE,
			   "mount of '%s' in container '%s' has %s propagation: mounts made inside the "
			   "container appear on the host", mt->source ? mt->source : "?", c->name,
			   mt->propagation);
		if (ret < 0)
			return ret;
	}
	return 0;
}

const struct hd_rule hd_rule_container_mount_propagation = {
	.id = "container/shared-mount-propagation",
	.title = "Do not use shared mount propagation",
	.severity = HD_SEV_MEDIUM,
	.target = HD_TARGET_CONTAINER,
	.cis = "5.20",
	.owasp = "D05",
	.rationale = "With shared or rshared propagation a mount the container makes (it needs "
		     "SYS_ADMIN, or is privileged) propagates back to the host's mount namespace, and "
		     "the host's new mounts show up inside it.",
	.remediation = "Drop `:shared`/`:rshared` (or `bind-propagation=rshared`) and use the "
		       "default rprivate: `-v /srv/data:/data`.",
	.bad_example = "docker run -v /srv/data:/data:rshared nginx",
	.good_example = GOOD_RUN(""),
	.check = check_propagation,
};

static bool is_disk(const char *p)
{
	static const char *const prefixes[] = { "/dev/sd", "/dev/hd", "/dev/vd", "/dev/xvd", "/dev/nvme",
						"/dev/mmcblk", "/dev/dm-", "/dev/mapper/", "/dev/loop",
						"/dev/md", "/dev/disk/", "/dev/sg", "/dev/nbd" };
	size_t i;

	for (i = 0; i < HD_ARRAY_SIZE(prefixes); i++) {
		if (hd_starts_with(p, prefixes[i]))
			return true;
	}
	return false;
}

static int check_host_device(const struct hd_model *m, const struct hd_rule *r, struct hd_check *out)
{
	const struct hd_container_spec *c = m->ctr;
	size_t i;
	int ret;

	for (i = 0; i < c->n_devices; i++) {
		const struct hd_device *d = &c->devices[i];
		const char *p = d->host_path ? d->host_path : "";
		enum hd_severity sev = HD_SEV_NONE;
		const char *why = "the container talks to the host's hardware driver directly";

		if (strcmp(p, "/dev/mem") == 0 || strcmp(p, "/dev/kmem") == 0 || strcmp(p, "/dev/port") == 0 ||
		    hd_starts_with(p, "/dev/cpu/")) {
			sev = HD_SEV_CRITICAL;
			why = "it reads and writes the host's physical memory or I/O ports";
		} else if (strcmp(p, "/dev/kmsg") == 0) {
			sev = HD_SEV_HIGH;
			why = "it reads and forges the host's kernel log";
		} else if (is_disk(p)) {
			sev = HD_SEV_CRITICAL;
			why = "a raw disk gives every file on it, whatever its permissions";
		} else if (strcmp(p, "/dev/fuse") == 0 || strcmp(p, "/dev/net/tun") == 0) {
			sev = HD_SEV_LOW;
		}
		ret = emit(out, r, c, &d->at, sev, "container '%s' gets host device '%s': %s", c->name, p, why);
		if (ret < 0)
			return ret;
	}
	for (i = 0; i < c->device_cgroup_rules.n; i++) {
		const struct hd_item *x = &c->device_cgroup_rules.v[i];

		if (x->value[0] != 'a' && !strstr(x->value, "*:*"))
			continue;
		ret = emit(out, r, c, &x->at, HD_SEV_HIGH,
			   "device cgroup rule '%s' of container '%s' allows whole classes of host devices",
			   x->value, c->name);
		if (ret < 0)
			return ret;
	}
	return 0;
}

const struct hd_rule hd_rule_container_host_device = {
	.id = "container/host-device",
	.title = "Do not expose host devices to the container",
	.severity = HD_SEV_MEDIUM,
	.target = HD_TARGET_CONTAINER,
	.cis = "5.18",
	.owasp = "D04",
	.rationale = "A device node bypasses the filesystem: a disk gives every file on it, "
		     "/dev/mem the host's memory, /dev/kmsg the kernel log. Severity follows the "
		     "device; a wildcard device cgroup rule counts as every device of its class.",
	.remediation = "Remove the device, or pass exactly the one needed with the least "
		       "permissions: `--device /dev/ttyUSB0:/dev/ttyUSB0:rw` instead of a disk or "
		       "`--device-cgroup-rule 'a *:* rwm'`.",
	.bad_example = "docker run --device /dev/sda nginx",
	.good_example = GOOD_RUN(""),
	.check = check_host_device,
};

/* ---- ports --------------------------------------------------------------------------- */

static int check_port_all_interfaces(const struct hd_model *m, const struct hd_rule *r,
				     struct hd_check *out)
{
	const struct hd_container_spec *c = m->ctr;
	size_t i;
	int ret;

	for (i = 0; i < c->n_ports; i++) {
		const struct hd_port *p = &c->ports[i];
		char a[32], b[32];

		if (!p->published || p->unknown || !is_host_ip_all(p->host_ip))
			continue;
		ret = emit(out, r, c, &p->at, HD_SEV_NONE,
			   "container '%s' publishes port %s/%s on all host interfaces (%s%s): "
			   "Docker's own iptables rules accept it before ufw or firewalld see it",
			   c->name, port_text(p->ctr_port_lo, p->ctr_port_hi, a, sizeof(a)),
			   proto_name(p->proto), p->host_port_lo ? "as host port " : "on ",
			   p->host_port_lo ? port_text(p->host_port_lo, p->host_port_hi, b, sizeof(b))
					   : "a random host port");
		if (ret < 0)
			return ret;
	}
	if (c->publish_all.set && c->publish_all.value && !c->publish_all.unknown) {
		ret = emit(out, r, c, &c->publish_all.at, HD_SEV_NONE,
			   "container '%s' publishes every port its image exposes on all host interfaces "
			   "(publish-all): Docker's own iptables rules accept them before ufw or firewalld "
			   "see them", c->name);
		if (ret < 0)
			return ret;
	}
	return 0;
}

const struct hd_rule hd_rule_container_port_all_interfaces = {
	.id = "container/port-all-interfaces",
	.title = "Bind published ports to a specific host interface",
	.severity = HD_SEV_MEDIUM,
	.target = HD_TARGET_CONTAINER,
	.cis = "5.14",
	.owasp = "D03",
	.rationale = "`-p 8080:80` listens on 0.0.0.0 and ::. Docker inserts its DNAT and FORWARD "
		     "rules ahead of ufw's and firewalld's, so a host firewall that 'denies all' still "
		     "lets the port through: the service is on the Internet.",
	.remediation = "Give the interface: `-p 127.0.0.1:8080:80` behind a reverse proxy, or a "
		       "private address `-p 10.0.0.5:8080:80`; compose: `\"127.0.0.1:8080:80\"`. "
		       "Filter in the DOCKER-USER chain when a port must be public.",
	.bad_example = "docker run -p 8080:8080 nginx",
	.good_example = GOOD_RUN(""),
	.check = check_port_all_interfaces,
};

static int check_privileged_port(const struct hd_model *m, const struct hd_rule *r,
				 struct hd_check *out)
{
	const struct hd_container_spec *c = m->ctr;
	size_t i;
	int ret;

	for (i = 0; i < c->n_ports; i++) {
		const struct hd_port *p = &c->ports[i];
		char a[32];

		if (!p->published || p->unknown || !p->host_port_lo || p->host_port_lo >= 1024)
			continue;
		ret = emit(out, r, c, &p->at, HD_SEV_NONE,
			   "container '%s' maps privileged host port %s (below 1024)", c->name,
			   port_text(p->host_port_lo, p->host_port_hi, a, sizeof(a)));
		if (ret < 0)
			return ret;
	}
	return 0;
}

const struct hd_rule hd_rule_container_privileged_port = {
	.id = "container/privileged-port",
	.title = "Do not map privileged host ports",
	.severity = HD_SEV_LOW,
	.target = HD_TARGET_CONTAINER,
	.cis = "5.8",
	.owasp = "D03",
	.other = "kube-linter:privileged-ports",
	.rationale = "Ports below 1024 are where clients expect the host's own trusted services "
		     "(SSH, SMTP, DNS, HTTP). CIS asks that containers do not take them, so a "
		     "compromised container cannot pose as one; terminate 80/443 in a reverse proxy.",
	.remediation = "Map a high host port and let the proxy listen on 80/443: "
		       "`-p 127.0.0.1:8080:80`.",
	.bad_example = "docker run -p 127.0.0.1:80:80 nginx",
	.good_example = GOOD_RUN(""),
	.check = check_privileged_port,
};

static int check_ssh_port(const struct hd_model *m, const struct hd_rule *r, struct hd_check *out)
{
	const struct hd_container_spec *c = m->ctr;
	size_t i;
	int ret;

	for (i = 0; i < c->n_ports; i++) {
		const struct hd_port *p = &c->ports[i];

		if (!p->published || p->unknown || p->proto != HD_PROTO_TCP)
			continue;
		if (!range_has(p->ctr_port_lo, p->ctr_port_hi, 22) &&
		    !range_has(p->host_port_lo, p->host_port_hi, 22))
			continue;
		ret = emit(out, r, c, &p->at, HD_SEV_NONE,
			   "container '%s' publishes the SSH port 22: containers are managed with "
			   "`docker exec`, and an SSH server in one is one more daemon and set of keys "
			   "to attack", c->name);
		if (ret < 0)
			return ret;
	}
	return 0;
}

const struct hd_rule hd_rule_container_ssh_port = {
	.id = "container/ssh-port",
	.title = "Do not publish SSH from a container",
	.severity = HD_SEV_MEDIUM,
	.target = HD_TARGET_CONTAINER,
	.cis = "5.9",
	.owasp = "D03,D04",
	.other = "checkov:CKV_DOCKER_1 kube-linter:ssh-port",
	.rationale = "An SSH server in a container means keys and passwords to manage, patch and "
		     "rotate, and a login path that bypasses the engine's access control and audit.",
	.remediation = "Remove the port and the SSH server; use `docker exec -it <name> sh` for "
		       "maintenance.",
	.bad_example = "docker run -p 127.0.0.1:2222:22 nginx",
	.good_example = GOOD_RUN(""),
	.check = check_ssh_port,
};

static const struct {
	uint32_t port;
	const char *service;
} admin_ports[] = {
	{ 1433, "SQL Server" },    { 1521, "Oracle" },         { 2181, "ZooKeeper" },
	{ 2375, "the Docker API without TLS" }, { 2376, "the Docker API" }, { 2377, "Docker swarm management" },
	{ 2379, "etcd" },          { 2380, "etcd peers" },     { 3306, "MySQL/MariaDB" },
	{ 3389, "RDP" },           { 4369, "Erlang epmd" },    { 5432, "PostgreSQL" },
	{ 5601, "Kibana" },        { 5672, "RabbitMQ" },       { 5900, "VNC" },
	{ 5984, "CouchDB" },       { 6379, "Redis" },          { 6443, "the Kubernetes API" },
	{ 7000, "Cassandra" },     { 7474, "Neo4j" },          { 7687, "Neo4j Bolt" },
	{ 8086, "InfluxDB" },      { 8091, "Couchbase" },      { 8123, "ClickHouse" },
	{ 8200, "Vault" },         { 8500, "Consul" },         { 9042, "Cassandra" },
	{ 9092, "Kafka" },         { 9200, "Elasticsearch" },  { 9300, "Elasticsearch transport" },
	{ 10250, "the kubelet" },  { 11211, "memcached" },     { 15672, "RabbitMQ management" },
	{ 26257, "CockroachDB" },  { 27017, "MongoDB" },       { 27018, "MongoDB" },
	{ 28015, "RethinkDB" },
};

static int check_admin_port(const struct hd_model *m, const struct hd_rule *r, struct hd_check *out)
{
	const struct hd_container_spec *c = m->ctr;
	size_t i, k;
	int ret;

	for (i = 0; i < c->n_ports; i++) {
		const struct hd_port *p = &c->ports[i];

		if (!p->published || p->unknown || !is_host_ip_all(p->host_ip))
			continue;
		for (k = 0; k < HD_ARRAY_SIZE(admin_ports); k++) {
			uint32_t port = admin_ports[k].port;

			if (!range_has(p->ctr_port_lo, p->ctr_port_hi, port) &&
			    !range_has(p->host_port_lo, p->host_port_hi, port))
				continue;
			ret = emit(out, r, c, &p->at,
				   port == 2375 || port == 2376 ? HD_SEV_CRITICAL : HD_SEV_NONE,
				   "container '%s' publishes port %" PRIu32 " (%s) on all host interfaces: "
				   "it is reachable from every network the host is on, firewall or not",
				   c->name, port, admin_ports[k].service);
			if (ret < 0)
				return ret;
			break;
		}
	}
	return 0;
}

const struct hd_rule hd_rule_container_admin_port = {
	.id = "container/database-port-exposed",
	.title = "Do not publish database or admin ports on all interfaces",
	.severity = HD_SEV_HIGH,
	.target = HD_TARGET_CONTAINER,
	.cis = "5.14",
	.owasp = "D03",
	.rationale = "Databases, caches and control planes (PostgreSQL, MySQL, Redis, MongoDB, "
		     "Elasticsearch, etcd, the Docker API on 2375/2376) are scanned for all day; Redis "
		     "and Elasticsearch often run without a password. Published on 0.0.0.0 they are on "
		     "the Internet, since Docker's iptables rules come before the host firewall.",
	.remediation = "Do not publish the port; let the application reach the database over a "
		       "user-defined network (`docker network create backend`, `--network backend`), or "
		       "bind it to loopback for local tools: `-p 127.0.0.1:5432:5432`.",
	.bad_example = "docker run -p 5432:5432 postgres:16",
	.good_example = GOOD_RUN(""),
	.check = check_admin_port,
};

/* ---- lifecycle and logging ------------------------------------------------------------ */

/* CIS 5.15: on-failure with at most this many retries. */
#define RESTART_MAX_RETRIES 5

static int check_restart_policy(const struct hd_model *m, const struct hd_rule *r,
				struct hd_check *out)
{
	const struct hd_container_spec *c = m->ctr;
	const struct hd_int_setting *n = &c->restart_max_retries;
	const char *v = c->restart.value;
	bool bounded = n->set && !n->unknown && n->value > 0;

	if (!c->restart.set || !v || c->restart.unknown)
		return 0;
	if (strcmp(v, "always") && strcmp(v, "unless-stopped") && strcmp(v, "on-failure"))
		return 0; /* "no" */
	if (n->unknown)
		return 0; /* on-failure:${RETRIES}: the count is not known */
	/* A count above CIS's 5, in any form (on-failure:10, deploy max_attempts, MaximumRetryCount). */
	if (bounded && n->value > RESTART_MAX_RETRIES)
		return emit(out, r, c, &n->at, HD_SEV_NONE,
			    "container '%s' restarts '%s' up to %" PRId64 " times: a crashing or "
			    "compromised container keeps coming back; CIS 5.15 asks for at most %d "
			    "(on-failure:%d)", c->name, v, n->value, RESTART_MAX_RETRIES, RESTART_MAX_RETRIES);
	if (bounded)
		return 0; /* on-failure:N, or swarm's --restart-max-attempts bounding "any" */
	if (strcmp(v, "on-failure") == 0)
		return emit(out, r, c, &c->restart.at, HD_SEV_NONE,
			    "container '%s' restarts on failure without a retry limit; use on-failure:%d",
			    c->name, RESTART_MAX_RETRIES);
	return emit(out, r, c, &c->restart.at, HD_SEV_NONE,
		    "container '%s' restarts '%s' without a limit: a crashing or compromised "
		    "container is restarted forever; use on-failure:%d", c->name, v, RESTART_MAX_RETRIES);
}

const struct hd_rule hd_rule_container_restart_policy = {
	.id = "container/restart-policy",
	.title = "Restart on failure with a retry limit",
	.severity = HD_SEV_LOW,
	.target = HD_TARGET_CONTAINER,
	.flags = HD_RULE_SERVICE,
	.cis = "5.15",
	.owasp = "D07",
	.rationale = "A container that keeps crashing (or is kept crashing by an attacker) and is "
		     "restarted without a limit burns resources and hides the problem; CIS asks for "
		     "on-failure with at most 5 retries so a real failure stops and is noticed. A "
		     "count above 5 is reported in every form: `on-failure:10` on a run line or in "
		     "compose, `deploy.restart_policy.max_attempts`, swarm's `--restart-max-attempts` "
		     "and a live container's MaximumRetryCount.",
	.remediation = "`docker run --restart on-failure:5 ...`; compose: `restart: on-failure:5` "
		       "(or `deploy.restart_policy: {condition: on-failure, max_attempts: 5}`).",
	.bad_example = "docker run --restart always nginx",
	.good_example = GOOD_RUN(""),
	.check = check_restart_policy,
};

static int check_no_healthcheck(const struct hd_model *m, const struct hd_rule *r, struct hd_check *out)
{
	const struct hd_container_spec *c = m->ctr;
	const struct hd_image_facts *f = &c->image_facts;
	char buf[160], img[512];

	if (c->healthcheck.set || c->healthcheck.disabled)
		return 0;
	if (f->known && f->healthcheck_known) {
		if (f->has_healthcheck)
			return 0;
		return emit(out, r, c, NULL, HD_SEV_NONE,
			    "neither container '%s' nor %s (%s) defines a healthcheck: "
			    "Docker cannot tell a hung service from a healthy one%s", c->name,
			    image_said(c, img, sizeof(img)), f->source ? f->source : "image config",
			    doubt(c, buf, sizeof(buf)));
	}
	return emit(out, r, c, NULL, HD_SEV_NONE,
		    "container '%s' defines no healthcheck, and whether %s has a HEALTHCHECK could "
		    "not be known (the image was not inspected)%s", c->name,
		    image_phrase(c, img, sizeof(img)), doubt(c, buf, sizeof(buf)));
}

const struct hd_rule hd_rule_container_no_healthcheck = {
	.id = "container/no-healthcheck",
	.title = "Give the container a healthcheck",
	.severity = HD_SEV_LOW,
	.target = HD_TARGET_CONTAINER,
	.flags = HD_RULE_SERVICE,
	.cis = "5.27,4.6",
	.owasp = "D07",
	.other = "dockle:CIS-DI-0006 checkov:CKV_DOCKER_2 kube-linter:no-liveness-probe",
	.rationale = "A running process is not a working service. With a healthcheck Docker marks "
		     "a hung or broken container unhealthy, orchestrators replace it, and monitoring "
		     "sees it. The image's HEALTHCHECK counts when it is known.",
	.remediation = "`docker run --health-cmd 'wget -q -O- http://localhost:8080/health || exit 1' "
		       "--health-interval 30s ...`; compose: `healthcheck: {test: [\"CMD\", \"wget\", "
		       "\"-q\", \"-O-\", \"http://localhost:8080/health\"], interval: 30s}`; or a "
		       "HEALTHCHECK in the Dockerfile.",
	.bad_example = "docker run --cap-drop ALL nginx",
	.good_example = GOOD_RUN(""),
	.check = check_no_healthcheck,
};

static int check_healthcheck_disabled(const struct hd_model *m, const struct hd_rule *r,
				      struct hd_check *out)
{
	const struct hd_container_spec *c = m->ctr;

	if (!c->healthcheck.disabled)
		return 0;
	return emit(out, r, c, &c->healthcheck.at, HD_SEV_NONE,
		    "container '%s' disables the healthcheck%s", c->name,
		    c->image_facts.known && c->image_facts.has_healthcheck ?
			    " that its image defines" : "");
}

const struct hd_rule hd_rule_container_healthcheck_disabled = {
	.id = "container/healthcheck-disabled",
	.title = "Do not disable the healthcheck",
	.severity = HD_SEV_LOW,
	.target = HD_TARGET_CONTAINER,
	.flags = HD_RULE_SERVICE,
	.cis = "5.27",
	.owasp = "D07",
	.rationale = "--no-healthcheck (compose: `healthcheck: {disable: true}`) throws away the "
		     "image author's check; a hung service then looks healthy.",
	.remediation = "Remove --no-healthcheck; if the image's check does not fit, replace it: "
		       "`--health-cmd 'wget -q -O- http://localhost:8080/health'`.",
	.bad_example = "docker run --no-healthcheck nginx",
	.good_example = GOOD_RUN(""),
	.check = check_healthcheck_disabled,
};

static int check_logging_none(const struct hd_model *m, const struct hd_rule *r, struct hd_check *out)
{
	const struct hd_container_spec *c = m->ctr;

	if (!c->log_driver.set || c->log_driver.unknown || !c->log_driver.value ||
	    strcmp(c->log_driver.value, "none") != 0)
		return 0;
	return emit(out, r, c, &c->log_driver.at, HD_SEV_NONE,
		    "container '%s' uses logging driver 'none': nothing it prints is kept, so an "
		    "incident leaves no trace", c->name);
}

const struct hd_rule hd_rule_container_logging_disabled = {
	.id = "container/logging-disabled",
	.title = "Keep the container's logs",
	.severity = HD_SEV_MEDIUM,
	.target = HD_TARGET_CONTAINER,
	.owasp = "D10",
	.rationale = "The none driver discards stdout and stderr. Without logs an attack, a crash "
		     "or a leak cannot be investigated.",
	.remediation = "Use the daemon's default driver, or a central one: `--log-driver journald`, "
		       "or `--log-driver local --log-opt max-size=10m` to bound disk use.",
	.bad_example = "docker run --log-driver none nginx",
	.good_example = GOOD_RUN(""),
	.check = check_logging_none,
};

/* ---- image ---------------------------------------------------------------------------- */

static bool image_judgeable(const struct hd_container_spec *c)
{
	return c->image.set && c->image.value && !c->image.unknown && c->image_ref.raw &&
	       !c->image_ref.has_unresolved_var && !c->image_ref.is_scratch;
}

static int check_image_latest(const struct hd_model *m, const struct hd_rule *r, struct hd_check *out)
{
	const struct hd_container_spec *c = m->ctr;
	const struct hd_image_ref *ref = &c->image_ref;

	if (!image_judgeable(c) || ref->digest)
		return 0;
	if (ref->tag && strcmp(ref->tag, "latest") != 0)
		return 0;
	return emit(out, r, c, &c->image.at, HD_SEV_NONE,
		    ref->tag ? "container '%s' runs image '%s' by the 'latest' tag: what runs changes "
			       "whenever the tag moves" :
			       "container '%s' runs image '%s' without a tag, which means 'latest': what "
			       "runs changes whenever the tag moves",
		    c->name, c->image.value);
}

const struct hd_rule hd_rule_container_image_latest = {
	.id = "container/image-latest",
	.title = "Run a fixed image tag, not latest",
	.severity = HD_SEV_MEDIUM,
	.target = HD_TARGET_CONTAINER,
	.owasp = "D08,D09",
	.other = "dockle:DKL-DI-0006 checkov:CKV_DOCKER_7 checkov:CKV_K8S_14 kube-linter:latest-tag",
	.rationale = "latest is whatever was pushed last: two hosts may run different code, a "
		     "rollback has nothing to go back to, and a compromised registry account changes "
		     "what you run on the next pull.",
	.remediation = "Name a version, ideally with its digest: "
		       "`nginx:1.27.2@sha256:<digest>` (`docker buildx imagetools inspect nginx:1.27.2` "
		       "prints the digest).",
	.bad_example = "docker run nginx:latest",
	.good_example = GOOD_RUN(""),
	.check = check_image_latest,
};

static int check_image_digest(const struct hd_model *m, const struct hd_rule *r, struct hd_check *out)
{
	const struct hd_container_spec *c = m->ctr;
	const struct hd_image_ref *ref = &c->image_ref;

	if (!image_judgeable(c) || ref->digest)
		return 0;
	if (!ref->tag || strcmp(ref->tag, "latest") == 0)
		return 0; /* container/image-latest says it */
	return emit(out, r, c, &c->image.at, HD_SEV_NONE,
		    "container '%s' runs image '%s' by tag only: tags can be moved, a digest cannot",
		    c->name, c->image.value);
}

const struct hd_rule hd_rule_container_image_digest = {
	.id = "container/image-not-pinned",
	.title = "Pin the image by digest",
	.severity = HD_SEV_LOW,
	.target = HD_TARGET_CONTAINER,
	.owasp = "D08,D09",
	.other = "checkov:CKV_K8S_43",
	.rationale = "A tag is a movable pointer: the registry, or whoever holds its credentials, "
		     "can point 1.2 at other content. A digest names exactly the content you tested.",
	.remediation = "Add the digest after the tag: `registry.example.com/app:1.2@sha256:<digest>`; "
		       "update it with a bot (Renovate, Dependabot) rather than by hand.",
	.bad_example = "docker run nginx:1.27",
	.good_example = GOOD_RUN(""),
	.check = check_image_digest,
};

static int check_image_registry(const struct hd_model *m, const struct hd_rule *r,
				struct hd_check *out)
{
	const struct hd_container_spec *c = m->ctr;

	if (!image_judgeable(c) || !c->image_ref.registry)
		return 0;
	if (hd_config_registry_trusted(m->cfg, c->image_ref.registry))
		return 0;
	return emit(out, r, c, &c->image.at, HD_SEV_NONE,
		    "container '%s' runs image '%s' from registry '%s', which is not in the trusted "
		    "registries of the configuration", c->name, c->image.value, c->image_ref.registry);
}

const struct hd_rule hd_rule_container_image_registry = {
	.id = "container/untrusted-registry",
	.title = "Run images only from trusted registries",
	.severity = HD_SEV_MEDIUM,
	.target = HD_TARGET_CONTAINER,
	.cis = "4.2",
	.owasp = "D08",
	.rationale = "Images from anywhere carry anyone's code. When `trusted_registries` is "
		     "configured, an image from another registry is a supply-chain risk that bypasses "
		     "your scanning and signing. Without that setting this rule stays quiet.",
	.remediation = "Mirror the image into a trusted registry and run it from there: "
		       "`registry.example.com/mirror/nginx:1.27@sha256:<digest>`; or add the registry to "
		       "`trusted_registries` in .hardock.yaml.",
	.bad_example = NULL, /* fires only with a configured trusted list */
	.good_example = GOOD_RUN(""),
	.check = check_image_registry,
};

/* Does image reference ref match an allowed entry (exact, or a prefix ending in '*')? */
static bool image_in_list(const struct hd_strlist *l, const struct hd_image_ref *ref, const char *raw)
{
	char full[1024];
	size_t i;

	snprintf(full, sizeof(full), "%s/%s%s%s%s%s", ref->registry ? ref->registry : "docker.io",
		 ref->repository ? ref->repository : "", ref->tag ? ":" : "", ref->tag ? ref->tag : "",
		 ref->digest ? "@" : "", ref->digest ? ref->digest : "");
	for (i = 0; i < l->n; i++) {
		const char *a = l->v[i];
		size_t n = strlen(a);

		if (n && a[n - 1] == '*') {
			if (!strncmp(full, a, n - 1) || !strncmp(raw, a, n - 1))
				return true;
		} else if (!strcmp(full, a) || !strcmp(raw, a)) {
			return true;
		}
	}
	return false;
}

static int check_image_allowed(const struct hd_model *m, const struct hd_rule *r, struct hd_check *out)
{
	const struct hd_container_spec *c = m->ctr;

	/* Like the trusted registries: quiet without a list. */
	if (!m->cfg || m->cfg->allowed_images.n == 0)
		return 0;
	if (!c->image.set || c->image.unknown || !c->image.value)
		return 0;
	/* An image whose reference does not parse cannot be shown to be allowed. */
	if (c->image_ref.raw && !c->image_ref.has_unresolved_var &&
	    image_in_list(&m->cfg->allowed_images, &c->image_ref, c->image.value))
		return 0;
	return emit(out, r, c, &c->image.at, HD_SEV_NONE,
		    "container '%s' runs image '%s', which is not one of the allowed images of the "
		    "configuration", c->name, c->image.value);
}

const struct hd_rule hd_rule_container_image_allowed = {
	.id = "container/image-not-allowed",
	.title = "Run only the images the policy allows",
	.severity = HD_SEV_HIGH,
	.target = HD_TARGET_CONTAINER,
	.cis = "4.2",
	.owasp = "D08",
	.rationale = "An allow list of images (`allowed-images`: full references, or prefixes ending "
		     "in '*' such as `registry.example.com/team/*`) is the strictest control of what "
		     "code runs: anything else is refused. Matching uses the normalised reference "
		     "(`nginx` is `docker.io/library/nginx`) and the reference as written. Without the "
		     "setting this rule stays quiet.",
	.remediation = "Run an allowed image, or add the image (or its repository prefix) to "
		       "`allowed-images` in the configuration or the authz policy.",
	.bad_example = NULL, /* fires only with a configured allow list */
	.good_example = GOOD_RUN(""),
	.check = check_image_allowed,
};

/* Is host path p under one of the allowed prefixes? */
static bool host_path_allowed(const struct hd_strlist *l, const char *p)
{
	char path[4096];
	size_t i;

	if (!norm_path(p, path, sizeof(path)) || path[0] != '/')
		return false;
	for (i = 0; i < l->n; i++) {
		char pre[4096];

		if (norm_path(l->v[i], pre, sizeof(pre)) && path_under(path, pre))
			return true;
	}
	return false;
}

static int check_host_path_allowed(const struct hd_model *m, const struct hd_rule *r,
				   struct hd_check *out)
{
	const struct hd_container_spec *c = m->ctr;
	const struct hd_strlist *l;
	size_t i;
	int ret;

	if (!m->cfg || m->cfg->allowed_mount_prefixes.n == 0)
		return 0;
	l = &m->cfg->allowed_mount_prefixes;
	for (i = 0; i < c->n_mounts; i++) {
		const struct hd_mount *mt = &c->mounts[i];

		if (!is_bind(mt) || !mt->source || host_path_allowed(l, mt->source))
			continue;
		ret = emit(out, r, c, &mt->at, HD_SEV_NONE,
			   "container '%s' mounts host path '%s', which is not under an allowed mount "
			   "prefix of the configuration", c->name, mt->source);
		if (ret < 0)
			return ret;
	}
	for (i = 0; i < c->n_devices; i++) {
		const struct hd_device *d = &c->devices[i];

		if (!d->host_path || host_path_allowed(l, d->host_path))
			continue;
		ret = emit(out, r, c, &d->at, HD_SEV_NONE,
			   "container '%s' gets host device '%s', which is not under an allowed mount "
			   "prefix of the configuration", c->name, d->host_path);
		if (ret < 0)
			return ret;
	}
	return 0;
}

const struct hd_rule hd_rule_container_host_path_allowed = {
	.id = "container/host-path-not-allowed",
	.title = "Bind only the host paths the policy allows",
	.severity = HD_SEV_HIGH,
	.target = HD_TARGET_CONTAINER,
	.cis = "5.6",
	.owasp = "D04",
	.rationale = "An allow list of host directories (`allowed-mount-prefixes`, such as "
		     "`/srv/data`) confines what containers can reach of the host's filesystem: a "
		     "bind mount or device from anywhere else is refused, whatever it is. Paths are "
		     "compared after removing '.', '..' and repeated slashes. Without the setting this "
		     "rule stays quiet.",
	.remediation = "Keep the container's host data under an allowed directory "
		       "(`-v /srv/data/app:/data`), use a named volume, or add the directory to "
		       "`allowed-mount-prefixes`.",
	.bad_example = NULL, /* fires only with a configured allow list */
	.good_example = GOOD_RUN(""),
	.check = check_host_path_allowed,
};

/* ---- the Docker API in a container ---------------------------------------------------- */

static const struct hd_env *env_of(const struct hd_container_spec *c, const char *name)
{
	const struct hd_env *found = NULL;
	size_t i;

	/* The last one set wins, as for the engine. */
	for (i = 0; i < c->n_env; i++) {
		if (strcmp(c->env[i].name, name) == 0)
			found = &c->env[i];
	}
	return found;
}

/* Docker-in-Docker: the docker image's dind variants (docker:24-dind, docker:dind-rootless). */
static bool is_dind(const struct hd_container_spec *c)
{
	const char *repo = c->image_ref.repository, *tag = c->image_ref.tag;

	if (repo && (strcmp(repo, "library/docker") == 0 || hd_ends_with(repo, "/docker")))
		return tag && strstr(tag, "dind");
	return c->image.value && strstr(c->image.value, "dind") != NULL;
}

static int check_docker_api_tls(const struct hd_model *m, const struct hd_rule *r, struct hd_check *out)
{
	const struct hd_container_spec *c = m->ctr;
	const struct hd_env *host = env_of(c, "DOCKER_HOST"), *certdir = env_of(c, "DOCKER_TLS_CERTDIR");
	const struct hd_env *verify = env_of(c, "DOCKER_TLS_VERIFY");
	size_t i;
	int ret;

	/* The client side: DOCKER_HOST on plain TCP (2375, or any port without TLS verification). */
	if (host && host->value && hd_starts_with(host->value, "tcp://")) {
		const char *port = strrchr(host->value + 6, ':');
		bool plain = (port && strncmp(port, ":2375", 5) == 0 && (port[5] == '\0' || port[5] == '/')) ||
			     (!(verify && verify->value && *verify->value) && !(port && strncmp(port, ":2376", 5) == 0));

		if (plain) {
			ret = emit(out, r, c, &host->at, HD_SEV_NONE,
				   "container '%s' talks to the Docker API over plain TCP (DOCKER_HOST=%s): "
				   "whoever can reach that port is root on the daemon's host, and every "
				   "command and credential crosses the network unencrypted; use port 2376 with "
				   "TLS (DOCKER_TLS_VERIFY=1 and certificates)", c->name, host->value);
			if (ret < 0)
				return ret;
		}
	}
	/* The daemon side: Docker-in-Docker with TLS turned off. */
	if (!is_dind(c))
		return 0;
	if (certdir && certdir->value && !*certdir->value)
		return emit(out, r, c, &certdir->at, HD_SEV_NONE,
			    "container '%s' runs Docker-in-Docker with TLS turned off (DOCKER_TLS_CERTDIR is "
			    "empty): its daemon listens on port 2375 without encryption or authentication, "
			    "and that daemon runs privileged", c->name);
	for (i = 0; i < c->command.n; i++) {
		const char *a = c->command.v[i].value;

		if (a && (strcmp(a, "--tls=false") == 0 || strcmp(a, "--tls=0") == 0))
			return emit(out, r, c, &c->command.v[i].at, HD_SEV_NONE,
				    "container '%s' runs Docker-in-Docker with %s: its daemon listens without "
				    "encryption or authentication, and that daemon runs privileged", c->name, a);
	}
	return 0;
}

const struct hd_rule hd_rule_container_docker_api_without_tls = {
	.id = "container/docker-api-without-tls",
	.title = "Do not reach a Docker daemon over TCP without TLS",
	.severity = HD_SEV_HIGH,
	.target = HD_TARGET_CONTAINER,
	.cis = "2.6",
	.owasp = "D04",
	.rationale = "The Engine API is root on the daemon's host. Docker-in-Docker with TLS turned off "
		     "(DOCKER_TLS_CERTDIR set empty, as many CI examples do for `docker:dind` services) "
		     "serves it on port 2375 with neither encryption nor authentication, and a client "
		     "with DOCKER_HOST=tcp://...:2375 sends every command, image and registry credential "
		     "in the clear: any other container or job on that network can take the daemon over, "
		     "and the dind daemon itself runs privileged.",
	.remediation = "Keep dind's TLS on (leave DOCKER_TLS_CERTDIR at its default /certs, share the "
		       "client certificates with the job) and talk to it on 2376: `DOCKER_HOST: "
		       "tcp://docker:2376`, `DOCKER_TLS_VERIFY: 1`, `DOCKER_CERT_PATH: /certs/client`; "
		       "or build without a daemon (BuildKit rootless, kaniko).",
	.bad_example = GOOD_RUN("-e DOCKER_HOST=tcp://docker:2375 "),
	.good_example = GOOD_RUN("-e DOCKER_HOST=tcp://docker:2376 -e DOCKER_TLS_VERIFY=1 "),
	.check = check_docker_api_tls,
};

/* ---- secrets ----------------------------------------------------------------------------- */

static int check_secret_env(const struct hd_model *m, const struct hd_rule *r, struct hd_check *out)
{
	const struct hd_container_spec *c = m->ctr;
	size_t i;
	int ret;

	for (i = 0; i < c->n_env; i++) {
		const struct hd_env *e = &c->env[i];
		struct hd_secret_verdict sv;
		bool literal = e->value && *e->value && !strchr(e->value, '$');

		if (e->value && (hd_starts_with(e->value, "/run/secrets/") || hd_starts_with(e->value, "/var/run/secrets/")))
			continue;
		/* One classifier, by name and value (rules/secrets.h). */
		switch (hd_secret_classify(e->name, e->value, &sv)) {
		case HD_SECRET_SHAPED:
			ret = emit(out, r, c, &e->at, literal ? HD_SEV_HIGH : HD_SEV_NONE,
				   "environment variable %s of container '%s' holds what looks like %s: "
				   "anyone who can inspect the container or read its /proc reads it; use "
				   "compose secrets (or docker secrets) mounted under /run/secrets",
				   e->name, c->name, sv.kind);
			break;
		case HD_SECRET_LITERAL:
		case HD_SECRET_REFERENCE:
		case HD_SECRET_PASSTHROUGH:
			ret = emit(out, r, c, &e->at,
				   sv.cls == HD_SECRET_LITERAL ? HD_SEV_HIGH :
				   sv.cls == HD_SECRET_PASSTHROUGH ? HD_SEV_INFO : HD_SEV_NONE,
				   "environment variable %s of container '%s' %s a secret: `docker inspect`, "
				   "/proc/<pid>/environ and crash dumps expose it; use compose `secrets:` "
				   "(or docker secrets) and read it from /run/secrets/%s",
				   e->name, c->name,
				   sv.cls == HD_SECRET_LITERAL ? "holds" :
				   sv.cls == HD_SECRET_REFERENCE ? "is set from a variable holding" :
								   "passes the host's value of",
				   e->name);
			break;
		default:
			continue;
		}
		if (ret < 0)
			return ret;
	}
	return 0;
}

const struct hd_rule hd_rule_container_secret_env = {
	.id = "container/secret-in-env",
	.title = "Do not pass secrets in environment variables",
	.severity = HD_SEV_MEDIUM,
	.target = HD_TARGET_CONTAINER,
	.owasp = "D06",
	.other = "dockle:CIS-DI-0010 checkov:CKV_K8S_35 kube-linter:env-var-secret",
	.rationale = "Environment variables are shown by `docker inspect` to anyone with API access, "
		     "are inherited by every child process, land in crash reports and debug pages, and "
		     "a literal one sits in the script or compose file in version control. Names "
		     "(PASSWORD, TOKEN, SECRET, API_KEY, PRIVATE_KEY, ...) and value shapes (AWS keys, "
		     "private keys, JWTs, URLs with passwords, GitHub/GitLab/Slack tokens) are checked; "
		     "a literal value is high severity.",
	.remediation = "Use secrets: compose `secrets: [db_password]` with a top-level "
		       "`secrets: {db_password: {file: ./db_password.txt}}` and `DB_PASSWORD_FILE="
		       "/run/secrets/db_password` in the environment; for swarm `docker secret create`; "
		       "for a plain run, mount a file read-only from a root-owned 0600 path.",
	.bad_example = "docker run -e DB_PASSWORD=hunter2 postgres:16",
	.good_example = GOOD_RUN("-e DB_PASSWORD_FILE=/run/secrets/db_password "),
	.check = check_secret_env,
};

/* ---- kernel settings ------------------------------------------------------------------ */

static int check_sysctl(const struct hd_model *m, const struct hd_rule *r, struct hd_check *out)
{
	const struct hd_container_spec *c = m->ctr;
	bool hostnet = c->network.set && c->network.mode == HD_NS_HOST;
	size_t i;
	int ret;

	for (i = 0; i < c->sysctls.n; i++) {
		const struct hd_kv_setting *s = &c->sysctls.v[i];

		if (hd_starts_with(s->key, "kernel.")) {
			ret = emit(out, r, c, &s->at, HD_SEV_NONE,
				   "container '%s' sets kernel sysctl %s: kernel.* settings reach beyond the "
				   "container (IPC limits for the host's memory, or the host itself when not "
				   "namespaced)", c->name, s->key);
		} else if (hd_starts_with(s->key, "net.") && hostnet) {
			ret = emit(out, r, c, &s->at, HD_SEV_CRITICAL,
				   "container '%s' sets %s while sharing the host's network namespace: this "
				   "changes the host's own network stack", c->name, s->key);
		} else {
			continue;
		}
		if (ret < 0)
			return ret;
	}
	return 0;
}

const struct hd_rule hd_rule_container_sysctl = {
	.id = "container/dangerous-sysctl",
	.title = "Do not set kernel sysctls, or network sysctls with the host network",
	.severity = HD_SEV_HIGH,
	.target = HD_TARGET_CONTAINER,
	.owasp = "D04,D05",
	.other = "kube-linter:unsafe-sysctls",
	.rationale = "Only namespaced sysctls are private to a container. kernel.* ones tune shared "
		     "kernel resources, and with --network host every net.* sysctl changes the host's "
		     "routing, forwarding and filtering.",
	.remediation = "Set the sysctl on the host where it is meant to apply (/etc/sysctl.d), or "
		       "drop --network host so net.* applies to the container's own namespace.",
	.bad_example = "docker run --sysctl kernel.msgmax=65536 nginx",
	.good_example = GOOD_RUN(""),
	.check = check_sysctl,
};

/* ---- processes ------------------------------------------------------------------------ */

/* True when one of the words runs an SSH daemon. */
static bool runs_sshd(const char *s)
{
	const char *p;

	for (p = s; (p = strstr(p, "sshd")); p += 4) {
		bool start = p == s || p[-1] == '/' || p[-1] == ' ' || p[-1] == '"' || p[-1] == '\'';
		bool end = !p[4] || p[4] == ' ' || p[4] == '"' || p[4] == '\'' || p[4] == ';' || p[4] == '&';

		if (start && end)
			return true;
	}
	return strstr(s, "service ssh start") || strstr(s, "/etc/init.d/ssh") || hd_ends_with(s, "dropbear") ||
	       strstr(s, "dropbear ");
}

/*
 * True when a process command line (from the engine's top, as ps prints it)
 * is an SSH server: its program's base name is sshd, dropbear or tinysshd
 * ("sshd: bob@pts/0" for sshd's session children).  Judging the program, not
 * any word, keeps "grep sshd" or "tail -f sshd.log" from firing.
 */
static bool process_is_sshd(const char *args)
{
	static const char *const names[] = { "sshd", "dropbear", "tinysshd", "sshd-session" };
	const char *end = args + strcspn(args, " \t"), *base = args, *p;
	size_t i, n;

	for (p = args; p < end; p++) {
		if (*p == '/')
			base = p + 1;
	}
	n = (size_t)(end - base);
	if (n && base[n - 1] == ':')
		n--;
	for (i = 0; i < HD_ARRAY_SIZE(names); i++) {
		if (strlen(names[i]) == n && strncmp(base, names[i], n) == 0)
			return true;
	}
	return false;
}

static int check_sshd(const struct hd_model *m, const struct hd_rule *r, struct hd_check *out)
{
	const struct hd_container_spec *c = m->ctr;
	size_t i;

	for (i = 0; i < c->processes.n; i++) {
		if (process_is_sshd(c->processes.v[i].value))
			return emit(out, r, c, &c->processes.v[i].at, HD_SEV_NONE,
				    "container '%s' runs an SSH server (process '%s')", c->name,
				    c->processes.v[i].value);
	}
	for (i = 0; i < c->command.n; i++) {
		if (runs_sshd(c->command.v[i].value))
			return emit(out, r, c, &c->command.v[i].at, HD_SEV_NONE,
				    "container '%s' starts an SSH server ('%s')", c->name,
				    c->command.v[i].value);
	}
	return 0;
}

const struct hd_rule hd_rule_container_sshd = {
	.id = "container/sshd-running",
	.title = "Do not run an SSH server in a container",
	.severity = HD_SEV_MEDIUM,
	.target = HD_TARGET_CONTAINER,
	.cis = "5.7",
	.owasp = "D04",
	.rationale = "sshd in a container is a second way in with its own keys, passwords and "
		     "patches, outside the engine's access control and audit. `docker exec` does the "
		     "same job without a listening daemon.",
	.remediation = "Remove sshd from the image and the command; use `docker exec -it <name> sh`.",
	.bad_example = "docker run debian:12 /usr/sbin/sshd -D",
	.good_example = GOOD_RUN(""),
	.check = check_sshd,
};

/* ---- what the source could not read ---------------------------------------------------- */

static int check_unknown_flag(const struct hd_model *m, const struct hd_rule *r, struct hd_check *out)
{
	const struct hd_container_spec *c = m->ctr;
	size_t i;
	int ret;

	for (i = 0; i < c->unknown_options.n; i++) {
		const struct hd_item *x = &c->unknown_options.v[i];

		ret = emit(out, r, c, &x->at, HD_SEV_NONE,
			   "unknown option '%s' for container '%s': docker refuses it, or it is newer "
			   "than hardock; it was read as taking no value, so what follows may be "
			   "misread", x->value, c->name);
		if (ret < 0)
			return ret;
	}
	return 0;
}

const struct hd_rule hd_rule_container_unknown_flag = {
	.id = "container/unknown-flag",
	.title = "Option not known for this command",
	.severity = HD_SEV_LOW,
	.target = HD_TARGET_CONTAINER,
	.rationale = "An option docker does not know makes the command fail, which is a bug in the "
		     "script. If it is a newer option, hardock cannot tell whether it takes a value, "
		     "and the settings after it may be misread; the finding says so rather than "
		     "guessing silently.",
	.remediation = "Fix the spelling (`--read-only`, not `--readonly`), or report the option so "
		       "hardock learns it.",
	.bad_example = "docker run --readonly nginx",
	.good_example = GOOD_RUN(""),
	.check = check_unknown_flag,
};

static int check_invalid_value(const struct hd_model *m, const struct hd_rule *r, struct hd_check *out)
{
	const struct hd_container_spec *c = m->ctr;
	size_t i;
	int ret;

	for (i = 0; i < c->invalid_options.n; i++) {
		const struct hd_item *x = &c->invalid_options.v[i];

		ret = emit(out, r, c, &x->at, HD_SEV_NONE,
			   "invalid value for container '%s': %s; docker refuses this, and the setting "
			   "was not judged", c->name, x->value);
		if (ret < 0)
			return ret;
	}
	return 0;
}

const struct hd_rule hd_rule_container_invalid_value = {
	.id = "container/invalid-option-value",
	.title = "Option value docker would refuse",
	.severity = HD_SEV_LOW,
	.target = HD_TARGET_CONTAINER,
	.rationale = "A value docker cannot parse (a size without a number, a port above 65535, an "
		     "unknown restart policy) makes the command fail; the security setting it was "
		     "meant to apply is not in effect.",
	.remediation = "Fix the value as the message says, e.g. `--memory 512m`, `-p 8080:80`, "
		       "`--restart on-failure:5`.",
	.bad_example = "docker run --memory lots nginx",
	.good_example = GOOD_RUN(""),
	.check = check_invalid_value,
};
