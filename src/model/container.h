/*
 * container_spec: every security-relevant setting of one container, already
 * normalised, whatever the source (compose service, `docker run` line, engine
 * inspect JSON, authorization-plugin create request).  Container rules read
 * only this.
 *
 * Provenance: each setting that can be judged carries an hd_origin telling
 * where it came from (file:line:col, or object + JSON path), so a finding
 * points at the exact place to fix.  A setting that was never given has
 * `set == false` and its origin points at the container itself (the service
 * key, the `docker run` word, the container name).
 *
 * Units are converted once by the source: bytes for memory, nano-CPUs for
 * CPUs (1.5 CPUs = 1500000000), plain counts for pids.  Rules never see a
 * source's syntax.
 *
 * Ownership: the spec owns every string and array; hd_container_spec_free()
 * releases all.  Helpers in model/container.c build and free it.
 */
#ifndef HD_MODEL_CONTAINER_H
#define HD_MODEL_CONTAINER_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "core/finding.h"
#include "model/image_ref.h"

struct hd_live_state; /* model/live.h */

/* Where a setting came from. */
struct hd_origin {
	const char *file;   /* borrowed from the spec's strings (spec->file) or NULL */
	uint32_t line, col; /* 1-based, 0 when not from a file */
	char *field;        /* owned: "services.web.privileged", "HostConfig.Privileged", "--privileged" */
};

enum hd_spec_source {
	HD_SRC_COMPOSE,
	HD_SRC_RUN,     /* docker run/create line in a script, Makefile, CI file, Markdown */
	HD_SRC_ENGINE,  /* inspect JSON of a live container */
	HD_SRC_AUTHZ,   /* create request seen by the authorization plugin */
};

/* A boolean setting with its origin. */
struct hd_flag_setting {
	bool set;   /* given explicitly */
	bool value;
	struct hd_origin at;
	bool unknown; /* given, but as a variable or substitution whose value is not known */
};

/* An integer setting (bytes, nano-CPUs, counts) with its origin. */
struct hd_int_setting {
	bool set;
	int64_t value;
	struct hd_origin at;
	bool unknown; /* given, but its value is not known (variable, substitution): value is 0 */
};

/* A string setting with its origin. */
struct hd_str_setting {
	bool set;
	char *value; /* owned; NULL when !set */
	struct hd_origin at;
	bool unknown; /* value holds a variable or substitution kept as written */
};

/* One entry of a list setting (capability, security option, sysctl, ...). */
struct hd_item {
	char *value;         /* owned: "SYS_ADMIN" (no CAP_ prefix, upper case), "seccomp=unconfined" */
	struct hd_origin at;
};

struct hd_items {
	struct hd_item *v;
	size_t n, alloc;
};

enum hd_ns_mode {
	HD_NS_DEFAULT = 0, /* private / not given */
	HD_NS_HOST,        /* shares the host's namespace */
	HD_NS_CONTAINER,   /* container:<name> */
	HD_NS_NONE,        /* network: none */
	HD_NS_BRIDGE,      /* network: the default bridge */
	HD_NS_NAMED,       /* network: a user-defined network; ipc: shareable/private */
	HD_NS_PRIVATE,     /* explicitly private (cgroupns private, ipc private) */
};

struct hd_ns_setting {
	bool set;
	enum hd_ns_mode mode;
	char *value; /* as written: "host", "container:db", "backend" */
	struct hd_origin at;
	bool unknown; /* the mode is a variable or substitution: mode stays HD_NS_DEFAULT */
};

enum hd_mount_type {
	HD_MOUNT_BIND,
	HD_MOUNT_VOLUME,
	HD_MOUNT_TMPFS,
	HD_MOUNT_NPIPE,
	HD_MOUNT_CLUSTER,
	HD_MOUNT_IMAGE,
};

struct hd_mount {
	enum hd_mount_type type;
	char *source;        /* host path (bind, made absolute when known), volume name, or NULL */
	char *target;        /* path in the container */
	bool read_only;
	char *propagation;   /* "shared", "rshared", "slave", "private", ... or NULL */
	char *selinux;       /* "z" or "Z" relabel, or NULL */
	char *volume;        /* a bind made by a local-driver volume: the volume's name, else NULL */
	/*
	 * A fact of the host, not of the source: the bind's source is a unix
	 * socket there (filled by whoever can look at that host at decision
	 * time, as the authz plugin does; false when nobody looked).
	 */
	bool source_is_socket;
	struct hd_origin at;
};

struct hd_device {
	char *host_path;     /* "/dev/sda" */
	char *container_path;
	char *perms;         /* "rwm" or NULL */
	struct hd_origin at;
};

enum hd_proto { HD_PROTO_TCP, HD_PROTO_UDP, HD_PROTO_SCTP };

struct hd_port {
	char *host_ip;       /* NULL or "" = all interfaces (0.0.0.0 and ::) */
	uint32_t host_port_lo, host_port_hi; /* 0 = random host port */
	uint32_t ctr_port_lo, ctr_port_hi;
	enum hd_proto proto;
	bool published;      /* false for expose-only */
	struct hd_origin at;
	bool unknown;        /* some part is a variable: the numbers above may be 0 */
};

struct hd_ulimit {
	char *name;          /* "nofile", "nproc", ... */
	int64_t soft, hard;
	struct hd_origin at;
};

struct hd_env {
	char *name;
	char *value;         /* NULL when only the name is given (taken from the environment) */
	bool from_file;      /* came from an env_file / --env-file */
	struct hd_origin at;
};

struct hd_secret_ref {
	char *name;          /* compose secret/config name */
	char *target;
	bool is_config;
	struct hd_origin at;
};

struct hd_kv_setting {
	char *key;
	char *value;
	struct hd_origin at;
};

struct hd_kvs {
	struct hd_kv_setting *v;
	size_t n, alloc;
};

/* What is known about the image the container runs (from a Dockerfile built by compose, or the engine). */
struct hd_image_facts {
	bool known;              /* false: the image comes from elsewhere and was not inspected */
	bool user_known;
	char *user;              /* USER of the image ("" or NULL = root) */
	bool healthcheck_known;
	bool has_healthcheck;    /* the image defines a HEALTHCHECK (not NONE) */
	char *source;            /* "Dockerfile:12" or "image config" for messages */
};

struct hd_healthcheck {
	bool set;                /* a healthcheck is configured on the container */
	bool disabled;           /* disable: true / --no-healthcheck / NONE */
	int64_t interval_ns, timeout_ns, start_period_ns;
	int64_t retries;
	struct hd_origin at;
};

struct hd_container_spec {
	enum hd_spec_source source;
	char *name;              /* service name, container name, or "docker run (line N)" */
	char *file;              /* owned path the origins point into, or NULL */
	struct hd_origin at;     /* the container itself (service key, `docker` word, container id) */
	char *id;                /* engine container id, or NULL */
	bool running;            /* live containers: state; true for other sources */
	char *state;             /* "running", "exited", "created", ... or NULL */

	struct hd_str_setting image;    /* as written */
	struct hd_image_ref image_ref;  /* parsed; image_ref.raw NULL when no image */
	struct hd_image_facts image_facts;

	struct hd_str_setting user;     /* "1000:1000", "root", "0" */
	struct hd_items group_add;

	struct hd_flag_setting privileged;
	struct hd_items cap_add;        /* upper case, no CAP_ prefix; "ALL" */
	struct hd_items cap_drop;
	struct hd_items security_opt;   /* normalised "key=value": "no-new-privileges=true",
					   "seccomp=unconfined", "apparmor=unconfined", "label=disable" */
	struct hd_flag_setting read_only;
	struct hd_items tmpfs;          /* "/run:rw,size=64m" */

	struct hd_int_setting memory;              /* bytes */
	struct hd_int_setting memory_reservation;  /* bytes */
	struct hd_int_setting memory_swap;         /* bytes; -1 unlimited */
	struct hd_int_setting nano_cpus;           /* --cpus / cpus / deploy limits cpus */
	struct hd_int_setting cpu_shares;
	struct hd_int_setting cpu_quota;
	struct hd_int_setting cpu_period;
	struct hd_str_setting cpuset_cpus;
	struct hd_int_setting pids_limit;          /* <= 0 means unlimited */
	struct hd_flag_setting oom_kill_disable;
	struct hd_int_setting oom_score_adj;
	struct hd_ulimit *ulimits;
	size_t n_ulimits, alloc_ulimits;

	struct hd_ns_setting network;
	struct hd_items networks;       /* compose: named networks the service joins */
	struct hd_ns_setting pid;
	struct hd_ns_setting ipc;
	struct hd_ns_setting uts;
	struct hd_ns_setting userns;
	struct hd_ns_setting cgroupns;

	struct hd_mount *mounts;
	size_t n_mounts, alloc_mounts;
	struct hd_device *devices;
	size_t n_devices, alloc_devices;
	struct hd_items device_cgroup_rules;

	struct hd_port *ports;          /* published and exposed */
	size_t n_ports, alloc_ports;
	struct hd_flag_setting publish_all; /* -P */

	struct hd_env *env;
	size_t n_env, alloc_env;
	struct hd_items env_files;
	struct hd_secret_ref *secrets;  /* secrets and configs */
	size_t n_secrets, alloc_secrets;

	struct hd_healthcheck healthcheck;
	struct hd_str_setting restart;  /* "no", "always", "unless-stopped", "on-failure" */
	struct hd_int_setting restart_max_retries;
	struct hd_str_setting log_driver;
	struct hd_kvs log_opts;
	struct hd_kvs sysctls;
	struct hd_str_setting cgroup_parent;
	struct hd_items extra_hosts;
	struct hd_kvs labels;
	struct hd_items command;        /* entrypoint + command words, for process checks */
	struct hd_items processes;      /* live: process command lines from the engine's top */
	struct hd_live_state *live;     /* engine only: health, restarts, exec sessions, top (model/live.h); else NULL */
	struct hd_str_setting runtime;  /* "runc", "runsc", ... */
	struct hd_flag_setting init;
	struct hd_flag_setting detach;      /* -d: started in the background, as a service */
	struct hd_flag_setting auto_remove; /* --rm: removed when it exits, a one-shot run */

	/*
	 * What the source could not turn into settings, for the rules that
	 * report it.  unknown_options: options the source does not know, as
	 * written ("--frobnicate").  invalid_options: known options with a value
	 * docker would refuse, as "--memory=abc (expected a size such as 512m)".
	 * opaque_args: words that are variables in option position ("$DOCKER_OPTS",
	 * "$@"): they may set anything, so a setting's absence is uncertain.
	 */
	struct hd_items unknown_options;
	struct hd_items invalid_options;
	struct hd_items opaque_args;
	struct hd_str_setting container_name; /* --name / container_name, or NULL */
};

struct hd_container_spec *hd_container_spec_new(enum hd_spec_source src, const char *name,
						const char *file);
void hd_container_spec_free(struct hd_container_spec *c);

/* Builders: copy their strings; return 0 or -HD_ENOMEM. */
int hd_origin_set(struct hd_origin *o, const char *file, uint32_t line, uint32_t col, const char *field);
int hd_items_add(struct hd_items *l, const char *value, const struct hd_origin *at);
bool hd_items_has(const struct hd_items *l, const char *value); /* case-insensitive */
int hd_kvs_add(struct hd_kvs *l, const char *key, const char *value, const struct hd_origin *at);
/* Frees every entry and the array (for lists outside a spec); accepts an empty list. */
void hd_kvs_release(struct hd_kvs *l);
int hd_str_setting_set(struct hd_str_setting *s, const char *value, const struct hd_origin *at);

/* Deep copy (the field is duplicated, the file stays borrowed); 0 or -HD_ENOMEM. */
int hd_origin_copy(struct hd_origin *dst, const struct hd_origin *src);
void hd_origin_release(struct hd_origin *o);

/*
 * Setters for one setting: a later call replaces an earlier one (the last
 * repeated flag wins, as in the docker CLI).  They copy value and origin and
 * return 0 or -HD_ENOMEM.  `unknown` marks a value that holds a variable.
 */
int hd_flag_setting_set(struct hd_flag_setting *s, bool value, const struct hd_origin *at);
int hd_int_setting_set(struct hd_int_setting *s, int64_t value, const struct hd_origin *at);
/* Classifies value with hd_ns_mode_of(). */
int hd_ns_setting_set(struct hd_ns_setting *s, const char *value, const struct hd_origin *at);
/*
 * The namespace mode written as value: "host", "container:X" / "service:X",
 * "none", "bridge" / "default", "private", "" (default); anything else is
 * HD_NS_NAMED (a user-defined network, "shareable").
 */
enum hd_ns_mode hd_ns_mode_of(const char *value);

/*
 * Appenders for the arrays of a spec: each returns a zeroed new element whose
 * origin is a copy of `at` (may be NULL), or NULL on OOM.  The caller fills
 * the element's strings with owned copies (hd_strdup); the spec frees them.
 */
struct hd_mount *hd_container_add_mount(struct hd_container_spec *c, const struct hd_origin *at);
struct hd_device *hd_container_add_device(struct hd_container_spec *c, const struct hd_origin *at);
struct hd_port *hd_container_add_port(struct hd_container_spec *c, const struct hd_origin *at);
struct hd_ulimit *hd_container_add_ulimit(struct hd_container_spec *c, const struct hd_origin *at);
struct hd_env *hd_container_add_env(struct hd_container_spec *c, const struct hd_origin *at);
struct hd_secret_ref *hd_container_add_secret(struct hd_container_spec *c, const struct hd_origin *at);

/*
 * Sets the image (str setting and parsed image_ref).  A reference that does
 * not parse (a variable, a typo) keeps image.value and leaves image_ref.raw
 * NULL.  0 or -HD_ENOMEM.
 */
int hd_container_set_image(struct hd_container_spec *c, const char *image, const struct hd_origin *at);

/*
 * Normalises a capability name the way the docker CLI does: upper case,
 * without the CAP_ prefix ("cap_sys_admin" -> "SYS_ADMIN", "all" -> "ALL").
 * Returns a new string or NULL on OOM.
 */
char *hd_cap_normalise(const char *cap);
/*
 * Normalises a security option to "key=value": "no-new-privileges" ->
 * "no-new-privileges=true", "label:disable" -> "label=disable",
 * "seccomp:unconfined" -> "seccomp=unconfined".  A value without '=' or ':'
 * is kept as written.  Returns a new string or NULL on OOM.
 */
char *hd_security_opt_normalise(const char *opt);
/*
 * The last security option of c with the given key ("seccomp", "apparmor",
 * "label", "no-new-privileges"); its value (after '=') in *value.  For
 * "label" every entry counts, so pass `want` ("disable") to find a specific
 * value; NULL takes the last one.  NULL when absent.
 */
const struct hd_item *hd_security_opt_find(const struct hd_container_spec *c, const char *key,
					   const char *want, const char **value);

/*
 * A finding location for a setting's origin within container c: the
 * origin's file position when it has one, else the container's own; the
 * object is the container's name and the field the origin's field.
 */
void hd_origin_loc(const struct hd_container_spec *c, const struct hd_origin *o, struct hd_loc *loc);

/*
 * Unit parsing shared by every source, exact integer arithmetic:
 * "128m", "1.5g", "0.1G", "512M", "100000" (bytes) -> bytes; "1.5" CPUs ->
 * nano-CPUs; "30s", "1m30s", "500ms" -> nanoseconds.  0 or -HD_EINVAL.
 *
 * hd_parse_bytes follows docker's RAMInBytes (go-units): a decimal number,
 * an optional space, an optional unit k m g t p (binary: 1024^n, any case),
 * an optional 'i' and an optional 'b'; the product is truncated toward zero
 * ("0.1G" = 107374182).  No sign, no exponent; overflow past INT64_MAX fails.
 *
 * hd_parse_nano_cpus follows the CLI's --cpus: a non-negative decimal with at
 * most nine significant fractional digits ("0.0000000001" is too precise).
 *
 * hd_parse_duration_ns follows Go's time.ParseDuration: a sequence of
 * decimal numbers each with a unit ns us µs ms s m h ("1h30m", "1.5s",
 * ".5s"), or a bare "0"; an optional '+'.  Negative durations and overflow
 * fail: no docker setting accepts a negative duration.
 */
int hd_parse_bytes(const char *s, int64_t *ret);
int hd_parse_nano_cpus(const char *s, int64_t *ret);
int hd_parse_duration_ns(const char *s, int64_t *ret);

/*
 * A volume of the local driver whose options bind a host directory
 * (type=none, o=bind or rbind, device=/path: what `docker volume create
 * --opt` and compose's driver_opts write) is a bind mount of that
 * directory.  Every source turns such a volume mount into a bind with this
 * one function: m (a HD_MOUNT_VOLUME whose source is the volume's name, or
 * NULL for an anonymous one) becomes a HD_MOUNT_BIND of `device`, read-only
 * when o has "ro", with m->volume naming the volume.  driver NULL or ""
 * means the default driver, local.  opts are the volume's options.  Nothing
 * changes for other drivers and options.  0 or -HD_ENOMEM.
 */
int hd_mount_resolve_volume(struct hd_mount *m, const char *driver, const struct hd_kvs *opts);

/* ---- the table of settings (model/container_opts.def) ------------------------------ */

/* How a setting's value is held and read. */
enum hd_cset_kind {
	HD_CK_BOOL,      /* struct hd_flag_setting */
	HD_CK_INT,       /* struct hd_int_setting: a count */
	HD_CK_BYTES,     /* struct hd_int_setting: bytes, written as a size ("512m") */
	HD_CK_CPUS,      /* struct hd_int_setting: nano-CPUs, written as CPUs ("1.5") */
	HD_CK_STR,       /* struct hd_str_setting */
	HD_CK_NS,        /* struct hd_ns_setting */
	HD_CK_LIST,      /* struct hd_items, as written */
	HD_CK_CAPS,      /* struct hd_items, capability names (hd_cap_normalise) */
	HD_CK_SECOPT,    /* struct hd_items, "key=value" security options */
	HD_CK_KVS,       /* struct hd_kvs */
	/* A syntax of its own: each source has a reader for each of these. */
	HD_CK_IMAGE,     /* image + image_ref */
	HD_CK_TMPFS,     /* struct hd_items: "/run:opts" */
	HD_CK_ULIMITS,   /* ulimits[] */
	HD_CK_NETWORK,   /* network (mode) + networks (names joined) */
	HD_CK_MOUNTS,    /* mounts[] */
	HD_CK_DEVICES,   /* devices[] */
	HD_CK_PORTS,     /* ports[] */
	HD_CK_HOSTS,     /* struct hd_items: "name:ip" */
	HD_CK_ENV,       /* env[] */
	HD_CK_ENV_FILES, /* struct hd_items: paths */
	HD_CK_SECRETS,   /* secrets[] */
	HD_CK_HEALTH,    /* healthcheck */
	HD_CK_RESTART,   /* restart + restart_max_retries */
	HD_CK_COMMAND,   /* struct hd_items: entrypoint then command words */
	HD_CK_MAX
};

/*
 * Flags of a setting.  HD_CSF_JSON_POSITIVE: in engine JSON a value of 0 or
 * less is the engine's default, read as not set.  HD_CSF_JSON_NONZERO: 0 is
 * the default.  HD_CSF_JSON_PTR: the Go field is a pointer (null resets it).
 * HD_CSF_JSON_REPLACE: the Go type decodes itself from scratch
 * (strslice.StrSlice; a single string is a list of one).  HD_CSF_BODY_TOP:
 * a create body's top level fills it when its HostConfig leaves it zero
 * (dockerd's ContainerConfigWrapper).  HD_CSF_KV_BARE: see below.
 */
#define HD_CSF_JSON_POSITIVE 0x01u
#define HD_CSF_JSON_NONZERO  0x02u
#define HD_CSF_JSON_PTR      0x04u
#define HD_CSF_JSON_REPLACE  0x08u
#define HD_CSF_BODY_TOP      0x10u
#define HD_CSF_KV_BARE       0x20u /* a KVS element may be a key alone ("--label x") */

enum hd_cset_id {
#define HD_CSET(id, field, kind, min, max, flags, run, compose, inspect, create) HD_CS_##id,
#include "model/container_opts.def"
#undef HD_CSET
	HD_CS_MAX
};

struct hd_cset {
	const char *name;        /* the field's name: "oom_score_adj" */
	enum hd_cset_kind kind;
	size_t off;              /* offset of the field in struct hd_container_spec */
	int64_t min, max;        /* valid values of INT, BYTES, CPUS (and RESTART's retry count) */
	unsigned flags;          /* HD_CSF_* */
	const char *run;         /* run-line flags (see the .def) */
	const char *compose;     /* compose keys */
	const char *inspect;     /* JSON paths in container inspect */
	const char *create;      /* JSON paths in a create body */
};

extern const struct hd_cset hd_csets[HD_CS_MAX];

/* The field of setting s in c (cast by the caller per s->kind). */
static inline void *hd_cset_field(struct hd_container_spec *c, const struct hd_cset *s)
{
	return (char *)c + s->off;
}

/*
 * The validation every source applies.  hd_cset_check_int(): v within the
 * setting's range.  hd_cset_parse_value(): the syntax of a written value of
 * an INT, BYTES or CPUS setting ("512m", "1.5", "100"; "-1" where the range
 * takes it) into v.  hd_cset_parse_int(): both.  hd_cset_check_item(): one
 * normalised element of a SECOPT setting, or one "key=value" of a KVS.
 * Each returns 0, or -HD_EINVAL with *expect set to what a valid value looks
 * like ("an integer from -1000 to 1000"), pointing into buf or a constant.
 */
int hd_cset_check_int(const struct hd_cset *s, int64_t v, char *buf, size_t n, const char **expect);
int hd_cset_parse_value(const struct hd_cset *s, const char *text, int64_t *v, const char **expect);
int hd_cset_parse_int(const struct hd_cset *s, const char *text, int64_t *v, char *buf, size_t n,
		      const char **expect);
int hd_cset_check_item(const struct hd_cset *s, const char *item, const char **expect);

/* The commands a run-line flag belongs to. */
#define HD_CSR_RUN     0x1u /* docker run */
#define HD_CSR_CREATE  0x2u /* docker create */
#define HD_CSR_SERVICE 0x4u /* docker service create */
#define HD_CSR_PODMAN  0x8u /* podman run / create */
struct hd_cset_flag {
	const struct hd_cset *set;
	const char *name;  /* long name, without dashes, NUL-terminated */
	char shorthand;    /* 0 when none */
	bool value;        /* takes a value */
	unsigned cmds;     /* HD_CSR_* */
};
/*
 * Every run-line flag of the table, parsed once from the .def strings into
 * static storage (thread-safe, never fails).  The array ends with an entry
 * whose name is NULL.
 */
const struct hd_cset_flag *hd_cset_flags(void);

#endif
