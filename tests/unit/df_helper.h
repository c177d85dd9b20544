/*
 * Test helpers for Dockerfile rules: parse a Dockerfile held in a string,
 * run the Dockerfile rules on it (default config unless one is given), and
 * ask which findings came out.  Include after <cmocka.h>.
 *
 *   struct hd_findings f;
 *   df_lint("FROM alpine\n", &f);
 *   df_assert_at(&f, "dockerfile/base-image-untagged", 1, 6);
 *   hd_findings_release(&f);
 *
 * or in one line: df_fires("FROM alpine\n", "dockerfile/base-image-untagged", 1, 6)
 * and df_quiet("FROM alpine:3.20\n", "dockerfile/base-image-untagged").
 */
#ifndef HD_TEST_DF_HELPER_H
#define HD_TEST_DF_HELPER_H

#include <stdbool.h>
#include <stdio.h>
#include <string.h>

#include "core/config.h"
#include "core/finding.h"
#include "model/dockerfile.h"

struct df_opts {
	const struct hd_config *cfg; /* NULL: the default config */
	const char *path;            /* what the model's path is (NULL like the catalogue examples) */
	bool dockerignore_known;     /* pretend the build context was looked at */
	bool has_dockerignore;
	bool allow_errors;           /* do not fail on parse errors */
};

/* Prints the findings (for failure messages). */
static inline void df_print(const struct hd_findings *f)
{
	size_t i;

	for (i = 0; i < f->n; i++)
		print_message("  %u:%u %s [%s] %s\n", f->v[i].line, f->v[i].col, f->v[i].rule->id,
			      hd_severity_name(f->v[i].severity), f->v[i].message);
}

/* Parses text and runs the Dockerfile rules into out (initialised here). */
static inline void df_lint_opts(const char *text, const struct df_opts *o, struct hd_findings *out)
{
	struct hd_dockerfile *df = NULL;
	struct hd_config def;
	struct hd_model m = { .kind = HD_TARGET_DOCKERFILE };
	size_t i;

	hd_config_init(&def);
	hd_findings_init(out);
	m.cfg = o && o->cfg ? o->cfg : &def;
	assert_int_equal(hd_dockerfile_parse(o ? o->path : NULL, text, strlen(text), &df), 0);
	assert_non_null(df);
	if (!(o && o->allow_errors)) {
		for (i = 0; i < df->n_errors; i++)
			print_message("parse error %u:%u %s\n", df->errors[i].line, df->errors[i].col,
				      df->errors[i].msg);
		assert_int_equal(df->n_errors, 0);
	}
	if (o) {
		df->dockerignore_known = o->dockerignore_known;
		df->has_dockerignore = o->has_dockerignore;
	}
	m.df = df;
	assert_int_equal(hd_run_rules(&m, out), 0);
	hd_dockerfile_free(df);
	hd_config_release(&def);
}

static inline void df_lint(const char *text, struct hd_findings *out)
{
	df_lint_opts(text, NULL, out);
}

/* The number of findings of rule id. */
static inline size_t df_count(const struct hd_findings *f, const char *id)
{
	size_t i, n = 0;

	for (i = 0; i < f->n; i++)
		n += strcmp(f->v[i].rule->id, id) == 0;
	return n;
}

/* The nth finding (0-based) of rule id, or NULL. */
static inline const struct hd_finding *df_find(const struct hd_findings *f, const char *id, size_t nth)
{
	size_t i;

	for (i = 0; i < f->n; i++) {
		if (strcmp(f->v[i].rule->id, id) == 0 && nth-- == 0)
			return &f->v[i];
	}
	return NULL;
}

/* Asserts that rule id reported (at least) once at line:col (col 0: any column). */
static inline void df_assert_at(const struct hd_findings *f, const char *id, unsigned line, unsigned col)
{
	size_t i;

	for (i = 0; i < f->n; i++) {
		if (strcmp(f->v[i].rule->id, id) == 0 && f->v[i].line == line && (!col || f->v[i].col == col))
			return;
	}
	print_error("expected %s at %u:%u; findings:\n", id, line, col);
	df_print(f);
	fail();
}

/* Asserts that rule id reported nothing. */
static inline void df_assert_none(const struct hd_findings *f, const char *id)
{
	if (df_count(f, id) == 0)
		return;
	print_error("expected no %s; findings:\n", id);
	df_print(f);
	fail();
}

/* Lints text and asserts rule id fires exactly once, at line:col (col 0: any). */
static inline void df_fires_opts(const char *text, const struct df_opts *o, const char *id,
				 unsigned line, unsigned col)
{
	struct hd_findings f;

	df_lint_opts(text, o, &f);
	df_assert_at(&f, id, line, col);
	if (df_count(&f, id) != 1) {
		print_error("expected one %s, got %zu:\n", id, df_count(&f, id));
		df_print(&f);
		fail();
	}
	hd_findings_release(&f);
}

static inline void df_fires(const char *text, const char *id, unsigned line, unsigned col)
{
	df_fires_opts(text, NULL, id, line, col);
}

/* Lints text and asserts rule id stays quiet. */
static inline void df_quiet_opts(const char *text, const struct df_opts *o, const char *id)
{
	struct hd_findings f;

	df_lint_opts(text, o, &f);
	df_assert_none(&f, id);
	hd_findings_release(&f);
}

static inline void df_quiet(const char *text, const char *id)
{
	df_quiet_opts(text, NULL, id);
}

#endif
