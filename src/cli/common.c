/*
 * What the reporting commands share: output options, config loading, the
 * report call and the exit-code policy.
 */
#include "core/common.h"
#include "cli/cli.h"
#include "report/audit_text.h"

#include <unistd.h>

const char hd_out_opts_help[] =
	"output options:\n"
	"  -f, --format FMT        text (default), json, sarif, junit, github, gnu\n"
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
			hd_cli_error("unknown format '%s': expected text, json, sarif, junit, github or gnu", v);
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

int hd_cli_report(struct hd_out_opts *o, const char *command, struct hd_findings *f,
		  const struct hd_check_result *checks, size_t n_checks, size_t files_scanned)
{
	const struct hd_reporter *rep = hd_reporter_find(o->format);
	struct hd_report rp;
	FILE *out = stdout;
	size_t i;
	int r, code = HD_EXIT_OK;

	hd_findings_sort(f);
	if (o->output) {
		out = fopen(o->output, "w");
		if (!out) {
			hd_cli_error("cannot write '%s': %s", o->output, strerror(errno));
			return HD_EXIT_ERROR;
		}
	}
	memset(&rp, 0, sizeof(rp));
	rp.findings = f;
	rp.checks = checks;
	rp.n_checks = n_checks;
	rp.command = command;
	rp.files_scanned = files_scanned;
	rp.color = want_color(o, out);
	rp.quiet = o->quiet;
	rp.fail_on = o->cfg.fail_on;
	/* Audits in text: the docker-bench style list of checks (report/audit_text.c). */
	if (checks && strcmp(rep->name, "text") == 0)
		r = hd_report_audit_text(out, &rp);
	else
		r = rep->emit(out, &rp);
	if (fflush(out) != 0 || ferror(out))
		r = -HD_EIO;
	if (out != stdout)
		fclose(out);
	if (r < 0) {
		hd_cli_error("cannot write the report: %s", hd_strerror(r));
		return HD_EXIT_ERROR;
	}
	for (i = 0; i < f->n; i++) {
		if (f->v[i].severity == HD_SEV_ERROR)
			return HD_EXIT_ERROR;
		if (o->cfg.fail_on != HD_SEV_NONE && f->v[i].severity >= o->cfg.fail_on)
			code = HD_EXIT_FINDINGS;
	}
	return code;
}

bool hd_cli_can_stream(const struct hd_out_opts *o)
{
	const struct hd_reporter *rep = hd_reporter_find(o->format);

	return rep && rep->streams;
}

int hd_cli_stream_begin(struct hd_stream *s, struct hd_out_opts *o)
{
	memset(s, 0, sizeof(*s));
	s->o = o;
	s->rep = hd_reporter_find(o->format);
	s->out = stdout;
	if (o->output) {
		s->out = fopen(o->output, "w");
		if (!s->out) {
			hd_cli_error("cannot write '%s': %s", o->output, strerror(errno));
			return HD_EXIT_ERROR;
		}
	}
	s->color = want_color(o, s->out);
	return 0;
}

int hd_cli_stream_file(struct hd_stream *s, struct hd_findings *f)
{
	struct hd_report rp;
	size_t i;
	int r;

	if (!f->n)
		return 0;
	hd_findings_sort(f);
	memset(&rp, 0, sizeof(rp));
	rp.findings = f;
	rp.color = s->color;
	rp.quiet = s->o->quiet;
	rp.part = true;
	rp.fail_on = s->o->cfg.fail_on;
	for (i = 0; i < f->n; i++)
		s->counts[f->v[i].severity]++;
	r = s->rep->emit(s->out, &rp);
	if (r < 0 && !s->err)
		s->err = r;
	return 0;
}

int hd_cli_stream_end(struct hd_stream *s, const char *command, size_t files_scanned)
{
	struct hd_findings none;
	struct hd_report rp;
	int r, code = HD_EXIT_OK, sev;

	hd_findings_init(&none);
	memset(&rp, 0, sizeof(rp));
	rp.findings = &none;
	rp.command = command;
	rp.files_scanned = files_scanned;
	rp.color = s->color;
	rp.quiet = s->o->quiet;
	rp.counts = s->counts;
	rp.fail_on = s->o->cfg.fail_on;
	r = s->rep->emit(s->out, &rp);
	if (r < 0 && !s->err)
		s->err = r;
	if ((fflush(s->out) != 0 || ferror(s->out)) && !s->err)
		s->err = -HD_EIO;
	if (s->out != stdout)
		fclose(s->out);
	if (s->err < 0) {
		hd_cli_error("cannot write the report: %s", hd_strerror(s->err));
		return HD_EXIT_ERROR;
	}
	if (s->counts[HD_SEV_ERROR])
		return HD_EXIT_ERROR;
	for (sev = s->o->cfg.fail_on; s->o->cfg.fail_on != HD_SEV_NONE && sev < HD_SEV_MAX; sev++) {
		if (s->counts[sev])
			code = HD_EXIT_FINDINGS;
	}
	return code;
}
