/*
 * Dockerfile rules on what the image is built from and what it says about
 * itself: base image tags, digests, registries and the allowed list, FROM
 * --platform, Docker Content Trust switched off, and LABEL keys and values
 * (the label schema of the config).  Base images are judged after ARG
 * expansion, in every stage, and messages say whether the stage is the
 * final one; stages built on an earlier stage, scratch and references that
 * stay unresolved are left alone.
 */
#include "core/common.h"
#include "model/dockerfile_pm.h"
#include "rules/dockerfile_build.h"

/* True if the base image of st is an external image this rule can judge. */
static bool judgeable_base(const struct hd_stage *st)
{
	return st->base_stage < 0 && !st->base.is_scratch && !st->base.has_unresolved_var &&
	       st->base.raw && *st->base.raw && st->base.repository;
}

/* ---- tags (DL3006, DL3007) -------------------------------------------- */

static hd_check_fn check_base_latest;
static int check_base_latest(const struct hd_model *m, const struct hd_rule *r,
			     struct hd_check *out)
{
	const struct hd_dockerfile *df = m->df;
	char desc[160];
	size_t i;
	int ret;

	for (i = 0; i < df->n_stages; i++) {
		const struct hd_stage *st = &df->stages[i];
		struct hd_span at;

		if (!judgeable_base(st) || !st->base.tag || strcmp(st->base.tag, "latest") != 0 ||
		    st->base.digest)
			continue;
		at = dfb_stage_image_span(df, st);
		ret = dfb_report(m, r, out, &at, dfb_stage_feeds_final(df, st) ? HD_SEV_NONE : HD_SEV_LOW,
				 "base image '%s' of %s uses the 'latest' tag", st->base.raw,
				 dfb_stage_desc(df, st, desc, sizeof(desc)));
		if (ret < 0)
			return ret;
	}
	return 0;
}

const struct hd_rule hd_rule_df_base_image_latest = {
	.id = "dockerfile/base-image-latest",
	.title = "Base image uses the 'latest' tag",
	.severity = HD_SEV_MEDIUM,
	.target = HD_TARGET_DOCKERFILE,
	.cis = "4.2",
	.owasp = "D02,D09",
	.hadolint = "DL3007",
	.other = "dockle:DKL-DI-0006 checkov:CKV_DOCKER_7 trivy:DS001",
	.rationale = "`latest` moves: two builds of the same commit get different base images, a "
		     "rebuild can pull in a major upgrade or a compromised push, and nobody can say "
		     "which base a running image has. ARG defaults are expanded first, so "
		     "`ARG TAG=latest` + `FROM python:$TAG` is reported (hadolint misses it). A "
		     "reference pinned by digest is exact whatever its tag, so it is not reported. "
		     "Intermediate stages are reported at low severity: they only affect what is "
		     "copied out of them.",
	.remediation = "Pin a version, ideally with its digest: "
		       "`FROM python:3.12-slim@sha256:<digest>` (`docker buildx imagetools inspect "
		       "python:3.12-slim` prints it).",
	.bad_example = "FROM alpine:latest\n" DFB_GOOD_TAIL,
	.good_example = DFB_GOOD_FROM DFB_GOOD_TAIL,
	.check = check_base_latest,
};

static hd_check_fn check_base_untagged;
static int check_base_untagged(const struct hd_model *m, const struct hd_rule *r,
			       struct hd_check *out)
{
	const struct hd_dockerfile *df = m->df;
	char desc[160];
	size_t i;
	int ret;

	for (i = 0; i < df->n_stages; i++) {
		const struct hd_stage *st = &df->stages[i];
		struct hd_span at;

		if (!judgeable_base(st) || st->base.tag || st->base.digest)
			continue;
		at = dfb_stage_image_span(df, st);
		ret = dfb_report(m, r, out, &at, dfb_stage_feeds_final(df, st) ? HD_SEV_NONE : HD_SEV_LOW,
				 "base image '%s' of %s has no tag, so it means '%s:latest'", st->base.raw,
				 dfb_stage_desc(df, st, desc, sizeof(desc)), st->base.raw);
		if (ret < 0)
			return ret;
	}
	return 0;
}

const struct hd_rule hd_rule_df_base_image_untagged = {
	.id = "dockerfile/base-image-untagged",
	.title = "Base image has no tag",
	.severity = HD_SEV_MEDIUM,
	.target = HD_TARGET_DOCKERFILE,
	.cis = "4.2",
	.owasp = "D02,D09",
	.hadolint = "DL3006",
	.other = "dockle:DKL-DI-0006 checkov:CKV_DOCKER_7 trivy:DS001",
	.rationale = "An untagged reference is `latest`, with all its drift. `scratch`, earlier stages "
		     "used as base and references pinned by digest are exempt. ARG/ENV are expanded "
		     "before judging: `ARG BASE=ubuntu` + `FROM $BASE` is untagged, while a variable "
		     "with no value to expand is left alone (it is set at build time).",
	.remediation = "Name a version, ideally with its digest: `FROM ubuntu:24.04@sha256:<digest>`.",
	.bad_example = "FROM alpine\n" DFB_GOOD_TAIL,
	.good_example = DFB_GOOD_FROM DFB_GOOD_TAIL,
	.check = check_base_untagged,
};

/* ---- digest pinning --------------------------------------------------- */

static hd_check_fn check_base_not_pinned;
static int check_base_not_pinned(const struct hd_model *m, const struct hd_rule *r,
				 struct hd_check *out)
{
	const struct hd_dockerfile *df = m->df;
	char desc[160];
	size_t i;
	int ret;

	for (i = 0; i < df->n_stages; i++) {
		const struct hd_stage *st = &df->stages[i];
		struct hd_span at;

		/* Untagged and latest references have their own, stronger rules. */
		if (!judgeable_base(st) || st->base.digest || !st->base.tag ||
		    strcmp(st->base.tag, "latest") == 0)
			continue;
		at = dfb_stage_image_span(df, st);
		ret = dfb_report(m, r, out, &at, dfb_stage_feeds_final(df, st) ? HD_SEV_NONE : HD_SEV_INFO,
				 "base image '%s' of %s is not pinned by digest: the tag can be moved "
				 "to other content",
				 st->base.raw, dfb_stage_desc(df, st, desc, sizeof(desc)));
		if (ret < 0)
			return ret;
	}
	return 0;
}

const struct hd_rule hd_rule_df_base_image_not_pinned = {
	.id = "dockerfile/base-image-not-pinned",
	.title = "Base image not pinned by digest",
	.severity = HD_SEV_LOW,
	.target = HD_TARGET_DOCKERFILE,
	.cis = "4.2",
	.owasp = "D08,D09",
	.other = "trivy:DS001",
	.rationale = "A tag is a pointer the publisher (or anyone who takes over the account or "
		     "registry) can move; only a digest names exact content, so only a digest makes "
		     "the build reproducible and immune to a swapped base. Tools like Renovate and "
		     "Dependabot keep digests up to date. Intermediate stages are reported at info: "
		     "their content reaches the image only through COPY --from. References that "
		     "are untagged or `latest` are reported by their own rules instead.",
	.remediation = "Add the digest beside the tag: `FROM nginx:1.27@sha256:<64 hex>`; get it "
		       "with `docker buildx imagetools inspect nginx:1.27`.",
	.bad_example = "FROM alpine:3.20\n" DFB_GOOD_TAIL,
	.good_example = DFB_GOOD_FROM DFB_GOOD_TAIL,
	.check = check_base_not_pinned,
};

/* ---- trusted registries (DL3026) and allowed base images -------------- */

static hd_check_fn check_base_untrusted;
static int check_base_untrusted(const struct hd_model *m, const struct hd_rule *r,
				struct hd_check *out)
{
	const struct hd_dockerfile *df = m->df;
	char desc[160];
	size_t i;
	int ret;

	if (!m->cfg || m->cfg->trusted_registries.n == 0)
		return HD_RULE_NOT_APPLICABLE;
	for (i = 0; i < df->n_stages; i++) {
		const struct hd_stage *st = &df->stages[i];
		struct hd_span at;

		if (!judgeable_base(st) || !st->base.registry ||
		    hd_config_registry_trusted(m->cfg, st->base.registry))
			continue;
		at = dfb_stage_image_span(df, st);
		ret = dfb_report(m, r, out, &at, HD_SEV_NONE,
				 "base image '%s' of %s comes from registry '%s', which is not in "
				 "the trusted registries",
				 st->base.raw, dfb_stage_desc(df, st, desc, sizeof(desc)), st->base.registry);
		if (ret < 0)
			return ret;
	}
	return 0;
}

const struct hd_rule hd_rule_df_base_image_untrusted_registry = {
	.id = "dockerfile/base-image-untrusted-registry",
	.title = "Base image from a registry that is not trusted",
	.severity = HD_SEV_HIGH,
	.target = HD_TARGET_DOCKERFILE,
	.cis = "4.2",
	.owasp = "D08",
	.hadolint = "DL3026",
	.rationale = "Images are code that runs in production; a policy naming the registries that "
		     "are mirrored, scanned and signed keeps a typo-squatted or unvetted image out. "
		     "Active only when `trusted-registries` is set in the config (hadolint's "
		     "`trustedRegistries` is read too); `*.corp.example` and `*` patterns work, and "
		     "Docker Hub's historical names count as docker.io. Every stage is checked: a "
		     "build stage runs code during the build.",
	.remediation = "Pull the base through a trusted registry, e.g. with `trusted-registries: "
		       "[registry.corp.example]` write "
		       "`FROM registry.corp.example/library/python:3.12-slim@sha256:<digest>`.",
	/* Not applicable without the list: the comment says which config makes it fire. */
	.bad_example = "# Fires with this in .hardock.yaml: trusted-registries: [docker.io]\n"
		       "FROM quay.io/acme/base:1.0@sha256:"
		       "7d3b9b1e2a4c5f60718293a4b5c6d7e8f90a1b2c3d4e5f60718293a4b5c6d7e8\n" DFB_GOOD_TAIL,
	.good_example = DFB_GOOD_FROM DFB_GOOD_TAIL,
	.check = check_base_untrusted,
};

/* True if pattern (a reference, or a prefix ending in '*') matches s. */
static bool ref_pattern_match(const char *pat, const char *s)
{
	size_t n = strlen(pat);

	if (n && pat[n - 1] == '*')
		return strncmp(pat, s, n - 1) == 0;
	return strcmp(pat, s) == 0;
}

/*
 * True if the allowed list admits base reference b.  An entry matches the
 * reference written in full or short ("python", "library/python",
 * "docker.io/library/python"), with or without its tag and digest; an entry
 * without tag or digest admits every tag.
 */
static bool base_allowed(const struct hd_strlist *allowed, const struct hd_image_ref *b)
{
	char names[3][512];
	size_t n_names = 0, i, j, k;
	int len;

	len = snprintf(names[0], sizeof(names[0]), "%s/%s", b->registry, b->repository);
	if (len > 0 && (size_t)len < sizeof(names[0]))
		n_names++;
	if (strcmp(b->registry, "docker.io") == 0) {
		len = snprintf(names[n_names], sizeof(names[0]), "%s", b->repository);
		if (len > 0 && (size_t)len < sizeof(names[0]))
			n_names++;
		if (hd_starts_with(b->repository, "library/")) {
			len = snprintf(names[n_names], sizeof(names[0]), "%s", b->repository + 8);
			if (len > 0 && (size_t)len < sizeof(names[0]))
				n_names++;
		}
	}
	for (i = 0; i < allowed->n; i++) {
		const char *pat = allowed->v[i];

		if (ref_pattern_match(pat, b->raw))
			return true;
		for (j = 0; j < n_names; j++) {
			/* The name alone, with its tag, with its digest, with both. */
			for (k = 0; k < 4; k++) {
				char cand[1200];

				if (((k & 1) && !b->tag) || ((k & 2) && !b->digest))
					continue;
				len = snprintf(cand, sizeof(cand), "%s%s%s%s%s", names[j],
					       (k & 1) ? ":" : "", (k & 1) ? b->tag : "",
					       (k & 2) ? "@" : "", (k & 2) ? b->digest : "");
				if (len < 0 || (size_t)len >= sizeof(cand))
					continue;
				if (ref_pattern_match(pat, cand))
					return true;
			}
		}
	}
	return false;
}

static hd_check_fn check_base_not_allowed;
static int check_base_not_allowed(const struct hd_model *m, const struct hd_rule *r,
				  struct hd_check *out)
{
	const struct hd_dockerfile *df = m->df;
	char desc[160];
	size_t i;
	int ret;

	if (!m->cfg || m->cfg->allowed_base_images.n == 0)
		return HD_RULE_NOT_APPLICABLE;
	for (i = 0; i < df->n_stages; i++) {
		const struct hd_stage *st = &df->stages[i];
		struct hd_span at;

		if (!judgeable_base(st) || !st->base.registry ||
		    base_allowed(&m->cfg->allowed_base_images, &st->base))
			continue;
		at = dfb_stage_image_span(df, st);
		ret = dfb_report(m, r, out, &at, HD_SEV_NONE,
				 "base image '%s' of %s is not in the allowed base images",
				 st->base.raw, dfb_stage_desc(df, st, desc, sizeof(desc)));
		if (ret < 0)
			return ret;
	}
	return 0;
}

const struct hd_rule hd_rule_df_base_image_not_allowed = {
	.id = "dockerfile/base-image-not-allowed",
	.title = "Base image not in the allowed list",
	.severity = HD_SEV_HIGH,
	.target = HD_TARGET_DOCKERFILE,
	.cis = "4.2",
	.owasp = "D08",
	.rationale = "A short list of approved base images (hardened, scanned, patched by a known "
		     "team) is the practical form of CIS 4.2. Active only when `allowed-base-images` is "
		     "set; entries are references (`python:3.12-slim`, `docker.io/library/python`) or "
		     "prefixes ending in `*` (`registry.corp.example/base/*`). An entry without a tag "
		     "admits every tag of that repository; short and full Docker Hub names are "
		     "equivalent.",
	.remediation = "Build from an approved image, e.g. with `allowed-base-images: "
		       "[\"registry.corp.example/base/*\"]` write "
		       "`FROM registry.corp.example/base/python:3.12@sha256:<digest>`.",
	.bad_example = "# Fires with this in .hardock.yaml: allowed-base-images: [python:3.12*]\n"
		       DFB_GOOD_FROM DFB_GOOD_TAIL,
	.good_example = DFB_GOOD_FROM DFB_GOOD_TAIL,
	.check = check_base_not_allowed,
};

/* ---- FROM --platform (DL3029, DL3065) --------------------------------- */

static hd_check_fn check_from_platform;
static int check_from_platform(const struct hd_model *m, const struct hd_rule *r,
			       struct hd_check *out)
{
	const struct hd_dockerfile *df = m->df;
	size_t i;
	int ret;

	for (i = 0; i < df->n_stages; i++) {
		const struct hd_instr *in = &df->instrs[df->stages[i].from];
		const struct hd_flag *f = hd_instr_flag(in, "platform");

		if (!f || !f->value || strchr(f->value, '$'))
			continue;
		ret = dfb_report(m, r, out, &f->span, HD_SEV_NONE,
				 "FROM --platform=%s pins the platform: the image cannot be built for "
				 "another one",
				 f->value);
		if (ret < 0)
			return ret;
	}
	return 0;
}

const struct hd_rule hd_rule_df_from_platform = {
	.id = "dockerfile/from-platform",
	.title = "FROM pins a fixed --platform",
	.severity = HD_SEV_INFO,
	.target = HD_TARGET_DOCKERFILE,
	.hadolint = "DL3029",
	.rationale = "A hard-coded platform makes `docker build --platform` and multi-platform builds "
		     "silently produce, or emulate, the wrong architecture. Variables such as "
		     "`$BUILDPLATFORM` (the cross-compilation idiom) are not reported; hadolint "
		     "reports them too.",
	.remediation = "Drop the flag and choose the platform at build time "
		       "(`docker buildx build --platform linux/amd64,linux/arm64`), or use "
		       "`FROM --platform=$BUILDPLATFORM` for a cross-compiling build stage.",
	.bad_example = "FROM --platform=linux/amd64 " DFB_ALPINE "\n" DFB_GOOD_TAIL,
	.good_example = DFB_GOOD_FROM DFB_GOOD_TAIL,
	.check = check_from_platform,
};

static hd_check_fn check_from_platform_redundant;
static int check_from_platform_redundant(const struct hd_model *m, const struct hd_rule *r,
					 struct hd_check *out)
{
	const struct hd_dockerfile *df = m->df;
	size_t i;
	int ret;

	for (i = 0; i < df->n_stages; i++) {
		const struct hd_instr *in = &df->instrs[df->stages[i].from];
		const struct hd_flag *f = hd_instr_flag(in, "platform");

		if (!f || !f->value || (strcmp(f->value, "$TARGETPLATFORM") != 0 &&
					strcmp(f->value, "${TARGETPLATFORM}") != 0))
			continue;
		ret = dfb_report(m, r, out, &f->span, HD_SEV_NONE,
				 "FROM --platform=%s is the default and can be removed", f->value);
		if (ret < 0)
			return ret;
	}
	return 0;
}

const struct hd_rule hd_rule_df_from_platform_redundant = {
	.id = "dockerfile/from-platform-redundant",
	.title = "FROM --platform=$TARGETPLATFORM is redundant",
	.severity = HD_SEV_INFO,
	.target = HD_TARGET_DOCKERFILE,
	.hadolint = "DL3065",
	.rationale = "The target platform is what FROM uses anyway; the flag is noise that suggests a "
		     "cross-build where there is none.",
	.remediation = "Remove the flag: `FROM alpine:3.20@sha256:<digest>`.",
	.bad_example = "FROM --platform=$TARGETPLATFORM " DFB_ALPINE "\n" DFB_GOOD_TAIL,
	.good_example = DFB_GOOD_FROM DFB_GOOD_TAIL,
	.check = check_from_platform_redundant,
};

/* ---- Docker Content Trust (CIS 4.5) ----------------------------------- */

/* True if a shell word is NAME=value with NAME DOCKER_CONTENT_TRUST and value off. */
static bool dct_assign_off(const char *w)
{
	static const char name[] = "DOCKER_CONTENT_TRUST=";

	return strncmp(w, name, sizeof(name) - 1) == 0 && dfb_is_falsy(w + sizeof(name) - 1);
}

static int dct_report_word(const struct hd_model *m, const struct hd_rule *r,
			   struct hd_check *out, const struct hd_instr *in,
			   const struct hd_word *w, const char *what)
{
	struct hd_span at = hd_instr_word_span(in, w);

	return dfb_report(m, r, out, &at, HD_SEV_NONE,
			  "'%s' turns Docker Content Trust off for %s", w->text, what);
}

static int dct_check_shell(const struct hd_model *m, const struct hd_rule *r,
			   struct hd_check *out, const struct hd_instr *in)
{
	size_t c, k;
	int ret;

	for (c = 0; c < in->shell->n_cmds; c++) {
		const struct hd_cmd *cmd = &in->shell->cmds[c];
		const char *name = hd_cmd_name(cmd);
		bool sets_env = !strcmp(name, "export") || !strcmp(name, "declare") || !strcmp(name, "env");

		for (k = 0; k < cmd->n_assigns; k++) {
			if (!dct_assign_off(cmd->assigns[k].text))
				continue;
			ret = dct_report_word(m, r, out, in, &cmd->assigns[k],
					      *name ? "this command" : "the rest of the RUN");
			if (ret < 0)
				return ret;
		}
		for (k = 1; k < cmd->argc; k++) {
			const char *w = cmd->argv[k].text;
			bool off = false;

			if (sets_env) {
				off = dct_assign_off(w);
			} else if (!strcmp(name, "docker") && !strncmp(w, "--disable-content-trust", 23)) {
				off = w[23] == '\0' || (w[23] == '=' && !dfb_is_falsy(w + 24));
			}
			if (!off)
				continue;
			ret = dct_report_word(m, r, out, in, &cmd->argv[k],
					      sets_env ? "the rest of the RUN" : "this docker command");
			if (ret < 0)
				return ret;
		}
	}
	return 0;
}

static hd_check_fn check_content_trust;
static int check_content_trust(const struct hd_model *m, const struct hd_rule *r,
			       struct hd_check *out)
{
	const struct hd_dockerfile *df = m->df;
	size_t i, k;
	int ret;

	for (i = 0; i < df->n_instrs; i++) {
		const struct hd_instr *in = dfb_instr(df, i);

		if (in->kind == HD_I_RUN && in->shell) {
			/*
			 * Only assignments, export/env/declare and docker can turn it
			 * off, and most RUNs never mention it: one search before
			 * looking at words.
			 */
			if (!(in->tools & (HD_TOOL_BIT(HD_TOOL_ASSIGN) | HD_TOOL_BIT(HD_TOOL_EXPORT) |
					   HD_TOOL_BIT(HD_TOOL_DOCKER))) ||
			    !in->text || (!strstr(in->text, "CONTENT_TRUST") && !strstr(in->text, "content-trust")))
				continue;
			ret = dct_check_shell(m, r, out, in);
			if (ret < 0)
				return ret;
			continue;
		}
		if (in->kind != HD_I_ENV && in->kind != HD_I_ARG)
			continue;
		for (k = 0; k < in->n_kvs; k++) {
			const struct hd_kv *kv = &in->kvs[k];
			const char *v = kv->expanded ? kv->expanded : kv->value;

			if (strcmp(kv->key, "DOCKER_CONTENT_TRUST") != 0 || !v || kv->unresolved ||
			    !dfb_is_falsy(v))
				continue;
			ret = dfb_report(m, r, out, &kv->span, HD_SEV_NONE,
					 "%s DOCKER_CONTENT_TRUST=%s turns image signature verification off",
					 hd_instr_name(in->kind), v);
			if (ret < 0)
				return ret;
		}
	}
	return 0;
}

const struct hd_rule hd_rule_df_content_trust_disabled = {
	.id = "dockerfile/content-trust-disabled",
	.title = "Docker Content Trust turned off",
	.severity = HD_SEV_MEDIUM,
	.target = HD_TARGET_DOCKERFILE,
	.cis = "4.5",
	.owasp = "D08",
	.rationale = "With DOCKER_CONTENT_TRUST=1 the docker client only pulls, builds from and runs "
		     "signed images. Setting it to 0 in ENV or ARG, in a RUN command's environment, or "
		     "passing `--disable-content-trust` to docker inside RUN switches the check off for "
		     "everything that follows, usually to get an unsigned image past it.",
	.remediation = "Remove the override and sign the images you depend on, or pin them by digest: "
		       "`ENV DOCKER_CONTENT_TRUST=1`.",
	.bad_example = DFB_GOOD_FROM "ENV DOCKER_CONTENT_TRUST=0\n" DFB_GOOD_TAIL,
	.good_example = DFB_GOOD_FROM "ENV DOCKER_CONTENT_TRUST=1\n" DFB_GOOD_TAIL,
	.check = check_content_trust,
};

/* ---- labels (DL3048-DL3058) ------------------------------------------- */

enum label_type {
	LT_NONE,
	LT_TEXT,
	LT_URL,
	LT_RFC3339,
	LT_SPDX,
	LT_HASH,
	LT_SEMVER,
	LT_EMAIL,
	LT_MAX
};

static const char *const label_type_names[LT_MAX] = {
	[LT_NONE] = "", [LT_TEXT] = "text", [LT_URL] = "url", [LT_RFC3339] = "rfc3339",
	[LT_SPDX] = "spdx", [LT_HASH] = "hash", [LT_SEMVER] = "semver", [LT_EMAIL] = "email",
};

static const char *const label_type_desc[LT_MAX] = {
	[LT_NONE] = "", [LT_TEXT] = "text", [LT_URL] = "a URL", [LT_RFC3339] = "an RFC 3339 time",
	[LT_SPDX] = "an SPDX license expression", [LT_HASH] = "a git commit hash",
	[LT_SEMVER] = "a semantic version", [LT_EMAIL] = "an e-mail address",
};

/*
 * Splits a required-labels entry "key" or "key:type" (hadolint's label-schema
 * written as a list); returns the key length and sets *type (LT_TEXT when
 * none is given).
 */
static size_t req_split(const char *e, enum label_type *type)
{
	const char *colon = strrchr(e, ':');
	int t;

	*type = LT_TEXT;
	if (!colon)
		return strlen(e);
	for (t = LT_TEXT; t < LT_MAX; t++) {
		if (strcasecmp(colon + 1, label_type_names[t]) == 0) {
			*type = (enum label_type)t;
			return (size_t)(colon - e);
		}
	}
	return strlen(e);
}

/* The required-labels entry for key, or NULL. */
static const char *req_find(const struct hd_config *c, const char *key, enum label_type *type)
{
	size_t i, n = strlen(key);

	if (!c)
		return NULL;
	for (i = 0; i < c->required_labels.n; i++) {
		size_t len = req_split(c->required_labels.v[i], type);

		if (len == n && strncmp(c->required_labels.v[i], key, n) == 0)
			return c->required_labels.v[i];
	}
	return NULL;
}

/* The type of label key: from the config, else from the OCI and label-schema specs. */
static enum label_type label_type_of(const struct hd_config *c, const char *key)
{
	static const struct { const char *key; enum label_type type; } known[] = {
		{ "org.opencontainers.image.url", LT_URL },
		{ "org.opencontainers.image.source", LT_URL },
		{ "org.opencontainers.image.documentation", LT_URL },
		{ "org.opencontainers.image.created", LT_RFC3339 },
		{ "org.opencontainers.image.licenses", LT_SPDX },
		{ "org.label-schema.url", LT_URL },
		{ "org.label-schema.vcs-url", LT_URL },
		{ "org.label-schema.usage", LT_URL },
		{ "org.label-schema.build-date", LT_RFC3339 },
	};
	enum label_type t;
	size_t i;

	if (req_find(c, key, &t))
		return t;
	if (strncmp(key, "org.", 4) != 0)
		return LT_NONE;
	for (i = 0; i < HD_ARRAY_SIZE(known); i++) {
		if (strcmp(key, known[i].key) == 0)
			return known[i].type;
	}
	return LT_NONE;
}

static const char *kv_value(const struct hd_kv *kv)
{
	if (kv->expanded)
		return kv->expanded;
	return kv->value ? kv->value : "";
}

static bool valid_url(const char *s)
{
	const char *p = s;

	if (!isalpha((unsigned char)*p))
		return false;
	while (isalnum((unsigned char)*p) || *p == '+' || *p == '-' || *p == '.')
		p++;
	if (strncmp(p, "://", 3) != 0)
		return false;
	p += 3;
	if (!*p || *p == '/' || *p == '?' || *p == '#')
		return false;
	for (; *p; p++) {
		if ((unsigned char)*p <= ' ' || *p == '"' || *p == '<' || *p == '>' || *p == '\\')
			return false;
	}
	return true;
}

/* Reads exactly n digits at *p into *v. */
static bool read_digits(const char **p, int n, int *v)
{
	int i;

	*v = 0;
	for (i = 0; i < n; i++) {
		if ((*p)[i] < '0' || (*p)[i] > '9')
			return false;
		*v = *v * 10 + ((*p)[i] - '0');
	}
	*p += n;
	return true;
}

static bool valid_rfc3339(const char *p)
{
	int y, mo, d, h, mi, s, oh, om;

	if (!read_digits(&p, 4, &y) || *p++ != '-' || !read_digits(&p, 2, &mo) || *p++ != '-' ||
	    !read_digits(&p, 2, &d))
		return false;
	if (*p != 'T' && *p != 't' && *p != ' ')
		return false;
	p++;
	if (!read_digits(&p, 2, &h) || *p++ != ':' || !read_digits(&p, 2, &mi) || *p++ != ':' ||
	    !read_digits(&p, 2, &s))
		return false;
	if (mo < 1 || mo > 12 || d < 1 || d > 31 || h > 23 || mi > 59 || s > 60)
		return false;
	(void)y;
	if (*p == '.') {
		p++;
		if (!isdigit((unsigned char)*p))
			return false;
		while (isdigit((unsigned char)*p))
			p++;
	}
	if (*p == 'Z' || *p == 'z')
		return p[1] == '\0';
	if (*p != '+' && *p != '-')
		return false;
	p++;
	if (!read_digits(&p, 2, &oh) || *p++ != ':' || !read_digits(&p, 2, &om))
		return false;
	return *p == '\0' && oh <= 23 && om <= 59;
}

/* SPDX license expressions: a small recursive-descent parser over the syntax. */
struct spdx {
	const char *p;
	int depth;
};

static void spdx_ws(struct spdx *x)
{
	while (*x->p == ' ' || *x->p == '\t')
		x->p++;
}

/* Reads an identifier; returns its length (0 if none). */
static size_t spdx_id(struct spdx *x)
{
	const char *s = x->p;

	while (isalnum((unsigned char)*x->p) || *x->p == '.' || *x->p == '-' || *x->p == ':')
		x->p++;
	if (x->p > s && *x->p == '+')
		x->p++;
	return (size_t)(x->p - s);
}

static bool spdx_op(struct spdx *x, const char *op)
{
	size_t n = strlen(op);

	if (strncasecmp(x->p, op, n) != 0 || (x->p[n] != ' ' && x->p[n] != '(' && x->p[n] != '\t'))
		return false;
	x->p += n;
	return true;
}

static bool spdx_expr(struct spdx *x);

static bool spdx_term(struct spdx *x)
{
	spdx_ws(x);
	if (*x->p == '(') {
		x->p++;
		if (++x->depth > 32 || !spdx_expr(x))
			return false;
		x->depth--;
		spdx_ws(x);
		if (*x->p != ')')
			return false;
		x->p++;
		return true;
	}
	if (!spdx_id(x))
		return false;
	spdx_ws(x);
	if (spdx_op(x, "WITH")) {
		spdx_ws(x);
		return spdx_id(x) > 0;
	}
	return true;
}

static bool spdx_expr(struct spdx *x)
{
	if (!spdx_term(x))
		return false;
	for (;;) {
		spdx_ws(x);
		if (!spdx_op(x, "AND") && !spdx_op(x, "OR"))
			return true;
		if (!spdx_term(x))
			return false;
	}
}

static bool valid_spdx(const char *s)
{
	struct spdx x = { s, 0 };

	if (!spdx_expr(&x))
		return false;
	spdx_ws(&x);
	return *x.p == '\0';
}

static bool valid_hash(const char *s)
{
	size_t n = strspn(s, "0123456789abcdefABCDEF");

	return s[n] == '\0' && ((n >= 7 && n <= 40) || n == 64);
}

/* A numeric semver identifier: digits without a leading zero. */
static bool semver_num(const char **p)
{
	const char *s = *p;

	while (isdigit((unsigned char)**p))
		(*p)++;
	return *p > s && !(s[0] == '0' && *p - s > 1);
}

static bool semver_ids(const char **p)
{
	do {
		const char *s = *p;

		while (isalnum((unsigned char)**p) || **p == '-')
			(*p)++;
		if (*p == s)
			return false;
	} while (**p == '.' && (*p)++);
	return true;
}

static bool valid_semver(const char *p)
{
	if (*p == 'v')
		p++;
	if (!semver_num(&p) || *p++ != '.' || !semver_num(&p) || *p++ != '.' || !semver_num(&p))
		return false;
	if (*p == '-') {
		p++;
		if (!semver_ids(&p))
			return false;
	}
	if (*p == '+') {
		p++;
		if (!semver_ids(&p))
			return false;
	}
	return *p == '\0';
}

/* An address local@domain.tld, alone or as "Name <local@domain.tld>". */
static bool valid_email(const char *s)
{
	const char *lt = strchr(s, '<'), *at, *end, *p, *dot = NULL;

	if (lt) {
		end = strchr(lt, '>');
		if (!end || end[1] != '\0')
			return false;
		s = lt + 1;
	} else {
		end = s + strlen(s);
	}
	at = memchr(s, '@', (size_t)(end - s));
	if (!at || at == s || at + 1 >= end)
		return false;
	for (p = s; p < at; p++) {
		if ((unsigned char)*p <= ' ' || strchr("<>()[]\\,;:\"", *p))
			return false;
	}
	for (p = at + 1; p < end; p++) {
		if (*p == '.') {
			if (p == at + 1 || p[-1] == '.' || p + 1 == end)
				return false;
			dot = p;
		} else if (!isalnum((unsigned char)*p) && *p != '-') {
			return false;
		}
	}
	return dot != NULL;
}

static bool label_valid(enum label_type t, const char *v)
{
	switch (t) {
	case LT_URL:
		return valid_url(v);
	case LT_RFC3339:
		return valid_rfc3339(v);
	case LT_SPDX:
		return valid_spdx(v);
	case LT_HASH:
		return valid_hash(v);
	case LT_SEMVER:
		return valid_semver(v);
	case LT_EMAIL:
		return valid_email(v);
	case LT_NONE:
	case LT_TEXT:
	case LT_MAX:
		break;
	}
	return true;
}

/* Why a label key is invalid, or NULL when it is fine. */
static const char *label_key_problem(const char *k)
{
	static const char *const reserved[] = { "com.docker.", "io.docker.", "org.dockerproject." };
	size_t i;
	const char *p;

	for (i = 0; i < HD_ARRAY_SIZE(reserved); i++) {
		if (hd_starts_with(k, reserved[i]))
			return "uses a namespace reserved for Docker";
	}
	if (!*k)
		return "is empty";
	for (p = k; *p; p++) {
		if (!islower((unsigned char)*p) && !isdigit((unsigned char)*p) && *p != '.' && *p != '-')
			return "has characters other than lowercase letters, digits, '.' and '-'";
		if ((*p == '.' || *p == '-') && (p[1] == '.' || p[1] == '-'))
			return "has consecutive separators";
	}
	if (!islower((unsigned char)k[0]))
		return "does not start with a lowercase letter";
	if (!isalnum((unsigned char)p[-1]))
		return "does not end with a letter or digit";
	return NULL;
}

static hd_check_fn check_label_key;
static int check_label_key(const struct hd_model *m, const struct hd_rule *r,
			   struct hd_check *out)
{
	const struct hd_dockerfile *df = m->df;
	size_t i, k;
	int ret;

	for (i = 0; i < df->n_instrs; i++) {
		const struct hd_instr *in = &df->instrs[i];

		if (in->kind != HD_I_LABEL)
			continue;
		for (k = 0; k < in->n_kvs; k++) {
			const struct hd_kv *kv = &in->kvs[k];
			const char *why;

			if (strchr(kv->key, '$') || !(why = label_key_problem(kv->key)))
				continue;
			ret = dfb_report(m, r, out, &kv->span, HD_SEV_NONE, "label key '%s' %s", kv->key, why);
			if (ret < 0)
				return ret;
		}
	}
	return 0;
}

const struct hd_rule hd_rule_df_label_key_invalid = {
	.id = "dockerfile/label-key-invalid",
	.title = "LABEL key is not a valid label key",
	.severity = HD_SEV_INFO,
	.target = HD_TARGET_DOCKERFILE,
	.hadolint = "DL3048",
	.rationale = "Docker's label guidelines: keys are lowercase letters, digits, '.' and '-', "
		     "start with a letter, end with a letter or digit, have no doubled separators, "
		     "and stay out of the com.docker.*, io.docker.* and org.dockerproject.* "
		     "namespaces. Tools that query labels (filters, policies, SBOM generators) "
		     "assume this form.",
	.remediation = "Use reverse-DNS lowercase keys, e.g. `LABEL org.opencontainers.image.version=\"1.4.2\"`.",
	.bad_example = DFB_GOOD_FROM "LABEL com.docker.image.version=\"1.4.2\"\n" DFB_GOOD_TAIL,
	.good_example = DFB_GOOD_FROM "LABEL org.opencontainers.image.version=\"1.4.2\"\n" DFB_GOOD_TAIL,
	.check = check_label_key,
};

/* Finds the last LABEL pair setting key in stage st or the stages it builds on. */
static const struct hd_kv *find_label(const struct hd_dockerfile *df, const struct hd_stage *st,
				      const char *key, size_t key_len)
{
	size_t hops = 0;

	for (;;) {
		size_t i;

		for (i = st->last + 1; i-- > st->first;) {
			const struct hd_instr *in;
			size_t k;

			if (i >= df->n_instrs)
				continue;
			in = &df->instrs[i];
			if (in->kind != HD_I_LABEL)
				continue;
			for (k = in->n_kvs; k-- > 0;) {
				if (strlen(in->kvs[k].key) == key_len &&
				    strncmp(in->kvs[k].key, key, key_len) == 0)
					return &in->kvs[k];
			}
		}
		if (st->base_stage < 0 || (uint32_t)st->base_stage >= st->index || ++hops > df->n_stages)
			return NULL;
		st = &df->stages[st->base_stage];
	}
}

static hd_check_fn check_label_missing;
static int check_label_missing(const struct hd_model *m, const struct hd_rule *r,
			       struct hd_check *out)
{
	const struct hd_dockerfile *df = m->df;
	const struct hd_stage *st = dfb_final_stage(df);
	size_t i;
	int ret;

	if (!m->cfg || m->cfg->required_labels.n == 0)
		return HD_RULE_NOT_APPLICABLE;
	if (!st)
		return 0;
	for (i = 0; i < m->cfg->required_labels.n; i++) {
		const char *e = m->cfg->required_labels.v[i];
		enum label_type t;
		size_t n = req_split(e, &t);
		struct hd_span at;

		if (find_label(df, st, e, n))
			continue;
		at = dfb_stage_image_span(df, st);
		ret = dfb_report(m, r, out, &at, HD_SEV_NONE,
				 "required label '%.*s' is not set in the final stage", (int)n, e);
		if (ret < 0)
			return ret;
	}
	return 0;
}

const struct hd_rule hd_rule_df_label_missing = {
	.id = "dockerfile/label-missing",
	.title = "Required label missing",
	.severity = HD_SEV_LOW,
	.target = HD_TARGET_DOCKERFILE,
	.hadolint = "DL3049",
	.rationale = "Labels required by the organisation (owner, source repository, revision) are "
		     "how a running container is traced back to its code and its team during an "
		     "incident. Active when `required-labels` is set in the config (hadolint's "
		     "`label-schema` keys are read too); judged on the final stage, with labels "
		     "inherited from a stage it builds on.",
	.remediation = "Set the label in the final stage, e.g. with `required-labels: "
		       "[org.opencontainers.image.source]` add "
		       "`LABEL org.opencontainers.image.source=\"https://github.com/acme/app\"`.",
	.bad_example = "# Fires with this in .hardock.yaml: required-labels: [org.opencontainers.image.source]\n"
		       DFB_GOOD_FROM DFB_GOOD_TAIL,
	.good_example = DFB_GOOD_FROM "LABEL org.opencontainers.image.source=\"https://github.com/acme/app\"\n"
			DFB_GOOD_TAIL,
	.check = check_label_missing,
};

static hd_check_fn check_label_not_in_schema;
static int check_label_not_in_schema(const struct hd_model *m, const struct hd_rule *r,
				     struct hd_check *out)
{
	const struct hd_dockerfile *df = m->df;
	size_t i, k;
	int ret;

	if (!m->cfg || m->cfg->required_labels.n == 0)
		return HD_RULE_NOT_APPLICABLE;
	for (i = 0; i < df->n_instrs; i++) {
		const struct hd_instr *in = &df->instrs[i];

		if (in->kind != HD_I_LABEL)
			continue;
		for (k = 0; k < in->n_kvs; k++) {
			enum label_type t;

			if (req_find(m->cfg, in->kvs[k].key, &t))
				continue;
			ret = dfb_report(m, r, out, &in->kvs[k].span, HD_SEV_NONE,
					 "label '%s' is not in the label schema", in->kvs[k].key);
			if (ret < 0)
				return ret;
		}
	}
	return 0;
}

const struct hd_rule hd_rule_df_label_not_in_schema = {
	.id = "dockerfile/label-not-in-schema",
	.title = "Label not in the label schema",
	.severity = HD_SEV_INFO,
	.target = HD_TARGET_DOCKERFILE,
	.flags = HD_RULE_DEFAULT_OFF,
	.hadolint = "DL3050",
	.rationale = "Strict label schemas keep image metadata uniform across teams. This is "
		     "hadolint's `strict-labels`: off by default, enabled by `strict-labels: true` in "
		     "the config (as in .hadolint.yaml) or by giving it a severity, and active only "
		     "when `required-labels` (or `label-schema`) lists the schema.",
	.remediation = "Remove the label or add it to `required-labels`.",
	.bad_example = "# Fires with this in .hardock.yaml: required-labels: [org.opencontainers.image.source]\n"
		       "# and severity-overrides: {DL3050: info}\n"
		       DFB_GOOD_FROM "LABEL team=payments\n" DFB_GOOD_TAIL,
	.good_example = DFB_GOOD_FROM DFB_GOOD_TAIL,
	.check = check_label_not_in_schema,
};

static hd_check_fn check_label_empty;
static int check_label_empty(const struct hd_model *m, const struct hd_rule *r,
			     struct hd_check *out)
{
	const struct hd_dockerfile *df = m->df;
	size_t i, k;
	int ret;

	for (i = 0; i < df->n_instrs; i++) {
		const struct hd_instr *in = &df->instrs[i];

		if (in->kind != HD_I_LABEL)
			continue;
		for (k = 0; k < in->n_kvs; k++) {
			const struct hd_kv *kv = &in->kvs[k];

			if (kv->unresolved || *kv_value(kv) || label_type_of(m->cfg, kv->key) == LT_NONE)
				continue;
			ret = dfb_report(m, r, out, &kv->span, HD_SEV_NONE, "label '%s' is empty", kv->key);
			if (ret < 0)
				return ret;
		}
	}
	return 0;
}

const struct hd_rule hd_rule_df_label_empty = {
	.id = "dockerfile/label-empty",
	.title = "Schema label is empty",
	.severity = HD_SEV_LOW,
	.target = HD_TARGET_DOCKERFILE,
	.hadolint = "DL3051",
	.rationale = "An empty required label satisfies a presence check while carrying nothing. "
		     "Checked for the labels of `required-labels` and for the OCI and label-schema "
		     "keys with a defined format (org.opencontainers.image.source, .url, .created, "
		     "...), which an empty value breaks.",
	.remediation = "Give the label its value, typically from a build argument: "
		       "`ARG VCS_REF` then `LABEL org.opencontainers.image.revision=$VCS_REF`.",
	.bad_example = DFB_GOOD_FROM "LABEL org.opencontainers.image.source=\"\"\n" DFB_GOOD_TAIL,
	.good_example = DFB_GOOD_FROM "LABEL org.opencontainers.image.source=\"https://github.com/acme/app\"\n"
			DFB_GOOD_TAIL,
	.check = check_label_empty,
};

static hd_check_fn check_label_value;
static int check_label_value(const struct hd_model *m, const struct hd_rule *r,
			     struct hd_check *out)
{
	const struct hd_dockerfile *df = m->df;
	size_t i, k;
	int ret;

	for (i = 0; i < df->n_instrs; i++) {
		const struct hd_instr *in = &df->instrs[i];

		if (in->kind != HD_I_LABEL)
			continue;
		for (k = 0; k < in->n_kvs; k++) {
			const struct hd_kv *kv = &in->kvs[k];
			const char *v = kv_value(kv);
			enum label_type t;

			if (kv->unresolved || !*v)
				continue;
			t = label_type_of(m->cfg, kv->key);
			if (label_valid(t, v))
				continue;
			ret = dfb_report(m, r, out, &kv->value_span, HD_SEV_NONE,
					 "label '%s' value '%s' is not %s", kv->key, v, label_type_desc[t]);
			if (ret < 0)
				return ret;
		}
	}
	return 0;
}

const struct hd_rule hd_rule_df_label_invalid_value = {
	.id = "dockerfile/label-invalid-value",
	.title = "Label value does not have its schema's format",
	.severity = HD_SEV_LOW,
	.target = HD_TARGET_DOCKERFILE,
	.hadolint = "DL3052,DL3053,DL3054,DL3055,DL3056,DL3058",
	.rationale = "Provenance labels are read by machines: a source that is not a URL, a creation "
		     "time that is not RFC 3339, a licence that is not an SPDX expression breaks the "
		     "tools that trace images back to code. Types come from `required-labels` entries "
		     "written `key:type` (url, rfc3339, spdx, hash, semver, email, text; hadolint's "
		     "label-schema types) and, without config, from the OCI image spec "
		     "(org.opencontainers.image.url/source/documentation: url, created: rfc3339, "
		     "licenses: spdx) and label-schema.org. Values from unresolved variables are "
		     "skipped. Where hadolint differs, on purpose: SPDX is checked as expression "
		     "syntax, not against the licence list (DL3054 rejects an identifier missing from "
		     "the list its build carries, so every licence SPDX adds later is an error until "
		     "hadolint is rebuilt; use LicenseRef-* for your own); a git hash is 7 to 40 hex "
		     "digits, or 64 (DL3055 takes exactly 7 or 40 lower-case digits, but `git "
		     "rev-parse --short` prints 8 to 12 in large repositories, git reads either case, "
		     "and SHA-256 repositories have 64-digit hashes).",
	.remediation = "Write the value in its format, e.g. "
		       "`LABEL org.opencontainers.image.created=\"2024-05-01T12:00:00Z\" "
		       "org.opencontainers.image.source=\"https://github.com/acme/app\" "
		       "org.opencontainers.image.licenses=\"Apache-2.0\"`.",
	.bad_example = DFB_GOOD_FROM "LABEL org.opencontainers.image.source=\"github.com/acme/app\"\n"
		       DFB_GOOD_TAIL,
	.good_example = DFB_GOOD_FROM "LABEL org.opencontainers.image.source=\"https://github.com/acme/app\"\n"
			DFB_GOOD_TAIL,
	.check = check_label_value,
};
