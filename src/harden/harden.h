/*
 * Writers of hardened configuration: the daemon.json merge, the auditd
 * rules for Docker's files, and the TLS material for the daemon's TCP
 * socket.  They never print: they return text and explanations, and only the
 * functions named *_write touch files (keeping a backup of what they replace).
 *
 * Ownership: results own their strings; each has a _release().
 */
#ifndef HD_HARDEN_H
#define HD_HARDEN_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "core/config.h"
#include "model/daemon.h"
#include "model/host.h"

/* ------------------------------------------------------------------ */
/* TLS: a CA, a server certificate (serverAuth, SANs) and a client one. */

enum hd_tls_key {
	HD_TLS_RSA4096 = 0,
	HD_TLS_RSA2048,
	HD_TLS_P256,
	HD_TLS_P384,
};

struct hd_tls_init_opts {
	const char *host;        /* server name: CN and DNS SAN (an IP address also as IP SAN) */
	const char *const *ips;  /* extra IP SANs */
	size_t n_ips;
	const char *const *dns;  /* extra DNS SANs */
	size_t n_dns;
	const char *out_dir;     /* created if missing; files must not exist yet */
	int days;                /* validity of the server and client certificates */
	int ca_days;             /* validity of the CA; 0 = days */
	enum hd_tls_key key;
	int64_t now;             /* 0 = the current time */
};

/* What was written, in order, for the command to list. */
struct hd_tls_file {
	char *path;              /* absolute */
	unsigned mode;
	const char *what;        /* static text */
};

struct hd_tls_init_result {
	struct hd_tls_file files[9];
	size_t n_files;
	char *ca_dir, *server_dir, *client_dir; /* absolute */
};

/*
 * Generates and writes the nine files under o->out_dir (ca/, server/,
 * client/).  Returns 0, or a negative HD_E* with *errmsg (owned by the
 * caller) saying what failed; files written before a failure are removed.
 */
int hd_tls_init(const struct hd_tls_init_opts *o, struct hd_tls_init_result *res, char **errmsg);
void hd_tls_init_result_release(struct hd_tls_init_result *res);
/* Parses "rsa4096", "rsa2048", "p256", "p384"; -1 when unknown. */
int hd_tls_key_from_name(const char *name);

/* ------------------------------------------------------------------ */
/* daemon.json. */

struct hd_harden_change {
	char *key;       /* daemon.json key */
	char *action;    /* "added", "changed", "removed", "kept", "not added" */
	char *why;       /* what it protects */
	char *breaks;    /* what it may break, or NULL */
};

struct hd_harden_json {
	char *text;      /* the merged daemon.json, pretty-printed, ending in a newline */
	struct hd_harden_change *changes;
	size_t n_changes, alloc_changes;
};

/*
 * Merges the user's daemon.json (in[0..len), may be empty: a missing file)
 * with the recommended settings, keeping every key of the user's.  d is the
 * effective configuration read from the same host: options set on the
 * command line are not added to the file (dockerd would refuse the
 * duplicate) and are explained instead; swarm mode keeps live-restore out.
 * has_journald picks journald over syslog for remote logging.  Returns 0,
 * -HD_EPARSE (in is not a JSON object; *errmsg says where) or -HD_ENOMEM.
 */
int hd_harden_daemon_json(const char *in, size_t len, const struct hd_daemon_spec *d,
			  bool has_journald, struct hd_harden_json *out, char **errmsg);
void hd_harden_json_release(struct hd_harden_json *h);

/*
 * Checks a daemon.json text as dockerd would, together with the command line
 * of d: appends to problems one message per error that would stop dockerd or
 * be ignored (invalid values, unknown keys, options also on the command
 * line).  Returns 0 or -HD_ENOMEM.
 */
int hd_harden_validate(const char *path, const char *text, const struct hd_daemon_spec *d,
		       struct hd_strlist *problems);

/* ------------------------------------------------------------------ */
/* auditd rules. */

/*
 * The rules file for the paths of h that exist (one -w line per path, CIS
 * order, "-k docker"), with a header comment.  Returns the text (owned by the
 * caller) or NULL on OOM.
 */
char *hd_harden_audit_rules(const struct hd_host_facts *h);

/* ------------------------------------------------------------------ */
/* Writing files safely. */

/*
 * Replaces path (a path on this machine) with data: writes path.hardock-new,
 * fsyncs, keeps the old file as path.hardock-bak.<UTC timestamp> (returned in
 * *ret_backup, NULL when there was none), then renames into place.  The new
 * file gets the old one's owner and mode & mode_mask, or default_mode when
 * new.  Returns 0 or a negative HD_E*.
 */
int hd_write_with_backup(const char *path, const char *data, size_t len, unsigned default_mode,
			 unsigned mode_mask, int64_t now, char **ret_backup);

/* path if absolute, else the current directory joined with it; NULL on OOM or error. */
char *hd_path_make_absolute(const char *path);
/* dir + "/" + name; NULL on OOM. */
char *hd_path_join_abs(const char *dir, const char *name);

#endif
