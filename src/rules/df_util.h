/*
 * Helpers shared by the Dockerfile rules on RUN commands and package managers
 * (dockerfile_run.c, dockerfile_pkg.c).  They read the shell model of a RUN
 * (model/shell.h) the way a shell would run it: wrapper commands such as
 * `sudo`, `env` or `xargs` are skipped to find the real command, options are
 * told from operands with each tool's list of options that take a value, and
 * the package manager and its subcommand are recognised once.
 *
 * Everything here borrows from the hd_dockerfile being checked and allocates
 * nothing, except dfr_report*(), which appends a finding.  Names start with
 * `dfr_` so they cannot clash with the helpers of the other Dockerfile rules.
 */
#ifndef HD_RULES_DF_UTIL_H
#define HD_RULES_DF_UTIL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "core/finding.h"
#include "core/rule.h"
#include "model/dockerfile.h"
#include "model/shell.h"

/*
 * The RUN instruction held by df->instrs[i]: the instruction itself when it is
 * a RUN, the inner instruction of `ONBUILD RUN ...`, otherwise NULL.  The
 * result may be an exec-form RUN (shell == NULL).
 */
const struct hd_instr *dfr_run_at(const struct hd_dockerfile *df, size_t i);

/*
 * True when stage `stage` ends up in the image `docker build` produces: it is
 * the final stage, or a later stage is built FROM it (directly or through
 * others).  Stages only copied from (COPY --from) do not ship their layers.
 * Instructions before the first FROM and a file without stages count as
 * shipping.
 */
bool dfr_stage_ships(const struct hd_dockerfile *df, uint32_t stage);

/*
 * True when RUN `in` has a --mount of type cache or tmpfs whose target (or
 * dst/destination) equals or lies under one of the NULL-terminated paths
 * (what a command writes there does not end up in the layer).  A path that
 * starts with '*' matches targets containing the rest ("*yarn").
 */
bool dfr_run_mounts(const struct hd_instr *in, const char *const *paths);

/* The SHELL instruction in effect at instruction i (inherited through FROM <stage>), or NULL. */
const struct hd_instr *dfr_shell_at(const struct hd_dockerfile *df, size_t i);

/* The basename of a path ("/usr/bin/apt-get" -> "apt-get"). */
const char *dfr_base(const char *s);

/*
 * The value of a word that is exactly one variable reference (`$NAME` or
 * `${NAME}`), looked up among the ARG/ENV values in effect at instruction i;
 * NULL when the word is anything else or the variable has no known value.
 */
const char *dfr_word_var(const struct hd_dockerfile *df, size_t i, const struct hd_word *w);

/*
 * A simple command with wrapper commands skipped: `sudo -E apt-get ...`,
 * `env -i A=1 apt-get ...`, `nice -n 5 make`, `xargs -r apt-get ...`,
 * `timeout 60 curl ...`, `eatmydata apt-get ...`.  `command -v x` is a look-up,
 * not a run of x, and yields no command.
 */
struct dfr_cmd {
	const struct hd_cmd *c;
	size_t a0;        /* argv index of the real command word */
	const char *name; /* its basename */
};
/* Fills v; false when the command has no real command word. */
bool dfr_cmd_init(struct dfr_cmd *v, const struct hd_cmd *c);

/*
 * Options of a tool that take their value in the next word (`-o X`, `--opt X`);
 * `--opt=X` and `-oX` need no entry.  With single_dash_long (Go), `-name`
 * words are long options too.
 */
struct dfr_opts {
	const char *short_val;        /* letters, e.g. "octa"; NULL for none */
	const char *const *long_val;  /* names without dashes, NULL-terminated; NULL for none */
	bool single_dash_long;
};

/*
 * Walks the operands (non-option words) of a command from argv index `from`,
 * skipping options and the values of those listed in `o` (which may be NULL);
 * every word after `--` is an operand.
 */
struct dfr_operands {
	const struct hd_cmd *c;
	const struct dfr_opts *o;
	size_t i;       /* next argv index to look at */
	bool dashdash;  /* a `--` was passed */
};
void dfr_operands_init(struct dfr_operands *it, const struct hd_cmd *c, size_t from,
		       const struct dfr_opts *o);
/* The next operand and its argv index (*idx may be NULL), or NULL at the end. */
const struct hd_word *dfr_operands_next(struct dfr_operands *it, size_t *idx);

/*
 * True when argv[from..] sets the short option letter `s` (alone or in a
 * bundle of letters such as -qy) or the long option `lng` (without dashes;
 * `--lng` or `--lng=...`); either may be 0/NULL.  Stops at `--`.
 */
bool dfr_has_opt(const struct hd_cmd *c, size_t from, char s, const char *lng);

/*
 * The value of option -s / --lng in argv[from..]: the next word, or what
 * follows `=` (long) or the letter (short, e.g. -u1000).  NULL when absent.
 * *idx receives the argv index of the word holding the value.
 */
const char *dfr_opt_value(const struct hd_cmd *c, size_t from, char s, const char *lng, size_t *idx);

/* True when some argument in argv[from..] equals `arg`. */
bool dfr_has_word(const struct hd_cmd *c, size_t from, const char *arg);

enum dfr_pm_kind {
	DFR_PM_NONE,
	DFR_PM_APT_GET,  /* apt-get */
	DFR_PM_APT,      /* apt */
	DFR_PM_APK,
	DFR_PM_YUM,
	DFR_PM_DNF,      /* dnf, dnf5, tdnf */
	DFR_PM_MICRODNF,
	DFR_PM_ZYPPER,
	DFR_PM_PIP,      /* pip, pip3, pip3.12, python -m pip */
	DFR_PM_NPM,
	DFR_PM_YARN,
	DFR_PM_PNPM,
	DFR_PM_GEM,
	DFR_PM_GO,
	DFR_PM_MAX
};

/* A package manager call: `apt-get -q install -y curl`. */
struct dfr_pm {
	enum dfr_pm_kind pm;
	const struct hd_cmd *c;
	size_t name;                 /* argv index of the manager's name (python for python -m pip) */
	size_t args;                 /* argv index of its first argument (after `-m pip`) */
	size_t sub;                  /* argv index of the subcommand; c->argc when none */
	const char *subcmd;          /* the subcommand, "" when none */
	const struct dfr_opts *opts; /* the manager's options that take a value */
};
/* Recognises a package manager call; false for any other command. */
bool dfr_pm_parse(const struct hd_cmd *c, struct dfr_pm *pm);
/* The manager's command name for messages ("apt-get", "pip", ...). */
const char *dfr_pm_name(const struct dfr_pm *pm);

/*
 * One RUN being checked: the iterators below call a rule's callback with it.
 * `i` is the index in df->instrs of the RUN (or of the ONBUILD holding it):
 * use it for ARG/ENV look-ups.
 */
struct dfr_ctx {
	const struct hd_dockerfile *df;
	const struct hd_rule *r;
	struct hd_findings *out;
	size_t i;
	const struct hd_instr *in;
	bool ships; /* dfr_stage_ships() of its stage */
};
typedef int dfr_run_fn(const struct dfr_ctx *x);
typedef int dfr_pm_fn(const struct dfr_ctx *x, const struct dfr_pm *pm);
/* Calls fn for every shell-form RUN (ONBUILD RUN included); stops on a negative return. */
int dfr_each_run(const struct hd_model *m, const struct hd_rule *r, struct hd_findings *out, dfr_run_fn *fn);
/*
 * Calls fn for every call of a package manager whose bit (1u << DFR_PM_x) is
 * in `mask`, in every shell-form RUN.
 */
int dfr_each_pm(const struct hd_model *m, const struct hd_rule *r, struct hd_findings *out, unsigned mask,
		dfr_pm_fn *fn);
#define DFR_BIT(pm) (1u << (pm))

/*
 * Appends a finding of rule r for df at span sp, or at the word w of
 * instruction in.  Messages longer than HD_MAX_MESSAGE are cut.
 */
int dfr_report(struct hd_findings *out, const struct hd_rule *r, const struct hd_dockerfile *df,
	       struct hd_span sp, const char *fmt, ...) __attribute__((format(printf, 5, 6)));
int dfr_report_word(struct hd_findings *out, const struct hd_rule *r, const struct hd_dockerfile *df,
		    const struct hd_instr *in, const struct hd_word *w, const char *fmt, ...)
	__attribute__((format(printf, 6, 7)));
/* The span of an instruction's keyword (for findings about a whole instruction). */
struct hd_span dfr_keyword_span(const struct hd_instr *in);

/* Clamps a string for a message: at most DFR_MSG_WORD bytes of it are shown. */
#define DFR_MSG_WORD 200
#define DFR_W(s) (int)dfr_clamp_len(s), (s)
size_t dfr_clamp_len(const char *s);

/*
 * Pieces of the catalogue examples: base images pinned by digest and a final
 * stage hardened the way every other Dockerfile rule wants it, so that a good
 * example fires no rule at all.
 */
#define DFR_EX_TAIL "USER 10001\nHEALTHCHECK CMD [\"/usr/local/bin/app\", \"healthcheck\"]\nCMD [\"/usr/local/bin/app\"]\n"
#define DFR_EX_DEBIAN_FROM "FROM debian:12.5-slim@sha256:1f1e1d1c1b1a19181716151413121110f0e0d0c0b0a09080706050403020100\n"
#define DFR_EX_DEBIAN_FROM_AS_BUILD "FROM debian:12.5-slim@sha256:1f1e1d1c1b1a19181716151413121110f0e0d0c0b0a09080706050403020100 AS build\n"
#define DFR_EX_ALPINE_FROM "FROM alpine:3.20@sha256:0e0d0c0b0a090807060504030201000f1f1e1d1c1b1a19181716151413121110\n"
#define DFR_EX_UBI_FROM "FROM redhat/ubi9:9.4@sha256:2a2b2c2d2e2f202122232425262728292a2b2c2d2e2f20212223242526272829\n"
#define DFR_EX_UBI_MIN_FROM "FROM redhat/ubi9-minimal:9.4@sha256:3a3b3c3d3e3f303132333435363738393a3b3c3d3e3f30313233343536373839\n"
#define DFR_EX_CENTOS_FROM "FROM centos:7.9.2009@sha256:4a4b4c4d4e4f404142434445464748494a4b4c4d4e4f40414243444546474849\n"
#define DFR_EX_SUSE_FROM "FROM opensuse/leap:15.6@sha256:5a5b5c5d5e5f505152535455565758595a5b5c5d5e5f50515253545556575859\n"
#define DFR_EX_PY_FROM "FROM python:3.12.4-slim@sha256:6a6b6c6d6e6f606162636465666768696a6b6c6d6e6f60616263646566676869\n"
#define DFR_EX_NODE_FROM "FROM node:20.15.0-alpine@sha256:7a7b7c7d7e7f707172737475767778797a7b7c7d7e7f70717273747576777879\n"
#define DFR_EX_RUBY_FROM "FROM ruby:3.3.4-slim@sha256:8a8b8c8d8e8f808182838485868788898a8b8c8d8e8f80818283848586878889\n"
#define DFR_EX_GO_FROM "FROM golang:1.22.5@sha256:9a9b9c9d9e9f909192939495969798999a9b9c9d9e9f90919293949596979899 AS build\n"

/* True when a `key=value` setting in word a (matched case-insensitively) turns something off: 0, false, no, off. */
bool dfr_setting_off(const char *a, const char *key);

#endif
