/*
 * The compose lint kind: detection by file name, and linting a compose
 * project built by the compose loader (findings for loader issues, container
 * rules per service, project rules, inline suppressions per file).
 */
#include "core/common.h"
#include "core/buf.h"
#include "core/confine.h"
#include "lint/lint.h"
#include "lint/lint_compose.h"
#include "lint/mask.h"
#include "parse/compose.h"

#include <unistd.h>

extern const struct hd_rule hd_rule_compose_invalid, hd_rule_compose_missing_file,
	hd_rule_compose_missing_variable, hd_rule_compose_parse_error, hd_rule_compose_path_outside_project;

static bool is_yaml(const char *base)
{
	return hd_ends_with(base, ".yml") || hd_ends_with(base, ".yaml");
}

/* True when p[0..e) starts with the top-level key `key` (plain or quoted) followed by its colon. */
static bool key_at(const char *p, const char *e, const char *key)
{
	size_t n = strlen(key);
	char q = 0;

	if (p < e && (*p == '"' || *p == '\'')) {
		q = *p++;
	}
	if ((size_t)(e - p) < n + 1 || memcmp(p, key, n) != 0)
		return false;
	p += n;
	if (q) {
		if (*p != q)
			return false;
		p++;
	}
	while (p < e && (*p == ' ' || *p == '\t'))
		p++;
	if (p >= e || *p != ':')
		return false;
	p++;
	return p >= e || *p == ' ' || *p == '\t' || *p == '\r' || *p == '\n' || *p == '#' || *p == ',';
}

/*
 * True when text is a YAML mapping with a top-level services:, include: or
 * version: key (a line starting with it at column 0), or a JSON object
 * holding one of them.
 */
static bool has_compose_key(const char *text, size_t len)
{
	static const char *const keys[] = { "services", "include", "version" };
	const char *p = text, *e = text + len;
	size_t i;

	while (p < e && (*p == ' ' || *p == '\t' || *p == '\r' || *p == '\n'))
		p++;
	if (p < e && *p == '{') {
		/* JSON, which is YAML too: one of the keys somewhere in the object. */
		for (i = 0; i < HD_ARRAY_SIZE(keys); i++) {
			char quoted[16];

			snprintf(quoted, sizeof(quoted), "\"%s\"", keys[i]);
			if (memmem(p, (size_t)(e - p), quoted, strlen(quoted)))
				return true;
		}
		return false;
	}
	p = text;
	while (p && p < e) {
		for (i = 0; i < HD_ARRAY_SIZE(keys); i++) {
			if (key_at(p, e, keys[i]))
				return true;
		}
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
	bool is_stdin = strcmp(path, "-") == 0;
	size_t i;

	/* Standard input has no name: its content decides. */
	if (is_stdin)
		return head && has_compose_key(head, head_len);
	if (!is_yaml(base))
		return false;
	if (hd_compose_is_compose_name(base)) {
		if (is_explicit)
			return !head || has_compose_key(head, head_len);
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
		return !head || has_compose_key(head, head_len);
	}
	return is_explicit && head && has_compose_key(head, head_len);
}

/* The suppressions of a file of the project (each file loaded has its own). */
static const struct hd_suppressions *file_suppressions(void *ctx, const char *file)
{
	const struct hd_project_file *pf = file ? hd_project_file(ctx, file) : NULL;

	return pf ? &pf->suppress : NULL;
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
	case HD_CI_OUTSIDE:
		return &hd_rule_compose_path_outside_project;
	default:
		return &hd_rule_compose_invalid;
	}
}

/*
 * The values of the secret variables interpolation could use (given, or
 * from .env), for masking wherever they were interpolated (lint/mask.h).
 * Values written where they are assigned (environment:, an env file's
 * lines) are masked there by their name.
 */
static int note_secrets(const struct hd_project *p, struct hd_strlist *secrets)
{
	size_t i;
	int r = 0;

	for (i = 0; r >= 0 && i < p->variables.n; i++)
		r = hd_mask_note(secrets, p->variables.v[i].key, p->variables.v[i].value);
	return r;
}

static int lint_files(const struct hd_compose_file *files, size_t n, const char *root,
		      const struct hd_config *cfg, struct hd_strlist *secrets, struct hd_findings *out)
{
	struct hd_compose_opts opts = { 0 };
	struct hd_compose_issues issues;
	struct hd_project *p = NULL;
	struct hd_findings f;
	struct hd_model m = { .cfg = cfg };
	size_t i;
	int r;

	hd_compose_issues_init(&issues);
	hd_findings_init(&f);
	/* Without a tree (standard input) no other file is read. */
	opts.root = root;
	opts.no_disk = !root;
	opts.env = cfg && cfg->env.n ? (const char *const *)cfg->env.v : NULL;
	r = hd_compose_load(files, n, &opts, &p, &issues);
	if (r < 0)
		goto out;
	if (secrets) {
		r = note_secrets(p, secrets);
		if (r < 0)
			goto out;
	}
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
	hd_suppress_filter(&f, cfg, file_suppressions, p);
	r = hd_findings_move(out, &f);
out:
	hd_findings_release(&f);
	hd_compose_issues_release(&issues);
	hd_project_free(p);
	return r;
}

int hd_lint_compose(const struct hd_lint_input *in, struct hd_findings *out)
{
	struct hd_compose_file file = { in->path, in->data, in->len };

	return lint_files(&file, 1, in->root, in->cfg, in->secrets, out);
}

int hd_lint_compose_files(const char *const *paths, size_t n, const char *root,
			  const struct hd_config *cfg, struct hd_findings *out)
{
	struct hd_compose_file *files;
	struct hd_buf *bufs;
	struct hd_strlist secrets = { 0 };
	size_t i, n_read = 0, before = out->n;
	int r = 0;

	if (!n)
		return 0;
	files = hd_calloc(n, sizeof(*files));
	bufs = hd_calloc(n, sizeof(*bufs));
	if (!files || !bufs) {
		hd_free(files);
		hd_free(bufs);
		return -HD_ENOMEM;
	}
	/* Named on the command line: read as given (regular files only), like any explicit input. */
	for (i = 0; i < n && r >= 0; i++) {
		struct hd_loc loc = { .file = paths[i] };

		hd_buf_init(&bufs[i], HD_MAX_FILE_SIZE);
		r = hd_read_regular(paths[i], &bufs[i]);
		if (r == -HD_ENOMEM)
			break;
		if (r < 0) {
			r = hd_report_rule(out, &hd_rule_lint_read_error, cfg, &loc, "cannot read '%s': %s", paths[i],
					   hd_strerror(r));
			continue;
		}
		files[n_read].path = paths[i];
		files[n_read].data = bufs[i].buf;
		files[n_read].len = bufs[i].len;
		n_read++;
	}
	if (r >= 0 && n_read)
		r = lint_files(files, n_read, root, cfg, &secrets, out);
	/* Nothing leaves here with a secret value in it. */
	if (r >= 0)
		r = hd_mask_findings(out, before, &secrets, NULL);
	hd_strlist_release(&secrets);
	for (i = 0; i < n; i++)
		hd_buf_release(&bufs[i]);
	hd_free(bufs);
	hd_free(files);
	return r;
}
