/*
 * `hardock lint`: lint Dockerfiles (and, through the kinds table, compose
 * files and scripts with docker run lines) given as files, directories or
 * standard input.
 */
#include "core/common.h"
#include "cli/cli.h"
#include "cli/commands.h"
#include "lint/lint.h"
#include "lint/lint_compose.h"
#include "lint/walk.h"

static const char lint_usage[] =
	"usage: hardock lint [options] [PATH...]\n"
	"\n"
	"Lints Dockerfiles, compose files and docker run lines in scripts. PATH is a\n"
	"file, a directory (walked, honouring .gitignore; .git, node_modules and\n"
	"vendored folders skipped) or '-' for standard input. With no PATH the\n"
	"current directory is linted.\n"
	"\n"
	"options:\n"
	"      --kind KIND         treat explicit files and stdin as KIND: dockerfile, compose,\n"
	"                          shell, makefile, systemd, github-actions, gitlab-ci, markdown\n"
	"      --merge             merge the compose files given as one project, in order,\n"
	"                          as 'docker compose -f a.yml -f b.yml' does\n"
	"      --stdin-filename N  name to report for standard input (default '-')\n"
	"  -j, --jobs N            threads to use (default: one per core)\n"
	"  -h, --help              show this help\n";

struct lint_out {
	struct hd_cli_report cr;
	struct hd_run_status st;
};

/* Each file's findings, sorted, as soon as it and the files before it are linted. */
static int report_file(void *ctx, size_t index, struct hd_findings *f)
{
	struct lint_out *lo = ctx;

	(void)index;
	hd_findings_sort(f);
	hd_run_status_count(&lo->st, f);
	return hd_cli_report_add(&lo->cr, f);
}

int hd_cmd_lint(int argc, char **argv)
{
	struct hd_out_opts o;
	struct hd_walk w;
	struct hd_findings f;
	const struct hd_lint_kind *kind = NULL;
	const char *stdin_name = NULL;
	const char **paths = NULL;
	size_t n_paths = 0, i;
	unsigned jobs = 0;
	bool only_paths = false, merge = false, snippets;
	size_t files_merged = 0;
	int r, code = HD_EXIT_ERROR;

	hd_out_opts_init(&o);
	hd_walk_init(&w);
	hd_findings_init(&f);
	paths = hd_calloc((size_t)argc + 1, sizeof(*paths));
	if (!paths)
		goto out;
	for (int a = 1; a < argc; a++) {
		const char *s = argv[a];

		if (only_paths || s[0] != '-' || !strcmp(s, "-")) {
			paths[n_paths++] = s;
			continue;
		}
		if (!strcmp(s, "--")) {
			only_paths = true;
			continue;
		}
		if (!strcmp(s, "-h") || !strcmp(s, "--help")) {
			fputs(lint_usage, stdout);
			fputs("\n", stdout);
			fputs(hd_out_opts_help, stdout);
			code = HD_EXIT_OK;
			goto out;
		}
		if (!strcmp(s, "--stdin-filename") || !strncmp(s, "--stdin-filename=", 17)) {
			stdin_name = s[16] == '=' ? s + 17 : (a + 1 < argc ? argv[++a] : NULL);
			if (!stdin_name || !*stdin_name) {
				hd_cli_error("--stdin-filename expects a file name");
				goto out;
			}
			continue;
		}
		if (!strcmp(s, "--merge")) {
			merge = true;
			continue;
		}
		if (!strcmp(s, "--kind") || !strncmp(s, "--kind=", 7)) {
			const char *v = s[6] == '=' ? s + 7 : (a + 1 < argc ? argv[++a] : NULL);

			kind = v ? hd_lint_kind_find(v) : NULL;
			if (!kind) {
				hd_cli_error("--kind expects one of the lintable kinds (dockerfile, ...), got '%s'",
					     v ? v : "");
				goto out;
			}
			continue;
		}
		if (!strcmp(s, "-j") || !strcmp(s, "--jobs") || !strncmp(s, "--jobs=", 7)) {
			const char *v = !strncmp(s, "--jobs=", 7) ? s + 7 : a + 1 < argc ? argv[++a] : NULL;
			int64_t n;

			if (!v || hd_parse_i64(v, 1, 64, &n) < 0) {
				hd_cli_error("--jobs expects a number from 1 to 64");
				goto out;
			}
			jobs = (unsigned)n;
			continue;
		}
		r = hd_out_opt_parse(&o, argc, argv, &a);
		if (r < 0)
			goto out;
		if (r == 0) {
			hd_cli_error("unknown option '%s' for lint; see 'hardock lint --help'", s);
			goto out;
		}
	}
	if (hd_out_opts_load_config(&o) != 0)
		goto out;
	if (!n_paths)
		paths[n_paths++] = ".";
	o.inputs = (char **)paths;
	o.n_inputs = n_paths;
	for (i = 0; i < n_paths; i++) {
		r = hd_walk_add(&w, paths[i], kind);
		if (r < 0) {
			hd_cli_error("cannot lint '%s': %s", paths[i], hd_strerror(r));
			goto out;
		}
		if (stdin_name && !strcmp(paths[i], "-")) {
			/* Standard input is reported, and its kind told, by the given name. */
			const struct hd_lint_kind *k = kind ? kind : hd_lint_detect(stdin_name, NULL, 0, false);

			w.v[w.n - 1].display = hd_strdup(stdin_name);
			if (!w.v[w.n - 1].display)
				goto out;
			if (k)
				w.v[w.n - 1].kind = k;
		}
	}
	if (merge) {
		/* The compose files named on the command line form one project. */
		const char **files = hd_calloc(w.n + 1, sizeof(*files));
		size_t n = 0, k = 0;

		if (!files)
			goto out;
		for (i = 0; i < w.n; i++) {
			if (w.v[i].is_explicit && !w.v[i].kind && strcmp(w.v[i].path, "-") != 0)
				w.v[i].kind = hd_lint_detect_path(w.v[i].path);
			if (w.v[i].is_explicit && w.v[i].kind && !strcmp(w.v[i].kind->name, "compose"))
				files[n++] = w.v[i].path;
		}
		r = n ? hd_lint_compose_files(files, n, &o.cfg, &f) : 0;
		files_merged = n;
		hd_free(files);
		if (r < 0) {
			hd_cli_error("lint failed: %s", hd_strerror(r));
			goto out;
		}
		/* The merged files are done; lint the rest as usual. */
		for (i = 0; i < w.n; i++) {
			if (w.v[i].is_explicit && w.v[i].kind && !strcmp(w.v[i].kind->name, "compose")) {
				hd_free(w.v[i].path);
				hd_free(w.v[i].display);
				continue;
			}
			w.v[k++] = w.v[i];
		}
		w.n = k;
	}
	for (i = 0; i < w.n_errors; i++) {
		struct hd_loc loc = { .file = w.errors[i].path };

		hd_report_rule(&f, &hd_rule_lint_read_error, &o.cfg, &loc, "cannot read directory '%s': %s",
				w.errors[i].path, w.errors[i].reason);
	}
	/* Only the text (unless -q) and SARIF reports show source lines. */
	snippets = (!strcmp(o.format, "text") && !o.quiet) || !strcmp(o.format, "sarif");
	{
		struct lint_out lo;

		memset(&lo, 0, sizeof(lo));
		if (hd_cli_report_begin(&lo.cr, &o, "lint", false) != 0)
			goto out;
		report_file(&lo, 0, &f);
		r = hd_lint_run_each(&w, &o.cfg, jobs, snippets, report_file, &lo);
		if (hd_cli_report_end(&lo.cr, w.n + files_merged) != 0)
			goto out;
		if (r < 0) {
			hd_cli_error("lint failed: %s", hd_strerror(r));
			goto out;
		}
		code = hd_cli_exit_code(&lo.st, o.cfg.fail_on);
	}
out:
	hd_free(paths);
	hd_findings_release(&f);
	hd_walk_release(&w);
	hd_out_opts_release(&o);
	return code;
}
