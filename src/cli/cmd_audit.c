/*
 * `hardock audit [host|daemon|engine]`: the CIS-style audit of this machine
 * (or of a copy of a host's filesystem with --root), with one verdict per
 * check.  `host` is CIS section 1 (and DOCKER_CONTENT_TRUST), `daemon` the
 * effective dockerd configuration and its files (sections 2 and 3), `engine`
 * the running engine's containers, images and swarm.  A bare `hardock audit`
 * runs all three; with --root the engine part is skipped.  The audit itself
 * is the library's (src/session/audit.h); this file keeps the options, the
 * output and the exit code.
 */
#include "core/common.h"
#include "cli/cli.h"
#include "cli/commands.h"
#include "engine/endpoint.h"
#include "model/daemon.h"
#include "session/audit.h"

static const char usage[] =
	"usage: hardock audit [host|daemon|engine] [--root DIR] [options]\n"
	"\n"
	"Audits this machine against the CIS Docker Benchmark and prints every check\n"
	"with PASS, WARN, INFO, NOTE (not applicable) or SKIP (needs the live system).\n"
	"\n"
	"  host     CIS 1: partition, docker group, auditd rules, kernel and runtime\n"
	"           versions, DOCKER_CONTENT_TRUST\n"
	"  daemon   CIS 2 and 3: the effective dockerd configuration (daemon.json,\n"
	"           the systemd unit and drop-ins, the running process), TLS, and the\n"
	"           owners and modes of the daemon's files\n"
	"  engine   the running engine: containers, images, swarm\n"
	"  (none)   all three\n"
	"\n"
	"options:\n"
	"      --root DIR          audit a copy of a host's filesystem under DIR instead of\n"
	"                          this machine (nothing live is read; engine is skipped)\n"
	"      --no-exec           accepted for compatibility: hardock never runs a\n"
	"                          program of the audited host\n"
	"      --show-config       print the effective dockerd configuration with where\n"
	"                          each setting comes from, then exit\n"
	"\n"
	"engine options (as the docker CLI):\n"
	"  -H, --host HOST         unix:///path or tcp://host:port\n"
	"      --context NAME      a docker CLI context\n"
	"      --docker-config DIR the docker CLI's config directory\n"
	"      --tls, --tlsverify[=BOOL], --tlscacert FILE, --tlscert FILE, --tlskey FILE\n"
	"      --container ID      audit only this container (repeatable)\n"
	"      --image REF         audit only this image (repeatable)\n"
	"      --parallel N        concurrent engine requests (default 8)\n"
	"      --engine-top        read processes with the engine's top endpoint even when the\n"
	"                          engine is this machine (default: /proc, much faster)\n"
	"      --timeout MS        per request (default 30000)\n"
	"\n";

enum { WANT_HOST = 1, WANT_DAEMON = 2, WANT_ENGINE = 4 };

struct audit_args {
	unsigned want;
	const char *root;
	bool no_exec;
	bool show_config;
	struct hd_engine_opts eng;
	bool eng_given;
	struct hd_strlist containers, images;
	unsigned parallel;
	bool engine_top;
	long timeout_ms;
};

static int value_of(int argc, char **argv, int *i, const char *name, const char **val)
{
	const char *a = argv[*i];
	size_t n = strlen(name);

	if (strncmp(a, name, n) != 0)
		return 0;
	if (a[n] == '=') {
		*val = a + n + 1;
		return 1;
	}
	if (a[n] != '\0')
		return 0;
	if (*i + 1 >= argc) {
		hd_cli_error("option '%s' needs a value", name);
		return -1;
	}
	*val = argv[++*i];
	return 1;
}

static int parse_args(int argc, char **argv, struct audit_args *a, struct hd_out_opts *o)
{
	int i, m;

	for (i = 1; i < argc; i++) {
		const char *arg = argv[i], *v = NULL;

		if (!strcmp(arg, "-h") || !strcmp(arg, "--help")) {
			fputs(usage, stdout);
			fputs(hd_out_opts_help, stdout);
			return 1;
		}
		if (arg[0] != '-') {
			unsigned w = !strcmp(arg, "host") ? WANT_HOST : !strcmp(arg, "daemon") ? WANT_DAEMON :
				     !strcmp(arg, "engine") ? WANT_ENGINE : 0;

			if (!w || a->want) {
				hd_cli_error(w ? "give one of host, daemon or engine" :
					     "unknown audit '%s': expected host, daemon or engine", arg);
				return -1;
			}
			a->want = w;
			continue;
		}
		if (!strcmp(arg, "--no-exec")) {
			a->no_exec = true;
			continue;
		}
		if (!strcmp(arg, "--show-config")) {
			a->show_config = true;
			continue;
		}
		if (!strcmp(arg, "--tls")) {
			a->eng.tls = 1;
			a->eng_given = true;
			continue;
		}
		if (!strcmp(arg, "--tlsverify") || hd_starts_with(arg, "--tlsverify=")) {
			const char *b = arg[11] == '=' ? arg + 12 : "true";

			a->eng.tlsverify = !strcmp(b, "true") || !strcmp(b, "1") ? 1 :
					   !strcmp(b, "false") || !strcmp(b, "0") ? 0 : -2;
			if (a->eng.tlsverify == -2) {
				hd_cli_error("--tlsverify takes true or false, not '%s'", b);
				return -1;
			}
			a->eng_given = true;
			continue;
		}
		if ((m = value_of(argc, argv, &i, "--root", &v))) {
			if (m < 0)
				return -1;
			a->root = v;
			continue;
		}
		if ((m = value_of(argc, argv, &i, "--host", &v)) || (m = value_of(argc, argv, &i, "-H", &v))) {
			if (m < 0)
				return -1;
			a->eng.host = v;
			a->eng_given = true;
			continue;
		}
		if ((m = value_of(argc, argv, &i, "--context", &v))) {
			if (m < 0)
				return -1;
			a->eng.context = v;
			a->eng_given = true;
			continue;
		}
		if ((m = value_of(argc, argv, &i, "--docker-config", &v))) {
			if (m < 0)
				return -1;
			a->eng.config_dir = v;
			a->eng_given = true;
			continue;
		}
		if ((m = value_of(argc, argv, &i, "--tlscacert", &v))) {
			if (m < 0)
				return -1;
			a->eng.tlscacert = v;
			a->eng_given = true;
			continue;
		}
		if ((m = value_of(argc, argv, &i, "--tlscert", &v))) {
			if (m < 0)
				return -1;
			a->eng.tlscert = v;
			a->eng_given = true;
			continue;
		}
		if ((m = value_of(argc, argv, &i, "--tlskey", &v))) {
			if (m < 0)
				return -1;
			a->eng.tlskey = v;
			a->eng_given = true;
			continue;
		}
		if (!strcmp(argv[i], "--engine-top")) {
			a->engine_top = true;
			continue;
		}
		if ((m = value_of(argc, argv, &i, "--container", &v))) {
			if (m < 0 || hd_strlist_add(&a->containers, v) < 0)
				return -1;
			continue;
		}
		if ((m = value_of(argc, argv, &i, "--image", &v))) {
			if (m < 0 || hd_strlist_add(&a->images, v) < 0)
				return -1;
			continue;
		}
		if ((m = value_of(argc, argv, &i, "--parallel", &v))) {
			int64_t n;

			if (m < 0)
				return -1;
			if (hd_parse_i64(v, 1, 256, &n) < 0) {
				hd_cli_error("--parallel expects 1 to 256, got '%s'", v);
				return -1;
			}
			a->parallel = (unsigned)n;
			continue;
		}
		if ((m = value_of(argc, argv, &i, "--timeout", &v))) {
			int64_t n;

			if (m < 0)
				return -1;
			if (hd_parse_i64(v, 1, 3600000, &n) < 0) {
				hd_cli_error("--timeout expects milliseconds (1 to 3600000), got '%s'", v);
				return -1;
			}
			a->timeout_ms = (long)n;
			continue;
		}
		m = hd_out_opt_parse(o, argc, argv, &i);
		if (m < 0)
			return -1;
		if (m == 0) {
			hd_cli_error("unknown option '%s' for audit; see 'hardock audit --help'", arg);
			return -1;
		}
	}
	if (!a->want)
		a->want = WANT_HOST | WANT_DAEMON | WANT_ENGINE;
	return 0;
}

static const char *src_name(enum hd_dsrc s)
{
	return s == HD_DSRC_FILE ? "daemon.json" : s == HD_DSRC_ARGS ? "command line" : "default";
}

static void print_origin(FILE *out, const struct hd_dorigin *o)
{
	fprintf(out, "%s", o->file ? o->file : "-");
	if (o->line)
		fprintf(out, ":%" PRIu32, o->line);
	if (o->line && o->col)
		fprintf(out, ":%" PRIu32, o->col);
	if (o->field)
		fprintf(out, " (%s)", o->field);
}

/* `hardock audit daemon --show-config`: every setting and where it comes from. */
static void show_config(FILE *out, const struct hd_daemon_spec *d)
{
	static const char *const kinds[] = { "invalid", "unknown", "conflict", "ignored" };
	size_t i, j;

	fprintf(out, "# effective dockerd configuration\n");
	fprintf(out, "# command line: %s\n", d->args_from ? d->args_from : "(none found)");
	for (i = 0; i < d->unit_files.n; i++)
		fprintf(out, "#   %s %s\n", i ? "drop-in" : "unit   ", d->unit_files.v[i]);
	fprintf(out, "# config file:  %s%s\n", d->config_file ? d->config_file : "-",
		d->config_present ? "" : " (absent)");
	for (i = 0; i < HD_DOPT_MAX; i++) {
		const struct hd_dsetting *s = &d->opt[i];
		const struct hd_dopt_info *info = &hd_dopt_table[i];

		if (!s->set)
			continue;
		fprintf(out, "%-28s ", info->json);
		switch (info->type) {
		case HD_DV_BOOL: fprintf(out, "%s", s->b ? "true" : "false"); break;
		case HD_DV_INT: fprintf(out, "%" PRId64, s->i); break;
		case HD_DV_STR: fprintf(out, "%s", s->s); break;
		case HD_DV_JSON:
			if (s->s) {
				fprintf(out, "%s", s->s);
				break;
			}
			__attribute__((fallthrough)); /* FALLTHROUGH */
		default:
			for (j = 0; j < s->n_items; j++)
				fprintf(out, "%s%s", j ? ", " : "", s->items[j].value);
		}
		fprintf(out, "\n%-28s   from %s: ", "", src_name(s->src));
		print_origin(out, &s->at);
		fputc('\n', out);
	}
	for (i = 0; i < d->n_problems; i++) {
		fprintf(out, "problem (%s): %s\n    at ", kinds[d->problems[i].kind], d->problems[i].message);
		print_origin(out, &d->problems[i].at);
		fputc('\n', out);
	}
	for (i = 0; i < d->notes.n; i++)
		fprintf(out, "note: %s\n", d->notes.v[i]);
}

static void print_msgs(const struct hd_audit_result *res, bool quiet)
{
	size_t i;

	for (i = 0; i < res->n_msgs; i++) {
		if (res->msgs[i].error)
			hd_cli_error("%s", res->msgs[i].text);
		else if (!quiet)
			fprintf(stderr, "hardock: note: %s\n", res->msgs[i].text);
	}
}

int hd_cmd_audit(int argc, char **argv)
{
	struct audit_args a;
	struct hd_out_opts o;
	struct hd_audit_session_opts so;
	struct hd_audit_session *s = NULL;
	struct hd_audit_result res;
	struct hd_cli_report cr;
	char command[64];
	int r, code = HD_EXIT_ERROR;

	memset(&a, 0, sizeof(a));
	hd_engine_opts_init(&a.eng);
	hd_out_opts_init(&o);
	hd_audit_result_init(&res);
	r = parse_args(argc, argv, &a, &o);
	if (r != 0) {
		code = r > 0 ? HD_EXIT_OK : HD_EXIT_ERROR;
		goto out;
	}
	if (a.want == WANT_ENGINE && a.root) {
		hd_cli_error("'audit engine' talks to a running engine; it cannot use --root");
		goto out;
	}
	if (a.show_config && !(a.want & WANT_DAEMON)) {
		hd_cli_error("--show-config goes with 'audit daemon'");
		goto out;
	}
	if (hd_out_opts_load_config(&o) != 0)
		goto out;
	memset(&so, 0, sizeof(so));
	so.parts = (a.want & WANT_HOST ? HD_AUDIT_HOST : 0) | (a.want & WANT_DAEMON ? HD_AUDIT_DAEMON : 0) |
		   (a.want & WANT_ENGINE ? HD_AUDIT_ENGINE : 0);
	so.cfg = &o.cfg;
	so.root = a.root;
	so.facts_only = a.show_config;
	so.engine = &a.eng;
	/* The docker CLI's own choice of engine counts as the user's. */
	so.engine_explicit = a.eng_given || getenv("DOCKER_HOST") || getenv("DOCKER_CONTEXT");
	so.containers = &a.containers;
	so.images = &a.images;
	so.parallel = a.parallel;
	so.timeout_ms = a.timeout_ms;
	so.processes_from_engine = a.engine_top;
	r = hd_audit_session_new(&so, &s);
	if (r >= 0)
		r = hd_audit_session_run(s, &res);
	if (a.show_config && r >= 0) {
		show_config(stdout, &res.daemon);
		code = HD_EXIT_OK;
		goto out;
	}
	print_msgs(&res, o.quiet);
	if (r < 0) {
		if (r == -HD_ENOMEM)
			hd_cli_error("cannot audit: %s", hd_strerror(r));
		goto out;
	}
	/*
	 * A bare `audit` still reports the host and the daemon.  An engine
	 * audit that ran but could not read everything reports what it did
	 * read, then exits 2.
	 */
	if (res.engine_unusable && a.want == WANT_ENGINE)
		goto out;
	snprintf(command, sizeof(command), "audit%s", a.want == WANT_HOST ? " host" :
		 a.want == WANT_DAEMON ? " daemon" : a.want == WANT_ENGINE ? " engine" : "");
	hd_findings_sort(&res.findings);
	if (hd_cli_report_begin(&cr, &o, command, true) != 0)
		goto out;
	hd_cli_report_add(&cr, &res.findings);
	hd_cli_report_checks(&cr, res.checks.v, res.checks.n, &res.findings);
	if (hd_cli_report_end(&cr, 0) != 0)
		goto out;
	hd_run_status_count(&res.status, &res.findings);
	code = hd_cli_exit_code(&res.status, o.cfg.fail_on);
out:
	hd_audit_session_free(s);
	hd_audit_result_release(&res);
	hd_strlist_release(&a.containers);
	hd_strlist_release(&a.images);
	hd_out_opts_release(&o);
	return code;
}
