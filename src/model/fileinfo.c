/*
 * File facts: list handling and the owner string used in messages.
 */
#include "core/common.h"
#include "core/rule.h"
#include "model/fileinfo.h"

void hd_file_fact_release(struct hd_file_fact *f)
{
	if (!f)
		return;
	hd_free(f->path);
	hd_free(f->canon);
	hd_free(f->owner);
	hd_free(f->group);
	memset(f, 0, sizeof(*f));
}

void hd_file_list_release(struct hd_file_list *l)
{
	size_t i;

	if (!l)
		return;
	for (i = 0; i < l->n; i++)
		hd_file_fact_release(&l->v[i]);
	hd_free(l->v);
	l->v = NULL;
	l->n = l->alloc = 0;
}

struct hd_file_fact *hd_file_list_add(struct hd_file_list *l, const char *path)
{
	struct hd_file_fact *f;

	if (HD_GROW(l->v, l->alloc, l->n + 1) < 0)
		return NULL;
	f = &l->v[l->n];
	memset(f, 0, sizeof(*f));
	f->path = hd_strdup(path);
	if (!f->path)
		return NULL;
	f->err = -HD_ENOENT;
	l->n++;
	return f;
}

const struct hd_file_fact *hd_file_list_first_present(const struct hd_file_list *l)
{
	size_t i;

	for (i = 0; i < l->n; i++) {
		if (l->v[i].type != HD_FT_MISSING)
			return &l->v[i];
	}
	return NULL;
}

int hd_not_applicable_files(struct hd_check *ck, const char *what, const struct hd_file_list *l)
{
	char list[HD_MAX_NOTE];
	size_t i, len = 0;

	list[0] = '\0';
	for (i = 0; i < l->n && len + 1 < sizeof(list); i++) {
		int n = snprintf(list + len, sizeof(list) - len, "%s%s", i ? ", " : ": ", l->v[i].path);

		if (n < 0)
			break;
		len += (size_t)n;
	}
	return hd_not_applicable(ck, "%s%s", what, list);
}

void hd_file_fact_owner(const struct hd_file_fact *f, char *buf, size_t size)
{
	char u[32], g[32];
	int n;

	if (!size)
		return;
	if (!f->owner)
		snprintf(u, sizeof(u), "%" PRIu32, f->uid);
	if (!f->group)
		snprintf(g, sizeof(g), "%" PRIu32, f->gid);
	n = snprintf(buf, size, "%s:%s", f->owner ? f->owner : u, f->group ? f->group : g);
	if (n < 0)
		buf[0] = '\0';
}
