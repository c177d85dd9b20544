/*
 * The rule catalogue.
 *
 * A rule is a const struct hd_rule holding its metadata beside its check
 * function.  src/rules/registry.def is the single list of rules; it expands
 * into hd_rules[] (sorted by id) and hd_rule_count.  A check is a pure
 * function of one subject (a Dockerfile, a container spec, a daemon spec, ...)
 * plus the run's configuration: it never prints, never reads files, and only
 * appends findings.
 */
#ifndef HD_RULE_H
#define HD_RULE_H

#include <stdbool.h>
#include <stddef.h>

#include "core/severity.h"

struct hd_config;
struct hd_findings;
struct hd_dockerfile;
struct hd_container_spec;
struct hd_image_spec;
struct hd_image_files;
struct hd_daemon_spec;
struct hd_host_facts;
struct hd_project;
struct hd_engine_facts;

/* What a rule judges; a subject of that kind is handed to its check. */
enum hd_target {
	HD_TARGET_DOCKERFILE,
	HD_TARGET_CONTAINER, /* container_spec: compose service, run line, live container, authz request */
	HD_TARGET_PROJECT,   /* a whole compose project (cross-service checks) */
	HD_TARGET_IMAGE,     /* image_spec: image config from an engine or an archive */
	HD_TARGET_IMAGE_FILES, /* image_files: what an image's layers hold */
	HD_TARGET_DAEMON,    /* daemon_spec: effective dockerd configuration */
	HD_TARGET_HOST,      /* host_facts: files, mounts, groups, audit rules */
	HD_TARGET_ENGINE,    /* engine-wide live facts (swarm, images in use, ...) */
	HD_TARGET_MAX
};

const char *hd_target_name(enum hd_target t);

/* The subject a check looks at: exactly one pointer matches `kind`. */
struct hd_model {
	enum hd_target kind;
	const struct hd_config *cfg; /* never NULL during a run */
	union {
		const struct hd_dockerfile *df;
		const struct hd_container_spec *ctr;
		const struct hd_project *project;
		const struct hd_image_spec *img;
		const struct hd_image_files *files;
		const struct hd_daemon_spec *daemon;
		const struct hd_host_facts *host;
		const struct hd_engine_facts *engine;
	};
};

struct hd_rule;
struct hd_loc;

/*
 * What a check reports through: the only way a finding is written.  The
 * runner (hd_run_rule) or a driver reporting a loader rule (parse errors,
 * unreadable files) sets it up with hd_check_init(); the check then calls
 * hd_report() for a finding at the rule's severity, hd_report_sev() for a
 * severity of its own for this case, or returns hd_not_applicable() with the
 * reason the subject gives it nothing to judge.  The configuration's severity
 * override for the rule, when there is one, replaces whatever severity the
 * check gives: that is the one place overrides are applied.
 */
#define HD_MAX_NOTE 512u
struct hd_check {
	const struct hd_rule *rule;
	struct hd_findings *out; /* private to hd_report*() */
	int override;            /* the config's severity for the rule, or -1 */
	size_t reported;         /* findings reported through this context */
	enum hd_severity max_sev;/* highest severity reported (HD_SEV_NONE if none) */
	char note[HD_MAX_NOTE];  /* why not applicable; "" if no reason was given */
};

/* Prepares ck for reporting findings of rule r into out under config cfg (may be NULL). */
void hd_check_init(struct hd_check *ck, const struct hd_rule *r, const struct hd_config *cfg,
		   struct hd_findings *out);
/* Reports a finding at loc (NULL: none) with a printf-style message; 0 or -HD_E*. */
int hd_report(struct hd_check *ck, const struct hd_loc *loc, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
/* Same, with this case's severity (HD_SEV_NONE: the rule's default). */
int hd_report_sev(struct hd_check *ck, enum hd_severity sev, const struct hd_loc *loc, const char *fmt,
		  ...) __attribute__((format(printf, 4, 5)));
/* Records why the rule does not apply (printf-style) and returns HD_RULE_NOT_APPLICABLE. */
int hd_not_applicable(struct hd_check *ck, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

/*
 * One function type for every check.  Returns 0 when the rule was evaluated
 * (it reported its findings, if any, through ck), HD_RULE_NOT_APPLICABLE
 * (via hd_not_applicable()) when the subject gives it nothing to judge
 * (swarm rules with swarm off, AppArmor rules on a host without AppArmor),
 * or a negative HD_E* (OOM).  Audit reports show the latter as NOTE with the
 * reason, never as PASS.
 */
#define HD_RULE_NOT_APPLICABLE 1
typedef int hd_check_fn(const struct hd_model *m, const struct hd_rule *r, struct hd_check *ck);

enum hd_rule_flags {
	HD_RULE_NEEDS_ENGINE = 1u << 0, /* only meaningful against a live engine */
	HD_RULE_DEFAULT_OFF  = 1u << 1, /* opt-in (like hadolint's "ignore" severity) */
	HD_RULE_EXPERIMENTAL = 1u << 2,
	HD_RULE_NO_IGNORE    = 1u << 3, /* cannot be suppressed inline (parse errors) */
	HD_RULE_LIVE_ONLY    = 1u << 4, /* needs a live system, not --root files */
	/*
	 * Judges a long-running service (resource limits, healthcheck, restart
	 * policy, read-only root): not applied to a one-shot container, a
	 * `docker run` that runs a command and is gone (see lint_scripts.c).
	 */
	HD_RULE_SERVICE      = 1u << 5,
};

/*
 * How `hardock harden daemon-json` acts on a daemon rule: the daemon.json
 * option and the value the rule recommends, when the change is made, what it
 * protects and what it may break.  The rule's title and CIS id complete the
 * explanation; harden keeps no table of its own.
 */
enum hd_fix_mode {
	HD_FIX_SET = 1,   /* add when absent, replace any other value */
	HD_FIX_ADD,       /* add when absent (or an empty string); keep any value the user set */
	HD_FIX_CORRECT,   /* replace the user's value when it differs; never add */
	HD_FIX_REMOVE,    /* remove the user's value when it equals `value` */
	HD_FIX_LOGGING,   /* log-driver: journald (or syslog); drop the options only json-file takes */
	HD_FIX_EXPLAIN,   /* never changed automatically: when the rule still fires on the
			     result, `protects` says why not and what to do */
};

struct hd_fix {
	const char *option;   /* daemon.json key; NULL ends a rule's list */
	const char *value;    /* the recommended value as JSON text ("false", "\"default\"") */
	enum hd_fix_mode mode;
	const char *protects; /* what the change protects (EXPLAIN: why it is not made) */
	const char *breaks;   /* what it may break, or NULL */
};

struct hd_rule {
	const char *id;          /* "<domain>/<slug>", stable forever */
	const char *title;       /* one line, imperative or descriptive */
	enum hd_severity severity;
	enum hd_target target;
	unsigned flags;          /* enum hd_rule_flags */
	const char *cis;         /* CIS Docker Benchmark 1.6.0 id(s), comma-separated, or NULL */
	const char *owasp;       /* OWASP Docker Top 10 id(s) "D01".."D10", comma-separated, or NULL */
	const char *hadolint;    /* equivalent hadolint id(s) "DL3008", comma-separated, or NULL */
	const char *other;       /* other tools' ids: "dockle:CIS-DI-0001 checkov:CKV_DOCKER_3", or NULL */
	const char *rationale;   /* why it matters; where we differ from a peer, say why */
	const char *remediation; /* what to do */
	const char *bad_example; /* input that fires exactly this rule (for its target kind), or NULL */
	const char *good_example;/* the fixed input that fires no rule of this kind, or NULL */
	hd_check_fn *check;
	const struct hd_fix *fix; /* daemon rules: what harden daemon-json does, ended by an
				     entry with option NULL; NULL when nothing */
};

extern const struct hd_rule *const hd_rules[];
extern const size_t hd_rule_count;
/* hd_rule_def_ids[i] is the id the .def line of hd_rules[i] states. */
extern const char *const hd_rule_def_ids[];

/* Finds a rule by its id, or by a hadolint id ("DL3008"); NULL if unknown. */
const struct hd_rule *hd_rule_find(const char *id);
/* True if the rule lists the given reference (hadolint "DL3008" or CIS "4.1"). */
int hd_rule_has_ref(const char *list, const char *ref);
/*
 * True when `name` names rule r the way configuration, --ignore and `rules
 * explain` take it: its id, an equivalent hadolint id ("DL3008"), or
 * "CIS-" and a CIS Docker Benchmark check it implements ("CIS-5.5"; one
 * check may be several rules).
 */
bool hd_rule_named(const struct hd_rule *r, const char *name);
/* True when some rule of the catalogue is named `name` (see hd_rule_named). */
bool hd_rule_name_known(const char *name);

#endif
