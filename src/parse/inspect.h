/*
 * Readers of the Engine API's JSON documents (v1.41): container and image
 * inspect, top, exec inspect, the container and image lists, /version,
 * /info, /nodes, /networks, /services and /secrets, and the bodies of
 * container create and exec create requests.  They turn the engine's syntax
 * into the models (container_spec with its live state, image_spec,
 * engine_facts); rules never see JSON.  inspect_container.c reads
 * containers and create bodies, inspect_image.c images, inspect_engine.c
 * the daemon-wide answers; all read through parse/json.h, as dockerd's Go
 * decoder reads: keys match case-insensitively, the last of repeated keys
 * wins, unknown keys are ignored.
 *
 * Every reader takes the raw bytes of one document.  One that is not JSON,
 * not the expected shape, or has a field of the wrong type is a protocol
 * error: -HD_EPROTO with reterr_diag->msg naming the object and the JSON
 * path ("container 'web': HostConfig.Privileged: expected a boolean").  null
 * is absent where Go reads it so.  Nothing is guessed: a wrong-typed
 * security setting must not read as "not set".  The engine's answers must
 * not repeat a key (Go's encoder never does); request bodies may.
 *
 * Container settings are read through the table of model/container_opts.def
 * (its inspect and create-body columns).  A value docker would refuse (an
 * OomScoreAdj of 5000) is not set but listed in invalid_options.  Origins
 * of container settings are the container's name as object and the JSON
 * path as written in the document as field ("HostConfig.CapAdd[0]").
 *
 * Ownership: the returned specs and arrays belong to the caller.
 */
#ifndef HD_PARSE_INSPECT_H
#define HD_PARSE_INSPECT_H

#include <stddef.h>
#include <stdint.h>

#include "core/err.h"
#include "model/container.h"
#include "model/engine.h"
#include "model/image.h"
#include "model/live.h"

/* Container inspect -> a new HD_SRC_ENGINE spec with its live state. */
int hd_inspect_container(const char *json, size_t len, struct hd_container_spec **ret,
			 struct hd_diag *reterr_diag);

/*
 * The body of POST /containers/create -> a new HD_SRC_AUTHZ spec named
 * `name` (the ?name= of the request, or "request"), read as dockerd reads
 * it: Config fields at the top level, then HostConfig (or, without one, the
 * host settings written at the top level as old clients do) and
 * NetworkingConfig.  Origins are the JSON path in the body as written
 * ("hostconfig.Binds[0]").  Mounts come from HostConfig.Binds and
 * HostConfig.Mounts (a local volume with bind options is a bind, see
 * hd_mount_resolve_volume()), the command from Entrypoint then Cmd.
 */
int hd_inspect_create_body(const char *json, size_t len, const char *name,
			   struct hd_container_spec **ret, struct hd_diag *reterr_diag);

/* The body of POST /containers/{id}/exec, as dockerd reads it (types.ExecConfig). */
struct hd_exec_body {
	bool privileged;
	struct hd_origin privileged_at; /* JSON path of Privileged as written, or "Privileged" */
	char *user;                     /* User, NULL when empty */
	struct hd_items command;        /* Cmd */
};
int hd_inspect_exec_body(const char *json, size_t len, struct hd_exec_body *ret,
			 struct hd_diag *reterr_diag);
void hd_exec_body_release(struct hd_exec_body *e);

/* Whether the JSON readers have a reader for settings of kind k (for the table's tests). */
bool hd_inspect_reads_kind(enum hd_cset_kind k);

/* Image inspect -> a new image_spec; `now` (unix seconds) is stored for age rules. */
int hd_inspect_image(const char *json, size_t len, int64_t now, struct hd_image_spec **ret,
		     struct hd_diag *reterr_diag);

/*
 * Top of container c -> c->live->procs and c->processes (command lines);
 * sets live->processes_known.  c->live must exist.
 */
int hd_inspect_top(const char *json, size_t len, struct hd_container_spec *c,
		   struct hd_diag *reterr_diag);

/*
 * Exec inspect -> fills exec session idx of c->live (created from ExecIDs by
 * hd_inspect_container); -HD_EINVAL when there is no such session.
 */
int hd_inspect_exec(const char *json, size_t len, size_t idx, struct hd_container_spec *c,
		    struct hd_diag *reterr_diag);

/* One entry of the container list (GET /containers/json?all=1). */
struct hd_ctr_summary {
	char *id;
	char *name;   /* without the leading '/' */
	char *state;  /* "running", "exited", "created", ... */
	char *image;  /* as given at create */
	char *image_id;
};
int hd_inspect_container_list(const char *json, size_t len, struct hd_ctr_summary **ret,
			      size_t *ret_n, struct hd_diag *reterr_diag);
void hd_ctr_summaries_free(struct hd_ctr_summary *v, size_t n);

/* One entry of the image list (GET /images/json). */
struct hd_img_summary {
	char *id;
	char *first_tag; /* NULL when untagged */
	char **tags;     /* every tag ("<none>:<none>" left out) */
	size_t n_tags;
};
int hd_inspect_image_list(const char *json, size_t len, struct hd_img_summary **ret,
			  size_t *ret_n, struct hd_diag *reterr_diag);
void hd_img_summaries_free(struct hd_img_summary *v, size_t n);

/* /version and /info (with its swarm section) into f. */
int hd_inspect_version(const char *json, size_t len, struct hd_engine_facts *f,
		       struct hd_diag *reterr_diag);
int hd_inspect_info(const char *json, size_t len, struct hd_engine_facts *f,
		    struct hd_diag *reterr_diag);
/* Swarm lists (managers only): /nodes, /networks, /services, /secrets. */
int hd_inspect_nodes(const char *json, size_t len, struct hd_engine_facts *f,
		     struct hd_diag *reterr_diag);
int hd_inspect_networks(const char *json, size_t len, struct hd_engine_facts *f,
			struct hd_diag *reterr_diag);
int hd_inspect_services(const char *json, size_t len, struct hd_engine_facts *f,
			struct hd_diag *reterr_diag);
int hd_inspect_secrets(const char *json, size_t len, struct hd_engine_facts *f,
		       struct hd_diag *reterr_diag);

/* RFC 3339 time ("2024-01-02T03:04:05.123Z", "+02:00") -> unix seconds; 0 or -HD_EINVAL. */
int hd_parse_rfc3339(const char *s, int64_t *ret);

#endif
