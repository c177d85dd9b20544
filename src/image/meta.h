/*
 * The JSON documents of an image layout: docker save's manifest.json, OCI
 * indexes and manifests (and Docker's distribution manifests and manifest
 * lists, which have the same shape), and the image config.  Keys match as
 * Go's encoding/json matches them (exact first, then ignoring case), since
 * that is how dockerd reads them.
 *
 * Errors are -HD_EPARSE with a message naming the document and the JSON path
 * of what was expected.  Ownership: every structure owns its strings.
 */
#ifndef HD_IMAGE_META_H
#define HD_IMAGE_META_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct hd_image_spec;

/* One image of docker save's manifest.json. */
struct hd_save_entry {
	char *config;        /* archive path of the config: "<hex>.json" or "blobs/sha256/<hex>" */
	char **tags;         /* RepoTags */
	size_t n_tags;
	char **layers;       /* archive paths, bottom first */
	size_t n_layers;
};

int hd_meta_save_manifest(const char *json, size_t len, struct hd_save_entry **ret, size_t *ret_n,
			  char *err, size_t errlen);
void hd_save_entries_free(struct hd_save_entry *v, size_t n);

/* A content descriptor of an OCI index or manifest. */
struct hd_desc {
	char *media_type;    /* or NULL */
	char *digest;        /* "sha256:<hex>" */
	int64_t size;        /* -1 when not given */
	char *os, *arch, *variant; /* platform, or NULL */
	char *ref_name;      /* io.containerd.image.name, else org.opencontainers.image.ref.name */
	bool attestation;    /* an attestation or signature manifest, not an image */
	char **urls;         /* foreign layers: where the blob lives instead */
	size_t n_urls;
};

enum hd_doc_kind { HD_DOC_UNKNOWN, HD_DOC_INDEX, HD_DOC_MANIFEST };

/* An OCI index or image manifest. */
struct hd_oci_doc {
	enum hd_doc_kind kind;
	struct hd_desc *manifests;  /* an index's entries */
	size_t n_manifests;
	struct hd_desc config;      /* a manifest's */
	struct hd_desc *layers;
	size_t n_layers;
};

/* What a descriptor's media type says it points to. */
enum hd_doc_kind hd_media_kind(const char *media_type);

int hd_meta_oci(const char *json, size_t len, const char *what, struct hd_oci_doc *ret, char *err,
		size_t errlen);
void hd_oci_doc_release(struct hd_oci_doc *d);
void hd_desc_release(struct hd_desc *d);

/* What the config gives besides the spec. */
struct hd_config_extra {
	char **diff_ids;     /* rootfs.diff_ids */
	size_t n_diff_ids;
	char *os, *arch, *variant;
};

/*
 * Reads an image config into a new spec (the same fields the engine's image
 * inspect fills, plus history); id is its digest, tags its references.
 * Returns 0, -HD_EPARSE (err says what), -HD_ENOMEM.
 */
int hd_meta_config(const char *json, size_t len, const char *id, char *const *tags, size_t n_tags,
		   int64_t now, struct hd_image_spec **ret, struct hd_config_extra *extra, char *err,
		   size_t errlen);
void hd_config_extra_release(struct hd_config_extra *x);

#endif
