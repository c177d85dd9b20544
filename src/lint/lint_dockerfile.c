/*
 * The Dockerfile lint kind: recognising Dockerfiles by name, and linting one
 * (parse, report parse errors, run the Dockerfile rules, apply the file's
 * inline suppressions).
 */
#include "core/common.h"
#include "lint/lint.h"
#include "model/dockerfile.h"

static bool has_suffix_nocase(const char *s, const char *suffix)
{
	size_t n = strlen(s), m = strlen(suffix);
	return n >= m && strcasecmp(s + n - m, suffix) == 0;
}

bool hd_lint_detect_dockerfile(const char *path, const char *base, const char *head,
			       size_t head_len, bool is_explicit)
{
	static const char *const not_dockerfiles[] = {
		".dockerignore", ".md", ".txt", ".orig", ".rej", ".bak", ".swp", ".sh",
		".yml", ".yaml", ".json", ".patch", ".diff",
	};
	size_t i;

	(void)path;
	(void)head;
	(void)head_len;
	if (is_explicit)
		return true;
	for (i = 0; i < HD_ARRAY_SIZE(not_dockerfiles); i++) {
		if (has_suffix_nocase(base, not_dockerfiles[i]))
			return false;
	}
	if (!strcasecmp(base, "Dockerfile") || !strcasecmp(base, "Containerfile"))
		return true;
	if (has_suffix_nocase(base, ".dockerfile") || has_suffix_nocase(base, ".containerfile"))
		return true;
	return hd_istarts_with(base, "Dockerfile.") || hd_istarts_with(base, "Dockerfile-") ||
	       hd_istarts_with(base, "Containerfile.") || hd_istarts_with(base, "Containerfile-");
}

int hd_lint_dockerfile(const char *path, const char *data, size_t len, const struct hd_config *cfg,
		       struct hd_findings *out)
{
	struct hd_dockerfile *df = NULL;
	struct hd_model m = { .kind = HD_TARGET_DOCKERFILE, .cfg = cfg };
	size_t i;
	int r;

	r = hd_dockerfile_parse(path, data, len, &df);
	if (r < 0)
		return r;
	for (i = 0; i < df->n_errors; i++) {
		const struct hd_diag *d = &df->errors[i];
		struct hd_loc loc = { .file = path, .line = d->line, .col = d->col };

		r = hd_report_rule(out, &hd_rule_df_parse_error, cfg, &loc, "%s", d->msg ? d->msg : "syntax error");
		if (r < 0)
			goto out;
	}
	m.df = df;
	r = hd_run_rules(&m, out);
	if (r < 0)
		goto out;
	hd_suppressions_apply(&df->suppress, cfg, out);
out:
	hd_dockerfile_free(df);
	return r;
}
