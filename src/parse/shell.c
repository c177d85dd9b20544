/*
 * The POSIX shell splitter behind model/shell.h: one pass over a RUN body (or
 * any shell text) that yields its simple commands with their words after
 * quote removal, redirections and leading assignments, in source order.
 *
 * It is a recognizer, not an interpreter: nothing is expanded.  Compound
 * commands are followed only as far as needed to tell commands from the
 * reserved words and heads around them (a small stack of open `(`, `{` and
 * `case`).  Command substitutions and stdin-fed heredoc scripts recurse, one
 * level deeper each, bounded by HD_MAX_SHELL_DEPTH.  A simple command gets its
 * slot in sh->cmds when its first token starts, so commands nested in its
 * words come after it, as in the source.
 */
#include "core/common.h"
#include "core/arena.h"
#include "model/shell.h"
#include "model/wrappers.h"

enum { TERM_EOF = 0, TERM_PAREN = ')', TERM_BACKTICK = '`' };

enum mode {
	M_NONE,
	M_FOR_NAME,  /* after `for`/`select`: the variable */
	M_FOR_IN,    /* after the variable: `in`, `do` or a separator */
	M_FOR_LIST,  /* the words after `in`, up to ; or newline */
	M_CASE_WORD, /* after `case`: the subject */
	M_CASE_IN,   /* after the subject: `in` */
	M_CASE_PAT,  /* a pattern list up to `)` */
	M_FUNC_NAME, /* after `function` */
	M_DBRACKET,  /* inside [[ ... ]] */
};

enum ctx { C_PAREN, C_BRACE, C_CASE };

struct pending_heredoc {
	char *delim;
	bool strip;      /* <<- */
	ssize_t cmd;     /* the command it is attached to, -1 for none */
	unsigned depth;  /* depth of that command */
};

struct sp {
	const char *s;
	size_t len;      /* the end of what is being parsed (a heredoc body parses a sub-range) */
	size_t pos;
	struct hd_shell *sh;
	struct hd_arena *a;
	/*
	 * A copy of the whole text (len + 1 bytes) where word texts are made in
	 * place: the text of a word is never longer than its span, and spans do
	 * not overlap, so a word's text (and its NUL) stays inside its own span.
	 * A word made of plain bytes only needs its NUL.
	 */
	char *copy;
	/*
	 * Scratch for the text of a word with a command substitution inside
	 * (whose words are made in place in the copy): allocated at the first
	 * one; nested words use it beyond the outer word's bytes.
	 */
	char *tmp;
	size_t tmp_len, tmp_alloc;
	struct pending_heredoc *hd;
	size_t n_hd, alloc_hd;
	size_t n_words;
	size_t cmds_hint; /* the size of the first array of commands */
	bool word_eq;     /* the last word read may have an '=' (else it is no assignment) */
	unsigned bt;     /* > 0 inside a backtick substitution */
	ssize_t redir_only; /* the command holding the redirections of a compound one, or -1 */
	int err;
	bool stop;
};

/* Where the text of the word being read goes: in sp->copy, or in sp->tmp. */
struct wout {
	char *base;      /* the first byte of the text */
	char *o;         /* the next byte */
	bool in_tmp;
};

static void set_incomplete(struct sp *sp, size_t off, const char *msg)
{
	if (!sp->sh->incomplete) {
		sp->sh->incomplete = true;
		sp->sh->error_off = off;
		sp->sh->error = msg;
	}
}

static void fail(struct sp *sp, int err)
{
	if (!sp->err)
		sp->err = err;
	sp->stop = true;
}

static inline void out_add(struct wout *wo, const char *p, size_t n)
{
	memcpy(wo->o, p, n);
	wo->o += n;
}

static inline void out_addch(struct wout *wo, char c) { *wo->o++ = c; }

/*
 * Moves the word being read to sp->tmp before a command substitution inside
 * it is split (its words are made in place in the copy, within the word's
 * span), and reserves its bytes there for the words of the substitution.
 */
static int out_to_tmp(struct sp *sp, struct wout *wo)
{
	size_t n;

	if (wo->in_tmp) {
		sp->tmp_len = (size_t)(wo->o - sp->tmp);
		return 0;
	}
	if (!sp->tmp) {
		sp->tmp = hd_arena_alloc(sp->a, sp->tmp_alloc);
		if (!sp->tmp) {
			fail(sp, -HD_ENOMEM);
			return -HD_ENOMEM;
		}
	}
	n = (size_t)(wo->o - wo->base);
	memcpy(sp->tmp + sp->tmp_len, wo->base, n);
	wo->base = sp->tmp + sp->tmp_len;
	wo->o = wo->base + n;
	wo->in_tmp = true;
	sp->tmp_len += n;
	return 0;
}

/*
 * Byte classes, so that the lexer tests a byte with one look-up:
 * blanks, metacharacters (which end a word), bytes that need a look in a
 * word (quotes, escapes, expansions), glob characters, bytes that need a
 * look inside double quotes, and bytes that start something other than a
 * word at the start of a token.
 */
enum {
	CL_BLANK = 1u << 0, /* space, tab, CR */
	CL_META  = 1u << 1, /* blanks, newline, ; & | < > ( ) */
	CL_WORD  = 1u << 2, /* \ ' " $ ` */
	CL_GLOB  = 1u << 3, /* * ? [ */
	CL_DQ    = 1u << 4, /* " \ $ ` */
	CL_TOKEN = 1u << 5, /* NUL, metacharacters, # ` and digits (an fd before a redirection) */
	CL_EQ    = 1u << 6, /* = (a word without one is no assignment) */
	CL_STOP  = CL_META | CL_WORD | CL_GLOB | CL_EQ, /* ends a scan of plain bytes in a word */
};

static const unsigned char cls[256] = {
	[' '] = CL_BLANK | CL_META | CL_TOKEN, ['\t'] = CL_BLANK | CL_META | CL_TOKEN,
	['\r'] = CL_BLANK | CL_META | CL_TOKEN, ['\n'] = CL_META | CL_TOKEN,
	[';'] = CL_META | CL_TOKEN, ['&'] = CL_META | CL_TOKEN, ['|'] = CL_META | CL_TOKEN,
	['<'] = CL_META | CL_TOKEN, ['>'] = CL_META | CL_TOKEN, ['('] = CL_META | CL_TOKEN,
	[')'] = CL_META | CL_TOKEN,
	['\\'] = CL_WORD | CL_DQ, ['\''] = CL_WORD, ['"'] = CL_WORD | CL_DQ, ['$'] = CL_WORD | CL_DQ,
	['`'] = CL_WORD | CL_DQ | CL_TOKEN,
	['*'] = CL_GLOB, ['?'] = CL_GLOB, ['['] = CL_GLOB,
	['\0'] = CL_TOKEN, ['#'] = CL_TOKEN, ['='] = CL_EQ,
	['0'] = CL_TOKEN, ['1'] = CL_TOKEN, ['2'] = CL_TOKEN, ['3'] = CL_TOKEN, ['4'] = CL_TOKEN,
	['5'] = CL_TOKEN, ['6'] = CL_TOKEN, ['7'] = CL_TOKEN, ['8'] = CL_TOKEN, ['9'] = CL_TOKEN,
};

static inline bool is_blank(char c) { return cls[(unsigned char)c] & CL_BLANK; }

static inline bool is_meta(char c) { return cls[(unsigned char)c] & CL_META; }

static inline bool is_name_start(char c)
{
	return c == '_' || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
}

static inline bool is_name_char(char c) { return is_name_start(c) || (c >= '0' && c <= '9'); }

/* Skips blanks and backslash-newline continuations. */
static inline void skip_blanks(struct sp *sp)
{
	const char *s = sp->s;
	size_t p = sp->pos, len = sp->len;

	while (p < len) {
		char c = s[p];

		if (is_blank(c)) {
			p++;
		} else if (c == '\\' && p + 1 < len && s[p + 1] == '\n') {
			p += 2;
		} else {
			break;
		}
	}
	sp->pos = p;
}

static void parse_list(struct sp *sp, unsigned depth, bool in_subst, int term, size_t open);

/* Skips a quoted string starting at the quote; returns false when unterminated. */
static bool skip_quoted(struct sp *sp, char q)
{
	const char *s = sp->s;

	sp->pos++;
	while (sp->pos < sp->len) {
		char c = s[sp->pos];

		if (c == q) {
			sp->pos++;
			return true;
		}
		if (c == '\\' && q == '"' && sp->pos + 1 < sp->len)
			sp->pos++;
		sp->pos++;
	}
	return false;
}

/*
 * Skips to the bracket closing one already open (`${`, `$((`), counting the
 * same brackets and skipping quotes; sp->pos ends after it.
 */
static bool skip_balanced(struct sp *sp, char open, char close, unsigned level)
{
	const char *s = sp->s;

	while (sp->pos < sp->len) {
		char c = s[sp->pos];

		if (c == '\\') {
			sp->pos += 2;
			continue;
		}
		if (c == '\'' || c == '"') {
			if (!skip_quoted(sp, c))
				return false;
			continue;
		}
		sp->pos++;
		if (c == open) {
			level++;
		} else if (c == close) {
			if (--level == 0)
				return true;
		}
	}
	if (sp->pos > sp->len)
		sp->pos = sp->len;
	return false;
}

/* Skips `$((` ... `))` or `((` ... `))` (opened at start); pos is on the first '('. */
static void skip_arith(struct sp *sp, size_t start)
{
	sp->pos += 2;
	if (!skip_balanced(sp, '(', ')', 2))
		set_incomplete(sp, start, "expected '))' to close an arithmetic expression");
}

/*
 * Handles a `$` at sp->pos (inside double quotes or not: the same): appends
 * its raw text to the word and parses command substitutions.  Returns the
 * word flags it adds.
 */
static unsigned lex_dollar(struct sp *sp, struct wout *wo, unsigned depth)
{
	const char *s = sp->s;
	size_t start = sp->pos;
	char c;

	if (sp->pos + 1 >= sp->len) {
		sp->pos++;
		out_addch(wo, '$');
		return 0;
	}
	c = s[sp->pos + 1];
	if (c == '(') {
		if (sp->pos + 2 < sp->len && s[sp->pos + 2] == '(') {
			sp->pos++;
			skip_arith(sp, start);
		} else {
			unsigned bt = sp->bt;

			if (out_to_tmp(sp, wo) < 0)
				return 0;
			sp->pos += 2;
			sp->bt = 0;
			parse_list(sp, depth + 1, true, TERM_PAREN, start);
			sp->bt = bt;
		}
		out_add(wo, s + start, sp->pos - start);
		return HD_WORD_EXPANSION;
	}
	if (c == '{') {
		sp->pos += 2;
		if (!skip_balanced(sp, '{', '}', 1))
			set_incomplete(sp, start, "expected '}' to close '${'");
		out_add(wo, s + start, sp->pos - start);
		return HD_WORD_EXPANSION;
	}
	if (is_name_start(c)) {
		size_t p = start + 2, len = sp->len;

		while (p < len && is_name_char(s[p]))
			p++;
		sp->pos = p;
		out_add(wo, s + start, p - start);
		return HD_WORD_EXPANSION;
	}
	if ((c >= '0' && c <= '9') || strchr("@*#?$!-", c)) { /* strchr() also matches '\0' */
		sp->pos += 2;
		out_add(wo, s + start, 2);
		return HD_WORD_EXPANSION;
	}
	sp->pos++;
	out_addch(wo, '$');
	return 0;
}

static unsigned lex_backtick(struct sp *sp, struct wout *wo, unsigned depth)
{
	size_t start = sp->pos;

	if (out_to_tmp(sp, wo) < 0)
		return 0;
	sp->pos++;
	sp->bt++;
	parse_list(sp, depth + 1, true, TERM_BACKTICK, start);
	sp->bt--;
	out_add(wo, sp->s + start, sp->pos - start);
	return HD_WORD_EXPANSION;
}

/* Decodes $'...' (pos on the opening quote) into the word. */
static void lex_ansi_c(struct sp *sp, struct wout *wo)
{
	const char *s = sp->s;
	size_t start = sp->pos - 1;

	sp->pos++;
	while (sp->pos < sp->len) {
		char c = s[sp->pos];

		if (c == '\'') {
			sp->pos++;
			return;
		}
		if (c == '\\' && sp->pos + 1 < sp->len) {
			char e = s[sp->pos + 1], d;

			switch (e) {
			case 'n': d = '\n'; break;
			case 't': d = '\t'; break;
			case 'r': d = '\r'; break;
			case 'a': d = '\a'; break;
			case 'b': d = '\b'; break;
			case 'f': d = '\f'; break;
			case 'v': d = '\v'; break;
			case 'e': case 'E': d = 27; break;
			case '\\': case '\'': case '"': case '?': d = e; break;
			default:
				out_add(wo, s + sp->pos, 2);
				sp->pos += 2;
				continue;
			}
			out_addch(wo, d);
			sp->pos += 2;
			continue;
		}
		out_addch(wo, c);
		sp->pos++;
	}
	set_incomplete(sp, start, "expected a closing \"'\"");
}

/* The inside of a double-quoted string (pos after the opening quote); returns the flags it adds. */
static unsigned lex_dquoted(struct sp *sp, struct wout *wo, unsigned depth, size_t start)
{
	const char *s = sp->s;
	unsigned flags = 0;

	while (sp->pos < sp->len && !sp->stop) {
		size_t b = sp->pos, p = b, len = sp->len;
		char d;

		while (p < len && !(cls[(unsigned char)s[p]] & CL_DQ))
			p++;
		if (p > b) {
			out_add(wo, s + b, p - b);
			sp->pos = p;
			if (p == len)
				break;
		}
		d = s[p];
		if (d == '"') {
			sp->pos++;
			return flags;
		}
		if (d == '\\') {
			char e;

			if (p + 1 >= len) {
				out_addch(wo, '\\');
				sp->pos++;
				continue;
			}
			e = s[p + 1];
			if (e == '\n') {
				sp->pos += 2;
			} else if (e == '$' || e == '`' || e == '"' || e == '\\') {
				out_addch(wo, e);
				sp->pos += 2;
			} else {
				out_addch(wo, '\\');
				sp->pos++;
			}
			continue;
		}
		if (d == '$') {
			flags |= lex_dollar(sp, wo, depth);
			continue;
		}
		/* A backtick. */
		if (sp->bt) {
			/* A backtick ends the enclosing substitution first. */
			return flags;
		}
		flags |= lex_backtick(sp, wo, depth);
	}
	set_incomplete(sp, start, "expected a closing '\"'");
	return flags;
}

/*
 * The rest of a word that needs more than a scan (pos on the first byte
 * that needs a look); the same loop reads the whole word when called at its
 * start.  Returns the word's flags.
 */
static unsigned lex_word_rest(struct sp *sp, struct wout *wo, unsigned depth, unsigned flags)
{
	const char *s = sp->s;

	while (sp->pos < sp->len && !sp->stop) {
		char c = s[sp->pos];

		if (is_meta(c))
			break;
		switch (c) {
		case '\\':
			if (sp->pos + 1 >= sp->len) {
				sp->pos++;
				out_addch(wo, '\\');
				break;
			}
			if (s[sp->pos + 1] == '\n') {
				sp->pos += 2;
				break;
			}
			if (sp->bt && s[sp->pos + 1] == '`') {
				/* \` inside backticks: a nested substitution we do not split. */
				out_addch(wo, '`');
				sp->pos += 2;
				flags |= HD_WORD_EXPANSION;
				break;
			}
			flags |= HD_WORD_QUOTED;
			out_addch(wo, s[sp->pos + 1]);
			sp->pos += 2;
			break;
		case '\'': {
			const char *q;
			size_t start = sp->pos;

			flags |= HD_WORD_QUOTED;
			q = memchr(s + sp->pos + 1, '\'', sp->len - sp->pos - 1);
			if (!q) {
				out_add(wo, s + sp->pos + 1, sp->len - sp->pos - 1);
				sp->pos = sp->len;
				set_incomplete(sp, start, "expected a closing \"'\"");
				break;
			}
			out_add(wo, s + sp->pos + 1, (size_t)(q - (s + sp->pos + 1)));
			sp->pos = (size_t)(q - s) + 1;
			break;
		}
		case '"': {
			size_t start = sp->pos;

			flags |= HD_WORD_QUOTED;
			sp->pos++;
			flags |= lex_dquoted(sp, wo, depth, start);
			break;
		}
		case '$':
			if (sp->pos + 1 < sp->len && s[sp->pos + 1] == '\'') {
				flags |= HD_WORD_QUOTED;
				sp->pos++;
				lex_ansi_c(sp, wo);
				break;
			}
			if (sp->pos + 1 < sp->len && s[sp->pos + 1] == '"') {
				/* $"..." is a translated string: a double-quoted one here. */
				sp->pos++;
				continue;
			}
			flags |= lex_dollar(sp, wo, depth);
			break;
		case '`':
			if (sp->bt)
				return flags;
			flags |= lex_backtick(sp, wo, depth);
			break;
		case '*': case '?': case '[':
			flags |= HD_WORD_GLOB;
			out_addch(wo, c);
			sp->pos++;
			break;
		default: {
			/* Locals: s is char data, which may alias *sp, so sp->pos would be stored per byte. */
			size_t b = sp->pos, p = b, len = sp->len;

			while (p < len && !(cls[(unsigned char)s[p]] & (CL_META | CL_WORD | CL_GLOB)))
				p++;
			sp->pos = p;
			out_add(wo, s + b, p - b);
			break;
		}
		}
	}
	return flags;
}

/* Counts a word read: beyond HD_MAX_SHELL_WORDS the split stops. */
static inline void count_word(struct sp *sp, const struct hd_word *w)
{
	if (++sp->n_words > HD_MAX_SHELL_WORDS) {
		set_incomplete(sp, w->off, "fewer words (too many words)");
		sp->stop = true;
	}
}

/*
 * lex_word() for a word whose bytes from sp->pos on need more than a scan;
 * those before (from b) are plain and in place in the copy.
 */
static bool lex_word_slow(struct sp *sp, struct hd_word *w, unsigned depth, unsigned flags, size_t b)
{
	struct wout wo = { .base = sp->copy + b, .o = sp->copy + sp->pos, .in_tmp = false };

	flags = lex_word_rest(sp, &wo, depth, flags);
	sp->word_eq = true; /* not known (and words inside it were read since) */
	w->off = b;
	w->end = sp->pos;
	w->flags = flags;
	if (sp->err)
		return false;
	if (wo.in_tmp) {
		w->text = hd_arena_strndup_fast(sp->a, wo.base, (size_t)(wo.o - wo.base));
		sp->tmp_len = (size_t)(wo.base - sp->tmp);
		if (!w->text) {
			fail(sp, -HD_ENOMEM);
			return false;
		}
	} else {
		*wo.o = '\0';
		w->text = wo.base;
	}
	count_word(sp, w);
	return true;
}

/*
 * Reads one word at sp->pos (which is not a metacharacter).  The word's text
 * goes to the arena; substitutions inside it are split as it goes.  Returns
 * false only on OOM.
 */
static inline bool lex_word(struct sp *sp, struct hd_word *w, unsigned depth)
{
	const unsigned char *c = (const unsigned char *)sp->copy + sp->pos;
	size_t b = sp->pos, p;
	unsigned flags = 0, k;

	sp->word_eq = false;

	/*
	 * The common case: plain bytes (and globs) up to a metacharacter.  They
	 * are read in the copy, where the bytes from a word's start on are still
	 * the text's and a newline follows the text: no bound to check.
	 */
	for (;;) {
		/* Four bytes a round: most words are longer. */
		while (!(cls[c[0]] & CL_STOP)) {
			if (cls[c[1]] & CL_STOP) {
				c += 1;
				break;
			}
			if (cls[c[2]] & CL_STOP) {
				c += 2;
				break;
			}
			if (cls[c[3]] & CL_STOP) {
				c += 3;
				break;
			}
			c += 4;
		}
		k = cls[*c];
		if (k & CL_GLOB)
			flags |= HD_WORD_GLOB;
		else if (k & CL_EQ)
			sp->word_eq = true;
		else
			break;
		c++;
	}
	p = (size_t)((const char *)c - sp->copy);
	if (p > sp->len) {
		/* Cannot happen: a heredoc body (parsed up to its end) ends with a newline. */
		return lex_word_slow(sp, w, depth, 0, b);
	}
	sp->pos = p;
	if (p < sp->len && !(k & CL_META)) /* k: the class of the byte that ended the scan */
		return lex_word_slow(sp, w, depth, flags, b);
	w->off = b;
	w->end = p;
	w->flags = flags;
	sp->copy[p] = '\0';
	w->text = sp->copy + b;
	count_word(sp, w);
	return true;
}

static struct hd_cmd *cmd_at(struct sp *sp, ssize_t i) { return &sp->sh->cmds[i]; }

/*
 * The first array of commands is sized from the text's length (a simple
 * command takes about 50 bytes in the corpus), so that it seldom grows.
 */
static int cmds_grow(struct sp *sp)
{
	struct hd_shell *sh = sp->sh;

	if (!sh->alloc_cmds) {
		size_t n = sp->cmds_hint;

		sh->cmds = hd_arena_alloc(sp->a, n * sizeof(*sh->cmds));
		if (!sh->cmds)
			return -HD_ENOMEM;
		sh->alloc_cmds = n;
		return 0;
	}
	return HD_ARENA_GROW(sp->a, sh->cmds, sh->alloc_cmds, sh->n_cmds + 1);
}

static inline ssize_t cmd_new(struct sp *sp, size_t off, unsigned depth, bool in_subst)
{
	struct hd_shell *sh = sp->sh;
	struct hd_cmd *c;

	if (sh->n_cmds == sh->alloc_cmds && cmds_grow(sp) < 0) {
		fail(sp, -HD_ENOMEM);
		return -1;
	}
	/* Field by field: cheaper than zeroing the whole struct first. */
	c = &sh->cmds[sh->n_cmds];
	c->assigns = NULL;
	c->n_assigns = 0;
	c->argv = NULL;
	c->argc = 0;
	c->redirs = NULL;
	c->n_redirs = 0;
	c->a0 = 0;
	c->name = NULL;
	c->sep = HD_SEP_END;
	c->depth = depth;
	c->in_subst = in_subst;
	c->off = c->end = off;
	return (ssize_t)sh->n_cmds++;
}

/* Drops command i, which must be the last one. */
static void cmd_drop(struct sp *sp, ssize_t i)
{
	if (i >= 0 && (size_t)i + 1 == sp->sh->n_cmds)
		sp->sh->n_cmds--;
}

static bool cmd_empty(const struct hd_cmd *c) { return !c->argc && !c->n_assigns && !c->n_redirs; }

/*
 * Drops command i when it is the last one (nothing nested came after it)
 * and forgets heredocs attached to it.
 */
static void cmd_discard(struct sp *sp, ssize_t i)
{
	size_t k;

	if (i < 0 || (size_t)i + 1 != sp->sh->n_cmds)
		return;
	sp->sh->n_cmds--;
	for (k = 0; k < sp->n_hd; k++) {
		if (sp->hd[k].cmd == i)
			sp->hd[k].cmd = -1;
	}
}

static inline void finish_cmd(struct sp *sp, ssize_t *cur, enum hd_sep sep)
{
	struct hd_cmd *c;

	if (*cur < 0)
		return;
	c = cmd_at(sp, *cur);
	if (sp->redir_only == *cur && !c->argc && !c->n_assigns) {
		/* `{ ...; } > log`: the redirections belong to the compound command. */
		cmd_discard(sp, *cur);
	} else if (cmd_empty(c)) {
		cmd_drop(sp, *cur);
	} else {
		c->sep = sep;
		if (sep == HD_SEP_PIPE)
			sp->sh->has_pipe = true;
	}
	*cur = -1;
}

/*
 * The per-command arrays (argv, assigns, redirs) do not store a capacity: it
 * is implied by the count, as they grow by doubling from 4.  So an array is
 * full when its count is 0 or a power of two from 4 on.
 */
static inline bool implied_full(size_t n) { return n == 0 || (n >= 4 && (n & (n - 1)) == 0); }

static int grow_implied(struct sp *sp, void **v, size_t n, size_t elem)
{
	size_t cap = n;

	if (!implied_full(n))
		return 0;
	if (n == 0) {
		*v = hd_arena_alloc_fast(sp->a, 4 * elem);
		if (*v)
			return 0;
	} else if (hd_arena_grow(sp->a, v, &cap, n + 1, elem) == 0) {
		return 0;
	}
	fail(sp, -HD_ENOMEM);
	return -HD_ENOMEM;
}

static inline int add_word(struct sp *sp, struct hd_word **v, size_t *n, const struct hd_word *w)
{
	if (implied_full(*n) && grow_implied(sp, (void **)v, *n, sizeof(**v)) < 0)
		return -HD_ENOMEM;
	(*v)[(*n)++] = *w;
	return 0;
}

static bool word_is(const struct hd_word *w, const char *lit)
{
	return w->flags == 0 && strcmp(w->text, lit) == 0;
}

/* NAME=, NAME+=, NAME[sub]= written unquoted at the start of the word. */
static bool is_assignment(const struct sp *sp, const struct hd_word *w)
{
	const char *s = sp->s;
	size_t i = w->off;

	if (i >= w->end || !is_name_start(s[i]))
		return false;
	while (i < w->end && is_name_char(s[i]))
		i++;
	if (i < w->end && s[i] == '[') {
		while (i < w->end && s[i] != ']')
			i++;
		if (i >= w->end)
			return false;
		i++;
	}
	if (i < w->end && s[i] == '+')
		i++;
	return i < w->end && s[i] == '=';
}

static bool is_shell_name(const char *name)
{
	static const char *const shells[] = { "sh", "bash", "dash", "ash", "zsh", "ksh", "mksh" };
	const char *base = strrchr(name, '/');
	size_t i;

	base = base ? base + 1 : name;
	for (i = 0; i < HD_ARRAY_SIZE(shells); i++) {
		if (strcmp(base, shells[i]) == 0)
			return true;
	}
	return false;
}

/* A shell that reads its script from stdin: no operand and no -c. */
static bool reads_script_from_stdin(const struct hd_cmd *c)
{
	size_t i;

	if (c->argc == 0 || !is_shell_name(c->argv[0].text))
		return false;
	for (i = 1; i < c->argc; i++) {
		const char *a = c->argv[i].text;

		if (a[0] != '-' && a[0] != '+')
			return false;
		if (a[0] == '-' && a[1] != '-' && strchr(a, 'c'))
			return false;
	}
	return true;
}

/* Reads the bodies of the heredocs opened on the line that just ended. */
static void read_heredocs(struct sp *sp)
{
	struct pending_heredoc *v;
	size_t n = sp->n_hd, i;

	if (!n)
		return;
	v = hd_arena_alloc(sp->a, n * sizeof(*v));
	if (!v) {
		fail(sp, -HD_ENOMEM);
		return;
	}
	memcpy(v, sp->hd, n * sizeof(*v));
	sp->n_hd = 0;
	for (i = 0; i < n && !sp->stop; i++) {
		size_t dlen = strlen(v[i].delim), bstart = sp->pos, bend = sp->len, next = sp->len;
		size_t p = sp->pos;

		while (p < sp->len) {
			const char *nl = memchr(sp->s + p, '\n', sp->len - p);
			size_t le = nl ? (size_t)(nl - sp->s) : sp->len, ls = p, lend = le;

			if (v[i].strip) {
				while (ls < le && sp->s[ls] == '\t')
					ls++;
			}
			if (lend > ls && sp->s[lend - 1] == '\r')
				lend--;
			if (lend - ls == dlen && memcmp(sp->s + ls, v[i].delim, dlen) == 0) {
				bend = p;
				next = nl ? le + 1 : le;
				break;
			}
			p = nl ? le + 1 : le;
		}
		if (v[i].cmd >= 0 && (size_t)v[i].cmd < sp->sh->n_cmds &&
		    reads_script_from_stdin(cmd_at(sp, v[i].cmd))) {
			size_t len = sp->len;

			sp->len = bend;
			sp->pos = bstart;
			parse_list(sp, v[i].depth + 1, false, TERM_EOF, bstart);
			sp->len = len;
		}
		sp->pos = next;
	}
}

/* Reads a redirection operator at sp->pos; returns its length or 0. */
static size_t redir_op_len(const struct sp *sp)
{
	const char *s = sp->s + sp->pos;
	size_t n = sp->len - sp->pos, i = 0;

	if (!(s[0] == '<' || s[0] == '>' || s[0] == '&' || (s[0] >= '0' && s[0] <= '9')))
		return 0;
	while (i < n && s[i] >= '0' && s[i] <= '9')
		i++;
	if (i == n)
		return 0;
	if (s[i] == '&' && i == 0) {
		if (i + 1 < n && s[i + 1] == '>')
			return (i + 2 < n && s[i + 2] == '>') ? 3 : 2;
		return 0;
	}
	if (s[i] == '<') {
		if (i + 2 < n && s[i + 1] == '<' && s[i + 2] == '<')
			return i + 3;
		if (i + 2 < n && s[i + 1] == '<' && s[i + 2] == '-')
			return i + 3;
		if (i + 1 < n && (s[i + 1] == '<' || s[i + 1] == '&' || s[i + 1] == '>'))
			return i + 2;
		return i + 1;
	}
	if (s[i] == '>') {
		if (i + 1 < n && (s[i + 1] == '>' || s[i + 1] == '&' || s[i + 1] == '|'))
			return i + 2;
		return i + 1;
	}
	return 0;
}

/* Parses a redirection (operator and target) into command *cur. */
static void parse_redir(struct sp *sp, ssize_t *cur, size_t oplen, unsigned depth, bool in_subst)
{
	struct hd_redir r;
	struct hd_cmd *c;
	size_t start = sp->pos;
	bool heredoc = false, strip = false;

	if (*cur < 0) {
		*cur = cmd_new(sp, start, depth, in_subst);
		if (*cur < 0)
			return;
	}
	r.op = hd_arena_strndup(sp->a, sp->s + sp->pos, oplen);
	if (!r.op) {
		fail(sp, -HD_ENOMEM);
		return;
	}
	if (oplen >= 2 && strstr(r.op, "<<") && !strstr(r.op, "<<<")) {
		heredoc = true;
		strip = r.op[oplen - 1] == '-';
	}
	sp->pos += oplen;
	skip_blanks(sp);
	memset(&r.target, 0, sizeof(r.target));
	if (sp->pos >= sp->len || is_meta(sp->s[sp->pos]) ||
	    (sp->bt && sp->s[sp->pos] == '`')) {
		/* `<(cmd)` / `>(cmd)`: process substitution. */
		if (sp->pos < sp->len && sp->s[sp->pos] == '(' && sp->pos == start + oplen &&
		    (r.op[0] == '<' || r.op[0] == '>') && oplen == 1) {
			size_t ps = sp->pos;

			sp->pos++;
			parse_list(sp, depth + 1, true, TERM_PAREN, ps - 1);
			r.target.off = ps - 1;
			r.target.end = sp->pos;
			r.target.flags = HD_WORD_EXPANSION;
			r.target.text = hd_arena_strndup(sp->a, sp->s + ps - 1, sp->pos - ps + 1);
			if (!r.target.text) {
				fail(sp, -HD_ENOMEM);
				return;
			}
			/* It is a word, not a redirection. */
			c = cmd_at(sp, *cur);
			add_word(sp, &c->argv, &c->argc, &r.target);
			return;
		}
		set_incomplete(sp, start, "expected a word after a redirection");
		return;
	}
	if (!lex_word(sp, &r.target, depth))
		return;
	c = cmd_at(sp, *cur);
	if (grow_implied(sp, (void **)&c->redirs, c->n_redirs, sizeof(*c->redirs)) < 0)
		return;
	c = cmd_at(sp, *cur);
	c->redirs[c->n_redirs++] = r;
	c->end = sp->pos;
	if (heredoc) {
		struct pending_heredoc *h;

		if (HD_GROW(sp->hd, sp->alloc_hd, sp->n_hd + 1) < 0) {
			fail(sp, -HD_ENOMEM);
			return;
		}
		h = &sp->hd[sp->n_hd++];
		h->delim = r.target.text;
		h->strip = strip;
		h->cmd = *cur;
		h->depth = c->depth;
	}
}

enum rw { RW_NONE, RW_SIMPLE, RW_LBRACE, RW_RBRACE, RW_FOR, RW_CASE, RW_ESAC, RW_FUNCTION, RW_DBRACKET };

#define RW_IS(lit) (n == sizeof(lit) - 1 && memcmp(t, lit, n) == 0)

/* Classifies an unquoted word at command position. */
static enum rw reserved_kind(const char *t, size_t n)
{
	switch (t[0]) {
	case '!': return n == 1 ? RW_SIMPLE : RW_NONE;
	case '{': return n == 1 ? RW_LBRACE : RW_NONE;
	case '}': return n == 1 ? RW_RBRACE : RW_NONE;
	case '[': return RW_IS("[[") ? RW_DBRACKET : RW_NONE;
	case 'c': return RW_IS("case") ? RW_CASE : RW_NONE;
	case 'd': return RW_IS("do") || RW_IS("done") ? RW_SIMPLE : RW_NONE;
	case 'e':
		if (RW_IS("esac"))
			return RW_ESAC;
		return RW_IS("else") || RW_IS("elif") ? RW_SIMPLE : RW_NONE;
	case 'f':
		if (RW_IS("fi"))
			return RW_SIMPLE;
		if (RW_IS("for"))
			return RW_FOR;
		return RW_IS("function") ? RW_FUNCTION : RW_NONE;
	case 'i': return RW_IS("if") ? RW_SIMPLE : RW_NONE;
	case 's': return RW_IS("select") ? RW_FOR : RW_NONE;
	case 't': return RW_IS("then") || RW_IS("time") ? RW_SIMPLE : RW_NONE;
	case 'u': return RW_IS("until") ? RW_SIMPLE : RW_NONE;
	case 'w': return RW_IS("while") ? RW_SIMPLE : RW_NONE;
	default: return RW_NONE;
	}
}

#undef RW_IS

/*
 * The state of one command list being parsed (parse_list()): what ends it,
 * the compound commands open in it, the head being read (for/case/function)
 * and the simple command being built.
 */
struct list {
	unsigned depth;       /* nesting of the list itself */
	bool in_subst;        /* inside a command or process substitution */
	int term;             /* TERM_EOF, TERM_PAREN or TERM_BACKTICK */
	size_t open;          /* where the substitution opened, for messages */
	unsigned char ctx[HD_MAX_SHELL_DEPTH]; /* open ( { and case, innermost last */
	size_t nctx;
	unsigned extra;       /* open ( and {: added to depth for commands inside them */
	enum mode mode;
	ssize_t cur;          /* the simple command being built, -1 for none */
	bool closed;          /* just after `)`, `}`, done, fi or esac */
	bool was_closed;      /* closed, as it was before the current token */
};

/* What a step of parse_list() says: go on with the next token, or the list is over. */
enum step { STEP_NEXT, STEP_END };

/* True when a ( or { may open at the list's nesting; else marks the split incomplete. */
static bool can_nest(struct sp *sp, struct list *l, size_t at)
{
	if (l->nctx >= HD_ARRAY_SIZE(l->ctx) || l->depth + l->extra + 1 >= HD_MAX_SHELL_DEPTH) {
		set_incomplete(sp, at, "less nesting (too deep)");
		sp->stop = true;
		return false;
	}
	return true;
}

/* Operators inside [[ ]] are words of the test. */
static enum step step_dbracket_op(struct sp *sp, struct list *l)
{
	const char *s = sp->s;
	struct hd_word w;
	size_t b = sp->pos;

	while (sp->pos < sp->len && strchr("&|<>()", s[sp->pos]) && sp->pos - b < 2)
		sp->pos++;
	w.off = b;
	w.end = sp->pos;
	w.flags = 0;
	w.text = hd_arena_strndup(sp->a, s + b, sp->pos - b);
	if (!w.text) {
		fail(sp, -HD_ENOMEM);
		return STEP_END;
	}
	if (l->cur >= 0) {
		struct hd_cmd *cm = cmd_at(sp, l->cur);

		add_word(sp, &cm->argv, &cm->argc, &w);
		cmd_at(sp, l->cur)->end = sp->pos;
	}
	return STEP_NEXT;
}

/* A closing ) or `: the end of a subshell, of a case pattern, or of the list. */
static enum step step_close(struct sp *sp, struct list *l, char c)
{
	if (c == '`') {
		if (l->term == TERM_BACKTICK) {
			sp->pos++;
			finish_cmd(sp, &l->cur, HD_SEP_END);
			return STEP_END;
		}
		/* A backtick closing an outer substitution: stop here. */
		finish_cmd(sp, &l->cur, HD_SEP_END);
		if (l->term == TERM_PAREN)
			set_incomplete(sp, l->open, "expected ')' to close '$('");
		return STEP_END;
	}
	sp->pos++;
	if (l->mode == M_CASE_PAT) {
		l->mode = M_NONE;
		return STEP_NEXT;
	}
	finish_cmd(sp, &l->cur, HD_SEP_END);
	if (l->nctx && l->ctx[l->nctx - 1] == C_PAREN) {
		l->nctx--;
		l->extra--;
		l->closed = true;
		return STEP_NEXT;
	}
	return l->term == TERM_PAREN ? STEP_END : STEP_NEXT;
}

/* An opening (: a subshell, arithmetic, a function definition's (), or a case pattern's. */
static enum step step_open_paren(struct sp *sp, struct list *l)
{
	const char *s = sp->s;
	size_t p;

	if (l->mode == M_CASE_PAT) {
		sp->pos++;
		return STEP_NEXT;
	}
	if (sp->pos + 1 < sp->len && s[sp->pos + 1] == '(' && l->cur < 0) {
		skip_arith(sp, sp->pos);
		if (l->mode == M_FOR_NAME)
			l->mode = M_NONE;
		return STEP_NEXT;
	}
	if (l->cur < 0) {
		if (!can_nest(sp, l, sp->pos))
			return STEP_END;
		l->ctx[l->nctx++] = C_PAREN;
		l->extra++;
		sp->pos++;
		return STEP_NEXT;
	}
	p = sp->pos + 1;
	while (p < sp->len && is_blank(s[p]))
		p++;
	{
		struct hd_cmd *cm = cmd_at(sp, l->cur);

		if (cm->argc == 1 && !cm->n_assigns && !cm->n_redirs && p < sp->len && s[p] == ')' &&
		    (size_t)l->cur + 1 == sp->sh->n_cmds) {
			/* name() { ...: a function definition, not a command. */
			cmd_drop(sp, l->cur);
			l->cur = -1;
			sp->pos = p + 1;
			return STEP_NEXT;
		}
	}
	sp->pos++;
	return STEP_NEXT;
}

/* ; ;; ;& | || |& & &&: the end of a simple command. */
static void step_separator(struct sp *sp, struct list *l, char c)
{
	const char *s = sp->s;

	sp->pos++;
	if (c == ';') {
		if (sp->pos < sp->len && (s[sp->pos] == ';' || s[sp->pos] == '&')) {
			sp->pos++;
			if (sp->pos < sp->len && s[sp->pos] == '&')
				sp->pos++;
			finish_cmd(sp, &l->cur, HD_SEP_SEMI);
			if (l->nctx && l->ctx[l->nctx - 1] == C_CASE)
				l->mode = M_CASE_PAT;
			return;
		}
		finish_cmd(sp, &l->cur, HD_SEP_SEMI);
		if (l->mode == M_FOR_LIST || l->mode == M_FOR_IN)
			l->mode = M_NONE;
		return;
	}
	if (c == '|') {
		if (l->mode == M_CASE_PAT)
			return;
		if (sp->pos < sp->len && s[sp->pos] == '|') {
			sp->pos++;
			finish_cmd(sp, &l->cur, HD_SEP_OR);
			return;
		}
		if (sp->pos < sp->len && s[sp->pos] == '&')
			sp->pos++;
		finish_cmd(sp, &l->cur, HD_SEP_PIPE);
		return;
	}
	/* & or && */
	if (sp->pos < sp->len && s[sp->pos] == '&') {
		sp->pos++;
		finish_cmd(sp, &l->cur, HD_SEP_AND);
	} else {
		finish_cmd(sp, &l->cur, HD_SEP_BG);
	}
}

/* A redirection: of the command being built, or of the compound command just closed. */
static void step_redirection(struct sp *sp, struct list *l, size_t oplen)
{
	if (l->mode != M_NONE && l->mode != M_DBRACKET)
		l->mode = M_NONE; /* a redirection in a head: not expected; resume as a command */
	if (l->cur < 0 && l->was_closed) {
		parse_redir(sp, &l->cur, oplen, l->depth + l->extra, l->in_subst);
		sp->redir_only = l->cur;
		l->closed = true;
		return;
	}
	if (l->cur >= 0 && l->cur == sp->redir_only)
		l->closed = true;
	parse_redir(sp, &l->cur, oplen, l->depth + l->extra, l->in_subst);
}

/*
 * A word in the head of a for, select, case or function: read and used to
 * move the head on, never a command.  False when the word could not be
 * read (the list is over).
 */
static bool head_word(struct sp *sp, struct list *l)
{
	const char *s = sp->s;
	struct hd_word w;
	size_t p;

	if (!lex_word(sp, &w, l->depth + l->extra))
		return false;
	switch (l->mode) {
	case M_FOR_NAME:
		l->mode = M_FOR_IN;
		break;
	case M_FOR_IN:
		l->mode = word_is(&w, "in") ? M_FOR_LIST : M_NONE;
		break;
	case M_CASE_WORD:
		l->mode = M_CASE_IN;
		break;
	case M_CASE_IN:
		if (word_is(&w, "in") && l->nctx < HD_ARRAY_SIZE(l->ctx)) {
			l->ctx[l->nctx++] = C_CASE;
			l->mode = M_CASE_PAT;
		} else {
			l->mode = M_NONE;
		}
		break;
	case M_CASE_PAT:
		if (word_is(&w, "esac")) {
			if (l->nctx && l->ctx[l->nctx - 1] == C_CASE)
				l->nctx--;
			l->mode = M_NONE;
			l->closed = true;
		}
		break;
	case M_FUNC_NAME:
		l->mode = M_NONE;
		p = sp->pos;
		while (p < sp->len && is_blank(s[p]))
			p++;
		if (p < sp->len && s[p] == '(') {
			p++;
			while (p < sp->len && is_blank(s[p]))
				p++;
			if (p < sp->len && s[p] == ')')
				sp->pos = p + 1;
		}
		break;
	default: /* M_FOR_LIST: the words are skipped */
		break;
	}
	return true;
}

/*
 * An unquoted reserved word at command position (if, then, {, }, for,
 * case, esac, function, [[, ...): moves the compound-command state on.
 * True when the word is not a command and was dropped.
 */
static bool reserved_word(struct sp *sp, struct list *l, const struct hd_word *w, enum rw rk)
{
	switch (rk) {
	case RW_SIMPLE:
		l->closed = word_is(w, "done") || word_is(w, "fi");
		return true;
	case RW_LBRACE:
		if (!can_nest(sp, l, w->off))
			return true;
		l->ctx[l->nctx++] = C_BRACE;
		l->extra++;
		return true;
	case RW_RBRACE:
		if (l->nctx && l->ctx[l->nctx - 1] == C_BRACE) {
			l->nctx--;
			l->extra--;
		}
		l->closed = true;
		return true;
	case RW_FOR:
		l->mode = M_FOR_NAME;
		return true;
	case RW_CASE:
		l->mode = M_CASE_WORD;
		return true;
	case RW_ESAC:
		if (l->nctx && l->ctx[l->nctx - 1] == C_CASE)
			l->nctx--;
		l->closed = true;
		return true;
	case RW_FUNCTION:
		l->mode = M_FUNC_NAME;
		return true;
	case RW_DBRACKET:
		l->mode = M_DBRACKET; /* `[[` is the command of the test */
		return false;
	default:
		return false;
	}
}

/* A word of a simple command: a reserved word, an assignment, or an argument. */
static inline __attribute__((always_inline)) enum step step_word(struct sp *sp, struct list *l)
{
	const char *s = sp->s;
	struct hd_word w;
	struct hd_cmd *cm;
	enum rw rk;

	if (l->mode != M_NONE && l->mode != M_DBRACKET)
		return head_word(sp, l) ? STEP_NEXT : STEP_END;
	if (l->cur < 0) {
		l->cur = cmd_new(sp, sp->pos, l->depth + l->extra, l->in_subst);
		if (l->cur < 0)
			return STEP_END;
	}
	if (!lex_word(sp, &w, l->depth + l->extra))
		return STEP_END;
	cm = cmd_at(sp, l->cur);
	if (l->mode == M_DBRACKET) {
		add_word(sp, &cm->argv, &cm->argc, &w);
		cmd_at(sp, l->cur)->end = w.end;
		if (word_is(&w, "]]"))
			l->mode = M_NONE;
		return STEP_NEXT;
	}
	if (cmd_empty(cm) && (w.flags & ~HD_WORD_GLOB) == 0 && (rk = reserved_kind(w.text, w.end - w.off)) != RW_NONE &&
	    reserved_word(sp, l, &w, rk)) {
		if (sp->stop)
			return STEP_END;
		cmd_drop(sp, l->cur);
		l->cur = -1;
		return STEP_NEXT;
	}
	cm = cmd_at(sp, l->cur);
	if (cm->argc == 0 && sp->word_eq && is_assignment(sp, &w)) {
		if (w.end > 0 && s[w.end - 1] == '=' && w.end < sp->len && s[w.end] == '(') {
			/* NAME=(a b c): an array assignment. */
			size_t b = w.off;

			sp->pos++;
			if (!skip_balanced(sp, '(', ')', 1))
				set_incomplete(sp, w.end, "expected ')' to close an array");
			w.end = sp->pos;
			w.text = hd_arena_strndup(sp->a, s + b, sp->pos - b);
			if (!w.text) {
				fail(sp, -HD_ENOMEM);
				return STEP_END;
			}
		}
		add_word(sp, &cm->assigns, &cm->n_assigns, &w);
	} else {
		add_word(sp, &cm->argv, &cm->argc, &w);
	}
	cmd_at(sp, l->cur)->end = w.end;
	return STEP_NEXT;
}

/*
 * Parses a command list up to term (EOF, the `)` of `$(`, or a closing
 * backtick), which it consumes: one token at a time, each handled by the
 * step for its kind.
 */
static void parse_list(struct sp *sp, unsigned depth, bool in_subst, int term, size_t open)
{
	struct list l = { .depth = depth, .in_subst = in_subst, .term = term, .open = open, .cur = -1 };
	const char *s = sp->s;

	if (depth >= HD_MAX_SHELL_DEPTH) {
		set_incomplete(sp, sp->pos, "less nesting (too deep)");
		sp->stop = true;
		return;
	}
	for (;;) {
		enum step st;
		size_t oplen;
		char c;

		if (sp->stop)
			return;
		skip_blanks(sp);
		l.was_closed = l.closed;
		l.closed = false;
		if (sp->pos >= sp->len) {
			finish_cmd(sp, &l.cur, HD_SEP_END);
			if (term == TERM_PAREN)
				set_incomplete(sp, open, "expected ')' to close '$('");
			else if (term == TERM_BACKTICK)
				set_incomplete(sp, open, "expected a closing '`'");
			return;
		}
		c = s[sp->pos];
		if (!(cls[(unsigned char)c] & CL_TOKEN)) {
			st = step_word(sp, &l);
		} else if (l.mode == M_DBRACKET && strchr("&|<>()", c)) {
			st = step_dbracket_op(sp, &l);
		} else if (c == '#') {
			const char *nl = memchr(s + sp->pos, '\n', sp->len - sp->pos);

			sp->pos = nl ? (size_t)(nl - s) : sp->len;
			st = STEP_NEXT;
		} else if (c == '\n') {
			sp->pos++;
			finish_cmd(sp, &l.cur, HD_SEP_SEMI);
			if (l.mode == M_FOR_LIST || l.mode == M_FOR_IN)
				l.mode = M_NONE;
			read_heredocs(sp);
			st = STEP_NEXT;
		} else if ((c == '`' && sp->bt) || c == ')') {
			st = step_close(sp, &l, c);
		} else if (c == '(') {
			st = step_open_paren(sp, &l);
		} else if (c == ';' || c == '|' || (c == '&' && !(sp->pos + 1 < sp->len && s[sp->pos + 1] == '>'))) {
			step_separator(sp, &l, c);
			st = STEP_NEXT;
		} else if ((oplen = redir_op_len(sp))) {
			step_redirection(sp, &l, oplen);
			st = STEP_NEXT;
		} else {
			st = step_word(sp, &l);
		}
		if (st == STEP_END)
			return;
	}
}

/* Finds the real command of every command behind its wrappers (hd_cmd.a0 and .name). */
static void unwrap_all(struct hd_shell *sh)
{
	size_t k;

	_Static_assert(offsetof(struct hd_word, text) == 0, "hd_unwrap() reads the text at the start of a word");
	for (k = 0; k < sh->n_cmds; k++) {
		struct hd_cmd *c = &sh->cmds[k];
		const struct hd_wrapper *wr;
		struct hd_unwrap u;
		const char *t;

		if (!c->argc) {
			c->a0 = 0;
			c->name = "";
			continue;
		}
		t = c->argv[0].text;
		wr = hd_wrapper_find(t);
		if (!wr) {
			/* The common case: the word is the command. */
			c->a0 = 0;
			c->name = t[0] == '/' || t[0] == '.' ? hd_word_base(t) : t;
			continue;
		}
		hd_unwrap(c->argv, sizeof(c->argv[0]), c->argc, 0, &u);
		c->a0 = u.cmd;
		c->name = u.name;
	}
}

int hd_shell_split_arena(const char *text, size_t len, struct hd_shell *sh, struct hd_arena *a)
{
	struct sp sp;

	memset(sh, 0, sizeof(*sh));
	sh->arena = a;
	memset(&sp, 0, sizeof(sp));
	sp.s = text;
	sp.len = len;
	sp.sh = sh;
	sp.a = a;
	sp.redir_only = -1;
	/*
	 * Word text is at most as long as the input it comes from, and words
	 * being built at once (a word and those of substitutions inside it)
	 * come from disjoint parts of the input: len + 1 bytes always do, in
	 * the copy as in the scratch.
	 */
	if (len > SIZE_MAX - 2)
		return -HD_ENOMEM;
	sp.tmp_alloc = len + 2;
	sp.copy = hd_arena_alloc(a, len + 1);
	if (!sp.copy)
		return -HD_ENOMEM;
	if (len)
		memcpy(sp.copy, text, len);
	sp.copy[len] = '\n'; /* ends the scan of the last word */
	sp.cmds_hint = len / 64 + 4;
	parse_list(&sp, 0, false, TERM_EOF, 0);
	/* Heredocs opened on the last line have no body. */
	hd_free(sp.hd);
	if (sp.err)
		return sp.err;
	unwrap_all(sh);
	return 0;
}

int hd_shell_from_argv(const char *const *texts, const size_t *offs, size_t n, struct hd_shell *sh,
		       struct hd_arena *a)
{
	struct hd_cmd *c;
	size_t i;

	memset(sh, 0, sizeof(*sh));
	sh->arena = a;
	if (!n)
		return 0;
	if (n > HD_MAX_SHELL_WORDS)
		return -HD_ETOOBIG;
	sh->cmds = hd_arena_zalloc(a, sizeof(*sh->cmds));
	if (!sh->cmds)
		return -HD_ENOMEM;
	sh->alloc_cmds = sh->n_cmds = 1;
	c = &sh->cmds[0];
	c->argv = hd_arena_alloc(a, n * sizeof(*c->argv));
	if (!c->argv)
		return -HD_ENOMEM;
	for (i = 0; i < n; i++) {
		size_t len = strlen(texts[i]);

		c->argv[i].text = hd_arena_strndup(a, texts[i], len);
		if (!c->argv[i].text)
			return -HD_ENOMEM;
		c->argv[i].off = offs[i];
		c->argv[i].end = offs[i] + len;
		c->argv[i].flags = 0;
	}
	c->argc = n;
	c->off = offs[0];
	c->end = c->argv[n - 1].end;
	c->sep = HD_SEP_END;
	unwrap_all(sh);
	return 0;
}

int hd_shell_split(const char *text, size_t len, struct hd_shell *sh)
{
	struct hd_arena *a = hd_malloc(sizeof(*a));
	int r;

	if (!a) {
		memset(sh, 0, sizeof(*sh));
		return -HD_ENOMEM;
	}
	hd_arena_init(a, len * 2 + 1024);
	r = hd_shell_split_arena(text, len, sh, a);
	sh->own_arena = true;
	if (r < 0) {
		hd_shell_release(sh);
		return r;
	}
	return 0;
}

void hd_shell_release(struct hd_shell *sh)
{
	if (!sh)
		return;
	if (sh->own_arena && sh->arena) {
		hd_arena_release(sh->arena);
		hd_free(sh->arena);
	}
	memset(sh, 0, sizeof(*sh));
}

const char *hd_cmd_name(const struct hd_cmd *c)
{
	const char *s, *slash;

	if (!c || c->argc == 0)
		return "";
	s = c->argv[0].text;
	slash = strrchr(s, '/');
	return slash ? slash + 1 : s;
}

bool hd_cmd_has_arg(const struct hd_cmd *c, const char *arg)
{
	size_t i;

	for (i = 1; c && i < c->argc; i++) {
		if (strcmp(c->argv[i].text, arg) == 0)
			return true;
	}
	return false;
}

bool hd_cmd_has_opt(const struct hd_cmd *c, char short_opt, const char *long_opt)
{
	size_t i, ln = long_opt ? strlen(long_opt) : 0;

	for (i = 1; c && i < c->argc; i++) {
		const char *a = c->argv[i].text;

		if (a[0] != '-')
			continue;
		if (a[1] == '-') {
			const char *name = a + 2;

			if (a[2] == '\0')
				break; /* "--": operands follow */
			if (long_opt) {
				const char *lo = long_opt;
				size_t n = ln;

				if (lo[0] == '-' && lo[1] == '-') {
					lo += 2;
					n -= 2;
				}
				if (strncmp(name, lo, n) == 0 && (name[n] == '\0' || name[n] == '='))
					return true;
			}
			continue;
		}
		if (short_opt && a[1] && strchr(a + 1, short_opt))
			return true;
	}
	return false;
}
