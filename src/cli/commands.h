/*
 * The entry points of every command, one per cmd_<name>.c, and their
 * documentation, listed in the table of main.c.
 */
#ifndef HD_CLI_COMMANDS_H
#define HD_CLI_COMMANDS_H

int hd_cmd_audit(int argc, char **argv);
int hd_cmd_authz(int argc, char **argv);
int hd_cmd_db(int argc, char **argv);
int hd_cmd_harden(int argc, char **argv);
int hd_cmd_image(int argc, char **argv);
/* `hardock image --rootfs DIR` (cmd_db.c): an unpacked root filesystem's packages. */
int hd_cmd_image_rootfs(int argc, char **argv);
int hd_cmd_lint(int argc, char **argv);
int hd_cmd_rules(int argc, char **argv);
int hd_cmd_serve(int argc, char **argv);
int hd_cmd_tls(int argc, char **argv);

/* Their documentation and option tables (cli/options.h), beside each command. */
struct hd_cmd_doc;
extern const struct hd_cmd_doc hd_audit_doc, hd_authz_doc, hd_harden_doc, hd_image_doc, hd_lint_doc,
	hd_rules_doc, hd_serve_doc, hd_tls_doc;

#endif
