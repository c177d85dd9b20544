/*
 * hardock's entry point: the command table and dispatch.  Each command lives
 * in its own cmd_<name>.c and handles its own options and --help.
 */
#include "core/common.h"
#include "cli/cli.h"
#include "cli/commands.h"

#ifndef HD_VERSION
#define HD_VERSION "0.0.0"
#endif

static int cmd_version(int argc, char **argv);
static int cmd_help(int argc, char **argv);

/* The command table: one line per command (git's cmd_struct). */
const struct hd_cmd hd_commands[] = {
	{ "audit", hd_cmd_audit, HD_CMD_NEED_CONFIG, "audit this host, its Docker daemon and engine (CIS)" },
	{ "authz", hd_cmd_authz, 0, "Docker authorization plugin: deny insecure container creates" },
	{ "harden", hd_cmd_harden, 0, "write hardened daemon.json or auditd rules for this host" },
	{ "lint", hd_cmd_lint, HD_CMD_NEED_CONFIG,
	  "lint Dockerfiles, compose files and docker run lines" },
	{ "rules", hd_cmd_rules, 0, "list the rule catalogue or explain one rule" },
	{ "tls", hd_cmd_tls, 0, "create TLS certificates for dockerd's TCP socket" },
	{ "version", cmd_version, 0, "print the version" },
	{ "help", cmd_help, 0, "show help for hardock or one command" },
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
	if (argc > 1 && (!strcmp(argv[1], "--help") || !strcmp(argv[1], "-h"))) {
		puts("usage: hardock version\n\nPrints hardock's version.");
		return 0;
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
	const struct hd_cmd *c;
	char *sub[] = { NULL, (char *)"--help", NULL };

	if (argc < 2 || !strcmp(argv[1], "--help") || !strcmp(argv[1], "-h")) {
		print_usage(stdout);
		return 0;
	}
	c = find_cmd(argv[1]);
	if (!c) {
		hd_cli_error("unknown command '%s'; see 'hardock help'", argv[1]);
		return HD_EXIT_ERROR;
	}
	sub[0] = argv[1];
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
