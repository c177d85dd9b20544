/*
 * Image analysis: `docker save` archives (before Docker 25 and the OCI
 * layout Docker 25 writes, with a manifest.json pointing into blobs/), OCI
 * image layout directories and their tars, and images streamed from the
 * engine's export endpoint; in one streaming pass, never extracted, each
 * blob's digest verified as it streams.  The result per image is the image
 * spec (the config, as the engine audit fills it) and the image_files model
 * (the final tree's notable files, secrets in any layer, accounts, package
 * ownership, archive anomalies), plus the errors that kept parts unread
 * (missing blob, digest mismatch, corrupt layer, limits).
 *
 * hd_image_judge() turns a result into findings: the image rules on the
 * spec, the image-files rules on the files, the Dockerfile rules on the
 * history's instructions at their layer, and image/unreadable for errors.
 *
 * Nothing here prints or reads the process environment (the engine endpoint
 * is resolved by the caller).  Ownership: a set owns its images; release
 * with hd_image_set_release().
 */
#ifndef HD_IMAGE_IMAGE_H
#define HD_IMAGE_IMAGE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "image/layer.h"

struct hd_config;
struct hd_findings;
struct hd_engine;
struct hd_image_spec;
struct hd_image_files;
struct hd_packages;

struct hd_image_opts {
	struct hd_image_limits lim;
	const char *platform;   /* "os/arch[/variant]" for multi-platform indexes; NULL: this machine's */
	unsigned threads;       /* 1: one thread; 0 or more: decompress and analyse on two */
	bool scan_secrets;      /* scan file contents for secrets (default true) */
	bool catalog;           /* catalogue each image's packages into hd_image.packages (default false) */
	int64_t now;            /* unix seconds, for the age rule; 0 disables it */
};

void hd_image_opts_init(struct hd_image_opts *o);

/* The platform of this machine, as "linux/amd64" (or ".../arm/v7"), into buf. */
const char *hd_host_platform(char *buf, size_t n);
/* Checks a --platform value: os/arch or os/arch/variant; 0 or -HD_EINVAL. */
int hd_platform_check(const char *s);

struct hd_image {
	char *name;                   /* for messages: first tag, reference annotation, or short id */
	char *source;                 /* the archive or layout, or NULL for an engine image */
	struct hd_image_spec *spec;   /* NULL when the config could not be read */
	struct hd_image_files *files; /* NULL when no layer could be read */
	struct hd_packages *packages; /* with opts.catalog: the final tree's packages; else NULL */
	char **errors;                /* what kept parts of the image unread, worded for the user */
	size_t n_errors;
};

struct hd_image_set {
	char *target;                 /* as given */
	bool from_engine;
	struct hd_image *v;
	size_t n, alloc;
	char **errors;                /* what kept the target unread as a whole */
	size_t n_errors;
};

/*
 * Analyses a file (tar, possibly compressed) or an OCI layout directory.
 * Returns 0 when it was analysed, with what went wrong in the set's errors
 * (a damaged archive is a finding, not a failure); -HD_ENOENT or -HD_EACCES
 * when the path cannot be opened; -HD_ENOMEM; -HD_EINVAL when the secret
 * patterns cannot be compiled.
 */
int hd_image_analyze_path(const char *path, const struct hd_image_opts *o, struct hd_image_set *out);
/* Analyses a tar read from fd (standard input, a pipe); display names it. */
int hd_image_analyze_fd(int fd, const char *display, const struct hd_image_opts *o, struct hd_image_set *out);
/*
 * Analyses an image of the engine: inspects ref, then streams
 * GET /images/{id}/get through the pipeline (nothing is written to disk).
 * Returns 0, -HD_ENOENT (no such image), or the engine's error with its
 * message in *errmsg (owned by the caller).
 */
int hd_image_analyze_engine(struct hd_engine *e, const char *ref, const struct hd_image_opts *o,
			    struct hd_image_set *out, char **errmsg);
void hd_image_set_release(struct hd_image_set *s);

/*
 * Judges the images of a set under cfg: findings appended to out (one
 * image's after another's).  Returns 0 or -HD_ENOMEM.
 */
int hd_image_judge(const struct hd_image_set *s, const struct hd_config *cfg, struct hd_findings *out);
/* Judges one image (the set's target names it when it has no source). */
int hd_image_judge_one(const struct hd_image *img, const struct hd_config *cfg, struct hd_findings *out);
/* The Dockerfile rules on the image's history alone (part of hd_image_judge_one); same returns. */
int hd_image_judge_history(const struct hd_image *img, const struct hd_config *cfg, struct hd_findings *out);

#endif
