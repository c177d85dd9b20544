/*
 * The bodies of the Engine API requests, besides container and exec create
 * (parse/inspect.h), that can raise privilege and that the authorization
 * plugin judges, read as dockerd decodes them (parse/json.h: keys without
 * case, the last repeated key wins, unknown keys ignored) into container
 * specs the container rules judge:
 *
 *   - a service spec (POST /services/create and /services/{id}/update,
 *     swarm.ServiceSpec): its TaskTemplate's ContainerSpec with the task's
 *     resources, restart policy, networks, log driver and the published
 *     ports, as the container each task runs; and its PluginSpec's
 *     privileges, when it runs a plugin;
 *   - a volume (POST /volumes/create): a local-driver volume with bind
 *     options is a bind of its device (hd_mount_resolve_volume);
 *   - the privileges granted to a plugin (POST /plugins/pull and
 *     /plugins/{name}/upgrade, []types.PluginPrivilege): host network, pid
 *     and ipc namespaces, mounts, devices, all devices, capabilities;
 *   - a plugin's settings (POST /plugins/{name}/set, ["name.source=/path",
 *     "name.path=/dev/x", "VAR=value", "args=..."]): mount sources, device
 *     paths, environment and arguments.
 *
 * Each returns 0 with a new HD_SRC_AUTHZ spec (NULL for a service that runs
 * no plugin), -HD_EPROTO with reterr_diag->msg naming the JSON path when a
 * field has a type dockerd would refuse, or -HD_ENOMEM.  Origins are the
 * JSON paths as written.  Ownership: the specs belong to the caller.
 */
#ifndef HD_PARSE_REQUEST_BODY_H
#define HD_PARSE_REQUEST_BODY_H

#include <stddef.h>

#include "core/err.h"
#include "model/container.h"

int hd_request_service(const char *json, size_t len, struct hd_container_spec **ret_ctr,
		       struct hd_container_spec **ret_plugin, struct hd_diag *reterr_diag);
int hd_request_volume(const char *json, size_t len, struct hd_container_spec **ret,
		      struct hd_diag *reterr_diag);
/* `name` names the plugin in messages (the remote, or the plugin being upgraded). */
int hd_request_plugin_privileges(const char *json, size_t len, const char *name,
				 struct hd_container_spec **ret, struct hd_diag *reterr_diag);
int hd_request_plugin_settings(const char *json, size_t len, const char *name,
			       struct hd_container_spec **ret, struct hd_diag *reterr_diag);

#endif
