/*
 * Construction and release of hd_project.
 */
#include "core/common.h"
#include "model/project.h"

struct hd_project *hd_project_new(void)
{
	return hd_calloc(1, sizeof(struct hd_project));
}

void hd_project_free(struct hd_project *p)
{
	size_t i;

	if (!p)
		return;
	for (i = 0; i < p->n_services; i++)
		hd_container_spec_free(p->services[i]);
	hd_free(p->services);
	for (i = 0; i < p->n_networks; i++) {
		hd_free(p->networks[i].name);
		hd_free(p->networks[i].driver);
		hd_free(p->networks[i].at.field);
	}
	hd_free(p->networks);
	for (i = 0; i < p->n_secrets; i++) {
		hd_free(p->secrets[i].name);
		hd_free(p->secrets[i].value);
		hd_free(p->secrets[i].at.field);
	}
	hd_free(p->secrets);
	for (i = 0; i < p->n_files; i++) {
		hd_free(p->files[i].path);
		hd_suppressions_release(&p->files[i].suppress);
	}
	hd_free(p->files);
	hd_kvs_release(&p->variables);
	hd_free(p->at.field);
	hd_free(p->name);
	hd_free(p->dir);
	hd_free(p);
}

const struct hd_project_file *hd_project_file(const struct hd_project *p, const char *path)
{
	size_t i;

	for (i = 0; i < p->n_files; i++) {
		if (strcmp(p->files[i].path, path) == 0)
			return &p->files[i];
	}
	return NULL;
}

struct hd_project_file *hd_project_add_file(struct hd_project *p, const char *path)
{
	struct hd_project_file *f;
	size_t i;

	for (i = 0; i < p->n_files; i++) {
		if (strcmp(p->files[i].path, path) == 0)
			return &p->files[i];
	}
	if (HD_GROW(p->files, p->alloc_files, p->n_files + 1) < 0)
		return NULL;
	f = &p->files[p->n_files];
	f->path = hd_strdup(path);
	if (!f->path)
		return NULL;
	hd_suppressions_init(&f->suppress);
	p->n_files++;
	return f;
}

struct hd_container_spec *hd_project_service(const struct hd_project *p, const char *name)
{
	size_t i;

	for (i = 0; i < p->n_services; i++) {
		if (p->services[i]->name && strcmp(p->services[i]->name, name) == 0)
			return p->services[i];
	}
	return NULL;
}
