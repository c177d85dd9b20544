/*
 * What the reporting commands share: output options, config loading, the
 * report call and the exit-code policy.
 */
#include "core/common.h"
#include "cli/cli.h"
#include "cli/options.h"
#include "engine/endpoint.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

const char hd_out_opts_help[] =
	"output options:\n"
	"  -f, --format FMT        text (default), json, sarif, junit, github, gnu, html\n"
	"  -o, --output FILE       write the report to FILE instead of standard output\n"
	"      --fail-on SEV       exit 1 only for findings at or above SEV\n"
	"                          (info, low, medium, high, critical, none; default info)\n"
	"  -c, --config FILE       read FILE instead of the nearest .hardock.yaml\n"
	"      --ignore ID         do not run rule ID (also a hadolint id); repeatable\n"
	"      --severity-override ID=SEV\n"
	"                          report rule ID at severity SEV; repeatable\n"
	"      --no-inline-ignore  disregard '# hardock ignore=' comments\n"
	"      --color, --no-color force colours on or off (default: on a TTY, off with NO_COLOR)\n"
	"  -q, --quiet             print findings only, no summary\n"
	"      --docs-url URL      where the rule pages are published (links in SARIF, HTML)\n";

void hd_cli_error(const char *fmt, ...)
{
	va_list ap;

	fputs("hardock: ", stderr);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
}

void hd_out_opts_init(struct hd_out_opts *o)
{
	memset(o, 0, sizeof(*o));
	o->format = "text";
	o->color = -1;
	hd_config_init(&o->cfg);
	hd_config_init(&o->cli);
}

void hd_out_opts_release(struct hd_out_opts *o)
{
	hd_config_release(&o->cfg);
	hd_config_release(&o->cli);
	hd_free(o->docs_url);
	o->docs_url = NULL;
}

/* "text (default), json, ..." from the table of reporters, for --help. */
static const char *format_help(void)
{
	static char buf[512];
	size_t i, n = 0;

	if (buf[0])
		return buf;
	for (i = 0; i < hd_reporter_count && n < sizeof(buf); i++)
		n += (size_t)snprintf(buf + n, sizeof(buf) - n, "%s%s%s", i ? ", " : "", hd_reporters[i]->name,
				      i ? "" : " (default)");
	return buf;
}

static int set_format(void *args, const struct hd_option *opt, const char *v)
{
	struct hd_out_opts *o = args;
	char names[512];
	size_t i, n = 0;

	(void)opt;
	if (!hd_reporter_find(v)) {
		for (i = 0; i < hd_reporter_count && n < sizeof(names); i++)
			n += (size_t)snprintf(names + n, sizeof(names) - n, "%s%s",
					      !i ? "" : i + 1 < hd_reporter_count ? ", " : " or ",
					      hd_reporters[i]->name);
		hd_cli_error("unknown format '%s': expected %s", v, names);
		return -1;
	}
	o->format = v;
	return 0;
}

static int set_fail_on(void *args, const struct hd_option *opt, const char *v)
{
	struct hd_out_opts *o = args;
	int sev = hd_severity_from_name(v);

	(void)opt;
	if (sev < 0) {
		hd_cli_error("unknown severity '%s' for --fail-on: expected info, low, medium, "
			     "high, critical or none", v);
		return -1;
	}
	o->cfg.fail_on = (enum hd_severity)sev;
	o->cfg.fail_on_set = true;
	return 0;
}

static int add_ignored(void *args, const struct hd_option *opt, const char *v)
{
	struct hd_out_opts *o = args;

	(void)opt;
	if (!hd_rule_name_known(v)) {
		hd_cli_error("unknown rule '%s' for --ignore; see 'hardock rules'", v);
		return -1;
	}
	return hd_strlist_add(&o->cfg.ignored, v);
}

static int add_override(void *args, const struct hd_option *opt, const char *v)
{
	struct hd_out_opts *o = args;
	const char *eq = strchr(v, '=');
	char id[256];
	int sev;

	(void)opt;
	if (!eq || eq == v || (size_t)(eq - v) >= sizeof(id)) {
		hd_cli_error("--severity-override expects ID=SEVERITY, got '%s'", v);
		return -1;
	}
	memcpy(id, v, (size_t)(eq - v));
	id[eq - v] = '\0';
	if (!hd_rule_name_known(id)) {
		hd_cli_error("unknown rule '%s' for --severity-override; see 'hardock rules'", id);
		return -1;
	}
	/* hardock's names, and hadolint's error (high), warning (medium) and style (info). */
	sev = hd_severity_from_name(eq + 1);
	if (sev < 0) {
		hd_cli_error("unknown severity '%s' for --severity-override: expected info, low, medium, "
			     "high, critical or none (or hadolint's error, warning, style)", eq + 1);
		return -1;
	}
	return hd_config_set_override(&o->cfg, id, (enum hd_severity)sev);
}

/* --docs-url: where docs/rules is published; the rule's "<domain>/<slug>.md" is appended. */
static int set_docs_url(void *args, const struct hd_option *opt, const char *v)
{
	struct hd_out_opts *o = args;
	size_t n = strlen(v);

	(void)opt;
	if (!n || strpbrk(v, " \t\r\n\"<>")) {
		hd_cli_error("--docs-url expects a URL without blanks or quotes, such as "
			     "'https://git.example.com/hardock/blob/main/docs/rules/', got '%s'", v);
		return -1;
	}
	hd_free(o->docs_url);
	o->docs_url = hd_asprintf("%s%s", v, v[n - 1] == '/' ? "" : "/");
	return o->docs_url ? 0 : -1;
}

#define O(field) HD_OFF(struct hd_out_opts, field)
const struct hd_option hd_out_options[] = {
	HD_OPT_GROUP("output options"),
	{ .type = HD_OPT_CALLBACK_, .short_name = 'f', .long_name = "format", .argh = "FMT", .cb = set_format,
	  .help_fn = format_help },
	HD_OPT_STRING('o', "output", "FILE", O(output), "write the report to FILE instead of "
		"standard output"),
	HD_OPT_CALLBACK(0, "fail-on", "SEV", set_fail_on,
			"exit 1 only for findings at or above SEV (info, low, medium, high, "
				"critical, none; default info)"),
	HD_OPT_STRING('c', "config", "FILE", O(config), "read FILE instead of the nearest "
		".hardock.yaml"),
	HD_OPT_CALLBACK(0, "ignore", "ID", add_ignored, "do not run rule ID (also a hadolint id); "
		"repeatable"),
	HD_OPT_CALLBACK(0, "severity-override", "ID=SEV", add_override,
			"report rule ID at severity SEV; repeatable"),
	HD_OPT_FLAG(0, "no-inline-ignore", O(cfg.no_inline_ignore), "disregard '# hardock ignore=' "
		"comments"),
	HD_OPT_SET_INT(0, "color", O(color), 1,
		       "force colours on (default: on a TTY, off with NO_COLOR)"),
	HD_OPT_SET_INT(0, "no-color", O(color), 0, "no colours"),
	HD_OPT_SET_INT_F(0, "colour", O(color), 1, HD_OPT_HIDDEN, NULL),
	HD_OPT_SET_INT_F(0, "no-colour", O(color), 0, HD_OPT_HIDDEN, NULL),
	HD_OPT_FLAG('q', "quiet", O(quiet), "print findings only, no summary"),
	HD_OPT_CALLBACK(0, "docs-url", "URL", set_docs_url,
			"where the rule pages (docs/rules) are published, for links in SARIF and HTML "
			"(default " HD_DOCS_BASE ")"),
	HD_OPT_END(),
};
#undef O

int hd_out_opt_parse(struct hd_out_opts *o, int argc, char **argv, int *i)
{
	return hd_parse_option(hd_out_options, argc, argv, i, o);
}

int hd_out_opts_load_config(struct hd_out_opts *o)
{
	struct hd_config file;
	struct hd_diag d = { 0 };
	int r;

	/* The file is read first; command-line settings are applied over it. */
	hd_config_init(&file);
	if (o->config)
		r = hd_config_load_file(&file, o->config, &d);
	else
		r = hd_config_discover(&file, o->config_from ? o->config_from : ".", &d);
	if (r < 0) {
		if (d.msg && d.line)
			hd_cli_error("%s:%u:%u: %s", d.file ? d.file : "config", d.line, d.col, d.msg);
		else if (d.msg)
			hd_cli_error("%s: %s", d.file ? d.file : "config", d.msg);
		else
			hd_cli_error("cannot load config: %s", hd_strerror(r));
		hd_diag_release(&d);
		hd_config_release(&file);
		return HD_EXIT_ERROR;
	}
	hd_config_release(&o->cli);
	if (hd_config_apply(&o->cli, &o->cfg) < 0 || hd_config_apply(&file, &o->cfg) < 0) {
		hd_config_release(&file);
		hd_cli_error("cannot load config: %s", hd_strerror(-HD_ENOMEM));
		return HD_EXIT_ERROR;
	}
	hd_config_release(&o->cfg);
	o->cfg = file;
	if (hd_config_prepare(&o->cfg) < 0) {
		hd_cli_error("cannot load config: %s", hd_strerror(-HD_ENOMEM));
		return HD_EXIT_ERROR;
	}
	return 0;
}

static bool want_color(const struct hd_out_opts *o, FILE *out)
{
	const char *nc = getenv("NO_COLOR");

	/* --color and --no-color say what the user wants, whatever NO_COLOR says. */
	if (o->color >= 0)
		return o->color == 1;
	if (nc && *nc)
		return false;
	return isatty(fileno(out));
}

int hd_cli_exit_code(const struct hd_run_status *st, enum hd_severity fail_on)
{
	int sev;

	if (st->failed || st->counts[HD_SEV_ERROR])
		return HD_EXIT_ERROR;
	for (sev = fail_on; fail_on != HD_SEV_NONE && sev < HD_SEV_MAX; sev++) {
		if (st->counts[sev])
			return HD_EXIT_FINDINGS;
	}
	return HD_EXIT_OK;
}

/*
 * A report replacing path as a whole: written to a temporary file beside it
 * (same file system), renamed over it by hd_cli_report_end, so that a
 * reader such as node_exporter's textfile collector sees the old file or
 * the new one, never half of one.
 */
static int open_replacement(struct hd_cli_report *cr, const char *path)
{
	mode_t mask = umask(0);
	int fd;

	umask(mask);
	cr->tmp = hd_asprintf("%s.tmp.XXXXXX", path);
	if (!cr->tmp) {
		hd_cli_error("cannot write '%s': %s", path, hd_strerror(-HD_ENOMEM));
		return -1;
	}
	fd = mkostemp(cr->tmp, O_CLOEXEC);
	if (fd < 0 || fchmod(fd, 0666 & ~mask) < 0 || !(cr->out = fdopen(fd, "w"))) {
		hd_cli_error("cannot write '%s': %s", cr->tmp, strerror(errno));
		if (fd >= 0) {
			close(fd);
			unlink(cr->tmp);
		}
		hd_free(cr->tmp);
		cr->tmp = NULL;
		cr->out = stdout;
		return -1;
	}
	return 0;
}

int hd_cli_report_begin(struct hd_cli_report *cr, struct hd_out_opts *o, const char *command,
			bool checks)
{
	struct hd_output_opts ro = { .command = command, .quiet = o->quiet, .checks = checks };
	const struct hd_reporter *rep = hd_reporter_find(o->format);
	int r;

	/* The report's time: SOURCE_DATE_EPOCH makes it reproducible. */
	ro.has_time = true;
	ro.generated_at = (int64_t)time(NULL);
	{
		const char *sde = getenv("SOURCE_DATE_EPOCH");
		int64_t v;

		if (sde && hd_parse_i64(sde, 0, INT64_MAX, &v) == 0)
			ro.generated_at = v;
	}
	ro.inputs = (const char *const *)o->inputs;
	ro.docs_base = o->docs_url;
	ro.n_inputs = o->n_inputs;
	ro.objects = o->objects;
	ro.n_objects = o->n_objects;
	ro.run = o->run;
	/* A vulnerability database used: its age (its oldest source's) in the provenance. */
	for (size_t k = 0; o->run && k < o->run->n_dbs; k++) {
		if (!ro.has_db_age || o->run->dbs[k].age > ro.db_age)
			ro.db_age = o->run->dbs[k].age;
		ro.has_db_age = true;
	}

	memset(cr, 0, sizeof(*cr));
	cr->o = o;
	cr->out = stdout;
	if (!rep) {
		hd_cli_error("unknown format '%s'", o->format);
		return HD_EXIT_ERROR;
	}
	if (o->output && rep->replace_file) {
		if (open_replacement(cr, o->output) < 0)
			return HD_EXIT_ERROR;
	} else if (o->output) {
		cr->out = fopen(o->output, "w");
		if (!cr->out) {
			hd_cli_error("cannot write '%s': %s", o->output, strerror(errno));
			return HD_EXIT_ERROR;
		}
	}
	/*
	 * A report to a pipe or a file is written in 64 KiB pieces, not the
	 * 4 KiB stdio takes from st_blksize: a lint of thousands of files
	 * otherwise costs a write call per 4 KiB.  Nothing has been written to
	 * the stream yet, as setvbuf wants (standard output: the first report
	 * of the process only).
	 */
	if (cr->out != stdout) {
		setvbuf(cr->out, NULL, _IOFBF, 65536);
	} else if (!isatty(STDOUT_FILENO)) {
		static char stdout_buf[65536];
		static bool stdout_set;

		if (!stdout_set)
			setvbuf(stdout, stdout_buf, _IOFBF, sizeof(stdout_buf));
		stdout_set = true;
	}
	ro.color = want_color(o, cr->out);
	r = hd_output_begin(rep, cr->out, &ro, &cr->rep);
	if (r < 0) {
		hd_cli_error("cannot write the report: %s", hd_strerror(r));
		if (cr->out != stdout)
			fclose(cr->out);
		if (cr->tmp)
			unlink(cr->tmp);
		hd_free(cr->tmp);
		cr->tmp = NULL;
		return HD_EXIT_ERROR;
	}
	return 0;
}

int hd_cli_report_add(struct hd_cli_report *cr, const struct hd_findings *f)
{
	return hd_output_add(cr->rep, f);
}

int hd_cli_report_checks(struct hd_cli_report *cr, const struct hd_check_result *c, size_t n,
			 const struct hd_findings *all)
{
	return hd_output_checks(cr->rep, c, n, all);
}

int hd_cli_report_end(struct hd_cli_report *cr, size_t files_scanned)
{
	int r = hd_output_end(cr->rep, files_scanned);

	cr->rep = NULL;
	if (cr->out != stdout && cr->tmp && r == 0 && fsync(fileno(cr->out)) < 0)
		r = -HD_EIO;
	if (cr->out != stdout && fclose(cr->out) != 0 && r == 0)
		r = -HD_EIO;
	cr->out = stdout;
	if (cr->tmp) {
		bool renamed = r == 0 && rename(cr->tmp, cr->o->output) == 0;
		int e = errno;

		if (!renamed)
			unlink(cr->tmp);
		hd_free(cr->tmp);
		cr->tmp = NULL;
		if (r == 0 && !renamed) {
			hd_cli_error("cannot replace '%s': %s", cr->o->output, strerror(e));
			return HD_EXIT_ERROR;
		}
	}
	if (r < 0) {
		hd_cli_error("cannot write the report: %s", hd_strerror(r));
		return HD_EXIT_ERROR;
	}
	return 0;
}

int hd_cli_report(struct hd_out_opts *o, const char *command, struct hd_findings *f,
		  const struct hd_check_result *checks, size_t n_checks, size_t files_scanned)
{
	struct hd_run_status st = { .files = files_scanned };
	struct hd_cli_report cr;

	hd_findings_sort(f);
	if (hd_cli_report_begin(&cr, o, command, checks != NULL) != 0)
		return HD_EXIT_ERROR;
	hd_cli_report_add(&cr, f);
	if (checks)
		hd_cli_report_checks(&cr, checks, n_checks, f);
	if (hd_cli_report_end(&cr, files_scanned) != 0)
		return HD_EXIT_ERROR;
	hd_run_status_count(&st, f);
	return hd_cli_exit_code(&st, o->cfg.fail_on);
}

static int set_tlsverify(void *args, const struct hd_option *opt, const char *v)
{
	struct hd_engine_opts *e = args;

	(void)opt;
	if (!v || !strcmp(v, "true") || !strcmp(v, "1")) {
		e->tlsverify = 1;
	} else if (!strcmp(v, "false") || !strcmp(v, "0")) {
		e->tlsverify = 0;
	} else {
		hd_cli_error("--tlsverify takes true or false, not '%s'", v);
		return -1;
	}
	return 0;
}

#define E(field) HD_OFF(struct hd_engine_opts, field)
const struct hd_option hd_engine_options[] = {
	HD_OPT_GROUP("engine options (as the docker CLI)"),
	HD_OPT_STRING('H', "host", "HOST", E(host), "unix:///path or tcp://host:port"),
	HD_OPT_STRING(0, "context", "NAME", E(context), "a docker CLI context"),
	HD_OPT_STRING(0, "docker-config", "DIR", E(config_dir), "the docker CLI's config directory"),
	HD_OPT_SET_INT(0, "tls", E(tls), 1, "use TLS"),
	HD_OPT_CALLBACK_F(0, "tlsverify", "BOOL", set_tlsverify, HD_OPT_OPTARG,
			  "use TLS and verify the engine's certificate (default true when given)"),
	HD_OPT_STRING(0, "tlscacert", "FILE", E(tlscacert), "trust certificates signed by this CA"),
	HD_OPT_STRING(0, "tlscert", "FILE", E(tlscert), "the client certificate"),
	HD_OPT_STRING(0, "tlskey", "FILE", E(tlskey), "the client key"),
	HD_OPT_END(),
};
#undef E

bool hd_engine_opts_given(const struct hd_engine_opts *e)
{
	return e->host || e->context || e->config_dir || e->tls != -1 || e->tlsverify != -1 ||
	       e->tlscacert || e->tlscert || e->tlskey;
}
