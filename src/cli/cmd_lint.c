/*
 * `hardock lint`: lint Dockerfiles (and, through the kinds table, compose
 * files and scripts with docker run lines) given as files, directories or
 * standard input.  The run is the library's lint session
 * (src/lint/session.c); this file holds the options, the streamed report
 * and the exit code.
 */
#include "core/common.h"
#include "core/buf.h"
#include "core/confine.h"
#include "cli/cli.h"
#include "cli/commands.h"
#include "cli/options.h"
#include "lint/session.h"
#include "parse/compose.h"

#include <limits.h>
#include <sys/stat.h>
#include <unistd.h>

struct lint_args {
	struct hd_out_opts out;
	struct hd_lint_opts lint;
	struct hd_strlist env_given;  /* --env NAME=VALUE */
	struct hd_strlist env_files;  /* NAME=VALUE read from the --env-file files, in order */
	const char *baseline;         /* --baseline FILE */
	const char *write_baseline;   /* --write-baseline FILE */
};

static int set_min_severity(void *args, const struct hd_option *opt, const char *v)
{
	struct lint_args *a = args;
	int sev = hd_severity_from_name(v);

	(void)opt;
	if (sev <= HD_SEV_NONE) {
		hd_cli_error("unknown severity '%s' for --min-severity: expected info, low, medium, high or "
			     "critical", v);
		return -1;
	}
	a->lint.min_severity = (enum hd_severity)sev;
	return 0;
}

/* "dockerfile, compose, ..." from the table of kinds, for --help and errors. */
static const char *kind_names(void)
{
	static char buf[512];
	size_t i, n = 0;

	if (buf[0])
		return buf;
	for (i = hd_lint_kind_count; i-- > 0 && n < sizeof(buf);)
		n += (size_t)snprintf(buf + n, sizeof(buf) - n, "%s%s", hd_lint_kinds[i].name, i ? ", " : "");
	return buf;
}

static const char *kind_help(void)
{
	static char buf[640];

	if (!buf[0])
		snprintf(buf, sizeof(buf), "treat explicit files and stdin as KIND: %s", kind_names());
	return buf;
}

static int set_kind(void *args, const struct hd_option *opt, const char *v)
{
	struct lint_args *a = args;

	(void)opt;
	a->lint.kind = hd_lint_kind_find(v);
	if (!a->lint.kind) {
		hd_cli_error("--kind expects one of the lintable kinds (%s), got '%s'", kind_names(), v);
		return -1;
	}
	return 0;
}

static int set_stdin_name(void *args, const struct hd_option *opt, const char *v)
{
	struct lint_args *a = args;

	(void)opt;
	if (!*v) {
		hd_cli_error("--stdin-filename expects a file name");
		return -1;
	}
	a->lint.stdin_name = v;
	return 0;
}

static int add_env(void *args, const struct hd_option *opt, const char *v)
{
	struct lint_args *a = args;

	(void)opt;
	if (!hd_is_assignment(v)) {
		hd_cli_error("--env expects NAME=VALUE, got '%s'", v);
		return -1;
	}
	return hd_strlist_add(&a->env_given, v) < 0 ? -1 : 0;
}

/* Reads a --env-file (a dotenv file, named on the command line: read as given). */
static int add_env_file(void *args, const struct hd_option *opt, const char *path)
{
	struct lint_args *a = args;
	struct hd_buf b = HD_BUF_INIT(HD_MAX_FILE_SIZE);
	struct hd_diag d = { 0 };
	int r;

	(void)opt;
	r = hd_read_regular(path, &b);
	if (r < 0) {
		hd_cli_error("cannot read --env-file '%s': %s", path, hd_strerror(r));
		hd_buf_release(&b);
		return -1;
	}
	r = hd_compose_dotenv_parse(path, b.buf, b.len, &a->env_files, &d);
	if (r < 0) {
		if (d.msg)
			hd_cli_error("%s:%u:%u: %s", path, d.line, d.col, d.msg);
		else
			hd_cli_error("cannot read --env-file '%s': %s", path, hd_strerror(r));
	}
	hd_diag_release(&d);
	hd_buf_release(&b);
	return r < 0 ? -1 : 0;
}

/*
 * --exclude GLOB: a pattern with a slash is a path from the current
 * directory (and from each directory linted); one without, a name anywhere.
 */
static int add_exclude(void *args, const struct hd_option *opt, const char *v)
{
	struct lint_args *a = args;
	char cwd[PATH_MAX];
	const char *slash = strchr(v, '/');

	(void)opt;
	if (!*v) {
		hd_cli_error("--exclude expects a glob such as 'vendor/**' or '*.md'");
		return -1;
	}
	if (slash && slash[1] && !getcwd(cwd, sizeof(cwd))) {
		hd_cli_error("cannot tell the current directory: %s", strerror(errno));
		return -1;
	}
	return hd_config_add_exclude(&a->out.cfg, slash && slash[1] ? cwd : "/", v) < 0 ? -1 : 0;
}

#define L(field) HD_OFF(struct lint_args, lint.field)
static const struct hd_option lint_options[] = {
	{ .type = HD_OPT_CALLBACK_, .long_name = "kind", .argh = "KIND", .cb = set_kind, .help_fn = kind_help },
	HD_OPT_FLAG(0, "merge", L(merge), "merge the compose files given as one project, in order, "
		"as 'docker compose -f a.yml -f b.yml' does"),
	HD_OPT_CALLBACK(0, "stdin-filename", "NAME", set_stdin_name,
			"name to report for standard input (default '-')"),
	HD_OPT_UNSIGNED('j', "jobs", "N", L(jobs), 1, 64, "threads to use (default: one per core)"),
	HD_OPT_CALLBACK(0, "exclude", "GLOB", add_exclude,
			"do not lint paths matching GLOB (gitignore syntax: '*.md', 'vendor/**', "
			"'docs/examples'); repeatable; also exclude: in .hardock.yaml"),
	HD_OPT_CALLBACK(0, "env", "NAME=VALUE", add_env,
			"a value for ${NAME} in compose files; repeatable (the process environment is never "
			"read: a variable given nowhere stays unknown)"),
	HD_OPT_CALLBACK(0, "env-file", "FILE", add_env_file,
			"values for ${...} from a dotenv FILE; repeatable; --env wins over it, and both over "
			"the project's .env"),
	HD_OPT_CALLBACK(0, "min-severity", "SEV", set_min_severity,
			"report only findings at or above SEV (info, low, medium, high, critical); the "
			"exit code counts only those"),
	HD_OPT_STRING(0, "baseline", "FILE", HD_OFF(struct lint_args, baseline),
		      "report only findings not in the baseline FILE (written by --write-baseline), "
		      "and count its stale entries"),
	HD_OPT_STRING(0, "write-baseline", "FILE", HD_OFF(struct lint_args, write_baseline),
		      "record every finding of this run in FILE, by a fingerprint that survives lines "
		      "moving (rule, file, flagged text, occurrence)"),
	HD_OPT_INCLUDE(hd_out_options, HD_OFF(struct lint_args, out)),
	HD_OPT_END(),
};
#undef L

const struct hd_cmd_doc hd_lint_doc = {
	.usage = "hardock lint [options] [PATH...]",
	.about = "Lints Dockerfiles, compose files and docker run lines in scripts. PATH is a\n"
		 "file, a directory (walked, honouring .gitignore; .git, node_modules and\n"
		 "vendored folders skipped) or '-' for standard input. With no PATH the\n"
		 "current directory is linted.",
	.options = lint_options,
};

struct lint_out {
	struct hd_cli_report cr;
};

/* Reads --baseline FILE (named on the command line: read as given). 0 or HD_EXIT_ERROR. */
static int load_baseline(const char *path, struct hd_baseline *b)
{
	struct hd_buf buf = HD_BUF_INIT(HD_MAX_FILE_SIZE);
	struct hd_diag d = { 0 };
	int r;

	r = hd_read_regular(path, &buf);
	if (r < 0) {
		hd_cli_error("cannot read --baseline '%s': %s", path, hd_strerror(r));
		hd_buf_release(&buf);
		return HD_EXIT_ERROR;
	}
	r = hd_baseline_parse(b, path, buf.buf, buf.len, &d);
	if (r < 0) {
		if (d.msg)
			hd_cli_error("%s:%u:%u: %s", path, d.line, d.col, d.msg);
		else
			hd_cli_error("cannot read --baseline '%s': %s", path, hd_strerror(r));
	}
	hd_diag_release(&d);
	hd_buf_release(&buf);
	return r < 0 ? HD_EXIT_ERROR : 0;
}

/* Writes --write-baseline FILE.  0 or HD_EXIT_ERROR. */
static int write_baseline(const char *path, const struct hd_baseline *b)
{
	struct hd_buf buf = HD_BUF_INIT(SIZE_MAX / 2);
	FILE *fp;
	int r = hd_baseline_write(b, &buf), code = 0;

	if (r < 0) {
		hd_cli_error("cannot write --write-baseline '%s': %s", path, hd_strerror(r));
		hd_buf_release(&buf);
		return HD_EXIT_ERROR;
	}
	fp = fopen(path, "w");
	if (!fp || fwrite(buf.buf, 1, buf.len, fp) != buf.len || fclose(fp) != 0) {
		hd_cli_error("cannot write --write-baseline '%s': %s", path, strerror(errno));
		code = HD_EXIT_ERROR;
	}
	hd_buf_release(&buf);
	return code;
}

static int report_findings(void *ctx, struct hd_findings *f)
{
	struct lint_out *lo = ctx;

	return hd_cli_report_add(&lo->cr, f);
}

int hd_cmd_lint(int argc, char **argv)
{
	static char dot[] = ".";
	static char *here[] = { dot };
	struct lint_args a;
	struct lint_out lo;
	struct hd_lint_sink sink = { report_findings, &lo };
	struct hd_run_status st;
	struct hd_lint_session *s = NULL;
	struct hd_config_tree *tree = NULL;
	struct hd_baseline known, record;
	char first_dir[PATH_MAX];
	char *err = NULL;
	int n, r, code = HD_EXIT_ERROR;

	memset(&a, 0, sizeof(a));
	memset(&st, 0, sizeof(st));
	hd_baseline_init(&known);
	hd_baseline_init(&record);
	hd_out_opts_init(&a.out);
	r = hd_parse_options("lint", &hd_lint_doc, argc, argv, &a, &n);
	if (r != 0) {
		code = r > 0 ? HD_EXIT_OK : HD_EXIT_ERROR;
		goto out;
	}
	/* Explicit values for interpolation: --env-file's, then --env's (later entries win). */
	for (size_t i = 0; i < a.env_files.n + a.env_given.n; i++) {
		const char *e = i < a.env_files.n ? a.env_files.v[i] : a.env_given.v[i - a.env_files.n];

		if (hd_strlist_add(&a.out.cfg.env, e) < 0)
			goto out;
	}
	/*
	 * The run's own configuration (for what no file has: directory errors,
	 * standard input) is found from the first path linted upward; each
	 * file's from its own directory (the tree), unless --config names one.
	 */
	if (n && strcmp(argv[0], "-") != 0) {
		struct stat sb;
		const char *slash = strrchr(argv[0], '/');

		if (stat(argv[0], &sb) == 0 && S_ISDIR(sb.st_mode))
			a.out.config_from = argv[0];
		else if (slash) {
			snprintf(first_dir, sizeof(first_dir), "%.*s", (int)(slash - argv[0] + (slash == argv[0])),
				 argv[0]);
			a.out.config_from = first_dir;
		}
	}
	if (hd_out_opts_load_config(&a.out) != 0)
		goto out;
	if (!a.out.config) {
		if (hd_config_tree_new(&a.out.cli, &tree) < 0)
			goto out;
		a.lint.tree = tree;
		a.lint.cli = &a.out.cli;
	}
	a.lint.cfg = &a.out.cfg;
	/* What was linted, for the formats that say it (html). */
	a.out.inputs = n ? argv : here;
	a.out.n_inputs = n ? (size_t)n : 1;
	a.lint.snippets = hd_reporter_wants_snippets(hd_reporter_find(a.out.format), a.out.quiet);
	/* SARIF carries each finding's fingerprint (partialFingerprints). */
	a.lint.fingerprints = strcmp(a.out.format, "sarif") == 0;
	if (a.baseline) {
		if (load_baseline(a.baseline, &known) != 0)
			goto out;
		a.lint.known = &known;
	}
	if (a.write_baseline)
		a.lint.record = &record;
	r = hd_lint_session_open(&a.lint, (const char *const *)argv, (size_t)n, &s, &err);
	if (r < 0) {
		hd_cli_error("%s", err ? err : hd_strerror(r));
		goto out;
	}
	if (hd_cli_report_begin(&lo.cr, &a.out, "lint", false) != 0)
		goto out;
	r = hd_lint_session_run(s, &sink, &st, &err);
	if (hd_cli_report_end(&lo.cr, st.files) != 0)
		goto out;
	if (r < 0) {
		hd_cli_error("%s", err ? err : hd_strerror(r));
		goto out;
	}
	if (a.write_baseline && write_baseline(a.write_baseline, &record) != 0)
		goto out;
	/* What the baseline hid, and what in it no longer matches (fixed, or moved to another file). */
	if (a.baseline && !a.out.quiet)
		fprintf(stderr, "hardock: baseline '%s': %zu known finding%s not reported, %zu stale entr%s\n",
			a.baseline, known.n - hd_baseline_stale(&known), known.n - hd_baseline_stale(&known) == 1 ? "" : "s",
			hd_baseline_stale(&known), hd_baseline_stale(&known) == 1 ? "y" : "ies");
	code = hd_cli_exit_code(&st, a.out.cfg.fail_on);
out:
	hd_lint_session_free(s);
	hd_config_tree_free(tree);
	hd_strlist_release(&a.env_given);
	hd_strlist_release(&a.env_files);
	hd_baseline_release(&known);
	hd_baseline_release(&record);
	hd_free(err);
	hd_out_opts_release(&a.out);
	return code;
}
