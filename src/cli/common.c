/*
 * What the reporting commands share: output options, config loading, the
 * report call and the exit-code policy.
 */
#include "core/common.h"

#include <time.h>
#include "cli/cli.h"

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
	"  -q, --quiet             print findings only, no summary\n";

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
}

void hd_out_opts_release(struct hd_out_opts *o)
{
	hd_config_release(&o->cfg);
}

/* Matches --name, --name=value and (when short) -x / -xvalue; sets *val. */
static int opt_match(int argc, char **argv, int *i, const char *lng, char shrt, const char **val)
{
	const char *a = argv[*i];
	size_t n = strlen(lng);

	if (a[0] == '-' && a[1] == '-' && strncmp(a + 2, lng, n) == 0) {
		if (a[2 + n] == '=') {
			*val = a + 3 + n;
			return 1;
		}
		if (a[2 + n] == '\0') {
			if (*i + 1 >= argc) {
				hd_cli_error("option '--%s' needs a value", lng);
				return -1;
			}
			*val = argv[++*i];
			return 1;
		}
		return 0;
	}
	if (shrt && a[0] == '-' && a[1] == shrt) {
		if (a[2]) {
			*val = a + 2;
			return 1;
		}
		if (*i + 1 >= argc) {
			hd_cli_error("option '-%c' needs a value", shrt);
			return -1;
		}
		*val = argv[++*i];
		return 1;
	}
	return 0;
}

int hd_out_opt_parse(struct hd_out_opts *o, int argc, char **argv, int *i)
{
	const char *a = argv[*i], *v = NULL;
	int m, sev;

	if (!strcmp(a, "--no-color") || !strcmp(a, "--no-colour")) {
		o->color = 0;
		return 1;
	}
	if (!strcmp(a, "--color") || !strcmp(a, "--colour")) {
		o->color = 1;
		return 1;
	}
	if (!strcmp(a, "-q") || !strcmp(a, "--quiet")) {
		o->quiet = true;
		return 1;
	}
	if (!strcmp(a, "--no-inline-ignore")) {
		o->cfg.no_inline_ignore = true;
		return 1;
	}
	if ((m = opt_match(argc, argv, i, "format", 'f', &v))) {
		if (m < 0)
			return -1;
		if (!hd_reporter_find(v)) {
			hd_cli_error("unknown format '%s': expected text, json, sarif, junit, github, gnu or html", v);
			return -1;
		}
		o->format = v;
		return 1;
	}
	if ((m = opt_match(argc, argv, i, "output", 'o', &v))) {
		if (m < 0)
			return -1;
		o->output = v;
		return 1;
	}
	if ((m = opt_match(argc, argv, i, "config", 'c', &v))) {
		if (m < 0)
			return -1;
		o->config = v;
		return 1;
	}
	if ((m = opt_match(argc, argv, i, "fail-on", 0, &v))) {
		if (m < 0)
			return -1;
		sev = hd_severity_from_name(v);
		if (sev < 0) {
			hd_cli_error("unknown severity '%s' for --fail-on: expected info, low, medium, "
				     "high, critical or none", v);
			return -1;
		}
		o->cfg.fail_on = (enum hd_severity)sev;
		o->cfg.fail_on_set = true;
		return 1;
	}
	if ((m = opt_match(argc, argv, i, "ignore", 0, &v))) {
		if (m < 0)
			return -1;
		if (!hd_rule_find(v) && strncmp(v, "CIS-", 4) != 0) {
			hd_cli_error("unknown rule '%s' for --ignore; see 'hardock rules'", v);
			return -1;
		}
		return hd_strlist_add(&o->cfg.ignored, v) < 0 ? -1 : 1;
	}
	if ((m = opt_match(argc, argv, i, "severity-override", 0, &v))) {
		const char *eq;
		char id[256];

		if (m < 0)
			return -1;
		eq = strchr(v, '=');
		if (!eq || eq == v || (size_t)(eq - v) >= sizeof(id)) {
			hd_cli_error("--severity-override expects ID=SEVERITY, got '%s'", v);
			return -1;
		}
		memcpy(id, v, (size_t)(eq - v));
		id[eq - v] = '\0';
		if (!hd_rule_find(id)) {
			hd_cli_error("unknown rule '%s' for --severity-override; see 'hardock rules'", id);
			return -1;
		}
		sev = hd_severity_from_name(eq + 1);
		if (sev < 0 || sev == HD_SEV_ERROR) {
			hd_cli_error("unknown severity '%s' for --severity-override", eq + 1);
			return -1;
		}
		return hd_config_set_override(&o->cfg, id, (enum hd_severity)sev) < 0 ? -1 : 1;
	}
	return 0;
}

int hd_out_opts_load_config(struct hd_out_opts *o)
{
	struct hd_config file;
	struct hd_diag d = { 0 };
	size_t i;
	int r;

	/* The file is read first; command-line settings are applied over it. */
	hd_config_init(&file);
	if (o->config)
		r = hd_config_load_file(&file, o->config, &d);
	else
		r = hd_config_discover(&file, ".", &d);
	if (r < 0) {
		if (d.msg)
			hd_cli_error("%s:%u:%u: %s", d.file ? d.file : "config", d.line, d.col, d.msg);
		else
			hd_cli_error("cannot load config: %s", hd_strerror(r));
		hd_diag_release(&d);
		hd_config_release(&file);
		return HD_EXIT_ERROR;
	}
	for (i = 0; i < o->cfg.ignored.n; i++)
		hd_strlist_add(&file.ignored, o->cfg.ignored.v[i]);
	for (i = 0; i < o->cfg.n_overrides; i++)
		hd_config_set_override(&file, o->cfg.overrides[i].id, o->cfg.overrides[i].sev);
	if (o->cfg.fail_on_set) {
		file.fail_on = o->cfg.fail_on;
		file.fail_on_set = true;
	}
	if (o->cfg.no_inline_ignore)
		file.no_inline_ignore = true;
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

	if (o->color >= 0)
		return o->color == 1 && !(nc && *nc);
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
	ro.n_inputs = o->n_inputs;

	memset(cr, 0, sizeof(*cr));
	cr->o = o;
	cr->out = stdout;
	if (!rep) {
		hd_cli_error("unknown format '%s'", o->format);
		return HD_EXIT_ERROR;
	}
	if (o->output) {
		cr->out = fopen(o->output, "w");
		if (!cr->out) {
			hd_cli_error("cannot write '%s': %s", o->output, strerror(errno));
			return HD_EXIT_ERROR;
		}
	}
	ro.color = want_color(o, cr->out);
	r = hd_output_begin(rep, cr->out, &ro, &cr->rep);
	if (r < 0) {
		hd_cli_error("cannot write the report: %s", hd_strerror(r));
		if (cr->out != stdout)
			fclose(cr->out);
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
	if (cr->out != stdout && fclose(cr->out) != 0 && r == 0)
		r = -HD_EIO;
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
