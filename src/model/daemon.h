/*
 * daemon_spec: the effective configuration of one dockerd, built the way
 * dockerd builds it, with the provenance of every setting, plus the facts
 * about the daemon's own files (CIS section 3) and its TLS material.  Daemon
 * rules read only this.
 *
 * Sources, in the order dockerd applies them: the command line (the systemd
 * unit's ExecStart with its drop-ins and environment files, /etc/default/docker
 * for SysV init, or the running process's /proc/PID/cmdline), then the
 * configuration file (/etc/docker/daemon.json or --config-file).  A key set
 * in both places is an error dockerd refuses to start with; it is kept in
 * `problems` and the command-line value is the one held in `opt`.  A setting
 * never given has `set == false` and dockerd's default applies (rules know
 * the defaults).
 *
 * Every option dockerd knows is one line of model/daemon_opts.def; `opt` is
 * indexed by its enum hd_dopt.  Values are normalised by type: booleans,
 * integers, strings, lists of strings, key=value lists (log-opts, ulimits as
 * "nofile=1024:2048") and opaque JSON text for structured options.
 *
 * Ownership: the spec owns every string, list and origin in it;
 * hd_daemon_spec_release() frees all.  Rules get it const.
 */
#ifndef HD_MODEL_DAEMON_H
#define HD_MODEL_DAEMON_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "core/config.h"
#include "core/finding.h"
#include "model/fileinfo.h"

/* How an option's value is held. */
enum hd_dval_type {
	HD_DV_BOOL,
	HD_DV_STR,
	HD_DV_INT,
	HD_DV_LIST,    /* array of strings; repeated flag */
	HD_DV_KV,      /* object of strings; "k=v" flags; held as "k=v" items */
	HD_DV_ULIMITS, /* {"nofile":{"Name":..,"Soft":..,"Hard":..}}; "nofile=soft:hard" */
	HD_DV_JSON,    /* any other structure, held as compact JSON text (flags as items) */
};

enum hd_dopt_flags {
	HD_DOF_NEWER = 1u << 0,      /* added after dockerd 20.10 */
	HD_DOF_DEPRECATED = 1u << 1, /* accepted but ignored or being removed */
};

#define HD_DOPT(name, json, flag, sh, type, fl) HD_DOPT_##name,
enum hd_dopt {
#include "model/daemon_opts.def"
	HD_DOPT_MAX
};
#undef HD_DOPT

struct hd_dopt_info {
	const char *json;    /* daemon.json key */
	const char *flag;    /* long flag name without "--", or NULL for daemon.json only */
	char shorthand;      /* 'H' for -H, or 0 */
	enum hd_dval_type type;
	unsigned flags;      /* enum hd_dopt_flags */
};

extern const struct hd_dopt_info hd_dopt_table[HD_DOPT_MAX];
/* Look-ups; return the option or -1. */
int hd_dopt_by_json(const char *key);
int hd_dopt_by_flag(const char *name, size_t len);
int hd_dopt_by_short(char c);
/* True for flags dockerd accepts that are not options of daemon.json
 * (--config-file, --validate, --version, --help). */
bool hd_dopt_flag_only(const char *name, size_t len, bool *takes_value);

enum hd_dsrc {
	HD_DSRC_DEFAULT = 0, /* not given: dockerd's default applies */
	HD_DSRC_FILE,        /* daemon.json */
	HD_DSRC_ARGS,        /* the command line (unit, default file, or live process) */
};

/* Where a value came from; all strings owned. */
struct hd_dorigin {
	char *file;      /* "/etc/docker/daemon.json", "/lib/systemd/system/docker.service", "/proc/812/cmdline" */
	uint32_t line;   /* 1-based, 0 when not from a text file */
	uint32_t col;    /* 1-based byte column, 0 when unknown */
	char *field;     /* the JSON key ("icc") or the flag as written ("--icc=false") */
};

struct hd_ditem {
	char *value;          /* "tcp://0.0.0.0:2376", "max-size=10m", "nofile=1024:2048" */
	struct hd_dorigin at;
};

struct hd_dsetting {
	bool set;
	enum hd_dsrc src;
	bool b;                 /* HD_DV_BOOL */
	int64_t i;              /* HD_DV_INT */
	char *s;                /* HD_DV_STR; HD_DV_JSON from the file as compact JSON */
	struct hd_ditem *items; /* HD_DV_LIST, HD_DV_KV, HD_DV_ULIMITS, HD_DV_JSON from flags */
	size_t n_items, alloc_items;
	struct hd_dorigin at;   /* the key in daemon.json, or the first flag */
};

/* Something that stops dockerd from starting, or that it silently ignores. */
enum hd_dproblem_kind {
	HD_DP_INVALID,   /* unreadable file, bad JSON, wrong type, bad unit syntax */
	HD_DP_UNKNOWN,   /* unknown daemon.json key or dockerd flag */
	HD_DP_CONFLICT,  /* set both on the command line and in daemon.json */
	HD_DP_IGNORED,   /* accepted but has no effect (a flag name used as a JSON key, a duplicate key) */
};

struct hd_dproblem {
	enum hd_dproblem_kind kind;
	char *message;
	struct hd_dorigin at;
};

/* The files of CIS section 3, each group possibly several files. */
enum hd_dfile {
	HD_DF_DOCKER_SERVICE,  /* the unit file in effect */
	HD_DF_DOCKER_SOCKET,   /* docker.socket */
	HD_DF_ETC_DOCKER,      /* /etc/docker itself first, then everything under it */
	HD_DF_CERTS_D,         /* every file under /etc/docker/certs.d */
	HD_DF_TLS_CA,          /* tlscacert */
	HD_DF_TLS_CERT,        /* tlscert */
	HD_DF_TLS_KEY,         /* tlskey */
	HD_DF_DOCKER_SOCK,     /* the unix sockets dockerd listens on */
	HD_DF_DAEMON_JSON,
	HD_DF_ETC_DEFAULT,     /* /etc/default/docker */
	HD_DF_SYSCONFIG,       /* /etc/sysconfig/docker */
	HD_DF_CONTAINERD_SOCK,
	HD_DF_MAX
};

/* An X.509 certificate as OpenSSL read it. */
struct hd_cert_fact {
	bool present;            /* the file was read and holds a certificate */
	char *error;             /* why it could not be used, or NULL */
	char *subject;           /* one-line subject */
	int64_t not_before, not_after; /* seconds since the epoch */
	char key_type[16];       /* "RSA", "EC", "ED25519", ... */
	int key_bits;
	bool is_ca;              /* basicConstraints CA:TRUE */
	bool has_eku, eku_server, eku_client;
	struct hd_strlist sans;  /* "DNS:host.example", "IP:192.0.2.1" */
	char *sig_alg;           /* "sha256WithRSAEncryption" */
	unsigned char spki_sha256[32]; /* digest of the public key, to match keys */
	size_t n_certs;          /* certificates in the file (a CA bundle may hold several) */
};

struct hd_key_fact {
	bool present;
	char *error;
	bool encrypted;          /* passphrase-protected: type and size unknown */
	char key_type[16];
	int key_bits;
	unsigned char spki_sha256[32];
};

struct hd_tls_facts {
	struct hd_cert_fact ca, cert;
	struct hd_key_fact key;
	/* Private keys found beside the daemon's certificates that belong to the
	 * CA certificate (or are named like a CA key when encrypted). */
	struct hd_strlist ca_keys_near;
	enum { HD_SIG_UNKNOWN, HD_SIG_OK, HD_SIG_BAD } cert_signed_by_ca; /* tlscert verified with tlscacert */
};

/*
 * docker.socket, which systemd reads to create dockerd's sockets before
 * dockerd starts (socket activation, `-H fd://`): with what mode and owner.
 * An unset SocketMode= is systemd's default 0666; an unset SocketUser= or
 * SocketGroup= is root.
 */
struct hd_socket_unit {
	char *path;                /* the unit file in effect, or NULL when there is none */
	struct hd_strlist listen;  /* its ListenStream= paths */
	bool mode_set;             /* SocketMode= is given */
	uint32_t mode;             /* the mode systemd gives the socket (0666 when unset) */
	char *mode_text;           /* SocketMode= as written, or NULL */
	char *user, *group;        /* SocketUser=, SocketGroup=, or NULL (root) */
	struct hd_dorigin mode_at; /* SocketMode=, or the unit when unset */
	struct hd_dorigin owner_at;/* SocketGroup= (else SocketUser=, else the unit) */
};

struct hd_daemon_spec {
	struct hd_dsetting opt[HD_DOPT_MAX];

	char *config_file;        /* daemon.json path on the host */
	bool config_present;      /* it exists (even if it could not be read) */
	char *exec_path;          /* the dockerd binary on the command line, or NULL */
	char *args_from;          /* where the command line came from, or NULL when none was found */
	struct hd_strlist argv;   /* that command line word by word, the program first */
	struct hd_strlist unit_files; /* the unit and its drop-ins, in the order applied */
	char *unit_user;          /* User= of the service, or NULL */
	bool live;                /* read from the running system (not --root) */
	int pid;                  /* the running dockerd's pid, 0 when none */
	bool swarm_active;
	char *swarm_evidence;     /* "/var/lib/docker/swarm/state.json", or NULL */
	int64_t now;              /* the time the facts were read (for certificate ages) */
	char *running_driver;     /* storage driver the running engine reports (/info), or NULL */
	char *running_from;       /* "engine /info (unix:///var/run/docker.sock)", or NULL */

	struct hd_dproblem *problems;
	size_t n_problems, alloc_problems;

	struct hd_file_list files[HD_DF_MAX];
	struct hd_tls_facts tls;
	struct hd_socket_unit socket_unit;

	struct hd_strlist notes;  /* what could not be gathered and why, for the report */
};

void hd_daemon_spec_init(struct hd_daemon_spec *d);
void hd_daemon_spec_release(struct hd_daemon_spec *d);

/* Origins. */
int hd_dorigin_set(struct hd_dorigin *o, const char *file, uint32_t line, uint32_t col,
		   const char *field);
int hd_dorigin_copy(struct hd_dorigin *dst, const struct hd_dorigin *src);
void hd_dorigin_release(struct hd_dorigin *o);

/* Appends a problem (message formatted).  Returns 0 or -HD_ENOMEM. */
int hd_daemon_problem(struct hd_daemon_spec *d, enum hd_dproblem_kind kind, const char *file,
		      uint32_t line, uint32_t col, const char *field, const char *fmt, ...)
	__attribute__((format(printf, 7, 8)));

/* Clears a setting (before it is set again from another source). */
void hd_dsetting_clear(struct hd_dsetting *s);
/* Replaces dst with a copy of src.  Returns 0 or -HD_ENOMEM (dst then partly set: clear it). */
int hd_dsetting_copy(struct hd_dsetting *dst, const struct hd_dsetting *src);
/* Appends an item to a list-like setting. */
int hd_dsetting_add_item(struct hd_dsetting *s, const char *value, const struct hd_dorigin *at);

/* Questions rules ask. */
const struct hd_dsetting *hd_daemon_opt(const struct hd_daemon_spec *d, enum hd_dopt o);
/* The boolean value, or dflt when not set. */
bool hd_daemon_bool(const struct hd_daemon_spec *d, enum hd_dopt o, bool dflt);
/* The string value, or NULL when not set. */
const char *hd_daemon_str(const struct hd_daemon_spec *d, enum hd_dopt o);
/* True when a list-like option holds an item equal to value or starting with "value=". */
bool hd_daemon_has_item(const struct hd_daemon_spec *d, enum hd_dopt o, const char *value);
/* Fills loc for a finding about option o: its origin when set, else the
 * configuration file (or the unit) with the JSON key as field. */
void hd_daemon_loc(const struct hd_daemon_spec *d, enum hd_dopt o, struct hd_loc *loc);
void hd_dorigin_loc(const struct hd_dorigin *o, struct hd_loc *loc);
/* True when any of the hosts is a TCP socket (tcp://, or host:port). */
bool hd_daemon_listens_tcp(const struct hd_daemon_spec *d);
/* "icc" -> "--icc" style name for messages: the JSON key when from the file, flag otherwise. */
const char *hd_daemon_opt_name(const struct hd_daemon_spec *d, enum hd_dopt o);

#endif
