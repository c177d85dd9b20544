/*
 * image_spec: the security-relevant facts of one image, from the engine's
 * image inspect (and later from image archives): who it runs as, whether it
 * checks its health, its environment and exposed ports, when it was built,
 * its names, and whether any container uses it.  Image rules read only this.
 *
 * Provenance: origins are JSON paths in the image's inspect document
 * ("Config.User", "Config.Env[3]"); the image's name is the finding's object.
 *
 * Time: rules are pure, so the time of the audit is `now` in the spec (set by
 * whoever builds it), never read from the clock by a rule.
 *
 * Ownership: the spec owns every string and array; hd_image_spec_free()
 * releases all.
 */
#ifndef HD_MODEL_IMAGE_H
#define HD_MODEL_IMAGE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "model/container.h"

struct hd_vuln_result;

/* One step of the image's history: what built a layer (or changed only the config). */
struct hd_image_history {
	char *created_by;           /* as recorded: "/bin/sh -c #(nop)  CMD [\"sh\"]", "RUN /bin/sh -c ... # buildkit" */
	bool empty_layer;           /* the step made no layer */
	struct hd_origin at;        /* "history[3].created_by" */
};

struct hd_image_spec {
	char *id;                   /* "sha256:..." */
	char *name;                 /* for messages: first tag, else repo@digest, else short id */
	struct hd_origin at;        /* the image itself (field NULL) */
	struct hd_items repo_tags;  /* "busybox:1.36" */
	struct hd_items repo_digests; /* "busybox@sha256:..." */
	bool dangling;              /* no tag at all (<none>:<none>) */

	bool usage_known;           /* the engine told which containers use it */
	size_t n_containers;        /* containers created from it, any state */
	size_t n_running;
	struct hd_items used_by;    /* names of those containers */

	struct hd_str_setting user;        /* Config.User; unset or "" means root */
	struct hd_healthcheck healthcheck; /* Config.Healthcheck: set, or disabled with NONE */
	struct hd_env *env;                /* Config.Env */
	size_t n_env, alloc_env;
	struct hd_port *exposed;           /* Config.ExposedPorts (published = false) */
	size_t n_exposed, alloc_exposed;
	struct hd_kvs labels;              /* Config.Labels */
	struct hd_items entrypoint;        /* Config.Entrypoint */
	struct hd_items cmd;               /* Config.Cmd */
	struct hd_items volumes;           /* Config.Volumes */
	struct hd_image_history *history;  /* history[] of the image config (archives; not in inspect) */
	size_t n_history, alloc_history;

	int64_t created;            /* unix seconds; 0 when unknown */
	struct hd_origin created_at;/* "Created" */
	int64_t now;                /* the audit's time (unix seconds); 0 disables age checks */
	int64_t size;               /* bytes; -1 unknown */
	char *os, *arch;
	char *docker_version;       /* DockerVersion that built it, or NULL */
	/* Its packages matched against the vulnerability database (borrowed; NULL: not scanned). */
	const struct hd_vuln_result *vulns;
};

struct hd_image_spec *hd_image_spec_new(void);
void hd_image_spec_free(struct hd_image_spec *img);
/* Appenders: a zeroed element whose origin copies `at`, or NULL on OOM. */
struct hd_env *hd_image_add_env(struct hd_image_spec *img, const struct hd_origin *at);
struct hd_port *hd_image_add_exposed(struct hd_image_spec *img, const struct hd_origin *at);
struct hd_image_history *hd_image_add_history(struct hd_image_spec *img, const struct hd_origin *at);
/* A finding location for an origin of img: object = name, field = origin's field. */
void hd_image_loc(const struct hd_image_spec *img, const struct hd_origin *o, struct hd_loc *loc);
/*
 * True when the image runs as root: user unset, "", "root", "0", "root:x" or
 * "0:x"; a numeric user counts as the kernel reads it, so "00", "+0" and "-0"
 * are uid 0 too.
 */
bool hd_image_user_is_root(const char *user);

#endif
