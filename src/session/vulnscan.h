/*
 * The vulnerabilities of every image of an engine (`hardock audit --vulns`):
 * each image is catalogued once per layer chain, by streaming its export
 * through the image reader with the package catalogue on, and matched
 * against the local database; findings come from the rule
 * image/vulnerable-package.
 *
 * The catalogue of an image is cached next to the database, in
 * CACHE_DIR/<key>.json, where key is the SHA-256 of the hardock version and
 * the image's layer digests (RootFS.Layers, in order): images that share
 * their layers (a tag and its copy, an image and its re-tag) are read once,
 * and a later audit reads none of them again.  Matching is redone every
 * time, so a new database applies at once.  A cache file that cannot be
 * read is ignored (the image is read again and the file rewritten).
 *
 * Nothing here prints: notes and errors are returned in msgs, in the order
 * they arose.
 */
#ifndef HD_SESSION_VULNSCAN_H
#define HD_SESSION_VULNSCAN_H

#include <stdbool.h>
#include <stddef.h>

#include "core/severity.h"
#include "vuln/match.h"

struct hd_engine;
struct hd_findings;
struct hd_vdb;

/*
 * What the scan found in one image, handed to hd_vulnscan_opts.each as soon
 * as the image is done (a server keeps results image by image).  Borrowed
 * for the call.
 */
struct hd_vulnscan_image {
	const char *id;               /* the engine's image id */
	const char *name;             /* its first tag, else its short id */
	bool failed;                  /* could not be catalogued (why: in the result's msgs) */
	const struct hd_findings *findings; /* image/vulnerable-package findings (empty when failed) */
	/* Vulnerabilities reported, by the feed's severity and whether a fix exists. */
	size_t counts[HD_SEV_MAX][2]; /* [severity][fixable] */
};

typedef int hd_vulnscan_each_fn(void *ctx, const struct hd_vulnscan_image *im);

struct hd_vulnscan_opts {
	struct hd_vdb *db;            /* open */
	const char *cache_dir;        /* created when missing; NULL: no cache */
	struct hd_vuln_opts vo;       /* --ignore-unfixed, --show-minor, the ignore list */
	const struct hd_config *cfg;  /* for the rule (severity overrides); never NULL */
	size_t max_images;            /* images scanned by one call; 0: HD_MAX_VULN_IMAGES (a note
					 says how many were left) */
	hd_vulnscan_each_fn *each;    /* called after each image, or NULL; a negative return
					 stops the scan with that error */
	void *each_ctx;
};

struct hd_vulnscan_msg {
	bool error;
	char *text;
};

struct hd_vulnscan_result {
	size_t images;                /* images of the engine */
	size_t read;                  /* read from the engine (not in the cache) */
	size_t cached;                /* catalogues taken from the cache */
	size_t failed;                /* images that could not be catalogued */
	struct hd_vulnscan_msg *msgs;
	size_t n_msgs, alloc_msgs;
};

/*
 * Scans every image of the engine e (negotiated) into out (NULL: findings
 * only through o->each).  Returns 0 when
 * the image list could be read (images that could not be read are errors in
 * res->msgs and counted in res->failed), or a negative HD_E* with the
 * reason in res->msgs.
 */
int hd_vulnscan_engine(struct hd_engine *e, const struct hd_vulnscan_opts *o, struct hd_findings *out,
		       struct hd_vulnscan_result *res);
/*
 * Scans one image of e (a reference or an id, as after an engine event);
 * same returns, -HD_ENOENT when the engine has no such image.
 */
int hd_vulnscan_engine_image(struct hd_engine *e, const struct hd_vulnscan_opts *o, const char *ref,
			     struct hd_findings *out, struct hd_vulnscan_result *res);
void hd_vulnscan_result_release(struct hd_vulnscan_result *res);

/*
 * The cache file format, exposed for the tests: pk as JSON into path
 * (written to a temporary file, then renamed), and back.  Load returns 0,
 * -HD_ENOENT, or -HD_EPARSE when the file is not a catalogue of this version.
 */
int hd_vulnscan_cache_save(const char *path, const struct hd_packages *pk);
int hd_vulnscan_cache_load(const char *path, struct hd_packages *pk);

#endif
