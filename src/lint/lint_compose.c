/*
 * The compose lint kind: detection by file name, and linting a compose
 * project built by the compose loader (findings for loader issues, container
 * rules per service, project rules, inline suppressions per file).
 */
#include "core/common.h"
#include "lint/lint_compose.h"
#include "parse/compose.h"

#include <unistd.h>

extern const struct hd_rule hd_rule_compose_invalid, hd_rule_compose_missing_file,
	hd_rule_compose_missing_variable, hd_rule_compose_parse_error;

static bool is_yaml(const char *base)
{
	return hd_ends_with(base, ".yml") || hd_ends_with(base, ".yaml");
}

/* True when head has a line starting with "services:". */
static bool has_services_key(const char *head, size_t len)
{
	const char *p = head, *e = head + len;

	while (p && p < e) {
		if ((size_t)(e - p) >= 9 && memcmp(p, "services:", 9) == 0)
			return true;
		p = memchr(p, '\n', (size_t)(e - p));
		if (p)
			p++;
	}
	return false;
}

bool hd_lint_detect_compose(const char *path, const char *base, const char *head, size_t head_len,
			    bool is_explicit)
{
	static const char *const bases[][2] = {
		{ "compose.override.yaml", "compose.yaml" },
		{ "compose.override.yml", "compose.yml" },
		{ "docker-compose.override.yaml", "docker-compose.yaml" },
		{ "docker-compose.override.yml", "docker-compose.yml" },
	};
	size_t i;

	if (!is_yaml(base))
		return false;
	if (hd_compose_is_compose_name(base)) {
		if (is_explicit)
			return true;
		for (i = 0; i < HD_ARRAY_SIZE(bases); i++) {
			char sib[4096];
			int n;

			if (strcmp(base, bases[i][0]) != 0)
				continue;
			n = snprintf(sib, sizeof(sib), "%.*s%s", (int)(base - path), path, bases[i][1]);
			/* Linted with its base file, as compose applies it. */
			if (n > 0 && (size_t)n < sizeof(sib) && access(sib, F_OK) == 0)
				return false;
		}
		return true;
	}
	return is_explicit && head && has_services_key(head, head_len);
}

struct supp_ctx {
	const struct hd_project *p;
};

static int suppressed(const struct hd_finding *f, void *vctx)
{
	const struct supp_ctx *ctx = vctx;
	const struct hd_project_file *pf;
	size_t i;

	if ((f->rule->flags & HD_RULE_NO_IGNORE) || !f->file)
		return 0;
	pf = hd_project_file(ctx->p, f->file);
	if (!pf)
		return 0;
	for (i = 0; i < pf->suppress.n; i++) {
		const struct hd_suppression *x = &pf->suppress.v[i];
		bool covers = (x->from_line == 0 && x->to_line == 0) ||
			      (f->line >= x->from_line && f->line <= x->to_line);

		if (covers && hd_ids_match_rule(x->ids, strlen(x->ids), f->rule))
			return 1;
	}
	return 0;
}

static const struct hd_rule *issue_rule(enum hd_compose_issue_kind k)
{
	switch (k) {
	case HD_CI_SYNTAX:
		return &hd_rule_compose_parse_error;
	case HD_CI_VARIABLE:
		return &hd_rule_compose_missing_variable;
	case HD_CI_MISSING_FILE:
		return &hd_rule_compose_missing_file;
	default:
		return &hd_rule_compose_invalid;
	}
}

static int lint_files(const struct hd_compose_file *files, size_t n, const struct hd_config *cfg,
		      struct hd_findings *out)
{
	struct hd_compose_opts opts = { 0 };
	struct hd_compose_issues issues;
	struct hd_project *p = NULL;
	struct hd_findings f;
	struct hd_model m = { .cfg = cfg };
	struct supp_ctx sc;
	size_t i;
	int r;

	hd_compose_issues_init(&issues);
	hd_findings_init(&f);
	opts.no_disk = n == 1 && strcmp(files[0].path, "-") == 0;
	r = hd_compose_load(files, n, &opts, &p, &issues);
	if (r < 0)
		goto out;
	for (i = 0; i < issues.n; i++) {
		const struct hd_compose_issue *x = &issues.v[i];
		const struct hd_rule *rule = issue_rule(x->kind);
		struct hd_loc loc = { .file = x->file, .line = x->line, .col = x->col };

		if (!hd_config_rule_enabled(cfg, rule))
			continue;
		r = hd_report_rule(&f, rule, cfg, &loc, "%s", x->msg);
		if (r < 0)
			goto out;
	}
	m.kind = HD_TARGET_CONTAINER;
	for (i = 0; i < p->n_services; i++) {
		m.ctr = p->services[i];
		r = hd_run_rules(&m, &f);
		if (r < 0)
			goto out;
	}
	m.kind = HD_TARGET_PROJECT;
	m.project = p;
	r = hd_run_rules(&m, &f);
	if (r < 0)
		goto out;
	if (!cfg->no_inline_ignore) {
		sc.p = p;
		hd_findings_remove_if(&f, suppressed, &sc);
	}
	r = hd_findings_move(out, &f);
out:
	hd_findings_release(&f);
	hd_compose_issues_release(&issues);
	hd_project_free(p);
	return r;
}

int hd_lint_compose(const char *path, const char *data, size_t len, const struct hd_config *cfg,
		    struct hd_findings *out)
{
	struct hd_compose_file file = { path, data, len };

	return lint_files(&file, 1, cfg, out);
}

int hd_lint_compose_files(const char *const *paths, size_t n, const struct hd_config *cfg,
			  struct hd_findings *out)
{
	struct hd_compose_file *files;
	size_t i;
	int r;

	if (!n)
		return 0;
	files = hd_calloc(n, sizeof(*files));
	if (!files)
		return -HD_ENOMEM;
	for (i = 0; i < n; i++)
		files[i].path = paths[i];
	r = lint_files(files, n, cfg, out);
	hd_free(files);
	return r;
}
