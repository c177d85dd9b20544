/*
 * auditd rules and the mount table; see auditrules.h.
 */
#include "core/common.h"
#include "parse/auditrules.h"

#include <linux/audit.h>

/* What separates the keys of one rule in the kernel (libaudit's AUDIT_KEY_SEPARATOR). */
#define KEY_SEPARATOR 0x01

#define MAX_TOKENS 64

static size_t tokenize(char *line, char **tok, size_t max)
{
	size_t n = 0;
	char *p = line;

	while (*p && n < max) {
		while (*p == ' ' || *p == '\t' || *p == '\r')
			*p++ = '\0';
		if (!*p)
			break;
		tok[n++] = p;
		while (*p && *p != ' ' && *p != '\t' && *p != '\r')
			p++;
	}
	return n;
}

static void remove_path(struct hd_audit_rules *rules, const char *path, bool live)
{
	size_t i, j = 0;

	for (i = 0; i < rules->n; i++) {
		struct hd_audit_rule *x = &rules->v[i];

		if (x->live == live && strcmp(x->path, path) == 0) {
			hd_free(x->path);
			hd_free(x->canon);
			hd_free(x->key);
			hd_free(x->file);
			continue;
		}
		rules->v[j++] = *x;
	}
	rules->n = j;
}

static void remove_all(struct hd_audit_rules *rules, bool live)
{
	size_t i, j = 0;

	for (i = 0; i < rules->n; i++) {
		struct hd_audit_rule *x = &rules->v[i];

		if (x->live == live) {
			hd_free(x->path);
			hd_free(x->canon);
			hd_free(x->key);
			hd_free(x->file);
			continue;
		}
		rules->v[j++] = *x;
	}
	rules->n = j;
}

static bool valid_perms(const char *p)
{
	if (!*p)
		return false;
	for (; *p; p++) {
		if (!strchr("rwxa", *p))
			return false;
	}
	return true;
}

static int parse_line(struct hd_audit_rules *rules, const char *file, uint32_t lineno, char *line,
		      bool live, struct hd_uproblems *problems)
{
	char *tok[MAX_TOKENS];
	size_t n = tokenize(line, tok, MAX_TOKENS), i;
	const char *path = NULL, *perms = NULL, *key = NULL;
	bool dir = false, del = false, is_watch = false, is_syscall_rule = false;

	if (!n || tok[0][0] == '#')
		return 0;
	if (strcmp(tok[0], "-D") == 0) {
		remove_all(rules, live);
		return 0;
	}
	for (i = 0; i < n; i++) {
		const char *t = tok[i];
		const char *arg = i + 1 < n ? tok[i + 1] : NULL;

		if (!strcmp(t, "-w") || !strcmp(t, "-W")) {
			if (!arg || arg[0] != '/')
				goto bad;
			path = arg;
			is_watch = true;
			del = t[1] == 'W';
			i++;
		} else if (!strcmp(t, "-p")) {
			if (!arg || !valid_perms(arg))
				goto bad;
			perms = arg;
			i++;
		} else if (!strcmp(t, "-k")) {
			if (!arg)
				goto bad;
			key = arg;
			i++;
		} else if (!strcmp(t, "-a") || !strcmp(t, "-A") || !strcmp(t, "-d")) {
			if (!arg)
				goto bad;
			is_syscall_rule = true;
			del = t[1] == 'd';
			i++;
		} else if (!strcmp(t, "-F")) {
			if (!arg)
				goto bad;
			if (hd_starts_with(arg, "path="))
				path = arg + 5;
			else if (hd_starts_with(arg, "dir=")) {
				path = arg + 4;
				dir = true;
			} else if (hd_starts_with(arg, "perm=")) {
				perms = arg + 5;
				if (!valid_perms(perms))
					goto bad;
			} else if (hd_starts_with(arg, "key="))
				key = arg + 4;
			i++;
		} else if (!strcmp(t, "-S") || !strcmp(t, "-C") || !strcmp(t, "-b") ||
			   !strcmp(t, "-e") || !strcmp(t, "-f") || !strcmp(t, "-r") ||
			   !strcmp(t, "-c") || !strcmp(t, "-i") || !strcmp(t, "--backlog_wait_time") ||
			   !strcmp(t, "--loginuid-immutable") || !strcmp(t, "-l") || !strcmp(t, "-s")) {
			if (!strcmp(t, "-S") || !strcmp(t, "-C") || !strcmp(t, "-b") ||
			    !strcmp(t, "-e") || !strcmp(t, "-f") || !strcmp(t, "-r") ||
			    !strcmp(t, "--backlog_wait_time"))
				i++;
		} else if (!is_watch && !is_syscall_rule && i == 0) {
			/* "No rules" from auditctl -l, or another tool's line. */
			return 0;
		}
	}
	if (!path)
		return 0;
	if (path[0] != '/')
		goto bad;
	if (del) {
		remove_path(rules, path, live);
		return 0;
	}
	if (!hd_audit_rules_add(rules, path, dir, perms, key, file, lineno, live))
		return -HD_ENOMEM;
	return 0;
bad:
	if (!problems)
		return 0;
	{
		struct hd_uproblem *x;

		if (HD_GROW(problems->v, problems->alloc, problems->n + 1) < 0)
			return -HD_ENOMEM;
		x = &problems->v[problems->n];
		x->message = hd_strdup("malformed audit rule; auditctl rejects it");
		x->file = hd_strdup(file);
		x->line = lineno;
		x->col = 1;
		if (!x->message || !x->file) {
			hd_free(x->message);
			hd_free(x->file);
			return -HD_ENOMEM;
		}
		problems->n++;
	}
	return 0;
}

int hd_auditrules_parse(struct hd_audit_rules *rules, const char *file, const char *data,
			size_t len, bool live, struct hd_uproblems *problems)
{
	size_t pos = 0;
	uint32_t lineno = 0;
	int r;

	while (pos < len) {
		const char *l = data + pos, *nl = memchr(l, '\n', len - pos);
		size_t ll = nl ? (size_t)(nl - l) : len - pos;
		char *line;

		pos += ll + (nl ? 1 : 0);
		lineno++;
		line = hd_strndup(l, ll);
		if (!line)
			return -HD_ENOMEM;
		r = parse_line(rules, file, lineno, line, live, problems);
		hd_free(line);
		if (r < 0)
			return r;
	}
	return 0;
}

/* Field types whose value is a string in the rule's buffer (the kernel's audit_krule_to_data). */
static bool string_field(uint32_t f)
{
	switch (f) {
	case AUDIT_SUBJ_USER: case AUDIT_SUBJ_ROLE: case AUDIT_SUBJ_TYPE: case AUDIT_SUBJ_SEN:
	case AUDIT_SUBJ_CLR: case AUDIT_OBJ_USER: case AUDIT_OBJ_ROLE: case AUDIT_OBJ_TYPE:
	case AUDIT_OBJ_LEV_LOW: case AUDIT_OBJ_LEV_HIGH: case AUDIT_WATCH: case AUDIT_DIR:
	case AUDIT_FILTERKEY: case AUDIT_EXE:
		return true;
	default:
		return false;
	}
}

int hd_auditrules_decode(struct hd_audit_rules *rules, const void *data, size_t len, const char *file,
			 uint32_t index)
{
	struct audit_rule_data r;
	const char *buf = (const char *)data + sizeof(r);
	size_t used = 0, i, buflen;
	char *path = NULL, *key = NULL, perms[5] = "";
	bool dir = false, have_perm = false;
	int rc = 0;

	if (len < sizeof(r))
		return -HD_EPARSE;
	memcpy(&r, data, sizeof(r));
	buflen = r.buflen;
	if (r.field_count > AUDIT_MAX_FIELDS || buflen > len - sizeof(r))
		return -HD_EPARSE;
	for (i = 0; i < r.field_count; i++) {
		uint32_t f = r.fields[i], v = r.values[i];

		if (string_field(f)) {
			char **slot = NULL;

			if (v > buflen - used)
				goto malformed;
			if (f == AUDIT_WATCH || f == AUDIT_DIR)
				slot = &path;
			dir = dir || f == AUDIT_DIR;
			if (f == AUDIT_FILTERKEY) {
				char *k = hd_strndup(buf + used, v), *c;

				if (!k) {
					rc = -HD_ENOMEM;
					goto out;
				}
				for (c = k; *c; c++) {
					if (*c == KEY_SEPARATOR)
						*c = ',';
				}
				if (key) {
					char *j = hd_asprintf("%s,%s", key, k);

					hd_free(k);
					k = j;
					if (!k) {
						rc = -HD_ENOMEM;
						goto out;
					}
				}
				hd_free(key);
				key = k;
			} else if (slot) {
				hd_free(*slot);
				*slot = hd_strndup(buf + used, v);
				if (!*slot) {
					rc = -HD_ENOMEM;
					goto out;
				}
			}
			used += v;
		} else if (f == AUDIT_PERM) {
			size_t n = 0;

			have_perm = true;
			if (v & AUDIT_PERM_READ)
				perms[n++] = 'r';
			if (v & AUDIT_PERM_WRITE)
				perms[n++] = 'w';
			if (v & AUDIT_PERM_EXEC)
				perms[n++] = 'x';
			if (v & AUDIT_PERM_ATTR)
				perms[n++] = 'a';
			perms[n] = '\0';
		}
	}
	/* A watch: an always rule of the exit list on a path. */
	if (!path || path[0] != '/' || r.action != AUDIT_ALWAYS ||
	    (r.flags & ~(uint32_t)AUDIT_FILTER_PREPEND) != AUDIT_FILTER_EXIT)
		goto out;
	if (!hd_audit_rules_add(rules, path, dir, have_perm && perms[0] ? perms : NULL, key, file, index,
				true)) {
		rc = -HD_ENOMEM;
		goto out;
	}
	rc = 1;
	goto out;
malformed:
	rc = -HD_EPARSE;
out:
	hd_free(path);
	hd_free(key);
	return rc;
}

/* Decodes mountinfo's octal escapes (\040 for a space) in place. */
static void unescape_octal(char *s)
{
	char *w = s;

	while (*s) {
		if (s[0] == '\\' && s[1] >= '0' && s[1] <= '3' && s[2] >= '0' && s[2] <= '7' &&
		    s[3] >= '0' && s[3] <= '7') {
			char c = (char)((s[1] - '0') * 64 + (s[2] - '0') * 8 + (s[3] - '0'));

			if (c) {
				*w++ = c;
				s += 4;
				continue;
			}
		}
		*w++ = *s++;
	}
	*w = '\0';
}

static int add_mount(struct hd_host_facts *h, char *mp, char *fstype, char *src)
{
	struct hd_mount_entry *m;

	unescape_octal(mp);
	unescape_octal(src);
	if (HD_GROW(h->mounts, h->alloc_mounts, h->n_mounts + 1) < 0)
		return -HD_ENOMEM;
	m = &h->mounts[h->n_mounts];
	m->mount_point = hd_strdup(mp);
	m->fstype = hd_strdup(fstype);
	m->source = hd_strdup(src);
	if (!m->mount_point || !m->fstype || !m->source) {
		hd_free(m->mount_point);
		hd_free(m->fstype);
		hd_free(m->source);
		return -HD_ENOMEM;
	}
	h->n_mounts++;
	return 0;
}

int hd_mountinfo_parse(struct hd_host_facts *h, const char *data, size_t len)
{
	size_t pos = 0;
	int count = 0, r;

	while (pos < len) {
		const char *l = data + pos, *nl = memchr(l, '\n', len - pos);
		size_t ll = nl ? (size_t)(nl - l) : len - pos, n, i, sep = 0;
		char *tok[MAX_TOKENS];
		char *line;

		pos += ll + (nl ? 1 : 0);
		line = hd_strndup(l, ll);
		if (!line)
			return -HD_ENOMEM;
		n = tokenize(line, tok, MAX_TOKENS);
		for (i = 6; i < n; i++) {
			if (strcmp(tok[i], "-") == 0) {
				sep = i;
				break;
			}
		}
		r = 0;
		if (sep && sep + 2 < n && tok[4][0] == '/') {
			r = add_mount(h, tok[4], tok[sep + 1], tok[sep + 2]);
			count++;
		} else if (!sep && n >= 4 && n <= 6 && tok[1][0] == '/' && tok[0][0] != '#') {
			r = add_mount(h, tok[1], tok[2], tok[0]);
			count++;
		}
		hd_free(line);
		if (r < 0)
			return r;
	}
	return count;
}
