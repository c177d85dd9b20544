/*
 * What the audits know about one file of the audited host: its path as seen
 * on that host, whether it could be examined, and its owner and mode.  Shared
 * by host_facts (the paths auditd should watch) and daemon_spec (the files of
 * CIS section 3).  Readers fill it; rules only compare.
 *
 * Ownership: a fact owns its strings; hd_file_fact_release() frees them, and
 * hd_file_list_release() frees a list and every fact in it.
 */
#ifndef HD_MODEL_FILEINFO_H
#define HD_MODEL_FILEINFO_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

enum hd_file_type {
	HD_FT_MISSING = 0, /* does not exist (err is -HD_ENOENT) or could not be examined */
	HD_FT_REG,
	HD_FT_DIR,
	HD_FT_SOCK,
	HD_FT_LINK,        /* only in tree listings, which do not follow links */
	HD_FT_OTHER,
};

struct hd_file_fact {
	char *path;          /* absolute path on the audited host, as named ("/var/run/docker.sock") */
	char *canon;         /* the same after following symlinks inside the root, or NULL */
	int err;             /* 0, or -HD_ENOENT, -HD_EACCES, -HD_ELOOP, -HD_EIO */
	enum hd_file_type type;
	uint32_t mode;       /* permission bits only (07777) */
	uint32_t uid, gid;
	char *owner, *group; /* names from the audited host's passwd/group, or NULL when unknown */
};

struct hd_file_list {
	struct hd_file_fact *v;
	size_t n, alloc;
};

void hd_file_fact_release(struct hd_file_fact *f);
void hd_file_list_release(struct hd_file_list *l);
/* Appends an empty fact for path (copied); returns it, or NULL on OOM. */
struct hd_file_fact *hd_file_list_add(struct hd_file_list *l, const char *path);
/* The first fact that exists (type != MISSING), or NULL. */
const struct hd_file_fact *hd_file_list_first_present(const struct hd_file_list *l);
struct hd_check;
/*
 * Why a check about the files of l does not apply: "WHAT: /a, /b" (the paths
 * looked for), through hd_not_applicable().  Returns what it returns.
 */
int hd_not_applicable_files(struct hd_check *ck, const char *what, const struct hd_file_list *l);
/* "root:root", "1000:docker", ... into buf (always NUL-terminated). */
void hd_file_fact_owner(const struct hd_file_fact *f, char *buf, size_t size);

#endif
