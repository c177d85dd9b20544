/*
 * auditd rules: the watches of a rules file (a file of /etc/audit/rules.d,
 * /etc/audit/audit.rules) or of `auditctl -l` output, in the syntax auditctl
 * takes: "-w PATH [-p PERMS] [-k KEY]" and "-a always,exit -F path=PATH
 * (or -F dir=DIR) -F perm=PERMS -k KEY".  "-D" drops every rule read so far
 * and "-W PATH" drops the watch on PATH, as when augenrules concatenates the
 * files in order.  Other control lines (-b, -e, -f, ...) are skipped.
 *
 * The kernel's loaded list comes over netlink (AUDIT_LIST_RULES, read by
 * src/audit/kernel_audit.c) as one struct audit_rule_data per rule;
 * hd_auditrules_decode() turns each into the same model as the text.
 */
#ifndef HD_PARSE_AUDITRULES_H
#define HD_PARSE_AUDITRULES_H

#include <stdbool.h>
#include <stddef.h>

#include "model/host.h"
#include "parse/unit.h"

/*
 * Adds the watches of data[0..len) (named file in origins; `live` for the
 * kernel's list) to rules.  Malformed lines go to problems (may be NULL).
 * Returns 0 or -HD_ENOMEM.
 */
int hd_auditrules_parse(struct hd_audit_rules *rules, const char *file, const char *data,
			size_t len, bool live, struct hd_uproblems *problems);

/*
 * Decodes one struct audit_rule_data (data[0..len), as the kernel sends it in
 * reply to AUDIT_LIST_RULES) and adds it to rules (live set, named `file`
 * and `index` in origins) when it is a watch the text form would give: an
 * "always" rule of the exit list with a path (-F path=, -w) or a directory
 * (-F dir=), its -F perm= and its keys (several are joined with ',').
 * Other rules (syscall rules, "never" rules) are skipped.  Returns 1 when a
 * watch was added, 0 when skipped, -HD_EPARSE when the structure is
 * malformed (counts or lengths beyond its size), or -HD_ENOMEM.
 */
int hd_auditrules_decode(struct hd_audit_rules *rules, const void *data, size_t len, const char *file,
			 uint32_t index);

/*
 * Adds the mounts of a mountinfo file (/proc/self/mountinfo) to h; lines in
 * /proc/mounts format ("SOURCE TARGET TYPE OPTIONS 0 0") are accepted too.
 * Octal escapes (\040) are decoded.  Returns the number of mounts read (>= 0)
 * or -HD_ENOMEM.
 */
int hd_mountinfo_parse(struct hd_host_facts *h, const char *data, size_t len);

#endif
