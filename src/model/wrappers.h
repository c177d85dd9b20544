/*
 * The one table of wrapper commands: programs that run another program given
 * as their arguments (sudo, gosu, su-exec, env, nice, ionice, xargs,
 * eatmydata, chroot, setpriv, runuser, doas, timeout, stdbuf, nohup, time,
 * exec, command, builtin, ...), each with how its own options and operands
 * are skipped, and of aliases: commands that are another command under a
 * different name (the cross-compilation helpers xx-apt-get, xx-apk, xx-go).
 *
 * Shared by everything that looks for "the real command" of a command line:
 * the shell model of RUN and scripts (every hd_cmd gets its a0 and name from
 * hd_unwrap()), and `docker run` line extraction (parse/runline.c).
 *
 * Nothing here allocates; results borrow from the words given and from the
 * static table.
 */
#ifndef HD_MODEL_WRAPPERS_H
#define HD_MODEL_WRAPPERS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

enum hd_wrapper_flags {
	HD_WRAP_ASSIGNS = 1u << 0, /* NAME=value words may precede the command (env, sudo) */
	HD_WRAP_USER    = 1u << 1, /* may run the command as another user (sudo -u, gosu USER, setpriv --reuid) */
	HD_WRAP_ROOT    = 1u << 2, /* without a user, the command runs as root (sudo, doas) */
	HD_WRAP_ALIAS   = 1u << 3, /* not a wrapper: the named command itself (xx-apt-get is apt-get) */
	HD_WRAP_REQUSER = 1u << 4, /* a command follows only when a user option is given (runuser -u) */
};

struct hd_wrapper {
	const char *name;            /* as the command word's base name */
	const char *alias;           /* HD_WRAP_ALIAS: the command it stands for */
	const char *short_val;       /* short option letters that take a value (-u USER, -uUSER) */
	const char *const *long_val; /* long options (without dashes) that take the next word */
	const char *user_short;      /* the short option letters naming the user to run as */
	const char *const *user_long;/* the long options naming it (--user, --reuid, --userspec) */
	const char *no_cmd;          /* short option letters after which no command is run (command -v) */
	const char *const *no_cmd_long; /* long options with the same effect (env --split-string) */
	uint8_t operands;            /* operands before the command (timeout DURATION, chroot DIR) */
	uint8_t user_operand;        /* 1-based index of the operand naming the user (gosu USER), else 0 */
	unsigned flags;              /* enum hd_wrapper_flags */
};

/* The table, sorted by name (exported for its consistency test). */
extern const struct hd_wrapper hd_wrappers[];
extern const size_t hd_wrapper_count;
/*
 * Bit c1 of hd_wrapper_pairs[c0 - 'a'] is set when a name in the table starts
 * with the letters c0 c1 (c1 a-z as 0-25, '-' as 26, a digit as 27).
 */
extern const uint32_t hd_wrapper_pairs[26];

/*
 * The table entry of a command word (its base name is looked at, so
 * "/usr/bin/sudo" finds sudo), or NULL for any other command.  Most names
 * are rejected after one or two byte compares.
 */
const struct hd_wrapper *hd_wrapper_find(const char *word);

/* The maximum number of nested wrappers followed (sudo env nice timeout ... cmd). */
#define HD_UNWRAP_MAX 8

/* What hd_unwrap() found. */
struct hd_unwrap {
	size_t cmd;          /* index of the real command word; n when there is none */
	const char *name;    /* its name: the base name, or what an alias stands for; "" when none */
	size_t n_wrappers;   /* wrappers skipped before it */
	size_t first_wrapper;/* index of the outermost wrapper word (== cmd when none) */
	const struct hd_wrapper *alias; /* the alias entry of the command word, or NULL */
	/*
	 * The user the command runs as, set by the innermost wrapper that
	 * names one (`sudo -u app`, `gosu 1000`, `setpriv --reuid=app`); NULL
	 * when no wrapper changes it.  user_at is the index of the word that
	 * holds it (the value may follow '=' or the option letter in it).
	 */
	const char *user;
	size_t user_at;
	bool as_root;        /* some wrapper runs it as root without naming a user (sudo, doas) */
	bool no_cmd;         /* a wrapper was told to run nothing (`command -v x`, `env -S '...'`) */
};

/*
 * Skips the wrappers at the start of words[from..n) and finds the real
 * command.  `words` is an array of n elements of `stride` bytes, each
 * starting with its `const char *text` (struct hd_word and struct
 * hd_run_word both do).  Returns true when a command word was found
 * (u->cmd < n).
 */
bool hd_unwrap(const void *words, size_t stride, size_t n, size_t from, struct hd_unwrap *u);

/* The base name of a command word ("/usr/bin/apt-get" -> "apt-get"). */
const char *hd_word_base(const char *word);

#endif
