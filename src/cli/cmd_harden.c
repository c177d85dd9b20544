/*
 * `hardock harden daemon-json|audit-rules`: print the hardened file for this
 * host (or the host under --root); with --write, put it in place, keeping a
 * backup of the file it replaces, after checking that dockerd (or auditctl)
 * would accept it.  Nothing changes without --write.
 */
#include "core/common.h"
#include "core/buf.h"
#include "audit/host_read.h"
#include "audit/rootfs.h"
#include "cli/cli.h"
#include "cli/commands.h"
#include "cli/options.h"
#include "harden/harden.h"
#include "parse/auditrules.h"

#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

struct harden_args {
	const char *what;
	const char *root;
	const char *in;
	bool write;
};

#define H(field) HD_OFF(struct harden_args, field)
static const struct hd_option harden_options[] = {
	HD_OPT_FLAG(0, "write", H(write),
		    "write the result (daemon.json: --in FILE or the host's; audit rules: "
		    	"/etc/audit/rules.d/hardock-docker.rules), keeping the old file as "
		    		"FILE.hardock-bak.<time>; refused when the result would not be "
		    			"accepted"),
	HD_OPT_STRING(0, "root", "DIR", H(root), "a copy of a host's filesystem instead of this "
		"machine"),
	HD_OPT_STRING(0, "in", "FILE", H(in), "(daemon-json) the daemon.json to start from"),
	HD_OPT_END(),
};
#undef H

static const struct hd_operand harden_operands[] = {
	{ "daemon-json", "prints daemon.json with hardock's recommendations merged into yours (your "
		"keys are kept; a key written as dockerd's flag name, which dockerd ignores, moves to its "
		"daemon.json key), and explains each change and what it may break.  Options already on "
		"dockerd's command line are left there.  Input: --in FILE, else the host's daemon.json." },
	{ "audit-rules", "prints the auditd rules watching Docker's files that exist on the host "
		"(CIS 1.1.3-1.1.18)." },
	{ NULL, NULL },
};

const struct hd_cmd_doc hd_harden_doc = {
	.usage = "hardock harden daemon-json [--in FILE] [--write] [--root DIR]\n"
		 "hardock harden audit-rules [--write] [--root DIR]",
	.operands = harden_operands,
	.options = harden_options,
};

static int parse_args(int argc, char **argv, struct harden_args *a)
{
	int n, r = hd_parse_options("harden", &hd_harden_doc, argc, argv, a, &n);

	if (r != 0)
		return r;
	if (n > 1) {
		hd_cli_error("unknown argument '%s' for harden; see 'hardock harden --help'", argv[1]);
		return -1;
	}
	a->what = n ? argv[0] : NULL;
	if (!a->what || (strcmp(a->what, "daemon-json") && strcmp(a->what, "audit-rules"))) {
		hd_cli_error("harden needs 'daemon-json' or 'audit-rules'; see 'hardock harden --help'");
		return -1;
	}
	if (a->in && strcmp(a->what, "daemon-json")) {
		hd_cli_error("--in goes with 'harden daemon-json'");
		return -1;
	}
	return 0;
}

/* The path on this machine of a host path under the root, creating missing parent directories. */
static char *target_path(const struct hd_rootfs *fs, const char *host_path, mode_t dir_mode)
{
	char *real = NULL, *dir = hd_strdup(host_path), *slash, *rdir = NULL, *out = NULL;
	int r;

	if (!dir)
		return NULL;
	r = hd_rootfs_resolve(fs, host_path, &real, NULL);
	if (r == 0) {
		hd_free(dir);
		return real;
	}
	slash = strrchr(dir, '/');
	if (r != -HD_ENOENT || !slash) {
		hd_free(dir);
		return NULL;
	}
	*slash = '\0';
	if (hd_rootfs_resolve(fs, *dir ? dir : "/", &rdir, NULL) < 0) {
		/* Create the missing directories one by one, inside the root. */
		char *p = dir + 1;

		for (;;) {
			char *next = strchr(p, '/');
			char *cur;

			if (next)
				*next = '\0';
			cur = hd_asprintf("%s%s", fs->root, dir);
			if (!cur || (mkdir(cur, dir_mode) < 0 && errno != EEXIST)) {
				hd_free(cur);
				hd_free(dir);
				return NULL;
			}
			hd_free(cur);
			if (!next)
				break;
			*next = '/';
			p = next + 1;
		}
		if (hd_rootfs_resolve(fs, dir, &rdir, NULL) < 0) {
			hd_free(dir);
			return NULL;
		}
	}
	out = hd_asprintf("%s/%s", rdir, slash + 1);
	hd_free(rdir);
	hd_free(dir);
	return out;
}

static void print_changes(FILE *fp, const struct hd_harden_json *h)
{
	size_t i;

	for (i = 0; i < h->n_changes; i++) {
		const struct hd_harden_change *c = &h->changes[i];

		fprintf(fp, "  %-22s %s\n", c->key, c->action);
		if (c->why)
			fprintf(fp, "  %-22s   protects: %s\n", "", c->why);
		if (c->breaks)
			fprintf(fp, "  %-22s   may break: %s\n", "", c->breaks);
	}
}

static int harden_daemon_json(const struct harden_args *a)
{
	struct hd_read_opts ro;
	struct hd_daemon_spec d;
	struct hd_rootfs fs;
	struct hd_buf in = HD_BUF_INIT(HD_MAX_FILE_SIZE), check = HD_BUF_INIT(HD_MAX_FILE_SIZE);
	struct hd_harden_json h;
	struct hd_strlist problems = { 0 };
	struct stat st;
	char *err = NULL, *target = NULL, *backup = NULL;
	bool journald;
	size_t i;
	int r, code = HD_EXIT_ERROR;

	memset(&ro, 0, sizeof(ro));
	memset(&h, 0, sizeof(h));
	ro.root = a->root;
	ro.files_only = true;
	hd_daemon_spec_init(&d);
	r = hd_rootfs_init(&fs, a->root);
	if (r < 0) {
		hd_cli_error("cannot use root '%s': %s", a->root ? a->root : "/", hd_strerror(r));
		hd_daemon_spec_release(&d);
		return HD_EXIT_ERROR;
	}
	r = hd_daemon_read(&ro, &d);
	if (r < 0) {
		hd_cli_error("cannot read the daemon's configuration: %s", hd_strerror(r));
		goto out;
	}
	if (a->in)
		r = hd_buf_read_file(&in, a->in);
	else
		r = hd_rootfs_read(&fs, d.config_file, HD_MAX_FILE_SIZE, &in);
	if (r < 0 && !(r == -HD_ENOENT && !a->in)) {
		hd_cli_error("cannot read '%s': %s", a->in ? a->in : d.config_file, hd_strerror(r));
		goto out;
	}
	journald = hd_rootfs_stat(&fs, "/lib/systemd/systemd-journald", &st, NULL) == 0 ||
		   hd_rootfs_stat(&fs, "/usr/lib/systemd/systemd-journald", &st, NULL) == 0;
	r = hd_harden_daemon_json(in.buf, in.len, &d, journald, &h, &err);
	if (r < 0) {
		hd_cli_error("cannot merge '%s': %s", a->in ? a->in : d.config_file,
			     err ? err : hd_strerror(r));
		goto out;
	}
	if (!a->write) {
		fputs(h.text, stdout);
		fprintf(stderr, "hardock: changes to %s:\n", a->in ? a->in : d.config_file);
		print_changes(stderr, &h);
		fprintf(stderr, "hardock: nothing written; use --write to replace the file (a backup is "
			"kept)\n");
		code = HD_EXIT_OK;
		goto out;
	}
	r = hd_harden_validate(a->in ? a->in : d.config_file, h.text, &d, &problems);
	if (r < 0) {
		hd_cli_error("cannot validate: %s", hd_strerror(r));
		goto out;
	}
	if (problems.n) {
		hd_cli_error("not written: dockerd would not accept the result as it is:");
		for (i = 0; i < problems.n; i++)
			fprintf(stderr, "  %s\n", problems.v[i]);
		fprintf(stderr, "Fix these in the file (or on the command line) first.\n");
		goto out;
	}
	target = a->in ? hd_strdup(a->in) : target_path(&fs, d.config_file, 0755);
	if (!target) {
		hd_cli_error("cannot find where to write '%s'", d.config_file);
		goto out;
	}
	r = hd_write_with_backup(target, h.text, strlen(h.text), 0644, 0644, (int64_t)time(NULL), &backup);
	if (r < 0) {
		hd_cli_error("cannot write '%s': %s", target,
			     r == -HD_EINVAL ? "not a regular file (a symlink?)" : hd_strerror(r));
		goto out;
	}
	/* Read back what is on disk and check it once more. */
	r = hd_buf_read_file(&check, target);
	if (r < 0 || check.len != strlen(h.text) || memcmp(check.buf, h.text, check.len) != 0) {
		hd_cli_error("'%s' does not hold what was written%s%s", target,
			     backup ? "; the previous file is " : "", backup ? backup : "");
		goto out;
	}
	printf("hardock: wrote %s%s%s\n", target, backup ? " (previous file kept as " : "",
	       backup ? backup : "");
	if (backup)
		printf(")\n");
	printf("changes:\n");
	print_changes(stdout, &h);
	printf("Restart dockerd to apply: systemctl restart docker\n");
	code = HD_EXIT_OK;
out:
	hd_free(err);
	hd_free(target);
	hd_free(backup);
	hd_strlist_release(&problems);
	hd_harden_json_release(&h);
	hd_buf_release(&in);
	hd_buf_release(&check);
	hd_daemon_spec_release(&d);
	hd_rootfs_release(&fs);
	return code;
}

static int harden_audit_rules(const struct harden_args *a)
{
	static const char target_host[] = "/etc/audit/rules.d/hardock-docker.rules";
	struct hd_read_opts ro;
	struct hd_daemon_spec d;
	struct hd_host_facts hf;
	struct hd_rootfs fs;
	struct hd_audit_rules parsed = { 0 };
	char *text = NULL, *target = NULL, *backup = NULL;
	size_t watches = 0;
	const char *p;
	int r, code = HD_EXIT_ERROR;

	memset(&ro, 0, sizeof(ro));
	ro.root = a->root;
	ro.files_only = true;
	hd_daemon_spec_init(&d);
	hd_host_facts_init(&hf);
	r = hd_rootfs_init(&fs, a->root);
	if (r < 0) {
		hd_cli_error("cannot use root '%s': %s", a->root ? a->root : "/", hd_strerror(r));
		goto out_noroot;
	}
	r = hd_daemon_read(&ro, &d);
	if (r >= 0)
		r = hd_host_read(&ro, &d, &hf);
	if (r < 0) {
		hd_cli_error("cannot read the host: %s", hd_strerror(r));
		goto out;
	}
	text = hd_harden_audit_rules(&hf);
	if (!text) {
		hd_cli_error("out of memory");
		goto out;
	}
	for (p = text; (p = strstr(p, "\n-w ")); p++)
		watches++;
	if (!a->write) {
		fputs(text, stdout);
		fprintf(stderr, "hardock: %zu watches for the Docker paths present; nothing written "
			"(--write puts them in %s)\n", watches, target_host);
		code = HD_EXIT_OK;
		goto out;
	}
	r = hd_auditrules_parse(&parsed, target_host, text, strlen(text), false, NULL);
	if (r < 0 || parsed.n != watches) {
		hd_cli_error("not written: the generated rules do not parse back (%zu of %zu)", parsed.n,
			     watches);
		goto out;
	}
	target = target_path(&fs, target_host, 0750);
	if (!target) {
		hd_cli_error("cannot find where to write '%s'", target_host);
		goto out;
	}
	r = hd_write_with_backup(target, text, strlen(text), 0640, 0640, (int64_t)time(NULL), &backup);
	if (r < 0) {
		hd_cli_error("cannot write '%s': %s", target, hd_strerror(r));
		goto out;
	}
	printf("hardock: wrote %zu watches to %s%s%s%s\n", watches, target,
	       backup ? " (previous file kept as " : "", backup ? backup : "", backup ? ")" : "");
	printf("Load them with: augenrules --load\n");
	code = HD_EXIT_OK;
out:
	hd_rootfs_release(&fs);
out_noroot:
	hd_audit_rules_release(&parsed);
	hd_free(text);
	hd_free(target);
	hd_free(backup);
	hd_host_facts_release(&hf);
	hd_daemon_spec_release(&d);
	return code;
}

int hd_cmd_harden(int argc, char **argv)
{
	struct harden_args a;
	int r;

	memset(&a, 0, sizeof(a));
	r = parse_args(argc, argv, &a);
	if (r != 0)
		return r > 0 ? HD_EXIT_OK : HD_EXIT_ERROR;
	if (!strcmp(a.what, "daemon-json"))
		return harden_daemon_json(&a);
	return harden_audit_rules(&a);
}
