/*
 * `hardock authz`: the Docker authorization plugin (serve) and its dry run
 * (check), which decides one recorded AuthZReq exactly as the server would
 * and prints the decision.  The policy itself is src/authz/policy.c.
 */
#include "core/common.h"
#include "core/buf.h"
#include "core/limits.h"
#include "cli/cli.h"
#include "cli/commands.h"
#include "authz/authz.h"

#include <signal.h>

static const char usage[] =
	"usage: hardock authz serve --socket PATH [--deny-at SEV] [-c CONFIG]\n"
	"       hardock authz check [--deny-at SEV] [-c CONFIG] REQ.json\n"
	"\n"
	"serve  runs the authorization plugin on the unix socket PATH (mode 0660) until\n"
	"       SIGINT or SIGTERM.  Register it with dockerd by a spec file such as\n"
	"       /etc/docker/plugins/hardock.spec holding 'unix://PATH' and start dockerd\n"
	"       with --authorization-plugin=hardock.  Container creates with a finding\n"
	"       at or above SEV and privileged execs are denied; every deny is logged to\n"
	"       stderr with its rule ids.  Unreadable requests are denied (fail closed).\n"
	"check  decides one AuthZReq JSON document (as the daemon sends it) and prints\n"
	"       the decision: exit 0 allow, 1 deny, 2 error.\n"
	"\n"
	"options:\n"
	"      --socket PATH   the unix socket to listen on (serve)\n"
	"      --deny-at SEV   lowest severity that denies: critical, high (default),\n"
	"                      medium, low, info, none (never deny on findings)\n"
	"  -c, --config FILE   .hardock.yaml: rules disabled, severities re-graded\n";

static volatile sig_atomic_t stop_flag;

static void on_signal(int sig)
{
	(void)sig;
	stop_flag = 1;
}

static int opt_value(int argc, char **argv, int *i, const char *name, char shrt, const char **val)
{
	size_t n = strlen(name);
	const char *a = argv[*i];

	bool is_short = shrt && a[0] == '-' && a[1] == shrt && !a[2];

	if (!is_short && strncmp(a, name, n) == 0 && a[n] == '=') {
		*val = a + n + 1;
		return 1;
	}
	if (!is_short && strcmp(a, name) != 0)
		return 0;
	if (*i + 1 >= argc) {
		hd_cli_error("option '%s' needs a value", name);
		return -1;
	}
	*val = argv[++*i];
	return 1;
}

static int cmd_serve(struct hd_out_opts *o, enum hd_severity deny_at, const char *sock)
{
	struct sigaction sa;
	int r;

	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = on_signal;
	sigemptyset(&sa.sa_mask);
	sigaction(SIGINT, &sa, NULL);
	sigaction(SIGTERM, &sa, NULL);
	signal(SIGPIPE, SIG_IGN);
	fprintf(stderr, "hardock authz: listening on '%s' (deny at %s)\n", sock,
		hd_severity_name(deny_at));
	r = hd_authz_serve(&o->cfg, deny_at, sock, &stop_flag);
	if (r < 0) {
		hd_cli_error("cannot serve on '%s': %s%s%s", sock, hd_strerror(r),
			     errno ? ": " : "", errno ? strerror(errno) : "");
		return HD_EXIT_ERROR;
	}
	fprintf(stderr, "hardock authz: stopped\n");
	return HD_EXIT_OK;
}

static int cmd_check(struct hd_out_opts *o, enum hd_severity deny_at, const char *file)
{
	struct hd_authz_decision d;
	struct hd_buf b;
	int r;

	hd_buf_init(&b, HD_MAX_AUTHZ_BODY);
	r = hd_buf_read_file(&b, file);
	if (r < 0) {
		hd_cli_error("cannot read '%s': %s", file, hd_strerror(r));
		hd_buf_release(&b);
		return HD_EXIT_ERROR;
	}
	r = hd_authz_decide(&o->cfg, deny_at, b.buf, b.len, &d);
	hd_buf_release(&b);
	if (r < 0) {
		hd_cli_error("cannot decide '%s': %s", file, hd_strerror(r));
		return HD_EXIT_ERROR;
	}
	printf("%s %s %s (%s)\n", d.allow ? "allow" : "deny", d.method ? d.method : "?",
	       d.uri ? d.uri : "?", hd_authz_category_name(d.category));
	if (!d.allow) {
		if (d.rule_ids && *d.rule_ids)
			printf("rules: %s\n", d.rule_ids);
		printf("%s\n", d.msg);
	}
	r = d.allow ? HD_EXIT_OK : HD_EXIT_FINDINGS;
	hd_authz_decision_release(&d);
	return r;
}

int hd_cmd_authz(int argc, char **argv)
{
	struct hd_out_opts o;
	enum hd_severity deny_at = HD_SEV_HIGH;
	const char *sub, *sock = NULL, *file = NULL, *v;
	int i, m, ret = HD_EXIT_ERROR;

	if (argc < 2 || !strcmp(argv[1], "--help") || !strcmp(argv[1], "-h")) {
		fputs(usage, argc < 2 ? stderr : stdout);
		return argc < 2 ? HD_EXIT_ERROR : HD_EXIT_OK;
	}
	sub = argv[1];
	if (strcmp(sub, "serve") != 0 && strcmp(sub, "check") != 0) {
		hd_cli_error("unknown authz subcommand '%s'; see 'hardock authz --help'", sub);
		return HD_EXIT_ERROR;
	}
	hd_out_opts_init(&o);
	for (i = 2; i < argc; i++) {
		if (!strcmp(argv[i], "--help") || !strcmp(argv[i], "-h")) {
			fputs(usage, stdout);
			ret = HD_EXIT_OK;
			goto out;
		}
		if ((m = opt_value(argc, argv, &i, "--socket", 0, &v))) {
			if (m < 0)
				goto out;
			sock = v;
		} else if ((m = opt_value(argc, argv, &i, "--deny-at", 0, &v))) {
			int s;

			if (m < 0)
				goto out;
			s = hd_severity_from_name(v);
			if (s < 0 || s >= HD_SEV_ERROR) {
				hd_cli_error("unknown severity '%s' for --deny-at", v);
				goto out;
			}
			deny_at = (enum hd_severity)s;
		} else if ((m = opt_value(argc, argv, &i, "--config", 'c', &v))) {
			if (m < 0)
				goto out;
			o.config = v;
		} else if (argv[i][0] == '-' && argv[i][1]) {
			hd_cli_error("unknown option '%s'; see 'hardock authz --help'", argv[i]);
			goto out;
		} else if (!file && !strcmp(sub, "check")) {
			file = argv[i];
		} else {
			hd_cli_error("unexpected argument '%s'", argv[i]);
			goto out;
		}
	}
	if (!strcmp(sub, "serve") && !sock) {
		hd_cli_error("authz serve needs --socket PATH");
		goto out;
	}
	if (!strcmp(sub, "check") && !file) {
		hd_cli_error("authz check needs a request file");
		goto out;
	}
	if (hd_out_opts_load_config(&o) != 0)
		goto out;
	errno = 0;
	ret = !strcmp(sub, "serve") ? cmd_serve(&o, deny_at, sock) : cmd_check(&o, deny_at, file);
out:
	hd_out_opts_release(&o);
	return ret;
}
