/*
 * A compose project: the container spec of every service plus what is
 * defined beside them (networks, secrets, configs), for the rules that judge
 * a project as a whole (segmentation, how secrets are supplied).
 *
 * Ownership: the project owns everything it points to, including `files`,
 * the names of every file loaded, which the origins of its specs and of its
 * own entries borrow.  hd_project_free() releases all, specs included.
 */
#ifndef HD_MODEL_PROJECT_H
#define HD_MODEL_PROJECT_H

#include <stdbool.h>
#include <stddef.h>

#include "core/suppress.h"
#include "model/container.h"

/* A file the project was loaded from, with its inline suppressions. */
struct hd_project_file {
	char *path;
	struct hd_suppressions suppress; /* # hardock ignore=... comments of this file */
};

/* A top-level network. */
struct hd_project_network {
	char *name;
	char *driver;        /* "bridge", "overlay", ... or NULL */
	bool external;
	bool internal;       /* internal: true (no outside access) */
	struct hd_origin at; /* its key under networks: */
};

enum hd_secret_source {
	HD_SECRET_FILE,        /* file: ./path */
	HD_SECRET_ENVIRONMENT, /* environment: VAR */
	HD_SECRET_CONTENT,     /* content: inline value (configs, and secrets by some tools) */
	HD_SECRET_EXTERNAL,    /* external: true */
	HD_SECRET_OTHER,       /* name: only, driver, template_driver, ... */
};

/* A top-level secret or config. */
struct hd_project_secret {
	char *name;
	bool is_config;
	enum hd_secret_source source;
	char *value;         /* the file path, variable name, or NULL (content is not kept) */
	struct hd_origin at; /* the key of its source (file:, environment:, content:) */
};

struct hd_project {
	char *name;                          /* name: or the project directory's base name */
	char *dir;                           /* project directory */
	struct hd_project_file *files;       /* every file loaded (compose, override, extends, include, env_file) */
	size_t n_files, alloc_files;
	struct hd_origin at;                 /* the services: key of the first file */

	struct hd_container_spec **services; /* in file order */
	size_t n_services, alloc_services;
	struct hd_project_network *networks;
	size_t n_networks, alloc_networks;
	struct hd_project_secret *secrets;   /* secrets and configs */
	size_t n_secrets, alloc_secrets;
	/*
	 * The variables interpolation could use (given explicitly, then the
	 * project's .env): for masking the values of secret ones in what is
	 * reported.
	 */
	struct hd_kvs variables;
};

struct hd_project *hd_project_new(void);
void hd_project_free(struct hd_project *p);
/* Records a file name (once) and returns the project's entry (for origins), or NULL on OOM. */
struct hd_project_file *hd_project_add_file(struct hd_project *p, const char *path);
/* The entry of a file already recorded, or NULL. */
const struct hd_project_file *hd_project_file(const struct hd_project *p, const char *path);
/* The service named name, or NULL. */
struct hd_container_spec *hd_project_service(const struct hd_project *p, const char *name);

#endif
