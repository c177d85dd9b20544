/*
 * One pass over this machine's /proc for a live audit: every process's
 * command name (the daemon reader looks for dockerd) and, when asked, the
 * container ids its cgroup file names (the engine audit gives each running
 * container its processes from them instead of asking the daemon to run ps).
 * A full audit walks /proc once and hands the result to both.
 *
 * Processes that start after the pass are not in it: a container whose
 * first process is missing is asked about through the engine, as when /proc
 * cannot be read at all.
 *
 * Ownership: struct hd_procs owns its arrays (hd_procs_release()).
 */
#ifndef HD_AUDIT_PROCS_H
#define HD_AUDIT_PROCS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* A process and its command name (/proc/PID/comm without the newline). */
struct hd_proc {
	int32_t pid;
	char comm[16];
};

/* A 64-hex-digit id in the cgroup file of process pid (a pid may have several). */
struct hd_proc_cgid {
	int32_t pid;
	char id[65];
};

struct hd_procs {
	bool read;                 /* the pass ran (/proc could be listed) */
	bool cgroups;              /* cgids were collected */
	struct hd_proc *v;         /* in /proc's order */
	size_t n, alloc;
	struct hd_proc_cgid *ids;  /* in /proc's order, then the file's order */
	size_t n_ids, alloc_ids;
};

void hd_procs_init(struct hd_procs *p);
void hd_procs_release(struct hd_procs *p);

/*
 * Walks /proc (at most HD_MAX_PROCS processes).  With cgroups, also collects
 * the container ids of each process's cgroup file.  Returns 0 (p->read
 * false when /proc cannot be listed) or -HD_ENOMEM.
 */
int hd_procs_scan(struct hd_procs *p, bool cgroups);

/*
 * Reads a small /proc file into buf (NUL-terminated, at most n - 1 bytes)
 * with one open, read and close; its length, or -1.
 */
long hd_proc_read_small(const char *path, char *buf, size_t n);

#endif
