/*
 * The lint driver: the table of lintable file kinds, detection by name and
 * content, and linting one path (reading errors become findings).
 */
#include "core/common.h"
#include "core/buf.h"
#include "lint/lint.h"

const struct hd_lint_kind hd_lint_kinds[] = {
	{ NULL, NULL, NULL },
};
const size_t hd_lint_kind_count = 0;

const struct hd_lint_kind *hd_lint_kind_find(const char *name)
{
	size_t i;

	for (i = 0; i < hd_lint_kind_count; i++) {
		if (strcmp(hd_lint_kinds[i].name, name) == 0)
			return &hd_lint_kinds[i];
	}
	return NULL;
}

const struct hd_lint_kind *hd_lint_detect(const char *path, const char *head, size_t head_len,
					  bool is_explicit)
{
	const char *base = strrchr(path, '/');
	size_t i;

	base = base ? base + 1 : path;
	for (i = 0; i < hd_lint_kind_count; i++) {
		if (hd_lint_kinds[i].detect(path, base, head, head_len, is_explicit))
			return &hd_lint_kinds[i];
	}
	return NULL;
}
