/*
 * Engine rules: what only a live engine can tell.
 *
 * Two kinds.  Live container checks (target CONTAINER, flagged LIVE_ONLY and
 * NEEDS_ENGINE, ids engine/...) read the live state of a container
 * (model/live.h): exec sessions, health, restarts, the default bridge;
 * for any other source they are not applicable.  The processes `top`
 * reports (no ps needed in the image) go to container_spec.processes, where
 * container/sshd-running judges them with the other container rules.  Engine-wide checks (target ENGINE, ids engine/... and
 * swarm/...) read engine_facts: swarm mode (CIS 5.1), swarm settings (CIS 7.x,
 * not applicable when swarm is off: a check that cannot run is not a pass),
 * and container sprawl (CIS 6.2).
 *
 * Their examples are engine answers, not Dockerfiles or compose files, so
 * they are tested from fixtures (tests/unit/test-engine-rules.c) and the
 * examples fields stay NULL.
 */
#include "core/common.h"
#include "core/finding.h"
#include "core/rule.h"
#include "model/container.h"
#include "model/engine.h"
#include "model/image.h"
#include "model/live.h"

/* Non-running containers beyond this count are sprawl (docker-bench's figure). */
#define SPRAWL_STOPPED 25
/* Restarts beyond this count mean a crash loop. */
#define RESTART_LOOP 5
/* Swarm node certificates valid longer than this are not rotated often enough. */
#define NODE_CERT_MAX_NS ((int64_t)90 * 24 * 3600 * 1000000000)
/* A swarm CA certificate expiring within this is about to break the cluster. */
#define CA_EXPIRY_WARN_S ((int64_t)30 * 24 * 3600)

static void ctr_loc(const struct hd_container_spec *c, const struct hd_origin *o, const char *field,
		    struct hd_loc *loc)
{
	hd_origin_loc(c, o, loc);
	if (!o && field)
		loc->field = field;
}

/* ---- engine/default-bridge ------------------------------------------------------- */

static hd_check_fn check_default_bridge;
const struct hd_rule hd_rule_engine_default_bridge = {
	.id = "engine/default-bridge",
	.title = "Container on the default bridge network (docker0)",
	.severity = HD_SEV_LOW,
	.target = HD_TARGET_CONTAINER,
	.flags = HD_RULE_NEEDS_ENGINE | HD_RULE_LIVE_ONLY,
	.cis = "5.30",
	.owasp = "D03",
	.other = "docker-bench:5.30",
	.rationale = "Every container on the default bridge can reach every other one on any port "
		     "(unless the daemon runs with icc=false), and the default bridge has no DNS-based "
		     "isolation. A user-defined network per application keeps unrelated containers apart.",
	.remediation = "Create a network per application and attach the container to it: "
		       "`docker network create shop` then `docker run --network shop ...`.",
	.check = check_default_bridge,
};

static int check_default_bridge(const struct hd_model *m, const struct hd_rule *r, struct hd_check *out)
{
	const struct hd_container_spec *c = m->ctr;
	struct hd_loc loc;

	if (!c->live)
		return hd_not_applicable(out, "only a container of a running engine has this state");
	if (!c->live->on_default_bridge)
		return 0;
	ctr_loc(c, &c->live->bridge_at, NULL, &loc);
	return hd_report(out, &loc, "container '%s' is attached to the default bridge network",
			       c->name);
}

/* ---- engine/exec-privileged ----------------------------------------------------- */

static hd_check_fn check_exec_privileged;
const struct hd_rule hd_rule_engine_exec_privileged = {
	.id = "engine/exec-privileged",
	.title = "Exec session with --privileged",
	.severity = HD_SEV_HIGH,
	.target = HD_TARGET_CONTAINER,
	.flags = HD_RULE_NEEDS_ENGINE | HD_RULE_LIVE_ONLY,
	.cis = "5.23",
	.owasp = "D04",
	.other = "docker-bench:5.23",
	.rationale = "`docker exec --privileged` gives the new process every capability and no "
		     "seccomp or AppArmor confinement, even in a container that was started without "
		     "them: a way around the container's hardening.",
	.remediation = "Do not use `--privileged` with `docker exec`; grant the one capability the task "
		       "needs at `docker run` time, or do the task from the host.",
	.check = check_exec_privileged,
};

static int check_exec_privileged(const struct hd_model *m, const struct hd_rule *r,
				 struct hd_check *out)
{
	const struct hd_container_spec *c = m->ctr;
	size_t i;
	int rc;

	if (!c->live)
		return hd_not_applicable(out, "only a container of a running engine has this state");
	for (i = 0; i < c->live->n_execs; i++) {
		const struct hd_exec_session *e = &c->live->execs[i];
		struct hd_loc loc;

		if (!e->privileged)
			continue;
		ctr_loc(c, &e->at, NULL, &loc);
		rc = hd_report(out, &loc, "container '%s' has a privileged exec session %.12s%s%s%s",
				     c->name, e->id ? e->id : "?", e->command ? " ('" : "",
				     e->command ? e->command : "", e->command ? "')" : "");
		if (rc < 0)
			return rc;
	}
	return 0;
}

/* ---- engine/exec-root ------------------------------------------------------------- */

static hd_check_fn check_exec_root;
const struct hd_rule hd_rule_engine_exec_root = {
	.id = "engine/exec-root",
	.title = "Exec session running as root",
	.severity = HD_SEV_MEDIUM,
	.target = HD_TARGET_CONTAINER,
	.flags = HD_RULE_NEEDS_ENGINE | HD_RULE_LIVE_ONLY,
	.cis = "5.24",
	.owasp = "D01",
	.other = "docker-bench:5.24",
	.rationale = "An exec session as root (`--user root`, `-u 0`, or no --user in a container whose "
		     "user is root) undoes a non-root USER and gets the container's full capability set.",
	.remediation = "Run exec sessions as the container's unprivileged user: `docker exec -u 10001 "
		       "web CMD`; run the container itself as non-root.",
	.check = check_exec_root,
};

static int check_exec_root(const struct hd_model *m, const struct hd_rule *r, struct hd_check *out)
{
	const struct hd_container_spec *c = m->ctr;
	size_t i;
	int rc;

	if (!c->live)
		return hd_not_applicable(out, "only a container of a running engine has this state");
	for (i = 0; i < c->live->n_execs; i++) {
		const struct hd_exec_session *e = &c->live->execs[i];
		bool explicit_user = e->user && *e->user;
		const char *user = explicit_user ? e->user : (c->user.set ? c->user.value : NULL);
		struct hd_loc loc;

		if (!hd_image_user_is_root(user))
			continue;
		ctr_loc(c, &e->at, NULL, &loc);
		if (explicit_user)
			rc = hd_report(out, &loc, "container '%s' has an exec session %.12s as '%s'",
					     c->name, e->id ? e->id : "?", e->user);
		else
			rc = hd_report(out, &loc, "container '%s' has an exec session %.12s as root "
					     "(no --user, and the container runs as root)", c->name,
					     e->id ? e->id : "?");
		if (rc < 0)
			return rc;
	}
	return 0;
}

/* ---- engine/health-failing -------------------------------------------------------- */

static hd_check_fn check_health_failing;
const struct hd_rule hd_rule_engine_health_failing = {
	.id = "engine/health-failing",
	.title = "Container is unhealthy",
	.severity = HD_SEV_MEDIUM,
	.target = HD_TARGET_CONTAINER,
	.flags = HD_RULE_NEEDS_ENGINE | HD_RULE_LIVE_ONLY,
	.cis = "5.27",
	.owasp = "D10",
	.other = "docker-bench:5.27",
	.rationale = "The container's own health check fails: the service does not work although its "
		     "process runs. Plain `docker run` does not restart unhealthy containers, so it stays "
		     "broken until someone looks.",
	.remediation = "Look at `docker inspect --format '{{json .State.Health}}' NAME` and fix the "
		       "service; let an orchestrator (swarm, Kubernetes) or a restart policy act on health.",
	.check = check_health_failing,
};

static int check_health_failing(const struct hd_model *m, const struct hd_rule *r,
				struct hd_check *out)
{
	const struct hd_container_spec *c = m->ctr;
	const struct hd_live_state *l = c->live;
	struct hd_loc loc;
	char out_short[96] = "";

	if (!l)
		return hd_not_applicable(out, "only a container of a running engine has this state");
	if (!l->health || strcmp(l->health, "unhealthy") != 0)
		return 0;
	if (l->health_output) {
		size_t n = strcspn(l->health_output, "\r\n");

		snprintf(out_short, sizeof(out_short), ": %.*s", (int)(n > 80 ? 80 : n), l->health_output);
	}
	ctr_loc(c, NULL, "State.Health.Status", &loc);
	return hd_report(out, &loc, "container '%s' is unhealthy (%" PRId64 " failed checks in a "
			       "row)%s", c->name, l->failing_streak, out_short);
}

/* ---- engine/restart-loop ---------------------------------------------------------- */

static hd_check_fn check_restart_loop;
const struct hd_rule hd_rule_engine_restart_loop = {
	.id = "engine/restart-loop",
	.title = "Container keeps restarting",
	.severity = HD_SEV_LOW,
	.target = HD_TARGET_CONTAINER,
	.flags = HD_RULE_NEEDS_ENGINE | HD_RULE_LIVE_ONLY,
	.cis = "5.15",
	.owasp = "D07",
	.rationale = "A container that the engine has restarted again and again is crashing. An "
		     "unbounded restart policy hides it and keeps burning resources; each start is "
		     "also a chance for an attacker to retry an exploit.",
	.remediation = "Find the cause in `docker logs NAME`; bound restarts with "
		       "`--restart on-failure:5`.",
	.check = check_restart_loop,
};

static int check_restart_loop(const struct hd_model *m, const struct hd_rule *r, struct hd_check *out)
{
	const struct hd_container_spec *c = m->ctr;
	const struct hd_live_state *l = c->live;
	struct hd_loc loc;

	if (!l)
		return hd_not_applicable(out, "only a container of a running engine has this state");
	if (l->restart_count <= RESTART_LOOP && !(l->restarting && l->restart_count > 0))
		return 0;
	ctr_loc(c, NULL, "RestartCount", &loc);
	return hd_report(out, &loc, "container '%s' has been restarted %" PRId64 " times%s",
			       c->name, l->restart_count, l->restarting ? " and is restarting now" : "");
}

/* ---- engine-wide: engine/container-sprawl ----------------------------------------- */

static hd_check_fn check_container_sprawl;
const struct hd_rule hd_rule_engine_container_sprawl = {
	.id = "engine/container-sprawl",
	.title = "Many stopped containers",
	.severity = HD_SEV_LOW,
	.target = HD_TARGET_ENGINE,
	.flags = HD_RULE_NEEDS_ENGINE | HD_RULE_LIVE_ONLY,
	.cis = "6.2",
	.owasp = "D09",
	.other = "docker-bench:6.2",
	.rationale = "Stopped and never-started containers keep their configuration, writable layer "
		     "and volumes; they can be restarted with whatever insecure settings they had, and "
		     "they hide the containers that matter.",
	.remediation = "Remove containers that are not needed: `docker container prune`; start "
		       "short-lived ones with `--rm`.",
	.check = check_container_sprawl,
};

static int check_container_sprawl(const struct hd_model *m, const struct hd_rule *r,
				  struct hd_check *out)
{
	const struct hd_engine_facts *f = m->engine;
	size_t idle = f->containers_total - f->containers_running;
	struct hd_loc loc;

	if (f->containers_total < f->containers_running || idle <= SPRAWL_STOPPED)
		return 0;
	hd_engine_loc(f, "Containers", &loc);
	return hd_report(out, &loc, "%zu of %zu containers are not running (%zu exited, %zu "
			       "created, %zu dead)", idle, f->containers_total, f->containers_exited,
			       f->containers_created, f->containers_dead);
}

/* ---- engine/cgroupns-host-default ------------------------------------------------------ */

static hd_check_fn check_cgroupns_default;
const struct hd_rule hd_rule_engine_cgroupns_host_default = {
	.id = "engine/cgroupns-host-default",
	.title = "Containers share the host's cgroup namespace by default",
	.severity = HD_SEV_MEDIUM,
	.target = HD_TARGET_ENGINE,
	.flags = HD_RULE_NEEDS_ENGINE | HD_RULE_LIVE_ONLY,
	.owasp = "D05",
	.rationale = "On a cgroup v1 host dockerd puts every container in the host's cgroup "
		     "namespace unless told otherwise: each sees the host's whole cgroup tree in "
		     "/sys/fs/cgroup, which the known cgroup escapes (release_agent) build on. It is "
		     "one setting of the daemon, so it is reported once for the engine, with the "
		     "containers it concerns, instead of once per container "
		     "(container/host-cgroupns then judges only containers that chose it).",
	.remediation = "Set \"default-cgroupns-mode\": \"private\" in /etc/docker/daemon.json and "
		       "restart dockerd (new containers get a private cgroup namespace; recreate the "
		       "others), or move the host to cgroup v2, where private is the default.",
	.check = check_cgroupns_default,
};

static int check_cgroupns_default(const struct hd_model *m, const struct hd_rule *r, struct hd_check *out)
{
	const struct hd_engine_facts *f = m->engine;
	char names[512];
	size_t i, len = 0;
	struct hd_loc loc;

	if (!f->info_known)
		return hd_not_applicable(out, "the engine's /info could not be read");
	if (f->cgroupns || !f->cgroupns_host.n)
		return 0;
	names[0] = '\0';
	for (i = 0; i < f->cgroupns_host.n && len + 1 < sizeof(names); i++) {
		int n = i < 8 ? snprintf(names + len, sizeof(names) - len, "%s%s", i ? ", " : "",
					 f->cgroupns_host.v[i].value)
			      : snprintf(names + len, sizeof(names) - len, ", ...");

		if (n < 0)
			break;
		len += (size_t)n;
		if (i >= 8)
			break;
	}
	hd_engine_loc(f, "SecurityOptions", &loc);
	return hd_report(out, &loc, "this engine gives containers the host's cgroup namespace by default "
			 "(cgroup v%s, no \"name=cgroupns\" in its security options): %zu container%s "
			 "share%s it: %s", f->cgroup_version ? f->cgroup_version : "?", f->cgroupns_host.n,
			 f->cgroupns_host.n == 1 ? "" : "s", f->cgroupns_host.n == 1 ? "s" : "", names);
}

/* ---- engine/swarm-mode ---------------------------------------------------------------- */

static hd_check_fn check_swarm_mode;
const struct hd_rule hd_rule_engine_swarm_mode = {
	.id = "engine/swarm-mode",
	.title = "Swarm mode is enabled",
	.severity = HD_SEV_INFO,
	.target = HD_TARGET_ENGINE,
	.flags = HD_RULE_NEEDS_ENGINE | HD_RULE_LIVE_ONLY,
	.cis = "5.1",
	.owasp = "D04",
	.other = "docker-bench:5.1",
	.rationale = "Swarm mode opens the cluster ports (2377, 7946, 4789) and runs a manager with "
		     "its own certificate authority. Where no swarm is needed that is attack surface "
		     "for nothing; where it is needed, the swarm/ checks apply.",
	.remediation = "If this engine does not need swarm: `docker swarm leave` (add --force on the "
		       "last manager).",
	.check = check_swarm_mode,
};

static int check_swarm_mode(const struct hd_model *m, const struct hd_rule *r, struct hd_check *out)
{
	const struct hd_engine_facts *f = m->engine;
	struct hd_loc loc;

	if (f->swarm == HD_SWARM_UNKNOWN)
		return hd_not_applicable(out, "the engine's /info could not be read");
	if (f->swarm == HD_SWARM_INACTIVE)
		return 0;
	hd_engine_loc(f, "Swarm.LocalNodeState", &loc);
	return hd_report(out, &loc, "swarm mode is %s on this engine (%s node); leave the swarm "
			       "if it is not needed", hd_swarm_state_name(f->swarm),
			       f->swarm_manager ? "manager" : "worker");
}

/* ---- swarm rules ---------------------------------------------------------------------- */

static bool swarm_on(const struct hd_engine_facts *f)
{
	return f->swarm == HD_SWARM_ACTIVE || f->swarm == HD_SWARM_LOCKED;
}

/*
 * Why a swarm check has nothing to judge on this engine: the first of its
 * swarm state, its role, then `what` the check itself lacks.
 */
static int swarm_not_applicable(struct hd_check *out, const struct hd_engine_facts *f, const char *what)
{
	if (f->swarm == HD_SWARM_UNKNOWN)
		return hd_not_applicable(out, "the engine's /info could not be read");
	if (f->swarm == HD_SWARM_INACTIVE)
		return hd_not_applicable(out, "swarm mode is off on this engine");
	if (!swarm_on(f))
		return hd_not_applicable(out, "this engine is not an active swarm member");
	if (!f->swarm_manager)
		return hd_not_applicable(out, "this node is a swarm worker: only managers see the "
					 "cluster's settings");
	return hd_not_applicable(out, "%s", what);
}

static hd_check_fn check_manager_count;
const struct hd_rule hd_rule_swarm_manager_count = {
	.id = "swarm/manager-count",
	.title = "Number of swarm managers is not a small odd number",
	.severity = HD_SEV_LOW,
	.target = HD_TARGET_ENGINE,
	.flags = HD_RULE_NEEDS_ENGINE | HD_RULE_LIVE_ONLY,
	.cis = "7.1",
	.owasp = "D04",
	.other = "docker-bench:7.1",
	.rationale = "Raft needs a majority of managers: an even number tolerates no more failures "
		     "than the odd number below it, and more than seven slows every decision while "
		     "each manager holds the cluster's keys. Fewer managers are fewer targets.",
	.remediation = "Keep 1, 3, 5 or 7 managers: `docker node demote NODE` for the extra ones.",
	.check = check_manager_count,
};

static int check_manager_count(const struct hd_model *m, const struct hd_rule *r, struct hd_check *out)
{
	const struct hd_engine_facts *f = m->engine;
	struct hd_loc loc;

	if (!swarm_on(f) || f->swarm_managers <= 0)
		return swarm_not_applicable(out, f, "the number of managers is unknown");
	if (f->swarm_managers % 2 == 1 && f->swarm_managers <= 7)
		return 0;
	hd_engine_loc(f, "Swarm.Managers", &loc);
	return hd_report(out, &loc, "the swarm has %" PRId64 " managers (of %" PRId64 " nodes)%s",
			       f->swarm_managers, f->swarm_nodes,
			       f->swarm_managers % 2 == 0 ? ": an even number adds no fault tolerance"
							   : ": more than 7");
}

static hd_check_fn check_listen_all;
const struct hd_rule hd_rule_swarm_listen_all_interfaces = {
	.id = "swarm/listen-all-interfaces",
	.title = "Swarm management port listens on every interface",
	.severity = HD_SEV_MEDIUM,
	.target = HD_TARGET_ENGINE,
	.flags = HD_RULE_NEEDS_ENGINE | HD_RULE_LIVE_ONLY,
	.cis = "7.2",
	.owasp = "D03",
	.other = "docker-bench:7.2",
	.rationale = "The swarm management API (port 2377) listening on 0.0.0.0 is reachable from "
		     "every network the host is on, including public ones. Binding it to the cluster's "
		     "interface keeps it off the others. Only checked when the engine is this machine.",
	.remediation = "Recreate the swarm with a listen address: `docker swarm init --listen-addr "
		       "10.0.0.5:2377 --advertise-addr 10.0.0.5`.",
	.check = check_listen_all,
};

static int check_listen_all(const struct hd_model *m, const struct hd_rule *r, struct hd_check *out)
{
	const struct hd_engine_facts *f = m->engine;
	struct hd_loc loc;

	if (!swarm_on(f) || f->swarm_listen_all < 0)
		return swarm_not_applicable(out, f, f->same_host ? "the swarm port's listening sockets could not be read" : "the engine is not this machine: its listening sockets cannot be read");
	if (f->swarm_listen_all == 0)
		return 0;
	hd_engine_loc(f, "Swarm.NodeAddr", &loc);
	return hd_report(out, &loc, "the swarm management port %u listens on all interfaces",
			       f->swarm_port ? f->swarm_port : 2377);
}

static hd_check_fn check_service_published;
const struct hd_rule hd_rule_swarm_service_published_everywhere = {
	.id = "swarm/service-published-everywhere",
	.title = "Swarm service port published on every node and interface",
	.severity = HD_SEV_LOW,
	.target = HD_TARGET_ENGINE,
	.flags = HD_RULE_NEEDS_ENGINE | HD_RULE_LIVE_ONLY,
	.cis = "7.2",
	.owasp = "D03",
	.rationale = "A port published in ingress mode (the default) is opened on every interface of "
		     "every swarm node by the routing mesh, bypassing host firewalls such as ufw "
		     "through Docker's own iptables rules.",
	.remediation = "Publish in host mode on the nodes that need it, or put the service behind a "
		       "proxy on an internal network: `--publish mode=host,target=80,published=8080`.",
	.check = check_service_published,
};

static int check_service_published(const struct hd_model *m, const struct hd_rule *r,
				   struct hd_check *out)
{
	const struct hd_engine_facts *f = m->engine;
	size_t i;
	int rc;

	if (!swarm_on(f) || !f->swarm_details_known)
		return swarm_not_applicable(out, f, "the swarm lists could not be read");
	for (i = 0; i < f->n_service_ports; i++) {
		const struct hd_service_port *p = &f->service_ports[i];
		struct hd_loc loc;

		if (!p->published || strcmp(p->mode, "ingress") != 0)
			continue;
		hd_engine_loc(f, p->at.field, &loc);
		rc = hd_report(out, &loc, "service '%s' publishes %u/%s on every node (target %u)",
				     p->service, p->published, p->protocol, p->target);
		if (rc < 0)
			return rc;
	}
	return 0;
}

static hd_check_fn check_overlay_unencrypted;
const struct hd_rule hd_rule_swarm_overlay_unencrypted = {
	.id = "swarm/overlay-unencrypted",
	.title = "Overlay network is not encrypted",
	.severity = HD_SEV_MEDIUM,
	.target = HD_TARGET_ENGINE,
	.flags = HD_RULE_NEEDS_ENGINE | HD_RULE_LIVE_ONLY,
	.cis = "7.3",
	.owasp = "D03",
	.other = "docker-bench:7.3",
	.rationale = "Traffic between containers on different nodes crosses the physical network "
		     "as plain VXLAN; anyone on that network reads and injects it. The encrypted "
		     "option wraps it in IPsec.",
	.remediation = "Create overlay networks encrypted: `docker network create -d overlay --opt "
		       "encrypted backend`.",
	.check = check_overlay_unencrypted,
};

static int check_overlay_unencrypted(const struct hd_model *m, const struct hd_rule *r,
				     struct hd_check *out)
{
	const struct hd_engine_facts *f = m->engine;
	size_t i;
	int rc;

	if (!swarm_on(f) || !f->swarm_details_known)
		return swarm_not_applicable(out, f, "the swarm lists could not be read");
	for (i = 0; i < f->n_networks; i++) {
		const struct hd_net *n = &f->networks[i];
		struct hd_loc loc;

		if (!n->driver || strcmp(n->driver, "overlay") != 0 || n->ingress || n->encrypted)
			continue;
		hd_engine_loc(f, n->at.field, &loc);
		rc = hd_report(out, &loc, "overlay network '%s' is not encrypted", n->name);
		if (rc < 0)
			return rc;
	}
	return 0;
}

static hd_check_fn check_no_secrets;
const struct hd_rule hd_rule_swarm_no_secrets = {
	.id = "swarm/no-secrets",
	.title = "Swarm services use no Docker secrets",
	.severity = HD_SEV_INFO,
	.target = HD_TARGET_ENGINE,
	.flags = HD_RULE_NEEDS_ENGINE | HD_RULE_LIVE_ONLY,
	.cis = "7.4",
	.owasp = "D06",
	.other = "docker-bench:7.4",
	.rationale = "Docker secrets are encrypted in the Raft log and mounted in memory only into "
		     "the services granted them. Services that use none get their credentials some "
		     "other way, usually environment variables anyone with inspect rights can read.",
	.remediation = "Store credentials as secrets: `printf %s \"$PW\" | docker secret create db_pw -` "
		       "and `docker service create --secret db_pw ...`.",
	.check = check_no_secrets,
};

static int check_no_secrets(const struct hd_model *m, const struct hd_rule *r, struct hd_check *out)
{
	const struct hd_engine_facts *f = m->engine;
	struct hd_loc loc;

	if (!swarm_on(f) || !f->swarm_details_known)
		return swarm_not_applicable(out, f, "the swarm lists could not be read");
	if (f->n_services == 0 || f->n_services_with_secrets > 0)
		return 0;
	hd_engine_loc(f, "Services", &loc);
	return hd_report(out, &loc, "none of the %" PRId64 " swarm services uses a Docker secret "
			       "(%" PRId64 " secrets defined)", f->n_services, f->n_secrets);
}

static hd_check_fn check_autolock;
const struct hd_rule hd_rule_swarm_autolock_disabled = {
	.id = "swarm/autolock-disabled",
	.title = "Swarm managers are not auto-locked",
	.severity = HD_SEV_MEDIUM,
	.target = HD_TARGET_ENGINE,
	.flags = HD_RULE_NEEDS_ENGINE | HD_RULE_LIVE_ONLY,
	.cis = "7.5",
	.owasp = "D06",
	.other = "docker-bench:7.5",
	.rationale = "Without autolock the key that decrypts the Raft log (and so every secret) sits "
		     "on the manager's disk; whoever copies the disk gets the secrets. With autolock a "
		     "restarted manager needs the unlock key, kept elsewhere.",
	.remediation = "`docker swarm update --autolock=true`, and store the printed unlock key in a "
		       "password manager.",
	.check = check_autolock,
};

static int check_autolock(const struct hd_model *m, const struct hd_rule *r, struct hd_check *out)
{
	const struct hd_engine_facts *f = m->engine;
	struct hd_loc loc;

	if (!swarm_on(f) || !f->swarm_spec_known)
		return swarm_not_applicable(out, f, "the swarm's settings (/swarm) could not be read");
	if (f->swarm_autolock)
		return 0;
	hd_engine_loc(f, "Swarm.Cluster.Spec.EncryptionConfig.AutoLockManagers", &loc);
	return hd_report(out, &loc, "swarm autolock is off");
}

static hd_check_fn check_node_cert_expiry;
const struct hd_rule hd_rule_swarm_node_cert_expiry = {
	.id = "swarm/node-cert-expiry",
	.title = "Swarm node certificates are valid for too long",
	.severity = HD_SEV_LOW,
	.target = HD_TARGET_ENGINE,
	.flags = HD_RULE_NEEDS_ENGINE | HD_RULE_LIVE_ONLY,
	.cis = "7.7",
	.owasp = "D04",
	.other = "docker-bench:7.7",
	.rationale = "A stolen node certificate lets its holder act as that node until it expires. "
		     "Docker rotates node certificates automatically before expiry, so a short "
		     "validity costs nothing; more than the default 90 days only widens the window.",
	.remediation = "`docker swarm update --cert-expiry 720h` (or at most the default 2160h).",
	.check = check_node_cert_expiry,
};

static int check_node_cert_expiry(const struct hd_model *m, const struct hd_rule *r,
				  struct hd_check *out)
{
	const struct hd_engine_facts *f = m->engine;
	struct hd_loc loc;

	if (!swarm_on(f) || !f->swarm_spec_known || f->node_cert_expiry_ns <= 0)
		return swarm_not_applicable(out, f, "the swarm's certificate settings could not be read");
	if (f->node_cert_expiry_ns <= NODE_CERT_MAX_NS)
		return 0;
	hd_engine_loc(f, "Swarm.Cluster.Spec.CAConfig.NodeCertExpiry", &loc);
	return hd_report(out, &loc, "swarm node certificates are valid for %" PRId64 " hours",
			       (int64_t)(f->node_cert_expiry_ns / 3600000000000LL));
}

static hd_check_fn check_ca_cert_expiry;
const struct hd_rule hd_rule_swarm_ca_cert_expiry = {
	.id = "swarm/ca-cert-expiry",
	.title = "Swarm root CA certificate expires soon",
	.severity = HD_SEV_MEDIUM,
	.target = HD_TARGET_ENGINE,
	.flags = HD_RULE_NEEDS_ENGINE | HD_RULE_LIVE_ONLY,
	.cis = "7.8",
	.owasp = "D04",
	.other = "docker-bench:7.8",
	.rationale = "When the swarm's root CA expires, nodes can no longer renew their certificates "
		     "and the cluster falls apart; rotating it takes time, so it must start well "
		     "before.",
	.remediation = "Rotate the CA: `docker swarm ca --rotate`.",
	.check = check_ca_cert_expiry,
};

static int check_ca_cert_expiry(const struct hd_model *m, const struct hd_rule *r,
				struct hd_check *out)
{
	const struct hd_engine_facts *f = m->engine;
	struct hd_loc loc;

	if (!swarm_on(f) || !f->ca_cert_not_after || !f->now)
		return swarm_not_applicable(out, f, "the swarm's CA certificate could not be read");
	if (f->ca_cert_not_after - f->now > CA_EXPIRY_WARN_S)
		return 0;
	hd_engine_loc(f, "Swarm.Cluster.TLSInfo.TrustRoot", &loc);
	if (f->ca_cert_not_after <= f->now)
		return hd_report(out, &loc, "the swarm root CA certificate has expired");
	return hd_report(out, &loc, "the swarm root CA certificate expires in %" PRId64 " days",
			       (f->ca_cert_not_after - f->now) / 86400);
}

static hd_check_fn check_data_plane;
const struct hd_rule hd_rule_swarm_data_plane_shared = {
	.id = "swarm/data-plane-shared",
	.title = "Swarm management and data traffic share one interface",
	.severity = HD_SEV_INFO,
	.target = HD_TARGET_ENGINE,
	.flags = HD_RULE_NEEDS_ENGINE | HD_RULE_LIVE_ONLY,
	.cis = "7.9",
	.owasp = "D03",
	.other = "docker-bench:7.9",
	.rationale = "With one address for both, heavy container traffic can starve the Raft "
		     "management traffic, and both are exposed on the same network.",
	.remediation = "Give the data plane its own interface: `docker swarm join --data-path-addr "
		       "10.1.0.5 ...` (or at init).",
	.check = check_data_plane,
};

static int check_data_plane(const struct hd_model *m, const struct hd_rule *r, struct hd_check *out)
{
	const struct hd_engine_facts *f = m->engine;
	struct hd_loc loc;

	if (!swarm_on(f) || !f->data_path_known)
		return swarm_not_applicable(out, f, "the data path address is unknown");
	if (f->data_path_separate)
		return 0;
	hd_engine_loc(f, "Nodes.self.Status.Addr", &loc);
	return hd_report(out, &loc, "this node uses %s for both management and data traffic",
			       f->swarm_node_addr ? f->swarm_node_addr : "one address");
}
