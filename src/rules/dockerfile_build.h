/*
 * Helpers shared by the Dockerfile rules on instructions, stages, images,
 * labels and secrets (dockerfile_build.c, dockerfile_image.c,
 * dockerfile_secrets.c).  They only read the model and append findings; none
 * allocates anything but the findings themselves.
 */
#ifndef HD_RULES_DOCKERFILE_BUILD_H
#define HD_RULES_DOCKERFILE_BUILD_H

#include <stdbool.h>
#include <stddef.h>

#include "core/config.h"
#include "core/finding.h"
#include "core/rule.h"
#include "core/severity.h"
#include "model/dockerfile.h"

/*
 * Pieces of the catalogue examples.  Good examples are fully hardened images
 * (base pinned by digest, numeric non-root USER, HEALTHCHECK, exec-form CMD)
 * so that they fire no Dockerfile rule at all.
 */
#define DFB_ALPINE "alpine:3.20@sha256:0a4eaa0eecf5f8c050e5bba433f58c052be7587ee8af3e8b3910ef9ab5fbe9f5"
#define DFB_GOOD_FROM "FROM " DFB_ALPINE "\n"
#define DFB_GOOD_FROM_AS(name) "FROM " DFB_ALPINE " AS " name "\n"
#define DFB_GOLANG_AS(name)                                                                    \
	"FROM golang:1.22@sha256:0d4b1bc4fb1e8e5e3b8a2b6f1d2c5f7d8e9a0b1c2d3e4f5a6b7c8d9e0f1a2b3c AS " name "\n"
#define DFB_GOOD_TAIL                                                                          \
	"USER 10001\n"                                                                         \
	"HEALTHCHECK CMD [\"/app\", \"--health\"]\n"                                           \
	"CMD [\"/app\"]\n"

/* The stage index of instructions before the first FROM. */
#define DFB_NO_STAGE ((uint32_t)-1)

/*
 * Appends a finding of r at span `at` of the model's Dockerfile.  sev is the
 * severity of this case, or HD_SEV_NONE for the rule's default.  at may be
 * NULL (no position).  Returns 0 or -HD_ENOMEM.
 */
int dfb_report(const struct hd_model *m, const struct hd_rule *r, struct hd_findings *out,
	       const struct hd_span *at, enum hd_severity sev, const char *fmt, ...)
	__attribute__((format(printf, 6, 7)));

/* The final stage (what `docker build` produces without --target), or NULL. */
const struct hd_stage *dfb_final_stage(const struct hd_dockerfile *df);

/* The span of the image word of a stage's FROM (the FROM instruction when absent). */
struct hd_span dfb_stage_image_span(const struct hd_dockerfile *df, const struct hd_stage *st);

/* The span of arg i of in, or of in itself when the arg is absent or has no position. */
struct hd_span dfb_arg_span(const struct hd_instr *in, size_t i);

/* A short description of a stage for messages: "the final stage", "stage 'build'", "stage 2". */
const char *dfb_stage_desc(const struct hd_stage *st, char *buf, size_t size);

/*
 * A stage defined before stage index `before` whose name matches (BuildKit
 * compares names case-insensitively), or NULL.  With before == df->n_stages
 * every stage counts.
 */
const struct hd_stage *dfb_stage_by_name(const struct hd_dockerfile *df, const char *name,
					 size_t before);

/* True if s is a non-empty string of decimal digits. */
bool dfb_is_digits(const char *s);

/* True if s (of length n) equals one of the NULL-terminated list, ignoring case. */
bool dfb_in_list_n(const char *s, size_t n, const char *const *list);

/* True if a path is absolute for a Linux or Windows container ("/x", "C:\x", "c:/x"). */
bool dfb_path_is_absolute(const char *p);

/* True if the value is a remote source ADD fetches (http(s)://, ftp://, git@, git://). */
bool dfb_is_url(const char *s);

/* The last path component of p, ignoring trailing slashes: written to buf (truncated). */
const char *dfb_basename(const char *p, char *buf, size_t size);

/* True if ENV/ARG values like these mean "off": "0", "false", "no", "off" and "". */
bool dfb_is_falsy(const char *v);

#endif
