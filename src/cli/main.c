/*
 * hardock's entry point: the command table and dispatch.  Each command lives
 * in its own cmd_<name>.c and handles its own options and --help.
 */
#include "core/common.h"
#include "cli/cli.h"
#include "cli/commands.h"
#include "cli/options.h"

#ifndef HD_VERSION
#define HD_VERSION "0.0.0"
#endif

static int cmd_version(int argc, char **argv);
static int cmd_help(int argc, char **argv);

static const struct hd_cmd_doc version_doc = {
	.usage = "hardock version",
	.about = "Prints hardock's version.",
};

struct help_args {
	bool man;
};

static const struct hd_option help_options[] = {
	HD_OPT_FLAG(0, "man", HD_OFF(struct help_args, man), "print the man page (roff), as installed"),
	HD_OPT_END(),
};

static const struct hd_cmd_doc help_doc = {
	.usage = "hardock help [COMMAND]\n"
		 "hardock help --man",
	.about = "Lists the commands, or shows the help of one.",
	.options = help_options,
};

/* The command table: one line per command (git's cmd_struct). */
const struct hd_cmd hd_commands[] = {
	{ "audit", hd_cmd_audit, HD_CMD_NEED_CONFIG, "audit this host, its Docker daemon and engine (CIS)",
	  &hd_audit_doc },
	{ "authz", hd_cmd_authz, 0, "Docker authorization plugin: deny insecure container creates",
	  &hd_authz_doc },
	{ "db", hd_cmd_db, 0, "update, import or show the local vulnerability database", NULL },
	{ "harden", hd_cmd_harden, 0, "write hardened daemon.json or auditd rules for this host",
	  &hd_harden_doc },
	{ "image", hd_cmd_image, HD_CMD_NEED_CONFIG,
	  "analyse images: docker save archives, OCI layouts, the engine's images", &hd_image_doc },
	{ "lint", hd_cmd_lint, HD_CMD_NEED_CONFIG, "lint Dockerfiles, compose files and docker run lines",
	  &hd_lint_doc },
	{ "rules", hd_cmd_rules, 0, "list the rule catalogue or explain one rule", &hd_rules_doc },
	{ "serve", hd_cmd_serve, HD_CMD_NEED_CONFIG,
	  "serve Prometheus metrics and the HTML report, following the engine live", &hd_serve_doc },
	{ "tls", hd_cmd_tls, 0, "create TLS certificates for dockerd's TCP socket", &hd_tls_doc },
	{ "version", cmd_version, 0, "print the version", &version_doc },
	{ "help", cmd_help, 0, "show help for hardock or one command", &help_doc },
};
const size_t hd_command_count = HD_ARRAY_SIZE(hd_commands);

static const char usage[] =
	"usage: hardock <command> [options] [paths]\n"
	"\n"
	"hardock finds insecure Docker set-ups: Dockerfiles, compose files, docker run\n"
	"lines, images, running containers, the daemon and the host.\n"
	"\n"
	"commands:\n";

static void print_usage(FILE *fp)
{
	size_t i;

	fputs(usage, fp);
	for (i = 0; i < hd_command_count; i++)
		fprintf(fp, "  %-10s %s\n", hd_commands[i].name, hd_commands[i].summary);
	fputs("\nRun 'hardock <command> --help' for the options of a command.\n"
	      "Exit codes: 0 clean, 1 findings at or above --fail-on, 2 error.\n", fp);
}

static int cmd_version(int argc, char **argv)
{
	int n, r = hd_parse_options("version", &version_doc, argc, argv, NULL, &n);

	if (r != 0)
		return r > 0 ? HD_EXIT_OK : HD_EXIT_ERROR;
	if (n) {
		hd_cli_error("unexpected argument '%s' for version", argv[0]);
		return HD_EXIT_ERROR;
	}
	printf("hardock %s\n", HD_VERSION);
	return 0;
}

static const struct hd_cmd *find_cmd(const char *name)
{
	size_t i;

	for (i = 0; i < hd_command_count; i++) {
		if (strcmp(hd_commands[i].name, name) == 0)
			return &hd_commands[i];
	}
	return NULL;
}

static int cmd_help(int argc, char **argv)
{
	struct help_args a = { false };
	const struct hd_cmd *c;
	char *sub[] = { NULL, (char *)"--help", NULL };
	int n, r;

	/* `hardock help --help` is the list of commands, as `hardock help`. */
	if (argc > 1 && (!strcmp(argv[1], "--help") || !strcmp(argv[1], "-h"))) {
		print_usage(stdout);
		return 0;
	}
	r = hd_parse_options("help", &help_doc, argc, argv, &a, &n);
	if (r != 0)
		return r > 0 ? HD_EXIT_OK : HD_EXIT_ERROR;
	if (a.man) {
		hd_print_man(stdout);
		return fflush(stdout) == 0 && !ferror(stdout) ? HD_EXIT_OK : HD_EXIT_ERROR;
	}
	if (n == 0) {
		print_usage(stdout);
		return 0;
	}
	c = find_cmd(argv[0]);
	if (!c) {
		hd_cli_error("unknown command '%s'; see 'hardock help'", argv[0]);
		return HD_EXIT_ERROR;
	}
	if (c->doc) {
		hd_print_help(stdout, c->name, c->doc);
		return HD_EXIT_OK;
	}
	sub[0] = argv[0];
	return c->fn(2, sub);
}

int main(int argc, char **argv)
{
	const struct hd_cmd *c;

	if (argc < 2) {
		print_usage(stderr);
		return HD_EXIT_ERROR;
	}
	if (!strcmp(argv[1], "--help") || !strcmp(argv[1], "-h")) {
		print_usage(stdout);
		return 0;
	}
	if (!strcmp(argv[1], "--version") || !strcmp(argv[1], "-V"))
		return cmd_version(1, argv + 1);
	c = find_cmd(argv[1]);
	if (!c) {
		hd_cli_error("unknown command '%s'; see 'hardock --help'", argv[1]);
		return HD_EXIT_ERROR;
	}
	return c->fn(argc - 1, argv + 1);
}
