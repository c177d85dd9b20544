/*
 * host_facts helpers and the version comparison the CVE table relies on.
 */
#include "core/common.h"
#include "model/host.h"

void hd_host_facts_init(struct hd_host_facts *h)
{
	memset(h, 0, sizeof(*h));
}

void hd_audit_rules_release(struct hd_audit_rules *r)
{
	size_t i;

	if (!r)
		return;
	for (i = 0; i < r->n; i++) {
		hd_free(r->v[i].path);
		hd_free(r->v[i].canon);
		hd_free(r->v[i].key);
		hd_free(r->v[i].file);
	}
	hd_free(r->v);
	r->v = NULL;
	r->n = r->alloc = 0;
}

struct hd_audit_rule *hd_audit_rules_add(struct hd_audit_rules *r, const char *path, bool dir,
					 const char *perms, const char *key, const char *file,
					 uint32_t line, bool live)
{
	struct hd_audit_rule *x;
	size_t i, n = 0;
	static const char order[] = "rwxa";

	if (HD_GROW(r->v, r->alloc, r->n + 1) < 0)
		return NULL;
	x = &r->v[r->n];
	memset(x, 0, sizeof(*x));
	/* Normalise the permission letters to "rwxa" order without repeats. */
	for (i = 0; i < 4; i++) {
		if (!perms || !*perms || strchr(perms, order[i]))
			x->perms[n++] = order[i];
	}
	x->perms[n] = '\0';
	x->path = hd_strdup(path);
	x->key = key ? hd_strdup(key) : NULL;
	x->file = file ? hd_strdup(file) : NULL;
	if (!x->path || (key && !x->key) || (file && !x->file)) {
		hd_free(x->path);
		hd_free(x->key);
		hd_free(x->file);
		return NULL;
	}
	x->dir = dir;
	x->line = line;
	x->live = live;
	r->n++;
	return x;
}

void hd_version_fact_release(struct hd_version_fact *v)
{
	if (!v)
		return;
	hd_free(v->version);
	hd_free(v->raw);
	hd_free(v->source);
	hd_free(v->package);
	hd_strlist_release(&v->fixed_cves);
	memset(v, 0, sizeof(*v));
}

void hd_host_facts_release(struct hd_host_facts *h)
{
	size_t i;

	if (!h)
		return;
	hd_free(h->root);
	hd_free(h->mounts_from);
	for (i = 0; i < h->n_mounts; i++) {
		hd_free(h->mounts[i].mount_point);
		hd_free(h->mounts[i].fstype);
		hd_free(h->mounts[i].source);
	}
	hd_free(h->mounts);
	hd_free(h->data_root);
	hd_free(h->data_root_canon);
	hd_free(h->socket_group);
	hd_strlist_release(&h->socket_group_members);
	hd_audit_rules_release(&h->audit_rules);
	hd_strlist_release(&h->audit_files);
	for (i = 0; i < HD_AP_MAX; i++)
		hd_file_list_release(&h->apaths[i]);
	hd_version_fact_release(&h->kernel);
	hd_version_fact_release(&h->engine);
	hd_version_fact_release(&h->containerd);
	hd_version_fact_release(&h->runc);
	hd_free(h->content_trust_value);
	hd_free(h->content_trust_file);
	hd_strlist_release(&h->notes);
	hd_host_facts_init(h);
}

/* A version split into numbers, and whether a pre-release tag ("-rc6") follows. */
struct version {
	uint64_t part[6];
	size_t n;
	bool pre;
	uint64_t pre_num;
};

static void version_parse(const char *p, struct version *v)
{
	memset(v, 0, sizeof(*v));
	while (*p && !isdigit((unsigned char)*p))
		p++;
	for (;;) {
		uint64_t x = 0;

		while (isdigit((unsigned char)*p)) {
			if (x < UINT64_MAX / 10)
				x = x * 10 + (uint64_t)(*p - '0');
			p++;
		}
		if (v->n < HD_ARRAY_SIZE(v->part))
			v->part[v->n++] = x;
		if (*p != '.' || !isdigit((unsigned char)p[1]))
			break;
		p++;
	}
	if ((*p == '-' || *p == '~') && isalpha((unsigned char)p[1])) {
		v->pre = true;
		while (*p && !isdigit((unsigned char)*p))
			p++;
		while (isdigit((unsigned char)*p)) {
			if (v->pre_num < UINT64_MAX / 10)
				v->pre_num = v->pre_num * 10 + (uint64_t)(*p - '0');
			p++;
		}
	}
}

int hd_version_cmp(const char *a, const char *b)
{
	struct version x, y;
	size_t i;

	version_parse(a, &x);
	version_parse(b, &y);
	for (i = 0; i < HD_ARRAY_SIZE(x.part); i++) {
		if (x.part[i] != y.part[i])
			return x.part[i] < y.part[i] ? -1 : 1;
	}
	if (x.pre != y.pre)
		return x.pre ? -1 : 1;
	if (x.pre_num != y.pre_num)
		return x.pre_num < y.pre_num ? -1 : 1;
	return 0;
}
