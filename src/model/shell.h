/*
 * The shell model: a RUN body (or a `docker run` line in a script) split into
 * simple commands and words the way a POSIX shell would, so rules reason about
 * commands and their arguments rather than about text.
 *
 * Ownership: an hd_shell owns its commands, words and strings.  Offsets are
 * byte offsets into the text that was split (the caller maps them to lines).
 */
#ifndef HD_MODEL_SHELL_H
#define HD_MODEL_SHELL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

enum hd_word_flags {
	HD_WORD_QUOTED    = 1u << 0, /* some part was quoted ('..', "..", or \x) */
	HD_WORD_EXPANSION = 1u << 1, /* contains $VAR, ${..}, $(..) or `..` left unexpanded */
	HD_WORD_GLOB      = 1u << 2, /* contains unquoted * ? [ */
};

struct hd_word {
	char *text;        /* the word after quote removal; expansions kept as written */
	size_t off, end;   /* [off, end) in the split text, including quotes */
	unsigned flags;    /* enum hd_word_flags */
};

struct hd_arena;

/* How a simple command is joined to the next one. */
enum hd_sep {
	HD_SEP_END = 0, /* last command of its list (before EOF, `)`, `}` or a closing backtick) */
	HD_SEP_SEMI,    /* ; or newline (also ;; and the other case terminators) */
	HD_SEP_AND,     /* && */
	HD_SEP_OR,      /* || */
	HD_SEP_PIPE,    /* | (also |&) */
	HD_SEP_BG,      /* & */
};

struct hd_redir {
	char *op;          /* as written with its fd: ">", ">>", "<", "2>", "2>&", "&>", "<<<", "<<", "<<-", ... */
	struct hd_word target;
};

struct hd_cmd {
	struct hd_word *assigns; /* leading NAME=value words */
	size_t n_assigns;
	struct hd_word *argv;    /* command name and arguments (redirections removed) */
	size_t argc;
	struct hd_redir *redirs;
	size_t n_redirs;
	/*
	 * The real command behind wrapper commands (sudo, env, nice, gosu, ...;
	 * model/wrappers.h): its argv index (argc when there is none, as in
	 * `command -v x` or a bare assignment) and its name (the base name of
	 * argv[a0], or what an alias such as xx-apt-get stands for; "" when
	 * none).  argv[0] itself when no wrapper is involved.
	 */
	size_t a0;
	const char *name;
	enum hd_sep sep;         /* what follows this command */
	unsigned depth;          /* 0 at top level; +1 inside ( ), { }, $( ), ` `, <( ) and a heredoc script */
	bool in_subst;           /* inside a command or process substitution $( ), ` `, <( ) */
	size_t off, end;         /* extent in the split text */
};

struct hd_shell {
	struct hd_cmd *cmds;     /* every simple command in source order, nested ones included */
	size_t n_cmds, alloc_cmds;
	bool has_pipe;           /* some command pipes into another */
	bool incomplete;         /* unterminated quote/substitution: parsed as far as possible */
	size_t error_off;        /* where the problem is when incomplete */
	const char *error;       /* static text naming what was expected, when incomplete */

	struct hd_arena *arena;  /* where every string and array lives */
	bool own_arena;          /* the arena is freed by hd_shell_release() */
};

/*
 * Splits text[0..len) into commands.  Reserved words (if then else elif fi
 * for in do done while until case esac { } ! function) are not commands;
 * `for x in a b` and `case w in` heads and `pat)` patterns are skipped, but
 * substitutions inside them are split; `f() {` definitions are not commands;
 * `[[ ... ]]` is one command named "[[".  Heredoc bodies (`<<EOF` up to the
 * delimiter line) are skipped, except when they feed a shell reading its
 * script from stdin (`bash <<EOF`, `sh -e <<'X'`): then their commands are
 * split too, one level deeper.  Nesting beyond HD_MAX_SHELL_DEPTH or more
 * than HD_MAX_SHELL_WORDS words stop the split and mark it incomplete.
 * sh is overwritten (any previous content is not freed).
 * Returns 0 (also when incomplete), -HD_ENOMEM or -HD_ETOOBIG.
 */
int hd_shell_split(const char *text, size_t len, struct hd_shell *sh);
/*
 * The same, allocating everything from arena a (owned by the caller, who
 * frees it; hd_shell_release() then frees nothing).
 */
int hd_shell_split_arena(const char *text, size_t len, struct hd_shell *sh, struct hd_arena *a);
/*
 * The model of one simple command whose words are given rather than parsed
 * (an exec-form RUN: no shell reads them, so "|" or "&&" are arguments and
 * nothing is expanded).  Word i is texts[i], at offsets [offs[i], offs[i] +
 * strlen(texts[i])) of the text the caller maps to positions.  Allocates
 * from arena a (owned by the caller).  0, -HD_ENOMEM, or -HD_ETOOBIG beyond
 * HD_MAX_SHELL_WORDS words.
 */
int hd_shell_from_argv(const char *const *texts, const size_t *offs, size_t n, struct hd_shell *sh,
		       struct hd_arena *a);
/* Frees what hd_shell_split() allocated; accepts NULL and a zeroed hd_shell. */
void hd_shell_release(struct hd_shell *sh);

/* argv[0] with any directory stripped ("/usr/bin/apt-get" -> "apt-get"); "" when argc == 0. */
const char *hd_cmd_name(const struct hd_cmd *c);
/* True if the command has the word (exact match) among its arguments (argv[1..]). */
bool hd_cmd_has_arg(const struct hd_cmd *c, const char *arg);
/*
 * True if a short option letter is set, alone or in a bundle ("-y", "-qy"),
 * or the long option is present ("--yes", "--yes=..."); either may be NULL.
 */
bool hd_cmd_has_opt(const struct hd_cmd *c, char short_opt, const char *long_opt);

#endif
