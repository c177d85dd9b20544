/*
 * `hardock serve`: the Prometheus exporter and report server (serve/serve.h).
 * This file turns options into struct hd_serve_opts and an audit session's
 * options, prints what the server logs on standard error, and stops it on
 * SIGINT or SIGTERM.
 */
#include "core/common.h"
#include "cli/cli.h"
#include "cli/commands.h"
#include "cli/options.h"
#include "cli/vulnscan.h"
#include "engine/endpoint.h"
#include "serve/serve.h"

#include <signal.h>

struct serve_args {
	struct hd_out_opts out;
	struct hd_engine_opts eng;
	const char *listen;
	const char *interval;
	bool insecure_listen;
	bool image_layers;
	bool vulns;
	struct hd_vuln_cli v;
	const char *tls_cert, *tls_key, *tls_client_ca;
	bool no_sandbox;
	unsigned threads;
	long timeout_ms;
};

#define A(field) HD_OFF(struct serve_args, field)
static const struct hd_option serve_options[] = {
	HD_OPT_STRING('l', "listen", "ADDR:PORT", A(listen), "where to serve: ADDR:PORT, [IPv6]:PORT or "
		"unix:PATH (default " HD_SERVE_DEFAULT_LISTEN ", loopback only)"),
	HD_OPT_STRING(0, "interval", "DUR", A(interval), "time between full audits: 90s, 5m, 1h "
		"(default 5m); engine events re-judge their object at once"),
	HD_OPT_FLAG(0, "image-layers", A(image_layers), "also stream every image from the engine and judge its "
		"files and history, as 'audit --image-layers' (CIS 4.8 per image); an image id is read once"),
	HD_OPT_STRING('c', "config", "FILE", A(out.config), "read FILE instead of the nearest "
		".hardock.yaml"),
	HD_OPT_LONG(0, "timeout", "MS", A(timeout_ms), 1, 3600000, "per engine request, in milliseconds "
		"(default 30000)"),
	HD_OPT_UNSIGNED(0, "threads", "N", A(threads), 1, 64, "HTTP threads (default 2)"),
	HD_OPT_FLAG(0, "no-sandbox", A(no_sandbox), "keep every privilege (default: no_new_privs, only the "
		"capabilities that read kept once bound, and a syscall filter that denies exec, new processes, "
		"ptrace, mounts, namespaces, modules, kexec and BPF)"),
	HD_OPT_GROUP("vulnerabilities of the engine's images"),
	HD_OPT_FLAG(0, "vulns", A(vulns), "also match every image's packages against the vulnerability "
		"database after each full audit, and an image again when it is pulled, tagged or loaded "
		"(catalogues cached by layers next to the database, as 'audit --vulns'); the database is "
		"read again for every scan, so 'hardock db update' applies while serving"),
	HD_OPT_INCLUDE(hd_vuln_options, A(v)),
	HD_OPT_GROUP("security of the server"),
	HD_OPT_STRING(0, "tls-cert", "FILE", A(tls_cert), "serve HTTPS with this PEM certificate (chain)"),
	HD_OPT_STRING(0, "tls-key", "FILE", A(tls_key), "the PEM key of --tls-cert"),
	HD_OPT_STRING(0, "tls-client-ca", "FILE", A(tls_client_ca), "require client certificates signed by "
		"this PEM CA (mutual TLS)"),
	HD_OPT_FLAG(0, "insecure-listen", A(insecure_listen), "allow an address beyond loopback without "
		"TLS: anyone who reaches it reads the results"),
	HD_OPT_INCLUDE(hd_engine_options, A(eng)),
	HD_OPT_END(),
};
#undef A

const struct hd_cmd_doc hd_serve_doc = {
	.usage = "hardock serve [--listen ADDR:PORT | --listen unix:PATH] [--interval DUR] [--image-layers] "
		 "[--vulns] [options]",
	.about = "Audits the host, the daemon and the engine on a schedule and serves the results:\n"
		 "/metrics (Prometheus text 0.0.4, or OpenMetrics when Accept asks for it), / (the\n"
		 "HTML report) and /healthz.  It follows the engine's events and judges a container\n"
		 "or image again as soon as it is created, started, updated, pulled or removed.\n"
		 "With --vulns it also reports each image's known vulnerabilities.  A scrape never\n"
		 "starts an audit or a scan.  It listens on loopback unless told otherwise; beyond\n"
		 "loopback it needs --tls-cert and --tls-key, or --insecure-listen.",
	.options = serve_options,
};

static volatile sig_atomic_t stop_flag;

static void on_signal(int sig)
{
	(void)sig;
	stop_flag = 1;
}

static void log_line(void *ctx, bool error, const char *msg)
{
	(void)ctx;
	fprintf(stderr, "hardock: %s%s\n", error ? "" : "note: ", msg);
}

/* "90", "90s", "500ms", "5m", "1h" into milliseconds (1 s to 7 days). */
static int parse_duration(const char *v, long *ret)
{
	static const struct {
		const char *unit;
		int64_t ms;
	} units[] = { { "ms", 1 }, { "s", 1000 }, { "m", 60000 }, { "h", 3600000 }, { "", 1000 } };
	char num[24];
	size_t n = strspn(v, "0123456789"), i;
	int64_t x;

	if (!n || n >= sizeof(num))
		return -1;
	memcpy(num, v, n);
	num[n] = '\0';
	if (hd_parse_i64(num, 1, INT32_MAX, &x) < 0)
		return -1;
	for (i = 0; i < HD_ARRAY_SIZE(units); i++) {
		if (!strcmp(v + n, units[i].unit)) {
			x *= units[i].ms;
			if (x < 1000 || x > 7 * 86400000LL)
				return -1;
			*ret = (long)x;
			return 0;
		}
	}
	return -1;
}

int hd_cmd_serve(int argc, char **argv)
{
	struct serve_args a;
	struct hd_audit_session_opts so;
	struct hd_serve_opts sv;
	struct sigaction sa;
	char *vuln_dir = NULL;
	int n, r, code = HD_EXIT_ERROR;

	memset(&a, 0, sizeof(a));
	hd_vuln_cli_init(&a.v);
	hd_engine_opts_init(&a.eng);
	hd_out_opts_init(&a.out);
	r = hd_parse_options("serve", &hd_serve_doc, argc, argv, &a, &n);
	if (r != 0) {
		code = r > 0 ? HD_EXIT_OK : HD_EXIT_ERROR;
		goto out;
	}
	if (n > 0) {
		hd_cli_error("serve takes no operand ('%s')", argv[0]);
		goto out;
	}
	memset(&sv, 0, sizeof(sv));
	if (a.interval && parse_duration(a.interval, &sv.interval_ms) < 0) {
		hd_cli_error("--interval expects a duration from 1s to 168h such as 90s, 5m or 1h, not '%s'",
			     a.interval);
		goto out;
	}
	if (!a.vulns && (a.v.db || a.v.ignore_unfixed || a.v.show_minor || a.v.fail_stale ||
			 a.v.max_age_days != HD_DEFAULT_MAX_DB_AGE_DAYS)) {
		hd_cli_error("the vulnerability database options go with --vulns");
		goto out;
	}
	if (hd_out_opts_load_config(&a.out) != 0)
		goto out;
	/* A database that cannot be used is an error now, not a log line later. */
	if (a.vulns) {
		if (hd_vuln_cli_open(&a.v) < 0) {
			hd_vuln_cli_close(&a.v);
			goto out;
		}
		vuln_dir = hd_strdup(a.v.dir);
		hd_vuln_cli_close(&a.v);
		if (!vuln_dir) {
			hd_cli_error("%s", hd_strerror(-HD_ENOMEM));
			goto out;
		}
	}
	memset(&so, 0, sizeof(so));
	so.parts = HD_AUDIT_ALL;
	so.cfg = &a.out.cfg;
	so.engine = &a.eng;
	so.engine_explicit = hd_engine_opts_given(&a.eng) || getenv("DOCKER_HOST") || getenv("DOCKER_CONTEXT");
	so.timeout_ms = a.timeout_ms;
	sv.listen = a.listen;
	sv.insecure_listen = a.insecure_listen;
	sv.tls_cert = a.tls_cert;
	sv.tls_key = a.tls_key;
	sv.tls_client_ca = a.tls_client_ca;
	sv.audit = &so;
	sv.image_layers = a.image_layers;
	sv.vulns = a.vulns;
	sv.vuln_db = vuln_dir;
	sv.vuln_ignore_unfixed = a.v.ignore_unfixed;
	sv.vuln_show_minor = a.v.show_minor;
	sv.no_sandbox = a.no_sandbox;
	sv.threads = a.threads;
	sv.log = log_line;

	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = on_signal;
	sigemptyset(&sa.sa_mask);
	sigaction(SIGINT, &sa, NULL);
	sigaction(SIGTERM, &sa, NULL);
	signal(SIGPIPE, SIG_IGN);
	r = hd_serve(&sv, &stop_flag);
	code = r < 0 ? HD_EXIT_ERROR : HD_EXIT_OK;
out:
	hd_free(vuln_dir);
	hd_out_opts_release(&a.out);
	return code;
}
