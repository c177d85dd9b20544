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
#include "cli/options.h"
#include "authz/authz.h"
#include "authz/sandbox.h"

#include <fcntl.h>
#include <signal.h>
#include <unistd.h>

static volatile sig_atomic_t stop_flag;

static void on_signal(int sig)
{
	(void)sig;
	stop_flag = 1;
}

struct authz_opts {
	const char *sub, *sock, *policy, *log, *root, *file, *deny_at;
	unsigned workers, request_ms;
	unsigned request_s; /* --request-timeout, in seconds */
	unsigned memory_mib; /* --memory-limit */
	bool no_sandbox, no_host_facts;
};

#define A(field) HD_OFF(struct authz_opts, field)
static const struct hd_option authz_options[] = {
	HD_OPT_STRING(0, "socket", "PATH", A(sock), "the unix socket to listen on (serve)"),
	HD_OPT_STRING(0, "policy", "FILE", A(policy),
		      "the policy (YAML; owned by root, writable by nobody else): deny-at, ignored, "
		      "severity-overrides, deny-rules, trusted-registries, require-digest, allowed-images, "
		      "allowed-mount-prefixes, engine-sockets, allow, exceptions. Never looked for "
		      "anywhere: without it the defaults apply."),
	HD_OPT_STRING(0, "deny-at", "SEV", A(deny_at),
		      "lowest severity that denies, over the policy's: critical, high (default), medium, "
		      "low, info, none (only enforced rules)"),
	HD_OPT_STRING(0, "log", "FILE", A(log), "append the decision log to FILE (default: standard error)"),
	HD_OPT_UNSIGNED(0, "workers", "N", A(workers), 1, 256,
			"decision threads (default: one per CPU, 2 to 16)"),
	HD_OPT_UNSIGNED(0, "request-timeout", "S", A(request_s), 1, 3600,
			"seconds a request may take to arrive once begun (10); slower clients are "
			"disconnected"),
	HD_OPT_UNSIGNED(0, "memory-limit", "MIB", A(memory_mib), 4, 65536,
			"request bodies held at once, read or waiting for a decision (256); a request "
			"beyond is denied as busy"),
	HD_OPT_STRING(0, "root", "DIR", A(root),
		      "read the protected daemon's configuration (its -H sockets) from DIR as a copy of "
		      "the host's files, not from this host"),
	HD_OPT_FLAG(0, "no-sandbox", A(no_sandbox),
		    "serve without no_new_privs, capability dropping and seccomp"),
	HD_OPT_FLAG(0, "no-host-facts", A(no_host_facts), "(check) do not stat bind sources on this host"),
	HD_OPT_END(),
};
#undef A

static const struct hd_operand authz_operands[] = {
	{ "serve", "runs the authorization plugin on the unix socket PATH (mode 0660) until SIGINT or "
		   "SIGTERM.  Register it with dockerd by a spec file such as "
		   "/etc/docker/plugins/hardock.spec holding 'unix://PATH' and start dockerd with "
		   "--authorization-plugin=hardock.  Every request is routed as dockerd routes it; "
		   "reads and ordinary work pass, requests that create or raise privilege (container "
		   "create, old-API start, update, exec, service, volume, plugin and image pulls, "
		   "builds, and the names given to local images when the policy restricts images) are "
		   "judged by the container rules, and what cannot be judged or routed is denied.  Every decision is logged as one JSON line.  It refuses to start when a "
		   "live server holds PATH." },
	{ "check", "decides one AuthZReq JSON document (as the daemon sends it) and prints the "
		   "decision: exit 0 allow, 1 deny, 2 error." },
	{ NULL, NULL },
};

const struct hd_cmd_doc hd_authz_doc = {
	.usage = "hardock authz serve --socket PATH [--policy FILE] [--deny-at SEV] [options]\n"
		 "hardock authz check [--policy FILE] [--deny-at SEV] [options] REQ.json",
	.operands = authz_operands,
	.options = authz_options,
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
		.request_ms = a->request_ms, .max_held_bytes = (size_t)a->memory_mib << 20,
		.no_sandbox = a->no_sandbox, .on_listening = on_listening, .ctx = p,
	};
	struct sigaction sa;
	const char *why = NULL;
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
	/* The serving process loads it again before its sandbox; here a failure is said clearly. */
	if (!a->no_sandbox && hd_dl_require(HD_AUTHZ_DL_LIBS, &why) < 0) {
		hd_cli_error("%s", why);
		return HD_EXIT_ERROR;
	}
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
	int n, r = hd_parse_options("authz", &hd_authz_doc, argc, argv, a, &n);

	if (r != 0)
		return r > 0 ? -1 : HD_EXIT_ERROR;
	if (n == 0) {
		hd_cli_error("authz needs a command: serve or check; see 'hardock authz --help'");
		return HD_EXIT_ERROR;
	}
	a->sub = argv[0];
	if (strcmp(a->sub, "serve") != 0 && strcmp(a->sub, "check") != 0) {
		hd_cli_error("unknown authz subcommand '%s'; see 'hardock authz --help'", a->sub);
		return HD_EXIT_ERROR;
	}
	if (!strcmp(a->sub, "check") && n >= 2)
		a->file = argv[1];
	if (n > (a->file ? 2 : 1)) {
		hd_cli_error("unexpected argument '%s'", argv[a->file ? 2 : 1]);
		return HD_EXIT_ERROR;
	}
	a->request_ms = a->request_s * 1000;
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
