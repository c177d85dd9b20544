/*
 * What the readers of the host and daemon audits share (read_common.c): the
 * users and groups of the audited host for owner names, file facts, notes,
 * version facts and the size limits of the files they read.  Internal to
 * src/audit/.
 */
#include "core/common.h"
#include "core/buf.h"
#include "audit/read_int.h"

#include <dirent.h>
#include <sys/stat.h>

void hd_idnames_release(struct hd_idnames *n)
{
	size_t i;

	for (i = 0; i < n->n_users; i++)
		hd_free(n->users[i].name);
	for (i = 0; i < n->n_groups; i++) {
		hd_free(n->groups[i].name);
		hd_free(n->groups[i].members);
	}
	hd_free(n->users);
	hd_free(n->groups);
	memset(n, 0, sizeof(*n));
}

static int parse_idfile(const char *data, size_t len, bool is_group, struct hd_idnames *n)
{
	size_t pos = 0;

	while (pos < len) {
		const char *l = data + pos, *nl = memchr(l, '\n', len - pos);
		size_t ll = nl ? (size_t)(nl - l) : len - pos;
		char *line, *f[7] = { 0 }, *p;
		size_t nf = 0;
		int64_t id, gid = 0;
		struct hd_idname *x;

		pos += ll + (nl ? 1 : 0);
		line = hd_strndup(l, ll);
		if (!line)
			return -HD_ENOMEM;
		p = line;
		while (nf < HD_ARRAY_SIZE(f)) {
			f[nf++] = p;
			p = strchr(p, ':');
			if (!p)
				break;
			*p++ = '\0';
		}
		if (nf < (is_group ? 3u : 4u) || !f[0][0] || f[0][0] == '#' ||
		    hd_parse_i64(f[2], 0, UINT32_MAX, &id) < 0 ||
		    (!is_group && hd_parse_i64(f[3], 0, UINT32_MAX, &gid) < 0)) {
			hd_free(line);
			continue;
		}
		if (is_group ? HD_GROW(n->groups, n->a_groups, n->n_groups + 1) < 0
			     : HD_GROW(n->users, n->a_users, n->n_users + 1) < 0) {
			hd_free(line);
			return -HD_ENOMEM;
		}
		x = is_group ? &n->groups[n->n_groups] : &n->users[n->n_users];
		memset(x, 0, sizeof(*x));
		x->name = hd_strdup(f[0]);
		x->id = (uint32_t)id;
		x->gid = (uint32_t)gid;
		if (is_group)
			x->members = hd_strdup(nf > 3 ? f[3] : "");
		hd_free(line);
		if (!x->name || (is_group && !x->members)) {
			hd_free(x->name);
			hd_free(x->members);
			return -HD_ENOMEM;
		}
		if (is_group)
			n->n_groups++;
		else
			n->n_users++;
	}
	return 0;
}

int hd_idnames_load(const struct hd_rootfs *fs, struct hd_idnames *n)
{
	struct hd_buf b = HD_BUF_INIT(HD_READ_CONFIG_MAX);
	int r;

	r = hd_rootfs_read(fs, "/etc/passwd", HD_READ_CONFIG_MAX, &b);
	if (r >= 0)
		r = parse_idfile(b.buf, b.len, false, n);
	if (r == -HD_ENOMEM)
		goto out;
	r = hd_rootfs_read(fs, "/etc/group", HD_READ_CONFIG_MAX, &b);
	if (r >= 0) {
		n->have_group = true;
		r = parse_idfile(b.buf, b.len, true, n);
	}
out:
	hd_buf_release(&b);
	return r == -HD_ENOMEM ? r : 0;
}

const char *hd_idnames_find(const struct hd_idname *v, size_t n, uint32_t id)
{
	size_t i;

	for (i = 0; i < n; i++) {
		if (v[i].id == id)
			return v[i].name;
	}
	return NULL;
}

int hd_read_note(struct hd_strlist *notes, const char *fmt, ...)
{
	char msg[HD_MAX_MESSAGE];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	if (hd_strlist_has(notes, msg))
		return 0;
	return hd_strlist_add(notes, msg);
}

static enum hd_file_type file_type(mode_t m)
{
	if (S_ISREG(m))
		return HD_FT_REG;
	if (S_ISDIR(m))
		return HD_FT_DIR;
	if (S_ISSOCK(m))
		return HD_FT_SOCK;
	if (S_ISLNK(m))
		return HD_FT_LINK;
	return HD_FT_OTHER;
}

static int fact_from_stat(struct hd_file_fact *f, const struct stat *st, const struct hd_idnames *ids)
{
	const char *u = hd_idnames_find(ids->users, ids->n_users, st->st_uid);
	const char *g = hd_idnames_find(ids->groups, ids->n_groups, st->st_gid);

	f->err = 0;
	f->type = file_type(st->st_mode);
	f->mode = (uint32_t)(st->st_mode & 07777);
	f->uid = st->st_uid;
	f->gid = st->st_gid;
	f->owner = u ? hd_strdup(u) : NULL;
	f->group = g ? hd_strdup(g) : NULL;
	if ((u && !f->owner) || (g && !f->group))
		return -HD_ENOMEM;
	return 0;
}

/* Adds a fact for path to l and examines it (following links inside the root). */
int hd_read_add_fact(const struct hd_rootfs *fs, const struct hd_idnames *ids, struct hd_file_list *l,
		    const char *path)
{
	struct hd_file_fact *f;
	struct stat st;
	char *canon = NULL;
	size_t i;
	int r;

	for (i = 0; i < l->n; i++) {
		if (strcmp(l->v[i].path, path) == 0)
			return 0;
	}
	f = hd_file_list_add(l, path);
	if (!f)
		return -HD_ENOMEM;
	r = hd_rootfs_stat(fs, path, &st, &canon);
	if (r == -HD_ENOMEM)
		return r;
	if (r < 0) {
		f->err = r;
		f->type = HD_FT_MISSING;
		return 0;
	}
	f->canon = canon;
	/* Two names of one file (usrmerge: /bin -> /usr/bin) are one fact. */
	for (i = 0; i + 1 < l->n; i++) {
		if (l->v[i].canon && strcmp(l->v[i].canon, canon) == 0) {
			hd_file_fact_release(f);
			l->n--;
			return 0;
		}
	}
	return fact_from_stat(f, &st, ids);
}

/* Lists a tree below a host directory without following links, into l. */
static int walk_tree(const struct hd_rootfs *fs, const struct hd_idnames *ids, struct hd_file_list *l,
		     const char *host_dir, const char *real_dir, unsigned depth)
{
	struct hd_strlist names = { 0 };
	DIR *dh;
	struct dirent *e;
	size_t i;
	int r = 0;

	if (depth > HD_READ_WALK_MAX_DEPTH)
		return 0;
	dh = opendir(real_dir);
	if (!dh)
		return 0;
	while ((e = readdir(dh))) {
		if (!strcmp(e->d_name, ".") || !strcmp(e->d_name, ".."))
			continue;
		r = hd_strlist_add(&names, e->d_name);
		if (r < 0)
			break;
	}
	closedir(dh);
	for (i = 0; r >= 0 && i < names.n && l->n < HD_READ_WALK_MAX_ENTRIES; i++) {
		char *hp = hd_path_join(host_dir, names.v[i]);
		char *rp = hd_path_join(real_dir, names.v[i]);
		struct hd_file_fact *f;
		struct stat st;

		if (!hp || !rp) {
			hd_free(hp);
			hd_free(rp);
			r = -HD_ENOMEM;
			break;
		}
		f = hd_file_list_add(l, hp);
		if (!f) {
			r = -HD_ENOMEM;
		} else if (lstat(rp, &st) < 0) {
			f->err = errno == EACCES ? -HD_EACCES : -HD_EIO;
		} else {
			r = fact_from_stat(f, &st, ids);
			if (r >= 0 && S_ISDIR(st.st_mode))
				r = walk_tree(fs, ids, l, hp, rp, depth + 1);
		}
		hd_free(hp);
		hd_free(rp);
	}
	hd_strlist_release(&names);
	(void)fs;
	return r;
}

int hd_read_add_tree(const struct hd_rootfs *fs, const struct hd_idnames *ids, struct hd_file_list *l,
		    const char *dir, bool include_dir)
{
	char *real = NULL;
	size_t before = l->n;
	int r;

	if (include_dir) {
		r = hd_read_add_fact(fs, ids, l, dir);
		if (r < 0)
			return r;
		if (l->n == before || l->v[l->n - 1].type != HD_FT_DIR)
			return 0;
	}
	r = hd_rootfs_resolve(fs, dir, &real, NULL);
	if (r == -HD_ENOMEM)
		return r;
	if (r < 0)
		return 0;
	r = walk_tree(fs, ids, l, dir, real, 0);
	hd_free(real);
	return r;
}

char *hd_upstream_version(const char *raw)
{
	const char *p = raw, *colon = strchr(raw, ':');
	size_t n, i;

	if (colon && colon - raw < 4 && isdigit((unsigned char)raw[0]))
		p = colon + 1;
	n = strcspn(p, "+ \t\n");
	for (i = 0; i < n; i++) {
		if (p[i] == '~' && (!strncmp(p + i, "~ds", 3) || !strncmp(p + i, "~dfsg", 5))) {
			n = i;
			break;
		}
		/* A Debian revision: "-1", "-1~debian.12"; "-rc93" is the upstream's. */
		if (p[i] == '-' && isdigit((unsigned char)p[i + 1])) {
			n = i;
			break;
		}
	}
	return hd_strndup(p, n);
}

int hd_version_fact_set(struct hd_version_fact *v, const char *raw, const char *source)
{
	hd_version_fact_release(v);
	v->raw = hd_strdup(raw);
	v->version = hd_upstream_version(raw);
	v->source = hd_strdup(source);
	v->exact = true;
	if (!v->raw || !v->version || !v->source) {
		hd_version_fact_release(v);
		return -HD_ENOMEM;
	}
	return 0;
}

const char *hd_read_err_text(int r)
{
	switch (r) {
	case -HD_EINVAL: return "not a regular file";
	case -HD_ELOOP: return "symlink loop";
	case -HD_EACCES: return "permission denied";
	case -HD_ETOOBIG: return "file too large";
	default: return hd_strerror(r);
	}
}
