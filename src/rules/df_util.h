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
#include <string.h>

#include "core/finding.h"
#include "core/rule.h"
#include "model/dockerfile.h"
#include "model/shell.h"

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
/*
 * Bit c1-'a' of dfr_pm_pairs[c0-'a'] is set when a package manager name
 * starts with the letters c0 c1.  Every rule looks at every command, so this
 * two-letter test (and dfr_maybe_wrapper() below) keeps the common case
 * (echo, rm, make, ...) to a few instructions; only the rest take the full
 * look-up.
 */
extern const uint32_t dfr_pm_pairs[26];

static inline __attribute__((always_inline)) bool dfr_pair_in(const uint32_t *pairs, const char *t)
{
	unsigned c0 = (unsigned char)t[0] - 'a', c1 = (unsigned char)t[1] - 'a';

	return c0 < 26 && c1 < 26 && ((pairs[c0] >> c1) & 1u);
}

/*
 * True when command word t may be a wrapper or a path (its real command is
 * elsewhere).  Three letters tell the wrappers from common commands that
 * share two (chmod/chroot, set/setsid, export/exec).
 */
static inline __attribute__((always_inline)) bool dfr_maybe_wrapper(const char *t)
{
	switch (t[0]) {
	case '/': case '.':
		return true;
	case 'c': /* chronic chroot command */
		return (t[1] == 'h' && t[2] == 'r') || (t[1] == 'o' && t[2] == 'm' && t[3] == 'm');
	case 'd': /* doas */
		return t[1] == 'o' && t[2] == 'a';
	case 'e': /* env eatmydata exec */
		return (t[1] == 'n' && t[2] == 'v' && !t[3]) || (t[1] == 'a' && t[2] == 't') ||
		       (t[1] == 'x' && t[2] == 'e' && t[3] == 'c' && !t[4]);
	case 'f': /* fakeroot */
		return t[1] == 'a' && t[2] == 'k';
	case 'g': /* gosu */
		return t[1] == 'o' && t[2] == 's';
	case 'i': /* ionice */
		return t[1] == 'o' && t[2] == 'n';
	case 'n': /* nice nohup */
		return (t[1] == 'i' && t[2] == 'c') || (t[1] == 'o' && t[2] == 'h');
	case 's': /* sudo su-exec setsid stdbuf */
		return (t[1] == 'u' && (t[2] == 'd' || t[2] == '-')) || (t[1] == 'e' && t[2] == 't' && t[3] == 's') ||
		       (t[1] == 't' && t[2] == 'd');
	case 't': /* time timeout */
		return t[1] == 'i' && t[2] == 'm';
	case 'x': /* xargs */
		return t[1] == 'a' && t[2] == 'r';
	default:
		return false;
	}
}

bool dfr_cmd_init_full(struct dfr_cmd *v, const struct hd_cmd *c);

/* Fills v; false when the command has no real command word. */
static inline __attribute__((always_inline)) bool dfr_cmd_init(struct dfr_cmd *v, const struct hd_cmd *c)
{
	if (!c->argc)
		return false;
	if (!dfr_maybe_wrapper(c->argv[0].text)) {
		v->c = c;
		v->a0 = 0;
		v->name = c->argv[0].text;
		return true;
	}
	return dfr_cmd_init_full(v, c);
}

/* Compares a command name with a literal, the first letter first (most names differ there). */
#define DFR_IS(name, lit) ((name)[0] == (lit)[0] && strcmp((name), (lit)) == 0)

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
/* Recognises a package manager call from a command view; false for any other command. */
bool dfr_pm_from_cmd(const struct dfr_cmd *v, struct dfr_pm *pm);
/* The same, limited to the managers in mask (DFR_BIT()s); cheap for the others. */
bool dfr_pm_from_cmd_mask(const struct dfr_cmd *v, unsigned mask, struct dfr_pm *pm);

/*
 * Recognises a call of one of the package managers in `mask` (DFR_BIT()s);
 * false for any other command.  Cheap for commands that are not one.
 */
bool dfr_pm_parse_mask_full(const struct hd_cmd *c, unsigned mask, struct dfr_pm *pm);
/* The first letters (bit c-'a') of the names of the managers in mask. */
uint32_t dfr_pm_letters(unsigned mask);
/*
 * dfr_pm_parse_mask() with the letters of dfr_pm_letters(mask) computed by
 * the caller once: a command named by another manager is rejected inline.
 */
static inline __attribute__((always_inline)) bool dfr_pm_parse_fast(const struct hd_cmd *c, unsigned mask,
								    uint32_t letters, struct dfr_pm *pm)
{
	const char *t;

	if (!c->argc)
		return false;
	t = c->argv[0].text;
	if (!dfr_maybe_wrapper(t) &&
	    (!dfr_pair_in(dfr_pm_pairs, t) || !((letters >> ((unsigned char)t[0] - 'a')) & 1u)))
		return false; /* the common case, decided inline */
	return dfr_pm_parse_mask_full(c, mask, pm);
}
static inline __attribute__((always_inline)) bool dfr_pm_parse_mask(const struct hd_cmd *c, unsigned mask,
								    struct dfr_pm *pm)
{
	return dfr_pm_parse_fast(c, mask, ~0u, pm);
}
#define DFR_PM_ALL (~0u)

/* Recognises a package manager call; false for any other command. */
static inline bool dfr_pm_parse(const struct hd_cmd *c, struct dfr_pm *pm)
{
	return dfr_pm_parse_mask(c, DFR_PM_ALL, pm);
}
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
	struct hd_check *out;
	size_t i;
	const struct hd_instr *in;
};
/* dfr_stage_ships() of the RUN's stage. */
bool dfr_ctx_ships(const struct dfr_ctx *x);
typedef int dfr_run_fn(const struct dfr_ctx *x);
typedef int dfr_pm_fn(const struct dfr_ctx *x, const struct dfr_pm *pm);
/* Calls fn for every shell-form RUN (ONBUILD RUN included); stops on a negative return. */
int dfr_each_run(const struct hd_model *m, const struct hd_rule *r, struct hd_check *out, dfr_run_fn *fn);
/*
 * Calls fn for every call of a package manager whose bit (1u << DFR_PM_x) is
 * in `mask`, in every shell-form RUN.
 */
int dfr_each_pm(const struct hd_model *m, const struct hd_rule *r, struct hd_check *out, unsigned mask,
		dfr_pm_fn *fn);
#define DFR_BIT(pm) (1u << (pm))

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
