/*
 * Option tables: one table per command declares every option once (names,
 * argument, help text, where the value goes, how it is checked), and the
 * same table drives parsing, `--help` and the man page (git's
 * parse-options, curl's cmdline-opts).
 *
 * A table is a static const array of struct hd_option ending with
 * HD_OPT_END().  Values are stored at byte offsets into the command's own
 * argument struct (HD_OFF), so tables need no pointers to locals and can be
 * read by the man page generator.  A shared set of options (the output
 * options) is a table of its own, included at the offset of its struct.
 *
 *   struct lint_args { struct hd_out_opts out; bool merge; unsigned jobs; };
 *   static const struct hd_option lint_options[] = {
 *           HD_OPT_FLAG(0, "merge", HD_OFF(struct lint_args, merge), "merge the files"),
 *           HD_OPT_UNSIGNED('j', "jobs", "N", HD_OFF(struct lint_args, jobs), 1, 64, "threads"),
 *           HD_OPT_INCLUDE(hd_out_options, HD_OFF(struct lint_args, out)),
 *           HD_OPT_END(),
 *   };
 *
 * Parsing accepts --name, --name=VALUE, --name VALUE, -x, -xVALUE, -x VALUE;
 * `--` ends the options; `-` and words not starting with '-' are operands,
 * kept in order.  -h and --help print the command's help.
 */
#ifndef HD_CLI_OPTIONS_H
#define HD_CLI_OPTIONS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

enum hd_opt_type {
	HD_OPT_END_ = 0,
	HD_OPT_GROUP_,    /* a heading in --help ("engine options"); help is the title */
	HD_OPT_INCLUDE_,  /* the options of table `sub`, its offsets relative to off */
	HD_OPT_FLAG_,     /* bool at off := true */
	HD_OPT_SET_INT_,  /* int at off := ival */
	HD_OPT_STRING_,   /* const char * at off := the argument (borrowed from argv) */
	HD_OPT_STRLIST_,  /* struct hd_strlist at off: the argument appended */
	HD_OPT_UNSIGNED_, /* unsigned at off := the argument, a number in [min, max] */
	HD_OPT_LONG_,     /* long at off := the argument, a number in [min, max] */
	HD_OPT_CALLBACK_, /* cb(args, opt, argument) */
};

enum hd_opt_flags {
	HD_OPT_HIDDEN = 1u << 0, /* accepted, not shown (aliases such as --colour) */
	HD_OPT_OPTARG = 1u << 1, /* the value is optional and only given as --name=VALUE */
	HD_OPT_NOARG = 1u << 2,  /* a callback without a value */
};

struct hd_option;
/*
 * A callback stores arg (NULL for HD_OPT_NOARG, or an absent optional
 * value) into args; on a bad value it prints the error (hd_cli_error) and
 * returns -1, else 0.
 */
typedef int hd_opt_cb(void *args, const struct hd_option *opt, const char *arg);

struct hd_option {
	enum hd_opt_type type;
	char short_name;            /* 'f' for -f, or 0 */
	const char *long_name;      /* "format" for --format, or NULL */
	const char *argh;           /* the value's name in help ("FILE"), NULL for none */
	size_t off;                 /* where the value goes in the command's args */
	const char *help;           /* lines separated by \n; for GROUP the title */
	const char *(*help_fn)(void); /* when set, the help text, made from a table at run time */
	unsigned flags;             /* enum hd_opt_flags */
	int64_t ival, min, max;     /* SET_INT value; UNSIGNED/LONG range */
	hd_opt_cb *cb;
	const struct hd_option *sub;/* INCLUDE */
};

#define HD_OFF(type, field) offsetof(type, field)
#define HD_OPT_END() { .type = HD_OPT_END_ }
#define HD_OPT_GROUP(title) { .type = HD_OPT_GROUP_, .help = (title) }
#define HD_OPT_INCLUDE(table, o) { .type = HD_OPT_INCLUDE_, .sub = (table), .off = (o) }
#define HD_OPT_FLAG(s, l, o, h) { .type = HD_OPT_FLAG_, .short_name = (s), .long_name = (l), .off = (o), .help = (h) }
#define HD_OPT_SET_INT(s, l, o, v, h) \
	{ .type = HD_OPT_SET_INT_, .short_name = (s), .long_name = (l), .off = (o), .ival = (v), .help = (h) }
#define HD_OPT_STRING(s, l, a, o, h) \
	{ .type = HD_OPT_STRING_, .short_name = (s), .long_name = (l), .argh = (a), .off = (o), .help = (h) }
#define HD_OPT_STRLIST(s, l, a, o, h) \
	{ .type = HD_OPT_STRLIST_, .short_name = (s), .long_name = (l), .argh = (a), .off = (o), .help = (h) }
#define HD_OPT_UNSIGNED(s, l, a, o, lo, hi, h) \
	{ .type = HD_OPT_UNSIGNED_, .short_name = (s), .long_name = (l), .argh = (a), .off = (o), \
	  .min = (lo), .max = (hi), .help = (h) }
#define HD_OPT_LONG(s, l, a, o, lo, hi, h) \
	{ .type = HD_OPT_LONG_, .short_name = (s), .long_name = (l), .argh = (a), .off = (o), \
	  .min = (lo), .max = (hi), .help = (h) }
#define HD_OPT_CALLBACK(s, l, a, f, h) \
	{ .type = HD_OPT_CALLBACK_, .short_name = (s), .long_name = (l), .argh = (a), .cb = (f), .help = (h) }
/* The same with enum hd_opt_flags. */
#define HD_OPT_CALLBACK_F(s, l, a, f, fl, h) \
	{ .type = HD_OPT_CALLBACK_, .short_name = (s), .long_name = (l), .argh = (a), .cb = (f), \
	  .flags = (fl), .help = (h) }
#define HD_OPT_SET_INT_F(s, l, o, v, fl, h) \
	{ .type = HD_OPT_SET_INT_, .short_name = (s), .long_name = (l), .off = (o), .ival = (v), \
	  .flags = (fl), .help = (h) }

/* An operand word a command takes ("host" of `audit host`) with its help. */
struct hd_operand {
	const char *name;
	const char *help;
};

/* Everything --help and the man page say about one command. */
struct hd_cmd_doc {
	const char *usage;                  /* synopsis lines, each "hardock CMD ...", \n-separated */
	const char *about;                  /* paragraphs (blank-line separated); a paragraph whose
					     * lines start with two spaces is kept as laid out */
	const struct hd_operand *operands;  /* {NULL} ended, or NULL */
	const struct hd_option *options;    /* HD_OPT_END() ended, or NULL */
	const char *more;                   /* paragraphs after the options, or NULL */
};

/*
 * Parses argv[1..argc) for command `cmd` (its name, for messages) against
 * doc->options, storing values into args.  The operands are moved, in order,
 * to argv[0..*ret_n).  Returns 0, 1 when --help was printed (exit 0), or -1
 * after printing a usage error (exit 2).
 */
int hd_parse_options(const char *cmd, const struct hd_cmd_doc *doc, int argc, char **argv, void *args,
		     int *ret_n);
/*
 * Parses the one option at argv[*i] (and its value, advancing *i) against
 * table: 1 when consumed, 0 when not in the table, -1 after printing an
 * error.
 */
int hd_parse_option(const struct hd_option *table, int argc, char **argv, int *i, void *args);
/* Writes the --help text of `cmd`. */
void hd_print_help(FILE *out, const char *cmd, const struct hd_cmd_doc *doc);

/*
 * The man page (roff) of every command of hd_commands[], with the prose of
 * src/cli/manpage.c.  `hardock help --man` prints it; docs/hardock.1 is its
 * output, and the docs test fails when the two differ.
 */
void hd_print_man(FILE *out);

#endif
