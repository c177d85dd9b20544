/*
 * libFuzzer target for the run-line parser and the script lint kinds.  The
 * first byte picks the entry point: 0 feeds the rest as NUL- or
 * newline-separated words straight to hd_runline_match/hd_runline_parse
 * (any word content, expansion flags from the word's first byte); 1..6 lint
 * the rest as a shell script, Makefile, systemd unit, GitHub workflow,
 * GitLab CI file or Markdown page, running every container rule.  Only
 * success or a clean -HD_ENOMEM is acceptable; sanitizers catch the rest.
 */
#include "core/common.h"
#include "core/config.h"
#include "lint/lint_scripts.h"
#include "model/shell.h"
#include "parse/runline.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#define MAX_WORDS 256

static void fuzz_words(const char *s, size_t n)
{
	static struct hd_run_word w[MAX_WORDS];
	char *copy = hd_malloc(n + 1);
	struct hd_run_match m;
	size_t nw = 0, i, start = 0;

	if (!copy)
		return;
	memcpy(copy, s, n);
	copy[n] = '\0';
	for (i = 0; i <= n && nw < MAX_WORDS; i++) {
		if (i == n || copy[i] == '\0' || copy[i] == '\n') {
			if (i < n)
				copy[i] = '\0';
			w[nw].text = copy + start;
			w[nw].line = 1;
			w[nw].col = (uint32_t)start + 1;
			w[nw].flags = (copy[start] & 1) ? HD_WORD_EXPANSION : 0;
			nw++;
			start = i + 1;
		}
	}
	/* Words that are no invocation are parsed as `docker run` arguments all the same. */
	if (!hd_runline_match(w, nw, &m)) {
		memset(&m, 0, sizeof(m));
		m.args_at = nw ? 1 : 0;
	}
	{
		struct hd_container_spec *c = hd_container_spec_new(HD_SRC_RUN, "fuzz", "fuzz.sh");
		struct hd_config cfg;
		struct hd_findings out;
		struct hd_model md = { .kind = HD_TARGET_CONTAINER };

		if (c) {
			if (hd_runline_parse(w, nw, &m, c) == 0) {
				hd_config_init(&cfg);
				hd_findings_init(&out);
				md.cfg = &cfg;
				md.ctr = c;
				(void)hd_run_rules(&md, &out);
				hd_findings_release(&out);
				hd_config_release(&cfg);
			}
			hd_container_spec_free(c);
		}
	}
	hd_free(copy);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	typedef int lint_fn(const struct hd_lint_input *, struct hd_findings *);
	static lint_fn *const kinds[] = {
		hd_lint_kind_script_shell_lint,  hd_lint_kind_script_make_lint,
		hd_lint_kind_script_systemd_lint, hd_lint_kind_script_github_lint,
		hd_lint_kind_script_gitlab_lint, hd_lint_kind_script_markdown_lint,
	};
	static const char *const names[] = { "fuzz.sh", "Makefile", "fuzz.service",
					     ".github/workflows/fuzz.yml", ".gitlab-ci.yml", "fuzz.md" };
	struct hd_config cfg;
	struct hd_findings out;
	char *text;
	unsigned k;

	if (size < 1)
		return 0;
	k = data[0] % 7u;
	if (k == 0) {
		fuzz_words((const char *)data + 1, size - 1);
		return 0;
	}
	/* The kinds get NUL-terminated input, as the lint driver gives it. */
	text = hd_malloc(size);
	if (!text)
		return 0;
	memcpy(text, data + 1, size - 1);
	text[size - 1] = '\0';
	hd_config_init(&cfg);
	hd_findings_init(&out);
	(void)kinds[k - 1](&(struct hd_lint_input){ .path = names[k - 1], .data = text, .len = size - 1, .root = NULL, .cfg = &cfg }, &out);
	hd_findings_release(&out);
	hd_config_release(&cfg);
	hd_free(text);
	return 0;
}
