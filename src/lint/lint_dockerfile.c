/*
 * The Dockerfile lint kind: recognising Dockerfiles by name and content, and linting one
 * (parse, report parse errors, run the Dockerfile rules, apply the file's
 * inline suppressions).
 */
#include "core/common.h"
#include "core/arena.h"
#include "core/confine.h"
#include "lint/context.h"
#include "lint/lint.h"
#include "model/dockerfile.h"

#include <unistd.h>

static bool has_suffix_nocase(const char *s, const char *suffix)
{
	size_t n = strlen(s), m = strlen(suffix);
	return n >= m && strcasecmp(s + n - m, suffix) == 0;
}

bool hd_lint_dockerfile_name(const char *base)
{
	/*
	 * Files named like Dockerfiles that are something else: source code and
	 * data of editors and syntax highlighters (dockerfile.js, dockerfile.svg,
	 * dockerfile.tmLanguage.json), documents, backups, and templates that
	 * become a Dockerfile only once rendered (Dockerfile.j2, .tpl, .erb...).
	 */
	static const char *const not_dockerfiles[] = {
		/* documents, data, images */
		".md", ".markdown", ".rst", ".txt", ".adoc", ".html", ".htm", ".pdf", ".json", ".yml",
		".yaml", ".toml", ".xml", ".csv", ".svg", ".png", ".jpg", ".jpeg", ".gif", ".ico",
		".webp",
		/* source code, editor support */
		".js", ".mjs", ".cjs", ".jsx", ".ts", ".tsx", ".map", ".css", ".scss", ".less", ".go",
		".py", ".rb", ".rs", ".java", ".kt", ".php", ".pl", ".lua", ".vim", ".el", ".c", ".h",
		".cs", ".swift", ".sh", ".bash", ".ps1", ".bat", ".cmd", ".snippets", ".tmlanguage",
		".sublime-syntax", ".plist", ".cson",
		/* backups, patches, archives */
		".dockerignore", ".orig", ".rej", ".bak", ".swp", ".tmp", ".old", ".patch", ".diff",
		".lock", ".gz", ".tgz", ".zip", ".tar", ".sig", ".asc", ".sha256",
		/* templates */
		".j2", ".jinja", ".jinja2", ".tpl", ".tmpl", ".template", ".erb", ".mustache", ".hbs",
		".handlebars", ".njk", ".liquid", ".ejs", ".gotmpl", ".gtpl", ".twig", ".mako", ".m4",
		".eex", ".in", ".tt", ".jsonnet", ".cue", ".dhall", ".jinja-template",
	};
	size_t i;

	for (i = 0; i < HD_ARRAY_SIZE(not_dockerfiles); i++) {
		if (has_suffix_nocase(base, not_dockerfiles[i]))
			return false;
	}
	if (!strcasecmp(base, "Dockerfile") || !strcasecmp(base, "Containerfile"))
		return true;
	if (has_suffix_nocase(base, ".dockerfile") || has_suffix_nocase(base, ".containerfile"))
		return true;
	return hd_istarts_with(base, "Dockerfile.") || hd_istarts_with(base, "Dockerfile-") ||
	       hd_istarts_with(base, "Dockerfile_") || hd_istarts_with(base, "Containerfile.") ||
	       hd_istarts_with(base, "Containerfile-");
}

bool hd_lint_looks_like_dockerfile(const char *text, size_t len)
{
	static const char *const instrs[] = {
		"ADD", "ARG", "CMD", "COPY", "ENTRYPOINT", "ENV", "EXPOSE", "FROM", "HEALTHCHECK",
		"LABEL", "MAINTAINER", "ONBUILD", "RUN", "SHELL", "STOPSIGNAL", "USER", "VOLUME", "WORKDIR",
	};
	const char *p = text, *e = text + len;
	size_t i;

	/* A UTF-8 byte order mark is not content. */
	if (len >= 3 && memcmp(p, "\xEF\xBB\xBF", 3) == 0)
		p += 3;
	while (p < e) {
		const char *w, *we;

		while (p < e && (*p == ' ' || *p == '\t' || *p == '\r' || *p == '\n'))
			p++;
		if (p >= e)
			return false;
		if (*p == '#') {
			/* A comment or a parser directive (# syntax=, # escape=, # check=). */
			const char *nl = memchr(p, '\n', (size_t)(e - p));

			p = nl ? nl + 1 : e;
			continue;
		}
		w = p;
		while (p < e && isalpha((unsigned char)*p))
			p++;
		we = p;
		/* The instruction word ends the line or is followed by a blank, a JSON array or a continuation. */
		if (we < e && *we != ' ' && *we != '\t' && *we != '\r' && *we != '\n' && *we != '[' &&
		    *we != '\\')
			return false;
		for (i = 0; i < HD_ARRAY_SIZE(instrs); i++) {
			if (strlen(instrs[i]) == (size_t)(we - w) && strncasecmp(w, instrs[i], (size_t)(we - w)) == 0)
				return true;
		}
		return false;
	}
	return false;
}

/* True when text holds nothing but blank lines and comments: an empty Dockerfile. */
static bool only_comments(const char *text, size_t len)
{
	const char *p = text, *e = text + len;

	while (p < e) {
		while (p < e && (*p == ' ' || *p == '\t' || *p == '\r' || *p == '\n'))
			p++;
		if (p >= e)
			return true;
		if (*p != '#')
			return false;
		p = memchr(p, '\n', (size_t)(e - p));
		if (!p)
			return true;
	}
	return true;
}

bool hd_lint_detect_dockerfile(const char *path, const char *base, const char *head,
			       size_t head_len, bool is_explicit)
{
	bool is_stdin = strcmp(path, "-") == 0;

	/* Standard input has no name: its first instruction decides. */
	if (!is_stdin && !hd_lint_dockerfile_name(base))
		return false;
	if (!head)
		return true; /* a candidate by name; its content is checked once read */
	if (hd_lint_looks_like_dockerfile(head, head_len))
		return true;
	/*
	 * A file named on the command line as a Dockerfile with nothing in it
	 * but comments is an empty Dockerfile: the parser says what it lacks.
	 */
	return is_explicit && !is_stdin && only_comments(head, head_len);
}

/* An absolute directory shown relative to the working directory when below it ("svc", "."). */
static const char *relative_to_cwd(const char *dir)
{
	const char *cwd = hd_cwd();
	size_t n;

	if (!cwd)
		return dir;
	n = strlen(cwd);
	if (n > 1 && !strncmp(dir, cwd, n) && (dir[n] == '/' || !dir[n]))
		return dir[n] ? dir + n + 1 : ".";
	return dir;
}

int hd_lint_dockerfile(const struct hd_lint_input *in, struct hd_findings *out)
{
	const char *path = in->path, *data = in->data;
	const struct hd_config *cfg = in->cfg;
	size_t len = in->len;
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
	/*
	 * No .dockerignore beside the Dockerfile: look where its build context
	 * is (compose build.context, docker build lines, ancestors up to the
	 * repository root, inside the linted tree; lint/context.h).
	 */
	if (path && strcmp(path, "-") != 0) {
		df->dockerignore_known = true;
		df->has_dockerignore = in->beside_ignore ? in->beside_ignore > 0
							 : hd_build_context_beside_ignore(hd_build_contexts_current(), path);
	}
	if (df->dockerignore_known && !df->has_dockerignore && in->root) {
		char ctx[4096];
		bool named = false;

		df->has_dockerignore = hd_build_context_dockerignore(hd_build_contexts_current(), in->root, path, true,
								     ctx, sizeof(ctx), &named) == HD_CTX_HAS_IGNORE;
		if (!df->has_dockerignore && ctx[0]) {
			df->build_context = hd_arena_strdup(df->arena, relative_to_cwd(ctx));
			df->build_context_named = named;
		}
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
