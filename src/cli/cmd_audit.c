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
#include "cli/options.h"
#include "cli/vulnscan.h"
#include "engine/client.h"
#include "engine/endpoint.h"
#include "model/daemon.h"
#include "model/engine.h"
#include "session/audit.h"
#include "report/prometheus.h"
#include "session/vulnscan.h"
#include "vuln/db.h"

#include <time.h>

enum { WANT_HOST = 1, WANT_DAEMON = 2, WANT_ENGINE = 4 };

struct audit_args {
	struct hd_out_opts out;
	unsigned want;
	const char *root;
	bool no_exec;
	bool show_config;
	struct hd_engine_opts eng;
	struct hd_strlist containers, images;
	unsigned parallel;
	bool engine_top;
	bool image_layers;
	long timeout_ms;
	bool vulns;
	struct hd_vuln_cli v;
};

#define A(field) HD_OFF(struct audit_args, field)
static const struct hd_option audit_options[] = {
	HD_OPT_STRING(0, "root", "DIR", A(root), "audit a copy of a host's filesystem under DIR instead "
		"of this machine (nothing live is read; engine is skipped)"),
	HD_OPT_FLAG(0, "show-config", A(show_config), "print the effective dockerd configuration with "
		"where each setting comes from, then exit"),
	HD_OPT_FLAG(0, "no-exec", A(no_exec), "accepted for compatibility: hardock never runs a program "
		"of the audited host"),
	HD_OPT_INCLUDE(hd_engine_options, A(eng)),
	HD_OPT_STRLIST(0, "container", "ID", A(containers), "audit only this container (repeatable)"),
	HD_OPT_STRLIST(0, "image", "REF", A(images), "audit only this image (repeatable)"),
	HD_OPT_FLAG(0, "image-layers", A(image_layers), "also stream each audited image from the engine "
		"(never written to disk) and judge its files and history as 'hardock image' does: setuid files "
		"(CIS 4.8), capabilities, permissions, accounts, secrets, the Dockerfile rules on its history"),
	HD_OPT_UNSIGNED(0, "parallel", "N", A(parallel), 1, 256, "concurrent engine requests (default 8)"),
	HD_OPT_FLAG(0, "engine-top", A(engine_top), "read processes with the engine's top endpoint even "
		"when the engine is this machine (default: /proc, much faster)"),
	HD_OPT_LONG(0, "timeout", "MS", A(timeout_ms), 1, 3600000, "per request, in milliseconds "
		"(default 30000)"),
	HD_OPT_GROUP("vulnerabilities of the engine's images"),
	HD_OPT_FLAG(0, "vulns", A(vulns), "catalogue every image of the engine once (cached by its layers next to "
		    "the database) and report its known vulnerabilities (rule image/vulnerable-package)"),
	HD_OPT_INCLUDE(hd_vuln_options, A(v)),
	HD_OPT_INCLUDE(hd_out_options, A(out)),
	HD_OPT_END(),
};
#undef A

static const struct hd_operand audit_operands[] = {
	{ "host", "CIS 1: partition, docker group, auditd rules (files and the kernel's loaded list), "
		"kernel and runtime versions (read from the binaries, never run), DOCKER_CONTENT_TRUST" },
	{ "daemon", "CIS 2 and 3: the effective dockerd configuration (daemon.json, the systemd unit "
		"and drop-ins, the running process), TLS, and the owners and modes of the daemon's files" },
	{ "engine", "the running engine: containers, images, swarm" },
	{ NULL, NULL },
};

const struct hd_cmd_doc hd_audit_doc = {
	.usage = "hardock audit [host|daemon|engine] [--root DIR] [options]",
	.about = "Audits this machine against the CIS Docker Benchmark and prints every check\n"
		 "with PASS, WARN, INFO, NOTE (not applicable, with the reason) or SKIP (needs the\n"
		 "live system).  Without an operand, all three parts.  No program of the audited\n"
		 "host is run.",
	.operands = audit_operands,
	.options = audit_options,
};

static int parse_args(int argc, char **argv, struct audit_args *a)
{
	int n, i, r = hd_parse_options("audit", &hd_audit_doc, argc, argv, a, &n);

	if (r != 0)
		return r;
	for (i = 0; i < n; i++) {
		unsigned w = !strcmp(argv[i], "host") ? WANT_HOST : !strcmp(argv[i], "daemon") ? WANT_DAEMON :
			     !strcmp(argv[i], "engine") ? WANT_ENGINE : 0;

		if (!w || a->want) {
			hd_cli_error(w ? "give one of host, daemon or engine" :
				     "unknown audit '%s': expected host, daemon or engine", argv[i]);
			return -1;
		}
		a->want = w;
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

/* What --vulns adds to the run, for the formats that export it (prometheus, html). */
struct vulns_run {
	struct hd_report_vulns *v;   /* image names owned by names */
	size_t n, alloc;
	char **names;
	size_t n_names, alloc_names;
	struct hd_report_db *dbs;    /* sources owned */
	size_t n_dbs;
};

static void vulns_run_release(struct vulns_run *vr)
{
	size_t i;

	for (i = 0; i < vr->n_names; i++)
		hd_free(vr->names[i]);
	for (i = 0; i < vr->n_dbs; i++)
		hd_free((char *)vr->dbs[i].source);
	hd_free(vr->names);
	hd_free(vr->v);
	hd_free(vr->dbs);
}

/* Each image scanned: its hardock_image_vulnerabilities entries. */
static int vulns_each(void *ctx, const struct hd_vulnscan_image *im)
{
	struct vulns_run *vr = ctx;
	char *name;

	if (im->failed)
		return 0;
	if (HD_GROW(vr->names, vr->alloc_names, vr->n_names + 1) < 0 ||
	    HD_GROW(vr->v, vr->alloc, vr->n + HD_PROM_IMAGE_VULNS) < 0 || !(name = hd_strdup(im->name)))
		return -HD_ENOMEM;
	vr->names[vr->n_names++] = name;
	hd_prom_image_vulns(name, (const size_t(*)[2])im->counts, vr->v + vr->n);
	vr->n += HD_PROM_IMAGE_VULNS;
	return 0;
}

/* The database's sources and their ages at now. */
static int vulns_dbs(struct hd_vdb *db, int64_t now, struct vulns_run *vr)
{
	struct hd_vdb_source *src = NULL;
	size_t n = 0, i;
	int r;

	r = hd_vdb_sources(db, &src, &n);
	if (r >= 0 && n && !(vr->dbs = hd_calloc(n, sizeof(*vr->dbs))))
		r = -HD_ENOMEM;
	for (i = 0; r >= 0 && i < n; i++) {
		int64_t t = src[i].feed_time ? src[i].feed_time : src[i].imported_at;

		vr->dbs[i].age = now > t ? now - t : 0;
		if (!(vr->dbs[i].source = hd_strdup(src[i].name)))
			r = -HD_ENOMEM;
		vr->n_dbs = i + 1;
	}
	hd_vdb_sources_free(src, n);
	return r;
}

/*
 * --vulns: every image of the engine the audit used, catalogued once per
 * layer chain (cached in DB/images/) and matched; findings join the audit's,
 * counts and the database's ages go to vrun.
 * Returns 0, or -1 when the scan could not run or some image could not be read.
 */
static int audit_vulns(struct audit_args *a, struct hd_audit_result *res, struct vulns_run *vrun)
{
	struct hd_engine_opts eo = a->eng;
	struct hd_engine_endpoint ep;
	struct hd_engine *e = NULL;
	struct hd_diag d = { 0 };
	struct hd_vulnscan_opts vo;
	struct hd_vulnscan_result vr = { 0 };
	char *cache = NULL, *emsg = NULL;
	bool resolved = false;
	size_t i;
	int r = -1;

	if (hd_vuln_cli_open(&a->v) < 0)
		goto out;
	/* The engine the audit reached, whichever way it was chosen. */
	if (res->engine && res->engine->endpoint) {
		eo.host = res->engine->endpoint;
		eo.context = NULL;
	}
	if (hd_engine_endpoint_resolve(&eo, &ep, &d) < 0) {
		hd_cli_error("--vulns: cannot choose the engine: %s", d.msg ? d.msg : "?");
		goto out;
	}
	resolved = true;
	if (hd_engine_open(&ep, NULL, &e) < 0 || hd_engine_negotiate(e, &emsg) < 0) {
		hd_cli_error("--vulns: %s", emsg ? emsg : "cannot use the engine");
		goto out;
	}
	cache = hd_asprintf("%s/images", a->v.dir);
	if (!cache)
		goto out;
	memset(&vo, 0, sizeof(vo));
	vo.db = a->v.vdb;
	vo.cache_dir = cache;
	vo.vo.ignore_unfixed = a->v.ignore_unfixed;
	vo.vo.show_minor = a->v.show_minor;
	vo.vo.cfg = &a->out.cfg;
	vo.vo.now = a->v.now;
	vo.cfg = &a->out.cfg;
	vo.each = vulns_each;
	vo.each_ctx = vrun;
	r = vulns_dbs(a->v.vdb, a->v.now, vrun);
	if (r >= 0)
		r = hd_vulnscan_engine(e, &vo, &res->findings, &vr);
	for (i = 0; i < vr.n_msgs; i++) {
		if (vr.msgs[i].error)
			hd_cli_error("%s", vr.msgs[i].text);
		else if (!a->out.quiet)
			fprintf(stderr, "hardock: note: %s\n", vr.msgs[i].text);
	}
	if (r < 0 && r != -HD_ENOMEM && !vr.n_msgs)
		hd_cli_error("--vulns: %s", hd_strerror(r));
	if (r == 0)
		fprintf(stderr, "hardock: vulnerabilities: %zu images: %zu read from the engine, %zu catalogues from "
			"the cache '%s', %zu failed\n", vr.images, vr.read, vr.cached, cache, vr.failed);
	r = r < 0 || vr.failed ? -1 : 0;
out:
	hd_vulnscan_result_release(&vr);
	hd_free(cache);
	hd_free(emsg);
	hd_diag_release(&d);
	hd_engine_close(e);
	if (resolved)
		hd_engine_endpoint_release(&ep);
	hd_vuln_cli_close(&a->v);
	return r;
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
	struct hd_out_opts *o = &a.out;
	struct hd_audit_session_opts so;
	struct hd_audit_session *s = NULL;
	struct hd_audit_result res;
	struct hd_cli_report cr;
	struct hd_report_run run = { 0 };
	struct vulns_run vrun = { 0 };
	struct timespec t0, t1;
	char command[64], *what[1];
	int r, code = HD_EXIT_ERROR;

	memset(&a, 0, sizeof(a));
	hd_vuln_cli_init(&a.v);
	hd_engine_opts_init(&a.eng);
	hd_out_opts_init(o);
	hd_audit_result_init(&res);
	r = parse_args(argc, argv, &a);
	if (r != 0) {
		code = r > 0 ? HD_EXIT_OK : HD_EXIT_ERROR;
		goto out;
	}
	if (a.want == WANT_ENGINE && a.root) {
		hd_cli_error("'audit engine' talks to a running engine; it cannot use --root");
		goto out;
	}
	if (a.image_layers && !(a.want & WANT_ENGINE)) {
		hd_cli_error("--image-layers goes with 'audit engine' or a bare 'audit'");
		goto out;
	}
	if (a.show_config && !(a.want & WANT_DAEMON)) {
		hd_cli_error("--show-config goes with 'audit daemon'");
		goto out;
	}
	if (hd_out_opts_load_config(o) != 0)
		goto out;
	memset(&so, 0, sizeof(so));
	so.parts = (a.want & WANT_HOST ? HD_AUDIT_HOST : 0) | (a.want & WANT_DAEMON ? HD_AUDIT_DAEMON : 0) |
		   (a.want & WANT_ENGINE ? HD_AUDIT_ENGINE : 0);
	so.cfg = &o->cfg;
	so.root = a.root;
	so.facts_only = a.show_config;
	so.engine = &a.eng;
	/* The docker CLI's own choice of engine counts as the user's. */
	so.engine_explicit = hd_engine_opts_given(&a.eng) || getenv("DOCKER_HOST") || getenv("DOCKER_CONTEXT");
	so.containers = &a.containers;
	so.images = &a.images;
	so.parallel = a.parallel;
	so.timeout_ms = a.timeout_ms;
	so.processes_from_engine = a.engine_top;
	so.image_layers = a.image_layers;
	clock_gettime(CLOCK_MONOTONIC, &t0);
	r = hd_audit_session_new(&so, &s);
	if (r >= 0)
		r = hd_audit_session_run(s, &res);
	clock_gettime(CLOCK_MONOTONIC, &t1);
	if (a.show_config && r >= 0) {
		show_config(stdout, &res.daemon);
		code = HD_EXIT_OK;
		goto out;
	}
	print_msgs(&res, o->quiet);
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
	if (a.vulns && (!(a.want & WANT_ENGINE) || a.root || res.engine_unusable)) {
		hd_cli_error("--vulns scans the engine's images: %s", a.root ? "not with --root" :
			     res.engine_unusable ? "the engine could not be used" : "audit the engine");
		res.status.failed = true;
	} else if (a.vulns && audit_vulns(&a, &res, &vrun) < 0) {
		res.status.failed = true;
	}
	snprintf(command, sizeof(command), "audit%s", a.want == WANT_HOST ? " host" :
		 a.want == WANT_DAEMON ? " daemon" : a.want == WANT_ENGINE ? " engine" : "");
	hd_findings_sort(&res.findings);
	/* What was audited, for the formats that say it (html). */
	what[0] = (char *)(a.root ? a.root : "this host");
	o->inputs = what;
	o->n_inputs = 1;
	/* For the formats that label by object and export the run (prometheus). */
	run.engine_checked = (a.want & WANT_ENGINE) && !a.root;
	run.engine_up = run.engine_checked && !res.engine_unusable;
	run.has_time = true;
	run.finished = (double)time(NULL);
	run.duration = (double)(t1.tv_sec - t0.tv_sec) + (double)(t1.tv_nsec - t0.tv_nsec) / 1e9;
	run.vulns = vrun.v;
	run.n_vulns = vrun.n;
	run.dbs = vrun.dbs;
	run.n_dbs = vrun.n_dbs;
	o->objects = res.objects;
	o->n_objects = res.n_objects;
	o->run = &run;
	if (hd_cli_report_begin(&cr, o, command, true) != 0)
		goto out;
	hd_cli_report_add(&cr, &res.findings);
	hd_cli_report_checks(&cr, res.checks.v, res.checks.n, &res.findings);
	if (hd_cli_report_end(&cr, 0) != 0)
		goto out;
	hd_run_status_count(&res.status, &res.findings);
	code = hd_cli_exit_code(&res.status, o->cfg.fail_on);
out:
	vulns_run_release(&vrun);
	hd_audit_session_free(s);
	hd_audit_result_release(&res);
	hd_strlist_release(&a.containers);
	hd_strlist_release(&a.images);
	hd_out_opts_release(o);
	return code;
}
