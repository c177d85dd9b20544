/*
 * The live state of a container as the engine reports it: what only a
 * running (or once-run) container has, beside its settings in
 * container_spec.  Filled by parse/inspect.c for HD_SRC_ENGINE specs and read
 * by the live-only container checks of rules/engine.c; other sources leave
 * container_spec.live NULL.
 *
 * Ownership: the live state owns every string and array; it is owned by its
 * container_spec and freed with it (hd_live_state_free()).
 */
#ifndef HD_MODEL_LIVE_H
#define HD_MODEL_LIVE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "model/container.h"

/* An exec session of a container (docker exec), from /exec/{id}/json. */
struct hd_exec_session {
	char *id;
	bool privileged;     /* docker exec --privileged */
	char *user;          /* --user as given; NULL or "" = the container's user */
	bool running;
	char *command;       /* entrypoint and arguments joined by spaces */
	struct hd_origin at; /* "ExecIDs[2]" */
};

/* One process from the engine's top endpoint (ps runs on the engine's host). */
struct hd_process {
	int64_t pid;         /* host pid */
	int64_t uid;         /* host uid; -1 when unknown */
	char *args;          /* command line */
};

struct hd_live_state {
	char *image_id;            /* "sha256:..." the container was created from */
	char *health;              /* State.Health.Status: "healthy", "unhealthy", "starting"; NULL without a healthcheck */
	int64_t failing_streak;    /* State.Health.FailingStreak */
	char *health_output;       /* output of the last failed probe, or NULL */
	int64_t restart_count;     /* RestartCount */
	bool restarting;           /* State.Restarting */
	bool oom_killed;           /* State.OOMKilled */
	int64_t exit_code;         /* State.ExitCode */
	int64_t pid;               /* State.Pid: the host pid of its first process; 0 when not running */
	bool processes_known;      /* its processes were read (running containers only) */
	bool processes_local;      /* read from this machine's /proc, not the top endpoint */
	char *processes_note;      /* why the processes are unknown, or NULL */
	struct hd_process *procs;  /* from top; also copied to spec->processes */
	size_t n_procs, alloc_procs;
	bool execs_known;          /* every exec session could be inspected */
	struct hd_exec_session *execs;
	size_t n_execs, alloc_execs;
	bool on_default_bridge;    /* attached to the default "bridge" network (docker0) */
	struct hd_origin bridge_at;/* "NetworkSettings.Networks.bridge" */
	char *apparmor_profile;    /* AppArmorProfile in effect ("docker-default", "unconfined", "") */
	char *process_label;       /* SELinux ProcessLabel in effect, or NULL */

	/*
	 * What the engine says about its host (from /info), so that container
	 * rules judge a live container against the engine it runs on: AppArmor
	 * and SELinux checks do not apply where the host has neither, and the
	 * socket and data root are where this daemon really keeps them, not only
	 * at the default paths.  host_known is false when /info was not read.
	 */
	bool host_known;
	bool host_apparmor;        /* the engine's host enforces AppArmor */
	bool host_selinux;         /* the engine runs with SELinux support */
	bool host_userns;          /* the daemon remaps users (userns-remap) */
	bool host_rootless;        /* the daemon runs rootless */
	bool host_cgroupns_private;/* the daemon gives containers a private cgroup namespace by
				      default (/info SecurityOptions "name=cgroupns"); when false,
				      cgroupns=host is its default, not the container's choice */
	char *engine_socket;       /* the unix socket hardock reached the engine on, or NULL (TCP) */
	char *data_root;           /* DockerRootDir, e.g. "/var/lib/docker" */
};

struct hd_live_state *hd_live_state_new(void);
void hd_live_state_free(struct hd_live_state *l);
/* Appenders: a zeroed element or NULL on OOM. */
struct hd_exec_session *hd_live_add_exec(struct hd_live_state *l);
struct hd_process *hd_live_add_process(struct hd_live_state *l);

#endif
