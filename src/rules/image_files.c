/*
 * Image-files rules: judge what an image's layers hold (image_files, built
 * by src/image/ in one streaming pass): setuid/setgid files (CIS 4.8), file
 * capabilities, world-writable files and folders, accounts, private keys,
 * credentials and tokens, files left behind, and what is wrong with the
 * layers as archives.  Each finding names the image (object), the path
 * (field), the layer (its digest) and the history step that added it.
 *
 * The examples are image listings in the form tests/image/mkimage.py reads:
 * "layer: CREATED_BY" starts a layer, then one `ls -l`-like line a file
 * (type and mode, uid, gid, path, then "-> target" or ": content").  The
 * image tests build each example into an image archive and check that the
 * bad one fires its rule and the good one fires no rule of this kind.
 */
#include "core/common.h"
#include "core/finding.h"
#include "core/rule.h"
#include "model/image_files.h"

#include <sys/stat.h>

#define BASE_LAYER "layer: /bin/sh -c #(nop) ADD file:5f8c0d1e2a in /\n"                    \
		   "drwxr-xr-x 0 0 /etc\n"                                                \
		   "-rw-r--r-- 0 0 /etc/passwd: root:x:0:0:root:/root:/bin/sh\\napp:x:10001:10001::/app:/sbin/nologin\\n\n" \
		   "-rw-r----- 0 42 /etc/shadow: root:*:19000:0:99999:7:::\\napp:!:19000::::::\\n\n" \
		   "-rw-r--r-- 0 0 /etc/group: root:x:0:\\nshadow:x:42:\\napp:x:10001:\\n\n"       \
		   "drwxrwxrwt 0 0 /tmp\n"

/* ---- helpers ------------------------------------------------------------------------- */

/* Where a record sits: object = image, field = path, layer = its digest. */
static void floc(const struct hd_image_files *f, unsigned layer, const char *path, struct hd_loc *loc)
{
	memset(loc, 0, sizeof(*loc));
	loc->file = f->source;
	loc->object = f->image;
	loc->field = path;
	loc->layer = layer < f->n_layers ? f->layers[layer].digest : NULL;
}

/* "layer 3 (sha256:1234abcd5678, from 'RUN chmod u+s /x')" */
static const char *where(const struct hd_image_files *f, unsigned layer, char *buf, size_t n)
{
	const struct hd_image_layer *L = layer < f->n_layers ? &f->layers[layer] : NULL;
	const char *step = L && L->step >= 0 && (size_t)L->step < f->n_steps ? f->steps[L->step].created_by : NULL;

	snprintf(buf, n, "layer %u (%.19s%s%s%s)", layer + 1, L ? L->digest : "?", step && *step ? ", from '" : "",
		 step && *step ? step : "", step && *step ? "'" : "");
	return buf;
}

/* " (deleted by layer 5, but its bytes are still in layer 3)" for records no longer in the final tree. */
static const char *removal(const struct hd_image_files *f, bool visible, int removed_by, unsigned layer, char *buf,
			   size_t n)
{
	if (visible) {
		buf[0] = '\0';
		return buf;
	}
	snprintf(buf, n, "; a later layer (%d) deletes or replaces it, but its bytes are still in layer %u "
		 "and anyone who pulls the image can read them", removed_by + 1, layer + 1);
	(void)f;
	return buf;
}

static void mode_string(uint32_t m, char out[11])
{
	static const char rwx[] = "rwxrwxrwx";
	int i;

	out[0] = S_ISDIR(m) ? 'd' : S_ISLNK(m) ? 'l' : S_ISCHR(m) ? 'c' : S_ISBLK(m) ? 'b' : S_ISFIFO(m) ? 'p' : '-';
	for (i = 0; i < 9; i++)
		out[1 + i] = (m & (1u << (8 - i))) ? rwx[i] : '-';
	if (m & S_ISUID)
		out[3] = (m & S_IXUSR) ? 's' : 'S';
	if (m & S_ISGID)
		out[6] = (m & S_IXGRP) ? 's' : 'S';
	if (m & S_ISVTX)
		out[9] = (m & S_IXOTH) ? 't' : 'T';
	out[10] = '\0';
}

/* ---- image/setuid-file ------------------------------------------------------------------ */

static hd_check_fn check_setuid;
const struct hd_rule hd_rule_image_setuid_file = {
	.id = "image/setuid-file",
	.title = "Image holds setuid or setgid files",
	.severity = HD_SEV_MEDIUM,
	.target = HD_TARGET_IMAGE_FILES,
	.cis = "4.8",
	.owasp = "D04",
	.other = "dockle:CIS-DI-0008 docker-bench:4.8",
	.rationale = "A setuid or setgid program runs with its owner's or group's rights whatever user "
		     "starts it: in a container running as a non-root user it is the way back to root, "
		     "through any bug in the program. Most containers need none of them. Files an OS "
		     "package installed (dpkg, apk, rpm) are reported as low: known programs, patched by "
		     "updates; a setuid file no package owns was added by the image's author and is "
		     "reported at the rule's severity. CIS 4.8 leaves this check manual; it is automated "
		     "here, on the final tree of the layers (a file deleted by a later layer does not count).",
	.remediation = "Remove the bits in the Dockerfile where the file is added: `RUN find / -xdev -perm "
		       "/6000 -type f -exec chmod a-s {} +`, or do not install the program; run the container "
		       "with `--security-opt no-new-privileges` so no setuid bit takes effect.",
	.bad_example = BASE_LAYER "layer: RUN /bin/sh -c install -m 4755 tool /usr/local/bin/tool\n"
		       "drwxr-xr-x 0 0 /usr/local/bin\n"
		       "-rwsr-xr-x 0 0 /usr/local/bin/tool: ELF",
	.good_example = BASE_LAYER "layer: RUN /bin/sh -c install -m 0755 tool /usr/local/bin/tool\n"
			"drwxr-xr-x 0 0 /usr/local/bin\n"
			"-rwxr-xr-x 0 0 /usr/local/bin/tool: ELF",
	.check = check_setuid,
};

static int check_setuid(const struct hd_model *m, const struct hd_rule *r, struct hd_check *ck)
{
	const struct hd_image_files *f = m->files;
	char w[256], ms[11];
	size_t i;
	int rc;

	for (i = 0; i < f->n_files; i++) {
		const struct hd_image_file *x = &f->files[i];
		const char *bits;
		struct hd_loc loc;

		if (!(x->flags & HD_IFILE_SETID) || !x->visible)
			continue;
		bits = (x->mode & S_ISUID) && (x->mode & S_ISGID) ? "setuid and setgid" :
		       (x->mode & S_ISUID) ? "setuid" : "setgid";
		mode_string(x->mode, ms);
		floc(f, x->layer, x->path, &loc);
		if (x->owner)
			rc = hd_report_sev(ck, HD_SEV_LOW, &loc, "image '%s': %s is %s (%s, uid %" PRId64 ", gid %"
					   PRId64 "), installed by package '%s', in %s", f->image, x->path, bits, ms,
					   x->uid, x->gid, x->owner, where(f, x->layer, w, sizeof(w)));
		else
			rc = hd_report(ck, &loc, "image '%s': %s is %s (%s, uid %" PRId64 ", gid %" PRId64 ") and %s; "
				       "in %s", f->image, x->path, bits, ms, x->uid, x->gid,
				       f->pkgdb == HD_PKGDB_NONE ? "the image has no package database to own it"
								 : "no OS package owns it",
				       where(f, x->layer, w, sizeof(w)));
		if (rc < 0)
			return rc;
	}
	return 0;
}

/* ---- image/file-capabilities --------------------------------------------------------------- */

static const char *const cap_names[] = {
	"chown", "dac_override", "dac_read_search", "fowner", "fsetid", "kill", "setgid", "setuid",
	"setpcap", "linux_immutable", "net_bind_service", "net_broadcast", "net_admin", "net_raw",
	"ipc_lock", "ipc_owner", "sys_module", "sys_rawio", "sys_chroot", "sys_ptrace", "sys_pacct",
	"sys_admin", "sys_boot", "sys_nice", "sys_resource", "sys_time", "sys_tty_config", "mknod",
	"lease", "audit_write", "audit_control", "setfcap", "mac_override", "mac_admin", "syslog",
	"wake_alarm", "block_suspend", "audit_read", "perfmon", "bpf", "checkpoint_restore",
};

/* Capabilities that give root's power back (escape paths, any file, any process). */
static const uint64_t cap_dangerous = (1ull << 1) | (1ull << 2) | (1ull << 3) | (1ull << 6) | (1ull << 7) |
				      (1ull << 12) | (1ull << 16) | (1ull << 17) | (1ull << 19) | (1ull << 21) |
				      (1ull << 31) | (1ull << 39);

/* "cap_net_admin,cap_net_raw=eip" as getcap writes it, into buf. */
static void caps_text(const struct hd_image_file *x, char *buf, size_t n)
{
	uint64_t all = x->cap_permitted | x->cap_inheritable;
	size_t o = 0;
	unsigned i;

	buf[0] = '\0';
	for (i = 0; i < 64 && o < n; i++) {
		if (!(all >> i & 1))
			continue;
		if (i < HD_ARRAY_SIZE(cap_names))
			o += (size_t)snprintf(buf + o, n - o, "%scap_%s", o ? "," : "", cap_names[i]);
		else
			o += (size_t)snprintf(buf + o, n - o, "%scap_%u", o ? "," : "", i);
	}
	if (o < n)
		snprintf(buf + o, n - o, "=%s%s%s", x->cap_effective ? "e" : "", x->cap_inheritable ? "i" : "",
			 x->cap_permitted ? "p" : "");
}

static hd_check_fn check_caps;
const struct hd_rule hd_rule_image_file_capabilities = {
	.id = "image/file-capabilities",
	.title = "Image holds files with capabilities",
	.severity = HD_SEV_MEDIUM,
	.target = HD_TARGET_IMAGE_FILES,
	.cis = "4.8",
	.owasp = "D04",
	.rationale = "File capabilities (the security.capability attribute, set with setcap) are setuid in "
		     "small pieces: the program gets those privileges whatever user runs it. They are "
		     "invisible to `ls -l` and to checks that look only for setuid bits. Capabilities "
		     "that amount to root (sys_admin, dac_override, setuid, sys_module, sys_ptrace, ...) "
		     "are reported as high; capabilities an OS package set (ping's cap_net_raw) as low.",
	.remediation = "Remove the attribute where it is set: `RUN setcap -r /usr/local/bin/tool`; grant "
		       "the capability to the container at run time instead (`--cap-add`), only where needed.",
	.bad_example = BASE_LAYER "layer: RUN /bin/sh -c setcap cap_net_admin+ep /usr/local/bin/netd\n"
		       "drwxr-xr-x 0 0 /usr/local/bin\n"
		       "-rwxr-xr-x 0 0 /usr/local/bin/netd [caps=cap_net_admin+ep]: ELF",
	.good_example = BASE_LAYER "layer: RUN /bin/sh -c cp netd /usr/local/bin/netd\n"
			"drwxr-xr-x 0 0 /usr/local/bin\n"
			"-rwxr-xr-x 0 0 /usr/local/bin/netd: ELF",
	.check = check_caps,
};

static int check_caps(const struct hd_model *m, const struct hd_rule *r, struct hd_check *ck)
{
	const struct hd_image_files *f = m->files;
	char w[256], caps[512];
	size_t i;
	int rc;

	for (i = 0; i < f->n_files; i++) {
		const struct hd_image_file *x = &f->files[i];
		struct hd_loc loc;
		enum hd_severity sev = HD_SEV_NONE;

		if (!(x->flags & HD_IFILE_CAPS) || !x->visible)
			continue;
		floc(f, x->layer, x->path, &loc);
		if (!x->cap_version) {
			rc = hd_report(ck, &loc, "image '%s': %s has a security.capability attribute that cannot be "
				       "decoded; in %s", f->image, x->path, where(f, x->layer, w, sizeof(w)));
		} else {
			caps_text(x, caps, sizeof(caps));
			if ((x->cap_permitted | x->cap_inheritable) & cap_dangerous)
				sev = HD_SEV_HIGH;
			else if (x->owner)
				sev = HD_SEV_LOW;
			rc = hd_report_sev(ck, sev, &loc, "image '%s': %s has file capabilities %s%s%s%s; in %s",
					   f->image, x->path, caps, x->cap_rootid >= 0 ? " (namespaced)" : "",
					   x->owner ? ", installed by package " : "", x->owner ? x->owner : "",
					   where(f, x->layer, w, sizeof(w)));
		}
		if (rc < 0)
			return rc;
	}
	return 0;
}

/* ---- world-writable ------------------------------------------------------------------------- */

static hd_check_fn check_ww_file;
const struct hd_rule hd_rule_image_world_writable_file = {
	.id = "image/world-writable-file",
	.title = "Image holds world-writable files",
	.severity = HD_SEV_MEDIUM,
	.target = HD_TARGET_IMAGE_FILES,
	.owasp = "D04",
	.rationale = "Any user in the container can change a world-writable file: a script, a configuration "
		     "or a library that another (more privileged) process later reads or runs becomes a way "
		     "to take that process over.",
	.remediation = "Give the file to the user that needs to write it and drop the others' write bit: "
		       "`COPY --chown=app:app --chmod=0644 app.conf /etc/app/`.",
	.bad_example = BASE_LAYER "layer: RUN /bin/sh -c chmod 666 /etc/app.conf\n"
		       "-rw-rw-rw- 0 0 /etc/app.conf: debug=false",
	.good_example = BASE_LAYER "layer: RUN /bin/sh -c chmod 644 /etc/app.conf\n"
			"-rw-r--r-- 0 0 /etc/app.conf: debug=false",
	.check = check_ww_file,
};

static int check_ww_file(const struct hd_model *m, const struct hd_rule *r, struct hd_check *ck)
{
	const struct hd_image_files *f = m->files;
	char w[256], ms[11];
	size_t i;
	int rc;

	for (i = 0; i < f->n_files; i++) {
		const struct hd_image_file *x = &f->files[i];
		struct hd_loc loc;

		if (!(x->flags & HD_IFILE_WW_FILE) || !x->visible)
			continue;
		mode_string(x->mode, ms);
		floc(f, x->layer, x->path, &loc);
		rc = hd_report(ck, &loc, "image '%s': %s is writable by every user (%s); in %s", f->image,
			       x->path, ms, where(f, x->layer, w, sizeof(w)));
		if (rc < 0)
			return rc;
	}
	return 0;
}

static hd_check_fn check_ww_dir;
const struct hd_rule hd_rule_image_world_writable_dir = {
	.id = "image/world-writable-dir",
	.title = "Image holds world-writable folders without the sticky bit",
	.severity = HD_SEV_MEDIUM,
	.target = HD_TARGET_IMAGE_FILES,
	.owasp = "D04",
	.rationale = "In a folder every user can write without the sticky bit (like /tmp has), any user "
		     "can delete or replace the files of the others, including those a privileged process "
		     "reads or runs from there.",
	.remediation = "Give the folder to the user that writes it (`RUN install -d -o app -m 0750 /data`), "
		       "or set the sticky bit as /tmp has it: `chmod 1777`.",
	.bad_example = BASE_LAYER "layer: RUN /bin/sh -c mkdir -m 777 /data\n"
		       "drwxrwxrwx 0 0 /data",
	.good_example = BASE_LAYER "layer: RUN /bin/sh -c install -d -o 10001 -m 750 /data\n"
			"drwxr-x--- 10001 10001 /data",
	.check = check_ww_dir,
};

static int check_ww_dir(const struct hd_model *m, const struct hd_rule *r, struct hd_check *ck)
{
	const struct hd_image_files *f = m->files;
	char w[256], ms[11];
	size_t i;
	int rc;

	for (i = 0; i < f->n_files; i++) {
		const struct hd_image_file *x = &f->files[i];
		struct hd_loc loc;

		if (!(x->flags & HD_IFILE_WW_DIR) || !x->visible)
			continue;
		mode_string(x->mode, ms);
		floc(f, x->layer, x->path, &loc);
		rc = hd_report(ck, &loc, "image '%s': folder %s is writable by every user and has no sticky bit "
			       "(%s); in %s", f->image, x->path, ms, where(f, x->layer, w, sizeof(w)));
		if (rc < 0)
			return rc;
	}
	return 0;
}

/* ---- accounts ---------------------------------------------------------------------------------- */

static void acct_loc(const struct hd_image_files *f, const struct hd_image_textfile *t, struct hd_loc *loc)
{
	floc(f, t->layer, t->path ? t->path : "/etc/passwd", loc);
}

static hd_check_fn check_uid0;
const struct hd_rule hd_rule_image_uid0_account = {
	.id = "image/uid0-account",
	.title = "Account other than root with uid 0",
	.severity = HD_SEV_HIGH,
	.target = HD_TARGET_IMAGE_FILES,
	.owasp = "D01",
	.rationale = "Every account with uid 0 is root, whatever its name. A second one is a classic "
		     "backdoor, and `USER toor` in a Dockerfile reads as a non-root user while it is root.",
	.remediation = "Remove the account or give it a uid of its own: `RUN usermod -u 10002 toor`.",
	.bad_example = BASE_LAYER "layer: RUN /bin/sh -c echo 'toor:x:0:0::/root:/bin/sh' >> /etc/passwd\n"
		       "-rw-r--r-- 0 0 /etc/passwd: root:x:0:0:root:/root:/bin/sh\\ntoor:x:0:0::/root:/bin/sh\\n",
	.good_example = BASE_LAYER "layer: RUN /bin/sh -c useradd -u 10002 toor\n"
			"-rw-r--r-- 0 0 /etc/passwd: root:x:0:0:root:/root:/bin/sh\\ntoor:x:10002:10002::/home/toor:/bin/sh\\n",
	.check = check_uid0,
};

static int check_uid0(const struct hd_model *m, const struct hd_rule *r, struct hd_check *ck)
{
	const struct hd_image_files *f = m->files;
	char w[256];
	size_t i;
	int rc;

	if (!f->passwd.present)
		return hd_not_applicable(ck, "the image has no /etc/passwd");
	for (i = 0; i < f->n_accounts; i++) {
		const struct hd_image_account *a = &f->accounts[i];
		struct hd_loc loc;

		if (a->uid != 0 || !strcmp(a->name, "root"))
			continue;
		acct_loc(f, &f->passwd, &loc);
		rc = hd_report(ck, &loc, "image '%s': account '%s' has uid 0 (it is root), /etc/passwd line %u in %s",
			       f->image, a->name, a->line, where(f, f->passwd.layer, w, sizeof(w)));
		if (rc < 0)
			return rc;
	}
	return 0;
}

static hd_check_fn check_dup_ids;
const struct hd_rule hd_rule_image_duplicate_id = {
	.id = "image/duplicate-id",
	.title = "Accounts or groups share an id",
	.severity = HD_SEV_MEDIUM,
	.target = HD_TARGET_IMAGE_FILES,
	.owasp = "D01",
	.other = "dockle:DKL-LI-0002",
	.rationale = "The kernel knows users and groups by number only: two accounts with one uid are one "
		     "user with two names, so files, processes and audit records of one are the other's. "
		     "It usually comes from editing /etc/passwd by hand in a Dockerfile. A second account "
		     "with uid 0 is reported by image/uid0-account instead.",
	.remediation = "Create users and groups with useradd/groupadd (or adduser -D on Alpine), which "
		       "refuse duplicates, and give each its own id.",
	.bad_example = BASE_LAYER "layer: RUN /bin/sh -c echo 'web:x:10001:10001::/web:/sbin/nologin' >> /etc/passwd\n"
		       "-rw-r--r-- 0 0 /etc/passwd: root:x:0:0:root:/root:/bin/sh\\napp:x:10001:10001::/app:/sbin/nologin\\nweb:x:10001:10001::/web:/sbin/nologin\\n",
	.good_example = BASE_LAYER "layer: RUN /bin/sh -c useradd -u 10002 web\n"
			"-rw-r--r-- 0 0 /etc/passwd: root:x:0:0:root:/root:/bin/sh\\napp:x:10001:10001::/app:/sbin/nologin\\nweb:x:10002:10002::/web:/sbin/nologin\\n",
	.check = check_dup_ids,
};

static int check_dup_ids(const struct hd_model *m, const struct hd_rule *r, struct hd_check *ck)
{
	const struct hd_image_files *f = m->files;
	char w[256];
	size_t i, j;
	int rc;

	if (!f->passwd.present && !f->group.present)
		return hd_not_applicable(ck, "the image has no /etc/passwd or /etc/group");
	for (i = 0; i < f->n_accounts; i++) {
		for (j = 0; j < i; j++) {
			struct hd_loc loc;

			/* A second uid 0 is image/uid0-account's finding. */
			if (f->accounts[j].uid != f->accounts[i].uid || f->accounts[i].uid == 0)
				continue;
			acct_loc(f, &f->passwd, &loc);
			rc = hd_report(ck, &loc, "image '%s': accounts '%s' and '%s' share uid %" PRId64 " (/etc/passwd "
				       "lines %u and %u in %s)", f->image, f->accounts[j].name, f->accounts[i].name,
				       f->accounts[i].uid, f->accounts[j].line, f->accounts[i].line,
				       where(f, f->passwd.layer, w, sizeof(w)));
			if (rc < 0)
				return rc;
			break;
		}
	}
	for (i = 0; i < f->n_groups; i++) {
		for (j = 0; j < i; j++) {
			struct hd_loc loc;

			if (f->groups[j].gid != f->groups[i].gid)
				continue;
			floc(f, f->group.layer, f->group.path, &loc);
			rc = hd_report(ck, &loc, "image '%s': groups '%s' and '%s' share gid %" PRId64 " (/etc/group "
				       "lines %u and %u in %s)", f->image, f->groups[j].name, f->groups[i].name,
				       f->groups[i].gid, f->groups[j].line, f->groups[i].line,
				       where(f, f->group.layer, w, sizeof(w)));
			if (rc < 0)
				return rc;
			break;
		}
	}
	return 0;
}

static hd_check_fn check_empty_pw;
const struct hd_rule hd_rule_image_empty_password = {
	.id = "image/empty-password",
	.title = "Account with an empty password",
	.severity = HD_SEV_HIGH,
	.target = HD_TARGET_IMAGE_FILES,
	.owasp = "D01",
	.other = "dockle:DKL-LI-0001",
	.rationale = "An account whose password field is empty logs in without a password: `su app` from "
		     "any process in the container, and a login over any service the image runs.",
	.remediation = "Lock the account: `RUN passwd -l app` (or `usermod -L`); accounts for services need "
		       "no password at all.",
	.bad_example = BASE_LAYER "layer: RUN /bin/sh -c passwd -d app\n"
		       "-rw-r----- 0 42 /etc/shadow: root:*:19000:0:99999:7:::\\napp::19000::::::\\n",
	.good_example = BASE_LAYER "layer: RUN /bin/sh -c passwd -l app\n"
			"-rw-r----- 0 42 /etc/shadow: root:*:19000:0:99999:7:::\\napp:!:19000::::::\\n",
	.check = check_empty_pw,
};

static int check_empty_pw(const struct hd_model *m, const struct hd_rule *r, struct hd_check *ck)
{
	const struct hd_image_files *f = m->files;
	char w[256];
	size_t i;
	int rc;

	if (!f->passwd.present)
		return hd_not_applicable(ck, "the image has no /etc/passwd");
	for (i = 0; i < f->n_accounts; i++) {
		const struct hd_image_account *a = &f->accounts[i];
		const struct hd_image_textfile *t = a->shadow_line ? &f->shadow : &f->passwd;
		struct hd_loc loc;

		if (a->pw != HD_PW_EMPTY)
			continue;
		acct_loc(f, t, &loc);
		rc = hd_report(ck, &loc, "image '%s': account '%s' has an empty password in %s (line %u, %s)",
			       f->image, a->name, t->path, a->shadow_line ? a->shadow_line : a->line,
			       where(f, t->layer, w, sizeof(w)));
		if (rc < 0)
			return rc;
	}
	return 0;
}

static hd_check_fn check_root_pw;
const struct hd_rule hd_rule_image_root_password = {
	.id = "image/root-password",
	.title = "root has a password set (not locked)",
	.severity = HD_SEV_MEDIUM,
	.target = HD_TARGET_IMAGE_FILES,
	.owasp = "D01",
	.rationale = "A container needs no root password: `docker exec -u 0` reaches root without one. A "
		     "password hash baked into an image is the same on every container and every copy of "
		     "the image, can be cracked offline, and lets any user who learns it `su` to root.",
	.remediation = "Lock root's password: `RUN passwd -l root` (its field becomes `!` or `*`).",
	.bad_example = BASE_LAYER "layer: RUN /bin/sh -c echo 'root:Secret1' | chpasswd\n"
		       "-rw-r----- 0 42 /etc/shadow: root:$6$zq0Bv1$8Lq2o5.vNmQw1rS9tU3xYz:19000:0:99999:7:::\\napp:!:19000::::::\\n",
	.good_example = BASE_LAYER "layer: RUN /bin/sh -c passwd -l root\n"
			"-rw-r----- 0 42 /etc/shadow: root:!$6$zq0Bv1$8Lq2o5.vNmQw1rS9tU3xYz:19000:0:99999:7:::\\napp:!:19000::::::\\n",
	.check = check_root_pw,
};

static int check_root_pw(const struct hd_model *m, const struct hd_rule *r, struct hd_check *ck)
{
	const struct hd_image_files *f = m->files;
	char w[256];
	size_t i;

	if (!f->passwd.present)
		return hd_not_applicable(ck, "the image has no /etc/passwd");
	for (i = 0; i < f->n_accounts; i++) {
		const struct hd_image_account *a = &f->accounts[i];
		const struct hd_image_textfile *t = a->shadow_line ? &f->shadow : &f->passwd;
		struct hd_loc loc;

		if (strcmp(a->name, "root") != 0 || a->pw != HD_PW_SET)
			continue;
		acct_loc(f, t, &loc);
		return hd_report(ck, &loc, "image '%s': root has a password hash in %s (line %u, %s): root is not "
				 "locked", f->image, t->path, a->shadow_line ? a->shadow_line : a->line,
				 where(f, t->layer, w, sizeof(w)));
	}
	return 0;
}

static hd_check_fn check_shadow_mode;
const struct hd_rule hd_rule_image_shadow_readable = {
	.id = "image/shadow-readable",
	.title = "/etc/shadow is readable or writable by other users",
	.severity = HD_SEV_HIGH,
	.target = HD_TARGET_IMAGE_FILES,
	.owasp = "D01,D04",
	.rationale = "/etc/shadow holds the password hashes; readable by every user they can be cracked "
		     "offline, writable by every user any account's password can be replaced. Distributions "
		     "ship it as 0640 root:shadow or 0600 (0000 on RHEL).",
	.remediation = "Fix the mode where the file is written: `RUN chmod 0640 /etc/shadow`.",
	.bad_example = BASE_LAYER "layer: RUN /bin/sh -c chmod 644 /etc/shadow\n"
		       "-rw-r--r-- 0 42 /etc/shadow: root:*:19000:0:99999:7:::\\napp:!:19000::::::\\n",
	.good_example = BASE_LAYER "layer: RUN /bin/sh -c chmod 640 /etc/shadow\n"
			"-rw-r----- 0 42 /etc/shadow: root:*:19000:0:99999:7:::\\napp:!:19000::::::\\n",
	.check = check_shadow_mode,
};

static int check_shadow_mode(const struct hd_model *m, const struct hd_rule *r, struct hd_check *ck)
{
	const struct hd_image_files *f = m->files;
	char w[256], ms[11];
	struct hd_loc loc;

	if (!f->shadow.present)
		return hd_not_applicable(ck, "the image has no /etc/shadow");
	if (!(f->shadow.mode & (S_IROTH | S_IWOTH)))
		return 0;
	mode_string(f->shadow.mode, ms);
	floc(f, f->shadow.layer, f->shadow.path, &loc);
	return hd_report(ck, &loc, "image '%s': /etc/shadow is %s by other users (%s) in %s", f->image,
			 (f->shadow.mode & S_IWOTH) ? "writable" : "readable", ms,
			 where(f, f->shadow.layer, w, sizeof(w)));
}

/* ---- secrets ---------------------------------------------------------------------------------------- */

static int report_secrets(const struct hd_image_files *f, struct hd_check *ck, enum hd_secret_kind_m kind)
{
	char w[256], rm[256];
	size_t i;
	int rc;

	for (i = 0; i < f->n_secrets; i++) {
		const struct hd_image_secret *x = &f->secrets[i];
		struct hd_loc loc;

		if (x->kind != kind)
			continue;
		floc(f, x->layer, x->path, &loc);
		if (x->by_name)
			rc = hd_report(ck, &loc, "image '%s': %s is %s, in %s%s", f->image, x->path, x->what,
				       where(f, x->layer, w, sizeof(w)), removal(f, x->visible, x->removed_by, x->layer,
										  rm, sizeof(rm)));
		else
			rc = hd_report(ck, &loc, "image '%s': %s holds %s (ending at byte %" PRIu64 "), in %s%s",
				       f->image, x->path, x->what, x->offset, where(f, x->layer, w, sizeof(w)),
				       removal(f, x->visible, x->removed_by, x->layer, rm, sizeof(rm)));
		if (rc < 0)
			return rc;
	}
	return 0;
}

#define SECRET_WHY " The finding names the file and where the match ends, never the value. A file a " \
		   "later layer deletes is still reported: its bytes stay in the layer that added it, " \
		   "and `docker save` or a registry pull hands them to anyone."

static hd_check_fn check_private_key;
const struct hd_rule hd_rule_image_private_key = {
	.id = "image/private-key",
	.title = "Private key in the image",
	.severity = HD_SEV_HIGH,
	.target = HD_TARGET_IMAGE_FILES,
	.cis = "4.10",
	.owasp = "D06",
	.other = "dockle:CIS-DI-0010 trivy:secret",
	.rationale = "A private key in an image belongs to everyone who can pull the image: TLS keys let "
		     "them impersonate the service, SSH keys open the machines they are authorized on. "
		     "Found by content (PEM, OpenSSH and PuTTY private key blocks followed by key data, so "
		     "a CA bundle or a program that merely names the marker does not match) and by the "
		     "usual file names (id_rsa, id_ed25519, ...). OS-package documentation and test data "
		     "are not scanned, and keys inside files an OS package installed (libgnutls carries "
		     "one for its self-tests) are not reported." SECRET_WHY,
	.remediation = "Do not copy keys into the build context's image: mount them at run time "
		       "(`--mount type=secret` or a volume), or use `RUN --mount=type=secret,id=key` during "
		       "the build; then rotate the key, since every copy of the image holds it.",
	.bad_example = BASE_LAYER "layer: COPY tls.key /etc/app/tls.key # buildkit\n"
		       "-rw------- 10001 10001 /etc/app/tls.key: -----BEGIN PRIVATE KEY-----\\n"
		       "MIIEvQIBADANBgkqhkiG9w0BAQEFAASCBKcwggSjAgEAAoIBAQC7\\n-----END PRIVATE KEY-----\\n",
	.good_example = BASE_LAYER "layer: COPY tls.crt /etc/app/tls.crt # buildkit\n"
			"-rw-r--r-- 0 0 /etc/app/tls.crt: -----BEGIN CERTIFICATE-----\\n"
			"MIIDdzCCAl+gAwIBAgIEAgAAuTANBgkqhkiG9w0BAQUFADBaMQswCQYD\\n-----END CERTIFICATE-----\\n",
	.check = check_private_key,
};

static int check_private_key(const struct hd_model *m, const struct hd_rule *r, struct hd_check *ck)
{
	(void)r;
	return report_secrets(m->files, ck, HD_ISECRET_PRIVATE_KEY);
}

static hd_check_fn check_host_key;
const struct hd_rule hd_rule_image_ssh_host_key = {
	.id = "image/ssh-host-key",
	.title = "SSH host keys baked into the image",
	.severity = HD_SEV_HIGH,
	.target = HD_TARGET_IMAGE_FILES,
	.cis = "4.10",
	.owasp = "D06",
	.other = "dockle:CIS-DI-0010",
	.rationale = "Installing openssh-server in a Dockerfile generates /etc/ssh/ssh_host_*_key once, at "
		     "build time: every container of the image, everywhere, then has the same host key, and "
		     "anyone who pulls the image can impersonate any of them." SECRET_WHY,
	.remediation = "Do not run sshd in a container (`docker exec` gives a shell); if you must, delete "
		       "the keys in the same RUN that installs the server (`rm /etc/ssh/ssh_host_*`) and "
		       "generate them at container start (`ssh-keygen -A`).",
	.bad_example = BASE_LAYER "layer: RUN /bin/sh -c apt-get install -y openssh-server\n"
		       "drwxr-xr-x 0 0 /etc/ssh\n"
		       "-rw------- 0 0 /etc/ssh/ssh_host_ed25519_key: -----BEGIN OPENSSH PRIVATE KEY-----\\n"
		       "b3BlbnNzaC1rZXktdjEAAAAABG5vbmUAAAAEbm9uZQAAAAAAAAABAAAAMwAAAAtzc2gtZW\\n"
		       "-----END OPENSSH PRIVATE KEY-----\\n",
	.good_example = BASE_LAYER "layer: RUN /bin/sh -c apt-get install -y openssh-server && rm /etc/ssh/ssh_host_*\n"
			"drwxr-xr-x 0 0 /etc/ssh\n"
			"-rw-r--r-- 0 0 /etc/ssh/sshd_config: PermitRootLogin no",
	.check = check_host_key,
};

static int check_host_key(const struct hd_model *m, const struct hd_rule *r, struct hd_check *ck)
{
	(void)r;
	return report_secrets(m->files, ck, HD_ISECRET_SSH_HOST_KEY);
}

static hd_check_fn check_cred_file;
const struct hd_rule hd_rule_image_credential_file = {
	.id = "image/credential-file",
	.title = "Credential file in the image",
	.severity = HD_SEV_HIGH,
	.target = HD_TARGET_IMAGE_FILES,
	.cis = "4.10",
	.owasp = "D06",
	.other = "dockle:CIS-DI-0010 trivy:secret",
	.rationale = "Tools keep their logins in well-known files: ~/.docker/config.json (registry auths), "
		     ".npmrc and .pypirc (publish tokens), .netrc and .git-credentials, .pgpass, kubeconfigs, "
		     "~/.aws/credentials, Google Cloud and Azure CLI token caches, .env files. Copied into an "
		     "image (COPY . ., a home folder, a build that logged in) they hand those logins to "
		     "whoever pulls it. A file is reported when its content holds a credential (an auth "
		     "entry, a password line, a token), not for its name alone, except the cloud SDK token "
		     "caches." SECRET_WHY,
	.remediation = "Keep credentials out of the build context (.dockerignore) and out of RUN steps: use "
		       "`RUN --mount=type=secret,id=npmrc,target=/root/.npmrc npm ci`; rotate what was "
		       "published.",
	.bad_example = BASE_LAYER "layer: RUN /bin/sh -c docker login -u ci -p $TOKEN registry.example\n"
		       "drwx------ 0 0 /root/.docker\n"
		       "-rw------- 0 0 /root/.docker/config.json: {\"auths\":{\"registry.example\":{\"auth\":\"Y2k6czNjcjN0\"}}}",
	.good_example = BASE_LAYER "layer: RUN /bin/sh -c docker login registry.example\n"
			"drwx------ 0 0 /root/.docker\n"
			"-rw------- 0 0 /root/.docker/config.json: {\"credsStore\":\"pass\"}",
	.check = check_cred_file,
};

static int check_cred_file(const struct hd_model *m, const struct hd_rule *r, struct hd_check *ck)
{
	(void)r;
	return report_secrets(m->files, ck, HD_ISECRET_CREDENTIAL);
}

static hd_check_fn check_token;
const struct hd_rule hd_rule_image_token_in_file = {
	.id = "image/token-in-file",
	.title = "Access token or API key in an image file",
	.severity = HD_SEV_HIGH,
	.target = HD_TARGET_IMAGE_FILES,
	.cis = "4.10",
	.owasp = "D06",
	.other = "dockle:CIS-DI-0010 trivy:secret",
	.rationale = "Tokens have shapes their issuers document: AWS access key ids (AKIA...), GitHub "
		     "(ghp_..., github_pat_...), GitLab (glpat-...), Slack (xox...-), Stripe live keys, "
		     "Google API keys, npm, PyPI, Docker Hub, SendGrid, Azure storage, Vault and OpenAI keys. "
		     "Every regular file below the size limit is scanned once for all of them (vectorscan), "
		     "binaries included, except OS-package documentation, test data and the files OS packages "
		     "installed; AWS's documented "
		     "example key is not reported." SECRET_WHY,
	.remediation = "Remove the token from the source that was copied in, rotate it (it has been "
		       "published), and pass it at run time (an environment variable from a secret store, "
		       "or a mounted secret file).",
	.bad_example = BASE_LAYER "layer: COPY . /app # buildkit\n"
		       "drwxr-xr-x 0 0 /app\n"
		       "-rw-r--r-- 0 0 /app/settings.py: GITHUB_TOKEN = 'ghp_R8fQ2wLp0ZsX4vT6yB1nM3kJ7hD9cE5aG2uI'",
	.good_example = BASE_LAYER "layer: COPY . /app # buildkit\n"
			"drwxr-xr-x 0 0 /app\n"
			"-rw-r--r-- 0 0 /app/settings.py: GITHUB_TOKEN = os.environ['GITHUB_TOKEN']",
	.check = check_token,
};

static int check_token(const struct hd_model *m, const struct hd_rule *r, struct hd_check *ck)
{
	(void)r;
	return report_secrets(m->files, ck, HD_ISECRET_TOKEN);
}

/* ---- left-over files -------------------------------------------------------------------------------- */

static hd_check_fn check_unneeded;
const struct hd_rule hd_rule_image_unnecessary_file = {
	.id = "image/unnecessary-file",
	.title = "Files left in the image that it does not need",
	.severity = HD_SEV_LOW,
	.target = HD_TARGET_IMAGE_FILES,
	.cis = "4.3",
	.owasp = "D09",
	.other = "dockle:DKL-LI-0003",
	.rationale = "A .git folder carries the project's whole history (and often a token in its config); "
		     "caches, IDE folders, Dockerfiles and compose files are noise that grows the image and "
		     "tells an attacker how it was built. They come from `COPY . .` without a "
		     ".dockerignore. Folders of OS packages and language package managers (node_modules, "
		     "vendor, site-packages) are not judged. A folder deleted by a later layer is still "
		     "reported: its bytes are in the image.",
	.remediation = "Add a .dockerignore (`.git`, `.idea`, `.vscode`, `**/.cache`, `Dockerfile*`, "
		       "`compose*.yaml`), or copy only what the image needs; delete caches in the RUN that "
		       "creates them.",
	.bad_example = BASE_LAYER "layer: COPY . /app # buildkit\n"
		       "drwxr-xr-x 0 0 /app\n"
		       "drwxr-xr-x 0 0 /app/.git\n"
		       "-rw-r--r-- 0 0 /app/.git/config: [core]\n"
		       "-rw-r--r-- 0 0 /app/main.py: print('hi')",
	.good_example = BASE_LAYER "layer: COPY main.py /app/ # buildkit\n"
			"drwxr-xr-x 0 0 /app\n"
			"-rw-r--r-- 0 0 /app/main.py: print('hi')",
	.check = check_unneeded,
};

static int check_unneeded(const struct hd_model *m, const struct hd_rule *r, struct hd_check *ck)
{
	const struct hd_image_files *f = m->files;
	char w[256], rm[256];
	size_t i;
	int rc;

	for (i = 0; i < f->n_files; i++) {
		const struct hd_image_file *x = &f->files[i];
		struct hd_loc loc;

		if (!(x->flags & HD_IFILE_UNNEEDED))
			continue;
		floc(f, x->layer, x->path, &loc);
		rc = hd_report(ck, &loc, "image '%s': %s is %s, left in %s%s", f->image, x->path, x->what,
			       where(f, x->layer, w, sizeof(w)),
			       removal(f, x->visible, x->removed_by, x->layer, rm, sizeof(rm)));
		if (rc < 0)
			return rc;
	}
	return 0;
}

/* ---- the layers as archives ----------------------------------------------------------------------------- */

/*
 * The nodes every /dev has (null, zero, full, random, urandom, tty, console,
 * ptmx): root file systems made by debootstrap and mmdebstrap carry them,
 * and the runtime mounts its own /dev over them.
 */
static bool standard_node(const struct hd_image_file *x)
{
	static const struct {
		const char *path;
		uint32_t major, minor;
	} std[] = {
		{ "/dev/null", 1, 3 },   { "/dev/zero", 1, 5 },   { "/dev/full", 1, 7 }, { "/dev/random", 1, 8 },
		{ "/dev/urandom", 1, 9 }, { "/dev/tty", 5, 0 },   { "/dev/console", 5, 1 }, { "/dev/ptmx", 5, 2 },
	};

	for (size_t i = 0; i < HD_ARRAY_SIZE(std); i++) {
		if (S_ISCHR(x->mode) && x->dev_major == std[i].major && x->dev_minor == std[i].minor &&
		    !strcmp(x->path, std[i].path))
			return true;
	}
	return false;
}

static hd_check_fn check_device;
const struct hd_rule hd_rule_image_device_file = {
	.id = "image/device-file",
	.title = "Device files in the image",
	.severity = HD_SEV_MEDIUM,
	.target = HD_TARGET_IMAGE_FILES,
	.owasp = "D04,D08",
	.rationale = "The engine gives a container its own /dev; a character or block device node inside "
		     "an image serves no build purpose. Where the device cgroup allows it (a privileged "
		     "container, `--device-cgroup-rule`), such a node opens the host's disk or memory "
		     "directly; in a layer it is a sign of a crafted or carelessly exported image. The "
		     "nodes every /dev has (null, zero, full, random, urandom, tty, console, ptmx with "
		     "their usual numbers), which debootstrap-made root file systems carry, are not "
		     "reported.",
	.remediation = "Rebuild the image from a Dockerfile instead of exporting a machine's file system, or "
		       "delete the nodes: `RUN find / -xdev \\( -type b -o -type c \\) -delete`.",
	.bad_example = BASE_LAYER "layer: /bin/sh -c #(nop) ADD rootfs.tar in /\n"
		       "drwxr-xr-x 0 0 /dev\n"
		       "brw-rw---- 0 6 /dev/sda 8,0",
	.good_example = BASE_LAYER "layer: /bin/sh -c #(nop) ADD rootfs.tar in /\n"
			"drwxr-xr-x 0 0 /dev",
	.check = check_device,
};

static int check_device(const struct hd_model *m, const struct hd_rule *r, struct hd_check *ck)
{
	const struct hd_image_files *f = m->files;
	char w[256];
	size_t i;
	int rc;

	for (i = 0; i < f->n_files; i++) {
		const struct hd_image_file *x = &f->files[i];
		struct hd_loc loc;

		if (!(x->flags & HD_IFILE_DEVICE) || !x->visible || standard_node(x))
			continue;
		floc(f, x->layer, x->path, &loc);
		rc = hd_report(ck, &loc, "image '%s': %s is a %s device (%u:%u) in %s", f->image, x->path,
			       S_ISBLK(x->mode) ? "block" : "character", x->dev_major, x->dev_minor,
			       where(f, x->layer, w, sizeof(w)));
		if (rc < 0)
			return rc;
	}
	return 0;
}

static int report_anomalies(const struct hd_image_files *f, struct hd_check *ck, enum hd_image_anomaly_kind a,
			    enum hd_image_anomaly_kind b)
{
	char w[256];
	size_t i;
	int rc;

	for (i = 0; i < f->n_anomalies; i++) {
		const struct hd_image_anomaly *x = &f->anomalies[i];
		struct hd_loc loc;
		enum hd_severity sev = HD_SEV_NONE;
		const char *what;

		if (x->kind < a || x->kind > b)
			continue;
		switch (x->kind) {
		case HD_IANOM_ABSOLUTE: what = "has an absolute name (engines extract it below the root anyway)"; break;
		case HD_IANOM_DOTDOT: what = "has a '..' component"; break;
		case HD_IANOM_ESCAPES:
			what = "leads out of the root with '..' (a path-traversal entry; it was not applied)";
			sev = HD_SEV_HIGH;
			break;
		case HD_IANOM_DUPLICATE: what = "appears twice in the layer (the last one wins)"; break;
		case HD_IANOM_HARDLINK_MISSING: what = "is a hard link to a path not earlier in the layer"; break;
		default: what = "is a symlink that never resolves (a loop)"; break;
		}
		floc(f, x->layer, x->path, &loc);
		rc = hd_report_sev(ck, sev, &loc, "image '%s': entry %s %s%s%s, in %s", f->image, x->path, what,
				   x->detail ? ": " : "", x->detail ? x->detail : "", where(f, x->layer, w, sizeof(w)));
		if (rc < 0)
			return rc;
	}
	return 0;
}

static hd_check_fn check_unsafe_path;
const struct hd_rule hd_rule_image_unsafe_path = {
	.id = "image/unsafe-path",
	.title = "Layer entries with absolute or '..' paths",
	.severity = HD_SEV_MEDIUM,
	.target = HD_TARGET_IMAGE_FILES,
	.owasp = "D08",
	.rationale = "Layer tars written by docker, buildkit or any image builder use relative names. An "
		     "absolute name or a '..' component is a crafted entry aimed at tools that extract "
		     "layers naively (path traversal: writing outside the extraction folder); one that "
		     "leads out of the root is reported as high and is not applied to the final tree.",
	.remediation = "Do not use the image: rebuild it from its Dockerfile with a standard builder, and "
		       "find out who produced the layer.",
	.bad_example = BASE_LAYER "layer: /bin/sh -c #(nop) ADD payload.tar in /\n"
		       "raw ../../../etc/cron.d/evil content=x",
	.good_example = BASE_LAYER "layer: /bin/sh -c #(nop) ADD payload.tar in /\n"
			"drwxr-xr-x 0 0 /etc/cron.d\n"
			"-rw-r--r-- 0 0 /etc/cron.d/job: x",
	.check = check_unsafe_path,
};

static int check_unsafe_path(const struct hd_model *m, const struct hd_rule *r, struct hd_check *ck)
{
	(void)r;
	return report_anomalies(m->files, ck, HD_IANOM_ABSOLUTE, HD_IANOM_ESCAPES);
}

static hd_check_fn check_dup_entry;
const struct hd_rule hd_rule_image_duplicate_entry = {
	.id = "image/duplicate-entry",
	.title = "The same path twice in one layer",
	.severity = HD_SEV_LOW,
	.target = HD_TARGET_IMAGE_FILES,
	.owasp = "D08",
	.rationale = "A layer tar with two entries of one path is extracted differently by different "
		     "tools (the last wins in most, the first in some scanners): what a scanner checked is "
		     "then not what runs. Builders never write one.",
	.remediation = "Rebuild the image with a standard builder; do not hand-craft layers.",
	.bad_example = BASE_LAYER "layer: /bin/sh -c #(nop) ADD app.tar in /\n"
		       "-rw-r--r-- 0 0 /etc/motd: hello\n"
		       "-rw-r--r-- 0 0 /etc/motd: hello again",
	.good_example = BASE_LAYER "layer: /bin/sh -c #(nop) ADD app.tar in /\n"
			"-rw-r--r-- 0 0 /etc/motd: hello",
	.check = check_dup_entry,
};

static int check_dup_entry(const struct hd_model *m, const struct hd_rule *r, struct hd_check *ck)
{
	(void)r;
	return report_anomalies(m->files, ck, HD_IANOM_DUPLICATE, HD_IANOM_DUPLICATE);
}

static hd_check_fn check_hardlink;
const struct hd_rule hd_rule_image_hardlink_missing_target = {
	.id = "image/hardlink-missing-target",
	.title = "Hard link to a path the layer does not hold",
	.severity = HD_SEV_LOW,
	.target = HD_TARGET_IMAGE_FILES,
	.owasp = "D08",
	.rationale = "In a tar a hard link names an entry written before it in the same archive. One that "
		     "points elsewhere (a lower layer, a path outside the image) fails to extract in some "
		     "engines and links to whatever exists in others: a crafted or broken layer.",
	.remediation = "Rebuild the image with a standard builder.",
	.bad_example = BASE_LAYER "layer: /bin/sh -c #(nop) ADD app.tar in /\n"
		       "h--------- 0 0 /etc/link -> etc/missing",
	.good_example = BASE_LAYER "layer: /bin/sh -c #(nop) ADD app.tar in /\n"
			"-rw-r--r-- 0 0 /etc/target: x\n"
			"h--------- 0 0 /etc/link -> etc/target",
	.check = check_hardlink,
};

static int check_hardlink(const struct hd_model *m, const struct hd_rule *r, struct hd_check *ck)
{
	(void)r;
	return report_anomalies(m->files, ck, HD_IANOM_HARDLINK_MISSING, HD_IANOM_HARDLINK_MISSING);
}

static hd_check_fn check_loop;
const struct hd_rule hd_rule_image_symlink_loop = {
	.id = "image/symlink-loop",
	.title = "Symlinks that loop",
	.severity = HD_SEV_LOW,
	.target = HD_TARGET_IMAGE_FILES,
	.owasp = "D08",
	.rationale = "A symlink whose resolution never ends (a -> b -> a, or more than 40 hops) makes "
		     "every program that opens it fail with ELOOP and trips tools that follow links; in an "
		     "image it is a mistake or bait for scanners.",
	.remediation = "Fix or remove the links: `RUN rm /opt/app/current`.",
	.bad_example = BASE_LAYER "layer: RUN /bin/sh -c ln -s b /opt/a && ln -s a /opt/b\n"
		       "drwxr-xr-x 0 0 /opt\n"
		       "lrwxrwxrwx 0 0 /opt/a -> b\n"
		       "lrwxrwxrwx 0 0 /opt/b -> a",
	.good_example = BASE_LAYER "layer: RUN /bin/sh -c ln -s b /opt/a\n"
			"drwxr-xr-x 0 0 /opt\n"
			"lrwxrwxrwx 0 0 /opt/a -> b\n"
			"-rw-r--r-- 0 0 /opt/b: x",
	.check = check_loop,
};

static int check_loop(const struct hd_model *m, const struct hd_rule *r, struct hd_check *ck)
{
	(void)r;
	return report_anomalies(m->files, ck, HD_IANOM_SYMLINK_LOOP, HD_IANOM_SYMLINK_LOOP);
}
