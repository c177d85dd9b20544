/*
 * Daemon rules: the effective dockerd configuration (CIS section 2), the
 * problems that stop dockerd from starting, TLS on the API socket, and the
 * owners and modes of the daemon's files (CIS section 3, ids daemon/file-*).
 * Each check reads only the daemon_spec; dockerd's defaults are known here:
 * icc, iptables, userland-proxy on; live-restore, no-new-privileges,
 * experimental off; log level info; log driver json-file.
 */
#include "core/common.h"
#include "core/finding.h"
#include "model/daemon.h"

#define DAY (24 * 60 * 60)

static int add_at_sev(struct hd_check *out, enum hd_severity sev, const struct hd_daemon_spec *d,
		      enum hd_dopt o, const char *fmt, ...) __attribute__((format(printf, 5, 6)));

/*
 * A finding about option o, located at its origin (or at daemon.json when
 * unset), with this case's severity sev (HD_SEV_NONE: the rule's).
 */
static int add_at_sev(struct hd_check *out, enum hd_severity sev, const struct hd_daemon_spec *d,
		      enum hd_dopt o, const char *fmt, ...)
{
	char msg[HD_MAX_MESSAGE];
	struct hd_loc loc;
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	hd_daemon_loc(d, o, &loc);
	return hd_report_sev(out, sev, &loc, "%s", msg);
}
#define add_at(out, r, d, o, ...) ((void)(r), add_at_sev((out), HD_SEV_NONE, (d), (o), __VA_ARGS__))

/* "--icc=true on the command line (docker.service:12)" or "'icc' in daemon.json". */
static const char *where(const struct hd_daemon_spec *d, enum hd_dopt o, char *buf, size_t size)
{
	const struct hd_dsetting *s = hd_daemon_opt(d, o);

	if (!s->set)
		snprintf(buf, size, "not set");
	else if (s->src == HD_DSRC_ARGS)
		snprintf(buf, size, "'%s' on the command line", s->at.field ? s->at.field : "?");
	else
		snprintf(buf, size, "\"%s\" in %s", hd_dopt_table[o].json,
			 s->at.file ? s->at.file : "daemon.json");
	return buf;
}

/* ------------------------------------------------------------------ */
/* Problems that stop dockerd, or that it ignores. */

static int report_problems(const struct hd_model *m, const struct hd_rule *r, struct hd_check *out,
			   enum hd_dproblem_kind kind)
{
	const struct hd_daemon_spec *d = m->daemon;
	size_t i;
	int rc;

	for (i = 0; i < d->n_problems; i++) {
		const struct hd_dproblem *p = &d->problems[i];
		struct hd_loc loc;

		if (p->kind != kind)
			continue;
		hd_dorigin_loc(&p->at, &loc);
		rc = hd_report(out, &loc, "%s", p->message);
		if (rc < 0)
			return rc;
	}
	return 0;
}

static int check_config_invalid(const struct hd_model *m, const struct hd_rule *r,
				struct hd_check *out)
{
	return report_problems(m, r, out, HD_DP_INVALID);
}

const struct hd_rule hd_rule_daemon_config_invalid = {
	.id = "daemon/config-invalid",
	.title = "dockerd's configuration can be read and parsed",
	.severity = HD_SEV_ERROR,
	.target = HD_TARGET_DAEMON,
	.flags = HD_RULE_NO_IGNORE,
	.owasp = "D04",
	.rationale = "A daemon.json that is not valid JSON, a value of the wrong type (\"icc\": \"false\" "
		"instead of false, a number in log-opts), an unreadable file, a unit file whose "
		"ExecStart= systemd cannot split, or two ExecStart= lines in effect: dockerd or "
		"systemd refuses to start, and the next restart of the daemon becomes an outage. "
		"The other checks then judge a configuration that will never run.",
	.remediation = "Fix the file at the position given. For daemon.json, `python3 -m json.tool "
		"/etc/docker/daemon.json` shows the first syntax error; booleans are true/false without "
		"quotes, log-opts values are strings (\"max-file\": \"3\"). A drop-in that replaces "
		"ExecStart= must clear it first with an empty `ExecStart=` line.",
	.bad_example = "{ \"icc\": \"false\", \"log-opts\": { \"max-file\": 3 } }",
	.good_example = "{ \"icc\": false, \"log-opts\": { \"max-file\": \"3\" } }",
	.check = check_config_invalid,
};

static int check_unknown_option(const struct hd_model *m, const struct hd_rule *r,
				struct hd_check *out)
{
	return report_problems(m, r, out, HD_DP_UNKNOWN);
}

const struct hd_rule hd_rule_daemon_unknown_option = {
	.id = "daemon/unknown-option",
	.title = "daemon.json keys and dockerd flags are ones dockerd knows",
	.severity = HD_SEV_HIGH,
	.target = HD_TARGET_DAEMON,
	.owasp = "D04",
	.rationale = "dockerd refuses to start when daemon.json holds a key it does not know "
		"(\"the following directives don't match any configuration option\") or its command "
		"line holds an unknown flag. A typo in a hardening setting therefore does not only "
		"leave the setting off: it stops the daemon at its next restart. Keys are "
		"case-sensitive. Keys added in later releases are unknown to older daemons.",
	.remediation = "Correct the key (the message suggests the closest known one) or remove it. "
		"`dockerd --validate --config-file /etc/docker/daemon.json` (dockerd 23 and later) "
		"checks a file before a restart.",
	.bad_example = "{ \"live_restore\": true }",
	.good_example = "{ \"live-restore\": true }",
	.check = check_unknown_option,
};

static int check_config_conflict(const struct hd_model *m, const struct hd_rule *r,
				 struct hd_check *out)
{
	return report_problems(m, r, out, HD_DP_CONFLICT);
}

const struct hd_rule hd_rule_daemon_config_conflict = {
	.id = "daemon/config-conflict",
	.title = "No option is set both on dockerd's command line and in daemon.json",
	.severity = HD_SEV_HIGH,
	.target = HD_TARGET_DAEMON,
	.owasp = "D04",
	.rationale = "dockerd refuses to start when an option is given both as a flag and as a "
		"daemon.json key (\"the following directives are specified both as a flag and in the "
		"configuration file\"). The classic case is \"hosts\" in daemon.json while the "
		"distribution's docker.service runs `dockerd -H fd://`.",
	.remediation = "Keep each option in one place. To set \"hosts\" in daemon.json, override "
		"the unit: /etc/systemd/system/docker.service.d/override.conf with `[Service]`, "
		"`ExecStart=` and `ExecStart=/usr/bin/dockerd`, then `systemctl daemon-reload`.",
	.bad_example = "ExecStart=/usr/bin/dockerd -H fd:// with { \"hosts\": [\"unix:///var/run/docker.sock\"] }",
	.good_example = "ExecStart=/usr/bin/dockerd with { \"hosts\": [\"unix:///var/run/docker.sock\"] }",
	.check = check_config_conflict,
};

static int check_config_ignored(const struct hd_model *m, const struct hd_rule *r,
				struct hd_check *out)
{
	return report_problems(m, r, out, HD_DP_IGNORED);
}

const struct hd_rule hd_rule_daemon_config_ignored = {
	.id = "daemon/config-ignored",
	.title = "No setting is silently ignored",
	.severity = HD_SEV_LOW,
	.target = HD_TARGET_DAEMON,
	.owasp = "D04",
	.rationale = "Some settings look applied but are not: a flag's name used as a daemon.json "
		"key (\"insecure-registry\" instead of \"insecure-registries\", \"authorization-plugin\" "
		"instead of \"authorization-plugins\") is accepted and ignored; of a key given twice "
		"only the last counts; DOCKER_OPTS in /etc/default/docker is read only by the SysV "
		"init script, not by docker.service; environment-file lines systemd cannot parse "
		"are skipped. An administrator reading the file believes in protection that is not "
		"there.",
	.remediation = "Use the daemon.json key named in the message, remove duplicates, and move "
		"DOCKER_OPTS settings into daemon.json.",
	.bad_example = "{ \"authorization-plugin\": [\"authz\"] }",
	.good_example = "{ \"authorization-plugins\": [\"authz\"] }",
	.check = check_config_ignored,
};

/* ------------------------------------------------------------------ */
/* CIS section 2. */

static bool rootless(const struct hd_daemon_spec *d)
{
	const char *base = d->exec_path ? strrchr(d->exec_path, '/') : NULL;

	base = base ? base + 1 : d->exec_path;
	return hd_daemon_bool(d, HD_DOPT_ROOTLESS, false) ||
	       (base && hd_starts_with(base, "dockerd-rootless")) ||
	       (d->unit_user && strcmp(d->unit_user, "root") != 0 && strcmp(d->unit_user, "0") != 0);
}

static int check_rootless(const struct hd_model *m, const struct hd_rule *r, struct hd_check *out)
{
	const struct hd_daemon_spec *d = m->daemon;
	struct hd_loc loc = { 0 };

	if (rootless(d))
		return 0;
	loc.file = d->args_from;
	return hd_report(out, &loc,
			       "dockerd runs as root; rootless mode (dockerd-rootless-setuptool.sh) "
			       "confines a daemon compromise to one unprivileged user, where its "
			       "limits (no AppArmor, overlay networking, ports below 1024) allow");
}

const struct hd_rule hd_rule_daemon_rootless = {
	.id = "daemon/rootless",
	.title = "Run the Docker daemon as a non-root user, if possible",
	.severity = HD_SEV_INFO,
	.target = HD_TARGET_DAEMON,
	.cis = "2.1",
	.owasp = "D04",
	.rationale = "A root daemon turns any escape from a container, and anyone who can talk to "
		"its socket, into root on the host. Rootless mode runs dockerd and containers inside "
		"a user namespace of an unprivileged user. It is a manual check in CIS because its "
		"limitations rule it out for many hosts; hardock reports it as information.",
	.remediation = "Where the limitations are acceptable, install rootless mode: "
		"`dockerd-rootless-setuptool.sh install` as the user that will own the daemon.",
	.bad_example = "ExecStart=/usr/bin/dockerd (as root)",
	.good_example = "ExecStart=/usr/bin/dockerd-rootless.sh (as an unprivileged user)",
	.check = check_rootless,
};

static int check_icc(const struct hd_model *m, const struct hd_rule *r, struct hd_check *out)
{
	const struct hd_daemon_spec *d = m->daemon;
	const char *bridge = hd_daemon_str(d, HD_DOPT_BRIDGE);
	char w[256];

	if (bridge && strcmp(bridge, "none") == 0)
		return hd_not_applicable(out, "the default bridge is disabled (bridge: none)");
	if (!hd_daemon_bool(d, HD_DOPT_ICC, true))
		return 0;
	if (hd_daemon_opt(d, HD_DOPT_ICC)->set)
		return add_at(out, r, d, HD_DOPT_ICC,
			      "inter-container communication is on (%s): every container on the "
			      "default bridge can reach every port of the others",
			      where(d, HD_DOPT_ICC, w, sizeof(w)));
	return add_at(out, r, d, HD_DOPT_ICC,
		      "\"icc\" is not set, so dockerd's default (true) lets every container on the "
		      "default bridge reach every port of the others; set \"icc\": false");
}

static const struct hd_fix icc_fix[] = {
	{ "icc", "false", HD_FIX_SET,
	  "containers on the default bridge can no longer reach each other's ports",
	  "containers that talk over docker0 or legacy --link: put them on a user-defined network" },
	{ NULL, NULL, 0, NULL, NULL },
};

const struct hd_rule hd_rule_daemon_icc = {
	.id = "daemon/icc",
	.title = "Restrict network traffic between containers on the default bridge",
	.severity = HD_SEV_MEDIUM,
	.target = HD_TARGET_DAEMON,
	.cis = "2.2",
	.owasp = "D03",
	.other = "docker-bench:2.2",
	.rationale = "With icc on, a compromised container can probe and attack every other "
		"container on docker0 without going through any published port. Containers that "
		"must talk should share a user-defined network, where the traffic is explicit.",
	.remediation = "Set \"icc\": false in /etc/docker/daemon.json and restart dockerd. It may "
		"break containers that reach each other over the default bridge (legacy --link): "
		"put them on a user-defined network (`docker network create app`).",
	.bad_example = "{ \"icc\": true }",
	.good_example = "{ \"icc\": false }",
	.check = check_icc,
	.fix = icc_fix,
};

static int check_log_level(const struct hd_model *m, const struct hd_rule *r, struct hd_check *out)
{
	const struct hd_daemon_spec *d = m->daemon;
	const char *lvl = hd_daemon_str(d, HD_DOPT_LOG_LEVEL);
	char w[256];

	if (hd_daemon_bool(d, HD_DOPT_DEBUG, false))
		return add_at(out, r, d, HD_DOPT_DEBUG,
			      "debug mode is on (%s): the log level is debug, which records request "
			      "details that may include secrets", where(d, HD_DOPT_DEBUG, w, sizeof(w)));
	if (!lvl || strcmp(lvl, "info") == 0)
		return 0;
	if (strcmp(lvl, "debug") == 0 || strcmp(lvl, "trace") == 0)
		return add_at(out, r, d, HD_DOPT_LOG_LEVEL,
			      "log level is '%s' (%s): verbose logs may record secrets and fill the "
			      "disk; use 'info'", lvl, where(d, HD_DOPT_LOG_LEVEL, w, sizeof(w)));
	return add_at(out, r, d, HD_DOPT_LOG_LEVEL,
		      "log level is '%s' (%s): events an investigation needs are not logged; use "
		      "'info'", lvl, where(d, HD_DOPT_LOG_LEVEL, w, sizeof(w)));
}

static const struct hd_fix log_level_fix[] = {
	{ "log-level", "\"info\"", HD_FIX_CORRECT,
	  "'info' keeps the audit trail without debug's secrets and volume", "less detail in dockerd's log" },
	{ "debug", "false", HD_FIX_CORRECT, "debug logging records request details", "less detail in dockerd's log" },
	{ NULL, NULL, 0, NULL, NULL },
};

const struct hd_rule hd_rule_daemon_log_level = {
	.id = "daemon/log-level",
	.title = "Set the daemon's logging level to 'info'",
	.severity = HD_SEV_LOW,
	.target = HD_TARGET_DAEMON,
	.cis = "2.3",
	.owasp = "D10",
	.other = "docker-bench:2.3",
	.rationale = "'info' records the events needed to reconstruct what happened without the "
		"volume and secrets of 'debug'. Lower levels ('warn', 'error', 'fatal') drop the "
		"audit trail.",
	.remediation = "Remove \"log-level\" and \"debug\" or set \"log-level\": \"info\".",
	.bad_example = "{ \"log-level\": \"debug\" }",
	.good_example = "{ \"log-level\": \"info\" }",
	.check = check_log_level,
	.fix = log_level_fix,
};

static int check_iptables(const struct hd_model *m, const struct hd_rule *r, struct hd_check *out)
{
	const struct hd_daemon_spec *d = m->daemon;
	char w[256];

	if (hd_daemon_bool(d, HD_DOPT_IPTABLES, true))
		return 0;
	return add_at(out, r, d, HD_DOPT_IPTABLES,
		      "dockerd may not change iptables (%s): published ports and isolation between "
		      "networks then depend on rules maintained by hand",
		      where(d, HD_DOPT_IPTABLES, w, sizeof(w)));
}

static const struct hd_fix iptables_fix[] = {
	{ "iptables", "true", HD_FIX_CORRECT,
	  "dockerd keeps network isolation and published ports consistent",
	  "a firewall maintained by hand for containers: dockerd now manages its chains" },
	{ NULL, NULL, 0, NULL, NULL },
};

const struct hd_rule hd_rule_daemon_iptables = {
	.id = "daemon/iptables",
	.title = "Allow Docker to make changes to iptables",
	.severity = HD_SEV_MEDIUM,
	.target = HD_TARGET_DAEMON,
	.cis = "2.4",
	.owasp = "D03",
	.other = "docker-bench:2.4",
	.rationale = "dockerd keeps the firewall consistent with the containers' networks and "
		"published ports. With \"iptables\": false, isolation between networks and the "
		"effect of icc are lost unless someone maintains equivalent rules by hand.",
	.remediation = "Remove \"iptables\": false (the default is true), or document the "
		"hand-maintained firewall that replaces it.",
	.bad_example = "{ \"iptables\": false }",
	.good_example = "{ \"iptables\": true }",
	.check = check_iptables,
	.fix = iptables_fix,
};

static int check_insecure_registries(const struct hd_model *m, const struct hd_rule *r,
				     struct hd_check *out)
{
	const struct hd_daemon_spec *d = m->daemon;
	const struct hd_dsetting *s = hd_daemon_opt(d, HD_DOPT_INSECURE_REGISTRIES);
	size_t i;
	int rc;

	for (i = 0; s->set && i < s->n_items; i++) {
		const char *v = s->items[i].value;
		struct hd_loc loc;

		/* dockerd always treats 127.0.0.0/8 as insecure; listing it changes nothing. */
		if (strcmp(v, "127.0.0.0/8") == 0)
			continue;
		hd_dorigin_loc(&s->items[i].at, &loc);
		rc = hd_report(out, &loc,
				     "registry '%s' is insecure: images are pulled over plain HTTP or "
				     "unverified TLS, so anyone on the path can substitute them", v);
		if (rc < 0)
			return rc;
	}
	return 0;
}

static const struct hd_fix insecure_registries_fix[] = {
	{ "insecure-registries", NULL, HD_FIX_EXPLAIN,
	  "kept: removing them stops pulls from those registries; give each a certificate the host trusts (/etc/docker/certs.d/<registry>/ca.crt), then remove it from the list", NULL },
	{ NULL, NULL, 0, NULL, NULL },
};

const struct hd_rule hd_rule_daemon_insecure_registries = {
	.id = "daemon/insecure-registries",
	.title = "Do not use insecure registries",
	.severity = HD_SEV_HIGH,
	.target = HD_TARGET_DAEMON,
	.cis = "2.5",
	.owasp = "D08",
	.other = "docker-bench:2.5",
	.rationale = "An insecure registry is reached without TLS verification. A man in the "
		"middle can serve any image under a trusted name, and the host runs it.",
	.remediation = "Give the registry a certificate from a CA the host trusts, or put its CA in "
		"/etc/docker/certs.d/<registry>/ca.crt, and remove it from \"insecure-registries\".",
	.bad_example = "{ \"insecure-registries\": [\"registry.internal:5000\"] }",
	.good_example = "{ }",
	.check = check_insecure_registries,
	.fix = insecure_registries_fix,
};

static int check_aufs(const struct hd_model *m, const struct hd_rule *r, struct hd_check *out)
{
	const struct hd_daemon_spec *d = m->daemon;
	const char *drv = hd_daemon_str(d, HD_DOPT_STORAGE_DRIVER);
	char w[256];

	if (d->running_driver && strcmp(d->running_driver, "aufs") == 0 && (!drv || strcmp(drv, "aufs"))) {
		struct hd_loc loc = { 0 };

		loc.object = d->running_from;
		loc.field = "Driver";
		return hd_report(out, &loc,
				       "the running engine uses the aufs storage driver (chosen by "
				       "dockerd, not configured): it is unmaintained and was removed in "
				       "Docker 24");
	}
	if (!drv || strcmp(drv, "aufs") != 0)
		return 0;
	return add_at(out, r, d, HD_DOPT_STORAGE_DRIVER,
		      "storage driver is aufs (%s): it is unmaintained, has known kernel crashes and "
		      "was removed in Docker 24", where(d, HD_DOPT_STORAGE_DRIVER, w, sizeof(w)));
}

static const struct hd_fix aufs_storage_fix[] = {
	{ "storage-driver", NULL, HD_FIX_EXPLAIN,
	  "kept (\"aufs\"): moving to overlay2 hides every image and container; export what you need, then set \"overlay2\"", NULL },
	{ NULL, NULL, 0, NULL, NULL },
};

const struct hd_rule hd_rule_daemon_aufs_storage = {
	.id = "daemon/aufs-storage",
	.title = "Do not use the aufs storage driver",
	.severity = HD_SEV_MEDIUM,
	.target = HD_TARGET_DAEMON,
	.cis = "2.6",
	.owasp = "D04",
	.other = "docker-bench:2.6",
	.rationale = "aufs is not in the upstream kernel, is no longer maintained and causes "
		"kernel crashes; Docker removed it in 24.0. overlay2 is the supported driver.",
	.remediation = "Set \"storage-driver\": \"overlay2\" (images and containers must be "
		"re-pulled or migrated: export what you need first).",
	.bad_example = "{ \"storage-driver\": \"aufs\" }",
	.good_example = "{ \"storage-driver\": \"overlay2\" }",
	.check = check_aufs,
	.fix = aufs_storage_fix,
};

/* A TCP host: "tcp://0.0.0.0:2376" or "host:port"; NULL for sockets. */
static bool tcp_host(const char *h)
{
	return hd_starts_with(h, "tcp://") || (!strstr(h, "://") && strchr(h, ':'));
}

static const char *files_state(const struct hd_file_list *l, const char **path)
{
	*path = l->n ? l->v[0].path : NULL;
	if (!l->n)
		return "is not named";
	if (l->v[0].type == HD_FT_MISSING)
		return l->v[0].err == -HD_ENOENT ? "does not exist" : hd_strerror(l->v[0].err);
	return NULL;
}

static int check_tls_auth(const struct hd_model *m, const struct hd_rule *r, struct hd_check *out)
{
	const struct hd_daemon_spec *d = m->daemon;
	const struct hd_dsetting *hosts = hd_daemon_opt(d, HD_DOPT_HOSTS);
	bool verify = hd_daemon_bool(d, HD_DOPT_TLSVERIFY, false);
	bool tls = verify || hd_daemon_bool(d, HD_DOPT_TLS, false);
	static const struct { enum hd_dfile f; const char *what; } need[] = {
		{ HD_DF_TLS_CA, "tlscacert" }, { HD_DF_TLS_CERT, "tlscert" }, { HD_DF_TLS_KEY, "tlskey" },
	};
	size_t i;
	int rc;

	if (!hd_daemon_listens_tcp(d))
		return hd_not_applicable(out, "dockerd does not listen on TCP");
	for (i = 0; i < hosts->n_items; i++) {
		const char *h = hosts->items[i].value;
		struct hd_loc loc;

		if (!tcp_host(h))
			continue;
		hd_dorigin_loc(&hosts->items[i].at, &loc);
		if (!tls) {
			rc = hd_report_sev(out, HD_SEV_CRITICAL, &loc,
					     "dockerd listens on %s without TLS: anyone who reaches the "
					     "port has root on this host%s", h,
					     strstr(h, ":2375") ? " (2375 is the port scanners try first)" : "");
			if (rc < 0)
				return rc;
		} else if (!verify) {
			rc = hd_report_sev(out, HD_SEV_CRITICAL, &loc,
					     "dockerd listens on %s with TLS but without \"tlsverify\": "
					     "clients are not authenticated, anyone who reaches the port "
					     "has root on this host", h);
			if (rc < 0)
				return rc;
		}
	}
	if (!tls)
		return 0;
	for (i = 0; i < HD_ARRAY_SIZE(need); i++) {
		const char *path, *state = files_state(&d->files[need[i].f], &path);
		enum hd_dopt o = need[i].f == HD_DF_TLS_CA ? HD_DOPT_TLSCACERT :
				 need[i].f == HD_DF_TLS_CERT ? HD_DOPT_TLSCERT : HD_DOPT_TLSKEY;

		if (need[i].f == HD_DF_TLS_CA && !verify)
			continue;
		if (state) {
			rc = add_at(out, r, d, o, "%s '%s' %s: dockerd refuses to start", need[i].what,
				    path ? path : "-", state);
			if (rc < 0)
				return rc;
		}
	}
	if (d->tls.key.present && d->tls.key.encrypted) {
		rc = add_at(out, r, d, HD_DOPT_TLSKEY,
			    "tlskey is passphrase-protected: dockerd cannot prompt for it and refuses "
			    "to start");
		if (rc < 0)
			return rc;
	} else if (d->tls.key.error) {
		rc = add_at(out, r, d, HD_DOPT_TLSKEY, "tlskey: %s; dockerd refuses to start",
			    d->tls.key.error);
		if (rc < 0)
			return rc;
	}
	if (d->tls.cert.error) {
		rc = add_at(out, r, d, HD_DOPT_TLSCERT, "tlscert: %s; dockerd refuses to start",
			    d->tls.cert.error);
		if (rc < 0)
			return rc;
	}
	if (verify && d->tls.ca.error) {
		rc = add_at(out, r, d, HD_DOPT_TLSCACERT, "tlscacert: %s; dockerd refuses to start",
			    d->tls.ca.error);
		if (rc < 0)
			return rc;
	}
	if (d->tls.key.present && !d->tls.key.encrypted && d->tls.cert.present &&
	    memcmp(d->tls.key.spki_sha256, d->tls.cert.spki_sha256, sizeof(d->tls.key.spki_sha256))) {
		rc = add_at(out, r, d, HD_DOPT_TLSKEY,
			    "tlskey does not belong to tlscert (their public keys differ): dockerd "
			    "refuses to start");
		if (rc < 0)
			return rc;
	}
	return 0;
}

static const struct hd_fix tls_auth_fix[] = {
	{ "tlsverify", NULL, HD_FIX_EXPLAIN,
	  "not added: dockerd listens on TCP without client verification; create certificates with `hardock tls init --host NAME` and add the daemon.json lines it prints", NULL },
	{ NULL, NULL, 0, NULL, NULL },
};

const struct hd_rule hd_rule_daemon_tls_auth = {
	.id = "daemon/tls-auth",
	.title = "Configure TLS authentication when dockerd listens on TCP",
	.severity = HD_SEV_HIGH,
	.target = HD_TARGET_DAEMON,
	.cis = "2.7",
	.owasp = "D04",
	.other = "docker-bench:2.7",
	.rationale = "The Engine API is root on the host. On a TCP socket without TLS (port 2375 by "
		"convention) anyone who can reach the port runs privileged containers; with TLS but "
		"without tlsverify the traffic is encrypted but any client is accepted. Only "
		"\"tlsverify\" with a CA makes dockerd demand a client certificate that CA signed. "
		"Missing or mismatched files make dockerd refuse to start.",
	.remediation = "Create a CA, a server and a client certificate (`hardock tls init --host "
		"NAME --ip IP --out DIR`), then set \"tlsverify\": true, \"tlscacert\", \"tlscert\", "
		"\"tlskey\" and listen on port 2376. Or do not listen on TCP at all: use SSH "
		"(DOCKER_HOST=ssh://user@host).",
	.bad_example = "{ \"hosts\": [\"tcp://0.0.0.0:2375\", \"unix:///var/run/docker.sock\"] }",
	.good_example = "{ \"hosts\": [\"tcp://0.0.0.0:2376\", \"unix:///var/run/docker.sock\"], "
		"\"tlsverify\": true, \"tlscacert\": \"/etc/docker/tls/ca.pem\", \"tlscert\": "
		"\"/etc/docker/tls/server-cert.pem\", \"tlskey\": \"/etc/docker/tls/server-key.pem\" }",
	.check = check_tls_auth,
	.fix = tls_auth_fix,
};

static bool tls_in_use(const struct hd_daemon_spec *d)
{
	return hd_daemon_listens_tcp(d) && (hd_daemon_bool(d, HD_DOPT_TLS, false) ||
					    hd_daemon_bool(d, HD_DOPT_TLSVERIFY, false));
}

/* Why a check of the daemon's certificates has nothing to judge. */
static int tls_not_applicable(struct hd_check *out, const struct hd_daemon_spec *d)
{
	if (!hd_daemon_listens_tcp(d))
		return hd_not_applicable(out, "dockerd does not listen on TCP");
	if (!tls_in_use(d))
		return hd_not_applicable(out, "TLS is off, so there are no certificates to judge (see "
					 "daemon/tls-auth)");
	return hd_not_applicable(out, "no certificate of the daemon could be read");
}

static int expiry(struct hd_check *out, const struct hd_rule *r, const struct hd_daemon_spec *d,
		  enum hd_dopt o, const char *what, const struct hd_cert_fact *c)
{
	int64_t left;

	if (!c->present)
		return 0;
	if (c->not_before > d->now)
		return add_at(out, r, d, o, "%s '%s' is not valid yet (its validity starts in %" PRId64
			      " days): check the clock of the host that issued it", what, c->subject,
			      (c->not_before - d->now) / DAY);
	left = c->not_after - d->now;
	if (left < 0)
		return add_at(out, r, d, o, "%s '%s' expired %" PRId64 " days ago: clients and dockerd "
			      "reject TLS handshakes", what, c->subject, -left / DAY);
	if (left < 30 * DAY) {
		int rc = add_at_sev(out, HD_SEV_MEDIUM, d, o, "%s '%s' expires in %" PRId64 " days: renew it before "
				"TLS connections start failing", what, c->subject, left / DAY);

		return rc;
	}
	return 0;
}

static int check_tls_expiry(const struct hd_model *m, const struct hd_rule *r, struct hd_check *out)
{
	const struct hd_daemon_spec *d = m->daemon;
	int rc;

	if (!tls_in_use(d) || (!d->tls.ca.present && !d->tls.cert.present))
		return tls_not_applicable(out, d);
	rc = expiry(out, r, d, HD_DOPT_TLSCACERT, "CA certificate", &d->tls.ca);
	if (rc >= 0)
		rc = expiry(out, r, d, HD_DOPT_TLSCERT, "server certificate", &d->tls.cert);
	return rc < 0 ? rc : 0;
}

const struct hd_rule hd_rule_daemon_tls_cert_expiry = {
	.id = "daemon/tls-cert-expiry",
	.title = "TLS certificates of the daemon are valid for at least 30 more days",
	.severity = HD_SEV_HIGH,
	.target = HD_TARGET_DAEMON,
	.cis = "2.7",
	.owasp = "D04",
	.rationale = "An expired CA or server certificate breaks every TLS connection to the daemon; "
		"the usual emergency fix is to turn TLS verification off. Warning 30 days ahead leaves "
		"time to rotate calmly.",
	.remediation = "Issue new certificates from the CA (or a new CA and client certificates), "
		"replace the files named by tlscacert/tlscert/tlskey and restart dockerd.",
	.bad_example = "a server certificate whose notAfter is in 10 days",
	.good_example = "a server certificate valid for another year",
	.check = check_tls_expiry,
};

static int weak_key(struct hd_check *out, const struct hd_rule *r, const struct hd_daemon_spec *d,
		    enum hd_dopt o, const char *what, const char *type, int bits, const char *sig)
{
	int rc = 0;

	if (!type[0])
		return 0;
	if ((!strcmp(type, "RSA") || !strcmp(type, "RSA-PSS")) && bits < 2048)
		rc = add_at(out, r, d, o, "%s has a %d-bit RSA key; use at least 2048 bits", what, bits);
	else if (!strcmp(type, "EC") && bits < 256)
		rc = add_at(out, r, d, o, "%s has a %d-bit EC key; use at least P-256", what, bits);
	else if (!strcmp(type, "DSA"))
		rc = add_at(out, r, d, o, "%s has a DSA key, which TLS clients no longer accept", what);
	if (rc >= 0 && sig && (hd_strcasestr(sig, "md5") || hd_strcasestr(sig, "sha1")))
		rc = add_at(out, r, d, o, "%s is signed with %s; use SHA-256 or better", what, sig);
	return rc;
}

static int check_tls_key_strength(const struct hd_model *m, const struct hd_rule *r,
				  struct hd_check *out)
{
	const struct hd_daemon_spec *d = m->daemon;
	const struct hd_tls_facts *t = &d->tls;
	int rc;

	if (!tls_in_use(d) || (!t->ca.present && !t->cert.present && !t->key.present))
		return tls_not_applicable(out, d);
	rc = weak_key(out, r, d, HD_DOPT_TLSCACERT, "the CA certificate", t->ca.key_type,
		      t->ca.key_bits, t->ca.present ? t->ca.sig_alg : NULL);
	if (rc >= 0)
		rc = weak_key(out, r, d, HD_DOPT_TLSCERT, "the server certificate", t->cert.key_type,
			      t->cert.key_bits, t->cert.present ? t->cert.sig_alg : NULL);
	if (rc >= 0 && !t->cert.present)
		rc = weak_key(out, r, d, HD_DOPT_TLSKEY, "the server key", t->key.key_type,
			      t->key.key_bits, NULL);
	return rc < 0 ? rc : 0;
}

const struct hd_rule hd_rule_daemon_tls_key_strength = {
	.id = "daemon/tls-key-strength",
	.title = "TLS keys of the daemon are strong enough",
	.severity = HD_SEV_MEDIUM,
	.target = HD_TARGET_DAEMON,
	.cis = "2.7",
	.owasp = "D04",
	.rationale = "RSA keys below 2048 bits, EC keys below 256 bits, DSA keys and SHA-1 or MD5 "
		"signatures can be broken or forged with affordable effort, and modern clients refuse "
		"some of them outright.",
	.remediation = "Re-issue with RSA 4096 (or EC P-256/P-384) keys and SHA-256 signatures: "
		"`hardock tls init` does both.",
	.bad_example = "a server certificate with a 1024-bit RSA key",
	.good_example = "a server certificate with a 4096-bit RSA key signed with sha256WithRSAEncryption",
	.check = check_tls_key_strength,
};

/* The host part of "tcp://HOST:PORT" into buf; "" for wildcard addresses. */
static void tcp_host_name(const char *h, char *buf, size_t size)
{
	const char *p = hd_starts_with(h, "tcp://") ? h + 6 : h, *end;
	size_t n;

	if (*p == '[') {
		p++;
		end = strchr(p, ']');
	} else {
		end = strrchr(p, ':');
	}
	n = end ? (size_t)(end - p) : strlen(p);
	if (n >= size)
		n = size - 1;
	memcpy(buf, p, n);
	buf[n] = '\0';
	if (!strcmp(buf, "0.0.0.0") || !strcmp(buf, "::"))
		buf[0] = '\0';
}

static bool san_has(const struct hd_strlist *sans, const char *name)
{
	size_t i;

	for (i = 0; i < sans->n; i++) {
		const char *v = sans->v[i];
		const char *val = strchr(v, ':') ? strchr(v, ':') + 1 : v;

		if (strcasecmp(val, name) == 0)
			return true;
		/* A wildcard covers one label: *.example.com matches a.example.com. */
		if (val[0] == '*' && val[1] == '.' && strchr(name, '.') &&
		    strcasecmp(strchr(name, '.'), val + 1) == 0)
			return true;
	}
	return false;
}

static int check_tls_server_cert(const struct hd_model *m, const struct hd_rule *r,
				 struct hd_check *out)
{
	const struct hd_daemon_spec *d = m->daemon;
	const struct hd_cert_fact *c = &d->tls.cert;
	const struct hd_dsetting *hosts = hd_daemon_opt(d, HD_DOPT_HOSTS);
	size_t i;
	int rc;

	if (!tls_in_use(d) || !c->present)
		return tls_not_applicable(out, d);
	if (!c->has_eku || !c->eku_server) {
		rc = add_at(out, r, d, HD_DOPT_TLSCERT,
			    "the server certificate '%s' %s serverAuth extended key usage",
			    c->subject, c->has_eku ? "lacks the" : "has no extended key usage; give it");
		if (rc < 0)
			return rc;
	}
	if (c->is_ca) {
		rc = add_at(out, r, d, HD_DOPT_TLSCERT,
			    "the server certificate '%s' is a CA certificate (CA:TRUE): whoever has "
			    "its key can issue certificates", c->subject);
		if (rc < 0)
			return rc;
	}
	if (!c->sans.n) {
		rc = add_at(out, r, d, HD_DOPT_TLSCERT,
			    "the server certificate '%s' has no subjectAltName: docker clients built "
			    "with Go 1.15 or later ignore the CN and refuse it", c->subject);
		if (rc < 0)
			return rc;
	}
	for (i = 0; c->sans.n && i < hosts->n_items; i++) {
		char name[256];
		struct hd_loc loc;

		if (!tcp_host(hosts->items[i].value))
			continue;
		tcp_host_name(hosts->items[i].value, name, sizeof(name));
		if (!name[0] || san_has(&c->sans, name))
			continue;
		hd_dorigin_loc(&hosts->items[i].at, &loc);
		rc = hd_report(out, &loc,
				     "dockerd listens on '%s' but the server certificate's "
				     "subjectAltName does not name it: clients connecting to that "
				     "address fail verification", name);
		if (rc < 0)
			return rc;
	}
	if (d->tls.ca.present && d->tls.cert_signed_by_ca == HD_SIG_BAD) {
		rc = add_at(out, r, d, HD_DOPT_TLSCERT,
			    "the server certificate was not issued by the CA in tlscacert: clients "
			    "that trust that CA reject the daemon");
		if (rc < 0)
			return rc;
	}
	return 0;
}

const struct hd_rule hd_rule_daemon_tls_server_cert = {
	.id = "daemon/tls-server-cert",
	.title = "The daemon's server certificate is fit for a TLS server",
	.severity = HD_SEV_MEDIUM,
	.target = HD_TARGET_DAEMON,
	.cis = "2.7",
	.owasp = "D04",
	.rationale = "Clients verify the daemon by its certificate: it needs the serverAuth "
		"extended key usage, a subjectAltName for every name and address clients use (Go "
		"clients ignore the CN), must not be a CA, and must be issued by the CA the clients "
		"trust.",
	.remediation = "Re-issue the server certificate with `extendedKeyUsage = serverAuth` and "
		"`subjectAltName = DNS:host.example,IP:192.0.2.10` (`hardock tls init --host "
		"host.example --ip 192.0.2.10`).",
	.bad_example = "a server certificate with only CN=host.example and no extensions",
	.good_example = "a server certificate with serverAuth and subjectAltName DNS:host.example",
	.check = check_tls_server_cert,
};

static int check_tls_ca_key(const struct hd_model *m, const struct hd_rule *r, struct hd_check *out)
{
	const struct hd_daemon_spec *d = m->daemon;
	size_t i;
	int rc;

	if (!tls_in_use(d) || !d->tls.ca.present)
		return tls_not_applicable(out, d);
	if (d->tls.key.present && !d->tls.key.encrypted &&
	    !memcmp(d->tls.key.spki_sha256, d->tls.ca.spki_sha256, sizeof(d->tls.ca.spki_sha256))) {
		rc = add_at(out, r, d, HD_DOPT_TLSKEY,
			    "tlskey is the CA's private key: anyone who reads it can issue client "
			    "certificates the daemon accepts");
		if (rc < 0)
			return rc;
	}
	for (i = 0; i < d->tls.ca_keys_near.n; i++) {
		struct hd_loc loc = { 0 };

		loc.file = d->tls.ca_keys_near.v[i];
		rc = hd_report(out, &loc,
				     "the CA's private key %s lies beside the daemon's certificates: "
				     "whoever reads that directory can issue client certificates the "
				     "daemon accepts", d->tls.ca_keys_near.v[i]);
		if (rc < 0)
			return rc;
	}
	return 0;
}

const struct hd_rule hd_rule_daemon_tls_ca_key_exposed = {
	.id = "daemon/tls-ca-key-exposed",
	.title = "The CA's private key is not kept beside the daemon's certificates",
	.severity = HD_SEV_HIGH,
	.target = HD_TARGET_DAEMON,
	.cis = "2.7",
	.owasp = "D06",
	.rationale = "With tlsverify, a client certificate signed by the CA is the key to root on "
		"the host. The CA key is only needed to issue certificates; left on the daemon's "
		"host next to its certificates, any backup, container bind mount or file leak of "
		"that directory hands out that power.",
	.remediation = "Move ca-key.pem off the host (or at least out of the directory the daemon's "
		"files are in, mode 0400, encrypted) and keep only ca.pem, server-cert.pem and "
		"server-key.pem there.",
	.bad_example = "/etc/docker/tls/ca-key.pem next to /etc/docker/tls/ca.pem",
	.good_example = "/etc/docker/tls/{ca,server-cert,server-key}.pem only",
	.check = check_tls_ca_key,
};

static int check_default_ulimits(const struct hd_model *m, const struct hd_rule *r,
				 struct hd_check *out)
{
	const struct hd_daemon_spec *d = m->daemon;

	if (hd_daemon_opt(d, HD_DOPT_DEFAULT_ULIMITS)->set)
		return 0;
	return add_at(out, r, d, HD_DOPT_DEFAULT_ULIMITS,
		      "no \"default-ulimits\": containers inherit dockerd's own limits (often "
		      "LimitNOFILE=infinity in docker.service); set deliberate defaults");
}

static const struct hd_fix default_ulimits_fix[] = {
	{ "default-ulimits", "{\"nofile\": {\"Name\": \"nofile\", \"Soft\": 65536, \"Hard\": 65536}}", HD_FIX_ADD,
	  "containers get a deliberate open-files limit instead of dockerd's own",
	  "containers needing more than 65536 open files: give them --ulimit nofile=N:N" },
	{ NULL, NULL, 0, NULL, NULL },
};

const struct hd_rule hd_rule_daemon_default_ulimits = {
	.id = "daemon/default-ulimits",
	.title = "Configure default ulimits for containers",
	.severity = HD_SEV_INFO,
	.target = HD_TARGET_DAEMON,
	.cis = "2.8",
	.owasp = "D07",
	.other = "docker-bench:2.8",
	.rationale = "Default ulimits cap what a single container can take (open files, processes, "
		"core dumps) unless it asks otherwise. Without them containers inherit the daemon's "
		"limits, which systemd units often set very high. CIS treats the values as a site "
		"decision (manual check), so hardock reports their absence as information.",
	.remediation = "Set \"default-ulimits\", e.g. {\"nofile\": {\"Name\": \"nofile\", "
		"\"Soft\": 65536, \"Hard\": 65536}}; containers that need more ask with --ulimit.",
	.bad_example = "{ }",
	.good_example = "{ \"default-ulimits\": { \"nofile\": { \"Name\": \"nofile\", \"Soft\": 65536, "
		"\"Hard\": 65536 } } }",
	.check = check_default_ulimits,
	.fix = default_ulimits_fix,
};

static int check_userns(const struct hd_model *m, const struct hd_rule *r, struct hd_check *out)
{
	const struct hd_daemon_spec *d = m->daemon;
	const char *u = hd_daemon_str(d, HD_DOPT_USERNS_REMAP);

	if ((u && *u) || rootless(d))
		return 0;
	return add_at(out, r, d, HD_DOPT_USERNS_REMAP,
		      "user namespace remapping is off: root in a container is root on the host "
		      "once it escapes; set \"userns-remap\": \"default\"");
}

static const struct hd_fix userns_remap_fix[] = {
	{ "userns-remap", "\"default\"", HD_FIX_ADD,
	  "root in a container maps to an unprivileged host uid range (dockremap)",
	  "existing images, containers and volumes are not visible (a new data-root subdirectory is used); bind mounts need matching ownership; --privileged, --pid=host and --network=host need --userns=host" },
	{ NULL, NULL, 0, NULL, NULL },
};

const struct hd_rule hd_rule_daemon_userns_remap = {
	.id = "daemon/userns-remap",
	.title = "Enable user namespace support",
	.severity = HD_SEV_MEDIUM,
	.target = HD_TARGET_DAEMON,
	.cis = "2.9",
	.owasp = "D01",
	.other = "docker-bench:2.9",
	.rationale = "With userns-remap, uid 0 inside containers maps to an unprivileged range on "
		"the host (dockremap in /etc/subuid). A process that breaks out of a container, or "
		"writes to a bind-mounted host directory, does so as a nobody instead of root.",
	.remediation = "Set \"userns-remap\": \"default\". It may break things: images, containers "
		"and volumes created before are stored under a new data-root subdirectory and are not "
		"visible; bind mounts need ownership matching the remapped range; --privileged, "
		"--pid=host and --network=host need --userns=host per container.",
	.bad_example = "{ }",
	.good_example = "{ \"userns-remap\": \"default\" }",
	.check = check_userns,
	.fix = userns_remap_fix,
};

static int check_cgroup_parent(const struct hd_model *m, const struct hd_rule *r,
			       struct hd_check *out)
{
	const struct hd_daemon_spec *d = m->daemon;
	const char *p = hd_daemon_str(d, HD_DOPT_CGROUP_PARENT);
	char w[256];

	if (!p)
		return 0;
	return add_at(out, r, d, HD_DOPT_CGROUP_PARENT,
		      "containers are placed under cgroup '%s' (%s): confirm that its limits are the "
		      "ones intended", p, where(d, HD_DOPT_CGROUP_PARENT, w, sizeof(w)));
}

const struct hd_rule hd_rule_daemon_cgroup_parent = {
	.id = "daemon/cgroup-parent",
	.title = "Confirm the default cgroup usage",
	.severity = HD_SEV_INFO,
	.target = HD_TARGET_DAEMON,
	.cis = "2.10",
	.owasp = "D07",
	.other = "docker-bench:2.10",
	.rationale = "A custom cgroup-parent moves every container under another cgroup, whose "
		"limits then apply to all of them together; it should be deliberate.",
	.remediation = "Remove \"cgroup-parent\" unless a resource policy needs it.",
	.bad_example = "{ \"cgroup-parent\": \"/unlimited\" }",
	.good_example = "{ }",
	.check = check_cgroup_parent,
};

static int check_base_device_size(const struct hd_model *m, const struct hd_rule *r,
				  struct hd_check *out)
{
	const struct hd_daemon_spec *d = m->daemon;
	const struct hd_dsetting *s = hd_daemon_opt(d, HD_DOPT_STORAGE_OPTS);
	size_t i;
	int rc;

	for (i = 0; s->set && i < s->n_items; i++) {
		struct hd_loc loc;

		if (!hd_starts_with(s->items[i].value, "dm.basesize="))
			continue;
		hd_dorigin_loc(&s->items[i].at, &loc);
		rc = hd_report(out, &loc,
				     "storage option '%s' changes the base device size of every "
				     "container", s->items[i].value);
		if (rc < 0)
			return rc;
	}
	return 0;
}

const struct hd_rule hd_rule_daemon_base_device_size = {
	.id = "daemon/base-device-size",
	.title = "Do not change the base device size until needed",
	.severity = HD_SEV_LOW,
	.target = HD_TARGET_DAEMON,
	.cis = "2.11",
	.owasp = "D07",
	.other = "docker-bench:2.11",
	.rationale = "Raising dm.basesize lets every container grow its filesystem further, so one "
		"container can fill the storage pool shared by all (devicemapper).",
	.remediation = "Remove dm.basesize from \"storage-opts\" unless images need it.",
	.bad_example = "{ \"storage-opts\": [\"dm.basesize=50G\"] }",
	.good_example = "{ }",
	.check = check_base_device_size,
};

static int check_authz(const struct hd_model *m, const struct hd_rule *r, struct hd_check *out)
{
	const struct hd_daemon_spec *d = m->daemon;
	const struct hd_dsetting *s = hd_daemon_opt(d, HD_DOPT_AUTHZ_PLUGINS);

	if (s->set && s->n_items)
		return 0;
	return add_at(out, r, d, HD_DOPT_AUTHZ_PLUGINS,
		      "no authorization plugin: every client of the socket may do anything, "
		      "including --privileged containers; consider \"authorization-plugins\" "
		      "(hardock authz, opa-docker-authz)");
}

static const struct hd_fix authorization_plugin_fix[] = {
	{ "authorization-plugins", NULL, HD_FIX_EXPLAIN,
	  "not added: it needs an installed plugin and a policy; a plugin that is not installed makes every request fail", NULL },
	{ NULL, NULL, 0, NULL, NULL },
};

const struct hd_rule hd_rule_daemon_authorization_plugin = {
	.id = "daemon/authorization-plugin",
	.title = "Enable authorization for Docker client commands",
	.severity = HD_SEV_INFO,
	.target = HD_TARGET_DAEMON,
	.cis = "2.12",
	.owasp = "D04",
	.other = "docker-bench:2.12",
	.rationale = "Docker's access control is all or nothing: whoever reaches the socket is "
		"root. An authorization plugin can refuse requests such as privileged containers or "
		"host mounts. It is reported as information, not a warning, because it needs a plugin "
		"and a policy chosen for the site; adding a plugin that is not installed makes every "
		"request fail. docker-bench reports it as WARN.",
	.remediation = "Install a plugin (`hardock authz` or openpolicyagent/opa-docker-authz) with "
		"a policy, then set \"authorization-plugins\": [\"NAME\"].",
	.bad_example = "{ }",
	.good_example = "{ \"authorization-plugins\": [\"opa-docker-authz\"] }",
	.check = check_authz,
	.fix = authorization_plugin_fix,
};

static int check_remote_logging(const struct hd_model *m, const struct hd_rule *r,
				struct hd_check *out)
{
	const struct hd_daemon_spec *d = m->daemon;
	const char *drv = hd_daemon_str(d, HD_DOPT_LOG_DRIVER);

	if (!drv)
		return add_at(out, r, d, HD_DOPT_LOG_DRIVER,
			      "\"log-driver\" is not set: containers log with json-file, kept only on "
			      "this host where an intruder can erase them");
	if (!strcmp(drv, "json-file") || !strcmp(drv, "local") || !strcmp(drv, "none"))
		return add_at(out, r, d, HD_DOPT_LOG_DRIVER,
			      "log driver '%s' keeps container logs only on this host%s", drv,
			      !strcmp(drv, "none") ? " (in fact nowhere)" : "");
	return 0;
}

static const struct hd_fix remote_logging_fix[] = {
	{ "log-driver", "\"journald\"", HD_FIX_LOGGING,
	  "container logs go to the host's log system, from where they can be forwarded to a remote collector",
	  "logs no longer rotate by json-file options; `docker logs` still works (dual logging, Docker 20.10+)" },
	{ NULL, NULL, 0, NULL, NULL },
};

const struct hd_rule hd_rule_daemon_remote_logging = {
	.id = "daemon/remote-logging",
	.title = "Configure centralized and remote logging",
	.severity = HD_SEV_LOW,
	.target = HD_TARGET_DAEMON,
	.cis = "2.13",
	.owasp = "D10",
	.other = "docker-bench:2.13",
	.rationale = "Logs kept only on the host are lost with it and can be rewritten by whoever "
		"compromises it. A driver that hands logs to the host's log system (journald, syslog) "
		"or a collector (gelf, fluentd, splunk, awslogs) lets them be shipped away.",
	.remediation = "Set \"log-driver\": \"journald\" (or \"syslog\") and forward that to a "
		"remote collector. Since Docker 20.10 `docker logs` keeps working with any driver.",
	.bad_example = "{ \"log-driver\": \"json-file\" }",
	.good_example = "{ \"log-driver\": \"journald\" }",
	.check = check_remote_logging,
	.fix = remote_logging_fix,
};

static int check_nnp(const struct hd_model *m, const struct hd_rule *r, struct hd_check *out)
{
	const struct hd_daemon_spec *d = m->daemon;
	char w[256];

	if (hd_daemon_bool(d, HD_DOPT_NO_NEW_PRIVILEGES, false))
		return 0;
	return add_at(out, r, d, HD_DOPT_NO_NEW_PRIVILEGES,
		      "\"no-new-privileges\" is %s: setuid binaries in containers can still raise "
		      "privileges", hd_daemon_opt(d, HD_DOPT_NO_NEW_PRIVILEGES)->set ?
		      where(d, HD_DOPT_NO_NEW_PRIVILEGES, w, sizeof(w)) : "not set");
}

static const struct hd_fix no_new_privileges_fix[] = {
	{ "no-new-privileges", "true", HD_FIX_SET,
	  "setuid binaries in containers cannot raise privileges",
	  "images relying on sudo, su or setuid helpers; run them with --security-opt no-new-privileges=false" },
	{ NULL, NULL, 0, NULL, NULL },
};

const struct hd_rule hd_rule_daemon_no_new_privileges = {
	.id = "daemon/no-new-privileges",
	.title = "Restrict containers from acquiring new privileges",
	.severity = HD_SEV_MEDIUM,
	.target = HD_TARGET_DAEMON,
	.cis = "2.14",
	.owasp = "D04",
	.other = "docker-bench:2.14",
	.rationale = "no_new_privs stops setuid and file-capability binaries from raising a "
		"process's privileges: an attacker inside a container cannot climb from the app user "
		"to root through sudo, su or a vulnerable setuid tool.",
	.remediation = "Set \"no-new-privileges\": true. It may break images that rely on sudo or "
		"setuid helpers (ping on old images); run those with --security-opt "
		"no-new-privileges=false, deliberately.",
	.bad_example = "{ \"no-new-privileges\": false }",
	.good_example = "{ \"no-new-privileges\": true }",
	.check = check_nnp,
	.fix = no_new_privileges_fix,
};

static int check_live_restore(const struct hd_model *m, const struct hd_rule *r,
			      struct hd_check *out)
{
	const struct hd_daemon_spec *d = m->daemon;

	if (d->swarm_active)
		return hd_not_applicable(out, "this node is in a swarm (%s), where live-restore does not "
					 "apply", d->swarm_evidence ? d->swarm_evidence : "swarm state");
	if (hd_daemon_bool(d, HD_DOPT_LIVE_RESTORE, false))
		return 0;
	return add_at(out, r, d, HD_DOPT_LIVE_RESTORE,
		      "\"live-restore\" is off: restarting or upgrading dockerd stops every "
		      "container, which makes patching the daemon costly");
}

static const struct hd_fix live_restore_fix[] = {
	{ "live-restore", "true", HD_FIX_SET,
	  "containers keep running while dockerd restarts, so daemon updates need no downtime",
	  "swarm mode: `docker swarm init` refuses to run with live-restore" },
	{ NULL, NULL, 0, NULL, NULL },
};

const struct hd_rule hd_rule_daemon_live_restore = {
	.id = "daemon/live-restore",
	.title = "Enable live restore",
	.severity = HD_SEV_LOW,
	.target = HD_TARGET_DAEMON,
	.cis = "2.15",
	.owasp = "D04",
	.other = "docker-bench:2.15",
	.rationale = "With live-restore containers keep running while dockerd restarts, so security "
		"updates of the daemon do not need downtime and are not postponed. It does not apply "
		"to swarm mode, where it is incompatible (the check is then not applicable).",
	.remediation = "Set \"live-restore\": true. It cannot be combined with swarm mode: `docker "
		"swarm init` refuses it.",
	.bad_example = "{ \"live-restore\": false }",
	.good_example = "{ \"live-restore\": true }",
	.check = check_live_restore,
	.fix = live_restore_fix,
};

static int check_userland_proxy(const struct hd_model *m, const struct hd_rule *r,
				struct hd_check *out)
{
	const struct hd_daemon_spec *d = m->daemon;

	if (!hd_daemon_bool(d, HD_DOPT_USERLAND_PROXY, true))
		return 0;
	return add_at(out, r, d, HD_DOPT_USERLAND_PROXY,
		      "the userland proxy is on: a docker-proxy process per published port, and "
		      "containers see the proxy's address instead of the client's; set "
		      "\"userland-proxy\": false");
}

static const struct hd_fix userland_proxy_fix[] = {
	{ "userland-proxy", "false", HD_FIX_SET,
	  "no docker-proxy process per published port; containers see real client addresses",
	  "reaching published ports from the host itself on kernels without hairpin NAT" },
	{ NULL, NULL, 0, NULL, NULL },
};

const struct hd_rule hd_rule_daemon_userland_proxy = {
	.id = "daemon/userland-proxy",
	.title = "Disable the userland proxy",
	.severity = HD_SEV_LOW,
	.target = HD_TARGET_DAEMON,
	.cis = "2.16",
	.owasp = "D03",
	.other = "docker-bench:2.16",
	.rationale = "With hairpin NAT available the proxy only adds attack surface: one more "
		"root-started process per published port, and lost client addresses in container "
		"logs.",
	.remediation = "Set \"userland-proxy\": false. It may break connections to published ports "
		"from the host itself on old kernels without hairpin NAT or with "
		"net.ipv4.conf.*.route_localnet disabled.",
	.bad_example = "{ \"userland-proxy\": true }",
	.good_example = "{ \"userland-proxy\": false }",
	.check = check_userland_proxy,
	.fix = userland_proxy_fix,
};

static int check_seccomp(const struct hd_model *m, const struct hd_rule *r, struct hd_check *out)
{
	const struct hd_daemon_spec *d = m->daemon;
	const char *p = hd_daemon_str(d, HD_DOPT_SECCOMP_PROFILE);
	int rc;

	if (p && strcmp(p, "unconfined") == 0) {
		rc = add_at_sev(out, HD_SEV_HIGH, d, HD_DOPT_SECCOMP_PROFILE,
			    "\"seccomp-profile\": \"unconfined\" turns seccomp off for every "
			    "container: all ~300 system calls, including the ones most kernel "
			    "exploits use, are open");
		return rc;
	}
	if (p && *p && strcmp(p, "builtin") != 0)
		return 0;
	return add_at(out, r, d, HD_DOPT_SECCOMP_PROFILE,
		      "containers use Docker's default seccomp profile; a custom daemon-wide "
		      "profile can narrow the allowed system calls further if the workloads allow");
}

static const struct hd_fix seccomp_profile_fix[] = {
	{ "seccomp-profile", "\"unconfined\"", HD_FIX_REMOVE,
	  "\"unconfined\" disabled seccomp for every container; Docker's default profile applies",
	  "containers making system calls the default profile blocks: give them their own profile with --security-opt seccomp=FILE" },
	{ NULL, NULL, 0, NULL, NULL },
};

const struct hd_rule hd_rule_daemon_seccomp_profile = {
	.id = "daemon/seccomp-profile",
	.title = "Apply a daemon-wide custom seccomp profile if appropriate",
	.severity = HD_SEV_INFO,
	.target = HD_TARGET_DAEMON,
	.cis = "2.17",
	.owasp = "D04",
	.other = "docker-bench:2.17",
	.rationale = "Docker's default profile blocks about 44 dangerous system calls. A custom "
		"profile can block more, which is a site decision (manual in CIS: information). "
		"\"unconfined\" removes the filter from every container and is reported as high.",
	.remediation = "Keep the default, or set \"seccomp-profile\": \"/etc/docker/seccomp.json\" "
		"with a profile derived from the default; never \"unconfined\".",
	.bad_example = "{ \"seccomp-profile\": \"unconfined\" }",
	.good_example = "{ \"seccomp-profile\": \"/etc/docker/seccomp.json\" }",
	.check = check_seccomp,
	.fix = seccomp_profile_fix,
};

static int check_experimental(const struct hd_model *m, const struct hd_rule *r,
			      struct hd_check *out)
{
	const struct hd_daemon_spec *d = m->daemon;
	char w[256];

	if (!hd_daemon_bool(d, HD_DOPT_EXPERIMENTAL, false))
		return 0;
	return add_at(out, r, d, HD_DOPT_EXPERIMENTAL,
		      "experimental features are on (%s): they are unsupported and may change or "
		      "carry unreviewed bugs", where(d, HD_DOPT_EXPERIMENTAL, w, sizeof(w)));
}

static const struct hd_fix experimental_fix[] = {
	{ "experimental", "false", HD_FIX_CORRECT, "experimental features are unsupported", "features that only exist in experimental mode" },
	{ NULL, NULL, 0, NULL, NULL },
};

const struct hd_rule hd_rule_daemon_experimental = {
	.id = "daemon/experimental",
	.title = "Do not enable experimental features in production",
	.severity = HD_SEV_LOW,
	.target = HD_TARGET_DAEMON,
	.cis = "2.18",
	.owasp = "D04",
	.other = "docker-bench:2.18",
	.rationale = "Experimental features have not gone through the review and stability "
		"guarantees of the rest of the engine.",
	.remediation = "Remove \"experimental\": true.",
	.bad_example = "{ \"experimental\": true }",
	.good_example = "{ \"experimental\": false }",
	.check = check_experimental,
	.fix = experimental_fix,
};

/* ------------------------------------------------------------------ */
/* CIS section 3: owners and modes of the daemon's files. */

static hd_check_fn check_file;

#define FILE_RULE(cname, slug, cis_id, sev, what, text_rationale, fix, bad, good) \
	const struct hd_rule hd_rule_daemon_file_##cname = { \
		.id = "daemon/file-" slug, \
		.title = what, \
		.severity = sev, \
		.target = HD_TARGET_DAEMON, \
		.cis = cis_id, \
		.owasp = "D04", \
		.other = "docker-bench:" cis_id, \
		.rationale = text_rationale, \
		.remediation = fix, \
		.bad_example = bad, \
		.good_example = good, \
		.check = check_file, \
	};

#define OWNER_WHY(thing) "Whoever owns " thing " can change it, and through it what dockerd " \
	"runs or trusts: only root may."
#define MODE_WHY(thing) "A " thing " writable by others lets an unprivileged user change how " \
	"dockerd runs, which is root on the host."

FILE_RULE(docker_service_owner, "docker-service-owner", "3.1", HD_SEV_MEDIUM,
	  "docker.service is owned by root:root", OWNER_WHY("docker.service"),
	  "chown root:root /lib/systemd/system/docker.service",
	  "docker.service owned by 1000:1000", "docker.service owned by root:root")
FILE_RULE(docker_service_mode, "docker-service-mode", "3.2", HD_SEV_MEDIUM,
	  "docker.service has mode 644 or stricter", MODE_WHY("unit file"),
	  "chmod 644 /lib/systemd/system/docker.service",
	  "docker.service with mode 0666", "docker.service with mode 0644")
FILE_RULE(docker_socket_owner, "docker-socket-owner", "3.3", HD_SEV_MEDIUM,
	  "docker.socket is owned by root:root", OWNER_WHY("docker.socket"),
	  "chown root:root /lib/systemd/system/docker.socket",
	  "docker.socket owned by 1000:1000", "docker.socket owned by root:root")
FILE_RULE(docker_socket_mode, "docker-socket-mode", "3.4", HD_SEV_MEDIUM,
	  "docker.socket has mode 644 or stricter", MODE_WHY("socket unit"),
	  "chmod 644 /lib/systemd/system/docker.socket",
	  "docker.socket with mode 0666", "docker.socket with mode 0644")
FILE_RULE(etc_docker_owner, "etc-docker-owner", "3.5", HD_SEV_MEDIUM,
	  "/etc/docker and everything in it is owned by root:root",
	  "/etc/docker holds daemon.json, TLS keys and registry certificates; an owner other than "
	  "root can rewrite the daemon's configuration or trust.",
	  "chown -R root:root /etc/docker",
	  "/etc/docker/daemon.json owned by 1000:1000", "/etc/docker owned by root:root")
FILE_RULE(etc_docker_mode, "etc-docker-mode", "3.6", HD_SEV_MEDIUM,
	  "/etc/docker has mode 755 or stricter and nothing in it is group- or world-writable",
	  "A writable /etc/docker (or file in it) lets others replace daemon.json, keys or "
	  "certificates.",
	  "chmod 755 /etc/docker; chmod go-w -R /etc/docker",
	  "/etc/docker with mode 0777", "/etc/docker with mode 0755")
FILE_RULE(certs_d_owner, "certs-d-owner", "3.7", HD_SEV_MEDIUM,
	  "Registry certificate files are owned by root:root",
	  "The files under /etc/docker/certs.d decide which registries dockerd trusts; whoever "
	  "owns them can make it trust an impostor.",
	  "chown -R root:root /etc/docker/certs.d",
	  "/etc/docker/certs.d/reg:5000/ca.crt owned by 1000:1000",
	  "/etc/docker/certs.d/reg:5000/ca.crt owned by root:root")
FILE_RULE(certs_d_mode, "certs-d-mode", "3.8", HD_SEV_MEDIUM,
	  "Registry certificate files have mode 444 or stricter (keys 400)",
	  "Writable registry certificates let others change whom dockerd trusts; readable client "
	  "keys let them impersonate this host to the registry. hardock asks 0400 for *.key files "
	  "where CIS only says 444 for certificates.",
	  "chmod 444 /etc/docker/certs.d/*/*.crt /etc/docker/certs.d/*/*.cert; chmod 400 "
	  "/etc/docker/certs.d/*/*.key",
	  "/etc/docker/certs.d/reg:5000/ca.crt with mode 0666",
	  "/etc/docker/certs.d/reg:5000/ca.crt with mode 0444")
FILE_RULE(ca_cert_owner, "ca-cert-owner", "3.9", HD_SEV_MEDIUM,
	  "The TLS CA certificate is owned by root:root",
	  "The CA certificate decides which client certificates dockerd accepts; whoever owns it "
	  "can swap in their own CA.",
	  "chown root:root /etc/docker/tls/ca.pem",
	  "ca.pem owned by 1000:1000", "ca.pem owned by root:root")
FILE_RULE(ca_cert_mode, "ca-cert-mode", "3.10", HD_SEV_MEDIUM,
	  "The TLS CA certificate has mode 444 or stricter",
	  "A writable CA certificate lets others replace the CA dockerd trusts for clients.",
	  "chmod 444 /etc/docker/tls/ca.pem", "ca.pem with mode 0644", "ca.pem with mode 0444")
FILE_RULE(server_cert_owner, "server-cert-owner", "3.11", HD_SEV_MEDIUM,
	  "The daemon's TLS certificate is owned by root:root", OWNER_WHY("the server certificate"),
	  "chown root:root /etc/docker/tls/server-cert.pem",
	  "server-cert.pem owned by 1000:1000", "server-cert.pem owned by root:root")
FILE_RULE(server_cert_mode, "server-cert-mode", "3.12", HD_SEV_MEDIUM,
	  "The daemon's TLS certificate has mode 444 or stricter",
	  "A writable server certificate lets others replace the identity the daemon presents.",
	  "chmod 444 /etc/docker/tls/server-cert.pem",
	  "server-cert.pem with mode 0644", "server-cert.pem with mode 0444")
FILE_RULE(server_key_owner, "server-key-owner", "3.13", HD_SEV_HIGH,
	  "The daemon's TLS key is owned by root:root", OWNER_WHY("the server key"),
	  "chown root:root /etc/docker/tls/server-key.pem",
	  "server-key.pem owned by 1000:1000", "server-key.pem owned by root:root")
FILE_RULE(server_key_mode, "server-key-mode", "3.14", HD_SEV_HIGH,
	  "The daemon's TLS key has mode 400",
	  "Whoever reads the server key can impersonate the daemon to its clients and capture "
	  "their credentials and commands.",
	  "chmod 400 /etc/docker/tls/server-key.pem",
	  "server-key.pem with mode 0644", "server-key.pem with mode 0400")
FILE_RULE(docker_sock_owner, "docker-sock-owner", "3.15", HD_SEV_HIGH,
	  "The Docker socket is owned by root:docker",
	  "Access to the socket is root on the host. Its owner and group decide who has it: root "
	  "and the members of the docker group (or dockerd's --group), nobody else.",
	  "chown root:docker /var/run/docker.sock (and SocketUser=root, SocketGroup=docker in "
	  "docker.socket)",
	  "/var/run/docker.sock owned by 1000:docker", "/var/run/docker.sock owned by root:docker")
FILE_RULE(docker_sock_mode, "docker-sock-mode", "3.16", HD_SEV_CRITICAL,
	  "The Docker socket has mode 660 or stricter",
	  "A world-writable socket makes every local user, and every container that sees it, root "
	  "on the host.",
	  "chmod 660 /var/run/docker.sock (SocketMode=0660 in docker.socket)",
	  "/var/run/docker.sock with mode 0666", "/var/run/docker.sock with mode 0660")
FILE_RULE(daemon_json_owner, "daemon-json-owner", "3.17", HD_SEV_MEDIUM,
	  "daemon.json is owned by root:root", OWNER_WHY("daemon.json"),
	  "chown root:root /etc/docker/daemon.json",
	  "daemon.json owned by 1000:1000", "daemon.json owned by root:root")
FILE_RULE(daemon_json_mode, "daemon-json-mode", "3.18", HD_SEV_MEDIUM,
	  "daemon.json has mode 644 or stricter", MODE_WHY("daemon.json"),
	  "chmod 644 /etc/docker/daemon.json",
	  "daemon.json with mode 0666", "daemon.json with mode 0644")
FILE_RULE(etc_default_owner, "etc-default-owner", "3.19", HD_SEV_MEDIUM,
	  "/etc/default/docker is owned by root:root", OWNER_WHY("/etc/default/docker"),
	  "chown root:root /etc/default/docker",
	  "/etc/default/docker owned by 1000:1000", "/etc/default/docker owned by root:root")
FILE_RULE(etc_default_mode, "etc-default-mode", "3.20", HD_SEV_MEDIUM,
	  "/etc/default/docker has mode 644 or stricter", MODE_WHY("/etc/default/docker"),
	  "chmod 644 /etc/default/docker",
	  "/etc/default/docker with mode 0666", "/etc/default/docker with mode 0644")
FILE_RULE(sysconfig_mode, "sysconfig-mode", "3.21", HD_SEV_MEDIUM,
	  "/etc/sysconfig/docker has mode 644 or stricter", MODE_WHY("/etc/sysconfig/docker"),
	  "chmod 644 /etc/sysconfig/docker",
	  "/etc/sysconfig/docker with mode 0666", "/etc/sysconfig/docker with mode 0644")
FILE_RULE(sysconfig_owner, "sysconfig-owner", "3.22", HD_SEV_MEDIUM,
	  "/etc/sysconfig/docker is owned by root:root", OWNER_WHY("/etc/sysconfig/docker"),
	  "chown root:root /etc/sysconfig/docker",
	  "/etc/sysconfig/docker owned by 1000:1000", "/etc/sysconfig/docker owned by root:root")
FILE_RULE(containerd_sock_owner, "containerd-sock-owner", "3.23", HD_SEV_HIGH,
	  "containerd's socket is owned by root:root",
	  "containerd's socket gives the same power as Docker's, without even dockerd's checks.",
	  "chown root:root /run/containerd/containerd.sock",
	  "containerd.sock owned by root:docker", "containerd.sock owned by root:root")
FILE_RULE(containerd_sock_mode, "containerd-sock-mode", "3.24", HD_SEV_HIGH,
	  "containerd's socket has mode 660 or stricter",
	  "A containerd socket open to others is root on the host for them.",
	  "chmod 660 /run/containerd/containerd.sock",
	  "containerd.sock with mode 0666", "containerd.sock with mode 0660")

struct file_check {
	const struct hd_rule *rule;
	enum hd_dfile file;
	bool owner;         /* owner check, else mode check */
	uint32_t max_mode;  /* mode checks: allowed bits */
	bool socket_group;  /* owner check: the group may be the socket's group */
	const char *name;   /* for messages */
};

static const struct file_check file_checks[] = {
	{ &hd_rule_daemon_file_docker_service_owner, HD_DF_DOCKER_SERVICE, true, 0, false, "docker.service" },
	{ &hd_rule_daemon_file_docker_service_mode, HD_DF_DOCKER_SERVICE, false, 0644, false, "docker.service" },
	{ &hd_rule_daemon_file_docker_socket_owner, HD_DF_DOCKER_SOCKET, true, 0, false, "docker.socket" },
	{ &hd_rule_daemon_file_docker_socket_mode, HD_DF_DOCKER_SOCKET, false, 0644, false, "docker.socket" },
	{ &hd_rule_daemon_file_etc_docker_owner, HD_DF_ETC_DOCKER, true, 0, false, "/etc/docker" },
	{ &hd_rule_daemon_file_etc_docker_mode, HD_DF_ETC_DOCKER, false, 0755, false, "/etc/docker" },
	{ &hd_rule_daemon_file_certs_d_owner, HD_DF_CERTS_D, true, 0, false, "registry certificate" },
	{ &hd_rule_daemon_file_certs_d_mode, HD_DF_CERTS_D, false, 0444, false, "registry certificate" },
	{ &hd_rule_daemon_file_ca_cert_owner, HD_DF_TLS_CA, true, 0, false, "TLS CA certificate" },
	{ &hd_rule_daemon_file_ca_cert_mode, HD_DF_TLS_CA, false, 0444, false, "TLS CA certificate" },
	{ &hd_rule_daemon_file_server_cert_owner, HD_DF_TLS_CERT, true, 0, false, "server certificate" },
	{ &hd_rule_daemon_file_server_cert_mode, HD_DF_TLS_CERT, false, 0444, false, "server certificate" },
	{ &hd_rule_daemon_file_server_key_owner, HD_DF_TLS_KEY, true, 0, false, "server key" },
	{ &hd_rule_daemon_file_server_key_mode, HD_DF_TLS_KEY, false, 0400, false, "server key" },
	{ &hd_rule_daemon_file_docker_sock_owner, HD_DF_DOCKER_SOCK, true, 0, true, "Docker socket" },
	{ &hd_rule_daemon_file_docker_sock_mode, HD_DF_DOCKER_SOCK, false, 0660, false, "Docker socket" },
	{ &hd_rule_daemon_file_daemon_json_owner, HD_DF_DAEMON_JSON, true, 0, false, "daemon.json" },
	{ &hd_rule_daemon_file_daemon_json_mode, HD_DF_DAEMON_JSON, false, 0644, false, "daemon.json" },
	{ &hd_rule_daemon_file_etc_default_owner, HD_DF_ETC_DEFAULT, true, 0, false, "/etc/default/docker" },
	{ &hd_rule_daemon_file_etc_default_mode, HD_DF_ETC_DEFAULT, false, 0644, false, "/etc/default/docker" },
	{ &hd_rule_daemon_file_sysconfig_mode, HD_DF_SYSCONFIG, false, 0644, false, "/etc/sysconfig/docker" },
	{ &hd_rule_daemon_file_sysconfig_owner, HD_DF_SYSCONFIG, true, 0, false, "/etc/sysconfig/docker" },
	{ &hd_rule_daemon_file_containerd_sock_owner, HD_DF_CONTAINERD_SOCK, true, 0, false, "containerd socket" },
	{ &hd_rule_daemon_file_containerd_sock_mode, HD_DF_CONTAINERD_SOCK, false, 0660, false, "containerd socket" },
};

static int file_finding(struct hd_check *out, const struct hd_rule *r, const struct hd_file_fact *f,
			const char *fmt, ...) __attribute__((format(printf, 4, 5)));

static int file_finding(struct hd_check *out, const struct hd_rule *r, const struct hd_file_fact *f,
			const char *fmt, ...)
{
	char msg[HD_MAX_MESSAGE];
	struct hd_loc loc = { 0 };
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	loc.file = f->path;
	return hd_report(out, &loc, "%s", msg);
}

static bool is_key_file(const char *path)
{
	return hd_ends_with(path, ".key") || hd_ends_with(path, "-key.pem") || hd_ends_with(path, "key.pem");
}

static int check_one_file(const struct file_check *fc, const struct hd_daemon_spec *d,
			  const struct hd_rule *r, const struct hd_file_fact *f, bool in_tree,
			  struct hd_check *out)
{
	char own[160];
	uint32_t max = fc->max_mode;

	if (f->type == HD_FT_MISSING)
		return f->err == -HD_ENOENT ? 0 : file_finding(out, r, f, "cannot examine %s '%s': %s",
							       fc->name, f->path, hd_strerror(f->err));
	if (f->type == HD_FT_LINK)
		return 0;
	hd_file_fact_owner(f, own, sizeof(own));
	if (fc->owner) {
		bool group_ok = f->gid == 0;
		const char *sg = "docker";

		if (fc->socket_group) {
			const char *g = hd_daemon_str(d, HD_DOPT_GROUP);

			sg = g ? g : "docker";
			group_ok = group_ok || (f->group && strcmp(f->group, sg) == 0);
		}
		if (f->uid == 0 && group_ok)
			return 0;
		if (fc->name[0] == '/' || in_tree)
			return file_finding(out, r, f, "'%s' is owned by %s, not root:%s", f->path, own,
					    fc->socket_group ? sg : "root");
		return file_finding(out, r, f, "%s '%s' is owned by %s, not root:%s", fc->name, f->path,
				    own, fc->socket_group ? sg : "root");
	}
	if (in_tree) {
		/* Below /etc/docker: nothing writable by group or others. */
		if (f->type == HD_FT_DIR && fc->file != HD_DF_CERTS_D)
			max = 0755;
		else if (fc->file == HD_DF_CERTS_D)
			max = f->type == HD_FT_DIR ? 0755 : is_key_file(f->path) ? 0400 : 0444;
		else
			max = 0755;
	}
	if ((f->mode & ~max) == 0)
		return 0;
	if (in_tree && fc->file == HD_DF_ETC_DOCKER && (f->mode & 022))
		return file_finding(out, r, f, "'%s' is writable by %s (mode %04o)", f->path,
				    (f->mode & 002) ? "everyone" : "its group", f->mode);
	if (fc->name[0] == '/' || in_tree)
		return file_finding(out, r, f, "'%s' has mode %04o; %04o or stricter expected", f->path,
				    f->mode, max);
	return file_finding(out, r, f, "%s '%s' has mode %04o; %04o or stricter expected", fc->name,
			    f->path, f->mode, max);
}

/* True when docker.socket creates the socket at path ("/var/run" being "/run"). */
static bool unit_creates(const struct hd_socket_unit *su, const char *path)
{
	const char *p = hd_starts_with(path, "/var/run/") ? path + 4 : path;
	size_t i;

	for (i = 0; su->path && i < su->listen.n; i++) {
		const char *l = su->listen.v[i];

		if (!strcmp(hd_starts_with(l, "/var/run/") ? l + 4 : l, p))
			return true;
	}
	return false;
}

static bool is_root_name(const char *s)
{
	return !s || !strcmp(s, "root") || !strcmp(s, "0");
}

/*
 * The Docker socket as docker.socket makes systemd create it: judged when
 * the socket itself is not there to examine (an offline root, a stopped
 * daemon), and, for the mode, when the unit would recreate it looser than it
 * is now.  present is the socket's fact when it exists, else NULL.
 */
static int check_socket_unit(const struct file_check *fc, const struct hd_daemon_spec *d, const char *path,
			     const struct hd_file_fact *present, struct hd_check *out)
{
	const struct hd_socket_unit *su = &d->socket_unit;
	const char *sg = hd_daemon_str(d, HD_DOPT_GROUP) ? hd_daemon_str(d, HD_DOPT_GROUP) : "docker";
	struct hd_loc loc;

	if (!fc->owner) {
		if (!(su->mode & ~fc->max_mode))
			return 0;
		hd_dorigin_loc(&su->mode_at, &loc);
		if (present)
			return (present->mode & ~fc->max_mode) ? 0 :
			       hd_report(out, &loc, "'%s' has mode %04o now, but docker.socket creates it with "
					 "%s%04o at the next start: every local user can then use it, which is "
					 "root on the host", path, present->mode, su->mode_set ? "SocketMode=" :
					 "systemd's default mode ", su->mode);
		return hd_report(out, &loc, "docker.socket creates '%s' with %s%04o%s: every local user can "
				 "use it, which is root on the host; set SocketMode=0660", path,
				 su->mode_set ? "SocketMode=" : "systemd's default mode ", su->mode,
				 su->mode_set ? "" : " (no SocketMode=)");
	}
	if (present || (is_root_name(su->user) && (is_root_name(su->group) || !strcmp(su->group, sg))))
		return 0;
	hd_dorigin_loc(&su->owner_at, &loc);
	return hd_report(out, &loc, "docker.socket creates '%s' owned by %s:%s, not root:%s", path,
			 su->user ? su->user : "root", su->group ? su->group : "root", sg);
}

static int check_file(const struct hd_model *m, const struct hd_rule *r, struct hd_check *out)
{
	const struct hd_daemon_spec *d = m->daemon;
	const struct file_check *fc = NULL;
	const struct hd_file_list *l;
	bool any = false;
	size_t i;
	int rc;

	for (i = 0; i < HD_ARRAY_SIZE(file_checks); i++) {
		if (file_checks[i].rule == r) {
			fc = &file_checks[i];
			break;
		}
	}
	if (!fc)
		return hd_not_applicable(out, "no file is known for this check");
	l = &d->files[fc->file];
	for (i = 0; i < l->n; i++) {
		const struct hd_file_fact *f = &l->v[i];
		bool in_tree = fc->file == HD_DF_CERTS_D || (fc->file == HD_DF_ETC_DOCKER && i > 0);

		if (fc->file == HD_DF_DOCKER_SOCK && unit_creates(&d->socket_unit, f->path)) {
			bool missing = f->type == HD_FT_MISSING && f->err == -HD_ENOENT;

			any = true;
			rc = check_socket_unit(fc, d, f->path, missing ? NULL : f, out);
			if (rc < 0)
				return rc;
			if (missing)
				continue;
		}
		if (f->type == HD_FT_MISSING && f->err == -HD_ENOENT)
			continue;
		if (fc->file == HD_DF_CERTS_D && f->type == HD_FT_DIR && fc->owner == false)
			continue;
		any = true;
		rc = check_one_file(fc, d, r, f, in_tree, out);
		if (rc < 0)
			return rc;
	}
	if (any)
		return 0;
	if (!l->n)
		return hd_not_applicable(out, "the configuration names no such file (TLS is off)");
	return hd_not_applicable_files(out, "no such file", l);
}
