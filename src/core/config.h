/*
 * The run's configuration: .hardock.yaml (found from the current directory
 * upward, or --config), a .hadolint.yaml beside it (its ignored: list and
 * trustedRegistries), then command-line options, in that order; later wins.
 *
 * Ownership: the config owns all its strings; hd_config_release() frees them.
 */
#ifndef HD_CONFIG_H
#define HD_CONFIG_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "core/err.h"
#include "core/rule.h"
#include "core/severity.h"

/* A list of owned strings; v[n] is NULL once a string was added. */
struct hd_strlist {
	char **v;
	size_t n, alloc;
};
int hd_strlist_add(struct hd_strlist *l, const char *s);
bool hd_strlist_has(const struct hd_strlist *l, const char *s);
void hd_strlist_release(struct hd_strlist *l);

struct hd_sev_override {
	char *id; /* rule id or a hadolint id */
	enum hd_severity sev;
};

/*
 * One entry of `ignore-vulnerabilities:` in .hardock.yaml: a vulnerability
 * id (or alias), optionally only for one package, with the reason and an
 * expiry date after which it no longer applies (and is reported).
 */
struct hd_vuln_ignore {
	char *id;
	char *package;  /* NULL: every package */
	char *reason;
	int64_t expires;/* unix seconds of the day after the date; 0 never */
	char *expires_text; /* "2025-06-30" as written, or NULL */
	unsigned line;  /* in the config file */
};

struct hd_config {
	struct hd_strlist ignored;             /* rule ids, hadolint ids or CIS ids */
	struct hd_sev_override *overrides;
	size_t n_overrides, alloc_overrides;
	enum hd_severity fail_on;              /* exit 1 for findings >= this; default info */
	bool fail_on_set;
	struct hd_strlist trusted_registries;  /* "docker.io", "*.corp.example", "*" */
	struct hd_strlist allowed_base_images; /* image refs or prefixes ending in '*' */
	struct hd_strlist allowed_images;      /* images containers may run: refs or prefixes ending in '*' */
	struct hd_strlist allowed_mount_prefixes; /* host paths bind mounts and devices may come from */
	struct hd_strlist engine_sockets;      /* unix sockets of the protected daemon (its -H), beyond
						  the well-known names */
	struct hd_strlist required_labels;     /* LABEL keys every final stage must set, as "key" or
						  "key:type" (url, rfc3339, spdx, hash, semver, email, text) */
	bool no_inline_ignore;                 /* disregard # hardock/hadolint ignore comments */
	struct hd_strlist env;                 /* "NAME=VALUE" for compose interpolation (--env,
						  --env-file), later entries winning; never the
						  process environment */
	/*
	 * Paths not to lint: exclude_pat[i] is a gitignore-style glob ("*.md",
	 * "public/js", "!keep.yml"; "**" spans directories) over paths below the
	 * absolute directory exclude_base[i] (the config file's, or the current
	 * one for --exclude).
	 */
	struct hd_strlist exclude_base, exclude_pat;
	char *loaded_from;                     /* path of the .hardock.yaml read, or NULL */
	struct hd_vuln_ignore *vuln_ignores;   /* ignore-vulnerabilities: */
	size_t n_vuln_ignores, alloc_vuln_ignores;
	/*
	 * Per rule (index into hd_rules[]): its severity under this config, or
	 * -1 when disabled.  Filled by hd_config_prepare() once the config is
	 * final, so a run over thousands of files does not ask again per file;
	 * NULL means "ask hd_config_rule_enabled/severity".
	 */
	signed char *rule_sev;
};

void hd_config_init(struct hd_config *c);
void hd_config_release(struct hd_config *c);
/* Loads a .hardock.yaml (or .hadolint.yaml, recognised by its keys) into c. */
int hd_config_load_file(struct hd_config *c, const char *path, struct hd_diag *diag);
struct fy_node;
/*
 * Reads one top-level setting `key` of a config-shaped YAML file at `path`
 * (for files that embed the config's settings among their own, such as the
 * authz policy).  Returns 1 when key is a config setting and was read, 0
 * when it is not one, or a negative HD_E* with diag set.
 */
int hd_config_read_setting(struct hd_config *c, const char *path, const char *key, struct fy_node *v,
			   struct hd_diag *diag);
/* Looks for .hardock.yaml/.hardock.yml/.hadolint.yaml from dir upward; 0 if none. */
int hd_config_discover(struct hd_config *c, const char *dir, struct hd_diag *diag);
int hd_config_set_override(struct hd_config *c, const char *id, enum hd_severity sev);

/* Adds an exclude pattern over paths below the absolute directory base; 0 or -HD_ENOMEM. */
int hd_config_add_exclude(struct hd_config *c, const char *base, const char *pattern);
/*
 * Applies settings given on the command line (cli) over a config read from
 * files: ignored rules, exclusions and variables are added, severity
 * overrides, fail-on and no-inline-ignore replace.  dst must be prepared
 * again afterwards.  0 or -HD_ENOMEM.
 */
int hd_config_apply(struct hd_config *dst, const struct hd_config *cli);

/*
 * Configuration by directory, for a run over many files: the configuration
 * of a file is made of every config file from its directory up to the file
 * system's root, read farthest first so that the nearest wins (in each
 * directory .hadolint.yaml, then .hardock.yaml), with the command-line
 * settings applied over them.  Directories that share their config files
 * share one prepared configuration.  Not thread-safe: fill it before the
 * lint threads start.
 */
struct hd_config_tree;
/* cli is copied.  0 or -HD_ENOMEM. */
int hd_config_tree_new(const struct hd_config *cli, struct hd_config_tree **ret);
void hd_config_tree_free(struct hd_config_tree *t);
/*
 * Sets *ret to the configuration of files in directory dir (owned by the
 * tree).  Returns 0, or a negative HD_E* with diag set for a config file
 * that cannot be read or is wrong (its file, line and column).
 */
int hd_config_tree_get(struct hd_config_tree *t, const char *dir, const struct hd_config **ret,
		       struct hd_diag *diag);
/* dir resolved, when it is the directory hd_config_tree_get() was last asked for; else NULL. */
const char *hd_config_tree_real(const struct hd_config_tree *t, const char *dir);

/* Computes rule_sev (call after the last change to c); 0 or -HD_ENOMEM. */
int hd_config_prepare(struct hd_config *c);

/* Whether rule r runs under c (not ignored, not default-off unless asked). */
bool hd_config_rule_enabled(const struct hd_config *c, const struct hd_rule *r);
/* The severity r reports at under c (override or default). */
enum hd_severity hd_config_severity(const struct hd_config *c, const struct hd_rule *r);
/* True if image reference `registry` is trusted (no trusted list = all trusted). */
bool hd_config_registry_trusted(const struct hd_config *c, const char *registry);

#endif
