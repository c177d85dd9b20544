/*
 * Image references ([registry/]repository[:tag][@digest]), normalised the way
 * the docker CLI does: "ubuntu" is docker.io/library/ubuntu with no tag.
 * Shared by the Dockerfile, container and image models.
 */
#ifndef HD_MODEL_IMAGE_REF_H
#define HD_MODEL_IMAGE_REF_H

#include <stdbool.h>

/* A reference to an image: [registry/]repository[:tag][@digest]. */
struct hd_image_ref {
	char *raw;        /* as written, after ARG substitution */
	char *registry;   /* "docker.io" when none given */
	char *repository; /* "library/ubuntu" form for Docker Hub official images */
	char *tag;        /* NULL when absent */
	char *digest;     /* "sha256:..." or NULL */
	bool has_unresolved_var; /* a $VAR could not be resolved */
	bool is_scratch;
};
/*
 * Parses an image reference; returns 0, -HD_EINVAL (malformed) or -HD_ENOMEM.
 * A reference holding a `$` is not validated: it is filled as well as it can
 * be, has_unresolved_var is set and 0 returned, so rules can stay quiet.  The
 * strings are owned by ref; ref is zeroed on failure.
 */
int hd_image_ref_parse(const char *s, struct hd_image_ref *ref);
void hd_image_ref_release(struct hd_image_ref *ref);

#endif
