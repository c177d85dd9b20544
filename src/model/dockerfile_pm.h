/*
 * Derived facts of RUN commands, computed once when a Dockerfile is parsed
 * (hadolint's premap parseShell) and shared by every rule: the package
 * manager calls of each RUN (apt-get/apt/aptitude, apk, dnf/microdnf/yum,
 * zypper, pip/pip3/pipx, npm/yarn/pnpm, gem, go install/get/run, cargo,
 * composer) with their subcommand, what it does and their package operands,
 * and a mask of the tools each RUN calls so rules skip the RUNs that cannot
 * concern them.  Wrappers (sudo, env, gosu, xx-apt-get, ...) are already
 * skipped by the shell model (hd_cmd.a0, hd_cmd.name; model/wrappers.h).
 *
 * Also the generic helpers rules use on a command's words: options told
 * from operands with each tool's list of options that take a value.
 *
 * Everything borrows from the hd_instr and lives in its Dockerfile's arena.
 */
#ifndef HD_MODEL_DOCKERFILE_PM_H
#define HD_MODEL_DOCKERFILE_PM_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "model/shell.h"

struct hd_arena;
struct hd_instr;

/*
 * Options of a tool that take their value in the next word (`-o X`,
 * `--opt X`); `--opt=X` and `-oX` need no entry.  With single_dash_long
 * (Go), `-name` words are long options too.
 */
struct hd_optspec {
	const char *short_val;        /* letters, e.g. "octa"; NULL for none */
	const char *const *long_val;  /* names without dashes, NULL-terminated; NULL for none */
	bool single_dash_long;
};

/*
 * Walks the operands (non-option words) of a command from argv index `from`,
 * skipping options and the values of those listed in `o` (which may be
 * NULL); every word after `--` is an operand.
 */
struct hd_operands {
	const struct hd_cmd *c;
	const struct hd_optspec *o;
	size_t i;       /* next argv index to look at */
	bool dashdash;  /* a `--` was passed */
};
void hd_operands_init(struct hd_operands *it, const struct hd_cmd *c, size_t from, const struct hd_optspec *o);
/* The next operand and its argv index (*idx may be NULL), or NULL at the end. */
const struct hd_word *hd_operands_next(struct hd_operands *it, size_t *idx);
/* How many words option word a occupies under o: 1, or 2 when its value is the next word. */
size_t hd_opt_words(const char *a, const struct hd_optspec *o);

enum hd_pm {
	HD_PM_NONE,
	HD_PM_APT_GET,  /* apt-get (xx-apt-get) */
	HD_PM_APT,      /* apt */
	HD_PM_APTITUDE,
	HD_PM_APK,
	HD_PM_YUM,
	HD_PM_DNF,      /* dnf, dnf5, dnf-3, tdnf */
	HD_PM_MICRODNF,
	HD_PM_ZYPPER,
	HD_PM_PIP,      /* pip, pip3, pip3.12, python -m pip */
	HD_PM_PIPX,
	HD_PM_NPM,
	HD_PM_YARN,
	HD_PM_PNPM,
	HD_PM_GEM,
	HD_PM_GO,
	HD_PM_CARGO,
	HD_PM_COMPOSER,
	HD_PM_MAX
};
#define HD_PM_BIT(pm) (1u << (pm))

/* What a package manager's subcommand does, across managers. */
enum hd_pm_action {
	HD_PMA_OTHER,
	HD_PMA_INSTALL,  /* apt-get install, apk add, dnf in, pip install, npm i, yarn add, go install, ... */
	HD_PMA_REFRESH,  /* refreshes the package index: apt-get update, apk update, dnf makecache, zypper ref */
	HD_PMA_UPGRADE,  /* apt-get upgrade, apk upgrade, dnf upgrade, zypper up/dup/patch */
	HD_PMA_REMOVE,   /* remove, purge, del, erase, uninstall */
	HD_PMA_CLEAN,    /* clean, distclean, cache clean */
	HD_PMA_MAX
};

/* A package manager call: `apt-get -q install -y curl`. */
struct hd_pm_call {
	enum hd_pm pm;
	enum hd_pm_action action;
	const struct hd_cmd *c;
	size_t cmd;                      /* index of c in the RUN's shell */
	size_t name;                     /* argv index of the manager's name (python for python -m pip) */
	size_t args;                     /* argv index of its first argument (after `-m pip`) */
	size_t sub;                      /* argv index of the subcommand; c->argc when none */
	const char *subcmd;              /* the subcommand, "" when none */
	const struct hd_optspec *opts;   /* the manager's options that take a value */
	/*
	 * For HD_PMA_INSTALL: the argv indexes of the package operands (after
	 * the subcommand, options and their values skipped; after `yarn global
	 * add`, `composer global require`), in order.
	 */
	const uint32_t *pkgs;
	size_t n_pkgs;
};

/*
 * Recognises a package manager call in command c (wrappers already skipped:
 * c->a0, c->name); false for any other command.  pkgs are not filled.
 */
bool hd_pm_recognise(const struct hd_cmd *c, struct hd_pm_call *pm);
/* The manager's command name for messages ("apt-get", "pip3", "dnf5", ...). */
const char *hd_pm_name(const struct hd_pm_call *pm);
/* The manager's canonical name ("apt-get", "pip", "dnf", ...); "" for HD_PM_NONE. */
const char *hd_pm_kind_name(enum hd_pm pm);

/* Tools a RUN calls, for a quick "does this RUN concern me" test (hd_instr.tools). */
enum hd_tool {
	HD_TOOL_FETCH,     /* curl, wget, fetch */
	HD_TOOL_CURL,
	HD_TOOL_WGET,
	HD_TOOL_MODE,      /* chmod, mkdir, install */
	HD_TOOL_CD,
	HD_TOOL_LN,
	HD_TOOL_USERADD,
	HD_TOOL_TAR,
	HD_TOOL_RM,        /* rm, find (cache cleanup) */
	HD_TOOL_ECHO,      /* echo, printf */
	HD_TOOL_RPM,
	HD_TOOL_GIT,
	HD_TOOL_CONDA,
	HD_TOOL_EXPORT,    /* export, declare, env, sudo with NAME=value */
	HD_TOOL_SET,
	HD_TOOL_POINTLESS, /* free, ifconfig, kill, mount, ps, service, shutdown, ssh, top, vim */
	HD_TOOL_SUDO,      /* a sudo or doas word at the start of a command */
	HD_TOOL_ASSIGN,    /* a command with NAME=value prefixes */
	HD_TOOL_SHELL,     /* sh, bash, ..., eval, source, . and interpreters */
	HD_TOOL_USERMOD,   /* useradd, usermod, adduser, chpasswd, passwd */
	HD_TOOL_DOCKER,    /* docker, podman */
	HD_TOOL_MAX
};
#define HD_TOOL_BIT(t) (UINT64_C(1) << (t))

/*
 * Computes the derived facts of RUN (or ONBUILD RUN) `in` whose shell model
 * is set: in->pms, in->n_pms, in->pm_mask, in->tools.  Allocates from a.
 * 0 or -HD_ENOMEM.
 */
int hd_run_analyse(struct hd_instr *in, struct hd_arena *a);

struct hd_dockerfile;
/* Fills df->runs, df->n_runs, df->pm_mask and df->tools.  0 or -HD_ENOMEM. */
int hd_dockerfile_index_runs(struct hd_dockerfile *df);

#endif
