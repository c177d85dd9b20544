/*
 * What the Engine API readers (inspect_container.c, inspect_image.c,
 * inspect_engine.c) share: setting an origin from a JSON path, and the
 * pieces of JSON that containers and images write alike (Env, Healthcheck,
 * "80/tcp" port keys, lists of strings, string maps).  Views and errors are
 * those of parse/json.h.
 */
#ifndef HD_PARSE_INSPECT_INT_H
#define HD_PARSE_INSPECT_INT_H

#include "parse/inspect.h"
#include "parse/json.h"

/* Go field flags of the pointer structs the readers walk through. */
#define HD_IJ_PTR HD_JF_NULLABLE

/* Opens r over an engine answer (duplicate keys refused) and checks its root: object or array. */
int hd_ij_open(struct hd_jr *r, const char *json, size_t len, bool want_array, struct hd_jv *root);

/*
 * Opens an answer that is an array: *ret gets one zeroed element of elem
 * bytes per entry (count in *ret_n), for the caller to fill and free.
 */
int hd_ij_open_list(struct hd_jr *r, const char *json, size_t len, size_t elem, struct hd_jv *root, void **ret,
		    size_t *ret_n);

/* An origin holding only a JSON path; the caller releases it. */
int hd_ij_origin(struct hd_origin *o, const char *path);

/* Appends the strings of a []string field (through norm when given; empty ones skipped). */
int hd_ij_add_items(struct hd_jr *r, struct hd_items *l, const struct hd_jv *obj, const char *name,
		    unsigned flags, char *(*norm)(const char *));
/* Appends the entries of a map[string]string field (null values read as ""). */
int hd_ij_add_kvs(struct hd_jr *r, struct hd_kvs *l, const struct hd_jv *obj, const char *name);

/* Config.Env: adds each "NAME=value" through add(obj, origin). */
int hd_ij_env(struct hd_jr *r, struct hd_env *(*add)(void *, const struct hd_origin *), void *obj,
	      const struct hd_jv *cfg, const char *name);
/* Config.Healthcheck into h; a test of NONE disables it. */
int hd_ij_healthcheck(struct hd_jr *r, struct hd_healthcheck *h, const struct hd_jv *cfg, const char *name);

/* "80/tcp", "8000-8010/udp" -> range and protocol; false when malformed. */
bool hd_ij_port_key(const char *k, uint32_t *lo, uint32_t *hi, enum hd_proto *proto);

/*
 * A []mount.Mount field (HostConfig.Mounts of a create body, a service's
 * ContainerSpec.Mounts): Type, Source, Target, ReadOnly,
 * BindOptions.Propagation, and a local volume with bind options read as the
 * bind it is (hd_ij_volume_driver).  Appended to c's mounts.
 */
int hd_ij_mount_list(struct hd_jr *r, struct hd_container_spec *c, const struct hd_jv *parent,
		     const char *name);
/* A mount.Mount's VolumeOptions.DriverConfig applied to m (hd_mount_resolve_volume). */
int hd_ij_volume_driver(struct hd_jr *r, const struct hd_jv *mnt, struct hd_mount *m);

/* Duplicates s into *dst (freeing the old value); s NULL leaves *dst alone.  0 or -HD_ENOMEM. */
int hd_ij_dup(char **dst, const char *s);

#endif
