/*
 * Option tables: parsing argv against a command's table and writing its
 * --help text (see options.h).  The man page is written from the same
 * tables by manpage.c.
 */
#include "core/common.h"
#include "core/config.h"
#include "cli/cli.h"
#include "cli/options.h"

/* The option every command has; it is shown last in the first group. */
static const struct hd_option help_option = {
	.type = HD_OPT_FLAG_, .short_name = 'h', .long_name = "help", .help = "show this help",
};

/* What an option was called on the command line, for messages. */
static void opt_name(const struct hd_option *o, bool as_short, char *buf, size_t n)
{
	if (as_short || !o->long_name)
		snprintf(buf, n, "-%c", o->short_name);
	else
		snprintf(buf, n, "--%s", o->long_name);
}

struct found {
	const struct hd_option *opt;
	size_t base; /* offset of the table that holds it */
};

/* Looks an option up by long name (len bytes of name) or short letter. */
static bool lookup(const struct hd_option *t, size_t base, const char *name, size_t len, char shrt,
		   struct found *ret)
{
	for (; t && t->type != HD_OPT_END_; t++) {
		if (t->type == HD_OPT_INCLUDE_) {
			if (lookup(t->sub, base + t->off, name, len, shrt, ret))
				return true;
			continue;
		}
		if (t->type == HD_OPT_GROUP_)
			continue;
		if ((name && t->long_name && strlen(t->long_name) == len && !memcmp(t->long_name, name, len)) ||
		    (!name && shrt && t->short_name == shrt)) {
			ret->opt = t;
			ret->base = base;
			return true;
		}
	}
	return false;
}

static bool takes_value(const struct hd_option *o)
{
	switch (o->type) {
	case HD_OPT_STRING_:
	case HD_OPT_STRLIST_:
	case HD_OPT_UNSIGNED_:
	case HD_OPT_LONG_:
		return true;
	case HD_OPT_CALLBACK_:
		return !(o->flags & HD_OPT_NOARG);
	default:
		return false;
	}
}

/* Stores the option's value; prints the error and returns -1 on a bad one. */
static int apply(const struct found *f, void *args, const char *arg, const char *as)
{
	const struct hd_option *o = f->opt;
	char *at = (char *)args + f->base + o->off;
	int64_t v;

	switch (o->type) {
	case HD_OPT_FLAG_:
		*(bool *)(void *)at = true;
		return 0;
	case HD_OPT_SET_INT_:
		*(int *)(void *)at = (int)o->ival;
		return 0;
	case HD_OPT_STRING_:
		*(const char **)(void *)at = arg;
		return 0;
	case HD_OPT_STRLIST_:
		if (hd_strlist_add((struct hd_strlist *)(void *)at, arg) < 0) {
			hd_cli_error("out of memory");
			return -1;
		}
		return 0;
	case HD_OPT_UNSIGNED_:
	case HD_OPT_LONG_:
		if (hd_parse_i64(arg, o->min, o->max, &v) < 0) {
			hd_cli_error("option '%s' expects a number from %" PRId64 " to %" PRId64 ", got '%s'", as,
				     o->min, o->max, arg);
			return -1;
		}
		if (o->type == HD_OPT_UNSIGNED_)
			*(unsigned *)(void *)at = (unsigned)v;
		else
			*(long *)(void *)at = (long)v;
		return 0;
	case HD_OPT_CALLBACK_:
		return o->cb((char *)args + f->base, o, arg) < 0 ? -1 : 0;
	default:
		HD_BUG("option of no type");
		return -1;
	}
}

int hd_parse_option(const struct hd_option *table, int argc, char **argv, int *i, void *args)
{
	const char *a = argv[*i], *val = NULL, *name;
	struct found f;
	char as[128];
	bool is_short = a[1] != '-';
	size_t len;

	if (is_short) {
		if (!lookup(table, 0, NULL, 0, a[1], &f) || (a[2] && !takes_value(f.opt)))
			return 0;
		if (a[2])
			val = a + 2;
	} else {
		name = a + 2;
		len = strcspn(name, "=");
		if (!lookup(table, 0, name, len, 0, &f))
			return 0;
		if (name[len] == '=') {
			val = name + len + 1;
			if (!takes_value(f.opt)) {
				hd_cli_error("option '--%.*s' takes no value", (int)len, name);
				return -1;
			}
		}
	}
	opt_name(f.opt, is_short, as, sizeof(as));
	if (!val && takes_value(f.opt) && !(f.opt->flags & HD_OPT_OPTARG)) {
		if (*i + 1 >= argc) {
			hd_cli_error("option '%s' needs a value", as);
			return -1;
		}
		val = argv[++*i];
	}
	return apply(&f, args, val, as) < 0 ? -1 : 1;
}

int hd_parse_options(const char *cmd, const struct hd_cmd_doc *doc, int argc, char **argv, void *args,
		     int *ret_n)
{
	bool only_operands = false;
	int i, n = 0, r;

	for (i = 1; i < argc; i++) {
		const char *a = argv[i];

		if (only_operands || a[0] != '-' || !strcmp(a, "-")) {
			argv[n++] = argv[i];
			continue;
		}
		if (!strcmp(a, "--")) {
			only_operands = true;
			continue;
		}
		if (!strcmp(a, "-h") || !strcmp(a, "--help")) {
			hd_print_help(stdout, cmd, doc);
			return 1;
		}
		r = hd_parse_option(doc->options, argc, argv, &i, args);
		if (r < 0)
			return -1;
		if (r == 0) {
			hd_cli_error("unknown option '%s' for %s; see 'hardock %s --help'", a, cmd, cmd);
			return -1;
		}
	}
	*ret_n = n;
	return 0;
}

/* "  -f, --format FMT" for an option; returns the length written. */
static int option_label(FILE *out, const struct hd_option *o)
{
	int n = 0;

	n += fprintf(out, "  ");
	if (o->short_name)
		n += fprintf(out, "-%c%s", o->short_name, o->long_name ? ", " : "");
	else
		n += fprintf(out, "    ");
	if (o->long_name)
		n += fprintf(out, "--%s", o->long_name);
	if (o->argh)
		n += fprintf(out, (o->flags & HD_OPT_OPTARG) ? "[=%s]" : " %s", o->argh);
	return n;
}

#define HELP_COL 26
#define HELP_WIDTH 80

/*
 * Writes help text h from column col on: its own line breaks are kept, and
 * a line too long for the width is broken at spaces; continuation lines
 * start at column col.
 */
static void print_wrapped(FILE *out, const char *h, int col)
{
	size_t room = (size_t)(HELP_WIDTH - col);

	for (;;) {
		size_t n = strcspn(h, "\n");

		while (n > room) {
			size_t cut = room, end;

			while (cut > 0 && h[cut] != ' ')
				cut--;
			if (cut == 0)
				break;
			for (end = cut; end > 0 && h[end - 1] == ' '; end--)
				;
			while (h[cut] == ' ')
				cut++;
			fprintf(out, "%.*s\n%*s", (int)end, h, col, "");
			h += cut;
			n -= cut;
		}
		fprintf(out, "%.*s\n", (int)n, h);
		h += n;
		if (!*h)
			return;
		h++;
		fprintf(out, "%*s", col, "");
	}
}

static void print_option(FILE *out, const struct hd_option *o)
{
	const char *h = o->help_fn ? o->help_fn() : o->help ? o->help : "";
	int n = option_label(out, o);

	if (n >= HELP_COL - 1) {
		fputc('\n', out);
		n = 0;
	}
	fprintf(out, "%*s", HELP_COL - n, "");
	print_wrapped(out, h, HELP_COL);
}

/* The options of table t, with the heading of each group and included table. */
static void print_table(FILE *out, const struct hd_option *t, bool *first_group)
{
	for (; t && t->type != HD_OPT_END_; t++) {
		if (t->type == HD_OPT_GROUP_) {
			if (*first_group) {
				print_option(out, &help_option);
				*first_group = false;
			}
			fprintf(out, "\n%s:\n", t->help);
		} else if (t->type == HD_OPT_INCLUDE_) {
			print_table(out, t->sub, first_group);
		} else if (!(t->flags & HD_OPT_HIDDEN)) {
			print_option(out, t);
		}
	}
}

void hd_print_help(FILE *out, const char *cmd, const struct hd_cmd_doc *doc)
{
	const char *u = doc->usage, *nl;
	bool first = true, first_group = true;
	size_t i;

	(void)cmd;
	/* usage: the first line, then the others aligned under it. */
	while (*u) {
		nl = strchr(u, '\n');
		fprintf(out, "%s%.*s\n", first ? "usage: " : "       ", nl ? (int)(nl - u) : (int)strlen(u), u);
		first = false;
		if (!nl)
			break;
		u = nl + 1;
	}
	if (doc->about)
		fprintf(out, "\n%s\n", doc->about);
	if (doc->operands) {
		int w = 8;

		for (i = 0; doc->operands[i].name; i++) {
			if ((int)strlen(doc->operands[i].name) > w)
				w = (int)strlen(doc->operands[i].name);
		}
		fputc('\n', out);
		for (i = 0; doc->operands[i].name; i++) {
			fprintf(out, "  %-*s  ", w, doc->operands[i].name);
			print_wrapped(out, doc->operands[i].help, w + 4);
		}
	}
	fputs("\noptions:\n", out);
	print_table(out, doc->options, &first_group);
	if (first_group)
		print_option(out, &help_option);
	if (doc->more)
		fprintf(out, "\n%s\n", doc->more);
}
