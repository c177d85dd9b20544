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
#include <string.h>
#include <strings.h>

#include "core/config.h"
#include "core/finding.h"
#include "core/rule.h"
#include "core/severity.h"
#include "model/dockerfile.h"
#include "rules/df_util.h"

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

/* Fills *loc with span `at` (may be NULL) of the model's file; returns loc. */
static inline const struct hd_loc *dfb_loc(struct hd_loc *loc, const struct hd_model *m,
					   const struct hd_span *at)
{
	loc->file = m->df->path;
	if (at) {
		loc->line = at->line;
		loc->col = at->col;
		loc->end_line = at->end_line;
		loc->end_col = at->end_col;
	}
	return loc;
}

/*
 * Appends a finding of r at span `at` of the model's Dockerfile with a printf
 * message.  sev is the severity of this case, or HD_SEV_NONE for the rule's
 * default.  Evaluates to 0 or a negative HD_E*.  A macro, so the message is
 * formatted once and the compiler checks the format.
 */
#define dfb_report(m, r, out, at, sev, ...) \
	((void)(r), hd_report_sev((out), (sev), dfb_loc(&(struct hd_loc){ 0 }, (m), (at)), __VA_ARGS__))

/*
 * The instruction rules judge at index i of df->instrs: the instruction
 * itself, or the one an ONBUILD wraps (linted like it; its spans are on the
 * ONBUILD line, so that is where findings point).
 */
static inline const struct hd_instr *dfb_instr(const struct hd_dockerfile *df, size_t i)
{
	const struct hd_instr *in = &df->instrs[i];

	return in->kind == HD_I_ONBUILD && in->onbuild ? in->onbuild : in;
}

/* The final stage (what `docker build` produces without --target), or NULL. */
const struct hd_stage *dfb_final_stage(const struct hd_dockerfile *df);

/* The span of the image word of a stage's FROM (the FROM instruction when absent). */
struct hd_span dfb_stage_image_span(const struct hd_dockerfile *df, const struct hd_stage *st);

/* The span of arg i of in, or of in itself when the arg is absent or has no position. */
struct hd_span dfb_arg_span(const struct hd_instr *in, size_t i);

/*
 * True if st is the final stage or a stage the final stage is built FROM
 * (directly or through other stages): its content ships in the image.
 */
bool dfb_stage_feeds_final(const struct hd_dockerfile *df, const struct hd_stage *st);

/*
 * A short description of a stage for messages: "the final stage",
 * "stage 'base' (the base of the final stage)", "intermediate stage 'build'",
 * "intermediate stage 2".
 */
const char *dfb_stage_desc(const struct hd_dockerfile *df, const struct hd_stage *st, char *buf,
			   size_t size);

/* The first stage of st's chain of stages used as base: the one FROM an external image. */
const struct hd_stage *dfb_root_stage(const struct hd_dockerfile *df, const struct hd_stage *st);

/* True if the stage is built on a Windows base image (users, paths and signals differ). */
bool dfb_stage_is_windows(const struct hd_dockerfile *df, const struct hd_stage *st);

/*
 * A stage defined before stage index `before` whose name matches (BuildKit
 * compares names case-insensitively), or NULL.  With before == df->n_stages
 * every stage counts.
 */
const struct hd_stage *dfb_stage_by_name(const struct hd_dockerfile *df, const char *name,
					 size_t before);

/* True if s is a non-empty string of decimal digits. */
bool dfb_is_digits(const char *s);


/* True if a path is absolute for a Linux or Windows container ("/x", "C:\x", "c:/x"). */
bool dfb_path_is_absolute(const char *p);

/* True if the value is a remote source ADD fetches (http(s)://, ftp://, git@, git://). */
bool dfb_is_url(const char *s);

/* The last path component of p, ignoring trailing slashes: written to buf (truncated). */
const char *dfb_basename(const char *p, char *buf, size_t size);

/* True if ENV/ARG values like these mean "off": "0", "false", "no", "off" and "". */
bool dfb_is_falsy(const char *v);

#endif
