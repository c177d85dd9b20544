/*
 * Helpers shared by the Dockerfile rules on RUN commands and package managers
 * (dockerfile_run.c, dockerfile_pkg.c).  They read the shell model of a RUN
 * (model/shell.h) and the facts the model derived from it once
 * (model/dockerfile_pm.h): the real command behind wrappers such as `sudo`,
 * `env` or `xargs`, the package manager calls with their subcommands and
 * packages, and the tools each RUN calls.
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
#include <string.h>
#include <strings.h>

#include "core/finding.h"
#include "core/rule.h"
#include "model/dockerfile.h"
#include "model/shell.h"
#include "model/dockerfile_pm.h"

/* True if s[0..n) equals one of the NULL-terminated list, ignoring case. */
static inline bool dfr_in_list_n(const char *s, size_t n, const char *const *list)
{
	int c0 = n ? (s[0] | 0x20) : 0;

	for (; *list; list++) {
		/* First letters first: most words fail there, without a call. */
		if (((*list)[0] | 0x20) == c0 && strncasecmp(s, *list, n) == 0 && (*list)[n] == '\0')
			return true;
		if (!n && !(*list)[0])
			return true;
	}
	return false;
}

/*
 * The RUN instruction held by df->instrs[i]: the instruction itself when it is
 * a RUN, the inner instruction of `ONBUILD RUN ...`, otherwise NULL.  The
 * result may be an exec-form RUN (shell == NULL).
 */
static inline const struct hd_instr *dfr_run_at(const struct hd_dockerfile *df, size_t i)
{
	const struct hd_instr *in = &df->instrs[i];

	if (in->kind == HD_I_RUN)
		return in;
	if (in->kind == HD_I_ONBUILD && in->onbuild && in->onbuild->kind == HD_I_RUN)
		return in->onbuild;
	return NULL;
}

/*
 * The instruction rules judge at index i: the instruction itself, or the one
 * an ONBUILD wraps (linted like it, reported on the ONBUILD line).
 */
static inline const struct hd_instr *dfr_instr(const struct hd_dockerfile *df, size_t i)
{
	const struct hd_instr *in = &df->instrs[i];

	return in->kind == HD_I_ONBUILD && in->onbuild ? in->onbuild : in;
}

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
 * A simple command seen through its wrappers (the shell model already
 * skipped them: hd_cmd.a0, hd_cmd.name).  `command -v x` is a look-up, not a
 * run of x, and yields no command.
 */
struct dfr_cmd {
	const struct hd_cmd *c;
	size_t a0;        /* argv index of the real command word */
	const char *name; /* its name (base name, aliases resolved) */
};

/* Fills v; false when the command has no real command word. */
static inline __attribute__((always_inline)) bool dfr_cmd_init(struct dfr_cmd *v, const struct hd_cmd *c)
{
	if (c->a0 >= c->argc)
		return false;
	v->c = c;
	v->a0 = c->a0;
	v->name = c->name;
	return true;
}

/* Compares a command name with a literal, the first letter first (most names differ there). */
#define DFR_IS(name, lit) ((name)[0] == (lit)[0] && strcmp((name), (lit)) == 0)

/* True when RUN `in` calls a tool of the given HD_TOOL_BIT()s. */
static inline bool dfr_calls(const struct hd_instr *in, uint64_t tools)
{
	return (in->tools & tools) != 0;
}

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
/* Same, the letter also found inside a bundle (curl -fsSLo FILE, wget -qO-, tar -xzf F). */
const char *dfr_opt_value_bundled(const struct hd_cmd *c, size_t from, char s, const char *lng);

/* True when some argument in argv[from..] equals `arg`. */
bool dfr_has_word(const struct hd_cmd *c, size_t from, const char *arg);

/*
 * The package manager call of command k of RUN `in` (its shell's cmds[k]),
 * or NULL.  *cursor (start it at 0) makes a walk over the commands in order
 * cost O(1) per command.
 */
static inline const struct hd_pm_call *dfr_pm_at(const struct hd_instr *in, size_t k, size_t *cursor)
{
	while (*cursor < in->n_pms && in->pms[*cursor].cmd < k)
		(*cursor)++;
	return *cursor < in->n_pms && in->pms[*cursor].cmd == k ? &in->pms[*cursor] : NULL;
}

/* The package manager call of command c of RUN `in` (by a look-up), or NULL. */
const struct hd_pm_call *dfr_pm_of(const struct hd_instr *in, const struct hd_cmd *c);

/*
 * One RUN being checked: the iterators below call a rule's callback with it.
 * `i` is the index in df->instrs of the RUN (or of the ONBUILD holding it):
 * use it for ARG/ENV look-ups.
 */
struct dfr_ctx {
	const struct hd_dockerfile *df;
	const struct hd_rule *r;
	struct hd_check *out;
	size_t i;
	const struct hd_instr *in;
};
/* dfr_stage_ships() of the RUN's stage. */
bool dfr_ctx_ships(const struct dfr_ctx *x);
typedef int dfr_run_fn(const struct dfr_ctx *x);
typedef int dfr_pm_fn(const struct dfr_ctx *x, const struct hd_pm_call *pm);
/* Calls fn for every shell-form RUN (ONBUILD RUN included); stops on a negative return. */
int dfr_each_run(const struct hd_model *m, const struct hd_rule *r, struct hd_check *out, dfr_run_fn *fn);
/*
 * The same for the RUNs that call a package manager of `pms` (HD_PM_BIT()s)
 * or a tool of `tools` (HD_TOOL_BIT()s): most RUNs are skipped without a look.
 */
int dfr_each_run_if(const struct hd_model *m, const struct hd_rule *r, struct hd_check *out, unsigned pms,
		    uint64_t tools, dfr_run_fn *fn);
#define DFR_TOOL(t) HD_TOOL_BIT(HD_TOOL_##t)
/*
 * Calls fn for every call of a package manager whose bit (HD_PM_BIT()) is
 * in `mask`, in every RUN with a shell model (ONBUILD RUN included).
 */
int dfr_each_pm(const struct hd_model *m, const struct hd_rule *r, struct hd_check *out, unsigned mask,
		dfr_pm_fn *fn);

/*
 * Appends a finding of rule r for df at span sp, or at the word w of
 * instruction in, with a printf-style message (hd_report() cuts it at
 * HD_MAX_MESSAGE).  Macros so that the message is formatted once.
 */
static inline struct hd_loc dfr_loc(const struct hd_dockerfile *df, struct hd_span sp)
{
	struct hd_loc loc = {
		.file = df->path,
		.line = sp.line,
		.col = sp.col,
		.end_line = sp.end_line,
		.end_col = sp.end_col,
	};
	return loc;
}
#define dfr_report(out, r, df, sp, ...) \
	({ struct hd_loc dfr_l_ = dfr_loc((df), (sp)); hd_report((out), &dfr_l_, __VA_ARGS__); })
#define dfr_report_word(out, r, df, in, w, ...) dfr_report(out, r, df, hd_instr_word_span((in), (w)), __VA_ARGS__)

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
