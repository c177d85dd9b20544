/*
 * `hardock authz`: the Docker authorization plugin (serve) and its dry run
 * (check), which decides one recorded AuthZReq exactly as the server would
 * and prints the decision.  The router, the policy and the server are
 * src/authz/; this file reads options, loads the policy and prints.
 */
#include "core/common.h"
#include "core/buf.h"
#include "core/limits.h"
#include "cli/cli.h"
#include "cli/commands.h"
#include "authz/authz.h"

#include <fcntl.h>
#include <signal.h>
#include <unistd.h>

static const char usage[] =
	"usage: hardock authz serve --socket PATH [--policy FILE] [--deny-at SEV] [--log FILE]\n"
	"                           [--workers N] [--request-timeout S] [--root DIR]\n"
	"                           [--no-sandbox]\n"
	"       hardock authz check [--policy FILE] [--deny-at SEV] [--root DIR] [--no-host-facts]\n"
	"                           REQ.json\n"
	"\n"
	"serve  runs the authorization plugin on the unix socket PATH (mode 0660) until\n"
	"       SIGINT or SIGTERM.  Register it with dockerd by a spec file such as\n"
	"       /etc/docker/plugins/hardock.spec holding 'unix://PATH' and start dockerd\n"
	"       with --authorization-plugin=hardock.  Every request is routed as dockerd\n"
	"       routes it; reads and ordinary work pass, requests that create or raise\n"
	"       privilege (container create, old-API start, update, exec, service,\n"
	"       volume, plugin and image pulls, builds) are judged by the container rules,\n"
	"       and what cannot be judged or routed is denied.  Every decision is logged\n"
	"       as one JSON line.  It refuses to start when a live server holds PATH.\n"
	"check  decides one AuthZReq JSON document (as the daemon sends it) and prints\n"
	"       the decision: exit 0 allow, 1 deny, 2 error.\n"
	"\n"
	"options:\n"
	"      --socket PATH     the unix socket to listen on (serve)\n"
	"      --policy FILE     the policy (YAML; owned by root, writable by nobody else):\n"
	"                        deny-at, ignored, severity-overrides, deny-rules,\n"
	"                        trusted-registries, require-digest, allowed-images,\n"
	"                        allowed-mount-prefixes, engine-sockets, allow, exceptions.\n"
	"                        Never looked for anywhere: without it the defaults apply.\n"
	"      --deny-at SEV     lowest severity that denies, over the policy's: critical,\n"
	"                        high (default), medium, low, info, none (only enforced rules)\n"
	"      --log FILE        append the decision log to FILE (default: standard error)\n"
	"      --workers N       decision threads (default: one per CPU, 2 to 16)\n"
	"      --request-timeout S  seconds a request may take to arrive once begun (10);\n"
	"                        slower clients are disconnected\n"
	"      --root DIR        read the protected daemon's configuration (its -H sockets)\n"
	"                        from DIR as a copy of the host's files, not from this host\n"
	"      --no-sandbox      serve without no_new_privs, capability dropping and seccomp\n"
	"      --no-host-facts   (check) do not stat bind sources on this host\n";

static volatile sig_atomic_t stop_flag;

static void on_signal(int sig)
{
	(void)sig;
	stop_flag = 1;
}

static int opt_value(int argc, char **argv, int *i, const char *name, const char **val)
{
	size_t n = strlen(name);
	const char *a = argv[*i];

	if (strncmp(a, name, n) == 0 && a[n] == '=') {
		*val = a + n + 1;
		return 1;
	}
	if (strcmp(a, name) != 0)
		return 0;
	if (*i + 1 >= argc) {
		hd_cli_error("option '%s' needs a value", name);
		return -1;
	}
	*val = argv[++*i];
	return 1;
}

struct authz_opts {
	const char *sub, *sock, *policy, *log, *root, *file, *deny_at;
	unsigned workers, request_ms;
	bool no_sandbox, no_host_facts;
};

static void on_listening(void *ctx, const char *path)
{
	const struct hd_authz_policy *p = ctx;

	fprintf(stderr, "hardock authz: listening on '%s' (deny at %s%s%s)\n", path,
		hd_severity_name(p->deny_at), p->loaded_from ? ", policy " : "",
		p->loaded_from ? p->loaded_from : "");
	fflush(stderr);
}

static int cmd_serve(const struct authz_opts *a, struct hd_authz_policy *p)
{
	struct hd_authz_serve_opts so = {
		.socket = a->sock, .workers = a->workers, .log_fd = STDERR_FILENO,
		.request_ms = a->request_ms,
		.no_sandbox = a->no_sandbox, .on_listening = on_listening, .ctx = p,
	};
	struct sigaction sa;
	int r, fd = -1;

	if (a->log) {
		fd = open(a->log, O_WRONLY | O_APPEND | O_CREAT | O_CLOEXEC | O_NOCTTY, 0600);
		if (fd < 0) {
			hd_cli_error("cannot open the decision log '%s': %s", a->log, strerror(errno));
			return HD_EXIT_ERROR;
		}
		so.log_fd = fd;
	}
	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = on_signal;
	sigemptyset(&sa.sa_mask);
	sigaction(SIGINT, &sa, NULL);
	sigaction(SIGTERM, &sa, NULL);
	signal(SIGPIPE, SIG_IGN);
	errno = 0;
	r = hd_authz_serve(p, &so, &stop_flag);
	if (fd >= 0)
		close(fd);
	if (r == -HD_EBUSY) {
		hd_cli_error("cannot serve on '%s': a server is already listening there", a->sock);
		return HD_EXIT_ERROR;
	}
	if (r < 0) {
		hd_cli_error("cannot serve on '%s': %s%s%s", a->sock, hd_strerror(r), errno ? ": " : "",
			     errno ? strerror(errno) : "");
		return HD_EXIT_ERROR;
	}
	fprintf(stderr, "hardock authz: stopped\n");
	return HD_EXIT_OK;
}

static int cmd_check(const struct authz_opts *a, const struct hd_authz_policy *p)
{
	struct hd_authz_decision d;
	struct hd_buf b;
	int r;

	hd_buf_init(&b, HD_MAX_AUTHZ_BODY);
	r = hd_buf_read_file(&b, a->file);
	if (r == -HD_ETOOBIG) {
		/* The server denies such a request without reading it; so does its dry run. */
		hd_buf_release(&b);
		printf("deny (larger than %u bytes)\n", (unsigned)HD_MAX_AUTHZ_BODY);
		return HD_EXIT_FINDINGS;
	}
	if (r < 0) {
		hd_cli_error("cannot read '%s': %s", a->file, hd_strerror(r));
		hd_buf_release(&b);
		return HD_EXIT_ERROR;
	}
	r = hd_authz_decide(p, b.buf, b.len, &d);
	hd_buf_release(&b);
	if (r < 0) {
		hd_cli_error("cannot decide '%s': %s", a->file, hd_strerror(r));
		return HD_EXIT_ERROR;
	}
	printf("%s %s %s (%s)\n", d.allow ? "allow" : "deny", d.method, d.uri,
	       hd_authz_category_name(d.category));
	if (!d.allow) {
		if (*d.rule_ids)
			printf("rules: %s\n", d.rule_ids);
		printf("%s\n", d.msg);
	}
	r = d.allow ? HD_EXIT_OK : HD_EXIT_FINDINGS;
	hd_authz_decision_release(&d);
	return r;
}

/* Parses the options; 0, or an exit code to return (help, usage errors). */
static int parse_opts(int argc, char **argv, struct authz_opts *a)
{
	int i, m;
	const char *v;

	for (i = 2; i < argc; i++) {
		if (!strcmp(argv[i], "--help") || !strcmp(argv[i], "-h")) {
			fputs(usage, stdout);
			return -1;
		}
		if ((m = opt_value(argc, argv, &i, "--socket", &v)) != 0) {
			a->sock = v;
		} else if ((m = opt_value(argc, argv, &i, "--policy", &v)) != 0) {
			a->policy = v;
		} else if ((m = opt_value(argc, argv, &i, "--deny-at", &v)) != 0) {
			a->deny_at = v;
		} else if ((m = opt_value(argc, argv, &i, "--log", &v)) != 0) {
			a->log = v;
		} else if ((m = opt_value(argc, argv, &i, "--root", &v)) != 0) {
			a->root = v;
		} else if ((m = opt_value(argc, argv, &i, "--workers", &v)) != 0) {
			int64_t n;

			if (m > 0 && hd_parse_i64(v, 1, 256, &n) < 0) {
				hd_cli_error("--workers expects a number from 1 to 256, not '%s'", v);
				return HD_EXIT_ERROR;
			}
			if (m > 0)
				a->workers = (unsigned)n;
		} else if ((m = opt_value(argc, argv, &i, "--request-timeout", &v)) != 0) {
			int64_t n;

			if (m > 0 && hd_parse_i64(v, 1, 3600, &n) < 0) {
				hd_cli_error("--request-timeout expects seconds from 1 to 3600, not '%s'", v);
				return HD_EXIT_ERROR;
			}
			if (m > 0)
				a->request_ms = (unsigned)n * 1000;
		} else if (!strcmp(argv[i], "--no-sandbox")) {
			a->no_sandbox = true;
		} else if (!strcmp(argv[i], "--no-host-facts")) {
			a->no_host_facts = true;
		} else if (argv[i][0] == '-' && argv[i][1]) {
			hd_cli_error("unknown option '%s'; see 'hardock authz --help'", argv[i]);
			return HD_EXIT_ERROR;
		} else if (!a->file && !strcmp(a->sub, "check")) {
			a->file = argv[i];
		} else {
			hd_cli_error("unexpected argument '%s'", argv[i]);
			return HD_EXIT_ERROR;
		}
		if (m < 0)
			return HD_EXIT_ERROR;
	}
	if (!strcmp(a->sub, "serve") && !a->sock) {
		hd_cli_error("authz serve needs --socket PATH");
		return HD_EXIT_ERROR;
	}
	if (!strcmp(a->sub, "check") && !a->file) {
		hd_cli_error("authz check needs a request file");
		return HD_EXIT_ERROR;
	}
	return 0;
}

/* Loads and prepares the policy; 0 or HD_EXIT_ERROR (message printed). */
static int load_policy(const struct authz_opts *a, struct hd_authz_policy *p)
{
	struct hd_diag diag = { 0 };
	int r;

	if (a->policy) {
		r = hd_authz_policy_load(p, a->policy, &diag);
		if (r < 0) {
			if (diag.msg && diag.line)
				hd_cli_error("cannot load policy '%s': line %u, column %u: %s", a->policy,
					     diag.line, diag.col, diag.msg);
			else
				hd_cli_error("cannot load policy '%s': %s", a->policy,
					     diag.msg ? diag.msg : hd_strerror(r));
			hd_diag_release(&diag);
			return HD_EXIT_ERROR;
		}
	}
	hd_diag_release(&diag);
	if (a->deny_at) {
		int s = hd_severity_from_name(a->deny_at);

		if (s < 0 || s >= HD_SEV_ERROR) {
			hd_cli_error("unknown severity '%s' for --deny-at", a->deny_at);
			return HD_EXIT_ERROR;
		}
		p->deny_at = (enum hd_severity)s;
	}
	p->no_host_facts = a->no_host_facts;
	if (hd_authz_policy_add_daemon_sockets(p, a->root) < 0 || hd_authz_policy_prepare(p) < 0) {
		hd_cli_error("cannot prepare the policy: %s", hd_strerror(-HD_ENOMEM));
		return HD_EXIT_ERROR;
	}
	return 0;
}

int hd_cmd_authz(int argc, char **argv)
{
	struct authz_opts a = { 0 };
	struct hd_authz_policy p;
	int ret;

	if (argc < 2 || !strcmp(argv[1], "--help") || !strcmp(argv[1], "-h")) {
		fputs(usage, argc < 2 ? stderr : stdout);
		return argc < 2 ? HD_EXIT_ERROR : HD_EXIT_OK;
	}
	a.sub = argv[1];
	if (strcmp(a.sub, "serve") != 0 && strcmp(a.sub, "check") != 0) {
		hd_cli_error("unknown authz subcommand '%s'; see 'hardock authz --help'", a.sub);
		return HD_EXIT_ERROR;
	}
	ret = parse_opts(argc, argv, &a);
	if (ret)
		return ret < 0 ? HD_EXIT_OK : ret;
	hd_authz_policy_init(&p);
	ret = load_policy(&a, &p);
	if (ret == 0)
		ret = !strcmp(a.sub, "serve") ? cmd_serve(&a, &p) : cmd_check(&a, &p);
	hd_authz_policy_release(&p);
	return ret;
}
